"""Which events held the GUI thread: a ``QApplication`` that times every outermost event it
delivers and keeps the slow ones (receiver, event type, GUI-thread CPU time, and with
``profile=True`` the Python functions that took the time).

A benchmark's gap meter says *that* the GUI thread was busy; this says *on what*. The CPU column
tells work on the GUI thread apart from waiting (another thread holding the GIL, or a loaded
machine preempting the process). Use it only from benchmarks (``--explain``): overriding
``notify`` slows every event a little, and profiling slows the slow ones a lot.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import time
from dataclasses import dataclass

from PySide6.QtWidgets import QApplication


@dataclass
class SlowEvent:
    wall_ms: float
    cpu_ms: float
    receiver: str
    event: str
    top: str = ""


class ExplainingApplication(QApplication):
    def __init__(self, argv: list[str], *, threshold_ms: float = 40.0, profile: bool = False) -> None:
        super().__init__(argv)
        self.threshold_ms = threshold_ms
        self.profile = profile
        self.slow: list[SlowEvent] = []
        self._depth = 0

    def notify(self, receiver, event) -> bool:  # noqa: ANN001 - Qt signature
        if self._depth:
            return super().notify(receiver, event)
        self._depth = 1
        kind = event.type()  # read now: the event may be gone once delivered
        wall, cpu = time.perf_counter(), time.thread_time()
        profiler = cProfile.Profile() if self.profile else None
        try:
            if profiler is not None:
                profiler.enable()
            return super().notify(receiver, event)
        finally:
            if profiler is not None:
                profiler.disable()
            self._depth = 0
            try:
                wall_ms = (time.perf_counter() - wall) * 1000
                if wall_ms >= self.threshold_ms:
                    name = type(receiver).__name__
                    object_name = receiver.objectName() if hasattr(receiver, "objectName") else ""
                    top = ""
                    if profiler is not None:
                        out = io.StringIO()
                        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
                        top = "\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip())
                    self.slow.append(SlowEvent(wall_ms, (time.thread_time() - cpu) * 1000,
                                               f"{name}{'#' + object_name if object_name else ''}",
                                               getattr(kind, "name", str(kind)), top))
            except Exception:  # noqa: BLE001 - an exception here would reach Qt
                pass

    def take(self) -> list[SlowEvent]:
        slow, self.slow = self.slow, []
        return slow
