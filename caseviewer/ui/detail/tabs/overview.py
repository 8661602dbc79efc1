"""Case record section (the former Overview tab): the case record itself, its people and the submitter, every value copyable.

Cards flow in two columns when the pane is wide and one when it is narrow. Open/archived is read
from ``isArchived``, never from ``closedAt`` (a closed case can still be open).
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from caseviewer.core.models import CaseDetail
from caseviewer.core.people import known_users, user_text
from caseviewer.core.vocabulary import Vocab
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.tabs.base import DetailTab
from caseviewer.ui.detail.widgets import SPACING, Card, ScrollPage
from caseviewer.ui.detail.key_value_form import KeyValueForm
from caseviewer.ui.guard import guarded

#: Below this width the cards stack in one column.
TWO_COLUMNS_FROM = 820


def _form_card(title: str) -> tuple[Card, KeyValueForm]:
    card = Card(title)
    form = KeyValueForm()
    card.add(form)
    return card, form


class OverviewTab(DetailTab):
    TITLE = "Case record"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = ScrollPage(name=self.TITLE.replace("&&", "&"))
        self.layout_.addWidget(self.page)
        self._cards: list[tuple[Card, int]] = []  # (card, preferred column)
        self._columns = 0

    def render(self, detail: CaseDetail) -> None:
        column = self.page.reset()
        host = QWidget()
        row = QHBoxLayout(host)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(SPACING)
        self._column_hosts: list[QWidget] = []
        self._column_layouts: list[QVBoxLayout] = []
        for _ in range(2):
            widget = QWidget()
            layout = QVBoxLayout(widget)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setSpacing(SPACING)
            layout.addStretch(1)
            row.addWidget(widget, 1)
            self._column_hosts.append(widget)
            self._column_layouts.append(layout)
        self._cards = [
            (self._case_card(detail), 0),
            (self._dates_card(detail), 0),
            (self._people_card(detail), 1),
            (self._submitter_card(detail), 1),
        ]
        if detail.extra_fields:
            self._cards.append((self._other_card(detail), 0))
        for card, _ in self._cards:
            for form in card.findChildren(KeyValueForm):
                form.wrap_values()  # long ids and values wrap rather than scroll the pane sideways
        self._columns = 0
        self._reflow()
        # Into the visible page last: each widget added to a shown parent is polished and laid
        # out on its own, all at once here instead.
        column.addWidget(host)
        self.page.finish()

    # -- cards -------------------------------------------------------------------------------
    def _case_card(self, d: CaseDetail) -> Card:
        card, form = _form_card("Case")
        form.add("Title", d.title)
        form.add_word("Type", Vocab.CASE_TYPE, d.type)
        form.add_word("Case status (detail service)", Vocab.CASE_STATUS, d.status)
        form.add("Short ID", d.short_id)
        form.add("Case ID", d.id)
        form.add("Open", "Archived" if d.is_archived else "Open (not archived)")
        form.add_flag("Escalated", d.is_escalated)
        form.add_flag("Imported", d.is_imported)
        form.add_word("Archive reason", Vocab.ARCHIVE_REASON, d.archive_reason)
        form.add("Archive note", d.archive_note)
        form.add("Referral code", d.referral_code)
        form.add("Product bundle", d.product_bundle.name if d.product_bundle else None)
        form.add("Bundle ID", d.product_bundle.id if d.product_bundle else None)
        if d.product_bundle_id and (d.product_bundle is None or d.product_bundle.id != d.product_bundle_id):
            form.add_field("productBundleId", d.product_bundle_id)
        if d.product_bundle is not None:
            form.add_extras(d.product_bundle)
        return card

    def _dates_card(self, d: CaseDetail) -> Card:
        card, form = _form_card("Dates")
        for label, value in (
            ("Created", d.created_at),
            ("Updated", d.updated_at),
            ("Assigned", d.assigned_at),
            ("In progress", d.in_progress_at),
            ("Closed", d.closed_at),
        ):
            form.add_time(label, value)
        return card

    def _people_card(self, d: CaseDetail) -> Card:
        card, form = _form_card("People")
        form.add_user("Assigned to", d.assigned_to)
        form.add_user("Assigned by", d.assigned_by)
        if d.assignees:
            for number, link in enumerate(d.assignees, start=1):
                form.add_user(f"Assignee {number}" if len(d.assignees) > 1 else "Assignee", link.assignee)
        else:
            form.add("Assignees", "None")
        form.add_user("HR rep", d.hr_rep)
        # closedBy / inProgressBy are bare user ids in the document: named when the case knows them.
        users = known_users(d)
        for label, uid in (("Closed by", d.closed_by), ("In progress by", d.in_progress_by)):
            form.add(label, user_text(uid, users), tooltip=fmt.plain_tooltip(f"User ID: {uid}") if uid else "")
        return card

    def _submitter_card(self, d: CaseDetail) -> Card:
        card, form = _form_card("Submitter")
        s = d.submitter
        if s is None:
            form.add("Submitter", "Not provided by the service")
            return card
        form.add("Name", fmt.user_name(s))
        form.add("User ID", s.id)
        form.add("Email", s.email)
        form.add("Date of birth", fmt.format_date(s.dob) if s.dob else None, tooltip=fmt.timestamp_tooltip(s.dob))
        form.add_word("Gender", Vocab.GENDER, s.gender)
        form.add("Phone", s.phone_number)
        form.add("Address", s.address)
        form.add("Address 2", s.address2)
        form.add("City", s.city)
        form.add("State", s.state)
        form.add("Postal code", s.postal_code)
        for key, value in (s.extra_fields or {}).items():
            if key == "preferredLanguage" and isinstance(value, str):
                form.add_word(fmt.field_label(key), Vocab.LANGUAGE, value)
            else:
                form.add_field(key, value)
        return card

    def _other_card(self, d: CaseDetail) -> Card:
        card, form = _form_card("Other fields")
        form.add_extras(d)
        return card

    # -- layout ------------------------------------------------------------------------------
    def _reflow(self) -> None:
        """Two independent columns (not a grid) so a tall card never stretches its neighbour."""
        columns = 2 if self.width() >= TWO_COLUMNS_FROM else 1
        if columns == self._columns or not self._cards:
            return
        self._columns = columns
        for card, _ in self._cards:
            for layout in self._column_layouts:
                layout.removeWidget(card)
        for card, preferred in self._cards:
            layout = self._column_layouts[preferred if columns == 2 else 0]
            layout.insertWidget(layout.count() - 1, card)  # before the trailing stretch
        self._column_hosts[1].setVisible(columns == 2)

    @guarded
    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt signature
        super().resizeEvent(event)
        self._reflow()
