"""Wrong types in every field of the detail document: parsing degrades, never raises.

Hypothesis replaces the value at every path of the seed's example with arbitrary JSON (strings,
numbers, bools, nulls, lists, objects) and the model must still parse, keep the raw JSON, and keep
every *other* field intact.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseviewer.core.api import CaseQuery, parse_case_detail, parse_case_page
from caseviewer.core import errors
from caseviewer.core.list_page import parse_listed_page
from caseviewer.core.models import CaseDetail

SEED = json.loads((Path(__file__).parents[1] / "unit" / "data" / "seed_detail_example.json").read_text())["caseDetail"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


def paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


ALL_PATHS = [p for p in paths(SEED) if p]


def replaced(document, path, value):
    document = copy.deepcopy(document)
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return document


@pytest.mark.parametrize("path", ALL_PATHS, ids=lambda p: ".".join(map(str, p)))
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=json_values)
def test_any_value_at_any_path_parses(path, value):
    document = replaced(SEED, path, value)
    detail = CaseDetail.from_raw(document)
    assert detail.raw is document
    if path[0] != "id":
        assert detail.id == SEED["id"]
    if path[0] != "submitter":
        assert detail.submitter.email == SEED["submitter"]["email"]


@settings(max_examples=200, deadline=None)
@given(body=json_values)
def test_any_body_is_a_detail_or_a_schema_error(body):
    try:
        parse_case_detail(body, "case detail service")
    except errors.SchemaError:
        pass


@settings(max_examples=200, deadline=None)
@given(body=json_values)
def test_any_body_is_a_page_or_a_schema_error(body):
    try:
        page = parse_case_page(CaseQuery(), body, "case list service")
    except errors.SchemaError:
        return
    assert isinstance(page.total_items, int) and isinstance(page.records, list)


list_records = st.lists(
    json_values | st.fixed_dictionaries({"id": json_values}, optional={"business_name": json_values,
                                                                        "status": json_values}),
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(records=list_records, totals=st.dictionaries(st.sampled_from(["total_pages", "total_items"]), json_values))
def test_a_sync_reads_any_page_as_the_list_does_without_building_its_models(records, totals):
    """``parse_listed_page`` (a sync's, models on request) agrees with ``parse_case_page`` on
    every body: the same error, or the same ids, records and totals."""
    body = {"data": {"records": records, **totals}}
    page = parse_case_page(CaseQuery(), copy.deepcopy(body), "case list service")
    listed = parse_listed_page(CaseQuery(), body, "case list service")
    assert listed.ids == [record.id for record in page.records]
    assert [listed.record(i) for i in range(len(listed.ids))] == page.records
    assert (listed.total_items, listed.total_pages, listed.is_last) == (page.total_items, page.total_pages, page.is_last)


@settings(max_examples=100, deadline=None)
@given(body=json_values)
def test_any_body_is_a_listed_page_or_the_same_schema_error(body):
    try:
        parse_case_page(CaseQuery(), copy.deepcopy(body), "case list service")
    except errors.SchemaError:
        with pytest.raises(errors.SchemaError):
            parse_listed_page(CaseQuery(), body, "case list service")
        return
    assert isinstance(parse_listed_page(CaseQuery(), body, "case list service").total_items, int)
