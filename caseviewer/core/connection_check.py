"""Is this connection right? One small request per configured half, and a plain answer.

Used by the profile dialog's **Test connection** and by ``caseviewer profile test NAME``, so both
tell the same story. Each half ends in a ``Finding``:

* the list half lists page 1 with one item per page (signing in first with email + password);
* the detail half asks for a case no service has (``PROBE_CASE_ID``): the service checks the key
  before it looks for the case, so its own "no such case" answer means the key was accepted.

A 404 alone proves little: a wrong path answers 404 too. A 404 counts as "no such case/customer"
only when it comes in the service's own error shape (JSON; for the detail service
``{status, success: false, error}``) *and* differs from what the base URL itself answers; an
HTML page, a foreign shape, or the same 404 for the probe and for the base means the URL does not
point at the service (``WRONG_PATH``).

The check never retries and uses a short connect timeout, so a refused port or a dead host is
reported at once instead of after the normal client's retry schedule. Blocking: run it on a worker.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from enum import Enum

import httpx

from caseviewer.core import errors
from caseviewer.core.api import CaseApi, CaseQuery, DetailIncludes, RetryPolicy
from caseviewer.core.connection import ConnectionSettings, Secrets, build_api
from caseviewer.core.http import ErrorReply, ServiceClient

#: A case id no service has; the detail half (and the repository's reachability probe) ask for it.
PROBE_CASE_ID = "00000000-0000-0000-0000-000000000000"

#: Short connect timeout, no retries: a check should answer in about a second, not after back-off.
CHECK_TIMEOUT = httpx.Timeout(connect=3.0, read=15.0, write=15.0, pool=3.0)
CHECK_RETRY = RetryPolicy(max_retries=0)

OK_MARK = "✓"
FAIL_MARK = "✗"
SKIP_MARK = "–"


class Half(Enum):
    LIST = "Case list"
    DETAIL = "Case detail"


class Finding(Enum):
    """What one half's check found; ``exit_code`` is what ``caseviewer profile test`` returns."""

    OK = ("ok", errors.EXIT_OK)
    NOT_CONFIGURED = ("not configured", errors.EXIT_OK)
    NO_SECRET = ("no secret", errors.EXIT_AUTH)
    REJECTED = ("credential rejected", errors.EXIT_AUTH)
    FORBIDDEN = ("access refused", errors.EXIT_AUTH)
    SECRETS_UNAVAILABLE = ("keyring unavailable", errors.EXIT_AUTH)
    WRONG_PATH = ("wrong path", errors.EXIT_USAGE)
    NOT_THE_SERVICE = ("not the service", errors.EXIT_USAGE)
    CUSTOMER_NOT_FOUND = ("customer not found", errors.EXIT_NOT_FOUND)
    UNREACHABLE = ("unreachable", errors.EXIT_NETWORK)
    SERVICE_ERROR = ("service error", errors.EXIT_NETWORK)
    FAILED = ("failed", errors.EXIT_FAILURE)

    def __init__(self, label: str, exit_code: int) -> None:
        self.label = label
        self.exit_code = exit_code


@dataclass(frozen=True)
class HalfResult:
    """How one half answered, in one line."""

    half: Half
    finding: Finding
    detail: str

    @property
    def ok(self) -> bool | None:
        """True when right, False when not, None when the half is not configured."""
        if self.finding is Finding.NOT_CONFIGURED:
            return None
        return self.finding is Finding.OK

    @property
    def exit_code(self) -> int:
        return self.finding.exit_code

    @property
    def text(self) -> str:
        return f"{self.half.value}: {self.detail}"

    @property
    def line(self) -> str:
        mark = SKIP_MARK if self.ok is None else OK_MARK if self.ok else FAIL_MARK
        return f"{mark} {self.text}"


@dataclass(frozen=True)
class ConnectionReport:
    list: HalfResult
    detail: HalfResult

    @property
    def halves(self) -> tuple[HalfResult, HalfResult]:
        return (self.list, self.detail)

    @property
    def ok(self) -> bool:
        """Every configured half is right (and at least one is configured)."""
        configured = [half for half in self.halves if half.ok is not None]
        return bool(configured) and all(half.ok for half in configured)

    @property
    def exit_code(self) -> int:
        """0 when ``ok``, else the exit code of the first half that failed."""
        for half in self.halves:
            if half.ok is False:
                return half.exit_code
        return errors.EXIT_OK if self.ok else errors.EXIT_USAGE

    @property
    def text(self) -> str:
        return "\n".join(half.line for half in self.halves)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _reply(exc: errors.ApiError) -> ErrorReply | None:
    reply = exc.reply
    return reply if isinstance(reply, ErrorReply) else None


