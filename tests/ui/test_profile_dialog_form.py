"""The profile dialog as a new user meets it: no stray "&", no red text before typing, one left
edge for every field, nothing that moves when a message appears, a wrong URL that says so."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel

from caseviewer.core.profiles import ProfileStore
from caseviewer.core.secrets import SecretStore
from caseviewer.ui.dialogs.profile_dialog import ProfileDialog
from caseviewer.ui.workers import TaskRunner


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner(threads=2)
    yield runner
    runner.shutdown(timeout=1.5)


@pytest.fixture
def dialog(qtbot, runner):
    dialog = ProfileDialog(runner, ProfileStore(), SecretStore())
    qtbot.addWidget(dialog)
    return dialog


# Offscreen Qt warns that it cannot pass size hints to a window manager; nothing to fix here.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def shown(qtbot, dialog):
    dialog.resize(640, dialog.sizeHint().height())
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def where(widget, dialog) -> QPoint:
    return widget.mapTo(dialog, QPoint(0, 0))


def test_every_mnemonic_label_has_a_buddy(dialog):
    # A label without a buddy shows its "&" literally ("Co&lour:").
    stray = [label.text() for label in dialog.findChildren(QLabel) if "&" in label.text() and label.buddy() is None]
    assert stray == []
    colour = next(label for label in dialog.findChildren(QLabel) if label.text() == "Co&lour:")
    assert colour.buddy() is dialog.color_edit


def test_a_new_form_shows_no_error_until_the_first_change(qtbot, dialog):
    assert dialog.validation_label.text() == ""
    assert not dialog.save_button.isEnabled()  # still nothing to save
    qtbot.keyClicks(dialog.name_edit, "bad name")
    assert "Invalid profile name" in dialog.validation_label.text()


def test_every_field_starts_at_one_left_edge(qtbot, dialog):
    shown(qtbot, dialog)
    fields = [
        dialog.name_edit, dialog.environment_combo, dialog.color_edit, dialog.list_url_edit,
        dialog.auth_url_edit, dialog.customer_id_edit, dialog.token_edit, dialog.detail_url_edit,
        dialog.detail_key_edit, dialog.page_size_spin, dialog.format_combo,
    ]
    assert all(field.isVisible() for field in fields)
    edges = {where(field, dialog).x() for field in fields}
    assert len(edges) == 1, {f.objectName(): where(f, dialog).x() for f in fields}


def test_buttons_stay_put_when_messages_appear(qtbot, dialog, fresh_demo):
    shown(qtbot, dialog)
    dialog.name_edit.setText("demo")
    dialog.detail_url_edit.setText(fresh_demo.detail_url)
    dialog.detail_key_edit.setText(fresh_demo.detail_key)
    qtbot.waitUntil(lambda: dialog.validation_label.text() == "")
    test_at, save_at = where(dialog.test_button, dialog), where(dialog.save_button, dialog)

    dialog.detail_url_edit.setText("not a url")  # a validation message appears
    qtbot.waitUntil(lambda: "detail URL" in dialog.validation_label.text())
    assert (where(dialog.test_button, dialog), where(dialog.save_button, dialog)) == (test_at, save_at)

    dialog.detail_url_edit.setText(fresh_demo.detail_url)
    dialog.detail_key_edit.setText("wrong-key")
    with qtbot.waitSignal(dialog.test_finished, timeout=15000):
        dialog.test_button.click()  # two result lines appear
    assert "rejected" in dialog.test_result_text()
    assert (where(dialog.test_button, dialog), where(dialog.save_button, dialog)) == (test_at, save_at)


def test_a_wrong_detail_path_is_not_reported_as_connected(qtbot, dialog, fresh_demo):
    dialog.name_edit.setText("demo")
    dialog.detail_url_edit.setText(fresh_demo.detail_url + "/api/v2")
    dialog.detail_key_edit.setText(fresh_demo.detail_key)
    with qtbot.waitSignal(dialog.test_finished, timeout=15000) as blocker:
        dialog.test_button.click()
    assert "✗ Case detail:" in blocker.args[0] and "Check the path" in blocker.args[0]
    assert "accepted" not in blocker.args[0]


def test_a_refused_port_is_reported_as_unreachable(qtbot, dialog):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dialog.name_edit.setText("nothing")
    dialog.detail_url_edit.setText(f"http://127.0.0.1:{port}")
    dialog.detail_key_edit.setText("k3y")
    with qtbot.waitSignal(dialog.test_finished, timeout=15000) as blocker:
        dialog.test_button.click()
    assert f"cannot connect to 127.0.0.1:{port}" in blocker.args[0]


def test_a_form_with_neither_service_says_so_in_a_reviewers_words(qtbot, dialog):
    shown(qtbot, dialog)
    dialog.name_edit.setText("clinic-staging")
    assert dialog.validation_label.text() == "Fill in at least one service: the case list or the case detail."


def test_the_message_sits_just_below_test_connection_and_the_result_lines_together(qtbot, dialog, fresh_demo):
    shown(qtbot, dialog)
    dialog.name_edit.setText("clinic-staging")  # a message, no results yet
    line = dialog.fontMetrics().lineSpacing()
    button_bottom = where(dialog.test_button, dialog).y() + dialog.test_button.height()
    assert where(dialog.validation_label, dialog).y() - button_bottom < 2 * line

    dialog.detail_url_edit.setText(fresh_demo.detail_url)
    dialog.detail_key_edit.setText("wrong-key")
    dialog.list_url_edit.setText(fresh_demo.list_url)
    dialog.customer_id_edit.setText(fresh_demo.customer_id)
    dialog.token_edit.setText(fresh_demo.list_token)
    with qtbot.waitSignal(dialog.test_finished, timeout=15000):
        dialog.test_button.click()
    first, second = dialog.list_result_label, dialog.detail_result_label
    assert first.text() and second.text()
    gap = where(second, dialog).y() - (where(first, dialog).y() + first.height())
    assert gap <= 4, f"{gap} px between the two result lines"


def test_the_colour_swatch_shows_the_colour_the_profile_will_have(qtbot, dialog):
    shown(qtbot, dialog)
    swatch = dialog.color_swatch
    dialog.environment_combo.setCurrentText("PRODUCTION")
    assert swatch.property("shownColor") == "#c62828"  # no colour of its own: the environment's
    dialog.color_edit.setText("#00aa00")
    assert swatch.property("shownColor") == "#00aa00"  # its own wins over PRODUCTION
    dialog.color_edit.setText("#00aa0")  # half typed
    assert swatch.property("shownColor") == ""
    dialog.color_edit.setText("")
    dialog.environment_combo.setCurrentText("")
    assert swatch.property("shownColor") == "#5f6b7a"  # neutral, never an empty box
