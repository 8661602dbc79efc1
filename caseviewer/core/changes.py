"""What changed in a case since the reviewer last looked: fingerprints of its parts and their diff.

Pure (no I/O, no Qt). A ``Fingerprint`` is compact: per part of the case (status, decisions,
comments, notes, payments, orders, shipping logs, attachments, calendar events, activity, form
responses) a map of item id -> short digest of the item's canonical JSON. Only the status keeps
its value, so a "Changed" mark can show the earlier status; for everything else the fingerprint
holds no text, which keeps the stored copy small (the case itself is in the cache anyway).

Fingerprints are computed from the raw JSON as the detail service sent it (camelCase), like the
full-text index, so a field the models do not know still counts as a change. A list record alone
gives a partial fingerprint (``Part.LIST_STATUS``); ``diff`` compares only the parts both sides
know, so a list refresh never reports a detail part as "removed".

``CaseChanges`` is the API the case page uses: ``item_marks(part, item_id)`` -> ``Mark`` and the
earlier value, ``summary()`` for a tooltip ("Status changed, 1 new comment…").
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class Part(enum.Enum):
    """A part of a case whose items are compared one by one. Values are stored: never rename."""

    STATUS = "status"
    LIST_STATUS = "list_status"
    DECISIONS = "decisions"
    COMMENTS = "comments"
    NOTES = "notes"
    PAYMENTS = "payments"
    ORDERS = "orders"
    SHIPPING_LOGS = "shipping_logs"
    ATTACHMENTS = "attachments"
    CALENDAR = "calendar"
    ACTIVITY = "activity"
    RESPONSES = "responses"


class Mark(enum.Enum):
    """How an item looks on the case page compared with what the reviewer saw."""

    NONE = "none"
    NEW = "new"
    CHANGED = "changed"


class RowState(enum.Enum):
    """How a case looks in the table: never opened, changed since opened, or read."""

    NEW = "new"
    UPDATED = "updated"
    READ = "read"


#: Singular and plural words for the summary, by part.
_WORDS: dict[Part, tuple[str, str]] = {
    Part.DECISIONS: ("decision", "decisions"),
    Part.COMMENTS: ("comment", "comments"),
    Part.NOTES: ("note", "notes"),
    Part.PAYMENTS: ("payment", "payments"),
    Part.ORDERS: ("order", "orders"),
    Part.SHIPPING_LOGS: ("shipping log", "shipping logs"),
    Part.ATTACHMENTS: ("attachment", "attachments"),
    Part.CALENDAR: ("calendar event", "calendar events"),
    Part.ACTIVITY: ("activity entry", "activity entries"),
    Part.RESPONSES: ("form response", "form responses"),
}
#: The raw key of each list part in the detail document.
_RAW_KEYS: dict[Part, str] = {
    Part.DECISIONS: "decisions",
    Part.COMMENTS: "comments",
    Part.NOTES: "notes",
    Part.PAYMENTS: "payments",
    Part.ATTACHMENTS: "attachments",
    Part.CALENDAR: "calendarEvents",
    Part.ACTIVITY: "activity",
    Part.RESPONSES: "responses",
}
#: Fields that change on every request without the case changing (signed URLs, inline bodies).
_VOLATILE = frozenset({"url", "content", "signedUrl"})
_STATUS_ITEM = "status"


def _digest(value: Any) -> str:
    def strip(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: strip(v) for k, v in item.items() if k not in _VOLATILE}
        if isinstance(item, list):
            return [strip(v) for v in item]
        return item

    text = json.dumps(strip(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _item_id(item: Any, position: int) -> str:
    if isinstance(item, dict):
        for key in ("id", "externalId"):
            value = item.get(key)
            if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
                return str(value)
    return f"#{position}"  # no id: its place in the list is the best identity there is


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class Fingerprint:
    """Per part, item id -> digest (``STATUS``/``LIST_STATUS``: the value itself)."""

    parts: Mapping[Part, Mapping[str, str]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({part.value: dict(items) for part, items in self.parts.items()}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Fingerprint:
        """A stored fingerprint; damaged or unknown parts are dropped (they just compare as unknown)."""
        try:
            data = json.loads(text or "{}")
        except (ValueError, RecursionError):
            return cls()
        parts: dict[Part, dict[str, str]] = {}
        if isinstance(data, dict):
            for key, items in data.items():
                try:
                    part = Part(key)
                except ValueError:
                    continue
                if isinstance(items, dict):
                    parts[part] = {str(k): str(v) for k, v in items.items()}
        return cls(parts)

    def merged(self, newer: Fingerprint) -> Fingerprint:
        """This fingerprint with the parts ``newer`` knows replaced by ``newer``'s."""
        return Fingerprint({**self.parts, **newer.parts})

    @property
    def is_empty(self) -> bool:
        return not self.parts


