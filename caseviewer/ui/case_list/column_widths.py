"""How wide each case-table column is: measured from the font, so every column fits what it holds.

Fixed pixel widths were wrong twice over: at 100 % the status column cut the longest chips
("Under manual rev…") while the reviewer's Flag column, stretched as the last section, took the
spare room with nothing in it; at 200 % zoom every column was cut. So the widths are measured
from the UI font at the current zoom (bold, as unread rows are drawn), from what each column can
hold: the longest status chip the vocabulary knows, a timestamp, the first part of a case id,
the longest flag label. The business name is the column that gives and takes: it stretches over
whatever the others leave, so the table never needs a sideways scroll bar for its default
columns. The reviewer can still widen any other column; the business name then gives way.

It gives way down to a floor (``BusinessFloor``): in a narrow table (900 px window, 200 % zoom)
stretching squeezed it to a few letters ("River B…"), the one column a reviewer reads a row by.
Below the floor it keeps its floor and the table scrolls sideways instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QHeaderView

from caseviewer.core.reviewer_state import Flag
from caseviewer.ui.case_list.case_table_model import CaseTableModel as M
from caseviewer.ui.case_list.status_chip import status_column_width
from caseviewer.ui.guard import guarded
from caseviewer.ui.zoom import monospace_font

#: Room around a cell's text (the style's margins and a little air).
_CELL_PADDING = 18
#: A timestamp as the table shows it (local time to the minute).
_TIMESTAMP_SAMPLE = "2026-12-31 23:59"
#: The part of a case id the Case ID column shows before eliding (the whole id is its tooltip).
_CASE_ID_SAMPLE = "00000000-0000…"
#: The column that stretches over what the others leave.
STRETCH_COLUMN = M.COL_BUSINESS
#: The narrowest the stretching column gets, in average characters ("Golden Wellness Pa…").
STRETCH_FLOOR_EMS = 16


def _bold_metrics() -> QFontMetrics:
    font = QFont(QApplication.font())
    font.setBold(True)  # unread rows are bold: measure what is widest
    return QFontMetrics(font)


def _text_width(metrics: QFontMetrics, text: str) -> int:
    return metrics.horizontalAdvance(text) + _CELL_PADDING


def _ems(metrics: QFontMetrics, count: float) -> int:
    return round(metrics.averageCharWidth() * count) + _CELL_PADDING


def fitted_widths() -> dict[int, int]:
    """Each column's width at the current UI font."""
    bold = _bold_metrics()
    mono = QFontMetrics(monospace_font())
    flag_width = max(bold.horizontalAdvance(f"{flag.label} ✎") for flag in Flag) + bold.height() + _CELL_PADDING
    return {  # no business name: it stretches over what these leave
        M.COL_APPLICANT: _ems(bold, 15),
        M.COL_STATUS: status_column_width(QApplication.font()) + 4,
        M.COL_CREATED: _text_width(bold, _TIMESTAMP_SAMPLE),
        M.COL_CASE_ID: mono.horizontalAdvance(_CASE_ID_SAMPLE) + _CELL_PADDING,
        M.COL_APPLICANT_ID: mono.horizontalAdvance("0" * 36) + _CELL_PADDING,
        M.COL_CASE_TYPE: _ems(bold, 12),
        M.COL_ASSIGNEE: _ems(bold, 15),
        M.COL_DBA: _ems(bold, 18),
        M.COL_FLAG: max(flag_width, _text_width(bold, M.HEADERS[M.COL_FLAG])),
    }


def lay_out_columns(header: QHeaderView, *, resize: bool = True) -> None:
    """The table's column modes, and (with ``resize``) every width from the font.

    Called when the table is built, after a restored layout (which brings the saved widths and
    order but may come from a layout where another column stretched), on Reset columns, and
    after a zoom (``resize``: the widths follow the new font).
    """
    header.setStretchLastSection(False)
    minimum = _ems(QFontMetrics(QApplication.font()), 6)
    header.setMinimumSectionSize(minimum)
    for column in range(header.count()):
        mode = QHeaderView.ResizeMode.Stretch if column == STRETCH_COLUMN else QHeaderView.ResizeMode.Interactive
        header.setSectionResizeMode(column, mode)
    if resize:
        for column, width in fitted_widths().items():
            if column < header.count():
                header.resizeSection(column, width)
    view = header.parentWidget()
    if view is not None and hasattr(view, "viewport"):
        keep_stretch_floor(header, view.viewport().width())


def stretch_floor() -> int:
    """The narrowest the stretching column gets at the current UI font."""
    return _ems(QFontMetrics(QApplication.font()), STRETCH_FLOOR_EMS)


def keep_stretch_floor(header: QHeaderView, room: int) -> None:
    """Stretch the business name over what the other shown columns leave of ``room``, unless that
    is less than its floor: then it keeps its floor and the table scrolls sideways."""
    if STRETCH_COLUMN >= header.count() or header.isSectionHidden(STRETCH_COLUMN):
        return
    others = sum(header.sectionSize(c) for c in range(header.count())
                 if c != STRETCH_COLUMN and not header.isSectionHidden(c))
    floor = stretch_floor()
    stretch = room - others >= floor
    mode = QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.Interactive
    if header.sectionResizeMode(STRETCH_COLUMN) != mode:
        header.setSectionResizeMode(STRETCH_COLUMN, mode)
    if not stretch and header.sectionSize(STRETCH_COLUMN) < floor:  # wider by the reviewer's hand stays
        header.resizeSection(STRETCH_COLUMN, floor)


class BusinessFloor(QObject):
    """Keeps the business name at or above its floor as the table's viewport or the other
    columns change size (an event filter on the viewport, and the header's section signals)."""

    def __init__(self, header: QHeaderView) -> None:
        super().__init__(header)
        self.header = header
        view = header.parentWidget()
        if view is not None:
            view.viewport().installEventFilter(self)
        header.sectionResized.connect(self._section_resized)

    def apply(self) -> None:
        view = self.header.parentWidget()
        if view is not None:
            keep_stretch_floor(self.header, view.viewport().width())

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != STRETCH_COLUMN:  # its own resizes come from here
            self.apply()

    @guarded
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self.apply()
        return False


def default_width(column: int) -> int:
    """The width a column gets when it is shown again."""
    return fitted_widths().get(column, 120)


__all__ = ["STRETCH_COLUMN", "BusinessFloor", "default_width", "fitted_widths", "keep_stretch_floor",
           "lay_out_columns", "stretch_floor"]
