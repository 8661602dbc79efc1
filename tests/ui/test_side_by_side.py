"""SideBySide: two widgets next to each other when there is room, stacked when there is not."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from caseviewer.ui.detail.widgets import SideBySide

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def make(qtbot) -> tuple[QWidget, SideBySide, QLabel, QLabel]:
    """The pair inside a host window, as it sits inside a scroll page."""
    first, second = QLabel("F" * 60), QLabel("S" * 60)
    pair = SideBySide(first, second)
    host = QWidget()
    QVBoxLayout(host).addWidget(pair)
    qtbot.addWidget(host)
    host.show()
    return host, pair, first, second


def test_wide_is_side_by_side_and_narrow_stacks(qtbot):
    host, pair, first, second = make(qtbot)
    both = first.sizeHint().width() + second.minimumSizeHint().width() + 40
    host.resize(both + 100, 200)
    qtbot.waitUntil(pair.is_side_by_side)
    qtbot.waitUntil(lambda: second.x() > first.x() and second.y() == first.y())

    host.resize(max(first.sizeHint().width(), second.sizeHint().width()) + 30, 200)
    qtbot.waitUntil(lambda: not pair.is_side_by_side())
    qtbot.waitUntil(lambda: second.y() > first.y())


def test_its_minimum_width_is_the_wider_widget_not_the_sum(qtbot):
    # Otherwise the scroll page around it would grow wider than the pane and scroll sideways.
    _, pair, first, second = make(qtbot)
    assert pair.minimumSizeHint().width() == max(first.minimumSizeHint().width(), second.minimumSizeHint().width())
