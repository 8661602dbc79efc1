"""The cached case list as an ordered view the table reads a window at a time.

The table over the offline cache is a view over this store, the way a mail client's list is a
view over its message database: nothing holds every row in Python. For one query (sort, status
filter, dates, search) ``ListView.open`` writes the matching case ids, in order, into a temporary
table whose row id is the position (SQLite's ``INSERT ... SELECT ... ORDER BY`` numbers them in
order). Any window of rows is then one primary-key range read joined to the records, whatever its
position: a drag of the scrollbar to row 900,000 costs what row 0 does. ``head`` answers the
first rows and the count straight from the indexes while the view is still being written, so the
first screenful does not wait for a million ids.

The temporary table lives in memory (the cache sets ``temp_store=MEMORY``) on a connection of
its own that the cache opens with its key: no plain text reaches the disk, and its ids (a few tens
of megabytes for a million cases) are freed when the next query replaces it.

Filters and orders have the list service's semantics; ``list_filter`` and ``list_order`` are the
one definition, used by ``CaseCache.list_records`` too. Schema v6 gives every order a covering
index that includes the status id, so a filtered order is one index scan.

The reviewer's own triage views (New, Updated since I looked, Flagged) are conditions on the
same SQL (``Triage``): the services cannot filter by the reviewer's state, but the cache holds it
beside the list (``reviewer_seen``, ``reviewer_notes``), so a triage view over a million cached
cases is one more condition, and its count is a count, not a pass over rows in Python.

All of it is SQL: it runs on workers, never on the GUI thread.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime, time as dtime, timezone
from typing import Any, NamedTuple

from caseviewer.core.query import CaseQuery, SearchField, SortField
from caseviewer.core.errors import Cancelled
from caseviewer.core.views import TriageFilter

Connection = Any  # a sqlcipher3 connection (this module needs no driver import)

_SEARCH_COLUMNS = {
    SearchField.BUSINESS_NAME: "business_fold",
    SearchField.CASE_ID: "lower(case_id)",
    SearchField.FIRST_NAME: "first_fold",
    SearchField.LAST_NAME: "last_fold",
}
#: SQLite virtual-machine steps between two looks at a cancel event while a view is written.
_PROGRESS_STEPS = 20_000
_view_numbers = itertools.count(1)


def bound_ms(value: date | datetime, *, end: bool) -> int:
    """A CaseQuery date bound in ms, as the list service reads it: a bare end date covers its day."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    else:
        moment = datetime.combine(value, dtime.max if end else dtime.min, tzinfo=timezone.utc)
    ms = moment.timestamp() * 1000
    return math.floor(ms) if end else math.ceil(ms)


def list_filter(
    customer_id: str,
    *,
    statuses: Iterable[int] = (),
    search: str = "",
    search_fields: Iterable[SearchField] = (SearchField.BUSINESS_NAME,),
    created_from: date | datetime | None = None,
    created_to: date | datetime | None = None,
) -> tuple[str, list[Any]]:
    """The WHERE condition (over ``list_records``) and its arguments.

    Statuses are OR-ed ids; search is a case-insensitive substring OR-ed over the fields.
    """
    where = ["customer_id = ?"]
    args: list[Any] = [customer_id]
    statuses = tuple(statuses)
    if statuses:
        where.append(f"status_id IN ({','.join('?' * len(statuses))})")
        args += statuses
    if created_from is not None:
        where.append("created_ms >= ?")
        args.append(bound_ms(created_from, end=False))
    if created_to is not None:
        where.append("created_ms <= ?")
        args.append(bound_ms(created_to, end=True))
    needle = search.strip().lower()
    if needle:
        columns = [_SEARCH_COLUMNS[SearchField(f)] for f in search_fields]
        if columns:
            where.append("(" + " OR ".join(f"instr({c}, ?) > 0" for c in columns) + ")")
            args += [needle] * len(columns)
    return " AND ".join(where), args


def list_order(sort: SortField, descending: bool) -> str:
    """The ORDER BY of a sort, as the service orders it; ties keep newest-first order.

    Orders the v6 indexes serve (a record without created_at sorts as the oldest).
    """
    direction = "DESC" if descending else "ASC"
    if SortField(sort) is SortField.BUSINESS_NAME:
        return f"business_fold {direction}, created_ms DESC, case_id"
    return f"created_ms {direction}, case_id {direction}"


def query_filter(customer_id: str, query: CaseQuery) -> tuple[str, list[Any]]:
    """``list_filter`` for the filters of a list query."""
    return list_filter(customer_id, statuses=query.statuses, search=query.search,
                       search_fields=query.search_fields, created_from=query.created_from,
                       created_to=query.created_to)


