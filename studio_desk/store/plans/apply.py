"""Applying a plan: every role it changes changes hands on its one effective date.

Assignments cover whole days, start and end included, so the previous holder's
assignment ends the day *before* the effective date and the new one starts *on* it: on
no day do two people hold the same role for the same client or project. (An assignment
that itself starts on or after the effective date ends on its own start day.) When a
project's manager was only recorded on the project, not yet as an assignment, the
history gets a closed assignment for that manager (from the project's start, or the day
before the effective date when the start is unknown or later), so the change is visible
in the history too; a manager who keeps such a project gets an open assignment from the
project's start (or from the effective date, the first day the workspace can vouch for).

The assignments are the truth for who holds a role on a given day (``store.holders``).
What the rest of the app reads as *today's* follows them on the effective date, not
before: applied on or after its effective date, the plan makes each project's
``manager`` its new Production Manager and the limits accepted for each person's new
role their limits at once; applied ahead of it, it leaves both as they are (the
dashboard, ``capacity``, the exports and the next proposal read them as of a day), keeps
the new limits in the plan, and ``store.holders.catch_up`` makes both current when the
day comes. Either way the previous limits are kept in the plan for its "capacity
before" chart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from studio_desk.core.errors import ConflictError, PlanStateError
from studio_desk.store.holders import SCHEDULED_LIMITS
from studio_desk.store.models import Assignment, Person, Project
from studio_desk.store.plans._common import (
    STATUS_APPLIED,
    PlanItemRow,
    PlanRow,
    _flush,
    _item_rows,
    _now,
    _plan,
    _plan_row,
    _require_draft,
    _role_ids,
    _state,
    _touch,
    _who,
)
from studio_desk.store.plans.proposal import _read_workspace, _Workspace


@dataclass(frozen=True)
class AppliedPlan:
    """The plan after :func:`apply_plan`, and how many roles changed hands."""

    plan: PlanRow
    changed: int
    unchanged: int


def _stale_reasons(ws: _Workspace, items: Sequence[PlanItemRow]) -> list[str]:
    """How the workspace moved on since the proposal (empty: the plan still fits it)."""
    reasons = []
    covered_clients = {i.client_id for i in items if i.project_id is None}
    covered_projects = {i.project_id for i in items if i.project_id is not None}
    new_clients = [n for cid, n in ws.client_names.items() if cid not in covered_clients]
    new_projects = [p.name for p in ws.projects if p.id not in covered_projects]
    if new_clients:
        reasons.append(f"clients added since: {', '.join(sorted(new_clients)[:3])}")
    if new_projects:
        reasons.append(f"projects added or reactivated since: "
                       f"{', '.join(sorted(new_projects)[:3])}")
    moved = []
    for item in items:
        if ws.holder_of(item) != item.previous_person_id:
            moved.append(item.item_name)
    if moved:
        reasons.append(f"managers changed since for {', '.join(sorted(moved)[:3])}")
    return reasons


def apply_plan(session: Session, plan_id: int, *, expected_version: int | None = None,
               today: dt.date | None = None) -> AppliedPlan:
    """Make the plan's assignments current from its effective date, keeping history.

    Refuses (:class:`PlanStateError`) a plan already applied, without an effective date
    or a proposal, with rows no one could be placed in, or made on a workspace that has
    moved on since (new clients or projects, managers changed by hand): propose again
    first. With ``expected_version``, refuses a plan changed since it was reviewed
    (:class:`ConflictError`). Closing and opening assignments, and what changes at once
    or on the effective date (``today``: default the computer's date), is described in
    the module docstring.
    """
    today = today or dt.date.today()
    plan = _plan(session, plan_id)
    if expected_version is not None and plan.version != expected_version:
        raise ConflictError(f"Someone changed the plan “{plan.name}” since you reviewed "
                            "it; review it again before applying.",
                            theirs=_plan_row(session, plan), mine={})
    _require_draft(plan, "be applied again")
    effective = plan.effective_date
    if effective is None:
        raise PlanStateError(f"“{plan.name}” has no effective date yet: set it on the "
                             "first page.")
    items = _item_rows(session, plan_id)
    if not items:
        raise PlanStateError(f"“{plan.name}” has no proposal yet: make one first.")
    unplaced = [i.item_name for i in items if i.unplaced]
    if unplaced:
        raise PlanStateError(
            f"{len(unplaced)} row{'s' if len(unplaced) != 1 else ''} of “{plan.name}” "
            f"still {'have' if len(unplaced) != 1 else 'has'} no one "
            f"({', '.join(unplaced[:3])}{'…' if len(unplaced) > 3 else ''}): choose "
            "someone by hand, or leave it empty on purpose, before applying.")
    ws = _read_workspace(session, today)
    stale = _stale_reasons(ws, items)
    if stale:
        raise PlanStateError(f"The workspace changed since “{plan.name}” was proposed "
                             f"({'; '.join(stale)}): refresh the proposal before applying.")
    roles = _role_ids(session)
    day_before = effective - dt.timedelta(days=1)
    at_once = effective <= today
    projects = {p.id: p for p in ws.projects}
    # Read everything the loop touches up front: one query each instead of one per row.
    open_by_target: dict[tuple[int, str, int | None], list[Assignment]] = {}
    for assignment in session.scalars(select(Assignment).where(
            Assignment.end.is_(None), Assignment.role_id.in_(list(roles.values())))):
        target_key = (assignment.role_id, "project", assignment.project_id) \
            if assignment.project_id is not None \
            else (assignment.role_id, "client", assignment.client_id)
        open_by_target.setdefault(target_key, []).append(assignment)
    managed = {p.id: p for p in session.scalars(select(Project).where(
        Project.id.in_([i.project_id for i in items if i.project_id is not None])))}
    changed = unchanged = 0
    with session.no_autoflush:
        for item in items:
            role_id = roles[item.role]
            is_project = item.project_id is not None
            open_now = open_by_target.get(
                (role_id, "project", item.project_id) if is_project
                else (role_id, "client", item.client_id), [])
            keep = [a for a in open_now if a.person_id == item.person_id][:1]
            for assignment in open_now:
                if assignment not in keep:
                    assignment.end = max(assignment.start, day_before)
            known_start = projects[item.project_id].start \
                if item.project_id in projects else None
            if (is_project and not open_now and item.previous_person_id is not None
                    and item.previous_person_id != item.person_id):
                session.add(Assignment(
                    role_id=role_id, person_id=item.previous_person_id,
                    project_id=item.project_id,
                    start=known_start if known_start is not None and known_start <= day_before
                    else day_before,
                    end=day_before))
            if item.person_id is not None and not keep:
                start = effective
                if is_project and item.person_id == item.previous_person_id:
                    # Kept, but only ever recorded on the project: date it from the project.
                    start = known_start if known_start is not None \
                        and known_start <= effective else effective
                session.add(Assignment(role_id=role_id, person_id=item.person_id,
                                       client_id=None if is_project else item.client_id,
                                       project_id=item.project_id, start=start))
            project = managed.get(item.project_id) if item.project_id is not None else None
            if at_once and project is not None and project.manager_id != item.person_id:
                project.manager_id = item.person_id
            if item.changed:
                changed += 1
            else:
                unchanged += 1
    # The limits accepted for each person's new role become their limits with the role:
    # the dashboard and the capacity command then measure the job they do. Their limits
    # before are kept in the plan, for its "capacity before" chart.
    before: dict[str, dict[str, int]] = {}
    scheduled: dict[str, dict[str, list[int]]] = {}
    for person_id, limits in _plan_row(session, plan).role_limits.items():
        person = session.get(Person, person_id)
        if person is not None and person.active:
            before[str(person_id)] = {key: getattr(person, key) for key in limits}
            for key, value in limits.items():
                if getattr(person, key) == value:
                    continue
                if at_once:
                    setattr(person, key, value)
                else:
                    scheduled.setdefault(str(person_id), {})[key] = [
                        getattr(person, key), value]
    if before or scheduled:
        state = _state(plan)
        if before:
            state["limits_before_apply"] = before
        if scheduled:
            state[SCHEDULED_LIMITS] = scheduled
        plan.state = state
    who = _who(session)
    plan.status = STATUS_APPLIED
    plan.applied_by, plan.applied_at = who, _now()
    _touch(plan, who)
    _flush(session, "Someone changed a project or this plan while it was being applied; "
                    "nothing was changed. Try again.")
    return AppliedPlan(_plan_row(session, plan), changed, unchanged)
