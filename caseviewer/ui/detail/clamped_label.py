"""A word-wrapped label that shows at most a few lines and ends the last one with "…".

A case's title is set large at the top of the case page. Titles are the service's free text: a
long one (a pasted paragraph, a 130-character reference) wrapped over eight or nine lines at
900 × 600 and pushed the section itself half off the window. ``ClampedLabel`` draws as many
lines as it is given (``max_lines``), shortens the last one to end in "…" and then tells the
whole text in its tooltip; ``text()``, the accessible name and the Case record section keep it
whole.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QWidget

from caseviewer.ui.detail.widgets import SelectableLabel
from caseviewer.ui.word_label import breakable, qt_offsets
from caseviewer.ui.formatting import plain_tooltip
from caseviewer.ui.guard import guarded

ELLIPSIS = "\u2026"


def clamp_lines(text: str, font: QFont, width: int, max_lines: int) -> str:
    """``text`` as it wraps at ``width`` px in ``font``, cut to ``max_lines`` lines, the last
    shortened to end in an ellipsis; ``text`` itself when it fits (or nothing can be measured)."""
    if width <= 0 or max_lines <= 0 or not text:
        return text
    layout = QTextLayout(text.replace("\n", "\u2028"), font)  # a line separator: same length
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    starts: list[int] = []
    layout.beginLayout()
    while len(starts) <= max_lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append(line.textStart())
    layout.endLayout()
    if len(starts) <= max_lines:
        return text
    cut = qt_offsets(text).get(starts[max_lines - 1])
    if cut is None:
        return text
    rest = " ".join(text[cut:].split())  # the last line's own text and all after it, on one line
    last = QFontMetrics(font).elidedText(rest + ELLIPSIS, Qt.TextElideMode.ElideRight, width)
    return text[:cut] + last


class ClampedLabel(SelectableLabel):
    """A selectable, word-wrapped, plain-text label of at most ``max_lines`` lines."""

    def __init__(self, max_lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._max_lines = max_lines
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setCursor(Qt.CursorShape.IBeamCursor)

    @guarded
    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setAccessibleName(text)
        self._clamp(self.contentsRect().width())

    def is_clamped(self) -> bool:
        return self._shown != breakable(self._source)

    def _clamp(self, width: int) -> None:
        whole = breakable(self._source)
        shown = clamp_lines(whole, self.font(), width, self._max_lines)
        if shown != self._shown:
            self.show_drawn(shown)
        self.setToolTip(plain_tooltip(self._source) if shown != whole else "")

    @guarded
    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        margins = self.contentsMargins()
        inner = width - margins.left() - margins.right() - 2 * self.margin()
        shown = clamp_lines(breakable(self._source), self.font(), inner, self._max_lines)
        box = self.fontMetrics().boundingRect(QRect(0, 0, max(1, inner), 1 << 20),
                                              Qt.TextFlag.TextWordWrap, shown)
        return box.height() + margins.top() + margins.bottom() + 2 * self.margin()

    @guarded
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._clamp(self.contentsRect().width())

    @guarded
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # zoom: the same width holds other lines
            self._clamp(self.contentsRect().width())


__all__ = ["ClampedLabel", "clamp_lines"]
