"""Plans that split the job: leanings and role limits, a solve that holds no lock,
capacity measured against the role, and the limits a plan makes current."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from studio_desk.core.errors import ConflictError, ValidationError
from studio_desk.store import plans, records
from studio_desk.store.engine import Workspace, open_workspace

EFFECTIVE = dt.date(2026, 3, 2)


def ids(ws: Workspace) -> dict[str, int]:
    with ws.read() as s:
        return {name: records.find_id(s, "person", name) or 0
                for name in ("Ana Ruiz", "Ben Ode", "Cara Li")}


def new_plan(ws: Workspace) -> plans.PlanRow:
    with ws.write() as s:
        return plans.create_plan(s, "Split", effective_date=EFFECTIVE)


def test_first_guesses_are_used_until_leanings_are_confirmed(small_studio: Workspace) -> None:
    plan = new_plan(small_studio)
    who = ids(small_studio)
    with small_studio.write() as s:
        rows = plans.propose_plan(s, plan.id).items
    # Ana (client-facing 5, head-down 2) is guessed Account Manager: she runs no project.
    assert not [r for r in rows if r.person == "Ana Ruiz" and r.project_id is not None]
    with small_studio.write() as s:
        plans.confirm_people(s, plan.id, leaning_of={who["Ana Ruiz"]: "both"}, limits_of={})
        confirmed = plans.load_plan(s, plan.id)
    assert confirmed.leanings == {who["Ana Ruiz"]: "both", who["Ben Ode"]: "production_manager",
                                  who["Cara Li"]: "both"}


def test_role_limits_are_used_only_once_accepted(small_studio: Workspace) -> None:
    plan = new_plan(small_studio)
    who = ids(small_studio)
    with small_studio.write() as s:
        plans.confirm_people(s, plan.id, leaning_of={}, limits_of={})
        assert plans.load_plan(s, plan.id).role_limits == {}
        accepted = plans.confirm_people(s, plan.id, leaning_of={}, limits_of={},
                                        accept_suggested=True)
    # Ben is a dedicated Production Manager: twice his everyday project limits.
    assert accepted.role_limits[who["Ben Ode"]] == {
        "max_clients": 0, "max_active_projects": 12, "max_backburner_projects": 30}
    assert accepted.role_limits[who["Cara Li"]] == {
        "max_clients": 12, "max_active_projects": 6, "max_backburner_projects": 15}
    with small_studio.write() as s:
        edited = plans.confirm_people(s, plan.id, leaning_of={},
                                      limits_of={who["Ben Ode"]: {"max_active_projects": 9}})
        assert edited.role_limits[who["Ben Ode"]]["max_active_projects"] == 9
        with pytest.raises(ValidationError, match="from 0 to 10,000"):
            plans.confirm_people(s, plan.id, leaning_of={},
                                 limits_of={who["Ben Ode"]: {"max_clients": 20_000}})


def test_capacity_after_and_apply_use_the_role_limits(small_studio: Workspace) -> None:
    plan = new_plan(small_studio)
    who = ids(small_studio)
    with small_studio.write() as s:
        plans.confirm_people(s, plan.id, leaning_of={}, limits_of={},
                             accept_suggested=True)
        plans.propose_plan(s, plan.id)
        before, after = plans.capacity_before_after(s, plan.id)
    assert {c.person: c.max_active_projects for c in before}["Ben Ode"] == 6
    assert {c.person: c.max_active_projects for c in after}["Ben Ode"] == 12
    with small_studio.write() as s:
        plans.schedule_plan(s, plan.id, today=dt.date(2026, 2, 1))
        plans.apply_plan(s, plan.id)
    with small_studio.read() as s:
        ben = records.get_row(s, "person", who["Ben Ode"])
        before, after = plans.capacity_before_after(s, plan.id)
    assert (ben.max_active_projects, ben.max_backburner_projects) == (12, 30)
    assert {c.person: c.max_active_projects for c in before}["Ben Ode"] == 6
    assert {c.person: c.max_active_projects for c in after}["Ben Ode"] == 12


def test_the_solve_holds_no_lock(small_studio: Workspace, monkeypatch: pytest.MonkeyPatch,
                                 workspace_path: Path) -> None:
    plan = new_plan(small_studio)
    real_solve = plans.solve_proposal
    saved_meanwhile = []

    def solve_while_a_colleague_saves(inputs, weights=None):  # type: ignore[no-untyped-def]
        colleague = open_workspace(workspace_path, who="Colleague")
        try:
            with colleague.write() as s:  # would wait for the lock if the solve held it
                records.add_record(s, "client", {"name": "Dune Studios"})
            saved_meanwhile.append(True)
        finally:
            colleague.close()
        return real_solve(inputs, weights)

    # propose_in_workspace looks solve_proposal up in plans.proposal
    monkeypatch.setattr(plans.proposal, "solve_proposal", solve_while_a_colleague_saves)
    proposal = plans.propose_in_workspace(small_studio, plan.id)
    assert saved_meanwhile == [True]
    assert proposal.items  # saved: the colleague changed the studio, not the plan


def test_a_plan_changed_during_the_solve_is_not_overwritten(
        small_studio: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = new_plan(small_studio)
    real_solve = plans.solve_proposal

    def solve_while_the_plan_changes(inputs, weights=None):  # type: ignore[no-untyped-def]
        with small_studio.write() as s:
            plans.rename_plan(s, plan.id, "Split, take two")
        return real_solve(inputs, weights)

    monkeypatch.setattr(plans.proposal, "solve_proposal", solve_while_the_plan_changes)
    with pytest.raises(ConflictError, match="propose again"):
        plans.propose_in_workspace(small_studio, plan.id)
    with small_studio.read() as s:
        assert plans.plan_items(s, plan.id) == []
