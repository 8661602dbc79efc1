"""Clients for the two services: the case list (bearer auth) and the case detail (``cv-api-key``).

``CaseListClient`` lists a customer's cases page by page; ``CaseDetailClient`` fetches one case by
id or submitter email and downloads signed attachment URLs; ``SignInClient`` trades email and
password for a short-lived list token. ``CaseApi`` bundles whichever halves a profile configures.

All of it is blocking and meant to run on worker threads (never the GUI thread). Typed errors come
from ``errors.py``; retries, origin checks and redirects from ``http.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol
from urllib.parse import quote

import httpx

from caseviewer.core import errors, wire
from caseviewer.core.logs import loggable_id, request_context
from caseviewer.core.http import (
    DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_TIMEOUT,
    MIB,
    RetryPolicy,
    ServiceClient,
    content_length,
    default_error,
    error_text,
    not_json_error,
)
from caseviewer.core.models import CaseDetail, CaseListData, SignInData
# Re-exported: the query types used to live here and the clients take them.
from caseviewer.core.query import CasePage, CaseQuery, DocumentFormat, SearchField, SortField  # noqa: F401

# --------------------------------------------------------------------------------------------
# Credentials for the list service
# --------------------------------------------------------------------------------------------


class ListCredential(Protocol):
    """Supplies the list service's bearer token; ``refresh`` gets a new one after a 401."""

    def token(self) -> str: ...

    def refresh(self) -> bool: ...


class BearerToken:
    """A pasted token: it cannot be renewed, so a 401 is final."""

    def __init__(self, token: str) -> None:
        self._token = token

    def token(self) -> str:
        return self._token

    def refresh(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "BearerToken(<hidden>)"


class SignInClient(ServiceClient):
    """``POST {auth_base}/auth/api/v1/customer/sign-in`` with email and password."""

    service_name = "sign-in service"
    PATH = "/auth/api/v1/customer/sign-in"

    def map_error(self, response: httpx.Response) -> errors.ApiError:
        if response.status_code in (400, 401, 403):
            return errors.AuthError(
                "Sign-in failed: the email or password was not accepted.",
                service=self.service_name,
                status_code=response.status_code,
            )
        return default_error(response, self.service_name)

    def sign_in(self, email: str, password: str) -> SignInData:
        _, body = self.request_json(
            "POST", self.url_for(self.PATH), json_body={"email": email, "password": password}
        )
        payload = body.get("data") if isinstance(body, dict) else None
        data = SignInData.model_validate(payload if isinstance(payload, dict) else {})
        if not data.id_token:
            raise errors.SchemaError(
                "Sign-in answered without a token.", service=self.service_name, status_code=200
            )
        return data


class SignInCredential:
    """Email + password: signs in on first use and once more after a 401; the token stays in memory."""

    def __init__(self, client: SignInClient, email: str, password: str) -> None:
        self._client = client
        self._email = email
        self._password = password
        self._token: str | None = None
        self._lock = threading.Lock()
        self.customer_id: str | None = None

    def token(self) -> str:
        with self._lock:
            if self._token is None:
                self._sign_in()
            assert self._token is not None
            return self._token

    def refresh(self) -> bool:
        with self._lock:
            self._token = None
            self._sign_in()
            return True

    def forget_token(self) -> None:
        """Drop the signed-in token from memory (the idle lock); the next request signs in again."""
        with self._lock:
            self._token = None

    def _sign_in(self) -> None:
        data = self._client.sign_in(self._email, self._password)
        self._token = data.id_token
        self.customer_id = data.customer_id or self.customer_id

    def __repr__(self) -> str:
        return "SignInCredential(<hidden>)"


# --------------------------------------------------------------------------------------------
# Service clients
# --------------------------------------------------------------------------------------------


class CaseListClient(ServiceClient):
    """``GET {list_base}/customers/{customerID}/cases`` (bearer auth)."""

    service_name = "case list service"

    def __init__(self, base_url: str, *, customer_id: str, credential: ListCredential, **kwargs) -> None:
        super().__init__(base_url, **kwargs)
        if not customer_id:
            raise errors.ConfigError("The case list needs a customer ID.")
        self.customer_id = customer_id
        self.credential = credential

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credential.token()}"}

    def map_error(self, response: httpx.Response) -> errors.ApiError:
        if response.status_code == 400 and "out of max page range" in error_text(response).lower():
            return errors.PageOutOfRange(
                "That page is past the end of the case list.",
                service=self.service_name,
                status_code=400,
            )
        return default_error(response, self.service_name)

    def list_cases(self, query: CaseQuery = CaseQuery(), *, cancel: threading.Event | None = None) -> CasePage:
        url = self.url_for(f"/customers/{quote(self.customer_id, safe='')}/cases")
        where = f"page {query.page}, {query.items_per_page} per page" if query.paginate else "all pages"
        with request_context(where):
            try:
                _, body = self.request_json("GET", url, params=query.params(), cancel=cancel)
            except errors.AuthError as exc:
                # A signed-in token lives about an hour: sign in again once, then give up.
                if exc.status_code != 401 or not self.credential.refresh():
                    raise
                _, body = self.request_json("GET", url, params=query.params(), cancel=cancel)
        return parse_case_page(query, body, self.service_name)

    def iter_pages(self, query: CaseQuery = CaseQuery(), *, cancel: threading.Event | None = None) -> Iterator[CasePage]:
        """Every page from ``query.page`` to the last one, guarded against a list that lies
        (``PagingGuard``): ``ListInconsistent`` once it contradicts itself, after the pages so far.

        The next page is requested (on a thread of its own) while the caller handles this one, so
        the service builds a page while this process parses and stores the last: a re-sync that
        only reads the list costs the slower of the two, not their sum. Never more than one
        request ahead, and none once the list says it has ended."""
        guard = PagingGuard(self.service_name)
        ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="caseviewer-list")
        try:
            page = self.list_cases(query, cancel=cancel)
            while True:
                problem = guard.check(page)
                more = problem is None and not (page.is_last or guard.at_cap(page))
                upcoming = ahead.submit(self.list_cases, query.with_page(page.query.page + 1), cancel=cancel) \
                    if more else None
                if guard.had_new:
                    yield page  # its new cases are real whatever the totals say
                if problem is not None:
                    raise problem
                if upcoming is None:
                    return
                if cancel is not None and cancel.is_set():
                    upcoming.cancel()
                    raise errors.Cancelled("Cancelled.")
                page = upcoming.result()
                if not page.records:
                    return  # the list shrank while paging: what came before is all there is
        finally:
            # A caller that stops early does not wait for the page asked for ahead.
            ahead.shutdown(wait=False, cancel_futures=True)


