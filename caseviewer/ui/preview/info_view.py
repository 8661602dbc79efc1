"""What the preview shows when it cannot show the file itself: the facts and a way out.

Used for types without a viewer (name, type, size, uploader, date, with Save), and for every
failure (a damaged or oversized image, a damaged PDF, bad base64, a failed or cancelled download),
where the message comes first and Save / Retry stay at hand. All text is plain text.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from caseviewer.ui import icons
from caseviewer.ui.word_label import WordLabel, has_long_piece
from caseviewer.ui.zoom import set_relative_font


class InfoView(QWidget):
    save_clicked = Signal()
    open_clicked = Signal()
    retry_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._icon = QLabel()
        self._icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._title = WordLabel()  # a file name may be one long word: it wraps, never cut
        self._title.setObjectName("previewInfoTitle")
        set_relative_font(self._title, scale=1.15, bold=True)  # follows the zoom (no fixed px size)
        self._title.setTextFormat(Qt.TextFormat.PlainText)
        self._title.setWordWrap(True)
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message = WordLabel()
        self._message.setObjectName("previewMessage")
        self._message.setTextFormat(Qt.TextFormat.PlainText)
        self._message.setWordWrap(True)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self._facts = QFormLayout()
        self._facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self._facts.setHorizontalSpacing(14)
        self._facts.setVerticalSpacing(4)
        facts_box = QWidget()
        facts_box.setLayout(self._facts)

        self._save = QPushButton(icons.icon("save"), "Save…")
        self._save.setDefault(True)
        self._save.clicked.connect(self.save_clicked)
        self._open = QPushButton(icons.icon("open-external"), "Open with system app…")
        self._open.clicked.connect(self.open_clicked)
        self._retry = QPushButton(icons.icon("refresh"), "Try again")
        self._retry.clicked.connect(self.retry_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self._retry, self._save, self._open):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(10)
        layout.addStretch(2)
        layout.addWidget(self._icon)
        layout.addWidget(self._title)
        layout.addWidget(self._message)
        layout.addSpacing(6)
        layout.addWidget(facts_box, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(10)
        layout.addLayout(buttons)
        layout.addStretch(3)

    def show_info(self, title: str, facts: list[tuple[str, str]], *, message: str = "", error: bool = False,
                  can_save: bool = True, can_retry: bool = False) -> None:
        self._icon.setPixmap(icons.icon("warning" if error else "attachment").pixmap(40, 40))
        self._title.setText(title)
        self._message.setText(message)
        self._message.setVisible(bool(message))
        self._message.setProperty("error", error)
        while self._facts.rowCount():
            self._facts.removeRow(0)
        for label, value in facts:
            field = WordLabel(value)
            field.setTextFormat(Qt.TextFormat.PlainText)
            field.setWordWrap(has_long_piece(value))  # a long unbroken value wraps, not widens the pane
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            name = QLabel(label)
            name.setTextFormat(Qt.TextFormat.PlainText)
            name.setObjectName("previewMuted")
            self._facts.addRow(name, field)
        self._save.setVisible(can_save)
        self._open.setVisible(can_save)
        self._retry.setVisible(can_retry)

    def message(self) -> str:
        return self._message.text() if not self._message.isHidden() else ""

    def title(self) -> str:
        return self._title.text()

    def facts(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for row in range(self._facts.rowCount()):
            label = self._facts.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            value = self._facts.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
            found[label.text()] = value.text()
        return found
