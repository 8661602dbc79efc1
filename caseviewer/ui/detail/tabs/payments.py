"""Payments tab: all payments in a table; the selected one's fee breakdown and totals below.

Amounts arrive as strings ("49.00"); they are summed as ``Decimal`` (never float), and an amount
that does not parse is shown as sent and left out of the sums, which then say so.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from caseviewer.core.models import CaseDetail, Fees, Payment
from caseviewer.core.vocabulary import Vocab, payment_currency
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.table import Cell, Column, DataTable, flag_cell, money_cell, text_cell, time_cell, user_cell
from caseviewer.ui.detail.tabs.base import DetailTab
from caseviewer.ui.detail.key_value_form import KeyValueForm
from caseviewer.ui.detail.widgets import (
    SPACING,
    ScrollPage,
    SideBySide,
    empty_state,
    section_heading,
    text_label,
)


def _scheduled(p: Payment) -> Cell:
    if not p.is_scheduled:
        return Cell(fmt.yes_no(p.is_scheduled))
    return Cell("Yes" if p.schedule_position is None else f"Yes, #{p.schedule_position}")


def _description(p: Payment) -> Cell:
    cell = text_cell(p.description, 120)
    if p.id:
        cell.tooltip = fmt.plain_tooltip(f"{p.description or ''}\nID: {p.id}".strip())
    return cell


PAYMENT_COLUMNS = [
    Column("Description", _description, max_width=220),
    Column("Amount", lambda p: money_cell(p.amount, payment_currency(p))),
    Column("Status", lambda p: Cell(fmt.word(Vocab.PAYMENT_STATUS, p.status), tooltip=fmt.code_tooltip(p.status))),
    Column("Paid", lambda p: time_cell(p.payment_date)),
    Column("Due", lambda p: time_cell(p.due_date), fold=True),
    Column("Cancelled", lambda p: time_cell(p.cancellation_date), fold=True),
    Column("Scheduled", _scheduled, fold=True),
    Column("Auto-created", lambda p: flag_cell(p.is_auto_created), fold=True),
    Column("Deleted", lambda p: flag_cell(p.is_deleted), fold=True),
    Column("Created by", lambda p: user_cell(p.created_by), max_width=180, fold=True),
    Column("Created", lambda p: time_cell(p.created_at), fold=True),
    Column("Updated", lambda p: time_cell(p.updated_at), fold=True),
]

def fee_columns(currency: str) -> list[Column]:
    """The fee table's columns; amounts in the payment's own currency."""
    return [
        Column("Fee", lambda row: Cell(row[0])),
        Column("Kind", lambda row: Cell(row[2])),
        Column("Amount", lambda row: money_cell(row[1], currency)),
    ]


def fee_rows(fees: Fees | None) -> list[tuple[str, str | None, str]]:
    if fees is None:
        return []
    rows = [(label, getattr(fees, attr), "Fee") for attr, label in Fees.NAMED_FEES if getattr(fees, attr) is not None]
    rows += [(fmt.or_missing(sub.label), sub.amount, "Sub-fee") for sub in fees.sub_fees]
    return rows


def sum_text(values: list[str | None], currency: str | None = None) -> str:
    """The exact sum of ``values``, in ``currency`` when given, saying what it left out."""
    total, skipped = fmt.sum_money(values)
    text = fmt.format_currency(str(total), currency) if currency else fmt.format_decimal(total)
    if skipped:
        text += f" ({skipped} unreadable amount{'s' if skipped > 1 else ''} not counted)"
    return text


def totals_text(payments: list[Payment]) -> str:
    """The payments' sum in each currency they use ("$175.49", or "$20.00 + €15.00"): amounts in
    different currencies are never added together."""
    by_currency: dict[str, list[str | None]] = {}
    for payment in payments:
        by_currency.setdefault(payment_currency(payment), []).append(payment.amount)
    if not by_currency:
        return sum_text([])
    return " + ".join(sum_text(amounts, currency) for currency, amounts in by_currency.items())


class PaymentsTab(DetailTab):
    TITLE = "Payments"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.totals = text_label("")
        self.totals.setContentsMargins(SPACING, SPACING, SPACING, 0)
        self.table = DataTable(PAYMENT_COLUMNS, fit_rows=8, fold=True, name="Payments")
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.breakdown = ScrollPage(name="Payment breakdown")
        #: The payment whose breakdown is shown (selecting the first row already builds it).
        self._breakdown_of: Payment | None = None
        self.empty = empty_state("No payments on this case")
        self.content = QWidget()
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.totals)
        table_box = QVBoxLayout()
        table_box.setContentsMargins(SPACING, 0, SPACING, 0)
        table_box.addWidget(self.table.with_details())
        layout.addLayout(table_box)
        layout.addWidget(self.breakdown, 1)
        self.layout_.addWidget(self.content)
        self.layout_.addWidget(self.empty)

    def count(self, detail: CaseDetail) -> int | None:
        return len(detail.payments)

    def render(self, detail: CaseDetail) -> None:
        payments = detail.payments
        self.content.setVisible(bool(payments))
        self.empty.setVisible(not payments)
        self.table.set_rows(payments)
        live = [p for p in payments if not p.is_deleted]
        text = f"{len(payments)} payment{'s' if len(payments) != 1 else ''} · total {totals_text(live)}"
        if len(live) != len(payments):
            text += f" excluding deleted · {totals_text(payments)} including deleted"
        self.totals.setText(text)
        self.breakdown.reset()
        self._breakdown_of = None
        if payments:
            self.table.selectRow(0)  # shows its breakdown (selectionChanged)
            self._show_selected()  # in case the selection did not change

    def _show_selected(self, *_: object) -> None:
        payment: Payment | None = self.table.selected_object()
        if payment is not None and payment is self._breakdown_of:
            return  # already shown: a breakdown costs ~20 ms to build
        self.breakdown.reset()
        self._breakdown_of = payment
        if payment is None:
            return
        self.show_breakdown(payment)

    def show_breakdown(self, payment: Payment) -> None:
        """The fees of ``payment`` beside its totals; the sums are exact decimals."""
        page = self.breakdown
        title = fmt.one_line(payment.description, 80) or "selected payment"
        page.add(section_heading(f"Fee breakdown: {title}"))
        rows = fee_rows(payment.fees)
        currency = payment_currency(payment)
        if rows:
            fees: QWidget = DataTable(fee_columns(currency), rows, fit_rows=15, name="Fees")
            fees.fit_width(460)
        else:
            fees = text_label("No fee breakdown on this payment", muted=True, selectable=False)
        form = KeyValueForm()
        form.add("Payment amount", fmt.format_currency(payment.amount, currency))
        form.add("Sum of fees", sum_text([r[1] for r in rows], currency))
        fees_total, _ = fmt.sum_money([r[1] for r in rows])
        amount = fmt.parse_money(payment.amount)
        if rows and amount is not None and amount != fees_total:
            form.add("Difference", fmt.format_currency(str(amount - fees_total), currency))
        form.add("Payment ID", payment.id)
        if payment.created_by is not None:
            form.add("Created by", fmt.user_name(payment.created_by))
            form.add("Creator email", payment.created_by.email)
        form.add_extras(payment)
        if payment.fees is not None:
            form.add_extras(payment.fees)
        form.wrap_values()  # ids and long values wrap; a narrow pane puts values under labels
        # Beside the fee table when the pane is wide, under it when narrow (never sideways scrolling).
        holder = SideBySide(fees, form)
        page.add(holder)
        page.finish()

    def reveal(self, item_id: str) -> bool:
        """Select the row of the item with ``item_id`` (a timeline entry was opened)."""
        self.ensure_rendered()
        return self.table.select_item(item_id)
