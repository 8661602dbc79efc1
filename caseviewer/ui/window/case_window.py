"""A case in a window of its own, to compare two patients side by side.

Each window holds a full case page (the same ``DetailPane`` as the main window, with previews and
attachment actions), loads its case on the main window's workers on a channel of its own, and
closes with Ctrl+W. Opening a case here counts as looking at it (its read state is updated).
The title names the case by its IDs only, never by a person's name (titles show in task bars).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow

from caseviewer.core.models import CaseRecord
from caseviewer.core.repository import CaseResult
from caseviewer.ui import accessible
from caseviewer.ui.detail.pane import DetailPane
from caseviewer.ui.guard import guarded

if TYPE_CHECKING:
    from caseviewer.ui.window.main_window import MainWindow


class CaseWindow(QMainWindow):
    """One case, loaded through the main window's repository and workers."""

    #: The pane now shows this ``CaseResult``.
    detail_shown = Signal(object)

    def __init__(self, main: MainWindow, case_id: str, *, record: CaseRecord | None = None) -> None:
        super().__init__(None)  # a top-level window of its own, not stacked over the main window
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("caseWindow")
        self.main = main
        self.case_id = case_id
        self.record = record
        self.channel = main.runner.channel("case-window", self)
        self.setWindowTitle(f"caseviewer — case {case_id}")
        self.resize(760, 820)
        self.pane = DetailPane()
        self.pane.set_services(main.runner, main.repository)
        self.pane.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.pane.status_message.connect(lambda text: accessible.announce(self.statusBar(), text))  # a live region
        self.pane.retry_requested.connect(self.load)
        self.setCentralWidget(self.pane)
        self.close_action = QAction("&Close window", self)
        self.close_action.setShortcut(QKeySequence("Ctrl+W"))  # StandardKey.Close is Ctrl+F4 on some desktops
        self.close_action.triggered.connect(self.close)
        self.addAction(self.close_action)
        self.load()

    def load(self) -> None:
        self.pane.show_loading()
        repository, case_id, record = self.main.repository, self.case_id, self.record
        self.main.runner.submit(
            lambda context: repository.open_case(case_id, record=record, cancel=context.cancel), channel=self.channel,
            on_result=self._show, on_error=lambda failure: self.pane.show_error(failure.message),
        )

    def _show(self, result: CaseResult) -> None:
        short_id = result.detail.short_id if result.detail is not None and isinstance(result.detail.short_id, str) else ""
        if short_id:
            self.setWindowTitle(f"caseviewer — case {short_id}")
        self.pane.show_case(result)
        triage = self.main.triage
        triage.view_in(self.pane, result)
        self.detail_shown.emit(result)

    @guarded
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.main.runner.cancel(self.channel)
        super().closeEvent(event)


__all__ = ["CaseWindow"]
