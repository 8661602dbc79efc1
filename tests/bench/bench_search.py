"""Benchmark of the offline full-text search (run on demand; prints figures, asserts nothing).

    .venv/bin/python tests/bench/bench_search.py [--cases 100000] [--dir DIR] [--rebuild]

Builds a cache of ``--cases`` synthetic cached details' index once (kept in ``--dir``, default
``bench_dir("search")``: ``$CASEVIEWER_BENCH_DIR`` or ``~/.cache/caseviewer-bench``, with its
synthetic key beside it; about 5 minutes for
100,000) and reuses it on later runs; a cache written by an older caseviewer is upgraded on open,
so the first run after a schema change also times the index rebuild. Then, for each query: the
time to the first 50 results (median of 5, warm) and the number of hits shown, and how quickly a
search is interrupted when its cancel event is set.

Attachment bodies are left out of the cached details: they do not go into the index and would
only make the file larger.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reused_dirs import bench_dir  # noqa: E402 - the folder above is on the path first

QUERIES = (
    "a", "e", "m", "a a a", "ab", "nau", "nausea", "dosage adjusted", "avery",
    "patient follow up dose clinic", "nausea OR dizziness", '"follow up"', "-x", "NEAR(a b)", "a* b* c* d* e*",
    "zzzznothing",
)


def _strip_bodies(raw: dict) -> dict:
    for holder in ("comments", "notes"):
        for comment in raw.get(holder) or []:
            for att in comment.get("attachments") or []:
                if isinstance(att, dict):
                    att.pop("content", None)
    return raw


def build(path: Path, key: bytes, cases: int) -> None:
    """Index ``cases`` synthetic details. Straight into the index (``cache.fts_rows.index_case``, what
    ``put_detail`` does after storing the JSON): the search never reads the details table, and
    storing 100,000 JSON documents would only make the one-off build slower."""
    from caseviewer.core.cache import fts_rows
    from caseviewer.core.cache import CaseCache
    from caseviewer.demo.data import DemoData

    data = DemoData(cases=cases, seed=11)
    started = time.perf_counter()
    with CaseCache(key=key, path=path) as cache:
        for start in range(0, cases, 5000):
            with cache.transaction() as conn:
                for index in range(start, min(cases, start + 5000)):
                    case_id = data.case_id(index)
                    raw = data.detail(case_id)
                    if raw is not None:
                        fts_rows.index_case(conn, case_id, _strip_bodies(raw), data.list_record(index))
            print(f"  indexed {min(cases, start + 5000):,} of {cases:,} ({time.perf_counter() - started:.0f} s)", flush=True)
        with cache.transaction() as conn:
            fts_rows.optimize_index(conn)
        count = cache.db.connection().execute("SELECT count(*) FROM fts_keys").fetchone()[0]
    print(f"build: {count:,} indexed details in {time.perf_counter() - started:.0f} s, "
          f"{path.stat().st_size / 1e6:.0f} MB", flush=True)


def median_ms(action, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=bench_dir("search"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--result", action="store_true", help="also print the figures as one RESULT json line")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.environ.setdefault("CASEVIEWER_HOME", str(args.dir / "home"))
    path, key_file = args.dir / f"search-{args.cases}.db", args.dir / f"search-{args.cases}.key"
    if args.rebuild or not path.exists() or not key_file.exists():
        for stale in args.dir.glob(f"search-{args.cases}.db*"):
            stale.unlink()
        key_file.write_bytes(os.urandom(32))  # a synthetic bench cache: its key may sit beside it
        build(path, key_file.read_bytes(), args.cases)

    from caseviewer.core.cache import CaseCache

    started = time.perf_counter()
    cache = CaseCache(key=key_file.read_bytes(), path=path)
    print(f"open (with any upgrade of its format): {time.perf_counter() - started:.1f} s")
    count = cache.db.connection().execute("SELECT count(*) FROM fts_keys").fetchone()[0]
    result: dict = {"indexed": count, "queries": {}}
    try:
        for query in QUERIES:
            started = time.perf_counter()
            hits = cache.search_text(query, limit=50)
            cold = (time.perf_counter() - started) * 1000
            warm = median_ms(lambda: cache.search_text(query, limit=50))
            print(f"search {query!r:34} over {count:,}: first {cold:7.1f} ms, median {warm:7.1f} ms, "
                  f"{len(hits)} shown", flush=True)
            result["queries"][query] = {"first_ms": cold, "median_ms": warm, "shown": len(hits)}
        cancel = threading.Event()
        timer = threading.Timer(0.005, cancel.set)
        started = time.perf_counter()
        timer.start()
        try:
            cache.search_text("a a a e e", limit=50, cancel=cancel)
            outcome = "finished before the cancel"
        except Exception as exc:  # noqa: BLE001 - a benchmark prints what happened
            outcome = type(exc).__name__
        returned_ms = (time.perf_counter() - started) * 1000
        print(f"cancel after 5 ms: returned after {returned_ms:.1f} ms ({outcome})")
        result["cancel_returned_ms"], result["cancel_outcome"] = returned_ms, outcome
    finally:
        cache.close()
    if args.result:
        print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
