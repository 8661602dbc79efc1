"""``caseviewer export`` (a case dossier as PDF) and ``caseviewer list`` (the case list, as CSV).

``export CASE_ID|EMAIL --pdf FILE [--attachments] [--offline]`` renders the same dossier as the
window's File > Export case as PDF… (Qt draws it, offscreen: no window opens), with the
reviewer's flag and private note from the profile's encrypted cache. ``list`` takes the
table's query options (status filter, search, sort, created-date range) and prints the matching
cases, or with ``--csv`` writes them as spreadsheet-safe CSV (UTF-8 with BOM, formulas
neutralised, ISO dates) to stdout or ``--output FILE`` (written atomically, mode 0600). The CLI
asks no confirmation: the user named the destination.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

from caseviewer.cli.commands import add_command
from caseviewer.core import errors
from caseviewer.core.query import CaseQuery, SearchField, SortField

_SORTS = {"created": SortField.CREATED_AT, "business": SortField.BUSINESS_NAME}
_SEARCH_FIELDS = {
    "business": SearchField.BUSINESS_NAME,
    "case-id": SearchField.CASE_ID,
    "first-name": SearchField.FIRST_NAME,
    "last-name": SearchField.LAST_NAME,
}


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _status_id(text: str) -> int:
    from caseviewer.core.models import LIST_STATUS_CODES  # pydantic: only when a --status is given

    value = text.strip().upper().replace(" ", "_").replace("-", "_")
    if value.isdigit() and int(value) in LIST_STATUS_CODES:
        return int(value)
    ids_by_code = {code: status_id for status_id, code in LIST_STATUS_CODES.items()}
    if value in ids_by_code:
        return ids_by_code[value]
    raise argparse.ArgumentTypeError(f"unknown status {text!r} (use a code such as UNDER_MANUAL_REVIEW, or its number)")


def register(commands, parents) -> None:
    export = add_command(commands, "export", cmd_export, parents, "export one case as a PDF dossier",
                         "Write the case dossier (summary, timeline, every section, attachment index) as a PDF.")
    export.add_argument("case", metavar="CASE_ID|EMAIL")
    export.add_argument("--pdf", required=True, metavar="FILE", help="the PDF file to write (replaced if it exists)")
    export.add_argument("--attachments", action="store_true",
                        help="include attachments: images and text inline, PDF attachments appended")

    listing = add_command(commands, "list", cmd_list, parents, "list cases (or export them as CSV)",
                          "List the customer's cases with the table's filters; --csv writes spreadsheet-safe CSV.")
    listing.add_argument("--csv", action="store_true", help="write CSV (UTF-8 with BOM, formulas neutralised)")
    listing.add_argument("--output", "-o", metavar="FILE", help="write to FILE (atomically, mode 0600) instead of stdout")
    listing.add_argument("--status", action="append", type=_status_id, default=[], metavar="CODE",
                         help="only this status (code or number; repeatable)")
    listing.add_argument("--search", default="", metavar="TEXT", help="search text")
    listing.add_argument("--search-field", action="append", choices=sorted(_SEARCH_FIELDS), default=None,
                         help="field the search looks in (repeatable; default business)")
    listing.add_argument("--sort", choices=sorted(_SORTS), default="created", help="sort key (default created)")
    order = listing.add_mutually_exclusive_group()
    order.add_argument("--asc", action="store_true", help="ascending (default: newest or Z first)")
    order.add_argument("--desc", action="store_true", help="descending (the default)")
    listing.add_argument("--created-from", type=_iso_date, metavar="DATE", help="created on or after DATE (YYYY-MM-DD)")
    listing.add_argument("--created-to", type=_iso_date, metavar="DATE", help="created on or before DATE (YYYY-MM-DD)")
    listing.add_argument("--page-size", type=int, default=100, metavar="N", help="records per request (default 100)")


def _query(args: argparse.Namespace) -> CaseQuery:
    if not 1 <= args.page_size <= 1000:
        raise errors.UsageError("--page-size must be between 1 and 1000.")
    if args.created_from and args.created_to and args.created_from > args.created_to:
        raise errors.UsageError("--created-from is after --created-to.")
    fields = tuple(_SEARCH_FIELDS[name] for name in (args.search_field or ["business"]))
    return CaseQuery(
        items_per_page=args.page_size,
        sort_field=_SORTS[args.sort],
        descending=not args.asc,
        statuses=tuple(dict.fromkeys(args.status)),
        search=args.search,
        search_fields=fields,
        created_from=args.created_from,
        created_to=args.created_to,
    )


def cmd_list(args: argparse.Namespace) -> int:
    from caseviewer.core.export.csv_export import ALL_COLUMNS, cell, to_csv
    from caseviewer.core.export.list_job import export_list_csv, gather

    query = _query(args)
    repository = args.open_repository()
    try:
        if args.output:
            result = export_list_csv(args.output, fetch_page=repository.list_page, query=query)
            print(f"wrote {result.rows} case{'s' if result.rows != 1 else ''} to {result.path}", file=sys.stderr)
            return errors.EXIT_OK
        records = gather(repository.list_page, query)
    finally:
        repository.close()
    if args.csv:
        sys.stdout.buffer.write(to_csv(records).encoded())
        sys.stdout.flush()
        return errors.EXIT_OK
    from caseviewer.ui.formatting import one_line  # plain-text hygiene for the terminal

    for record in records:
        print("  ".join(one_line(cell(record, column), 60) or "-" for column in ALL_COLUMNS))
    return errors.EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window: render without a display
    from PySide6.QtGui import QGuiApplication

    from caseviewer.core.export.dossier_content import AttachmentUse
    from caseviewer.core.cache_service import reviewer_state
    from caseviewer.ui.export.jobs import export_dossier

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # fonts for the layout
    repository = args.open_repository()
    try:
        is_email = "@" in args.case
        result = repository.open_case(None if is_email else args.case, email=args.case if is_email else None)
        if result.detail is None:
            raise errors.NotFound(result.detail_note or "No detail for this case.")
        state = reviewer_state(repository)  # flag and note
        built = export_dossier(result, args.pdf, repository.download_attachment, attachments=args.attachments,
                               reviewer_state=state)
    finally:
        repository.close()
    del app
    for entry in built.dossier.attachments:
        if entry.use in (AttachmentUse.DAMAGED, AttachmentUse.UNAVAILABLE, AttachmentUse.UNSUPPORTED):
            print(f"caseviewer: attachment A{entry.number} not included: {entry.reason}", file=sys.stderr)
    pdf = built.pdf
    print(f"wrote {built.path} ({pdf.pages} pages: {pdf.body_pages} dossier + {pdf.attachment_pages} attachment)")
    return errors.EXIT_OK


__all__ = ["register"]
