"""The window's export commands on real widgets against the demo service: Export case as PDF…,
Print… with its preview, Export list as CSV…; confirmation, progress, Cancel, remembered folder."""

from __future__ import annotations

import csv
import io
import os
import stat

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QKeySequence
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import QPushButton

from caseviewer.core.repository import CaseRepository
from caseviewer.ui.case_list.case_table_model import CaseTableModel as M
from caseviewer.ui.export.dialogs import Confirmed, ExportDialogs
from tests.support.windows import WAIT_MS, demo_api, make_main_window, open_row  # noqa: F401 - fixture

pytest_plugins = ["conftest_demo"]
OFFSCREEN_DIALOG_NOISE = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
pytestmark = [OFFSCREEN_DIALOG_NOISE, pytest.mark.timeout(120)]


class ScriptedDialogs(ExportDialogs):
    """Answers the export questions without modal dialogs, and remembers what was asked."""

    def __init__(self, path, *, accept=True, option=True) -> None:
        self.path, self.accept, self.option = str(path), accept, option
        self.asked: list[dict] = []
        self.errors: list[str] = []
        self.suggested: list[str] = []

    def save_path(self, parent, title, suggested, file_filter):
        self.suggested.append(suggested)
        return self.path

    def confirm(self, parent, **kwargs):
        self.asked.append(kwargs)
        return Confirmed(self.accept, self.option)

    def report_error(self, parent, title, message):
        self.errors.append(message)


@pytest.fixture
def window(make_main_window, demo):
    win = make_main_window(CaseRepository(demo_api(demo)), page_size=10)
    win.repository_for_test = demo
    return win


def show_rich_case(qtbot, window):
    qtbot.waitUntil(lambda: window.model.rowCount() >= 10, timeout=WAIT_MS)
    return open_row(qtbot, window, 0)


def test_actions_and_shortcuts(window):
    exports = window.exports
    assert exports.pdf_action.shortcut() == QKeySequence("Ctrl+Shift+E")
    assert exports.print_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Print)
    file_menu = window.menuBar().actions()[0].menu()
    assert {a.text() for a in exports.actions()} <= {a.text() for a in file_menu.actions()}
    assert not exports.pdf_action.isEnabled(), "no case on screen yet"


def test_export_case_pdf_after_confirmation(qtbot, window, tmp_path):
    result = show_rich_case(qtbot, window)
    target = tmp_path / "out" / "case.pdf"
    target.parent.mkdir()
    dialogs = ScriptedDialogs(target)
    window.exports.dialogs = dialogs
    assert window.exports.pdf_action.isEnabled()
    with qtbot.waitSignal(window.exports.exported, timeout=WAIT_MS) as done:
        window.exports.pdf_action.trigger()
        assert window.exports.progress_dialog is not None and window.exports.progress_dialog.isVisible()
    built = done.args[0]
    (asked,) = dialogs.asked
    assert asked["destination"] == str(target) and "Include attachments" in asked["option_text"]
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert len(PdfReader(str(target)).pages) == built.pdf.body_pages + 6
    assert built.dossier.case_id == result.detail.id
    assert window.exports.progress_dialog is None
    assert str(target) in window.statusBar().currentMessage()
    # The folder is remembered for the next export (and the file name is not).
    window.exports.pdf_action.trigger()
    assert dialogs.suggested[-1].startswith(str(target.parent) + "/") and "case.pdf" not in dialogs.suggested[-1]
    qtbot.waitUntil(lambda: not window.exports.busy, timeout=WAIT_MS)


def test_declined_confirmation_writes_nothing(qtbot, window, tmp_path):
    show_rich_case(qtbot, window)
    target = tmp_path / "no.pdf"
    window.exports.dialogs = ScriptedDialogs(target, accept=False)
    window.exports.pdf_action.trigger()
    assert not window.exports.busy and window.exports.progress_dialog is None
    assert not target.exists()


def test_cancel_stops_the_export(qtbot, window, tmp_path):
    show_rich_case(qtbot, window)
    target = tmp_path / "cancelled.pdf"
    window.exports.dialogs = ScriptedDialogs(target)
    with qtbot.waitSignal(window.exports.failed, timeout=WAIT_MS) as failed:
        window.exports.pdf_action.trigger()
        window.exports.progress_dialog.findChild(QPushButton).click()  # the dialog's Cancel button
    assert failed.args == ["Export cancelled."]
    qtbot.waitUntil(lambda: window.runner.pending_count == 0, timeout=WAIT_MS)
    assert window.exports.progress_dialog is None and not window.exports.busy


def test_print_opens_a_preview_of_every_page(qtbot, window):
    show_rich_case(qtbot, window)
    with qtbot.waitSignal(window.exports.preview_opened, timeout=WAIT_MS) as opened:
        window.exports.print_action.trigger()
    dialog = opened.args[0]
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() > 6, timeout=WAIT_MS)
    assert preview.pageCount() >= 12  # the body and the six appended attachment pages
    dialog.reject()


def read_csv(path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_of_the_loaded_rows_has_the_visible_columns_in_view_order(qtbot, window, tmp_path):
    qtbot.waitUntil(lambda: window.model.rowCount() >= 10, timeout=WAIT_MS)
    window.set_column_visible(M.COL_APPLICANT, False)
    window.set_column_visible(M.COL_CASE_ID, True)  # hidden by default
    window.header.moveSection(window.header.visualIndex(M.COL_CASE_ID), 0)
    target = tmp_path / "loaded.csv"
    dialogs = ScriptedDialogs(target, option=False)
    window.exports.dialogs = dialogs
    with qtbot.waitSignal(window.exports.exported, timeout=WAIT_MS):
        loaded = window.model.rowCount()  # the rows are taken when the export starts
        window.exports.csv_action.trigger()
    rows = read_csv(target)
    assert rows[0] == ["Case ID", "Business name", "Status", "Created"]
    assert len(rows) - 1 == loaded < 50
    assert [r[0] for r in rows[1:]] == [window.model.case_id(i) for i in range(loaded)]
    assert "All 50 cases" in dialogs.asked[0]["option_text"]


def test_csv_of_all_pages(qtbot, window, tmp_path):
    qtbot.waitUntil(lambda: window.model.rowCount() >= 10, timeout=WAIT_MS)
    window.set_column_visible(M.COL_CASE_ID, True)  # hidden by default; the ids tell the rows apart
    target = tmp_path / "all.csv"
    window.exports.dialogs = ScriptedDialogs(target, option=True)
    with qtbot.waitSignal(window.exports.exported, timeout=WAIT_MS) as done:
        window.exports.csv_action.trigger()
    assert done.args[0].rows == 50
    rows = read_csv(target)
    assert len(rows) == 51 and len({r[4] for r in rows[1:]}) == 50
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
