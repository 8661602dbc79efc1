"""Run blocking work (network, parsing, decoding) off the GUI thread and bring results back.

``TaskRunner`` owns a few long-lived ``QThread``s, each with a ``Worker`` QObject moved onto it.
Workers pull tasks from one shared queue, call them, and emit ``result`` / ``error`` /
``progress``; those signals cross back to the GUI thread as queued connections, where the runner
decides whether anybody still wants the answer. Workers never touch widgets or models.

A task is a callable of one argument, its ``TaskContext``: ``context.cancel`` (a
``threading.Event``, what repository methods take as ``cancel=``) and ``context.progress(done,
total)``. Nothing is injected by name; a task that needs neither ignores its context
(``lambda _context: store.list()``).

Every task has a request id. A task submitted on a *channel* supersedes the channel's previous
task: the old one's cancel event is set (which wakes back-off sleeps in the HTTP layer) and its
result, if it still arrives, is dropped. That is what makes rapid arrow-key movement show only the
last selected case. A widget makes its channels with ``runner.channel(name, owner)``: the channel
is the owner's (two widgets naming a channel alike never supersede each other), and its task is
cancelled when the owner is destroyed.

A ``KnownError`` is something the user can act on; anything else is a bug and is delivered with
``is_bug=True`` and a traceback for the crash report.

Shutdown: cancel everything, stop the workers, join the threads within a deadline. A thread stuck
in a blocking socket read cannot be interrupted from Python, so it is left to finish on its own:
it is kept referenced (destroying a running QThread aborts the process) and, if it is still
running when the interpreter exits, ``ui.stragglers`` ends the process without waiting for it,
so quitting never hangs on a slow request.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from caseviewer.core.errors import KnownError
from caseviewer.ui.stragglers import park_straggler

log = logging.getLogger(__name__)

_request_ids = itertools.count(1)


def next_request_id() -> int:
    """A process-wide unique request id (ids are never reused, so stale checks cannot collide)."""
    return next(_request_ids)


@dataclass(frozen=True)
class TaskContext:
    """What a running task is given: its cancel event and a progress callback (worker thread)."""

    cancel: threading.Event
    _report: Callable[[int, int | None], None] | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancel.is_set()

    def progress(self, done: int, total: int | None) -> None:
        """Report ``done`` of ``total`` (None: unknown); dropped when nobody asked for progress."""
        if self._report is not None:
            self._report(done, total)


class Channel:
    """A named request slot owned by one widget: a new task on it supersedes the previous one.

    Made by ``TaskRunner.channel``; ``key`` is unique per channel, ``name`` is what crash reports
    and logs show.
    """

    _keys = itertools.count(1)

    def __init__(self, runner: "TaskRunner", name: str) -> None:
        self.runner = runner
        self.name = name
        self.key = f"{name}#{next(self._keys)}"

    def submit(self, task: Callable[[TaskContext], Any], **options: Any) -> "Task":
        return self.runner.submit(task, channel=self, **options)

    def cancel(self) -> None:
        self.runner.cancel(self)

    def current_request_id(self) -> int | None:
        return self.runner.current_request_id(self)

    def __repr__(self) -> str:
        return f"Channel({self.key!r})"


def channel_key(channel: "Channel | str | None") -> str | None:
    """The runner's key for a channel (a plain string names a shared channel, as tests use)."""
    return channel.key if isinstance(channel, Channel) else channel


def channel_name(channel: "Channel | str | None") -> str | None:
    return channel.name if isinstance(channel, Channel) else channel


