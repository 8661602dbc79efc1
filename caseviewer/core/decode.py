"""What an attachment is, from its bytes: base64 decoding, type sniffing, text preparation.

Plain Python (no Qt) so it runs on worker threads and in the CLI. The file name is only a hint:
magic bytes decide what is an image or a PDF, so ``invoice.png`` that is really an executable is
never handed to an image decoder as a PNG, and a PDF called ``scan.txt`` still previews as a PDF.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import enum
import json
from collections.abc import Callable
from dataclasses import dataclass

from caseviewer.core import errors
from caseviewer.core.filenames import split_extension


class DecodeError(errors.KnownError):
    """The attachment's bytes are not what they claim to be (bad base64, damaged file)."""


class Kind(str, enum.Enum):
    IMAGE = "image"
    PDF = "pdf"
    TEXT = "text"
    CSV = "csv"
    JSON = "json"
    OTHER = "other"

    @property
    def is_text(self) -> bool:
        return self in (Kind.TEXT, Kind.CSV, Kind.JSON)


_B64_WHITESPACE = b" \t\r\n\v\f"
_URLSAFE = bytes.maketrans(b"-_", b"+/")

#: Characters of base64 decoded per step. A single C call over tens of megabytes would hold the
#: GIL for 100+ ms and freeze the GUI thread; between steps the interpreter can switch threads.
_B64_STEP = 1 << 20


def decode_base64(content: str | bytes) -> bytes:
    """Strict base64 (standard or URL-safe alphabet; whitespace and missing padding tolerated).

    Anything else in the string is an error rather than silently skipped, so a damaged body is
    reported instead of previewed as garbage.
    """
    out = bytearray()
    decode_base64_into(content, out.extend)
    return bytes(out)


def decode_base64_into(content: str | bytes, write: Callable[[bytes], object]) -> int:
    """``decode_base64`` step by step: each decoded piece goes to ``write`` (a pipe, a file), so
    a large body is never held twice. Returns the byte count; ``DecodeError`` as above (pieces
    before the damage have been written by then)."""
    carry = b""
    count = 0
    try:
        for start in range(0, len(content), _B64_STEP):
            piece = content[start:start + _B64_STEP]
            raw = piece.encode("ascii") if isinstance(piece, str) else bytes(piece)
            raw = carry + raw.translate(_URLSAFE, _B64_WHITESPACE)
            usable = len(raw) - len(raw) % 4
            carry = raw[usable:]
            decoded = base64.b64decode(raw[:usable], validate=True)
            count += len(decoded)
            write(decoded)
        if carry:
            decoded = base64.b64decode(carry + b"=" * (-len(carry) % 4), validate=True)
            count += len(decoded)
            write(decoded)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise DecodeError("The attachment's content is damaged (it is not valid base64).") from None
    return count


# (magic, offset, mime) of the raster formats Qt's image readers handle. Checked in order.
_IMAGE_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),  # after "RIFF" + size
    (b"BM", 0, "image/bmp"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
    (b"\x00\x00\x01\x00", 0, "image/x-icon"),
)

_TEXT_EXTENSIONS = {
    ".txt": Kind.TEXT, ".log": Kind.TEXT, ".md": Kind.TEXT, ".xml": Kind.TEXT, ".html": Kind.TEXT,
    ".htm": Kind.TEXT, ".svg": Kind.TEXT, ".ini": Kind.TEXT, ".yaml": Kind.TEXT, ".yml": Kind.TEXT,
    ".csv": Kind.CSV, ".tsv": Kind.CSV, ".json": Kind.JSON, ".geojson": Kind.JSON,
}

_MIME_BY_KIND = {
    Kind.PDF: "application/pdf",
    Kind.TEXT: "text/plain",
    Kind.CSV: "text/csv",
    Kind.JSON: "application/json",
    Kind.OTHER: "application/octet-stream",
}

