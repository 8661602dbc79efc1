"""Long bodies read in slices: the long string literals cut out of the JSON text and decoded a
piece at a time, so no single C call holds the GIL for long (the door's docstring, ``core/wire``,
says why and when a body is sliced).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from caseviewer.core.wire.bounds import SURROGATE_ESCAPE, SURROGATE_ESCAPE_BYTES


class Slicer:
    """Cuts the long string literals out of a JSON text and decodes them a piece at a time.

    ``text`` is a ``str``, or UTF-8 ``bytes`` (cut as bytes: see ``core/wire``; each piece
    is decoded with replacement, as the whole body would have been). A literal longer than
    ``literal_chars`` is cut out and decoded in pieces of about that size (the door passes its
    ``BIG_LITERAL_CHARS``, read when it reads a body). ``skeleton`` is the text (``str`` or
    ``bytes`` as given: the door decodes it) with each long literal replaced by a placeholder
    string (a random token no service can guess, and an index); ``put_back`` swaps the decoded
    strings in once the skeleton is parsed. The scan between literals is ``find`` calls from
    Python, so the GIL switches between them. A text the slicer cannot cut (not JSON) is its
    skeleton whole: the parser then says where it is wrong.
    """

    def __init__(self, text: str | bytes, literal_chars: int) -> None:
        self.token = "cv-literal-" + secrets.token_hex(16) + "-"
        self.values: dict[str, str] = {}
        self.surrogates = False
        self._bytes = isinstance(text, bytes)
        self._literal_chars = literal_chars
        self.skeleton: str | bytes = self._cut(text)

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
            if end - opening - 1 > self._literal_chars:
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
            cut = self._safe_cut(literal, start + self._literal_chars)
            piece = literal[start:cut]
            try:
                parts.append(json.loads('"' + (piece.decode("utf-8", "replace") if self._bytes else piece) + '"'))
            except ValueError:
                return None
            start = cut
        value = "".join(parts)
        if (SURROGATE_ESCAPE_BYTES if self._bytes else SURROGATE_ESCAPE).search(literal):  # a fast search
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


__all__ = ["Slicer"]
