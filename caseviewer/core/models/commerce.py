"""What the case sells and sends: product bundles and case products, payments and their fees, pharmacy orders."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from caseviewer.core.lenient import Bool, Int, ListOf, Obj, Str
from caseviewer.core.models.detail_base import DetailModel
from caseviewer.core.models.users import UserWithEmail


class ProductBundle(DetailModel):
    id: Str = None
    name: Str = None


class Subscription(DetailModel):
    interval: Str = None
    interval_count: Int = None


class OrganizationProduct(DetailModel):
    id: Str = None
    name: Str = None


class CaseProductRequest(DetailModel):
    id: Str = None
    status: Str = None
    form_response_id: Str = None
    visit_type: Str = None
    created_at: Str = None
    updated_at: Str = None


class CaseProduct(DetailModel):
    id: Str = None
    created_at: Str = None
    organization_product: Obj[OrganizationProduct] = None
    subscription: Obj[Subscription] = None
    case_product_requests: ListOf[CaseProductRequest] = Field(default_factory=list)


class SubFee(DetailModel):
    label: Str = None
    amount: Str = None


class Fees(DetailModel):
    consult_fee: Str = None
    convenience_fee: Str = None
    payment_processing_fee: Str = None
    pharmacy_fee: Str = None
    shipping_fee: Str = None
    syringe_kit_fee: Str = None
    tech_platform_fee: Str = None
    sub_fees: ListOf[SubFee] = Field(default_factory=list)

    #: (attribute, label) of the named fees, in the document's order.
    NAMED_FEES: ClassVar[tuple[tuple[str, str], ...]] = (
        ("consult_fee", "Consult fee"),
        ("convenience_fee", "Convenience fee"),
        ("payment_processing_fee", "Payment processing fee"),
        ("pharmacy_fee", "Pharmacy fee"),
        ("shipping_fee", "Shipping fee"),
        ("syringe_kit_fee", "Syringe kit fee"),
        ("tech_platform_fee", "Tech platform fee"),
    )


class Payment(DetailModel):
    id: Str = None
    is_deleted: Bool = None
    description: Str = None
    amount: Str = None
    status: Str = None
    due_date: Str = None
    payment_date: Str = None
    cancellation_date: Str = None
    is_scheduled: Bool = None
    schedule_position: Int = None
    is_auto_created: Bool = None
    created_at: Str = None
    updated_at: Str = None
    fees: Obj[Fees] = None
    created_by: Obj[UserWithEmail] = None


class OrderItem(DetailModel):
    id: Str = None
    name: Str = None
    quantity: Str = None


class ShippingLog(DetailModel):
    status_updated_at: Str = None
    location: Str = None
    message: Str = None
    status: Str = None


class Order(DetailModel):
    id: Str = None
    external_id: Str = None
    pharmacy_order_id: Str = None
    tracking_id: Str = None
    status: Str = None
    message: Str = None
    pharmacy_name: Str = None
    created_at: Str = None
    items: ListOf[OrderItem] = Field(default_factory=list)
    replacement_reason: Str = None
    shipping_logs: ListOf[ShippingLog] = Field(default_factory=list)
    est_delivery_at: Str = None
    tracking_url: Str = None
    carrier_name: Str = None
