"""SQLite failures as the ``CacheError`` a reviewer reads, classified by SQLite's result code.

The class comes from ``sqlite_errorcode`` (its primary code: the low byte of an extended code),
never from the words of the message, which differ between SQLite versions and builds.
"""

from __future__ import annotations

import sqlcipher3

from caseviewer.core.errors import CacheError

_FULL = {sqlcipher3.SQLITE_FULL}
_BUSY = {sqlcipher3.SQLITE_BUSY, sqlcipher3.SQLITE_LOCKED}
_DAMAGED = {sqlcipher3.SQLITE_NOTADB, sqlcipher3.SQLITE_CORRUPT}
_NOT_WRITABLE = {sqlcipher3.SQLITE_READONLY, sqlcipher3.SQLITE_CANTOPEN, sqlcipher3.SQLITE_PERM}


def primary_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of ``exc`` (``SQLITE_FULL``...), None when it has none."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def as_cache_error(exc: BaseException, doing: str) -> CacheError:
    """What to tell the reviewer when ``doing`` failed with ``exc``."""
    code = primary_code(exc)
    if code in _FULL:
        return CacheError(
            f"The offline cache could not finish {doing}: the disk (or the cache's size limit) "
            "is full. Nothing already cached was lost; free some disk space or clear old cases."
        )
    if code in _BUSY:
        return CacheError(
            f"The offline cache is busy (another caseviewer is writing to it) while {doing}. Try again."
        )
    if code in _DAMAGED:
        return CacheError(f"The offline cache file is damaged ({doing}). Use \"Clear cache\" to start a new one.")
    if code in _NOT_WRITABLE:
        return CacheError(f"The offline cache file cannot be written ({doing}): check its folder's permissions.")
    # SQLite's own messages name tables and columns, never values, so they are safe to show.
    return CacheError(f"The offline cache failed while {doing}: {exc}.")


__all__ = ["as_cache_error", "primary_code"]
