"""The dossier as a PDF: ``QTextDocument`` lays out the body, ``QPdfWriter`` draws it page by page
with a footer, ``pypdf`` appends PDF attachments page for page (their vector content untouched)
and stamps the same footer on them.

Runs on a worker thread (the CLI calls it directly): the document, the writer and the images are
created in the calling thread and never touch a widget. Every page carries the footer: the case's
short id, "Contains PHI — confidential", who exported it and when, and "Page N of M" where M
counts the appended attachment pages too.

An attachment that turns out damaged while being laid out (an image Qt cannot decode, a PDF
pypdf cannot copy) is marked so in the index with its reason; the export goes on without it.
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from caseviewer.core import errors
from caseviewer.core.export.dossier_content import AttachmentEntry, AttachmentUse, Dossier
from caseviewer.ui.export.dossier_html import dossier_html
from caseviewer.ui.formatting import format_timestamp

log = logging.getLogger(__name__)

#: Device units of the body: 300 per inch gives crisp layout and images at a readable size.
RESOLUTION = 300
MARGIN_MM = 15.0
FOOTER_PT = 7.0
BODY_PT = 9.5

Progress = Callable[[int, int], None]


@dataclass
class RenderedPdf:
    data: bytes
    body_pages: int
    attachment_pages: int

    @property
    def pages(self) -> int:
        return self.body_pages + self.attachment_pages


def footer_text(dossier: Dossier, page: int, total: int) -> tuple[str, str]:
    """(left, right) footer text of page ``page`` of ``total``."""
    when = format_timestamp(dossier.exported_at.isoformat(), with_zone=True)
    left = f"{dossier.footer_id} · Contains PHI — confidential"
    right = f"Exported by {dossier.exported_by or 'unknown'} at {when} · Page {page} of {total}"
    return left, right


def _draw_footer(painter: QPainter, rect: QRectF, dossier: Dossier, page: int, total: int) -> None:
    left, right = footer_text(dossier, page, total)
    painter.save()
    font = QFont()
    font.setPointSizeF(FOOTER_PT)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    painter.drawLine(rect.topLeft(), rect.topRight())
    flags = Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine
    painter.drawText(rect, flags | Qt.AlignmentFlag.AlignLeft, left)
    painter.drawText(rect, flags | Qt.AlignmentFlag.AlignRight, right)
    painter.restore()


def _check(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise errors.Cancelled("Export cancelled.")


def _new_writer(buffer: QBuffer) -> QPdfWriter:
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter,
    ))
    writer.setCreator("caseviewer")
    writer.setTitle("Case dossier (contains PHI)")
    return writer


def _add_images(document: QTextDocument, dossier: Dossier, width: float, height: float) -> dict[int, tuple[int, int]]:
    """Decode each image attachment (allocation-limited) into a document resource."""
    from caseviewer.ui.preview.loader import decode_image

    sizes: dict[int, tuple[int, int]] = {}
    for entry in dossier.attachments:
        if entry.use is not AttachmentUse.IMAGE or entry.data is None:
            continue
        try:
            image, _note = decode_image(entry.data)
        except errors.KnownError as exc:
            entry.mark_damaged(exc.message.rstrip("."))
            continue
        # Readable: about 200 px per inch of paper, never wider than the text or taller than
        # two thirds of a page.
        scale = min(RESOLUTION / 200.0 * 1.5, width / image.width(), height * 0.66 / image.height())
        # <img width/height> are CSS pixels (1/96 inch), which Qt scales to the device's dpi.
        css = 96.0 / RESOLUTION
        drawn = (max(1, int(image.width() * scale * css)), max(1, int(image.height() * scale * css)))
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"attachment:{entry.number}"), image)
        sizes[entry.number] = drawn
        entry.data = None  # the decoded image is in the document now
    return sizes


def _prepare_pdfs(dossier: Dossier, cancel: threading.Event | None):
    """Open each PDF attachment with pypdf; a file that fails here is marked damaged."""
    from pypdf import PdfReader

    readers: list[tuple[AttachmentEntry, object, int]] = []
    for entry in dossier.attachments:
        _check(cancel)
        if entry.use is not AttachmentUse.PDF or entry.data is None:
            continue
        try:
            reader = PdfReader(io.BytesIO(entry.data))
            count = len(reader.pages)
            for page in reader.pages:
                _ = page.mediabox, page.rotation  # reads every page object now, not mid-compose
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on hostile files
            entry.mark_damaged(f"the PDF is damaged ({type(exc).__name__})")
            continue
        entry.pdf_pages = count
        readers.append((entry, reader, count))
    return readers


def _footer_overlay(dossier: Dossier, boxes: list[tuple[float, float, float, float]], first: int, total: int) -> bytes:
    """A PDF with one page per appended page, the same size, holding only the footer."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(72)  # one device unit = one PDF point
    painter: QPainter | None = None
    for index, (_x, _y, width, height) in enumerate(boxes):
        layout = QPageLayout(
            QPageSize(QSizeF(max(width, 72.0), max(height, 72.0)), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch),
            QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point,
        )
        writer.setPageLayout(layout)
        if painter is None:
            painter = QPainter(writer)
        else:
            writer.newPage()
        margin = min(36.0, width * 0.05)
        band = QRectF(margin, height - 22.0, width - 2 * margin, 14.0)
        # A white band so the footer stays readable over a scanned page.
        painter.fillRect(band.adjusted(-2, -1, 2, 2), Qt.GlobalColor.white)
        _draw_footer(painter, band, dossier, first + index, total)
    if painter is not None:
        painter.end()
    buffer.close()
    return bytes(buffer.data().data())


