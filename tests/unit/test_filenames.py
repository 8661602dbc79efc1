"""Untrusted attachment names become safe names inside the chosen folder (core.filenames).

Hostile names end to end (saved through Save / Save all, nothing outside the folder) are the
fault suite's (``tests/faults/test_file_names.py``)."""

from __future__ import annotations

import pytest

from caseviewer.core.filenames import MAX_NAME_BYTES, numbered, safe_file_name, split_extension


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("scan.png", "scan.png"),
        ("../../etc/passwd", "passwd"),
        ("/abs/path", "path"),
        ("/etc/", "etc"),
        ("C:\\x\\y.txt", "y.txt"),
        ("C:y.txt", "y.txt"),
        ("reports/2024\\final..\\scan.png", "scan.png"),
        ("..", "attachment"),
        (".", "attachment"),
        ("../..", "attachment"),
        ("", "attachment"),
        (None, "attachment"),
        ("   ", "attachment"),
        ("a\x07b.txt", "ab.txt"),
        ("line\nbreak\r.txt", "linebreak.txt"),
        ("nul\x00byte.txt", "nulbyte.txt"),
        ("del\x7f\x85.txt", "del.txt"),
        ("CON.txt", "_CON.txt"),
        ("con", "_con"),
        ("Nul.tar.gz", "_Nul.tar.gz"),
        ("com1.log", "_com1.log"),
        ("LPT9", "_LPT9"),
        ("COM10.txt", "COM10.txt"),  # only COM1-9 are devices
        ("CONSOLE.txt", "CONSOLE.txt"),
        ("report. . .", "report"),
        ("  .hidden  ", "hidden"),
        ("what?<>|*\".pdf", "what______.pdf"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),  # the RTL override no longer hides ".exe"
        ("\u2067isolate\u2069.pdf", "isolate.pdf"),
        ("\u062a\u0642\u0631\u064a\u0631 \u0637\u0628\u064a.pdf", "\u062a\u0642\u0631\u064a\u0631 \u0637\u0628\u064a.pdf"),
        ("\U0001fa7a results \U0001f4c4.jpg", "\U0001fa7a results \U0001f4c4.jpg"),
        ("cafe\u0301.txt", "caf\u00e9.txt"),  # NFC: one spelling on every OS
    ],
)
def test_safe_file_name(raw, expected):
    assert safe_file_name(raw) == expected


def test_overlong_names_are_trimmed_keeping_the_extension():
    name = safe_file_name("x" * 1000 + ".pdf")
    assert name.endswith(".pdf") and name.startswith("xxx")
    assert len(name.encode()) <= MAX_NAME_BYTES


def test_trimming_never_splits_a_multibyte_character():
    name = safe_file_name("\u00e9" * 300 + ".txt")
    assert name.endswith(".txt")
    assert len(name.encode()) <= MAX_NAME_BYTES
    name.encode("utf-8").decode("utf-8")  # valid UTF-8
    assert set(name[:-4]) == {"\u00e9"}


def test_a_long_tail_is_not_kept_as_an_extension():
    name = safe_file_name("a" * 400 + "." + "b" * 100)
    assert len(name.encode()) <= MAX_NAME_BYTES


def test_split_extension_and_numbered():
    assert split_extension("scan.png") == ("scan", ".png")
    assert split_extension(".bashrc") == (".bashrc", "")
    assert split_extension("archive.tar.gz") == ("archive.tar", ".gz")
    assert split_extension("noext") == ("noext", "")
    assert numbered("scan.png", 2) == "scan (2).png"
    assert numbered("README", 3) == "README (3)"
