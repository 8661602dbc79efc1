"""Builds one synthetic CareValidate ``caseDetail`` document from ``(seed, index)``.

The shape follows the detail service document field by field, with the variety real responses
show: nulls where the document says "or null", amounts as strings ("49.00"), the odd unknown
field, and a case closed but not archived (the app must read ``isArchived``, not ``closedAt``).
Attachments are returned as ``(id, FileSpec, file name)`` beside the document; their ``content``
or ``url`` is added per request by ``DemoData.detail``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from caseviewer.demo import words
from caseviewer.demo.files import FileSpec
from caseviewer.demo.ids import iso_ms, make_uuid

if TYPE_CHECKING:
    from caseviewer.demo.data import DemoData

CASE_STATUSES = ("OPEN", "ASSIGNED", "IN_PROGRESS", "APPROVED", "REJECTED", "NO_DECISION",
                 "ABANDONED")
CLOSED = {"APPROVED", "REJECTED", "NO_DECISION", "ABANDONED"}
VISIT_TYPES = ("NO_SHOW", "ASYNC_TEXT_EMAIL", "SYNC_VIDEO", "SYNC_PHONE", "ORDER_FORM")
ACTIVITY_TYPES = ("CREATE_CASE", "ASSIGN_CASE", "UPDATE_STATUS", "ADD_COMMENT", "ADD_NOTE",
                  "UPLOAD_ATTACHMENT", "ADD_DECISION", "CREATE_PAYMENT")
EXTENSIONS = {"png": "png", "jpeg": "jpg", "pdf": "pdf", "txt": "txt", "csv": "csv",
              "json": "json"}
ALL_KINDS = ("png", "jpeg", "pdf", "txt", "csv", "json")

HOSTILE_FILE_NAMES = (
    ("../../etc/passwd", "txt"),
    ("CON.txt", "txt"),
    ("a\x07b.txt", "txt"),
    ("reports/2024\\final..\\scan.png", "png"),
    ("invoice\u202egnp.exe", "png"),  # right-to-left override: displays as "invoiceexe.png"
    ("\u062a\u0642\u0631\u064a\u0631 \u0637\u0628\u064a.pdf", "pdf"),  # Arabic "medical report"
    ("\U0001fa7a results \U0001f4c4.jpg", "jpeg"),
    ("  .hidden  ", "csv"),
)
HOSTILE_TEXT = "<b>bold</b><script>alert(1)</script> &amp; <img src=x onerror=alert(2)>"

ONE_MIB = 1024 * 1024


@dataclass
class Built:
    doc: dict[str, Any]
    files: list[tuple[str, FileSpec, str]] = field(default_factory=list)


class _Builder:
    def __init__(self, data: DemoData, index: int) -> None:
        self.data = data
        self.index = index
        self.rng = random.Random(f"detail:{data.seed}:{index}")
        self.created_ms = data.created_ms(index)
        self.counter = 0
        self.files: list[tuple[str, FileSpec, str]] = []
        self.rich = index == data.SPECIAL["rich"]
        self.hostile = index == data.SPECIAL["hostile"]
        self.huge = index == data.SPECIAL["huge"]
        self.sparse = index == data.SPECIAL["sparse"]

    # --- small helpers ---------------------------------------------------------------------------

    def uid(self, kind: str) -> str:
        self.counter += 1
        return make_uuid(kind, self.data.seed, self.index, self.counter)

    def ts(self, after_hours: float = 0.0) -> str:
        return iso_ms(self.created_ms + int(after_hours * 3600 * 1000))

    def date(self, after_days: int) -> str:
        return self.ts(after_days * 24)[:10]

    def maybe(self, value: Any, p_null: float = 0.3) -> Any:
        return None if self.rng.random() < p_null and not self.rich else value

    def basic_user(self) -> dict[str, Any]:
        return {
            "id": self.uid("user"),
            "firstName": self.rng.choice(words.FIRST_NAMES),
            "lastName": self.rng.choice(words.LAST_NAMES),
        }

    def count(self, low: int, high: int) -> int:
        """How many items a section gets; the rich case never gets an empty section."""
        return max(1 if self.rich else 0, self.rng.randint(low, high))

    def money(self, low: int, high: int) -> str:
        return f"{self.rng.randint(low, high)}.{self.rng.choice((0, 0, 50, 99)):02d}"

    def attachment(self, kind: str, name: str | None = None, *, restricted: bool = False,
                   size: int = 0) -> dict[str, Any]:
        att_id = self.uid("attachment")
        if name is None:
            stem = self.rng.choice(("scan", "lab-results", "id-card", "intake", "notes", "export"))
            name = f"{stem}-{self.counter}.{EXTENSIONS[kind]}"
        spec = FileSpec(kind=kind, seed=self.rng.randint(0, 9), size=size)
        self.files.append((att_id, spec, name))
        uploader = self.basic_user()
        return {
            "id": att_id,
            "isRestricted": restricted,
            "isPHI": self.rng.random() < 0.5,
            "fileName": name,
            "isDeleted": False,
            "createdAt": self.ts(self.rng.uniform(1, 72)),
            "uploadedBy": uploader,
        }

    # --- sections --------------------------------------------------------------------------------

    def submitter(self) -> dict[str, Any]:
        first, last = self.data.person(self.index)
        city, state, zip3 = self.rng.choice(words.CITIES)
        sub = {
            "id": self.uid("user"),
            "firstName": first,
            "lastName": last,
            "email": self.data.email(self.index),
            "dob": self.maybe(f"{self.rng.randint(1950, 2004)}-0{self.rng.randint(1, 9)}-1"
                              f"{self.rng.randint(0, 9)}"),
            "gender": self.maybe(self.rng.choice(("female", "male", "non-binary")), 0.2),
            "phoneNumber": self.maybe(f"+1555{self.rng.randint(1000000, 9999999)}"),
            "address": f"{self.rng.randint(10, 9999)} {self.rng.choice(words.STREETS)}",
            "address2": self.maybe(f"Apt {self.rng.randint(1, 40)}", 0.6),
            "city": city,
            "state": state,
            "postalCode": f"{zip3}{self.rng.randint(10, 99)}",
        }
        if self.rich or self.index % 5 == 4:
            sub["preferredLanguage"] = "en"  # an unknown field, as real responses have
        return sub

    def activity(self) -> list[dict[str, Any]]:
        n = 200 if self.huge else self.count(1, 6)
        items = []
        for k in range(n):
            kind = "CREATE_CASE" if k == 0 else self.rng.choice(ACTIVITY_TYPES)
            before = after = None
            if kind == "UPDATE_STATUS":
                before, after = "OPEN", self.rng.choice(CASE_STATUSES[1:])
            items.append({
                "id": self.uid("activity"),
                "type": kind,
                "isPHI": False,
                "isRestricted": kind == "ADD_NOTE",
                "timestamp": self.ts(k * 0.5),
                "valueBefore": before,
                "valueAfter": after,
            })
        return items

    def decisions(self) -> list[dict[str, Any]]:
        out = []
        for _ in range(self.count(0, 2)):
            approved = self.rng.random() < 0.7
            city, state, zip3 = self.rng.choice(words.CITIES)
            meds = []
            for _ in range(max(1, self.rng.randint(0, 2))):
                medicine, dosage = self.rng.choice(words.MEDICINES)
                meds.append({
                    "id": self.uid("med"),
                    "externalId": self.maybe(f"EXT-{self.rng.randint(10000, 99999)}", 0.7),
                    "medicine": medicine,
                    "isRefill": self.rng.random() < 0.3,
                    "dosage": dosage,
                    "refillCount": self.rng.randint(0, 5),
                    "pharmacyInstructions": "Take with food. Synthetic instructions.",
                    "dosingFrequency": self.rng.choice(("once daily", "twice daily", "weekly")),
                    "treatmentPeriod": self.rng.choice(("30 days", "90 days", "6 months")),
                    "isPriorAuthRequested": self.rng.random() < 0.2,
                    "orderNote": self.rng.choice(words.COMMENT_SENTENCES),
                })
            first = self.rng.choice(words.FIRST_NAMES)
            last = self.rng.choice(words.LAST_NAMES)
            decision = {
                "id": self.uid("decision"),
                "isApproved": approved,
                "isNoDecision": not approved and self.rng.random() < 0.3,
                "startDate": self.date(2),
                "endDate": self.date(180),
                "decisionText": HOSTILE_TEXT if self.hostile else
                ("Approved for treatment." if approved else "Not a candidate at this time."),
                "category": self.maybe(self.rng.choice(("CLINICAL", "ADMIN")), 0.6),
                "createdAt": self.ts(30),
                "isPaid": self.rng.random() < 0.5,
                "visitType": self.rng.choice(VISIT_TYPES),
                "productId": self.uid("product"),
                "medInfo": meds,
                "addedBy": {
                    "id": self.uid("user"),
                    "firstName": first,
                    "lastName": last,
                    "title": self.maybe("Dr.", 0.4),
                    "titleSuffix": self.maybe(self.rng.choice(("MD", "DO", "NP", "PA-C")), 0.4),
                    "email": f"{first.lower()}.{last.lower()}@clinicians.example.org",
                    "phoneNumber": self.maybe(f"+1555{self.rng.randint(1000000, 9999999)}"),
                    "npi": self.maybe(str(self.rng.randint(1000000000, 1999999999)), 0.2),
                    "dea": self.maybe(f"B{last[0]}{self.rng.randint(1000000, 9999999)}", 0.4),
                    "address": self.maybe(f"{self.rng.randint(1, 999)} Clinic Way"),
                    "address2": self.maybe("Suite 100", 0.7),
                    "city": self.maybe(city),
                    "state": self.maybe(state),
                    "postalCode": self.maybe(f"{zip3}{self.rng.randint(10, 99)}"),
                    "country": self.maybe("US", 0.2),
                },
            }
            if self.rich:
                decision["pharmacyNotes"] = "unknown field kept by the app"
            out.append(decision)
        return out

    def case_products(self) -> list[dict[str, Any]]:
        out = []
        for _ in range(self.count(0, 2)):
            pick = self.rng.randint(0, 2)
            subscription: dict[str, Any] | None
            if pick == 0 and not self.rich:
                subscription = None
            elif pick == 1:
                subscription = {"interval": None, "intervalCount": None}
            else:
                subscription = {"interval": self.rng.choice(("day", "week", "month", "year")),
                                "intervalCount": self.rng.randint(1, 3)}
            out.append({
                "id": self.uid("caseproduct"),
                "createdAt": self.ts(1),
                "organizationProduct": {"id": self.uid("orgproduct"),
                                        "name": self.rng.choice(words.PRODUCTS)},
                "subscription": subscription,
                "caseProductRequests": [{
                    "id": self.uid("cpr"),
                    "status": self.rng.choice(("PENDING", "APPROVED", "REJECTED")),
                    "formResponseId": self.uid("formresponse"),
                    "visitType": self.rng.choice(VISIT_TYPES),
                    "createdAt": self.ts(1),
                    "updatedAt": self.ts(5),
                }],
            })
        return out

    def comment(self, restricted: bool, k: int) -> dict[str, Any]:
        if self.hostile:
            text = HOSTILE_TEXT + "\n\u202eright-to-left\u202c \U0001f600 line two"
        elif self.huge and k == 0:
            sentence = " ".join(words.COMMENT_SENTENCES) + "\n"
            text = (sentence * (ONE_MIB // len(sentence) + 1))[:ONE_MIB]
        else:
            text = " ".join(self.rng.sample(words.COMMENT_SENTENCES, self.rng.randint(1, 3)))
        attachments = []
        if self.rich:
            attachments = [self.attachment("png" if not restricted else "pdf",
                                           restricted=restricted)]
        elif not self.hostile and self.rng.random() < 0.25:
            attachments = [self.attachment(self.rng.choice(ALL_KINDS), restricted=restricted)]
        return {
            "id": self.uid("comment"),
            "text": text,
            "isRestricted": restricted,
            "forms": [],
            "createdAt": self.ts(2 + k),
            "author": self.basic_user(),
            "attachments": attachments,
        }

    def payments(self) -> list[dict[str, Any]]:
        out = []
        for k in range(self.count(0, 3)):
            status = self.rng.choice(("PAID", "PENDING", "FAILED", "CANCELLED", "REFUNDED"))
            fees = {
                "consultFee": self.money(20, 80),
                "convenienceFee": self.money(0, 5),
                "paymentProcessingFee": self.money(1, 4),
                "pharmacyFee": self.money(10, 120),
                "shippingFee": self.money(0, 15),
                "syringeKitFee": "0.00",
                "techPlatformFee": self.money(1, 9),
                "subFees": [{"label": "Lab panel", "amount": self.money(10, 40)}]
                if self.rng.random() < 0.5 or self.rich else [],
            }
            if self.rich:
                fees["discount"] = "-5.00"  # unknown field
            total = sum(float(v) for key, v in fees.items()
                        if isinstance(v, str) and key != "discount")
            first = self.rng.choice(words.FIRST_NAMES)
            last = self.rng.choice(words.LAST_NAMES)
            out.append({
                "id": self.uid("payment"),
                "isDeleted": False,
                "description": self.rng.choice(("Initial consult", "Monthly refill", "Lab work")),
                "amount": f"{total:.2f}",
                "status": status,
                "dueDate": self.ts(24 * (7 + 30 * k)),
                "paymentDate": self.ts(24 * (8 + 30 * k)) if status == "PAID" else None,
                "cancellationDate": self.ts(24 * 9) if status == "CANCELLED" else None,
                "isScheduled": k > 0,
                "schedulePosition": k if k > 0 else None,
                "isAutoCreated": k > 0,
                "createdAt": self.ts(3),
                "updatedAt": self.ts(4),
                "fees": fees,
                "createdBy": {"id": self.uid("user"), "firstName": first, "lastName": last,
                              "email": f"{first.lower()}.billing@example.org"},
            })
        return out

    def top_attachments(self) -> list[dict[str, Any]]:
        if self.rich:
            return [self.attachment(kind) for kind in ALL_KINDS]
        if self.hostile:
            return [self.attachment(kind, name) for name, kind in HOSTILE_FILE_NAMES]
        out = [self.attachment(self.rng.choice(ALL_KINDS)) for _ in range(self.rng.randint(0, 3))]
        if (self.index == self.data.SPECIAL["large_attachment"]
                and self.data.large_attachment_bytes > 0):
            out.append(self.attachment("png", "large-noise-scan.png",
                                       size=self.data.large_attachment_bytes))
        return out

    def calendar_events(self) -> list[dict[str, Any]]:
        out = []
        for k in range(self.count(0, 2)):
            first = self.rng.choice(words.FIRST_NAMES)
            last = self.rng.choice(words.LAST_NAMES)
            event_id = self.uid("event")
            out.append({
                "id": event_id,
                "startDateTime": self.ts(24 * (3 + k)),
                "endDateTime": self.ts(24 * (3 + k) + 0.5),
                "timezone": self.rng.choice(("America/New_York", "America/Chicago", "UTC")),
                "meetingLink": f"https://meet.example.test/{event_id[:8]}",
                "meetingProvider": self.rng.choice(("ZOOM", "GOOGLE_MEET")),
                "cancelURL": f"https://calendar.example.test/cancel/{event_id[:8]}",
                "rescheduleURL": f"https://calendar.example.test/reschedule/{event_id[:8]}",
                "providerName": f"Dr. {first} {last}",
                "providerEmail": f"{first.lower()}.{last.lower()}@clinicians.example.org",
            })
        return out

    def orders(self) -> list[dict[str, Any]]:
        out = []
        for k in range(self.count(0, 2)):
            shipped = self.rng.random() < 0.6 or self.rich
            carrier = self.rng.choice(words.CARRIERS) if shipped else None
            if self.rich:
                carrier = "UPS"
            tracking = f"1Z{self.rng.randint(10**9, 10**10 - 1)}" if shipped else None
            logs = []
            if shipped:
                for step, status in enumerate(("LABEL_CREATED", "IN_TRANSIT", "DELIVERED")):
                    logs.append({
                        "statusUpdatedAt": self.date(5 + step),
                        "location": self.maybe(self.rng.choice(words.CITIES)[0], 0.3),
                        "message": self.maybe(f"Package {status.lower().replace('_', ' ')}", 0.3),
                        "status": self.maybe(status, 0.1),
                    })
            medicine, dosage = self.rng.choice(words.MEDICINES)
            out.append({
                "id": str(self.rng.randint(100000, 999999)),
                "externalId": self.uid("order"),
                "pharmacyOrderId": f"PO-{self.rng.randint(100000, 999999)}",
                "trackingId": tracking,
                "status": "SHIPPED" if shipped else self.rng.choice(("PENDING", "PROCESSING")),
                "message": self.maybe("Awaiting pharmacy confirmation", 0.6),
                "pharmacyName": self.rng.choice(words.PHARMACIES),
                "createdAt": self.date(4 + k),
                "items": [{"id": str(self.rng.randint(1000, 9999)),
                           "name": f"{medicine} {dosage}",
                           "quantity": str(self.rng.randint(1, 3))}],
                "replacementReason": "Damaged in transit" if k == 1 else None,
                "shippingLogs": logs,
                "estDeliveryAt": self.date(8 + k) if shipped else None,
                "trackingUrl": f"https://track.example.test/{tracking}" if tracking else None,
                "carrierName": carrier,
            })
        return out

    def responses(self) -> list[dict[str, Any]]:
        out = []
        for _ in range(self.count(0, 2)):
            answers = []
            for q_index, (question, q_type) in enumerate(words.QUESTIONS, start=1):
                options = ["Good", "Fair", "Poor"] if q_type == "SINGLE_CHOICE" else []
                answer = {
                    "NUMBER": str(self.rng.randint(110, 260)),
                    "BOOLEAN": self.rng.choice(("true", "false")),
                    "SINGLE_CHOICE": self.rng.choice(("Good", "Fair", "Poor")),
                }.get(q_type, self.rng.choice(("None", "Seasonal pollen", "Penicillin")))
                if self.hostile:
                    answer = HOSTILE_TEXT
                answers.append({
                    "id": self.uid("answer"),
                    "isArchived": False,
                    "text": answer,
                    "createdAt": self.ts(0.2),
                    "question": {"index": q_index, "type": q_type, "text": question,
                                 "isPHI": q_type != "SINGLE_CHOICE", "options": options,
                                 "required": q_index <= 2},
                    "respondent": self.basic_user(),
                })
            out.append({
                "id": self.uid("response"),
                "isDraft": False,
                "form": {"id": self.uid("form"), "name": "Medical intake",
                         "description": "Synthetic intake questionnaire"},
                "responses": answers,
            })
        return out

    # --- the document ----------------------------------------------------------------------------

    def sparse_document(self) -> dict[str, Any]:
        """The sparse case: what the document requires and nothing more (nulls, empty lists)."""
        first, last = self.data.person(self.index)
        submitter = {"id": self.uid("user"), "firstName": first, "lastName": last,
                     "email": self.data.email(self.index), "dob": None, "gender": None,
                     "phoneNumber": None, "address": "", "address2": None, "city": "", "state": "",
                     "postalCode": ""}
        nulls = ("assignedAt", "inProgressAt", "closedAt", "referralCode", "closedBy", "inProgressBy",
                 "archiveReason", "archiveNote", "productBundleId", "productBundle", "assignedTo",
                 "hrRep", "assignedBy")
        empty = ("assignees", "decisions", "caseProducts", "comments", "notes", "payments", "attachments",
                 "calendarEvents", "orders", "responses")
        return {
            "id": self.data.case_id(self.index), "type": "INTAKE", "title": "", "status": "OPEN",
            "shortId": f"CV-{self.index:06d}", "createdAt": self.ts(0), "updatedAt": self.ts(0),
            "isArchived": False, "isEscalated": False, "isImported": False,
            **dict.fromkeys(nulls), **{key: [] for key in empty},
            "submitter": submitter,
            "activity": [{"id": self.uid("activity"), "type": "CREATE_CASE", "isPHI": False,
                          "isRestricted": False, "timestamp": self.ts(0), "valueBefore": None,
                          "valueAfter": None}],
        }

    def build(self) -> Built:
        if self.sparse:
            return Built(doc=self.sparse_document())
        status = "IN_PROGRESS" if self.rich else self.rng.choice(CASE_STATUSES)
        closed = status in CLOSED
        # Some closed cases stay unarchived, and the odd open case is archived: the app must go
        # by isArchived, as the real service's clients do.
        archived = (closed and self.rng.random() < 0.8) or (not closed and self.rng.random() < 0.05)
        assigned = status != "OPEN"
        closer = self.uid("user")
        starter = self.uid("user")
        product_bundle_id = self.uid("bundle")
        doc: dict[str, Any] = {
            "id": self.data.case_id(self.index),
            "type": self.rng.choice(("INTAKE", "REFILL", "FOLLOW_UP")),
            "title": HOSTILE_TEXT if self.hostile else
            f"{self.rng.choice(words.PRODUCTS)} - {self.data.person(self.index)[1]}",
            "status": status,
            "shortId": f"CV-{self.index:06d}",
            "createdAt": self.ts(0),
            "updatedAt": self.ts(48),
            "assignedAt": self.ts(1) if assigned else None,
            "inProgressAt": self.ts(2) if status not in ("OPEN", "ASSIGNED") else None,
            "closedAt": self.ts(40) if closed else None,
            "isArchived": archived,
            "isEscalated": self.rng.random() < 0.1,
            "isImported": self.rng.random() < 0.05,
            "referralCode": self.maybe(f"REF{self.rng.randint(1000, 9999)}", 0.8),
            "closedBy": closer if closed else None,
            "inProgressBy": starter if status not in ("OPEN", "ASSIGNED") else None,
            "archiveReason": self.rng.choice(("DUPLICATE", "COMPLETED", "PATIENT_REQUEST"))
            if archived else None,
            "archiveNote": "Archived by synthetic workflow." if archived else None,
            "productBundleId": product_bundle_id,
            "productBundle": {"id": product_bundle_id, "name": self.rng.choice(words.PRODUCTS)},
            "assignedTo": self.basic_user() if assigned or self.rich else None,
            "hrRep": self.basic_user() if self.rng.random() < 0.5 or self.rich else None,
            "assignedBy": self.basic_user() if assigned or self.rich else None,
            "assignees": [{"assignee": self.basic_user()} for _ in range(self.count(0, 2))],
            "submitter": self.submitter(),
            "activity": self.activity(),
            "decisions": self.decisions(),
            "caseProducts": self.case_products(),
            "comments": [self.comment(False, k) for k in range(
                1 if self.huge or self.hostile else self.count(0, 3))],
            "notes": [self.comment(True, k) for k in range(
                1 if self.hostile else self.count(0, 2))],
            "payments": self.payments(),
            "attachments": self.top_attachments(),
            "calendarEvents": self.calendar_events(),
            "orders": self.orders(),
            "responses": self.responses(),
        }
        if self.hostile:
            doc["comments"][0]["attachments"] = [
                self.attachment("txt", "..\\..\\windows\\system32\\evil.txt")]
        if self.rich or self.index % 7 == 5:
            doc["organizationId"] = self.uid("org")  # unknown top-level field
        return Built(doc=doc, files=self.files)


def build(data: DemoData, index: int) -> Built:
    """The detail document for case ``index`` and the files its attachments point at."""
    return _Builder(data, index).build()
