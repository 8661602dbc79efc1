"""The HTTP plumbing every service client shares: one ``httpx.Client``, retries, transport rules.

* **Origin rule.** Auth headers are added per request, and only when the request's origin
  (scheme, host, port) is the configured base URL's origin. Redirects are followed by hand so a
  hop to another origin loses them too; httpx's own redirect handling is switched off.
* **Hop rules.** Every URL the client goes to, a redirect's ``Location`` or a link the service
  handed out (signed attachment URLs), is checked before anything is sent: a request with a body
  (sign-in's email and password, any POST) never leaves the configured origin; https never
  drops to http; plain http only to loopback (or to the configured origin itself when the profile
  explicitly allows insecure http). A refused hop is a ``RedirectRefused``; nothing went there.
* **Byte budget.** Every body is streamed and counted twice, as it arrives
  (``num_bytes_downloaded``) and as it is decompressed, and reading stops with
  ``ResponseTooLarge`` past the budget, so neither a huge body nor a gzip bomb can take the
  memory. Decompression is done here in bounded steps (zlib ``max_length``), and at most one
  content coding (gzip or deflate) is accepted: stacked codings multiply the inflation.
* **Trust.** TLS is verified against the operating system's trust store (``truststore``), plus
  the file named by ``SSL_CERT_FILE`` when set; a certificate failure is a ``CertificateError``
  naming the host and OpenSSL's reason, not "cannot reach".
* **Proxies.** Loopback hosts are always reached directly (a client with ``trust_env=False``);
  only other hosts go through ``HTTP(S)_PROXY``/``ALL_PROXY``, so a proxy never sees the demo's
  or a local service's credentials.
* **Retries.** Only idempotent requests (GET) are retried: on 408, 429, 5xx, timeouts and broken
  connections, with jittered exponential back-off; a 429's ``Retry-After`` is honoured up to a
  cap. One loop (``_attempt``) serves buffered and streamed requests alike. Sleeping happens on
  the calling thread, which is always a worker, never the GUI.
* **Cancellation.** ``close()`` (or the ``cancel`` event of a call) wakes any back-off sleep at
  once, so quitting the app never waits for a retry schedule.
* **Errors.** Every failure leaves as a ``KnownError`` subclass whose text holds no secret and
  no response body.
"""

from __future__ import annotations

import email.utils
import functools
import ipaddress
import logging
import os
import random
import ssl
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import truststore

from caseviewer import __version__
from caseviewer.core import errors, wire
from caseviewer.core.logs import request_context_text

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_REDIRECTS = 5

MIB = 1024 * 1024
#: A JSON document (a list page, a sign-in answer) larger than this is refused.
DEFAULT_MAX_RESPONSE_BYTES = 64 * MIB
#: A streamed attachment download larger than this is refused (the caller may ask for less).
DEFAULT_MAX_DOWNLOAD_BYTES = 512 * MIB
#: An error answer is read only this far, for the service's short message.
MAX_ERROR_BODY_BYTES = 1 * MIB
#: Content codings decoded (one at most, see ``_BoundedDecoder``); anything else is refused unread.
ACCEPTED_CODINGS = frozenset({"gzip", "deflate", "identity"})
#: The most bytes decompressed in one step, whatever the compression ratio.
DECODE_PIECE = 64 * 1024


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


@functools.lru_cache(maxsize=256)
def _cached_origin(url: str) -> tuple[str, str, int]:
    """``origin_of`` for the few URLs a client asks about again and again (one per endpoint: the
    query travels apart), a pure function of the text."""
    return origin_of(url)


