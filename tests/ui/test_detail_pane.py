"""DetailPane: states, header, every tab over a synthetic document covering the whole detail API."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QEnterEvent
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QProgressBar, QWidget

from caseviewer.core.models import Attachment, CaseDetail
from caseviewer.core.provenance import Provenance
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail import DetailPane
from caseviewer.ui.detail.attachment_table import AttachmentTable
from caseviewer.ui.detail.table import DataTable
from caseviewer.ui.detail.widgets import LongText, SelectableLabel
from caseviewer.ui.detail.tabs import (
    ActivityTab,
    AttachmentsTab,
    CommentsTab,
    DecisionsTab,
    OrdersTab,
    OverviewTab,
    PaymentsTab,
    RawTab,
)
from tests.ui.detail_fixtures import full_detail, full_detail_dict, leaf_values, list_record, result_for
from tests.ui.detail_helpers import all_text, render_all_tabs

HOSTILE = "<b>x</b><script>alert(1)</script>"


@pytest.fixture
def pane(qtbot) -> DetailPane:
    widget = DetailPane()
    qtbot.addWidget(widget)
    widget.resize(900, 650)
    return widget


def tab(pane: DetailPane, cls: type) -> QWidget:
    return next(t for t in pane.tab_pages if isinstance(t, cls))


def structured_text(pane: DetailPane) -> str:
    """Everything the reviewer can read outside the Raw tab (which would trivially contain all)."""
    parts = [all_text(pane.header), all_text(pane.record_view)]
    parts += [all_text(t) for t in pane.tab_pages if not isinstance(t, RawTab)]
    return "\n".join(parts)


def show_full(pane: DetailPane) -> CaseDetail:
    detail = full_detail()
    pane.show_case(result_for(detail, record=list_record()))
    render_all_tabs(pane)
    return detail


# -- states --------------------------------------------------------------------------------------


def test_placeholder_is_the_initial_state(pane):
    assert pane.stack.currentWidget() is pane.placeholder_page
    assert "Select a case" in pane.placeholder_label.text()
    assert pane.current_case_id() is None
    pane.show_placeholder("Nothing here")
    assert pane.placeholder_label.text() == "Nothing here"


def test_loading_state_shows_a_busy_indicator(pane):
    pane.show_loading()
    assert pane.stack.currentWidget() is pane.loading_page
    bar = pane.loading_page.findChild(QProgressBar)
    assert bar is not None and bar.minimum() == 0 and bar.maximum() == 0  # indeterminate
    assert pane.loading_label.text() == "Loading case…"


def test_error_state_retry_emits(pane, qtbot):
    pane.show_error(HOSTILE + " service said no")
    assert pane.stack.currentWidget() is pane.error_page
    assert pane.error_label.text() == HOSTILE + " service said no"
    assert pane.error_label.textFormat() == Qt.TextFormat.PlainText
    assert not pane.retry_button.isHidden()
    with qtbot.waitSignal(pane.retry_requested, timeout=1000):
        qtbot.mouseClick(pane.retry_button, Qt.MouseButton.LeftButton)


def test_error_without_retry_hides_the_button(pane):
    pane.show_error("Not allowed", can_retry=False)
    assert pane.retry_button.isHidden()


def test_show_case_sets_id_and_tabs(pane):
    show_full(pane)
    assert pane.stack.currentWidget() is pane.case_page
    assert pane.current_case_id() == "c0ffee00-0000-4000-8000-000000000001"
    assert pane.tab_widget().count() == 13
    pane.set_current_tab(3)
    assert pane.tab_widget().currentIndex() == 3
    assert pane.tab_widget().currentWidget() is pane.tab_pages[3]
    pane.set_current_tab(42)  # ignored
    pane.set_current_tab(-1)  # ignored
    assert pane.tab_widget().currentIndex() == 3
    pane.show_loading()
    assert pane.current_case_id() is None


def test_tab_titles_carry_counts(pane):
    show_full(pane)
    titles = [pane.tab_widget().tabText(i) for i in range(pane.tab_widget().count())]
    assert titles == [
        "At a glance",
        "Timeline (25)",
        "Case record",
        "Decisions (2)",
        "Comments & notes (2)",
        "Payments (2)",
        "Orders (1)",
        "Attachments (3)",
        "Calendar (1)",
        "Activity (2)",
        "Products (2)",
        "Forms (1)",
        "Raw",
    ]


# -- content -------------------------------------------------------------------------------------


def test_every_seed_field_value_is_visible(pane):
    show_full(pane)
    text = structured_text(pane)
    missing = [(path, value) for path, value in leaf_values(full_detail_dict()) if fmt.clean(value) not in text]
    assert missing == []


def test_header_shows_title_status_short_id_and_submitter(pane):
    show_full(pane)
    assert pane.header.title.text() == "Synthetic Sleep Plan review"
    assert pane.header.badge is not None and pane.header.badge.text() == "Approved"
    assert "CV-424242" in pane.header.subtitle.text()
    assert "Emberly Saltmarsh" in pane.header.subtitle.text()
    assert pane.header.notice.isHidden()
    assert pane.header.cached.isHidden()


def test_cached_result_says_so(pane):
    fetched = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
    pane.show_case(result_for(full_detail(), provenance=Provenance.cached(fetched)))
    assert not pane.header.cached.isHidden()
    local = fetched.astimezone().strftime("%Y-%m-%d %H:%M")
    assert pane.header.cached_text.text().startswith(f"Cached {local}")


def test_open_is_read_from_is_archived_not_closed_at(pane):
    show_full(pane)  # closedAt is set, isArchived is false
    text = all_text(tab(pane, OverviewTab))
    assert "Open (not archived)" in text
    # The header says "Archived" only when it is: an "Open" there read as the case status.
    assert "Archived" not in pane.header.subtitle.text() and "Open" not in pane.header.subtitle.text()
    archived = full_detail_dict()
    archived["isArchived"] = True
    pane.show_case(result_for(CaseDetail.from_raw(archived)))
    assert "Archived" in pane.header.subtitle.text()


def test_unknown_fields_are_visible(pane):
    raw = full_detail_dict()
    raw["submitter"]["preferredPronoun"] = "they"
    raw["decisions"][0]["pharmacyNotesSyn"] = "kept note"
    detail = CaseDetail.from_raw(raw)
    pane.show_case(result_for(detail))
    render_all_tabs(pane)
    text = structured_text(pane)
    for value in ("riskScoreSyn", "unknown-top-level-value", "preferredPronoun", "they", "pharmacyNotesSyn", "kept note"):
        assert value in text
    assert "Other fields" in all_text(tab(pane, OverviewTab))


def test_decisions_outcome_and_visit_type_labels(pane):
    show_full(pane)
    text = all_text(tab(pane, DecisionsTab), tooltips=False)
    assert "Approved" in text and "No decision" in text
    assert "Video visit" in text  # SYNC_VIDEO, human label
    assert "Telepathy" in text and "TELEPATHY" not in text  # an unknown code humanised, never raw
    assert "TELEPATHY" in all_text(tab(pane, DecisionsTab))  # ...and as sent in its tooltip
    assert "Dr. Fenwick Orrery, DO" in text


def test_notes_are_visibly_distinct(pane):
    show_full(pane)
    comments = tab(pane, CommentsTab)
    text = all_text(comments, tooltips=False)
    assert "Internal note" in text
    assert "Internal notes (1)" in text and "Comments (1)" in text
    assert "Forms: 1" in text
    assert "Restricted" in text


def test_payments_totals_and_breakdown(pane):
    show_full(pane)
    payments = tab(pane, PaymentsTab)
    # The deleted payment's amount "abc" is unparseable: shown as sent, not counted.
    dollars = fmt.format_currency("149.50", "USD")  # "$149.50" in the tests' locale
    assert payments.totals.text().startswith(f"2 payments · total {dollars} excluding deleted")
    assert "1 unreadable amount not counted" in payments.totals.text()
    breakdown = all_text(payments.breakdown, tooltips=False)
    assert "Consult fee" in breakdown and "Synthetic lab panel" in breakdown
    assert dollars in breakdown  # fees sum: 60+5.25+4.25+30+9.99+7.01+3+30, in the payment's currency
    assert fmt.format_currency("60.00", "USD") in breakdown  # each fee in it too
    assert "abc" in all_text(payments.table)
    payments.table.selectRow(1)
    assert "No fee breakdown on this payment" in all_text(payments.breakdown)


def test_payment_totals_never_add_different_currencies():
    from caseviewer.core.models import Payment
    from caseviewer.ui.detail.tabs.payments import totals_text

    payments = [Payment.model_validate({"amount": "20.00", "currency": "usd"}),
                Payment.model_validate({"amount": "5.50", "currency": "USD"}),
                Payment.model_validate({"amount": "15.00", "currency": "EUR"})]
    assert totals_text(payments) == f"{fmt.format_currency('25.50', 'USD')} + {fmt.format_currency('15.00', 'EUR')}"


def test_activity_is_newest_first(pane):
    show_full(pane)
    table = tab(pane, ActivityTab).table
    first = table.object_at(0)
    assert first.id == "act-0002"


def test_shipping_log_is_newest_first(pane):
    show_full(pane)
    orders = tab(pane, OrdersTab)
    log = [t for t in orders.findChildren(DataTable) if t.source.columnCount() == 4][0]
    assert log.object_at(0).status == "OUT_FOR_DELIVERY"


def test_attachments_list_everything_with_hostile_names_verbatim(pane):
    show_full(pane)
    attachments = tab(pane, AttachmentsTab)
    text = all_text(attachments.table, tooltips=False)
    assert "../../etc/passwd" in text
    assert "Case" in text and "Comment" in text and "Internal note" in text
    assert "Inline · " in text and "Link" in text
    assert "PHI · Deleted" in text


def test_activating_an_attachment_emits_it(pane, qtbot):
    show_full(pane)
    pane.tab_widget().setCurrentWidget(tab(pane, AttachmentsTab))
    table = tab(pane, AttachmentsTab).table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    with qtbot.waitSignal(pane.attachment_activated, timeout=1000) as blocker:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert isinstance(blocker.args[0], Attachment)


def test_activating_a_comment_attachment_emits_it(pane, qtbot):
    show_full(pane)
    comments = tab(pane, CommentsTab)
    table = comments.findChildren(AttachmentTable)[0]
    with qtbot.waitSignal(pane.attachment_activated, timeout=1000) as blocker:
        table.activated.emit(table.model().index(0, 0))
    assert blocker.args[0].id == "att-com-1"


# -- hostile and heavy content ---------------------------------------------------------------------


def test_html_is_shown_literally_everywhere(pane):
    raw = full_detail_dict()
    raw["title"] = HOSTILE
    raw["comments"][0]["text"] = HOSTILE
    raw["notes"][0]["author"]["firstName"] = HOSTILE
    raw["attachments"][0]["fileName"] = HOSTILE + ".png"
    raw["payments"][0]["description"] = HOSTILE
    pane.show_case(result_for(CaseDetail.from_raw(raw)))
    render_all_tabs(pane)
    assert pane.header.title.text() == HOSTILE
    # Every label in the pane is plain text: no service string can become markup.
    labels = pane.findChildren(QLabel)
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    text = structured_text(pane)
    assert HOSTILE in text and HOSTILE + ".png" in text
    # Tooltips that carry service text are escaped, so they also display literally.
    tips = [w.toolTip() for w in pane.findChildren(QWidget) if "script" in w.toolTip()]
    assert all("<script>" not in tip for tip in tips)


def test_labels_become_selectable_when_the_pointer_enters_them(pane, qtbot):
    """Selection is switched on lazily (a selectable label's text control is costly to build for
    every value of a case); the reviewer still selects and copies any value with the mouse."""
    show_full(pane)
    overview = tab(pane, OverviewTab)
    pane.tab_widget().setCurrentWidget(overview)
    labels = [label for label in overview.findChildren(SelectableLabel) if label.text().strip()]
    assert labels, "the values of the case record are selectable labels"
    label = labels[0]
    assert label.cursor().shape() == Qt.CursorShape.IBeamCursor  # it looks selectable from the start
    assert not label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    point = QPointF(2, 2)
    QApplication.sendEvent(label, QEnterEvent(point, point, label.mapToGlobal(point)))
    assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    label.setSelection(0, len(label.text()))
    assert label.hasSelectedText() and label.selectedText() == label.text()


def test_bidi_and_control_characters_are_made_visible(pane):
    raw = full_detail_dict()
    raw["attachments"][0]["fileName"] = "invoice\u202egnp.exe"
    pane.show_case(result_for(CaseDetail.from_raw(raw)))
    render_all_tabs(pane)
    assert "invoice<U+202E>gnp.exe" in all_text(tab(pane, AttachmentsTab).table, tooltips=False)


def test_megabyte_comment_renders_in_a_scroll_box(qtbot, pane):
    raw = full_detail_dict()
    big = ("word " * 210_000)[:1_048_576]
    raw["comments"][0]["text"] = big
    pane.show_case(result_for(CaseDetail.from_raw(raw)))
    pane.tab_widget().setCurrentWidget(tab(pane, CommentsTab))
    # The box shows the beginning; "Show all" loads the rest, a chunk per event-loop turn.
    long_text = next(w for w in tab(pane, CommentsTab).findChildren(LongText) if w.show_all_button is not None)
    assert len(long_text.view.toPlainText()) < 5_000 and big.startswith(long_text.view.toPlainText()[:4_000])
    long_text.show_all_button.click()
    qtbot.waitUntil(long_text.is_complete, timeout=20_000)
    # A megabyte on one line is laid out in paragraphs of at most 50,000 characters, broken at spaces.
    assert long_text.view.toPlainText().replace("\n", " ") == big


def test_raw_tab_is_lazy_and_abbreviates_base64(pane):
    raw = full_detail_dict()
    raw["attachments"][0]["content"] = "A" * 3_000_000
    pane.show_case(result_for(CaseDetail.from_raw(raw)))
    raw_tab = tab(pane, RawTab)
    assert raw_tab.view.toPlainText() == ""  # not built until shown
    pane.set_current_tab(pane.tab_pages.index(raw_tab))
    text = raw_tab.view.toPlainText()
    assert '"content": "<base64, 2.1 MB>"' in text
    assert "AAAAAAAAAA" not in text
    assert '"shortId": "CV-424242"' in text
    raw_tab.find.setText("CV-424242")
    assert raw_tab.find_next()


def test_raw_tab_truncates_huge_documents(qtbot, pane):
    raw = full_detail_dict()
    raw["comments"][0]["text"] = "x" * 1_500_000
    raw["activity"] = [dict(raw["activity"][0], id=f"activity-{k}") for k in range(6000)]
    pane.show_case(result_for(CaseDetail.from_raw(raw)))
    raw_tab = tab(pane, RawTab)
    pane.set_current_tab(pane.tab_pages.index(raw_tab))
    # Filled a chunk per event-loop turn; the note is final once all of it is in.
    qtbot.waitUntil(lambda: "Showing the first" in raw_tab.note.text(), timeout=20_000)
    assert len(raw_tab.view.toPlainText()) < 1_100_000
    assert "x" * 20_000 not in raw_tab.view.toPlainText()


# -- empty and list-only cases ---------------------------------------------------------------------


def test_empty_case_shows_empty_states(pane):
    pane.show_case(result_for(CaseDetail.from_raw({"id": "empty-case"})))
    render_all_tabs(pane)
    text = structured_text(pane)
    for message in (
        "No decisions on this case yet",
        "No comments on this case",
        "No internal notes on this case",
        "No payments on this case",
        "No orders on this case",
        "No attachments on this case",
        "No calendar events on this case",
        "No activity recorded on this case",
        "No products on this case",
        "No form responses on this case",
    ):
        assert message in text
    assert pane.tab_widget().tabText(pane.tab_pages.index(tab(pane, PaymentsTab))) == "Payments (0)"
    assert not tab(pane, PaymentsTab).empty.isHidden()


def test_list_record_only_shows_note_and_record(pane):
    note = "The case detail service does not know this case; showing the list record only."
    record = list_record()
    pane.show_case(result_for(None, record=record, detail_note=note))
    assert pane.current_case_id() == "c0ffee00-0000-4000-8000-000000000001"
    assert not pane.header.notice.isHidden()
    assert pane.header.notice_text.text() == note
    assert pane.body.currentWidget() is pane.record_view
    assert pane.header.title.text() == "Synthetic Holdings LLC"
    text = all_text(pane.record_view)
    for value in (
        "Synthetic Holdings LLC",
        "Emberly Saltmarsh",
        "UNDER_MANUAL_REVIEW",
        "Under Manual Review",
        "c0ffee00-0000-4000-8000-000000000001",
        "applicant-0017",
        "dba_name",
        "Synthetic DBA Name",
        fmt.format_timestamp("2025-03-01T09:00:00.000Z"),
    ):
        assert value in text
    # Showing a full case afterwards brings the tabs back.
    pane.show_case(result_for(full_detail()))
    assert pane.body.currentWidget() is pane.tabs
    assert pane.header.notice.isHidden()
