"""The composition root: settings, logging, the crash handler, the main window."""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from studio_desk import APP_ID, APP_NAME, ORGANISATION, __version__
from studio_desk.store import locations

log = logging.getLogger("studio_desk")


def configure_logging() -> Path | None:
    """Log to a rotating file in the data folder (and warnings to stderr).

    Returns the log file, or None when the data folder cannot be written.
    """
    log.setLevel(logging.INFO)
    if not any(isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)
               for h in log.handlers):
        console = logging.StreamHandler()
        console.setLevel(logging.WARNING)
        log.addHandler(console)
    folder = locations.data_dir() / "logs"
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
    log_file = configure_logging()
    install_crash_handler(str(log_file) if log_file else "")
    settings = Settings()
    window = MainWindow(settings, who=who or settings.display_name or None)
    window.show()
    path, create = (locations.default_workspace_path(), True) if db is None else (Path(db),
                                                                                 False)
    # After the first paint, so the window is there at once even if opening takes a while.
    QTimer.singleShot(0, window, lambda: window.open_at_start(path, create=create))
    log.info("%s %s started", APP_NAME, __version__)
    return app.exec()
