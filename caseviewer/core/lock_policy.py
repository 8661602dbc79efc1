"""Rules of the workstation safeguards: the idle timeout, the organisation policy, unlocking.

**Idle timeout.** Default 10 minutes, at least 1. A reviewer sets it per profile; an organisation
fixes it for everyone with a policy file (the first that exists wins):

* ``$CASEVIEWER_POLICY`` (a path; for tests and managed installs),
* ``/etc/caseviewer/policy.toml`` (Linux), ``/Library/Application Support/caseviewer/policy.toml``
  (macOS), ``%PROGRAMDATA%\\caseviewer\\policy.toml`` (Windows),
* ``policy.toml`` in caseviewer's config folder (portable installs).

::

    [lock]
    idle_minutes = 5              # fixed for every profile; the reviewer cannot change it
    [privacy]
    exclude_from_capture = true   # Windows / macOS: keep the window out of screen capture
    [access_log]
    min_retention_days = 2196     # never purge entries younger than this (default 6 years)

A damaged policy file is reported and ignored value by value (never a crash, never a looser
value than the default silently: a bad ``idle_minutes`` falls back to 10).

**Unlocking.** A profile that signs in with email + password unlocks with that password, compared
in constant time (``hmac.compare_digest``) with the keyring copy, so it works offline. Any other
profile (a pasted token, the demo) unlocks with a passphrase the reviewer sets the first time the
app locks; only a salted scrypt hash of it is kept, in the keyring under ``<profile>:unlock_hash``
(a connection without a profile or without a keyring keeps the hash in memory for the session).
Five wrong tries in a row close the app. Keyring reads and scrypt take tens of milliseconds or
more: callers run ``check`` and ``set_passphrase`` on a worker.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets as _random
import sys
import tomllib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from caseviewer.core import errors, paths
from caseviewer.core.secrets import PASSWORD, UNLOCK_HASH, SecretStore

log = logging.getLogger(__name__)

DEFAULT_IDLE_MINUTES = 10
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 24 * 60
MAX_UNLOCK_ATTEMPTS = 5
MIN_PASSPHRASE_CHARS = 6
ENV_POLICY = "CASEVIEWER_POLICY"

#: scrypt cost: 2**15 x 8 x 1 is about 32 MiB and a few tens of ms, the OWASP minimum.
SCRYPT_LOG_N = 15
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
_SCRYPT_MAXMEM = 64 * 1024 * 1024


@dataclass(frozen=True)
class Policy:
    """What an organisation's policy file fixes (None: not fixed) and where it came from."""

    idle_minutes: int | None = None
    exclude_from_capture: bool | None = None
    min_retention_days: int | None = None
    source: Path | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)


def policy_paths(environ=None, platform: str | None = None) -> list[Path]:
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    found = [Path(env[ENV_POLICY])] if env.get(ENV_POLICY) else []
    if platform == "darwin":
        found.append(Path("/Library/Application Support/caseviewer/policy.toml"))
    elif platform.startswith("win"):
        found.append(Path(env.get("PROGRAMDATA", r"C:\ProgramData")) / "caseviewer" / "policy.toml")
    else:
        found.append(Path("/etc/caseviewer/policy.toml"))
    found.append(paths.config_dir() / "policy.toml")
    return found


def load_policy(candidates: list[Path] | None = None) -> Policy:
    """The first policy file that exists, read leniently; ``Policy()`` when there is none."""
    for path in candidates if candidates is not None else policy_paths():
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        except OSError as exc:
            log.warning("policy file %s unreadable: %s", path, exc.strerror)
            return Policy(source=path, problems=(f"{path} cannot be read ({exc.strerror}).",))
        return parse_policy(text, path)
    return Policy()


def parse_policy(text: str, path: Path | None = None) -> Policy:
    problems: list[str] = []
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Policy(source=path, problems=(f"{path or 'policy'} is not valid TOML ({exc}).",))

    def table(name: str) -> dict:
        value = data.get(name, {})
        if not isinstance(value, dict):
            problems.append(f"[{name}] must be a table.")
            return {}
        return value

    idle = table("lock").get("idle_minutes")
    if idle is not None and (isinstance(idle, bool) or not isinstance(idle, int)):
        problems.append("lock.idle_minutes must be a whole number of minutes.")
        idle = DEFAULT_IDLE_MINUTES
    capture = table("privacy").get("exclude_from_capture")
    if capture is not None and not isinstance(capture, bool):
        problems.append("privacy.exclude_from_capture must be true or false.")
        capture = None
    retention = table("access_log").get("min_retention_days")
    if retention is not None and (isinstance(retention, bool) or not isinstance(retention, int) or retention < 0):
        problems.append("access_log.min_retention_days must be a whole number of days.")
        retention = None
    for problem in problems:
        log.warning("policy file: %s", problem)
    return Policy(
        idle_minutes=clamp_idle_minutes(idle) if idle is not None else None,
        exclude_from_capture=capture,
        min_retention_days=retention,
        source=path,
        problems=tuple(problems),
    )


