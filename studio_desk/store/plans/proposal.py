"""Proposing who takes which role, and choosing by hand.

:func:`propose_plan` reads the workspace and the plan's people step
(:func:`read_proposal_inputs`), runs the optimiser (:func:`solve_proposal`) and stores one
plan item per client (Account Manager) and per active or back-burner project (Production
Manager) (:func:`save_proposal`); :func:`propose_in_workspace` does the same without
holding a lock while solving. :func:`confirm_people` records the people step's leanings
and role limits, :func:`override_item` pins a row to a person of the user's choice (kept
by every later proposal; :func:`override_items` many rows at once, :func:`restore_items`
takes that back), and :func:`capacity_before_after` measures everyone's load
without and with the plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from studio_desk.core import catalog, leanings
from studio_desk.core.capacity import Capacity, capacity_of, project_weekly_hours
from studio_desk.core.errors import ConflictError, NotFoundError, ValidationError
from studio_desk.core.rows import PersonRow, ProjectRow
from studio_desk.store import holders, records
from studio_desk.store.models import (
    Client,
    Person,
    Plan,
    PlanItem,
    Project,
    Relationship,
)
from studio_desk.store.plans._common import (
    LEANING_AM,
    LEANING_NEITHER,
    LEANING_PM,
    LEANINGS,
    STATUS_DRAFT,
    PlanItemRow,
    PlanRow,
    _flush,
    _item_rows,
    _now,
    _plan,
    _plan_row,
    _require_draft,
    _touch,
    _who,
)
from studio_desk.store.plans.state import save_step

if TYPE_CHECKING:
    # The optimizer pulls in SciPy (about a second): imported where a proposal is made,
    # so listing, exporting or applying a plan starts fast.
    from studio_desk.core.optimizer import (
        Candidate,
        ClientItem,
        ProjectItem,
        Proposal,
        ScoreWeights,
    )
    from studio_desk.store.engine import Workspace


@dataclass(frozen=True)
class PlanProposal:
    """What :func:`propose_plan` stored: the rows and the proposal's summary."""

    items: tuple[PlanItemRow, ...]
    score: float
    unplaced_count: int
    shortfall: Mapping[str, float]
    proven_optimal: bool = True
    #: Per role whose work could not all be placed: what it would take (core.reasons).
    advice: tuple[str, ...] = ()


def plan_items(session: Session, plan_id: int) -> list[PlanItemRow]:
    """The plan's rows: per client its Account Manager row, then its projects' rows."""
    _plan(session, plan_id)
    return _item_rows(session, plan_id)


def current_account_managers(session: Session, today: dt.date | None = None
                             ) -> dict[int, str]:
    """Client id -> the name of the person who is its Account Manager on ``today``
    (default the computer's date: the assignment that covers it, not one that starts
    later); clients without one are left out."""
    held = holders.holders_on(session, catalog.ROLE_ACCOUNT_MANAGER,
                              today or dt.date.today())
    names = dict(session.execute(select(Person.id, Person.name)).all())
    return {client_id: names[h.person_id] for client_id, h in held.items()
            if h.person_id in names}


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

    def holder_of(self, item: PlanItemRow) -> int | None:
        """Who holds ``item``'s role in this workspace: its project's manager, or its
        client's Account Manager."""
        if item.project_id is not None:
            return self.current_pm.get(item.project_id)
        held = self.current_am.get(item.client_id)
        return held[0] if held else None


def _read_workspace(session: Session, today: dt.date | None = None, *,
                    day: dt.date | None = None) -> _Workspace:
    """The workspace as it is on ``day`` (default ``today``, itself by default the
    computer's date): who holds each role, each person's limits (``store.holders``)."""
    today = today or dt.date.today()
    day = max(day or today, today)
    people = holders.with_limits(
        (r for r in records.list_rows(session, "person") if isinstance(r, PersonRow)),
        holders.limits_on(session, day, today=today))
    changes = holders.manager_changes_on(session, day, today=today)
    projects = holders.with_managers(
        (r for r in records.list_rows(session, "project")
         if isinstance(r, ProjectRow) and r.status in ("active", "back-burner")),
        changes, {p.id: p.name for p in people})
    client_names = dict(session.execute(select(Client.id, Client.name)).all())
    current_am = {cid: (h.person_id, h.start) for cid, h in holders.holders_on(
        session, catalog.ROLE_ACCOUNT_MANAGER, day).items()}
    pm_since = {pid: (h.person_id, h.start) for pid, h in holders.holders_on(
        session, catalog.ROLE_PRODUCTION_MANAGER, day).items()}
    current_pm: dict[int, int | None] = dict(
        session.execute(select(Project.id, Project.manager_id)).all())
    current_pm.update(changes)
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


