"""Decisions tab: one card per decision with its outcome, medication and prescriber."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QWidget

from caseviewer.core.models import CaseDetail, Clinician, Decision, MedInfo
from caseviewer.core.status import outcome_tone
from caseviewer.core.vocabulary import Vocab
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.table import Cell, Column, DataTable, flag_cell, text_cell
from caseviewer.ui.detail.tabs.base import CardsTab
from caseviewer.ui.detail.widgets import Card, LongText, badge, text_label
from caseviewer.ui.detail.key_value_form import KeyValueForm


def _medicine_cell(med: MedInfo) -> Cell:
    return Cell(fmt.or_missing(med.medicine), tooltip=fmt.plain_tooltip(f"ID: {med.id}") if med.id else "")


MED_COLUMNS = [
    Column("Medicine", _medicine_cell, max_width=200),
    Column("Dosage", lambda m: text_cell(m.dosage)),
    Column("Dosing frequency", lambda m: text_cell(m.dosing_frequency)),
    Column("Treatment period", lambda m: text_cell(m.treatment_period)),
    Column("Refill", lambda m: flag_cell(m.is_refill), fold=True),
    Column("Refill count", lambda m: Cell(fmt.MISSING if m.refill_count is None else str(m.refill_count), right=True), fold=True),
    Column("Prior auth requested", lambda m: flag_cell(m.is_prior_auth_requested), fold=True),
    Column("Pharmacy instructions", lambda m: text_cell(m.pharmacy_instructions), fold=True),
    Column("Order note", lambda m: text_cell(m.order_note), fold=True),
    Column("External ID", lambda m: text_cell(m.external_id), fold=True),
]


def outcome_badge(decision: Decision) -> QWidget:
    return badge(decision.outcome, outcome_tone(decision.outcome))


def clinician_form(person: Clinician | None) -> QWidget:
    form = KeyValueForm()
    if person is None:
        form.add("Added by", "Not provided by the service")
        return form
    form.add("Name", fmt.clinician_name(person))
    form.add("User ID", person.id)
    form.add("Email", person.email)
    form.add("Phone", person.phone_number)
    form.add("NPI", person.npi)
    form.add("DEA", person.dea)
    form.add("Address", fmt.address_lines(person) or None)
    form.add_extras(person)
    return form


class DecisionsTab(CardsTab):
    TITLE = "Decisions"
    EMPTY = "No decisions on this case yet"

    def items(self, detail: CaseDetail) -> Sequence[Any]:
        return detail.decisions

    def card(self, item: Any, number: int) -> QWidget:
        decision: Decision = item
        card = Card(f"Decision {number}", subtitle=fmt.format_timestamp(decision.created_at))
        top = QHBoxLayout()
        top.addWidget(outcome_badge(decision))
        top.addStretch(1)
        card.body.addLayout(top)

        form = KeyValueForm()
        form.add("Decision ID", decision.id)
        form.add("Start date", fmt.format_date(decision.start_date) if decision.start_date else None,
                 tooltip=fmt.timestamp_tooltip(decision.start_date))
        form.add("End date", fmt.format_date(decision.end_date) if decision.end_date else None,
                 tooltip=fmt.timestamp_tooltip(decision.end_date))
        form.add_time("Created", decision.created_at)
        form.add_word("Visit type", Vocab.VISIT_TYPE, decision.visit_type)
        form.add_flag("Paid", decision.is_paid)
        form.add_word("Category", Vocab.DECISION_CATEGORY, decision.category)
        form.add("Product ID", decision.product_id)
        form.add_extras(decision)
        card.add(form)

        card.add_heading("Decision text")
        card.add(LongText(decision.decision_text))

        card.add_heading(f"Medication ({len(decision.med_info)})")
        if decision.med_info:
            card.add(DataTable(MED_COLUMNS, decision.med_info, fit_rows=8, fold=True, name="Medications").with_details())
        else:
            card.add(text_label("No medication on this decision", muted=True, selectable=False))

        card.add_heading("Added by")
        card.add(clinician_form(decision.added_by))
        return card
