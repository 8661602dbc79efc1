"""Worker threads that outlive their runner, and a process exit that does not wait for them.

A worker blocked in a socket read cannot be interrupted from Python, so ``TaskRunner.shutdown``
stops waiting for it after its deadline and parks it here. A parked thread is kept referenced,
with its worker: PySide aborts the whole process when a running ``QThread`` is destroyed. At
interpreter exit, if one is still running, the process ends at once with the app's exit code
(``set_exit_code``) rather than hanging on a slow request or aborting as Qt tears it down.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys

from PySide6.QtCore import QObject, QThread

log = logging.getLogger(__name__)

#: (thread, its worker): kept referenced until the thread finishes.
_parked: list[tuple[QThread, QObject]] = []
_exit_code = 0


def park_straggler(thread: QThread, worker: QObject) -> None:
    """Keep a still-running ``thread`` (and the worker moved onto it) alive until it ends."""
    _parked[:] = [pair for pair in _parked if not pair[0].isFinished()]
    _parked.append((thread, worker))
    log.info("worker thread %s still busy at shutdown; not waiting for it", thread.objectName())


def parked_threads() -> list[QThread]:
    """The parked threads still running (tests wait on these)."""
    return [thread for thread, _ in _parked if not thread.isFinished()]


def set_exit_code(code: int) -> None:
    """Remember the app's exit code for an exit past parked threads."""
    global _exit_code
    _exit_code = code


@atexit.register
def _exit_past_stragglers() -> None:
    """At interpreter exit, a still-running QThread would abort the process when PySide destroys
    it. If one is still blocked in a network read, end the process now with the app's code."""
    running = parked_threads()
    if not running:
        return
    for thread in running:
        thread.wait(200)
    if any(not thread.isFinished() for thread in running):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001 - a closed stream must not stop the exit
                pass
        logging.shutdown()
        os._exit(_exit_code)


__all__ = ["park_straggler", "parked_threads", "set_exit_code"]
