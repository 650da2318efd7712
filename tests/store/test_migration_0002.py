"""A schema-1 workspace opens in this version: migrated to schema 2, nothing lost."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from studio_desk.core import catalog
from studio_desk.store import migrate, plans, records
from studio_desk.store.engine import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    Workspace,
    make_engine,
    open_workspace,
)


def make_schema_1(path: Path, *, own_responsibility: str | None = None) -> None:
    """A workspace file as the previous version left it, with some work in it."""
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        old = Workspace(path, engine, "Earlier self")
        migrate.upgrade(old, "0001")
        with old.write() as s:
            records.add_record(s, "person", {"name": "Ana Ruiz", "client_facing": 5})
            records.add_record(s, "client", {"name": "Acme Foods", "notes": "Ünïcode ✓"})
            records.add_record(s, "project", {"client": "Acme Foods", "name": "Web shop",
                                              "manager": "Ana Ruiz", "start": "2026-01-05"})
            records.add_record(s, "relationship", {"person": "Ana Ruiz",
                                                   "client": "Acme Foods", "strength": 3})
        if own_responsibility:
            with engine.begin() as connection:
                connection.exec_driver_sql(
                    "INSERT INTO responsibility (name, name_key, category, position, "
                    "version) VALUES (?, ?, 'client', 0, 1)",
                    (own_responsibility, own_responsibility.casefold()))
    finally:
        engine.dispose()


def user_version(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])


def test_schema_1_workspace_is_migrated_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.studiodesk"
    make_schema_1(path)
    assert user_version(path) == 1
    assert SCHEMA_VERSION >= 2

    workspace = open_workspace(path, who="Tester")
    try:
        assert user_version(path) == SCHEMA_VERSION
        with workspace.read() as s:
            assert records.count_rows(s) == {"person": 1, "client": 1, "project": 1,
                                              "relationship": 1}
            project = records.list_rows(s, "project")[0]
            client = records.list_rows(s, "client")[0]
            assert (project.manager, project.start) == ("Ana Ruiz", dt.date(2026, 1, 5))
            assert client.notes == "Ünïcode ✓"
            # The new tables are there with their starting data.
            assert [t.template.key for t in plans.list_templates(s)] == [
                t.key for t in catalog.BUILTIN_TEMPLATES]
            assert [r.name for r in plans.list_responsibilities(s)] == [
                i.name for i in catalog.DEFAULT_RESPONSIBILITIES]
        # And they work: a plan can be made and proposed on the migrated data.
        with workspace.write() as s:
            plan = plans.create_plan(s, "First split", effective_date=dt.date(2026, 3, 2))
            rows = plans.propose_plan(s, plan.id).items
        assert {(r.item_name, r.person) for r in rows} == {("Acme Foods", "Ana Ruiz"),
                                                           ("Web shop", "Ana Ruiz")}
    finally:
        workspace.close()
    # Opening again does not migrate (or seed) twice.
    again = open_workspace(path)
    try:
        with again.read() as s:
            assert len(plans.list_templates(s)) == len(catalog.BUILTIN_TEMPLATES)
            assert len(plans.list_responsibilities(s)) == len(
                catalog.DEFAULT_RESPONSIBILITIES)
    finally:
        again.close()


def test_a_catalog_the_studio_already_had_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "own.studiodesk"
    make_schema_1(path, own_responsibility="Chase invoices")
    workspace = open_workspace(path)
    try:
        with workspace.read() as s:
            assert [r.name for r in plans.list_responsibilities(s)] == ["Chase invoices"]
    finally:
        workspace.close()
