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
    # One clear Account Manager with room for 8 as a dedicated one (twice 4), 10 clients.
    team = [person(1, 5, 1, max_clients=4), person(2, 1, 5), person(3, 2, 5),
            person(4, 0, 5)]
    guesses = L.propose_leanings(team, clients=10, active_projects=2)
    assert guesses[3].leaning == L.BOTH  # the gap of 3 is the smallest of the three
    assert guesses[3].reason.endswith("also proposed as Account Manager, since the "
                                      "Account Manager side has room for 8 of the 10 "
                                      "clients")
    assert guesses[2].leaning == guesses[4].leaning == L.PRODUCTION_MANAGER


def test_projects_short_of_hands_bring_in_the_most_head_down_of_the_others() -> None:
    team = [person(1, 5, 1), person(2, 5, 3), person(3, 1, 5, max_active=4)]
    guesses = L.propose_leanings(team, clients=2, active_projects=20)
    # Room: 8 (a dedicated PM with an everyday limit of 4); person 2 is the more head-down.
    assert guesses[2].leaning == L.BOTH
    assert "also proposed as Production Manager" in guesses[2].reason
    assert guesses[1].leaning == L.BOTH  # 8 + 6 is still short of 20: the next joins too


def test_the_two_managers_of_the_method_split_cleanly() -> None:
    # Pat loves the clients, Sam the tech; six active projects each in the combined job.
    pat = PersonRow(id=1, version=1, name="Pat Rivera", client_facing=5, head_down=2)
    sam = PersonRow(id=2, version=1, name="Sam Lee", client_facing=2, head_down=5)
    owner = PersonRow(id=3, version=1, name="Robin Hale", client_facing=3, head_down=3,
                      max_clients=2, max_active_projects=1, max_backburner_projects=2)
    guesses = L.propose_leanings([pat, sam, owner], clients=12, active_projects=12)
    assert [guesses[p].leaning for p in (1, 2, 3)] == [
        L.ACCOUNT_MANAGER, L.PRODUCTION_MANAGER, L.BOTH]


def test_role_limits_suggest_more_of_the_side_kept() -> None:
    sam = PersonRow(id=2, version=1, name="Sam Lee", client_facing=2, head_down=5)
    pm = L.suggest_role_limits(sam, L.PRODUCTION_MANAGER)
    assert (pm.max_clients, pm.max_active_projects, pm.max_backburner_projects) == (0, 12, 30)
    assert "6 active and 15 back-burner projects in the combined job become 12 and 30" \
        in pm.reason
    am = L.suggest_role_limits(sam, L.ACCOUNT_MANAGER)
    assert am.as_dict() == {"max_clients": 24, "max_active_projects": 0,
                            "max_backburner_projects": 0}
    assert L.suggest_role_limits(sam, L.BOTH).as_dict() == L.everyday_limits(sam).as_dict()
    assert L.suggest_role_limits(sam, L.NEITHER).as_dict() == dict.fromkeys(L.LIMIT_KEYS, 0)


def test_side_follows_the_leaning_or_a_clear_gap() -> None:
    assert L.side_of(person(1, 3, 3), L.ACCOUNT_MANAGER) == L.ACCOUNT_MANAGER
    assert L.side_of(person(1, 5, 2), L.BOTH) == L.ACCOUNT_MANAGER
    assert L.side_of(person(1, 1, 4), L.BOTH) == L.PRODUCTION_MANAGER
    assert L.side_of(person(1, 4, 3), L.BOTH) is None


def test_a_team_of_two_opposites_splits_cleanly_when_there_is_room() -> None:
    guesses = L.propose_leanings([person(1, 5, 0), person(2, 0, 5)], clients=4,
                                 active_projects=3)
    assert [g.leaning for g in guesses.values()] == [L.ACCOUNT_MANAGER,
                                                     L.PRODUCTION_MANAGER]


def test_no_one_to_bring_in_ends_the_search_without_a_loop() -> None:
    guesses = L.propose_leanings([person(1, 1, 5, max_clients=0)], clients=5,
                                 active_projects=1)
    assert guesses[1].leaning == L.BOTH  # joined, and there is no one else to ask
