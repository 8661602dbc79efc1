"""The exported dossier read back with real PDF readers (pypdf, and poppler's pdftotext/pdfinfo
when installed): every section heading, a comment, a medication, the footer on every page, the
appended attachment pages, damaged attachments listed with their reason, service text as text."""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import stat
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from caseviewer.core.api import CaseApi
from caseviewer.core.export.dossier_content import SECTION_TITLES, SectionKey
from caseviewer.core.models import CaseDetail
from caseviewer.core.repository import CaseRepository, CaseResult
from caseviewer.ui.export.jobs import export_dossier
from tests.support.windows import demo_api

pytest_plugins = ["conftest_demo"]

HAS_POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdfinfo") is not None


def norm(text: str) -> str:
    """Extracted text with ligatures unfolded and whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pages_text(path) -> list[str]:
    """One string per page: pdftotext when installed (pages end with form feeds), else pypdf."""
    if HAS_POPPLER:
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
        return [norm(p) for p in out.split("\f")[:-1]]
    return [norm(page.extract_text() or "") for page in PdfReader(str(path)).pages]


def page_count(path) -> int:
    if HAS_POPPLER:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(PdfReader(str(path)).pages)


@pytest.fixture
def repository(demo):
    repo = CaseRepository(demo_api(demo))
    yield repo
    repo.close()


def open_case(repository, demo, index: int) -> CaseResult:
    return repository.open_case(demo.data.case_id(index))


def test_rich_case_dossier_with_attachments(qapp, repository, demo, tmp_path):
    result = open_case(repository, demo, 0)
    target = tmp_path / "dossier.pdf"
    built = export_dossier(result, target, repository.download_attachment, attachments=True)

    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    pages = pages_text(target)
    total = page_count(target)
    # The demo's rich case has two 3-page PDF attachments: appended page for page.
    assert built.pdf.attachment_pages == 6
    assert total == built.pdf.body_pages + 6 == len(pages) == len(PdfReader(str(target)).pages)
    text = " ".join(pages)
    for key, title in SECTION_TITLES.items():
        if key is not SectionKey.REVIEWER:
            assert title in text, f"section heading {title!r} missing"
    comment = result.detail.comments[0].text
    assert norm(comment)[:60] in text
    assert result.detail.decisions[0].med_info[0].medicine in text
    assert "Internal note" in text
    short_id = result.detail.short_id
    for number, page in enumerate(pages, 1):
        assert f"{short_id} · Contains PHI — confidential" in page, f"page {number} has no footer"
        assert f"Page {number} of {total}" in page
        assert "Exported by" in page
    # The appended pages are the attachment's own (vector text, readable), in order.
    body = built.pdf.body_pages
    assert "SYNTHETIC DEMO DOCUMENT - page 1 of 3" in pages[body]
    assert "SYNTHETIC DEMO DOCUMENT - page 3 of 3" in pages[body + 2]
    assert "image, shown below" in text and "PDF, 3 pages appended" in text


def test_without_attachments_only_the_index_is_there(qapp, repository, demo, tmp_path):
    result = open_case(repository, demo, 0)
    target = tmp_path / "plain.pdf"
    built = export_dossier(result, target, repository.download_attachment, attachments=False)
    assert built.pdf.attachment_pages == 0
    assert page_count(target) == built.pdf.body_pages
    text = " ".join(pages_text(target))
    assert "listed only" in text and "SYNTHETIC DEMO DOCUMENT" not in text


def test_service_text_is_plain_text_never_markup(qapp, repository, demo, tmp_path):
    result = open_case(repository, demo, 1)  # the hostile case: HTML and script in names and comments
    target = tmp_path / "hostile.pdf"
    export_dossier(result, target, repository.download_attachment, attachments=True)
    pages = pages_text(target)
    text = " ".join(pages)
    assert "<script>" in text
    # The cover holds only labelled fields and the title: markup in them is printed as typed.
    unspaced = lambda text: "".join(norm(text).split())  # noqa: E731 - the title's long reference wraps mid-word
    assert unspaced(result.detail.title) in unspaced(pages[0]), "the hostile title is printed literally"
    assert "<U+202E>" in text, "a right-to-left override is shown, not obeyed"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_damaged_attachments_are_listed_with_the_reason_and_do_not_abort(qapp, tmp_path):
    detail = CaseDetail.from_raw({
        "id": "case-damaged",
        "shortId": "CV-DMG",
        "title": "Damaged attachments",
        "comments": [{"id": "c", "text": "A comment that survives.", "createdAt": "2025-01-01T00:00:00Z"}],
        "attachments": [
            {"id": "1", "fileName": "broken.pdf", "content": _b64(b"%PDF-1.4\nnot really a pdf\n")},
            {"id": "2", "fileName": "torn.png", "content": _b64(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50)},
            {"id": "3", "fileName": "bad64.txt", "content": "@@@@"},
            {"id": "4", "fileName": "ok.txt", "content": _b64(b"plain text survives\n")},
        ],
    })
    repository = CaseRepository(CaseApi())
    target = tmp_path / "damaged.pdf"
    built = export_dossier(CaseResult("case-damaged", None, detail), target, repository.download_attachment, attachments=True)
    pages = pages_text(target)
    text = " ".join(pages)
    assert page_count(target) == built.pdf.body_pages
    assert re.search(r"broken\.pdf .*damaged, not included — the PDF is damaged", text)
    assert re.search(r"torn\.png .*damaged, not included — This image is damaged", text)
    assert re.search(r"bad64\.txt .*damaged, not included — .*base64", text)
    assert "plain text survives" in text and "A comment that survives." in text
    assert all("CV-DMG · Contains PHI — confidential" in p for p in pages)


def test_the_pdf_is_a_valid_document_for_pypdf(qapp, repository, demo, tmp_path):
    result = open_case(repository, demo, 0)
    built = export_dossier(result, tmp_path / "x.pdf", repository.download_attachment, attachments=True)
    reader = PdfReader(io.BytesIO(built.pdf.data))
    assert len(reader.pages) == built.pdf.pages
    assert reader.metadata.title == "Case dossier (contains PHI)"


def test_the_window_path_renders_in_a_child_process_with_the_same_result(qapp, repository, demo, tmp_path):
    result = open_case(repository, demo, 0)
    steps = []
    in_child = export_dossier(result, tmp_path / "child.pdf", repository.download_attachment, attachments=True,
                              isolate=True, progress=lambda done, total: steps.append(done))
    in_process = export_dossier(result, tmp_path / "here.pdf", repository.download_attachment, attachments=True)
    assert in_child.path == tmp_path / "child.pdf"
    assert stat.S_IMODE(os.stat(in_child.path).st_mode) == 0o600
    assert page_count(in_child.path) == page_count(in_process.path) == in_child.pdf.pages
    assert [(e.use, e.reason) for e in in_child.dossier.attachments] == [(e.use, e.reason) for e in in_process.dossier.attachments]
    assert steps and steps[-1] == 100 and steps == sorted(steps)
    text = " ".join(pages_text(in_child.path))
    assert all(title in text for key, title in SECTION_TITLES.items() if key is not SectionKey.REVIEWER)


def test_the_child_reports_damaged_attachments_too(qapp, tmp_path):
    detail = CaseDetail.from_raw({
        "id": "case-damaged", "shortId": "CV-DMG",
        "attachments": [
            {"id": "1", "fileName": "broken.pdf", "content": _b64(b"%PDF-1.4\nnot really a pdf\n")},
            {"id": "2", "fileName": "torn.png", "content": _b64(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50)},
            {"id": "3", "fileName": "bad64.txt", "content": "@@@@"},
        ],
    })
    built = export_dossier(CaseResult("case-damaged", None, detail), tmp_path / "d.pdf",
                           CaseRepository(CaseApi()).download_attachment, attachments=True, isolate=True)
    assert [e.use.value for e in built.dossier.attachments] == ["damaged", "damaged", "damaged"]
    text = " ".join(pages_text(tmp_path / "d.pdf"))
    assert "the PDF is damaged" in text and "This image is damaged" in text and "base64" in text


def test_the_child_gets_no_secrets(monkeypatch):
    from caseviewer.ui.export.render_process import child_environment

    monkeypatch.setenv("CASEVIEWER_DETAIL_KEY", "k-secret")
    monkeypatch.setenv("CASEVIEWER_LIST_TOKEN", "t-secret")
    env = child_environment()
    assert "k-secret" not in env.values() and "t-secret" not in env.values()
    assert env["QT_QPA_PLATFORM"] == "offscreen"
