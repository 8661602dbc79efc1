"""The one place that decides where case data comes from: the services, or the offline cache.

Widgets never call this directly: workers do, on their own threads. Each call returns plain
objects (pydantic models and small dataclasses) that travel back to the GUI in a signal.

With a cache attached, every successful fetch is written through (list pages, details with their
inline attachment bodies, downloaded attachments). When the services cannot be reached (a network
error, a timeout, a 5xx or 429 after the client's retries) or the user chose to work offline, reads
come from the cache and say so: ``CaseResult.source == "cache"`` with ``fetched_at`` the time the
copy was cached, and list pages are ``CachedCasePage``. After one unreachable failure the
repository stays offline (so every click does not wait out the retries again) until ``probe()``
finds a service answering; a choice made with ``set_offline(True)`` stays until it is undone.

A listed case that the detail service does not know (404) is not an error for the reviewer: the
result carries the list record and says plainly that no detail exists.

A cache write that fails (disk full) never fails the read that fetched the data: it is logged and
kept in ``last_cache_error`` for the UI to mention.
"""

from __future__ import annotations

import base64
import binascii
import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, BinaryIO

from caseviewer.core import errors
from caseviewer.core.access_log import AccessAction
from caseviewer.core.api import CaseApi, CasePage, CaseQuery, DetailIncludes, DocumentFormat
from caseviewer.core.models import Attachment, CaseDetail, CaseRecord

if TYPE_CHECKING:  # the cache (and SQLCipher) is only needed by whoever attaches one
    from caseviewer.core.cache import CaseCache

log = logging.getLogger(__name__)

#: Failures after which the cached copy is the best answer: the service is not there right now.
#: Failures that mean "the service is not there" (not "it said no"): reads fall back to the cache.
UNREACHABLE = (errors.NetworkError, errors.ServerError, errors.RateLimited, errors.NotJson)

#: An id no case has, for the detail half of ``probe()``: any HTTP answer proves reachability.
_PROBE_CASE_ID = "00000000-0000-0000-0000-000000000000"


@dataclass
class CaseResult:
    """What the detail pane shows for one case.

    ``detail`` is None when only the list record is known; ``detail_note`` then says why
    (no detail service configured, or the detail service has no such case, or only the list
    record is cached). ``source`` is "network" or "cache"; for "cache", ``fetched_at`` is when
    the copy was cached.
    """

    case_id: str | None
    record: CaseRecord | None = None
    detail: CaseDetail | None = None
    detail_note: str = ""
    source: str = "network"  # "network" or "cache"
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


@dataclass
class CachedCasePage(CasePage):
    """A list page served from the offline cache; ``cached_at`` is its oldest record's fetch time.

    Network pages are plain ``CasePage``; ``getattr(page, "source", "network")`` reads either.
    """

    source: str = "cache"
    cached_at: datetime | None = None


class _TeeSink:
    """Writes to the caller's sink and keeps a copy in memory (never a temp file: PHI) for the cache."""

    def __init__(self, sink: BinaryIO, limit: int) -> None:
        self.sink = sink
        self.limit = limit
        self.kept: bytearray | None = bytearray()

    def write(self, chunk: bytes) -> int:
        if self.kept is not None:
            if len(self.kept) + len(chunk) > self.limit:
                self.kept = None  # too big for the cache budget: stop copying, keep streaming
            else:
                self.kept += chunk
        return self.sink.write(chunk)


@dataclass(frozen=True)
class CachedHit:
    """One full-text match in the offline cache, with the list fields a reviewer recognises."""

    case_id: str
    snippet: str
    business_name: str = ""
    applicant: str = ""


