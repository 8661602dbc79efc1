"""A piece of service text no line can break (a pasted token, a very long address) wraps inside
the case page instead of widening it, and is copied exactly as sent (``ui/word_label.py``)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QVBoxLayout, QWidget

from caseviewer.ui.detail.widgets import text_label
from caseviewer.ui.word_label import BREAK, BREAK_LONGER_THAN, breakable, line_pieces, longest_piece_width

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

TOKEN = "ref" + "5f2b9c0e71d84a36" * 8  # 131 characters, nowhere to break a line
TEXT = f"Pasted by the pharmacy: {TOKEN} (see above)"


def shown_in_a_narrow_page(qtbot, text: str, width: int = 250) -> QLabel:
    """``text_label(text)`` alone in a page ``width`` px wide (the page is the label's parent)."""
    page = QWidget()
    layout = QVBoxLayout(page)
    label = text_label(text)
    layout.addWidget(label)
    qtbot.addWidget(page)
    page.resize(width, 400)
    page.show()
    qtbot.waitExposed(page)
    label.page = page  # qtbot holds widgets weakly
    return label


def test_a_long_unbroken_piece_wraps_in_a_narrow_page_and_reads_as_sent(qtbot):
    label = shown_in_a_narrow_page(qtbot, TEXT)
    metrics = label.fontMetrics()
    assert metrics.horizontalAdvance(TOKEN) > 600  # wider than any case page would be at 900 px
    assert label.wordWrap() and label.minimumSizeHint().width() < 250
    assert label.width() <= 250 and label.height() >= 3 * metrics.lineSpacing()  # wrapped over lines
    assert label.text() == TEXT and BREAK in QLabel.text(label)
    assert longest_piece_width(QLabel.text(label), metrics) <= label.width()  # no piece cut off


def test_the_selection_of_a_broken_piece_is_copied_without_its_break_points(qtbot):
    label = shown_in_a_narrow_page(qtbot, TEXT)
    label.make_selectable()
    label.setSelection(0, len(QLabel.text(label)))  # all BMP text: characters are Qt's units
    assert label.selectedText() == TEXT
    label.setFocus()
    QGuiApplication.clipboard().clear()
    QTest.keyClick(label, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == TEXT


@pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise", "does not support grabbing")  # a popup, offscreen
def test_the_context_menu_of_a_broken_piece_copies_and_selects_it_as_sent(qtbot):
    label = shown_in_a_narrow_page(qtbot, TEXT)
    label.make_selectable()
    QApplication.sendEvent(label, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5),
                                                    label.mapToGlobal(QPoint(5, 5))))
    menu = label.findChild(QMenu)
    assert menu is not None
    actions = {action.text().replace("&", ""): action for action in menu.actions()}
    assert not actions["Copy"].isEnabled()  # nothing selected yet
    actions["Select All"].trigger()
    assert label.selectedText() == TEXT
    menu.close()
    QApplication.sendEvent(label, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5),
                                                    label.mapToGlobal(QPoint(5, 5))))
    menu = [m for m in label.findChildren(QMenu) if m.isVisible()][-1]
    QGuiApplication.clipboard().clear()
    next(a for a in menu.actions() if a.text().replace("&", "") == "Copy").trigger()
    assert QGuiApplication.clipboard().text() == TEXT
    menu.close()


@pytest.mark.parametrize("text", [
    "a" * (BREAK_LONGER_THAN + 1),
    "e\u0301" * 40,                                  # a letter and its accent stay together
    "\u202e" + "b" * 40,                             # right-to-left override
    "\U0001f469\u200d\U0001f469\u200d\U0001f467" * 20,  # emoji sequences: Qt breaks between them already
    "short words only, " * 10,
    "1952-08-11) " + "q" * 33,
])
def test_break_points_go_between_whole_characters_and_come_out_again(text):
    shown = breakable(text)
    assert shown.replace(BREAK, "") == text
    assert BREAK + "\u0301" not in shown and BREAK + "\u200d" not in shown and "\u200d" + BREAK not in shown
    assert all(len(piece.rstrip(" " + BREAK)) <= BREAK_LONGER_THAN for piece in line_pieces(shown))


