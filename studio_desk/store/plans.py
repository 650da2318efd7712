"""Transition plans, the responsibility catalog and team templates: service functions.

Each function takes the caller's session first and never commits (``with
workspace.write() as s:``); each returns frozen rows defined here, never ORM objects.

A plan's life
-------------
1. :func:`create_plan` makes a *draft*; the wizard saves each page with
   :func:`save_step`, so anyone opening the workspace later resumes on the same page
   (:func:`load_plan`).
2. :func:`propose_plan` runs the optimiser on the workspace as it is now and stores one
   plan item per client (Account Manager) and per active or back-burner project
   (Production Manager). :func:`override_item` pins a row to a person of the user's
   choice; the next proposal keeps pins and fits everything else around them.
3. :func:`schedule_plan` spreads the client conversations before the effective date
   (rules in ``core.schedule``).
4. :func:`apply_plan` makes the plan's assignments current from the effective date and
   the plan becomes *applied*; it then serves as a checklist
   (:func:`set_conversation_status`, :func:`plan_progress`) and is *done* once every
   client conversation is settled.

What the wizard's steps save
----------------------------
``plan.state`` is ``{"steps": {step: data}, "meta": {step: {"version", "by", "at"}}}``;
``data`` is any JSON object the page chooses (dates as ISO text). Three steps are read
here, so their shape is fixed:

* ``steps["people"]["leanings"]``: ``{"<person id>": leaning}`` with a leaning of
  ``"account_manager"`` (may only be proposed as Account Manager), ``"production_manager"``
  (only as Production Manager), ``"both"``, or ``"neither"`` (not part of the split:
  proposed for nothing). A person without a confirmed leaning may take either role.
* ``steps["responsibilities"]["categories"]``: ``{"<responsibility name>": category}``,
  the split this plan was made with (see :func:`responsibility_split`).
* ``steps["tell_clients"]`` holds ``weeks_before``, ``max_per_day``, ``template`` (the
  edited talking points; None or absent: the default text) and ``importance``
  (``{"<client id>": weight}``, overriding the computed importance);
  :func:`schedule_plan` reads them and writes back the values used.

Two people, one plan
--------------------
Saving with ``expected_version`` (the plan version the page loaded) refuses a save that
would overwrite a colleague's: if the *same step* was saved since, a
:class:`ConflictError` carries their plan and this page's data; saves of *different*
steps merge. Every change to a plan (steps, items, conversations) raises its version, so
:func:`apply_plan` with ``expected_version`` refuses to apply a plan that changed since
the user reviewed it.

Applying
--------
Assignments cover whole days, start and end included, so the previous holder's
assignment ends the day *before* the effective date and the new one starts *on* it: on
no day do two people hold the same role for the same client or project. (An assignment
that itself starts on or after the effective date ends on its own start day.) When a
project's manager was only recorded on the project, not yet as an assignment, the
history gets a closed assignment for that manager (from the project's start, or the day
before the effective date when the start is unknown or later), so the change is visible
in the history too; a manager who keeps such a project gets an open assignment from the
project's start (or from the effective date, the first day the workspace can vouch for).
Every project's ``manager`` becomes its new Production Manager.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from studio_desk.core import catalog
from studio_desk.core import schedule as sched
from studio_desk.core.capacity import Capacity, capacity_of, project_weekly_hours
from studio_desk.core.errors import (
    ConflictError,
    NotFoundError,
    PlanStateError,
    ValidationError,
)
from studio_desk.core.rows import PersonRow, ProjectRow
from studio_desk.core.rules import name_key
from studio_desk.store import records
from studio_desk.store.models import (
    Assignment,
    Client,
    Person,
    Plan,
    PlanConversation,
    PlanItem,
    Project,
    Relationship,
    Responsibility,
    Role,
    TeamTemplate,
)

if TYPE_CHECKING:
    # The optimizer pulls in SciPy (about a second): imported where a proposal is made,
    # so listing, exporting or applying a plan starts fast.
    from studio_desk.core.optimizer import Candidate, ClientItem, ProjectItem, ScoreWeights

#: The wizard's pages, in order; ``current_step`` and ``save_step`` take these keys.
WIZARD_STEPS = ("start", "responsibilities", "people", "inventory", "assign",
                "tell_clients", "review")
LEANING_AM = "account_manager"
LEANING_PM = "production_manager"
LEANING_BOTH = "both"
LEANING_NEITHER = "neither"
LEANINGS = (LEANING_AM, LEANING_PM, LEANING_BOTH, LEANING_NEITHER)

STATUS_DRAFT, STATUS_APPLIED, STATUS_DONE = "draft", "applied", "done"
CONVERSATION_STATUSES = ("planned", "informed", "settled")

#: Columns of ``studio-desk plan export`` (DESIGN §7), in order.
PLAN_EXPORT_COLUMNS = ("client", "project", "role", "person", "previous_person", "reason",
                       "inform_by", "inform_on")

_ROLE_KEYS = (catalog.ROLE_ACCOUNT_MANAGER, catalog.ROLE_PRODUCTION_MANAGER)
_MAX_NAME = 200


# --------------------------------------------------------------------------- rows


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

    def step(self, key: str) -> dict[str, Any]:
        """The data saved for step ``key`` (an empty dict if it was never saved)."""
        return copy.deepcopy(dict(self.state.get(key, {})))

    @property
    def leanings(self) -> dict[int, str]:
        """Confirmed leanings by person id (see the module docstring)."""
        raw = self.state.get("people", {}).get("leanings", {})
        return {int(pid): leaning for pid, leaning in raw.items() if leaning in LEANINGS}


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


@dataclass(frozen=True)
class ConversationRow:
    """Telling one client: who, how, when, what to say, and how far it has got."""

    id: int
    version: int
    plan_id: int
    client_id: int
    client: str
    informer_id: int | None
    informer: str | None
    channel: str
    on_date: dt.date | None
    talking_points: str
    handover_from_id: int | None
    handover_from: str | None
    handover_to_id: int | None
    handover_to: str | None
    handover_on: dt.date | None
    status: str


@dataclass(frozen=True)
class ResponsibilityRow:
    """One item of the responsibility catalog."""

    id: int
    version: int
    name: str
    category: str
    position: int


@dataclass(frozen=True)
class TemplateRow:
    """A stored team template; ``template`` holds its matrix."""

    id: int
    version: int
    template: catalog.TeamTemplate

    @property
    def name(self) -> str:
        return self.template.name

    @property
    def builtin(self) -> bool:
        return self.template.builtin


@dataclass(frozen=True)
class PlanProposal:
    """What :func:`propose_plan` stored: the rows and the proposal's summary."""

    items: tuple[PlanItemRow, ...]
    score: float
    unplaced_count: int
    shortfall: Mapping[str, float]
    proven_optimal: bool = True