def render_dossier_pdf(
    dossier: Dossier,
    *,
    cancel: threading.Event | None = None,
    progress: Progress | None = None,
) -> RenderedPdf:
    """The dossier (with its loaded attachments) as PDF bytes."""
    from pypdf import PdfReader, PdfWriter, Transformation

    def report(done: int) -> None:
        if progress is not None:
            progress(done, 100)

    _check(cancel)
    readers = _prepare_pdfs(dossier, cancel)
    report(5)

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = _new_writer(buffer)
    page_rect = writer.pageLayout().paintRectPixels(RESOLUTION)
    width = float(page_rect.width())
    footer_h = FOOTER_PT / 72.0 * RESOLUTION * 2.6
    body_h = float(page_rect.height()) - footer_h

    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)
    font = QFont()
    font.setPointSizeF(BODY_PT)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setPageSize(QSizeF(width, body_h))
    sizes = _add_images(document, dossier, width, body_h)
    _check(cancel)
    document.setHtml(dossier_html(dossier, sizes, {}))
    body_pages = max(1, document.pageCount())
    report(20)

    attachment_pages = sum(count for _, _, count in readers)
    total = body_pages + attachment_pages
    painter = QPainter(writer)
    try:
        context = QAbstractTextDocumentLayout.PaintContext()
        for page in range(body_pages):
            _check(cancel)
            if page:
                writer.newPage()
            painter.save()
            # A hair short of the page: the first pixel row of the next page is not this page's.
            clip = QRectF(0, page * body_h, width, body_h - 2)
            painter.translate(0, -page * body_h)
            painter.setClipRect(clip)
            context.clip = clip
            document.documentLayout().draw(painter, context)
            painter.restore()
            _draw_footer(painter, QRectF(0, body_h + footer_h * 0.35, width, footer_h * 0.6), dossier, page + 1, total)
            report(20 + int(60 * (page + 1) / body_pages))
    finally:
        painter.end()
    buffer.close()
    body = bytes(buffer.data().data())
    del document

    if not readers:
        report(100)
        return RenderedPdf(body, body_pages, 0)

    out = PdfWriter()
    out.append(PdfReader(io.BytesIO(body)))
    out.add_metadata({"/Title": "Case dossier (contains PHI)", "/Creator": "caseviewer"})
    first = body_pages + 1
    for entry, reader, count in readers:
        _check(cancel)
        added = []
        boxes = []
        for page in reader.pages:
            copy = out.add_page(page)
            # Rotation becomes part of the content, so the footer lands at the bottom as read.
            copy.transfer_rotation_to_content()
            box = copy.mediabox
            boxes.append((float(box.left), float(box.bottom), float(box.width), float(box.height)))
            added.append(copy)
        overlay = PdfReader(io.BytesIO(_footer_overlay(dossier, boxes, first, total)))
        for copy, stamp, (x, y, _w, _h) in zip(added, overlay.pages, boxes):
            copy.merge_transformed_page(stamp, Transformation().translate(x, y))
        first += count
        entry.data = None
    report(95)
    sink = io.BytesIO()
    out.write(sink)
    report(100)
    return RenderedPdf(sink.getvalue(), body_pages, attachment_pages)


__all__ = ["RESOLUTION", "RenderedPdf", "footer_text", "render_dossier_pdf"]
