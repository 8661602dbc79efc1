"""The main window's one table of actions: menus, toolbar, enabled-when, and the F1 sheet.

Every command the window offers is one ``ActionSpec`` row (text, shortcut, tip, icon, slot, which
menu, whether on the toolbar, enabled-when); a ``MenuPart`` row marks where a menu takes a part the
window supplies (the export actions, the Columns / Case sections / Theme submenus).
``build_actions`` turns the rows into ``QAction``s on the window, ``build_menus`` and
``build_toolbar`` place them, and ``apply_states`` is the enabled-when column applied to a
``WindowState`` (plain flags read on the GUI thread). ``shortcut_rows`` builds the sheet from the
live ``QAction``s (the window's, the detail sections' and the attachment actions'), so a shortcut
added anywhere shows up on the sheet without anyone remembering to list it.

Table order is the sheet's order within a group; a menu lists its rows in table order.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from caseviewer.ui import icons
from caseviewer.ui.window.cache_actions import format_bytes

Shortcut = str | QKeySequence.StandardKey | Qt.Key | tuple[str, ...] | None


@dataclass(frozen=True)
class WindowState:
    """What the window's actions depend on; plain values, read without I/O on the GUI thread."""

    offline: bool = False
    has_cache: bool = False
    has_list: bool = False
    syncing: bool = False
    cache_size: int | None = None
    no_cache_reason: str = ""
    can_update_credentials: bool = False


#: A state-dependent tip: the text for a state (set as tooltip, and as status tip unless told not).
StateTip = Callable[[WindowState], str]


@dataclass(frozen=True)
class ActionSpec:
    """One window command. ``slot`` receives the window; ``name`` is the window attribute."""

    name: str
    text: str
    shortcut: Shortcut
    tip: str
    slot: Callable[[Any], object]
    icon: str = ""
    checkable: bool = False
    #: The sheet's group heading; "" keeps the action off the sheet when it has no shortcut.
    group: str = "Cases"
    #: The menu it is listed in ("&File" …; "" for none), after a separator when told.
    menu: str = ""
    separator_before: bool = False
    toolbar: bool = False
    #: When the action is enabled (None: always, untouched by ``apply_states``).
    enabled_when: Callable[[WindowState], bool] | None = None
    #: Its tip for a state (None: the fixed ``tip``); ``tip_is_status`` sets the status tip too.
    tip_when: StateTip | None = None
    tip_is_status: bool = True


@dataclass(frozen=True)
class MenuPart:
    """Where a menu takes a part the window supplies (``parts[name](menu)`` fills it)."""

    name: str
    menu: str
    separator_before: bool = False


def key_text(sequence: QKeySequence) -> str:
    """A shortcut as the platform writes it (``Ctrl+L``; ``⌘L`` on macOS)."""
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def plain_text(action: QAction) -> str:
    """An action's text without its mnemonic ``&`` (a literal ``&&`` stays one ``&``)."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def make_action(parent: QWidget, text: str, shortcut: Shortcut, tip: str, slot: Callable[[], object],
                *, icon: str = "", checkable: bool = False) -> QAction:
    """A window-wide action: its shortcut works wherever focus is (the window holds it)."""
    action = QAction(text, parent)
    if isinstance(shortcut, tuple):  # several keys for one command: the first is the one shown
        action.setShortcuts([QKeySequence(key) for key in shortcut])
    elif shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if not action.shortcut().isEmpty():
        action.setToolTip(f"{tip} ({key_text(action.shortcut())})")
    else:
        action.setToolTip(tip)
    action.setStatusTip(tip)
    # What assistive technology reads after the name (menu items and tool buttons take the text).
    action.setWhatsThis(tip)
    if icon:
        action.setIcon(icons.icon(icon))
    action.setCheckable(checkable)
    action.triggered.connect(lambda _checked=False: slot())
    parent.addAction(action)
    return action


def build_actions(window: QWidget, specs: Iterable[ActionSpec | MenuPart]) -> dict[str, QAction]:
    """The ``QAction`` of each row, set as ``window.<name>``; returned in table order."""
    built: dict[str, QAction] = {}
    for spec in specs:
        if isinstance(spec, MenuPart):
            continue
        action = make_action(
            window, spec.text, spec.shortcut, spec.tip, lambda spec=spec: spec.slot(window),
            icon=spec.icon, checkable=spec.checkable,
        )
        action.setObjectName(spec.name)
        action.setProperty("sheetGroup", spec.group)
        setattr(window, spec.name, action)
        built[spec.name] = action
    return built


# -- enabled-when and state tips -----------------------------------------------------------------

OFFLINE_TIP = "Needs the case service: you are working offline"


def _cache_tip(usual: str) -> StateTip:
    """A cache command's tip: why there is no cache, else its usual text."""
    return lambda state: usual if state.has_cache else state.no_cache_reason


