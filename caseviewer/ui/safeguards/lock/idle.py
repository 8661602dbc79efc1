"""Idle detection: an event filter on the app's windows notes the last input; a timer compares.

Only real input counts (keys, mouse buttons, movement, wheel, touch, tablet); timers, repaints and
network results do not, so background work never keeps a walked-away workstation unlocked. The
clock is injected (``time.monotonic`` by default) so tests advance a fake one instead of waiting.

The filter sits on each top-level ``QWindow`` (the main window, a case window, a dialog, a menu),
taken as it gets the focus, not on the application: an application-wide Python filter is called
for every event of every object (each polish, paint, timer and child event), which cost about
0.05 ms per label built across the whole app. Input from the platform reaches its window first,
so a window's filter sees every key and mouse event of that window and little else.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow

from caseviewer.ui.guard import guarded

#: How often the timer compares; the lock comes at most this much after the timeout.
DEFAULT_CHECK_MS = 5_000

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.TabletPress, QEvent.Type.TabletMove, QEvent.Type.ShortcutOverride,
})


class IdleDetector(QObject):
    """Emits ``idle`` once when no input came for ``timeout_s``; ``reset()`` re-arms it."""

    idle = Signal()

    def __init__(self, timeout_s: float, *, clock: Callable[[], float] = time.monotonic,
                 check_ms: int = DEFAULT_CHECK_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_s = float(timeout_s)
        self._clock = clock
        self._last_input = clock()
        self._fired = False
        self.timer = QTimer(self)
        self.timer.setInterval(max(10, min(int(check_ms), int(self.timeout_s * 1000))))
        self.timer.timeout.connect(self.check_now)
        app = QGuiApplication.instance()
        if app is not None:
            app.focusWindowChanged.connect(self.watch_window)
            self.watch_window(app.focusWindow())

    def watch_window(self, window: QWindow | None) -> None:
        """Note input in ``window`` (again is harmless: Qt keeps one entry per filter)."""
        if window is not None:
            window.installEventFilter(self)

    def start(self) -> None:
        self.reset()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def set_timeout(self, timeout_s: float) -> None:
        self.timeout_s = float(timeout_s)
        self.timer.setInterval(max(10, min(self.timer.interval(), int(self.timeout_s * 1000))))

    def set_clock(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.reset()

    def reset(self) -> None:
        self._last_input = self._clock()
        self._fired = False

    def idle_for(self) -> float:
        return self._clock() - self._last_input

    def check_now(self) -> bool:
        if not self._fired and self.idle_for() >= self.timeout_s:
            self._fired = True
            self.idle.emit()
        return self._fired

    @guarded
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _INPUT_EVENTS:
            self._last_input = self._clock()
        return False


__all__ = ["IdleDetector"]
