"""A sync killed with SIGKILL half-way: no clean-up code runs, yet the encrypted cache opens,
holds every case whose batch was committed, and the next sync resumes where it stopped. The app
opened on that cache reads the committed cases offline and says plainly which detail it lacks.

The sync runs in a real child process against the demo service (slowed down so there is a
"half-way" to kill it at); the kill comes after it reported a dozen committed cases.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from caseviewer.core.cache import CaseCache
from caseviewer.core.repository import CaseRepository
from caseviewer.core.sync import sync_all
from caseviewer.ui.dialogs.open_case_dialog import BY_ID, CaseLookup
from tests.support.sync_fixtures import CASES, LIST_ONLY, api  # noqa: F401 - fixture
from tests.support.windows import WAIT_MS, demo_api, show_window
from tests.unit.test_cache_support import new_key

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

ROOT = Path(__file__).resolve().parents[2]

SYNC_SCRIPT = textwrap.dedent(
    """
    import sys
    from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient
    from caseviewer.core.cache import CaseCache
    from caseviewer.core.sync import sync_all

    # Secrets and the key arrive on stdin, never on the command line.
    key = bytes.fromhex(sys.stdin.readline().strip())
    list_url, detail_url, customer_id, token, detail_key, path = sys.stdin.readline().split()
    api = CaseApi(
        list=CaseListClient(list_url, customer_id=customer_id, credential=BearerToken(token)),
        detail=CaseDetailClient(detail_url, api_key=detail_key),
    )
    cache = CaseCache(key=key, path=path)
    report = sync_all(api, cache, customer_id, concurrency=2, batch_size=4,
                      on_commit=lambda ids: print("committed", *ids, flush=True))
    print("finished", report.fetched, flush=True)
    """
)


def _start_sync_process(svc, key: bytes, path) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", SYNC_SCRIPT],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert process.stdin is not None
    process.stdin.write(key.hex() + "\n")
    process.stdin.write(" ".join([svc.list_url, svc.detail_url, svc.customer_id, svc.list_token, svc.detail_key, str(path)]) + "\n")
    process.stdin.close()
    return process


def kill_sync_mid_way(svc, key: bytes, path, *, after: int = 12) -> list[str]:
    """Start a sync in a child process and SIGKILL it once ``after`` cases were committed;
    returns the ids it reported committed."""
    svc.faults.update(scope="detail", latency_ms=60)  # slow enough to be mid-way when killed
    process = _start_sync_process(svc, key, path)
    committed: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            assert not line.startswith("finished"), "the sync finished before it could be killed"
            if line.startswith("committed"):
                committed += line.split()[1:]
            if len(committed) >= after:
                os.kill(process.pid, signal.SIGKILL)
                break
    finally:
        process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    svc.faults.reset()
    return committed


def test_a_sync_killed_mid_way_keeps_every_committed_case_and_resumes(fresh_demo, tmp_path, api):
    key = new_key()
    path = tmp_path / "killed.db"
    committed = kill_sync_mid_way(fresh_demo, key, path)

    with CaseCache(key=key, path=path) as cache:  # opens after the kill (WAL recovery)
        done = cache.synced_case_ids(fresh_demo.customer_id)
        assert set(committed) <= done
        assert len(done) < CASES
        for case_id in committed:
            index = fresh_demo.data.index_of(case_id)
            if fresh_demo.data.has_detail(index):
                assert cache.get_detail(case_id) is not None
        resumed = sync_all(api, cache, fresh_demo.customer_id)
        assert resumed.ok
        assert resumed.skipped == len(done)
        assert resumed.skipped + resumed.fetched + resumed.list_only == CASES
        assert cache.detail_count() == CASES - LIST_ONLY


def test_the_app_reads_a_killed_sync_offline_and_names_what_is_missing(qtbot, fresh_demo, tmp_path):
    key = new_key()
    path = tmp_path / "killed.db"
    committed = kill_sync_mid_way(fresh_demo, key, path)
    with CaseCache(key=key, path=path) as cache:
        done = cache.synced_case_ids(fresh_demo.customer_id)
    data = fresh_demo.data
    held = next(case_id for case_id in committed if data.has_detail(data.index_of(case_id)))
    missing = next(case_id for case_id in data.case_ids() if case_id not in done)

    # The reviewer opens the app on that cache and works offline (the service may be anywhere).
    repository = CaseRepository(demo_api(fresh_demo), cache=CaseCache(key=key, path=path), offline=True)
    window = show_window(qtbot, repository, min_rows=1)
    assert window.banner.isVisible() and "Offline — showing cached data" in window.banner.label.text()
    qtbot.waitUntil(lambda: not window.model.is_loading, timeout=WAIT_MS)
    assert window.model.total_items == CASES  # the list came first and was committed whole

    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS) as shown:
        window.open_case(CaseLookup(BY_ID, held))
    assert shown.args[0].provenance.from_cache and shown.args[0].detail.id == held
    assert window.pane.header.cached.isVisible()

    # A case the sync never reached: its list record is there (the list was committed first), and
    # the pane says the detail is not.
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS) as shown:
        window.open_case(CaseLookup(BY_ID, missing))
    assert shown.args[0].detail is None and shown.args[0].record.id == missing
    assert window.pane.header.notice.isVisible()
    assert window.pane.header.notice_text.text() == "Offline: only the list record of this case is in the offline cache."
    assert window.isVisible()
    window.shutdown()
