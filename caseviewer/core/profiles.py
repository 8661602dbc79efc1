"""Connection profiles: the non-secret settings of each named connection, in one TOML file.

A profile names both endpoints (list base URL + customer ID, detail base URL), the sign-in email,
and how the window presents it (environment label, colour). Secrets are never here: they live in
the OS keyring under the profile's name (``secrets.py``).

The file is ``config_dir()/profiles.toml``, meant to be read (and, carefully, edited) by people::

    last_profile = "staging"

    [profiles."staging"]
    environment = "STAGING"
    list_url = "https://api.example.com/case/api/v1"
    customer_id = "..."

It is read with ``tomllib`` and written by the small writer below (flat tables of str/int/bool are
all it holds), atomically (temp file + ``os.replace``) and readable by its owner only (0600).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from caseviewer.core import errors
from caseviewer.core.query import DocumentFormat
from caseviewer.core.connection_settings import SETTING_FIELDS, ConnectionSettings
from caseviewer.core.paths import config_dir

FILE_NAME = "profiles.toml"

# Profile names become keyring usernames ("<name>:list_token") and TOML keys, so no ":" and
# nothing a shell or a file system would trip over.
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
NAME_RULES = "1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit"

PAGE_SIZE_RANGE = (1, 500)
ENVIRONMENT_MAX = 40
COLOR_PATTERN = re.compile(r"#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

_HEADER = (
    "# caseviewer connection profiles.\n"
    "# No secrets here: tokens, passwords and API keys live in the OS keyring (caseviewer login).\n"
)


@dataclass(frozen=True)
class Profile(ConnectionSettings):
    """One named connection: the connection's fields (``ConnectionSettings``) under a name that is
    required here (secrets and the cache are keyed by it). Either half may be missing, not both."""

    name: str  # redeclared without a default; it keeps its place as the first field

    @property
    def halves(self) -> str:
        """Which halves are configured: "list+detail", "list" or "detail" (for listings)."""
        return "+".join(half for half, present in (("list", self.has_list), ("detail", self.has_detail)) if present)

    def validated(self) -> "Profile":
        """A normalised copy, or ``ConfigError`` saying what is wrong and how to fix it."""
        return validate_profile(self)

    def to_settings(self) -> ConnectionSettings:
        """The same fields as plain settings (what ``resolve`` overrides with flags and env)."""
        return ConnectionSettings(**{key: getattr(self, key) for key in SETTING_FIELDS})


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def check_name(name: str) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise errors.ConfigError(f"Invalid profile name {name!r}: use {NAME_RULES}.")
    return name


def check_url(url: str, *, what: str, allow_insecure: bool = False) -> str:
    """``url`` normalised (no trailing slash), or ``ConfigError``.

    Plain ``http://`` is only for loopback (the demo service) unless explicitly allowed: the
    credentials and PHI would otherwise cross the network in clear text.
    """
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise errors.ConfigError(f"The {what} is not a valid URL.") from None
    if parts.scheme not in ("http", "https") or not host:
        raise errors.ConfigError(f"The {what} must be an http:// or https:// URL with a host name.")
    if parts.username or parts.password:
        # A user:password@ would put a secret into the profile file.
        raise errors.ConfigError(f"The {what} must not contain a user name or password; use 'caseviewer login'.")
    if parts.query or parts.fragment or _CONTROL.search(text) or " " in text:
        raise errors.ConfigError(f"The {what} must be a base URL without spaces, query or fragment.")
    from caseviewer.core.http.rules import is_loopback  # imports httpx: not before a URL is checked

    if parts.scheme == "http" and not allow_insecure and not is_loopback(host):
        raise errors.ConfigError(
            f"The {what} uses plain http:// to {host}, which would send credentials and case data "
            "unencrypted. Use https://, or pass --allow-insecure if you really mean it."
        )
    return text.rstrip("/")


def _check_text(value: str | None, *, what: str, limit: int = 200) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if _CONTROL.search(text) or len(text) > limit:
        raise errors.ConfigError(f"The {what} must be at most {limit} characters without control characters.")
    return text


def validate_profile(profile: Profile) -> Profile:
    check_name(profile.name)
    insecure = bool(profile.allow_insecure)
    list_url = check_url(profile.list_url, what="list URL", allow_insecure=insecure) if profile.list_url else None
    detail_url = (
        check_url(profile.detail_url, what="detail URL", allow_insecure=insecure) if profile.detail_url else None
    )
    auth_url = check_url(profile.auth_url, what="auth URL", allow_insecure=insecure) if profile.auth_url else None
    customer_id = _check_text(profile.customer_id, what="customer ID")
    email = _check_text(profile.email, what="email")
    if email is not None and (" " in email or "@" not in email.strip("@")):
        raise errors.ConfigError(f"The email {email!r} does not look like an email address.")
    if not list_url and not detail_url:
        raise errors.ConfigError(
            f"Profile {profile.name!r} has neither service: give --list-url (with --customer-id) "
            "and/or --detail-url."
        )
    if list_url and not customer_id:
        raise errors.ConfigError("The case list needs a customer ID: add --customer-id.")
    if not list_url and (customer_id or auth_url or email):
        raise errors.ConfigError(
            "--customer-id, --auth-url and --email belong to the case list: add --list-url, or leave them out."
        )
    try:
        page_size = int(profile.page_size)
    except (TypeError, ValueError):
        page_size = 0
    low, high = PAGE_SIZE_RANGE
    if isinstance(profile.page_size, bool) or not low <= page_size <= high:
        raise errors.ConfigError(f"The page size must be a whole number from {low} to {high}.")
    try:
        document_format = DocumentFormat(str(getattr(profile.document_format, "value", profile.document_format)
                                             or DocumentFormat.BASE64.value).lower())
    except ValueError:
        raise errors.ConfigError("The document format must be 'base64' or 'url'.") from None
    color = (profile.color or "").strip()
    if color:
        match = COLOR_PATTERN.fullmatch(color)
        if not match:
            raise errors.ConfigError(f"The colour {color!r} is not a hex colour like #1f6feb.")
        digits = match.group(1)
        color = "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits)).lower()
    environment = _check_text(profile.environment, what="environment label", limit=ENVIRONMENT_MAX) or ""
    return Profile(
        name=profile.name,
        list_url=list_url,
        auth_url=auth_url,
        customer_id=customer_id,
        detail_url=detail_url,
        email=email,
        page_size=page_size,
        document_format=document_format,
        color=color,
        environment=environment,
        allow_insecure=insecure,
    )


# --------------------------------------------------------------------------------------------
# TOML writing (tomllib only reads)
# --------------------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped."""
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(key: str) -> str:
    """A bare key when TOML allows one (easier to read), else a quoted one."""
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def toml_value(value: str | int | bool) -> str:
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def dump_toml(top: Mapping[str, str | int | bool], tables: Iterable[tuple[tuple[str, ...], Mapping]]) -> str:
    """Top-level keys, then ``[a.b]`` tables of scalars; keys quoted where TOML needs it."""
    lines = [f"{toml_key(key)} = {toml_value(value)}" for key, value in top.items()]
    for path, table in tables:
        lines.append("")
        lines.append("[" + ".".join(toml_key(part) for part in path) + "]")
        lines += [f"{toml_key(key)} = {toml_value(value)}" for key, value in table.items()]
    return "\n".join(lines) + "\n"


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


