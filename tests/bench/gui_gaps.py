"""The GUI-thread gap meter shared by the benchmarks: a 10 ms QTimer whose late ticks show how long
the GUI thread was busy. Import it only after a QApplication can exist (it imports Qt).

Beside each gap it keeps the GUI thread's own CPU time in it (``busy``): on a loaded machine a
gap is also the time the process waited for a core, or for the GIL held by a worker, and the CPU
time tells that apart from work the GUI thread itself did."""

from __future__ import annotations

import statistics
import time

from PySide6.QtCore import QElapsedTimer, QTimer


class GapRecorder:
    """Ticks every 10 ms on the GUI thread; a late tick means the thread was busy."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.gaps: list[float] = []
        #: The GUI thread's CPU time (ms) within each gap of ``gaps``; ``take`` moves it to ``taken_busy``.
        self.busy: list[float] = []
        self.taken_busy: list[float] = []
        self._last_cpu = 0.0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self._last = 0.0

    def start(self) -> None:
        self.clock.start()
        self._last = 0.0
        self._last_cpu = time.thread_time()
        self.timer.start()

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        cpu = time.thread_time()
        self.gaps.append(now - self._last)
        self.busy.append((cpu - self._last_cpu) * 1000)
        self._last, self._last_cpu = now, cpu

    def take(self) -> list[float]:
        gaps, self.gaps = self.gaps, []
        self.taken_busy, self.busy = self.busy, []
        return gaps


def summary(gaps: list[float]) -> str:
    if not gaps:
        return "no ticks"
    ordered = sorted(gaps)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"longest gap {ordered[-1]:.1f} ms, p99 gap {p99:.1f} ms, median {statistics.median(ordered):.1f} ms ({len(gaps)} ticks)"