class CaseRepository:
    """Reads cases for the UI. Thread-safe: httpx clients and the cache are; flags are plain bools."""

    def __init__(
        self,
        api: CaseApi,
        *,
        document_format: DocumentFormat = DocumentFormat.BASE64,
        cache: CaseCache | None = None,
        offline: bool = False,
    ) -> None:
        self.api = api
        self.document_format = document_format
        self.cache = cache
        self._chosen_offline = offline
        self._unreachable = False
        self.last_cache_error: errors.CacheError | None = None
        #: The profile's ``AccessLog`` (core/access_log.py), set by whoever opened the cache.
        self.access_log = None

    # -- state -------------------------------------------------------------------------------

    @property
    def has_list(self) -> bool:
        return self.api.list is not None

    @property
    def has_detail(self) -> bool:
        return self.api.detail is not None

    @property
    def is_offline(self) -> bool:
        return self._chosen_offline or self._unreachable

    @property
    def offline_reason(self) -> str:
        """"" when online, "chosen" (``set_offline``) or "unreachable" (a fetch failed)."""
        if self._chosen_offline:
            return "chosen"
        return "unreachable" if self._unreachable else ""

    def set_offline(self, offline: bool) -> None:
        """Work from the cache only (True), or try the services again (False)."""
        self._chosen_offline = offline
        if not offline:
            self._unreachable = False

    def probe(self, *, cancel: threading.Event | None = None) -> bool:
        """One small request to each configured service; clears "unreachable" once all answer.

        Both halves are asked because either may be the one that went away: a list that answers
        while the detail service is still down is not "back online". Any HTTP answer that is not a
        5xx/429 counts (an auth error is reported by the next real request, not here). Runs on a
        worker: the client's retries apply.
        """
        checks: list[Callable[[], object]] = []
        if self.api.list is not None:
            checks.append(lambda: self.api.list.list_cases(CaseQuery(items_per_page=1), cancel=cancel))
        if self.api.detail is not None:
            checks.append(lambda: self.api.detail.get_case(
                _PROBE_CASE_ID, includes=DetailIncludes(False, False, False, False), cancel=cancel
            ))
        if not checks:
            return False
        for check in checks:
            try:
                check()
            except UNREACHABLE:
                return False
            except errors.ApiError:
                pass  # it answered: reachable
        self._unreachable = False
        return True

    def _fall_back(self, exc: errors.ApiError) -> None:
        """Decide to serve from the cache after ``exc``; re-raise when there is no cache."""
        if self.cache is None:
            raise exc
        log.info("Service unreachable (%s); serving from the offline cache", type(exc).__name__)
        self._unreachable = True

    def _write_through(self, action: Callable[[], object]) -> None:
        if self.cache is None:
            return
        try:
            action()
        except errors.CacheError as exc:
            log.warning("Could not write to the offline cache: %s", exc)
            self.last_cache_error = exc

    def _require_cache(self, what: str) -> CaseCache:
        if self.cache is None:
            raise errors.OfflineError(
                f"The case service cannot be reached and there is no offline cache, so {what} cannot be shown."
            )
        return self.cache

    # -- list --------------------------------------------------------------------------------

    def list_page(self, query: CaseQuery, *, cancel: threading.Event | None = None) -> CasePage:
        if self.api.list is None:
            raise errors.ConfigError("No case list service is configured; open cases by ID or email.")
        if not self.is_offline:
            try:
                page = self.api.list.list_cases(query, cancel=cancel)
            except UNREACHABLE as exc:
                self._fall_back(exc)
            else:
                customer_id = self.api.list.customer_id
                self._write_through(lambda: self.cache.put_list_page(customer_id, page))
                return page
        return self._cached_page(query)

    def _cached_page(self, query: CaseQuery) -> CachedCasePage:
        cache = self._require_cache("the case list")
        assert self.api.list is not None
        customer_id = self.api.list.customer_id
        if not cache.has_list(customer_id):
            raise errors.OfflineError(
                "You are offline and the case list of this customer is not in the offline cache. "
                "Open the list once online, or run \"caseviewer sync\", to read it offline."
            )
        size = max(1, query.items_per_page)
        found = cache.list_for_query(customer_id, query)
        total_pages = (math.ceil(found.total / size) if query.paginate else 1) if found.total else 0
        if query.paginate and total_pages and query.page > total_pages:
            raise errors.PageOutOfRange("That page is past the end of the cached case list.")
        return CachedCasePage(query, found.records, total_pages, found.total, cached_at=found.fetched_at)

    # -- one case ----------------------------------------------------------------------------

    def open_case(
        self,
        case_id: str | None = None,
        *,
        email: str | None = None,
        record: CaseRecord | None = None,
        cancel: threading.Event | None = None,
    ) -> CaseResult:
        """The detail of a case, or its list record with a note when no detail can be had."""
        case_id = case_id or (record.id if record is not None else None)
        if self.api.detail is None:
            if record is None:
                raise errors.ConfigError("No case detail service is configured for this profile.")
            return CaseResult(case_id, record, None, "No case detail service is configured; showing the list record.")
        if not self.is_offline:
            try:
                detail = self.api.detail.get_case(
                    case_id, email=None if case_id else email, document_format=self.document_format, cancel=cancel
                )
            except errors.NotFound:
                if record is None:
                    raise
                return CaseResult(case_id, record, None, "The case detail service does not know this case; showing the list record only.")
            except UNREACHABLE as exc:
                self._fall_back(exc)
            else:
                self._write_through(lambda: self.cache.put_detail(detail.raw, record))
                return CaseResult(detail.id or case_id, record, detail)
        return self._cached_case(case_id, email, record)

    def _cached_case(self, case_id: str | None, email: str | None, record: CaseRecord | None) -> CaseResult:
        cache = self._require_cache("this case")
        entry = cache.get_detail(case_id, None if case_id else email)
        if entry is not None:
            found_id = entry.detail.id or case_id
            if record is None and found_id:
                cached_record = cache.get_record(found_id)
                record = cached_record[0] if cached_record is not None else None
            return CaseResult(found_id, record, entry.detail, source="cache", fetched_at=entry.cached_at)
        cached_record = cache.get_record(case_id) if case_id else None
        if cached_record is not None:
            return CaseResult(
                case_id, record or cached_record[0], None,
                "Offline: only the list record of this case is in the offline cache.",
                source="cache", fetched_at=cached_record[1],
            )
        which = f"case {case_id}" if case_id else "the case of that email"
        raise errors.OfflineError(
            f"You are offline and {which} is not in the offline cache. A case can be read offline "
            "after it was opened once online, or after \"caseviewer sync\"."
        )

    # -- attachments -------------------------------------------------------------------------

    def download_attachment(
        self,
        attachment: Attachment,
        sink: BinaryIO,
        *,
        progress: Callable[[int, int | None], None] | None = None,
        cancel: threading.Event | None = None,
        case_id: str | None = None,
    ) -> int:
        """Write an attachment's bytes to ``sink``: base64 decoded here, from the cache, or streamed.

        A streamed download is written through to the cache (``case_id`` ties it to its case, so
        a purge of the case removes it too).
        """
        if attachment.content is not None:
            try:
                data = base64.b64decode(attachment.content, validate=False)
            except (binascii.Error, ValueError) as exc:
                raise errors.SchemaError("The attachment's content is not valid base64.") from exc
            return self._deliver(data, sink, progress)
        if self.cache is not None and attachment.id:
            try:
                cached = self.cache.get_attachment(attachment.id)
            except errors.CacheError as exc:
                log.warning("Could not read an attachment from the offline cache: %s", exc)
                cached = None
            if cached is not None:
                return self._deliver(cached, sink, progress)
        if attachment.url:
            if self.is_offline:
                raise errors.OfflineError(
                    "You are offline and this attachment was not downloaded while online, so it is "
                    "not in the offline cache."
                )
            if self.api.detail is None:
                raise errors.ConfigError("No case detail service is configured.")
            if self.cache is None or not attachment.id:
                return self.api.detail.download(attachment.url, sink, progress=progress, cancel=cancel)
            tee = _TeeSink(sink, self.cache.attachment_budget)
            received = self.api.detail.download(attachment.url, tee, progress=progress, cancel=cancel)  # type: ignore[arg-type]
            if tee.kept is not None:
                body = bytes(tee.kept)
                self._write_through(lambda: self.cache.put_attachment(attachment.id, body, case_id=case_id))
            return received
        raise errors.NotFound("This attachment has neither content nor a link.")

    @staticmethod
    def _deliver(data: bytes, sink: BinaryIO, progress: Callable[[int, int | None], None] | None) -> int:
        sink.write(data)
        if progress is not None:
            progress(len(data), len(data))
        return len(data)

    def search_cached(self, text: str, *, limit: int = 200) -> list[CachedHit]:
        """Cases whose cached content (comments, notes, decisions, answers, names) has every word."""
        if self.cache is None:
            raise errors.OfflineError("No offline cache: the system keyring is not available.")
        if not text.strip():
            return []
        if self.access_log is not None:
            self.access_log.record(AccessAction.SEARCH)
        hits = []
        for hit in self.cache.search_text(text, limit=limit):
            found = self.cache.get_record(hit.case_id)
            record = found[0] if found else None
            hits.append(
                CachedHit(
                    hit.case_id,
                    hit.snippet,
                    (record.business_name or "") if record else "",
                    record.applicant_name if record else "",
                )
            )
        return hits

    def close(self) -> None:
        """Close the service clients and the cache (the repository owns what it was given)."""
        self.api.close()
        if self.access_log is not None:
            self.access_log.close()  # writes what is queued while the cache is still open
        if self.cache is not None:
            self.cache.close()
