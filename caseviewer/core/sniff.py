"""Which name an "Open with" copy gets: an extension from the content, never the service's.

The service's file name is untrusted: ``scan.pdf.desktop`` would be run as a launcher by a Linux
desktop, ``run.command`` by macOS Finder, ``invoice.exe`` by Windows, and ``lab.html`` holding PDF
bytes opens in a browser. So the copy handed to the system opener is named after its content,
as ``core.decode.sniff`` (the preview's magic-byte sniffing) recognises it:

* images (PNG, JPEG, GIF, WebP, BMP, TIFF, ICO) and PDFs get their type's extension, whatever the
  service called them (``lab.html`` with PDF bytes becomes ``lab.pdf``);
* text of any kind becomes ``.txt``: an HTML page opens in a text editor, not a browser, and a CSV
  in an editor rather than a spreadsheet that evaluates formulas;
* executables (ELF, PE, Mach-O), scripts (``#!``), desktop launchers (``[Desktop Entry]``), and
  text whose name claims a launcher or script type (``run.command``, ``setup.bat``) are refused
  with ``UnsafeFileType``, and so is anything not recognised: what cannot be told apart is not
  handed to another program (the reviewer can still save it).
"""

from __future__ import annotations

import re

from caseviewer.core import errors
from caseviewer.core.decode import Kind, sniff
from caseviewer.core.filenames import safe_file_name


class UnsafeFileType(errors.KnownError):
    """The file is, or claims to be, something that runs: it is not handed to the system opener."""


#: Magic bytes of programs: ELF, Windows PE/DOS, Mach-O (32/64 bit, both byte orders), fat binaries.
_PROGRAM_MAGIC = (
    b"\x7fELF", b"MZ", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!",
)
_LAUNCHER = re.compile(rb"^\s*\[Desktop Entry\]", re.MULTILINE)
_IMAGE_EXTENSIONS = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
    "image/bmp": ".bmp", "image/tiff": ".tif", "image/x-icon": ".ico",
}

#: Extensions that make a desktop run (or offer to run) a text file: refused even when the
#: content is plain text, because for these types the text *is* the program.
RUNNABLE_EXTENSIONS = frozenset(
    ".desktop .command .tool .sh .bash .zsh .csh .ksh .fish .py .pyw .pl .rb .php .jar .app .appimage "
    ".run .bin .exe .com .scr .msi .msp .bat .cmd .ps1 .psm1 .vbs .vbe .js .jse .wsf .wsh .hta .cpl "
    ".lnk .url .inf .reg .scf .applescript .scpt .workflow .terminal .webloc .inetloc .pif .gadget "
    ".xbap .application .appref-ms .library-ms .settingcontent-ms".split()
)
_KNOWN_EXTENSIONS = RUNNABLE_EXTENSIONS | frozenset(
    ".pdf .png .jpg .jpeg .jpe .gif .webp .bmp .tif .tiff .txt .text .log .csv .html .htm .xhtml .svg "
    ".xml .json .md .rtf".split()
)


def is_program(data: bytes) -> bool:
    """Bytes a system would run: a binary executable, a ``#!`` script, a desktop launcher."""
    head = bytes(data[:4096])
    return head.startswith(_PROGRAM_MAGIC) or bool(_LAUNCHER.search(head))


def content_extension(data: bytes) -> str:
    """The extension for ``data``'s content ("" when it is not a recognised safe type)."""
    sniffed = sniff(data)
    if sniffed.kind is Kind.IMAGE:
        return _IMAGE_EXTENSIONS.get(sniffed.mime, "")
    if sniffed.kind is Kind.PDF:
        return ".pdf"
    return ".txt" if sniffed.kind.is_text else ""


def _bare_stem(name: str) -> str:
    """``name`` without its trailing known extensions (``scan.pdf.desktop`` -> ``scan``)."""
    stem = name
    while True:
        dot = stem.rfind(".")
        if dot <= 0 or stem[dot:].lower() not in _KNOWN_EXTENSIONS:
            return stem
        stem = stem[:dot]


def claimed_extension(name: str | None) -> str:
    cleaned = safe_file_name(name)
    dot = cleaned.rfind(".")
    return cleaned[dot:].lower() if dot > 0 else ""


def open_copy_name(name: str | None, data: bytes) -> str:
    """The name a private copy of ``data`` gets for the system opener, or ``UnsafeFileType``.

    The extension comes from the content; the service's extension is dropped. Refused: anything
    that runs, text claiming a runnable type, and content that is not recognised.
    """
    shown = safe_file_name(name)
    if is_program(data):
        raise UnsafeFileType(
            f"“{shown}” is a program or launcher, not a document; caseviewer does not open it with "
            "another app. Save it instead if you need it."
        )
    extension = content_extension(data)
    if extension == ".txt" and claimed_extension(name) in RUNNABLE_EXTENSIONS:
        raise UnsafeFileType(
            f"“{shown}” is a script or launcher file ({claimed_extension(name)}); caseviewer does not "
            "open it with another app. Save it instead if you need it."
        )
    if not extension:
        raise UnsafeFileType(
            f"caseviewer cannot tell what kind of file “{shown}” is, so it does not hand it to another "
            "app. Save it instead if you need it."
        )
    stem = _bare_stem(shown) or "attachment"
    return safe_file_name(stem + extension)


__all__ = ["RUNNABLE_EXTENSIONS", "UnsafeFileType", "claimed_extension", "content_extension", "is_program", "open_copy_name"]
