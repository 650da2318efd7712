"""The load of small studios, today and week by week, worked out by hand."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio_desk.core.capacity import capacity_of, project_weekly_hours
from studio_desk.core.load import (
    CAPACITY_COLUMNS,
    AccountHold,
    PlanChanges,
    StudioLoad,
    capacity_csv_rows,
    capacity_table,
    is_late,
    on_desk,
    studio_load,
    studio_totals,
    week_start,
)
from studio_desk.core.rows import PersonRow, ProjectRow

D = dt.date.fromisoformat
#: A Wednesday: the weeks run from Monday 2 March 2026.
AS_OF = D("2026-03-04")

CLIENTS = {1: "Acme", 2: "Borealis", 3: "Cobalt", 4: "Delta", 5: "Echo", 6: "Fjord"}
_ids = iter(range(1, 10_000))


def person(name: str, **values: object) -> PersonRow:
    return PersonRow(id=next(_ids), version=1, name=name, **values)  # type: ignore[arg-type]


def project(name: str, client: str, manager: str | None, status: str = "active",
            hours: float | None = None, start: str | None = None,
            due: str | None = None) -> ProjectRow:
    return ProjectRow(id=next(_ids), version=1, client=client, name=name, status=status,
                      estimated_hours=hours, manager=manager,
                      start=D(start) if start else None, due=D(due) if due else None)


def hold(client_id: int, person_name: str, start: str, end: str | None = None
         ) -> AccountHold:
    return AccountHold(client_id, CLIENTS[client_id], person_name, D(start),
                       D(end) if end else None)


PEOPLE = [
    person("Ana Ruiz"),  # full time, the default limits (6, 15, 12)
    person("Ben Ode", weekly_hours=20.0, max_active_projects=2),  # part time
    person("Cara Li", weekly_hours=0.0, max_active_projects=0, max_backburner_projects=0,
           max_clients=0),  # nothing to do, nothing allowed: fine
    person("Dan Moss", weekly_hours=0.0, max_active_projects=0, max_backburner_projects=0,
           max_clients=0),  # zero limits, yet some work
    person("Eve Stone", active=False),  # left the studio
]
PROJECTS = [
    # 120 h over 84 days: 10 h a week, weeks 0-11.
    project("Web shop", "Acme", "Ana Ruiz", hours=120, start="2026-03-02", due="2026-05-24"),
    # No dates: 60 h over the default 12 weeks, 5 h a week, every week.
    project("Annual report", "Borealis", "Ana Ruiz", hours=60),
    # Waiting in weeks 2-5; no hours.
    project("Spring campaign", "Acme", "Ana Ruiz", status="back-burner", start="2026-03-16",
            due="2026-04-12"),
    # Starts in week 10: 70 h over 6 weeks, 11.67 h a week from then on.
    project("Future launch", "Fjord", "Ana Ruiz", hours=70, start="2026-05-11",
            due="2026-06-21"),
    project("Old site", "Acme", "Ana Ruiz", status="done", hours=500),
    # One week, week 0: 14 h.
    project("Sprint", "Cobalt", "Ben Ode", hours=14, start="2026-03-02", due="2026-03-08"),
    # Four weeks from week 1: 6 h a week.
    project("Audit", "Cobalt", "Ben Ode", hours=24, start="2026-03-09", due="2026-04-05"),
    # Due last Friday and still active: late, 3 h a week in every week.
    project("Hotfix", "Acme", "Ben Ode", hours=3, start="2026-02-23", due="2026-02-27"),
    project("Archive", "Cobalt", "Dan Moss", status="back-burner"),
    project("Former colleague's", "Echo", "Eve Stone", hours=50),
    project("Nobody's", "Delta", None, hours=500),
    project("Pitch idea", "Delta", None, status="pitch"),
]
HOLDS = [
    hold(1, "Ana Ruiz", "2024-01-01"),
    hold(1, "Cara Li", "2020-01-01", "2023-12-31"),  # ended long ago
    hold(2, "Ana Ruiz", "2023-05-01", "2026-03-10"),  # hands Borealis over ...
    hold(2, "Ben Ode", "2026-03-11"),  # ... to Ben in week 1
    hold(3, "Dan Moss", "2025-01-01"),
    hold(5, "Eve Stone", "2024-01-01"),  # held by someone who left
    hold(6, "Ben Ode", "2026-04-01"),  # starts in week 4
]


@pytest.fixture(scope="module")
def studio() -> StudioLoad:
    return studio_load(PEOPLE, PROJECTS, HOLDS, CLIENTS, as_of=AS_OF)


def figures(load: StudioLoad, name: str, week: int | None = None) -> tuple[object, ...]:
    person_load = load.person(name)
    c = person_load.today if week is None else person_load.weeks[week]
    return (c.active_projects, c.backburner_projects, c.clients,
            round(c.allocated_hours, 2))


# --------------------------------------------------------------------------- today


def test_the_weeks_start_on_the_monday_of_the_day_asked_about(studio: StudioLoad) -> None:
    assert week_start(AS_OF) == D("2026-03-02")
    assert studio.week_starts[0] == D("2026-03-02")
    assert studio.week_starts[-1] == D("2026-05-18")
    assert len(studio.week_starts) == 12


def test_only_active_people_carry_load(studio: StudioLoad) -> None:
    assert [p.name for p in studio.people] == ["Ana Ruiz", "Ben Ode", "Cara Li", "Dan Moss"]


def test_a_full_timer_today_counts_every_active_project_whatever_its_dates(
        studio: StudioLoad) -> None:
    ana = studio.person("Ana Ruiz")
    # Web shop, Annual report and Future launch (active, starting in May); the
    # back-burner campaign; Acme and Borealis (handed over only next week).
    assert figures(studio, "Ana Ruiz") == (3, 1, 2, round(10 + 5 + 70 / 6, 2))
    assert ana.today.utilisation_percent == pytest.approx(100 * (15 + 70 / 6) / 40)
    assert not ana.today.overallocated
    assert [i.name for i in ana.items_today()] == [
        "Annual report", "Future launch", "Web shop", "Spring campaign", "Acme", "Borealis"]


def test_a_part_timer_over_projects_and_hours_is_named_with_both_reasons(
        studio: StudioLoad) -> None:
    ben = studio.person("Ben Ode").today
    assert figures(studio, "Ben Ode") == (3, 0, 0, 23.0)  # 14 + 6 + 3; no client yet
    assert ben.utilisation_percent == pytest.approx(115.0)  # not capped at 100
    assert ben.overloads == ("3 active projects (limit 2)", "23.0 hours a week (has 20)")


def test_zero_limits(studio: StudioLoad) -> None:
    assert figures(studio, "Cara Li") == (0, 0, 0, 0.0)
    assert not studio.person("Cara Li").today.overallocated
    assert studio.person("Cara Li").today.utilisation_percent == 0.0
    dan = studio.person("Dan Moss").today
    assert dan.overloads == ("1 back-burner project (limit 0)", "1 client (limit 0)")


def test_the_studio_totals_sum_the_active_people(studio: StudioLoad) -> None:
    total = studio.today_total
    assert (total.people, total.active_projects, total.max_active_projects) == (4, 6, 8)
    assert (total.backburner_projects, total.max_backburner_projects) == (2, 30)
    assert (total.clients, total.max_clients) == (3, 24)
    assert total.weekly_hours == 60.0
    assert total.allocated_hours == pytest.approx(15 + 70 / 6 + 23)
    assert total.utilisation_percent == pytest.approx(100 * (38 + 70 / 6) / 60)
    assert total.overallocated == 2
    assert [p.name for p in studio.overallocated] == ["Ben Ode", "Dan Moss"]


# --------------------------------------------------------------------------- each week


def test_a_full_timer_week_by_week(studio: StudioLoad) -> None:
    weeks = [figures(studio, "Ana Ruiz", w) for w in range(12)]
    assert weeks[0] == (2, 0, 2, 15.0)  # Future launch has not started
    assert weeks[1] == (2, 0, 2, 15.0)  # Borealis until Tuesday of week 1: still hers
    assert weeks[2] == (2, 1, 1, 15.0)  # the campaign waits in weeks 2-5
    assert weeks[5] == (2, 1, 1, 15.0)
    assert weeks[6] == (2, 0, 1, 15.0)
    assert weeks[9] == (2, 0, 1, 15.0)
    assert weeks[10] == (3, 0, 1, round(15 + 70 / 6, 2))  # Future launch from 11 May
    assert weeks[11] == (3, 0, 1, round(15 + 70 / 6, 2))


def test_a_part_timer_week_by_week_with_a_late_project_and_a_handover(
        studio: StudioLoad) -> None:
    weeks = [figures(studio, "Ben Ode", w) for w in range(12)]
    assert weeks[0] == (2, 0, 0, 17.0)  # Sprint 14 + late Hotfix 3
    assert weeks[1] == (2, 0, 1, 9.0)  # Audit 6 + Hotfix 3; Borealis from Wednesday
    assert weeks[4] == (2, 0, 2, 9.0)  # Fjord from 1 April
    assert weeks[5] == (1, 0, 2, 3.0)  # the late Hotfix stays until someone closes it
    assert weeks[11] == (1, 0, 2, 3.0)
    assert not any(w.overallocated for w in studio.person("Ben Ode").weeks)


def test_in_a_handover_week_both_account_managers_count_the_client(
        studio: StudioLoad) -> None:
    ana, ben = studio.person("Ana Ruiz"), studio.person("Ben Ode")
    assert "Borealis" in [i.name for i in ana.items_in_week(1)]
    assert "Borealis" in [i.name for i in ben.items_in_week(1)]
    assert "Borealis" not in [i.name for i in ana.items_in_week(2)]


def test_what_makes_up_a_week_lists_the_projects_on_the_desk(studio: StudioLoad) -> None:
    ben = studio.person("Ben Ode")
    week0 = ben.items_in_week(0)
    assert [(i.name, i.weekly_hours, i.late) for i in week0] == [
        ("Hotfix", 3.0, True), ("Sprint", 14.0, False)]
    assert [i.name for i in ben.items_in_week(3)] == ["Audit", "Hotfix", "Borealis"]


def test_week_totals_add_up_the_people(studio: StudioLoad) -> None:
    assert studio.week_totals[0].allocated_hours == pytest.approx(15 + 17)
    assert studio.week_totals[10].allocated_hours == pytest.approx(15 + 70 / 6 + 3)
    # Dan is over his zero limits every week.
    assert [t.overallocated for t in studio.week_totals] == [1] * 12


def test_a_late_project_is_one_past_its_due_date_and_still_open() -> None:
    late = project("Late", "Acme", "Ana Ruiz", due="2026-03-03")
    assert is_late(late, AS_OF)
    assert not is_late(project("Due today", "Acme", "Ana Ruiz", due="2026-03-04"), AS_OF)
    assert not is_late(project("Done", "Acme", "Ana Ruiz", status="done",
                               due="2026-01-01"), AS_OF)
    far = D("2026-05-18")
    assert on_desk(late, far, far + dt.timedelta(6), AS_OF)


# --------------------------------------------------------------------------- needs someone


def test_projects_without_a_working_manager_are_listed_active_first(
        studio: StudioLoad) -> None:
    assert [(u.project.name, u.reason) for u in studio.unmanaged_projects] == [
        ("Former colleague's", "Eve Stone is no longer active"),
        ("Nobody's", "no manager"),
        ("Pitch idea", "no manager"),
    ]


def test_clients_without_a_current_account_manager_busiest_first(
        studio: StudioLoad) -> None:
    assert [(c.name, c.open_projects, c.reason)
            for c in studio.clients_without_account_manager] == [
        ("Delta", 2, "no account manager"),
        ("Echo", 1, "Eve Stone is no longer active"),
        ("Fjord", 1, "no account manager"),  # Ben takes it only from 1 April
    ]


# --------------------------------------------------------------------------- under a plan


def test_under_a_plan_the_roles_it_names_move_as_if_applied_today() -> None:
    by_name = {p.name: p.id for p in PROJECTS}
    plan = PlanChanges(
        project_managers={by_name["Web shop"]: "Ben Ode", by_name["Nobody's"]: "Ana Ruiz"},
        account_managers={1: "Ben Ode", 4: "Cara Li"})
    under = studio_load(PEOPLE, PROJECTS, HOLDS, CLIENTS, as_of=AS_OF, plan=plan)

    # Ana: Annual report 5 + Future launch 11.67 + Nobody's 500/12; Borealis only.
    assert figures(under, "Ana Ruiz") == (3, 1, 1, round(5 + 70 / 6 + 500 / 12, 2))
    assert under.person("Ana Ruiz").today.overloads == ("58.3 hours a week (has 40)",)
    assert figures(under, "Ben Ode") == (4, 0, 1, 33.0)  # Web shop joins; holds Acme
    assert under.person("Cara Li").today.overloads == ("1 client (limit 0)",)
    assert [u.project.name for u in under.unmanaged_projects] == [
        "Former colleague's", "Pitch idea"]
    assert [c.name for c in under.clients_without_account_manager] == ["Echo", "Fjord"]
    # Today's figures are untouched by looking at a plan.
    studio = studio_load(PEOPLE, PROJECTS, HOLDS, CLIENTS, as_of=AS_OF)
    assert figures(studio, "Ben Ode") == (3, 0, 0, 23.0)


def test_a_plan_that_leaves_a_role_empty_leaves_it_to_nobody() -> None:
    by_name = {p.name: p.id for p in PROJECTS}
    plan = PlanChanges({by_name["Sprint"]: None}, {3: None})
    under = studio_load(PEOPLE, PROJECTS, HOLDS, CLIENTS, as_of=AS_OF, plan=plan)
    assert figures(under, "Ben Ode") == (2, 0, 0, 9.0)
    assert figures(under, "Dan Moss")[2] == 0
    assert "Sprint" in [u.project.name for u in under.unmanaged_projects]
    assert "Cobalt" in [c.name for c in under.clients_without_account_manager]


# --------------------------------------------------------------------------- output


def test_csv_rows_have_exactly_the_design_columns(studio: StudioLoad) -> None:
    rows = capacity_csv_rows(p.today for p in studio.people)
    assert CAPACITY_COLUMNS == (
        "person", "active_projects", "max_active_projects", "backburner_projects",
        "max_backburner_projects", "clients", "max_clients", "weekly_hours",
        "allocated_hours", "utilisation_percent", "overallocated")
    assert all(tuple(r) == CAPACITY_COLUMNS for r in rows)
    assert rows[1] == {
        "person": "Ben Ode", "active_projects": "3", "max_active_projects": "2",
        "backburner_projects": "0", "max_backburner_projects": "15", "clients": "0",
        "max_clients": "12", "weekly_hours": "20", "allocated_hours": "23",
        "utilisation_percent": "115", "overallocated": "yes"}
    assert rows[0]["allocated_hours"] == "26.67"
    assert rows[0]["utilisation_percent"] == "66.7"
    assert rows[0]["overallocated"] == "no"


def test_hours_for_someone_without_weekly_hours_have_no_percentage() -> None:
    nobody_home = capacity_of(person("Fay", weekly_hours=0.0),
                              [project("Launch", "Acme", "Fay", hours=12)], 0)
    assert math.isinf(nobody_home.utilisation_percent)
    row = capacity_csv_rows([nobody_home])[0]
    assert row["utilisation_percent"] == "" and row["overallocated"] == "yes"
    lines = capacity_table([nobody_home], studio_totals([nobody_home]))
    assert "no hours" in lines[2]


def test_the_printed_table_lines_up_its_columns(studio: StudioLoad) -> None:
    lines = capacity_table([p.today for p in studio.people], studio.today_total)
    assert set(lines[1]) == {"-"} and set(lines[-2]) == {"-"}
    table = [lines[0], *lines[2:-2], lines[-1]]

    def cells(line: str) -> list[re.Match[str]]:
        # Cells are separated by two spaces or more; a name may hold one.
        return list(re.finditer(r"\S+(?: \S+)*", line))

    assert [c.group() for c in cells(lines[0])] == [
        "Person", "Active", "Back-burner", "Clients", "Hours a week", "Use", "Overallocated"]
    assert [cells(line)[0].group() for line in table[1:]] == [
        "Ana Ruiz", "Ben Ode", "Cara Li", "Dan Moss", "Studio"]
    # Names start at the left; every figure column ends where its header ends.
    assert {cells(line)[0].start() for line in table} == {0}
    for column in range(1, 6):
        assert len({cells(line)[column].end() for line in table}) == 1, column
    assert [cells(line)[1].group() for line in table[1:]] == ["3/6", "3/2", "0/0", "0/0",
                                                             "6/8"]
    assert [cells(line)[5].group() for line in table[1:]] == [
        "67 %", "115 %", "0 %", "0 %", "83 %"]
    assert cells(lines[3])[6].group() == (
        "yes: 3 active projects (limit 2); 23.0 hours a week (has 20)")
    assert cells(lines[-1])[6].group() == "2 of 4"


# --------------------------------------------------------------------------- one rule


_DAYS = st.integers(min_value=-60, max_value=120).map(lambda n: AS_OF + dt.timedelta(n))


@st.composite
def _projects(draw: st.DrawFn) -> ProjectRow:
    start = draw(st.none() | _DAYS)
    due = draw(st.none() | _DAYS)
    if start is not None and due is not None and due < start:
        start, due = due, start
    return ProjectRow(id=draw(st.integers(1, 10**6)), version=1, client="Acme", name="P",
                      status=draw(st.sampled_from(["active", "back-burner", "on-hold"])),
                      start=start, due=due, manager="Ana Ruiz",
                      estimated_hours=draw(st.none() | st.floats(0, 2000)))


@settings(max_examples=150, deadline=None)
@given(st.lists(_projects(), max_size=12))
def test_each_weeks_figures_are_the_sum_of_what_is_on_the_desk_that_week(
        projects: list[ProjectRow]) -> None:
    """The weekly figures (computed from running differences) agree, week by week, with
    the projects the detail list shows for that week."""
    ana = studio_load([PEOPLE[0]], projects, [], {}, as_of=AS_OF).person("Ana Ruiz")
    for week, figures_of_week in enumerate(ana.weeks):
        items = ana.items_in_week(week)
        active = [i for i in items if i.status == "active"]
        assert figures_of_week.active_projects == len(active)
        assert figures_of_week.backburner_projects == sum(
            1 for i in items if i.status == "back-burner")
        assert figures_of_week.allocated_hours == pytest.approx(
            sum(i.weekly_hours for i in active), abs=1e-6)
    assert ana.today.allocated_hours == pytest.approx(
        sum(project_weekly_hours(p) for p in projects), abs=1e-6)
