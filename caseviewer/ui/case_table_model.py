"""The case list as a Qt table model, filled page by page from the list service.

The model never fetches anything itself. ``fetchMore`` only *asks* for the next page by emitting
``page_requested(CaseQuery)``; the main window runs that request on a worker and hands the answer
back through ``append_page`` (or ``page_failed``). At most one page request is outstanding, and a
page is accepted only if it answers exactly the query that was asked, so a late page of an old
search can never land in a new one.

Sorting, status filter, search and date range are the *service's* job: a new query resets the
model (``reset_for_query``). The proxy above this model is for display only.

Display strings are computed lazily per visible row and cached, so inserting a 500-row page does
no per-row Python work on the GUI thread.
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontDatabase

from caseviewer.core.api import CasePage, CaseQuery, SortField
from caseviewer.core.errors import PageOutOfRange
from caseviewer.core.models import CaseRecord
from caseviewer.ui.status_chip import StatusCodeRole, pretty_status, status_group

AnyIndex = QModelIndex | QPersistentModelIndex

# Bidirectional overrides in service text could visually reorder a cell; they are dropped for
# display (the raw record keeps them).
_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"), None
)
_MUTED = QColor("#8a929c")
_MISSING = "—"


def display_text(value: str | None) -> str:
    """Service text made safe to show in a cell: no bidi overrides, no line breaks."""
    if not value:
        return ""
    return " ".join(value.translate(_BIDI_CONTROLS).split())


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally: Qt would otherwise guess it is rich text."""
    return f"<qt>{html.escape(text)}</qt>" if text else ""


