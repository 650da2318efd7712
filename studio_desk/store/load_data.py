"""What the capacity figures need from a workspace, read with a few Core selects.

:func:`read_studio_load` gives the dashboard and ``studio-desk capacity`` their figures
(rules in ``core.load``); :func:`read_open_plans` the plans still under way, with their
progress; :func:`read_plan_changes` what a plan would change, for the what-if view.

Each takes the caller's session first and never writes. Only the columns needed are
read, and only projects that are still open, so 3,000 projects take a few milliseconds.
The plan services (``store.plans``) are imported only by the functions that need them:
they bring the optimiser's numerical libraries with them, which the command line's
``capacity`` has no use for.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from studio_desk.core import load
from studio_desk.core.catalog import ROLE_ACCOUNT_MANAGER
from studio_desk.core.errors import NotFoundError
from studio_desk.core.rows import PersonRow, ProjectRow
from studio_desk.store import holders, records
from studio_desk.store.models import Assignment, Client, Person, Plan, PlanItem, Role


@dataclass(frozen=True)
class LoadInputs:
    """Everything ``core.load.studio_load`` is computed from."""

    people: tuple[PersonRow, ...]
    projects: tuple[ProjectRow, ...]  # open projects only
    holds: tuple[load.AccountHold, ...]
    clients: dict[int, str]  # every client: id -> name
    #: Project id -> changes of its manager within the horizon: (from, who).
    managers_ahead: dict[int, list[tuple[dt.date, str | None]]] = field(
        default_factory=dict)
    #: Person id -> the person with the limits in force from a day within the horizon.
    limits_ahead: dict[int, list[tuple[dt.date, PersonRow]]] = field(default_factory=dict)


@dataclass(frozen=True)
class OpenPlan:
    """A plan not yet done, and how far it has come."""

    id: int
    name: str
    status: str  # draft or applied
    effective_date: dt.date | None
    current_step: str
    informed: int  # clients told (settled ones included)
    settled: int
    conversations: int  # clients to tell
    items: int  # roles the plan covers
    changes: int  # of which change hands
    unplaced: int  # of which nobody could take

    def progress_text(self) -> str:
        """"7 of 12 clients informed", or where a draft stands, in a few words."""
        if self.status == "draft":
            if not self.items:
                return f"Draft at step “{self.current_step}”"
            return f"Draft: {self.changes} of {self.items} roles change"
        client_word = "client" if self.conversations == 1 else "clients"
        return f"{self.informed} of {self.conversations} {client_word} informed"

    def description(self) -> str:
        """Everything about the plan's progress in a sentence (for a tooltip)."""
        when = (f"effective {self.effective_date.isoformat()}" if self.effective_date
                else "no effective date yet")
        if self.status == "draft":
            if not self.items:
                return f"{self.name}: a draft at step “{self.current_step}”, {when}; " \
                       "nothing proposed yet."
            text = (f"{self.name}: a draft, {when}; {self.changes} of {self.items} roles "
                    "change hands")
            if self.unplaced:
                text += f", {self.unplaced} could not be placed"
            return text + "."
        return (f"{self.name}: applied, {when}; {self.informed} of {self.conversations} "
                f"clients informed, {self.settled} settled.")


