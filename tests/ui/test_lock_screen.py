"""The lock screen on its own (real widgets, no window behind it): a text column wide enough for
its prompts, Unlock the primary button and Quit a flat secondary one, the secret field focused
with a visible ring each time the screen is shown again."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from caseviewer.core.lock_policy import UnlockMethod
from caseviewer.ui.safeguards.lock.screen import LockMode, LockScreen

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")


@pytest.fixture
def screen(qtbot):
    widget = LockScreen()
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    yield widget
    widget.force_close()


def line_count(label) -> int:
    return round(label.height() / label.fontMetrics().lineSpacing())


def show_in(qtbot, screen, mode, method=UnlockMethod.PASSWORD) -> None:
    screen.set_mode(LockMode.CHECKING)
    screen.show()
    qtbot.waitExposed(screen)
    screen.set_mode(mode, method)
    qtbot.waitUntil(lambda: screen.secret.hasFocus(), timeout=10_000)


def test_the_prompts_are_one_or_two_lines_not_a_narrow_column(qtbot, screen):
    show_in(qtbot, screen, LockMode.ENTER)
    assert screen.prompt.width() >= 30 * screen.fontMetrics().averageCharWidth()
    assert line_count(screen.prompt) == 1, screen.prompt.text()
    assert screen.secret.width() == screen.prompt.width(), "the field spans the column"
    screen.set_mode(LockMode.SET_PASSPHRASE)
    qtbot.waitUntil(lambda: line_count(screen.prompt) <= 2, timeout=10_000)


def test_unlock_is_the_default_and_quit_a_flat_secondary_button(qtbot, screen):
    show_in(qtbot, screen, LockMode.ENTER)
    assert screen.unlock_button.isDefault()
    assert screen.quit_button.isFlat() and not screen.quit_button.autoDefault()
    assert not screen.quit_button.isDefault()
    row = screen.unlock_button.geometry()
    assert screen.quit_button.geometry().right() < row.left(), "Quit on the left, Unlock on the right"


def test_the_secret_field_has_focus_and_a_ring_every_time_the_screen_comes_back(qtbot, screen):
    for _ in range(2):  # the second lock is the one that lost focus
        show_in(qtbot, screen, LockMode.ENTER)
        assert QApplication.focusWidget() is screen.secret
        screen.hide()
    # The ring is the screen's own rule (Fusion's 1 px tint is too faint on this bare screen).
    assert "QLineEdit:focus { border: 2px solid palette(highlight)" in screen.styleSheet()


def test_the_message_line_takes_no_room_until_there_is_a_message(qtbot, screen):
    show_in(qtbot, screen, LockMode.ENTER)
    assert not screen.message.isVisible()
    screen.secret.clear()
    screen.unlock_button.click()
    assert screen.message.isVisible() and screen.message.text()
    screen.reset()
    assert not screen.message.isVisible()
