"""The full-text index catching up with a sync, in short steps that can be watched and cancelled.

A sync stores cases without their index rows (``CaseCache.put_detail(..., defer_index=True)``)
so it runs at the network's pace; ``build_index`` then writes the queued rows one transaction of
``INDEX_BATCH`` cases at a time. Between two steps a search reads the index as it is (the cases
not yet written are not found yet) and a cancel takes effect; what is left stays queued for the
next run (the next sync, or the window once it opens a cache with a backlog).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from caseviewer.core.cache import INDEX_BATCH, CaseCache

#: progress(written so far, written + still queued)
IndexProgress = Callable[[int, int], None]


def build_index(
    cache: CaseCache,
    *,
    progress: IndexProgress | None = None,
    cancel: threading.Event | None = None,
    batch: int = INDEX_BATCH,
) -> int:
    """Write every queued index row (until ``cancel``); returns how many were written."""
    written = 0
    left = cache.backlog_count()
    if progress is not None and left:
        progress(0, left)
    while left and not (cancel is not None and cancel.is_set()):
        step, left = cache.index_backlog(batch)
        if not step:
            break  # nothing could be taken (another process emptied it): done
        written += step
        if progress is not None:
            progress(written, written + left)
    return written


__all__ = ["build_index"]
