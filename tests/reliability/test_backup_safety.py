"""Backups that can be trusted (scenarios 3 and 8).

A backup is written under a temporary name, checked, then renamed into place: killed at
any moment (``kill -9`` of the process making it), the backups listed are whole and
pass their check, the previous one is still there, and the half-made file never shows
up among them. A damaged workspace is put back from its newest backup, and the damaged
file's bytes are kept aside rather than thrown away.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from pathlib import Path

import pytest

from studio_desk.core.errors import DamagedWorkspaceError
from studio_desk.store import backup, records
from studio_desk.store.engine import open_workspace
from studio_desk.store.health import check_workspace
from tests.reliability import workers
from tests.reliability.conftest import Processes

ROUNDS = 8


def fill(path: Path, clients: int) -> None:
    """A workspace of ``clients`` clients with long notes (several megabytes)."""
    with open_workspace(path, create=True, who="Ana") as workspace, workspace.write() as s:
        s.connection().exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO client (name, name_key, notes, version) "
            "SELECT 'Client ' || i, 'client ' || i, hex(randomblob(1000)), 1 FROM n",
            (clients,))


def partial_files(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if ".partial" in name)


@pytest.mark.slow
def test_a_backup_killed_midway_never_replaces_a_good_one(
        tmp_path: Path, processes: Processes) -> None:
    path = tmp_path / "Studio.studiodesk"
    fill(path, 4000)
    with open_workspace(path) as workspace:
        began = time.monotonic()
        first = backup.backup_now(workspace, reason="first")
        takes = time.monotonic() - began
    folder = backup.backup_folder(path)
    checked: set[Path] = set()
    chance = random.Random()
    killed_midway = 0
    for round_ in range(ROUNDS):
        newest_before = backup.list_backups(path)[0]
        receiving, sending = processes.context.Pipe(duplex=False)
        maker = processes.start(workers.back_up_again_and_again, path, sending)
        sending.close()
        assert receiving.poll(10) and receiving.recv() == ("starting", None)
        time.sleep(chance.uniform(0, 1.5 * takes))
        maker.kill()
        maker.join(5)
        receiving.close()
        killed_midway += bool(partial_files(folder))

        listed = backup.list_backups(path)
        assert newest_before in listed, f"round {round_}: the previous backup went"
        assert len(listed) <= backup.KEEP
        for info in listed:
            assert ".partial" not in info.path.name
            if info.path not in checked:
                backup.verify_backup(info.path)  # whole, and passes integrity_check
                checked.add(info.path)
        assert listed == sorted(listed, key=lambda i: i.made_at, reverse=True)
    assert first in checked
    assert killed_midway >= 1, "no kill landed while a backup was being made"

    # The next backup sweeps away what the killed ones left behind.
    with open_workspace(path) as workspace:
        backup.backup_now(workspace)
    assert partial_files(folder) == []
    print(f"\n{ROUNDS} kills of a backup taking {takes:.2f} s; {killed_midway} midway")


def test_a_damaged_workspace_is_put_back_from_its_newest_backup(tmp_path: Path) -> None:
    path = tmp_path / "Studio.studiodesk"
    with open_workspace(path, create=True, who="Ana") as workspace:
        with workspace.write() as s:
            records.add_record(s, "client", {"name": "Acme Foods"})
        backup.backup_now(workspace)
        with workspace.write() as s:
            records.add_record(s, "client", {"name": "Borealis Bank"})
        newest = backup.backup_now(workspace)
    fill_damage(path)
    damaged = path.read_bytes()
    with pytest.raises(DamagedWorkspaceError, match="open a backup instead"):
        open_workspace(path)

    offered = backup.list_backups(path)[0]  # what the window offers
    assert offered.path == newest
    backup.restore_backup(offered.path, path)

    with open_workspace(path) as workspace, workspace.read() as s:
        assert records.names(s, "client") == ["Acme Foods", "Borealis Bank"]
    assert check_workspace(path).ok
    kept = [p for p in backup.backup_folder(path).iterdir() if p.name.endswith(".damaged")]
    assert [p.read_bytes() for p in kept] == [damaged]


def fill_damage(path: Path) -> None:
    """Scramble the tables' pages, as a disk fault or a bad copy would."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    with path.open("r+b") as handle:
        for page in range(1, path.stat().st_size // page_size):
            handle.seek(page * page_size)
            handle.write(bytes((n * 37 + page) % 256 for n in range(page_size)))
