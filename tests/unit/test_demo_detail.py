"""The demo detail service and its signed attachment files, over real loopback HTTP."""

from __future__ import annotations

import base64
import json
import re
import struct
import sys
import zlib
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import jsonschema
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ holds conftest_demo
pytest_plugins = ["conftest_demo"]

from caseviewer.demo.data import DETAIL_MISSING_EVERY, SPECIAL  # noqa: E402

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "schemas" /
                     "case_detail.schema.json").read_text())
ALL_FLAGS = {"includeAttachments": "true", "includeCalendarEvents": "true",
             "includeOrders": "true", "includeCaseProducts": "true"}
FLAGGED = {"includeAttachments": "attachments", "includeCalendarEvents": "calendarEvents",
           "includeOrders": "orders", "includeCaseProducts": "caseProducts"}


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def get_case(detail_get, svc, index, **params):
    response = detail_get(svc, {"caseId": svc.data.case_id(index), **params})
    assert response.status_code == 200, response.text
    return response.json()


def all_attachments(case):
    found = list(case.get("attachments", []))
    for entry in case["comments"] + case["notes"]:
        found += entry["attachments"]
    return found


# --- file format checks (no Qt: parse the containers by hand) ------------------------------------

def assert_png(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, size = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            size = struct.unpack(">II", body[:8])
            channels = {0: 1, 2: 3}[body[9]]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert size is not None and kind == b"IEND"
    width, height = size
    assert len(zlib.decompress(idat)) == height * (1 + width * channels)
    return width, height


def assert_pdf(data: bytes, pages: int) -> None:
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)", data).group(1))
    assert data[startxref:startxref + 4] == b"xref"
    entries = re.findall(rb"(\d{10}) 00000 n ", data[startxref:])
    for number, offset in enumerate(entries, start=1):
        assert data[int(offset):].startswith(f"{number} 0 obj".encode())
    assert re.search(rb"/Count (\d+)", data).group(1) == str(pages).encode()


def assert_file(name: str, data: bytes) -> None:
    if name.endswith(".png"):
        assert_png(data)
    elif name.endswith(".jpg"):
        assert data[:3] == b"\xff\xd8\xff" and data[-2:] == b"\xff\xd9"
    elif name.endswith(".pdf"):
        assert_pdf(data, 3)
    elif name.endswith(".json"):
        json.loads(data)
    else:
        data.decode("utf-8")


# --- schema --------------------------------------------------------------------------------------

def test_rich_case_has_every_section_and_validates(demo, detail_get, validator):
    body = get_case(detail_get, demo, SPECIAL["rich"], **ALL_FLAGS)
    validator.validate(body)
    case = body["caseDetail"]
    for key in ("assignees", "activity", "decisions", "caseProducts", "comments", "notes",
                "payments", "attachments", "calendarEvents", "orders", "responses"):
        assert case[key], key
    names = [a["fileName"] for a in case["attachments"]]
    assert {n.rsplit(".", 1)[1] for n in names} == {"png", "jpg", "pdf", "txt", "csv", "json"}
    assert case["comments"][0]["attachments"] and case["notes"][0]["attachments"]
    assert case["decisions"][0]["addedBy"]["npi"] and "dea" in case["decisions"][0]["addedBy"]
    assert case["orders"][0]["shippingLogs"] and case["orders"][0]["trackingUrl"]
    assert "organizationId" in case  # an unknown field, as real responses carry
    for att in all_attachments(case):
        assert_file(att["fileName"], base64.b64decode(att["content"]))


def test_hostile_case_validates_and_keeps_its_content(demo, detail_get, validator):
    body = get_case(detail_get, demo, SPECIAL["hostile"], **ALL_FLAGS)
    validator.validate(body)
    case = body["caseDetail"]
    names = [a["fileName"] for a in all_attachments(case)]
    for expected in ("../../etc/passwd", "CON.txt", "a\x07b.txt"):
        assert expected in names
    assert any("/" in n and "\\" in n for n in names)
    assert any("\u202e" in n for n in names)
    assert any(ord(ch) > 0xFFFF for n in names for ch in n)  # emoji
    assert "<script>alert(1)</script>" in case["comments"][0]["text"]
    assert "<b>bold</b>" in case["notes"][0]["text"]


