"""Who holds which role on a given day, and keeping the "today" copies up to date.

The source of truth
-------------------
*Assignments* say who holds a role: a person is a client's Account Manager or a
project's Production Manager from ``start`` to ``end``, both days included (``end``
empty: still holding it). Applying a plan writes them whatever its effective date: the
previous holder's assignment ends the day before, the new holder's starts on it
(``store.plans.apply``). When two assignments of one role cover the same day, the one
that started last holds it (the one recorded last, if they started the same day).

Two things the rest of the app reads are copies *as of today*:

* ``Project.manager``, the project's Production Manager today. The tables, forms,
  reports, the projects export, the imports and the optimiser read it, and many projects
  have no assignment at all (a manager imported with the project, or chosen in its form,
  writes none), so it stays the project's own field;
* a person's limits, those of the job they do today. The limits a plan accepted for
  each person's new role take effect on its effective date too; until then they wait in
  the applied plan (``state["scheduled_limits"]``: per person, per limit, the value found
  when the plan was applied and the new one).

So applying a plan dated ahead changes neither: everything that says who holds what
reads it *as of* a day instead, with the functions below.

Reading as of a day
-------------------
:func:`managers_on` (and :func:`manager_changes_on`, only the projects that differ from
their ``manager``) and :func:`limits_on` give them for any day, today by default;
:func:`managers_ahead` and :func:`limits_ahead` the changes within a period ahead (the
dashboard's twelve weeks).

* A project's manager on ``day`` is its ``manager``, unless its assignments say
  otherwise for that day (someone else holds the role, or the manager's assignment has
  ended with nobody after them) *and* the project's manager has not been set on or after
  the day that began. The audit log says when a project's manager was last set: when it
  was added, in its form, by an import, by a catch-up. So a change the history schedules
  is followed from its first day, even over a manager chosen by hand before that day; a
  manager chosen by hand on or after it stands (a form does not rewrite the history of
  assignments; the audit log keeps both).
* Scheduled limits apply from their plan's effective date, plans in date order, each
  limit only if it still has the value the plan found (one changed by hand since stands).
* Days before today read as today: the workspace records managers and limits as they
  are now, and the changes ahead; it does not rebuild the past. (Account Manager
  assignments are dated and are read for any day: ``core.load``, ``store.transfer``.)

Catching up
-----------
:func:`catch_up` makes the copies agree with today: each project's manager and each
person's limits become what :func:`managers_on` and :func:`limits_on` say for today. The
audit log records each change under the name of whoever last recorded the assignment
(added or ended it) or applied the plan, and the scheduled limits used are dropped from
their plan, so a later hand edit is never undone. :func:`catch_up_workspace` does it in
one short write, only when something is due; a read-only or busy workspace is left as it
is (its readers, which read as of a day, are right all the same). The window calls it
when it opens a workspace, the ``capacity`` and ``export`` commands before they read.

Why not compute every manager from the assignments and drop the copy? The assignments
do not know every manager (see above), and a dozen readers would each have to read the
history. Why not keep the managers still to change in the plan, as the limits are? A
plan may be deleted, its assignments staying: they must still take effect. The history
is what is certain; the limits have no history, so the plan keeps them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from studio_desk.core.catalog import ROLE_PRODUCTION_MANAGER
from studio_desk.core.errors import ReadOnlyWorkspaceError, WorkspaceBusyError
from studio_desk.core.leanings import LIMIT_KEYS
from studio_desk.core.rows import PersonRow, ProjectRow
from studio_desk.store.models import Assignment, AuditEntry, Person, Plan, Project, Role

if TYPE_CHECKING:
    from studio_desk.store.engine import Workspace

#: Where an applied plan keeps the limits that change on its effective date.
SCHEDULED_LIMITS = "scheduled_limits"
#: Plans whose changes have been applied (a done plan is an applied one, all settled).
_APPLIED = ("applied", "done")
#: SQLite takes at most this many values in one ``IN (…)`` comfortably.
_CHUNK = 500


@dataclass(frozen=True)
class Holding:
    """The assignment by which ``person_id`` holds a role on some day."""

    assignment_id: int
    person_id: int
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class CaughtUp:
    """What :func:`catch_up` changed: projects whose manager, people whose limits."""

    projects: int = 0
    people: int = 0

    def __bool__(self) -> bool:
        return bool(self.projects or self.people)


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _chunks(values: Iterable[int]) -> Iterator[list[int]]:
    items = sorted(set(values))
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _covering(assignment: Any, day: dt.date) -> Any:
    """The condition that ``assignment`` (the model or an alias) covers ``day``."""
    return and_(assignment.start <= day,
                or_(assignment.end.is_(None), assignment.end >= day))


def holders_on(session: Session, role_key: str, day: dt.date, *,
               among: Iterable[int] | None = None) -> dict[int, Holding]:
    """Who holds ``role_key`` on ``day``, by what it is held for: client id for the
    Account Manager role, project id for the Production Manager role (only those
    ``among`` if given). Targets nobody holds that day are left out."""
    target = Assignment.project_id if role_key == ROLE_PRODUCTION_MANAGER \
        else Assignment.client_id
    query = (select(target, Assignment.id, Assignment.person_id, Assignment.start,
                    Assignment.end)
             .join(Role, Role.id == Assignment.role_id)
             .where(Role.key == role_key, target.is_not(None), _covering(Assignment, day))
             # So that the assignment that started last (then the newest) comes last.
             .order_by(Assignment.start, Assignment.id))
    held: dict[int, Holding] = {}
    for chunk in [None] if among is None else _chunks(among):
        for target_id, aid, person_id, start, end in session.execute(
                query if chunk is None else query.where(target.in_(chunk))):
            if target_id is not None:  # the query keeps assignments of this kind only
                held[target_id] = Holding(aid, person_id, start, end)
    return held


def _last_set(session: Session, project_ids: Iterable[int]) -> dict[int, dt.date]:
    """The day each project's manager was last set (added with it, or changed)."""
    found: dict[int, dt.date] = {}
    for chunk in _chunks(project_ids):
        for project_id, at in session.execute(
                select(AuditEntry.entity_id, func.max(AuditEntry.at))
                .where(AuditEntry.entity == Project.__tablename__,
                       AuditEntry.entity_id.in_(chunk),
                       or_(AuditEntry.field == "manager_id", AuditEntry.action == "add"))
                .group_by(AuditEntry.entity_id)):
            if at is not None:
                found[project_id] = at.date() if isinstance(at, dt.datetime) else at
    return found


