"""Find in cached cases: full-text search over everything in the offline cache (FTS5).

Finds a case by any word in its comments, notes, decisions, form answers or names, online or
offline. The query runs on a worker; typing supersedes the previous query, so only the newest
answer is shown. Snippets are service text and shown as plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from caseviewer.ui import formatting as fmt
from caseviewer.ui.cache_actions import CachedHit, search_cached_text
from caseviewer.ui.guard import guarded

SEARCH_CHANNEL = "cached-text-search"
DEBOUNCE_MS = 250
_COLUMNS = ("Business", "Applicant", "Matching text", "Case ID")


class TextSearchDialog(QDialog):
    """Type words, see matching cached cases; Enter or double-click opens one (``case_chosen``)."""

    case_chosen = Signal(str)

    def __init__(self, runner, repository, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find in cached cases")
        self.resize(820, 460)
        self.runner = runner
        self.repository = repository
        self.query = QLineEdit()
        self.query.setPlaceholderText("Words from comments, notes, decisions, answers or names")
        self.query.setClearButtonEnabled(True)
        self.status = QLabel("Searches every case kept in the offline cache.")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # error messages may quote service text
        self.results = QTableWidget(0, len(_COLUMNS))
        self.results.setHorizontalHeaderLabels(_COLUMNS)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.verticalHeader().hide()
        self.results.setWordWrap(False)
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 190), (1, 140), (3, 110)):
            header.resizeSection(column, width)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self._debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search_now)
        self.query.textChanged.connect(lambda _text: self._debounce.start())
        self.query.returnPressed.connect(self._open_current)
        self.results.cellActivated.connect(lambda row, _col: self._open_row(row))

    def search_now(self) -> None:
        text = self.query.text().strip()
        if not text:
            self.runner.cancel(SEARCH_CHANNEL)
            self._show([])
            self.status.setText("Searches every case kept in the offline cache.")
            return
        self.status.setText("Searching…")
        self.runner.submit(
            search_cached_text,
            self.repository,
            text,
            channel=SEARCH_CHANNEL,
            on_result=self._show_results,
            on_error=lambda failure: self.status.setText(failure.message),
        )

    def _show_results(self, hits: list[CachedHit]) -> None:
        self._show(hits)
        count = len(hits)
        self.status.setText("No cached case contains these words." if not count else f"{count:,} cached case{'s' if count != 1 else ''}")

    def _show(self, hits: list[CachedHit]) -> None:
        self.results.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            values = (hit.business_name or "—", hit.applicant or "—", hit.snippet, hit.case_id)
            for column, value in enumerate(values):
                # Cell text is plain; bidi and control characters are made visible, and the
                # tooltip (which Qt would render as rich text) goes through the one escaping helper.
                item = QTableWidgetItem(fmt.clean(value))
                item.setToolTip(fmt.plain_tooltip(value))
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, hit.case_id)
                self.results.setItem(row, column, item)
        if hits:
            self.results.selectRow(0)

    def _open_current(self) -> None:
        if self.results.rowCount():
            self._open_row(max(0, self.results.currentRow()))

    def _open_row(self, row: int) -> None:
        item = self.results.item(row, 0)
        if item is not None:
            self.case_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    @guarded
    def done(self, result: int) -> None:
        self.runner.cancel(SEARCH_CHANNEL)
        super().done(result)
