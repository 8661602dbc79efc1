"""The header above the detail tabs: what case this is, its status, and where the data came from.

When the detail service has no detail for the case, the header says so plainly (the repository's
``detail_note``) and the pane shows the list record instead of the tabs (``RecordView``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from caseviewer.core.glance import CASE_STATUS_HELP, REVIEW_STATUS_HELP
from caseviewer.core.models import CaseDetail, CaseRecord
from caseviewer.core.privacy import mask_text
from caseviewer.core.status import StatusTone, case_status_tone
from caseviewer.core.vocabulary import Vocab
from caseviewer.core.repository import CaseResult
from caseviewer.core.text import full_name
from caseviewer.ui import formatting as fmt
from caseviewer.ui import theme
from caseviewer.ui.detail.clamped_label import ClampedLabel
from caseviewer.ui.detail.key_value_form import KeyValueForm
from caseviewer.ui.detail.widgets import (
    Card,
    ScrollPage,
    badge,
    icon_label,
    set_point_delta,
    text_label,
    tint,
)
from caseviewer.ui.case_list.status_chip import status_group

#: Lines of the case's title the header draws; a longer title ends in "…" (its tooltip, the Case
#: record section and the accessible name have it whole).
TITLE_LINES = 3


def _status(result: CaseResult) -> tuple[str, StatusTone] | None:
    if result.detail is not None and result.detail.status:
        code = result.detail.status
        return fmt.word(Vocab.CASE_STATUS, code), case_status_tone(code)
    record = result.record
    if record is not None and record.status_code:
        label = record.status_label or fmt.pretty_code(record.status_code)
        return fmt.clean(label), status_group(record.status_code).tone
    return None


def list_assignee_name(value: object) -> str:
    """The list record's ``assignee`` object ({id, first_name, last_name}) as a name."""
    if not isinstance(value, dict):
        return ""
    return fmt.clean(full_name(value))


def case_title(result: CaseResult) -> str:
    detail, record = result.detail, result.record
    if detail is not None and detail.title:
        return fmt.clean(detail.title)
    if record is not None and record.business_name:
        return fmt.clean(record.business_name)
    return "Untitled case"


