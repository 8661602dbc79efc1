"""How responsive the GUI thread stays while the window pages in 50,000 cases and opens a big case.

Run as a script (not collected by pytest)::

    /work/venv/bin/python tests/bench/bench_gui_responsiveness.py [--pages 100] [--page-size 500]
        [--in-process]

The demo service runs in a child process by default, as a real service would: in-process its
Python threads compete with the GUI thread for the GIL, which ``--in-process`` measures too.

A 10 ms QTimer on the GUI thread records the gap between its ticks. Anything the GUI thread does
for long (inserting rows, parsing, rendering the detail) shows up as a long gap: a gap over
~50 ms is a visible stutter. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CASEVIEWER_HOME", tempfile.mkdtemp(prefix="caseviewer-bench-"))



import multiprocessing  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from PySide6.QtCore import QElapsedTimer, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gui_gaps import GapRecorder, summary  # noqa: E402

from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient  # noqa: E402
from caseviewer.core.repository import CaseRepository  # noqa: E402
from caseviewer.demo.server import DemoConfig, DemoService  # noqa: E402
from caseviewer.core.runtime import freeze_startup_heap
from caseviewer.ui.window.main_window import MainWindow  # noqa: E402
from caseviewer.ui.dialogs.open_case_dialog import BY_ID, CaseLookup  # noqa: E402


@dataclass
class ServiceInfo:
    list_url: str
    detail_url: str
    customer_id: str
    list_token: str
    detail_key: str
    large_case_id: str


def _config(cases: int) -> DemoConfig:
    return DemoConfig(cases=cases, seed=5, large_attachment_bytes=20_000_000)


def _info(service: DemoService) -> ServiceInfo:
    return ServiceInfo(
        service.list_url,
        service.detail_url,
        service.customer_id,
        service.list_token,
        service.detail_key,
        service.data.case_ids()[3],  # index 3 carries the large attachment
    )


def _serve_in_child(cases: int, conn) -> None:
    with DemoService(_config(cases)) as service:
        conn.send(_info(service))
        conn.recv()  # until the parent says stop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--cases", type=int, default=50_000)

    parser.add_argument("--in-process", action="store_true", help="run the demo service in this process")
    args = parser.parse_args()

    app = QApplication(sys.argv[:1])
    if args.in_process:
        service = DemoService(_config(args.cases)).start()
        info, stop = _info(service), service.stop
    else:
        parent_conn, child_conn = multiprocessing.Pipe()
        child = multiprocessing.get_context("spawn").Process(target=_serve_in_child, args=(args.cases, child_conn))
        child.start()
        info = parent_conn.recv()

        def stop() -> None:
            parent_conn.send("stop")
            child.join(10)

    service = info
    api = CaseApi(
        list=CaseListClient(service.list_url, customer_id=service.customer_id, credential=BearerToken(service.list_token)),
        detail=CaseDetailClient(service.detail_url, api_key=service.detail_key),
    )
    window = MainWindow(CaseRepository(api), connection_label="Demo service (bench)", page_size=args.page_size)
    window.resize(1280, 800)
    window.show()
    freeze_startup_heap()  # as run_gui does once the window is up

    recorder = GapRecorder()
    clock = QElapsedTimer()
    figures: dict[str, object] = {}
    pages = 0

    def next_page(_page=None) -> None:
        nonlocal pages
        pages += 1
        if pages < args.pages and window.model.canFetchMore():
            # What scrolling to the bottom does: ask the model for more (it asks a worker).
            window.view.scrollToBottom()
            window.model.fetchMore()
            return
        window.page_loaded.disconnect(next_page)
        figures["list_ms"] = clock.elapsed()
        figures["list_gaps"] = recorder.take()
        clock.restart()
        window.open_case(CaseLookup(BY_ID, info.large_case_id))

    def detail_done(_result) -> None:
        figures["detail_ms"] = clock.elapsed()
        # Let the pane finish anything it defers (lazy tabs) before taking the figures.
        QTimer.singleShot(500, finish)

    def detail_failed(failure) -> None:
        figures["detail_error"] = failure.message
        finish()

    def finish() -> None:
        figures["detail_gaps"] = recorder.take()
        app.quit()

    window.page_loaded.connect(next_page)
    window.detail_shown.connect(detail_done)
    window.detail_failed.connect(detail_failed)
    recorder.start()
    clock.start()
    window.reload_list()  # restart the clock with the first request
    QTimer.singleShot(300_000, app.quit)  # a safety net, not a measurement
    app.exec()

    rows = window.model.rowCount()
    print(f"pages loaded:     {pages}")
    print(f"rows:             {rows:,}")
    print(f"list elapsed:     {figures.get('list_ms', 0) / 1000:.2f} s")
    print(f"list GUI thread:  {summary(figures.get('list_gaps', []))}")
    if "detail_error" in figures:
        print(f"detail failed:    {figures['detail_error']}")
    else:
        print(f"detail elapsed:   {figures.get('detail_ms', 0) / 1000:.2f} s (20 MB attachment)")
    print(f"detail GUI thread: {summary(figures.get('detail_gaps', []))}")
    print(f"demo service:     {'in this process' if args.in_process else 'child process'}")
    window.close()
    stop()
    return 0


if __name__ == "__main__":
    start = time.monotonic()
    code = main()
    print(f"total:            {time.monotonic() - start:.1f} s")
    sys.exit(code)
