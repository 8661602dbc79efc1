"""Opening a connection's repository and its offline cache, or saying plainly why there is none.

The cache key lives in the OS keyring. With no usable keyring there is no cache (never a key in a
file), and the reason travels to the UI and CLI so the user knows what to install or unlock.
``open_repository`` is the one place a repository is put together (clients, cache, access log),
for the GUI's composition root (``ui/app.py``) and the CLI alike.
"""

from __future__ import annotations

import hashlib
import logging

from caseviewer.core import errors
from caseviewer.core.cache import CaseCache
from caseviewer.core.connection import ConnectionSettings, Secrets, build_api
from caseviewer.core.repository import CaseRepository
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


def open_repository(settings: ConnectionSettings, secrets: Secrets, *, offline: bool = False) -> tuple[CaseRepository, str]:
    """(repository, why there is no cache or ""); ``offline`` reads the cache only.

    Offline needs no credentials: when they are missing or rejected the clients are left empty and
    everything comes from the cache. Without a cache, offline is an ``OfflineError``.
    """
    cache, reason = open_offline_cache(settings)
    if offline and cache is None:
        raise errors.OfflineError(reason or "No offline cache is available.")
    try:
        api = build_api(settings, secrets)
    except (errors.AuthError, errors.ConfigError):
        if not offline:
            raise
        from caseviewer.core.api import CaseApi

        api = CaseApi()  # offline needs no credentials: everything comes from the cache
    repository = CaseRepository(api, document_format=settings.document_format, cache=cache, offline=offline)
    if cache is not None:
        from caseviewer.core.access_log import AccessLog

        repository.access_log = AccessLog(cache, profile=cache_name(settings))
    return repository, reason
