"""The reviewer's own flag and private note on the case page: one line under the case's title.

Shown only when the case has a flag or a note (``core.reviewer_state``); the note's first line
is elided there and given whole in the tooltip. Privacy mode masks the note like any free text.
The triage controller fills it (``DetailPane.show_annotation``); Ctrl+Shift+N edits both.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from caseviewer.core.privacy import FieldKind, mask_field
from caseviewer.core.reviewer_state import CaseTriage
from caseviewer.ui import formatting as fmt
from caseviewer.ui.triage.marks import flag_icon

NOTE_PREVIEW_CHARS = 140


def annotation_text(triage: CaseTriage) -> str:
    """"Your flag: Follow up · Your private note: …" (empty when there is neither)."""
    pieces = []
    if triage.flag is not None:
        pieces.append(f"Your flag: {triage.flag.label}")
    if triage.note:
        note = mask_field(FieldKind.FREE_TEXT, triage.note) or ""
        pieces.append(f"Your private note: {fmt.one_line(note, NOTE_PREVIEW_CHARS)}")
    return " · ".join(pieces)


class AnnotationStrip(QFrame):
    """The flag's colour and the one line; hidden when the case has no flag and no note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewerAnnotation")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # the reviewer's words, never markup
        row.addWidget(self.icon)
        row.addWidget(self.text, 1)
        self.hide()

    def show_triage(self, triage: CaseTriage | None) -> None:
        text = annotation_text(triage) if triage is not None else ""
        if not text:
            self.hide()
            return
        if triage.flag is not None:
            self.icon.setPixmap(flag_icon(triage.flag).pixmap(12, 12))
        self.icon.setVisible(triage.flag is not None)
        self.text.setText(text)
        note = mask_field(FieldKind.FREE_TEXT, triage.note) or ""
        tip = "\n\n".join(p for p in (f"Flag: {triage.flag.label}" if triage.flag else "", note) if p)
        self.setToolTip(fmt.plain_tooltip(tip + "\n\nKept on this computer only (Ctrl+Shift+N edits it)."))
        self.show()


__all__ = ["AnnotationStrip", "annotation_text"]
