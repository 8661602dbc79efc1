"""Helpers shared by the preview and attachment-action tests (no tests here).

Repositories on the shared demo service in both document formats, a task runner, the bytes the
demo service really serves for an attachment, and a wait for a preview to finish.
"""

from __future__ import annotations

import pytest

from caseviewer.core.api import DocumentFormat
from caseviewer.core.models import Attachment, CaseDetail
from caseviewer.demo.files import render
from caseviewer.demo.server import DemoService
from caseviewer.ui.preview import AttachmentPreview
from caseviewer.ui.workers import TaskRunner
from tests.unit.test_cache_support import make_repository

RICH, HOSTILE, LARGE = 0, 1, 3
FORMATS = [DocumentFormat.BASE64, DocumentFormat.URL]
FINAL_STATES = ("image", "pdf", "text", "info", "error")


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner(threads=2)
    yield runner
    runner.shutdown(timeout=5)


@pytest.fixture(params=FORMATS, ids=lambda f: f.value)
def repo(request, demo_service):
    """A repository without a cache (so nothing is written to disk) in each document format."""
    repository = make_repository(demo_service, None, document_format=request.param)
    yield repository
    repository.close()


def open_detail(repo, svc: DemoService, index: int) -> CaseDetail:
    return repo.open_case(svc.data.case_ids()[index]).detail


def served_bytes(svc: DemoService, attachment: Attachment) -> bytes:
    """What the demo service serves for ``attachment`` (the truth to compare with)."""
    spec, _name = svc.data.attachment(attachment.id)
    return render(spec)


def by_extension(detail: CaseDetail, ext: str) -> Attachment:
    return next(a for a in detail.attachments if (a.file_name or "").endswith(ext))


def make_preview(qtbot, runner, repository) -> AttachmentPreview:
    preview = AttachmentPreview(runner)
    qtbot.addWidget(preview)
    preview.resize(900, 650)
    preview.set_repository(repository)
    preview.show()
    return preview


def show_and_wait(qtbot, preview: AttachmentPreview, attachment: Attachment, case_id: str | None,
                  timeout: int = 20_000) -> str:
    with qtbot.waitSignal(preview.preview_ready, timeout=timeout) as blocker:
        preview.show_attachment(attachment, case_id=case_id)
    return blocker.args[0]
