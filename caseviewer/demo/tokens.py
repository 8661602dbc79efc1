"""The list service's bearer tokens: the static demo token, and the id_tokens sign-in issues.

An id_token is JWT-shaped with a random signature, so only this service can check it (by its
book of issued tokens); it stops being valid ``token_ttl_seconds`` after it was issued, by the
config's clock (injectable, so tests expire tokens without sleeping). Both are read from the
config when asked, as the service reads them.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caseviewer.demo.server import DemoConfig


class TokenBook:
    """Issues id_tokens and tells a valid bearer token (the static one or an unexpired id_token). Thread-safe."""

    def __init__(self, config: DemoConfig, *, customer_id: str, email: str, static_token: str) -> None:
        self._config = config
        self._customer_id = customer_id
        self._email = email
        self._static_token = static_token
        self._issued: dict[str, float] = {}
        self._lock = threading.Lock()

    def issue(self) -> str:
        """A fresh JWT-shaped id_token (random signature; only this service can check it)."""
        now = self._config.clock()

        def b64(obj: dict[str, Any]) -> str:
            raw = json.dumps(obj, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        claims = {"sub": self._customer_id, "email": self._email, "token_use": "id",
                  "iat": int(now), "exp": int(now + self._config.token_ttl_seconds),
                  "jti": secrets.token_hex(8)}
        token = ".".join((b64({"alg": "HS256", "typ": "JWT"}), b64(claims),
                          secrets.token_urlsafe(32)))
        with self._lock:
            self._issued[token] = now
        return token

    def valid(self, token: str) -> bool:
        if not token:
            return False
        if hmac.compare_digest(token.encode(), self._static_token.encode()):
            return True
        with self._lock:
            issued = self._issued.get(token)
        return issued is not None and self._config.clock() - issued <= self._config.token_ttl_seconds
