"""Slow database reads off the GUI thread.

A table of 100,000 projects takes a second or two to read; the window must keep
painting and answering keys meanwhile. :class:`TaskRunner` runs each piece of work on one
worker thread (one, so reads of the workspace queue up instead of competing) and hands
the result back to the GUI thread through a queued signal. Tests use
:class:`SynchronousTaskRunner`, which does the same work at once, in order.

Either runner treats failures the same way: a :class:`StudioDeskError` is the world's
fault and goes to the caller's ``failed`` callback (or the ``problem`` signal, as one
sentence); anything else is a bug and goes to ``sys.excepthook`` (the crash dialog).
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, SignalInstance, Slot

from studio_desk.core.errors import StudioDeskError

T = TypeVar("T")
Done = Callable[[Any], None]
Failed = Callable[[StudioDeskError], None]


class BaseTaskRunner(QObject):
    """What views rely on: ``run(work, done, failed)``, ``busy_changed`` and ``problem``."""

    #: True while work is queued or running, False when the last result has arrived.
    busy_changed = Signal(bool)
    #: A StudioDeskError's sentence, for work started without a ``failed`` callback.
    problem = Signal(str)

    def run(self, work: Callable[[], T], done: Callable[[T], None],
            failed: Failed | None = None) -> None:
        """Run ``work()``; call ``done(result)`` on the GUI thread when it has finished."""
        raise NotImplementedError

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until every queued piece of work has run (shutdown, tests)."""
        return True

    def _fail(self, error: BaseException, failed: Failed | None) -> None:
        if isinstance(error, StudioDeskError):
            if failed is not None:
                failed(error)
            else:
                self.problem.emit(str(error))
            return
        sys.excepthook(type(error), error, error.__traceback__)


class _Job(QRunnable):
    def __init__(self, job_id: int, work: Callable[[], Any],
                 finished: SignalInstance) -> None:
        super().__init__()
        self._job_id = job_id
        self._work = work
        self._finished = finished
        self.setAutoDelete(True)

    def run(self) -> None:
        """Runs on the worker thread: do the work, send the outcome to the GUI thread."""
        try:
            result = self._work()
        except Exception as exc:  # delivered to the GUI thread, which decides what it is
            self._finished.emit(self._job_id, None, exc)
        else:
            self._finished.emit(self._job_id, result, None)


class TaskRunner(BaseTaskRunner):
    """Runs work on one worker thread and delivers results on the GUI thread."""

    _finished = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Done, Failed | None]] = {}
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(self, work: Callable[[], T], done: Callable[[T], None],
            failed: Failed | None = None) -> None:
        """Queue ``work`` on the worker thread; ``done(result)`` follows on this thread."""
        job_id = next(self._ids)
        was_idle = not self._callbacks
        self._callbacks[job_id] = (done, failed)
        if was_idle:
            self.busy_changed.emit(True)
        self._pool.start(_Job(job_id, work, self._finished))

    @property
    def pending(self) -> int:
        """How many results have not been delivered yet."""
        return len(self._callbacks)

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until the worker is idle (results are still delivered by the event loop)."""
        return self._pool.waitForDone(timeout_ms)

    def shutdown(self) -> None:
        """Drop queued work, wait for the running piece, deliver nothing more."""
        self._pool.clear()
        self._pool.waitForDone()
        self._callbacks.clear()

    @Slot(int, object, object)
    def _deliver(self, job_id: int, result: object, error: object) -> None:
        callbacks = self._callbacks.pop(job_id, None)
        if not self._callbacks:
            self.busy_changed.emit(False)
        if callbacks is None:  # shut down meanwhile
            return
        done, failed = callbacks
        if isinstance(error, BaseException):
            self._fail(error, failed)
        else:
            done(result)


class SynchronousTaskRunner(BaseTaskRunner):
    """Does the work at once on the calling thread: predictable tests, same callbacks."""

    def run(self, work: Callable[[], T], done: Callable[[T], None],
            failed: Failed | None = None) -> None:
        """Run ``work()`` now and hand its result to ``done``."""
        try:
            result = work()
        except StudioDeskError as exc:
            self._fail(exc, failed)
            return
        done(result)
