"""Benchmark of the offline cache and sync (run on demand; prints figures, asserts nothing).

    /work/venv/bin/python tests/bench/bench_cache.py [--cases 10000] [--list-cases 100000]

1. ``sync_all`` of ``--cases`` cases from the demo service, run in a separate process so the
   server does not share this process's GIL (cases/s, per concurrency level; ``--nodelay``
   removes the demo server's delayed-ACK floor to show the sync's own rate);
2. the cache's own write rate for the same details, without HTTP (details/s);
3. opening a ``--list-cases`` case cache and reading the first table page and all list records;
4. full-text queries over the synced details.

Everything lives in a temporary CASEVIEWER_HOME that is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = Path(tempfile.mkdtemp(prefix="caseviewer-bench-"))
os.environ["CASEVIEWER_HOME"] = str(HOME)

from caseviewer.core.api import (  # noqa: E402 - CASEVIEWER_HOME must be set first
    BearerToken,
    CaseApi,
    CaseDetailClient,
    CaseListClient,
    CasePage,
    CaseQuery,
    SortField,
)
from caseviewer.core.cache import CaseCache  # noqa: E402
from caseviewer.core.models import CaseRecord  # noqa: E402
from caseviewer.core.sync import sync_all  # noqa: E402
from caseviewer.demo.data import DemoData  # noqa: E402

SERVER = """
import sys
from caseviewer.demo.api_handler import ApiHandler
from caseviewer.demo.files_handler import FilesHandler
from caseviewer.demo.server import DemoConfig, DemoService
if sys.argv[2] == "nodelay":
    # The demo writes headers and body separately; without TCP_NODELAY each answer waits ~40 ms
    # for a delayed ACK (Nagle), which then dominates the sync rate.
    for handler in (ApiHandler, FilesHandler):
        handler.disable_nagle_algorithm = True
svc = DemoService(DemoConfig(cases=int(sys.argv[1]), seed=3)).start()
print(svc.list_url, svc.detail_url, svc.customer_id, svc.list_token, svc.detail_key, flush=True)
sys.stdin.read()  # run until the benchmark closes our stdin
svc.stop()
"""


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def median_ms(action, repeat: int = 5) -> float:
    return statistics.median(timed(action)[0] for _ in range(repeat))


def bench_sync(cases: int, concurrencies: list[int], nodelay: bool) -> tuple[Path, bytes]:
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(cases), "nodelay" if nodelay else "as-is"],
                              stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        list_url, detail_url, customer_id, token, detail_key = server.stdout.readline().split()
        api = CaseApi(
            list=CaseListClient(list_url, customer_id=customer_id, credential=BearerToken(token)),
            detail=CaseDetailClient(detail_url, api_key=detail_key),
        )
        key = os.urandom(32)
        path = HOME / "synced.db"
        for concurrency in concurrencies:
            with CaseCache(key=key, path=path) as cache:
                report = sync_all(api, cache, customer_id, concurrency=concurrency, force=True)
                size = cache.size_bytes()
            print(f"sync {report.total:,} cases{' (server TCP_NODELAY)' if nodelay else ''}, concurrency {concurrency:2d}: {report.elapsed:6.1f} s, "
                  f"{report.total / report.elapsed:7.1f} cases/s ({report.fetched:,} details, "
                  f"{report.list_only:,} list-only, {len(report.failed)} failed), db {size / 1e6:.1f} MB")
        with CaseCache(key=key, path=path) as cache:
            ms, report = timed(lambda: sync_all(api, cache, customer_id))
            print(f"sync rerun (all {report.skipped:,} skipped): {ms:.0f} ms")
        api.close()
        return path, key
    finally:
        server.stdin.close()
        server.wait()


def bench_writes(cases: int) -> None:
    data = DemoData(cases, seed=3)
    details = [d for d in (data.detail(data.case_id(i), document_format="url",
                                       url_for=lambda a, n: f"https://files.example.test/{a}")
                           for i in range(cases)) if d is not None]
    with CaseCache(key=os.urandom(32), path=HOME / "writes.db") as cache:
        started = time.perf_counter()
        for start in range(0, len(details), 50):
            with cache.transaction():
                for raw in details[start:start + 50]:
                    cache.put_detail(raw, keep_bodies=False)
        elapsed = time.perf_counter() - started
    print(f"cache writes alone: {len(details):,} details in {elapsed:.1f} s = {len(details) / elapsed:,.0f} details/s")


def bench_big_list(cases: int) -> None:
    data = DemoData(cases, seed=9)
    key = os.urandom(32)
    path = HOME / "big.db"
    started = time.perf_counter()
    with CaseCache(key=key, path=path) as cache:
        for start in range(0, cases, 500):
            raws = [data.list_record(i) for i in range(start, min(cases, start + 500))]
            page = CasePage(CaseQuery(page=start // 500 + 1, items_per_page=500),
                            [CaseRecord.model_validate(r) for r in raws], 0, cases,
                            raw={"data": {"records": raws}})
            cache.put_list_page(data.customer_id, page)
    print(f"build {cases:,}-record list cache: {time.perf_counter() - started:.1f} s, "
          f"{path.stat().st_size / 1e6:.1f} MB")

    ms, cache = timed(lambda: CaseCache(key=key, path=path))
    print(f"open {cases:,}-case cache: {ms:.1f} ms")
    ms, first = timed(lambda: cache.list_for_query(data.customer_id, CaseQuery(items_per_page=50)))
    print(f"first table page (50 of {first.total:,}), cold: {ms:.1f} ms; warm median: "
          f"{median_ms(lambda: cache.list_for_query(data.customer_id, CaseQuery(items_per_page=50))):.1f} ms")
    print(f"page 1,000 by business name: "
          f"{median_ms(lambda: cache.list_for_query(data.customer_id, CaseQuery(page=1001, items_per_page=50, sort_field=SortField.BUSINESS_NAME))):.1f} ms")
    print(f"search 'clinic' + status filter, first page: "
          f"{median_ms(lambda: cache.list_for_query(data.customer_id, CaseQuery(items_per_page=50, search='clinic', statuses=(4, 5, 6)))):.1f} ms")
    ms, everything = timed(lambda: cache.list_for_query(data.customer_id, CaseQuery(paginate=False)))
    print(f"all {len(everything.records):,} list records (parsed): {ms:.0f} ms")
    cache.close()


def bench_full_text(path: Path, key: bytes) -> None:
    with CaseCache(key=key, path=path) as cache:
        count = cache.detail_count()
        for query in ("nausea", "Examplex", "dosage adjusted", "avery", "zzzznothing"):
            hits = cache.search_text(query, limit=50)
            print(f"full text {query!r} over {count:,} details: "
                  f"{median_ms(lambda: cache.search_text(query, limit=50)):.1f} ms ({len(hits)} hits shown)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--list-cases", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[4, 16])
    parser.add_argument("--nodelay", action="store_true",
                        help="set TCP_NODELAY on the demo server (removes its ~40 ms per-answer floor)")
    args = parser.parse_args()
    try:
        path, key = bench_sync(args.cases, args.concurrency, args.nodelay)
        bench_writes(args.cases)
        bench_full_text(path, key)
        bench_big_list(args.list_cases)
    finally:
        shutil.rmtree(HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
