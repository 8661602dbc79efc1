"""The list service's query language: paging, sort, status/date filters and search.

Parameters arrive qs-style (``sort[data_cases.created_at]=DESC``,
``filter[data_cases.status][0]=4``), usually percent-encoded; ``parse_qsl`` has decoded them by
the time they get here. Semantics:

* ``page`` 1-based (default 1), ``items_per_page`` (default 20), ``pagination=false`` = all rows.
* The first ``sort[...]`` key in the query string wins; default ``created_at`` DESC. Ties keep
  the default order (newest first), so paging is stable.
* ``filter[data_cases.status][n]`` numeric status ids, OR-ed.
* ``filter_date[data_cases.created_at][0|1]`` inclusive start/end, ISO date or date-time; a bare
  end date covers that whole day (UTC).
* ``search[data_businesses.name|data_cases.id|first_name|last_name]`` case-insensitive
  substring; several search keys are OR-ed, as the real web client sends them.
* ``page`` beyond ``total_pages`` (when there are pages) is a 400, like the real service.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from caseviewer.demo.data import DemoData

SORT_KEYS = {"data_cases.created_at": "created", "data_businesses.name": "business"}
SEARCH_KEYS = {"data_businesses.name": "business", "data_cases.id": "id",
               "first_name": "first", "last_name": "last"}


class QueryError(ValueError):
    """A query the real service would reject with 400 ``{"status":"fail", ...}``."""


@dataclass
class ListQuery:
    page: int = 1
    items_per_page: int = 20
    paginate: bool = True
    sort_column: str = "created"
    descending: bool = True
    statuses: set[int] = field(default_factory=set)
    start_ms: int | None = None
    end_ms: int | None = None
    searches: list[tuple[str, str]] = field(default_factory=list)


def _int(value: str, name: str, minimum: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise QueryError(f'"{name}" must be a number') from None
    if number < minimum:
        raise QueryError(f'"{name}" must be greater than or equal to {minimum}')
    return number


def _instant_ms(value: str, end: bool) -> int:
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.max if end else time.min, tzinfo=timezone.utc)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
    except ValueError:
        raise QueryError(f"Invalid date: {value}") from None
    ms = moment.timestamp() * 1000
    return math.floor(ms) if end else math.ceil(ms)


def parse(pairs: list[tuple[str, str]]) -> ListQuery:
    """Turn decoded query pairs into a ListQuery (raises QueryError for what would be a 400)."""
    query = ListQuery()
    sort_seen = False
    for key, value in pairs:
        if key == "page":
            query.page = _int(value, "page", 1)
        elif key == "items_per_page":
            query.items_per_page = _int(value, "items_per_page", 1)
        elif key == "pagination":
            query.paginate = value.strip().lower() != "false"
        elif key.startswith("sort[") and key.endswith("]"):
            column = SORT_KEYS.get(key[5:-1])
            if column is None or sort_seen:
                continue  # unknown sort keys are ignored; the first known key wins
            direction = value.strip().upper()
            if direction not in ("ASC", "DESC"):
                raise QueryError(f"Invalid sort order: {value}")
            query.sort_column, query.descending, sort_seen = column, direction == "DESC", True
        elif key.startswith("filter[data_cases.status]"):
            query.statuses.add(_int(value, "filter[data_cases.status]", 0))
        elif key.startswith("filter_date[data_cases.created_at]"):
            if key.endswith("[1]"):
                query.end_ms = _instant_ms(value, end=True)
            else:
                query.start_ms = _instant_ms(value, end=False)
        elif key.startswith("search[") and key.endswith("]"):
            column = SEARCH_KEYS.get(key[7:-1])
            if column and value.strip():
                query.searches.append((column, value.strip().lower()))
    return query


def matching_indices(data: DemoData, query: ListQuery) -> list[int]:
    """Indices of matching cases in the requested order."""
    indices: list[int] | range = range(data.cases)
    if query.statuses:
        status = data.column("status")
        indices = [i for i in indices if status[i] in query.statuses]
    if query.start_ms is not None or query.end_ms is not None:
        created = data.column("created")
        low = query.start_ms if query.start_ms is not None else -math.inf
        high = query.end_ms if query.end_ms is not None else math.inf
        indices = [i for i in indices if low <= created[i] <= high]
    if query.searches:
        columns = {name: data.column(name) for name, _ in query.searches}
        indices = [
            i for i in indices
            if any(text in columns[name][i].lower() for name, text in query.searches)
        ]
    if query.sort_column == "created":
        # created_at falls as the index grows, so DESC is index order.
        ordered = list(indices)
        if not query.descending:
            ordered.reverse()
        return ordered
    if isinstance(indices, range):
        # The unfiltered name order is asked for on every page turn: compute it once.
        return list(data.memo(f"by-name:{query.descending}",
                              lambda: _by_name(data, indices, query.descending)))
    return _by_name(data, indices, query.descending)


def _by_name(data: DemoData, indices: list[int] | range, descending: bool) -> list[int]:
    # sorted() is stable even with reverse=True, so equal names stay newest-first.
    names = data.column("business")
    return sorted(indices, key=lambda i: names[i].lower(), reverse=descending)


def page_body(data: DemoData, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """The success body for a list request (raises QueryError for a 400)."""
    query = parse(pairs)
    indices = matching_indices(data, query)
    total = len(indices)
    if not query.paginate:
        chosen = indices
        total_pages = 1 if total else 0
    else:
        total_pages = math.ceil(total / query.items_per_page)
        if total_pages and query.page > total_pages:
            raise QueryError("Page Requested is Out of Max Page Range")
        start = (query.page - 1) * query.items_per_page
        chosen = indices[start:start + query.items_per_page]
    return {
        "status": "success",
        "message": "Success",
        "data": {
            "records": [data.list_record(i) for i in chosen],
            "total_pages": total_pages,
            "total_items": total,
        },
    }
