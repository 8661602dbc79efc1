"""Worker-side work of a preview and a save: get an attachment's bytes, and make them showable.

Everything here runs on a worker thread (``TaskRunner``), never on the GUI thread, and never
touches a widget:

* ``fetch_attachment`` gives the bytes of an attachment: strict base64 decoding for inline
  content, a download through the repository for a signed URL. A URL that expired is refreshed
  once by re-fetching the case (``repository.open_case``) and matching the attachment by id.
  The sink is in memory for previews (``MemoryBuffer``, with a size cap) or an ``AtomicFile``
  for saves; nothing here decides to write to disk.
* ``prepare_preview`` sniffs the bytes and decodes them for a viewer: images through
  ``QImageReader`` with an allocation limit from an in-memory ``QBuffer``, text decoded and
  JSON pretty-printed. PDFs are checked for an intact cross-reference index
  (``core.pdf_check``): ``QPdfDocument`` loads them on the GUI thread (it is a QObject the view
  needs, and PySide holds the GIL while it loads, so a worker would not help), which takes
  milliseconds for an intact file but rebuilds a broken one byte by byte; a large broken one is
  refused with a message instead.

QImage and QBuffer are safe to use off the GUI thread; QPixmap is not and is not used.
"""

from __future__ import annotations

import io
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage, QImageReader

from caseviewer.core import errors
from caseviewer.core.decode import DecodeError, Kind, Sniffed, TextPreview, decode_base64, prepare_text, sniff
from caseviewer.core.filenames import split_extension
from caseviewer.core.pdf_check import xref_intact
from caseviewer.core.models import Attachment
from caseviewer.ui.formatting import human_size

#: ``QImageReader`` refuses to allocate more than this for one image (megabytes).
IMAGE_ALLOCATION_LIMIT_MB = 256

#: The largest side QPainter draws reliably; larger images are refused even under the byte limit.
MAX_IMAGE_SIDE = 32_767

#: Previews keep the whole file in memory; beyond this, saving it is the way to look at it.
PREVIEW_MAX_BYTES = 256 * 1024 * 1024

Progress = Callable[[int, int | None], None]

#: The preview's message for an attachment with no bytes at all.
EMPTY_FILE = "This attachment is empty (0 bytes): there is nothing to preview."


#: The preview's message for an attachment whose ``url`` is not a web address (a number, junk).
BAD_LINK = ("The service sent something that is not a web address as this attachment's link, "
            "so it cannot be downloaded.")

#: Extensions that promise a raster image, by the name people know the format by.
IMAGE_EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".bmp": "BMP",
                    ".webp": "WebP", ".tif": "TIFF", ".tiff": "TIFF", ".ico": "ICO"}


#: A PDF whose index is broken is rebuilt by the viewer on the GUI thread, at ~40 ms a megabyte;
#: beyond this size the preview refuses it rather than freeze the window.
PDF_REBUILD_MAX_BYTES = 1024 * 1024
PDF_TOO_BROKEN = ("This PDF is damaged (its index of contents is broken) and too large to repair for a "
                  "preview. Save it to open it in a PDF reader.")


class PreviewTooLarge(errors.KnownError):
    """The attachment (or the image in it) is too large to show safely."""


class BadLink(errors.SchemaError):
    """The attachment's ``url`` is not an http(s) address: a data problem, not a network one."""