@dataclass(frozen=True)
class _Follow:
    """What a project's history says of its manager on a day the ``manager`` disagrees:
    ``person_id`` holds the role (None: nobody, the last holder's assignment has ended)
    since ``since``, by the assignment ``assignment_id``."""

    person_id: int | None
    since: dt.date
    assignment_id: int


def _ended_before(session: Session, day: dt.date, project_ids: Iterable[int]
                  ) -> dict[int, tuple[int, dt.date, int]]:
    """Project id -> (person, end, assignment) of its Production Manager assignment that
    ended last before ``day``."""
    ended: dict[int, tuple[int, dt.date, int]] = {}
    for chunk in _chunks(project_ids):
        for project_id, aid, person_id, end in session.execute(
                select(Assignment.project_id, Assignment.id, Assignment.person_id,
                       Assignment.end)
                .join(Role, Role.id == Assignment.role_id)
                .where(Role.key == ROLE_PRODUCTION_MANAGER,
                       Assignment.project_id.in_(chunk), Assignment.end < day)
                .order_by(Assignment.end, Assignment.id)):
            if project_id is not None and end is not None:
                ended[project_id] = (person_id, end, aid)
    return ended


def _manager_changes(session: Session, day: dt.date) -> dict[int, _Follow]:
    """Project id -> what to follow, for the projects whose manager on ``day`` is not
    their ``manager`` (see the module docstring)."""
    production = select(Role.id).where(Role.key == ROLE_PRODUCTION_MANAGER).scalar_subquery()
    # Usually none: projects an assignment covering the day gives to someone else (of
    # two such, the one that started last decides, below) ...
    named = {pid for pid in session.scalars(
        select(Assignment.project_id).join(Project, Project.id == Assignment.project_id)
        .where(Assignment.role_id == production, _covering(Assignment, day),
               or_(Project.manager_id.is_(None),
                   Project.manager_id != Assignment.person_id)).distinct())
        if pid is not None}
    # ... and projects whose manager's assignment has ended with nobody after them: the
    # history says nobody manages it from the day after (a plan left it empty on purpose).
    later = aliased(Assignment)
    ended = {pid for pid in session.scalars(
        select(Assignment.project_id).join(Project, Project.id == Assignment.project_id)
        .where(Assignment.role_id == production, Assignment.end < day,
               Assignment.person_id == Project.manager_id,
               ~exists().where(later.project_id == Assignment.project_id,
                               later.role_id == production, _covering(later, day)))
        .distinct()) if pid is not None}
    if not named and not ended:
        return {}
    managers: dict[int, int | None] = {}
    for chunk in _chunks(named | ended):
        managers.update(session.execute(
            select(Project.id, Project.manager_id).where(Project.id.in_(chunk))).all())
    differing: dict[int, _Follow] = {
        pid: _Follow(held.person_id, held.start, held.assignment_id)
        for pid, held in holders_on(session, ROLE_PRODUCTION_MANAGER, day,
                                    among=named).items()
        if managers.get(pid) != held.person_id}
    for pid, (person_id, end, aid) in _ended_before(session, day, ended).items():
        if managers.get(pid) == person_id:
            differing[pid] = _Follow(None, end + dt.timedelta(days=1), aid)
    if not differing:
        return {}
    last_set = _last_set(session, differing)
    return {pid: follow for pid, follow in differing.items()
            if pid not in last_set or last_set[pid] < follow.since}


