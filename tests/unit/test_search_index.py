"""The full-text index written behind a sync (``core/search_index.py``): a sync queues its cases,
``build_index`` writes them in steps that can be cancelled, and the result is the index the
inline path (browsing, ``put_detail``) builds."""

from __future__ import annotations

import threading

from caseviewer.core import errors
from caseviewer.core.api import CaseQuery, DocumentFormat
from caseviewer.core.search_index import build_index
from caseviewer.core.sync import sync_all
from tests.support.sync_fixtures import CASES, api  # noqa: F401 - fixture
from tests.unit.test_cache_support import open_cache

#: One-letter prefixes, several terms, operators typed as words, names and comment words.
QUERIES = ["a", "e", "th", "the a", "nausea", "dose OR", "lab -results", '"week"', "a b c d e", "zzzz"]


def reference_cache(fresh_demo, api):
    """The same cases cached the inline way: every page and detail indexed as it is written."""
    cache = open_cache(name="reference")
    for page in api.list.iter_pages(CaseQuery(items_per_page=500)):
        cache.put_list_page(fresh_demo.customer_id, page)
        for record in page.records:
            try:
                raw = api.detail.get_case_raw(record.id, document_format=DocumentFormat.URL)
            except errors.NotFound:
                continue
            cache.put_detail(raw, record, keep_bodies=False)
    return cache


def results(cache, query: str) -> dict[str, str]:
    return {hit.case_id: hit.snippet for hit in cache.search_text(query, limit=CASES + 1)}


def test_a_sync_queues_its_cases_and_the_built_index_equals_the_inline_one(fresh_demo, api):
    with open_cache() as cache, reference_cache(fresh_demo, api) as reference:
        report = sync_all(api, cache, fresh_demo.customer_id)
        assert report.ok
        assert cache.backlog_count() == CASES
        assert reference.backlog_count() == 0
        assert any(results(reference, q) for q in QUERIES)
        assert not any(results(cache, q) for q in QUERIES if q != "zzzz")  # nothing indexed yet

        seen: list[tuple[int, int]] = []
        assert build_index(cache, progress=lambda done, total: seen.append((done, total)), batch=7) == CASES
        assert cache.backlog_count() == 0
        assert seen[0] == (0, CASES) and seen[-1] == (CASES, CASES)
        assert [done for done, _ in seen] == sorted(done for done, _ in seen)
        for query in QUERIES:
            assert results(cache, query) == results(reference, query), query
        assert build_index(cache) == 0  # nothing left to do


def test_build_index_stops_when_cancelled_and_the_rest_stays_queued(fresh_demo, api):
    with open_cache() as cache, reference_cache(fresh_demo, api) as reference:
        sync_all(api, cache, fresh_demo.customer_id)
        cancel = threading.Event()

        def progress(done: int, _total: int) -> None:
            if done >= 10:
                cancel.set()

        assert build_index(cache, progress=progress, cancel=cancel, batch=10) == 10
        assert cache.backlog_count() == CASES - 10
        # Searching works meanwhile, on what is indexed: a subset of the full answer.
        partial, full = results(cache, "a"), results(reference, "a")
        assert partial and set(partial) < set(full)
        assert build_index(cache) == CASES - 10
        assert results(cache, "a") == full


def test_a_case_shown_while_queued_is_indexed_at_once_and_once(fresh_demo, api):
    with open_cache() as cache:
        sync_all(api, cache, fresh_demo.customer_id)
        case_id = fresh_demo.data.case_ids()[0]
        raw = api.detail.get_case_raw(case_id, document_format=DocumentFormat.URL)
        cache.put_detail(raw, keep_bodies=False)  # the window caching a case it showed
        assert case_id in {hit.case_id for hit in cache.search_text(case_id)}
        build_index(cache)
        assert [hit.case_id for hit in cache.search_text(case_id)].count(case_id) == 1


def test_clear_empties_the_backlog(fresh_demo, api):
    with open_cache() as cache:
        sync_all(api, cache, fresh_demo.customer_id)
        assert cache.backlog_count() == CASES
        cache.clear()
        assert cache.backlog_count() == 0
        assert build_index(cache) == 0


def test_a_purged_case_in_the_backlog_leaves_no_index_row(fresh_demo, api):
    now = [1_000_000.0]
    with open_cache(clock=lambda: now[0]) as cache:
        sync_all(api, cache, fresh_demo.customer_id)
        now[0] += 10 * 86400
        assert cache.purge_older_than(5) == CASES
        build_index(cache)
        assert cache.backlog_count() == 0
        assert not results(cache, "a")

