"""Turn an untrusted attachment name from the service into a safe file name for one folder.

Attachment names come from whoever uploaded the file, so they are hostile until proven otherwise:
``../../etc/passwd``, ``C:\\Windows\\x.dll``, ``CON.txt``, names with control characters or a
right-to-left override that makes ``invoice\u202egnp.exe`` display as ``invoiceexe.png``.
``safe_file_name`` keeps the last path component only and makes it valid on Windows, macOS and
Linux alike (a file saved on one may be copied to another), so joining the result to a folder can
never leave that folder.
"""

from __future__ import annotations

import re
import unicodedata

DEFAULT_NAME = "attachment"

#: Bytes, not characters: file systems limit a name to 255 bytes. The margin leaves room for the
#: " (12)" of a duplicate and the temporary-file affixes of an atomic write.
MAX_NAME_BYTES = 200

#: An extension longer than this is not one (``report.2024-final-version-signed``): trim it too.
MAX_EXTENSION_CHARS = 16

# Windows refuses these device names with any extension (``CON.txt``, ``com1.tar.gz``), in any case.
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{prefix}{digit}" for prefix in ("COM", "LPT") for digit in "123456789¹²³"
}

# Characters Windows forbids in names; "/" and "\\" are separators and are handled before this.
_FORBIDDEN = re.compile(r'[<>:"|?*]')

# Invisible formatting that changes how a name reads: bidi embeddings/overrides/isolates and
# marks. Zero-width joiners stay (emoji sequences need them).
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _drop_invisible(text: str) -> str:
    text = _BIDI.sub("", text)
    # Cc = control characters (NUL, BEL, newline, DEL, C1); they end names early or break shells.
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def split_extension(name: str) -> tuple[str, str]:
    """``("report", ".pdf")``; a leading dot is not an extension and neither is a long tail."""
    dot = name.rfind(".")
    if dot <= 0 or len(name) - dot > MAX_EXTENSION_CHARS + 1 or dot == len(name) - 1:
        return name, ""
    return name[:dot], name[dot:]


def _trim_to_bytes(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    # Cut on a character boundary: "ignore" drops a partial multi-byte sequence at the end.
    return encoded[:limit].decode("utf-8", "ignore")


def fit_length(name: str, max_bytes: int = MAX_NAME_BYTES) -> str:
    """Shorten ``name`` to ``max_bytes`` of UTF-8, keeping its extension."""
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    stem, ext = split_extension(name)
    stem = _trim_to_bytes(stem, max(1, max_bytes - len(ext.encode("utf-8")))).rstrip(" .")
    return (stem or DEFAULT_NAME) + ext


def safe_file_name(name: str | None, *, max_bytes: int = MAX_NAME_BYTES, default: str = DEFAULT_NAME) -> str:
    """A file name that is safe to create inside a chosen folder on any desktop OS.

    Directories and drive letters are dropped (both ``/`` and ``\\`` separate, whatever the
    platform), control and bidi characters removed, Windows-forbidden characters replaced by
    ``_``, reserved device names prefixed with ``_``, leading and trailing dots and spaces
    stripped (no hidden files, no names Windows silently changes), and the result shortened to
    ``max_bytes`` keeping the extension. Nothing usable left gives ``default``.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = _drop_invisible(text)
    # The last component with a name in it: "dir/" gives "dir", "../.." gives nothing.
    parts = [part for part in text.replace("\\", "/").split("/") if part.strip(" .")]
    text = parts[-1] if parts else ""
    # "C:x.txt" is drive-relative on Windows: the drive goes with the rest of the path.
    text = re.sub(r"^[A-Za-z]:", "", text)
    text = _FORBIDDEN.sub("_", text)
    text = text.strip(" .")
    if not text:
        return default
    stem = text.split(".", 1)[0].rstrip(" ")
    if stem.upper() in _RESERVED:
        text = "_" + text
    return fit_length(text, max_bytes)


def numbered(name: str, number: int) -> str:
    """``"scan (2).png"`` for ``("scan.png", 2)``: how a duplicate is named in one folder."""
    stem, ext = split_extension(name)
    return f"{stem} ({number}){ext}"
