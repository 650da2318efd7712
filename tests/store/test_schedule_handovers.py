"""The studio's days off and the handover checklist, kept in the workspace."""

from __future__ import annotations

import datetime as dt

import pytest

from studio_desk.core.errors import NotFoundError, ValidationError
from studio_desk.store import plans
from studio_desk.store.engine import Workspace
from studio_desk.store.plans.schedule import (
    HANDOVER_PROJECT,
    plan_handovers,
    set_handover_status,
    studio_days_off,
)

EFFECTIVE = dt.date(2027, 1, 11)
TODAY = dt.date(2026, 12, 1)


def scheduled_plan(ws: Workspace, name: str, **settings: object) -> int:
    with ws.write() as s:
        plan = plans.create_plan(s, name, effective_date=EFFECTIVE)
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id, today=TODAY, **settings)  # type: ignore[arg-type]
        return plan.id


def test_days_off_start_from_the_holidays_and_the_next_plan_keeps_the_studios_list(
        small_studio: Workspace) -> None:
    first = scheduled_plan(small_studio, "First")
    with small_studio.read() as s:
        days = studio_days_off(s, first)
    assert days[dt.date(2026, 12, 25)] == "Christmas Day"
    assert days[dt.date(2027, 1, 1)] == "New Year's Day"
    typed = {dt.date(2026, 12, 24): "Studio closed"}
    with small_studio.write() as s:
        plans.schedule_plan(s, first, today=TODAY, non_working_days=typed)
    second = scheduled_plan(small_studio, "Second")
    with small_studio.read() as s:
        assert studio_days_off(s, second) == typed
        talks = plans.plan_conversations(s, second)
    assert all(c.on_date != dt.date(2026, 12, 24) for c in talks)


def test_handovers_are_ticked_off_and_keep_their_mark_when_scheduled_again(
        small_studio: Workspace) -> None:
    plan_id = scheduled_plan(small_studio, "Split")
    with small_studio.write() as s:
        [project] = [h for h in plan_handovers(s, plan_id) if h.kind == HANDOVER_PROJECT]
        assert project.on_date is not None and project.on_date < EFFECTIVE
        done = set_handover_status(s, plan_id, project.key, "done")
        assert done.status == "done"
        again = plans.schedule_plan(s, plan_id, today=TODAY)
    assert {h.key: h.status for h in again.handovers}[project.key] == "done"
    with small_studio.write() as s, pytest.raises(ValidationError):
        set_handover_status(s, plan_id, project.key, "finished")
    with small_studio.write() as s, pytest.raises(NotFoundError):
        set_handover_status(s, plan_id, "project:998:999", "done")
