"""Human words for the services' codes and field names: one vocabulary for the window and the dossier.

The services send codes (``IN_PROGRESS``, ``SINGLE_CHOICE``, ``GOOGLE_MEET``) and wire names
(``pharmacyNotes``, ``dba_name``). A reviewer reads words. Every code family the app shows has a
table here; ``label(Vocab.X, code)`` gives the word for a known code and a humanised form of an
unknown one ("NEW_THING" -> "New thing"), so a code the app has never seen still reads as text.
The raw code stays available to the caller (the UI puts it in the tooltip).

No Qt here (core never imports Qt); money and dates are worded by the UI through QLocale.
"""

from __future__ import annotations

import enum
import re

from caseviewer.core.text import humanise_code

MISSING = "—"


class Vocab(str, enum.Enum):
    CASE_STATUS = "case_status"  # the detail service's case status
    CASE_TYPE = "case_type"  # the detail service's case ``type``
    LIST_CASE_TYPE = "list_case_type"  # the list record's ``case_type``
    VISIT_TYPE = "visit_type"
    DECISION_CATEGORY = "decision_category"
    ORDER_STATUS = "order_status"
    SHIPPING_STATUS = "shipping_status"
    PAYMENT_STATUS = "payment_status"
    REQUEST_STATUS = "request_status"  # a case product request
    QUESTION_TYPE = "question_type"
    MEETING_PROVIDER = "meeting_provider"
    ACTIVITY_TYPE = "activity_type"
    GENDER = "gender"
    ARCHIVE_REASON = "archive_reason"
    LANGUAGE = "language"
    SUBSCRIPTION_INTERVAL = "subscription_interval"


_TABLES: dict[Vocab, dict[str, str]] = {
    Vocab.CASE_STATUS: {
        "OPEN": "Open", "ASSIGNED": "Assigned", "IN_PROGRESS": "In progress", "APPROVED": "Approved",
        "REJECTED": "Rejected", "NO_DECISION": "No decision", "ABANDONED": "Abandoned",
    },
    Vocab.CASE_TYPE: {"INTAKE": "Intake", "REFILL": "Refill", "FOLLOW_UP": "Follow-up"},
    Vocab.LIST_CASE_TYPE: {"ONBOARDING": "Onboarding", "RISK": "Risk review", "APPLICATION_EDIT": "Application edit"},
    Vocab.VISIT_TYPE: {
        "NO_SHOW": "No-show", "ASYNC_TEXT_EMAIL": "Async (text/email)", "SYNC_VIDEO": "Video visit",
        "SYNC_PHONE": "Phone visit", "ORDER_FORM": "Order form",
    },
    Vocab.DECISION_CATEGORY: {"CLINICAL": "Clinical", "ADMIN": "Administrative"},
    Vocab.ORDER_STATUS: {
        "PENDING": "Pending", "PROCESSING": "Processing", "SHIPPED": "Shipped", "DELIVERED": "Delivered",
        "CANCELLED": "Cancelled", "CANCELED": "Cancelled", "FAILED": "Failed", "RETURNED": "Returned",
    },
    Vocab.SHIPPING_STATUS: {
        "LABEL_CREATED": "Label created", "IN_TRANSIT": "In transit", "OUT_FOR_DELIVERY": "Out for delivery",
        "DELIVERED": "Delivered", "EXCEPTION": "Delivery problem", "RETURNED": "Returned to sender",
    },
    Vocab.PAYMENT_STATUS: {
        "PAID": "Paid", "PENDING": "Pending", "FAILED": "Failed", "CANCELLED": "Cancelled",
        "CANCELED": "Cancelled", "REFUNDED": "Refunded", "PARTIALLY_REFUNDED": "Partly refunded",
    },
    Vocab.REQUEST_STATUS: {"PENDING": "Pending", "APPROVED": "Approved", "REJECTED": "Rejected"},
    Vocab.QUESTION_TYPE: {
        "NUMBER": "Number", "TEXT": "Free text", "SINGLE_CHOICE": "One choice", "MULTIPLE_CHOICE": "Several choices",
        "MULTI_CHOICE": "Several choices", "BOOLEAN": "Yes or no", "DATE": "Date", "FILE": "File",
    },
    Vocab.MEETING_PROVIDER: {
        "ZOOM": "Zoom", "GOOGLE_MEET": "Google Meet", "MS_TEAMS": "Microsoft Teams", "TEAMS": "Microsoft Teams",
        "PHONE": "Phone call",
    },
    Vocab.ACTIVITY_TYPE: {
        "CREATE_CASE": "Case created", "ASSIGN_CASE": "Case assigned", "UPDATE_STATUS": "Status changed",
        "ADD_COMMENT": "Comment added", "ADD_NOTE": "Internal note added",
        "UPLOAD_ATTACHMENT": "Attachment uploaded", "ADD_DECISION": "Decision added",
        "CREATE_PAYMENT": "Payment created",
    },
    Vocab.GENDER: {"female": "Female", "male": "Male", "non-binary": "Non-binary", "other": "Other",
                   "unknown": "Not stated"},
    Vocab.ARCHIVE_REASON: {"DUPLICATE": "Duplicate", "COMPLETED": "Completed", "PATIENT_REQUEST": "Patient's request"},
    Vocab.LANGUAGE: {
        "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "zh": "Chinese",
        "vi": "Vietnamese", "ko": "Korean", "ar": "Arabic", "ru": "Russian", "tl": "Tagalog", "ht": "Haitian Creole",
    },
    Vocab.SUBSCRIPTION_INTERVAL: {"day": "day", "week": "week", "month": "month", "year": "year"},
}