def cancellable(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[[TaskContext], Any]:
    """The task ``fn(*args, cancel=context.cancel, **kwargs)`` (repository methods take ``cancel=``).

    It carries ``fn``'s name, so logs and tests can tell which call a task makes.
    """
    def task(context: TaskContext) -> Any:
        return fn(*args, cancel=context.cancel, **kwargs)

    task.__name__ = task.__qualname__ = getattr(fn, "__name__", "task")
    return task


@dataclass(eq=False)
class Task:
    """One unit of work for a worker thread. Created by ``TaskRunner.submit``."""

    fn: Callable[[TaskContext], Any]
    request_id: int
    channel: str | None = None
    #: The runner's key for the channel (``channel`` is its name, for reports).
    channel_key: str | None = None
    #: The event the task sees as ``context.cancel``.
    cancel: threading.Event = field(default_factory=threading.Event)
    on_result: Callable[[Any], None] | None = None
    on_error: Callable[["TaskFailure"], None] | None = None
    on_progress: Callable[[int, int], None] | None = None
    #: Superseded or cancelled: its answer is dropped (set on the GUI thread only).
    abandoned: bool = False

    @property
    def cancelled(self) -> bool:
        return self.abandoned

    def abandon(self) -> None:
        """Nobody wants the answer: wake the task (its cancel event) and drop what it returns."""
        self.abandoned = True
        self.cancel.set()

    def stop(self) -> None:
        """Ask the task to stop early but still deliver its answer (a sync reports what it did)."""
        self.cancel.set()


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
        report = None
        if task.on_progress is not None:
            report = lambda done, total: self._report(task, done, total)  # noqa: E731
        try:
            value = task.fn(TaskContext(task.cancel, report))
        except KnownError as exc:
            self.error.emit((task, TaskFailure(task.request_id, task.channel, exc, False)))
        except Exception as exc:  # noqa: BLE001 - anything else is a bug, reported not swallowed
            self.error.emit(
                (task, TaskFailure(task.request_id, task.channel, exc, True, format_bug_traceback(exc)))
            )
        else:
            self.result.emit(TaskOutcome(task, value))

    def detach(self) -> None:
        """Disconnect the runner from this worker's answers (the runner is going away)."""
        for signal in (self.result, self.error, self._task_progress):
            try:
                signal.disconnect()
            except (RuntimeError, TypeError):
                pass  # nothing was connected

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

    def channel(self, name: str, owner: QObject | None = None) -> Channel:
        """A channel of ``owner``'s; its task is cancelled when the owner is destroyed."""
        made = Channel(self, name)
        if owner is not None:
            owner.destroyed.connect(lambda *_args, key=made.key: self._cancel_key(key))
        return made

    def submit(
        self,
        fn: Callable[[TaskContext], Any],
        *,
        channel: Channel | str | None = None,
        request_id: int | None = None,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[TaskFailure], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Task:
        """Run ``fn(context)`` on a worker; deliver the answer on the GUI thread.

        ``context.cancel`` is set when the task is superseded or cancelled; with ``on_progress``,
        ``context.progress(done, total)`` reaches it. Returns the task; its ``request_id``
        identifies the request.
        """
        if self._stopped:
            raise RuntimeError("The task runner has been shut down.")
        key = channel_key(channel)
        task = Task(
            fn=fn,
            request_id=request_id if request_id is not None else next_request_id(),
            channel=channel_name(channel),
            channel_key=key,
            on_result=on_result,
            on_error=on_error,
            on_progress=on_progress,
        )
        if key is not None:
            previous = self._current.get(key)
            if previous is not None:
                previous.abandon()
                self._forget(previous)
            self._current[key] = task
        self._pending[task.request_id] = task
        self._queue.put(task)
        self.busy_changed.emit(len(self._pending))
        return task

    def cancel(self, channel: Channel | str) -> None:
        """Abandon the channel's current task (its answer will be dropped)."""
        self._cancel_key(channel_key(channel))

    def _cancel_key(self, key: str | None) -> None:
        task = self._current.pop(key, None) if key is not None else None
        if task is not None:
            task.abandon()
            self._forget(task)

    def current_request_id(self, channel: Channel | str) -> int | None:
        task = self._current.get(channel_key(channel))
        return task.request_id if task is not None else None

    def is_current(self, task: Task) -> bool:
        """Still wanted: not cancelled and, on a channel, not superseded."""
        if task.cancelled or self._stopped:
            return False
        if task.channel_key is None:
            return True
        return self._current.get(task.channel_key) is task

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
        if task.channel_key is not None and self._current.get(task.channel_key) is task:
            del self._current[task.channel_key]
        self._forget(task)
        return wanted

    def _forget(self, task: Task) -> None:
        if self._pending.pop(task.request_id, None) is not None:
            self.busy_changed.emit(len(self._pending))

    # -- shutdown -----------------------------------------------------------------------------

    def cancel_all(self) -> None:
        """Set every outstanding task's cancel event (wakes back-off sleeps); answers are dropped."""
        for task in list(self._pending.values()):
            task.abandon()
        self._pending.clear()
        self._current.clear()

    def shutdown(self, timeout: float = 1.5) -> bool:
        """Stop all workers and join their threads within ``timeout`` seconds in total.

        Returns True when every thread finished. Threads still blocked (a socket read that
        cannot be interrupted) are parked (``ui.stragglers``) and end on their own.
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
                worker.detach()  # a late answer must not reach a runner being torn down
                park_straggler(thread, worker)
        self._pool.clear()
        return all_done


__all__ = [
    "Channel",
    "Task",
    "TaskContext",
    "TaskFailure",
    "TaskOutcome",
    "TaskRunner",
    "Worker",
    "cancellable",
    "format_bug_traceback",
    "next_request_id",
]
