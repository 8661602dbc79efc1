"""The dossier's structure: typed cells, blocks, sections, attachment entries (no Qt, no I/O).

``core/export/dossier_content.py`` fills it from a case; ``ui/export/`` renders it. Values that
need display formatting (timestamps, money, codes, yes/no) are typed cells (``Stamp``, ``Money``,
``Code``, ``Flag``, ``Size``, ``Free``) so the renderer words them exactly as the window does;
every other string is service text, which the renderer escapes and never interprets as markup.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Union

from caseviewer.core.models import Attachment, ThreadKind
from caseviewer.core.timeline import TimelineEvent
from caseviewer.core.vocabulary import Vocab

# -- typed cells ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stamp:
    """A timestamp as the service sent it; the renderer shows it in local time."""

    raw: str | None


@dataclass(frozen=True)
class Money:
    raw: str | None
    currency: str | None = None


@dataclass(frozen=True)
class Code:
    """A code such as ``IN_PROGRESS``, worded through ``core.vocabulary`` (``vocab``) when its
    family is known."""

    raw: str | None
    vocab: Vocab | None = None


@dataclass(frozen=True)
class Flag:
    value: bool | None


@dataclass(frozen=True)
class Size:
    value: int | None


@dataclass(frozen=True)
class Free:
    """A free-form value (activity before/after): shown as compact text."""

    value: Any


@dataclass(frozen=True)
class Line:
    """Several cells on one line, joined by " — " (empty parts left out)."""

    parts: tuple[Any, ...]


Cell = Union[str, Stamp, Money, Code, Flag, Size, Free, Line, None]

# -- blocks ---------------------------------------------------------------------------------------


@dataclass
class Fields:
    """Label / value rows."""

    rows: list[tuple[str, Cell]]


@dataclass
class Table:
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


@dataclass
class Text:
    """Service text, multi-line, shown literally."""

    text: str


@dataclass
class Note:
    """A remark of the app's own ("No payments.")."""

    text: str


@dataclass
class Entry:
    """One item of a section (a decision, a comment): a heading line, marks, then blocks."""

    heading: list[Cell]
    marks: tuple[str, ...] = ()
    blocks: list["Block"] = field(default_factory=list)


Block = Union[Fields, Table, Text, Note, Entry]


class SectionKey(str, enum.Enum):
    SUMMARY = "summary"
    TIMELINE = "timeline"
    CASE = "case"
    DECISIONS = "decisions"
    COMMENTS = "comments"
    NOTES = "notes"
    PAYMENTS = "payments"
    ORDERS = "orders"
    CALENDAR = "calendar"
    ACTIVITY = "activity"
    FORMS = "forms"
    PRODUCTS = "products"
    REVIEWER = "reviewer"
    ATTACHMENTS = "attachments"


#: Section titles as they appear in the PDF (the tests look for each).
SECTION_TITLES: dict[SectionKey, str] = {
    SectionKey.SUMMARY: "At a glance",
    SectionKey.TIMELINE: "Timeline",
    SectionKey.CASE: "Case record",
    SectionKey.DECISIONS: "Decisions",
    SectionKey.COMMENTS: ThreadKind.PUBLIC_COMMENT.heading,
    SectionKey.NOTES: ThreadKind.INTERNAL_NOTE.heading,
    SectionKey.PAYMENTS: "Payments",
    SectionKey.ORDERS: "Orders",
    SectionKey.CALENDAR: "Calendar",
    SectionKey.ACTIVITY: "Activity",
    SectionKey.FORMS: "Form answers",
    SectionKey.PRODUCTS: "Products",
    SectionKey.REVIEWER: "Reviewer's note and flag",
    SectionKey.ATTACHMENTS: "Attachments",
}


@dataclass
class Section:
    key: SectionKey
    blocks: list[Block]

    @property
    def title(self) -> str:
        return SECTION_TITLES[self.key]


# -- attachments ----------------------------------------------------------------------------------


class AttachmentUse(str, enum.Enum):
    """What the dossier does with an attachment."""

    LISTED = "listed"  # attachments were not asked for: index only
    IMAGE = "image"  # embedded at readable size
    TEXT = "text"  # inlined
    PDF = "pdf"  # appended page for page
    UNSUPPORTED = "unsupported"
    DAMAGED = "damaged"
    UNAVAILABLE = "unavailable"  # could not be fetched (offline, expired link, deleted)

    @property
    def included(self) -> bool:
        return self in (AttachmentUse.IMAGE, AttachmentUse.TEXT, AttachmentUse.PDF)


@dataclass
class AttachmentEntry:
    number: int  # 1-based, as cited in the index ("A3")
    where: str  # "Case", "Comment" or "Internal note"
    attachment: Attachment
    use: AttachmentUse = AttachmentUse.LISTED
    reason: str = ""
    kind_label: str = ""
    size: int | None = None
    data: bytes | None = field(default=None, repr=False)
    text: str = field(default="", repr=False)
    pdf_pages: int = 0

    @property
    def name(self) -> str:
        return self.attachment.file_name or self.attachment.id or f"attachment {self.number}"

    def mark_damaged(self, reason: str) -> None:
        self.use, self.reason, self.data, self.text, self.pdf_pages = AttachmentUse.DAMAGED, reason, None, "", 0


@dataclass(frozen=True)
class ReviewerAnnotations:
    """The reviewer's own private note and flag (the hook for the reviewer-state issue)."""

    note: str | None = None
    flag: str | None = None


@dataclass
class Dossier:
    case_id: str
    short_id: str
    title: str
    exported_by: str
    exported_at: datetime
    cover: Section
    timeline: list[TimelineEvent]
    sections: list[Section]
    attachments: list[AttachmentEntry]
    source_note: str = ""  # "From the offline cache, cached …" when not live

    @property
    def footer_id(self) -> str:
        return self.short_id or self.case_id


__all__ = [
    "AttachmentEntry", "AttachmentUse", "Block", "Cell", "Code", "Dossier", "Entry", "Fields", "Flag",
    "Free", "Line", "Money", "Note", "ReviewerAnnotations", "SECTION_TITLES", "Section", "SectionKey",
    "Size", "Stamp", "Table", "Text",
]
