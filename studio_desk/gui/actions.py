"""The main window's actions and menus: File, Edit, Help.

Kept apart from the window so the window stays about showing pages. Each action calls a
method of the window; texts that name the current page's kind ("Add client…") follow
the page shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from studio_desk.gui.backups import add_back_up_now, add_workspace_tools
from studio_desk.gui.history import add_history_actions
from studio_desk.gui.preferences import add_preferences_action
from studio_desk.gui.printing.jobs import add_print_actions
from studio_desk.gui.transfer_dialogs import add_transfer_actions

if TYPE_CHECKING:
    from studio_desk.gui.main_window import MainWindow


@dataclass
class WindowActions:
    """Every action of the main window's menus."""

    new_workspace: QAction
    open_workspace: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    find: QAction
    add: QAction
    edit: QAction
    delete: QAction
    about: QAction
    where_is_data: QAction
    recent_menu: QMenu
    transition_wizard: QAction | None = None


def _action(window: MainWindow, text: str, name: str, tip: str,
            shortcut: QKeySequence | QKeySequence.StandardKey | None = None) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    action.setStatusTip(tip)
    action.setToolTip(tip)
    if shortcut is not None:
        action.setShortcut(shortcut)
    return action


def create_actions(window: MainWindow) -> WindowActions:
    """Make the actions, connect them to ``window`` and put them in its menu bar."""
    new_workspace = _action(window, "&New workspace…", "new_workspace",
                            "Create an empty workspace file and open it",
                            QKeySequence("Ctrl+Shift+N"))
    new_workspace.triggered.connect(window.new_workspace)
    open_workspace = _action(window, "&Open…", "open_workspace",
                             "Open a workspace file", QKeySequence.StandardKey.Open)
    open_workspace.triggered.connect(window.open_workspace_dialog)
    quit_ = _action(window, "&Quit", "quit", "Close Studio Desk",
                    QKeySequence.StandardKey.Quit)
    quit_.triggered.connect(window.close)

    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setObjectName("undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setObjectName("redo")
    # Ctrl+Shift+Z everywhere, plus the platform's own redo keys (Ctrl+Y on Windows).
    redo_keys = [QKeySequence("Ctrl+Shift+Z")]
    redo_keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
                  if k not in redo_keys]
    redo.setShortcuts(redo_keys)
    find = _action(window, "&Find", "find", "Search the table shown",
                   QKeySequence.StandardKey.Find)
    find.triggered.connect(window.find)
    add = _action(window, "&Add…", "add_record", "Add a record to the table shown",
                  QKeySequence.StandardKey.New)
    add.triggered.connect(window.add_record)
    edit = _action(window, "&Edit…", "edit_record",
                   "Edit the selected record (Enter in the table; F2 edits a cell in place)")
    edit.triggered.connect(window.edit_record)
    delete = _action(window, "&Delete…", "delete_record", "Delete the selected record",
                     QKeySequence.StandardKey.Delete)
    delete.triggered.connect(window.delete_record)

    about = _action(window, "&About Studio Desk", "about", "Name and version")
    about.triggered.connect(window.show_about)
    where = _action(window, "&Where is my data?", "where_is_data",
                    "The workspace file and the folder for data and backups")
    where.triggered.connect(window.show_data_location)

    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(new_workspace)
    file_menu.addAction(open_workspace)
    recent_menu = file_menu.addMenu("Open &recent")
    recent_menu.setObjectName("recent_menu")
    recent_menu.aboutToShow.connect(lambda: fill_recent_menu(window, recent_menu))
    add_back_up_now(window, file_menu)  # Back up now
    add_transfer_actions(window, file_menu)  # Import…, Export…, and dropped files
    file_menu.addSeparator()
    add_print_actions(window, file_menu)  # Print plan…, Print preview…, Export PDF…
    file_menu.addSeparator()
    file_menu.addAction(quit_)
    edit_menu = bar.addMenu("&Edit")
    edit_menu.addAction(undo)
    edit_menu.addAction(redo)
    edit_menu.addSeparator()
    edit_menu.addAction(find)
    edit_menu.addSeparator()
    edit_menu.addAction(add)
    edit_menu.addAction(edit)
    edit_menu.addAction(delete)
    tools_menu = bar.addMenu("&Tools")
    tools_menu.setObjectName("tools_menu")
    transition_wizard = _action(window, "&Transition wizard…", "transition_wizard",
                                "Split the project manager's job into an Account Manager "
                                "and a Production Manager, step by step",
                                QKeySequence("Ctrl+Shift+T"))
    transition_wizard.triggered.connect(lambda: window.open_wizard())
    transition_wizard.setEnabled(window.desk is not None)
    window.workspace_changed.connect(
        lambda path: transition_wizard.setEnabled(path is not None))
    tools_menu.addAction(transition_wizard)
    tools_menu.addSeparator()
    # Edit › History of the selected record…, Tools › History of the workspace…
    add_history_actions(window, edit_menu, tools_menu)
    add_workspace_tools(window, tools_menu)  # Check workspace…, Restore from backup…
    add_preferences_action(window, edit_menu)  # Edit › Preferences…
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(where)
    help_menu.addAction(about)

    actions = WindowActions(new_workspace, open_workspace, quit_, undo, redo, find, add,
                            edit, delete, about, where, recent_menu, transition_wizard)
    fill_recent_menu(window, recent_menu)
    return actions


def fill_recent_menu(window: MainWindow, menu: QMenu) -> None:
    """List the recently opened workspaces, newest first, numbered for the keyboard."""
    menu.clear()
    recent = window.settings.recent_files
    for number, path in enumerate(recent, start=1):
        action = menu.addAction(f"&{number} {path.name}  ({path.parent})")
        action.setObjectName(f"recent_{number}")
        action.setStatusTip(str(path))
        action.setData(str(path))
        action.triggered.connect(lambda _checked=False, p=path: window.open_recent(Path(p)))
    if recent:
        menu.addSeparator()
        clear = menu.addAction("&Clear the list")
        clear.setObjectName("clear_recent")
        clear.triggered.connect(window.settings.clear_recent_files)
    else:
        none = menu.addAction("No recent workspaces")
        none.setEnabled(False)
    menu.setEnabled(True)


def name_record_actions(actions: WindowActions, kind_label: str | None) -> None:
    """Say which kind Add / Edit / Delete work on ("Add client…"); disable them for a
    page that lists no records."""
    for action, verb in ((actions.add, "&Add"), (actions.edit, "&Edit"),
                         (actions.delete, "&Delete")):
        action.setText(f"{verb} {kind_label}…" if kind_label else f"{verb}…")
        action.setEnabled(kind_label is not None)
