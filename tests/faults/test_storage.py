"""A full disk under the encrypted cache: browsing online goes on, the user is told the cache could
not be written, and every case cached before the disk filled is still readable offline."""

from __future__ import annotations

import pytest

from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient, RetryPolicy
from caseviewer.core.cache import CaseCache, cache_path
from caseviewer.core.repository import CaseRepository
from caseviewer.ui.window.main_window import MainWindow
from tests.support.windows import open_row

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
KEY = b"s" * 32


def open_window(qtbot, svc, cache) -> MainWindow:
    retry = RetryPolicy(max_retries=0)
    api = CaseApi(
        list=CaseListClient(svc.list_url, customer_id=svc.customer_id, credential=BearerToken(svc.list_token), retry=retry),
        detail=CaseDetailClient(svc.detail_url, api_key=svc.detail_key, retry=retry),
    )
    window = MainWindow(CaseRepository(api, cache=cache), connection_label="Demo")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() > 6, timeout=15000)
    return window


def test_full_disk_keeps_browsing_and_loses_nothing_cached(qtbot, fresh_demo):
    first = open_window(qtbot, fresh_demo, CaseCache("full-disk", KEY))
    cached = open_row(qtbot, first, 0)
    assert cached.provenance.from_network
    first.shutdown()

    # The same cache file, now with no room to grow: every write fails like a full disk.
    size = cache_path("full-disk").stat().st_size
    window = open_window(qtbot, fresh_demo, CaseCache("full-disk", KEY, max_size_bytes=size))
    fresh = open_row(qtbot, window, 5)
    assert fresh.detail is not None and fresh.provenance.from_network  # reading never depends on writing
    qtbot.waitUntil(lambda: "offline cache" in window.statusBar().currentMessage(), timeout=5000)

    fresh_demo.stop()  # the service is gone: what was cached before the disk filled is all there
    again = open_row(qtbot, window, 0)
    assert again.provenance.from_cache and again.detail.id == cached.detail.id
    window.shutdown()