def manager_changes_on(session: Session, day: dt.date | None = None, *,
                       today: dt.date | None = None) -> dict[int, int | None]:
    """Project id -> person id: the projects whose Production Manager on ``day``
    (default today) is not the project's ``manager``, and who it is then."""
    now = _today(today)
    return {pid: follow.person_id for pid, follow
            in _manager_changes(session, max(day or now, now)).items()}


def managers_on(session: Session, day: dt.date | None = None, *,
                today: dt.date | None = None) -> dict[int, int | None]:
    """Every project's Production Manager on ``day`` (default today), by project id."""
    managers = dict(session.execute(select(Project.id, Project.manager_id)).all())
    managers.update(manager_changes_on(session, day, today=today))
    return managers


def managers_ahead(session: Session, after: dt.date, until: dt.date, *,
                   today: dt.date | None = None
                   ) -> dict[int, list[tuple[dt.date, int | None]]]:
    """Project id -> the changes of its Production Manager after ``after`` up to
    ``until``: (from that day, who; None for nobody), in date order. Only days ahead of
    ``today`` change anything (see :func:`managers_on`)."""
    start = max(after, _today(today))
    if until <= start:
        return {}
    days: set[dt.date] = set()
    for first, end in session.execute(
            select(Assignment.start, Assignment.end)
            .join(Role, Role.id == Assignment.role_id)
            .where(Role.key == ROLE_PRODUCTION_MANAGER,
                   or_(Assignment.start.between(start + dt.timedelta(days=1), until),
                       Assignment.end.between(start, until - dt.timedelta(days=1))))):
        if start < first <= until:
            days.add(first)
        if end is not None and start <= end < until:
            days.add(end + dt.timedelta(days=1))
    if not days:
        return {}
    current = managers_on(session, start, today=start)
    ahead: dict[int, list[tuple[dt.date, int | None]]] = {}
    for day in sorted(days):
        for project_id, manager in managers_on(session, day, today=start).items():
            if current.get(project_id) != manager:
                ahead.setdefault(project_id, []).append((day, manager))
                current[project_id] = manager
    return ahead


