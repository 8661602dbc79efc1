"""core/heap.py: freed memory goes back to the system on glibc, and the call is safe anywhere."""

from __future__ import annotations

import sys
import threading

import pytest

from caseviewer.core import heap


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


@pytest.mark.skipif(not sys.platform.startswith("linux") or heap._TRIM is None, reason="glibc only")
def test_memory_freed_on_a_thread_goes_back():
    kept = []

    def allocate_and_free() -> None:
        # In a thread's own arena, as a worker parsing a page does: ~100 MB of small blocks, one
        # in a hundred kept (the packed rows that outlive the page), so the freed memory lies
        # between live blocks and glibc returns none of it by itself.
        chunks = [bytes(200) + bytes([i % 256]) * 300 for i in range(200_000)]
        kept.extend(chunks[::100])
        del chunks

    worker = threading.Thread(target=allocate_and_free)
    worker.start()
    worker.join()
    before = rss_kib()
    assert heap.give_back()
    assert rss_kib() < before - 20_000, "most of the freed blocks are returned"


def test_concurrent_calls_do_not_queue():
    with heap._lock:  # another thread is trimming
        assert heap.give_back() is False
