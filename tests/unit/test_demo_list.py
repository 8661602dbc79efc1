"""The demo list service and sign-in, over real loopback HTTP, against the seed's OpenAPI schema."""

from __future__ import annotations

import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from referencing import Registry
from referencing.jsonschema import DRAFT202012

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ holds conftest_demo
pytest_plugins = ["conftest_demo"]

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
STATUS_CODES = {
    1: "INVITED", 2: "INVITE_EXPIRED", 3: "ONBOARDING", 4: "UNDER_MANUAL_REVIEW",
    5: "MANUALLY_APPROVED", 6: "AUTO_APPROVED", 7: "SCORE_CALCULATED", 8: "MANUALLY_REJECTED",
    9: "ARCHIVED", 10: "PENDING_DECISION", 11: "INFORMATION_REQUESTED", 12: "SUBMITTED",
    13: "AUTO_REJECTED", 14: "RISK_ALERT", 15: "INVESTIGATING", 16: "DISMISSED",
    17: "ESCALATED", 18: "PAUSED", 19: "INFORMATION_UPDATED", 20: "CREATED",
}


@pytest.fixture(scope="module")
def success_validator() -> jsonschema.Draft202012Validator:
    spec = yaml.safe_load((SCHEMAS / "case_list.openapi.yaml").read_text())
    # The OpenAPI 3.1 document's schemas are JSON Schema 2020-12; $refs resolve inside it.
    registry = Registry().with_resource("urn:case-list", DRAFT202012.create_resource(spec))
    schema = {"$ref": "urn:case-list#/components/schemas/Success15"}
    return jsonschema.Draft202012Validator(schema, registry=registry)


def records(response):
    assert response.status_code == 200, response.text
    return response.json()["data"]["records"]


# --- shape ---------------------------------------------------------------------------------------

def test_pages_validate_against_the_seed_schema(demo, list_get, success_validator):
    for params in ({}, {"page": 2, "items_per_page": 7}, {"pagination": "false"},
                   {"sort[data_businesses.name]": "ASC"}):
        body = list_get(demo, params).json()
        success_validator.validate(body)
        assert body["status"] == "success"
        for record in body["data"]["records"]:
            assert set(record) >= {"id", "applicant_id", "created_at", "business_name",
                                   "status_label", "applicant", "status", "case_type",
                                   "assignee", "business_id", "dba_name"}


def test_schema_really_checks_types(success_validator):
    bad = {"status": "success", "message": "x",
           "data": {"records": [{"status": {"id": "four"}}], "total_pages": 1, "total_items": 1}}
    with pytest.raises(jsonschema.ValidationError):
        success_validator.validate(bad)


def test_records_use_the_twenty_status_codes_and_spaced_labels(demo, list_get):
    rows = records(list_get(demo, {"pagination": "false"}))
    for row in rows:
        assert STATUS_CODES[row["status"]["id"]] == row["status"]["code"]
        assert row["status"]["label"] == row["status_label"]
    assert rows[0]["status_label"] == "UNDER MANUAL REVIEW"
    assert any(row["applicant"] == {} for row in rows)
    assert rows[0]["created_at"].endswith("Z") and len(rows[0]["created_at"]) == 24


def test_default_order_is_newest_first_and_matches_case_ids(demo, list_get):
    rows = records(list_get(demo, {"pagination": "false"}))
    assert [r["id"] for r in rows] == demo.data.case_ids()
    stamps = [r["created_at"] for r in rows]
    assert stamps == sorted(stamps, reverse=True)
    assert rows[5] == demo.data.list_record(5)


# --- paging --------------------------------------------------------------------------------------

def test_paging_to_the_last_page_and_past_it(demo, list_get):
    first = list_get(demo, {"items_per_page": 20}).json()["data"]
    assert first["total_items"] == 50 and first["total_pages"] == 3 and len(first["records"]) == 20
    last = records(list_get(demo, {"page": 3, "items_per_page": 20}))
    assert len(last) == 10
    assert last[-1]["id"] == demo.data.case_ids()[-1]
    past = list_get(demo, {"page": 4, "items_per_page": 20})
    assert past.status_code == 400
    assert past.json()["status"] == "fail"
    assert past.json()["message"] == "Page Requested is Out of Max Page Range"


