"""Activity tab: the case's audit trail, newest first, in one sortable table."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from caseviewer.core.models import Activity, CaseDetail
from caseviewer.core.vocabulary import Vocab, activity_value
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.table import Cell, Column, DataTable, flag_cell, time_cell
from caseviewer.ui.detail.tabs.base import DetailTab
from caseviewer.ui.detail.widgets import SPACING, empty_state


def _type_cell(a: Activity) -> Cell:
    tip = "\n".join(p for p in (a.type or "", f"ID: {a.id}" if a.id else "") if p)
    return Cell(fmt.word(Vocab.ACTIVITY_TYPE, a.type), tooltip=fmt.plain_tooltip(tip))


def _value_cell(a: Activity, value: object) -> Cell:
    worded = activity_value(a.type, value)
    text = fmt.any_text(worded)
    if worded is not value:
        shown = fmt.one_line(text, 200)
        return Cell(shown, tooltip=fmt.code_tooltip(str(value)))
    shown = fmt.one_line(text, 200)
    return Cell(shown, tooltip=fmt.plain_tooltip(text) if shown != text else "")


ACTIVITY_COLUMNS = [
    Column("Time", lambda a: time_cell(a.timestamp)),
    Column("Type", _type_cell, max_width=240),
    Column("PHI", lambda a: flag_cell(a.is_phi), max_width=60),
    Column("Restricted", lambda a: flag_cell(a.is_restricted), max_width=90),
    Column("Value before", lambda a: _value_cell(a, a.value_before), max_width=260),
    Column("Value after", lambda a: _value_cell(a, a.value_after), max_width=260),
]


class ActivityTab(DetailTab):
    TITLE = "Activity"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = DataTable(ACTIVITY_COLUMNS, sort_column=0, descending=True, fold=True, name="Activity")
        self.empty = empty_state("No activity recorded on this case")
        self.layout_.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        self.layout_.addWidget(self.table)
        self.layout_.addWidget(self.empty)

    def count(self, detail: CaseDetail) -> int | None:
        return len(detail.activity)

    def render(self, detail: CaseDetail) -> None:
        self.table.set_rows(detail.activity)
        self.table.setVisible(bool(detail.activity))
        self.empty.setVisible(not detail.activity)

    def reveal(self, item_id: str) -> bool:
        """Select the row of the item with ``item_id`` (a timeline entry was opened)."""
        self.ensure_rendered()
        return self.table.select_item(item_id)
