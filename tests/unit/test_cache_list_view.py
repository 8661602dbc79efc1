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
