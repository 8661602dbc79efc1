"""Print (Ctrl+P): the same document as the PDF export, through the system print dialog with a
preview (``QPrintPreviewDialog``).

The dossier is built and rendered to PDF on a worker; the preview then draws the finished pages
(``QPdfDocument``, rasterised at up to ``PRINT_DPI``) onto the printer, so what is printed is
exactly what would be exported, footers included. Qt's preview paints on the GUI thread by
design; only the drawing of finished pages happens there.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrinter
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

PRINT_DPI = 200


class PrintablePdf:
    """Finished PDF bytes, ready to be painted onto a printer page by page."""

    def __init__(self, data: bytes) -> None:
        self.document = QPdfDocument()
        # The buffer holds its own copy and is the document's child: it is freed with the
        # document, never before it (Python would free the attributes in any order).
        self._buffer = QBuffer(self.document)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def paint(self, printer: QPrinter) -> None:
        """Draw every page onto ``printer`` (the slot of ``paintRequested``); never raises."""
        painter = QPainter()
        try:
            if not painter.begin(printer):
                return
            dpi = min(PRINT_DPI, max(72, printer.resolution()))
            for page in range(self.page_count):
                if page:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                size = QSize(max(1, int(points.width() / 72 * dpi)), max(1, int(points.height() / 72 * dpi)))
                image = self.document.render(page, size)
                # Painter coordinates start at the printable area's corner, in printer pixels.
                area = QSizeF(printer.pageLayout().paintRectPixels(printer.resolution()).size())
                fit = QSizeF(image.size()).scaled(area, Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRectF(0, 0, fit.width(), fit.height()), image)
        except Exception:  # noqa: BLE001 - a slot called by Qt must not raise (PySide6 aborts)
            log.exception("printing the dossier failed")
        finally:
            if painter.isActive():
                painter.end()

    def close(self) -> None:
        self.document.close()
        self._buffer.close()


def open_preview(parent: QWidget | None, printable: PrintablePdf) -> QPrintPreviewDialog:
    """The print dialog with a preview, opened window-modal; returned for tests."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName("Case dossier")
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setObjectName("dossierPrintPreview")
    dialog.setWindowTitle("Print case dossier")
    # The dialog does not own the printer: without these references Python would free it (and
    # the document) while the preview still paints on it.
    dialog.printer_ref = printer
    dialog.printable_ref = printable
    dialog.paintRequested.connect(printable.paint)
    dialog.finished.connect(lambda _code: printable.close())
    dialog.open()
    return dialog


__all__ = ["PRINT_DPI", "PrintablePdf", "open_preview"]
