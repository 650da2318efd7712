"""Fixtures for the window's tests: a main window on a workspace, read synchronously."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from studio_desk.gui.forms import ConfirmDelete
from studio_desk.gui.main_window import MainWindow
from studio_desk.gui.messages import PROBLEM
from studio_desk.gui.settings import Settings
from studio_desk.gui.tasks import BaseTaskRunner, SynchronousTaskRunner
from studio_desk.store.engine import Workspace

MakeWindow = Callable[..., MainWindow]


@pytest.fixture
def make_window(qtbot) -> MakeWindow:  # type: ignore[no-untyped-def]
    """Build a shown main window (synchronous reads unless a runner is given)."""

    def make(path: Path | None = None, runner: BaseTaskRunner | None = None,
             who: str | None = "Window user") -> MainWindow:
        window = MainWindow(Settings(), runner or SynchronousTaskRunner(), who=who)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        if path is not None:
            assert window.open_path(path)
        return window

    return make


@pytest.fixture
def studio_window(make_window: MakeWindow, small_studio: Workspace) -> MainWindow:
    """The window on the small studio (``small_studio`` stays open: a colleague)."""
    return make_window(small_studio.path)


@pytest.fixture
def confirmations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Answer every delete question with yes, keeping the questions asked."""
    asked: list[str] = []

    def ask(cls: type, parent: QWidget | None, title: str, text: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(ConfirmDelete, "ask", classmethod(ask))
    yield asked


def problems(window: QWidget) -> list[str]:
    """The texts of the problem messages the window shows."""
    return [box.text() for box in window.findChildren(QMessageBox, PROBLEM)
            if box.isVisible()]


def cell_texts(view, column_key: str) -> list[str]:  # type: ignore[no-untyped-def]
    """What a column of a view's table shows, top to bottom, after search and sort."""
    keys = [c.key for c in view.model.columns]
    column = keys.index(column_key)
    proxy = view.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def focused(widget: QWidget) -> QWidget:
    """The widget that has the keyboard focus in ``widget``'s window."""
    focus = widget.window().focusWidget() or QApplication.focusWidget()
    assert focus is not None
    return focus


def press(qtbot, widget: QWidget, key: Qt.Key,  # type: ignore[no-untyped-def]
          modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, key, modifiers)


class DialogAnswer:
    """Answers the next modal dialog with ``handler(dialog)`` from inside its event loop.

    A failing handler, or one that leaves the dialog open, closes the dialog so the test
    ends, and :meth:`check` raises what went wrong.
    """

    def __init__(self, handler: Callable[[QWidget], None]) -> None:
        self.handler = handler
        self.errors: list[BaseException] = []
        self.answered = False
        self._tries = 0
        QTimer.singleShot(0, self._run)

    def _run(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            self._tries += 1
            if self._tries < 200:
                QTimer.singleShot(10, self._run)
            return
        self.answered = True
        try:
            self.handler(dialog)
        except BaseException as exc:  # reported by check(), after the dialog is closed
            self.errors.append(exc)
        if dialog.isVisible():
            if not self.errors:
                self.errors.append(AssertionError(f"{dialog.windowTitle()!r} stayed open"))
            dialog.close()

    def check(self) -> None:
        if self.errors:
            raise self.errors[0]
        assert self.answered, "no dialog opened"


def answer_dialog(handler: Callable[[Any], None]) -> DialogAnswer:
    return DialogAnswer(handler)


def reactivate(qtbot, window: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Make ``window`` active again after a dialog closed, as a window manager would (the
    offscreen platform leaves no window active)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
