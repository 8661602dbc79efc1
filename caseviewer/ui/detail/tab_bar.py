"""The "All tabs" menu in the corner of the detail tabs.

Eleven tabs with counts need about 1,070 px; in a narrower pane Qt scrolls the tab bar, and this
menu keeps every tab one click away (Ctrl+1..9 work too).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QTabWidget, QToolButton

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
        for index in range(self._tabs.count()):
            text = self._tabs.tabText(index)
            shortcut = f"\tCtrl+{index + 1}" if index < 9 else ""
            action = self._menu.addAction(text + shortcut)
            action.setCheckable(True)
            action.setChecked(index == self._tabs.currentIndex())
            action.triggered.connect(lambda _=False, i=index: self._tabs.setCurrentIndex(i))
