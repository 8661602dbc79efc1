"""The dossier content built from a case: the cover summary, the sections, the attachment index
and what is done with each attachment (no Qt)."""

from __future__ import annotations

import base64
from datetime import date, datetime, timezone

from caseviewer.core.api import CaseApi
from caseviewer.core.export.dossier_content import (
    AttachmentUse,
    Code,
    Entry,
    Fields,
    Line,
    Money,
    ReviewerAnnotations,
    SECTION_TITLES,
    SectionKey,
    Text,
    age_on,
    build_dossier,
    load_attachments,
)
from caseviewer.core.models import CaseDetail, CaseRecord
from caseviewer.core.vocabulary import Vocab
from caseviewer.core.repository import CaseRepository
from caseviewer.demo.data import DemoData


def rich() -> CaseDetail:
    data = DemoData(cases=5)
    return CaseDetail.from_raw(data.detail(data.case_id(0)))


def fields(section, index) -> dict:
    block = section.blocks[index]
    assert isinstance(block, Fields)
    return dict(block.rows)


def test_age_from_date_of_birth():
    assert age_on("1952-08-11", date(2026, 8, 10)) == 73
    assert age_on("1952-08-11", date(2026, 8, 11)) == 74
    assert age_on("not a date", date(2026, 1, 1)) is None
    assert age_on("2999-01-01", date(2026, 1, 1)) is None


def test_cover_summary_of_the_rich_case():
    record = CaseRecord.model_validate({"id": "x", "status": {"id": 4, "code": "UNDER_MANUAL_REVIEW", "label": "UNDER MANUAL REVIEW"}})
    dossier = build_dossier(rich(), record, exported_by="reviewer", exported_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    cover = dossier.cover
    patient = fields(cover, 0)
    assert patient["Patient"] == "Eden Valemont"
    assert patient["Age"] == "73 (born 1952-08-11)"
    assert patient["State"] == "WY"
    decision = fields(cover, 2)
    assert decision["Current decision"] == "Rejected"
    assert decision["Clinician"] == "Dr. Reese Zephyr, DO"
    assert "Fictivir 100 mg" in decision["Medications"]
    statuses = fields(cover, 3)
    assert statuses["Review status (case list)"] == "Under manual review"  # worded from the code, as the table words it
    assert statuses["Case status (detail service)"] == Line((Code("IN_PROGRESS", Vocab.CASE_STATUS), None))
    money = fields(cover, 4)
    assert money["Payment"] == Line((Code("REFUNDED", Vocab.PAYMENT_STATUS), "Initial consult"))
    assert money["Payment amount"] == Money(money["Payment amount"].raw, "USD")
    counts = fields(cover, 5)
    assert counts["Attachments"] == "8" and counts["Internal notes"] == "1"


def test_without_the_list_record_the_review_status_says_it_is_unknown():
    statuses = fields(build_dossier(rich()).cover, 3)
    assert "Not known" in statuses["Review status (case list)"]


def test_every_section_in_order_and_notes_marked_internal():
    dossier = build_dossier(rich())
    assert [s.key for s in dossier.sections] == [
        SectionKey.CASE, SectionKey.DECISIONS, SectionKey.COMMENTS, SectionKey.NOTES, SectionKey.PAYMENTS,
        SectionKey.ORDERS, SectionKey.CALENDAR, SectionKey.ACTIVITY, SectionKey.FORMS, SectionKey.PRODUCTS,
        SectionKey.ATTACHMENTS,
    ]
    notes = next(s for s in dossier.sections if s.key is SectionKey.NOTES)
    comments = next(s for s in dossier.sections if s.key is SectionKey.COMMENTS)
    assert all(isinstance(b, Entry) and "Internal note" in b.marks for b in notes.blocks)
    assert all(isinstance(b, Entry) and "Internal note" not in b.marks for b in comments.blocks)
    assert isinstance(comments.blocks[0].blocks[0], Text)
    assert len(dossier.attachments) == 8 and [a.number for a in dossier.attachments] == list(range(1, 9))
    assert dossier.timeline, "the timeline is part of the dossier"


def test_reviewer_note_and_flag_appear_only_when_given():
    assert SectionKey.REVIEWER not in [s.key for s in build_dossier(rich()).sections]
    with_note = build_dossier(rich(), reviewer=ReviewerAnnotations(note="Check the dose", flag="Follow up"))
    section = next(s for s in with_note.sections if s.key is SectionKey.REVIEWER)
    assert section.title == SECTION_TITLES[SectionKey.REVIEWER]
    assert dict(section.blocks[0].rows)["Flag"] == "Follow up"
    assert section.blocks[1].text == "Check the dose"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def hostile_attachments_case() -> CaseDetail:
    return CaseDetail.from_raw({
        "id": "case-damaged",
        "shortId": "CV-DMG",
        "attachments": [
            {"id": "1", "fileName": "broken.pdf", "content": _b64(b"%PDF-1.4\nthis is not a real pdf at all\n")},
            {"id": "2", "fileName": "bad.txt", "content": "@@@not base64@@@"},
            {"id": "3", "fileName": "tool.bin", "content": _b64(bytes(range(256)) * 4)},
            {"id": "4", "fileName": "notes.txt", "content": _b64("<b>plain</b> text\n".encode())},
            {"id": "5", "fileName": "gone.png", "isDeleted": True, "content": ""},
            {"id": "6", "fileName": "far.pdf", "url": "https://files.example.invalid/x"},
        ],
    })


def test_damaged_and_unsupported_attachments_are_listed_with_their_reason():
    dossier = build_dossier(hostile_attachments_case())
    repository = CaseRepository(CaseApi())  # no service: base64 is decoded locally; URLs cannot be fetched
    load_attachments(dossier, repository.download_attachment)
    uses = {e.name: (e.use, e.reason) for e in dossier.attachments}
    assert uses["broken.pdf"][0] is AttachmentUse.DAMAGED and "PDF is damaged" in uses["broken.pdf"][1]
    assert uses["bad.txt"][0] is AttachmentUse.DAMAGED and "base64" in uses["bad.txt"][1]
    assert uses["tool.bin"][0] is AttachmentUse.UNSUPPORTED and uses["tool.bin"][1]
    assert uses["notes.txt"][0] is AttachmentUse.TEXT
    assert uses["gone.png"] == (AttachmentUse.UNAVAILABLE, "deleted on the service")
    assert uses["far.pdf"][0] is AttachmentUse.UNAVAILABLE and uses["far.pdf"][1]