@dataclass(frozen=True)
class PlanSchedule:
    """What :func:`schedule_plan` stored, and whether every client fitted."""

    conversations: tuple[ConversationRow, ...]
    fits: bool
    message: str
    window_start: dt.date
    window_end: dt.date


@dataclass(frozen=True)
class AppliedPlan:
    """The plan after :func:`apply_plan`, and how many roles changed hands."""

    plan: PlanRow
    changed: int
    unchanged: int


# --------------------------------------------------------------------------- internals


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
        applied_by=plan.applied_by, applied_at=plan.applied_at)


# --------------------------------------------------------------------------- plans


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


_UNSET: Any = object()


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


# --------------------------------------------------------------------------- responsibilities


def _responsibility_row(r: Responsibility) -> ResponsibilityRow:
    return ResponsibilityRow(r.id, r.version, r.name, r.category, r.position)


def list_responsibilities(session: Session) -> list[ResponsibilityRow]:
    """The catalog in its on-screen order."""
    return [_responsibility_row(r) for r in session.scalars(
        select(Responsibility).order_by(Responsibility.position, Responsibility.id))]


def _check_category(category: str) -> str:
    if category not in catalog.CATEGORIES:
        raise ValidationError({"category": "A responsibility is client-focused, "
                                           "project-focused or shared."})
    return category


def _check_responsibility_name(session: Session, name: str, own_id: int | None) -> str:
    name = _clean_name(name, "responsibility")
    clash = session.scalar(select(Responsibility.id).where(
        Responsibility.name_key == name_key(name)))
    if clash is not None and clash != own_id:
        raise ValidationError({"name": f"“{name}” is already in the catalog."})
    return name


def add_responsibility(session: Session, name: str,
                       category: str = catalog.SHARED) -> ResponsibilityRow:
    """Add an item at the end of the catalog."""
    name = _check_responsibility_name(session, name, None)
    position = (session.scalar(select(func.max(Responsibility.position))) or 0) + 1
    item = Responsibility(name=name, name_key=name_key(name),
                          category=_check_category(category), position=position)
    session.add(item)
    session.flush()
    return _responsibility_row(item)


def update_responsibility(session: Session, responsibility_id: int, expected_version: int,
                          *, name: str | None = None,
                          category: str | None = None) -> ResponsibilityRow:
    """Rename an item or sort it into another category."""
    item = session.get(Responsibility, responsibility_id)
    mine = {k: v for k, v in (("name", name), ("category", category)) if v is not None}
    if item is None:
        raise ConflictError("Someone removed this responsibility while you were editing "
                            "it.", theirs=None, mine=mine)
    if item.version != expected_version:
        raise ConflictError("Someone changed this responsibility while you were editing "
                            "it.", theirs=_responsibility_row(item), mine=mine)
    if name is not None:
        item.name = _check_responsibility_name(session, name, item.id)
        item.name_key = name_key(item.name)
    if category is not None:
        item.category = _check_category(category)
    _flush(session, "Someone changed this responsibility while you were editing it.",
           mine=mine)
    return _responsibility_row(item)


def delete_responsibility(session: Session, responsibility_id: int,
                          expected_version: int) -> ResponsibilityRow:
    """Remove an item; returns it as it was, so undo can add it back."""
    item = session.get(Responsibility, responsibility_id)
    if item is None:
        raise NotFoundError("That responsibility is already gone.")
    row = _responsibility_row(item)
    if item.version != expected_version:
        raise ConflictError("Someone changed this responsibility since you loaded it.",
                            theirs=row, mine={})
    session.delete(item)
    _flush(session, "Someone changed this responsibility while you were removing it.")
    return row


