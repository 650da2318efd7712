"""When a page's data is on screen: the paint of its table after the rows came.

Shared by ``benchmarks/run.py`` (in process) and ``benchmarks/_start_probe.py`` (a new
process per start). Nothing here is part of the application: it only looks at the
window's widgets from outside (an event filter on one viewport, never an application-wide
one, which would put a Python call in front of every event the start-up sends).

The main view of a page is its ``table`` (every record page), else its ``capacity_table``
(the Dashboard), else the first visible item view inside it. "Its data painted" is a
``Paint`` event of that view's viewport while the view's model has rows (and, if given,
while ``ready()`` holds), once Qt has finished handling it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

CLOCK = time.perf_counter


def main_window() -> QWidget | None:
    """The Studio Desk main window among the top-level widgets (by its object name)."""
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == "main_window":
            return widget
    return None


def main_view(page: QWidget | None) -> QAbstractItemView | None:
    """The item view that shows a page's data (see the module docstring)."""
    if page is None:
        return None
    for name in ("table", "capacity_table"):
        view = getattr(page, name, None)
        if isinstance(view, QAbstractItemView):
            return view
    for view in page.findChildren(QAbstractItemView):
        if view.isVisible():
            return view
    return None


def has_rows(view: QAbstractItemView) -> bool:
    model = view.model()
    return model is not None and model.rowCount() > 0


class PaintWatch(QObject):
    """Notes when ``view`` has painted its rows (and ``ready()`` held) and the paint is done
    (``need_rows=False``: any paint once ``ready()`` holds, e.g. a search matching nothing).

    ``painted_at`` is the clock when the paint had been handled (the next turn of the
    event loop after the ``Paint`` event), ``None`` until then; ``done`` is called then.
    """

    def __init__(self, view: QAbstractItemView, ready: Callable[[], bool] | None = None,
                 done: Callable[[float], None] | None = None, *,
                 need_rows: bool = True) -> None:
        super().__init__(view)
        self.need_rows = need_rows
        self.view = view
        self.viewport = view.viewport()
        self.ready = ready
        self.done = done
        self.painting = False
        self.painted_at: float | None = None
        self.viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if (not self.painting and watched is self.viewport
                and event.type() == QEvent.Type.Paint
                and (not self.need_rows or has_rows(self.view))
                and (self.ready is None or self.ready())):
            self.painting = True
            # The paint runs once this returns; the zero timer fires after it.
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        self.painted_at = CLOCK()
        self.viewport.removeEventFilter(self)
        if self.done is not None:
            self.done(self.painted_at)

    def stop(self) -> None:
        self.viewport.removeEventFilter(self)


def wait_until(condition: Callable[[], bool], timeout: float = 120.0,
               step_ms: int = 20) -> bool:
    """Run the event loop until ``condition()`` holds (checked at least every ``step_ms``);
    False on timeout. The loop sleeps between events, so a worker thread is not starved."""
    if condition():
        return True
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(step_ms)
    deadline = CLOCK() + timeout

    def check() -> None:
        if condition() or CLOCK() > deadline:
            loop.quit()

    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    return condition()


def wait_for_paint(watch: PaintWatch, timeout: float = 120.0) -> float:
    """Run the event loop until ``watch`` has seen its paint; the clock then."""
    loop = QEventLoop()
    if watch.painted_at is None:
        previous = watch.done

        def finished(at: float) -> None:
            if previous is not None:
                previous(at)
            loop.quit()

        watch.done = finished
        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        guard.start(int(timeout * 1000))
        loop.exec()
        guard.stop()
        watch.done = previous
    if watch.painted_at is None:
        watch.stop()
        raise TimeoutError(f"no paint of {watch.view.objectName() or 'the view'} with rows "
                           f"within {timeout:g} s")
    return watch.painted_at
