"""The first window of a fresh install: try the demo, or connect to a service.

Shown when no profile exists. It also says where secrets will be kept (the OS keyring), or, when
there is no usable keyring, what to install or unlock: better now than after typing a token.
Asking the keyring can block on D-Bus (a locked or absent Secret Service), so the question runs
on a worker and the line fills in when the answer comes.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLayout, QPushButton, QVBoxLayout, QWidget

from caseviewer.core.keyring_help import keyring_summary
from caseviewer.ui.icons import app_icon
from caseviewer.ui.workers import TaskFailure, TaskRunner
from caseviewer.ui import theme
from caseviewer.ui.zoom import set_relative_font

DEMO = "demo"
CONNECT = "connect"
CHECKING = "Checking where your secrets will be kept…"


class FirstRunDialog(QDialog):
    """``choice()`` is "demo", "connect", or None when the dialog was closed.

    The keyring line comes from ``status`` when given, else from ``keyring_summary()`` run on
    ``runner`` (what is missing and the one fix for this desktop); ``keyring_ok`` is None until
    it is known.
    """

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        status: tuple[bool, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._choice: str | None = None
        self.setWindowTitle("Welcome to caseviewer")
        self.setWindowIcon(app_icon())

        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.setContentsMargins(28, 24, 28, 20)

        icon_label = QLabel()
        icon_label.setPixmap(app_icon().pixmap(QSize(96, 96)))
        icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        icon_label.setMinimumHeight(100)
        layout.addWidget(icon_label)

        welcome = QLabel("Welcome to caseviewer")
        set_relative_font(welcome, scale=1.5, bold=True)
        welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(welcome)
        intro = QLabel("Browse cases from your case list and case detail services. How would you like to start?")
        intro.setWordWrap(True)
        intro.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(intro)

        buttons = QHBoxLayout()
        self.demo_button = self._big_button("Try the demo", "Synthetic cases, no account needed")
        self.connect_button = self._big_button("Connect to a service…", "Your service URLs and credentials")
        self.demo_button.clicked.connect(lambda: self._choose(DEMO))
        self.connect_button.clicked.connect(lambda: self._choose(CONNECT))
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.connect_button)
        layout.addLayout(buttons)

        self.keyring_ok: bool | None = None
        self.keyring_label = QLabel(CHECKING)
        self.keyring_label.setObjectName("keyring_status")
        self.keyring_label.setTextFormat(Qt.TextFormat.PlainText)
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.keyring_label.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.keyring_label)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.setMinimumWidth(600)
        if status is not None:
            self._show_status(status)
        else:
            runner.submit(
                lambda _context: keyring_summary(),
                on_result=self._show_status,
                on_error=self._status_failed,
            )

    def _show_status(self, status: tuple[bool, str]) -> None:
        ok, message = status
        self.keyring_ok = ok
        self.keyring_label.setText(("" if ok else "⚠ ") + message)
        self.keyring_label.setStyleSheet(
            "color: palette(placeholder-text);" if ok else f"color: {theme.css('warning')};"
        )
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """The answer can be several wrapped lines where "Checking…" was one: make room for it
        (a shown window does not grow by itself when its content does)."""
        layout = self.layout()
        layout.activate()
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _status_failed(self, failure: TaskFailure) -> None:
        self._show_status((False, f"The OS keyring could not be asked: {failure.message}"))

    def _big_button(self, title: str, detail: str) -> QPushButton:
        button = QPushButton(f"{title}\n{detail}")
        button.setMinimumHeight(72)
        button.setMinimumWidth(220)
        set_relative_font(button, scale=1.1)
        button.setAccessibleName(title)
        return button

    def _choose(self, choice: str) -> None:
        self._choice = choice
        self.accept()

    def choice(self) -> str | None:
        return self._choice


__all__ = ["CONNECT", "DEMO", "FirstRunDialog"]