def test_text_that_holds_break_points_already_is_shown_as_sent(qtbot):
    text = "a\u200b" + "b" * 60
    assert breakable(text) == text
    label = text_label(text)
    qtbot.addWidget(label)
    assert QLabel.text(label) == text == label.text()


def test_a_short_value_is_not_changed_or_wrapped(qtbot):
    label = text_label("Jordan Example")
    qtbot.addWidget(label)
    assert QLabel.text(label) == "Jordan Example" and not label.wordWrap()


def drawn_pieces_fit(label: QLabel) -> bool:
    return longest_piece_width(QLabel.text(label), label.fontMetrics()) <= label.contentsRect().width()


def test_a_file_name_of_one_long_word_wraps_in_the_preview_facts(qtbot):
    from caseviewer.ui.preview.info_view import InfoView

    name = "scan_" + "0123456789abcdef" * 10 + ".dcm"
    view = InfoView()
    qtbot.addWidget(view)
    view.show_info(name, [("Type", "application/x-" + "vendor" * 12), ("Uploaded by", "Sage Birchwood")],
                   message=f"No viewer for {name}.")
    view.resize(360, 600)
    view.show()
    qtbot.waitExposed(view)
    assert view.minimumSizeHint().width() <= 360
    labels = [label for label in view.findChildren(QLabel) if label.isVisible() and label.text()]
    assert labels and all(drawn_pieces_fit(label) for label in labels), [
        (label.text()[:30], label.width()) for label in labels if not drawn_pieces_fit(label)]
    assert view.title() == name and view.facts()["Type"] == "application/x-" + "vendor" * 12


def test_a_service_message_with_a_long_request_id_wraps_in_the_list_error_view(qtbot):
    from caseviewer.ui.case_list.table_states import StateView

    view = StateView()
    qtbot.addWidget(view)
    message = "The service answered 503 (request " + "a1b2c3d4" * 12 + "). Try again later."
    view.show_state("Could not load cases", message)
    view.resize(320, 400)
    view.show()
    qtbot.waitExposed(view)
    assert view.minimumSizeHint().width() <= 320
    assert drawn_pieces_fit(view.detail) and view.detail.text() == message


def test_text_selected_with_the_mouse_reaches_the_primary_selection_as_sent(qtbot):
    clipboard = QGuiApplication.clipboard()
    if not clipboard.supportsSelection():
        pytest.skip("this platform has no primary selection (X11's select-then-middle-click)")
    label = shown_in_a_narrow_page(qtbot, TEXT)
    label.make_selectable()
    QTest.mousePress(label, Qt.MouseButton.LeftButton, pos=QPoint(2, 4))
    QTest.mouseMove(label, QPoint(label.width() - 2, label.height() - 4))
    QTest.mouseRelease(label, Qt.MouseButton.LeftButton, pos=QPoint(label.width() - 2, label.height() - 4))
    assert label.hasSelectedText()
    selected = clipboard.text(clipboard.Mode.Selection)
    assert selected and BREAK not in selected and selected in TEXT


def test_the_primary_selection_test_runs_on_x11(tmp_path):
    """The test above needs a platform with a primary selection; the suite runs offscreen, so
    it is run again here on Qt's xcb platform under Xvfb (a Debian package .ci/run installs)."""
    import os
    import shutil
    import subprocess
    import sys

    if shutil.which("xvfb-run") is None:
        why = "needs xvfb-run (Debian package xvfb; .ci/run installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(why)
        pytest.skip(why)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "DISPLAY"))}
    env["QT_QPA_PLATFORM"] = "xcb"
    test = f"{__file__}::test_text_selected_with_the_mouse_reaches_the_primary_selection_as_sent"
    run = subprocess.run(["xvfb-run", "-a", sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:randomly",
                          "-p", "no:cacheprovider", test], env=env, cwd=tmp_path, capture_output=True,
                         text=True, timeout=180)
    assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout[-2000:] + run.stderr[-2000:]
