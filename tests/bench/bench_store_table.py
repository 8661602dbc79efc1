"""The case table as a view over the cache, at a million cached cases (prints a table, asserts nothing).

Run as a script (not collected by pytest)::

    .venv/bin/python tests/bench/bench_store_table.py [--workdir DIR] [--cases 1000000]

The cache file is built once into ``--workdir`` (outside the repository; default under the
``bench_dir("store-table")``: ``$CASEVIEWER_BENCH_DIR`` or ``~/.cache/caseviewer-bench``) and reused by later runs: 50,000 demo cases go in through
``CaseCache.put_list_page`` (the real write path), then SQL copies them under new ids up to
``--cases`` (a million real writes would take an hour on a small machine; the table reads only
the list records, which the copies have in full). Each measurement runs in a child process
(``--phase``) so peak memory is its own:

* first rows: ``StoreTableModel.reset_for_query`` -> the first window shown in the case table's view (``CaseTableView``);
* the view written (every id of the order in the temporary table);
* drag: the scrollbar set to a random row -> that row's window shown (median and worst of 20);
* sort by business name, and a status filter on top: -> first rows shown, and view written;
* peak RSS of the process; GUI-thread gaps (p99 and max) across all of it;
* N / Shift+N offline (a phase of its own): the nearest of a few case ids in the written view
  (``ListView.next_among``, the SQL the worker runs), to the far end and between 300 spread ids.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
from reused_dirs import bench_dir  # noqa: E402 - the folder above is on the path first
#: Cases written through the real write path before the copies.
SEED_CASES = 50_000
DRAGS = 20


def emit(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)


# -- the cache file, built once -----------------------------------------------------------------

def phase_build(workdir: Path, cases: int) -> None:
    from bench_app import phase_build as build_seed  # the same 500-a-page real writes

    from caseviewer.core.cache import CaseCache

    started = time.perf_counter()
    build_seed(workdir, min(cases, SEED_CASES))
    key = bytes.fromhex((workdir / "key").read_text())
    customer_id = (workdir / "customer").read_text()
    copies = -(-cases // SEED_CASES) - 1
    with CaseCache(key=key, path=workdir / "big.db") as cache:
        for copy in range(1, copies + 1):
            with cache.transaction("copying cases") as conn:
                limit = min(SEED_CASES, cases - copy * SEED_CASES)
                # New ids in the column and in the record; everything else as the seed case has it.
                conn.execute(
                    "INSERT INTO list_records (customer_id, case_id, query_key, position, fetched_at, created_ms, "
                    "business_fold, first_fold, last_fold, status_id, raw) "
                    "SELECT customer_id, case_id || '~' || ?1, query_key, position, fetched_at, created_ms, "
                    "business_fold, first_fold, last_fold, status_id, json_set(raw, '$.id', case_id || '~' || ?1) "
                    "FROM list_records WHERE customer_id = ?2 AND instr(case_id, '~') = 0 LIMIT ?3",
                    (copy, customer_id, limit),
                )
        with cache.reading() as conn:
            (total,) = conn.execute("SELECT count(*) FROM list_records").fetchone()
    (workdir / "cases").write_text(str(total))
    emit({"build_s": time.perf_counter() - started, "cases": total,
          "db_mb": (workdir / "big.db").stat().st_size / 1e6})


# -- the table over it ---------------------------------------------------------------------------

def phase_table(workdir: Path) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from bench_app import gui_tools, taken_gap_stats

    from caseviewer.core.api import CaseQuery, SortField
    from caseviewer.core.cache import CaseCache
    from caseviewer.core.cached_list import CachedList
    from caseviewer.ui.case_list.table_view import CaseTableView, set_up_case_view
    from caseviewer.ui.case_list.store_table_model import StoreTableModel
    from caseviewer.ui.workers import TaskRunner

    GapRecorder, wait_signal = gui_tools()
    key = bytes.fromhex((workdir / "key").read_text())
    customer_id = (workdir / "customer").read_text()
    out: dict = {"rss_start_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    started = time.perf_counter()
    cache = CaseCache(key=key, path=workdir / "big.db")
    out["open_ms"] = (time.perf_counter() - started) * 1000
    runner = TaskRunner(threads=3)
    model = StoreTableModel(runner, CachedList(cache, customer_id))
    view = CaseTableView()
    set_up_case_view(view)  # as the window sets its table up
    view.setModel(model)
    view.resize(1280, 800)
    view.show()
    app.processEvents()
    recorder = GapRecorder()
    recorder.start()

    def listed(query: CaseQuery, name: str) -> None:
        """reset -> first rows drawn, and -> the view written."""
        clock = time.perf_counter()
        got = wait_signal(model.head_loaded, lambda: model.reset_for_query(query))
        view.viewport().repaint()  # the first rows drawn, not just arrived
        out[f"{name}_first_ms"] = (time.perf_counter() - clock) * 1000
        out[f"{name}_rows"] = got[0] if got else None
        if not model.is_view_ready:
            wait_signal(model.view_ready)
        out[f"{name}_view_ms"] = (time.perf_counter() - clock) * 1000
        out[f"{name}_gaps"] = taken_gap_stats(recorder)

    listed(CaseQuery(), "first")
    # Drag the scrollbar to rows anywhere: -> the row's window read and drawn.
    rng = random.Random(20)
    drags, parts = [], []
    bar = view.verticalScrollBar()
    for _ in range(DRAGS):
        row = rng.randrange(model.rowCount())
        clock = time.perf_counter()
        bar.setValue(row * view.verticalHeader().defaultSectionSize())  # per-pixel scrolling, as the window
        view.viewport().repaint()  # draws placeholders and asks for the window
        blank = time.perf_counter()
        while not model.is_held(row):
            if wait_signal(model.window_loaded, None, 30_000) is None:
                break
        read = time.perf_counter()
        view.viewport().repaint()
        done = time.perf_counter()
        drags.append((done - clock) * 1000)
        parts.append(((blank - clock) * 1000, (read - blank) * 1000, (done - read) * 1000))
    out["drag_median_ms"], out["drag_max_ms"] = statistics.median(drags), max(drags)
    # Where a drag's time goes (medians): the placeholders' paint, the window read on a worker
    # (and handed over), the rows' paint.
    out["drag_parts_ms"] = [statistics.median(part) for part in zip(*parts)]
    out["drag_gaps"] = taken_gap_stats(recorder)
    listed(CaseQuery(sort_field=SortField.BUSINESS_NAME, descending=False), "sort")
    listed(CaseQuery(sort_field=SortField.BUSINESS_NAME, descending=False, statuses=(4, 5, 6)), "filter")
    # Selection: the current row moved row by row, as arrow keys do, on rows held and far away.
    for row in [*range(0, 40), *range(500_000, 500_040)]:
        view.setCurrentIndex(model.index(min(row, model.rowCount() - 1), 0))
        app.processEvents()
    out["select_gaps"] = taken_gap_stats(recorder)
    out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    recorder.timer.stop()
    model.close()
    runner.shutdown()
    cache.close()
    emit(out)


def phase_step(workdir: Path) -> None:
    """N / Shift+N offline: ``ListView.next_among`` over the whole view, as the worker runs it."""
    from caseviewer.core.api import CaseQuery
    from caseviewer.core.cache import CaseCache
    from caseviewer.core.cached_list import CachedList
    from caseviewer.core.views import TriageFilter

    key = bytes.fromhex((workdir / "key").read_text())
    cache = CaseCache(key=key, path=workdir / "big.db")
    listed = CachedList(cache, (workdir / "customer").read_text())
    store = listed.open_store()
    view_id, total = listed.open_view(store, CaseQuery(), listed.triage(TriageFilter.ALL))
    rng = random.Random(21)
    spread = [store.rows(view_id, row, 1)[0].case_id for row in sorted(rng.sample(range(total), 300))]
    first, last = store.rows(view_id, 0, 1)[0].case_id, store.rows(view_id, total - 1, 1)[0].case_id

    def timed(row: int, delta: int, ids: list[str]) -> float:
        clock = time.perf_counter()
        store.next_among(view_id, row, delta, ids)
        return (time.perf_counter() - clock) * 1000

    out = {"step_rows": total,
           "step_far_ms": statistics.median(timed(-1, 1, [last]) for _ in range(5)),
           "step_far_back_ms": statistics.median(timed(total, -1, [first]) for _ in range(5)),
           "step_spread_ms": statistics.median(timed(rng.randrange(total), rng.choice((1, -1)), spread)
                                               for _ in range(20))}
    store.close()
    cache.close()
    emit(out)


def drag_parts(out: dict) -> str:
    """Where a drag's median time goes, in words."""
    blank, read, drawn = out.get("drag_parts_ms") or (0, 0, 0)
    return f"median parts: placeholders {blank:.0f}, window read {read:.0f}, rows drawn {drawn:.0f} ms"


