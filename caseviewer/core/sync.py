"""Fetch every case of a customer into the offline cache: list, details, optionally attachments.

The list is paged in (pages of 500, read without building a model for every record:
``core.list_page``) and, as each page arrives, its cases' details are fetched with bounded
concurrency: a thread pool fetches (httpx clients are thread-safe), while the calling thread alone
lists and writes to the cache. The writing is ``core.sync_writer``'s (``BatchWriter``): batches,
each with its "done" marks in one transaction, so a sync killed at any instant leaves a cache that
opens and knows exactly which cases it holds; the next run skips those (unless ``force``) and
carries on. That thread is the sync's narrow part (every fetcher waits for the GIL it holds): a
fetcher prepares each case for storing (``cache.prepare_detail``) so the writer only binds
values, and a list record stored is encoded once, for the list and the detail alike.

A re-sync fetches only what the list says changed: each synced case keeps the fingerprint of the
list record it was synced with (of its text as sent, ``cache.sent_fingerprint``), and a case
listed again with the same fingerprint is neither fetched nor rewritten, nor is its model built
(the fingerprints are read while the first page is on its way). A fingerprint of another form
(one kept by an older version, from the record as stored) never equals one of the text as sent:
such a case is fetched again once, and keeps the new form from then on.
A skipped case's sync mark records that it was confirmed now (the purge by age counts that as a
refresh; all of them in one transaction at the end of the listing), unless it was confirmed
within ``RECONFIRM_AFTER_S``. A change the list record does not show (a detail edited while its
list record stayed the same) is caught when the cached detail is older than ``REFRESH_AFTER_S``
(it is fetched again then, listed unchanged or not), or at once with ``force``.

What counts as what:

* a detail the service does not know (404) is an answer, not a failure: the case is recorded as
  list-only and skipped by later runs;
* a case that fails (5xx, malformed body, one network hiccup) is reported in
  ``SyncReport.failed`` and retried by the next run;
* a list whose paging contradicts itself (a page repeating earlier cases, more cases than its
  total) stops the listing with ``SyncReport.list_problem``; the cases listed so far are synced;
* a document nested too deeply or with invalid JSON fails only its case;
* an auth error, or the network failing many times in a row, stops the sync (with the completed
  batches kept) because every remaining case would fail the same way;
* a cancel (the ``cancel`` event, Ctrl-C) stops after the requests already running; what finished
  is committed.

Each batch also tells the reviewer's change tracker (``observe``, by default
``ReviewerState.observe_documents``) of the newer copies, in the same transaction: a synced case
changed since the reviewer looked shows as updated, and nothing is marked as seen.

The full-text index is not written during the sync (it cost more than the network: 5 ms a case
against 3.6 ms for the request): the cases are queued, and ``core.search_index.build_index`` writes
their index rows afterwards in short transactions while searching keeps working.

Without ``attachments`` the details are fetched with ``documentFormat=url`` so no bodies travel;
the cached copy lists every attachment, and bodies already cached from browsing are kept.
"""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from queue import Empty, SimpleQueue
from dataclasses import dataclass, field

from caseviewer.core import errors
from caseviewer.core.access_log import AccessAction
from caseviewer.core.api import CaseApi
from caseviewer.core.list_page import ListedPage
from caseviewer.core.query import CaseQuery, DocumentFormat
from caseviewer.core.cache import SYNC_LIST_ONLY, CaseCache, fingerprint, prepare_detail, record_text, sent_fingerprint
from caseviewer.core.models import CaseDetail
from caseviewer.core.repository import CaseRepository
from caseviewer.core.reviewer_state import ReviewerState
from caseviewer.core.runtime import short_gil_switch_interval
from caseviewer.core.sync_writer import DEFAULT_BATCH, BatchWriter, Fetched, Observer

log = logging.getLogger(__name__)

LIST_PAGE_SIZE = 500
#: A case listed unchanged is confirmed again (its sync mark's time, which the purge by age
#: reads) only when its last confirmation is older than this: the purge counts in days (so a
#: case may be purged up to this much sooner, never later), and rewriting 10,000 marks cost
#: 0.08-0.1 s of a re-sync repeated within minutes.
RECONFIRM_AFTER_S = 3600.0
#: A case listed unchanged is fetched again anyway once its cached detail is older than this.
#: The list record shows no change made only to the detail (a new comment, a shipping update:
#: the list service sends no "updated" time), so without it such a change waited for a forced
#: sync for ever. A week spreads the refetching of a large cache over its re-syncs as the copies
#: age; "Fetch every case again" (``force``) is the way to everything now.
REFRESH_AFTER_S = 7 * 86400.0
#: This many network failures in a row means the service is gone, not that one case is bad.
MAX_CONSECUTIVE_NETWORK_FAILURES = 10

