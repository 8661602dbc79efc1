"""Opening a connection's repository and its offline cache, or saying plainly why there is none.

The cache key lives in the OS keyring. With no usable keyring there is no cache (never a key in a
file), and the reason travels to the UI and CLI so the user knows what to install or unlock.
``open_repository`` is the one place a repository is put together (clients, cache, access log);
``open_session`` wraps it with what the window shows about the connection (a ``Session``), for the
window (``ui/app.py``, ``run_gui``) and every command of the CLI alike (``cli/connect.py``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from caseviewer.core import errors
from caseviewer.core.cache import CaseCache
from caseviewer.core.connection import ConnectionSettings, Secrets, build_api
from caseviewer.core.logs import register_secret
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


@dataclass
class Session:
    """One open connection: its repository, what the window shows about it, what stops with it.

    ``unsaved_name`` names a connection that is no saved profile (the bundled demo) in the
    profile switcher; such a connection has no profile name and, unless ``page_size`` says
    otherwise, lists at the window's default page size (a profile at its own). ``label`` is the
    window title's connection ("" derives it from the settings).
    """

    repository: CaseRepository
    settings: ConnectionSettings = field(default_factory=ConnectionSettings)
    cache_unavailable_reason: str = ""
    unsaved_name: str = ""
    label: str = ""
    #: Cases per list request (None: the window's default).
    page_size: int | None = None
    #: Called by ``stop`` (the demo service the CLI started for this session).
    on_stop: list[Callable[[], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.page_size is None and not self.unsaved_name:
            self.page_size = self.settings.page_size
        if not self.label:
            settings = self.settings
            self.label = settings.name or settings.list_url or settings.detail_url or "caseviewer"

    @property
    def profile_name(self) -> str:
        """The saved profile in use ("" for the demo or flags only), for deep links and the switcher."""
        return "" if self.unsaved_name else self.settings.name

    def stop(self) -> None:
        """Stop what was started for this session; the repository is closed by whoever used it."""
        while self.on_stop:
            self.on_stop.pop()()


def register_secrets(secrets: Secrets) -> None:
    """Mask these secrets in every log line from now on."""
    for value in (secrets.list_token, secrets.password, secrets.detail_key):
        register_secret(value)


def open_session(
    settings: ConnectionSettings,
    secrets: Secrets,
    *,
    offline: bool = False,
    label: str = "",
    unsaved_name: str = "",
) -> Session:
    """The one way a run opens its connection: secrets masked in logs, then ``open_repository``."""
    register_secrets(secrets)
    repository, reason = open_repository(settings, secrets, offline=offline)
    return Session(repository, settings, reason, unsaved_name=unsaved_name, label=label)
