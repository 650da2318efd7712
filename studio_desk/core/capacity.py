"""How much each person carries, against each of their limits.

A studio thinks in projects and clients as much as in hours ("about six active and ten to
fifteen on the back burner each"), so every figure here is counted against its own limit
and a person over *any* of them is overallocated, with the reason named.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from studio_desk.core.rows import PersonRow, ProjectRow

#: A project with hours but no dates is assumed to run this many weeks.
DEFAULT_PROJECT_WEEKS = 12


def project_weekly_hours(project: ProjectRow) -> float:
    """The project's estimated hours spread evenly over the weeks from start to due.

    Only active projects take weekly hours: a back-burner project is waiting (on the
    client, on a decision) and counts against its own limit instead.
    """
    if project.status != "active" or not project.estimated_hours:
        return 0.0
    weeks: float = DEFAULT_PROJECT_WEEKS
    if project.start and project.due:
        weeks = max(1.0, ((project.due - project.start).days + 1) / 7)
    return project.estimated_hours / weeks


@dataclass(frozen=True)
class Capacity:
    """One person's load against their limits."""

    person: str
    active_projects: int
    max_active_projects: int
    backburner_projects: int
    max_backburner_projects: int
    clients: int
    max_clients: int
    weekly_hours: float
    allocated_hours: float

    @property
    def utilisation_percent(self) -> float:
        """Allocated hours as a share of weekly hours; above 100 when over, not capped."""
        if self.weekly_hours <= 0:
            return 0.0 if self.allocated_hours <= 0 else float("inf")
        return 100.0 * self.allocated_hours / self.weekly_hours

    @property
    def overloads(self) -> tuple[str, ...]:
        """A phrase per limit exceeded, e.g. ``"8 active projects (limit 6)"``."""
        found = []
        if self.active_projects > self.max_active_projects:
            found.append(f"{_count(self.active_projects, 'active project')} "
                         f"(limit {self.max_active_projects})")
        if self.backburner_projects > self.max_backburner_projects:
            found.append(f"{_count(self.backburner_projects, 'back-burner project')} "
                         f"(limit {self.max_backburner_projects})")
        if self.clients > self.max_clients:
            found.append(f"{_count(self.clients, 'client')} (limit {self.max_clients})")
        if self.allocated_hours > self.weekly_hours + 1e-9:
            found.append(f"{self.allocated_hours:.1f} hours a week "
                         f"(has {self.weekly_hours:g})")
        return tuple(found)

    @property
    def overallocated(self) -> bool:
        return bool(self.overloads)


def _count(number: int, thing: str) -> str:
    """``1 client``, ``2 clients``: a limit of 0 makes a count of one common."""
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"


def capacity_of(person: PersonRow, managed: Iterable[ProjectRow],
                clients_held: int) -> Capacity:
    """The load of ``person``, who manages ``managed`` and holds ``clients_held`` clients."""
    active = backburner = 0
    hours = 0.0
    for project in managed:
        if project.status == "active":
            active += 1
        elif project.status == "back-burner":
            backburner += 1
        hours += project_weekly_hours(project)
    return Capacity(
        person=person.name,
        active_projects=active,
        max_active_projects=person.max_active_projects,
        backburner_projects=backburner,
        max_backburner_projects=person.max_backburner_projects,
        clients=clients_held,
        max_clients=person.max_clients,
        weekly_hours=person.weekly_hours,
        allocated_hours=hours,
    )


def studio_capacity(people: Iterable[PersonRow], projects: Iterable[ProjectRow],
                    clients_held: dict[str, int]) -> list[Capacity]:
    """Every active person's capacity; projects are matched to people by manager name."""
    by_manager: dict[str, list[ProjectRow]] = {}
    for project in projects:
        if project.manager:
            by_manager.setdefault(project.manager, []).append(project)
    return [capacity_of(p, by_manager.get(p.name, ()), clients_held.get(p.name, 0))
            for p in people if p.active]

