"""The HTTP plumbing every service client shares: one ``httpx.Client``, retries, origin rules.

* **Origin rule.** Auth headers are added per request, and only when the request's origin
  (scheme, host, port) is the configured base URL's origin. Redirects are followed by hand so a
  hop to another origin loses them too; httpx's own redirect handling is switched off.
* **Retries.** Only idempotent requests (GET) are retried: on 408, 429, 5xx, timeouts and broken
  connections, with jittered exponential back-off; a 429's ``Retry-After`` is honoured up to a
  cap. Sleeping happens on the calling thread, which is always a worker, never the GUI.
* **Cancellation.** ``close()`` (or the ``cancel`` event of a call) wakes any back-off sleep at
  once, so quitting the app never waits for a retry schedule.
* **Errors.** Every failure leaves as a ``KnownError`` subclass whose text holds no secret and
  no response body.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from caseviewer import __version__
from caseviewer.core import errors, wire

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry. ``max_retries=0`` turns retries off."""

    max_retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 30.0

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential back-off for the given 0-based retry attempt."""
        ceiling = min(self.max_delay, self.base_delay * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)


def origin_of(url: str | httpx.URL) -> tuple[str, str, int]:
    """(scheme, host, port) with the scheme's default port filled in."""
    parts = urlsplit(str(url))
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    return scheme, (parts.hostname or "").lower(), port


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


ErrorMapper = Callable[[httpx.Response], errors.ApiError]


