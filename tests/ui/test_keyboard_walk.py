"""The documented keyboard-only walk (README, "Keyboard only"), driven with key events alone.

Find a case, read every section, preview and save an attachment, export the list, sync, lock and
unlock: every step is a key press or typed text on the widget that has the focus, the way a
reviewer without a mouse works. The app's modal dialogs (the export confirmation) are answered
with keys too, from a timer while they run; only the file name, which the platform's file dialog
asks, is given by a stand-in. Also here: every menu's mnemonics are
unique, so Alt+letter and a letter inside a menu reach exactly one command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QMenu, QTableView, QWidget

from caseviewer.core.secrets import PASSWORD, SecretStore
from caseviewer.ui.detail.attachment_actions import AttachmentDialogs
from caseviewer.ui.detail.tabs.attachments import AttachmentsTab
from caseviewer.ui.export.dialogs import ExportDialogs
from caseviewer.ui.safeguards.lock.screen import LockMode
from caseviewer.ui.dialogs.sync_dialog import SyncDialog
from tests.support.windows import make_main_window  # noqa: F401 - fixture
from tests.unit.test_cache_support import make_repository, open_cache

pytestmark = [
    pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise|grabbing)"),
    pytest.mark.timeout(240),
]
WAIT_MS = 30_000
PROFILE = "walk-profile"
PASSWORD_TEXT = "correct horse battery"


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key on whatever has the focus (as the keyboard would deliver it)."""
    QTest.keyClick(focused(), key, modifiers)


def press_sequence(sequence: QKeySequence) -> None:
    combination = sequence[0]
    press(combination.key(), combination.keyboardModifiers())


def type_text(text: str) -> None:
    QTest.keyClicks(focused(), text)


