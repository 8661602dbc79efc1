"""The case list as a Qt table model, filled page by page from the list service.

The model never fetches anything itself. ``fetchMore`` only *asks* for the next page by emitting
``page_requested(CaseQuery)``; the main window runs that request on a worker and hands the answer
back through ``append_page`` (or ``page_failed``). At most one page request is outstanding, and a
page is accepted only if it answers exactly the query that was asked, so a late page of an old
search can never land in a new one.

Sorting, status filter, search and date range are the *service's* job: a new query resets the
model (``reset_for_query``); the view shows this model directly.

Rows are kept packed (``core.packed_rows``: each page's compact JSON rows as one compressed
block), so 100,000 loaded cases cost about 10 MB (their UUIDs held as raw bytes beside the stream), are invisible to the garbage collector and are
released at once by a new query. A row is parsed back when it is drawn (its display strings are cached for the rows last
drawn) or selected. Inserting a page does no per-row Python work on the GUI thread: the worker
that fetched the page packed it.

The ids are packed too (``core.id_index``: row to id and id to row, ~3 MB for 100,000 rows where
a list, a dict and the strings held ~16 MB). What a painted cell is answered is kept for the rows
drawn last (``kept_roles_model``, the base that answers Qt's ``data`` / ``multiData`` through
``role_cache``), so repainting rows already on screen asks for nothing again. A row's texts are
worked out by ``row_texts``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal

from caseviewer.core.errors import PageOutOfRange
from caseviewer.core.id_index import IdIndex, IdStore
from caseviewer.core.models import CaseRecord
from caseviewer.core.packed_rows import PackedBlock, PackedRows, RowBlocks, pack_record, pack_records, unpack_record
from caseviewer.core.privacy import FieldKind, mask_field, mask_text
from caseviewer.core.query import CasePage, CaseQuery, SortField
from caseviewer.ui import theme
from caseviewer.ui.case_list.gradual_release import GradualRelease
from caseviewer.ui.case_list.kept_roles_model import (
    ACCESSIBLE_TEXT,
    CASE_ID_ROLE,
    DISPLAY,
    FONT,
    FOREGROUND,
    OBJECT_ROLE,
    STATUS_CODE_ROLE,
    TOOLTIP,
    AnyIndex,
    KeptRolesTableModel,
)
from caseviewer.ui.case_list.row_texts import MISSING, RowView, row_view
from caseviewer.ui.case_list.status_chip import StatusCodeRole, status_group
from caseviewer.ui.formatting import plain_tooltip
from caseviewer.ui.guard import guarded
from caseviewer.ui.zoom import monospace_font

#: Display strings of at most this many rows are kept; a screenful is ~50, and the paint roles'
#: answers are kept in front of them (role_cache), so these serve misses and tooltips. At 4096 rows
#: (~1.2 KB each) paging to the end of 100,000 held up to 5 MB.
_DISPLAY_CACHE_ROWS = 512


class CaseTableModel(KeptRolesTableModel):
    """Rows are the service's case records, packed, in the order the service sent them."""

    COL_BUSINESS = 0
    COL_APPLICANT = 1
    COL_STATUS = 2
    COL_CREATED = 3
    COL_CASE_ID = 4
    COL_APPLICANT_ID = 5
    COL_CASE_TYPE = 6
    COL_ASSIGNEE = 7
    COL_DBA = 8
    COL_FLAG = 9  # the reviewer's flag and private note (ui/triage), last so the others keep their place
    HEADERS = ("Business name", "Applicant", "Status", "Created", "Case ID", "Applicant ID", "Case type", "Assignee",
               "Trading name (DBA)", "Flag")
    #: Columns the service can sort by; header clicks on others sort nothing.
    SORTABLE: dict[int, SortField] = {COL_CREATED: SortField.CREATED_AT, COL_BUSINESS: SortField.BUSINESS_NAME}
    #: Hidden until the reviewer asks for them in the column chooser.
    #: (The service filters and searches none of the extra fields, so they are columns only.)
    #: The case id is in the business name's tooltip and the case page's header (with a copy button); a
    #: column of UUIDs cost the business name its room.
    HIDDEN_BY_DEFAULT = (COL_CASE_ID, COL_APPLICANT_ID, COL_CASE_TYPE, COL_ASSIGNEE, COL_DBA)
    #: Columns privacy mode masks (core/privacy.py decides what a kind shows).
    PHI_COLUMNS = {COL_BUSINESS: FieldKind.NAME, COL_APPLICANT: FieldKind.NAME, COL_DBA: FieldKind.NAME,
                   COL_ASSIGNEE: FieldKind.NAME}

    COLUMNS = len(HEADERS)
    ObjectRole = OBJECT_ROLE
    CaseIdRole = CASE_ID_ROLE
    StatusCodeRole = StatusCodeRole

    #: Please load this page (a ``CaseQuery``); answer with ``append_page`` or ``page_failed``.
    page_requested = Signal(object)
    #: A page request started (True) or ended (False).
    loading_changed = Signal(bool)
    #: Totals, loaded count, loading or error state changed: the count line and states redraw.
    state_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        #: The reviewer's marks (ui/triage): ``.data(case_id, column, role)`` answers what the
        #: record cannot (bold unread rows, the dot, the flag); None (no cache) adds nothing.
        #: Given by ``set_triage_marks``.
        self.triage = None
        #: Asked before the next page is fetched (Qt's ``fetchMore`` included); False holds the
        #: list where it is although more pages exist (``has_more_pages``). The views bar bounds
        #: how far a triage view, whose hidden rows keep Qt asking, pages on its own.
        self.fetch_gate: Callable[[], bool] | None = None
        self._query: CaseQuery | None = None
        self._ids = IdIndex()  # row -> id and id -> row, packed (no object per row)
        self._last_id: tuple[int, str | None] = (-1, None)  # see case_id
        self._packed = RowBlocks()
        self._views: dict[int, RowView] = {}
        self._requested: CaseQuery | None = None
        self._last_page = 0
        self._total_pages: int | None = None
        self._total_items: int | None = None
        self._error: str | None = None
        self._failed_query: CaseQuery | None = None
        self._from_cache = False  # the last page came from the offline cache
        self._release = GradualRelease(self)

    # -- state ------------------------------------------------------------------------------

    @property
    def query(self) -> CaseQuery | None:
        return self._query

    @property
    def total_items(self) -> int | None:
        return self._total_items

    @property
    def holds_all_rows(self) -> bool:
        """Every row listed is held here (``packed_rows``); the store model's live in the cache."""
        return True

    @property
    def loaded_count(self) -> int:
        return len(self._packed)

    @property
    def is_loading(self) -> bool:
        return self._requested is not None

    @property
    def error_message(self) -> str | None:
        return self._error

    @property
    def has_loaded_first_page(self) -> bool:
        return self._total_pages is not None

    def count_text(self) -> str:
        if self._query is None:
            return ""
        if self._total_items is None:
            return "" if self._error is not None else "Loading cases…"  # the overlay shows the error
        total = max(self._total_items, len(self._packed))
        if total == 0:
            return "No cases"
        noun = "case" if total == 1 else "cases"
        if self._from_cache:
            noun = f"cached {noun}"  # offline the total is what the cache holds, not the service
        return f"Showing {len(self._packed):,} of {total:,} {noun}"

    # -- paging -----------------------------------------------------------------------------

    def reset_for_query(self, query: CaseQuery) -> None:
        """Drop every row and ask for page 1 of ``query``."""
        self.beginResetModel()
        self._query = query.with_page(1)
        self._clear_rows()
        self._requested = None
        self._last_page = 0
        self._total_pages = None
        self._total_items = None
        self._error = None
        self._failed_query = None
        self.endResetModel()
        self._request(self._query)

    def clear(self) -> None:
        """No query at all (no list service configured)."""
        self.beginResetModel()
        self._query = None
        self._clear_rows()
        self._requested = None
        self._last_page = 0
        self._total_pages = self._total_items = None
        self._error = self._failed_query = None
        self.endResetModel()
        self.state_changed.emit()

    def _clear_rows(self) -> None:
        # The old rows are freed over the next event-loop turns, not here (see gradual_release);
        # the blocks (a few hundred) and the id index (a few flat buffers) go at once.
        self._release.release(self._views)
        self._ids, self._packed, self._views = IdIndex(store=self._shared_ids()), RowBlocks(), {}
        self._last_id = (-1, None)
        self._roles.clear()

    def _more_pages(self) -> bool:
        if self._query is None or self._total_pages is None:
            return False
        return self._last_page < self._total_pages and self._query.paginate

    def has_more_pages(self) -> bool:
        """Whether the service has pages not loaded yet (and the last one did not fail)."""
        return self._error is None and self._more_pages()

    @guarded
    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:
        if parent.isValid() or not self.has_more_pages():
            return False
        return self.fetch_gate is None or self.fetch_gate()

    @guarded
    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:
        if parent.isValid() or not self.canFetchMore(parent) or self._requested is not None:
            return  # one request at a time; its answer decides whether there is more
        assert self._query is not None
        self._request(self._query.with_page(self._last_page + 1))

    def retry(self) -> None:
        """Ask again for the page that failed (page 1 when nothing has loaded)."""
        if self._failed_query is None or self._requested is not None:
            return
        query, self._failed_query, self._error = self._failed_query, None, None
        self._request(query)

    def _request(self, query: CaseQuery) -> None:
        self._requested = query
        self.loading_changed.emit(True)
        self.state_changed.emit()
        self.page_requested.emit(query)

    def is_awaiting(self, query: CaseQuery) -> bool:
        return self._requested is not None and self._requested == query

    def append_page(self, page: CasePage, packed: PackedRows | None = None) -> bool:
        """Insert a page's rows. Returns False (and changes nothing) for a page nobody asked for.

        ``packed`` is the page's records already packed (by the worker); without it they are
        packed here.
        """
        if not self.is_awaiting(page.query):
            return False
        if packed is None:
            packed = pack_records(page.records)
        self._requested = None
        self._last_page = page.query.page
        self._total_pages = page.total_pages
        self._total_items = page.total_items
        self._from_cache = page.provenance.from_cache
        ids = self._ids
        ids.reserve(max(page.total_items, len(ids) + len(packed)))  # sized once for the whole list
        # The ids of the new rows go in before the rows do (nothing reads a row past rowCount);
        # a row whose id is listed already is left out.
        fresh = [i for i, case_id in enumerate(packed.ids) if ids.add(case_id) is not None]
        if fresh:
            first = len(self._packed)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            if len(fresh) == len(packed) and packed.block is not None:
                block = packed.block  # compressed by the worker
            else:  # some rows were listed already (the list shifted under the paging): rare
                block = PackedBlock([packed.blobs[i] for i in fresh])
            self._packed.append(block)
            self.endInsertRows()
        if not fresh:
            # An empty page, or one that repeats only rows already listed, ends the list whatever
            # total_pages claims: a list that lies would otherwise be paged forever.
            self._total_pages = self._last_page
        self.loading_changed.emit(False)
        self.state_changed.emit()
        return True

    def page_failed(self, query: CaseQuery, message: str, exception: BaseException | None = None) -> bool:
        """The page request for ``query`` failed; returns False when it was not the current one."""
        if not self.is_awaiting(query):
            return False
        self._requested = None
        if isinstance(exception, PageOutOfRange) and query.page > 1:
            # The list shrank while paging: what we have is all there is.
            self._total_pages = self._last_page
        else:
            self._error = message
            self._failed_query = query
        self.loading_changed.emit(False)
        self.state_changed.emit()
        return True

    # -- rows -------------------------------------------------------------------------------

    def record(self, row: int) -> CaseRecord | None:
        """The row's record, parsed anew from its packed form (None outside the rows)."""
        return unpack_record(self._packed[row]) if 0 <= row < len(self._packed) else None

    def case_id(self, row: int) -> str | None:
        # The last row asked is answered again without unpacking its id: a painted row asks for
        # it once per role of each of its cells (the triage marks are looked up by id).
        last_row, case_id = self._last_id
        if row == last_row:
            return case_id
        case_id = self._ids[row] if 0 <= row < len(self._ids) else None
        self._last_id = (row, case_id)
        return case_id

    def _row_count(self) -> int:
        """How many rows there are (a subclass may hold only some of them; see store_table_model)."""
        return len(self._packed)

    def packed_rows(self) -> Sequence[bytes]:
        """The loaded rows, still packed (a snapshot a worker can unpack, e.g. for CSV export)."""
        return self._packed.snapshot()

    def row_of(self, case_id: str | None) -> int | None:
        return self._ids.row_of(case_id) if case_id else None

    def set_triage_marks(self, marks) -> None:  # noqa: ANN001 - ui.triage.TriageMarks
        """Draw ``marks`` on the rows, and keep the rows' ids in the marks' store (``marks.ids``),
        so an id both know is held once. Rows listed already keep theirs until the next reset."""
        self.triage = marks
        if not len(self._ids):
            self._ids = IdIndex(store=marks.ids)

    def _shared_ids(self) -> IdStore | None:
        """Where the rows keep their ids: the marks' store, so an id both know is held once."""
        return self.triage.ids if self.triage is not None else None

    def rows_changed(self, case_ids) -> None:  # noqa: ANN001 - any iterable of ids
        """Redraw the rows of these cases (their triage marks changed): targeted, no reset."""
        # One signal per run of adjacent rows: a page's read states arrive for 500 rows at once,
        # and each signal makes the view work out which of its cells to repaint.
        rows = sorted({row for row in map(self.row_of, case_ids) if row is not None})
        last_column = self.columnCount() - 1
        start = 0
        for k in range(1, len(rows) + 1):
            if k == len(rows) or rows[k] != rows[k - 1] + 1:
                self.dataChanged.emit(self.index(rows[start], 0), self.index(rows[k - 1], last_column))
                start = k

    def update_record(self, record: CaseRecord) -> bool:
        """Replace one row's record in place (targeted ``dataChanged``, no reset)."""
        row = self.row_of(record.id)
        if row is None:
            return False
        self._packed.replace(row, pack_record(record))
        self._views.pop(row, None)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return True

    # -- QAbstractItemModel -----------------------------------------------------------------

    @guarded
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._row_count()

    @guarded
    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    # No ``flags`` override: QAbstractTableModel's own answers exactly enabled, selectable, no
    # children for a valid index, and the view asks it for every painted cell (a call into Python
    # saved per cell).

    @guarded
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        """One call into Python per index the view makes (the base asks rowCount and columnCount)."""
        if 0 <= row < self._row_count() and 0 <= column < _COLUMNS and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    @guarded
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section in self.SORTABLE:
                return f"{self.HEADERS[section]} — click to sort"
            return f"{self.HEADERS[section]} (the service cannot sort by this column)"
        return None

    def _view(self, row: int) -> RowView:
        view = self._views.get(row)
        if view is None:
            if len(self._views) >= _DISPLAY_CACHE_ROWS:
                self._views.clear()  # cheap and rare: the next paint refills the visible rows
            view = self._views[row] = row_view(unpack_record(self._packed[row]))
        return view

    def _texts(self, row: int) -> tuple[str, ...]:
        return self._view(row).texts

    def _paint_cells(self, row: int) -> list[dict[int, Any]]:
        """Every paint role's answer of the row's cells, worked out together: the row is unpacked
        and its marks looked up once (per role of every cell, that was most of a repaint)."""
        view = self._view(row)
        texts, status_code = view.texts, view.status_code
        muted = None
        cells = []
        for column in range(_COLUMNS):
            text = texts[column]
            shown = mask_field(self.PHI_COLUMNS.get(column, FieldKind.OTHER), text)
            cell = {DISPLAY: shown if shown or column == self.COL_STATUS else MISSING, STATUS_CODE_ROLE: status_code}
            if not text:
                if muted is None:
                    muted = theme.color("muted")  # the theme's muted text, AA on every row colour
                cell[FOREGROUND] = muted
            cells.append(cell)
        monospace = monospace_font()  # at the current zoom
        cells[self.COL_CASE_ID][FONT] = cells[self.COL_APPLICANT_ID][FONT] = monospace
        if self.triage is not None:
            self.triage.paint_cells(self.case_id(row), cells)  # bold unread rows, the dot, the flag
        return cells

    def _role_data(self, row: int, column: int, role: int) -> Any:
        """What ``data`` answers for a role that is not a paint role (roles as plain ints)."""
        if self.triage is not None:
            marked = self.triage.data(self.case_id(row), column, role)
            if marked is not None:
                return marked
        if role == CASE_ID_ROLE:
            return self.case_id(row)
        if role == OBJECT_ROLE:
            return self.record(row)
        if role == TOOLTIP:
            tip = self._tooltip(self._view(row), column)
            return mask_field(self.PHI_COLUMNS[column], tip) if column in self.PHI_COLUMNS else mask_text(tip or "") or None
        if role == ACCESSIBLE_TEXT:
            # What a screen reader reads for the cell: its text ("blank" for the "—" of a missing
            # value); the status says it is one, as the chip beside it shows.
            if column == self.COL_STATUS:
                return f"Status: {self._texts(row)[column]}"
            shown = self._cells(row)[column].get(DISPLAY)
            return shown if shown and shown != MISSING else "blank"
        return None

    def _tooltip(self, view: RowView, column: int) -> str:
        if column == self.COL_CREATED:
            return plain_tooltip(view.created_at or "")
        if column == self.COL_STATUS:
            label = view.texts[column]
            return plain_tooltip(f"{label} ({status_group(view.status_code).name})")
        if column == self.COL_BUSINESS and view.texts[self.COL_CASE_ID]:
            return plain_tooltip(f"{view.texts[column]}\nCase ID: {view.texts[self.COL_CASE_ID]}")
        return plain_tooltip(view.texts[column])


_COLUMNS = len(CaseTableModel.HEADERS)

__all__ = ["CaseTableModel"]
