"""Fingerprints of a case's parts and their diff (core/changes.py), and the reviewer's state in
the encrypted cache (core/reviewer_state.py): seen / newest copy, unread, flags, private notes."""

from __future__ import annotations

import copy

from caseviewer.core.changes import (
    Fingerprint,
    Mark,
    Part,
    RowState,
    diff,
    fingerprint_detail,
    fingerprint_record,
    row_state,
    shipping_log_id,
)
from caseviewer.core.reviewer_state import Flag, ReviewerState
from caseviewer.demo.data import DemoData
from tests.unit.test_cache_support import open_cache

DATA = DemoData(cases=20, seed=3)
RICH = DATA.case_id(0)


def test_an_unchanged_case_has_no_changes_even_with_fresh_signed_urls():
    doc = DATA.detail(RICH)
    again = copy.deepcopy(doc)
    for att in again["attachments"]:
        att["url"] = "https://files.example.test/new-signature"
        att.pop("content", None)
    assert not diff(fingerprint_detail(doc), fingerprint_detail(again)).any


def test_the_demo_edit_marks_exactly_the_comment_the_shipping_log_and_the_status():
    data = DemoData(cases=20, seed=3)
    before = data.detail(RICH)
    data.edits.change(0)
    after = data.detail(RICH)
    changes = diff(fingerprint_detail(before), fingerprint_detail(after))
    assert {change.part for change in changes.parts} == {Part.STATUS, Part.COMMENTS, Part.SHIPPING_LOGS}
    first_comment = before["comments"][0]["id"]
    assert changes.item_marks(Part.COMMENTS, first_comment) == (Mark.CHANGED, None)
    for other in before["comments"][1:]:
        assert changes.item_marks(Part.COMMENTS, other["id"]) == (Mark.NONE, None)
    order = before["orders"][0]
    new_log = shipping_log_id(order["id"], len(order["shippingLogs"]))
    assert changes.item_marks(Part.SHIPPING_LOGS, new_log) == (Mark.NEW, None)
    assert changes.item_marks(Part.ORDERS, order["id"]) == (Mark.NONE, None)
    assert changes.status_mark() == (Mark.CHANGED, before["status"])
    assert changes.summary() == f"Status changed (was {before['status']}); 1 changed comment; 1 new shipping log"


def test_parts_one_side_does_not_know_are_no_change():
    detail = fingerprint_detail(DATA.detail(RICH))
    listed = fingerprint_record("SUBMITTED")
    assert not diff(detail.merged(listed), listed).any
    assert diff(detail.merged(listed), fingerprint_record("ESCALATED")).summary() == "Status changed (was SUBMITTED)"


def test_a_fingerprint_round_trips_and_damage_reads_as_unknown():
    fp = fingerprint_detail(DATA.detail(RICH))
    assert Fingerprint.from_json(fp.to_json()) == fp
    assert Fingerprint.from_json("not json").is_empty
    assert Fingerprint.from_json('{"no_such_part": {"a": "b"}, "comments": []}').is_empty


def test_row_state():
    fp = fingerprint_record("A")
    assert row_state(None, None) is RowState.NEW
    assert row_state(fp, fp) is RowState.READ
    assert row_state(fp, fingerprint_record("B")) is RowState.UPDATED
    assert row_state(fp, fp, unread=True) is RowState.UPDATED


def test_reviewer_state_new_seen_updated_unread_read(tmp_path):
    data = DemoData(cases=20, seed=3)
    with open_cache() as cache:
        state = ReviewerState(cache)
        case = RICH
        assert state.states([case])[case].state is RowState.NEW
        first = state.record_view(case, fingerprint_detail(data.detail(case)))
        assert first.first_view and not first.any
        assert state.states([case])[case].state is RowState.READ
        data.edits.change(0)
        newer = fingerprint_detail(data.detail(case))
        assert state.observe({case: newer}) == {case}
        triage = state.states([case])[case]
        assert triage.state is RowState.UPDATED
        assert "1 changed comment" in triage.changes and "1 new shipping log" in triage.changes
        assert state.observe({case: newer}) == set()  # the same copy again: nothing new
        state.mark_read([case])
        assert state.states([case])[case].state is RowState.READ
        state.mark_unread([case])
        assert state.states([case])[case].state is RowState.UPDATED
        changes = state.record_view(case, newer)
        assert not changes.any  # it was marked read before: nothing changed since
        assert state.states([case])[case].state is RowState.READ
        assert state.watched_ids() == [case]


def test_observing_a_never_opened_case_keeps_it_new():
    with open_cache() as cache:
        state = ReviewerState(cache)
        assert state.observe({RICH: fingerprint_record("SUBMITTED")}) == set()
        assert state.states([RICH])[RICH].state is RowState.NEW
        state.mark_read([RICH])
        assert state.states([RICH])[RICH].state is RowState.READ


def test_flags_and_notes_survive_reopening_and_notes_are_found_by_full_text():
    from tests.unit.test_cache_support import new_key

    key = new_key()
    with open_cache(key) as cache:
        cache.put_detail(DATA.detail(RICH), DATA.list_record(0))
        state = ReviewerState(cache)
        state.set_flag(RICH, Flag.RED)
        state.set_note(RICH, "check the zebrafinch dosage")
    with open_cache(key) as cache:
        state = ReviewerState(cache)
        assert state.annotation(RICH) == (Flag.RED, "check the zebrafinch dosage")
        assert state.states([RICH])[RICH].flag is Flag.RED
        assert state.flagged_ids() == [RICH]
        assert [hit.case_id for hit in cache.search_text("zebrafinch")] == [RICH]
        state.set_note(RICH, "")
        assert cache.search_text("zebrafinch") == []
        state.set_flag(RICH, None)
        assert state.annotation(RICH) == (None, "")
        assert state.flagged_ids() == []


def test_saved_views_encode_decode_and_reject_bad_names():
    import pytest

    from caseviewer.core import views
    from caseviewer.core.views import SavedView, TriageFilter

    own = views.add((), SavedView("Mine", statuses=(4,), triage=TriageFilter.UPDATED))
    assert views.decode(views.encode(own)) == own
    assert views.decode("garbage") == ()
    assert views.decode('[{"name": ""}, {"name": "ok", "triage": "nope"}, {"name": "fine"}]') == (SavedView("fine"),)
    with pytest.raises(ValueError):
        views.add(own, SavedView("   "))
    with pytest.raises(ValueError):
        views.add(own, SavedView("x" * 61))
    assert views.move(own, 0, 1) == own
