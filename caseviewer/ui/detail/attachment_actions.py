"""Save, Save all and Open with system app for attachments: the dialogs and the work behind them.

``AttachmentActions`` owns three ``QAction``s (Save… Ctrl+S, Save all… Ctrl+Shift+S, Open with
system app…) for menus and toolbars, and carries them out:

* **Save**: a file dialog proposes the sanitised name (``core.filenames``); the dialog itself
  asks before replacing a file. The bytes are written atomically on a worker (``core.files``).
* **Save all**: a folder dialog, then every name sanitised and made unique within the batch
  (" (2)"), and for each name already in the folder one question: Overwrite / Keep both / Skip,
  with "do this for the rest". Only then does the worker download and write, file by file,
  reporting progress; one failed file does not stop the others.
* **Open with system app**: a confirmation that the file leaves the encrypted store, then a
  copy in the private 0700 temp folder (``core.files.private_temp``) opened with
  ``QDesktopServices``. ``cleanup()`` wipes that folder; the app calls it on quit (an ``atexit``
  hook does too).

All questions go through ``AttachmentDialogs`` so tests (and a future non-modal UI) can answer
them without a real dialog. Bytes a preview already holds are reused instead of downloaded again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QCheckBox, QFileDialog, QMessageBox, QWidget

from caseviewer.core import errors
from caseviewer.core.files import (
    AtomicFile,
    Conflict,
    PlannedSave,
    open_planned,
    plan_saves,
    private_temp,
)
from caseviewer.core.filenames import safe_file_name
from caseviewer.core.models import Attachment
from caseviewer.ui import formatting as fmt
from caseviewer.ui import icons
from caseviewer.ui.preview.loader import Progress, fetch_attachment, fetch_bytes
from caseviewer.ui.workers import TaskFailure, TaskRunner

# -- worker side (no widgets) --------------------------------------------------------------------


@dataclass
class SaveReport:
    """What a save did: files written, names skipped, and names that failed with why."""

    saved: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False


def save_one(repository, attachment: Attachment, path: Path, *, overwrite: bool, data: bytes | None = None,  # noqa: ANN001
             case_id: str | None = None, cancel: threading.Event | None = None,
             progress: Progress | None = None) -> Path:
    """Write one attachment to ``path`` atomically; returns where it landed."""
    atomic = AtomicFile(path, overwrite=overwrite)
    with atomic as sink:
        if data is not None:
            sink.write(data)
        else:
            fetch_attachment(repository, attachment, sink, case_id=case_id, cancel=cancel, progress=progress)
    assert atomic.final_path is not None
    return atomic.final_path


def save_batch(repository, items: list[tuple[Attachment, PlannedSave, bytes | None]], *,  # noqa: ANN001
               case_id: str | None = None, cancel: threading.Event | None = None,
               progress: Progress | None = None) -> SaveReport:
    """Carry out a planned "Save all". Progress counts files: ``(done, total)``."""
    report = SaveReport()
    promised = [plan.target.name for _, plan, _ in items]
    for number, (attachment, plan, data) in enumerate(items):
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        if progress is not None:
            progress(number, len(items))
        if plan.skipped:
            report.skipped.append(plan.target.name)
            continue
        others = promised[:number] + promised[number + 1:]
        try:
            atomic = open_planned(plan, others)
            with atomic as sink:
                if data is not None:
                    sink.write(data)
                else:
                    fetch_attachment(repository, attachment, sink, case_id=case_id, cancel=cancel)
        except errors.Cancelled:
            report.cancelled = True
            break
        except errors.KnownError as exc:
            report.failed.append((plan.target.name, exc.message))
            continue
        assert atomic.final_path is not None
        report.saved.append(atomic.final_path)
    if progress is not None and not report.cancelled:
        progress(len(items), len(items))
    return report


def write_private_copy(repository, attachment: Attachment, *, data: bytes | None = None,  # noqa: ANN001
                       case_id: str | None = None, cancel: threading.Event | None = None,
                       progress: Progress | None = None) -> Path:
    """A copy in the private temp folder, for another application to open."""
    if data is None:
        data = fetch_bytes(repository, attachment, case_id=case_id, cancel=cancel, progress=progress, limit=None)
    return private_temp.write(attachment.file_name, data)


# -- questions -------------------------------------------------------------------------------------


class AttachmentDialogs:
    """The questions the actions ask. Subclass (or replace methods) to answer without dialogs."""

    def save_path(self, parent: QWidget | None, suggested: str) -> str | None:
        path, _filter = QFileDialog.getSaveFileName(parent, "Save attachment", suggested)
        return path or None

    def folder(self, parent: QWidget | None, start: str) -> str | None:
        return QFileDialog.getExistingDirectory(parent, "Save all attachments to", start) or None

    def conflict(self, parent: QWidget | None, name: str, others: int) -> tuple[Conflict | None, bool]:
        """(what to do, apply to the remaining conflicts); (None, _) cancels the whole save."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("File already exists")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"“{name}” already exists in this folder.")
        box.setInformativeText("Replace it, keep both (the new file gets a number), or skip this file?")
        overwrite = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep both", QMessageBox.ButtonRole.AcceptRole)
        skip = box.addButton("Skip", QMessageBox.ButtonRole.RejectRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        apply_all = None
        if others:
            apply_all = QCheckBox(f"Do this for the other {others} conflict" + ("s" if others > 1 else ""))
            box.setCheckBox(apply_all)
        box.exec()
        choice = {overwrite: Conflict.OVERWRITE, keep: Conflict.KEEP_BOTH, skip: Conflict.SKIP}.get(box.clickedButton())
        return choice, bool(apply_all and apply_all.isChecked())

    def confirm_open_external(self, parent: QWidget | None, name: str) -> bool:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Open with another app")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"Open “{name}” in another app?")
        box.setInformativeText(
            "The file leaves CaseViewer's encrypted store: an unencrypted copy is written to a private "
            "temporary folder and deleted when CaseViewer quits. The other app may keep copies of its own "
            "(recent files, autosave)."
        )
        open_button = box.addButton("Open", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is open_button

    def report_error(self, parent: QWidget | None, title: str, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()


# -- the controller --------------------------------------------------------------------------------


def _default_folder() -> str:
    """Downloads, else Documents, else home: the first that exists (a file dialog given a missing
    folder silently opens the current directory instead)."""
    for location in (QStandardPaths.StandardLocation.DownloadLocation, QStandardPaths.StandardLocation.DocumentsLocation):
        path = QStandardPaths.writableLocation(location)
        if path and Path(path).is_dir():
            return path
    return str(Path.home())


class AttachmentActions(QObject):
    """Save / Save all / Open with for the attachments of the case on screen.

    Wire-up: ``set_repository(repo)``; ``set_case(case_id, attachments)`` when a case is shown;
    ``attach_preview(preview)`` so the preview's buttons work and its bytes are reused;
    ``install(widget)`` to scope the shortcuts; ``cleanup()`` on quit.
    """

    #: A one-line result for the status bar ("Saved 6 files to ~/Downloads").
    message = Signal(str)
    #: A save finished: the ``SaveReport``.
    saved = Signal(object)
    #: An operation failed; the message was also shown to the user.
    failed = Signal(str)
    #: A file was handed to the system (its private copy's path).
    opened = Signal(object)
    #: True while a save or an open runs.
    busy_changed = Signal(bool)
    #: Progress of the running operation: bytes for one file, files for Save all (total -1: unknown).
    progress = Signal(int, int)

    def __init__(self, runner: TaskRunner, parent_widget: QWidget | None = None, *,
                 dialogs: AttachmentDialogs | None = None) -> None:
        super().__init__(parent_widget)
        self._runner = runner
        self._parent_widget = parent_widget
        self.dialogs = dialogs or AttachmentDialogs()
        #: How a private copy is handed to the system; replaceable for tests.
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self._repository = None
        self._case_id: str | None = None
        self._attachments: list[Attachment] = []
        self._current: Attachment | None = None
        self._preview = None
        self._folder = ""
        self._settings = None  # UiSettings, once remember_folders() is called
        self._busy = 0

        self.save_action = self._action("save", "&Save attachment…", QKeySequence.StandardKey.Save, self.save)
        self.save_all_action = self._action("save-all", "Save &all attachments…", "Ctrl+Shift+S", self.save_all)
        self.open_action = self._action("open-external", "&Open with system app…", None, self.open_external)
        self._update_actions()

    def _action(self, icon_name: str, text: str, keys, slot: Callable[[], object]) -> QAction:  # noqa: ANN001
        action = QAction(icons.icon(icon_name), text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # -- wiring ------------------------------------------------------------------------------

    def remember_folders(self, settings) -> None:  # noqa: ANN001 - ui.settings_store.UiSettings
        """Start Save / Save all in the last folder used (kept in ``settings`` across runs)."""
        self._settings = settings
        if not self._folder:
            remembered = settings.last_save_folder()
            if remembered and Path(remembered).is_dir():
                self._folder = remembered

    def _start_folder(self) -> str:
        return self._folder if self._folder and Path(self._folder).is_dir() else _default_folder()

    def _used_folder(self, folder: str) -> None:
        self._folder = folder
        settings = getattr(self, "_settings", None)
        if settings is not None:
            settings.save_last_save_folder(folder)

    def install(self, widget: QWidget) -> None:
        """Make the shortcuts work while focus is inside ``widget`` (e.g. the Attachments tab)."""
        widget.addActions([self.save_action, self.save_all_action, self.open_action])

    def set_repository(self, repository) -> None:  # noqa: ANN001 - CaseRepository (core)
        self._repository = repository

    def set_case(self, case_id: str | None, attachments: list[Attachment]) -> None:
        """The case on screen and its attachments (``[a for _, a in detail.all_attachments()]``)."""
        self._case_id = case_id
        self._attachments = list(attachments)
        self._current = None
        self._update_actions()

    def set_current(self, attachment: Attachment | None) -> None:
        """The attachment Save and Open act on (the selected one)."""
        self._current = attachment
        self._update_actions()

    def attach_preview(self, preview) -> None:  # noqa: ANN001 - AttachmentPreview
        self._preview = preview
        preview.save_requested.connect(self.save)
        preview.open_external_requested.connect(self.open_external)
        preview.state_changed.connect(lambda _state: self.set_current(preview.current_attachment()))
        self.set_current(preview.current_attachment())

    def cleanup(self) -> None:
        """Wipe the private temp folder of opened files (call on quit)."""
        private_temp.cleanup()

    def is_busy(self) -> bool:
        return self._busy > 0

    def _update_actions(self) -> None:
        has_current = self._current is not None
        self.save_action.setEnabled(has_current)
        self.open_action.setEnabled(has_current)
        self.save_all_action.setEnabled(any(not a.is_deleted for a in self._attachments))

    # -- the three operations ----------------------------------------------------------------

    def save(self, attachment: Attachment | None = None) -> None:
        """Ask where, then save ``attachment`` (default: the current one)."""
        attachment = attachment or self._current
        if attachment is None:
            return
        suggested = str(Path(self._start_folder()) / safe_file_name(attachment.file_name))
        chosen = self.dialogs.save_path(self._parent_widget, suggested)
        if not chosen:
            return
        path = Path(chosen)
        self._used_folder(str(path.parent))
        # The file dialog asked before the user picked an existing file, so that is consent to
        # replace it; a file that appears only after the dialog is never replaced.
        overwrite = path.exists()
        self._submit(
            save_one, self._repository, attachment, path, overwrite=overwrite, data=self._known_bytes(attachment),
            case_id=self._case_id, on_result=self._on_saved_one, what="save",
        )

    def save_all(self, attachments: list[Attachment] | None = None) -> None:
        """Ask for a folder, settle name clashes, then save every (not deleted) attachment."""
        chosen = [a for a in (attachments if attachments is not None else self._attachments) if not a.is_deleted]
        if not chosen:
            return
        folder = self.dialogs.folder(self._parent_widget, self._start_folder())
        if not folder:
            return
        self._used_folder(folder)
        plans = plan_saves(Path(folder), [a.file_name for a in chosen])
        if not self._settle_conflicts(plans):
            return
        items = [(a, plan, self._known_bytes(a)) for a, plan in zip(chosen, plans)]
        self._submit(save_batch, self._repository, items, case_id=self._case_id,
                     on_result=self._on_saved_all, what="save")

    def open_external(self, attachment: Attachment | None = None) -> None:
        """Confirm, write a private copy, and open it with the system's app for its type."""
        attachment = attachment or self._current
        if attachment is None:
            return
        if not self.dialogs.confirm_open_external(self._parent_widget, fmt.clean(attachment.file_name) or "attachment"):
            return
        self._submit(write_private_copy, self._repository, attachment, data=self._known_bytes(attachment),
                     case_id=self._case_id, on_result=self._on_private_copy, what="open")

    # -- helpers -----------------------------------------------------------------------------

    def _known_bytes(self, attachment: Attachment) -> bytes | None:
        shown = self._preview.current_attachment() if self._preview is not None else None
        if shown is None:
            return None
        same = shown is attachment or (shown.id is not None and shown.id == attachment.id)
        return self._preview.current_data() if same else None

    def _settle_conflicts(self, plans: list[PlannedSave]) -> bool:
        """Ask about every clash with a file on disk; False when the user cancels."""
        clashes = [plan for plan in plans if plan.exists]
        decided: Conflict | None = None
        for position, plan in enumerate(clashes):
            if decided is None:
                choice, for_rest = self.dialogs.conflict(self._parent_widget, plan.target.name,
                                                         len(clashes) - position - 1)
                if choice is None:
                    return False
                plan.conflict = choice
                if for_rest:
                    decided = choice
            else:
                plan.conflict = decided
        return True

    def _submit(self, fn: Callable, *args, on_result: Callable, what: str, **kwargs) -> None:  # noqa: ANN002, ANN003
        self._set_busy(+1)
        self._runner.submit(lambda context: fn(*args, cancel=context.cancel, progress=context.progress, **kwargs),
                            on_result=partial(self._done, on_result),
                            on_error=partial(self._on_error, what), on_progress=self.progress.emit)

    def _done(self, handler: Callable, value: object) -> None:
        self._set_busy(-1)
        handler(value)

    def _set_busy(self, delta: int) -> None:
        was = self._busy > 0
        self._busy += delta
        if was != (self._busy > 0):
            self.busy_changed.emit(self._busy > 0)

    def _on_saved_one(self, path: Path) -> None:
        self.message.emit(f"Saved {path.name} to {path.parent}")
        self.saved.emit(SaveReport(saved=[path]))

    def _on_saved_all(self, report: SaveReport) -> None:
        parts = [f"Saved {len(report.saved)} file" + ("" if len(report.saved) == 1 else "s") + f" to {self._folder}"]
        if report.skipped:
            parts.append(f"skipped {len(report.skipped)}")
        if report.failed:
            parts.append(f"{len(report.failed)} failed")
        if report.cancelled:
            parts.append("cancelled before the end")
        self.message.emit(", ".join(parts))
        if report.failed:
            lines = "\n".join(f"• {fmt.clean(name)}: {why}" for name, why in report.failed[:10])
            self.dialogs.report_error(self._parent_widget, "Some attachments were not saved",
                                      f"These files could not be saved:\n{lines}")
        self.saved.emit(report)

    def _on_private_copy(self, path: Path) -> None:
        if not self.open_url(QUrl.fromLocalFile(str(path))):
            self._fail("No app on this computer is set up to open this type of file. Save it instead.", "open")
            return
        self.message.emit(f"Opened {path.name} with the system app")
        self.opened.emit(path)

    def _on_error(self, what: str, failure: TaskFailure) -> None:
        self._set_busy(-1)
        message = failure.message if not failure.is_bug else "Something went wrong; the file was not written."
        self._fail(message, what)

    def _fail(self, message: str, what: str) -> None:
        title = "Could not save the attachment" if what == "save" else "Could not open the attachment"
        self.dialogs.report_error(self._parent_widget, title, message)
        self.failed.emit(message)
