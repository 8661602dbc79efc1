"""What every read-only table of rows in the window shares, set in one place.

The case table (``ui/case_list/table_view.py``) and the case page's tables (``ui/detail/table.py``)
are lists to read, never to edit: they select whole rows, scroll smoothly, show one line a cell and
let Tab leave them. Each adds its own on top (row height, grid, delegates, headers).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView


def set_up_read_only_rows(view: QTableView) -> None:
    """What every read-only list of rows shares (the case table, the case page's tables): one
    row selected at a time, nothing edited, alternating rows, one line a cell elided at the
    right, per-pixel scrolling, no row numbers, and Tab leaves the table (arrows move in it: no
    keyboard trap)."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.verticalHeader().hide()


__all__ = ["set_up_read_only_rows"]
