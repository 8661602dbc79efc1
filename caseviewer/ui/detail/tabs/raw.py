"""Raw tab: the case detail JSON exactly as received, pretty-printed, with a find bar.

Built only when the tab is first shown (``DetailTab`` renders lazily). Inline attachment bodies
(``content``) can be tens of megabytes of base64, so they are replaced by a short marker such as
``<base64, 1.2 MB>``, and a document still over ``MAX_CHARS`` is cut with a note saying so.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton, QWidget

from caseviewer.core.models import CaseDetail
from caseviewer.core.privacy import MASK_STATE
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.tabs.base import DetailTab
from caseviewer.ui.detail.widgets import SPACING, monospace_font, text_label

MAX_CHARS = 1_000_000
#: ``content`` strings shorter than this are shown as they are (they are not worth hiding).
INLINE_CONTENT_CHARS = 80


def abbreviate(value: Any) -> Any:
    """A copy of ``value`` with long base64 ``content`` strings replaced by a size marker."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "content" and isinstance(item, str) and len(item) > INLINE_CONTENT_CHARS:
                out[key] = f"<base64, {fmt.human_size(len(item) * 3 // 4)}>"
            else:
                out[key] = abbreviate(item)
        return out
    if isinstance(value, list):
        return [abbreviate(item) for item in value]
    return value


def raw_text(raw: dict[str, Any]) -> tuple[str, str]:
    """(pretty JSON, note for the reviewer) for a raw detail object."""
    text = json.dumps(abbreviate(raw), indent=2, ensure_ascii=False, default=str)
    note = "Attachment contents are abbreviated."
    if len(text) > MAX_CHARS:
        note = (f"Showing the first {fmt.human_size(MAX_CHARS)} of {fmt.human_size(len(text))}; "
                "attachment contents are abbreviated.")
        text = text[:MAX_CHARS] + "\n… (truncated)"
    return text, note


class RawTab(DetailTab):
    TITLE = "Raw"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bar = QHBoxLayout()
        bar.setContentsMargins(SPACING, 8, SPACING, 8)
        self.find = QLineEdit()
        self.find.setPlaceholderText("Find in JSON")
        self.find.setClearButtonEnabled(True)
        self.find.setMaximumWidth(320)
        self.find.returnPressed.connect(lambda: self.find_next())
        self.next_button = QPushButton("Next")
        self.next_button.clicked.connect(lambda: self.find_next())
        self.previous_button = QPushButton("Previous")
        self.previous_button.clicked.connect(lambda: self.find_next(backward=True))
        self.note = text_label("", muted=True, selectable=False)
        self._note = ""
        bar.addWidget(self.find)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        bar.addWidget(self.note, 1)
        self.layout_.addLayout(bar)
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.view.setFont(monospace_font())
        self.layout_.addWidget(self.view)
        # Only while focus is inside this tab: elsewhere Ctrl+F belongs to the case-list search.
        shortcut = QShortcut(QKeySequence.StandardKey.Find, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.find.setFocus)

    def render(self, detail: CaseDetail) -> None:
        if not detail.raw:
            self.view.setPlainText("")
            self._note = "The service's raw JSON is not available for this case."
            self.note.setText(self._note)
            return
        text, note = raw_text(detail.raw)
        if MASK_STATE.active:  # JSON escapes free text (quotes, newlines): hide it all, not term by term
            text, note = "", "The raw JSON is hidden while privacy mode is on (Ctrl+Shift+M)."
        self.view.setPlainText(text)
        self._note = note
        self.note.setText(note)

    def find_next(self, *, backward: bool = False) -> bool:
        needle = self.find.text()
        if not needle:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.view.find(needle, flags):
            self.note.setText(self._note)
            return True
        # Wrap around once from the other end.
        cursor = self.view.textCursor()
        cursor.movePosition(cursor.MoveOperation.End if backward else cursor.MoveOperation.Start)
        self.view.setTextCursor(cursor)
        found = self.view.find(needle, flags)
        self.note.setText(self._note if found else f"Not found: {fmt.elide(needle, 60)}")
        return found
