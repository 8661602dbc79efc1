"""Helpers shared by the cache, repository and sync tests (no tests here).

Clients for a demo service, random cache keys, and a reader of every file
a cache database consists of (for the no-plaintext checks). The controllable clock is
``tests.conftest_demo.FakeClock``.
"""

from __future__ import annotations

import os
from pathlib import Path

from caseviewer.core.api import (
    BearerToken,
    CaseApi,
    CaseDetailClient,
    CaseListClient,
    CaseQuery,
    DocumentFormat,
    RetryPolicy,
)
from caseviewer.core.cache import CaseCache
from caseviewer.core.repository import CaseRepository

#: No retries: a stopped service fails at once instead of backing off for seconds.
NO_RETRY = RetryPolicy(max_retries=0)


def make_api(svc, *, retry: RetryPolicy = NO_RETRY, detail_key: str | None = None) -> CaseApi:
    return CaseApi(
        list=CaseListClient(svc.list_url, customer_id=svc.customer_id, credential=BearerToken(svc.list_token), retry=retry),
        detail=CaseDetailClient(svc.detail_url, api_key=detail_key or svc.detail_key, retry=retry),
    )


def new_key() -> bytes:
    return os.urandom(32)


def open_cache(key: bytes | None = None, name: str = "test", **kwargs) -> CaseCache:
    return CaseCache(name, key or new_key(), **kwargs)


def make_repository(svc, cache: CaseCache | None, *, document_format=DocumentFormat.BASE64, **kwargs) -> CaseRepository:
    return CaseRepository(make_api(svc), document_format=document_format, cache=cache, **kwargs)


def cache_all_pages(api: CaseApi, cache: CaseCache, customer_id: str, page_size: int = 250) -> int:
    count = 0
    for page in api.list.iter_pages(CaseQuery(items_per_page=page_size)):
        count += cache.put_list_page(customer_id, page)
    return count


def database_files(path: Path) -> dict[str, bytes]:
    """Every file the database consists of right now (main, WAL, SHM), by name."""
    found = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        file = path.with_name(path.name + suffix)
        if file.exists():
            found[file.name] = file.read_bytes()
    return found