def restore_responsibility(session: Session, row: ResponsibilityRow) -> ResponsibilityRow:
    """Put back an item removed by :func:`delete_responsibility` (undo)."""
    name = _check_responsibility_name(session, row.name, None)
    item = Responsibility(name=name, name_key=name_key(name),
                          category=_check_category(row.category), position=row.position)
    session.add(item)
    session.flush()
    return _responsibility_row(item)


def order_responsibilities(session: Session, ids_in_order: Sequence[int]) -> None:
    """Set the catalog's on-screen order (ids not listed keep their place after them)."""
    items = {r.id: r for r in session.scalars(select(Responsibility))}
    listed = [items[i] for i in ids_in_order if i in items]
    rest = sorted((r for r in items.values() if r.id not in set(ids_in_order)),
                  key=lambda r: (r.position, r.id))
    for position, item in enumerate([*listed, *rest]):
        if item.position != position:
            item.position = position
    session.flush()


def responsibility_balance(session: Session) -> catalog.Balance:
    """How the workspace's catalog splits into client-, project-focused and shared."""
    return catalog.balance(session.scalars(select(Responsibility.category)))


def responsibility_split(session: Session, plan_id: int) -> list[tuple[str, str]]:
    """``(name, category)`` of the responsibilities as this plan sorted them.

    The plan's own record (saved by the wizard's second page) wins, so a printed plan
    stays as agreed even if the catalog is edited later; without it, the catalog.
    """
    saved = _steps(_plan(session, plan_id)).get("responsibilities", {}).get("categories")
    if isinstance(saved, dict) and saved:
        return [(str(n), str(c)) for n, c in saved.items() if c in catalog.CATEGORIES]
    return [(r.name, r.category) for r in list_responsibilities(session)]


# --------------------------------------------------------------------------- templates


def _template_row(t: TeamTemplate) -> TemplateRow:
    return TemplateRow(t.id, t.version, catalog.TeamTemplate(
        name=t.name, roles=tuple(t.roles), activities=tuple(t.activities),
        cells=tuple(tuple(row) for row in t.cells), description=t.description or "",
        key=t.key, builtin=t.builtin, role_keys=tuple(t.role_keys or ())))


def list_templates(session: Session) -> list[TemplateRow]:
    """Built-in templates first (in the app's order), then the studio's own by name."""
    order = {t.key: i for i, t in enumerate(catalog.BUILTIN_TEMPLATES)}
    templates = session.scalars(select(TeamTemplate)).all()
    return [_template_row(t) for t in sorted(
        templates, key=lambda t: (not t.builtin, order.get(t.key, 99), t.name_key))]


def get_template(session: Session, template_id: int) -> TemplateRow:
    template = session.get(TeamTemplate, template_id)
    if template is None:
        raise NotFoundError("That team template no longer exists.")
    return _template_row(template)


def _free_template_name(session: Session, base: str) -> str:
    taken = set(session.scalars(select(TeamTemplate.name_key)))
    name, n = f"{base} (copy)", 2
    while name_key(name) in taken:
        name, n = f"{base} (copy {n})", n + 1
    return name


def copy_template(session: Session, template_id: int, name: str | None = None) -> TemplateRow:
    """A studio's own, editable copy of a template (built-in or not)."""
    source = get_template(session, template_id).template
    name = _clean_name(name, "template") if name else _free_template_name(session,
                                                                         source.name)
    if session.scalar(select(TeamTemplate.id).where(TeamTemplate.name_key == name_key(name))):
        raise ValidationError({"name": f"A template named “{name}” already exists."})
    copied = catalog.copy_template(source, name)
    row = TeamTemplate(key=None, name=copied.name, name_key=name_key(copied.name),
                       builtin=False, description=copied.description,
                       roles=list(copied.roles), role_keys=list(copied.role_keys),
                       activities=list(copied.activities),
                       cells=[list(r) for r in copied.cells])
    session.add(row)
    session.flush()
    return _template_row(row)


def save_template(session: Session, template_id: int, expected_version: int,
                  template: catalog.TeamTemplate) -> TemplateRow:
    """Store an edited copy (name, roles, activities, cells); built-ins are refused."""
    row = session.get(TeamTemplate, template_id)
    if row is None:
        raise ConflictError("Someone deleted this template while you were editing it.",
                            theirs=None, mine={"template": template})
    if row.builtin:
        raise PlanStateError(f"“{row.name}” comes with Studio Desk and cannot be changed; "
                             "make a copy and edit that.")
    if row.version != expected_version:
        raise ConflictError("Someone changed this template while you were editing it.",
                            theirs=_template_row(row), mine={"template": template})
    name = _clean_name(template.name, "template")
    clash = session.scalar(select(TeamTemplate.id).where(
        TeamTemplate.name_key == name_key(name)))
    if clash is not None and clash != row.id:
        raise ValidationError({"name": f"A template named “{name}” already exists."})
    row.name, row.name_key = name, name_key(name)
    row.description = template.description
    row.roles, row.role_keys = list(template.roles), list(template.role_keys)
    row.activities = list(template.activities)
    row.cells = [list(r) for r in template.cells]
    _flush(session, "Someone changed this template while you were saving it.",
           mine={"template": template})
    return _template_row(row)


