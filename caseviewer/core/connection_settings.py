"""The fields of one connection, once: its two endpoints, sign-in email, presentation, and secrets.

``ConnectionSettings`` is what a run connects with (``core/connection.py`` resolves it from flags,
the environment and a profile); a ``Profile`` (``core/profiles.py``) is the same fields under a
required name, kept in the profiles file. ``Secrets`` are the values the keyring or the
environment supply for them. This module imports neither profiles nor secrets nor any client,
so all of them can build on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from caseviewer.core.query import DocumentFormat

#: The environment variables that supply a connection's fields and secrets (``core/connection.py``
#: reads them; here, so that the start-up and ``core/child_env.py`` need no client to name them).
ENV_LIST_URL = "CASEVIEWER_LIST_URL"
ENV_DETAIL_URL = "CASEVIEWER_DETAIL_URL"
ENV_CUSTOMER_ID = "CASEVIEWER_CUSTOMER_ID"
ENV_PROFILE = "CASEVIEWER_PROFILE"
ENV_LIST_TOKEN = "CASEVIEWER_LIST_TOKEN"
ENV_DETAIL_KEY = "CASEVIEWER_DETAIL_KEY"


@dataclass(frozen=True)
class ConnectionSettings:
    """Non-secret settings of one connection. Either half (list or detail) may be missing."""

    name: str = ""
    list_url: str | None = None
    auth_url: str | None = None
    customer_id: str | None = None
    detail_url: str | None = None
    email: str | None = None
    page_size: int = 50
    document_format: DocumentFormat = DocumentFormat.BASE64
    color: str = ""
    environment: str = ""  # the label the window shows (PRODUCTION, STAGING...)
    allow_insecure: bool = False

    @property
    def has_list(self) -> bool:
        return bool(self.list_url)

    @property
    def has_detail(self) -> bool:
        return bool(self.detail_url)

    @property
    def signs_in_with_password(self) -> bool:
        """The case list's credential: email + password when an email is set, else a bearer token.

        The one statement of that rule; ``core/secrets.list_credential_kind`` names the secret.
        """
        return self.has_list and bool(self.email)

    def overridden(self, **values: str | None) -> "ConnectionSettings":
        """A copy with every non-empty value replaced (how flags and env win over a profile)."""
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in values.items() if v and k in known})


#: The field names, in order (a profile has the same ones).
SETTING_FIELDS = tuple(f.name for f in fields(ConnectionSettings))


@dataclass(frozen=True)
class Secrets:
    """The secrets of one connection. ``repr`` never shows them."""

    list_token: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    detail_key: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        held = [name for name in ("list_token", "password", "detail_key") if getattr(self, name)]
        return f"Secrets(held={held})"


__all__ = ["ConnectionSettings", "SETTING_FIELDS", "Secrets"]
