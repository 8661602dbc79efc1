"""Run blocking work (network, parsing, decoding) off the GUI thread and bring results back.

``TaskRunner`` owns a few long-lived ``QThread``s, each with a ``Worker`` QObject moved onto it.
Workers pull tasks from one shared queue, call them, and emit ``result`` / ``error`` /
``progress``; those signals cross back to the GUI thread as queued connections, where the runner
decides whether anybody still wants the answer. Workers never touch widgets or models.

Every task has a request id. A task submitted on a *channel* ("list", "detail", ...) supersedes
the channel's previous task: the old one's cancel event is set (which wakes back-off sleeps in the
HTTP layer) and its result, if it still arrives, is dropped. That is what makes rapid arrow-key
movement show only the last selected case.

A ``KnownError`` is something the user can act on; anything else is a bug and is delivered with
``is_bug=True`` and a traceback for the crash report.

Shutdown: cancel everything, stop the workers, join the threads within a deadline. A thread stuck
in a blocking socket read cannot be interrupted from Python, so it is left to finish on its own:
it is kept referenced (destroying a running QThread aborts the process) and, if it is still
running when the interpreter exits, ``_exit_past_stragglers`` ends the process without waiting
for it, so quitting never hangs on a slow request.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import os
import queue
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from caseviewer.core.errors import KnownError

log = logging.getLogger(__name__)

_request_ids = itertools.count(1)


def next_request_id() -> int:
    """A process-wide unique request id (ids are never reused, so stale checks cannot collide)."""
    return next(_request_ids)


@dataclass(eq=False)
class Task:
    """One unit of work for a worker thread. Created by ``TaskRunner.submit``."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    request_id: int
    channel: str | None = None
    cancel: threading.Event = field(default_factory=threading.Event)
    on_result: Callable[[Any], None] | None = None
    on_error: Callable[["TaskFailure"], None] | None = None
    on_progress: Callable[[int, int], None] | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()


@dataclass
class TaskFailure:
    """Why a task failed, as the GUI receives it.

    ``is_bug`` is True for anything that is not a ``KnownError``; ``traceback`` then holds the
    formatted stack for the crash report.
    """

    request_id: int
    channel: str | None
    exception: BaseException
    is_bug: bool
    traceback: str = ""

    @property
    def message(self) -> str:
        if isinstance(self.exception, KnownError):
            return self.exception.message
        return f"Unexpected error ({type(self.exception).__name__})."


@dataclass
class TaskOutcome:
    """A finished task's return value, before the runner decides whether it is still wanted."""

    task: Task
    value: Any


class Worker(QObject):
    """Runs tasks from the shared queue on its own thread until it pulls the stop sentinel."""

    result = Signal(object)  # TaskOutcome
    error = Signal(object)  # (Task, TaskFailure)
    progress = Signal(int, int)
    _task_progress = Signal(object, int, int)  # (Task, done, total): routed by the runner

    def __init__(self, tasks: "queue.Queue[Task | None]") -> None:
        super().__init__()
        self._tasks = tasks

    @Slot()
    def run(self) -> None:
        """The worker loop. Blocks on the queue, which is fine: this thread has nothing else to do."""
        while True:
            task = self._tasks.get()
            if task is None:
                break
            if task.cancelled:
                continue  # superseded before it started: skip the request entirely
            self._run_one(task)
        QThread.currentThread().quit()

    def _run_one(self, task: Task) -> None:
        kwargs = dict(task.kwargs)
        if task.on_progress is not None:
            kwargs["progress"] = lambda done, total: self._report(task, done, total)
        try:
            value = task.fn(*task.args, **kwargs)
        except KnownError as exc:
            self.error.emit((task, TaskFailure(task.request_id, task.channel, exc, False)))
        except Exception as exc:  # noqa: BLE001 - anything else is a bug, reported not swallowed
            self.error.emit(
                (task, TaskFailure(task.request_id, task.channel, exc, True, format_bug_traceback(exc)))
            )
        else:
            self.result.emit(TaskOutcome(task, value))

    def _report(self, task: Task, done: int, total: int | None) -> None:
        total = -1 if total is None else int(total)
        self.progress.emit(int(done), total)
        self._task_progress.emit(task, int(done), total)


def format_bug_traceback(exc: BaseException) -> str:
    """The stack of a bug without the exception's message (it may quote case data)."""
    frames = traceback.format_tb(exc.__traceback__)
    return "Traceback (most recent call last):\n" + "".join(frames) + f"{type(exc).__module__}.{type(exc).__qualname__}\n"