def _refresh_tip(state: WindowState) -> str:
    if state.offline:
        return ("Reload the case list and the open case from the offline cache (F5); the case service is "
                "tried again when it could not be reached")
    return "Reload the case list and the open case (F5)"


def _sync_tip(state: WindowState) -> str:
    if not state.has_cache:
        return state.no_cache_reason
    if state.offline:
        return OFFLINE_TIP
    if state.has_list:
        return "Fetch every case into the encrypted offline cache"
    return "Needs the case list service: it is how the cases are found"


def _clear_tip(state: WindowState) -> str:
    if not state.has_cache:
        return state.no_cache_reason
    if state.syncing:
        return "Wait for the sync to finish first"
    tip = "Remove every case kept in the offline cache"
    if state.cache_size is not None:
        tip += f" ({format_bytes(state.cache_size)} on disk)"
    return tip


def _has_cache(state: WindowState) -> bool:
    return state.has_cache


# -- the table ------------------------------------------------------------------------------------

FILE, VIEW, TRIAGE, HELP = "&File", "&View", "&Triage", "&Help"

#: The window's commands. Section (detail tab) actions are added per tab.
WINDOW_ACTIONS: tuple[ActionSpec | MenuPart, ...] = (
    ActionSpec("open_action", "&Open case…", "Ctrl+L", "Open a case by ID, short ID (CV-…) or submitter email",
               lambda w: w.selection.show_open_dialog(), "open-case", menu=FILE),
    ActionSpec("refresh_action", "&Refresh", Qt.Key.Key_F5, "Reload the case list and the open case",
               lambda w: w.refresh(), "refresh", menu=FILE, tip_when=_refresh_tip, tip_is_status=False),
    ActionSpec("update_credentials_action", "Update cre&dentials…", None,
               "Type a new token, password or API key for this profile", lambda w: w.update_credentials(),
               group="", menu=FILE, enabled_when=lambda state: state.can_update_credentials),
    MenuPart("exports", FILE, separator_before=True),
    ActionSpec("sync_action", "Make available off&line…", None, "Fetch every case into the encrypted offline cache",
               lambda w: w.cache_commands.show_sync_dialog(), "sync", group="Offline", menu=FILE, separator_before=True,
               enabled_when=lambda state: state.has_cache and not state.offline and state.has_list,
               tip_when=_sync_tip),
    ActionSpec("find_cached_action", "&Find in cached cases…", "Ctrl+Shift+F",
               "Find cases by any word in their cached content", lambda w: w.cache_commands.show_text_search(), "search",
               group="Offline", menu=FILE, enabled_when=_has_cache,
               tip_when=_cache_tip("Find cases by any word in their cached content (Ctrl+Shift+F)")),
    ActionSpec("purge_action", "P&urge old cached cases…", None,
               "Remove cached cases not refreshed for a number of days", lambda w: w.cache_commands.ask_purge_days(),
               group="Offline", menu=FILE, enabled_when=_has_cache,
               tip_when=_cache_tip("Remove cached cases not refreshed for a number of days")),
    ActionSpec("clear_cache_action", "Clear offline cac&he…", None, "Remove every case kept in the offline cache",
               lambda w: w.cache_commands.confirm_clear_cache(), "trash", group="Offline", menu=FILE,
               enabled_when=lambda state: state.has_cache and not state.syncing, tip_when=_clear_tip),
    ActionSpec("search_action", "Sea&rch", "Ctrl+F", "Search the case list",
               lambda w: w.filter_bar.focus_search(), "search", menu=VIEW),
    ActionSpec("next_case_action", "&Next case", "Ctrl+.", "Open the next case in the list",
               lambda w: w.selection.step_case(1), menu=VIEW),
    ActionSpec("previous_case_action", "&Previous case", "Ctrl+,", "Open the previous case in the list",
               lambda w: w.selection.step_case(-1), menu=VIEW),
    ActionSpec("work_offline_action", "&Work offline", "Ctrl+Shift+O",
               "Read cases from the offline cache only, without the case service",
               lambda w: w.offline.set_work_offline(w.work_offline_action.isChecked()), "offline", checkable=True,
               group="Offline", menu=VIEW, enabled_when=_has_cache,
               tip_when=_cache_tip("Read cases from the offline cache only (Ctrl+Shift+O)"), tip_is_status=False),
    ActionSpec("zoom_in_action", "&Zoom in", ("Ctrl++", "Ctrl+="), "Make all text in the window larger",
               lambda w: w.zoom.step(1), group="View", menu=VIEW, separator_before=True),
    ActionSpec("zoom_out_action", "Zoom &out", "Ctrl+-", "Make all text in the window smaller",
               lambda w: w.zoom.step(-1), group="View", menu=VIEW),
    ActionSpec("zoom_reset_action", "&Actual size", "Ctrl+0", "Text at the system's font size (100 %)",
               lambda w: w.zoom.reset(), group="View", menu=VIEW),
    MenuPart("columns", VIEW),
    MenuPart("sections", VIEW),
    MenuPart("theme", VIEW),
    ActionSpec("open_window_action", "Open in new &window", "Ctrl+Return",
               "Open the case in a window of its own, to compare cases side by side",
               lambda w: w.triage_menus.open_in_window(), menu=TRIAGE),
    ActionSpec("next_updated_action", "Next &updated case", "N",
               "Go to the next case updated since you last looked at it",
               lambda w: w.triage.step_updated(1), group="Triage", menu=TRIAGE),
    ActionSpec("previous_updated_action", "Previous updated case", "Shift+N",
               "Go to the previous case updated since you last looked at it", lambda w: w.triage.step_updated(-1),
               group="Triage", menu=TRIAGE),
    ActionSpec("toggle_read_action", "&Mark as read / unread", "M",
               "Mark the case as unread (bold, with a dot) or as read", lambda w: w.triage.toggle_read(),
               group="Triage", menu=TRIAGE),
    ActionSpec("mark_all_read_action", "Mark &all as read", "Shift+C", "Mark every case in the list as read",
               lambda w: w.triage.mark_all_read(), group="Triage", menu=TRIAGE),
    ActionSpec("flag_action", "&Flag / unflag", "S", "Flag the case as Important, or remove its flag",
               lambda w: w.triage.toggle_flag(), group="Triage", menu=TRIAGE),
    ActionSpec("note_action", "Private &note…", "Ctrl+Shift+N",
               "Write a private note on the case (kept encrypted on this computer, never sent)",
               lambda w: w.triage_menus.edit_note(), group="Triage", menu=TRIAGE),
    ActionSpec("copy_summary_action", "Copy case &summary", "Ctrl+Shift+C",
               "Copy a one-line summary of the case (business, applicant, status, created, ID)",
               lambda w: w.triage_menus.copy_summary(), group="Triage", menu=TRIAGE),
    ActionSpec("shortcuts_action", "&Keyboard shortcuts", Qt.Key.Key_F1, "Show the keyboard shortcuts",
               lambda w: w.show_shortcuts(), "keyboard", group="Help", menu=HELP),
    ActionSpec("about_action", "&About caseviewer", None, "About caseviewer", lambda w: w.show_about(), "info",
               group="Help", menu=HELP),
    ActionSpec("quit_action", "&Quit", "Ctrl+Q", "Quit caseviewer", lambda w: w.close(), "quit", group="Help",
               menu=FILE, separator_before=True),
)


