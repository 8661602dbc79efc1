"""At a glance: the first section of a case, answering the reviewer's first questions.

It shows ``core.glance.build_glance``'s summary (the dossier's cover shows the same structure):
the patient, the request, the current decision, both statuses labelled for what they are, the
people, the latest comment and internal note, money and shipping, flags, and counts that jump to
their section. Ids are there but quiet: small monospace text with a copy button.

Cards reflow in one to three columns with the pane's width, so nothing scrolls sideways. They
are built two per event-loop turn (``DetailTab.build_gradually``): the nine cards at once held
the GUI thread for 150-250 ms on every case opened with this section showing.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QToolButton, QVBoxLayout, QWidget

from caseviewer.core.glance import (
    CASE_STATUS_HELP,
    PART_LABELS,
    REVIEW_STATUS_HELP,
    Excerpt,
    Glance,
    Part,
    build_glance,
)
from caseviewer.core.models import CaseDetail, CaseRecord, ThreadKind
from caseviewer.core.status import case_status_tone, flag_tone, list_status_tone
from caseviewer.core.vocabulary import Vocab
from caseviewer.core.privacy import FieldKind, mask_field
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.flow_layout import FlowLayout
from caseviewer.ui.guard import guarded
from caseviewer.ui.zoom import set_relative_font
from caseviewer.ui.detail.tabs.base import DetailTab
from caseviewer.ui.detail.tabs.decisions import outcome_badge
from caseviewer.ui.detail.key_value_form import KeyValueForm
from caseviewer.ui.detail.widgets import (
    SPACING,
    Card,
    ScrollPage,
    badge,
    set_point_delta,
    text_label,
)

#: One more column of cards per this many pixels of pane width (at most three).
COLUMN_WIDTH = 400


def _word_row(form: KeyValueForm, label: str, vocab: Vocab, code: str | None) -> None:
    form.add(label, fmt.word(vocab, code) if code else None, tooltip=fmt.code_tooltip(code))


def _excerpt_text(excerpt: Excerpt) -> str:
    who = fmt.clean(excerpt.author) or "Unknown author"
    when = fmt.format_timestamp(excerpt.raw) if excerpt.raw else "no date"
    line = fmt.clean(excerpt.first_line) or "(empty)"
    return f"{who} · {when}{' · Restricted' if excerpt.restricted else ''}\n{line}"


class GlanceTab(DetailTab):
    TITLE = "At a glance"
    #: A ``core.glance.Part`` whose count the reviewer clicked: the pane shows its section.
    part_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = ScrollPage(name=self.TITLE.replace("&&", "&"))
        self.layout_.addWidget(self.page)
        self._record: CaseRecord | None = None
        self._cards: list[QWidget] = []
        self._grid: QGridLayout | None = None
        self._columns = 0
        self.glance: Glance | None = None

    def set_record(self, record: CaseRecord | None) -> None:
        """The list record of the case (its review status), given before ``set_detail``."""
        self._record = record

    batch_max_widgets = 2

    def render(self, detail: CaseDetail) -> None:
        self.glance = g = build_glance(detail, self._record, date.today())
        column = self.page.reset()
        host = QWidget()
        self._grid = QGridLayout(host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(SPACING)
        self._cards = []
        self._columns = 0
        column.addWidget(host)
        self.count_buttons: dict[Part, QPushButton] = {}
        builders = (self._patient, self._decision, self._statuses, self._request, self._money,
                    self._threads, self._flags, self._counts, self._ids)
        self.build_gradually(_CardGrid(self), [lambda b=b: b(g) for b in builders])

    def _add_card(self, card: QWidget) -> None:
        for form in card.findChildren(KeyValueForm):
            form.wrap_values()
        self._cards.append(card)
        if self._columns:
            self._place(len(self._cards) - 1, card)
        else:
            self._reflow()

    # -- cards -----------------------------------------------------------------------------------
    @staticmethod
    def _card(title: str) -> tuple[Card, KeyValueForm]:
        card = Card(title)
        form = KeyValueForm()
        card.add(form)
        return card, form

    def _patient(self, g: Glance) -> Card:
        card, form = self._card("Patient")
        form.add("Name", g.patient)
        if g.age is not None:
            form.add("Age", f"{g.age} (born {fmt.format_date(g.dob)})", tooltip=fmt.timestamp_tooltip(g.dob),
                     kind=FieldKind.DATE_OF_BIRTH)  # the age tells the date of birth too
        else:
            form.add("Date of birth", fmt.format_date(g.dob) if g.dob else None, tooltip=fmt.timestamp_tooltip(g.dob))
        form.add("State", g.state)
        _word_row(form, "Preferred language", Vocab.LANGUAGE, g.language)
        _word_row(form, "Gender", Vocab.GENDER, g.gender)
        return card

    def _request(self, g: Glance) -> Card:
        card, form = self._card("Request")
        form.add("Request", g.title)
        _word_row(form, "Case type", Vocab.CASE_TYPE, g.case_type)
        form.add("Product bundle", g.bundle)
        form.add("Products", ", ".join(g.products) or None)
        _word_row(form, "Visit type", Vocab.VISIT_TYPE, g.visit_type)
        return card

    def _decision(self, g: Glance) -> Card:
        card = Card("Current decision")
        if g.decision is None:
            card.add(text_label("No decision yet", muted=True, selectable=False))
            return card
        top = QHBoxLayout()
        top.addWidget(outcome_badge(g.decision))
        top.addStretch(1)
        card.body.addLayout(top)
        form = KeyValueForm()
        form.add("Clinician", g.clinician)
        form.add_time("Decided", g.decision.created_at)
        form.add("Medications", "\n".join(fmt.clean(m) for m in g.medications) or "None prescribed")
        card.add(form)
        return card

    def _statuses(self, g: Glance) -> Card:
        card, form = self._card("Status")
        review = fmt.clean(g.review_status)  # worded as the case table words it (core/glance.py)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        chip = badge(review, list_status_tone(g.review_status_code))
        chip.setToolTip(REVIEW_STATUS_HELP)
        chip.setMinimumWidth(chip.sizeHint().width())  # never clipped: the row wraps instead
        line.addWidget(chip)
        line.addStretch(1)
        form.add_widget("Review status (case list)", row).setToolTip(REVIEW_STATUS_HELP)
        row2 = QWidget()
        line2 = QHBoxLayout(row2)
        line2.setContentsMargins(0, 0, 0, 0)
        code = g.case_status
        chip2 = badge(fmt.word(Vocab.CASE_STATUS, code) + (" · archived" if g.archived else ""),
                      case_status_tone(code))
        chip2.setToolTip(CASE_STATUS_HELP)
        chip2.setMinimumWidth(chip2.sizeHint().width())
        line2.addWidget(chip2)
        line2.addStretch(1)
        form.add_widget("Case status (detail service)", row2).setToolTip(CASE_STATUS_HELP)
        form.add("Assignees", "\n".join(fmt.clean(a) for a in g.assignees) or "Nobody assigned")
        return card

    def _threads(self, g: Glance) -> Card:
        card, form = self._card("Latest comment and note")
        # Their words are masked whole in privacy mode (they are no names a pattern could find).
        form.add("Comment", mask_field(FieldKind.FREE_TEXT, _excerpt_text(g.latest_comment))
                 if g.latest_comment else "No comments")
        note = form.add(ThreadKind.INTERNAL_NOTE.label, mask_field(FieldKind.FREE_TEXT, _excerpt_text(g.latest_note))
                        if g.latest_note else "No internal notes")
        note.setToolTip("Internal notes are never shown to the patient")
        return card

    def _money(self, g: Glance) -> Card:
        card, form = self._card("Payment and shipping")
        pay = g.payment
        if pay is None:
            form.add("Payment", "No payments")
        else:
            status = fmt.word(Vocab.PAYMENT_STATUS, pay.status) if pay.status else "Status not given"
            amount = fmt.format_currency(pay.amount, pay.currency)
            form.add("Latest payment", f"{status} · {amount}" + (f"\n{fmt.one_line(pay.description, 80)}" if pay.description else ""),
                     tooltip=fmt.code_tooltip(pay.status))
            totals = []
            if pay.paid_total is not None:
                totals.append(f"paid {fmt.format_currency(pay.paid_total, pay.currency)}")
            if pay.refunded_total is not None:
                totals.append(f"refunded {fmt.format_currency(pay.refunded_total, pay.currency)}")
            if pay.failed_count:
                totals.append(f"{pay.failed_count} failed")
            form.add(f"Payments ({pay.count})", ", ".join(totals) or "none paid yet")
        ship = g.shipping
        if ship is None:
            form.add("Shipping", "No orders")
        else:
            parts = [fmt.word(Vocab.ORDER_STATUS, ship.order_status) if ship.order_status else "Order status not given"]
            if ship.log_status or ship.log_message:
                latest = fmt.word(Vocab.SHIPPING_STATUS, ship.log_status) if ship.log_status else fmt.one_line(ship.log_message, 80)
                when = fmt.format_date(ship.log_raw) if ship.log_raw else ""
                where = fmt.one_line(ship.log_location, 40)
                parts.append("Latest: " + " · ".join(p for p in (latest, when, where) if p))
            form.add("Shipping", "\n".join(parts), tooltip=fmt.code_tooltip(ship.log_status or ship.order_status))
            if ship.carrier or ship.tracking:
                form.add("Tracking", " ".join(fmt.clean(p) for p in (ship.carrier, ship.tracking) if p))
        return card

    def _flags(self, g: Glance) -> Card:
        card = Card("Flags")
        if not g.flags:
            card.add(text_label("Nothing flagged", muted=True, selectable=False))
            return card
        holder = QWidget()
        flow = FlowLayout(holder)
        for flag in g.flags:
            flow.addWidget(badge(flag, flag_tone(flag)))
        card.add(holder)
        return card

    def _counts(self, g: Glance) -> Card:
        card = Card("In this case")
        holder = QWidget()
        flow = FlowLayout(holder)
        self.count_buttons = {}
        for part, number in g.counts:
            button = QPushButton(f"{PART_LABELS[part]}: {number}")
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(f"Show {PART_LABELS[part].lower()}")
            button.clicked.connect(lambda _=False, p=part: self.part_requested.emit(p))
            flow.addWidget(button)
            self.count_buttons[part] = button
        card.add(holder)
        return card

    def _ids(self, g: Glance) -> Card:
        card = Card("Identifiers")
        column = QVBoxLayout()
        column.setSpacing(2)
        for label, value in g.ids:
            # The name and its Copy above the id, the id on a line of its own: a long id (a uuid
            # breaks only at some of its hyphens) keeps the card narrow enough for a narrow case
            # page without a sideways scroll.
            top = QHBoxLayout()
            top.setSpacing(6)
            key = text_label(label, muted=True, selectable=False, wrap=False)
            set_point_delta(key, -1)
            copy = QToolButton()
            copy.setText("Copy")
            copy.setAutoRaise(True)
            copy.setToolTip(f"Copy the {label.lower()}")
            copy.setAccessibleName(f"Copy the {label.lower()}")
            copy.clicked.connect(lambda _=False, v=value: QGuiApplication.clipboard().setText(v))
            top.addWidget(key)
            top.addStretch(1)
            top.addWidget(copy)
            column.addLayout(top)
            shown = text_label(fmt.clean(value), wrap=True)
            set_relative_font(shown, monospace=True)
            set_point_delta(shown, -1)
            column.addWidget(shown)
            column.addSpacing(4)
        if not g.ids:
            card.add(text_label("No identifiers sent", muted=True, selectable=False))
        card.body.addLayout(column)
        return card

    # -- layout ----------------------------------------------------------------------------------
    def _reflow(self) -> None:
        if self._grid is None or not self._cards:
            return
        columns = max(1, min(3, self.width() // COLUMN_WIDTH))
        if columns == self._columns:
            return
        self._columns = columns
        for card in self._cards:
            self._grid.removeWidget(card)
        for position, card in enumerate(self._cards):
            self._place(position, card)
        for c in range(3):
            self._grid.setColumnStretch(c, 1 if c < columns else 0)

    def _place(self, position: int, card: QWidget) -> None:
        # Row by row, left to right, so the first cards (patient, decision, status) lead.
        self._grid.addWidget(card, position // self._columns, position % self._columns, Qt.AlignmentFlag.AlignTop)

    @guarded
    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt signature
        super().resizeEvent(event)
        self._reflow()


class _CardGrid:
    """What ``build_gradually`` fills (``add``, ``finish``): the glance's grid of cards, inside its
    scroll page."""

    def __init__(self, tab: GlanceTab) -> None:
        self._tab = tab

    def add(self, card: QWidget) -> QWidget:
        self._tab._add_card(card)  # noqa: SLF001 - the grid is the tab's own
        return card

    def finish(self) -> None:
        self._tab.page.finish()
