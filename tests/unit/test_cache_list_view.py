"""The cached list as an ordered view (core/cache/list_view.py) over a real SQLCipher file: the same
rows, in the same order, as the list service and as a reference sort computed here."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import pytest

from caseviewer.core import timestamps
from caseviewer.core.cache import list_view
from caseviewer.core.query import CaseQuery, SortField
from caseviewer.core.cache import CaseCache
from caseviewer.core.errors import Cancelled
from caseviewer.core.models import LIST_STATUS_CODES, CaseRecord
from tests.unit.test_cache import QUERIES
from tests.unit.test_cache_support import cache_all_pages, make_api, new_key


@pytest.fixture(scope="module")
def listed(demo_service, tmp_path_factory):
    cache = CaseCache(key=new_key(), path=tmp_path_factory.mktemp("store") / "store.db")
    api = make_api(demo_service)
    cache_all_pages(api, cache, demo_service.customer_id)
    view = cache.open_list_view()
    yield api, cache, view, demo_service.customer_id
    view.close()
    cache.close()
    api.close()


def cached_records(cache: CaseCache, customer_id: str, *, sort: SortField = SortField.CREATED_AT,
                   descending: bool = True, statuses: tuple[int, ...] = ()) -> list[CaseRecord]:
    """Every cached record of a query, read through the cache's own list read."""
    query = CaseQuery(sort_field=sort, descending=descending, statuses=statuses, paginate=False)
    return cache.list_for_query(customer_id, query).records


def every_row(view: list_view.ListView, view_id: int, total: int, window: int = 97) -> list[list_view.StoredRow]:
    rows: list[list_view.StoredRow] = []
    for first in range(0, total, window):
        rows += view.rows(view_id, first, window)
    return rows


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.params()))
def test_a_view_lists_what_the_service_lists_in_its_order(listed, query):
    api, cache, view, customer_id = listed
    everything = replace(query, page=1, paginate=False)
    online = api.list.list_cases(everything)
    view_id, total = view.open(customer_id, everything)
    rows = every_row(view, view_id, total)
    assert total == online.total_items == len(rows)
    assert [r.case_id for r in rows] == [r.id for r in online.records]
    assert [CaseRecord.model_validate_json(r.raw).model_dump() for r in rows] == [r.model_dump() for r in online.records]
    with cache.reading() as conn:
        head = list_view.head(conn, customer_id, everything, 25)
    assert head.total == total and head.rows == rows[:25]


def reference(records: list[CaseRecord], *, sort: SortField, descending: bool, statuses=()) -> list[str]:  # noqa: ANN001
    """The list's order computed in Python: a missing created date is the oldest; ties newest first."""
    by_code = {code: sid for sid, code in LIST_STATUS_CODES.items()}
    def status_id(r: CaseRecord) -> int | None:
        return r.status.id if r.status is not None and r.status.id is not None else by_code.get(r.status_code)
    wanted = [r for r in records if not statuses or status_id(r) in statuses]
    def created(r: CaseRecord) -> float:
        ms = timestamps.epoch_ms(r.created_at)
        return float("-inf") if ms is None else ms
    if sort is SortField.BUSINESS_NAME:
        # business (either way), then created newest first, then id ascending
        ordered = sorted(wanted, key=lambda r: r.id)
        ordered.sort(key=created, reverse=True)
        ordered.sort(key=lambda r: (r.business_name or "").lower(), reverse=descending)
        return [r.id for r in ordered]
    return [r.id for r in sorted(wanted, key=lambda r: (created(r), r.id), reverse=descending)]


@pytest.mark.parametrize("sort,descending,statuses", [
    (SortField.CREATED_AT, True, ()), (SortField.CREATED_AT, False, (4, 5, 6)),
    (SortField.BUSINESS_NAME, False, ()), (SortField.BUSINESS_NAME, True, (1, 9, 12)),
])
def test_sort_and_status_filter_agree_with_a_reference_sort(listed, sort, descending, statuses):
    _, cache, view, customer_id = listed
    records = cached_records(cache, customer_id)
    query = CaseQuery(sort_field=sort, descending=descending, statuses=statuses, paginate=False)
    view_id, total = view.open(customer_id, query)
    assert [r.case_id for r in every_row(view, view_id, total)] == reference(
        records, sort=sort, descending=descending, statuses=statuses)
    assert total < len(records) if statuses else total == len(records)


def test_any_window_is_the_slice_of_the_whole_and_a_replaced_view_answers_none(listed):
    _, _, view, customer_id = listed
    first_id, total = view.open(customer_id, CaseQuery())
    whole = every_row(view, first_id, total, window=total)
    for first, count in ((0, 1), (500, 256), (990, 256), (total, 10)):
        assert view.rows(first_id, first, count) == whole[first:first + count]
    second_id, _ = view.open(customer_id, CaseQuery(created_to=date(2024, 1, 1)))
    assert second_id != first_id
    assert view.rows(first_id, 0, 10) is None  # stale: that view is gone
    assert view.rows(second_id, 0, 10) is not None