def leanings_in_force(ws_people: Sequence[PersonRow], projects: Sequence[ProjectRow],
                      clients: int, confirmed: Mapping[int, str]) -> dict[int, str]:
    """Everyone active's leaning: the confirmed one, else the first guess (as page 3)."""
    active = sum(1 for p in projects if p.status == "active")
    guesses = leanings.propose_leanings(ws_people, clients, active)
    return {pid: confirmed.get(pid, guess.leaning) for pid, guess in guesses.items()}


@dataclass(frozen=True)
class ProposalInputs:
    """Everything a proposal is worked out from, read in one short read transaction, so
    the solve itself holds no lock (:func:`propose_in_workspace`)."""

    plan_id: int
    plan_version: int
    candidates: tuple[Candidate, ...]
    clients: tuple[ClientItem, ...]
    projects: tuple[ProjectItem, ...]
    pinned: Mapping[tuple[str, int], int | None]
    #: Per person whose accepted limits fall short of the suggestion for their role.
    suggested: Mapping[int, leanings.RoleLimits]


def _optimizer_inputs(ws: _Workspace, plan: PlanRow, importance: Mapping[int, float]
                      ) -> tuple[list[Candidate], list[ClientItem], list[ProjectItem],
                                 dict[int, leanings.RoleLimits]]:
    from studio_desk.core.optimizer import Candidate, ClientItem, ProjectItem

    in_force = leanings_in_force(ws.people, ws.projects, len(ws.client_names),
                                 plan.leanings)
    accepted = plan.role_limits
    candidates = []
    suggested: dict[int, leanings.RoleLimits] = {}
    for person in ws.people:
        leaning = in_force.get(person.id, LEANING_NEITHER)
        if not person.active or leaning == LEANING_NEITHER:
            continue
        limits = accepted.get(person.id) or leanings.everyday_limits(person).as_dict()
        offer = leanings.suggest_role_limits(person, leaning)
        if any(getattr(offer, key) > limits[key] for key in leanings.LIMIT_KEYS):
            suggested[person.id] = offer
        candidates.append(Candidate(
            person_id=person.id, name=person.name, client_facing=person.client_facing,
            head_down=person.head_down, weekly_hours=person.weekly_hours,
            max_clients=limits["max_clients"],
            max_active_projects=limits["max_active_projects"],
            max_backburner_projects=limits["max_backburner_projects"],
            may_account_manage=leaning != LEANING_PM,
            may_production_manage=leaning != LEANING_AM,
            side=leanings.side_of(person, leaning)))
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
    return candidates, clients, projects, suggested


def read_proposal_inputs(session: Session, plan_id: int) -> ProposalInputs:
    """What :func:`solve_proposal` needs, as the workspace and the plan are now."""
    plan = _plan(session, plan_id)
    _require_draft(plan, "be proposed again")
    ws = _read_workspace(session)
    row = _plan_row(session, plan)
    importance = _importance(ws, row.step("tell_clients").get("importance", {}))
    candidates, clients, projects, suggested = _optimizer_inputs(ws, row, importance)
    in_scope = {("client", c.client_id) for c in clients} | {
        ("project", p.project_id) for p in projects}
    pinned: dict[tuple[str, int], int | None] = {}
    for item in session.scalars(select(PlanItem).where(PlanItem.plan_id == plan_id,
                                                       PlanItem.overridden.is_(True))):
        key = ("project", item.project_id) if item.project_id is not None \
            else ("client", item.client_id)
        if key in in_scope:
            pinned[key] = item.person_id  # type: ignore[assignment]
    return ProposalInputs(plan_id, plan.version, tuple(candidates), tuple(clients),
                          tuple(projects), MappingProxyType(pinned),
                          MappingProxyType(suggested))


def solve_proposal(inputs: ProposalInputs, weights: ScoreWeights | None = None) -> Proposal:
    """The optimal proposal for ``inputs``; touches no workspace (so holds no lock)."""
    from studio_desk.core.optimizer import ScoreWeights, propose

    return propose(inputs.candidates, inputs.clients, inputs.projects,
                   pinned=dict(inputs.pinned), weights=weights or ScoreWeights())


