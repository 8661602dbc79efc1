"""Opening the offline cache for a connection, or saying plainly why there is none.

The cache key lives in the OS keyring. With no usable keyring there is no cache (never a key in a
file), and the reason travels to the UI and CLI so the user knows what to install or unlock.
"""

from __future__ import annotations

import hashlib
import logging

from caseviewer.core import errors
from caseviewer.core.cache import CaseCache
from caseviewer.core.connection import ConnectionSettings
from caseviewer.core.secrets import get_or_create_cache_key

log = logging.getLogger(__name__)


def cache_name(settings: ConnectionSettings) -> str:
    """The profile's name, or for a flags-only connection a stable name derived from its endpoints."""
    if settings.name:
        return settings.name
    endpoints = "|".join([settings.list_url or "", settings.customer_id or "", settings.detail_url or ""])
    return "adhoc-" + hashlib.sha256(endpoints.encode()).hexdigest()[:12]


def open_offline_cache(settings: ConnectionSettings) -> tuple[CaseCache | None, str]:
    """(cache, "") when it opens; (None, reason) when the keyring or the cache file is unusable."""
    name = cache_name(settings)
    try:
        key = get_or_create_cache_key(name)
        return CaseCache(name, key), ""
    except errors.SecretStoreError as exc:
        log.warning("offline cache disabled: no keyring")
        return None, f"No offline cache: {exc.message}"
    except errors.CacheError as exc:
        log.warning("offline cache could not be opened")
        return None, exc.message
