"""What the planning services share: a plan's rows, the leaning and status constants, and
the small helpers that find a plan, check it is still a draft, record who changed it, and
turn a colleague's conflicting save into a :class:`ConflictError`.

Callers import the public names from ``studio_desk.store.plans``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from studio_desk.core import catalog, leanings
from studio_desk.core.errors import ConflictError, NotFoundError, PlanStateError, ValidationError
from studio_desk.core.rules import name_key
from studio_desk.store.models import Client, Person, Plan, PlanItem, Project, Role, TeamTemplate

LEANING_AM = "account_manager"
LEANING_PM = "production_manager"
LEANING_BOTH = "both"
LEANING_NEITHER = "neither"
LEANINGS = (LEANING_AM, LEANING_PM, LEANING_BOTH, LEANING_NEITHER)

STATUS_DRAFT, STATUS_APPLIED, STATUS_DONE = "draft", "applied", "done"

_ROLE_KEYS = (catalog.ROLE_ACCOUNT_MANAGER, catalog.ROLE_PRODUCTION_MANAGER)
_MAX_NAME = 200
#: Where an applied plan keeps the review date chosen for it (``plans.review``).
REVIEW_DATE = "review_date"
#: The default of keyword arguments left out, where None is a value to set.
_UNSET: Any = object()


@dataclass(frozen=True)
class PlanRow:
    """A plan as the window shows it; ``state`` maps each saved step to its data."""

    id: int
    version: int
    name: str
    status: str
    template_id: int | None
    template: str | None  # the template's name
    effective_date: dt.date | None
    current_step: str
    state: Mapping[str, Any]
    proposal: Mapping[str, Any] | None
    created_by: str
    created_at: dt.datetime
    updated_by: str
    updated_at: dt.datetime
    applied_by: str | None = None
    applied_at: dt.datetime | None = None
    #: The review date chosen for an applied plan (None: the default, see ``plans.review``).
    review_on: dt.date | None = None

    def step(self, key: str) -> dict[str, Any]:
        """The data saved for step ``key`` (an empty dict if it was never saved)."""
        return copy.deepcopy(dict(self.state.get(key, {})))

    @property
    def leanings(self) -> dict[int, str]:
        """Confirmed leanings by person id (see ``plans.state``)."""
        raw = self.state.get("people", {}).get("leanings", {})
        return {int(pid): leaning for pid, leaning in raw.items() if leaning in LEANINGS}

    @property
    def role_limits(self) -> dict[int, dict[str, int]]:
        """Limits accepted for the role each person takes (see ``plans.state``);
        people without an entry keep their everyday limits."""
        raw = self.state.get("people", {}).get("role_limits", {})
        found: dict[int, dict[str, int]] = {}
        for pid, limits in raw.items():
            try:
                found[int(pid)] = {key: int(limits[key]) for key in leanings.LIMIT_KEYS}
            except (KeyError, TypeError, ValueError):
                continue
        return found


@dataclass(frozen=True)
class PlanItemRow:
    """One row of a plan: a client's Account Manager or a project's Production Manager."""

    id: int
    version: int
    plan_id: int
    role: str
    client_id: int
    client: str
    project_id: int | None
    project: str | None
    person_id: int | None
    person: str | None
    previous_person_id: int | None
    previous_person: str | None
    reason: str
    overridden: bool
    gap: str | None

    @property
    def kind(self) -> str:
        """``"client"`` for an Account Manager row, ``"project"`` otherwise."""
        return "project" if self.project_id is not None else "client"

    @property
    def item_name(self) -> str:
        return self.project if self.project is not None else self.client

    @property
    def unplaced(self) -> bool:
        """No one could be placed here (a row left empty by hand is not unplaced)."""
        return self.person_id is None and not self.overridden

    @property
    def changed(self) -> bool:
        return self.person_id != self.previous_person_id


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _who(session: Session) -> str:
    from studio_desk.store.engine import current_user

    return str(session.info.get("who") or current_user())


def _clean_name(name: str, what: str) -> str:
    """A name with surrounding space removed, or a ValidationError saying why not."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError({"name": f"The {what} needs a name."})
    name = name.strip()
    if len(name) > _MAX_NAME:
        raise ValidationError({"name": f"The {what}'s name is too long ({len(name)} "
                                       f"characters; at most {_MAX_NAME})."})
    return name