def test_a_sample_of_cases_validates_in_both_formats_and_flag_sets(demo, detail_get, validator):
    ids = [i for i in range(0, 50, 1) if demo.data.has_detail(i)][:30]
    for n, index in enumerate(ids):
        flags = ALL_FLAGS if n % 2 else {}
        fmt = "url" if n % 3 == 0 else "base64"
        body = get_case(detail_get, demo, index, documentFormat=fmt, **flags)
        validator.validate(body)
        case = body["caseDetail"]
        for flag, key in FLAGGED.items():
            assert (key in case) == (flag in flags)
        for att in all_attachments(case):
            if flags:
                assert ("url" in att) == (fmt == "url") and ("content" in att) == (fmt == "base64")
            else:
                assert "url" not in att and "content" not in att


def test_schema_rejects_a_missing_field(demo, validator):
    case = demo.data.detail(demo.data.case_id(0))
    del case["submitter"]["email"]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"status": 200, "success": True, "caseDetail": case})


def test_variety_of_nulls_and_subscriptions(demo):
    docs = [demo.data.detail(demo.data.case_id(i)) for i in range(50) if demo.data.has_detail(i)]
    subs = [p["subscription"] for d in docs for p in d["caseProducts"]]
    assert None in subs
    assert {"interval": None, "intervalCount": None} in subs
    assert any(s and s["interval"] for s in subs)
    assert any(d["submitter"]["dob"] is None for d in docs)
    assert any(d["closedAt"] and not d["isArchived"] for d in docs)  # closed but not archived
    assert all(re.fullmatch(r"-?\d+\.\d\d", p["amount"]) for d in docs for p in d["payments"])


def test_huge_case(demo):
    case = demo.data.detail(demo.data.case_id(SPECIAL["huge"]))
    assert len(case["activity"]) == 200
    assert max(len(c["text"]) for c in case["comments"]) >= 1024 * 1024


def test_sparse_case_validates_with_nothing_optional(demo, detail_get, validator):
    body = get_case(detail_get, demo, SPECIAL["sparse"], **ALL_FLAGS)
    validator.validate(body)
    case = body["caseDetail"]
    sections = ("assignees", "decisions", "caseProducts", "comments", "notes", "payments", "attachments",
                "calendarEvents", "orders", "responses")
    assert all(case[key] == [] for key in sections) and len(case["activity"]) == 1
    assert case["submitter"]["dob"] is None and case["submitter"]["address"] == ""
    assert case["assignedTo"] is None and case["productBundle"] is None
    record = demo.data.list_record(SPECIAL["sparse"])
    assert record["assignee"] is None and record["dba_name"] is None and record["applicant"]


# --- lookups and errors --------------------------------------------------------------------------

def test_lookup_by_email(demo, detail_get):
    email = demo.data.detail(demo.data.case_id(4))["submitter"]["email"]
    body = detail_get(demo, {"email": email.upper()}).json()
    assert body["caseDetail"]["id"] == demo.data.case_id(4)
    assert email.endswith(("@example.test", "@example.org"))
    emails = {demo.data.email(i) for i in range(50)}
    assert len(emails) == 50


def test_every_seventeenth_listed_case_is_unknown(demo, detail_get):
    index = DETAIL_MISSING_EVERY - 1
    assert demo.data.case_ids()[index] == demo.data.case_id(index)
    response = detail_get(demo, {"caseId": demo.data.case_id(index)})
    assert response.status_code == 404
    assert response.json() == {"status": 404, "success": False,
                               "error": "No Case found for provided details!"}
    assert demo.data.detail(demo.data.case_id(index)) is None
    assert demo.data.detail(demo.data.case_id(index - 1)) is not None


def test_unknown_case_and_email_are_404(demo, detail_get):
    assert detail_get(demo, {"caseId": "nope"}).status_code == 404
    assert detail_get(demo, {"email": "nobody@example.test"}).status_code == 404


def test_missing_and_wrong_key_are_400(demo, demo_http, detail_get):
    url = f"{demo.detail_url}/api/v1/customer-case-detail"
    missing = demo_http.get(url, params={"caseId": demo.data.case_id(0)})
    assert missing.status_code == 400
    assert missing.json() == {"status": 400, "success": False,
                              "error": "Secret key not provided!"}
    wrong = detail_get(demo, {"caseId": demo.data.case_id(0)}, key="abcdefgh")
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "Organization with [abcd...] not found!"