def _same_answer(first: ErrorReply | None, second: ErrorReply | None) -> bool:
    """Two error answers that say the same thing (a router's "not found" for any path)."""
    if first is None or second is None:
        return False
    return (first.status_code, first.content_type, first.said, sorted(first.body or {})) == (
        second.status_code, second.content_type, second.said, sorted(second.body or {})
    )


def _base_answer(client: ServiceClient, cancel: threading.Event | None) -> ErrorReply | None:
    """What the base URL itself answers when it is an error (None for a success or no answer)."""
    try:
        client.send("GET", client.base_url, cancel=cancel)
    except errors.ApiError as exc:
        return _reply(exc)
    return None


def _where(url: str) -> str:
    """host:port/path of a URL, short enough for one line of the dialog."""
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.host}{port}{parsed.path.rstrip('/')}"


def _wrong_path(half: Half, what: str, reply: ErrorReply | None, why: str) -> HalfResult:
    status = f"HTTP {reply.status_code}" if reply is not None else "an error"
    return HalfResult(
        half, Finding.WRONG_PATH,
        f"wrong path: the {what} answers {status} {why}. Check the path of the URL.",
    )


def _general_failure(half: Half, exc: errors.KnownError, url: str) -> HalfResult:
    """The findings both halves share: unreachable, not the service, refused, server trouble."""
    if isinstance(exc, errors.Timeout):
        return HalfResult(half, Finding.UNREACHABLE, f"{_where(url)} did not answer in time.")
    if isinstance(exc, errors.NetworkError):
        return HalfResult(
            half, Finding.UNREACHABLE,
            f"cannot connect to {_where(url)} (refused, or no such host). Check the host and port.",
        )
    if isinstance(exc, errors.NotJson):
        return HalfResult(
            half, Finding.NOT_THE_SERVICE, "the URL answers with a web page, not the service's JSON. Check the URL.",
        )
    if isinstance(exc, errors.SchemaError):
        return HalfResult(
            half, Finding.NOT_THE_SERVICE,
            f"the URL answers JSON, but not like the {half.value.lower()} service. Check the URL.",
        )
    if isinstance(exc, errors.PermissionDenied):
        return HalfResult(half, Finding.FORBIDDEN, "the credential was accepted but may not see this (HTTP 403).")
    if isinstance(exc, (errors.ServerError, errors.RateLimited)):
        return HalfResult(half, Finding.SERVICE_ERROR, exc.message)
    return HalfResult(half, Finding.FAILED, exc.message)


def _half_api(half: Half, settings: ConnectionSettings, secrets: Secrets) -> CaseApi | HalfResult:
    """The clients that check ``half`` (short timeout, few retries), or why they cannot be built."""
    try:
        return build_api(settings, secrets, timeout=CHECK_TIMEOUT, retry=CHECK_RETRY)
    except errors.KnownError as exc:
        return HalfResult(half, Finding.FAILED, exc.message)


def check_list(
    settings: ConnectionSettings, secrets: Secrets, cancel: threading.Event | None = None
) -> HalfResult:
    """Sign in when email + password, then list page 1 with one item per page."""
    half = Half.LIST
    if not settings.has_list:
        return HalfResult(half, Finding.NOT_CONFIGURED, "not configured")
    settings = replace(settings, detail_url=None)
    secrets = replace(secrets, detail_key=None)
    if secrets.list_token:
        secrets = replace(secrets, password=None)
    elif not (settings.email and secrets.password):
        return HalfResult(half, Finding.NO_SECRET, "no token or password entered")
    url = settings.list_url or ""
    api = _half_api(half, settings, secrets)
    if isinstance(api, HalfResult):
        return api
    with api:
        client = api.list
        assert client is not None
        try:
            page = client.list_cases(CaseQuery(page=1, items_per_page=1), cancel=cancel)
        except errors.Cancelled:
            raise
        except errors.ApiError as exc:
            if exc.service == "sign-in service":
                return _sign_in_failure(exc, settings)
            return _list_failure(client, exc, url, settings, cancel)
        except errors.KnownError as exc:
            return HalfResult(half, Finding.FAILED, exc.message)
    return HalfResult(half, Finding.OK, f"connected, {_plural(page.total_items, 'case')}")


def _sign_in_failure(exc: errors.ApiError, settings: ConnectionSettings) -> HalfResult:
    from caseviewer.core.connection import auth_base_url

    half = Half.LIST
    if isinstance(exc, errors.AuthError):
        return HalfResult(half, Finding.REJECTED, "sign-in failed, the email or password was rejected")
    if isinstance(exc, errors.NotFound):
        return _wrong_path(half, "auth URL", _reply(exc), "to the sign-in request")
    return _general_failure(half, exc, auth_base_url(settings))


