"""Synthetic case detail documents for the detail pane tests (no real person's data).

``full_detail()`` fills every field of the detail API document (seed 004) with a distinct value,
so a test can walk it and check each value is visible somewhere in the pane.
"""

from __future__ import annotations

import base64
import copy
from typing import Any

from caseviewer.core.models import CaseDetail, CaseRecord
from caseviewer.core.repository import CaseResult

PNG_1PX = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc000000301010018dd8db40000000049454e44ae426082"
    )
).decode()


def _user(uid: str, first: str, last: str) -> dict[str, Any]:
    return {"id": uid, "firstName": first, "lastName": last}


_FULL: dict[str, Any] = {
    "id": "c0ffee00-0000-4000-8000-000000000001",
    "type": "FOLLOW_UP",
    "title": "Synthetic Sleep Plan review",
    "status": "APPROVED",
    "shortId": "CV-424242",
    "createdAt": "2025-03-01T09:00:00.000Z",
    "updatedAt": "2025-03-02T10:15:00.000Z",
    "assignedAt": "2025-03-01T11:30:00.000Z",
    "inProgressAt": "2025-03-01T12:45:00.000Z",
    "closedAt": "2025-03-05T16:20:00.000Z",
    "isArchived": False,
    "isEscalated": True,
    "isImported": False,
    "referralCode": "REF-SYN-77",
    "closedBy": "user-closer-0001",
    "inProgressBy": "user-progress-0002",
    "archiveReason": "Synthetic archive reason",
    "archiveNote": "Synthetic archive note text",
    "productBundleId": "bundle-0000-0003",
    "productBundle": {"id": "bundle-0000-0003", "name": "Synthetic Bundle Deluxe"},
    "assignedTo": _user("user-assigned-to-04", "Arden", "Quillfeather"),
    "hrRep": _user("user-hr-rep-05", "Bellamy", "Thistlewood"),
    "assignedBy": _user("user-assigned-by-06", "Corin", "Vantablack"),
    "assignees": [{"assignee": _user("user-assignee-07", "Dorian", "Wexford")}],
    "submitter": {
        "id": "user-submitter-08",
        "firstName": "Emberly",
        "lastName": "Saltmarsh",
        "email": "emberly.saltmarsh@example.test",
        "dob": "1961-11-23",
        "gender": "female",
        "phoneNumber": "+15550001111",
        "address": "12 Synthetic Row",
        "address2": "Unit 9B",
        "city": "Testville",
        "state": "OR",
        "postalCode": "97000",
    },
    "activity": [
        {"id": "act-0001", "type": "CREATE_CASE", "isPHI": False, "isRestricted": False,
         "timestamp": "2025-03-01T09:00:00.000Z", "valueBefore": None, "valueAfter": None},
        {"id": "act-0002", "type": "UPDATE_STATUS", "isPHI": True, "isRestricted": True,
         "timestamp": "2025-03-02T10:15:00.000Z", "valueBefore": "OPEN", "valueAfter": "APPROVED"},
    ],
    "decisions": [
        {
            "id": "dec-0001",
            "isApproved": True,
            "isNoDecision": False,
            "startDate": "2025-03-03",
            "endDate": "2025-09-03",
            "decisionText": "Approved after synthetic review of intake.",
            "category": "CLINICAL_SYN",
            "createdAt": "2025-03-02T08:00:00.000Z",
            "isPaid": True,
            "visitType": "SYNC_VIDEO",
            "productId": "prod-0000-0009",
            "medInfo": [
                {
                    "id": "med-0001",
                    "externalId": "EXT-MED-11",
                    "medicine": "Placebozine",
                    "isRefill": True,
                    "dosage": "15 mg",
                    "refillCount": 4,
                    "pharmacyInstructions": "Dispense in synthetic blister pack",
                    "dosingFrequency": "twice daily",
                    "treatmentPeriod": "90 days",
                    "isPriorAuthRequested": True,
                    "orderNote": "Synthetic order note",
                }
            ],
            "addedBy": {
                "id": "user-clinician-10",
                "firstName": "Fenwick",
                "lastName": "Orrery",
                "title": "Dr.",
                "titleSuffix": "DO",
                "email": "fenwick.orrery@clinic.example.test",
                "phoneNumber": "+15550002222",
                "npi": "1999999999",
                "dea": "FO1234563",
                "address": "400 Clinic Loop",
                "address2": "Floor 3",
                "city": "Mocktown",
                "state": "WA",
                "postalCode": "98000",
                "country": "US",
            },
        },
        {
            "id": "dec-0002", "isApproved": False, "isNoDecision": True, "startDate": None,
            "endDate": None, "decisionText": "Waiting for labs.", "category": None,
            "createdAt": "2025-03-01T08:00:00.000Z", "isPaid": False, "visitType": "TELEPATHY",
            "productId": None, "medInfo": [], "addedBy": None,
        },
    ],
    "caseProducts": [
        {
            "id": "cp-0001",
            "createdAt": "2025-03-01T09:05:00.000Z",
            "organizationProduct": {"id": "orgprod-0001", "name": "Synthetic Weight Program"},
            "subscription": {"interval": "month", "intervalCount": 2},
            "caseProductRequests": [
                {"id": "cpr-0001", "status": "PENDING", "formResponseId": "fr-0001",
                 "visitType": "ASYNC_TEXT_EMAIL", "createdAt": "2025-03-01T09:06:00.000Z",
                 "updatedAt": "2025-03-01T09:07:00.000Z"}
            ],
        },
        {"id": "cp-0002", "createdAt": "2025-03-01T09:08:00.000Z",
         "organizationProduct": {"id": "orgprod-0002", "name": "One-off Kit"},
         "subscription": None, "caseProductRequests": []},
    ],
    "comments": [
        {
            "id": "com-0001",
            "text": "Synthetic public comment about shipping.",
            "isRestricted": False,
            "forms": [],
            "createdAt": "2025-03-01T13:00:00.000Z",
            "author": _user("user-commenter-11", "Garnet", "Hollowell"),
            "attachments": [
                {"id": "att-com-1", "isRestricted": False, "isPHI": True, "fileName": "comment-photo.png",
                 "isDeleted": False, "createdAt": "2025-03-01T13:01:00.000Z",
                 "uploadedBy": _user("user-uploader-12", "Hollis", "Inkwell"), "content": PNG_1PX}
            ],
        }
    ],
    "notes": [
        {
            "id": "note-0001",
            "text": "Internal synthetic note: verify insurance.",
            "isRestricted": True,
            "forms": [{"id": "form-ref-1"}],
            "createdAt": "2025-03-01T14:00:00.000Z",
            "author": _user("user-noter-13", "Ivo", "Juniper"),
            "attachments": [
                {"id": "att-note-1", "isRestricted": True, "isPHI": False, "fileName": "note-scan.pdf",
                 "isDeleted": False, "createdAt": "2025-03-01T14:01:00.000Z",
                 "uploadedBy": _user("user-uploader-14", "Juno", "Kestrel"),
                 "url": "https://files.example.test/signed/note-scan.pdf?sig=abc"}
            ],
        }
    ],
    "payments": [
        {
            "id": "pay-0001",
            "isDeleted": False,
            "description": "Synthetic initial consult",
            "amount": "149.50",
            "status": "PAID",
            "dueDate": "2025-03-04T00:00:00.000Z",
            "paymentDate": "2025-03-03T12:00:00.000Z",
            "cancellationDate": None,
            "isScheduled": True,
            "schedulePosition": 2,
            "isAutoCreated": True,
            "createdAt": "2025-03-01T15:00:00.000Z",
            "updatedAt": "2025-03-03T12:00:01.000Z",
            "fees": {
                "consultFee": "60.00",
                "convenienceFee": "5.25",
                "paymentProcessingFee": "4.25",
                "pharmacyFee": "30.00",
                "shippingFee": "9.99",
                "syringeKitFee": "7.01",
                "techPlatformFee": "3.00",
                "subFees": [{"label": "Synthetic lab panel", "amount": "30.00"}],
            },
            "createdBy": {"id": "user-biller-15", "firstName": "Kit", "lastName": "Larkspur",
                          "email": "kit.larkspur@billing.example.test"},
        },
        {
            "id": "pay-0002", "isDeleted": True, "description": "Cancelled refill", "amount": "abc",
            "status": "CANCELLED", "dueDate": None, "paymentDate": None,
            "cancellationDate": "2025-03-04T09:00:00.000Z", "isScheduled": False, "schedulePosition": None,
            "isAutoCreated": False, "createdAt": "2025-03-02T15:00:00.000Z",
            "updatedAt": "2025-03-04T09:00:00.000Z", "fees": None, "createdBy": None,
        },
    ],
    "attachments": [
        {"id": "att-case-1", "isRestricted": False, "isPHI": True, "fileName": "../../etc/passwd",
         "isDeleted": True, "createdAt": "2025-03-01T16:00:00.000Z",
         "uploadedBy": {"firstName": "Lark", "lastName": "Mistral"}, "content": PNG_1PX},
    ],
    "calendarEvents": [
        {
            "id": "cal-0001",
            "startDateTime": "2025-03-10T17:00:00.000Z",
            "endDateTime": "2025-03-10T17:30:00.000Z",
            "timezone": "America/Denver",
            "meetingLink": "https://meet.example.test/syn-room",
            "meetingProvider": "ZOOM",
            "cancelURL": "https://cal.example.test/cancel/syn",
            "rescheduleURL": "https://cal.example.test/reschedule/syn",
            "providerName": "Dr. Marlo Nightingale",
            "providerEmail": "marlo.nightingale@clinic.example.test",
        }
    ],
    "orders": [
        {
            "id": "ord-0001",
            "externalId": "ext-ord-0001",
            "pharmacyOrderId": "PO-SYN-99",
            "trackingId": "1ZSYNTHETIC01",
            "status": "SHIPPED",
            "message": "Synthetic pharmacy message",
            "pharmacyName": "Synthetic Mail Pharmacy",
            "createdAt": "2025-03-05",
            "items": [{"id": "item-0001", "name": "Placebozine 15 mg", "quantity": "30"}],
            "replacementReason": "Synthetic damaged parcel",
            "shippingLogs": [
                {"statusUpdatedAt": "2025-03-06", "location": "Depot A", "message": "Label created",
                 "status": "LABEL_CREATED"},
                {"statusUpdatedAt": "2025-03-08", "location": "Depot B", "message": "Out for delivery",
                 "status": "OUT_FOR_DELIVERY"},
            ],
            "estDeliveryAt": "2025-03-09",
            "trackingUrl": "https://track.example.test/1ZSYNTHETIC01",
            "carrierName": "SynthExpress",
        }
    ],
    "responses": [
        {
            "id": "resp-0001",
            "isDraft": True,
            "form": {"id": "form-0001", "name": "Synthetic intake form", "description": "Questions for a synthetic intake"},
            "responses": [
                {
                    "id": "ans-0001",
                    "isArchived": True,
                    "text": "About eight hours",
                    "createdAt": "2025-03-01T09:30:00.000Z",
                    "question": {"index": 1, "type": "SINGLE_CHOICE", "text": "How long do you sleep?",
                                 "isPHI": True, "options": ["About eight hours", "Less"], "required": True},
                    "respondent": _user("user-respondent-16", "Nico", "Oakenshield"),
                }
            ],
        }
    ],
    # Unknown fields: must be visible, not dropped.
    "riskScoreSyn": "unknown-top-level-value",
}


