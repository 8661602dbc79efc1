"""Errors, progress and files in the real main window, against the demo service (issue 14).

One error view for the detail pane and the case list (a message that wraps, one heading style),
a sync dialog whose bar, summary and cache size agree, and a Save dialog that starts in the last
folder used, else in Downloads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from caseviewer.core.models import Attachment
from caseviewer.demo.server import DemoConfig, DemoService
from caseviewer.ui.detail.attachment_actions import AttachmentDialogs
from caseviewer.ui.dialogs.open_case_dialog import BY_ID, CaseLookup
from caseviewer.ui.dialogs.sync_dialog import accounted
from caseviewer.ui.case_list.table_states import ERROR
from tests.support.windows import make_main_window  # noqa: F401 - fixture
from tests.ui.test_main_window import build_repository, wait_loaded
from tests.unit.test_cache_support import make_repository, open_cache

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

LONG_MESSAGE = (
    "The case detail service refused the API key (HTTP 400: Organization with that key not found). "
    "Sign in again or update the API key in the profile, then try once more."
)


# -- 17: one error view, one wording style --------------------------------------------------------


def test_detail_and_list_errors_wrap_and_share_one_heading_style(qtbot, make_main_window, fresh_demo):
    window = make_main_window(build_repository(fresh_demo))
    window.resize(1000, 700)
    window.splitter.setSizes([600, 400])
    wait_loaded(qtbot, window)
    window.pane.show_error(LONG_MESSAGE)
    label = window.pane.error_label
    qtbot.waitUntil(lambda: label.isVisible() and label.width() > 0)
    pane = window.pane
    assert label.wordWrap()
    # The whole message is shown: it is wrapped onto lines inside the pane, not cut at its edge.
    assert label.fontMetrics().horizontalAdvance(LONG_MESSAGE) > label.width()
    assert label.height() >= 2 * label.fontMetrics().lineSpacing()
    right = label.mapTo(pane, label.rect().topRight()).x()
    assert 0 < right <= pane.width()
    assert label.text() == LONG_MESSAGE

    window.overlay.show_error(LONG_MESSAGE)
    assert window.overlay.kind == ERROR
    list_title, detail_title = window.overlay.title_text(), window.pane.error_title.text()
    assert list_title == "Couldn't load the case list"
    assert detail_title == "Couldn't load this case"
    # The same widget class draws both.
    assert type(window.overlay.state_view) is type(window.pane.error_view)


# -- 18: the sync dialog's numbers agree, in plain words, and the cache size moves --------------


@pytest.fixture
def demo_400():
    """A private demo service with enough cases for several sync batches (one a second at its latency)."""
    with DemoService(DemoConfig(cases=400, seed=3)) as service:
        yield service


def test_sync_cancel_bar_and_summary_agree_and_the_cache_size_updates(qtbot, make_main_window, demo_400):
    svc = demo_400
    window = make_main_window(make_repository(svc, open_cache()), page_size=50)
    wait_loaded(qtbot, window)
    svc.faults.update(latency_ms=15, scope="detail")
    dialog = window.show_sync_dialog()
    sizes_while_running: list[str] = []
    original = dialog.set_cache_size

    def record(size):
        original(size)
        if dialog.running:
            sizes_while_running.append(dialog.size_label.text())

    dialog.set_cache_size = record
    with qtbot.waitSignal(dialog.finished_sync, timeout=120_000) as finished:
        dialog.start()
        # Cancel once a batch or two are in the cache (and the size shown has moved).
        qtbot.waitUntil(lambda: len(sizes_while_running) >= 1, timeout=60_000)
        dialog.cancel_button.click()
    report = finished.args[0]
    assert report is not None and report.cancelled
    settled = accounted(report)
    assert 0 < settled < report.total == 400
    assert dialog.progress_bar.value() == settled and dialog.progress_bar.maximum() == report.total
    summary = dialog.summary.toPlainText()
    assert f"{report.total:,} cases listed" in summary
    assert f"{report.fetched:,} saved for offline reading" in summary
    assert f"{report.total - settled:,} not fetched yet" in summary
    assert f"{settled:,} of {report.total:,}" in dialog.status_label.text()
    assert "list record" not in summary and "list-only" not in summary
    assert sizes_while_running and sizes_while_running[0].startswith("Offline cache on disk:")


# -- 19: the Save dialog starts in the last folder used, else in Downloads -----------------------


class RecordingDialogs(AttachmentDialogs):
    """Answers the save question with a file in ``folder``; records where the dialog started."""

    def __init__(self, folder: Path) -> None:
        self.folder_answer = folder
        self.started_in: list[Path] = []

    def save_path(self, parent, suggested):
        self.started_in.append(Path(suggested).parent)
        return str(self.folder_answer / Path(suggested).name)

    def report_error(self, parent, title, message):
        raise AssertionError(message)


def rich_attachment(qtbot, window, svc) -> Attachment:
    with qtbot.waitSignal(window.detail_shown, timeout=20_000) as shown:
        window.open_case(CaseLookup(BY_ID, svc.data.case_ids()[0]))
    return shown.args[0].detail.attachments[0]


def test_save_starts_in_downloads_then_in_the_last_folder_used(qtbot, make_main_window, fresh_demo, tmp_path, monkeypatch):
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    config = tmp_path / "xdg-config"
    config.mkdir()
    (config / "user-dirs.dirs").write_text(f'XDG_DOWNLOAD_DIR="{downloads}"\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    elsewhere = tmp_path / "current"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    chosen = tmp_path / "chosen"
    chosen.mkdir()

    window = make_main_window(build_repository(fresh_demo))
    attachment = rich_attachment(qtbot, window, fresh_demo)
    first = RecordingDialogs(chosen)
    window.pane.actions.dialogs = first
    with qtbot.waitSignal(window.pane.actions.saved, timeout=20_000):
        window.pane.actions.save(attachment)
    assert first.started_in == [downloads]
    window.close()

    # The next run (a new window, the same settings file) starts where the last file went.
    again = make_main_window(build_repository(fresh_demo))
    attachment = rich_attachment(qtbot, again, fresh_demo)
    second = RecordingDialogs(chosen)
    again.pane.actions.dialogs = second
    with qtbot.waitSignal(again.pane.actions.saved, timeout=20_000):
        again.pane.actions.save(attachment)
    assert second.started_in == [chosen]
