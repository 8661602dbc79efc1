"""Finding a case and moving by keyboard in the real main window, against the demo service.

Each test is one defect a new user hit (issue 14): the date field trapping Tab, the calendar on
January 2000, the status menu in no order, the search box not leading to the results, section
keys dead inside the preview and the Raw tab, no next/previous case outside the table, and a
shortcut sheet that missed keys.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest

from caseviewer.core.models import LIST_STATUS_CODES
from caseviewer.ui.window.actions import key_text
from caseviewer.ui.detail.tabs.activity import ActivityTab
from caseviewer.ui.detail.tabs.attachments import AttachmentsTab
from caseviewer.ui.detail.tabs.forms import FormsTab
from caseviewer.ui.detail.tabs.raw import RawTab
from caseviewer.ui.dialogs.open_case_dialog import BY_ID, CaseLookup
from caseviewer.ui.case_list.status_chip import GROUPS, status_group
from tests.support.windows import make_main_window  # noqa: F401 - fixture
from tests.ui.test_main_window import build_repository, wait_loaded
from tests.ui.test_preview_support import RICH, by_extension

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints", "This plugin does not support raise",
    "This plugin does not support grabbing",
)


@pytest.fixture
def window(qtbot, make_main_window, demo_service):
    win = make_main_window(build_repository(demo_service))
    wait_loaded(qtbot, win)
    win.activateWindow()
    return win


def open_calendar(edit):
    """Click the date field's drop-down arrow as a user would; returns the calendar shown."""
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 6, edit.height() // 2))
    calendar = edit.calendarWidget()
    assert calendar.isVisible()
    return calendar


# -- 11: Tab leaves the date fields -------------------------------------------------------------


