"""One read-only table model and view for every list in the detail pane.

A table is described by ``Column``s, each a title plus a function from a row object (a pydantic
model) to a ``Cell``; the model computes a cell the first time the view asks for it and keeps it,
so a case with 2,000 attachments costs the cells on screen, not 12,000 (column widths are fitted
from the first ``MEASURED_ROWS`` rows only, for the same reason). Text goes out through
``DisplayRole`` only, so service strings are never rendered as rich text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QTableView, QVBoxLayout, QWidget

from caseviewer.core.privacy import mask_text
from caseviewer.ui import accessible
from caseviewer.ui import formatting as fmt
from caseviewer.ui.guard import guarded
from caseviewer.ui.table_setup import set_up_read_only_rows

AnyIndex = QModelIndex | QPersistentModelIndex

#: Rows measured when fitting column widths to their content (Qt measures 1,000 by default).
MEASURED_ROWS = 25

ObjectRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2


@dataclass
class Cell:
    text: str
    tooltip: str = ""
    sort: Any = None
    right: bool = False
    color: QColor | None = None


@dataclass
class Column:
    title: str
    cell: Callable[[Any], Cell | str]
    max_width: int = 320
    #: A less important column: not shown in the table but in the selected row's details
    #: (``DataTable(fold=True)``), so the important ones fit the pane without sideways scrolling.
    fold: bool = False


def text_cell(value: str | None, limit: int = 300) -> Cell:
    """Free service text in a cell: one line, the full text (escaped) on hover when it was cut."""
    shown = fmt.one_line(value, limit) or fmt.MISSING
    return Cell(shown, tooltip=fmt.plain_tooltip(value) if value and shown != value else "")


def time_cell(value: str | None) -> Cell:
    return Cell(fmt.format_timestamp(value), tooltip=fmt.timestamp_tooltip(value), sort=fmt.timestamp_sort_key(value))


def flag_cell(value: bool | None, yes: str = "Yes", no: str = "No") -> Cell:
    return Cell(fmt.yes_no(value, yes, no))


def money_cell(value: str | None, currency: str | None = None) -> Cell:
    """An amount; with ``currency``, worded with it in the reader's locale (``QLocale``)."""
    amount = fmt.parse_money(value)
    text = fmt.format_currency(value, currency) if currency else fmt.format_money(value)
    return Cell(text, right=True, sort=float(amount) if amount is not None else float("-inf"))


def user_cell(user: Any) -> Cell:
    return Cell(fmt.user_name(user), tooltip=fmt.user_tooltip(user))


