"""Pydantic models for both services: the case list (Worth) and the case detail (CareValidate).

Field names are snake_case; the wire names are their aliases (the list service speaks snake_case,
the detail service camelCase with a few irregular spellings such as ``isPHI`` and ``cancelURL``).
Every field is optional and lenient (see ``lenient.py``) and unknown fields are kept, so a response
that drifts from its document still shows everything it carries. ``model_dump(by_alias=True,
exclude_unset=True)`` gives back what was received, which the round-trip tests rely on.

Timestamps stay strings exactly as sent; ``core.timestamps`` turns them into datetimes
where a view needs one, so an odd format never makes a case unreadable.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, ClassVar

from pydantic import ConfigDict, Field, PrivateAttr
from pydantic.alias_generators import to_camel

from caseviewer.core.text import full_name as _full_name
from caseviewer.core.lenient import AnyList, Bool, Int, LenientModel, ListOf, Obj, Str

# --------------------------------------------------------------------------------------------
# List service (GET {list_base}/customers/{customerID}/cases)
# --------------------------------------------------------------------------------------------

#: Status ids and codes of the list service, as it sends them; labels may differ, so key on ``code``.
LIST_STATUS_CODES: dict[int, str] = {
    1: "INVITED",
    2: "INVITE_EXPIRED",
    3: "ONBOARDING",
    4: "UNDER_MANUAL_REVIEW",
    5: "MANUALLY_APPROVED",
    6: "AUTO_APPROVED",
    7: "SCORE_CALCULATED",
    8: "MANUALLY_REJECTED",
    9: "ARCHIVED",
    10: "PENDING_DECISION",
    11: "INFORMATION_REQUESTED",
    12: "SUBMITTED",
    13: "AUTO_REJECTED",
    14: "RISK_ALERT",
    15: "INVESTIGATING",
    16: "DISMISSED",
    17: "ESCALATED",
    18: "PAUSED",
    19: "INFORMATION_UPDATED",
    20: "CREATED",
}


class Applicant(LenientModel):
    first_name: Str = None
    last_name: Str = None

    @property
    def full_name(self) -> str:
        return _full_name(self)


class ListStatus(LenientModel):
    id: Int = None
    code: Str = None
    label: Str = None


class CaseRecord(LenientModel):
    """One row of the case list."""

    id: Str = None
    applicant_id: Str = None
    created_at: Str = None
    business_name: Str = None
    status_label: Str = None
    applicant: Obj[Applicant] = None
    status: Obj[ListStatus] = None

    @property
    def status_code(self) -> str:
        """The status code to key on: ``status.code``, else the label, else the id's code."""
        if self.status is not None:
            if self.status.code:
                return self.status.code
            if self.status.id in LIST_STATUS_CODES:
                return LIST_STATUS_CODES[self.status.id]
        return (self.status_label or "").replace(" ", "_").upper()

    @property
    def applicant_name(self) -> str:
        return self.applicant.full_name if self.applicant is not None else ""


class CaseListData(LenientModel):
    records: ListOf[CaseRecord] = Field(default_factory=list)
    total_pages: Int = None
    total_items: Int = None


class CaseListResponse(LenientModel):
    status: Str = None
    message: Str = None
    data: Obj[CaseListData] = None


class SignInData(LenientModel):
    id_token: Str = None
    customer_details: dict[str, Any] | None = None

    @property
    def customer_id(self) -> str | None:
        value = (self.customer_details or {}).get("id")
        return str(value) if value is not None else None


# --------------------------------------------------------------------------------------------
# Detail service (GET {detail_base}/api/v1/customer-case-detail)
# --------------------------------------------------------------------------------------------


class DetailModel(LenientModel):
    """Base for the detail service's camelCase objects."""

    model_config = ConfigDict(alias_generator=to_camel, extra="allow", populate_by_name=True, defer_build=True)


class BasicUser(DetailModel):
    id: Str = None
    first_name: Str = None
    last_name: Str = None

    @property
    def full_name(self) -> str:
        return _full_name(self)


class UserWithEmail(BasicUser):
    email: Str = None


class DetailedUser(BasicUser):
    """The submitter: the detail document's "Detailed User"."""

    email: Str = None
    dob: Str = None
    gender: Str = None
    phone_number: Str = None
    address: Str = None
    address2: Str = None
    city: Str = None
    state: Str = None
    postal_code: Str = None


