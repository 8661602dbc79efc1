"""The main window with an offline cache, against a private demo service that the tests stop or break.

Clients are built without retries (``NO_RETRY``) so an unreachable service fails at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from caseviewer.core.repository import CaseRepository
from caseviewer.ui.window.cache_actions import DEFAULT_NO_CACHE_REASON, format_bytes
from caseviewer.ui.window.main_window import MainWindow
from caseviewer.ui.window.offline_banner import banner_text, describe_age
from caseviewer.ui.dialogs.open_case_dialog import BY_ID, CaseLookup
from tests.support.windows import make_main_window  # noqa: F401 - fixture
from tests.unit.test_cache_support import make_api, make_repository, open_cache

OFFSCREEN_DIALOG_NOISE = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
WAIT_MS = 15_000


@pytest.fixture
def make_window(make_main_window):
    def make(repository: CaseRepository, **kwargs) -> MainWindow:
        kwargs.setdefault("page_size", 20)
        return make_main_window(repository, **kwargs)

    return make


@pytest.fixture
def cached_window(fresh_demo, make_window):
    return make_window(make_repository(fresh_demo, open_cache()))


def wait_loaded(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.model.has_loaded_first_page and not window.model.is_loading, timeout=WAIT_MS)


def row_ids(window: MainWindow) -> list[str]:
    return [window.model.case_id(r) for r in range(window.model.rowCount())]


def from_network(page) -> bool:
    return page.provenance.from_network


def open_row(qtbot, window: MainWindow, row: int):
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS) as shown:
        window.select_row(row)
    return shown.args[0]


def test_service_stops_refresh_shows_the_cached_list_and_case(qtbot, fresh_demo, cached_window):
    window = cached_window
    wait_loaded(qtbot, window)
    assert not window.banner.isVisible()
    qtbot.waitUntil(lambda: not window.model.is_loading, timeout=WAIT_MS)
    online_ids = row_ids(window)
    online = open_row(qtbot, window, 0)
    assert online.provenance.from_network
    assert window.sync_action.isEnabled()

    fresh_demo.stop()
    with qtbot.waitSignal(window.case_list.cached_list_shown, timeout=WAIT_MS):
        window.refresh()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=WAIT_MS)
    assert window.repository.offline_reason == "unreachable"
    assert window.banner.try_again_button.isVisible()
    assert window.banner.label.text().startswith("Offline — showing cached data (cached ")
    qtbot.waitUntil(lambda: len(row_ids(window)) >= len(online_ids) and not window.model.is_loading, timeout=WAIT_MS)
    # The rows seen online, now from the cache, in the same order. (The view may have asked for
    # another page after online_ids was taken; the cache has that page too, so compare the prefix.)
    assert row_ids(window)[:len(online_ids)] == online_ids
    assert window.count_label.text().endswith(" cached cases")  # what the cache holds, not the service
    assert window.case_list.shows_store  # every cached case at once, read from the cache
    assert window.probe_timer.isActive()
    assert not window.sync_action.isEnabled()
    assert "offline" in window.sync_action.toolTip()

    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS) as shown:
        window.open_case(CaseLookup(BY_ID, online.case_id))
    offline = shown.args[0]
    assert offline.provenance.from_cache and offline.detail.raw == online.detail.raw
    assert window.pane.isVisible()

    # A probe against the stopped service fails: still offline, the banner stays.
    with qtbot.waitCallback(timeout=WAIT_MS) as probed:
        original = window.offline._probed
        window.offline._probed = lambda ok: (original(ok), probed(ok))
        window.probe_now()
    assert probed.args == [False]
    assert window.banner.isVisible() and window.probe_timer.isActive()


def test_work_offline_toggle_shows_the_banner_and_back(qtbot, fresh_demo, cached_window):
    window = cached_window
    wait_loaded(qtbot, window)
    assert window.work_offline_action.isEnabled() and not window.work_offline_action.isChecked()
    assert window.work_offline_action.shortcut().toString() == "Ctrl+Shift+O"
    with qtbot.waitSignal(window.case_list.cached_list_shown, timeout=WAIT_MS):
        window.work_offline_action.trigger()
    wait_loaded(qtbot, window)
    assert window.repository.offline_reason == "chosen"
    assert window.work_offline_action.isChecked()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=WAIT_MS)
    assert "You chose to work offline" in window.banner.label.text()
    assert not window.banner.try_again_button.isVisible()
    assert window.banner.go_online_button.isVisible()
    assert not window.probe_timer.isActive()  # a choice is not probed away
    assert not window.sync_action.isEnabled()

    with qtbot.waitSignal(window.page_loaded, timeout=WAIT_MS, check_params_cb=from_network):
        window.work_offline_action.trigger()
    assert not window.repository.is_offline
    assert not window.banner.isVisible() and not window.work_offline_action.isChecked()
    assert window.sync_action.isEnabled()


def test_unreachable_then_probe_comes_back_online_without_restart(qtbot, fresh_demo, cached_window):
    window = cached_window
    wait_loaded(qtbot, window)
    open_row(qtbot, window, 1)
    fresh_demo.faults.update(status=503, scope="all")
    with qtbot.waitSignal(window.case_list.cached_list_shown, timeout=WAIT_MS):
        window.refresh()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=WAIT_MS)
    assert window.repository.offline_reason == "unreachable"
    assert window.probe_timer.isActive()

    fresh_demo.faults.reset()
    with qtbot.waitSignal(window.page_loaded, timeout=WAIT_MS, check_params_cb=from_network):
        window.probe_now()  # what the timer (or "Try again") does
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=WAIT_MS)
    assert not window.repository.is_offline and not window.probe_timer.isActive()
    assert window.sync_action.isEnabled()


def test_try_again_button_probes(qtbot, fresh_demo, cached_window):
    window = cached_window
    wait_loaded(qtbot, window)
    fresh_demo.faults.update(status=503, scope="all")
    with qtbot.waitSignal(window.case_list.cached_list_shown, timeout=WAIT_MS):
        window.refresh()
    qtbot.waitUntil(lambda: window.banner.try_again_button.isVisible(), timeout=WAIT_MS)
    fresh_demo.faults.reset()
    window.banner.try_again_button.click()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=WAIT_MS)


def test_without_a_cache_the_cache_actions_say_why(qtbot, fresh_demo, make_window):
    window = make_window(CaseRepository(make_api(fresh_demo)))
    wait_loaded(qtbot, window)
    for action in (window.sync_action, window.clear_cache_action, window.work_offline_action):
        assert not action.isEnabled()
        assert action.toolTip() == DEFAULT_NO_CACHE_REASON
    assert not window.banner.isVisible()

    other = make_window(CaseRepository(make_api(fresh_demo)), cache_unavailable_reason="No offline cache: locked")
    assert other.sync_action.toolTip() == "No offline cache: locked"


@OFFSCREEN_DIALOG_NOISE
def test_sync_dialog_runs_to_completion_and_reports(qtbot, fresh_demo, cached_window):
    window = cached_window
    wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: window.cache_commands.size is not None, timeout=WAIT_MS)
    size_before = window.cache_commands.size
    dialog = window.show_sync_dialog()
    assert dialog is not None and dialog.isVisible()
    with qtbot.waitSignal(dialog.finished_sync, timeout=60_000) as finished:
        dialog.start()
        assert dialog.running and not window.clear_cache_action.isEnabled()
    report = finished.args[0]
    assert report is not None and report.total == 50 and not report.cancelled
    assert report.fetched + report.list_only + report.skipped + len(report.failed) == 50
    assert dialog.progress_bar.maximum() == 50 and dialog.progress_bar.value() == 50
    summary = dialog.summary.toPlainText()
    assert "50 cases listed" in summary and dialog.summary.isVisible()
    assert dialog.close_button.isVisible() and not dialog.cancel_button.isVisible()
    qtbot.waitUntil(lambda: window.cache_commands.size is not None and window.cache_commands.size > size_before, timeout=WAIT_MS)
    assert format_bytes(window.cache_commands.size) in dialog.size_label.text()
    assert format_bytes(window.cache_commands.size) in window.cache_label.toolTip()

    # Everything is offline now: a case never opened reads from the cache.
    dialog.close_button.click()
    qtbot.waitUntil(lambda: window.cache_commands.sync_dialog is None, timeout=WAIT_MS)
    fresh_demo.stop()
    with qtbot.waitSignal(window.case_list.cached_list_shown, timeout=WAIT_MS):
        window.refresh()
    result = open_row(qtbot, window, 5)
    assert result.provenance.from_cache


@OFFSCREEN_DIALOG_NOISE
def test_a_second_sync_skips_what_is_cached_unless_told_to_fetch_every_case_again(qtbot, fresh_demo, cached_window):
    window = cached_window
    wait_loaded(qtbot, window)

    def run_sync(*, force: bool):  # noqa: ANN202 - SyncReport
        dialog = window.show_sync_dialog()
        assert dialog.force_box.text().startswith("Fetch every case again") and not dialog.force_box.isChecked()
        dialog.force_box.setChecked(force)
        with qtbot.waitSignal(dialog.finished_sync, timeout=60_000) as finished:
            dialog.start()
            assert not dialog.force_box.isEnabled()  # fixed while it runs
        dialog.close_button.click()
        qtbot.waitUntil(lambda: window.cache_commands.sync_dialog is None, timeout=WAIT_MS)
        return finished.args[0]

    first = run_sync(force=False)
    assert first is not None and first.fetched > 0
    again = run_sync(force=False)
    assert again.fetched == 0 and again.skipped == first.fetched + first.list_only
    forced = run_sync(force=True)
    assert forced.fetched == first.fetched and forced.skipped == 0


@OFFSCREEN_DIALOG_NOISE
def test_sync_cancel_reports_cancelled(qtbot, fresh_demo, cached_window):
    window = cached_window
    wait_loaded(qtbot, window)
    fresh_demo.faults.update(latency_ms=50, scope="detail")
    dialog = window.show_sync_dialog()
    with qtbot.waitSignal(dialog.finished_sync, timeout=60_000) as finished:
        dialog.start()
        dialog.cancel_button.click()
    report = finished.args[0]
    assert report is not None and report.cancelled
    assert "Cancelled" in dialog.summary.toPlainText()


@OFFSCREEN_DIALOG_NOISE
def test_clear_offline_cache_asks_then_empties(qtbot, fresh_demo, cached_window):
    window = cached_window
    wait_loaded(qtbot, window)
    open_row(qtbot, window, 0)
    box = window.cache_commands.confirm_clear_cache()
    assert box is not None and box.isVisible() and "Remove every case" in box.text()
    box.reject()
    with qtbot.waitSignal(window.statusBar().messageChanged, timeout=WAIT_MS,
                          check_params_cb=lambda text: "empty" in text):
        window.cache_commands.clear_offline_cache()
    window.work_offline_action.trigger()
    qtbot.waitUntil(lambda: window.model.error_message is not None, timeout=WAIT_MS)
    assert "not in the offline cache" in window.model.error_message


def test_banner_text_and_age():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
    assert describe_age(now - timedelta(seconds=5), now) == "just now"
    assert describe_age(now - timedelta(minutes=12), now) == "12 min ago"
    assert describe_age(now - timedelta(hours=3), now) == "3 h ago"
    assert describe_age(now - timedelta(days=3), now) == "3 days ago"
    assert describe_age(None, now) == ""
    assert banner_text("unreachable", now - timedelta(minutes=12), now).startswith(
        "Offline — showing cached data (cached 12 min ago)"
    )
