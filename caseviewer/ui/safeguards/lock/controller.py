"""Locking and unlocking the app (the rules are in ``core/lock_policy.py``).

``lock()`` — after the idle timeout, on the OS session lock, or Ctrl+Alt+L:

1. the privacy mask goes on (``MASK_STATE.locked``), so anything rendered from now on is masked;
2. every visible top-level window of the app (the main window, dialogs, the crash dialog) is
   hidden and its title set to "caseviewer — locked" (taskbar previews and window switchers show
   neither content nor case names); the lock screen takes their place;
3. the case page is cleared (every tab rendered empty, the preview released) and the table is
   repainted masked;
4. in-memory sign-in tokens are dropped (``CaseRepository.forget_tokens``); the next request signs in
   again from the keyring's password;
5. the clipboard is cleared when it still holds text caseviewer put there.

Background work (sync, list pages, a case being loaded) goes on. A case that arrives while locked
is kept, not shown; ``unlock()`` restores the windows and titles and renders the current case
again. Five wrong secrets in a row quit the app through its normal quit path (settings saved,
workers stopped), never leaving it unlocked.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QWidget

from caseviewer.core.access_log import AccessAction
from caseviewer.core.lock_policy import UnlockMethod, UnlockOutcome, UnlockVerifier
from caseviewer.core.models import CaseDetail
from caseviewer.core.privacy import MASK_STATE
from caseviewer.core.repository import CaseResult
from caseviewer.ui.safeguards.lock.idle import DEFAULT_CHECK_MS, IdleDetector
from caseviewer.ui.safeguards.lock.screen import LOCKED_TITLE, LockMode, LockScreen

log = logging.getLogger(__name__)

UNLOCK_CHANNEL = "unlock"
LOCKED_PLACEHOLDER = "caseviewer is locked"


class LockReason:
    IDLE = "No input for {minutes} min: caseviewer locked itself."
    SESSION = "Your computer's screen was locked."
    MANUAL = "Locked with Ctrl+Alt+L."


def quit_application() -> None:
    """The last step of the quit path (a module function so a test can watch it)."""
    app = QApplication.instance()
    if app is not None:
        app.quit()


class ClipboardGuard(QObject):
    """Remembers (as a hash) the clipboard text this app put there, to clear it at lock."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ours: str | None = None
        self._clipboard = QGuiApplication.clipboard()
        self._clipboard.dataChanged.connect(self._changed)

    @staticmethod
    def _digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def _changed(self) -> None:
        text = self._clipboard.text()
        # Our copy when we own the clipboard, or (platforms that never say) when we are the active app.
        ours = self._clipboard.ownsClipboard() or (
            QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive
        )
        self._ours = self._digest(text) if ours and text else None

    def clear_if_ours(self) -> bool:
        text = self._clipboard.text()
        if self._ours is not None and text and self._digest(text) == self._ours:
            self._clipboard.clear()
            self._ours = None
            return True
        return False


