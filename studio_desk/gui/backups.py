"""Backups and the health of the workspace, from the window.

* File › Back up now: a checked copy into the backups folder (``store.backup``), made off
  the GUI thread; the message names the file.
* Tools › Restore from backup…: the workspace's backups with when and why they were made;
  restoring one backs up the workspace as it is first, then the window reopens it.
* Tools › Check workspace…: SQLite's integrity and foreign-key checks, the schema, what the
  workspace holds, the kind of drive it is on and its newest backup.
* Once a day, on opening, a backup is made by itself ("daily").
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio_desk.core.errors import StudioDeskError
from studio_desk.gui.messages import show_information, show_problem
from studio_desk.gui.style import warning_colour
from studio_desk.store import backup, health

if TYPE_CHECKING:
    from studio_desk.gui.main_window import MainWindow

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex

#: What the reasons in backup names mean, in words.
_REASONS = {
    "manual": "Backed up by hand",
    "daily": "Daily, on opening",
    "before-restore": "Before a restore",
}


def reason_text(reason: str) -> str:
    """Why a backup was made, as a person says it."""
    if reason in _REASONS:
        return _REASONS[reason]
    if reason.startswith("before-upgrade-to-schema-"):
        return f"Before upgrading to schema {reason.rsplit('-', 1)[-1]}"
    return reason.replace("-", " ").capitalize()


def size_text(size: int) -> str:
    """A file size in the units people read: "820 KB", "12.4 MB"."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    if size < 1_000_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1_000_000_000:.2f} GB"


def made_text(made_at: dt.datetime) -> str:
    """When a backup was made, in this computer's time zone."""
    return f"{made_at.astimezone():%Y-%m-%d %H:%M:%S}"


# Back up now -------------------------------------------------------------------------


def back_up_now(window: MainWindow) -> None:
    """File › Back up now: a checked copy, made off the GUI thread; says where it went."""
    desk = window.desk
    if desk is None:
        return
    workspace = desk.workspace
    window.statusBar().showMessage(f"Backing up {workspace.path.name}…")

    def done(path: Path) -> None:
        window.statusBar().clearMessage()
        show_information(window, "Backed up",
                         f"{workspace.path.name} was backed up and checked: {path.name}",
                         detail=f"In the folder {path.parent}")

    def failed(error: StudioDeskError) -> None:
        window.statusBar().clearMessage()
        show_problem(window, str(error))

    desk.runner.run(lambda: backup.backup_now(workspace), done, failed)


def back_up_daily(window: MainWindow) -> None:
    """The first opening of a workspace each day backs it up (off the GUI thread)."""
    desk = window.desk
    if desk is None:
        return
    workspace = desk.workspace

    def done(path: Path | None) -> None:
        if path is not None:
            log.info("Daily backup of %s: %s", workspace.path, path)

    def failed(error: StudioDeskError) -> None:
        # Not worth a box at opening; the status bar says it, the log keeps it.
        log.warning("Daily backup of %s failed: %s", workspace.path, error)
        window.statusBar().showMessage(f"The daily backup failed: {error}", 15000)

    desk.runner.run(lambda: backup.backup_on_open(workspace), done, failed)


# Restore from backup -----------------------------------------------------------------


