"""Real file bytes for demo attachments: PNG, JPEG, multi-page PDF and small text formats.

Every attachment the demo service hands out must open in a real viewer, so the bytes here are
valid files built with the standard library only (zlib for PNG, a hand-laid PDF with a correct
cross-reference table). The JPEG is a shipped asset because encoding JPEG needs a codec we do not
want at runtime. Output depends only on the arguments, so the same seed gives the same bytes.
"""

from __future__ import annotations

import functools
import json
import random
import struct
import zlib
from dataclasses import dataclass
from importlib import resources

CONTENT_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}


@dataclass(frozen=True)
class FileSpec:
    """What to render for one attachment; hashable so rendered bytes can be cached by spec."""

    kind: str  # a key of CONTENT_TYPES
    seed: int  # drives the content variation
    size: int = 0  # only for the large noise PNG: the target size in bytes

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def render(spec: FileSpec) -> bytes:
    """The file's bytes (cached: the server renders the same attachment many times)."""
    return _render_cached(spec)


@functools.lru_cache(maxsize=64)
def _render_cached(spec: FileSpec) -> bytes:
    if spec.kind == "png":
        if spec.size:
            return noise_png(spec.size, spec.seed)
        return scan_png(spec.seed)
    if spec.kind == "jpeg":
        return jpeg()
    if spec.kind == "pdf":
        return pdf(_pdf_pages(spec.seed))
    if spec.kind == "txt":
        return _text(spec.seed)
    if spec.kind == "csv":
        return _csv(spec.seed)
    if spec.kind == "json":
        return _json(spec.seed)
    raise ValueError(f"unknown file kind {spec.kind!r}")


# --- PNG ---------------------------------------------------------------------------------------

def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int, height: int, raw_rows: bytes, color_type: int, level: int = 6) -> bytes:
    """Wrap filtered scanlines (each starting with its filter byte) into a PNG file."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(raw_rows, level))
        + _chunk(b"IEND", b"")
    )


def scan_png(seed: int) -> bytes:
    """A greyscale 'scanned page': paper gradient, a header band and ragged lines of 'text'.

    Sizes vary with the seed between 480x360 and 960x720 so previews see different shapes.
    """
    rng = random.Random(f"scan:{seed}")
    width = rng.choice((480, 640, 800, 960))
    height = width * 3 // 4
    # Precompute the text bars as (row range, column range) so each scanline is cheap to build.
    bars: list[tuple[int, int, int, int]] = []
    y = height // 6
    while y < height - 40:
        x0 = width // 12
        x1 = rng.randint(width // 2, width - width // 12)
        bars.append((y, y + 7, x0, x1))
        y += rng.choice((16, 18, 22, 34))
    rows = bytearray()
    for yy in range(height):
        shade = 236 - (yy * 24) // height
        line = bytearray([shade]) * width
        if yy < height // 10:
            line[:] = bytes([60]) * width  # dark header band
        for top, bottom, x0, x1 in bars:
            if top <= yy < bottom:
                line[x0:x1] = bytes([70]) * (x1 - x0)
        rows.append(0)
        rows += line
    return png_bytes(width, height, bytes(rows), color_type=0)


def noise_png(target_bytes: int, seed: int) -> bytes:
    """An RGB noise PNG of about ``target_bytes`` (stored without compression so size is real).

    Noise does not compress, and level 0 keeps generation fast even for tens of megabytes.
    """
    width = 1024
    row_len = 1 + width * 3
    height = max(1, target_bytes // row_len)
    rng = random.Random(f"noise:{seed}")
    noise = rng.randbytes(width * 3 * height)
    rows = bytearray()
    for yy in range(height):
        rows.append(0)
        rows += noise[yy * width * 3:(yy + 1) * width * 3]
    return png_bytes(width, height, bytes(rows), color_type=2, level=0)


# --- JPEG --------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def jpeg() -> bytes:
    """The shipped synthetic photo (see assets/README.txt for how it was made)."""
    return resources.files("caseviewer.demo").joinpath("assets/intake_photo.jpg").read_bytes()


# --- PDF ---------------------------------------------------------------------------------------

def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF, one page per list of text lines (Helvetica, US Letter).

    Objects: 1 catalog, 2 page tree, 3 font, then a page and its content stream per page. The
    xref offsets are measured from the bytes actually written, so strict readers accept it.
    """
    objects: list[bytes] = []
    n = len(pages)
    page_ids = [4 + 2 * i for i in range(n)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{pid} 0 R" for pid in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, lines in enumerate(pages):
        content_id = page_ids[i] + 1
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
            ).encode()
        )
        ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
        for line in lines:
            # Only Latin-1 survives the standard font encoding; anything else becomes '?'.
            safe = line.encode("latin-1", "replace").decode("latin-1")
            ops.append(f"({_pdf_escape(safe)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


def _pdf_pages(seed: int) -> list[list[str]]:
    rng = random.Random(f"pdf:{seed}")
    titles = ("Clinical summary", "Medication history", "Consent and signatures")
    pages = []
    for number, title in enumerate(titles, start=1):
        lines = [f"SYNTHETIC DEMO DOCUMENT - page {number} of {len(titles)}", "", title, ""]
        for k in range(rng.randint(8, 16)):
            lines.append(f"{k + 1}. Observation {rng.randint(100, 999)}: within expected range.")
        pages.append(lines)
    return pages


# --- text formats ------------------------------------------------------------------------------

def _text(seed: int) -> bytes:
    rng = random.Random(f"txt:{seed}")
    lines = ["Synthetic demo note (not real patient data)", ""]
    for k in range(rng.randint(3, 12)):
        lines.append(f"Line {k + 1}: follow-up in {rng.randint(1, 12)} weeks; hydration advised.")
    lines.append("Unicode check: café, naïve, 日本語, ✓")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _csv(seed: int) -> bytes:
    rng = random.Random(f"csv:{seed}")
    rows = ["date,measure,value,unit"]
    for k in range(rng.randint(5, 20)):
        rows.append(f"2024-0{1 + k % 9}-1{k % 10},weight,{rng.randint(120, 240)},lb")
    rows.append('2024-12-31,"note, with comma","""quoted""",')
    return ("\r\n".join(rows) + "\r\n").encode("utf-8")


def _json(seed: int) -> bytes:
    rng = random.Random(f"json:{seed}")
    doc = {
        "synthetic": True,
        "labs": [
            {"name": name, "value": rng.randint(1, 300), "unit": unit}
            for name, unit in (("glucose", "mg/dL"), ("a1c", "%"), ("ldl", "mg/dL"))
        ],
    }
    return json.dumps(doc, indent=2, sort_keys=True).encode("utf-8")
