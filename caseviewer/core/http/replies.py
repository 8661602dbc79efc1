"""What a failed request becomes: a ``KnownError`` a reviewer can act on, with no secret or body.

A non-2xx answer maps by status (``default_error``; a client may refine it), a connection-level
failure by its cause (``transport_error``), a 2xx body that is no JSON by what it looks like
(``not_json_error``); the answer's shape travels on the error as an ``ErrorReply``.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from typing import Any

import httpx

from caseviewer.core import errors, wire
from caseviewer.core.http.retry import parse_retry_after


def not_json_error(response: httpx.Response, service: str) -> errors.SchemaError:
    """A 2xx body that does not parse: a portal's or proxy's HTML page means the service is not
    there (``NotJson``, offline); broken JSON from the service itself is that answer's error."""
    kind = errors.NotJson if _looks_like_html(response) else errors.InvalidJson
    return kind(
        f"The {service} sent a response that is not valid JSON "
        f"(HTTP {response.status_code}, {len(response.content)} bytes).",
        service=service,
        status_code=response.status_code,
    )


def _looks_like_html(response: httpx.Response) -> bool:
    content_type = response.headers.get("content-type", "").lower()
    if "html" in content_type or "xml" in content_type:
        return True
    return response.content[:512].lstrip().startswith(b"<")


@dataclass(frozen=True)
class ErrorReply:
    """The shape of an error answer (kept on the error, never in its text or a log line).

    ``body`` is the parsed JSON object, or None when the answer was not JSON (an HTML page from
    a web server or proxy). A connection check compares shapes; nothing else reads them.
    """

    status_code: int
    content_type: str
    body: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def is_json(self) -> bool:
        return self.body is not None

    @property
    def said(self) -> str:
        """The service's own short message (``error`` or ``message``), or ""."""
        return _said(self.body)

    @classmethod
    def of(cls, response: httpx.Response) -> "ErrorReply":
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            body = wire.decode_json(response.content, service="service")
        except (ValueError, errors.KnownError):
            body = None
        return cls(response.status_code, content_type, body if isinstance(body, dict) else None)


def _said(body: object) -> str:
    if not isinstance(body, dict):
        return ""
    for key in ("error", "message"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return ""


def error_text(response: httpx.Response) -> str:
    """The service's own short message (``error`` or ``message``), if the body is JSON."""
    try:
        return _said(wire.decode_json(response.content, service="service"))
    except (ValueError, errors.KnownError):
        return ""


def default_error(response: httpx.Response, service: str) -> errors.ApiError:
    """Map a non-2xx response to the error tree with a message a reviewer can act on."""
    code = response.status_code
    said = error_text(response)
    suffix = f' The service said: "{said}"' if said else ""
    kwargs = {"service": service, "status_code": code}
    if code == 401:
        return errors.AuthError(
            f"The {service} did not accept the credential (HTTP 401). Sign in again or update "
            "the token in the profile.",
            **kwargs,
        )
    if code == 403:
        return errors.PermissionDenied(
            f"The {service} refused access (HTTP 403): this credential may not see it.", **kwargs
        )
    if code == 404:
        return errors.NotFound(f"The {service} has no such record (HTTP 404).{suffix}", **kwargs)
    if code == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        hint = f" Try again in {retry_after:.0f} s." if retry_after else " Try again shortly."
        return errors.RateLimited(
            f"The {service} is rate-limiting requests (HTTP 429).{hint}",
            retry_after=retry_after,
            **kwargs,
        )
    if code >= 500:
        return errors.ServerError(
            f"The {service} had an internal error (HTTP {code}). Try again later.{suffix}",
            **kwargs,
        )
    if code == 400:
        return errors.BadRequest(f"The {service} rejected the request (HTTP 400).{suffix}", **kwargs)
    return errors.ApiError(f"The {service} answered HTTP {code}.{suffix}", **kwargs)


def transport_error(exc: httpx.RequestError, service: str, *, document: bool = True) -> errors.ApiError:
    """A connection-level failure as a KnownError that names no URL parameters or secrets.

    ``document``: the body is a JSON document (a file download's cut-short body stays a
    NetworkError, retried by the user)."""
    host = _request_host(exc)
    refused = _cause(exc, ssl.SSLCertVerificationError)
    if refused is not None:
        reason = getattr(refused, "verify_message", None) or getattr(refused, "reason", None) or "unknown reason"
        return errors.CertificateError(
            f"The certificate of {host or 'the ' + service} is not trusted ({reason}). If your "
            "organisation uses its own certificate authority, install it in the system's trust "
            "store or point SSL_CERT_FILE at it.",
            service=service,
        )
    if isinstance(exc, httpx.TimeoutException):
        return errors.Timeout(
            f"The {service} did not answer in time. Check the network and try again.",
            service=service,
        )
    tls = _cause(exc, ssl.SSLError)
    if tls is not None:
        return errors.NetworkError(
            f"A secure connection to {host or 'the ' + service} could not be set up "
            f"({getattr(tls, 'reason', None) or 'TLS error'}).",
            service=service,
        )
    if isinstance(exc, httpx.ConnectError):
        return errors.NetworkError(
            f"Cannot reach the {service}. Check the network connection and the URL.",
            service=service,
        )
    if document and isinstance(exc, httpx.RemoteProtocolError) and "complete message body" in str(exc):
        # The service sent its headers and closed the connection cleanly before the body's
        # length was reached: a cut-short answer from a service that is there, not "offline".
        return errors.InvalidJson(
            f"The {service} sent a response that is not valid JSON (it was cut short).",
            service=service,
        )
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return errors.NetworkError(
            f"The connection to the {service} broke off mid-response. Try again.",
            service=service,
        )
    if isinstance(exc, httpx.DecodingError):
        return errors.NetworkError(
            f"The {service} sent a compressed response that does not decompress.", service=service
        )
    return errors.NetworkError(f"Network error talking to the {service}.", service=service)


def _cause(exc: BaseException, kind: type[BaseException]) -> BaseException | None:
    """The first ``kind`` in ``exc``'s chain (httpx wraps httpcore, which wraps ``ssl``)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _request_host(exc: httpx.RequestError) -> str:
    try:
        return exc.request.url.host
    except RuntimeError:  # raised by httpx when the error has no request
        return ""


__all__ = ["ErrorReply", "default_error", "error_text", "not_json_error", "transport_error"]
