"""The case page's sections: a list beside the content instead of a tab bar.

Thirteen sections with counts need about 1,300 px as tabs, so at 900 px most hid behind scroll
arrows. A vertical list always shows every section with its count, and is keyboard navigable
(arrows, Home/End, type-ahead). A narrow pane (``COMPACT_PANE``) offers the same entries in a
drop-down above the page instead, leaving the page the whole width. Sections also have keys
(``section_keys``): Ctrl+1 … Ctrl+9, then Alt+2 … by position, and Ctrl+J for the Raw JSON; the
main window makes them actions.

``SectionView`` keeps the small part of ``QTabWidget``'s API the pane and its callers use
(``addTab``, ``count``, ``currentIndex``, ``setCurrentIndex``, ``currentWidget``,
``setCurrentWidget``, ``indexOf``, ``widget``, ``tabText``, ``setTabText``, ``currentChanged``), so
code that picked a tab picks a section the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseviewer.ui.guard import guarded
from caseviewer.ui.zoom import scaled

#: Keys by position for the sections: nine on the number row, then Alt+2 … (Alt+0 and Alt+1 are the
#: previews' fit and 100 %; Ctrl+0 is the window's zoom reset); the Raw JSON has its own.
POSITION_KEYS = (*(f"Ctrl+{n}" for n in range(1, 10)), *(f"Alt+{n}" for n in range(2, 10)))
RAW_KEY = "Ctrl+J"


def section_keys(pages: Sequence[QWidget]) -> list[str | None]:
    """The key of each section page, in order (None for a page past the keys)."""
    from caseviewer.ui.detail.tabs.raw import RawTab  # here: the tabs import this module's neighbours

    keys: list[str | None] = []
    free = iter(POSITION_KEYS)
    for page in pages:
        keys.append(RAW_KEY if isinstance(page, RawTab) else next(free, None))
    return keys


#: The list's width: the widest entry, within these bounds at 100 % zoom (scaled with the text;
#: text elides beyond, whole in the tooltip).
LIST_MIN_WIDTH = 96
LIST_MAX_WIDTH = 150
#: Below this pane width the list takes its narrow width, leaving the room to the content.
NARROW_PANE = 480
#: Below this pane width (at 100 % zoom, scaled with the text) the sections are chosen from a
#: drop-down above the content instead: beside a list the content was ~250 px at a 900 px window,
#: narrower than an email address or a date range, and the section scrolled sideways.
COMPACT_PANE = 440


def _plain(text: str) -> str:
    """A tab title ("Comments && notes", a mnemonic escape) as list text ("Comments & notes")."""
    return text.replace("&&", "&")


class SectionList(QListWidget):
    """The list of sections; its width follows its entries and the pane's width."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sectionList")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setUniformItemSizes(True)
        self.setSpacing(2)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Case sections")
        self.setToolTip("Sections of this case (Ctrl+1…9)")
        self._narrow = False

    def natural_width(self) -> int:
        metrics = self.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.item(i).text()) for i in range(self.count())), default=60)
        return widest + 28 + (self.verticalScrollBar().sizeHint().width() if self.verticalScrollBar().isVisible() else 0)

    def set_narrow(self, narrow: bool) -> None:
        self._narrow = narrow
        self.update_width()

    def update_width(self) -> None:
        # The bounds are for 100 % and grow with the text: at 200 % the names fit as they do at 100 %.
        low = scaled(LIST_MIN_WIDTH, self.font())
        cap = scaled(LIST_MIN_WIDTH + 36, self.font()) if self._narrow else scaled(LIST_MAX_WIDTH, self.font())
        self.setFixedWidth(max(low, min(self.natural_width(), cap)))

    @guarded
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self.update_width()  # zoom
        super().changeEvent(event)

    @guarded
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.width(), super().sizeHint().height())


