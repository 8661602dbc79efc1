"""The one door through which service JSON enters the app: parsed with bounds, text made valid.

Every response body the clients read goes through ``decode_json`` (``http.ServiceClient``), so
what the models, the cache and the terminal see is always:

* **bounded in depth**: nothing deeper than ``MAX_DEPTH`` levels. The stdlib parser guards its
  own recursion (RecursionError, caught here) and an iterative walk then enforces the limit, so
  the models, ``json.dumps`` in the cache and pydantic's serializer never meet a document they
  would recurse through without end. Too deep is ``errors.TooDeep``, that one answer's error.
* **valid text**: a lone surrogate escape (``"\\udfaa"``, in a value or a key) cannot be encoded
  as UTF-8, which broke pydantic, SQLite and ``sys.stdout``; each becomes U+FFFD. Bytes that are
  not UTF-8 are decoded with replacement as well.
* **numbers that cannot hurt**: an integer too long for Python's ``int()`` (4300 digits), a float
  that overflows to infinity and the non-standard ``NaN``/``Infinity`` are kept as the text that
  was sent (shown as sent, never summed) instead of failing the whole document.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Any

from caseviewer.core import errors

#: Deepest nesting accepted. Real case documents are about ten levels deep; pydantic's
#: serializer gives up near 300 and the stdlib recursion limit is 1000.
MAX_DEPTH = 100

#: Integers with more digits than this stay text (Python refuses ``int()`` of 4300+ digits).
_MAX_INT_DIGITS = 1000

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# In the JSON text a lone surrogate can only come from a \\uD800-\\uDFFF escape.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _int(text: str) -> int | str:
    return int(text) if len(text) <= _MAX_INT_DIGITS else text


def _float(text: str) -> float | str:
    value = float(text)
    return value if value not in (float("inf"), float("-inf")) else text


def _constant(text: str) -> str:
    return text  # NaN, Infinity, -Infinity: not JSON; kept as the words that were sent


def _text_of(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8):].decode("utf-8", "replace")
    try:
        encoding = json.detect_encoding(content)
    except Exception:  # noqa: BLE001 - detection only looks at the first bytes; never fatal
        encoding = "utf-8"
    return content.decode(encoding, "replace")


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
    text = _text_of(content)
    try:
        value = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:
        raise too_deep_error(service, status_code) from None
    return sanitize(value, fix_text=bool(_SURROGATE_ESCAPE.search(text)), service=service,
                    status_code=status_code)


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD (valid UTF-8 from then on)."""
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


_CONTAINERS = (dict, list)


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


__all__ = ["MAX_DEPTH", "clean_text", "decode_json", "sanitize", "too_deep_error"]