def limits_ahead(session: Session, after: dt.date, until: dt.date, *,
                 today: dt.date | None = None
                 ) -> dict[int, list[tuple[dt.date, dict[str, int]]]]:
    """Person id -> the changes of their limits after ``after`` up to ``until``: (from
    that day, every limit that differs then from the person's own), in date order."""
    start = max(after, _today(today))
    days = sorted({plan.effective_date for plan in _scheduled(session, until)
                   if plan.effective_date is not None and plan.effective_date > start})
    current = limits_on(session, start, today=start)
    ahead: dict[int, list[tuple[dt.date, dict[str, int]]]] = {}
    for day in days:
        on_day = limits_on(session, day, today=start)
        for person_id in set(on_day) | set(current):
            if on_day.get(person_id, {}) != current.get(person_id, {}):
                ahead.setdefault(person_id, []).append((day, on_day.get(person_id, {})))
        current = on_day
    return ahead


def _scheduled(session: Session, day: dt.date) -> list[Plan]:
    """Applied plans effective by ``day`` that still have limits waiting, in the order
    they take effect."""
    found = [plan for plan in session.scalars(
        select(Plan).where(Plan.status.in_(_APPLIED), Plan.effective_date <= day)
        .order_by(Plan.effective_date, Plan.applied_at, Plan.id))
        if (plan.state or {}).get(SCHEDULED_LIMITS)]
    return found


def _limit_changes(session: Session, plans: Iterable[Plan]
                   ) -> dict[int, dict[str, tuple[int, str]]]:
    """Person id -> limit -> (value, who applied the plan), for the limits ``plans``
    change (each only if it still has the value its plan found)."""
    current: dict[int, dict[str, int]] = {}
    changes: dict[int, dict[str, tuple[int, str]]] = {}
    for plan in plans:
        state: dict[str, Any] = dict(plan.state or {})
        scheduled: Mapping[str, Mapping[str, Any]] = state.get(SCHEDULED_LIMITS, {})
        for pid_text, limits in scheduled.items():
            pid = int(pid_text)
            if pid not in current:
                person = session.get(Person, pid)
                if person is None:  # deleted since: nothing to change
                    continue
                current[pid] = {key: getattr(person, key) for key in LIMIT_KEYS}
            for key, (old, new) in limits.items():
                if key in current[pid] and current[pid][key] == old and old != new:
                    current[pid][key] = new
                    changes.setdefault(pid, {})[key] = (new, plan.applied_by or "")
    return changes


def limits_on(session: Session, day: dt.date | None = None, *,
              today: dt.date | None = None) -> dict[int, dict[str, int]]:
    """Person id -> the limits that differ on ``day`` (default today) from those the
    person has now, because a plan changes them by then."""
    now = _today(today)
    changes = _limit_changes(session, _scheduled(session, max(day or now, now)))
    return {pid: {key: value for key, (value, _who) in limits.items()}
            for pid, limits in changes.items()}


def with_limits(people: Iterable[PersonRow], limits: Mapping[int, Mapping[str, int]]
                ) -> list[PersonRow]:
    """``people`` with the limits of :func:`limits_on` (rows it does not name as read)."""
    result = []
    for person in people:
        changed = limits.get(person.id)
        if changed:
            person = replace(
                person, max_clients=changed.get("max_clients", person.max_clients),
                max_active_projects=changed.get("max_active_projects",
                                                person.max_active_projects),
                max_backburner_projects=changed.get("max_backburner_projects",
                                                    person.max_backburner_projects))
        result.append(person)
    return result


