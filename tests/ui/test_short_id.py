"""The short ID shown in every case header (CV-000005) opens the case (issue 14, item 7).

Ctrl+L looks it up among the cases seen in this run and the offline cache (the services cannot
search by it); while it looks, the dialog waits, and a miss is told in the dialog with how to
find the case, leaving the selection and the pane alone. The list search, which cannot search
by short ID, points to Ctrl+L.
"""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from caseviewer.core.lookup import LookupKind, lookup_kind
from caseviewer.ui.dialogs.open_case_dialog import OpenCaseDialog
from caseviewer.ui.case_list.table_states import HINT
from tests.support.windows import make_main_window  # noqa: F401 - fixture
from tests.ui.test_main_window import build_repository, select_and_wait, wait_loaded
from tests.unit.test_cache_support import make_repository, new_key, open_cache

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
WAIT_MS = 15_000


def type_and_open(qtbot, window, text):
    dialog = window.show_open_dialog()
    QTest.keyClicks(dialog.edit, text)
    dialog.accept()
    return dialog


def test_lookup_kind_tells_short_ids_from_case_ids_and_emails():
    assert lookup_kind("CV-000005") is LookupKind.SHORT_ID
    assert lookup_kind(" cv-12 ") is LookupKind.SHORT_ID
    assert lookup_kind("3f2b6c1e-aaaa-4bbb-8ccc-0123456789ab") is LookupKind.CASE_ID
    assert lookup_kind("someone@example.org") is LookupKind.EMAIL


def test_ctrl_l_opens_a_case_by_the_short_id_seen_in_its_header(qtbot, make_main_window, fresh_demo):
    window = make_main_window(build_repository(fresh_demo))
    wait_loaded(qtbot, window)
    wanted = select_and_wait(qtbot, window, 3)
    short_id = wanted.detail.short_id
    assert short_id and any(short_id in label.text() for label in window.pane.header.findChildren(QLabel))
    select_and_wait(qtbot, window, 0)
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS) as shown:
        dialog = type_and_open(qtbot, window, short_id.lower())
    assert shown.args[0].case_id == wanted.case_id
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert window.view.selectionModel().isRowSelected(3)  # its row is highlighted again


def test_a_short_id_is_found_in_the_offline_cache_in_a_later_run(qtbot, make_main_window, fresh_demo):
    key = new_key()
    case_id = fresh_demo.data.case_ids()[7]
    first = make_repository(fresh_demo, open_cache(key, name="shortid"))
    short_id = first.open_case(case_id).detail.short_id
    first.close()
    window = make_main_window(make_repository(fresh_demo, open_cache(key, name="shortid")))
    wait_loaded(qtbot, window)
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS) as shown:
        type_and_open(qtbot, window, short_id)
    assert shown.args[0].case_id == case_id


def test_an_unknown_short_id_says_how_to_find_it_and_keeps_the_selection(qtbot, make_main_window, fresh_demo):
    window = make_main_window(build_repository(fresh_demo))
    wait_loaded(qtbot, window)
    shown = select_and_wait(qtbot, window, 2)
    dialog = type_and_open(qtbot, window, "CV-999999")
    qtbot.waitUntil(lambda: "short ID" in dialog.problem.text(), timeout=WAIT_MS)
    message = dialog.problem.text()
    assert "CV-999999" in message and "Make available offline" in message and "by name" in message
    assert dialog.isVisible() and dialog.edit.text() == "CV-999999"  # nothing typed is lost
    assert window.view.selectionModel().isRowSelected(2)
    assert window.pane.current_case_id() == shown.case_id  # the pane still shows the case
    dialog.reject()


def test_an_unknown_case_opened_elsewhere_offers_no_pointless_retry(qtbot, make_main_window, fresh_demo):
    from caseviewer.ui.dialogs.open_case_dialog import BY_ID, CaseLookup

    window = make_main_window(build_repository(fresh_demo))
    wait_loaded(qtbot, window)
    with qtbot.waitSignal(window.detail_failed, timeout=WAIT_MS):
        window.open_case(CaseLookup(BY_ID, "00000000-0000-4000-8000-000000000000"))
    assert window.pane.retry_button.isHidden()


def test_the_list_search_points_a_short_id_to_open_case(qtbot, make_main_window, fresh_demo):
    window = make_main_window(build_repository(fresh_demo))
    wait_loaded(qtbot, window)
    with qtbot.waitSignal(window.page_loaded, timeout=WAIT_MS):
        window.filter_bar.set_search("CV-000005")
    assert window.model.rowCount() == 0
    assert window.overlay.kind == HINT
    assert "short ID" in window.overlay.detail_text() and "Ctrl+L" in window.overlay.detail_text()
    assert window.overlay.button_text() == "Open case…"
    window.overlay._button.click()
    dialogs = [d for d in window.findChildren(OpenCaseDialog) if d.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].edit.text() == "CV-000005"
    dialogs[0].reject()
