"""TaskRunner: work runs on worker threads, answers arrive on the GUI thread, stale ones never do."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, QThread

from caseviewer.core.errors import Cancelled, NotFound
from caseviewer.ui import stragglers
from caseviewer.ui.workers import TaskFailure, TaskRunner


@pytest.fixture
def runner(qtbot):
    runner = TaskRunner(threads=2)
    yield runner
    runner.shutdown(timeout=1.5)


def test_runs_off_the_gui_thread_and_answers_on_it(qtbot, runner):
    gui = threading.current_thread()
    ran_on: list[threading.Thread] = []
    answered_on: list[threading.Thread] = []
    results: list[int] = []

    def work(a, b, context):
        assert isinstance(context.cancel, threading.Event)
        ran_on.append(threading.current_thread())
        return a + b

    def done(value):
        answered_on.append(threading.current_thread())
        results.append(value)

    task = runner.submit(lambda context: work(2, 3, context), on_result=done)
    qtbot.waitUntil(lambda: results == [5])
    assert ran_on[0] is not gui
    assert answered_on == [gui]
    assert task.request_id > 0
    assert runner.pending_count == 0


def test_request_ids_are_unique(runner):
    gate = threading.Event()
    tasks = [runner.submit(lambda _context: gate.wait(5)) for _ in range(5)]
    gate.set()
    assert len({t.request_id for t in tasks}) == 5


def test_a_new_request_on_a_channel_drops_the_old_answer(qtbot):
    # One worker thread: the first answer is queued to the GUI thread before the second one,
    # so once "second" arrives the stale "first" has been through the runner and was dropped.
    runner = TaskRunner(threads=1)
    try:
        release_first = threading.Event()
        first_started = threading.Event()
        delivered: list[str] = []

        def slow(_context):
            first_started.set()
            release_first.wait(5)
            return "first"  # ignores cancel, like a request already on the wire

        first = runner.submit(slow, channel="detail", on_result=delivered.append, on_error=delivered.append)
        assert first_started.wait(5)
        second = runner.submit(lambda _context: "second", channel="detail", on_result=delivered.append)
        assert first.cancel.is_set(), "superseding must set the old request's cancel event"
        assert runner.current_request_id("detail") == second.request_id
        release_first.set()
        qtbot.waitUntil(lambda: delivered == ["second"])
        assert runner.pending_count == 0
    finally:
        runner.shutdown()


def test_a_superseded_queued_request_never_runs(qtbot):
    runner = TaskRunner(threads=1)
    try:
        gate = threading.Event()
        ran: list[str] = []
        runner.submit(lambda _context: gate.wait(5))  # occupies the only worker
        runner.submit(lambda _context: ran.append("old"), channel="list")
        runner.submit(lambda _context: ran.append("new") or "new", channel="list", on_result=lambda v: None)
        gate.set()
        qtbot.waitUntil(lambda: ran == ["new"])
    finally:
        runner.shutdown()


def test_known_error_goes_to_on_error_without_a_bug(qtbot, runner):
    failures: list[TaskFailure] = []
    bugs: list[TaskFailure] = []
    runner.bug.connect(bugs.append)

    def missing(_context):
        raise NotFound("No such case.", service="case detail service", status_code=404)

    runner.submit(missing, on_error=failures.append)
    qtbot.waitUntil(lambda: len(failures) == 1)
    assert not failures[0].is_bug
    assert failures[0].message == "No such case."
    assert isinstance(failures[0].exception, NotFound)
    assert bugs == []


def test_other_exceptions_are_bugs_with_a_traceback(qtbot, runner):
    failures: list[TaskFailure] = []

    def broken_helper(_context):
        return {"secret-looking case data": 1}["missing"]

    with qtbot.waitSignal(runner.bug) as blocker:
        runner.submit(broken_helper, on_error=failures.append)
    bug = blocker.args[0]
    assert bug.is_bug
    assert "broken_helper" in bug.traceback
    assert "KeyError" in bug.traceback
    assert "missing" not in bug.traceback.splitlines()[-1], "the exception message may carry case data"
    qtbot.waitUntil(lambda: failures == [bug])
    assert bug.message.startswith("Unexpected error")


def test_progress_is_delivered_on_the_gui_thread(qtbot, runner):
    seen: list[tuple[int, int]] = []
    done: list[str] = []

    def download(context):
        for step in range(1, 4):
            context.progress(step * 10, 30)
        return "ok"

    runner.submit(download, on_progress=lambda d, t: seen.append((d, t)), on_result=done.append)
    qtbot.waitUntil(lambda: done == ["ok"])
    assert seen == [(10, 30), (20, 30), (30, 30)]


def test_cancel_drops_the_answer_and_signals_the_task(qtbot, runner):
    started = threading.Event()
    delivered: list[object] = []

    def waits_for_cancel(context):
        started.set()
        if context.cancel.wait(5):
            raise Cancelled("Cancelled.")
        return "finished"

    task = runner.submit(waits_for_cancel, channel="list", on_result=delivered.append, on_error=delivered.append)
    assert started.wait(5)
    runner.cancel("list")
    assert task.cancel.is_set()
    marker = runner.submit(lambda _context: "marker", on_result=delivered.append)
    qtbot.waitUntil(lambda: delivered == ["marker"])
    assert marker.request_id != task.request_id


def test_shutdown_does_not_wait_for_a_stuck_thread(qtbot):
    runner = TaskRunner(threads=2)
    release = threading.Event()
    started = threading.Event()

    def stuck(_context):  # ignores cancel, like a blocking socket read
        started.set()
        release.wait(10)

    runner.submit(stuck)
    assert started.wait(5)
    assert runner.shutdown(timeout=0.3) is False
    assert len(stragglers.parked_threads()) == 1
    with pytest.raises(RuntimeError):
        runner.submit(lambda _context: None)
    release.set()
    qtbot.waitUntil(lambda: not stragglers.parked_threads())


def test_shutdown_joins_idle_threads(qtbot):
    runner = TaskRunner(threads=3)
    threads = [thread for thread, _ in runner._pool]
    assert all(isinstance(t, QThread) and t.isRunning() for t in threads)
    assert runner.shutdown(timeout=1.5) is True
    assert all(t.isFinished() for t in threads)


def test_channels_of_two_owners_with_one_name_never_supersede_each_other(qtbot, runner):
    first_owner, second_owner = QObject(), QObject()
    first, second = runner.channel("detail", first_owner), runner.channel("detail", second_owner)
    delivered: list[str] = []
    gate = threading.Event()
    first.submit(lambda _context: gate.wait(5) and "first", on_result=delivered.append)
    second.submit(lambda _context: "second", on_result=delivered.append)
    qtbot.waitUntil(lambda: delivered == ["second"])
    gate.set()
    qtbot.waitUntil(lambda: sorted(delivered) == ["first", "second"])


def test_a_destroyed_owner_abandons_its_channel_task(qtbot, runner):
    owner = QObject()
    channel = runner.channel("preview", owner)
    started = threading.Event()
    delivered: list[object] = []

    def waits(context):
        started.set()
        return "woken" if context.cancel.wait(5) else "timed out"

    task = channel.submit(waits, on_result=delivered.append, on_error=delivered.append)
    assert started.wait(5)
    owner.deleteLater()
    qtbot.waitUntil(lambda: task.cancelled)
    assert task.cancel.is_set()
    marker = runner.submit(lambda _context: "marker", on_result=delivered.append)
    qtbot.waitUntil(lambda: delivered == ["marker"])
    assert marker.request_id != task.request_id


def test_a_stopped_task_still_delivers_its_answer(qtbot, runner):
    started = threading.Event()
    delivered: list[str] = []

    def reports(context):
        started.set()
        return "stopped early" if context.cancel.wait(5) else "ran out"

    task = runner.submit(reports, channel=runner.channel("sync"), on_result=delivered.append)
    assert started.wait(5)
    task.stop()
    qtbot.waitUntil(lambda: delivered == ["stopped early"])
    assert not task.cancelled
