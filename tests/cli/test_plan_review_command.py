"""``studio-desk plan review`` as scripts use it: a real process."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from studio_desk.store import plans, records
from studio_desk.store.engine import Workspace
from tests.helpers.cli import ok, one_line_error, studio_desk

EFFECTIVE = dt.date(2026, 3, 2)


def plan_of(ws: Workspace, *, apply: bool = True) -> int:
    with ws.write() as s:
        plan = plans.create_plan(s, "Spring split", effective_date=EFFECTIVE)
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id, today=dt.date(2026, 2, 1))
        if apply:
            plans.apply_plan(s, plan.id)
    return plan.id


def test_review_lists_the_roles_that_changed_hands_then_a_summary(small_studio: Workspace,
                                                                  tmp_path: Path) -> None:
    plan_id = plan_of(small_studio)
    db = small_studio.path
    with small_studio.read() as s:
        roles = len(plans.plan_items(s, plan_id))
        item = next(i for i in plans.plan_items(s, plan_id) if i.project == "Acme web shop")
    said = ok(studio_desk("plan", "review", "spring split", "--db", db, cwd=tmp_path))
    assert said == f"0 of {roles} roles have changed hands since the plan."

    other = next(p for p in ("Ana Ruiz", "Ben Ode", "Cara Li") if p != item.person)
    with small_studio.write() as s:
        shop = next(r for r in records.list_rows(s, "project") if r.name == "Acme web shop")
        records.update_record(s, "project", shop.id, shop.version, {"manager": other})
    said = ok(studio_desk("plan", "review", "Spring split", "--db", db,
                          "--as-of", dt.date.today().isoformat(), cwd=tmp_path))
    lines = said.splitlines()
    assert lines[0].split() == ["Client", "Project", "Role", "In", "the", "plan", "Now"]
    assert lines[1].startswith("Acme Foods") and "Acme web shop" in lines[1]
    assert "Production Manager" in lines[1]
    assert lines[1].endswith(other) and f"{item.person} " in lines[1]
    assert lines[2] == ""
    assert lines[3].split()[0] == "Person"
    assert {line.split("  ")[0] for line in lines[4:6]} == {item.person, other}
    assert lines[-1] == f"1 of {roles} roles has changed hands since the plan."


def test_review_refuses_a_draft_or_an_unknown_plan(small_studio: Workspace,
                                                  tmp_path: Path) -> None:
    plan_of(small_studio, apply=False)
    db = small_studio.path
    line = one_line_error(studio_desk("plan", "review", "Spring split", "--db", db,
                                      cwd=tmp_path))
    assert "not applied yet" in line and str(db) in line
    line = one_line_error(studio_desk("plan", "review", "Autumn", "--db", db, cwd=tmp_path))
    assert "no plan named “Autumn”" in line
