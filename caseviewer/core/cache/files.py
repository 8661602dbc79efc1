"""Where a profile's cache file lives, and removing it ("Clear cache" on a file the key cannot open)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from caseviewer.core.errors import CacheError
from caseviewer.core.paths import cache_dir


def safe_profile_name(profile_name: str) -> str:
    """A file-name-safe form of a profile name; a short hash keeps distinct names distinct."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", profile_name).strip("_")[:64]
    if cleaned == profile_name and cleaned:
        return cleaned
    digest = hashlib.sha256(profile_name.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned or 'profile'}-{digest}"


def cache_path(profile_name: str) -> Path:
    return cache_dir() / f"{safe_profile_name(profile_name)}.db"


def side_files(path: Path) -> list[Path]:
    """The database and the files SQLite keeps beside it: WAL, shared memory, rollback journal."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
            path.with_name(path.name + "-journal")]


def delete_cache_files(profile_name: str | None = None, *, path: Path | None = None) -> bool:
    """Remove a profile's cache database and its WAL/SHM files ("Clear cache").

    This is the recovery for a cache the stored key cannot open; it is only ever called on the
    user's explicit request. Returns whether anything was removed.
    """
    target = path if path is not None else cache_path(profile_name or "")
    removed = False
    for file in side_files(target):
        try:
            file.unlink()
            removed = True
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise CacheError(f"The offline cache file {file.name} could not be removed: {exc.strerror}.") from None
    return removed


__all__ = ["cache_path", "delete_cache_files", "safe_profile_name", "side_files"]
