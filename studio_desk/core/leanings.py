"""Who takes which side of the split, and how much each can carry there.

The wizard's first guess (page 3, and ``studio-desk plan propose`` when no leaning is
confirmed) follows each person's two affinities (0-5):

* **Client-facing by two points or more** (say 5 and 2): Account Manager.
* **Head-down by two points or more**: Production Manager.
* **Within a point of each other**: at home on either side, so both.

Role limits
-----------
A person's everyday limits (clients, active and back-burner projects) describe the old
combined job, where about half the week went on each side. Someone who keeps only one
side can carry more of it: :func:`suggest_role_limits` proposes twice the everyday limit
of the side they keep (:data:`DEDICATED_FACTOR`) and none of the other; someone in both
roles keeps their everyday limits. A suggestion is only that: the proposal uses a
person's everyday limits until the user accepts the suggestion or types their own.

Coverage
--------
A guess that leaves the clients (or the active projects) without enough hands is no use.
While the Account Manager side, at its role limits, has room for fewer clients than the
studio has, the Production Manager-leaning person with the most client-facing bent joins
it in both roles; the same the other way round for active projects. So a small team ends
up with someone in both roles only where the split cannot be carried otherwise. The user
confirms or changes every guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

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

#: Points between the two affinities that make a clear leaning.
CLEAR_GAP = 2
#: How much more of one side a dedicated Account or Production Manager can carry than
#: the combined job did (its time on the other side goes to this one).
DEDICATED_FACTOR = 2
#: The limits a role can set, as stored in a plan and read from a leanings CSV.
LIMIT_KEYS = ("max_clients", "max_active_projects", "max_backburner_projects")
#: The most any role limit may be (the page, the command line and the store agree).
MAX_ROLE_LIMIT = 10_000


@dataclass(frozen=True)
class LeaningGuess:
    """The proposed leaning of one person, and why, in a sentence."""

    person_id: int
    leaning: str
    reason: str


@dataclass(frozen=True)
class RoleLimits:
    """A person's limits for the role they take in the split, and why these figures."""

    max_clients: int
    max_active_projects: int
    max_backburner_projects: int
    reason: str = ""

    def as_dict(self) -> dict[str, int]:
        return {key: getattr(self, key) for key in LIMIT_KEYS}


def everyday_limits(person: PersonRow) -> RoleLimits:
    """The person's own limits: those of the combined job."""
    return RoleLimits(person.max_clients, person.max_active_projects,
                      person.max_backburner_projects, "the everyday limits")


def suggest_role_limits(person: PersonRow, leaning: str) -> RoleLimits:
    """The limits suggested for ``person`` in the role ``leaning`` (see the docstring)."""
    first = person.name.split()[0] if person.name.split() else person.name
    if leaning == ACCOUNT_MANAGER:
        clients = person.max_clients * DEDICATED_FACTOR
        return RoleLimits(clients, 0, 0,
                          f"as a dedicated Account Manager, the time {first} spent running "
                          f"projects goes to clients: {person.max_clients} clients in the "
                          f"combined job become {clients}")
    if leaning == PRODUCTION_MANAGER:
        active = person.max_active_projects * DEDICATED_FACTOR
        backburner = person.max_backburner_projects * DEDICATED_FACTOR
        return RoleLimits(0, active, backburner,
                          f"as a dedicated Production Manager, the time {first} spent with "
                          f"clients goes to projects: {person.max_active_projects} active "
                          f"and {person.max_backburner_projects} back-burner projects in "
                          f"the combined job become {active} and {backburner}")
    if leaning == BOTH:
        return replace(everyday_limits(person),
                       reason="in both roles, the limits of the combined job hold")
    return RoleLimits(0, 0, 0, "not part of the split")


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

    def room(side: str, limit: str) -> int:
        return sum(getattr(suggest_role_limits(p, guesses[p.id].leaning), limit)
                   for p in team if guesses[p.id].leaning in (side, BOTH))

    # The person whose bent is nearest the side that is short of hands joins it first.
    while room(ACCOUNT_MANAGER, "max_clients") < clients:
        others = [p for p in team if guesses[p.id].leaning == PRODUCTION_MANAGER]
        if not others:
            break
        chosen = max(others, key=lambda p: (p.client_facing - p.head_down,
                                            p.client_facing, p.max_clients, -p.id))
        short = room(ACCOUNT_MANAGER, "max_clients")
        guesses[chosen.id] = LeaningGuess(
            chosen.id, BOTH,
            f"{_first_guess(chosen).reason}; also proposed as Account Manager, since "
            f"the Account Manager side has room for {short} of the {clients} clients")
    while room(PRODUCTION_MANAGER, "max_active_projects") < active_projects:
        others = [p for p in team if guesses[p.id].leaning == ACCOUNT_MANAGER]
        if not others:
            break
        chosen = max(others, key=lambda p: (p.head_down - p.client_facing, p.head_down,
                                            p.max_active_projects, -p.id))
        short = room(PRODUCTION_MANAGER, "max_active_projects")
        guesses[chosen.id] = LeaningGuess(
            chosen.id, BOTH,
            f"{_first_guess(chosen).reason}; also proposed as Production Manager, since "
            f"the Production Manager side has room for {short} of the "
            f"{active_projects} active projects")
    return guesses


def side_of(person: PersonRow, leaning: str) -> str | None:
    """The side of the split ``person`` works on, for the proposal's role fit.

    A dedicated Account or Production Manager is on that side; someone in both roles is
    on the side their affinities clearly favour, or on neither when they are at home on
    either (so they hold both kinds of work at no cost).
    """
    if leaning in (ACCOUNT_MANAGER, PRODUCTION_MANAGER):
        return leaning
    gap = person.client_facing - person.head_down
    if gap >= CLEAR_GAP:
        return ACCOUNT_MANAGER
    if gap <= -CLEAR_GAP:
        return PRODUCTION_MANAGER
    return None