def is_web_link(url: str | None) -> bool:
    try:
        parts = urllib.parse.urlsplit((url or "").strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


class Repository(Protocol):  # the two methods of CaseRepository used here
    def download_attachment(self, attachment: Attachment, sink: BinaryIO, *, progress: Progress | None = ...,
                            cancel: threading.Event | None = ..., case_id: str | None = ...) -> int: ...

    def open_case(self, case_id: str | None = ..., *, cancel: threading.Event | None = ...) -> Any: ...


class MemoryBuffer(io.BytesIO):
    """An in-memory sink that refuses to grow past ``limit`` bytes (a preview must not exhaust RAM)."""

    def __init__(self, limit: int | None = PREVIEW_MAX_BYTES) -> None:
        super().__init__()
        self.limit = limit

    def write(self, chunk: bytes) -> int:  # type: ignore[override]
        if self.limit is not None and self.tell() + len(chunk) > self.limit:
            raise PreviewTooLarge(
                f"This attachment is over {human_size(self.limit)}, too large to preview. "
                "Save it to open it in another app."
            )
        return super().write(chunk)


def _restart(sink: BinaryIO) -> None:
    sink.seek(0)
    sink.truncate()


def _fresh_attachment(repository: Repository, attachment: Attachment, case_id: str,
                      cancel: threading.Event | None) -> Attachment:
    """The same attachment from a freshly fetched case detail (new signed URL)."""
    result = repository.open_case(case_id, cancel=cancel)
    detail = getattr(result, "detail", None)
    if detail is not None:
        for _where, candidate in detail.all_attachments():
            if candidate.id and candidate.id == attachment.id:
                return candidate
    raise errors.NotFound("This attachment is no longer on the case. Reload the case to see its files.")


def fetch_attachment(
    repository: Repository | None,
    attachment: Attachment,
    sink: BinaryIO,
    *,
    case_id: str | None = None,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
    refresh: bool = True,
) -> int:
    """Write the attachment's bytes to ``sink`` (seekable); returns the byte count.

    An expired link is refreshed once (needs ``case_id``); a second expiry is reported.
    """
    if attachment.content is not None:
        data = decode_base64(attachment.content)
        sink.write(data)
        if progress is not None:
            progress(len(data), len(data))
        return len(data)
    if repository is None:
        raise errors.ConfigError("There is no connection to download this attachment with.")
    try:
        return repository.download_attachment(attachment, sink, progress=progress, cancel=cancel, case_id=case_id)
    except errors.LinkExpired:
        if not refresh or not case_id or not attachment.id:
            raise
    except (errors.NetworkError, errors.OfflineError, errors.RedirectRefused):
        # A cached copy would have been used above; without one, a link that is no web address
        # is what is wrong, whatever the network (or the transport's refusal) says.
        if attachment.url and not is_web_link(attachment.url):
            raise BadLink(BAD_LINK) from None
        raise
    fresh = _fresh_attachment(repository, attachment, case_id, cancel)
    _restart(sink)
    try:
        return fetch_attachment(repository, fresh, sink, case_id=case_id, cancel=cancel, progress=progress,
                                refresh=False)
    except errors.LinkExpired as exc:
        raise errors.LinkExpired(
            "The attachment link expired again right after it was renewed. Check the computer's "
            "clock, or try again later.",
            service=exc.service, status_code=exc.status_code,
        ) from None


def fetch_bytes(repository: Repository, attachment: Attachment, *, case_id: str | None = None,
                cancel: threading.Event | None = None, progress: Progress | None = None,
                limit: int | None = PREVIEW_MAX_BYTES) -> bytes:
    """The attachment's bytes, in memory only."""
    sink = MemoryBuffer(limit)
    fetch_attachment(repository, attachment, sink, case_id=case_id, cancel=cancel, progress=progress)
    return sink.getvalue()


# -- making bytes showable ---------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """What a viewer needs, built on the worker. ``data`` is the file itself (kept for Save)."""

    kind: Kind
    sniffed: Sniffed
    data: bytes
    image: QImage | None = None
    image_note: str = ""
    text: TextPreview | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@contextmanager
def _image_reader(data: bytes) -> Iterator[QImageReader]:
    """A ``QImageReader`` over an in-memory copy of ``data``, detached from it on the way out.

    The reader holds a raw pointer to its buffer, and Python frees the two in no set order, and
    later than it seems: a raised refusal (``PreviewTooLarge``) keeps this frame alive in its
    traceback until the garbage collector frees it, on whatever thread it runs. Dropping the
    reader's handler and device here (``setDevice(None)``), while the buffer is certainly alive,
    means no reader ever outlives the device it points at.
    """
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # EXIF orientation: phone photos stand upright
    try:
        yield reader
    finally:
        reader.setDevice(None)
        buffer.close()


def check_image_size(size: QSize) -> None:
    """Refuse before decoding what would not fit the allocation limit.

    Asking ``QImageReader`` to read it would fail too, but with a Qt warning and no clear reason;
    the header's size is known up front, so the reviewer gets the real one.
    """
    if not size.isValid():
        return
    width, height = size.width(), size.height()
    if width * height * 4 > IMAGE_ALLOCATION_LIMIT_MB * 1024 * 1024 or max(width, height) > MAX_IMAGE_SIDE:
        raise PreviewTooLarge(f"This image is too large to preview safely ({width} × {height}).")


def decode_image(data: bytes) -> tuple[QImage, str]:
    """Decode an image from memory; returns it in a format the screen draws fast, and a note."""
    QImageReader.setAllocationLimit(IMAGE_ALLOCATION_LIMIT_MB)
    with _image_reader(data) as reader:
        return _read_image(reader)


def _read_image(reader: QImageReader) -> tuple[QImage, str]:
    if not reader.canRead():
        raise errors.KnownError("This image is damaged or in a format that cannot be shown.")
    check_image_size(reader.size())
    image = reader.read()
    if image.isNull():
        raise errors.KnownError("This image is damaged and cannot be shown.")
    check_image_size(image.size())  # a header may lie about the size; the decoded image cannot
    note = "An animated image: the first frame is shown." if reader.imageCount() > 1 else ""
    # Premultiplied ARGB32/RGB32 is what the raster paint engine draws without converting, so
    # the GUI thread does not pay a conversion on every paint.
    target = QImage.Format.Format_ARGB32_Premultiplied if image.hasAlphaChannel() else QImage.Format.Format_RGB32
    if image.format() != target:
        image = image.convertToFormat(target)
    return image, note


def _reader_format(data: bytes) -> str:
    """What Qt's image plug-ins make of bytes our sniffing does not know ("" when nothing)."""
    with _image_reader(data) as reader:
        fmt = bytes(reader.format().data()).decode("ascii", "replace").lower()
    # Vector and document formats are not raster images: SVG may reference external files and
    # PDF has its own viewer.
    return "" if fmt in ("svg", "svgz", "pdf") else fmt


def check_promised_type(sniffed: Sniffed, name: str | None) -> None:
    """A ``.png`` or ``.pdf`` whose bytes are no such thing is a damaged file: say so, rather
    than "there is no preview for this type" (the type is known: it is what the name says)."""
    ext = split_extension(name or "")[1].lower()
    if ext in IMAGE_EXTENSIONS and sniffed.kind is not Kind.IMAGE and sniffed.kind is not Kind.PDF:
        label = IMAGE_EXTENSIONS[ext]
        raise DecodeError(f"This image is damaged: the file is named as a {label} image, but its contents "
                          f"are not a valid {label} image.")
    if ext == ".pdf" and sniffed.kind is not Kind.PDF and sniffed.kind is not Kind.IMAGE:
        raise DecodeError("This PDF is damaged: the file is named as a PDF, but its contents are not a "
                          "PDF document.")


def prepare_preview(data: bytes, name: str | None) -> Prepared:
    """Sniff and decode ``data`` for the matching viewer. Raises ``KnownError`` with a message
    for the preview area when it cannot be shown."""
    if not data:
        # Zero bytes sniff as (empty) text: a blank text view for "scan.pdf" would look like a
        # broken viewer, so say what is really there.
        raise errors.KnownError(EMPTY_FILE)
    sniffed = sniff(data, name)
    if sniffed.kind is Kind.OTHER and data:
        fmt = _reader_format(data)
        if fmt:
            sniffed = Sniffed(Kind.IMAGE, f"image/{fmt}")
    check_promised_type(sniffed, name)
    if sniffed.kind is Kind.IMAGE:
        image, note = decode_image(data)
        return Prepared(Kind.IMAGE, sniffed, data, image=image, image_note=note)
    if sniffed.kind is Kind.PDF and len(data) > PDF_REBUILD_MAX_BYTES and not xref_intact(data):
        raise DecodeError(PDF_TOO_BROKEN)
    if sniffed.kind.is_text:
        return Prepared(sniffed.kind, sniffed, data, text=prepare_text(data, sniffed.kind))
    return Prepared(sniffed.kind, sniffed, data)


def load_preview(repository: Repository, attachment: Attachment, *, case_id: str | None = None,
                 cancel: threading.Event | None = None, progress: Progress | None = None) -> Prepared:
    """The preview task: fetch into memory, then prepare. One task so a superseded preview stops
    between the two steps as well as during the download."""
    data = fetch_bytes(repository, attachment, case_id=case_id, cancel=cancel, progress=progress)
    if cancel is not None and cancel.is_set():
        raise errors.Cancelled("Preview cancelled.")
    return prepare_preview(data, attachment.file_name)
