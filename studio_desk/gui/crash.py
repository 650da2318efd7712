"""What happens when Studio Desk itself fails: the traceback is logged and shown.

A :class:`StudioDeskError` that reached this far is still the world's fault and is shown
as its sentence; anything else is our bug: logged with its traceback and shown in a
dialog the user can copy from, with the reassurance that saved work is safe (every change
is committed when it is made).
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
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

from studio_desk import APP_NAME, __version__
from studio_desk.core.errors import StudioDeskError
from studio_desk.gui.messages import show_problem

log = logging.getLogger("studio_desk")


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
        parent = QApplication.activeWindow()
        if isinstance(exc, StudioDeskError):
            log.warning("%s", exc)
            show_problem(parent, str(exc))
            return
        log.error("Unexpected error", exc_info=(exc_type, exc, tb))
        if self._showing or QApplication.instance() is None:
            return  # one dialog at a time; the rest is in the log
        details = (f"{APP_NAME} {__version__}\n\n"
                   + "".join(traceback.format_exception(exc_type, exc, tb)))
        self._showing = True
        try:
            CrashDialog.show_crash(details, self.log_file, parent)
        finally:
            self._showing = False


def install_crash_handler(log_file: str = "") -> CrashHandler:
    """Route every uncaught exception to the log and the crash dialog."""
    handler = CrashHandler(log_file)
    sys.excepthook = handler
    return handler
