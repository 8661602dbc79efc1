"""Zoom of the whole UI text: Ctrl++ / Ctrl+- / Ctrl+0, remembered, on top of the system font size.

The application font is the system's general font scaled by the zoom percentage; every widget
that inherits its font follows at once. Widgets that want a size of their own (a heading a few
points larger, monospace text) say so *relative* to the application font with
``set_relative_font``; the zoom re-applies those after each change, so nothing keeps a fixed
size. Each time the app becomes active the system font size is read again: the app follows the
system font size and keeps the reviewer's zoom on top of it.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF
from PySide6.QtWidgets import QApplication, QWidget


#: The zoom levels Ctrl++ and Ctrl+- step through, in percent.
STEPS: tuple[int, ...] = (50, 67, 80, 90, 100, 110, 125, 150, 175, 200, 250, 300)
DEFAULT = 100
_PROPERTY = "relativeFont"  # (delta points, scale, bold or None, monospace)


def clamp(percent: int) -> int:
    """``percent`` limited to the supported range (a hand-edited setting cannot break the UI)."""
    return max(STEPS[0], min(STEPS[-1], int(percent)))


def next_step(percent: int, direction: int) -> int:
    """The next zoom level up (``direction`` > 0) or down from ``percent``."""
    if direction > 0:
        return next((s for s in STEPS if s > percent), STEPS[-1])
    return next((s for s in reversed(STEPS) if s < percent), STEPS[0])


def system_point_size() -> float:
    """The system's general font size in points (what 100 % means)."""
    size = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).pointSizeF()
    return size if size > 0 else 10.0


def text_scale(font: QFont | None = None) -> float:
    """How much taller ``font`` (default: the application font) is than the UI text at 100 %.

    A width chosen in pixels for 100 % (a column, a list, a field) times this fits the same text
    at the current zoom, so nothing is clipped at 200 %.
    """
    font = QFont(font if font is not None else QApplication.font())
    base = QFont(font)
    base.setPointSizeF(system_point_size())
    return QFontMetricsF(font).height() / max(1.0, QFontMetricsF(base).height())


def scaled(px: int, font: QFont | None = None) -> int:
    """``px`` at 100 % as pixels at the current zoom (``text_scale``)."""
    return round(px * text_scale(font))


def _factor() -> float:
    app = QApplication.instance()
    size = app.font().pointSizeF() if app is not None else -1
    return size / system_point_size() if size > 0 else 1.0


def monospace_font() -> QFont:
    """The system's fixed-width font at the current zoom (a copy; cached per zoom factor, since
    the case table asks for it on every ID cell it paints)."""
    return QFont(_monospace_at(round(_factor(), 4)))


@lru_cache(maxsize=8)
def _monospace_at(factor: float) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    return font


def _font_for(widget: QWidget, delta: float, scale: float, bold: bool | None, monospace: bool) -> QFont:
    app = QApplication.instance()
    font = monospace_font() if monospace else QFont(widget.font())
    base = font.pointSizeF() if monospace else (app.font().pointSizeF() if app is not None else font.pointSizeF())
    if base > 0:
        font.setPointSizeF(max(6.0, base * scale + delta * _factor()))
    if bold is not None:
        font.setBold(bold)
    return font


def set_relative_font(widget: QWidget, *, delta: float = 0.0, scale: float = 1.0, bold: bool | None = None,
                      monospace: bool = False) -> None:
    """Give ``widget`` a font ``delta`` points (zoomed) and ``scale`` times the application font."""
    widget.setProperty(_PROPERTY, (float(delta), float(scale), bold, bool(monospace)))
    widget.setFont(_font_for(widget, delta, scale, bold, monospace))


def refresh_relative_fonts() -> None:
    """Re-apply every ``set_relative_font`` after the application font changed."""
    app = QApplication.instance()
    if app is None:
        return
    for widget in app.allWidgets():
        spec = widget.property(_PROPERTY)
        if spec:
            widget.setFont(_font_for(widget, *spec))


class Zoom(QObject):
    """The application's zoom level; ``changed`` carries the new percentage.

    One per application (``Zoom.of``): every window's Ctrl++ moves the same level.
    """

    changed = Signal(int)
    _instance: Zoom | None = None

    @classmethod
    def of(cls, app: QApplication, settings) -> Zoom:  # noqa: ANN001 - UiSettings
        """The application's zoom, made (from the saved level) on first use."""
        if cls._instance is None or cls._instance._app is not app:
            cls._instance = cls(app, settings, app)
        return cls._instance

    def __init__(self, app: QApplication, settings, parent: QObject | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._app = app
        self._settings = settings
        self.percent = clamp(settings.zoom())
        self._base = system_point_size()
        # The platform's font size is read again whenever the app becomes active (the reviewer
        # changed it in the desktop's settings and came back). An application-wide event filter
        # waiting for ThemeChange was called for every event of every object.
        app.applicationStateChanged.connect(self._follow_system_size)
        self.apply()

    def step(self, direction: int) -> None:
        self.set_percent(next_step(self.percent, direction))

    def reset(self) -> None:
        self.set_percent(DEFAULT)

    def set_percent(self, percent: int) -> None:
        percent = clamp(percent)
        if percent == self.percent:
            return
        self.percent = percent
        self._settings.save_zoom(percent)
        self.apply()
        self.changed.emit(percent)

    def apply(self) -> None:
        font = QFont(self._app.font())
        font.setPointSizeF(self._base * self.percent / 100)
        self._app.setFont(font)
        sheet = self._app.styleSheet()
        if sheet:
            # Under an application style sheet (the high-contrast theme's field frames) Qt does
            # not hand a new application font to the widgets already shown: the table and the
            # bars kept 100 % while new pages and the chips' fonts grew. Setting the sheet again
            # polishes every widget with the new font.
            self._app.setStyleSheet(sheet)
        refresh_relative_fonts()

    def _follow_system_size(self, state: Qt.ApplicationState) -> None:
        """The platform's font size changed while the app was in the background: follow it,
        keeping the zoom."""
        if state != Qt.ApplicationState.ApplicationActive:
            return
        base = system_point_size()
        if base != self._base:
            self._base = base
            self.apply()

__all__ = ["DEFAULT", "STEPS", "Zoom", "clamp", "monospace_font", "next_step", "scaled", "set_relative_font",
           "system_point_size", "text_scale"]
