"""Triage through the real window against the demo service: new / updated rows, the case page's
marks, read / unread, N / Shift+N, flags and notes across a restart and never in a request."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QWidget

from caseviewer.core.changes import Mark, Part, RowState
from caseviewer.core.reviewer_state import Flag
from caseviewer.ui.triage.marks import row_tooltip
from tests.support.windows import make_main_window  # noqa: F401 - fixture
from tests.unit.test_cache_support import make_repository, new_key, open_cache

WAIT_MS = 15_000
OFFSCREEN_DIALOG_NOISE = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def wait_loaded(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.model.has_loaded_first_page and not window.model.is_loading, timeout=WAIT_MS)


def wait_state(qtbot, window, case_id, state) -> None:
    qtbot.waitUntil(lambda: (window.triage.marks.get(case_id) or object()).__class__ is not object
                    and window.triage.marks.get(case_id).state is state, timeout=WAIT_MS)


def open_row(qtbot, window, row):
    with qtbot.waitSignal(window.triage.changes_known, timeout=WAIT_MS) as known:
        window.select_row(row)
    return known.args[1]


def refresh_case(qtbot, window, case_id) -> None:
    """A newer copy of a case arrives without the reviewer opening it (as a background refresh does)."""
    with qtbot.waitSignal(window.triage.states_changed, timeout=WAIT_MS):
        window.triage_refresh.run_now()


@pytest.fixture
def key():
    return new_key()


def test_a_case_changed_on_the_service_shows_as_updated_and_marks_exactly_those_items(
        qtbot, fresh_demo, make_main_window, key):
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, window)
    case_id = window.model.case_id(0)  # the demo's "rich" case: comments, orders, shipping logs
    qtbot.waitUntil(lambda: window.triage.marks.get(case_id) is not None, timeout=WAIT_MS)
    assert window.triage.marks.get(case_id).state is RowState.NEW
    font = window.model.index(0, 0).data(Qt.ItemDataRole.FontRole)
    assert font is not None and font.bold()
    first = open_row(qtbot, window, 0)
    assert first.first_view and not first.any
    wait_state(qtbot, window, case_id, RowState.READ)
    assert window.model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None  # read: not bold
    before = window.pane.tab_pages[0]._detail.raw  # noqa: SLF001

    open_row(qtbot, window, 1)  # look elsewhere; then a colleague changes the first case
    fresh_demo.data.edits.change(fresh_demo.data.index_of(case_id))
    refresh_case(qtbot, window, case_id)
    triage = window.triage.marks.get(case_id)
    assert triage.state is RowState.UPDATED
    assert triage.changes == (f"Status changed (was {before['status']}); 1 changed comment; 1 new shipping log")
    tip = window.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Updated since you last looked" in tip and "1 new shipping log" in tip
    assert window.model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()

    changes = open_row(qtbot, window, 0)
    assert {change.part for change in changes.parts} == {Part.STATUS, Part.COMMENTS, Part.SHIPPING_LOGS}
    # The page: "Changed" beside the status and on the first comment, "1 new" on the first order.
    badges = [b for b in window.pane.findChildren(QLabel) if b.objectName() == "changeBadge"]
    header_badges = [b for b in window.pane.header.findChildren(QLabel)
                     if b.objectName() == "changeBadge"]
    assert [b.text() for b in header_badges] == ["Changed"]
    assert f"was {before['status']}" in header_badges[0].toolTip()
    comments = next(t for t in window.pane.tab_pages if t.TITLE.startswith("Comments"))
    orders = next(t for t in window.pane.tab_pages if t.TITLE == "Orders")
    comments.ensure_rendered()
    orders.ensure_rendered()
    comment_marks = [b.text() for b in comments.findChildren(QLabel) if b.objectName() == "changeBadge"]
    order_marks = [b.text() for b in orders.findChildren(QLabel) if b.objectName() == "changeBadge"]
    assert comment_marks == ["Changed"]
    assert order_marks == ["1 new"]
    assert badges  # sanity: the pane holds them
    wait_state(qtbot, window, case_id, RowState.READ)


def test_the_timeline_shows_only_what_is_new_or_changed_since_the_last_look(qtbot, fresh_demo, make_main_window, key):
    from caseviewer.core.timeline import EventKind
    from caseviewer.ui.detail.timeline_view import SINCE_LABEL

    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, window)
    case_id = window.model.case_id(0)  # the demo's "rich" case
    open_row(qtbot, window, 0)
    timeline = window.pane.timeline_tab()
    timeline.ensure_rendered()
    assert timeline.since_chip is None  # the first look: nothing to compare with, no chip
    everything = len(timeline.visible_events())
    raw = window.pane.tab_pages[0]._detail.raw  # noqa: SLF001
    first_comment, first_order = raw["comments"][0]["id"], raw["orders"][0]["id"]
    logs_before = len(raw["orders"][0].get("shippingLogs") or [])

    open_row(qtbot, window, 1)
    fresh_demo.data.edits.change(fresh_demo.data.index_of(case_id))  # a comment, a shipping log, the status
    open_row(qtbot, window, 0)
    timeline = window.pane.timeline_tab()
    timeline.ensure_rendered()
    assert timeline.since_chip is not None and timeline.since_chip.text() == f"{SINCE_LABEL} 2"
    assert len(timeline.visible_events()) == everything + 1  # all of it, the new log included
    marked = {(row.event.kind, row.event.ref_id, row.event.ref_index): row.when_text
              for row in timeline.model.rows if row.event is not None and row.mark is not Mark.NONE}
    assert set(marked) == {(EventKind.COMMENT, first_comment, None), (EventKind.SHIPPING, first_order, logs_before)}
    assert marked[(EventKind.COMMENT, first_comment, None)].endswith("Changed since you last looked")
    assert marked[(EventKind.SHIPPING, first_order, logs_before)].endswith("New since you last looked")

    timeline.since_chip.setChecked(True)
    shown = [(e.kind, e.ref_id, e.ref_index) for e in timeline.visible_events()]
    assert sorted(shown, key=str) == sorted(marked, key=str)
    timeline.chips[EventKind.COMMENT].setChecked(False)  # the kind chips still apply
    assert [(e.kind, e.ref_index) for e in timeline.visible_events()] == [(EventKind.SHIPPING, logs_before)]
    timeline.chips[EventKind.COMMENT].setChecked(True)
    timeline.since_chip.setChecked(False)
    assert len(timeline.visible_events()) == everything + 1

    open_row(qtbot, window, 1)  # a case with nothing new: no chip, and never an empty stream
    timeline = window.pane.timeline_tab()
    timeline.ensure_rendered()
    assert timeline.since_chip is None and not timeline.since_only and timeline.visible_events()


@OFFSCREEN_DIALOG_NOISE
def test_a_sync_brings_changed_cases_in_as_updated_without_marking_anything_seen(
        qtbot, fresh_demo, make_main_window, key):
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, window)
    changed, unchanged, never = (window.model.case_id(r) for r in (0, 2, 6))
    first = open_row(qtbot, window, 0)
    before_status = window.pane.tab_pages[0]._detail.raw["status"]  # noqa: SLF001
    open_row(qtbot, window, 2)
    assert first.first_view
    for case_id in (changed, unchanged):
        wait_state(qtbot, window, case_id, RowState.READ)
    fresh_demo.data.edits.change(fresh_demo.data.index_of(changed))

    dialog = window.show_sync_dialog()
    with qtbot.waitSignal(dialog.finished_sync, timeout=60_000) as finished:
        dialog.start()
    assert finished.args[0] is not None and finished.args[0].fetched > 0
    wait_state(qtbot, window, changed, RowState.UPDATED)
    triage = window.triage.marks.get(changed)
    assert triage.changes == f"Status changed (was {before_status}); 1 changed comment; 1 new shipping log"
    assert window.model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    # The sync fetched without attachment bodies, the window with them: no change for that alone.
    assert window.triage.marks.get(unchanged).state is RowState.READ
    assert window.triage.marks.get(never).state is RowState.NEW  # synced, still never opened
    dialog.close_button.click()

    # Nothing was taken as seen: opening the case marks what changed since the reviewer's look.
    changes = open_row(qtbot, window, 0)
    assert {change.part for change in changes.parts} == {Part.STATUS, Part.COMMENTS, Part.SHIPPING_LOGS}
    wait_state(qtbot, window, changed, RowState.READ)


def test_mark_unread_read_and_n_steps_through_updated_cases(qtbot, fresh_demo, make_main_window, key):
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, window)
    ids = [window.model.case_id(r) for r in range(4)]
    for row in range(4):
        open_row(qtbot, window, row)
    for case_id in ids:
        wait_state(qtbot, window, case_id, RowState.READ)
    open_row(qtbot, window, 1)
    window.toggle_read_action.trigger()  # M: unread
    wait_state(qtbot, window, ids[1], RowState.UPDATED)
    assert row_tooltip(window.triage.marks.get(ids[1])) == "Updated since you last looked: Marked as unread"
    window.triage.mark_unread([ids[3]])
    wait_state(qtbot, window, ids[3], RowState.UPDATED)

    open_row(qtbot, window, 0)
    window.next_updated_action.trigger()  # N
    assert window.view.currentIndex().row() == 1
    wait_state(qtbot, window, ids[1], RowState.READ)  # opening it read it
    window.next_updated_action.trigger()
    assert window.view.currentIndex().row() == 3
    window.previous_updated_action.trigger()  # Shift+N: 1 is read now, nothing above
    assert window.view.currentIndex().row() == 3
    wait_state(qtbot, window, ids[3], RowState.READ)

    window.mark_all_read_action.trigger()  # Shift+C: every listed case, opened or not
    last = window.model.case_id(window.model.rowCount() - 1)
    wait_state(qtbot, window, last, RowState.READ)


@OFFSCREEN_DIALOG_NOISE
def test_flags_and_notes_survive_a_restart_are_found_and_never_sent(qtbot, fresh_demo, make_main_window, key, monkeypatch):
    from caseviewer.ui.triage.menus import NoteDialog

    secret_note = "zebrafinch reminder"
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, window)
    case_id = window.model.case_id(2)
    open_row(qtbot, window, 2)
    dialog = window.triage_menus.edit_note(case_id)
    assert isinstance(dialog, NoteDialog)
    dialog.flag_box.setCurrentIndex(dialog.flag_box.findData(Flag.GREEN))
    dialog.note_edit.setPlainText(secret_note)
    with qtbot.waitSignal(window.triage.states_changed, timeout=WAIT_MS):
        dialog.accept()
    qtbot.waitUntil(lambda: window.triage.marks.get(case_id).note == secret_note, timeout=WAIT_MS)
    flag_cell = window.model.index(2, window.model.COL_FLAG)
    assert flag_cell.data() == "Done ✎"
    assert secret_note in flag_cell.data(Qt.ItemDataRole.ToolTipRole)
    strip = window.pane.findChild(QWidget, "reviewerAnnotation")  # the case page shows both too
    assert strip is not None and not strip.isHidden()
    assert strip.text.text() == f"Your flag: Done · Your private note: {secret_note}"
    hits = window.repository.find_cached("zebrafinch").hits
    assert [hit.case_id for hit in hits] == [case_id]
    window.refresh()
    wait_loaded(qtbot, window)
    window.close()

    # A restart: a new window on the same encrypted cache file.
    again = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, again)
    qtbot.waitUntil(lambda: (again.triage.marks.get(case_id) is not None
                             and again.triage.marks.get(case_id).flag is Flag.GREEN), timeout=WAIT_MS)
    assert again.triage.marks.get(case_id).note == secret_note
    with qtbot.waitSignal(again.triage.changes_known, timeout=WAIT_MS):
        again.select_row(2)
    strip = again.pane.findChild(QWidget, "reviewerAnnotation")
    assert strip is not None and not strip.isHidden() and secret_note in strip.text.text()
    open_row(qtbot, again, 1)  # a case with neither: no line
    assert strip.isHidden()
    again.select_row(2)
    again.triage_refresh.run_now()
    qtbot.waitUntil(lambda: not again.triage_refresh.running, timeout=WAIT_MS)
    dialog = again.show_sync_dialog()  # every case, with attachment bodies
    dialog.attachments_box.setChecked(True)
    with qtbot.waitSignal(dialog.finished_sync, timeout=60_000) as finished:
        dialog.start()
    assert finished.args[0] is not None and finished.args[0].fetched > 0
    dialog.close_button.click()

    sent = fresh_demo.request_log.entries()
    assert sent, "the window talked to the demo service"
    for request in sent:
        blob = (request.target + repr(request.headers)).encode() + request.body
        assert b"zebrafinch" not in blob.lower()
        assert b"done" not in request.target.lower().encode() and b"green" not in blob.lower()


def test_ctrl_c_copies_the_id_and_the_row_menu_offers_the_commands(qtbot, fresh_demo, make_main_window, key):
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, window)
    open_row(qtbot, window, 0)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == window.model.case_id(0)
    window.copy_summary_action.trigger()
    record = window.model.record(0)
    summary = QGuiApplication.clipboard().text()
    assert summary.startswith(record.business_name.strip()) and summary.endswith(record.id)
    assert "CV-000000" in summary  # the open case's short id
    menu = window.triage_menus.build_row_menu(window.model.case_id(0))
    texts = [a.text().replace("&", "") for a in menu.actions() if a.text()]
    assert texts == ["Open in new window", "Copy case ID", "Copy short ID", "Copy summary", "Mark as read",
                     "Mark as unread", "Flag", "Private note…", "Make available offline"]


@OFFSCREEN_DIALOG_NOISE
def test_a_case_in_its_own_window_shows_the_full_page_and_closes_with_ctrl_w(qtbot, fresh_demo, make_main_window, key):
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, window)
    open_row(qtbot, window, 1)
    window.select_row(0)
    case_window = window.triage_menus.open_in_window(window.model.case_id(0))
    qtbot.addWidget(case_window)
    qtbot.waitUntil(lambda: case_window.pane.current_case_id() == window.model.case_id(0), timeout=WAIT_MS)
    assert case_window.windowTitle() == "caseviewer — case CV-000000"
    assert len(case_window.pane.tab_pages) == len(window.pane.tab_pages)
    assert case_window.close_action.shortcut().matches(QKeySequence("Ctrl+W")) == QKeySequence.SequenceMatch.ExactMatch
    case_window.close_action.trigger()  # Ctrl+W
    qtbot.waitUntil(lambda: not window.triage_menus.case_windows, timeout=WAIT_MS)  # closed and deleted
    assert window.isVisible()


@OFFSCREEN_DIALOG_NOISE
def test_a_read_state_arriving_after_its_case_window_closed_is_taken_by_the_table_only(
        qtbot, fresh_demo, make_main_window, key, monkeypatch):
    import shiboken6

    from caseviewer.ui.detail.pane import DetailPane

    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, window)
    triage = window.triage
    viewed = triage._viewed
    answers = []
    monkeypatch.setattr(triage, "_viewed", lambda pane, case_id, answer: (answers.append((case_id, answer)),
                                                                           viewed(pane, case_id, answer)))
    case_window = window.triage_menus.open_in_window(window.model.case_id(2))
    qtbot.waitUntil(lambda: bool(answers) and answers[-1][0] == window.model.case_id(2), timeout=WAIT_MS)
    case_id, answer = answers[-1]
    pane = case_window.pane
    assert isinstance(pane, DetailPane) and pane.current_case_id() == case_id
    shiboken6.delete(case_window)  # the case window closed (Ctrl+W) while the answer was on its way
    triage.changes.pop(case_id, None)
    viewed(pane, case_id, answer)  # before: RuntimeError, "Internal C++ object already deleted"
    assert case_id in triage.changes  # the table's marks took it


@OFFSCREEN_DIALOG_NOISE
def test_ctrl_enter_and_a_middle_click_open_a_case_in_its_own_window(qtbot, fresh_demo, make_main_window, key):
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, window)
    open_row(qtbot, window, 1)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(window.triage_menus.case_windows) == 1, timeout=WAIT_MS)
    by_key = window.triage_menus.case_windows[0]
    qtbot.addWidget(by_key)
    qtbot.waitUntil(lambda: by_key.pane.current_case_id() == window.model.case_id(1), timeout=WAIT_MS)

    rect = window.view.visualRect(window.model.index(3, 1))
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.MiddleButton, pos=rect.center())
    qtbot.waitUntil(lambda: len(window.triage_menus.case_windows) == 2, timeout=WAIT_MS)
    by_click = window.triage_menus.case_windows[1]
    qtbot.addWidget(by_click)
    qtbot.waitUntil(lambda: by_click.pane.current_case_id() == window.model.case_id(3), timeout=WAIT_MS)
    assert window.pane.current_case_id() == window.model.case_id(1)  # the main window stays where it was
    for case_window in (by_key, by_click):
        case_window.close_action.trigger()
    qtbot.waitUntil(lambda: not window.triage_menus.case_windows, timeout=WAIT_MS)


def test_triage_works_offline_from_the_cache(qtbot, fresh_demo, make_main_window, key):
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, window)
    ids = [window.model.case_id(r) for r in range(3)]
    for row in (0, 1):
        open_row(qtbot, window, row)
    with qtbot.waitSignal(window.triage.states_changed, timeout=WAIT_MS):
        window.triage.set_flag(Flag.BLUE, [ids[1]])
    window.close()
    repository = make_repository(fresh_demo, open_cache(key))
    fresh_demo.stop()  # the service is gone: the restarted window reads the list from the cache

    again = make_main_window(repository, page_size=20)
    wait_loaded(qtbot, again)
    qtbot.waitUntil(lambda: again.repository.is_offline, timeout=WAIT_MS)
    for case_id, state in zip(ids, (RowState.READ, RowState.READ, RowState.NEW)):
        wait_state(qtbot, again, case_id, state)
    assert again.triage.marks.get(ids[1]).flag is Flag.BLUE
    changes = open_row(qtbot, again, again.model.row_of(ids[0]))
    assert not changes.first_view and not changes.any  # the cached copy is what the reviewer saw
    again.triage.mark_unread([ids[0]])
    wait_state(qtbot, again, ids[0], RowState.UPDATED)


def test_without_a_keyring_triage_says_why(qtbot, fresh_demo, make_main_window):
    window = make_main_window(make_repository(fresh_demo, None), page_size=20,
                              cache_unavailable_reason="No secure keyring is available")
    wait_loaded(qtbot, window)
    assert not window.flag_action.isEnabled()
    assert "No secure keyring is available" in window.flag_action.toolTip()
    assert window.model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    window.triage.toggle_flag()
    assert "never remembered" not in window.statusBar().currentMessage()
    assert "kept only in the encrypted offline cache" in window.statusBar().currentMessage()


def test_saved_views_round_trip_through_a_restart(qtbot, fresh_demo, make_main_window, key, tmp_path):
    from caseviewer.core.views import TriageFilter
    from caseviewer.ui.settings_store import UiSettings

    settings_file = tmp_path / "ui.ini"
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20,
                              settings=UiSettings(settings_file))
    wait_loaded(qtbot, window)
    bar = window.views_bar
    assert [v.name for v in bar.all_views()][:4] == ["All cases", "New", "Updated since I looked", "Flagged"]
    window.filter_bar.set_statuses((4, 10))
    window.filter_bar.set_search("Smith")  # never kept in a view
    window.set_column_visible(window.model.COL_APPLICANT_ID, True)
    saved = bar.save_as("  My review  queue ")
    assert saved.name == "My review queue" and saved.statuses == (4, 10)
    with pytest.raises(ValueError, match="already a view"):
        bar.save_as("my review queue")
    bar.save_as("Second")
    bar.move_view(-1)  # Second before My review queue
    bar.select("My review queue")
    bar.rename_current("Queue")
    assert "Smith" not in settings_file.read_text()
    window.close()

    again = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20,
                             settings=UiSettings(settings_file))
    wait_loaded(qtbot, again)
    qtbot.waitUntil(lambda: again.views_bar.current().name == "Queue", timeout=WAIT_MS)
    assert [v.name for v in again.views_bar.own] == ["Second", "Queue"]
    qtbot.waitUntil(lambda: set(again.filter_bar.state().statuses) == {4, 10}, timeout=WAIT_MS)
    assert not again.header.isSectionHidden(again.model.COL_APPLICANT_ID)
    # The filter bar shows the view at once; the model asks for it a moment later: wait for
    # the filtered query itself, or the rows read below may be the unfiltered first page.
    qtbot.waitUntil(lambda: again.model.query is not None and set(again.model.query.statuses) == {4, 10},
                    timeout=WAIT_MS)
    wait_loaded(qtbot, again)
    assert all(again.model.record(r).status_code in ("UNDER_MANUAL_REVIEW", "PENDING_DECISION")
               for r in range(again.model.rowCount()))
    again.views_bar.delete_current()
    assert [v.name for v in again.views_bar.own] == ["Second"]

    # The Flagged view shows only flagged rows of the list.
    again.views_bar.select("All cases")
    qtbot.waitUntil(lambda: again.model.query is not None and not again.model.query.statuses, timeout=WAIT_MS)
    wait_loaded(qtbot, again)
    flagged = again.model.case_id(1)
    with qtbot.waitSignal(again.triage.states_changed, timeout=WAIT_MS):
        again.triage.set_flag(Flag.BLUE, [flagged])
    again.views_bar.select("Flagged")
    assert again.views_bar.current().triage is TriageFilter.FLAGGED

    def shown() -> list[str]:
        return [again.model.case_id(r) for r in range(again.model.rowCount()) if not again.view.isRowHidden(r)]

    # The view may ask for its list again (a page arriving later is filtered when it lands).
    qtbot.waitUntil(lambda: shown() == [flagged], timeout=WAIT_MS)
    assert again.views_bar.combo.itemText(3) == "Flagged (1)"


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_a_deep_link_from_a_second_process_opens_the_case_in_the_first(qtbot, fresh_demo, make_main_window, key):
    import os
    import subprocess
    import sys

    from caseviewer.core.deeplink import DeepLink
    from caseviewer.ui.single_instance import SingleInstanceServer

    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    window.profile_name = "Work"
    wait_loaded(qtbot, window)
    server = SingleInstanceServer(window)
    server.link_received.connect(window.open_link)
    assert server.listen()
    case_id = window.model.case_id(3)
    link = DeepLink(case_id, "Work").url()
    assert link == f"caseviewer://case/{case_id}?profile=Work"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen([sys.executable, "-m", "caseviewer.cli", link], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        qtbot.waitUntil(lambda: child.poll() is not None, timeout=30_000)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, child.stderr.read().decode()
    qtbot.waitUntil(lambda: window.pane.current_case_id() == case_id, timeout=WAIT_MS)
    server.close()


def test_a_bad_link_is_refused_with_what_a_link_looks_like():
    from caseviewer.cli import main

    assert main(["caseviewer://case/../../etc?profile=x"]) == 2
    assert main(["caseviewer://case/abc?email=someone@example.test"]) == 2


def test_background_refresh_counts_notifies_without_phi_and_rests_offline(qtbot, fresh_demo, make_main_window, key):
    from caseviewer.core.refresh import notification_text, refresh_round

    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    assert window.triage_refresh.timer.interval() == 600_000 and window.triage_refresh.timer.isActive()
    wait_loaded(qtbot, window)
    watched = [window.model.case_id(r) for r in (0, 2)]
    for row in (0, 2):
        open_row(qtbot, window, row)
    for case_id in watched:
        fresh_demo.data.edits.change(fresh_demo.data.index_of(case_id))
    elsewhere = window.model.case_id(5)
    open_row(qtbot, window, 5)  # the reviewer is elsewhere: looked at, not changed since
    with qtbot.waitSignal(window.triage_refresh.finished, timeout=WAIT_MS) as done:
        window.triage_refresh.run_now()
    report = done.args[0]
    assert set(report.updated) == set(watched)
    assert set(report.checked) == {*watched, elsewhere}
    assert window.triage_refresh.label.text() == "2 cases updated"
    if not window.isActiveWindow():
        assert window.triage_refresh.last_notification == "2 cases updated"
    phi = set()
    for case_id in watched:
        record = window.model.record(window.model.row_of(case_id))
        phi |= {record.business_name, record.applicant_name, case_id}
    assert not any(piece and piece in window.triage_refresh.last_notification for piece in phi)
    assert notification_text(1, 2) == "1 case updated, 2 new cases" and notification_text(0, 0) == ""

    window.set_work_offline(True)
    qtbot.waitUntil(lambda: window.repository.is_offline and not window.runner._pending, timeout=WAIT_MS)  # noqa: SLF001
    fresh_demo.request_log.clear()
    report = refresh_round(window.repository, window.triage.state)
    assert report.skipped == "offline" and report.requests == 0
    window.triage_refresh._tick()  # noqa: SLF001 - the timer's tick does nothing offline
    assert not window.triage_refresh.running
    assert fresh_demo.request_log.entries() == []


def test_background_refresh_waits_out_retry_after(qtbot, fresh_demo, key):
    from caseviewer.core.api import RetryPolicy
    from caseviewer.core.refresh import refresh_round
    from caseviewer.core.repository import CaseRepository
    from caseviewer.core.reviewer_state import ReviewerState
    from tests.unit.test_cache_support import make_api

    cache = open_cache(key)
    repository = CaseRepository(make_api(fresh_demo, retry=RetryPolicy(max_retries=2)), cache=cache)
    state = ReviewerState(cache)
    case_id = fresh_demo.data.case_id(0)
    state.record_view(case_id, __import__("caseviewer.core.changes", fromlist=["x"]).fingerprint_record("X"))
    fresh_demo.faults.update(rate_limit_count=1, retry_after=1, scope="detail")
    fresh_demo.request_log.clear()
    report = refresh_round(repository, state, pause_s=0)
    assert report.checked == (case_id,) and not report.stopped
    details = [e for e in fresh_demo.request_log.entries() if "customer-case-detail" in e.target]
    assert len(details) == 2  # the 429, then the retry
    assert details[1].at - details[0].at >= 1.0  # not before the Retry-After
    repository.close()


def test_the_case_page_copies_any_fields_value(qtbot, fresh_demo, make_main_window, key):
    from caseviewer.ui.detail.key_value_form import KeyValueForm
    from caseviewer.ui.triage.copy_menu import field_menu

    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, window)
    result = open_row(qtbot, window, 0)
    form = window.pane.tab_pages[0].findChildren(KeyValueForm)[0]
    value = form._layout.itemAt(0, form._layout.ItemRole.FieldRole).widget()  # noqa: SLF001 - "Title"
    assert value.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    menu = field_menu(value, "Title", value)
    by_text = {a.text().replace("&", ""): a for a in menu.actions()}
    by_text["Copy value"].trigger()
    assert QGuiApplication.clipboard().text() == value.text() != ""
    by_text["Copy \u201cTitle: …\u201d"].trigger()
    assert QGuiApplication.clipboard().text() == f"Title: {value.text()}"
    assert result is not None


def test_the_table_and_the_marks_keep_each_listed_id_once(qtbot, fresh_demo, make_main_window, key):
    """The table's rows keep their ids in the marks' store: 100,000 listed ids were held twice
    (3 MB each). A re-sort lists the same ids again and adds none."""
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    wait_loaded(qtbot, window)
    ids = [window.model.case_id(row) for row in range(window.model.rowCount())]
    qtbot.waitUntil(lambda: all(window.triage.marks.get(case_id) is not None for case_id in ids), timeout=WAIT_MS)
    store = window.triage.marks.ids
    assert window.model._ids.store is store  # noqa: SLF001 - what is shared is the point
    assert len(store) == len(set(ids)) and all(window.model.row_of(case_id) == row for row, case_id in enumerate(ids))

    with qtbot.waitSignal(window.page_loaded, timeout=WAIT_MS):
        window.sort_by(window.model.COL_BUSINESS, False)
    wait_loaded(qtbot, window)
    resorted = [window.model.case_id(row) for row in range(window.model.rowCount())]
    assert window.model._ids.store is store  # noqa: SLF001
    assert len(store) == len(set(ids) | set(resorted))
    assert all(window.model.row_of(case_id) == row for row, case_id in enumerate(resorted))


def test_an_online_triage_view_loads_pages_until_its_rows_show_and_says_what_it_shows(
        qtbot, fresh_demo, make_main_window, key):
    """Qt asks for the next page only when the last row comes into view, and a triage view hides
    the rows it leaves out: the views bar asks instead, so a flagged case on page 3 shows."""
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    window.resize(900, 600)
    wait_loaded(qtbot, window)
    while window.model.canFetchMore():
        window.model.fetchMore()
        wait_loaded(qtbot, window)
    assert window.model.rowCount() == 50
    flagged = window.model.case_id(45)  # on the third page of 20
    with qtbot.waitSignal(window.triage.states_changed, timeout=WAIT_MS):
        window.triage.set_flag(Flag.RED, [flagged])
    window.case_list.reload_list()  # page 1 only again
    wait_loaded(qtbot, window)
    assert window.model.rowCount() == 20

    window.views_bar.select("Flagged")

    def shown() -> list[str]:
        return [window.model.case_id(r) for r in range(window.model.rowCount()) if not window.view.isRowHidden(r)]

    qtbot.waitUntil(lambda: shown() == [flagged] and not window.model.canFetchMore(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not window.model.is_loading, timeout=WAIT_MS)
    assert window.count_label.text() == "1 flagged of 50 cases"
    assert window.overlay.kind is None

    # Nothing flagged: the table says so and offers every case, not an empty white table.
    with qtbot.waitSignal(window.triage.states_changed, timeout=WAIT_MS):
        window.triage.set_flag(None, [flagged])
    qtbot.waitUntil(lambda: shown() == [], timeout=WAIT_MS)
    assert window.count_label.text() == "0 flagged of 50 cases"
    assert window.overlay.title_text() == "No flagged cases"
    assert window.overlay.button_text() == "Show all cases"
    window.overlay.state_view.button.click()
    assert window.views_bar.current().name == "All cases"
    assert len(shown()) == 50 and window.count_label.text() == "Showing 50 of 50 cases"


def _flag_rows_then_start_over(qtbot, window, rows: list[int]) -> list[str]:
    """Load every page, flag ``rows``, then list page 1 only again; the flagged case ids."""
    wait_loaded(qtbot, window)
    while window.model.canFetchMore():
        window.model.fetchMore()
        wait_loaded(qtbot, window)
    flagged = [window.model.case_id(row) for row in rows]
    with qtbot.waitSignal(window.triage.states_changed, timeout=WAIT_MS):
        window.triage.set_flag(Flag.RED, flagged)
    window.case_list.reload_list()
    wait_loaded(qtbot, window)
    return flagged


def _shown(window) -> list[str]:
    return [window.model.case_id(r) for r in range(window.model.rowCount()) if not window.view.isRowHidden(r)]


def test_an_online_triage_view_looks_through_a_bounded_part_of_the_list_then_offers_to_keep_looking(
        qtbot, fresh_demo, make_main_window, key, monkeypatch):
    """A view with few matches must not page through a 100,000-case list on its own: it looks
    through SCAN_CASES cases, says how far it looked, and "Keep looking" goes on from there."""
    from caseviewer.ui.triage import views

    monkeypatch.setattr(views, "SCAN_CASES", 20)  # one page of 20 on its own
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    window.resize(900, 600)
    near, far = _flag_rows_then_start_over(qtbot, window, [5, 45])  # pages 1 and 3 of 50 cases

    window.views_bar.select("Flagged")
    qtbot.waitUntil(lambda: window.model.rowCount() == 40 and not window.model.is_loading, timeout=WAIT_MS)
    qtbot.wait(300)  # it stops there: no third page unasked
    assert window.model.rowCount() == 40 and not window.model.is_loading
    assert _shown(window) == [near]
    assert window.count_label.text() == "1 flagged among the first 40 of 50 cases"
    button = window.case_list.keep_looking_button
    assert button.isVisibleTo(window) and button.isEnabled()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _shown(window) == [near, far] and not window.model.is_loading, timeout=WAIT_MS)
    assert window.count_label.text() == "2 flagged of 50 cases"
    assert not button.isVisibleTo(window)  # nothing more to look through


def test_an_online_triage_view_with_none_found_so_far_says_how_far_it_looked_and_keeps_looking_on_request(
        qtbot, fresh_demo, make_main_window, key, monkeypatch):
    from caseviewer.ui.triage import views

    monkeypatch.setattr(views, "SCAN_CASES", 20)
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    window.resize(900, 600)
    (far,) = _flag_rows_then_start_over(qtbot, window, [45])

    window.views_bar.select("Flagged")
    qtbot.waitUntil(lambda: window.overlay.title_text() == "No flagged cases among the first 40", timeout=WAIT_MS)
    assert window.overlay.button_text() == "Keep looking"
    assert window.count_label.text() == "0 flagged among the first 40 of 50 cases"
    window.overlay.state_view.button.click()
    qtbot.waitUntil(lambda: _shown(window) == [far], timeout=WAIT_MS)
    assert window.overlay.kind is None
    assert window.count_label.text() == "1 flagged of 50 cases"

    # Another view looks through its own share from where the list is.
    window.views_bar.select("All cases")
    assert window.case_list.keep_looking_button.isHidden()


def test_a_full_online_triage_view_loads_on_at_its_end_within_the_same_bound(
        qtbot, fresh_demo, make_main_window, key, monkeypatch):
    """Rows that fill the table ask for nothing until the reviewer reaches the end; there the new
    pages' rows may all be hidden (the scroll bar stays at its end), so the same bound holds."""
    from caseviewer.ui.triage import views

    monkeypatch.setattr(views, "SCAN_CASES", 20)
    window = make_main_window(make_repository(fresh_demo, open_cache(key)), page_size=20)
    window.resize(900, 600)
    flagged = _flag_rows_then_start_over(qtbot, window, list(range(20)))  # all of page 1

    window.views_bar.select("Flagged")
    qtbot.waitUntil(lambda: _shown(window) == flagged, timeout=WAIT_MS)
    qtbot.wait(200)
    assert window.model.rowCount() == 20  # the rows fill the table: nothing loaded unasked
    button = window.case_list.keep_looking_button
    assert button.isHidden()
    assert window.count_label.text() == "20 flagged among the first 20 of 50 cases"

    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum())  # the reviewer scrolls to the end
    qtbot.waitUntil(lambda: window.model.rowCount() == 40 and not window.model.is_loading, timeout=WAIT_MS)
    qtbot.wait(200)
    assert window.model.rowCount() == 40  # one page's worth (SCAN_CASES), then it asks
    assert button.isVisibleTo(window)
    assert window.count_label.text() == "20 flagged among the first 40 of 50 cases"
    button.click()
    qtbot.waitUntil(lambda: not window.model.canFetchMore() and not window.model.is_loading, timeout=WAIT_MS)
    assert button.isHidden() and _shown(window) == flagged
