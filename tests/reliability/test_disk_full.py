"""The disk fills up in the middle of a save (scenario 15).

SQLite's ``max_page_count`` caps how far this connection may grow the file, and SQLite
then fails exactly as on a full disk ("database or disk is full"). The save is rolled
back, the user reads one sentence, the file passes its checks with everything saved
before, and a save that fits still works.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from studio_desk.core.errors import DiskFullError
from studio_desk.store import records
from studio_desk.store.engine import open_workspace
from studio_desk.store.health import check_workspace

ROOM_PAGES = 4  # what is left on the "disk" beyond the file as it is


def test_a_save_that_fills_the_disk_is_undone_and_says_so(workspace_path: Path) -> None:
    with open_workspace(workspace_path, create=True, who="Ana") as workspace:
        with workspace.write() as s:
            records.add_record(s, "client", {"name": "Acme Foods", "notes": "Saved before"})
    before = workspace_path.read_bytes()
    pages = int.from_bytes(before[28:32], "big")  # the header's page count

    with open_workspace(workspace_path, who="Ana") as workspace:
        workspace.engine.dispose()  # every connection from here on has the cap

        @event.listens_for(workspace.engine, "connect")
        def _little_room(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages + ROOM_PAGES}")

        typed = {"name": "Borealis Bank", "notes": "A very long brief. " * 5000}
        with pytest.raises(DiskFullError) as caught, workspace.write() as s:
            records.add_record(s, "client", typed)

        message = str(caught.value)
        assert str(workspace_path) in message and "disk full" in message
        assert "the change was undone and the file is intact" in message
        assert "\n" not in message
        assert not re.search(r"[.!?]\s+\S", message.replace(str(workspace_path), "file"))
        assert typed["name"] == "Borealis Bank"  # the input is still there to keep
        assert workspace_path.read_bytes() == before, "the failed save changed the file"
        with workspace.read() as s:
            assert [(c.name, c.notes) for c in records.list_rows(s, "client")] == [  # type: ignore[attr-defined]
                ("Acme Foods", "Saved before")]
        # A save that fits in the room left goes through on the same connections.
        with workspace.write() as s:
            records.add_record(s, "client", {"name": "Cobalt Museum"})

    report = check_workspace(workspace_path)
    assert report.ok, report.problems
    assert report.counts["client"] == 2
    assert not workspace_path.with_name(workspace_path.name + "-journal").exists()
