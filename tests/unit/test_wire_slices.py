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


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(chunks=st.lists(st.binary(max_size=12) | st.sampled_from(
    [b"\xe2\x82\xac", b"\xf0\x9f\x98\x80", b"\xc3", b"\x80\x80\x80\x80\x80", b"\\u00e9", b"\\ud83d\\ude00", b"\\\\",
     b"\\\"", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"abc"]), max_size=30), key=st.booleans())
def test_bytes_are_cut_as_the_whole_body_would_decode(tiny_slices, chunks, key):
    """A UTF-8 body is cut as bytes (core/wire.py): a cut never splits a character, and bytes
    that are not UTF-8 are replaced exactly as decoding the whole body replaces them."""
    literal = b"".join(chunks).replace(b'"', b"").replace(b"\\", b"")  # raw bytes, no escapes...
    literal += b"".join(c for c in chunks if c.startswith(b"\\"))  # ...then some valid escapes
    body = (b'{"' + literal + b'": 1}') if key else (b'["' + literal + b'", "' + literal[::-1] + b'"]')
    tiny_slices(False)
    try:
        whole = wire.decode_json(body)
    except ValueError:
        whole = ValueError
    tiny_slices(True)
    try:
        sliced = wire.decode_json(body)
    except ValueError:
        sliced = ValueError
    assert sliced == whole


def test_a_big_utf8_body_is_never_decoded_whole(monkeypatch):
    """The megabyte literals of a big body are decoded a piece at a time: no string as long as
    the body is made (its allocation alone held the GIL for tens of milliseconds)."""
    made: list[int] = []
    real = wire._text_of  # noqa: SLF001 - the mechanism under test

    def spy(content):  # noqa: ANN001
        made.append(len(content))
        return real(content)

    monkeypatch.setattr(wire, "_text_of", spy)
    comment = "é€ word " * 200_000  # ~2 MB of UTF-8
    body = json.dumps({"comments": [{"text": comment}, {"text": comment[::-1]}], "id": "x"},
                      ensure_ascii=False).encode()
    assert wire.decode_json(body) == {"comments": [{"text": comment}, {"text": comment[::-1]}], "id": "x"}
    assert made and max(made) < 10_000, made  # only the skeleton was decoded whole