class TaskRunner(QObject):
    """A small pool of worker threads with per-channel supersession and stale-result dropping.

    Must be created and used on the GUI thread; callbacks are called there.
    """

    #: Every bug (non-KnownError) of any task, also when its task had no ``on_error``.
    bug = Signal(object)  # TaskFailure
    #: Number of tasks submitted and not yet answered (for a busy indicator).
    busy_changed = Signal(int)

    def __init__(self, *, threads: int = 3, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[Task | None] = queue.Queue()
        self._pool: list[tuple[QThread, Worker]] = []
        self._current: dict[str, Task] = {}
        self._pending: dict[int, Task] = {}
        self._stopped = False
        for index in range(max(1, threads)):
            thread = QThread()
            thread.setObjectName(f"caseviewer-worker-{index}")
            worker = Worker(self._queue)
            worker.moveToThread(thread)
            thread.started.connect(worker.run)
            # The runner lives on the GUI thread, so these are queued connections.
            worker.result.connect(self._on_result)
            worker.error.connect(self._on_error)
            worker._task_progress.connect(self._on_progress)
            thread.start()
            self._pool.append((thread, worker))

    # -- submitting ---------------------------------------------------------------------------

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        channel: str | None = None,
        request_id: int | None = None,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[TaskFailure], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        pass_cancel: bool = True,
        **kwargs: Any,
    ) -> Task:
        """Run ``fn(*args, **kwargs)`` on a worker; deliver the answer on the GUI thread.

        ``pass_cancel`` adds ``cancel=<threading.Event>`` to the call (repository methods take
        it). With ``on_progress``, ``progress=callback(done, total)`` is passed too.
        Returns the task; its ``request_id`` identifies the request.
        """
        if self._stopped:
            raise RuntimeError("The task runner has been shut down.")
        task = Task(
            fn=fn,
            args=args,
            kwargs=kwargs,
            request_id=request_id if request_id is not None else next_request_id(),
            channel=channel,
            on_result=on_result,
            on_error=on_error,
            on_progress=on_progress,
        )
        if pass_cancel:
            task.kwargs["cancel"] = task.cancel
        if channel is not None:
            previous = self._current.get(channel)
            if previous is not None:
                previous.cancel.set()
                self._forget(previous)
            self._current[channel] = task
        self._pending[task.request_id] = task
        self._queue.put(task)
        self.busy_changed.emit(len(self._pending))
        return task

    def cancel(self, channel: str) -> None:
        """Abandon the channel's current task (its answer will be dropped)."""
        task = self._current.pop(channel, None)
        if task is not None:
            task.cancel.set()
            self._forget(task)

    def current_request_id(self, channel: str) -> int | None:
        task = self._current.get(channel)
        return task.request_id if task is not None else None

    def is_current(self, task: Task) -> bool:
        """Still wanted: not cancelled and, on a channel, not superseded."""
        if task.cancelled or self._stopped:
            return False
        if task.channel is None:
            return True
        return self._current.get(task.channel) is task

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    # -- results (GUI thread) -----------------------------------------------------------------

    @Slot(object)
    def _on_result(self, outcome: TaskOutcome) -> None:
        task = outcome.task
        if not self._finish(task):
            log.debug("dropped stale result of request %s (%s)", task.request_id, task.channel)
            return
        if task.on_result is not None:
            task.on_result(outcome.value)

    @Slot(object)
    def _on_error(self, payload: tuple[Task, TaskFailure]) -> None:
        task, failure = payload
        wanted = self._finish(task)
        if failure.is_bug:
            # A bug is reported even when its answer is stale: it is still a bug.
            log.error("bug in request %s (%s):\n%s", task.request_id, task.channel, failure.traceback)
            self.bug.emit(failure)
        if not wanted:
            return
        if task.on_error is not None:
            task.on_error(failure)

    @Slot(object, int, int)
    def _on_progress(self, task: Task, done: int, total: int) -> None:
        if self.is_current(task) and task.on_progress is not None:
            task.on_progress(done, total)

    def _finish(self, task: Task) -> bool:
        """Forget the task; True when its answer is still wanted."""
        wanted = self.is_current(task)
        if task.channel is not None and self._current.get(task.channel) is task:
            del self._current[task.channel]
        self._forget(task)
        return wanted

    def _forget(self, task: Task) -> None:
        if self._pending.pop(task.request_id, None) is not None:
            self.busy_changed.emit(len(self._pending))

    # -- shutdown -----------------------------------------------------------------------------

    def cancel_all(self) -> None:
        """Set every outstanding task's cancel event (wakes back-off sleeps); answers are dropped."""
        for task in list(self._pending.values()):
            task.cancel.set()
        self._pending.clear()
        self._current.clear()

    def shutdown(self, timeout: float = 1.5) -> bool:
        """Stop all workers and join their threads within ``timeout`` seconds in total.

        Returns True when every thread finished. Threads still blocked (a socket read that
        cannot be interrupted) are parked in ``_stragglers`` and end on their own.
        """
        if self._stopped:
            return True
        self.cancel_all()
        self._stopped = True
        # Drain queued tasks so workers reach the sentinels at once.
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass
        for _ in self._pool:
            self._queue.put(None)
        deadline = time.monotonic() + timeout
        all_done = True
        for thread, worker in self._pool:
            remaining_ms = max(0, int((deadline - time.monotonic()) * 1000))
            if not thread.wait(remaining_ms):
                all_done = False
                _park_straggler(thread, worker)
        self._pool.clear()
        return all_done


# -- threads that outlive their runner --------------------------------------------------------

_stragglers: list[tuple[QThread, Worker]] = []
_exit_code = 0


def _park_straggler(thread: QThread, worker: Worker) -> None:
    # Disconnect so a late answer does not reach a runner that is being torn down.
    for signal in (worker.result, worker.error, worker._task_progress):
        try:
            signal.disconnect()
        except (RuntimeError, TypeError):
            pass
    _stragglers[:] = [pair for pair in _stragglers if not pair[0].isFinished()]
    _stragglers.append((thread, worker))
    log.info("worker thread %s still busy at shutdown; not waiting for it", thread.objectName())


def set_exit_code(code: int) -> None:
    """Remember the app's exit code for ``_exit_past_stragglers``."""
    global _exit_code
    _exit_code = code


@atexit.register
def _exit_past_stragglers() -> None:
    """At interpreter exit, a still-running QThread would abort the process when PySide destroys
    it. If one is still blocked in a network read, end the process now with the app's code."""
    running = [thread for thread, _ in _stragglers if not thread.isFinished()]
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


__all__ = [
    "Task",
    "TaskFailure",
    "TaskOutcome",
    "TaskRunner",
    "Worker",
    "format_bug_traceback",
    "next_request_id",
    "set_exit_code",
]
