"""Removing from the cache: cases not refreshed for a while ("purge"), or everything ("clear").

Both reach across every table (a purged case takes its bodies, index row and sync marks with it:
no orphan PHI) and end with a WAL checkpoint, so what was removed leaves the WAL file too.
"""

from __future__ import annotations

from caseviewer.core.cache import fts_rows
from caseviewer.core.cache.database import CacheDatabase

#: Every table that holds cached case data ("Clear cache" empties them; the reviewer's own state
#: and the access log are not cache data and stay).
CASE_TABLES = ("list_records", "details", "attachments", "sync_state", "fts_keys", "case_fts", "fts_backlog")


def purge_older_than(db: CacheDatabase, days: float) -> int:
    """Drop cases (list records, details, sync marks) and bodies not refreshed for ``days``.

    A case a sync confirmed unchanged within ``days`` counts as refreshed (``sync_state.touch``):
    its copy is what the service still lists. Returns the number of cases whose detail or list
    record was removed.
    """
    cutoff = db.now() - days * 86400
    confirmed = "SELECT case_id FROM sync_state WHERE updated_at >= ? AND state != 'failed'"  # a failure confirms nothing
    with db.transaction("removing old cases") as conn:
        touched = {cid for (cid,) in conn.execute(
            f"DELETE FROM details WHERE cached_at < ? AND case_id NOT IN ({confirmed}) RETURNING case_id",
            (cutoff, cutoff)).fetchall()}
        touched |= {cid for (cid,) in conn.execute(
            f"DELETE FROM list_records WHERE fetched_at < ? AND case_id NOT IN ({confirmed}) RETURNING case_id",
            (cutoff, cutoff)).fetchall()}
        conn.execute("DELETE FROM attachments WHERE last_used < ?", (cutoff,))
        # Bodies of purged cases go with them even if opened recently: no orphan PHI.
        conn.execute(
            "DELETE FROM attachments WHERE case_id IS NOT NULL AND case_id NOT IN (SELECT case_id FROM details)"
        )
        conn.execute(
            "DELETE FROM sync_state WHERE case_id NOT IN (SELECT case_id FROM details) "
            "AND case_id NOT IN (SELECT case_id FROM list_records)"
        )
        fts_rows.reindex_cases(conn, touched)
        if touched:
            fts_rows.optimize_index(conn)
    db.checkpoint()
    return len(touched)


def clear(db: CacheDatabase) -> None:
    """Remove everything cached (the file stays, empty and shrunk; its key is unchanged)."""
    with db.transaction("clearing the cache") as conn:
        for table in CASE_TABLES:
            conn.execute(f"DELETE FROM {table}")
        fts_rows.optimize_index(conn)  # else the deleted words stay in the index's segments
    with db.exclusive("clearing the cache") as conn:
        conn.execute("VACUUM")
    db.checkpoint()


__all__ = ["CASE_TABLES", "clear", "purge_older_than"]
