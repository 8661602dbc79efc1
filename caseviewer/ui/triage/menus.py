"""The case table's right-click menu, copy keys, middle click, and the flag and note editor.

Row menu: open in new window, copy case ID / short ID / one-line summary, mark read / unread,
flag (colours), private note, make available offline. Ctrl+C in the table copies the row's case
ID; Ctrl+Shift+C (a window action) copies the summary. Middle click opens a row in its own window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from caseviewer.core.changes import RowState
from caseviewer.core.models import CaseRecord
from caseviewer.core.reviewer_state import NOTE_MAX_CHARS, Flag
from caseviewer.ui.window.actions import TRIAGE_ACTIONS
from caseviewer.ui.case_list.row_texts import display_text, format_created
from caseviewer.ui.case_list.status_chip import pretty_status
from caseviewer.ui.triage.marks import flag_icon
from caseviewer.ui import accessible
from caseviewer.ui.guard import guarded

if TYPE_CHECKING:
    from caseviewer.ui.window.main_window import MainWindow

OPEN_WINDOW_CHANNEL = "case-window"


def case_summary(record: CaseRecord | None, case_id: str, short_id: str = "") -> str:
    """One line for the clipboard: business — applicant — status — created — ids."""
    if record is None:
        return " — ".join(part for part in (short_id, case_id) if part)
    parts = (
        display_text(record.business_name),
        display_text(record.applicant_name),
        pretty_status(record.status_code),
        format_created(record.created_at),
        short_id,
        case_id,
    )
    return " — ".join(part for part in parts if part)


class _MiddleClick(QObject):
    """Middle click on a row opens it in its own window (an event filter on the table viewport)."""

    def __init__(self, menus: TriageMenus) -> None:
        super().__init__(menus.window.view.viewport())
        self.menus = menus

    @guarded
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        middle = event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick) \
            and event.button() == Qt.MouseButton.MiddleButton
        if middle:
            return True  # the press would select the row: the main window keeps the case it shows
        if event.type() == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.MiddleButton:
            index = self.menus.window.view.indexAt(event.position().toPoint())
            case_id = self.menus.window.model.case_id(index.row()) if index.isValid() else None
            if case_id:
                self.menus.open_in_window(case_id)
                return True
        return False


class NoteDialog(QDialog):
    """The reviewer's flag and private note on one case (stored encrypted here, never sent)."""

    def __init__(self, parent: QWidget, *, flag: Flag | None, note: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Flag and private note")
        self.setObjectName("noteDialog")
        layout = QVBoxLayout(self)
        explain = QLabel("Kept encrypted in this computer's offline cache for this profile; never sent "
                         "to a service. Found by Find in cached cases.")
        explain.setWordWrap(True)
        layout.addWidget(explain)
        form = QFormLayout()
        self.flag_box = QComboBox()
        self.flag_box.addItem("No flag", None)
        for choice in Flag:
            self.flag_box.addItem(flag_icon(choice), choice.label, choice)
        self.flag_box.setCurrentIndex(max(0, self.flag_box.findData(flag)))
        form.addRow("&Flag", self.flag_box)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlainText(note)
        self.note_edit.setPlaceholderText("Only you see this note")
        form.addRow("&Note", self.note_edit)
        accessible.name(self.flag_box, "Flag", "Your flag on this case, or no flag")
        accessible.name(self.note_edit, "Private note", "Only you see this note; kept encrypted on this computer")
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 320)

    def _accept(self) -> None:
        if len(self.note_edit.toPlainText()) > NOTE_MAX_CHARS:
            # Bad input loses nothing: the text stays in the editor with the reason beside it.
            self.error.setText(f"A note can hold at most {NOTE_MAX_CHARS:,} characters; this one has "
                               f"{len(self.note_edit.toPlainText()):,}. Shorten it to save.")
            self.error.show()
            accessible.announce(self, self.error.text(), accessible.Politeness.ASSERTIVE)
            return
        self.accept()

    def flag(self) -> Flag | None:
        return self.flag_box.currentData()

    def note(self) -> str:
        return self.note_edit.toPlainText()


