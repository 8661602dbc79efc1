"""The "All tabs" menu in the corner of the detail tabs.

Eleven tabs with counts need about 1,070 px; in a narrower pane Qt scrolls the tab bar, and this
menu keeps every tab one click away. Every section also has a key (``section_keys``): Ctrl+1 …
Ctrl+9 and Ctrl+0 by position, and Ctrl+J for the Raw JSON; the main window makes them actions.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMenu, QTabWidget, QToolButton, QWidget

#: Keys by position for the sections (ten on the number row); the Raw JSON has its own.
POSITION_KEYS = tuple(f"Ctrl+{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 0))
RAW_KEY = "Ctrl+J"


def section_keys(pages: Sequence[QWidget]) -> list[str | None]:
    """The key of each section page, in order (None for a page past the keys)."""
    from caseviewer.ui.detail.tabs.raw import RawTab  # here: tabs import this module's neighbours

    keys: list[str | None] = []
    free = iter(POSITION_KEYS)
    for page in pages:
        keys.append(RAW_KEY if isinstance(page, RawTab) else next(free, None))
    return keys

class TabListButton(QToolButton):
    """Corner button listing every tab of ``tabs``, with its count, in a menu."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self._tabs = tabs
        self.setText("All tabs")
        self.setToolTip("Show the list of all tabs")
        self.setAutoRaise(True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._menu = QMenu(self)
        self._menu.aboutToShow.connect(self._fill)
        self.setMenu(self._menu)

    def _fill(self) -> None:
        self._menu.clear()
        keys = section_keys([self._tabs.widget(i) for i in range(self._tabs.count())])
        for index in range(self._tabs.count()):
            text = self._tabs.tabText(index)
            shortcut = f"\t{keys[index]}" if keys[index] else ""
            action = self._menu.addAction(text + shortcut)
            action.setCheckable(True)
            action.setChecked(index == self._tabs.currentIndex())
            action.triggered.connect(lambda _=False, i=index: self._tabs.setCurrentIndex(i))
