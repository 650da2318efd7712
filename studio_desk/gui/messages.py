"""Message boxes that tell the user one thing: a problem, or an answer.

They open without blocking (``QMessageBox.open``), so a message never stops the window
from painting or a background read from arriving, and tests can read what they say. User
text is shown as plain text: a client called ``<b>Acme</b>`` reads as typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from studio_desk import APP_NAME

#: Object name of a box shown by :func:`show_problem` (tests look for it).
PROBLEM = "problem_message"
INFORMATION = "information_message"

_unparented: set[QMessageBox] = set()


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
         name: str, detail: str = "") -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(name)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    if detail:
        box.setInformativeText(detail)
        # The informative text guesses rich text unless its label is told otherwise.
        for label in box.findChildren(QLabel, "qt_msgbox_informativelabel"):
            label.setTextFormat(Qt.TextFormat.PlainText)
    box.setAccessibleName(title)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:
        # Nothing else holds a box without a parent: keep it until it is closed.
        _unparented.add(box)
        box.finished.connect(lambda _result: _unparented.discard(box))
    box.open()
    return box


def show_problem(parent: QWidget | None, text: str, title: str = APP_NAME) -> QMessageBox:
    """Tell the user, in one sentence, what went wrong and what to do."""
    return _box(parent, QMessageBox.Icon.Warning, title, text, PROBLEM)


def show_information(parent: QWidget | None, title: str, text: str,
                     detail: str = "") -> QMessageBox:
    """Answer a question the user asked (About, Where is my data?)."""
    return _box(parent, QMessageBox.Icon.Information, title, text, INFORMATION, detail)


def show_status(widget: QWidget, text: str, timeout_ms: int = 10_000) -> None:
    """Say ``text`` in the status bar of ``widget``'s main window: news of something
    done (a file written) that needs no answer, so it does not stop the user."""
    window = widget.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, timeout_ms)
