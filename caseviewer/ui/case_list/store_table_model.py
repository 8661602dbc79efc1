"""The case table as a view over the offline cache: every cached case listed, a window held.

``CaseTableModel`` holds the rows the list service sent, page by page. Over the cache that does
not scale: a million cached cases would be a million rows in memory. ``StoreTableModel`` keeps
the same columns, roles and entry points (``record``, ``case_id``, ``row_of``, ``reset_for_query``)
but lists every case the query matches at once and holds only the windows of rows recently
drawn; the rows live in the cache's list view (``CaseCache.open_list_view``) (SQLCipher, a temporary table in memory).

For a query it asks two things of the workers, in turn: the count and first window straight
from the indexes (``head``: the first screenful does not wait; the count is a sum of the kept
per-status counts), then the ordered view (the head goes first so the two do not share the cores). A row
that is drawn before its window is here shows blank (a placeholder) and asks for its window;
the asks of one paint are gathered into one task on a channel, so when the scrollbar is dragged
only the rows where it stops are read (older windows arrive stale and are dropped). A window is
parsed into display strings on the worker: the GUI thread only looks rows up.

``row_of`` and ``record`` answer for the rows held (the GUI thread never runs SQL); selection
and triage marks need only those, as they concern rows on screen (``rows_held`` tells the triage
controller which ids to read marks for). A triage view (New, Updated since I looked, Flagged) is
part of the query here (``set_triage_view``): SQL over the cache, not rows hidden in the table;
its counts arrive after the head (``triage_counted``).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, NamedTuple

from PySide6.QtCore import QModelIndex, QTimer, Signal

from caseviewer.core.cached_list import CachedList
from caseviewer.core.query import CaseQuery
from caseviewer.core.errors import CacheError, KnownError
from caseviewer.core.views import TriageFilter
from caseviewer.core.models import CaseRecord
from caseviewer.core.packed_rows import unpack_record
from caseviewer.ui.case_list.case_table_model import CaseTableModel
from caseviewer.ui.case_list.kept_roles_model import ACCESSIBLE_TEXT, DISPLAY, AnyIndex
from caseviewer.ui.case_list.row_texts import RowView, display_text, row_view
from caseviewer.ui.guard import guarded
from caseviewer.ui.workers import cancellable

#: Rows read at once. A screen shows 30-80; a window of 64 is read and parsed in ~5-8 ms on a
#: worker at a million cases (256 took ~35 ms: each row is a random lookup into the records, and
#: a drag of the scrollbar waits for the window where it stops).
WINDOW_ROWS = 64
#: Windows held (the least recently drawn goes first): 64 x 64 rows is a few megabytes.
KEEP_WINDOWS = 64


class HeldRow(NamedTuple):
    """One row as the worker made it: its id, the record's JSON and its display strings."""

    case_id: str
    raw: str | None
    view: RowView


_GONE = RowView(("", "", "", "", "", "", "", "", "", ""), "", None)


def hold_rows(rows: list[Any]) -> list[HeldRow]:
    """Worker side: the display strings of stored rows (the cache's ``StoredRow``: case id, raw
    JSON); a record that cannot be read shows its id."""
    held = []
    for stored in rows:
        view = _GONE._replace(texts=(*_GONE.texts[:4], display_text(stored.case_id), *_GONE.texts[5:]))
        if stored.raw is not None:
            try:
                view = row_view(unpack_record(stored.raw))
            except ValueError:
                pass  # shown by its id; the case page says what is wrong with it
        held.append(HeldRow(stored.case_id, stored.raw, view))
    return held


class HeadAnswer(NamedTuple):
    """The worker's answer to a new query: the count, the first rows, and what they came with."""

    total: int
    rows: list[HeldRow]
    triage: Any  # core.cache.Triage: the triage view resolved, for writing the view
    cached_at: Any  # datetime | None


def _in_cache_words(action):  # noqa: ANN001, ANN202 - a worker call
    """A SQLite error in the cache's words (errors of our own pass as they are)."""
    try:
        return action()
    except KnownError:
        raise
    except Exception as exc:
        raise CacheError(f"The offline cache failed while listing cases: {exc}.") from None


def read_head(source: CachedList, query: CaseQuery, view: TriageFilter) -> HeadAnswer:
    head = _in_cache_words(lambda: source.head(query, WINDOW_ROWS, view))
    return HeadAnswer(head.total, hold_rows(head.rows), head.triage, head.cached_at)


