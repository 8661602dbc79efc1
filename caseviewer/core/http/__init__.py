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

The package, one job per module: ``rules`` (origins, loopback, hops, TLS), ``budget`` (byte
budgets, bounded decompression), ``retry`` (the policy, ``Retry-After``), ``replies`` (errors a
reviewer reads), ``client`` (``ServiceClient``: construction, the retry loop, redirects).
"""

from __future__ import annotations

from caseviewer.core.http.budget import (
    ACCEPTED_CODINGS,
    DECODE_PIECE,
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
    MAX_ERROR_BODY_BYTES,
    MIB,
    content_length,
    iter_within_budget,
)
from caseviewer.core.http.client import DEFAULT_TIMEOUT, ServiceClient
from caseviewer.core.http.replies import ErrorReply, default_error, error_text, not_json_error, transport_error
from caseviewer.core.http.retry import RETRY_STATUSES, RetryPolicy, parse_retry_after
from caseviewer.core.http.rules import MAX_REDIRECTS, is_loopback, origin_of, tls_context

__all__ = [
    "ACCEPTED_CODINGS", "DECODE_PIECE", "DEFAULT_MAX_DOWNLOAD_BYTES", "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT", "MAX_ERROR_BODY_BYTES", "MAX_REDIRECTS", "MIB", "RETRY_STATUSES", "ErrorReply",
    "RetryPolicy", "ServiceClient", "content_length", "default_error", "error_text", "is_loopback",
    "iter_within_budget", "not_json_error", "origin_of", "parse_retry_after", "tls_context", "transport_error",
]
