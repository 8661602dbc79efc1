"""The text viewer: plain text, CSV and JSON in a read-only monospace editor with a find bar.

Text from an attachment is shown as plain text only (never rich text: it is untrusted). Ctrl+F
opens the find bar inside the preview; Enter / Shift+Enter (or F3 / Shift+F3) go to the next and
previous match, Escape closes it. Decoding, JSON pretty-printing and truncation happen on the
worker (``core.decode.prepare_text``); a truncated text says so above the editor.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from caseviewer.core.decode import TextPreview
from caseviewer.ui.preview.common import add_shortcuts, tool_button, toolbar_row
from caseviewer.ui.guard import guarded
from caseviewer.ui.zoom import set_relative_font

FIND_KEYS = ("Ctrl+F",)


class _FindField(QLineEdit):
    """Enter finds forward, Shift+Enter backward, Escape closes: what every find bar does."""

    forward = Signal()
    backward = Signal()
    escape = Signal()

    @guarded
    def keyPressEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt naming
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            (self.backward if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else self.forward).emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape.emit()
            return
        super().keyPressEvent(event)


class TextViewer(QWidget):
    """Shows text. ``set_text(preview, wrap=...)``; ``find(text)`` selects the next match."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = QPlainTextEdit()
        self._editor.setReadOnly(True)
        self._editor.setFrameShape(QFrame.Shape.NoFrame)
        set_relative_font(self._editor, monospace=True)
        self._editor.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self._editor.setUndoRedoEnabled(False)  # read-only: the undo stack would only cost memory
        self._editor.document().setDocumentMargin(10)

        self._note = QLabel()
        self._note.setTextFormat(Qt.TextFormat.PlainText)
        self._note.setObjectName("previewBanner")
        self._note.setWordWrap(True)
        self._note.setContentsMargins(10, 6, 10, 6)
        self._note.hide()

        self._field = _FindField()
        self._field.setPlaceholderText("Find in this file")
        self._field.setClearButtonEnabled(True)
        self._field.textChanged.connect(self._find_as_you_type)
        self._field.forward.connect(self.find_next)
        self._field.backward.connect(self.find_previous)
        self._field.escape.connect(self.close_find)
        self._status = QLabel()
        self._status.setTextFormat(Qt.TextFormat.PlainText)
        self._status.setObjectName("previewMuted")
        self._status.setMinimumWidth(90)
        self._find_bar = toolbar_row(
            self._field,
            tool_button("chevron-left", "Previous match", self.find_previous, ("Shift+F3",)),
            tool_button("chevron-right", "Next match", self.find_next, ("F3",)),
            6,
            self._status,
            tool_button("", "Close the find bar", self.close_find, ("Esc",), text="Done"),
        )
        self._find_bar.hide()

        self._summary = QLabel()
        self._summary.setTextFormat(Qt.TextFormat.PlainText)
        self._summary.setObjectName("previewMuted")
        self._tool_bar = toolbar_row(
            tool_button("search", "Find in this file", self.open_find, FIND_KEYS, text="Find"),
            None,
            self._summary,
        )

        self.setFocusProxy(self._editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._tool_bar)
        layout.addWidget(self._note)
        layout.addWidget(self._find_bar)
        layout.addWidget(self._editor, 1)

        add_shortcuts(self, FIND_KEYS, self.open_find)
        add_shortcuts(self, ("F3",), self.find_next)
        add_shortcuts(self, ("Shift+F3",), self.find_previous)

    # -- content ---------------------------------------------------------------------------

    def set_text(self, preview: TextPreview, *, wrap: bool = True) -> None:
        self._editor.setLineWrapMode(
            QPlainTextEdit.LineWrapMode.WidgetWidth if wrap else QPlainTextEdit.LineWrapMode.NoWrap
        )
        self._editor.setPlainText(preview.text)
        self._note.setText(preview.note)
        self._note.setVisible(bool(preview.note))
        # A new file starts without the last file's search (the query stays for the next Ctrl+F).
        self._find_bar.hide()
        self._status.clear()
        text = preview.text
        lines = text.count("\n") + (0 if not text or text.endswith("\n") else 1)
        self._summary.setText(f"{lines:,} line" + ("" if lines == 1 else "s"))

    def text(self) -> str:
        return self._editor.toPlainText()

    def note(self) -> str:
        return self._note.text() if not self._note.isHidden() else ""

    def editor(self) -> QPlainTextEdit:
        return self._editor

    def selected_text(self) -> str:
        return self._editor.textCursor().selectedText()

    # -- find ------------------------------------------------------------------------------

    def open_find(self) -> None:
        self._find_bar.show()
        selected = self.selected_text()
        if selected and "\u2029" not in selected:  # seed with a one-line selection
            self._field.setText(selected)
        self._field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._field.selectAll()

    def close_find(self) -> None:
        self._find_bar.hide()
        self._status.clear()
        self._editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def find_bar_visible(self) -> bool:
        return not self._find_bar.isHidden()

    def find_status(self) -> str:
        return self._status.text()

    def find(self, text: str) -> bool:
        """Put ``text`` in the find bar and select its first match from the cursor on."""
        self._find_bar.show()
        self._field.setText(text)  # textChanged runs the search
        return bool(self.selected_text())

    def find_next(self) -> bool:
        return self._search(backward=False)

    def find_previous(self) -> bool:
        return self._search(backward=True)

    def _find_as_you_type(self, _text: str) -> None:
        # Search again from the start of the current match so typing more letters narrows it.
        cursor = self._editor.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self._editor.setTextCursor(cursor)
        self._search(backward=False)

    def _search(self, *, backward: bool) -> bool:
        needle = self._field.text()
        if not needle:
            self._status.clear()
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        found = self._editor.find(needle, flags)
        if not found:
            # Wrap around once, like browsers and editors do.
            cursor = self._editor.textCursor()
            cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
            self._editor.setTextCursor(cursor)
            found = self._editor.find(needle, flags)
        self._status.setText("" if found else "No matches")
        return found
