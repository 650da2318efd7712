"""When Studio Desk fails: where the log is, what it holds, and that nothing fails
silently; and the hidden start-and-quit the packaged app's smoke test uses."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from studio_desk import APP_ID, ORGANISATION
from studio_desk.app import QUIT_AFTER_START, app_icon, configure_logging, log_dir
from studio_desk.core.errors import WorkspaceBusyError
from studio_desk.gui import crash
from studio_desk.gui.crash import CrashDialog, install_crash_handler
from studio_desk.gui.messages import PROBLEM
from studio_desk.store.engine import Workspace

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Pitch fee 18,000 for Acme, do not tell Borealis"


@pytest.fixture
def clean_hooks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Restore the logger and the hooks; record the crash dialogs instead of showing them."""
    logger = logging.getLogger("studio_desk")
    handlers, level = list(logger.handlers), logger.level
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    shown: list[str] = []
    monkeypatch.setattr(CrashDialog, "show_crash",
                        classmethod(lambda cls, details, log_file="", parent=None:
                                    shown.append(details)))
    yield shown
    for handler in logger.handlers[:]:
        if handler not in handlers:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(level)


def _logged(log_file: Path) -> str:
    for handler in logging.getLogger("studio_desk").handlers:
        handler.flush()
    return log_file.read_text(encoding="utf-8")


# --- where the log is ----------------------------------------------------------------------

def test_the_log_goes_to_the_platforms_log_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDIO_DESK_DATA_DIR", raising=False)
    monkeypatch.delenv("STUDIO_DESK_LOG_DIR", raising=False)
    assert log_dir() == Path(platformdirs.user_log_dir(APP_ID, ORGANISATION))


