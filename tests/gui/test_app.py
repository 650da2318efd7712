"""Starting the window, and what happens when Studio Desk itself fails."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from studio_desk import APP_NAME, __version__
from studio_desk.app import configure_logging, run_window
from studio_desk.core.errors import WorkspaceBusyError
from studio_desk.gui.crash import CrashDialog, CrashHandler
from studio_desk.gui.forms import OpenOrNew
from studio_desk.gui.main_window import MainWindow
from studio_desk.gui.messages import PROBLEM
from studio_desk.store import locations


@pytest.fixture
def clean_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Leave the logger and sys.excepthook as they were."""
    logger = logging.getLogger("studio_desk")
    handlers, level = list(logger.handlers), logger.level
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    yield
    for handler in logger.handlers[:]:
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)


def _close_when(ready, seen: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    """Close the main window once ``ready(window)``; give up after ten seconds."""
    app = QApplication.instance()
    QTimer.singleShot(10_000, app.quit)

    def poll() -> None:
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        if windows and ready(windows[0]):
            window = windows[0]
            seen["title"] = window.windowTitle()
            seen["desk"] = window.desk.path if window.desk is not None else None
            seen["hook"] = sys.excepthook
            window.close()
            window.deleteLater()
            return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def test_run_window_opens_the_default_workspace_and_returns_when_closed(qapp,
                                                                       clean_logging):
    seen: dict[str, object] = {}
    _close_when(lambda w: w.desk is not None, seen)
    assert run_window(who="Ana") == 0
    default = locations.default_workspace_path()
    assert seen["desk"] == default and default.is_file()
    assert seen["title"] == f"{default.name} — {APP_NAME}"
    assert isinstance(seen["hook"], CrashHandler)
    assert qapp.applicationName() == APP_NAME
    assert qapp.applicationVersion() == __version__


def test_run_window_on_a_missing_file_offers_open_or_new_instead_of_crashing(
        qapp, clean_logging, tmp_path, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(OpenOrNew, "ask",
                        classmethod(lambda cls, parent, text: asked.append(text)))
    seen: dict[str, object] = {}
    _close_when(lambda w: bool(asked), seen)
    missing = tmp_path / "nowhere.studiodesk"
    assert run_window(missing) == 0
    assert asked == [f"{missing} does not exist."]
    assert seen["desk"] is None
    assert not missing.exists()


def test_a_bug_is_logged_with_its_traceback_and_shown_in_the_crash_dialog(
        qapp, clean_logging, monkeypatch):
    log_file = configure_logging()
    shown: list[str] = []
    monkeypatch.setattr(CrashDialog, "show_crash",
                        classmethod(lambda cls, details, log_file="", parent=None:
                                    shown.append(details)))
    handler = CrashHandler(str(log_file))
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError as exc:
        handler(type(exc), exc, exc.__traceback__)
    assert len(shown) == 1
    assert shown[0].startswith(f"{APP_NAME} {__version__}")
    assert "ZeroDivisionError" in shown[0] and "Traceback" in shown[0]
    for h in logging.getLogger("studio_desk").handlers:
        h.flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "Unexpected error" in logged and "ZeroDivisionError" in logged


def test_a_known_problem_that_got_this_far_is_still_one_sentence(qtbot, clean_logging,
                                                                 monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(CrashDialog, "show_crash",
                        classmethod(lambda cls, *a, **k: shown.append("crash")))
    handler = CrashHandler()
    error = WorkspaceBusyError("studio.studiodesk is busy: someone else is saving.")
    handler(type(error), error, None)
    boxes = [w for w in QApplication.allWidgets()
             if isinstance(w, QMessageBox) and w.objectName() == PROBLEM and w.isVisible()]
    assert shown == []
    assert [b.text() for b in boxes] == [str(error)]
    for box in boxes:
        box.close()


def test_the_crash_dialog_shows_the_details_to_copy(qtbot):
    dialog = CrashDialog("Traceback: <b>bold</b>", "/logs/studio-desk.log")
    qtbot.addWidget(dialog)
    assert dialog.details.toPlainText() == "Traceback: <b>bold</b>"
    assert dialog.details.isReadOnly()
    assert dialog.windowTitle() == f"{APP_NAME} ran into a problem"
