"""Small conversions every cache store shares: stored times and JSON text."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any

from caseviewer.core.models import CaseRecord

#: Compact and not ASCII-escaped: what is stored is the text as sent, in as few bytes as it takes.
#: No check for circular references: what it encodes is parsed JSON (a tree), and the check cost
#: a fifth of the encoding (a re-sync encodes every listed record for its fingerprint); the
#: output is the same.
JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def fingerprint(text: str) -> str:
    """A short stable digest of a stored JSON text: equal texts, equal fingerprints (a sync
    compares a listed record's with the one it kept, to skip a case the list says is unchanged)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


#: What begins a fingerprint of a record's text as sent (``sent_fingerprint``). A
#: ``fingerprint`` is bare hex, so the two never compare equal: a case synced under the other
#: form is fetched again once, never skipped on a fingerprint that means something else.
SENT_PREFIX = "s:"


def sent_fingerprint(text_as_sent: str) -> str:
    """The fingerprint of a list record from its JSON text as the service sent it: a re-sync
    compares these without encoding each record again (that cost 13% of a re-sync). Equal texts
    sent, equal fingerprints; any change in what was sent changes it."""
    return SENT_PREFIX + hashlib.blake2b(text_as_sent.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def record_text(raw: Any) -> str:
    """A list record's JSON as it is stored (``JSON.encode`` of what was sent)."""
    return JSON.encode(raw)


def record_fingerprint(raw: Any) -> str:
    """The fingerprint of a list record as it is stored (``record_text``)."""
    return fingerprint(record_text(raw))


def utc(seconds: float | None) -> datetime | None:
    """A stored time (seconds since the epoch) as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, timezone.utc) if seconds is not None else None


def record_json(record: CaseRecord | dict[str, Any] | None) -> dict[str, Any] | None:
    """A list record as the JSON object to store (a dict is taken as already raw)."""
    if record is None or isinstance(record, dict):
        return record
    return record.model_dump(mode="json", by_alias=True, exclude_unset=True)


__all__ = ["JSON", "SENT_PREFIX", "fingerprint", "record_fingerprint", "record_json", "record_text", "sent_fingerprint", "utc"]
