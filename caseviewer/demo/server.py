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
standard library and never imports Qt.
"""

from __future__ import annotations

import collections
import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Callable
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

from caseviewer.demo import hostile_data, listing
from caseviewer.demo.data import DemoData
from caseviewer.demo import hostile_content
from caseviewer.demo.faults import FaultConfig, FaultDecision
from caseviewer.demo.files import render
from caseviewer.demo.signing import UrlSigner
from caseviewer.demo.transport import (
    MALFORMED_BODY,
    DemoHandler,
    DemoHTTPServer,
    Response,
    json_response,
)

LIST_PREFIX = "/case/api/v1"
SIGN_IN_PATH = "/auth/api/v1/customer/sign-in"
DETAIL_PATH = "/api/v1/customer-case-detail"
FAULTS_PATH = "/__demo/faults"
_CASES_RE = re.compile(r"^/case/api/v1/customers/([^/]+)/cases/?$")
_FILES_RE = re.compile(r"^/files/([^/]+)/[^/]*$")

UNAUTHORIZED = {"message": "Unauthorized", "errorCode": "ERR_UNAUTHORIZED"}

DETAIL_ERRORS = {
    400: "Bad request!",
    403: "Permission denied!",
    404: "No Case found for provided details!",
    429: "Too many requests, please try again later.",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
    504: "Gateway timeout",
}

S3_CODES = {403: "AccessDenied", 404: "NoSuchKey", 429: "SlowDown", 500: "InternalError",
            503: "SlowDown"}


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


# --- error bodies per service --------------------------------------------------------------------

def error_for(service: str, status: int, retry_after: int | None = None) -> Response:
    """The error a service answers with ``status``, in that service's own shape."""
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    if service == "files":
        code = S3_CODES.get(status, "InternalError")
        return s3_error(status, code, reason, headers)
    if service == "detail":
        message = DETAIL_ERRORS.get(status, reason)
        return json_response(status, {"status": status, "success": False, "error": message},
                             headers)
    if status == 401:
        return json_response(401, UNAUTHORIZED, headers)
    if status == 429:
        return json_response(429, {"message": "Too many requests, please try again later.",
                                   "errorCode": "ERR_TOO_MANY_REQUESTS"}, headers)
    return json_response(status, {"status": "error" if status >= 500 else "fail",
                                  "message": reason, "data": {},
                                  "errorCode": f"ERR_{reason.upper().replace(' ', '_')}"},
                         headers)


def s3_error(status: int, code: str, message: str, headers: dict[str, str] | None = None
             ) -> Response:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{xml_escape(message)}</Message>"
        f"<RequestId>{secrets.token_hex(8).upper()}</RequestId></Error>"
    ).encode()
    return Response(status=status, body=body, content_type="application/xml",
                    headers=dict(headers or {}))


def _fail(status: int, message: str, code: str) -> Response:
    return json_response(status, {"status": "fail", "message": message, "data": {},
                                  "errorCode": code})


# --- handlers ------------------------------------------------------------------------------------