def test_pages_partition_the_list(demo, list_get):
    seen = []
    for page in range(1, 6):
        seen += [r["id"] for r in records(list_get(demo, {"page": page,
                                                                "items_per_page": 10}))]
    assert seen == demo.data.case_ids()


def test_empty_result_has_zero_pages(demo, list_get):
    body = list_get(demo, {"search[data_businesses.name]": "no such business"}).json()
    assert body["data"] == {"records": [], "total_pages": 0, "total_items": 0}
    # Page 1 of nothing is not "out of range".
    assert list_get(demo, {"search[data_businesses.name]": "zzz", "page": 1}).status_code == 200


def test_pagination_false_returns_every_row(demo, list_get):
    body = list_get(demo, {"pagination": "false", "items_per_page": 5}).json()["data"]
    assert len(body["records"]) == 50 and body["total_items"] == 50 and body["total_pages"] == 1


def test_bad_page_parameter_is_400(demo, list_get):
    assert list_get(demo, {"page": "zero"}).status_code == 400
    assert list_get(demo, {"page": 0}).status_code == 400


# --- sort, filter, search ------------------------------------------------------------------------

@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_sort_by_created_at(demo, list_get, direction):
    rows = records(list_get(demo, {"sort[data_cases.created_at]": direction,
                                         "pagination": "false"}))
    stamps = [r["created_at"] for r in rows]
    assert stamps == sorted(stamps, reverse=direction == "DESC")


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_sort_by_business_name(demo, list_get, direction):
    rows = records(list_get(demo, {"sort[data_businesses.name]": direction,
                                         "pagination": "false"}))
    names = [r["business_name"].lower() for r in rows]
    assert names == sorted(names, reverse=direction == "DESC")


def test_first_sort_key_wins_and_brackets_arrive_encoded(demo, list_get):
    # httpx percent-encodes the brackets, as a browser does.
    params = [("sort[data_businesses.name]", "ASC"), ("sort[data_cases.created_at]", "DESC"),
              ("pagination", "false")]
    response = list_get(demo, params)
    assert "sort%5Bdata_businesses.name%5D=ASC" in str(response.url)
    names = [r["business_name"].lower() for r in records(response)]
    assert names == sorted(names)


def test_status_filter(demo, list_get):
    params = [("filter[data_cases.status][0]", "4"), ("filter[data_cases.status][1]", "5"),
              ("pagination", "false")]
    rows = records(list_get(demo, params))
    assert rows and {r["status"]["id"] for r in rows} <= {4, 5}
    expected = [i for i in range(50) if demo.data.list_record(i)["status"]["id"] in (4, 5)]
    assert [r["id"] for r in rows] == [demo.data.case_id(i) for i in expected]


def test_date_range_is_inclusive(demo, list_get):
    all_rows = records(list_get(demo, {"pagination": "false"}))
    start, end = all_rows[30]["created_at"], all_rows[10]["created_at"]
    params = [("filter_date[data_cases.created_at][0]", start),
              ("filter_date[data_cases.created_at][1]", end), ("pagination", "false")]
    rows = records(list_get(demo, params))
    assert [r["id"] for r in rows] == [r["id"] for r in all_rows[10:31]]


def test_date_range_with_bare_dates_covers_whole_days(demo, list_get):
    all_rows = records(list_get(demo, {"pagination": "false"}))
    day = all_rows[0]["created_at"][:10]
    params = [("filter_date[data_cases.created_at][0]", day),
              ("filter_date[data_cases.created_at][1]", day), ("pagination", "false")]
    rows = records(list_get(demo, params))
    assert rows and all(r["created_at"].startswith(day) for r in rows)
    assert len(rows) == sum(r["created_at"].startswith(day) for r in all_rows)


def test_bad_date_is_400(demo, list_get):
    response = list_get(demo, {"filter_date[data_cases.created_at][0]": "yesterday"})
    assert response.status_code == 400


@pytest.mark.parametrize("key", ["data_businesses.name", "data_cases.id", "first_name",
                                 "last_name"])
