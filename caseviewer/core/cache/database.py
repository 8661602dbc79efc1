"""The cache's SQLCipher database: its key, one connection per thread, transactions, errors.

* The whole file is encrypted by SQLCipher with a random 256-bit key the caller gets from the
  keyring and passes in as bytes; it is applied as a raw key (no passphrase KDF to slow opening).
  SQLCipher encrypts the WAL too, and ``temp_store=MEMORY`` keeps sorts and temporary tables off
  disk. Nothing here writes any other file.
* ``secure_delete`` zeroes freed pages, so a purged or cleared case does not linger in free space.
* A key that does not open the file is reported (``CacheError``) and the file is left exactly as
  it is: it may be the only copy of what the reviewer synced. Removing it is an explicit user
  action ("Clear cache", ``files.delete_cache_files``).

Threads: one connection per thread (``threading.local``), created on first use and closed when the
thread ends or the database is closed. WAL lets readers run beside a writer; writers in this
process take one lock so they never meet SQLite's busy handler, and other processes (a CLI sync
beside the GUI) wait on ``busy_timeout``. Every write runs in ``transaction()``; nested calls on
one thread join the outer one, which is how a sync batch commits all or nothing.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3

from caseviewer.core.cache import schema
from caseviewer.core.cache.failures import as_cache_error
from caseviewer.core.cache.files import side_files
from caseviewer.core.errors import CacheError

log = logging.getLogger(__name__)

KEY_BYTES = 32
BUSY_TIMEOUT_S = 30.0
#: Page cache per connection, KiB (SQLite's default is 2,048, SQLCipher's 8,000). Listing 100,000
#: cases online with the write-through (bench_app --phase memory): 2,048 -> 1,024 KiB took the
#: peak from ~160 to ~153 MB (the worker connections, the list view's and the reviewer state's
#: each fill theirs); 512 KiB saved nothing more.
PAGE_CACHE_KIB = 1024


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


class CacheDatabase:
    """One encrypted cache file. See the module docstring for the rules it keeps."""

    def __init__(
        self,
        path: Path,
        key: bytes,
        *,
        max_size_bytes: int | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``max_size_bytes`` caps the database (a quota: writes past it fail like a full disk);
        ``clock`` gives the "now" stored as cached/fetched/used times (injectable for tests)."""
        if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
            raise CacheError("The offline cache key must be 32 bytes; the stored key is damaged.")
        self.path = path
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

    def now(self) -> float:
        """The time stored as cached/fetched/used, in seconds since the epoch (the injected clock)."""
        return self._clock()

    # -- connections -----------------------------------------------------------------------

    def _open_first(self) -> None:
        """Open, check the key, migrate. Nothing is written before the key is known to be right."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            # Create it owner-only; SQLite gives the WAL and SHM files the same mode.
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        holder = self._holder()
        with self._write_lock, self.errors("upgrading its format"):
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
            # Each thread's connection has a page cache of its own, and SQLCipher's default is
            # 8 MB: four worker connections writing 100,000 listed cases through held 32 MB.
            conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
            # The list counts (schema v10) are kept by triggers; a REPLACE must fire the delete one.
            conn.execute("PRAGMA recursive_triggers = ON")
            if self.max_size_bytes is not None:
                (page_size,) = conn.execute("PRAGMA page_size").fetchone()
                conn.execute(f"PRAGMA max_page_count = {max(1, self.max_size_bytes // int(page_size))}")
        except sqlcipher3.Error as exc:
            conn.close()
            raise CacheError(f"The offline cache could not be set up: {exc}.") from None
        return conn

    def new_connection(self) -> Any:
        """A fresh connection, keyed and set up like the per-thread ones, that the caller owns
        and closes (for state kept on one connection, such as temporary tables)."""
        if self._closed:
            raise CacheError("The offline cache is closed.")
        return self._connect()

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

    def connection(self) -> Any:
        """This thread's connection (opened on first use)."""
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

    # -- errors and transactions -----------------------------------------------------------

    @contextmanager
    def errors(self, doing: str) -> Iterator[None]:
        """SQLite errors raised inside become ``CacheError`` (see ``failures``)."""
        try:
            yield
        except sqlcipher3.Error as exc:
            raise as_cache_error(exc, doing) from None

    @contextmanager
    def reading(self, doing: str = "reading the cache") -> Iterator[Any]:
        """This thread's connection for reads, with SQLite errors turned into ``CacheError``."""
        with self.errors(doing):
            yield self.connection()

    @contextmanager
    def transaction(self, doing: str = "saving") -> Iterator[Any]:
        """One write transaction; nested calls on the same thread join the outer one."""
        holder = self._holder()
        if holder.depth:
            holder.depth += 1
            try:
                yield holder.conn
            finally:
                holder.depth -= 1
            return
        conn = holder.conn
        with self._write_lock, self.errors(doing):
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
    def exclusive(self, doing: str) -> Iterator[Any]:
        """This process's write lock without a transaction (VACUUM cannot run inside one)."""
        with self._write_lock, self.errors(doing):
            yield self.connection()

    def write_if_free(self, sql: str, args: list[Any]) -> bool:
        """Run one write at once or not at all, best effort; returns whether it ran.

        For bookkeeping a read does on the side (an LRU time): a read must never stall behind a
        writer (a CLI sync committing beside the GUI) nor fail on a full disk for it, so when the
        write lock is not free at once, or SQLite is busy, the write is skipped.
        """
        holder = self._holder()
        if holder.depth:  # already inside this thread's transaction
            holder.conn.execute(sql, args)
            return True
        if not self._write_lock.acquire(blocking=False):
            return False
        conn = holder.conn
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(sql, args)
            conn.execute("COMMIT")
            return True
        except sqlcipher3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            log.debug("Side write skipped: %s", exc)
            return False
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self._write_lock.release()

    # -- the file --------------------------------------------------------------------------

    def checkpoint(self) -> None:
        """Fold the WAL back and truncate it, so removed data leaves the WAL file too."""
        try:
            with self._write_lock:
                self.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlcipher3.Error as exc:  # readers elsewhere may hold it; the next checkpoint will do
            log.debug("WAL checkpoint skipped: %s", exc)

    def size_bytes(self) -> int:
        """Bytes on disk: the database and its WAL."""
        return sum(f.stat().st_size for f in side_files(self.path)[:2] if f.exists())

    def schema_version(self) -> int:
        with self.errors("reading the cache"):
            return schema.current_version(self.connection())


__all__ = ["BUSY_TIMEOUT_S", "CacheDatabase", "KEY_BYTES"]
