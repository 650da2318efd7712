"""Edit › Preferences…: the name this user's changes are recorded under.

Colleagues read that name in the history ("Ana Ruiz changed Industry") and in the status
bar ("Also open: Ana Ruiz (studio-mac)"). Left empty, the login name is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from studio_desk.store.engine import current_user

if TYPE_CHECKING:
    from studio_desk.gui.main_window import MainWindow

#: Longest name the audit log keeps (its column is 200 characters).
MAX_NAME_LENGTH = 200


class PreferencesDialog(QDialog):
    """The user's display name."""

    def __init__(self, display_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self.setObjectName("preferences_dialog")
        self.name = QLineEdit(display_name, self)
        self.name.setObjectName("display_name")
        self.name.setAccessibleName("Your name")
        self.name.setMaxLength(MAX_NAME_LENGTH)
        self.name.setPlaceholderText(current_user())
        label = QLabel("Your &name:", self)
        label.setBuddy(self.name)
        note = QLabel("Colleagues see this name beside your changes in the history and in "
                      "the status bar while you have a workspace open. Left empty, your "
                      f"login name ({current_user()}) is used. An open workspace is "
                      "reopened under the new name.", self)
        note.setObjectName("display_name_note")
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(label, self.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.name.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, display_name: str) -> str | None:
        """The name chosen (empty: the login name), or None if cancelled."""
        dialog = cls(display_name, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return " ".join(dialog.name.text().split())
            return None
        finally:
            dialog.deleteLater()


def edit_preferences(window: MainWindow) -> None:
    """Edit › Preferences…: keep the name; reopen the workspace so it is used at once."""
    chosen = PreferencesDialog.ask(window, window.settings.display_name)
    if chosen is None or chosen == window.settings.display_name:
        return
    window.settings.display_name = chosen
    window.settings.sync()
    window.who = chosen or None
    if window.desk is not None:
        window.open_path(window.desk.path)


def add_preferences_action(window: MainWindow, edit_menu: QMenu) -> QAction:
    """Edit › Preferences…"""
    action = QAction("&Preferences…", window)
    action.setObjectName("preferences")
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
    action.setStatusTip("Your name as colleagues see it beside your changes")
    action.triggered.connect(lambda: edit_preferences(window))
    edit_menu.addSeparator()
    edit_menu.addAction(action)
    return action
