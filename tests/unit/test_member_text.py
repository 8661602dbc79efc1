"""``member_text``: the received text of a document's one member, only when it reads back the same."""

from __future__ import annotations

import json

import pytest

from caseviewer.core import wire
from caseviewer.core.member_text import member_text
from caseviewer.demo.data import DemoData


def _member(text: str, key: str = "caseDetail") -> str | None:
    return member_text(text, key, wire.decode_json(text))


@pytest.mark.parametrize("index", range(12))
def test_a_demo_document_is_kept_as_sent_and_reads_back_as_the_door_parsed_it(index):
    data = DemoData(12, seed=3)
    raw = data.detail(data.case_id(index), document_format="url", url_for=lambda a, n: f"https://x.test/{a}")
    if raw is None:
        pytest.skip("a list-only case")
    for text in (json.dumps({"caseDetail": raw}), json.dumps({"caseDetail": raw}, indent=2, ensure_ascii=False)):
        inner = _member(text)
        if len(text) > wire.SLICE_FROM_CHARS:
            assert inner is None  # the door parses it in slices: encoded again, as before
            continue
        assert inner is not None and inner in text
        assert json.loads(inner) == wire.decode_json(text)["caseDetail"]


def test_braces_and_quotes_inside_strings_do_not_confuse_it():
    doc = {"caseDetail": {"a": "} ] { [ \" \\", "b": [{"c": "}}"}], "d": None}}
    text = json.dumps(doc)
    assert json.loads(_member(text)) == doc["caseDetail"]


@pytest.mark.parametrize("text", [
    '{"caseDetail": {"a": 1}, "caseDetail": {"a": 2}}',  # a repeated key: the last one wins
    '{"caseDetail": {"a": 1}, "\\u0063aseDetail": {"a": 2}}',  # repeated, spelled with an escape
    '{"caseDetail": {"a": 1}, "other": 2}',
    '{"other": 2, "caseDetail": {"a": 1}}',
    '{"\\u0063aseDetail": {"a": 1}}',
    '{"caseDetail": {"a": "\\udfaa"}}',  # the door replaced the lone surrogate; the text has it
    '{"caseDetail": {"a": "\\ud83d"}}',  # a high half alone
    '{"caseDetail": {"a": "\\ud83d x \\ude00"}}',  # halves apart
    '{"caseDetail": {"a": "\\\\ud83d\\ude00"}}',  # a backslash, then a lone low half
    '{"caseDetail": {"a": ' + "1" * 1200 + '}}',  # kept as text by the door
    '{"caseDetail": {"a": 1e400}}',
    '{"caseDetail": {"a": NaN}}',
    '{"caseDetail": [1, 2]}',
    '{"caseDetail": "text"}',
])
def test_it_gives_up_where_the_text_would_not_read_back_the_same(text):
    assert _member(text) is None


def test_an_escaped_surrogate_pair_is_kept():
    text = '{"caseDetail": {"a": "smile \\ud83d\\ude00"}}'
    assert json.loads(_member(text)) == {"a": "smile \U0001f600"}


def test_not_the_asked_key_or_not_an_object():
    assert member_text('{"a": {"b": 1}}', "caseDetail", {"a": {"b": 1}}) is None
    assert member_text("[1]", "caseDetail", [1]) is None