def delete_template(session: Session, template_id: int, expected_version: int) -> None:
    """Remove a studio's own template (plans that used it keep working without one)."""
    row = session.get(TeamTemplate, template_id)
    if row is None:
        raise NotFoundError("That team template is already gone.")
    if row.builtin:
        raise PlanStateError(f"“{row.name}” comes with Studio Desk and cannot be removed.")
    if row.version != expected_version:
        raise ConflictError("Someone changed this template since you loaded it.",
                            theirs=_template_row(row), mine={})
    session.delete(row)
    _flush(session, "Someone changed this template while you were removing it.")


# --------------------------------------------------------------------------- items


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


def plan_items(session: Session, plan_id: int) -> list[PlanItemRow]:
    """The plan's rows: per client its Account Manager row, then its projects' rows."""
    _plan(session, plan_id)
    return _item_rows(session, plan_id)


def current_account_managers(session: Session) -> dict[int, str]:
    """Client id -> the name of the person who is its Account Manager now (open
    assignment); clients without one are left out."""
    role = _role_ids(session).get(catalog.ROLE_ACCOUNT_MANAGER)
    held: dict[int, str] = {}
    # Ordered by start, so the latest open assignment wins (as in the proposal).
    for client_id, name in session.execute(
            select(Assignment.client_id, Person.name)
            .join(Person, Person.id == Assignment.person_id)
            .where(Assignment.end.is_(None), Assignment.role_id == role,
                   Assignment.client_id.is_not(None))
            .order_by(Assignment.start, Assignment.id)):
        if client_id is not None:  # the query keeps client assignments only
            held[client_id] = name
    return held


@dataclass(frozen=True)
class _Workspace:
    """What the optimiser and the checks need to know about the workspace right now."""

    people: list[PersonRow]
    projects: list[ProjectRow]  # active and back-burner only
    client_ids: dict[str, int]
    client_names: dict[int, str]
    current_am: dict[int, tuple[int, dt.date]]  # client id -> (person id, since)
    current_pm: dict[int, int | None]  # project id -> manager id
    pm_since: dict[int, tuple[int, dt.date]]  # project id -> open PM assignment
    relationships: dict[int, list[tuple[int, int, dt.date | None]]] = field(
        default_factory=dict)


def _read_workspace(session: Session) -> _Workspace:
    people = [r for r in records.list_rows(session, "person") if isinstance(r, PersonRow)]
    projects = [r for r in records.list_rows(session, "project")
                if isinstance(r, ProjectRow) and r.status in ("active", "back-burner")]
    client_names = dict(session.execute(select(Client.id, Client.name)).all())
    roles = _role_ids(session)
    current_am: dict[int, tuple[int, dt.date]] = {}
    pm_since: dict[int, tuple[int, dt.date]] = {}
    open_rows = session.execute(
        select(Assignment.role_id, Assignment.client_id, Assignment.project_id,
               Assignment.person_id, Assignment.start)
        .where(Assignment.end.is_(None)).order_by(Assignment.start, Assignment.id))
    for role_id, client_id, project_id, person_id, start in open_rows:
        # Ordered by start, so the latest open assignment wins if there are several.
        if role_id == roles.get(catalog.ROLE_ACCOUNT_MANAGER) and client_id is not None:
            current_am[client_id] = (person_id, start)
        elif role_id == roles.get(catalog.ROLE_PRODUCTION_MANAGER) and project_id:
            pm_since[project_id] = (person_id, start)
    current_pm = dict(session.execute(select(Project.id, Project.manager_id)).all())
    relationships: dict[int, list[tuple[int, int, dt.date | None]]] = {}
    for person_id, client_id, strength, since in session.execute(
            select(Relationship.person_id, Relationship.client_id, Relationship.strength,
                   Relationship.since)):
        relationships.setdefault(client_id, []).append((person_id, strength, since))
    return _Workspace(people, projects,
                      {name: cid for cid, name in client_names.items()}, client_names,
                      current_am, current_pm, pm_since, relationships)


def _importance(ws: _Workspace, overrides: Mapping[str, Any]) -> dict[int, float]:
    """How much each client matters for ordering and channels.

    The budget of their active and back-burner projects; if the studio records no
    budgets for them at all, their active projects plus half their back-burner ones.
    A weight the user gave in the wizard overrides either.
    """
    budget: dict[int, float] = dict.fromkeys(ws.client_names, 0.0)
    count: dict[int, float] = dict.fromkeys(ws.client_names, 0.0)
    for project in ws.projects:
        cid = ws.client_ids[project.client]
        budget[cid] += project.budget or 0.0
        count[cid] += 1.0 if project.status == "active" else 0.5
    base = budget if any(budget.values()) else count
    result = dict(base)
    for key, weight in overrides.items():
        try:
            cid, value = int(key), float(weight)
        except (TypeError, ValueError):
            continue
        if cid in result and value >= 0:
            result[cid] = value
    return result


