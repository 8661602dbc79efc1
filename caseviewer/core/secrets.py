"""Secrets in the OS keyring, behind a small interface, with an explicit "no keyring" state.

Everything secret lives under the keyring service ``caseviewer`` with usernames
``<profile>:<kind>`` (``list_token``, ``password``, ``detail_key``, ``cache_key``). There is no
fallback: when no secure backend is available (keyring's ``fail`` backend, an empty chain, the
``null`` backend, or a keyrings.alt file backend that keeps secrets in a file) or the keyring is
locked or refuses, every call raises ``SecretStoreError`` saying what to install or unlock, and
nothing is written anywhere else. (vorta's plaintext fallback is exactly what we do not do.)

Values never appear in exception text, ``repr`` or logs; messages name the kind of secret only.
"""

from __future__ import annotations

import secrets as _random
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from caseviewer.core import errors
from caseviewer.core.connection_settings import ConnectionSettings, Secrets

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend


SERVICE = "caseviewer"

LIST_TOKEN = "list_token"
PASSWORD = "password"
DETAIL_KEY = "detail_key"
CACHE_KEY = "cache_key"
#: The idle lock's unlock passphrase, only ever as a salted scrypt hash (core/lock_policy.py).
UNLOCK_HASH = "unlock_hash"
KINDS = (LIST_TOKEN, PASSWORD, DETAIL_KEY, CACHE_KEY, UNLOCK_HASH)
CREDENTIAL_KINDS = (LIST_TOKEN, PASSWORD, DETAIL_KEY)
LABELS = {LIST_TOKEN: "list token", PASSWORD: "password", DETAIL_KEY: "detail key", CACHE_KEY: "cache key",
          UNLOCK_HASH: "unlock passphrase"}

CACHE_KEY_BYTES = 32


def list_credential_kind(settings: ConnectionSettings) -> str:
    """The secret the case list signs in with (``ConnectionSettings.signs_in_with_password``)."""
    return PASSWORD if settings.signs_in_with_password else LIST_TOKEN


def needed_kinds(settings: ConnectionSettings) -> list[str]:
    """The secrets a connection signs in with: the list's token or password, and the detail key."""
    kinds = []
    if settings.has_list:
        kinds.append(list_credential_kind(settings))
    if settings.has_detail:
        kinds.append(DETAIL_KEY)
    return kinds


#: The list token and the password are alternatives: storing one drops the other, so a stale
#: token can never win over a freshly stored password (``build_api`` prefers the token).
_ALTERNATIVE = {LIST_TOKEN: PASSWORD, PASSWORD: LIST_TOKEN}


def made_stale_by(kind: str) -> str | None:
    """The secret that storing ``kind`` replaces (and must be deleted), if any."""
    return _ALTERNATIVE.get(kind)

# Backends that "work" but would keep secrets in a file (or drop them): never acceptable.
_REJECTED_MODULE_PREFIXES = ("keyrings.alt.file", "keyring.backends.null", "keyring.backends.fail")


def how_to_fix(platform: str | None = None) -> str:
    """What the user can install or unlock on this platform."""
    platform = platform or sys.platform
    if platform == "darwin":
        advice = "Unlock the macOS Keychain (Keychain Access, login keychain) and try again."
    elif platform.startswith("win"):
        advice = "caseviewer uses Windows Credential Manager; make sure it is available to your account."
    else:
        advice = (
            "Install and unlock a Secret Service keyring (gnome-keyring or KWallet) in your desktop "
            "session; on a headless machine run caseviewer under 'dbus-run-session' with "
            "'gnome-keyring-daemon --unlock'."
        )
    return (
        f"{advice} For automation, CASEVIEWER_LIST_TOKEN and CASEVIEWER_DETAIL_KEY can supply secrets "
        "instead. caseviewer never stores secrets in a file."
    )


def _no_keyring(reason: str) -> errors.SecretStoreError:
    return errors.SecretStoreError(f"{reason} {how_to_fix()}")


def _is_rejected(backend: KeyringBackend) -> bool:
    module = type(backend).__module__ or ""
    return module.startswith(_REJECTED_MODULE_PREFIXES) or "plaintext" in type(backend).__name__.lower()


def _chained(backend: KeyringBackend) -> list[KeyringBackend] | None:
    """The backends a chainer would try, or None when ``backend`` is not a chainer."""
    from keyring.backends.chainer import ChainerBackend

    return list(backend.backends) if isinstance(backend, ChainerBackend) else None


def secure_backend(backend: KeyringBackend | None = None) -> KeyringBackend:
    """The backend to use, or ``SecretStoreError`` when there is no secure one.

    From a chain, the best secure member is used directly: the chainer itself would write to the
    next backend (possibly a plaintext file) when the secure one refuses.
    """
    import keyring  # on first use, not at import: the window's first frame needs no keyring

    backend = backend if backend is not None else keyring.get_keyring()
    chain = _chained(backend)
    if chain is not None:
        usable = [member for member in chain if not _is_rejected(member)]
        if not usable:
            raise _no_keyring("No secure keyring is available.")
        return usable[0]
    if _is_rejected(backend):
        raise _no_keyring("No secure keyring is available.")
    return backend


@dataclass(frozen=True)
class StoredState:
    """Which secrets a profile has in the keyring (never their values)."""

    list_token: bool = False
    password: bool = False
    detail_key: bool = False
    cache_key: bool = False
    unlock_hash: bool = False


