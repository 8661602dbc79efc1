"""Stable identifiers and timestamps for the synthetic demo data (no randomness, no clock)."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timezone


def iso_ms(ms: int) -> str:
    """Epoch milliseconds as the services print them: ``2024-02-14T05:45:10.183Z``."""
    dt = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def make_uuid(*parts: object) -> str:
    """A version-4-shaped UUID derived from its parts (stable across runs and machines)."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=16).digest()
    return str(uuid.UUID(bytes=digest, version=4))
