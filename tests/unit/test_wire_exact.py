"""``decode_json_exact``: the text is handed back only when plain ``json.loads`` reads the same value."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseviewer.core import errors, wire


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


# -- decode_json_elements: a list page and the texts of its records as sent ------------------

RECORDS = ("data", "records")


@pytest.mark.parametrize("text", [
    '{"data": {"records": [{"id": "a", "n": 1}, {"id": "b", "x": [1, {"y": null}]}], "total_items": 2}}',
    ' \n{ "status" : "ok" ,"data":{ "total_pages":1, "records" : [ {"id":"a"} ,\t"not an object", 3 ] } } \n',
    '{"data": {"records": []}}',
    '{"data": {"records": [{"id": "} ] { [ \\" \\\\", "k\\u00e9": "caf\\u00e9 \U0001f600"}]}}',
    '{"data": {"records": [{"id": 12345678901234567890123, "f": 1.5e3, "big": ' + "9" * 1200 + '}]}}',
    '{"data": {"records": [{"id": NaN}, {"id": Infinity}]}}',
])
def test_a_page_is_read_as_decode_json_reads_it_and_each_record_text_is_the_one_sent(text):
    value, elements = wire.decode_json_elements(text, RECORDS)
    assert value == wire.decode_json(text)
    assert elements is not None and len(elements) == len(value["data"]["records"])
    for element, record in zip(elements, value["data"]["records"]):
        assert element in text  # as sent, not encoded again
        assert wire.decode_json(element) == record


@pytest.mark.parametrize("text", [
    '{"data": {"records": {"id": "a"}}}',  # not an array
    '{"data": [1, 2]}',
    '{"other": 1}',
    '{"data": {"records": [{"id": "a"}]}, "data": {"records": [{"id": "b"}]}}',  # the path twice
    '{"data": {"records": [{"id": "a"}], "records": [{"id": "b"}]}}',
    '[{"id": "a"}]',
    '"just a string"',
    '{"data": {"records": [{"id": "a"}]}} trailing',
    '{"data": {"records": [{"id": "a"},]}}',
    '{"data": {"records": [{"id": "a"}',
    '',
])
def test_a_body_of_another_shape_is_read_whole_and_fails_as_decode_json_fails(text):
    try:
        expected = wire.decode_json(text)
    except ValueError as exc:
        with pytest.raises(type(exc)):
            wire.decode_json_elements(text, RECORDS)
        return
    value, elements = wire.decode_json_elements(text, RECORDS)
    assert value == expected and elements is None


def test_a_repeated_key_off_the_path_reads_as_json_reads_it():
    text = '{"data": {"total_items": 1, "records": [{"id": "a"}], "total_items": 7}, "x": 1, "x": 2}'
    value, elements = wire.decode_json_elements(text, RECORDS)
    assert value == json.loads(text) and list(value["data"]) == list(json.loads(text)["data"])
    assert elements == ['{"id": "a"}']


@pytest.mark.parametrize("levels", [wire.MAX_DEPTH + 1, 150, 5000])
def test_a_record_nested_too_deeply_fails_the_page_as_too_deep(levels):
    deep = "[" * levels + "]" * levels
    text = '{"data": {"records": [{"id": "a"}, {"id": "b", "deep": ' + deep + '}]}}'
    with pytest.raises(errors.TooDeep):
        wire.decode_json_elements(text, RECORDS)
    with pytest.raises(errors.TooDeep):
        wire.decode_json_elements(text.encode(), RECORDS)


def test_a_lone_surrogate_in_a_record_is_replaced_and_its_text_kept_as_sent():
    text = '{"data": {"records": [{"id": "a", "name": "x\\udfaa"}]}}'
    value, elements = wire.decode_json_elements(text.encode(), RECORDS)
    assert value["data"]["records"][0]["name"] == "x\ufffd"
    assert elements == ['{"id": "a", "name": "x\\udfaa"}']


def test_a_body_long_enough_for_slices_is_read_whole(monkeypatch):
    monkeypatch.setattr(wire, "SLICE_FROM_CHARS", 16)
    text = '{"data": {"records": [{"id": "' + "x" * 100 + '"}]}}'
    value, elements = wire.decode_json_elements(text, RECORDS)
    assert value == json.loads(text) and elements is None


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(records=st.lists(_json_values, max_size=5), data=st.dictionaries(st.text(max_size=6), _json_values, max_size=3),
       top=st.dictionaries(st.text(max_size=6), _json_values, max_size=3), indent=st.sampled_from([None, 0, 2, "\t"]),
       ascii=st.booleans())
def test_any_page_reads_as_decode_json_reads_it(records, data, top, indent, ascii):
    body = {**top, "data": {**data, "records": records}}
    text = json.dumps(body, indent=indent, ensure_ascii=ascii)
    value, elements = wire.decode_json_elements(text.encode("utf-8", "surrogatepass"), RECORDS)
    assert value == wire.decode_json(text.encode("utf-8", "surrogatepass"))
    assert elements is not None and [wire.decode_json(e) for e in elements] == value["data"]["records"]


# -- the depth limit read from the text ------------------------------------------------------

def _depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


_tricky_text = st.text(alphabet='"\\[]{}/ab\n\u00e9\U0001f600', max_size=8)
_tricky_values = st.recursive(
    st.none() | st.integers() | _tricky_text,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_tricky_text, children, max_size=3),
    max_leaves=12,
)


@settings(max_examples=500, deadline=None)
@given(value=_tricky_values, ascii=st.booleans(), indent=st.sampled_from([None, 1]))
def test_the_depth_read_from_the_text_is_the_depth_of_the_value(value, ascii, indent):
    """Strings full of quotes, backslashes and brackets never move the depth ``nesting_over``
    reads: it says "over" exactly when the value is deeper than the limit."""
    text = json.dumps(value, ensure_ascii=ascii, indent=indent).encode("utf-8", "surrogatepass")
    depth = _depth(value)
    for limit in range(0, 6):
        assert wire.nesting_over(text, limit) == (depth > limit), (text, limit, depth)


@pytest.mark.parametrize("text", [
    '{"a": "\\\\"}', '{"a": "\\\\\\""}', '["\\"[", "]\\\\", "\\\\\\"{"]', '{"\\"[[": ["\\\\", "[[["]}',
    '"[[[[[["', '[[["\\u005c"]]]', '[ [ ] , { "k" : [ ] } ]',
])
def test_escapes_and_brackets_in_strings_read_as_the_parser_reads_them(text):
    depth = _depth(json.loads(text))
    for limit in range(0, 5):
        assert wire.nesting_over(text.encode(), limit) == (depth > limit)


@pytest.mark.parametrize("content", [
    lambda deep: ('{"caseDetail": {"a": ' + deep + "}}").encode(),
    lambda deep: ('{"caseDetail": {"a": ' + deep + ', "s": "\\\\\\"]]]]"}}').encode(),
    lambda deep: ('{"caseDetail": {"a": ' + deep + "}}").encode("utf-16"),
    lambda deep: '{"caseDetail": {"a": ' + deep + "}}",
])
def test_one_level_past_the_limit_is_too_deep_and_the_limit_itself_is_not(content):
    over = "[" * wire.MAX_DEPTH + "]" * wire.MAX_DEPTH  # with caseDetail's two objects: MAX_DEPTH + 2
    at = "[" * (wire.MAX_DEPTH - 2) + "]" * (wire.MAX_DEPTH - 2)
    with pytest.raises(errors.TooDeep):
        wire.decode_json_exact(content(over))
    with pytest.raises(errors.TooDeep):
        wire.decode_json(content(over))
    assert _depth(wire.decode_json(content(at))) == wire.MAX_DEPTH
