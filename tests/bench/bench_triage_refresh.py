"""The background refresh (ui/triage/refresh.py) against the demo service: its longest GUI-thread
gap while rounds run, and the requests per minute it makes.

Run as a script (not collected by pytest)::

    .venv/bin/python tests/bench/bench_triage_refresh.py [--cases 1000] [--watched 50] [--rounds 3]

The window opens on a fresh encrypted cache; ``--watched`` cases are recorded as seen (as if the
reviewer had opened them), a few of them are changed on the service, then rounds run back to back
(the timer's 10 minutes would only add idle time). The demo service runs in this process, so its
threads compete with the GUI thread for the GIL: a pessimistic setting. Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CASEVIEWER_HOME", tempfile.mkdtemp(prefix="caseviewer-bench-"))

from PySide6.QtWidgets import QApplication  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gui_gaps import GapRecorder, summary  # noqa: E402

from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient  # noqa: E402
from caseviewer.core.cache import CaseCache  # noqa: E402
from caseviewer.core.changes import fingerprint_detail  # noqa: E402
from caseviewer.core.repository import CaseRepository  # noqa: E402
from caseviewer.demo.server import DemoConfig, DemoService  # noqa: E402
from caseviewer.ui.window.main_window import MainWindow  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--watched", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with DemoService(DemoConfig(cases=args.cases, seed=9)) as svc:
        api = CaseApi(
            list=CaseListClient(svc.list_url, customer_id=svc.customer_id, credential=BearerToken(svc.list_token)),
            detail=CaseDetailClient(svc.detail_url, api_key=svc.detail_key),
        )
        repository = CaseRepository(api, cache=CaseCache("bench-triage", os.urandom(32)))
        window = MainWindow(repository, connection_label="Demo")
        window.resize(1280, 800)
        window.show()
        while not window.model.has_loaded_first_page:
            app.processEvents()
        state = window.triage.state
        watched = [cid for cid in svc.data.case_ids()[: args.watched * 2] if svc.data.detail(cid) is not None][: args.watched]
        for case_id in watched:
            state.record_view(case_id, fingerprint_detail(svc.data.detail(case_id)))
        for case_id in watched[:3]:
            svc.data.edits.change(svc.data.index_of(case_id))
        gaps = GapRecorder()
        svc.request_log.clear()
        reports = []
        window.triage_refresh.finished.connect(reports.append)
        start = time.monotonic()
        gaps.start()
        for _ in range(args.rounds):
            before = len(reports)
            window.triage_refresh.run_now()
            while len(reports) == before:
                app.processEvents()
        elapsed = time.monotonic() - start
        requests = len(svc.request_log.entries())
        print(f"rounds: {args.rounds}, watched cases: {len(watched)}, elapsed {elapsed:.1f} s")
        print(f"first round: {len(reports[0].updated)} updated, {reports[0].requests} requests; "
              f"status bar: {window.triage_refresh.label.text()!r}")
        print(f"requests: {requests} = {requests / elapsed * 60:.0f} per minute while rounds run back to back")
        print(f"per round: {requests / args.rounds:.0f} requests; at the default 10-minute interval that is "
              f"{requests / args.rounds / 10:.1f} per minute")
        print(f"GUI thread while refreshing: {summary(gaps.take())}")
        window.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
