"""Creating and opening workspace files, and how every connection talks to SQLite."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import Pool

from studio_desk.core.errors import WorkspaceBusyError, WorkspaceError
from studio_desk.store import engine as engine_module
from studio_desk.store import locations, migrate, records
from studio_desk.store.engine import (
    APPLICATION_ID,
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    Workspace,
    create_workspace,
    open_workspace,
)


def header_pragmas(path: Path) -> tuple[int, int]:
    """application_id and user_version, read without any chance of writing."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    connection.close()
    return app_id, version


# --------------------------------------------------------------------------- create, reopen

def test_data_is_there_after_closing_and_reopening(workspace_path: Path) -> None:
    with open_workspace(workspace_path, create=True, who="Ana") as workspace, \
            workspace.write() as s:
        records.add_record(s, "client", {"name": "Acme Foods", "industry": "Food"})
    with open_workspace(workspace_path, who="Ben") as again, again.read() as s:
        [client] = records.list_rows(s, "client")
    assert (client.name, client.industry) == ("Acme Foods", "Food")


def test_the_file_says_it_is_a_workspace_and_which_schema(workspace: Workspace) -> None:
    assert APPLICATION_ID == 0x53444B31
    assert header_pragmas(workspace.path) == (APPLICATION_ID, SCHEMA_VERSION)
    assert workspace.path.read_bytes()[68:72] == b"SDK1"


def test_creating_leaves_nothing_but_the_workspace(tmp_path: Path) -> None:
    path = tmp_path / "new.studiodesk"
    assert create_workspace(path) == path
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.studiodesk"]


def test_creating_makes_missing_folders(tmp_path: Path) -> None:
    path = tmp_path / "clients" / "2026" / "studio.studiodesk"
    open_workspace(path, create=True).close()
    assert header_pragmas(path) == (APPLICATION_ID, SCHEMA_VERSION)


def test_creating_refuses_an_existing_file_and_leaves_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "taken.studiodesk"
    path.write_bytes(b"someone's notes")
    with pytest.raises(WorkspaceError, match="already exists; choose another name"):
        create_workspace(path)
    assert path.read_bytes() == b"someone's notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.studiodesk"]


def test_creating_refuses_an_existing_workspace(workspace: Workspace) -> None:
    before = workspace.path.read_bytes()
    with pytest.raises(WorkspaceError, match=re.escape(str(workspace.path))):
        create_workspace(workspace.path)
    assert workspace.path.read_bytes() == before