class BackupListModel(QAbstractTableModel):
    """The backups of one workspace, newest first: when, why, how big."""

    HEADERS = ("Made", "Why", "Size")

    def __init__(self, backups: Sequence[backup.BackupInfo],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._backups = list(backups)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """One row per backup; a list has no children."""
        return 0 if parent.isValid() else len(self._backups)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Made, Why, Size."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text; the file's name as tooltip."""
        if not index.isValid():
            return None
        info = self._backups[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (made_text(info.made_at), reason_text(info.reason),
                    size_text(info.size))[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Backups can be selected, not edited."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def backup_at(self, position: int) -> backup.BackupInfo:
        return self._backups[position]


class RestoreDialog(QDialog):
    """Pick a backup of the workspace to restore."""

    def __init__(self, workspace_path: Path, backups: Sequence[backup.BackupInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.setAccessibleName("Restore from backup")
        self.setObjectName("restore_dialog")
        intro = QLabel(f"Backups of {workspace_path.name}, newest first. Restoring one "
                       "replaces the workspace with it; the workspace as it is now is "
                       "backed up first, so a restore can be taken back by restoring "
                       "that backup.", self)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.model = BackupListModel(backups, self)
        self.table = QTableView(self)
        self.table.setObjectName("backups_table")
        self.table.setAccessibleName("Backups")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel("No backups of this workspace yet: File › Back up now makes "
                            "one.", self)
        self.empty.setTextFormat(Qt.TextFormat.PlainText)
        self.empty.setVisible(not backups)
        self.table.setVisible(bool(backups))

        self.buttons = QDialogButtonBox(self)
        self.restore_button = QPushButton("&Restore…", self)
        self.restore_button.setObjectName("restore_backup")
        self.restore_button.setAccessibleName("Restore")
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        self.restore_button.setEnabled(bool(backups))
        if backups:
            self.table.selectRow(0)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        self.resize(620, 380)
        self.table.setFocus()

    def chosen(self) -> backup.BackupInfo | None:
        """The backup selected, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.backup_at(rows[0].row()) if rows else None

    @classmethod
    def ask(cls, parent: QWidget | None, workspace_path: Path,
            backups: Sequence[backup.BackupInfo]) -> backup.BackupInfo | None:
        """The backup to restore, or None."""
        dialog = cls(workspace_path, backups, parent)
        try:
            return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class ConfirmRestore:
    """The last question before a backup replaces the workspace."""

    @classmethod
    def ask(cls, parent: QWidget | None, workspace_path: Path,
            chosen: backup.BackupInfo) -> bool:
        """Whether to go ahead."""
        box = QMessageBox(QMessageBox.Icon.Question, "Restore from backup",
                          f"Replace {workspace_path.name} with the backup made "
                          f"{made_text(chosen.made_at)} ({reason_text(chosen.reason)})?",
                          QMessageBox.StandardButton.NoButton, parent)
        box.setObjectName("confirm_restore")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("Changes made since that backup will be gone from the "
                               "workspace; it is backed up as it is now first.")
        restore = box.addButton("&Restore", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAccessibleName("Restore from backup")
        try:
            box.exec()
            return box.clickedButton() is restore
        finally:
            box.deleteLater()


def restore_from_backup(window: MainWindow) -> None:
    """Tools › Restore from backup…: choose, confirm, restore, reopen."""
    desk = window.desk
    if desk is None:
        return
    path = desk.path
    chosen = RestoreDialog.ask(window, path, backup.list_backups(path))
    if chosen is None or not ConfirmRestore.ask(window, path, chosen):
        return
    window.statusBar().showMessage(f"Restoring {path.name}…")

    def done(_nothing: object) -> None:
        window.statusBar().clearMessage()
        if window.open_path(path):
            show_information(window, "Restored",
                             f"{path.name} is back as it was on {made_text(chosen.made_at)}.",
                             detail="The workspace as it was just before is among the "
                                    "backups (“Before a restore”).")

    def failed(error: StudioDeskError) -> None:
        window.statusBar().clearMessage()
        show_problem(window, str(error))

    desk.runner.run(lambda: backup.restore_backup(chosen.path, path), done, failed)


# Check workspace ---------------------------------------------------------------------


@dataclass(frozen=True)
class Checkup:
    """What Tools › Check workspace found."""

    report: health.HealthReport
    drive: str
    newest_backup: backup.BackupInfo | None

    def lines(self) -> list[str]:
        """The report, line by line, with the drive and the backups after the checks."""
        lines = self.report.lines()
        result = lines.pop() if lines and lines[-1].startswith("Result:") else None
        lines.append(f"Drive: {self.drive}")
        if self.newest_backup is None:
            lines.append("Newest backup: none yet")
        else:
            lines.append(f"Newest backup: {made_text(self.newest_backup.made_at)} "
                         f"({reason_text(self.newest_backup.reason)})")
        if result is not None:
            lines.append(result)
        return lines


def drive_text(path: Path) -> str:
    """The kind of drive ``path`` is on, in words."""
    kind = health.filesystem_kind(path)
    if health.is_network_drive(path):
        return f"network drive ({kind})"
    return {"local": "this computer's own drive", "unknown": "unknown"}.get(kind, kind)


def check_up(path: Path) -> Checkup:
    """Check the workspace at ``path`` (slow on a big file: run it off the GUI thread)."""
    backups = backup.list_backups(path)
    return Checkup(health.check_workspace(path), drive_text(path),
                   backups[0] if backups else None)


class CheckDialog(QDialog):
    """The result of Tools › Check workspace: a verdict, then the details."""

    def __init__(self, checkup: Checkup, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check workspace")
        self.setAccessibleName("Check workspace")
        self.setObjectName("check_dialog")
        report = checkup.report
        if report.ok:
            verdict = f"{report.path.name} is healthy."
        else:
            verdict = (f"{report.path.name} has {len(report.problems)} problem"
                       f"{'s' if len(report.problems) != 1 else ''}: restore a backup "
                       "(Tools › Restore from backup…) or keep working on a copy.")
        self.verdict = QLabel(verdict, self)
        self.verdict.setObjectName("check_verdict")
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setWordWrap(True)
        font = self.verdict.font()
        font.setBold(True)
        self.verdict.setFont(font)
        if not report.ok:
            palette = self.verdict.palette()
            palette.setColor(self.verdict.foregroundRole(), warning_colour(palette))
            self.verdict.setPalette(palette)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("check_details")
        self.details.setAccessibleName("Check details")
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setPlainText("\n".join(checkup.lines()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        # Every line in view, up to a point.
        lines = len(checkup.lines())
        spacing = self.details.fontMetrics().lineSpacing()
        self.details.setMinimumHeight(min(420, spacing * (lines + 1) + 12))
        self.resize(640, self.sizeHint().height())


def check_workspace(window: MainWindow) -> None:
    """Tools › Check workspace…: check off the GUI thread, then show the result."""
    desk = window.desk
    if desk is None:
        return
    path = desk.path
    window.statusBar().showMessage(f"Checking {path.name}…")

    def done(checkup: Checkup) -> None:
        window.statusBar().clearMessage()
        dialog = CheckDialog(checkup, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def failed(error: StudioDeskError) -> None:
        window.statusBar().clearMessage()
        show_problem(window, str(error))

    desk.runner.run(lambda: check_up(path), done, failed)


# Menus -------------------------------------------------------------------------------


def _follow_workspace(window: MainWindow, action: QAction) -> None:
    action.setEnabled(window.desk is not None)
    window.workspace_changed.connect(lambda path: action.setEnabled(path is not None))


def add_back_up_now(window: MainWindow, file_menu: QMenu) -> QAction:
    """File › Back up now; also makes the daily backup when a workspace opens."""
    now = QAction("&Back up now", window)
    now.setObjectName("back_up_now")
    now.setStatusTip("Save a checked copy of the workspace in the backups folder")
    now.triggered.connect(lambda: back_up_now(window))
    _follow_workspace(window, now)
    window.workspace_changed.connect(
        lambda path: back_up_daily(window) if path is not None else None)
    file_menu.addAction(now)
    return now


def add_workspace_tools(window: MainWindow, tools_menu: QMenu) -> tuple[QAction, QAction]:
    """Tools › Check workspace… and Tools › Restore from backup…"""
    check = QAction("&Check workspace…", window)
    check.setObjectName("check_workspace")
    check.setStatusTip("Check the workspace file for damage and see what it holds")
    check.triggered.connect(lambda: check_workspace(window))
    restore = QAction("&Restore from backup…", window)
    restore.setObjectName("restore_from_backup")
    restore.setStatusTip("Put the workspace back as it was when a backup was made")
    restore.triggered.connect(lambda: restore_from_backup(window))
    for action in (check, restore):
        _follow_workspace(window, action)
        tools_menu.addAction(action)
    return check, restore
