"""Read caseviewer's accessibility tree the way a screen reader does (AT-SPI), and report it.

Runs under the *system* Python, which has ``pyatspi`` (Debian's python3-pyatspi; it is not on
PyPI), inside a private X server and D-Bus session that the test sets up::

    xvfb-run -a dbus-run-session -- /usr/bin/python3 atspi_walker.py REPORT.json -- APP COMMAND...

It starts the app command itself, finds the application in the AT-SPI registry by its process
id, and then drives it with what assistive technology has: key presses generated through the
AT-SPI device controller (XTest), the accessible actions of menu items and combo boxes, a text
field's editable text, and a click where Qt offers no action (giving a window the keyboard, with no
window manager in Xvfb; selecting the first attachment). It visits the main window with a case
open (every section, an attachment preview), each dialog (open case, find in cached cases, sync,
access log, the profile dialog as Update credentials, Manage profiles, the export confirmation
reached through the file dialog) and the window working offline, listening for the offline
banner's announcement. For every window it records each node that is showing and focusable but
has no name or no role, the named parts (cards, chips, badges), and the case table's first cells.

Only the stdlib, pyatspi and its GLib here: this file is not imported by the tests, it is run by them
(tests/e2e/test_accessibility_tree.py), and the report (JSON) is what they check. Waits poll the
tree against a generous deadline; nothing here asserts on time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pyatspi
from gi.repository import GLib

DEADLINE_S = float(os.environ.get("ATSPI_WALK_DEADLINE_S", "45"))
POLL_S = 0.2
#: Nodes deeper than this are not walked (Qt's trees here are ~25 deep).
MAX_DEPTH = 40
#: How many cells of the case table the report keeps (a few rows).
CELLS = 60
#: Widgets that are not focusable but must still read as something (by their Qt object name):
#: cards, status chips and badges, the offline banner, the environment badge.
PARTS = ("detailCard", "toneBadge", "changeBadge", "offlineBanner", "environmentBadge", "privacyBanner")
#: Of a table or list, the items read when auditing (the header and the first rows).
ITEMS = 80
ITEM_VIEWS = (pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE_TABLE, pyatspi.ROLE_LIST, pyatspi.ROLE_TREE, pyatspi.ROLE_LIST_BOX)

CONTROL_L, SHIFT_L = 37, 50  # X keycodes of the default (evdev) keymap Xvfb uses
KEYSYM = {"Escape": 0xFF1B, "Return": 0xFF0D, "Down": 0xFF54, "End": 0xFF57, "space": 0x20, "F4": 0xFFC1}
NO_ROLE = {pyatspi.ROLE_INVALID, pyatspi.ROLE_UNKNOWN}


class WalkError(RuntimeError):
    """A step could not be done (the report says which); the walk stops there."""


# -- waiting and finding ----------------------------------------------------------------------

def wait_for(what: str, probe: Callable[[], object], deadline_s: float = DEADLINE_S):
    """Poll ``probe`` until it returns something truthy; WalkError naming ``what`` after the deadline."""
    end = time.monotonic() + deadline_s
    last_error: Exception | None = None
    while time.monotonic() < end:
        try:
            found = probe()
        except Exception as exc:  # noqa: BLE001 - a node may vanish between two calls; try again
            found, last_error = None, exc
        if found:
            return found
        time.sleep(POLL_S)
    raise WalkError(f"timed out waiting for {what}" + (f" (last error: {last_error})" if last_error else ""))


def children(node) -> Iterator:
    try:
        count = node.childCount
    except Exception:  # noqa: BLE001 - gone
        return
    for index in range(count):
        try:
            child = node.getChildAtIndex(index)
        except Exception:  # noqa: BLE001
            continue
        if child is not None:
            yield child


def walk(node, depth: int = 0, path: tuple[str, ...] = (), *, showing_only: bool = False,
         ) -> Iterator[tuple[object, tuple[str, ...]]]:
    """Every node under ``node`` (itself first), with the path of role names that leads to it.
    ``showing_only`` skips what is not on screen (a hidden node's children are hidden too), and
    reads only the first ``ITEMS`` items of a table or list (one model draws them all): every
    node is a D-Bus round trip or two."""
    here = path + (f"{safe(node.getRoleName)} {safe(lambda: node.name)!r}",)
    yield node, here
    if depth >= MAX_DEPTH:
        return
    try:
        items = ITEMS if showing_only and node.getRole() in ITEM_VIEWS else None
    except Exception:  # noqa: BLE001 - gone
        return
    for index, child in enumerate(children(node)):
        if items is not None and index >= items:
            break
        try:
            if showing_only and not is_showing(child):
                continue
        except Exception:  # noqa: BLE001 - gone
            continue
        yield from walk(child, depth + 1, here, showing_only=showing_only)


def safe(call: Callable[[], object], default: str = "") -> str:
    try:
        value = call()
    except Exception:  # noqa: BLE001
        return default
    return "" if value is None else str(value)


def find(root, predicate: Callable[[object], bool]):
    for node, _path in walk(root):
        try:
            if predicate(node):
                return node
        except Exception:  # noqa: BLE001
            continue
    return None


def is_showing(node) -> bool:
    states = node.getState()
    return states.contains(pyatspi.STATE_SHOWING) and states.contains(pyatspi.STATE_VISIBLE)


def role_named(role: int, name: str | None = None, *, prefix: bool = False) -> Callable[[object], bool]:
    def matches(node) -> bool:
        if node.getRole() != role:
            return False
        if name is None:
            return True
        return node.name.startswith(name) if prefix else node.name == name
    return matches


def find_application(pid: int):
    for app in children(pyatspi.Registry.getDesktop(0)):
        try:
            if app.get_process_id() == pid and app.childCount:
                return app
        except Exception:  # noqa: BLE001
            continue
    return None


def windows(app) -> list:
    return [window for window in children(app) if safe(lambda w=window: w.getState().contains(pyatspi.STATE_VISIBLE)) == "True"]


# -- driving ---------------------------------------------------------------------------------

def key(sym: str | int, *, ctrl: bool = False, shift: bool = False) -> None:
    """One key press with modifiers, as a keyboard would send it (XTest, via AT-SPI)."""
    code = KEYSYM.get(sym, sym) if isinstance(sym, str) and len(sym) > 1 else (ord(sym) if isinstance(sym, str) else sym)
    registry = pyatspi.Registry
    held = [CONTROL_L] * ctrl + [SHIFT_L] * shift
    for modifier in held:
        registry.generateKeyboardEvent(modifier, None, pyatspi.KEY_PRESS)
    registry.generateKeyboardEvent(code, None, pyatspi.KEY_SYM)
    for modifier in reversed(held):
        registry.generateKeyboardEvent(modifier, None, pyatspi.KEY_RELEASE)


def press(node) -> None:
    """The node's first accessible action ("Press" on menu items and buttons). A command that runs
    a nested event loop (a modal ``exec()``) answers late; the call times out and that is fine."""
    action = node.queryAction()
    try:
        action.doAction(0)
    except Exception:  # noqa: BLE001 - reply timed out: the dialog it opened is still running
        pass


def click(node) -> None:
    """One left click in the middle of ``node``."""
    extents = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    pyatspi.Registry.generateMouseEvent(extents.x + extents.width // 2, extents.y + extents.height // 2, "b1c")


def focus_window(window) -> None:
    """Make ``window`` the active one: without a window manager a window shown with show() does
    not take the keyboard, so click once inside its margin (two pixels in: no control there)."""
    if not window.getState().contains(pyatspi.STATE_ACTIVE):
        extents = window.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        pyatspi.Registry.generateMouseEvent(extents.x + 2, extents.y + 2, "b1c")
        wait_for(f"{window.name!r} to become active", lambda: window.getState().contains(pyatspi.STATE_ACTIVE))


def escape(window) -> None:
    focus_window(window)
    key("Escape")


def menu_item(frame, text: str):
    item = find(frame, lambda n: n.getRole() in (pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_CHECK_MENU_ITEM)
                and n.name.replace("&", "").startswith(text))
    if item is None:
        raise WalkError(f"no menu item {text!r}")
    return item


def activate(frame) -> None:
    """The main window takes the keyboard: there is no window manager in Xvfb to give it, so click
    once on a label that does nothing (the count under the table)."""
    if frame.getState().contains(pyatspi.STATE_ACTIVE):
        return
    label = wait_for("the case count label", lambda: find(frame, lambda n: n.getRole() == pyatspi.ROLE_LABEL
                                                        and n.name.startswith("Showing") and is_showing(n)))
    click(label)
    wait_for("the main window to become active", lambda: frame.getState().contains(pyatspi.STATE_ACTIVE))


# -- auditing --------------------------------------------------------------------------------

def audit(root) -> dict:
    """What a screen reader would meet in ``root``: unnamed or role-less focusable nodes."""
    problems: list[str] = []
    focusable = 0
    parts: list[dict] = []
    for node, path in walk(root, showing_only=True):
        part = safe(node.get_accessible_id).rpartition(".")[2]  # Qt: the path of object names
        if part in PARTS:
            parts.append({"part": part, "name": safe(lambda: node.name), "description": safe(lambda: node.description)})
        try:
            if not is_showing(node) or not node.getState().contains(pyatspi.STATE_FOCUSABLE):
                continue
            role, name = node.getRole(), (node.name or "").strip()
            if role == pyatspi.ROLE_LABEL and not name and not label_text(node):
                # Qt marks a mouse-selectable label focusable (click focus, never Tab); an empty
                # one (a result line before a result) has nothing to read.
                continue
            focusable += 1
        except Exception:  # noqa: BLE001 - gone while walking (a timer updated the view)
            continue
        if role in NO_ROLE:
            problems.append("no role: " + " > ".join(path[-6:]) + describe(node))
        if not name:
            problems.append("no name: " + " > ".join(path[-6:]) + describe(node))
    return {"title": safe(lambda: root.name), "role": safe(root.getRoleName), "focusable": focusable,
            "problems": sorted(set(problems)), "parts": parts}


def label_text(node) -> str:
    try:
        text = node.queryText()
        return text.getText(0, text.characterCount).strip()
    except Exception:  # noqa: BLE001 - no text interface
        return ""


def describe(node) -> str:
    """What else tells an unnamed node apart: its description, and its Qt object names (Qt's
    accessible id is the path of object names, class names where there is none)."""
    text = safe(lambda: node.description)
    ident = ".".join(safe(node.get_accessible_id).split(".")[-3:])
    return (f" (description {text[:60]!r})" if text else "") + (f" [{ident}]" if ident else "")


def showing_tree(root, limit: int = 600) -> list[str]:
    """The showing nodes under ``root`` as indented lines (role, name, states): for a failed step."""
    lines = []
    for node, path in walk(root):
        try:
            if not is_showing(node):
                continue
            states = node.getState()
            flags = "".join(mark for state, mark in ((pyatspi.STATE_FOCUSABLE, " focusable"),
                                                     (pyatspi.STATE_FOCUSED, " FOCUSED"),
                                                     (pyatspi.STATE_SELECTED, " selected")) if states.contains(state))
            lines.append("  " * len(path) + f"{node.getRoleName()} {node.name!r}{flags}")
        except Exception:  # noqa: BLE001
            continue
        if len(lines) >= limit:
            break
    return lines


def table_cells(frame, columns: list | None = None) -> list[dict]:
    """The case table's first cells (name and description), row by row; its column headers are
    appended to ``columns``."""
    columns = [] if columns is None else columns
    table = find(frame, lambda n: n.getRole() == pyatspi.ROLE_TABLE and is_showing(n)
                 and n.childCount > 20 and n.name == "Cases")
    if table is None:
        table = find(frame, lambda n: n.getRole() == pyatspi.ROLE_TABLE and is_showing(n) and n.childCount > 20)
    cells = []
    for cell in children(table):
        if cell.getRole() == pyatspi.ROLE_TABLE_COLUMN_HEADER:
            columns.append(cell.name)
        if cell.getRole() == pyatspi.ROLE_TABLE_CELL:
            cells.append({"name": cell.name, "description": cell.description})
            if len(cells) >= CELLS:
                break
    return cells


# -- the walk ----------------------------------------------------------------------------------

class Walk:
    def __init__(self, app, report: dict) -> None:
        self.app, self.report = app, report
        self.frame = next(w for w in windows(app) if w.getRole() == pyatspi.ROLE_FRAME)

    def new_window(self, before: list, what: str):
        """A window that was not there before (by role and title; never the main window)."""
        known = {(safe(w.getRoleName), safe(lambda w=w: w.name)) for w in before}

        def probe():
            for window in windows(self.app):
                if window != self.frame and (window.getRoleName(), window.name) not in known and window.childCount:
                    return window
            return None
        return wait_for(what, probe)

    def dialog(self, label: str, open_it: Callable[[], None], *, close: Callable[[object], None] | None = None,
               before: list | None = None, also_before: tuple = ()) -> None:
        """Open a dialog, audit it once it has content, close it and wait until it is gone."""
        before = windows(self.app) if before is None else before
        open_it()
        window = self.new_window(before + list(also_before), f"the {label} dialog")
        wait_for(f"focusable nodes in the {label} dialog", lambda: audit(window)["focusable"])
        entry = audit(window)
        entry["label"] = label
        self.report["windows"].append(entry)
        (close or escape)(window)
        wait_for(f"the {label} dialog to close", lambda: len(windows(self.app)) == len(before))

    def main_window(self) -> None:
        wait_for("the case table's cells", lambda: len([c for c in table_cells(self.frame) if c["name"]]) >= 10)
        activate(self.frame)
        # Find a case the keyboard way: Ctrl+F, then ↓ opens the first result.
        key("f", ctrl=True)
        wait_for("the search box to have the focus", lambda: find(self.frame, lambda n: n.getState().contains(pyatspi.STATE_FOCUSED)
                                                          and n.getRole() == pyatspi.ROLE_TEXT))
        key("Down")
        # The pane shows the case: its section list is showing.
        sections = wait_for("the case to open in the pane (its section list)", lambda: find(
            self.frame, lambda n: n.getRole() == pyatspi.ROLE_LIST and is_showing(n)
            and any(c.name.startswith("Timeline") for c in children(n))))
        self.report["columns"] = []
        self.report["cells"] = table_cells(self.frame, self.report["columns"])
        names = [item.name for item in children(sections)]
        self.report["sections"] = names
        # Each section through View > Case sections (the menu items' "Press" action, as a screen
        # reader's menu would), then the whole window is read again.
        submenu = menu_item(self.frame, "Case sections")
        items = [item for popup in children(submenu) for item in children(popup)
                 if item.getRole() == pyatspi.ROLE_MENU_ITEM]
        if len(items) != len(names):
            raise WalkError(f"the Case sections menu has {len(items)} items for {len(names)} sections")
        for index, (item, name) in enumerate(zip(items, names)):
            press(item)
            wait_for(f"section {name!r} to be shown", lambda i=index: sections.getChildAtIndex(i).getState().contains(pyatspi.STATE_SELECTED))
            entry = audit(self.frame)
            entry["label"] = f"main window, section {name}"
            self.report["windows"].append(entry)
            if name.startswith("Attachments"):
                self.preview()

    def preview(self) -> None:
        """Select the first file of the Attachments section: the preview and its toolbar show."""
        table = wait_for("the attachment table", lambda: find(self.frame, lambda n: n.getRole() == pyatspi.ROLE_TABLE
                                                              and n.name == "Attachments" and is_showing(n)))
        first = next(cell for cell in children(table) if cell.getRole() == pyatspi.ROLE_TABLE_CELL)
        click(first)  # Qt's table has no working "select" through AT-SPI; a click on the cell it is
        wait_for("the preview's toolbar", lambda: find(self.frame, lambda n: n.getRole() == pyatspi.ROLE_PUSH_BUTTON
                                                       and n.name == "Save a copy" and is_showing(n)))
        entry = audit(self.frame)
        entry["label"] = "main window, attachment preview"
        self.report["windows"].append(entry)

    def dialogs(self) -> None:
        frame = self.frame
        self.dialog("open case", lambda: key("l", ctrl=True))
        self.dialog("find in cached cases", lambda: press(menu_item(frame, "Find in cached cases")))
        self.dialog("sync", lambda: press(menu_item(frame, "Make available offline")))
        self.dialog("access log", lambda: press(menu_item(frame, "Access log")))
        self.dialog("profile (update credentials)", lambda: press(menu_item(frame, "Update credentials")))
        self.dialog("manage profiles", self.choose_manage_profiles)
        self.export_confirmation()

    def choose_manage_profiles(self) -> None:
        """The profile switcher in the status bar: open its list, End, Enter (the last entry)."""
        switcher = find(self.frame, lambda n: n.getRole() == pyatspi.ROLE_COMBO_BOX and is_showing(n)
                        and any(c.name == "Manage profiles…" for c in walk_items(n)))
        if switcher is None:
            raise WalkError("no profile switcher in the status bar")
        activate(self.frame)
        press(switcher)  # a combo box's action opens its list
        wait_for("the profile list to open", lambda: find(switcher, lambda n: n.getRole() == pyatspi.ROLE_LIST and is_showing(n)))
        key("End")
        key("Return")

    def offline(self) -> None:
        """View > Work offline: the offline banner shows, is named, and is announced (a live
        region: the screen reader hears it without the focus moving)."""
        announcements = Announcements()
        press(menu_item(self.frame, "Work offline"))
        banner = wait_for("the offline banner", lambda: find(self.frame, lambda n: is_showing(n)
                                                             and safe(n.get_accessible_id).endswith(".offlineBanner")))
        self.report["banner"] = {"name": safe(lambda: banner.name), "description": safe(lambda: banner.description)}

        def heard():
            announcements.pump()
            return announcements.heard
        try:
            wait_for("the banner's announcement", lambda: any("offline" in text.lower() for text in heard()))
        except WalkError:
            pass  # reported as heard (nothing); the test says what was missing
        self.report["announcements"] = list(announcements.heard)
        entry = audit(self.frame)
        entry["label"] = "main window, working offline"
        self.report["windows"].append(entry)

    def export_confirmation(self) -> None:
        """File > Export list as CSV…: the file dialog (its name field filled, Enter), then the PHI
        warning, which is read and cancelled (Escape: its default button is Cancel)."""
        before = windows(self.app)
        target = os.path.join(os.environ.get("ATSPI_WALK_DIR", "/tmp"), "cases.csv")
        press(menu_item(self.frame, "Export list as CSV"))
        chooser = self.new_window(before, "the export file dialog")
        field = wait_for("the file name field to have the focus", lambda: find(
            chooser, lambda n: n.getState().contains(pyatspi.STATE_FOCUSED) and n.getRole() == pyatspi.ROLE_TEXT))
        entry = audit(chooser)
        entry["label"] = "export file dialog"
        self.report["file_dialog"] = entry  # Qt's own dialog: reported, not checked
        # Set through the field's editable text, not typed: typing a path opens the dialog's
        # completer, and an Enter that lands in its list picks a folder instead of saving.
        field.queryEditableText().setTextContents(target)
        wait_for("the file name in the field", lambda: label_text(field) == target)
        key("Return")
        self.dialog("export confirmation", lambda: None, before=before, also_before=(chooser,))
        self.report["export_cancelled"] = not os.path.exists(target)


class Announcements:
    """The ``object:announcement`` events (live regions) the app sends, as a screen reader hears
    them; pumped from GLib's main context while waiting."""

    def __init__(self) -> None:
        self.heard: list[str] = []
        pyatspi.Registry.registerEventListener(self._heard, "object:announcement")

    def _heard(self, event) -> None:
        self.heard.append(str(event.any_data if event.any_data is not None else ""))

    def pump(self) -> None:
        context = GLib.MainContext.default()
        while context.pending():
            context.iteration(False)


def walk_items(node) -> Iterator:
    for child, _path in walk(node):
        yield child


def main(argv: list[str]) -> int:
    out, command = argv[1], argv[argv.index("--") + 1:]
    report: dict = {"windows": [], "error": ""}
    log = open(out + ".app.log", "wb")  # noqa: SIM115 - the app's output, for when a step fails
    launched = time.monotonic()
    app_process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    report["pid"] = app_process.pid
    app = None
    try:
        app = wait_for("the application in the AT-SPI registry", lambda: find_application(app_process.pid), 60)
        report["application"] = app.name
        started = time.monotonic()
        report["seconds"] = {"app in the registry": round(started - launched, 1)}
        walk_ = Walk(app, report)
        walk_.main_window()
        report["seconds"]["main window and sections"] = round(time.monotonic() - started, 1)
        walk_.dialogs()
        walk_.offline()
        report["seconds"]["dialogs"] = round(time.monotonic() - started - report["seconds"]["main window and sections"], 1)
    except Exception as exc:  # noqa: BLE001 - reported, the test fails on it
        report["error"] = f"{type(exc).__name__}: {exc}"
        report["showing"] = showing_tree(app) if app is not None else []
    finally:
        app_process.send_signal(signal.SIGTERM)
        try:
            app_process.wait(15)
        except subprocess.TimeoutExpired:
            app_process.kill()
        with open(out, "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=1, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
