"""Choosing by hand for many plan rows at once, and taking it back."""

from __future__ import annotations

import datetime as dt

import pytest

from studio_desk.core.errors import ConflictError, NotFoundError, ValidationError
from studio_desk.store import plans, records
from studio_desk.store.engine import Workspace

EFFECTIVE = dt.date.today() + dt.timedelta(weeks=5)


def proposed_plan(ws: Workspace) -> tuple[plans.PlanRow, list[plans.PlanItemRow]]:
    with ws.write() as s:
        plan = plans.create_plan(s, "Bulk", effective_date=EFFECTIVE)
        plans.propose_plan(s, plan.id)
        return plans.load_plan(s, plan.id), plans.plan_items(s, plan.id)


def person_id(ws: Workspace, name: str) -> int:
    with ws.read() as s:
        found = records.find_id(s, "person", name)
    assert found is not None
    return found


def test_many_rows_are_chosen_by_hand_in_one_write(small_studio: Workspace) -> None:
    plan, items = proposed_plan(small_studio)
    ids = [i.id for i in items]
    with small_studio.write() as s:
        saved = plans.override_items(s, plan.id, ids, None,
                                     expected_versions={i.id: i.version for i in items})
    assert [r.id for r in saved] == ids
    assert all(r.person_id is None and r.overridden and not r.unplaced for r in saved)
    assert all(r.reason == "chosen by hand: left without a manager" for r in saved)
    assert all(r.version == i.version + 1 for r, i in zip(saved, items, strict=True))
    with small_studio.read() as s:
        # One save of the plan: its version rose once, whatever the number of rows.
        assert plans.load_plan(s, plan.id).version == plan.version + 1
        stored = plans.plan_items(s, plan.id)
    assert all(i.person_id is None and i.overridden for i in stored)

    # A later proposal keeps the choices made by hand.
    with small_studio.write() as s:
        again = plans.propose_plan(s, plan.id)
    assert all(i.person_id is None and i.overridden for i in again.items)


def test_one_person_for_many_rows_and_back_to_the_previous_person(
        small_studio: Workspace) -> None:
    plan, items = proposed_plan(small_studio)
    cara = person_id(small_studio, "Cara Li")
    projects = [i for i in items if i.kind == "project"]
    assert any(i.previous_person_id is not None for i in projects)
    with small_studio.write() as s:
        chosen = plans.override_items(s, plan.id, [i.id for i in projects], cara)
    assert all(r.person == "Cara Li" and r.reason == "chosen by hand: Cara Li"
               for r in chosen)
    with small_studio.write() as s:
        kept = plans.override_items(s, plan.id, [i.id for i in projects],
                                    plans.KEEP_PREVIOUS)
    assert [r.person_id for r in kept] == [i.previous_person_id for i in projects]
    assert all(r.overridden and not r.changed for r in kept)


def test_restoring_puts_every_row_back_as_it_was(small_studio: Workspace) -> None:
    plan, items = proposed_plan(small_studio)
    with small_studio.write() as s:
        saved = plans.override_items(s, plan.id, [i.id for i in items], None)
    with small_studio.write() as s:
        restored = plans.restore_items(s, plan.id, items,
                                       expected_versions={r.id: r.version for r in saved})
    for before, after in zip(items, restored, strict=True):
        assert (after.person_id, after.overridden, after.reason, after.gap) == (
            before.person_id, before.overridden, before.reason, before.gap)
    # The undo's undo: a version from before the restore is a colleague's change.
    with small_studio.write() as s, pytest.raises(ConflictError):
        plans.restore_items(s, plan.id, saved,
                            expected_versions={r.id: r.version for r in saved})


def test_a_colleague_changing_one_row_refuses_the_whole_change(
        small_studio: Workspace) -> None:
    plan, items = proposed_plan(small_studio)
    with small_studio.write() as s:
        plans.override_item(s, plan.id, items[0].id, None)
    with small_studio.write() as s, pytest.raises(ConflictError):
        plans.override_items(s, plan.id, [i.id for i in items],
                             person_id(small_studio, "Ana Ruiz"),
                             expected_versions={i.id: i.version for i in items})
    with small_studio.read() as s:
        stored = {i.id: i for i in plans.plan_items(s, plan.id)}
    assert all(stored[i.id].person_id == i.person_id for i in items[1:])


def test_rows_gone_or_someone_who_left_are_refused(small_studio: Workspace) -> None:
    plan, items = proposed_plan(small_studio)
    with small_studio.write() as s, pytest.raises(NotFoundError):
        plans.override_items(s, plan.id, [items[0].id, 999_999], None)
    with small_studio.write() as s:
        row = next(r for r in records.list_rows(s, "person") if r.name == "Cara Li")
        records.update_record(s, "person", row.id, row.version, {"active": False})
    with small_studio.write() as s, pytest.raises(ValidationError):
        plans.override_items(s, plan.id, [items[0].id], row.id)
