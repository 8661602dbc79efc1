"""Service text made safe to show: control and bidi characters made visible, for any front end.

One implementation for the window (``ui/formatting.clean``) and the terminal (the CLI). Text
from a service may carry ESC sequences (which a terminal obeys: clear the screen, retitle the
window, fake a prompt), C1 controls (U+009B is a CSI on many terminals) and bidi overrides
(``invoice\\u202egnp.exe`` reads as ``invoiceexe.png``); each is shown as a visible ``<U+XXXX>``
marker instead, so what a reviewer reads is what was sent. Lone surrogates (which no encoder can
write) become U+FFFD.
"""

from __future__ import annotations

import json
from typing import Any

#: C0 controls except tab/newline/carriage return, DEL and the C1 range, the Arabic letter mark,
#: LRM/RLM, the bidi embeddings/overrides and the bidi isolates.
CONTROL_POINTS: tuple[int, ...] = tuple(
    [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]
    + list(range(0x7F, 0xA0))
    + [0x061C, 0x200E, 0x200F]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)

_VISIBLE = {c: f"<U+{c:04X}>" for c in CONTROL_POINTS}
# On one terminal line a tab, newline or carriage return would break the layout (a CR even
# overwrites what came before it).
_VISIBLE_ONE_LINE = {**_VISIBLE, 0x09: "<U+0009>", 0x0A: "<U+000A>", 0x0D: "<U+000D>"}
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in CONTROL_POINTS if c >= 0x7F}
_SURROGATES = {c: "\ufffd" for c in range(0xD800, 0xE000)}


def show_controls(text: str | None) -> str:
    """``text`` with control and bidi characters as visible ``<U+XXXX>`` (tab/newline kept)."""
    if not text:
        return ""
    return text.translate(_VISIBLE)


def terminal_line(value: Any) -> str:
    """Any service value as one safe line for a terminal: controls, newlines and lone
    surrogates made visible or replaced."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return text.translate(_VISIBLE_ONE_LINE).translate(_SURROGATES)


def terminal_json(value: Any, *, indent: int | None = 2) -> str:
    """JSON for a terminal: readable non-ASCII text, but C1 controls and bidi characters written
    as ``\\uXXXX`` escapes (still the same JSON; ``json`` already escapes C0 controls)."""
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return text.translate(_JSON_ESCAPES).translate(_SURROGATES)



__all__ = ["CONTROL_POINTS", "show_controls", "terminal_json", "terminal_line"]
