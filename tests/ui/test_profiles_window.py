"""Profiles from the real window: the demo's switcher and title, Manage profiles, and fixing a
rejected credential from the error views (pytest-qt, the demo service over loopback HTTP)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from caseviewer.core.connection import ConnectionSettings, Secrets, build_api, resolve
from caseviewer.core.profiles import Profile, ProfileStore
from caseviewer.core.repository import CaseRepository
from caseviewer.core.secrets import SecretStore
from caseviewer.core.session import Session
from caseviewer.ui.app import APP_NAME, build_window
from caseviewer.ui.dialogs.manage_profiles import ManageProfilesDialog
from caseviewer.ui.dialogs.profile_dialog import REPLACE_PLACEHOLDER, ProfileDialog
from caseviewer.ui.case_list.table_states import ERROR

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
WAIT = 15_000


@pytest.fixture
def windows(qtbot):
    opened = []

    def make(session):
        window = build_window(session)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        opened.append(window)
        return window

    yield make
    for window in opened:
        bar = getattr(window, "profile_bar", None)
        if bar is not None and bar.dialog is not None:
            bar.dialog.reject()
        window.close()


def demo_repository(svc) -> CaseRepository:
    from caseviewer.core.connection import ConnectionSettings

    settings = ConnectionSettings(name="Demo", list_url=svc.list_url, customer_id=svc.customer_id, detail_url=svc.detail_url)
    return CaseRepository(build_api(settings, Secrets(list_token=svc.list_token, detail_key=svc.detail_key)))


def add_profile(svc, name="work", *, token=None, key=None, environment="STAGING") -> Profile:
    profile = ProfileStore().add(Profile(
        name=name, list_url=svc.list_url, customer_id=svc.customer_id, detail_url=svc.detail_url,
        environment=environment, page_size=20,
    ))
    SecretStore().save(name, Secrets(list_token=token or svc.list_token, detail_key=key or svc.detail_key))
    return profile


def profile_window(windows, name):
    """The window as ``caseviewer --profile NAME`` opens it."""
    settings, secrets = resolve(name, flags={})
    repository = CaseRepository(build_api(settings, secrets))
    return windows(Session(repository, settings))


def shown_title(window) -> str:
    """The title the window system shows: Qt appends the display name unless it ends with it."""
    title, name = window.windowTitle(), QGuiApplication.applicationDisplayName()
    return title if title.endswith(name) else f"{title} — {name}"


# -- item 5: the demo ------------------------------------------------------------------------


def test_demo_shows_demo_in_the_switcher_and_the_name_once_in_the_title(qtbot, windows, fresh_demo):
    add_profile(fresh_demo, "someprofile")  # a stored profile must not be shown as the current one
    app = QApplication.instance()
    before = app.applicationDisplayName()
    app.setApplicationDisplayName(APP_NAME)  # as the app sets it
    try:
        window = windows(Session(demo_repository(fresh_demo), ConnectionSettings(name="Demo", environment="DEMO"),
                                 label="Demo service", unsaved_name="Demo"))
        assert shown_title(window) == "Demo service — caseviewer"
        assert shown_title(window).count("caseviewer") == 1
    finally:
        app.setApplicationDisplayName(before)
    switcher = window.profile_bar.switcher
    assert switcher.currentText() == "Demo"
    assert switcher.profile_names() == ["someprofile"]
    assert not window.update_credentials_action.isEnabled()  # the demo is no saved profile


# -- item 2: Manage profiles -------------------------------------------------------------------


def open_manage(qtbot, window) -> ManageProfilesDialog:
    switcher = window.profile_bar.switcher
    switcher.choose(switcher.findText("Manage profiles…"))
    dialog = window.profile_bar.dialog
    assert isinstance(dialog, ManageProfilesDialog)  # not a blank "New profile"
    qtbot.waitUntil(lambda: dialog.list.count() > 0, timeout=WAIT)
    return dialog


def test_manage_profiles_lists_them_and_tests_one(qtbot, windows, fresh_demo):
    add_profile(fresh_demo, "work")
    add_profile(fresh_demo, "broken", key="wrong-key")
    window = profile_window(windows, "work")
    dialog = open_manage(qtbot, window)
    assert dialog.profile_names() == ["broken", "work"]
    assert dialog.selected_name() == "work"
    assert not dialog.remove_button.isEnabled()  # this window uses it
    dialog.select("broken")
    with qtbot.waitSignal(dialog.tested, timeout=WAIT) as tested:
        dialog.test_button.click()
    assert tested.args[0].splitlines() == [
        "✓ Case list: connected, 50 cases", "✗ Case detail: the API key was rejected",
    ]
    assert dialog.result_text() == tested.args[0]


def test_manage_profiles_shows_the_selected_profile_and_its_own_colour(qtbot, windows, fresh_demo):
    add_profile(fresh_demo, "work", environment="PRODUCTION")
    ProfileStore().update("work", color="#2e7d32")
    add_profile(fresh_demo, "broken", key="wrong-key")
    SecretStore().delete("broken", "detail_key")
    window = profile_window(windows, "work")
    dialog = open_manage(qtbot, window)
    item = dialog.list.item(dialog.profile_names().index("work"))
    corner = item.icon().pixmap(12, 12).toImage().pixelColor(6, 6)
    assert corner.name() == "#2e7d32", "the swatch is the profile's colour, not PRODUCTION red"

    with qtbot.waitSignal(dialog.summarized, timeout=WAIT):
        dialog.select("broken")
    rows = {key: label.text() for key, label in dialog.summary.values.items()}
    assert rows["list"].startswith(fresh_demo.list_url) and fresh_demo.customer_id in rows["list"]
    assert rows["detail"] == fresh_demo.detail_url
    assert rows["environment"].startswith("STAGING")
    assert rows["options"].startswith("20 cases a page")
    assert rows["secrets"].startswith("bearer token") and "missing: API key" in rows["secrets"]
    shown = dialog.summary.text()
    assert fresh_demo.list_token not in shown and fresh_demo.detail_key not in shown  # never a secret

    dialog.resize(680, 460)
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.tested, timeout=WAIT):
        dialog.test_button.click()
    first, second = dialog.result_labels
    gap = second.mapTo(dialog, second.rect().topLeft()).y() - first.mapTo(dialog, first.rect().bottomLeft()).y()
    assert first.text() and second.text() and gap <= 4, f"{gap} px between the two result lines"


def test_manage_profiles_edit_duplicate_and_remove(qtbot, windows, fresh_demo):
    add_profile(fresh_demo, "work")
    add_profile(fresh_demo, "old")
    window = profile_window(windows, "work")
    dialog = open_manage(qtbot, window)

    dialog.select("work")
    dialog.edit_button.click()
    edit = dialog.child_dialog
    assert isinstance(edit, ProfileDialog) and edit.windowTitle() == "Edit profile"
    assert edit.name_edit.text() == "work" and edit.name_edit.isReadOnly()
    edit.reject()

    dialog.duplicate_button.click()
    copy = dialog.child_dialog
    assert copy.windowTitle() == "New profile" and copy.name_edit.text() == "work-copy"
    assert not copy.name_edit.isReadOnly()
    assert copy.list_url_edit.text() == fresh_demo.list_url
    copy.token_edit.setText(fresh_demo.list_token)
    copy.detail_key_edit.setText(fresh_demo.detail_key)
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        copy.save_button.click()
    assert dialog.profile_names() == ["old", "work", "work-copy"]
    assert dialog.selected_name() == "work-copy"

    dialog.select("old")
    dialog.remove_button.click()
    box = dialog.child_dialog
    assert isinstance(box, QMessageBox)
    remove = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        remove.click()
    assert dialog.profile_names() == ["work", "work-copy"]
    assert SecretStore().load("old").detail_key is None
    assert "Removed" in dialog.result_text()


def test_set_secrets_opens_the_profile_ready_to_replace(qtbot, windows, fresh_demo):
    add_profile(fresh_demo, "work")
    window = profile_window(windows, "work")
    dialog = open_manage(qtbot, window)
    dialog.secrets_button.click()
    secrets = dialog.child_dialog
    assert secrets.windowTitle() == "Update credentials — work"
    qtbot.waitUntil(lambda: secrets.token_edit.placeholderText() == REPLACE_PLACEHOLDER, timeout=WAIT)
    assert secrets.detail_key_edit.placeholderText() == REPLACE_PLACEHOLDER
    secrets.reject()


# -- item 2: a rejected credential offers "Update credentials…" --------------------------------


def test_a_rejected_list_token_offers_update_credentials_and_stores_the_new_one(qtbot, windows, fresh_demo):
    add_profile(fresh_demo, "work", token="stale-token")
    window = profile_window(windows, "work")
    qtbot.waitUntil(lambda: window.overlay.kind == ERROR, timeout=WAIT)
    assert "401" in window.overlay.detail_text()
    assert window.overlay.button_text() == "Update credentials…"
    assert window.update_credentials_action.isEnabled()

    window.overlay._button.click()
    dialog = window.profile_bar.dialog
    assert isinstance(dialog, ProfileDialog) and dialog.windowTitle() == "Update credentials — work"
    qtbot.waitUntil(lambda: dialog.token_edit.placeholderText() == REPLACE_PLACEHOLDER, timeout=WAIT)
    assert dialog.focusWidget() is dialog.token_edit
    dialog.token_edit.setText(fresh_demo.list_token)
    with qtbot.waitSignal(dialog.finished, timeout=WAIT):
        dialog.save_button.click()
    assert SecretStore().load("work").list_token == fresh_demo.list_token
    offer = window.profile_bar.dialog
    assert isinstance(offer, QMessageBox) and "Reopen" in offer.text()
    offer.button(QMessageBox.StandardButton.No).click()  # "Later": no new process in a test


def test_a_rejected_detail_key_offers_update_credentials_on_the_pane(qtbot, windows, fresh_demo):
    add_profile(fresh_demo, "work", key="wrong-key")
    window = profile_window(windows, "work")
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=WAIT)
    with qtbot.waitSignal(window.detail_failed, timeout=WAIT):
        window.select_row(0)
    button = window.pane.credentials_button
    assert button.isVisible() and button.text() == "Update credentials…"
    button.click()
    dialog = window.profile_bar.dialog
    assert isinstance(dialog, ProfileDialog) and dialog.windowTitle() == "Update credentials — work"
    dialog.reject()


def test_the_list_and_case_page_say_a_rejected_credential_in_one_style(qtbot, windows, fresh_demo):
    import re

    add_profile(fresh_demo, "stale", token="stale-token")
    listing = profile_window(windows, "stale")
    qtbot.waitUntil(lambda: listing.overlay.kind == ERROR, timeout=WAIT)
    add_profile(fresh_demo, "work", key="wrong-key")
    window = profile_window(windows, "work")
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=WAIT)
    with qtbot.waitSignal(window.detail_failed, timeout=WAIT):
        window.select_row(0)
    views = {"list": listing.overlay.state_view, "case": window.pane.error_view}
    shape = re.compile(r"The case (list|detail) service did not accept the [\w ]+ \(HTTP \d{3}\)\. .+ in the profile\.")
    for name, view in views.items():
        assert view.title.text().startswith("Couldn't load "), name
        assert not view.icon.isHidden(), f"the {name} error has the error icon"
        assert view.title.font().bold() and view.title.font().pointSizeF() == views["list"].title.font().pointSizeF()
        assert shape.fullmatch(view.detail.text()), (name, view.detail.text())
    # A state that is not an error shows no error icon.
    listing.overlay.show_loading()
    assert listing.overlay.state_view.icon.isHidden()


def test_update_credentials_menu_action_opens_the_active_profile(qtbot, windows, fresh_demo):
    add_profile(fresh_demo, "work")
    window = profile_window(windows, "work")
    window.update_credentials_action.trigger()
    dialog = window.profile_bar.dialog
    assert isinstance(dialog, ProfileDialog) and dialog.name_edit.text() == "work"
    dialog.reject()


def test_a_network_error_offers_no_credentials_button(qtbot, windows, fresh_demo):
    add_profile(fresh_demo, "work")
    fresh_demo.faults.update(status=503, scope="list")
    window = profile_window(windows, "work")
    qtbot.waitUntil(lambda: window.overlay.kind == ERROR, timeout=30_000)
    assert window.overlay.button_text() == "Retry"