class TriageMenus:
    """The row menu and the copy / note / new-window commands of one main window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.case_windows: list[QWidget] = []
        view = window.view
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._row_menu)
        self.copy_id_action = QAction("Copy case &ID", view)
        self.copy_id_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_id_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # text elsewhere copies as usual
        self.copy_id_action.triggered.connect(lambda: self.copy_id())
        view.addAction(self.copy_id_action)
        self._middle = _MiddleClick(self)
        view.viewport().installEventFilter(self._middle)
        if not window.triage.available:
            for name in TRIAGE_ACTIONS:
                action: QAction = getattr(window, name)
                action.setEnabled(False)
                action.setToolTip(window.triage.unavailable)
                action.setStatusTip(window.triage.unavailable)

    # -- which case ---------------------------------------------------------------------------

    def _target(self) -> str | None:
        ids = self.window.triage.selected_ids()
        return ids[0] if ids else None

    def _record(self, case_id: str) -> CaseRecord | None:
        row = self.window.model.row_of(case_id)
        return self.window.model.record(row) if row is not None else None

    def _short_id(self, case_id: str) -> str:
        """The short ID when the case is the one shown (only the detail carries it)."""
        pane = self.window.pane
        detail = pane.tab_pages[0]._detail if pane.tab_pages else None  # noqa: SLF001
        if pane.current_case_id() == case_id and detail is not None and isinstance(detail.short_id, str):
            return detail.short_id
        return ""

    # -- commands -----------------------------------------------------------------------------

    def _copy(self, text: str, what: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.window.show_message(f"Copied the {what}.", 3000)

    def copy_id(self, case_id: str | None = None) -> None:
        case_id = case_id or self._target()
        if case_id:
            self._copy(case_id, "case ID")

    def copy_short_id(self, case_id: str | None = None) -> None:
        case_id = case_id or self._target()
        short_id = self._short_id(case_id) if case_id else ""
        if short_id:
            self._copy(short_id, "short ID")
        else:
            self.window.show_message("The short ID is known once the case is open.", 4000)

    def copy_summary(self, case_id: str | None = None) -> None:
        case_id = case_id or self._target()
        if case_id:
            self._copy(case_summary(self._record(case_id), case_id, self._short_id(case_id)), "case summary")

    def open_in_window(self, case_id: str | None = None) -> QWidget | None:
        case_id = case_id or self._target()
        if not case_id:
            self.window.show_message("Select a case first.", 4000)
            return None
        from caseviewer.ui.window.case_window import CaseWindow

        case_window = CaseWindow(self.window, case_id, record=self._record(case_id))
        self.case_windows.append(case_window)
        case_window.destroyed.connect(lambda _obj=None, w=case_window: self._forget(w))
        case_window.show()
        return case_window

    def _forget(self, case_window: QWidget) -> None:
        if case_window in self.case_windows:
            self.case_windows.remove(case_window)

    def edit_note(self, case_id: str | None = None) -> NoteDialog | None:
        if self.window.triage.explain_unavailable():
            return None
        case_id = case_id or self._target()
        if not case_id:
            self.window.show_message("Select a case first.", 4000)
            return None
        triage = self.window.triage.marks.get(case_id)
        dialog = NoteDialog(self.window, flag=triage.flag if triage else None, note=triage.note if triage else "")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._save_note(case_id, dialog.flag(), dialog.note()))
        dialog.open()
        return dialog

    def _save_note(self, case_id: str, flag: Flag | None, note: str) -> None:
        self.window.triage.set_flag(flag, [case_id])
        self.window.triage.set_note(case_id, note)

    def make_available_offline(self, case_id: str) -> None:
        window = self.window
        if not window.repository.has_cache:
            window.show_message(window.cache_unavailable_reason)
            return
        repository, record = window.repository, self._record(case_id)
        window.runner.submit(
            lambda context: repository.open_case(case_id, record=record, cancel=context.cancel),
            on_result=lambda _result: window.show_message("The case is kept for offline reading.", 4000),
            on_error=lambda failure: window.show_message(f"Could not keep the case offline: {failure.message}"),
        )

    # -- the row menu ---------------------------------------------------------------------------

    def build_row_menu(self, case_id: str) -> QMenu:
        window, triage = self.window, self.window.triage
        menu = QMenu(window.view)
        menu.setObjectName("rowMenu")
        menu.setToolTipsVisible(True)
        menu.addAction("Open in new &window", lambda: self.open_in_window(case_id))
        menu.addSeparator()
        menu.addAction("Copy case &ID", lambda: self.copy_id(case_id))
        short = menu.addAction("Copy &short ID", lambda: self.copy_short_id(case_id))
        short.setEnabled(bool(self._short_id(case_id)))
        menu.addAction("Copy &summary", lambda: self.copy_summary(case_id))
        menu.addSeparator()
        state = triage.marks.get(case_id)
        read = menu.addAction("Mark as &read", lambda: triage.mark_read([case_id]))
        unread = menu.addAction("Mark as &unread", lambda: triage.mark_unread([case_id]))
        flags = menu.addMenu("&Flag")
        for choice in Flag:
            action = flags.addAction(flag_icon(choice), choice.label,
                                     lambda choice=choice: triage.set_flag(choice, [case_id]))
            action.setCheckable(True)
            action.setChecked(state is not None and state.flag is choice)
        flags.addSeparator()
        flags.addAction("No flag", lambda: triage.set_flag(None, [case_id]))
        note = menu.addAction("Private &note…", lambda: self.edit_note(case_id))
        if state is not None:
            read.setEnabled(state.state is not RowState.READ)
            unread.setEnabled(state.state is RowState.READ)
        for action in (read, unread, note, flags.menuAction()):
            if not triage.available:
                action.setEnabled(False)
                action.setToolTip(triage.unavailable)
        menu.addSeparator()
        offline = menu.addAction("Make available &offline", lambda: self.make_available_offline(case_id))
        if not window.repository.has_cache:
            offline.setEnabled(False)
            offline.setToolTip(window.cache_unavailable_reason)
        return menu

    def _row_menu(self, pos) -> None:  # noqa: ANN001 - QPoint
        index = self.window.view.indexAt(pos)
        case_id = self.window.model.case_id(index.row()) if index.isValid() else None
        if not case_id:
            return
        if not self.window.view.selectionModel().isRowSelected(index.row()):
            self.window.select_row(index.row())
        self.build_row_menu(case_id).popup(self.window.view.viewport().mapToGlobal(pos))


__all__ = ["NoteDialog", "TriageMenus", "case_summary"]
