"""Deep nesting: a list or detail body nested far deeper than any case document.

Before, ~1000 levels gave ``internal error (RecursionError)`` in the CLI, the crash dialog in the
window, and aborted a whole sync. Now every body is parsed at one boundary (``core.wire``) with
an explicit depth limit: "the service sent a document nested too deeply" is that answer's error,
the sync records the one case as failed and goes on, and nothing cached is lost.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseviewer.core import errors, wire
from caseviewer.core.cache import CaseCache
from caseviewer.core.models import CaseDetail
from caseviewer.core.repository import CaseRepository, CaseResult
from caseviewer.core.sync import sync_all
from tests.support.cli_process import assert_clean_exit, run_cli, text
from tests.support.windows import WAIT_MS, demo_api, open_row, show_window

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

KEY = b"d" * 32
SAID = "nested too deeply"


def nested(depth: int, kinds: str = "[{") -> str:
    opens = "".join('{"a":' if kinds[i % len(kinds)] == "{" else "[" for i in range(depth))
    closes = "".join("}" if kinds[i % len(kinds)] == "{" else "]" for i in reversed(range(depth)))
    return opens + "0" + closes


@pytest.mark.parametrize("depth", [wire.MAX_DEPTH + 1, 500, 999, 1000, 5000, 200_000])
@pytest.mark.parametrize("kinds", ["[", "{", "[{", "{{["])
def test_too_deep_is_a_known_error_at_the_boundary(depth, kinds):
    body = '{"caseDetail": {"id": "x", "deep": ' + nested(depth, kinds) + "}}"
    with pytest.raises(errors.TooDeep, match=SAID):
        wire.decode_json(body.encode(), service="case detail service")


@settings(max_examples=100, deadline=None)
@given(depth=st.integers(min_value=1, max_value=wire.MAX_DEPTH - 3), kinds=st.sampled_from(["[", "{", "[{"]))
def test_within_the_limit_parses_validates_and_serialises(depth, kinds):
    body = '{"caseDetail": {"id": "x", "deep": ' + nested(depth, kinds) + "}}"
    parsed = wire.decode_json(body.encode())
    detail = CaseDetail.from_raw(parsed["caseDetail"])
    detail.model_dump_json()
    json.dumps(parsed)


@settings(max_examples=60, deadline=None)
@given(st.recursive(st.none() | st.integers() | st.text(max_size=5),
                    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
                    max_leaves=60))
def test_any_shape_either_parses_or_is_too_deep(value):
    body = json.dumps({"caseDetail": {"id": "h", "x": value}})
    try:
        parsed = wire.decode_json(body)
    except errors.TooDeep:
        return
    assert parsed == json.loads(body)


def test_cli_show_of_a_too_deep_case_is_one_line_exit_1(fresh_demo):
    case_id = fresh_demo.data.case_ids()[0]
    fresh_demo.faults.update(scope="detail", hostile="deep_nesting")
    for extra in ([], ["--json"]):
        result = run_cli(["show", case_id, *extra], fresh_demo, cache=False)
        assert_clean_exit(result, 1)
        assert SAID in text(result.stderr) and text(result.stderr).count("\n") == 1


def test_cli_sync_fails_only_the_deep_cases_and_goes_on(fresh_demo):
    fresh_demo.faults.update(scope="detail", hostile="deep_nesting", count=3)
    result = run_cli(["sync"], fresh_demo)
    assert_clean_exit(result, 5)  # some cases failed: the documented "run sync again" exit
    out = text(result.stdout)
    assert "3 failed" in out and out.count(SAID) == 3
    assert "fetched" in out and "0 fetched" not in out
    # The next run fetches the three and nothing else is lost.
    again = run_cli(["sync"], fresh_demo)
    assert_clean_exit(again, 0)
    assert "0 failed" in text(again.stdout)


def test_cli_sync_with_a_deep_list_says_so(fresh_demo):
    fresh_demo.faults.update(scope="list", hostile="deep_nesting")
    result = run_cli(["sync"], fresh_demo)
    assert_clean_exit(result, 1)
    assert SAID in text(result.stderr)


def test_sync_in_process_keeps_every_other_case(fresh_demo):
    cache = CaseCache("deep-sync", KEY)
    fresh_demo.faults.update(scope="detail", hostile="deep_nesting", count=2)
    report = sync_all(demo_api(fresh_demo), cache, fresh_demo.customer_id)
    assert len(report.failed) == 2 and all(SAID in message for _, message in report.failed)
    assert report.fetched + report.list_only + 2 == report.total
    cache.close()


def test_window_shows_the_error_for_a_deep_case_and_keeps_its_cached_copy(qtbot, fresh_demo):
    repository = CaseRepository(demo_api(fresh_demo), cache=CaseCache("deep-window", KEY))
    window = show_window(qtbot, repository)
    try:
        cached = open_row(qtbot, window, 0)
        open_row(qtbot, window, 1)
        fresh_demo.faults.update(scope="detail", hostile="deep_nesting")
        # A cached case: its copy, with the reason.
        again = open_row(qtbot, window, 0)
        assert again.provenance.from_cache and again.detail.raw == cached.detail.raw
        assert SAID in window.pane.header.cached_text.text()
        # A case the cache does not hold in full: its list record, with the reason; no crash.
        with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS) as shown:
            window.select_row(4)
        result: CaseResult = shown.args[0]
        assert result.detail is None and SAID in result.detail_note
        for index in range(window.pane.tabs.count()):
            window.pane.set_current_tab(index)
        window.grab()
        assert not window.banner.isVisible() and window.isVisible()
        # A deep list page: the table says so, the rows already listed stay.
        rows = window.model.rowCount()
        fresh_demo.faults.update(scope="list", hostile="deep_nesting")
        window.refresh()
        qtbot.waitUntil(lambda: window.model.error_message is not None, timeout=WAIT_MS)
        assert SAID in window.model.error_message
        fresh_demo.faults.reset()
        window.refresh()
        qtbot.waitUntil(lambda: window.model.rowCount() >= min(rows, 7) and window.model.error_message is None,
                        timeout=WAIT_MS)
    finally:
        window.shutdown()
