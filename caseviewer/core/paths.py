"""Where caseviewer keeps its files: platformdirs, or everything under ``CASEVIEWER_HOME``.

Tests and portable installs set ``CASEVIEWER_HOME=DIR`` so config, cache and logs live in one
folder they own.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "caseviewer"


def _home() -> Path | None:
    value = os.environ.get("CASEVIEWER_HOME")
    return Path(value).expanduser() if value else None


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
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
