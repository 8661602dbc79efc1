"""What was asked and what was decided: intake form responses, and the decisions with their medications."""

from __future__ import annotations

from pydantic import Field

from caseviewer.core.lenient import AnyList, Bool, Int, ListOf, Obj, Str
from caseviewer.core.models.detail_base import DetailModel
from caseviewer.core.models.users import BasicUser, Clinician


class Form(DetailModel):
    id: Str = None
    name: Str = None
    description: Str = None


class Question(DetailModel):
    index: Int = None
    type: Str = None
    text: Str = None
    is_phi: Bool = Field(default=None, alias="isPHI")
    options: AnyList = Field(default_factory=list)
    required: Bool = None


class Answer(DetailModel):
    """One answered question of a form response."""

    id: Str = None
    is_archived: Bool = None
    text: Str = None
    created_at: Str = None
    question: Obj[Question] = None
    respondent: Obj[BasicUser] = None


class FormResponse(DetailModel):
    id: Str = None
    is_draft: Bool = None
    form: Obj[Form] = None
    responses: ListOf[Answer] = Field(default_factory=list)


class MedInfo(DetailModel):
    id: Str = None
    external_id: Str = None
    medicine: Str = None
    is_refill: Bool = None
    dosage: Str = None
    refill_count: Int = None
    pharmacy_instructions: Str = None
    dosing_frequency: Str = None
    treatment_period: Str = None
    is_prior_auth_requested: Bool = None
    order_note: Str = None


class Decision(DetailModel):
    id: Str = None
    is_approved: Bool = None
    is_no_decision: Bool = None
    start_date: Str = None
    end_date: Str = None
    decision_text: Str = None
    category: Str = None
    created_at: Str = None
    is_paid: Bool = None
    visit_type: Str = None
    product_id: Str = None
    med_info: ListOf[MedInfo] = Field(default_factory=list)
    added_by: Obj[Clinician] = None

    @property
    def outcome(self) -> str:
        """"Approved", "Rejected" or "No decision" as a reviewer reads it."""
        if self.is_no_decision:
            return "No decision"
        if self.is_approved is True:
            return "Approved"
        if self.is_approved is False:
            return "Rejected"
        return "Unknown"
