"""The search index catching up after a sync, on a worker, with its progress in the status bar.

A sync stores cases without writing their full-text rows (``core/search_index.py``); this writes
them behind it (``core/cache_service.py``, ``build_search_index``), after each sync and once when the window opens a cache left with a backlog (a
sync that was stopped). Find in cached cases works meanwhile on what is indexed. Superseded or
cancelled (quit) it stops between two short transactions and the rest stays queued.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from caseviewer.core.cache_service import build_search_index
from caseviewer.core.repository import CaseRepository
from caseviewer.ui.workers import TaskContext, TaskFailure, TaskRunner

INDEX_CHANNEL = "index"


class IndexBuilder(QObject):
    """Runs ``build_search_index`` on the window's runner; shows "Search index: N of M" meanwhile."""

    finished = Signal(int)  # rows written (0 when there was nothing to do or it failed)

    def __init__(self, repository: CaseRepository, runner: TaskRunner, label: QLabel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.repository = repository
        self.runner = runner
        self.label = label
        self.running = False
        self._channel = runner.channel(INDEX_CHANNEL, self)

    def start(self) -> None:
        if not self.repository.has_cache:
            return
        self.running = True
        repository = self.repository

        def task(context: TaskContext) -> int:
            return build_search_index(repository, progress=context.progress, cancel=context.cancel)

        self.runner.submit(
            task,
            channel=self._channel,
            on_progress=self._progressed,
            on_result=self._done,
            on_error=self._failed,
        )

    def _progressed(self, done: int, total: int) -> None:
        if total:
            self.label.setText(f"Search index: {done:,} of {total:,} cases")
            self.label.setToolTip("Cases saved by the sync are being added to Find in cached cases; "
                                  "the ones not added yet are not found yet")

    def _done(self, written: int) -> None:
        self.running = False
        self.label.setText("")
        self.label.setToolTip("")
        self.finished.emit(int(written))

    def _failed(self, _failure: TaskFailure) -> None:
        # The backlog stays queued for the next sync or start; searching works on what is indexed.
        self._done(0)


__all__ = ["INDEX_CHANNEL", "IndexBuilder"]
