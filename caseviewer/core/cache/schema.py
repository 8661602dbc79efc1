"""Schema of the offline cache: its ordered migrations.

The cache is a derived store (everything in it can be fetched again), but it may be the only copy
a reviewer has while offline, so migrations transform data in place rather than dropping it. Each
migration runs in its own transaction together with the row that records its version, so an
interrupted upgrade leaves the previous version intact and is simply retried on the next open.

What the full-text index holds for a case, and the writing of its rows, is in ``fts_rows.py``
(the full-text migrations call it).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from caseviewer.core.cache.fts_rows import FTS_COLUMNS, Connection, optimize_index, reindex_case


def _run_script(conn: Connection, script: str) -> None:
    # Not executescript(): it COMMITs first, which would split a migration from its version row.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1_base(conn: Connection) -> None:
    """Version 1: list records, details, attachment bodies and sync progress."""
    _run_script(
        conn,
        """
        CREATE TABLE list_records (
            customer_id   TEXT    NOT NULL,
            case_id       TEXT    NOT NULL,
            query_key     TEXT    NOT NULL,
            position      INTEGER NOT NULL,
            fetched_at    REAL    NOT NULL,
            created_ms    INTEGER,
            business_fold TEXT    NOT NULL DEFAULT '',
            first_fold    TEXT    NOT NULL DEFAULT '',
            last_fold     TEXT    NOT NULL DEFAULT '',
            status_id     INTEGER,
            raw           TEXT    NOT NULL,
            PRIMARY KEY (customer_id, case_id)
        ) WITHOUT ROWID;
        CREATE INDEX list_records_created ON list_records (customer_id, created_ms);
        -- Name sorts keep ties newest first in both directions (as the service does): one index each.
        CREATE INDEX list_records_business ON list_records (customer_id, business_fold, created_ms DESC);
        CREATE INDEX list_records_business_desc ON list_records (customer_id, business_fold DESC, created_ms DESC);
        CREATE INDEX list_records_case ON list_records (case_id);
        CREATE INDEX list_records_fetched ON list_records (fetched_at);

        CREATE TABLE details (
            case_id   TEXT PRIMARY KEY,
            email     TEXT,
            cached_at REAL NOT NULL,
            record    TEXT,
            raw       TEXT NOT NULL
        );
        CREATE INDEX details_email ON details (email);
        CREATE INDEX details_cached ON details (cached_at);

        -- size and last_used come before body so that the budget and LRU scans never walk a
        -- body's overflow pages.
        CREATE TABLE attachments (
            attachment_id TEXT PRIMARY KEY,
            case_id       TEXT,
            size          INTEGER NOT NULL,
            last_used     REAL    NOT NULL,
            body          BLOB    NOT NULL
        );
        CREATE INDEX attachments_lru ON attachments (last_used);
        CREATE INDEX attachments_case ON attachments (case_id);

        CREATE TABLE sync_state (
            customer_id TEXT NOT NULL,
            case_id     TEXT NOT NULL,
            state       TEXT NOT NULL,
            message     TEXT NOT NULL DEFAULT '',
            updated_at  REAL NOT NULL,
            PRIMARY KEY (customer_id, case_id)
        ) WITHOUT ROWID;
        """
    )


def _v2_full_text(conn: Connection) -> None:
    """Version 2: the full-text index over cached cases, backfilled from what is cached."""
    _run_script(
        conn,
        f"""
        CREATE TABLE fts_keys (
            id         INTEGER PRIMARY KEY,
            case_id    TEXT UNIQUE NOT NULL,
            has_detail INTEGER NOT NULL DEFAULT 0
        );
        CREATE VIRTUAL TABLE case_fts USING fts5(
            {", ".join(FTS_COLUMNS)}, tokenize = 'unicode61 remove_diacritics 2'
        );
        """
    )
    for (case_id,) in conn.execute("SELECT case_id FROM details").fetchall():
        reindex_case(conn, case_id)
    for (case_id,) in conn.execute(
        "SELECT DISTINCT case_id FROM list_records WHERE case_id NOT IN (SELECT case_id FROM details)"
    ).fetchall():
        reindex_case(conn, case_id)


#: Prefix lengths the index keeps ready: a query ending in a 1-3 letter prefix ("a", "na")
#: reads one list instead of merging the lists of every word that starts so (5.5 s for "a" on
#: 30 cases before; see tests/bench/bench_search.py).
FTS_PREFIXES = "1 2 3"
#: The rank function, stored in the index's config so ``ORDER BY rank`` uses it. Weights follow
#: ``FTS_COLUMNS``: a title or name match counts more than a word buried in a long comment.
FTS_RANK = "bm25(4.0, 3.0, 3.0, 1.0)"


def create_full_text_table(conn: Connection, name: str = "case_fts") -> None:
    """The FTS table as it is today: prefix indexes, its rank function, and FTS5's own
    ``secure-delete`` (a deleted row's words are removed from the index pages at once rather than
    masked by a delete marker until the next merge)."""
    conn.execute(
        f"CREATE VIRTUAL TABLE {name} USING fts5({', '.join(FTS_COLUMNS)}, "
        f"tokenize = 'unicode61 remove_diacritics 2', prefix = '{FTS_PREFIXES}')"
    )
    conn.execute(f"INSERT INTO {name} ({name}, rank) VALUES ('rank', ?)", (FTS_RANK,))
    conn.execute(f"INSERT INTO {name} ({name}, rank) VALUES ('secure-delete', 1)")


def _v3_fast_full_text(conn: Connection) -> None:
    """Version 3: the FTS table again with prefix indexes, a stored rank function and
    secure-delete; rebuilt from the old table's text (no JSON is parsed again)."""
    columns = ", ".join(FTS_COLUMNS)
    create_full_text_table(conn, "case_fts_v3")
    conn.execute(f"INSERT INTO case_fts_v3 (rowid, {columns}) SELECT rowid, {columns} FROM case_fts")
    conn.execute("DROP TABLE case_fts")
    conn.execute("ALTER TABLE case_fts_v3 RENAME TO case_fts")
    optimize_index(conn)


