"""The desktop's own screen lock, heard over D-Bus where the desktop sends it (Linux).

Listens, when ``PySide6.QtDBus`` imports and the buses answer, to:

* ``org.freedesktop.login1.Session.Lock`` on the system bus (systemd-logind: ``loginctl
  lock-session``, most desktops' lock), for the session in ``XDG_SESSION_ID``;
* ``ActiveChanged(true)`` of ``org.gnome.ScreenSaver`` and ``org.freedesktop.ScreenSaver`` on the
  session bus (GNOME, KDE, Cinnamon, XFCE's screensaver).

Anything missing (no QtDBus, no bus, Windows, macOS) is skipped silently: the idle lock and
Ctrl+Alt+L still work. ``start()`` returns what it listens to, for the log.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import SLOT, QObject, Signal, Slot

log = logging.getLogger(__name__)

_SCREENSAVERS = (
    ("org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
    ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("org.freedesktop.ScreenSaver", "/ScreenSaver", "org.freedesktop.ScreenSaver"),
)


class SessionLockWatcher(QObject):
    session_locked = Signal()

    @Slot(bool)
    def _active_changed(self, active: bool) -> None:
        if active:
            self.session_locked.emit()

    @Slot()
    def _lock(self) -> None:
        self.session_locked.emit()

    def start(self) -> list[str]:
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            return []
        listening: list[str] = []
        try:
            session = QDBusConnection.sessionBus()
            if session.isConnected():
                for service, path, interface in _SCREENSAVERS:
                    if session.connect(service, path, interface, "ActiveChanged", self, SLOT("_active_changed(bool)")):
                        listening.append(f"{service}{path}")
            session_id = os.environ.get("XDG_SESSION_ID", "")
            system = QDBusConnection.systemBus()
            if session_id and system.isConnected():
                escaped = "".join(c if c.isalnum() else f"_{ord(c):02x}" for c in session_id)
                path = f"/org/freedesktop/login1/session/{escaped}"
                if system.connect("org.freedesktop.login1", path, "org.freedesktop.login1.Session", "Lock",
                                  self, SLOT("_lock()")):
                    listening.append(f"login1{path}")
        except Exception:  # noqa: BLE001 - a desktop without these services is normal
            log.debug("no OS session-lock signal", exc_info=True)
        log.info("OS session lock signals: %s", ", ".join(listening) or "none")
        return listening


__all__ = ["SessionLockWatcher"]
