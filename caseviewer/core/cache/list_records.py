"""The cached case list: list records as sent, with the columns the list's filters and sorts use.

``ListStore.read`` answers a ``CaseQuery`` with the list service's semantics (statuses OR-ed,
search a case-insensitive substring OR-ed over the fields, a bare end date covering its day, ties
newest first), so offline the table shows what online would have. The WHERE and ORDER BY are
defined once in ``list_view`` (``query_filter``, ``list_order``), which pages the same list by position.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from caseviewer.core import numbers, timestamps
from caseviewer.core.cache import fts_rows, list_view
from caseviewer.core.cache.database import CacheDatabase
from caseviewer.core.cache.rows import JSON, record_json, utc
from caseviewer.core.models import LIST_STATUS_CODES, CaseRecord
from caseviewer.core.list_page import ListedPage
from caseviewer.core.query import CasePage, CaseQuery

_STATUS_IDS = {code: status_id for status_id, code in LIST_STATUS_CODES.items()}
#: Ids per ``IN (...)`` when loading a page's rows.
_CHUNK = 500


class ListSlice(NamedTuple):
    """One slice of the cached case list: the records, how many match, when the oldest was fetched."""

    records: list[CaseRecord]
    total: int
    fetched_at: datetime | None


def raw_list_records(page: CasePage) -> list[dict[str, Any]]:
    """The page's records as the service sent them (aligned with ``page.records``), so what is
    stored is the original and not a re-serialisation; rebuilt from the models when the raw
    list does not line up (the parser dropped entries that were not objects)."""
    raw_records = ((page.raw or {}).get("data") or {}).get("records") if isinstance(page.raw, dict) else None
    if not isinstance(raw_records, list) or len(raw_records) != len(page.records):
        return [record_json(r) for r in page.records]  # type: ignore[misc]
    return raw_records


def _status_id(record: CaseRecord) -> int | None:
    if record.status is not None and record.status.id is not None:
        # An id wider than SQLite's 64-bit INTEGER is not filterable; the raw JSON keeps it.
        return numbers.sql_int(record.status.id)
    return _STATUS_IDS.get(record.status_code)


def _query_key(page: CasePage | ListedPage) -> str:
    """The query without its paging: which list view produced a record."""
    return "&".join(f"{k}={v}" for k, v in page.query.params() if k not in ("page", "items_per_page", "pagination"))


class ListStore:
    """The ``list_records`` table: the newest copy of each case per customer."""

    def __init__(self, db: CacheDatabase) -> None:
        self.db = db

    def put_page(self, customer_id: str, page: CasePage, *, defer_index: bool = False) -> int:
        """Store the records of one list page (the newest copy of each case wins).

        ``defer_index`` queues the new cases' index rows for ``TextIndex.index_backlog`` (a sync)."""
        entries = [
            (offset, record, raw, JSON.encode(raw))
            for offset, (record, raw) in enumerate(zip(page.records, raw_list_records(page)))
        ]
        return self._write(customer_id, page, entries, defer_index=defer_index)

    def put_listed(self, customer_id: str, page: ListedPage, entries: Sequence[tuple[int, str]]) -> int:
        """Store some records of a sync's list page: (index in the page, the record's JSON as
        stored, ``rows.JSON``); their models are built here, for these records alone. Their
        index rows are queued (``TextIndex.index_backlog``), as a sync's are."""
        return self._write(
            customer_id, page,
            [(index, page.record(index), page.raw_records[index], text) for index, text in entries],
            defer_index=True,
        )

    def _write(
        self,
        customer_id: str,
        page: CasePage | ListedPage,
        entries: Sequence[tuple[int, CaseRecord, Any, str]],
        *,
        defer_index: bool,
    ) -> int:
        """Write (offset in the page, model, record as sent, its JSON as stored) rows in one transaction."""
        now = self.db.now()
        key = _query_key(page)
        start = (page.query.page - 1) * page.query.items_per_page if page.query.paginate else 0
        rows, raws = [], []
        for offset, record, raw, text in entries:
            if not record.id:
                continue  # a record without an id cannot be opened or deduplicated
            applicant = record.applicant
            rows.append((
                customer_id, record.id, key, start + offset, now, timestamps.epoch_ms(record.created_at),
                (record.business_name or "").lower(),
                ((applicant.first_name if applicant else None) or "").lower(),
                ((applicant.last_name if applicant else None) or "").lower(),
                _status_id(record), text,
            ))
            raws.append(raw)
        if not rows:
            return 0  # nothing new: no write transaction at all
        with self.db.transaction("saving the case list") as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO list_records (customer_id, case_id, query_key, position, fetched_at, "
                "created_ms, business_fold, first_fold, last_fold, status_id, raw) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            # Cases known only from the list are still findable by business and applicant name;
            # a case with a cached detail keeps its fuller index row.
            with_detail = {
                case_id for (case_id,) in conn.execute(
                    f"SELECT case_id FROM fts_keys WHERE has_detail = 1 AND case_id IN ({','.join('?' * len(rows))})",
                    [row[1] for row in rows],
                )
            }
            if defer_index:
                fts_rows.queue_index(conn, (row[1] for row in rows if row[1] not in with_detail))
            else:
                for row, raw in zip(rows, raws):
                    if row[1] not in with_detail:
                        fts_rows.index_case(conn, row[1], None, raw if isinstance(raw, dict) else None)
        return len(rows)

    def read(self, customer_id: str, query: CaseQuery) -> ListSlice:
        """The slice of the cached list that ``query`` (sort, filters, page) asks the service for;
        every match when ``query.paginate`` is off."""
        size = max(1, query.items_per_page)
        offset = (query.page - 1) * size if query.paginate else 0
        condition, args = list_view.query_filter(customer_id, query)
        order = list_view.list_order(query.sort_field, query.descending)
        with self.db.reading("reading the case list") as conn:
            total = list_view.count_matching(conn, customer_id, query)
            if not query.paginate:
                rows = conn.execute(
                    f"SELECT raw, fetched_at FROM list_records WHERE {condition} ORDER BY {order}", args
                ).fetchall()
            else:
                # Page through ids first: the sort indexes cover them, so a deep OFFSET skips
                # index entries instead of loading thousands of JSON rows only to drop them.
                ids = [case_id for (case_id,) in conn.execute(
                    f"SELECT case_id FROM list_records WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?",
                    [*args, size, offset],
                )]
                rows = self._rows_of(conn, customer_id, ids)
        records = [CaseRecord.model_validate_json(raw) for raw, _ in rows]
        oldest = min((fetched for _, fetched in rows), default=None)
        return ListSlice(records, int(total), utc(oldest))

    @staticmethod
    def _rows_of(conn: Any, customer_id: str, ids: list[str]) -> list[tuple[str, float]]:
        """(raw, fetched_at) of each id, in the order of ``ids``."""
        found = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            found.update((case_id, (raw, fetched)) for case_id, raw, fetched in conn.execute(
                f"SELECT case_id, raw, fetched_at FROM list_records WHERE customer_id = ? "
                f"AND case_id IN ({','.join('?' * len(chunk))})",
                [customer_id, *chunk],
            ))
        return [found[case_id] for case_id in ids if case_id in found]

    def has_any(self, customer_id: str) -> bool:
        with self.db.reading("reading the case list") as conn:
            row = conn.execute("SELECT 1 FROM list_records WHERE customer_id = ? LIMIT 1", (customer_id,)).fetchone()
        return row is not None

    def newest_record(self, case_id: str) -> tuple[CaseRecord, datetime | None] | None:
        """The newest cached list record of a case (from any customer), with when it was fetched."""
        with self.db.reading("reading a case") as conn:
            row = conn.execute(
                "SELECT raw, fetched_at FROM list_records WHERE case_id = ? ORDER BY fetched_at DESC LIMIT 1",
                (case_id,),
            ).fetchone()
        if row is None:
            return None
        return CaseRecord.model_validate(json.loads(row[0])), utc(row[1])


__all__ = ["ListSlice", "ListStore", "raw_list_records"]
