"""``check`` reads a workspace and changes nothing (issue 12, item 7): not a file in WAL
mode, not a save a crash cut short, not in a read-only folder, with real processes
holding and leaving the file as people's copies do."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio_desk.core.errors import WorkspaceError
from studio_desk.store import records
from studio_desk.store.engine import open_workspace
from studio_desk.store.health import check_workspace
from tests.helpers.cli import ROOT, one_line_error, studio_desk

AS_ROOT = getattr(os, "geteuid", lambda: -1)() == 0

#: A copy of Studio Desk that starts one big save with a tiny page cache, so SQLite writes
#: changed pages into the file before the commit, says "spilled", and waits to be killed.
_HALF_SAVER = """
import sys, time
from studio_desk.store import records
from studio_desk.store.engine import open_workspace
workspace = open_workspace(sys.argv[1], who="Big saver")
with workspace.write() as s:
    connection = s.connection()
    connection.exec_driver_sql("PRAGMA cache_size=8")
    version = connection.exec_driver_sql("PRAGMA user_version").scalar()
    connection.exec_driver_sql(f"PRAGMA user_version = {version}")
    for number in range(300):
        records.add_record(s, "client", {"name": f"Big save {number}",
                                         "notes": f"{number} " * 800})
    s.flush()
    print("spilled", flush=True)
    time.sleep(60)
"""

#: A copy that takes the write lock, writes (so its journal is there) and waits.
_LOCK_HOLDER = """
import sys, time, sqlite3
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE client SET notes = 'being edited'")
print("holding", flush=True)
time.sleep(60)
"""


def child(script: str, path: Path, says: str) -> subprocess.Popen[str]:
    """Start ``script`` on ``path`` in its own process; return once it said ``says``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-c", script, str(path)], env=env,
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if line != says:
        process.kill()
        process.wait(5)
        pytest.fail(f"the child process said {line!r}, not {says!r}")
    return process


def killed(process: subprocess.Popen[str]) -> None:
    process.kill()  # SIGKILL: no rollback, no cleanup, as a crash
    process.wait(5)
    if process.stdout:
        process.stdout.close()


def snapshot(path: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in the workspace's folder: its bytes and when it was last written."""
    return {entry.name: (Path(entry.path).read_bytes(), entry.stat().st_mtime_ns)
            for entry in os.scandir(path.parent) if entry.is_file()}


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A workspace with two clients, alone in its folder."""
    folder = tmp_path / "shared drive"
    folder.mkdir()
    path = folder / "Studio.studiodesk"
    with open_workspace(path, create=True, who="Ana") as workspace, workspace.write() as s:
        records.add_record(s, "client", {"name": "Acme Foods"})
        records.add_record(s, "client", {"name": "Borealis Bank"})
    return path


def in_wal_mode(path: Path) -> None:
    """What another program (or a colleague's sqlite3 shell) may do to the file."""
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    connection.close()


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[None]:
    """``folder`` made unwritable for this user, whoever that is (root: ``chattr +i``)."""
    if AS_ROOT:
        if shutil.which("chattr") is None:
            pytest.skip("chattr is not installed")
        made = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, text=True)
        if made.returncode:
            pytest.skip(f"the immutable attribute is not available: {made.stderr.strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        before = stat.S_IMODE(folder.stat().st_mode)
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(before)


def test_a_healthy_workspace_is_checked_without_a_byte_or_a_file_changing(
        shared: Path) -> None:
    before = snapshot(shared)
    report = check_workspace(shared)
    assert report.ok, report.problems
    assert report.counts["client"] == 2
    assert report.journal_mode == "delete"
    assert snapshot(shared) == before


def test_a_file_in_wal_mode_is_checked_as_it_is(shared: Path) -> None:
    in_wal_mode(shared)
    before = snapshot(shared)
    assert shared.read_bytes()[18:20] == b"\x02\x02"  # the header says WAL

    report = check_workspace(shared)

    assert report.ok, report.problems
    assert report.counts["client"] == 2
    assert report.journal_mode == "wal"
    assert any(line.startswith("Journal mode: wal") for line in report.lines())
    # Not switched back to a rollback journal, and no -wal or -shm left beside it.
    assert snapshot(shared) == before


def test_a_file_in_wal_mode_a_colleague_has_open_is_read_with_their_saves(
        shared: Path) -> None:
    in_wal_mode(shared)
    colleague = sqlite3.connect(shared, isolation_level=None)
    try:
        colleague.execute("PRAGMA wal_autocheckpoint=0")  # their save stays in the -wal
        colleague.execute("INSERT INTO client (name, name_key, version) "
                          "VALUES ('Cobalt Museum', 'cobalt museum', 1)")
        main_file = shared.read_bytes()
        assert shared.with_name(shared.name + "-wal").stat().st_size > 0

        report = check_workspace(shared)

        assert report.ok, report.problems
        assert report.counts["client"] == 3  # their committed save, read from the -wal
        assert shared.read_bytes() == main_file  # nothing checkpointed into the file
    finally:
        colleague.close()


def test_a_check_while_a_colleague_is_saving_is_not_mistaken_for_a_crash(
        shared: Path) -> None:
    holder = child(_LOCK_HOLDER, shared, "holding")
    try:
        journal = shared.with_name(shared.name + "-journal")
        assert journal.exists()  # theirs, live: not one a crash left
        report = check_workspace(shared)
        assert report.ok, report.problems
        assert report.counts["client"] == 2
    finally:
        killed(holder)


def test_a_save_a_crash_cut_short_is_named_and_left_for_an_opening_to_undo(
        shared: Path) -> None:
    killed(child(_HALF_SAVER, shared, "spilled"))
    journal = shared.with_name(shared.name + "-journal")
    assert journal.stat().st_size > 0
    before = snapshot(shared)

    with pytest.raises(WorkspaceError) as caught:
        check_workspace(shared)

    message = str(caught.value)
    assert str(shared) in message and "half-saved" in message
    assert "open it once in Studio Desk" in message and "\n" not in message
    assert snapshot(shared) == before  # neither the file nor its journal changed
    # Opening it for work undoes the cut-short save; then the check passes.
    with open_workspace(shared) as workspace, workspace.read() as s:
        assert records.names(s, "client") == ["Acme Foods", "Borealis Bank"]
    assert not journal.exists()
    assert check_workspace(shared).ok


def test_a_save_cut_short_in_a_read_only_folder_says_who_can_finish_it(
        shared: Path) -> None:
    killed(child(_HALF_SAVER, shared, "spilled"))
    before = snapshot(shared)
    with unwritable(shared.parent):
        with pytest.raises(WorkspaceError) as caught:
            check_workspace(shared)
        after = snapshot(shared)
    message = str(caught.value)
    assert "half-saved" in message and "someone with write access" in message
    assert "disk full" not in message and "\n" not in message
    assert after == before


def test_the_command_line_check_of_a_half_saved_file_is_one_line(shared: Path) -> None:
    killed(child(_HALF_SAVER, shared, "spilled"))
    before = snapshot(shared)
    line = one_line_error(studio_desk("check", "--db", shared.name, cwd=shared.parent))
    assert "half-saved" in line
    assert snapshot(shared) == before
