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
from PySide6.QtWidgets import QMainWindow, QMessageBox

from caseviewer.core.child_env import child_environment
from caseviewer.core.profiles import ProfileStore
from caseviewer.core.secrets import SecretStore
from caseviewer.ui.profile_switcher import EnvironmentBadge, ProfileSwitcher


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
    """Installs the badge and switcher into ``window``'s status bar and handles their requests."""

    def __init__(self, window: QMainWindow, *, profile_name: str, environment: str, color: str = "") -> None:
        self.window = window
        self.profile_name = profile_name
        self.badge = EnvironmentBadge(environment, color)
        self.badge.setToolTip("The environment of this connection")
        self.switcher = ProfileSwitcher(ProfileStore())
        self.switcher.setToolTip("Switch to another connection profile (opens it in a new window)")
        self.switcher.set_current_profile(profile_name or None)
        self.switcher.profile_chosen.connect(self.switch_to)
        self.switcher.new_requested.connect(self.new_profile)
        self.switcher.manage_requested.connect(self.new_profile)
        bar = window.statusBar()
        bar.addPermanentWidget(self.badge)
        bar.addPermanentWidget(self.switcher)

    def switch_to(self, name: str) -> None:
        if not name or name == self.profile_name:
            return
        program, arguments = restart_command(name)
        if start_detached(program, arguments):
            self.window.close()
        else:
            QMessageBox.warning(self.window, "Switch profile", "caseviewer could not be started again.")

    def new_profile(self) -> None:
        from caseviewer.ui.profile_dialog import ProfileDialog

        runner = self.window.runner
        dialog = ProfileDialog(runner, ProfileStore(), SecretStore(), parent=self.window)
        dialog.exec()
        profile = dialog.saved_profile()
        self.switcher.refresh()
        self.switcher.set_current_profile(self.profile_name or None)
        if profile is not None:
            answer = QMessageBox.question(
                self.window, "Profile saved", f"Open the profile \u201c{profile.name}\u201d now?"
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.switch_to(profile.name)
