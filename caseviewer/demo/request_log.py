"""The last requests of the demo's main port, kept so tests and benchmarks can prove what was sent."""

from __future__ import annotations

import collections
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    target: str  # path and query, as sent
    headers: dict[str, str]
    body: bytes
    at: float  # time.monotonic()


class RequestLog:
    """The last requests of the main port (bounded), for tests and benchmarks. Thread-safe."""

    def __init__(self, limit: int = 20_000) -> None:
        self._lock = threading.Lock()
        self._entries: collections.deque[LoggedRequest] = collections.deque(maxlen=limit)

    def record(self, method: str, target: str, headers: dict[str, str], body: bytes) -> None:
        with self._lock:
            self._entries.append(LoggedRequest(method, target, headers, body, time.monotonic()))

    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
