"""The window's export commands: Export case as PDF… (Ctrl+Shift+E), Print… (Ctrl+P) and Export
list as CSV…, each built off the GUI thread with a progress dialog and Cancel.

``ExportController(window)`` makes the three actions (``window`` is the ``MainWindow``: its
runner, repository, table and the case on screen, learnt from ``detail_shown``); the window only
puts them in its File menu. The dossier carries the reviewer's flag and private note (read from
the triage controller's reviewer state on the export's worker). Every export asks where to write, then confirms with the PHI risk and
the destination named; the file is written atomically with mode 0600 (``core.export.writing``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QProgressDialog

from caseviewer.core.export.csv_export import ALL_COLUMNS, ListColumn
from caseviewer.core.export.list_job import export_list_csv
from caseviewer.core.filenames import safe_file_name
from caseviewer.core.repository import CaseResult
from caseviewer.ui.export.dialogs import ExportDialogs, ExportFolder
from caseviewer.ui.workers import Task, TaskFailure

if TYPE_CHECKING:
    from caseviewer.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

EXPORT_CHANNEL = "export"


class ExportController(QObject):
    """Owns the export actions and runs one export at a time on the window's runner."""

    #: An export finished: the result object (``DossierResult`` or ``CsvExportResult``).
    exported = Signal(object)
    #: The print preview opened (the dialog), for tests.
    preview_opened = Signal(object)
    #: An export failed or was cancelled (the message shown).
    failed = Signal(str)

    def __init__(self, window: "MainWindow", dialogs: ExportDialogs | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._channel = window.runner.channel(EXPORT_CHANNEL, self)
        self.dialogs = dialogs or ExportDialogs()
        self.folder = ExportFolder(window.settings.path)
        self._result: CaseResult | None = None
        self._task: Task | None = None
        self.progress_dialog: QProgressDialog | None = None
        window.detail_shown.connect(self._case_shown)
        self.pdf_action = self._action("&Export case as PDF…", "Ctrl+Shift+E",
                                       "Write the open case as a PDF dossier", self.export_case_pdf)
        self.print_action = self._action("&Print case…", QKeySequence.StandardKey.Print,
                                         "Print the open case's dossier (with a preview)", self.print_case)
        self.csv_action = self._action("Export list as &CSV…", None,
                                       "Write the case list's visible columns as CSV", self.export_list_csv)
        self._update_enabled()

    def _action(self, text, shortcut, tip, slot) -> QAction:  # noqa: ANN001 - like MainWindow._action
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        return action

    def actions(self) -> list[QAction]:
        return [self.pdf_action, self.print_action, self.csv_action]

    # -- state -------------------------------------------------------------------------------

    def _case_shown(self, result: CaseResult) -> None:
        self._result = result if result.detail is not None else None
        self._update_enabled()

    def current_case(self) -> CaseResult | None:
        """The case on screen, if it has a detail (a list record alone has no dossier)."""
        result = self._result
        if result is None or result.detail is None:
            return None
        shown = self.window.pane.current_case_id()
        if shown is not None and shown not in (result.case_id, result.detail.id):
            return None
        return result

    def _update_enabled(self) -> None:
        has_case = self._result is not None
        for action in (self.pdf_action, self.print_action):
            action.setEnabled(has_case)
        self.csv_action.setEnabled(self.window.repository.has_list)

    @property
    def busy(self) -> bool:
        return self._task is not None

    # -- progress ------------------------------------------------------------------------------

    def _start(self, label: str, fn, *args, on_result, **kwargs) -> None:  # noqa: ANN001
        dialog = QProgressDialog(label, "Cancel", 0, 100, self.window)
        dialog.setObjectName("exportProgress")
        dialog.setWindowTitle("Export")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        dialog.canceled.connect(self.cancel)
        self.progress_dialog = dialog
        dialog.show()
        self._task = self.window.runner.submit(
            lambda context: fn(*args, cancel=context.cancel, progress=context.progress, **kwargs),
            channel=self._channel,
            on_result=lambda value: self._finished(value, on_result),
            on_error=self._failed,
            on_progress=self._progress,
        )

    def _progress(self, done: int, total: int) -> None:
        if self.progress_dialog is not None and total > 0:
            self.progress_dialog.setValue(min(99, int(done * 100 / total)))

    def cancel(self) -> None:
        if self._task is not None:
            self.window.runner.cancel(self._channel)
            self._task = None
            self._close_progress()
            self.window.show_message("Export cancelled.", 4000)
            self.failed.emit("Export cancelled.")

    def _close_progress(self) -> None:
        dialog, self.progress_dialog = self.progress_dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()

    def _finished(self, value, on_result) -> None:  # noqa: ANN001
        self._task = None
        self._close_progress()
        try:
            on_result(value)
        finally:
            self.exported.emit(value)

    def _failed(self, failure: TaskFailure) -> None:
        self._task = None
        self._close_progress()
        if failure.is_bug:
            return  # the window's crash dialog reports it
        self.dialogs.report_error(self.window, "Export failed", failure.message)
        self.failed.emit(failure.message)

    def _busy_message(self) -> bool:
        if self.busy:
            self.window.show_message("An export is already running.")
            return True
        return False

    def _case_to_export(self, why: str) -> CaseResult | None:
        """The case on screen when an export may start now; else None, and the status bar says
        why (no case: "Open a case first: ``why``."; an export running)."""
        result = self.current_case()
        if result is None:
            self.window.show_message(f"Open a case first: {why}.")
            return None
        return None if self._busy_message() else result

    # -- the dossier -----------------------------------------------------------------------------

    def export_case_pdf(self) -> None:
        result = self._case_to_export("the dossier is made from the case on screen")
        if result is None:
            return
        detail = result.detail
        name = safe_file_name(f"{detail.short_id or detail.id or 'case'} dossier.pdf")
        path = self.dialogs.save_path(self.window, "Export case as PDF", f"{self.folder.get()}/{name}", "PDF files (*.pdf)")
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        answer = self.dialogs.confirm(
            self.window, title="Export case as PDF", what="This dossier", destination=path,
            option_text="Include attachments (images and text inline, PDF files appended)", option_default=True,
        )
        if not answer.accepted:
            return
        self.folder.remember(path)
        from caseviewer.ui.export.jobs import export_dossier

        repository = self.window.repository
        self._start("Exporting the case dossier…", export_dossier, result, path, repository.download_attachment,
                    attachments=answer.option, reviewer_state=self.window.triage.state, isolate=True,
                    on_result=self._dossier_written)

    def _dossier_written(self, built) -> None:  # noqa: ANN001 - DossierResult
        left_out = sum(1 for e in built.dossier.attachments if e.reason and not e.use.included)
        note = f"; {left_out} attachment{'s' if left_out != 1 else ''} could not be included (see its index)" if left_out else ""
        self.window.show_message(f"Exported the dossier ({built.pdf.pages} pages) to {built.path}{note}.")

    # -- print ---------------------------------------------------------------------------------

    def print_case(self) -> None:
        result = self._case_to_export("printing prints the case on screen")
        if result is None:
            return
        from caseviewer.ui.export.jobs import build_pdf

        self._start("Preparing the case dossier for printing…", build_pdf, result,
                    self.window.repository.download_attachment, attachments=True,
                    reviewer_state=self.window.triage.state, isolate=True, on_result=self._print_ready)

    def _print_ready(self, built) -> None:  # noqa: ANN001 - DossierResult
        from caseviewer.core.export.writing import ExportKind, ExportRecord, record_export
        from caseviewer.ui.export.printing import PrintablePdf, open_preview

        record_export(ExportRecord(ExportKind.PRINT, "printer", (built.dossier.case_id,), built.dossier.exported_by, with_attachments=True))
        dialog = open_preview(self.window, PrintablePdf(built.pdf.data))
        self.preview_opened.emit(dialog)

    # -- the list --------------------------------------------------------------------------------

    def visible_columns(self) -> list[ListColumn]:
        """The table's visible columns in their on-screen order."""
        header = self.window.header
        titles = self.window.model.HEADERS
        columns = []
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            if 0 <= logical < len(ALL_COLUMNS) and not header.isSectionHidden(logical):
                column = ALL_COLUMNS[logical]
                if column.title == titles[logical]:  # the two lists must describe the same columns
                    columns.append(column)
        return columns or list(ALL_COLUMNS)

    def export_list_csv(self) -> None:
        window = self.window
        if not window.repository.has_list:
            window.show_message("No case list service is configured.")
            return
        if self._busy_message():
            return
        path = self.dialogs.save_path(window, "Export list as CSV", f"{self.folder.get()}/cases.csv", "CSV files (*.csv)")
        if not path:
            return
        if not path.lower().endswith(".csv"):
            path += ".csv"
        loaded = window.model.rowCount()
        total = window.model.total_items
        more = total is not None and total > loaded
        answer = self.dialogs.confirm(
            window, title="Export list as CSV", what="This list", destination=path,
            option_text=f"All {total:,} cases of this view (fetches every page)" if more else "",
            option_default=False,
        )
        if not answer.accepted:
            return
        self.folder.remember(path)
        columns = self.visible_columns()
        if answer.option or loaded == 0 or not window.model.holds_all_rows:  # offline, the rows are in the cache
            self._start("Exporting the case list…", export_list_csv, path, fetch_page=window.repository.list_page,
                        query=window.current_query(), columns=columns, on_result=self._csv_written)
        else:
            self._start("Exporting the case list…", export_list_csv, path, packed=window.model.packed_rows(),
                        columns=columns, on_result=self._csv_written)

    def _csv_written(self, result) -> None:  # noqa: ANN001 - CsvExportResult
        self.window.show_message(f"Exported {result.rows:,} case{'s' if result.rows != 1 else ''} to {result.path}.")


__all__ = ["EXPORT_CHANNEL", "ExportController"]
