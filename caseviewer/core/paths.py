"""Where caseviewer keeps its files: platformdirs, or everything under ``CASEVIEWER_HOME``.

Tests and portable installs set ``CASEVIEWER_HOME=DIR`` so config, cache and logs live in one
folder they own.

Modes do not depend on the umask: the three folders are 0700 and are tightened to 0700 when
they already exist with looser modes (an older version, a copied profile), and ``private_file``
creates or tightens a file to 0600 (the log, ``ui.ini``). On Windows ``chmod`` only knows
read-only, so there the per-user profile folders' ACLs are what keep other users out.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "caseviewer"


def _home() -> Path | None:
    value = os.environ.get("CASEVIEWER_HOME")
    return Path(value).expanduser() if value else None


PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def _tighten(path: Path, mode: int) -> None:
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) or stat.S_IMODE(info.st_mode) == mode:
            return  # never chmod through a link
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return  # not ours to change
        os.chmod(path, mode)
    except OSError:
        pass  # a read-only file system: nothing we can do, and no reason to stop


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    _tighten(path, PRIVATE_DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 if it does not exist; tighten it to 0600 if it does."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        _tighten(path, PRIVATE_FILE_MODE)
    except OSError:
        pass
    else:
        os.close(fd)
        _tighten(path, PRIVATE_FILE_MODE)  # O_CREAT's mode is filtered by the umask
    return path


def config_dir() -> Path:
    home = _home()
    return _ensure(home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME)))


def cache_dir() -> Path:
    home = _home()
    return _ensure(home / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME)))


def log_dir() -> Path:
    home = _home()
    return _ensure(home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME)))
