"""The models cover every field of both seed documents, round-trip them, and degrade leniently."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from caseviewer.core.models import CaseDetail, CaseDetailResponse, CaseListResponse, CaseRecord

DATA = Path(__file__).parent / "data"


def load(name: str) -> dict:
    return json.loads((DATA / name).read_text())


def unmodelled_keys(model: BaseModel, path: str = "") -> list[str]:
    """Wire keys that landed in ``extra`` instead of a declared field, anywhere in the tree."""
    found = [f"{path}.{key}" for key in (model.__pydantic_extra__ or {})]
    for name in type(model).model_fields:
        value = getattr(model, name)
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, BaseModel):
                found += unmodelled_keys(child, f"{path}.{name}")
    return found


def test_every_detail_seed_field_is_modelled_and_round_trips():
    raw = load("seed_detail_example.json")
    response = CaseDetailResponse.model_validate(raw)
    detail = response.case_detail
    assert detail is not None
    assert unmodelled_keys(detail) == []
    assert detail.model_dump(by_alias=True, exclude_unset=True) == raw["caseDetail"]


def test_every_list_seed_field_is_modelled_and_round_trips():
    raw = load("seed_list_example.json")
    response = CaseListResponse.model_validate(raw)
    assert unmodelled_keys(response) == []
    assert response.model_dump(by_alias=True, exclude_unset=True) == raw
    record = response.data.records[0]
    assert record.status_code == "ONBOARDING"
    assert record.applicant_name == "John Doe"


def test_detail_values_land_in_the_right_attributes():
    detail = CaseDetail.from_raw(load("seed_detail_example.json")["caseDetail"])
    assert detail.raw["id"] == detail.id
    assert detail.decisions[0].med_info[0].refill_count == 4
    assert detail.decisions[0].added_by.npi == "string or null"
    assert detail.payments[0].fees.sub_fees[0].label == "string"
    assert detail.calendar_events[0].cancel_url == "string"
    assert detail.calendar_events[0].reschedule_url == "string"
    assert detail.responses[0].responses[0].question.is_phi is False
    assert detail.case_products[0].subscription.interval_count == 2
    assert detail.case_products[0].case_product_requests[0].visit_type == "string"
    assert detail.orders[0].shipping_logs[0].status_updated_at == "string (ISO date)"
    assert detail.assignees[0].assignee.first_name == "string"
    assert detail.is_open  # read from isArchived, not closedAt (which is set here)
    places = [where for where, _ in detail.all_attachments()]
    assert places == ["Case", "Comment", "Internal note"]


def test_unknown_fields_are_kept_and_dumped():
    record = CaseRecord.model_validate(
        {"id": "c1", "case_type": "ONBOARDING", "assignee": {"id": "u1"}, "dba_name": "Acme DBA", "applicant": {}}
    )
    assert record.extra_fields == {"case_type": "ONBOARDING", "assignee": {"id": "u1"}, "dba_name": "Acme DBA"}
    assert record.applicant_name == ""
    assert record.model_dump(by_alias=True, exclude_unset=True)["dba_name"] == "Acme DBA"


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"total_items": "4312", "total_pages": "216"}, (4312, 216)),
        ({"total_items": 7.0, "total_pages": None}, (7, None)),
        ({"total_items": "lots", "total_pages": {"x": 1}}, (None, None)),
    ],
)
def test_list_totals_are_coerced(payload, expected):
    data = CaseListResponse.model_validate({"data": {"records": [], **payload}}).data
    assert (data.total_items, data.total_pages) == expected


def test_wrong_types_degrade_instead_of_failing():
    detail = CaseDetail.from_raw(
        {
            "id": 123,
            "isArchived": "true",
            "isEscalated": "maybe",
            "submitter": "not an object",
            "assignedTo": None,
            "decisions": [{"medInfo": None, "refillCount": "x"}, "junk", 5],
            "comments": None,
            "payments": {"not": "a list"},
            "responses": [{"responses": [{"question": {"index": "3", "options": "none"}}]}],
            "title": {"nested": ["values"]},
        }
    )
    assert detail.id == "123"
    assert detail.is_archived is True and not detail.is_open
    assert detail.is_escalated is None
    assert detail.submitter is None
    assert len(detail.decisions) == 1 and detail.decisions[0].med_info == []
    assert detail.comments == [] and detail.payments == []
    question = detail.responses[0].responses[0].question
    assert question.index == 3 and question.options == []
    assert json.loads(detail.title) == {"nested": ["values"]}


def test_decision_outcome_labels():
    assert CaseDetail.from_raw({"decisions": [{"isApproved": True}]}).decisions[0].outcome == "Approved"
    assert CaseDetail.from_raw({"decisions": [{"isApproved": False}]}).decisions[0].outcome == "Rejected"
    assert (
        CaseDetail.from_raw({"decisions": [{"isApproved": False, "isNoDecision": True}]}).decisions[0].outcome
        == "No decision"
    )


def test_twenty_megabyte_base64_attachment_parses():
    body = bytes(range(256)) * (20 * 1024 * 1024 // 256)
    content = base64.b64encode(body).decode()
    raw = json.loads(json.dumps({"caseDetail": {"id": "big", "attachments": [{"fileName": "scan.png", "content": content}]}}))
    detail = CaseDetail.from_raw(raw["caseDetail"])
    attachment = detail.attachments[0]
    assert attachment.encoded_size == len(body)
    assert base64.b64decode(attachment.content) == body
