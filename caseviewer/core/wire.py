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
"""

from __future__ import annotations

import codecs
import json
import json.decoder
import json.scanner
import re
import secrets
from typing import Any

from caseviewer.core import errors

#: Deepest nesting accepted. Real case documents are about ten levels deep; pydantic's
#: serializer gives up near 300 and the stdlib recursion limit is 1000.
MAX_DEPTH = 100

#: Integers with more digits than this stay text (Python refuses ``int()`` of 4300+ digits).
_MAX_INT_DIGITS = 1000

#: Bodies longer than this (characters) are parsed in slices; shorter ones in one call (the
#: slicing costs more than it saves on them).
SLICE_FROM_CHARS = 1024 * 1024
#: String literals longer than this are decoded on their own, in pieces of about this size.
BIG_LITERAL_CHARS = 128 * 1024

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# In the JSON text a lone surrogate can only come from a \\uD800-\\uDFFF escape.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")


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


class _Slicer:
    """Cuts the long string literals out of a JSON text and decodes them a piece at a time.

    ``text`` is a ``str``, or UTF-8 ``bytes`` (cut as bytes: see the module docstring; each piece
    is decoded with replacement, as the whole body would have been). ``skeleton`` is the text
    (always a ``str``) with each long literal replaced by a placeholder string (a random token no
    service can guess, and an index); ``put_back`` swaps the decoded strings in once the skeleton
    is parsed. The scan between literals is ``find`` calls from Python, so the GIL switches
    between them. A text the slicer cannot cut (not JSON) is its skeleton whole: the parser then
    says where it is wrong.
    """

    def __init__(self, text: str | bytes) -> None:
        self.token = "cv-literal-" + secrets.token_hex(16) + "-"
        self.values: dict[str, str] = {}
        self.surrogates = False
        self._bytes = isinstance(text, bytes)
        cut = self._cut(text)
        self.skeleton: str = _text_of(cut) if self._bytes else cut  # type: ignore[arg-type]

    def _cut(self, text: str | bytes) -> str | bytes:
        quote, backslash = (b'"', b"\\") if self._bytes else ('"', "\\")
        pieces: list[str | bytes] = []
        start = pos = 0
        while (opening := text.find(quote, pos)) >= 0:
            end = opening + 1
            while True:  # the closing quote: one not escaped by an odd run of backslashes
                end = text.find(quote, end)
                if end < 0:
                    return text  # unterminated: the parser says where
                before = end - 1
                while text[before:before + 1] == backslash:
                    before -= 1
                if (end - 1 - before) % 2 == 0:
                    break
                end += 1
            if end - opening - 1 > BIG_LITERAL_CHARS:
                value = self._decode(text[opening + 1:end])
                if value is None:
                    return text  # not valid JSON text: the parser says where
                placeholder = f"{self.token}{len(self.values)}"
                self.values[placeholder] = value
                pieces += (text[start:opening], quote, placeholder.encode() if self._bytes else placeholder, quote)
                start = end + 1
            pos = end + 1
        if not self.values:
            return text
        pieces.append(text[start:])
        return (b"" if self._bytes else "").join(pieces)  # type: ignore[attr-defined]

    def _decode(self, literal: str | bytes) -> str | None:
        """The string a literal's text stands for, decoded in pieces; None when it is not JSON.

        Each piece goes through ``json.loads``, which checks it as the whole document would have
        been checked (control characters, bad escapes)."""
        parts: list[str] = []
        start = 0
        while start < len(literal):
            cut = self._safe_cut(literal, start + BIG_LITERAL_CHARS)
            piece = literal[start:cut]
            try:
                parts.append(json.loads('"' + (piece.decode("utf-8", "replace") if self._bytes else piece) + '"'))
            except ValueError:
                return None
            start = cut
        value = "".join(parts)
        if (_SURROGATE_ESCAPE_BYTES if self._bytes else _SURROGATE_ESCAPE).search(literal):  # a fast search
            self.surrogates = True
        return value

    def _safe_cut(self, literal: str | bytes, target: int) -> int:
        """A cut at or after ``target`` that splits no escape: before a backslash that begins one
        (and is not the second half of a surrogate pair, which must be decoded with its first).
        In bytes the cut also splits no UTF-8 sequence (it never falls before a continuation
        byte, unless four in a row say the bytes are not UTF-8 there anyway)."""
        if target >= len(literal):
            return len(literal)
        if self._bytes:
            cut = self._escape_boundary(literal, target, b"\\", (b"ud", b"uD"), b"cdefCDEF")
            return self._char_boundary(literal, cut)  # type: ignore[arg-type]
        return self._escape_boundary(literal, target, "\\", ("ud", "uD"), "cdefCDEF")

    @staticmethod
    def _escape_boundary(literal, target: int, backslash, high, low_digits) -> int:  # noqa: ANN001 - str or bytes alike
        cut = end = target
        while (cut := literal.find(backslash, cut)) >= 0:
            end = cut + 1
            low_half = literal[cut + 1:cut + 3] in high and literal[cut + 3:cut + 4] in low_digits
            if literal[cut - 1:cut] != backslash and not low_half:
                return cut
            cut += 1
        # No backslash from ``end`` on: an escape begun before it (six characters at most) is
        # over six characters later.
        return min(len(literal), end + 6)

    @staticmethod
    def _char_boundary(literal: bytes, cut: int) -> int:
        for _ in range(4):
            if cut >= len(literal) or not 0x80 <= literal[cut] <= 0xBF:
                return cut
            cut += 1
        return cut

    def put_back(self, value: Any) -> Any:
        """``value`` with every placeholder (as a value or a key) replaced by its string."""
        table = self.values
        if isinstance(value, str):
            return table.get(value, value)
        stack = [value] if isinstance(value, (dict, list)) else []
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if any(key in table for key in node):
                    items = list(node.items())
                    node.clear()
                    for key, item in items:
                        node.setdefault(table.get(key, key), item)
                for key, item in node.items():
                    if isinstance(item, (dict, list)):
                        stack.append(item)
                    elif isinstance(item, str) and item in table:
                        node[key] = table[item]
            else:
                for index, item in enumerate(node):
                    if isinstance(item, (dict, list)):
                        stack.append(item)
                    elif isinstance(item, str) and item in table:
                        node[index] = table[item]
        return value


def too_deep_error(service: str, status_code: int | None = None) -> errors.TooDeep:
    return errors.TooDeep(
        f"The {service} sent a document nested too deeply (more than {MAX_DEPTH} levels); "
        "it was not read.",
        service=service,
        status_code=status_code,
    )


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
        slicer = _Slicer(utf8 if utf8 is not None else _text_of(content))
    text = _text_of(content) if slicer is None else None  # a sliced body is never one string
    skeleton = slicer.skeleton if slicer is not None else text
    numbers = _Numbers()
    try:
        value = json.loads(skeleton, parse_int=numbers.as_int, parse_float=numbers.as_float,
                           parse_constant=numbers.keep)
    except RecursionError:
        raise too_deep_error(service, status_code) from None
    fix_text = bool(_SURROGATE_ESCAPE.search(skeleton))
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


class _CannotCut(Exception):
    """The body is not the plain shape ``decode_json_elements`` cuts (it is read whole instead)."""


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
            value, elements = _ElementCutter(text, numbers.decoder()).document(path)
        except RecursionError:
            raise too_deep_error(service, status_code) from None
        except _CannotCut:
            pass
        else:
            if _SURROGATE_ESCAPE.search(text):
                return sanitize(value, service=service, status_code=status_code), elements
            _check_text_depth(content, text, service, status_code)
            return value, elements
    return decode_json(content, service=service, status_code=status_code), None


class _ElementCutter:
    """Walks the objects on a key path by hand and the rest with ``json``'s C scanner."""

    def __init__(self, text: str, decoder: json.JSONDecoder) -> None:
        self.text = text
        self.scan = json.scanner.make_scanner(decoder)
        self.space = json.decoder.WHITESPACE.match

    def document(self, path: tuple[str, ...]) -> tuple[Any, list[str]]:
        value, end, elements = self._value(self._skip(0), path)
        if self._skip(end) != len(self.text) or elements is None:
            raise _CannotCut
        return value, elements

    def _skip(self, index: int) -> int:
        return self.space(self.text, index).end()

    def _value(self, index: int, path: tuple[str, ...]) -> tuple[Any, int, list[str] | None]:
        """The value at ``index``, where it ends, and the texts of the elements at ``path`` in it."""
        text = self.text
        if not path:
            if text[index:index + 1] != "[":
                raise _CannotCut
            return self._array(index)
        if text[index:index + 1] != "{":
            raise _CannotCut
        members: dict[str, Any] = {}
        elements: list[str] | None = None
        index = self._skip(index + 1)
        if text[index:index + 1] == "}":
            raise _CannotCut  # nothing on the path
        while True:
            if text[index:index + 1] != '"':
                raise _CannotCut
            try:
                key, index = json.decoder.scanstring(text, index + 1)
            except ValueError:
                raise _CannotCut from None
            index = self._skip(index)
            if text[index:index + 1] != ":":
                raise _CannotCut
            index = self._skip(index + 1)
            if key == path[0]:
                if elements is not None:
                    raise _CannotCut  # the key twice: which one counts is json's business
                members[key], index, elements = self._value(index, path[1:])
            else:
                members[key], index = self._scan(index)
            index = self._skip(index)
            if text[index:index + 1] == "}":
                return members, index + 1, elements
            if text[index:index + 1] != ",":
                raise _CannotCut
            index = self._skip(index + 1)

    def _array(self, index: int) -> tuple[list[Any], int, list[str]]:
        text = self.text
        items: list[Any] = []
        elements: list[str] = []
        index = self._skip(index + 1)
        if text[index:index + 1] == "]":
            return items, index + 1, elements
        while True:
            item, end = self._scan(index)
            items.append(item)
            elements.append(text[index:end])
            index = self._skip(end)
            if text[index:index + 1] == "]":
                return items, index + 1, elements
            if text[index:index + 1] != ",":
                raise _CannotCut
            index = self._skip(index + 1)

    def _scan(self, index: int) -> tuple[Any, int]:
        try:
            return self.scan(self.text, index)
        except (StopIteration, ValueError):
            raise _CannotCut from None


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
        return content if _SURROGATE_ESCAPE.search(content) else None
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8):]
    try:
        encoding = json.detect_encoding(content)
    except Exception:  # noqa: BLE001 - detection only looks at the first bytes; never fatal
        encoding = "utf-8"
    escaped = _SURROGATE_ESCAPE_BYTES.search(content) is not None if encoding == "utf-8" else False
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


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (valid UTF-8 from then on)."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


