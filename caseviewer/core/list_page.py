"""A page of the case list as the service sent it, for a sync: ids and raw records, models on request.

A sync reads the whole list to learn which cases changed, and on a re-sync most have not.
Building a pydantic ``CaseRecord`` for every record cost more than parsing the page (3.6 ms a
500-case page against 1.4 ms for ``json.loads``), so a ``ListedPage`` keeps the records as the
parsed JSON objects, with their ids read exactly as ``CaseRecord.id`` reads them (the same
``lenient.Str`` validator), and builds a record's model only when asked (``record``): for the
cases whose fingerprint changed. The body is parsed by ``wire.decode_json`` like every other
response, so the depth limit and the text repairs hold for it as for a ``CasePage``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from caseviewer.core import errors
from caseviewer.core.lenient import Str
from caseviewer.core.models import CaseListData, CaseRecord
from caseviewer.core.query import CaseQuery

#: ``CaseRecord.id``'s own validator, for a whole page of ids in one call.
_IDS = TypeAdapter(list[Str])


@dataclass
class ListedPage:
    """One list page: the records that are JSON objects (the ones ``CaseListData`` keeps, in
    order), their ids, and the totals the service claims."""

    query: CaseQuery
    raw_records: list[dict[str, Any]]
    ids: list[str | None]
    total_pages: int
    total_items: int
    #: Each record's JSON text as the service sent it (aligned with ``raw_records``), for its
    #: fingerprint; None when the body could not be cut into them (``wire.decode_json_elements``).
    texts: list[str] | None = None
    _models: dict[int, CaseRecord] = field(default_factory=dict, repr=False)

    @property
    def is_last(self) -> bool:
        return self.query.page >= self.total_pages or not self.query.paginate

    @property
    def start(self) -> int:
        """The list position of the page's first record."""
        return (self.query.page - 1) * self.query.items_per_page if self.query.paginate else 0

    def record(self, index: int) -> CaseRecord:
        """The model of record ``index``, built on first use."""
        model = self._models.get(index)
        if model is None:
            model = self._models[index] = CaseRecord.model_validate(self.raw_records[index])
        return model


def parse_listed_page(query: CaseQuery, body: Any, service: str, texts: list[str] | None = None) -> ListedPage:
    """``api.parse_case_page`` without the records' models: the same checks and the same totals.
    ``texts`` are the texts as sent of the elements of ``data.records``, when known."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise errors.SchemaError(
            f"The {service} answered without the expected 'data' object.", service=service, status_code=200
        )
    records = data.get("records")
    raw_records = [item for item in records if isinstance(item, dict)] if isinstance(records, list) else []
    if texts is not None and isinstance(records, list) and len(texts) == len(records):
        texts = [text for item, text in zip(records, texts) if isinstance(item, dict)]
    else:
        texts = None
    # The totals through the model itself (one small object), so they read as a CasePage's do.
    totals = CaseListData.model_validate({key: data[key] for key in ("total_pages", "total_items") if key in data})
    total_items = totals.total_items if totals.total_items is not None else len(raw_records)
    total_pages = totals.total_pages if totals.total_pages is not None else (1 if raw_records else 0)
    ids = _IDS.validate_python([item.get("id") for item in raw_records])
    return ListedPage(query, raw_records, ids, total_pages, total_items, texts)


__all__ = ["ListedPage", "parse_listed_page"]