Progress = Callable[[int, int, int], None]
#: A case no sync finished: (fingerprint, confirmed at, detail fetched at) that matches nothing.
_NO_MARK: tuple[str | None, float, float | None] = (None, 0.0, None)


@dataclass
class SyncReport:
    """What a sync did. ``total`` is the number of listed cases; ``skipped`` were synced before
    and listed unchanged since."""

    total: int = 0
    fetched: int = 0
    skipped: int = 0
    list_only: int = 0
    attachments: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    elapsed: float = 0.0
    #: Why listing stopped early (the list contradicted itself); "" when it was listed to the end.
    list_problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed and not self.cancelled and not self.list_problem


class _Syncer:
    """One run of ``sync_all``; state lives here so the pieces stay small."""

    def __init__(
        self,
        api: CaseApi,
        cache: CaseCache,
        customer_id: str,
        *,
        attachments: bool,
        document_format: DocumentFormat,
        concurrency: int,
        progress: Progress | None,
        cancel: threading.Event | None,
        batch_size: int,
        on_commit: Callable[[list[str]], None] | None,
        observe: Observer | None = None,
    ) -> None:
        self.api = api
        self.cache = cache
        self.customer_id = customer_id
        self.attachments = attachments
        # Bodies only when asked for: the url format lists attachments without carrying them.
        self.document_format = document_format if attachments else DocumentFormat.URL
        self.concurrency = max(1, concurrency)
        self.progress = progress
        self.cancel = cancel
        self.on_commit = on_commit
        self.writer = BatchWriter(cache, customer_id, batch_size=batch_size, keep_bodies=attachments, observe=observe)
        self.stop = threading.Event()  # tells workers to give up; set on cancel or a fatal error
        self.report = SyncReport()
        self.seen: set[str] = set()  # every case id listed so far
        #: Whether cases finished by earlier syncs are skipped when listed unchanged (not ``force``).
        self.resume = True
        #: The sync marks of finished cases (``CaseCache.synced_marks``), read while the first
        #: list page is on its way.
        self.known: dict[str, tuple[str, float]] | None = None
        self._known_ahead: Future[dict[str, tuple[str, float]]] | None = None
        self.unchanged: list[str] = []  # listed as they were synced: skipped
        self.network_failures_in_a_row = 0
        # Requests queued ahead of the pool. Enough that the fetchers keep working while this
        # thread writes a batch (a batch write drained a window of 2 per fetcher and left them
        # idle), few enough that memory stays flat for 100,000 cases. Attachment bodies can be
        # large, so with them the window stays small.
        self.window = self.concurrency * 2 + (0 if attachments else self.writer.batch_size)

    # -- stages --------------------------------------------------------------------------------

    def listed_ids(self) -> Iterator[str]:
        """Every listed case id to fetch, page by page as the list arrives (each page stored
        first); cases listed unchanged since their last sync are counted as skipped instead."""
        assert self.api.list is not None
        pages = self.api.list.iter_listed(CaseQuery(items_per_page=LIST_PAGE_SIZE), cancel=self.cancel)
        reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="caseviewer-sync-marks")
        if self.resume:
            # SQLite lets go of the GIL: the marks are read while the first page travels.
            self._known_ahead = reader.submit(self.cache.synced_marks, self.customer_id)
        reader.shutdown(wait=False)
        try:
            for page in pages:
                # The service's count first, so progress (and a cancelled run's summary) knows the
                # end before this page's cases have been handed out one by one; never more than
                # the pages it claims can hold (the count may be a lie).
                pages_hold = (page.total_pages or 1) * LIST_PAGE_SIZE
                self.report.total = max(self.report.total, min(page.total_items or 0, pages_hold))
                pending, changed = self.classify(page)
                self.cache.put_listed_records(self.customer_id, page, changed)
                yield from pending
                # The service's count, so progress knows the end before the last page is in
                # (never more than one more page can bring: the count may be a lie).
                claimed = min(page.total_items or 0, len(self.seen) + LIST_PAGE_SIZE)
                self.report.total = max(self.report.total, claimed)
                self.report_progress()
        except errors.ListInconsistent as exc:
            # A list that lies stops the listing, not the sync: the cases listed so far are synced.
            log.warning("Case list paging stopped: %s", exc)
            self.report.list_problem = exc.message
        self.report.total = len(self.seen)  # what was really listed
        if self.unchanged:
            # The bookkeeping of every skipped case, in one transaction.
            self.cache.touch_synced(self.customer_id, self.unchanged)
        self.report_progress()

    def classify(self, page: ListedPage) -> tuple[list[str], list[tuple[int, str]]]:
        """The page's new case ids to fetch, and the records to store: (index in the page, JSON
        as stored), every record but those listed as they were synced (skipped, not rewritten).
        A record's fingerprint is taken from its text as sent; only the records stored are
        encoded, once, for the list and the detail alike; no model is built here
        (``put_listed_records`` builds those of the records it stores)."""
        pending: list[str] = []
        changed: list[tuple[int, str]] = []
        if self.known is None:
            self.known = self._known_ahead.result() if self._known_ahead is not None else {}
        known, seen = self.known, self.seen
        now = self.cache.now()
        stale, aged = now - RECONFIRM_AFTER_S, now - REFRESH_AFTER_S
        sent = page.texts
        for index, (case_id, raw) in enumerate(zip(page.ids, page.raw_records)):
            if not case_id:
                continue  # a record without an id cannot be opened or deduplicated
            if case_id in seen:
                # A case created while paging shifts later pages by one: fetch the first
                # sighting, store the newest copy.
                changed.append((index, record_text(raw)))
                continue
            seen.add(case_id)
            # From the text as sent when the page could be cut into records (no encoding of
            # each record just to compare it), else from the text as stored.
            text = None if sent is not None else record_text(raw)
            print_ = sent_fingerprint(sent[index]) if sent is not None else fingerprint(text)
            synced_print, confirmed_at, fetched_at = known.get(case_id, _NO_MARK)
            if synced_print == print_ and (fetched_at is None or fetched_at >= aged):
                if confirmed_at < stale:
                    self.unchanged.append(case_id)  # confirmed now (``touch_synced``)
                self.report.skipped += 1  # progress is reported once per list page
            else:
                text = text if text is not None else record_text(raw)
                changed.append((index, text))
                self.writer.expect(case_id, text, print_)  # stored with its detail as sent, no re-dump
                pending.append(case_id)
        self.report.total = max(self.report.total, len(seen))
        return pending, changed

    def list_all(self) -> list[str]:
        return list(self.listed_ids())

    def fetch(self, case_id: str) -> Fetched:
        """Runs on a pool thread: network only, no cache writes."""
        if self.stop.is_set():
            raise errors.Cancelled("Cancelled.")
        assert self.api.detail is not None
        try:
            raw, text, as_sent = self.api.detail.get_case_document(
                case_id, document_format=self.document_format, cancel=self.stop
            )
        except errors.NotFound:
            return Fetched(case_id, None)
        if not isinstance(raw.get("id"), str) or not raw["id"]:
            # Checked here, not when writing: one bad document must fail its case, not the batch.
            raise errors.SchemaError(
                f"The {self.api.detail.service_name} sent this case without an id.", service=self.api.detail.service_name
            )
        prepared = prepare_detail(raw, text=text, as_sent=as_sent)
        # The change tracker reads the stored text when it is the document; only a document
        # whose inline bodies were taken out is kept as it came.
        fetched = Fetched(case_id, prepared, document=raw if prepared.bodies else None)
        if self.attachments:
            # Only here are the models needed (to find the attachments); a plain sync stores the
            # document as sent and leaves parsing to whoever reads it.
            detail = CaseDetail.from_raw(raw)
            for _, attachment in detail.all_attachments():
                if attachment.content is not None:
                    fetched.attachment_count += 1
                elif attachment.url and attachment.id and not self.cache.has_attachment(attachment.id):
                    buffer = io.BytesIO()  # in memory: attachment bodies never touch disk unencrypted
                    self.api.detail.download(
                        attachment.url, buffer, cancel=self.stop, max_bytes=self.cache.attachment_budget
                    )
                    fetched.bodies.append((attachment.id, buffer.getvalue()))
            fetched.attachment_count += len(fetched.bodies)
        return fetched

    def details(self, pending: Iterable[str]) -> None:
        queue = iter(pending)
        in_flight: dict[Future[Fetched], str] = {}
        # Finished futures arrive here (O(1) per case; wait() re-registered on every future in flight).
        done: SimpleQueue[Future[Fetched]] = SimpleQueue()
        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="caseviewer-sync") as pool:
            try:
                while True:
                    while not self.stop.is_set() and len(in_flight) < self.window:
                        case_id = next(queue, None)
                        if case_id is None:
                            break
                        future = pool.submit(self.fetch, case_id)
                        in_flight[future] = case_id
                        future.add_done_callback(done.put)
                    if not in_flight:
                        break
                    finished = self._next_finished(done, timeout=0.25)
                    if self.cancel is not None and self.cancel.is_set() and not self.stop.is_set():
                        self.report.cancelled = True
                        self.stop.set()
                    for future in finished:
                        self.settle(in_flight.pop(future), future)
                        if self.writer.full:
                            self.flush()
                    if self.writer.due:
                        self.flush()
            except BaseException:
                self.stop.set()
                for future in in_flight:
                    future.cancel()
                raise
            finally:
                # Whatever finished is kept, whether the run ends normally, fails or is interrupted.
                self.flush()

    @staticmethod
    def _next_finished(done: SimpleQueue[Future[Fetched]], timeout: float) -> list[Future[Fetched]]:
        """The futures finished so far, waiting up to ``timeout`` for the first (to notice a cancel)."""
        try:
            finished = [done.get(timeout=timeout)]
        except Empty:
            return []
        while True:
            try:
                finished.append(done.get_nowait())
            except Empty:
                return finished

    def settle(self, case_id: str, future: Future[Fetched]) -> None:
        try:
            fetched = future.result()
        except errors.Cancelled:
            return  # not done: the next run fetches it
        except errors.AuthError:
            self.stop.set()
            raise
        except errors.KnownError as exc:
            self.report.failed.append((case_id, exc.message))
            self.writer.add_failure(case_id, exc.message)
            if isinstance(exc, errors.NetworkError):
                self.network_failures_in_a_row += 1
                if self.network_failures_in_a_row >= MAX_CONSECUTIVE_NETWORK_FAILURES:
                    self.stop.set()
                    raise errors.NetworkError(
                        f"The case service stopped answering during the sync ({exc.message}). The cases "
                        "fetched so far are saved; run the sync again to continue.",
                        service=exc.service,
                    ) from None
        else:
            self.network_failures_in_a_row = 0
            self.writer.add(fetched)
        self.report_progress()

    def flush(self) -> None:
        committed = self.writer.flush()
        if committed is None:
            return
        self.report.fetched += committed.details
        self.report.list_only += committed.list_only
        self.report.attachments += committed.attachments
        if self.on_commit is not None:
            self.on_commit(committed.case_ids)

    def report_progress(self) -> None:
        if self.progress is not None:
            r = self.report
            done = r.skipped + r.fetched + r.list_only + len(r.failed) + self.writer.waiting
            self.progress(done, r.total, len(r.failed))


