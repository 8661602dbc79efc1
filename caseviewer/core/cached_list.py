"""The offline cache's case list as the store-backed table reads it: one customer, any query,
any triage view.

Offline, the case table lists every cached case of the customer at once and reads rows a window
at a time (``ui/case_list/store_table_model.py``). What it asks of the cache, on workers, is here:
the first rows and the count (``head``), the ordered view (``open_view``), and the counts beside
the triage views (``triage_counts``). A triage view is resolved once, in ``head``, and the same
``Triage`` writes the view, so the first screenful and the rest agree even if the reviewer's
state changes in between.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from caseviewer.core import errors
from caseviewer.core.offline import LIST_NOT_CACHED
from caseviewer.core.query import CaseQuery
from caseviewer.core.views import TriageFilter

if TYPE_CHECKING:
    from caseviewer.core.cache import CaseCache, ListView, StoredRow, Triage
    from caseviewer.core.repository import CaseRepository

#: The triage views that have a count beside them.
COUNTED_VIEWS = (TriageFilter.NEW, TriageFilter.UPDATED, TriageFilter.FLAGGED)


class ListedHead(NamedTuple):
    """The count and first rows of a query, the triage view they were read with, and when the
    oldest of those rows was cached (for the offline banner; None without rows)."""

    total: int
    rows: list[StoredRow]
    triage: Triage
    cached_at: datetime | None


class CachedList:
    """One customer's cached list. Every method does SQL: call them on workers."""

    def __init__(self, cache: CaseCache, customer_id: str) -> None:
        self.cache = cache
        self.customer_id = customer_id

    @classmethod
    def of(cls, repository: CaseRepository) -> CachedList | None:
        """The repository's cached list, or None without a cache or a list service."""
        if repository.cache is None or repository.api.list is None:
            return None
        return cls(repository.cache, repository.api.list.customer_id)

    def open_store(self) -> ListView:
        """A list view on a connection of its own (the caller closes it)."""
        return self.cache.open_list_view()

    def triage(self, view: TriageFilter) -> Triage:
        """A triage view as a condition on the list (the updated cases are looked up now)."""
        from caseviewer.core.cache import Triage
        from caseviewer.core.reviewer_state import ReviewerState

        view = TriageFilter(view)
        updated = ReviewerState(self.cache).updated_ids() if view is TriageFilter.UPDATED else ()
        return Triage(view, updated)

    def head(self, query: CaseQuery, limit: int, view: TriageFilter = TriageFilter.ALL) -> ListedHead:
        """The count and the first ``limit`` rows; ``OfflineError`` when nothing of the
        customer's list is cached (the same words as a page read offline)."""
        from caseviewer.core.cache.rows import utc

        if not self.cache.has_list(self.customer_id):
            raise errors.OfflineError(LIST_NOT_CACHED)
        triage = self.triage(view)
        found = self.cache.list_head(self.customer_id, query, limit, triage)
        return ListedHead(found.total, found.rows, triage, utc(found.oldest_fetch))

    def open_view(self, store: ListView, query: CaseQuery, triage: Triage, *,
                  cancel: threading.Event | None = None) -> tuple[int, int]:
        """Write the ordered view of ``query`` and ``triage``: (view id, rows)."""
        return store.open(self.customer_id, query, triage=triage, cancel=cancel)

    def triage_counts(self, query: CaseQuery) -> dict[TriageFilter, int]:
        """How many of ``query``'s cached cases each triage view holds."""
        return {view: self.cache.count_listed(self.customer_id, query, self.triage(view)) for view in COUNTED_VIEWS}


__all__ = ["COUNTED_VIEWS", "CachedList", "ListedHead"]
