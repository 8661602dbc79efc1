"""Manage profiles: the saved connections in a list, and what can be done to each.

New…, Edit…, Duplicate…, Set secrets…, Test and Remove… act on the selected profile; the profile
dialog does the editing. Below the list, the selected profile's details (``ProfileSummary``:
services, environment, options, which secrets are stored — never the secrets). Reading the profiles file, the keyring and the network all run on the
``TaskRunner``; the list fills in when the answer comes. The profile this window uses cannot be
removed from here (its connection, cache and workers are in use).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caseviewer.core import errors
from caseviewer.core.connection import Secrets
from caseviewer.core.connection_check import ConnectionReport, check_connection
from caseviewer.core.profiles import Profile, ProfileStore
from caseviewer.core.secrets import SecretStore, StoredState
from caseviewer.ui import accessible
from caseviewer.ui.dialogs.connection_results import ConnectionResults
from caseviewer.ui.dialogs.profile_dialog import ProfileDialog
from caseviewer.ui.dialogs.profile_summary import ProfileSummary
from caseviewer.ui.window.profile_switcher import profile_color, swatch
from caseviewer.ui.workers import TaskFailure, TaskRunner
from caseviewer.ui.guard import guarded

_NAME_ROLE = Qt.ItemDataRole.UserRole


def remove_profile(store: ProfileStore, secret_store: SecretStore, name: str) -> tuple[str, bool]:
    """Remove the profile, then its keyring secrets; returns what to tell the user, and whether
    all of it went away."""
    store.remove(name)
    try:
        secret_store.delete_all(name)
    except errors.SecretStoreError as exc:
        return f"Removed “{name}”, but its secrets could not be removed from the keyring: {exc.message}", False
    return f"Removed “{name}” and its keyring secrets.", True


class ManageProfilesDialog(QDialog):
    """The profiles, with New / Edit / Duplicate / Set secrets / Test / Remove."""

    #: The list has been (re)loaded from the profiles file.
    loaded = Signal()
    #: A connection test answered (the report's text).
    tested = Signal(str)
    #: A profile was added, changed or removed (name).
    changed = Signal(str)
    #: The selected profile's stored-secrets answer is shown (name).
    summarized = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        store: ProfileStore,
        secret_store: SecretStore,
        *,
        active: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = store
        self._secret_store = secret_store
        self._active = active
        self._profiles: dict[str, Profile] = {}
        self._channels = {suffix: runner.channel(f"manage-profiles{suffix}", self) for suffix in ("-list", "-test", "-remove", "-stored")}
        self._select_after_load: str | None = active
        self._after_load: tuple[str, bool | None] = ("", None)  # a result to show once listed
        self._filling = False
        #: The profile dialog or confirmation open on top of this one (tests reach it here).
        self.child_dialog: QDialog | None = None
        self.setWindowTitle("Manage profiles")
        self.setModal(True)
        self._build()
        self.reload()

    # -- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        body = QHBoxLayout()
        self.list = QListWidget(objectName="profiles")
        self.list.setMinimumWidth(300)
        accessible.name(self.list, "Profiles", "Enter edits the selected profile")
        self.list.currentItemChanged.connect(self._selection_changed)
        self.list.itemActivated.connect(lambda _item: self.edit())
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        self.summary = ProfileSummary()
        left.addWidget(self.summary)
        body.addLayout(left, 1)

        column = QVBoxLayout()
        self.new_button = self._button("&New…", self.new, "Add a connection profile")
        self.edit_button = self._button("&Edit…", self.edit, "Change the selected profile")
        self.duplicate_button = self._button("&Duplicate…", self.duplicate, "A new profile starting from a copy of this one")
        self.secrets_button = self._button(
            "Set &secrets…", self.set_secrets, "Type a new token, password or API key for the selected profile"
        )
        self.test_button = self._button("&Test", self.test, "Check the selected profile's services and secrets")
        self.remove_button = self._button("&Remove…", self.remove, "Remove the selected profile and its keyring secrets")
        for button in (self.new_button, self.edit_button, self.duplicate_button, self.secrets_button, self.test_button):
            column.addWidget(button)
        column.addSpacing(12)
        column.addWidget(self.remove_button)
        column.addStretch(1)
        body.addLayout(column)
        outer.addLayout(body, 1)

        # One line per half (each in its own colour), with room from the start: the buttons never
        # move when a result comes.
        self.results = ConnectionResults(("result", "detail_result"))
        self.result_labels = self.results.labels
        outer.addWidget(self.results)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.resize(680, 460)
        self._selection_changed()

    def _button(self, text: str, slot, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # -- the list -----------------------------------------------------------------------------

    def reload(self) -> None:
        self._runner.submit(
            lambda _context: self._store.list(), channel=self._channels["-list"],
            on_result=self._fill, on_error=self._load_failed,
        )

    def _fill(self, profiles: list[Profile]) -> None:
        wanted = self._select_after_load or self.selected_name()
        self._profiles = {profile.name: profile for profile in profiles}
        self._filling = True
        try:
            self.list.clear()
            for profile in profiles:
                item = QListWidgetItem(swatch(profile_color(profile.environment, profile.color)), self.label(profile))
                item.setData(_NAME_ROLE, profile.name)
                self.list.addItem(item)
                if profile.name == wanted:
                    self.list.setCurrentItem(item)
            if self.list.currentItem() is None and self.list.count():
                self.list.setCurrentRow(0)
        finally:
            self._filling = False
        self._select_after_load = None
        self._selection_changed()
        text, ok = self._after_load
        self._after_load = ("", None)
        if not profiles and not text:
            text = "No profiles yet: New… adds one."
        self._show_result(text, ok)
        self.loaded.emit()

    def label(self, profile: Profile) -> str:
        parts = [profile.name]
        if profile.environment:
            parts.append(profile.environment)
        text = " · ".join(parts) + f"  ({profile.halves})"
        return text + ("  — this window" if profile.name == self._active else "")

    def _load_failed(self, failure: TaskFailure) -> None:
        self._show_result(failure.message, False)
        self.loaded.emit()

    def profile_names(self) -> list[str]:
        return [self.list.item(row).data(_NAME_ROLE) for row in range(self.list.count())]

    def selected_name(self) -> str | None:
        item = self.list.currentItem()
        return item.data(_NAME_ROLE) if item is not None else None

    def select(self, name: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(_NAME_ROLE) == name:
                self.list.setCurrentRow(row)
                return

    def _selected_profile(self) -> Profile | None:
        name = self.selected_name()
        return self._profiles.get(name) if name else None

    def _selection_changed(self, *_args: object) -> None:
        if self._filling:
            return
        has = self._selected_profile() is not None
        for button in (self.edit_button, self.duplicate_button, self.secrets_button, self.test_button):
            button.setEnabled(has)
        is_active = has and self.selected_name() == self._active
        self.remove_button.setEnabled(has and not is_active)
        self.remove_button.setToolTip(
            "This window uses this profile; switch to another one to remove it." if is_active
            else "Remove the selected profile and its keyring secrets"
        )
        self._show_result("", None)
        self._summarize(self._selected_profile())

    def _summarize(self, profile: Profile | None) -> None:
        """Show the profile's details now, and which secrets are stored once the keyring answers."""
        self.summary.show_profile(profile)
        if profile is None:
            self._runner.cancel(self._channels["-stored"])
            return
        name, secret_store = profile.name, self._secret_store
        self._runner.submit(
            lambda _context: secret_store.stored(name), channel=self._channels["-stored"],
            on_result=lambda state, p=profile: self._stored_known(p, state, ""),
            on_error=lambda failure, p=profile: self._stored_known(p, None, failure.message),
        )

    def _stored_known(self, profile: Profile, state: StoredState | None, problem: str) -> None:
        if self._selected_profile() is not profile:
            return  # another profile was selected (or the list reloaded) meanwhile
        self.summary.show_profile(profile, state, problem)
        self.summarized.emit(profile.name)

    def _show_result(self, text: str, ok: bool | None) -> None:
        self._show_lines([(text, ok)])

    def _show_lines(self, lines: list[tuple[str, bool | None]]) -> None:
        self.results.show_lines(lines)

    def result_text(self) -> str:
        """The result lines as shown."""
        return self.results.text()

    # -- actions ------------------------------------------------------------------------------

    def _open_profile_dialog(self, **kwargs: object) -> ProfileDialog:
        dialog = ProfileDialog(self._runner, self._store, self._secret_store, parent=self, **kwargs)
        dialog.finished.connect(lambda _result, d=dialog: self._profile_dialog_done(d))
        self.child_dialog = dialog
        dialog.open()
        return dialog

    def _profile_dialog_done(self, dialog: ProfileDialog) -> None:
        saved = dialog.saved_profile()
        self.child_dialog = None
        dialog.deleteLater()
        if saved is not None:
            self._select_after_load = saved.name
            self._after_load = (f"Saved “{saved.name}”.", True)
            self.reload()
            self.changed.emit(saved.name)

    def new(self) -> None:
        self._open_profile_dialog()

    def edit(self) -> None:
        profile = self._selected_profile()
        if profile is not None:
            self._open_profile_dialog(profile=profile)

    def duplicate(self) -> None:
        profile = self._selected_profile()
        if profile is not None:
            self._open_profile_dialog(template=profile)

    def set_secrets(self) -> None:
        profile = self._selected_profile()
        if profile is not None:
            self._open_profile_dialog(profile=profile, replace_secrets=True)

    def test(self) -> None:
        profile = self._selected_profile()
        if profile is None:
            return
        self._show_result(f"Testing “{profile.name}”…", None)
        self.test_button.setEnabled(False)
        settings, secret_store, name = profile.to_settings(), self._secret_store, profile.name
        self._runner.submit(
            lambda context: check_connection(settings, Secrets(), secret_store, name, cancel=context.cancel),
            channel=self._channels["-test"], on_result=self._tested, on_error=self._test_failed,
        )

    def _tested(self, report: ConnectionReport) -> None:
        self.test_button.setEnabled(self._selected_profile() is not None)
        self._show_lines([(half.line, half.ok) for half in report.halves])
        self.tested.emit(report.text)

    def _test_failed(self, failure: TaskFailure) -> None:
        self.test_button.setEnabled(self._selected_profile() is not None)
        self._show_result(failure.message, False)
        self.tested.emit(failure.message)

    def remove(self) -> None:
        name = self.selected_name()
        if not name or name == self._active:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question, "Remove profile",
            f"Remove the profile “{name}” and its secrets from the keyring?\n"
            "Its offline cache stays on disk until cleared.",
            QMessageBox.StandardButton.Cancel, self,
        )
        box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda button, n=name, b=box: self._remove_confirmed(n)
            if b.buttonRole(button) == QMessageBox.ButtonRole.DestructiveRole else None
        )
        box.finished.connect(lambda _result: setattr(self, "child_dialog", None))
        self.child_dialog = box
        box.open()

    def _remove_confirmed(self, name: str) -> None:
        store, secret_store = self._store, self._secret_store
        self._runner.submit(
            lambda _context: remove_profile(store, secret_store, name),
            channel=self._channels["-remove"],
            on_result=lambda outcome, n=name: self._removed(n, *outcome),
            on_error=lambda failure: self._show_result(failure.message, False),
        )

    def _removed(self, name: str, message: str, complete: bool) -> None:
        self._after_load = (message, complete)
        self.reload()
        self.changed.emit(name)

    @guarded
    def done(self, result: int) -> None:
        for suffix in ("-list", "-test", "-stored"):
            self._runner.cancel(self._channels[suffix])
        super().done(result)


__all__ = ["ManageProfilesDialog", "remove_profile"]
