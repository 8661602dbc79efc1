"""core/id_index.py: the packed ids of a listed table answer as a list of ids and a dict of id to
row would, for any ids the service may send (UUIDs, other text, none), across growth."""

from __future__ import annotations

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from caseviewer.core.id_index import IdIndex

ODD_IDS = [
    "F96421C3-DACA-4D14-BB3F-5F4E3E26B90F",  # a UUID, but not in the canonical lowercase form
    "f96421c3daca4d14bb3f5f4e3e26b90f",  # hex without dashes
    "f96421c3-daca-4d14-bb3f-5f4e3e26b9 f",  # the shape of a UUID with a space (fromhex skips it)
    "g96421c3-daca-4d14-bb3f-5f4e3e26b90f",  # not hex
    "12345678-1234-1234-1234-123456789012",  # digits only: no lowercase letter
    "case-16-chars-xx",  # 16 bytes of text: the length of a packed UUID
    "ünïcödé ✓ 案件",
    "\ud800 lone surrogate",
    " ",
    "0" * 300,
]


def fill(ids: list[str | None], expected: int = 0) -> tuple[IdIndex, list[str | None], dict[str, int]]:
    """The index and, beside it, the list and dict it stands for (first row of an id wins)."""
    index, rows, row_of = IdIndex(expected), [], {}
    for case_id in ids:
        added = index.add(case_id)
        if case_id and case_id in row_of:
            assert added is None, "an id listed already gets no second row"
            continue
        assert added == len(rows)
        rows.append(case_id or None)
        if case_id:
            row_of[case_id] = added
    return index, rows, row_of


def check(index: IdIndex, rows: list[str | None], row_of: dict[str, int]) -> None:
    assert len(index) == len(rows)
    assert [index[row] for row in range(len(rows))] == rows
    for case_id, row in row_of.items():
        assert index.row_of(case_id) == row
        assert case_id in index


def test_uuids_and_other_ids_round_trip():
    ids = [str(uuid.uuid4()) for _ in range(50)] + ODD_IDS + [None, ""]
    index, rows, row_of = fill(ids)
    check(index, rows, row_of)
    assert index[-1] is None and index.row_of("") is None and index.row_of(None) is None
    assert index.row_of(ids[0].upper()) is None, "the upper-case form is another id"
    assert index.row_of(str(uuid.uuid4())) is None


def test_growth_past_what_was_reserved_keeps_every_row():
    ids = [str(uuid.uuid4()) for _ in range(5000)]
    index, rows, row_of = fill(ids, expected=10)  # re-hashes several times
    check(index, rows, row_of)
    reserved = IdIndex(5000)
    before = reserved.nbytes
    for case_id in ids:
        reserved.add(case_id)
    assert reserved.nbytes - before < 5000 * 25, "sized once: no table growth while filling"


def test_packed_small():
    index = IdIndex(100_000)
    for _ in range(100_000):
        index.add(str(uuid.uuid4()))
    assert index.nbytes < 3.5e6  # a list, a dict and the strings held ~16 MB


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=40), st.uuids().map(str),
                          st.sampled_from(ODD_IDS)), max_size=300))
def test_it_answers_as_a_list_and_a_dict_would(ids):
    check(*fill(ids))
