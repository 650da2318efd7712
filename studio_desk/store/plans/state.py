"""Plans and their wizard state: list, load, find, create, change and delete a plan, and
save the wizard one page at a time (:func:`save_step`), so anyone opening the workspace
later resumes on the same page (:func:`load_plan`).

What the wizard's steps save
----------------------------
``plan.state`` is ``{"steps": {step: data}, "meta": {step: {"version", "by", "at"}}}``;
``data`` is any JSON object the page chooses (dates as ISO text). Three steps are read
by the planning services, so their shape is fixed:

* ``steps["people"]["leanings"]``: ``{"<person id>": leaning}`` with a leaning of
  ``"account_manager"`` (may only be proposed as Account Manager), ``"production_manager"``
  (only as Production Manager), ``"both"``, or ``"neither"`` (not part of the split:
  proposed for nothing). A person without a confirmed leaning takes the first guess of
  ``core.leanings`` (the same as the wizard's page 3 shows).
  ``steps["people"]["role_limits"]``: ``{"<person id>": {"max_clients": n,
  "max_active_projects": n, "max_backburner_projects": n}}``, the limits the user accepted
  for the role each person takes; anyone without an entry keeps their everyday limits.
* ``steps["responsibilities"]["categories"]``: ``{"<responsibility name>": category}``,
  the split this plan was made with (see ``plans.catalog.responsibility_split``).
* ``steps["tell_clients"]`` holds ``weeks_before``, ``max_per_day``, ``template`` (the
  edited talking points; None or absent: the default text) and ``importance``
  (``{"<client id>": weight}``, overriding the computed importance);
  ``plans.schedule.schedule_plan`` reads them and writes back the values used.

Two people, one plan
--------------------
Saving with ``expected_version`` (the plan version the page loaded) refuses a save that
would overwrite a colleague's: if the *same step* was saved since, a
:class:`ConflictError` carries their plan and this page's data; saves of *different*
steps merge. Every change to a plan (steps, items, conversations) raises its version, so
``plans.apply.apply_plan`` with ``expected_version`` refuses to apply a plan that changed
since the user reviewed it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from studio_desk.core import catalog
from studio_desk.core.errors import ConflictError, ValidationError
from studio_desk.core.rules import name_key
from studio_desk.store.models import Plan, PlanConversation, PlanItem, TeamTemplate
from studio_desk.store.plans._common import (
    _UNSET,
    STATUS_APPLIED,
    STATUS_DONE,
    STATUS_DRAFT,
    PlanRow,
    _clean_name,
    _flush,
    _mark_step_saved,
    _now,
    _plan,
    _plan_row,
    _require_draft,
    _state,
    _steps,
    _touch,
    _who,
)

#: The wizard's pages, in order; ``current_step`` and ``save_step`` take these keys.
WIZARD_STEPS = ("start", "responsibilities", "people", "inventory", "assign",
                "tell_clients", "review")


def list_plans(session: Session) -> list[PlanRow]:
    """Every plan, drafts first, then by name."""
    plans = session.scalars(select(Plan)).all()
    order = {STATUS_DRAFT: 0, STATUS_APPLIED: 1, STATUS_DONE: 2}
    return [_plan_row(session, p) for p in
            sorted(plans, key=lambda p: (order.get(p.status, 3), p.name_key))]


def load_plan(session: Session, plan_id: int) -> PlanRow:
    """The plan with every step's saved data, to resume the wizard where it was left."""
    return _plan_row(session, _plan(session, plan_id))


def find_plan(session: Session, name: str) -> PlanRow | None:
    """The plan called ``name`` (compared as names are), or None."""
    plan = session.scalar(select(Plan).where(Plan.name_key == name_key(name)))
    return _plan_row(session, plan) if plan is not None else None


