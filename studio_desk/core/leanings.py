"""Who leans Account Manager and who leans Production Manager: the wizard's first guess.

The split gives the client-facing work to Account Managers and the head-down work to
Production Managers, so the first guess follows each person's two affinities (0-5):

* **Client-facing by two points or more** (say 5 and 2): leans Account Manager.
* **Head-down by two points or more**: leans Production Manager.
* **Within a point of each other**: at home on either side, so both.

A guess that leaves the clients (or the projects) without enough hands is no use, so two
coverage rules follow. While the people who may hold clients have comfortable room
(three quarters of their client limits) for fewer clients than the studio has, the
Production Manager-leaning person with the most client-facing bent is proposed for both
roles; the same the other way round for active projects. A small team thus naturally
ends up with someone in both roles. The user confirms or changes every guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from studio_desk.core.catalog import ROLE_ACCOUNT_MANAGER, ROLE_PRODUCTION_MANAGER
from studio_desk.core.rows import PersonRow

ACCOUNT_MANAGER = ROLE_ACCOUNT_MANAGER
PRODUCTION_MANAGER = ROLE_PRODUCTION_MANAGER
BOTH = "both"
NEITHER = "neither"
#: Every leaning, in the order a chooser lists them.
LEANINGS = (ACCOUNT_MANAGER, PRODUCTION_MANAGER, BOTH, NEITHER)
LEANING_LABELS = {
    ACCOUNT_MANAGER: "Account Manager",
    PRODUCTION_MANAGER: "Production Manager",
    BOTH: "Both roles",
    NEITHER: "Neither (not part of the split)",
}

#: Share of a limit counted as comfortable room when checking coverage.
COMFORTABLE_SHARE = 0.75
#: Points between the two affinities that make a clear leaning.
CLEAR_GAP = 2


@dataclass(frozen=True)
class LeaningGuess:
    """The proposed leaning of one person, and why, in a sentence."""

    person_id: int
    leaning: str
    reason: str


def _comfortable(limit: int) -> int:
    return max(int(limit * COMFORTABLE_SHARE), 1 if limit > 0 else 0)


def _first_guess(person: PersonRow) -> LeaningGuess:
    gap = person.client_facing - person.head_down
    scores = f"client-facing {person.client_facing}, head-down {person.head_down}"
    if gap >= CLEAR_GAP:
        return LeaningGuess(person.id, ACCOUNT_MANAGER, f"{scores}: enjoys the client side")
    if gap <= -CLEAR_GAP:
        return LeaningGuess(person.id, PRODUCTION_MANAGER,
                            f"{scores}: enjoys the detail of the work")
    return LeaningGuess(person.id, BOTH, f"{scores}: at home on either side")


def propose_leanings(people: Sequence[PersonRow], clients: int,
                     active_projects: int) -> dict[int, LeaningGuess]:
    """A leaning for every active person in ``people`` (keyed by person id).

    ``clients`` and ``active_projects`` are what the studio must cover; see the module
    docstring for the rules.
    """
    team = [p for p in people if p.active]
    guesses = {p.id: _first_guess(p) for p in team}

    def room(may: str, limit: str) -> int:
        return sum(_comfortable(getattr(p, limit)) for p in team
                   if guesses[p.id].leaning in (may, BOTH))

    # The person whose bent is nearest the side that is short of hands joins it first.
    while room(ACCOUNT_MANAGER, "max_clients") < clients:
        others = [p for p in team if guesses[p.id].leaning == PRODUCTION_MANAGER]
        if not others:
            break
        chosen = max(others, key=lambda p: (p.client_facing - p.head_down,
                                            p.client_facing, p.max_clients, -p.id))
        guesses[chosen.id] = LeaningGuess(
            chosen.id, BOTH,
            f"{_first_guess(chosen).reason}; also proposed as Account Manager, since "
            f"the client-facing people have comfortable room for "
            f"{room(ACCOUNT_MANAGER, 'max_clients')} of the {clients} clients")
    while room(PRODUCTION_MANAGER, "max_active_projects") < active_projects:
        others = [p for p in team if guesses[p.id].leaning == ACCOUNT_MANAGER]
        if not others:
            break
        chosen = max(others, key=lambda p: (p.head_down - p.client_facing, p.head_down,
                                            p.max_active_projects, -p.id))
        guesses[chosen.id] = LeaningGuess(
            chosen.id, BOTH,
            f"{_first_guess(chosen).reason}; also proposed as Production Manager, since "
            f"the head-down people have comfortable room for "
            f"{room(PRODUCTION_MANAGER, 'max_active_projects')} of the "
            f"{active_projects} active projects")
    return guesses
