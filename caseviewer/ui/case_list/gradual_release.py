"""Free big containers a slice at a time from the event loop.

A new query drops every loaded row at once: 100,000 ids, packed rows and the id index. Freeing
them in one go took 25 ms and more on the GUI thread once the heap was fragmented by a long
session. Handed to ``GradualRelease`` instead, they are emptied a few thousand items per
event-loop turn (about a millisecond each), between paints and input.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from PySide6.QtCore import QObject, QTimer

#: Items freed per event-loop turn.
CHUNK = 4000
#: Containers this small are simply dropped.
SMALL = 2 * CHUNK


class GradualRelease(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: deque[Any] = deque()
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    @property
    def pending(self) -> int:
        """Containers not yet emptied."""
        return len(self._pending)

    def release(self, *containers: list | dict) -> None:
        """Take over ``containers`` (the caller keeps no other reference) and empty them over time."""
        for container in containers:
            if len(container) > SMALL:
                self._pending.append(container)
        if self._pending and not self._timer.isActive():
            self._timer.start()

    def _step(self) -> None:
        container = self._pending[0]
        if isinstance(container, list):
            del container[-CHUNK:]
        else:
            for _ in range(min(CHUNK, len(container))):
                container.popitem()
        if not container:
            self._pending.popleft()
        if not self._pending:
            self._timer.stop()


__all__ = ["GradualRelease"]
