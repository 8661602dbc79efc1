"""``ServiceClient``: the ``httpx`` clients for one base URL, the one retry loop, redirects by hand.

Construction decides the clients (TLS from the OS store, proxies for other hosts only, loopback
always direct); ``_attempt`` is the one retry loop for buffered and streamed requests; every hop
is checked by ``rules.check_hop`` before it is sent, and every body is read within its budget
(``budget.py``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypedDict, Unpack
from urllib.parse import urljoin, urlsplit

import httpx

from caseviewer import __version__
from caseviewer.core import errors, wire
from caseviewer.core.http.budget import DEFAULT_MAX_RESPONSE_BYTES, MAX_ERROR_BODY_BYTES, iter_within_budget
from caseviewer.core.http.replies import ErrorReply, default_error, not_json_error, transport_error
from caseviewer.core.http.retry import RETRY_STATUSES, RetryPolicy, parse_retry_after
from caseviewer.core.http.rules import MAX_REDIRECTS, SAFE_METHODS, cached_origin, check_hop, is_loopback, origin_of, tls_context
from caseviewer.core.logs import request_context_text

log = logging.getLogger("caseviewer.core.http")  # the name the request log lines always had

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)


class RequestOptions(TypedDict, total=False):
    """What a buffered request carries besides its method and URL (``ServiceClient.send``'s keywords)."""

    params: list[tuple[str, str]] | Mapping[str, str] | None
    json_body: Any
    cancel: threading.Event | None
    max_bytes: int | None


class ServiceClient:
    """Base of the service clients: owns the ``httpx`` clients for one base URL.

    Subclasses supply ``auth_headers()`` and ``map_error(response)``; everything else (retries,
    origin and hop checks, redirects, byte budgets, streaming) is here once.

    ``max_response_bytes`` bounds every buffered (JSON) body; ``allow_insecure`` permits a plain
    http:// base URL off loopback (the profile's explicit opt-in), and only that origin.
    """

    service_name = "service"
    default_max_response_bytes = DEFAULT_MAX_RESPONSE_BYTES

    def __init__(
        self,
        base_url: str,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        transport: httpx.BaseTransport | None = None,
        max_response_bytes: int | None = None,
        allow_insecure: bool = False,
    ) -> None:
        if not base_url or urlsplit(base_url).scheme not in ("http", "https"):
            raise errors.ConfigError(f"The {self.service_name} URL must start with http:// or https://")
        self.base_url = base_url.rstrip("/")
        self.origin = origin_of(self.base_url)
        self._base = httpx.URL(self.base_url)  # the first hop's "previous"; parsed once
        self.allow_insecure = allow_insecure
        if self.origin[0] == "http" and not allow_insecure and not is_loopback(self.origin[1]):
            raise errors.ConfigError(
                f"The {self.service_name} URL uses plain http:// to {self.origin[1]}, which would send "
                "credentials and case data unencrypted. Use https:// (plain http is only for loopback)."
            )
        self.retry = retry
        self.max_response_bytes = max_response_bytes or self.default_max_response_bytes
        self._closed = threading.Event()
        options: dict[str, Any] = dict(
            timeout=timeout,
            follow_redirects=False,
            verify=tls_context(),
            headers={
                "User-Agent": f"caseviewer/{__version__}",
                "Accept": "application/json",
                # Only the codings iter_within_budget decodes (brotli/zstd would be refused).
                "Accept-Encoding": "gzip, deflate",
            },
        )
        # Other hosts honour the proxy environment; loopback never does (a proxy would see the
        # credentials of a local service in clear). An injected transport is used for both.
        self._client = httpx.Client(transport=transport, trust_env=transport is None, **options)
        self._direct = self._client if transport is not None else httpx.Client(trust_env=False, **options)

    # -- to override ------------------------------------------------------------------------

    def auth_headers(self) -> dict[str, str]:
        return {}

    def map_error(self, response: httpx.Response) -> errors.ApiError:
        return default_error(response, self.service_name)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Stop: wakes any back-off sleep and closes the connection pools."""
        self._closed.set()
        self._client.close()
        self._direct.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- requests ----------------------------------------------------------------------------

    def url_for(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    def is_own_origin(self, url: str | httpx.URL) -> bool:
        return cached_origin(str(url)) == self.origin

    def request_json(
        self, method: str, url: str, *, read: Callable[..., Any] = wire.decode_json, **options: Unpack[RequestOptions]
    ) -> tuple[httpx.Response, Any]:
        """Send, retry as allowed, map errors; return the response and its parsed JSON body
        (``read``: ``wire.decode_json`` or another of the wire's readers, given the same arguments)."""
        response = self.send(method, url, **options)
        try:
            return response, read(response.content, service=self.service_name, status_code=response.status_code)
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
        max_bytes: int | None = None,
    ) -> httpx.Response:
        """A buffered request with retries; returns a read 2xx response or raises a KnownError.

        The body is read within ``max_bytes`` (default: the client's ``max_response_bytes``).
        """
        limit = max_bytes or self.max_response_bytes
        return self._attempt(method, url, params=params, json_body=json_body, cancel=cancel, buffer_limit=limit)

    @contextmanager
    def stream(self, url: str, *, cancel: threading.Event | None = None) -> Iterator[httpx.Response]:
        """A streamed GET (retried until the headers arrive); yields an unread 2xx response.

        Read it with ``iter_body`` so the byte budget applies.
        """
        response = self._attempt("GET", url, cancel=cancel, buffer_limit=None)
        try:
            yield response
        finally:
            response.close()

    def iter_body(self, response: httpx.Response, limit: int, *, chunk_size: int | None = None) -> Iterator[bytes]:
        """A streamed response's decoded bytes, within ``limit`` (see ``iter_within_budget``)."""
        try:
            yield from iter_within_budget(response, limit, service=self.service_name, chunk_size=chunk_size)
        except httpx.RequestError as exc:
            raise transport_error(exc, self.service_name, document=False) from None

    # -- internals ---------------------------------------------------------------------------

    def _attempt(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        json_body: Any = None,
        cancel: threading.Event | None,
        buffer_limit: int | None,
    ) -> httpx.Response:
        """The one retry loop. ``buffer_limit`` set: the 2xx body is read within it (a body that
        breaks off is retried like a failed connection); None: the 2xx response is returned
        unread, for the caller to stream."""
        attempts = self.retry.max_retries + 1 if method.upper() == "GET" else 1
        for attempt in range(attempts):
            last_try = attempt == attempts - 1
            try:
                response = self._send_following_redirects(method, url, params=params, json_body=json_body)
                if response.is_success and buffer_limit is None:
                    return response
                if response.is_success:
                    response = self._buffered(response, buffer_limit, truncate=False)
                else:
                    response = self._buffered(response, MAX_ERROR_BODY_BYTES, truncate=True)
            except httpx.RequestError as exc:
                error = transport_error(exc, self.service_name)
                if last_try or not isinstance(exc, httpx.TransportError) or isinstance(error, errors.CertificateError):
                    raise error from None
                self._sleep(self.retry.backoff(attempt), cancel)
                continue
            if response.is_success:
                return response
            if response.status_code in RETRY_STATUSES and not last_try:
                self._sleep(self._delay_for(response, attempt), cancel)
                continue
            error = self.map_error(response)
            error.reply = ErrorReply.of(response)
            raise error
        raise AssertionError("unreachable")  # pragma: no cover

    def _buffered(self, response: httpx.Response, limit: int, *, truncate: bool) -> httpx.Response:
        """A read copy of streamed ``response``, its body taken within ``limit``.

        ``truncate``: past the limit the copy has no body (an error page too big to matter)
        instead of raising. The copy carries the decoded body, so its coding headers are dropped.
        """
        try:
            body = b"".join(iter_within_budget(response, limit, service=self.service_name))
        except errors.ApiError:  # too large, or an encoding refused unread
            if not truncate:
                raise
            body = b""
        finally:
            response.close()
        headers = [
            (key, value)
            for key, value in response.headers.multi_items()
            if key.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        return httpx.Response(response.status_code, headers=headers, content=body, request=response.request)

    def _send_following_redirects(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        json_body: Any = None,
    ) -> httpx.Response:
        """Send (streamed) and follow redirects by hand, checking every hop before it is sent."""
        if self._closed.is_set():
            raise errors.Cancelled("Stopped.")
        previous = self._base
        current = httpx.URL(url)
        # Decided once: a POST that a 303 turns into a GET still may not leave the origin.
        carries_data = json_body is not None or method.upper() not in SAFE_METHODS
        for hop in range(MAX_REDIRECTS + 1):
            check_hop(previous, current, service=self.service_name, own=self.is_own_origin(current),
                      allow_insecure=self.allow_insecure, carries_data=carries_data, hop=hop)
            own = self.is_own_origin(current)
            client = self._direct if is_loopback(current.host) else self._client
            headers = self.auth_headers() if own else {}
            request = client.build_request(method, current, params=params, json=json_body, headers=headers)
            started = time.monotonic()
            response = client.send(request, stream=True)
            log.info(
                "%s %s%s%s -> %s in %.0f ms",
                method,
                self.service_name,
                "" if own else " (other origin)",
                request_context_text(),
                response.status_code,
                (time.monotonic() - started) * 1000,
            )
            location = response.headers.get("location") if response.is_redirect else None
            if not location:
                return response
            response.close()
            previous, current = current, httpx.URL(urljoin(str(current), location))
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


__all__ = ["DEFAULT_TIMEOUT", "RequestOptions", "ServiceClient"]
