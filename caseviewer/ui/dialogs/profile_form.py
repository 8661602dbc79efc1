"""The profile form's fields: built once, filled from a ``Profile``, read back as a ``Profile``
and the ``Secrets`` typed.

``ProfileForm`` is the field half of ``ProfileDialog`` (``ui/dialogs/profile_dialog.py``), which adds
validation, the stored-secret lookup, Test connection and Save. The form holds no rule: what a
profile may be is ``core/profiles.validate_profile``, what Save needs is ``core/profile_saving``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QColorDialog,
    QComboBox,
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

from caseviewer.core.connection_settings import Secrets
from caseviewer.core.profiles import PAGE_SIZE_RANGE, Profile
from caseviewer.core.query import DocumentFormat
from caseviewer.ui import accessible
from caseviewer.ui.window.profile_switcher import profile_color

ENVIRONMENTS = ("PRODUCTION", "STAGING", "DEMO")


def _secret_field(object_name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(object_name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
    return field


class ProfileForm:
    """The fields of a profile on a dialog (a mixin of ``ProfileDialog``, which owns the layout).

    The dialog provides ``_form_changed`` and ``_revalidate``, called on every edit.
    """

    def _build_form(self, outer: QVBoxLayout) -> None:
        """The fields, in one form added to ``outer``; their changes call ``self._form_changed``
        and ``self._revalidate`` (the dialog's)."""
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

    def _update_swatch(self) -> None:
        """The colour the profile will be shown in: its own, or with the field empty the
        environment's (the swatch is never a blank box); a half-typed colour shows dashed."""
        typed = self.color_edit.text().strip()
        own = QColor(typed if typed.startswith("#") else "#" + typed) if typed else QColor()
        if typed and not own.isValid():
            self.color_swatch.setStyleSheet("border: 1px dashed palette(mid);")
            self.color_swatch.setToolTip("Not a colour yet: type one like #1f6feb, or use Choose…")
            self.color_swatch.setProperty("shownColor", "")
            return
        shown = own.name() if typed else profile_color(self.environment_combo.currentText(), "")
        self.color_swatch.setStyleSheet(f"background: {shown}; border: 1px solid palette(mid); border-radius: 3px;")
        self.color_swatch.setToolTip(
            f"Shown in {shown}" if typed else f"No colour of its own: shown in the environment's, {shown}"
        )
        self.color_swatch.setProperty("shownColor", shown)

    def _choose_color(self) -> None:
        current = QColor(self.color_edit.text().strip())
        chosen = QColorDialog.getColor(current if current.isValid() else QColor("#1f6feb"), self, "Profile colour")
        if chosen.isValid():
            self.color_edit.setText(chosen.name())


__all__ = ["ENVIRONMENTS", "ProfileForm"]
