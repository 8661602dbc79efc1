"""The one door through which service JSON enters the app: parsed with bounds, text made valid.

Every response body the clients read goes through ``decode_json`` (``http.ServiceClient``), so
what the models, the cache and the terminal see is always:

* **bounded in depth**: nothing deeper than ``MAX_DEPTH`` levels. The stdlib parser guards its
  own recursion (RecursionError, caught here) and the limit is then enforced on the text just
  parsed (``nesting_over``: C calls over the bytes), or by an iterative walk of the value where
  the value is walked anyway (text to repair) or was parsed in slices, so
  the models, ``json.dumps`` in the cache and pydantic's serializer never meet a document they
  would recurse through without end. Too deep is ``errors.TooDeep``, that one answer's error.
* **valid text**: a lone surrogate escape (``"\\udfaa"``, in a value or a key) cannot be encoded
  as UTF-8, which broke pydantic, SQLite and ``sys.stdout``; each becomes U+FFFD. Bytes that are
  not UTF-8 are decoded with replacement as well.
* **parsed in slices**: a body of tens of megabytes is mostly a few long strings (1 MiB comments,
  base64 files). One ``json.loads`` of it holds the GIL for a few hundred milliseconds, and the GUI
  thread waits that long for its next event. Long string literals are therefore cut out of the
  text and decoded on their own, a piece at a time (``_Slicer``), so no single C call holds the
  GIL for more than a few milliseconds; the document that results is the same. A UTF-8 body is
  cut as bytes (a quote or backslash byte is never part of a longer UTF-8 sequence): decoding
  all of it first would make one string as long as the body, and allocating and joining 30 MB
  held the GIL for 35-80 ms on its own.
* **numbers that cannot hurt**: an integer too long for Python's ``int()`` (4300 digits), a float
  that overflows to infinity and the non-standard ``NaN``/``Infinity`` are kept as the text that
  was sent (shown as sent, never summed) instead of failing the whole document.

This module is the door (the readers callers use, and the settings above); the package holds its
parts: ``bounds.py`` (the depth limit, surrogate repair), ``slicer.py`` (long literals cut out and
decoded in pieces) and ``elements.py`` (a list page's records cut out as the text sent).
"""

from __future__ import annotations

import codecs
import json
from typing import Any

from caseviewer.core.wire.bounds import (
    MAX_DEPTH,
    SURROGATE_ESCAPE,
    SURROGATE_ESCAPE_BYTES,
    clean_text,
    nesting_over,
    sanitize,
    too_deep_error,
)
from caseviewer.core.wire.elements import CannotCut, ElementCutter
from caseviewer.core.wire.slicer import Slicer

#: Integers with more digits than this stay text (Python refuses ``int()`` of 4300+ digits).
_MAX_INT_DIGITS = 1000

#: Bodies longer than this (characters) are parsed in slices; shorter ones in one call (the
#: slicing costs more than it saves on them).
SLICE_FROM_CHARS = 1024 * 1024
#: String literals longer than this are decoded on their own, in pieces of about this size.
BIG_LITERAL_CHARS = 128 * 1024