def save_proposal(session: Session, inputs: ProposalInputs,
                  proposal: Proposal) -> PlanProposal:
    """Store ``proposal`` as the plan's rows, unless the plan changed since ``inputs``
    were read (then a :class:`ConflictError`: propose again)."""
    from studio_desk.core.reasons import SuggestedLimits, split_shortfall

    plan = _plan(session, inputs.plan_id)
    _require_draft(plan, "be proposed again")
    if plan.version != inputs.plan_version:
        raise ConflictError(f"{plan.updated_by} changed “{plan.name}” while the proposal "
                            "was being worked out; propose again.",
                            theirs=_plan_row(session, plan), mine={})
    plan_id = inputs.plan_id
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
    offers = {pid: SuggestedLimits(o.max_clients, o.max_active_projects,
                                   o.max_backburner_projects)
              for pid, o in inputs.suggested.items()}
    advice = split_shortfall(proposal, inputs.candidates, inputs.clients, inputs.projects,
                             offers)
    # Plain Python numbers: the solver may hand back numpy scalars, which JSON refuses.
    shortfall = {str(k): float(v) for k, v in proposal.shortfall.items()}
    plan.proposal = {"score": float(proposal.score), "unplaced": int(proposal.unplaced_count),
                     "shortfall": shortfall, "proven_optimal": bool(proposal.proven_optimal),
                     "advice": advice, "by": who, "at": _now().isoformat()}
    _touch(plan, who)
    _flush(session, "Someone changed this plan while the proposal was being made.")
    return PlanProposal(tuple(_item_rows(session, plan_id)), float(proposal.score),
                        int(proposal.unplaced_count), MappingProxyType(shortfall),
                        bool(proposal.proven_optimal), tuple(advice))


def propose_plan(session: Session, plan_id: int, *,
                 weights: ScoreWeights | None = None) -> PlanProposal:
    """Propose an Account Manager per client and a Production Manager per project, in
    the caller's session (see :func:`propose_in_workspace` for the lock-free way).

    Uses the workspace as it is now, the plan's leanings (confirmed, else the first
    guesses) and role limits; rows the user chose by hand (:func:`override_item`) are
    kept as chosen. Replaces the plan's rows.
    """
    inputs = read_proposal_inputs(session, plan_id)
    return save_proposal(session, inputs, solve_proposal(inputs, weights))


def propose_in_workspace(workspace: Workspace, plan_id: int, *,
                         weights: ScoreWeights | None = None) -> PlanProposal:
    """:func:`propose_plan` without holding a lock while solving: read the inputs, solve
    outside any transaction, then save briefly, checked against the plan's version."""
    with workspace.read() as session:
        inputs = read_proposal_inputs(session, plan_id)
    proposal = solve_proposal(inputs, weights)
    with workspace.write() as session:
        return save_proposal(session, inputs, proposal)


def confirm_people(session: Session, plan_id: int, *, leaning_of: Mapping[int, str],
                   limits_of: Mapping[int, Mapping[str, int]],
                   accept_suggested: bool = False) -> PlanRow:
    """Confirm leanings and role limits for the people step, as page 3 does.

    ``leaning_of`` and ``limits_of`` change the people named; everyone else keeps what the
    plan has (or the first guess). With ``accept_suggested``, everyone without limits of
    their own in ``limits_of`` or the plan takes the suggested limits for their role.
    """
    plan = _plan(session, plan_id)
    _require_draft(plan, "be changed")
    row = _plan_row(session, plan)
    ws = _read_workspace(session)
    by_id = {p.id: p for p in ws.people if p.active}
    for pid, leaning in leaning_of.items():
        if pid not in by_id:
            raise ValidationError({"person": "Choose someone who is still with the studio."})
        if leaning not in LEANINGS:
            raise ValidationError({"leaning": f"“{leaning}” is not a leaning."})
    in_force = leanings_in_force(ws.people, ws.projects, len(ws.client_names),
                                 {**row.leanings, **leaning_of})
    limits = {pid: dict(v) for pid, v in row.role_limits.items() if pid in by_id}
    if accept_suggested:
        for pid, leaning in in_force.items():
            if pid not in limits_of:
                limits[pid] = leanings.suggest_role_limits(by_id[pid], leaning).as_dict()
    for pid, given in limits_of.items():
        if pid not in by_id:
            raise ValidationError({"person": "Choose someone who is still with the studio."})
        merged = limits.get(pid) or leanings.everyday_limits(by_id[pid]).as_dict()
        for key, value in given.items():
            if key not in leanings.LIMIT_KEYS:
                raise ValueError(f"unknown limit {key!r}")
            if not 0 <= int(value) <= leanings.MAX_ROLE_LIMIT:
                raise ValidationError({key: f"{by_id[pid].name}: a limit must be a whole "
                                            f"number from 0 to {leanings.MAX_ROLE_LIMIT:,}."})
            merged[key] = int(value)
        limits[pid] = merged
    data = {**row.step("people"),
            "leanings": {str(pid): leaning for pid, leaning in in_force.items()},
            "role_limits": {str(pid): v for pid, v in limits.items()}}
    return save_step(session, plan_id, "people", data, plan.current_step)


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


