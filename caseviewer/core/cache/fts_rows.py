"""What the full-text index holds for a case, and writing, removing and queueing its rows.

``case_text`` decides what a reviewer can find a case by: the words of its comments and notes,
decisions (text, category, medication names), form answers, submitter name and email, business
name, title and ids. It reads the raw JSON (camelCase, as the detail service sent it) rather than
the pydantic models, because the raw document is what is stored and parsing every cached case
during a migration would be slow for no gain.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

Connection = Any  # a sqlcipher3 connection; typed loosely so this module needs no driver import

#: Columns of the FTS table, in order. ``people`` and ``body`` are separate so ranking can
#: favour a name match over a word buried in a long comment.
FTS_COLUMNS = ("title", "people", "business", "body")


def _strings(*values: Any) -> Iterator[str]:
    for value in values:
        if isinstance(value, str) and value.strip():
            yield value
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield str(value)


def _objects(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _person(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        yield from _strings(
            value.get("firstName", value.get("first_name")),
            value.get("lastName", value.get("last_name")),
            value.get("email"),
        )


def case_text(
    case_id: str, detail: dict[str, Any] | None, record: dict[str, Any] | None, private_note: str = ""
) -> tuple[str, ...]:
    """The FTS columns (see ``FTS_COLUMNS``) for one case from its raw detail and list record,
    and the reviewer's private note on it (found by Find in cached cases like any other word)."""
    detail = detail if isinstance(detail, dict) else {}
    record = record if isinstance(record, dict) else {}
    title = list(_strings(case_id, detail.get("shortId"), detail.get("title"), detail.get("type")))
    people = list(_person(detail.get("submitter")))
    people += _person(record.get("applicant"))
    business = list(_strings(record.get("business_name"), record.get("dba_name")))
    body: list[str] = []
    for thread in ("comments", "notes"):
        for comment in _objects(detail.get(thread)):
            body += _strings(comment.get("text"))
            body += (att.get("fileName") for att in _objects(comment.get("attachments")) if isinstance(att.get("fileName"), str))
    for decision in _objects(detail.get("decisions")):
        body += _strings(decision.get("decisionText"), decision.get("category"))
        for med in _objects(decision.get("medInfo")):
            body += _strings(med.get("medicine"), med.get("dosage"), med.get("orderNote"))
    for response in _objects(detail.get("responses")):
        form = response.get("form")
        if isinstance(form, dict):
            body += _strings(form.get("name"))
        for answer in _objects(response.get("responses")):
            body += _strings(answer.get("text"))
    bundle = detail.get("productBundle")
    if isinstance(bundle, dict):
        body += _strings(bundle.get("name"))
    body += _strings(private_note)
    return ("\n".join(title), "\n".join(people), "\n".join(business), "\n".join(body))


def index_case(conn: Connection, case_id: str, detail: dict[str, Any] | None, record: dict[str, Any] | None) -> None:
    """(Re)write the FTS row of one case. ``detail`` None indexes the list record alone."""
    row = conn.execute(
        "INSERT INTO fts_keys (case_id, has_detail) VALUES (?, ?) "
        "ON CONFLICT (case_id) DO UPDATE SET has_detail = excluded.has_detail RETURNING id",
        (case_id, 1 if detail is not None else 0),
    ).fetchone()
    conn.execute("DELETE FROM case_fts WHERE rowid = ?", (row[0],))
    conn.execute(
        f"INSERT INTO case_fts (rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, ?, ?, ?, ?)",
        (row[0], *case_text(case_id, detail, record, private_note(conn, case_id))),
    )


def _has_table(conn: Connection, name: str) -> bool:
    """Whether the cache has table ``name`` yet (these run inside migrations of older versions)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def optimize_index(conn: Connection) -> None:
    """Merge the index's segments into one. FTS5 records a delete as a marker beside the old
    entry; merging drops both, so the words of a removed case leave the index pages (with
    ``secure_delete`` the freed pages are zeroed)."""
    conn.execute("INSERT INTO case_fts (case_fts) VALUES ('optimize')")


def private_note(conn: Connection, case_id: str) -> str:
    """The reviewer's note on a case ("" when none, or before the reviewer tables exist)."""
    if not _has_table(conn, "reviewer_notes"):
        return ""  # a migration before v5 (the reviewer tables) is reindexing
    row = conn.execute("SELECT note FROM reviewer_notes WHERE case_id = ?", (case_id,)).fetchone()
    return row[0] if row is not None and row[0] else ""


def unindex_case(conn: Connection, case_id: str) -> None:
    row = conn.execute("DELETE FROM fts_keys WHERE case_id = ? RETURNING id", (case_id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM case_fts WHERE rowid = ?", (row[0],))


def stored_record(conn: Connection, case_id: str) -> dict[str, Any] | None:
    """The newest list record of a case from either table (details keep the one they came with)."""
    row = conn.execute(
        "SELECT raw FROM list_records WHERE case_id = ? ORDER BY fetched_at DESC LIMIT 1", (case_id,)
    ).fetchone()
    if row is None:
        row = conn.execute("SELECT record FROM details WHERE case_id = ? AND record IS NOT NULL", (case_id,)).fetchone()
    return json.loads(row[0]) if row is not None else None


def stored_detail(text: str) -> dict[str, Any]:
    """A stored ``details.raw``: the document, or the response it came in as received
    (``{"caseDetail": {...}}``, which a sync keeps rather than encoding the document again).
    A document always has an id (``DetailStore.put`` refuses one without), a response never."""
    value = json.loads(text)
    if isinstance(value, dict) and "id" not in value and isinstance(value.get("caseDetail"), dict):
        return value["caseDetail"]
    return value


def reindex_case(conn: Connection, case_id: str) -> None:
    """Rebuild one case's FTS row from what is stored; drop it when nothing is left."""
    row = conn.execute("SELECT raw FROM details WHERE case_id = ?", (case_id,)).fetchone()
    record = stored_record(conn, case_id)
    if row is None and record is None:
        unindex_case(conn, case_id)
        return
    index_case(conn, case_id, stored_detail(row[0]) if row is not None else None, record)


def reindex_cases(conn: Connection, case_ids: Iterable[str]) -> None:
    for case_id in case_ids:
        reindex_case(conn, case_id)


def queue_index(conn: Connection, case_ids: Iterable[str]) -> None:
    """Queue cases for ``index_backlog`` instead of writing their index rows now (a sync)."""
    conn.executemany("INSERT OR IGNORE INTO fts_backlog (case_id) VALUES (?)", ((c,) for c in case_ids))


def index_backlog(conn: Connection, limit: int) -> int:
    """Write the index rows of up to ``limit`` queued cases and dequeue them; returns how many."""
    case_ids = [c for (c,) in conn.execute("SELECT case_id FROM fts_backlog LIMIT ?", (limit,))]
    reindex_cases(conn, case_ids)
    conn.executemany("DELETE FROM fts_backlog WHERE case_id = ?", ((c,) for c in case_ids))
    return len(case_ids)


def backlog_count(conn: Connection) -> int:
    """Cases queued for the index (0 before the backlog table exists)."""
    if not _has_table(conn, "fts_backlog"):
        return 0
    return int(conn.execute("SELECT count(*) FROM fts_backlog").fetchone()[0])