_CONTAINERS = (dict, list)

_MARKS = b'"[]{}'
_NOT_MARKS = bytes(byte for byte in range(256) if byte not in _MARKS)
_ONE_KIND = bytes.maketrans(b"{}", b"[]")


def _check_text_depth(content: bytes | str, text: str, service: str, status_code: int | None) -> None:
    """``MAX_DEPTH`` read from the JSON text that was just parsed (so it is valid JSON), not from
    the parsed value: a few C calls over the text (0.2-0.3 of walking the value, which cost half
    as much as the parse itself on every detail a sync reads). The same limit, exactly: see
    ``nesting_over``. A UTF-8 body is read as its bytes (its quote, backslash and bracket bytes
    are never part of a longer character)."""
    utf8 = _utf8_body(content) if isinstance(content, bytes) else None
    if nesting_over(utf8 if utf8 is not None else text.encode("utf-8", "surrogatepass"), MAX_DEPTH):
        raise too_deep_error(service, status_code)


def nesting_over(text: bytes, limit: int) -> bool:
    """Whether the valid JSON ``text`` nests containers more than ``limit`` levels deep.

    The escapes that could hide a quote go first (an escaped backslash, then an escaped quote:
    left to right, as the parser pairs them; every backslash left escapes a letter). What is left
    of structure is the quotes and brackets: a pair of adjacent quotes holds no bracket (an empty
    string, or two strings with no bracket between them) and goes, the rest of each string's
    content after it, and each pass then removes the innermost containers (``[]``, once braces
    read as brackets): a document ``n`` levels deep is empty after ``n`` passes."""
    if b"\\" in text:  # one byte: a memchr (looking for the two-byte escapes first cost 10x)
        text = text.replace(b"\\\\", b"").replace(b'\\"', b"")
    marks = text.translate(_ONE_KIND, _NOT_MARKS).replace(b'""', b"")
    if b'"' in marks:
        marks = b"".join(marks.split(b'"')[::2])  # what is outside the strings
    for _ in range(limit):
        if not marks:
            return False
        marks = marks.replace(b"[]", b"")
    return bool(marks)


