"""The Account/Production Manager optimiser against brute force, limits and hand-made cases.

The brute force here enumerates every assignment, checks the limits with its own code and
ranks assignments lexicographically by (items placed, ``score_of``): the stated score,
computed without the solver.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Mapping, Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studio_desk.core.optimizer import (
    Candidate,
    ClientItem,
    ProjectItem,
    Proposal,
    ScoreWeights,
    _prepare,
    greedy_proposal,
    limit_violations,
    load_penalty,
    propose,
    quality_parts,
    score_of,
)

Key = tuple[str, int]
DEFAULT_WEIGHTS = ScoreWeights()
Studio = tuple[list[Candidate], list[ClientItem], list[ProjectItem], dict[Key, int | None]]

# Small enough for brute force, varied enough to hit every limit; no example database so
# the run leaves no files behind.
FAST = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- studios


@st.composite
def studios(draw: st.DrawFn, max_people: int = 4, max_items: int = 6,
            with_pins: bool = True, min_people: int = 0, min_items: int = 0) -> Studio:
    """A random small studio: limits (often 0 or 1), hours, flags, history and pins."""
    n_people = draw(st.integers(min_people, max_people))
    people = [
        Candidate(
            person_id=k + 1, name=f"Person {k + 1}",
            client_facing=draw(st.integers(0, 5)), head_down=draw(st.integers(0, 5)),
            weekly_hours=draw(st.sampled_from([0.0, 2.0, 3.5, 6.0, 40.0])),
            max_clients=draw(st.integers(0, 2)), max_active_projects=draw(st.integers(0, 2)),
            max_backburner_projects=draw(st.integers(0, 2)),
            may_account_manage=draw(st.integers(0, 4)) > 0,
            may_production_manage=draw(st.integers(0, 4)) > 0,
            side=draw(st.sampled_from([None, None, "account_manager", "production_manager"])))
        for k in range(n_people)]
    ids = [p.person_id for p in people]
    holders = st.sampled_from([None, 99, *ids])  # 99: someone who has left
    n_items = draw(st.integers(min_items, max_items))
    n_clients = draw(st.integers(0, n_items))
    clients = []
    for c in range(n_clients):
        known = draw(st.lists(st.sampled_from(ids), unique=True, max_size=2)) if ids else []
        clients.append(ClientItem(
            client_id=c + 1, name=f"Client {c + 1}", current_account_manager_id=draw(holders),
            current_since=dt.date(2020 + c, 1, 1),
            relationships=tuple((pid, draw(st.integers(1, 3)), None) for pid in known),
            importance=draw(st.sampled_from([0.5, 1.0, 2.0])),
            weekly_hours=draw(st.sampled_from([0.0, 0.0, 1.0, 2.5]))))
    projects = [
        ProjectItem(
            project_id=100 + k, name=f"Project {k}",
            client_id=draw(st.sampled_from([c.client_id for c in clients] + [555])),
            status=draw(st.sampled_from(["active", "back-burner"])),
            lead_type=draw(st.sampled_from(["production-led", "account-led", "balanced"])),
            technical_complexity=draw(st.integers(1, 5)),
            communication_load=draw(st.integers(1, 5)),
            weekly_hours=draw(st.sampled_from([0.0, 1.0, 2.0, 3.5])),
            current_manager_id=draw(holders))
        for k in range(n_items - n_clients)]
    pinned: dict[Key, int | None] = {}
    if with_pins:
        keys = [("client", c.client_id) for c in clients] + \
            [("project", p.project_id) for p in projects]
        for key in draw(st.lists(st.sampled_from(keys), unique=True, max_size=2)) if keys \
                else []:
            pinned[key] = draw(st.sampled_from([None, 77, *ids]))  # 77: not a candidate
    return people, clients, projects, pinned


def random_studio(seed: int, n_people: int, n_clients: int, n_projects: int,
                  tightness: float = 1.0, client_hours: bool = True) -> Studio:
    """A reproducible medium studio; ``tightness`` > 1 means more demand than capacity."""
    rng = random.Random(seed)
    people = [
        Candidate(person_id=k + 1, name=f"Person {k + 1}", client_facing=rng.randint(0, 5),
                  head_down=rng.randint(0, 5), weekly_hours=float(rng.choice((10, 20, 40))),
                  max_clients=rng.randint(0, 6), max_active_projects=rng.randint(0, 8),
                  max_backburner_projects=rng.randint(0, 6),
                  may_account_manage=rng.random() < 0.85,
                  may_production_manage=rng.random() < 0.85)
        for k in range(n_people)]
    ids = [p.person_id for p in people]
    clients = [
        ClientItem(client_id=c + 1, name=f"Client {c + 1}",
                   current_account_manager_id=rng.choice([None, None, *ids]),
                   relationships=tuple((pid, rng.randint(1, 3), None)
                                       for pid in rng.sample(ids, min(len(ids), 2))),
                   weekly_hours=round(rng.uniform(0.2, 1.5), 2) if client_hours else 0.0)
        for c in range(n_clients)]
    scale = tightness * (n_projects / max(1, n_people)) / 5
    projects = [
        ProjectItem(project_id=1000 + k, name=f"Project {k}",
                    client_id=rng.randint(1, max(1, n_clients)),
                    status="active" if rng.random() < 2 / 3 else "back-burner",
                    lead_type=rng.choice(["production-led", "account-led", "balanced"]),
                    technical_complexity=rng.randint(1, 5),
                    communication_load=rng.randint(1, 5),
                    weekly_hours=round(rng.uniform(0.5, 2.5) * scale, 2),
                    current_manager_id=rng.choice([None, None, *ids]))
        for k in range(n_projects)]
    return people, clients, projects, {}


# --------------------------------------------------------------------------- oracles


def _role_allowed(person: Candidate, kind: str) -> bool:
    return person.may_account_manage if kind == "client" else person.may_production_manage


def _budget(item: ClientItem | ProjectItem) -> str:
    if isinstance(item, ClientItem):
        return "clients"
    return "active" if item.status == "active" else "backburner"


def _limit(person: Candidate, budget: str) -> float:
    return {"clients": person.max_clients, "active": person.max_active_projects,
            "backburner": person.max_backburner_projects,
            "hours": person.weekly_hours}[budget]


def _items(clients: Sequence[ClientItem],
           projects: Sequence[ProjectItem]) -> list[tuple[Key, ClientItem | ProjectItem]]:
    return [(("client", c.client_id), c) for c in clients] + \
        [(("project", p.project_id), p) for p in projects]


def fits(assignment: Mapping[Key, int | None], people: Sequence[Candidate],
         clients: Sequence[ClientItem], projects: Sequence[ProjectItem],
         pinned: Mapping[Key, int | None]) -> bool:
    """The limits, written independently of the module: free items fit what pins leave."""
    by_id = {p.person_id: p for p in people}
    pinned_use: dict[tuple[int, str], float] = {}
    free_use: dict[tuple[int, str], float] = {}
    for key, item in _items(clients, projects):
        pid = assignment.get(key)
        if pid is None:
            continue
        if key not in pinned and (pid not in by_id or not _role_allowed(by_id[pid], key[0])):
            return False
        use = pinned_use if key in pinned else free_use
        use[pid, _budget(item)] = use.get((pid, _budget(item)), 0) + 1
        use[pid, "hours"] = use.get((pid, "hours"), 0.0) + item.weekly_hours
    for (pid, budget), amount in free_use.items():
        room = max(0.0, _limit(by_id[pid], budget) - pinned_use.get((pid, budget), 0.0))
        if amount > room + 1e-9:
            return False
    return True


def brute_force(people: Sequence[Candidate], clients: Sequence[ClientItem],
                projects: Sequence[ProjectItem], pinned: Mapping[Key, int | None],
                weights: ScoreWeights = DEFAULT_WEIGHTS) -> tuple[int, float]:
    """The lexicographic optimum (items placed, score) over every feasible assignment."""
    free = [(key, item) for key, item in _items(clients, projects) if key not in pinned]
    options = [[None, *(p.person_id for p in people if _role_allowed(p, key[0]))]
               for key, _item in free]
    best: tuple[int, float] = (-1, -math.inf)
    for combo in itertools.product(*options):
        placed = sum(pid is not None for pid in combo)
        if placed < best[0]:
            continue
        assignment = dict(pinned)
        assignment.update({key: pid for (key, _item), pid in zip(free, combo, strict=True)})
        if not fits(assignment, people, clients, projects, pinned):
            continue
        score = score_of(assignment, people, clients, projects, weights)
        best = max(best, (placed, score))
    return best


def placed_free(proposal: Proposal) -> int:
    return sum(1 for p in proposal.placements if p.person_id is not None and not p.pinned)


def assert_well_formed(proposal: Proposal, people: Sequence[Candidate],
                       clients: Sequence[ClientItem], projects: Sequence[ProjectItem],
                       pinned: Mapping[Key, int | None]) -> None:
    """Every item once, pins kept, limits kept, counts consistent, reasons that say who."""
    keys = [(p.kind, p.item_id) for p in proposal.placements]
    assert sorted(keys) == sorted(k for k, _i in _items(clients, projects))
    assignment = proposal.assignment()
    for key, pid in pinned.items():
        assert assignment[key] == pid
        assert proposal.placement(*key).pinned
    assert fits(assignment, people, clients, projects, pinned)
    assert limit_violations(assignment, people, clients, projects, pinned) == []
    assert proposal.unplaced_count == len(proposal.unplaced())
    names = {p.person_id: p.name for p in people}
    for row in proposal.placements:
        assert row.reason and row.reason.strip() == row.reason
        assert row.role == ("account_manager" if row.kind == "client"
                            else "production_manager")
        if row.person_id is not None and row.person_id in names:
            assert names[row.person_id] in row.reason, row.reason
    assert math.isclose(proposal.score, score_of(assignment, people, clients, projects),
                        abs_tol=1e-9)


# --------------------------------------------------------------------------- brute force


def check_against_brute_force(studio: Studio) -> None:
    people, clients, projects, pinned = studio
    # No time budget: "proven optimal" must not depend on how busy the machine is.
    proposal = propose(people, clients, projects, pinned=pinned, time_limit=math.inf)
    assert_well_formed(proposal, people, clients, projects, pinned)
    best_placed, best_score = brute_force(people, clients, projects, pinned)
    assert placed_free(proposal) == best_placed
    assert proposal.score == pytest.approx(best_score, abs=1e-6)
    assert proposal.proven_optimal


@FAST
@given(studios())
def test_matches_brute_force_on_small_studios(studio: Studio) -> None:
    check_against_brute_force(studio)


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(studios(min_people=3, min_items=5))
def test_matches_brute_force_on_full_size_small_studios(studio: Studio) -> None:
    # The largest studios brute force allows: 3-4 people, 5-6 items (up to 5^6 cases).
    check_against_brute_force(studio)


@FAST
@given(studios(max_people=2, max_items=6, with_pins=False))
def test_unplaced_count_is_the_brute_force_minimum_when_demand_exceeds_capacity(
        studio: Studio) -> None:
    people, clients, projects, _ = studio
    # At most 2 people with limits 0-2 each and up to 6 items: often overloaded.
    proposal = propose(people, clients, projects)
    best_placed, _score = brute_force(people, clients, projects, {})
    assert proposal.unplaced_count == len(clients) + len(projects) - best_placed
    assert sum(proposal.shortfall[k] for k in ("clients", "active projects",
                                              "back-burner projects")) \
        == proposal.unplaced_count


def test_brute_force_with_other_weights() -> None:
    weights = ScoreWeights(keep_current=0.5, relationship_per_strength=2.0,
                           project_relationship_per_strength=1.0, affinity=5.0, load=3.0,
                           load_breakpoints=((0.0, 1.0), (0.6, 5.0)))
    for seed in range(6):
        people, clients, projects, _ = random_studio(seed, 3, 2, 4, tightness=2.0)
        proposal = propose(people, clients, projects, weights=weights)
        assert (placed_free(proposal), proposal.score) == pytest.approx(
            brute_force(people, clients, projects, {}, weights), abs=1e-6)


# --------------------------------------------------------------------------- limits


@settings(max_examples=60, deadline=None, database=None)
@given(studios(max_people=6, max_items=16))
def test_no_limit_is_ever_exceeded_except_by_pins(studio: Studio) -> None:
    people, clients, projects, pinned = studio
    proposal = propose(people, clients, projects, pinned=pinned)
    assert_well_formed(proposal, people, clients, projects, pinned)
    by_id = {p.person_id: p for p in people}
    for row in proposal.placements:
        if row.person_id is not None and not row.pinned:
            assert _role_allowed(by_id[row.person_id], row.kind)


@pytest.mark.parametrize(("seed", "tightness", "client_hours"), [
    (0, 0.6, True), (2, 0.6, True), (3, 0.6, True), (0, 1.3, True), (1, 1.3, True),
    (5, 1.3, True), (4, 0.6, False), (6, 1.3, False)])
def test_the_large_studio_method_keeps_limits_and_its_certificate_holds(
        seed: int, tightness: float, client_hours: bool) -> None:
    # Without AM hours the clients are an assignment problem of their own, solved apart.
    people, clients, projects, _ = random_studio(seed, 8, 20, 60, tightness=tightness,
                                                 client_hours=client_hours)
    pinned: dict[Key, int | None] = {("project", 1000): 1, ("project", 1001): None,
                                     ("client", 1): 2}
    exact = propose(people, clients, projects, pinned=pinned, time_limit=math.inf)
    large = propose(people, clients, projects, pinned=pinned, exact_limit=0,
                    time_limit=math.inf)
    for proposal in (exact, large):
        assert_well_formed(proposal, people, clients, projects, pinned)
    assert exact.proven_optimal and exact.placement_gap == 0
    # The certificate is honest: the true optimum lies within the stated gaps.
    assert placed_free(exact) <= placed_free(large) + large.placement_gap
    if placed_free(exact) == placed_free(large):
        assert exact.score <= large.score + large.quality_gap + 1e-6
    # And here the large method finds the minimum number of unplaced items too.
    assert placed_free(large) == placed_free(exact)
    if tightness < 1:
        assert large.placement_gap == 0
        assert exact.score - large.score < 5.0


def test_large_studio_budgets_without_hours_are_solved_exactly() -> None:
    # No hours anywhere: every part is a transportation problem, whose LP is whole.
    people, clients, projects, _ = random_studio(7, 8, 20, 60, client_hours=False)
    projects = [ProjectItem(**{**p.__dict__, "weekly_hours": 0.0}) for p in projects]
    exact = propose(people, clients, projects, time_limit=math.inf)
    large = propose(people, clients, projects, exact_limit=0, time_limit=math.inf)
    assert large.proven_optimal
    assert large.unplaced_count == exact.unplaced_count
    assert large.score == pytest.approx(exact.score, abs=1e-6)


def test_a_tiny_time_budget_still_gives_a_valid_proposal() -> None:
    people, clients, projects, _ = random_studio(9, 12, 25, 100, tightness=1.2)
    pinned: dict[Key, int | None] = {("client", 3): 4}
    for exact_limit in (0, 10_000):
        proposal = propose(people, clients, projects, pinned=pinned, time_limit=0.01,
                           exact_limit=exact_limit)
        assert_well_formed(proposal, people, clients, projects, pinned)
        if not proposal.proven_optimal:
            assert proposal.placement_gap > 0 or proposal.quality_gap > 0


def test_greedy_baseline_keeps_limits_too() -> None:
    people, clients, projects, _ = random_studio(3, 6, 10, 40, tightness=1.5)
    pinned: dict[Key, int | None] = {("client", 2): 3}
    baseline = greedy_proposal(people, clients, projects, pinned=pinned)
    assert_well_formed(baseline, people, clients, projects, pinned)
    best = propose(people, clients, projects, pinned=pinned)
    assert (placed_free(best), best.score) >= (placed_free(baseline), baseline.score)


# --------------------------------------------------------------------------- shortfall


def ana(**limits: object) -> Candidate:
    values: dict[str, object] = dict(person_id=1, name="Ana Ruiz", client_facing=4,
                                     head_down=2, weekly_hours=40.0, max_clients=4,
                                     max_active_projects=6, max_backburner_projects=10)
    values.update(limits)
    return Candidate(**values)  # type: ignore[arg-type]


def ben(**limits: object) -> Candidate:
    values: dict[str, object] = dict(person_id=2, name="Ben Ode", client_facing=1,
                                     head_down=5, weekly_hours=40.0, max_clients=4,
                                     max_active_projects=6, max_backburner_projects=10)
    values.update(limits)
    return Candidate(**values)  # type: ignore[arg-type]


def project(pid: int, status: str = "active", lead: str = "balanced", hours: float = 1.0,
            complexity: int = 3, talk: int = 3, client_id: int = 1,
            current: int | None = None) -> ProjectItem:
    return ProjectItem(project_id=pid, name=f"Project {pid}", client_id=client_id,
                       status=status, lead_type=lead, technical_complexity=complexity,
                       communication_load=talk, weekly_hours=hours,
                       current_manager_id=current)


def test_shortfall_counts_missing_slots_and_hours() -> None:
    people = [ana(max_active_projects=2, max_clients=1), ben(max_active_projects=1,
                                                              may_account_manage=False)]
    clients = [ClientItem(c, f"Client {c}") for c in (1, 2, 3)]
    projects = [project(10 + k, hours=1.5) for k in range(6)] + \
        [project(20, status="back-burner", hours=0.0)]
    proposal = propose(people, clients, projects)
    assert proposal.unplaced_count == 2 + 3
    assert dict(proposal.shortfall) == {"clients": 2, "active projects": 3,
                                        "back-burner projects": 0, "hours": 4.5}
    reasons = {p.reason for p in proposal.unplaced()}
    assert reasons == {
        "No Account Manager has room for another client; the studio is 2 client slots "
        "short.",
        "No Production Manager has room for another active project; the studio is 3 "
        "active-project slots short."}


def test_shortfall_names_hours_when_slots_are_free() -> None:
    people = [ana(weekly_hours=4.0)]
    projects = [project(10 + k, hours=3.0) for k in range(3)]
    proposal = propose(people, [], projects)
    assert proposal.unplaced_count == 2
    assert proposal.shortfall["hours"] == 6.0
    assert proposal.shortfall["active projects"] == 2
    for row in proposal.unplaced():
        assert row.reason == ("Everyone with a free active-project slot is out of hours "
                              "(this needs 3 h a week, the most left is 1 h); the studio is "
                              "6 hours a week short.")


def test_nobody_may_take_the_role() -> None:
    people = [ana(may_production_manage=False), ben(may_production_manage=False)]
    proposal = propose(people, [ClientItem(1, "Acme")], [project(10)])
    assert proposal.placement("client", 1).person_id is not None
    row = proposal.placement("project", 10)
    assert row.person_id is None
    assert row.reason == ("No one takes the Production Manager role; the studio is 1 "
                          "active-project slot short.")


# --------------------------------------------------------------------------- continuity


def test_current_holder_is_kept_when_they_have_room() -> None:
    since = dt.date(2023, 5, 2)
    # Ben is the better match on paper (client-facing and relationship), Ana holds it.
    people = [ana(client_facing=0), ben(client_facing=5)]
    clients = [ClientItem(1, "Acme", current_account_manager_id=1, current_since=since,
                          relationships=((2, 3, None),))]
    projects = [project(10, lead="production-led", complexity=5, current=1)]
    proposal = propose(people, clients, projects)
    assert proposal.placement("client", 1).person_id == 1
    assert proposal.placement("client", 1).reason == \
        "kept: Ana Ruiz has managed this client since 2023"
    assert proposal.placement("project", 10).person_id == 1
    assert not proposal.placement("client", 1).changed


def test_current_holder_without_room_hands_over() -> None:
    people = [ana(max_clients=0), ben()]
    clients = [ClientItem(1, "Acme", current_account_manager_id=1)]
    row = propose(people, clients, []).placement("client", 1)
    assert row.person_id == 2 and row.previous_person_id == 1 and row.changed


def test_reasons_name_the_decisive_factor() -> None:
    people = [ana(head_down=0), ben(client_facing=0),
              Candidate(3, "Cara Li", 4, 0, 40.0, 4, 6, 10)]
    clients = [ClientItem(1, "Acme", relationships=((2, 3, None),)),
               ClientItem(2, "Bolt")]
    projects = [project(10, lead="production-led", complexity=5, client_id=2),
                project(11, lead="account-led", talk=5, client_id=2)]
    proposal = propose(people, clients, projects)
    assert proposal.placement("client", 1).reason == \
        "Ben Ode knows this client (strong relationship)"
    assert proposal.placement("project", 10).reason == \
        "Ben Ode: head-down 5, project complexity 5"
    assert proposal.placement("project", 11).reason in {
        "Ana Ruiz: client-facing 4, communication load 5",
        "Cara Li: client-facing 4, communication load 5"}


def test_pins_are_honoured_over_limits_and_flags() -> None:
    people = [ana(max_clients=0), ben(may_production_manage=False, max_active_projects=0)]
    clients = [ClientItem(1, "Acme"), ClientItem(2, "Bolt")]
    projects = [project(10), project(11)]
    pinned: dict[Key, int | None] = {("client", 1): 1, ("project", 10): 2,
                                     ("project", 11): None}
    proposal = propose(people, clients, projects, pinned=pinned)
    assert_well_formed(proposal, people, clients, projects, pinned)
    assert proposal.placement("client", 1).person_id == 1
    assert proposal.placement("client", 1).reason == \
        "chosen by hand: Ana Ruiz, over their limit of clients"
    assert proposal.placement("project", 10).reason.startswith("chosen by hand: Ben Ode")
    assert proposal.placement("project", 11).person_id is None
    assert proposal.placement("project", 11).reason == "chosen by hand: left without a manager"
    # Left empty by hand is not a shortfall; Bolt goes to Ben, who has room.
    assert proposal.unplaced_count == 0
    assert proposal.placement("client", 2).person_id == 2


def test_pins_use_up_capacity_first() -> None:
    people = [ana(max_active_projects=1), ben(max_active_projects=1)]
    projects = [project(10, current=1), project(11, current=1), project(12)]
    proposal = propose(people, [], projects, pinned={("project", 11): 1})
    # Ana's one slot went to the pin, so she cannot keep project 10 too.
    assert proposal.placement("project", 10).person_id == 2
    assert proposal.unplaced_count == 1


def test_pin_to_someone_outside_the_list() -> None:
    proposal = propose([ana()], [ClientItem(1, "Acme")], [],
                       pinned={("client", 1): 42})
    assert proposal.placement("client", 1).person_id == 42
    assert proposal.placement("client", 1).reason == "chosen by hand: person #42"


# --------------------------------------------------------------------------- edges


def test_empty_studio() -> None:
    proposal = propose([], [], [])
    assert proposal.placements == ()
    assert proposal.score == 0 and proposal.unplaced_count == 0
    assert dict(proposal.shortfall) == {"clients": 0, "active projects": 0,
                                        "back-burner projects": 0, "hours": 0.0}
    assert proposal.proven_optimal


def test_items_but_nobody() -> None:
    proposal = propose([], [ClientItem(1, "Acme")], [project(10, status="back-burner")])
    assert proposal.unplaced_count == 2
    assert proposal.shortfall["clients"] == 1
    assert proposal.shortfall["back-burner projects"] == 1
    assert {p.reason for p in proposal.unplaced()} == {
        "No one takes the Account Manager role; the studio is 1 client slot short.",
        "No one takes the Production Manager role; the studio is 1 back-burner-project slot "
        "short."}


def test_people_but_no_items() -> None:
    proposal = propose([ana(), ben()], [], [])
    assert proposal.placements == () and proposal.score == 0


def test_all_limits_zero_and_no_roles_allowed() -> None:
    people = [ana(max_clients=0, max_active_projects=0, max_backburner_projects=0,
                  weekly_hours=0.0),
              ben(may_account_manage=False, may_production_manage=False)]
    clients = [ClientItem(1, "Acme")]
    projects = [project(10), project(11, status="back-burner", hours=0.0)]
    proposal = propose(people, clients, projects)
    assert proposal.unplaced_count == 3
    assert_well_formed(proposal, people, clients, projects, {})


def test_zero_hour_items_fit_people_with_zero_hours() -> None:
    people = [ana(weekly_hours=0.0)]
    proposal = propose(people, [ClientItem(1, "Acme")], [project(10, hours=0.0)])
    assert proposal.unplaced_count == 0


def test_same_input_same_output() -> None:
    people, clients, projects, _ = random_studio(11, 8, 15, 40, tightness=1.4)
    first = propose(people, clients, projects)
    assert propose(people, clients, projects) == first
    assert propose(list(reversed(people)), list(reversed(clients)),
                   list(reversed(projects))) == first


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="duplicate person"):
        propose([ana(), ana()], [], [])
    with pytest.raises(ValueError, match="status"):
        propose([ana()], [], [project(1, status="done")])
    with pytest.raises(ValueError, match="pinned"):
        propose([ana()], [], [], pinned={("project", 9): 1})
    with pytest.raises(ValueError, match="1-3"):
        propose([ana()], [ClientItem(1, "Acme", relationships=((1, 4, None),))], [])
    with pytest.raises(ValueError):
        ScoreWeights(affinity=-1.0)


# --------------------------------------------------------------------------- the score


def test_score_of_by_hand() -> None:
    people = [ana(max_clients=2, max_active_projects=2, max_backburner_projects=2,
                  weekly_hours=4.0)]
    clients = [ClientItem(1, "Acme", current_account_manager_id=1,
                          relationships=((1, 2, None),))]
    projects = [project(10, lead="account-led", talk=5, hours=3.0, client_id=1)]
    assignment: dict[Key, int | None] = {("client", 1): 1, ("project", 10): 1}
    # Ana has no side, so both roles are on side (role fit 3 each).
    # Client: keep 6 + relationship 1.0 x 2 + affinity 2 x 4/5 + role fit.
    client_q = 6 + 2 + 2 * 0.8 + 3
    # Project: relationship 0.25 x 2 + affinity 2 x 4/5 x 5/5 + role fit.
    project_q = 0.5 + 1.6 + 3
    # Budgets: clients 1/2, active 1/2, back-burner 0/2, hours 3/4 = 0.75.
    penalty = load_penalty(0.75)
    assert penalty == pytest.approx(1.0 * (0.75 - 0.5))
    assert score_of(assignment, people, clients, projects) == \
        pytest.approx(client_q + project_q - penalty)


def test_load_penalty_is_convex_piecewise_linear() -> None:
    values = [load_penalty(f / 20) for f in range(0, 41)]
    steps = np.diff(values)
    assert values[:11] == [0.0] * 11  # nothing up to half full
    assert np.all(np.diff(steps) >= -1e-12)  # rising slopes: convex
    assert load_penalty(1.0) == pytest.approx(0.5 + 2 * 0.25 + 4 * 0.1)


def test_solver_quality_matrix_matches_the_reference_score() -> None:
    people, clients, projects, _ = random_studio(5, 6, 8, 20)
    prep = _prepare(people, clients, projects, {}, ScoreWeights())
    for i, item in enumerate(prep.items):
        for j, person in enumerate(prep.people):
            expected = quality_parts(person.person_id, person, item, prep.client_of[i]).total
            assert prep.quality[i, j] == pytest.approx(expected)
