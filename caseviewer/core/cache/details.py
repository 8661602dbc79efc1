"""Case details in the cache: each ``caseDetail`` document as sent, its inline bodies kept apart.

Bodies live in the attachments table (under its budget) instead of inside every detail row;
reading a detail puts back the ones still cached, in place of signed URLs that have most likely
expired by then.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from caseviewer.core.cache import fts_rows
from caseviewer.core.cache.attachments import AttachmentStore
from caseviewer.core.cache.database import CacheDatabase
from caseviewer.core.cache.rows import JSON, record_json, utc
from caseviewer.core.decode import DecodeError, decode_base64
from caseviewer.core.errors import CacheError
from caseviewer.core.models import THREAD_LISTS, CaseDetail, CaseRecord


class CachedDetail(NamedTuple):
    detail: CaseDetail
    fetched_at: datetime | None  # when it was stored


def _split_bodies(raw: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    """The detail without inline base64 bodies, and the decoded bodies by attachment id.

    Only shallow copies are made (a case can carry a 1 MiB comment), and the caller's dict is not
    changed. A body that is not valid base64, or has no id, stays inline so nothing is lost.
    """
    bodies: list[tuple[str, bytes]] = []

    def strip(attachments: Any) -> Any:
        if not isinstance(attachments, list):
            return attachments
        out = []
        for att in attachments:
            if isinstance(att, dict) and isinstance(att.get("content"), str) and isinstance(att.get("id"), str):
                try:
                    body = decode_base64(att["content"])
                except DecodeError:
                    out.append(att)
                    continue
                bodies.append((att["id"], body))
                att = {k: v for k, v in att.items() if k != "content"}
            out.append(att)
        return out

    stripped = dict(raw)
    stripped["attachments"] = strip(raw.get("attachments"))
    if "attachments" not in raw:
        del stripped["attachments"]
    for holder in THREAD_LISTS:
        if isinstance(raw.get(holder), list):
            stripped[holder] = [
                {**c, "attachments": strip(c["attachments"])} if isinstance(c, dict) and "attachments" in c else c
                for c in raw[holder]
            ]
    return stripped, bodies


def _attachment_dicts(raw: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for att in raw.get("attachments") or ():
        if isinstance(att, dict):
            yield att
    for holder in THREAD_LISTS:
        for comment in raw.get(holder) or ():
            if isinstance(comment, dict):
                for att in comment.get("attachments") or ():
                    if isinstance(att, dict):
                        yield att


class PreparedDetail(NamedTuple):
    """One ``caseDetail`` document ready to store: what ``DetailStore.put_prepared`` writes.

    Made by ``prepare_detail`` where the document was read (a sync's fetcher thread), so the
    writer only binds values: it neither walks the document nor encodes it again, and the parsed
    document need not live until the batch commits."""

    case_id: str
    email: str | None  # folded for the lookup by submitter email
    text: str  # the JSON stored in ``details.raw``
    bodies: list[tuple[str, bytes]]  # decoded inline bodies, by attachment id
    as_sent: str | None


def prepare_detail(detail_raw: dict[str, Any], *, text: str | None = None, as_sent: str | None = None) -> PreparedDetail:
    """``detail_raw`` as it is stored (see ``DetailStore.put`` for ``text`` and ``as_sent``)."""
    return _prepare(detail_raw, text, as_sent)[0]


def _prepare(
    detail_raw: dict[str, Any], text: str | None, as_sent: str | None
) -> tuple[PreparedDetail, dict[str, Any]]:
    """The prepared document and the document without its inline bodies (what is indexed).

    Inline base64 bodies are taken out (kept in ``bodies``); the document as received, ``text``,
    is stored as it is when nothing had to be taken out, instead of encoding the document again.
    """
    case_id = detail_raw.get("id") if isinstance(detail_raw, dict) else None
    if not isinstance(case_id, str) or not case_id:
        raise CacheError("A case detail without an id cannot be cached.")
    stripped, bodies = _split_bodies(detail_raw)
    submitter = detail_raw.get("submitter")
    email = submitter.get("email") if isinstance(submitter, dict) else None
    prepared = PreparedDetail(
        case_id,
        email.strip().lower() if isinstance(email, str) else None,
        text if text is not None and not bodies else JSON.encode(stripped),
        bodies,
        as_sent,
    )
    return prepared, stripped


class DetailStore:
    """The ``details`` table, indexed for full-text search as each document is written."""

    def __init__(self, db: CacheDatabase, attachments: AttachmentStore) -> None:
        self.db = db
        self.attachments = attachments

    def put(
        self,
        detail_raw: dict[str, Any],
        record: CaseRecord | dict[str, Any] | None = None,
        *,
        keep_bodies: bool = True,
        defer_index: bool = False,
        text: str | None = None,
        as_sent: str | None = None,
    ) -> str:
        """Store one ``caseDetail`` document; returns its case id.

        Inline base64 bodies move to the attachments table (under the budget) when
        ``keep_bodies``; otherwise they are dropped from the stored copy. ``defer_index`` queues
        its index row for ``TextIndex.index_backlog`` instead of writing it now (a sync).
        ``text`` is the response the document came in, as received (``{"caseDetail": ...}`` and
        a status word or two,
        ``CaseDetailClient.get_case_document``): stored as it is when no body had to be taken
        out, instead of encoding the document again; ``fts_rows.stored_detail`` reads either.
        ``as_sent`` is the response as sent when reading it replaced something
        (``CaseDetail.as_sent``), kept beside the document.
        """
        prepared, stripped = _prepare(detail_raw, text, as_sent)
        stored_record = record_json(record)
        with self.db.transaction("saving a case") as conn:
            if stored_record is None:
                stored_record = fts_rows.stored_record(conn, prepared.case_id)
            record_text = JSON.encode(stored_record) if stored_record is not None else None
            self.put_prepared([(prepared, record_text)], keep_bodies=keep_bodies, queue_index=defer_index)
            if not defer_index:
                fts_rows.index_case(conn, prepared.case_id, stripped, stored_record)
        return prepared.case_id

    def put_prepared(
        self,
        details: Sequence[tuple[PreparedDetail, str | None]],
        *,
        keep_bodies: bool = True,
        queue_index: bool = True,
    ) -> None:
        """Store prepared documents, each with its list record's JSON text (None: the one cached
        for the case is kept with it), in one transaction and one statement; their index rows
        are queued for ``TextIndex.index_backlog`` (unless ``queue_index`` is off: the caller
        indexes them). A sync's batch: the writer binds values and nothing more."""
        if not details:
            return
        now = self.db.now()
        with self.db.transaction("saving synced cases") as conn:
            rows = []
            for prepared, record_text in details:
                if record_text is None:
                    stored = fts_rows.stored_record(conn, prepared.case_id)
                    record_text = JSON.encode(stored) if stored is not None else None
                rows.append((prepared.case_id, prepared.email, now, record_text, prepared.text, prepared.as_sent))
            conn.executemany(
                "INSERT OR REPLACE INTO details (case_id, email, cached_at, record, raw, as_sent) VALUES (?,?,?,?,?,?)",
                rows,
            )
            if queue_index:
                fts_rows.queue_index(conn, (row[0] for row in rows))
            if keep_bodies:
                for prepared, _ in details:
                    for attachment_id, body in prepared.bodies:
                        self.attachments.put(attachment_id, body, case_id=prepared.case_id)

    def get(self, case_id: str | None = None, email: str | None = None) -> CachedDetail | None:
        """A cached detail by case id (preferred) or submitter email, with cached bodies put back."""
        if not case_id and not email:
            return None
        with self.db.reading("reading a case") as conn:
            if case_id:
                row = conn.execute("SELECT case_id, raw, cached_at, as_sent FROM details WHERE case_id = ?",
                                   (case_id,)).fetchone()
            else:
                row = conn.execute(
                    "SELECT case_id, raw, cached_at, as_sent FROM details WHERE email = ? ORDER BY cached_at DESC LIMIT 1",
                    ((email or "").strip().lower(),),
                ).fetchone()
            if row is None:
                return None
            raw = fts_rows.stored_detail(row[1])
            wanted = [a["id"] for a in _attachment_dicts(raw) if isinstance(a.get("id"), str) and "content" not in a]
            bodies = self.attachments.bodies(wanted)
        for att in _attachment_dicts(raw):
            body = bodies.get(att.get("id"))
            if body is not None:
                # A cached body replaces a signed URL that has most likely expired by now.
                att["content"] = base64.b64encode(body).decode("ascii")
                att.pop("url", None)
        return CachedDetail(CaseDetail.from_raw(raw, as_sent=row[3]), utc(row[2]))

    def record(self, case_id: str) -> tuple[CaseRecord, datetime | None] | None:
        """The list record stored with a case's detail, with when the detail was cached."""
        with self.db.reading("reading a case") as conn:
            row = conn.execute(
                "SELECT record, cached_at FROM details WHERE case_id = ? AND record IS NOT NULL", (case_id,)
            ).fetchone()
        if row is None:
            return None
        return CaseRecord.model_validate(json.loads(row[0])), utc(row[1])

    def count(self) -> int:
        with self.db.reading() as conn:
            return int(conn.execute("SELECT count(*) FROM details").fetchone()[0])


__all__ = ["CachedDetail", "DetailStore", "PreparedDetail", "prepare_detail"]
