"""The clinical sections of a detail document: decisions with their medications, intake form responses."""

from __future__ import annotations

from typing import Any

from caseviewer.demo import words
from caseviewer.demo.detail.codes import HOSTILE_TEXT, VISIT_TYPES
from caseviewer.demo.detail.context import CaseContext


def decisions(case: CaseContext) -> list[dict[str, Any]]:
    out = []
    for _ in range(case.count(0, 2)):
        approved = case.rng.random() < 0.7
        city, state, zip3 = case.rng.choice(words.CITIES)
        meds = []
        for _ in range(max(1, case.rng.randint(0, 2))):
            medicine, dosage = case.rng.choice(words.MEDICINES)
            meds.append({
                "id": case.uid("med"),
                "externalId": case.maybe(f"EXT-{case.rng.randint(10000, 99999)}", 0.7),
                "medicine": medicine,
                "isRefill": case.rng.random() < 0.3,
                "dosage": dosage,
                "refillCount": case.rng.randint(0, 5),
                "pharmacyInstructions": "Take with food. Synthetic instructions.",
                "dosingFrequency": case.rng.choice(("once daily", "twice daily", "weekly")),
                "treatmentPeriod": case.rng.choice(("30 days", "90 days", "6 months")),
                "isPriorAuthRequested": case.rng.random() < 0.2,
                "orderNote": case.rng.choice(words.COMMENT_SENTENCES),
            })
        first = case.rng.choice(words.FIRST_NAMES)
        last = case.rng.choice(words.LAST_NAMES)
        decision = {
            "id": case.uid("decision"),
            "isApproved": approved,
            "isNoDecision": not approved and case.rng.random() < 0.3,
            "startDate": case.date(2),
            "endDate": case.date(180),
            "decisionText": HOSTILE_TEXT if case.hostile else
            ("Approved for treatment." if approved else "Not a candidate at this time."),
            "category": case.maybe(case.rng.choice(("CLINICAL", "ADMIN")), 0.6),
            "createdAt": case.ts(30),
            "isPaid": case.rng.random() < 0.5,
            "visitType": case.rng.choice(VISIT_TYPES),
            "productId": case.uid("product"),
            "medInfo": meds,
            "addedBy": {
                "id": case.uid("user"),
                "firstName": first,
                "lastName": last,
                "title": case.maybe("Dr.", 0.4),
                "titleSuffix": case.maybe(case.rng.choice(("MD", "DO", "NP", "PA-C")), 0.4),
                "email": f"{first.lower()}.{last.lower()}@clinicians.example.org",
                "phoneNumber": case.maybe(f"+1555{case.rng.randint(1000000, 9999999)}"),
                "npi": case.maybe(str(case.rng.randint(1000000000, 1999999999)), 0.2),
                "dea": case.maybe(f"B{last[0]}{case.rng.randint(1000000, 9999999)}", 0.4),
                "address": case.maybe(f"{case.rng.randint(1, 999)} Clinic Way"),
                "address2": case.maybe("Suite 100", 0.7),
                "city": case.maybe(city),
                "state": case.maybe(state),
                "postalCode": case.maybe(f"{zip3}{case.rng.randint(10, 99)}"),
                "country": case.maybe("US", 0.2),
            },
        }
        if case.rich:
            decision["pharmacyNotes"] = "unknown field kept by the app"
        out.append(decision)
    return out


def responses(case: CaseContext) -> list[dict[str, Any]]:
    out = []
    for _ in range(case.count(0, 2)):
        answers = []
        for q_index, (question, q_type) in enumerate(words.QUESTIONS, start=1):
            options = ["Good", "Fair", "Poor"] if q_type == "SINGLE_CHOICE" else []
            answer = {
                "NUMBER": str(case.rng.randint(110, 260)),
                "BOOLEAN": case.rng.choice(("true", "false")),
                "SINGLE_CHOICE": case.rng.choice(("Good", "Fair", "Poor")),
            }.get(q_type, case.rng.choice(("None", "Seasonal pollen", "Penicillin")))
            if case.hostile:
                answer = HOSTILE_TEXT
            answers.append({
                "id": case.uid("answer"),
                "isArchived": False,
                "text": answer,
                "createdAt": case.ts(0.2),
                "question": {"index": q_index, "type": q_type, "text": question,
                             "isPHI": q_type != "SINGLE_CHOICE", "options": options,
                             "required": q_index <= 2},
                "respondent": case.basic_user(),
            })
        out.append({
            "id": case.uid("response"),
            "isDraft": False,
            "form": {"id": case.uid("form"), "name": "Medical intake",
                     "description": "Synthetic intake questionnaire"},
            "responses": answers,
        })
    return out
