"""What the app asks the two services for: the case list query and its page, the detail's format.

Plain values with no HTTP in them (``core/api.py`` turns them into requests), so the cache, the
exports and the window can build and compare queries without importing a client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from caseviewer.core.provenance import Provenance

if TYPE_CHECKING:  # not at run time: the query types are read before the pydantic models are built
    from caseviewer.core.models import CaseRecord




class SortField(str, Enum):
    CREATED_AT = "data_cases.created_at"
    BUSINESS_NAME = "data_businesses.name"


class SearchField(str, Enum):
    BUSINESS_NAME = "data_businesses.name"
    CASE_ID = "data_cases.id"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"


@dataclass(frozen=True)
class CaseQuery:
    """What the table asks the list service for. Immutable so it can key caches and requests."""

    page: int = 1
    items_per_page: int = 20
    sort_field: SortField = SortField.CREATED_AT
    descending: bool = True
    statuses: tuple[int, ...] = ()
    search: str = ""
    search_fields: tuple[SearchField, ...] = (SearchField.BUSINESS_NAME,)
    created_from: date | datetime | None = None
    created_to: date | datetime | None = None
    paginate: bool = True

    def with_page(self, page: int) -> "CaseQuery":
        return CaseQuery(**{**self.__dict__, "page": page})

    def params(self) -> list[tuple[str, str]]:
        """Query parameters as the service's own web client sends them (qs-style brackets).

        httpx percent-encodes the brackets (``sort%5B...%5D``) exactly as a browser does.
        """
        params: list[tuple[str, str]] = []
        if self.paginate:
            params += [("page", str(self.page)), ("items_per_page", str(self.items_per_page))]
        else:
            params.append(("pagination", "false"))
        params.append((f"sort[{self.sort_field.value}]", "DESC" if self.descending else "ASC"))
        for index, status_id in enumerate(self.statuses):
            params.append((f"filter[data_cases.status][{index}]", str(status_id)))
        if self.created_from is not None or self.created_to is not None:
            # The service wants both ends of the range; an open end becomes a far-away date.
            start = self.created_from.isoformat() if self.created_from is not None else "1970-01-01"
            end = self.created_to.isoformat() if self.created_to is not None else "9999-12-31"
            params.append(("filter_date[data_cases.created_at][0]", start))
            params.append(("filter_date[data_cases.created_at][1]", end))
        text = self.search.strip()
        if text:
            for search_field in self.search_fields:
                params.append((f"search[{search_field.value}]", text))
        return params


@dataclass
class CasePage:
    """One page of the case list, with the query that produced it, the raw JSON, and where it came
    from (the list service, or the offline cache with when its oldest record was fetched)."""

    query: CaseQuery
    records: list[CaseRecord]
    total_pages: int
    total_items: int
    raw: dict[str, Any] = field(repr=False, default_factory=dict)
    provenance: Provenance = field(default_factory=Provenance.network)

    @property
    def is_last(self) -> bool:
        return self.query.page >= self.total_pages or not self.query.paginate


class DocumentFormat(str, Enum):
    """How the detail service sends attachment bodies: inline base64 or a signed URL."""

    BASE64 = "base64"
    URL = "url"


__all__ = ["CasePage", "CaseQuery", "DocumentFormat", "SearchField", "SortField"]
