"""Long bodies are parsed in slices (core/wire.py): the document is the one a single parse gives,
and what is not JSON stays not JSON."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseviewer.core import wire

TEXTS = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=40)
DOCS = st.recursive(st.none() | st.booleans() | st.integers() | TEXTS,
                    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(TEXTS, inner, max_size=5),
                    max_leaves=25)


@pytest.fixture
def tiny_slices(monkeypatch):
    """Every body sliced and every literal over three characters cut out, in pieces of three."""
    def use(on: bool) -> None:
        monkeypatch.setattr(wire, "SLICE_FROM_CHARS", 1 if on else 10**12)
        monkeypatch.setattr(wire, "BIG_LITERAL_CHARS", 3 if on else 10**12)
    return use


# The fixture only switches two module settings back and forth; nothing to reset between examples.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=DOCS, ascii_only=st.booleans())
def test_a_sliced_parse_gives_the_same_document(tiny_slices, doc, ascii_only):
    body = json.dumps(doc, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    tiny_slices(False)
    whole = wire.decode_json(body)
    tiny_slices(True)
    assert wire.decode_json(body) == whole


@pytest.mark.parametrize("body", [
    '{"a": "abc\x01def"}', '{"a": "abcdefgh', '{"a": "abc\\qdef"}', '["abcdef\\u12"]', '{"abcdef": }',
])
def test_what_is_not_json_stays_not_json(tiny_slices, body):
    tiny_slices(True)
    with pytest.raises(ValueError):
        wire.decode_json(body.encode())


def test_pairs_and_lone_halves_across_slices(tiny_slices):
    tiny_slices(True)
    body = b'["abcdefgh\\ud800\\udc00xyz", "\\udfaaabcdef", {"\\ud800keykey": "v"}]'
    assert wire.decode_json(body) == ["abcdefgh\U00010000xyz", "\ufffdabcdef", {"\ufffdkeykey": "v"}]
