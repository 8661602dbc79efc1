""""Open case…" (Ctrl+L): ask for a case ID, a short ID (CV-000005) or a submitter email.

The dialog collects and validates; Open emits ``lookup_requested`` and the dialog stays open,
busy, while the main window looks the case up on a worker. Found: the window calls ``found()``
and the dialog closes. Not found (or any failure): ``show_failure(message)`` says why in the
dialog, keeping what was typed, and the window's selection and pane are left as they were.
Typing an ``@`` switches to email, so the reviewer can just paste.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
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
from caseviewer.ui import accessible
from caseviewer.ui.guard import guarded
from caseviewer.ui import theme

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
    #: Open was pressed with a valid entry: a ``CaseLookup`` for the window to look up.
    lookup_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, allow_email: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open case")
        self.setObjectName("openCaseDialog")
        self.setMinimumWidth(460)

        self._busy = False
        self.by_id = QRadioButton("Case ID or short ID")
        self.by_email = QRadioButton("Submitter email")
        self.by_id.setChecked(True)
        self.by_email.setEnabled(allow_email)
        group = QButtonGroup(self)
        group.addButton(self.by_id)
        group.addButton(self.by_email)

        self.edit = QLineEdit()
        self.edit.setObjectName("openCaseInput")
        self.edit.setPlaceholderText("e.g. 3f2b6c1e-…  or  CV-000123  or  name@example.org")
        self.edit.setClearButtonEnabled(True)
        accessible.name(self.edit, "Case to open", "A case ID, a short ID (CV-…) or the submitter's email")

        self.problem = QLabel()
        self.problem.setObjectName("openCaseProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet(self._problem_style())
        self.problem.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        kinds = QHBoxLayout()
        kinds.addWidget(self.by_id)
        kinds.addWidget(self.by_email)
        kinds.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Open a case by its ID, its short ID (as in the case header) or the submitter's email."))
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
        if self._busy:
            return
        problem = validate(self.kind, self.edit.text())
        self._say(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(self.lookup() is not None)

    def _say(self, problem: str) -> None:
        self.problem.setStyleSheet(self._problem_style())
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))

    @guarded
    def accept(self) -> None:
        """Open: ask the window to look the case up; the dialog stays until ``found()``."""
        lookup = self.lookup()
        if lookup is None or self._busy:
            return
        self.set_busy(True)
        self.lookup_requested.emit(lookup)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.edit.setReadOnly(busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(not busy and self.lookup() is not None)
        if busy:
            self._say("Looking up the case…")
            self.problem.setStyleSheet("")  # a notice, not a problem

    @staticmethod
    def _problem_style() -> str:
        return f"color: {theme.css('error')};"

    def found(self) -> None:
        """The case was found and shown: close."""
        self._busy = False
        super().accept()

    def show_failure(self, message: str) -> None:
        """The lookup failed: say why here, keep the text for correcting it."""
        self.set_busy(False)
        self._say(message)
        self.adjustSize()  # grow to show the whole (wrapped) message
        self.edit.setFocus()


__all__ = ["BY_EMAIL", "BY_ID", "CaseLookup", "OpenCaseDialog", "validate"]