@functools.lru_cache(maxsize=64)  # asked on every request and hop; parsing an address is not free
def is_loopback(host: str) -> bool:
    """``localhost``, ``*.localhost``, 127.0.0.0/8 and ::1: this machine, never the network."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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


def tls_context() -> ssl.SSLContext:
    """The OS trust store, plus ``SSL_CERT_FILE``/``SSL_CERT_DIR`` when set (built once per value)."""
    return _tls_context(os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None)


@functools.lru_cache(maxsize=4)
def _tls_context(cafile: str | None, capath: str | None) -> ssl.SSLContext:
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if cafile or capath:
        try:
            context.load_verify_locations(cafile=cafile, capath=capath)
        except (OSError, ssl.SSLError) as exc:
            raise errors.ConfigError(
                f"SSL_CERT_FILE/SSL_CERT_DIR does not name readable certificates ({exc.strerror or exc})."
            ) from None
    return context


def content_length(response: httpx.Response) -> int | None:
    """The declared ``Content-Length`` (the bytes on the wire), if there is a valid one."""
    try:
        value = int(response.headers["content-length"])
    except (KeyError, ValueError):
        return None
    return value if value >= 0 else None


def iter_within_budget(
    response: httpx.Response, limit: int, *, service: str, chunk_size: int | None = None
) -> Iterator[bytes]:
    """The decoded body of a streamed ``response`` in chunks, stopping past ``limit`` bytes.

    Both counts are held to ``limit``: the bytes received (``num_bytes_downloaded``; a declared
    ``Content-Length`` is checked before reading) and the bytes decompressed. Decompression is
    done here from the raw stream with zlib's ``max_length``, never more than ``DECODE_PIECE``
    bytes at a time: httpx's own decoder inflates a whole network read at once, which for a gzip
    bomb is some 1000 times the read (a 64 KiB read became 64 MiB, twice over while joined).
    """
    declared = content_length(response)
    if declared is not None and declared > limit:
        raise _too_large(service, limit, declared)
    decoder = _BoundedDecoder.for_response(response, service)
    piece = chunk_size or DECODE_PIECE
    decoded = 0
    for raw in response.iter_raw():
        if response.num_bytes_downloaded > limit:
            raise _too_large(service, limit, None)
        for chunk in decoder.feed(raw, piece):
            decoded += len(chunk)
            if decoded > limit:
                raise _too_large(service, limit, None)
            yield chunk
    for chunk in decoder.finish(piece):
        decoded += len(chunk)
        if decoded > limit:
            raise _too_large(service, limit, None)
        yield chunk


class _BoundedDecoder:
    """gzip / deflate / identity decoding that yields at most ``piece`` bytes per step."""

    def __init__(self, coding: str, service: str) -> None:
        self.coding = coding
        self.service = service
        self._first = True
        # gzip: a gzip header; deflate: the zlib wrapper, or (on the first error) raw deflate,
        # which some servers send under that name (httpx does the same fallback).
        self._inflater = None if coding == "identity" else zlib.decompressobj(zlib.MAX_WBITS | (16 if coding == "gzip" else 0))

    @classmethod
    def for_response(cls, response: httpx.Response, service: str) -> "_BoundedDecoder":
        codings = [c.strip() for c in response.headers.get("content-encoding", "").lower().split(",") if c.strip()]
        applied = [c for c in codings if c != "identity"]
        # Stacked codings multiply the inflation; anything but one gzip or deflate is refused.
        if len(applied) > 1 or not set(codings) <= ACCEPTED_CODINGS:
            raise errors.ApiError(
                f"The {service} sent a response in an encoding the app does not accept "
                f"({', '.join(codings)[:60]}).",
                service=service,
                status_code=response.status_code,
            )
        return cls(applied[0] if applied else "identity", service)

    def feed(self, data: bytes, piece: int) -> Iterator[bytes]:
        if self._inflater is None:
            for start in range(0, len(data), piece):
                yield data[start : start + piece]
            return
        pending = data
        while True:
            try:
                out = self._inflater.decompress(pending, piece)
            except zlib.error:
                if self.coding == "deflate" and self._first:
                    self._first = False
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    out = b""
                    continue
                raise self._broken() from None
            self._first = False
            if out:
                yield out
            pending = self._inflater.unconsumed_tail
            # A full piece may leave output inside zlib even with no input left: ask again.
            if not pending and len(out) < piece:
                return

    def finish(self, piece: int) -> Iterator[bytes]:
        if self._inflater is None:
            return
        yield from self.feed(b"", piece)
        try:
            rest = self._inflater.flush()
        except zlib.error:
            raise self._broken() from None
        if rest:
            yield rest

    def _broken(self) -> errors.NetworkError:
        return errors.NetworkError(
            f"The {self.service} sent a compressed response that does not decompress.", service=self.service
        )


def _too_large(service: str, limit: int, declared: int | None) -> errors.ResponseTooLarge:
    size = f" ({declared:,} bytes)" if declared is not None else ""
    return errors.ResponseTooLarge(
        f"The {service} sent a response{size} larger than the {limit:,}-byte limit; the app "
        "stopped reading it.",
        service=service,
    )


_SAFE_METHODS = frozenset({"GET", "HEAD"})


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
        return _cached_origin(str(url)) == self.origin

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
        carries_data = json_body is not None or method.upper() not in _SAFE_METHODS
        for hop in range(MAX_REDIRECTS + 1):
            self._check_hop(previous, current, carries_data=carries_data, hop=hop)
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

    def _check_hop(self, previous: httpx.URL, target: httpx.URL, *, carries_data: bool, hop: int) -> None:
        """Refuse, before sending, a hop the transport rules forbid (see the module docstring)."""
        what = "a redirect" if hop else "a link"
        host = target.host or "?"
        scheme = target.scheme.lower()

        def refuse(text: str) -> errors.RedirectRefused:
            return errors.RedirectRefused(text, service=self.service_name)

        if scheme not in ("http", "https"):
            raise refuse(f"The {self.service_name} sent {what} to an address that is not http(s); it was not followed.")
        own = self.is_own_origin(target)
        if carries_data and not own:
            # The body may hold the password: only the configured origin ever receives it.
            raise refuse(
                f"The {self.service_name} redirected a request that carries data (for sign-in, the "
                f"password) to another site, {host}. It was not followed, so nothing was sent there. "
                "Check the service URL in the profile."
            )
        if previous.scheme.lower() == "https" and scheme == "http":
            raise refuse(
                f"The {self.service_name} sent {what} from https:// down to unencrypted http:// on {host}; "
                "it was not followed."
            )
        if scheme == "http" and not is_loopback(host) and not (own and self.allow_insecure):
            raise refuse(
                f"The {self.service_name} sent {what} to unencrypted http:// on {host}; plain http is "
                "only used on this computer (loopback). It was not followed."
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
