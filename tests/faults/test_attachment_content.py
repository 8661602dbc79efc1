"""Hostile and damaged attachment bodies in the preview: decompression bombs (a header that claims
30000 × 30000, a tiny PNG that really inflates to 20000 × 20000, GIF and JPEG headers that lie),
damaged images, truncated and garbage PDFs, a zero-byte file, corrupt base64, and a file host
that sends half a file.

Each one ends as a plain message in the preview (the "No preview" page), never a crash, a hang or
a huge allocation, and the preview stays usable: a normal image shows right after.
"""

from __future__ import annotations

import struct
import traceback
import zlib
from functools import lru_cache

import pytest

from caseviewer.core.api import DocumentFormat
from caseviewer.demo.data import SPECIAL
from caseviewer.demo.files import jpeg, pdf, scan_png
from caseviewer.ui.preview.loader import EMPTY_FILE, PreviewTooLarge, decode_image
from caseviewer.ui.preview.pdf_view import DAMAGED as PDF_DAMAGED
from tests.support.preview_fixtures import giant_png, inline, png
from tests.ui.test_preview_support import (  # noqa: F401 - fixtures
    by_extension,
    make_preview,
    runner,
    served_bytes,
    show_and_wait,
)
from tests.unit.test_cache_support import make_repository

# The offscreen platform says this whenever a shown window's size hints change: noise, not a bug.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

IMAGE_DAMAGED = "This image is damaged and cannot be shown."

# -- hostile bodies, built byte by byte -----------------------------------------------------------

BOMB_SIDE = 20_000


@lru_cache(maxsize=1)
def inflating_png() -> bytes:
    """A real, complete 1-bit PNG of 20000 × 20000 white pixels: ~50 KB that inflates to 50 MB of
    rows, and to 1.6 GB as the 32-bit image a viewer would need. Nothing in its header lies."""
    row = b"\x00" + b"\xff" * (BOMB_SIDE // 8)  # filter byte "none", then 8 pixels a byte
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(BOMB_SIDE)) + packer.flush()
    return png(BOMB_SIDE, BOMB_SIDE, idat, bit_depth=1, colour_type=0)


def inflated_size(data: bytes) -> int:
    """How many bytes the PNG's image data really inflates to (streamed: never all in memory)."""
    start = data.index(b"IDAT") + 4
    length = struct.unpack(">I", data[start - 8:start - 4])[0]
    inflater, total, pending = zlib.decompressobj(), 0, data[start:start + length]
    while pending:
        total += len(inflater.decompress(pending, 1 << 20))
        pending = inflater.unconsumed_tail
    return total + len(inflater.flush())


def lying_gif(width: int = 30_000, height: int = 30_000) -> bytes:
    """A GIF whose screen and image descriptor claim ``width`` × ``height`` over one tiny LZW block."""
    screen = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    image = b"," + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00"
    return screen + image + b";"


def lying_jpeg(width: int = 30_000, height: int = 30_000) -> bytes:
    """The demo's real JPEG with its frame header (SOF0) changed to claim ``width`` × ``height``."""
    data = jpeg()
    sof = data.index(b"\xff\xc0")
    # SOF0: marker, length (2), precision (1), height (2), width (2), ...
    return data[:sof + 5] + struct.pack(">HH", height, width) + data[sof + 9:]


def three_page_pdf() -> bytes:
    return pdf([["page one"], ["page two"], ["page three"]])


HOSTILE = [
    pytest.param("flat.png", inflating_png, f"This image is too large to preview safely ({BOMB_SIDE} × {BOMB_SIDE}).",
                 id="png-that-really-inflates"),
    pytest.param("bomb.gif", lying_gif, "This image is too large to preview safely (30000 × 30000).",
                 id="gif-header-lies"),
    pytest.param("bomb.jpg", lying_jpeg, "This image is too large to preview safely (30000 × 30000).",
                 id="jpeg-header-lies"),
    pytest.param("header-only.gif", lambda: lying_gif(40, 40)[:13], IMAGE_DAMAGED, id="gif-cut-after-header"),
    pytest.param("scan.pdf", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40, PDF_DAMAGED, id="pdf-garbage-after-header"),
    pytest.param("scan.pdf", lambda: b"", EMPTY_FILE, id="zero-byte-pdf"),
]


def assert_still_usable(qtbot, preview) -> None:
    """After a refusal the next, normal file previews as usual."""
    assert show_and_wait(qtbot, preview, inline("normal.png", scan_png(2)), None) == "image"
    image = preview.image_viewer.image()
    assert image is not None and not image.isNull() and image.width() > 100
    assert preview.message() == ""