def _optimizer_inputs(ws: _Workspace, leanings: Mapping[int, str],
                      importance: Mapping[int, float]
                      ) -> tuple[list[Candidate], list[ClientItem], list[ProjectItem]]:
    from studio_desk.core.optimizer import Candidate, ClientItem, ProjectItem

    candidates = []
    for person in ws.people:
        leaning = leanings.get(person.id, LEANING_BOTH)
        if not person.active or leaning == LEANING_NEITHER:
            continue
        candidates.append(Candidate(
            person_id=person.id, name=person.name, client_facing=person.client_facing,
            head_down=person.head_down, weekly_hours=person.weekly_hours,
            max_clients=person.max_clients, max_active_projects=person.max_active_projects,
            max_backburner_projects=person.max_backburner_projects,
            may_account_manage=leaning != LEANING_PM,
            may_production_manage=leaning != LEANING_AM))
    clients = []
    for cid, name in sorted(ws.client_names.items()):
        current = ws.current_am.get(cid)
        clients.append(ClientItem(
            client_id=cid, name=name,
            current_account_manager_id=current[0] if current else None,
            current_since=current[1] if current else None,
            relationships=tuple(ws.relationships.get(cid, ())),
            importance=importance.get(cid, 0.0)))
    projects = []
    for project in ws.projects:
        manager = ws.current_pm.get(project.id)
        since = ws.pm_since.get(project.id)
        projects.append(ProjectItem(
            project_id=project.id, name=project.name,
            client_id=ws.client_ids[project.client], status=project.status,
            lead_type=project.effective_lead_type,
            technical_complexity=project.technical_complexity,
            communication_load=project.communication_load,
            weekly_hours=project_weekly_hours(project), current_manager_id=manager,
            current_since=since[1] if since and since[0] == manager else None))
    return candidates, clients, projects


def propose_plan(session: Session, plan_id: int, *,
                 weights: ScoreWeights | None = None) -> PlanProposal:
    """Propose an Account Manager per client and a Production Manager per project.

    Uses the workspace as it is now and the plan's confirmed leanings; rows the user
    chose by hand (:func:`override_item`) are kept as chosen. Replaces the plan's rows.
    """
    plan = _plan(session, plan_id)
    _require_draft(plan, "be proposed again")
    ws = _read_workspace(session)
    row = _plan_row(session, plan)
    importance = _importance(ws, row.step("tell_clients").get("importance", {}))
    candidates, clients, projects = _optimizer_inputs(ws, row.leanings, importance)
    in_scope = {("client", c.client_id) for c in clients} | {
        ("project", p.project_id) for p in projects}
    pinned: dict[tuple[str, int], int | None] = {}
    for item in session.scalars(select(PlanItem).where(PlanItem.plan_id == plan_id,
                                                       PlanItem.overridden.is_(True))):
        key = ("project", item.project_id) if item.project_id is not None \
            else ("client", item.client_id)
        if key in in_scope:
            pinned[key] = item.person_id  # type: ignore[assignment]
    from studio_desk.core.optimizer import ScoreWeights, propose

    proposal = propose(candidates, clients, projects, pinned=pinned,
                       weights=weights or ScoreWeights())
    session.execute(delete(PlanItem).where(PlanItem.plan_id == plan_id))
    values = []
    for placement in proposal.placements:
        unplaced = placement.person_id is None and not placement.pinned
        is_client = placement.kind == "client"
        values.append({
            "plan_id": plan_id, "role": placement.role,
            "client_id": placement.item_id if is_client else None,
            "project_id": None if is_client else placement.item_id,
            "person_id": placement.person_id,
            "previous_person_id": placement.previous_person_id,
            "reason": placement.reason, "overridden": placement.pinned,
            "gap": placement.reason if unplaced else None, "version": 1})
    if values:
        session.execute(insert(PlanItem), values)
    who = _who(session)
    # Plain Python numbers: the solver may hand back numpy scalars, which JSON refuses.
    shortfall = {str(k): float(v) for k, v in proposal.shortfall.items()}
    plan.proposal = {"score": float(proposal.score), "unplaced": int(proposal.unplaced_count),
                     "shortfall": shortfall, "proven_optimal": bool(proposal.proven_optimal),
                     "by": who, "at": _now().isoformat()}
    _touch(plan, who)
    _flush(session, "Someone changed this plan while the proposal was being made.")
    return PlanProposal(tuple(_item_rows(session, plan_id)), float(proposal.score),
                        int(proposal.unplaced_count), MappingProxyType(shortfall),
                        bool(proposal.proven_optimal))


def _item_of_plan(session: Session, plan: Plan, item_id: int) -> PlanItem:
    item = session.get(PlanItem, item_id)
    if item is None or item.plan_id != plan.id:
        raise NotFoundError("That row is no longer in the plan; the proposal may have "
                            "been refreshed.")
    return item


