"""One caseviewer window per user: a second launch hands its deep link to the running one.

The running app listens on a ``QLocalServer`` whose name is derived from the OS user id (and the
``CASEVIEWER_HOME`` in use, so portable installs and tests stay apart); the socket is user-only
(``UserAccessOption``). A second ``caseviewer caseviewer://case/…`` connects, sends the link as
one JSON line, waits for "ok" and exits; when nobody answers it starts a window itself. Only the
link travels (a case id and a profile name: no PHI).

The running app listens from its first frame on; a link that arrives before its session is open
is held and opened with it (``ui/app.py``). A server left behind by a crash is removed before
listening (Unix sockets outlive processes), but never one that still answers: of two windows
started together, the first to listen keeps the links.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from caseviewer.core.deeplink import DeepLink, parse_link

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 1500
MAX_MESSAGE = 4096
#: A live server accepts a local connection at once (the kernel queues it): no waiting on its loop.
LIVENESS_TIMEOUT_MS = 200


def server_name() -> str:
    """A per-user name: a hash of the user id and the config home (no user name in clear)."""
    user = str(os.getuid()) if hasattr(os, "getuid") else getpass.getuser()
    home = os.environ.get("CASEVIEWER_HOME", "")
    return "caseviewer-" + hashlib.sha256(f"{user}\0{home}".encode()).hexdigest()[:20]


def hand_over(link: DeepLink, *, name: str | None = None) -> bool:
    """Give ``link`` to a running caseviewer of this user; True when it took it."""
    socket = QLocalSocket()
    socket.connectToServer(name or server_name())
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    try:
        socket.write((json.dumps({"link": link.url()}) + "\n").encode())
        socket.flush()  # (waitForBytesWritten would say False once flush has written everything)
        while socket.bytesAvailable() < 3 and socket.waitForReadyRead(CONNECT_TIMEOUT_MS):
            pass
        return bytes(socket.readAll()).startswith(b"ok")
    finally:
        socket.disconnectFromServer()


def _answers(name: str) -> bool:
    """Whether a live server listens under ``name`` (a crashed run's socket file refuses)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    live = socket.waitForConnected(LIVENESS_TIMEOUT_MS)
    socket.abort()
    return live


class SingleInstanceServer(QObject):
    """Listens for links from later launches; emits ``link_received(DeepLink)``."""

    link_received = Signal(object)

    def __init__(self, parent: QObject | None = None, *, name: str | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Listen under the user's name; False when another caseviewer of the user already does
        (two launches started together: the other one keeps its socket) or listening fails."""
        # Asked first: with the user-only option Qt binds elsewhere and renames the socket into
        # place, which would silently replace a live one.
        if _answers(self.name):
            log.info("Another caseviewer window of this user already takes the links")
            return False
        if self.server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # a socket file left by a crashed run
        ok = self.server.listen(self.name)
        if not ok:
            log.warning("Single-instance server not available: %s", self.server.errorString())
        return ok

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda socket=socket: self._read(socket))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        try:  # a slot, not an override, but a bad peer must never take the app down
            if socket.bytesAvailable() > MAX_MESSAGE:
                socket.abort()
                return
            if not socket.canReadLine():
                return
            line = bytes(socket.readLine()).decode("utf-8", "replace")
            link = parse_link(json.loads(line).get("link", ""))
        except (ValueError, AttributeError, TypeError, RecursionError) as exc:  # deep JSON: RecursionError
            log.info("Ignored a message on the single-instance socket: %s", type(exc).__name__)
            socket.write(b"bad\n")
            socket.flush()
            return
        socket.write(b"ok\n")
        socket.flush()
        self.link_received.emit(link)

    def close(self) -> None:
        self.server.close()


__all__ = ["SingleInstanceServer", "hand_over", "server_name"]
