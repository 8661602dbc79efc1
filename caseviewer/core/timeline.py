"""A case's dated events in one chronological list (pure: ``CaseDetail`` in, ``TimelineEvent``s out).

Used by the dossier export and meant for the window's timeline too. Everything in a case that
happened at a moment becomes an event: the case's own milestones (created, assigned, in progress,
closed), decisions, public comments, internal notes, payments, orders and their shipping logs,
calendar events, attachments, activity entries (with before → after), case products and form
responses (submitted when their last answer was given), payments refunded or failed.

Ordering: events whose timestamp parses are sorted oldest first (ties keep the order in which
they appear in the case). An item whose date is missing or cannot be read is still an event: it is
listed after the dated ones, in case order, with its raw value kept, so nothing is ever dropped.
A case milestone that did not happen (``closedAt: null``) is no event at all.

``event_mark`` says whether an event's item is new or changed since the reviewer last looked
(``core.changes``), for the window's "since I last looked" filter.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from datetime import datetime

from caseviewer.core import timestamps
from caseviewer.core.changes import CaseChanges, Mark, Part, shipping_log_id
from caseviewer.core.models import CaseDetail, ThreadKind
from caseviewer.core.people import known_users, user_text
from caseviewer.core.text import flat_elided
from caseviewer.core.vocabulary import Vocab, activity_value, label, payment_currency



class EventKind(str, enum.Enum):
    CASE = "case"
    DECISION = "decision"
    COMMENT = "comment"
    NOTE = "note"  # an internal note: never shown to the patient
    PAYMENT = "payment"
    ORDER = "order"
    SHIPPING = "shipping"
    CALENDAR = "calendar"
    ATTACHMENT = "attachment"
    ACTIVITY = "activity"
    PRODUCT = "product"
    FORM = "form"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    EventKind.CASE: "Case",
    EventKind.DECISION: "Decision",
    EventKind.COMMENT: ThreadKind.PUBLIC_COMMENT.label,
    EventKind.NOTE: ThreadKind.INTERNAL_NOTE.label,
    EventKind.PAYMENT: "Payment",
    EventKind.ORDER: "Order",
    EventKind.SHIPPING: "Shipping",
    EventKind.CALENDAR: "Appointment",
    EventKind.ATTACHMENT: "Attachment",
    EventKind.ACTIVITY: "Activity",
    EventKind.PRODUCT: "Product",
    EventKind.FORM: "Form",
}


def moment_key(moment: datetime | None) -> float | None:
    """Seconds since the epoch for sorting (naive values read as UTC); None for no moment."""
    return timestamps.epoch_seconds(moment, naive_is_local=False)


@dataclass(frozen=True)
class TimelineEvent:
    """One dated thing in a case. ``raw`` is the timestamp as sent; ``when`` its parsed value
    (None when missing or unreadable). ``title`` and ``detail`` are plain text from the case, in
    words (codes already turned into labels through ``core.vocabulary``; ``code`` keeps the raw
    code for a tooltip). ``amount``/``currency`` are a payment's money, left for the caller to
    format in the reader's locale."""

    kind: EventKind
    title: str
    raw: str | None
    when: datetime | None = None
    detail: str = ""
    ref_id: str | None = None  # the id of the item the event belongs to
    code: str | None = None  # a service code qualifying the title (activity type, status)
    amount: str | None = None
    currency: str | None = None
    #: A sub-item's place under ``ref_id`` (a shipping log's position in its order), for its marks.
    ref_index: int | None = None

    @property
    def dated(self) -> bool:
        return self.when is not None

    @property
    def internal(self) -> bool:
        """An internal note: never shown to the patient (the views mark it so)."""
        return self.kind is EventKind.NOTE


def _name(user) -> str:
    return (user.full_name or user.id or "") if user is not None else ""


def _by(user) -> str:
    name = _name(user)
    return f" by {name}" if name else ""


def _short(text: str | None, limit: int = 160) -> str:
    return flat_elided(text, limit)


def _value(value: object) -> str:
    if value is None:
        return "(none)"
    return _short(value if isinstance(value, str) else str(value), 60)


