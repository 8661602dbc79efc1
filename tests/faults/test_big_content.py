"""Big and broken content never stalls the window (issue class 11), through the real window on the
demo service's ``hostile_content`` knob. No timings here (``./dev bench`` measures them: see
``tests/bench/bench_hostile_cases.py``); these check the mechanisms that keep the GUI thread free:

* 2,000 attachments: the table computes the cells it shows, not 12,000;
* 30 comments and notes of 1 MiB: cards are built a batch per event-loop turn, each body shows its
  beginning with "Show all", and the Raw tab fills gradually with long strings cut;
* fuzzed and broken PDFs: a large one with a broken index is refused on the worker (the viewer
  would rebuild it on the GUI thread), the others end as a message or a document.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseviewer.core.pdf_check import xref_intact
from caseviewer.core.repository import CaseRepository
from caseviewer.demo.files import pdf
from caseviewer.demo.hostile_content import BIG_COMMENTS, BIG_NOTES, MANY_ATTACHMENTS, broken_index_pdf, objects_without_index
from caseviewer.ui.detail.tabs.comments import CommentsTab
from caseviewer.ui.detail.tabs.raw import RawTab
from caseviewer.ui.detail.timeline_view import TimelineTab
from caseviewer.ui.detail.widgets import LONG_TEXT_PREVIEW_CHARS, LongText
from caseviewer.ui.preview.loader import PDF_TOO_BROKEN, prepare_preview
from caseviewer.core import errors
from tests.support.windows import WAIT_MS, demo_api, open_row, show_window

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def window(qtbot, fresh_demo):
    win = show_window(qtbot, CaseRepository(demo_api(fresh_demo)), min_rows=8)
    yield win
    win.shutdown()


def select_tab(window, title: str):
    tabs = window.pane.tab_widget()
    for index in range(tabs.count()):
        if tabs.tabText(index).startswith(title):
            window.pane.set_current_tab(index)
            return window.pane.tab_pages[index]
    raise AssertionError(title)


def test_two_thousand_attachments_compute_only_the_cells_on_screen(qtbot, window, fresh_demo):
    fresh_demo.faults.update(hostile_content="many_attachments")
    tab = select_tab(window, "Attachments")
    result = open_row(qtbot, window, 5)
    assert len(result.detail.attachments) == MANY_ATTACHMENTS
    listed = len(result.detail.all_attachments())  # with those on comments and notes
    assert window.pane.tab_widget().tabText(window.pane.tab_widget().currentIndex()) == f"Attachments ({listed})"
    model = tab.table.source
    assert model.rowCount() == listed
    computed = sum(cell is not None for row in model._cells for cell in row)
    assert 0 < computed < 1000  # 12,000 cells exist; only what is measured and shown is built
    # The last file is still one selection away, and previews.
    last = next(a for _, a in reversed(result.detail.all_attachments()) if a.content is not None)
    with qtbot.waitSignal(window.pane.preview.preview_ready, timeout=WAIT_MS) as ready:
        assert tab.select_attachment(last)
    assert ready.args[0] == "text"


def test_a_timeline_of_two_thousand_events_words_only_the_rows_on_screen(qtbot, window, fresh_demo):
    fresh_demo.faults.update(hostile_content="many_attachments")
    tab = select_tab(window, "Timeline")
    assert isinstance(tab, TimelineTab)
    open_row(qtbot, window, 5)
    rows = tab.model.rows
    events = [row for row in rows if row.event is not None]
    assert len(events) > MANY_ATTACHMENTS and len(tab.visible_events()) == len(events)
    tab.view.viewport().grab()  # paints the rows on screen
    worded = sum(row._words is not None for row in events)  # noqa: SLF001 - the mechanism under test
    assert 0 < worded < 200  # the rest are worded when scrolled to, or searched
    first = next(row for row in events if row._words is not None)  # noqa: SLF001
    assert first.title and first.when_text
    # Find words them all, and finds the last file.
    last = events[-1].event
    tab.find.setText(last.title)
    assert last in tab.visible_events()


def test_megabyte_comments_are_built_gradually_and_shortened(qtbot, window, fresh_demo):
    fresh_demo.faults.update(hostile_content="big_comments")
    tab = select_tab(window, "Comments")
    assert isinstance(tab, CommentsTab)
    result = open_row(qtbot, window, 6)
    assert len(result.detail.comments) == BIG_COMMENTS and len(result.detail.notes) == BIG_NOTES
    assert not tab.is_complete()  # one batch now, the rest on later event-loop turns
    qtbot.waitUntil(tab.is_complete, timeout=WAIT_MS)
    bodies = [w for w in tab.findChildren(LongText) if w.show_all_button is not None]
    assert len(bodies) == BIG_COMMENTS + BIG_NOTES
    assert all(len(body.view.toPlainText()) <= LONG_TEXT_PREVIEW_CHARS + 2 for body in bodies)
    bodies[-1].show_all_button.click()
    qtbot.waitUntil(bodies[-1].is_complete, timeout=WAIT_MS)
    assert len(bodies[-1].view.toPlainText()) == len(result.detail.notes[-1].text)


def test_the_raw_tab_of_megabyte_comments_fills_gradually(qtbot, window, fresh_demo):
    fresh_demo.faults.update(hostile_content="big_comments")
    tab = select_tab(window, "Raw")
    assert isinstance(tab, RawTab)
    open_row(qtbot, window, 6)
    assert tab.note.text() == "Loading the raw JSON…"
    qtbot.waitUntil(lambda: "attachment contents are abbreviated" in tab.note.text(), timeout=WAIT_MS)
    assert "Strings over 10,000 characters are cut" in tab.note.text()
    assert len(tab.view.toPlainText()) < 1_100_000


def test_broken_pdfs_end_as_messages_and_an_intact_one_shows(qtbot, window, fresh_demo):
    fresh_demo.faults.update(hostile_content="broken_pdf")
    tab = select_tab(window, "Attachments")
    open_row(qtbot, window, 7)
    outcomes = {}
    for row in range(tab.table.proxy.rowCount()):
        attachment = tab.table.object_at(row)[1]
        with qtbot.waitSignal(window.pane.preview.preview_ready, timeout=WAIT_MS) as ready:
            tab.select_attachment(attachment)
        outcomes[attachment.file_name] = (ready.args[0], window.pane.preview.message())
    assert outcomes["intact.pdf"] == ("pdf", "")
    assert outcomes["large-broken.pdf"] == ("error", PDF_TOO_BROKEN)
    for name in ("fuzzed-scan.pdf", "cut-in-half.pdf"):
        state, message = outcomes[name]
        assert state in ("error", "pdf")
        assert state == "pdf" or message.startswith("This PDF is damaged")
    assert window.isVisible()


def test_the_index_check_knows_intact_from_broken():
    assert xref_intact(pdf([["one"], ["two"]]))
    assert xref_intact(pdf([[f"page {i}"] for i in range(500)]))
    assert not xref_intact(objects_without_index(1000))
    assert not xref_intact(broken_index_pdf(50, seed=3)[:5000])
    assert not xref_intact(b"")
    assert not xref_intact(b"%PDF-1.7\nstartxref\n999999999\n%%EOF")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), flips=st.integers(1, 80), cut=st.floats(0.05, 1.0))
def test_fuzzed_pdfs_never_raise_anything_but_a_message(seed, flips, cut):
    data = bytearray(pdf([[f"page {i}", "text " * 20] for i in range(30)]))
    rng = random.Random(seed)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    data = bytes(data[: max(1, int(len(data) * cut))])
    xref_intact(data)  # never raises
    try:
        prepare_preview(data, "fuzzed.pdf")
    except errors.KnownError:
        pass


def test_a_large_pdf_with_a_broken_index_is_refused_before_the_gui_sees_it():
    data = objects_without_index(60_000)
    assert len(data) > 1024 * 1024
    with pytest.raises(errors.KnownError) as refused:
        prepare_preview(data, "scan.pdf")
    assert str(refused.value) == PDF_TOO_BROKEN


def test_the_hostile_content_knob_is_validated_and_resets(fresh_demo):
    with pytest.raises(ValueError):
        fresh_demo.faults.update(hostile_content="everything")
    fresh_demo.faults.update(hostile_content="broken_pdf")
    assert fresh_demo.faults.hostile_content == "broken_pdf"
    fresh_demo.faults.reset()
    assert fresh_demo.faults.hostile_content is None
