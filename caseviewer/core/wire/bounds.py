"""What every document read at the door is held to: a bounded depth and valid text.

``MAX_DEPTH`` and ``errors.TooDeep`` (``too_deep_error``); ``nesting_over`` reads the depth from
the JSON text itself, ``sanitize`` from a parsed value (replacing lone surrogates on the way when
asked); ``clean_text`` is that replacement for one string. The door (``core/wire``) decides which
of them a body needs; see its docstring for why each exists.
"""

from __future__ import annotations

import re
from typing import Any

from caseviewer.core import errors

#: Deepest nesting accepted. Real case documents are about ten levels deep; pydantic's
#: serializer gives up near 300 and the stdlib recursion limit is 1000.
MAX_DEPTH = 100

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# In the JSON text a lone surrogate can only come from a \\uD800-\\uDFFF escape.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F]")


def too_deep_error(service: str, status_code: int | None = None) -> errors.TooDeep:
    return errors.TooDeep(
        f"The {service} sent a document nested too deeply (more than {MAX_DEPTH} levels); "
        "it was not read.",
        service=service,
        status_code=status_code,
    )


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (valid UTF-8 from then on)."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


_CONTAINERS = (dict, list)

_MARKS = b'"[]{}'
_NOT_MARKS = bytes(byte for byte in range(256) if byte not in _MARKS)
_ONE_KIND = bytes.maketrans(b"{}", b"[]")



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



__all__ = ["MAX_DEPTH", "SURROGATE_ESCAPE", "SURROGATE_ESCAPE_BYTES", "clean_text", "nesting_over",
           "sanitize", "too_deep_error"]
