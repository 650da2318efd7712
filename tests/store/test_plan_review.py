"""Reviewing an applied plan: its review date, and how the studio moved since."""

from __future__ import annotations

import datetime as dt

import pytest

from studio_desk.core.errors import PlanStateError
from studio_desk.store import plans, records
from studio_desk.store.engine import Workspace

EFFECTIVE = dt.date(2026, 3, 2)


def applied_plan(ws: Workspace, name: str = "Spring split", *,
                 effective: dt.date = EFFECTIVE, apply: bool = True) -> int:
    with ws.write() as s:
        plan = plans.create_plan(s, name, effective_date=effective)
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id, today=effective - dt.timedelta(days=30))
        if apply:
            plans.apply_plan(s, plan.id)
    return plan.id


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
    (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
    (dt.date(2026, 3, 2), 6, dt.date(2026, 9, 2)),
    (dt.date(2026, 7, 15), 6, dt.date(2027, 1, 15)),
    (dt.date(2026, 12, 31), 2, dt.date(2027, 2, 28)),
])
def test_months_are_added_with_the_day_kept_within_the_month(day, months, expected):
    assert plans.add_months(day, months) == expected


def test_an_applied_plan_is_reviewed_six_months_after_its_effective_date(small_studio):
    plan_id = applied_plan(small_studio, effective=dt.date(2026, 8, 31))
    draft_id = applied_plan(small_studio, "Draft", apply=False)
    with small_studio.read() as s:
        assert plans.review_date(plans.load_plan(s, plan_id)) == dt.date(2027, 2, 28)
        assert plans.review_date(plans.load_plan(s, draft_id)) is None


def test_the_review_date_can_be_moved_and_is_kept_in_the_plans_state(small_studio):
    plan_id = applied_plan(small_studio)
    with small_studio.read() as s:
        before = plans.load_plan(s, plan_id)
    with small_studio.write() as s:
        moved = plans.set_review_date(s, plan_id, dt.date(2026, 6, 1))
    assert moved.version == before.version + 1
    with small_studio.read() as s:
        plan = plans.load_plan(s, plan_id)
        assert plans.review_date(plan) == dt.date(2026, 6, 1)
        # The limits kept by apply, and the wizard's pages, are untouched.
        assert plan.state == before.state
    with small_studio.write() as s:
        plans.set_review_date(s, plan_id, None)
    with small_studio.read() as s:
        assert plans.review_date(plans.load_plan(s, plan_id)) == dt.date(2026, 9, 2)
        # A copy is a draft: it has no review date.
        assert plans.review_date(plans.copy_plan(s, plan_id)) is None


def test_a_draft_has_no_review_date_to_set(small_studio):
    draft_id = applied_plan(small_studio, apply=False)
    with small_studio.write() as s, pytest.raises(PlanStateError, match="not applied yet"):
        plans.set_review_date(s, draft_id, dt.date(2026, 9, 1))
    with small_studio.read() as s, pytest.raises(PlanStateError, match="not applied yet"):
        plans.plan_review(s, draft_id)


def test_plans_are_due_for_review_on_their_review_date(small_studio):
    spring = applied_plan(small_studio)
    applied_plan(small_studio, "Draft", apply=False)
    with small_studio.read() as s:
        assert plans.plans_due_for_review(s, dt.date(2026, 9, 1)) == []
        due = plans.plans_due_for_review(s, dt.date(2026, 9, 2))
        assert [p.name for p in due] == ["Spring split"]
    with small_studio.write() as s:
        plans.set_review_date(s, spring, dt.date(2027, 1, 10))
    with small_studio.read() as s:
        assert plans.plans_due_for_review(s, dt.date(2026, 12, 31)) == []
        assert [p.id for p in plans.plans_due_for_review(s, dt.date(2027, 1, 10))] == [spring]


def test_the_review_shows_a_manager_changed_by_hand_since_the_plan(small_studio):
    plan_id = applied_plan(small_studio)
    with small_studio.read() as s:
        review = plans.plan_review(s, plan_id)
        shop_item = next(i for i in plans.plan_items(s, plan_id)
                         if i.project == "Acme web shop")
    assert review.changed == ()
    assert review.summary == f"0 of {len(review.rows)} roles have changed hands since the plan"
    assert review.review_date == dt.date(2026, 9, 2)
    other = next(p for p in ("Ana Ruiz", "Ben Ode", "Cara Li") if p != shop_item.person)

    with small_studio.write() as s:
        shop = next(r for r in records.list_rows(s, "project") if r.name == "Acme web shop")
        records.update_record(s, "project", shop.id, shop.version, {"manager": other})
    with small_studio.read() as s:
        review = plans.plan_review(s, plan_id)
    [changed] = review.changed
    assert (changed.client, changed.project, changed.role) == (
        "Acme Foods", "Acme web shop", "production_manager")
    assert (changed.planned, changed.now) == (shop_item.person, other)
    assert changed.role_name == "Production Manager"
    assert review.summary == f"1 of {len(review.rows)} roles has changed hands since the plan"
    # Per person: the one who lost the project and the one who took it differ.
    people = {p.person: p for p in review.people}
    gave, holds = people[shop_item.person], people[other]
    assert gave.differs and holds.differs
    assert gave.now.active == gave.planned.active - 1
    assert holds.now.active == holds.planned.active + 1
    assert gave.planned.clients == gave.now.clients
    assert [p.person for p in review.people if not p.differs] == [
        p for p in ("Ana Ruiz", "Ben Ode", "Cara Li")
        if p not in (shop_item.person, other) and p in people]
