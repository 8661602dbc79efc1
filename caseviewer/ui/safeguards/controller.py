"""The workstation safeguards of one main window: idle lock, privacy mode, access log.

``Safeguards(window)`` is built at the end of ``MainWindow.__init__`` and wires itself in from the
outside: its actions (Ctrl+Alt+L lock, Ctrl+Shift+M privacy mode, Ctrl+Shift+Space reveal,
Help > Access log…, View > Lock after idle…, View > Exclude from screen capture), the status-bar
privacy toggle, the banner, and the access-log hooks on signals the window and the pane already
emit (a case shown, an attachment previewed / saved / opened, a list search). ``configure()`` sets
the profile (which secret unlocks, the per-profile timeout); ``start_os_watch()`` listens to the
desktop's own screen lock (the app calls it; tests do not need a D-Bus).

Access log entries are queued from the GUI thread and written by the log's own thread
(``core/access_log.py``): no SQL here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu

from caseviewer.core import access_log as access_log_module
from caseviewer.core.access_log import DEFAULT_MIN_RETENTION_DAYS, NO_LOG_REASON, AccessAction, AccessLog
from caseviewer.core.lock_policy import MIN_IDLE_MINUTES, MAX_IDLE_MINUTES, Policy, UnlockVerifier, idle_minutes, load_policy
from caseviewer.core.secrets import SecretStore
from caseviewer.ui import icons
from caseviewer.ui.preview.widget import CONTENT_STATES
from caseviewer.ui.safeguards import capture_exclusion
from caseviewer.ui.safeguards.lock.controller import LockController, LockReason
from caseviewer.ui.safeguards.lock.idle import DEFAULT_CHECK_MS
from caseviewer.ui.safeguards.privacy_mode import PrivacyController

log = logging.getLogger(__name__)


SHORTCUTS = (
    ("Ctrl+Alt+L", "Lock caseviewer now"),
    ("Ctrl+Shift+M", "Privacy mode on / off (mask names, dates of birth, contact details, comments)"),
    ("Ctrl+Shift+Space", "In privacy mode: reveal the field under the pointer for 5 s"),
)


def _menu(window: Any, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.menu() is not None and action.text().replace("&", "") == title:
            return action.menu()
    return None


class Safeguards(QObject):
    def __init__(self, window: Any, *, profile: str | None = None, secret_store: SecretStore | None = None,
                 policy: Policy | None = None, clock: Callable[[], float] = time.monotonic,
                 check_ms: int = DEFAULT_CHECK_MS) -> None:
        super().__init__(window)
        self.window = window
        self._purge_channel = window.runner.channel("access-log-purge", self)
        self.policy = policy if policy is not None else load_policy()
        self.profile = profile or ""
        self.access_log: AccessLog | None = window.repository.access_log
        if self.access_log is not None:
            access_log_module.install(self.access_log)  # for record() far from the repository (exports)
            own = self.access_log
            window.destroyed.connect(lambda *_: access_log_module.install(None) if access_log_module.current() is own else None)
        self.lock = LockController(
            window, verifier=UnlockVerifier(profile, secret_store), record=self.record,
            idle_minutes=self.idle_minutes(), clock=clock, check_ms=check_ms,
        )
        self.privacy = PrivacyController(window, rerender=self.lock.rerender)
        self._build_actions()
        self._hook_access_log()
        self.lock.detector.start()
        if self.access_log is not None:
            QTimer.singleShot(0, self._apply_retention)
        if self.capture_excluded():
            QTimer.singleShot(0, lambda: capture_exclusion.exclude_from_capture(window, True))

    # -- settings ----------------------------------------------------------------------------

    def configure(self, *, profile: str | None = None, secret_store: SecretStore | None = None) -> None:
        """Use ``profile``'s unlock secret and timeout (the app calls this once it knows the profile)."""
        self.profile = profile or ""
        self.lock.verifier = UnlockVerifier(profile, secret_store)
        self.lock.set_idle_minutes(self.idle_minutes())
        self._update_idle_action()

    def idle_minutes(self) -> int:
        return idle_minutes(self.window.settings.idle_lock_minutes(self.profile), self.policy)

    def capture_excluded(self) -> bool:
        if self.policy.exclude_from_capture is not None:
            return self.policy.exclude_from_capture
        return self.window.settings.exclude_from_capture()

    def ask_idle_minutes(self) -> None:
        if self.policy.idle_minutes is not None:
            self.window.show_message(f"Your organisation's policy fixes the idle lock at {self.policy.idle_minutes} min.")
            return
        minutes, accepted = QInputDialog.getInt(
            self.window, "Lock after idle", "Lock caseviewer after this many minutes without input:",
            self.idle_minutes(), MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)
        if accepted:
            self.window.settings.save_idle_lock_minutes(self.profile, minutes)
            self.lock.set_idle_minutes(minutes)
            self._update_idle_action()

    def set_capture_excluded(self, on: bool) -> None:
        self.window.settings.save_exclude_from_capture(on)
        for widget in (self.window, self.lock.screen):
            capture_exclusion.exclude_from_capture(widget, on)

    # -- actions -----------------------------------------------------------------------------

    def _build_actions(self) -> None:
        window = self.window
        self.lock_action = QAction("&Lock now", window)
        self.lock_action.setObjectName("lockNowAction")
        self.lock_action.setShortcut(QKeySequence("Ctrl+Alt+L"))
        self.lock_action.setToolTip("Cover every window until your password or passphrase is entered (Ctrl+Alt+L)")
        self.lock_action.setIcon(icons.icon("lock"))
        self.lock_action.triggered.connect(lambda: self.lock.lock(LockReason.MANUAL))
        window.addAction(self.lock_action)
        self.idle_action = QAction("Lock after &idle…", window)
        self.idle_action.triggered.connect(self.ask_idle_minutes)
        self._update_idle_action()
        self.capture_action = QAction("E&xclude from screen capture", window, checkable=True)
        self.capture_action.setChecked(self.capture_excluded())
        self.capture_action.toggled.connect(self.set_capture_excluded)
        if not capture_exclusion.supported():
            self.capture_action.setEnabled(False)
            self.capture_action.setToolTip(capture_exclusion.NOT_SUPPORTED)
        elif self.policy.exclude_from_capture is not None:
            self.capture_action.setEnabled(False)
            self.capture_action.setToolTip("Set by your organisation's policy")
        self.access_log_action = QAction("Access lo&g…", window)
        self.access_log_action.setObjectName("accessLogAction")
        self.access_log_action.setToolTip(
            "Who opened, previewed, saved, exported or searched what, and when" if self.access_log is not None
            else NO_LOG_REASON)
        self.access_log_action.triggered.connect(self.show_access_log)

        view = _menu(window, "View")
        if view is not None:
            view.addSeparator()
            for action in (self.privacy.action, self.privacy.reveal_action, self.lock_action, self.idle_action,
                           self.capture_action):
                view.addAction(action)
        help_menu = _menu(window, "Help")
        if help_menu is not None:
            help_menu.insertAction(help_menu.actions()[-1] if help_menu.actions() else None, self.access_log_action)

    def _update_idle_action(self) -> None:
        minutes = self.idle_minutes()
        fixed = self.policy.idle_minutes is not None
        self.idle_action.setText(f"Lock after &idle ({minutes} min)…")
        self.idle_action.setToolTip(
            f"Fixed at {minutes} min by your organisation's policy ({self.policy.source})" if fixed
            else "How long without input before caseviewer locks itself")

    def show_access_log(self):
        from caseviewer.ui.dialogs.access_log_viewer import AccessLogViewer

        reason = getattr(self.window, "cache_unavailable_reason", "") if self.access_log is None else ""
        dialog = AccessLogViewer(self.access_log, self.window.runner, self.window, no_log_reason=reason)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # -- OS session lock ---------------------------------------------------------------------

    def start_os_watch(self) -> list[str]:
        from caseviewer.ui.safeguards.lock.session_signal import SessionLockWatcher

        self._watcher = SessionLockWatcher(self)
        self._watcher.session_locked.connect(lambda: self.lock.lock(LockReason.SESSION))
        return self._watcher.start()

    # -- access log --------------------------------------------------------------------------

    def record(self, action: AccessAction, case_id: str | None = None) -> None:
        if self.access_log is not None:
            self.access_log.record(action, case_id)

    def _hook_access_log(self) -> None:
        window = self.window
        window.detail_shown.connect(self._case_opened)
        window.filter_bar.filters_changed.connect(
            lambda state: self.record(AccessAction.SEARCH) if getattr(state, "search", "") else None)
        pane = window.pane
        preview = getattr(pane, "preview", None)
        if preview is not None:
            preview.preview_ready.connect(
                lambda state: self.record(AccessAction.ATTACHMENT_PREVIEWED, preview.current_case_id() or pane.current_case_id())
                if state in CONTENT_STATES else None)
            preview.state_changed.connect(lambda _state: self.privacy.apply_to_preview())
        actions = getattr(pane, "actions", None)
        if actions is not None:
            actions.saved.connect(self._saved)
            actions.opened.connect(lambda _path: self.record(AccessAction.ATTACHMENT_OPENED_EXTERNALLY, pane.current_case_id()))

    def _case_opened(self, result: Any) -> None:
        detail = getattr(result, "detail", None)
        self.record(AccessAction.CASE_OPENED, result.case_id or (detail.id if detail is not None else None))

    def _saved(self, report: Any) -> None:
        for _path in getattr(report, "saved", []) or []:
            self.record(AccessAction.ATTACHMENT_SAVED, self.window.pane.current_case_id())

    def _apply_retention(self) -> None:
        """Worker: purge the log as the cache is purged, never below the minimum retention."""
        if self.access_log is None or getattr(self.window, "closed", False):
            return
        days = self.window.settings.purge_days()
        if days <= 0:
            return
        minimum = self.policy.min_retention_days if self.policy.min_retention_days is not None else DEFAULT_MIN_RETENTION_DAYS
        access_log = self.access_log
        self.window.runner.submit(lambda _context: access_log.purge(days, min_days=minimum),
                                  channel=self._purge_channel,
                                  on_error=lambda failure: self.window.show_message(failure.message))


__all__ = ["SHORTCUTS", "Safeguards"]
