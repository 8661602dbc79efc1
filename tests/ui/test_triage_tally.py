"""The views bar's triage counts, kept row by row, agree with counting every row afresh."""

from __future__ import annotations

import random

from caseviewer.core.changes import RowState
from caseviewer.core.reviewer_state import CaseTriage, Flag
from caseviewer.core.views import TriageFilter
from caseviewer.ui.triage.view_counts import TriageTally, in_view, triage_bits

VIEWS = (TriageFilter.NEW, TriageFilter.UPDATED, TriageFilter.FLAGGED)


def reference(marks: list) -> dict[TriageFilter, int]:
    """Counted the plain way, from the marks themselves."""
    def matches(view: TriageFilter, triage) -> bool:  # noqa: ANN001
        if triage is None:
            return view is TriageFilter.NEW
        if view is TriageFilter.FLAGGED:
            return triage.flag is not None
        return triage.state is (RowState.NEW if view is TriageFilter.NEW else RowState.UPDATED)
    return {view: sum(1 for t in marks if matches(view, t)) for view in VIEWS}


def random_triage(rng: random.Random, case_id: str):  # noqa: ANN201
    if rng.random() < 0.2:
        return None
    return CaseTriage(case_id, state=rng.choice(list(RowState)),
                      flag=rng.choice([None, None, *Flag]))


def test_counts_follow_inserts_removals_and_mark_changes() -> None:
    rng = random.Random(20)
    marks: list = []
    tally = TriageTally(lambda row: marks[row])
    for step in range(300):
        action = rng.random()
        if action < 0.4 or not marks:
            first = rng.randint(0, len(marks))
            fresh = [random_triage(rng, f"c{step}-{i}") for i in range(rng.randint(1, 20))]
            marks[first:first] = fresh
            tally.inserted(first, first + len(fresh) - 1)
        elif action < 0.5:
            first = rng.randrange(len(marks))
            last = min(len(marks) - 1, first + rng.randint(0, 5))
            del marks[first:last + 1]
            tally.removed(first, last)
        else:
            rows = [rng.randrange(len(marks)) for _ in range(rng.randint(1, 10))]
            before = {row: tally.bits(row) for row in rows}
            for row in rows:
                marks[row] = random_triage(rng, f"m{step}-{row}")
            moved = tally.changed(rows + [len(marks) + 5])  # a row outside is ignored
            assert set(moved) == {row for row in rows if triage_bits(marks[row]) != before[row]}
        assert len(tally) == len(marks)
        assert {view: tally.count(view) for view in VIEWS} == reference(marks)
        assert tally.count(TriageFilter.ALL) == len(marks)
    tally.reset(len(marks))
    assert {view: tally.count(view) for view in VIEWS} == reference(marks)


def test_a_row_is_in_a_view_as_its_marks_say() -> None:
    flagged_read = CaseTriage("a", state=RowState.READ, flag=Flag.BLUE)
    assert in_view(TriageFilter.FLAGGED, triage_bits(flagged_read))
    assert not in_view(TriageFilter.NEW, triage_bits(flagged_read))
    assert in_view(TriageFilter.NEW, triage_bits(None))  # never seen: new
    assert in_view(TriageFilter.ALL, triage_bits(CaseTriage("b", state=RowState.READ)))
    assert in_view(TriageFilter.UPDATED, triage_bits(CaseTriage("c", state=RowState.UPDATED)))