class ApiHandler(DemoHandler):
    """List, sign-in, detail and the fault control endpoint (the main port)."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._dispatch("POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self._dispatch("DELETE")

    def do_PUT(self) -> None:  # noqa: N802
        self._dispatch("PUT")

    def _dispatch(self, method: str) -> None:
        svc: DemoService = self.server.context
        body = self.read_body()
        svc.request_log.record(method, self.path, dict(self.headers.items()), body)
        path, pairs = self.split_target()
        if path == FAULTS_PATH:
            self.send(self._faults(method, body))
            return
        if _CASES_RE.match(path):
            service, handler = "list", lambda: self._list(method, path, pairs)
        elif path == SIGN_IN_PATH:
            service, handler = "auth", lambda: self._sign_in(method, body)
        elif path == DETAIL_PATH:
            service, handler = "detail", lambda: self._detail(method, pairs)
        else:
            self.send(json_response(404, {"message": "Route not found",
                                          "errorCode": "ERR_NOT_FOUND"}))
            return
        decision = svc.faults.decide(service)
        if self.wait(decision.latency_s):
            self.close_connection = True
            return
        if decision.status is not None:
            response = error_for(service, decision.status, decision.retry_after)
        else:
            pairs = hostile_data.list_pairs(decision.hostile, pairs)  # read late by the handler
            response = hostile_data.apply(decision.hostile, service, handler())
            if decision.malformed and response.status == 200:
                response.body = MALFORMED_BODY
        self.send(response, decision)

    # list ----------------------------------------------------------------------------------------

    def _list(self, method: str, path: str, pairs: list[tuple[str, str]]) -> Response:
        svc: DemoService = self.server.context
        if method != "GET":
            return _fail(405, "Method Not Allowed", "ERR_METHOD_NOT_ALLOWED")
        auth = self.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not svc.token_valid(token.strip()):
            return json_response(401, UNAUTHORIZED)
        match = _CASES_RE.match(path)
        assert match is not None
        if match.group(1) != svc.customer_id:
            return _fail(404, "Customer not found", "ERR_NOT_FOUND")
        try:
            return json_response(200, listing.page_body(svc.data, pairs))
        except listing.QueryError as exc:
            return _fail(400, str(exc), "ERR_BAD_REQUEST")

    # sign-in -------------------------------------------------------------------------------------

    def _sign_in(self, method: str, body: bytes) -> Response:
        svc: DemoService = self.server.context
        if method != "POST":
            return _fail(405, "Method Not Allowed", "ERR_METHOD_NOT_ALLOWED")
        try:
            payload = json.loads(body or b"null")
        except ValueError:
            return _fail(400, "Invalid JSON body", "ERR_VALIDATION")
        if not isinstance(payload, dict):
            return _fail(400, '"value" must be of type object', "ERR_VALIDATION")
        for key in ("email", "password"):
            if not isinstance(payload.get(key), str) or not payload[key]:
                return _fail(400, f'"{key}" is required', "ERR_VALIDATION")
        email_ok = payload["email"].strip().lower() == svc.login_email.lower()
        password_ok = hmac.compare_digest(payload["password"].encode(),
                                          svc.login_password.encode())
        if not (email_ok and password_ok):
            return json_response(401, UNAUTHORIZED)
        token = svc.issue_token()
        return json_response(200, {
            "status": "success",
            "message": "Customer signed in successfully",
            "data": {
                "id_token": token,
                "expires_in": int(svc.config.token_ttl_seconds),
                "customer_details": {
                    "id": svc.customer_id,
                    "email": svc.login_email,
                    "first_name": "Demo",
                    "last_name": "Reviewer",
                    "customer_name": "Demo Health Partners (synthetic)",
                    "is_email_verified": True,
                },
            },
        })

    # detail --------------------------------------------------------------------------------------

    def _detail(self, method: str, pairs: list[tuple[str, str]]) -> Response:
        svc: DemoService = self.server.context
        if method != "GET":
            return error_for("detail", 404)
        key = self.headers.get("cv-api-key", "").strip()
        if not key:
            return _detail_error(400, "Secret key not provided!")
        if not hmac.compare_digest(key.encode(), svc.detail_key.encode()):
            return _detail_error(400, f"Organization with [{key[:4]}...] not found!")
        params = dict(pairs)  # repeated keys: the last wins, as with Express's default parser
        case_id = params.get("caseId", "").strip()
        email = params.get("email", "").strip()
        if not case_id and not email:
            return _detail_error(400, "caseId or email parameters must be provided!")
        document_format = params.get("documentFormat", "base64") or "base64"
        if document_format not in ("base64", "url"):
            return _detail_error(400, 'documentFormat must be either "base64" or "url"')

        def flag(name: str) -> bool:
            return params.get(name, "").strip().lower() == "true"

        now = svc.config.clock()
        doc = svc.data.detail(
            case_id or None,
            email=None if case_id else email,
            include_attachments=flag("includeAttachments"),
            include_calendar_events=flag("includeCalendarEvents"),
            include_orders=flag("includeOrders"),
            include_case_products=flag("includeCaseProducts"),
            document_format=document_format,
            url_for=lambda att_id, name: svc.signer.url(att_id, name, now),
        )
        if doc is None:
            return _detail_error(404, "No Case found for provided details!")
        doc = hostile_content.apply(svc.faults.hostile_content, doc)
        return json_response(200, {"status": 200, "success": True, "caseDetail": doc})

    # fault control -------------------------------------------------------------------------------

    def _faults(self, method: str, body: bytes) -> Response:
        svc: DemoService = self.server.context
        if method == "DELETE":
            svc.faults.reset()
        elif method in ("POST", "PUT"):
            try:
                changes = json.loads(body or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("body must be a JSON object")
                svc.faults.update(**changes)
            except (ValueError, TypeError) as exc:
                return json_response(400, {"error": str(exc)})
        elif method != "GET":
            return json_response(405, {"error": "method not allowed"})
        return json_response(200, svc.faults.snapshot())


def _detail_error(status: int, message: str) -> Response:
    return json_response(status, {"status": status, "success": False, "error": message})


class FilesHandler(DemoHandler):
    """Signed attachment downloads (the second port): no auth header, like presigned S3 URLs."""

    def do_GET(self) -> None:  # noqa: N802
        self._serve(head_only=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head_only=True)

    def _serve(self, head_only: bool) -> None:
        svc: DemoService = self.server.context
        self.read_body()
        decision: FaultDecision = svc.faults.decide("files")
        if self.wait(decision.latency_s):
            self.close_connection = True
            return
        if decision.status is not None:
            self.send(error_for("files", decision.status, decision.retry_after), decision,
                      head_only)
            return
        response = self._file_response()
        if decision.malformed and response.status == 200:
            response.body = response.body[: len(response.body) // 2]
        self.send(response, decision, head_only)

    def _file_response(self) -> Response:
        svc: DemoService = self.server.context
        path, pairs = self.split_target()
        match = _FILES_RE.match(path)
        if not match:
            return s3_error(404, "NoSuchKey", "The specified key does not exist.")
        params = dict(pairs)
        if "exp" not in params or "sig" not in params:
            return s3_error(403, "AccessDenied",
                            "Query-string authentication requires the exp and sig parameters")
        attachment_id = match.group(1)
        problem = svc.signer.check(attachment_id, params["exp"], params["sig"],
                                   svc.config.clock())
        if problem:
            return s3_error(403, "AccessDenied", problem)
        found = svc.data.attachment(attachment_id)
        if found is None:
            return s3_error(404, "NoSuchKey", "The specified key does not exist.")
        spec, name = found
        data = render(spec)
        return Response(
            status=200,
            body=data,
            content_type=spec.content_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}",
                "ETag": '"' + hashlib.md5(data, usedforsecurity=False).hexdigest() + '"',
                "Cache-Control": "private, max-age=0",
            },
        )


# --- the service ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoggedRequest:
    method: str
    target: str  # path and query, as sent
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic()


class RequestLog:
    """The last requests of the main port (bounded), for tests and benchmarks. Thread-safe."""

    def __init__(self, limit: int = 20_000) -> None:
        self._lock = threading.Lock()
        self._entries: collections.deque[LoggedRequest] = collections.deque(maxlen=limit)

    def record(self, method: str, target: str, headers: dict[str, str], body: bytes) -> None:
        with self._lock:
            self._entries.append(LoggedRequest(method, target, headers, body, time.monotonic()))

    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


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
        self._tokens: dict[str, float] = {}
        self._tokens_lock = threading.Lock()
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

    # tokens --------------------------------------------------------------------------------------

    def issue_token(self) -> str:
        """A fresh JWT-shaped id_token (random signature; only this service can check it)."""
        now = self.config.clock()

        def b64(obj: dict[str, Any]) -> str:
            raw = json.dumps(obj, separators=(",", ":")).encode()
            return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

        claims = {"sub": self.customer_id, "email": self.login_email, "token_use": "id",
                  "iat": int(now), "exp": int(now + self.config.token_ttl_seconds),
                  "jti": secrets.token_hex(8)}
        token = ".".join((b64({"alg": "HS256", "typ": "JWT"}), b64(claims),
                          secrets.token_urlsafe(32)))
        with self._tokens_lock:
            self._tokens[token] = now
        return token

    def token_valid(self, token: str) -> bool:
        if not token:
            return False
        if hmac.compare_digest(token.encode(), self.list_token.encode()):
            return True
        with self._tokens_lock:
            issued = self._tokens.get(token)
        return issued is not None and self.config.clock() - issued <= self.config.token_ttl_seconds


__all__ = ["DemoConfig", "DemoService"]
