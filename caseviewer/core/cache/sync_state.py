"""How far a sync got, per customer and case, so a rerun resumes instead of starting over."""

from __future__ import annotations

from collections.abc import Iterable
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

    def mark(self, customer_id: str, entries: Iterable[tuple[str, SyncState, str]]) -> None:
        """Record (case_id, state, message) for a sync."""
        now = self.db.now()
        rows = [(customer_id, case_id, SyncState(state).value, message, now) for case_id, state, message in entries]
        with self.db.transaction("saving sync progress") as conn:
            conn.executemany("INSERT OR REPLACE INTO sync_state VALUES (?,?,?,?,?)", rows)

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
