"""Service text made safe to show, for any front end: controls made visible, names, sizes, codes.

The one text module for core and UI (the window's ``ui/formatting`` and the CLI build on it):
control and bidi characters, eliding, a person's full name, byte sizes and codes in words each
have one implementation here. Timestamps are ``core/timestamps.py``, amounts ``core/numbers.py``
and base64 ``core/decode.py`` (``decode_base64``), each the only one of its kind.

Text
from a service may carry ESC sequences (which a terminal obeys: clear the screen, retitle the
window, fake a prompt), C1 controls (U+009B is a CSI on many terminals) and bidi overrides
(``invoice\\u202egnp.exe`` reads as ``invoiceexe.png``); each is shown as a visible ``<U+XXXX>``
marker instead, so what a reviewer reads is what was sent. Lone surrogates (which no encoder can
write) become U+FFFD.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from caseviewer.core.numbers import INT64_MAX, WARNING_MARK, huge_int_text

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


def elide(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when anything was cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def flat_elided(text: str | None, limit: int) -> str:
    """``text`` on one line (runs of whitespace made one space), elided to ``limit`` characters.

    Only as much of ``text`` is read as the result needs: a one-line summary of a 1 MiB comment
    must not split the whole megabyte (the timeline summarises every comment of a case). The
    result is the same as flattening all of it, as the flattened start of a text is the start of
    its flattened whole and ``elide`` keeps only the first ``limit`` characters."""
    if not text:
        return ""
    window = max(64, limit * 4)
    while True:
        flat = " ".join(text[:window].split())
        if len(flat) > limit or window >= len(text):
            return elide(flat, limit)
        window *= 4


def full_name(person: Any) -> str:
    """"First Last" of a person (an object with ``first_name``/``last_name``, or such a mapping).

    Missing or blank parts are skipped and each part is trimmed, so ``{"first_name": " "}`` has
    no name (callers then show the id); "" for no person. A part that is not text (a number in a
    loose record) is written as text rather than dropped.
    """
    if person is None:
        return ""
    if isinstance(person, Mapping):
        parts = (person.get("first_name"), person.get("last_name"))
    else:
        parts = (getattr(person, "first_name", None), getattr(person, "last_name", None))
    words = (str(part).strip() for part in parts if part)
    return " ".join(word for word in words if word)


def human_size(size: int | None, missing: str = "—") -> str:
    """``1_258_291`` -> "1.2 MB" (binary steps, at most GB); ``missing`` for None.

    A size no file can have (negative, over 2**63) is shown as sent with a warning mark, never
    through ``float()`` (a 5,000-digit number would raise).
    """
    if size is None:
        return missing
    if not 0 <= size <= INT64_MAX:
        shown = elide(str(size), 40) if size.bit_length() <= 256 else huge_int_text(size)
        return f"{WARNING_MARK} {shown} bytes"
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover - the loop always returns


def humanise_code(code: object, missing: str = "") -> str:
    """``UNDER_MANUAL_REVIEW`` / ``new-thing`` -> "Under manual review" / "New thing".

    The one rule for a code shown as words where no table knows it (statuses, vocabularies):
    underscores and hyphens read as spaces, runs of white space fold, controls are made visible
    first (so they are shown, not folded away). ``missing`` for None or a blank code.
    """
    if code is None:
        return missing
    text = " ".join(show_controls(str(code)).replace("_", " ").replace("-", " ").split()).lower()
    return text[:1].upper() + text[1:] if text else missing


__all__ = ["CONTROL_POINTS", "elide", "flat_elided", "full_name", "human_size", "humanise_code", "show_controls",
           "terminal_json", "terminal_line"]