def test_neither_case_id_nor_email_is_400(demo, detail_get):
    response = detail_get(demo, {"includeAttachments": "true"})
    assert response.status_code == 400
    assert response.json()["error"] == "caseId or email parameters must be provided!"


def test_bad_document_format_is_400(demo, detail_get):
    response = detail_get(demo, {"caseId": demo.data.case_id(0), "documentFormat": "pdf"})
    assert response.status_code == 400


def test_forbidden_via_fault_knob(demo, detail_get):
    demo.faults.update(scope="detail", status=403, count=1)
    response = detail_get(demo, {"caseId": demo.data.case_id(0)})
    assert response.status_code == 403
    assert response.json() == {"status": 403, "success": False, "error": "Permission denied!"}
    assert detail_get(demo, {"caseId": demo.data.case_id(0)}).status_code == 200


# --- url attachments -----------------------------------------------------------------------------

def test_url_attachments_are_served_without_auth(demo, demo_http, detail_get):
    case = get_case(detail_get, demo, SPECIAL["rich"], includeAttachments="true",
                    documentFormat="url")["caseDetail"]
    for att in all_attachments(case):
        assert att["url"].startswith(demo.files_url + "/files/")
        assert demo.files_url != demo.detail_url  # another origin, as in production
        response = demo_http.get(att["url"])  # no Authorization, no cv-api-key
        assert response.status_code == 200, att["fileName"]
        assert int(response.headers["Content-Length"]) == len(response.content)
        assert response.headers["Content-Type"]
        assert_file(att["fileName"], response.content)
        assert response.content == demo.data.attachment_bytes(att["id"])


def test_hostile_names_are_percent_encoded_in_urls(demo, demo_http, detail_get):
    case = get_case(detail_get, demo, SPECIAL["hostile"], includeAttachments="true",
                    documentFormat="url")["caseDetail"]
    for att in all_attachments(case):
        path = urlsplit(att["url"]).path
        assert path.count("/") == 3  # /files/{id}/{name}: the name stays one segment
        assert demo_http.get(att["url"]).status_code == 200


def test_url_expires(demo_factory, fake_clock, demo_http, detail_get):
    svc = demo_factory(cases=5, url_ttl_seconds=60, clock=fake_clock)
    case = get_case(detail_get, svc, 0, includeAttachments="true",
                    documentFormat="url")["caseDetail"]
    url = case["attachments"][0]["url"]
    assert demo_http.get(url).status_code == 200
    fake_clock.advance(61)
    expired = demo_http.get(url)
    assert expired.status_code == 403
    assert b"<Code>AccessDenied</Code>" in expired.content
    assert b"expired" in expired.content


def test_forged_or_unsigned_url_is_403_and_unknown_is_404(demo, demo_http, detail_get):
    case = get_case(detail_get, demo, 0, includeAttachments="true",
                    documentFormat="url")["caseDetail"]
    url = case["attachments"][0]["url"]
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    past = f"{parts.scheme}://{parts.netloc}{parts.path}?exp=1&sig={query['sig']}"
    assert demo_http.get(past).status_code == 403
    forged = url[:-4] + ("0000" if not url.endswith("0000") else "1111")
    assert demo_http.get(forged).status_code == 403
    assert demo_http.get(f"{parts.scheme}://{parts.netloc}{parts.path}").status_code == 403
    assert demo_http.get(f"{demo.files_url}/nothing-here").status_code == 404


def test_large_attachment(demo_factory, demo_http, detail_get):
    size = 3_000_000
    svc = demo_factory(cases=5, large_attachment_bytes=size)
    case = get_case(detail_get, svc, SPECIAL["large_attachment"], includeAttachments="true",
                    documentFormat="url")["caseDetail"]
    big = [a for a in case["attachments"] if a["fileName"] == "large-noise-scan.png"]
    assert len(big) == 1
    data = demo_http.get(big[0]["url"]).content
    assert abs(len(data) - size) < size * 0.01
    assert_png(data)
    other = get_case(detail_get, svc, 0, includeAttachments="true")["caseDetail"]
    assert all(a["fileName"] != "large-noise-scan.png" for a in other["attachments"])
