"""The demo's main port: routing, and the list, sign-in, detail and fault-control handlers.

Every request is logged (``request_log.py``), then routed; every route but the fault control
first suffers the faults set for its service (``faults.py``): latency, an error status in the
service's own shape (``error_bodies.py``), hostile data (``hostile_data.py``), a malformed body.
Paging and querying of the list are ``listing.py``'s.
"""

from __future__ import annotations

import hmac
import json
import re
from typing import TYPE_CHECKING

from caseviewer.demo import hostile_content, hostile_data, listing
from caseviewer.demo.error_bodies import UNAUTHORIZED, detail_error, error_for, fail
from caseviewer.demo.transport import MALFORMED_BODY, DemoHandler, Response, json_response

if TYPE_CHECKING:
    from caseviewer.demo.server import DemoService

LIST_PREFIX = "/case/api/v1"
SIGN_IN_PATH = "/auth/api/v1/customer/sign-in"
DETAIL_PATH = "/api/v1/customer-case-detail"
FAULTS_PATH = "/__demo/faults"
_CASES_RE = re.compile(r"^/case/api/v1/customers/([^/]+)/cases/?$")

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
            return fail(405, "Method Not Allowed", "ERR_METHOD_NOT_ALLOWED")
        auth = self.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not svc.tokens.valid(token.strip()):
            return json_response(401, UNAUTHORIZED)
        match = _CASES_RE.match(path)
        assert match is not None
        if match.group(1) != svc.customer_id:
            return fail(404, "Customer not found", "ERR_NOT_FOUND")
        try:
            return json_response(200, listing.page_body(svc.data, pairs))
        except listing.QueryError as exc:
            return fail(400, str(exc), "ERR_BAD_REQUEST")

    # sign-in -------------------------------------------------------------------------------------

    def _sign_in(self, method: str, body: bytes) -> Response:
        svc: DemoService = self.server.context
        if method != "POST":
            return fail(405, "Method Not Allowed", "ERR_METHOD_NOT_ALLOWED")
        try:
            payload = json.loads(body or b"null")
        except ValueError:
            return fail(400, "Invalid JSON body", "ERR_VALIDATION")
        if not isinstance(payload, dict):
            return fail(400, '"value" must be of type object', "ERR_VALIDATION")
        for key in ("email", "password"):
            if not isinstance(payload.get(key), str) or not payload[key]:
                return fail(400, f'"{key}" is required', "ERR_VALIDATION")
        email_ok = payload["email"].strip().lower() == svc.login_email.lower()
        password_ok = hmac.compare_digest(payload["password"].encode(),
                                          svc.login_password.encode())
        if not (email_ok and password_ok):
            return json_response(401, UNAUTHORIZED)
        token = svc.tokens.issue()
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
            return detail_error(400, "Secret key not provided!")
        if not hmac.compare_digest(key.encode(), svc.detail_key.encode()):
            return detail_error(400, f"Organization with [{key[:4]}...] not found!")
        params = dict(pairs)  # repeated keys: the last wins, as with Express's default parser
        case_id = params.get("caseId", "").strip()
        email = params.get("email", "").strip()
        if not case_id and not email:
            return detail_error(400, "caseId or email parameters must be provided!")
        document_format = params.get("documentFormat", "base64") or "base64"
        if document_format not in ("base64", "url"):
            return detail_error(400, 'documentFormat must be either "base64" or "url"')

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
            return detail_error(404, "No Case found for provided details!")
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