def read_load_inputs(session: Session, as_of: dt.date, *, today: dt.date | None = None,
                     weeks: int = load.HORIZON_WEEKS) -> LoadInputs:
    """People, open projects, and the Account Manager assignments that can matter on or
    after the Monday of ``as_of``'s week: people with their limits, projects with their
    manager, *on* ``as_of``, and how those change in the ``weeks`` ahead
    (``store.holders``: a plan applied ahead of its effective date changes them from that
    date; ``today`` is the computer's date by default)."""
    stored = [r for r in records.list_rows(session, "person") if isinstance(r, PersonRow)]
    people = tuple(holders.with_limits(stored, holders.limits_on(session, as_of,
                                                                 today=today)))
    names = {p.id: p.name for p in people}
    # Every project through the list's fast path, then the open ones kept: quicker than
    # a filtered query built row by row, even though done projects are read too.
    projects = tuple(holders.with_managers(
        (r for r in records.list_rows(session, "project")
         if isinstance(r, ProjectRow) and r.status in load.OPEN_STATUSES),
        holders.manager_changes_on(session, as_of, today=today), names))
    horizon_end = load.week_start(as_of) + dt.timedelta(weeks=weeks, days=-1)
    managers_ahead = {
        pid: [(day, names.get(person) if person is not None else None)
              for day, person in changes]
        for pid, changes in holders.managers_ahead(session, as_of, horizon_end,
                                                   today=today).items()}
    by_id = {p.id: p for p in stored}
    limits_ahead = {
        pid: [(day, holders.with_limits([by_id[pid]], {pid: limits})[0])
              for day, limits in changes]
        for pid, changes in holders.limits_ahead(session, as_of, horizon_end,
                                                 today=today).items() if pid in by_id}
    since = load.week_start(as_of)
    holds = tuple(
        load.AccountHold(client_id, client, person, start, end)
        for client_id, client, person, start, end in session.execute(
            select(Assignment.client_id, Client.name, Person.name, Assignment.start,
                   Assignment.end)
            .join(Role, Role.id == Assignment.role_id)
            .join(Client, Client.id == Assignment.client_id)
            .join(Person, Person.id == Assignment.person_id)
            .where(Role.key == ROLE_ACCOUNT_MANAGER,
                   or_(Assignment.end.is_(None), Assignment.end >= since))
            .order_by(Assignment.start, Assignment.id))
        if client_id is not None)  # joined to a client, so always set
    clients = dict(session.execute(select(Client.id, Client.name)).all())
    return LoadInputs(people, projects, holds, clients, managers_ahead, limits_ahead)


def studio_load_of(inputs: LoadInputs, as_of: dt.date, *, weeks: int = load.HORIZON_WEEKS,
                   plan: load.PlanChanges | None = None) -> load.StudioLoad:
    """The figures of ``inputs`` (today's, or under ``plan``)."""
    return load.studio_load(inputs.people, inputs.projects, inputs.holds, inputs.clients,
                            as_of=as_of, weeks=weeks, plan=plan,
                            managers_ahead=inputs.managers_ahead,
                            limits_ahead=inputs.limits_ahead)


def read_studio_load(session: Session, as_of: dt.date | None = None, *,
                     weeks: int = load.HORIZON_WEEKS,
                     today: dt.date | None = None) -> load.StudioLoad:
    """Every active person's load on ``as_of`` (default today) and in the weeks after."""
    day = as_of or today or dt.date.today()
    return studio_load_of(read_load_inputs(session, day, today=today, weeks=weeks), day,
                          weeks=weeks)


def read_plan_changes(session: Session, plan_id: int) -> load.PlanChanges:
    """Who the plan puts in each role it covers."""
    if session.get(Plan, plan_id) is None:
        raise NotFoundError("That plan no longer exists; someone may have deleted it.")
    managers: dict[int, str | None] = {}
    account_managers: dict[int, str | None] = {}
    for project_id, client_id, person in session.execute(
            select(PlanItem.project_id, PlanItem.client_id, Person.name)
            .outerjoin(Person, Person.id == PlanItem.person_id)
            .where(PlanItem.plan_id == plan_id)):
        if project_id is not None:
            managers[project_id] = person
        elif client_id is not None:
            account_managers[client_id] = person
    return load.PlanChanges(managers, account_managers)


def read_open_plans(session: Session) -> list[OpenPlan]:
    """Draft and applied plans (drafts first), with their progress."""
    from studio_desk.store import plans as plan_services

    found = []
    for plan in plan_services.list_plans(session):
        if plan.status not in (plan_services.STATUS_DRAFT, plan_services.STATUS_APPLIED):
            continue
        informed, settled, total = plan_services.plan_progress(session, plan.id)
        items = changes = unplaced = 0
        for person_id, previous_id, overridden in session.execute(
                select(PlanItem.person_id, PlanItem.previous_person_id, PlanItem.overridden)
                .where(PlanItem.plan_id == plan.id)):
            items += 1
            changes += person_id != previous_id
            unplaced += person_id is None and not overridden
        found.append(OpenPlan(plan.id, plan.name, plan.status, plan.effective_date,
                              plan.current_step, informed, settled, total, items, changes,
                              unplaced))
    return found


def read_plan_names(session: Session) -> list[tuple[int, str, str]]:
    """``(id, name, status)`` of every plan, drafts first, for choosing one to compare."""
    order = {"draft": 0, "applied": 1, "done": 2}
    rows = list(session.execute(select(Plan.id, Plan.name, Plan.status, Plan.name_key)))
    rows.sort(key=lambda r: (order.get(r[2], 3), r[3]))
    return [(r[0], r[1], r[2]) for r in rows]