#: :func:`override_items`' choice that puts each row back to its previous person.
KEEP_PREVIOUS: Final = "previous"


def _items_of_plan(session: Session, plan: Plan, item_ids: Sequence[int],
                   expected_versions: Mapping[int, int] | None) -> list[PlanItem]:
    """The rows ``item_ids`` of ``plan``, checked against the versions the caller read."""
    wanted = list(dict.fromkeys(item_ids))
    found = {item.id: item for item in session.scalars(
        select(PlanItem).where(PlanItem.plan_id == plan.id, PlanItem.id.in_(wanted)))}
    if len(found) != len(wanted):
        raise NotFoundError("Some of those rows are no longer in the plan; the proposal "
                            "may have been refreshed.")
    if expected_versions is not None:
        stale = [i for i in wanted if i in expected_versions
                 and found[i].version != expected_versions[i]]
        if stale:
            raise ConflictError("Someone changed some of these rows of the plan while you "
                                "were choosing; they are shown as they are now.",
                                theirs=_item_rows(session, plan.id, stale), mine={})
    return [found[i] for i in wanted]


def override_items(session: Session, plan_id: int, item_ids: Sequence[int],
                   person_id: int | None | Literal["previous"], *,
                   expected_versions: Mapping[int, int] | None = None
                   ) -> list[PlanItemRow]:
    """Choose by hand for many rows at once, in one write: ``person_id`` for them all
    (None: leave them without a manager on purpose), or :data:`KEEP_PREVIOUS` to give each
    row back to the person who holds it now.

    Like :func:`override_item`, the choices are kept by every later proposal. Rows a
    colleague changed since ``expected_versions`` were read refuse the whole change.
    """
    plan = _plan(session, plan_id)
    _require_draft(plan, "be changed")
    items = _items_of_plan(session, plan, item_ids, expected_versions)
    wanted = {item.previous_person_id for item in items} if person_id == KEEP_PREVIOUS \
        else {person_id}
    names = dict(session.execute(
        select(Person.id, Person.name).where(Person.id.in_(
            [p for p in wanted if p is not None]), Person.active.is_(True))).all())
    if person_id != KEEP_PREVIOUS and person_id is not None and person_id not in names:
        raise ValidationError({"person": "Choose someone who is still with the studio."})
    for item in items:
        chosen = item.previous_person_id if person_id == KEEP_PREVIOUS else person_id
        if chosen is None:
            reason = "chosen by hand: left without a manager"
        elif chosen in names:
            reason = f"chosen by hand: {names[chosen]}"
        else:  # the person who holds it now has since left the studio
            name = session.get(Person, chosen)
            raise ValidationError({"person": f"{name.name if name else 'Someone'} is no "
                                             "longer with the studio, so cannot keep "
                                             "their rows; choose someone else."})
        item.person_id = chosen
        item.overridden = True
        item.reason = reason
        item.gap = None
    _touch(plan, _who(session))
    _flush(session, "Someone changed these rows of the plan while you were choosing.")
    return _item_rows(session, plan_id, [item.id for item in items])


