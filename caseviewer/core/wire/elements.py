"""A list page's records cut out as the text that was sent: the objects on a key path walked by
hand, every other value (each record included) parsed by the stdlib's C scanner, so the document
is the one ``json.loads`` gives and each record's text is a slice of the body
(``wire.decode_json_elements`` uses it and falls back to a whole parse on ``CannotCut``).
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
from typing import Any


class CannotCut(Exception):
    """The body is not the plain shape ``decode_json_elements`` cuts (it is read whole instead)."""


class ElementCutter:
    """Walks the objects on a key path by hand and the rest with ``json``'s C scanner."""

    def __init__(self, text: str, decoder: json.JSONDecoder) -> None:
        self.text = text
        self.scan = json.scanner.make_scanner(decoder)
        self.space = json.decoder.WHITESPACE.match

    def document(self, path: tuple[str, ...]) -> tuple[Any, list[str]]:
        value, end, elements = self._value(self._skip(0), path)
        if self._skip(end) != len(self.text) or elements is None:
            raise CannotCut
        return value, elements

    def _skip(self, index: int) -> int:
        return self.space(self.text, index).end()

    def _value(self, index: int, path: tuple[str, ...]) -> tuple[Any, int, list[str] | None]:
        """The value at ``index``, where it ends, and the texts of the elements at ``path`` in it."""
        text = self.text
        if not path:
            if text[index:index + 1] != "[":
                raise CannotCut
            return self._array(index)
        if text[index:index + 1] != "{":
            raise CannotCut
        members: dict[str, Any] = {}
        elements: list[str] | None = None
        index = self._skip(index + 1)
        if text[index:index + 1] == "}":
            raise CannotCut  # nothing on the path
        while True:
            if text[index:index + 1] != '"':
                raise CannotCut
            try:
                key, index = json.decoder.scanstring(text, index + 1)
            except ValueError:
                raise CannotCut from None
            index = self._skip(index)
            if text[index:index + 1] != ":":
                raise CannotCut
            index = self._skip(index + 1)
            if key == path[0]:
                if elements is not None:
                    raise CannotCut  # the key twice: which one counts is json's business
                members[key], index, elements = self._value(index, path[1:])
            else:
                members[key], index = self._scan(index)
            index, more = self._after_item(index, "}")
            if not more:
                return members, index, elements

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
            index, more = self._after_item(end, "]")
            if not more:
                return items, index, elements

    def _after_item(self, index: int, closing: str) -> tuple[int, bool]:
        """After a member or an element: where the next one starts (True), or where its container
        ends, just past ``closing`` (False). Anything else there is not the plain shape."""
        index = self._skip(index)
        mark = self.text[index:index + 1]
        if mark == closing:
            return index + 1, False
        if mark != ",":
            raise CannotCut
        return self._skip(index + 1), True

    def _scan(self, index: int) -> tuple[Any, int]:
        try:
            return self.scan(self.text, index)
        except (StopIteration, ValueError):
            raise CannotCut from None


__all__ = ["CannotCut", "ElementCutter"]
