"""The demo case service: list, sign-in and detail on one port, signed attachment files on another.

``DemoService(DemoConfig(...)).start()`` serves, on ``host`` (loopback by default):

* ``GET  {list_url}/customers/{customer_id}/cases`` - the Worth case list, bearer auth (the static
  ``list_token`` or an ``id_token`` from sign-in younger than ``token_ttl_seconds``). A missing,
  bad or expired token is a 401 ``{"message":"Unauthorized","errorCode":"ERR_UNAUTHORIZED"}``;
  another customer id is a 404 ``{"status":"fail","message":"Customer not found",...}``.
* ``POST {auth_url}/auth/api/v1/customer/sign-in`` - ``{email, password}`` -> ``data.id_token``.
  Wrong credentials are a 401 with the same Unauthorized body (what the list service itself
  answers); a body that is not JSON or lacks a field is a 400 ``{"status":"fail",...}``.
* ``GET  {detail_url}/api/v1/customer-case-detail`` - CareValidate detail, header ``cv-api-key``;
  a missing or wrong key is a **400**, like the real service.
* ``GET  {files_url}/files/{attachment_id}/{name}?exp=&sig=`` - attachment bytes for
  ``documentFormat=url``; no auth header needed, 403 S3-style XML when expired or forged.
* ``GET|POST|DELETE {auth_url}/__demo/faults`` - the fault knobs (see ``faults.py``); a
  loopback demo control with no auth, never itself affected by faults.

The service is a test fixture and a product feature (``caseviewer --demo``), so it uses only the
standard library and never imports Qt. This module runs the two servers and holds their shared
state; the handlers are ``api_handler.py`` and ``files_handler.py``.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from caseviewer.demo.api_handler import LIST_PREFIX, ApiHandler
from caseviewer.demo.data import DemoData
from caseviewer.demo.faults import FaultConfig
from caseviewer.demo.files_handler import FilesHandler
from caseviewer.demo.request_log import RequestLog
from caseviewer.demo.signing import UrlSigner
from caseviewer.demo.tokens import TokenBook
from caseviewer.demo.transport import DemoHTTPServer


@dataclass
class DemoConfig:
    """How to run the demo service. ``port``/``files_port`` 0 pick free ports."""

    cases: int = 50
    seed: int = 1
    host: str = "127.0.0.1"
    port: int = 0
    files_port: int = 0
    url_ttl_seconds: float = 900
    token_ttl_seconds: float = 3600
    large_attachment_bytes: int = 0
    # Injectable so tests can expire tokens and URLs without sleeping.
    clock: Callable[[], float] = field(default=time.time, repr=False)


class DemoService:
    """Both demo servers and their shared state. Start/stop, or use as a context manager."""

    def __init__(self, config: DemoConfig | None = None) -> None:
        self.config = config or DemoConfig()
        self.data = DemoData(self.config.cases, self.config.seed,
                             large_attachment_bytes=self.config.large_attachment_bytes)
        self.faults = FaultConfig(seed=self.config.seed)
        #: Every request the main port received (tests prove what was, and was not, sent).
        self.request_log = RequestLog()
        digest = hashlib.blake2b(f"demo-secrets:{self.config.seed}".encode()).hexdigest()
        # Demo values only, stable per seed so scripts can keep using them across restarts.
        self.customer_id = self.data.customer_id
        self.list_token = f"demo-list-token-{digest[:32]}"
        self.login_email = "reviewer@example.test"
        self.login_password = "demo-password"
        self.detail_key = f"cvk_demo_{digest[32:64]}"
        self.tokens = TokenBook(self.config, customer_id=self.customer_id, email=self.login_email,
                                static_token=self.list_token)
        self._api: DemoHTTPServer | None = None
        self._files: DemoHTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self.signer: UrlSigner

    # lifecycle -----------------------------------------------------------------------------------

    def start(self) -> DemoService:
        if self._api is not None:
            return self
        host = self.config.host
        self._api = DemoHTTPServer((host, self.config.port), ApiHandler, self)
        try:
            self._files = DemoHTTPServer((host, self.config.files_port), FilesHandler, self)
        except OSError:
            self._api.server_close()
            self._api = None
            raise
        self.signer = UrlSigner(self.files_url, self.config.url_ttl_seconds)
        for server, name in ((self._api, "demo-api"), (self._files, "demo-files")):
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                      name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        servers = [s for s in (self._api, self._files) if s is not None]
        for server in servers:
            server.stopping.set()  # wake handlers sleeping on latency or slow bodies
        for server in servers:
            server.shutdown()
            server.server_close()
        for server in servers:
            server.close_connections(timeout=0.3)
        for thread in self._threads:
            thread.join(1.0)
        self._threads.clear()
        self._api = self._files = None

    def __enter__(self) -> DemoService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # addresses -----------------------------------------------------------------------------------

    def _origin(self, server: DemoHTTPServer | None) -> str:
        if server is None:
            raise RuntimeError("the demo service is not running")
        host, port = server.server_address[:2]
        if ":" in str(host):
            host = f"[{host}]"
        return f"http://{host}:{port}"

    @property
    def auth_url(self) -> str:
        return self._origin(self._api)

    @property
    def list_url(self) -> str:
        return self._origin(self._api) + LIST_PREFIX

    @property
    def detail_url(self) -> str:
        return self._origin(self._api)

    @property
    def files_url(self) -> str:
        return self._origin(self._files)

    def credentials_lines(self) -> list[str]:
        """``key=value`` lines the ``demo-server`` command prints for scripts to read."""
        return [
            f"list_url={self.list_url}",
            f"auth_url={self.auth_url}",
            f"detail_url={self.detail_url}",
            f"customer_id={self.customer_id}",
            f"list_token={self.list_token}",
            f"login_email={self.login_email}",
            f"login_password={self.login_password}",
            f"detail_key={self.detail_key}",
        ]


__all__ = ["DemoConfig", "DemoService"]
