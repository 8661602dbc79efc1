"""Saved views of the case list: a name plus filters, sort, columns and a triage filter.

A view is a plain value (``SavedView``) that round-trips through JSON, kept in the settings file
(``ui.ini``), which is plain text: so a view never holds PHI. It keeps the status filter, the
created-date range, the search *scope*, the sort, the visible columns and the triage filter (new /
updated / flagged); it does not keep search text, which is often a person's name.

Built-in views (All cases, New, Updated since I looked, Flagged, one per status group) are made
by the caller and cannot be renamed or deleted; the reviewer's own views can be added, renamed,
reordered and deleted with the pure functions below.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

MAX_NAME = 60


class TriageFilter(enum.Enum):
    """Which rows of the list a view shows by the reviewer's own state. Values are stored."""

    ALL = "all"
    NEW = "new"
    UPDATED = "updated"
    FLAGGED = "flagged"


@dataclass(frozen=True)
class SavedView:
    name: str
    statuses: tuple[int, ...] = ()
    created_from: date | None = None
    created_to: date | None = None
    search_fields: tuple[str, ...] = ()  # SearchField values; () = the current scope
    sort_column: int | None = None
    descending: bool = True
    hidden_columns: tuple[int, ...] | None = None  # None: leave the columns as they are
    triage: TriageFilter = TriageFilter.ALL
    builtin: bool = field(default=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "statuses": list(self.statuses),
            "created_from": self.created_from.isoformat() if self.created_from else None,
            "created_to": self.created_to.isoformat() if self.created_to else None,
            "search_fields": list(self.search_fields),
            "sort_column": self.sort_column,
            "descending": self.descending,
            "hidden_columns": list(self.hidden_columns) if self.hidden_columns is not None else None,
            "triage": self.triage.value,
        }

    @classmethod
    def from_dict(cls, data: Any) -> SavedView | None:
        """A stored view, or None when it is unusable (a damaged settings file loses one view, not all)."""
        if not isinstance(data, dict):
            return None
        try:
            name = clean_name(str(data.get("name", "")))
            def day(value: Any) -> date | None:
                return date.fromisoformat(value) if isinstance(value, str) and value else None
            hidden = data.get("hidden_columns")
            return cls(
                name=name,
                statuses=tuple(int(s) for s in data.get("statuses") or ()),
                created_from=day(data.get("created_from")),
                created_to=day(data.get("created_to")),
                search_fields=tuple(str(f) for f in data.get("search_fields") or ()),
                sort_column=int(data["sort_column"]) if data.get("sort_column") is not None else None,
                descending=bool(data.get("descending", True)),
                hidden_columns=tuple(int(c) for c in hidden) if isinstance(hidden, list) else None,
                triage=TriageFilter(data.get("triage", "all")),
            )
        except (TypeError, ValueError):
            return None


def clean_name(name: str) -> str:
    """A view name: one line, trimmed, not empty, at most ``MAX_NAME`` characters (ValueError)."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("A view needs a name.")
    if len(name) > MAX_NAME:
        raise ValueError(f"A view name can have at most {MAX_NAME} characters.")
    return name


def encode(views: tuple[SavedView, ...]) -> str:
    return json.dumps([view.to_dict() for view in views if not view.builtin])


def decode(text: str | None) -> tuple[SavedView, ...]:
    try:
        data = json.loads(text or "[]")
    except (ValueError, RecursionError):
        return ()
    views = (SavedView.from_dict(item) for item in data) if isinstance(data, list) else ()
    return tuple(view for view in views if view is not None)


def _check_unique(views: tuple[SavedView, ...], name: str, builtins: tuple[SavedView, ...]) -> None:
    if any(v.name.casefold() == name.casefold() for v in views + builtins):
        raise ValueError(f"There is already a view called \u201c{name}\u201d.")


def add(views: tuple[SavedView, ...], view: SavedView, builtins: tuple[SavedView, ...] = ()) -> tuple[SavedView, ...]:
    name = clean_name(view.name)
    _check_unique(views, name, builtins)
    return views + (replace(view, name=name, builtin=False),)


def rename(views: tuple[SavedView, ...], index: int, name: str,
           builtins: tuple[SavedView, ...] = ()) -> tuple[SavedView, ...]:
    name = clean_name(name)
    others = views[:index] + views[index + 1:]
    _check_unique(others, name, builtins)
    return others[:index] + (replace(views[index], name=name),) + others[index:]


def move(views: tuple[SavedView, ...], index: int, delta: int) -> tuple[SavedView, ...]:
    target = index + delta
    if not (0 <= index < len(views) and 0 <= target < len(views)):
        return views
    items = list(views)
    items[index], items[target] = items[target], items[index]
    return tuple(items)


def delete(views: tuple[SavedView, ...], index: int) -> tuple[SavedView, ...]:
    return views[:index] + views[index + 1:] if 0 <= index < len(views) else views


__all__ = ["SavedView", "TriageFilter", "add", "clean_name", "decode", "delete", "encode", "move", "rename"]
