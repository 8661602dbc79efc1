"""Create or edit a connection profile: live validation, "Test connection" and Save.

The fields are ``ProfileForm`` (``ui/dialogs/profile_form.py``); what Save needs and writes is
``core/profile_saving.py``.

Secrets are typed into masked fields and go to the keyring only (``SecretStore``); when editing,
stored secrets are never read back into a field: the field stays empty with a placeholder, and
leaving it empty keeps what is stored. Everything that may block (the keyring, the network) runs
on the ``TaskRunner``; the form itself only validates. **Test connection** is
``core.connection_check`` (the same check as ``caseviewer profile test``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from caseviewer.core import errors
from caseviewer.core.connection_check import FAIL_MARK, ConnectionReport, check_connection
from caseviewer.core.profile_saving import missing_secret, plan_save, save_profile
from caseviewer.core.profiles import Profile, ProfileStore, validate_profile
from caseviewer.core.secrets import SecretStore, StoredState
from caseviewer.ui import theme
from caseviewer.ui.dialogs.connection_results import ConnectionResults
from caseviewer.ui.guard import guarded
from caseviewer.ui.dialogs.profile_form import ENVIRONMENTS, ProfileForm
from caseviewer.ui.workers import TaskFailure, TaskRunner

STORED_PLACEHOLDER = "•••• stored (leave blank to keep)"
REPLACE_PLACEHOLDER = "•••• stored — type the new one to replace it"

# ConfigError texts are written for the command line; say the same thing in terms of the form.
# A whole message the form says differently (the CLI's names the profile and its flags).
_GUI_MESSAGES = (
    (re.compile(r"Profile .* has neither service: .*"), "Fill in at least one service: the case list or the case detail."),
)
_GUI_WORDING = (
    ("Use https://, or pass --allow-insecure if you really mean it.", 'Use https://, or tick "Allow unencrypted http".'),
    ("add --customer-id", "fill in the customer ID"),
    ("--customer-id, --auth-url and --email belong to the case list: add --list-url, or leave them out.",
     "The customer ID, auth URL and email belong to the case list: add the list URL, or leave them empty."),
    ("; use 'caseviewer login'", ""),
)


def gui_message(text: str) -> str:
    for pattern, gui in _GUI_MESSAGES:
        if pattern.fullmatch(text):
            return gui
    for cli, gui in _GUI_WORDING:
        text = text.replace(cli, gui)
    return text


# --------------------------------------------------------------------------------------------
# The dialog
# --------------------------------------------------------------------------------------------


class ProfileDialog(ProfileForm, QDialog):
    """New profile (``profile=None``) or edit one (its name cannot change: secrets are keyed by it)."""

    #: Emitted with the report text when a connection test has answered.
    test_finished = Signal(str)
    #: Emitted with the message when saving failed (the dialog stays open).
    save_failed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        store: ProfileStore,
        secret_store: SecretStore,
        *,
        profile: Profile | None = None,
        template: Profile | None = None,
        replace_secrets: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``profile`` edits that profile; ``template`` starts a new one from a copy (Duplicate:
        a new name, and secrets typed afresh); ``replace_secrets`` opens ``profile`` for new
        credentials (focus on its first secret field, Save enabled by a new secret alone)."""
        super().__init__(parent)
        self._runner = runner
        self._store = store
        self._secret_store = secret_store
        self._original = profile
        self._replace_secrets = replace_secrets and profile is not None
        self._saved: Profile | None = None
        self._stored = StoredState()
        self._channel = runner.channel("profile-dialog-test", self)
        self._stored_channel = runner.channel("profile-dialog-stored", self)
        self._save_channel = runner.channel("profile-dialog-save", self)
        self._busy_saving = False
        self._testing = False
        # Problems are shown once the user has changed something (or pressed Test / Save), not
        # as a red "Invalid profile name ''" on an empty form that nobody has typed into yet.
        self._ready = False
        self._touched = False
        if self._replace_secrets:
            self.setWindowTitle(f"Update credentials — {profile.name}")
        else:
            self.setWindowTitle("Edit profile" if profile is not None else "New profile")
        self.setModal(True)
        self._build()
        if profile is not None:
            self._fill(profile)
            self._load_stored_state(profile.name)
        elif template is not None:
            self._fill(replace(template, name=self._copy_name(template.name)), editable_name=True)
        self._ready = True
        self._revalidate()
        if self._replace_secrets:
            self._focus_first_secret()

    def _copy_name(self, name: str) -> str:
        try:
            taken = set(self._store.names())
        except errors.ConfigError:
            taken = set()
        for number in range(1, 100):
            candidate = f"{name}-copy" if number == 1 else f"{name}-copy{number}"
            if candidate not in taken:
                return candidate[:64]
        return f"{name}-copy"[:64]

    # -- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self._build_form(outer)

        test_row = QHBoxLayout()
        self.test_button = QPushButton("&Test connection")
        self.test_button.clicked.connect(self.test_connection)
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        self.results = ConnectionResults(("list_result", "detail_result"))
        self.list_result_label, self.detail_result_label = self.results.labels
        test_row.addWidget(self.results, 1)
        outer.addLayout(test_row)

        # Below the test row and always there with room for two lines, so neither the Test
        # connection button nor Save moves when a message comes or goes.
        self.validation_label = QLabel(objectName="validation")
        self.validation_label.setTextFormat(Qt.TextFormat.PlainText)
        self.validation_label.setWordWrap(True)
        self.validation_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.validation_label.setStyleSheet(f"color: {theme.css('error')};")
        self.validation_label.setMinimumHeight(2 * self.validation_label.fontMetrics().lineSpacing() + 4)
        outer.addWidget(self.validation_label)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        self._credential_mode_changed()

    def _show_results(self, lines: list[tuple[str, bool | None]]) -> None:
        self.results.show_lines(lines)

    def _form_changed(self, *_args: object) -> None:
        """An edit makes an earlier test result stale (and from now on problems are shown)."""
        if self._ready:
            self._touched = True
        if self.list_result_label.text() and not self._testing:
            self._show_results([])

    def _load_stored_state(self, name: str) -> None:
        self.validation_label.setText("Looking up stored secrets…")
        secret_store = self._secret_store
        self._runner.submit(
            lambda _context: secret_store.stored(name),
            channel=self._stored_channel,
            on_result=self._stored_state_loaded,
            on_error=self._stored_state_failed,
        )

    def _stored_state_loaded(self, state: StoredState) -> None:
        self._stored = state
        for edit, held in (
            (self.token_edit, state.list_token),
            (self.password_edit, state.password),
            (self.detail_key_edit, state.detail_key),
        ):
            edit.setPlaceholderText(
                (REPLACE_PLACEHOLDER if self._replace_secrets else STORED_PLACEHOLDER) if held else ""
            )
        self._revalidate()

    def _stored_state_failed(self, failure: TaskFailure) -> None:
        self._stored = StoredState()
        self._revalidate(extra=failure.message)

    # -- reading the form ---------------------------------------------------------------------

    def _valid_profile(self) -> tuple[Profile | None, str]:
        try:
            return validate_profile(self.form_profile()), ""
        except errors.ConfigError as exc:
            return None, gui_message(exc.message)

    def _save_problem(self, profile: Profile) -> str:
        """What stops Save beyond the profile's own validity (name taken, a secret missing)."""
        if self._original is None and self._store.exists(profile.name):
            return f"A profile named {profile.name!r} already exists; pick another name."
        return missing_secret(profile, self.entered_secrets(), self._stored, password_sign_in=self.email_mode)

    def _revalidate(self, *_args: object, extra: str = "") -> None:
        self._update_swatch()
        profile, problem = self._valid_profile()
        if profile is not None:
            try:
                problem = self._save_problem(profile)
            except errors.ConfigError as exc:  # an unreadable profiles file
                problem = exc.message
        message = "\n".join(part for part in (extra, problem if self._touched else "") if part)
        self.validation_label.setStyleSheet(f"color: {theme.css('error')};")
        self.validation_label.setText(message)
        self.test_button.setEnabled(profile is not None)
        self.save_button.setEnabled(profile is not None and not problem and not self._busy_saving)

    # -- test connection ----------------------------------------------------------------------

    def test_connection(self) -> None:
        self._touched = True
        profile, problem = self._valid_profile()
        if profile is None:
            self._show_results([(problem, False)])
            return
        self._testing = True
        self._show_results([("Testing the connection…", None)])
        self.test_button.setEnabled(False)
        settings, secrets, secret_store = profile.to_settings(), self.entered_secrets(), self._secret_store
        name = self._original.name if self._original is not None else None
        self._runner.submit(
            lambda context: check_connection(settings, secrets, secret_store, name, cancel=context.cancel),
            channel=self._channel,
            on_result=self._test_answered,
            on_error=self._test_failed,
        )

    def _test_answered(self, report: ConnectionReport) -> None:
        self._testing = False
        self._show_results([(report.list.line, report.list.ok), (report.detail.line, report.detail.ok)])
        self._revalidate()
        self.test_finished.emit(report.text)

    def _test_failed(self, failure: TaskFailure) -> None:
        self._testing = False
        self._show_results([(f"{FAIL_MARK} {failure.message}", False)])
        self._revalidate()
        self.test_finished.emit(self.test_result_text())

    def test_result_text(self) -> str:
        """The result lines as shown (both halves)."""
        return self.results.text()

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> None:
        self._touched = True
        profile, problem = self._valid_profile()
        if profile is not None:
            problem = self._save_problem(profile)
        if profile is None or problem:
            self._revalidate()
            return
        plan = plan_save(profile, self.entered_secrets(), self._stored, editing=self._original is not None)
        self._busy_saving = True
        self.save_button.setEnabled(False)
        self.validation_label.setText("Saving…")
        self.validation_label.setStyleSheet("")
        store, secret_store = self._store, self._secret_store
        self._runner.submit(
            lambda _context: save_profile(store, secret_store, plan),
            channel=self._save_channel,
            on_result=self._saved_ok,
            on_error=self._save_error,
        )

    def _saved_ok(self, profile: Profile) -> None:
        self._busy_saving = False
        self._saved = profile
        self.accept()

    def _save_error(self, failure: TaskFailure) -> None:
        self._busy_saving = False
        message = gui_message(failure.message)
        self._revalidate(extra=message)
        self.save_failed.emit(message)

    def saved_profile(self) -> Profile | None:
        return self._saved

    @guarded
    def done(self, result: int) -> None:
        self._runner.cancel(self._channel)
        self._runner.cancel(self._stored_channel)
        super().done(result)


__all__ = [
    "ENVIRONMENTS",
    "ProfileDialog",
    "REPLACE_PLACEHOLDER",
    "STORED_PLACEHOLDER",
    "gui_message",
]
