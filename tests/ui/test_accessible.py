"""Names and live regions for assistive technology (ui/accessible.py), on real widgets.

The AT-SPI test (tests/e2e/test_accessibility_tree.py) reads the names from a real process; here
the parts that announce are driven directly: the offline banner, the table's and the pane's error
views, the status bar, the lock screen's message. ``announcer().announced`` is what every
announcement also emits; with accessibility active the same text goes out as Qt's
``QAccessibleAnnouncementEvent``.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTableView

from caseviewer.core.offline import OfflineReason
from caseviewer.ui import accessible
from caseviewer.ui.accessible import Politeness, announce, announcer
from caseviewer.ui.case_list.case_table_model import CaseTableModel
from caseviewer.ui.detail.pane import DetailPane
from caseviewer.ui.window.offline_banner import OfflineBanner
from caseviewer.ui.case_list.table_states import TableStateOverlay
from tests.support.windows import make_main_window  # noqa: F401 - fixture
from tests.unit.test_cache_support import make_repository, open_cache

WAIT_MS = 15_000
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def heard(qtbot):
    """Every announcement made during the test, as (text, politeness)."""
    said: list[tuple[str, Politeness]] = []

    def record(text: str, politeness: Politeness) -> None:
        said.append((text, politeness))

    announcer().announced.connect(record)
    yield said
    announcer().announced.disconnect(record)


def test_name_sets_the_name_and_the_description(qtbot):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    assert accessible.name(edit, "Search cases", "Results come from the service") is edit
    assert edit.accessibleName() == "Search cases"
    assert edit.accessibleDescription() == "Results come from the service"
    accessible.name(edit, "Find")  # no description given: the old one stays
    assert (edit.accessibleName(), edit.accessibleDescription()) == ("Find", "Results come from the service")


def test_announce_speaks_one_line_and_nothing_for_empty_text(qtbot, heard):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    announce(edit, "  Offline:\n  the service   cannot be reached ", Politeness.ASSERTIVE)
    announce(edit, "   ")
    assert heard == [("Offline: the service cannot be reached", Politeness.ASSERTIVE)]


def test_the_offline_banner_is_named_and_announced_once(qtbot, heard):
    banner = OfflineBanner()
    qtbot.addWidget(banner)
    cached = datetime(2025, 1, 2, 3, 4, tzinfo=timezone.utc)
    banner.show_offline(OfflineReason.UNREACHABLE, cached)
    assert banner.accessibleName() == "Working offline"
    assert banner.accessibleDescription() == banner.label.text()
    assert heard == [(banner.label.text(), Politeness.ASSERTIVE)]
    banner.show_offline(OfflineReason.UNREACHABLE, cached)  # the state refreshed: nothing new to say
    banner.refresh_text()
    assert len(heard) == 1
    banner.show_offline(OfflineReason.CHOSEN, cached)  # a new reason is news
    assert heard[-1] == (banner.label.text(), Politeness.ASSERTIVE) and "chose" in heard[-1][0]
    banner.hide_banner()
    banner.show_offline(OfflineReason.CHOSEN, cached)  # shown again after it was gone
    assert len(heard) == 3


def test_the_case_list_error_is_announced_but_loading_is_not(qtbot, heard):
    view = QTableView()
    qtbot.addWidget(view)
    overlay = TableStateOverlay(view)
    overlay.show_loading()
    overlay.show_empty()
    assert heard == []
    overlay.show_error("The case list service answered 503.")
    assert heard == [("Couldn't load the case list. The case list service answered 503.", Politeness.ASSERTIVE)]


def test_the_pane_error_is_announced(qtbot, heard):
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show_error("The case detail service rejected the API key.", can_retry=False, fix_credentials=True)
    assert heard == [("Couldn't load this case. The case detail service rejected the API key.", Politeness.ASSERTIVE)]


def test_a_status_bar_message_is_announced_politely(qtbot, heard, fresh_demo, make_main_window):
    window = make_main_window(make_repository(fresh_demo, open_cache()), page_size=20)
    qtbot.waitUntil(lambda: window.model.has_loaded_first_page, timeout=WAIT_MS)
    heard.clear()
    window.refresh()  # F5 says "Refreshing…" in the status bar
    assert ("Refreshing…", Politeness.POLITE) in heard
    assert window.statusBar().currentMessage() == "Refreshing…"


def test_working_offline_is_announced_by_the_window(qtbot, heard, fresh_demo, make_main_window):
    window = make_main_window(make_repository(fresh_demo, open_cache()), page_size=20)
    qtbot.waitUntil(lambda: window.model.has_loaded_first_page and not window.model.is_loading, timeout=WAIT_MS)
    heard.clear()
    window.work_offline_action.trigger()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=WAIT_MS)
    # The banner's words when it appeared (the cache's age is added to it later, not re-announced).
    assert ("Offline — showing cached data. You chose to work offline.", Politeness.ASSERTIVE) in heard


def test_case_cells_read_their_text_and_the_row_state(qtbot, fresh_demo, make_main_window):
    window = make_main_window(make_repository(fresh_demo, open_cache()), page_size=20)
    qtbot.waitUntil(lambda: window.model.has_loaded_first_page and not window.model.is_loading, timeout=WAIT_MS)
    model = window.model
    row = 0
    record = model.record(row)
    qtbot.waitUntil(lambda: window.triage.marks.get(record.id) is not None, timeout=WAIT_MS)
    assert model.data(model.index(row, CaseTableModel.COL_CASE_ID), Qt.ItemDataRole.AccessibleTextRole) == record.id
    assert model.data(model.index(row, CaseTableModel.COL_STATUS), Qt.ItemDataRole.AccessibleTextRole).startswith("Status: ")
    descriptions = {model.data(model.index(row, column), Qt.ItemDataRole.AccessibleDescriptionRole)
                    for column in range(model.columnCount())}
    assert descriptions == {"New: you have not opened this case yet"}
    # A missing value is "blank" to a screen reader, not the "—" the cell shows.
    flag = model.index(row, CaseTableModel.COL_FLAG)
    assert model.data(flag, Qt.ItemDataRole.AccessibleTextRole) == "blank"
    # Flagging the case says so on every cell of the row.
    window.select_row(row)
    qtbot.waitUntil(lambda: model.data(model.index(row, 0), Qt.ItemDataRole.AccessibleDescriptionRole) == "Read",
                    timeout=WAIT_MS)
    window.flag_action.trigger()
    qtbot.waitUntil(lambda: model.data(model.index(row, 1), Qt.ItemDataRole.AccessibleDescriptionRole)
                    == "Read; Flagged Important", timeout=WAIT_MS)
    assert model.data(flag, Qt.ItemDataRole.AccessibleTextRole) != "blank"
