"""Find in cached cases: FTS over the offline cache from the window, and the purge setting."""

from __future__ import annotations

import pytest

from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient, RetryPolicy
from caseviewer.core.cache import CaseCache
from caseviewer.core.repository import CaseRepository
from caseviewer.ui.window.main_window import MainWindow
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
    cached_window.cache_commands.purge_cached(30)  # nothing is 30 days old: nothing removed, and a message says so
    qtbot.waitUntil(lambda: "Purged 0 old cached cases" in cached_window.statusBar().currentMessage(), timeout=10000)


def test_matches_are_highlighted_not_bracketed_and_a_cap_is_announced(qtbot, cached_window):
    """Issue 14 (10): the matched word is highlighted (service text escaped first), and a search
    cut at its limit says so instead of stopping silently."""
    from collections import Counter

    from caseviewer.ui.dialogs.text_search_dialog import PARTS_ROLE, SNIPPET_COLUMN, highlight_html

    model = cached_window.model
    words = Counter(
        word.casefold()
        for row in range(model.rowCount())
        for word in set((model.record(row).business_name or "").split())
        if word.isalpha() and len(word) > 3
    )
    word, count = words.most_common(1)[0]
    assert count >= 3
    dialog = cached_window.show_text_search()
    qtbot.addWidget(dialog)
    dialog.limit = 2
    dialog.query.setText(word)
    dialog.search_now()
    qtbot.waitUntil(lambda: dialog.results.rowCount() > 0, timeout=10000)
    assert dialog.results.rowCount() == 2
    assert "first 2" in dialog.status.text() and "more match" in dialog.status.text()
    item = dialog.results.item(0, SNIPPET_COLUMN)
    assert "[" not in item.text() and word in item.text().casefold()
    parts = item.data(PARTS_ROLE)
    assert any(is_match and piece.casefold().startswith(word) for piece, is_match in parts)
    dialog.results.viewport().grab()  # the highlighting delegate paints without error

    dialog.limit = 200
    dialog.search_now()
    qtbot.waitUntil(lambda: dialog.results.rowCount() == count, timeout=10000)
    assert "more match" not in dialog.status.text()

    hostile = highlight_html((("<b>x</b> & ", False), ("<img src=x>", True)), "#ffee88")
    assert "<b>" not in hostile and "<img" not in hostile
    assert "&lt;b&gt;x&lt;/b&gt; &amp; " in hostile and '<span style="background-color:#ffee88' in hostile