def _newest_raw(values: list[str | None]) -> str | None:
    """The latest readable timestamp of ``values``, else the first non-empty one as sent."""
    best, best_key = None, None
    for raw in values:
        key = moment_key(timestamps.parse(raw))
        if key is not None and (best_key is None or key > best_key):
            best, best_key = raw, key
    return best if best is not None else next((v for v in values if v), None)


def _collect(detail: CaseDetail) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    users = known_users(detail)

    def add(kind: EventKind, title: str, raw: str | None, detail_text: str = "", ref: str | None = None,
            code: str | None = None, amount: str | None = None, currency: str | None = None,
            index: int | None = None) -> None:
        events.append(TimelineEvent(kind, title, raw, timestamps.parse(raw), detail_text, ref, code, amount, currency,
                                    index))

    for raw, title in (
        (detail.created_at, "Case created"),
        (detail.assigned_at, f"Case assigned{' to ' + _name(detail.assigned_to) if detail.assigned_to else ''}"),
        (detail.in_progress_at, f"Case in progress{_by_text(user_text(detail.in_progress_by, users, in_sentence=True))}"),
        (detail.closed_at, f"Case closed{_by_text(user_text(detail.closed_by, users, in_sentence=True))}"),
    ):
        if raw:
            add(EventKind.CASE, title, raw, ref=detail.id)
    for decision in detail.decisions:
        medicines = ", ".join(" ".join(p for p in (m.medicine, m.dosage or "") if p) for m in decision.med_info if m.medicine)
        add(EventKind.DECISION, f"Decision: {decision.outcome}{_by(decision.added_by)}", decision.created_at,
            "; ".join(p for p in (_short(decision.decision_text), medicines) if p), decision.id)
    for thread_kind, thread in detail.threads():
        kind = EventKind.NOTE if thread_kind.internal else EventKind.COMMENT
        for comment in thread:
            add(kind, f"{kind.label}{_by(comment.author)}", comment.created_at, _short(comment.text), comment.id)
    for payment in detail.payments:
        what = _short(payment.description, 80) or "Payment"
        currency = payment_currency(payment)
        status = label(Vocab.PAYMENT_STATUS, payment.status) if payment.status else ""
        add(EventKind.PAYMENT, f"Payment created: {what}", payment.created_at, status, payment.id, payment.status,
            payment.amount, currency)
        if payment.payment_date:
            add(EventKind.PAYMENT, f"Payment made: {what}", payment.payment_date, ref=payment.id,
                amount=payment.amount, currency=currency)
        if payment.cancellation_date:
            add(EventKind.PAYMENT, f"Payment cancelled: {what}", payment.cancellation_date, ref=payment.id)
        state = (payment.status or "").upper()
        if state in ("REFUNDED", "PARTIALLY_REFUNDED", "FAILED"):
            # The document has no refund or failure date: the payment's last update is when it was seen so.
            verb = "failed" if state == "FAILED" else "refunded"
            add(EventKind.PAYMENT, f"Payment {verb}: {what}", payment.updated_at or payment.payment_date,
                status, payment.id, payment.status, payment.amount, currency)
    for order in detail.orders:
        items = ", ".join(i.name for i in order.items if i.name)
        status = label(Vocab.ORDER_STATUS, order.status) if order.status else ""
        add(EventKind.ORDER, f"Order {order.pharmacy_order_id or order.id or ''} placed".replace("  ", " "),
            order.created_at, "; ".join(p for p in (status, order.pharmacy_name or "", items) if p), order.id,
            order.status)
        for position, log in enumerate(order.shipping_logs):
            words = label(Vocab.SHIPPING_STATUS, log.status) if log.status else ""
            add(EventKind.SHIPPING, f"Shipping: {words}" if words else "Shipping update", log.status_updated_at,
                "; ".join(p for p in (log.message or "", log.location or "") if p), order.id, log.status,
                index=position)
    for event in detail.calendar_events:
        provider = label(Vocab.MEETING_PROVIDER, event.meeting_provider) if event.meeting_provider else ""
        add(EventKind.CALENDAR, f"Appointment{' with ' + event.provider_name if event.provider_name else ''}",
            event.start_date_time, provider, event.id, event.meeting_provider)
    for where, attachment in detail.all_attachments():
        add(EventKind.ATTACHMENT, f"Attachment uploaded: {attachment.file_name or attachment.id or ''}",
            attachment.created_at, f"{where}{_by(attachment.uploaded_by)}", attachment.id)
    for entry in detail.activity:
        change = ""
        if entry.value_before is not None or entry.value_after is not None:
            before = activity_value(entry.type, entry.value_before)
            after = activity_value(entry.type, entry.value_after)
            change = f"{_value(before)} → {_value(after)}"
        add(EventKind.ACTIVITY, label(Vocab.ACTIVITY_TYPE, entry.type) if entry.type else "Activity",
            entry.timestamp, change, entry.id, entry.type or "unknown")
    for product in detail.case_products:
        name = product.organization_product.name if product.organization_product else None
        add(EventKind.PRODUCT, f"Product added: {name or product.id or ''}", product.created_at, ref=product.id)
        for request in product.case_product_requests:
            words = label(Vocab.REQUEST_STATUS, request.status) if request.status else ""
            visit = label(Vocab.VISIT_TYPE, request.visit_type) if request.visit_type else ""
            add(EventKind.PRODUCT, "Product request" + (f": {words}" if words else ""), request.created_at,
                visit, request.id, request.status)
    for response in detail.responses:
        form = response.form.name if response.form and response.form.name else "Form"
        # A response carries no date of its own in the document: it was submitted when its last
        # answer was given (a ``submittedAt``/``createdAt`` the service adds wins).
        extra = response.extra_fields or {}
        own = next((extra[k] for k in ("submittedAt", "createdAt") if isinstance(extra.get(k), str)), None)
        raw = own or _newest_raw([a.created_at for a in response.responses])
        answers = len(response.responses)
        state = "Draft saved" if response.is_draft else "Form submitted"
        add(EventKind.FORM, f"{state}: {form}", raw, f"{answers} answer{'s' if answers != 1 else ''}", response.id)
    return events


