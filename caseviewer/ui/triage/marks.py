"""How triage state looks: the table's bold rows, dots and flag column, and the case page's
"New" / "Changed" badges.

``TriageMarks`` is what ``CaseTableModel.triage`` asks, once per drawn row for its paint answers
(``paint_cells``) and per cell for tooltips and screen-reader words (``data``): a dict lookup, no
SQL (the controller fills it from workers). ``change_badge`` is the small hook the case page's sections use
to mark an item the reviewer has not seen yet.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLabel

from caseviewer.core.changes import Mark, RowState
from caseviewer.core.id_index import IdSet, IdStore
from caseviewer.core.reviewer_state import CaseTriage, Flag
from caseviewer.core.status import StatusTone
from caseviewer.ui import theme
from caseviewer.ui.formatting import plain_tooltip

def flag_color(flag: Flag) -> str:
    """A flag's colour in the current theme (AA against the table's row colours)."""
    return theme.current().flags[flag.value]


UPDATED_COLOR = "#1a73e8"
NEW_COLOR = "#7a8594"
_ICON_PX = 12


def _dot(color: str, *, hollow: bool = False, square: bool = False) -> QIcon:
    pixmap = QPixmap(_ICON_PX, _ICON_PX)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(color)
    rect = QRectF(2.5, 2.5, _ICON_PX - 5, _ICON_PX - 5)
    if hollow:
        painter.setPen(colour)
        painter.setBrush(Qt.BrushStyle.NoBrush)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
    if square:
        painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 2, 2)
    else:
        painter.drawEllipse(rect)
    painter.end()
    return QIcon(pixmap)


def flag_icon(flag: Flag) -> QIcon:
    return _dot(flag_color(flag), square=True)


def row_tooltip(triage: CaseTriage) -> str:
    """What the dot means, in words (no case data beyond what changed and the reviewer's note)."""
    if triage.state is RowState.NEW:
        return "New: you have not opened this case yet"
    if triage.state is RowState.UPDATED:
        return f"Updated since you last looked: {triage.changes}" if triage.changes else "Updated since you last looked"
    return ""


def row_state_words(triage: CaseTriage) -> str:
    """The row's triage state as a screen reader says it (every cell's accessible description):
    new / updated / read, then the flag and the note, in words."""
    parts = [row_tooltip(triage) or "Read"]
    if triage.flag is not None:
        parts.append(f"Flagged {triage.flag.label}")
    if triage.note:
        parts.append("Has a private note")
    return "; ".join(parts)


#: What most listed cases are: new, no flag, no note. Held once, not once per case: 100,000 listed
#: cases each with its own ``CaseTriage`` cost 11 MB; and those cases are kept as members of a
#: packed ``IdSet``, not as dict keys: the dict and its 100,000 id strings held 12 MB more. The
#: set's ids are kept in ``ids``, the store the table's rows share (``CaseTableModel.set_triage_marks``).
_PLAIN_NEW = CaseTriage("")


def _plain_new(triage: CaseTriage) -> bool:
    return triage.state is RowState.NEW and not triage.changes and triage.flag is None and not triage.note


# Roles as the plain ints the table model passes (no enum lookup per painted cell).
_ACCESSIBLE_DESCRIPTION = int(Qt.ItemDataRole.AccessibleDescriptionRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)


class TriageMarks:
    """Per case id, its ``CaseTriage``; answers ``CaseTableModel.data`` for the triage roles."""

    def __init__(self, flag_column: int, dot_column: int = 0) -> None:
        self.flag_column = flag_column
        self.dot_column = dot_column
        #: The ids the marks know, held once: the table models keep their rows' ids here too.
        self.ids = IdStore()
        self._by_id: dict[str, CaseTriage] = {}  # the cases with more to show than "new"
        self._plain = IdSet(self.ids)  # the plain new ones (unless in _by_id, which wins)
        # The last case looked up: a row's cells ask for tooltips and screen-reader words in turn.
        self._last: tuple[str | None, CaseTriage | None] = (None, None)
        self._updated = _dot(UPDATED_COLOR)
        self._new = _dot(NEW_COLOR, hollow=True)
        self._flags = {flag: flag_icon(flag) for flag in Flag}

    def get(self, case_id: str | None) -> CaseTriage | None:
        triage = self._triage(case_id) if case_id else None
        return CaseTriage(case_id) if triage is _PLAIN_NEW else triage

    def _triage(self, case_id: str) -> CaseTriage | None:
        last_id, triage = self._last
        if case_id == last_id:
            return triage
        triage = self._by_id.get(case_id)
        if triage is None and case_id in self._plain:
            triage = _PLAIN_NEW
        self._last = (case_id, triage)
        return triage

    def update(self, states: dict[str, CaseTriage]) -> set[str]:
        """Take newer states; returns the ids whose look changed."""
        changed = set()
        by_id = self._by_id
        self._last = (None, None)
        for case_id, triage in states.items():
            kept = _PLAIN_NEW if _plain_new(triage) else triage
            before = self._triage(case_id)
            if before is not kept and before != kept:
                changed.add(case_id)
            if kept is _PLAIN_NEW:
                by_id.pop(case_id, None)
                self._plain.add(case_id)
            else:
                by_id[case_id] = kept
            self._last = (None, None)
        return changed

    def ids_in_state(self, state: RowState) -> set[str]:
        ids = {case_id for case_id, triage in self._by_id.items() if triage.state is state}
        if state is _PLAIN_NEW.state:
            ids.update(case_id for case_id in self._plain if case_id not in self._by_id)
        return ids

    def paint_cells(self, case_id: str | None, cells: list[dict[int, object]]) -> None:
        """Put the marks into a row's paint answers (``CaseTableModel._paint_cells``; they win
        over the row's own): bold and the dot for an unread case, the flag column's text, colour
        and icon. A case whose marks are not known yet is left as it is."""
        triage = self._triage(case_id) if case_id else None
        if triage is None:
            return
        if triage.state is not RowState.READ:
            font = QFont()  # the application's font at the current zoom, bold
            font.setBold(True)
            for cell in cells:
                cell[_FONT] = font
            cells[self.dot_column][_DECORATION] = self._updated if triage.state is RowState.UPDATED else self._new
        flagged = cells[self.flag_column]
        label = triage.flag.label if triage.flag else ""
        flagged[_DISPLAY] = f"{label} ✎" if triage.note and label else ("✎ note" if triage.note else label)
        if triage.flag is not None:
            flagged[_FOREGROUND] = QColor(flag_color(triage.flag))  # not the model's muted grey
            flagged[_DECORATION] = self._flags[triage.flag]

    def data(self, case_id: str, column: int, role: int) -> object:
        """The marks' answer for a role that is not painted (``paint_cells`` has those): what a
        screen reader says of the row, the dot's and the flag's tooltips."""
        triage = self._triage(case_id) if case_id else None
        if triage is None:
            return None
        if role == _ACCESSIBLE_DESCRIPTION:
            return row_state_words(triage)  # the dot and the flag's colour, in words, on every cell
        if role == _TOOLTIP:
            if column == self.dot_column and triage.state is not RowState.READ:
                return plain_tooltip(row_tooltip(triage))
            if column == self.flag_column:
                parts = [f"Flag: {triage.flag.label}" if triage.flag else "", triage.note]
                return plain_tooltip("\n\n".join(p for p in parts if p)) or None
        return None


def change_badge(mark: Mark, earlier: str | None = None, what: str = "") -> QLabel | None:
    """A small "New" / "Changed" badge for an item of the case page (None when unchanged)."""
    if mark is Mark.NONE:
        return None
    from caseviewer.ui.detail.widgets import badge

    text = "New" if mark is Mark.NEW else "Changed"
    label = badge(text, StatusTone.ACTIVE)
    label.setObjectName("changeBadge")
    label.setProperty("mark", mark.value)
    tip = f"{what} since you last looked" if what else "Since you last looked"
    if earlier:
        tip += f" (was {earlier})"
    label.setToolTip(plain_tooltip(tip))
    return label


__all__ = ["flag_color", "TriageMarks", "change_badge", "flag_icon", "row_state_words", "row_tooltip"]
