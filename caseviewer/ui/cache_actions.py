"""Small cache chores for the window, run on a worker: size on disk, clear.

They go through the repository's cache object (never sqlite directly), and tolerate a
repository without a cache.
"""

from __future__ import annotations

import threading

from caseviewer.core.repository import CachedHit, CachedSearch, CaseRepository
from caseviewer.core.text import human_size

#: Shown on the cache actions when the repository has no cache and the window was given no reason.
DEFAULT_NO_CACHE_REASON = "No offline cache: the system keyring is not available"


def has_cache(repository: CaseRepository) -> bool:
    return getattr(repository, "cache", None) is not None


#: The window's name for the one byte formatter (``core.text.human_size``).
format_bytes = human_size


def cache_size(repository: CaseRepository, *, cancel: threading.Event | None = None) -> int | None:
    """Bytes on disk, or None without a cache. Worker thread."""
    cache = getattr(repository, "cache", None)
    return None if cache is None else cache.size_bytes()


def clear_cache(repository: CaseRepository, *, cancel: threading.Event | None = None) -> int | None:
    """Remove everything cached; returns the size afterwards. Worker thread."""
    cache = getattr(repository, "cache", None)
    if cache is None:
        return None
    cache.clear()
    return cache.size_bytes()


def search_cached_text(
    repository: CaseRepository, text: str, *, limit: int = 200, cancel: threading.Event | None = None
) -> CachedSearch:
    """Full-text search over the offline cache (see ``CaseRepository.find_cached``). Worker."""
    return repository.find_cached(text, limit=limit, cancel=cancel)  # superseded: interrupted


def purge_cache(repository: CaseRepository, days: int, *, cancel: threading.Event | None = None) -> tuple[int, int | None]:
    """Drop cases not refreshed for ``days``; returns (cases removed, size afterwards). Worker."""
    cache = getattr(repository, "cache", None)
    if cache is None or days <= 0:
        return 0, None
    removed = cache.purge_older_than(days)
    return removed, cache.size_bytes()


__all__ = [
    "DEFAULT_NO_CACHE_REASON",
    "CachedHit",
    "CachedSearch",
    "cache_size",
    "clear_cache",
    "format_bytes",
    "has_cache",
    "purge_cache",
    "search_cached_text",
]
