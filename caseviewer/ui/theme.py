"""Light and dark palettes: follow the system by default, or a manual choice the user saves.

Qt 6.5+ reports the system colour scheme through ``QStyleHints.colorScheme()``; the Fusion style
with an explicit palette gives the same look on every platform (and under Xvfb, where there is no
desktop theme to follow). ``apply_theme`` is called at start-up and whenever the choice or the
system scheme changes.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from caseviewer.ui import icons


class ThemeChoice(str, Enum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


LIGHT = {
    "window": "#f5f6f8",
    "base": "#ffffff",
    "alternate": "#f4f6f9",
    "text": "#1f2328",
    "muted": "#5f6b7a",
    "button": "#f0f2f5",
    "highlight": "#2f6fb2",
    "highlighted_text": "#ffffff",
    "link": "#1f63a8",
    "tooltip_base": "#ffffe6",
    "border": "#d0d7de",
}

DARK = {
    "window": "#1f2227",
    "base": "#16181c",
    "alternate": "#1c1f24",
    "text": "#e6e8eb",
    "muted": "#9aa4b1",
    "button": "#2a2e35",
    "highlight": "#3d7fc4",
    "highlighted_text": "#ffffff",
    "link": "#74aef0",
    "tooltip_base": "#2a2e35",
    "border": "#3a3f47",
}


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return bool(scheme) and scheme() == Qt.ColorScheme.Dark


def is_dark(choice: ThemeChoice) -> bool:
    if choice == ThemeChoice.SYSTEM:
        return system_prefers_dark()
    return choice == ThemeChoice.DARK


def colors(choice: ThemeChoice = ThemeChoice.SYSTEM) -> dict[str, str]:
    return DARK if is_dark(choice) else LIGHT


def build_palette(values: dict[str, str]) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    pairs = {
        role.Window: "window",
        role.WindowText: "text",
        role.Base: "base",
        role.AlternateBase: "alternate",
        role.Text: "text",
        role.Button: "button",
        role.ButtonText: "text",
        role.Highlight: "highlight",
        role.HighlightedText: "highlighted_text",
        role.Link: "link",
        role.ToolTipBase: "tooltip_base",
        role.ToolTipText: "text",
        role.PlaceholderText: "muted",
        role.Mid: "border",
    }
    for palette_role, key in pairs.items():
        palette.setColor(palette_role, QColor(values[key]))
    disabled = QColor(values["muted"])
    for palette_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, palette_role, disabled)
    return palette


def apply_theme(app: QApplication, choice: ThemeChoice = ThemeChoice.SYSTEM) -> None:
    """Fusion style + the light or dark palette; icons re-tinted to match."""
    app.setStyle("Fusion")
    app.setPalette(build_palette(colors(choice)))
    icons.clear_cache()
