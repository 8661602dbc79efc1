"""The questions an export asks: where to write, and a confirmation that names the PHI risk.

``ExportDialogs`` is the one place these are asked, so tests replace its methods to answer
without a modal dialog. The last folder used is remembered in ``ui.ini`` (a folder, never a file
name: a file name may carry a case's short id or a patient's name).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QCheckBox, QFileDialog, QMessageBox, QWidget

_FOLDER_KEY = "export/last_folder"


class ExportFolder:
    """The last export folder, in the same ``ui.ini`` as the window layout."""

    def __init__(self, settings_path: Path) -> None:
        self._qs = QSettings(str(settings_path), QSettings.Format.IniFormat)

    def get(self) -> str:
        value = self._qs.value(_FOLDER_KEY, "")
        if isinstance(value, str) and value and Path(value).is_dir():
            return value
        for location in (QStandardPaths.StandardLocation.DocumentsLocation, QStandardPaths.StandardLocation.DownloadLocation):
            path = QStandardPaths.writableLocation(location)
            if path:
                return path
        return str(Path.home())

    def remember(self, file_path: str) -> None:
        self._qs.setValue(_FOLDER_KEY, str(Path(file_path).parent))
        self._qs.sync()


@dataclass(frozen=True)
class Confirmed:
    accepted: bool
    option: bool = False  # "include attachments" (PDF) or "all pages" (CSV)


class ExportDialogs:
    """Subclass or replace methods to answer without dialogs (tests)."""

    def save_path(self, parent: QWidget | None, title: str, suggested: str, file_filter: str) -> str | None:
        path, _filter = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
        return path or None

    def confirm(self, parent: QWidget | None, *, title: str, what: str, destination: str,
                option_text: str = "", option_default: bool = False) -> Confirmed:
        box = QMessageBox(parent)
        box.setObjectName("exportConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"{what} contains protected health information (PHI).")
        box.setInformativeText(
            f"It will be written, unencrypted, to:\n{destination}\n\n"
            "The file is readable only by your account, but anyone who gets a copy of it can read it. "
            "Share it only with people entitled to see this case, and delete it when it is no longer needed."
        )
        option = None
        if option_text:
            option = QCheckBox(option_text)
            option.setChecked(option_default)
            box.setCheckBox(option)
        export = box.addButton("Export", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return Confirmed(box.clickedButton() is export, bool(option and option.isChecked()))

    def report_error(self, parent: QWidget | None, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()


__all__ = ["Confirmed", "ExportDialogs", "ExportFolder"]
