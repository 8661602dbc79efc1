"""The lock screen: one top-level window that takes the place of every window of the app.

It shows no case data at all: the product name, why it is locked, one secret field and Unlock.
Its title is the plain "caseviewer — locked" (the taskbar and window switcher show titles). It
cannot be closed while locked (closing would not reveal anything, but would leave the app
unreachable); "Quit caseviewer" closes the app instead.

Three modes: checking which secret unlocks (a keyring read, on a worker), entering it, and, for a
profile without a password the first time, choosing an unlock passphrase (twice).
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from caseviewer.core.lock_policy import MIN_PASSPHRASE_CHARS, UnlockMethod
from caseviewer.ui import accessible
from caseviewer.ui import icons
from caseviewer.ui.accessible import Politeness
from caseviewer.ui.guard import guarded
from caseviewer.ui.zoom import set_relative_font

LOCKED_TITLE = "caseviewer — locked"


class LockMode(Enum):
    CHECKING = "checking"
    ENTER = "enter"
    SET_PASSPHRASE = "set_passphrase"


class LockScreen(QWidget):
    #: The reviewer submitted a secret (to check) — ``(secret, is_new_passphrase)``.
    submitted = Signal(str, bool)
    quit_requested = Signal()

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("lockScreen")
        self.setWindowTitle(LOCKED_TITLE)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._allow_close = False
        self.mode = LockMode.CHECKING
        self.method = UnlockMethod.PASSPHRASE

        icon = QLabel()
        icon.setPixmap(icons.icon("lock").pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading = QLabel("caseviewer is locked")
        self.heading.setObjectName("lockHeading")
        set_relative_font(self.heading, delta=6, bold=True)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason = QLabel("")
        self.reason.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason.setWordWrap(True)
        self.prompt = QLabel("")
        self.prompt.setWordWrap(True)
        self.secret = QLineEdit()
        self.secret.setObjectName("lockSecret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.returnPressed.connect(self._submit)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("lockRepeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setPlaceholderText("Repeat the passphrase")
        self.repeat.returnPressed.connect(self._submit)
        self.message = QLabel("")
        self.message.setObjectName("lockMessage")
        self.message.setWordWrap(True)
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._submit)
        self.quit_button = QPushButton("Quit caseviewer")
        self.quit_button.clicked.connect(self.quit_requested)

        box = QWidget()
        box.setMaximumWidth(420)
        form = QVBoxLayout(box)
        form.setSpacing(10)
        form.addWidget(icon)
        form.addWidget(self.heading)
        form.addWidget(self.reason)
        form.addSpacing(12)
        form.addWidget(self.prompt)
        form.addWidget(self.secret)
        form.addWidget(self.repeat)
        form.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        form.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.set_mode(LockMode.CHECKING)

    # -- states ------------------------------------------------------------------------------

    def set_reason(self, text: str) -> None:
        self.reason.setText(text)

    def set_mode(self, mode: LockMode, method: UnlockMethod | None = None) -> None:
        self.mode = mode
        if method is not None:
            self.method = method
        self.repeat.setVisible(mode is LockMode.SET_PASSPHRASE)
        self.secret.setEnabled(mode is not LockMode.CHECKING)
        self.repeat.setEnabled(mode is LockMode.SET_PASSPHRASE)
        self.unlock_button.setEnabled(mode is not LockMode.CHECKING)
        if mode is LockMode.CHECKING:
            self.prompt.setText("Checking how to unlock…")
        elif mode is LockMode.SET_PASSPHRASE:
            self.prompt.setText(
                "Choose an unlock passphrase (at least "
                f"{MIN_PASSPHRASE_CHARS} characters). You will need it whenever caseviewer locks."
            )
            self.secret.setPlaceholderText("New unlock passphrase")
            self.unlock_button.setText("Set and unlock")
        else:
            is_password = self.method is UnlockMethod.PASSWORD
            self.prompt.setText("Enter your sign-in password to unlock." if is_password
                                else "Enter your unlock passphrase.")
            self.secret.setPlaceholderText("Sign-in password" if is_password else "Unlock passphrase")
            self.unlock_button.setText("Unlock")
        if mode is not LockMode.CHECKING:
            self.secret.setFocus()

    def set_busy(self, busy: bool) -> None:
        for widget in (self.secret, self.repeat, self.unlock_button):
            widget.setEnabled(not busy and self.mode is not LockMode.CHECKING)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        accessible.announce(self, text, Politeness.ASSERTIVE)  # a wrong password is heard, not only seen

    def reset(self) -> None:
        self.secret.clear()
        self.repeat.clear()
        self.message.clear()

    def _submit(self) -> None:
        if self.mode is LockMode.CHECKING or not self.unlock_button.isEnabled():
            return
        secret = self.secret.text()
        if self.mode is LockMode.SET_PASSPHRASE:
            if len(secret) < MIN_PASSPHRASE_CHARS:
                self.show_message(f"The passphrase needs at least {MIN_PASSPHRASE_CHARS} characters.")
                return
            if secret != self.repeat.text():
                self.show_message("The two passphrases differ. Type the same one twice.")
                return
        elif not secret:
            self.show_message("Type the secret first.")
            return
        self.secret.clear()
        self.repeat.clear()
        self.submitted.emit(secret, self.mode is LockMode.SET_PASSPHRASE)

    # -- closing -----------------------------------------------------------------------------

    def force_close(self) -> None:
        self._allow_close = True
        self.close()

    @guarded
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self._allow_close:
            event.accept()
        else:
            event.ignore()


__all__ = ["LOCKED_TITLE", "LockMode", "LockScreen"]
