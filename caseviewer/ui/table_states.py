"""Loading, empty and error states drawn inside the case table's area, not as pop-ups.

The overlay is a child of the table's viewport, so the column header stays in place and the
reviewer's eye stays where the rows will appear. Its one button says what to do next (Retry,
Clear filters, Open a case) and reports it through ``action_triggered``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from caseviewer.ui.guard import guarded

LOADING = "loading"
EMPTY = "empty"
ERROR = "error"
HINT = "hint"


class TableStateOverlay(QWidget):
    """Covers the viewport of ``view`` while there are no rows to show."""

    #: The button was pressed: "retry", "clear_filters" or "open_case".
    action_triggered = Signal(str)

    def __init__(self, view: QAbstractScrollArea) -> None:
        super().__init__(view.viewport())
        self.setObjectName("tableStateOverlay")
        self._view = view
        self._kind: str | None = None
        self._action = ""
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)

        self._title = QLabel()
        self._title.setObjectName("tableStateTitle")
        self._title.setTextFormat(Qt.TextFormat.PlainText)
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._title.setWordWrap(True)
        font = self._title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self._title.setFont(font)

        self._detail = QLabel()
        self._detail.setObjectName("tableStateDetail")
        self._detail.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote service text
        self._detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._detail.setWordWrap(True)
        self._detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._busy = QProgressBar()
        self._busy.setRange(0, 0)
        self._busy.setTextVisible(False)
        self._busy.setFixedSize(160, 6)

        self._button = QPushButton()
        self._button.setObjectName("tableStateButton")
        self._button.clicked.connect(lambda: self.action_triggered.emit(self._action))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(10)
        layout.addStretch(2)
        layout.addWidget(self._title)
        layout.addWidget(self._detail)
        layout.addWidget(self._busy, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(4)
        layout.addWidget(self._button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

        view.viewport().installEventFilter(self)
        self.hide()

    # -- states -----------------------------------------------------------------------------

    @property
    def kind(self) -> str | None:
        """The state shown, or None when the rows are visible."""
        return self._kind if self.isVisibleTo(self._view) else None

    def title_text(self) -> str:
        return self._title.text()

    def detail_text(self) -> str:
        return self._detail.text()

    def button_text(self) -> str:
        return self._button.text() if not self._button.isHidden() else ""

    def show_loading(self, text: str = "Loading cases…") -> None:
        self._show(LOADING, text, "", busy=True)

    def show_empty(self, text: str = "No cases match these filters", detail: str = "Try a broader search or fewer statuses.") -> None:
        self._show(EMPTY, text, detail, action=("clear_filters", "Clear filters"))

    def show_error(self, message: str, *, can_retry: bool = True) -> None:
        self._show(ERROR, "Couldn't load the case list", message, action=("retry", "Retry") if can_retry else None)

    def show_hint(self, text: str, detail: str = "", action: tuple[str, str] | None = None) -> None:
        self._show(HINT, text, detail, action=action)

    def hide_state(self) -> None:
        self._kind = None
        self._busy.hide()
        self.hide()

    def _show(self, kind: str, title: str, detail: str, *, busy: bool = False, action: tuple[str, str] | None = None) -> None:
        self._kind = kind
        self._title.setText(title)
        self._detail.setText(detail)
        self._detail.setVisible(bool(detail))
        self._busy.setVisible(busy)
        self._action, label = action if action else ("", "")
        self._button.setText(label)
        self._button.setVisible(bool(action))
        self._fit()
        self.show()
        self.raise_()

    # -- geometry ---------------------------------------------------------------------------

    def _fit(self) -> None:
        self.setGeometry(self._view.viewport().rect())

    @guarded
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False


__all__ = ["EMPTY", "ERROR", "HINT", "LOADING", "TableStateOverlay"]
