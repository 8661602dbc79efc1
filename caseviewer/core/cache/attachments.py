"""Attachment bodies in the cache, under a size budget, the least recently used evicted first."""

from __future__ import annotations

from typing import Any

import sqlcipher3

from caseviewer.core.cache.database import CacheDatabase

DEFAULT_ATTACHMENT_BUDGET = 500 * 1024 * 1024


class AttachmentStore:
    """The ``attachments`` table: one body per attachment id, with its size and last use."""

    def __init__(self, db: CacheDatabase, budget: int = DEFAULT_ATTACHMENT_BUDGET) -> None:
        self.db = db
        self.budget = budget

    def put(self, attachment_id: str, body: bytes, *, case_id: str | None = None) -> bool:
        """Keep a body, evicting the least recently used ones over the budget.

        Returns False (and stores nothing) when the body alone is larger than the budget.
        """
        size = len(body)
        if size > self.budget:
            return False
        with self.db.transaction("saving an attachment") as conn:
            conn.execute(
                "INSERT OR REPLACE INTO attachments (attachment_id, case_id, size, last_used, body) VALUES (?,?,?,?,?)",
                (attachment_id, case_id, size, self.db.now(), sqlcipher3.Binary(body)),
            )
            self._evict(conn, keep=attachment_id)
        return True

    def _evict(self, conn: Any, *, keep: str | None = None) -> int:
        (total,) = conn.execute("SELECT coalesce(sum(size), 0) FROM attachments").fetchone()
        evicted = 0
        if total <= self.budget:
            return 0
        for attachment_id, size in conn.execute(
            "SELECT attachment_id, size FROM attachments ORDER BY last_used, rowid"
        ).fetchall():
            if total <= self.budget:
                break
            if attachment_id == keep:
                continue
            conn.execute("DELETE FROM attachments WHERE attachment_id = ?", (attachment_id,))
            total -= size
            evicted += 1
        return evicted

    def bodies(self, attachment_ids: list[str]) -> dict[str, bytes]:
        """Bodies by id for those cached; marks them used (it is what keeps them from eviction).

        Runs inside the caller's ``db.reading``/``db.errors`` block.
        """
        if not attachment_ids:
            return {}
        marks = ",".join("?" * len(attachment_ids))
        rows = self.db.connection().execute(
            f"SELECT attachment_id, body FROM attachments WHERE attachment_id IN ({marks})", attachment_ids
        ).fetchall()
        if rows:
            found = [attachment_id for attachment_id, _ in rows]
            self.db.write_if_free(
                f"UPDATE attachments SET last_used = ? WHERE attachment_id IN ({','.join('?' * len(found))})",
                [self.db.now(), *found],
            )
        return {attachment_id: bytes(body) for attachment_id, body in rows}

    def get(self, attachment_id: str) -> bytes | None:
        with self.db.errors("reading an attachment"):
            return self.bodies([attachment_id]).get(attachment_id)

    def has(self, attachment_id: str) -> bool:
        with self.db.reading("reading an attachment") as conn:
            row = conn.execute("SELECT 1 FROM attachments WHERE attachment_id = ?", (attachment_id,)).fetchone()
        return row is not None

    def total_bytes(self) -> int:
        with self.db.reading() as conn:
            return int(conn.execute("SELECT coalesce(sum(size), 0) FROM attachments").fetchone()[0])


__all__ = ["AttachmentStore", "DEFAULT_ATTACHMENT_BUDGET"]
