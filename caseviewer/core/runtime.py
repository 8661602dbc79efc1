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

``short_gil_switch_interval`` is for the sync, where one thread writes to SQLite while others
fetch. The SQLite binding lets go of the GIL for every statement step; taking it back waits for
the running fetcher to reach the switch interval (5 ms by default). A synced case costs several
steps, so the writer spent most of its time queueing for the GIL: 0.71 of a plain httpx loop's
throughput at 5 ms, 0.91 at 1 ms (tests/bench/bench_app.py, 3,000 cases).
"""

from __future__ import annotations

import gc
import linecache
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Seconds; CPython's default is 0.005.
SYNC_SWITCH_INTERVAL_S = 0.001
_switch_lock = threading.Lock()
_switch_users = 0
_switch_saved = 0.0


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


__all__ = ["freeze_startup_heap", "short_gil_switch_interval"]
