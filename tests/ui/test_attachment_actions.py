"""Save, Save all and Open with system app: right bytes, no silent overwrite, and the private temp
folder, against the demo service in both document formats. Hostile attachment names are the fault
suite's (``tests/faults/test_file_names.py``)."""

from __future__ import annotations

import stat

import pytest

from caseviewer.core import files
from caseviewer.core.files import Conflict
from tests.support.attachment_fixtures import (  # noqa: F401 - fixtures
    ScriptedDialogs,
    make_actions,
    out,
    save_all_and_wait,
)
from tests.ui.test_preview_support import (  # noqa: F401 - fixtures
    RICH,
    by_extension,
    make_preview,
    open_detail,
    repo,
    runner,
    served_bytes,
    show_and_wait,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def private_temp(tmp_path, monkeypatch):
    temp = files.PrivateTempDir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr("caseviewer.ui.detail.attachment_actions.private_temp", temp)
    yield temp
    temp.cleanup()


# -- save all ------------------------------------------------------------------------------------


def test_save_all_writes_the_right_bytes(qtbot, make_actions, repo, demo_service, out):
    detail = open_detail(repo, demo_service, RICH)
    attachments = [a for _, a in detail.all_attachments()]
    actions = make_actions(repo, ScriptedDialogs(folder=str(out)))
    actions.set_case(detail.id, attachments)
    assert actions.save_all_action.isEnabled()
    report = save_all_and_wait(qtbot, actions)
    assert not report.failed and not report.skipped and len(report.saved) == len(attachments)
    for attachment, path in zip(attachments, report.saved):
        assert path.parent == out
        assert path.read_bytes() == served_bytes(demo_service, attachment)
    assert len(list(out.iterdir())) == len(attachments)  # no temporary files left


def test_save_all_never_overwrites_without_asking(qtbot, make_actions, repo, demo_service, out):
    detail = open_detail(repo, demo_service, RICH)
    png, pdf, txt = by_extension(detail, ".png"), by_extension(detail, ".pdf"), by_extension(detail, ".txt")
    for attachment in (png, pdf, txt):
        (out / attachment.file_name).write_bytes(b"mine")
    dialogs = ScriptedDialogs(folder=str(out), conflicts=[(Conflict.KEEP_BOTH, False), (Conflict.SKIP, False),
                                                          (Conflict.OVERWRITE, False)])
    actions = make_actions(repo, dialogs)
    report = save_all_and_wait(qtbot, actions, [png, pdf, txt])
    assert [q for q in dialogs.asked if q[0] == "conflict"] == [
        ("conflict", png.file_name, 2), ("conflict", pdf.file_name, 1), ("conflict", txt.file_name, 0)]
    stem, ext = png.file_name.rsplit(".", 1)
    assert (out / png.file_name).read_bytes() == b"mine"
    assert (out / f"{stem} (2).{ext}").read_bytes() == served_bytes(demo_service, png)
    assert (out / pdf.file_name).read_bytes() == b"mine" and report.skipped == [pdf.file_name]
    assert (out / txt.file_name).read_bytes() == served_bytes(demo_service, txt)
    assert len(list(out.iterdir())) == 4


def test_one_answer_for_all_conflicts_and_cancel(qtbot, make_actions, repo, demo_service, out):
    detail = open_detail(repo, demo_service, RICH)
    chosen = list(detail.attachments[:3])
    for attachment in chosen:
        (out / attachment.file_name).write_bytes(b"mine")
    dialogs = ScriptedDialogs(folder=str(out), conflicts=[(Conflict.KEEP_BOTH, True)])
    actions = make_actions(repo, dialogs)
    report = save_all_and_wait(qtbot, actions, chosen)
    assert len([q for q in dialogs.asked if q[0] == "conflict"]) == 1
    assert len(report.saved) == 3 and all(" (2)" in p.name for p in report.saved)
    assert all((out / a.file_name).read_bytes() == b"mine" for a in chosen)
    # Cancel at the question: nothing is written at all.
    before = sorted(out.iterdir())
    actions.dialogs = ScriptedDialogs(folder=str(out), conflicts=[(None, False)])
    actions.save_all(chosen)
    assert sorted(out.iterdir()) == before and not actions.is_busy()


# -- save one ------------------------------------------------------------------------------------


def test_save_reuses_the_previewed_bytes(qtbot, runner, make_actions, repo, demo_service, out):
    detail = open_detail(repo, demo_service, RICH)
    png = by_extension(detail, ".png")
    preview = make_preview(qtbot, runner, repo)
    show_and_wait(qtbot, preview, png, detail.id)
    actions = make_actions(repo, ScriptedDialogs(save_path=str(out / "copy.png")))
    actions.attach_preview(preview)
    assert actions.save_action.isEnabled()
    demo_service.faults.update(status=500, scope="files")  # a download now would fail
    try:
        with qtbot.waitSignal(actions.saved) as blocker:
            preview._save_button.click()
    finally:
        demo_service.faults.reset()
    assert blocker.args[0].saved[0].read_bytes() == served_bytes(demo_service, png)


def test_a_failed_save_is_reported_and_leaves_no_file(qtbot, make_actions, repo, demo_service, out):
    detail = open_detail(repo, demo_service, RICH)
    dialogs = ScriptedDialogs(save_path=str(out / "missing" / "x.png"))
    actions = make_actions(repo, dialogs)
    with qtbot.waitSignal(actions.failed) as blocker:
        actions.save(by_extension(detail, ".png"))
    assert "Could not write" in blocker.args[0] and dialogs.errors == [blocker.args[0]]
    assert list(out.iterdir()) == []


# -- open with system app ------------------------------------------------------------------------


def test_open_with_system_app_asks_first_and_uses_the_private_folder(
        qtbot, make_actions, repo, demo_service, private_temp):
    detail = open_detail(repo, demo_service, RICH)
    pdf = by_extension(detail, ".pdf")
    opened_urls = []
    actions = make_actions(repo, ScriptedDialogs(confirm=False))
    actions.open_url = lambda url: opened_urls.append(url) or True
    actions.open_external(pdf)
    assert private_temp.path is None and opened_urls == []  # declined: nothing written

    actions.dialogs = ScriptedDialogs(confirm=True)
    with qtbot.waitSignal(actions.opened) as blocker:
        actions.open_external(pdf)
    path = blocker.args[0]
    root = private_temp.path
    assert path.is_relative_to(root) and path.name == pdf.file_name
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert path.read_bytes() == served_bytes(demo_service, pdf)
    assert opened_urls[0].toLocalFile() == str(path)
    actions.cleanup()  # what the app calls on quit
    assert not root.exists()


def test_no_app_for_the_type_is_reported(qtbot, make_actions, repo, demo_service, private_temp):
    detail = open_detail(repo, demo_service, RICH)
    dialogs = ScriptedDialogs(confirm=True)
    actions = make_actions(repo, dialogs)
    actions.open_url = lambda url: False
    with qtbot.waitSignal(actions.failed) as blocker:
        actions.open_external(by_extension(detail, ".csv"))
    assert "No app" in blocker.args[0]


# -- what is handed to the system opener (issue 13, item 5) ----------------------------------------

ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 64
PDF_BYTES = b"%PDF-1.4\n% synthetic\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("scan.pdf.desktop", b"[Desktop Entry]\nType=Application\nExec=sh -c true\n"),
        ("run.command", b"echo synthetic\n"),
        ("invoice.exe", b"MZ\x90\x00\x03" + b"\x00" * 64),
        ("photo.png", ELF),
        ("notes.txt", b"#!/bin/sh\necho synthetic\n"),
        ("blob.dat", bytes(range(256)) * 4),
    ],
)
def test_programs_and_launchers_are_never_handed_to_the_opener(
        qtbot, make_actions, repo, private_temp, name, data):
    from tests.support.preview_fixtures import inline

    attachment = inline(name, data)
    opened_urls = []
    actions = make_actions(repo, ScriptedDialogs(confirm=True))
    actions.open_url = lambda url: opened_urls.append(url) or True
    with qtbot.waitSignal(actions.failed) as blocker:
        actions.open_external(attachment)
    assert "Save it instead" in blocker.args[0]
    assert opened_urls == []
    assert private_temp.path is None or not any(p.is_file() for p in private_temp.path.rglob("*"))


@pytest.mark.parametrize(
    ("name", "data", "opened_as"),
    [
        ("lab.html", PDF_BYTES, "lab.pdf"),
        ("scan.pdf.desktop", PDF_BYTES, "scan.pdf"),
        ("report.html", b"<html><script>alert(1)</script></html>", "report.txt"),
        ("invoice.exe", PDF_BYTES, "invoice.pdf"),
    ],
)
def test_the_copy_is_named_after_its_content(qtbot, make_actions, repo, private_temp, name, data, opened_as):
    from tests.support.preview_fixtures import inline

    opened_urls = []
    actions = make_actions(repo, ScriptedDialogs(confirm=True))
    actions.open_url = lambda url: opened_urls.append(url) or True
    with qtbot.waitSignal(actions.opened) as blocker:
        actions.open_external(inline(name, data))
    path = blocker.args[0]
    assert path.name == opened_as and path.read_bytes() == data
    assert opened_urls[0].toLocalFile() == str(path)
