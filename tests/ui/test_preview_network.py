"""Previews of signed-URL attachments: progress and Cancel on a slow download, an expired link
renewed once, and a quick change of selection showing only the last file."""

from __future__ import annotations

import pytest

from caseviewer.core.api import DocumentFormat
from caseviewer.demo.server import DemoConfig, DemoService
from tests.conftest_demo import FakeClock
from tests.ui.test_preview_support import (  # noqa: F401 - fixtures
    LARGE,
    RICH,
    by_extension,
    make_preview,
    runner,
    served_bytes,
    show_and_wait,
)
from tests.unit.test_cache_support import make_repository

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def service(clock):
    """A private service: 2 MB attachment on the large case, URLs valid 60 s on a fake clock."""
    with DemoService(DemoConfig(cases=6, seed=5, large_attachment_bytes=2_000_000,
                                url_ttl_seconds=60, clock=clock)) as svc:
        yield svc


@pytest.fixture
def url_repo(service):
    repository = make_repository(service, None, document_format=DocumentFormat.URL)
    yield repository
    repository.close()


class CountingOpen:
    """Wraps ``repository.open_case`` to count the re-fetches of an expired link."""

    def __init__(self, repository, replace_with=None):
        self.calls = 0
        self._real = repository.open_case
        self._replace_with = replace_with

    def __call__(self, *args, **kwargs):
        self.calls += 1
        result = self._real(*args, **kwargs)
        return self._replace_with if self._replace_with is not None else result


def test_a_slow_download_shows_progress_and_can_be_cancelled(qtbot, runner, service, url_repo):
    case_id = service.data.case_ids()[LARGE]
    detail = url_repo.open_case(case_id).detail
    large = next(a for a in detail.attachments if a.file_name == "large-noise-scan.png")
    service.faults.update(slow_body_bps=400_000, scope="files")
    preview = make_preview(qtbot, runner, url_repo)
    preview.show_attachment(large, case_id=case_id)
    assert preview.state() == "loading"
    qtbot.waitUntil(lambda: preview.progress_bar().value() > 0, timeout=20_000)
    assert preview.progress_bar().maximum() == 1000  # the size is known: a real bar, not a spinner
    with qtbot.waitSignal(preview.preview_ready) as blocker:
        preview._cancel_button.click()
    assert blocker.args == ["error"]
    assert preview.message() == "The download was cancelled."
    assert preview.info_view._retry.isVisibleTo(preview)
    service.faults.reset()
    # Try again downloads it for real.
    with qtbot.waitSignal(preview.preview_ready, timeout=30_000) as blocker:
        preview.info_view._retry.click()
    assert blocker.args == ["image"]
    assert preview.current_data() == served_bytes(service, large)
    # The cancelled download stopped at its next chunk: the workers can be joined.
    assert runner.shutdown(timeout=10)


def test_an_expired_link_is_renewed_once(qtbot, runner, service, url_repo, clock, monkeypatch):
    case_id = service.data.case_ids()[RICH]
    detail = url_repo.open_case(case_id).detail
    attachment = by_extension(detail, ".png")
    clock.advance(120)  # every signed URL of that detail has now expired
    spy = CountingOpen(url_repo)
    monkeypatch.setattr(url_repo, "open_case", spy)
    preview = make_preview(qtbot, runner, url_repo)
    assert show_and_wait(qtbot, preview, attachment, case_id) == "image"
    assert spy.calls == 1
    assert preview.current_data() == served_bytes(service, attachment)


def test_a_link_that_expires_again_is_reported(qtbot, runner, service, url_repo, clock, monkeypatch):
    case_id = service.data.case_ids()[RICH]
    stale = url_repo.open_case(case_id)
    attachment = by_extension(stale.detail, ".pdf")
    clock.advance(120)
    spy = CountingOpen(url_repo, replace_with=stale)  # the "fresh" detail has the old URLs again
    monkeypatch.setattr(url_repo, "open_case", spy)
    preview = make_preview(qtbot, runner, url_repo)
    assert show_and_wait(qtbot, preview, attachment, case_id) == "error"
    assert spy.calls == 1
    assert "expired again" in preview.message()
    assert preview.info_view._retry.isVisibleTo(preview)


def test_without_a_case_id_an_expired_link_is_reported(qtbot, runner, service, url_repo, clock):
    detail = url_repo.open_case(service.data.case_ids()[RICH]).detail
    clock.advance(120)
    preview = make_preview(qtbot, runner, url_repo)
    assert show_and_wait(qtbot, preview, by_extension(detail, ".txt"), None) == "error"
    assert preview.message() == "The attachment link has expired."


def test_only_the_last_selected_attachment_is_shown(qtbot, runner, service, url_repo):
    case_id = service.data.case_ids()[RICH]
    detail = url_repo.open_case(case_id).detail
    service.faults.update(latency_ms=150, scope="files")
    preview = make_preview(qtbot, runner, url_repo)
    shown: list[str] = []
    preview.preview_ready.connect(shown.append)
    for attachment in detail.attachments[:-1]:
        preview.show_attachment(attachment, case_id=case_id)
    last = detail.attachments[-1]
    with qtbot.waitSignal(preview.preview_ready, timeout=20_000):
        preview.show_attachment(last, case_id=case_id)
    assert shown == ["text"]  # one answer: the last file's (JSON)
    assert preview.current_attachment() is last
    assert preview.current_data() == served_bytes(service, last)
    qtbot.waitUntil(lambda: runner.pending_count == 0)