def _v4_access_log(conn: Connection) -> None:
    """Version 4: the append-only access log (see ``core/access_log.py``) and its retention anchor."""
    _run_script(
        conn,
        """
        CREATE TABLE access_log (
            seq       INTEGER PRIMARY KEY,
            at        TEXT NOT NULL,
            os_user   TEXT NOT NULL,
            profile   TEXT NOT NULL,
            action    TEXT NOT NULL,
            case_id   TEXT,
            prev_hash TEXT NOT NULL,
            hash      TEXT NOT NULL
        );
        CREATE INDEX access_log_case ON access_log (case_id);
        CREATE INDEX access_log_at ON access_log (at);
        -- The last entry retention removed: the first kept entry must chain onto it.
        CREATE TABLE access_log_anchor (
            id   INTEGER PRIMARY KEY CHECK (id = 1),
            seq  INTEGER NOT NULL,
            hash TEXT NOT NULL
        );
        """
    )


def _v5_reviewer_state(conn: Connection) -> None:
    """Version 5: the reviewer's own state per case (what they saw, flags, private notes).

    Never sent to a service; kept by "Clear offline cache" (it is the reviewer's work, not a copy
    of the service's data). See ``core/reviewer_state.py``.
    """
    _run_script(
        conn,
        """
        CREATE TABLE reviewer_seen (
            case_id   TEXT PRIMARY KEY,
            viewed_at REAL NOT NULL,
            seen      TEXT NOT NULL,
            latest    TEXT NOT NULL,
            latest_at REAL NOT NULL,
            unread    INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE reviewer_notes (
            case_id    TEXT PRIMARY KEY,
            flag       TEXT,
            note       TEXT NOT NULL DEFAULT '',
            updated_at REAL NOT NULL
        );
        CREATE INDEX reviewer_notes_flag ON reviewer_notes (flag)
        """
    )


def _v6_list_view_indexes(conn: Connection) -> None:
    """Version 6: list indexes that cover the table's orders *and* its status filter.

    The table reads the cached list as an ordered view (``core/cache/list_view.py``). With the status
    id in the sort indexes a filtered order is a scan of one index, never a lookup into the
    table per case (that cost most of a second at 100,000 cases); the status index makes a
    filtered count a range count. They replace the v1 sort indexes they extend.
    """
    _run_script(
        conn,
        """
        DROP INDEX IF EXISTS list_records_created;
        DROP INDEX IF EXISTS list_records_business;
        DROP INDEX IF EXISTS list_records_business_desc;
        CREATE INDEX list_records_created_v6 ON list_records (customer_id, created_ms, case_id, status_id);
        CREATE INDEX list_records_business_v6 ON list_records
            (customer_id, business_fold, created_ms DESC, case_id, status_id);
        CREATE INDEX list_records_business_desc_v6 ON list_records
            (customer_id, business_fold DESC, created_ms DESC, case_id, status_id);
        CREATE INDEX list_records_status ON list_records (customer_id, status_id)
        """
    )


def _v7_index_backlog(conn: Connection) -> None:
    """Version 7 (the full-text backlog): cases whose index row is still to be (re)written.

    A sync stores details as fast as the network brings them and queues their index rows here;
    ``index_backlog`` writes them afterwards in short transactions, so searching keeps working
    (on what is indexed) while the index catches up. Starts empty: every cached case is indexed.
    """
    conn.execute("CREATE TABLE fts_backlog (case_id TEXT PRIMARY KEY) WITHOUT ROWID")


