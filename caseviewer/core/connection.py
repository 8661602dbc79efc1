"""From settings and secrets to working API clients.

A connection is the pair of service endpoints a profile names (its fields:
``core/connection_settings.py``). ``resolve`` applies the precedence: command-line flag >
environment variable > profile file. Secrets come from the
environment (automation; never stored) or the keyring; they never appear in ``repr``.

A profile's keyring secrets only go to that profile's own hosts: when a flag or the environment
points a half at another origin, that half gets environment secrets or none. Environment secrets
in turn only go to the connection they were given for: a half whose URL also came from a flag or
the environment, or a profile named for this run (``CASEVIEWER_PROFILE``, else ``--profile``);
never to the last-used profile picked implicitly, nor to another profile than
``CASEVIEWER_PROFILE`` names. Child processes never see them (``core/child_env.py``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace

import httpx

from caseviewer.core import errors
from caseviewer.core.api import (
    BearerToken,
    CaseApi,
    CaseDetailClient,
    CaseListClient,
    ListCredential,
    SignInClient,
    SignInCredential,
)
# Re-exported: the settings and secrets types (and the environment's names) are imported from
# here by most callers.
from caseviewer.core.connection_settings import (  # noqa: F401
    ENV_CUSTOMER_ID,
    ENV_DETAIL_KEY,
    ENV_DETAIL_URL,
    ENV_LIST_TOKEN,
    ENV_LIST_URL,
    ENV_PROFILE,
    ConnectionSettings,
    Secrets,
)
from caseviewer.core.profiles import ProfileStore, check_url
from caseviewer.core.secrets import SecretStore



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
    **client_options: object,
) -> CaseApi:
    """Clients for the halves the settings configure; a configured half without its secret fails.

    ``client_options`` (``timeout``, ``retry``) go to every client: a connection check wants a
    short connect timeout and no retries, so a wrong port answers at once.
    """
    api = CaseApi()
    if settings.has_list:
        if not settings.customer_id:
            raise errors.ConfigError("The case list needs a customer ID (--customer-id or CASEVIEWER_CUSTOMER_ID).")
        credential = _list_credential(settings, secrets, transport, client_options)
        api.list = CaseListClient(
            settings.list_url or "",
            customer_id=settings.customer_id,
            credential=credential,
            transport=transport,
            allow_insecure=settings.allow_insecure,
            **client_options,
        )
    if settings.has_detail:
        if not secrets.detail_key:
            raise errors.AuthError(
                "No API key for the case detail service. Run 'caseviewer login PROFILE' or set CASEVIEWER_DETAIL_KEY."
            )
        api.detail = CaseDetailClient(
            settings.detail_url or "",
            api_key=secrets.detail_key,
            transport=transport,
            allow_insecure=settings.allow_insecure,
            **client_options,
        )
    if api.list is None and api.detail is None:
        raise errors.ConfigError(
            "No service configured: give --list-url/--detail-url, set CASEVIEWER_LIST_URL/CASEVIEWER_DETAIL_URL, "
            "or choose a profile with --profile."
        )
    return api


def _list_credential(
    settings: ConnectionSettings,
    secrets: Secrets,
    transport: httpx.BaseTransport | None,
    client_options: Mapping[str, object] | None = None,
) -> ListCredential:
    if secrets.list_token:
        return BearerToken(secrets.list_token)
    if settings.email and secrets.password:
        client = SignInClient(
            auth_base_url(settings), transport=transport, allow_insecure=settings.allow_insecure, **(client_options or {})
        )
        return SignInCredential(client, settings.email, secrets.password)
    raise errors.AuthError(
        "No credential for the case list service. Run 'caseviewer login PROFILE' or set CASEVIEWER_LIST_TOKEN."
    )


def auth_base_url(settings: ConnectionSettings) -> str:
    """Where email + password sign-in goes: the auth URL, else the list service's origin."""
    return settings.auth_url or _origin_url(settings.list_url or "")


def sign_in(settings: ConnectionSettings, password: str, *, transport: httpx.BaseTransport | None = None) -> str | None:
    """Sign in once with the settings' email (to check a password); returns the customer ID."""
    if not settings.has_list or not settings.email:
        raise errors.ConfigError("Signing in needs a profile with a list URL and an email.")
    with SignInClient(auth_base_url(settings), transport=transport, allow_insecure=settings.allow_insecure) as client:
        return client.sign_in(settings.email, password).customer_id


