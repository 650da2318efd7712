"""The proposal's split terms: sides, role fit, continuity where the method puts it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio_desk.core.optimizer import (
    Candidate,
    ClientItem,
    ProjectItem,
    ScoreWeights,
    propose,
    score_of,
)
from tests.core.test_optimizer import FAST, studios

AM, PM = "account_manager", "production_manager"
#: The score before the split terms existed: no role fit, no production lead.
TODAYS_WEIGHTS = ScoreWeights(role_fit=0.0, production_lead=0.0)


def two_managers(pat_side: str | None, pat_may_pm: bool, sam_active: int = 6,
                 sam_backburner: int = 15) -> tuple[list[Candidate], list[ClientItem],
                                                     list[ProjectItem]]:
    """The method's studio: Pat (client-facing) and Sam (head-down) each ran six clients."""
    pat = Candidate(1, "Pat", 5, 2, 40.0, 12, 6, 15, may_account_manage=True,
                    may_production_manage=pat_may_pm, side=pat_side)
    sam = Candidate(2, "Sam", 2, 5, 40.0, 12, sam_active, sam_backburner,
                    may_account_manage=False, may_production_manage=True, side=PM)
    clients, projects = [], []
    for k in range(12):
        holder = 1 if k < 6 else 2
        clients.append(ClientItem(k + 1, f"Client {k + 1}",
                                  relationships=((holder, 3, dt.date(2021, 5, 1)),)))
        tech = k % 2 == 0
        projects.append(ProjectItem(
            100 + k, f"{'Platform' if tech else 'Campaign'} {k + 1}", k + 1, "active",
            "production-led" if tech else "account-led", 5 if tech else 2, 2 if tech else 5,
            current_manager_id=holder))
        for extra in range(2):
            projects.append(ProjectItem(200 + 2 * k + extra, f"Back-burner {k}-{extra}", k + 1,
                                        "back-burner", "balanced", 3, 3,
                                        current_manager_id=holder))
    return [pat, sam], clients, projects


def held(proposal, person_id: int, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.item_name for p in proposal.placements
            if p.person_id == person_id and p.kind == kind]


def test_pat_in_both_roles_takes_only_the_work_sam_has_no_room_for() -> None:
    people, clients, projects = two_managers(AM, pat_may_pm=True)
    proposal = propose(people, clients, projects)
    assert proposal.unplaced_count == 0  # capacity asks Pat to hold both
    assert len(held(proposal, 1, "client")) == 12
    sam_projects = held(proposal, 2, "project")
    assert {n for n in sam_projects if n.startswith("Platform")} == {
        f"Platform {k + 1}" for k in range(0, 12, 2)}
    # Pat holds only what Sam cannot: the campaigns and the overflow of back-burners.
    assert all(not n.startswith("Platform") for n in held(proposal, 1, "project"))


def test_with_room_for_everything_the_split_is_complete() -> None:
    people, clients, projects = two_managers(AM, pat_may_pm=True, sam_active=12,
                                             sam_backburner=24)
    proposal = propose(people, clients, projects)
    assert proposal.unplaced_count == 0
    assert held(proposal, 1, "project") == []
    assert len(held(proposal, 2, "project")) == 36


def test_reasons_say_who_the_work_moves_to_and_why() -> None:
    people, clients, projects = two_managers(AM, pat_may_pm=False)
    proposal = propose(people, clients, projects)
    platform = proposal.placement("project", 100)  # Pat's old platform
    assert platform.person_id == 2
    assert platform.reason == "moves to Sam: Production Manager, head-down 5, " \
                              "project complexity 5"


def test_a_production_side_manager_does_not_keep_an_old_client() -> None:
    pat = Candidate(1, "Pat", 5, 2, 40.0, 12, 6, 15, side=AM)
    sam = Candidate(2, "Sam", 2, 5, 40.0, 12, 6, 15, side=PM)  # may still hold clients
    client = ClientItem(1, "Acme", current_account_manager_id=2,
                        relationships=((2, 1, None),))
    proposal = propose([pat, sam], [client], [])
    assert proposal.placement("client", 1).person_id == 1


@settings(FAST)
@given(studios(max_people=3, max_items=5))
def test_without_sides_the_proposal_is_todays_optimum(studio) -> None:  # type: ignore[no-untyped-def]
    people, clients, projects, pinned = studio
    people = [Candidate(**{**p.__dict__, "side": None}) for p in people]
    now = propose(people, clients, projects, pinned=pinned)
    before = propose(people, clients, projects, pinned=pinned, weights=TODAYS_WEIGHTS)
    assert now.unplaced_count == before.unplaced_count
    assert score_of(now.assignment(), people, clients, projects, TODAYS_WEIGHTS) == \
        pytest.approx(before.score, abs=1e-6)


@settings(FAST)
@given(st.integers(0, 3))
def test_the_split_terms_never_push_anyone_over_a_limit(seed: int) -> None:
    people, clients, projects = two_managers(AM if seed % 2 else None, pat_may_pm=True,
                                             sam_active=seed + 3, sam_backburner=2 * seed + 5)
    proposal = propose(people, clients, projects)
    sam_active = sum(1 for p in proposal.placements if p.person_id == 2 and p.kind == "project"
                     and p.item_id < 200)
    assert sam_active <= seed + 3


def test_unproven_room_is_never_a_hiring_signal() -> None:
    from dataclasses import replace

    from studio_desk.core.reasons import split_shortfall

    people, clients, projects = two_managers(AM, pat_may_pm=False)
    proposal = propose(people, clients, projects)
    proven = split_shortfall(proposal, people, clients, projects)
    assert proven and "or hire one" in proven[0]
    unsure = split_shortfall(replace(proposal, placement_gap=3), people, clients, projects)
    assert unsure == ["15 rows were not placed, though the studio may have room for them: "
                      "the proposal stopped before it could tell. Choose someone by hand, "
                      "or propose again."]
