"""The one place that decides where case data comes from: the services, or the offline cache.

Widgets never call this directly: workers do, on their own threads. Each call returns plain
objects (pydantic models and small dataclasses) that travel back to the GUI in a signal.

With a cache attached, every successful fetch is written through (list pages, details with their
inline attachment bodies, downloaded attachments). When the services cannot be reached or the
user chose to work offline, reads come from the cache and say so: their ``provenance``
(``core/provenance.py``) is ``Source.CACHE`` with the time the copy was fetched, on cases
(``CaseResult``) and list pages (``CasePage``) alike. What "cannot be reached" means is each error's ``reach`` (errors.py): a
connect error, a timeout or a portal's HTML page at once; server errors and rate limits (after
the client's retries) at once for the list, and for one case's detail only when
``STRAINED_LIMIT`` of them come in a row across requests. Then the repository stays offline (so
every click does not wait out the retries again) until ``probe()`` finds a service answering; a
choice made with ``set_offline(True)`` stays until it is undone.

A bad answer about one case (invalid or too deeply nested JSON, a single 500) is that case's
error, never "offline": the cached copy is offered with a note saying why when there is one
(``CaseResult.detail_note``), else the error is raised.

A listed case that the detail service does not know (404) is not an error for the reviewer: the
result carries the list record and says plainly that no detail exists.

A cache write that fails (disk full) never fails the read that fetched the data: it is logged and
kept in ``last_cache_error`` for the UI to mention.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from caseviewer.core import errors
from caseviewer.core.access_log import AccessAction
from caseviewer.core.api import CaseApi, DetailIncludes
from caseviewer.core.cached_search import CachedHit, CachedSearch, search_cache
from caseviewer.core.provenance import Provenance
from caseviewer.core.query import CasePage, CaseQuery, DocumentFormat
# An id no case has, for the detail half of ``probe()``: any HTTP answer proves reachability.
from caseviewer.core.connection_check import PROBE_CASE_ID
from caseviewer.core.decode import decode_base64
from caseviewer.core.lookup import LookupKind, lookup_kind, short_id_not_found
from caseviewer.core.models import Attachment, CaseDetail, CaseRecord
from caseviewer.core.offline import LIST_NOT_CACHED, OfflineReason

if TYPE_CHECKING:  # the cache (and SQLCipher) is only needed by whoever attaches one
    from caseviewer.core.cache import CaseCache

log = logging.getLogger(__name__)

#: Server errors / rate limits in a row, across requests, after which the service counts as gone.
STRAINED_LIMIT = 2



@dataclass
class CaseResult:
    """What the detail pane shows for one case.

    ``detail`` is None when only the list record is known; ``detail_note`` then says why
    (no detail service configured, or the detail service has no such case, or only the list
    record is cached). ``provenance`` says whether it came from the service or the cache, and
    when the service sent it.
    """

    case_id: str | None
    record: CaseRecord | None = None
    detail: CaseDetail | None = None
    detail_note: str = ""
    provenance: Provenance = field(default_factory=Provenance.network)


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
        self._strained_in_a_row = 0
        self.last_cache_error: errors.CacheError | None = None
        #: Short ID (casefolded) -> case id of every detail seen in this run.
        self._short_ids: dict[str, str] = {}
        self._short_ids_lock = threading.Lock()
        #: The profile's ``AccessLog`` (core/access_log.py), set by whoever opened the cache.
        self.access_log = None

    # -- state -------------------------------------------------------------------------------

    @property
    def has_cache(self) -> bool:
        """An offline cache is attached (no keyring: none; ``core/cache_service.py`` does its chores)."""
        return self.cache is not None

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
    def offline_reason(self) -> OfflineReason:
        """``ONLINE`` (falsy), ``CHOSEN`` (``set_offline``) or ``UNREACHABLE`` (a fetch failed)."""
        if self._chosen_offline:
            return OfflineReason.CHOSEN
        return OfflineReason.UNREACHABLE if self._unreachable else OfflineReason.ONLINE

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
                PROBE_CASE_ID, includes=DetailIncludes(False, False, False, False), cancel=cancel
            ))
        if not checks:
            return False
        for check in checks:
            try:
                check()
            except errors.ApiError as exc:
                if exc.reach is not errors.Reach.ANSWERED:
                    return False
                # else it answered: reachable
        self._unreachable = False
        self._strained_in_a_row = 0
        return True

    def _goes_offline(self, exc: errors.ApiError, *, one_case: bool = False) -> bool:
        """After ``exc``: True when the service counts as unreachable now (serve the cache),
        False when ``exc`` is this one request's error. Raises ``exc`` when offline would be
        right but there is no cache.

        A server error for the list (after the client's retries) means the service is in
        trouble; for ``one_case`` it may be that case alone, until it repeats across requests.
        """
        if exc.reach is errors.Reach.STRAINED:
            self._strained_in_a_row += 1
            gone = not one_case or self._strained_in_a_row >= STRAINED_LIMIT
        else:
            gone = exc.reach is errors.Reach.UNREACHABLE
        if not gone:
            return False
        if self.cache is None:
            raise exc
        log.info("Service unreachable (%s); serving from the offline cache", type(exc).__name__)
        self._unreachable = True
        return True

    def _answered(self) -> None:
        self._strained_in_a_row = 0

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
            except errors.ApiError as exc:
                if not self._goes_offline(exc):
                    raise
            else:
                self._answered()
                customer_id = self.api.list.customer_id
                self._write_through(lambda: self.cache.put_list_page(customer_id, page))
                return page
        return self._cached_page(query)

    def _cached_page(self, query: CaseQuery) -> CasePage:
        cache = self._require_cache("the case list")
        assert self.api.list is not None
        customer_id = self.api.list.customer_id
        if not cache.has_list(customer_id):
            raise errors.OfflineError(LIST_NOT_CACHED)
        size = max(1, query.items_per_page)
        found = cache.list_for_query(customer_id, query)
        total_pages = (math.ceil(found.total / size) if query.paginate else 1) if found.total else 0
        if query.paginate and total_pages and query.page > total_pages:
            raise errors.PageOutOfRange("That page is past the end of the cached case list.")
        return CasePage(query, found.records, total_pages, found.total, provenance=Provenance.cached(found.fetched_at))

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
        if self.api.detail is None and not self.is_offline:  # offline reads need no service or credential
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
            except errors.ApiError as exc:
                if not self._goes_offline(exc, one_case=True):
                    return self._case_error(exc, case_id, email, record)
            else:
                self._answered()
                self._write_through(lambda: self.cache.put_detail(detail.raw, record, as_sent=detail.as_sent))
                self._remember_short_id(detail)
                return CaseResult(detail.id or case_id, record, detail)
        return self._cached_case(case_id, email, record)

    def open_reference(
        self, text: str, *, record: CaseRecord | None = None, cancel: threading.Event | None = None
    ) -> CaseResult:
        """A case by whatever the reviewer typed: a case ID, a short ID (CV-000005) or an email."""
        text = text.strip()
        kind = lookup_kind(text)
        if kind is LookupKind.EMAIL:
            return self.open_case(email=text, cancel=cancel)
        if kind is LookupKind.SHORT_ID:
            return self.open_short_id(text, cancel=cancel)
        return self.open_case(text, record=record, cancel=cancel)

    def open_short_id(self, short_id: str, *, cancel: threading.Event | None = None) -> CaseResult:
        """The case whose short ID is ``short_id``, found among the cases seen in this run and
        the offline cache (the services cannot search by short ID)."""
        short_id = short_id.strip()
        case_id = self.find_short_id(short_id)
        if case_id is not None:
            return self.open_case(case_id, cancel=cancel)
        if self.api.detail is not None and not self.is_offline:
            # Not known here; the detail service may still know the text as a case ID.
            try:
                return self.open_case(short_id, cancel=cancel)
            except (errors.NotFound, errors.BadRequest, errors.OfflineError):
                pass
        raise errors.NotFound(short_id_not_found(short_id), service="case detail")

    def find_short_id(self, short_id: str) -> str | None:
        """The case id of ``short_id`` (any case), or None when no case seen or cached has it."""
        wanted = short_id.strip().casefold()
        if not wanted:
            return None
        with self._short_ids_lock:
            known = self._short_ids.get(wanted)
        if known is not None or self.cache is None:
            return known
        try:
            # The full-text index holds each cached case's short ID; the stored detail confirms it.
            for hit in self.cache.search_text(short_id, limit=25):
                entry = self.cache.get_detail(hit.case_id)
                if entry is not None and (entry.detail.short_id or "").strip().casefold() == wanted:
                    self._remember_short_id(entry.detail)
                    return entry.detail.id or hit.case_id
        except errors.CacheError as exc:
            log.warning("Could not look up a short ID in the offline cache: %s", exc)
        return None

    def _remember_short_id(self, detail: CaseDetail) -> None:
        short_id = (detail.short_id or "").strip().casefold() if isinstance(detail.short_id, str) else ""
        if short_id and detail.id:
            with self._short_ids_lock:
                self._short_ids[short_id] = detail.id

    def _case_error(self, exc: errors.ApiError, case_id: str | None, email: str | None,
                    record: CaseRecord | None) -> CaseResult:
        """This case's own failure: its cached copy with a note saying why, else ``exc``."""
        if self.cache is None or isinstance(exc, (errors.AuthError, errors.BadRequest)):
            raise exc
        try:
            cached = self._cached_case(case_id, email, record)
        except errors.OfflineError:
            raise exc from None
        shown = "the copy" if cached.detail is not None else "the list record"
        cached.detail_note = f"{exc.message} Showing {shown} from the offline cache."
        return cached

    def _cached_case(self, case_id: str | None, email: str | None, record: CaseRecord | None) -> CaseResult:
        cache = self._require_cache("this case")
        entry = cache.get_detail(case_id, None if case_id else email)
        if entry is not None:
            self._remember_short_id(entry.detail)
            found_id = entry.detail.id or case_id
            if record is None and found_id:
                cached_record = cache.get_record(found_id)
                record = cached_record[0] if cached_record is not None else None
            return CaseResult(found_id, record, entry.detail, provenance=Provenance.cached(entry.fetched_at))
        cached_record = cache.get_record(case_id) if case_id else None
        if cached_record is not None:
            return CaseResult(
                case_id, record or cached_record[0], None,
                "Offline: only the list record of this case is in the offline cache.",
                provenance=Provenance.cached(cached_record[1]),
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
            # The one strict decoder: a damaged body is a ``DecodeError``, never bytes with the
            # junk skipped.
            return self._deliver(decode_base64(attachment.content), sink, progress)
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

    def search_cached(self, text: str, *, limit: int = 200, cancel: threading.Event | None = None) -> list[CachedHit]:
        """Cases whose cached content (comments, notes, decisions, answers, names) has every word.
        ``cancel`` interrupts the query (a newer keystroke superseded it): ``Cancelled``."""
        return self.find_cached(text, limit=limit, cancel=cancel).hits

    def find_cached(self, text: str, *, limit: int = 200, cancel: threading.Event | None = None) -> CachedSearch:
        """``search_cached`` that also says whether the hits were cut at ``limit``."""
        if self.cache is None:
            raise errors.OfflineError("No offline cache: the system keyring is not available.")
        limit = max(1, limit)
        if not text.strip():
            return CachedSearch([], limit, False)
        found = search_cache(self.cache, text, limit=limit, cancel=cancel)
        if self.access_log is not None:
            self.access_log.record(AccessAction.SEARCH)
        return found

    def forget_tokens(self) -> None:
        """Drop the in-memory sign-in tokens (the idle lock): the next request signs in again."""
        self.api.forget_tokens()

    def close_clients(self) -> None:
        """Close the service clients only: wakes requests in flight and back-off sleeps, while
        the cache stays open for workers still writing (``close`` closes everything)."""
        self.api.close()

    def close(self) -> None:
        """Close the service clients and the cache (the repository owns what it was given)."""
        self.api.close()
        if self.access_log is not None:
            self.access_log.close()  # writes what is queued while the cache is still open
        if self.cache is not None:
            self.cache.close()
