"""Backups: made with the online backup API, checked, rotated, restored."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import insert

from studio_desk.core.errors import DamagedWorkspaceError, WorkspaceError
from studio_desk.store import backup, changes, locations, presence, records
from studio_desk.store.engine import APPLICATION_ID, Workspace, open_workspace
from studio_desk.store.models import PresenceEntry


def client_names(path: Path) -> list[str]:
    with open_workspace(path) as workspace, workspace.read() as s:
        return records.names(s, "client")


def add_client(workspace: Workspace, name: str) -> None:
    with workspace.write() as s:
        records.add_record(s, "client", {"name": name})


def test_a_backup_is_a_checked_copy_in_the_workspaces_own_folder(
        small_studio: Workspace) -> None:
    made = backup.backup_now(small_studio, reason="Before the big import!")
    assert made.parent == backup.backup_folder(small_studio.path)
    assert made.parent.parent == locations.backups_dir()
    assert made.name.startswith("studio_") and made.suffix == ".studiodesk"
    [info] = backup.list_backups(small_studio.path)
    assert (info.path, info.reason, info.size) == (made, "before-the-big-import",
                                                   made.stat().st_size)
    assert abs(dt.datetime.now(dt.UTC) - info.made_at) < dt.timedelta(seconds=10)
    backup.verify_backup(made)
    assert client_names(made) == client_names(small_studio.path)
    # Nothing was left beside the backup or the workspace.
    assert os.listdir(made.parent) == [made.name]
    assert sorted(os.listdir(small_studio.path.parent)) == ["studio.studiodesk"]


def test_workspaces_of_the_same_name_keep_separate_backups(tmp_path: Path) -> None:
    first = open_workspace(tmp_path / "a" / "Studio.studiodesk", create=True)
    second = open_workspace(tmp_path / "b" / "Studio.studiodesk", create=True)
    try:
        backup.backup_now(first)
        backup.backup_now(second)
        assert backup.backup_folder(first.path) != backup.backup_folder(second.path)
        assert len(backup.list_backups(first.path)) == 1
        assert len(backup.list_backups(second.path)) == 1
    finally:
        first.close()
        second.close()


def test_rotation_keeps_the_newest(workspace: Workspace,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "KEEP", 3)
    made = []
    for number in range(5):
        add_client(workspace, f"Client {number}")
        made.append(backup.backup_now(workspace))
    listed = backup.list_backups(workspace.path)
    assert [info.path for info in listed] == made[::-1][:3]
    assert client_names(listed[0].path) == [f"Client {n}" for n in range(5)]


def test_the_daily_backup_is_made_once_a_day(workspace: Workspace) -> None:
    first = backup.backup_on_open(workspace)
    assert first is not None and backup.list_backups(workspace.path)[0].reason == "daily"
    assert backup.backup_on_open(workspace) is None
    # Yesterday's backup does not count for today.
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    first.rename(first.with_name(f"studio_{yesterday.strftime('%Y%m%dT%H%M%S%fZ')}_daily"
                                 ".studiodesk"))
    assert backup.backup_on_open(workspace) is not None
    assert len(backup.list_backups(workspace.path)) == 2


def test_a_damaged_workspace_is_not_backed_up_over_good_backups(
        workspace: Workspace) -> None:
    add_client(workspace, "Acme Foods")
    good = backup.backup_now(workspace)
    with workspace.path.open("r+b") as handle:  # scramble every page after the first
        size = workspace.path.stat().st_size
        handle.seek(4096)
        handle.write(bytes((n * 37 + 11) % 256 for n in range(size - 4096)))
    with pytest.raises(DamagedWorkspaceError, match="run Check workspace"):
        backup.backup_now(workspace)
    assert [info.path for info in backup.list_backups(workspace.path)] == [good]
    assert os.listdir(good.parent) == [good.name]


def test_a_backup_folder_that_cannot_be_made_is_named(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "not a folder"
    blocker.write_text("in the way", encoding="utf-8")
    monkeypatch.setenv("STUDIO_DESK_DATA_DIR", str(blocker))
    with pytest.raises(WorkspaceError, match="backup folder .* cannot be created"):
        backup.backup_now(workspace)
    assert blocker.read_text(encoding="utf-8") == "in the way"


def test_what_killed_backups_left_is_swept_but_not_what_running_ones_write(
        workspace: Workspace) -> None:
    folder = backup.backup_folder(workspace.path)
    folder.mkdir(parents=True)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    dead = folder / f".studio_x_manual.studiodesk.{gone}.partial"
    running = folder / f".studio_y_manual.studiodesk.{os.getppid()}.partial"
    for leftover in (dead, running):
        leftover.write_bytes(b"half a backup")
    made = backup.backup_now(workspace)
    assert sorted(os.listdir(folder)) == sorted([made.name, running.name])
    assert [info.path for info in backup.list_backups(workspace.path)] == [made]


def test_restoring_brings_the_backup_back_after_backing_up_the_present(
        workspace: Workspace) -> None:
    add_client(workspace, "Acme Foods")
    earlier = backup.backup_now(workspace)
    add_client(workspace, "Borealis Bank")
    with changes.ChangeWatcher(workspace) as watcher:
        backup.restore_backup(earlier, workspace.path)
        # Copies that have it open see the restore like a colleague's save.
        assert watcher.poll()
    with workspace.read() as s:
        assert records.names(s, "client") == ["Acme Foods"]
    newest = backup.list_backups(workspace.path)[0]
    assert newest.reason == "before-restore"
    assert client_names(newest.path) == ["Acme Foods", "Borealis Bank"]


def test_restoring_forgets_who_had_the_backup_open(workspace: Workspace) -> None:
    token = presence.join(workspace, "Tester", "laptop")
    earlier = backup.backup_now(workspace)
    presence.leave(workspace, token)
    backup.restore_backup(earlier, workspace.path)
    assert presence.others(workspace, presence.NOBODY) == []


def test_restoring_is_refused_while_colleagues_have_it_open(workspace: Workspace) -> None:
    earlier = backup.backup_now(workspace)
    add_client(workspace, "Acme Foods")
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with workspace.write() as s:
        s.execute(insert(PresenceEntry).values(name="Ben Ode", machine="iMac",
                                               host="studio-imac", pid=1, since=now,
                                               last_seen=now))
    with pytest.raises(WorkspaceError, match="is open by Ben Ode; ask them to close it"):
        backup.restore_backup(earlier, workspace.path)
    assert client_names(workspace.path) == ["Acme Foods"]


def test_restoring_where_the_workspace_is_missing_creates_it(
        workspace: Workspace, tmp_path: Path) -> None:
    add_client(workspace, "Acme Foods")
    earlier = backup.backup_now(workspace)
    elsewhere = tmp_path / "recovered" / "Studio.studiodesk"
    backup.restore_backup(earlier, elsewhere)
    assert client_names(elsewhere) == ["Acme Foods"]
    assert os.listdir(elsewhere.parent) == ["Studio.studiodesk"]


def test_a_backup_is_not_restored_over_another_programs_file(
        workspace: Workspace, tmp_path: Path) -> None:
    earlier = backup.backup_now(workspace)
    theirs = tmp_path / "bookmarks.sqlite"
    connection = sqlite3.connect(theirs)
    connection.execute("CREATE TABLE bookmark (title TEXT)")
    connection.commit()
    connection.close()
    before = theirs.read_bytes()
    with pytest.raises(WorkspaceError, match="No backup was restored over"):
        backup.restore_backup(earlier, theirs)
    assert theirs.read_bytes() == before


def test_a_damaged_backup_is_not_restored(workspace: Workspace) -> None:
    add_client(workspace, "Acme Foods")
    earlier = backup.backup_now(workspace)
    with earlier.open("r+b") as handle:
        handle.truncate(earlier.stat().st_size // 2)
    with pytest.raises(DamagedWorkspaceError, match="The backup .* cannot be used"):
        backup.restore_backup(earlier, workspace.path)
    assert client_names(workspace.path) == ["Acme Foods"]


def test_verifying_refuses_what_is_not_a_whole_workspace(tmp_path: Path) -> None:
    text = tmp_path / "notes.studiodesk"
    text.write_text("not a workspace", encoding="utf-8")
    with pytest.raises(DamagedWorkspaceError, match="cannot be used"):
        backup.verify_backup(text)
    other = tmp_path / "other.studiodesk"
    connection = sqlite3.connect(other)
    connection.execute(f"PRAGMA application_id = {APPLICATION_ID + 1}")
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    with pytest.raises(DamagedWorkspaceError, match="another program"):
        backup.verify_backup(other)
