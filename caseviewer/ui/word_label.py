"""Word-wrapped labels that a narrow page can neither squeeze below a word nor widen past its window.

Qt's minimum width for a word-wrapped ``QLabel`` is a guess (about a third of the text's width
or a fixed width, whichever is less), so a narrow case page laid its values out narrower than a
date or a name and cut the end off ("74 (born 1952-08-1"). ``WordLabel`` reports the width of
the widest piece Qt's line breaking cannot split, so such a page never clips a word.

A piece longer than ``BREAK_LONGER_THAN`` characters (a pasted token, a 120-character address)
would then make the whole page as wide as it, and the page scrolled sideways. Qt's labels can
only wrap at word boundaries, so ``WordLabel`` shows such a piece with an invisible break point
(U+200B) between its characters and it wraps like any text. The label still answers ``text()``
and ``selectedText()``, Ctrl+C, its Copy menu and X11's primary selection with the text as sent:
the break points are only drawn, never copied (dragging the selected text away is Qt's own and
still carries them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QSize, Qt, QTextBoundaryFinder
from PySide6.QtGui import QClipboard, QFontMetrics, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu

from caseviewer.ui.guard import guarded

#: Texts up to this long are measured for their longest unbreakable piece (``WordLabel``);
#: longer ones are shown in scroll boxes (``LongText``) and keep Qt's own minimum.
MEASURED_CHARS = 4000
#: A piece a line cannot break that is longer than this (in characters) is given break points:
#: about 230 px at the default font, under the narrowest case page (~250 px at 900 × 600).
BREAK_LONGER_THAN = 32
#: The break point: ZERO WIDTH SPACE, which draws nothing and lets a line break after it.
BREAK = "\u200b"
_LONG_RUN = re.compile(r"\S{%d,}" % (BREAK_LONGER_THAN + 1))


def qt_offsets(text: str) -> dict[int, int]:
    """Qt's text positions (UTF-16 units) of ``text``'s character boundaries, to its indices."""
    offsets, unit = {}, 0
    for index, char in enumerate(text):
        offsets[unit] = index
        unit += 2 if ord(char) > 0xFFFF else 1
    offsets[unit] = len(text)
    return offsets


def _boundaries(kind: QTextBoundaryFinder.BoundaryType, text: str) -> Iterator[tuple[int, int]]:
    """``text`` cut where Qt's boundary finder of ``kind`` finds boundaries, as (start, end)
    indices into ``text``; nothing when Qt's positions do not map onto its characters."""
    offsets = qt_offsets(text)
    finder = QTextBoundaryFinder(kind, text)
    start = 0
    while (position := finder.toNextBoundary()) != -1:
        end = offsets.get(position)
        if end is None:
            return
        if end > start:
            yield start, end
        start = end


def line_pieces(text: str) -> Iterator[str]:
    """The pieces of ``text`` between the places Qt's text layout may break a line (a word with
    the spaces after it, a date, "1952-08-11)")."""
    for start, end in _boundaries(QTextBoundaryFinder.BoundaryType.Line, text):
        yield text[start:end]


def longest_piece_width(text: str, metrics: QFontMetrics) -> int:
    """The width of the widest piece of ``text`` a word-wrapping label cannot break."""
    return max((metrics.horizontalAdvance(piece.rstrip()) for piece in line_pieces(text)), default=0)


def breakable(text: str) -> str:
    """``text`` with a ``BREAK`` between the characters of every piece longer than
    ``BREAK_LONGER_THAN``, so a label can wrap it; ``text`` itself when it has none.

    Breaks go between grapheme clusters (an emoji sequence or a letter with its accents stays
    whole). A text that holds a ``BREAK`` already is left as sent, so removing the breaks gives
    back exactly the text."""
    if len(text) > MEASURED_CHARS or BREAK in text or not _LONG_RUN.search(text):
        return text
    out = []
    for piece in line_pieces(text):
        word = piece.rstrip()
        if len(word) > BREAK_LONGER_THAN:
            clusters = [word[start:end] for start, end in
                        _boundaries(QTextBoundaryFinder.BoundaryType.Grapheme, word)]
            piece = BREAK.join(clusters) + piece[len(word):] if "".join(clusters) == word else piece
        out.append(piece)
    shown = "".join(out)
    return shown if shown.replace(BREAK, "") == text else text


