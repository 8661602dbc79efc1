"""The GUI process's life: a clean quit on SIGTERM/SIGINT, and unhandled exceptions reported.

Signals: Python runs a signal handler only when the interpreter gets control, and the Qt event
loop is C++, so a plain ``signal.signal`` handler would wait for the next Python slot (SIGINT
seemed ignored, SIGTERM killed the process with its private copies left in /tmp).
``signal.set_wakeup_fd`` writes the signal number to a socket the loop watches
(``QSocketNotifier``); reading it enters Python, the handler runs and asks the application to
quit, and ``run_gui``'s normal exit path saves settings, stops workers and wipes the private
copies. Exit code 0: a requested quit is not a failure.

Exceptions: a bug on the GUI thread (a slot, a timer) or on a plain ``threading.Thread`` would go
to the default hooks, which print the full message to stderr (it may quote case data) and bypass
the crash dialog. The hooks installed here log the stack without the message through the
redacting log handlers (``core/logs.py``), print one line, and show the crash dialog.
"""

from __future__ import annotations

import logging
import signal
import socket
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal
from PySide6.QtWidgets import QApplication

from caseviewer.core.logs import redact
from caseviewer.ui.workers import TaskFailure, format_bug_traceback

log = logging.getLogger(__name__)

QUIT_SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGINT", None)) if s is not None)


class QuitOnSignals(QObject):
    """While installed, SIGTERM and SIGINT make the application quit cleanly (``uninstall`` undoes it)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self.received: list[int] = []
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {signum: signal.signal(signum, self._handle) for signum in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _handle(self, signum: int, _frame) -> None:  # noqa: ANN001
        # Runs on the main thread between bytecodes: safe to talk to Qt. A timer, not quit()
        # directly, so a signal that lands before app.exec() still ends the loop once it starts.
        self.received.append(signum)
        log.info("signal %s received: quitting", signum)
        QTimer.singleShot(0, self._app.quit)

    def _drain(self, *_args: object) -> None:
        try:
            while self._reader.recv(512):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:
            self._notifier.setEnabled(False)

    def uninstall(self) -> None:
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._notifier.setEnabled(False)
        for end in (self._reader, self._writer):
            end.close()


class _BugBridge(QObject):
    """Carries a bug from any thread to the GUI thread (a queued signal)."""

    bug = Signal(object)


def _failure(exc: BaseException, channel: str) -> TaskFailure:
    return TaskFailure(0, channel, exc, True, redact(format_bug_traceback(exc)))


class ExceptionHooks:
    """``sys.excepthook`` and ``threading.excepthook`` that redact, log and report a bug.

    ``report(failure)`` runs on the GUI thread (the main window's crash dialog). ``uninstall``
    puts the previous hooks back.
    """

    def __init__(self, report: Callable[[TaskFailure], None]) -> None:
        self._bridge = _BugBridge()
        self._bridge.bug.connect(report)
        self._previous_sys = sys.excepthook
        self._previous_threading = threading.excepthook
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook

    def _emit(self, exc: BaseException, where: str) -> None:
        failure = _failure(exc, where)
        # The stack only (no message: it may quote case data), through the redacting handlers.
        log.error("bug on the %s:\n%s", where, failure.traceback)
        print(f"caseviewer: internal error ({type(exc).__name__}) on the {where}; see the log", file=sys.stderr)
        self._bridge.bug.emit(failure)

    def _sys_hook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous_sys(exc_type, exc, tb)
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        self._emit(exc, "GUI thread")

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "?"
        self._emit(args.exc_value, f"thread {name}")

    def uninstall(self) -> None:
        sys.excepthook = self._previous_sys
        threading.excepthook = self._previous_threading


__all__ = ["ExceptionHooks", "QUIT_SIGNALS", "QuitOnSignals"]
