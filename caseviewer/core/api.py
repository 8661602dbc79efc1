"""Clients for the two services: the case list (bearer auth) and the case detail (``cv-api-key``).

``CaseListClient`` lists a customer's cases page by page (for a sync without building models: ``list_page``); ``CaseDetailClient`` (``core/detail_client.py``)
fetches one case by id or submitter email and downloads signed attachment URLs; ``SignInClient`` trades email and
password for a short-lived list token. ``CaseApi`` bundles whichever halves a profile configures.

All of it is blocking and meant to run on worker threads (never the GUI thread). Typed errors come
from ``errors.py``; retries, origin checks and redirects from ``http.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from urllib.parse import quote

import httpx

from caseviewer.core import errors, wire
from caseviewer.core.list_page import ListedPage, parse_listed_page
from caseviewer.core.logs import request_context
from caseviewer.core.http import (
    DEFAULT_TIMEOUT,
    RetryPolicy,
    ServiceClient,
    default_error,
    error_text,
)
from caseviewer.core.models import CaseListData, SignInData
# Re-exported: the detail client and the query types used to live here and the clients take them.
from caseviewer.core.detail_client import CaseDetailClient, DetailIncludes, parse_case_detail  # noqa: F401
from caseviewer.core.query import CasePage, CaseQuery, DocumentFormat, SearchField, SortField  # noqa: F401

_Page = TypeVar("_Page", CasePage, ListedPage)

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
        return parse_case_page(query, self._page_body(query, cancel, wire.decode_json), self.service_name)

    def list_page(self, query: CaseQuery = CaseQuery(), *, cancel: threading.Event | None = None) -> ListedPage:
        """``list_cases`` without the records' models (``core.list_page``), with each record's
        text as sent (``wire.decode_json_elements``): what a sync reads."""
        body, texts = self._page_body(query, cancel, _read_with_record_texts)
        return parse_listed_page(query, body, self.service_name, texts)

    def _page_body(self, query: CaseQuery, cancel: threading.Event | None, read: Callable[..., Any]) -> Any:
        url = self.url_for(f"/customers/{quote(self.customer_id, safe='')}/cases")
        where = f"page {query.page}, {query.items_per_page} per page" if query.paginate else "all pages"
        with request_context(where):
            try:
                _, body = self.request_json("GET", url, read=read, params=query.params(), cancel=cancel)
            except errors.AuthError as exc:
                # A signed-in token lives about an hour: sign in again once, then give up.
                if exc.status_code != 401 or not self.credential.refresh():
                    raise
                _, body = self.request_json("GET", url, read=read, params=query.params(), cancel=cancel)
        return body

    def iter_pages(self, query: CaseQuery = CaseQuery(), *, cancel: threading.Event | None = None) -> Iterator[CasePage]:
        """Every page from ``query.page`` to the last one, guarded against a list that lies
        (``PagingGuard``): ``ListInconsistent`` once it contradicts itself, after the pages so far."""
        return self._paged(query, cancel, self.list_cases)

    def iter_listed(self, query: CaseQuery = CaseQuery(), *, cancel: threading.Event | None = None) -> Iterator[ListedPage]:
        """``iter_pages`` of ``ListedPage``-s (no models built): what a sync reads."""
        return self._paged(query, cancel, self.list_page)

    def _paged(self, query: CaseQuery, cancel: threading.Event | None, fetch: Callable[..., _Page]) -> Iterator[_Page]:
        """The pages ``fetch`` reads, from ``query.page`` on.

        The next page is requested (on a thread of its own) while the caller handles this one, so
        the service builds a page while this process parses and stores the last: a re-sync that
        only reads the list costs the slower of the two, not their sum. Never more than one
        request ahead, and none once the list says it has ended."""
        guard = PagingGuard(self.service_name)
        ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="caseviewer-list")
        try:
            page = fetch(query, cancel=cancel)
            while True:
                problem = guard.check(page)
                more = problem is None and not (page.is_last or guard.at_cap(page))
                upcoming = ahead.submit(fetch, query.with_page(page.query.page + 1), cancel=cancel) if more else None
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
                if not _ids_of(page):
                    return  # the list shrank while paging: what came before is all there is
        finally:
            # A caller that stops early does not wait for the page asked for ahead.
            ahead.shutdown(wait=False, cancel_futures=True)


def _read_with_record_texts(content: bytes, **where: Any) -> tuple[Any, list[str] | None]:
    return wire.decode_json_elements(content, ("data", "records"), **where)


def _ids_of(page: CasePage | ListedPage) -> list[str | None]:
    return page.ids if isinstance(page, ListedPage) else [record.id for record in page.records]


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

    def check(self, page: CasePage | ListedPage) -> errors.ListInconsistent | None:
        """Take in ``page``; the error when it contradicts the pages before (``had_new`` says
        whether it brought cases not listed before, which the caller still passes on)."""
        self.pages += 1
        ids = _ids_of(page)
        new = {case_id for case_id in ids if case_id and case_id not in self.seen}
        anonymous = sum(1 for case_id in ids if not case_id)
        self.had_new = bool(new or anonymous or self.pages == 1)
        if self.pages > 1 and ids and not new and not anonymous:
            return self._error(f"page {page.query.page} repeats only cases it already listed")
        self.seen |= new
        self.listed += len(new) + anonymous
        if page.total_items is not None:
            self.most = max(self.most, page.total_items)  # the largest claim, should the list grow
        if page.query.paginate and self.listed > self.most:
            return self._error(f"it listed {self.listed:,} cases but says it has {self.most:,}")
        return None

    def at_cap(self, page: CasePage | ListedPage) -> bool:
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
    "ListedPage",
    "RetryPolicy",
    "SearchField",
    "SignInClient",
    "SignInCredential",
    "SortField",
]
