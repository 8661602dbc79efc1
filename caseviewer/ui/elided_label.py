"""A one-line label that shortens its text to the width it is given, instead of being cut off.

A plain ``QLabel`` asks for its whole text's width; where a layout cannot give it that (a file
name beside two buttons in a narrow pane) Qt paints it cut mid-letter under its neighbours.
``ElidedLabel`` asks for the whole width but accepts less: it then shows the text with an
ellipsis in the middle (a file's extension stays visible), and its tooltip and accessible name
carry the whole text.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from caseviewer.ui.formatting import plain_tooltip
from caseviewer.ui.guard import guarded

#: How much of the text the label may shrink to, in characters' widths.
_MIN_CHARS = 6


class ElidedLabel(QLabel):
    """A plain-text, one-line label shown whole when it fits and elided in the middle when not."""

    #: Shortens its text on purpose (layout checks in the tests skip such labels).
    ELIDES = True

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._full = ""
        self.set_full_text(text)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(plain_tooltip(text) if text else "")
        self.setAccessibleName(text)
        self._elide()
        self.updateGeometry()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, width) if width > 0 else self._full
        if shown != self.text():
            self.setText(shown)

    @guarded
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right()
        return QSize(width, super().sizeHint().height())

    @guarded
    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.fontMetrics().averageCharWidth() * _MIN_CHARS, super().minimumSizeHint().height())

    @guarded
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._elide()


__all__ = ["ElidedLabel"]
