"""From settings and secrets to working API clients.

A connection is the pair of service endpoints a profile names. Settings resolve with the
precedence of DESIGN.md: command-line flag > environment variable > profile file. Secrets come
from the environment (automation; never stored) or the keyring; they never appear in ``repr``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

import httpx

from caseviewer.core import errors
from caseviewer.core.api import (
    BearerToken,
    CaseApi,
    CaseDetailClient,
    CaseListClient,
    DocumentFormat,
    ListCredential,
    SignInClient,
    SignInCredential,
)

ENV_LIST_URL = "CASEVIEWER_LIST_URL"
ENV_DETAIL_URL = "CASEVIEWER_DETAIL_URL"
ENV_CUSTOMER_ID = "CASEVIEWER_CUSTOMER_ID"
ENV_PROFILE = "CASEVIEWER_PROFILE"
ENV_LIST_TOKEN = "CASEVIEWER_LIST_TOKEN"
ENV_DETAIL_KEY = "CASEVIEWER_DETAIL_KEY"


@dataclass(frozen=True)
class ConnectionSettings:
    """Non-secret settings of one connection (a profile, or flags and environment)."""

    name: str = ""
    environment: str = ""
    list_url: str | None = None
    auth_url: str | None = None
    customer_id: str | None = None
    detail_url: str | None = None
    email: str | None = None
    page_size: int = 50
    document_format: DocumentFormat = DocumentFormat.BASE64

    @property
    def has_list(self) -> bool:
        return bool(self.list_url)

    @property
    def has_detail(self) -> bool:
        return bool(self.detail_url)

    def overridden(self, **values: str | None) -> "ConnectionSettings":
        """A copy with every non-empty value replaced (how flags and env win over a profile)."""
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in values.items() if v and k in known})


@dataclass(frozen=True)
class Secrets:
    """The secrets of one connection. ``repr`` never shows them."""

    list_token: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    detail_key: str | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        held = [name for name in ("list_token", "password", "detail_key") if getattr(self, name)]
        return f"Secrets(held={held})"


def settings_from_environment(base: ConnectionSettings, environ: Mapping[str, str] | None = None) -> ConnectionSettings:
    env = os.environ if environ is None else environ
    return base.overridden(
        list_url=env.get(ENV_LIST_URL),
        detail_url=env.get(ENV_DETAIL_URL),
        customer_id=env.get(ENV_CUSTOMER_ID),
    )


def secrets_from_environment(environ: Mapping[str, str] | None = None) -> Secrets:
    env = os.environ if environ is None else environ
    return Secrets(list_token=env.get(ENV_LIST_TOKEN) or None, detail_key=env.get(ENV_DETAIL_KEY) or None)


def merge_secrets(preferred: Secrets, fallback: Secrets) -> Secrets:
    """Each secret from ``preferred`` when it has one, else from ``fallback``."""
    return Secrets(
        list_token=preferred.list_token or fallback.list_token,
        password=preferred.password or fallback.password,
        detail_key=preferred.detail_key or fallback.detail_key,
    )


def build_api(
    settings: ConnectionSettings,
    secrets: Secrets,
    *,
    transport: httpx.BaseTransport | None = None,
) -> CaseApi:
    """Clients for the halves the settings configure; a configured half without its secret fails."""
    api = CaseApi()
    if settings.has_list:
        if not settings.customer_id:
            raise errors.ConfigError("The case list needs a customer ID (--customer-id or CASEVIEWER_CUSTOMER_ID).")
        credential = _list_credential(settings, secrets, transport)
        api.list = CaseListClient(
            settings.list_url or "", customer_id=settings.customer_id, credential=credential, transport=transport
        )
    if settings.has_detail:
        if not secrets.detail_key:
            raise errors.AuthError(
                "No API key for the case detail service. Run 'caseviewer login PROFILE' or set CASEVIEWER_DETAIL_KEY."
            )
        api.detail = CaseDetailClient(settings.detail_url or "", api_key=secrets.detail_key, transport=transport)
    if api.list is None and api.detail is None:
        raise errors.ConfigError(
            "No service configured: give --list-url/--detail-url, set CASEVIEWER_LIST_URL/CASEVIEWER_DETAIL_URL, "
            "or choose a profile with --profile."
        )
    return api


def _list_credential(
    settings: ConnectionSettings, secrets: Secrets, transport: httpx.BaseTransport | None
) -> ListCredential:
    if secrets.list_token:
        return BearerToken(secrets.list_token)
    if settings.email and secrets.password:
        auth_base = settings.auth_url or _origin_url(settings.list_url or "")
        return SignInCredential(SignInClient(auth_base, transport=transport), settings.email, secrets.password)
    raise errors.AuthError(
        "No credential for the case list service. Run 'caseviewer login PROFILE' or set CASEVIEWER_LIST_TOKEN."
    )


def _origin_url(url: str) -> str:
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}"