def override_item(session: Session, plan_id: int, item_id: int, person_id: int | None, *,
                  expected_version: int | None = None) -> PlanItemRow:
    """Choose the person for one row by hand (None: leave it without a manager).

    The choice is kept by every later proposal until :func:`release_override`.
    """
    plan = _plan(session, plan_id)
    _require_draft(plan, "be changed")
    item = _item_of_plan(session, plan, item_id)
    if expected_version is not None and item.version != expected_version:
        raise ConflictError("Someone changed this row of the plan while you were editing "
                            "it.", theirs=_item_rows(session, plan_id, [item_id])[0],
                            mine={"person_id": person_id})
    if person_id is None:
        reason = "chosen by hand: left without a manager"
    else:
        person = session.get(Person, person_id)
        if person is None or not person.active:
            raise ValidationError({"person": "Choose someone who is still with the studio."})
        reason = f"chosen by hand: {person.name}"
    item.person_id = person_id
    item.overridden = True
    item.reason = reason
    item.gap = None
    _touch(plan, _who(session))
    _flush(session, "Someone changed this row of the plan while you were editing it.",
           mine={"person_id": person_id})
    return _item_rows(session, plan_id, [item_id])[0]


def release_override(session: Session, plan_id: int, item_id: int) -> PlanProposal:
    """Hand a row chosen by hand back to the proposal, and propose again."""
    plan = _plan(session, plan_id)
    _require_draft(plan, "be changed")
    item = _item_of_plan(session, plan, item_id)
    item.overridden = False
    session.flush()
    return propose_plan(session, plan_id)


# --------------------------------------------------------------------------- capacity


def capacity_before_after(session: Session, plan_id: int
                          ) -> tuple[list[Capacity], list[Capacity]]:
    """Every active person's load before this plan and with it.

    For a draft, "before" is the workspace today. Once applied, the workspace already
    holds the plan, so "before" is who held each role when the plan was made (each
    item's previous person) and "after" is today.
    """
    applied = _plan(session, plan_id).status != STATUS_DRAFT
    ws = _read_workspace(session)
    items = _item_rows(session, plan_id)
    by_id = {p.id: p for p in ws.projects}
    people = [p for p in ws.people if p.active]

    def loads(pm_of: Mapping[int, int | None], am_of: Mapping[int, int | None]
              ) -> list[Capacity]:
        managed: dict[int, list[ProjectRow]] = {}
        for project_id, person_id in pm_of.items():
            if person_id is not None and project_id in by_id:
                managed.setdefault(person_id, []).append(by_id[project_id])
        held: dict[int, int] = {}
        for person_id in am_of.values():
            if person_id is not None:
                held[person_id] = held.get(person_id, 0) + 1
        return [capacity_of(p, managed.get(p.id, ()), held.get(p.id, 0)) for p in people]

    pm_now = {pid: ws.current_pm.get(pid) for pid in by_id}
    am_now: dict[int, int | None] = {cid: am[0] for cid, am in ws.current_am.items()}
    pm_other, am_other = dict(pm_now), dict(am_now)
    for item in items:
        holder = item.previous_person_id if applied else item.person_id
        if item.project_id is not None:
            pm_other[item.project_id] = holder
        else:
            am_other[item.client_id] = holder
    now, other = loads(pm_now, am_now), loads(pm_other, am_other)
    return (other, now) if applied else (now, other)


# --------------------------------------------------------------------------- conversations


def _conversation_rows(session: Session, plan_id: int,
                       ids: Iterable[int] | None = None) -> list[ConversationRow]:
    names = _person_names(session)
    query = (select(PlanConversation, Client.name)
             .join(Client, PlanConversation.client_id == Client.id)
             .where(PlanConversation.plan_id == plan_id))
    if ids is not None:
        query = query.where(PlanConversation.id.in_(list(ids)))
    query = query.execution_options(populate_existing=True)

    def name(pid: int | None) -> str | None:
        return names.get(pid) if pid is not None else None

    rows = [ConversationRow(
        id=c.id, version=c.version, plan_id=c.plan_id, client_id=c.client_id,
        client=client, informer_id=c.informer_id, informer=name(c.informer_id),
        channel=c.channel, on_date=c.on_date, talking_points=c.talking_points,
        handover_from_id=c.handover_from_id, handover_from=name(c.handover_from_id),
        handover_to_id=c.handover_to_id, handover_to=name(c.handover_to_id),
        handover_on=c.handover_on, status=c.status)
        for c, client in session.execute(query)]
    rows.sort(key=lambda r: (r.on_date is None, r.on_date or dt.date.max,
                             name_key(r.client)))
    return rows


def plan_conversations(session: Session, plan_id: int) -> list[ConversationRow]:
    """The plan's client conversations by date (unscheduled ones last)."""
    _plan(session, plan_id)
    return _conversation_rows(session, plan_id)