def tab_until(condition: Callable[[QWidget], bool], *, limit: int = 60, backwards: bool = False) -> QWidget:
    """Tab (or Shift+Tab) until the focused widget meets ``condition``; fails after ``limit`` keys."""
    for _ in range(limit):
        if condition(focused()):
            return focused()
        press(Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached the widget (ended on {type(focused()).__name__} "
                         f"{focused().objectName()!r})")


def when_modal(answer: Callable[[QWidget], None], *, exclude: QWidget | None = None) -> None:
    """Run ``answer(dialog)`` once a modal dialog (other than ``exclude``) is up: for ``exec()``."""
    def poll() -> None:
        modal = QApplication.activeModalWidget()
        focus = QApplication.focusWidget()
        # Keys go to the focused widget: wait for the focus to be in the dialog, as a reviewer
        # does (on a loaded machine it arrives some turns after the dialog shows).
        if (modal is not None and modal is not exclude and modal.isVisible() and focus is not None
                and (focus is modal or modal.isAncestorOf(focus))):
            answer(modal)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def press_button(text: str) -> Callable[[QWidget], None]:
    """Answer a message box: Tab to the button named ``text`` and press Space."""
    def answer(dialog: QWidget) -> None:
        tab_until(lambda w: isinstance(w, QAbstractButton) and w.text().replace("&", "") == text)
        press(Qt.Key.Key_Space)
    return answer


class SaveTo(AttachmentDialogs):
    """The file name a reviewer would pick in the platform's file dialog (outside the app)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def save_path(self, parent, suggested):  # noqa: ANN001
        return str(self.path)


class ExportTo(ExportDialogs):
    """As ``SaveTo`` for the export: only the file name; the app's confirmation stays real."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def save_path(self, parent, title, suggested, file_filter):  # noqa: ANN001
        return str(self.path)



@pytest.fixture
def window(qtbot, fresh_demo, make_main_window, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    SecretStore().set(PROFILE, PASSWORD, PASSWORD_TEXT)
    win = make_main_window(make_repository(fresh_demo, open_cache(name=PROFILE)), page_size=20)
    win.safeguards.configure(profile=PROFILE)
    qtbot.waitUntil(lambda: win.model.has_loaded_first_page and not win.model.is_loading, timeout=WAIT_MS)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=WAIT_MS)
    return win


def test_the_documented_walk_by_keyboard_alone(qtbot, window, tmp_path):
    pane = window.pane
    # 1. Find a case: Ctrl+F, type, ↓ to the results; the first result opens.
    wanted = window.model.record(0).business_name
    press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert focused() is window.filter_bar.search_edit
    type_text(wanted)
    qtbot.waitUntil(lambda: not window.model.is_loading and window.model.rowCount() >= 1
                    and all(window.model.record(r).business_name == wanted for r in range(window.model.rowCount())),
                    timeout=WAIT_MS)
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS) as shown:
        press(Qt.Key.Key_Down)
    assert focused() is window.view
    result = shown.args[0]
    assert result.detail is not None and result.detail.all_attachments(), "the walk needs a case with files"

    # 2. Read every section by its key, from wherever the focus is.
    for index, action in enumerate(window.tab_actions):
        press_sequence(action.shortcut())
        assert pane.tabs.currentIndex() == index, action.text()
        assert pane.tab_pages[index].isVisible()

    # 3. Preview an attachment and save it (Ctrl+S, the file dialog answered by typing).
    attachments = next(i for i, page in enumerate(pane.tab_pages) if isinstance(page, AttachmentsTab))
    press_sequence(window.tab_actions[attachments].shortcut())
    table = tab_until(lambda w: isinstance(w, QTableView) and pane.tab_pages[attachments].isAncestorOf(w))
    with qtbot.waitSignal(pane.preview.preview_ready, timeout=WAIT_MS):
        press(Qt.Key.Key_Home)
        if not table.selectionModel().hasSelection():
            press(Qt.Key.Key_Space)
    target = tmp_path / "saved-by-keyboard.bin"
    pane.actions.dialogs = SaveTo(target)  # the platform's file dialog is not the app's to test
    with qtbot.waitSignal(pane.actions.saved, timeout=WAIT_MS):
        press(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert target.exists() and target.stat().st_size > 0

    # 4. Export the list as CSV from the File menu (Alt+F, C).
    csv_path = tmp_path / "cases-by-keyboard.csv"
    window.exports.dialogs = ExportTo(csv_path)
    when_modal(press_button("Export"))  # the real confirmation, answered with Tab and Space
    press(Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=WAIT_MS)
    QTest.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_C)
    qtbot.waitUntil(lambda: csv_path.exists() and not window.exports.busy, timeout=WAIT_MS)
    assert wanted in csv_path.read_text(encoding="utf-8")

    # 5. Sync: File > Make available offline (Alt+F, L), Enter starts, Enter closes when done.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=WAIT_MS)
    press(Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=WAIT_MS)
    QTest.keyClick(QApplication.activePopupWidget(), Qt.Key.Key_L)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), SyncDialog), timeout=WAIT_MS)
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()), timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.finished_sync, timeout=120_000) as synced:
        press(Qt.Key.Key_Return)
    assert synced.args[0] is not None, "the sync failed"
    qtbot.waitUntil(lambda: dialog.close_button.isVisible() and dialog.close_button.isDefault(), timeout=WAIT_MS)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    # 6. Lock (Ctrl+Alt+L) and unlock by typing the password and Enter.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=WAIT_MS)
    lock = window.safeguards.lock
    press(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: lock.is_locked and lock.screen.mode is LockMode.ENTER, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: lock.screen.secret.hasFocus(), timeout=WAIT_MS)
    type_text(PASSWORD_TEXT)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not lock.is_locked, timeout=WAIT_MS)
    assert window.isVisible()


def test_every_menu_has_unique_mnemonics(window):
    """Alt+letter and a letter inside a menu must reach one command, not cycle between several."""
    clashes = []
    menus = [action.menu() for action in window.menuBar().actions() if action.menu() is not None]
    bar_keys = [mnemonic(action.text()) for action in window.menuBar().actions()]
    assert len(set(bar_keys)) == len(bar_keys) and "" not in bar_keys, bar_keys
    while menus:
        menu = menus.pop()
        menu.aboutToShow.emit()  # menus filled on demand (Columns) fill now
        keys: dict[str, str] = {}
        for action in menu.actions():
            if action.isSeparator() or not action.isVisible():
                continue
            if action.menu() is not None:
                menus.append(action.menu())
            key = mnemonic(action.text())
            if key and key in keys:
                clashes.append(f"{menu.title()}: {keys[key]!r} and {action.text()!r}")
            keys.setdefault(key, action.text())
    assert clashes == [], "\n".join(clashes)


def mnemonic(text: str) -> str:
    """The letter after a single ``&`` ("" when there is none)."""
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if 0 <= at < len(plain) - 1 else ""
