"""The list export as one job: gather the records, write the CSV atomically, record the export.

Runs on a worker (the window) or in the CLI process. ``records`` given: exactly those (the rows
the table has loaded); otherwise every page of ``query`` is fetched through ``fetch_page``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from caseviewer.core.query import CaseQuery
from caseviewer.core.export.csv_export import ALL_COLUMNS, ListColumn, collect_records, to_csv
from caseviewer.core.export.writing import ExportKind, ExportRecord, os_user, record_export, write_export
from caseviewer.core.models import CaseRecord
from caseviewer.core.packed_rows import unpack_record


@dataclass(frozen=True)
class CsvExportResult:
    path: Path | None  # None when written to a stream
    rows: int


def gather(
    fetch_page: Callable | None,
    query: CaseQuery | None,
    *,
    packed: Sequence[bytes] | None = None,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[CaseRecord]:
    """The records to export: the packed table rows, or every page of ``query``."""
    if packed is not None:
        records = []
        for done, blob in enumerate(packed, 1):
            records.append(unpack_record(blob))
            if progress is not None and done % 2000 == 0:
                progress(done, len(packed))
        return records
    assert fetch_page is not None and query is not None
    return collect_records(fetch_page, query, cancel=cancel, progress=progress)


def export_list_csv(
    path: Path | str,
    *,
    fetch_page: Callable | None = None,
    query: CaseQuery | None = None,
    packed: Sequence[bytes] | None = None,
    columns: Sequence[ListColumn] = ALL_COLUMNS,
    cancel: threading.Event | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CsvExportResult:
    records = gather(fetch_page, query, packed=packed, cancel=cancel, progress=progress)
    csv_text = to_csv(records, columns)
    final = write_export(path, csv_text.encoded())
    record_export(ExportRecord(ExportKind.LIST_CSV, str(final), tuple(r.id for r in records if r.id), os_user()))
    return CsvExportResult(final, csv_text.count)


__all__ = ["CsvExportResult", "export_list_csv", "gather"]
