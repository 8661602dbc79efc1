"""The detail pane with services: the Attachments tab previews the selected file, comment files
jump to it, and Save all works through the pane's actions, against the demo service."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from caseviewer.core.models import Attachment
from caseviewer.ui.detail.attachment_actions import AttachmentDialogs
from caseviewer.ui.detail.attachment_table import AttachmentTable
from caseviewer.ui.detail.pane import DetailPane
from caseviewer.ui.detail.tabs.attachments import AttachmentsTab
from caseviewer.ui.detail.tabs.comments import CommentsTab
from tests.ui.test_preview_support import (  # noqa: F401 - fixtures
    RICH,
    by_extension,
    repo,
    runner,
    served_bytes,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


class FolderDialogs(AttachmentDialogs):
    """Answers the folder question; no other dialog may appear."""

    def __init__(self, folder: str) -> None:
        self.answer_folder = folder
        self.errors: list[str] = []

    def folder(self, parent, start):
        return self.answer_folder

    def save_path(self, parent, suggested):
        raise AssertionError("unexpected save dialog")

    def conflict(self, parent, name, others):
        raise AssertionError("unexpected conflict question")

    def confirm_open_external(self, parent, name):
        return False

    def report_error(self, parent, title, message):
        self.errors.append(message)


@pytest.fixture
def pane(qtbot, runner, repo):
    widget = DetailPane()
    qtbot.addWidget(widget)
    widget.set_services(runner, repo)
    widget.resize(1000, 700)
    widget.show()
    yield widget
    widget.preview.clear()


@pytest.fixture
def rich_result(repo, demo_service):
    return repo.open_case(demo_service.data.case_ids()[RICH])


def attachments_tab(pane: DetailPane) -> AttachmentsTab:
    return next(t for t in pane.tab_pages if isinstance(t, AttachmentsTab))


def show_on_attachments(pane: DetailPane, result) -> AttachmentsTab:
    pane.show_case(result)
    tab = attachments_tab(pane)
    pane.tabs.setCurrentWidget(tab)
    return tab


def select_and_wait(qtbot, pane: DetailPane, tab: AttachmentsTab, attachment: Attachment) -> str:
    with qtbot.waitSignal(pane.preview.preview_ready, timeout=20_000) as blocker:
        assert tab.select_attachment(attachment)
    return blocker.args[0]


def test_without_services_the_placeholder_stays(qtbot, rich_result):
    bare = DetailPane()
    qtbot.addWidget(bare)
    bare.show_case(rich_result)
    tab = attachments_tab(bare)
    assert bare.preview is None and bare.actions is None and tab.toolbar is None
    assert "Double-click" in tab.preview.text()


def test_selecting_rows_previews_png_then_pdf(qtbot, pane, rich_result, demo_service):
    detail = rich_result.detail
    tab = show_on_attachments(pane, rich_result)
    assert pane.preview.state() == "empty"
    assert tab.splitter.widget(1) is pane.preview

    png = by_extension(detail, ".png")
    assert select_and_wait(qtbot, pane, tab, png) == "image"
    assert pane.preview.current_attachment().id == png.id
    assert pane.preview.current_case_id() == detail.id
    assert pane.preview.current_data() == served_bytes(demo_service, png)
    assert pane.actions.save_action.isEnabled() and pane.actions.open_action.isEnabled()

    pdf = by_extension(detail, ".pdf")
    assert select_and_wait(qtbot, pane, tab, pdf) == "pdf"
    assert pane.preview.current_attachment().id == pdf.id


def test_activating_a_row_previews_it(qtbot, pane, rich_result):
    tab = show_on_attachments(pane, rich_result)
    png = by_extension(rich_result.detail, ".png")
    with qtbot.waitSignal(pane.preview.preview_ready, timeout=20_000) as blocker:
        tab.table.attachment_activated.emit(png)
    assert blocker.args[0] == "image"


def test_comment_attachment_switches_tab_and_previews(qtbot, pane, rich_result):
    pane.show_case(rich_result)
    comments = next(t for t in pane.tab_pages if isinstance(t, CommentsTab))
    pane.tabs.setCurrentWidget(comments)
    table = comments.findChildren(AttachmentTable)[0]
    wanted = table.object_at(0)[1]
    with qtbot.waitSignal(pane.preview.preview_ready, timeout=20_000):
        table.activated.emit(table.model().index(0, 0))
    tab = attachments_tab(pane)
    assert pane.tabs.currentWidget() is tab
    assert pane.preview.current_attachment().id == wanted.id
    assert pane.preview.state() in ("image", "pdf", "text", "info")
    current = tab.table.object_at(tab.table.currentIndex().row())
    assert current[1].id == wanted.id


def test_new_case_clears_the_preview(qtbot, pane, repo, rich_result, demo_service):
    tab = show_on_attachments(pane, rich_result)
    select_and_wait(qtbot, pane, tab, by_extension(rich_result.detail, ".png"))
    other = repo.open_case(demo_service.data.case_ids()[RICH + 1])
    pane.show_case(other)
    assert pane.preview.state() == "empty" and pane.preview.current_attachment() is None
    assert not pane.actions.save_action.isEnabled()
    # A download still running when the case changes is cancelled, not shown later.
    tab = attachments_tab(pane)
    pane.show_case(rich_result)
    tab.select_attachment(by_extension(rich_result.detail, ".pdf"))
    pane.show_loading()
    qtbot.wait(300)
    assert pane.preview.state() == "empty"


def test_shortcuts_are_installed_on_the_tab(pane):
    tab = attachments_tab(pane)
    keys = {a.shortcut().toString() for a in tab.actions()}
    assert {"Ctrl+S", "Ctrl+Shift+S"} <= keys
    assert [a.iconText() for a in tab.toolbar.actions()] == ["Save", "Save all…", "Open with…"]


def test_save_all_through_the_pane(qtbot, pane, rich_result, demo_service, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dialogs = FolderDialogs(str(out))
    pane.actions.dialogs = dialogs
    show_on_attachments(pane, rich_result)
    expected = [a for _, a in rich_result.detail.all_attachments() if not a.is_deleted]
    assert pane.actions.save_all_action.isEnabled()
    messages: list[str] = []
    pane.status_message.connect(messages.append)
    with qtbot.waitSignal(pane.actions.saved, timeout=30_000) as blocker:
        pane.actions.save_all_action.trigger()
    report = blocker.args[0]
    assert len(report.saved) + len(report.failed) + len(report.skipped) == len(expected)
    assert report.saved and all(path.parent == out for path in report.saved)
    assert len(list(out.iterdir())) == len(report.saved)
    assert messages and messages[-1].startswith(f"Saved {len(report.saved)} file")
    png = by_extension(rich_result.detail, ".png")
    saved_png = [p for p in report.saved if p.suffix == ".png"]
    assert any(p.read_bytes() == served_bytes(demo_service, png) for p in saved_png)


def test_services_set_after_a_case_is_shown(qtbot, runner, repo, rich_result):
    late = DetailPane()
    qtbot.addWidget(late)
    late.show_case(rich_result)
    late.set_services(runner, repo)
    assert late.actions.save_all_action.isEnabled()


def test_save_all_shortcut_from_the_list(qtbot, pane, rich_result, tmp_path):
    dialogs = FolderDialogs(None)
    asked: list[str] = []
    dialogs.folder = lambda parent, start: asked.append(start)  # answers "cancel"
    pane.actions.dialogs = dialogs
    tab = show_on_attachments(pane, rich_result)
    pane.activateWindow()
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus, timeout=2000)
    qtbot.keyClick(tab.table, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert asked
