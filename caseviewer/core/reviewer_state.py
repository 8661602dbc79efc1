"""The reviewer's own state per case, in the encrypted offline cache: what they saw, flags, notes.

Per profile (the cache is per profile) and never sent to a service: nothing here is given to a
client. Three kinds of state:

* **Seen**: when the reviewer last opened a case and the fingerprint (``core.changes``) of what
  they saw, plus the fingerprint of the newest copy known since (a refresh, a list page, a
  sync: ``observe`` / ``observe_documents``, which never mark anything as seen). The table's new / updated / read state and the case page's marks come from those two.
* **Flags**: one colour per case, like Thunderbird's tags.
* **Private notes**: free text, indexed with the case for Find in cached cases.

Without a keyring there is no cache and so no reviewer state: ``unavailable_reason`` says why, for
the UI to show instead of silently forgetting what was read.

All methods do SQL: call them on workers.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from caseviewer.core.cache import fts_rows
from caseviewer.core.changes import (
    CaseChanges,
    Fingerprint,
    RowState,
    diff,
    fingerprint_detail,
    fingerprint_record,
    row_state,
)
from caseviewer.core.models import CaseRecord

if TYPE_CHECKING:
    from caseviewer.core.cache import CaseCache

#: SQLite's default limit on bound parameters is 999 in old builds: stay well under it.
_CHUNK = 500
NOTE_MAX_CHARS = 20_000


class Flag(enum.Enum):
    """A reviewer's flag on a case. Values are stored: never rename."""

    RED = "red"
    ORANGE = "orange"
    GREEN = "green"
    BLUE = "blue"
    PURPLE = "purple"

    @property
    def label(self) -> str:
        return _FLAG_LABELS[self]


_FLAG_LABELS = {
    Flag.RED: "Important",
    Flag.ORANGE: "Follow up",
    Flag.GREEN: "Done",
    Flag.BLUE: "Waiting",
    Flag.PURPLE: "Later",
}


def unavailable_reason(cache_reason: str) -> str:
    """Why read state, flags and notes cannot be kept (there is no encrypted cache)."""
    return (
        "Read state, flags and private notes are kept only in the encrypted offline cache, and "
        f"there is none: {cache_reason.rstrip('.')}. Nothing is remembered until a keyring is available."
    )


@dataclass(frozen=True)
class CaseTriage:
    """What the table shows for one case beyond its list record."""

    case_id: str
    state: RowState = RowState.NEW
    changes: str = ""  # what changed since it was seen, one line ("" when nothing or new)
    flag: Flag | None = None
    note: str = ""


def _flag(value: object) -> Flag | None:
    try:
        return Flag(value) if value else None
    except ValueError:
        return None  # a flag from a newer version: shown as none rather than failing


