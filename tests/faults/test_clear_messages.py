"""Messages say what is wrong with the data (issue class 10).

An attachment whose ``url`` is a number (or other junk) is a data problem, not "Network error";
a ``.png`` (or ``.jpg``, ``.pdf``) whose bytes are not what the name promises is a damaged file,
not "There is no preview for this type of file". Through the real preview, on the demo service
where a download is involved.
"""

from __future__ import annotations

import pytest

from caseviewer.core.models import Attachment
from caseviewer.demo.files import jpeg, pdf, scan_png
from caseviewer.ui.preview.loader import BAD_LINK
from tests.support.preview_fixtures import inline
from tests.ui.test_preview_support import make_preview, runner, show_and_wait  # noqa: F401 - fixtures
from tests.unit.test_cache_support import make_repository

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def linked(url) -> Attachment:
    return Attachment.model_validate({"id": "att-bad-link", "fileName": "scan.png", "url": url})


@pytest.mark.parametrize("url", [12345, 0, 3.5, "12345", "not a link", "ftp://files.example/scan.png",
                                 "javascript:alert(1)", "//no-scheme.example/x"])
def test_an_attachment_link_that_is_no_web_address_says_so(qtbot, runner, demo_service, url):  # noqa: F811
    repository = make_repository(demo_service, None)
    try:
        attachment = linked(url)
        assert attachment.url is not None
        preview = make_preview(qtbot, runner, repository)
        assert show_and_wait(qtbot, preview, attachment, demo_service.data.case_ids()[0]) == "error"
        assert preview.message() == BAD_LINK
        assert "network" not in preview.info_view.message().lower()
    finally:
        repository.close()


def _flip_first_byte(data: bytes) -> bytes:
    return bytes([data[0] ^ 0xFF]) + data[1:]


DAMAGED = [
    pytest.param("scan.png", lambda: _flip_first_byte(scan_png(1)), "PNG", id="png-signature"),
    pytest.param("scan.png", lambda: b"\x00" * 64 + scan_png(1)[8:], "PNG", id="png-zeroed-head"),
    pytest.param("photo.jpg", lambda: _flip_first_byte(jpeg()), "JPEG", id="jpeg-signature"),
    pytest.param("photo.JPEG", lambda: b"hello, I am text pretending to be a photo\n", "JPEG", id="jpeg-is-text"),
    pytest.param("anim.gif", lambda: b"GIF00a" + bytes(range(200)), "GIF", id="gif-signature"),
]


@pytest.mark.parametrize(("name", "body", "label"), DAMAGED)
def test_an_image_with_a_corrupt_signature_is_damaged(qtbot, runner, name, body, label):  # noqa: F811
    preview = make_preview(qtbot, runner, None)
    assert show_and_wait(qtbot, preview, inline(name, body()), None) == "error"
    assert preview.message().startswith("This image is damaged")
    assert label in preview.message()
    assert "no preview for this type" not in preview.info_view.message()


def test_a_pdf_with_a_corrupt_header_is_damaged(qtbot, runner):  # noqa: F811
    preview = make_preview(qtbot, runner, None)
    body = pdf([["page one"]]).replace(b"%PDF-", b"%XYZ-", 1)
    assert show_and_wait(qtbot, preview, inline("report.pdf", body), None) == "error"
    assert preview.message().startswith("This PDF is damaged")


def test_an_unknown_binary_type_still_says_there_is_no_preview(qtbot, runner):  # noqa: F811
    preview = make_preview(qtbot, runner, None)
    assert show_and_wait(qtbot, preview, inline("archive.bin", bytes(range(256)) * 4), None) == "info"
    assert "no preview for this type" in preview.message()
