"""The case detail document itself (``caseDetail``) and its envelope, with the case's own log and appointments.

``CaseDetail.raw`` keeps the JSON object exactly as received; ``model_dump(by_alias=True,
exclude_unset=True)`` gives back what was received, which the round-trip tests rely on.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, PrivateAttr

from caseviewer.core.lenient import Bool, Int, LenientModel, ListOf, Obj, Str
from caseviewer.core.models.clinical import Decision, FormResponse
from caseviewer.core.models.commerce import CaseProduct, Order, Payment, ProductBundle
from caseviewer.core.models.detail_base import DetailModel
from caseviewer.core.models.threads import Attachment, Comment, ThreadKind
from caseviewer.core.models.users import AssigneeLink, BasicUser, DetailedUser


class Activity(DetailModel):
    id: Str = None
    type: Str = None
    is_phi: Bool = Field(default=None, alias="isPHI")
    is_restricted: Bool = None
    timestamp: Str = None
    # Before/after values are free-form (strings, objects, null); keep them as sent.
    value_before: Any = None
    value_after: Any = None


class CalendarEvent(DetailModel):
    id: Str = None
    start_date_time: Str = None
    end_date_time: Str = None
    timezone: Str = None
    meeting_link: Str = None
    meeting_provider: Str = None
    cancel_url: Str = Field(default=None, alias="cancelURL")
    reschedule_url: Str = Field(default=None, alias="rescheduleURL")
    provider_name: Str = None
    provider_email: Str = None


class CaseDetail(DetailModel):
    """The ``caseDetail`` object. ``raw`` holds the JSON object exactly as received."""

    id: Str = None
    type: Str = None
    title: Str = None
    status: Str = None
    short_id: Str = None
    created_at: Str = None
    updated_at: Str = None
    assigned_at: Str = None
    in_progress_at: Str = None
    closed_at: Str = None
    is_archived: Bool = None
    is_escalated: Bool = None
    is_imported: Bool = None
    referral_code: Str = None
    closed_by: Str = None
    in_progress_by: Str = None
    archive_reason: Str = None
    archive_note: Str = None
    product_bundle_id: Str = None
    product_bundle: Obj[ProductBundle] = None
    assigned_to: Obj[BasicUser] = None
    hr_rep: Obj[BasicUser] = None
    assigned_by: Obj[BasicUser] = None
    assignees: ListOf[AssigneeLink] = Field(default_factory=list)
    submitter: Obj[DetailedUser] = None
    activity: ListOf[Activity] = Field(default_factory=list)
    decisions: ListOf[Decision] = Field(default_factory=list)
    case_products: ListOf[CaseProduct] = Field(default_factory=list)
    comments: ListOf[Comment] = Field(default_factory=list)
    notes: ListOf[Comment] = Field(default_factory=list)
    payments: ListOf[Payment] = Field(default_factory=list)
    attachments: ListOf[Attachment] = Field(default_factory=list)
    calendar_events: ListOf[CalendarEvent] = Field(default_factory=list)
    orders: ListOf[Order] = Field(default_factory=list)
    responses: ListOf[FormResponse] = Field(default_factory=list)

    _raw: dict[str, Any] = PrivateAttr(default_factory=dict)
    _as_sent: str | None = PrivateAttr(default=None)

    @property
    def raw(self) -> dict[str, Any]:
        return self._raw

    @property
    def as_sent(self) -> str | None:
        """The response as the service sent it, when reading it replaced something (a lone
        surrogate, a byte invalid in its encoding; ``wire.sent_text_if_altered``); else None."""
        return self._as_sent

    @property
    def is_open(self) -> bool:
        """Open is read from ``isArchived``, never from ``closedAt`` (a closed case can still be open)."""
        return not self.is_archived

    def thread(self, kind: ThreadKind) -> list[Comment]:
        """The public comments or the internal notes."""
        return self.notes if kind is ThreadKind.INTERNAL_NOTE else self.comments

    def threads(self) -> list[tuple[ThreadKind, list[Comment]]]:
        """Both threads with their kind, public comments first."""
        return [(kind, self.thread(kind)) for kind in ThreadKind]

    def all_attachments(self) -> list[tuple[str, Attachment]]:
        """Every attachment with where it hangs: "Case", "Comment" or "Internal note"."""
        found: list[tuple[str, Attachment]] = [("Case", a) for a in self.attachments]
        for kind, thread in self.threads():
            for comment in thread:
                found.extend((kind.label, a) for a in comment.attachments)
        return found

    @classmethod
    def from_raw(cls, raw: dict[str, Any], *, as_sent: str | None = None) -> "CaseDetail":
        detail = cls.model_validate(raw)
        detail._raw = raw
        detail._as_sent = as_sent
        return detail


class CaseDetailResponse(LenientModel):
    status: Int = None
    success: Bool = None
    case_detail: Obj[CaseDetail] = Field(default=None, alias="caseDetail")
