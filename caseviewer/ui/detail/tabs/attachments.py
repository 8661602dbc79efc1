"""Attachments tab: every file on the case, its comments and its notes, in one table.

The right-hand side is reserved for the preview (a later issue); for now it says how to open a file.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from caseviewer.core.models import CaseDetail
from caseviewer.ui.detail.attachment_table import AttachmentTable
from caseviewer.ui.detail.tabs.base import DetailTab
from caseviewer.ui.detail.widgets import SPACING, empty_state, text_label


class AttachmentsTab(DetailTab):
    TITLE = "Attachments"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = AttachmentTable([], with_where=True)
        self.table.attachment_activated.connect(self.attachment_activated)
        self.empty = empty_state("No attachments on this case")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(SPACING, SPACING, 0, SPACING)
        left_layout.addWidget(self.table)
        left_layout.addWidget(self.empty)
        self.preview = text_label("Preview\n\nDouble-click a file (or press Enter) to open it.",
                                  selectable=False, muted=True, wrap=True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumWidth(160)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([680, 200])
        splitter.setChildrenCollapsible(False)
        self.layout_.addWidget(splitter)

    def count(self, detail: CaseDetail) -> int | None:
        return len(detail.all_attachments())

    def render(self, detail: CaseDetail) -> None:
        rows = detail.all_attachments()
        self.table.set_rows(rows)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
