"""TriageMarks: what the table shows per case, held small for 100,000 listed cases."""

from __future__ import annotations

from PySide6.QtCore import Qt

from caseviewer.core.changes import RowState
from caseviewer.core.reviewer_state import CaseTriage, Flag
from caseviewer.ui.triage.marks import TriageMarks


DECORATION = int(Qt.ItemDataRole.DecorationRole.value)


def painted(marks: TriageMarks, case_id: str) -> list[dict[int, object]]:
    """A row's paint answers (ten empty cells) as the marks fill them in."""
    cells: list[dict[int, object]] = [{} for _ in range(10)]
    marks.paint_cells(case_id, cells)
    return cells


def test_plain_new_cases_share_one_state_and_still_read_back_as_their_own(qapp):
    marks = TriageMarks(flag_column=9)
    ids = [f"case-{i}" for i in range(1000)]
    assert marks.update({case_id: CaseTriage(case_id) for case_id in ids}) == set(ids)
    assert not marks._by_id and len(marks._plain) == 1000  # packed ids, no object per case
    assert marks.get("case-7") == CaseTriage("case-7")
    assert marks.get("unknown") is None
    assert painted(marks, "case-7")[0].get(DECORATION) is not None  # the hollow "new" dot
    assert marks.ids_in_state(RowState.NEW) == set(ids)

    # The same again changes nothing; a flag or a read state does.
    assert marks.update({"case-1": CaseTriage("case-1")}) == set()
    flagged = CaseTriage("case-1", RowState.NEW, "", Flag(next(iter(Flag)).value), "")
    assert marks.update({"case-1": flagged, "case-2": CaseTriage("case-2", RowState.READ)}) == {"case-1", "case-2"}
    assert marks.get("case-1") == flagged
    assert marks.update({"case-1": flagged}) == set()
    assert marks.update({"case-1": CaseTriage("case-1")}) == {"case-1"}  # unflagged: back to plain
    assert marks.get("case-1") == CaseTriage("case-1")
    assert painted(marks, "case-2")[0].get(DECORATION) is None  # read: no dot
