"""Idle detection: an application-wide event filter notes the last input; a timer compares.

Only real input counts (keys, mouse buttons, movement, wheel, touch, tablet); timers, repaints and
network results do not, so background work never keeps a walked-away workstation unlocked. The
clock is injected (``time.monotonic`` by default) so tests advance a fake one instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

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
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

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