def count_matching(conn: Connection, customer_id: str, query: CaseQuery) -> int:
    """How many cached cases ``query``'s filters match.

    Without a search or dates the answer is a sum over the kept counts (schema v10, a few rows
    whatever the size of the list); otherwise ``count(*)`` over the filter's index range.
    """
    if query.search.strip() or query.created_from is not None or query.created_to is not None:
        condition, args = query_filter(customer_id, query)
        (total,) = conn.execute(f"SELECT count(*) FROM list_records WHERE {condition}", args).fetchone()
        return int(total)
    sql, args = "SELECT coalesce(sum(cases), 0) FROM list_counts WHERE customer_id = ?", [customer_id]
    statuses = tuple(query.statuses)
    if statuses:
        sql += f" AND status_known = 1 AND status_id IN ({','.join('?' * len(statuses))})"
        args += statuses
    (total,) = conn.execute(sql, args).fetchone()
    return int(total)


class Triage(NamedTuple):
    """A triage view as a condition on the list: which view, and for "updated" the ids that are
    (whether a case changed since the reviewer looked is a comparison of fingerprints, made in
    Python by ``ReviewerState.updated_ids``; the other two views are plain SQL)."""

    view: TriageFilter = TriageFilter.ALL
    updated_ids: tuple[str, ...] = ()


EVERY_CASE = Triage()

#: Cases the reviewer has opened (or marked read): every other case is new to them.
_SEEN = "case_id IN (SELECT case_id FROM reviewer_seen)"
#: The small triage sets (flagged, updated: cases the reviewer touched) drive the read: each of
#: their ids is looked up by the primary key and the few found are sorted. Walking the order's
#: index over a million cases to find a hundred took seconds (an ``IN`` probe per case).
_FLAGGED_IDS = "SELECT case_id AS picked_id FROM reviewer_notes WHERE flag IS NOT NULL"
_GIVEN_IDS = "SELECT value AS picked_id FROM json_each(?)"
_PICKED = "({ids}) AS picked CROSS JOIN list_records ON list_records.case_id = picked.picked_id"


class Source(NamedTuple):
    """What a triage view reads: the FROM clause with its arguments, and a WHERE condition to
    add ("" for none). The columns are ``list_records``' under their own names."""

    tables: str
    args: list[Any]
    condition: str = ""


def triage_source(triage: Triage) -> Source:
    """Where the cases of a triage view come from."""
    view = TriageFilter(triage.view)
    if view is TriageFilter.NEW:
        return Source("list_records", [], f"NOT {_SEEN}")
    if view is TriageFilter.FLAGGED:
        return Source(_PICKED.format(ids=_FLAGGED_IDS), [])
    if view is TriageFilter.UPDATED:
        return Source(_PICKED.format(ids=_GIVEN_IDS), [json.dumps(list(triage.updated_ids))])
    return Source("list_records", [])


def triage_select(columns: str, customer_id: str, query: CaseQuery, triage: Triage) -> tuple[str, list[Any]]:
    """``SELECT columns FROM … WHERE …`` for the cases ``query`` and a triage view match."""
    condition, args = query_filter(customer_id, query)
    source = triage_source(triage)
    if source.condition:
        condition = f"{condition} AND {source.condition}"
    return f"SELECT {columns} FROM {source.tables} WHERE {condition}", [*source.args, *args]


def count_triage(conn: Connection, customer_id: str, query: CaseQuery, triage: Triage) -> int:
    """How many cached cases ``query`` and a triage view match together."""
    if TriageFilter(triage.view) is TriageFilter.ALL:
        return count_matching(conn, customer_id, query)
    if TriageFilter(triage.view) is TriageFilter.NEW:
        # Every match less the seen ones: the seen cases are few (the reviewer opened them), so
        # this counts by looking each up, where "NOT seen" would walk every match.
        condition, args = query_filter(customer_id, query)
        (seen,) = conn.execute(f"SELECT count(*) FROM list_records WHERE {condition} AND {_SEEN}", args).fetchone()
        return count_matching(conn, customer_id, query) - int(seen)
    sql, args = triage_select("count(*)", customer_id, query, triage)
    (total,) = conn.execute(sql, args).fetchone()
    return int(total)


class StoredRow(NamedTuple):
    """One row of a view: its case id and the list record as the service sent it (JSON text);
    ``raw`` is None when the case left the cache after the view was written."""

    case_id: str
    raw: str | None


class Head(NamedTuple):
    """The first rows of a query and how many rows it has, read without writing a view;
    ``oldest_fetch`` is when the oldest of those rows was cached (epoch seconds; None: no rows)."""

    total: int
    rows: list[StoredRow]
    oldest_fetch: float | None = None


def head(conn: Connection, customer_id: str, query: CaseQuery, limit: int, triage: Triage = EVERY_CASE) -> Head:
    """The count and the first ``limit`` rows of ``query`` (and a triage view), from the indexes."""
    total = count_triage(conn, customer_id, query, triage)
    sql, args = triage_select("case_id, raw, fetched_at", customer_id, query, triage)
    rows = conn.execute(f"{sql} ORDER BY {list_order(query.sort_field, query.descending)} LIMIT ?",
                        [*args, limit]).fetchall()
    oldest = min((fetched for _, _, fetched in rows), default=None)
    return Head(total, [StoredRow(case_id, raw) for case_id, raw, _ in rows], oldest)