def schedule_plan(session: Session, plan_id: int, *, weeks_before: int | None = None,
                  max_per_day: int | None = None, template: str | None = None,
                  today: dt.date | None = None) -> PlanSchedule:
    """Plan who tells each client, how and when, and store it (replacing any earlier one).

    Settings not given come from what the plan saved, then from the defaults of
    ``core.schedule``; the ones used are saved back. Conversations already marked
    informed or settled keep their status when the same client is scheduled again.
    """
    plan = _plan(session, plan_id)
    row = _plan_row(session, plan)
    if plan.effective_date is None:
        raise PlanStateError(f"“{plan.name}” has no effective date yet: set it on the "
                             "first page.")
    items = _item_rows(session, plan_id)
    if not items:
        raise PlanStateError(f"“{plan.name}” has no proposal yet: make one on the Assign "
                             "page first.")
    saved = row.step("tell_clients")
    weeks_before = int(weeks_before if weeks_before is not None
                       else saved.get("weeks_before", sched.DEFAULT_WEEKS_BEFORE))
    max_per_day = int(max_per_day if max_per_day is not None
                      else saved.get("max_per_day", sched.DEFAULT_MAX_PER_DAY))
    if template is None:
        template = saved.get("template") or sched.default_talking_points()
    ws = _read_workspace(session)
    importance = _importance(ws, saved.get("importance", {}))
    names = _person_names(session)
    active = {p.id for p in ws.people if p.active}

    def person(pid: int | None) -> sched.Person | None:
        return sched.Person(pid, names[pid]) if pid is not None and pid in names else None

    def strength(client_id: int, pid: int | None) -> int:
        return max((s for p, s, _ in ws.relationships.get(client_id, ()) if p == pid),
                   default=0)

    pms: dict[int, list[tuple[str, str]]] = {}
    for item in items:
        if item.project_id is not None and item.person is not None:
            pms.setdefault(item.client_id, []).append((item.person, item.project or ""))
    notices = [sched.ClientNotice(
        client_id=item.client_id, name=item.client,
        importance=importance.get(item.client_id, 0.0),
        account_manager=person(item.person_id),
        previous_account_manager=person(item.previous_person_id),
        account_manager_strength=strength(item.client_id, item.person_id),
        previous_strength=strength(item.client_id, item.previous_person_id),
        previous_still_here=item.previous_person_id in active,
        production_managers=tuple(pms.get(item.client_id, ())))
        for item in items if item.project_id is None]
    result = sched.plan_conversations(
        notices, plan.effective_date, weeks_before=weeks_before, max_per_day=max_per_day,
        not_before=today or dt.date.today(), template=template)
    statuses = dict(session.execute(
        select(PlanConversation.client_id, PlanConversation.status)
        .where(PlanConversation.plan_id == plan_id)).all())
    session.execute(delete(PlanConversation).where(PlanConversation.plan_id == plan_id))
    values = [{
        "plan_id": plan_id, "client_id": c.client_id,
        "informer_id": c.informer.id if c.informer else None, "channel": c.channel,
        "on_date": c.on, "talking_points": c.talking_points,
        "handover_from_id": c.handover_from.id if c.handover_from else None,
        "handover_to_id": c.handover_to.id if c.handover_to else None,
        "handover_on": c.handover_on, "status": statuses.get(c.client_id, "planned"),
        "version": 1} for c in result.conversations]
    if values:
        session.execute(insert(PlanConversation), values)
    state = _state(plan)
    step = state["steps"].setdefault("tell_clients", {})
    # The default text is not copied in, so a plan follows improvements to it.
    step.update({"weeks_before": weeks_before, "max_per_day": max_per_day,
                 "template": None if template == sched.default_talking_points()
                 else template, "fits": result.fits, "message": result.message})
    who = _who(session)
    _mark_step_saved(plan, state, "tell_clients", who)
    _touch(plan, who)
    _flush(session, "Someone changed this plan while the schedule was being made.")
    return PlanSchedule(tuple(_conversation_rows(session, plan_id)), result.fits,
                        result.message, result.window_start, result.window_end)


def set_conversation_status(session: Session, conversation_id: int, status: str, *,
                            expected_version: int | None = None) -> ConversationRow:
    """Mark a client conversation planned, informed or settled.

    An applied plan whose conversations are all settled becomes done (and applied again
    if one is reopened).
    """
    if status not in CONVERSATION_STATUSES:
        raise ValidationError({"status": "A conversation is planned, informed or settled."})
    conversation = session.get(PlanConversation, conversation_id)
    if conversation is None:
        raise NotFoundError("That conversation is no longer in the plan; the schedule "
                            "may have been made again.")
    if expected_version is not None and conversation.version != expected_version:
        raise ConflictError("Someone updated this conversation while you were looking at "
                            "it.", theirs=_conversation_rows(
                                session, conversation.plan_id, [conversation_id])[0],
                            mine={"status": status})
    conversation.status = status
    plan = _plan(session, conversation.plan_id)
    session.flush()
    if plan.status in (STATUS_APPLIED, STATUS_DONE):
        informed, settled, total = plan_progress(session, plan.id)
        plan.status = STATUS_DONE if total and settled == total else STATUS_APPLIED
    _touch(plan, _who(session))
    _flush(session, "Someone updated this conversation while you were saving it.",
           mine={"status": status})
    return _conversation_rows(session, plan.id, [conversation_id])[0]


