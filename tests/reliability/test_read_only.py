"""A workspace this user cannot change (scenario 14): it opens read-only, says why, and
refuses every save with that reason; the file is left exactly as it was.

Permissions do not stop root, and CI runs as root: there the read-only file and folder
are made with the immutable attribute (``chattr +i``), which stops root too, and the
permission bits are shown to leave root's workspace writable, as they really do.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio_desk.core.errors import ReadOnlyWorkspaceError
from studio_desk.store import changes, presence, records
from studio_desk.store.engine import Workspace, open_workspace
from tests.reliability import workers
from tests.reliability.conftest import Processes

AS_ROOT = getattr(os, "geteuid", lambda: -1)() == 0


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A workspace with one client, in a folder of its own."""
    folder = tmp_path / "shared drive"
    folder.mkdir()
    path = folder / "Studio.studiodesk"
    with open_workspace(path, create=True, who="Ana") as workspace, workspace.write() as s:
        records.add_record(s, "client", {"name": "Acme Foods"})
    return path


@contextlib.contextmanager
def immutable(place: Path) -> Iterator[None]:
    """``chattr +i`` for the duration (root only; skips where the file system or the
    container does not allow it)."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    made = subprocess.run(["chattr", "+i", str(place)], capture_output=True, text=True)
    if made.returncode:
        pytest.skip(f"the immutable attribute is not available here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(place)], check=True)


@contextlib.contextmanager
def permissions(place: Path, mode: int) -> Iterator[None]:
    before = stat.S_IMODE(place.stat().st_mode)
    place.chmod(mode)
    try:
        yield
    finally:
        place.chmod(before)


@contextlib.contextmanager
def unwritable(place: Path) -> Iterator[None]:
    """``place`` made unwritable for this user, whoever that is."""
    if AS_ROOT:
        with immutable(place):
            yield
    else:
        with permissions(place, 0o555 if place.is_dir() else 0o444):
            yield


def snapshot(path: Path) -> tuple[bytes, int, list[str]]:
    return path.read_bytes(), path.stat().st_mtime_ns, sorted(os.listdir(path.parent))


def assert_read_only_and_untouched(workspace: Workspace, *reason_words: str) -> None:
    """The workspace says it is read-only and why, refuses saves with that reason,
    still reads, and the file and its folder stay exactly as they were."""
    path = workspace.path
    before = snapshot(path)
    assert workspace.read_only
    reason = workspace.read_only_reason
    assert str(path) in reason
    for words in reason_words:
        assert words in reason
    assert "\n" not in reason and reason.endswith(".")
    assert not re.search(r"[.!?]\s+\S", reason.replace(str(path), "file"))

    typed = {"name": "Borealis Bank"}
    with pytest.raises(ReadOnlyWorkspaceError) as caught, workspace.write() as s:
        records.add_record(s, "client", typed)
    assert str(caught.value) == reason
    with workspace.read() as s:
        assert records.names(s, "client") == ["Acme Foods"]
    # Nobody can be told we are here, but we can see who is.
    token = presence.join(workspace, "Ana Ruiz", "Ana's laptop")
    assert token == presence.NOBODY
    presence.heartbeat(workspace, token)
    assert presence.others(workspace, token) == []
    presence.leave(workspace, token)
    assert presence.clear_stale(workspace, 0) == 0
    with changes.ChangeWatcher(workspace) as watcher:
        assert not watcher.poll()
    assert changes.latest_audit_id(workspace) > 0
    assert snapshot(path) == before
    assert not path.with_name(path.name + "-journal").exists()


def test_opened_read_only_on_request(shared: Path) -> None:
    with open_workspace(shared, who="Ana", read_only=True) as workspace:
        assert_read_only_and_untouched(workspace, "opened read-only")


def test_a_file_this_user_cannot_write_opens_read_only(shared: Path) -> None:
    with unwritable(shared), open_workspace(shared, who="Ana") as workspace:
        assert_read_only_and_untouched(workspace, "is read-only", "ask for write access")


def test_a_folder_this_user_cannot_write_in_opens_read_only(shared: Path) -> None:
    """Saving writes a journal beside the file, so the folder must be writable too."""
    with unwritable(shared.parent), open_workspace(shared, who="Ana") as workspace:
        assert_read_only_and_untouched(workspace, "The folder holding", "journal")


@pytest.mark.skipif(not AS_ROOT, reason="only root writes past the permission bits")
def test_as_root_permission_bits_do_not_make_a_workspace_read_only(shared: Path) -> None:
    """Root can write a file marked read-only, so the workspace opens for saving: a
    read-only mode here would refuse saves that work."""
    with permissions(shared, 0o444), permissions(shared.parent, 0o555), \
            open_workspace(shared, who="Ana") as workspace:
        assert not workspace.read_only and workspace.read_only_reason == ""
        with workspace.write() as s:
            records.add_record(s, "client", {"name": "Borealis Bank"})
        with workspace.read() as s:
            assert records.names(s, "client") == ["Acme Foods", "Borealis Bank"]


def test_an_older_read_only_workspace_is_refused_and_left_alone(shared: Path) -> None:
    """An older schema needs an upgrade, which a read-only file cannot take."""
    import sqlite3

    connection = sqlite3.connect(shared)
    connection.execute("PRAGMA user_version = 2")
    connection.close()
    with unwritable(shared):
        before = snapshot(shared)
        with pytest.raises(ReadOnlyWorkspaceError, match=r"older Studio Desk \(schema 2\)"):
            open_workspace(shared)
        assert snapshot(shared) == before


def test_a_read_only_workspace_left_half_saved_is_refused_untouched(
        shared: Path, processes: Processes) -> None:
    """A crash left a journal to roll back, which needs write access: rather than show
    half a save, opening says so, and neither file changes."""
    receiving, sending = processes.context.Pipe(duplex=False)
    saver = processes.start(workers.spill_big_save_and_wait, shared, 300, sending)
    assert receiving.poll(30) and receiving.recv() == "spilled"
    saver.kill()
    saver.join(5)
    journal = shared.with_name(shared.name + "-journal")
    before = shared.read_bytes(), journal.read_bytes()

    with pytest.raises(ReadOnlyWorkspaceError) as caught:
        open_workspace(shared, read_only=True)
    assert "left half-saved by a crash" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert (shared.read_bytes(), journal.read_bytes()) == before

    with open_workspace(shared) as workspace, workspace.read() as s:  # once writable
        assert records.names(s, "client") == ["Acme Foods"]
    assert not journal.exists()