def open_view(source: CachedList, store: Any, query: CaseQuery, triage: Any, *, cancel=None) -> tuple[int, int]:  # noqa: ANN001
    return _in_cache_words(lambda: source.open_view(store, query, triage, cancel=cancel))


def count_triage(source: CachedList, query: CaseQuery) -> dict[TriageFilter, int]:
    return _in_cache_words(lambda: source.triage_counts(query))


def read_windows(store: Any, view_id: int, windows: list[int]) -> dict[int, list[HeldRow]] | None:
    out = {}
    for window in windows:
        rows = store.rows(view_id, window * WINDOW_ROWS, WINDOW_ROWS)
        if rows is None:
            return None  # the view was replaced meanwhile
        out[window] = hold_rows(rows)
    return out


class StoreTableModel(CaseTableModel):
    """Every cached case of the query, read from the cache a window at a time."""

    #: Rows ``first`` .. ``last`` were read and are shown (tests and benchmarks wait on it).
    window_loaded = Signal(int, int)
    #: The ordered view of the current query is written: any row can now be read.
    view_ready = Signal(int)
    #: The first rows of the current query are shown (its row count is known).
    head_loaded = Signal(int)
    #: Case ids whose rows just arrived (the triage controller reads their marks).
    rows_held = Signal(object)
    #: {TriageFilter: cases} of the current query's triage views (after the head).
    triage_counted = Signal(object)

    CHANNEL_HEAD = "store-head"
    CHANNEL_VIEW = "store-view"
    CHANNEL_WINDOWS = "store-windows"
    CHANNEL_COUNTS = "store-counts"

    def __init__(self, runner, source: CachedList, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._runner = runner
        self._source = source
        self._store = source.open_store()
        self._triage_view = TriageFilter.ALL
        self._triage: Any = None  # the resolved triage of the current query (from the head)
        self._count_triage = False
        self._stopped = False
        #: When the oldest of the first rows was cached (the offline banner's "cached … ago").
        self.cached_at = None
        self._total = 0
        self._generation = 0
        self._view_id = 0
        self._windows: OrderedDict[int, list[HeldRow]] = OrderedDict()
        self._held_rows: dict[str, int] = {}
        self._wanted: set[int] = set()
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(0)
        self._flush.timeout.connect(self._ask_windows)

    # -- state ------------------------------------------------------------------------------

    @property
    def loaded_count(self) -> int:
        return self._total

    @property
    def is_loading(self) -> bool:
        return self._query is not None and self._total_items is None and self._error is None

    @property
    def is_view_ready(self) -> bool:
        return self._view_id != 0

    @property
    def holds_all_rows(self) -> bool:
        return False  # the rows live in the cache; an export reads them from there

    @property
    def triage_view(self) -> TriageFilter:
        return self._triage_view

    def set_triage_view(self, view: TriageFilter, *, counted: bool = True) -> None:
        """List only the cases of a triage view (ALL: every case); ``counted``: also count each
        triage view for the views bar. Lists again when the view changes."""
        view = TriageFilter(view)
        self._count_triage = counted
        if view is not self._triage_view:
            self._triage_view = view
            if self._query is not None:
                self.reset_for_query(self._query)

    def recount_triage(self) -> None:
        """Count the triage views again (the reviewer's marks changed); rows stay as they are."""
        if self._count_triage and self._query is not None:
            source, query = self._source, self._query
            self._submit(lambda _context: count_triage(source, query), channel=self.CHANNEL_COUNTS,
                                on_result=self.triage_counted.emit, on_error=lambda _failure: None)

    def count_text(self) -> str:
        if self._query is None:
            return ""
        if self._total_items is None:
            return "" if self._error is not None else "Loading cases…"
        if self._total == 0:
            return "No cases"
        return f"{self._total:,} cached {'case' if self._total == 1 else 'cases'}"

    # -- queries ----------------------------------------------------------------------------

    def reset_for_query(self, query: CaseQuery) -> None:
        """List ``query``'s cases (its sort and filters; paging does not apply)."""
        self._generation += 1
        generation = self._generation
        self.beginResetModel()
        self._query = query.with_page(1)
        self._forget_rows()
        self._total, self._view_id = 0, 0
        self._total_pages = self._total_items = None
        self._error = self._failed_query = None
        self.endResetModel()
        self.loading_changed.emit(True)
        self.state_changed.emit()
        source, query, view = self._source, self._query, self._triage_view
        self._submit(lambda _context: read_head(source, query, view), channel=self.CHANNEL_HEAD,
                            on_result=lambda answer: self._head_arrived(generation, answer),
                            on_error=lambda failure: self._failed(generation, failure))

    def _write_view(self, generation: int) -> None:
        source, store, query, triage = self._source, self._store, self._query, self._triage
        self._submit(cancellable(open_view, source, store, query, triage), channel=self.CHANNEL_VIEW,
                            on_result=lambda answer: self._view_arrived(generation, answer),
                            on_error=lambda failure: self._failed(generation, failure))

    def retry(self) -> None:
        if self._error is not None and self._query is not None:
            self.reset_for_query(self._query)

    def clear(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._query = None
        self._forget_rows()
        self._total, self._view_id = 0, 0
        self._total_pages = self._total_items = None
        self._error = self._failed_query = None
        self.endResetModel()
        self.state_changed.emit()

    def _submit(self, task, **kwargs) -> None:  # noqa: ANN001 - the runner's arguments
        if not self._stopped:  # a timer may fire after the window stopped its workers
            self._runner.submit(task, **kwargs)

    def stop(self) -> None:
        """No more work (the window is shutting down); answers still on their way are dropped."""
        self._stopped = True
        self._generation += 1
        self._flush.stop()

    def close(self) -> None:
        """Drop the view and its connection (the window is closing; no worker uses it any more)."""
        self.stop()
        self._store.close()

    def _forget_rows(self) -> None:
        self._windows.clear()
        self._held_rows.clear()
        self._wanted.clear()
        self._flush.stop()

    def _head_arrived(self, generation: int, answer: HeadAnswer) -> None:
        if generation != self._generation:
            return
        total, rows = answer.total, answer.rows
        self._triage, self.cached_at = answer.triage, answer.cached_at
        if total:
            self.beginInsertRows(QModelIndex(), 0, total - 1)
            self._total = total
            self._hold(0, rows)
            self.endInsertRows()
        self._total_items = total
        self._total_pages = 1
        self.loading_changed.emit(False)
        self.state_changed.emit()
        self.head_loaded.emit(total)
        if rows:
            self.rows_held.emit([held.case_id for held in rows])
        self._write_view(generation)
        self.recount_triage()

    def _view_arrived(self, generation: int, answer: tuple[int, int]) -> None:
        if generation != self._generation:
            return
        view_id, total = answer
        if self._total_items is not None and total != self._total:
            # The cache changed between the count and the view: the view is what rows show.
            self.beginResetModel()
            self._forget_rows()
            self._total = total
            self._total_items = total
            self.endResetModel()
            self.state_changed.emit()
        self._view_id = view_id
        if self._wanted:
            self._flush.start()
        self.view_ready.emit(total)

    def _failed(self, generation: int, failure) -> None:  # noqa: ANN001 - TaskFailure
        if generation != self._generation or self._error is not None:
            return
        self._error = failure.message
        self._failed_query = self._query
        self.loading_changed.emit(False)
        self.state_changed.emit()

    # -- windows ----------------------------------------------------------------------------

    def _hold(self, window: int, rows: list[HeldRow]) -> None:
        old = self._windows.pop(window, None)
        for held in old or ():
            self._held_rows.pop(held.case_id, None)
        self._windows[window] = rows
        first = window * WINDOW_ROWS
        for offset, held in enumerate(rows):
            self._held_rows[held.case_id] = first + offset
        while len(self._windows) > KEEP_WINDOWS:
            _, dropped = self._windows.popitem(last=False)
            for held in dropped:
                self._held_rows.pop(held.case_id, None)

    def _held(self, row: int) -> HeldRow | None:
        rows = self._windows.get(row // WINDOW_ROWS)
        if rows is None:
            return None
        offset = row % WINDOW_ROWS
        return rows[offset] if offset < len(rows) else None

    def _want(self, row: int) -> None:
        self._wanted.add(row // WINDOW_ROWS)
        if self._view_id and not self._flush.isActive():
            self._flush.start()

    def _ask_windows(self) -> None:
        """One task for every window drawn since the last ask; it supersedes the previous ask."""
        windows = sorted(w for w in self._wanted if w not in self._windows)
        self._wanted.clear()
        if not windows or not self._view_id:
            return
        generation, view_id = self._generation, self._view_id
        store = self._store
        self._submit(lambda _context: read_windows(store, view_id, windows), channel=self.CHANNEL_WINDOWS,
                            on_result=lambda answer: self._windows_arrived(generation, answer),
                            on_error=lambda failure: self._failed(generation, failure))

    def _windows_arrived(self, generation: int, answer: dict[int, list[HeldRow]] | None) -> None:
        if generation != self._generation or answer is None:
            return
        last_column = self.columnCount() - 1
        for window, rows in answer.items():
            if not rows:
                continue
            self._hold(window, rows)
            first, last = window * WINDOW_ROWS, window * WINDOW_ROWS + len(rows) - 1
            self.dataChanged.emit(self.index(first, 0), self.index(last, last_column))
            self.window_loaded.emit(first, last)
            self.rows_held.emit([held.case_id for held in rows])

    def is_held(self, row: int) -> bool:
        """Whether the row's window is here (a row not held draws as a placeholder)."""
        return self._held(row) is not None

    def holds_any(self, first: int, last: int) -> bool:
        """Whether any of rows ``first``..``last`` is held (else all of them are placeholders)."""
        windows = self._windows
        return any(window in windows for window in range(first // WINDOW_ROWS, last // WINDOW_ROWS + 1))

    def want_rows(self, first: int, last: int) -> None:
        """Rows ``first``..``last`` are on screen as placeholders: their windows are asked for
        (what painting their cells does, without the painting)."""
        for window in range(max(0, first) // WINDOW_ROWS, min(last, self._total - 1) // WINDOW_ROWS + 1):
            self._want(window * WINDOW_ROWS)

    # -- rows -------------------------------------------------------------------------------

    def _row_count(self) -> int:
        return self._total

    def record(self, row: int) -> CaseRecord | None:
        held = self._held(row) if 0 <= row < self._total else None
        if held is None or held.raw is None:
            return None
        return unpack_record(held.raw)

    def case_id(self, row: int) -> str | None:
        held = self._held(row) if 0 <= row < self._total else None
        return held.case_id if held is not None else None

    def row_of(self, case_id: str | None) -> int | None:
        return self._held_rows.get(case_id) if case_id else None

    def held_ids(self) -> list[str]:
        """The case ids of the rows held (what the triage marks concern)."""
        return [held.case_id for rows in self._windows.values() for held in rows]

    def every_id_task(self):  # noqa: ANN201 - a worker callable
        """A worker task that answers every case id the current view lists, in order (None when
        the view was replaced meanwhile, or is not written yet). Bound to the view now."""
        store, view_id = self._store, self._view_id
        return lambda _context: store.case_ids(view_id) if view_id else None

    @property
    def view_id(self) -> int:
        """Which written view the rows are (0: none yet); an answer bound to another is stale."""
        return self._view_id

    def row_among_task(self, row: int, delta: int):  # noqa: ANN201 - a worker callable
        """A worker callable: given case ids, the row of the nearest of them after (``delta`` 1)
        or before (-1) ``row`` over every row of the current view, held or not (None: none, or
        the view was replaced meanwhile). Bound to the view now: check ``view_id`` on the answer."""
        store, view_id = self._store, self._view_id
        return lambda case_ids: store.next_among(view_id, row, delta, case_ids) if view_id else None

    def packed_rows(self) -> list[bytes]:
        """The rows held (the whole list of a query is in the cache, not here)."""
        return [held.raw.encode() for rows in self._windows.values() for held in rows if held.raw is not None]

    def update_record(self, record: CaseRecord) -> bool:
        row = self.row_of(record.id)
        held = self._held(row) if row is not None else None
        if held is None:
            return False
        rows = self._windows[row // WINDOW_ROWS]
        rows[row % WINDOW_ROWS] = HeldRow(held.case_id, record.model_dump_json(), row_view(record))
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return True

    def _view(self, row: int) -> RowView:
        held = self._held(row)
        return held.view if held is not None else _GONE

    def has_more_pages(self) -> bool:
        return False  # every row is listed at once

    @guarded
    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:
        return False

    @guarded
    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:
        return None

    def _keeps_roles(self, row: int) -> bool:
        return self._held(row) is not None  # a placeholder asks for its window each time it is drawn

    def _paint_cells(self, row: int) -> list[dict[int, Any]]:
        if self._held(row) is None:
            self._want(row)
            # A placeholder until the window comes: blank, not the "—" of a missing value.
            return [{DISPLAY: ""} for _ in range(self.COLUMNS)]
        return super()._paint_cells(row)

    def _role_data(self, row: int, column: int, role: int) -> Any:
        if self._held(row) is None:
            self._want(row)
            return "Loading" if role == ACCESSIBLE_TEXT else None
        return super()._role_data(row, column, role)

__all__ = ["KEEP_WINDOWS", "StoreTableModel", "WINDOW_ROWS", "hold_rows"]
