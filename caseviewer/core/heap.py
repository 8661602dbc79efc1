"""Freed heap memory handed back to the system while a long list is paged in (glibc only).

Paging through 100,000 cases parses 200 list pages on the worker threads. Each page's JSON, its
parsed records and its SQLite write-through (a few MB) are freed once the page is packed, but
glibc keeps freed memory in the arena of the thread that allocated it and gives back to the
system only what lies at the top of a heap. At the end of such a listing 7 MB of the resident
set was memory already freed (``malloc_trim`` gave it back: 161.7 -> 154.4 MB,
``tests/bench/bench_app.py --phase memory``).

``give_back`` runs ``malloc_trim(0)`` (every arena). It is meant for a worker, before it fetches
the next page: ctypes lets go of the GIL for the call (0.3-0.7 ms median, 10 ms at worst on this
machine), so the GUI thread does not wait for it. Concurrent calls do not queue: one trims, the
others return. Where there is no glibc (macOS, Windows, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import threading

_lock = threading.Lock()


def _malloc_trim():  # noqa: ANN202 - a ctypes function or None
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim  # glibc's; absent from musl
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


_TRIM = _malloc_trim()


def give_back() -> bool:
    """Return freed heap memory to the system; False when nothing was done (no glibc, or another
    thread is at it)."""
    if _TRIM is None or not _lock.acquire(blocking=False):
        return False
    try:
        _TRIM(0)
        return True
    finally:
        _lock.release()


__all__ = ["give_back"]