# -- the cases -------------------------------------------------------------------------------------


def test_the_inflating_png_is_a_real_bomb():
    # Guards the fixture: were it malformed, a refusal would prove nothing.
    data = inflating_png()
    assert len(data) < 100_000
    assert inflated_size(data) == BOMB_SIDE * (1 + BOMB_SIDE // 8)


@pytest.mark.parametrize(("name", "body", "expected"), HOSTILE)
def test_hostile_content_is_a_message_and_the_preview_moves_on(qtbot, runner, name, body, expected):
    preview = make_preview(qtbot, runner, None)
    assert show_and_wait(qtbot, preview, inline(name, body()), None) == "error"
    assert preview.message() == expected
    assert preview.info_view.message() == expected  # what the reviewer reads on the page
    assert preview.info_view.title() == "No preview"
    assert preview.info_view.facts()["Name"] == name
    assert_still_usable(qtbot, preview)


@pytest.mark.parametrize("body", [lying_jpeg, lying_gif, giant_png], ids=["jpeg", "gif", "png"])
def test_a_refused_image_leaves_no_reader_pointing_at_its_buffer(qapp, body):
    # The refusal's traceback keeps the decoding frames alive until the garbage collector frees
    # them, in no set order: a reader still pointing at its buffer then may outlive it.
    from PySide6.QtGui import QImageReader

    with pytest.raises(PreviewTooLarge) as caught:
        decode_image(body())
    frames = [frame for frame, _line in traceback.walk_tb(caught.value.__traceback__)]
    readers = [value for frame in frames for value in frame.f_locals.values() if isinstance(value, QImageReader)]
    assert readers, "the refusal was raised where no reader is in reach: the test proves nothing"
    assert all(reader.device() is None for reader in readers)


def test_a_30000_by_30000_png_is_refused_with_its_size(qtbot, runner):
    preview = make_preview(qtbot, runner, None)
    assert show_and_wait(qtbot, preview, inline("bomb.png", giant_png()), None) == "error"
    assert preview.message() == "This image is too large to preview safely (30000 × 30000)."
    assert preview.info_view.message() == preview.message()
    assert_still_usable(qtbot, preview)


def test_a_damaged_image_is_a_message(qtbot, runner):
    preview = make_preview(qtbot, runner, None)
    damaged = scan_png(1)[:200]
    assert show_and_wait(qtbot, preview, inline("cut.png", damaged), None) == "error"
    assert "damaged" in preview.message()
    assert_still_usable(qtbot, preview)


def test_a_truncated_pdf_is_a_message(qtbot, runner):
    preview = make_preview(qtbot, runner, None)
    whole = three_page_pdf()
    assert show_and_wait(qtbot, preview, inline("cut.pdf", whole[: len(whole) // 2]), None) == "error"
    assert preview.message() == "This PDF is damaged and cannot be shown."
    # The next file still previews normally.
    assert show_and_wait(qtbot, preview, inline("whole.pdf", whole), None) == "pdf"
    assert preview.pdf_viewer.page_count() == 3


def test_corrupt_base64_is_a_message(qtbot, runner):
    preview = make_preview(qtbot, runner, None)
    assert show_and_wait(qtbot, preview, inline("scan.png", "iVBORw0KGgo$$$not-base64!!"), None) == "error"
    assert "not valid base64" in preview.message()
    assert preview.info_view.message() == preview.message()
    assert_still_usable(qtbot, preview)


def test_a_file_host_sending_half_the_file_is_a_message(qtbot, runner, fresh_demo):
    # URL attachments come from the file host: the knob makes it send only half of each file.
    repository = make_repository(fresh_demo, None, document_format=DocumentFormat.URL)
    try:
        rich = repository.open_case(fresh_demo.data.case_ids()[SPECIAL["rich"]]).detail
        scan = by_extension(rich, ".png")
        preview = make_preview(qtbot, runner, repository)
        fresh_demo.faults.update(scope="files", malformed_json=True)
        assert show_and_wait(qtbot, preview, scan, rich.id) == "error"
        assert preview.info_view.message() == IMAGE_DAMAGED
        fresh_demo.faults.reset()
        # The same attachment, asked again, previews whole: nothing bad was kept.
        assert show_and_wait(qtbot, preview, scan, rich.id) == "image"
        assert preview.current_data() == served_bytes(fresh_demo, scan)
    finally:
        repository.close()
