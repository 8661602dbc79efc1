"""The commercial sections of a detail document: case products, payments with their fees, pharmacy orders."""

from __future__ import annotations

from typing import Any

from caseviewer.demo import words
from caseviewer.demo.detail.codes import VISIT_TYPES
from caseviewer.demo.detail.context import CaseContext


def case_products(case: CaseContext) -> list[dict[str, Any]]:
    out = []
    for _ in range(case.count(0, 2)):
        pick = case.rng.randint(0, 2)
        subscription: dict[str, Any] | None
        if pick == 0 and not case.rich:
            subscription = None
        elif pick == 1:
            subscription = {"interval": None, "intervalCount": None}
        else:
            subscription = {"interval": case.rng.choice(("day", "week", "month", "year")),
                            "intervalCount": case.rng.randint(1, 3)}
        out.append({
            "id": case.uid("caseproduct"),
            "createdAt": case.ts(1),
            "organizationProduct": {"id": case.uid("orgproduct"),
                                    "name": case.rng.choice(words.PRODUCTS)},
            "subscription": subscription,
            "caseProductRequests": [{
                "id": case.uid("cpr"),
                "status": case.rng.choice(("PENDING", "APPROVED", "REJECTED")),
                "formResponseId": case.uid("formresponse"),
                "visitType": case.rng.choice(VISIT_TYPES),
                "createdAt": case.ts(1),
                "updatedAt": case.ts(5),
            }],
        })
    return out


def payments(case: CaseContext) -> list[dict[str, Any]]:
    out = []
    for k in range(case.count(0, 3)):
        status = case.rng.choice(("PAID", "PENDING", "FAILED", "CANCELLED", "REFUNDED"))
        fees = {
            "consultFee": case.money(20, 80),
            "convenienceFee": case.money(0, 5),
            "paymentProcessingFee": case.money(1, 4),
            "pharmacyFee": case.money(10, 120),
            "shippingFee": case.money(0, 15),
            "syringeKitFee": "0.00",
            "techPlatformFee": case.money(1, 9),
            "subFees": [{"label": "Lab panel", "amount": case.money(10, 40)}]
            if case.rng.random() < 0.5 or case.rich else [],
        }
        if case.rich:
            fees["discount"] = "-5.00"  # unknown field
        total = sum(float(v) for key, v in fees.items()
                    if isinstance(v, str) and key != "discount")
        first = case.rng.choice(words.FIRST_NAMES)
        last = case.rng.choice(words.LAST_NAMES)
        out.append({
            "id": case.uid("payment"),
            "isDeleted": False,
            "description": case.rng.choice(("Initial consult", "Monthly refill", "Lab work")),
            "amount": f"{total:.2f}",
            "status": status,
            "dueDate": case.ts(24 * (7 + 30 * k)),
            "paymentDate": case.ts(24 * (8 + 30 * k)) if status == "PAID" else None,
            "cancellationDate": case.ts(24 * 9) if status == "CANCELLED" else None,
            "isScheduled": k > 0,
            "schedulePosition": k if k > 0 else None,
            "isAutoCreated": k > 0,
            "createdAt": case.ts(3),
            "updatedAt": case.ts(4),
            "fees": fees,
            "createdBy": {"id": case.uid("user"), "firstName": first, "lastName": last,
                          "email": f"{first.lower()}.billing@example.org"},
        })
    return out


def orders(case: CaseContext) -> list[dict[str, Any]]:
    out = []
    for k in range(case.count(0, 2)):
        shipped = case.rng.random() < 0.6 or case.rich
        carrier = case.rng.choice(words.CARRIERS) if shipped else None
        if case.rich:
            carrier = "UPS"
        tracking = f"1Z{case.rng.randint(10**9, 10**10 - 1)}" if shipped else None
        logs = []
        if shipped:
            for step, status in enumerate(("LABEL_CREATED", "IN_TRANSIT", "DELIVERED")):
                logs.append({
                    "statusUpdatedAt": case.date(5 + step),
                    "location": case.maybe(case.rng.choice(words.CITIES)[0], 0.3),
                    "message": case.maybe(f"Package {status.lower().replace('_', ' ')}", 0.3),
                    "status": case.maybe(status, 0.1),
                })
        medicine, dosage = case.rng.choice(words.MEDICINES)
        out.append({
            "id": str(case.rng.randint(100000, 999999)),
            "externalId": case.uid("order"),
            "pharmacyOrderId": f"PO-{case.rng.randint(100000, 999999)}",
            "trackingId": tracking,
            "status": "SHIPPED" if shipped else case.rng.choice(("PENDING", "PROCESSING")),
            "message": case.maybe("Awaiting pharmacy confirmation", 0.6),
            "pharmacyName": case.rng.choice(words.PHARMACIES),
            "createdAt": case.date(4 + k),
            "items": [{"id": str(case.rng.randint(1000, 9999)),
                       "name": f"{medicine} {dosage}",
                       "quantity": str(case.rng.randint(1, 3))}],
            "replacementReason": "Damaged in transit" if k == 1 else None,
            "shippingLogs": logs,
            "estDeliveryAt": case.date(8 + k) if shipped else None,
            "trackingUrl": f"https://track.example.test/{tracking}" if tracking else None,
            "carrierName": carrier,
        })
    return out