def test_the_log_folder_can_be_named_or_follow_a_portable_data_folder(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STUDIO_DESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("STUDIO_DESK_LOG_DIR", raising=False)
    assert log_dir() == tmp_path / "data" / "logs"
    monkeypatch.setenv("STUDIO_DESK_LOG_DIR", str(tmp_path / "logs"))
    assert log_dir() == tmp_path / "logs"


def test_the_log_is_a_rotating_file_in_the_log_folder(clean_hooks: list[str],
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setenv("STUDIO_DESK_LOG_DIR", str(tmp_path / "logs"))
    log_file = configure_logging()
    assert log_file == tmp_path / "logs" / f"{APP_ID}.log"
    (rotating,) = [h for h in logging.getLogger("studio_desk").handlers
                   if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert Path(rotating.baseFilename) == log_file
    assert rotating.maxBytes > 0 and rotating.backupCount > 0


# --- what the user sees, what the log holds -----------------------------------------------

def test_the_crash_dialog_says_where_the_log_is(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = CrashDialog("Traceback …", "/home/ana/.local/state/studio-desk/log/x.log")
    qtbot.addWidget(dialog)
    message = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "/home/ana/.local/state/studio-desk/log/x.log" in message
    assert "saved is safe" in message


def test_a_database_error_leaves_the_workspaces_contents_out_of_log_and_dialog(
        qapp, clean_hooks: list[str], workspace: Workspace,  # type: ignore[no-untyped-def]
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STUDIO_DESK_LOG_DIR", str(tmp_path / "logs"))
    log_file = configure_logging()
    assert log_file is not None
    handler = install_crash_handler(str(log_file))
    try:
        with workspace.write() as session:
            session.execute(text("CREATE TEMP TABLE notes (body TEXT NOT NULL UNIQUE)"))
            session.execute(text("INSERT INTO notes VALUES (:body)"), {"body": SECRET})
            session.execute(text("INSERT INTO notes VALUES (:body)"), {"body": SECRET})
    except IntegrityError as exc:
        handler(type(exc), exc, exc.__traceback__)
    else:
        pytest.fail("the second insert should have failed")
    logged = _logged(log_file)
    assert "IntegrityError" in logged and "INSERT INTO notes" in logged
    assert SECRET not in logged
    assert len(clean_hooks) == 1 and "IntegrityError" in clean_hooks[0]
    assert SECRET not in clean_hooks[0]


def test_a_bug_in_a_python_thread_is_logged_and_shown_on_the_gui_thread(
        qtbot, clean_hooks: list[str], monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
        tmp_path: Path) -> None:
    monkeypatch.setenv("STUDIO_DESK_LOG_DIR", str(tmp_path / "logs"))
    log_file = configure_logging()
    assert log_file is not None
    install_crash_handler(str(log_file))

    def fail() -> None:
        raise RuntimeError("the presence thread tripped")

    worker = threading.Thread(target=fail, name="presence")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(clean_hooks) == 1)
    assert "RuntimeError: the presence thread tripped" in clean_hooks[0]
    logged = _logged(log_file)
    assert "Unexpected error in thread presence" in logged
    assert logged.count("RuntimeError: the presence thread tripped") == 1  # once, not twice


def test_a_known_problem_from_a_thread_is_one_sentence(
        qtbot, clean_hooks: list[str]) -> None:  # type: ignore[no-untyped-def]
    install_crash_handler()
    error = WorkspaceBusyError("studio.studiodesk is busy: someone else is saving.")

    def fail() -> None:
        raise error

    worker = threading.Thread(target=fail)
    worker.start()
    worker.join()

    def boxes() -> list[QMessageBox]:
        return [w for w in QApplication.allWidgets() if isinstance(w, QMessageBox)
                and w.objectName() == PROBLEM and w.isVisible()]

    qtbot.waitUntil(lambda: len(boxes()) == 1)
    assert boxes()[0].text() == str(error)
    assert clean_hooks == []
    for box in boxes():
        box.close()


def test_a_hard_crash_leaves_its_stack_beside_the_log(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / f"{APP_ID}.log"
    log_file.parent.mkdir()
    script = (
        "import faulthandler\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from studio_desk.gui.crash import install_crash_handler\n"
        "app = QApplication([])\n"
        f"install_crash_handler({str(log_file)!r})\n"
        "faulthandler._sigsegv()\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONFAULTHANDLER"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={**env, "QT_QPA_PLATFORM": "offscreen"},
                            check=False)
    assert result.returncode != 0
    faults = (tmp_path / "logs" / f"{APP_ID}-faults.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in faults
    assert "<string>" in faults  # where it happened


def test_faulthandler_already_on_is_left_to_whoever_turned_it_on() -> None:
    # pytest turns it on (to stderr): installing the handler in a test must not steal it.
    import faulthandler

    assert faulthandler.is_enabled()
    crash.enable_fault_log(Path("/nonexistent/faults.log"))
    assert crash._fault_file is None


# --- the window's icon, and starting and quitting for the smoke test -----------------------

def test_the_app_icon_has_every_size(qapp) -> None:  # type: ignore[no-untyped-def]
    icon = app_icon()
    sizes = {size.width() for size in icon.availableSizes()}
    assert {16, 32, 48, 64, 128, 256, 512} <= sizes


def test_started_with_quit_after_start_the_window_opens_its_workspace_and_quits(
        workspace: Workspace, tmp_path: Path) -> None:
    path = workspace.path
    workspace.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", QUIT_AFTER_START: "300",
           "STUDIO_DESK_LOG_DIR": str(tmp_path / "logs")}
    result = subprocess.run([sys.executable, "-m", "studio_desk", "--db", str(path)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert (f"{APP_ID}: window shown: '{path.name} — Studio Desk'; icon set; "
            "workspace open") in result.stderr
    assert "window shown" in (tmp_path / "logs" / f"{APP_ID}.log").read_text(encoding="utf-8")


def test_the_smoke_test_switch_is_not_in_the_help() -> None:
    from studio_desk.cli import build_parser

    assert "quit" not in build_parser().format_help().lower()
