"""ProfileDialog against the demo service: validation, Test connection on a worker, Save to file + keyring."""

from __future__ import annotations

import tomllib

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtWidgets import QDialog, QLineEdit

from caseviewer.core.profiles import Profile, ProfileStore
from caseviewer.core.secrets import SecretStore
from caseviewer.ui.dialogs.profile_dialog import STORED_PLACEHOLDER, ProfileDialog
from caseviewer.ui.window.profile_switcher import EnvironmentBadge, ProfileSwitcher
from caseviewer.ui.workers import TaskRunner


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner(threads=2)
    yield runner
    runner.shutdown(timeout=1.5)


@pytest.fixture
def store():
    return ProfileStore()


@pytest.fixture
def secret_store():
    return SecretStore()


def make_dialog(qtbot, runner, store, secret_store, **kwargs) -> ProfileDialog:
    dialog = ProfileDialog(runner, store, secret_store, **kwargs)
    qtbot.addWidget(dialog)
    return dialog


def fill(dialog: ProfileDialog, svc, *, email: bool = False, password: str | None = None, key: str | None = None):
    dialog.name_edit.setText("demo")
    dialog.environment_combo.setCurrentText("DEMO")
    dialog.list_url_edit.setText(svc.list_url)
    dialog.customer_id_edit.setText(svc.customer_id)
    if email:
        dialog.email_radio.setChecked(True)
        dialog.email_edit.setText(svc.login_email)
        dialog.password_edit.setText(password if password is not None else svc.login_password)
    else:
        dialog.token_edit.setText(svc.list_token)
    dialog.detail_url_edit.setText(svc.detail_url)
    dialog.detail_key_edit.setText(key if key is not None else svc.detail_key)


def run_test(qtbot, dialog: ProfileDialog) -> str:
    assert dialog.test_button.isEnabled()
    with qtbot.waitSignal(dialog.test_finished, timeout=15000) as blocker:
        dialog.test_button.click()
    return blocker.args[0]


def test_secret_fields_are_masked(qtbot, runner, store, secret_store):
    dialog = make_dialog(qtbot, runner, store, secret_store)
    for edit in (dialog.token_edit, dialog.password_edit, dialog.detail_key_edit):
        assert edit.echoMode() == QLineEdit.EchoMode.Password


def test_connection_reports_both_halves_ok(qtbot, runner, store, secret_store, fresh_demo):
    dialog = make_dialog(qtbot, runner, store, secret_store)
    fill(dialog, fresh_demo)
    report = run_test(qtbot, dialog)
    assert "✓ Case list: connected, 50 cases" in report
    assert "✓ Case detail: connected, the API key was accepted" in report
    assert "✗" not in report
    assert dialog.test_result_text() == report


def test_connection_with_email_sign_in(qtbot, runner, store, secret_store, fresh_demo):
    dialog = make_dialog(qtbot, runner, store, secret_store)
    fill(dialog, fresh_demo, email=True)
    report = run_test(qtbot, dialog)
    assert "✓ Case list: connected, 50 cases" in report


def test_wrong_api_key_rejects_the_detail_half(qtbot, runner, store, secret_store, fresh_demo):
    dialog = make_dialog(qtbot, runner, store, secret_store)
    fill(dialog, fresh_demo, key="cvk_wrong_key")
    report = run_test(qtbot, dialog)
    assert "✓ Case list: connected" in report
    assert "✗ Case detail: the API key was rejected" in report
    assert "cvk_wrong" not in report


def test_wrong_password_rejects_the_list_half(qtbot, runner, store, secret_store, fresh_demo):
    dialog = make_dialog(qtbot, runner, store, secret_store)
    fill(dialog, fresh_demo, email=True, password="not-the-password")
    report = run_test(qtbot, dialog)
    assert "✗ Case list: sign-in failed, the email or password was rejected" in report
    assert "✓ Case detail" in report
    assert "not-the-password" not in report


def test_save_writes_profile_file_and_keyring(qtbot, runner, store, secret_store, fresh_demo):
    dialog = make_dialog(qtbot, runner, store, secret_store)
    fill(dialog, fresh_demo)
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.save_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = dialog.saved_profile()
    assert saved is not None and saved.name == "demo" and saved.environment == "DEMO"
    assert store.get("demo").list_url == fresh_demo.list_url
    text = store.path.read_text(encoding="utf-8")
    for secret in (fresh_demo.list_token, fresh_demo.detail_key, fresh_demo.login_password):
        assert secret not in text
    assert "demo" in tomllib.loads(text)["profiles"]
    stored = secret_store.load("demo")
    assert stored.list_token == fresh_demo.list_token
    assert stored.detail_key == fresh_demo.detail_key
    assert stored.password is None