def test_search_each_key(demo, list_get, key):
    target = demo.data.list_record(7)
    value = {"data_businesses.name": target["business_name"].split()[1],
             "data_cases.id": target["id"][:13],
             "first_name": target["applicant"].get("first_name", "Avery"),
             "last_name": target["applicant"].get("last_name", "Ashford")}[key]
    rows = records(list_get(demo, {f"search[{key}]": value.upper(), "pagination": "false"}))
    assert rows
    field = {"data_businesses.name": lambda r: r["business_name"],
             "data_cases.id": lambda r: r["id"],
             "first_name": lambda r: r["applicant"].get("first_name", ""),
             "last_name": lambda r: r["applicant"].get("last_name", "")}[key]
    assert all(value.lower() in field(r).lower() for r in rows)


def test_several_search_keys_are_ored(demo, list_get):
    a, b = demo.data.list_record(3), demo.data.list_record(9)
    params = [("search[data_cases.id]", a["id"]), ("search[data_businesses.name]", b["id"]),
              ("search[first_name]", "no-such-name"), ("search[data_cases.id]", b["id"]),
              ("pagination", "false")]
    ids = [r["id"] for r in records(list_get(demo, params))]
    assert ids == [a["id"], b["id"]]


# --- errors and auth -----------------------------------------------------------------------------

UNAUTHORIZED = {"message": "Unauthorized", "errorCode": "ERR_UNAUTHORIZED"}


def test_missing_or_bad_token_is_401(demo, list_get, demo_http):
    url = f"{demo.list_url}/customers/{demo.customer_id}/cases"
    missing = demo_http.get(url)
    assert missing.status_code == 401 and missing.json() == UNAUTHORIZED
    bad = list_get(demo, token="nope")
    assert bad.status_code == 401 and bad.json() == UNAUTHORIZED
    basic = demo_http.get(url, headers={"Authorization": f"Basic {demo.list_token}"})
    assert basic.status_code == 401


def test_unknown_customer_is_404(demo, list_get):
    response = list_get(demo, customer_id="00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
    assert response.json()["status"] == "fail"


def sign_in(client, svc, email=None, password=None):
    return client.post(f"{svc.auth_url}/auth/api/v1/customer/sign-in",
                       json={"email": email or svc.login_email,
                             "password": password or svc.login_password})


def test_sign_in_gives_a_working_token(demo, list_get, demo_http):
    response = sign_in(demo_http, demo)
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["customer_details"]["id"] == demo.customer_id
    assert data["customer_details"]["email"] == demo.login_email
    assert list_get(demo, token=data["id_token"]).status_code == 200


def test_sign_in_with_wrong_password_is_401(demo, demo_http):
    response = sign_in(demo_http, demo, password="wrong")
    assert response.status_code == 401 and response.json() == UNAUTHORIZED


def test_sign_in_validation_errors_are_400(demo, demo_http):
    url = f"{demo.auth_url}/auth/api/v1/customer/sign-in"
    assert demo_http.post(url, content=b"not json").status_code == 400
    assert demo_http.post(url, json={"email": demo.login_email}).status_code == 400


def test_signed_in_token_expires(demo_factory, fake_clock, list_get, demo_http):
    svc = demo_factory(cases=5, token_ttl_seconds=60, clock=fake_clock)
    token = sign_in(demo_http, svc).json()["data"]["id_token"]
    assert list_get(svc, token=token).status_code == 200
    fake_clock.advance(61)
    stale = list_get(svc, token=token)
    assert stale.status_code == 401 and stale.json() == UNAUTHORIZED
    # The static demo token never expires.
    assert list_get(svc).status_code == 200


def test_a_hundred_thousand_cases(demo_factory, list_get):
    svc = demo_factory(cases=100_000, seed=3)
    body = list_get(svc).json()["data"]
    assert body["total_items"] == 100_000 and body["total_pages"] == 5000
    assert len(body["records"]) == 20
    last = list_get(svc, {"page": 5000}).json()["data"]["records"]
    assert last[-1]["id"] == svc.data.case_id(99_999)
    by_name = records(list_get(svc, {"sort[data_businesses.name]": "ASC"}))
    assert len(by_name) == 20
