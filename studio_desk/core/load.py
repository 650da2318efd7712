"""Who carries how much: today, and in each of the coming weeks.

The dashboard, the what-if comparison of plans and ``studio-desk capacity`` all read
their figures from here. Every figure is counted against its own limit
(:class:`core.capacity.Capacity`), so "over" always names which limit.

How the figures are made
------------------------
*Who carries a project.* Its manager (``project.manager``) carries all of it: the
estimate, the slot among their active or back-burner projects. A studio's manager is the
one who answers for the project's hours, so the whole estimate is theirs; the people
doing the work are not recorded per project. A project without a manager, or whose
manager is no longer active, is carried by nobody and is listed as needing one. The
rows given are those of the day asked about: the workspace reads each project's manager
and each person's limits *as of* that day (``store.holders``), so a plan applied ahead
of its effective date counts from that date. Changes ahead within the horizon (a
project changing hands, limits changing with a new role) are given too: each week counts
a project for whoever manages it on some day of that week (in a handover week both, as
for clients) and measures each person against the limits in force on the week's first
day (the day asked about, for the first week).

*Hours.* A project's estimated hours are spread evenly over the weeks from its start to
its due date (:func:`core.capacity.project_weekly_hours`); only active projects take
hours, back-burner ones count against their own limit.

*Today* (the bars of the dashboard, the command line's table). Every active or
back-burner project a person manages, whatever its dates: the status says it is on their
desk. Clients: those whose Account Manager assignment is current, i.e. has started on or
before the day and has not ended before it (an assignment covers its start and end days).

*Each week ahead* (the heat map). Weeks run Monday to Sunday, the first being the week
of the day asked about. A project counts in a week when its dates overlap the week: it
has started by the week's Sunday (or has no start) and is not due before the week's
Monday (or has no due date). A project still open after its due date is *late*, not
finished: it stays in every week until someone changes its status. A client counts in a
week when the person's assignment covers any day of it, so in a handover week the old and
the new Account Manager both count the client (both are doing the work of handing over).

*Utilisation* is allocated hours as a share of weekly hours, in percent, above 100 when
over (never capped); infinite for hours given to someone with no weekly hours.

*Under a plan* (what-if). Every project and client the plan covers is carried by the
person the plan names (nobody, if the plan leaves it empty), as if the plan were in
effect today; everything else stays as it is.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from studio_desk.core.capacity import Capacity, capacity_of, project_weekly_hours
from studio_desk.core.rows import PersonRow, ProjectRow
from studio_desk.core.rules import name_key

#: How many weeks the dashboard looks ahead, the current one included.
HORIZON_WEEKS = 12
#: Statuses of projects that still need someone (done and cancelled ones do not).
OPEN_STATUSES = ("active", "back-burner", "on-hold", "pitch")
#: Statuses of projects that load their manager.
LOADING_STATUSES = ("active", "back-burner")

#: Why a project or a client is listed as needing someone, in the usual case.
NO_MANAGER = "no manager"
NO_ACCOUNT_MANAGER = "no account manager"

#: Columns of ``studio-desk capacity --csv`` (DESIGN §7), in order.
CAPACITY_COLUMNS = ("person", "active_projects", "max_active_projects",
                    "backburner_projects", "max_backburner_projects", "clients",
                    "max_clients", "weekly_hours", "allocated_hours", "utilisation_percent",
                    "overallocated")


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class AccountHold:
    """A person holding a client's Account Manager role from ``start`` to ``end``
    (both days included; ``end`` None: still holds it)."""

    client_id: int
    client: str
    person: str
    start: dt.date
    end: dt.date | None = None

    def covers(self, first: dt.date, last: dt.date) -> bool:
        """Whether the assignment covers any day from ``first`` to ``last``."""
        return self.start <= last and (self.end is None or self.end >= first)


@dataclass(frozen=True)
class LoadItem:
    """One thing that makes up a load: a project someone manages or a client they hold."""

    kind: str  # "project" or "client"
    name: str
    client: str
    status: str  # the project's status, or "account manager"
    weekly_hours: float
    start: dt.date | None
    end: dt.date | None  # a project's due date; the end of a client's assignment
    late: bool = False


@dataclass(frozen=True)
class StudioTotals:
    """The whole studio's figures: sums over its active people."""

    people: int
    active_projects: int
    max_active_projects: int
    backburner_projects: int
    max_backburner_projects: int
    clients: int
    max_clients: int
    weekly_hours: float
    allocated_hours: float
    overallocated: int  # how many people are over one of their limits

    @property
    def utilisation_percent(self) -> float:
        """Allocated hours as a share of the studio's weekly hours; not capped."""
        return utilisation(self.allocated_hours, self.weekly_hours)


