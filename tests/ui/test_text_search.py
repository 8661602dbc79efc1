"""Find in cached cases: FTS over the offline cache from the window, and the purge setting."""

from __future__ import annotations

import pytest

from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient, RetryPolicy
from caseviewer.core.cache import CaseCache
from caseviewer.core.repository import CaseRepository
from caseviewer.ui.main_window import MainWindow
from caseviewer.ui.settings_store import UiSettings

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def cached_window(qtbot, fresh_demo):
    retry = RetryPolicy(max_retries=0)
    api = CaseApi(
        list=CaseListClient(fresh_demo.list_url, customer_id=fresh_demo.customer_id, credential=BearerToken(fresh_demo.list_token), retry=retry),
        detail=CaseDetailClient(fresh_demo.detail_url, api_key=fresh_demo.detail_key, retry=retry),
    )
    repository = CaseRepository(api, cache=CaseCache("fts-test", b"k" * 32))
    window = MainWindow(repository, connection_label="Demo")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=15000)
    yield window
    window.shutdown()


def test_find_a_cached_case_by_a_word_from_its_comment(qtbot, cached_window, fresh_demo):
    case_id = fresh_demo.data.case_ids()[0]
    with qtbot.waitSignal(cached_window.detail_shown, timeout=15000) as shown:
        cached_window.select_row(0)
    detail = shown.args[0].detail
    assert detail.id == case_id
    word = max(detail.comments[0].text.split(), key=len).strip(".,;:!?")
    dialog = cached_window.show_text_search()
    qtbot.addWidget(dialog)
    dialog.query.setText(word)
    dialog.search_now()
    qtbot.waitUntil(lambda: dialog.results.rowCount() > 0, timeout=10000)
    ids = [dialog.results.item(row, 3).text() for row in range(dialog.results.rowCount())]
    assert case_id in ids
    row = ids.index(case_id)
    cached_window.pane.show_placeholder()
    with qtbot.waitSignal(cached_window.detail_shown, timeout=15000) as reopened:
        dialog.results.cellActivated.emit(row, 0)
    assert reopened.args[0].detail.id == case_id


def test_no_match_says_so(qtbot, cached_window):
    dialog = cached_window.show_text_search()
    qtbot.addWidget(dialog)
    dialog.query.setText("zzqxnotaword")
    dialog.search_now()
    qtbot.waitUntil(lambda: "No cached case" in dialog.status.text(), timeout=10000)
    assert dialog.results.rowCount() == 0


def test_purge_setting_is_remembered_and_applied(qtbot, cached_window):
    settings = UiSettings()
    settings.save_purge_days(30)
    assert UiSettings().purge_days() == 30
    cached_window.purge_cached(30)  # nothing is 30 days old: nothing removed, and a message says so
    qtbot.waitUntil(lambda: "Purged 0 old cached cases" in cached_window.statusBar().currentMessage(), timeout=10000)