def update_conversation(session: Session, conversation_id: int, expected_version: int, *,
                        informer_id: int | None = _UNSET, channel: str = _UNSET,
                        on_date: dt.date | None = _UNSET,
                        talking_points: str = _UNSET) -> ConversationRow:
    """Change who informs a client, how, when, or what they say (the wizard's edits).

    Refuses (:class:`ConflictError`) a conversation changed since it was loaded; the
    next :func:`schedule_plan` replaces these edits with a fresh schedule.
    """
    mine = {k: v for k, v in (("informer_id", informer_id), ("channel", channel),
                              ("on_date", on_date), ("talking_points", talking_points))
            if v is not _UNSET}
    conversation = session.get(PlanConversation, conversation_id)
    if conversation is None:
        raise ConflictError("That conversation is no longer in the plan; the schedule "
                            "may have been made again.", theirs=None, mine=mine)
    if conversation.version != expected_version:
        raise ConflictError("Someone changed this conversation while you were editing it.",
                            theirs=_conversation_rows(session, conversation.plan_id,
                                                      [conversation_id])[0], mine=mine)
    if informer_id is not _UNSET:
        if informer_id is not None:
            person = session.get(Person, informer_id)
            if person is None or not person.active:
                raise ValidationError({"informer": "Choose someone who is still with the "
                                                   "studio to inform the client."})
        conversation.informer_id = informer_id
    if channel is not _UNSET:
        if channel not in sched.CHANNELS:
            raise ValidationError({"channel": "A client is told in a meeting, a call or an "
                                              "email."})
        conversation.channel = channel
    if on_date is not _UNSET:
        effective = _plan(session, conversation.plan_id).effective_date
        if on_date is not None and effective is not None and on_date >= effective:
            raise ValidationError({"on_date": "Tell the client before the change takes "
                                              f"effect (before {effective.isoformat()})."})
        conversation.on_date = on_date
    if talking_points is not _UNSET:
        if len(talking_points) > 100_000:
            raise ValidationError({"talking_points": "The talking points are too long "
                                                     "(at most 100,000 characters)."})
        conversation.talking_points = talking_points
    _touch(_plan(session, conversation.plan_id), _who(session))
    _flush(session, "Someone changed this conversation while you were saving it.",
           mine=mine)
    return _conversation_rows(session, conversation.plan_id, [conversation_id])[0]


def plan_progress(session: Session, plan_id: int) -> tuple[int, int, int]:
    """``(informed, settled, total)`` client conversations; a settled client counts as
    informed too, so "7 of 12 clients informed" reads ``informed`` of ``total``."""
    counts = dict(session.execute(
        select(PlanConversation.status, func.count())
        .where(PlanConversation.plan_id == plan_id)
        .group_by(PlanConversation.status)).all())
    settled = counts.get("settled", 0)
    informed = counts.get("informed", 0) + settled
    return informed, settled, sum(counts.values())


# --------------------------------------------------------------------------- apply


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
        if item.project_id is not None:
            now = ws.current_pm.get(item.project_id)
        else:
            am = ws.current_am.get(item.client_id)
            now = am[0] if am else None
        if now != item.previous_person_id:
            moved.append(item.item_name)
    if moved:
        reasons.append(f"managers changed since for {', '.join(sorted(moved)[:3])}")
    return reasons


def apply_plan(session: Session, plan_id: int, *,
               expected_version: int | None = None) -> AppliedPlan:
    """Make the plan's assignments current from its effective date, keeping history.

    Refuses (:class:`PlanStateError`) a plan already applied, without an effective date
    or a proposal, with rows no one could be placed in, or made on a workspace that has
    moved on since (new clients or projects, managers changed by hand): propose again
    first. With ``expected_version``, refuses a plan changed since it was reviewed
    (:class:`ConflictError`). Closing and opening assignments is described in the
    module docstring.
    """
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
    ws = _read_workspace(session)
    stale = _stale_reasons(ws, items)
    if stale:
        raise PlanStateError(f"The workspace changed since “{plan.name}” was proposed "
                             f"({'; '.join(stale)}): refresh the proposal before applying.")
    roles = _role_ids(session)
    day_before = effective - dt.timedelta(days=1)
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
            if project is not None and project.manager_id != item.person_id:
                project.manager_id = item.person_id
            if item.changed:
                changed += 1
            else:
                unchanged += 1
    who = _who(session)
    plan.status = STATUS_APPLIED
    plan.applied_by, plan.applied_at = who, _now()
    _touch(plan, who)
    _flush(session, "Someone changed a project or this plan while it was being applied; "
                    "nothing was changed. Try again.")
    return AppliedPlan(_plan_row(session, plan), changed, unchanged)


# --------------------------------------------------------------------------- export


def plan_rows_for_export(session: Session, plan_id: int) -> list[dict[str, str]]:
    """The plan as the ``plan export`` CSV rows (keys: :data:`PLAN_EXPORT_COLUMNS`).

    Per client: its Account Manager row (with who informs the client and when), then a
    Production Manager row per project. An unplaced row has an empty ``person`` and a
    ``reason`` naming the capacity that is missing. Cells are plain text; neutralising
    spreadsheet formulas is the CSV writer's job.
    """
    _plan(session, plan_id)
    informs = {c.client_id: c for c in _conversation_rows(session, plan_id)}
    rows = []
    for item in _item_rows(session, plan_id):
        is_client_row = item.project_id is None
        talk = informs.get(item.client_id) if is_client_row else None
        rows.append({
            "client": item.client,
            "project": item.project or "",
            "role": item.role,
            "person": item.person or "",
            "previous_person": item.previous_person or "",
            "reason": item.gap or item.reason,
            "inform_by": (talk.informer or "") if talk else "",
            "inform_on": talk.on_date.isoformat() if talk and talk.on_date else "",
        })
    return rows
