"""The list service's models (Worth, ``GET {list_base}/customers/{customerID}/cases``) and its sign-in.

The list service speaks snake_case, so the field names are the wire names. Every field is lenient
(``core.lenient``): a record that drifts from its document still shows what it carries.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from caseviewer.core.lenient import Int, LenientModel, ListOf, Obj, Str
from caseviewer.core.text import full_name as _full_name

#: Status ids and codes of the list service, as it sends them; labels may differ, so key on ``code``.
LIST_STATUS_CODES: dict[int, str] = {
    1: "INVITED",
    2: "INVITE_EXPIRED",
    3: "ONBOARDING",
    4: "UNDER_MANUAL_REVIEW",
    5: "MANUALLY_APPROVED",
    6: "AUTO_APPROVED",
    7: "SCORE_CALCULATED",
    8: "MANUALLY_REJECTED",
    9: "ARCHIVED",
    10: "PENDING_DECISION",
    11: "INFORMATION_REQUESTED",
    12: "SUBMITTED",
    13: "AUTO_REJECTED",
    14: "RISK_ALERT",
    15: "INVESTIGATING",
    16: "DISMISSED",
    17: "ESCALATED",
    18: "PAUSED",
    19: "INFORMATION_UPDATED",
    20: "CREATED",
}


class Applicant(LenientModel):
    first_name: Str = None
    last_name: Str = None

    @property
    def full_name(self) -> str:
        return _full_name(self)


class ListStatus(LenientModel):
    id: Int = None
    code: Str = None
    label: Str = None


class CaseRecord(LenientModel):
    """One row of the case list."""

    id: Str = None
    applicant_id: Str = None
    created_at: Str = None
    business_name: Str = None
    status_label: Str = None
    applicant: Obj[Applicant] = None
    status: Obj[ListStatus] = None

    @property
    def status_code(self) -> str:
        """The status code to key on: ``status.code``, else the label, else the id's code."""
        if self.status is not None:
            if self.status.code:
                return self.status.code
            if self.status.id in LIST_STATUS_CODES:
                return LIST_STATUS_CODES[self.status.id]
        return (self.status_label or "").replace(" ", "_").upper()

    @property
    def applicant_name(self) -> str:
        return self.applicant.full_name if self.applicant is not None else ""


class CaseListData(LenientModel):
    records: ListOf[CaseRecord] = Field(default_factory=list)
    total_pages: Int = None
    total_items: Int = None


class CaseListResponse(LenientModel):
    status: Str = None
    message: Str = None
    data: Obj[CaseListData] = None


class SignInData(LenientModel):
    id_token: Str = None
    customer_details: dict[str, Any] | None = None

    @property
    def customer_id(self) -> str | None:
        value = (self.customer_details or {}).get("id")
        return str(value) if value is not None else None
