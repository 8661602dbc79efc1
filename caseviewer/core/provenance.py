"""Where a piece of case data came from, and when: the service just now, or the offline cache.

One value for one idea: a case or a list page carries a ``Provenance`` (source and the moment the
service sent it), read by the window (the cached-copy marker, the offline banner's age), the
exports ("From the offline cache, copy of ...") and the background refresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum


class Source(Enum):
    """Which side answered."""

    NETWORK = "network"
    CACHE = "cache"


@dataclass(frozen=True)
class Provenance:
    """``fetched_at``: when the service sent the data (for a cached copy, when it was stored;
    None for a cached list slice with no records)."""

    source: Source
    fetched_at: datetime | None

    @classmethod
    def network(cls) -> "Provenance":
        """Fresh from a service, now."""
        return cls(Source.NETWORK, datetime.now(timezone.utc))

    @classmethod
    def cached(cls, fetched_at: datetime | None) -> "Provenance":
        """A copy from the offline cache, stored at ``fetched_at``."""
        return cls(Source.CACHE, fetched_at)

    @property
    def from_cache(self) -> bool:
        return self.source is Source.CACHE

    @property
    def from_network(self) -> bool:
        return self.source is Source.NETWORK


__all__ = ["Provenance", "Source"]
