"""The command line backs up and restores as the window does (issue 12, item 5): the
daily backup before the first write of the day (import, plan propose, copy, apply), and
``studio-desk restore --db PATH [BACKUP]``. Real processes, real files."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from studio_desk.store import backup, presence, records
from studio_desk.store.engine import open_workspace
from tests.helpers.cli import ok, one_line_error, studio_desk


def client_names(path: Path) -> list[str]:
    with open_workspace(path) as workspace, workspace.read() as s:
        return records.names(s, "client")


def plan_status(path: Path, name: str) -> str:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (status,) = connection.execute("SELECT status FROM plan WHERE name = ?",
                                       (name,)).fetchone()
    finally:
        connection.close()
    return str(status)


def made_yesterday(info: backup.BackupInfo) -> Path:
    """Rename a backup as if it had been made yesterday."""
    yesterday = (info.made_at - dt.timedelta(days=1)).strftime("%Y%m%dT%H%M%S%fZ")
    older = info.path.with_name(info.path.name.replace(
        info.made_at.strftime("%Y%m%dT%H%M%S%fZ"), yesterday))
    info.path.rename(older)
    return older


@pytest.fixture
def studio(tmp_path: Path) -> Path:
    """A new workspace with one client, made without any backup, and a CSV of two more."""
    ok(studio_desk("new", "w.studiodesk", cwd=tmp_path))
    with open_workspace(tmp_path / "w.studiodesk") as workspace, workspace.write() as s:
        records.add_record(s, "client", {"name": "Acme Foods"})
    (tmp_path / "clients.csv").write_text("name\nBorealis Bank\nCobalt Museum\n",
                                          encoding="utf-8")
    return tmp_path / "w.studiodesk"


def test_a_scripted_import_makes_the_days_backup_first(studio: Path) -> None:
    assert backup.list_backups(studio) == []
    ok(studio_desk("import", "clients", "clients.csv", "--db", studio.name,
                   cwd=studio.parent))
    [daily] = backup.list_backups(studio)
    assert daily.reason == "daily"
    assert daily.made_at.astimezone().date() == dt.date.today()
    assert client_names(daily.path) == ["Acme Foods"]  # the workspace before the import
    assert client_names(studio) == ["Acme Foods", "Borealis Bank", "Cobalt Museum"]

    # One a day: the next write the same day makes none.
    (studio.parent / "more.csv").write_text("name\nDelta Dairy\n", encoding="utf-8")
    ok(studio_desk("import", "clients", "more.csv", "--db", studio.name, cwd=studio.parent))
    assert [info.path for info in backup.list_backups(studio)] == [daily.path]


def test_a_dry_run_writes_nothing_so_backs_up_nothing(studio: Path) -> None:
    ok(studio_desk("import", "clients", "clients.csv", "--db", studio.name, "--dry-run",
                   cwd=studio.parent))
    assert backup.list_backups(studio) == []


def test_yesterdays_backup_does_not_count_for_today(studio: Path) -> None:
    backup.back_up_file(studio, reason="daily")
    older = made_yesterday(backup.list_backups(studio)[0])
    ok(studio_desk("import", "clients", "clients.csv", "--db", studio.name,
                   cwd=studio.parent))
    newest, oldest = backup.list_backups(studio)
    assert oldest.path == older
    assert newest.reason == "daily" and newest.made_at.astimezone().date() == dt.date.today()


def test_applying_a_plan_backs_up_the_workspace_before_it(tmp_path: Path) -> None:
    ok(studio_desk("demo", "w.studiodesk", "--projects", "8", "--people", "4", "--clients",
                   "4", cwd=tmp_path))
    path = tmp_path / "w.studiodesk"
    ok(studio_desk("plan", "propose", "Split", "--db", "w.studiodesk", cwd=tmp_path))
    [before_propose] = backup.list_backups(path)  # proposing writes: backed up first
    assert before_propose.reason == "daily"
    made_yesterday(before_propose)

    ok(studio_desk("plan", "apply", "Split", "--db", "w.studiodesk", cwd=tmp_path))

    newest = backup.list_backups(path)[0]
    assert newest.reason == "daily" and newest.made_at.astimezone().date() == dt.date.today()
    assert plan_status(newest.path, "Split") == "draft"  # as it was before applying
    assert plan_status(path, "Split") == "applied"


def test_a_backup_that_cannot_be_made_is_said_and_the_import_goes_on(
        studio: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not a folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    env = dict(os.environ, STUDIO_DESK_DATA_DIR=str(blocker / "data"))
    result = studio_desk("import", "clients", "clients.csv", "--db", studio.name,
                         cwd=studio.parent, env=env)
    assert result.returncode == 0, result.stderr
    [warning] = result.stderr.splitlines()
    assert warning.startswith("studio-desk: warning: the daily backup was not made")
    assert "Traceback" not in result.stderr
    assert client_names(studio) == ["Acme Foods", "Borealis Bank", "Cobalt Museum"]


# --- restore -------------------------------------------------------------------------------

def test_restore_without_a_backup_lists_them_with_dates(studio: Path) -> None:
    said = ok(studio_desk("restore", "--db", studio.name, cwd=studio.parent))
    assert said.startswith("w.studiodesk has no backups yet")
    manual = backup.back_up_file(studio, reason="manual")
    ok(studio_desk("import", "clients", "clients.csv", "--db", studio.name,
                   cwd=studio.parent))  # today's backup exists: none made
    lines = ok(studio_desk("restore", "--db", studio.name, cwd=studio.parent)).splitlines()
    assert lines[0] == f"Backups of w.studiodesk, newest first, in {manual.parent}:"
    assert lines[1].split() == ["Made", "Why", "Size", "Name"]
    [row] = lines[2:]
    made = backup.list_backups(studio)[0].made_at.astimezone()
    assert row.startswith(f"{made:%Y-%m-%d %H:%M:%S}  manual")
    assert row.endswith(manual.name)


def test_restore_puts_a_backup_back_and_keeps_the_workspace_as_it_was(studio: Path) -> None:
    ok(studio_desk("import", "clients", "clients.csv", "--db", studio.name,
                   cwd=studio.parent))
    [daily] = backup.list_backups(studio)

    said = ok(studio_desk("restore", "--db", studio.name, daily.path.name,
                          cwd=studio.parent))

    assert client_names(studio) == ["Acme Foods"]
    newest = backup.list_backups(studio)[0]
    assert newest.reason == "before-restore"
    assert client_names(newest.path) == ["Acme Foods", "Borealis Bank", "Cobalt Museum"]
    made = daily.made_at.astimezone()
    assert said == (f"Restored w.studiodesk from the backup made {made:%Y-%m-%d %H:%M:%S}; "
                    f"the workspace as it was is kept as {newest.path}.")
    # A backup named by its path works as well.
    ok(studio_desk("restore", "--db", studio.name, str(newest.path), cwd=studio.parent))
    assert client_names(studio) == ["Acme Foods", "Borealis Bank", "Cobalt Museum"]
    assert sorted(os.listdir(studio.parent)) == ["clients.csv", "w.studiodesk"]


def test_restore_over_a_damaged_private_workspace_sets_it_aside_privately(
        studio: Path) -> None:
    earlier = backup.back_up_file(studio)
    with studio.open("r+b") as handle:
        handle.seek(4096)
        handle.write(b"\xde\xad\xbe\xef" * 1024)  # the second page scrambled
    studio.chmod(0o600)
    damaged = studio.read_bytes()
    assert one_line_error(studio_desk("export", "clients", "out.csv", "--db", studio.name,
                                      cwd=studio.parent))

    said = ok(studio_desk("restore", "--db", studio.name, earlier.name, cwd=studio.parent))

    assert client_names(studio) == ["Acme Foods"]
    assert stat.S_IMODE(studio.stat().st_mode) == 0o600
    [kept] = [p for p in earlier.parent.iterdir() if p.name.endswith(".damaged")]
    assert kept.read_bytes() == damaged and str(kept) in said
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_restore_refuses_a_backup_that_is_not_there(studio: Path) -> None:
    before = studio.read_bytes()
    line = one_line_error(studio_desk("restore", "--db", studio.name, "nosuch.studiodesk",
                                      cwd=studio.parent))
    assert "nosuch.studiodesk is neither a backup of w.studiodesk" in line
    assert "studio-desk restore --db w.studiodesk" in line
    assert studio.read_bytes() == before


def test_restore_is_refused_while_a_colleague_has_it_open(studio: Path) -> None:
    earlier = backup.back_up_file(studio)
    with open_workspace(studio, who="Ben Ode") as workspace:
        token = presence.join(workspace, "Ben Ode", "iMac")
        with workspace.write() as s:
            records.add_record(s, "client", {"name": "Borealis Bank"})
        line = one_line_error(studio_desk("restore", "--db", studio.name, earlier.name,
                                          cwd=studio.parent))
        presence.leave(workspace, token)
    assert "is open by Ben Ode" in line
    assert client_names(studio) == ["Acme Foods", "Borealis Bank"]
