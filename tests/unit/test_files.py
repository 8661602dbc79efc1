"""Atomic saves that never overwrite unasked, batch naming, the private temp folder (core.files),
and what bytes are (core.decode)."""

from __future__ import annotations

import base64
import json
import os
import stat

import pytest

from caseviewer.core import files
from caseviewer.core.decode import DecodeError, Kind, decode_base64, prepare_text, sniff
from caseviewer.core.files import AtomicFile, Conflict, PrivateTempDir, free_path, open_planned, plan_saves, write_file
from caseviewer.demo.files import jpeg, pdf, scan_png


@pytest.fixture
def folder(tmp_path):
    """An empty folder (tmp_path itself holds the isolated CASEVIEWER_HOME)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


# -- atomic writes ---------------------------------------------------------------------------


def test_write_file_never_overwrites_and_numbers_the_copy(folder):
    first = write_file(folder / "scan.png", b"one")
    second = write_file(folder / "scan.png", b"two")
    third = write_file(folder / "scan.png", b"three")
    assert [p.name for p in (first, second, third)] == ["scan.png", "scan (2).png", "scan (3).png"]
    assert first.read_bytes() == b"one" and second.read_bytes() == b"two"
    assert sorted(p.name for p in folder.iterdir()) == ["scan (2).png", "scan (3).png", "scan.png"]


def test_overwrite_replaces_only_when_asked(folder):
    target = folder / "a.txt"
    target.write_bytes(b"old")
    assert write_file(target, b"new", overwrite=True) == target
    assert target.read_bytes() == b"new"
    assert [p.name for p in folder.iterdir()] == ["a.txt"]


def test_a_name_taken_during_the_write_is_not_overwritten(folder):
    target = folder / "report.pdf"
    atomic = AtomicFile(target, overwrite=False)
    with atomic as f:
        f.write(b"ours")
        target.write_bytes(b"someone else's")  # another program got there first
    assert target.read_bytes() == b"someone else's"
    assert atomic.final_path == folder / "report (2).pdf"
    assert atomic.final_path.read_bytes() == b"ours"


def test_keep_both_false_refuses_instead(folder):
    target = folder / "x.bin"
    with pytest.raises(files.SaveError):
        with AtomicFile(target, overwrite=False, keep_both=False) as f:
            f.write(b"1")
            target.write_bytes(b"0")
    assert target.read_bytes() == b"0"
    assert [p.name for p in folder.iterdir()] == ["x.bin"]  # no temp file left behind


def test_a_failed_write_leaves_nothing_behind(folder):
    with pytest.raises(RuntimeError):
        with AtomicFile(folder / "half.bin") as f:
            f.write(b"half")
            raise RuntimeError("download broke")
    assert list(folder.iterdir()) == []


def test_saved_files_are_private(folder):
    path = write_file(folder / "phi.txt", b"x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_unwritable_folder_is_a_save_error(folder):
    with pytest.raises(files.SaveError, match="Could not write"):
        write_file(folder / "missing-folder" / "a.txt", b"x")


def test_free_path_skips_names_reserved_by_the_batch(folder):
    (folder / "a.txt").write_bytes(b"")
    assert free_path(folder, "a.txt").name == "a (2).txt"
    assert free_path(folder, "a.txt", ["A (2).TXT"]).name == "a (3).txt"
    assert free_path(folder, "b.txt", ["a.txt"]).name == "b.txt"


# -- save-all plans ----------------------------------------------------------------------------


def test_plan_saves_sanitises_numbers_duplicates_and_flags_clashes(folder):
    (folder / "scan.png").write_bytes(b"existing")
    plans = plan_saves(folder, ["scan.png", "../scan.png", "CON.txt", "notes.txt", "Notes.TXT", None])
    assert [p.target.name for p in plans] == [
        "scan.png", "scan (2).png", "_CON.txt", "notes.txt", "Notes (2).TXT", "attachment",
    ]
    assert [p.exists for p in plans] == [True, False, False, False, False, False]
    assert all(p.target.parent == folder for p in plans)


@pytest.mark.parametrize(
    ("conflict", "expected_files"),
    [
        (Conflict.KEEP_BOTH, {"scan.png": b"existing", "scan (3).png": b"new"}),
        (Conflict.OVERWRITE, {"scan.png": b"new"}),
    ],
)
def test_open_planned_follows_the_decision(folder, conflict, expected_files):
    (folder / "scan.png").write_bytes(b"existing")
    plan = plan_saves(folder, ["scan.png"])[0]
    plan.conflict = conflict
    # "scan (2).png" is promised to a later file of the same batch.
    with open_planned(plan, ["scan (2).png"]) as f:
        f.write(b"new")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == expected_files


def test_skip_is_reported_by_the_plan(folder):
    (folder / "a.txt").write_bytes(b"")
    plan = plan_saves(folder, ["a.txt"])[0]
    plan.conflict = Conflict.SKIP
    assert plan.skipped


# -- the private temp folder ----------------------------------------------------------------------


def test_private_temp_dir_is_0700_and_wiped(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    temp = PrivateTempDir()
    assert temp.path is None  # nothing until first use
    first = temp.write("../../etc/passwd", b"one")
    second = temp.write("passwd", b"two")
    root = temp.path
    assert root is not None and root.parent == tmp_path
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert first.name == second.name == "passwd.txt" and first != second  # named after the content
    assert first.is_relative_to(root) and second.read_bytes() == b"two"
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700
    temp.cleanup()
    assert not root.exists() and temp.path is None
    temp.cleanup()  # twice is fine


# -- decode --------------------------------------------------------------------------------------


def test_sniff_uses_magic_bytes_before_the_name():
    assert sniff(scan_png(1), "x.txt").kind is Kind.IMAGE
    assert sniff(jpeg(), "photo").mime == "image/jpeg"
    assert sniff(pdf([["a"]]), "scan.png").kind is Kind.PDF
    assert sniff(b"GIF89a....", None).label == "GIF image"
    assert sniff(b"RIFF\0\0\0\0WEBPVP8 ", None).mime == "image/webp"
    assert sniff(b"MZ\x90\x00\x03\x00\x00\x00", "invoice.png").kind is Kind.OTHER
    assert sniff(b"a,b\n1,2\n", "t.csv").kind is Kind.CSV
    assert sniff(b'{"a": 1}', "data").kind is Kind.JSON
    assert sniff(b'{"a": 1}', "notes.txt").kind is Kind.TEXT
    assert sniff(b"plain words", None).kind is Kind.TEXT
    assert sniff("caf\u00e9".encode("utf-16"), "x").kind is Kind.TEXT


def test_base64_is_strict():
    data = os.urandom(100)
    assert decode_base64(base64.b64encode(data).decode()) == data
    wrapped = base64.encodebytes(data).decode()  # MIME line breaks are fine
    assert decode_base64(wrapped) == data
    assert decode_base64(base64.urlsafe_b64encode(data).decode().rstrip("=")) == data
    for bad in ("not base64 at all!", "QUJD$$RA==", "A"):
        with pytest.raises(DecodeError, match="not valid base64"):
            decode_base64(bad)


def test_prepare_text_pretty_prints_json_and_truncates_with_a_note():
    pretty = prepare_text(b'{"b":[1,2],"a":"\xc3\xa9"}', Kind.JSON)
    assert pretty.text == json.dumps({"b": [1, 2], "a": "\u00e9"}, indent=2, ensure_ascii=False)
    assert pretty.note == ""
    broken = prepare_text(b'{"b":', Kind.JSON)
    assert broken.text == '{"b":' and "not valid JSON" in broken.note
    long = prepare_text(("line\n" * 1000).encode(), Kind.TEXT, limit=1000)
    assert long.truncated and len(long.text) <= 1000 and long.text.endswith("line")
    assert "first 99" in long.note and "5,000" in long.note
    assert prepare_text(b"a\r\nb\rc", Kind.TEXT).text == "a\nb\nc"
    assert prepare_text(b"caf\xe9", Kind.TEXT).text == "caf\u00e9"  # Windows-1252 fallback


@pytest.mark.parametrize("depth", [900, 3000, 100_000])
def test_deeply_nested_json_is_shown_as_sent_with_a_note(depth):
    """Past the parser's (or the indenter's) recursion limit the document is text as sent, never
    an error out of the preview."""
    data = b"[" * depth + b"]" * depth
    assert sniff(data).kind in (Kind.JSON, Kind.TEXT)
    shown = prepare_text(data, Kind.JSON)
    if "nested too deeply" in shown.note:
        assert shown.text == data.decode()[: len(shown.text)] and depth > 900
    else:
        assert depth == 900 and shown.text.startswith("[\n  [\n")  # laid out (and cut, it is long)
