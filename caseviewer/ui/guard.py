"""One guard for every Python override of a Qt virtual (``paint``, ``data``, ``showEvent``, ...).

When Qt calls back into Python and the override raises while Qt itself was entered from Python
(``widget.grab()``, ``stack.setCurrentWidget()`` showing a tab, a view asking its model), PySide6
aborts the process instead of printing the exception. So every override in ``caseviewer.ui`` is
decorated with ``@guarded`` (a test finds every override and fails on one that is not):

* the exception is caught and logged once per override site, with its type and where it was
  raised (file, line, function; never the message or any value: those can carry case data);
* the override answers a neutral fallback: the base class's own implementation where there is
  one (a delegate then paints the plain text, ``showEvent`` still shows, ``sizeHint`` is Qt's),
  else a value that means "nothing" for that method (``data`` None, ``rowCount`` 0,
  ``eventFilter`` False);
* the reviewer is told once per site, through ``reports().failed``: the main window shows it in
  the status bar (queued, so it never runs inside a paint).

``contain(site, fn, *args)`` is the same promise for a plain section of work (a detail tab
rendering a case): it returns ``(ok, value)`` instead of raising.
"""

from __future__ import annotations

import functools
import logging
import os
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, QObject, QRectF, QSize, Qt, Signal

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

#: Marks a guarded override; the architecture test looks for it.
GUARDED_ATTR = "__qt_guarded__"


class _UseBase:
    """Sentinel: the fallback is the base class's implementation of the same method."""

    def __repr__(self) -> str:  # pragma: no cover - for debugging only
        return "BASE"


BASE: Any = _UseBase()

#: Fallbacks for methods whose base implementation is pure virtual in Qt (or would redo the
#: failed work): the value that means "nothing here".
_NEUTRAL: dict[str, Callable[[], Any]] = {
    "data": lambda: None,
    "multiData": lambda: None,
    "headerData": lambda: None,
    "rowCount": lambda: 0,
    "columnCount": lambda: 0,
    "index": QModelIndex,
    "parent": QModelIndex,
    "count": lambda: 0,
    "itemAt": lambda: None,
    "takeAt": lambda: None,
    "eventFilter": lambda: False,
    "canFetchMore": lambda: False,
    "fetchMore": lambda: None,
}


#: When the base implementation is pure virtual too (``QLayout.sizeHint``,
#: ``QGraphicsItem.boundingRect``), a value of the type Qt expects: answering None there would be
#: a second error.
_LAST_RESORT: dict[str, Callable[[], Any]] = {
    "sizeHint": QSize,
    "minimumSize": QSize,
    "minimumSizeHint": QSize,
    "maximumSize": lambda: QSize(16_777_215, 16_777_215),
    "boundingRect": QRectF,
    "heightForWidth": lambda: -1,
    "hasHeightForWidth": lambda: False,
    "expandingDirections": lambda: Qt.Orientation(0),
    "flags": lambda: Qt.ItemFlag.NoItemFlags,
    "event": lambda: False,
}


class GuardReports(QObject):
    """Where guarded failures are announced, once per site: ``failed(message for the reviewer)``."""

    failed = Signal(str)


_reports: GuardReports | None = None
_seen: dict[str, int] = {}


def reports() -> GuardReports:
    global _reports
    if _reports is None:
        _reports = GuardReports()
    return _reports


def failure_counts() -> dict[str, int]:
    """How often each site failed in this process (for tests and diagnostics)."""
    return dict(_seen)


def user_message(site: str) -> str:
    short = ".".join(site.rsplit(".", 2)[-2:])
    return (f"Part of the window could not be shown: an internal error in caseviewer ({short}). "
            "The rest of the window keeps working.")


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "?"
    last = frames[-1]
    return f"{os.path.basename(last.filename)}:{last.lineno} in {last.name}"


def report_failure(site: str, exc: BaseException) -> None:
    """Log ``exc`` (type and location only) and tell the reviewer, both once per ``site``."""
    try:
        first = site not in _seen
        _seen[site] = _seen.get(site, 0) + 1
        if not first:
            return
        frames = traceback.extract_tb(exc.__traceback__)
        stack = "".join(traceback.format_list(frames[-8:])).rstrip()  # code lines, no values
        log.error("%s failed with %s at %s (shown as a fallback)\n%s", site, type(exc).__name__, _where(exc), stack)
        reports().failed.emit(user_message(site))
    except Exception:  # noqa: BLE001 - reporting must never be what brings the process down
        pass


def _base_call(wrapper: Callable[..., Any], name: str, obj: Any, args: tuple, kwargs: dict) -> Any:
    for klass in type(obj).__mro__:
        if klass.__dict__.get(name) is wrapper:
            return getattr(super(klass, obj), name)(*args, **kwargs)
    return None


def guarded(func: F | None = None, *, fallback: Any = BASE) -> Any:
    """Decorate a Qt virtual override so an exception inside it can never abort the process.

    ``fallback`` is what the override answers after a failure; by default the base class's
    implementation (see ``_NEUTRAL`` for the methods where that would be wrong).
    """

    def decorate(function: F) -> F:
        name = function.__name__
        site = f"{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return function(self, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the point of the guard
                report_failure(site, exc)
                if fallback is not BASE:
                    return fallback
                if name in _NEUTRAL:
                    return _NEUTRAL[name]()
                try:
                    return _base_call(wrapper, name, self, args, kwargs)
                except Exception as again:  # noqa: BLE001 - pure virtual base, or it failed too
                    if not isinstance(again, NotImplementedError):
                        report_failure(site + " (fallback)", again)
                    return _LAST_RESORT[name]() if name in _LAST_RESORT else None

        setattr(wrapper, GUARDED_ATTR, True)
        return wrapper  # type: ignore[return-value]

    return decorate(func) if func is not None else decorate


def contain(site: str, function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[bool, Any]:
    """Run one section of work; ``(True, result)``, or ``(False, None)`` after reporting a failure."""
    try:
        return True, function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - one broken section must not take the others down
        report_failure(site, exc)
        return False, None


__all__ = ["BASE", "GuardReports", "contain", "failure_counts", "guarded", "report_failure", "reports",
           "user_message"]
