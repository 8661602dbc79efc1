"""GradualRelease empties big containers over several event-loop turns, never in one."""

from __future__ import annotations

from caseviewer.ui.case_list.gradual_release import CHUNK, SMALL, GradualRelease


def test_big_containers_are_emptied_a_slice_per_turn(qtbot):
    release = GradualRelease()
    rows = [b"x" * 600 for _ in range(CHUNK * 5)]
    index = {str(i): i for i in range(CHUNK * 3)}
    release.release(rows, index)
    assert len(rows) == CHUNK * 5 and release.pending == 2  # nothing freed until the loop runs
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.processEvents()
    assert len(rows) == CHUNK * 4  # one slice per turn, not all at once
    qtbot.waitUntil(lambda: release.pending == 0, timeout=5000)
    assert rows == [] and index == {}


def test_small_containers_are_left_to_python(qtbot):
    release = GradualRelease()
    small = list(range(SMALL))
    release.release(small, {})
    assert release.pending == 0 and len(small) == SMALL
