"""Small conversions every cache store shares: stored times and JSON text."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from caseviewer.core.models import CaseRecord

#: Compact and not ASCII-escaped: what is stored is the text as sent, in as few bytes as it takes.
JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def utc(seconds: float | None) -> datetime | None:
    """A stored time (seconds since the epoch) as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, timezone.utc) if seconds is not None else None


def record_json(record: CaseRecord | dict[str, Any] | None) -> dict[str, Any] | None:
    """A list record as the JSON object to store (a dict is taken as already raw)."""
    if record is None or isinstance(record, dict):
        return record
    return record.model_dump(mode="json", by_alias=True, exclude_unset=True)


__all__ = ["JSON", "record_json", "utc"]
