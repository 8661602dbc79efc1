"""The active profile in the status bar: its environment badge and a switcher.

The badge (PRODUCTION red, STAGING amber, DEMO blue) keeps a staging window from being mistaken for
production. Switching starts a fresh caseviewer process on the chosen profile and closes this
window: every connection, cache and worker belongs to one profile, so a clean start is the simplest
correct switch. Only the profile *name* goes on the new command line, never a secret, and the new
process gets an environment without any ``CASEVIEWER_*`` secret or setting (``core/child_env.py``).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QProcess, QProcessEnvironment
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox

from caseviewer.core import errors
from caseviewer.core.child_env import child_environment
from caseviewer.core.profiles import ProfileStore
from caseviewer.core.secrets import SecretStore
from caseviewer.ui.window.profile_switcher import EnvironmentBadge, ProfileSwitcher


def restart_command(profile_name: str) -> tuple[str, list[str]]:
    """Program and arguments that open caseviewer on ``profile_name`` (source or frozen bundle)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["--profile", profile_name]
    return sys.executable, ["-m", "caseviewer.cli", "--profile", profile_name]


def start_detached(program: str, arguments: list[str]) -> bool:
    """Start ``program`` detached with the scrubbed child environment (``core/child_env.py``):
    the static ``QProcess.startDetached`` would pass on this process's whole environment."""
    environment = QProcessEnvironment()
    for name, value in child_environment().items():
        environment.insert(name, value)
    process = QProcess()
    process.setProgram(program)
    process.setArguments(arguments)
    process.setProcessEnvironment(environment)
    started = process.startDetached()
    # PySide6 answers a bool here; some versions a (bool, pid) pair.
    return bool(started[0] if isinstance(started, tuple) else started)


class ProfileBar:
    """Installs the badge and switcher into ``window``'s status bar and handles their requests.

    ``unsaved`` names a connection that is not a stored profile (the demo) for the switcher. The
    profile and secret stores are the app's (``ui/context.py``). With a stored profile the window gets ``update_credentials`` as its way to fix a rejected
    credential (its error views and File > Update credentials… call it).
    """

    def __init__(
        self, window: QMainWindow, *, profile_name: str, environment: str, color: str = "", unsaved: str = "",
        profiles: ProfileStore, secrets: SecretStore,
    ) -> None:
        self.window = window
        self.profiles, self.secrets = profiles, secrets
        self.profile_name = profile_name
        #: The profile, Manage profiles or restart dialog open now (tests reach it here).
        self.dialog: QDialog | None = None
        self.badge = EnvironmentBadge(environment, color)
        self.badge.setToolTip("The environment of this connection")
        self.switcher = ProfileSwitcher(profiles, unsaved="" if profile_name else unsaved)
        self.switcher.setToolTip("Switch to another connection profile (opens it in a new window)")
        self.switcher.set_current_profile(profile_name or None)
        self.switcher.profile_chosen.connect(self.switch_to)
        self.switcher.new_requested.connect(self.new_profile)
        self.switcher.manage_requested.connect(self.manage_profiles)
        bar = window.statusBar()
        bar.addPermanentWidget(self.badge)
        bar.addPermanentWidget(self.switcher)
        set_handler = getattr(window, "set_credentials_handler", None)
        if profile_name and set_handler is not None:
            set_handler(self.update_credentials)

    def restart(self) -> None:
        """Open this profile again in a fresh process (new credentials take effect)."""
        self.switch_to(self.profile_name, again=True)

    def switch_to(self, name: str, *, again: bool = False) -> None:
        if not name or (name == self.profile_name and not again):
            return
        program, arguments = restart_command(name)
        if start_detached(program, arguments):
            self.window.close()
        else:
            QMessageBox.warning(self.window, "Switch profile", "caseviewer could not be started again.")

    def _show(self, dialog: QDialog, on_finished) -> QDialog:
        """Open ``dialog`` window-modal without a nested event loop."""
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._finished(dialog, on_finished))
        dialog.open()
        return dialog

    def _finished(self, dialog: QDialog, on_finished) -> None:
        if self.dialog is dialog:
            self.dialog = None
        try:
            on_finished(dialog)
        finally:
            dialog.deleteLater()
        self.switcher.refresh()
        self.switcher.set_current_profile(self.profile_name or None)

    def new_profile(self) -> QDialog:
        from caseviewer.ui.dialogs.profile_dialog import ProfileDialog

        dialog = ProfileDialog(self.window.runner, self.profiles, self.secrets, parent=self.window)
        return self._show(dialog, self._offer_to_open)

    def _offer_to_open(self, dialog) -> None:
        profile = dialog.saved_profile()
        if profile is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question, "Profile saved", f"Open the profile \u201c{profile.name}\u201d now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window,
        )
        box.buttonClicked.connect(
            lambda button: self.switch_to(profile.name)
            if box.standardButton(button) == QMessageBox.StandardButton.Yes else None
        )
        self.dialog = box
        box.open()

    def manage_profiles(self) -> QDialog:
        from caseviewer.ui.dialogs.manage_profiles import ManageProfilesDialog

        dialog = ManageProfilesDialog(
            self.window.runner, self.profiles, self.secrets, active=self.profile_name or None, parent=self.window
        )
        changed: set[str] = set()
        dialog.changed.connect(changed.add)

        def done(_dialog) -> None:
            if self.profile_name in changed:
                self._offer_restart("The profile this window uses has changed.")

        return self._show(dialog, done)

    def update_credentials(self) -> QDialog | None:
        """The active profile with its secret fields ready to replace; a reopen applies them."""
        from caseviewer.ui.dialogs.profile_dialog import ProfileDialog

        if not self.profile_name:
            return None
        store = self.profiles
        try:
            profile = store.get(self.profile_name)
        except errors.ConfigError as exc:
            QMessageBox.warning(self.window, "Update credentials", exc.message)
            return None
        dialog = ProfileDialog(
            self.window.runner, store, self.secrets, profile=profile, replace_secrets=True, parent=self.window
        )

        def done(finished) -> None:
            if finished.saved_profile() is not None:
                self._offer_restart("The new credentials are stored in the keyring.")

        return self._show(dialog, done)

    def _offer_restart(self, why: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question, "Reopen caseviewer",
            f"{why} Reopen the window on \u201c{self.profile_name}\u201d to use them now?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window,
        )
        box.button(QMessageBox.StandardButton.Yes).setText("Reopen now")
        box.button(QMessageBox.StandardButton.No).setText("Later")
        box.buttonClicked.connect(
            lambda button: self.restart() if box.standardButton(button) == QMessageBox.StandardButton.Yes else None
        )
        self.dialog = box
        box.open()
