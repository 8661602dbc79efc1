"""Is a PDF's cross-reference index intact? A cheap, pure-Python check run on a worker thread.

The PDF viewer (pdfium, through ``QPdfDocument``) loads a file with an intact index in
milliseconds, but a damaged one is rebuilt by scanning every byte, and that holds the GIL and the
GUI thread for as long as it takes (hundreds of milliseconds for a few megabytes of fuzzed
data). So before the GUI thread loads a PDF, the worker checks the index: ``startxref`` at the
end points at an ``xref`` table (each in-use entry pointing at its ``N G obj``) or at an xref
stream object, following ``/Prev`` for incremental updates. Only the structure is read; nothing
is decoded or rendered.
"""

from __future__ import annotations

import re

#: How far from the end ``startxref`` may be (real files put it in the last few bytes).
_TAIL = 2048
#: Incremental updates followed at most (each adds one ``/Prev`` section).
_MAX_SECTIONS = 64
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF", re.S)
_SUBSECTION = re.compile(rb"\s*(\d+)\s+(\d+)\s*")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_OBJ = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_PREV = re.compile(rb"/Prev\s+(\d+)")


def xref_intact(data: bytes) -> bool:
    """True when the file's cross-reference index can be used as is (no rebuild needed)."""
    tail = data[-_TAIL:]
    found = list(_STARTXREF.finditer(tail))
    if not found:
        return False
    offset: int | None = int(found[-1].group(1))
    seen: set[int] = set()
    for _ in range(_MAX_SECTIONS):
        if offset is None:
            return True
        if offset in seen or not 0 < offset < len(data):
            return False
        seen.add(offset)
        offset = _check_section(data, offset)
        if offset == -1:
            return False
    return False


def _object_at(data: bytes, offset: int, number: int | None = None) -> bool:
    match = _OBJ.match(data, offset, min(len(data), offset + 64))
    return match is not None and (number is None or int(match.group(1)) == number)


def _check_section(data: bytes, offset: int) -> int | None:
    """Check one xref section; the ``/Prev`` offset to check next, None at the first, -1 if broken."""
    if data.startswith(b"xref", offset):
        position = offset + 4
        while True:
            header = _SUBSECTION.match(data, position)
            if header is None or data.startswith(b"trailer", header.start(1)):
                break
            first, count = int(header.group(1)), int(header.group(2))
            position = header.end()
            for number in range(first, first + count):
                entry = _ENTRY.match(data, position)
                if entry is None:
                    return -1
                position = entry.end()
                while position < len(data) and data[position] in b" \r\n":
                    position += 1
                if entry.group(3) == b"n" and number and not _object_at(data, int(entry.group(1)), number):
                    return -1
        trailer = data.find(b"trailer", position, position + 64)
        if trailer < 0:
            return -1
        dictionary = data[trailer:trailer + 4096]
        end = dictionary.find(b"startxref")
    elif _object_at(data, offset):
        dictionary = data[offset:offset + 4096]
        end = dictionary.find(b"stream")
        if b"/XRef" not in dictionary[:end if end > 0 else None]:
            return -1
    else:
        return -1
    prev = _PREV.search(dictionary, 0, end if end > 0 else len(dictionary))
    return int(prev.group(1)) if prev else None


__all__ = ["xref_intact"]