def full_detail_dict() -> dict[str, Any]:
    return copy.deepcopy(_FULL)


def full_detail() -> CaseDetail:
    return CaseDetail.from_raw(full_detail_dict())


def list_record(**overrides: Any) -> CaseRecord:
    data = {
        "id": "c0ffee00-0000-4000-8000-000000000001",
        "applicant_id": "applicant-0017",
        "created_at": "2025-03-01T09:00:00.000Z",
        "business_name": "Synthetic Holdings LLC",
        "status_label": "Under Manual Review",
        "applicant": {"first_name": "Emberly", "last_name": "Saltmarsh"},
        "status": {"id": 4, "code": "UNDER_MANUAL_REVIEW", "label": "Under Manual Review"},
        "dba_name": "Synthetic DBA Name",
    }
    data.update(overrides)
    return CaseRecord.model_validate(data)


def result_for(detail: CaseDetail | None, **kwargs: Any) -> CaseResult:
    case_id = kwargs.pop("case_id", detail.id if detail is not None else "c0ffee00-0000-4000-8000-000000000001")
    return CaseResult(case_id=case_id, detail=detail, **kwargs)


def leaf_values(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(path, text) of every string and number in a JSON-like value, base64 ``content`` skipped."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "content":
                continue
            found += leaf_values(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += leaf_values(item, f"{path}[{index}]")
    elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
        found.append((path, str(value)))
    return found
