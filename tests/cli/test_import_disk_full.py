"""The disk fills up in the middle of a scripted import (issue 12, item 1).

A real ``studio-desk import`` process runs with a file-size limit (``RLIMIT_FSIZE``, and
``SIGXFSZ`` ignored): a write past it fails with ``EFBIG`` exactly where a full disk
fails with ``ENOSPC``, inside SQLite's own writes of the file and its journal. SQLite
then undoes the import in memory but leaves its journal "hot" beside a file that has
grown; the import must finish undoing it before saying the file is intact.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from studio_desk.store import records
from studio_desk.store.engine import open_workspace
from studio_desk.store.health import check_workspace
from tests.helpers.cli import ROOT, ok, studio_desk

pytestmark = pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"),
                                reason="needs a file-size limit (POSIX)")


def files_may_grow_by(room: int, size: int) -> Callable[[], None]:
    """In the child, before it starts: no file may grow past ``size + room`` bytes."""
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + room, size + room))
    return limit


def import_with_little_room(folder: Path, csv_name: str, room: int
                            ) -> subprocess.CompletedProcess[str]:
    workspace = folder / "w.studiodesk"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "studio_desk", "import", "clients", csv_name, "--db",
         workspace.name], cwd=folder, env=env, capture_output=True, text=True,
        timeout=120, preexec_fn=files_may_grow_by(room, workspace.stat().st_size))


@pytest.fixture
def studio(tmp_path: Path) -> Path:
    ok(studio_desk("new", "w.studiodesk", cwd=tmp_path))
    with open_workspace(tmp_path / "w.studiodesk", who="Ana") as workspace, \
            workspace.write() as s:
        records.add_record(s, "client", {"name": "Acme Foods", "notes": "Saved before"})
    lines = ["name,industry,notes"] + [f"Client {n},Food,{'long brief ' * 40}"
                                       for n in range(6000)]
    (tmp_path / "big.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "w.studiodesk"


@pytest.mark.parametrize("room", [8_192, 65_536, 400_000])
def test_an_import_that_fills_the_disk_leaves_the_file_exactly_as_it_was(
        studio: Path, room: int) -> None:
    before = studio.read_bytes()
    journal = studio.with_name(studio.name + "-journal")

    result = import_with_little_room(studio.parent, "big.csv", room)

    assert result.returncode == 1, result.stdout + result.stderr
    [line] = result.stderr.splitlines()
    assert "disk full" in line and "the change was undone and the file is intact" in line
    # What the message says is true of the file itself, without anyone opening it.
    assert not journal.exists(), "a hot journal was left beside the file"
    assert studio.read_bytes() == before
    reader = sqlite3.connect(f"file:{studio}?mode=ro", uri=True)
    try:
        assert reader.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        reader.close()
    report = check_workspace(studio)
    assert report.ok and report.counts["client"] == 1
    # With room again, the same import goes through.
    ok(studio_desk("import", "clients", "big.csv", "--db", studio.name, cwd=studio.parent))
    assert check_workspace(studio).counts["client"] == 6001
