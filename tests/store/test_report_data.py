"""Gathering a plan's facts for the printed plan, in one read of the workspace."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from studio_desk.core.errors import NotFoundError
from studio_desk.store import plans
from studio_desk.store.engine import Workspace
from studio_desk.store.report_data import gather_plan_facts, plan_id_by_name, studio_name


@pytest.fixture
def planned(small_studio: Workspace) -> tuple[Workspace, int]:
    with small_studio.write() as s:
        plan = plans.create_plan(s, "Spring split", effective_date=dt.date(2026, 4, 6))
        plans.save_step(s, plan.id, "responsibilities",
                        {"categories": {"Answer calls": "client", "Review work": "project"}},
                        "people")
        plans.save_step(s, plan.id, "tell_clients",
                        {"template": "Why the change\nHello {client}."}, "tell_clients")
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id, today=dt.date(2026, 3, 2))
    return small_studio, plan.id


def test_the_studio_is_named_after_the_workspace_file() -> None:
    assert studio_name(Path("/shared/North Studio.studiodesk")) == "North Studio"


def test_a_plan_is_found_by_name_or_the_error_lists_the_plans(planned) -> None:
    workspace, plan_id = planned
    with workspace.read() as s:
        assert plan_id_by_name(s, "spring SPLIT") == plan_id
        with pytest.raises(NotFoundError, match="no plan named “Autumn”; the plans are: "
                                                "Spring split"):
            plan_id_by_name(s, "Autumn")


def test_the_facts_are_the_plan_as_the_workspace_holds_it(planned) -> None:
    workspace, plan_id = planned
    with workspace.read() as s:
        facts = gather_plan_facts(s, plan_id, studio="North Studio",
                                  printed_on=dt.date(2026, 3, 2))
        items = plans.plan_items(s, plan_id)
        talks = plans.plan_conversations(s, plan_id)
    assert (facts.plan, facts.status, facts.owner, facts.effective_date) == (
        "Spring split", "draft", "Tester", dt.date(2026, 4, 6))
    assert [(i.role, i.client, i.project, i.person) for i in facts.items] == [
        (i.role, i.client, i.project, i.person) for i in items]
    # Every client gets an Account Manager, even one with only a pitch under way.
    assert [c.name for c in facts.clients] == ["Acme Foods", "Borealis Bank",
                                               "Cobalt Museum"]
    assert facts.clients[0].industry == "Food & drink"
    assert [c.client for c in facts.conversations] == [t.client for t in talks]
    # The saved template is the one for a new Account Manager: Borealis Bank gets one
    # (Ben knows it and introduces Ana); Acme Foods keeps Ana and gets its own text.
    talked = {c.client: c for c in facts.conversations}
    assert talked["Borealis Bank"].talking_points == "Why the change\nHello Borealis Bank."
    assert talked["Borealis Bank"].introduces == "Ana Ruiz"
    assert "Ana Ruiz stays your Account Manager" in talked["Acme Foods"].talking_points
    assert [h.kind for h in facts.handovers] == ["client", "project"]
    assert facts.talking_points == "Why the change\nHello {client}."
    assert facts.responsibilities == (("Answer calls", "client"), ("Review work", "project"))
    assert {c.person for c in facts.capacity_before} == {"Ana Ruiz", "Ben Ode", "Cara Li"}
    assert [p.name for p in facts.people] == ["Ana Ruiz", "Ben Ode", "Cara Li"]
    assert facts.template is not None and facts.template.key == "account_production"
    assert all(isinstance(v, float) for v in facts.shortfall.values())


def test_an_applied_plan_still_shows_the_load_before_it(planned) -> None:
    workspace, plan_id = planned
    with workspace.write() as s:
        plans.apply_plan(s, plan_id)
    with workspace.read() as s:
        facts = gather_plan_facts(s, plan_id, studio="North Studio")
    for name in ("Ana Ruiz", "Ben Ode", "Cara Li"):
        before = next(c for c in facts.capacity_before if c.person == name)
        after = next(c for c in facts.capacity_after if c.person == name)
        # The plan's rows say who held each role before and who holds it now.
        assert before.clients == sum(1 for i in facts.items if i.role == "account_manager"
                                     and i.previous_person == name)
        assert after.clients == sum(1 for i in facts.items if i.role == "account_manager"
                                    and i.person == name)
        assert before.active_projects + before.backburner_projects == sum(
            1 for i in facts.items if i.role == "production_manager"
            and i.previous_person == name)
    assert facts.capacity_before != facts.capacity_after
