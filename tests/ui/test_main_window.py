"""The real main window driven with pytest-qt against the demo service over loopback HTTP."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from caseviewer.core.api import (
    BearerToken,
    CaseApi,
    CaseDetailClient,
    CaseListClient,
    CaseQuery,
    SearchField,
    SortField,
)
from caseviewer.core.repository import CaseRepository
from caseviewer.ui.case_list.case_table_model import CaseTableModel as M
from caseviewer.ui.window.main_window import MainWindow
from caseviewer.ui.dialogs.open_case_dialog import BY_EMAIL, BY_ID, CaseLookup, validate
from caseviewer.ui.case_list.table_states import EMPTY, ERROR, HINT, LOADING
from tests.support.windows import make_main_window  # noqa: F401 - fixture


# The offscreen platform says this whenever a dialog is shown; it is not about our code.
OFFSCREEN_DIALOG_NOISE = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def build_repository(svc, *, with_list: bool = True, with_detail: bool = True) -> CaseRepository:
    list_client = (
        CaseListClient(svc.list_url, customer_id=svc.customer_id, credential=BearerToken(svc.list_token))
        if with_list
        else None
    )
    detail_client = CaseDetailClient(svc.detail_url, api_key=svc.detail_key) if with_detail else None
    return CaseRepository(CaseApi(list=list_client, detail=detail_client))


@pytest.fixture
def make_window(make_main_window):
    def make(svc, *, page_size: int = 100, **repo_options) -> MainWindow:
        return make_main_window(build_repository(svc, **repo_options), page_size=page_size)

    return make


def wait_loaded(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.model.has_loaded_first_page and not window.model.is_loading, timeout=15_000)


def rows(window: MainWindow) -> list:
    return [window.model.record(r) for r in range(window.model.rowCount())]


def spy(monkeypatch, obj, name: str) -> list:
    """Record every call of ``obj.name`` (and still make it)."""
    calls: list = []
    original = getattr(obj, name)

    def recording(*args, **kwargs):
        calls.append(args[0] if args else kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, name, recording)
    return calls


def click_header(window: MainWindow, column: int) -> None:
    header = window.header
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, header.height() // 2))


def select_and_wait(qtbot, window: MainWindow, row: int):
    with qtbot.waitSignal(window.detail_shown, timeout=15_000) as blocker:
        window.select_row(row)
    return blocker.args[0]


# -- the list ----------------------------------------------------------------------------------


def test_scrolling_pages_through_all_cases(qtbot, make_window, demo_service):
    window = make_window(demo_service)
    wait_loaded(qtbot, window)
    assert window.model.rowCount() == 100
    assert window.count_label.text() == "Showing 100 of 1,000 cases"
    for _ in range(20):
        if window.model.rowCount() == 1000 and not window.model.canFetchMore():
            break
        before = window.model.rowCount()
        window.view.scrollToBottom()
        qtbot.waitUntil(lambda: window.model.rowCount() > before or not window.model.canFetchMore(), timeout=15_000)
    assert window.model.rowCount() == 1000
    assert not window.model.canFetchMore()
    assert [r.id for r in rows(window)] == demo_service.data.case_ids()
    assert window.count_label.text() == "Showing 1,000 of 1,000 cases"


def test_header_clicks_sort_on_the_service(qtbot, make_window, demo_service):
    window = make_window(demo_service, page_size=50)
    wait_loaded(qtbot, window)
    reference = build_repository(demo_service, with_detail=False)

    def service_ids(field: SortField, descending: bool) -> list[str]:
        page = reference.list_page(CaseQuery(items_per_page=50, sort_field=field, descending=descending))
        return [r.id for r in page.records]

    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        click_header(window, M.COL_BUSINESS)
    names = [r.business_name.casefold() for r in rows(window)]
    assert window.model.query.sort_field is SortField.BUSINESS_NAME and not window.model.query.descending
    assert names == sorted(names)
    assert [r.id for r in rows(window)] == service_ids(SortField.BUSINESS_NAME, False)

    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        click_header(window, M.COL_BUSINESS)
    assert window.model.query.descending
    assert [r.id for r in rows(window)] == service_ids(SortField.BUSINESS_NAME, True)

    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        click_header(window, M.COL_CREATED)
    assert window.model.query.sort_field is SortField.CREATED_AT and window.model.query.descending
    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        click_header(window, M.COL_CREATED)
    created = [r.created_at for r in rows(window)]
    assert created == sorted(created)
    assert [r.id for r in rows(window)] == service_ids(SortField.CREATED_AT, False)

    # Status cannot be sorted by the service: nothing is asked, the arrow stays on Created.
    query = window.model.query
    click_header(window, M.COL_STATUS)
    assert window.model.query is query
    assert window.header.sortIndicatorSection() == M.COL_CREATED
    reference.close()


def test_search_box_narrows_the_list(qtbot, make_window, demo_service):
    window = make_window(demo_service)
    wait_loaded(qtbot, window)
    word = rows(window)[3].business_name.split()[0]
    window.filter_bar.scope_combo.setCurrentIndex(1)  # Business name
    window.filter_bar.focus_search()
    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        QTest.keyClicks(window.filter_bar.search_edit, word)
    assert window.model.query.search == word
    assert window.model.query.search_fields == (SearchField.BUSINESS_NAME,)
    assert 0 < window.model.total_items < 1000
    assert all(word.casefold() in r.business_name.casefold() for r in rows(window))


def test_ctrl_f_focuses_search(qtbot, make_window, demo_service):
    window = make_window(demo_service)
    window.activateWindow()
    window.view.setFocus()
    window.search_action.trigger()
    assert window.filter_bar.search_edit.hasFocus() or window.focusWidget() is window.filter_bar.search_edit
    assert window.search_action.shortcut().toString() == "Ctrl+F"


def test_status_filter_and_empty_state(qtbot, make_window, demo_service):
    window = make_window(demo_service)
    wait_loaded(qtbot, window)
    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        window.filter_bar.status_actions[5].trigger()  # MANUALLY_APPROVED
    assert window.model.query.statuses == (5,)
    assert window.model.rowCount() > 0
    assert {r.status_code for r in rows(window)} == {"MANUALLY_APPROVED"}
    assert window.filter_bar.status_button.text() == "Status: Manually approved"

    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        window.filter_bar.set_search("no business is called this zzqx")
    assert window.model.rowCount() == 0
    assert window.overlay.kind == EMPTY
    assert window.overlay.title_text() == "No cases match these filters"
    assert window.overlay.button_text() == "Clear filters"
    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        window.overlay._button.click()
    assert window.overlay.kind is None
    assert window.model.total_items == 1000


def test_created_date_range_goes_to_the_service(qtbot, make_window, demo_service):
    window = make_window(demo_service)
    wait_loaded(qtbot, window)
    newest = rows(window)[0].created_at[:10]
    from datetime import date

    day = date.fromisoformat(newest)
    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        window.filter_bar.set_dates(day, day)
    assert window.model.query.created_from == day
    assert 0 < window.model.total_items < 1000
    assert all(r.created_at.startswith(newest) for r in rows(window))
    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        window.filter_bar.clear_dates()
    assert window.model.total_items == 1000


def test_list_error_shows_in_the_table_and_retry_recovers(qtbot, make_window, fresh_demo):
    fresh_demo.faults.update(status=500, count=10, scope="list")
    window = make_window(fresh_demo)
    qtbot.waitUntil(lambda: window.overlay.kind == ERROR, timeout=20_000)
    assert window.overlay.button_text() == "Retry"
    assert window.overlay.detail_text()
    fresh_demo.faults.reset()
    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        window.overlay._button.click()
    assert window.overlay.kind is None
    assert window.model.rowCount() == 50


def test_loading_state_while_the_first_page_is_out(qtbot, make_window, fresh_demo):
    fresh_demo.faults.update(latency_ms=600, scope="list", count=1)
    window = make_window(fresh_demo)
    assert window.overlay.kind == LOADING
    wait_loaded(qtbot, window)
    assert window.overlay.kind is None


def test_model_in_the_window_passes_qt_model_checks(qtbot, qtmodeltester, make_window, demo_service):
    window = make_window(demo_service)
    wait_loaded(qtbot, window)
    qtmodeltester.check(window.model)


# -- the detail pane ---------------------------------------------------------------------------


def test_arrow_keys_show_only_the_last_case(qtbot, make_window, demo_service, monkeypatch):
    window = make_window(demo_service)
    wait_loaded(qtbot, window)
    shown = spy(monkeypatch, window.pane, "show_case")
    first = select_and_wait(qtbot, window, 0)
    window.view.setFocus()
    for _ in range(10):
        QTest.keyClick(window.view, Qt.Key.Key_Down)
    target = window.model.record(10).id
    qtbot.waitUntil(lambda: window.pane.current_case_id() == target, timeout=15_000)
    qtbot.waitUntil(lambda: window.runner.pending_count == 0)
    shown_ids = [r.case_id for r in shown]
    assert shown_ids[0] == first.case_id and shown_ids[-1] == target
    # Rows 2-9 are passed over and never loaded. Row 1 may be: the first press after a pause
    # loads at once, and on a slow machine the pause since the click can exceed the debounce.
    assert set(shown_ids[1:-1]) <= {window.model.record(1).id}


def test_a_click_after_a_pause_loads_at_once_without_waiting_for_the_debounce(qtbot, make_window, demo_service, monkeypatch):
    window = make_window(demo_service)
    wait_loaded(qtbot, window)
    submitted = spy(monkeypatch, window.runner, "submit")
    window.select_row(4)
    # Asked for before any event runs: the quiet-period timer has not fired and is not needed.
    assert any(getattr(fn, "__name__", "") == "open_case" for fn in submitted)
    assert window.selection.timer.isActive()  # ...and the next quick change would be debounced
    qtbot.waitUntil(lambda: window.pane.current_case_id() == window.model.case_id(4), timeout=15_000)


def test_rich_case_has_content_on_every_tab(qtbot, make_window, demo_service):
    window = make_window(demo_service)
    wait_loaded(qtbot, window)
    rich_id = demo_service.data.case_ids()[0]
    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        window.filter_bar.set_search(rich_id, (SearchField.CASE_ID,))
    assert [r.id for r in rows(window)] == [rich_id]
    result = select_and_wait(qtbot, window, 0)
    assert result.detail is not None and result.case_id == rich_id
    tabs = window.pane.tab_widget()
    assert tabs.count() >= 5
    for index in range(tabs.count()):
        assert tabs.tabText(index)
        assert tabs.widget(index).findChildren(object), f"tab {tabs.tabText(index)} is empty"
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == 1
    window.tab_actions[0].trigger()
    assert tabs.currentIndex() == 0
    # Ctrl+digit works from inside a section too: the Raw view, the timeline's find box.
    raw = tabs.widget(tabs.count() - 1)
    tabs.setCurrentWidget(raw)
    raw.view.setFocus()
    QTest.keyClick(raw.view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == 1
    find = tabs.currentWidget().find
    find.setFocus()
    QTest.keyClick(find, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == 2


def test_detail_error_shows_in_the_pane_and_retry_loads_it(qtbot, make_window, fresh_demo, monkeypatch):
    window = make_window(fresh_demo)
    wait_loaded(qtbot, window)
    errors = spy(monkeypatch, window.pane, "show_error")
    fresh_demo.faults.update(status=500, count=10, scope="detail")
    with qtbot.waitSignal(window.detail_failed, timeout=30_000) as blocker:
        window.select_row(0)
    assert not blocker.args[0].is_bug
    assert errors and errors[-1] == blocker.args[0].message
    fresh_demo.faults.reset()
    with qtbot.waitSignal(window.detail_shown, timeout=15_000) as shown:
        window.pane.retry_requested.emit()
    assert shown.args[0].case_id == window.model.record(0).id
    assert shown.args[0].detail is not None


def test_case_unknown_to_the_detail_service_shows_its_list_record(qtbot, make_window, fresh_demo):
    window = make_window(fresh_demo)
    wait_loaded(qtbot, window)
    row = 16  # every 17th demo case is missing from the detail service
    result = select_and_wait(qtbot, window, row)
    assert result.detail is None
    assert result.record.id == window.model.record(row).id
    assert "does not know this case" in result.detail_note
    assert window.pane.current_case_id() == result.case_id


def test_f5_reloads_the_list_and_the_open_case(qtbot, make_window, fresh_demo):
    window = make_window(fresh_demo)
    wait_loaded(qtbot, window)
    result = select_and_wait(qtbot, window, 2)
    with qtbot.waitSignals([window.page_loaded, window.detail_shown], timeout=15_000):
        QTest.keyClick(window, Qt.Key.Key_F5)
    assert window.pane.current_case_id() == result.case_id
    current = window.view.selectionModel().currentIndex()
    assert current.row() == 2, "the open case stays highlighted"


@OFFSCREEN_DIALOG_NOISE
def test_open_case_dialog_by_id_and_email(qtbot, make_window, fresh_demo):
    window = make_window(fresh_demo)
    wait_loaded(qtbot, window)
    case_id = fresh_demo.data.case_ids()[4]
    dialog = window.show_open_dialog()
    open_button = dialog.buttons.buttons()[0]
    assert not open_button.isEnabled()
    QTest.keyClicks(dialog.edit, "not valid!")
    assert dialog.problem.text()
    dialog.edit.clear()
    QTest.keyClicks(dialog.edit, case_id)
    assert dialog.lookup() == CaseLookup(BY_ID, case_id)
    with qtbot.waitSignal(window.detail_shown, timeout=15_000) as blocker:
        dialog.accept()
    assert blocker.args[0].case_id == case_id

    email = fresh_demo.data.email(6)
    with qtbot.waitSignal(window.detail_shown, timeout=15_000) as blocker:
        window.open_case(CaseLookup(BY_EMAIL, email))
    assert blocker.args[0].case_id == fresh_demo.data.case_ids()[6]


def test_open_case_validation():
    assert validate(BY_ID, "3f2b6c1e-aaaa-bbbb") == ""
    assert validate(BY_ID, "") == ""
    assert validate(BY_ID, "a b") != ""
    assert validate(BY_ID, "someone@example.org") != ""
    assert validate(BY_EMAIL, "someone@example.org") == ""
    assert validate(BY_EMAIL, "someone@") != ""


def test_detail_only_connection_says_how_to_open_a_case(qtbot, make_window, fresh_demo):
    window = make_window(fresh_demo, with_list=False)
    assert window.overlay.kind == HINT
    assert window.overlay.title_text() == "Open a case by ID or email (Ctrl+L)"
    assert not window.filter_bar.isEnabled()
    case_id = fresh_demo.data.case_ids()[0]
    with qtbot.waitSignal(window.detail_shown, timeout=15_000) as blocker:
        window.open_case(CaseLookup(BY_ID, case_id))
    assert blocker.args[0].detail is not None


# -- window chrome, bugs, settings, quitting ---------------------------------------------------


def test_actions_have_shortcuts_and_tooltips(make_window, fresh_demo):
    window = make_window(fresh_demo)
    expected = {
        window.open_action: "Ctrl+L",
        window.refresh_action: "F5",
        window.quit_action: "Ctrl+Q",
        window.shortcuts_action: "F1",
    }
    for action, keys in expected.items():
        assert action.shortcut().toString() == keys
        assert keys in action.toolTip()
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&View", "&Triage", "&Help"]
    assert window.connection_status.text() == "Demo service"
    window.show_message("The case list service is busy.")
    assert window.statusBar().currentMessage() == "The case list service is busy."


@OFFSCREEN_DIALOG_NOISE
def test_a_bug_opens_the_crash_dialog_with_a_report(qtbot, make_window, fresh_demo):
    window = make_window(fresh_demo)

    def buggy(_context):
        return [][1]

    with qtbot.waitSignal(window.bug_reported) as blocker:
        window.runner.submit(buggy)
    assert blocker.args[0].is_bug
    dialog = window.crash_dialog
    assert dialog is not None and dialog.isVisible()
    report = dialog.text.toPlainText()
    assert "IndexError" in report and "buggy" in report and "PySide6" in report
    dialog.close()


def test_layout_and_sort_are_remembered(qtbot, make_window, fresh_demo, isolated_home):
    window = make_window(fresh_demo)
    wait_loaded(qtbot, window)
    assert window.header.isSectionHidden(M.COL_APPLICANT_ID)
    window.set_column_visible(M.COL_APPLICANT_ID, True)
    window.set_column_visible(M.COL_APPLICANT, False)
    window.header.resizeSection(M.COL_BUSINESS, 333)
    with qtbot.waitSignal(window.page_loaded, timeout=15_000):
        window.sort_by(M.COL_BUSINESS, False)
    window.close()
    ini = (isolated_home / "config" / "ui.ini").read_text()
    assert "token" not in ini.lower() and fresh_demo.detail_key not in ini

    again = make_window(fresh_demo)
    assert not again.header.isSectionHidden(M.COL_APPLICANT_ID)
    assert again.header.isSectionHidden(M.COL_APPLICANT)
    assert again.header.sectionSize(M.COL_BUSINESS) == 333
    assert again.model.query.sort_field is SortField.BUSINESS_NAME
    assert not again.model.query.descending


def test_quit_with_a_slow_request_in_flight_is_quick(qtbot, make_window, fresh_demo):
    window = make_window(fresh_demo)
    wait_loaded(qtbot, window)
    fresh_demo.faults.update(latency_ms=5000, scope="detail")
    window.select_row(0)
    qtbot.waitUntil(lambda: window.selection.detail_channel.current_request_id() is not None)
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 2.0


def test_ctrl_f_key_reaches_the_search_box_with_a_case_open(qtbot, make_window, fresh_demo):
    window = make_window(fresh_demo)
    wait_loaded(qtbot, window)
    select_and_wait(qtbot, window, 0)
    tabs = window.pane.tab_widget()
    for index in range(tabs.count()):  # with every tab in front in turn (some have their own finders)
        window.pane.set_current_tab(index)
        window.activateWindow()
        window.view.setFocus()
        QTest.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert window.filter_bar.search_edit.hasFocus(), tabs.tabText(index)


def test_run_gui_smoke_test_passes_on_a_working_service(qtbot, fresh_demo):
    from caseviewer.core.session import Session
    from caseviewer.ui.app import run_gui

    quits: list[bool] = []
    session = Session(build_repository(fresh_demo), label="Demo service")
    code = run_gui(session, smoke_test=True, on_quit=lambda: quits.append(True))
    assert code == 0
    assert quits == [True]


def test_run_gui_smoke_test_fails_when_the_list_fails(qtbot, fresh_demo):
    from caseviewer.core.session import Session
    from caseviewer.ui.app import run_gui

    fresh_demo.faults.update(status=403, scope="list")
    assert run_gui(Session(build_repository(fresh_demo), label="Demo service"), smoke_test=True) == 1


def test_theme_menu_applies_and_remembers_the_choice(qtbot, make_window, fresh_demo):
    from PySide6.QtWidgets import QApplication

    window = make_window(fresh_demo)
    app = QApplication.instance()
    before_palette, before_style = app.palette(), app.style().name()
    try:
        _switch_themes(window)
    finally:  # the QApplication outlives this test
        app.setStyle(before_style)
        app.setPalette(before_palette)


def _switch_themes(window):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from caseviewer.ui.settings_store import UiSettings

    window.theme_actions["dark"].trigger()
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert UiSettings().theme() == "dark"
    window.theme_actions["light"].trigger()
    assert QApplication.instance().palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert UiSettings().theme() == "light"