def sync_all(
    source: CaseRepository | CaseApi,
    cache: CaseCache | None = None,
    customer_id: str | None = None,
    *,
    attachments: bool = False,
    concurrency: int = 4,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    force: bool = False,
    batch_size: int = DEFAULT_BATCH,
    on_commit: Callable[[list[str]], None] | None = None,
    observe: Observer | None = None,
) -> SyncReport:
    """Fetch every case of ``customer_id`` into ``cache``; see the module docstring.

    ``source`` is a repository (its cache and document format are used unless given) or a bare
    ``CaseApi``. ``progress(done, total, failed)`` is called on the calling thread after each case;
    ``on_commit(case_ids)`` after each committed batch. ``observe`` is told the newer copies of
    each batch; by default the reviewer's change tracker (``ReviewerState.observe_documents``), so
    synced cases changed since the reviewer looked show as updated. Raises ``AuthError``/``NetworkError`` when
    the sync cannot go on, ``CacheError`` when the cache cannot be written.
    """
    started = time.monotonic()
    api = source.api if isinstance(source, CaseRepository) else source
    document_format = source.document_format if isinstance(source, CaseRepository) else DocumentFormat.BASE64
    if cache is None and isinstance(source, CaseRepository):
        cache = source.cache
    if cache is None:
        raise errors.ConfigError("Sync needs an offline cache.")
    if api.list is None:
        raise errors.ConfigError("Sync needs the case list service: it is how the cases are found.")
    customer_id = customer_id or api.list.customer_id
    if isinstance(source, CaseRepository) and source.access_log is not None:
        source.access_log.record(AccessAction.SYNC_STARTED)
    syncer = _Syncer(
        api, cache, customer_id,
        attachments=attachments, document_format=document_format, concurrency=concurrency,
        progress=progress, cancel=cancel, batch_size=batch_size, on_commit=on_commit,
        observe=observe if observe is not None else ReviewerState(cache).observe_documents,
    )
    report = syncer.report
    if force:
        cache.reset_sync(customer_id)
    try:
        if api.detail is None:
            # Only the list half is configured: the list records are all there is to cache.
            syncer.resume = not force
            ids = syncer.list_all()
            cache.mark_synced(customer_id, ((case_id, SYNC_LIST_ONLY, "") for case_id in ids), syncer.writer.prints)
            report.list_only = len(ids)
        else:
            # Details are fetched while the list is still paging in, so listing costs no time of
            # its own (it was 8% of a 3,000-case sync).
            syncer.resume = not force
            with short_gil_switch_interval():  # the writer thread would queue for the GIL; see runtime.py
                syncer.details(syncer.listed_ids())
    except errors.Cancelled:
        report.cancelled = True  # cancelled while listing; whatever finished is committed
    report.elapsed = time.monotonic() - started
    log.info(
        "Sync of %d cases: %d fetched, %d skipped, %d list-only, %d failed in %.1f s",
        report.total, report.fetched, report.skipped, report.list_only, len(report.failed), report.elapsed,
    )
    return report


__all__ = ["SyncReport", "sync_all"]
