"""The optimiser at scale: no false shortfall, one tolerance for hours, refusals, silence.

A false shortfall is a hiring signal made up by the solver: items left unplaced, and the
studio said to be short, where a feasible assignment places them. The large studios here
come from ``benchmarks/bench_optimizer.py`` (deterministic by seed): hours on every
client and project, and every budget's capacity the demand + 10 %, spread over people
whose hours and slots do not match, so assigning by best match alone runs out of hours.
No test asserts a time: the benchmark measures that.
"""

from __future__ import annotations

import datetime as dt
import math
import random

import numpy as np
import pytest

from benchmarks.bench_optimizer import make_large_studio
from studio_desk.core import optimizer, reasons
from studio_desk.core.optimizer import (
    Candidate,
    ClientItem,
    ProjectItem,
    Proposal,
    ScoreWeights,
    greedy_proposal,
    hours_fit,
    limit_violations,
    propose,
)

Studio = tuple[list[Candidate], list[ClientItem], list[ProjectItem]]
SHORT_WORDS = ("short", "out of hours", "has room for another", "takes the")


def placed(proposal: Proposal) -> int:
    return sum(1 for p in proposal.placements if p.person_id is not None and not p.pinned)


def packing_floor(studio: Studio) -> tuple[int, int]:
    """(placed by the module's packing floor, placed by the plain best fit decreasing)."""
    prep = optimizer._prepare(*studio, {}, ScoreWeights())
    floor = optimizer._floor(prep, ScoreWeights())
    plain = optimizer._pack(prep, mode=optimizer._PACK_FIT)
    return int((floor >= 0).sum()), int((plain >= 0).sum())


def assert_no_false_shortfall(proposal: Proposal, studio: Studio) -> None:
    """Everything placed within every limit, so no shortfall and no unplaced reason."""
    assert limit_violations(proposal.assignment(), *studio) == []
    assert proposal.unplaced_count == 0
    assert proposal.placement_gap == 0
    assert all(v == 0 for v in proposal.shortfall.values()), dict(proposal.shortfall)


# --------------------------------------------------------------------------- scale


def test_a_large_studio_with_room_for_everything_places_everything() -> None:
    # 20 people, 200 clients, 1,000 projects (300 active, 700 back-burner), hours on all.
    studio = make_large_studio(20, 200, 300, 700)
    proposal = propose(*studio)
    assert_no_false_shortfall(proposal, studio)
    floor, plain = packing_floor(studio)
    assert placed(proposal) >= floor >= plain
    baseline = greedy_proposal(*studio)
    # Best match alone runs out of hours here: the studio this test is about.
    assert baseline.unplaced_count > 0
    assert placed(proposal) > placed(baseline)
    assert proposal.score > baseline.score


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_large_studios_place_everything_too(seed: int) -> None:
    studio = make_large_studio(30, 300, 450, 1050, seed=seed)
    assert_no_false_shortfall(propose(*studio), studio)


@pytest.mark.slow
def test_the_5000_project_studio_places_everything() -> None:
    # The tester's studio: 100 people, 1,000 clients, 5,000 projects (600,000 pairs).
    studio = make_large_studio()
    proposal = propose(*studio)
    assert_no_false_shortfall(proposal, studio)
    assert placed(proposal) == 6000
    assert math.isfinite(proposal.quality_gap)
    baseline = greedy_proposal(*studio)
    assert proposal.score > baseline.score


def test_the_floor_is_the_fallback_when_every_solver_fails(
        monkeypatch: pytest.MonkeyPatch) -> None:
    studio = make_large_studio(20, 200, 300, 700, seed=5)
    monkeypatch.setattr(optimizer, "_solve_lp", lambda *args, **kwargs: None)
    monkeypatch.setattr(optimizer, "_prices",
                        lambda prep, *args: (math.inf, np.zeros((4, len(prep.people)))))
    proposal = propose(*studio)
    assert_no_false_shortfall(proposal, studio)  # all placed: the count proves itself
    assert not proposal.proven_optimal and proposal.quality_gap == math.inf


