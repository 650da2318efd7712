"""A save held up by a colleague's *read* says so (issue 12, item 9): SQLite writes the
file only when nobody is in the middle of reading it, so a long read (a report, a check,
a script) can keep a save from finishing; calling that "someone else is saving" sends the
user looking for a save that is not there. A real process holds the read."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from studio_desk.core.errors import WorkspaceBusyError
from studio_desk.store import engine as engine_module
from studio_desk.store import records
from studio_desk.store.engine import Workspace

_HOLD = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "read":
    connection.execute("BEGIN")
    connection.execute("SELECT count(*) FROM client").fetchone()
else:
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE client SET notes = 'theirs'")
print("holding", flush=True)
time.sleep(60)
"""


def holding(path: Path, how: str) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen([sys.executable, "-c", _HOLD, str(path), how],
                               stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "holding"
        yield process
    finally:
        process.kill()
        process.wait(5)
        if process.stdout:
            process.stdout.close()


@pytest.fixture
def reader(workspace: Workspace) -> Iterator[subprocess.Popen[str]]:
    """Another process in the middle of reading the workspace (a shared lock)."""
    with workspace.write() as s:
        records.add_record(s, "client", {"name": "Acme Foods"})
    yield from holding(workspace.path, "read")


def test_a_save_held_up_by_a_reader_says_someone_is_reading(
        workspace: Workspace, reader: subprocess.Popen[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 600)
    typed = {"name": "Borealis Bank"}
    with pytest.raises(WorkspaceBusyError) as caught, workspace.write() as s:
        records.add_record(s, "client", typed)
    message = str(caught.value)
    assert message.startswith(f"{workspace.path.name} is busy: someone else is reading it")
    assert "saving" not in message
    assert "nothing you typed is lost" in message and "\n" not in message
    assert not re.search(r"[.!?]\s+\S", message.replace(workspace.path.name, "file"))
    assert typed == {"name": "Borealis Bank"}
    with workspace.read() as s:
        assert records.names(s, "client") == ["Acme Foods"]


def test_a_save_that_waited_for_a_colleagues_save_still_says_saving(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 600)
    with workspace.write() as s:
        records.add_record(s, "client", {"name": "Acme Foods"})
    for _process in holding(workspace.path, "write"):
        with pytest.raises(WorkspaceBusyError, match="busy: someone else is saving"), \
                workspace.write() as s:
            records.add_record(s, "client", {"name": "Borealis Bank"})


def test_the_general_sentence_for_a_lock_names_both(tmp_path: Path) -> None:
    error = engine_module._message_for(tmp_path / "w.studiodesk",
                                       OSError("database is locked"))
    assert isinstance(error, WorkspaceBusyError)
    assert "someone else is reading or saving it" in str(error)
