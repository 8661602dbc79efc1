"""The error bodies of the demo's services, each in its own service's shape.

The list and sign-in services answer JSON with ``status``/``message``/``errorCode``; the detail
service ``{"status", "success": false, "error"}``; the files service S3-style XML. A fault's
status (``faults.py``) and a handler's own refusal both come out through here, so a client
sees the same shape either way.
"""

from __future__ import annotations

import secrets
from http import HTTPStatus
from xml.sax.saxutils import escape as xml_escape

from caseviewer.demo.transport import Response, json_response

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
        return detail_error(status, DETAIL_ERRORS.get(status, reason), headers)
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
    """An S3-style XML error, what a presigned URL answers when it is refused."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{code}</Code><Message>{xml_escape(message)}</Message>"
        f"<RequestId>{secrets.token_hex(8).upper()}</RequestId></Error>"
    ).encode()
    return Response(status=status, body=body, content_type="application/xml",
                    headers=dict(headers or {}))


def fail(status: int, message: str, code: str) -> Response:
    """A list or sign-in refusal: ``{"status": "fail", "message", "data": {}, "errorCode"}``."""
    return json_response(status, {"status": "fail", "message": message, "data": {},
                                  "errorCode": code})


def detail_error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A detail service error: ``{"status": <status>, "success": false, "error": <message>}``."""
    return json_response(status, {"status": status, "success": False, "error": message}, headers)
