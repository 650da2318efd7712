"""One effective date: every role an applied plan changes changes hands on that day.

Applied ahead of its date, a plan writes the assignment history at once but leaves what
the studio reads as *today's* (each project's manager, each person's limits) alone: the
dashboard, the capacity figures, the exports and the next proposal read the workspace as
of a day, and the catch-up makes the plan's people current when the day comes.

"Today" is passed explicitly everywhere. The dates are far ahead on purpose: the audit
log is stamped by the computer's clock, and in real use every recorded change happens
before the days the plan looks ahead to, as it does here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select, update

from studio_desk.core.load import capacity_csv_rows, capacity_table
from studio_desk.core.rows import PersonRow, ProjectRow
from studio_desk.gui.dashboard import read_dashboard
from studio_desk.store import holders, plans, records
from studio_desk.store.engine import Workspace
from studio_desk.store.load_data import read_studio_load
from studio_desk.store.models import Assignment, AuditEntry, Person, Plan, Role
from studio_desk.store.transfer import export_rows

TODAY = dt.date(2090, 2, 1)
EFFECTIVE = dt.date(2090, 3, 6)  # a Monday, five weeks on
DAY = dt.timedelta(days=1)
LIMITS = ("max_clients", "max_active_projects", "max_backburner_projects")


def assign(ws: Workspace, role: str, person: str, start: dt.date, *,
           client: str | None = None, project: str | None = None) -> None:
    with ws.write() as s:
        s.add(Assignment(role_id=s.scalar(select(Role.id).where(Role.key == role)),
                         person_id=records.find_id(s, "person", person),
                         client_id=records.find_id(s, "client", client) if client else None,
                         project_id=records.find_id(s, "project", project)
                         if project else None, start=start))


@pytest.fixture
def studio(small_studio: Workspace) -> Workspace:
    """The small studio with every role recorded as an assignment: Ben holds Acme,
    Ana holds Borealis (Cobalt has no Account Manager), each project's manager holds it."""
    assign(small_studio, "account_manager", "Ben Ode", dt.date(2025, 1, 6), client="Acme Foods")
    assign(small_studio, "account_manager", "Ana Ruiz", dt.date(2024, 3, 4),
           client="Borealis Bank")
    for project, manager in (("Acme web shop", "Ben Ode"), ("Acme spring campaign", "Ana Ruiz"),
                             ("Borealis annual report", "Ana Ruiz")):
        assign(small_studio, "production_manager", manager, dt.date(2026, 1, 5),
               project=project)
    return small_studio


def person_id(ws: Workspace, name: str) -> int:
    with ws.read() as s:
        found = records.find_id(s, "person", name)
    assert found is not None
    return found


def item_for(items: tuple[plans.PlanItemRow, ...], name: str) -> plans.PlanItemRow:
    return next(i for i in items if i.item_name == name)


def make_plan(ws: Workspace, *, leave_empty: str | None = None) -> tuple[plans.PlanRow, ...]:
    """A split dated EFFECTIVE: Ana takes the clients (Acme from Ben), Cara the web shop,
    and everyone's limits become those suggested for their role. Returns the plan and
    its rows."""
    ana, cara = person_id(ws, "Ana Ruiz"), person_id(ws, "Cara Li")
    with ws.write() as s:
        plan = plans.create_plan(s, "Spring split", effective_date=EFFECTIVE)
        plans.confirm_people(s, plan.id, leaning_of={}, limits_of={}, accept_suggested=True)
        rows = plans.propose_plan(s, plan.id).items
        plans.override_item(s, plan.id, item_for(rows, "Acme Foods").id, ana)
        plans.override_item(s, plan.id, item_for(rows, "Acme web shop").id, cara)
        if leave_empty:
            plans.override_item(s, plan.id, item_for(rows, leave_empty).id, None)
        plans.schedule_plan(s, plan.id, today=TODAY)
        return (plans.load_plan(s, plan.id), *plans.plan_items(s, plan.id))


def apply(ws: Workspace, plan: plans.PlanRow, today: dt.date) -> plans.AppliedPlan:
    with ws.write() as s:
        return plans.apply_plan(s, plan.id, today=today)


