"""A layout that places widgets left to right and wraps onto the next line when the row is full.

For header rows of chips and labels (author, time, badges, id) that must not make a card wider
than the pane: on a narrow pane they wrap instead of pushing the card (and its text) off-screen.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget
from caseviewer.ui.guard import guarded


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, *, spacing: int = 10, line_spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._line_spacing = line_spacing
        #: heightForWidth by width until the layout changes: Qt asks the same width many times
        #: per layout pass, and a column of thirty cards was spending most of its layout here.
        self._heights: dict[int, int] = {}
        self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout's item API ------------------------------------------------------------------
    @guarded
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    @guarded
    def count(self) -> int:
        return len(self._items)

    @guarded
    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    @guarded
    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # -- geometry -----------------------------------------------------------------------------
    @guarded
    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    @guarded
    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    @guarded
    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = self._arrange(QRect(0, 0, width, 0), place=False)
        return height

    @guarded
    def invalidate(self) -> None:
        self._heights.clear()
        super().invalidate()

    @guarded
    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    @guarded
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Everything on one line."""
        width = height = 0
        for item in self._visible():
            hint = item.sizeHint()
            width += hint.width() + (self._spacing if width else 0)
            height = max(height, hint.height())
        margins = self.contentsMargins()
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    @guarded
    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        """As narrow as the widest single item: the rest wraps."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if item.widget() is None or not item.widget().isHidden()]

    def _arrange(self, rect: QRect, *, place: bool) -> int:
        """Lay the items out in lines (placing them when ``place``); returns the height used.
        Items of one line are centred on it, so a badge and a plain label sit on one axis."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        lines: list[list[tuple[QLayoutItem, int, QSize]]] = [[]]
        x = area.x()
        for item in self._visible():
            hint = item.sizeHint()
            width = min(hint.width(), area.width())  # an item wider than the row gets the row
            if lines[-1] and x + width > area.right() + 1:
                lines.append([])
                x = area.x()
            lines[-1].append((item, x, QSize(width, hint.height())))
            x += width + self._spacing
        y = area.y()
        for number, line in enumerate(lines):
            if not line:
                continue
            if number:
                y += self._line_spacing
            line_height = max(size.height() for _, _, size in line)
            if place:
                for item, left, size in line:
                    top = y + (line_height - size.height()) // 2
                    item.setGeometry(QRect(QPoint(left, top), size))
            y += line_height
        return y - rect.y() + margins.bottom()


__all__ = ["FlowLayout"]
