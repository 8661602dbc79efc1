"""Wrong answers about the network: a bad answer for one case is that case's error, not "offline".

A 200 whose JSON is cut short or garbled, a document nested too deeply, or one 500 for one case
says nothing about the service being gone. The window keeps working online: the case that got the
bad answer shows its cached copy with the reason (or the error, when nothing is cached), no
offline banner appears, and the next case comes from the service. Only an unreachable service (a
timeout, a reset, a portal's HTML page, 5xx repeated across requests) means offline; those are in
``test_network_window.py``.

The real CLI says the same: ``show`` exits 1 with "not valid JSON" (as the README promises), not
5 with "You are offline", and with a cached copy prints it with the reason on stderr.
"""

from __future__ import annotations

import pytest

from caseviewer.core.cache import CaseCache
from caseviewer.core.repository import CaseRepository, CaseResult
from tests.support.cli_process import assert_clean_exit, run_cli, text
from tests.support.windows import WAIT_MS, demo_api, open_row, select_and_wait, show_window

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

KEY = b"a" * 32

#: (knobs for the detail service, what the reviewer is told). One bad answer each.
BAD_ANSWERS = [
    pytest.param({"truncated_json": True}, "not valid JSON", id="truncated-json"),
    pytest.param({"malformed_json": True}, "not valid JSON", id="malformed-json"),
    pytest.param({"hostile": "deep_nesting"}, "nested too deeply", id="deep-nesting"),
    pytest.param({"status": 500}, "internal error (HTTP 500)", id="one-500"),
    pytest.param({"status": 502}, "internal error (HTTP 502)", id="one-502"),
]


@pytest.fixture
def online(qtbot, fresh_demo):
    """A window with an offline cache holding case 0 (opened online); case 1 is on screen."""
    repository = CaseRepository(demo_api(fresh_demo, timeout=2.0), cache=CaseCache("network-answers", KEY))
    window = show_window(qtbot, repository)
    qtbot.waitUntil(lambda: not window.model.is_loading, timeout=WAIT_MS)
    cached = open_row(qtbot, window, 0)
    assert cached.provenance.from_network
    assert open_row(qtbot, window, 1).provenance.from_network
    yield window, cached
    window.shutdown()



def assert_online(window) -> None:
    assert not window.banner.isVisible()
    assert not window.repository.is_offline and window.repository.offline_reason == ""


@pytest.mark.parametrize(("knobs", "said"), BAD_ANSWERS)
def test_one_bad_answer_is_that_cases_error_and_the_app_stays_online(qtbot, fresh_demo, online, knobs, said):
    window, cached = online
    fresh_demo.faults.update(scope="detail", count=1, **knobs)

    # The cached case: its copy, saying why, and still online.
    result = select_and_wait(qtbot, window, 0)
    assert isinstance(result, CaseResult), result.message
    assert result.provenance.from_cache and result.detail.raw == cached.detail.raw
    assert said in result.detail_note
    note = window.pane.header.cached_text.text()
    assert said in note and "Showing the copy from the offline cache." in note
    assert_online(window)

    # The next case comes from the service, and the list too: nothing was switched to the cache.
    assert open_row(qtbot, window, 2).provenance.from_network
    with qtbot.waitSignal(window.page_loaded, timeout=WAIT_MS,
                          check_params_cb=lambda page: page.provenance.from_network):
        window.refresh()
    assert_online(window)
    assert window.isVisible()


@pytest.mark.parametrize(("knobs", "said"), BAD_ANSWERS[:3])
def test_a_bad_answer_for_an_unopened_case_shows_its_list_record_and_why(qtbot, fresh_demo, online, knobs, said):
    window, _ = online
    fresh_demo.faults.update(scope="detail", **knobs)
    # Never opened, so only its list record is cached: that is shown, with what went wrong.
    result = select_and_wait(qtbot, window, 3)
    assert isinstance(result, CaseResult), result.message
    assert result.detail is None and result.record.id == window.model.record(3).id
    assert said in result.detail_note and "Showing the list record from the offline cache." in result.detail_note
    assert said in window.pane.header.notice_text.text()
    assert_online(window)
    fresh_demo.faults.reset()
    assert open_row(qtbot, window, 2).provenance.from_network
    assert open_row(qtbot, window, 3).provenance.from_network  # and the case itself, once it answers


@pytest.mark.parametrize(("knobs", "said"), [
    pytest.param({"truncated_json": True}, "not valid JSON", id="truncated-json"),
    pytest.param({"malformed_json": True}, "not valid JSON", id="malformed-json"),
    pytest.param({"hostile": "deep_nesting"}, "nested too deeply", id="deep-nesting"),
])
def test_cli_show_says_what_is_wrong_with_the_answer(fresh_demo, knobs, said):
    case_id = fresh_demo.data.case_ids()[0]
    fresh_demo.faults.update(scope="detail", **knobs)
    for extra in ([], ["--json"]):
        result = run_cli(["show", case_id, *extra], fresh_demo, cache=False)
        assert_clean_exit(result, 1)
        err = text(result.stderr)
        assert said in err and "offline" not in err.lower()
        assert err.count("\n") == 1


def test_cli_show_offers_the_cached_copy_with_the_reason(fresh_demo):
    case_id = fresh_demo.data.case_ids()[0]
    first = run_cli(["show", case_id], fresh_demo)
    assert_clean_exit(first, 0)
    for knobs, said in (({"truncated_json": True}, "not valid JSON"), ({"status": 500}, "HTTP 500"),
                        ({"hostile": "deep_nesting"}, "nested too deeply")):
        fresh_demo.faults.update(scope="detail", **knobs)
        result = run_cli(["show", case_id], fresh_demo)
        assert_clean_exit(result, 0)
        assert said in text(result.stderr) and "offline cache" in text(result.stderr)
        assert text(result.stdout).splitlines()[0] == text(first.stdout).splitlines()[0]
        assert "(from the offline cache" in text(result.stdout)
        fresh_demo.faults.reset()


def test_cli_a_portal_page_is_unreachable_not_a_bad_answer(fresh_demo):
    case_id = fresh_demo.data.case_ids()[0]
    fresh_demo.faults.update(scope="detail", hostile="portal_html")
    result = run_cli(["show", case_id], fresh_demo, cache=False)
    assert_clean_exit(result, 1)  # no cache to fall back to: the portal's page is reported
    assert "not valid JSON" in text(result.stderr)
    fresh_demo.faults.reset()
    assert_clean_exit(run_cli(["show", case_id], fresh_demo), 0)  # cached now
    fresh_demo.faults.update(scope="detail", hostile="portal_html")
    offline = run_cli(["show", case_id], fresh_demo)
    assert_clean_exit(offline, 0)
    assert "(from the offline cache" in text(offline.stdout)