class ServiceClient:
    """Base of the service clients: owns one ``httpx.Client`` for one base URL.

    Subclasses supply ``auth_headers()`` and ``map_error(response)``; everything else (retries,
    origin checks, redirects, streaming) is here once.
    """

    service_name = "service"

    def __init__(
        self,
        base_url: str,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url or urlsplit(base_url).scheme not in ("http", "https"):
            raise errors.ConfigError(f"The {self.service_name} URL must start with http:// or https://")
        self.base_url = base_url.rstrip("/")
        self.origin = origin_of(self.base_url)
        self.retry = retry
        self._closed = threading.Event()
        self._client = httpx.Client(
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            headers={"User-Agent": f"caseviewer/{__version__}", "Accept": "application/json"},
        )

    # -- to override ------------------------------------------------------------------------

    def auth_headers(self) -> dict[str, str]:
        return {}

    def map_error(self, response: httpx.Response) -> errors.ApiError:
        return default_error(response, self.service_name)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Stop: wakes any back-off sleep and closes the connection pool."""
        self._closed.set()
        self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- requests ----------------------------------------------------------------------------

    def url_for(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    def is_own_origin(self, url: str | httpx.URL) -> bool:
        return origin_of(url) == self.origin

    def request_json(
        self,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]] | Mapping[str, str] | None = None,
        json_body: Any = None,
        cancel: threading.Event | None = None,
    ) -> tuple[httpx.Response, Any]:
        """Send, retry as allowed, map errors; return the response and its parsed JSON body."""
        response = self.send(method, url, params=params, json_body=json_body, cancel=cancel)
        try:
            return response, wire.decode_json(
                response.content, service=self.service_name, status_code=response.status_code
            )
        except ValueError as exc:
            raise not_json_error(response, self.service_name) from exc

    def send(
        self,
        method: str,
        url: str,
        *,
        params: list[tuple[str, str]] | Mapping[str, str] | None = None,
        json_body: Any = None,
        cancel: threading.Event | None = None,
    ) -> httpx.Response:
        """A buffered request with retries; returns a 2xx response or raises a KnownError."""
        attempts = self.retry.max_retries + 1 if method.upper() == "GET" else 1
        for attempt in range(attempts):
            last_try = attempt == attempts - 1
            try:
                response = self._send_following_redirects(
                    method, url, params=params, json_body=json_body, stream=False
                )
            except httpx.TransportError as exc:
                if last_try:
                    raise transport_error(exc, self.service_name) from None
                self._sleep(self.retry.backoff(attempt), cancel)
                continue
            if response.is_success:
                return response
            if response.status_code in RETRY_STATUSES and not last_try:
                self._sleep(self._delay_for(response, attempt), cancel)
                continue
            raise self.map_error(response)
        raise AssertionError("unreachable")  # pragma: no cover

    @contextmanager
    def stream(self, url: str, *, cancel: threading.Event | None = None) -> Iterator[httpx.Response]:
        """A streamed GET (retried until the headers arrive); yields a 2xx response."""
        attempts = self.retry.max_retries + 1
        for attempt in range(attempts):
            last_try = attempt == attempts - 1
            try:
                response = self._send_following_redirects("GET", url, stream=True)
            except httpx.TransportError as exc:
                if last_try:
                    raise transport_error(exc, self.service_name) from None
                self._sleep(self.retry.backoff(attempt), cancel)
                continue
            if response.is_success:
                break
            response.read()
            response.close()
            if response.status_code in RETRY_STATUSES and not last_try:
                self._sleep(self._delay_for(response, attempt), cancel)
                continue
            raise self.map_error(response)
        try:
            yield response
        finally:
            response.close()

    # -- internals ---------------------------------------------------------------------------

    def _send_following_redirects(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        json_body: Any = None,
        stream: bool,
    ) -> httpx.Response:
        if self._closed.is_set():
            raise errors.Cancelled("Stopped.")
        current = httpx.URL(url)
        for _hop in range(MAX_REDIRECTS + 1):
            headers = self.auth_headers() if self.is_own_origin(current) else {}
            request = self._client.build_request(
                method, current, params=params, json=json_body, headers=headers
            )
            started = time.monotonic()
            response = self._client.send(request, stream=stream)
            log.info(
                "%s %s%s -> %s in %.0f ms",
                method,
                self.service_name,
                "" if self.is_own_origin(current) else " (other origin)",
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            if not response.is_redirect:
                return response
            location = response.headers.get("location")
            response.close()
            if not location:
                return response
            current = httpx.URL(urljoin(str(current), location))
            params = None  # the Location carries the query from now on
            if response.status_code == 303 or (
                response.status_code in (301, 302) and method.upper() == "POST"
            ):
                method, json_body = "GET", None
        raise errors.NetworkError(
            f"The {self.service_name} redirected too many times.", service=self.service_name
        )

    def _delay_for(self, response: httpx.Response, attempt: int) -> float:
        hinted = parse_retry_after(response.headers.get("retry-after"))
        if hinted is not None:
            return min(hinted, self.retry.max_retry_after)
        return self.retry.backoff(attempt)

    def _sleep(self, seconds: float, cancel: threading.Event | None) -> None:
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if self._closed.is_set() or (cancel is not None and cancel.is_set()):
                raise errors.Cancelled("Cancelled.")
            if remaining <= 0:
                return
            # Wake every 50 ms to notice a per-call cancel as well as close().
            self._closed.wait(min(remaining, 0.05))


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


def error_text(response: httpx.Response) -> str:
    """The service's own short message (``error`` or ``message``), if the body is JSON."""
    try:
        body = wire.decode_json(response.content, service="service")
    except (ValueError, errors.KnownError):
        return ""
    if not isinstance(body, dict):
        return ""
    for key in ("error", "message"):
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
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


def transport_error(exc: httpx.TransportError, service: str, *, document: bool = True) -> errors.ApiError:
    """A connection-level failure as a NetworkError that names no URL parameters or secrets.

    ``document``: the body is a JSON document (a file download's cut-short body stays a
    NetworkError, retried by the user)."""
    if isinstance(exc, httpx.TimeoutException):
        return errors.Timeout(
            f"The {service} did not answer in time. Check the network and try again.",
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
    return errors.NetworkError(f"Network error talking to the {service}.", service=service)