class LockController(QObject):
    locked_changed = Signal(bool)

    def __init__(
        self,
        window: Any,  # MainWindow
        *,
        verifier: UnlockVerifier,
        record: Callable[[AccessAction, str | None], None],
        idle_minutes: int,
        clock: Callable[[], float] = time.monotonic,
        check_ms: int = DEFAULT_CHECK_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._channel = window.runner.channel(UNLOCK_CHANNEL, self)
        self.verifier = verifier
        self._record = record
        self.idle_minutes = idle_minutes
        self.screen = LockScreen()
        self.screen.submitted.connect(self._submitted)
        self.screen.quit_requested.connect(self.quit_app)
        self.detector = IdleDetector(idle_minutes * 60, clock=clock, check_ms=check_ms, parent=self)
        self.detector.idle.connect(lambda: self.lock(LockReason.IDLE.format(minutes=self.idle_minutes)))
        self.clipboard = ClipboardGuard(self)
        self.is_locked = False
        self._hidden: list[tuple[QWidget, str]] = []
        self.last_result: CaseResult | None = None
        self._quitting = False
        window.detail_shown.connect(self._case_shown)
        window.destroyed.connect(self.screen.deleteLater)

    # -- settings ----------------------------------------------------------------------------

    def set_idle_minutes(self, minutes: int) -> None:
        self.idle_minutes = minutes
        self.detector.set_timeout(minutes * 60)

    # -- locking -----------------------------------------------------------------------------

    def lock(self, reason: str = LockReason.MANUAL) -> None:
        if self.is_locked or self._quitting or getattr(self.window, "closed", False):
            return
        self.is_locked = True
        MASK_STATE.locked = True
        self.detector.stop()
        self._cover_windows()
        self._clear_case_page()
        self._repaint_table()
        self.window.repository.forget_tokens()
        self.clipboard.clear_if_ours()
        self._record(AccessAction.LOCK, None)
        self.screen.reset()
        self.screen.set_reason(reason)
        self.screen.set_mode(LockMode.CHECKING)
        self.screen.setGeometry(self.window.geometry())
        self.screen.show()
        self.screen.raise_()
        self.screen.activateWindow()
        self.window.runner.submit(lambda _context: self._unlock_mode(), channel=self._channel,
                                  on_result=self._mode_known, on_error=lambda _f: self._mode_known((UnlockMethod.PASSPHRASE, True)))
        self.locked_changed.emit(True)

    def _unlock_mode(self) -> tuple[UnlockMethod, bool]:
        """Worker: which secret unlocks, and whether a passphrase exists (keyring reads)."""
        method = self.verifier.method()
        return method, method is UnlockMethod.PASSWORD or self.verifier.has_passphrase()

    def _mode_known(self, mode: tuple[UnlockMethod, bool]) -> None:
        if not self.is_locked:
            return
        method, has_secret = mode
        self.screen.set_mode(LockMode.ENTER if has_secret else LockMode.SET_PASSPHRASE, method)

    def _cover_windows(self) -> None:
        self._hidden = []
        for widget in QApplication.topLevelWidgets():
            if widget is self.screen or not widget.isVisible():
                continue
            self._hidden.append((widget, widget.windowTitle()))
            widget.setWindowTitle(LOCKED_TITLE)
            widget.hide()

    def _clear_case_page(self) -> None:
        pane = self.window.pane
        # Every tab rendered from an empty case, so no label keeps the last case's text; the
        # preview is released with it (``show_case`` resets the attachments).
        pane.show_case(CaseResult(case_id=None, detail=CaseDetail()))
        for tab in pane.tab_pages:
            tab.ensure_rendered()  # tabs render lazily; a hidden one would keep the old case
        pane.record_view.show_record(None, None)
        # Widgets of the old rendering wait for deferred deletion: blank them now.
        for root in (*pane.tab_pages, pane.header, pane.record_view):
            for label in root.findChildren(QLabel):
                if label.text():  # icon labels have no text: setText would drop their pixmap
                    label.setText("")
                label.setToolTip("")
            for box in root.findChildren(QPlainTextEdit):
                box.clear()
        pane.show_placeholder(LOCKED_PLACEHOLDER)

    def _repaint_table(self) -> None:
        model = self.window.model
        if model.rowCount() and model.columnCount():
            model.dataChanged.emit(model.index(0, 0), model.index(model.rowCount() - 1, model.columnCount() - 1))

    def _case_shown(self, result: CaseResult) -> None:
        self.last_result = result
        if self.is_locked:
            # Background work finished while locked: keep the case, show it after unlock.
            self._clear_case_page()

    # -- unlocking ---------------------------------------------------------------------------

    def _submitted(self, secret: str, is_new: bool) -> None:
        self.screen.set_busy(True)
        self.screen.show_message("Checking…")
        if is_new:
            self.window.runner.submit(lambda _context: self.verifier.set_passphrase(secret), channel=self._channel,
                                      on_result=lambda _stored: self.unlock(),
                                      on_error=lambda failure: self._check_failed(failure.message))
        else:
            self.window.runner.submit(lambda _context: self.verifier.check(secret), channel=self._channel,
                                      on_result=self._checked, on_error=lambda failure: self._check_failed(failure.message))

    def _check_failed(self, message: str) -> None:
        self.screen.set_busy(False)
        self.screen.show_message(message)

    def _checked(self, outcome: UnlockOutcome) -> None:
        if not self.is_locked:
            return
        if outcome is UnlockOutcome.UNLOCKED:
            self.unlock()
            return
        self._record(AccessAction.UNLOCK_FAILED, None)
        if outcome is UnlockOutcome.LOCKED_OUT:
            log.warning("five wrong unlock attempts: quitting")
            self.quit_app()
            return
        self.screen.set_busy(False)
        left = self.verifier.tries_left
        self.screen.show_message(f"That is not right. {left} {'try' if left == 1 else 'tries'} left before caseviewer closes.")

    def unlock(self) -> None:
        if not self.is_locked:
            return
        self.is_locked = False
        MASK_STATE.locked = False
        self.screen.hide()
        self.screen.reset()
        for widget, title in self._hidden:
            widget.setWindowTitle(title)
            widget.show()
        self._hidden = []
        self._record(AccessAction.UNLOCK, None)
        self.rerender()
        self.detector.start()
        self.window.activateWindow()
        self.locked_changed.emit(False)

    def rerender(self) -> None:
        """Show the current case (and the table) again, as masking now decides."""
        self._repaint_table()
        if self.is_locked:
            return
        pane = self.window.pane
        # The selection controller's last load: the pane was showing a case, not the placeholder.
        selection = getattr(self.window, "selection", None)
        if self.last_result is not None and getattr(selection, "detail_request", None) is not None:
            pane.show_case(self.last_result)
        else:
            pane.show_placeholder()

    # -- quitting ----------------------------------------------------------------------------

    def quit_app(self) -> None:
        """The app's quit path: the main window closes (saves, stops workers), then the app quits."""
        self._quitting = True
        self.screen.force_close()
        self.window.quit_action.trigger()
        quit_application()


__all__ = ["ClipboardGuard", "LockController", "LockReason", "quit_application"]