def test_an_unproven_count_claims_only_what_is_provable(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Over capacity, and no solver and no bound: unplaced rows cannot be proven short...
    people, clients, projects = make_large_studio(10, 60, 90, 200, headroom=0.9, seed=7)
    # ... except a project nobody has the hours for, which is short whatever happens.
    projects = [*projects, ProjectItem(9999, "Huge", 1, "active", "balanced", 3, 3, 160.0)]
    monkeypatch.setattr(optimizer, "_solve_lp", lambda *args, **kwargs: None)
    monkeypatch.setattr(optimizer, "_prices",
                        lambda prep, *args: (math.inf, np.zeros((4, len(prep.people)))))
    proposal = propose(people, clients, projects, exact_limit=0)
    assert limit_violations(proposal.assignment(), people, clients, projects) == []
    assert proposal.unplaced_count > 1 and proposal.placement_gap > 0
    huge = proposal.placement("project", 9999)
    assert huge.person_id is None and "out of hours" in huge.reason
    others = [p for p in proposal.unplaced() if (p.kind, p.item_id) != ("project", 9999)]
    assert others
    for row in others:
        assert row.reason == reasons.UNPROVEN_REASON
        assert "assign it by hand" in row.reason
        assert not any(word in row.reason for word in SHORT_WORDS)
    # The shortfall is only what is provable: the huge project, plus what even all the
    # studio's room pooled together cannot hold (the studio is 10 % short in each).
    active = [p for p in projects if p.status == "active" and p.project_id != 9999]
    lacking = {
        "clients": len(clients) - sum(p.max_clients for p in people),
        "active projects": len(active) - sum(p.max_active_projects for p in people),
        "back-burner projects": len(projects) - 1 - len(active)
        - sum(p.max_backburner_projects for p in people)}
    assert all(v > 0 for v in lacking.values())
    assert {k: proposal.shortfall[k] for k in lacking} == {
        k: v + (k == "active projects") for k, v in lacking.items()}
    hours = sum(c.weekly_hours for c in clients) + sum(p.weekly_hours for p in projects)
    assert proposal.shortfall["hours"] == pytest.approx(
        hours - sum(p.weekly_hours for p in people), abs=1e-3)
    # ... which never exceeds what this proposal left unplaced.
    status = {p.project_id: p.status for p in projects}
    kinds = ["clients" if row.kind == "client" else f"{status[row.item_id]} projects"
             for row in proposal.unplaced()]
    assert all(proposal.shortfall[k] <= kinds.count(k) for k in lacking)


def test_a_proven_count_still_names_the_shortfall() -> None:
    # 10 % short in every budget, each person's hours in step with their slots: the
    # count is proven minimal, so the hiring signal is real.
    studio = make_large_studio(10, 60, 90, 200, headroom=0.9, spread=0.0, seed=7)
    proposal = propose(*studio)
    assert proposal.placement_gap == 0 and proposal.unplaced_count > 0
    assert sum(proposal.shortfall[k] for k in ("clients", "active projects",
                                              "back-burner projects")) \
        == proposal.unplaced_count
    assert all("short" in row.reason for row in proposal.unplaced())


# --------------------------------------------------------------------------- tolerance


def test_hours_fit_has_one_slack() -> None:
    assert hours_fit(0.1, 0.2, 0.3)
    assert hours_fit(0.0, 40.0 + 5e-7, 40.0)
    assert not hours_fit(0.0, 40.0 + 2e-6, 40.0)
    assert hours_fit(0.0, 0.0, 0.0) and not hours_fit(0.0, 0.01, 0.0)
    assert list(hours_fit(np.array([0.0, 1.0]), 1.0, np.array([1.0, 1.0]))) == [True, False]


def near_limit_case(seed: int) -> Studio:
    """1-3 people whose own items' hours sum to within 1e-7 of their limit: just under,
    exactly at (as float arithmetic gets it), or just over; every item fits."""
    rng = random.Random(seed)
    people: list[Candidate] = []
    clients: list[ClientItem] = []
    projects: list[ProjectItem] = []
    for k in range(rng.randint(1, 3)):
        limit = round(rng.uniform(2, 40), rng.choice([0, 1, 2, 3]))
        n = rng.randint(2, 8)
        cuts = sorted(rng.random() for _ in range(n - 1))
        hours = [limit * (b - a) for a, b in zip([0.0, *cuts], cuts, strict=False)]
        delta = rng.choice([0.0, rng.uniform(0, 1e-7), -rng.uniform(0, 1e-7)])
        hours.append(limit - delta - math.fsum(hours))
        people.append(Candidate(k + 1, f"Person {k + 1}", rng.randint(0, 5),
                                rng.randint(0, 5), limit, 10, 10, 10))
        for h in hours:
            item_id = len(clients) + len(projects) + 1
            if rng.random() < 0.3:
                clients.append(ClientItem(item_id, f"Client {item_id}", weekly_hours=h))
            else:
                projects.append(ProjectItem(
                    item_id, f"Project {item_id}", 1,
                    rng.choice(["active", "back-burner"]), "balanced", 3, 3,
                    weekly_hours=h, current_manager_id=k + 1))
    return people, clients, projects


@pytest.mark.parametrize("exact_limit", [1500, 0])
def test_hours_within_a_rounding_of_the_limit_fit(exact_limit: int) -> None:
    # 200 cases, by the exact MILP and by the large-studio method: HiGHS, the repair,
    # the packing and the reasons agree on what fits.
    for seed in range(200):
        studio = near_limit_case(seed)
        proposal = propose(*studio, exact_limit=exact_limit)
        assert proposal.unplaced_count == 0, (seed, [p.reason for p in proposal.unplaced()])
        assert limit_violations(proposal.assignment(), *studio) == [], seed
        for row in proposal.placements:
            assert "hours" not in row.reason or row.person_id is not None, (seed, row)


def test_a_sum_a_hair_over_the_limit_fits_both_methods() -> None:
    # 3 x (limit / 3) + 3e-7: inside hours_fit's slack, so inside the MILP's rows too.
    person = Candidate(1, "Ana Ruiz", 3, 3, 10.0, 5, 5, 5)
    hours = [10.0 / 3, 10.0 / 3, 10.0 / 3 + 3e-7]
    projects = [ProjectItem(k + 1, f"Project {k}", 1, "active", "balanced", 3, 3, h)
                for k, h in enumerate(hours)]
    for exact_limit in (1500, 0):
        proposal = propose([person], [], projects, exact_limit=exact_limit)
        assert proposal.unplaced_count == 0


# --------------------------------------------------------------------------- refusals


def ana(**fields: object) -> Candidate:
    values: dict[str, object] = dict(person_id=1, name="Ana Ruiz", client_facing=3,
                                     head_down=3, weekly_hours=40.0, max_clients=4,
                                     max_active_projects=6, max_backburner_projects=10)
    values.update(fields)
    return Candidate(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("fields", "words"), [
    ({"weekly_hours": math.nan}, "weekly hours"),
    ({"weekly_hours": math.inf}, "weekly hours"),
    ({"weekly_hours": -1.0}, "weekly hours"),
    ({"weekly_hours": 169.0}, "weekly hours"),
    ({"max_clients": -1}, "client limit"),
    ({"max_active_projects": 100_001}, "active-project limit"),
    ({"max_backburner_projects": 2.5}, "back-burner limit"),
])
def test_absurd_people_are_refused(fields: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError) as caught:
        propose([ana(**fields)], [], [])
    message = str(caught.value)
    assert message.startswith("Person Ana Ruiz: the " + words)
    assert message.endswith(".") and message.count(". ") == 0


@pytest.mark.parametrize(("client", "words"), [
    (ClientItem(1, "Acme", weekly_hours=math.nan), "weekly hours"),
    (ClientItem(1, "Acme", weekly_hours=2e6), "weekly hours"),
    (ClientItem(1, "Acme", importance=math.nan), "importance"),
    (ClientItem(1, "Acme", importance=-math.inf), "importance"),
])
def test_absurd_clients_are_refused(client: ClientItem, words: str) -> None:
    with pytest.raises(ValueError, match=f"^Client Acme: the {words} must be"):
        propose([ana()], [client], [])


@pytest.mark.parametrize("hours", [math.inf, -0.5, 1e7, math.nan])
def test_absurd_projects_are_refused(hours: float) -> None:
    item = ProjectItem(7, "Bolt site", 1, "active", "balanced", 3, 3, weekly_hours=hours)
    with pytest.raises(ValueError, match="^Project Bolt site: the weekly hours must be a "
                                         "number from 0 to 1,000,000, not "):
        propose([ana()], [], [item])


def test_a_project_bigger_than_anyone_s_week_stays_unplaced_and_says_why() -> None:
    # 2,000 hours over ten weeks: more than one person's week, yet a real project.
    item = ProjectItem(7, "Bolt site", 1, "active", "balanced", 3, 3, weekly_hours=200.0)
    proposal = propose([ana()], [], [item])
    row = proposal.placement("project", 7)
    assert row.person_id is None and "200 h a week" in row.reason


def test_the_edges_of_what_is_sensible_are_accepted() -> None:
    people = [ana(weekly_hours=168.0, max_clients=100_000), ana(person_id=2, name="Ben",
                                                                weekly_hours=0.0)]
    clients = [ClientItem(1, "Acme", weekly_hours=168.0, importance=-3.0)]
    proposal = propose(people, clients, [])
    assert proposal.placement("client", 1).person_id == 1


# --------------------------------------------------------------------------- silence


def chatty_studio(seed: int) -> Studio:
    """A medium studio (10 people, 30 clients, 120 projects) whose MILPs make HiGHS
    print its stray debug line on this SciPy without the redirection."""
    rng = random.Random(seed)
    people = [
        Candidate(person_id=k + 1, name=f"Person {k + 1}", client_facing=rng.randint(0, 5),
                  head_down=rng.randint(0, 5), weekly_hours=float(rng.choice((10, 20, 40))),
                  max_clients=rng.randint(0, 6), max_active_projects=rng.randint(0, 8),
                  max_backburner_projects=rng.randint(0, 6),
                  may_account_manage=rng.random() < 0.85,
                  may_production_manage=rng.random() < 0.85)
        for k in range(10)]
    ids = [p.person_id for p in people]
    clients = [
        ClientItem(client_id=c + 1, name=f"Client {c + 1}",
                   current_account_manager_id=rng.choice([None, None, *ids]),
                   relationships=tuple((pid, rng.randint(1, 3), dt.date(2020, 1, 1))
                                       for pid in rng.sample(ids, 2)),
                   weekly_hours=round(rng.uniform(0.2, 1.5), 2))
        for c in range(30)]
    projects = [
        ProjectItem(project_id=1000 + k, name=f"Project {k}", client_id=rng.randint(1, 30),
                    status="active" if rng.random() < 2 / 3 else "back-burner",
                    lead_type=rng.choice(["production-led", "account-led", "balanced"]),
                    technical_complexity=rng.randint(1, 5),
                    communication_load=rng.randint(1, 5),
                    weekly_hours=round(rng.uniform(0.5, 2.5) * 2.4, 2),
                    current_manager_id=rng.choice([None, None, *ids]))
        for k in range(120)]
    return people, clients, projects


def test_no_solver_chatter_on_standard_output(capfd: pytest.CaptureFixture[str]) -> None:
    # Without the redirection HiGHS prints here: seed 1 twice, seed 9 five times.
    for seed in (1, 9):
        propose(*chatty_studio(seed), time_limit=2.0)
    out, _err = capfd.readouterr()
    assert out == ""
    print("still here")  # and standard output works again afterwards
    assert capfd.readouterr().out == "still here\n"
