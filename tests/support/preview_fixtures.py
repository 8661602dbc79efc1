"""Hand-made attachment bodies for the preview tests: inline attachments and hostile images.

Shared by ``tests/ui/test_preview.py`` and ``tests/faults/test_attachment_content.py``. Every
image here is built byte by byte (valid chunk CRCs), so a decoder that is refused one of them
was refused for what the test means, not for a broken fixture.
"""

from __future__ import annotations

import base64
import struct
import zlib

from caseviewer.core.models import Attachment


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, idat: bytes, *, bit_depth: int = 8, colour_type: int = 2) -> bytes:
    """A PNG with this header and this (already compressed) image data."""
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def giant_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A few hundred bytes whose header claims ``width`` x ``height`` (a decompression bomb)."""
    idat = zlib.compress(b"\x00" * 4096, 9)  # far too little data: it must never be decoded
    return png(width, height, idat)


def inline(name: str | None, data: bytes | str, *, id: str | None = None, **fields) -> Attachment:  # noqa: A002
    """An attachment carrying its body inline (base64), as the detail service sends it."""
    content = data if isinstance(data, str) else base64.b64encode(data).decode()
    return Attachment(id=id or f"test-{name}", file_name=name, content=content, **fields)