def parse_created(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment
    return moment.astimezone()  # local time


def format_created(value: str | None) -> str:
    moment = parse_created(value)
    if moment is None:
        return value or ""
    return moment.strftime("%Y-%m-%d %H:%M")


class CaseTableModel(QAbstractTableModel):
    """Rows are ``CaseRecord``s in the order the service sent them."""

    COL_BUSINESS = 0
    COL_APPLICANT = 1
    COL_STATUS = 2
    COL_CREATED = 3
    COL_CASE_ID = 4
    COL_APPLICANT_ID = 5
    HEADERS = ("Business name", "Applicant", "Status", "Created", "Case ID", "Applicant ID")
    #: Columns the service can sort by; header clicks on others sort nothing.
    SORTABLE: dict[int, SortField] = {COL_CREATED: SortField.CREATED_AT, COL_BUSINESS: SortField.BUSINESS_NAME}
    #: Hidden until the reviewer asks for them in the column chooser.
    HIDDEN_BY_DEFAULT = (COL_APPLICANT_ID,)

    SortRole = Qt.ItemDataRole.UserRole + 1
    ObjectRole = Qt.ItemDataRole.UserRole + 2
    CaseIdRole = Qt.ItemDataRole.UserRole + 3
    StatusCodeRole = StatusCodeRole

    #: Please load this page (a ``CaseQuery``); answer with ``append_page`` or ``page_failed``.
    page_requested = Signal(object)
    #: A page request started (True) or ended (False).
    loading_changed = Signal(bool)
    #: Totals, loaded count, loading or error state changed: the count line and states redraw.
    state_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._query: CaseQuery | None = None
        self._records: list[CaseRecord] = []
        self._display: list[tuple[str, ...] | None] = []
        self._row_of_id: dict[str, int] = {}
        self._requested: CaseQuery | None = None
        self._last_page = 0
        self._total_pages: int | None = None
        self._total_items: int | None = None
        self._error: str | None = None
        self._failed_query: CaseQuery | None = None
        self._id_font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

    # -- state ------------------------------------------------------------------------------

    @property
    def query(self) -> CaseQuery | None:
        return self._query

    @property
    def total_items(self) -> int | None:
        return self._total_items

    @property
    def loaded_count(self) -> int:
        return len(self._records)

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
            return "Loading cases…"
        total = max(self._total_items, len(self._records))
        if total == 0:
            return "No cases"
        noun = "case" if total == 1 else "cases"
        return f"Showing {len(self._records):,} of {total:,} {noun}"

    # -- paging -----------------------------------------------------------------------------

    def reset_for_query(self, query: CaseQuery) -> None:
        """Drop every row and ask for page 1 of ``query``."""
        self.beginResetModel()
        self._query = query.with_page(1)
        self._records = []
        self._display = []
        self._row_of_id = {}
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
        self._records, self._display, self._row_of_id = [], [], {}
        self._requested = None
        self._last_page = 0
        self._total_pages = self._total_items = None
        self._error = self._failed_query = None
        self.endResetModel()
        self.state_changed.emit()

    def _more_pages(self) -> bool:
        if self._query is None or self._total_pages is None:
            return False
        return self._last_page < self._total_pages and self._query.paginate

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:
        if parent.isValid() or self._error is not None:
            return False
        return self._more_pages()

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

    def append_page(self, page: CasePage) -> bool:
        """Insert a page's rows. Returns False (and changes nothing) for a page nobody asked for."""
        if not self.is_awaiting(page.query):
            return False
        self._requested = None
        self._last_page = page.query.page
        self._total_pages = page.total_pages
        self._total_items = page.total_items
        fresh = [r for r in page.records if r.id is None or r.id not in self._row_of_id]
        if fresh:
            first = len(self._records)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._records.extend(fresh)
            self._display.extend([None] * len(fresh))
            for offset, record in enumerate(fresh):
                if record.id is not None:
                    self._row_of_id[record.id] = first + offset
            self.endInsertRows()
        if not page.records:
            self._total_pages = self._last_page  # an empty page ends the list whatever it claims
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
        return self._records[row] if 0 <= row < len(self._records) else None

    def row_of(self, case_id: str | None) -> int | None:
        return self._row_of_id.get(case_id) if case_id else None

    def update_record(self, record: CaseRecord) -> bool:
        """Replace one row's record in place (targeted ``dataChanged``, no reset)."""
        row = self.row_of(record.id)
        if row is None:
            return False
        self._records[row] = record
        self._display[row] = None
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        return True

    # -- QAbstractItemModel -----------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

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

    def _texts(self, row: int) -> tuple[str, ...]:
        cached = self._display[row]
        if cached is None:
            record = self._records[row]
            cached = (
                display_text(record.business_name),
                display_text(record.applicant_name),
                pretty_status(record.status_code),
                format_created(record.created_at),
                record.id or "",
                record.applicant_id or "",
            )
            self._display[row] = cached
        return cached

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        row, column = index.row(), index.column()
        if not 0 <= column < len(self.HEADERS):
            return None
        record = self._records[row]
        if role == Qt.ItemDataRole.DisplayRole:
            text = self._texts(row)[column]
            return text if text or column == self.COL_STATUS else _MISSING
        if role == self.ObjectRole:
            return record
        if role == self.CaseIdRole:
            return record.id
        if role == self.SortRole:
            return self._sort_key(record, column, row)
        if role == StatusCodeRole:
            return record.status_code
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, column, row)
        if role == Qt.ItemDataRole.ForegroundRole and not self._texts(row)[column]:
            return _MUTED
        if role == Qt.ItemDataRole.FontRole and column in (self.COL_CASE_ID, self.COL_APPLICANT_ID):
            return self._id_font
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.COL_STATUS:
            return f"Status: {self._texts(row)[column]}"
        return None

    def _sort_key(self, record: CaseRecord, column: int, row: int) -> Any:
        if column == self.COL_CREATED:
            moment = parse_created(record.created_at)
            return moment.timestamp() if moment is not None and moment.tzinfo else (record.created_at or "")
        return self._texts(row)[column].casefold()

    def _tooltip(self, record: CaseRecord, column: int, row: int) -> str:
        if column == self.COL_CREATED:
            return plain_tooltip(record.created_at or "")
        if column == self.COL_STATUS:
            label = self._texts(row)[column]
            return plain_tooltip(f"{label} ({status_group(record.status_code).name})")
        return plain_tooltip(self._texts(row)[column])


__all__ = ["CaseTableModel", "display_text", "format_created", "parse_created", "plain_tooltip"]
