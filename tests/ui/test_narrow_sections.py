"""No section of the special demo cases (rich, hostile, huge, sparse) scrolls sideways, at the default 1280 × 800 or at 900 × 600,
where the case page beside the table is under 400 px: the sections are then chosen from a drop-down
above the page, tables shrink their columns, forms put values under labels, side-by-side parts
stack."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractScrollArea

from caseviewer.demo.data import SPECIAL
from tests.support.layout import squeezed_texts
from tests.support.windows import make_main_window  # noqa: F401 - fixture
from tests.unit.test_cache_support import make_repository

WAIT_MS = 15_000
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def sideways_areas(page) -> list[str]:
    areas = [page, *page.findChildren(QAbstractScrollArea)]
    return [f"{type(area).__name__} {area.objectName() or area.accessibleName()!r}: "
            f"{area.horizontalScrollBar().maximum()} px"
            for area in areas
            if isinstance(area, QAbstractScrollArea) and area.isVisible() and area.horizontalScrollBar().maximum() > 0]


@pytest.mark.parametrize("which", ["rich", "hostile", "huge", "sparse"])
@pytest.mark.parametrize("size", [(1280, 800), (900, 600)])
def test_no_section_of_a_demo_case_scrolls_sideways(qtbot, fresh_demo, make_main_window, size, which):
    window = make_main_window(make_repository(fresh_demo, None), page_size=100)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.model.has_loaded_first_page and not window.model.is_loading, timeout=WAIT_MS)
    row = window.model.row_of(fresh_demo.data.case_id(SPECIAL[which]))
    assert row is not None
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS):
        window.select_row(row)
    tabs = window.pane.tab_widget()
    assert tabs.is_compact is (size[0] < 1000)
    found = {}
    for index in range(tabs.count()):
        window.pane.set_current_tab(index)
        page = tabs.currentWidget()
        qtbot.wait(200)  # the section is built and laid out over a few event-loop turns
        if problems := sideways_areas(page) + squeezed_texts(window):
            found[tabs.tabText(index)] = problems
    assert found == {}


@pytest.mark.parametrize("which", ["rich", "hostile"])
@pytest.mark.parametrize("size", [(1280, 800), (900, 600)])
def test_no_attachment_preview_cuts_off_its_header(qtbot, fresh_demo, make_main_window, size, which):
    """The preview's name, type, size, uploader and date beside Save and Open: shortened or
    wrapped in a narrow pane, never cut off under the buttons."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window = make_main_window(make_repository(fresh_demo, None), page_size=100)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.model.has_loaded_first_page and not window.model.is_loading, timeout=WAIT_MS)
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS):
        window.select_row(window.model.row_of(fresh_demo.data.case_id(SPECIAL[which])))
    tabs = window.pane.tab_widget()
    section = next(i for i in range(tabs.count()) if tabs.tabText(i).startswith("Attachments"))
    window.pane.set_current_tab(section)
    table = tabs.currentWidget().table
    preview = window.pane.preview
    found = {}
    from caseviewer.ui.preview.widget import PreviewState

    for row in range(table.model().rowCount()):
        before = preview.current_attachment()
        table.setFocus()
        table.setCurrentIndex(table.model().index(row, 0))
        QTest.keyClick(table, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: preview.current_attachment() is not before  # noqa: B023 - waited here
                        and preview.state() not in (PreviewState.EMPTY, PreviewState.LOADING), timeout=WAIT_MS)
        qtbot.wait(100)  # laid out
        if squeezed := squeezed_texts(window):
            found[table.model().index(row, 0).data()] = squeezed
    assert found == {}


def test_the_compact_section_drop_down_and_the_section_keys_pick_the_same_page(qtbot, fresh_demo, make_main_window):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence

    window = make_main_window(make_repository(fresh_demo, None), page_size=20)
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.model.has_loaded_first_page and not window.model.is_loading, timeout=WAIT_MS)
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS):
        window.select_row(0)
    tabs = window.pane.tab_widget()
    qtbot.waitUntil(lambda: tabs.is_compact, timeout=WAIT_MS)
    # The section keys (Ctrl+3) move the drop-down with the page.
    qtbot.keySequence(window, QKeySequence("Ctrl+3"))
    qtbot.waitUntil(lambda: tabs.currentIndex() == 2, timeout=WAIT_MS)
    assert tabs.combo.currentIndex() == 2 and tabs.combo.currentText() == tabs.tabText(2)
    # Choosing in the drop-down by keyboard shows that section's page.
    tabs.combo.setFocus()
    qtbot.keyClick(tabs.combo, Qt.Key.Key_Down)
    assert tabs.currentIndex() == 3 and tabs.currentWidget() is tabs.widget(3)
    # Wide again: the list beside the page, on the same section.
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: not tabs.is_compact, timeout=WAIT_MS)
    assert tabs.list.isVisible() and tabs.list.currentRow() == 3


def test_tab_reaches_the_section_drop_down_before_the_page(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

    from caseviewer.ui.detail.section_list import SectionView

    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    before = QLineEdit()
    layout.addWidget(before)
    view = SectionView()
    layout.addWidget(view)
    page = QLineEdit()
    view.addTab(page, "At a glance")
    view.addTab(QLabel("second"), "Timeline")
    holder.resize(300, 400)
    holder.show()
    qtbot.waitUntil(lambda: view.is_compact)
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert view.combo.hasFocus()  # above the page, so before it
    qtbot.keyClick(view.combo, Qt.Key.Key_Tab)
    assert page.hasFocus()


@pytest.mark.parametrize("size", [(1280, 800), (900, 600)])
def test_a_long_case_title_takes_three_lines_at_most_and_tells_the_rest(qtbot, fresh_demo, make_main_window, size):
    """The hostile case's title (markup and a 131-character reference) wrapped over nine lines
    at 900 × 600 and pushed the section half off the window: now three, the last ending in "…",
    with the whole title in the tooltip and the accessible name."""
    from PySide6.QtWidgets import QLabel

    from caseviewer.ui.detail.clamped_label import ELLIPSIS
    from caseviewer.ui.detail.header import TITLE_LINES

    window = make_main_window(make_repository(fresh_demo, None), page_size=100)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.model.has_loaded_first_page and not window.model.is_loading, timeout=WAIT_MS)
    with qtbot.waitSignal(window.detail_shown, timeout=WAIT_MS):
        window.select_row(window.model.row_of(fresh_demo.data.case_id(SPECIAL["hostile"])))
    title = window.pane.header.title
    whole = title.text()
    assert "<script>" in whole and len(whole) > 200
    qtbot.waitUntil(lambda: title.is_clamped(), timeout=WAIT_MS)
    lines = title.fontMetrics().lineSpacing()
    assert title.height() <= TITLE_LINES * lines + 4
    assert QLabel.text(title).endswith(ELLIPSIS) and title.toolTip() and title.accessibleName() == whole
    assert whole.startswith(QLabel.text(title)[:40])
