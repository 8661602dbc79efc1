"""When a request is tried again, and how long to wait: the retry policy and ``Retry-After``.

Only idempotent requests (GET) are retried, by the one loop in ``client.py``; these are its rules:
which answers are worth another try, the jittered exponential back-off, and the server's own hint.
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass

#: Answers a GET is tried again after (timeouts and broken connections are retried too).
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry. ``max_retries=0`` turns retries off."""

    max_retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 30.0

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential back-off for the given 0-based retry attempt."""
        ceiling = min(self.max_delay, self.base_delay * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


__all__ = ["RETRY_STATUSES", "RetryPolicy", "parse_retry_after"]
