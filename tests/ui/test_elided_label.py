"""ElidedLabel (ui/elided_label.py): whole when it fits, shortened in the middle when not, and
the whole text in its tooltip and accessible name."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from caseviewer.ui.elided_label import ElidedLabel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

NAME = "lab-results-" + "x" * 150 + ".pdf"


def test_a_long_name_beside_a_button_is_shortened_in_the_middle_not_cut_off(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    row = QHBoxLayout(host)
    label = ElidedLabel(NAME)
    row.addWidget(label, 1)
    row.addWidget(QPushButton("Save…"))
    host.resize(300, 40)
    host.show()
    qtbot.waitExposed(host)
    shown = label.text()
    assert shown != NAME and "…" in shown
    assert shown.startswith("lab-results-") and shown.endswith(".pdf")  # the extension stays
    assert label.fontMetrics().horizontalAdvance(shown) <= label.contentsRect().width()
    assert label.full_text() == NAME and label.accessibleName() == NAME and NAME in label.toolTip()

    host.resize(label.sizeHint().width() + 200, 40)  # room for all of it
    qtbot.waitUntil(lambda: label.text() == NAME)


def test_markup_in_a_name_is_shown_as_text(qtbot):
    label = ElidedLabel("<b>bold</b>.txt")
    qtbot.addWidget(label)
    label.resize(400, 30)
    label.show()
    assert label.text() == "<b>bold</b>.txt"
    assert label.textFormat().name == "PlainText"
