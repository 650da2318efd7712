"""``capacity --as-of`` and ``export … --as-of``: the workspace as it stands on a day.

A plan applied ahead of its effective date changes who holds what on that date, not
before: today the commands show what they showed before applying, ``--as-of`` the date
shows the plan's people. The commands run as real processes, so their "today" is the
computer's; the plan's date is chosen weeks after it, and every day the commands are
asked about is passed explicitly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from studio_desk.store import plans, records
from studio_desk.store.engine import Workspace
from studio_desk.store.models import Assignment, Role
from tests.helpers.cli import ok, rows_of, studio_desk

LIMITS = ("max_clients", "max_active_projects", "max_backburner_projects")


def first_monday_after(day: dt.date, days: int) -> dt.date:
    later = day + dt.timedelta(days=days)
    return later + dt.timedelta(days=-later.weekday() % 7)


def record_holders(ws: Workspace) -> None:
    """Every role of the small studio recorded as an assignment, long ago."""
    with ws.write() as s:
        roles = dict(s.execute(select(Role.key, Role.id)).all())
        since = dt.date(2024, 1, 8)
        for client, person in (("Acme Foods", "Ben Ode"), ("Borealis Bank", "Ana Ruiz")):
            s.add(Assignment(role_id=roles["account_manager"], start=since,
                             person_id=records.find_id(s, "person", person),
                             client_id=records.find_id(s, "client", client)))
        for project, person in (("Acme web shop", "Ben Ode"),
                                ("Acme spring campaign", "Ana Ruiz"),
                                ("Borealis annual report", "Ana Ruiz")):
            s.add(Assignment(role_id=roles["production_manager"], start=since,
                             person_id=records.find_id(s, "person", person),
                             project_id=records.find_id(s, "project", project)))


def make_plan(ws: Workspace, effective: dt.date) -> tuple[plans.PlanItemRow, ...]:
    """Ana takes every client (Acme from Ben), Cara the web shop; everyone's limits
    become those suggested for their role."""
    with ws.read() as s:
        ana, cara = (records.find_id(s, "person", n) for n in ("Ana Ruiz", "Cara Li"))
    with ws.write() as s:
        plan = plans.create_plan(s, "Spring split", effective_date=effective)
        plans.confirm_people(s, plan.id, leaning_of={}, limits_of={}, accept_suggested=True)
        rows = plans.propose_plan(s, plan.id).items
        for row in rows:
            if row.role == "account_manager" and row.person_id != ana:
                plans.override_item(s, plan.id, row.id, ana)
        web = next(r for r in rows if r.item_name == "Acme web shop")
        plans.override_item(s, plan.id, web.id, cara)
        return tuple(plans.plan_items(s, plan.id))


def limits_of(ws: Workspace) -> dict[str, tuple[int, ...]]:
    with ws.read() as s:
        plan = plans.find_plan(s, "Spring split")
        assert plan is not None
        names = {p.id: p.name for p in records.list_rows(s, "person")}
        return {names[pid]: tuple(v[k] for k in LIMITS)
                for pid, v in plans.load_plan(s, plan.id).role_limits.items()}


def run(db: Path, folder: Path, *args: str) -> dict[str, object]:
    """What ``capacity`` prints and every export writes, with ``args`` (``--as-of``)."""
    seen: dict[str, object] = {"capacity": ok(studio_desk("capacity", "--db", db, *args,
                                                          cwd=folder))}
    ok(studio_desk("capacity", "--db", db, "--csv", "capacity.csv", *args, cwd=folder))
    seen["capacity_csv"] = rows_of(folder / "capacity.csv")
    for kind in ("assignments", "projects", "people"):
        ok(studio_desk("export", kind, f"{kind}.csv", "--db", db, *args, cwd=folder))
        seen[kind] = rows_of(folder / f"{kind}.csv")
    return seen


@pytest.mark.slow  # a dozen processes
def test_a_plan_applied_ahead_shows_today_as_before_and_its_people_as_of_its_date(
        small_studio: Workspace, tmp_path: Path) -> None:
    record_holders(small_studio)
    # Weeks ahead of the computer's today: the commands' "today" is before it.
    effective = first_monday_after(dt.date.today(), 35)
    items = make_plan(small_studio, effective)
    role_limits = limits_of(small_studio)
    db = small_studio.path
    before = run(db, tmp_path)

    said = ok(studio_desk("plan", "apply", "Spring split", "--db", db, cwd=tmp_path))
    assert said.startswith(f"Applied “Spring split” from {effective.isoformat()}")

    assert run(db, tmp_path) == before
    # The day before the date is still before; the date is the plan's.
    assert run(db, tmp_path, "--as-of", (effective - dt.timedelta(days=1)).isoformat()
               ) == before
    on_the_day = run(db, tmp_path, "--as-of", effective.isoformat())
    assignments = {(r["client"], r["project"], r["role"]): (r["person"], r["previous_person"])
                   for r in on_the_day["assignments"]}  # type: ignore[union-attr]
    for item in items:
        key = (item.client, item.project or "", item.role)
        assert assignments[key][0] == item.person, key
    assert assignments[("Acme Foods", "", "account_manager")] == ("Ana Ruiz", "Ben Ode")
    assert assignments[("Acme Foods", "Acme web shop", "production_manager")] == (
        "Cara Li", "Ben Ode")
    managers = {r["name"]: r["manager"]
                for r in on_the_day["projects"]}  # type: ignore[union-attr]
    assert {i.project: managers[i.project or ""] for i in items if i.project} == {
        i.project: i.person for i in items if i.project}
    figures = {r["person"]: r for r in on_the_day["capacity_csv"]}  # type: ignore[union-attr]
    for name, (max_clients, max_active, max_backburner) in role_limits.items():
        held = sum(1 for i in items if i.role == "account_manager" and i.person == name)
        managed = sum(1 for i in items if i.role == "production_manager"
                      and i.person == name and i.project != "Acme spring campaign")
        assert (int(figures[name]["clients"]), int(figures[name]["active_projects"]),
                int(figures[name]["max_clients"]), int(figures[name]["max_active_projects"]),
                int(figures[name]["max_backburner_projects"])) == (
            held, managed, max_clients, max_active, max_backburner), name
    assert on_the_day["capacity"] != before["capacity"]


def test_a_plan_applied_after_its_date_changes_everything_at_once(
        small_studio: Workspace, tmp_path: Path) -> None:
    record_holders(small_studio)
    effective = dt.date(2025, 3, 3)  # long past
    items = make_plan(small_studio, effective)
    role_limits = limits_of(small_studio)
    db = small_studio.path
    ok(studio_desk("plan", "apply", "Spring split", "--db", db, cwd=tmp_path))

    ok(studio_desk("export", "projects", "projects.csv", "--db", db, cwd=tmp_path))
    managers = {r["name"]: r["manager"] for r in rows_of(tmp_path / "projects.csv")}
    assert {i.project: managers[i.project] for i in items if i.project} == {
        i.project: i.person for i in items if i.project}
    ok(studio_desk("export", "people", "people.csv", "--db", db, cwd=tmp_path))
    people = {r["name"]: tuple(int(r[k]) for k in LIMITS)
              for r in rows_of(tmp_path / "people.csv")}
    assert {name: people[name] for name in role_limits} == role_limits
    ok(studio_desk("export", "assignments", "today.csv", "--db", db, cwd=tmp_path))
    holders = {(r["client"], r["project"]): r["person"]
               for r in rows_of(tmp_path / "today.csv")}
    assert holders[("Acme Foods", "")] == "Ana Ruiz"
    assert holders[("Acme Foods", "Acme web shop")] == "Cara Li"
    # As of a day before it, the history still names who held each role then.
    ok(studio_desk("export", "assignments", "then.csv", "--db", db, "--as-of", "2025-03-02",
                   cwd=tmp_path))
    then = {(r["client"], r["project"]): r["person"] for r in rows_of(tmp_path / "then.csv")}
    assert then[("Acme Foods", "")] == "Ben Ode"


def test_as_of_must_be_a_date(small_studio: Workspace, tmp_path: Path) -> None:
    for args in (("capacity",), ("export", "assignments", "x.csv")):
        for wrong in ("next monday", "2026-02-30"):
            result = studio_desk(*args, "--db", small_studio.path, "--as-of", wrong,
                                 cwd=tmp_path)
            # argparse's own usage error: the usage line, then what is wrong.
            assert result.returncode == 2 and "Traceback" not in result.stderr
            assert result.stderr.strip().splitlines()[-1].endswith(
                f"argument --as-of: “{wrong}” is not a date written YYYY-MM-DD")
    assert not (tmp_path / "x.csv").exists()
