"""The one place that decides where case data comes from: the services, or (later) the cache.

Widgets never call this directly: workers do, on their own threads. Each call returns plain
objects (pydantic models and small dataclasses) that travel back to the GUI in a signal.

A listed case that the detail service does not know (404) is not an error for the reviewer: the
result carries the list record and says plainly that no detail exists.
"""

from __future__ import annotations

import base64
import binascii
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import BinaryIO, Callable

from caseviewer.core import errors
from caseviewer.core.api import CaseApi, CasePage, CaseQuery, DocumentFormat
from caseviewer.core.models import Attachment, CaseDetail, CaseRecord


@dataclass
class CaseResult:
    """What the detail pane shows for one case.

    ``detail`` is None when only the list record is known; ``detail_note`` then says why
    (no detail service configured, or the detail service has no such case).
    """

    case_id: str | None
    record: CaseRecord | None = None
    detail: CaseDetail | None = None
    detail_note: str = ""
    source: str = "network"  # "network" or "cache"
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))


class CaseRepository:
    """Reads cases for the UI. Thread-safe: httpx clients are, and no state is shared otherwise."""

    def __init__(self, api: CaseApi, *, document_format: DocumentFormat = DocumentFormat.BASE64) -> None:
        self.api = api
        self.document_format = document_format

    @property
    def has_list(self) -> bool:
        return self.api.list is not None

    @property
    def has_detail(self) -> bool:
        return self.api.detail is not None

    def list_page(self, query: CaseQuery, *, cancel: threading.Event | None = None) -> CasePage:
        if self.api.list is None:
            raise errors.ConfigError("No case list service is configured; open cases by ID or email.")
        return self.api.list.list_cases(query, cancel=cancel)

    def open_case(
        self,
        case_id: str | None = None,
        *,
        email: str | None = None,
        record: CaseRecord | None = None,
        cancel: threading.Event | None = None,
    ) -> CaseResult:
        """The detail of a case, or its list record with a note when no detail can be had."""
        case_id = case_id or (record.id if record is not None else None)
        if self.api.detail is None:
            if record is None:
                raise errors.ConfigError("No case detail service is configured for this profile.")
            return CaseResult(case_id, record, None, "No case detail service is configured; showing the list record.")
        try:
            detail = self.api.detail.get_case(
                case_id, email=None if case_id else email, document_format=self.document_format, cancel=cancel
            )
        except errors.NotFound:
            if record is None:
                raise
            return CaseResult(case_id, record, None, "The case detail service does not know this case; showing the list record only.")
        return CaseResult(detail.id or case_id, record, detail)

    def download_attachment(
        self,
        attachment: Attachment,
        sink: BinaryIO,
        *,
        progress: Callable[[int, int | None], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> int:
        """Write an attachment's bytes to ``sink``: base64 decoded here, a URL streamed."""
        if attachment.content is not None:
            try:
                data = base64.b64decode(attachment.content, validate=False)
            except (binascii.Error, ValueError) as exc:
                raise errors.SchemaError("The attachment's content is not valid base64.") from exc
            sink.write(data)
            if progress is not None:
                progress(len(data), len(data))
            return len(data)
        if attachment.url:
            if self.api.detail is None:
                raise errors.ConfigError("No case detail service is configured.")
            return self.api.detail.download(attachment.url, sink, progress=progress, cancel=cancel)
        raise errors.NotFound("This attachment has neither content nor a link.")

    def close(self) -> None:
        self.api.close()
