"""core/id_index.py: the packed ids of a listed table answer as a list of ids and a dict of id to
row would, for any ids the service may send (UUIDs, other text, none), across growth; a set of ids
answers as a ``set``; and tables and sets sharing one store hold each id once."""

from __future__ import annotations

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from caseviewer.core.id_index import IdIndex, IdSet, IdStore

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


def fill(ids: list[str | None], expected: int = 0,
         store: IdStore | None = None) -> tuple[IdIndex, list[str | None], dict[str, int]]:
    """The index and, beside it, the list and dict it stands for (first row of an id wins)."""
    index, rows, row_of = IdIndex(expected, store=store), [], {}
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
    before = reserved.store.nbytes + reserved.nbytes
    for case_id in ids:
        reserved.add(case_id)
    # 29 bytes an id (16 of UUID, its end, its kind, row <-> handle); a doubled table adds 64 KB.
    assert reserved.store.nbytes + reserved.nbytes - before < 5000 * 32, "sized once: no table growth while filling"


def test_packed_small():
    index = IdIndex(100_000)
    for _ in range(100_000):
        index.add(str(uuid.uuid4()))
    assert index.nbytes + index.store.nbytes < 4e6  # a list, a dict and the strings held ~16 MB


def test_tables_and_a_set_on_one_store_hold_each_id_once():
    """The table's rows and the triage marks' plain-new set share a store: the ids of 100,000
    listed cases are kept once (they were kept twice, 3 MB each), and a re-sort (a new table of
    the same ids) adds nothing to the store."""
    ids = [str(uuid.uuid4()) for _ in range(100_000)]
    store = IdStore()
    plain = IdSet(store)
    table = IdIndex(len(ids), store=store)
    for case_id in ids:
        table.add(case_id)
        plain.add(case_id)
    held = store.nbytes
    assert len(store) == len(ids) and len(plain) == len(ids)
    assert plain.nbytes <= len(ids) // 8 + 1, "one bit per id, the ids themselves are the store's"
    resorted = IdIndex(len(ids), store=store)
    for case_id in reversed(ids):
        resorted.add(case_id)
    assert store.nbytes == held and len(store) == len(ids), "the same ids again: nothing new in the store"
    assert resorted.nbytes <= 8 * len(ids) + 64
    assert resorted.row_of(ids[0]) == len(ids) - 1 and table.row_of(ids[0]) == 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=40), st.uuids().map(str),
                          st.sampled_from(ODD_IDS)), max_size=200),
       st.lists(st.one_of(st.text(max_size=20), st.uuids().map(str), st.sampled_from(ODD_IDS)), max_size=100))
def test_a_table_on_a_shared_store_answers_only_for_its_own_rows(ids, others):
    """Another table's (or a set's) ids in the store are not this table's rows."""
    store = IdStore()
    other = IdIndex(store=store)
    for case_id in others:
        other.add(case_id)
    index, rows, row_of = fill(ids, store=store)
    check(index, rows, row_of)
    for case_id in others:
        if case_id not in row_of:
            assert index.row_of(case_id) is None and case_id not in index
    assert list(index) == [case_id for case_id in rows if case_id]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=40), st.uuids().map(str),
                          st.sampled_from(ODD_IDS)), max_size=300),
       st.lists(st.one_of(st.text(max_size=20), st.uuids().map(str)), max_size=50))
def test_a_set_answers_as_a_set_would(added, asked):
    store = IdStore()
    IdIndex(store=store).add("listed-elsewhere")  # the store holds more than the set
    ids, expected = IdSet(store), set()
    for case_id in added:
        ids.add(case_id)
        if case_id:
            expected.add(case_id)
    assert len(ids) == len(expected)
    assert set(ids) == expected and len(list(ids)) == len(expected)
    for case_id in [*added, *asked, "listed-elsewhere", None, 7]:
        assert (case_id in ids) == (case_id in expected)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=40), st.uuids().map(str),
                          st.sampled_from(ODD_IDS)), max_size=300))
def test_it_answers_as_a_list_and_a_dict_would(ids):
    check(*fill(ids))
