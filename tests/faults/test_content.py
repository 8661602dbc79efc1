"""Hostile and extreme content through the whole window: HTML and script in text, right-to-left
and emoji names, a 1 MB comment and 200 activity rows. The window stays up, shows the text
literally, and the next case still loads."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient
from caseviewer.core.repository import CaseRepository
from caseviewer.demo.data import SPECIAL
from caseviewer.ui.window.main_window import MainWindow
from tests.support.windows import open_row

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def window(qtbot, fresh_demo):
    api = CaseApi(
        list=CaseListClient(fresh_demo.list_url, customer_id=fresh_demo.customer_id, credential=BearerToken(fresh_demo.list_token)),
        detail=CaseDetailClient(fresh_demo.detail_url, api_key=fresh_demo.detail_key),
    )
    win = MainWindow(CaseRepository(api), connection_label="Demo")
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitUntil(lambda: win.model.rowCount() > SPECIAL["huge"], timeout=15000)
    yield win
    win.shutdown()


def visible_label_texts(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]


def test_html_and_script_are_shown_literally(qtbot, window, fresh_demo):
    result = open_row(qtbot, window, SPECIAL["hostile"])
    assert result.case_id == fresh_demo.data.case_ids()[SPECIAL["hostile"]]
    shown_in_table = window.model.index(SPECIAL["hostile"], 0).data(Qt.ItemDataRole.DisplayRole)
    assert "<" in shown_in_table  # the markup is text, not formatting
    labels = [label for label in window.pane.findChildren(QLabel) if "<script>" in label.text()]
    assert labels, "the script tag should be visible as text somewhere in the pane"
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    assert window.isVisible()


def test_right_to_left_and_emoji_names_survive(qtbot, window):
    result = open_row(qtbot, window, SPECIAL["hostile"])
    submitter = result.detail.submitter
    assert any(not ch.isascii() for ch in submitter.first_name + submitter.last_name)
    texts = "\n".join(visible_label_texts(window.pane))
    # Names are shown (bidi overrides made visible as markers, so "evil" cannot flip the line).
    assert submitter.first_name in texts
    assert "U+202E" in texts or "\u202e" not in submitter.last_name


def test_one_megabyte_comment_and_200_activity_rows(qtbot, window):
    result = open_row(qtbot, window, SPECIAL["huge"])
    assert max(len(c.text or "") for c in result.detail.comments) >= 1_000_000
    assert len(result.detail.activity) >= 200
    from PySide6.QtWidgets import QApplication

    for index in range(window.pane.tab_widget().count()):  # every tab renders it
        window.pane.set_current_tab(index)
        QApplication.processEvents()
        assert window.pane.tab_widget().currentIndex() == index
    after = open_row(qtbot, window, 0)  # and the app moves on normally
    assert after.detail is not None and window.isVisible()
