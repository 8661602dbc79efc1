"""FirstRunDialog: the two choices and the keyring status line (asked on a worker)."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest

from caseviewer.ui.dialogs.first_run import CHECKING, FirstRunDialog
from caseviewer.ui.workers import TaskRunner


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner(threads=1)
    yield runner
    runner.shutdown()


@pytest.fixture
def make_dialog(qtbot, runner):
    def make() -> FirstRunDialog:
        dialog = FirstRunDialog(runner)
        qtbot.addWidget(dialog)
        return dialog

    return make


def test_demo_button_sets_choice(qtbot, make_dialog):
    dialog = make_dialog()
    assert dialog.choice() is None
    with qtbot.waitSignal(dialog.accepted):
        dialog.demo_button.click()
    assert dialog.choice() == "demo"


def test_connect_button_sets_choice(qtbot, make_dialog):
    dialog = make_dialog()
    with qtbot.waitSignal(dialog.accepted):
        dialog.connect_button.click()
    assert dialog.choice() == "connect"


def test_closing_leaves_no_choice(make_dialog):
    dialog = make_dialog()
    dialog.reject()
    assert dialog.choice() is None


def test_keyring_status_line_is_asked_off_the_gui_thread(qtbot, make_dialog):
    dialog = make_dialog()
    # The dialog is built before the keyring answers: the question runs on the worker.
    assert dialog.keyring_ok is None and dialog.keyring_label.text() == CHECKING
    qtbot.waitUntil(lambda: dialog.keyring_ok is not None, timeout=5000)
    assert dialog.keyring_ok
    assert "OS keyring" in dialog.keyring_label.text()


@pytest.mark.parametrize(
    ("environment", "fix"),
    [
        ({"DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}, "sudo apt install gnome-keyring"),
        ({"WAYLAND_DISPLAY": "wayland-0", "XDG_CURRENT_DESKTOP": "KDE"}, "System Settings › KDE Wallet"),
        ({"DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "i3"}, "sudo apt install gnome-keyring"),
        ({}, "dbus-run-session"),
    ],
    ids=["gnome", "kde", "other", "headless"],
)
def test_keyring_unavailable_says_what_is_missing_and_the_one_fix_here(qtbot, make_dialog, monkeypatch, environment, fix):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    keyring.set_keyring(keyring.backends.fail.Keyring())
    dialog = make_dialog()
    qtbot.waitUntil(lambda: dialog.keyring_ok is not None, timeout=5000)
    assert not dialog.keyring_ok
    what, how = dialog.keyring_label.text().splitlines()
    assert what.startswith("⚠ No keyring is running") and what.count(". ") == 0  # one sentence
    assert how.startswith("To fix: ") and fix in how
    # Not the developer notes it used to be: no automation variables, no list of backends.
    assert "CASEVIEWER_" not in dialog.keyring_label.text() and "Secret Service" not in dialog.keyring_label.text()


def test_a_locked_keyring_says_locked(qtbot, make_dialog, monkeypatch):
    import keyring.errors

    from tests.conftest import MemoryKeyring

    class Locked(MemoryKeyring):
        def get_password(self, service, username):
            raise keyring.errors.KeyringLocked("locked")

    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "GNOME")
    keyring.set_keyring(Locked())
    dialog = make_dialog()
    qtbot.waitUntil(lambda: dialog.keyring_ok is not None, timeout=5000)
    assert "keyring is locked" in dialog.keyring_label.text() and "seahorse" in dialog.keyring_label.text()


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_long_answer_gets_room_in_the_shown_dialog(qtbot, make_dialog):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    dialog = make_dialog()
    dialog.show()
    qtbot.waitExposed(dialog)
    one_line_height = dialog.height()
    qtbot.waitUntil(lambda: dialog.keyring_ok is not None, timeout=5000)
    label = dialog.keyring_label
    # Several wrapped lines replaced "Checking…": the window grew and the whole text is inside it.
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()), timeout=2000)
    assert dialog.height() > one_line_height
    assert label.geometry().bottom() <= dialog.height()