def label(vocab: Vocab, code: str | None) -> str:
    """The word for ``code`` in ``vocab``; an unknown code humanised; missing ones "—"."""
    if code is None or not str(code).strip():
        return MISSING
    text = str(code).strip()
    table = _TABLES[vocab]
    found = table.get(text)
    if found is None:
        found = table.get(text.upper()) or table.get(text.lower())
    if found is None and vocab is Vocab.LANGUAGE:
        found = table.get(text.split("-")[0].split("_")[0].lower())
    return found if found is not None else humanise_code(text)


def is_known(vocab: Vocab, code: str | None) -> bool:
    if not code:
        return False
    table = _TABLES[vocab]
    text = str(code).strip()
    return text in table or text.upper() in table or text.lower() in table


def codes(vocab: Vocab) -> tuple[str, ...]:
    """Every code of ``vocab`` (the tests check none of them reaches the screen raw)."""
    return tuple(_TABLES[vocab])


def activity_value(activity_type: str | None, value: object) -> object:
    """An activity's before/after value in words where it is a code the app knows.

    A status change carries case statuses (``OPEN`` -> ``ASSIGNED``); other values pass through.
    """
    if isinstance(value, str) and value.strip():
        if (activity_type or "").upper() == "UPDATE_STATUS" or is_known(Vocab.CASE_STATUS, value):
            return label(Vocab.CASE_STATUS, value)
    return value


# -- field names ------------------------------------------------------------------------------------

#: Wire names the documents do not describe, and how a reviewer calls them.
FIELD_LABELS: dict[str, str] = {
    "pharmacyNotes": "Pharmacy notes",
    "discount": "Discount",
    "organizationId": "Organization ID",
    "preferredLanguage": "Preferred language",
    "case_type": "Case type",
    "dba_name": "Trading name (DBA)",
    "business_id": "Business ID",
    "assignee": "Assignee",
    "productBundleId": "Product bundle ID",
}

_ACRONYMS = {"id": "ID", "ids": "IDs", "url": "URL", "urls": "URLs", "npi": "NPI", "dea": "DEA", "phi": "PHI",
             "dob": "date of birth", "hr": "HR", "dba": "DBA", "api": "API", "sms": "SMS"}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def field_label(key: str) -> str:
    """A wire name as a label: known ones from ``FIELD_LABELS``, others humanised
    (``someNewField`` / ``some_new_field`` -> "Some new field", ``userId`` -> "User ID")."""
    key = str(key)
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    words = [w for w in _CAMEL.sub(" ", key.replace("_", " ").replace("-", " ")).split() if w]
    if not words:
        return key
    out = [_ACRONYMS.get(w.lower(), w.lower()) for w in words]
    first = out[0]
    out[0] = first if first.isupper() else first[:1].upper() + first[1:]
    return " ".join(out)


__all__ = ["FIELD_LABELS", "MISSING", "Vocab", "activity_value", "answer_text", "codes", "field_label",
           "is_known", "label"]


# -- money ------------------------------------------------------------------------------------------

#: The currency of an amount whose payment names none: the services are US services and their
#: documents give amounts as bare decimal strings.
DEFAULT_CURRENCY = "USD"


def payment_currency(payment: object) -> str:
    """The ISO 4217 code of a payment's amounts: its own ``currency`` field when it sends one."""
    extra = getattr(payment, "extra_fields", None) or {}
    for key in ("currency", "currencyCode"):
        value = extra.get(key)
        if isinstance(value, str) and len(value.strip()) == 3 and value.strip().isalpha():
            return value.strip().upper()
    return DEFAULT_CURRENCY


#: How a yes-or-no question's answer arrives ("true", "False", "1") and how it reads.
_BOOLEAN_ANSWERS = {"true": "Yes", "false": "No", "yes": "Yes", "no": "No", "1": "Yes", "0": "No"}


def answer_text(question_type: str | None, text: str | None) -> str | None:
    """A form answer as a reviewer reads it: a yes-or-no question's "false" reads "No"; every
    other answer (and an unexpected one to a yes-or-no question) as sent."""
    if text is not None and (question_type or "").upper() == "BOOLEAN":
        return _BOOLEAN_ANSWERS.get(text.strip().lower(), text)
    return text