def utilisation(allocated: float, weekly: float) -> float:
    """``allocated`` as a percentage of ``weekly``; infinite for hours with no week."""
    if weekly <= 0:
        return 0.0 if allocated <= 0 else math.inf
    return 100.0 * allocated / weekly


def studio_totals(capacities: Iterable[Capacity]) -> StudioTotals:
    """The sums of ``capacities`` and how many of them are overallocated."""
    figures = list(capacities)
    return StudioTotals(
        people=len(figures),
        active_projects=sum(c.active_projects for c in figures),
        max_active_projects=sum(c.max_active_projects for c in figures),
        backburner_projects=sum(c.backburner_projects for c in figures),
        max_backburner_projects=sum(c.max_backburner_projects for c in figures),
        clients=sum(c.clients for c in figures),
        max_clients=sum(c.max_clients for c in figures),
        weekly_hours=sum(c.weekly_hours for c in figures),
        allocated_hours=sum(c.allocated_hours for c in figures),
        overallocated=sum(1 for c in figures if c.overallocated),
    )


@dataclass(frozen=True)
class PersonLoad:
    """One person's load today and in each week of the horizon, and what makes it up."""

    person: PersonRow
    today: Capacity
    weeks: tuple[Capacity, ...]
    #: Every active or back-burner project they manage (today's load), by name.
    projects: tuple[ProjectRow, ...]
    #: Their Account Manager assignments that cover today or a week of the horizon.
    holds: tuple[AccountHold, ...]
    as_of: dt.date
    week_starts: tuple[dt.date, ...]
    #: Projects they manage for part of the horizon only (taken over or handed on):
    #: (project, first day, last day), None for no bound.
    handovers: tuple[tuple[ProjectRow, dt.date | None, dt.date | None], ...] = ()

    @property
    def name(self) -> str:
        return self.person.name

    def items_today(self) -> tuple[LoadItem, ...]:
        """What today's figures are made of: projects first, then clients."""
        clients = {h.client_id: h for h in self.holds if h.covers(self.as_of, self.as_of)}
        return self._items(self.projects, clients.values())

    def items_in_week(self, week: int) -> tuple[LoadItem, ...]:
        """What the figures of week ``week`` (0 = the first) are made of."""
        first = self.week_starts[week]
        last = first + dt.timedelta(days=6)
        parted = {p.id for p, _start, _end in self.handovers}
        projects = [p for p in self.projects
                    if p.id not in parted and on_desk(p, first, last, self.as_of)]
        held = {p.id: p for p, start, end in self.handovers
                if (start is None or start <= last) and (end is None or end >= first)
                and on_desk(p, first, last, self.as_of)}
        projects = sorted([*projects, *held.values()], key=_project_order)
        clients: dict[int, AccountHold] = {}
        for hold in self.holds:
            if hold.covers(first, last):
                clients.setdefault(hold.client_id, hold)
        return self._items(projects, clients.values())

    def _items(self, projects: Iterable[ProjectRow],
               holds: Iterable[AccountHold]) -> tuple[LoadItem, ...]:
        items = [LoadItem("project", p.name, p.client, p.status, project_weekly_hours(p),
                          p.start, p.due, is_late(p, self.as_of)) for p in projects]
        items += [LoadItem("client", h.client, h.client, "account manager", 0.0, h.start,
                           h.end) for h in sorted(holds, key=lambda h: name_key(h.client))]
        return tuple(items)


@dataclass(frozen=True)
class UnmanagedProject:
    """An open project nobody carries, and why."""

    project: ProjectRow
    reason: str


@dataclass(frozen=True)
class UnheldClient:
    """A client without a current Account Manager, and how many open projects it has."""

    client_id: int
    name: str
    open_projects: int
    reason: str


