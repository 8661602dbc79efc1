"""The offline cache's chores, beside the repository: size, clear, purge, sync, the search index,
and the reviewer's state kept in it.

The window runs these on workers and never reaches the cache, ``sync_all`` or ``build_index``
itself (``tests/unit/test_architecture.py`` says so). Each takes the repository that owns the
cache (``CaseRepository.cache``) and answers "nothing" (None, 0) when it has none, so a window
without a keyring shows its cache commands disabled instead of failing.

The sync and the index builder bring in the cache package (SQLCipher); they are imported when a
chore first runs, so a window without a cache never loads them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from caseviewer.core import errors
from caseviewer.core.repository import CaseRepository

if TYPE_CHECKING:
    from caseviewer.core.reviewer_state import ReviewerState
    from caseviewer.core.sync import SyncReport

#: progress(done, total, failed), called on the worker after each case.
SyncProgress = Callable[[int, int, int], None]


def reviewer_state(repository: CaseRepository) -> ReviewerState | None:
    """The reviewer's flags, notes and last-viewed copies, kept in the cache; None without one."""
    if repository.cache is None:
        return None
    from caseviewer.core.reviewer_state import ReviewerState

    return ReviewerState(repository.cache)


def cache_size(repository: CaseRepository, *, cancel: threading.Event | None = None) -> int | None:
    """Bytes on disk, or None without a cache. Worker thread."""
    cache = repository.cache
    return None if cache is None else cache.size_bytes()


def clear_cache(repository: CaseRepository, *, cancel: threading.Event | None = None) -> int | None:
    """Remove everything cached; returns the size afterwards (None without a cache). Worker."""
    cache = repository.cache
    if cache is None:
        return None
    cache.clear()
    return cache.size_bytes()


def purge_cache(repository: CaseRepository, days: int, *, cancel: threading.Event | None = None) -> tuple[int, int | None]:
    """Drop cases not refreshed for ``days``; returns (cases removed, size afterwards). Worker."""
    cache = repository.cache
    if cache is None or days <= 0:
        return 0, None
    removed = cache.purge_older_than(days)
    return removed, cache.size_bytes()


def build_search_index(
    repository: CaseRepository,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """Write the index rows a sync left queued (``core/search_index.py``); returns how many. Worker."""
    if repository.cache is None:
        return 0
    from caseviewer.core.search_index import build_index

    return build_index(repository.cache, progress=progress, cancel=cancel)


def sync_cases(
    repository: CaseRepository,
    *,
    attachments: bool = False,
    force: bool = False,
    progress: SyncProgress | None = None,
    cancel: threading.Event | None = None,
    on_commit: Callable[[list[str]], None] | None = None,
) -> SyncReport:
    """Every case of the repository's customer into its cache (``core/sync.py``, ``sync_all``;
    ``force``: the cases already cached too). Worker.

    Raises ``ConfigError`` without a cache; otherwise as ``sync_all``.
    """
    if repository.cache is None:
        raise errors.ConfigError("Sync needs an offline cache.")
    from caseviewer.core.sync import sync_all

    return sync_all(repository, attachments=attachments, force=force, progress=progress, cancel=cancel,
                    on_commit=on_commit)


__all__ = [
    "SyncProgress", "build_search_index", "cache_size", "clear_cache", "purge_cache", "reviewer_state", "sync_cases",
]