def with_managers(projects: Iterable[ProjectRow], changes: Mapping[int, int | None],
                  names: Mapping[int, str]) -> list[ProjectRow]:
    """``projects`` managed as :func:`manager_changes_on` says (``names``: person id ->
    name; the other rows as read)."""
    result = []
    for project in projects:
        if project.id in changes:
            person_id = changes[project.id]
            project = replace(project, manager=None if person_id is None
                              else names.get(person_id))
        result.append(project)
    return result


@contextlib.contextmanager
def _recorded_as(session: Session, who: str) -> Iterator[None]:
    """Flush what is changed inside under ``who``'s name in the audit log."""
    before = session.info.get("who")
    if who:
        session.info["who"] = who
    try:
        yield
        session.flush()
    finally:
        session.info["who"] = before


def _recorders(session: Session, assignment_ids: Iterable[int]) -> dict[int, str]:
    """Who last recorded each assignment (added it, or ended it), by the audit log."""
    found: dict[int, str] = {}
    for chunk in _chunks(assignment_ids):
        for aid, who in session.execute(
                select(AuditEntry.entity_id, AuditEntry.who)
                .where(AuditEntry.entity == Assignment.__tablename__,
                       AuditEntry.entity_id.in_(chunk))
                .order_by(AuditEntry.id)):
            found[aid] = who
    return found


def catch_up(session: Session, today: dt.date | None = None) -> CaughtUp:
    """Make every project's manager and every person's limits those of ``today``
    (default: the computer's), in the caller's writing session; see the module
    docstring. Returns how many projects and people changed (usually none)."""
    day = _today(today)
    session.flush()  # the caller's own changes are recorded under the caller's name
    managers = _manager_changes(session, day)
    recorders = _recorders(session, (f.assignment_id for f in managers.values()))
    by_who: dict[str, list[tuple[int, int | None]]] = {}
    for project_id, follow in managers.items():
        by_who.setdefault(recorders.get(follow.assignment_id, ""), []).append(
            (project_id, follow.person_id))
    for who, changes in sorted(by_who.items()):
        with _recorded_as(session, who):
            for project_id, person_id in changes:
                project = session.get(Project, project_id)
                if project is not None:
                    project.manager_id = person_id
    plans = _scheduled(session, day)
    limits = _limit_changes(session, plans)
    people_by_who: dict[str, list[tuple[int, str, int]]] = {}
    for pid, changed in limits.items():
        for key, (value, who) in changed.items():
            people_by_who.setdefault(who, []).append((pid, key, value))
    for who, settings in sorted(people_by_who.items()):
        with _recorded_as(session, who):
            for pid, key, value in settings:
                person = session.get(Person, pid)
                if person is not None:
                    setattr(person, key, value)
    for plan in plans:
        with _recorded_as(session, plan.applied_by or ""):
            state = dict(plan.state)
            state.pop(SCHEDULED_LIMITS, None)
            plan.state = state
    return CaughtUp(len(managers), len(limits))


def is_due(session: Session, today: dt.date | None = None) -> bool:
    """Whether :func:`catch_up` has anything to do on ``today``."""
    day = _today(today)
    return bool(_scheduled(session, day)) or bool(_manager_changes(session, day))


def catch_up_workspace(workspace: Workspace, today: dt.date | None = None) -> CaughtUp:
    """:func:`catch_up` in a short write of its own, only when something is due; a
    workspace that cannot be written now (read-only, or a colleague holding the lock
    too long) is left as it is: the next opening catches up."""
    day = _today(today)
    if workspace.read_only:
        return CaughtUp()
    with workspace.read() as session:
        if not is_due(session, day):
            return CaughtUp()
    try:
        with workspace.write() as session:
            return catch_up(session, day)
    except (ReadOnlyWorkspaceError, WorkspaceBusyError):
        return CaughtUp()
