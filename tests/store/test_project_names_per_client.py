"""Project names are unique per client, not across the studio (issue 11, item 5): two
clients may each have a "Website rebuild"; only a second one of the *same* client is
refused, naming both. The form API, CSV import and export, assignments files, and the
migration of a workspace the previous version made (schema 3)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from studio_desk.core.csvio import CsvProblems, csv_text, parse_csv_text, text_columns
from studio_desk.core.errors import CsvError, ValidationError, WorkspaceError
from studio_desk.core.rows import ProjectRow
from studio_desk.store import migrate, plans, records
from studio_desk.store.engine import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    Workspace,
    make_engine,
    open_workspace,
)
from studio_desk.store.models import Assignment, Client, Person, Project, Role
from studio_desk.store.transfer import export_rows, import_rows

REBUILD = "Website rebuild"


def add(ws: Workspace, kind: str, values: dict[str, object]) -> ProjectRow:
    with ws.write() as s:
        row = records.add_record(s, kind, values)
    assert isinstance(row, ProjectRow) or kind != "project"
    return row  # type: ignore[return-value]


def projects(ws: Workspace) -> list[tuple[str, str]]:
    with ws.read() as s:
        return [(r.client, r.name) for r in records.list_rows(s, "project")
                if isinstance(r, ProjectRow)]


def import_text(ws: Workspace, kind: str, content: str, file: str = "file.csv"
                ) -> tuple[int, int, int]:
    with ws.write() as s:
        summary = import_rows(s, kind, parse_csv_text(content, kind, file))
    return summary.added, summary.updated, summary.unchanged


@pytest.fixture
def two_rebuilds(small_studio: Workspace) -> Workspace:
    """The small studio, where Acme Foods and Borealis Bank each have a Website rebuild."""
    add(small_studio, "project", {"client": "Acme Foods", "name": REBUILD, "code": "ACM-09",
                                  "manager": "Ben Ode"})
    add(small_studio, "project", {"client": "Borealis Bank", "name": REBUILD,
                                  "code": "BOR-09"})
    return small_studio


# --------------------------------------------------------------------------- form API

def test_two_clients_may_each_have_a_project_of_the_same_name(
        two_rebuilds: Workspace) -> None:
    assert [p for p in projects(two_rebuilds) if p[1] == REBUILD] == [
        ("Acme Foods", REBUILD), ("Borealis Bank", REBUILD)]
    with two_rebuilds.read() as s:
        acme = records.find_id(s, "project", "website REBUILD", client="acme foods")
        borealis = records.find_id(s, "project", REBUILD, client="Borealis Bank")
        assert acme is not None and borealis is not None and acme != borealis
        assert records.get_row(s, "project", acme).values()["code"] == "ACM-09"
        assert records.find_id(s, "project", REBUILD, client="Cobalt Museum") is None
        # A name only one client uses still finds its project without the client.
        assert records.find_id(s, "project", "Acme web shop") is not None


def test_a_name_several_clients_use_needs_the_client_to_find_it(
        two_rebuilds: Workspace) -> None:
    with two_rebuilds.read() as s, pytest.raises(ValidationError) as caught:
        records.find_id(s, "project", "website rebuild")
    assert str(caught.value) == ("“website rebuild” is the name of a project of Acme Foods "
                                 "and Borealis Bank; say which client's project is meant.")


def test_the_same_client_twice_is_refused_naming_both(two_rebuilds: Workspace) -> None:
    with pytest.raises(ValidationError) as caught:
        add(two_rebuilds, "project", {"client": "Acme Foods", "name": "WEBSITE  rebuild"})
    assert caught.value.field == "name"
    assert str(caught.value) == (
        "Acme Foods already has a project named “Website rebuild”, which is the same name "
        "as “WEBSITE  rebuild” (names are compared ignoring case and accents' form).")
    with pytest.raises(ValidationError, match=r"^Borealis Bank already has a project named "
                                              r"“Website rebuild”; two projects of one "
                                              r"client need different names\.$"):
        add(two_rebuilds, "project", {"client": "Borealis Bank", "name": REBUILD})
    assert projects(two_rebuilds).count(("Acme Foods", REBUILD)) == 1


def test_renaming_or_moving_into_a_clash_is_refused(two_rebuilds: Workspace) -> None:
    with two_rebuilds.read() as s:
        shop = records.get_row(s, "project", records.find_id(s, "project", "Acme web shop"))
        report = records.get_row(s, "project",
                                 records.find_id(s, "project", "Borealis annual report"))
    with pytest.raises(ValidationError) as renamed, two_rebuilds.write() as s:
        records.update_record(s, "project", shop.id, shop.version, {"name": REBUILD})
    assert renamed.value.field == "name"
    assert "Acme Foods already has a project named “Website rebuild”" in str(renamed.value)
    # Moving Borealis's report to Cobalt is fine; moving Borealis's rebuild to Acme is not.
    with two_rebuilds.write() as s:
        moved = records.update_record(s, "project", report.id, report.version,
                                      {"client": "Cobalt Museum"})
        rebuild = records.find_id(s, "project", REBUILD, client="Borealis Bank")
        assert rebuild is not None
        row = records.get_row(s, "project", rebuild)
    assert moved.values()["client"] == "Cobalt Museum"
    with pytest.raises(ValidationError) as clash, two_rebuilds.write() as s:
        records.update_record(s, "project", row.id, row.version, {"client": "Acme Foods"})
    assert clash.value.field == "client"
    assert str(clash.value).startswith("Acme Foods already has a project named "
                                       "“Website rebuild”")
    # A project keeps its own name when other fields change (no clash with itself).
    with two_rebuilds.write() as s:
        records.update_record(s, "project", row.id, row.version, {"code": "BOR-10"})


def test_a_deleted_project_comes_back_beside_its_namesake(two_rebuilds: Workspace) -> None:
    with two_rebuilds.write() as s:
        rebuild = records.find_id(s, "project", REBUILD, client="Borealis Bank")
        assert rebuild is not None
        row = records.get_row(s, "project", rebuild)
        removal = records.delete_record(s, "project", row.id, row.version)
    with two_rebuilds.write() as s:
        assert records.restore_record(s, removal).values()["client"] == "Borealis Bank"
    assert projects(two_rebuilds).count(("Borealis Bank", REBUILD)) == 1


def test_the_project_list_orders_namesakes_by_client(two_rebuilds: Workspace) -> None:
    add(two_rebuilds, "project", {"client": "Cobalt Museum", "name": "website rebuild"})
    assert [p for p in projects(two_rebuilds) if p[1].casefold() == "website rebuild"] == [
        ("Acme Foods", REBUILD), ("Borealis Bank", REBUILD),
        ("Cobalt Museum", "website rebuild")]
    with two_rebuilds.read() as s:
        keys = records.project_ids(s)
        with pytest.raises(ValueError, match="project_ids"):
            records.ids_by_name(s, "project")
    assert {k for k in keys if k[1] == "website rebuild"} == {
        ("acme foods", "website rebuild"), ("borealis bank", "website rebuild"),
        ("cobalt museum", "website rebuild")}


# --------------------------------------------------------------------------- CSV import

def test_a_projects_file_adds_a_project_of_the_same_name_for_each_client(
        small_studio: Workspace) -> None:
    content = ("client,name,code\n"
               f"Acme Foods,{REBUILD},ACM-09\n"
               f"Borealis Bank,{REBUILD},BOR-09\n"
               f"cobalt museum,website REBUILD,COB-09\n")
    assert import_text(small_studio, "projects", content) == (3, 0, 0)
    assert sorted(p for p in projects(small_studio) if p[1].casefold() == "website rebuild") \
        == [("Acme Foods", REBUILD), ("Borealis Bank", REBUILD),
            ("Cobalt Museum", "website REBUILD")]
    # Again: each row finds its own client's project, so nothing changes ...
    assert import_text(small_studio, "projects", content) == (0, 0, 3)
    # ... and a changed cell changes that client's project only.
    assert import_text(small_studio, "projects",
                       "client,name,code\nBOREALIS BANK,website rebuild,BOR-10\n") \
        == (0, 1, 0)
    with small_studio.read() as s:
        codes = dict(s.execute(select(Client.name, Project.code)
                               .join(Project, Project.client_id == Client.id)
                               .where(Project.name_key == "website rebuild")).all())
        names = dict(s.execute(select(Client.name, Project.name)
                               .join(Project, Project.client_id == Client.id)
                               .where(Project.name_key == "website rebuild")).all())
    assert codes == {"Acme Foods": "ACM-09", "Borealis Bank": "BOR-10",
                     "Cobalt Museum": "COB-09"}
    assert names["Borealis Bank"] == REBUILD  # matched, not renamed


def test_a_projects_file_naming_one_clients_project_twice_is_refused_naming_both_rows(
        small_studio: Workspace) -> None:
    content = ("client,name\n"
               f"Acme Foods,{REBUILD}\n"
               f"Borealis Bank,{REBUILD}\n"
               "ACME foods,website  Rebuild\n")
    with pytest.raises(CsvProblems) as caught:
        parse_csv_text(content, "projects", "projects.csv")
    assert str(caught.value) == (
        "projects.csv, row 4, column name: ACME foods’s project “website  Rebuild” appears "
        "twice in the file, in rows 2 and 4.")


def test_a_row_for_a_project_another_client_has_adds_one_rather_than_moving_it(
        small_studio: Workspace) -> None:
    assert import_text(small_studio, "projects",
                       "client,name\nCobalt Museum,Acme web shop\n") == (1, 0, 0)
    assert sorted(p for p in projects(small_studio) if p[1] == "Acme web shop") == [
        ("Acme Foods", "Acme web shop"), ("Cobalt Museum", "Acme web shop")]


def test_export_then_import_into_a_new_workspace_gives_the_same_projects(
        two_rebuilds: Workspace, tmp_path: Path) -> None:
    files = {}
    with two_rebuilds.read() as s:
        for kind in ("people", "clients", "projects"):
            rows = export_rows(s, kind)
            columns = tuple(rows[0])
            files[kind] = csv_text(columns, rows, text_columns(kind))
        before = sorted((r.client, r.name, r.values()["code"], r.values()["manager"])
                        for r in records.list_rows(s, "project")
                        if isinstance(r, ProjectRow))
    with open_workspace(tmp_path / "copy.studiodesk", create=True, who="T") as copy:
        for kind in ("people", "clients", "projects"):
            import_text(copy, kind, files[kind], f"{kind}.csv")
        with copy.read() as s:
            after = sorted((r.client, r.name, r.values()["code"], r.values()["manager"])
                           for r in records.list_rows(s, "project")
                           if isinstance(r, ProjectRow))
        assert after == before
        # The exported file imports back onto itself unchanged.
        assert import_text(copy, "projects", files["projects"]) == (0, 0, len(before))
    assert (f"Acme Foods,{REBUILD},ACM-09" in files["projects"]
            and f"Borealis Bank,{REBUILD},BOR-09" in files["projects"])


# --------------------------------------------------------------------------- assignments

ASSIGNMENTS = "client,project,role,person\n"


def test_an_assignments_row_naming_a_shared_project_name_without_client_is_refused(
        two_rebuilds: Workspace) -> None:
    content = ASSIGNMENTS + "Acme Foods,,am,Ana Ruiz\n" + f",{REBUILD},pm,Cara Li\n"
    with two_rebuilds.read() as s:
        before = s.execute(select(Assignment.id)).all()
    with pytest.raises(CsvError) as caught, two_rebuilds.write() as s:
        import_rows(s, "assignments", parse_csv_text(content, "assignments",
                                                     "assignments.csv"))
    assert str(caught.value) == (
        "assignments.csv, row 3, column project: “Website rebuild” is the name of a project "
        "of Acme Foods and Borealis Bank, and the row names no client to say which; fill "
        "in its client (add a client column if the file has none).")
    with two_rebuilds.read() as s:
        assert s.execute(select(Assignment.id)).all() == before  # not even row 2


def test_a_file_without_client_column_refuses_a_shared_name_too(
        two_rebuilds: Workspace) -> None:
    with pytest.raises(CsvError, match=r"^pm\.csv, row 2, column project: “Website "
                                       r"rebuild” is the name of a project of Acme Foods "
                                       r"and Borealis Bank, and the row names no client"), \
            two_rebuilds.write() as s:
        import_rows(s, "assignments", parse_csv_text(
            "project,role,person\nwebsite rebuild,pm,Cara Li\n", "assignments", "pm.csv"))


def test_an_assignments_row_with_its_client_finds_that_clients_project(
        two_rebuilds: Workspace) -> None:
    content = ASSIGNMENTS + f"Borealis Bank,{REBUILD},pm,Cara Li\n"
    with two_rebuilds.write() as s:
        summary = import_rows(s, "assignments", parse_csv_text(content, "assignments",
                                                               "assignments.csv"))
    assert (summary.added, summary.updated) == (1, 0)
    with two_rebuilds.read() as s:
        managers = dict(s.execute(
            select(Client.name, Person.name)
            .join(Project, Project.client_id == Client.id)
            .join(Person, Person.id == Project.manager_id)
            .where(Project.name_key == "website rebuild")).all())
    assert managers == {"Acme Foods": "Ben Ode", "Borealis Bank": "Cara Li"}


def test_a_name_only_one_client_uses_needs_no_client(two_rebuilds: Workspace) -> None:
    content = "project,role,person\nBorealis annual report,pm,Cara Li\n"
    with two_rebuilds.write() as s:
        summary = import_rows(s, "assignments", parse_csv_text(content, "assignments",
                                                               "assignments.csv"))
    assert (summary.added, summary.updated) == (0, 1)  # Ana Ruiz managed it
    with two_rebuilds.read() as s:
        report = records.find_id(s, "project", "Borealis annual report")
        assert report is not None
        assert records.get_row(s, "project", report).values()["manager"] == "Cara Li"


def test_one_project_twice_spelt_with_and_without_client_is_refused_naming_both_rows(
        two_rebuilds: Workspace) -> None:
    content = (ASSIGNMENTS + "Borealis Bank,Borealis annual report,pm,Cara Li\n"
               + ",borealis annual report,pm,Ben Ode\n")
    with pytest.raises(CsvError) as caught, two_rebuilds.write() as s:
        import_rows(s, "assignments", parse_csv_text(content, "assignments",
                                                     "assignments.csv"))
    assert str(caught.value) == (
        "assignments.csv, row 3, column project: The Production Manager of Borealis Bank’s "
        "project “Borealis annual report” appears twice in the file, in rows 2 and 3.")


def test_an_account_manager_row_still_needs_its_client(small_studio: Workspace) -> None:
    with pytest.raises(CsvProblems) as caught:
        parse_csv_text("role,person\nam,Ana Ruiz\n", "assignments", "am.csv")
    assert str(caught.value) == ("am.csv, row 2, column client: An account_manager row "
                                 "needs the client it is for.")


# --------------------------------------------------------------------------- migration

def schema_3_workspace(path: Path) -> None:
    """A workspace as the previous version (schema 3) left it: projects, a deleted
    project, assignments and a proposed plan whose rows point to projects."""
    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        old = Workspace(path, engine, "Earlier self")
        migrate.upgrade(old, "0003")
        with old.write() as s:
            records.add_record(s, "person", {"name": "Ana Ruiz", "client_facing": 5})
            records.add_record(s, "person", {"name": "Ben Ode", "head_down": 5})
            for client in ("Acme Foods", "Borealis Bank"):
                records.add_record(s, "client", {"name": client})
            records.add_record(s, "project", {"client": "Acme Foods", "name": REBUILD,
                                              "manager": "Ben Ode", "start": "2026-01-05"})
            records.add_record(s, "project", {"client": "Borealis Bank",
                                              "name": "Annual report", "manager": "Ana Ruiz"})
            gone = records.add_record(s, "project", {"client": "Borealis Bank",
                                                     "name": "Dropped pitch"})
        with old.write() as s:
            records.delete_record(s, "project", gone.id, gone.version)
            s.execute(text(
                "INSERT INTO assignment (role_id, person_id, project_id, start, version) "
                "SELECT role.id, person.id, project.id, '2026-01-05', 1 "
                "FROM role, person, project WHERE role.key = 'production_manager' "
                "AND person.name = 'Ben Ode' AND project.name = :name"), {"name": REBUILD})
        with old.write() as s:
            plan = plans.create_plan(s, "Split", effective_date=dt.date(2026, 3, 2))
            plans.propose_plan(s, plan.id)
    finally:
        engine.dispose()


def table_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables that hold or point to projects, and the id counters."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        found = {table: connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
                 for table in ("person", "client", "project", "assignment", "plan",
                               "plan_item", "plan_conversation")}
        found["sqlite_sequence"] = connection.execute(
            "SELECT name, seq FROM sqlite_sequence ORDER BY name").fetchall()
    connection.close()
    return found


def file_state(path: Path) -> tuple[int, list[str], list[tuple[object, ...]]]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        state = (connection.execute("PRAGMA user_version").fetchone()[0],
                 [r for (r,) in connection.execute("SELECT version_num FROM alembic_version")],
                 connection.execute("PRAGMA foreign_key_check").fetchall())
    connection.close()
    return state


def downgrade_to_3(path: Path) -> None:
    engine = make_engine(path)
    config = migrate.alembic_config()
    try:
        with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0003")
    finally:
        engine.dispose()


def test_a_schema_3_workspace_is_upgraded_keeping_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.studiodesk"
    schema_3_workspace(path)
    before = table_rows(path)
    assert file_state(path)[:2] == (3, ["0003"])
    assert before["assignment"] and before["plan_item"]
    assert any(row[4] is not None for row in before["plan_item"])  # rows of projects

    with open_workspace(path, who="Ana") as workspace:
        assert table_rows(path) == before  # ids, versions, links and counters all kept
        assert file_state(path) == (SCHEMA_VERSION, ["0004"], [])
        # Now Borealis may have a Website rebuild of its own ...
        added = add(workspace, "project", {"client": "Borealis Bank", "name": REBUILD})
        # ... with a new id: not the one of the project deleted before the upgrade.
        assert added.id == dict(before["sqlite_sequence"])["project"] + 1
        # ... but Acme may not have a second one.
        with pytest.raises(ValidationError, match="already has a project named"):
            add(workspace, "project", {"client": "Acme Foods", "name": "website rebuild"})
        with workspace.read() as s:
            held = s.execute(select(Role.key, Person.name, Project.name, Client.name)
                             .select_from(Assignment)
                             .join(Role, Role.id == Assignment.role_id)
                             .join(Person, Person.id == Assignment.person_id)
                             .join(Project, Project.id == Assignment.project_id)
                             .join(Client, Client.id == Project.client_id)).all()
        assert held == [("production_manager", "Ben Ode", REBUILD, "Acme Foods")]


def test_the_upgraded_table_still_never_reuses_an_id(tmp_path: Path) -> None:
    path = tmp_path / "old.studiodesk"
    schema_3_workspace(path)
    with open_workspace(path):
        pass
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        sql = connection.execute("SELECT sql FROM sqlite_master WHERE type = 'table' "
                                 "AND name = 'project'").fetchone()[0]
    connection.close()
    assert "AUTOINCREMENT" in sql
    assert "UNIQUE (client_id, name_key)" in sql and "UNIQUE (name_key)" not in sql


def test_a_downgrade_refuses_while_clients_share_a_project_name(tmp_path: Path) -> None:
    path = tmp_path / "old.studiodesk"
    schema_3_workspace(path)
    with open_workspace(path) as workspace:
        add(workspace, "project", {"client": "Borealis Bank", "name": "website REBUILD"})
    before = path.read_bytes()
    with pytest.raises(WorkspaceError) as caught:
        downgrade_to_3(path)
    assert str(caught.value) == (
        "This workspace cannot go back to schema 3, where project names are unique across "
        "the studio: “Website rebuild” is a project of Acme Foods and Borealis Bank; "
        "rename all but one of them first.")
    assert path.read_bytes() == before
    assert file_state(path)[:2] == (SCHEMA_VERSION, ["0004"])


def test_a_downgrade_without_shared_names_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "old.studiodesk"
    schema_3_workspace(path)
    with open_workspace(path):
        pass
    before = table_rows(path)
    downgrade_to_3(path)
    assert table_rows(path) == before
    assert file_state(path) == (3, ["0003"], [])
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        client = connection.execute("SELECT id FROM client WHERE name = 'Borealis Bank'"
                                    ).fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError, match="project.name_key"):
            connection.execute(
                "INSERT INTO project (client_id, name, name_key, status, "
                "technical_complexity, communication_load, version) "
                "VALUES (?, 'Website rebuild', 'website rebuild', 'active', 3, 3, 1)",
                (client,))
    connection.close()
