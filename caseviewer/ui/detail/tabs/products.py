"""Case products tab: each product on the case, its subscription and its latest request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QWidget

from caseviewer.core.vocabulary import Vocab
from caseviewer.core.models import CaseDetail, CaseProduct
from caseviewer.ui import formatting as fmt
from caseviewer.ui.detail.tabs.base import CardsTab
from caseviewer.ui.detail.widgets import Card, text_label
from caseviewer.ui.detail.key_value_form import KeyValueForm


class ProductsTab(CardsTab):
    TITLE = "Products"
    EMPTY = "No products on this case"

    def items(self, detail: CaseDetail) -> Sequence[Any]:
        return detail.case_products

    def card(self, item: Any, number: int) -> QWidget:
        product: CaseProduct = item
        org = product.organization_product
        name = fmt.clean(org.name) if org is not None and org.name else f"Product {number}"
        card = Card(name, subtitle=fmt.subscription_text(product.subscription))
        form = KeyValueForm()
        form.add("Product", org.name if org is not None else None)
        form.add("Product ID", org.id if org is not None else None)
        form.add("Case product ID", product.id)
        form.add_time("Created", product.created_at)
        form.add("Subscription", fmt.subscription_text(product.subscription))
        form.add_extras(product)
        if org is not None:
            form.add_extras(org)
        if product.subscription is not None:
            form.add_extras(product.subscription)
        card.add(form)

        requests = product.case_product_requests
        card.add_heading("Latest request" if len(requests) <= 1 else f"Requests ({len(requests)})")
        if not requests:
            card.add(text_label("No request on this product", muted=True, selectable=False))
        for request in requests:
            sub = KeyValueForm()
            sub.add_word("Status", Vocab.REQUEST_STATUS, request.status)
            sub.add_word("Visit type", Vocab.VISIT_TYPE, request.visit_type)
            sub.add("Form response ID", request.form_response_id)
            sub.add_time("Created", request.created_at)
            sub.add_time("Updated", request.updated_at)
            sub.add("Request ID", request.id)
            sub.add_extras(request)
            card.add(sub)
        return card
