"""The window's words for the offline cache: why there is none, and how big it is.

The chores themselves (size, clear, purge, sync, the search index) are ``core/cache_service.py``;
whether there is a cache is ``CaseRepository.has_cache``.
"""

from __future__ import annotations

from caseviewer.core.cached_search import CachedHit, CachedSearch
from caseviewer.core.text import human_size

#: Shown on the cache actions when the repository has no cache and the window was given no reason.
DEFAULT_NO_CACHE_REASON = "No offline cache: the system keyring is not available"

#: The window's name for the one byte formatter (``core.text.human_size``).
format_bytes = human_size


__all__ = ["DEFAULT_NO_CACHE_REASON", "CachedHit", "CachedSearch", "format_bytes"]