def test_tab_leaves_the_created_from_field(window):
    bar = window.filter_bar
    bar.from_edit.setFocus()
    assert bar.from_edit.hasFocus()
    QTest.keyClick(bar.from_edit, Qt.Key.Key_Tab)
    assert not bar.from_edit.hasFocus()
    assert bar.to_edit.hasFocus()
    QTest.keyClick(bar.to_edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert bar.from_edit.hasFocus()
    # With a date set too (the parts are stepped with the arrow keys, not Tab).
    bar.set_dates(date(2024, 3, 5), None)
    bar.from_edit.setFocus()
    QTest.keyClick(bar.from_edit, Qt.Key.Key_Tab)
    assert not bar.from_edit.hasFocus()


# -- 8: the calendar opens on today, or on the other bound ------------------------------------


def test_calendar_opens_on_this_month_or_on_the_other_bound(window):
    bar = window.filter_bar
    today = QDate.currentDate()
    calendar = open_calendar(bar.from_edit)
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
    calendar.window().hide()

    bar.set_dates(None, date(2024, 3, 5))
    calendar = open_calendar(bar.from_edit)
    assert (calendar.yearShown(), calendar.monthShown()) == (2024, 3)
    calendar.window().hide()
    assert bar.from_edit.value() is None  # opening the calendar chose nothing


# -- 9: the status menu is grouped as the chips are -------------------------------------------


def test_status_menu_is_grouped_like_the_status_chips(window):
    sections: list[str] = []
    members: dict[str, list[str]] = {}
    for action in window.filter_bar.status_menu.actions():
        if action.isSeparator():
            if action.text():
                sections.append(action.text())
            continue
        if action.data() is None:
            continue  # "Any status"
        code = LIST_STATUS_CODES[action.data()]
        assert sections, "a status before the first group heading"
        assert status_group(code).name == sections[-1], code
        members.setdefault(sections[-1], []).append(action.text())
    assert sections == [g.name for g in GROUPS if any(status_group(c) is g for c in LIST_STATUS_CODES.values())]
    assert sum(len(v) for v in members.values()) == len(LIST_STATUS_CODES)
    for names in members.values():
        assert names == sorted(names, key=str.casefold)


# -- 12: Enter or Down in the search box goes to the results -----------------------------------


def test_down_in_the_search_box_goes_to_the_first_result(qtbot, window):
    window.filter_bar.focus_search()
    with qtbot.waitSignal(window.detail_shown, timeout=15_000):
        QTest.keyClick(window.filter_bar.search_edit, Qt.Key.Key_Down)
    assert window.view.hasFocus()
    assert window.view.selectionModel().isRowSelected(0)


def test_enter_in_the_search_box_searches_and_goes_to_the_results(qtbot, window):
    word = window.model.record(2).business_name.split()[0]
    window.filter_bar.focus_search()
    QTest.keyClicks(window.filter_bar.search_edit, word)
    with qtbot.waitSignal(window.detail_shown, timeout=15_000):
        QTest.keyClick(window.filter_bar.search_edit, Qt.Key.Key_Return)
    assert window.model.query.search == word
    assert window.view.hasFocus()
    assert word.casefold() in window.model.record(0).business_name.casefold()
    assert window.view.selectionModel().isRowSelected(0)


# -- 14: every section has a key, and the keys work inside the preview and the Raw tab -----------


def open_rich_case(qtbot, window, demo_service):
    with qtbot.waitSignal(window.detail_shown, timeout=20_000) as shown:
        window.open_case(CaseLookup(BY_ID, demo_service.data.case_ids()[RICH]))
    return shown.args[0]


def page_index(window, kind) -> int:
    return next(i for i, page in enumerate(window.pane.tab_pages) if isinstance(page, kind))


def test_every_section_has_a_key(window):
    keys = [a.shortcut().toString() for a in window.tab_actions]
    assert len(keys) == len(window.pane.tab_pages) == 13
    assert all(keys) and len(set(keys)) == len(keys)
    assert keys[page_index(window, ActivityTab)] == "Alt+2"  # Ctrl+0 is the zoom reset (issue 21)
    assert keys[page_index(window, FormsTab)] == "Alt+4"
    assert keys[page_index(window, RawTab)] == "Ctrl+J"


def test_section_keys_and_find_work_inside_the_preview_and_the_raw_tab(qtbot, window, demo_service):
    result = open_rich_case(qtbot, window, demo_service)
    pane = window.pane
    attachments = page_index(window, AttachmentsTab)
    pane.set_current_tab(attachments)
    tab = pane.tab_pages[attachments]
    with qtbot.waitSignal(pane.preview.preview_ready, timeout=20_000) as ready:
        assert tab.select_attachment(by_extension(result.detail, ".txt"))
    assert ready.args[0] == "text"
    viewer = pane.preview.text_viewer
    focus = viewer.editor()
    focus.setFocus()
    qtbot.waitUntil(focus.hasFocus)

    # Ctrl+F inside the text preview finds in the file (it was ambiguous with the list search).
    QTest.keyClick(focus, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert not window.filter_bar.search_edit.hasFocus()
    assert viewer._field.hasFocus()  # the preview's own find field
    # Ctrl+3 from inside the preview switches the section.
    pane.set_current_tab(attachments)
    focus.setFocus()
    QTest.keyClick(focus, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert pane.tabs.currentIndex() == 2

    raw_index = page_index(window, RawTab)
    QTest.keyClick(window.focusWidget() or window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert pane.tabs.currentIndex() == raw_index
    raw = pane.tab_pages[raw_index]
    raw.view.setFocus()
    qtbot.waitUntil(raw.view.hasFocus)
    QTest.keyClick(raw.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert raw.find.hasFocus()
    QTest.keyClick(raw.find, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert pane.tabs.currentIndex() == page_index(window, ActivityTab)
    QTest.keyClick(window.focusWidget() or window, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert pane.tabs.currentIndex() == page_index(window, FormsTab)
    QTest.keyClick(window.focusWidget() or window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert pane.tabs.currentIndex() == 0


# -- 15: next / previous case from anywhere ----------------------------------------------------


def test_next_and_previous_case_from_anywhere(qtbot, window):
    window.filter_bar.focus_search()
    search = window.filter_bar.search_edit
    with qtbot.waitSignal(window.detail_shown, timeout=15_000) as shown:
        QTest.keyClick(search, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    assert shown.args[0].case_id == window.model.case_id(0)
    with qtbot.waitSignal(window.detail_shown, timeout=15_000) as shown:
        QTest.keyClick(search, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    assert shown.args[0].case_id == window.model.case_id(1)
    assert search.hasFocus()  # focus stays where the reviewer is
    window.pane.set_current_tab(page_index(window, RawTab))
    raw = window.pane.tab_pages[page_index(window, RawTab)]
    raw.view.setFocus()
    with qtbot.waitSignal(window.detail_shown, timeout=15_000) as shown:
        QTest.keyClick(raw.view, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert shown.args[0].case_id == window.model.case_id(0)
    QTest.keyClick(raw.view, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert "first case" in window.statusBar().currentMessage()


# -- 16: the sheet is generated from the actions -----------------------------------------------


def test_shortcut_sheet_lists_every_shortcut_of_the_window(qtbot, window):
    box = window.show_shortcuts()
    text = box.text()
    with_keys = [a for a in window.findChildren(QAction) if not a.shortcut().isEmpty()]
    assert len(with_keys) >= 20
    for action in with_keys:
        for sequence in action.shortcuts():
            assert key_text(sequence) in text, action.text()
    for keys in ("Ctrl+S", "Ctrl+Shift+S", "Ctrl+.", "Ctrl+,", "Ctrl+J", "F1"):
        assert f"<b>{keys}" in text or f", {keys}" in text, keys
    box.close()


# -- 13: an arrow key on the profile switcher never switches ----------------------------------


def test_arrow_keys_on_the_profile_switcher_never_switch_or_open_a_dialog(qtbot):
    from caseviewer.core.profiles import Profile, ProfileStore
    from caseviewer.ui.window.profile_switcher import ProfileSwitcher

    store = ProfileStore()
    store.add(Profile(name="prod", detail_url="https://cases.example.org", environment="PRODUCTION"))
    store.add(Profile(name="staging", detail_url="https://staging.example.org", environment="STAGING"))
    switcher = ProfileSwitcher(store)
    qtbot.addWidget(switcher)
    switcher.set_current_profile("prod")
    switcher.show()
    switcher.setFocus()
    fired: list[str] = []
    switcher.profile_chosen.connect(lambda name: fired.append(f"switch {name}"))
    switcher.new_requested.connect(lambda: fired.append("new"))
    switcher.manage_requested.connect(lambda: fired.append("manage"))
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_End, Qt.Key.Key_PageDown):
        switcher.hidePopup()
        QTest.keyClick(switcher, key)
        assert fired == [], key
        assert switcher.current_profile() == "prod"
    assert switcher.view().isVisible()  # the arrow opened the list: the choice is made in there
    switcher.hidePopup()
    switcher.choose(switcher.findData("staging"))  # an explicit choice still switches
    assert fired == ["switch staging"]


def test_readme_keyboard_table_names_every_window_shortcut(window):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Keyboard", 1)[1].split("\n## ", 1)[0]
    sections = set(window.tab_actions)
    for action in window.actions():
        if action.shortcut().isEmpty() or action in sections:
            continue
        assert action.shortcut().toString() in table, action.text()
    for keys in ("Ctrl+1 … Ctrl+9, Alt+2", "Ctrl+J", "Ctrl+S, Ctrl+Shift+S", "Ctrl++ / Ctrl+-, Ctrl+0"):
        assert keys in table
