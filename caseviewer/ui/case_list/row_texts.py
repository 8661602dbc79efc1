"""What a case table row shows: a list record's column texts, made safe to draw.

One place for the texts both table models draw (``case_table_model`` online, ``store_table_model``
offline) and the triage menus quote: service text without bidi overrides or line breaks, the
created time in local time, the case type in words. Pure functions of a ``CaseRecord``; the
models decide when to work them out and how long to keep them.
"""

from __future__ import annotations

from typing import NamedTuple

from caseviewer.core import timestamps, vocabulary
from caseviewer.core.models import CaseRecord
from caseviewer.core.people import list_extras
from caseviewer.core.status import pretty_status
from caseviewer.core.vocabulary import Vocab

# Bidirectional overrides in service text could visually reorder a cell; they are dropped for
# display (the raw record keeps them).
_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"), None
)
#: What a cell shows for a missing value.
MISSING = "—"


def display_text(value: str | None) -> str:
    """Service text made safe to show in a cell: no bidi overrides, no line breaks."""
    if not value:
        return ""
    return " ".join(value.translate(_BIDI_CONTROLS).split())


def format_created(value: str | None) -> str:
    text = timestamps.format_local(value)  # local time; None at the edges of the calendar
    return text if text is not None else display_text(value)


class RowView(NamedTuple):
    """What the table draws for one row: the column texts plus the raw values behind them."""

    texts: tuple[str, ...]
    status_code: str
    created_at: str | None


def row_view(record: CaseRecord) -> RowView:
    """The row's texts in the order of ``CaseTableModel.HEADERS``."""
    texts = (
        display_text(record.business_name),
        display_text(record.applicant_name),
        pretty_status(record.status_code),
        format_created(record.created_at),
        record.id or "",
        record.applicant_id or "",
        *extra_texts(record),
        "",  # COL_FLAG: the reviewer's, not the record's (see CaseTableModel.triage)
    )
    return RowView(texts, record.status_code, record.created_at)


def extra_texts(record: CaseRecord) -> tuple[str, str, str]:
    """Case type (in words), assignee and trading name: the list's fields beyond its document."""
    case_type, assignee, dba = list_extras(record)
    kind = vocabulary.label(Vocab.LIST_CASE_TYPE, case_type) if case_type else ""
    return display_text(kind), display_text(assignee), display_text(dba)


__all__ = ["MISSING", "RowView", "display_text", "extra_texts", "format_created", "row_view"]
