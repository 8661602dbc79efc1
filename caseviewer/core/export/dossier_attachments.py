"""The dossier's attachments: their bytes fetched through the repository, and what each becomes.

``load_attachments`` fetches every attachment (base64, cache or signed URL) and ``classify``
decides what the dossier does with it: embed an image, inline a text file, append a PDF page for
page, or list it with the reason it cannot be included. A damaged or unavailable attachment is
an entry with a reason, never an error of the export.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

from caseviewer.core import errors
from caseviewer.core.decode import Kind, decode_base64_into, prepare_text, sniff
from caseviewer.core.export.dossier_model import AttachmentEntry, AttachmentUse, Dossier

#: The largest attachment the dossier includes; bigger ones are listed with the reason.
MAX_ATTACHMENT_BYTES = 512 * 1024 * 1024
#: Inlined text is cut here (the file itself is the full copy).
TEXT_INLINE_LIMIT = 200_000


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF, read with pypdf; ``DecodeError`` when it is damaged or encrypted."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise errors.KnownError("the PDF is password-protected")
        count = len(reader.pages)
    except errors.KnownError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        raise errors.KnownError(f"the PDF is damaged ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on hostile files
        raise errors.KnownError(f"the PDF is damaged ({type(exc).__name__})") from None
    if count <= 0:
        raise errors.KnownError("the PDF has no pages")
    return count


def classify(entry: AttachmentEntry, data: bytes) -> None:
    """Decide how ``data`` goes into the dossier; sets ``entry.use`` and its reason."""
    entry.size = len(data)
    if not data:
        entry.use, entry.reason = AttachmentUse.UNSUPPORTED, "the file is empty (0 bytes)"
        return
    sniffed = sniff(data, entry.attachment.file_name)
    entry.kind_label = sniffed.label
    if len(data) > MAX_ATTACHMENT_BYTES:
        entry.use, entry.reason = AttachmentUse.UNSUPPORTED, "too large to include"
    elif sniffed.kind is Kind.IMAGE:
        entry.use, entry.data = AttachmentUse.IMAGE, data  # decoded (and checked) by the renderer
    elif sniffed.kind is Kind.PDF:
        try:
            entry.pdf_pages = pdf_page_count(data)
        except errors.KnownError as exc:
            entry.mark_damaged(exc.message)
            return
        entry.use, entry.data = AttachmentUse.PDF, data
    elif sniffed.kind.is_text:
        preview = prepare_text(data, sniffed.kind, limit=TEXT_INLINE_LIMIT)
        entry.use, entry.text, entry.reason = AttachmentUse.TEXT, preview.text, preview.note
    else:
        entry.use, entry.reason = AttachmentUse.UNSUPPORTED, "this type of file cannot be shown in a PDF"


class _Sink:
    """A file-like ``write`` for ``download_attachment``."""

    def __init__(self, write: Callable[[bytes], object]) -> None:
        self._write = write

    def write(self, chunk: bytes) -> int:
        self._write(chunk)
        return len(chunk)


def fetch_attachment(
    entry: AttachmentEntry,
    download: Callable[..., int],
    write: Callable[[bytes], object],
    *,
    case_id: str | None = None,
    cancel: threading.Event | None = None,
) -> tuple[AttachmentUse, str] | None:
    """Stream one attachment's bytes to ``write``; None when all arrived, else (use, reason).

    Inline base64 is decoded strictly, piece by piece (a damaged body is "damaged", never an
    empty file); a link is fetched through ``download`` (``CaseRepository.download_attachment``:
    cache first, then the signed URL).
    """
    attachment = entry.attachment
    if attachment.is_deleted:
        return AttachmentUse.UNAVAILABLE, "deleted on the service"
    if attachment.content is not None:
        try:
            decode_base64_into(attachment.content, write)
        except errors.KnownError as exc:
            return AttachmentUse.DAMAGED, exc.message.rstrip(".")
        return None
    try:
        download(attachment, _Sink(write), cancel=cancel, case_id=case_id)
    except errors.Cancelled:
        raise
    except errors.KnownError as exc:
        return AttachmentUse.UNAVAILABLE, exc.message.rstrip(".")
    return None


def load_attachments(
    dossier: Dossier,
    download: Callable[..., int],
    *,
    case_id: str | None = None,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Fetch and classify every attachment of ``dossier`` in this process. Failures become
    entries with a reason, never errors of the export."""
    total = len(dossier.attachments)
    for done, entry in enumerate(dossier.attachments, 1):
        if cancel is not None and cancel.is_set():
            raise errors.Cancelled("Export cancelled.")
        buffer = bytearray()
        failure = fetch_attachment(entry, download, buffer.extend, case_id=case_id, cancel=cancel)
        if failure is not None:
            entry.use, entry.reason = failure
        else:
            classify(entry, bytes(buffer))
        if progress is not None:
            progress(done, total)


__all__ = ["MAX_ATTACHMENT_BYTES", "TEXT_INLINE_LIMIT", "classify", "fetch_attachment", "load_attachments", "pdf_page_count"]
