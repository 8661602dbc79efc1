"""Offline, the window's table lists the whole cache (ui/case_list/store_table_model.py through
ui/window/case_list.py): every cached case at once, triage views as SQL with counts of every
cached case, rows beyond the first windows read as they are reached, Mark all as read and the CSV
export over every cached case, and back to the service's pages when online again."""

from __future__ import annotations

import csv
import io

import pytest
from PySide6.QtCore import Qt

from caseviewer.core.reviewer_state import Flag, ReviewerState
from caseviewer.core.views import TriageFilter
from caseviewer.ui.case_list.case_table_model import CaseTableModel as M
from caseviewer.ui.case_list.store_table_model import WINDOW_ROWS
from tests.support.windows import make_main_window  # noqa: F401 - fixture
from tests.ui.test_export_window import ScriptedDialogs
from tests.unit.test_cache_support import cache_all_pages, make_api, make_repository, open_cache

pytestmark = [pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"), pytest.mark.timeout(180)]
WAIT_MS = 20_000


@pytest.fixture
def offline_window(demo_service, make_main_window):
    """A window working offline over a cache holding the whole list (1,000 cases); 7 flagged."""
    cache = open_cache()
    api = make_api(demo_service)
    cached = cache_all_pages(api, cache, demo_service.customer_id)
    api.close()
    repository = make_repository(demo_service, cache)
    repository.set_offline(True)
    state = ReviewerState(cache)
    listed = [r.id for r in cache.list_for_query(demo_service.customer_id, _everything()).records]
    for case_id in listed[100:800:100]:
        state.set_flag(case_id, Flag.RED)
    window = make_main_window(repository, page_size=20)
    window.cached_count, window.flagged = cached, listed[100:800:100]
    window.listed = listed
    return window


def _everything():
    from caseviewer.core.query import CaseQuery
    return CaseQuery(paginate=False)


def wait_listed(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.case_list.shows_store and window.model.is_view_ready
                    and not window.model.is_loading, timeout=WAIT_MS)


def test_offline_the_table_lists_every_cached_case_at_once(qtbot, offline_window):
    window = offline_window
    wait_listed(qtbot, window)
    assert window.model.rowCount() == window.cached_count == 1000  # not a page of 20
    assert window.count_label.text() == "1,000 cached cases"
    assert window.banner.isVisible() and "cached" in window.banner.label.text()
    # The columns are the table's as they were (the header kept its state through the swap).
    assert not window.header.isSectionHidden(M.COL_BUSINESS) and window.header.isSectionHidden(M.COL_CASE_ID)

    # End goes to the last row, beyond the windows read: it is read and its case opens.
    window.view.setFocus()
    last = window.listed[-1]
    assert window.model.row_of(last) is None and window.model.case_id(999) is None  # not read yet
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS, check_params_cb=lambda result: result.case_id == last):
        qtbot.keyClick(window.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert window.view.currentIndex().row() == 999 and window.model.case_id(999) == last



def test_a_row_current_before_its_window_is_read_opens_when_the_window_arrives(qtbot, offline_window):
    """The selection's hook on ``window_loaded`` (ui/window/selection.py, ``_rows_arrived``): after
    a pause the current row loads at once, and a row whose window is not read yet has no record
    then; only the window's arrival can open its case. (Within the selection's quiet period the
    debounce would load it anyway, which is why the End test above does not need the hook.)"""
    window = offline_window
    wait_listed(qtbot, window)
    first = window.listed[0]
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS, check_params_cb=lambda result: result.case_id == first):
        window.view.setFocus()  # the first row becomes current and its case opens
    qtbot.waitUntil(lambda: not window.selection.timer.isActive(), timeout=WAIT_MS)  # the quiet period is over
    target = window.listed[700]
    assert window.model.case_id(700) is None  # its window is not read
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS, check_params_cb=lambda result: result.case_id == target):
        window.select_row(700)
    assert window.view.currentIndex().row() == 700 and window.model.case_id(700) == target



def _updated(window, *rows: int) -> None:
    """Make the cases of ``rows`` updated since the reviewer looked (read, then marked unread)."""
    state = ReviewerState(window.repository.cache)
    ids = [window.listed[row] for row in rows]
    state.mark_read(ids)
    state.mark_unread(ids)


def _goes_to(qtbot, window, action, row: int) -> None:
    case_id = window.listed[row]
    assert window.model.row_of(case_id) is None  # its window is not read: beyond the rows held
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS, check_params_cb=lambda result: result.case_id == case_id):
        action.trigger()
    assert window.view.currentIndex().row() == row and window.model.case_id(row) == case_id