def seen(ws: Workspace, day: dt.date, today: dt.date) -> dict[str, Any]:
    """Everything that says who holds what, as of ``day`` when it is ``today``."""
    with ws.read() as s:
        load = read_studio_load(s, day, today=today)
        dashboard = read_dashboard(s, day, with_comparison=False, today=today)
        names = {p.id: p.name for p in records.list_rows(s, "person")}
        return {
            "capacity": capacity_table([p.today for p in load.people], load.today_total),
            "capacity_csv": capacity_csv_rows(p.today for p in load.people),
            "weeks": [[(c.active_projects, c.clients) for c in p.weeks] for p in load.people],
            "dashboard": (
                capacity_csv_rows(p.today for p in dashboard.load.people),
                [(u.project.name, u.reason) for u in dashboard.load.unmanaged_projects],
                [(c.name, c.reason) for c in dashboard.load.clients_without_account_manager]),
            "assignments": export_rows(s, "assignments", as_of=day, today=today),
            "projects": export_rows(s, "projects", as_of=day, today=today),
            "people": export_rows(s, "people", as_of=day, today=today),
            "account_managers": plans.current_account_managers(s, day),
            "managers": {names.get(pid or 0) for pid in
                         holders.managers_on(s, day, today=today).values()},
        }


def stored(ws: Workspace) -> dict[str, Any]:
    """Each project's manager and each person's limits as the workspace stores them."""
    with ws.read() as s:
        return {
            "managers": {r.name: r.manager for r in records.list_rows(s, "project")
                         if isinstance(r, ProjectRow)},
            "limits": {r.name: tuple(getattr(r, k) for k in LIMITS)
                       for r in records.list_rows(s, "person") if isinstance(r, PersonRow)},
        }


def planned(ws: Workspace, items: tuple[plans.PlanItemRow, ...]) -> dict[str, Any]:
    """What the plan says: Production Managers by project, Account Managers by client,
    everyone's limits for their role."""
    with ws.read() as s:
        plan = s.get(Plan, items[0].plan_id)
        assert plan is not None
        limits = plans.load_plan(s, plan.id).role_limits
        names = {p.id: p.name for p in records.list_rows(s, "person")}
    return {
        "managers": {i.item_name: i.person for i in items if i.project_id is not None},
        "account_managers": {i.client_id: i.person for i in items
                             if i.project_id is None and i.person is not None},
        "limits": {names[pid]: tuple(v[k] for k in LIMITS) for pid, v in limits.items()},
    }


def check_history(ws: Workspace, items: tuple[plans.PlanItemRow, ...]) -> None:
    """Every role the plan changes: the previous holder's assignment ends the day before
    the effective date, the new holder's starts on it; nothing else ends."""
    with ws.read() as s:
        rows = s.execute(select(Role.key, Assignment.client_id, Assignment.project_id,
                                Assignment.person_id, Assignment.start, Assignment.end)
                         .join(Role, Role.id == Assignment.role_id)).all()
    for item in items:
        mine = [(r.person_id, r.start, r.end) for r in rows if r.key == item.role
                and (r.project_id == item.project_id if item.project_id is not None
                     else r.client_id == item.client_id and r.project_id is None)]
        if not item.changed:
            assert [end for _p, _s, end in mine] == [None], item.item_name
            continue
        if item.previous_person_id is not None:
            ended = [end for p, _s, end in mine if p == item.previous_person_id]
            assert ended == [EFFECTIVE - DAY], item.item_name
        if item.person_id is not None:
            assert (item.person_id, EFFECTIVE, None) in mine, item.item_name
        assert [p for p, _s, end in mine if end is None] == (
            [item.person_id] if item.person_id is not None else []), item.item_name


# --------------------------------------------------------------------------- ahead