def _check_plan_name(session: Session, name: str, plan_id: int | None) -> str:
    name = _clean_name(name, "plan")
    clash = session.scalar(select(Plan.id).where(Plan.name_key == name_key(name)))
    if clash is not None and clash != plan_id:
        raise ValidationError({"name": f"A plan named “{name}” already exists (names are "
                                       "compared ignoring case and accents' form)."})
    return name


def _check_template_id(session: Session, template_id: int | None) -> None:
    if template_id is not None and session.get(TeamTemplate, template_id) is None:
        raise ValidationError({"template": "That team template no longer exists."})


def create_plan(session: Session, name: str, *, template_id: int | None = None,
                effective_date: dt.date | None = None) -> PlanRow:
    """A new draft plan; its template defaults to Account Manager + Production Manager."""
    name = _check_plan_name(session, name, None)
    if template_id is None:
        template_id = session.scalar(select(TeamTemplate.id).where(
            TeamTemplate.key == catalog.ACCOUNT_PRODUCTION_KEY))
    _check_template_id(session, template_id)
    who, now = _who(session), _now()
    plan = Plan(name=name, name_key=name_key(name), status=STATUS_DRAFT,
                template_id=template_id, effective_date=effective_date,
                current_step=WIZARD_STEPS[0], state={"steps": {}, "meta": {}},
                created_by=who, created_at=now, updated_by=who, updated_at=now)
    session.add(plan)
    session.flush()
    return _plan_row(session, plan)


def _free_plan_name(session: Session, base: str) -> str:
    taken = set(session.scalars(select(Plan.name_key)))
    name, n = f"{base} (copy)", 2
    while name_key(name) in taken:
        name, n = f"{base} (copy {n})", n + 1
    return name


#: Columns of a plan's rows and conversations that a copy takes over as they are.
_ITEM_COLUMNS = ("role", "client_id", "project_id", "person_id", "previous_person_id",
                 "reason", "overridden", "gap")
_CONVERSATION_COLUMNS = ("client_id", "informer_id", "channel", "on_date", "talking_points",
                         "handover_from_id", "handover_to_id", "handover_on")


def copy_plan(session: Session, plan_id: int, name: str | None = None) -> PlanRow:
    """A new draft made from a plan, applied or not: a scenario to change freely.

    The copy has the same team template, effective date, wizard pages (leanings, role
    limits, tell-clients settings, ...), proposal summary, rows (who takes each role, the
    previous holder, the reason, the rows chosen by hand) and client conversations. It is
    named ``name``, else "<name> (copy)" (then "(copy 2)", ... if taken). What only an
    applied plan has is left behind: conversations start as planned again, no handover is
    ticked off, and the limits kept from before it was applied stay with the original.
    """
    source = _plan(session, plan_id)
    name = (_check_plan_name(session, name, None) if name
            else _free_plan_name(session, source.name))
    who, now = _who(session), _now()
    steps = _steps(source)
    tell = steps.get("tell_clients")
    if isinstance(tell, dict):
        tell.pop("handovers_done", None)
    # The saved pages' versions belong to the original; the copy's pages are as new.
    meta = {step: {"version": 1, "by": who, "at": now.isoformat()} for step in steps}
    plan = Plan(name=name, name_key=name_key(name), status=STATUS_DRAFT,
                template_id=source.template_id, effective_date=source.effective_date,
                current_step=source.current_step if source.status == STATUS_DRAFT
                else WIZARD_STEPS[-1],
                state={"steps": steps, "meta": meta},
                proposal=copy.deepcopy(source.proposal) if source.proposal else None,
                created_by=who, created_at=now, updated_by=who, updated_at=now)
    session.add(plan)
    session.flush()
    items = session.scalars(select(PlanItem).where(PlanItem.plan_id == plan_id)
                            .order_by(PlanItem.id)).all()
    session.add_all(PlanItem(plan_id=plan.id, **{c: getattr(i, c) for c in _ITEM_COLUMNS})
                    for i in items)
    talks = session.scalars(select(PlanConversation)
                            .where(PlanConversation.plan_id == plan_id)
                            .order_by(PlanConversation.id)).all()
    session.add_all(PlanConversation(plan_id=plan.id, status="planned",
                                     **{c: getattr(t, c) for c in _CONVERSATION_COLUMNS})
                    for t in talks)
    session.flush()
    return _plan_row(session, plan)


