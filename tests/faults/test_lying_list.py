"""A list that lies: totals that contradict the records, pages that repeat.

``total_pages`` of 10**9 with the same records on every page made ``sync`` run forever. Paging
now stops on a page that brings no new case, on more cases than ``total_items``, and never asks
for more pages than ``total_items`` allows; ``sync`` says so clearly and exits 1, keeping every
case it listed. The window's table ends its list on a page of rows it already has.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex

from caseviewer.core import errors
from caseviewer.core.api import CaseQuery
from caseviewer.core.cache import CaseCache
from caseviewer.core.repository import CaseRepository
from caseviewer.core.sync import sync_all
from tests.support.cli_process import assert_clean_exit, run_cli, text
from tests.support.windows import WAIT_MS, demo_api, show_window

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

KEY = b"l" * 32
CASES = 50  # fresh_demo


@pytest.mark.parametrize(("kind", "said"), [
    ("lying_totals", "repeats only cases it already listed"),
    ("short_totals", "says it has 3"),
])
def test_cli_sync_stops_with_a_clear_message_and_keeps_the_cases(fresh_demo, kind, said):
    fresh_demo.faults.update(scope="list", hostile=kind)
    result = run_cli(["sync"], fresh_demo, timeout=120)
    assert_clean_exit(result, errors.EXIT_FAILURE)
    assert said in text(result.stderr) and "contradicts itself" in text(result.stderr)
    assert "Listing stopped early" in text(result.stdout)
    # Every case it did list was synced and reads offline.
    fresh_demo.faults.reset()
    offline = run_cli(["show", fresh_demo.data.case_ids()[0], "--offline"], fresh_demo)
    assert_clean_exit(offline, 0)


def test_cli_sync_caps_pages_by_the_total(fresh_demo):
    fresh_demo.faults.update(scope="list", hostile="inflated_pages")
    result = run_cli(["sync"], fresh_demo, timeout=120)
    assert_clean_exit(result, 0)  # total_items is true: it is all there, no error
    assert f"Synced {CASES} cases" in text(result.stdout)


@pytest.fixture
def api(fresh_demo):
    api = demo_api(fresh_demo)
    yield api
    api.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(min_value=1, max_value=70),
       kind=st.sampled_from(["lying_totals", "short_totals", "inflated_pages", None]))
def test_paging_always_ends_and_never_repeats_a_case(fresh_demo, api, size, kind):
    fresh_demo.faults.reset()
    if kind:
        fresh_demo.faults.update(scope="list", hostile=kind)
    seen: list[str] = []
    pages = 0
    try:
        for page in api.list.iter_pages(CaseQuery(items_per_page=size)):
            pages += 1
            seen += [r.id for r in page.records]
            assert pages <= CASES + 2
    except errors.ListInconsistent as exc:
        assert kind in ("lying_totals", "short_totals"), exc
        assert "contradicts itself" in exc.message
    else:
        if kind == "short_totals":
            # Its claim of 3 cases holds a page of 3 or fewer: pages of that size that stop at
            # 3 cases contradict nothing, and paging stops there without asking for more.
            assert size <= 3 and len(seen) == 3, (size, len(seen))
        else:
            assert kind in (None, "inflated_pages")
            assert sorted(seen) == sorted(fresh_demo.data.case_ids()[:CASES]) or len(set(seen)) == CASES
    assert len(seen) == len(set(seen)) or kind == "short_totals"


def test_sync_in_process_reports_the_list_problem(fresh_demo):
    fresh_demo.faults.update(scope="list", hostile="lying_totals")
    cache = CaseCache("lying-sync", KEY)
    report = sync_all(demo_api(fresh_demo), cache, fresh_demo.customer_id)
    assert "contradicts itself" in report.list_problem and not report.ok
    assert report.total == CASES and report.fetched + report.list_only == CASES
    cache.close()


def test_window_table_ends_a_list_whose_pages_repeat(qtbot, fresh_demo):
    fresh_demo.faults.update(scope="list", hostile="lying_totals")
    repository = CaseRepository(demo_api(fresh_demo), cache=CaseCache("lying-window", KEY))
    window = show_window(qtbot, repository)
    try:
        model = window.model
        for _ in range(6):  # scrolling to the bottom again and again asks for more while it can
            qtbot.waitUntil(lambda: not model.is_loading, timeout=WAIT_MS)
            if not model.canFetchMore(QModelIndex()):
                break
            model.fetchMore(QModelIndex())
        qtbot.waitUntil(lambda: not model.is_loading, timeout=WAIT_MS)
        assert not model.canFetchMore(QModelIndex())
        ids = [model.record(r).id for r in range(model.rowCount())]
        assert len(ids) == len(set(ids)) and len(ids) <= CASES
        window.view.scrollToBottom()
        window.grab()
        qtbot.waitUntil(lambda: not model.is_loading, timeout=WAIT_MS)
        assert not model.canFetchMore(QModelIndex()) and window.isVisible()
    finally:
        window.shutdown()
