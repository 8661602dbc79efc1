"""The window's status bar: busy, cache size, Work offline, the connection; and its messages."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow, QToolButton

from caseviewer.ui.window.actions import WindowState
from caseviewer.ui.window.cache_actions import format_bytes
from caseviewer.ui.workers import TaskRunner

MESSAGE_TIMEOUT_MS = 10_000


class StatusBar:
    """Builds the permanent widgets on ``window.statusBar()`` and keeps the cache label true."""

    def __init__(self, window: QMainWindow, runner: TaskRunner, connection_label: str) -> None:
        self.window = window
        bar = window.statusBar()
        self.busy_label = QLabel()
        self.busy_label.setObjectName("busyLabel")
        self.connection_status = QLabel(connection_label)
        self.connection_status.setObjectName("connectionLabel")
        self.connection_status.setToolTip("The case service this window is connected to")
        self.offline_button = QToolButton()
        self.offline_button.setObjectName("workOfflineButton")
        self.offline_button.setDefaultAction(window.work_offline_action)
        self.offline_button.setAutoRaise(True)
        self.cache_label = QLabel()
        self.cache_label.setObjectName("cacheSizeLabel")
        self.index_label = QLabel()
        self.index_label.setObjectName("searchIndexLabel")
        bar.addPermanentWidget(self.busy_label)
        bar.addPermanentWidget(self.index_label)
        bar.addPermanentWidget(self.cache_label)
        bar.addPermanentWidget(self.offline_button)
        bar.addPermanentWidget(self.connection_status)
        runner.busy_changed.connect(lambda n: self.busy_label.setText("Loading…" if n else ""))

    def show_message(self, text: str, timeout_ms: int = MESSAGE_TIMEOUT_MS) -> None:
        self.window.statusBar().showMessage(text, timeout_ms)

    def show_state(self, state: WindowState) -> None:
        """The cache label: its size on disk, or why there is no cache."""
        if state.has_cache:
            size = "…" if state.cache_size is None else format_bytes(state.cache_size)
            self.cache_label.setText(f"Cache {size}")
            self.cache_label.setToolTip(f"Encrypted offline cache on disk: {size}")
        else:
            self.cache_label.setText("No cache")
            self.cache_label.setToolTip(state.no_cache_reason)


__all__ = ["MESSAGE_TIMEOUT_MS", "StatusBar"]
