"""Importing who holds what today: an assignments file makes each person the current
Account Manager of a client or Production Manager of a project, keeping the history."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from studio_desk.core.csvio import CsvProblems, CsvTable, csv_text, parse_csv_text
from studio_desk.core.errors import CsvError
from studio_desk.core.rows import ProjectRow
from studio_desk.store import records
from studio_desk.store.assignments_import import import_assignments
from studio_desk.store.engine import Workspace
from studio_desk.store.history import history
from studio_desk.store.models import Assignment, AuditEntry, Client, Person, Project, Role
from studio_desk.store.transfer import ImportSummary, export_rows, import_rows

HEADER = "client,project,role,person,since\n"


def parsed(text: str, file: str = "assignments.csv") -> CsvTable:
    return parse_csv_text(text, "assignments", file)


def held(ws: Workspace) -> list[tuple[str, str, str, str, dt.date, dt.date | None]]:
    """Every assignment as (role, client or project, person, start, end), sorted."""
    with ws.read() as s:
        rows = s.execute(
            select(Role.key, Client.name, Project.name, Person.name, Assignment.start,
                   Assignment.end)
            .join(Role, Role.id == Assignment.role_id)
            .join(Person, Person.id == Assignment.person_id)
            .outerjoin(Client, Client.id == Assignment.client_id)
            .outerjoin(Project, Project.id == Assignment.project_id)).all()
    return sorted((role, client or "", project or "", person, start, end)
                  for role, client, project, person, start, end in rows)


def snapshot(ws: Workspace) -> tuple[object, ...]:
    """Everything this import could change: assignments (with versions), projects (with
    versions) and the size of the audit log."""
    with ws.read() as s:
        assignments = s.execute(select(Assignment.id, Assignment.person_id,
                                       Assignment.start, Assignment.end,
                                       Assignment.version).order_by(Assignment.id)).all()
        return (tuple(assignments), tuple(records.list_rows(s, "project")),
                s.scalar(select(func.count()).select_from(AuditEntry)))


def project(ws: Workspace, name: str) -> ProjectRow:
    with ws.read() as s:
        found = records.find_id(s, "project", name)
        assert found is not None
        row = records.get_row(s, "project", found)
        assert isinstance(row, ProjectRow)
        return row


def give(ws: Workspace, text: str, *, dry_run: bool = False) -> ImportSummary:
    """Import the rows ``text`` (under :data:`HEADER`) as the CLI does."""
    with ws.write() as s:
        return import_rows(s, "assignments", parsed(HEADER + text), dry_run=dry_run)


# --------------------------------------------------------------------------- holders


def test_a_role_without_holder_gets_one_from_since(small_studio: Workspace) -> None:
    summary = give(small_studio, "Acme Foods,,account_manager,Ana Ruiz,2026-02-02\n")
    assert summary == ImportSummary(added=1, updated=0, unchanged=0)
    assert held(small_studio) == [
        ("account_manager", "Acme Foods", "", "Ana Ruiz", dt.date(2026, 2, 2), None)]
    with small_studio.read() as s:
        assert export_rows(s, "assignments") == [
            {"client": "Acme Foods", "project": "", "role": "account_manager",
             "person": "Ana Ruiz", "previous_person": "", "reason": ""}]


def test_without_since_the_role_is_held_from_today(small_studio: Workspace) -> None:
    with small_studio.write() as s:
        import_assignments(s, parsed(HEADER + "Acme Foods,,am,Ana Ruiz,\n"),
                           today=dt.date(2026, 5, 4))
    assert held(small_studio) == [
        ("account_manager", "Acme Foods", "", "Ana Ruiz", dt.date(2026, 5, 4), None)]


def test_a_new_holder_ends_the_previous_one_the_day_before(small_studio: Workspace) -> None:
    give(small_studio, "Acme Foods,,account_manager,Cara Li,2025-01-01\n")
    summary = give(small_studio, "acme foods,,Account Manager,ana ruiz,2026-04-01\n")
    assert summary == ImportSummary(added=0, updated=1, unchanged=0)
    assert held(small_studio) == [
        ("account_manager", "Acme Foods", "", "Ana Ruiz", dt.date(2026, 4, 1), None),
        ("account_manager", "Acme Foods", "", "Cara Li", dt.date(2025, 1, 1),
         dt.date(2026, 3, 31)),
    ]
    with small_studio.read() as s:
        rows = export_rows(s, "assignments")
    assert [(r["person"], r["previous_person"]) for r in rows] == [("Ana Ruiz", "Cara Li")]


def test_a_holder_who_started_on_or_after_since_ends_on_their_own_start_day(
        small_studio: Workspace) -> None:
    give(small_studio, "Acme Foods,,account_manager,Cara Li,2026-06-01\n")
    give(small_studio, "Acme Foods,,account_manager,Ben Ode,2026-03-01\n")
    assert held(small_studio) == [
        ("account_manager", "Acme Foods", "", "Ben Ode", dt.date(2026, 3, 1), None),
        ("account_manager", "Acme Foods", "", "Cara Li", dt.date(2026, 6, 1),
         dt.date(2026, 6, 1)),
    ]


def test_the_same_holder_again_changes_nothing(small_studio: Workspace) -> None:
    give(small_studio, "Acme Foods,,account_manager,Ana Ruiz,2025-01-01\n"
                       "Acme Foods,Acme web shop,production_manager,Ben Ode,2026-01-05\n")
    before = snapshot(small_studio)
    # A later since does not move an assignment its holder keeps.
    summary = give(small_studio, "Acme Foods,,AM,Ana Ruiz,2026-09-01\n"
                                 "Acme Foods,Acme web shop,PM,Ben Ode,\n")
    assert summary == ImportSummary(added=0, updated=0, unchanged=2)
    assert snapshot(small_studio) == before


def test_a_production_manager_row_makes_them_the_projects_manager(
        small_studio: Workspace) -> None:
    shop = project(small_studio, "Acme web shop")  # Ben Ode manages it, with no assignment
    summary = give(small_studio,
                   "Acme Foods,Acme web shop,production manager,Cara Li,2026-02-01\n"
                   "Cobalt Museum,Cobalt exhibition app,pm,Ana Ruiz,2026-02-01\n")
    assert summary == ImportSummary(added=1, updated=1, unchanged=0)
    after = project(small_studio, "Acme web shop")
    assert after.manager == "Cara Li"
    assert after.version == shop.version + 1
    assert project(small_studio, "Cobalt exhibition app").manager == "Ana Ruiz"
    # Ben's time on the project stays in the history, from the project's start.
    assert held(small_studio) == [
        ("production_manager", "", "Acme web shop", "Ben Ode", dt.date(2026, 1, 5),
         dt.date(2026, 1, 31)),
        ("production_manager", "", "Acme web shop", "Cara Li", dt.date(2026, 2, 1), None),
        ("production_manager", "", "Cobalt exhibition app", "Ana Ruiz",
         dt.date(2026, 2, 1), None),
    ]


def test_changes_show_in_the_history_with_who_made_them(small_studio: Workspace) -> None:
    give(small_studio, "Acme Foods,,account_manager,Cara Li,2025-01-01\n")
    give(small_studio, "Acme Foods,,account_manager,Ana Ruiz,2026-04-01\n"
                       "Acme Foods,Acme web shop,production_manager,Cara Li,2026-04-01\n")
    with small_studio.read() as s:
        shop = records.find_id(s, "project", "Acme web shop")
        assert shop is not None
        manager = [(h.who, h.field, h.old, h.new)
                   for h in history(s, entity="project", entity_id=shop)
                   if h.action == "change"]
        added = {h.record for h in history(s, entity="assignment") if h.action == "add"}
        ended = [(h.who, h.field, h.new) for h in history(s, entity="assignment")
                 if h.action == "change"]
    assert manager == [("Tester", "Manager", "Ben Ode", "Cara Li")]
    assert {"Cara Li – Account Manager of Acme Foods",
            "Ana Ruiz – Account Manager of Acme Foods",
            "Cara Li – Production Manager of Acme web shop"} <= added
    assert ("Tester", "End", "2026-03-31") in ended


# --------------------------------------------------------------------------- refusals


def test_the_same_client_or_project_twice_names_both_rows(small_studio: Workspace) -> None:
    text = (HEADER + "Acme Foods,,account_manager,Ana Ruiz,\n"
            "Acme Foods,Acme web shop,production_manager,Ben Ode,\n"
            "ACME FOODS,,am,Cara Li,\n"
            "Acme Foods,acme web shop,pm,Cara Li,\n")
    with pytest.raises(CsvProblems) as caught:
        parsed(text)
    assert [str(p) for p in caught.value.problems] == [
        "assignments.csv, row 4, column client: The Account Manager of “ACME FOODS” appears "
        "twice in the file, in rows 2 and 4.",
        "assignments.csv, row 5, column project: The Production Manager of Acme Foods’s "
        "project “acme web shop” appears twice in the file, in rows 3 and 5.",
    ]


@pytest.mark.parametrize(("row", "column", "message"), [
    ("Acme Foods,,boss,Ana Ruiz,", "role", "Role must be one of account_manager, "
                                          "production_manager, not “boss”."),
    ("Acme Foods,,am,Ana Ruiz,31/03/2026", "since", "Since must be a date written like "
                                                    "2026-03-31, not “31/03/2026”."),
    ("Acme Foods,Acme web shop,am,Ana Ruiz,", "project", "An account_manager row is for the "
                                                         "whole client, so its project must "
                                                         "be empty, not “Acme web shop”."),
    ("Acme Foods,,pm,Ana Ruiz,", "project", "A production_manager row needs the project it "
                                            "is for."),
    (",,am,Ana Ruiz,", "client", "An account_manager row needs the client it is for."),
    ("Acme Foods,,am,,", "person", "Person is required."),
])
def test_a_bad_cell_is_named_by_file_row_and_column(row: str, column: str,
                                                     message: str) -> None:
    with pytest.raises(CsvProblems) as caught:
        parsed(HEADER + "Borealis Bank,,am,Ben Ode,\n" + row + "\n")
    assert [str(p) for p in caught.value.problems] == [
        f"assignments.csv, row 3, column {column}: {message}"]


def test_a_file_without_a_required_column_is_refused() -> None:
    with pytest.raises(CsvError, match=r"required column role is missing"):
        parsed("client,person\nAcme Foods,Ana Ruiz\n")


def test_every_unknown_name_is_reported_and_nothing_is_written(
        small_studio: Workspace) -> None:
    with small_studio.write() as s:
        ben = records.find_id(s, "person", "Ben Ode")
        assert ben is not None
        records.update_record(s, "person", ben, records.get_row(s, "person", ben).version,
                              {"active": False})
    give(small_studio, "Acme Foods,,account_manager,Cara Li,2025-01-01\n")
    before = snapshot(small_studio)
    text = (HEADER
            + "Acme Foods,,account_manager,Ana Ruiz,2026-04-01\n"  # fine on its own
            + "Acme Food,,account_manager,Ana Ruiz,\n"
            + "Borealis Bank,Acme web shop,production_manager,Cara Li,\n"
            + "Cobalt Museum,Cobalt app,production_manager,Cara Li,\n"
            + "Borealis Bank,,account_manager,Ana Ruiz-Lopez,\n"
            + "Cobalt Museum,,account_manager,Ben Ode,\n")
    with pytest.raises(CsvProblems) as caught, small_studio.write() as s:
        import_rows(s, "assignments", parsed(text))
    assert [str(p) for p in caught.value.problems] == [
        "assignments.csv, row 3, column client: There is no client named “Acme Food” in the "
        "workspace.",
        "assignments.csv, row 4, column project: The project “Acme web shop” belongs to "
        "Acme Foods, not to Borealis Bank.",
        "assignments.csv, row 5, column project: There is no project named “Cobalt app” in "
        "the workspace.",
        "assignments.csv, row 6, column person: There is no person named “Ana Ruiz-Lopez” in "
        "the workspace.",
        "assignments.csv, row 7, column person: Ben Ode has left the studio (marked "
        "inactive), so cannot hold a role; mark them active again or name someone else.",
    ]
    assert str(caught.value).startswith("assignments.csv, row 3, column client:")
    assert snapshot(small_studio) == before  # not even the good first row


def test_a_dry_run_counts_and_writes_nothing(small_studio: Workspace) -> None:
    give(small_studio, "Acme Foods,,account_manager,Cara Li,2025-01-01\n")
    before = snapshot(small_studio)
    summary = give(small_studio, "Acme Foods,,account_manager,Ana Ruiz,2026-04-01\n"
                                 "Borealis Bank,,account_manager,Ben Ode,\n"
                                 "Acme Foods,Acme web shop,production_manager,Ana Ruiz,\n",
                   dry_run=True)
    assert summary == ImportSummary(added=1, updated=2, unchanged=0)
    assert snapshot(small_studio) == before


# --------------------------------------------------------------------------- round trip


def test_an_exported_file_imports_back_to_the_same_holders(small_studio: Workspace) -> None:
    give(small_studio, "Acme Foods,,account_manager,Cara Li,2024-01-01\n")
    give(small_studio, "Acme Foods,,account_manager,Ana Ruiz,2025-01-01\n"
                       "Borealis Bank,,account_manager,Ben Ode,2025-01-01\n"
                       "Acme Foods,Acme web shop,production_manager,Ben Ode,2026-01-05\n"
                       "Borealis Bank,Borealis annual report,production_manager,Ana Ruiz,"
                       "2026-01-05\n")
    with small_studio.read() as s:
        exported = export_rows(s, "assignments")
    assert exported[0]["previous_person"] == "Cara Li"  # the column import reads past
    file = csv_text(("client", "project", "role", "person", "previous_person", "reason"),
                    exported, set())
    before = snapshot(small_studio)
    with small_studio.write() as s:
        summary = import_rows(s, "assignments", parsed(file))
    assert summary == ImportSummary(added=0, updated=0, unchanged=4)
    assert snapshot(small_studio) == before

    # Hand the roles around, then import the exported file: the holders are back.
    give(small_studio, "Acme Foods,,account_manager,Cara Li,2026-03-02\n"
                       "Acme Foods,Acme web shop,production_manager,Cara Li,2026-03-02\n")
    with small_studio.write() as s:
        summary = import_rows(s, "assignments", parsed(file))
    assert summary == ImportSummary(added=0, updated=2, unchanged=2)
    with small_studio.read() as s:
        again = export_rows(s, "assignments")
    assert [{k: r[k] for k in ("client", "project", "role", "person")} for r in again] == \
        [{k: r[k] for k in ("client", "project", "role", "person")} for r in exported]
    assert project(small_studio, "Acme web shop").manager == "Ben Ode"
