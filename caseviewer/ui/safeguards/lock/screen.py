"""The lock screen: one top-level window that takes the place of every window of the app.

It shows no case data at all: the product name, why it is locked, one secret field and Unlock.
Its title is the plain "caseviewer — locked" (the taskbar and window switcher show titles). It
cannot be closed while locked (closing would not reveal anything, but would leave the app
unreachable); "Quit caseviewer" closes the app instead.

Three modes: checking which secret unlocks (a keyring read, on a worker), entering it, and, for a
profile without a password the first time, choosing an unlock passphrase (twice).
"""

from __future__ import annotations

import warnings
from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from caseviewer.core.lock_policy import MIN_PASSPHRASE_CHARS, UnlockMethod
from caseviewer.ui import accessible
from caseviewer.ui import icons
from caseviewer.ui.accessible import Politeness
from caseviewer.ui.guard import guarded
from caseviewer.ui.zoom import set_relative_font

LOCKED_TITLE = "caseviewer — locked"

#: The text column's width in average characters: the longest prompt (choosing a passphrase) fits
#: on two lines, the usual "Enter your sign-in password to unlock." on one.
COLUMN_CHARS = 64

# The secret fields get a 2 px ring in the highlight colour when focused (Fusion's own is a 1 px
# tint of the border that a reviewer cannot find at a glance on this bare screen), and Unlock is
# the filled primary button. ``palette(...)`` follows a theme change while locked.
_STYLE = """
#lockScreen QLineEdit { border: 1px solid palette(mid); border-radius: 4px; padding: 5px 7px;
                        background: palette(base); }
#lockScreen QLineEdit:focus { border: 2px solid palette(highlight); padding: 4px 6px; }
#lockScreen QLineEdit:disabled { color: palette(placeholder-text); }
#lockScreen QPushButton#unlockButton { background: palette(highlight); color: palette(highlighted-text);
                                       border: 1px solid palette(highlight); border-radius: 4px;
                                       padding: 6px 18px; font-weight: bold; }
#lockScreen QPushButton#unlockButton:focus { border: 2px solid palette(text); padding: 5px 17px; }
#lockScreen QPushButton#unlockButton:disabled { background: palette(mid); border-color: palette(mid); }
"""


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
        self.message.hide()  # shown with a message; empty, it would only widen the gap above the buttons
        self.unlock_button = QPushButton("Unlock")
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._submit)
        # The way out, not the way on: a flat secondary button that Enter never presses.
        self.quit_button = QPushButton("Quit caseviewer")
        self.quit_button.setObjectName("lockQuitButton")
        self.quit_button.setFlat(True)
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.quit_requested)
        self.setStyleSheet(_STYLE)

        # A fixed column wide enough for the prompts: word-wrapped labels ask for no width of
        # their own, so without it the column shrinks to the heading (~230 px, three-line prompts).
        box = QWidget()
        box.setObjectName("lockColumn")
        box.setFixedWidth(self.fontMetrics().averageCharWidth() * COLUMN_CHARS)
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
        form.addSpacing(6)
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
            # The mode is known a keyring read after the screen was shown: ask for activation
            # again now the window is mapped (the first request can be lost when the covered
            # windows were hidden a moment before), so typing goes to the field at once.
            if self.isVisible():
                self._activate()
            self.secret.setFocus(Qt.FocusReason.OtherFocusReason)

    def _activate(self) -> None:
        """Make the screen the active window, so the focused field takes the typing and shows
        its ring.

        After an unlock the hidden screen can stay Qt's focus *window* (when the window behind
        never took the focus back: no window manager, a stale X timestamp, the offscreen
        platform) while the widgets' active window is none. Showing it again then changes no
        focus window, so Qt never re-activates the widget and ``activateWindow`` is a no-op;
        the field is focused in name only, with no caret and no ring. Mend that one mismatch.
        """
        self.activateWindow()
        if not self.isActiveWindow() and QGuiApplication.focusWindow() is self.windowHandle():
            with warnings.catch_warnings():
                # Deprecated in Qt 6.5 for activateWindow, which cannot help here (see above).
                warnings.simplefilter("ignore", DeprecationWarning)
                QApplication.setActiveWindow(self)

    def set_busy(self, busy: bool) -> None:
        for widget in (self.secret, self.repeat, self.unlock_button):
            widget.setEnabled(not busy and self.mode is not LockMode.CHECKING)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        accessible.announce(self, text, Politeness.ASSERTIVE)  # a wrong password is heard, not only seen

    def reset(self) -> None:
        self.secret.clear()
        self.repeat.clear()
        self.show_message("")

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


__all__ = ["COLUMN_CHARS", "LOCKED_TITLE", "LockMode", "LockScreen"]