def _v8_sync_fingerprints(conn: Connection) -> None:
    """Version 8: each synced case keeps the fingerprint of the list record it was synced with.

    A re-sync skips (neither fetches nor rewrites) a case whose listed record has the same
    fingerprint (``core/sync.py``). Cases synced before keep being skipped as they were: their
    fingerprint is taken from the list record stored now, so an upgrade does not refetch them all.
    """
    from caseviewer.core.cache.rows import fingerprint  # rows imports the models; only needed here

    conn.execute("ALTER TABLE sync_state ADD COLUMN fingerprint TEXT NOT NULL DEFAULT ''")
    rows = conn.execute(
        "SELECT s.customer_id, s.case_id, l.raw FROM sync_state s JOIN list_records l "
        "ON l.customer_id = s.customer_id AND l.case_id = s.case_id"
    ).fetchall()
    conn.executemany(
        "UPDATE sync_state SET fingerprint = ? WHERE customer_id = ? AND case_id = ?",
        ((fingerprint(raw), customer_id, case_id) for customer_id, case_id, raw in rows),
    )


def _v9_detail_as_sent(conn: Connection) -> None:
    """Version 9: a detail keeps the response as the service sent it, when reading it replaced
    something (a lone surrogate, an invalid byte: ``wire.sent_text_if_altered``); NULL when the
    stored document is exactly what was sent. Nothing the service sent is lost in the cache."""
    conn.execute("ALTER TABLE details ADD COLUMN as_sent TEXT")


def _v10_list_counts(conn: Connection) -> None:
    """Version 10: how many cases each customer's cached list holds, per status, kept by triggers.

    The table over the cache needs a query's row count before its first rows can be placed, and
    ``count(*)`` over a million cached cases reads the whole status index (~300 ms). With the
    counts kept here, an unfiltered or status-filtered count is a sum of a few rows
    (``list_view.count_matching``). Triggers keep them true for every write, whoever makes it:
    an insert adds one, a delete takes one away (the connections set ``recursive_triggers``, so an
    ``INSERT OR REPLACE`` that replaces a row fires the delete too), a status change moves one.
    ``status_known`` tells a case without a status (NULL, stored as 0) from status 0.
    """
    _run_script(
        conn,
        """
        CREATE TABLE list_counts (
            customer_id  TEXT    NOT NULL,
            status_known INTEGER NOT NULL,
            status_id    INTEGER NOT NULL,
            cases        INTEGER NOT NULL,
            PRIMARY KEY (customer_id, status_known, status_id)
        ) WITHOUT ROWID;
        INSERT INTO list_counts (customer_id, status_known, status_id, cases)
            SELECT customer_id, status_id IS NOT NULL, coalesce(status_id, 0), count(*)
            FROM list_records GROUP BY 1, 2, 3
        """
    )
    add_one = (
        "INSERT INTO list_counts (customer_id, status_known, status_id, cases) "
        "VALUES (NEW.customer_id, NEW.status_id IS NOT NULL, coalesce(NEW.status_id, 0), 1) "
        "ON CONFLICT DO UPDATE SET cases = cases + 1;"
    )
    take_one = (
        "UPDATE list_counts SET cases = cases - 1 WHERE customer_id = OLD.customer_id "
        "AND status_known = (OLD.status_id IS NOT NULL) AND status_id = coalesce(OLD.status_id, 0);"
    )
    # One statement each (a trigger's body has semicolons of its own, which _run_script splits on).
    conn.execute(f"CREATE TRIGGER list_counts_insert AFTER INSERT ON list_records BEGIN {add_one} END")
    conn.execute(f"CREATE TRIGGER list_counts_delete AFTER DELETE ON list_records BEGIN {take_one} END")
    conn.execute("CREATE TRIGGER list_counts_update AFTER UPDATE OF customer_id, status_id ON list_records "
                 f"BEGIN {take_one} {add_one} END")


#: (version, migration) in order. Append only: a released migration is never edited.
MIGRATIONS: tuple[tuple[int, Callable[[Connection], None]], ...] = (
    (1, _v1_base),
    (2, _v2_full_text),
    (3, _v3_fast_full_text),
    (4, _v4_access_log),
    (5, _v5_reviewer_state),
    (6, _v6_list_view_indexes),
    (7, _v7_index_backlog),
    (8, _v8_sync_fingerprints),
    (9, _v9_detail_as_sent),
    (10, _v10_list_counts),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not has_table:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply the migrations after the stored version up to ``target``; returns the new version.

    ``conn`` must be in autocommit mode (isolation_level None). ``BEGIN IMMEDIATE`` takes the
    write lock before the version is read again, so two processes opening an old cache at the
    same moment cannot both run a migration.
    """
    for version, step in MIGRATIONS:
        if version > target:
            break
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at REAL NOT NULL)"
            )
            if current_version(conn) < version:
                step(conn)
                conn.execute("INSERT INTO schema_version VALUES (?, ?)", (version, time.time()))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return current_version(conn)
