"""The whole main window on a demo service, for the fault suite's end-to-end checks.

``demo_api`` builds the two real clients without retries (a fault fails at once instead of backing
off for seconds) and, optionally, with a short timeout; ``show_window`` opens a ``MainWindow`` on
a repository and waits for the first page; ``open_row`` selects a row and returns the
``CaseResult`` the pane then shows. ``make_main_window`` is a fixture that opens windows on
given repositories and closes them after the test.
"""

from __future__ import annotations

import httpx
import pytest

from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient, RetryPolicy
from caseviewer.core.repository import CaseRepository, CaseResult
from caseviewer.ui.window.main_window import MainWindow

NO_RETRY = RetryPolicy(max_retries=0)
WAIT_MS = 20_000


def demo_api(svc, *, timeout: float | None = None, detail_key: str | None = None) -> CaseApi:
    """Clients for ``svc`` without retries; ``timeout`` (seconds) bounds every request."""
    extra = {"timeout": httpx.Timeout(timeout)} if timeout is not None else {}
    return CaseApi(
        list=CaseListClient(svc.list_url, customer_id=svc.customer_id, credential=BearerToken(svc.list_token),
                            retry=NO_RETRY, **extra),
        detail=CaseDetailClient(svc.detail_url, api_key=detail_key or svc.detail_key, retry=NO_RETRY, **extra),
    )


def show_window(qtbot, repository: CaseRepository, *, min_rows: int = 7) -> MainWindow:
    """A shown main window on ``repository``, once at least ``min_rows`` cases are listed."""
    window = MainWindow(repository, connection_label="Demo")
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() >= min_rows, timeout=WAIT_MS)
    return window


def open_row(qtbot, window: MainWindow, row: int) -> CaseResult:
    """Select ``row`` as a click would and return what the detail pane shows for it."""
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS) as shown:
        window.select_row(row)
    return shown.args[0]


@pytest.fixture
def make_main_window(qtbot):
    """``make(repository, **MainWindow options)``: a shown 1280×800 window; all closed afterwards."""
    windows: list[MainWindow] = []

    def make(repository: CaseRepository, **kwargs) -> MainWindow:
        window = MainWindow(repository, connection_label="Demo service", **kwargs)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def select_and_wait(qtbot, window, row: int):
    """Select ``row``; the ``CaseResult`` the pane shows, or the ``TaskFailure`` it reports."""
    outcome: list = []
    window.detail_shown.connect(outcome.append)
    window.detail_failed.connect(outcome.append)
    try:
        window.select_row(row)
        qtbot.waitUntil(lambda: bool(outcome), timeout=WAIT_MS)
    finally:
        window.detail_shown.disconnect(outcome.append)
        window.detail_failed.disconnect(outcome.append)
    return outcome[0]
