"""Find in cached cases: full-text search over everything in the offline cache (FTS5).

Finds a case by any word in its comments, notes, decisions, form answers or names, online or
offline. The query runs on a worker; typing supersedes the previous query, so only the newest
answer is shown. Snippets are service text: the matched words are highlighted by a delegate that
escapes every piece first and adds markup only around the matches (``highlight_html``), and the
status line says when the results were cut at ``limit``.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from caseviewer.ui import accessible
from caseviewer.ui import formatting as fmt
from caseviewer.core.cached_search import CachedHit, CachedSearch
from caseviewer.ui.guard import guarded

SEARCH_CHANNEL = "cached-text-search"
DEBOUNCE_MS = 250
_COLUMNS = ("Business", "Applicant", "Matching text", "Case ID")
SNIPPET_COLUMN = 2
#: The snippet's (text, is_match) pieces, for the highlighting delegate.
PARTS_ROLE = Qt.ItemDataRole.UserRole + 1
DEFAULT_LIMIT = 200


def _flat(text: str) -> str:
    return fmt.clean(text).replace("\r", " ").replace("\n", " ")


def snippet_text(parts) -> str:  # noqa: ANN001 - tuple of (str, bool)
    """The snippet as plain text (what the cell holds for copying and accessibility)."""
    return "".join(_flat(piece) for piece, _match in parts)


def highlight_html(parts, color: str) -> str:  # noqa: ANN001 - tuple of (str, bool)
    """Every piece escaped first (service text is never markup); matches then wrapped in a tint."""
    out = []
    for piece, is_match in parts:
        text = html.escape(_flat(piece))
        out.append(f'<span style="background-color:{color}; font-weight:600">{text}</span>' if is_match else text)
    return "".join(out)


class _HighlightDelegate(QStyledItemDelegate):
    """Paints a snippet with its matched words highlighted, on one line."""

    @guarded
    def paint(self, painter, option, index) -> None:  # noqa: ANN001 - Qt signature
        try:
            parts = index.data(PARTS_ROLE)
            if not parts:
                super().paint(painter, option, index)
                return
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = ""
            widget = opt.widget
            style = widget.style() if widget is not None else QApplication.style()
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
            rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
            selected = bool(opt.state & QStyle.StateFlag.State_Selected)
            palette = opt.palette
            tint = palette.color(QPalette.ColorRole.Highlight)
            tint.setAlpha(255 if selected else 70)
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(opt.font)
            text_option = QTextOption()
            text_option.setWrapMode(QTextOption.WrapMode.NoWrap)
            doc.setDefaultTextOption(text_option)
            doc.setHtml(highlight_html(parts, tint.name(tint.NameFormat.HexArgb) if not selected else "transparent"))
            context = QAbstractTextDocumentLayout.PaintContext()
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            context.palette.setColor(QPalette.ColorRole.Text, palette.color(role))
            painter.save()
            painter.setClipRect(rect)
            painter.translate(rect.left() + 2, rect.top() + max(0.0, (rect.height() - doc.size().height()) / 2))
            doc.documentLayout().draw(painter, context)
            painter.restore()
        except Exception:  # never let a paint override abort the process
            pass


class TextSearchDialog(QDialog):
    """Type words, see matching cached cases; Enter or double-click opens one (``case_chosen``)."""

    case_chosen = Signal(str)

    def __init__(self, runner, repository, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find in cached cases")
        self.resize(820, 460)
        self.runner = runner
        self._channel = runner.channel(SEARCH_CHANNEL, self)
        self.repository = repository
        self.query = QLineEdit()
        self.query.setPlaceholderText("Words from comments, notes, decisions, answers or names")
        self.query.setClearButtonEnabled(True)
        accessible.name(self.query, "Words to find", "Words from comments, notes, decisions, answers or names")
        self.status = QLabel("Searches every case kept in the offline cache.")
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # error messages may quote service text
        self.results = QTableWidget(0, len(_COLUMNS))
        self.results.setHorizontalHeaderLabels(_COLUMNS)
        accessible.name(self.results, "Matching cases", "Enter opens the selected case")
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.verticalHeader().hide()
        self.results.setWordWrap(False)
        self.results.setItemDelegateForColumn(SNIPPET_COLUMN, _HighlightDelegate(self.results))
        #: At most this many cases are shown; the status line says when more matched.
        self.limit = DEFAULT_LIMIT
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
        self._debounce.stop()  # Enter (or a test) searched already: the typing pause adds nothing
        text = self.query.text().strip()
        if not text:
            self.runner.cancel(self._channel)
            self._show([])
            self.status.setText("Searches every case kept in the offline cache.")
            return
        self.status.setText("Searching…")
        repository, limit = self.repository, self.limit
        self.runner.submit(
            lambda context: repository.find_cached(text, limit=limit, cancel=context.cancel),
            channel=self._channel,
            on_result=self._show_results,
            on_error=lambda failure: self.status.setText(failure.message),
        )

    def _show_results(self, found: CachedSearch) -> None:
        hits = found.hits
        self._show(hits)
        count = len(hits)
        if not count:
            self.status.setText("No cached case contains these words.")
        elif found.capped:
            self.status.setText(
                f"Showing the first {count:,} matching cached cases, best first; more match. "
                "Add words to narrow the search."
            )
        else:
            self.status.setText(f"{count:,} cached case{'s' if count != 1 else ''}")

    def _show(self, hits: list[CachedHit]) -> None:
        self.results.setRowCount(len(hits))
        for row, hit in enumerate(hits):
            parts = hit.parts or ((hit.snippet, False),)
            values = (hit.business_name or "—", hit.applicant or "—", snippet_text(parts), hit.case_id)
            for column, value in enumerate(values):
                # Cell text is plain; bidi and control characters are made visible, and the
                # tooltip (which Qt would render as rich text) goes through the one escaping helper.
                item = QTableWidgetItem(fmt.clean(value))
                item.setToolTip(fmt.plain_tooltip(value))
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, hit.case_id)
                if column == SNIPPET_COLUMN:
                    item.setData(PARTS_ROLE, parts)
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
        self.runner.cancel(self._channel)
        super().done(result)
