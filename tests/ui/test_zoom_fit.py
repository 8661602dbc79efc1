"""200 % zoom in a 1280×800 window: widths follow the text, so nothing is clipped (issue 21).

The whole window on the demo service, zoomed with the window's own Zoom (the one Ctrl++ moves):
the status column fits the widest chip, the section list its longest name, the search box its
placeholder, and the filter bar takes a second row instead of squeezing its fields. The zoom is
application-wide, so every test puts it back to 100 %.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics

from caseviewer.ui.case_list.case_table_model import CaseTableModel
from caseviewer.ui.case_list.status_chip import status_column_width
from caseviewer.ui.zoom import DEFAULT, text_scale
from tests.support.windows import make_main_window  # noqa: F401 - fixture
from tests.unit.test_cache_support import make_repository

WAIT_MS = 15_000
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, fresh_demo, make_main_window):
    win = make_main_window(make_repository(fresh_demo, None), page_size=20)
    qtbot.waitUntil(lambda: win.model.has_loaded_first_page and not win.model.is_loading, timeout=WAIT_MS)
    with qtbot.waitSignal(win.detail_shown, timeout=WAIT_MS):
        win.select_row(0)
    yield win
    win.zoom.set_percent(DEFAULT)


def test_the_status_column_fits_the_widest_chip_at_200_percent(qtbot, window):
    header = window.header
    at_100 = header.sectionSize(CaseTableModel.COL_STATUS)
    floor_at_100 = header.minimumSectionSize()
    assert at_100 >= status_column_width(window.view.font())  # no chip elided at 100 % either
    window.zoom.set_percent(200)
    qtbot.waitUntil(lambda: text_scale() > 1.8, timeout=WAIT_MS)
    assert header.sectionSize(CaseTableModel.COL_STATUS) >= status_column_width(window.view.font())
    # The business name stretches over what the others leave, never below a floor that grows
    # with the text (ui/case_list/column_widths.py).
    assert header.minimumSectionSize() >= 1.5 * floor_at_100  # (a fixed cell padding does not grow)
    assert header.sectionSize(CaseTableModel.COL_BUSINESS) >= header.minimumSectionSize()
    window.zoom.set_percent(DEFAULT)
    assert abs(header.sectionSize(CaseTableModel.COL_STATUS) - at_100) <= 2  # and back


def test_section_names_and_the_search_placeholder_fit_at_200_percent(qtbot, window):
    window.zoom.set_percent(200)
    qtbot.waitUntil(lambda: text_scale() > 1.8, timeout=WAIT_MS)
    sections = window.pane.tabs.list
    metrics = QFontMetrics(sections.font())
    qtbot.waitUntil(lambda: sections.width() >= max(metrics.horizontalAdvance(sections.item(i).text())
                                                    for i in range(sections.count())), timeout=WAIT_MS)
    search = window.filter_bar.search_edit
    assert search.width() >= search.fontMetrics().horizontalAdvance(search.placeholderText())


def test_the_filter_bar_takes_a_second_row_when_one_does_not_fit(qtbot, window):
    bar = window.filter_bar
    assert window.width() == 1280 and not bar.wrapped  # one row at 100 %
    window.zoom.set_percent(200)
    qtbot.waitUntil(lambda: bar.wrapped, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bar.dates.y() > bar.search_edit.y() + bar.search_edit.height() // 2,
                    timeout=WAIT_MS)  # the dates are on the second row once the layout has run
    assert window.width() == 1280  # the window did not have to grow
    window.zoom.set_percent(DEFAULT)
    qtbot.waitUntil(lambda: not bar.wrapped, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: abs(bar.dates.geometry().center().y() - bar.search_edit.geometry().center().y()) <= 4,
                    timeout=WAIT_MS)


@pytest.mark.parametrize("choice", ["light", "high-contrast"])
def test_the_case_table_fits_beside_the_case_page_at_1280_in_every_theme(qtbot, qapp, fresh_demo, make_main_window,
                                                                         restore_theme, choice):
    """The Attachments section stacks its list and preview when narrow, so their side-by-side
    minimum must not become the case page's: in high contrast it did (625 px), and the table
    beside it scrolled sideways with the business names cut to a few letters."""
    from caseviewer.ui import theme

    theme.apply_theme(qapp, theme.ThemeChoice(choice))
    win = make_main_window(make_repository(fresh_demo, None), page_size=20)
    qtbot.waitUntil(lambda: win.model.has_loaded_first_page and not win.model.is_loading, timeout=WAIT_MS)
    with qtbot.waitSignal(win.detail_shown, timeout=WAIT_MS):
        win.select_row(0)
    qtbot.waitUntil(lambda: win.view.viewport().width() > 0, timeout=WAIT_MS)
    header = win.header
    visible = sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c))
    assert visible <= win.view.viewport().width(), "the table scrolls sideways"
    business = header.sectionSize(CaseTableModel.COL_BUSINESS)
    assert business >= QFontMetrics(win.view.font()).horizontalAdvance("Golden Wellness"), business
