"""Comments & notes tab: the public comments, then the internal notes, each as a thread of cards.

Internal notes must never be mistaken for something the submitter can see, so they are tinted and
carry an "Internal note" marker with a lock icon. Comment text can be a megabyte: ``LongText``
puts long text in a scroll box showing its beginning (with "Show all") instead of one giant label,
and the cards are built a batch per event-loop turn (``DetailTab.build_gradually``).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from caseviewer.core.changes import Part
from caseviewer.core.models import CaseDetail, Comment, ThreadKind
from caseviewer.core.status import StatusTone
from caseviewer.ui import accessible
from caseviewer.ui import formatting as fmt
from caseviewer.ui import theme
from caseviewer.ui.detail.attachment_table import AttachmentTable
from caseviewer.ui.detail.flow_layout import FlowLayout
from caseviewer.ui.detail.tabs.base import DetailTab
from caseviewer.ui.detail.widgets import (
    Card,
    LongText,
    ScrollPage,
    badge,
    icon_label,
    section_heading,
    set_point_delta,
    text_label,
    tint,
)
from caseviewer.ui.triage.marks import change_badge



class CommentsTab(DetailTab):
    # "&&": a single "&" would be a mnemonic marker in a tab title.
    TITLE = "Comments && notes"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = ScrollPage(name=self.TITLE.replace("&&", "&"))
        self.layout_.addWidget(self.page)

    def count(self, detail: CaseDetail) -> int | None:
        return len(detail.comments) + len(detail.notes)

    def render(self, detail: CaseDetail) -> None:
        self.page.reset()
        builders = []
        for kind, thread in detail.threads():
            internal = kind.internal
            empty = f"No {kind.heading.lower()} on this case"
            title = f"{kind.heading} ({len(thread)})"
            builders.append(lambda title=title: section_heading(title))
            if not thread:
                builders.append(lambda empty=empty: text_label(empty, muted=True, selectable=False))
            builders += [lambda comment=comment, internal=internal: self._card(comment, internal=internal)
                         for comment in thread]
        # Cards are built a batch per event-loop turn: hundreds of comments never freeze the window.
        self.build_gradually(self.page, builders)

    def _card(self, comment: Comment, *, internal: bool) -> Card:
        card = Card(background=tint(self, theme.css("note"), 0.14) if internal else None)
        # A flowing header: on a narrow pane the chips wrap onto a second line instead of making
        # the card wider than the pane (which cut the comment text off at the right).
        top = FlowLayout(spacing=10)
        if internal:
            top.addWidget(icon_label("lock"))
            top.addWidget(badge(ThreadKind.INTERNAL_NOTE.label, StatusTone.REVIEW))
        mark, _ = self.changes.item_marks(Part.NOTES if internal else Part.COMMENTS, comment.id or "")
        marker = change_badge(mark, what="Changed" if mark.value == "changed" else "Added")
        if marker is not None:
            top.addWidget(marker)
        author = text_label(fmt.user_name(comment.author), wrap=False, tooltip=fmt.user_tooltip(comment.author))
        set_point_delta(author, 0, bold=True)
        top.addWidget(author)
        top.addWidget(text_label(fmt.format_timestamp(comment.created_at), wrap=False, muted=True,
                                 tooltip=fmt.timestamp_tooltip(comment.created_at)))
        if comment.is_restricted:
            top.addWidget(badge("Restricted", StatusTone.INACTIVE))
        if comment.forms:
            top.addWidget(text_label(f"Forms: {len(comment.forms)}", wrap=False, muted=True,
                                     tooltip=fmt.plain_tooltip(fmt.any_text(comment.forms))))
        if comment.id:
            ident = text_label(fmt.clean(comment.id), wrap=False, muted=True,
                               tooltip=fmt.plain_tooltip(fmt.clean(comment.id)))
            set_point_delta(ident, -1)
            top.addWidget(ident)
        card.body.addLayout(top)
        # Untitled (the header is a row of parts): named by kind and author for a screen reader.
        kind = ThreadKind.INTERNAL_NOTE.label if internal else "Comment"
        accessible.name(card, f"{kind} by {author.text()}", fmt.format_timestamp(comment.created_at))
        card.add(LongText(comment.text, free_text=True))
        extras = comment.extra_fields
        if extras:
            card.add(text_label("; ".join(f"{fmt.clean(k)}: {fmt.any_text(v, 300)}" for k, v in extras.items()),
                                muted=True))
        if comment.attachments:
            table = AttachmentTable([(_kind(internal).label, a) for a in comment.attachments],
                                    with_where=False, fit_rows=5, fit_width=True, name="Attachments of this comment")
            table.attachment_activated.connect(self.attachment_activated)
            card.add(text_label(f"Attachments ({len(comment.attachments)})", muted=True, selectable=False))
            card.add(table)
        return card


def _kind(internal: bool) -> ThreadKind:
    return ThreadKind.INTERNAL_NOTE if internal else ThreadKind.PUBLIC_COMMENT
