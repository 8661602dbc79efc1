"""Small pieces the viewers share: toolbar buttons, scoped shortcuts, the zoom steps."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from caseviewer.ui import accessible
from caseviewer.ui import icons
from caseviewer.ui.guard import guarded
from caseviewer.ui.local_keys import local_keys

#: Zoom factors the zoom buttons step through, like most image viewers.
ZOOM_STEPS = (0.1, 0.125, 0.167, 0.25, 0.333, 0.5, 0.667, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)

ZOOM_IN_KEYS = ("Ctrl+=", "Ctrl++")
ZOOM_OUT_KEYS = ("Ctrl+-",)
# Not Ctrl+0 / Ctrl+1: the window's zoom reset and the first section, previews included.
FIT_KEYS = ("Alt+0",)
ACTUAL_SIZE_KEYS = ("Alt+1",)


def next_zoom(current: float, direction: int) -> float:
    """The next step above (``direction`` 1) or below (-1) ``current``; stays at the ends."""
    if direction > 0:
        return next((z for z in ZOOM_STEPS if z > current * 1.001), ZOOM_STEPS[-1])
    return next((z for z in reversed(ZOOM_STEPS) if z < current * 0.999), ZOOM_STEPS[0])


def tool_button(icon_name: str, tip: str, slot: Callable[[], object], keys: Sequence[str] = (),
                *, text: str = "") -> QToolButton:
    """A flat toolbar button whose tooltip names its shortcut."""
    button = QToolButton()
    if icon_name:
        button.setIcon(icons.icon(icon_name))
    button.setAutoRaise(True)
    if text:
        button.setText(text)
        style = Qt.ToolButtonStyle.ToolButtonTextBesideIcon if icon_name else Qt.ToolButtonStyle.ToolButtonTextOnly
        button.setToolButtonStyle(style)
    shortcut = f" ({QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText)})" if keys else ""
    button.setToolTip(tip + shortcut)
    accessible.name(button, tip)  # an icon button's name is what it does, not its icon
    button.clicked.connect(slot)
    return button


def add_shortcuts(widget: QWidget, keys: Sequence[str], slot: Callable[[], object]) -> None:
    """Shortcuts that work while focus is anywhere inside ``widget`` (and nowhere else), and
    win there over the window's own shortcuts on the same keys (see ``LocalKeys``)."""
    owner = local_keys(widget)
    for key in keys:
        owner.add(key, slot)


def toolbar_row(*items: QWidget | int | None) -> QFrame:
    """A thin bar of widgets; an int is spacing, None a stretch."""
    bar = QFrame()
    bar.setObjectName("previewToolbar")
    layout = QHBoxLayout(bar)
    layout.setContentsMargins(6, 2, 6, 2)
    layout.setSpacing(2)
    for item in items:
        if item is None:
            layout.addStretch(1)
        elif isinstance(item, int):
            layout.addSpacing(item)
        else:
            layout.addWidget(item)
    return bar


def zoom_label() -> QLabel:
    label = QLabel("100%")
    label.setMinimumWidth(48)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def backdrop_color(widget: QWidget) -> QColor:
    """The colour behind a page or picture: a shade darker than the window, in light and dark themes,
    so a white scan stands out from it either way."""
    window = widget.palette().color(QPalette.ColorRole.Window)
    return window.darker(112) if window.lightness() > 128 else window.darker(140)


def set_backdrop(view: QWidget) -> None:
    """Give a scroll view (QGraphicsView, QPdfView) the backdrop colour; they paint with ``Dark``."""
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Dark, backdrop_color(view.parentWidget() or view))
    view.setPalette(palette)
    view.setBackgroundRole(QPalette.ColorRole.Dark)


class ScrollViewer(QWidget):
    """A viewer whose scroll view (``self._view``: QGraphicsView, QPdfView) shows the backdrop,
    set again when the theme changes (the image and PDF viewers)."""

    _view: QWidget

    @guarded
    def changeEvent(self, event) -> None:  # noqa: N802, ANN001 - Qt naming
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange:  # the theme changed
            set_backdrop(self._view)


def stack_toolbar_over(widget: QWidget, bar: QWidget, view: QWidget, name: str = "Preview") -> None:
    """The viewers' shared layout: a toolbar row above a view that takes the focus and the space
    (named ``name`` for a screen reader, its viewport too: both take the focus)."""
    widget.setFocusProxy(view)
    accessible.name(view, name, "Arrow keys scroll; Ctrl+= and Ctrl+- zoom")
    if isinstance(view, QAbstractScrollArea):
        accessible.name(view.viewport(), name)
    set_backdrop(view)
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(bar)
    layout.addWidget(view, 1)


def add_zoom_shortcuts(
    widget: QWidget,
    *,
    zoom_in: Callable[[], object],
    zoom_out: Callable[[], object],
    fit: Callable[[], object],
    actual_size: Callable[[], object],
) -> None:
    """Ctrl+= / Ctrl+- / Alt+0 (fit) / Alt+1 (100%), the same in every zoomable viewer."""
    add_shortcuts(widget, ZOOM_IN_KEYS, zoom_in)
    add_shortcuts(widget, ZOOM_OUT_KEYS, zoom_out)
    add_shortcuts(widget, FIT_KEYS, fit)
    add_shortcuts(widget, ACTUAL_SIZE_KEYS, actual_size)