def clamp_idle_minutes(value: object) -> int:
    try:
        minutes = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return DEFAULT_IDLE_MINUTES
    return max(MIN_IDLE_MINUTES, min(MAX_IDLE_MINUTES, minutes))


def idle_minutes(profile_setting: object, policy: Policy) -> int:
    """The timeout in force: the policy's when it fixes one, else the profile's, else 10."""
    if policy.idle_minutes is not None:
        return policy.idle_minutes
    return clamp_idle_minutes(profile_setting if profile_setting not in (None, "") else DEFAULT_IDLE_MINUTES)


# --------------------------------------------------------------------------------------------
# Unlock secrets
# --------------------------------------------------------------------------------------------


class UnlockMethod(str, Enum):
    PASSWORD = "password"  # the profile's sign-in password, checked against the keyring copy
    PASSPHRASE = "passphrase"  # an unlock passphrase, stored only as a salted scrypt hash


class UnlockOutcome(str, Enum):
    UNLOCKED = "unlocked"
    WRONG = "wrong"
    LOCKED_OUT = "locked_out"  # the fifth wrong try: the app closes


def hash_passphrase(passphrase: str, *, salt: bytes | None = None, log_n: int = SCRYPT_LOG_N) -> str:
    """``scrypt$<log2 N>$<r>$<p>$<salt hex>$<hash hex>`` for ``passphrase`` with a fresh salt."""
    salt = salt if salt is not None else _random.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=2**log_n, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=_SCRYPT_MAXMEM, dklen=32)
    return f"scrypt${log_n}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def passphrase_matches(passphrase: str, stored: str) -> bool:
    try:
        scheme, log_n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(passphrase.encode("utf-8"), salt=bytes.fromhex(salt), n=2 ** int(log_n),
                                   r=int(r), p=int(p), maxmem=_SCRYPT_MAXMEM, dklen=len(bytes.fromhex(digest)))
    except (ValueError, OverflowError, MemoryError):
        log.warning("the stored unlock passphrase hash is damaged")
        return False
    return hmac.compare_digest(candidate.hex(), digest)


class UnlockVerifier:
    """Checks the secret that unlocks a locked window for one profile (see the module docstring).

    ``profile`` None or "" (a connection without a profile, the demo): passphrase in memory only.
    """

    def __init__(self, profile: str | None, store: SecretStore | None = None,
                 *, log_n: int = SCRYPT_LOG_N) -> None:
        self.profile = profile or None
        self.store = store or SecretStore()
        self._log_n = log_n
        self._session_hash: str | None = None
        self.failures = 0

    def _get(self, kind: str) -> str | None:
        if self.profile is None:
            return None
        try:
            return self.store.get(self.profile, kind)
        except errors.SecretStoreError:
            return None

    def method(self) -> UnlockMethod:
        """Keyring read: call on a worker."""
        return UnlockMethod.PASSWORD if self._get(PASSWORD) else UnlockMethod.PASSPHRASE

    def has_passphrase(self) -> bool:
        return self._session_hash is not None or self._get(UNLOCK_HASH) is not None

    def set_passphrase(self, passphrase: str) -> bool:
        """Store the hash; True when it went to the keyring, False when kept for this session only."""
        if len(passphrase) < MIN_PASSPHRASE_CHARS:
            raise errors.ConfigError(f"The unlock passphrase needs at least {MIN_PASSPHRASE_CHARS} characters.")
        stored = hash_passphrase(passphrase, log_n=self._log_n)
        self._session_hash = stored
        if self.profile is None:
            return False
        try:
            self.store.set(self.profile, UNLOCK_HASH, stored)
        except errors.SecretStoreError:
            return False
        return True

    def matches(self, secret: str) -> bool:
        """Whether ``secret`` unlocks (keyring read and scrypt: call on a worker)."""
        if not secret:
            return False
        password = self._get(PASSWORD)
        if password is not None:
            return hmac.compare_digest(secret.encode("utf-8"), password.encode("utf-8"))
        stored = self._get(UNLOCK_HASH) or self._session_hash
        return stored is not None and passphrase_matches(secret, stored)

    def check(self, secret: str) -> UnlockOutcome:
        """One try: counts wrong ones; the fifth in a row is ``LOCKED_OUT``."""
        if self.matches(secret):
            self.failures = 0
            return UnlockOutcome.UNLOCKED
        self.failures += 1
        return UnlockOutcome.LOCKED_OUT if self.failures >= MAX_UNLOCK_ATTEMPTS else UnlockOutcome.WRONG

    @property
    def tries_left(self) -> int:
        return max(0, MAX_UNLOCK_ATTEMPTS - self.failures)


__all__ = [
    "DEFAULT_IDLE_MINUTES",
    "MAX_UNLOCK_ATTEMPTS",
    "MIN_IDLE_MINUTES",
    "Policy",
    "UnlockMethod",
    "UnlockOutcome",
    "UnlockVerifier",
    "clamp_idle_minutes",
    "hash_passphrase",
    "idle_minutes",
    "load_policy",
    "parse_policy",
    "passphrase_matches",
    "policy_paths",
]
