"""The crash dialog: a bug's report (versions and stack, no case data) with a Copy button."""

from __future__ import annotations

import platform
import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from caseviewer import __version__
from caseviewer.ui.workers import TaskFailure


def crash_report(failure: TaskFailure) -> str:
    """Versions and the stack of a bug; no case data (the exception message is left out)."""
    return "\n".join(
        [
            "caseviewer crash report",
            f"caseviewer {__version__}",
            f"Python {platform.python_version()} ({sys.implementation.name})",
            f"Qt {qVersion()} / PySide6 {pyside_version}",
            f"Platform {platform.platform()}",
            f"Request channel: {failure.channel or '-'}",
            "",
            failure.traceback.rstrip() or type(failure.exception).__name__,
        ]
    )


class CrashDialog(QDialog):
    """Shows a bug's report with a Copy button; later bugs are appended while it is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("caseviewer hit a bug")
        self.resize(640, 420)
        intro = QLabel(
            "Something went wrong inside caseviewer. This is a bug, not something you did.\n"
            "Copy the report below and send it to support. It holds no case data."
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy report", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.text.toPlainText()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

    def add_report(self, report: str) -> None:
        if self.text.toPlainText():
            self.text.appendPlainText("\n" + "-" * 60 + "\n")
        self.text.appendPlainText(report)


__all__ = ["CrashDialog", "crash_report"]