class CaseHeader(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 12, 14, 10)
        outer.setSpacing(6)

        top = QHBoxLayout()
        top.setSpacing(10)
        self.title = ClampedLabel(TITLE_LINES)
        set_point_delta(self.title, 4, bold=True)
        top.addWidget(self.title, 1)
        self._badge_slot = QHBoxLayout()
        top.addLayout(self._badge_slot)
        outer.addLayout(top)

        self.subtitle = text_label("", wrap=True, muted=True)
        outer.addWidget(self.subtitle)

        self.cached = QWidget()
        cached_row = QHBoxLayout(self.cached)
        cached_row.setContentsMargins(0, 0, 0, 0)
        cached_row.setSpacing(6)
        cached_row.addWidget(icon_label("offline"))
        self.cached_text = text_label("", wrap=False)
        cached_row.addWidget(self.cached_text)
        cached_row.addStretch(1)
        outer.addWidget(self.cached)

        self.notice = QFrame()
        self.notice.setObjectName("detailNotice")
        notice_row = QHBoxLayout(self.notice)
        notice_row.setContentsMargins(10, 8, 10, 8)
        notice_row.addWidget(icon_label("info"), 0, Qt.AlignmentFlag.AlignTop)
        self.notice_text = text_label("", wrap=True)
        notice_row.addWidget(self.notice_text, 1)
        outer.addWidget(self.notice)

        self.badge: QLabel | None = None
        self._marks: list[QLabel] = []  # "Changed" beside the status (ui/triage)

    def show_status_change(self, changes) -> None:  # noqa: ANN001 - core.changes.CaseChanges
        """A "Changed" badge beside the status when it changed since the reviewer last looked."""
        from caseviewer.ui.triage.marks import change_badge

        mark, earlier = changes.status_mark()
        marker = change_badge(mark, earlier, "Status changed")
        if marker is not None:
            self._badge_slot.addWidget(marker, 0, Qt.AlignmentFlag.AlignTop)
            self._marks.append(marker)

    def show_result(self, result: CaseResult) -> None:
        for marker in self._marks:
            marker.deleteLater()
        self._marks = []
        self.title.setText(mask_text(case_title(result)))
        if self.badge is not None:
            self.badge.deleteLater()
            self.badge = None
        status = _status(result)
        if status is not None:
            self.badge = badge(status[0], status[1])
            self.badge.setToolTip(CASE_STATUS_HELP if result.detail is not None and result.detail.status else REVIEW_STATUS_HELP)
            self._badge_slot.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        self.subtitle.setText(mask_text(self._subtitle(result.detail, result.record, result.case_id)))
        provenance = result.provenance
        self.cached.setVisible(provenance.from_cache)
        if provenance.from_cache and provenance.fetched_at is not None:
            stamp = provenance.fetched_at.astimezone().strftime("%Y-%m-%d %H:%M")
            text = f"Cached {stamp}: offline copy, may be out of date"
            if result.detail is not None and result.detail_note:
                text = f"{fmt.clean(result.detail_note)} {text}"  # why the copy is shown (a bad answer)
            self.cached_text.setText(text)
            self.cached_text.setToolTip(fmt.plain_tooltip(provenance.fetched_at.isoformat()))
        self.notice.setVisible(result.detail is None)
        if result.detail is None:
            note = result.detail_note or "No case detail is available; showing the list record only."
            self.notice_text.setText(fmt.clean(note))
            color = tint(self, theme.css("notice"), 0.12).name()
            self.notice.setStyleSheet(f"QFrame#detailNotice {{ background: {color}; border-radius: 6px; }}")

    @staticmethod
    def _subtitle(detail: CaseDetail | None, record: CaseRecord | None, case_id: str | None) -> str:
        parts: list[str] = []
        if detail is not None:
            if detail.short_id:
                parts.append(fmt.clean(detail.short_id))
            if detail.submitter is not None:
                parts.append(fmt.user_name(detail.submitter))
            if detail.type:
                parts.append(fmt.word(Vocab.CASE_TYPE, detail.type))
            if detail.is_archived:  # (an open case says nothing: "Open" read as the case status beside it)
                parts.append("Archived")
        elif record is not None:
            if record.applicant_name:
                parts.append(fmt.clean(record.applicant_name))
        ident = (detail.id if detail is not None else None) or case_id
        if ident:
            parts.append(fmt.clean(ident))
        return "  ·  ".join(parts)


class RecordView(ScrollPage):
    """The list record on its own, for a case the detail service cannot show."""

    def show_record(self, record: CaseRecord | None, case_id: str | None) -> None:
        self.reset()
        card = Card("List record")
        form = KeyValueForm()
        if record is None:
            form.add("Case ID", case_id)
            form.add("Record", "The case list has no record for this case either.")
        else:
            form.add("Business name", record.business_name)
            form.add("Applicant", record.applicant_name or None)
            label = record.status_label or (record.status.label if record.status else None)
            form.add("Review status (case list)", fmt.clean(label) if label else (fmt.pretty_code(record.status_code) if record.status_code else None),
                     tooltip=fmt.plain_tooltip(f"{REVIEW_STATUS_HELP}\nCode: {record.status_code}") if record.status_code else "")
            form.add_time("Created", record.created_at)
            form.add("Case ID", record.id or case_id)
            form.add("Applicant ID", record.applicant_id)
            for key, value in (record.extra_fields or {}).items():
                if key == "case_type" and isinstance(value, str):
                    form.add_word(fmt.field_label(key), Vocab.LIST_CASE_TYPE, value)
                elif key == "assignee" and isinstance(value, dict):
                    form.add(fmt.field_label(key), list_assignee_name(value) or "Nobody assigned",
                             tooltip=fmt.plain_tooltip(f"ID: {value.get('id')}") if value.get("id") else "")
                else:
                    form.add_field(key, value)
            for part in (record.applicant, record.status):
                if part is not None:
                    form.add_extras(part)
        card.add(form)
        self.add(card)
        self.finish()
