"""Orders tab: one card per pharmacy order with its items, tracking and shipping timeline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from caseviewer.core.changes import Mark, Part, shipping_log_id
from caseviewer.core.models import CaseDetail, Order
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.links import LinkField
from caseviewer.core.vocabulary import Vocab
from caseviewer.ui.detail.table import Cell, Column, DataTable, text_cell, time_cell
from caseviewer.ui.detail.tabs.base import CardsTab
from caseviewer.ui.detail.widgets import Card, text_label
from caseviewer.ui.detail.key_value_form import KeyValueForm
from caseviewer.ui.triage.marks import change_badge

ITEM_COLUMNS = [
    Column("Name", lambda i: text_cell(i.name), max_width=360),
    Column("Quantity", lambda i: text_cell(i.quantity)),
    Column("Item ID", lambda i: text_cell(i.id)),
]

LOG_COLUMNS = [
    Column("When", lambda s: time_cell(s.status_updated_at)),
    Column("Status", lambda s: Cell(fmt.word(Vocab.SHIPPING_STATUS, s.status), tooltip=fmt.code_tooltip(s.status))),
    Column("Location", lambda s: text_cell(s.location)),
    Column("Message", lambda s: text_cell(s.message)),
]


class OrdersTab(CardsTab):
    TITLE = "Orders"
    EMPTY = "No orders on this case"

    def items(self, detail: CaseDetail) -> Sequence[Any]:
        return detail.orders

    def card(self, item: Any, number: int) -> QWidget:
        order: Order = item
        title = f"Order {number}: {fmt.clean(order.pharmacy_name)}" if order.pharmacy_name else f"Order {number}"
        card = Card(title, subtitle=fmt.word(Vocab.ORDER_STATUS, order.status))
        order_id = order.id or order.external_id or f"#{number - 1}"
        marker = change_badge(self.changes.item_marks(Part.ORDERS, str(order_id))[0], what="This order changed")
        if marker is not None:
            card.add(marker)
        form = KeyValueForm()
        form.add("Pharmacy", order.pharmacy_name)
        form.add_word("Status", Vocab.ORDER_STATUS, order.status)
        form.add("Order ID", order.id)
        form.add("Pharmacy order ID", order.pharmacy_order_id)
        form.add("External ID", order.external_id)
        form.add("Created", fmt.format_date(order.created_at), tooltip=fmt.timestamp_tooltip(order.created_at))
        form.add("Message", order.message)
        form.add("Est. delivery", fmt.format_date(order.est_delivery_at), tooltip=fmt.timestamp_tooltip(order.est_delivery_at))
        form.add("Replacement reason", order.replacement_reason)
        form.add("Carrier", order.carrier_name)
        form.add("Tracking ID", order.tracking_id)
        form.add_widget("Tracking link", LinkField(order.tracking_url))
        form.add_extras(order)
        card.add(form)

        card.add_heading(f"Items ({len(order.items)})")
        if order.items:
            card.add(DataTable(ITEM_COLUMNS, order.items, fit_rows=8, fold=True, name="Order items"))
        else:
            card.add(text_label("No items listed", muted=True, selectable=False))

        card.add_heading(f"Shipping log ({len(order.shipping_logs)}), newest first")
        new_logs = [k for k in range(len(order.shipping_logs)) if self.changes.item_marks(
            Part.SHIPPING_LOGS, shipping_log_id(str(order_id), k))[0] is not Mark.NONE]
        if new_logs:
            marker = change_badge(Mark.NEW, what=f"{len(new_logs)} shipping log entr{'y' if len(new_logs) == 1 else 'ies'} added")
            marker.setText(f"{len(new_logs)} new")
            card.add(marker)
        if order.shipping_logs:
            card.add(DataTable(LOG_COLUMNS, order.shipping_logs, sort_column=0, descending=True, fit_rows=8, fold=True,
                               name="Shipping log"))
        else:
            card.add(text_label("No shipping updates yet", muted=True, selectable=False))
        return card
