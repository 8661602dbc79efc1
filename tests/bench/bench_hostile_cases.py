"""The longest GUI-thread gap while the window opens each kind of hostile case.

Run as a script (not collected by pytest)::

    .venv/bin/python tests/bench/bench_hostile_cases.py

The demo service runs in a child process (as a real service would); for each ``hostile`` knob of
``caseviewer/demo/hostile_data.py`` the service is told over HTTP to send that kind of data, the
window opens a case and shows every tab of it, and a 10 ms QTimer on the GUI thread records how
late its ticks come. Prints one line per kind; asserts nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CASEVIEWER_HOME", tempfile.mkdtemp(prefix="caseviewer-bench-"))

import httpx  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gui_gaps import GapRecorder, summary  # noqa: E402

from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient  # noqa: E402
from caseviewer.core.repository import CaseRepository  # noqa: E402
from caseviewer.demo.hostile_data import KINDS  # noqa: E402
from caseviewer.demo.server import DemoConfig, DemoService  # noqa: E402
from caseviewer.ui.main_window import MainWindow  # noqa: E402
from caseviewer.ui.open_case_dialog import BY_ID, CaseLookup  # noqa: E402


def _serve_in_child(conn) -> None:
    with DemoService(DemoConfig(cases=60, seed=5)) as service:
        conn.send({"list_url": service.list_url, "detail_url": service.detail_url, "auth_url": service.auth_url,
                   "customer_id": service.customer_id, "list_token": service.list_token,
                   "detail_key": service.detail_key, "ids": service.data.case_ids()[:40]})
        conn.recv()


def main() -> int:
    parent_conn, child_conn = multiprocessing.Pipe()
    child = multiprocessing.get_context("spawn").Process(target=_serve_in_child, args=(child_conn,))
    child.start()
    info = parent_conn.recv()
    app = QApplication(sys.argv[:1])
    api = CaseApi(
        list=CaseListClient(info["list_url"], customer_id=info["customer_id"], credential=BearerToken(info["list_token"])),
        detail=CaseDetailClient(info["detail_url"], api_key=info["detail_key"]),
    )
    window = MainWindow(CaseRepository(api), connection_label="Demo service (bench)")
    window.resize(1280, 800)
    window.show()
    recorder = GapRecorder()
    kinds = [k for k in KINDS if k not in ("lying_totals", "short_totals", "inflated_pages")]
    results: list[tuple[str, str, list[float]]] = []
    state = {"index": -1, "outcome": ""}

    def set_knob(kind: str | None) -> None:
        url = info["auth_url"] + "/__demo/faults"
        with httpx.Client(trust_env=False) as client:
            client.delete(url)
            if kind:
                client.post(url, json={"hostile": kind, "scope": "detail"})

    def next_kind() -> None:
        state["index"] += 1
        if state["index"] >= len(kinds):
            app.quit()
            return
        set_knob(kinds[state["index"]])
        recorder.take()
        window.open_case(CaseLookup(BY_ID, info["ids"][state["index"] + 1]))

    def shown(result) -> None:
        state["outcome"] = "shown" if result.detail is not None else "list record + note"
        show_tab(0)

    def failed(failure) -> None:
        state["outcome"] = f"error: {failure.message[:60]}"
        QTimer.singleShot(300, finish_kind)

    def show_tab(index: int) -> None:
        if index >= window.pane.tabs.count():
            QTimer.singleShot(300, finish_kind)
            return
        window.pane.set_current_tab(index)
        QTimer.singleShot(60, lambda: show_tab(index + 1))

    def finish_kind() -> None:
        results.append((kinds[state["index"]], state["outcome"], recorder.take()))
        next_kind()

    window.detail_shown.connect(shown)
    window.detail_failed.connect(failed)
    recorder.start()

    def begin() -> None:
        if window.model.rowCount() == 0:
            QTimer.singleShot(100, begin)
            return
        next_kind()

    QTimer.singleShot(200, begin)
    QTimer.singleShot(300_000, app.quit)  # never hang a bench run
    app.exec()
    window.shutdown()
    parent_conn.send("stop")
    child.join(10)
    worst = 0.0
    for kind, outcome, gaps in results:
        worst = max([worst, *gaps])
        print(f"hostile {kind}: {outcome}; {summary(gaps)}", flush=True)
    print(f"hostile cases: longest GUI-thread gap over all kinds {worst:.1f} ms", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
