"""The schema the migrations build is the one the models describe, and an older
workspace is brought up to date when it is opened."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from studio_desk.store import migrate, records
from studio_desk.store.engine import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    Workspace,
    make_engine,
    open_workspace,
)
from studio_desk.store.models import Base

SCRIPTS = ScriptDirectory.from_config(migrate.alembic_config())
HEAD = SCRIPTS.get_current_head()


def schema_differences(path: Path) -> list[object]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def file_state(path: Path) -> tuple[int, int, list[str], set[str]]:
    """application_id, user_version, alembic revision(s) and tables, read-only."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        app_id = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        tables = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        revisions = ([r for (r,) in connection.execute("SELECT version_num FROM "
                                                       "alembic_version")]
                     if "alembic_version" in tables else [])
    connection.close()
    return app_id, version, revisions, tables


def downgrade(path: Path, revision: str, user_version: int) -> None:
    """Turn a current workspace into one an older Studio Desk left behind."""
    engine = make_engine(path)
    config = migrate.alembic_config()
    try:
        with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
            connection.exec_driver_sql(f"PRAGMA user_version = {user_version}")
    finally:
        engine.dispose()


def schema_of(revision: str | None) -> int:
    """The schema number a revision writes into user_version (0 before the first)."""
    if revision is None:
        return 0
    number: int = SCRIPTS.get_revision(revision).module.SCHEMA_VERSION
    return number


def test_each_revision_names_its_schema_number_and_the_head_is_current() -> None:
    revisions = list(SCRIPTS.walk_revisions())  # head first
    assert len(SCRIPTS.get_heads()) == 1, "migrations must not branch"
    numbers = [schema_of(r.revision) for r in revisions]
    assert numbers[0] == SCHEMA_VERSION
    assert numbers == sorted(numbers, reverse=True) and len(set(numbers)) == len(numbers)


def test_a_new_workspace_has_exactly_the_models_schema(workspace: Workspace) -> None:
    assert schema_differences(workspace.path) == []
    app_id, version, revisions, tables = file_state(workspace.path)
    assert (app_id, version, revisions) == (APPLICATION_ID, SCHEMA_VERSION, [HEAD])
    assert set(Base.metadata.tables) <= tables


def test_opening_a_workspace_from_before_the_first_schema_builds_it(
        workspace: Workspace) -> None:
    path = workspace.path
    workspace.close()
    downgrade(path, "base", 0)
    app_id, version, revisions, tables = file_state(path)
    assert (app_id, version, revisions) == (APPLICATION_ID, 0, [])
    assert tables.isdisjoint(Base.metadata.tables)

    with open_workspace(path, who="Ana") as reopened:
        with reopened.write() as s:
            records.add_record(s, "client", {"name": "Acme"})
    assert file_state(path)[:3] == (APPLICATION_ID, SCHEMA_VERSION, [HEAD])
    assert schema_differences(path) == []


def test_opening_a_workspace_one_schema_behind_upgrades_it_keeping_its_data(
        small_studio: Workspace) -> None:
    previous = SCRIPTS.get_revision(HEAD).down_revision
    if previous is None:
        pytest.skip("only one schema so far: nothing sits between it and the start")
    assert isinstance(previous, str)
    path = small_studio.path
    with small_studio.read() as s:
        before = {kind: records.list_rows(s, kind) for kind in
                  ("person", "client", "project", "relationship")}
    small_studio.close()
    downgrade(path, previous, schema_of(previous))
    assert file_state(path)[1:3] == (schema_of(previous), [previous])

    with open_workspace(path) as reopened, reopened.read() as s:
        after = {kind: records.list_rows(s, kind) for kind in before}
    assert after == before
    assert file_state(path)[1:3] == (SCHEMA_VERSION, [HEAD])
    assert schema_differences(path) == []