def build_menus(window: QMainWindow, specs: Iterable[ActionSpec | MenuPart],
                parts: dict[str, Callable[[QMenu], None]]) -> dict[str, QMenu]:
    """The menu bar from the table: menus in order of first use, rows in table order."""
    menus: dict[str, QMenu] = {}
    for spec in specs:
        if not spec.menu:
            continue
        menu = menus.get(spec.menu)
        if menu is None:
            menu = menus[spec.menu] = window.menuBar().addMenu(spec.menu)
            menu.setToolTipsVisible(True)
        if spec.separator_before:
            menu.addSeparator()
        if isinstance(spec, MenuPart):
            parts[spec.name](menu)
        else:
            menu.addAction(getattr(window, spec.name))
    return menus


def build_toolbar(window: QMainWindow, specs: Iterable[ActionSpec | MenuPart]) -> QToolBar | None:
    """A toolbar with the rows marked ``toolbar`` (None when no row is)."""
    rows = [spec for spec in specs if isinstance(spec, ActionSpec) and spec.toolbar]
    if not rows:
        return None
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("mainToolbar")
    for spec in rows:
        toolbar.addAction(getattr(window, spec.name))
    return toolbar


def apply_states(window: QWidget, specs: Iterable[ActionSpec | MenuPart], state: WindowState) -> None:
    """The enabled-when and state-tip columns applied to ``state``."""
    for spec in specs:
        if not isinstance(spec, ActionSpec):
            continue
        action: QAction = getattr(window, spec.name)
        if spec.enabled_when is not None:
            action.setEnabled(spec.enabled_when(state))
        if spec.tip_when is not None:
            tip = spec.tip_when(state)
            action.setToolTip(tip)
            if spec.tip_is_status:
                action.setStatusTip(tip)


