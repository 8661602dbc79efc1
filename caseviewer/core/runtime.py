"""Process-wide tuning for a long desktop session (no Qt here).

``freeze_startup_heap`` runs once the window is built. Everything alive at that point (the
imported modules, pydantic's schemas, Qt wrappers: about 60,000 tracked objects) lives until
exit, yet every full garbage-collection pass walked all of it again: 14 passes of up to 50 ms
each, on the GUI thread, while paging through 100,000 cases. Frozen, they are never scanned; the
passes only see objects made since.

It first empties ``linecache``: PySide6's import hook (``shibokensupport.feature``) reads the
source of every module imported after it, through ``inspect.getsource``, to see whether it uses
PySide6, and ``linecache`` keeps every line it read: 340 files, 13 MB, for nothing. A traceback
later reads the lines it needs again.

``fix_malloc_threshold`` runs first thing (``cli.run.main``). glibc gives an allocation of 128 KiB
or more a mapping of its own, returned to the system when freed, but it raises that threshold
(up to 32 MB) each time such a block is freed. From then on the large short-lived buffers of a
listing (each page's response body and text, a block of rows decompressed to draw) come from the
heap instead, where the long-lived rows allocated between them keep the freed space from going
back: listing 100,000 cases online peaked at 149.2 and 149.3 MB with the moving threshold and
at 146.6-147.1 MB with it fixed (``tests/bench/bench_app.py --phase memory``, two and three runs). A
fixed threshold costs a mapping per large buffer, a few microseconds against the milliseconds of
the work that needs it.

``short_gil_switch_interval`` is for the sync, where one thread writes to SQLite while others
fetch. The SQLite binding lets go of the GIL for every statement step; taking it back waits for
the running fetcher to reach the switch interval (5 ms by default). A synced case costs several
steps, so the writer spent most of its time queueing for the GIL: 0.71 of a plain httpx loop's
throughput at 5 ms, 0.91 at 1 ms (tests/bench/bench_app.py, 3,000 cases).
"""

from __future__ import annotations

import ctypes
import gc
import linecache
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Seconds; CPython's default is 0.005.
SYNC_SWITCH_INTERVAL_S = 0.001
_switch_lock = threading.Lock()
_switch_users = 0
_switch_saved = 0.0


#: Bytes: allocations this large get a mapping of their own (glibc's initial value, kept fixed).
MMAP_THRESHOLD_BYTES = 128 * 1024
_M_MMAP_THRESHOLD = -3  # glibc's <malloc.h>


def _glibc() -> bool:
    try:  # os.confstr asks the C library itself (platform.libc_ver reads the whole executable)
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (ValueError, OSError, AttributeError):  # a C library that does not know the name
        return False


def fix_malloc_threshold(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Stop glibc from raising its mmap threshold as large blocks are freed (see the module's
    docstring). True when set; False where the C library is not glibc (nothing to do there)."""
    if not sys.platform.startswith("linux") or not _glibc():
        return False
    try:
        return ctypes.CDLL(None).mallopt(_M_MMAP_THRESHOLD, int(threshold)) == 1
    except (OSError, AttributeError):  # no symbol table to look in, or no mallopt in it
        return False


def freeze_startup_heap() -> None:
    """Drop the source lines read while importing, collect once, then move every surviving
    object out of the collector's sight for good."""
    linecache.clearcache()
    gc.collect()
    gc.freeze()


@contextmanager
def short_gil_switch_interval(seconds: float = SYNC_SWITCH_INTERVAL_S) -> Iterator[None]:
    """Hand the GIL over sooner while the block runs (process-wide; nested and concurrent uses
    share it, and the interval in force before the first comes back after the last)."""
    global _switch_users, _switch_saved
    with _switch_lock:
        if _switch_users == 0:
            _switch_saved = sys.getswitchinterval()
            sys.setswitchinterval(min(seconds, _switch_saved))
        _switch_users += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_saved)


__all__ = ["fix_malloc_threshold", "freeze_startup_heap", "short_gil_switch_interval"]
