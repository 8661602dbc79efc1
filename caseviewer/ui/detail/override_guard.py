"""A local guard for the Qt overrides of the case page's new sections (glance, timeline, list).

An exception escaping a Qt virtual (paint, sizeHint, resizeEvent...) can abort the process under
PySide6. ``guard_override(fallback)`` logs it (type only: the data may be PHI) and returns
``fallback``. Stand-in for the project-wide ``ui.guard.guarded`` that another branch adds; the
coordinator switches these over when merging.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


def guard_override(fallback: Any = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def wrap(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def guarded_override(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - nothing may escape into Qt
                log.error("Qt override %s failed: %s", method.__qualname__, type(exc).__name__)
                return fallback() if callable(fallback) else fallback

        return guarded_override

    return wrap