def _check_depth(value: dict | list, service: str, status_code: int | None) -> None:
    """``MAX_DEPTH`` alone, one level at a time: the containers of each level are gathered by a
    comprehension, so the scalars (most of a document) cost no Python statement each. Two to
    three times faster than the item-by-item walk, which matters on every detail a sync reads."""
    level: list[Any] = [value]
    depth = 1
    while level:
        if depth > MAX_DEPTH:
            raise too_deep_error(service, status_code)
        below: list[Any] = []
        for node in level:
            below += [item for item in (node.values() if isinstance(node, dict) else node) if isinstance(item, _CONTAINERS)]
        level = below
        depth += 1


def sanitize(value: Any, *, fix_text: bool = True, service: str = "service",
             status_code: int | None = None) -> Any:
    """Enforce ``MAX_DEPTH`` on a parsed value and (with ``fix_text``) replace lone surrogates.

    Iterative, so it is safe on any input. Containers are changed in place; a string at the top
    level comes back cleaned.
    """
    if isinstance(value, str):
        return clean_text(value) if fix_text else value
    if not isinstance(value, (dict, list)):
        return value
    if not fix_text:
        _check_depth(value, service, status_code)
        return value
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise too_deep_error(service, status_code)
        if isinstance(node, dict):
            if fix_text and any(_LONE_SURROGATE.search(key) for key in node):
                items = list(node.items())
                node.clear()
                for key, item in items:
                    node.setdefault(clean_text(key), item)  # two keys may now collide: first wins
            for key, item in node.items():
                if isinstance(item, (dict, list)):
                    stack.append((item, depth + 1))
                elif fix_text and isinstance(item, str) and _LONE_SURROGATE.search(item):
                    node[key] = clean_text(item)
        else:
            for index, item in enumerate(node):
                if isinstance(item, (dict, list)):
                    stack.append((item, depth + 1))
                elif fix_text and isinstance(item, str) and _LONE_SURROGATE.search(item):
                    node[index] = clean_text(item)
    return value


__all__ = ["MAX_DEPTH", "clean_text", "decode_json", "decode_json_elements", "decode_json_exact", "nesting_over", "sanitize",
           "too_deep_error"]