def has_long_piece(text: str) -> bool:
    """Whether ``text`` holds a piece ``breakable`` gives break points."""
    return breakable(text) != text


class WordLabel(QLabel):
    """A label whose word-wrapped text is never squeezed narrower than its widest word, and
    whose over-long pieces wrap anywhere (``breakable``) rather than widen the page."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - QLabel's overloads
        text = args[0] if args and isinstance(args[0], str) else None
        super().__init__(*(args[1:] if text is not None else args), **kwargs)
        self._source = self._shown = ""  # the text as set; the text drawn (breaks, a clamp)
        self._broken = False  # break points were put in (the text as set had none)
        if text:
            self.setText(text)

    @guarded
    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        shown = breakable(text)
        self._source, self._shown, self._broken = text, shown, shown != text
        super().setText(shown)

    def show_drawn(self, shown: str) -> None:
        """Draw ``shown`` (the text as set, with its break points, shortened: ``ClampedLabel``)
        while ``text()`` still answers the text as set."""
        self._shown = shown
        super().setText(shown)

    @guarded
    def text(self) -> str:
        """The text as set, without the break points drawn in it."""
        shown = super().text()
        return self._source if shown == self._shown else shown

    @guarded
    def selectedText(self) -> str:  # noqa: N802 - Qt's name
        selected = super().selectedText()
        return selected.replace(BREAK, "") if self._has_breaks() else selected

    def _has_breaks(self) -> bool:
        return self._broken and super().text() == self._shown

    @guarded
    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        text = super().text()  # as drawn: its break points are places a line may break
        if not self.wordWrap() or not text or len(text) > MEASURED_CHARS:
            return hint
        key = (text, self.font().key())
        if getattr(self, "_measured", None) is None or self._measured[0] != key:
            margins = self.contentsMargins()
            width = longest_piece_width(text, self.fontMetrics()) + margins.left() + margins.right() + 2 * self.margin()
            self._measured = (key, width)
        return QSize(max(hint.width(), self._measured[1]), hint.height())

    @guarded
    def keyPressEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt signature
        if self._has_breaks() and event.matches(QKeySequence.StandardKey.Copy) and self.hasSelectedText():
            QGuiApplication.clipboard().setText(self.selectedText())  # Qt's own copy keeps the breaks
            event.accept()
            return
        super().keyPressEvent(event)

    @guarded
    def mouseReleaseEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt signature
        super().mouseReleaseEvent(event)  # Qt puts the selection, breaks and all, in X11's primary selection
        if self._has_breaks() and self.hasSelectedText():
            clipboard = QGuiApplication.clipboard()
            if clipboard.supportsSelection():
                clipboard.setText(self.selectedText(), QClipboard.Mode.Selection)

    @guarded
    def contextMenuEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt signature
        if not self._has_breaks() or not self.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse:
            super().contextMenuEvent(event)
            return
        menu = QMenu(self)  # Qt's own menu would copy the break points
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        copy = menu.addAction("&Copy", lambda: QGuiApplication.clipboard().setText(self.selectedText()))
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setEnabled(self.hasSelectedText())
        units = len(self._shown.encode("utf-16-le", "surrogatepass")) // 2
        menu.addAction("Select &All", lambda: self.setSelection(0, units))
        menu.popup(event.globalPos())
        event.accept()


__all__ = ["BREAK", "BREAK_LONGER_THAN", "MEASURED_CHARS", "WordLabel", "breakable", "has_long_piece",
           "line_pieces", "longest_piece_width", "qt_offsets"]