def fingerprint_detail(raw: Mapping[str, Any] | None) -> Fingerprint:
    """The fingerprint of a raw ``caseDetail`` document (parts it lacks are left unknown)."""
    if not isinstance(raw, Mapping):
        return Fingerprint()
    parts: dict[Part, dict[str, str]] = {}
    status = raw.get("status")
    if status is not None:
        parts[Part.STATUS] = {_STATUS_ITEM: str(status)}
    for part, key in _RAW_KEYS.items():
        if key in raw:
            parts[part] = {_item_id(item, n): _digest(item) for n, item in enumerate(_items(raw.get(key)))}
    if "orders" in raw:
        orders: dict[str, str] = {}
        logs: dict[str, str] = {}
        for n, order in enumerate(_items(raw.get("orders"))):
            order_id = _item_id(order, n)
            body = {k: v for k, v in order.items() if k != "shippingLogs"} if isinstance(order, dict) else order
            orders[order_id] = _digest(body)
            for k, log in enumerate(_items(order.get("shippingLogs") if isinstance(order, dict) else None)):
                logs[shipping_log_id(order_id, k)] = _digest(log)
        parts[Part.ORDERS] = orders
        parts[Part.SHIPPING_LOGS] = logs
    return Fingerprint(parts)


def shipping_log_id(order_id: str, position: int) -> str:
    """The item id of an order's shipping log (logs have no id of their own: order + place)."""
    return f"{order_id}/log/{position}"


def fingerprint_record(status_code: str | None) -> Fingerprint:
    """The partial fingerprint a list record gives: its status code."""
    return Fingerprint({Part.LIST_STATUS: {_STATUS_ITEM: status_code}} if status_code else {})


@dataclass(frozen=True)
class PartChange:
    """What changed in one part: item ids added, changed and removed."""

    part: Part
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    #: For a status: (earlier, now).
    values: tuple[str, str] | None = None


@dataclass(frozen=True)
class CaseChanges:
    """The difference between what the reviewer saw (``before``) and a newer copy.

    ``first_view`` is True when there was nothing to compare with (the case was never opened):
    then nothing is marked, the case is simply new.
    """

    parts: tuple[PartChange, ...] = ()
    first_view: bool = False

    @property
    def any(self) -> bool:
        return bool(self.parts)

    def part(self, part: Part) -> PartChange | None:
        return next((change for change in self.parts if change.part is part), None)

    def item_marks(self, part: Part, item_id: str) -> tuple[Mark, str | None]:
        """(mark, earlier value) of one item on the case page; the earlier value only for a status."""
        change = self.part(part)
        if change is None:
            return Mark.NONE, None
        if item_id in change.added:
            return Mark.NEW, None
        if item_id in change.changed:
            return Mark.CHANGED, change.values[0] if change.values else None
        return Mark.NONE, None

    def status_mark(self) -> tuple[Mark, str | None]:
        return self.item_marks(Part.STATUS, _STATUS_ITEM)

    def summary(self) -> str:
        """One line for a tooltip: "Status changed (was OPEN); 1 changed comment; 1 new shipping log"."""
        pieces: list[str] = []
        for change in self.parts:
            if change.part in (Part.STATUS, Part.LIST_STATUS):
                if not any(p.startswith("Status") for p in pieces):
                    was = f" (was {change.values[0]})" if change.values and change.values[0] else ""
                    pieces.append(f"Status changed{was}")
                continue
            one, many = _WORDS[change.part]
            for count, how in ((len(change.added), "new"), (len(change.changed), "changed"),
                               (len(change.removed), "removed")):
                if count:
                    pieces.append(f"{count} {how} {one if count == 1 else many}")
        return "; ".join(pieces)


def diff(before: Fingerprint | None, after: Fingerprint) -> CaseChanges:
    """What ``after`` has that differs from ``before``, over the parts both know."""
    if before is None or before.is_empty:
        return CaseChanges(first_view=True)
    changes: list[PartChange] = []
    for part in Part:
        old, new = before.parts.get(part), after.parts.get(part)
        if old is None or new is None:
            continue  # one side does not know this part: no claim either way
        added = tuple(item for item in new if item not in old)
        removed = tuple(item for item in old if item not in new)
        changed = tuple(item for item in new if item in old and old[item] != new[item])
        if added or removed or changed:
            values = None
            if part in (Part.STATUS, Part.LIST_STATUS):
                values = (old.get(_STATUS_ITEM, ""), new.get(_STATUS_ITEM, ""))
                added, removed, changed = (), (), (_STATUS_ITEM,)
            changes.append(PartChange(part, added, changed, removed, values))
    return CaseChanges(tuple(changes))


def row_state(seen: Fingerprint | None, latest: Fingerprint | None, *, unread: bool = False) -> RowState:
    """The table's state of a case from what the reviewer saw and the newest copy known."""
    if seen is None:
        return RowState.NEW
    if unread:
        return RowState.UPDATED
    if latest is not None and diff(seen, latest).any:
        return RowState.UPDATED
    return RowState.READ


def changed_parts(changes: CaseChanges) -> Iterable[Part]:
    return (change.part for change in changes.parts)


__all__ = [
    "CaseChanges",
    "Fingerprint",
    "Mark",
    "Part",
    "PartChange",
    "RowState",
    "changed_parts",
    "diff",
    "fingerprint_detail",
    "fingerprint_record",
    "row_state",
    "shipping_log_id",
]
