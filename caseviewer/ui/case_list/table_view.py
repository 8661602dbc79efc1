"""The case table's view set up as the window shows it, for the window and for the benchmarks.

What keeps a table of a million rows cheap to lay out and paint is set here, once:

* no vertical header: shown, it measures 200 of its sections from the model's header data on
  every reset and insert (``QHeaderView.sizeHint``, a few milliseconds a time), for row numbers
  nobody reads;
* rows of one fixed height (``row_height``, from the UI text's height, so it follows the zoom):
  nothing is measured per row;
* no word wrap, no grid, elided text, per-pixel scrolling (what every read-only table shares:
  ``ui/table_setup.py``, the case page's tables too);
* the status column drawn as chips (``status_chip``), the only delegate written in Python.

A benchmark that times the table builds its view with ``set_up_case_view`` so it times what the
window does (``tests/bench/bench_table_paint.py``, ``bench_store_table.py``).
"""

from __future__ import annotations

from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView

from caseviewer.ui.case_list.case_table_model import CaseTableModel
from caseviewer.ui.case_list.status_chip import StatusChipDelegate
from caseviewer.ui.table_setup import set_up_read_only_rows


def row_height() -> int:
    """A table row's height from the UI text's height (it follows the zoom)."""
    return max(28, QFontMetrics(QApplication.font()).height() + 12)


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


__all__ = ["row_height", "set_up_case_view"]
