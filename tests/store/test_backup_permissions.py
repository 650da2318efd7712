"""Backups, restored workspaces and set-aside copies are no easier to read than the
workspace itself (issue 12, item 4): real files, real modes, a usual umask of 022."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio_desk.store import backup, locations, records
from studio_desk.store.engine import open_workspace

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most systems give a user: new files 0644, new folders 0755."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def private_workspace(path: Path, *names: str, mode: int = 0o600) -> Path:
    with open_workspace(path, create=True, who="Ana") as workspace:
        for name in names:
            with workspace.write() as s:
                records.add_record(s, "client", {"name": name})
    path.chmod(mode)
    return path


def client_names(path: Path) -> list[str]:
    with open_workspace(path) as workspace, workspace.read() as s:
        return records.names(s, "client")


def scramble(path: Path) -> None:
    """Damage the tables' pages, as a disk fault or a bad copy would."""
    page_size = 4096
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    connection.close()
    with path.open("r+b") as handle:
        for page in range(1, path.stat().st_size // page_size):
            handle.seek(page * page_size)
            handle.write(bytes((n * 37 + page) % 256 for n in range(page_size)))


def test_a_private_workspace_gets_private_backups_in_private_folders(tmp_path: Path) -> None:
    path = private_workspace(tmp_path / "Studio.studiodesk", "Acme Foods")
    made = backup.back_up_file(path)
    assert mode_of(made) == 0o600
    assert mode_of(made.parent) == 0o700
    # The folders made above it on the way (the data folder, "backups") too.
    assert mode_of(locations.backups_dir()) == 0o700
    assert mode_of(locations.data_dir()) == 0o700
    assert client_names(made) == ["Acme Foods"]
    assert sorted(os.listdir(made.parent)) == [made.name]


def test_a_backup_takes_the_workspaces_own_mode(tmp_path: Path) -> None:
    for mode in (0o640, 0o644, 0o400):
        path = private_workspace(tmp_path / f"Studio{mode:o}.studiodesk", mode=mode)
        assert mode_of(backup.back_up_file(path)) == mode


def test_a_backup_folder_an_older_version_made_open_is_narrowed(tmp_path: Path) -> None:
    path = private_workspace(tmp_path / "Studio.studiodesk")
    folder = backup.backup_folder(path)
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    backup.back_up_file(path)
    assert mode_of(folder) == 0o700
    # A workspace others may read keeps a folder they could already list.
    shared = private_workspace(tmp_path / "Shared.studiodesk", mode=0o644)
    shared_folder = backup.backup_folder(shared)
    shared_folder.mkdir(parents=True)
    shared_folder.chmod(0o755)
    backup.back_up_file(shared)
    assert mode_of(shared_folder) == 0o755


def test_restoring_over_a_damaged_private_workspace_keeps_it_private(tmp_path: Path) -> None:
    path = private_workspace(tmp_path / "Studio.studiodesk", "Acme Foods")
    earlier = backup.back_up_file(path)
    scramble(path)
    damaged = path.read_bytes()
    path.chmod(0o600)

    kept = backup.restore_backup(earlier, path)

    assert client_names(path) == ["Acme Foods"]
    assert mode_of(path) == 0o600
    assert kept is not None and kept.name.endswith(".damaged")
    assert kept.read_bytes() == damaged
    assert mode_of(kept) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["Studio.studiodesk"]


def test_restoring_over_a_healthy_private_workspace_keeps_both_private(
        tmp_path: Path) -> None:
    path = private_workspace(tmp_path / "Studio.studiodesk", "Acme Foods")
    earlier = backup.back_up_file(path)
    with open_workspace(path) as workspace, workspace.write() as s:
        records.add_record(s, "client", {"name": "Borealis Bank"})

    kept = backup.restore_backup(earlier, path)

    assert client_names(path) == ["Acme Foods"]
    assert mode_of(path) == 0o600
    assert kept is not None and backup.list_backups(path)[0].path == kept
    assert client_names(kept) == ["Acme Foods", "Borealis Bank"]
    assert mode_of(kept) == 0o600


def test_a_workspace_restored_where_there_was_none_gets_the_backups_mode(
        tmp_path: Path) -> None:
    path = private_workspace(tmp_path / "Studio.studiodesk", "Acme Foods")
    earlier = backup.back_up_file(path)
    elsewhere = tmp_path / "recovered" / "Studio.studiodesk"
    assert backup.restore_backup(earlier, elsewhere) is None
    assert mode_of(elsewhere) == 0o600
    assert client_names(elsewhere) == ["Acme Foods"]
    assert os.listdir(elsewhere.parent) == ["Studio.studiodesk"]


def test_a_link_planted_beside_the_workspace_is_not_written_through(tmp_path: Path) -> None:
    """The restored file is built under a random name, never a predictable one that a
    colleague on the shared drive could point somewhere else."""
    path = private_workspace(tmp_path / "Studio.studiodesk", "Acme Foods")
    earlier = backup.back_up_file(path)
    scramble(path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (tmp_path / "Studio.studiodesk.restoring").symlink_to(victim)
    backup.restore_backup(earlier, path)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert client_names(path) == ["Acme Foods"]
