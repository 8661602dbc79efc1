"""Full-text search over the cache's FTS5 index (what is indexed: ``fts_rows.case_text``).

Fast on any query (tests/bench/bench_search.py): the index alone ranks (prefix indexes for 1-3
letters; bm25 over at most ``RANK_WINDOW`` matches, the newest, when a query matches more), and
snippets are made only for the rows returned (``core/text_search``).
"""

from __future__ import annotations

import threading
from typing import NamedTuple

from caseviewer.core import text_search
from caseviewer.core.cache import fts_rows
from caseviewer.core.cache.database import CacheDatabase
from caseviewer.core.errors import CacheError, Cancelled

#: A query matching more cases than this ranks the newest this many by bm25 (ranking all of
#: 100,000 matches of "a" would cost about half a second; the newest 2,000 take ~10 ms).
RANK_WINDOW = 2000
#: SQLite virtual-machine steps between two looks at a search's cancel event.
PROGRESS_STEPS = 2000
#: Cases per transaction when the index catches up with a sync (short, so a search or a write
#: of the window's waits little for the write lock).
INDEX_BATCH = 100

#: Around each matched word in a ``TextHit.snippet`` (Unicode private-use code points).
HIT_START, HIT_END = text_search.SNIPPET_OPEN, text_search.SNIPPET_CLOSE


class TextHit(NamedTuple):
    """A full-text match: the case and a plain-text snippet, its matched words between
    ``HIT_START`` and ``HIT_END`` (private-use characters, so a bracket in the text is just text)."""

    case_id: str
    snippet: str


class TextIndex:
    """Searches ``case_fts``; the stores keep it current as they write (``fts_rows.index_case``)."""

    def __init__(self, db: CacheDatabase) -> None:
        self.db = db

    def index_backlog(self, limit: int = INDEX_BATCH) -> tuple[int, int]:
        """Write the index rows of up to ``limit`` cases a sync queued, in one short transaction
        (searches keep reading beside it); returns (written, still queued)."""
        with self.db.transaction("building the search index") as conn:
            written = fts_rows.index_backlog(conn, limit)
        return written, self.backlog_count()

    def backlog_count(self) -> int:
        """Cases stored but not yet in the full-text index (a sync queued them)."""
        with self.db.reading("reading the cache") as conn:
            return fts_rows.backlog_count(conn)

    def search(self, query: str, limit: int = 50, *, cancel: threading.Event | None = None) -> list[TextHit]:
        """Cases whose cached content contains every word of ``query`` (prefixes match), best first.

        ``cancel`` (the worker's event) interrupts the query between steps: ``Cancelled``.
        """
        match = text_search.fts_query(query)
        if not match:
            return []
        conn = self.db.connection()
        if cancel is not None:
            conn.set_progress_handler(lambda: 1 if cancel.is_set() else 0, PROGRESS_STEPS)
        try:
            with self.db.errors("searching the cache"):
                ranked = conn.execute(
                    "SELECT rowid, rank FROM case_fts WHERE case_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
                    (match, RANK_WINDOW),
                ).fetchall()
                ranked.sort(key=lambda row: row[1])
                top = [rowid for rowid, _rank in ranked[:max(0, limit)]]
                if not top:
                    return []
                marks = ",".join("?" * len(top))
                texts = {row[0]: row[1:] for row in conn.execute(
                    f"SELECT rowid, {', '.join(fts_rows.FTS_COLUMNS)} FROM case_fts WHERE rowid IN ({marks})", top)}
                ids = dict(conn.execute(f"SELECT id, case_id FROM fts_keys WHERE id IN ({marks})", top).fetchall())
        except CacheError:
            if cancel is not None and cancel.is_set():
                raise Cancelled("The search was superseded.") from None
            raise
        finally:
            if cancel is not None:
                conn.set_progress_handler(None, 0)
        terms = text_search.query_terms(query)
        return [TextHit(ids[rowid], text_search.snippet(texts.get(rowid, ()), terms)) for rowid in top if rowid in ids]


__all__ = ["HIT_END", "HIT_START", "RANK_WINDOW", "TextHit", "TextIndex"]