def _utf8_body(content: bytes) -> bytes | None:
    """``content`` without its BOM when it is UTF-8 (what the slicer can cut as bytes), else None."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8):]
    try:
        encoding = json.detect_encoding(content)
    except Exception:  # noqa: BLE001 - detection only looks at the first bytes; never fatal
        encoding = "utf-8"
    return content if encoding == "utf-8" else None


def _text_of(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    if content.startswith(codecs.BOM_UTF8):
        content, encoding = content[len(codecs.BOM_UTF8):], "utf-8"
    else:
        try:
            encoding = json.detect_encoding(content)
        except Exception:  # noqa: BLE001 - detection only looks at the first bytes; never fatal
            encoding = "utf-8"
    if len(content) <= SLICE_FROM_CHARS:
        return content.decode(encoding, "replace")
    # A megabyte per call, so the GIL is free between slices (see the module docstring).
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    view = memoryview(content)
    parts = [decoder.decode(view[i:i + SLICE_FROM_CHARS]) for i in range(0, len(content), SLICE_FROM_CHARS)]
    parts.append(decoder.decode(b"", final=True))
    return "".join(parts)


def decode_json(content: bytes | str, *, service: str = "service", status_code: int | None = None) -> Any:
    """``content`` parsed: depth-limited, surrogates replaced, absurd numbers kept as text.

    Raises ``ValueError`` when it is not JSON (the caller decides what that means) and
    ``errors.TooDeep`` when it nests deeper than ``MAX_DEPTH``.
    """
    return decode_json_exact(content, service=service, status_code=status_code)[0]


def decode_json_exact(
    content: bytes | str, *, service: str = "service", status_code: int | None = None
) -> tuple[Any, str | None]:
    """``decode_json``, and the text it parsed when a plain ``json.loads`` of that text gives the
    very same value (nothing was replaced, kept as text or parsed in slices), else None: a store
    may then keep the text as received instead of encoding the value again."""
    slicer = None
    if len(content) > SLICE_FROM_CHARS:
        utf8 = _utf8_body(content) if isinstance(content, bytes) else None
        slicer = Slicer(utf8 if utf8 is not None else _text_of(content), BIG_LITERAL_CHARS)
    text = _text_of(content) if slicer is None else None  # a sliced body is never one string
    skeleton = _text_of(slicer.skeleton) if slicer is not None else text
    numbers = _Numbers()
    try:
        value = json.loads(skeleton, parse_int=numbers.as_int, parse_float=numbers.as_float,
                           parse_constant=numbers.keep)
    except RecursionError:
        raise too_deep_error(service, status_code) from None
    fix_text = bool(SURROGATE_ESCAPE.search(skeleton))
    if slicer is not None and slicer.values:
        value = slicer.put_back(value)
        fix_text = fix_text or slicer.surrogates
    if slicer is None and not fix_text:
        _check_text_depth(content, text, service, status_code)  # type: ignore[arg-type]
    else:
        value = sanitize(value, fix_text=fix_text, service=service, status_code=status_code)
    return value, (text if slicer is None and not fix_text and not numbers.kept else None)


class _Numbers:
    """The parser's number hooks: a number too long for ``int()``, overflowing to infinity, or
    NaN/Infinity (not JSON) is kept as the text that was sent (``kept`` lists them)."""

    def __init__(self) -> None:
        self.kept: list[str] = []

    def keep(self, number: str) -> str:
        self.kept.append(number)
        return number

    def as_int(self, number: str) -> int | str:
        return int(number) if len(number) <= _MAX_INT_DIGITS else self.keep(number)

    def as_float(self, number: str) -> float | str:
        value = float(number)
        return value if value not in (float("inf"), float("-inf")) else self.keep(number)

    def decoder(self) -> json.JSONDecoder:
        return json.JSONDecoder(parse_int=self.as_int, parse_float=self.as_float, parse_constant=self.keep)



def decode_json_elements(
    content: bytes | str, path: tuple[str, ...], *, service: str = "service", status_code: int | None = None
) -> tuple[Any, list[str] | None]:
    """``decode_json``, and the text as sent of each element of the array at ``path`` (object
    keys from the top), for a caller that fingerprints the elements without encoding them again
    (a sync, each list record: encoding them cost more than parsing the page).

    The objects on ``path`` are walked here, a member at a time, and every other value, each
    element included, is parsed by the stdlib's own scanner, so the document is the one
    ``json.loads`` gives (the same number hooks; the same depth limit and repairs after). The texts
    are None when the body is not that plain shape (no array at ``path``, a key on it given
    twice, a body long enough to be parsed in slices, not JSON at all): it is then read whole as
    ``decode_json`` reads it, and a broken one fails the same way."""
    if len(content) <= SLICE_FROM_CHARS and path:
        text = _text_of(content)
        numbers = _Numbers()
        try:
            value, elements = ElementCutter(text, numbers.decoder()).document(path)
        except RecursionError:
            raise too_deep_error(service, status_code) from None
        except CannotCut:
            pass
        else:
            if SURROGATE_ESCAPE.search(text):
                return sanitize(value, service=service, status_code=status_code), elements
            _check_text_depth(content, text, service, status_code)
            return value, elements
    return decode_json(content, service=service, status_code=status_code), None



def sent_text_if_altered(content: bytes | str) -> str | None:
    """The response as the service sent it, when reading it had to change something; else None.

    Two things are changed on the way in: a lone surrogate escape (``"\\udfaa"``) becomes
    U+FFFD in the document, and bytes that are not valid in the body's encoding are replaced
    while decoding. The document the app shows is then not quite what was sent, so the text as
    sent is kept beside it (the Raw section can show it, the cache keeps it): nothing the service
    sent is lost. Invalid bytes are written as ``\\xNN`` in it, so it is always valid text. An
    escaped surrogate pair (a real character) counts too: it is rare, and keeping the text then
    costs nothing but room.
    """
    if isinstance(content, str):
        return content if SURROGATE_ESCAPE.search(content) else None
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8):]
    try:
        encoding = json.detect_encoding(content)
    except Exception:  # noqa: BLE001 - detection only looks at the first bytes; never fatal
        encoding = "utf-8"
    escaped = SURROGATE_ESCAPE_BYTES.search(content) is not None if encoding == "utf-8" else False
    if not escaped and content.isascii():
        return None  # ASCII is valid in UTF-8 and has no escape to replace: exactly as sent
    # A megabyte per step, so no one call holds the GIL for long (see the module docstring).
    strict = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(content)
    try:
        for start in range(0, len(content), SLICE_FROM_CHARS):
            strict.decode(view[start:start + SLICE_FROM_CHARS], final=start + SLICE_FROM_CHARS >= len(content))
    except UnicodeDecodeError:
        escaped = True
    if not escaped:
        return None
    lenient = codecs.getincrementaldecoder(encoding)("backslashreplace")
    return "".join(lenient.decode(view[start:start + SLICE_FROM_CHARS], final=start + SLICE_FROM_CHARS >= len(content))
                   for start in range(0, len(content), SLICE_FROM_CHARS))



def _check_text_depth(content: bytes | str, text: str, service: str, status_code: int | None) -> None:
    """``MAX_DEPTH`` read from the JSON text that was just parsed (so it is valid JSON), not from
    the parsed value: a few C calls over the text (0.2-0.3 of walking the value, which cost half
    as much as the parse itself on every detail a sync reads). The same limit, exactly: see
    ``nesting_over``. A UTF-8 body is read as its bytes (its quote, backslash and bracket bytes
    are never part of a longer character)."""
    utf8 = _utf8_body(content) if isinstance(content, bytes) else None
    if nesting_over(utf8 if utf8 is not None else text.encode("utf-8", "surrogatepass"), MAX_DEPTH):
        raise too_deep_error(service, status_code)



__all__ = ["MAX_DEPTH", "clean_text", "decode_json", "decode_json_elements", "decode_json_exact", "nesting_over", "sanitize",
           "too_deep_error"]