def test_editing_shows_placeholder_never_the_secret(qtbot, runner, store, secret_store, fresh_demo):
    from caseviewer.core.connection import Secrets

    profile = store.add(Profile(name="demo", list_url=fresh_demo.list_url, customer_id=fresh_demo.customer_id,
                                detail_url=fresh_demo.detail_url, email=fresh_demo.login_email, environment="DEMO"))
    secret_store.save("demo", Secrets(password=fresh_demo.login_password, detail_key=fresh_demo.detail_key))
    dialog = make_dialog(qtbot, runner, store, secret_store, profile=profile)
    qtbot.waitUntil(lambda: dialog.password_edit.placeholderText() == STORED_PLACEHOLDER)
    assert dialog.detail_key_edit.placeholderText() == STORED_PLACEHOLDER
    assert dialog.token_edit.placeholderText() == ""
    assert dialog.email_radio.isChecked() and dialog.name_edit.isReadOnly()
    secrets = {fresh_demo.login_password, fresh_demo.detail_key}
    for edit in dialog.findChildren(QLineEdit):
        assert edit.text() not in secrets
        assert not any(secret in edit.text() for secret in secrets)
    # Stored secrets are used for the test when the fields are left blank.
    report = run_test(qtbot, dialog)
    assert "✓ Case list: connected, 50 cases" in report and "✓ Case detail" in report
    # Save keeps the stored secrets and changes the rest.
    dialog.environment_combo.setCurrentText("STAGING")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        dialog.save_button.click()
    assert store.get("demo").environment == "STAGING"
    assert secret_store.load("demo").password == fresh_demo.login_password
    for edit in dialog.findChildren(QLineEdit):
        assert not any(secret in edit.text() for secret in secrets)


def test_keyring_unavailable_shows_message_and_stores_nothing(qtbot, runner, store, secret_store, fresh_demo):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    dialog = make_dialog(qtbot, runner, store, secret_store)
    fill(dialog, fresh_demo)
    with qtbot.waitSignal(dialog.save_failed, timeout=10000) as blocker:
        dialog.save_button.click()
    assert "keyring" in blocker.args[0].lower()
    assert "keyring" in dialog.validation_label.text().lower()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.saved_profile() is None
    assert not store.path.exists()
    assert store.list() == []


def test_validation_messages(qtbot, runner, store, secret_store, fresh_demo):
    dialog = make_dialog(qtbot, runner, store, secret_store)
    fill(dialog, fresh_demo)
    assert dialog.save_button.isEnabled() and dialog.validation_label.text() == ""
    dialog.list_url_edit.setText("not a url")
    assert not dialog.save_button.isEnabled() and not dialog.test_button.isEnabled()
    assert "list URL" in dialog.validation_label.text()

    dialog.list_url_edit.setText("http://cases.example.com/case/api/v1")
    assert "unencrypted" in dialog.validation_label.text()
    assert "Allow unencrypted http" in dialog.validation_label.text()
    assert not dialog.save_button.isEnabled()
    dialog.insecure_check.setChecked(True)
    assert dialog.save_button.isEnabled() and dialog.validation_label.text() == ""

    dialog.name_edit.setText("bad:name")
    assert "Invalid profile name" in dialog.validation_label.text()
    assert not dialog.save_button.isEnabled()
    dialog.name_edit.setText("ok")
    dialog.detail_key_edit.clear()
    assert "API key" in dialog.validation_label.text() and not dialog.save_button.isEnabled()


def test_name_already_taken(qtbot, runner, store, secret_store, fresh_demo):
    store.add(Profile(name="demo", detail_url=fresh_demo.detail_url))
    dialog = make_dialog(qtbot, runner, store, secret_store)
    fill(dialog, fresh_demo)
    assert "already exists" in dialog.validation_label.text()
    assert not dialog.save_button.isEnabled()


def test_switcher_lists_profiles_and_emits(qtbot, store, fresh_demo):
    store.add(Profile(name="prod", detail_url="https://detail.example.com", environment="PRODUCTION"))
    store.add(Profile(name="stage", detail_url="https://detail.example.com", environment="STAGING", color="#00aa00"))
    switcher = ProfileSwitcher(store)
    qtbot.addWidget(switcher)
    assert switcher.profile_names() == ["prod", "stage"]
    assert switcher.current_profile() == "prod"
    assert switcher.itemText(0) == "prod · PRODUCTION"
    with qtbot.waitSignal(switcher.profile_chosen) as blocker:
        switcher.choose(1)
    assert blocker.args == ["stage"]
    new_index = switcher.findText("New profile…")
    with qtbot.waitSignal(switcher.new_requested):
        switcher.choose(new_index)
    assert switcher.current_profile() == "stage" and switcher.currentText() == "stage · STAGING"
    with qtbot.waitSignal(switcher.manage_requested):
        switcher.choose(switcher.findText("Manage profiles…"))


def test_environment_badge_colours(qtbot):
    badge = EnvironmentBadge("production")
    qtbot.addWidget(badge)
    assert badge.text() == "PRODUCTION" and badge.color == "#c62828"
    badge.set_environment("STAGING")
    assert badge.color == "#b26a00"
    badge.set_environment("DEMO")
    assert badge.color == "#1f63a8"
    badge.set_environment("qa", "#00aa00")
    assert badge.text() == "QA" and badge.color == "#00aa00"
    badge.set_environment("")
    assert badge.isHidden()
