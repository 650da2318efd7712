"""What happens when Studio Desk itself fails: the traceback is logged and shown.

A :class:`StudioDeskError` that reached this far is still the world's fault and is shown
as its sentence; anything else is our bug: logged with its traceback and shown in a
dialog the user can copy from, with the reassurance that saved work is safe (every change
is committed when it is made), and where the log is.

Nothing is lost silently: exceptions on the GUI thread come through ``sys.excepthook``,
those of Python threads through ``threading.excepthook`` (shown on the GUI thread), and a
hard crash of the interpreter or of Qt leaves its stack in ``studio-desk-faults.log``
beside the log (``faulthandler``).

The log holds names and paths, never workspace contents: an SQL error's bound values
(a note, an address) are left out of the log and the dialog alike.
"""

from __future__ import annotations

import faulthandler
import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import IO

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio_desk import APP_ID, APP_NAME, __version__
from studio_desk.core.errors import StudioDeskError
from studio_desk.gui.messages import show_problem

log = logging.getLogger("studio_desk")

#: Where faulthandler writes, beside the log; kept open for the life of the process.
_fault_file: IO[str] | None = None


def without_workspace_contents(exc: BaseException) -> BaseException:
    """``exc`` (and the exceptions it came from) made to leave out SQL bound values.

    SQLAlchemy's errors print the statement's parameters, which are the workspace's
    contents (notes, addresses, rates); the statement itself names only tables and
    columns and stays.
    """
    from sqlalchemy.exc import StatementError

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StatementError):
            current.hide_parameters = True
        current = current.__cause__ or current.__context__
    return exc


class CrashDialog(QDialog):
    """Says that something went wrong inside Studio Desk and shows the details."""

    def __init__(self, details: str, log_file: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crash_dialog")
        self.setWindowTitle(f"{APP_NAME} ran into a problem")
        self.setAccessibleName(self.windowTitle())
        where = f" The details are also in {log_file}." if log_file else ""
        message = QLabel(
            f"Something went wrong inside {APP_NAME}. Everything you had saved is safe in "
            "the workspace; the change you were making may not have been saved. Please "
            f"send the details below to whoever looks after {APP_NAME} for you.{where}",
            self)
        message.setTextFormat(Qt.TextFormat.PlainText)
        message.setWordWrap(True)
        self.details = QPlainTextEdit(details, self)
        self.details.setObjectName("crash_details")
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Details of the problem")
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton("&Copy details", self)
        copy.setAccessibleName("Copy details")
        copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)

    @classmethod
    def show_crash(cls, details: str, log_file: str = "",
                   parent: QWidget | None = None) -> None:
        """Show the dialog until the user closes it."""
        dialog = cls(details, log_file, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()


class CrashHandler:
    """``sys.excepthook`` for the window: log, then tell the user."""

    def __init__(self, log_file: str = "") -> None:
        self.log_file = log_file
        self._showing = False

    def __call__(self, exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if isinstance(exc, StudioDeskError):
            log.warning("%s", exc)
        else:
            without_workspace_contents(exc)
            log.error("Unexpected error", exc_info=(exc_type, exc, tb))
        self.tell_user(exc)

    def tell_user(self, exc: BaseException) -> None:
        """Show ``exc`` (already logged): a known problem as its sentence, a bug in the
        crash dialog."""
        parent = QApplication.activeWindow()
        if isinstance(exc, StudioDeskError):
            show_problem(parent, str(exc))
            return
        if self._showing or QApplication.instance() is None:
            return  # one dialog at a time; the rest is in the log
        without_workspace_contents(exc)
        details = (f"{APP_NAME} {__version__}\n\n"
                   + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        self._showing = True
        try:
            CrashDialog.show_crash(details, self.log_file, parent)
        finally:
            self._showing = False


class _ThreadRelay(QObject):
    """Carries an exception from a Python thread to the GUI thread's handler."""

    failed = Signal(object)


def install_crash_handler(log_file: str = "") -> CrashHandler:
    """Route every uncaught exception to the log and the crash dialog: the GUI thread's,
    other Python threads' (shown once the GUI thread gets it), and hard crashes
    (their stack goes to ``studio-desk-faults.log`` beside ``log_file``)."""
    handler = CrashHandler(log_file)
    sys.excepthook = handler
    relay = _ThreadRelay()
    relay.failed.connect(handler.tell_user, Qt.ConnectionType.QueuedConnection)
    handler.thread_relay = relay  # type: ignore[attr-defined]  # kept alive with the handler

    def thread_failed(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        thread = args.thread.name if args.thread is not None else "?"
        if isinstance(args.exc_value, StudioDeskError):
            log.warning("In thread %s: %s", thread, args.exc_value)
        else:
            without_workspace_contents(args.exc_value)
            log.error("Unexpected error in thread %s", thread,
                      exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
        relay.failed.emit(args.exc_value)

    threading.excepthook = thread_failed
    if log_file:
        enable_fault_log(Path(log_file).with_name(f"{APP_ID}-faults.log"))
    return handler


def enable_fault_log(path: Path) -> None:
    """Have a hard crash (a fault in Qt, an abort) write the Python stacks to ``path``:
    file and function names only, no data. Left alone when faulthandler is already on
    (``python -X faulthandler``, pytest): whoever turned it on reads stderr."""
    global _fault_file
    if faulthandler.is_enabled() and _fault_file is None:
        return
    try:
        fault_file = path.open("a", encoding="utf-8")
    except OSError:
        return  # the log folder cannot be written: the dialog still works
    if _fault_file is not None:
        _fault_file.close()
    _fault_file = fault_file
    faulthandler.enable(fault_file, all_threads=True)