#: Keys that are not actions (they belong to one widget), for the sheet.
KEYS_WITHOUT_ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("Cases", "↑ / ↓ in the list", "Previous / next case"),
    ("Cases", "Enter or ↓ in the search box", "Go to the results"),
    ("Attachments", "Ctrl+F, F3 in a text preview", "Find in the file"),
    ("Attachments", "Ctrl+= / Ctrl+-, Alt+0, Alt+1 in a preview", "Zoom in / out, fit, 100%"),
    ("Sections", "Ctrl+F in the Raw tab", "Find in the JSON"),
    ("Triage", "Ctrl+C in the list", "Copy the case ID"),
    ("Triage", "Middle click on a row", "Open the case in a new window"),
    ("Triage", "Ctrl+W in a case window", "Close that window"),
)

SHEET_GROUPS = ("Cases", "Triage", "Sections", "Attachments", "Offline", "View", "Help")


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str, str]]:
    """(group, keys, what) for every action with a shortcut, then the widget keys, by group."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()
    for action in actions:
        if id(action) in seen or action.shortcut().isEmpty():
            continue
        seen.add(id(action))
        keys = ", ".join(key_text(sequence) for sequence in action.shortcuts())
        group = action.property("sheetGroup") or "Cases"
        rows.append((str(group), keys, plain_text(action).rstrip("…")))
    rows.extend(KEYS_WITHOUT_ACTIONS)
    order = {group: index for index, group in enumerate(SHEET_GROUPS)}
    return sorted(rows, key=lambda row: order.get(row[0], len(order)))  # stable: table order inside a group


def shortcut_sheet_html(rows: Iterable[tuple[str, str, str]]) -> str:
    """The sheet as an HTML table with a heading per group (all text escaped)."""
    parts: list[str] = []
    group = None
    for row_group, keys, what in rows:
        if row_group != group:
            group = row_group
            parts.append(f'<tr><td colspan="2"><br><b>{html.escape(group)}</b></td></tr>')
        parts.append(f"<tr><td><b>{html.escape(keys)}</b>&nbsp;&nbsp;</td><td>{html.escape(what)}</td></tr>")
    return f"<table>{''.join(parts)}</table>"


#: The actions that need the reviewer state (the encrypted cache): disabled without one.
TRIAGE_ACTIONS = ("next_updated_action", "previous_updated_action", "toggle_read_action",
                  "mark_all_read_action", "flag_action", "note_action")

__all__ = [
    "ActionSpec",
    "MenuPart",
    "WindowState",
    "apply_states",
    "build_menus",
    "build_toolbar",
    "TRIAGE_ACTIONS",
    "KEYS_WITHOUT_ACTIONS",
    "WINDOW_ACTIONS",
    "build_actions",
    "key_text",
    "make_action",
    "plain_text",
    "shortcut_rows",
    "shortcut_sheet_html",
]
