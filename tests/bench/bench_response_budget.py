"""Benchmark of the response byte budget (run on demand; prints figures, asserts nothing).

    .venv/bin/python tests/bench/bench_response_budget.py [--mb 400] [--bomb-mb 1536]

The audit's experiment of issue 13, item 6: a case detail client with its default options asks a
loopback server for a case whose answer is

1. ``--mb`` MB of JSON with a Content-Length,
2. the same streamed without one (the server sends until it closes),
3. a gzip bomb: ``--bomb-mb`` MB of zeros gzip-compressed (about 1000:1).

Each scenario runs in a fresh child process; it prints the process's peak resident memory
(``ru_maxrss``), what came back and the time it took. Before the budget, 400 MB took about
900 MB and a 1.5 GB bomb about 3 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import zlib

MIB = 1024 * 1024


def bomb(inflated_mb: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MIB)
    return b"".join(packer.compress(block) for _ in range(inflated_mb)) + packer.flush()


def child(scenario: str, size_mb: int) -> None:
    from caseviewer.core.api import CaseDetailClient, RetryPolicy
    from tests.support.recording_server import RecordingServer

    head, tail = b'{"caseDetail": {"id": "x", "pad": "', b'"}}'
    pad = size_mb * MIB - len(head) - len(tail)
    if scenario == "declared":
        def respond(path):
            chunks = [head] + [b"x" * (64 * 1024)] * (pad // (64 * 1024)) + [b"x" * (pad % (64 * 1024)), tail]
            return 200, {"Content-Type": "application/json", "Content-Length": str(size_mb * MIB)}, iter(chunks)
    elif scenario == "streamed":
        def respond(path):
            chunks = [head] + [b"x" * (64 * 1024)] * (pad // (64 * 1024)) + [b"x" * (pad % (64 * 1024)), tail]
            return 200, {"Content-Type": "application/json"}, iter(chunks)
    else:
        body = bomb(size_mb)

        def respond(path):
            return 200, {"Content-Type": "application/json", "Content-Encoding": "gzip"}, body

    with RecordingServer(respond) as server:
        started = time.monotonic()
        try:
            with CaseDetailClient(server.url, api_key="k", retry=RetryPolicy(max_retries=0)) as client:
                detail = client.get_case("x")
            outcome = f"read it all (case {detail.id})"
        except Exception as exc:  # noqa: BLE001 - the figure is what matters here
            outcome = f"{type(exc).__name__}: {exc}"
        elapsed = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"scenario": scenario, "size_mb": size_mb, "peak_rss_mb": round(peak),
                      "seconds": round(elapsed, 2), "outcome": outcome[:160]}))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=400)
    parser.add_argument("--bomb-mb", type=int, default=1536)
    parser.add_argument("--child", nargs=2, metavar=("SCENARIO", "MB"))
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    for scenario, size in (("declared", args.mb), ("streamed", args.mb), ("gzip-bomb", args.bomb_mb)):
        result = subprocess.run([sys.executable, __file__, "--child", scenario, str(size)],
                                capture_output=True, text=True)
        line = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr.strip()[-300:]
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
