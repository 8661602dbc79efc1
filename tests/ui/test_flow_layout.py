"""FlowLayout: one line when there is room, wrapped lines when not, never wider than its rect."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from caseviewer.ui.detail.flow_layout import FlowLayout

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def row(qtbot):
    host = QWidget()
    outer = QVBoxLayout(host)
    holder = QWidget()
    flow = FlowLayout(holder, spacing=10)
    labels = [QLabel(text) for text in ("Internal note", "Uma Thornbury", "2025-06-30 16:40", "Restricted",
                                        "c2c936c0-ff21-4aef-80a6-a5a4befe5aab")]
    for label in labels:
        flow.addWidget(label)
    outer.addWidget(holder)
    outer.addStretch(1)
    qtbot.addWidget(host)
    host.show()
    return host, holder, flow, labels


def test_one_line_when_wide(qtbot, row):
    host, holder, flow, labels = row
    host.resize(flow.sizeHint().width() + 100, 300)
    qtbot.waitUntil(lambda: len({label.y() for label in labels}) == 1)
    assert [label.x() for label in labels] == sorted(label.x() for label in labels)


def test_wraps_when_narrow_and_stays_inside(qtbot, row):
    host, holder, flow, labels = row
    one_line = flow.heightForWidth(flow.sizeHint().width())
    width = labels[-1].sizeHint().width() + 40
    host.resize(width, 300)
    qtbot.waitUntil(lambda: holder.width() <= width)
    qtbot.waitUntil(lambda: len({label.y() for label in labels}) > 1)
    assert all(label.geometry().right() <= holder.width() for label in labels)
    assert flow.heightForWidth(holder.width()) > one_line
    assert holder.height() >= flow.heightForWidth(holder.width())  # the host made room for the lines


def test_its_minimum_width_is_the_widest_item_not_the_sum(row):
    _, _, flow, labels = row
    assert flow.minimumSize().width() == max(label.minimumSizeHint().width() for label in labels)
