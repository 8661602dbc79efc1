"""The case dossier as a plain structure: what goes into the PDF, in which order (no Qt).

``build_dossier`` turns a ``CaseDetail`` (and the list record, when known) into a ``Dossier``: a
cover with the at-a-glance summary, the timeline (``core.timeline``), one ``Section`` per part of
the case, and an attachment index. Values that need display formatting (timestamps, money, codes,
yes/no) are typed cells (``Stamp``, ``Money``, ``Code``, ``Flag``, ``Size``, ``Free``) so the
renderer words them exactly as the window does; every other string is service text, which the
renderer escapes and never interprets as markup.

The structure itself is ``dossier_model.py``; the attachments' bytes and what each becomes are
``dossier_attachments.py`` (``load_attachments``). This module gives both to its callers, so
``dossier_content`` is the one import for an export.

The reviewer's flag and private note (``core.reviewer_state``, kept in the encrypted cache) go
in as ``ReviewerAnnotations`` (``reviewer_annotations`` reads them): the dossier then gets a
"Reviewer's note and flag" section; a case with neither, or no reviewer state, has none.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from caseviewer.core.export.dossier_attachments import (  # re-exported: the one import for an export
    MAX_ATTACHMENT_BYTES, TEXT_INLINE_LIMIT, classify, fetch_attachment, load_attachments, pdf_page_count,
)
from caseviewer.core.export.dossier_model import (  # re-exported: the one import for an export
    AttachmentEntry, AttachmentUse, Block, Cell, Code, Dossier, Entry, Fields, Flag, Free, Line, Money, Note,
    ReviewerAnnotations, SECTION_TITLES, Section, SectionKey, Size, Stamp, Table, Text,
)
from caseviewer.core.glance import PART_LABELS, age_on, build_glance, clinician_text, name_of as _name
from caseviewer.core.models import CaseDetail, CaseRecord, ThreadKind
from caseviewer.core.reviewer_state import ReviewerState
from caseviewer.core.timeline import build_timeline
from caseviewer.core.vocabulary import Vocab, activity_value, answer_text, payment_currency


def reviewer_annotations(state: ReviewerState | None, case_id: str | None) -> ReviewerAnnotations | None:
    """The reviewer's flag and private note on ``case_id`` for its dossier (None when there is
    neither, or no reviewer state: no cache). Reads the cache: call it on a worker."""
    if state is None or not case_id:
        return None
    flag, note = state.annotation(case_id)
    if flag is None and not note:
        return None
    return ReviewerAnnotations(note=note or None, flag=f"{flag.label} ({flag.value})" if flag is not None else None)


# -- the summary ------------------------------------------------------------------------------------


def _summary(detail: CaseDetail, record: CaseRecord | None, today: date) -> Section:
    """The cover: ``core.glance``'s summary (the window's At a glance) as label/value rows."""
    g = build_glance(detail, record, today)
    patient = Fields([
        ("Patient", g.patient),
        ("Age", f"{g.age} (born {g.dob})" if g.age is not None else g.dob),
        ("State", g.state),
        ("Preferred language", Code(g.language, Vocab.LANGUAGE) if g.language else None),
        ("Email", detail.submitter.email if detail.submitter else None),
    ])
    request = Fields([
        ("Request", g.title),
        ("Case type", Code(g.case_type, Vocab.CASE_TYPE)),
        ("Product bundle", g.bundle),
        ("Products", ", ".join(g.products) or None),
        ("Visit type", Code(g.visit_type, Vocab.VISIT_TYPE) if g.visit_type else None),
    ])
    decision = g.decision
    current = Fields([
        ("Current decision", decision.outcome if decision else "No decision yet"),
        ("Clinician", g.clinician if decision else None),
        ("Decided", Stamp(decision.created_at) if decision else None),
        ("Medications", "; ".join(g.medications) or None if decision else None),
    ])
    statuses = Fields([
        ("Review status (case list)", g.review_status),
        ("Case status (detail service)", Line((Code(g.case_status, Vocab.CASE_STATUS), "archived" if g.archived else None))),
        ("Assignees", ", ".join(g.assignees) or None),
    ])
    pay, ship = g.payment, g.shipping
    money = Fields([
        ("Payment", Line((Code(pay.status, Vocab.PAYMENT_STATUS), pay.description)) if pay else "No payments"),
        ("Payment amount", Money(pay.amount, pay.currency) if pay else None),
        ("Shipping", Line((Code(ship.order_status, Vocab.ORDER_STATUS),
                           Code(ship.log_status, Vocab.SHIPPING_STATUS) if ship.log_status else None,
                           ship.log_message)) if ship else "No orders"),
        ("Tracking", ship.tracking if ship else None),
        ("Flags", ", ".join(g.flags) or "None"),
    ])
    counts = Fields([(PART_LABELS[part], str(n)) for part, n in g.counts])
    return Section(SectionKey.SUMMARY, [patient, request, current, statuses, money, counts])


# -- the sections -----------------------------------------------------------------------------------


def _case_record(detail: CaseDetail) -> Section:
    assignees = ", ".join(_name(a.assignee) for a in detail.assignees if a.assignee)
    return Section(SectionKey.CASE, [Fields([
        ("Title", detail.title),
        ("Case ID", detail.id),
        ("Short ID", detail.short_id),
        ("Status", Code(detail.status, Vocab.CASE_STATUS)),
        ("Archived", Flag(detail.is_archived)),
        ("Escalated", Flag(detail.is_escalated)),
        ("Created", Stamp(detail.created_at)),
        ("Updated", Stamp(detail.updated_at)),
        ("Assigned to", _name(detail.assigned_to) or None),
        ("Assigned by", _name(detail.assigned_by) or None),
        ("Assignees", assignees or None),
        ("HR representative", _name(detail.hr_rep) or None),
        ("Referral code", detail.referral_code),
        ("Archive reason", Code(detail.archive_reason, Vocab.ARCHIVE_REASON) if detail.archive_reason else None),
        ("Archive note", detail.archive_note),
    ])])


def _decisions(detail: CaseDetail) -> Section:
    blocks: list[Block] = []
    for decision in detail.decisions:
        entry = Entry([decision.outcome, clinician_text(decision.added_by) or None, Stamp(decision.created_at)])
        entry.blocks.append(Fields([
            ("Visit type", Code(decision.visit_type, Vocab.VISIT_TYPE)),
            ("Category", Code(decision.category, Vocab.DECISION_CATEGORY)),
            ("Period", f"{decision.start_date or '—'} – {decision.end_date or '—'}"),
            ("Paid", Flag(decision.is_paid)),
            ("NPI", decision.added_by.npi if decision.added_by else None),
        ]))
        if decision.decision_text:
            entry.blocks.append(Text(decision.decision_text))
        if decision.med_info:
            entry.blocks.append(Table(
                ("Medication", "Dosage", "Frequency", "Period", "Refill", "Refills", "Prior auth", "Instructions"),
                [(m.medicine, m.dosage, m.dosing_frequency, m.treatment_period, Flag(m.is_refill),
                  str(m.refill_count) if m.refill_count is not None else None, Flag(m.is_prior_auth_requested),
                  " ".join(p for p in (m.pharmacy_instructions or "", m.order_note or "") if p) or None)
                 for m in decision.med_info],
            ))
        blocks.append(entry)
    return Section(SectionKey.DECISIONS, blocks or [Note("No decisions.")])


def _thread(key: SectionKey, detail: CaseDetail, kind: ThreadKind) -> Section:
    blocks: list[Block] = []
    for comment in detail.thread(kind):
        marks = (kind.label,) + (("Restricted",) if comment.is_restricted else ())
        entry = Entry([_name(comment.author) or None, Stamp(comment.created_at)], marks)
        entry.blocks.append(Text(comment.text or ""))
        if comment.attachments:
            entry.blocks.append(Note("Attachments: " + ", ".join(a.file_name or a.id or "?" for a in comment.attachments)))
        blocks.append(entry)
    empty = f"No {kind.heading.lower()}."
    return Section(key, blocks or [Note(empty)])


def _payments(detail: CaseDetail) -> Section:
    blocks: list[Block] = []
    for payment in detail.payments:
        currency = payment_currency(payment)
        entry = Entry([payment.description or "Payment", Money(payment.amount, currency), Code(payment.status, Vocab.PAYMENT_STATUS)],
                      ("Deleted",) if payment.is_deleted else ())
        entry.blocks.append(Fields([
            ("Created", Stamp(payment.created_at)),
            ("Due", Stamp(payment.due_date)),
            ("Paid on", Stamp(payment.payment_date)),
            ("Cancelled on", Stamp(payment.cancellation_date)),
            ("Scheduled", Flag(payment.is_scheduled)),
            ("Created by", _name(payment.created_by) or None),
        ]))
        fees = payment.fees
        if fees is not None:
            fee_rows: list[tuple[Cell, ...]] = [
                (label, Money(getattr(fees, attr), currency)) for attr, label in fees.NAMED_FEES if getattr(fees, attr) is not None
            ]
            fee_rows += [(sub.label or "Other fee", Money(sub.amount, currency)) for sub in fees.sub_fees]
            if fee_rows:
                entry.blocks.append(Table(("Fee", "Amount"), fee_rows))
        blocks.append(entry)
    return Section(SectionKey.PAYMENTS, blocks or [Note("No payments.")])


def _orders(detail: CaseDetail) -> Section:
    blocks: list[Block] = []
    for order in detail.orders:
        entry = Entry([f"Order {order.pharmacy_order_id or order.id or ''}".strip(), Code(order.status, Vocab.ORDER_STATUS), Stamp(order.created_at)])
        entry.blocks.append(Fields([
            ("Pharmacy", order.pharmacy_name),
            ("Carrier", order.carrier_name),
            ("Tracking", order.tracking_id),
            ("Estimated delivery", Stamp(order.est_delivery_at)),
            ("Message", order.message),
            ("Replacement reason", order.replacement_reason),
        ]))
        if order.items:
            entry.blocks.append(Table(("Item", "Quantity"), [(i.name, i.quantity) for i in order.items]))
        if order.shipping_logs:
            entry.blocks.append(Table(
                ("Shipping log", "Status", "Location", "Message"),
                [(Stamp(log.status_updated_at), Code(log.status, Vocab.SHIPPING_STATUS), log.location, log.message) for log in order.shipping_logs],
            ))
        blocks.append(entry)
    return Section(SectionKey.ORDERS, blocks or [Note("No orders.")])


def _calendar(detail: CaseDetail) -> Section:
    if not detail.calendar_events:
        return Section(SectionKey.CALENDAR, [Note("No appointments.")])
    return Section(SectionKey.CALENDAR, [Table(
        ("Start", "End", "Time zone", "Provider", "Meeting"),
        [(Stamp(e.start_date_time), Stamp(e.end_date_time), e.timezone, e.provider_name,
          Line((Code(e.meeting_provider, Vocab.MEETING_PROVIDER) if e.meeting_provider else None, e.meeting_link)))
         for e in detail.calendar_events],
    )])


def _activity(detail: CaseDetail) -> Section:
    if not detail.activity:
        return Section(SectionKey.ACTIVITY, [Note("No activity.")])
    return Section(SectionKey.ACTIVITY, [Table(
        ("When", "Type", "Before", "After"),
        [(Stamp(a.timestamp), Code(a.type, Vocab.ACTIVITY_TYPE), Free(activity_value(a.type, a.value_before)),
          Free(activity_value(a.type, a.value_after))) for a in detail.activity],
    )])


def _forms(detail: CaseDetail) -> Section:
    blocks: list[Block] = []
    for response in detail.responses:
        name = response.form.name if response.form and response.form.name else "Form"
        entry = Entry([name], ("Draft",) if response.is_draft else ())
        entry.blocks.append(Table(
            ("Answer", "Question", "Kind", "Answered"),
            [(answer_text(a.question.type if a.question else None, a.text), a.question.text if a.question else None,
              Code(a.question.type, Vocab.QUESTION_TYPE) if a.question and a.question.type else None,
              Stamp(a.created_at)) for a in response.responses],
        ) if response.responses else Note("No answers."))
        blocks.append(entry)
    return Section(SectionKey.FORMS, blocks or [Note("No form answers.")])


def _products(detail: CaseDetail) -> Section:
    blocks: list[Block] = []
    for product in detail.case_products:
        name = product.organization_product.name if product.organization_product else None
        entry = Entry([name or product.id or "Product", Stamp(product.created_at)])
        sub = product.subscription
        interval = None
        if sub is not None and (sub.interval or sub.interval_count is not None):
            interval = f"every {sub.interval_count or 1} {sub.interval or 'period'}"
        entry.blocks.append(Fields([("Subscription", interval or "No subscription")]))
        if product.case_product_requests:
            entry.blocks.append(Table(
                ("Request", "Status", "Visit type", "Created"),
                [(r.id, Code(r.status, Vocab.REQUEST_STATUS), Code(r.visit_type, Vocab.VISIT_TYPE), Stamp(r.created_at)) for r in product.case_product_requests],
            ))
        blocks.append(entry)
    return Section(SectionKey.PRODUCTS, blocks or [Note("No products.")])


def _reviewer(annotations: ReviewerAnnotations) -> Section:
    return Section(SectionKey.REVIEWER, [
        Fields([("Flag", annotations.flag or "Not flagged")]),
        Text(annotations.note) if annotations.note else Note("No private note."),
    ])


def build_dossier(
    detail: CaseDetail,
    record: CaseRecord | None = None,
    *,
    reviewer: ReviewerAnnotations | None = None,
    exported_by: str = "",
    exported_at: datetime | None = None,
    source_note: str = "",
) -> Dossier:
    """The dossier of one case. ``reviewer`` adds the reviewer's private note and flag section."""
    when = exported_at or datetime.now(timezone.utc)
    sections = [
        _case_record(detail),
        _decisions(detail),
        _thread(SectionKey.COMMENTS, detail, ThreadKind.PUBLIC_COMMENT),
        _thread(SectionKey.NOTES, detail, ThreadKind.INTERNAL_NOTE),
        _payments(detail),
        _orders(detail),
        _calendar(detail),
        _activity(detail),
        _forms(detail),
        _products(detail),
    ]
    if reviewer is not None:
        sections.append(_reviewer(reviewer))
    attachments = [AttachmentEntry(n, where, a, size=a.encoded_size) for n, (where, a) in enumerate(detail.all_attachments(), 1)]
    sections.append(Section(SectionKey.ATTACHMENTS, []))  # the renderer fills it from ``attachments``
    return Dossier(
        case_id=detail.id or "",
        short_id=detail.short_id or "",
        title=detail.title or "Untitled case",
        exported_by=exported_by,
        exported_at=when,
        cover=_summary(detail, record, when.astimezone().date()),
        timeline=build_timeline(detail),
        sections=sections,
        attachments=attachments,
        source_note=source_note,
    )


__all__ = [
    "AttachmentEntry",
    "AttachmentUse",
    "Block",
    "Cell",
    "Code",
    "Dossier",
    "Entry",
    "Fields",
    "Flag",
    "Free",
    "Line",
    "Money",
    "Note",
    "ReviewerAnnotations",
    "SECTION_TITLES",
    "Section",
    "SectionKey",
    "Size",
    "Stamp",
    "Table",
    "Text",
    "MAX_ATTACHMENT_BYTES",
    "TEXT_INLINE_LIMIT",
    "classify",
    "fetch_attachment",
    "load_attachments",
    "pdf_page_count",
    "age_on",
    "build_dossier",
    "clinician_text",
    "reviewer_annotations",
]