def update_plan(session: Session, plan_id: int, *, expected_version: int | None = None,
                name: str = _UNSET, template_id: int | None = _UNSET,
                effective_date: dt.date | None = _UNSET) -> PlanRow:
    """Change the plan's name, template or effective date (the wizard's first page)."""
    plan = _plan(session, plan_id)
    mine = {k: v for k, v in (("name", name), ("template_id", template_id),
                              ("effective_date", effective_date)) if v is not _UNSET}
    if expected_version is not None and plan.version != expected_version:
        raise ConflictError(f"Someone changed the plan “{plan.name}” while you were "
                            "editing it.", theirs=_plan_row(session, plan), mine=mine)
    if name is not _UNSET:
        plan.name = _check_plan_name(session, name, plan.id)
        plan.name_key = name_key(plan.name)
    if template_id is not _UNSET:
        _check_template_id(session, template_id)
        plan.template_id = template_id
    if effective_date is not _UNSET:
        if plan.status != STATUS_DRAFT and effective_date != plan.effective_date:
            _require_draft(plan, "move its effective date")
        plan.effective_date = effective_date
    _touch(plan, _who(session))
    _flush(session, "Someone changed this plan while you were editing it.", mine=mine)
    return _plan_row(session, plan)


def rename_plan(session: Session, plan_id: int, name: str,
                expected_version: int | None = None) -> PlanRow:
    """Give the plan another name (unique, compared as names are)."""
    return update_plan(session, plan_id, expected_version=expected_version, name=name)


def delete_plan(session: Session, plan_id: int, expected_version: int | None = None) -> None:
    """Remove a plan with its items and conversations (applied assignments stay)."""
    plan = _plan(session, plan_id)
    if expected_version is not None and plan.version != expected_version:
        raise ConflictError(f"Someone changed the plan “{plan.name}” since you loaded it; "
                            "look at their change before deleting.",
                            theirs=_plan_row(session, plan), mine={})
    session.execute(delete(PlanItem).where(PlanItem.plan_id == plan_id))
    session.execute(delete(PlanConversation).where(PlanConversation.plan_id == plan_id))
    session.delete(plan)
    _flush(session, "Someone changed this plan while you were deleting it.")


def save_step(session: Session, plan_id: int, step_key: str, data: Mapping[str, Any],
              current_step: str, *, expected_version: int | None = None) -> PlanRow:
    """Store one wizard page's data and the page the wizard is on.

    ``data`` must be JSON (dicts, lists, text, numbers, booleans, None). With
    ``expected_version``, a save that would overwrite a colleague's save of the same step
    raises :class:`ConflictError`; saves of other steps in between are kept (merged).
    """
    if step_key not in WIZARD_STEPS or current_step not in WIZARD_STEPS:
        raise ValueError(f"unknown wizard step {step_key!r} / {current_step!r}")
    try:
        stored = json.loads(json.dumps(dict(data)))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"step data must be JSON: {exc}") from None
    plan = _plan(session, plan_id)
    state = _state(plan)
    meta, steps = state["meta"], state["steps"]
    if expected_version is not None and plan.version != expected_version:
        saved_at = meta.get(step_key, {}).get("version", 0)
        if saved_at > expected_version:
            by = meta[step_key].get("by", "someone")
            raise ConflictError(f"{by} saved this page of “{plan.name}” while you were "
                                "working on it.", theirs=_plan_row(session, plan),
                                mine=stored)
    who = _who(session)
    steps[step_key] = stored
    _mark_step_saved(plan, state, step_key, who)
    plan.current_step = current_step
    _touch(plan, who)
    _flush(session, "Someone changed this plan while you were saving it.", mine=stored)
    return _plan_row(session, plan)
