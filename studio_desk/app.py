"""The composition root: settings, logging, the crash handler, the main window."""

from __future__ import annotations

import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from studio_desk import APP_ID, APP_NAME, ORGANISATION, __version__
from studio_desk.store import locations

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from studio_desk.gui.main_window import MainWindow

log = logging.getLogger("studio_desk")

#: The window icon in every size, made from resources/studio-desk.svg by tools/make_icons.py.
ICONS_DIR = Path(__file__).with_name("resources") / "icons"

#: Set to a number of milliseconds, the window opens its workspace, waits that long, says
#: on stderr what it showed and quits: the packaged app's smoke test (tools/build.sh).
#: Deliberately not a command-line option, so it never shows in ``--help``.
QUIT_AFTER_START = "STUDIO_DESK_QUIT_AFTER_START"


def log_dir() -> Path:
    """The folder of the log file: the platform's log folder, ``STUDIO_DESK_LOG_DIR`` if
    set, or ``logs`` in ``STUDIO_DESK_DATA_DIR`` when only that is set (tests, portable use
    keep everything in one place)."""
    override = os.environ.get("STUDIO_DESK_LOG_DIR")
    if override:
        return Path(override)
    if os.environ.get("STUDIO_DESK_DATA_DIR"):
        return locations.data_dir() / "logs"
    return Path(platformdirs.user_log_dir(APP_ID, ORGANISATION))


def app_icon() -> QIcon:
    """Studio Desk's icon in every size there is (an empty icon if the files are missing)."""
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for png in sorted(ICONS_DIR.glob(f"{APP_ID}-*.png")):
        icon.addFile(str(png))
    return icon


def configure_logging() -> Path | None:
    """Log to a rotating file in the platform's log folder (and warnings to stderr).

    Returns the log file, or None when the folder cannot be written.
    """
    log.setLevel(logging.INFO)
    if not any(isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
               for h in log.handlers):
        console = logging.StreamHandler()
        console.setLevel(logging.WARNING)
        log.addHandler(console)
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        log_file = folder / f"{APP_ID}.log"
        if not any(isinstance(h, RotatingFileHandler) for h in log.handlers):
            handler = RotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=3,
                                          encoding="utf-8")
            handler.setFormatter(logging.Formatter(
                "%(asctime)s %(levelname)s %(name)s: %(message)s"))
            log.addHandler(handler)
    except OSError:
        return None
    return log_file


def run_window(db: Path | None = None, *, who: str | None = None) -> int:
    """Open the window on ``db`` (default: the user's own workspace, created if missing)
    and run until it closes; returns the exit status.

    An explicit ``db`` must exist: if it cannot be opened the user reads why and may
    open or create another; nothing crashes.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from studio_desk.gui.crash import install_crash_handler
    from studio_desk.gui.main_window import MainWindow
    from studio_desk.gui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    log_file = configure_logging()
    install_crash_handler(str(log_file) if log_file else "")
    settings = Settings()
    window = MainWindow(settings, who=who or settings.display_name or None)
    window.show()
    path, create = (locations.default_workspace_path(), True) if db is None else (Path(db),
                                                                                 False)
    quit_after = os.environ.get(QUIT_AFTER_START)

    def start() -> None:
        opened = window.open_at_start(path, create=create)
        if quit_after is not None:
            _quit_after_start(window, opened, quit_after)

    if quit_after is not None:
        # Should a dialog wait for an answer nobody will give, still stop (exit 3).
        QTimer.singleShot(_milliseconds(quit_after) + 60_000, lambda: app.exit(3))
    # After the first paint, so the window is there at once even if opening takes a while.
    QTimer.singleShot(0, window, start)
    log.info("%s %s started", APP_NAME, __version__)
    return app.exec()


def _milliseconds(value: str) -> int:
    try:
        return max(0, int(value))
    except ValueError:
        return 1000


def _quit_after_start(window: MainWindow, opened: bool, after: str) -> None:
    """Report what the window shows and quit: exit 0 if the workspace opened, else 1."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def report_and_quit() -> None:
        shown = window.isVisible()
        icon = not window.windowIcon().isNull()
        report = (f"{APP_ID}: window {'shown' if shown else 'NOT shown'}: "
                  f"{window.windowTitle()!r}; icon {'set' if icon else 'NOT set'}; "
                  f"workspace {'open' if opened else 'NOT open'}")
        log.info("%s", report)
        if sys.stderr is not None:  # None in a windowed program on Windows
            print(report, file=sys.stderr, flush=True)
        # Closing the last window would quit with 0 whatever happened: say it here.
        QApplication.setQuitOnLastWindowClosed(False)
        window.close()
        QApplication.exit(0 if shown and icon and opened else 1)

    QTimer.singleShot(_milliseconds(after), window, report_and_quit)