def test_a_failed_creation_leaves_no_half_made_file(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_upgrade(_workspace: Workspace, revision: str = "head") -> None:
        raise OSError("disk went away")

    monkeypatch.setattr(migrate, "upgrade", failing_upgrade)
    with pytest.raises(OSError, match="disk went away"):
        create_workspace(tmp_path / "new.studiodesk")
    assert list(tmp_path.iterdir()) == []


def test_opening_a_missing_file_without_create_says_so(tmp_path: Path) -> None:
    path = tmp_path / "gone.studiodesk"
    with pytest.raises(WorkspaceError, match=f"{re.escape(str(path))} does not exist"):
        open_workspace(path)
    assert not path.exists()


def test_the_default_workspace_lives_in_the_data_folder_named_by_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_DESK_DATA_DIR", str(tmp_path / "portable"))
    default = locations.default_workspace_path()
    assert default.parent == tmp_path / "portable"
    assert default.suffix == locations.WORKSPACE_SUFFIX == ".studiodesk"
    assert locations.backups_dir() == tmp_path / "portable" / "backups"
    open_workspace(default, create=True).close()
    assert default.is_file()


# --------------------------------------------------------------------------- connections

PRAGMAS = {"foreign_keys": 1, "journal_mode": "delete", "synchronous": 2,
           "busy_timeout": BUSY_TIMEOUT_MS}


def pragmas_of(connection: object) -> dict[str, object]:
    return {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # type: ignore
            for name in PRAGMAS}


def test_every_connection_is_set_up_for_a_shared_drive(workspace: Workspace) -> None:
    assert BUSY_TIMEOUT_MS >= 1000
    # Two connections at once: each must be set up, not just the first one.
    with workspace.engine.connect() as first, workspace.engine.connect() as second:
        assert pragmas_of(first) == PRAGMAS
        assert pragmas_of(second) == PRAGMAS
    with workspace.read() as s:
        assert pragmas_of(s.connection()) == PRAGMAS
    with workspace.write() as s:
        assert pragmas_of(s.connection()) == PRAGMAS
    assert not workspace.path.with_name(workspace.path.name + "-wal").exists()


def test_foreign_keys_are_enforced(workspace: Workspace) -> None:
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), workspace.write() as s:
        s.execute(text("INSERT INTO project (client_id, name, name_key, status, "
                       "technical_complexity, communication_load, version) "
                       "VALUES (999, 'Orphan', 'orphan', 'active', 3, 3, 1)"))


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every statement SQLite runs on connections opened during the test."""
    seen: list[str] = []

    def trace(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.set_trace_callback(seen.append)

    event.listen(Pool, "connect", trace)
    try:
        yield seen
    finally:
        event.remove(Pool, "connect", trace)


_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER"
                     r"|PRAGMA\s+(application_id|user_version)\s*=)", re.IGNORECASE)
_ENDS = re.compile(r"\s*(COMMIT|ROLLBACK|END)\b(?!\s+TO)", re.IGNORECASE)


def transactions(log: list[str]) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """The log cut into (BEGIN statement, statements) and the writes made outside them."""
    found: list[tuple[str, list[str]]] = []
    outside: list[str] = []
    current: list[str] | None = None
    for statement in log:
        if statement.upper().startswith("BEGIN"):
            assert current is None, f"nested {statement} inside a transaction"
            current = []
            found.append((statement, current))
        elif _ENDS.match(statement):
            current = None
        elif current is not None:
            current.append(statement)
        elif _WRITES.match(statement):
            outside.append(statement)
    return found, outside


def test_writes_begin_immediate_and_reads_begin_deferred(
        tmp_path: Path, statements: list[str]) -> None:
    path = tmp_path / "traced.studiodesk"
    with open_workspace(path, create=True, who="Ana") as workspace:
        with workspace.write() as s:
            records.add_record(s, "client", {"name": "Acme"})
            person = records.add_record(s, "person", {"name": "Ana"})
            records.add_record(s, "project", {"client": "Acme", "name": "Site",
                                              "manager": "Ana"})
        with workspace.write() as s:
            person = records.update_record(s, "person", person.id, person.version,
                                           {"title": "Producer"})
        with workspace.write() as s:
            removal = records.delete_record(s, "person", person.id, person.version)
        with workspace.write() as s:
            records.restore_record(s, removal)
        with workspace.read() as s:
            records.list_rows(s, "project")
            records.get_row(s, "person", person.id)

    found, outside = transactions(statements)
    assert outside == [], "a write ran outside any transaction"
    writing = [(begin, body) for begin, body in found
               if any(_WRITES.match(st) for st in body)]
    reading = [(begin, body) for begin, body in found if (begin, body) not in writing]
    # create (header, then schema), 4 user writes
    assert len(writing) >= 6
    assert {begin for begin, _ in writing} == {"BEGIN IMMEDIATE"}
    assert reading and {begin for begin, _ in reading} == {"BEGIN DEFERRED"}
    # The read session above ran both of its queries in one deferred transaction.
    assert any(sum(st.lstrip().upper().startswith("SELECT") for st in body) >= 2
               for _begin, body in reading)


def test_a_write_waits_for_the_lock_up_front_while_reading_goes_on(
        workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a colleague holding the write lock, saving says "busy" before changing
    anything, and reading is not held up."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)
    with workspace.write() as s:
        records.add_record(s, "client", {"name": "Acme"})
    mine = open_workspace(workspace.path, who="Ana")
    colleague = sqlite3.connect(workspace.path, isolation_level=None)
    try:
        colleague.execute("BEGIN IMMEDIATE")
        colleague.execute("UPDATE client SET industry = 'Food'")
        counted = False
        with pytest.raises(WorkspaceBusyError, match="busy: someone else is saving"), \
                mine.write() as s:
            # Even a first statement that only reads takes the write lock (BEGIN
            # IMMEDIATE): a deferred transaction would read here and fail later, at once.
            records.count_rows(s)
            counted = True
        assert not counted, "the write transaction began without the write lock"
        with mine.read() as s:
            assert [r.name for r in records.list_rows(s, "client")] == ["Acme"]
        colleague.execute("COMMIT")
        with mine.write() as s:
            records.add_record(s, "client", {"name": "Borealis"})
        with mine.read() as s:
            assert records.count_rows(s)["client"] == 2
    finally:
        colleague.close()
        mine.close()
