"""Create or edit a connection profile: the form, live validation, "Test connection" and Save.

Secrets are typed into masked fields and go to the keyring only (``SecretStore``); when editing,
stored secrets are never read back into a field: the field stays empty with a placeholder, and
leaving it empty keeps what is stored. Everything that may block (the keyring, the network) runs
on the ``TaskRunner``; the form itself only validates. **Test connection** is
``core.connection_check`` (the same check as ``caseviewer profile test``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caseviewer.core import errors
from caseviewer.core.query import DocumentFormat
from caseviewer.core.connection import Secrets
from caseviewer.core.connection_check import FAIL_MARK, ConnectionReport, check_connection
from caseviewer.core.profiles import PAGE_SIZE_RANGE, Profile, ProfileStore, validate_profile
from caseviewer.core.secrets import (
    DETAIL_KEY,
    LIST_TOKEN,
    PASSWORD,
    SecretStore,
    StoredState,
    list_credential_kind,
    made_stale_by,
)
from caseviewer.ui import accessible
from caseviewer.ui.workers import TaskFailure, TaskRunner
from caseviewer.ui.guard import guarded
from caseviewer.ui import theme

ENVIRONMENTS = ("PRODUCTION", "STAGING", "DEMO")
STORED_PLACEHOLDER = "•••• stored (leave blank to keep)"
REPLACE_PLACEHOLDER = "•••• stored — type the new one to replace it"

# ConfigError texts are written for the command line; say the same thing in terms of the form.
_GUI_WORDING = (
    ("Use https://, or pass --allow-insecure if you really mean it.", 'Use https://, or tick "Allow unencrypted http".'),
    ("give --list-url (with --customer-id) and/or --detail-url", "fill in the case list and/or the case detail half"),
    ("add --customer-id", "fill in the customer ID"),
    ("--customer-id, --auth-url and --email belong to the case list: add --list-url, or leave them out.",
     "The customer ID, auth URL and email belong to the case list: add the list URL, or leave them empty."),
    ("; use 'caseviewer login'", ""),
)


def gui_message(text: str) -> str:
    for cli, gui in _GUI_WORDING:
        text = text.replace(cli, gui)
    return text


@dataclass(frozen=True)
class SavePlan:
    profile: Profile
    editing: bool
    secrets: Secrets
    remove: tuple[str, ...]  # secret kinds made stale by a credential switch


def save_profile(store: ProfileStore, secret_store: SecretStore, plan: SavePlan) -> Profile:
    """Write the profile and its secrets; with no keyring nothing is written (``SecretStoreError``)."""
    if plan.secrets.list_token or plan.secrets.password or plan.secrets.detail_key or plan.remove:
        secret_store.check()  # before anything is written: no keyring, no profile either
    profile = plan.profile
    if plan.editing:
        changes = {key: value for key, value in profile.__dict__.items() if key != "name"}
        saved = store.update(profile.name, **changes)
    else:
        saved = store.add(profile)
    secret_store.save(saved.name, plan.secrets)
    for kind in plan.remove:
        secret_store.delete(saved.name, kind)
    return saved


# --------------------------------------------------------------------------------------------
# The dialog
# --------------------------------------------------------------------------------------------


def _secret_field(object_name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(object_name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
    return field


class ProfileDialog(QDialog):
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

    def secret_fields(self) -> list[QLineEdit]:
        """The secret fields this profile's halves use, in form order."""
        fields: list[QLineEdit] = []
        if self.list_url_edit.text().strip():
            fields.append(self.password_edit if self.email_mode else self.token_edit)
        if self.detail_url_edit.text().strip():
            fields.append(self.detail_key_edit)
        return fields

    def _focus_first_secret(self) -> None:
        fields = self.secret_fields()
        if fields:
            fields[0].setFocus()

    # -- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)

        # One form for every field, so all of them start at the same left edge; the two halves
        # are headed rows of it rather than group boxes with forms of their own.
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._form = form
        self.name_edit = QLineEdit(objectName="name")
        self.name_edit.setPlaceholderText("e.g. staging")
        self.environment_combo = QComboBox(objectName="environment")
        self.environment_combo.setEditable(True)
        self.environment_combo.addItems(["", *ENVIRONMENTS])
        self.environment_combo.lineEdit().setPlaceholderText("PRODUCTION, STAGING, DEMO or your own")
        accessible.name(self.environment_combo.lineEdit(), "Environment")
        self.environment_combo.setItemData(0, "No environment", Qt.ItemDataRole.AccessibleTextRole)  # the empty entry
        self.color_edit = QLineEdit(objectName="color")
        self.color_edit.setPlaceholderText("#1f6feb (optional)")
        self.color_swatch = QLabel()
        self.color_swatch.setFixedSize(20, 20)
        color_button = QPushButton("Choose…")
        color_button.clicked.connect(self._choose_color)
        color_row = QHBoxLayout()
        color_row.setContentsMargins(0, 0, 0, 0)
        color_row.addWidget(self.color_edit, 1)
        color_row.addWidget(self.color_swatch)
        color_row.addWidget(color_button)
        self._row("&Name:", self.name_edit)
        self._row("&Environment:", self.environment_combo)
        # A row whose field is a layout gets a label without a buddy, which shows "&" literally.
        self._row("Co&lour:", color_row, buddy=self.color_edit)

        # List half
        self._section("Case list")
        self.list_url_edit = QLineEdit(objectName="list_url")
        self.list_url_edit.setPlaceholderText("https://api.example.com/case/api/v1")
        self.auth_url_edit = QLineEdit(objectName="auth_url")
        self.auth_url_edit.setPlaceholderText("optional: the list service's origin is used")
        self.customer_id_edit = QLineEdit(objectName="customer_id")
        self.token_radio = QRadioButton("Bearer token")
        self.email_radio = QRadioButton("Email + password")
        self.token_radio.setChecked(True)
        self._credential_group = QButtonGroup(self)
        self._credential_group.addButton(self.token_radio)
        self._credential_group.addButton(self.email_radio)
        radios = QHBoxLayout()
        radios.setContentsMargins(0, 0, 0, 0)
        radios.addWidget(self.token_radio)
        radios.addWidget(self.email_radio)
        radios.addStretch(1)
        self.token_edit = _secret_field("list_token")
        self.email_edit = QLineEdit(objectName="email")
        self.email_edit.setPlaceholderText("reviewer@example.com")
        self.password_edit = _secret_field("password")
        self._row("List &URL:", self.list_url_edit)
        self._row("&Auth URL:", self.auth_url_edit)
        self._row("&Customer ID:", self.customer_id_edit)
        self._row("Sign in with:", radios)
        self._row("&Token:", self.token_edit)
        self._row("E&mail:", self.email_edit)
        self._row("&Password:", self.password_edit)

        # Detail half
        self._section("Case detail")
        self.detail_url_edit = QLineEdit(objectName="detail_url")
        self.detail_url_edit.setPlaceholderText("https://detail.example.com")
        self.detail_key_edit = _secret_field("detail_key")
        self._row("&Detail URL:", self.detail_url_edit)
        self._row("API &key:", self.detail_key_edit)

        self._section("Options")
        self.page_size_spin = QSpinBox(objectName="page_size")
        self.page_size_spin.setRange(*PAGE_SIZE_RANGE)
        self.page_size_spin.setValue(50)
        self.page_size_spin.setToolTip("How many cases the window asks the list service for at a time")
        self.format_combo = QComboBox(objectName="document_format")
        for document_format in DocumentFormat:
            self.format_combo.addItem(document_format.value, document_format.value)
        self.insecure_check = QCheckBox("Allow unencrypted http (credentials and case data in clear text)")
        self.insecure_check.setObjectName("allow_insecure")
        self._row("Page si&ze:", self.page_size_spin)
        self._row("Document &format:", self.format_combo)
        form.addRow("", self.insecure_check)
        outer.addLayout(form)

        test_row = QHBoxLayout()
        self.test_button = QPushButton("&Test connection")
        self.test_button.clicked.connect(self.test_connection)
        test_row.addWidget(self.test_button, 0, Qt.AlignmentFlag.AlignTop)
        results = QVBoxLayout()
        results.setSpacing(2)
        self.list_result_label = self._result_label("list_result")
        self.detail_result_label = self._result_label("detail_result")
        results.addWidget(self.list_result_label)
        results.addWidget(self.detail_result_label)
        test_row.addLayout(results, 1)
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

        for edit in (
            self.name_edit, self.color_edit, self.list_url_edit, self.auth_url_edit, self.customer_id_edit,
            self.token_edit, self.email_edit, self.password_edit, self.detail_url_edit, self.detail_key_edit,
        ):
            edit.textChanged.connect(self._form_changed)
            edit.textChanged.connect(self._revalidate)
        for signal in (
            self.environment_combo.currentTextChanged, self.page_size_spin.valueChanged,
            self.format_combo.currentIndexChanged, self.insecure_check.toggled, self.token_radio.toggled,
        ):
            signal.connect(self._form_changed)
            signal.connect(self._revalidate)
        self.token_radio.toggled.connect(self._credential_mode_changed)
        self._credential_mode_changed()
        # The results area holds two lines per half from the start, so they never push the
        # message area (and Save) down. Sized after the form, whose width decides the wrapping.
        for label in (self.list_result_label, self.detail_result_label):
            label.setMinimumHeight(2 * label.fontMetrics().lineSpacing() + 2)

    def _row(self, text: str, field: QWidget | QHBoxLayout, *, buddy: QWidget | None = None) -> QLabel:
        label = QLabel(text)
        target = buddy if buddy is not None else field if isinstance(field, QWidget) else None
        if target is not None:
            label.setBuddy(target)
        self._form.addRow(label, field)
        return label

    def _section(self, title: str) -> None:
        heading = QLabel(title)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        heading.setContentsMargins(0, 8, 0, 0)
        self._form.addRow(heading)

    def _result_label(self, name: str) -> QLabel:
        label = QLabel(objectName=name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _show_results(self, lines: list[tuple[str, bool | None]]) -> None:
        labels = (self.list_result_label, self.detail_result_label)
        for index, label in enumerate(labels):
            text, ok = lines[index] if index < len(lines) else ("", None)
            label.setText(text)
            label.setStyleSheet(
                f"color: {theme.css('error')};" if ok is False else f"color: {theme.css('ok')};" if ok else ""
            )

    def _form_changed(self, *_args: object) -> None:
        """An edit makes an earlier test result stale (and from now on problems are shown)."""
        if self._ready:
            self._touched = True
        if self.list_result_label.text() and not self._testing:
            self._show_results([])

    def _fill(self, profile: Profile, *, editable_name: bool = False) -> None:
        self.name_edit.setText(profile.name)
        if not editable_name:
            self.name_edit.setReadOnly(True)
            self.name_edit.setToolTip("A profile cannot be renamed: its secrets are stored under its name.")
        self.environment_combo.setCurrentText(profile.environment)
        self.color_edit.setText(profile.color)
        self.list_url_edit.setText(profile.list_url or "")
        self.auth_url_edit.setText(profile.auth_url or "")
        self.customer_id_edit.setText(profile.customer_id or "")
        self.email_edit.setText(profile.email or "")
        (self.email_radio if profile.email else self.token_radio).setChecked(True)
        self.detail_url_edit.setText(profile.detail_url or "")
        self.page_size_spin.setValue(profile.page_size)
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(DocumentFormat(profile.document_format).value)))
        self.insecure_check.setChecked(profile.allow_insecure)

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

    @property
    def email_mode(self) -> bool:
        return self.email_radio.isChecked()

    def _credential_mode_changed(self, *_args: object) -> None:
        email = self.email_mode
        for edit, visible in ((self.token_edit, not email), (self.email_edit, email), (self.password_edit, email)):
            edit.setVisible(visible)
            label = self._form.labelForField(edit)
            if label is not None:
                label.setVisible(visible)
        self._revalidate()

    def form_profile(self) -> Profile:
        """The profile as the form describes it (not validated)."""

        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        return Profile(
            name=self.name_edit.text().strip(),
            list_url=text(self.list_url_edit),
            auth_url=text(self.auth_url_edit),
            customer_id=text(self.customer_id_edit),
            detail_url=text(self.detail_url_edit),
            email=text(self.email_edit) if self.email_mode else None,
            page_size=self.page_size_spin.value(),
            document_format=self.format_combo.currentData() or DocumentFormat.BASE64.value,
            color=self.color_edit.text().strip(),
            environment=self.environment_combo.currentText().strip(),
            allow_insecure=self.insecure_check.isChecked(),
        )

    def entered_secrets(self) -> Secrets:
        """What was typed into the secret fields (None = keep the stored one)."""
        token = self.token_edit.text().strip() or None
        password = self.password_edit.text() or None
        return Secrets(
            list_token=None if self.email_mode else token,
            password=password if self.email_mode else None,
            detail_key=self.detail_key_edit.text().strip() or None,
        )

    def _valid_profile(self) -> tuple[Profile | None, str]:
        try:
            return validate_profile(self.form_profile()), ""
        except errors.ConfigError as exc:
            return None, gui_message(exc.message)

    def _save_problem(self, profile: Profile) -> str:
        """What stops Save beyond the profile's own validity (name taken, a secret missing)."""
        if self._original is None and self._store.exists(profile.name):
            return f"A profile named {profile.name!r} already exists; pick another name."
        entered = self.entered_secrets()
        if profile.has_list:
            if self.email_mode:
                if not profile.email:
                    return "Enter the email to sign in with, or choose the bearer token."
                if not entered.password and not self._stored.password:
                    return "Enter the password for the case list."
            elif not entered.list_token and not self._stored.list_token:
                return "Enter the bearer token for the case list."
        if profile.has_detail and not entered.detail_key and not self._stored.detail_key:
            return "Enter the API key for the case detail service."
        return ""

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

    def _update_swatch(self) -> None:
        color = QColor(self.color_edit.text().strip() if self.color_edit.text().strip().startswith("#")
                       else "#" + self.color_edit.text().strip())
        if self.color_edit.text().strip() and color.isValid():
            self.color_swatch.setStyleSheet(f"background: {color.name()}; border: 1px solid palette(mid);")
        else:
            self.color_swatch.setStyleSheet("border: 1px dashed palette(mid);")

    def _choose_color(self) -> None:
        current = QColor(self.color_edit.text().strip())
        chosen = QColorDialog.getColor(current if current.isValid() else QColor("#1f6feb"), self, "Profile colour")
        if chosen.isValid():
            self.color_edit.setText(chosen.name())

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
        return "\n".join(label.text() for label in (self.list_result_label, self.detail_result_label) if label.text())

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> None:
        self._touched = True
        profile, problem = self._valid_profile()
        if profile is not None:
            problem = self._save_problem(profile)
        if profile is None or problem:
            self._revalidate()
            return
        entered = self.entered_secrets()
        remove: tuple[str, ...] = ()
        if profile.has_list:
            stale = made_stale_by(list_credential_kind(profile))
            remove = (stale,) if stale and getattr(self._stored, stale) else ()
        else:
            entered = replace(entered, list_token=None, password=None)
            remove = tuple(kind for kind in (LIST_TOKEN, PASSWORD) if getattr(self._stored, kind))
        if not profile.has_detail:
            entered = replace(entered, detail_key=None)
            if self._stored.detail_key:
                remove += (DETAIL_KEY,)
        plan = SavePlan(profile=profile, editing=self._original is not None, secrets=entered, remove=remove)
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
    "ProfileDialog",
    "REPLACE_PLACEHOLDER",
    "STORED_PLACEHOLDER",
    "SavePlan",
    "gui_message",
    "save_profile",
]
