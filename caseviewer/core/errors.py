"""One error tree for everything the app can tell a user about.

``KnownError`` is the root of failures the user can act on (a wrong key, a dead network, a full
disk). Anything else that escapes is a bug and goes to the crash report instead. Messages are
written for a reviewer, carry no secret and no response body (those may hold PHI), and say what to
do next where there is something to do.

CLI exit codes come from here too, so the command line and the GUI tell the same story.
"""

from __future__ import annotations

import enum

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_NETWORK = 5
EXIT_FAILURE = 1


class Reach(enum.Enum):
    """What a failure says about the service being there, which decides "offline" (repository).

    * ``UNREACHABLE``: the service is not there (connect error, timeout, a portal's HTML page):
      the app goes offline and serves the cache.
    * ``STRAINED``: the service answered with a server error or rate limit: one such answer is
      that request's error; several in a row across requests mean offline.
    * ``ANSWERED``: the service answered and this one answer is bad (not found, invalid or
      too deeply nested JSON): that request's error, never "offline".
    """

    UNREACHABLE = "unreachable"
    STRAINED = "strained"
    ANSWERED = "answered"


class KnownError(Exception):
    """A failure with a message meant for the user; ``exit_code`` is what the CLI returns."""

    exit_code = EXIT_FAILURE
    reach = Reach.ANSWERED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(KnownError):
    exit_code = EXIT_USAGE


class ConfigError(KnownError):
    """A profile or setting is missing or invalid."""

    exit_code = EXIT_USAGE


class ApiError(KnownError):
    """A service answered with an error, or could not be reached.

    ``service`` names which one ("case list", "case detail", "sign-in", "attachment download");
    ``status_code`` is the HTTP status when there was one; ``reply`` (``http.ErrorReply``) is the
    shape of the error answer, never shown or logged, so a connection check can tell "no such
    record" from "no such service at this URL".
    """

    reply: object | None = None

    def __init__(self, message: str, *, service: str = "", status_code: int | None = None) -> None:
        super().__init__(message)
        self.service = service
        self.status_code = status_code


class AuthError(ApiError):
    """The credential is missing, wrong or expired (includes the detail service's 400 for a key)."""

    exit_code = EXIT_AUTH


class PermissionDenied(AuthError):
    """The credential is valid but may not see this (403)."""


class NotFound(ApiError):
    exit_code = EXIT_NOT_FOUND


class BadRequest(ApiError):
    exit_code = EXIT_USAGE


class PageOutOfRange(BadRequest):
    """The list service's 400 "Page Requested is Out of Max Page Range"."""


class RateLimited(ApiError):
    """429 after the retries ran out; ``retry_after`` is the server's hint in seconds."""

    exit_code = EXIT_NETWORK
    reach = Reach.STRAINED

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(ApiError):
    exit_code = EXIT_NETWORK
    reach = Reach.STRAINED


class NetworkError(ApiError):
    """The service could not be reached or the connection broke."""

    exit_code = EXIT_NETWORK
    reach = Reach.UNREACHABLE


class Timeout(NetworkError):
    pass


class SchemaError(ApiError):
    """The service answered 2xx but the body is not the JSON we expect (malformed, truncated)."""

    exit_code = EXIT_FAILURE


class NotJson(SchemaError):
    """A 2xx answer whose body is not JSON at all: a captive portal, a proxy's or gateway's page.

    That is not the service speaking, so reads treat it like an unreachable service and fall
    back to the offline cache (JSON of the wrong shape stays a plain ``SchemaError``).
    """

    reach = Reach.UNREACHABLE


class InvalidJson(SchemaError):
    """A 2xx JSON answer from the service itself that does not parse (cut short, garbled).

    The service is there: this is the one request's error, not "offline".
    """


class TooDeep(SchemaError):
    """A document nested deeper than ``wire.MAX_DEPTH`` levels: refused before anything recurses."""


class ListInconsistent(SchemaError):
    """The case list's paging contradicts itself (a page repeats, more cases than its total)."""


class Cancelled(KnownError):
    """The user cancelled an operation (a download, a sync)."""


class OfflineError(KnownError):
    """Offline (by choice or because the service is unreachable) and nothing is cached."""

    exit_code = EXIT_NETWORK


class SecretStoreError(KnownError):
    """No usable keyring: what to install or unlock is in the message; nothing is stored instead."""

    exit_code = EXIT_AUTH


class CacheError(KnownError):
    """The encrypted cache cannot be opened or written (wrong key, disk full, corrupt file)."""


class LinkExpired(ApiError):
    """A signed attachment URL has expired (403/410 from the file host, or past its lifetime)."""


class CertificateError(ApiError):
    """The server's TLS certificate is not trusted (unknown CA, self-signed, expired, wrong host).

    Not a ``NetworkError``: the service may be right there, but the connection is not safe, so
    reads do not quietly fall back to the cache and nothing is retried; the message says why.
    """

    exit_code = EXIT_NETWORK


class ResponseTooLarge(ApiError):
    """A response (or its decompressed body) ran past its byte budget; reading stopped there."""


class RedirectRefused(ApiError):
    """A redirect (or a link) the transport rules forbid: leaving the origin with a request body
    (a password), https to http, or plain http off loopback. Nothing was sent there."""
