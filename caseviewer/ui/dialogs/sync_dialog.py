""""Make available offline…": fetch every case of the customer into the offline cache.

The sync (``core/cache_service.py``, ``sync_cases``) runs on a worker through the window's ``TaskRunner``; its progress callback runs on
that worker thread and is carried to the GUI thread by a signal (a queued connection). Cancel
stops the runner's task (``Task.stop``: its cancel event, which the sync is given, is set but its
answer is still wanted), so the sync stops after the requests in flight and still reports what it
committed.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from caseviewer.core.cache_service import sync_cases
from caseviewer.core.repository import CaseRepository
from caseviewer.ui.window.cache_actions import format_bytes
from caseviewer.ui.workers import Task, TaskContext, TaskFailure, TaskRunner
from caseviewer.ui.guard import guarded

if TYPE_CHECKING:
    from caseviewer.core.cache_service import SyncReport

SYNC_CHANNEL = "sync"
#: Failures listed one by one in the summary; the rest are counted.
MAX_LISTED_FAILURES = 20


class _ProgressBridge(QObject):
    """Emitted on the worker thread, received on the GUI thread."""

    progressed = Signal(int, int, int)  # done, total, failed
    committed = Signal()  # a batch was written to the cache (its size changed)


def accounted(report: SyncReport) -> int:
    """Listed cases the sync has settled: in the cache (either way), skipped, or failed."""
    return report.fetched + report.list_only + report.skipped + len(report.failed)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def summarize(report: SyncReport) -> str:
    """The summary in plain words; its numbers add up to the cases listed (and match the bar)."""
    lines = []
    if report.cancelled:
        lines.append("Cancelled. What finished is kept; run it again to carry on.")
    else:
        lines.append("Done." if report.ok else "Done, with failures.")
    lines.append(f"{_count(report.total, 'case')} listed:")
    lines.append(f"  {report.fetched:,} saved for offline reading")
    if report.list_only:
        lines.append(
            f"  {report.list_only:,} saved with only their line in the list "
            "(the case detail service has no record of them)"
        )
    if report.skipped:
        lines.append(f"  {report.skipped:,} already available offline")
    if report.failed:
        lines.append(f"  {len(report.failed):,} failed (tried again next time)")
    left = max(0, report.total - accounted(report))
    if left:
        lines.append(f"  {left:,} not fetched yet")
    if report.attachments:
        lines.append(f"{_count(report.attachments, 'attachment')} saved.")
    lines.append(f"Took {report.elapsed:.1f} s.")
    if report.failed:
        lines.append("")
        lines.append("Failed:")
        for case_id, why in report.failed[:MAX_LISTED_FAILURES]:
            lines.append(f"  {case_id}: {why}")
        if len(report.failed) > MAX_LISTED_FAILURES:
            lines.append(f"  … and {len(report.failed) - MAX_LISTED_FAILURES:,} more")
    return "\n".join(lines)


class SyncDialog(QDialog):
    """Runs one sync; ``finished_sync`` carries the ``SyncReport`` (or None when it failed)."""

    finished_sync = Signal(object)
    #: The sync was started (the window disables clearing the cache meanwhile).
    started_sync = Signal()
    #: A batch was committed to the cache while running: its size on disk changed.
    cache_changed = Signal()

    def __init__(self, repository: CaseRepository, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncDialog")
        self.setWindowTitle("Make available offline")
        self.setMinimumWidth(560)
        self.repository = repository
        self.runner = runner
        self.report: SyncReport | None = None
        self.failure: TaskFailure | None = None
        self._channel = runner.channel(SYNC_CHANNEL, self)
        self._task: Task | None = None  # the running sync
        self._idle = threading.Event()  # set while no sync runs on a worker
        self._idle.set()
        self._started_at = 0.0
        self._running = False
        self._bridge = _ProgressBridge(self)
        self._bridge.progressed.connect(self._progressed)
        self._bridge.committed.connect(self.cache_changed)

        intro = QLabel(
            "Fetch every case of this customer into the encrypted offline cache, so it can be read "
            "without the case service. Cases already offline are skipped unless their list entry "
            "changed or their copy is more than a week old."
        )
        intro.setWordWrap(True)
        self.attachments_box = QCheckBox("Include attachment files (slower, larger cache)")
        self.attachments_box.setObjectName("syncAttachments")
        self.force_box = QCheckBox("Fetch every case again (catches changes the case list does not show)")
        self.force_box.setObjectName("syncForce")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("syncProgress")
        self.progress_bar.setRange(0, 0)
        self.progress_bar.hide()
        self.status_label = QLabel("")
        self.status_label.setObjectName("syncStatus")
        self.summary = QPlainTextEdit()
        self.summary.setObjectName("syncSummary")
        self.summary.setReadOnly(True)
        # Room for the whole summary (about eight lines) without scrolling; failures scroll.
        line = self.summary.fontMetrics().lineSpacing()
        self.summary.setMinimumHeight(line * 9 + 12)
        self.summary.setMaximumHeight(line * 16)
        self.summary.hide()
        self.size_label = QLabel("")
        self.size_label.setObjectName("syncCacheSize")

        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("Start", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.hide()
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.attachments_box)
        layout.addWidget(self.force_box)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.size_label)
        layout.addWidget(self.buttons)

    @property
    def running(self) -> bool:
        return self._running

    def set_cache_size(self, size: int | None) -> None:
        self.size_label.setText("" if size is None else f"Offline cache on disk: {format_bytes(size)}")

    # -- running ---------------------------------------------------------------------------

    def start(self) -> None:
        if self._running:
            return
        self._running = True
        self._started_at = time.monotonic()
        self.report = None
        self.failure = None
        self.start_button.setEnabled(False)
        self.attachments_box.setEnabled(False)
        self.force_box.setEnabled(False)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.summary.hide()
        self.status_label.setText("Listing cases…")
        emit = self._bridge.progressed.emit
        committed = self._bridge.committed.emit
        idle = self._idle
        idle.clear()

        repository, attachments, force = self.repository, self.attachments_box.isChecked(), self.force_box.isChecked()

        def run(context: TaskContext) -> SyncReport:
            try:
                return sync_cases(
                    repository,
                    attachments=attachments,
                    force=force,
                    progress=lambda done, total, failed: emit(int(done), int(total), int(failed)),
                    cancel=context.cancel,
                    on_commit=lambda _ids: committed(),
                )
            finally:
                idle.set()

        self._task = self.runner.submit(run, channel=self._channel, on_result=self._done, on_error=self._failed)
        self.started_sync.emit()

    def cancel(self) -> None:
        """While running: stop after the requests in flight (the report follows). Else: close."""
        if self._running:
            self._stop()
            self.cancel_button.setEnabled(False)
            self.status_label.setText("Cancelling…")
        else:
            self.reject()

    @guarded
    def reject(self) -> None:
        if self._running:  # Esc or the window's close button while running: cancel first
            self.cancel()
            return
        super().reject()

    def stop_and_wait(self, timeout: float) -> bool:
        """Cancel a running sync and wait (blocking) until its worker is done with the cache.

        For shutdown: the cache must not be closed under a running sync. True when it stopped.
        """
        self._stop()
        return self._idle.wait(timeout)

    def _stop(self) -> None:
        if self._task is not None:
            self._task.stop()

    def _progressed(self, done: int, total: int, failed: int) -> None:
        if not self._running:
            return
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
        elapsed = max(0.001, time.monotonic() - self._started_at)
        rate = done / elapsed
        text = f"{done:,} of {total:,} cases ({rate:.1f}/s)"
        if failed:
            text += f", {failed:,} failed"
        self.status_label.setText(text)

    def _finish(self) -> None:
        self._running = False
        self.start_button.hide()
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.summary.show()
        # Grow to fit the summary: the minimum the dialog kept from before it was shown let the
        # cache-size line sit on the summary's bottom edge (seen in the sync-cancelled screenshot).
        self.adjustSize()

    def _done(self, report: SyncReport) -> None:
        self.report = report
        self._finish()
        # The bar ends on what the summary counts (not on the last progress tick, which can
        # include cases still waiting to be written, or miss the last batch).
        settled = accounted(report)
        self.progress_bar.setRange(0, max(1, report.total))
        self.progress_bar.setValue(min(settled, report.total) if report.total else 1)
        if report.cancelled:
            self.status_label.setText(f"Cancelled: {settled:,} of {_count(report.total, 'case')} done.")
        else:
            self.status_label.setText(f"Finished: {settled:,} of {_count(report.total, 'case')} done.")
        self.summary.setPlainText(summarize(report))
        self.finished_sync.emit(report)

    def _failed(self, failure: TaskFailure) -> None:
        self.failure = failure
        self._finish()
        self.progress_bar.hide()
        self.status_label.setText("The sync stopped.")
        self.summary.setPlainText(f"The sync stopped: {failure.message}\nWhat finished before is kept.")
        self.finished_sync.emit(None)

    @guarded
    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if self._running:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)


__all__ = ["SyncDialog", "summarize"]