def test_a_plan_applied_ahead_of_its_date_changes_nothing_today(studio: Workspace) -> None:
    plan, *rows = make_plan(studio)
    items = tuple(rows)
    assert sum(i.changed for i in items) >= 3  # Acme, the web shop, Ana's projects
    before = seen(studio, TODAY, TODAY)
    before_stored = stored(studio)
    with studio.read() as s:
        before_load = read_dashboard(s, TODAY, with_comparison=False, today=TODAY).load

    applied = apply(studio, plan, TODAY)
    assert applied.plan.status == "applied"

    # Today, everything reads as it did: capacity, the dashboard, the exports (the weeks
    # ahead now show the change coming: see the next test).
    after = seen(studio, TODAY, TODAY)
    assert after.pop("weeks") != before.pop("weeks")
    assert after == before
    with studio.read() as s:
        load = read_dashboard(s, TODAY, with_comparison=False, today=TODAY).load
    def today_of(people: tuple[Any, ...]) -> list[Any]:
        # What makes up each figure (a client's "until" now shows the day before the date).
        return [(p.person, p.today, p.projects,
                 [(i.kind, i.name, i.weekly_hours) for i in p.items_today()]) for p in people]

    assert today_of(load.people) == today_of(before_load.people)
    assert any(i.end == EFFECTIVE - DAY for i in load.person("Ben Ode").items_today())
    assert (load.today_total, load.unmanaged_projects,
            load.clients_without_account_manager) == (
        before_load.today_total, before_load.unmanaged_projects,
        before_load.clients_without_account_manager)
    # ... up to the day before the plan's date, and what is stored has not moved.
    assert seen(studio, EFFECTIVE - DAY, TODAY)["capacity"] == before["capacity"]
    assert stored(studio) == before_stored
    # The history is written already, dated from the effective date.
    check_history(studio, items)


def test_as_of_the_effective_date_the_plans_people_hold_its_roles(studio: Workspace) -> None:
    plan, *rows = make_plan(studio)
    items = tuple(rows)
    want = planned(studio, items)
    apply(studio, plan, TODAY)

    on_the_day = seen(studio, EFFECTIVE, TODAY)
    exported = {r["name"]: r["manager"] for r in on_the_day["projects"]}
    assert {name: exported[name] or None for name in want["managers"]} == want["managers"]
    assert {k: v for k, v in on_the_day["account_managers"].items()} == \
        want["account_managers"]
    people = {r["name"]: tuple(int(r[k]) for k in LIMITS) for r in on_the_day["people"]}
    assert {name: people[name] for name in want["limits"]} == want["limits"]
    holders_of = {(r["client"], r["project"]): (r["person"], r["previous_person"])
                  for r in on_the_day["assignments"]}
    assert holders_of[("Acme Foods", "")] == ("Ana Ruiz", "Ben Ode")
    assert holders_of[("Acme Foods", "Acme web shop")] == ("Cara Li", "Ben Ode")
    # Capacity on the day counts the plan's clients and projects against its limits.
    figures = {r["person"]: r for r in on_the_day["capacity_csv"]}
    for name, (max_clients, max_active, _max_backburner) in want["limits"].items():
        held = sum(1 for person in want["account_managers"].values() if person == name)
        assert (int(figures[name]["clients"]), int(figures[name]["max_clients"]),
                int(figures[name]["max_active_projects"])) == (held, max_clients, max_active)
    # Today's heat map shows the change coming: Ben holds Acme and manages the web shop
    # in every week before the date, Cara manages it from the week of the date, each
    # measured against the limits of the job they do that week.
    with studio.read() as s:
        load = read_studio_load(s, TODAY, today=TODAY)
    ben, cara = load.person("Ben Ode"), load.person("Cara Li")
    weeks = list(enumerate(ben.week_starts))
    assert EFFECTIVE in ben.week_starts  # a Monday within the twelve weeks
    assert [ben.weeks[i].clients for i, _w in weeks] == [
        1 if week < EFFECTIVE else 0 for _i, week in weeks]
    assert ["Acme web shop" in {item.name for item in ben.items_in_week(i)}
            for i, _w in weeks] == [week < EFFECTIVE for _i, week in weeks]
    assert ["Acme web shop" in {item.name for item in cara.items_in_week(i)}
            for i, _w in weeks] == [week >= EFFECTIVE for _i, week in weeks]
    ben_limit = want["limits"]["Ben Ode"][1]
    assert [ben.weeks[i].max_active_projects for i, _w in weeks] == [
        ben.today.max_active_projects if week < EFFECTIVE else ben_limit
        for _i, week in weeks]


