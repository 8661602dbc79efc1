"""The case page shaped for the reviewer (issue 16): At a glance, the Timeline, the section list,
human words for every code, money and dates in the reader's locale."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QLocale, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTextEdit,
    QWidget,
)

from caseviewer.core.glance import CASE_STATUS_HELP, REVIEW_STATUS_HELP, Part
from caseviewer.core.models import CaseDetail, CaseRecord
from caseviewer.core.repository import CaseResult
from caseviewer.core.timeline import EventKind
from caseviewer.demo.detail import codes as demo_codes
from caseviewer.demo.data import CASE_TYPES, SPECIAL, DemoData
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail import DetailPane
from caseviewer.ui.detail.glance import GlanceTab
from caseviewer.ui.detail.table import DataTable
from caseviewer.ui.detail.tabs import AttachmentsTab, CommentsTab, DecisionsTab, FormsTab, PaymentsTab, RawTab
from caseviewer.ui.detail.timeline_view import UNDATED_HEADING, TimelineTab
from tests.ui.detail_helpers import all_text, render_all_tabs

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

#: Every code the demo service's enumerations send, and the wire names the issue lists.
DEMO_CODES = sorted(set(
    demo_codes.CASE_STATUSES + demo_codes.VISIT_TYPES + demo_codes.ACTIVITY_TYPES + CASE_TYPES
    + ("CLINICAL", "ADMIN", "PAID", "PENDING", "FAILED", "CANCELLED", "REFUNDED", "PROCESSING", "SHIPPED",
       "LABEL_CREATED", "IN_TRANSIT", "DELIVERED", "NUMBER", "TEXT", "SINGLE_CHOICE", "BOOLEAN", "ZOOM",
       "GOOGLE_MEET", "INTAKE", "REFILL", "FOLLOW_UP", "DUPLICATE", "COMPLETED", "PATIENT_REQUEST",
       "female", "male", "non-binary")
    + ("pharmacyNotes", "discount", "organizationId", "preferredLanguage", "case_type", "dba_name", "closedBy",
       "inProgressBy")
))


@pytest.fixture(scope="module")
def data() -> DemoData:
    return DemoData(cases=60, seed=7)


def result(data: DemoData, index: int) -> CaseResult:
    case_id = data.case_ids()[index]
    record = CaseRecord.model_validate(data.list_record(index))
    return CaseResult(case_id=case_id, record=record, detail=CaseDetail.from_raw(data.detail(case_id)))


def sparse_index(data: DemoData) -> int:
    """The demo case with the fewest items (a sparse case: empty sections, missing values)."""
    def size(i: int) -> int:
        raw = data.detail(data.case_ids()[i])
        if raw is None:
            return 10**9  # the detail service does not know this one
        d = CaseDetail.from_raw(raw)
        return sum(len(x) for x in (d.decisions, d.comments, d.notes, d.payments, d.orders, d.calendar_events,
                                    d.responses, d.case_products, d.attachments))
    return min(range(4, 40), key=size)


@pytest.fixture
def pane(qtbot) -> DetailPane:
    widget = DetailPane()
    qtbot.addWidget(widget)
    widget.resize(900, 650)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def visible_text(root) -> str:
    """What a reviewer reads without hovering: labels, buttons, edits, and item views' display
    text and headers (tooltips, which carry the raw codes on purpose, are left out)."""
    texts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, (QLabel, QLineEdit, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, (QPlainTextEdit, QTextEdit)):
            texts.append(widget.toPlainText())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = max(1, model.columnCount(QModelIndex()))
            except TypeError:  # a list model (QListWidget's): one column
                columns = 1
            texts += [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)]
            for r in range(model.rowCount(QModelIndex())):
                for c in range(columns):
                    texts.append(str(model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or ""))
    return "\n".join(texts)


def section(pane: DetailPane, cls: type):
    return next(t for t in pane.tab_pages if isinstance(t, cls))


# -- every section in reach --------------------------------------------------------------------


def test_every_section_is_listed_and_reachable_by_keyboard(pane, qtbot, data):
    pane.show_case(result(data, SPECIAL["rich"]))
    sections = pane.tab_widget()
    assert [type(t) for t in pane.tab_pages][:3] == [GlanceTab, TimelineTab, type(pane.tab_pages[2])]
    assert sections.currentIndex() == 0 and isinstance(sections.currentWidget(), GlanceTab)
    listing = sections.list
    listing.setFocus()
    seen = [sections.currentIndex()]
    for _ in range(sections.count() - 1):
        qtbot.keyClick(listing, Qt.Key.Key_Down)
        seen.append(sections.currentIndex())
    assert seen == list(range(sections.count()))
    assert sections.currentWidget() is section(pane, RawTab)
    qtbot.keyClick(listing, Qt.Key.Key_Home)
    assert sections.currentIndex() == 0
    qtbot.keyClick(listing, Qt.Key.Key_End)
    assert sections.currentIndex() == sections.count() - 1
    # At 900 px nothing hides: every entry is inside the list's viewport, none elided away.
    pane.resize(520, 600)
    QApplication.processEvents()
    for row in range(listing.count()):
        rect = listing.visualItemRect(listing.item(row))
        assert rect.height() > 0 and rect.top() >= 0


# -- at a glance ---------------------------------------------------------------------------------


def test_at_a_glance_answers_the_first_questions(pane, data):
    rich = result(data, SPECIAL["rich"])
    pane.show_case(rich)
    glance = section(pane, GlanceTab)
    glance.build_all_now()  # cards are built a batch per event-loop turn
    text = all_text(glance, tooltips=False)
    detail = rich.detail
    assert fmt.user_name(detail.submitter) in text
    assert "Review status (case list)" in text and "Case status (detail service)" in text
    assert rich.record.status_label in text or fmt.pretty_code(rich.record.status_code) in text
    assert "In progress" in text  # IN_PROGRESS, in words
    tips = all_text(glance)
    assert REVIEW_STATUS_HELP in tips and CASE_STATUS_HELP in tips
    assert "English" in text  # preferredLanguage "en"
    assert "Latest payment" in text and "$" in text  # in the payment's currency
    for label, value in glance.glance.ids:
        assert value in text


def test_a_count_on_the_glance_opens_its_section(pane, data, qtbot):
    pane.show_case(result(data, SPECIAL["rich"]))
    glance = section(pane, GlanceTab)
    glance.build_all_now()
    qtbot.mouseClick(glance.count_buttons[Part.PAYMENTS], Qt.MouseButton.LeftButton)
    assert pane.tab_widget().currentWidget() is section(pane, PaymentsTab)
    glance.count_buttons[Part.NOTES].click()
    assert pane.tab_widget().currentWidget() is section(pane, CommentsTab)


# -- the timeline --------------------------------------------------------------------------------


def test_timeline_newest_first_with_days_filters_find_and_undated_last(pane, data):
    raw = data.detail(data.case_ids()[SPECIAL["rich"]])
    raw = dict(raw, comments=[*raw["comments"], {"id": "undated-1", "text": "when?", "createdAt": "someday"}])
    pane.show_case(CaseResult(case_id=raw["id"], detail=CaseDetail.from_raw(raw)))
    pane.tab_widget().setCurrentWidget(section(pane, TimelineTab))
    timeline = section(pane, TimelineTab)
    events = timeline.visible_events()
    assert events[-1].ref_id == "undated-1", "an unreadable date is listed at the end, never dropped"
    dated = [e for e in events if e.when is not None]
    keys = [e.when.timestamp() if e.when.tzinfo else e.when.astimezone().timestamp() for e in dated]
    assert keys == sorted(keys, reverse=True)
    headings = [r.heading for r in timeline.model.rows if r.event is None]
    assert headings[-1] == UNDATED_HEADING and len(headings) >= 2
    timeline.order.setChecked(False)  # oldest first
    events = timeline.visible_events()
    assert events[-1].ref_id == "undated-1"
    assert events[0].when is not None and events[0].when <= events[1].when
    timeline.chips[EventKind.NOTE].setChecked(False)
    assert EventKind.NOTE not in {e.kind for e in timeline.visible_events()}
    timeline.find.setText("when?")
    assert [e.ref_id for e in timeline.visible_events()] == ["undated-1"]


def test_a_timeline_entry_opens_its_section(pane, data, qtbot):
    pane.show_case(result(data, SPECIAL["rich"]))
    pane.tab_widget().setCurrentWidget(section(pane, TimelineTab))
    timeline = section(pane, TimelineTab)
    row = next(i for i, r in enumerate(timeline.model.rows) if r.event is not None and r.event.kind is EventKind.DECISION)
    timeline.view.setFocus()
    timeline.view.setCurrentIndex(timeline.model.index(row, 0))
    qtbot.keyClick(timeline.view, Qt.Key.Key_Return)
    assert pane.tab_widget().currentWidget() is section(pane, DecisionsTab)
    # A payment entry opens the payment's row.
    pane.tab_widget().setCurrentWidget(timeline)
    rows = [(i, r.event) for i, r in enumerate(timeline.model.rows) if r.event is not None and r.event.kind is EventKind.PAYMENT]
    row, event = rows[-1]
    timeline.view.setCurrentIndex(timeline.model.index(row, 0))
    qtbot.keyClick(timeline.view, Qt.Key.Key_Return)
    payments = section(pane, PaymentsTab)
    assert pane.tab_widget().currentWidget() is payments
    assert payments.table.selected_object().id == event.ref_id


@pytest.mark.parametrize("which", ["rich", "hostile"])
def test_important_columns_fit_without_sideways_scrolling(qtbot, data, which):
    """The pane's width in a 1280x800 window (about 580 px): medication, payment, answer and
    attachment tables show their important columns, the rest fold into the selected row's details;
    the files under comments and notes shrink to the card; the Raw view wraps its long lines."""
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.resize(580, 700)
    pane.show()
    qtbot.waitExposed(pane)
    pane.show_case(result(data, SPECIAL[which]))
    for cls in (DecisionsTab, PaymentsTab, FormsTab, CommentsTab, AttachmentsTab, RawTab):
        page = section(pane, cls)
        pane.tab_widget().setCurrentWidget(page)
        page.build_all_now()  # cards may be built a batch per event-loop turn
        if cls is RawTab:  # the text goes in a chunk per event-loop turn
            qtbot.waitUntil(lambda: not page.note.text().startswith("Loading"))
        QApplication.processEvents()
        bars = [b for b in page.findChildren(QScrollBar)
                if b.orientation() == Qt.Orientation.Horizontal and b.isVisible() and b.maximum() > 0]
        assert bars == [], cls.TITLE
        for table in page.findChildren(DataTable):
            if not table.isVisible():
                continue
            shown = [table.source.headerData(c, Qt.Orientation.Horizontal) for c in range(table.source.columnCount())
                     if not table.isColumnHidden(c)]
            assert shown and table.horizontalHeader().length() <= table.viewport().width() + 1, (cls.TITLE, shown)
            if table.details is not None:
                assert table.details.text().startswith(("More about", "Select a row"))
        assert page.width() <= pane.width(), cls.TITLE
    attachments = section(pane, AttachmentsTab)
    header = [attachments.table.source.headerData(c, Qt.Orientation.Horizontal)
              for c in range(attachments.table.source.columnCount()) if not attachments.table.isColumnHidden(c)]
    assert header == ["File name", "Attached to", "Created", "Flags"]
    name = attachments.table.proxy.index(0, 0)
    assert name.data(Qt.ItemDataRole.ToolTipRole)  # the whole name, however it is elided
    attachments.table.selectRow(0)
    assert "Uploaded by:" in attachments.table.details.text() and "Format:" in attachments.table.details.text()


def test_a_case_of_thousands_of_events_is_one_model_not_thousands_of_widgets(pane, data):
    raw = dict(data.detail(data.case_ids()[SPECIAL["rich"]]))
    raw["activity"] = [{"id": f"a{k}", "type": "UPDATE_STATUS", "timestamp": f"2025-01-{1 + k % 28:02d}T10:{k % 60:02d}:00Z",
                        "valueBefore": "OPEN", "valueAfter": "ASSIGNED"} for k in range(5000)]
    pane.show_case(CaseResult(case_id=raw["id"], detail=CaseDetail.from_raw(raw)))
    pane.tab_widget().setCurrentWidget(section(pane, TimelineTab))
    timeline = section(pane, TimelineTab)
    assert len(timeline.visible_events()) > 5000
    assert len(timeline.findChildren(QAbstractScrollArea)) <= 2
    assert "Open → Assigned" in [r.detail for r in timeline.model.rows if r.event is not None]
    timeline.view.viewport().grab()  # paints through the delegate without raising


# -- human text everywhere -------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["rich", "hostile", "sparse"])
def test_no_raw_code_or_wire_name_in_any_visible_text(pane, data, which):
    index = sparse_index(data) if which == "sparse" else SPECIAL[which]
    pane.show_case(result(data, index))
    render_all_tabs(pane)
    texts = [visible_text(pane.header), visible_text(pane.tab_widget().list)]
    texts += [visible_text(t) for t in pane.tab_pages if not isinstance(t, RawTab)]
    visible = "\n".join(texts)
    assert "Timeline" in visible and len(visible) > 500
    found = [code for code in DEMO_CODES if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", visible)]
    assert found == []


# -- locale ----------------------------------------------------------------------------------------


@pytest.fixture
def locale():
    previous = QLocale()
    yield lambda name: QLocale.setDefault(QLocale(name))
    QLocale.setDefault(previous)


def test_money_and_dates_follow_the_readers_locale(locale):
    locale("en_US")
    assert fmt.format_currency("1234.5", "USD") == "$1,234.50"
    assert fmt.format_date("1985-03-12") == "3/12/85"
    locale("de_DE")
    assert fmt.format_currency("1234.5", "USD").replace("\xa0", " ") == "1.234,50 $"
    assert fmt.format_currency("1234.5", "EUR").replace("\xa0", " ") == "1.234,50 €"
    assert fmt.format_date("1985-03-12") == "12.03.85"
    assert fmt.format_currency("not money", "USD") == "not money"
    assert fmt.format_currency(None, "USD") == fmt.MISSING


def test_payments_show_amounts_in_the_locale(pane, data, locale):
    locale("de_DE")
    pane.show_case(result(data, SPECIAL["rich"]))
    payments = section(pane, PaymentsTab)
    pane.tab_widget().setCurrentWidget(payments)
    amounts = [payments.table.source.cell(r, 1).text for r in range(payments.table.source.rowCount())]
    assert amounts and all(a.endswith("$") and "," in a for a in amounts)