# --------------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------------

_FIELDS = [key for key in SETTING_FIELDS if key != "name"]


def _to_table(profile: Profile) -> dict[str, str | int | bool]:
    """Only what differs from the defaults and is set, so the file stays short and readable."""
    values = asdict(profile)
    table: dict[str, str | int | bool] = {}
    for key in _FIELDS:
        value = values[key]
        if value is None or value == "" or (key == "allow_insecure" and not value):
            continue
        table[key] = value.value if isinstance(value, DocumentFormat) else value
    return table


def _from_table(name: str, table: object, path: Path) -> Profile:
    if not isinstance(table, dict):
        raise errors.ConfigError(f"{path}: profile {name!r} is not a table.")
    known = {key: table[key] for key in _FIELDS if key in table}
    try:
        return Profile(name=name, **known).validated()
    except errors.ConfigError as exc:
        raise errors.ConfigError(f"{path}: profile {name!r}: {exc.message}") from None


class ProfileStore:
    """The profiles file. Every call reads it fresh and every change rewrites it atomically.

    ``path`` defaults to ``config_dir()/profiles.toml``, looked up when used so that
    ``CASEVIEWER_HOME`` set after construction still counts.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self._path = Path(path) if path is not None else None
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self._path if self._path is not None else config_dir() / FILE_NAME

    # -- reading -------------------------------------------------------------------------------

    def _load(self) -> tuple[dict[str, Profile], str | None]:
        path = self.path
        try:
            with open(path, "rb") as handle:
                data = tomllib.load(handle)
        except FileNotFoundError:
            return {}, None
        except tomllib.TOMLDecodeError as exc:
            raise errors.ConfigError(f"{path} is not valid TOML ({exc}); fix or remove it.") from None
        except OSError as exc:
            raise errors.ConfigError(f"Cannot read {path}: {exc.strerror or exc}.") from None
        raw_profiles = data.get("profiles", {})
        if not isinstance(raw_profiles, dict):
            raise errors.ConfigError(f"{path}: 'profiles' must be a table of profiles.")
        profiles = {name: _from_table(name, table, path) for name, table in raw_profiles.items()}
        last = data.get("last_profile")
        return profiles, last if isinstance(last, str) and last in profiles else None

    def _save(self, profiles: Mapping[str, Profile], last: str | None) -> None:
        top = {"last_profile": last} if last else {}
        tables = [(("profiles", name), _to_table(profiles[name])) for name in sorted(profiles)]
        write_private(self.path, _HEADER + "\n" + dump_toml(top, tables))

    def list(self) -> list[Profile]:
        profiles, _ = self._load()
        return [profiles[name] for name in sorted(profiles)]

    def names(self) -> list[str]:
        return [profile.name for profile in self.list()]

    def get(self, name: str) -> Profile:
        profiles, _ = self._load()
        try:
            return profiles[name]
        except KeyError:
            raise errors.ConfigError(
                f"No profile named {name!r}. 'caseviewer profile list' shows the profiles."
            ) from None

    def exists(self, name: str) -> bool:
        return name in self._load()[0]

    def last(self) -> Profile | None:
        """The profile used last, if it still exists."""
        profiles, last = self._load()
        return profiles.get(last) if last else None

    # -- changing ------------------------------------------------------------------------------

    def add(self, profile: Profile) -> Profile:
        """Validate and add a new profile; the first one becomes the last profile."""
        profile = profile.validated()
        with self._lock:
            profiles, last = self._load()
            if profile.name in profiles:
                raise errors.ConfigError(
                    f"A profile named {profile.name!r} already exists; remove it first or pick another name."
                )
            profiles[profile.name] = profile
            # With no last profile yet, a fresh install opens on the first one added.
            self._save(profiles, last or profile.name)
        return profile

    def update(self, name: str, /, **changes: object) -> Profile:
        """Change some fields of an existing profile (not its name: secrets are keyed by it)."""
        if "name" in changes and changes["name"] != name:
            raise errors.ConfigError("A profile cannot be renamed; add a new one and remove the old one.")
        unknown = set(changes) - set(_FIELDS) - {"name"}
        if unknown:
            raise errors.ConfigError(f"Unknown profile setting(s): {', '.join(sorted(unknown))}.")
        with self._lock:
            profiles, last = self._load()
            if name not in profiles:
                raise errors.ConfigError(f"No profile named {name!r}.")
            profile = replace(profiles[name], **changes).validated()  # type: ignore[arg-type]
            profiles[name] = profile
            self._save(profiles, last)
        return profile

    def remove(self, name: str) -> Profile:
        """Remove a profile from the file (its keyring secrets are the caller's: see ``secrets``)."""
        with self._lock:
            profiles, last = self._load()
            if name not in profiles:
                raise errors.ConfigError(f"No profile named {name!r}.")
            removed = profiles.pop(name)
            self._save(profiles, None if last == name else last)
        return removed

    def set_last(self, name: str | None) -> None:
        with self._lock:
            profiles, _ = self._load()
            if name is not None and name not in profiles:
                raise errors.ConfigError(f"No profile named {name!r}.")
            self._save(profiles, name)


__all__ = [
    "FILE_NAME",
    "NAME_RULES",
    "Profile",
    "ProfileStore",
    "check_name",
    "check_url",
    "dump_toml",
    "toml_key",
    "toml_string",
    "validate_profile",
    "write_private",
]