def _list_failure(
    client: ServiceClient,
    exc: errors.ApiError,
    url: str,
    settings: ConnectionSettings,
    cancel: threading.Event | None,
) -> HalfResult:
    half = Half.LIST
    if isinstance(exc, errors.NotFound):
        reply = _reply(exc)
        if reply is None or not reply.is_json:
            return _wrong_path(half, "list URL", reply, "with a web page")
        if _same_answer(reply, _base_answer(client, cancel)):
            return _wrong_path(half, "list URL", reply, "for the cases and for the base URL alike")
        return HalfResult(
            half, Finding.CUSTOMER_NOT_FOUND,
            f"connected, but the service has no customer {settings.customer_id}"
            + (f' ("{reply.said}")' if reply.said else "")
            + ". Check the customer ID.",
        )
    if isinstance(exc, errors.AuthError) and not isinstance(exc, errors.PermissionDenied):
        return HalfResult(half, Finding.REJECTED, "the token was rejected (HTTP 401)")
    return _general_failure(half, exc, url)


def _is_detail_shape(reply: ErrorReply) -> bool:
    """The detail service's own error shape: ``{status, success: false, error}``."""
    body = reply.body or {}
    return body.get("success") is False and isinstance(body.get("error"), str)


def check_detail(
    settings: ConnectionSettings, secrets: Secrets, cancel: threading.Event | None = None
) -> HalfResult:
    """Ask for a case that does not exist: the service's own "no such case" means the key was accepted."""
    half = Half.DETAIL
    if not settings.has_detail:
        return HalfResult(half, Finding.NOT_CONFIGURED, "not configured")
    if not secrets.detail_key:
        return HalfResult(half, Finding.NO_SECRET, "no API key entered")
    settings = replace(settings, list_url=None, customer_id=None, auth_url=None, email=None)
    url = settings.detail_url or ""
    api = _half_api(half, settings, Secrets(detail_key=secrets.detail_key))
    if isinstance(api, HalfResult):
        return api
    accepted = HalfResult(half, Finding.OK, "connected, the API key was accepted")
    with api:
        client = api.detail
        assert client is not None
        try:
            client.get_case_raw(PROBE_CASE_ID, includes=DetailIncludes(False, False, False, False), cancel=cancel)
        except errors.Cancelled:
            raise
        except errors.NotFound as exc:
            reply = _reply(exc)
            if reply is None or not reply.is_json:
                return _wrong_path(half, "detail URL", reply, "with a web page")
            if not _is_detail_shape(reply):
                return _wrong_path(half, "detail URL", reply, "without the service's error shape")
            if _same_answer(reply, _base_answer(client, cancel)):
                return _wrong_path(half, "detail URL", reply, "for a case and for the base URL alike")
            return accepted
        except errors.AuthError as exc:
            if isinstance(exc, errors.PermissionDenied):
                return _general_failure(half, exc, url)
            return HalfResult(half, Finding.REJECTED, "the API key was rejected")
        except errors.KnownError as exc:
            return _general_failure(half, exc, url)
    return accepted


def check_connection(
    settings: ConnectionSettings,
    entered: Secrets,
    secret_store=None,
    stored_profile: str | None = None,
    cancel: threading.Event | None = None,
) -> ConnectionReport:
    """Check both halves; secrets not given come from the keyring entry of ``stored_profile``.

    ``secret_store`` is a ``secrets.SecretStore`` (not imported here: it needs the keyring).
    """
    secrets = entered
    email_mode = bool(settings.email)
    # A token given (the CLI's CASEVIEWER_LIST_TOKEN) wins over sign-in, as everywhere else.
    has_list_secret = bool(entered.list_token or (email_mode and entered.password))
    missing = (settings.has_list and not has_list_secret) or (settings.has_detail and not entered.detail_key)
    if missing and secret_store is not None and stored_profile:
        try:
            stored = secret_store.load(stored_profile)
        except errors.SecretStoreError as exc:
            failed = f"stored secrets unavailable: {exc.message}"
            return ConnectionReport(
                HalfResult(Half.LIST, Finding.SECRETS_UNAVAILABLE, failed) if settings.has_list
                else HalfResult(Half.LIST, Finding.NOT_CONFIGURED, "not configured"),
                HalfResult(Half.DETAIL, Finding.SECRETS_UNAVAILABLE, failed) if settings.has_detail
                else HalfResult(Half.DETAIL, Finding.NOT_CONFIGURED, "not configured"),
            )
        secrets = Secrets(
            list_token=entered.list_token or (None if email_mode else stored.list_token),
            password=(entered.password or stored.password) if email_mode else None,
            detail_key=entered.detail_key or stored.detail_key,
        )
    if cancel is not None and cancel.is_set():
        raise errors.Cancelled("Cancelled.")
    return ConnectionReport(check_list(settings, secrets, cancel), check_detail(settings, secrets, cancel))


__all__ = [
    "CHECK_RETRY",
    "CHECK_TIMEOUT",
    "ConnectionReport",
    "Finding",
    "Half",
    "HalfResult",
    "PROBE_CASE_ID",
    "check_connection",
    "check_detail",
    "check_list",
]
