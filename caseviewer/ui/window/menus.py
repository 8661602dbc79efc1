"""The window's actions assembled: the action table, the section keys, the menus and the toolbar.

The rows themselves (text, shortcut, tip, slot, menu, enabled-when) are in ``ui/window/actions.py``;
this module adds what is built per window: a key for every section of the case page, the export
actions (``ui/export``), and the Columns / Case sections / Theme submenus the table's
``MenuPart`` rows name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from caseviewer.ui.window.actions import WINDOW_ACTIONS, build_actions, build_menus, build_toolbar, make_action
from caseviewer.ui.detail.section_list import section_keys
from caseviewer.ui.window.help import ThemeMenu

if TYPE_CHECKING:
    from caseviewer.ui.window.main_window import MainWindow


def build_window_actions(window: MainWindow) -> None:
    """Every window action as ``window.<name>``, then the menu bar and the toolbar from the table."""
    build_actions(window, WINDOW_ACTIONS)
    window.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    window.about_action.setMenuRole(QAction.MenuRole.AboutRole)
    window.work_offline_action.setObjectName("workOfflineAction")
    # A key for every section of the case (Ctrl+1 … Ctrl+9, Ctrl+0, Ctrl+J for the Raw JSON).
    pane = window.pane
    window.tab_actions = []
    for index, (page, key) in enumerate(zip(pane.tab_pages, section_keys(pane.tab_pages))):
        action = make_action(window, page.TITLE, key, f"Show the {page.TITLE} section",
                             lambda index=index: pane.set_current_tab(index))
        action.setProperty("sheetGroup", "Sections")
        window.tab_actions.append(action)
    from caseviewer.ui.export.controller import ExportController  # PDF, print, CSV (ui/export)

    window.exports = ExportController(window)

    def columns(menu: QMenu) -> None:
        window.columns_menu = menu.addMenu("&Columns")
        window.columns_menu.aboutToShow.connect(lambda: window.case_list.fill_columns_menu(window.columns_menu))

    def theme(menu: QMenu) -> None:
        window.theme_menu = ThemeMenu(window, window.settings, menu.addMenu("&Theme"))
        window.theme_actions = window.theme_menu.actions

    build_menus(window, WINDOW_ACTIONS, {
        "exports": lambda menu: menu.addActions(window.exports.actions()),
        "columns": columns,
        "sections": lambda menu: menu.addMenu("Case &sections").addActions(window.tab_actions),
        "theme": theme,
    })
    build_toolbar(window, WINDOW_ACTIONS)


__all__ = ["build_window_actions"]
