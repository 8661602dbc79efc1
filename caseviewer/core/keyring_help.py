"""What to tell a person whose machine has no usable keyring: one sentence, one fix, for *this* desktop.

``secrets.how_to_fix`` is the long, general advice for the command line. The welcome screen
instead names what is missing in one sentence and gives the single command or setting that fixes
it here: GNOME-family desktops (gnome-keyring), KDE (KWallet), another Linux desktop, or no
desktop at all (a headless session: ``dbus-run-session``). The desktop is read from the
environment the app runs in (``XDG_CURRENT_DESKTOP``, ``DISPLAY``/``WAYLAND_DISPLAY``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from enum import Enum

import keyring.errors

from caseviewer.core import errors


class Desktop(Enum):
    GNOME = "gnome"  # and the desktops that use gnome-keyring: Cinnamon, MATE, Unity, Budgie, XFCE
    KDE = "kde"
    OTHER = "other"
    HEADLESS = "headless"
    MACOS = "macos"
    WINDOWS = "windows"


class KeyringProblem(Enum):
    MISSING = "missing"  # no secure backend, or none running
    LOCKED = "locked"  # there, but locked


_GNOME_FAMILY = ("GNOME", "UNITY", "CINNAMON", "MATE", "BUDGIE", "XFCE", "PANTHEON", "POP")


def detect_desktop(environ: Mapping[str, str] | None = None, platform: str | None = None) -> Desktop:
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    if platform == "darwin":
        return Desktop.MACOS
    if platform.startswith("win"):
        return Desktop.WINDOWS
    if not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        return Desktop.HEADLESS
    names = ":".join(env.get(key, "") for key in ("XDG_CURRENT_DESKTOP", "XDG_SESSION_DESKTOP", "DESKTOP_SESSION"))
    names = names.upper()
    if "KDE" in names or "PLASMA" in names:
        return Desktop.KDE
    if any(name in names for name in _GNOME_FAMILY):
        return Desktop.GNOME
    return Desktop.OTHER


def problem_of(exc: errors.SecretStoreError) -> KeyringProblem:
    """Locked or missing, from the keyring error behind ``exc``."""
    return KeyringProblem.LOCKED if isinstance(exc.__cause__, keyring.errors.KeyringLocked) else KeyringProblem.MISSING


_HEADLESS_FIX = (
    "To fix: start caseviewer with  dbus-run-session -- sh -c "
    "'gnome-keyring-daemon --unlock --components=secrets --daemonize; caseviewer'"
)

_MISSING_FIX = {
    Desktop.GNOME: "To fix: sudo apt install gnome-keyring, then log out and back in.",
    Desktop.KDE: "To fix: System Settings › KDE Wallet › tick “Enable the KDE wallet subsystem”.",
    Desktop.OTHER: "To fix: sudo apt install gnome-keyring, then log out and back in.",
    Desktop.HEADLESS: _HEADLESS_FIX,
    Desktop.MACOS: "To fix: open Keychain Access and make sure the login keychain exists.",
    Desktop.WINDOWS: "To fix: sign in to Windows with your own account, so Credential Manager is available.",
}

_LOCKED_FIX = {
    Desktop.GNOME: "To fix: unlock the “Login” keyring in Passwords and Keys (seahorse).",
    Desktop.KDE: "To fix: open KWallet Manager and unlock your wallet.",
    Desktop.OTHER: "To fix: unlock the “Login” keyring in Passwords and Keys (seahorse).",
    Desktop.HEADLESS: _HEADLESS_FIX,
    Desktop.MACOS: "To fix: unlock the login keychain in Keychain Access.",
    Desktop.WINDOWS: "To fix: sign in to Windows again to unlock Credential Manager.",
}


def advice(problem: KeyringProblem, desktop: Desktop) -> str:
    """Two lines: what is missing, and the one thing that fixes it on ``desktop``."""
    if problem is KeyringProblem.LOCKED:
        what = "Your keyring is locked, so caseviewer cannot save or read your tokens and API keys."
        return f"{what}\n{_LOCKED_FIX[desktop]}"
    what = "No keyring is running, so caseviewer cannot save your tokens and API keys (it never uses a file instead)."
    return f"{what}\n{_MISSING_FIX[desktop]}"


def keyring_summary(store=None, environ: Mapping[str, str] | None = None) -> tuple[bool, str]:
    """``(ok, text)`` for the welcome screen; asks the keyring, so run it on a worker.

    ``store`` is a ``secrets.SecretStore`` (the default one when None).
    """
    from caseviewer.core.secrets import SecretStore

    store = store if store is not None else SecretStore()
    try:
        store.check()
    except errors.SecretStoreError as exc:
        return False, advice(problem_of(exc), detect_desktop(environ))
    return store.status()


__all__ = ["Desktop", "KeyringProblem", "advice", "detect_desktop", "keyring_summary", "problem_of"]
