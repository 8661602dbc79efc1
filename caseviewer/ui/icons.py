"""The app's icon set: line icons from ``resources/icons`` tinted to the current palette.

The SVGs are drawn in black; ``icon(name)`` recolours them to the palette's text colour (so they
stay readable in dark mode) and renders a few pixel sizes at the screen's device pixel ratio so they
are crisp on high-DPI displays. Rendered icons are cached per (name, colour).
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from caseviewer.resources import resource_path

_SIZES = (16, 20, 24, 32, 48)


def app_icon() -> QIcon:
    """The application icon from its pre-rendered PNG sizes (rendered from ``app.svg``)."""
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        icon.addFile(str(resource_path(f"icons/app-{size}.png")), QSize(size, size))
    return icon


def icon(name: str, color: str | None = None) -> QIcon:
    """A tinted line icon; ``color`` defaults to the palette's window text colour."""
    if color is None:
        app = QGuiApplication.instance()
        color = app.palette().color(QPalette.ColorRole.WindowText).name() if app else "#202124"
    return _render(name, color)


@lru_cache(maxsize=256)
def _render(name: str, color: str) -> QIcon:
    svg = resource_path(f"icons/{name}.svg").read_text(encoding="utf-8").replace("#000000", color)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    app = QGuiApplication.instance()
    ratio = app.devicePixelRatio() if app else 1.0
    result = QIcon()
    for size in _SIZES:
        pixels = max(1, round(size * ratio))
        image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        result.addPixmap(pixmap)
    return result


def clear_cache() -> None:
    """Forget rendered icons (after a palette change)."""
    _render.cache_clear()
