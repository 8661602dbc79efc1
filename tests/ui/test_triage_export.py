"""The reviewer's flag and private note go into the case dossier, from the window (File > Export
case as PDF…) and from ``caseviewer export``; the PDFs are read back as text (pdftotext)."""

from __future__ import annotations

import argparse

import pytest

from caseviewer.cli import export as cli_export
from caseviewer.core import errors
from caseviewer.core.reviewer_state import Flag, ReviewerState
from tests.support.windows import make_main_window  # noqa: F401 - fixture
from tests.ui.test_dossier_pdf import pages_text
from tests.ui.test_export_window import ScriptedDialogs
from tests.unit.test_cache_support import make_repository, new_key, open_cache

WAIT_MS = 20_000
TITLE = "Reviewer's note and flag"
pytestmark = [pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"), pytest.mark.timeout(120)]


def export_open_case(qtbot, window, target) -> str:
    window.exports.dialogs = ScriptedDialogs(target, option=False)  # no attachments: faster, same body
    with qtbot.waitSignal(window.exports.exported, timeout=WAIT_MS):
        window.exports.pdf_action.trigger()
    return " ".join(pages_text(target))


def test_the_windows_dossier_carries_the_flag_and_the_private_note(qtbot, fresh_demo, make_main_window, tmp_path):
    window = make_main_window(make_repository(fresh_demo, open_cache(new_key())), page_size=20)
    qtbot.waitUntil(lambda: window.model.rowCount() >= 3 and not window.model.is_loading, timeout=WAIT_MS)
    flagged = window.model.case_id(0)
    with qtbot.waitSignal(window.triage.changes_known, timeout=WAIT_MS):
        window.select_row(0)
    with qtbot.waitSignal(window.triage.states_changed, timeout=WAIT_MS):
        window.triage.set_flag(Flag.ORANGE, [flagged])
    with qtbot.waitSignal(window.triage.states_changed, timeout=WAIT_MS):
        window.triage.set_note(flagged, "Ask about the second dose\nbefore Friday")
    text = export_open_case(qtbot, window, tmp_path / "flagged.pdf")
    assert TITLE in text
    assert "Follow up (orange)" in text
    assert "Ask about the second dose" in text and "before Friday" in text

    # A case with neither flag nor note: no such section at all.
    with qtbot.waitSignal(window.triage.changes_known, timeout=WAIT_MS):
        window.select_row(1)
    plain = export_open_case(qtbot, window, tmp_path / "plain.pdf")
    assert "At a glance" in plain and TITLE not in plain and "Ask about the second dose" not in plain


def test_the_export_command_carries_the_flag_and_the_private_note(qtbot, fresh_demo, tmp_path, capsys):
    key = new_key()
    case_id = fresh_demo.data.case_id(0)
    with open_cache(key) as cache:  # what the window wrote on an earlier day
        state = ReviewerState(cache)
        state.set_flag(case_id, Flag.PURPLE)
        state.set_note(case_id, "Compare with the March letter")
    parser = argparse.ArgumentParser(prog="caseviewer")
    cli_export.register(parser.add_subparsers(dest="command", required=True), [])
    target = tmp_path / "cli.pdf"
    args = parser.parse_args(["export", case_id, "--pdf", str(target)])
    args.open_repository = lambda: make_repository(fresh_demo, open_cache(key))
    assert args.func(args) == errors.EXIT_OK
    text = " ".join(pages_text(target))
    assert TITLE in text and "Later (purple)" in text and "Compare with the March letter" in text
    assert "wrote" in capsys.readouterr().out