def test_a_cancelled_view_is_dropped_and_says_so(listed):
    _, _, view, customer_id = listed
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        view.open(customer_id, CaseQuery(sort_field=SortField.BUSINESS_NAME), cancel=cancel)
    assert view.view_id == 0 and view.rows(0, 0, 10) is None
    view_id, total = view.open(customer_id, CaseQuery())  # and the next one works
    assert total == 1000 and len(view.rows(view_id, 0, 5)) == 5


def test_a_case_purged_after_the_view_was_written_shows_by_id_only(tmp_path, demo_service):
    with CaseCache(key=new_key(), path=tmp_path / "purge.db") as cache:
        api = make_api(demo_service)
        cache.put_list_page(demo_service.customer_id, api.list.list_cases(CaseQuery(items_per_page=20)))
        api.close()
        view = cache.open_list_view()
        view_id, total = view.open(demo_service.customer_id, CaseQuery())
        gone = view.rows(view_id, 3, 1)[0].case_id
        with cache.transaction() as conn:
            conn.execute("DELETE FROM list_records WHERE case_id = ?", (gone,))
        rows = view.rows(view_id, 0, total)
        assert len(rows) == total == 20 and rows[3] == list_view.StoredRow(gone, None)
        view.close()


# -- the kept counts (schema v10) ------------------------------------------------------------------

def counted(cache: CaseCache, customer_id: str, query: CaseQuery) -> tuple[int, int]:
    """(the kept count, count(*) over the records) for a query's filters."""
    condition, args = list_view.query_filter(customer_id, query)
    with cache.reading() as conn:
        kept = list_view.count_matching(conn, customer_id, query)
        (scanned,) = conn.execute(f"SELECT count(*) FROM list_records WHERE {condition}", args).fetchone()
    return kept, scanned


COUNT_QUERIES = [CaseQuery(), CaseQuery(statuses=(4,)), CaseQuery(statuses=(1, 4, 5, 6)), CaseQuery(statuses=(999,))]


def test_the_kept_counts_follow_every_write_a_cache_makes(tmp_path, demo_service):
    """Pages written, the same cases written again with another status (INSERT OR REPLACE), a
    status changed in place, cases without a status, deletions, a purge and a clear: after each,
    the kept count of every status filter is the count of the records."""
    customer_id = demo_service.customer_id
    with CaseCache(key=new_key(), path=tmp_path / "counts.db") as cache:
        api = make_api(demo_service)
        cache_all_pages(api, cache, customer_id)
        api.close()

        def check(when: str) -> None:
            for query in COUNT_QUERIES:
                kept, scanned = counted(cache, customer_id, query)
                assert kept == scanned, f"{when}: {query.statuses}"

        check("after the pages")
        (total,) = counted(cache, customer_id, CaseQuery())[:1]
        assert total > 20
        with cache.transaction() as conn:
            some = [r for (r,) in conn.execute("SELECT case_id FROM list_records LIMIT 12")]
            conn.executemany(  # written again over themselves, now status 4 (a REPLACE)
                "INSERT OR REPLACE INTO list_records (customer_id, case_id, query_key, position, fetched_at, "
                "status_id, raw) SELECT customer_id, case_id, query_key, position, fetched_at, 4, raw "
                "FROM list_records WHERE case_id = ?", [(c,) for c in some[:6]])
            conn.execute("UPDATE list_records SET status_id = NULL WHERE case_id = ?", (some[6],))
            conn.execute("UPDATE list_records SET status_id = 5 WHERE case_id = ?", (some[7],))
            conn.execute("UPDATE list_records SET fetched_at = 0 WHERE case_id IN (?, ?)", (some[8], some[9]))
            conn.execute("DELETE FROM list_records WHERE case_id = ?", (some[10],))
        check("after replaces, updates and a delete")
        assert counted(cache, customer_id, CaseQuery())[0] == total - 1
        assert cache.purge_older_than(1) >= 2  # the two written at time 0
        check("after a purge")
        cache.clear()
        check("after a clear")
        assert counted(cache, customer_id, CaseQuery()) == (0, 0)


def test_a_search_or_dates_are_counted_over_the_records(listed):
    """Filters the kept counts cannot answer fall back to counting the matching records."""
    _api, cache, _view, customer_id = listed
    for query in (CaseQuery(search="a"), CaseQuery(created_from=date(2024, 1, 1)),
                  CaseQuery(statuses=(4,), search="e", created_to=date(2030, 1, 1))):
        kept, scanned = counted(cache, customer_id, query)
        assert kept == scanned
    assert counted(cache, customer_id, CaseQuery(search="no such business anywhere")) == (0, 0)
