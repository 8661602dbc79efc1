"""Help > Access log: the entries of this profile's access log, filtered, checked, exported as CSV.

Filters: the case (its short ID "CV-…" or full id), action, a date range (local days; picking a
date turns the range on). Cases are listed by the short ID the case header shows, the full id in
the tooltip and on Copy (Ctrl+C, or the row's context menu). Reading (with the short IDs from the
cached cases), checking the chain and writing the CSV run on the window's workers; a newer query
supersedes an older one. Without a keyring there is no cache and so no log: the dialog says that
and offers nothing else.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caseviewer.core.access_log import NO_LOG_REASON, AccessAction, AccessEntry, AccessLog
from caseviewer.core.csv_cells import csv_text
from caseviewer.ui.formatting import clean
from caseviewer.ui import accessible
from caseviewer.ui.guard import guarded

CHANNEL = "access-log"
CASE_COLUMN = 5
HEADERS = ("#", "Time", "OS user", "Profile", "Action", "Case")
ACTION_LABELS = {
    AccessAction.CASE_OPENED: "Case opened",
    AccessAction.ATTACHMENT_PREVIEWED: "Attachment previewed",
    AccessAction.ATTACHMENT_SAVED: "Attachment saved",
    AccessAction.ATTACHMENT_OPENED_EXTERNALLY: "Attachment opened externally",
    AccessAction.EXPORT_PDF: "Dossier exported (PDF)",
    AccessAction.EXPORT_CSV: "List exported (CSV)",
    AccessAction.PRINT: "Printed",
    AccessAction.SEARCH: "Search run",
    AccessAction.SYNC_STARTED: "Sync started",
    AccessAction.LOCK: "Locked",
    AccessAction.UNLOCK: "Unlocked",
    AccessAction.UNLOCK_FAILED: "Wrong unlock secret",
}


def action_label(value: str) -> str:
    try:
        return ACTION_LABELS[AccessAction(value)]
    except ValueError:
        return value


def load_entries(access_log: AccessLog, filters: dict[str, Any], case_text: str) -> tuple[list[AccessEntry], dict[str, str]]:
    """Worker: the entries the filters select, and the short IDs of their cases.

    ``case_text`` is a full case id, or a short ID ("CV-…") as the list shows it: the log holds
    only full ids, so a short ID matches through the cached cases' short IDs.
    """
    wanted = case_text.strip()
    entries = access_log.entries(case_id=wanted or None, **filters)
    if wanted and not entries:
        every = access_log.entries(**filters)
        short_ids = access_log.short_ids(e.case_id for e in every)
        key = wanted.casefold()
        entries = [e for e in every if short_ids.get(e.case_id or "", "").casefold() == key]
        return entries, {case: short for case, short in short_ids.items() if short.casefold() == key}
    return entries, access_log.short_ids(e.case_id for e in entries)


def write_csv(path: str, entries: list[AccessEntry]) -> str:
    """Worker: the entries as spreadsheet-safe CSV at ``path``; returns the path."""
    text = csv_text(("seq", "time_utc", "os_user", "profile", "action", "case_id", "prev_hash", "hash"), (
        (e.seq, e.at, e.os_user, e.profile, e.action, e.case_id or "", e.prev_hash, e.hash) for e in entries
    ))
    Path(path).write_text(text, encoding="utf-8", newline="")
    return path


class AccessLogModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[AccessEntry] = []
        self.short_ids: dict[str, str] = {}

    def set_entries(self, entries: list[AccessEntry], short_ids: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.short_ids = dict(short_ids or {})
        self.endResetModel()

    def case_text(self, entry: AccessEntry) -> str:
        """The case as the list shows it: its short ID, else (not cached) the full id."""
        if not entry.case_id:
            return "—"
        return clean(self.short_ids.get(entry.case_id) or entry.case_id)

    @guarded
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008 - Qt's signature
        return 0 if parent.isValid() else len(self.entries)

    @guarded
    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    @guarded
    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == CASE_COLUMN and entry.case_id:
                return f"Case ID {clean(entry.case_id)}\n(Ctrl+C copies it)"
            return f"hash {entry.hash}\nprevious {entry.prev_hash}"
        if column == 0:
            return str(entry.seq)
        if column == 1:
            return entry.time.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if column == CASE_COLUMN:
            return self.case_text(entry)
        return (entry.os_user, entry.profile, action_label(entry.action))[column - 2]

    @guarded
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None


class AccessLogViewer(QDialog):
    #: Emitted after each query is shown (the number of entries).
    loaded = Signal(int)
    verified = Signal(object)  # VerifyResult
    exported = Signal(str)

    def __init__(self, access_log: AccessLog | None, runner, parent: QWidget | None = None,  # noqa: ANN001
                 *, no_log_reason: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("accessLogViewer")
        self.setWindowTitle("Access log")
        self.resize(900, 560)
        self.access_log = access_log
        self.runner = runner
        self._channel = runner.channel(CHANNEL, self)
        self._verify_channel = runner.channel(CHANNEL + "-verify", self)
        self._export_channel = runner.channel(CHANNEL + "-export", self)
        layout = QVBoxLayout(self)
        self.status = QLabel("")
        self.status.setObjectName("accessLogStatus")
        self.status.setWordWrap(True)
        if access_log is None:
            self.status.setText(f"{NO_LOG_REASON} {no_log_reason}".strip())
            layout.addWidget(self.status)
            layout.addStretch(1)
            close = QPushButton("Close")
            close.clicked.connect(self.reject)
            layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
            return

        intro = QLabel("Every case opened, attachment previewed, saved or opened, export, search, sync, lock and "
                       "unlock on this computer for this profile. Each entry holds the hash of the one before it, "
                       "so a changed or removed entry shows when the chain is checked.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        filters = QHBoxLayout()
        self.case_edit = QLineEdit()
        self.case_edit.setPlaceholderText("Short ID (CV-…) or case ID")
        self.case_edit.setClearButtonEnabled(True)
        accessible.name(self.case_edit, "Case id", "Show only the entries of this case")
        self.case_edit.returnPressed.connect(self.reload)
        self.action_combo = QComboBox()
        self.action_combo.addItem("All actions", None)
        for action, label in ACTION_LABELS.items():
            self.action_combo.addItem(label, action)
        self.action_combo.currentIndexChanged.connect(self.reload)
        # The dates are always there to pick: picking one turns the range on (ticks "From"),
        # unticking shows every date again. A greyed range read as "not available".
        accessible.name(self.action_combo, "Action", "Show only entries of this action")
        self.date_check = QCheckBox("From")
        self.date_check.setToolTip("Only entries between these days (local time); untick for every date")
        self.from_edit = QDateEdit(QDate.currentDate().addDays(-30))
        self.to_edit = QDateEdit(QDate.currentDate())
        accessible.name(self.from_edit, "From date")
        accessible.name(self.to_edit, "To date")
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._date_picked)
        self.date_check.toggled.connect(self.reload)
        filters.addWidget(QLabel("Case"))
        filters.addWidget(self.case_edit, 1)
        filters.addWidget(self.action_combo)
        filters.addWidget(self.date_check)
        filters.addWidget(self.from_edit)
        filters.addWidget(QLabel("to"))
        filters.addWidget(self.to_edit)
        layout.addLayout(filters)

        self.model = AccessLogModel(self)
        self.table = QTableView()
        self.table.setObjectName("accessLogTable")
        accessible.name(self.table, "Access log entries")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        # One text line a row, as in the case table: the log is read by scanning many rows.
        self.table.setWordWrap(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.copy_action = QAction("Copy case ID", self.table)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action.triggered.connect(self.copy_case_id)
        self.table.addAction(self.copy_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        self.verify_button = QPushButton("Check the chain")
        self.verify_button.clicked.connect(self.verify)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.clicked.connect(self.ask_export)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        for button in (self.verify_button, self.export_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.reload()

    # -- queries ------------------------------------------------------------------------------

    def _date_picked(self, *_args: object) -> None:
        if self.date_check.isChecked():
            self.reload()
        else:
            self.date_check.setChecked(True)  # reloads through toggled

    def copy_case_id(self) -> str:
        """Copy the selected row's full case id (the list shows the short one); returns it."""
        index = self.table.currentIndex()
        entries = self.model.entries
        case_id = entries[index.row()].case_id if index.isValid() and index.row() < len(entries) else None
        if case_id:
            QGuiApplication.clipboard().setText(case_id)
            self.status.setText(f"Copied the case ID of {self.model.case_text(entries[index.row()])}.")
        return case_id or ""

    def filters(self) -> dict[str, Any]:
        since = until = None
        if self.date_check.isChecked():
            since = datetime.combine(self.from_edit.date().toPython(), time.min).astimezone()
            until = datetime.combine(self.to_edit.date().toPython(), time.min).astimezone() + timedelta(days=1)
        return {
            "action": self.action_combo.currentData(),
            "since": since,
            "until": until,
        }

    def reload(self) -> None:
        if self.access_log is None:
            return
        self.status.setText("Loading…")
        access_log, filters, case_text = self.access_log, self.filters(), self.case_edit.text()
        self.runner.submit(lambda _context: load_entries(access_log, filters, case_text), channel=self._channel,
                           on_result=self._loaded, on_error=lambda f: self.status.setText(f.message))

    def _loaded(self, answer: tuple[list[AccessEntry], dict[str, str]]) -> None:
        entries, short_ids = answer
        self.model.set_entries(entries, short_ids)
        self.status.setText(f"{len(entries):,} entr{'y' if len(entries) == 1 else 'ies'}")
        self.loaded.emit(len(entries))

    def verify(self) -> None:
        self.status.setText("Checking the chain…")
        access_log = self.access_log
        self.runner.submit(lambda _context: access_log.verify(), channel=self._verify_channel,
                           on_result=self._verified, on_error=lambda f: self.status.setText(f.message))

    def _verified(self, result) -> None:  # noqa: ANN001 - VerifyResult
        if result.ok:
            self.status.setText(f"The chain is intact ({result.checked:,} entries).")
        else:
            self.status.setText(f"The chain is broken at entry {result.broken_seq}: {result.reason}.")
        self.verified.emit(result)

    def ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export access log", "access-log.csv", "CSV files (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        entries = list(self.model.entries)
        self.runner.submit(lambda _context: write_csv(path, entries), channel=self._export_channel,
                           on_result=self._exported, on_error=lambda f: self.status.setText(f.message))

    def _exported(self, path: str) -> None:
        self.status.setText(f"Exported to {path}")
        self.exported.emit(path)


__all__ = ["AccessLogViewer", "action_label", "load_entries", "write_csv"]
