"""The case list as CSV a spreadsheet opens safely: UTF-8 with a BOM, ISO dates, no live formulas.

CSV injection: a spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in
some tools, a tab or carriage return) as a formula, so a business name like ``=HYPERLINK(...)``
from the service would run when the reviewer opens the file. ``neutralise`` prefixes such a cell
with ``'``, which spreadsheets show as text and do not evaluate (OWASP's recommendation). Every
other character (quotes, line breaks, right-to-left text) is kept and quoted by ``csv``, so the
file opens as the same cells.

Columns are the table's (same titles, same order); the window passes the ones visible in its
view, the CLI takes all of them or ``--columns``.
"""

from __future__ import annotations

import csv
import enum
import io
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import timezone

from caseviewer.core.people import list_extras
from caseviewer.core.vocabulary import Vocab, label
from caseviewer.core import errors
from caseviewer.core.query import CasePage, CaseQuery
from caseviewer.core.models import CaseRecord
from caseviewer.core import timestamps

#: A cell starting with one of these is read as a formula by some spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

BOM = "\ufeff"


def neutralise(text: str) -> str:
    """``=1+1`` -> ``'=1+1``; anything else unchanged."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def iso_timestamp(value: str | None) -> str:
    """A timestamp as ISO 8601 (UTC with ``Z`` when it has a zone); as sent when unreadable."""
    if not value:
        return ""
    moment = timestamps.parse(value)
    if moment is None:
        return value
    try:
        if moment.tzinfo is not None:
            return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
        return moment.isoformat(timespec="seconds")
    except (OverflowError, ValueError):
        return value


class ListColumn(str, enum.Enum):
    """The case list's columns, in the table's order (``CaseTableModel.HEADERS``)."""

    BUSINESS = "business"
    APPLICANT = "applicant"
    STATUS = "status"
    CREATED = "created"
    CASE_ID = "case_id"
    APPLICANT_ID = "applicant_id"
    CASE_TYPE = "case_type"
    ASSIGNEE = "assignee"
    DBA = "dba_name"

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    ListColumn.BUSINESS: "Business name",
    ListColumn.APPLICANT: "Applicant",
    ListColumn.STATUS: "Status",
    ListColumn.CREATED: "Created",
    ListColumn.CASE_ID: "Case ID",
    ListColumn.APPLICANT_ID: "Applicant ID",
    ListColumn.CASE_TYPE: "Case type",
    ListColumn.ASSIGNEE: "Assignee",
    ListColumn.DBA: "Trading name (DBA)",
}

ALL_COLUMNS: tuple[ListColumn, ...] = tuple(ListColumn)


def status_text(record: CaseRecord) -> str:
    """The list service's own label for the status, else its code."""
    if record.status is not None and record.status.label:
        return record.status.label
    return record.status_label or record.status_code


def cell(record: CaseRecord, column: ListColumn) -> str:
    if column in (ListColumn.CASE_TYPE, ListColumn.ASSIGNEE, ListColumn.DBA):
        case_type, assignee, dba = list_extras(record)
        if column is ListColumn.CASE_TYPE:
            return label(Vocab.LIST_CASE_TYPE, case_type) if case_type else ""
        return assignee if column is ListColumn.ASSIGNEE else dba
    if column is ListColumn.BUSINESS:
        return record.business_name or ""
    if column is ListColumn.APPLICANT:
        return record.applicant_name
    if column is ListColumn.STATUS:
        return status_text(record)
    if column is ListColumn.CREATED:
        return iso_timestamp(record.created_at)
    if column is ListColumn.CASE_ID:
        return record.id or ""
    return record.applicant_id or ""


def rows(records: Iterable[CaseRecord], columns: Sequence[ListColumn]) -> Iterator[list[str]]:
    """The header row, then one neutralised row per record."""
    yield [column.title for column in columns]
    for record in records:
        yield [neutralise(cell(record, column)) for column in columns]


@dataclass
class CsvText:
    text: str
    count: int

    def encoded(self) -> bytes:
        """UTF-8 with a BOM, so spreadsheet tools do not guess a legacy code page."""
        return (BOM + self.text).encode("utf-8")


def to_csv(records: Iterable[CaseRecord], columns: Sequence[ListColumn] = ALL_COLUMNS) -> CsvText:
    """The records as CSV text (CRLF line ends, RFC 4180 quoting), without the BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    count = -1
    for count, row in enumerate(rows(records, columns)):
        writer.writerow(row)
    return CsvText(buffer.getvalue(), max(0, count))


def collect_records(
    fetch_page: Callable[..., CasePage],
    query: CaseQuery,
    *,
    all_pages: bool = True,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[CaseRecord]:
    """Every record of ``query`` from page 1 (or only ``query.page``), reporting pages done/total.

    ``fetch_page(query, cancel=...)`` is ``CaseRepository.list_page``. Stops on a page that adds
    no new case ids or once the service's total is reached, so a list that repeats itself cannot
    loop forever.
    """
    page_query = query.with_page(1) if all_pages else query
    found: list[CaseRecord] = []
    seen: set[str] = set()
    while True:
        if cancel is not None and cancel.is_set():
            raise errors.Cancelled("Export cancelled.")
        page = fetch_page(page_query, cancel=cancel)
        fresh = [r for r in page.records if r.id is None or r.id not in seen]
        seen.update(r.id for r in fresh if r.id is not None)
        found.extend(fresh)
        if progress is not None:
            progress(page.query.page, max(page.total_pages, page.query.page))
        if not all_pages or page.is_last or not fresh or (page.total_items and len(found) >= page.total_items):
            return found
        page_query = page_query.with_page(page.query.page + 1)


__all__ = [
    "ALL_COLUMNS",
    "BOM",
    "CsvText",
    "FORMULA_PREFIXES",
    "ListColumn",
    "cell",
    "collect_records",
    "iso_timestamp",
    "neutralise",
    "rows",
    "status_text",
    "to_csv",
]
