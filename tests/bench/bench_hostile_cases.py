"""The longest GUI-thread gap while the real window opens each hostile case (target: under 100 ms).

Run as a script (not collected by pytest)::

    .venv/bin/python tests/bench/bench_hostile_cases.py [--only big_comments]

The demo service runs in a child process (as a real service would: in-process its threads would
compete with the GUI thread for the GIL). For each case the window opens it by id, then the
reviewer's path is walked: every detail tab is visited, and for the broken-PDF case every PDF is
previewed. A 10 ms QTimer on the GUI thread records how late its ticks come (``gui_gaps``); the
longest gap from the request to the end of the walk is the figure, with the GUI thread's own CPU
time in that gap beside it (the rest of a gap is waiting: for a core on a loaded machine, or for a
worker's GIL). ``--explain`` lists the events that held the GUI thread (``slow_events.py``) and
``--profile`` the functions inside them. Prints figures; asserts nothing.

Cases: the demo's hostile case (index 1: markup, bidi, odd file names) and huge case (index 2:
a 1 MiB comment, 200 activity rows), and the ``hostile_content`` knob's ``many_attachments``
(2,000 files), ``big_comments`` (30 comments and notes of 1 MiB) and ``broken_pdf`` (fuzzed and
broken PDFs, previewed one after the other), and the ``hostile`` knob's data kinds (edge-of-calendar
timestamps, huge numbers, deep nesting, lone surrogates, terminal escapes).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import NamedTuple

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CASEVIEWER_HOME", tempfile.mkdtemp(prefix="caseviewer-bench-"))

import httpx  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gui_gaps import GapRecorder  # noqa: E402

from caseviewer.demo.hostile_content import KINDS as CONTENT_KINDS  # noqa: E402
from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient  # noqa: E402
from caseviewer.core.repository import CaseRepository  # noqa: E402
from caseviewer.demo.data import SPECIAL  # noqa: E402
from caseviewer.demo.server import DemoConfig, DemoService  # noqa: E402
from caseviewer.ui.window.main_window import MainWindow  # noqa: E402
from caseviewer.ui.dialogs.open_case_dialog import BY_ID, CaseLookup  # noqa: E402

TARGET_MS = 100.0
WAIT_MS = 60_000


@dataclass
class ServiceInfo:
    list_url: str
    auth_url: str
    detail_url: str
    customer_id: str
    list_token: str
    detail_key: str
    case_ids: list[str]


#: The hostile-data knob's kinds that shape one case's detail (the list-only kinds are left out).
DATA_KINDS = ("edge_timestamps", "huge_numbers", "deep_nesting", "surrogates", "terminal_escapes")


def _serve_in_child(conn) -> None:
    with DemoService(DemoConfig(cases=50, seed=5)) as service:
        conn.send(ServiceInfo(service.list_url, service.auth_url, service.detail_url, service.customer_id,
                              service.list_token, service.detail_key, service.data.case_ids()[:16]))
        conn.recv()


class Gap(NamedTuple):
    """The longest gap of a step and the GUI thread's CPU time within it (ms); compares by ``wall``."""

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.0f} ms (GUI CPU {self.cpu:.0f})"


NO_GAP = Gap(0.0, 0.0)


def longest(recorder: GapRecorder) -> Gap:
    gaps = recorder.take()
    if not gaps:
        return NO_GAP
    worst = max(range(len(gaps)), key=gaps.__getitem__)
    return Gap(gaps[worst], recorder.taken_busy[worst])