def test_when_the_day_comes_the_managers_and_limits_follow(studio: Workspace) -> None:
    plan, *rows = make_plan(studio)
    items = tuple(rows)
    want = planned(studio, items)
    before_stored = stored(studio)
    apply(studio, plan, TODAY)
    expected = seen(studio, EFFECTIVE, TODAY)

    with studio.write() as s:
        assert not holders.catch_up(s, EFFECTIVE - DAY)  # not yet
    assert stored(studio) == before_stored
    with studio.read() as s:
        assert holders.is_due(s, EFFECTIVE)
    with studio.write() as s:
        caught = holders.catch_up(s, EFFECTIVE)
    moved = {i.item_name for i in items if i.project_id is not None and i.changed}
    assert caught.projects == len(moved) and caught.people >= 1

    now = stored(studio)
    assert {name: now["managers"][name] for name in want["managers"]} == want["managers"]
    assert {name: now["limits"][name] for name in want["limits"]} == want["limits"]
    # Read as of the day once it has come, everything is what it was said to be ahead.
    after = seen(studio, EFFECTIVE, EFFECTIVE)
    assert {k: v for k, v in after.items() if k not in ("projects", "people")} == \
        {k: v for k, v in expected.items() if k not in ("projects", "people")}
    assert after["projects"] == expected["projects"]
    assert after["people"] == expected["people"]
    # The change is in the audit log, under the name of who applied the plan.
    with studio.read() as s:
        logged = s.execute(select(AuditEntry.who, AuditEntry.entity_id)
                           .where(AuditEntry.entity == "project",
                                  AuditEntry.field == "manager_id")).all()
        waiting = s.get(Plan, plan.id)
        assert waiting is not None and holders.SCHEDULED_LIMITS not in waiting.state
    assert len(logged) == len(moved) and {who for who, _id in logged} == {"Tester"}
    # Nothing more to do, that day or later; the history is as it was written.
    with studio.write() as s:
        assert not holders.catch_up(s, EFFECTIVE)
        assert not holders.catch_up(s, EFFECTIVE + 30 * DAY)
    check_history(studio, items)


@pytest.mark.parametrize("today", [EFFECTIVE, EFFECTIVE + 10 * DAY], ids=["on", "after"])
def test_applied_on_or_after_its_date_everything_changes_at_once(
        studio: Workspace, today: dt.date) -> None:
    plan, *rows = make_plan(studio)
    items = tuple(rows)
    want = planned(studio, items)
    apply(studio, plan, today)

    now = stored(studio)
    assert {name: now["managers"][name] for name in want["managers"]} == want["managers"]
    assert {name: now["limits"][name] for name in want["limits"]} == want["limits"]
    with studio.read() as s:
        state = s.get(Plan, plan.id)
        assert state is not None and holders.SCHEDULED_LIMITS not in state.state
        assert not holders.is_due(s, today)
    assert seen(studio, today, today)["account_managers"] == want["account_managers"]
    check_history(studio, items)


# --------------------------------------------------------------------------- edge cases


def test_a_role_left_empty_on_purpose_is_empty_from_the_date(studio: Workspace) -> None:
    plan, *rows = make_plan(studio, leave_empty="Acme spring campaign")
    apply(studio, plan, TODAY)
    assert stored(studio)["managers"]["Acme spring campaign"] == "Ana Ruiz"
    assert seen(studio, TODAY, TODAY)["projects"] == seen(studio, TODAY - DAY, TODAY)[
        "projects"]
    with studio.read() as s:
        reasons = {u.project.name: u.reason for u in read_studio_load(
            s, EFFECTIVE, today=TODAY).unmanaged_projects}
    assert reasons["Acme spring campaign"] == "no manager"
    with studio.write() as s:
        holders.catch_up(s, EFFECTIVE)
    assert stored(studio)["managers"]["Acme spring campaign"] is None
    check_history(studio, tuple(rows))


def test_a_manager_chosen_by_hand_after_the_change_stands(studio: Workspace) -> None:
    plan, *_rows = make_plan(studio)
    ben = person_id(studio, "Ben Ode")
    apply(studio, plan, TODAY)
    with studio.write() as s:
        holders.catch_up(s, EFFECTIVE)
        web = records.get_row(s, "project", records.find_id(s, "project", "Acme web shop")
                              or 0)
        records.update_record(s, "project", web.id, web.version, {"manager": "Ben Ode"})
        # The edit was made three days after the change took effect.
        s.execute(update(AuditEntry).where(
            AuditEntry.entity == "project", AuditEntry.entity_id == web.id,
            AuditEntry.field == "manager_id", AuditEntry.new == str(ben))
            .values(at=dt.datetime(2090, 3, 9, 10)))
    with studio.read() as s:
        assert not holders.is_due(s, EFFECTIVE + 10 * DAY)
        assert holders.manager_changes_on(s, EFFECTIVE + 10 * DAY,
                                          today=EFFECTIVE + 10 * DAY) == {}
    assert stored(studio)["managers"]["Acme web shop"] == "Ben Ode"