def _by_text(who: str | None) -> str:
    return f" by {who}" if who else ""


#: The part of ``core.changes`` whose items a timeline event belongs to. The case's own milestones
#: and products are not fingerprinted (a status change is marked in the page's header instead).
_CHANGE_PARTS = {
    EventKind.DECISION: Part.DECISIONS, EventKind.COMMENT: Part.COMMENTS, EventKind.NOTE: Part.NOTES,
    EventKind.PAYMENT: Part.PAYMENTS, EventKind.ORDER: Part.ORDERS, EventKind.SHIPPING: Part.SHIPPING_LOGS,
    EventKind.CALENDAR: Part.CALENDAR, EventKind.ATTACHMENT: Part.ATTACHMENTS, EventKind.ACTIVITY: Part.ACTIVITY,
    EventKind.FORM: Part.RESPONSES,
}


def event_mark(event: TimelineEvent, changes: CaseChanges) -> Mark:
    """Whether ``event``'s item is new or changed since the reviewer last looked (``core.changes``)."""
    part = _CHANGE_PARTS.get(event.kind)
    if part is None or not event.ref_id or not changes.any:
        return Mark.NONE
    item = event.ref_id
    if part is Part.SHIPPING_LOGS:
        if event.ref_index is None:
            return Mark.NONE
        item = shipping_log_id(event.ref_id, event.ref_index)
    return changes.item_marks(part, item)[0]


def build_timeline(detail: CaseDetail) -> list[TimelineEvent]:
    """Every dated event of the case, oldest first; undated or unreadable ones last."""
    events = _collect(detail)
    dated: list[tuple[float, int, TimelineEvent]] = []
    undated: list[TimelineEvent] = []
    for position, event in enumerate(events):
        key = moment_key(event.when)
        if key is None:
            undated.append(event if event.when is None else dataclasses.replace(event, when=None))
        else:
            dated.append((key, position, event))
    dated.sort(key=lambda item: (item[0], item[1]))
    return [event for _, _, event in dated] + undated


__all__ = ["EventKind", "TimelineEvent", "build_timeline", "event_mark", "moment_key"]
