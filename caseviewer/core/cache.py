"""The encrypted offline cache: one SQLCipher database per profile.

Everything fetched from the services is written here so a reviewer can keep reading when the
network or a service is gone. The data is PHI, so:

* The whole file is encrypted by SQLCipher with a random 256-bit key the caller gets from the
  keyring and passes in as bytes; it is applied as a raw key (no passphrase KDF to slow opening).
  SQLCipher encrypts the WAL too, and ``temp_store=MEMORY`` keeps sorts and temporary tables off
  disk. Nothing here writes any other file.
* ``secure_delete`` zeroes freed pages, so a purged or cleared case does not linger in free space.
* A key that does not open the file is reported (``CacheError``) and the file is left exactly as
  it is: it may be the only copy of what the reviewer synced. Removing it is an explicit user
  action ("Clear cache", ``delete_cache_files``).

Threads: one connection per thread (``threading.local``), created on first use and closed when the
thread ends or the cache is closed. WAL lets readers run beside a writer; writers in this process
take one lock so they never meet SQLite's busy handler, and other processes (a CLI sync beside the
GUI) wait on ``busy_timeout``. Every write method runs in a transaction; ``transaction()`` groups
several of them (a sync batch) into one commit.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import math
import os
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time as dtime, timezone
from pathlib import Path
from typing import Any, NamedTuple

import sqlcipher3

from caseviewer.core import cache_schema as schema, numbers, timestamps
from caseviewer.core.api import CasePage, CaseQuery, SearchField, SortField
from caseviewer.core import text_search
from caseviewer.core.errors import CacheError, Cancelled
from caseviewer.core.models import LIST_STATUS_CODES, CaseDetail, CaseRecord
from caseviewer.core.paths import cache_dir

log = logging.getLogger(__name__)

KEY_BYTES = 32
DEFAULT_ATTACHMENT_BUDGET = 500 * 1024 * 1024
BUSY_TIMEOUT_S = 30.0
#: A query matching more cases than this ranks the newest this many by bm25 (ranking all of
#: 100,000 matches of "a" would cost about half a second; the newest 2,000 take ~10 ms).
RANK_WINDOW = 2000
#: Cases per transaction when the index catches up with a sync (short, so a search or a write
#: of the window's waits little for the write lock).
INDEX_BATCH = 100
#: SQLite virtual-machine steps between two looks at a search's cancel event.
_PROGRESS_STEPS = 2000

#: Sync states. ``list_only``: the detail service does not know the case (404), which is an
#: answer, not a failure, so a rerun skips it like a done case.
SYNC_DONE = "done"
SYNC_LIST_ONLY = "list_only"
SYNC_FAILED = "failed"

_STATUS_IDS = {code: status_id for status_id, code in LIST_STATUS_CODES.items()}
_SEARCH_COLUMNS = {
    SearchField.BUSINESS_NAME: "business_fold",
    SearchField.CASE_ID: "lower(case_id)",
    SearchField.FIRST_NAME: "first_fold",
    SearchField.LAST_NAME: "last_fold",
}
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ATTACHMENT_HOLDERS = ("comments", "notes")


class ListSlice(NamedTuple):
    """One slice of the cached case list: the records, how many match, when the oldest was fetched."""

    records: list[CaseRecord]
    total: int
    fetched_at: datetime | None


#: Around each matched word in a ``TextHit.snippet`` (Unicode private-use code points).
HIT_START, HIT_END = text_search.SNIPPET_OPEN, text_search.SNIPPET_CLOSE


class TextHit(NamedTuple):
    """A full-text match: the case and a plain-text snippet, its matched words between
    ``HIT_START`` and ``HIT_END`` (private-use characters, so a bracket in the text is just text)."""

    case_id: str
    snippet: str


class CachedDetail(NamedTuple):
    detail: CaseDetail
    cached_at: datetime


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def safe_profile_name(profile_name: str) -> str:
    """A file-name-safe form of a profile name; a short hash keeps distinct names distinct."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", profile_name).strip("_")[:64]
    if cleaned == profile_name and cleaned:
        return cleaned
    digest = hashlib.sha256(profile_name.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned or 'profile'}-{digest}"


