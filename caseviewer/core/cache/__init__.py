"""The encrypted offline cache: one SQLCipher database per profile, one store per kind of data.

Everything fetched from the services is written here so a reviewer can keep reading when the
network or a service is gone. The data is PHI; the rules for the file (key, encryption, secure
delete, threads, transactions) are in ``database.py``.

The package, one job per module:

* ``database``: ``CacheDatabase``, the file, its key and pragmas, per-thread connections,
  transactions; ``failures`` turns SQLite result codes into the ``CacheError`` a reviewer reads.
* ``list_records`` (the case list), ``details`` (case documents), ``attachments`` (bodies under a
  budget), ``text_index`` (full-text search), ``sync_state`` (resumable sync),
  ``housekeeping`` (purge, clear), ``files`` (where the file lives, removing it).
* ``schema``: the migrations (append-only); ``fts_rows``: what the full-text index holds for a case.

``CaseCache`` composes them for one profile: its stores are attributes (``cache.lists``,
``cache.details``...), and its methods are the one-line doors the callers use.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from caseviewer.core.cache import housekeeping
from caseviewer.core.cache.attachments import DEFAULT_ATTACHMENT_BUDGET, AttachmentStore
from caseviewer.core.cache.database import CacheDatabase
from caseviewer.core.cache.details import CachedDetail, DetailStore, PreparedDetail, prepare_detail
from caseviewer.core.cache.files import cache_path, delete_cache_files, safe_profile_name
from caseviewer.core.cache.list_view import EVERY_CASE, Head, ListView, StoredRow, Triage, count_triage, head as list_head
from caseviewer.core.cache.list_records import ListSlice, ListStore, raw_list_records
from caseviewer.core.cache.rows import SENT_PREFIX, fingerprint, record_fingerprint, record_text, sent_fingerprint
from caseviewer.core.cache.sync_state import SyncState, SyncStateStore
from caseviewer.core.cache.text_index import HIT_END, HIT_START, INDEX_BATCH, TextHit, TextIndex
from caseviewer.core.errors import CacheError
from caseviewer.core.models import CaseRecord
from caseviewer.core.list_page import ListedPage
from caseviewer.core.query import CasePage, CaseQuery

#: The sync states by their old names (``SyncState`` members).
SYNC_DONE, SYNC_LIST_ONLY, SYNC_FAILED = SyncState.DONE, SyncState.LIST_ONLY, SyncState.FAILED


class CaseCache:
    """The offline store of one profile: the database and its stores."""

    def __init__(
        self,
        profile_name: str | None = None,
        key: bytes = b"",
        *,
        path: str | os.PathLike[str] | None = None,
        attachment_budget: int = DEFAULT_ATTACHMENT_BUDGET,
        max_size_bytes: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``max_size_bytes`` caps the database (a quota: writes past it fail like a full disk);
        ``clock`` gives the "now" stored as cached/fetched/used times (injectable for tests)."""
        if path is None and profile_name is None:
            raise CacheError("The offline cache needs a profile name or a path.")
        self.db = CacheDatabase(
            Path(path) if path is not None else cache_path(profile_name or ""),
            key,
            max_size_bytes=max_size_bytes,
            clock=clock,
        )
        self.attachments = AttachmentStore(self.db, attachment_budget)
        self.lists = ListStore(self.db)
        self.details = DetailStore(self.db, self.attachments)
        self.text = TextIndex(self.db)
        self.sync_state = SyncStateStore(self.db)

    # -- the database ----------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def attachment_budget(self) -> int:
        return self.attachments.budget

    def now(self) -> float:
        """The cache's clock (seconds since the epoch): what other tables in the file store."""
        return self.db.now()

    @contextmanager
    def transaction(self, doing: str = "saving") -> Iterator[Any]:
        """One write transaction; every store's writes join it (``CacheDatabase.transaction``)."""
        with self.db.transaction(doing) as conn:
            yield conn

    def open_list_view(self) -> ListView:
        """An ordered view of the cached list on a keyed connection of its own (its temporary
        tables live there); the caller closes it. See ``list_view.ListView``."""
        return ListView(self.db.new_connection)

    def list_head(self, customer_id: str, query: CaseQuery, limit: int, triage: Triage = EVERY_CASE) -> Head:
        """The count and the first ``limit`` rows of ``query`` (and a triage view), from the indexes."""
        with self.reading("reading the case list") as conn:
            return list_head(conn, customer_id, query, limit, triage)

    def count_listed(self, customer_id: str, query: CaseQuery, triage: Triage) -> int:
        """How many cached cases ``query`` and a triage view match together."""
        with self.reading("counting cached cases") as conn:
            return count_triage(conn, customer_id, query, triage)

    @contextmanager
    def reading(self, doing: str = "reading the cache") -> Iterator[Any]:
        """This thread's connection for reads, with SQLite errors turned into ``CacheError``."""
        with self.db.reading(doing) as conn:
            yield conn

    def close(self) -> None:
        """Close every thread's connection. Safe to call twice."""
        self.db.close()

    def __enter__(self) -> "CaseCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def size_bytes(self) -> int:
        return self.db.size_bytes()

    def schema_version(self) -> int:
        return self.db.schema_version()

    # -- the case list ---------------------------------------------------------------------

    def put_list_page(self, customer_id: str, page: CasePage, *, defer_index: bool = False) -> int:
        return self.lists.put_page(customer_id, page, defer_index=defer_index)

    def put_listed_records(self, customer_id: str, page: ListedPage, entries: Sequence[tuple[int, str]]) -> int:
        return self.lists.put_listed(customer_id, page, entries)


    def list_for_query(self, customer_id: str, query: CaseQuery) -> ListSlice:
        return self.lists.read(customer_id, query)

    def has_list(self, customer_id: str) -> bool:
        return self.lists.has_any(customer_id)

    def get_record(self, case_id: str) -> tuple[CaseRecord, datetime | None] | None:
        """The newest cached list record of a case (from any customer), with when it was fetched;
        else the record kept with its detail."""
        return self.lists.newest_record(case_id) or self.details.record(case_id)

    # -- details, bodies, full text --------------------------------------------------------

    def put_detail(self, detail_raw: dict[str, Any], record: CaseRecord | dict[str, Any] | None = None,
                   *, keep_bodies: bool = True, defer_index: bool = False, text: str | None = None,
                   as_sent: str | None = None) -> str:
        return self.details.put(detail_raw, record, keep_bodies=keep_bodies, defer_index=defer_index, text=text,
                                as_sent=as_sent)

    def put_prepared_details(
        self, details: Sequence[tuple[PreparedDetail, str | None]], *, keep_bodies: bool = True
    ) -> None:
        """Store a sync's batch of prepared documents, their index rows queued (``DetailStore.put_prepared``)."""
        self.details.put_prepared(details, keep_bodies=keep_bodies)

    def get_detail(self, case_id: str | None = None, email: str | None = None) -> CachedDetail | None:
        return self.details.get(case_id, email)

    def detail_count(self) -> int:
        return self.details.count()

    def put_attachment(self, attachment_id: str, body: bytes, *, case_id: str | None = None) -> bool:
        return self.attachments.put(attachment_id, body, case_id=case_id)

    def get_attachment(self, attachment_id: str) -> bytes | None:
        return self.attachments.get(attachment_id)

    def has_attachment(self, attachment_id: str) -> bool:
        return self.attachments.has(attachment_id)

    def attachment_bytes(self) -> int:
        return self.attachments.total_bytes()

    def search_text(self, query: str, limit: int = 50, *, cancel: threading.Event | None = None) -> list[TextHit]:
        return self.text.search(query, limit, cancel=cancel)

    def index_backlog(self, limit: int = INDEX_BATCH) -> tuple[int, int]:
        return self.text.index_backlog(limit)

    def backlog_count(self) -> int:
        return self.text.backlog_count()

    # -- sync state ------------------------------------------------------------------------

    def mark_synced(
        self,
        customer_id: str,
        entries: Iterable[tuple[str, SyncState, str]],
        fingerprints: Mapping[str, str] | None = None,
    ) -> None:
        self.sync_state.mark(customer_id, entries, fingerprints)

    def touch_synced(self, customer_id: str, case_ids: Iterable[str]) -> None:
        self.sync_state.touch(customer_id, case_ids)

    def synced_fingerprints(self, customer_id: str) -> dict[str, str]:
        return self.sync_state.finished_fingerprints(customer_id)

    def synced_marks(self, customer_id: str) -> dict[str, tuple[str, float, float | None]]:
        return self.sync_state.finished_marks(customer_id)

    def synced_case_ids(self, customer_id: str) -> set[str]:
        return self.sync_state.finished_case_ids(customer_id)

    def sync_counts(self, customer_id: str) -> dict[SyncState, int]:
        return self.sync_state.counts(customer_id)

    def reset_sync(self, customer_id: str) -> None:
        self.sync_state.reset(customer_id)

    # -- housekeeping ----------------------------------------------------------------------

    def purge_older_than(self, days: float) -> int:
        return housekeeping.purge_older_than(self.db, days)

    def clear(self) -> None:
        housekeeping.clear(self.db)


__all__ = [
    "SENT_PREFIX",
    "CachedDetail",
    "CaseCache",
    "DEFAULT_ATTACHMENT_BUDGET",
    "HIT_END",
    "HIT_START",
    "Head",
    "ListSlice",
    "ListView",
    "PreparedDetail",
    "StoredRow",
    "SYNC_DONE",
    "SYNC_FAILED",
    "SYNC_LIST_ONLY",
    "SyncState",
    "TextHit",
    "cache_path",
    "delete_cache_files",
    "fingerprint",
    "prepare_detail",
    "raw_list_records",
    "record_fingerprint",
    "record_text",
    "sent_fingerprint",
    "safe_profile_name",
]