def _origin_url(url: str) -> str:
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}"


# --------------------------------------------------------------------------------------------
# Resolution: flag > environment > profile
# --------------------------------------------------------------------------------------------

FLAG_KEYS = ("list_url", "detail_url", "customer_id")


def resolve(
    profile_name: str | None,
    *,
    flags: Mapping[str, object],
    environ: Mapping[str, str] | None = None,
    store: ProfileStore | None = None,
    secret_store: SecretStore | None = None,
) -> tuple[ConnectionSettings, Secrets]:
    """The settings and secrets of one run.

    The profile is ``profile_name``, else ``CASEVIEWER_PROFILE``, else the last one used, else
    none (flags and environment only). ``flags`` may hold ``list_url``, ``detail_url``,
    ``customer_id`` (None = not given) and ``allow_insecure``. Environment secrets win over the
    keyring and are never stored; the keyring is only asked for what they do not cover, so a run
    with no keyring works when the environment has every secret it needs.
    """
    env = os.environ if environ is None else environ
    store = store if store is not None else ProfileStore()
    name = profile_name or env.get(ENV_PROFILE) or None
    profile = store.get(name) if name else store.last()

    base = profile.to_settings() if profile is not None else ConnectionSettings()
    settings = settings_from_environment(base, env).overridden(
        **{key: _flag_text(flags.get(key)) for key in FLAG_KEYS}
    )
    insecure = bool(flags.get("allow_insecure")) or settings.allow_insecure
    settings = replace(
        settings,
        allow_insecure=insecure,
        list_url=check_url(settings.list_url, what="list URL", allow_insecure=insecure) if settings.list_url else None,
        detail_url=(
            check_url(settings.detail_url, what="detail URL", allow_insecure=insecure) if settings.detail_url else None
        ),
    )

    list_own = profile is not None and _same_origin(settings.list_url, profile.list_url)
    detail_own = profile is not None and _same_origin(settings.detail_url, profile.detail_url)
    env_secrets = _scoped_environment_secrets(
        secrets_from_environment(env),
        named=profile is not None and _named_for_this_run(profile.name, profile_name, env),
        list_own=list_own,
        detail_own=detail_own,
        settings=settings,
    )
    if settings.has_list and not list_own:
        # The profile's email belongs to the profile's sign-in service, not to another host.
        settings = replace(settings, email=None, auth_url=None)

    need_list = settings.has_list and list_own and not env_secrets.list_token
    need_detail = settings.has_detail and detail_own and not env_secrets.detail_key
    if not (need_list or need_detail):
        return settings, env_secrets

    secret_store = secret_store if secret_store is not None else SecretStore()
    assert profile is not None  # need_* imply a profile
    keyring_secrets = secret_store.load(profile.name)
    return settings, merge_secrets(
        env_secrets,
        Secrets(
            list_token=keyring_secrets.list_token if need_list else None,
            password=keyring_secrets.password if need_list else None,
            detail_key=keyring_secrets.detail_key if need_detail else None,
        ),
    )


def _named_for_this_run(name: str, profile_name: str | None, env: Mapping[str, str]) -> bool:
    """Whether environment secrets were given for profile ``name``: it is the one
    ``CASEVIEWER_PROFILE`` names, or (with no ``CASEVIEWER_PROFILE``) the one ``--profile`` names.
    The last-used profile picked implicitly, or another profile than the environment names, is not."""
    env_profile = env.get(ENV_PROFILE) or None
    if env_profile is not None:
        return env_profile == name
    return profile_name == name


def _scoped_environment_secrets(
    env_secrets: Secrets, *, named: bool, list_own: bool, detail_own: bool, settings: ConnectionSettings
) -> Secrets:
    """Environment secrets only for the connection they were given for (issue: a profile switch
    handed profile A's token to profile B). A half whose URL came from a flag or the environment
    (not the profile's own origin) takes them; a profile's own half only when that profile was
    named for this run (``_named_for_this_run``)."""
    return Secrets(
        list_token=env_secrets.list_token if settings.has_list and (named or not list_own) else None,
        detail_key=env_secrets.detail_key if settings.has_detail and (named or not detail_own) else None,
    )


def _flag_text(value: object) -> str | None:
    return (str(value).strip() or None) if value is not None else None


def _same_origin(url: str | None, other: str | None) -> bool:
    if not url or not other:
        return False
    try:
        return _origin_url(url) == _origin_url(other)
    except (httpx.InvalidURL, ValueError):
        return False
