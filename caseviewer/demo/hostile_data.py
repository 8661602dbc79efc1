"""Hostile data for the demo service: answers that are valid HTTP but carry what breaks clients.

One fault knob, ``hostile``, names what the next affected list and detail answers carry (it obeys
``scope`` and ``count`` like every other knob; see ``faults.py``):

* ``edge_timestamps``: every timestamp at an edge of the calendar (``9999-12-31T23:59:59-14:00``,
  ``0001-01-01T00:00:00+14:00``, ``9999-12-31T23:59:59.999999Z``, ...), cycling.
* ``huge_numbers``: payment amounts ``"1e999999"``, ``"1e1000000"``, a 5,000-digit integer and a
  bare JSON number ``1e999999``; list ``status.id`` of 2**63 and a 30-digit count.
* ``deep_nesting``: the document carries a value nested ``DEEP_LEVELS`` levels deep.
* ``surrogates``: lone surrogate escapes (``"\\udfaa"``) in titles, names and an object key.
* ``terminal_escapes``: ESC sequences, bidi overrides and control characters in titles and names.
* ``lying_totals``: the list claims ``total_pages`` 10**9 and serves page 1's records on every
  page; ``short_totals``: it claims fewer ``total_items`` than one page holds;
  ``inflated_pages``: true records and ``total_items`` but ``total_pages`` 10**9.
* ``portal_html``: a 200 ``text/html`` sign-in page, as a captive portal or proxy sends.

The mangling works on the JSON the service was about to send, so every case stays itself apart
from the hostile values. Bodies are written with ``ensure_ascii`` so lone surrogates travel as the
``\\uXXXX`` escapes a hostile service would send (they cannot be encoded as UTF-8).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

KINDS = (
    "edge_timestamps", "huge_numbers", "deep_nesting", "surrogates", "terminal_escapes",
    "lying_totals", "short_totals", "inflated_pages", "portal_html",
)

EDGE_TIMESTAMPS = (
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59.999999Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00-14:00",
)

HUGE_AMOUNTS = ("1e999999", "1e1000000", "9" * 5000, "-1e999999", "1E+999999999")
HUGE_INT = 2**63
LYING_TOTAL_PAGES = 10**9
DEEP_LEVELS = 1000

SURROGATE_TEXTS = ("\udfaa", "Case \ud800 title", "\udbff\udbff end")
SURROGATE_KEY = "\ud800key"

TERMINAL_TEXTS = (
    "\x1b[2J\x1b[31mRED ALERT\x1b[0m",
    "invoice\u202egnp.exe",
    "bell\x07 and \x1b]0;title\x07 and \x08backspace",
    "\x9b31m C1 CSI \u2066isolate\u2069 \x00nul",
)

PORTAL_BODY = (b"<!DOCTYPE html><html><head><title>Sign in to the network</title></head>"
               b"<body><form action='/login'>Accept the terms to continue</form></body></html>")

# Placeholders replaced in the serialised text: JSON that ``json.dumps`` cannot write itself.
_HUGE_NUMBER_MARK = "__hostile_huge_number__"
_DEEP_MARK = "__hostile_deep__"

_TIMESTAMP_KEYS = ("createdAt", "updatedAt", "assignedAt", "inProgressAt", "closedAt", "dueDate",
                   "paymentDate", "startDateTime", "endDateTime", "startDate", "endDate", "created_at")


def validate(value: Any) -> str | None:
    if value is None or value in KINDS:
        return value
    raise ValueError(f"hostile must be one of {', '.join(KINDS)}")


def _walk_dicts(value: Any, visit: Callable[[dict], None]) -> None:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            visit(node)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _edge_timestamps(payload: Any) -> None:
    counter = iter(range(10**9))

    def visit(node: dict) -> None:
        for key in _TIMESTAMP_KEYS:
            if key in node and (node[key] is None or isinstance(node[key], str)):
                node[key] = EDGE_TIMESTAMPS[next(counter) % len(EDGE_TIMESTAMPS)]

    _walk_dicts(payload, visit)


def _texts(payload: Any, texts: tuple[str, ...], *, key: str | None = None) -> None:
    counter = iter(range(10**9))

    def visit(node: dict) -> None:
        for name in ("title", "text", "business_name", "firstName", "first_name", "description",
                     "dba_name", "label", "shortId"):
            if isinstance(node.get(name), str):
                node[name] = texts[next(counter) % len(texts)]
        if key is not None and ("title" in node or "business_name" in node):
            node[key] = texts[0]

    _walk_dicts(payload, visit)


def _huge_numbers(payload: Any) -> None:
    counter = iter(range(10**9))

    def visit(node: dict) -> None:
        if "amount" in node:
            index = next(counter)
            node["amount"] = _HUGE_NUMBER_MARK if index % (len(HUGE_AMOUNTS) + 1) == 0 else \
                HUGE_AMOUNTS[index % len(HUGE_AMOUNTS)]
        status = node.get("status")
        if isinstance(status, dict) and "id" in status:
            status["id"] = HUGE_INT
        for key in ("refillCount", "intervalCount"):
            if key in node:
                node[key] = 10**30

    _walk_dicts(payload, visit)


def mangle_payload(kind: str, service: str, payload: Any) -> Any:
    """The payload with ``kind``'s hostile values put in (changed in place where it can be)."""
    body = payload.get("caseDetail") if service == "detail" else payload.get("data")
    if not isinstance(body, dict):
        return payload
    if kind == "edge_timestamps":
        _edge_timestamps(body)
    elif kind == "huge_numbers":
        _huge_numbers(body)
        if service == "detail":
            body["hostileCount"] = _HUGE_NUMBER_MARK
    elif kind == "surrogates":
        _texts(body, SURROGATE_TEXTS, key=SURROGATE_KEY)
    elif kind == "terminal_escapes":
        _texts(body, TERMINAL_TEXTS)
    elif kind == "deep_nesting":
        if service == "detail":
            body["hostileDeep"] = _DEEP_MARK
        else:
            for record in body.get("records") or []:
                record["hostileDeep"] = _DEEP_MARK
    elif kind == "short_totals" and service == "list":
        body["total_items"] = 3
    elif kind == "inflated_pages" and service == "list":
        body["total_pages"] = LYING_TOTAL_PAGES
    elif kind == "lying_totals" and service == "list":
        body["total_pages"] = LYING_TOTAL_PAGES
        body["total_items"] = LYING_TOTAL_PAGES
    return payload


