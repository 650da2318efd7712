"""Opening a workspace an older Studio Desk left (scenarios 5 and 6).

The file is backed up first — the online backup, checked — and only then upgraded, in
one transaction. When an upgrade step fails, the file keeps its old schema and data, and
the message names the backup.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from studio_desk.core.errors import WorkspaceError
from studio_desk.store import backup, migrate, records
from studio_desk.store.engine import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    Workspace,
    make_engine,
    open_workspace,
)
from studio_desk.store.health import check_workspace


def file_state(path: Path) -> tuple[int, list[str], set[str]]:
    """user_version, alembic revision and tables, read without any chance of writing."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        revisions = [r for (r,) in connection.execute("SELECT version_num FROM "
                                                      "alembic_version")]
    finally:
        connection.close()
    return version, revisions, tables


def older_workspace(path: Path, revision: str) -> None:
    """A workspace as the Studio Desk of ``revision`` left it, with some work in it."""
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        old = Workspace(path, engine, "Earlier self")
        migrate.upgrade(old, revision)
        with old.write() as s:
            records.add_record(s, "person", {"name": "Ana Ruiz"})
            records.add_record(s, "client", {"name": "Acme Foods", "notes": "Ünïcode ✓"})
            records.add_record(s, "project", {"client": "Acme Foods", "name": "Web shop",
                                              "manager": "Ana Ruiz"})
    finally:
        engine.dispose()


def as_copied(data: bytes) -> bytes:
    """What a faithful copy shares with the file: every page after the 100-byte header,
    and from the header the page size, schema number and application id. (SQLite's
    backup sets the header's change counters and schema cookie afresh in the copy.)"""
    return data[16:18] + data[60:64] + data[68:72] + data[100:]


def work_in(path: Path) -> list[tuple[str, str | None]]:
    """The clients and their notes, read without any chance of writing."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT name, notes FROM client ORDER BY name").fetchall()
    finally:
        connection.close()


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every statement SQLite runs on connections opened during the test (the same log as
    tests/store/test_engine.py uses for scenario 12)."""
    seen: list[str] = []

    def trace(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.set_trace_callback(seen.append)

    event.listen(Pool, "connect", trace)
    try:
        yield seen
    finally:
        event.remove(Pool, "connect", trace)


@pytest.mark.parametrize(("revision", "schema"), [("0001", 1), ("0002", 2)])
def test_an_older_workspace_is_backed_up_checked_and_upgraded_in_one_transaction(
        tmp_path: Path, statements: list[str], revision: str, schema: int) -> None:
    path = tmp_path / "Studio.studiodesk"
    older_workspace(path, revision)
    before = path.read_bytes()
    assert file_state(path)[0] == schema
    statements.clear()

    with open_workspace(path, who="Ana") as workspace, workspace.read() as s:
        assert records.count_rows(s)["project"] == 1

    [made] = backup.list_backups(path)
    assert made.reason == f"before-upgrade-to-schema-{SCHEMA_VERSION}"
    backup.verify_backup(made.path)
    assert as_copied(made.path.read_bytes()) == as_copied(before), \
        "the backup is not the file as it was"
    assert file_state(made.path)[0] == schema
    assert file_state(path)[0] == SCHEMA_VERSION
    assert "presence" in file_state(path)[2]
    assert work_in(path) == [("Acme Foods", "Ünïcode ✓")]
    # One transaction: every schema change between one BEGIN IMMEDIATE and its COMMIT.
    begins = [i for i, st in enumerate(statements) if st.startswith("BEGIN")]
    changes = [i for i, st in enumerate(statements)
               if re.match(r"\s*(CREATE|ALTER|DROP)\b|PRAGMA user_version\s*=", st, re.I)]
    assert changes
    opening = max(i for i in begins if i < changes[0])
    assert statements[opening] == "BEGIN IMMEDIATE"
    closing = next(i for i, st in enumerate(statements)
                   if i > opening and re.match(r"\s*(COMMIT|ROLLBACK)\b", st, re.I))
    assert all(opening < i < closing for i in changes)
    assert statements[closing].upper().startswith("COMMIT")


FAILING_STEP = '''
def upgrade() -> None:
    op.create_table(
        "presence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_presence")),
    )
    op.execute("PRAGMA user_version = 3")
    op.execute("UPDATE client SET notes = 'overwritten by a broken step'")
    op.execute("INSERT INTO no_such_table VALUES (1)")  # the step fails here
'''


@pytest.fixture
def failing_upgrade_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The migrations, with the step to schema 3 broken after it has changed things."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder,
                    ignore=shutil.ignore_patterns("__pycache__"))
    step = folder / "versions" / "0003_presence.py"
    source = step.read_text(encoding="utf-8")
    start = source.index("def upgrade() -> None:")
    end = source.index("def downgrade() -> None:")
    step.write_text(source[:start] + FAILING_STEP.lstrip() + "\n\n" + source[end:],
                    encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)


def test_a_failing_upgrade_step_leaves_the_old_schema_and_names_the_backup(
        tmp_path: Path, failing_upgrade_step: None) -> None:
    path = tmp_path / "Studio.studiodesk"
    older_workspace(path, "0002")
    before = path.read_bytes()

    with pytest.raises(WorkspaceError) as caught:
        open_workspace(path, who="Ana")

    [made] = backup.list_backups(path)
    message = str(caught.value)
    assert str(made.path) in message
    assert "failed, so it was left as it was" in message
    assert "\n" not in message
    assert path.read_bytes() == before, "the failed upgrade changed the file"
    assert not path.with_name(path.name + "-journal").exists()
    version, revisions, tables = file_state(path)
    assert (version, revisions, "presence" in tables) == (2, ["0002"], False)
    assert work_in(path) == [("Acme Foods", "Ünïcode ✓")]
    backup.verify_backup(made.path)
    assert as_copied(made.path.read_bytes()) == as_copied(before)


def test_the_upgrade_works_once_the_step_is_fixed(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """After a failed attempt (the broken step), the released one upgrades the file."""
    path = tmp_path / "Studio.studiodesk"
    older_workspace(path, "0002")
    real = migrate.MIGRATIONS_DIR
    broken = tmp_path / "broken"
    shutil.copytree(real, broken, ignore=shutil.ignore_patterns("__pycache__"))
    (broken / "versions" / "0003_presence.py").write_text(
        (real / "versions" / "0003_presence.py").read_text(encoding="utf-8").replace(
            '    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")\n',
            '    op.execute("SELECT * FROM no_such_table")\n'), encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", broken)
    with pytest.raises(WorkspaceError, match="failed, so it was left as it was"):
        open_workspace(path)
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", real)

    with open_workspace(path) as workspace, workspace.read() as s:
        assert records.names(s, "client") == ["Acme Foods"]
    assert file_state(path)[:2] == (SCHEMA_VERSION, ["0004"])
    assert check_workspace(path).ok
    assert [b.reason for b in backup.list_backups(path)] == [
        f"before-upgrade-to-schema-{SCHEMA_VERSION}"] * 2


def test_the_revisions_are_the_ones_this_test_breaks() -> None:
    """The tests above break the step to schema 3, on the way from 2 to the current
    schema; they must follow if the steps move."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert scripts.get_revision("0003").down_revision == "0002"
    assert scripts.get_revision("0004").down_revision == "0003"
    assert scripts.get_current_head() == "0004"
    assert SCHEMA_VERSION == 4