def restore_items(session: Session, plan_id: int, rows: Sequence[PlanItemRow], *,
                  expected_versions: Mapping[int, int] | None = None) -> list[PlanItemRow]:
    """Put rows back as ``rows`` show them (person, chosen by hand or not, reason, gap),
    in one write: the undo of :func:`override_items`. Rows a colleague changed since
    ``expected_versions`` were read refuse the whole change."""
    plan = _plan(session, plan_id)
    _require_draft(plan, "be changed")
    items = _items_of_plan(session, plan, [r.id for r in rows], expected_versions)
    for item, row in zip(items, rows, strict=True):
        item.person_id = row.person_id
        item.overridden = row.overridden
        item.reason = row.reason
        item.gap = row.gap
    _touch(plan, _who(session))
    _flush(session, "Someone changed these rows of the plan meanwhile.")
    return _item_rows(session, plan_id, [r.id for r in rows])


def unpin_item(session: Session, plan_id: int, item_id: int) -> None:
    """Hand a row chosen by hand back to the proposal, without proposing again (a short
    write; the window then proposes with :func:`propose_in_workspace`)."""
    plan = _plan(session, plan_id)
    _require_draft(plan, "be changed")
    item = _item_of_plan(session, plan, item_id)
    item.overridden = False
    _touch(plan, _who(session))
    session.flush()


def release_override(session: Session, plan_id: int, item_id: int) -> PlanProposal:
    """Hand a row chosen by hand back to the proposal, and propose again (in the
    caller's session: :func:`unpin_item` then :func:`propose_in_workspace` holds no lock
    while solving)."""
    unpin_item(session, plan_id, item_id)
    return propose_plan(session, plan_id)


def _in_role(person: PersonRow, limits: Mapping[str, int] | None) -> PersonRow:
    """``person`` measured against ``limits`` (their role's) instead of their own."""
    if not limits:
        return person
    return dataclass_replace(
        person, max_clients=limits.get("max_clients", person.max_clients),
        max_active_projects=limits.get("max_active_projects", person.max_active_projects),
        max_backburner_projects=limits.get("max_backburner_projects",
                                           person.max_backburner_projects))


def capacity_before_after(session: Session, plan_id: int, *, today: dt.date | None = None
                          ) -> tuple[list[Capacity], list[Capacity]]:
    """Every active person's load before this plan and with it.

    For a draft, "before" is the workspace today. Once applied, the workspace already
    holds the plan, so "before" is who held each role when the plan was made (each
    item's previous person) and "after" is the workspace on the plan's effective date
    (today, once that has passed).
    """
    plan = _plan(session, plan_id)
    applied = plan.status != STATUS_DRAFT
    ws = _read_workspace(session, today, day=plan.effective_date if applied else None)
    items = _item_rows(session, plan_id)
    by_id = {p.id: p for p in ws.projects}
    people = [p for p in ws.people if p.active]
    # A draft's "after" measures each person against the limits accepted for their role.
    in_role = {pid: limits for pid, limits in _plan_row(session, plan).role_limits.items()}

    def loads(pm_of: Mapping[int, int | None], am_of: Mapping[int, int | None],
              role_limits: Mapping[int, Mapping[str, int]] = MappingProxyType({})
              ) -> list[Capacity]:
        managed: dict[int, list[ProjectRow]] = {}
        for project_id, person_id in pm_of.items():
            if person_id is not None and project_id in by_id:
                managed.setdefault(person_id, []).append(by_id[project_id])
        held: dict[int, int] = {}
        for person_id in am_of.values():
            if person_id is not None:
                held[person_id] = held.get(person_id, 0) + 1
        return [capacity_of(_in_role(p, role_limits.get(p.id)), managed.get(p.id, ()),
                            held.get(p.id, 0)) for p in people]

    pm_now = {pid: ws.current_pm.get(pid) for pid in by_id}
    am_now: dict[int, int | None] = {cid: am[0] for cid, am in ws.current_am.items()}
    pm_other, am_other = dict(pm_now), dict(am_now)
    for item in items:
        holder = item.previous_person_id if applied else item.person_id
        if item.project_id is not None:
            pm_other[item.project_id] = holder
        else:
            am_other[item.client_id] = holder
    if applied:
        # Applying made the role limits everyone's limits: "before" had the old ones.
        state: dict[str, Any] = dict(plan.state or {})
        old = {int(pid): limits for pid, limits
               in state.get("limits_before_apply", {}).items()}
        return loads(pm_other, am_other, old), loads(pm_now, am_now)
    return loads(pm_now, am_now), loads(pm_other, am_other, in_role)