class SecretStore:
    """Per-profile secrets in the keyring.

    ``backend`` is looked up on every call unless given, so ``keyring.set_keyring`` (tests, the
    user's keyring configuration) takes effect without rebuilding the store.
    """

    def __init__(self, *, service: str = SERVICE, backend: KeyringBackend | None = None) -> None:
        self.service = service
        self._backend = backend

    def __repr__(self) -> str:
        return f"SecretStore(service={self.service!r})"

    # -- plumbing ------------------------------------------------------------------------------

    def backend(self) -> KeyringBackend:
        return secure_backend(self._backend)

    def _call(self, operation: str, action):
        import keyring.errors

        backend = self.backend()
        try:
            return action(backend)
        except keyring.errors.KeyringLocked as exc:
            raise _no_keyring(f"The keyring is locked, so caseviewer could not {operation}.") from exc
        except (keyring.errors.NoKeyringError, keyring.errors.InitError) as exc:
            raise _no_keyring(f"No keyring is available to {operation}.") from exc
        except keyring.errors.PasswordDeleteError:
            raise
        except (keyring.errors.KeyringError, OSError, RuntimeError) as exc:
            # Only the type: a backend's text is not ours to vouch for.
            raise _no_keyring(f"The keyring refused to {operation} ({type(exc).__name__}).") from exc

    @staticmethod
    def username(profile: str, kind: str) -> str:
        if kind not in KINDS:
            raise ValueError(f"unknown secret kind {kind!r}")
        if not profile or ":" in profile:
            raise errors.ConfigError(f"Invalid profile name {profile!r} for the keyring.")
        return f"{profile}:{kind}"

    # -- one secret ----------------------------------------------------------------------------

    def get(self, profile: str, kind: str) -> str | None:
        user = self.username(profile, kind)
        value = self._call(f"read the {LABELS[kind]}", lambda b: b.get_password(self.service, user))
        return value or None

    def set(self, profile: str, kind: str, value: str) -> None:
        user = self.username(profile, kind)
        if not value:
            raise ValueError("an empty secret cannot be stored; use delete()")
        self._call(f"store the {LABELS[kind]}", lambda b: b.set_password(self.service, user, value))

    def delete(self, profile: str, kind: str) -> bool:
        """Remove one secret; False when there was none."""
        import keyring.errors

        user = self.username(profile, kind)
        try:
            self._call(f"remove the {LABELS[kind]}", lambda b: b.delete_password(self.service, user))
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    # -- a profile's secrets -------------------------------------------------------------------

    def check(self) -> None:
        """Raise ``SecretStoreError`` unless the keyring can be read now (not locked, not missing)."""
        self._call("read secrets", lambda b: b.get_password(self.service, "caseviewer:probe"))

    def status(self) -> tuple[bool, str]:
        try:
            self.check()
            backend = self.backend()
        except errors.SecretStoreError as exc:
            return False, exc.message
        name = getattr(backend, "name", "") or type(backend).__name__
        return True, f"Secrets are kept in the OS keyring ({name})."

    def load(self, profile: str) -> Secrets:
        return Secrets(
            list_token=self.get(profile, LIST_TOKEN),
            password=self.get(profile, PASSWORD),
            detail_key=self.get(profile, DETAIL_KEY),
        )

    def save(self, profile: str, secrets: Secrets) -> list[str]:
        """Store the secrets that are set (None keeps what is stored); returns the kinds stored."""
        stored = []
        for kind in CREDENTIAL_KINDS:
            value = getattr(secrets, kind)
            if value:
                self.set(profile, kind, value)
                stored.append(kind)
        return stored

    def stored(self, profile: str) -> StoredState:
        return StoredState(**{kind: self.get(profile, kind) is not None for kind in KINDS})

    def delete_credentials(self, profile: str) -> list[str]:
        """Remove the sign-in secrets (logout); the cache key stays so the offline cache stays readable."""
        return [kind for kind in CREDENTIAL_KINDS if self.delete(profile, kind)]

    def delete_all(self, profile: str) -> list[str]:
        """Remove every secret of the profile, the cache key too (the profile is going away)."""
        return [kind for kind in KINDS if self.delete(profile, kind)]

    def get_or_create_cache_key(self, profile: str) -> bytes:
        """The profile's 256-bit cache key, created (random) and stored on first use."""
        stored = self.get(profile, CACHE_KEY)
        if stored is not None:
            try:
                key = bytes.fromhex(stored)
            except ValueError:
                key = b""
            if len(key) != CACHE_KEY_BYTES:
                raise errors.SecretStoreError(
                    f"The cache key of profile {profile!r} in the keyring is damaged; "
                    "remove the profile's offline cache and its 'cache_key' keyring entry."
                )
            return key
        key = _random.token_bytes(CACHE_KEY_BYTES)
        self.set(profile, CACHE_KEY, key.hex())
        return key


def _default(store: SecretStore | None) -> SecretStore:
    return store if store is not None else SecretStore()


def keyring_status(store: SecretStore | None = None) -> tuple[bool, str]:
    """``(ok, message)`` for the UI and CLI: where secrets go, or what to install or unlock."""
    return _default(store).status()


def load_secrets(profile: str, store: SecretStore | None = None) -> Secrets:
    return _default(store).load(profile)


def save_secrets(profile: str, secrets: Secrets, store: SecretStore | None = None) -> list[str]:
    return _default(store).save(profile, secrets)


def delete_all(profile: str, store: SecretStore | None = None) -> list[str]:
    return _default(store).delete_all(profile)


def get_or_create_cache_key(profile: str, store: SecretStore | None = None) -> bytes:
    return _default(store).get_or_create_cache_key(profile)


__all__ = [
    "CACHE_KEY",
    "DETAIL_KEY",
    "KINDS",
    "LIST_TOKEN",
    "PASSWORD",
    "SERVICE",
    "SecretStore",
    "StoredState",
    "delete_all",
    "get_or_create_cache_key",
    "how_to_fix",
    "keyring_status",
    "load_secrets",
    "save_secrets",
    "secure_backend",
]
