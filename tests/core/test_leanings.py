"""The wizard's first guess at who leans Account Manager and who Production Manager."""

from __future__ import annotations

from studio_desk.core import leanings as L
from studio_desk.core.rows import PersonRow


def person(pid: int, client_facing: int, head_down: int, *, max_clients: int = 12,
           max_active: int = 6, active: bool = True) -> PersonRow:
    return PersonRow(id=pid, version=1, name=f"Person {pid}", client_facing=client_facing,
                     head_down=head_down, max_clients=max_clients,
                     max_active_projects=max_active, active=active)


def test_a_clear_gap_between_the_affinities_decides_the_leaning() -> None:
    team = [person(1, 5, 2), person(2, 1, 5), person(3, 3, 4), person(4, 4, 3)]
    guesses = L.propose_leanings(team, clients=3, active_projects=3)
    assert {pid: g.leaning for pid, g in guesses.items()} == {
        1: L.ACCOUNT_MANAGER, 2: L.PRODUCTION_MANAGER, 3: L.BOTH, 4: L.BOTH}
    assert guesses[1].reason == "client-facing 5, head-down 2: enjoys the client side"
    assert guesses[3].reason == "client-facing 3, head-down 4: at home on either side"


def test_people_who_have_left_get_no_leaning() -> None:
    guesses = L.propose_leanings([person(1, 5, 1), person(2, 1, 5, active=False)], 1, 0)
    assert list(guesses) == [1]


def test_clients_short_of_hands_bring_in_the_most_client_facing_of_the_others() -> None:
    # One clear Account Manager with room for 6 (three quarters of 8) and 10 clients.
    team = [person(1, 5, 1, max_clients=8), person(2, 1, 5), person(3, 2, 5),
            person(4, 0, 5)]
    guesses = L.propose_leanings(team, clients=10, active_projects=2)
    assert guesses[3].leaning == L.BOTH  # the gap of 3 is the smallest of the three
    assert guesses[3].reason.endswith("also proposed as Account Manager, since the "
                                      "client-facing people have comfortable room for 6 "
                                      "of the 10 clients")
    assert guesses[2].leaning == guesses[4].leaning == L.PRODUCTION_MANAGER


def test_projects_short_of_hands_bring_in_the_most_head_down_of_the_others() -> None:
    team = [person(1, 5, 1), person(2, 5, 3), person(3, 1, 5, max_active=4)]
    guesses = L.propose_leanings(team, clients=2, active_projects=8)
    # Comfortable room: 3 of 4 active projects; person 2 is the more head-down of the others.
    assert guesses[2].leaning == L.BOTH
    assert "also proposed as Production Manager" in guesses[2].reason
    assert guesses[1].leaning == L.BOTH  # 3 + 4 is still short of 8: the next joins too


def test_a_team_of_two_opposites_splits_cleanly_when_there_is_room() -> None:
    guesses = L.propose_leanings([person(1, 5, 0), person(2, 0, 5)], clients=4,
                                 active_projects=3)
    assert [g.leaning for g in guesses.values()] == [L.ACCOUNT_MANAGER,
                                                     L.PRODUCTION_MANAGER]


def test_no_one_to_bring_in_ends_the_search_without_a_loop() -> None:
    guesses = L.propose_leanings([person(1, 1, 5, max_clients=0)], clients=5,
                                 active_projects=1)
    assert guesses[1].leaning == L.BOTH  # joined, and there is no one else to ask