class ListView:
    """Ordered views of the cached list on one private connection (``connect`` opens it keyed).

    One view at a time: ``open`` replaces the previous one. Calls are serialised by a lock, so
    any worker thread may make them; ``close`` drops the view and the connection.
    """

    def __init__(self, connect: Callable[[], Connection]) -> None:
        self._connect = connect
        self._conn: Connection | None = None
        self._lock = threading.Lock()
        self._table: str | None = None
        self._customer_id = ""
        self.view_id = 0  # which ``open`` the current view answers (0: none)
        self.total = 0

    def _connection(self) -> Connection:
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def _drop(self, conn: Connection) -> None:
        if self._table is not None:
            conn.execute(f"DROP TABLE IF EXISTS temp.{self._table}")
            self._table = None
            self.view_id = 0

    def open(self, customer_id: str, query: CaseQuery, *, triage: Triage = EVERY_CASE,
             cancel: threading.Event | None = None) -> tuple[int, int]:
        """Write the view of ``query`` (and a triage view); returns (view id, number of rows).
        ``Cancelled`` when ``cancel`` is set meanwhile (the half-written view is dropped)."""
        select, args = triage_select("case_id", customer_id, query, triage)
        order = list_order(query.sort_field, query.descending)
        with self._lock:
            conn = self._connection()
            self._drop(conn)
            number = next(_view_numbers)
            table = f"case_view_{number}"
            conn.execute(f"CREATE TEMP TABLE {table} (pos INTEGER PRIMARY KEY, case_id TEXT NOT NULL)")
            self._table = table
            if cancel is not None:
                conn.set_progress_handler(cancel.is_set, _PROGRESS_STEPS)
            try:
                # (``list_records`` is main's: the connection's temporary tables are the views.)
                conn.execute(f"INSERT INTO temp.{table} (case_id) {select} ORDER BY {order}", args)
            except Exception:
                self._drop(conn)
                if cancel is not None and cancel.is_set():
                    raise Cancelled("The list view was superseded.") from None
                raise
            finally:
                if cancel is not None:
                    conn.set_progress_handler(None, 0)
            if cancel is not None and cancel.is_set():  # superseded before the handler looked
                self._drop(conn)
                raise Cancelled("The list view was superseded.")
            (total,) = conn.execute(f"SELECT count(*) FROM temp.{table}").fetchone()
            self._customer_id = customer_id
            self.view_id, self.total = number, int(total)
            return number, self.total

    def _read(self, view_id: int, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]] | None:
        """The rows of ``sql`` over view ``view_id`` (``{view}`` names its table), read under the
        lock; None when that view has been replaced (the caller's answer is stale)."""
        with self._lock:
            if view_id != self.view_id or self._table is None:
                return None
            return self._connection().execute(sql.format(view=f"temp.{self._table}"), args).fetchall()

    def rows(self, view_id: int, first: int, count: int) -> list[StoredRow] | None:
        """Rows ``first`` .. ``first + count - 1`` (0-based) of view ``view_id``, in order;
        None when that view has been replaced (the caller's answer is stale)."""
        found = self._read(
            view_id,
            "SELECT v.case_id, l.raw FROM {view} v "
            "LEFT JOIN main.list_records l ON l.customer_id = ? AND l.case_id = v.case_id "
            "WHERE v.pos BETWEEN ? AND ? ORDER BY v.pos",
            (self._customer_id, first + 1, first + count),
        )
        return None if found is None else [StoredRow(case_id, raw) for case_id, raw in found]

    def case_ids(self, view_id: int) -> list[str] | None:
        """Every case id of view ``view_id``, in order (e.g. to mark them all read); None when
        that view has been replaced."""
        found = self._read(view_id, "SELECT case_id FROM {view} ORDER BY pos")
        return None if found is None else [case_id for (case_id,) in found]

    def next_among(self, view_id: int, row: int, delta: int, case_ids: Iterable[str]) -> int | None:
        """The row (0-based) of view ``view_id`` nearest after ``row`` (``delta`` 1) or before it
        (-1) whose case is one of ``case_ids``; None when there is none, or the view has been
        replaced. ``row`` may be -1 or the row count (from the top, from the bottom).

        The ids are few (the reviewer's updated cases): they go in as one JSON array and the
        view is walked by position from ``row``, each case probed against them, so the walk
        ends at the first found (a million rows to the far end: ~0.25 s, on a worker)."""
        ids = list(case_ids)
        if not ids:
            return None
        after = delta > 0
        found = self._read(
            view_id,
            f"SELECT pos FROM {{view}} WHERE pos {'>' if after else '<'} ? "
            "AND case_id IN (SELECT value FROM json_each(?)) "
            f"ORDER BY pos {'' if after else 'DESC'} LIMIT 1",
            (row + 1, json.dumps(ids)),
        )
        return found[0][0] - 1 if found else None

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
            self._table, self.view_id = None, 0
        if conn is not None:
            conn.close()


__all__ = [
    "EVERY_CASE", "Head", "ListView", "Source", "StoredRow", "Triage", "bound_ms", "count_matching", "count_triage",
    "head", "list_filter", "list_order", "query_filter", "triage_select", "triage_source",
]
