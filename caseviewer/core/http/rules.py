"""The transport rules: whose origin a URL is, what is loopback, which hops may be taken, TLS.

Every URL a client goes to (a redirect's ``Location``, a signed attachment link) is checked by
``check_hop`` before anything is sent; see the package docstring for the rules in words.
"""

from __future__ import annotations

import functools
import ipaddress
import os
import ssl
from urllib.parse import urlsplit

import httpx
import truststore

from caseviewer.core import errors

MAX_REDIRECTS = 5
#: Methods that carry no data of their own (anything else may hold the password).
SAFE_METHODS = frozenset({"GET", "HEAD"})


def origin_of(url: str | httpx.URL) -> tuple[str, str, int]:
    """(scheme, host, port) with the scheme's default port filled in."""
    parts = urlsplit(str(url))
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    return scheme, (parts.hostname or "").lower(), port


@functools.lru_cache(maxsize=256)
def cached_origin(url: str) -> tuple[str, str, int]:
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


def check_hop(
    previous: httpx.URL, target: httpx.URL, *, service: str, own: bool, allow_insecure: bool,
    carries_data: bool, hop: int,
) -> None:
    """Refuse, before sending, a hop the transport rules forbid (``RedirectRefused``).

    ``own``: ``target`` is the client's configured origin; ``allow_insecure``: the profile allows
    plain http to that origin; ``hop`` 0 is the first URL (a link), later ones redirects.
    """
    what = "a redirect" if hop else "a link"
    host = target.host or "?"
    scheme = target.scheme.lower()

    def refuse(text: str) -> errors.RedirectRefused:
        return errors.RedirectRefused(text, service=service)

    if scheme not in ("http", "https"):
        raise refuse(f"The {service} sent {what} to an address that is not http(s); it was not followed.")
    if carries_data and not own:
        # The body may hold the password: only the configured origin ever receives it.
        raise refuse(
            f"The {service} redirected a request that carries data (for sign-in, the "
            f"password) to another site, {host}. It was not followed, so nothing was sent there. "
            "Check the service URL in the profile."
        )
    if previous.scheme.lower() == "https" and scheme == "http":
        raise refuse(
            f"The {service} sent {what} from https:// down to unencrypted http:// on {host}; "
            "it was not followed."
        )
    if scheme == "http" and not is_loopback(host) and not (own and allow_insecure):
        raise refuse(
            f"The {service} sent {what} to unencrypted http:// on {host}; plain http is "
            "only used on this computer (loopback). It was not followed."
        )


__all__ = ["MAX_REDIRECTS", "SAFE_METHODS", "cached_origin", "check_hop", "is_loopback", "origin_of", "tls_context"]
