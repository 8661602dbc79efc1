"""FirstRunDialog: the two choices and the keyring status line."""

from __future__ import annotations

import keyring
import keyring.backends.fail

from caseviewer.ui.first_run import FirstRunDialog


def test_demo_button_sets_choice(qtbot):
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert dialog.choice() is None
    with qtbot.waitSignal(dialog.accepted):
        dialog.demo_button.click()
    assert dialog.choice() == "demo"


def test_connect_button_sets_choice(qtbot):
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.accepted):
        dialog.connect_button.click()
    assert dialog.choice() == "connect"


def test_closing_leaves_no_choice(qtbot):
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.reject()
    assert dialog.choice() is None


def test_keyring_status_line(qtbot):
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert dialog.keyring_ok
    assert "OS keyring" in dialog.keyring_label.text()


def test_keyring_unavailable_warns_with_the_fix(qtbot):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert not dialog.keyring_ok
    text = dialog.keyring_label.text()
    assert text.startswith("⚠") and "No secure keyring" in text
    assert "never stores secrets in a file" in text
