"""How far a sync got, per customer and case, so a rerun resumes instead of starting over.

Each finished case keeps the fingerprint of the list record it was synced with
(``rows.fingerprint``): a re-sync skips a case whose listed record has the same one, and only
``touch``-es it: ``updated_at`` is when a sync last confirmed the cached copy, which the purge by
age counts as a refresh. (The narrow ``sync_state`` row is updated, not the list record: touching
10,000 list records rewrote their JSON pages and cost more than the rest of the re-sync.) The
sync reads the marks with their times (``finished_marks``), so it touches only marks older than
its ``RECONFIRM_AFTER_S``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum

from caseviewer.core.cache.database import CacheDatabase


class SyncState(str, Enum):
    """What a sync made of one case (stored as the value)."""

    DONE = "done"
    #: The detail service does not know the case (404): an answer, not a failure, so a rerun
    #: skips it like a done case.
    LIST_ONLY = "list_only"
    FAILED = "failed"


#: States a rerun skips.
FINISHED = (SyncState.DONE, SyncState.LIST_ONLY)


class SyncStateStore:
    """The ``sync_state`` table."""

    def __init__(self, db: CacheDatabase) -> None:
        self.db = db

    def mark(
        self,
        customer_id: str,
        entries: Iterable[tuple[str, SyncState, str]],
        fingerprints: Mapping[str, str] | None = None,
    ) -> None:
        """Record (case_id, state, message) for a sync, with the fingerprint of each case's list
        record from ``fingerprints`` ("" when not given: the next sync fetches the case again)."""
        now = self.db.now()
        prints = fingerprints or {}
        rows = [
            (customer_id, case_id, SyncState(state).value, message, now, prints.get(case_id, ""))
            for case_id, state, message in entries
        ]
        with self.db.transaction("saving sync progress") as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO sync_state (customer_id, case_id, state, message, updated_at, fingerprint) "
                "VALUES (?,?,?,?,?,?)",
                rows,
            )

    def touch(self, customer_id: str, case_ids: Iterable[str]) -> None:
        """A sync found these cases unchanged: their copies count as refreshed now. One transaction."""
        now = self.db.now()
        with self.db.transaction("saving sync progress") as conn:
            conn.executemany(
                "UPDATE sync_state SET updated_at = ? WHERE customer_id = ? AND case_id = ?",
                ((now, customer_id, case_id) for case_id in case_ids),
            )

    def finished_fingerprints(self, customer_id: str) -> dict[str, str]:
        """Case id -> list-record fingerprint of the cases a sync finished *and whose copies are
        still cached* (a purge may have removed a detail or list record; those are synced again)."""
        return {case_id: mark[0] for case_id, mark in self.finished_marks(customer_id).items()}

    def finished_marks(self, customer_id: str) -> dict[str, tuple[str, float, float | None]]:
        """``finished_fingerprints``, each with when a sync last confirmed the case (``updated_at``)
        and when its detail was fetched (None for a list-only case).

        One query for all of them: asked page by page (500 ids at a time) it cost three times
        as much, the random lookups missing the page cache (every page read is decrypted)."""
        with self.db.reading("reading sync progress") as conn:
            rows = conn.execute(
                "SELECT s.case_id, s.fingerprint, s.updated_at, d.cached_at FROM sync_state s "
                "JOIN list_records l ON l.customer_id = s.customer_id AND l.case_id = s.case_id "
                "LEFT JOIN details d ON d.case_id = s.case_id "
                "WHERE s.customer_id = ? AND s.fingerprint != '' AND (s.state = ? "
                "OR (s.state = ? AND d.case_id IS NOT NULL))",
                (customer_id, SyncState.LIST_ONLY.value, SyncState.DONE.value),
            ).fetchall()
        return {case_id: (print_, updated_at, fetched_at) for case_id, print_, updated_at, fetched_at in rows}

    def finished_case_ids(self, customer_id: str) -> set[str]:
        """Cases a previous sync finished (done or list-only): a resumed sync skips them."""
        with self.db.reading("reading sync progress") as conn:
            rows = conn.execute(
                f"SELECT case_id FROM sync_state WHERE customer_id = ? AND state IN ({','.join('?' * len(FINISHED))})",
                (customer_id, *(state.value for state in FINISHED)),
            ).fetchall()
        return {case_id for (case_id,) in rows}

    def counts(self, customer_id: str) -> dict[SyncState, int]:
        with self.db.reading("reading sync progress") as conn:
            rows = conn.execute(
                "SELECT state, count(*) FROM sync_state WHERE customer_id = ? GROUP BY state", (customer_id,)
            ).fetchall()
        return {SyncState(state): count for state, count in rows}

    def reset(self, customer_id: str) -> None:
        with self.db.transaction("resetting sync progress") as conn:
            conn.execute("DELETE FROM sync_state WHERE customer_id = ?", (customer_id,))


__all__ = ["FINISHED", "SyncState", "SyncStateStore"]
