"""The case table as a view over the cache, at a million cached cases (prints a table, asserts nothing).

Run as a script (not collected by pytest)::

    .venv/bin/python tests/bench/bench_store_table.py [--workdir DIR] [--cases 1000000]

The cache file is built once into ``--workdir`` (outside the repository; default under the
system's temporary directory) and reused by later runs: 50,000 demo cases go in through
``CaseCache.put_list_page`` (the real write path), then SQL copies them under new ids up to
``--cases`` (a million real writes would take an hour on a small machine; the table reads only
the list records, which the copies have in full). Each measurement runs in a child process
(``--phase``) so peak memory is its own:

* first rows: ``StoreTableModel.reset_for_query`` -> the first window shown in a ``QTableView``;
* the view written (every id of the order in the temporary table);
* drag: the scrollbar set to a random row -> that row's window shown (median and worst of 20);
* sort by business name, and a status filter on top: -> first rows shown, and view written;
* peak RSS of the process; GUI-thread gaps (p99 and max) across all of it.
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
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "caseviewer-bench-store-table")
    parser.add_argument("--phase", choices=["build", "table"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "build":
        phase_build(args.workdir, args.cases)
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