class PagingGuard:
    """Stops paging a list whose answers contradict each other, so it cannot run forever.

    A page that repeats only cases already listed, or more cases listed than ``total_items``,
    is an error (``ListInconsistent``); and no more pages are asked for than ``total_items``
    allows at the page size, whatever ``total_pages`` claims.
    """

    def __init__(self, service: str) -> None:
        self.service = service
        self.seen: set[str] = set()
        self.listed = 0
        self.pages = 0
        self.most = 0
        self.had_new = False

    def check(self, page: CasePage) -> errors.ListInconsistent | None:
        """Take in ``page``; the error when it contradicts the pages before (``had_new`` says
        whether it brought cases not listed before, which the caller still passes on)."""
        self.pages += 1
        ids = [record.id for record in page.records]
        new = {case_id for case_id in ids if case_id and case_id not in self.seen}
        anonymous = sum(1 for case_id in ids if not case_id)
        self.had_new = bool(new or anonymous or self.pages == 1)
        if self.pages > 1 and page.records and not new and not anonymous:
            return self._error(f"page {page.query.page} repeats only cases it already listed")
        self.seen |= new
        self.listed += len(new) + anonymous
        if page.total_items is not None:
            self.most = max(self.most, page.total_items)  # the largest claim, should the list grow
        if page.query.paginate and self.listed > self.most:
            return self._error(f"it listed {self.listed:,} cases but says it has {self.most:,}")
        return None

    def at_cap(self, page: CasePage) -> bool:
        """True once the pages asked for cover ``total_items`` (``total_pages`` may claim more)."""
        size = max(1, page.query.items_per_page)
        if page.total_items is None or not page.query.paginate:
            return False
        allowed = -(-max(page.total_items, 0) // size)
        return page.query.page >= allowed

    def _error(self, what: str) -> errors.ListInconsistent:
        return errors.ListInconsistent(
            f"The {self.service} contradicts itself while paging ({what}); stopped after "
            f"{self.pages:,} pages so that listing does not run forever. The cases listed so far are kept.",
            service=self.service,
        )


def parse_case_page(query: CaseQuery, body: Any, service: str) -> CasePage:
    """Turn a list response body into a CasePage, tolerating drift but not a missing ``data``."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise errors.SchemaError(
            f"The {service} answered without the expected 'data' object.", service=service, status_code=200
        )
    parsed = CaseListData.model_validate(data)
    total_items = parsed.total_items if parsed.total_items is not None else len(parsed.records)
    total_pages = parsed.total_pages if parsed.total_pages is not None else (1 if parsed.records else 0)
    return CasePage(query, parsed.records, total_pages, total_items, raw=body)


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


# --------------------------------------------------------------------------------------------
# Both halves together
# --------------------------------------------------------------------------------------------


@dataclass
class CaseApi:
    """The clients a profile configures; either half may be missing (a profile may name one service)."""

    list: CaseListClient | None = None
    detail: CaseDetailClient | None = None

    def close(self) -> None:
        for client in (self.list, self.detail):
            if client is not None:
                client.close()

    def forget_tokens(self) -> None:
        """Drop signed-in tokens from memory (the idle lock); a pasted token is the credential itself."""
        forget = getattr(getattr(self.list, "credential", None), "forget_token", None)
        if forget is not None:
            forget()

    def __enter__(self) -> "CaseApi":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


__all__ = [
    "BearerToken",
    "CaseApi",
    "CaseDetailClient",
    "CaseListClient",
    "CasePage",
    "CaseQuery",
    "DEFAULT_TIMEOUT",
    "DetailIncludes",
    "DocumentFormat",
    "RetryPolicy",
    "SearchField",
    "SignInClient",
    "SignInCredential",
    "SortField",
]
