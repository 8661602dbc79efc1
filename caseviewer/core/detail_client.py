"""The case detail service's client: one case by id or submitter email (``cv-api-key``), the
text as sent when reading it replaced something, and attachment downloads from signed URLs.

Blocking, for worker threads. ``core/api.py`` re-exports it with the list client and ``CaseApi``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

import httpx

from caseviewer.core import errors, wire
from caseviewer.core.logs import loggable_id, request_context
from caseviewer.core.http import (
    DEFAULT_MAX_DOWNLOAD_BYTES,
    MIB,
    ServiceClient,
    content_length,
    default_error,
    error_text,
    not_json_error,
)
from caseviewer.core.models import CaseDetail
from caseviewer.core.query import DocumentFormat


@dataclass(frozen=True)
class DetailIncludes:
    attachments: bool = True
    calendar_events: bool = True
    orders: bool = True
    case_products: bool = True


class CaseDetailClient(ServiceClient):
    """``GET {detail_base}/api/v1/customer-case-detail`` (header ``cv-api-key``)."""

    service_name = "case detail service"
    PATH = "/api/v1/customer-case-detail"
    #: Its documents carry every attachment inline as base64 (a third larger than the file).
    default_max_response_bytes = 128 * MIB

    def __init__(
        self, base_url: str, *, api_key: str, max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES, **kwargs
    ) -> None:
        super().__init__(base_url, **kwargs)
        self._api_key = api_key
        self.max_download_bytes = max_download_bytes

    def auth_headers(self) -> dict[str, str]:
        return {"cv-api-key": self._api_key}

    def map_error(self, response: httpx.Response) -> errors.ApiError:
        said = error_text(response).lower()
        # The service answers 400 (not 401) for a missing or unknown key; its text echoes part of
        # the key, so it is never passed on. A 401 is the same problem: this service has an API
        # key, not a token to sign in again with.
        code = response.status_code
        if code == 401 or (code == 400 and ("secret key" in said or "organization with" in said)):
            # The shape of every rejected-credential message (the list's comes from
            # ``http.default_error``): what was refused, the status, then what to do.
            return errors.AuthError(
                f"The case detail service did not accept the API key (HTTP {code}). "
                "Update the API key in the profile.",
                service=self.service_name,
                status_code=code,
            )
        if response.status_code == 404:
            return errors.NotFound(
                "The case detail service has no case with that ID or email.",
                service=self.service_name,
                status_code=404,
            )
        return default_error(response, self.service_name)

    def get_case(self, case_id: str | None = None, **options: Any) -> CaseDetail:
        """The case parsed into models, with the text as sent when reading it replaced something
        (``CaseDetail.as_sent``); ``email``, ``includes``, ``document_format`` and ``cancel`` as
        for ``get_case_raw``."""
        raw, response = self._case_response(case_id, **options)
        return CaseDetail.from_raw(raw, as_sent=wire.sent_text_if_altered(response.content))

    def get_case_raw(self, case_id: str | None = None, **options: Any) -> dict[str, Any]:
        """The ``caseDetail`` object as the service sent it, not yet parsed into models (options
        as for ``_case_response``).

        For callers that only store the document (the sync): the models are built when it is
        read, and skipping them here halves the CPU a synced case costs.
        """
        return self._case_response(case_id, **options)[0]

    def _case_response(
        self,
        case_id: str | None = None,
        *,
        email: str | None = None,
        includes: DetailIncludes = DetailIncludes(),
        document_format: DocumentFormat = DocumentFormat.BASE64,
        cancel: threading.Event | None = None,
    ) -> tuple[dict[str, Any], httpx.Response]:
        """The ``caseDetail`` object of the case with ``case_id`` (or of the submitter with
        ``email``), and the response it came in."""
        params = self._detail_params(case_id, email, includes, document_format)
        # The case id goes to the log (an email never does: it names a person).
        with request_context(f"case {loggable_id(case_id)}" if case_id else "case by email"):
            response, body = self.request_json("GET", self.url_for(self.PATH), params=params, cancel=cancel)
        return case_detail_object(body, self.service_name), response

    def get_case_document(
        self,
        case_id: str,
        *,
        includes: DetailIncludes = DetailIncludes(),
        document_format: DocumentFormat = DocumentFormat.BASE64,
        cancel: threading.Event | None = None,
    ) -> tuple[dict[str, Any], str | None, str | None]:
        """``get_case_raw``, the response's JSON text as received when it reads back as the
        same document (``wire.decode_json_exact``) and holds nothing else but a few short words
        (``status``, ``success``), else None: for a store that keeps the text instead of
        encoding the document again (the sync: encoding cost as much as parsing); and the text
        as sent when reading it replaced something (``CaseDetail.as_sent``), else None."""
        params = self._detail_params(case_id, None, includes, document_format)
        with request_context(f"case {loggable_id(case_id)}"):
            response = self.send("GET", self.url_for(self.PATH), params=params, cancel=cancel)
            try:
                body, text = wire.decode_json_exact(
                    response.content, service=self.service_name, status_code=response.status_code
                )
            except ValueError as exc:
                raise not_json_error(response, self.service_name) from exc
        detail = case_detail_object(body, self.service_name)
        # An exact text changed nothing; only otherwise is the body looked at again.
        as_sent = wire.sent_text_if_altered(response.content) if text is None else None
        return detail, (text if text is not None and _only_detail(body) else None), as_sent

    @staticmethod
    def _detail_params(
        case_id: str | None, email: str | None, includes: DetailIncludes, document_format: DocumentFormat
    ) -> list[tuple[str, str]]:
        if not case_id and not email:
            raise errors.UsageError("Give a case ID or a submitter email.")
        params: list[tuple[str, str]] = [("caseId", case_id)] if case_id else [("email", email or "")]
        if includes.attachments:
            params += [("includeAttachments", "true"), ("documentFormat", DocumentFormat(document_format).value)]
        if includes.calendar_events:
            params.append(("includeCalendarEvents", "true"))
        if includes.orders:
            params.append(("includeOrders", "true"))
        if includes.case_products:
            params.append(("includeCaseProducts", "true"))
        return params

    def download(
        self,
        url: str,
        sink: BinaryIO,
        *,
        progress: Callable[[int, int | None], None] | None = None,
        cancel: threading.Event | None = None,
        max_bytes: int | None = None,
        chunk_size: int = 256 * 1024,
    ) -> int:
        """Stream a (signed) attachment URL into ``sink``; returns the byte count.

        A URL on another origin gets no ``cv-api-key`` (``ServiceClient`` checks every hop, and
        refuses plain http off loopback and any https -> http step). At most ``max_bytes`` (or
        the client's ``max_download_bytes``, whichever is smaller) are accepted, counted as
        received and as decompressed: ``ResponseTooLarge`` past that.
        403/410 from the file host mean the signature expired: ``LinkExpired``.
        """
        limit = min(max_bytes, self.max_download_bytes) if max_bytes is not None else self.max_download_bytes
        try:
            with self.stream(url, cancel=cancel) as response:
                total = content_length(response)
                received = 0
                for chunk in self.iter_body(response, limit, chunk_size=chunk_size):
                    if cancel is not None and cancel.is_set():
                        raise errors.Cancelled("Download cancelled.")
                    received += len(chunk)
                    sink.write(chunk)
                    if progress is not None:
                        progress(received, total)
                if total is not None and received < total and "content-encoding" not in response.headers:
                    raise errors.NetworkError(
                        "The attachment download broke off before the end. Try again.",
                        service="attachment download",
                    )
                return received
        except errors.ResponseTooLarge:
            raise errors.ResponseTooLarge(
                f"The attachment is larger than the {limit:,}-byte limit; the download was stopped.",
                service="attachment download",
            ) from None
        except errors.ApiError as exc:
            if exc.status_code in (403, 410) and not self.is_own_origin(url):
                raise errors.LinkExpired(
                    "The attachment link has expired.", service="attachment download", status_code=exc.status_code
                ) from None
            raise


def case_detail_object(body: Any, service: str) -> dict[str, Any]:
    """The ``caseDetail`` object of a detail response; ``SchemaError`` when there is none."""
    detail = body.get("caseDetail") if isinstance(body, dict) else None
    if not isinstance(detail, dict):
        raise errors.SchemaError(
            f"The {service} answered without the expected 'caseDetail' object.",
            service=service,
            status_code=200,
        )
    return detail


#: The longest word a detail response may carry beside its document and still be kept as sent.
_SMALL_MEMBER_CHARS = 256


def _only_detail(body: dict[str, Any]) -> bool:
    """Whether a detail response holds its document and short scalars alone (keeping its text
    then keeps nothing the document does not have but a status word)."""
    return all(
        key == "caseDetail" or (not isinstance(value, (dict, list)) and len(str(value)) <= _SMALL_MEMBER_CHARS)
        for key, value in body.items()
    )


def parse_case_detail(body: Any, service: str) -> CaseDetail:
    return CaseDetail.from_raw(case_detail_object(body, service))


__all__ = ["CaseDetailClient", "DetailIncludes", "case_detail_object", "parse_case_detail"]
