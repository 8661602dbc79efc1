"""Attachments tab: every file on the case, its comments and its notes, in one table.

Without services the right-hand side only says how to open a file. Once the pane has services
(``DetailPane.set_services``) it calls ``install_services``: the right-hand side becomes the real
``AttachmentPreview`` and a toolbar with Save / Save all / Open with sits above the list.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter, QToolBar, QVBoxLayout, QWidget

from caseviewer.core.models import Attachment, CaseDetail
from caseviewer.ui.detail.attachment_table import AttachmentTable
from caseviewer.ui.detail.tabs.base import DetailTab
from caseviewer.ui.detail.widgets import SPACING, empty_state, text_label
from caseviewer.ui.guard import guarded

#: Share of the tab's width the list gets once the preview is real.
LIST_SHARE = 0.35
#: Below this width the preview goes under the list instead of beside it: side by side, the list
#: would be too narrow for its columns (at 1280 px the section is about 430 px wide).
SIDE_BY_SIDE_FROM = 900
#: Share of the tab's height the list gets when the preview is under it.
LIST_SHARE_STACKED = 0.4


class StackingSplitter(QSplitter):
    """The list and the preview, side by side when wide and stacked when narrow
    (``AttachmentsTab._apply_sizes``). Its minimum width is what it needs stacked: side by side
    it is never narrower than ``SIDE_BY_SIDE_FROM``, so the sum of both panes' minimums must not
    become the case page's minimum (that squeezed the case table to a sideways scroll at 1280 px)."""

    @guarded
    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        panes = [self.widget(i) for i in range(self.count())]
        # As a layout reads a widget's minimum: its minimum width when set, else its hint's.
        widest = max((pane.minimumWidth() or pane.minimumSizeHint().width() for pane in panes if pane), default=0)
        return QSize(min(hint.width(), widest + self.handleWidth()), hint.height())


class AttachmentsTab(DetailTab):
    TITLE = "Attachments"
    #: The attachment in the list's current row changed (None when there is none).
    current_attachment_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Columns fit the list's width (names elided, whole in their tooltips); the uploader and
        # the format are in the selected row's details under it.
        self.table = AttachmentTable([], with_where=True, fold_minor=True)
        self.table.attachment_activated.connect(self.attachment_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        self.empty = empty_state("No attachments on this case")
        self.toolbar: QToolBar | None = None
        left = QWidget()
        self.left_layout = QVBoxLayout(left)
        self.left_layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        self.table_box = self.table.with_details()
        self.left_layout.addWidget(self.table_box)
        self.left_layout.addWidget(self.empty)
        self.preview = text_label("Preview\n\nDouble-click a file (or press Enter) to open it.",
                                  selectable=False, muted=True, wrap=True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumWidth(160)
        self.splitter = StackingSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([680, 200])
        self.splitter.setChildrenCollapsible(False)
        self._sized = False
        self._has_services = False
        self.layout_.addWidget(self.splitter)

    # -- services ----------------------------------------------------------------------------

    def install_services(self, preview: QWidget, actions: Sequence[QAction]) -> None:
        """Put the real preview on the right and ``actions`` in a toolbar above the list."""
        old = self.splitter.replaceWidget(1, preview)
        if old is not None:
            old.deleteLater()
        self.preview = preview
        preview.setMinimumWidth(240)
        self.toolbar = QToolBar("Attachment actions")
        self.toolbar.setIconSize(QSize(16, 16))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in actions:
            self.toolbar.addAction(action)
            button = self.toolbar.widgetForAction(action)
            if button is not None:
                shortcut = action.shortcut().toString()
                button.setToolTip(action.text().replace("&", "") + (f" ({shortcut})" if shortcut else ""))
        self.left_layout.insertWidget(0, self.toolbar)
        self.splitter.setStretchFactor(0, 35)
        self.splitter.setStretchFactor(1, 65)
        self.table.setToolTip("Select a file to preview it")
        self._has_services = True
        self._sized = False
        self._apply_sizes()

    def _apply_sizes(self) -> None:
        width = self.width()
        if width <= 0 or not self.isVisible():
            return
        orientation = Qt.Orientation.Horizontal if width >= SIDE_BY_SIDE_FROM else Qt.Orientation.Vertical
        if orientation != self.splitter.orientation():
            self.splitter.setOrientation(orientation)
            self._sized = False
        if not self._has_services or self._sized:
            return
        side_by_side = orientation == Qt.Orientation.Horizontal
        length = self.splitter.width() if side_by_side else self.splitter.height()
        first = int(length * (LIST_SHARE if side_by_side else LIST_SHARE_STACKED))
        self.splitter.setSizes([first, length - first])
        self._sized = True

    @guarded
    def resizeEvent(self, event) -> None:  # noqa: ANN001 - Qt signature
        super().resizeEvent(event)
        self._apply_sizes()

    @guarded
    def showEvent(self, event) -> None:  # noqa: ANN001 - Qt signature
        super().showEvent(event)
        self._apply_sizes()

    # -- rows --------------------------------------------------------------------------------

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.table.object_at(current.row()) if current.isValid() else None
        self.current_attachment_changed.emit(row[1] if row is not None else None)

    def select_attachment(self, attachment: Attachment) -> bool:
        """Make ``attachment``'s row current (same object, else same id); False when not listed."""
        self.ensure_rendered()
        match = None
        for proxy_row in range(self.table.proxy.rowCount()):
            row = self.table.object_at(proxy_row)
            if row is None:
                continue
            if row[1] is attachment:
                match = proxy_row
                break
            if match is None and attachment.id is not None and row[1].id == attachment.id:
                match = proxy_row
        if match is None:
            return False
        index = self.table.proxy.index(match, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def count(self, detail: CaseDetail) -> int | None:
        return len(detail.all_attachments())

    def render(self, detail: CaseDetail) -> None:
        rows = detail.all_attachments()
        self.table.set_rows(rows)
        self.table_box.setVisible(bool(rows))
        self.empty.setVisible(not rows)
