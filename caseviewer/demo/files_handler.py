"""The demo's second port: signed attachment downloads, like presigned S3 URLs (no auth header).

A URL carries ``exp`` and ``sig`` (``signing.py``); an expired or forged one is a 403 in S3's XML
shape. The files service's faults apply here too, a malformed answer being half the file.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from caseviewer.demo.error_bodies import error_for, s3_error
from caseviewer.demo.faults import FaultDecision
from caseviewer.demo.files import render
from caseviewer.demo.transport import DemoHandler, Response

if TYPE_CHECKING:
    from caseviewer.demo.server import DemoService

_FILES_RE = re.compile(r"^/files/([^/]+)/[^/]*$")


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