def _flush(session: Session, message: str, theirs: Any = None,
           mine: Mapping[str, Any] | None = None) -> None:
    """Flush, turning a row changed underneath us into the user's conflict."""
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(message, theirs=theirs, mine=mine or {}) from None


def _plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFoundError("That plan no longer exists; someone may have deleted it.")
    return plan


def _touch(plan: Plan, who: str) -> None:
    """Mark the plan changed (raising its version) by ``who``."""
    plan.updated_by = who
    plan.updated_at = _now()


def _require_draft(plan: Plan, doing: str) -> None:
    if plan.status != STATUS_DRAFT:
        raise PlanStateError(f"“{plan.name}” has already been applied, so it cannot "
                             f"{doing}; copy it into a new plan to change it.")


def _state(plan: Plan) -> dict[str, Any]:
    """A private copy of the plan's state, safe to change and assign back."""
    state: dict[str, Any] = copy.deepcopy(dict(plan.state or {}))
    state.setdefault("steps", {})
    state.setdefault("meta", {})
    return state


def _mark_step_saved(plan: Plan, state: dict[str, Any], step_key: str, who: str) -> None:
    """Store ``state`` noting who saved ``step_key``, at the version this save makes."""
    # The row's version goes up by one with this UPDATE (version_id_col).
    state["meta"][step_key] = {"version": plan.version + 1, "by": who,
                               "at": _now().isoformat()}
    plan.state = state


def _steps(plan: Plan) -> dict[str, Any]:
    steps: dict[str, Any] = _state(plan)["steps"]
    return steps


def _person_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Person.id, Person.name)).all())


def _role_ids(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Role.key, Role.id)).all())


def _plan_row(session: Session, plan: Plan) -> PlanRow:
    template = session.get(TeamTemplate, plan.template_id) if plan.template_id else None
    return PlanRow(
        id=plan.id, version=plan.version, name=plan.name, status=plan.status,
        template_id=plan.template_id, template=template.name if template else None,
        effective_date=plan.effective_date, current_step=plan.current_step,
        state=MappingProxyType(_steps(plan)),
        proposal=(MappingProxyType(copy.deepcopy(plan.proposal)) if plan.proposal
                  else None),
        created_by=plan.created_by, created_at=plan.created_at,
        updated_by=plan.updated_by, updated_at=plan.updated_at,
        applied_by=plan.applied_by, applied_at=plan.applied_at,
        review_on=_stored_review_date(plan))


def _stored_review_date(plan: Plan) -> dt.date | None:
    """The review date kept in the plan's state (``state["review_date"]``, ISO text)."""
    text = (plan.state or {}).get(REVIEW_DATE)
    try:
        return dt.date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _item_rows(session: Session, plan_id: int,
               item_ids: Iterable[int] | None = None) -> list[PlanItemRow]:
    names = _person_names(session)
    query = (select(PlanItem, Client.name, Project.name, Project.client_id)
             .outerjoin(Project, PlanItem.project_id == Project.id)
             .outerjoin(Client, Client.id == func.coalesce(PlanItem.client_id,
                                                          Project.client_id))
             .where(PlanItem.plan_id == plan_id))
    if item_ids is not None:
        query = query.where(PlanItem.id.in_(list(item_ids)))
    # populate_existing: a proposal replaces rows with Core statements, and SQLite may
    # hand a new row the id of a deleted one still known to this session.
    query = query.execution_options(populate_existing=True)
    rows = []
    for item, client_name, project_name, project_client in session.execute(query):
        rows.append(PlanItemRow(
            id=item.id, version=item.version, plan_id=item.plan_id, role=item.role,
            client_id=item.client_id if item.client_id is not None else project_client,
            client=client_name, project_id=item.project_id, project=project_name,
            person_id=item.person_id, person=names.get(item.person_id)
            if item.person_id is not None else None,
            previous_person_id=item.previous_person_id,
            previous_person=names.get(item.previous_person_id)
            if item.previous_person_id is not None else None,
            reason=item.reason, overridden=item.overridden, gap=item.gap))
    rows.sort(key=lambda r: (name_key(r.client), r.project_id is not None,
                             name_key(r.project or ""), r.id))
    return rows
