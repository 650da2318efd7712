"""Plans as scenarios: copying a plan into a new draft, and comparing two plans."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from studio_desk.core.errors import PlanStateError, ValidationError
from studio_desk.store import plans, records
from studio_desk.store.engine import Workspace
from studio_desk.store.models import AuditEntry

EFFECTIVE = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 2, 1)


def person_id(ws: Workspace, name: str) -> int:
    with ws.read() as s:
        found = records.find_id(s, "person", name)
    assert found is not None
    return found


def proposed(ws: Workspace, name: str = "Spring split", *, apply: bool = False) -> int:
    ana, ben = person_id(ws, "Ana Ruiz"), person_id(ws, "Ben Ode")
    with ws.write() as s:
        plan = plans.create_plan(s, name, effective_date=EFFECTIVE)
        plans.save_step(s, plan.id, "people", {
            "leanings": {str(ana): plans.LEANING_AM},
            "role_limits": {str(ben): {
                "max_clients": 1, "max_active_projects": 7, "max_backburner_projects": 3}}},
            "assign")
        plans.save_step(s, plan.id, "tell_clients", {"weeks_before": 3, "max_per_day": 2},
                        "assign")
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id, today=TODAY)
        if apply:
            plans.apply_plan(s, plan.id)
    return plan.id


def item_facts(items: list[plans.PlanItemRow]) -> list[tuple[object, ...]]:
    return sorted((i.role, i.client_id, i.project_id, i.person_id, i.previous_person_id,
                   i.reason, i.overridden) for i in items)


def test_a_copy_is_a_draft_with_the_same_pages_rows_and_conversations(small_studio):
    plan_id = proposed(small_studio)
    cara = person_id(small_studio, "Cara Li")
    with small_studio.write() as s:
        first = plans.plan_items(s, plan_id)[0]
        plans.override_item(s, plan_id, first.id, cara)
    with small_studio.write() as s:
        copy = plans.copy_plan(s, plan_id)
    with small_studio.read() as s:
        original = plans.load_plan(s, plan_id)
        copy = plans.load_plan(s, copy.id)
        assert copy.name == "Spring split (copy)"
        assert copy.status == plans.STATUS_DRAFT and copy.id != plan_id
        assert (copy.template_id, copy.effective_date) == (original.template_id, EFFECTIVE)
        assert copy.leanings == original.leanings
        assert copy.role_limits == original.role_limits
        assert copy.step("tell_clients")["weeks_before"] == 3
        assert copy.proposal is not None and copy.proposal["score"] == original.proposal["score"]
        copied_items = plans.plan_items(s, copy.id)
        assert item_facts(copied_items) == item_facts(plans.plan_items(s, plan_id))
        assert any(i.overridden and i.person == "Cara Li" for i in copied_items)
        talks = {(c.client_id, c.informer_id, c.channel, c.on_date)
                 for c in plans.plan_conversations(s, plan_id)}
        assert talks and talks == {(c.client_id, c.informer_id, c.channel, c.on_date)
                                   for c in plans.plan_conversations(s, copy.id)}
        added = s.scalars(select(AuditEntry.entity).where(
            AuditEntry.action == "add", AuditEntry.entity_id == copy.id,
            AuditEntry.entity == "plan")).all()
        assert added, "the copy is in the audit log like any new plan"


def test_changing_the_copy_leaves_the_original_as_it_was(small_studio):
    plan_id = proposed(small_studio)
    with small_studio.write() as s:
        copy = plans.copy_plan(s, plan_id, "Lean team")
        item = plans.plan_items(s, copy.id)[0]
        plans.override_item(s, copy.id, item.id, None)
    with small_studio.read() as s:
        assert plans.plan_items(s, plan_id)[0].person_id is not None
        assert plans.plan_items(s, copy.id)[0].person_id is None


def test_an_applied_plan_can_be_copied_and_the_copy_changed(small_studio):
    plan_id = proposed(small_studio, apply=True)
    with small_studio.write() as s, pytest.raises(PlanStateError, match="copy it"):
        plans.propose_plan(s, plan_id)
    with small_studio.write() as s:
        plans.set_conversation_status(s, plans.plan_conversations(s, plan_id)[0].id,
                                      "informed")
    with small_studio.write() as s:
        copy = plans.copy_plan(s, plan_id)
        assert copy.status == plans.STATUS_DRAFT
        assert {c.status for c in plans.plan_conversations(s, copy.id)} == {"planned"}
        plans.propose_plan(s, copy.id)  # a draft again: it can be proposed anew
        again = plans.copy_plan(s, plan_id)
    assert again.name == "Spring split (copy 2)"


def test_a_copy_takes_no_name_in_use(small_studio):
    plan_id = proposed(small_studio)
    with small_studio.write() as s:
        plans.create_plan(s, "Other")
    with small_studio.write() as s, pytest.raises(ValidationError):
        plans.copy_plan(s, plan_id, "other")


def test_compare_two_plans_row_by_row(small_studio):
    plan_id = proposed(small_studio)
    ids = {p: person_id(small_studio, p) for p in ("Ana Ruiz", "Ben Ode", "Cara Li")}
    with small_studio.write() as s:
        copy = plans.copy_plan(s, plan_id, "Lean team")
        changed = plans.plan_items(s, copy.id)[0]
        other = next(p for p in ids if p != changed.person)
        plans.override_item(s, copy.id, changed.id, ids[other])
    with small_studio.read() as s:
        same = plans.compare_plans(s, plan_id, plan_id)
        result = plans.compare_plans(s, plan_id, copy.id)
        items = plans.plan_items(s, plan_id)
    assert not same.differing
    assert len(result.rows) == len(items)
    assert [(r.client, r.project, r.person_a, r.person_b) for r in result.differing] == [
        (changed.client, changed.project, changed.person, other)]
    assert result.a.placed == result.b.placed == sum(1 for i in items if i.person)
    assert result.a.score is not None and result.b.unplaced == 0
    assert result.summary == (f"1 of {len(items)} roles differ; “Spring split” places "
                              f"{result.a.placed}, “Lean team” places {result.b.placed}")
    loads = {c.person: c for c in result.capacity}
    assert set(loads) == {"Ana Ruiz", "Ben Ode", "Cara Li"}
    def held(c: plans.CapacityPair | object) -> int:
        return c.clients + c.active_projects + c.backburner_projects  # type: ignore[attr-defined]

    assert held(loads[other].b) == held(loads[other].a) + 1
    csv_rows = plans.comparison_rows_for_csv(result)
    assert list(csv_rows[0]) == list(plans.PLAN_COMPARE_COLUMNS)
    assert sum(r["differs"] == "yes" for r in csv_rows) == 1


def test_a_role_only_one_plan_has_differs(small_studio):
    plan_id = proposed(small_studio)
    with small_studio.write() as s:
        empty = plans.create_plan(s, "Empty")
    with small_studio.read() as s:
        result = plans.compare_plans(s, plan_id, empty.id)
    assert all(r.differs and not r.in_b and r.person_b is None for r in result.rows)
    assert result.b.placed == 0 and result.b.score is None
