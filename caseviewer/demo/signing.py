"""Signed, expiring attachment URLs for the demo files server (S3 presigned URLs in miniature).

A URL carries ``exp`` (unix seconds) and ``sig`` = HMAC-SHA256 over ``attachment id`` and
``exp`` with a per-service random key, so URLs are useless after a restart or once expired, and
the files server needs no auth header, like a real presigned URL.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import quote


class UrlSigner:
    """Makes and checks the ``exp``/``sig`` pair of attachment URLs."""

    def __init__(self, base_url: str, ttl_seconds: float, key: bytes | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.ttl_seconds = ttl_seconds
        self._key = key or secrets.token_bytes(32)

    def _sig(self, attachment_id: str, exp: int) -> str:
        message = f"{attachment_id}:{exp}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def url(self, attachment_id: str, file_name: str, now: float) -> str:
        exp = int(now + self.ttl_seconds)
        # safe="" so "/" and "\" in hostile names stay inside one path segment.
        name = quote(file_name, safe="") or "file"
        return (f"{self.base_url}/files/{attachment_id}/{name}"
                f"?exp={exp}&sig={self._sig(attachment_id, exp)}")

    def check(self, attachment_id: str, exp: str, sig: str, now: float) -> str | None:
        """None when valid, else the S3-style reason ("Request has expired", ...)."""
        try:
            exp_value = int(exp)
        except ValueError:
            return "Invalid date format header, expected to be in ISO8601, RFC 2616, or epoch"
        if not hmac.compare_digest(self._sig(attachment_id, exp_value), sig):
            return ("The request signature we calculated does not match the signature you "
                    "provided.")
        if now > exp_value:
            return "Request has expired"
        return None
