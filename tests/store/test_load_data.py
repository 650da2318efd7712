"""Reading the load figures from a real workspace: assignments, plans, progress."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from studio_desk.core.errors import NotFoundError
from studio_desk.store import plans, records
from studio_desk.store.engine import Workspace
from studio_desk.store.load_data import (
    read_load_inputs,
    read_open_plans,
    read_plan_changes,
    read_plan_names,
    read_studio_load,
    studio_load_of,
)
from studio_desk.store.models import Assignment, Role

AS_OF = dt.date(2026, 3, 4)
DAY = dt.timedelta(days=1)


def assign(ws: Workspace, role: str, person: str, start: dt.date, end: dt.date | None = None,
           *, client: str | None = None, project: str | None = None) -> None:
    with ws.write() as s:
        role_id = s.scalar(select(Role.id).where(Role.key == role))
        s.add(Assignment(role_id=role_id, person_id=records.find_id(s, "person", person),
                         client_id=records.find_id(s, "client", client) if client else None,
                         project_id=records.find_id(s, "project", project)
                         if project else None, start=start, end=end))


def figures(ws: Workspace, as_of: dt.date = AS_OF) -> dict[str, tuple[object, ...]]:
    with ws.read() as s:
        load = read_studio_load(s, as_of)
    return {p.name: (p.today.active_projects, p.today.backburner_projects, p.today.clients,
                     round(p.today.allocated_hours, 2)) for p in load.people}


def test_clients_held_are_the_account_manager_assignments_current_that_day(
        small_studio: Workspace) -> None:
    assign(small_studio, "account_manager", "Ana Ruiz", dt.date(2025, 1, 6),
           client="Acme Foods")  # open
    assign(small_studio, "account_manager", "Ana Ruiz", dt.date(2024, 1, 1), AS_OF - DAY,
           client="Borealis Bank")  # ended yesterday
    assign(small_studio, "account_manager", "Ben Ode", AS_OF, client="Borealis Bank")
    assign(small_studio, "account_manager", "Cara Li", dt.date(2025, 6, 1), AS_OF + 10 * DAY,
           client="Cobalt Museum")  # ends in the future: still hers today
    assign(small_studio, "account_manager", "Ben Ode", AS_OF + 11 * DAY,
           client="Cobalt Museum")  # not yet
    # Production Manager assignments are not clients held.
    assign(small_studio, "production_manager", "Cara Li", dt.date(2026, 1, 5),
           project="Acme web shop")

    assert figures(small_studio) == {
        # The annual report (no dates: 60 h over 12 weeks) and the spring campaign.
        "Ana Ruiz": (1, 1, 1, 5.0),
        # The web shop: 120 h from 5 January to 29 March, 10 h a week.
        "Ben Ode": (1, 0, 1, 10.0),
        "Cara Li": (0, 0, 1, 0.0),
    }
    # Three weeks later Cara's assignment has ended and Ben holds both.
    assert figures(small_studio, AS_OF + 21 * DAY)["Ben Ode"][2] == 2
    assert figures(small_studio, AS_OF + 21 * DAY)["Cara Li"][2] == 0


def test_the_weeks_see_assignments_that_end_or_start_within_them(
        small_studio: Workspace) -> None:
    assign(small_studio, "account_manager", "Ana Ruiz", dt.date(2024, 1, 1), AS_OF + 8 * DAY,
           client="Acme Foods")
    assign(small_studio, "account_manager", "Cara Li", AS_OF + 9 * DAY, client="Acme Foods")
    assign(small_studio, "account_manager", "Cara Li", dt.date(2020, 1, 1),
           dt.date(2021, 1, 1), client="Borealis Bank")  # long over: not even read
    with small_studio.read() as s:
        inputs = read_load_inputs(s, AS_OF)
        load = read_studio_load(s, AS_OF)
    assert len(inputs.holds) == 2
    ana, cara = load.person("Ana Ruiz"), load.person("Cara Li")
    assert [w.clients for w in ana.weeks[:3]] == [1, 1, 0]  # until Thursday of week 1
    assert [w.clients for w in cara.weeks[:3]] == [0, 1, 1]  # from Friday of week 1


def test_projects_and_clients_needing_someone(small_studio: Workspace) -> None:
    with small_studio.write() as s:
        records.update_record(s, "person", records.find_id(s, "person", "Ben Ode"), 1,
                              {"active": False})
    with small_studio.read() as s:
        load = read_studio_load(s, AS_OF)
    assert [(u.project.name, u.reason) for u in load.unmanaged_projects] == [
        ("Acme web shop", "Ben Ode is no longer active"),
        ("Cobalt exhibition app", "no manager"),
    ]
    assert [(c.name, c.open_projects) for c in load.clients_without_account_manager] == [
        ("Acme Foods", 2), ("Borealis Bank", 1), ("Cobalt Museum", 1)]


def test_a_plans_changes_are_its_items_and_its_load_matches_the_plan_services(
        small_studio: Workspace) -> None:
    assign(small_studio, "account_manager", "Ben Ode", dt.date(2025, 1, 6),
           client="Acme Foods")
    with small_studio.write() as s:
        plan = plans.create_plan(s, "Spring split", effective_date=dt.date(2026, 4, 6))
        items = plans.propose_plan(s, plan.id).items
        cara = records.find_id(s, "person", "Cara Li")
        web_shop = next(i for i in items if i.item_name == "Acme web shop")
        plans.override_item(s, plan.id, web_shop.id, cara)
    today = dt.date.today()
    with small_studio.read() as s:
        changes = read_plan_changes(s, plan.id)
        stored = plans.plan_items(s, plan.id)
        inputs = read_load_inputs(s, today)
        before, after = plans.capacity_before_after(s, plan.id)
    assert changes.project_managers == {i.project_id: i.person for i in stored
                                        if i.project_id is not None}
    assert changes.account_managers == {i.client_id: i.person for i in stored
                                        if i.project_id is None}
    assert changes.project_managers[web_shop.project_id] == "Cara Li"

    def same(figures: object) -> dict[str, tuple[object, ...]]:
        return {c.person: (c.active_projects, c.backburner_projects, c.clients,
                           round(c.allocated_hours, 6)) for c in figures}  # type: ignore

    now = studio_load_of(inputs, today)
    under = studio_load_of(inputs, today, plan=changes)
    assert same(p.today for p in now.people) == same(before)
    assert same(p.today for p in under.people) == same(after)


def test_an_unknown_plan_is_a_clear_error(workspace: Workspace) -> None:
    with workspace.read() as s, pytest.raises(NotFoundError, match="no longer exists"):
        read_plan_changes(s, 999)


def test_open_plans_with_their_progress(small_studio: Workspace) -> None:
    with small_studio.write() as s:
        empty = plans.create_plan(s, "Just started")
        applied = plans.create_plan(s, "Spring split", effective_date=dt.date(2026, 3, 2))
        plans.propose_plan(s, applied.id)
        plans.schedule_plan(s, applied.id, today=dt.date(2026, 2, 1))
        plans.apply_plan(s, applied.id)
        talks = plans.plan_conversations(s, applied.id)
        plans.set_conversation_status(s, talks[0].id, "settled")
        plans.set_conversation_status(s, talks[1].id, "informed")
        draft = plans.create_plan(s, "Autumn split")
        proposal = plans.propose_plan(s, draft.id)
        done = plans.create_plan(s, "Finished", effective_date=dt.date(2026, 3, 9))
        plans.propose_plan(s, done.id)
        plans.schedule_plan(s, done.id, today=dt.date(2026, 2, 1))
        plans.apply_plan(s, done.id)
        for talk in plans.plan_conversations(s, done.id):
            plans.set_conversation_status(s, talk.id, "settled")
    with small_studio.read() as s:
        found = {p.name: p for p in read_open_plans(s)}
        names = read_plan_names(s)
    # Drafts first, then applied ones; a plan whose every client is settled is done.
    assert list(found) == ["Autumn split", "Just started", "Spring split"]
    assert found["Just started"].progress_text() == "Draft at step “start”"
    assert "nothing proposed yet" in found["Just started"].description()
    autumn = found["Autumn split"]
    assert autumn.items == len(proposal.items) == 6  # 3 clients, 3 running projects
    assert autumn.progress_text() == f"Draft: {autumn.changes} of 6 roles change"
    spring = found["Spring split"]
    assert (spring.status, spring.informed, spring.settled, spring.conversations) == (
        "applied", 2, 1, 3)
    assert spring.progress_text() == "2 of 3 clients informed"
    assert spring.description() == ("Spring split: applied, effective 2026-03-02; 2 of 3 "
                                    "clients informed, 1 settled.")
    assert names == [(draft.id, "Autumn split", "draft"), (empty.id, "Just started", "draft"),
                     (applied.id, "Spring split", "applied"), (done.id, "Finished", "done")]
