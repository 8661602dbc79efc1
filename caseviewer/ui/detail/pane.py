"""The detail pane: one case's page (At a glance, Timeline, then every part of the record, in
sections listed beside the content), or a placeholder, busy or error state.

The main window drives it through a small contract (``show_placeholder``, ``show_loading``,
``show_error``, ``show_case``) and listens to ``retry_requested`` and ``attachment_activated``.
The pane never fetches a case: it renders the ready-made ``CaseResult`` it is given. The tab the
reviewer is on stays selected from case to case, and only visible sections are built (see
``tabs.base.DetailTab``). A count on At a glance or an entry of the Timeline opens its section.

``set_services(runner, repository)`` (optional; tests often skip it) turns the Attachments tab into
a working preview with Save / Save all / Open with (``AttachmentActions``); their one-line results
come out of ``status_message``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseviewer.core.glance import Part
from caseviewer.core.models import Attachment
from caseviewer.core.privacy import MASK_STATE, case_terms
from caseviewer.core.timeline import EventKind, TimelineEvent
from caseviewer.core.repository import CaseResult
from caseviewer.ui import formatting as fmt
from caseviewer.ui import icons
from caseviewer.ui.accessible import Politeness
from caseviewer.ui.detail.header import CaseHeader, RecordView
from caseviewer.ui.detail.glance import GlanceTab
from caseviewer.ui.detail.section_list import SectionView
from caseviewer.ui.detail.tabs import (
    ALL_TABS,
    ActivityTab,
    AttachmentsTab,
    CalendarTab,
    CommentsTab,
    DecisionsTab,
    DetailTab,
    FormsTab,
    OrdersTab,
    OverviewTab,
    PaymentsTab,
    ProductsTab,
)
from caseviewer.ui.detail.timeline_view import TimelineTab
from caseviewer.ui.detail.widgets import set_point_delta, text_label
from caseviewer.ui.guard import contain
from caseviewer.ui.case_list.table_states import StateView, error_title


#: The case page's sections in order (Ctrl+1..9 follow it): the reviewer's view first, then the record.
SECTIONS: tuple[type[DetailTab], ...] = (GlanceTab, TimelineTab, *ALL_TABS)

PART_SECTIONS: dict[Part, type[DetailTab]] = {
    Part.DECISIONS: DecisionsTab, Part.COMMENTS: CommentsTab, Part.NOTES: CommentsTab, Part.PAYMENTS: PaymentsTab,
    Part.ORDERS: OrdersTab, Part.ATTACHMENTS: AttachmentsTab, Part.CALENDAR: CalendarTab,
    Part.ACTIVITY: ActivityTab, Part.FORMS: FormsTab, Part.PRODUCTS: ProductsTab,
}

EVENT_SECTIONS: dict[EventKind, type[DetailTab]] = {
    EventKind.CASE: OverviewTab, EventKind.DECISION: DecisionsTab, EventKind.COMMENT: CommentsTab,
    EventKind.NOTE: CommentsTab, EventKind.PAYMENT: PaymentsTab, EventKind.ORDER: OrdersTab,
    EventKind.SHIPPING: OrdersTab, EventKind.CALENDAR: CalendarTab, EventKind.ATTACHMENT: AttachmentsTab,
    EventKind.ACTIVITY: ActivityTab, EventKind.PRODUCT: ProductsTab, EventKind.FORM: FormsTab,
}


def _centered(*widgets: QWidget) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(24, 24, 24, 24)
    layout.setSpacing(12)
    layout.addStretch(1)
    for widget in widgets:
        layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
    layout.addStretch(2)
    return page


class DetailPane(QWidget):
    retry_requested = Signal()
    #: "Update credentials…" was pressed on an authentication error.
    credentials_requested = Signal()
    #: An ``Attachment`` model, activated (double-click / Enter) in any list of attachments.
    attachment_activated = Signal(object)
    #: A one-line result for the status bar (from the attachment actions, once services are set).
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case_id: str | None = None
        self._annotation = None  # the reviewer's flag and note (ui/triage), made when first needed
        #: Set by ``set_services``: the ``AttachmentPreview`` and ``AttachmentActions``.
        self.preview = None
        self.actions = None
        self._attachments_case_id: str | None = None
        self._attachments: list[Attachment] = []
        self.stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        # Placeholder
        self.placeholder_label = text_label("", selectable=False, muted=True)
        self.placeholder_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_point_delta(self.placeholder_label, 1)
        self.placeholder_page = _centered(self.placeholder_label)

        # Loading
        self.loading_label = text_label("", selectable=False, muted=True)
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # indeterminate: the service gives no progress for one case
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(220)
        self.loading_page = _centered(self.loading_label, self.progress)

        # Error: the same view as the case list's error state (wrapping message, one heading style).
        self.error_view = StateView()
        self.error_view.setObjectName("detailErrorView")
        self.error_title = self.error_view.title
        self.error_label = self.error_view.detail
        self.retry_button = self.error_view.button
        self.retry_button.setText("Retry")
        self.retry_button.setIcon(icons.icon("refresh"))
        self.retry_button.clicked.connect(self.retry_requested)
        self.credentials_button = QPushButton("Update credentials…")
        self.credentials_button.setObjectName("updateCredentialsButton")
        self.credentials_button.clicked.connect(self.credentials_requested)
        self.credentials_button.hide()
        self.error_view.add_button(self.credentials_button)
        self.error_page = self.error_view

        # Case: header over tabs (or over the list record when there is no detail)
        self.header = CaseHeader()
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        # Sections listed beside the content (``SectionView`` keeps the tab widget's API).
        self.tabs = SectionView()
        self.tab_pages: list[DetailTab] = []
        for tab_class in SECTIONS:
            tab = tab_class()
            tab.attachment_activated.connect(self.attachment_activated)
            self.tab_pages.append(tab)
            self.tabs.addTab(tab, tab.title())
        self.glance_tab().part_requested.connect(self.show_part)
        self.timeline_tab().event_activated.connect(self.show_event)
        # Tabs render when shown; also on selection, so the chosen tab is ready even while hidden.
        self.tabs.currentChanged.connect(lambda i: self.tab_pages[i].ensure_rendered() if 0 <= i < len(self.tab_pages) else None)
        self.record_view = RecordView()
        self.body = QStackedWidget()
        self.body.addWidget(self.tabs)
        self.body.addWidget(self.record_view)
        self.case_page = QWidget()
        case_layout = QVBoxLayout(self.case_page)
        case_layout.setContentsMargins(0, 0, 0, 0)
        case_layout.setSpacing(0)
        case_layout.addWidget(self.header)
        case_layout.addWidget(rule)
        case_layout.addWidget(self.body, 1)

        for page in (self.placeholder_page, self.loading_page, self.error_page, self.case_page):
            self.stack.addWidget(page)
        self.show_placeholder()

    # -- states ------------------------------------------------------------------------------
    def show_placeholder(self, text: str = "Select a case to see its details") -> None:
        self._case_id = None
        self._reset_attachments(None, [])
        self.placeholder_label.setText(text)
        self.stack.setCurrentWidget(self.placeholder_page)

    def show_loading(self, text: str = "Loading case…") -> None:
        self._case_id = None
        self._reset_attachments(None, [])
        self.loading_label.setText(text)
        self.stack.setCurrentWidget(self.loading_page)

    def show_error(self, message: str, *, can_retry: bool = True, fix_credentials: bool = False) -> None:
        """``fix_credentials`` (an authentication error) offers "Update credentials…" first."""
        self._case_id = None
        self._reset_attachments(None, [])
        self.error_view.show_state(error_title("this case"), message, button="Retry" if can_retry else "", error=True,
                                   announce=Politeness.ASSERTIVE)
        self.credentials_button.setVisible(fix_credentials)
        self.stack.setCurrentWidget(self.error_page)
        if fix_credentials:
            self.credentials_button.setFocus()
        elif can_retry:
            self.retry_button.setFocus()

    def show_case(self, result: CaseResult) -> None:
        """Show the case; a section that fails on its data says so and the others still render
        (each part runs under ``guard.contain``, and tabs contain their own rendering)."""
        # Known before anything renders, so privacy mode masks this case's PHI on first paint.
        MASK_STATE.add_terms(case_terms(result.detail, result.record))
        self._case_id = result.case_id or (result.detail.id if result.detail is not None else None)
        if self._annotation is not None:
            self._annotation.hide()  # until the reviewer state of this case is read (ui/triage)
        shown, _ = contain("CaseHeader.show_result", self.header.show_result, result)
        if not shown:  # never leave the previous case's title over this one
            self.header.title.setText(fmt.clean(self._case_id) or "Case")
        detail = result.detail
        ok, attachments = contain("DetailPane.attachments", lambda: [a for _, a in detail.all_attachments()]
                                  if detail is not None else [])
        self._reset_attachments(detail.id if detail is not None else self._case_id, attachments if ok else [])
        if result.detail is not None:
            self.glance_tab().set_record(result.record)
            for index, tab in enumerate(self.tab_pages):
                tab.set_detail(result.detail)
                self.tabs.setTabText(index, tab.title())
            self.tabs.refresh_width()
            self.body.setCurrentWidget(self.tabs)
        else:
            contain("RecordView.show_record", self.record_view.show_record, result.record, result.case_id)
            self.body.setCurrentWidget(self.record_view)
        self.stack.setCurrentWidget(self.case_page)

    # -- sections ----------------------------------------------------------------------------
    def show_changes(self, case_id: str, changes) -> None:  # noqa: ANN001 - core.changes.CaseChanges
        """Mark what changed since the reviewer last looked (ui/triage), if ``case_id`` is still shown."""
        detail = self.tab_pages[0]._detail if self.tab_pages else None  # noqa: SLF001
        if case_id != self._case_id or detail is None or not changes.any:
            return
        self.header.show_status_change(changes)
        for tab in self.tab_pages:
            tab.set_detail(detail, changes)

    def show_annotation(self, case_id: str, triage) -> None:  # noqa: ANN001 - core.reviewer_state.CaseTriage
        """The reviewer's flag and private note under the title (ui/triage), if ``case_id`` is shown."""
        if case_id != self._case_id:
            return
        if self._annotation is None:
            from caseviewer.ui.triage.annotation import AnnotationStrip

            self._annotation = AnnotationStrip()
            self.header.layout().insertWidget(2, self._annotation)  # under the title and subtitle
        self._annotation.show_triage(triage)

    def tab_widget(self) -> SectionView:
        """The sections (list and pages), with the part of ``QTabWidget``'s API callers use."""
        return self.tabs

    def set_current_tab(self, index: int) -> None:
        """A section key (Ctrl+1 … Ctrl+9, Alt+2 …, Ctrl+J): select section ``index``; out-of-range indexes are ignored."""
        if 0 <= index < self.tabs.count():
            self.tabs.setCurrentIndex(index)

    def section(self, cls: type) -> DetailTab:
        return next(tab for tab in self.tab_pages if isinstance(tab, cls))

    def glance_tab(self) -> GlanceTab:
        return self.section(GlanceTab)  # type: ignore[return-value]

    def timeline_tab(self) -> TimelineTab:
        return self.section(TimelineTab)  # type: ignore[return-value]

    def show_part(self, part: Part) -> None:
        """A count on At a glance was clicked: show that part's section."""
        self.tabs.setCurrentWidget(self.section(PART_SECTIONS[part]))

    def show_event(self, event: TimelineEvent) -> None:
        """A timeline entry was opened: show its section and, where the section can, its item."""
        tab = self.section(EVENT_SECTIONS.get(event.kind, OverviewTab))
        self.tabs.setCurrentWidget(tab)
        reveal = getattr(tab, "reveal", None)
        if reveal is not None and event.ref_id:
            reveal(event.ref_id)

    def current_case_id(self) -> str | None:
        return self._case_id

    # -- attachments: preview and actions ------------------------------------------------------
    def attachments_tab(self) -> AttachmentsTab:
        return next(tab for tab in self.tab_pages if isinstance(tab, AttachmentsTab))

    def set_services(self, runner, repository) -> None:  # noqa: ANN001 - TaskRunner, CaseRepository
        """Give the Attachments tab a real preview and Save / Save all / Open with actions.

        Call once; a second call only switches the repository (and clears the preview).
        """
        if self.preview is not None:
            self.preview.set_repository(repository)
            self.actions.set_repository(repository)
            return
        # Imported here: the pane works (and its tests run) without the preview machinery.
        from caseviewer.ui.detail.attachment_actions import AttachmentActions
        from caseviewer.ui.preview import AttachmentPreview

        self.preview = AttachmentPreview(runner)
        self.preview.set_repository(repository)
        self.actions = AttachmentActions(runner, self)
        self.actions.set_repository(repository)
        self.actions.save_action.setIconText("Save")
        self.actions.save_all_action.setIconText("Save all…")
        self.actions.open_action.setIconText("Open with…")
        tab = self.attachments_tab()
        tab.install_services(self.preview, [self.actions.save_action, self.actions.save_all_action,
                                            self.actions.open_action])
        self.actions.attach_preview(self.preview)
        self.actions.install(tab)
        self.actions.message.connect(self.status_message)
        tab.current_attachment_changed.connect(self._on_attachment_selected)
        tab.attachment_activated.connect(self._preview_attachment)
        for page in self.tab_pages:
            if isinstance(page, CommentsTab):
                page.attachment_activated.connect(self._on_comment_attachment)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.actions.cleanup)
        self.actions.set_case(self._attachments_case_id, self._attachments)

    def _reset_attachments(self, case_id: str | None, attachments: list[Attachment]) -> None:
        """A new case (or none): clear the preview, cancelling its download, and retarget the actions."""
        self._attachments_case_id = case_id
        self._attachments = list(attachments)
        if self.preview is None:
            return
        self.preview.clear()
        self.actions.set_case(case_id, attachments)

    def _on_attachment_selected(self, attachment: Attachment | None) -> None:
        if attachment is not None:
            self._preview_attachment(attachment)

    def _preview_attachment(self, attachment: Attachment) -> None:
        if self.preview is None or attachment is None:
            return
        if self.preview.current_attachment() is attachment and self.preview.state() not in ("empty", "error"):
            return  # already shown (or loading): selecting and activating the same row loads it once
        self.preview.show_attachment(attachment, case_id=self._attachments_case_id)

    def _on_comment_attachment(self, attachment: Attachment) -> None:
        """A file activated in Comments & notes: show the Attachments tab, its row and its preview."""
        tab = self.attachments_tab()
        self.tabs.setCurrentWidget(tab)
        tab.select_attachment(attachment)  # previews through the row change when listed
        self._preview_attachment(attachment)