def cache_path(profile_name: str) -> Path:
    return cache_dir() / f"{safe_profile_name(profile_name)}.db"


def _side_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
            path.with_name(path.name + "-journal")]


def delete_cache_files(profile_name: str | None = None, *, path: Path | None = None) -> bool:
    """Remove a profile's cache database and its WAL/SHM files ("Clear cache").

    This is the recovery for a cache the stored key cannot open; it is only ever called on the
    user's explicit request. Returns whether anything was removed.
    """
    target = path if path is not None else cache_path(profile_name or "")
    removed = False
    for file in _side_files(target):
        try:
            file.unlink()
            removed = True
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise CacheError(f"The offline cache file {file.name} could not be removed: {exc.strerror}.") from None
    return removed


# --------------------------------------------------------------------------------------------
# Small conversions
# --------------------------------------------------------------------------------------------


def _utc(seconds: float | None) -> datetime | None:
    return datetime.fromtimestamp(seconds, timezone.utc) if seconds is not None else None


def _iso_ms(text: Any) -> int | None:
    """Milliseconds since the epoch of an ISO timestamp as the list service sends it."""
    return timestamps.epoch_ms(text)


def _bound_ms(value: date | datetime, *, end: bool) -> int:
    """A CaseQuery date bound in ms, as the list service reads it: a bare end date covers its day."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
    else:
        moment = datetime.combine(value, dtime.max if end else dtime.min, tzinfo=timezone.utc)
    ms = moment.timestamp() * 1000
    return math.floor(ms) if end else math.ceil(ms)


def _record_json(record: CaseRecord | dict[str, Any] | None) -> dict[str, Any] | None:
    if record is None or isinstance(record, dict):
        return record
    return record.model_dump(mode="json", by_alias=True, exclude_unset=True)


def raw_list_records(page: CasePage) -> list[dict[str, Any]]:
    """The page's records as the service sent them (aligned with ``page.records``), so what is
    stored is the original and not a re-serialisation; rebuilt from the models when the raw
    list does not line up (the parser dropped entries that were not objects)."""
    raw_records = ((page.raw or {}).get("data") or {}).get("records") if isinstance(page.raw, dict) else None
    if not isinstance(raw_records, list) or len(raw_records) != len(page.records):
        return [_record_json(r) for r in page.records]  # type: ignore[misc]
    return raw_records


def _status_id(record: CaseRecord) -> int | None:
    if record.status is not None and record.status.id is not None:
        # An id wider than SQLite's 64-bit INTEGER is not filterable; the raw JSON keeps it.
        return numbers.sql_int(record.status.id)
    return _STATUS_IDS.get(record.status_code)


def _query_key(page: CasePage) -> str:
    """The query without its paging: which list view produced a record."""
    return "&".join(f"{k}={v}" for k, v in page.query.params() if k not in ("page", "items_per_page", "pagination"))


def _split_bodies(raw: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    """The detail without inline base64 bodies, and the decoded bodies by attachment id.

    Bodies live in the attachments table, under the size budget, instead of inside every detail
    row; ``_join_bodies`` puts back the ones still cached. Only shallow copies are made (a case
    can carry a 1 MiB comment), and the caller's dict is not changed. A body that is not valid
    base64, or has no id, stays inline so nothing is lost.
    """
    bodies: list[tuple[str, bytes]] = []

    def strip(attachments: Any) -> Any:
        if not isinstance(attachments, list):
            return attachments
        out = []
        for att in attachments:
            if isinstance(att, dict) and isinstance(att.get("content"), str) and isinstance(att.get("id"), str):
                try:
                    body = base64.b64decode(att["content"], validate=False)
                except (binascii.Error, ValueError):
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
    for holder in _ATTACHMENT_HOLDERS:
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
    for holder in _ATTACHMENT_HOLDERS:
        for comment in raw.get(holder) or ():
            if isinstance(comment, dict):
                for att in comment.get("attachments") or ():
                    if isinstance(att, dict):
                        yield att


# --------------------------------------------------------------------------------------------
# The cache
# --------------------------------------------------------------------------------------------


class _Connection:
    """Owns one thread's connection; closing it when the thread's locals go away."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.depth = 0  # nesting of transaction() on this thread

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            try:
                conn.close()
            except sqlcipher3.Error:  # pragma: no cover - closing never matters more than exiting
                pass

    def __del__(self) -> None:
        self.close()


