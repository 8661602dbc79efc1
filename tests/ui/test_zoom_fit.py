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
    widest = max(metrics.horizontalAdvance(sections.item(i).text()) for i in range(sections.count()))
    # At 200 % the pane beside the table offers the sections in its drop-down, which must fit them.
    qtbot.waitUntil(lambda: window.pane.tabs.is_compact, timeout=WAIT_MS)
    assert not sections.isVisible()
    qtbot.waitUntil(lambda: window.pane.tabs.combo.width() >= widest, timeout=WAIT_MS)
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


def test_a_squeezed_badge_elides_its_text_and_tells_it_whole(qtbot):
    from caseviewer.core.status import StatusTone
    from caseviewer.ui.case_list.status_chip import ToneBadge

    badge = ToneBadge("1 restricted comment or internal note", StatusTone.REVIEW)
    qtbot.addWidget(badge)
    badge.show()
    hint = badge.sizeHint().width()
    assert badge.minimumSizeHint().width() < hint / 2  # a narrow page may squeeze it
    badge.resize(hint, badge.sizeHint().height())
    assert badge.shown_text() == badge.text() and badge.toolTip() == ""
    badge.resize(badge.minimumSizeHint().width(), badge.sizeHint().height())
    assert badge.shown_text().endswith("\u2026") and badge.shown_text() != badge.text()
    assert badge.toolTip() == badge.text()
    badge.resize(hint, badge.sizeHint().height())
    assert badge.toolTip() == ""  # its own tooltip goes once it shows whole again
    short = ToneBadge("Paused", StatusTone.INACTIVE)
    qtbot.addWidget(short)
    assert short.minimumSizeHint() == short.sizeHint()  # nothing to gain by squeezing a short one


def test_a_narrow_case_page_wraps_its_rows_and_cuts_no_word(qtbot, window):
    """At 900 px the case page beside the table is ~250 px wide: the At a glance cards put their
    values under their labels rather than cutting the end off a word or scrolling sideways."""
    from PySide6.QtWidgets import QAbstractScrollArea, QLabel

    from caseviewer.ui.word_label import longest_piece_width

    window.resize(900, 600)
    window.pane.set_current_tab(0)
    page = window.pane.tab_widget().currentWidget()

    def laid_out() -> bool:
        labels = [label for label in page.findChildren(QLabel) if label.isVisible()]
        built = any(label.text() == "Identifiers" for label in labels)  # the last card (built gradually)
        return built and all(label.width() > 0 for label in labels)

    qtbot.waitUntil(laid_out, timeout=WAIT_MS)

    def cut_words() -> list:
        cut = []
        for label in page.findChildren(QLabel):
            if not label.isVisible() or not label.text() or not label.wordWrap():
                continue
            needed = longest_piece_width(QLabel.text(label), label.fontMetrics())  # as drawn, break points and all
            holder = label.parentWidget()
            if needed > label.width() or label.geometry().right() >= holder.width():
                cut.append((label.text()[:30], needed, label.width(), holder.width()))
        return cut

    try:  # the forms' wrapping follows their own resize: give the layout its turns
        qtbot.waitUntil(lambda: not cut_words(), timeout=3_000)
    except AssertionError:
        pass
    assert cut_words() == []
    sideways = [area for area in [page, *page.findChildren(QAbstractScrollArea)]
                if isinstance(area, QAbstractScrollArea) and area.isVisible() and area.horizontalScrollBar().maximum() > 0]
    assert sideways == [] and page.width() < 420


@pytest.mark.parametrize("text", ["", " ", "\u200b\u200b", "\ud800", "שלום עולם", "x\ny", "a" * 5000, "\u202e" + "b" * 40])
def test_a_word_label_measures_any_text(qapp, text):
    from caseviewer.ui.word_label import MEASURED_CHARS, WordLabel, breakable, longest_piece_width

    label = WordLabel(text)
    label.setWordWrap(True)
    width = label.minimumSizeHint().width()
    assert width >= 0
    if "\ud800" not in text:  # (a lone surrogate cannot reach Qt: PySide sets no text)
        assert label.text() == text
    if text.strip() and len(text) <= MEASURED_CHARS:
        assert width >= longest_piece_width(breakable(text), label.fontMetrics())
    assert longest_piece_width("74 (born 1952-08-11)", label.fontMetrics()) == label.fontMetrics().horizontalAdvance("1952-08-11)")