def test_a_manager_chosen_by_hand_before_the_date_gives_way_to_the_plan(
        studio: Workspace) -> None:
    plan, *_rows = make_plan(studio)
    apply(studio, plan, TODAY)
    with studio.write() as s:
        web = records.get_row(s, "project", records.find_id(s, "project", "Acme web shop")
                              or 0)
        records.update_record(s, "project", web.id, web.version, {"manager": "Ana Ruiz"})
    # Until the date, today's manager is the one chosen by hand...
    with studio.read() as s:
        load = read_studio_load(s, TODAY, today=TODAY)
    assert [p.name for p in load.person("Ana Ruiz").projects].count("Acme web shop") == 1
    # ... from it, the plan's: the history says so, and it was written for that day.
    with studio.write() as s:
        holders.catch_up(s, EFFECTIVE)
    assert stored(studio)["managers"]["Acme web shop"] == "Cara Li"


def test_the_managers_follow_even_if_the_plan_is_deleted(studio: Workspace) -> None:
    plan, *rows = make_plan(studio)
    want = planned(studio, tuple(rows))
    apply(studio, plan, TODAY)
    with studio.write() as s:
        plans.delete_plan(s, plan.id)
        holders.catch_up(s, EFFECTIVE)
    now = stored(studio)
    assert {name: now["managers"][name] for name in want["managers"]} == want["managers"]


def test_catching_up_a_workspace_writes_only_when_something_is_due(
        studio: Workspace) -> None:
    plan, *_rows = make_plan(studio)
    apply(studio, plan, TODAY)
    with studio.read() as s:
        last = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
        versions = dict(s.execute(select(Person.id, Person.version)).all())
    assert not holders.catch_up_workspace(studio, TODAY)
    with studio.read() as s:
        assert s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) == last
        assert dict(s.execute(select(Person.id, Person.version)).all()) == versions
    assert holders.catch_up_workspace(studio, EFFECTIVE)
    assert not holders.catch_up_workspace(studio, EFFECTIVE)


def test_the_weeks_ahead_count_a_project_for_whoever_manages_it_that_week() -> None:
    """``core.load`` given the changes ahead: each week counts a project for whoever
    manages it on some day of it, once, against the limits in force that week."""
    from studio_desk.core.load import studio_load

    ana = PersonRow(1, 1, "Ana Ruiz", max_active_projects=2)
    ben = PersonRow(2, 1, "Ben Ode")
    shop = ProjectRow(10, 1, "Acme Foods", "Acme web shop", estimated_hours=120,
                      start=TODAY, due=TODAY + 83 * DAY, manager="Ana Ruiz")
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    handed_on, back = monday + 15 * DAY, monday + 18 * DAY  # both within week 2
    load = studio_load(
        [ana, ben], [shop], [], {}, as_of=TODAY,
        managers_ahead={shop.id: [(handed_on, "Ben Ode"), (back, "Ana Ruiz"),
                                  (monday + 35 * DAY, "Ben Ode")]},
        limits_ahead={ana.id: [(monday + 14 * DAY, replace(ana, max_active_projects=0))]})
    ana_weeks = [w.active_projects for w in load.person("Ana Ruiz").weeks]
    ben_weeks = [w.active_projects for w in load.person("Ben Ode").weeks]
    assert ana_weeks == [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert ben_weeks == [0, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1]
    assert [w.max_active_projects for w in load.person("Ana Ruiz").weeks] == [2, 2] + [0] * 10
    assert load.person("Ana Ruiz").today.active_projects == 1
    assert [i.name for i in load.person("Ben Ode").items_in_week(2)] == ["Acme web shop"]
    assert load.person("Ben Ode").items_in_week(3) == ()