class CaseCache:
    """The offline store of one profile. See the module docstring for the rules it keeps."""

    def __init__(
        self,
        profile_name: str | None = None,
        key: bytes = b"",
        *,
        path: str | os.PathLike[str] | None = None,
        attachment_budget: int = DEFAULT_ATTACHMENT_BUDGET,
        max_size_bytes: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``max_size_bytes`` caps the database (a quota: writes past it fail like a full disk);
        ``clock`` gives the "now" stored as cached/fetched/used times (injectable for tests)."""
        if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
            raise CacheError("The offline cache key must be 32 bytes; the stored key is damaged.")
        if path is None and profile_name is None:
            raise CacheError("The offline cache needs a profile name or a path.")
        self.path = Path(path) if path is not None else cache_path(profile_name or "")
        self.attachment_budget = attachment_budget
        self.max_size_bytes = max_size_bytes
        self._clock = clock
        # A private mutable copy (zeroed by close()), not a hex string kept on the object: every
        # thread's connection needs the key when it opens, so it is held no longer than the cache.
        self._key = bytearray(key)
        self._local = threading.local()
        self._all: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._all_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False
        self._open_first()

    # -- connections -----------------------------------------------------------------------

    def _open_first(self) -> None:
        """Open, check the key, migrate. Nothing is written before the key is known to be right."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            # Create it owner-only; SQLite gives the WAL and SHM files the same mode.
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        holder = self._holder()
        with self._write_lock, self._errors("upgrading its format"):
            version = schema.current_version(holder.conn)
            if version > schema.SCHEMA_VERSION:
                self.close()
                raise CacheError(
                    f"The offline cache was written by a newer caseviewer (format {version}; this one "
                    f"reads up to {schema.SCHEMA_VERSION}). Update caseviewer, or use \"Clear cache\" "
                    "to start a new cache."
                )
            if version < schema.SCHEMA_VERSION:
                schema.migrate(holder.conn)

    def _connect(self) -> Any:
        try:
            conn = sqlcipher3.connect(
                str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        except sqlcipher3.Error as exc:
            raise CacheError(f"The offline cache file cannot be opened: {exc}.") from None
        try:
            conn.execute(f"PRAGMA key = \"x'{self._key.hex()}'\"")
            # The first read is where SQLCipher finds out whether the key decrypts the file.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError:
            conn.close()
            raise CacheError(
                "The offline cache cannot be opened with the stored key (the key in the keyring "
                "does not match this cache file, or the file is damaged). The file was left as it "
                f"is at {self.path}. To start over, use \"Clear cache\" (caseviewer removes the "
                "file and builds a new cache); nothing is deleted until you do."
            ) from None
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA secure_delete = ON")
            conn.execute("PRAGMA temp_store = MEMORY")
            if self.max_size_bytes is not None:
                (page_size,) = conn.execute("PRAGMA page_size").fetchone()
                conn.execute(f"PRAGMA max_page_count = {max(1, self.max_size_bytes // int(page_size))}")
        except sqlcipher3.Error as exc:
            conn.close()
            raise CacheError(f"The offline cache could not be set up: {exc}.") from None
        return conn

    def _holder(self) -> _Connection:
        if self._closed:
            raise CacheError("The offline cache is closed.")
        holder = getattr(self._local, "holder", None)
        if holder is None or holder.conn is None:
            holder = _Connection(self._connect())
            self._local.holder = holder
            with self._all_lock:
                self._all.add(holder)
        return holder

    def _conn(self) -> Any:
        return self._holder().conn

    def close(self) -> None:
        """Close every thread's connection. Safe to call twice."""
        self._closed = True
        with self._all_lock:
            holders = list(self._all)
            self._all = weakref.WeakSet()
        for holder in holders:
            holder.close()
        self._key[:] = bytes(len(self._key))  # the key is not needed any more

    def __enter__(self) -> "CaseCache":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- errors and transactions -----------------------------------------------------------

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlcipher3.Error as exc:
            raise self._as_cache_error(exc, doing) from None

    @staticmethod
    def _as_cache_error(exc: Exception, doing: str) -> CacheError:
        text = str(exc).lower()
        if "full" in text:
            return CacheError(
                f"The offline cache could not finish {doing}: the disk (or the cache's size limit) "
                "is full. Nothing already cached was lost; free some disk space or clear old cases."
            )
        if "locked" in text or "busy" in text:
            return CacheError(
                f"The offline cache is busy (another caseviewer is writing to it) while {doing}. Try again."
            )
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return CacheError(
                f"The offline cache file is damaged ({doing}). Use \"Clear cache\" to start a new one."
            )
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            return CacheError(f"The offline cache file cannot be written ({doing}): check its folder's permissions.")
        # SQLite's own messages name tables and columns, never values, so they are safe to show.
        return CacheError(f"The offline cache failed while {doing}: {exc}.")

    @contextmanager
    def transaction(self, doing: str = "saving") -> Iterator[Any]:
        """One write transaction; nested calls on the same thread join the outer one.

        Every write method of the cache runs inside one, so ``with cache.transaction(): ...``
        around several of them commits all or none (how a sync batch stays consistent).
        """
        holder = self._holder()
        if holder.depth:
            holder.depth += 1
            try:
                yield holder.conn
            finally:
                holder.depth -= 1
            return
        conn = holder.conn
        with self._write_lock, self._errors(doing):
            conn.execute("BEGIN IMMEDIATE")
            holder.depth = 1
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                # SQLite may already have rolled back by itself (disk full): only roll back if not.
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                holder.depth = 0

    @contextmanager
    def reading(self, doing: str = "reading the cache") -> Iterator[Any]:
        """This thread's connection for reads, with SQLite errors turned into ``CacheError``."""
        with self._errors(doing):
            yield self._conn()

    # -- list records ----------------------------------------------------------------------

    def put_list_page(self, customer_id: str, page: CasePage, *, defer_index: bool = False) -> int:
        """Store the records of one list page (the newest copy of each case wins).

        ``defer_index`` queues the new cases' index rows for ``index_backlog`` (a sync)."""
        raw_records = raw_list_records(page)
        now = self._clock()
        key = _query_key(page)
        start = (page.query.page - 1) * page.query.items_per_page if page.query.paginate else 0
        rows = []
        for offset, (record, raw) in enumerate(zip(page.records, raw_records)):
            if not record.id:
                continue  # a record without an id cannot be opened or deduplicated
            applicant = record.applicant
            rows.append((
                customer_id, record.id, key, start + offset, now, _iso_ms(record.created_at),
                (record.business_name or "").lower(),
                ((applicant.first_name if applicant else None) or "").lower(),
                ((applicant.last_name if applicant else None) or "").lower(),
                _status_id(record), _JSON.encode(raw),
            ))
        with self.transaction("saving the case list") as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO list_records (customer_id, case_id, query_key, position, fetched_at, "
                "created_ms, business_fold, first_fold, last_fold, status_id, raw) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            # Cases known only from the list are still findable by business and applicant name;
            # a case with a cached detail keeps its fuller index row.
            with_detail = {
                case_id for (case_id,) in conn.execute(
                    f"SELECT case_id FROM fts_keys WHERE has_detail = 1 AND case_id IN ({','.join('?' * len(rows))})",
                    [row[1] for row in rows],
                )
            } if rows else set()
            if defer_index:
                schema.queue_index(conn, (row[1] for row in rows if row[1] not in with_detail))
            else:
                for row, raw in zip(rows, raw_records):
                    if row[1] not in with_detail:
                        schema.index_case(conn, row[1], None, raw if isinstance(raw, dict) else None)
        return len(rows)

    def list_for_query(self, customer_id: str, query: CaseQuery) -> ListSlice:
        """The slice of the cached list that ``query`` (sort, filters, page) asks the service for."""
        size = max(1, query.items_per_page)
        return self.list_records(
            customer_id,
            sort=query.sort_field,
            descending=query.descending,
            statuses=query.statuses,
            search=query.search,
            search_fields=query.search_fields,
            created_from=query.created_from,
            created_to=query.created_to,
            offset=(query.page - 1) * size if query.paginate else 0,
            limit=size if query.paginate else None,
        )

    def list_records(
        self,
        customer_id: str,
        *,
        sort: SortField = SortField.CREATED_AT,
        descending: bool = True,
        statuses: Iterable[int] = (),
        search: str = "",
        search_fields: Iterable[SearchField] = (SearchField.BUSINESS_NAME,),
        created_from: date | datetime | None = None,
        created_to: date | datetime | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> ListSlice:
        """Search, filter, sort and page the cached list with the list service's semantics.

        Statuses are OR-ed ids; search is a case-insensitive substring OR-ed over the fields;
        a bare ``created_to`` date covers its whole day (UTC); ties keep newest-first order.
        """
        where = ["customer_id = ?"]
        args: list[Any] = [customer_id]
        statuses = tuple(statuses)
        if statuses:
            where.append(f"status_id IN ({','.join('?' * len(statuses))})")
            args += statuses
        if created_from is not None:
            where.append("created_ms >= ?")
            args.append(_bound_ms(created_from, end=False))
        if created_to is not None:
            where.append("created_ms <= ?")
            args.append(_bound_ms(created_to, end=True))
        needle = search.strip().lower()
        if needle:
            columns = [_SEARCH_COLUMNS[SearchField(f)] for f in search_fields]
            if columns:
                where.append("(" + " OR ".join(f"instr({c}, ?) > 0" for c in columns) + ")")
                args += [needle] * len(columns)
        direction = "DESC" if descending else "ASC"
        # Orders the indexes can serve (their implicit last column is case_id). A record without
        # created_at sorts as the oldest.
        if SortField(sort) is SortField.BUSINESS_NAME:
            order = f"business_fold {direction}, created_ms DESC, case_id"
        else:
            order = f"created_ms {direction}, case_id {direction}"
        condition = " AND ".join(where)
        with self._errors("reading the case list"):
            conn = self._conn()
            (total,) = conn.execute(f"SELECT count(*) FROM list_records WHERE {condition}", args).fetchone()
            if limit is None and not offset:
                rows = conn.execute(
                    f"SELECT raw, fetched_at FROM list_records WHERE {condition} ORDER BY {order}", args
                ).fetchall()
            else:
                # Page through ids first: the sort indexes cover them, so a deep OFFSET skips
                # index entries instead of loading thousands of JSON rows only to drop them.
                ids = [case_id for (case_id,) in conn.execute(
                    f"SELECT case_id FROM list_records WHERE {condition} ORDER BY {order} LIMIT ? OFFSET ?",
                    [*args, -1 if limit is None else limit, offset],
                )]
                found = {}
                for start in range(0, len(ids), 500):
                    chunk = ids[start:start + 500]
                    found.update((case_id, (raw, fetched)) for case_id, raw, fetched in conn.execute(
                        f"SELECT case_id, raw, fetched_at FROM list_records WHERE customer_id = ? "
                        f"AND case_id IN ({','.join('?' * len(chunk))})",
                        [customer_id, *chunk],
                    ))
                rows = [found[case_id] for case_id in ids if case_id in found]
        records = [CaseRecord.model_validate_json(raw) for raw, _ in rows]
        oldest = min((fetched for _, fetched in rows), default=None)
        return ListSlice(records, int(total), _utc(oldest))

    def has_list(self, customer_id: str) -> bool:
        with self._errors("reading the case list"):
            row = self._conn().execute("SELECT 1 FROM list_records WHERE customer_id = ? LIMIT 1", (customer_id,)).fetchone()
        return row is not None

    def get_record(self, case_id: str) -> tuple[CaseRecord, datetime] | None:
        """The newest cached list record of a case (from any customer), with when it was fetched."""
        with self._errors("reading a case"):
            conn = self._conn()
            row = conn.execute(
                "SELECT raw, fetched_at FROM list_records WHERE case_id = ? ORDER BY fetched_at DESC LIMIT 1",
                (case_id,),
            ).fetchone()
            if row is None:
                row = conn.execute(
                    "SELECT record, cached_at FROM details WHERE case_id = ? AND record IS NOT NULL", (case_id,)
                ).fetchone()
        if row is None:
            return None
        return CaseRecord.model_validate(json.loads(row[0])), _utc(row[1])

    # -- details ---------------------------------------------------------------------------

    def put_detail(
        self,
        detail_raw: dict[str, Any],
        record: CaseRecord | dict[str, Any] | None = None,
        *,
        keep_bodies: bool = True,
        defer_index: bool = False,
    ) -> str:
        """Store one ``caseDetail`` document; returns its case id.

        Inline base64 bodies move to the attachments table (under the budget) when
        ``keep_bodies``; otherwise they are dropped from the stored copy. ``defer_index`` queues
        its index row for ``index_backlog`` instead of writing it now (a sync).
        """
        case_id = detail_raw.get("id") if isinstance(detail_raw, dict) else None
        if not isinstance(case_id, str) or not case_id:
            raise CacheError("A case detail without an id cannot be cached.")
        stripped, bodies = _split_bodies(detail_raw)
        submitter = detail_raw.get("submitter")
        email = submitter.get("email") if isinstance(submitter, dict) else None
        record_json = _record_json(record)
        with self.transaction("saving a case") as conn:
            if record_json is None:
                record_json = schema.stored_record(conn, case_id)
            conn.execute(
                "INSERT OR REPLACE INTO details (case_id, email, cached_at, record, raw) VALUES (?,?,?,?,?)",
                (
                    case_id,
                    email.strip().lower() if isinstance(email, str) else None,
                    self._clock(),
                    _JSON.encode(record_json) if record_json is not None else None,
                    _JSON.encode(stripped),
                ),
            )
            if defer_index:
                schema.queue_index(conn, (case_id,))
            else:
                schema.index_case(conn, case_id, stripped, record_json)
            if keep_bodies:
                for attachment_id, body in bodies:
                    self.put_attachment(attachment_id, body, case_id=case_id)
        return case_id

    def get_detail(self, case_id: str | None = None, email: str | None = None) -> CachedDetail | None:
        """A cached detail by case id (preferred) or submitter email, with cached bodies put back."""
        if not case_id and not email:
            return None
        with self._errors("reading a case"):
            conn = self._conn()
            if case_id:
                row = conn.execute("SELECT case_id, raw, cached_at FROM details WHERE case_id = ?", (case_id,)).fetchone()
            else:
                row = conn.execute(
                    "SELECT case_id, raw, cached_at FROM details WHERE email = ? ORDER BY cached_at DESC LIMIT 1",
                    ((email or "").strip().lower(),),
                ).fetchone()
            if row is None:
                return None
            raw = json.loads(row[1])
            wanted = [a["id"] for a in _attachment_dicts(raw) if isinstance(a.get("id"), str) and "content" not in a]
            bodies = self._bodies(wanted)
        for att in _attachment_dicts(raw):
            body = bodies.get(att.get("id"))
            if body is not None:
                # A cached body replaces a signed URL that has most likely expired by now.
                att["content"] = base64.b64encode(body).decode("ascii")
                att.pop("url", None)
        return CachedDetail(CaseDetail.from_raw(raw), _utc(row[2]))

    def detail_count(self) -> int:
        with self._errors("reading the cache"):
            return int(self._conn().execute("SELECT count(*) FROM details").fetchone()[0])

    # -- full text -------------------------------------------------------------------------

    @staticmethod
    def _fts_query(text: str) -> str:
        """See ``core.text_search.fts_query``."""
        return text_search.fts_query(text)

    def search_text(self, query: str, limit: int = 50, *, cancel: threading.Event | None = None) -> list[TextHit]:
        """Cases whose cached content contains every word of ``query`` (prefixes match), best first.

        Fast on any query (tests/bench/bench_search.py): the index alone ranks (prefix indexes
        for 1-3 letters; bm25 over at most ``RANK_WINDOW`` matches, the newest, when a query
        matches more), and snippets are made only for the rows returned (``core/text_search``).
        ``cancel`` (the worker's event) interrupts the query between steps: ``Cancelled``.
        """
        match = self._fts_query(query)
        if not match:
            return []
        conn = self._conn()
        if cancel is not None:
            conn.set_progress_handler(lambda: 1 if cancel.is_set() else 0, _PROGRESS_STEPS)
        try:
            with self._errors("searching the cache"):
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
                    f"SELECT rowid, {', '.join(schema.FTS_COLUMNS)} FROM case_fts WHERE rowid IN ({marks})", top)}
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

    def index_backlog(self, limit: int = INDEX_BATCH) -> tuple[int, int]:
        """Write the index rows of up to ``limit`` cases a sync queued, in one short transaction
        (searches keep reading beside it); returns (written, still queued)."""
        with self.transaction("building the search index") as conn:
            written = schema.index_backlog(conn, limit)
        return written, self.backlog_count()

    def backlog_count(self) -> int:
        """Cases stored but not yet in the full-text index (a sync queued them)."""
        with self._errors("reading the cache"):
            return schema.backlog_count(self._conn())

    # -- attachment bodies -----------------------------------------------------------------

    def put_attachment(self, attachment_id: str, body: bytes, *, case_id: str | None = None) -> bool:
        """Keep an attachment body, evicting the least recently used ones over the budget.

        Returns False (and stores nothing) when the body alone is larger than the budget.
        """
        size = len(body)
        if size > self.attachment_budget:
            return False
        with self.transaction("saving an attachment") as conn:
            conn.execute(
                "INSERT OR REPLACE INTO attachments (attachment_id, case_id, size, last_used, body) VALUES (?,?,?,?,?)",
                (attachment_id, case_id, size, self._clock(), sqlcipher3.Binary(body)),
            )
            self._evict(conn, keep=attachment_id)
        return True

    def _evict(self, conn: Any, *, keep: str | None = None) -> int:
        (total,) = conn.execute("SELECT coalesce(sum(size), 0) FROM attachments").fetchone()
        evicted = 0
        if total <= self.attachment_budget:
            return 0
        for attachment_id, size in conn.execute(
            "SELECT attachment_id, size FROM attachments ORDER BY last_used, rowid"
        ).fetchall():
            if total <= self.attachment_budget:
                break
            if attachment_id == keep:
                continue
            conn.execute("DELETE FROM attachments WHERE attachment_id = ?", (attachment_id,))
            total -= size
            evicted += 1
        return evicted

    def _bodies(self, attachment_ids: list[str]) -> dict[str, bytes]:
        """Bodies by id for those cached; marks them used (it is what keeps them from eviction)."""
        if not attachment_ids:
            return {}
        marks = ",".join("?" * len(attachment_ids))
        rows = self._conn().execute(
            f"SELECT attachment_id, body FROM attachments WHERE attachment_id IN ({marks})", attachment_ids
        ).fetchall()
        if rows:
            self._touch([attachment_id for attachment_id, _ in rows])
        return {attachment_id: bytes(body) for attachment_id, body in rows}

    def _touch(self, attachment_ids: list[str]) -> None:
        """Mark bodies used, best effort and without waiting.

        A read must never stall behind a writer (a CLI sync committing beside the GUI) nor fail on
        a full disk just to move an LRU timestamp, so when the write lock is not free at once the
        update is skipped.
        """
        holder = self._holder()
        sql = f"UPDATE attachments SET last_used = ? WHERE attachment_id IN ({','.join('?' * len(attachment_ids))})"
        args = [self._clock(), *attachment_ids]
        if holder.depth:  # already inside this thread's transaction
            holder.conn.execute(sql, args)
            return
        if not self._write_lock.acquire(blocking=False):
            return
        conn = holder.conn
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(sql, args)
            conn.execute("COMMIT")
        except sqlcipher3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            log.debug("Attachment use times not updated: %s", exc)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self._write_lock.release()

    def get_attachment(self, attachment_id: str) -> bytes | None:
        with self._errors("reading an attachment"):
            return self._bodies([attachment_id]).get(attachment_id)

    def has_attachment(self, attachment_id: str) -> bool:
        with self._errors("reading an attachment"):
            row = self._conn().execute("SELECT 1 FROM attachments WHERE attachment_id = ?", (attachment_id,)).fetchone()
        return row is not None

    def attachment_bytes(self) -> int:
        with self._errors("reading the cache"):
            return int(self._conn().execute("SELECT coalesce(sum(size), 0) FROM attachments").fetchone()[0])

    # -- sync state ------------------------------------------------------------------------

    def mark_synced(self, customer_id: str, entries: Iterable[tuple[str, str, str]]) -> None:
        """Record (case_id, state, message) for a sync; see the SYNC_* states."""
        now = self._clock()
        rows = [(customer_id, case_id, state, message, now) for case_id, state, message in entries]
        with self.transaction("saving sync progress") as conn:
            conn.executemany("INSERT OR REPLACE INTO sync_state VALUES (?,?,?,?,?)", rows)

    def synced_case_ids(self, customer_id: str) -> set[str]:
        """Cases a previous sync finished (done or list-only): a resumed sync skips them."""
        with self._errors("reading sync progress"):
            rows = self._conn().execute(
                "SELECT case_id FROM sync_state WHERE customer_id = ? AND state IN (?, ?)",
                (customer_id, SYNC_DONE, SYNC_LIST_ONLY),
            ).fetchall()
        return {case_id for (case_id,) in rows}

    def sync_counts(self, customer_id: str) -> dict[str, int]:
        with self._errors("reading sync progress"):
            rows = self._conn().execute(
                "SELECT state, count(*) FROM sync_state WHERE customer_id = ? GROUP BY state", (customer_id,)
            ).fetchall()
        return dict(rows)

    def reset_sync(self, customer_id: str) -> None:
        with self.transaction("resetting sync progress") as conn:
            conn.execute("DELETE FROM sync_state WHERE customer_id = ?", (customer_id,))

    # -- housekeeping ----------------------------------------------------------------------

    def size_bytes(self) -> int:
        """Bytes on disk: the database and its WAL."""
        return sum(f.stat().st_size for f in _side_files(self.path)[:2] if f.exists())

    def purge_older_than(self, days: float) -> int:
        """Drop cases (list records, details, sync marks) and bodies not refreshed for ``days``.

        Returns the number of cases whose detail or list record was removed.
        """
        cutoff = self._clock() - days * 86400
        with self.transaction("removing old cases") as conn:
            touched = {cid for (cid,) in conn.execute(
                "DELETE FROM details WHERE cached_at < ? RETURNING case_id", (cutoff,)).fetchall()}
            touched |= {cid for (cid,) in conn.execute(
                "DELETE FROM list_records WHERE fetched_at < ? RETURNING case_id", (cutoff,)).fetchall()}
            conn.execute("DELETE FROM attachments WHERE last_used < ?", (cutoff,))
            # Bodies of purged cases go with them even if opened recently: no orphan PHI.
            conn.execute(
                "DELETE FROM attachments WHERE case_id IS NOT NULL AND case_id NOT IN (SELECT case_id FROM details)"
            )
            conn.execute(
                "DELETE FROM sync_state WHERE case_id NOT IN (SELECT case_id FROM details) "
                "AND case_id NOT IN (SELECT case_id FROM list_records)"
            )
            schema.reindex_cases(conn, touched)
            if touched:
                schema.optimize_index(conn)
        self._checkpoint()
        return len(touched)

    def clear(self) -> None:
        """Remove everything cached (the file stays, empty and shrunk; its key is unchanged)."""
        with self.transaction("clearing the cache") as conn:
            for table in ("list_records", "details", "attachments", "sync_state", "fts_keys", "case_fts", "fts_backlog"):
                conn.execute(f"DELETE FROM {table}")
            schema.optimize_index(conn)  # else the deleted words stay in the index's segments
        with self._write_lock, self._errors("clearing the cache"):
            self._conn().execute("VACUUM")
        self._checkpoint()

    def _checkpoint(self) -> None:
        """Fold the WAL back and truncate it, so removed data leaves the WAL file too."""
        try:
            with self._write_lock:
                self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlcipher3.Error as exc:  # readers elsewhere may hold it; the next checkpoint will do
            log.debug("WAL checkpoint skipped: %s", exc)

    def schema_version(self) -> int:
        with self._errors("reading the cache"):
            return schema.current_version(self._conn())


__all__ = [
    "CachedDetail",
    "CaseCache",
    "DEFAULT_ATTACHMENT_BUDGET",
    "ListSlice",
    "SYNC_DONE",
    "SYNC_FAILED",
    "SYNC_LIST_ONLY",
    "TextHit",
    "cache_path",
    "delete_cache_files",
    "raw_list_records",
    "safe_profile_name",
]
