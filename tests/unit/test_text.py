"""The one text module (``core/text.py``): names, sizes, codes in words, eliding, and that the
window's and the core's callers use these rules rather than copies of them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseviewer.core import people, text, vocabulary
from caseviewer.core.models import Applicant, BasicUser, CaseRecord
from caseviewer.core.vocabulary import Vocab


# -- full names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "last", "expected"), [
    ("Ann", "Lee", "Ann Lee"),
    ("Ann", None, "Ann"),
    (None, "Lee", "Lee"),
    (None, None, ""),
    ("  Ann ", " Lee", "Ann Lee"),  # each part trimmed
    ("   ", "Lee", "Lee"),  # a blank part is no part (no leading space)
    ("", "", ""),
])
def test_a_full_name_is_the_non_blank_parts_trimmed(first, last, expected):
    assert text.full_name({"first_name": first, "last_name": last}) == expected
    assert BasicUser(first_name=first, last_name=last).full_name == expected
    assert Applicant(first_name=first, last_name=last).full_name == expected


def test_a_full_name_of_no_person_is_empty_and_loose_parts_are_written_as_text():
    assert text.full_name(None) == ""
    assert text.full_name({"first_name": 7, "last_name": "Lee"}) == "7 Lee"


def test_every_full_name_caller_uses_the_one_rule():
    record = CaseRecord.model_validate({"applicant": {"first_name": " Ann", "last_name": "Lee "},
                                        "assignee": {"first_name": "  ", "last_name": "Ray"}})
    assert record.applicant_name == "Ann Lee"
    assert people.list_extras(record)[1] == "Ray"
    users = {"u1": BasicUser(id="u1", first_name=" ", last_name=" ")}
    assert people.name_for("u1", users) is None  # a blank name is no name: the id is shown instead


# -- sizes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "expected"), [
    (0, "0 bytes"), (12, "12 bytes"), (1023, "1023 bytes"), (1024, "1.0 KB"),
    (1_258_291, "1.2 MB"), (5 * 1024**3, "5.0 GB"), (3 * 1024**4, "3072.0 GB"),
])
def test_sizes_read_in_binary_steps_up_to_gigabytes(size, expected):
    assert text.human_size(size) == expected


def test_a_size_no_file_can_have_is_shown_as_sent_with_a_warning():
    assert text.human_size(-5) == "⚠ -5 bytes"
    long = text.human_size(10**60)
    assert long.startswith("⚠ 1000") and long.endswith("… bytes") and len(long) < 60
    # Python refuses str() of 4300+ digits: the size is described, never converted.
    assert text.human_size(10**5000) == "⚠ (a 5001-digit number) bytes"
    assert text.human_size(None) == "—" and text.human_size(None, missing="") == ""


def test_the_window_and_the_cache_commands_use_the_one_byte_formatter():
    from caseviewer.ui import formatting
    from caseviewer.ui.window.cache_actions import format_bytes

    assert formatting.human_size is text.human_size
    assert format_bytes is text.human_size


# -- codes in words ------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "expected"), [
    ("UNDER_MANUAL_REVIEW", "Under manual review"),
    ("new-thing", "New thing"),
    ("  IN__PROGRESS  ", "In progress"),
    ("X\x1b[2JY", "X<u+001b>[2jy"),  # a control is shown, never obeyed or folded away
])
def test_a_code_in_words(code, expected):
    assert text.humanise_code(code) == expected


def test_a_missing_code_reads_as_each_caller_says():
    from caseviewer.ui import formatting
    from caseviewer.ui.case_list.status_chip import pretty_status

    assert text.humanise_code(None) == "" and text.humanise_code("  _ ") == ""
    assert pretty_status(None) == "Unknown" and pretty_status("") == "Unknown"
    assert formatting.pretty_code(None) == "—" and formatting.pretty_code("   ") == "—"
    assert vocabulary.label(Vocab.CASE_STATUS, "SOMETHING_NEW") == "Something new"


def test_the_status_chip_the_views_and_the_vocabularies_word_a_code_alike():
    from caseviewer.ui import formatting
    from caseviewer.ui.case_list.status_chip import pretty_status

    for code in ("UNDER_MANUAL_REVIEW", "risk-alert", "A  B", "bell\x07"):
        assert pretty_status(code) == formatting.pretty_code(code) == text.humanise_code(code)


# -- eliding -------------------------------------------------------------------------------------


def test_elide_keeps_short_text_and_cuts_long_text_to_the_limit():
    assert text.elide("abc", 3) == "abc"
    assert text.elide("abcd", 3) == "ab…"
    assert text.elide("abcd", 0) == "…"


def test_a_yes_or_no_answer_reads_as_words_and_anything_else_as_sent():
    from caseviewer.core.vocabulary import answer_text

    assert answer_text("BOOLEAN", "false") == "No"
    assert answer_text("boolean", " TRUE ") == "Yes"
    assert answer_text("BOOLEAN", "maybe") == "maybe"  # unexpected: as sent
    assert answer_text("TEXT", "false") == "false"  # a free-text answer is the patient's words
    assert answer_text(None, None) is None


@given(st.text(alphabet="ab \n\t\u00a0\u2003x", max_size=3000), st.integers(min_value=0, max_value=400))
def test_flat_elided_is_the_whole_text_flattened_then_elided(source, limit):
    assert text.flat_elided(source, limit) == text.elide(" ".join(source.split()), limit)


class _CountingText(str):
    """A string that remembers how far into it was sliced (``flat_elided`` must stop early)."""

    furthest = 0

    def __getitem__(self, key):  # noqa: ANN001
        if isinstance(key, slice):
            _CountingText.furthest = max(_CountingText.furthest, key.stop if key.stop is not None else len(self))
        return str.__getitem__(self, key)


def test_flat_elided_reads_only_the_start_of_a_megabyte():
    """A one-line summary of a 1 MiB comment (the timeline makes one per comment) reads its start:
    splitting the whole megabyte, thirty times a case, stalled the window ~400 ms."""
    _CountingText.furthest = 0
    megabyte = _CountingText("word  \n" * (1024 * 1024 // 7))
    summary = text.flat_elided(megabyte, 160)
    assert summary == text.elide(" ".join(str(megabyte).split()), 160)
    assert 0 < _CountingText.furthest <= 10_000
    _CountingText.furthest = 0
    blank_then_word = _CountingText(" " * 100_000 + "late")
    assert text.flat_elided(blank_then_word, 160) == "late"  # grows its window until it has the words
    assert text.flat_elided(None, 5) == "" and text.flat_elided("", 5) == ""
