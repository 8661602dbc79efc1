"""The detail pane over the bundled demo data: the rich case, the hostile case and 30 others."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from caseviewer.core.models import CaseDetail, CaseRecord
from caseviewer.core.repository import CaseResult
from caseviewer.demo.data import SPECIAL, DemoData
from caseviewer.ui.detail import DetailPane
from caseviewer.ui.detail.tabs import AttachmentsTab
from tests.ui.detail_helpers import all_text, render_all_tabs

# Showing a top-level window on the offscreen platform logs this; it is not about our code.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(scope="module")
def data() -> DemoData:
    return DemoData(cases=60, seed=7)


def result(data: DemoData, index: int) -> CaseResult:
    case_id = data.case_ids()[index]
    record = CaseRecord.model_validate(data.list_record(index))
    raw = data.detail(case_id)
    if raw is None:
        return CaseResult(case_id=case_id, record=record, detail_note="The case detail service does not know this case.")
    return CaseResult(case_id=case_id, record=record, detail=CaseDetail.from_raw(raw))


@pytest.fixture
def pane(qtbot) -> DetailPane:
    widget = DetailPane()
    qtbot.addWidget(widget)
    widget.resize(900, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_rich_case_fills_every_tab(pane, data):
    pane.show_case(result(data, SPECIAL["rich"]))
    render_all_tabs(pane)
    # Every section with a count has items (At a glance, the case record and Raw carry no count).
    uncounted = [t.TITLE for t in pane.tab_pages if t.count(t._detail) is None]
    assert uncounted == ["At a glance", "Case record", "Raw"]
    for index in range(pane.tab_widget().count()):
        title = pane.tab_widget().tabText(index)
        if title not in uncounted:
            assert "(" in title and "(0)" not in title, title


def test_hostile_case_shows_text_literally(pane, data):
    hostile = result(data, SPECIAL["hostile"])
    pane.show_case(hostile)
    render_all_tabs(pane)
    assert pane.header.title.text() == hostile.detail.title
    assert "<script>" in pane.header.title.text()
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in pane.findChildren(QLabel))
    names = all_text(next(t for t in pane.tab_pages if isinstance(t, AttachmentsTab)).table, tooltips=False)
    assert "../../etc/passwd" in names


def test_many_demo_cases_render(pane, data):
    shown = 0
    for index in range(min(36, len(data.case_ids()))):
        pane.show_case(result(data, index))
        render_all_tabs(pane)
        shown += 1
    assert shown >= 32


def test_case_unknown_to_detail_service_shows_record(pane, data):
    index = next(i for i in range(len(data.case_ids())) if not data.has_detail(i))
    pane.show_case(result(data, index))
    assert pane.body.currentWidget() is pane.record_view
    assert not pane.header.notice.isHidden()
