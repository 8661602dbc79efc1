"""Light, dark and high-contrast themes: the palette and the status tones' colours, in one place.

Follow the system by default (its dark scheme, and its high-contrast preference where the platform
reports one), or a manual choice the user saves. Qt 6.5+ reports the colour scheme through
``QStyleHints.colorScheme()`` and Qt 6.10+ the contrast preference through
``QStyleHints.accessibility()``; the Fusion style with an explicit palette gives the same look on
every platform (and under Xvfb, where there is no desktop theme to follow). ``apply_theme`` is
called at start-up and whenever the choice or the system scheme changes.

Every colour a widget draws text or a status in comes from here (``current()``), never from a
fixed ``QColor`` in the widget, so a theme change reaches it. ``contrast_pairs`` lists every
foreground/background pair a theme must keep readable; a test computes their WCAG contrast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from caseviewer.core.status import StatusTone
from caseviewer.ui import icons


class ThemeChoice(str, Enum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"
    HIGH_CONTRAST = "high-contrast"


@dataclass(frozen=True)
class Theme:
    """One theme: palette colours by name, and (background, foreground) per status tone."""

    name: ThemeChoice
    colors: dict[str, str]
    tones: dict[StatusTone, tuple[str, str]]
    #: Chips get an outline in their text colour (high contrast: a chip is a shape, not a tint).
    outlined_chips: bool = False
    #: Flag colours by ``Flag`` value, for the table's flag column and its icons.
    flags: dict[str, str] = field(default_factory=dict)


# One row per colour, one column per theme, so the three can be compared side by side.
# Light: soft tints with dark text, readable all day, still distinct at a glance. Dark: deep tints
# with light text, the same six tones, never glaring on a dark window. High contrast: black and
# white with one bright accent, every text pair well above 7:1, outlines on chips.
_COLUMNS = (ThemeChoice.LIGHT, ThemeChoice.DARK, ThemeChoice.HIGH_CONTRAST)

#: Palette colours: name -> (light, dark, high contrast).
_COLORS: dict[str, tuple[str, str, str]] = {
    "window": ("#f5f6f8", "#1f2227", "#000000"),
    "base": ("#ffffff", "#16181c", "#000000"),
    "alternate": ("#f4f6f9", "#1c1f24", "#141414"),
    "text": ("#1f2328", "#e6e8eb", "#ffffff"),
    "muted": ("#5f6b7a", "#9aa4b1", "#e0e0e0"),
    "button": ("#f0f2f5", "#2a2e35", "#262626"),
    "highlight": ("#2f6fb2", "#2f6fb2", "#ffff00"),
    "highlighted_text": ("#ffffff", "#ffffff", "#000000"),
    "link": ("#1f63a8", "#74aef0", "#66ccff"),
    "tooltip_base": ("#ffffe6", "#2a2e35", "#000000"),
    "border": ("#d0d7de", "#3a3f47", "#ffffff"),
    "error": ("#b3261e", "#ff8a80", "#ff9e9e"),
    "ok": ("#1e6b2a", "#81c995", "#7dff9b"),
    "warning": ("#8a5300", "#ffb74d", "#ffe066"),
    "notice": ("#2f6fb2", "#3d7fc4", "#66ccff"),
    "note": ("#f5b400", "#f5b400", "#ffe066"),
}

#: Status tone chips: tone -> (background, foreground) in (light, dark, high contrast).
_TONES: dict[StatusTone, tuple[tuple[str, str], tuple[str, str], tuple[str, str]]] = {
    StatusTone.APPROVED: (("#dcf2e3", "#17612f"), ("#1b3a27", "#a6e3b8"), ("#002b12", "#7dff9b")),
    StatusTone.REJECTED: (("#fadedd", "#9e1c1c"), ("#4a1f1f", "#ffb4ab"), ("#3b0000", "#ffb0b0")),
    StatusTone.REVIEW: (("#fdefd3", "#7f4d00"), ("#45330f", "#ffd98a"), ("#332400", "#ffe066")),
    StatusTone.ACTIVE: (("#dde9fb", "#1d4a8f"), ("#1d3350", "#a9c8f5"), ("#001f40", "#a6d4ff")),
    StatusTone.INACTIVE: (("#e9ecf0", "#4b5563"), ("#2f343b", "#c9d1d9"), ("#1a1a1a", "#ffffff")),
    StatusTone.RISK: (("#ede1fa", "#5f2a96"), ("#37264f", "#d7b8ff"), ("#2a0045", "#e6b3ff")),
}

#: Flag colours: ``Flag`` value -> (light, dark, high contrast).
_FLAGS: dict[str, tuple[str, str, str]] = {
    "red": ("#c5221f", "#ff7b72", "#ff8080"),
    "orange": ("#b45309", "#ffa657", "#ffb366"),
    "green": ("#188038", "#7ee787", "#7dff9b"),
    "blue": ("#1a64d0", "#79c0ff", "#80bfff"),
    "purple": ("#8e24aa", "#d2a8ff", "#e6b3ff"),
}


def _column(choice: ThemeChoice) -> Theme:
    index = _COLUMNS.index(choice)
    return Theme(
        choice,
        {name: row[index] for name, row in _COLORS.items()},
        {tone: row[index] for tone, row in _TONES.items()},
        outlined_chips=choice is ThemeChoice.HIGH_CONTRAST,  # a chip is a shape, not a tint
        flags={name: row[index] for name, row in _FLAGS.items()},
    )


LIGHT, DARK, HIGH_CONTRAST = (_column(choice) for choice in _COLUMNS)

THEMES: dict[ThemeChoice, Theme] = {t.name: t for t in (LIGHT, DARK, HIGH_CONTRAST)}

#: The banners keep one look in every theme (they must stand out from it): (text, background).
BANNERS: dict[str, tuple[str, str]] = {
    "offline": ("#5a4300", "#fff4d6"),
    "privacy": ("#ffffff", "#5b3f9e"),
}

_current: Theme = LIGHT


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return bool(scheme) and scheme() == Qt.ColorScheme.Dark


def system_prefers_high_contrast() -> bool:
    """The platform's high-contrast preference (Qt 6.10+; False where Qt cannot tell)."""
    hints = QGuiApplication.styleHints()
    accessibility = getattr(hints, "accessibility", None)
    preference = getattr(Qt, "ContrastPreference", None)
    if accessibility is None or preference is None:
        return False
    return accessibility().contrastPreference() == preference.HighContrast