class RowTableModel(QAbstractTableModel):
    """Rows are model objects; ``ObjectRole`` gives a row's object back, ``SortRole`` its key."""

    def __init__(self, columns: Sequence[Column], rows: Sequence[Any] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._cells: list[list[Cell | None]] = []
        self.set_rows(rows)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._cells = [[None] * len(self._columns) for _ in self._rows]  # filled on first use
        self.endResetModel()

    def cell(self, row: int, column: int) -> Cell:
        cells = self._cells[row]
        found = cells[column]
        if found is None:
            found = cells[column] = self._make_cell(self._columns[column], self._rows[row])
        return found

    @staticmethod
    def _make_cell(column: Column, row: Any) -> Cell:
        cell = column.cell(row)
        return cell if isinstance(cell, Cell) else Cell(cell)

    def row_object(self, row: int) -> Any:
        return self._rows[row]

    @guarded
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    @guarded
    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._columns)

    @guarded
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._cells) or index.column() >= len(self._columns):
            return None
        cell = self.cell(index.row(), index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return mask_text(cell.text)  # privacy mode (core/privacy.py)
        if role == Qt.ItemDataRole.ToolTipRole:
            return mask_text(cell.tooltip) or None
        if role == SortRole:
            return cell.sort if cell.sort is not None else cell.text.casefold()
        if role == ObjectRole:
            return self._rows[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if cell.right else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return cell.color
        return None

    @guarded
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title if 0 <= section < len(self._columns) else None
        return None

    @guarded
    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class DataTable(QTableView):
    """A read-only, row-selecting table with sensible column widths.

    ``object_activated`` carries the row's object on double-click or Enter. ``fit_rows`` makes an
    embedded table tall enough for its rows (up to that many) so a card does not scroll twice.
    """

    object_activated = Signal(object)

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Any] = (),
        *,
        sort_column: int | None = None,
        descending: bool = False,
        fit_rows: int | None = None,
        fold: bool = False,
        name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        # What a screen reader calls the table (its columns when the caller names none).
        accessible.name(self, name or "Table: " + ", ".join(c.title for c in self._columns[:3]))
        #: With ``fold``, the columns marked ``fold`` are hidden and listed in ``details`` for the
        #: selected row, and the shown ones shrink to the view's width instead of scrolling.
        self._fold = fold
        #: The shown columns shrink to the view's width (with ``fold``, or after ``fit_width``).
        self._fits_view = fold
        #: ``fit_width``'s preferred width (None: Qt's own size hint).
        self._hint_width: int | None = None
        #: Each shown column's content width, measured once per ``fit_columns`` (measuring asks
        #: the model for up to ``MEASURED_ROWS`` cells a column; fitting to the view reuses it).
        self._content_widths: dict[int, int] = {}
        self.details: QLabel | None = None
        self.source = RowTableModel(columns, rows, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSortRole(SortRole)
        self.proxy.setSourceModel(self.source)
        self.setModel(self.proxy)
        set_up_read_only_rows(self)  # as the case table: Tab leaves it, no row numbers
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setResizeContentsPrecision(MEASURED_ROWS)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if sort_column is not None:
            self.setSortingEnabled(True)
            self.sortByColumn(sort_column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
        self.activated.connect(self._on_activated)
        self._fit_rows = fit_rows
        if fold:
            for section, column in enumerate(self._columns):
                self.setColumnHidden(section, column.fold)
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            if any(c.fold for c in self._columns):
                self.details = QLabel()
                self.details.setTextFormat(Qt.TextFormat.PlainText)
                self.details.setWordWrap(True)
                self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.selectionModel().selectionChanged.connect(lambda *_: self._show_details())
        if fit_rows is not None:
            # The horizontal scroll bar appears only once the view is laid out; make room for it then.
            self.horizontalScrollBar().rangeChanged.connect(lambda *_: self._fit_height())
        self.fit_columns()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.source.set_rows(rows)
        self.fit_columns()
        self._show_details()

    def with_details(self) -> QWidget:
        """The table with its folded columns' details under it (the table alone without ``fold``)."""
        if self.details is None:
            return self
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self)
        layout.addWidget(self.details)
        if self.source.rowCount() and not self.selectionModel().hasSelection():
            self.selectRow(0)
        self._show_details()
        return box

    def _show_details(self) -> None:
        if self.details is None:
            return
        rows = self.selectionModel().selectedRows()
        if not rows:
            self.details.setText("Select a row for its other details.")
            return
        row = self.proxy.mapToSource(rows[0]).row()
        lines = [f"{c.title}: {self.source.cell(row, i).text}" for i, c in enumerate(self._columns) if c.fold]
        lead = next((i for i, c in enumerate(self._columns) if not c.fold), 0)
        first = self.source.cell(row, lead).text
        self.details.setText(mask_text(f"More about {fmt.elide(first, 60)} — " + " · ".join(lines)))  # privacy mode

    def _fit_to_view(self) -> None:
        """Shrink the shown columns proportionally so they fit the view (text elides; never sideways)."""
        header = self.horizontalHeader()
        shown = [i for i in range(header.count()) if not self.isColumnHidden(i)]
        available = self.viewport().width()
        if not shown or available <= 0:
            return
        natural = {i: min(max(self._content_width(i), self.fontMetrics().horizontalAdvance(self._columns[i].title) + 28),
                          self._columns[i].max_width) for i in shown}
        total = sum(natural.values())
        scale = min(1.0, available / total) if total else 1.0
        widths = {i: max(40, int(natural[i] * scale)) for i in shown[:-1]}
        # The last column stretches into what is left: leave it room for a few characters.
        room = available - max(40, min(natural[shown[-1]], available // 4))
        used = sum(widths.values())
        if used > room > 0:
            widths = {i: max(24, int(w * room / used)) for i, w in widths.items()}
        header.setMinimumSectionSize(24)
        # Every shown column sized here, the last one taking what is left (Qt's stretched last
        # section would not shrink below its earlier width).
        header.setStretchLastSection(False)
        widths[shown[-1]] = max(24, available - sum(widths.values()))
        for i, width in widths.items():
            header.resizeSection(i, width)

    def select_item(self, item_id: str) -> bool:
        """Select and show the row whose object has ``id`` ``item_id``; False when none has."""
        for row in range(self.proxy.rowCount()):
            if getattr(self.object_at(row), "id", None) == item_id:
                self.selectRow(row)
                self.scrollTo(self.proxy.index(row, 0))
                return True
        return False

    @guarded
    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt signature
        super().resizeEvent(event)
        if self._fits_view:
            self._fit_to_view()

    def fit_columns(self) -> None:
        """Columns as wide as their content (capped per column); the last one takes the rest.

        What ``resizeColumnsToContents`` does (the wider of the content and the header), with
        each content width kept for ``_fit_to_view``, which otherwise measured it all again."""
        header = self.horizontalHeader()
        self._content_widths = {}
        for section, column in enumerate(self._columns):
            if self.isColumnHidden(section):
                continue
            width = max(self._content_width(section), header.sectionSizeHint(section),
                        self.fontMetrics().horizontalAdvance(column.title) + 28)
            header.resizeSection(section, min(width, column.max_width))
        if self._fits_view:
            self._fit_to_view()
        self._fit_height()

    def _content_width(self, section: int) -> int:
        if section not in self._content_widths:
            self._content_widths[section] = self.sizeHintForColumn(section)
        return self._content_widths[section]

    @guarded
    def changeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt signature
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._content_widths = {}  # zoom or theme: the content measures differently now
        super().changeEvent(event)

    def fit_width(self, cap: int) -> None:
        """Ask for the width that shows every column (at most ``cap``); where the page is
        narrower, the columns shrink to fit it (their text elides) instead of scrolling sideways."""
        self._hint_width = min(self.natural_width(), cap)
        self._fits_view = True
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMaximumWidth(self._hint_width)
        self.updateGeometry()

    @guarded
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        return hint if self._hint_width is None else QSize(self._hint_width, hint.height())

    def natural_width(self) -> int:
        """The width that shows every column without scrolling."""
        header = self.horizontalHeader()
        return sum(header.sectionSize(i) for i in range(header.count())) + 2 * self.frameWidth() + 2

    def _fit_height(self) -> None:
        if self._fit_rows is None:
            return
        rows = max(1, min(self.source.rowCount(), self._fit_rows))
        height = self.horizontalHeader().sizeHint().height() + rows * self.verticalHeader().defaultSectionSize()
        if self.horizontalScrollBar().maximum() > 0:
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height + 2 * self.frameWidth())

    def object_at(self, proxy_row: int) -> Any:
        return self.proxy.index(proxy_row, 0).data(ObjectRole)

    def selected_object(self) -> Any:
        rows = self.selectionModel().selectedRows()
        return rows[0].data(ObjectRole) if rows else None

    def _on_activated(self, index: QModelIndex) -> None:
        obj = index.data(ObjectRole)
        if obj is not None:
            self.object_activated.emit(obj)
