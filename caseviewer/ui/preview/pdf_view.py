"""The PDF viewer: ``QPdfDocument`` loaded from memory (a ``QBuffer``, never a file) in a ``QPdfView``
with page navigation ("Page 2 of 3") and zoom.

``QPdfDocument`` reads its device lazily while pages are rendered, so the buffer lives as long as
the document shows it and is closed with it.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMargins, QPointF, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QFrame, QLabel, QWidget

from caseviewer.core import errors
from caseviewer.ui.preview.common import (
    ACTUAL_SIZE_KEYS, FIT_KEYS, ZOOM_IN_KEYS, ZOOM_OUT_KEYS, ScrollViewer, add_zoom_shortcuts, next_zoom,
    stack_toolbar_over, tool_button, toolbar_row, zoom_label,
)
from caseviewer.ui.guard import guarded

DAMAGED = "This PDF is damaged and cannot be shown."
PROTECTED = "This PDF is password-protected, so it cannot be previewed. Save it to open it in a PDF reader."

PREV_PAGE_KEYS = ("PgUp", "Ctrl+PgUp")
NEXT_PAGE_KEYS = ("PgDown", "Ctrl+PgDown")


class PdfViewer(ScrollViewer):
    """Shows one PDF. ``load(data)`` raises ``KnownError`` with a message when it cannot."""

    page_changed = Signal(int)  # 0-based

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = QPdfDocument(self)
        self._buffer: QBuffer | None = None

        self._view = QPdfView(self)
        self._view.setFrameShape(QFrame.Shape.NoFrame)
        self._view.setDocument(self._document)
        self._view.setPageMode(QPdfView.PageMode.MultiPage)
        self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._view.setPageSpacing(12)
        self._view.setDocumentMargins(QMargins(12, 12, 12, 12))
        self._view.pageNavigator().currentPageChanged.connect(self._on_page)
        self._view.viewport().installEventFilter(self)

        self._page_label = QLabel()
        self._page_label.setMinimumWidth(90)
        self._zoom_label = zoom_label()
        self._prev = tool_button("chevron-left", "Previous page", self.previous_page, PREV_PAGE_KEYS)
        self._next = tool_button("chevron-right", "Next page", self.next_page, NEXT_PAGE_KEYS)
        bar = toolbar_row(
            self._prev,
            self._page_label,
            self._next,
            12,
            tool_button("zoom-out", "Zoom out", self.zoom_out, ZOOM_OUT_KEYS),
            self._zoom_label,
            tool_button("zoom-in", "Zoom in", self.zoom_in, ZOOM_IN_KEYS),
            8,
            tool_button("zoom-fit", "Fit to width", self.fit_to_width, FIT_KEYS, text="Fit"),
            tool_button("", "Actual size", self.actual_size, ACTUAL_SIZE_KEYS, text="100%"),
            None,
        )
        stack_toolbar_over(self, bar, self._view, "PDF preview")
        add_zoom_shortcuts(
            self, zoom_in=self.zoom_in, zoom_out=self.zoom_out, fit=self.fit_to_width, actual_size=self.actual_size
        )
        self._view.zoomFactorChanged.connect(self._show_zoom)
        self._view.zoomModeChanged.connect(lambda _mode: self._show_zoom(self._view.zoomFactor()))

    # -- content ---------------------------------------------------------------------------

    def load(self, data: bytes) -> None:
        self.clear()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._buffer = buffer
        self._document.load(buffer)
        if self._document.status() != QPdfDocument.Status.Ready or self._document.pageCount() < 1:
            protected = self._document.error() == QPdfDocument.Error.IncorrectPassword
            self.clear()
            raise errors.KnownError(PROTECTED if protected else DAMAGED)
        self.fit_to_width()
        self._view.pageNavigator().jump(0, QPointF(), 0)
        self._on_page(0)

    def clear(self) -> None:
        self._document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None
        self._page_label.clear()

    def document(self) -> QPdfDocument:
        return self._document

    # -- pages -----------------------------------------------------------------------------

    def page_count(self) -> int:
        return self._document.pageCount()

    def current_page(self) -> int:
        """0-based."""
        return self._view.pageNavigator().currentPage()

    def page_text(self) -> str:
        return self._page_label.text()

    def go_to_page(self, index: int) -> None:
        """Show page ``index`` (0-based, clamped)."""
        if self.page_count() < 1:
            return
        index = max(0, min(index, self.page_count() - 1))
        self._view.pageNavigator().jump(index, QPointF(), self._view.pageNavigator().currentZoom())

    def next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def _on_page(self, index: int) -> None:
        count = self.page_count()
        self._page_label.setText(f"Page {index + 1} of {count}" if count else "")
        self._prev.setEnabled(index > 0)
        self._next.setEnabled(index < count - 1)
        self.page_changed.emit(index)

    # -- zoom ------------------------------------------------------------------------------

    def zoom(self) -> float:
        """The zoom as shown, also in fit-to-width mode (where QPdfView keeps its factor at 1)."""
        if self._view.zoomMode() != QPdfView.ZoomMode.FitToWidth or self.page_count() < 1:
            return self._view.zoomFactor()
        # QPdfView's own fit: the widest page across the viewport less the margins, at screen DPI.
        widest = max(self._document.pagePointSize(i).width() for i in range(self.page_count()))
        margins = self._view.documentMargins()
        available = self._view.viewport().width() - margins.left() - margins.right()
        pixels = widest * self._view.logicalDpiX() / 72.0
        return available / pixels if pixels > 0 else 1.0

    def zoom_in(self) -> None:
        self._set_zoom(next_zoom(self.zoom(), 1))

    def zoom_out(self) -> None:
        self._set_zoom(next_zoom(self.zoom(), -1))

    def actual_size(self) -> None:
        self._set_zoom(1.0)

    def fit_to_width(self) -> None:
        self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._show_zoom(self._view.zoomFactor())

    def _set_zoom(self, factor: float) -> None:
        self._view.setZoomMode(QPdfView.ZoomMode.Custom)
        self._view.setZoomFactor(factor)

    def _show_zoom(self, _factor: float = 0.0) -> None:
        self._zoom_label.setText(f"{round(self.zoom() * 100)}%")

    @guarded
    def eventFilter(self, watched, event) -> bool:  # noqa: ANN001 - Qt signature
        if watched is self._view.viewport() and event.type() == event.Type.Resize:
            self._show_zoom()  # in fit-to-width the zoom follows the width
        return super().eventFilter(watched, event)