class Clinician(BasicUser):
    """A decision's ``addedBy``: a prescriber with NPI/DEA numbers."""

    title: Str = None
    title_suffix: Str = None
    email: Str = None
    phone_number: Str = None
    npi: Str = None
    dea: Str = None
    address: Str = None
    address2: Str = None
    city: Str = None
    state: Str = None
    postal_code: Str = None
    country: Str = None


class AssigneeLink(DetailModel):
    assignee: Obj[BasicUser] = None


class ProductBundle(DetailModel):
    id: Str = None
    name: Str = None


class Activity(DetailModel):
    id: Str = None
    type: Str = None
    is_phi: Bool = Field(default=None, alias="isPHI")
    is_restricted: Bool = None
    timestamp: Str = None
    # Before/after values are free-form (strings, objects, null); keep them as sent.
    value_before: Any = None
    value_after: Any = None


class MedInfo(DetailModel):
    id: Str = None
    external_id: Str = None
    medicine: Str = None
    is_refill: Bool = None
    dosage: Str = None
    refill_count: Int = None
    pharmacy_instructions: Str = None
    dosing_frequency: Str = None
    treatment_period: Str = None
    is_prior_auth_requested: Bool = None
    order_note: Str = None


class Decision(DetailModel):
    id: Str = None
    is_approved: Bool = None
    is_no_decision: Bool = None
    start_date: Str = None
    end_date: Str = None
    decision_text: Str = None
    category: Str = None
    created_at: Str = None
    is_paid: Bool = None
    visit_type: Str = None
    product_id: Str = None
    med_info: ListOf[MedInfo] = Field(default_factory=list)
    added_by: Obj[Clinician] = None

    @property
    def outcome(self) -> str:
        """"Approved", "Rejected" or "No decision" as a reviewer reads it."""
        if self.is_no_decision:
            return "No decision"
        if self.is_approved is True:
            return "Approved"
        if self.is_approved is False:
            return "Rejected"
        return "Unknown"


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


