"""End-to-end figures of the desktop app against its targets (prints a table, asserts nothing).

Run as a script (not collected by pytest)::

    ./dev bench app     (or: .venv/bin/python tests/bench/bench_app.py [--cases 100000] [--search] [--million])

Each measurement runs in its own child process (``--phase ...``) so start-up times and peak
memory are not polluted by the others; the demo service always runs in a further child process
so it does not compete with the GUI thread for the GIL. Everything lives in a temporary
directory that is removed at the end.

1. cold start: ``caseviewer --demo --smoke-test`` wall time (subprocess), and an in-process start
   on an offline 100,000-case cache (QApplication + MainWindow -> first page shown);
2. first page shown after start against the demo service (network);
3. offline the window lists every cached case at once (``StoreTableModel``): 200 jumps spread
   over the 100,000 rows, each until its rows are read and shown, with the longest GUI-thread gap;
4. sort by business name, then a status filter, over the cached cases (first rows shown, gaps);
5. selection -> detail shown, from the cache and from the loopback demo service (median of 20
   clicks after a pause; and the last row of rapid arrow keying, which waits for the quiet period);
6. peak RSS with 100,000 cases listed online: the demo service paged through to the end with the
   cache attached (each page written through), beside a bare PySide6 window (the floor);
7. sync_all throughput vs a plain httpx thread-pool loop doing the same requests;
8. a re-sync of 10,000 cases nothing changed in, beside a plain httpx loop only listing them;
9. the first frame of ``caseviewer --demo`` against a bare PySide6 window (``first_frame.py``,
   after ``compileall``), and the top entries of ``python -X importtime`` for it;
10. Find in cached cases over 100,000 details (``bench_search.py``, its index reused from
    ``bench_dir("search")``; ``--search`` builds it when missing);
11. the table over 1,000,000 cached cases (``bench_store_table.py``, its cache reused from
    ``bench_dir("store-table")``; ``--million`` builds it when missing).

It ends with one table: each measurement, its value, the goal of issue #20 and whether it is met.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

HERE = Path(__file__).resolve()
GAP_TARGET_MS = 50.0
#: The issue's gap goal: p99 within one frame at 60 Hz, the longest within two.
FRAME_MS, TWO_FRAMES_MS = 16.0, 33.0
GAP_GOAL = "p99 <= 16, max <= 33 ms"
#: Alternating plain-loop / sync_all rounds for the sync ratio.
SYNC_ROUNDS = 3

SERVER = """
import sys
from caseviewer.demo.server import DemoConfig, DemoService
svc = DemoService(DemoConfig(cases=int(sys.argv[1]), seed=int(sys.argv[2]))).start()
print(svc.list_url, svc.detail_url, svc.customer_id, svc.list_token, svc.detail_key, flush=True)
sys.stdin.read()  # run until the benchmark closes our stdin
svc.stop()
"""


def start_server(cases: int, seed: int = 5):
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(cases), str(seed)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    fields = proc.stdout.readline().split()
    return proc, fields


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux ``/proc``; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def sync_cpu_text(sync: dict) -> str:
    """The CPU seconds of a sync round and of a plain round, here and in the service (on a
    2-core machine the service and the client share the cores)."""
    cpu = sync.get("cpu_s")
    if not cpu:
        return ""
    (sync_here, sync_there), (plain_here, plain_there) = cpu["sync"], cpu["plain"]
    return (f"; CPU a round, client + service: sync {sync_here:.1f} + {sync_there:.1f} s, "
            f"plain {plain_here:.1f} + {plain_there:.1f} s, {os.cpu_count()} cores")


def stop_server(proc) -> None:
    proc.stdin.close()
    proc.wait(20)


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)


def gap_stats(gaps: list[float]) -> dict:
    if not gaps:
        return {"max": 0.0, "p99": 0.0, "ticks": 0}
    ordered = sorted(gaps)
    return {"max": ordered[-1], "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], "ticks": len(ordered)}


def taken_gap_stats(recorder) -> dict:  # noqa: ANN001 - gui_gaps.GapRecorder
    """``gap_stats`` of the gaps recorded since the last take, with the GUI thread's own CPU time
    in the longest (``cpu_at_max``): close to the gap, the GUI thread was working; well below it,
    it was waiting (for the GIL a worker held, or for a core on a loaded machine)."""
    gaps = recorder.take()
    stats = gap_stats(gaps)
    if gaps:
        stats["cpu_at_max"] = recorder.taken_busy[gaps.index(max(gaps))]
    return stats


def gaps_text(g: dict) -> str:
    """"p99 20 / max 31 (GUI CPU 25) ms" from ``taken_gap_stats``."""
    cpu = f" (GUI CPU {g['cpu_at_max']:.0f})" if "cpu_at_max" in g else ""
    return f"p99 {g['p99']:.0f} / max {g['max']:.0f}{cpu} ms"


# -- phase: build the big offline cache ---------------------------------------------------------

def phase_build(workdir: Path, cases: int) -> None:
    os.environ["CASEVIEWER_HOME"] = str(workdir / "home-build")
    from caseviewer.core.api import CasePage, CaseQuery
    from caseviewer.core.cache import CaseCache
    from caseviewer.core.models import CaseRecord
    from caseviewer.demo.data import DemoData

    data = DemoData(cases, seed=9)
    key = os.urandom(32)
    path = workdir / "big.db"
    started = time.perf_counter()
    with CaseCache(key=key, path=path) as cache:
        for start in range(0, cases, 500):  # the same fast path as bench_cache.py
            raws = [data.list_record(i) for i in range(start, min(cases, start + 500))]
            page = CasePage(CaseQuery(page=start // 500 + 1, items_per_page=500),
                            [CaseRecord.model_validate(r) for r in raws], 0, cases,
                            raw={"data": {"records": raws}})
            cache.put_list_page(data.customer_id, page)
        # Details for the first rows of the default order, so selections can be served offline.
        first = cache.list_for_query(data.customer_id, CaseQuery(items_per_page=40))
        with cache.transaction():
            for record in first.records:
                raw = data.detail(record.id, document_format="url",
                                  url_for=lambda a, n: f"https://files.example.test/{a}")
                if raw is not None:
                    cache.put_detail(raw, record, keep_bodies=False)
    (workdir / "key").write_text(key.hex())
    (workdir / "customer").write_text(data.customer_id)
    built_s = time.perf_counter() - started
    # The build leaves ~200 MB of the file waiting to be written out. Without this the offline
    # start (1b) that follows shares the disk with that write-back and measured 1.0-1.8 s, once
    # 10 s, against 0.7-1.0 s on the same file once it is written: the bench's setup, not a start.
    flushed = time.perf_counter()
    os.sync()
    emit({"build_s": built_s, "flush_s": time.perf_counter() - flushed, "db_mb": path.stat().st_size / 1e6})


# -- GUI helpers --------------------------------------------------------------------------------

def gui_tools():
    from PySide6.QtCore import QEventLoop, QTimer

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from gui_gaps import GapRecorder

    def wait_signal(signal, action=None, timeout_ms: int = 120_000):
        """Run ``action`` and spin the event loop until ``signal`` fires; its args or None."""
        loop = QEventLoop()
        got: list = []

        def handler(*args) -> None:
            if not got:
                got.append(args)
            loop.quit()

        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        signal.connect(handler)
        try:
            if action is not None:
                action()
            if not got:
                guard.start(timeout_ms)
                loop.exec()
        finally:
            guard.stop()
            signal.disconnect(handler)
        return got[0] if got else None

    return GapRecorder, wait_signal


def spin(ms: int) -> None:
    """Run the event loop for ``ms`` milliseconds (the reviewer pausing)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def page_to_end(window, wait_signal, on_page=None) -> tuple[int, str | None]:
    """Scroll to the bottom and fetch the next page until there is none: (pages shown, error)."""
    pages = 1
    while window.model.canFetchMore():
        def more() -> None:
            window.view.scrollToBottom()
            window.model.fetchMore()
        if wait_signal(window.page_loaded, more, 60_000) is None:
            return pages, window.model.error_message or "timeout"
        pages += 1
        if on_page is not None:
            on_page()
    return pages, None


