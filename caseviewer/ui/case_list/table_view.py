"""The case table's view set up as the window shows it, for the window and for the benchmarks.

What keeps a table of a million rows cheap to lay out and paint is set here, once:

* no vertical header: shown, it measures 200 of its sections from the model's header data on
  every reset and insert (``QHeaderView.sizeHint``, a few milliseconds a time), for row numbers
  nobody reads;
* rows of one fixed height (``row_height``, from the UI text's height, so it follows the zoom):
  nothing is measured per row;
* no word wrap, no grid, elided text, per-pixel scrolling (what every read-only table shares:
  ``ui/table_setup.py``, the case page's tables too);
* the status column drawn as chips (``status_chip``), the only delegate written in Python;
* rows the cache has not handed over yet (a scrollbar dragged across a million cached cases)
  painted as the blank rows they are, without asking the model cell by cell (``CaseTableView``):
  a screenful of placeholders cost 9-14 ms in calls into Python, most of a drag's first frame.

A benchmark that times the table builds its view with ``set_up_case_view`` so it times what the
window does (``tests/bench/bench_table_paint.py``, ``bench_store_table.py``).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QHeaderView, QStyle, QStyleOptionViewItem, QTableView

from caseviewer.ui.case_list.case_table_model import CaseTableModel
from caseviewer.ui.case_list.status_chip import StatusChipDelegate
from caseviewer.ui.guard import guarded
from caseviewer.ui.table_setup import set_up_read_only_rows

_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
_PLAIN = QStyleOptionViewItem.ViewItemFeature.None_
_ROW_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewRow


def row_height() -> int:
    """A table row's height from the UI text's height (it follows the zoom)."""
    return max(28, QFontMetrics(QApplication.font()).height() + 12)


class CaseTableView(QTableView):
    """The case table's view: as QTableView, except that a paint finding only rows the model
    does not hold yet (``StoreTableModel.holds_any``) draws their blank rows itself and asks for
    their windows (``want_rows``), instead of asking every cell for the nothing it would draw.

    Rows selected or current on screen take Qt's own paint (their highlight and focus frame).
    """

    @guarded
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        rows = self.placeholder_rows(event.rect())
        if rows is None:
            super().paintEvent(event)
        else:
            self.model().want_rows(*rows)
            self._paint_blank_rows(*rows)

    def placeholder_rows(self, rect: QRect) -> tuple[int, int] | None:
        """The rows in ``rect`` (of the viewport), first and last, when the model holds none of
        them and none is current or selected; None when Qt's own paint is wanted."""
        model = self.model()
        holds_any = getattr(model, "holds_any", None)
        if holds_any is None:
            return None  # the online model: every listed row is here
        first = self.rowAt(rect.top())
        if first < 0:
            return None
        last = self.rowAt(rect.bottom())
        last = model.rowCount() - 1 if last < 0 else last
        if holds_any(first, last) or self._marks_any(first, last):
            return None
        return first, last

    def _marks_any(self, first: int, last: int) -> bool:
        """Whether one of the rows is the current one or selected (Qt paints those)."""
        current = self.currentIndex()
        if current.isValid() and first <= current.row() <= last:
            return True
        selection = self.selectionModel()
        root = QModelIndex()
        return selection is not None and any(selection.isRowSelected(row, root) for row in range(first, last + 1))

    def _paint_blank_rows(self, first: int, last: int) -> None:
        """Each row's panel as Qt draws it under a cell with nothing in it (the alternate
        background on every other row)."""
        painter = QPainter(self.viewport())
        try:
            option = QStyleOptionViewItem()
            option.initFrom(self)
            option.palette = self.palette()
            width = self.viewport().width()
            alternating, style = self.alternatingRowColors(), self.style()
            for row in range(first, last + 1):
                option.rect = QRect(0, self.rowViewportPosition(row), width, self.rowHeight(row))
                option.features = _ALTERNATE if alternating and row % 2 else _PLAIN
                style.drawPrimitive(_ROW_PANEL, option, painter, self)
        finally:
            painter.end()


def set_up_case_view(view: QTableView, *, status_chips: bool = True) -> None:
    """Set ``view`` up as the window's case table (its model, header menus and names are the
    caller's); ``status_chips`` False leaves the status column as plain text."""
    set_up_read_only_rows(view)
    view.setShowGrid(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(row_height())
    if status_chips:
        view.setItemDelegateForColumn(CaseTableModel.COL_STATUS, StatusChipDelegate(view))
    view.setSortingEnabled(False)  # a header click asks the service (ui/window/case_list.py)


__all__ = ["CaseTableView", "row_height", "set_up_case_view"]
