"""``decode_json_exact``: the text is handed back only when plain ``json.loads`` reads the same value."""

from __future__ import annotations

import json

import pytest

from caseviewer.core import wire


@pytest.mark.parametrize("text", [
    '{"caseDetail": {"a": 1, "b": [1.5, null, true], "c": "smile \U0001f600"}}',
    '{"caseDetail": {"a": 1}, "caseDetail": {"a": 2}}',  # a repeated key: both read the last one
    '  {"x": "} ] { [ \\" \\\\"}  ',
])
def test_text_that_reads_back_the_same_is_handed_back(text):
    value, exact = wire.decode_json_exact(text)
    assert exact == text and json.loads(exact) == value


@pytest.mark.parametrize("text", [
    '{"a": "\\udfaa"}',  # a lone surrogate: the door replaced it, the text still has it
    '{"a": "\\ud83d\\ude00"}',  # any surrogate escape: the door looks for lone ones (so, to be safe)
    '{"a": ' + "1" * 1200 + "}",  # kept as text by the door
    '{"a": 1e400}',
    '{"a": NaN}',
])
def test_text_the_door_changed_is_not_handed_back(text):
    value, exact = wire.decode_json_exact(text)
    assert exact is None
    assert value == wire.decode_json(text)


def test_a_sliced_parse_hands_back_no_text(monkeypatch):
    monkeypatch.setattr(wire, "SLICE_FROM_CHARS", 16)
    _, exact = wire.decode_json_exact('{"a": "' + "x" * 100 + '"}')
    assert exact is None
