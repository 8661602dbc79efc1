"""The connection test's answer: one line per half (case list, case detail), each in its colour.

The profile dialog and Manage profiles show the same two lines the same way. They sit together
(2 px apart, like one short paragraph) and each keeps room for one line from the start, so the
buttons beside or below them do not move when the answer comes; a longer answer wraps.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from caseviewer.ui import theme

#: (text, ok): ``ok`` True is green, False red, None the plain text colour (a "Testing…" line).
Line = tuple[str, "bool | None"]


class ConnectionResults(QWidget):
    """Two selectable plain-text lines; ``show_lines`` fills them in order, the rest go blank."""

    def __init__(self, names: tuple[str, str] = ("list_result", "detail_result"), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.labels: list[QLabel] = []
        for name in names:
            label = QLabel(objectName=name)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            label.setMinimumHeight(label.fontMetrics().lineSpacing())
            layout.addWidget(label)
            self.labels.append(label)
        layout.addStretch(1)

    def show_lines(self, lines: list[Line]) -> None:
        for index, label in enumerate(self.labels):
            text, ok = lines[index] if index < len(lines) else ("", None)
            label.setText(text)
            label.setStyleSheet(
                f"color: {theme.css('error')};" if ok is False else f"color: {theme.css('ok')};" if ok else ""
            )

    def text(self) -> str:
        """The lines as shown (the empty ones left out)."""
        return "\n".join(label.text() for label in self.labels if label.text())


__all__ = ["ConnectionResults", "Line"]