def serialise(payload: Any) -> bytes:
    """JSON text with the placeholders replaced by what ``json.dumps`` cannot write."""
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
    if _HUGE_NUMBER_MARK in text:
        text = text.replace(f'"{_HUGE_NUMBER_MARK}"', "1e999999")
    if _DEEP_MARK in text:
        deep = "[" * (DEEP_LEVELS // 2) + '{"a":' * (DEEP_LEVELS // 2) + "0" + "}" * (DEEP_LEVELS // 2) \
            + "]" * (DEEP_LEVELS // 2)
        text = text.replace(f'"{_DEEP_MARK}"', deep)
    return text.encode("ascii")


def list_pairs(kind: str | None, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The list query the service answers: ``lying_totals`` answers page 1 whatever was asked."""
    if kind != "lying_totals":
        return pairs
    return [(key, "1" if key == "page" else value) for key, value in pairs]


def apply(kind: str | None, service: str, response: Any) -> Any:
    """Mangle a 200 JSON ``response`` (``transport.Response``) of the list or detail service."""
    if kind is None or service not in ("list", "detail") or response.status != 200:
        return response
    if kind == "portal_html":
        response.body = PORTAL_BODY
        response.content_type = "text/html; charset=utf-8"
        return response
    try:
        payload = json.loads(response.body)
    except ValueError:
        return response
    response.body = serialise(mangle_payload(kind, service, payload))
    return response


__all__ = ["DEEP_LEVELS", "EDGE_TIMESTAMPS", "HUGE_AMOUNTS", "KINDS", "apply", "list_pairs", "validate"]
