"""The optional background refresh of the main window (``core.refresh`` does the work on a worker).

Every 10 minutes by default while the window is open; never while offline; one round at a time;
a round that ended on a 429 pushes the next one past its Retry-After. New and updated counts go to
a status-bar label and, when the window is not the active one, to a system-tray notification
that says only counts ("3 cases updated").
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QSystemTrayIcon

from caseviewer.core.query import CaseQuery
from caseviewer.core.refresh import DEFAULT_INTERVAL_S, RefreshReport, notification_text, refresh_round
from caseviewer.ui.icons import app_icon

if TYPE_CHECKING:
    from caseviewer.ui.window.main_window import MainWindow

CHANNEL = "background-refresh"
NOTIFY_MS = 8000


class BackgroundRefresh(QObject):
    """Owns the timer, the status-bar count and the tray notification of one main window."""

    #: A round finished (its ``RefreshReport``).
    finished = Signal(object)

    def __init__(self, window: MainWindow, *, interval_s: float = DEFAULT_INTERVAL_S,
                 pause_s: float | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._channel = window.runner.channel(CHANNEL, self)
        self.pause_s = pause_s
        self.running = False
        self.last_notification = ""
        self._not_before = 0.0
        self._tray: QSystemTrayIcon | None = None
        self.label = QLabel()
        self.label.setObjectName("refreshCountLabel")
        self.label.setToolTip("What the background refresh found since it last ran")
        window.statusBar().addPermanentWidget(self.label)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.set_interval(interval_s)

    def set_interval(self, seconds: float) -> None:
        """0 turns the refresh off."""
        self.timer.stop()
        if seconds > 0 and self.window.triage.available:
            self.timer.start(int(seconds * 1000))

    def _tick(self) -> None:
        if self.window.repository.is_offline or time.monotonic() < self._not_before:
            return  # offline: nothing newer to get; after a 429: wait out its Retry-After
        self.run_now()

    def run_now(self) -> bool:
        """Start a round now (unless one runs, or there is no reviewer state); True if started."""
        state = self.window.triage.state
        if self.running or state is None or self.window.closed:
            return False
        model = self.window.model
        known = frozenset(model.case_id(row) for row in range(model.rowCount()))
        query = model.query or CaseQuery(items_per_page=self.window.page_size)
        kwargs = {"pause_s": self.pause_s} if self.pause_s is not None else {}
        self.running = True
        repository, first = self.window.repository, query.with_page(1)
        self.window.runner.submit(
            lambda context: refresh_round(repository, state, query=first, known_ids=known, cancel=context.cancel,
                                          **kwargs),
            channel=self._channel, on_result=self._done, on_error=self._failed,
        )
        return True

    def _failed(self, failure) -> None:  # noqa: ANN001 - TaskFailure
        self.running = False
        self.window.show_message(f"Background refresh: {failure.message}")

    def _done(self, report: RefreshReport) -> None:
        self.running = False
        if report.retry_after:
            self._not_before = time.monotonic() + report.retry_after
        self.window.triage.apply(report.states)
        if not report.skipped:
            text = notification_text(len(report.updated), len(report.new))
            self.label.setText(text or "No new updates")
            if text and not self.window.isActiveWindow():
                self.notify(text)
        self.finished.emit(report)

    def notify(self, text: str) -> None:
        """A tray notification with ``text`` (counts only: see ``core.refresh.notification_text``)."""
        self.last_notification = text
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self._tray is None:
            self._tray = QSystemTrayIcon(app_icon(), self)
            self._tray.setToolTip("caseviewer")
            self._tray.messageClicked.connect(self._bring_up)
        self._tray.show()
        self._tray.showMessage("caseviewer", text, app_icon(), NOTIFY_MS)

    def _bring_up(self) -> None:
        self.window.bring_to_front()

    def stop(self) -> None:
        self.timer.stop()
        if self._tray is not None:
            self._tray.hide()


__all__ = ["BackgroundRefresh"]