def jump_through(window, wait_signal, jumps: int = 200) -> tuple[int, str | None]:
    """Offline: scroll to ``jumps`` rows spread over the list, each until its rows are read."""
    model = window.model
    if not model.is_view_ready and wait_signal(model.view_ready, None, 60_000) is None:
        return 0, "the view was not written"
    done = 0
    for step in range(jumps):
        row = min(model.rowCount() - 1, step * model.rowCount() // jumps)
        index = model.index(row, 0)
        if model.is_held(row):
            window.view.scrollTo(index)
        elif wait_signal(model.window_loaded, lambda index=index: window.view.scrollTo(index), 60_000) is None:
            return done, model.error_message or "timeout"
        done += 1
    return done, None


def measure_selections(window, wait_signal, rows: int = 20) -> dict:
    """select_row(i) -> detail_shown: a click after a pause (median), and the end of rapid keying.

    A click after a pause loads at once. During rapid keying (a selection every 30 ms, like a held
    arrow key) only the row the reviewer stops on loads, after the quiet period.
    """
    from caseviewer.ui.window.selection import SELECTION_DEBOUNCE_MS

    totals, sources = [], []
    for row in range(min(rows, window.model.rowCount())):
        spin(SELECTION_DEBOUNCE_MS + 30)  # a pause between clicks
        started = time.perf_counter()
        result = wait_signal(window.detail_shown, lambda row=row: window.select_row(row), 30_000)
        done = time.perf_counter()
        if result is None:
            continue
        totals.append((done - started) * 1000)
        res = result[0]
        sources.append(f"{res.provenance.source.value}{'' if res.detail is not None else '-recordonly'}")
    keyed = []
    for burst in range(5 if window.model.rowCount() >= 30 else 0):
        spin(SELECTION_DEBOUNCE_MS + 30)
        first = 5 + 5 * burst
        for row in range(first, first + 4):
            window.select_row(row)
            spin(30)
        last = window.model.case_id(first + 4)
        started = time.perf_counter()
        window.select_row(first + 4)
        while True:
            result = wait_signal(window.detail_shown, None, 30_000)
            if result is None or result[0].case_id == last:
                break
        keyed.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": statistics.median(totals) if totals else None,
        "keyed_median_ms": statistics.median(keyed) if keyed else None,
        "n": len(totals),
        "sources": sorted(set(sources)),
    }


