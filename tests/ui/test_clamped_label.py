"""``ClampedLabel``: a word-wrapped label of at most a few lines, the last ending in "…"."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from caseviewer.ui.detail.clamped_label import ELLIPSIS, ClampedLabel, clamp_lines
from caseviewer.ui.word_label import BREAK

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

LONG = "A title that goes on " * 20


def in_a_page(qtbot, text: str, width: int) -> ClampedLabel:
    page = QWidget()
    layout = QVBoxLayout(page)
    label = ClampedLabel(3)
    label.setText(text)
    layout.addWidget(label)
    layout.addStretch(1)
    qtbot.addWidget(page)
    page.resize(width, 600)
    page.show()
    qtbot.waitExposed(page)
    label.page = page  # qtbot holds widgets weakly
    return label


def test_a_long_text_is_drawn_on_three_lines_and_told_whole(qtbot):
    label = in_a_page(qtbot, LONG, 300)
    lines = label.fontMetrics().lineSpacing()
    assert label.is_clamped() and label.height() <= 3 * lines + 2
    assert QLabel.text(label).endswith(ELLIPSIS)
    assert label.text() == LONG and label.accessibleName() == LONG and "goes on" in label.toolTip()


def test_given_room_again_the_whole_text_comes_back(qtbot):
    label = in_a_page(qtbot, LONG, 300)
    label.page.resize(4000, 600)
    qtbot.waitUntil(lambda: not label.is_clamped(), timeout=3_000)
    assert QLabel.text(label) == LONG and label.toolTip() == ""


def test_a_short_text_is_left_alone(qtbot):
    label = in_a_page(qtbot, "Synthetic Sleep Plan review", 300)
    assert not label.is_clamped() and QLabel.text(label) == "Synthetic Sleep Plan review"
    assert label.toolTip() == ""


@pytest.mark.parametrize("text", ["", "x", "line one\nline two\n" * 10, "\u202e" + "evil " * 60,
                                  "\U0001f600 " * 200, "\ud800" * 50, BREAK.join("a" * 300), "w" * 3000])
def test_clamping_any_text_keeps_its_beginning_and_ends_it_in_an_ellipsis(qapp, text):
    font = QFont()
    shown = clamp_lines(text, font, 200, 3)
    if shown != text:
        assert shown.endswith(ELLIPSIS)
        kept = shown[:-1].rstrip()
        assert " ".join(text.split()).startswith(" ".join(kept.split())[: max(0, len(kept) - 40)])
    assert clamp_lines(text, font, 0, 3) == text
