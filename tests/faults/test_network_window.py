"""Network faults through the whole window, with a case already in the encrypted offline cache.

A case is opened online (so it is cached), then the demo service starts failing in one way at a
time: 5xx, answers slower than the client's timeout, connections reset mid-body, truncated or
malformed JSON, a 429 storm, a revoked credential (401). The reviewer selects the cached case
again and presses Refresh. The window stays up and says what happened:

* the service cannot be reached (a timeout, a reset, a 200 that is not JSON at all, like a
  captive portal's page, at once; 5xx or 429 once they repeat across requests): the offline banner, the
  case shown from the cache with its "offline copy" note, the list from the cache, and back online
  with "Try again" once the fault clears;
* the credential is refused (401): a plain sign-in message in the pane and the table, and no
  pretending to be offline; the cached case is still there when the reviewer chooses to work
  offline.

Clients have no retries and a half-second timeout, so every fault shows at once.
"""

from __future__ import annotations

import pytest

from caseviewer.core.cache import CaseCache
from caseviewer.core.repository import CaseRepository, CaseResult
from tests.support.windows import WAIT_MS, demo_api, open_row, select_and_wait, show_window

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

KEY = b"n" * 32
#: The client's timeout; the "timeout" fault answers after three times as long.
TIMEOUT_S = 0.5

UNREACHABLE = [
    pytest.param({"status": 500}, False, id="500"),
    pytest.param({"status": 503}, False, id="503"),
    pytest.param({"latency_ms": TIMEOUT_S * 3000}, True, id="timeout"),
    pytest.param({"reset_mid_body": True}, True, id="reset-mid-body"),
    pytest.param({"rate_limit_count": 1000, "retry_after": 0}, False, id="429-storm"),
    # A 200 that is not JSON at all (a captive portal's or proxy's page) is not the service.
    pytest.param({"hostile": "portal_html"}, True, id="portal-html"),
]
# Truncated or malformed JSON from the service itself is that case's error, not "offline": see
# test_network_answers.py.

# The detail service has an API key, not a token to sign in again with (core/api.py).
CREDENTIAL_REFUSED = ("The case detail service did not accept the API key (HTTP 401). "
                      "Update the API key in the profile.")




def from_network(page) -> bool:
    return page.provenance.from_network


def row_ids(window) -> list[str]:
    return [window.model.case_id(r) for r in range(window.model.rowCount())]


@pytest.fixture
def online(qtbot, fresh_demo):
    """A window with an offline cache in which case 0 was opened online (and so cached); case 1
    is on screen, so selecting case 0 again asks the repository for it."""
    repository = CaseRepository(demo_api(fresh_demo, timeout=TIMEOUT_S), cache=CaseCache("network-faults", KEY))
    window = show_window(qtbot, repository)
    qtbot.waitUntil(lambda: not window.model.is_loading, timeout=WAIT_MS)
    cached = open_row(qtbot, window, 0)
    assert cached.provenance.from_network and cached.detail is not None
    assert open_row(qtbot, window, 1).provenance.from_network
    assert not window.banner.isVisible()
    yield window, cached, row_ids(window)
    window.shutdown()



def assert_shown_from_cache(window, result, cached) -> None:
    assert isinstance(result, CaseResult), f"the pane shows an error instead: {result.message}"
    assert result.provenance.from_cache and result.detail.raw == cached.detail.raw
    assert window.pane.current_case_id() == cached.case_id
    assert window.pane.header.cached.isVisible()
    assert window.pane.header.cached_text.text().endswith(": offline copy, may be out of date")


@pytest.mark.parametrize(("knobs", "at_once"), UNREACHABLE)
def test_an_unreachable_service_shows_the_cached_case_and_says_offline(qtbot, fresh_demo, online, knobs, at_once):
    window, cached, online_ids = online
    fresh_demo.faults.update(scope="all", **knobs)

    assert_shown_from_cache(window, select_and_wait(qtbot, window, 0), cached)
    if at_once:
        assert window.banner.isVisible() and window.banner.try_again_button.isVisible()
        text = window.banner.label.text()
        assert text.startswith("Offline — showing cached data") and text.endswith("The case service cannot be reached.")
    else:
        # One server error is that case's answer: its cached copy, saying why; not yet offline.
        assert not window.banner.isVisible() and not window.repository.is_offline
        assert "Showing the copy from the offline cache." in window.pane.header.cached_text.text()

    # Refresh (F5): the service is asked again, and the list and the case come from the cache.
    with qtbot.waitSignal(window.case_list.cached_list_shown, timeout=WAIT_MS), \
            qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS) as shown:
        window.refresh()
    assert_shown_from_cache(window, shown.args[0], cached)
    text = window.banner.label.text()
    assert text.startswith("Offline — showing cached data") and text.endswith("The case service cannot be reached.")
    qtbot.waitUntil(lambda: not window.model.is_loading and len(row_ids(window)) >= len(online_ids), timeout=WAIT_MS)
    # Same rows, same order (the view may have fetched one more page online after the snapshot).
    assert row_ids(window)[:len(online_ids)] == online_ids
    assert window.banner.isVisible() and window.repository.offline_reason == "unreachable"

    # The fault clears: "Try again" finds the service and the window is back online.
    fresh_demo.faults.reset()
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS, check_params_cb=lambda r: r.provenance.from_network), \
            qtbot.waitSignal(window.statusBar().messageChanged, timeout=WAIT_MS,
                             check_params_cb=lambda text: text == "The case service answers again: back online."):
        window.banner.try_again_button.click()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=WAIT_MS)
    assert not window.pane.header.cached.isVisible()
    assert window.isVisible()


def test_a_revoked_credential_says_so_and_does_not_pretend_offline(qtbot, fresh_demo, online):
    window, cached, _ = online
    fresh_demo.faults.update(scope="all", status=401)

    with qtbot.waitSignal(window.detail_failed, timeout=WAIT_MS):
        window.select_row(0)
    assert window.pane.error_label.text() == CREDENTIAL_REFUSED
    assert window.pane.retry_button.isVisible()
    # An auth error is not an outage: no offline banner, no cached copy passed off as current.
    assert not window.banner.isVisible() and not window.repository.is_offline

    # Refresh: the table says the same about the list service.
    window.refresh()
    qtbot.waitUntil(lambda: window.model.error_message is not None, timeout=WAIT_MS)
    assert window.overlay.kind == "error"
    assert window.overlay.title_text() == "Couldn't load the case list"
    assert window.overlay.detail_text().startswith("The case list service did not accept the credential (HTTP 401).")
    assert window.pane.error_label.text() == CREDENTIAL_REFUSED
    assert not window.banner.isVisible()

    # Nothing cached was lost: working offline (the reviewer's choice) shows the list and the case.
    with qtbot.waitSignal(window.case_list.cached_list_shown, timeout=WAIT_MS), \
            qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS) as shown:
        window.work_offline_action.trigger()
    assert_shown_from_cache(window, shown.args[0], cached)
    assert window.banner.isVisible() and "You chose to work offline" in window.banner.label.text()
    assert window.isVisible()