@dataclass(frozen=True)
class StudioLoad:
    """Every active person's load, the studio's totals, and what nobody carries."""

    as_of: dt.date
    week_starts: tuple[dt.date, ...]
    people: tuple[PersonLoad, ...]
    today_total: StudioTotals
    week_totals: tuple[StudioTotals, ...]
    unmanaged_projects: tuple[UnmanagedProject, ...]
    clients_without_account_manager: tuple[UnheldClient, ...]

    def person(self, name: str) -> PersonLoad:
        """The load of the person called ``name``."""
        for load in self.people:
            if load.name == name:
                return load
        raise KeyError(name)

    @property
    def overallocated(self) -> tuple[PersonLoad, ...]:
        """The people over one of their limits today."""
        return tuple(p for p in self.people if p.today.overallocated)


@dataclass(frozen=True)
class PlanChanges:
    """Who a plan puts in each role it covers (None: nobody)."""

    #: project id -> the Production Manager (the project's manager) under the plan
    project_managers: Mapping[int, str | None]
    #: client id -> the Account Manager under the plan
    account_managers: Mapping[int, str | None]


# --------------------------------------------------------------------------- the rules


def is_late(project: ProjectRow, as_of: dt.date) -> bool:
    """An open project whose due date has passed."""
    return (project.due is not None and project.due < as_of
            and project.status in OPEN_STATUSES)


def on_desk(project: ProjectRow, first: dt.date, last: dt.date, as_of: dt.date) -> bool:
    """Whether ``project`` loads its manager in the days ``first`` to ``last``.

    Its dates must overlap them, except that a late project (see :func:`is_late`)
    stays on the desk until its status changes.
    """
    if project.start is not None and project.start > last:
        return False
    return project.due is None or project.due >= first or is_late(project, as_of)