def test_a_narrow_table_keeps_the_business_name_readable_and_stretches_it_again_when_wide(qtbot, window):
    from PySide6.QtWidgets import QHeaderView

    from caseviewer.ui.case_list.column_widths import STRETCH_COLUMN, stretch_floor

    header = window.header
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.view.viewport().width() < 520, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: header.sectionSize(STRETCH_COLUMN) >= stretch_floor(), timeout=WAIT_MS)
    assert window.view.horizontalScrollBar().maximum() > 0  # scrolls rather than squeeze the names
    window.resize(1600, 800)
    qtbot.waitUntil(lambda: header.sectionResizeMode(STRETCH_COLUMN) == QHeaderView.ResizeMode.Stretch, timeout=WAIT_MS)
    visible = sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c))
    qtbot.waitUntil(lambda: window.view.horizontalScrollBar().maximum() == 0, timeout=WAIT_MS)
    assert visible <= window.view.viewport().width() and header.sectionSize(STRETCH_COLUMN) > stretch_floor()


@pytest.mark.parametrize("choice", ["light", "high-contrast"])
def test_zooming_reaches_the_widgets_already_shown_in_every_theme(qtbot, qapp, fresh_demo, make_main_window,
                                                                 restore_theme, choice):
    """High contrast sets an application style sheet, under which Qt gave a new application
    font only to widgets made afterwards: Ctrl++ left the table, its header and the bars at
    100 % while the chips' bold font grew and was cut off at the chips' edges."""
    from caseviewer.ui import theme

    theme.apply_theme(qapp, theme.ThemeChoice(choice))
    win = make_main_window(make_repository(fresh_demo, None), page_size=20)
    qtbot.waitUntil(lambda: win.model.has_loaded_first_page and not win.model.is_loading, timeout=WAIT_MS)
    shown = (win.view, win.view.viewport(), win.header, win.count_label, win.filter_bar)
    try:
        win.zoom.set_percent(150)
        wanted = round(qapp.font().pointSizeF(), 1)
        assert wanted > 10

        def sizes() -> list[float]:
            return [round(widget.font().pointSizeF(), 1) for widget in shown]

        qtbot.waitUntil(lambda: sizes() == [wanted] * len(shown), timeout=WAIT_MS)
    finally:
        win.zoom.set_percent(DEFAULT)
    qtbot.waitUntil(lambda: round(win.view.font().pointSizeF(), 1) == round(qapp.font().pointSizeF(), 1),
                    timeout=WAIT_MS)  # and back


def test_a_chip_is_measured_in_the_font_it_is_drawn_in(qtbot, qapp):
    """A painter on a pixmap takes what the font leaves unset from the application font; a chip
    of a font that inherits its size must be measured at that size too, or its text is cut."""
    from PySide6.QtGui import QFont

    from caseviewer.ui.case_list import status_chip
    from caseviewer.core.status import StatusTone

    inherits = QFont(qapp.font())
    inherits.setPointSizeF(qapp.font().pointSizeF() * 0.6)  # measured small ...
    probe = QFont()
    probe.setPointSizeF(5.0)
    size_resolved = probe.resolveMask()  # QFont::SizeResolved (PySide6 does not name the flags)
    inherits.setResolveMask(inherits.resolveMask() & ~size_resolved)  # ... drawn at the app's size
    drawn = inherits.resolve(qapp.font())
    assert drawn.pointSizeF() == qapp.font().pointSizeF()
    chip = status_chip._cell_chip(inherits, "Under manual review", StatusTone.REVIEW, 400, 40, 1.0)
    expected = status_chip._cell_chip(drawn, "Under manual review", StatusTone.REVIEW, 400, 40, 1.0)
    assert chip is not None and expected is not None
    assert (chip.pixmap.width(), chip.height) == (expected.pixmap.width(), expected.height)
