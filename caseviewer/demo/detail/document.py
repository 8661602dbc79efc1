"""Builds one synthetic CareValidate ``caseDetail`` document from ``(seed, index)``.

The shape follows the detail service document field by field, with the variety real responses
show: nulls where the document says "or null", amounts as strings ("49.00"), the odd unknown
field, and a case closed but not archived (the app must read ``isArchived``, not ``closedAt``).
Attachments are returned as ``(id, FileSpec, file name)`` beside the document; their ``content``
or ``url`` is added per request by ``DemoData.detail``.

This module holds the case's own fields (submitter, activity, calendar events) and puts the
sections together; the sections are ``clinical``, ``commerce`` and ``threads``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from caseviewer.demo import words
from caseviewer.demo.detail import clinical, commerce, threads
from caseviewer.demo.detail.codes import ACTIVITY_TYPES, CASE_STATUSES, CLOSED, HOSTILE_TEXT
from caseviewer.demo.detail.context import CaseContext
from caseviewer.demo.files import FileSpec

if TYPE_CHECKING:
    from caseviewer.demo.data import DemoData


@dataclass


class Built:
    doc: dict[str, Any]
    files: list[tuple[str, FileSpec, str]] = field(default_factory=list)


def build(data: DemoData, index: int) -> Built:
    """The detail document for case ``index`` and the files its attachments point at."""
    case = CaseContext(data, index)
    if case.sparse:
        return Built(doc=sparse_document(case))
    doc = full_document(case)
    return Built(doc=doc, files=case.files)


def submitter(case: CaseContext) -> dict[str, Any]:
    first, last = case.data.person(case.index)
    city, state, zip3 = case.rng.choice(words.CITIES)
    sub = {
        "id": case.uid("user"),
        "firstName": first,
        "lastName": last,
        "email": case.data.email(case.index),
        "dob": case.maybe(f"{case.rng.randint(1950, 2004)}-0{case.rng.randint(1, 9)}-1"
                          f"{case.rng.randint(0, 9)}"),
        "gender": case.maybe(case.rng.choice(("female", "male", "non-binary")), 0.2),
        "phoneNumber": case.maybe(f"+1555{case.rng.randint(1000000, 9999999)}"),
        "address": f"{case.rng.randint(10, 9999)} {case.rng.choice(words.STREETS)}",
        "address2": case.maybe(f"Apt {case.rng.randint(1, 40)}", 0.6),
        "city": city,
        "state": state,
        "postalCode": f"{zip3}{case.rng.randint(10, 99)}",
    }
    if case.rich or case.index % 5 == 4:
        sub["preferredLanguage"] = "en"  # an unknown field, as real responses have
    return sub


def activity(case: CaseContext) -> list[dict[str, Any]]:
    n = 200 if case.huge else case.count(1, 6)
    items = []
    for k in range(n):
        kind = "CREATE_CASE" if k == 0 else case.rng.choice(ACTIVITY_TYPES)
        before = after = None
        if kind == "UPDATE_STATUS":
            before, after = "OPEN", case.rng.choice(CASE_STATUSES[1:])
        items.append({
            "id": case.uid("activity"),
            "type": kind,
            "isPHI": False,
            "isRestricted": kind == "ADD_NOTE",
            "timestamp": case.ts(k * 0.5),
            "valueBefore": before,
            "valueAfter": after,
        })
    return items


def calendar_events(case: CaseContext) -> list[dict[str, Any]]:
    out = []
    for k in range(case.count(0, 2)):
        first = case.rng.choice(words.FIRST_NAMES)
        last = case.rng.choice(words.LAST_NAMES)
        event_id = case.uid("event")
        out.append({
            "id": event_id,
            "startDateTime": case.ts(24 * (3 + k)),
            "endDateTime": case.ts(24 * (3 + k) + 0.5),
            "timezone": case.rng.choice(("America/New_York", "America/Chicago", "UTC")),
            "meetingLink": f"https://meet.example.test/{event_id[:8]}",
            "meetingProvider": case.rng.choice(("ZOOM", "GOOGLE_MEET")),
            "cancelURL": f"https://calendar.example.test/cancel/{event_id[:8]}",
            "rescheduleURL": f"https://calendar.example.test/reschedule/{event_id[:8]}",
            "providerName": f"Dr. {first} {last}",
            "providerEmail": f"{first.lower()}.{last.lower()}@clinicians.example.org",
        })
    return out


def sparse_document(case: CaseContext) -> dict[str, Any]:
    """The sparse case: what the document requires and nothing more (nulls, empty lists)."""
    first, last = case.data.person(case.index)
    sparse_submitter = {"id": case.uid("user"), "firstName": first, "lastName": last,
                        "email": case.data.email(case.index), "dob": None, "gender": None,
                        "phoneNumber": None, "address": "", "address2": None, "city": "", "state": "",
                        "postalCode": ""}
    nulls = ("assignedAt", "inProgressAt", "closedAt", "referralCode", "closedBy", "inProgressBy",
             "archiveReason", "archiveNote", "productBundleId", "productBundle", "assignedTo",
             "hrRep", "assignedBy")
    empty = ("assignees", "decisions", "caseProducts", "comments", "notes", "payments", "attachments",
             "calendarEvents", "orders", "responses")
    return {
        "id": case.data.case_id(case.index), "type": "INTAKE", "title": "", "status": "OPEN",
        "shortId": f"CV-{case.index:06d}", "createdAt": case.ts(0), "updatedAt": case.ts(0),
        "isArchived": False, "isEscalated": False, "isImported": False,
        **dict.fromkeys(nulls), **{key: [] for key in empty},
        "submitter": sparse_submitter,
        "activity": [{"id": case.uid("activity"), "type": "CREATE_CASE", "isPHI": False,
                      "isRestricted": False, "timestamp": case.ts(0), "valueBefore": None,
                      "valueAfter": None}],
    }


def full_document(case: CaseContext) -> dict[str, Any]:
    """Every section, with the variety real responses show."""
    status = "IN_PROGRESS" if case.rich else case.rng.choice(CASE_STATUSES)
    closed = status in CLOSED
    # Some closed cases stay unarchived, and the odd open case is archived: the app must go
    # by isArchived, as the real service's clients do.
    archived = (closed and case.rng.random() < 0.8) or (not closed and case.rng.random() < 0.05)
    assigned = status != "OPEN"
    closer = case.uid("user")
    starter = case.uid("user")
    product_bundle_id = case.uid("bundle")
    doc: dict[str, Any] = {
        "id": case.data.case_id(case.index),
        "type": case.rng.choice(("INTAKE", "REFILL", "FOLLOW_UP")),
        "title": HOSTILE_TEXT if case.hostile else
        f"{case.rng.choice(words.PRODUCTS)} - {case.data.person(case.index)[1]}",
        "status": status,
        "shortId": f"CV-{case.index:06d}",
        "createdAt": case.ts(0),
        "updatedAt": case.ts(48),
        "assignedAt": case.ts(1) if assigned else None,
        "inProgressAt": case.ts(2) if status not in ("OPEN", "ASSIGNED") else None,
        "closedAt": case.ts(40) if closed else None,
        "isArchived": archived,
        "isEscalated": case.rng.random() < 0.1,
        "isImported": case.rng.random() < 0.05,
        "referralCode": case.maybe(f"REF{case.rng.randint(1000, 9999)}", 0.8),
        "closedBy": closer if closed else None,
        "inProgressBy": starter if status not in ("OPEN", "ASSIGNED") else None,
        "archiveReason": case.rng.choice(("DUPLICATE", "COMPLETED", "PATIENT_REQUEST"))
        if archived else None,
        "archiveNote": "Archived by synthetic workflow." if archived else None,
        "productBundleId": product_bundle_id,
        "productBundle": {"id": product_bundle_id, "name": case.rng.choice(words.PRODUCTS)},
        "assignedTo": case.basic_user() if assigned or case.rich else None,
        "hrRep": case.basic_user() if case.rng.random() < 0.5 or case.rich else None,
        "assignedBy": case.basic_user() if assigned or case.rich else None,
        "assignees": [{"assignee": case.basic_user()} for _ in range(case.count(0, 2))],
        "submitter": submitter(case),
        "activity": activity(case),
        "decisions": clinical.decisions(case),
        "caseProducts": commerce.case_products(case),
        "comments": [threads.comment(case, False, k) for k in range(
            1 if case.huge or case.hostile else case.count(0, 3))],
        "notes": [threads.comment(case, True, k) for k in range(
            1 if case.hostile else case.count(0, 2))],
        "payments": commerce.payments(case),
        "attachments": threads.top_attachments(case),
        "calendarEvents": calendar_events(case),
        "orders": commerce.orders(case),
        "responses": clinical.responses(case),
    }
    if case.hostile:
        doc["comments"][0]["attachments"] = [
            case.attachment("txt", "..\\..\\windows\\system32\\evil.txt")]
    if case.rich or case.index % 7 == 5:
        doc["organizationId"] = case.uid("org")  # unknown top-level field
    return doc
