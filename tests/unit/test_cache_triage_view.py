"""The triage views as SQL over the cached list (core/cache/list_view.py ``Triage``,
core/cached_list.py): New, Updated since I looked and Flagged list exactly the cached cases whose
reviewer state (``ReviewerState.states``, the one the table's marks come from) says so, in the
list's order, and their counts agree with the rows."""

from __future__ import annotations

from dataclasses import replace

import pytest

from caseviewer.core.cache import CaseCache
from caseviewer.core.cached_list import COUNTED_VIEWS, CachedList
from caseviewer.core.changes import RowState, fingerprint_record
from caseviewer.core.errors import OfflineError
from caseviewer.core.query import CaseQuery, SortField
from caseviewer.core.reviewer_state import Flag, ReviewerState
from caseviewer.core.views import TriageFilter
from tests.unit.test_cache_list_view import every_row
from tests.unit.test_cache_support import cache_all_pages, make_api, new_key


@pytest.fixture(scope="module")
def triaged(demo_service, tmp_path_factory):
    """A cached list of 1,000 cases where the reviewer read some, flagged some, and some of the
    read ones changed afterwards (a newer list status observed)."""
    cache = CaseCache(key=new_key(), path=tmp_path_factory.mktemp("triage") / "triage.db")
    api = make_api(demo_service)
    cache_all_pages(api, cache, demo_service.customer_id)
    api.close()
    state = ReviewerState(cache)
    listed = CachedList(cache, demo_service.customer_id)
    ids = [row.case_id for row in every_row(*_whole_view(listed))]
    state.mark_read(ids[::3])
    for case_id in ids[::7]:
        state.set_flag(case_id, Flag.RED)
    state.observe({case_id: fingerprint_record("changed-status") for case_id in ids[::9]})
    state.mark_unread(ids[1::11])  # never opened: stays new
    state.mark_unread(ids[::15])  # read, marked unread: updated
    yield cache, listed, state
    cache.close()


def _whole_view(listed: CachedList, query: CaseQuery = CaseQuery(), view: TriageFilter = TriageFilter.ALL):
    store = listed.open_store()
    head = listed.head(query, 25, view)
    view_id, total = listed.open_view(store, query, head.triage)
    return store, view_id, total


def expected(state: ReviewerState, ids: list[str], view: TriageFilter) -> list[str]:
    states = state.states(ids)
    def keep(case_id: str) -> bool:
        triage = states[case_id]
        if view is TriageFilter.NEW:
            return triage.state is RowState.NEW
        if view is TriageFilter.UPDATED:
            return triage.state is RowState.UPDATED
        return triage.flag is not None
    return [case_id for case_id in ids if keep(case_id)]


QUERIES = [CaseQuery(), CaseQuery(sort_field=SortField.BUSINESS_NAME, descending=False), CaseQuery(statuses=(1, 2))]


@pytest.mark.parametrize("query", QUERIES, ids=["newest", "name", "two-statuses"])
@pytest.mark.parametrize("view", COUNTED_VIEWS, ids=lambda v: v.value)
def test_a_triage_view_lists_the_cases_whose_marks_say_so_in_order(triaged, query, view):
    cache, listed, state = triaged
    everything = replace(query, paginate=False)
    all_ids = [row.case_id for row in every_row(*_whole_view(listed, everything))]
    wanted = expected(state, all_ids, view)
    assert wanted and len(wanted) < len(all_ids)  # the fixture gives every view some, not all

    store, view_id, total = _whole_view(listed, everything, view)
    rows = every_row(store, view_id, total)
    assert [row.case_id for row in rows] == wanted
    head = listed.head(everything, 25, view)
    assert head.total == total == len(wanted)
    assert [row.case_id for row in head.rows] == wanted[:25]
    assert listed.triage_counts(everything)[view] == len(wanted)
    assert store.case_ids(view_id) == wanted
    store.close()


def test_updated_ids_are_the_states_updated_ones(triaged):
    cache, listed, state = triaged
    every = [row.case_id for row in every_row(*_whole_view(listed))]
    updated = [case_id for case_id, triage in state.states(every).items() if triage.state is RowState.UPDATED]
    assert sorted(state.updated_ids()) == sorted(updated) and updated



def _walk(ids: list[str], row: int, delta: int, wanted: set[str]) -> int | None:
    """The answer by hand: the nearest row after / before ``row`` whose case is wanted."""
    row += delta
    while 0 <= row < len(ids):
        if ids[row] in wanted:
            return row
        row += delta
    return None


@pytest.mark.parametrize("query", QUERIES, ids=["newest", "name", "two-statuses"])
@pytest.mark.parametrize("view", [TriageFilter.ALL, TriageFilter.FLAGGED], ids=lambda v: v.value)
def test_the_nearest_updated_case_is_found_over_the_whole_view_in_its_order(triaged, query, view):
    """N / Shift+N offline (``ListView.next_among``): from any row, the nearest updated case after
    or before it in the view's order, over every row of the view (none held in Python)."""
    cache, listed, state = triaged
    store, view_id, total = _whole_view(listed, replace(query, paginate=False), view)
    ids = [row.case_id for row in every_row(store, view_id, total)]
    updated = state.updated_ids()
    at = [row for row, case_id in enumerate(ids) if case_id in set(updated)]
    assert at and len(at) < total  # the fixture gives the view some updated cases, not all
    starts = {-1, 0, at[0] - 1, at[0], at[0] + 1, at[len(at) // 2], at[-1], at[-1] + 1, total - 1, total}
    for row in sorted(starts):
        for delta in (1, -1):
            assert store.next_among(view_id, row, delta, updated) == _walk(ids, row, delta, set(updated)), (row, delta)
    assert store.next_among(view_id, -1, 1, updated) == at[0] and store.next_among(view_id, total, -1, updated) == at[-1]
    assert store.next_among(view_id, at[-1], 1, updated) is None and store.next_among(view_id, at[0], -1, updated) is None
    assert store.next_among(view_id, -1, 1, ()) is None  # no updated case at all
    assert store.next_among(view_id + 1, -1, 1, updated) is None  # not this view: a stale ask
    store.close()


def test_offline_without_the_customers_list_says_so(tmp_path):
    cache = CaseCache(key=new_key(), path=tmp_path / "empty.db")
    with pytest.raises(OfflineError, match="not in the offline cache"):
        CachedList(cache, "nobody").head(CaseQuery(), 10)
    cache.close()