def resolve(choice: ThemeChoice) -> Theme:
    """The theme a choice means now ("system" asks the platform)."""
    if choice == ThemeChoice.SYSTEM:
        if system_prefers_high_contrast():
            return HIGH_CONTRAST
        return DARK if system_prefers_dark() else LIGHT
    return THEMES[choice]


def is_dark(choice: ThemeChoice) -> bool:
    return resolve(choice) is not LIGHT


def colors(choice: ThemeChoice = ThemeChoice.SYSTEM) -> dict[str, str]:
    return resolve(choice).colors


def current() -> Theme:
    """The theme last applied (light until ``apply_theme`` runs)."""
    return _current


def color(name: str) -> QColor:
    """A named colour of the current theme ("error", "muted", "notice" …)."""
    return QColor(_current.colors[name])


def css(name: str) -> str:
    """A named colour of the current theme as a style-sheet value (``#rrggbb``)."""
    return _current.colors[name]


def tone_colors(tone: StatusTone) -> tuple[QColor, QColor]:
    """(background, foreground) of a status tone in the current theme."""
    background, foreground = _current.tones[tone]
    return QColor(background), QColor(foreground)


def contrast_pairs(theme: Theme) -> list[tuple[str, str, str, float]]:
    """(what, foreground, background, minimum ratio) for every pair the theme must keep readable.

    Text needs 4.5:1 (WCAG 1.4.3 AA); the selection and focus highlight against the surfaces it
    sits on needs 3:1 (1.4.11, user-interface parts).
    """
    c = theme.colors
    pairs: list[tuple[str, str, str, float]] = []
    for surface in ("window", "base", "alternate", "button"):
        pairs.append((f"text on {surface}", c["text"], c[surface], 4.5))
    for surface in ("window", "base", "alternate"):
        pairs.append((f"muted text on {surface}", c["muted"], c[surface], 4.5))
        pairs.append((f"link on {surface}", c["link"], c[surface], 4.5))
        for name in ("error", "ok", "warning"):
            pairs.append((f"{name} text on {surface}", c[name], c[surface], 4.5))
    pairs.append(("selected text", c["highlighted_text"], c["highlight"], 4.5))
    pairs.append(("tooltip text", c["text"], c["tooltip_base"], 4.5))
    for surface in ("window", "base"):
        pairs.append((f"selection/focus on {surface}", c["highlight"], c[surface], 3.0))
    for tone, (background, foreground) in theme.tones.items():
        pairs.append((f"{tone.label} chip", foreground, background, 4.5))
    for flag, value in theme.flags.items():
        for surface in ("base", "alternate"):
            pairs.append((f"{flag} flag on {surface}", value, c[surface], 4.5))
    for banner, (foreground, background) in BANNERS.items():
        pairs.append((f"{banner} banner text", foreground, background, 4.5))
    return pairs


