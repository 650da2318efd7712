"""Start Studio Desk the way ``python -m studio_desk --db W`` does, and say when the first
page's data is painted; or, with ``--bare``, show a bare PySide6 window and say when it is
painted (the cold-start baseline).

Used by ``benchmarks/run.py``; not part of the application, and it changes nothing in it:
it runs ``studio_desk.cli.main(["--db", W])`` unchanged and only watches from outside. It
makes the ``QApplication`` first (``run_window`` takes the existing instance), so that a
timer can look for the main window as soon as the event loop turns; once the window is
there it watches its current page's main table (``_paint.PaintWatch``: a ``Paint`` of the
table's viewport while its model has rows). Then it prints one line and quits::

    painted <seconds since this script started> <peak resident set, KiB>

The parent times the whole process from its own clock (interpreter start-up included) and
reads the peak memory from that line (``VmHWM`` on Linux, else ``ru_maxrss``: see
:func:`peak_kib`).

    python benchmarks/_start_probe.py --db W [--page Projects] [--timeout S]
    python benchmarks/_start_probe.py --bare
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for folder in (str(HERE), str(ROOT)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def peak_kib() -> int:
    """This program's peak resident set, in KiB.

    Linux's ``VmHWM`` (the high-water mark of this program's memory since ``exec``) where
    there is one: ``ru_maxrss`` keeps the parent's high-water mark across ``fork`` and
    ``execve``, so a child of a large benchmark process would report the parent's size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def report(exit_status: int = 0) -> None:
    """Print the line the parent waits for, then quit the application."""
    from PySide6.QtWidgets import QApplication

    print(f"painted {time.perf_counter() - STARTED:.4f} {peak_kib()}", flush=True)
    app = QApplication.instance()
    for widget in QApplication.topLevelWidgets():
        widget.close()
    if app is not None:
        app.exit(exit_status)


def bare() -> int:
    from _paint import CLOCK  # noqa: F401  (the same imports as the app's probe)
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.setWindowTitle("Bare")
    window.resize(1200, 760)

    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, report)
            return False

    first = FirstPaint()
    window.installEventFilter(first)
    window.show()
    return app.exec()


def app_start(db: str, page: str | None, timeout: float) -> int:
    from _paint import PaintWatch, main_view, main_window
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    if page:
        # What the window remembers from last time it closed (Settings' "window/page").
        from studio_desk.gui.settings import Settings

        settings = Settings()
        settings.page = page
        settings.sync()

    app = QApplication(sys.argv[:1])
    watches: dict[int, PaintWatch] = {}
    look = QTimer()
    look.setInterval(2)

    def painted(_at: float) -> None:
        look.stop()
        report()

    def find() -> None:
        """Watch the current page's main table (again if the page changed)."""
        window = main_window()
        if window is None:
            return
        current = getattr(window, "current_page", None)
        view = main_view(current() if callable(current) else None)
        if view is not None and id(view) not in watches:
            watches[id(view)] = PaintWatch(view, ready=view.isVisible, done=painted)

    def give_up() -> None:
        print(f"timeout after {timeout:g} s: no page data painted", file=sys.stderr,
              flush=True)
        os._exit(3)

    look.timeout.connect(find)
    look.start()
    QTimer.singleShot(int(timeout * 1000), give_up)

    from studio_desk.cli import main

    status = main(["--db", db])
    del app
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--bare", action="store_true", help="a bare PySide6 window")
    parser.add_argument("--db", help="the workspace to open")
    parser.add_argument("--page", help="the page the window remembers (default: none)")
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args()
    if args.bare:
        return bare()
    if not args.db:
        parser.error("--db PATH or --bare")
    return app_start(args.db, args.page, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