class SectionView(QWidget):
    """A section list beside a stack of section pages (the pane's former tab widget)."""

    currentChanged = Signal(int)  # noqa: N815 - QTabWidget's name, kept for its callers

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = SectionList()
        self.stack = QStackedWidget()
        # The compact form: the same entries (the list's own model) in a drop-down above the page.
        self.combo = QComboBox()
        self.combo.setObjectName("sectionCombo")
        self.combo.setModel(self.list.model())
        self.combo.setAccessibleName("Case section")
        self.combo.setToolTip("Sections of this case (Ctrl+1…9)")
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        self.combo.hide()
        self._rule = QFrame()
        self._rule.setFrameShape(QFrame.Shape.VLine)
        self._rule.setFrameShadow(QFrame.Shadow.Sunken)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.list)
        row.addWidget(self._rule)
        row.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.combo)
        layout.addLayout(row, 1)
        self.list.currentRowChanged.connect(self._on_row)
        self.combo.activated.connect(self.setCurrentIndex)

    # -- QTabWidget's API, as far as the pane uses it ------------------------------------------
    def addTab(self, widget: QWidget, text: str) -> int:  # noqa: N802 - QTabWidget's name
        text = _plain(text)
        index = self.stack.addWidget(widget)
        item = QListWidgetItem(text)
        item.setToolTip(self._tooltip(index, text))
        self.list.addItem(item)
        if self.list.currentRow() < 0:
            self.list.setCurrentRow(0)
        self.list.update_width()
        return index

    def count(self) -> int:
        return self.stack.count()

    def currentIndex(self) -> int:  # noqa: N802
        return self.stack.currentIndex()

    def setCurrentIndex(self, index: int) -> None:  # noqa: N802
        if 0 <= index < self.count():
            self.list.setCurrentRow(index)  # the list's signal switches the page

    def currentWidget(self) -> QWidget | None:  # noqa: N802
        return self.stack.currentWidget()

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802
        self.setCurrentIndex(self.stack.indexOf(widget))

    def indexOf(self, widget: QWidget) -> int:  # noqa: N802
        return self.stack.indexOf(widget)

    def widget(self, index: int) -> QWidget | None:
        return self.stack.widget(index)

    def tabText(self, index: int) -> str:  # noqa: N802
        item = self.list.item(index)
        return item.text() if item is not None else ""

    def setTabText(self, index: int, text: str) -> None:  # noqa: N802
        item = self.list.item(index)
        text = _plain(text)
        if item is not None and item.text() != text:
            item.setText(text)
            item.setToolTip(self._tooltip(index, text))

    def refresh_width(self) -> None:
        """After the titles changed (a new case's counts)."""
        self.list.update_width()

    # -- internals -----------------------------------------------------------------------------
    @staticmethod
    def _tooltip(index: int, text: str) -> str:
        return f"{text} (Ctrl+{index + 1})" if index < 9 else text

    def _on_row(self, row: int) -> None:
        if self.combo.currentIndex() != row:
            self.combo.setCurrentIndex(row)
        if 0 <= row < self.stack.count() and row != self.stack.currentIndex():
            self.stack.setCurrentIndex(row)
            self.currentChanged.emit(row)

    @property
    def is_compact(self) -> bool:
        """The sections are offered in the drop-down above the page, not the list beside it."""
        return not self.combo.isHidden()

    def _set_compact(self, compact: bool) -> None:
        if compact == self.is_compact:
            return
        had_focus = (self.list if compact else self.combo).hasFocus()
        self.combo.setVisible(compact)
        self.list.setVisible(not compact)
        self._rule.setVisible(not compact)
        if had_focus:  # the keyboard stays on the sections
            (self.list if not compact else self.combo).setFocus()

    @guarded
    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt signature
        width = event.size().width()
        self._set_compact(width < scaled(COMPACT_PANE, self.font()))
        self.list.set_narrow(width < NARROW_PANE)
        super().resizeEvent(event)
