"""Run every benchmark script in this folder, one process each, and print their figures.

``./dev bench`` calls this. Benchmarks print numbers; they assert nothing and are not part of the
test suite (timings on a shared 2-core machine are not pass/fail material).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    """``argv``: names that pick the scripts (``app`` picks bench_app.py), then options passed on
    to the scripts picked, from the first one that starts with "-" (``--search``, ``--cases 5000``)."""
    first_option = next((i for i, arg in enumerate(argv) if arg.startswith("-")), len(argv))
    names, options = argv[:first_option], argv[first_option:]
    if options and not names:
        print("name the benchmark the options are for, e.g. ./dev bench app --search", file=sys.stderr)
        return 2
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if any(name in s.name for name in names)]
    failed = []
    for script in scripts:
        print(f"\n=== {script.name} ===", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(script), *options], cwd=HERE.parents[1])
        print(f"--- {script.name}: exit {result.returncode} in {time.monotonic() - started:.1f} s", flush=True)
        if result.returncode:
            failed.append(script.name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
