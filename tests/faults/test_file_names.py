"""Hostile attachment file names saved through the real Save and Save all actions.

Names come from whoever uploaded the file: path traversal (``../../etc/passwd``), absolute
POSIX, Windows and UNC paths, Windows device names (``CON.txt``), control characters and NUL, a
right-to-left override that disguises ``.exe``, names hundreds of bytes long, empty and missing
names, and names that differ only by case or not at all. Whatever the name, the file lands under a
safe name inside the folder the user chose, nothing is written anywhere else, two files never
share a name, and the user is shown the safe name (the Save dialog's proposal, the conflict
question, the status bar), never the hostile one.

Tests that could write outside the chosen folder aim their hostile names at a sandbox inside
``tmp_path`` (the suite may run as root), so an escape is caught instead of doing harm.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from caseviewer.core.filenames import MAX_NAME_BYTES, safe_file_name
from caseviewer.core.files import Conflict
from caseviewer.core.repository import CaseRepository
from caseviewer.demo.data import SPECIAL
from caseviewer.demo.detail.threads import HOSTILE_FILE_NAMES
from caseviewer.ui.detail.attachment_actions import _default_folder
from tests.support.attachment_fixtures import (  # noqa: F401 - fixtures
    ScriptedDialogs,
    make_actions,
    out,
    save_all_and_wait,
)
from tests.support.preview_fixtures import inline
from tests.support.windows import demo_api, open_row, show_window
from tests.ui.test_preview_support import (  # noqa: F401 - fixtures
    HOSTILE,
    open_detail,
    repo,
    runner,
    served_bytes,
)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

LONG_ASCII = "x" * 1000 + ".pdf"
LONG_UTF8 = "\u00e9" * 300 + ".txt"  # 2 bytes a character: the limit is in bytes

#: (hostile name, the name it must be saved as) in one Save all, in order. "{sandbox}" is the
#: sandbox folder the chosen folder sits in: an absolute path that would escape into it.
HOSTILE_NAMES = [
    ("../escaped-up.txt", "escaped-up.txt"),
    ("../../escaped-two-up.txt", "escaped-two-up.txt"),
    ("{sandbox}/escaped-abs.txt", "escaped-abs.txt"),
    ("C:\\Windows\\System32\\drivers\\etc\\hosts", "hosts"),
    ("\\\\server\\share\\unc.txt", "unc.txt"),
    ("CON.txt", "_CON.txt"),
    ("aux.log", "_aux.log"),
    ("LPT1", "_LPT1"),
    ("tab\there\n.txt", "tabhere.txt"),
    ("nul\x00byte.txt", "nulbyte.txt"),
    ("photo\u202egpj.exe", "photogpj.exe"),  # displays as "photoexe.jpg" with the override
    ('a<b>c:d|e?f*g".txt', "a_b_c_d_e_f_g_.txt"),
    ("notes.txt. . ", "notes.txt"),
    (".bashrc", "bashrc"),
    (LONG_ASCII, "x" * (MAX_NAME_BYTES - 4) + ".pdf"),
    (LONG_UTF8, "\u00e9" * ((MAX_NAME_BYTES - 4) // 2) + ".txt"),
    ("", "attachment"),
    (None, "attachment (2)"),
    ("..", "attachment (3)"),
    ("Scan.PNG", "Scan.PNG"),
    ("scan.png", "scan (2).png"),  # differs only by case: one file on macOS and Windows
    ("report.pdf", "report.pdf"),
    ("report.pdf", "report (2).pdf"),
]


@pytest.fixture
def sandbox(tmp_path):
    """``tmp_path/sandbox``: the chosen folder is ``sandbox/a/b/out``, deep enough that every
    ``..`` above still lands inside the sandbox, where the test can see it."""
    folder = tmp_path / "sandbox"
    (folder / "a" / "b" / "out").mkdir(parents=True)
    return folder


def chosen(sandbox: Path) -> Path:
    return sandbox / "a" / "b" / "out"


def every_file(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if not p.is_dir())


def hostile_attachments(sandbox: Path):
    return [inline(raw.replace("{sandbox}", str(sandbox)) if raw else raw, f"body {n}".encode(), id=f"hostile-{n}")
            for n, (raw, _) in enumerate(HOSTILE_NAMES)]


def assert_portable(name: str) -> None:
    """What makes a name safe on every desktop OS, whatever produced it."""
    assert name not in ("", ".", "..") and Path(name).name == name
    assert not any(ch in name for ch in '/\\<>:"|?*')
    assert not any(unicodedata.category(ch) == "Cc" for ch in name)
    assert "\u202e" not in name and not name.startswith((".", " ")) and not name.endswith((".", " "))
    assert name.split(".")[0].upper() not in ("CON", "PRN", "AUX", "NUL", "LPT1", "COM1")
    assert len(name.encode()) <= MAX_NAME_BYTES


# -- Save all -------------------------------------------------------------------------------------


def test_save_all_of_hostile_names_stays_in_the_folder_under_safe_unique_names(qtbot, make_actions, sandbox):
    folder = chosen(sandbox)
    attachments = hostile_attachments(sandbox)
    actions = make_actions(None, ScriptedDialogs(folder=str(folder)))
    actions.set_case("case-hostile", attachments)
    with qtbot.waitSignal(actions.message) as said:
        report = save_all_and_wait(qtbot, actions)
    assert not report.failed and not report.skipped
    assert [p.name for p in report.saved] == [safe for _, safe in HOSTILE_NAMES]
    for n, path in enumerate(report.saved):
        assert path.parent == folder
        assert path.read_bytes() == f"body {n}".encode()  # each file got its own bytes
        assert_portable(path.name)
    # Nothing escaped: the sandbox holds exactly the saved files (no temporary leftovers either).
    assert every_file(sandbox) == sorted(report.saved)
    assert said.args[0] == f"Saved {len(HOSTILE_NAMES)} files to {folder}"

    # Saving again asks about the clash under the safe name (never the hostile one), and
    # "Skip, for all" leaves every file as it was.
    dialogs = ScriptedDialogs(folder=str(folder), conflicts=[(Conflict.SKIP, True)])
    actions.dialogs = dialogs
    again = save_all_and_wait(qtbot, actions)
    assert [q for q in dialogs.asked if q[0] == "conflict"] == [("conflict", "escaped-up.txt", len(HOSTILE_NAMES) - 1)]
    assert again.saved == [] and len(again.skipped) == len(HOSTILE_NAMES)
    assert every_file(sandbox) == sorted(report.saved)


def test_hostile_names_land_as_safe_names_inside_the_folder(qtbot, make_actions, repo, demo_service, tmp_path, out):
    # The demo service's hostile case, in both document formats (inline and downloaded bodies).
    detail = open_detail(repo, demo_service, HOSTILE)
    attachments = list(detail.attachments)
    assert any(a.file_name == "../../etc/passwd" for a in attachments)
    actions = make_actions(repo, ScriptedDialogs(folder=str(out)))
    actions.set_case(detail.id, attachments)
    report = save_all_and_wait(qtbot, actions)
    assert not report.failed and len(report.saved) == len(attachments)
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == len(attachments)
    for attachment, path in zip(attachments, report.saved):
        assert path.parent == out
        assert path.name == safe_file_name(attachment.file_name) or path.name.startswith(
            Path(safe_file_name(attachment.file_name)).stem)
        assert path.read_bytes() == served_bytes(demo_service, attachment)
    for name in names:
        assert not any(unicodedata.category(ch) == "Cc" for ch in name)
        assert "\u202e" not in name and "/" not in name and "\\" not in name
        assert not name.startswith(".") and name.split(".")[0].upper() not in ("CON", "PRN", "AUX", "NUL")
    assert "passwd" in names and "_CON.txt" in names and "ab.txt" in names and "invoicegnp.exe" in names
    # Nothing escaped the chosen folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "out"]


def test_save_all_in_the_window_reports_in_the_status_bar(qtbot, fresh_demo, sandbox):
    # The whole app: the hostile case opened from the table, Save all from the pane's action.
    window = show_window(qtbot, CaseRepository(demo_api(fresh_demo)))
    result = open_row(qtbot, window, SPECIAL["hostile"])
    attachments = [a for _, a in result.detail.all_attachments()]
    assert len(attachments) > len(HOSTILE_FILE_NAMES)  # the case's own files and a comment's
    folder = chosen(sandbox)
    window.pane.actions.dialogs = ScriptedDialogs(folder=str(folder))
    assert window.pane.actions.save_all_action.isEnabled()
    with qtbot.waitSignal(window.pane.actions.saved, timeout=30_000) as saved:
        window.pane.actions.save_all_action.trigger()
    report = saved.args[0]
    assert not report.failed and len(report.saved) == len(attachments)
    assert every_file(sandbox) == sorted(report.saved)
    for path in report.saved:
        assert path.parent == folder
        assert_portable(path.name)
    assert {"passwd", "_CON.txt", "ab.txt", "scan.png", "invoicegnp.exe", "hidden", "evil.txt"} <= {
        p.name for p in report.saved}
    assert window.statusBar().currentMessage() == f"Saved {len(attachments)} files to {folder}"
    after = open_row(qtbot, window, 0)  # and the app moves on normally
    assert after.detail is not None and window.isVisible()
    window.shutdown()


# -- Save -----------------------------------------------------------------------------------------


#: Saved one at a time, nothing is numbered: a lone "scan.png" or ".." is just its own safe name.
SAVE_ONE = [n for n in HOSTILE_NAMES if " (" not in n[1]] + [(None, "attachment"), ("..", "attachment"),
                                                           ("scan.png", "scan.png")]


@pytest.mark.parametrize(("raw", "safe"), SAVE_ONE,
                         ids=lambda value: ascii(value)[:24] if isinstance(value, str) or value is None else None)
def test_save_proposes_the_safe_name_and_writes_only_it(qtbot, make_actions, sandbox, raw, safe):
    folder = chosen(sandbox)
    raw = raw.replace("{sandbox}", str(sandbox)) if raw else raw
    # The user keeps the proposed name and picks the folder. (Numbered names are a Save all
    # matter: one file alone is never renamed.)
    dialogs = ScriptedDialogs(save_path=lambda suggested: str(folder / Path(suggested).name))
    actions = make_actions(None, dialogs)
    attachment = inline(raw, b"the bytes", id="one")
    actions.set_case("case-hostile", [attachment])
    actions.set_current(attachment)
    with qtbot.waitSignal(actions.message) as said, qtbot.waitSignal(actions.saved) as saved:
        actions.save_action.trigger()
    assert dialogs.asked == [("save_path", str(Path(_default_folder()) / safe))]  # what the dialog proposes
    assert saved.args[0].saved == [folder / safe]
    assert every_file(sandbox) == [folder / safe] and (folder / safe).read_bytes() == b"the bytes"
    assert said.args[0] == f"Saved {safe} to {folder}"


def test_save_proposes_the_safe_name_and_writes_atomically(qtbot, make_actions, repo, demo_service, out):
    detail = open_detail(repo, demo_service, HOSTILE)
    passwd = next(a for a in detail.attachments if a.file_name == "../../etc/passwd")
    dialogs = ScriptedDialogs(save_path=str(out / "chosen.txt"))
    actions = make_actions(repo, dialogs)
    actions.set_case(detail.id, list(detail.attachments))
    actions.set_current(passwd)
    assert actions.save_action.isEnabled()
    with qtbot.waitSignal(actions.saved) as blocker:
        actions.save_action.trigger()
    assert Path(dialogs.asked[0][1]).name == "passwd"
    assert blocker.args[0].saved == [out / "chosen.txt"]
    assert (out / "chosen.txt").read_bytes() == served_bytes(demo_service, passwd)
    assert [p.name for p in out.iterdir()] == ["chosen.txt"]


# -- the name rule itself -------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [name for name, _ in HOSTILE_FILE_NAMES] + ["../../etc/passwd", "/abs/path", "..", "C:\\x\\y.txt"])
def test_every_hostile_name_stays_inside_its_folder(tmp_path, raw):
    name = safe_file_name(raw)
    target = (tmp_path / name).resolve()
    assert target.parent == tmp_path.resolve()
    assert name not in ("", ".", "..")
    assert not any(ch in name for ch in '/\\<>:"|?*')
    assert not any(ord(ch) < 32 or ord(ch) == 0x7F for ch in name)
    assert not name.startswith((".", " ")) and not name.endswith((".", " "))
    assert Path(name).name == name