class ReviewerState:
    """Reads and writes the reviewer tables of one ``CaseCache``."""

    def __init__(self, cache: CaseCache) -> None:
        self.cache = cache

    # -- seen / newest copy -----------------------------------------------------------------

    def record_view(self, case_id: str, fingerprint: Fingerprint) -> CaseChanges:
        """The reviewer opened ``case_id`` and saw ``fingerprint``: returns what changed since the
        previous view (for the case page's marks), then remembers this one as seen."""
        now = self.cache.now()
        with self.cache.transaction("remembering what you read") as conn:
            row = conn.execute("SELECT seen, latest FROM reviewer_seen WHERE case_id = ?", (case_id,)).fetchone()
            before = Fingerprint.from_json(row[0]) if row is not None else None
            latest = Fingerprint.from_json(row[1]) if row is not None else Fingerprint()
            # A list-only part seen earlier (the list status) stays known until a newer one comes.
            seen = (before or Fingerprint()).merged(latest).merged(fingerprint)
            conn.execute(
                "INSERT OR REPLACE INTO reviewer_seen (case_id, viewed_at, seen, latest, latest_at, unread) "
                "VALUES (?, ?, ?, ?, ?, 0)",
                (case_id, now, seen.to_json(), seen.to_json(), now),
            )
        return diff(before, fingerprint) if before is not None else CaseChanges(first_view=True)

    def observe(self, copies: Mapping[str, Fingerprint]) -> set[str]:
        """Newer copies arrived (refresh, list page, sync): remember them as the newest known.

        Only cases the reviewer has seen are tracked (a never-opened case is new whatever it
        holds). Returns the ids whose state became UPDATED with this call.
        """
        now = self.cache.now()
        became: set[str] = set()
        ids = [case_id for case_id, fp in copies.items() if not fp.is_empty]
        updates: list[str] = []
        # Read first, write only what changed: a list page of cases already known takes no write
        # lock (a sync may be writing at the same time).
        with self.cache.reading("reading your read state") as conn:
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT case_id, seen, latest, unread FROM reviewer_seen WHERE case_id IN ({marks})", chunk
                ).fetchall()
                for case_id, seen_json, latest_json, unread in rows:
                    seen = Fingerprint.from_json(seen_json)
                    old_latest = Fingerprint.from_json(latest_json)
                    latest = old_latest.merged(copies[case_id])
                    if latest == old_latest:
                        continue
                    before = row_state(seen, old_latest, unread=bool(unread))
                    if before is not RowState.UPDATED and row_state(seen, latest, unread=bool(unread)) is RowState.UPDATED:
                        became.add(case_id)
                    updates.append(case_id)
        if updates:
            with self.cache.transaction("remembering case changes") as conn:
                for case_id in updates:
                    # Merged again under the write lock: another observe may have written meanwhile.
                    row = conn.execute("SELECT latest FROM reviewer_seen WHERE case_id = ?", (case_id,)).fetchone()
                    if row is not None:
                        latest = Fingerprint.from_json(row[0]).merged(copies[case_id])
                        conn.execute("UPDATE reviewer_seen SET latest = ?, latest_at = ? WHERE case_id = ?",
                                     (latest.to_json(), now, case_id))
        return became

    def observe_documents(self, documents: Iterable[tuple[str, Mapping[str, Any], Mapping[str, Any] | None]]) -> set[str]:
        """Whole documents arrived without the reviewer looking (a sync): ``(case id, raw detail,
        raw list record or None)`` each. Like ``observe``, nothing is marked as seen; only the cases
        the reviewer has seen are fingerprinted (a sync of 100,000 cases fingerprints a handful)."""
        by_id = {case_id: (raw, record) for case_id, raw, record in documents}
        if not by_id:
            return set()
        tracked: set[str] = set()
        with self.cache.reading("reading your read state") as conn:
            for chunk in _chunks(list(by_id)):
                marks = ",".join("?" * len(chunk))
                tracked.update(cid for (cid,) in conn.execute(
                    f"SELECT case_id FROM reviewer_seen WHERE case_id IN ({marks})", chunk))
        copies = {}
        for case_id in tracked:
            raw, record = by_id[case_id]
            copies[case_id] = fingerprint_detail(raw).merged(fingerprint_record(_status_code(record)))
        return self.observe(copies)

    def mark_unread(self, case_ids: Iterable[str]) -> None:
        """Show these cases as updated again (a never-opened case stays new)."""
        with self.cache.transaction("marking cases unread") as conn:
            for chunk in _chunks(list(case_ids)):
                conn.execute(
                    f"UPDATE reviewer_seen SET unread = 1 WHERE case_id IN ({','.join('?' * len(chunk))})", chunk
                )

    def mark_read(self, case_ids: Iterable[str]) -> None:
        """Take the newest known copy as seen (a never-opened case becomes read, with nothing to
        compare with until it is opened)."""
        now = self.cache.now()
        with self.cache.transaction("marking cases read") as conn:
            for case_id in case_ids:
                conn.execute(
                    "INSERT INTO reviewer_seen (case_id, viewed_at, seen, latest, latest_at, unread) "
                    "VALUES (?, ?, '{}', '{}', ?, 0) ON CONFLICT (case_id) DO UPDATE SET "
                    "seen = latest, unread = 0",
                    (case_id, now, now),
                )

    def watched_ids(self, limit: int = 200) -> list[str]:
        """Cases the reviewer opened (newest view first) or flagged: what a background refresh re-reads."""
        with self.cache.reading("reading your read state") as conn:
            flagged = [cid for (cid,) in conn.execute(
                "SELECT case_id FROM reviewer_notes WHERE flag IS NOT NULL ORDER BY updated_at DESC LIMIT ?", (limit,))]
            seen = [cid for (cid,) in conn.execute(
                "SELECT case_id FROM reviewer_seen WHERE seen != '{}' ORDER BY viewed_at DESC LIMIT ?", (limit,))]
        ordered = list(dict.fromkeys(flagged + seen))
        return ordered[:limit]

    def updated_ids(self) -> tuple[str, ...]:
        """Every case whose table state is UPDATED (changed since the reviewer looked, or marked
        unread): the "Updated since I looked" view over the cached list. Only the reviewer's
        seen cases can be; a copy equal to the one seen is skipped in SQL."""
        found = []
        with self.cache.reading("reading your read state") as conn:
            for case_id, seen_json, latest_json, unread in conn.execute(
                "SELECT case_id, seen, latest, unread FROM reviewer_seen WHERE unread != 0 OR seen != latest"
            ):
                seen, latest = Fingerprint.from_json(seen_json), Fingerprint.from_json(latest_json)
                if row_state(seen, latest, unread=bool(unread)) is RowState.UPDATED:
                    found.append(case_id)
        return tuple(found)

    # -- the table --------------------------------------------------------------------------

    def states(self, case_ids: Iterable[str]) -> dict[str, CaseTriage]:
        """The table state of each case (cases with no row at all are NEW, no flag, no note)."""
        ids = list(dict.fromkeys(case_ids))
        out = {case_id: CaseTriage(case_id) for case_id in ids}
        with self.cache.reading("reading your read state") as conn:
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                for case_id, seen_json, latest_json, unread in conn.execute(
                    f"SELECT case_id, seen, latest, unread FROM reviewer_seen WHERE case_id IN ({marks})", chunk
                ):
                    seen, latest = Fingerprint.from_json(seen_json), Fingerprint.from_json(latest_json)
                    state = row_state(seen, latest, unread=bool(unread))
                    summary = diff(seen, latest).summary() if state is RowState.UPDATED else ""
                    if state is RowState.UPDATED and not summary:
                        summary = "Marked as unread"
                    out[case_id] = CaseTriage(case_id, state, summary)
                for case_id, flag, note in conn.execute(
                    f"SELECT case_id, flag, note FROM reviewer_notes WHERE case_id IN ({marks})", chunk
                ):
                    current = out[case_id]
                    out[case_id] = CaseTriage(case_id, current.state, current.changes, _flag(flag), note or "")
        return out

    # -- flags and notes --------------------------------------------------------------------

    def set_flag(self, case_id: str, flag: Flag | None) -> None:
        self._write_note(case_id, flag=flag)

    def set_note(self, case_id: str, note: str) -> None:
        """The reviewer's private note ("" removes it); indexed for Find in cached cases."""
        note = note.strip()
        if len(note) > NOTE_MAX_CHARS:
            raise ValueError(f"A private note can hold at most {NOTE_MAX_CHARS:,} characters.")
        self._write_note(case_id, note=note)

    def annotation(self, case_id: str) -> tuple[Flag | None, str]:
        with self.cache.reading("reading your notes") as conn:
            row = conn.execute("SELECT flag, note FROM reviewer_notes WHERE case_id = ?", (case_id,)).fetchone()
        return (_flag(row[0]), row[1] or "") if row is not None else (None, "")

    def flagged_ids(self) -> list[str]:
        with self.cache.reading("reading your flags") as conn:
            return [cid for (cid,) in conn.execute(
                "SELECT case_id FROM reviewer_notes WHERE flag IS NOT NULL ORDER BY updated_at DESC")]

    _UNSET = object()

    def _write_note(self, case_id: str, *, flag: object = _UNSET, note: object = _UNSET) -> None:
        now = self.cache.now()
        with self.cache.transaction("saving your note") as conn:
            row = conn.execute("SELECT flag, note FROM reviewer_notes WHERE case_id = ?", (case_id,)).fetchone()
            old_flag, old_note = (row[0], row[1] or "") if row is not None else (None, "")
            new_flag = old_flag if flag is self._UNSET else (flag.value if isinstance(flag, Flag) else None)
            new_note = old_note if note is self._UNSET else str(note)
            if new_flag is None and not new_note:
                conn.execute("DELETE FROM reviewer_notes WHERE case_id = ?", (case_id,))
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO reviewer_notes (case_id, flag, note, updated_at) VALUES (?, ?, ?, ?)",
                    (case_id, new_flag, new_note, now),
                )
            if new_note != old_note:
                fts_rows.reindex_case(conn, case_id)


def _status_code(record: Mapping[str, Any] | None) -> str | None:
    """The list status code of a raw list record (read as the table reads it), None without one."""
    if not isinstance(record, Mapping):
        return None
    try:
        return CaseRecord.model_validate(dict(record)).status_code or None
    except ValueError:
        return None  # a record the models cannot read at all: its status is simply not known


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


__all__ = ["CaseTriage", "Flag", "NOTE_MAX_CHARS", "ReviewerState", "unavailable_reason"]
