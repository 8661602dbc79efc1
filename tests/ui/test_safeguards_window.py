"""The workstation safeguards on the real main window over the demo service (real loopback HTTP,
real SQLCipher cache): the idle lock, unlocking, five failures quitting, privacy mode, and the
access log recording each action once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QPlainTextEdit, QWidget

from caseviewer.core.access_log import AccessAction, AccessLog
from caseviewer.core.privacy import MASK, MASK_STATE
from caseviewer.core.secrets import PASSWORD, UNLOCK_HASH, SecretStore
from caseviewer.ui.detail.attachment_actions import AttachmentDialogs
from caseviewer.ui.detail.tabs.attachments import AttachmentsTab
from caseviewer.ui.safeguards.lock import controller as lock_controller
from caseviewer.ui.safeguards.lock.screen import LOCKED_TITLE, LockMode
from caseviewer.ui.detail.tabs.overview import OverviewTab
from tests.conftest_demo import FakeClock
from tests.support.windows import make_main_window  # noqa: F401 - fixture
from tests.unit.test_cache_support import make_repository, open_cache
from tests.support.models import column_count

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (propagateSizeHints|raise)")
WAIT_MS = 20_000
PROFILE = "reviewer-profile"
PASSWORD_TEXT = "correct horse battery"


@pytest.fixture(autouse=True)
def _mask_state_reset():
    yield
    MASK_STATE.enabled = MASK_STATE.locked = False
    MASK_STATE.forget_terms()


@pytest.fixture
def clock():
    return FakeClock(1000.0)


@pytest.fixture
def window(qtbot, fresh_demo, make_main_window, clock):
    repository = make_repository(fresh_demo, open_cache(name=PROFILE))
    repository.access_log = AccessLog(repository.cache, profile=PROFILE, user="tester")
    win = make_main_window(repository, page_size=20)
    detector = win.safeguards.lock.detector
    detector.set_clock(clock)
    detector.timer.setInterval(20)
    qtbot.waitUntil(lambda: win.model.rowCount() > 0, timeout=WAIT_MS)
    return win


def open_rich_case(qtbot, window, fresh_demo):
    """Open a case with a submitter, comments and attachments (not every demo case has all)."""
    for row in range(window.model.rowCount()):
        with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS) as shown:
            window.select_row(row)
        detail = shown.args[0].detail
        if detail is not None and detail.submitter and detail.submitter.dob and detail.comments and any(
                att.file_name and att.file_name.endswith(".png") for _, att in detail.all_attachments()):
            return shown.args[0]
    raise AssertionError("no rich demo case")


def phi_of(result) -> list[str]:
    s = result.detail.submitter
    texts = [s.first_name, s.last_name, s.email, s.dob]
    from datetime import date

    from caseviewer.core.glance import age_on

    age = age_on(s.dob, date.today())
    if age is not None:
        texts.append(f"{age} (born")  # the age tells the date of birth as well
    texts += [c.text[:40] for c in result.detail.comments if c.text and len(c.text) >= 8]
    if result.record is not None and result.record.applicant is not None:
        texts.append(result.record.applicant.full_name)
    return [t for t in texts if t and len(t) >= 3]


def widget_texts(widget: QWidget) -> list[str]:
    out = [widget.windowTitle(), widget.toolTip()]
    for getter in ("text", "toPlainText", "placeholderText"):
        method = getattr(widget, getter, None)
        if callable(method):
            try:
                value = method()
            except TypeError:
                continue
            if isinstance(value, str):
                out.append(value)
    if isinstance(widget, QAbstractItemView) and widget.model() is not None:
        model = widget.model()
        for row in range(min(model.rowCount(), 500)):
            for column in range(column_count(model)):
                index = model.index(row, column)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str):
                        out.append(value)
    return out


def leaks(phi: list[str], widgets) -> list[tuple[str, str]]:
    found = []
    for widget in widgets:
        for text in widget_texts(widget):
            for needle in phi:
                if needle.lower() in text.lower():
                    found.append((type(widget).__name__ + ":" + widget.objectName(), needle))
    return found


def visible_widgets() -> list[QWidget]:
    # Widgets added to a shown layout become visible through a queued call: let it run first.
    QApplication.processEvents()
    QApplication.processEvents()
    return [w for w in QApplication.allWidgets() if w.isVisible()]


def preview_png(qtbot, window, result) -> None:
    pane = window.pane
    tab = next(t for t in pane.tab_pages if isinstance(t, AttachmentsTab))
    pane.tabs.setCurrentWidget(tab)
    png = next(att for _, att in result.detail.all_attachments() if att.file_name and att.file_name.endswith(".png"))
    with qtbot.waitSignal(pane.preview.preview_ready, timeout=WAIT_MS):
        assert tab.select_attachment(png)


# -- idle lock ------------------------------------------------------------------------------


def test_idle_lock_after_the_timeout_hides_every_phi_bearing_widget(qtbot, window, fresh_demo, clock):
    result = open_rich_case(qtbot, window, fresh_demo)
    phi = phi_of(result)
    assert leaks(phi, visible_widgets()), "the test must see the PHI before the lock"
    QGuiApplication.clipboard().setText(result.detail.submitter.email)

    clock.advance(9 * 60)
    qtbot.wait(60)  # several checks of the 20 ms timer: not idle long enough yet
    assert not window.safeguards.lock.is_locked
    clock.advance(61)
    qtbot.waitUntil(lambda: window.safeguards.lock.is_locked, timeout=WAIT_MS)

    screen = window.safeguards.lock.screen
    assert screen.isVisible() and screen.windowTitle() == LOCKED_TITLE
    assert not window.isVisible() and window.windowTitle() == LOCKED_TITLE
    assert leaks(phi, visible_widgets()) == []
    # Cleared, not only hidden: no widget of the case page holds the case's text any more.
    assert leaks(phi, [window.pane, *window.pane.findChildren(QWidget)]) == []
    assert window.pane.preview.current_data() is None
    assert QGuiApplication.clipboard().text() == ""


def test_background_results_wait_behind_the_lock_and_show_after_unlock(qtbot, window, fresh_demo):
    SecretStore().set(PROFILE, PASSWORD, PASSWORD_TEXT)
    window.safeguards.configure(profile=PROFILE)
    first = open_rich_case(qtbot, window, fresh_demo)
    title = window.windowTitle()
    window.safeguards.lock_action.trigger()
    screen = window.safeguards.lock.screen
    qtbot.waitUntil(lambda: screen.mode is LockMode.ENTER, timeout=WAIT_MS)
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS):
        window.retry_detail()  # a refresh finishing while locked
    assert leaks(phi_of(first), [window.pane, *window.pane.findChildren(QWidget)]) == []

    screen.secret.setText(PASSWORD_TEXT)
    with qtbot.waitSignal(window.safeguards.lock.locked_changed, timeout=WAIT_MS):
        screen.unlock_button.click()
    assert window.isVisible() and window.windowTitle() == title != LOCKED_TITLE
    qtbot.waitUntil(lambda: bool(leaks(phi_of(first), visible_widgets())), timeout=WAIT_MS)
    assert window.pane.current_case_id() == first.case_id, "the case page shows the case again after unlock"


def test_unlock_with_the_sign_in_password_wrong_then_right(qtbot, window, fresh_demo):
    SecretStore().set(PROFILE, PASSWORD, PASSWORD_TEXT)
    window.safeguards.configure(profile=PROFILE)
    open_rich_case(qtbot, window, fresh_demo)
    window.safeguards.lock_action.trigger()
    lock = window.safeguards.lock
    screen = lock.screen
    qtbot.waitUntil(lambda: screen.mode is LockMode.ENTER, timeout=WAIT_MS)
    assert "sign-in password" in screen.prompt.text()

    screen.secret.setText("not the password")
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: "4 tries left" in screen.message.text(), timeout=WAIT_MS)
    assert lock.is_locked and not window.isVisible()

    screen.secret.setText(PASSWORD_TEXT)
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: not lock.is_locked, timeout=WAIT_MS)
    assert window.isVisible() and not screen.isVisible()
    assert lock.verifier.failures == 0


def test_token_profile_sets_a_passphrase_stored_only_as_a_scrypt_hash(qtbot, window):
    window.safeguards.configure(profile=PROFILE)  # no password in the keyring: a passphrase profile
    lock = window.safeguards.lock
    lock.verifier._log_n = 10  # cheap scrypt for the test; the format records the cost
    window.safeguards.lock_action.trigger()
    screen = lock.screen
    qtbot.waitUntil(lambda: screen.mode is LockMode.SET_PASSPHRASE, timeout=WAIT_MS)
    screen.secret.setText("tiger lily 42")
    screen.repeat.setText("tiger lily 4")
    screen.unlock_button.click()
    assert "differ" in screen.message.text() and lock.is_locked
    screen.secret.setText("tiger lily 42")
    screen.repeat.setText("tiger lily 42")
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: not lock.is_locked, timeout=WAIT_MS)
    stored = SecretStore().get(PROFILE, UNLOCK_HASH)
    assert stored.startswith("scrypt$10$") and "tiger lily" not in stored

    window.safeguards.lock_action.trigger()
    qtbot.waitUntil(lambda: screen.mode is LockMode.ENTER, timeout=WAIT_MS)
    screen.secret.setText("tiger lily 43")
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: "4 tries left" in screen.message.text(), timeout=WAIT_MS)
    screen.secret.setText("tiger lily 42")
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: not lock.is_locked, timeout=WAIT_MS)


def test_five_wrong_secrets_take_the_quit_path(qtbot, window, monkeypatch):
    quits = []
    monkeypatch.setattr(lock_controller, "quit_application", lambda: quits.append(True))
    SecretStore().set(PROFILE, PASSWORD, PASSWORD_TEXT)
    window.safeguards.configure(profile=PROFILE)
    window.safeguards.lock_action.trigger()
    screen = window.safeguards.lock.screen
    qtbot.waitUntil(lambda: screen.mode is LockMode.ENTER, timeout=WAIT_MS)
    for attempt in range(1, 5):
        screen.secret.setText(f"wrong {attempt}")
        screen.unlock_button.click()
        qtbot.waitUntil(lambda a=attempt: f"{5 - a} tr" in screen.message.text(), timeout=WAIT_MS)
    assert not quits
    screen.secret.setText("wrong 5")
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: bool(quits), timeout=WAIT_MS)
    assert window._shut_down  # the window's own quit path ran: settings saved, workers stopped
    assert not screen.isVisible()


def test_lock_drops_the_signed_in_token(qtbot, window):
    from caseviewer.core.api import SignInClient, SignInCredential

    credential = SignInCredential(SignInClient("http://127.0.0.1:9"), "a@example.test", "pw")
    credential._token = "signed-in-token"
    window.repository.api.list.credential = credential
    window.safeguards.lock_action.trigger()
    assert credential._token is None


# -- privacy mode ---------------------------------------------------------------------------


def test_privacy_mode_masks_the_table_case_page_and_preview(qtbot, window, fresh_demo):
    result = open_rich_case(qtbot, window, fresh_demo)
    preview_png(qtbot, window, result)
    phi = phi_of(result)
    assert leaks(phi, visible_widgets())

    privacy = window.safeguards.privacy
    privacy.action.trigger()  # Ctrl+Shift+M
    assert privacy.banner.isVisible() and "Privacy mode" in privacy.banner.text()
    assert privacy.button.isChecked()
    assert window.pane.current_case_id() == result.case_id, "the case page still shows the case, masked"
    assert leaks(phi, visible_widgets()) == []
    for index in range(window.pane.tabs.count()):  # every tab of the case page, as the reviewer opens them
        window.pane.tabs.setCurrentIndex(index)
        assert leaks(phi, visible_widgets()) == [], window.pane.tabs.tabText(index)
    window.pane.tabs.setCurrentWidget(next(t for t in window.pane.tab_pages if isinstance(t, AttachmentsTab)))
    applicant = window.model.index(0, window.model.COL_APPLICANT)
    assert window.model.data(applicant) == MASK
    preview = window.pane.preview
    assert not preview.image_viewer.isVisible()  # hidden behind the notice
    # The preview stays masked when a case arrives while privacy mode is on.
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS):
        window.retry_detail()
    assert leaks(phi, visible_widgets()) == []

    privacy.action.trigger()
    assert not privacy.banner.isVisible()
    assert window.pane.current_case_id() == result.case_id
    assert leaks(phi, [window.pane, *window.pane.findChildren(QWidget)]), "the case page shows the case again"


def test_reveal_shows_one_field_for_five_seconds(qtbot, window, fresh_demo):
    from caseviewer.ui.detail.widgets import REVEAL_PROPERTY

    result = open_rich_case(qtbot, window, fresh_demo)
    window.safeguards.privacy.set_enabled(True)
    email = result.detail.submitter.email
    window.pane.tab_widget().setCurrentWidget(next(t for t in window.pane.tab_pages if isinstance(t, OverviewTab)))
    label = next(w for w in window.pane.findChildren(QLabel) if w.property(REVEAL_PROPERTY) == email)
    assert label.text() == MASK
    label.setFocus()
    window.safeguards.privacy.reveal(label)
    assert label.text() == email
    qtbot.waitUntil(lambda: label.text() == MASK, timeout=8_000)


# -- access log -----------------------------------------------------------------------------


class SaveTo(AttachmentDialogs):
    def __init__(self, folder):
        self.folder_path = folder

    def save_path(self, parent, suggested):
        return str(self.folder_path / "copy.png")


def actions_logged(window) -> list[tuple[str, str | None]]:
    log = window.repository.access_log
    assert log.flush()
    return [(e.action, e.case_id) for e in log.entries()]


def test_the_access_log_records_each_action_once(qtbot, window, fresh_demo, tmp_path):
    result = open_rich_case(qtbot, window, fresh_demo)
    case_id = result.detail.id
    opened = [a for a in actions_logged(window) if a[0] == "case_opened"]
    assert opened[-1] == ("case_opened", case_id)
    before = len(actions_logged(window))

    preview_png(qtbot, window, result)
    actions = window.pane.actions
    actions.dialogs = SaveTo(tmp_path)
    with qtbot.waitSignal(actions.saved, timeout=WAIT_MS):
        actions.save()
    window.filter_bar.set_search("Smith")
    window.safeguards.lock_action.trigger()
    window.safeguards.lock.unlock()
    log = actions_logged(window)[before:]
    assert log == [
        ("attachment_previewed", case_id),
        ("attachment_saved", case_id),
        ("search", None),
        ("lock", None),
        ("unlock", None),
    ]
    # Repainting the case after unlock or a privacy toggle is not a new "case opened".
    window.safeguards.privacy.set_enabled(True)
    window.safeguards.privacy.set_enabled(False)
    assert actions_logged(window)[before:] == log
    entry = window.repository.access_log.entries()[-1]
    assert (entry.os_user, entry.profile) == ("tester", PROFILE)
    assert window.repository.access_log.verify().ok


def test_search_in_cached_cases_and_sync_are_logged_once(qtbot, window):
    from caseviewer.core.sync import sync_all

    window.repository.search_cached("anything")
    sync_all(window.repository, concurrency=1)
    assert [a for a in actions_logged(window) if a[0] in ("search", "sync_started")] == [
        ("search", None), ("sync_started", None)]


def test_access_log_viewer_filters_verifies_and_exports(qtbot, window, fresh_demo, tmp_path):
    result = open_rich_case(qtbot, window, fresh_demo)
    window.repository.access_log.record(AccessAction.EXPORT_PDF, "=cmd|' /C calc'!A0")
    window.repository.access_log.flush()
    viewer = window.safeguards.show_access_log()
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: viewer.model.rowCount() > 0, timeout=WAIT_MS)
    with qtbot.waitSignal(viewer.loaded, timeout=WAIT_MS):
        viewer.case_edit.setText(result.detail.id)
        viewer.reload()
    assert {e.case_id for e in viewer.model.entries} == {result.detail.id}
    with qtbot.waitSignal(viewer.loaded, timeout=WAIT_MS):
        viewer.case_edit.clear()
        viewer.action_combo.setCurrentIndex(viewer.action_combo.findData(AccessAction.EXPORT_PDF))
    assert [e.action for e in viewer.model.entries] == ["export_pdf"]
    with qtbot.waitSignal(viewer.verified, timeout=WAIT_MS) as verified:
        viewer.verify()
    assert verified.args[0].ok and "intact" in viewer.status.text()
    target = tmp_path / "log.csv"
    with qtbot.waitSignal(viewer.exported, timeout=WAIT_MS):
        viewer.export_to(str(target))
    text = target.read_text(encoding="utf-8")
    assert "'=cmd|" in text and ",=cmd" not in text


def test_access_log_viewer_lists_cases_by_short_id_in_one_line_rows(qtbot, window, fresh_demo):
    result = open_rich_case(qtbot, window, fresh_demo)
    case_id, short_id = result.detail.id, result.detail.short_id
    assert short_id and short_id != case_id
    window.repository.access_log.flush()
    viewer = window.safeguards.show_access_log()
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: viewer.model.rowCount() > 0, timeout=WAIT_MS)
    model = viewer.model
    row = next(r for r, e in enumerate(model.entries) if e.case_id == case_id)
    cell = model.index(row, 5)
    assert model.data(cell) == short_id, "the list shows the short ID the case header shows"
    assert case_id in model.data(cell, Qt.ItemDataRole.ToolTipRole)
    viewer.table.setCurrentIndex(cell)
    assert viewer.copy_case_id() == case_id and QGuiApplication.clipboard().text() == case_id
    line = viewer.table.fontMetrics().height()
    assert viewer.table.rowHeight(row) <= line + 8, "one text line a row"

    with qtbot.waitSignal(viewer.loaded, timeout=WAIT_MS):
        viewer.case_edit.setText(short_id.lower())  # typed as the list shows it, any case
        viewer.reload()
    assert {e.case_id for e in model.entries} == {case_id}

    # The date range is usable at once: picking a day turns it on.
    assert viewer.from_edit.isEnabled() and viewer.to_edit.isEnabled() and not viewer.date_check.isChecked()
    viewer.case_edit.clear()
    with qtbot.waitSignal(viewer.loaded, timeout=WAIT_MS):
        viewer.from_edit.setDate(viewer.to_edit.date().addDays(1))  # from tomorrow: nothing yet
    assert viewer.date_check.isChecked() and model.rowCount() == 0
    with qtbot.waitSignal(viewer.loaded, timeout=WAIT_MS):
        viewer.date_check.setChecked(False)
    assert model.rowCount() > 0


def test_without_a_keyring_the_viewer_says_there_is_no_access_log(qtbot, fresh_demo, make_main_window):
    window = make_main_window(make_repository(fresh_demo, None), cache_unavailable_reason="No keyring here.")
    viewer = window.safeguards.show_access_log()
    qtbot.addWidget(viewer)
    assert "No access log" in viewer.status.text() and "keyring" in viewer.status.text()
    assert "No access log" in window.safeguards.access_log_action.toolTip()


def test_input_resets_the_idle_timer_and_ctrl_alt_l_locks_at_once(qtbot, window, clock):
    lock = window.safeguards.lock
    clock.advance(9 * 60)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    # Through the window, as the platform delivers input: the idle filter watches the windows.
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_Down)
    clock.advance(9 * 60)
    qtbot.wait(60)
    assert not lock.is_locked
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    qtbot.keyClick(window.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    assert lock.is_locked