def relative_luminance(hex_color: str) -> float:
    """WCAG 2.1 relative luminance of ``#rrggbb``."""
    value = hex_color.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [ch / 12.92 if ch <= 0.04045 else ((ch + 0.055) / 1.055) ** 2.4 for ch in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1.0 … 21.0)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


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
    """Fusion style + the theme's palette; icons re-tinted to match.

    Widgets that draw a theme colour of their own (status chips, badges) repaint on the palette
    change that ``setPalette`` sends them and read ``current()`` again.
    """
    global _current
    _current = resolve(choice)
    app.setStyle("Fusion")
    app.setPalette(build_palette(_current.colors))
    app.setStyleSheet(field_frames(_current))
    icons.clear_cache()


def field_frames(theme: Theme) -> str:
    """The style sheet that gives text fields a visible boundary where the style draws none.

    Fusion draws a field's frame a shade darker than the window: on high contrast's black window
    that is black on black, and WCAG 1.4.11 wants a field's boundary at 3:1 against what is
    around it. So in high contrast every text field, spin box and date field gets a frame in the
    text colour, and the focused one a thicker frame in the selection colour. The other themes
    keep Fusion's own frames (an application style sheet costs every widget a little), so they
    get no sheet at all.
    """
    if not theme.outlined_chips:  # high contrast: outlines, not tints
        return ""
    edge, focus = theme.colors["text"], theme.colors["highlight"]
    fields = "QLineEdit, QAbstractSpinBox, QComboBox, QPlainTextEdit, QTextEdit"
    focused = ", ".join(f"{name}:focus" for name in fields.split(", "))
    return (f"{fields} {{ border: 1px solid {edge}; border-radius: 2px; padding: 2px; }}\n"
            f"{focused} {{ border: 2px solid {focus}; padding: 1px; }}\n"
            # A field inside a spin box or combo box has the frame of its parent already.
            "QAbstractSpinBox QLineEdit, QComboBox QLineEdit { border: none; padding: 0; }\n"
            # Check boxes and radio buttons: Fusion draws their boxes black on black here too;
            # ticked reads as filled (a shape), not only as a colour.
            f"QCheckBox::indicator, QRadioButton::indicator {{ width: 12px; height: 12px; border: 1px solid {edge}; }}\n"
            "QRadioButton::indicator { border-radius: 7px; }\n"
            f"QCheckBox::indicator:checked, QRadioButton::indicator:checked {{ background: {edge}; }}\n"
            f"QCheckBox::indicator:focus, QRadioButton::indicator:focus {{ border: 2px solid {focus}; }}\n")
