"""Importing CSV rows into a workspace and exporting them: all rows or none, existing
names updated, and the rows a studio's spreadsheet gets back."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, func, select

from studio_desk.core.csvio import CsvTable, parse_csv_text
from studio_desk.core.errors import CsvError
from studio_desk.core.rows import PersonRow
from studio_desk.store import records
from studio_desk.store.engine import Workspace
from studio_desk.store.models import Assignment, AuditEntry, Role
from studio_desk.store.transfer import ImportSummary, export_rows, import_rows


def parsed(kind: str, text: str, file: str = "file.csv") -> CsvTable:
    return parse_csv_text(text, kind, file)


def snapshot(ws: Workspace) -> tuple[object, ...]:
    """Everything an import could change: every record with its version, and the log."""
    with ws.read() as s:
        return (tuple(records.list_rows(s, "person")), tuple(records.list_rows(s, "client")),
                tuple(records.list_rows(s, "project")),
                tuple(records.list_rows(s, "relationship")),
                s.scalar(select(func.count()).select_from(AuditEntry)))


def person(ws: Workspace, name: str) -> PersonRow:
    with ws.read() as s:
        found = records.find_id(s, "person", name)
        assert found is not None
        row = records.get_row(s, "person", found)
        assert isinstance(row, PersonRow)
        return row


def test_import_adds_records_and_export_gives_the_same_cells_back(workspace: Workspace) -> None:
    people = ("name,email,title,weekly_hours,max_active_projects,max_backburner_projects,"
              "max_clients,client_facing,head_down\n"
              "Zoë Fischer,zoe@studio.example,Producer,32,4,10,8,5,1\n"
              "Kwame Mensah,,Developer,40,6,15,12,1,5\n")
    with workspace.write() as s:
        summary = import_rows(s, "people", parsed("people", people))
    assert summary == ImportSummary(added=2, updated=0, unchanged=0)
    with workspace.read() as s:
        exported = export_rows(s, "people")
    assert exported == [
        {"name": "Kwame Mensah", "email": "", "title": "Developer", "weekly_hours": "40",
         "max_active_projects": "6", "max_backburner_projects": "15", "max_clients": "12",
         "client_facing": "1", "head_down": "5"},
        {"name": "Zoë Fischer", "email": "zoe@studio.example", "title": "Producer",
         "weekly_hours": "32", "max_active_projects": "4", "max_backburner_projects": "10",
         "max_clients": "8", "client_facing": "5", "head_down": "1"},
    ]


def test_columns_not_in_the_file_take_their_defaults(workspace: Workspace) -> None:
    with workspace.write() as s:
        import_rows(s, "people", parsed("people", "name\nAna Ruiz\n"))
    ana = person(workspace, "Ana Ruiz")
    assert (ana.weekly_hours, ana.max_active_projects, ana.client_facing) == (40.0, 6, 3)


def test_a_bad_last_row_leaves_the_workspace_unchanged(small_studio: Workspace) -> None:
    before = snapshot(small_studio)
    text = ("client,name,status,manager\n"
            "Acme Foods,Acme newsletter,active,Ana Ruiz\n"       # new
            "Borealis Bank,Borealis annual report,done,\n"       # an update
            "Nowhere Ltd,Nowhere website,pitch,\n")              # no such client
    with pytest.raises(CsvError) as caught, small_studio.write() as s:
        import_rows(s, "projects", parsed("projects", text, "projects.csv"))
    assert str(caught.value) == ("projects.csv, row 4, column client: There is no client "
                                 "named “Nowhere Ltd” in the workspace.")
    assert snapshot(small_studio) == before


def test_a_value_that_clashes_with_the_stored_record_names_the_row(
        small_studio: Workspace) -> None:
    # The stored project starts 2026-01-05; a due date before it is refused.
    before = snapshot(small_studio)
    text = "name,client,due\nAcme web shop,Acme Foods,2025-12-01\n"
    with pytest.raises(CsvError, match=r"^p\.csv, row 2, column due: Due \(2025-12-01\)"), \
            small_studio.write() as s:
        import_rows(s, "projects", parsed("projects", text, "p.csv"))
    assert snapshot(small_studio) == before


def test_an_existing_name_updates_only_the_columns_in_the_file(
        small_studio: Workspace) -> None:
    ben_before = person(small_studio, "Ben Ode")
    with small_studio.read() as s:
        last_entry = s.scalar(select(func.max(AuditEntry.id)))
    text = "name,title\nben ode,Technical Lead\nDee Ansah,Designer\n"
    with small_studio.write() as s:
        summary = import_rows(s, "people", parsed("people", text))
    assert summary == ImportSummary(added=1, updated=1, unchanged=0)
    ben = person(small_studio, "Ben Ode")
    assert ben.id == ben_before.id
    assert ben.title == "Technical Lead"
    assert ben.weekly_hours == 32.0  # not in the file: kept, not reset to the default
    assert ben.version == ben_before.version + 1  # a colleague's open copy sees the change
    assert person(small_studio, "Dee Ansah").title == "Designer"
    with small_studio.read() as s:
        log = s.execute(select(AuditEntry.who, AuditEntry.action, AuditEntry.entity,
                               AuditEntry.field, AuditEntry.old, AuditEntry.new)
                        .where(AuditEntry.id > last_entry)).all()
    assert sorted(log) == [("Tester", "add", "person", "name", None, "Dee Ansah"),
                           ("Tester", "change", "person", "title", "Developer",
                            "Technical Lead")]


def test_importing_the_same_rows_again_changes_nothing(small_studio: Workspace) -> None:
    with small_studio.read() as s:
        cells = export_rows(s, "projects")
    header = ",".join(cells[0])
    lines = [",".join(f'"{v}"' for v in row.values()) for row in cells]
    before = snapshot(small_studio)
    with small_studio.write() as s:
        summary = import_rows(s, "projects", parsed("projects", "\n".join([header, *lines])))
    assert summary == ImportSummary(added=0, updated=0, unchanged=4)
    assert snapshot(small_studio) == before  # no version bumped, nothing logged


def test_dry_run_reports_but_writes_nothing(small_studio: Workspace) -> None:
    before = snapshot(small_studio)
    text = "name,industry\nAcme Foods,Grocery\nDelta Dental,Health\n"
    with small_studio.write() as s:
        summary = import_rows(s, "clients", parsed("clients", text), dry_run=True)
    assert summary == ImportSummary(added=1, updated=1, unchanged=0)
    assert snapshot(small_studio) == before


def test_relationships_are_matched_by_person_and_client(small_studio: Workspace) -> None:
    text = ("person,client,strength,since\n"
            "ana ruiz,ACME FOODS,1,2024-02-01\n"          # exists: updated
            "Cara Li,Cobalt Museum,3,\n")                  # new
    with small_studio.write() as s:
        summary = import_rows(s, "relationships", parsed("relationships", text))
        rows = {(r.person, r.client): (r.strength, r.since)
                for r in records.list_rows(s, "relationship")}
    assert summary == ImportSummary(added=1, updated=1, unchanged=0)
    assert rows == {("Ana Ruiz", "Acme Foods"): (1, dt.date(2024, 2, 1)),
                    ("Ben Ode", "Borealis Bank"): (1, None),
                    ("Cara Li", "Cobalt Museum"): (3, None)}


def test_unknown_manager_is_named_with_its_row(small_studio: Workspace) -> None:
    text = "client,name,manager\nAcme Foods,Acme app,Ana Ruiz\nAcme Foods,Acme ad,Ann Ruiz\n"
    with pytest.raises(CsvError, match=r"file\.csv, row 3, column manager: .*“Ann Ruiz”"), \
            small_studio.write() as s:
        import_rows(s, "projects", parsed("projects", text))


def test_assignments_export_current_holders_and_who_held_the_role_before(
        small_studio: Workspace) -> None:
    with small_studio.write() as s:
        role = {key: role_id for key, role_id in s.execute(select(Role.key, Role.id))}
        ids = {kind: records.ids_by_name(s, kind) for kind in ("person", "client")}
        web_shop = records.project_ids(s)[("acme foods", "acme web shop")]
        s.add_all([
            Assignment(role_id=role["account_manager"], person_id=ids["person"]["cara li"],
                       client_id=ids["client"]["acme foods"], start=dt.date(2022, 1, 1),
                       end=dt.date(2023, 3, 31)),
            Assignment(role_id=role["account_manager"], person_id=ids["person"]["ben ode"],
                       client_id=ids["client"]["acme foods"], start=dt.date(2023, 4, 1),
                       end=dt.date(2024, 12, 31)),
            Assignment(role_id=role["account_manager"], person_id=ids["person"]["ana ruiz"],
                       client_id=ids["client"]["acme foods"], start=dt.date(2025, 1, 1)),
            Assignment(role_id=role["production_manager"],
                       person_id=ids["person"]["ben ode"],
                       project_id=web_shop, start=dt.date(2026, 1, 5)),
            Assignment(role_id=role["account_manager"], person_id=ids["person"]["ana ruiz"],
                       client_id=ids["client"]["borealis bank"], start=dt.date(2025, 1, 1)),
        ])
    with small_studio.read() as s:
        rows = export_rows(s, "assignments")
    assert rows == [
        {"client": "Acme Foods", "project": "", "role": "account_manager",
         "person": "Ana Ruiz", "previous_person": "Ben Ode", "reason": ""},
        {"client": "Acme Foods", "project": "Acme web shop", "role": "production_manager",
         "person": "Ben Ode", "previous_person": "", "reason": ""},
        {"client": "Borealis Bank", "project": "", "role": "account_manager",
         "person": "Ana Ruiz", "previous_person": "", "reason": ""},
    ]


def test_twenty_thousand_projects_import_in_bulk(workspace: Workspace) -> None:
    clients = "name\n" + "".join(f"Client {c}\n" for c in range(500))
    people = "name\n" + "".join(f"Person {p}\n" for p in range(50))
    projects = "client,name,code,status,start,due,estimated_hours,manager\n" + "".join(
        f"Client {i % 500},Project {i},P-{i},active,2026-01-05,2026-03-29,80,Person {i % 50}\n"
        for i in range(20_000))
    with workspace.write() as s:
        import_rows(s, "clients", parsed("clients", clients))
        import_rows(s, "people", parsed("people", people))
    table = parsed("projects", projects)
    statements: list[object] = []

    def count(_conn, statement, *_args) -> None:
        statements.append(statement)

    event.listen(workspace.engine, "before_execute", count)
    try:
        with workspace.write() as s:
            summary = import_rows(s, "projects", table)
    finally:
        event.remove(workspace.engine, "before_execute", count)
    assert summary.added == 20_000
    with workspace.read() as s:
        assert records.count_rows(s)["project"] == 20_000
    # Row-by-row ORM saves take over a minute here: a statement per project and per
    # audit entry. Bulk statements hand all the rows to one execute each. (How long the
    # import takes is measured by benchmarks, not asserted.)
    assert len(statements) < 100, f"{len(statements)} statements for 20,000 projects"