def run_phase(workdir: Path, *args: str, timeout: int = 3600) -> dict:
    proc = subprocess.run([sys.executable, str(HERE), "--phase", *args, "--workdir", str(workdir)],
                          capture_output=True, text=True, timeout=timeout)
    found = [json.loads(line[len("RESULT "):]) for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if not found:
        sys.stderr.write(f"phase {args} failed (rc {proc.returncode}):\n{proc.stderr[-3000:]}\n")
    return found[-1] if found else {}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=bench_dir("store-table"))
    parser.add_argument("--phase", choices=["build", "table", "step"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        from caseviewer.core.runtime import fix_malloc_threshold

        fix_malloc_threshold()  # each phase is a process of its own, started as cli.run.main starts one
    if args.phase == "build":
        phase_build(args.workdir, args.cases)
        return 0
    if args.phase == "table":
        phase_table(args.workdir)
        return 0
    if args.phase == "step":
        phase_step(args.workdir)
        return 0

    total_start = time.monotonic()
    count_file = args.workdir / "cases"
    if not count_file.exists() or int(count_file.read_text()) != args.cases:
        args.workdir.mkdir(parents=True, exist_ok=True)
        for stale in args.workdir.glob("big.db*"):
            stale.unlink()
        built = run_phase(args.workdir, "build", "--cases", str(args.cases))
        print(f"[cache built: {built.get('cases', 0):,} cases in {built.get('build_s', 0):.0f} s, "
              f"{built.get('db_mb', 0):.0f} MB, in {args.workdir}]", flush=True)
    else:
        print(f"[cache reused: {args.cases:,} cases in {args.workdir}]", flush=True)
    out = run_phase(args.workdir, "table")
    print(f"[table phase: {json.dumps(out)}]", flush=True)
    if not out:
        return 1
    step = run_phase(args.workdir, "step")
    print(f"[step phase: {json.dumps(step)}]", flush=True)
    if not step:
        return 1

    rows: list[tuple[str, str, str, str]] = []

    def row(name: str, value: str, goal: str, met: bool) -> None:
        rows.append((name, value, goal, "yes" if met else "NO"))

    n = out["first_rows"] or 0
    row(f"first rows after start ({n:,} cases listed)",
        f"{out['first_first_ms']:,.0f} ms (cache opened in {out['open_ms']:.0f} ms; view written at "
        f"{out['first_view_ms']:,.0f} ms)", "<= 300 ms", out["first_first_ms"] <= 300)
    row(f"scrollbar drag to any row -> shown (median / worst of {DRAGS})",
        f"{out['drag_median_ms']:.0f} / {out['drag_max_ms']:.0f} ms ({drag_parts(out)})", "<= 50 ms",
        out["drag_max_ms"] <= 50)
    row("sort by business name -> first rows", f"{out['sort_first_ms']:.0f} ms (view written at "
        f"{out['sort_view_ms']:,.0f} ms)", "<= 300 ms", out["sort_first_ms"] <= 300)
    row(f"+ status filter -> first rows ({out['filter_rows'] or 0:,} cases)", f"{out['filter_first_ms']:.0f} ms "
        f"(view written at {out['filter_view_ms']:,.0f} ms)", "<= 300 ms", out["filter_first_ms"] <= 300)
    row(f"N / Shift+N offline: to the far end of {step['step_rows']:,} rows (down / up)",
        f"{step['step_far_ms']:.0f} / {step['step_far_back_ms']:.0f} ms (on a worker)", "<= 500 ms",
        max(step["step_far_ms"], step["step_far_back_ms"]) <= 500)
    row("N / Shift+N offline: between 300 spread updated cases (median of 20)", f"{step['step_spread_ms']:.1f} ms",
        "<= 50 ms", step["step_spread_ms"] <= 50)
    row("peak RSS", f"{out['maxrss_mb']:.0f} MB (at start {out['rss_start_mb']:.0f} MB)", "<= 200 MB",
        out["maxrss_mb"] <= 200)
    from bench_app import gaps_text

    for name in ("first", "drag", "sort", "filter", "select"):
        gaps = out[f"{name}_gaps"]
        row(f"GUI-thread gaps: {name} ({gaps['ticks']} ticks)", gaps_text(gaps), "p99 <= 16, max <= 33 ms",
            gaps["p99"] <= 16 and gaps["max"] <= 33)
    header = ("measurement", "value", "goal", "met")
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(4)]
    print()
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    print(f"\ntotal: {time.monotonic() - total_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
