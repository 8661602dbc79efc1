"""FirstRunDialog: the two choices and the keyring status line (asked on a worker)."""

from __future__ import annotations

import keyring
import keyring.backends.fail
import pytest

from caseviewer.ui.first_run import CHECKING, FirstRunDialog
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


def test_keyring_unavailable_warns_with_the_fix(qtbot, make_dialog):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    dialog = make_dialog()
    qtbot.waitUntil(lambda: dialog.keyring_ok is not None, timeout=5000)
    assert not dialog.keyring_ok
    text = dialog.keyring_label.text()
    assert text.startswith("⚠") and "No secure keyring" in text
    assert "never stores secrets in a file" in text


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
