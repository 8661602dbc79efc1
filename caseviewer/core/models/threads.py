"""A case's files and its two comment threads: attachments, public comments and internal notes.

``ThreadKind`` is the one place that says which thread a comment is in (and so whether it may be
shown to the submitter); comments and notes share one model, ``Comment``.
"""

from __future__ import annotations

from enum import Enum

from pydantic import Field

from caseviewer.core.lenient import AnyList, Bool, ListOf, Obj, Str
from caseviewer.core.models.detail_base import DetailModel
from caseviewer.core.models.users import BasicUser


class ThreadKind(str, Enum):
    """The two threads of a case, by the detail document's key for each.

    They have the same shape (``Comment``); what tells them apart is which list a comment came
    in, and this is the one place that says so: a public comment may be shown to the submitter,
    an internal note never is.
    """

    PUBLIC_COMMENT = "comments"
    INTERNAL_NOTE = "notes"

    @property
    def internal(self) -> bool:
        """Never shown to the submitter."""
        return self is ThreadKind.INTERNAL_NOTE

    @property
    def label(self) -> str:
        """What one item of the thread is called: "Comment" or "Internal note"."""
        return "Internal note" if self.internal else "Comment"

    @property
    def heading(self) -> str:
        """What the thread is called: "Comments" or "Internal notes"."""
        return self.label + "s"


#: The detail document's keys of the two threads (``comments``, ``notes``), in display order.
THREAD_LISTS = tuple(kind.value for kind in ThreadKind)

class Attachment(DetailModel):
    """A file on the case, a comment or a note: ``content`` (base64) or ``url``, never both."""

    id: Str = None
    is_restricted: Bool = None
    is_phi: Bool = Field(default=None, alias="isPHI")
    file_name: Str = None
    is_deleted: Bool = None
    created_at: Str = None
    uploaded_by: Obj[BasicUser] = None
    url: Str = None
    content: Str = None

    @property
    def encoded_size(self) -> int | None:
        """Decoded size in bytes estimated from the base64 length, without decoding it."""
        if not self.content:
            return None
        padding = self.content.count("=", max(0, len(self.content) - 2))
        return max(0, len(self.content) * 3 // 4 - padding)


class Comment(DetailModel):
    """A public comment (``comments``) or an internal note (``notes``): the same shape; which one it
    is comes from its list (``ThreadKind``, ``CaseDetail.threads``)."""

    id: Str = None
    text: Str = None
    is_restricted: Bool = None
    forms: AnyList = Field(default_factory=list)
    created_at: Str = None
    author: Obj[BasicUser] = None
    attachments: ListOf[Attachment] = Field(default_factory=list)
