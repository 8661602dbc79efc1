"""Word-wrapped labels that a narrow page cannot squeeze below their widest word.

Qt's minimum width for a word-wrapped ``QLabel`` is a guess (about a third of the text's width
or a fixed width, whichever is less), so a narrow case page laid its values out narrower than a
date or a name and cut the end off ("74 (born 1952-08-1"). ``WordLabel`` reports the width of
the widest piece Qt's line breaking cannot split, so such a page scrolls rather than clips.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, QTextBoundaryFinder
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel

from caseviewer.ui.guard import guarded

#: Texts up to this long are measured for their longest unbreakable piece (``WordLabel``);
#: longer ones are shown in scroll boxes (``LongText``) and keep Qt's own minimum.
MEASURED_CHARS = 4000


def longest_piece_width(text: str, metrics: QFontMetrics) -> int:
    """The width of the widest piece of ``text`` a word-wrapping label cannot break (a word, a
    date, "1952-08-11)"), split where Qt's text layout may break a line."""
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, text)
    widest, start = 0, 0
    while (end := finder.toNextBoundary()) != -1:
        widest = max(widest, metrics.horizontalAdvance(text[start:end].rstrip()))
        start = end
    return widest


class WordLabel(QLabel):
    """A label whose word-wrapped text is never squeezed narrower than its widest word.

    Qt's minimum for a word-wrapped label is a guess that a narrow page goes below, cutting off
    the end of a word ("74 (born 1952-08-1"); with this minimum the page scrolls instead."""

    @guarded
    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        text = self.text()
        if not self.wordWrap() or not text or len(text) > MEASURED_CHARS:
            return hint
        key = (text, self.font().key())
        if getattr(self, "_measured", None) is None or self._measured[0] != key:
            margins = self.contentsMargins()
            width = longest_piece_width(text, self.fontMetrics()) + margins.left() + margins.right() + 2 * self.margin()
            self._measured = (key, width)
        return QSize(max(hint.width(), self._measured[1]), hint.height())


__all__ = ["MEASURED_CHARS", "WordLabel", "longest_piece_width"]
