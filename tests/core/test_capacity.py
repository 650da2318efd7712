"""Capacity figures of small studios worked out by hand."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from studio_desk.core.capacity import (
    DEFAULT_PROJECT_WEEKS,
    Capacity,
    capacity_of,
    project_weekly_hours,
    studio_capacity,
)
from studio_desk.core.rows import PersonRow, ProjectRow

_ids = iter(range(1, 1000))


def person(name: str, **values: object) -> PersonRow:
    return PersonRow(id=next(_ids), version=1, name=name, **values)  # type: ignore[arg-type]


def project(name: str, manager: str | None, status: str = "active",
            hours: float | None = None, start: str | None = None,
            due: str | None = None) -> ProjectRow:
    return ProjectRow(id=next(_ids), version=1, client="Acme", name=name, status=status,
                      estimated_hours=hours, manager=manager,
                      start=dt.date.fromisoformat(start) if start else None,
                      due=dt.date.fromisoformat(due) if due else None)


# --------------------------------------------------------------------------- weekly hours

@pytest.mark.parametrize(("start", "due", "hours", "per_week"), [
    ("2026-01-05", "2026-03-29", 120, 10.0),  # 84 days: 12 weeks
    ("2026-02-02", "2026-02-08", 14, 14.0),  # 7 days: one week
    ("2026-02-02", "2026-03-01", 24, 6.0),  # 28 days: four weeks
    ("2026-02-02", "2026-02-02", 3, 3.0),  # a single day still takes a whole week's share
    ("2026-02-02", "2026-02-04", 9, 9.0),  # three days: at least one week
])
def test_hours_spread_over_the_weeks_from_start_to_due(start: str, due: str, hours: float,
                                                       per_week: float) -> None:
    assert project_weekly_hours(project("P", "Ana", hours=hours, start=start, due=due)) \
        == pytest.approx(per_week)


def test_a_project_without_both_dates_runs_the_default_weeks() -> None:
    assert DEFAULT_PROJECT_WEEKS == 12
    assert project_weekly_hours(project("P", "Ana", hours=60)) == pytest.approx(5.0)
    assert project_weekly_hours(project("P", "Ana", hours=60, start="2026-01-01")) \
        == pytest.approx(5.0)


@pytest.mark.parametrize("status", ["back-burner", "pitch", "on-hold", "done", "cancelled"])
def test_only_active_projects_take_weekly_hours(status: str) -> None:
    assert project_weekly_hours(project("P", "Ana", status=status, hours=200,
                                        start="2026-01-05", due="2026-01-11")) == 0.0


def test_a_project_without_an_estimate_takes_no_hours() -> None:
    assert project_weekly_hours(project("P", "Ana", hours=None)) == 0.0


# --------------------------------------------------------------------------- a small studio

@pytest.fixture
def studio() -> dict[str, Capacity]:
    people = [
        person("Ana Ruiz"),  # full time, default limits
        person("Ben Ode", weekly_hours=20.0, max_active_projects=2),  # part time
        person("Cara Li", weekly_hours=0.0, max_active_projects=0, max_backburner_projects=0,
               max_clients=0),
        person("Dan Moss", weekly_hours=0.0, max_active_projects=0,
               max_backburner_projects=0, max_clients=0),
        person("Eve Stone", active=False),
    ]
    projects = [
        project("Web shop", "Ana Ruiz", hours=120, start="2026-01-05", due="2026-03-29"),
        project("Annual report", "Ana Ruiz", hours=60),
        project("Spring campaign", "Ana Ruiz", status="back-burner", hours=200,
                start="2026-01-05", due="2026-01-11"),
        project("Old site", "Ana Ruiz", status="done", hours=500),
        project("Sprint", "Ben Ode", hours=14, start="2026-02-02", due="2026-02-08"),
        project("Audit", "Ben Ode", hours=24, start="2026-02-02", due="2026-03-01"),
        project("Hotfix", "Ben Ode", hours=3, start="2026-02-02", due="2026-02-02"),
        project("Archive", "Dan Moss", status="back-burner"),
        project("Former colleague's", "Eve Stone", hours=50),
        project("Nobody's", None, hours=500),
    ]
    held = {"Ana Ruiz": 3, "Dan Moss": 1, "Eve Stone": 2}
    return {c.person: c for c in studio_capacity(people, projects, held)}


def test_only_active_people_are_counted(studio: dict[str, Capacity]) -> None:
    assert list(studio) == ["Ana Ruiz", "Ben Ode", "Cara Li", "Dan Moss"]


def test_a_full_timer_within_every_limit(studio: dict[str, Capacity]) -> None:
    ana = studio["Ana Ruiz"]
    assert (ana.active_projects, ana.max_active_projects) == (2, 6)
    assert (ana.backburner_projects, ana.max_backburner_projects) == (1, 15)
    assert (ana.clients, ana.max_clients) == (3, 12)
    assert ana.weekly_hours == 40.0
    assert ana.allocated_hours == pytest.approx(15.0)  # 10 (web shop) + 5 (annual report)
    assert ana.utilisation_percent == pytest.approx(37.5)
    assert ana.overloads == () and not ana.overallocated


def test_a_part_timer_over_projects_and_hours(studio: dict[str, Capacity]) -> None:
    ben = studio["Ben Ode"]
    assert ben.active_projects == 3
    assert ben.allocated_hours == pytest.approx(23.0)  # 14 + 6 + 3
    assert ben.utilisation_percent == pytest.approx(115.0)  # not capped at 100
    assert ben.overloads == ("3 active projects (limit 2)", "23.0 hours a week (has 20)")
    assert ben.overallocated


def test_zero_limits_and_nothing_to_do_is_not_overallocated(
        studio: dict[str, Capacity]) -> None:
    cara = studio["Cara Li"]
    assert (cara.active_projects, cara.backburner_projects, cara.clients) == (0, 0, 0)
    assert cara.utilisation_percent == 0.0
    assert not cara.overallocated


def test_zero_limits_with_work_names_every_limit_exceeded(
        studio: dict[str, Capacity]) -> None:
    dan = studio["Dan Moss"]
    assert dan.overloads == ("1 back-burner project (limit 0)", "1 client (limit 0)")
    assert dan.allocated_hours == 0.0 and dan.utilisation_percent == 0.0


def test_hours_without_any_weekly_hours_are_an_unbounded_load() -> None:
    nobody_home = capacity_of(person("Fay", weekly_hours=0.0),
                              [project("Launch", "Fay", hours=12)], 0)
    assert nobody_home.allocated_hours == pytest.approx(1.0)
    assert math.isinf(nobody_home.utilisation_percent)
    assert nobody_home.overloads == ("1.0 hours a week (has 0)",)


def test_exactly_at_every_limit_is_not_over() -> None:
    full = capacity_of(person("Gil", weekly_hours=10.0, max_active_projects=1,
                              max_backburner_projects=1, max_clients=2),
                       [project("A", "Gil", hours=120),
                        project("B", "Gil", status="back-burner")], 2)
    assert full.allocated_hours == pytest.approx(10.0)
    assert full.utilisation_percent == pytest.approx(100.0)
    assert not full.overallocated
    one_more = capacity_of(person("Gil", max_clients=2), [], 3)
    assert one_more.overloads == ("3 clients (limit 2)",)
