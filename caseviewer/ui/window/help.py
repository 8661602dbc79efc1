"""Help for the window: the F1 shortcut sheet (generated from the live actions), About, Theme."""

from __future__ import annotations

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QMessageBox

from caseviewer import __version__
from caseviewer.ui import icons
from caseviewer.ui.window.actions import shortcut_rows, shortcut_sheet_html


def shortcut_actions(window: QMainWindow) -> list[QAction]:
    """Every action whose shortcut the sheet lists: the window's, then the attachment actions."""
    actions = list(window.actions())
    pane_actions = getattr(window.pane, "actions", None)
    if pane_actions is not None:
        for action in (pane_actions.save_action, pane_actions.save_all_action, pane_actions.open_action):
            action.setProperty("sheetGroup", "Attachments")
            actions.append(action)
    return actions


def show_shortcuts(window: QMainWindow) -> QMessageBox:
    """F1: the sheet, generated from the actions themselves (see ui/window/actions.py)."""
    box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts",
                      shortcut_sheet_html(shortcut_rows(shortcut_actions(window))),
                      QMessageBox.StandardButton.Close, window)
    box.setObjectName("shortcutSheet")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_about(window: QMainWindow) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "About caseviewer",
        f"caseviewer {__version__}\nA case browser for case reviewers.\n\nQt {qVersion()}, PySide6 {pyside_version}",
        QMessageBox.StandardButton.Close,
        window,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


class ThemeMenu:
    """System / Light / Dark; the choice is applied at once and remembered in ui.ini."""

    def __init__(self, window: QMainWindow, settings, menu: QMenu) -> None:  # noqa: ANN001 - UiSettings
        self.settings = settings
        group = QActionGroup(window)
        current = settings.theme()
        self.actions: dict[str, QAction] = {}
        for choice, label in (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark"),
                              ("high-contrast", "&High contrast")):
            action = QAction(label, window, checkable=True)
            action.setChecked(choice == current)
            action.setToolTip(f"Use the {choice} colour theme" if choice != "system" else "Follow the system colour scheme")
            action.triggered.connect(lambda _checked=False, c=choice: self.set_theme(c))
            group.addAction(action)
            menu.addAction(action)
            self.actions[choice] = action
        menu.setIcon(icons.icon("theme"))

    def set_theme(self, choice: str) -> None:
        from caseviewer.ui.theme import ThemeChoice, apply_theme

        apply_theme(QApplication.instance(), ThemeChoice(choice))
        self.settings.save_theme(choice)
        self.actions[choice].setChecked(True)


__all__ = ["ThemeMenu", "shortcut_actions", "show_about", "show_shortcuts"]
