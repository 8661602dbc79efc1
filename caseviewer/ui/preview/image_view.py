"""The image viewer: fit to window, actual size, zoom steps, rotation, drag to pan.

It shows a ``QImage`` decoded on a worker (``loader.decode_image``) and draws it directly, so the
GUI thread never decodes or converts anything. In "fit" mode the zoom follows the window size,
shrinking large images but never blowing small ones up past 100% (they would only blur).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsView,
    QLabel,
    QWidget,
)

from caseviewer.ui.preview.common import (
    ACTUAL_SIZE_KEYS, FIT_KEYS, ZOOM_IN_KEYS, ZOOM_OUT_KEYS, ScrollViewer, add_shortcuts, add_zoom_shortcuts,
    next_zoom, stack_toolbar_over, tool_button, toolbar_row, zoom_label,
)
from caseviewer.ui.guard import guarded


class _ImageItem(QGraphicsItem):
    """Paints a QImage as is (QGraphicsPixmapItem would need a QPixmap copy made on the GUI thread)."""

    def __init__(self, image: QImage) -> None:
        super().__init__()
        self.image = image

    @guarded
    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt naming
        return QRectF(0, 0, self.image.width(), self.image.height())

    @guarded
    def paint(self, painter: QPainter, option, widget=None) -> None:  # noqa: ANN001 - Qt signature
        # Only the exposed part: at high zoom a huge image is drawn a viewport at a time.
        exposed = option.exposedRect.intersected(self.boundingRect())
        painter.drawImage(exposed, self.image, exposed)


class ImageViewer(ScrollViewer):
    """Shows one image. ``set_image(image)``; zoom state in ``zoom()`` and ``fit_mode()``."""

    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self._item: _ImageItem | None = None
        self._zoom = 1.0
        self._rotation = 0
        self._fit = True

        self._view = QGraphicsView(self._scene)
        self._view.setFrameShape(QFrame.Shape.NoFrame)
        self._view.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self._view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self._view.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._view.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self._view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._view.viewport().installEventFilter(self)

        self._zoom_label = zoom_label()
        self._note = QLabel()
        self._note.setTextFormat(Qt.TextFormat.PlainText)
        self._note.setObjectName("previewNote")
        self._note.hide()
        self._size_label = QLabel()
        self._size_label.setObjectName("previewMuted")
        bar = toolbar_row(
            tool_button("zoom-out", "Zoom out", self.zoom_out, ZOOM_OUT_KEYS),
            self._zoom_label,
            tool_button("zoom-in", "Zoom in", self.zoom_in, ZOOM_IN_KEYS),
            8,
            tool_button("zoom-fit", "Fit to window", self.fit_to_window, FIT_KEYS, text="Fit"),
            tool_button("", "Actual size", self.actual_size, ACTUAL_SIZE_KEYS, text="100%"),
            8,
            tool_button("rotate", "Rotate clockwise", self.rotate, ("Ctrl+R",)),
            None,
            self._note,
            self._size_label,
        )
        stack_toolbar_over(self, bar, self._view, "Image preview")
        add_zoom_shortcuts(
            self, zoom_in=self.zoom_in, zoom_out=self.zoom_out, fit=self.fit_to_window, actual_size=self.actual_size
        )
        add_shortcuts(self, ("Ctrl+R",), self.rotate)

    # -- content ---------------------------------------------------------------------------

    def set_image(self, image: QImage, note: str = "") -> None:
        self.clear()
        self._item = _ImageItem(image)
        self._scene.addItem(self._item)
        self._scene.setSceneRect(self._item.boundingRect())
        self._rotation = 0
        self._note.setText(note)
        self._note.setVisible(bool(note))
        self._size_label.setText(f"{image.width()} × {image.height()} px")
        self.fit_to_window()

    def clear(self) -> None:
        if self._item is not None:
            self._scene.removeItem(self._item)
            self._item = None

    def image(self) -> QImage | None:
        return self._item.image if self._item is not None else None

    # -- zoom and rotation -----------------------------------------------------------------

    def zoom(self) -> float:
        return self._zoom

    def rotation(self) -> int:
        return self._rotation

    def fit_mode(self) -> bool:
        return self._fit

    def zoom_in(self) -> None:
        self.set_zoom(next_zoom(self._zoom, 1))

    def zoom_out(self) -> None:
        self.set_zoom(next_zoom(self._zoom, -1))

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def fit_to_window(self) -> None:
        self._fit = True
        self._apply(self._fit_zoom())

    def rotate(self) -> None:
        self._rotation = (self._rotation + 90) % 360
        self._apply(self._fit_zoom() if self._fit else self._zoom)

    def set_zoom(self, factor: float) -> None:
        self._fit = False
        self._apply(factor)

    def _fit_zoom(self) -> float:
        if self._item is None:
            return 1.0
        bounds = QTransform().rotate(self._rotation).mapRect(self._item.boundingRect())
        viewport = self._view.viewport().size()
        if bounds.width() <= 0 or bounds.height() <= 0 or viewport.width() <= 1:
            return 1.0
        margin = 16  # a little air around the image, like a page on a desk
        scale = min((viewport.width() - margin) / bounds.width(), (viewport.height() - margin) / bounds.height())
        return max(0.01, min(1.0, scale))

    def _apply(self, factor: float) -> None:
        self._zoom = factor
        self._view.setTransform(QTransform().rotate(self._rotation).scale(factor, factor))
        if self._item is not None and self._fit:
            self._view.centerOn(self._item)
        self._zoom_label.setText(f"{round(factor * 100)}%")
        self.zoom_changed.emit(factor)

    @guarded
    def eventFilter(self, watched, event) -> bool:  # noqa: ANN001 - Qt signature
        if watched is self._view.viewport() and event.type() == event.Type.Resize and self._fit:
            self._apply(self._fit_zoom())
        return super().eventFilter(watched, event)
