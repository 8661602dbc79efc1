"""Fault knobs for the demo service: what the next requests should suffer, set at runtime.

Tests and demos set them in-process (``svc.faults.update(status=503, count=2)``) or over HTTP
(``POST {auth_url}/__demo/faults`` with the same keys as JSON; ``DELETE`` resets; ``GET`` shows).

Keys (all optional; ``update`` changes only the keys given, except ``count``, below):

* ``scope``: which service suffers: "all" (default), "list", "detail", "auth" or "files".
* ``latency_ms``: sleep this long before answering.
* ``fail_rate``: 0..1, answer that share of requests with 500 (seeded, so runs repeat).
* ``status``: answer every affected request with this status and the service's error shape.
* ``malformed_json``: answer 200 with a body that is not JSON (files: half of the file's bytes).
* ``truncated_json``: send the full body's Content-Length but only half the bytes, then close.
* ``slow_body_bps``: send the body at about this many bytes per second.
* ``reset_mid_body``: send headers and part of the body, then reset the connection (RST).
* ``count``: how many affected requests the faults above apply to; None = until reset. Each
  ``update`` call sets it (to None when not given), so it always counts from the latest change.
* ``hostile``: list and detail answers carry hostile data of this kind (edge timestamps, huge
  numbers, deep nesting, surrogates, terminal escapes, lying totals, a portal's HTML page): see
  ``hostile_data.py``.
* ``rate_limit_count`` + ``retry_after``: the next N affected requests answer 429 with a
  ``Retry-After: <seconds>`` header; counted on their own, ahead of everything else.
* ``hostile_content``: every detail document is changed into big or broken content, one of
  ``hostile_content.KINDS`` (None: off); not counted, it stays until changed or reset.

The ``/__demo/faults`` endpoint itself is never affected.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import Any

from caseviewer.demo import hostile_data

SCOPES = ("all", "list", "detail", "auth", "files")

DEFAULTS: dict[str, Any] = {
    "scope": "all",
    "latency_ms": 0,
    "fail_rate": 0.0,
    "status": None,
    "count": None,
    "rate_limit_count": 0,
    "retry_after": 1,
    "malformed_json": False,
    "truncated_json": False,
    "slow_body_bps": None,
    "reset_mid_body": False,
    "hostile_content": None,
    "hostile": None,
}


@dataclass(frozen=True)
class FaultDecision:
    """What one request suffers. ``status`` None means answer normally."""

    latency_s: float = 0.0
    status: int | None = None
    retry_after: int | None = None
    malformed: bool = False
    truncated: bool = False
    reset: bool = False
    slow_bps: int | None = None
    hostile: str | None = None


NO_FAULT = FaultDecision()


def _validate(key: str, value: Any) -> Any:
    def number(minimum: float, maximum: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{key} must be a number")
        if value < minimum or (maximum is not None and value > maximum):
            raise ValueError(f"{key} out of range")
        return value

    if key not in DEFAULTS:
        raise ValueError(f"unknown fault key {key!r}")
    if key == "hostile":
        return hostile_data.validate(value)
    if key == "scope":
        if value not in SCOPES:
            raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
        return value
    if key in ("malformed_json", "truncated_json", "reset_mid_body"):
        if not isinstance(value, bool):
            raise ValueError(f"{key} must be true or false")
        return value
    if key == "hostile_content":
        from caseviewer.demo.hostile_content import KINDS

        if value is not None and value not in KINDS:
            raise ValueError(f"hostile_content must be one of {', '.join(KINDS)}")
        return value
    if key in ("status", "count", "slow_body_bps") and value is None:
        return None
    if key == "status":
        return int(number(100, 599))
    if key == "fail_rate":
        return float(number(0, 1))
    if key == "slow_body_bps":
        return int(number(1))
    if key == "latency_ms":
        return float(number(0))
    return int(number(0))  # count, rate_limit_count, retry_after


class FaultConfig:
    """The current fault settings; thread-safe, shared by every request handler."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._values = dict(DEFAULTS)
        self._rng = random.Random(f"faults:{seed}")
        self._seed = seed

    def update(self, **changes: Any) -> dict[str, Any]:
        """Change some knobs (ValueError for unknown keys or bad values); returns the snapshot."""
        checked = {key: _validate(key, value) for key, value in changes.items()}
        checked.setdefault("count", None)
        with self._lock:
            self._values.update(checked)
            return dict(self._values)

    def reset(self) -> None:
        with self._lock:
            self._values = dict(DEFAULTS)
            self._rng = random.Random(f"faults:{self._seed}")

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._values)

    def __getattr__(self, name: str) -> Any:
        # Read access as attributes (svc.faults.latency_ms) for convenience in tests.
        if name in DEFAULTS:
            with self._lock:
                return self._values[name]
        raise AttributeError(name)

    def decide(self, service: str) -> FaultDecision:
        """Consume the faults one request of ``service`` suffers (called once per request)."""
        with self._lock:
            v = self._values
            if v["scope"] not in ("all", service):
                return NO_FAULT
            if v["rate_limit_count"] > 0:
                v["rate_limit_count"] -= 1
                return FaultDecision(status=429, retry_after=v["retry_after"])
            active = (v["latency_ms"] or v["fail_rate"] or v["status"] is not None
                      or v["malformed_json"] or v["truncated_json"] or v["reset_mid_body"]
                      or v["slow_body_bps"] is not None or v["hostile"] is not None)
            if not active or v["count"] == 0:
                return NO_FAULT
            if v["count"] is not None:
                v["count"] -= 1
            status = v["status"]
            if status is None and v["fail_rate"] and self._rng.random() < v["fail_rate"]:
                status = 500
            return FaultDecision(
                latency_s=v["latency_ms"] / 1000.0,
                status=status,
                retry_after=v["retry_after"] if status in (429, 503) else None,
                malformed=v["malformed_json"],
                truncated=v["truncated_json"],
                reset=v["reset_mid_body"],
                slow_bps=v["slow_body_bps"],
                hostile=v["hostile"],
            )