class Attachment(DetailModel):
    """A file on the case, a comment or a note: ``content`` (base64) or ``url``, never both."""

    id: Str = None
    is_restricted: Bool = None
    is_phi: Bool = Field(default=None, alias="isPHI")
    file_name: Str = None
    is_deleted: Bool = None
    created_at: Str = None
    uploaded_by: Obj[BasicUser] = None
    url: Str = None
    content: Str = None

    @property
    def encoded_size(self) -> int | None:
        """Decoded size in bytes estimated from the base64 length, without decoding it."""
        if not self.content:
            return None
        padding = self.content.count("=", max(0, len(self.content) - 2))
        return max(0, len(self.content) * 3 // 4 - padding)


class ThreadKind(str, Enum):
    """The two threads of a case, by the detail document's key for each.

    They have the same shape (``Comment``); what tells them apart is which list a comment came
    in, and this is the one place that says so: a public comment may be shown to the submitter,
    an internal note never is.
    """

    PUBLIC_COMMENT = "comments"
    INTERNAL_NOTE = "notes"

    @property
    def internal(self) -> bool:
        """Never shown to the submitter."""
        return self is ThreadKind.INTERNAL_NOTE

    @property
    def label(self) -> str:
        """What one item of the thread is called: "Comment" or "Internal note"."""
        return "Internal note" if self.internal else "Comment"

    @property
    def heading(self) -> str:
        """What the thread is called: "Comments" or "Internal notes"."""
        return self.label + "s"


#: The detail document's keys of the two threads (``comments``, ``notes``), in display order.
THREAD_LISTS = tuple(kind.value for kind in ThreadKind)


class Comment(DetailModel):
    """A public comment (``comments``) or an internal note (``notes``): the same shape; which one it
    is comes from its list (``ThreadKind``, ``CaseDetail.threads``)."""

    id: Str = None
    text: Str = None
    is_restricted: Bool = None
    forms: AnyList = Field(default_factory=list)
    created_at: Str = None
    author: Obj[BasicUser] = None
    attachments: ListOf[Attachment] = Field(default_factory=list)


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


class CalendarEvent(DetailModel):
    id: Str = None
    start_date_time: Str = None
    end_date_time: Str = None
    timezone: Str = None
    meeting_link: Str = None
    meeting_provider: Str = None
    cancel_url: Str = Field(default=None, alias="cancelURL")
    reschedule_url: Str = Field(default=None, alias="rescheduleURL")
    provider_name: Str = None
    provider_email: Str = None


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


class Form(DetailModel):
    id: Str = None
    name: Str = None
    description: Str = None


class Question(DetailModel):
    index: Int = None
    type: Str = None
    text: Str = None
    is_phi: Bool = Field(default=None, alias="isPHI")
    options: AnyList = Field(default_factory=list)
    required: Bool = None


class Answer(DetailModel):
    """One answered question of a form response."""

    id: Str = None
    is_archived: Bool = None
    text: Str = None
    created_at: Str = None
    question: Obj[Question] = None
    respondent: Obj[BasicUser] = None


class FormResponse(DetailModel):
    id: Str = None
    is_draft: Bool = None
    form: Obj[Form] = None
    responses: ListOf[Answer] = Field(default_factory=list)


class CaseDetail(DetailModel):
    """The ``caseDetail`` object. ``raw`` holds the JSON object exactly as received."""

    id: Str = None
    type: Str = None
    title: Str = None
    status: Str = None
    short_id: Str = None
    created_at: Str = None
    updated_at: Str = None
    assigned_at: Str = None
    in_progress_at: Str = None
    closed_at: Str = None
    is_archived: Bool = None
    is_escalated: Bool = None
    is_imported: Bool = None
    referral_code: Str = None
    closed_by: Str = None
    in_progress_by: Str = None
    archive_reason: Str = None
    archive_note: Str = None
    product_bundle_id: Str = None
    product_bundle: Obj[ProductBundle] = None
    assigned_to: Obj[BasicUser] = None
    hr_rep: Obj[BasicUser] = None
    assigned_by: Obj[BasicUser] = None
    assignees: ListOf[AssigneeLink] = Field(default_factory=list)
    submitter: Obj[DetailedUser] = None
    activity: ListOf[Activity] = Field(default_factory=list)
    decisions: ListOf[Decision] = Field(default_factory=list)
    case_products: ListOf[CaseProduct] = Field(default_factory=list)
    comments: ListOf[Comment] = Field(default_factory=list)
    notes: ListOf[Comment] = Field(default_factory=list)
    payments: ListOf[Payment] = Field(default_factory=list)
    attachments: ListOf[Attachment] = Field(default_factory=list)
    calendar_events: ListOf[CalendarEvent] = Field(default_factory=list)
    orders: ListOf[Order] = Field(default_factory=list)
    responses: ListOf[FormResponse] = Field(default_factory=list)

    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)
    _as_sent: str | None = PrivateAttr(default=None)

    @property
    def raw(self) -> dict[str, Any]:
        return self._raw

    @property
    def as_sent(self) -> str | None:
        """The response as the service sent it, when reading it replaced something (a lone
        surrogate, a byte invalid in its encoding; ``wire.sent_text_if_altered``); else None."""
        return self._as_sent

    @property
    def is_open(self) -> bool:
        """Open is read from ``isArchived``, never from ``closedAt`` (a closed case can still be open)."""
        return not self.is_archived

    def thread(self, kind: ThreadKind) -> list[Comment]:
        """The public comments or the internal notes."""
        return self.notes if kind is ThreadKind.INTERNAL_NOTE else self.comments

    def threads(self) -> list[tuple[ThreadKind, list[Comment]]]:
        """Both threads with their kind, public comments first."""
        return [(kind, self.thread(kind)) for kind in ThreadKind]

    def all_attachments(self) -> list[tuple[str, Attachment]]:
        """Every attachment with where it hangs: "Case", "Comment" or "Internal note"."""
        found: list[tuple[str, Attachment]] = [("Case", a) for a in self.attachments]
        for kind, thread in self.threads():
            for comment in thread:
                found.extend((kind.label, a) for a in comment.attachments)
        return found

    @classmethod
    def from_raw(cls, raw: dict[str, Any], *, as_sent: str | None = None) -> "CaseDetail":
        detail = cls.model_validate(raw)
        detail._raw = raw
        detail._as_sent = as_sent
        return detail


class CaseDetailResponse(LenientModel):
    status: Int = None
    success: Bool = None
    case_detail: Obj[CaseDetail] = Field(default=None, alias="caseDetail")
