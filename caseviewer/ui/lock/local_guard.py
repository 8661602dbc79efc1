"""A local stand-in for the shared ``@guarded`` decorator (``caseviewer/ui/guard.py``, another branch).

An exception escaping a Qt virtual override (an event filter, ``closeEvent``, ``data``) can abort
the process under PySide6. ``guard_override(fallback)`` logs it and returns the base answer
instead. The coordinator swaps these for the shared decorator when the branches meet.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def guard_override(fallback: Callable[..., Any] | Any = None) -> Callable[[F], F]:
    """Wrap a Qt override: on an exception, log it and return ``fallback(self, *args)`` when it is
    callable (e.g. the base class's method), else ``fallback`` itself."""

    def wrap(method: F) -> F:
        @functools.wraps(method)
        def guarded(self, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except Exception:  # noqa: BLE001 - the point is that nothing escapes into Qt
                log.exception("error in Qt override %s.%s", type(self).__name__, method.__name__)
                if callable(fallback):
                    try:
                        return fallback(self, *args, **kwargs)
                    except Exception:  # noqa: BLE001
                        log.exception("fallback of %s failed", method.__name__)
                        return None
                return fallback

        return guarded  # type: ignore[return-value]

    return wrap


__all__ = ["guard_override"]
