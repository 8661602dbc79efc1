"""Terminal and argument hygiene of the real CLI.

``show`` (summary) and ``search`` wrote the service's ESC sequences, bidi overrides and control
characters to the terminal, which obeys them (clear the screen, retitle the window, reorder a
file name). They are shown escaped now (``<U+001B>``), as the window does. Case ids that begin
with ``-`` go after ``--``, and ``search --limit`` takes only a sane number (usage error, exit 2).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseviewer.core.text import CONTROL_POINTS, terminal_json, terminal_line
from tests.support.cli_process import assert_clean_exit, run_cli, text

FORBIDDEN = {chr(c) for c in CONTROL_POINTS} | {"\r"}


def assert_no_controls(output: str) -> None:
    lines = output.split("\n")
    for line in lines:
        bad = sorted({c for c in line if c in FORBIDDEN})
        assert not bad, (bad, line[:200])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.lists(st.sampled_from(sorted(FORBIDDEN) + ["a", "\n", "\t", "\u00e9"]), max_size=30).map("".join))
def test_terminal_line_leaves_no_control_character(value):
    line = terminal_line(value)
    assert "\n" not in line and "\t" not in line
    assert_no_controls(line)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.text(max_size=20) | st.integers(), max_size=5))
def test_terminal_json_is_the_same_json_without_raw_controls(value):
    out = terminal_json(value)
    assert json.loads(out) == json.loads(json.dumps(value))
    assert_no_controls(out.replace("\n", ""))


@pytest.fixture
def hostile_case(fresh_demo):
    fresh_demo.faults.update(hostile="terminal_escapes")
    return fresh_demo.data.case_ids()[0]


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_show_escapes_service_text(fresh_demo, hostile_case, extra):
    result = run_cli(["show", hostile_case, *extra], fresh_demo)
    assert_clean_exit(result, 0)
    out = text(result.stdout)
    assert_no_controls(out)
    if extra:
        assert json.loads(out)["title"].startswith("\x1b[2J")  # the data itself is intact
    else:
        assert "<U+001B>[2J" in out and "invoice<U+202E>gnp.exe" in out


def test_search_and_sync_escape_service_text(fresh_demo, hostile_case):
    synced = run_cli(["sync"], fresh_demo)
    assert_clean_exit(synced, 0)
    assert_no_controls(text(synced.stdout))
    for words in (["ALERT"], ["CSI"], ["backspace"]):
        found = run_cli(["search", *words], fresh_demo)
        assert_clean_exit(found, 0)
        out = text(found.stdout)
        assert out.strip(), words
        assert_no_controls(out)
        assert_no_controls(text(found.stderr))


@pytest.mark.parametrize("case_id", ["-abc", "--help-me", "-1", "-"])
def test_a_case_id_beginning_with_a_dash_goes_after_double_dash(fresh_demo, case_id):
    result = run_cli(["show", "--", case_id], fresh_demo, cache=False)
    assert_clean_exit(result, 4)  # asked for and not found: the id reached the service
    assert "no case with that ID" in text(result.stderr)


def test_a_dash_case_id_without_double_dash_is_a_usage_error(fresh_demo):
    result = run_cli(["show", "-abc"], fresh_demo, cache=False)
    assert result.returncode == 2 and "Traceback" not in text(result.stderr)
    assert "goes after '--'" in text(result.stderr)  # says how to pass it


@pytest.mark.parametrize("limit", ["99999999999999999999", "0", "-5", "1e3", "abc", "10001", str(2**63)])
def test_search_limit_is_validated(fresh_demo, limit):
    result = run_cli(["search", "word", "--limit", limit], fresh_demo)
    assert result.returncode == 2, text(result.stderr)
    err = text(result.stderr)
    assert "caseviewer: internal error (" not in err and "Traceback" not in err
    assert "--limit" in err


@pytest.mark.parametrize("limit", ["1", "10000"])
def test_a_sane_search_limit_works(fresh_demo, limit):
    assert_clean_exit(run_cli(["sync"], fresh_demo), 0)
    result = run_cli(["search", "the", "--limit", limit], fresh_demo)
    assert result.returncode in (0, 4), text(result.stderr)
    assert "caseviewer: internal error (" not in text(result.stderr)