# -- phase: offline, 100,000 cached cases -------------------------------------------------------

def phase_offline(workdir: Path) -> None:
    os.environ["CASEVIEWER_HOME"] = str(workdir / "home-offline")
    import resource

    key = bytes.fromhex((workdir / "key").read_text())
    customer_id = (workdir / "customer").read_text()

    started = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient
    from caseviewer.core.cache import CaseCache
    from caseviewer.core.repository import CaseRepository
    from caseviewer.ui.case_list.case_table_model import CaseTableModel
    from caseviewer.core.runtime import freeze_startup_heap
    from caseviewer.ui.window.main_window import MainWindow

    GapRecorder, wait_signal = gui_tools()
    recorder = GapRecorder()
    recorder.start()
    # Nothing listens on port 9: the repository is offline by choice and never calls it.
    api = CaseApi(
        list=CaseListClient("http://127.0.0.1:9/case/api/v1", customer_id=customer_id, credential=BearerToken("x")),
        detail=CaseDetailClient("http://127.0.0.1:9", api_key="x"),
    )
    cache = CaseCache(key=key, path=workdir / "big.db")
    repository = CaseRepository(api, cache=cache, offline=True)
    out: dict = {}
    holder: dict = {}

    def build() -> None:
        window = MainWindow(repository, connection_label="Offline cache (bench)", page_size=500)
        window.resize(1280, 800)
        window.show()
        freeze_startup_heap()  # as run_gui does once the window is up
        holder["w"] = window

    # MainWindow's constructor requests page 1; connect before it exists by waiting on the model
    # signal path: build, then wait for page_loaded unless it already came (it cannot: queued).
    build()
    window = holder["w"]
    out["built_ms"] = (time.perf_counter() - started) * 1000
    recorder.start()  # from here on the window is on screen: gaps are freezes the user sees
    listed = window.case_list.cached_list_shown  # offline the window lists the whole cache
    first = wait_signal(listed)
    out["start_ms"] = (time.perf_counter() - started) * 1000
    out["start_ok"] = first is not None
    out["start_gaps"] = taken_gap_stats(recorder)

    # 3. jump through everything: the rows where each jump lands are read and shown
    clock = time.perf_counter()
    out["scroll_jumps"], error = jump_through(window, wait_signal)
    if error is not None:
        out["scroll_error"] = error
    out["scroll_s"] = time.perf_counter() - clock
    out["rows"] = window.model.rowCount()
    out["scroll_gaps"] = taken_gap_stats(recorder)

    # 6. memory with everything loaded
    app.processEvents()
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # 5. selections from the cache
    recorder.take()
    out["select"] = measure_selections(window, wait_signal)
    out["select_gaps"] = taken_gap_stats(recorder)

    # 4. sort by business name, then a status filter
    clock = time.perf_counter()
    page = wait_signal(listed, lambda: window.sort_by(CaseTableModel.COL_BUSINESS, False))
    out["sort_ms"] = (time.perf_counter() - clock) * 1000
    out["sort_ok"] = page is not None
    out["sort_gaps"] = taken_gap_stats(recorder)
    clock = time.perf_counter()
    page = wait_signal(listed, lambda: window.filter_bar.set_statuses((4, 5, 6)))
    out["filter_ms"] = (time.perf_counter() - clock) * 1000
    out["filter_ok"] = page is not None
    out["filter_total"] = page[0] if page else None
    out["filter_gaps"] = taken_gap_stats(recorder)
    out["maxrss_end_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    recorder.timer.stop()
    window.close()
    emit(out)


# -- phase: network, demo service in a child process --------------------------------------------

def phase_network(workdir: Path, cases: int) -> None:
    os.environ["CASEVIEWER_HOME"] = str(workdir / "home-network")
    server, (list_url, detail_url, customer_id, token, detail_key) = start_server(cases)
    try:
        started = time.perf_counter()
        from PySide6.QtWidgets import QApplication

        app = QApplication(sys.argv[:1])  # noqa: F841 - must live
        from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient
        from caseviewer.core.repository import CaseRepository
        from caseviewer.core.runtime import freeze_startup_heap
        from caseviewer.ui.window.main_window import MainWindow

        GapRecorder, wait_signal = gui_tools()
        recorder = GapRecorder()
        recorder.start()
        api = CaseApi(
            list=CaseListClient(list_url, customer_id=customer_id, credential=BearerToken(token)),
            detail=CaseDetailClient(detail_url, api_key=detail_key),
        )
        window = MainWindow(CaseRepository(api), connection_label="Demo service (bench)", page_size=500)
        window.resize(1280, 800)
        window.show()
        freeze_startup_heap()  # as run_gui does once the window is up
        built_ms = (time.perf_counter() - started) * 1000
        recorder.start()  # from here on the window is on screen: gaps are freezes the user sees
        first = wait_signal(window.page_loaded)
        out = {"first_page_ms": (time.perf_counter() - started) * 1000, "ok": first is not None,
               "built_ms": built_ms, "gaps": taken_gap_stats(recorder)}
        out["select"] = measure_selections(window, wait_signal)
        out["select_gaps"] = taken_gap_stats(recorder)
        recorder.timer.stop()
        window.close()
        emit(out)
    finally:
        stop_server(server)


# -- phase: memory, every case listed from the network -----------------------------------------

def rss_mb() -> float:
    """Resident set size now (Linux), MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def phase_bare() -> None:
    """The floor: a bare PySide6 window with a table, shown (peak RSS)."""
    import resource

    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    app = QApplication(sys.argv[:1])
    view = QTableView()
    view.setModel(QStandardItemModel(50, 10, view))
    view.resize(1280, 800)
    view.show()
    spin(300)
    emit({"maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
    view.close()
    del app


def phase_memory(workdir: Path, cases: int) -> None:
    """Page through every case of the demo service online, as a session with a keyring does: the
    cache attached, every list page written through to it. Peak RSS, and RSS along the way."""
    os.environ["CASEVIEWER_HOME"] = str(workdir / "home-memory")
    import resource

    server, (list_url, detail_url, customer_id, token, detail_key) = start_server(cases, seed=6)
    try:
        from PySide6.QtWidgets import QApplication

        app = QApplication(sys.argv[:1])
        from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient
        from caseviewer.core.cache import CaseCache
        from caseviewer.core.repository import CaseRepository
        from caseviewer.core.runtime import freeze_startup_heap
        from caseviewer.ui.window.main_window import MainWindow

        _, wait_signal = gui_tools()
        out: dict = {"imported_mb": rss_mb()}
        api = CaseApi(
            list=CaseListClient(list_url, customer_id=customer_id, credential=BearerToken(token)),
            detail=CaseDetailClient(detail_url, api_key=detail_key),
        )
        cache = CaseCache(key=os.urandom(32), path=workdir / f"memory-{os.getpid()}.db")  # a new key each run
        window = MainWindow(CaseRepository(api, cache=cache), connection_label="Demo service (bench)", page_size=500)
        window.resize(1280, 800)
        window.show()
        freeze_startup_heap()  # as run_gui does once the window is up
        out["ok"] = wait_signal(window.page_loaded) is not None
        out["first_page_mb"] = rss_mb()
        clock = time.perf_counter()
        along: list[float] = []

        def every_page() -> None:
            if window.model.rowCount() % 20_000 == 0:
                along.append(round(rss_mb()))

        _, error = page_to_end(window, wait_signal, every_page)
        if error is not None:
            out["error"] = error
        app.processEvents()
        out.update(rows=window.model.rowCount(), scroll_s=time.perf_counter() - clock, along_mb=along,
                   end_mb=rss_mb(), maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        # This session was given its keys, as a test would; a reviewer's session reads them from
        # the keyring, whose backends stay loaded (on Linux Secret Service pulls in cryptography).
        # Reported beside the figure, not in it: the goal was set on the figure without them.
        before = rss_mb()
        from caseviewer.core.secrets import secure_backend
        try:
            secure_backend()
        except Exception as exc:  # noqa: BLE001 - no secure keyring here: the modules are loaded all the same
            out["keyring_note"] = type(exc).__name__
        out["keyring_mb"] = rss_mb() - before
        window.close()
        cache.close()
        emit(out)
    finally:
        stop_server(server)


# -- phase: sync throughput ---------------------------------------------------------------------

def phase_sync(workdir: Path, cases: int) -> None:
    os.environ["CASEVIEWER_HOME"] = str(workdir / "home-sync")
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import quote

    import httpx

    from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient, CaseQuery
    from caseviewer.core.cache import CaseCache
    from caseviewer.core.sync import LIST_PAGE_SIZE, sync_all

    server, (list_url, detail_url, customer_id, token, detail_key) = start_server(cases, seed=3)
    try:
        def plain() -> tuple[float, int]:
            started = time.perf_counter()
            ids: list[str] = []
            with httpx.Client(timeout=30, limits=httpx.Limits(max_connections=8, max_keepalive_connections=8)) as client:
                url = f"{list_url.rstrip('/')}/customers/{quote(customer_id, safe='')}/cases"
                page = 1
                while True:
                    query = CaseQuery(page=page, items_per_page=LIST_PAGE_SIZE)
                    r = client.get(url, params=query.params(), headers={"Authorization": f"Bearer {token}"})
                    r.raise_for_status()
                    data = r.json()["data"]
                    records = data.get("records") or []
                    ids += [rec["id"] for rec in records]
                    if not records or len(ids) >= int(data.get("total_items") or data.get("totalItems") or 0) \
                            or len(records) < LIST_PAGE_SIZE:
                        break
                    page += 1
                durl = f"{detail_url.rstrip('/')}/api/v1/customer-case-detail"
                headers = {"cv-api-key": detail_key}

                def one(case_id: str) -> int:
                    params = [("caseId", case_id), ("includeAttachments", "true"), ("documentFormat", "url"),
                              ("includeCalendarEvents", "true"), ("includeOrders", "true"),
                              ("includeCaseProducts", "true")]
                    resp = client.get(durl, params=params, headers=headers)
                    resp.json()
                    return resp.status_code

                with ThreadPoolExecutor(4) as pool:
                    codes = list(pool.map(one, ids))
            return time.perf_counter() - started, sum(1 for c in codes if c in (200, 404))

        def synced(round_no: int):
            api = CaseApi(
                list=CaseListClient(list_url, customer_id=customer_id, credential=BearerToken(token)),
                detail=CaseDetailClient(detail_url, api_key=detail_key),
            )
            with CaseCache(key=os.urandom(32), path=workdir / f"synced-{round_no}.db") as cache:
                started = time.perf_counter()
                report = sync_all(api, cache, customer_id, concurrency=4, force=True)
                elapsed = time.perf_counter() - started
            api.close()
            return elapsed, report

        def cpu_of(run):  # noqa: ANN001, ANN202 - a round's callable
            """``run()``'s answer and the CPU seconds it took here and in the service's process:
            on a small machine the two share the cores, so CPU spent here slows the service."""
            here, there = os.times(), process_cpu_s(server.pid)
            answer = run()
            after = os.times()
            return answer, (after.user + after.system - here.user - here.system, process_cpu_s(server.pid) - there)

        # Alternate the two, several rounds, and compare medians: on a small shared machine one
        # run of either varies by +-15%.
        ratios, plains, syncs, cpu = [], [], [], {"plain": [], "sync": []}
        for round_no in range(SYNC_ROUNDS):
            (plain_s, plain_n), plain_cpu = cpu_of(plain)
            (sync_s, report), sync_cpu = cpu_of(lambda round_no=round_no: synced(round_no))
            plains.append(plain_n / plain_s)
            syncs.append(report.total / sync_s)
            ratios.append(syncs[-1] / plains[-1])
            cpu["plain"].append(plain_cpu)
            cpu["sync"].append(sync_cpu)
        emit({"plain_rate": statistics.median(plains), "sync_rate": statistics.median(syncs),
              "ratio": statistics.median(ratios), "ratios": [round(r, 2) for r in ratios],
              "sync_n": report.total, "sync_fetched": report.fetched, "sync_failed": len(report.failed),
              # Median CPU seconds of a round: (here, the service), per way of fetching.
              "cpu_s": {way: [statistics.median(part) for part in zip(*rounds)] for way, rounds in cpu.items()}})
    finally:
        stop_server(server)


# -- phase: re-sync of unchanged cases ----------------------------------------------------------

def phase_resync(workdir: Path, cases: int) -> None:
    """A full sync of ``cases``, then re-syncs with nothing changed (median of 3), beside the floor:
    a plain httpx loop listing the same pages (the list must be read to know nothing changed)."""
    os.environ["CASEVIEWER_HOME"] = str(workdir / "home-resync")
    from urllib.parse import quote

    import httpx

    from caseviewer.core.api import BearerToken, CaseApi, CaseDetailClient, CaseListClient, CaseQuery
    from caseviewer.core.cache import CaseCache
    from caseviewer.core.sync import LIST_PAGE_SIZE, sync_all

    server, (list_url, detail_url, customer_id, token, detail_key) = start_server(cases, seed=4)
    try:
        def plain_listing() -> float:
            started = time.perf_counter()
            with httpx.Client(timeout=30) as client:
                url = f"{list_url.rstrip('/')}/customers/{quote(customer_id, safe='')}/cases"
                page, seen = 1, 0
                while True:
                    r = client.get(url, params=CaseQuery(page=page, items_per_page=LIST_PAGE_SIZE).params(),
                                   headers={"Authorization": f"Bearer {token}"})
                    records = r.json()["data"].get("records") or []
                    seen += len(records)
                    if len(records) < LIST_PAGE_SIZE or seen >= cases:
                        break
                    page += 1
            return time.perf_counter() - started

        api = CaseApi(
            list=CaseListClient(list_url, customer_id=customer_id, credential=BearerToken(token)),
            detail=CaseDetailClient(detail_url, api_key=detail_key),
        )
        with CaseCache(key=os.urandom(32), path=workdir / "resync.db") as cache:
            first = sync_all(api, cache, customer_id, concurrency=4)
            times, floors, report = [], [], first
            for _ in range(3):
                floors.append(plain_listing())
                started = time.perf_counter()
                report = sync_all(api, cache, customer_id, concurrency=4)
                times.append(time.perf_counter() - started)
        api.close()
        emit({"first_s": first.elapsed, "resync_s": statistics.median(times), "runs": [round(t, 2) for t in times],
              "listing_s": statistics.median(floors), "skipped": report.skipped, "fetched": report.fetched,
              "total": report.total})
    finally:
        stop_server(server)


# -- first frame, the search bench and the million-case table (each in its own processes) -------

def first_frames(workdir: Path, runs: int) -> dict:
    """``first_frame.py`` bare and caseviewer, alternating, after precompiling caseviewer (so no
    run pays for compiling its sources) and one discarded warm-up of each (the file cache)."""
    import compileall

    compileall.compile_dir(str(HERE.parents[2] / "caseviewer"), quiet=1)
    script = HERE.with_name("first_frame.py")
    times: dict[str, list[float]] = {"bare": [], "caseviewer": []}
    for i in range(runs + 1):
        for kind in ("bare", "caseviewer"):
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CASEVIEWER_HOME=str(workdir / f"home-frame-{kind}-{i}"),
                       PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
            proc = subprocess.run([sys.executable, str(script), kind], env=env, capture_output=True, text=True, timeout=120)
            found = [float(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("FIRST_FRAME ")]
            if not found:
                sys.stderr.write(f"first_frame.py {kind} failed (rc {proc.returncode}): {proc.stderr[-2000:]}\n")
            elif i:  # run 0 warms the file cache
                times[kind].append(found[0])
    return times


def import_times(workdir: Path, top: int = 12) -> list[tuple[float, str]]:
    """``python -X importtime first_frame.py caseviewer``: the top-level imports by cumulative time (s)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CASEVIEWER_HOME=str(workdir / "home-importtime"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    proc = subprocess.run([sys.executable, "-X", "importtime", str(HERE.with_name("first_frame.py")), "caseviewer"],
                          env=env, capture_output=True, text=True, timeout=120)
    entries = []
    for line in proc.stderr.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            depth = (len(name) - len(name.lstrip())) // 2
            if depth <= 2:
                entries.append((int(parts[1]) / 1e6, parts[2].rstrip()))
    return sorted(entries, reverse=True)[:top]


def search_figures(build: bool) -> dict:
    """``bench_search.py --result`` over its reused 100,000-case index (built only when asked)."""
    sys.path.insert(0, str(HERE.parent))
    from reused_dirs import bench_dir

    if not build and not (bench_dir("search") / "search-100000.db").exists():
        return {}
    proc = subprocess.run([sys.executable, str(HERE.with_name("bench_search.py")), "--result"],
                          capture_output=True, text=True, timeout=3600)
    found = [json.loads(line[len("RESULT "):]) for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if not found:
        sys.stderr.write(f"bench_search.py failed (rc {proc.returncode}): {proc.stderr[-2000:]}\n")
    return found[-1] if found else {}


def million_figures(build: bool) -> dict:
    """``bench_store_table.py``'s table phase over its reused 1,000,000-case cache (built only when asked)."""
    sys.path.insert(0, str(HERE.parent))
    from reused_dirs import bench_dir
    from bench_store_table import run_phase as store_phase

    workdir = bench_dir("store-table")
    count_file = workdir / "cases"
    if not (count_file.exists() and int(count_file.read_text() or 0) >= 1_000_000):
        if not build:
            return {}
        workdir.mkdir(parents=True, exist_ok=True)
        store_phase(workdir, "build", "--cases", "1000000")
    return store_phase(workdir, "table")


# -- orchestration ------------------------------------------------------------------------------

def run_phase(workdir: Path, *args: str, timeout: int = 300) -> dict:
    proc = subprocess.run([sys.executable, str(HERE), "--phase", *args, "--workdir", str(workdir)],
                          capture_output=True, text=True, timeout=timeout)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    sys.stderr.write(f"phase {args} failed (rc {proc.returncode}):\n{proc.stderr[-3000:]}\n")
    return {}


def smoke_start(workdir: Path, runs: int) -> list[float]:
    times = []
    exe = Path(sys.executable).with_name("caseviewer")
    for i in range(runs):
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CASEVIEWER_HOME=str(workdir / f"home-smoke-{i}"),
                   PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
        started = time.perf_counter()
        proc = subprocess.run([str(exe), "--demo", "--smoke-test"], env=env, capture_output=True, text=True, timeout=60)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            sys.stderr.write(f"smoke test rc {proc.returncode}: {proc.stderr[-2000:]}\n")
            continue
        times.append(elapsed)
    return times


def fmt_ms(value) -> str:
    return "n/a" if value is None else f"{value:,.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases in the offline cache")
    parser.add_argument("--net-cases", type=int, default=3_000, help="cases in the demo service for the GUI")
    parser.add_argument("--mem-cases", type=int, default=100_000,
                        help="cases in the demo service for the memory phase (all listed online)")
    parser.add_argument("--sync-cases", type=int, default=3_000)
    parser.add_argument("--smoke-runs", type=int, default=3)
    parser.add_argument("--resync-cases", type=int, default=10_000)
    parser.add_argument("--frame-runs", type=int, default=5)
    parser.add_argument("--search", action="store_true",
                        help="build the reused 100,000-case search index if it is missing (about 8 minutes)")
    parser.add_argument("--million", action="store_true",
                        help="build the reused 1,000,000-case cache if it is missing (about 15 minutes)")
    parser.add_argument("--phase", choices=["build", "offline", "network", "bare", "memory", "sync", "resync"], help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        from caseviewer.core.runtime import fix_malloc_threshold

        fix_malloc_threshold()  # each phase is a process of its own, started as cli.run.main starts one

    if args.phase == "build":
        phase_build(args.workdir, args.cases)
        return 0
    if args.phase == "offline":
        phase_offline(args.workdir)
        return 0
    if args.phase == "network":
        phase_network(args.workdir, args.net_cases)
        return 0
    if args.phase == "bare":
        phase_bare()
        return 0
    if args.phase == "memory":
        phase_memory(args.workdir, args.mem_cases)
        return 0
    if args.phase == "sync":
        phase_sync(args.workdir, args.sync_cases)
        return 0
    if args.phase == "resync":
        phase_resync(args.workdir, args.resync_cases)
        return 0

    total_start = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="caseviewer-bench-app-"))
    try:
        smoke = smoke_start(workdir, args.smoke_runs)
        print(f"[smoke runs: {', '.join(f'{t:.2f}' for t in smoke)} s]", flush=True)
        built = run_phase(workdir, "build", "--cases", str(args.cases))
        print(f"[cache built: {args.cases:,} cases in {built.get('build_s', 0):.1f} s, {built.get('db_mb', 0):.1f} MB; "
              f"written out in {built.get('flush_s', 0):.1f} s before the offline start]", flush=True)
        offline = run_phase(workdir, "offline")
        print(f"[offline phase done: {json.dumps(offline)}]", flush=True)
        network = run_phase(workdir, "network", "--net-cases", str(args.net_cases))
        print(f"[network phase done: {json.dumps(network)}]", flush=True)
        bare = run_phase(workdir, "bare")
        memory = run_phase(workdir, "memory", "--mem-cases", str(args.mem_cases), timeout=900)
        print(f"[memory phase done: {json.dumps(memory)}; bare window {json.dumps(bare)}]", flush=True)
        sync = run_phase(workdir, "sync", "--sync-cases", str(args.sync_cases))
        print(f"[sync phase done: {json.dumps(sync)}]", flush=True)
        resync = run_phase(workdir, "resync", "--resync-cases", str(args.resync_cases), timeout=900)
        print(f"[resync phase done: {json.dumps(resync)}]", flush=True)
        frames = first_frames(workdir, args.frame_runs)
        print(f"[first frames: {json.dumps(frames)}]", flush=True)
        imports = import_times(workdir)
        search = search_figures(args.search)
        print(f"[search: {json.dumps(search)}]", flush=True)
        million = million_figures(args.million)
        print(f"[1,000,000 cases: {json.dumps(million)}]", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    rows: list[tuple[str, str, str, str]] = []

    def row(name: str, value: str, goal: str, met: bool | None) -> None:
        rows.append((name, value, goal, "n/a" if met is None else ("yes" if met else "NO")))

    smoke_med = statistics.median(smoke) if smoke else None
    row("1a cold start: caseviewer --demo --smoke-test (wall, median)",
        "failed" if smoke_med is None else f"{smoke_med:.2f} s (runs {', '.join(f'{t:.2f}' for t in smoke)})",
        "< 1.5 s", None if smoke_med is None else smoke_med < 1.5)
    start_ms = offline.get("start_ms")
    def start_detail(phase: dict) -> str:
        if "built_ms" not in phase:
            return ""
        return (f" (window built in {phase['built_ms']:.0f} ms before its first paint; then longest gap "
                f"{phase['gaps_after_shown']:.0f} ms)")

    if offline:
        offline["gaps_after_shown"] = offline["start_gaps"]["max"]
    if network:
        network["gaps_after_shown"] = network["gaps"]["max"]
    row(f"1b start on {args.cases:,}-case cache, offline -> first page",
        fmt_ms(start_ms) + start_detail(offline), "< 1.5 s; gap < 50 ms",
        None if start_ms is None else start_ms < 1500 and offline["gaps_after_shown"] < GAP_TARGET_MS)
    net_ms = network.get("first_page_ms")
    row(f"2  first page after start (demo, network, {args.net_cases:,} cases)",
        fmt_ms(net_ms) + start_detail(network), "< 1.5 s; gap < 50 ms",
        None if net_ms is None else net_ms < 1500 and network["gaps_after_shown"] < GAP_TARGET_MS)
    def gaps_met(*stats: dict) -> bool:
        return all(g["p99"] <= FRAME_MS and g["max"] <= TWO_FRAMES_MS for g in stats)

    if offline:
        g = offline["scroll_gaps"]
        row(f"3  {offline['scroll_jumps']} jumps through {offline['rows']:,} cached cases, each until shown: GUI gaps",
            f"{offline['scroll_s']:.1f} s; {gaps_text(g)}"
            + (f"; error {offline['scroll_error']}" if "scroll_error" in offline else ""), GAP_GOAL, gaps_met(g))
        row("4  sort by business name / + status filter -> first rows: GUI gaps",
            f"{offline['sort_ms']:.0f} ms / {offline['filter_ms']:.0f} ms; {gaps_text(offline['sort_gaps'])} / "
            f"{gaps_text(offline['filter_gaps'])}", GAP_GOAL, gaps_met(offline["sort_gaps"], offline["filter_gaps"]))
        sel = offline["select"]
        med = sel["median_ms"]
        row(f"5a select -> detail shown, cache (median of {sel['n']}, {'/'.join(sel['sources'])})",
            f"{fmt_ms(med)} (end of rapid keying: {fmt_ms(sel['keyed_median_ms'])}); {gaps_text(offline['select_gaps'])}",
            f"< 50 ms; {GAP_GOAL}", None if med is None else med < 50 and gaps_met(offline["select_gaps"]))
    else:
        row("3-5 offline phase", "failed", "", None)
    if network:
        sel = network["select"]
        row(f"5b select -> detail shown, loopback network (median of {sel['n']})",
            f"{fmt_ms(sel['median_ms'])} (end of rapid keying: {fmt_ms(sel['keyed_median_ms'])}); "
            f"{gaps_text(network['select_gaps'])}", GAP_GOAL, gaps_met(network["select_gaps"]))
    if memory:
        mem = memory["maxrss_mb"]
        floor = f"; a bare PySide6 window {bare['maxrss_mb']:.0f} MB" if bare else ""
        from_cache = (f"; listed from the cache offline {offline['maxrss_mb']:.0f} MB, after sort+filter "
                      f"{offline['maxrss_end_mb']:.0f} MB") if offline else ""
        row(f"6  memory with {memory['rows']:,} cases listed online (demo service, written through to the cache)",
            f"{mem:.0f} MB peak RSS (first page {memory['first_page_mb']:.0f} MB"
            + (f", every 20,000 rows {', '.join(f'{m:.0f}' for m in memory['along_mb'])}" if memory["along_mb"] else "")
            + f"{floor}{from_cache})"
            + (f"; a keyring session adds {memory['keyring_mb']:.0f} MB of keyring modules" if "keyring_mb" in memory else "")
            + (f"; error {memory['error']}" if "error" in memory else ""), "<= 150 MB", mem <= 150)
    else:
        row("6  memory with every case listed online", "failed", "<= 150 MB", None)
    if sync:
        ratio = sync["ratio"]
        row(f"7  sync_all {sync['sync_n']:,} cases, concurrency 4 vs plain httpx x4 (median of {SYNC_ROUNDS})",
            f"{sync['sync_rate']:.0f} vs {sync['plain_rate']:.0f} cases/s = {ratio:.2f} "
            f"(rounds {', '.join(f'{r:.2f}' for r in sync['ratios'])}; {sync['sync_failed']} failed"
            f"{sync_cpu_text(sync)})", ">= 0.95", ratio >= 0.95)
    else:
        row("7  sync ratio", "failed", ">= 0.95", None)
    if resync:
        row(f"8  re-sync of {resync['total']:,} unchanged cases (median of 3)",
            f"{resync['resync_s']:.2f} s (runs {', '.join(f'{t:.2f}' for t in resync['runs'])}; {resync['fetched']} "
            f"fetched, {resync['skipped']:,} skipped; listing alone, plain httpx: {resync['listing_s']:.2f} s; "
            f"first sync {resync['first_s']:.0f} s)", "<= 0.5 s", resync["resync_s"] <= 0.5)
    else:
        row("8  re-sync of unchanged cases", "failed", "<= 0.5 s", None)
    if frames["bare"] and frames["caseviewer"]:
        bare, app = statistics.median(frames["bare"]), statistics.median(frames["caseviewer"])
        row(f"9  first frame: caseviewer --demo vs a bare PySide6 window (median of {len(frames['caseviewer'])}, precompiled)",
            f"{app:.2f} s vs {bare:.2f} s = {app / bare:.1f}x (runs {', '.join(f'{t:.2f}' for t in frames['caseviewer'])}"
            f" / {', '.join(f'{t:.2f}' for t in frames['bare'])})", "<= 2x bare", app <= 2 * bare)
    else:
        row("9  first frame", "failed", "<= 2x bare", None)
    if search:
        queries = search["queries"]
        worst = max(queries, key=lambda q: queries[q]["median_ms"])
        cold = max(queries, key=lambda q: queries[q]["first_ms"])
        row(f"10 Find in cached cases, {len(queries)} queries over {search['indexed']:,} indexed details -> first 50",
            f"worst median {queries[worst]['median_ms']:.0f} ms ({worst!r}); worst first run "
            f"{queries[cold]['first_ms']:.0f} ms ({cold!r}); cancel returns after {search['cancel_returned_ms']:.0f} ms",
            "<= 100 ms", queries[worst]["median_ms"] <= 100)
    else:
        row("10 Find over 100,000 cached details", "not run: build its index once with --search", "<= 100 ms", None)
    if million:
        from bench_store_table import drag_parts  # on the path since million_figures ran

        m = million
        row(f"11 1,000,000 cases: first rows after start ({m['first_rows'] or 0:,} listed)",
            f"{m['first_first_ms']:,.0f} ms", "<= 300 ms", m["first_first_ms"] <= 300)
        row("12 1,000,000 cases: scrollbar drag to any row -> shown (median / worst)",
            f"{m['drag_median_ms']:.0f} / {m['drag_max_ms']:.0f} ms ({drag_parts(m)})", "<= 50 ms",
            m["drag_max_ms"] <= 50)
        row("13 1,000,000 cases: sort / + status filter -> first rows",
            f"{m['sort_first_ms']:.0f} / {m['filter_first_ms']:.0f} ms", "<= 300 ms",
            max(m["sort_first_ms"], m["filter_first_ms"]) <= 300)
        row("14 1,000,000 cases: peak RSS", f"{m['maxrss_mb']:.0f} MB", "<= 200 MB", m["maxrss_mb"] <= 200)
        names = ("first", "drag", "sort", "filter", "select")
        stats = [m[f"{name}_gaps"] for name in names]
        row("15 1,000,000 cases: GUI gaps (start, drag, sort, filter, selection; worst)",
            f"p99 {max(g['p99'] for g in stats):.0f} / max {max(g['max'] for g in stats):.0f} ms; "
            + ", ".join(f"{name} {gaps_text(g)}" for name, g in zip(names, stats)), GAP_GOAL,
            gaps_met(*stats))
    else:
        row("11-15 1,000,000 cases", "not run: build the reused cache once with --million", "", None)

    header = ("measurement", "value", "goal", "met")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(4)]
    print()
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    if imports:
        print("\n`python -X importtime first_frame.py caseviewer`, top imports by cumulative time:")
        for seconds, name in imports:
            print(f"  {seconds * 1000:7.0f} ms  {name}")
    print(f"\ntotal: {time.monotonic() - total_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
