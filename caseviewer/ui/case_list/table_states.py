"""Loading, empty and error states drawn where the content would be, not as pop-ups.

``StateView`` is the one state/error view of the window: a heading, a plain-text message that
wraps (service text, selectable for copying), an optional busy bar and one button that says what
to do next. The case table's ``TableStateOverlay`` and the detail pane's error page both use it,
with one look for an error (the error icon over the heading, ``show_state(error=True)``) and one
wording style for their headings (``error_title``); the messages under them say what failed, the
HTTP status and what to do, in that order (``core/http.default_error``, ``core/api``).

The overlay is a child of the table's viewport, so the column header stays in place and the
reviewer's eye stays where the rows will appear. Its button (Retry, Clear filters, Open a case)
reports through ``action_triggered``.
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
from caseviewer.ui import icons
from caseviewer.ui import accessible
from caseviewer.ui.accessible import Politeness
from caseviewer.ui.guard import guarded
from caseviewer.ui.zoom import set_relative_font
from caseviewer.ui.word_label import WordLabel

ERROR_ICON_SIZE = 32

def error_title(what: str) -> str:
    """The heading of every "could not load" state, in one style: "Couldn't load the case list"."""
    return f"Couldn't load {what}"


LOADING = "loading"
EMPTY = "empty"
ERROR = "error"
HINT = "hint"


class StateView(QWidget):
    """Error icon (errors only), heading, wrapping plain-text message, optional busy bar and one
    button, centred."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stateView")
        self.icon = QLabel()
        self.icon.setObjectName("stateIcon")
        self.icon.setTextFormat(Qt.TextFormat.PlainText)  # like every label: never markup
        self.icon.setPixmap(icons.icon("error").pixmap(ERROR_ICON_SIZE, ERROR_ICON_SIZE))
        self.icon.hide()
        self.title = WordLabel()
        self.title.setObjectName("stateTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        set_relative_font(self.title, scale=1.15, bold=True)

        self.detail = WordLabel()  # a service's message may hold a long request id: it wraps
        self.detail.setObjectName("stateDetail")
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote service text
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Always wraps: a long message ("… Sign in again or update the token") must never be cut.
        self.detail.setWordWrap(True)
        self.detail.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(160, 6)
        self.busy.hide()

        self.button = QPushButton()
        self.button.setObjectName("stateButton")
        self.button.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(10)
        layout.addStretch(2)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignHCenter)
        # Full width (no alignment flag), so the labels wrap at the view's width.
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addWidget(self.busy, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(4)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def add_button(self, button: QPushButton) -> None:
        """Another action beside the main button (shown and hidden by its owner)."""
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.button), button, 0, Qt.AlignmentFlag.AlignHCenter)

    def show_state(self, title: str, detail: str = "", *, busy: bool = False, button: str = "",
                   error: bool = False, announce: Politeness | None = None) -> None:
        """``announce``: also speak the heading and message (errors are, assertively)."""
        self.icon.setVisible(error)
        if announce is not None:
            accessible.announce(self, f"{title}. {detail}" if detail else title, announce)
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.busy.setVisible(busy)
        self.button.setText(button)
        self.button.setVisible(bool(button))


class TableStateOverlay(QWidget):
    """Covers the viewport of ``view`` while there are no rows to show."""

    #: The button was pressed: "retry", "clear_filters", "open_case", "credentials", "all_cases",
    #: "keep_looking" or "open_short_id".
    action_triggered = Signal(str)

    def __init__(self, view: QAbstractScrollArea) -> None:
        super().__init__(view.viewport())
        self.setObjectName("tableStateOverlay")
        self._view = view
        self._kind: str | None = None
        self._action = ""
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)

        self.state_view = StateView(self)
        self.state_view.button.clicked.connect(lambda: self.action_triggered.emit(self._action))
        self._title = self.state_view.title
        self._detail = self.state_view.detail
        self._busy = self.state_view.busy
        self._button = self.state_view.button
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state_view)

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

    def show_error(self, message: str, *, can_retry: bool = True, action: tuple[str, str] | None = None) -> None:
        """``action`` replaces Retry (e.g. "credentials" for a rejected credential)."""
        if action is None and can_retry:
            action = ("retry", "Retry")
        self._show(ERROR, error_title("the case list"), message, action=action, announce=Politeness.ASSERTIVE)

    def show_hint(self, text: str, detail: str = "", action: tuple[str, str] | None = None) -> None:
        self._show(HINT, text, detail, action=action)

    def hide_state(self) -> None:
        self._kind = None
        self._busy.hide()
        self.hide()

    def _show(self, kind: str, title: str, detail: str, *, busy: bool = False, action: tuple[str, str] | None = None,
              announce: Politeness | None = None) -> None:
        self._kind = kind
        self._action, label = action if action else ("", "")
        self.state_view.show_state(title, detail, busy=busy, button=label, error=kind == ERROR, announce=announce)
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


__all__ = ["EMPTY", "ERROR", "HINT", "LOADING", "StateView", "TableStateOverlay", "error_title"]
