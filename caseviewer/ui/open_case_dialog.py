""""Open case…" (Ctrl+L): ask for a case ID or a submitter email, and check it looks like one.

The dialog only collects and validates; the main window loads the case on a worker and shows it
in the detail pane. Typing an ``@`` switches to email, so the reviewer can just paste.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)
from caseviewer.ui.guard import guarded

BY_ID = "id"
BY_EMAIL = "email"

_CASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class CaseLookup:
    kind: str  # BY_ID or BY_EMAIL
    value: str


def validate(kind: str, text: str) -> str:
    """An empty string when ``text`` is acceptable, else what is wrong with it."""
    text = text.strip()
    if not text:
        return ""  # nothing typed yet: no complaint, but OK stays disabled
    if kind == BY_EMAIL:
        return "" if _EMAIL.match(text) else "That does not look like an email address."
    if "@" in text:
        return "That looks like an email address: choose “Submitter email”."
    return "" if _CASE_ID.match(text) else "A case ID has only letters, digits, '-' and '_'."


class OpenCaseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, allow_email: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open case")
        self.setObjectName("openCaseDialog")
        self.setMinimumWidth(460)

        self.by_id = QRadioButton("Case ID")
        self.by_email = QRadioButton("Submitter email")
        self.by_id.setChecked(True)
        self.by_email.setEnabled(allow_email)
        group = QButtonGroup(self)
        group.addButton(self.by_id)
        group.addButton(self.by_email)

        self.edit = QLineEdit()
        self.edit.setObjectName("openCaseInput")
        self.edit.setPlaceholderText("e.g. 3f2b6c1e-…  or  name@example.org")
        self.edit.setClearButtonEnabled(True)

        self.problem = QLabel()
        self.problem.setObjectName("openCaseProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #9e1c1c;")
        self.problem.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        kinds = QHBoxLayout()
        kinds.addWidget(self.by_id)
        kinds.addWidget(self.by_email)
        kinds.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Open a case by its ID or by the submitter's email address."))
        layout.addLayout(kinds)
        layout.addWidget(self.edit)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self.edit.textChanged.connect(self._text_changed)
        self.by_id.toggled.connect(self._revalidate)
        self._revalidate()

    @property
    def kind(self) -> str:
        return BY_EMAIL if self.by_email.isChecked() else BY_ID

    def lookup(self) -> CaseLookup | None:
        text = self.edit.text().strip()
        if not text or validate(self.kind, text):
            return None
        return CaseLookup(self.kind, text)

    def _text_changed(self, text: str) -> None:
        if "@" in text and self.by_email.isEnabled() and not self.by_email.isChecked():
            self.by_email.setChecked(True)  # pasted an email: switch, do not nag
        self._revalidate()

    def _revalidate(self) -> None:
        problem = validate(self.kind, self.edit.text())
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(self.lookup() is not None)

    @guarded
    def accept(self) -> None:
        if self.lookup() is None:
            return
        super().accept()


__all__ = ["BY_EMAIL", "BY_ID", "CaseLookup", "OpenCaseDialog", "validate"]