def _week_range(start: dt.date | None, end: dt.date | None, first_monday: dt.date,
                weeks: int) -> tuple[int, int] | None:
    """The first and last week index (inclusive) that ``start``..``end`` overlaps."""
    low = 0 if start is None or start <= first_monday else (start - first_monday).days // 7
    high = weeks - 1 if end is None else min(weeks - 1, (end - first_monday).days // 7)
    if low >= weeks or high < 0 or low > high:
        return None
    return low, high


# --------------------------------------------------------------------------- the model


def studio_load(people: Iterable[PersonRow], projects: Iterable[ProjectRow],
                holds: Iterable[AccountHold], clients: Mapping[int, str], *,
                as_of: dt.date, weeks: int = HORIZON_WEEKS,
                plan: PlanChanges | None = None,
                managers_ahead: Mapping[int, Sequence[tuple[dt.date, str | None]]]
                | None = None,
                limits_ahead: Mapping[int, Sequence[tuple[dt.date, PersonRow]]]
                | None = None) -> StudioLoad:
    """Every active person's load today and in the ``weeks`` weeks from ``as_of``'s.

    ``projects`` may hold projects of any status (only open ones matter), each with its
    manager on ``as_of``; ``holds`` every Account Manager assignment that might cover the
    period; ``clients`` maps every client's id to its name. ``managers_ahead`` maps a
    project id to the changes of its manager after ``as_of`` (from a day, who: None for
    nobody), ``limits_ahead`` a person id to their rows with the limits in force from a
    day, both in date order. With ``plan``, the figures are those under the plan (which
    then decides the projects it covers for the whole horizon).
    """
    project_list = [p for p in projects if p.status in OPEN_STATUSES]
    hold_list = list(holds)
    ahead = dict(managers_ahead or {})
    if plan is not None:
        project_list, hold_list = apply_plan_changes(project_list, hold_list, clients,
                                                     plan, as_of)
        for project_id in plan.project_managers:
            ahead.pop(project_id, None)
    # Sorted once here (active first, then by name), so every list made from it below is
    # in order without sorting thousands of names again per person.
    project_list.sort(key=_project_order)
    staff = [p for p in people if p.active]
    active_names = {p.name for p in staff}
    first_monday = week_start(as_of)
    week_starts = tuple(first_monday + dt.timedelta(weeks=i) for i in range(weeks))

    managed: dict[str, list[ProjectRow]] = {p.name: [] for p in staff}
    handovers: dict[str, list[tuple[ProjectRow, dt.date | None, dt.date | None]]] = {
        p.name: [] for p in staff}
    unmanaged: list[UnmanagedProject] = []
    open_by_client: dict[str, int] = {}
    for project in project_list:
        open_by_client[project.client] = open_by_client.get(project.client, 0) + 1
        if project.manager is None:
            unmanaged.append(UnmanagedProject(project, NO_MANAGER))
        elif project.manager not in active_names:
            unmanaged.append(UnmanagedProject(
                project, f"{project.manager} is no longer active"))
        elif project.status in LOADING_STATUSES:
            managed[project.manager].append(project)
        changes = ahead.get(project.id)
        if changes and project.status in LOADING_STATUSES:
            # Who manages it from when: today's manager until the first change, and so on.
            firsts: list[dt.date | None] = [None, *(day for day, _m in changes)]
            lasts: list[dt.date | None] = [day - dt.timedelta(days=1) for day, _m in changes]
            managers = [project.manager, *(manager for _day, manager in changes)]
            for first, last, manager in zip(firsts, [*lasts, None], managers, strict=True):
                if manager in handovers:
                    handovers[manager].append((project, first, last))

    held_by: dict[str, list[AccountHold]] = {p.name: [] for p in staff}
    horizon_end = first_monday + dt.timedelta(weeks=weeks, days=-1)
    period_start = min(as_of, first_monday)
    current_holder: dict[int, list[str]] = {}
    for hold in hold_list:
        if hold.covers(as_of, as_of):
            current_holder.setdefault(hold.client_id, []).append(hold.person)
        if hold.person in held_by and hold.covers(period_start, horizon_end):
            held_by[hold.person].append(hold)

    limits = limits_ahead or {}
    loads = tuple(_person_load(person, managed[person.name], held_by[person.name], as_of,
                               week_starts, handovers[person.name],
                               limits.get(person.id, ())) for person in staff)
    return StudioLoad(
        as_of=as_of,
        week_starts=week_starts,
        people=loads,
        today_total=studio_totals(p.today for p in loads),
        week_totals=tuple(studio_totals(p.weeks[i] for p in loads) for i in range(weeks)),
        unmanaged_projects=tuple(sorted(unmanaged, key=_unmanaged_order)),  # stable
        clients_without_account_manager=_clients_without_holder(
            clients, current_holder, active_names, open_by_client),
    )


def _person_load(person: PersonRow, projects: list[ProjectRow], holds: list[AccountHold],
                 as_of: dt.date, week_starts: tuple[dt.date, ...],
                 handovers: Sequence[tuple[ProjectRow, dt.date | None, dt.date | None]] = (),
                 limits_ahead: Sequence[tuple[dt.date, PersonRow]] = ()) -> PersonLoad:
    weeks = len(week_starts)
    first_monday = week_starts[0] if week_starts else week_start(as_of)
    # Running differences: a project adds to the weeks from its first to its last with
    # two entries instead of one per week, so thousands of projects stay cheap.
    active = [0] * (weeks + 1)
    backburner = [0] * (weeks + 1)
    hours = [0.0] * (weeks + 1)
    # Each project once, over the weeks it is theirs: all of its dates for those they
    # manage throughout, only the weeks they hold it for those changing hands (a project
    # handed on and back within a week counts once in it).
    parted: dict[int, list[tuple[int, int]]] = {}
    by_id: dict[int, ProjectRow] = {}
    for project, first, last in handovers:
        span = _project_weeks(project, as_of, first_monday, weeks)
        held = _week_range(first, last, first_monday, weeks)
        by_id[project.id] = project
        ranges = parted.setdefault(project.id, [])
        if span is not None and held is not None and held[0] <= span[1] \
                and held[1] >= span[0]:
            ranges.append((max(span[0], held[0]), min(span[1], held[1])))
    spans = [(p, _project_weeks(p, as_of, first_monday, weeks)) for p in projects
             if p.id not in parted]
    spans += [(by_id[pid], span) for pid, ranges in parted.items()
              for span in _merged(ranges)]
    for project, span in spans:
        if span is None:
            continue
        low, high = span
        if project.status == "active":
            active[low] += 1
            active[high + 1] -= 1
            rate = project_weekly_hours(project)
            hours[low] += rate
            hours[high + 1] -= rate
        else:
            backburner[low] += 1
            backburner[high + 1] -= 1
    clients_in_week: list[set[int]] = [set() for _ in range(weeks)]
    clients_today: set[int] = set()
    for hold in holds:
        if hold.covers(as_of, as_of):
            clients_today.add(hold.client_id)
        span = _week_range(hold.start, hold.end, first_monday, weeks)
        if span is not None:
            for week in range(span[0], span[1] + 1):
                clients_in_week[week].add(hold.client_id)

    figures = []
    running_active = running_backburner = 0
    running_hours = 0.0
    for week in range(weeks):
        running_active += active[week]
        running_backburner += backburner[week]
        running_hours += hours[week]
        in_force = person
        for day, row in limits_ahead:
            if day <= max(week_starts[week], as_of):
                in_force = row
        figures.append(_capacity(in_force, running_active, running_backburner,
                                 len(clients_in_week[week]),
                                 # Sums of differences leave float dust (1e-15) behind.
                                 round(running_hours, 9) if running_active else 0.0))
    return PersonLoad(
        person=person,
        today=capacity_of(person, projects, len(clients_today)),
        weeks=tuple(figures),
        projects=tuple(projects),
        holds=tuple(sorted(holds, key=lambda h: (name_key(h.client), h.start))),
        as_of=as_of,
        week_starts=week_starts,
        handovers=tuple(handovers),
    )


def _project_weeks(project: ProjectRow, as_of: dt.date, first_monday: dt.date,
                   weeks: int) -> tuple[int, int] | None:
    """The weeks ``project`` is on its manager's desk (a late one: all of them)."""
    if is_late(project, as_of):
        return 0, weeks - 1
    return _week_range(project.start, project.due, first_monday, weeks)


def _merged(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Week ranges (first, last, inclusive) joined where they overlap or touch."""
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _capacity(person: PersonRow, active: int, backburner: int, clients: int,
              hours: float) -> Capacity:
    return Capacity(person=person.name, active_projects=active,
                    max_active_projects=person.max_active_projects,
                    backburner_projects=backburner,
                    max_backburner_projects=person.max_backburner_projects,
                    clients=clients, max_clients=person.max_clients,
                    weekly_hours=person.weekly_hours, allocated_hours=hours)


_STATUS_ORDER = {status: i for i, status in enumerate(OPEN_STATUSES)}


#: ``name_key`` remembered: the dashboard sorts the same names on every refresh.
_sort_key = functools.lru_cache(maxsize=1 << 16)(name_key)


def _project_order(project: ProjectRow) -> tuple[int, str]:
    """Active projects first (they need someone now), then back-burner, on-hold and
    pitches; by name within each."""
    return _STATUS_ORDER.get(project.status, 9), _sort_key(project.name)


def _unmanaged_order(item: UnmanagedProject) -> int:
    # The projects are already sorted by name within their status (see studio_load).
    return _STATUS_ORDER.get(item.project.status, 9)


def _clients_without_holder(clients: Mapping[int, str], holders: Mapping[int, list[str]],
                            active_names: set[str], open_by_client: Mapping[str, int]
                            ) -> tuple[UnheldClient, ...]:
    found = []
    for client_id, name in clients.items():
        names = holders.get(client_id, [])
        if any(n in active_names for n in names):
            continue
        reason = f"{names[-1]} is no longer active" if names else NO_ACCOUNT_MANAGER
        found.append(UnheldClient(client_id, name, open_by_client.get(name, 0), reason))
    # Clients with open work first: they are the ones a person should be talking to.
    found.sort(key=lambda c: (-c.open_projects, name_key(c.name)))
    return tuple(found)


def apply_plan_changes(projects: Sequence[ProjectRow], holds: Sequence[AccountHold],
                       clients: Mapping[int, str], plan: PlanChanges, as_of: dt.date
                       ) -> tuple[list[ProjectRow], list[AccountHold]]:
    """``projects`` and ``holds`` as they would be with ``plan`` in effect from today.

    A client the plan covers keeps only its assignments that ended before today, and
    is held from today on by the plan's Account Manager (if it names one).
    """
    changed_projects = []
    for project in projects:
        manager = plan.project_managers.get(project.id, project.manager)
        if manager != project.manager:
            project = _with_manager(project, manager)
        changed_projects.append(project)
    kept = [h for h in holds
            if h.client_id not in plan.account_managers
            or (h.end is not None and h.end < as_of)]
    for client_id, person in plan.account_managers.items():
        if person is not None:
            kept.append(AccountHold(client_id, clients.get(client_id, str(client_id)),
                                    person, as_of))
    return changed_projects, kept


def _with_manager(project: ProjectRow, manager: str | None) -> ProjectRow:
    """``project`` managed by ``manager``: ``dataclasses.replace`` without re-running the
    frozen dataclass's ``__init__`` (or ``copy``'s generic machinery), which dominate a
    plan of thousands of projects. Rows have no ``__post_init__``; this is how
    ``core.rows.row_builder`` makes them too."""
    changed = object.__new__(type(project))
    object.__setattr__(changed, "__dict__", {**project.__dict__, "manager": manager})
    return changed


# --------------------------------------------------------------------------- output


def _number(value: float) -> str:
    """``40``, ``37.5``, ``23.33``: as few decimals as the figure needs (two at most)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_percent(value: float) -> str:
    """``115``, ``37.5``; empty for an infinite share (hours with no weekly hours)."""
    if math.isinf(value):
        return ""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def capacity_csv_rows(capacities: Iterable[Capacity]) -> list[dict[str, str]]:
    """``studio-desk capacity --csv`` rows: the columns of :data:`CAPACITY_COLUMNS`."""
    return [{
        "person": c.person,
        "active_projects": str(c.active_projects),
        "max_active_projects": str(c.max_active_projects),
        "backburner_projects": str(c.backburner_projects),
        "max_backburner_projects": str(c.max_backburner_projects),
        "clients": str(c.clients),
        "max_clients": str(c.max_clients),
        "weekly_hours": _number(c.weekly_hours),
        "allocated_hours": _number(c.allocated_hours),
        "utilisation_percent": format_percent(c.utilisation_percent),
        "overallocated": "yes" if c.overallocated else "no",
    } for c in capacities]


def capacity_table(capacities: Sequence[Capacity], totals: StudioTotals) -> list[str]:
    """The per-person table ``studio-desk capacity`` prints, columns aligned, with the
    studio's totals last and, for each overallocated person, which limits they are over."""
    header = ("Person", "Active", "Back-burner", "Clients", "Hours a week", "Use",
              "Overallocated")
    rows = [(c.person, f"{c.active_projects}/{c.max_active_projects}",
             f"{c.backburner_projects}/{c.max_backburner_projects}",
             f"{c.clients}/{c.max_clients}",
             f"{_tenths(c.allocated_hours)}/{_tenths(c.weekly_hours)}",
             _percent_cell(c.utilisation_percent),
             "yes: " + "; ".join(c.overloads) if c.overallocated else "no")
            for c in capacities]
    total = ("Studio", f"{totals.active_projects}/{totals.max_active_projects}",
             f"{totals.backburner_projects}/{totals.max_backburner_projects}",
             f"{totals.clients}/{totals.max_clients}",
             f"{_tenths(totals.allocated_hours)}/{_tenths(totals.weekly_hours)}",
             _percent_cell(totals.utilisation_percent),
             f"{totals.overallocated} of {totals.people}")
    table = [header, *rows, total]
    widths = [max(len(r[i]) for r in table) for i in range(len(header) - 1)]
    # The person's name is read left to right, the figures line up on the right.
    aligned = []
    for row in table:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:], strict=True)]
        aligned.append("  ".join([*cells, row[-1]]).rstrip())
    rule = "-" * len(aligned[0])  # as wide as the header (reasons may run on)
    return [aligned[0], rule, *aligned[1:-1], rule, aligned[-1]]


def _tenths(value: float) -> str:
    """``48.4``, ``40``: hours as the reasons name them (one decimal at most)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _percent_cell(value: float) -> str:
    return "no hours" if math.isinf(value) else f"{value:.0f} %"