def wait_for(app: QApplication, condition, timeout_ms: int = WAIT_MS) -> bool:
    """Run the event loop until ``condition()`` holds (the GUI keeps ticking meanwhile)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    return True


def settle(app: QApplication, ms: int = 300) -> None:
    """Let deferred work (lazy tabs, queued batches) run before the next step."""
    done = []
    QTimer.singleShot(ms, lambda: done.append(True))
    wait_for(app, lambda: bool(done))


def open_case(app: QApplication, window: MainWindow, case_id: str, recorder: GapRecorder,
              steps: dict[str, Gap]) -> str:
    """Open the case; the gaps until it is shown (workers fetching and parsing it, holding the GIL,
    then the pane's first, synchronous part) are kept apart from those after (batches, layout)."""
    shown: list = []
    failed: list = []

    def arrived(_result) -> None:
        steps["until shown"] = longest(recorder)

    window.detail_shown.connect(arrived)
    window.detail_shown.connect(shown.append)
    window.detail_failed.connect(failed.append)
    try:
        window.open_case(CaseLookup(BY_ID, case_id))
        if not wait_for(app, lambda: shown or failed):
            return "timed out"
        return failed[0].message if failed else ""
    finally:
        window.detail_shown.disconnect(shown.append)
        window.detail_shown.disconnect(arrived)
        window.detail_failed.disconnect(failed.append)


def visit_tabs(app: QApplication, window: MainWindow, recorder: GapRecorder, steps: dict[str, Gap]) -> None:
    for index in range(window.pane.tab_widget().count()):
        window.pane.set_current_tab(index)
        settle(app, 150)
        steps[f"tab {window.pane.tab_widget().tabText(index)}"] = longest(recorder)


def preview_pdfs(app: QApplication, window: MainWindow, recorder: GapRecorder, steps: dict[str, Gap]) -> list[str]:
    pane = window.pane
    tab = pane.attachments_tab()
    pane.tabs.setCurrentWidget(tab)
    settle(app, 100)
    outcomes = []
    for row in range(tab.table.proxy.rowCount()):
        attachment = tab.table.object_at(row)[1]
        if not (attachment.file_name or "").endswith(".pdf"):
            continue
        ready: list = []
        pane.preview.preview_ready.connect(ready.append)
        tab.select_attachment(attachment)
        wait_for(app, lambda: bool(ready))
        pane.preview.preview_ready.disconnect(ready.append)
        outcomes.append(f"{attachment.file_name}: {ready[0] if ready else 'timed out'}")
        settle(app, 150)
        steps[f"preview {attachment.file_name}"] = longest(recorder)
    return outcomes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    parser.add_argument("--explain", action="store_true",
                        help="list the events that held the GUI thread (slow_events.py)")
    parser.add_argument("--profile", action="store_true", help="with --explain: profile each slow event")
    parser.add_argument("--steps", action="store_true", help="print every step's longest gap")
    parser.add_argument("--slow-ms", type=float, default=40.0, help="with --explain: what counts as slow (ms)")
    args = parser.parse_args()

    if args.explain:
        from slow_events import ExplainingApplication

        app = ExplainingApplication(sys.argv[:1], threshold_ms=args.slow_ms, profile=args.profile)
    else:
        app = QApplication(sys.argv[:1])
    parent_conn, child_conn = multiprocessing.Pipe()
    child = multiprocessing.get_context("spawn").Process(target=_serve_in_child, args=(child_conn,))
    child.start()
    info: ServiceInfo = parent_conn.recv()
    api = CaseApi(
        list=CaseListClient(info.list_url, customer_id=info.customer_id, credential=BearerToken(info.list_token)),
        detail=CaseDetailClient(info.detail_url, api_key=info.detail_key),
    )
    window = MainWindow(CaseRepository(api), connection_label="Demo service (bench)")
    window.resize(1280, 800)
    window.show()
    wait_for(app, lambda: window.model.rowCount() > 5)
    control = httpx.Client(base_url=info.auth_url, timeout=30)

    def knob(kind: str | None) -> None:
        """One hostile kind on (the content knob or the data knob, see demo/faults.py), the rest off."""
        content = kind if kind in CONTENT_KINDS else None
        data = kind if kind in DATA_KINDS else None
        control.post("/__demo/faults", json={"hostile_content": content, "hostile": data}).raise_for_status()

    cases = [
        ("demo hostile case (index 1)", None, info.case_ids[SPECIAL["hostile"]], None),
        ("demo huge case (index 2)", None, info.case_ids[SPECIAL["huge"]], None),
        ("2,000 attachments", "many_attachments", info.case_ids[5], "Attachments"),
        ("30 comments and notes of 1 MiB", "big_comments", info.case_ids[6], "Comments"),
        ("fuzzed and broken PDFs", "broken_pdf", info.case_ids[7], "Attachments"),
        *((f"hostile data: {kind.replace('_', ' ')}", kind, info.case_ids[8 + n], None)
          for n, kind in enumerate(DATA_KINDS)),
    ]
    recorder = GapRecorder()
    rows = []
    for label, kind, case_id, first_tab in cases:
        if args.only and args.only not in label and args.only != kind:
            continue
        knob(kind)
        window.pane.show_placeholder()
        if first_tab:  # the tab the reviewer is on when the case opens
            for index in range(window.pane.tab_widget().count()):
                if window.pane.tab_widget().tabText(index).startswith(first_tab):
                    window.pane.set_current_tab(index)
        else:
            window.pane.set_current_tab(0)
        settle(app, 200)
        if args.explain:
            app.take()
        recorder.start()
        started = time.monotonic()
        steps: dict[str, Gap] = {}
        problem = open_case(app, window, case_id, recorder, steps)
        settle(app, 300)
        steps["after shown"] = longest(recorder)
        open_gaps = [steps["until shown"], steps["after shown"]] if not problem else []
        extra = []
        if not problem:
            if kind == "broken_pdf":
                extra = preview_pdfs(app, window, recorder, steps)
            visit_tabs(app, window, recorder, steps)
        recorder.timer.stop()
        elapsed = time.monotonic() - started
        longest_open = max(open_gaps, default=NO_GAP)
        longest_walk = max([longest_open, *steps.values()])
        worst = max(steps, key=steps.get) if steps else ""
        if steps:
            extra.append(f"longest during: {worst}; until shown {steps.get('until shown', NO_GAP)}, "
                         f"after shown {steps.get('after shown', NO_GAP)}; most GUI CPU in one gap "
                         f"{max(gap.cpu for gap in steps.values()):.0f} ms")
        if args.steps:
            extra += [f"step {name}: {gap}" for name, gap in steps.items()]
        if args.explain:
            for slow in sorted(app.take(), key=lambda s: -s.wall_ms)[:8]:
                extra.append(f"slow event {slow.wall_ms:.0f} ms (GUI-thread CPU {slow.cpu_ms:.0f} ms): "
                             f"{slow.event} to {slow.receiver}")
                extra += [f"    {line}" for line in slow.top.splitlines()]
        rows.append((label, longest_open, longest_walk, elapsed, problem, extra))
    knob(None)

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'case':34} {'open':>9} {'walk':>9} {'(GUI CPU)':>9}  target {TARGET_MS:.0f} ms")
    for label, longest_open, longest_walk, elapsed, problem, extra in rows:
        verdict = "ok" if longest_walk.wall < TARGET_MS else "OVER"
        print(f"{label:34} {longest_open.wall:7.1f}ms {longest_walk.wall:7.1f}ms {longest_walk.cpu:7.1f}ms  "
              f"{verdict}  ({elapsed:.1f} s)"
              + (f"  failed: {problem}" if problem else ""))
        for line in extra:
            print(f"{'':36}{line}")
    print("open = longest gap from the request until the case is shown; walk = longest including "
          "visiting every tab (and previewing every PDF); GUI CPU = the GUI thread's own CPU time in "
          "the walk's longest gap (the rest is waiting for a core or a worker's GIL)")
    window.shutdown()
    window.close()
    control.close()
    parent_conn.send("stop")
    child.join(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