_TEXT_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class Sniffed:
    kind: Kind
    mime: str

    @property
    def label(self) -> str:
        """A short type for people: "PNG image", "PDF document", "CSV text"."""
        if self.kind is Kind.IMAGE:
            return f"{self.mime.split('/')[-1].removeprefix('x-').upper()} image"
        return {
            Kind.PDF: "PDF document",
            Kind.TEXT: "Text",
            Kind.CSV: "CSV text",
            Kind.JSON: "JSON",
            Kind.OTHER: "File",
        }[self.kind]


def looks_like_text(head: bytes) -> bool:
    """True for bytes that read as text: a BOM, or no NUL and few control characters."""
    if head.startswith(_TEXT_BOMS):
        return True
    if b"\x00" in head:
        return False
    if not head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(head) < 0.01


def sniff(data: bytes, name: str | None = None) -> Sniffed:
    """The kind of ``data``: magic bytes first, then text-or-binary, the name's extension last."""
    head = data[:8192]
    for magic, offset, mime in _IMAGE_MAGIC:
        if head[offset:offset + len(magic)] == magic:
            if mime == "image/webp" and not head.startswith(b"RIFF"):
                continue
            return Sniffed(Kind.IMAGE, mime)
    # PDF readers accept the header anywhere in the first KB (some files start with junk).
    if b"%PDF-" in head[:1024]:
        return Sniffed(Kind.PDF, _MIME_BY_KIND[Kind.PDF])
    if looks_like_text(head):
        ext = split_extension(name or "")[1].lower()
        kind = _TEXT_EXTENSIONS.get(ext, Kind.TEXT)
        if kind is Kind.TEXT and head.lstrip()[:1] in (b"{", b"[") and ext not in _TEXT_EXTENSIONS:
            kind = Kind.JSON if _parses_as_json(data) else Kind.TEXT
        return Sniffed(kind, _MIME_BY_KIND[kind])
    return Sniffed(Kind.OTHER, _MIME_BY_KIND[Kind.OTHER])


def _parses_as_json(data: bytes) -> bool:
    if len(data) > JSON_PRETTY_LIMIT:
        return False
    try:
        json.loads(data)
    except (ValueError, RecursionError):  # nested past the parser's limit: text, not JSON to show
        return False
    return True


def decode_text(data: bytes) -> str:
    """Bytes as text: a BOM wins, then UTF-8, then Windows-1252 (never fails; odd bytes become U+FFFD)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", "replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


#: Above this a JSON body is shown as sent: pretty-printing it costs more than it helps.
JSON_PRETTY_LIMIT = 8 * 1024 * 1024

#: How much text a preview shows; the rest is there after Save.
TEXT_PREVIEW_LIMIT = 1_000_000


@dataclass(frozen=True)
class TextPreview:
    text: str
    note: str = ""  # "Showing the first ... of ..." or why JSON is shown as sent
    truncated: bool = False


def prepare_text(data: bytes, kind: Kind, *, limit: int = TEXT_PREVIEW_LIMIT) -> TextPreview:
    """Text ready for a viewer: decoded, JSON pretty-printed, long text cut with a note."""
    text = decode_text(data)
    notes: list[str] = []
    if kind is Kind.JSON:
        if len(data) <= JSON_PRETTY_LIMIT:
            try:
                text = json.dumps(json.loads(text), indent=2, ensure_ascii=False)
            except ValueError:
                notes.append("This is not valid JSON; it is shown as sent.")
            except RecursionError:  # parsing or indenting a document nested thousands deep
                notes.append("This JSON is nested too deeply to lay out, so it is shown as sent.")
        else:
            notes.append("This JSON is large, so it is shown as sent.")
    # Show every line ending the same way, as plain text widgets expect.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    full_length = len(text)
    truncated = full_length > limit
    if truncated:
        cut = text.rfind("\n", 0, limit)
        text = text[: cut if cut > limit // 2 else limit]
        notes.append(
            f"Showing the first {len(text):,} characters of {full_length:,}. Save the file to read all of it."
        )
    return TextPreview(text, " ".join(notes), truncated)