def test_n_and_shift_n_offline_find_updated_cases_beyond_the_rows_read(qtbot, offline_window):
    """Offline, N / Shift+N look over every cached case of the view in its order (SQL on a
    worker), not only the rows read into the table; the row found is read and its case opens."""
    window = offline_window
    wait_listed(qtbot, window)
    _updated(window, 400, 700)
    last = window.listed[-1]
    window.view.setFocus()
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS, check_params_cb=lambda result: result.case_id == last):
        qtbot.keyClick(window.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    _goes_to(qtbot, window, window.previous_updated_action, 700)  # Shift+N, from the last row
    _goes_to(qtbot, window, window.previous_updated_action, 400)
    window.previous_updated_action.trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "No updated case above this one.", timeout=WAIT_MS)
    assert window.view.currentIndex().row() == 400

    _updated(window, 850)  # the updated cases are looked up at each press
    _goes_to(qtbot, window, window.next_updated_action, 850)  # N
    window.next_updated_action.trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "No more updated cases in the list.", timeout=WAIT_MS)
    assert window.view.currentIndex().row() == 850


def test_a_triage_view_offline_is_every_cached_case_of_it(qtbot, offline_window):
    window = offline_window
    wait_listed(qtbot, window)
    names = [window.views_bar.combo.itemText(i) for i in range(window.views_bar.combo.count())]
    qtbot.waitUntil(lambda: window.views_bar.combo.itemText(3) == "Flagged (7)", timeout=WAIT_MS)
    assert window.views_bar.combo.itemText(1) == "New (1000)", names

    assert window.views_bar.select("Flagged")
    qtbot.waitUntil(lambda: window.model.triage_view is TriageFilter.FLAGGED and window.model.is_view_ready
                    and window.model.rowCount() == 7, timeout=WAIT_MS)
    assert [window.model.case_id(row) for row in range(7)] == window.flagged
    assert window.count_label.text() == "7 flagged cached cases"
    assert not any(window.view.isRowHidden(row) for row in range(7))

    window.views_bar.select("All cases")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1000, timeout=WAIT_MS)


def test_an_empty_triage_view_offline_says_none_of_the_cached_cases_is_in_it(qtbot, offline_window):
    window = offline_window
    wait_listed(qtbot, window)
    assert window.views_bar.select("Updated since I looked")  # nothing changed since it was cached
    qtbot.waitUntil(lambda: window.model.triage_view is TriageFilter.UPDATED and window.model.is_view_ready
                    and not window.model.is_loading and window.overlay.kind is not None, timeout=WAIT_MS)
    assert window.model.rowCount() == 0
    # Not "No cases yet: this customer has no cases", which the list without a view would say.
    assert window.overlay.title_text() == "No updated cases"
    assert window.overlay.detail_text() == "No cached case in this list is updated."
    assert window.count_label.text() == "0 updated cached cases"
    window.overlay.state_view.button.click()
    assert window.views_bar.current().name == "All cases"
    qtbot.waitUntil(lambda: window.model.rowCount() == 1000 and window.overlay.kind is None, timeout=WAIT_MS)


def test_mark_all_read_offline_marks_every_cached_case(qtbot, offline_window):
    window = offline_window
    wait_listed(qtbot, window)
    qtbot.waitUntil(lambda: window.views_bar.combo.itemText(1) == "New (1000)", timeout=WAIT_MS)
    window.triage.mark_all_read()
    # The counts are of every cached case, so they show whether the rows not yet read were marked too.
    qtbot.waitUntil(lambda: window.views_bar.combo.itemText(1) == "New (0)", timeout=WAIT_MS)
    state = ReviewerState(window.repository.cache)
    assert not [t for t in state.states(window.listed).values() if t.state.value == "new"]


def test_export_offline_writes_every_cached_case(qtbot, offline_window, tmp_path):
    window = offline_window
    wait_listed(qtbot, window)
    assert window.model.held_ids() and len(window.model.held_ids()) < 1000  # only windows are held
    window.set_column_visible(M.COL_CASE_ID, True)
    target = tmp_path / "offline.csv"
    window.exports.dialogs = ScriptedDialogs(target, option=False)
    with qtbot.waitSignal(window.exports.exported, timeout=WAIT_MS) as done:
        window.exports.csv_action.trigger()
    assert done.args[0].rows == 1000
    rows = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"), newline="")))
    case_column = rows[0].index("Case ID")
    assert [row[case_column] for row in rows[1:]] == window.listed


def test_back_online_the_table_lists_the_services_pages_again(qtbot, offline_window):
    window = offline_window
    wait_listed(qtbot, window)
    window.view.setFocus()
    with qtbot.waitSignal(window.page_loaded, timeout=WAIT_MS):
        window.set_work_offline(False)
    qtbot.waitUntil(lambda: not window.case_list.shows_store and window.model.rowCount() >= 20, timeout=WAIT_MS)
    assert window.case_list.store_model.rowCount() == 0  # emptied, not kept beside the pages
    assert window.model.case_id(0) == window.listed[0]
    assert WINDOW_ROWS  # the store model's windows are what a row read offline costs
