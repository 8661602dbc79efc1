"""The access log: who opened, previewed, saved, exported or searched what, in a hash chain.

Every entry holds the time (UTC), the OS user, the profile, the action and the case id — nothing
else, so the log itself carries no PHI beyond which case was touched. It lives in the encrypted
cache (table ``access_log``, schema version 4), so without a keyring there is no access log.

Each entry carries the SHA-256 of the previous entry (``prev_hash``) and its own ``hash`` over a
canonical serialisation of all its fields *including* ``prev_hash``. Changing any byte of an entry,
deleting one from the middle or reordering them breaks the chain at that entry, which
``verify()`` names. Retention removes the oldest entries only, and writes the last removed
entry's (seq, hash) to ``access_log_anchor``; the first kept entry must chain onto it, so removing
old entries by hand (without also forging the anchor) is detected too. What the chain cannot stop:
someone holding the cache key rewriting the whole log from a given point (README, "Safeguards").

Writes go through one background thread: ``record()`` only queues, so the GUI thread may call it
(no SQL on the GUI thread), and entries keep the order they were recorded in. ``flush()`` waits
for the queue; ``close()`` flushes and stops the thread (the repository calls it before closing
the cache).

``record(action, case_id)`` at module level logs through the log ``install()`` made current (the
GUI installs its repository's log), so code far from the repository — exports, printing — can log
with one call.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import queue
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import Enum
from typing import Any

from caseviewer.core.errors import CacheError
from caseviewer.core.export.writing import ExportKind, ExportRecord, export_recorders

log = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
#: HIPAA keeps documentation six years (45 CFR 164.316(b)(2)); entries younger are never purged.
DEFAULT_MIN_RETENTION_DAYS = 6 * 366
FLUSH_TIMEOUT_S = 5.0
NO_LOG_REASON = (
    "No access log: it is kept in the encrypted offline cache, and there is no offline cache "
    "without a system keyring."
)


class AccessAction(str, Enum):
    """What was done. The values are stored; add new ones, never rename."""

    CASE_OPENED = "case_opened"
    ATTACHMENT_PREVIEWED = "attachment_previewed"
    ATTACHMENT_SAVED = "attachment_saved"
    ATTACHMENT_OPENED_EXTERNALLY = "attachment_opened_externally"
    EXPORT_PDF = "export_pdf"
    EXPORT_CSV = "export_csv"
    PRINT = "print"
    SEARCH = "search"
    SYNC_STARTED = "sync_started"
    LOCK = "lock"
    UNLOCK = "unlock"
    UNLOCK_FAILED = "unlock_failed"


@dataclass(frozen=True)
class AccessEntry:
    seq: int
    at: str  # ISO 8601 UTC with microseconds: stored as text so the hash input is exact
    os_user: str
    profile: str
    action: str
    case_id: str | None
    prev_hash: str
    hash: str

    @property
    def time(self) -> datetime:
        return datetime.fromisoformat(self.at)


@dataclass(frozen=True)
class VerifyResult:
    """``ok`` with ``checked`` entries; else ``broken_seq`` is the first entry that fails and why."""

    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def entry_hash(seq: int, at: str, os_user: str, profile: str, action: str, case_id: str | None, prev_hash: str) -> str:
    """SHA-256 (hex) of the canonical serialisation: a JSON array, fixed field order, no spaces."""
    canonical = json.dumps(
        [seq, at, os_user, profile, action, case_id, prev_hash], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no passwd entry (containers) and no USER variable
        return "unknown"


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="microseconds")


_COLUMNS = "seq, at, os_user, profile, action, case_id, prev_hash, hash"


class AccessLog:
    """The access log of one profile's cache (a ``CaseCache``)."""

    def __init__(self, cache: Any, *, profile: str, user: str | None = None, clock=time.time) -> None:
        self.cache = cache
        self.profile = profile
        self.user = user or os_user()
        self._clock = clock
        self._queue: queue.Queue[tuple[AccessAction, str | None, float] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._thread_lock = threading.Lock()
        self._closed = False
        self.last_error: CacheError | None = None

    # -- writing -----------------------------------------------------------------------------

    def record(self, action: AccessAction, case_id: str | None = None) -> None:
        """Queue one entry (returns at once; the time is taken now, not when it is written)."""
        if self._closed:
            log.warning("access log closed: %s not recorded", AccessAction(action).value)
            return
        self._queue.put((AccessAction(action), case_id or None, self._clock()))
        with self._thread_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._write_loop, name="access-log", daemon=True)
                self._thread.start()

    def _write_loop(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                self.append_now(*item)
            except CacheError as exc:
                # The log must not take the app down; the failure is kept for the UI to report.
                self.last_error = exc
                log.error("access log entry not written: %s", exc.message)
            finally:
                self._queue.task_done()

    def append_now(self, action: AccessAction, case_id: str | None = None, at: float | None = None) -> AccessEntry:
        """Write one entry on the calling thread (what the writer thread does)."""
        moment = _iso(self._clock() if at is None else at)
        with self.cache.transaction("writing the access log") as conn:
            row = conn.execute("SELECT seq, hash FROM access_log ORDER BY seq DESC LIMIT 1").fetchone()
            if row is None:
                row = conn.execute("SELECT seq, hash FROM access_log_anchor WHERE id = 1").fetchone()
            seq, prev = (int(row[0]) + 1, str(row[1])) if row is not None else (1, GENESIS_HASH)
            value = AccessAction(action).value
            digest = entry_hash(seq, moment, self.user, self.profile, value, case_id, prev)
            conn.execute(
                f"INSERT INTO access_log ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                (seq, moment, self.user, self.profile, value, case_id, prev, digest),
            )
        return AccessEntry(seq, moment, self.user, self.profile, value, case_id, prev, digest)

    def flush(self, timeout: float = FLUSH_TIMEOUT_S) -> bool:
        """Wait until every queued entry is written; False if that took longer than ``timeout``."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    def close(self) -> None:
        """Write what is queued and stop the writer thread. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        with self._thread_lock:
            thread = self._thread
        if thread is not None:
            self._queue.put(None)
            thread.join(FLUSH_TIMEOUT_S)

    # -- reading -----------------------------------------------------------------------------

    def entries(
        self,
        *,
        case_id: str | None = None,
        action: AccessAction | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[AccessEntry]:
        """Entries oldest first, filtered by case, action and time (``until`` exclusive)."""
        where, params = [], []
        if case_id:
            where.append("case_id = ?")
            params.append(case_id)
        if action is not None:
            where.append("action = ?")
            params.append(AccessAction(action).value)
        if since is not None:
            where.append("at >= ?")
            params.append(_aware(since).isoformat(timespec="microseconds"))
        if until is not None:
            where.append("at < ?")
            params.append(_aware(until).isoformat(timespec="microseconds"))
        sql = f"SELECT {_COLUMNS} FROM access_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self.cache.transaction("reading the access log") as conn:
            return [AccessEntry(*row) for row in conn.execute(sql, params).fetchall()]

    def short_ids(self, case_ids: Iterable[str]) -> dict[str, str]:
        """The short ID ("CV-…", what the case header shows) of each case whose detail is in the
        offline cache; a case not cached (or unreadable) is left out, and shown by its full id.

        The log stores only the full id (the chain covers it); the short one is looked up when
        shown, so a case's short ID is the one its record has now.
        """
        found: dict[str, str] = {}
        for case_id in dict.fromkeys(c for c in case_ids if c):
            try:
                entry = self.cache.get_detail(case_id)
            except CacheError as exc:
                log.warning("Could not read a cached case for the access log: %s", exc)
                return found
            short_id = getattr(entry.detail, "short_id", None) if entry is not None else None
            if isinstance(short_id, str) and short_id.strip():
                found[case_id] = short_id.strip()
        return found

    def verify(self) -> VerifyResult:
        """Check the whole chain from the anchor (or the start) to the last entry."""
        with self.cache.transaction("checking the access log") as conn:
            anchor = conn.execute("SELECT seq, hash FROM access_log_anchor WHERE id = 1").fetchone()
            rows = conn.execute(f"SELECT {_COLUMNS} FROM access_log ORDER BY seq").fetchall()
        expected_seq, expected_prev = (int(anchor[0]) + 1, str(anchor[1])) if anchor else (1, GENESIS_HASH)
        for count, row in enumerate(rows):
            seq, at, user, profile, action, case_id, prev, digest = row
            if seq != expected_seq:
                return VerifyResult(False, count, expected_seq if seq > expected_seq else seq,
                                    f"entry {expected_seq} is missing" if seq > expected_seq else "out of order")
            if prev != expected_prev:
                return VerifyResult(False, count, seq, "its previous-entry hash does not match the entry before it")
            if entry_hash(seq, at, user, profile, action, case_id, prev) != digest:
                return VerifyResult(False, count, seq, "its content does not match its hash (it was changed)")
            expected_seq, expected_prev = seq + 1, digest
        return VerifyResult(True, len(rows))

    # -- retention ---------------------------------------------------------------------------

    def purge(self, purge_days: int, *, min_days: int = DEFAULT_MIN_RETENTION_DAYS) -> int:
        """Remove entries older than the cache's purge setting, never younger than ``min_days``.

        ``purge_days`` 0 means the cache is never purged, so neither is the log. Returns how many
        entries were removed; the last one removed becomes the anchor the chain continues from.
        """
        if purge_days <= 0:
            return 0
        keep_days = max(int(purge_days), int(min_days))
        cutoff = (datetime.fromtimestamp(self._clock(), timezone.utc) - timedelta(days=keep_days))
        cutoff_text = cutoff.isoformat(timespec="microseconds")
        with self.cache.transaction("purging the access log") as conn:
            last = conn.execute(
                "SELECT seq, hash FROM access_log WHERE at < ? ORDER BY seq DESC LIMIT 1", (cutoff_text,)
            ).fetchone()
            if last is None:
                return 0
            # Only a prefix is removed (entries are appended in time order), so the chain stays whole.
            removed = conn.execute("DELETE FROM access_log WHERE seq <= ?", (last[0],)).rowcount
            conn.execute(
                "INSERT INTO access_log_anchor (id, seq, hash) VALUES (1, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                (last[0], last[1]),
            )
        return int(removed)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


# -- the process's current log (for callers far from the repository) ------------------------

_current: AccessLog | None = None


def install(access_log: AccessLog | None) -> None:
    """Make ``access_log`` the one ``record()`` writes to (None: recording does nothing)."""
    global _current
    _current = access_log


def current() -> AccessLog | None:
    return _current


def record(action: AccessAction, case_id: str | None = None) -> bool:
    """Log ``action`` on ``case_id`` in the current log; False when there is none (no keyring).

    Cheap and safe on any thread, the GUI thread included: the entry is written in the background.
    """
    target = _current
    if target is None:
        return False
    target.record(action, case_id)
    return True


#: Which access-log action each kind of export is.
_EXPORT_ACTIONS = {
    ExportKind.DOSSIER_PDF: AccessAction.EXPORT_PDF,
    ExportKind.LIST_CSV: AccessAction.EXPORT_CSV,
    ExportKind.PRINT: AccessAction.PRINT,
}


def log_export(export: ExportRecord) -> None:
    """An export in the current log: one entry per exported case (a list export: one entry)."""
    action = _EXPORT_ACTIONS[export.kind]
    case_ids = export.case_ids if export.kind is not ExportKind.LIST_CSV else ()
    for case_id in case_ids or (None,):
        record(action, case_id)


export_recorders.append(log_export)  # every export, window or CLI, reaches the access log


__all__ = [
    "AccessAction",
    "AccessEntry",
    "AccessLog",
    "DEFAULT_MIN_RETENTION_DAYS",
    "GENESIS_HASH",
    "NO_LOG_REASON",
    "VerifyResult",
    "current",
    "entry_hash",
    "install",
    "record",
]
