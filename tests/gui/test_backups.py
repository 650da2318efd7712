"""Back up now, Restore from backup, Check workspace, the daily backup and the user's
name, from the window's menus."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox

from studio_desk.core.rows import Row
from studio_desk.gui.backups import (
    BackupListModel,
    CheckDialog,
    Checkup,
    ConfirmRestore,
    RestoreDialog,
    reason_text,
    size_text,
)
from studio_desk.gui.main_window import MainWindow
from studio_desk.gui.preferences import PreferencesDialog
from studio_desk.gui.views import RecordView
from studio_desk.store import backup, health, records
from studio_desk.store.engine import Workspace
from studio_desk.store.history import history
from tests.gui.conftest import answer_dialog, cell_texts, problems


def _row(workspace: Workspace, kind: str, name: str) -> Row:
    with workspace.read() as s:
        found = records.find_id(s, kind, name)
        assert found is not None
        return records.get_row(s, kind, found)


def _trigger(window: MainWindow, name: str) -> None:
    action = window.findChild(QAction, name)
    assert action is not None and action.isEnabled(), name
    action.trigger()


def _information(window: MainWindow) -> list[str]:
    return [box.text() for box in window.findChildren(QMessageBox, "information_message")
            if box.isVisible()]


def _edit_cell(window: MainWindow, record_id: int, key: str, value: object) -> None:
    view = window.show_page("Clients")
    assert isinstance(view, RecordView)
    assert view.select_id(record_id)
    column = [c.key for c in view.model.columns].index(key)
    assert view.proxy.setData(view.table.currentIndex().siblingAtColumn(column), value)


def test_opening_makes_the_daily_backup_once(make_window, small_studio):
    window = make_window(small_studio.path)
    daily = [b for b in backup.list_backups(small_studio.path) if b.reason == "daily"]
    assert len(daily) == 1
    window.open_path(small_studio.path)  # again, the same day
    assert [b.reason for b in backup.list_backups(small_studio.path)] == ["daily"]


def test_back_up_now_says_which_file_it_made(make_window, small_studio):
    window = make_window(small_studio.path)
    _trigger(window, "back_up_now")
    newest = backup.list_backups(small_studio.path)[0]
    assert newest.reason == "manual"
    assert _information(window) == [
        f"studio.studiodesk was backed up and checked: {newest.path.name}"]
    backup.verify_backup(newest.path)  # a whole, healthy workspace


def test_restore_from_backup_puts_the_workspace_back_and_keeps_the_present_one(
        qtbot, make_window, small_studio, monkeypatch):
    window = make_window(small_studio.path)
    acme = _row(small_studio, "client", "Acme Foods")
    _trigger(window, "back_up_now")
    made = backup.list_backups(small_studio.path)[0]
    _edit_cell(window, acme.id, "industry", "Groceries")
    assert "Groceries" in cell_texts(window.page("Clients"), "industry")
    asked: list[str] = []
    monkeypatch.setattr(ConfirmRestore, "ask", classmethod(
        lambda cls, parent, path, chosen: asked.append(chosen.reason) or True))

    def choose_the_manual_backup(dialog) -> None:
        assert isinstance(dialog, RestoreDialog)
        reasons = [dialog.model.index(r, 1).data() for r in range(dialog.model.rowCount())]
        assert reasons == ["Backed up by hand", "Daily, on opening"]
        assert dialog.chosen() == made  # the newest is selected
        dialog.restore_button.click()

    answer = answer_dialog(choose_the_manual_backup)
    _trigger(window, "restore_from_backup")
    answer.check()

    assert asked == ["manual"]
    assert _row(small_studio, "client", "Acme Foods").industry == "Food & drink"
    assert "Groceries" not in cell_texts(window.page("Clients"), "industry")
    assert "Food & drink" in cell_texts(window.page("Clients"), "industry")
    kept = [b for b in backup.list_backups(small_studio.path) if b.reason == "before-restore"]
    assert len(kept) == 1
    with sqlite3.connect(kept[0].path) as copy:  # the workspace as it was just before
        assert copy.execute("SELECT industry FROM client WHERE id = ?",
                            (acme.id,)).fetchone() == ("Groceries",)
    assert not window.undo_stack.canUndo()  # an undo across a restore would mislead
    assert window.desk is not None and window.desk.path == small_studio.path


def test_restore_is_refused_while_a_colleague_has_the_workspace_open(
        qtbot, make_window, small_studio, monkeypatch):
    window = make_window(small_studio.path)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    with sqlite3.connect(small_studio.path) as raw:  # Ana, on her own machine
        raw.execute("INSERT INTO presence (name, machine, host, pid, since, last_seen) "
                    "VALUES ('Ana Ruiz', 'studio-mac', 'studio-mac', 4242, ?, ?)", (now, now))
    monkeypatch.setattr(ConfirmRestore, "ask", classmethod(lambda cls, *args: True))
    answer = answer_dialog(lambda dialog: dialog.restore_button.click())
    _trigger(window, "restore_from_backup")
    answer.check()
    (message,) = problems(window)
    assert message == ("studio.studiodesk is open by Ana Ruiz; ask them to close it before "
                       "a backup is restored over it.")


def test_check_workspace_reports_health_drive_and_newest_backup(
        qtbot, make_window, small_studio):
    window = make_window(small_studio.path)
    _trigger(window, "check_workspace")
    (dialog,) = [d for d in window.findChildren(CheckDialog) if d.isVisible()]
    assert dialog.verdict.text() == "studio.studiodesk is healthy."
    lines = dialog.details.toPlainText().splitlines()
    assert "Integrity: ok" in lines and "Foreign keys: ok" in lines
    assert "Clients: 3" in lines and "Projects: 4" in lines
    assert lines[-1] == "Result: healthy"
    assert any(line.startswith("Drive: ") for line in lines)
    assert any(line.startswith("Newest backup: ") and "(Daily, on opening)" in line
               for line in lines)


def test_a_damaged_workspace_is_reported_with_what_to_do(qtbot, tmp_path):
    report = health.HealthReport(tmp_path / "studio.studiodesk",
                                 integrity=("Page 7 is never used",),
                                 foreign_keys=("project row 3 points to a missing client",),
                                 schema_version=3, counts={})
    dialog = CheckDialog(Checkup(report, "network drive (nfs)", None))
    qtbot.addWidget(dialog)
    assert dialog.verdict.text().startswith("studio.studiodesk has 2 problems: restore a "
                                            "backup")
    details = dialog.details.toPlainText()
    assert "Drive: network drive (nfs)" in details
    assert "Newest backup: none yet" in details
    assert details.splitlines()[-1] == "Result: NOT healthy"


def test_the_backup_list_model_passes_the_model_tester(qtmodeltester, tmp_path):
    made = dt.datetime(2026, 5, 9, 7, 35, tzinfo=dt.UTC)
    model = BackupListModel([
        backup.BackupInfo(tmp_path / "a.studiodesk", made, "manual", 2048),
        backup.BackupInfo(tmp_path / "b.studiodesk", made, "before-upgrade-to-schema-3",
                          3_400_000)])
    qtmodeltester.check(model)
    assert model.index(1, 1).data() == "Before upgrading to schema 3"
    assert model.index(1, 2).data() == "3.4 MB"
    assert [reason_text("daily"), size_text(512)] == ["Daily, on opening", "512 bytes"]


def test_changes_are_recorded_under_the_name_set_in_preferences(
        qtbot, make_window, small_studio):
    window = make_window(small_studio.path, who=None)

    def type_a_name(dialog) -> None:
        assert isinstance(dialog, PreferencesDialog)
        dialog.name.clear()
        qtbot.keyClicks(dialog.name, "  Ana   Ruiz ")
        dialog.accept()

    answer = answer_dialog(type_a_name)
    _trigger(window, "preferences")
    answer.check()

    assert window.settings.display_name == "Ana Ruiz"
    assert window.desk is not None and window.desk.workspace.who == "Ana Ruiz"
    acme = _row(small_studio, "client", "Acme Foods")
    _edit_cell(window, acme.id, "industry", "Groceries")
    with small_studio.read() as s:
        assert history(s, limit=1)[0].who == "Ana Ruiz"
    assert QApplication.activeModalWidget() is None


def test_menus_offer_the_sharing_tools(make_window, small_studio):
    window = make_window(None)
    for name in ("back_up_now", "check_workspace", "restore_from_backup",
                 "workspace_history", "record_history"):
        assert not window.findChild(QAction, name).isEnabled(), name  # nothing open
    assert window.findChild(QAction, "preferences").isEnabled()
    window.open_path(Path(small_studio.path))
    for name in ("back_up_now", "check_workspace", "restore_from_backup",
                 "workspace_history", "record_history"):
        assert window.findChild(QAction, name).isEnabled(), name
