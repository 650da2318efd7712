"""Reads off the GUI thread: results arrive on the GUI thread, failures are sorted."""

from __future__ import annotations

import sys
import threading

import pytest

from studio_desk.core.errors import StudioDeskError, WorkspaceBusyError
from studio_desk.gui.tasks import SynchronousTaskRunner, TaskRunner


def test_work_runs_on_a_worker_and_the_result_arrives_on_the_gui_thread(qtbot):
    runner = TaskRunner()
    gui_thread = threading.get_ident()
    ran_on: list[int] = []
    delivered: list[tuple[int, int]] = []

    def work() -> int:
        ran_on.append(threading.get_ident())
        return 42

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy):
        runner.run(work, lambda result: delivered.append((result, threading.get_ident())))
    assert ran_on and ran_on[0] != gui_thread
    assert delivered == [(42, gui_thread)]
    assert runner.pending == 0


def test_results_arrive_in_the_order_the_work_was_queued(qtbot):
    runner = TaskRunner()
    results: list[int] = []
    for n in range(5):
        runner.run(lambda n=n: n, results.append)
    qtbot.waitUntil(lambda: len(results) == 5)
    assert results == [0, 1, 2, 3, 4]


def test_a_studio_desk_error_goes_to_failed_or_to_the_problem_signal(qtbot):
    runner = TaskRunner()
    failures: list[StudioDeskError] = []

    def busy() -> None:
        raise WorkspaceBusyError("studio.studiodesk is busy.")

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda b: not b):
        runner.run(busy, lambda _r: None, failures.append)
    assert [str(f) for f in failures] == ["studio.studiodesk is busy."]
    with qtbot.waitSignal(runner.problem) as problem:
        runner.run(busy, lambda _r: None)
    assert problem.args == ["studio.studiodesk is busy."]


def test_a_bug_in_the_work_reaches_the_crash_handler(qtbot, monkeypatch):
    runner = TaskRunner()
    seen: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda t, e, tb: seen.append(e))
    done: list[object] = []

    def bug() -> None:
        raise KeyError("oops")

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda b: not b):
        runner.run(bug, done.append)
    assert done == [] and isinstance(seen[0], KeyError)


def test_shutdown_waits_for_the_running_work_and_delivers_nothing_more(qtbot):
    runner = TaskRunner()
    gate = threading.Event()
    ran: list[int] = []
    results: list[int] = []
    runner.run(lambda: gate.wait(5) and ran.append(1), results.append)
    runner.run(lambda: ran.append(2), results.append)
    threading.Timer(0.2, gate.set).start()
    runner.shutdown()  # the window is closing
    qtbot.wait(50)
    assert 2 not in ran  # queued work never started
    assert results == []  # nothing arrives after shutdown


def test_the_synchronous_runner_does_the_same_at_once():
    runner = SynchronousTaskRunner()
    results: list[int] = []
    failures: list[StudioDeskError] = []
    runner.run(lambda: 7, results.append)
    assert results == [7]

    def busy() -> None:
        raise WorkspaceBusyError("busy")

    runner.run(busy, results.append, failures.append)
    assert len(failures) == 1 and results == [7]
    with pytest.raises(KeyError):
        runner.run(lambda: {}["missing"], results.append)
