"""A case at a glance: the answers a reviewer wants first, as a plain structure (no Qt).

Who is the patient, what was asked for, what was decided and by whom, what the two services say
about the case's state, who has it, the latest comment and note, whether money or shipping is
stuck, what is flagged, and how many of each item there are. ``build_glance`` decides all of it
from a ``CaseDetail`` (and the list record when known); the window's At a glance section and the
dossier's cover both show this one structure, so they never disagree.

Codes stay codes here (with their ``Vocab``); the views word them through ``core.vocabulary`` and
format dates and money in the reader's locale.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from caseviewer.core import timestamps
from caseviewer.core.models import CaseDetail, CaseRecord, Decision
from caseviewer.core.status import pretty_status
from caseviewer.core.text import elide
from caseviewer.core.timeline import moment_key
from caseviewer.core.vocabulary import payment_currency

#: Status explanations for the two statuses (the window's tooltips, the dossier's notes).
REVIEW_STATUS_HELP = (
    "The case list service's review status: where the business's application stands in review "
    "(for example Under manual review). It comes from the case list."
)
CASE_STATUS_HELP = (
    "The detail service's case status: where the clinical case stands (open, assigned, in progress, "
    "approved, rejected...). It comes from the case detail and can differ from the review status."
)


class Part(str, enum.Enum):
    """The parts of a case that have a count and a section of their own."""

    DECISIONS = "decisions"
    COMMENTS = "comments"
    NOTES = "notes"
    PAYMENTS = "payments"
    ORDERS = "orders"
    ATTACHMENTS = "attachments"
    CALENDAR = "calendar"
    ACTIVITY = "activity"
    FORMS = "forms"
    PRODUCTS = "products"


PART_LABELS: dict[Part, str] = {
    Part.DECISIONS: "Decisions",
    Part.COMMENTS: "Comments",
    Part.NOTES: "Internal notes",
    Part.PAYMENTS: "Payments",
    Part.ORDERS: "Orders",
    Part.ATTACHMENTS: "Attachments",
    Part.CALENDAR: "Appointments",
    Part.ACTIVITY: "Activity entries",
    Part.FORMS: "Form responses",
    Part.PRODUCTS: "Products",
}


@dataclass(frozen=True)
class Excerpt:
    """The latest comment or note: who, when (as sent), its first line."""

    author: str
    raw: str | None
    first_line: str
    restricted: bool = False


@dataclass(frozen=True)
class PaymentState:
    status: str | None  # a PAYMENT_STATUS code
    amount: str | None
    currency: str
    description: str | None
    paid_total: str | None = None  # sums as exact decimal strings, in ``currency``
    refunded_total: str | None = None
    failed_count: int = 0
    count: int = 0


@dataclass(frozen=True)
class ShippingState:
    order_status: str | None  # ORDER_STATUS code
    log_status: str | None  # SHIPPING_STATUS code of the latest log
    log_message: str | None
    log_raw: str | None
    log_location: str | None
    carrier: str | None
    tracking: str | None


@dataclass
class Glance:
    # patient
    patient: str | None
    dob: str | None
    age: int | None
    state: str | None
    language: str | None  # a language code (``preferredLanguage``) when the service sends one
    gender: str | None
    # the request
    title: str | None
    case_type: str | None  # CASE_TYPE code
    bundle: str | None
    products: list[str]
    visit_type: str | None  # VISIT_TYPE code
    # the current decision
    decision: Decision | None
    clinician: str | None
    medications: list[str]
    # the two statuses
    review_status_code: str | None
    review_status_label: str | None
    case_status: str | None  # CASE_STATUS code
    archived: bool
    # people and threads
    assignees: list[str]
    latest_comment: Excerpt | None
    latest_note: Excerpt | None
    # money and shipping
    payment: PaymentState | None
    shipping: ShippingState | None
    # flags, counts and ids
    flags: list[str] = field(default_factory=list)
    counts: list[tuple[Part, int]] = field(default_factory=list)
    ids: list[tuple[str, str]] = field(default_factory=list)

    @property
    def review_status(self) -> str:
        """The list service's review status in words, as the case table words it (from the
        code: the service's own labels vary in case, "UNDER MANUAL REVIEW"), for the window and
        the dossier alike."""
        if self.review_status_code:
            return pretty_status(self.review_status_code)
        return self.review_status_label or "Not known (the case list was not consulted)"


def age_on(dob: str | None, today: date) -> int | None:
    """Whole years from a date of birth to ``today``; None when the date cannot be read."""
    moment = timestamps.parse(dob)
    if moment is None:
        return None
    born = moment.date()
    if born > today:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def name_of(user: Any) -> str:
    if user is None:
        return ""
    return getattr(user, "full_name", "") or getattr(user, "id", None) or ""


def clinician_text(user: Any) -> str:
    name = name_of(user)
    if not name:
        return ""
    title, suffix = getattr(user, "title", None), getattr(user, "title_suffix", None)
    return f"{title + ' ' if title else ''}{name}{', ' + suffix if suffix else ''}"


def newest(items: list, stamp: Callable[[Any], str | None]):
    """The item with the latest readable timestamp, else the last one listed."""
    best, best_key = None, None
    for item in items:
        key = moment_key(timestamps.parse(stamp(item)))
        if key is not None and (best_key is None or key >= best_key):
            best, best_key = item, key
    return best if best is not None else (items[-1] if items else None)


def medication_lines(decision: Decision) -> list[str]:
    return [" ".join(p for p in (m.medicine, m.dosage or "", m.dosing_frequency or "") if p)
            for m in decision.med_info if m.medicine]


def first_line(text: str | None, limit: int = 160) -> str:
    for line in (text or "").splitlines():
        flat = " ".join(line.split())
        if flat:
            return elide(flat, limit)
    return ""


def _excerpt(comments: list) -> Excerpt | None:
    latest = newest(comments, lambda c: c.created_at)
    if latest is None:
        return None
    return Excerpt(name_of(latest.author), latest.created_at, first_line(latest.text), bool(latest.is_restricted))


def _sum(values: list[str | None]) -> str | None:
    from decimal import Decimal, InvalidOperation

    total, seen = Decimal("0"), False
    for value in values:
        try:
            amount = Decimal(str(value).strip().replace(",", "")) if value is not None else None
        except (InvalidOperation, ValueError):
            amount = None
        if amount is not None and amount.is_finite():
            total, seen = total + amount, True
    return str(total) if seen else None


def _payment_state(detail: CaseDetail) -> PaymentState | None:
    live = [p for p in detail.payments if not p.is_deleted] or list(detail.payments)
    latest = newest(live, lambda p: p.created_at)
    if latest is None:
        return None
    currency = payment_currency(latest)
    same = [p for p in live if payment_currency(p) == currency]
    status = lambda p: (p.status or "").upper()  # noqa: E731 - a one-line key
    return PaymentState(
        status=latest.status, amount=latest.amount, currency=currency, description=latest.description,
        paid_total=_sum([p.amount for p in same if status(p) == "PAID"]),
        refunded_total=_sum([p.amount for p in same if status(p) in ("REFUNDED", "PARTIALLY_REFUNDED")]),
        failed_count=sum(1 for p in live if status(p) == "FAILED"),
        count=len(detail.payments),
    )


def _shipping_state(detail: CaseDetail) -> ShippingState | None:
    order = newest(detail.orders, lambda o: o.created_at)
    if order is None:
        return None
    log = newest(order.shipping_logs, lambda s: s.status_updated_at)
    return ShippingState(
        order_status=order.status, log_status=log.status if log else None, log_message=log.message if log else None,
        log_raw=log.status_updated_at if log else None, log_location=log.location if log else None,
        carrier=order.carrier_name, tracking=order.tracking_id,
    )


def _language(detail: CaseDetail) -> str | None:
    extra = (detail.submitter.extra_fields if detail.submitter is not None else None) or {}
    value = extra.get("preferredLanguage") or extra.get("language")
    return value if isinstance(value, str) and value.strip() else None


def build_glance(detail: CaseDetail, record: CaseRecord | None, today: date) -> Glance:
    """The at-a-glance summary of one case (``today`` for the patient's age)."""
    submitter = detail.submitter
    decision = newest(detail.decisions, lambda d: d.created_at)
    products = [p.organization_product.name for p in detail.case_products
                if p.organization_product and p.organization_product.name]
    visit = next((r.visit_type for p in detail.case_products for r in p.case_product_requests if r.visit_type), None)
    if visit is None and decision is not None:
        visit = decision.visit_type
    assignees = [name_of(a.assignee) for a in detail.assignees if a.assignee and name_of(a.assignee)]
    if not assignees and detail.assigned_to is not None and name_of(detail.assigned_to):
        assignees = [name_of(detail.assigned_to)]
    review_code = review_label = None
    if record is not None:
        review_code = record.status_code or None
        review_label = (record.status.label if record.status and record.status.label else record.status_label) or None

    flags: list[str] = []
    if detail.is_escalated:
        flags.append("Escalated")
    if detail.is_archived:
        flags.append("Archived")
    restricted = sum(1 for c in (*detail.comments, *detail.notes) if c.is_restricted)
    if restricted:
        flags.append(f"{restricted} restricted comment{'s' if restricted != 1 else ''} or note{'s' if restricted != 1 else ''}")
    phi = sum(1 for _, a in detail.all_attachments() if a.is_phi)
    if phi:
        flags.append(f"{phi} attachment{'s' if phi != 1 else ''} with PHI")
    if detail.is_imported:
        flags.append("Imported")

    counts = [
        (Part.DECISIONS, len(detail.decisions)), (Part.COMMENTS, len(detail.comments)),
        (Part.NOTES, len(detail.notes)), (Part.PAYMENTS, len(detail.payments)), (Part.ORDERS, len(detail.orders)),
        (Part.ATTACHMENTS, len(detail.all_attachments())), (Part.CALENDAR, len(detail.calendar_events)),
        (Part.ACTIVITY, len(detail.activity)), (Part.FORMS, len(detail.responses)),
        (Part.PRODUCTS, len(detail.case_products)),
    ]
    ids = [(label, value) for label, value in (
        ("Short ID", detail.short_id), ("Case ID", detail.id),
        ("Patient ID", submitter.id if submitter else None),
    ) if value]
    return Glance(
        patient=name_of(submitter) or None if submitter else None,
        dob=submitter.dob if submitter else None,
        age=age_on(submitter.dob if submitter else None, today),
        state=submitter.state if submitter else None,
        language=_language(detail),
        gender=submitter.gender if submitter else None,
        title=detail.title,
        case_type=detail.type,
        bundle=detail.product_bundle.name if detail.product_bundle else None,
        products=products,
        visit_type=visit,
        decision=decision,
        clinician=(clinician_text(decision.added_by) or None) if decision else None,
        medications=medication_lines(decision) if decision else [],
        review_status_code=review_code,
        review_status_label=review_label,
        case_status=detail.status,
        archived=bool(detail.is_archived),
        assignees=assignees,
        latest_comment=_excerpt(detail.comments),
        latest_note=_excerpt(detail.notes),
        payment=_payment_state(detail),
        shipping=_shipping_state(detail),
        flags=flags,
        counts=counts,
        ids=ids,
    )


__all__ = [
    "CASE_STATUS_HELP", "Excerpt", "Glance", "PART_LABELS", "Part", "PaymentState", "REVIEW_STATUS_HELP",
    "ShippingState", "age_on", "build_glance", "clinician_text", "first_line", "medication_lines", "name_of",
    "newest",
]
