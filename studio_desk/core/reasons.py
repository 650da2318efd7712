"""Every sentence the proposal writes, for the studio owner.

The score (:mod:`studio_desk.core.score`) decides who takes what; the solver
(:mod:`studio_desk.core.optimizer`) finds that assignment; this module says why, in the
owner's terms. Two kinds of sentence:

* **each row's reason**, one per client and project: why the person placed there was
  chosen (:func:`placed_reason`: kept, a relationship, the fit of traits to the work, the
  role in the split, or capacity and load when someone better matched was full); what
  capacity is missing for a row that could not be placed, naming the role that lacks it
  (:func:`unplaced_reason`), or that the proposal could not tell (:data:`UNPROVEN_REASON`);
  and what a row chosen by hand breaks, if anything (:func:`pinned_reason`).
* **what it would take** to complete the split (:func:`split_shortfall`): when the
  proposal cannot place every client and project, the plan says so per role: how many
  clients still need an Account Manager and how many active and back-burner projects
  still need a Production Manager, whose limits would have to rise to take them (the
  person on that side best suited to the work), and, when the suggested limits for a
  dedicated role were not accepted but would cover the gap, that accepting them is
  enough. For example::

    5 active and 7 back-burner projects still need a Production Manager: raise Sam Lee's
    Production Manager limits to 11 active and 22 back-burner projects, or hire one.

Hours are compared as everywhere, with :func:`~studio_desk.core.score.hours_fit`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from studio_desk.core.score import (
    BUDGET_ACTIVE,
    BUDGET_BACKBURNER,
    BUDGET_CLIENTS,
    BUDGET_HOURS,
    KIND_CLIENT,
    KIND_PROJECT,
    LEAD_ACCOUNT,
    LEAD_PRODUCTION,
    ROLE_ACCOUNT_MANAGER,
    ROLE_PRODUCTION_MANAGER,
    SLOT_BUDGETS,
    STATUS_ACTIVE,
    Candidate,
    ClientItem,
    ProjectItem,
    Proposal,
    ScoreWeights,
    hours_fit,
    load_fraction,
    quality_parts,
    relationship_strength,
)

if TYPE_CHECKING:
    # Only a type: the solver imports this module, not the other way round.
    from studio_desk.core.optimizer import _Prepared

#: Advice may ask someone to work at most this share of their weekly hours.
_HOURS_STRETCH = 1.1

ROLE_NAMES = {ROLE_ACCOUNT_MANAGER: "Account Manager",
              ROLE_PRODUCTION_MANAGER: "Production Manager"}


# --------------------------------------------------------------------------- each row
# The solver's prepared problem (``_Prepared``) is read, never changed: item ``i`` and
# person ``j`` are indexes into ``prep.items`` and ``prep.people``; ``use`` is every
# budget's final use per person (budget -> array over people, pins included).


#: An unplaced row when the certificate does not prove the count (``placement_gap`` > 0):
#: capacity may exist, so no shortfall is claimed.
UNPROVEN_REASON = ("Not placed, though the studio may have room for it if other work "
                   "moves: the proposal could not fit it in the time it had; assign it "
                   "by hand.")

_STRENGTH_WORDS = {1: "light", 2: "good", 3: "strong"}
_LIMIT_WORD = {BUDGET_CLIENTS: "client limit", BUDGET_ACTIVE: "active-project limit",
               BUDGET_BACKBURNER: "back-burner limit", BUDGET_HOURS: "weekly hours"}
_SINGULAR = {BUDGET_CLIENTS: "client", BUDGET_ACTIVE: "active project",
             BUDGET_BACKBURNER: "back-burner project"}
_SLOT_WORD = {BUDGET_CLIENTS: "client slot", BUDGET_ACTIVE: "active-project slot",
              BUDGET_BACKBURNER: "back-burner-project slot"}
#: The role a budget's items want.
_ROLE_OF_BUDGET = {BUDGET_CLIENTS: ROLE_ACCOUNT_MANAGER,
                   BUDGET_ACTIVE: ROLE_PRODUCTION_MANAGER,
                   BUDGET_BACKBURNER: ROLE_PRODUCTION_MANAGER}


def _plural(count: float, word: str) -> str:
    return f"{count:g} {word}" if count == 1 else f"{count:g} {word}s"


def _year(since: dt.date | None) -> str:
    return f" since {since.year}" if since is not None else ""


def _fill(prep: _Prepared, use: Mapping[str, np.ndarray], i: int, j: int,
          times: int) -> tuple[float, str]:
    """How full person ``j`` is in item ``i``'s budgets (its slot kind, and hours if it
    costs any) with ``times`` x item ``i`` added (-1 = taken away); and which budget."""
    found = []
    for b in (prep.budgets[i], BUDGET_HOURS):
        amount = 1.0 if b != BUDGET_HOURS else float(prep.hours[i])
        if b == BUDGET_HOURS and amount <= 0:
            continue
        cap = float(prep.cap[b][j])
        held = float(use[b][j]) + times * amount
        found.append((load_fraction(held, cap), _LIMIT_WORD[b]))
    return max(found)


def placed_reason(prep: _Prepared, i: int, j: int, use: Mapping[str, np.ndarray],
                  weights: ScoreWeights) -> str:
    """One sentence naming what decided that person ``j`` takes item ``i``; when the item
    changes hands, it starts "moves to <name>: ..."."""
    reason = _why_placed(prep, i, j, use, weights)
    item, name = prep.items[i], prep.people[j].name
    previous = (item.current_account_manager_id if isinstance(item, ClientItem)
                else item.current_manager_id)
    if previous is not None and previous != prep.people[j].person_id \
            and reason.startswith(f"{name}: "):
        return f"moves to {reason}"
    return reason


def _why_placed(prep: _Prepared, i: int, j: int, use: Mapping[str, np.ndarray],
                weights: ScoreWeights) -> str:
    item, person = prep.items[i], prep.people[j]
    name = person.name
    client = prep.client_of[i]
    parts = quality_parts(person.person_id, person, item, client, weights)
    is_client = isinstance(item, ClientItem)
    if parts.keep > 0:
        what = "this client" if is_client else "this project"
        return f"kept: {name} has managed {what}{_year(item.current_since)}"
    row = np.where(prep.allowed[i], prep.quality[i], -np.inf)
    best = float(row.max())
    tol = 1e-9
    if parts.total < best - tol:
        # Someone better matched exists: their capacity or load decided.
        k = int(np.argmax(row))  # the first (lowest id) of the best-matched people
        other = prep.people[k].name
        b = prep.budgets[i]
        if (prep.cap[b][k] - use[b][k] < 1
                or not hours_fit(use[BUDGET_HOURS][k], prep.hours[i],
                                 prep.cap[BUDGET_HOURS][k])):
            return f"capacity: better-matched {other} had no room left, so {name} took it"
        theirs, word = _fill(prep, use, i, k, 1)
        mine, my_word = _fill(prep, use, i, j, 0)
        if theirs > mine:
            return (f"spread the load: better-matched {other} would reach {theirs:.0%} of "
                    f"their {word}; {name} is at {mine:.0%} of their {my_word}")
        return (f"overall fit: {name} takes it so that {other} stays free for work that "
                f"suits them better")
    if parts.relationship > 0 and parts.relationship >= parts.affinity:
        strength, since = relationship_strength(client, person.person_id)
        words = f"{_STRENGTH_WORDS[strength]} relationship{_year(since)}"
        if is_client:
            return f"{name} knows this client ({words})"
        return f"{name} knows the client, {client.name if client else ''} ({words})"
    ties = [int(t) for t in np.nonzero(row >= best - tol)[0] if t != j]
    if parts.affinity > 0 and (not ties or parts.affinity > 0.25 * weights.affinity):
        # A dedicated Account or Production Manager is named by role: that is the split.
        named = ROLE_NAMES.get(person.side or "") if parts.role_fit > 0 else None
        role = f"{named}, " if named else ""
        if is_client:
            return f"{name}: {role}client-facing {person.client_facing}, suited to client work"
        assert isinstance(item, ProjectItem)
        if item.lead_type == LEAD_PRODUCTION:
            return (f"{name}: {role}head-down {person.head_down}, "
                    f"project complexity {item.technical_complexity}")
        if item.lead_type == LEAD_ACCOUNT:
            return (f"{name}: {role}client-facing {person.client_facing}, "
                    f"communication load {item.communication_load}")
        return (f"{name}: {role}client-facing {person.client_facing} and head-down "
                f"{person.head_down} for a balanced project (complexity "
                f"{item.technical_complexity}, communication load {item.communication_load})")
    before = _fill(prep, use, i, j, -1)[0]
    if ties and all(before <= _fill(prep, use, i, t, 0)[0] + tol for t in ties):
        return f"spread the load: {name} had the most headroom"
    return f"spread the load: {name} had room ({_fill(prep, use, i, j, 0)[0]:.0%} full with it)"


def unplaced_reason(prep: _Prepared, i: int, left: Mapping[str, np.ndarray],
                    shortfall: Mapping[str, float]) -> str:
    """One sentence naming the capacity that blocks item ``i``, for the role it wants,
    and how short of it the studio is.

    ``left`` is what each person has left of the room the free items had (pins came
    first), per budget; ``shortfall`` is the proposal's.
    """
    b = prep.budgets[i]
    role = ROLE_NAMES[_ROLE_OF_BUDGET[b]]
    short = f"the studio is {_plural(shortfall[b], _SLOT_WORD[b])} short"
    allowed = prep.allowed[i]
    if not allowed.any():
        return f"No one takes the {role} role; {short}."
    with_slot = allowed & (left[b] >= 1)
    if not with_slot.any():
        return f"No {role} has room for another {_SINGULAR[b]}; {short}."
    with_hours = with_slot & np.asarray(hours_fit(0.0, prep.hours[i], left[BUDGET_HOURS]))
    if not with_hours.any():
        most = float(left[BUDGET_HOURS][with_slot].max())
        return (f"Everyone with a free {_SLOT_WORD[b]} is out of hours (this needs "
                f"{prep.hours[i]:g} h a week, the most left is {most:g} h); the studio is "
                f"{shortfall[BUDGET_HOURS]:g} hours a week short.")
    j = int(np.nonzero(with_hours)[0][0])
    return (f"Not placed, though {prep.people[j].name} still has room for it: the solver "
            f"stopped early; assign it by hand.")


def pinned_reason(prep: _Prepared, i: int, use: Mapping[str, np.ndarray],
                  index: Mapping[int, int]) -> str:
    """The reason of a row the user chose by hand: whom, and any limit or role it breaks.

    ``index`` maps a candidate's person id to their index in ``prep.people`` (a pin may
    name someone outside the candidates: they have no limits to break).
    """
    pid = prep.pin_person[i]
    if pid is None:
        return "chosen by hand: left without a manager"
    at = index.get(pid)
    if at is None:
        return f"chosen by hand: person #{pid}"
    reason = f"chosen by hand: {prep.people[at].name}"
    over = [b for b in SLOT_BUDGETS if prep.cap[b][at] - use[b][at] < 0]
    if not hours_fit(use[BUDGET_HOURS][at], 0.0, prep.cap[BUDGET_HOURS][at]):
        over.append("weekly hours")
    if over:
        reason += f", over their limit of {' and '.join(over)}"
    if not prep.allowed[i, at]:
        reason += ", though they do not usually take this role"
    return reason


# --------------------------------------------------------------------------- the split


@dataclass(frozen=True)
class SuggestedLimits:
    """The limits suggested for one person's role, when they differ from those in use."""

    max_clients: int
    max_active_projects: int
    max_backburner_projects: int


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _best_on_side(candidates: Sequence[Candidate], role: str) -> Candidate | None:
    """Whose limits to raise: a dedicated person of that role first, then anyone who may
    take it; among them the one whose affinities suit the role most."""
    may = [c for c in candidates
           if (c.may_account_manage if role == ROLE_ACCOUNT_MANAGER
               else c.may_production_manage)]
    if not may:
        return None

    def suits(c: Candidate) -> tuple[bool, int, float, int]:
        trait = c.client_facing if role == ROLE_ACCOUNT_MANAGER else c.head_down
        return (c.side == role, trait, c.weekly_hours, -c.person_id)

    return max(may, key=suits)


def split_shortfall(proposal: Proposal, candidates: Sequence[Candidate],
                    clients: Sequence[ClientItem], projects: Sequence[ProjectItem],
                    suggested: Mapping[int, SuggestedLimits] | None = None) -> list[str]:
    """One sentence per role whose work the proposal could not place (empty: none).

    Only when the proposal proved that no assignment places more: otherwise the studio
    may well have the room, and asking to hire would be a false signal.
    """
    suggested = suggested or {}
    unplaced = {(row.kind, row.item_id) for row in proposal.unplaced()}
    if not unplaced:
        return []
    if proposal.placement_gap > 0:
        count = len(unplaced)
        return [f"{_count(count, 'row was', 'rows were')} not placed, though the studio may "
                f"have room for {'it' if count == 1 else 'them'}: the proposal stopped "
                f"before it could tell. Choose someone by hand, or propose again."]
    held = {c.person_id: [0, 0, 0, 0.0] for c in candidates}  # clients, active, bb, hours
    client_hours = {c.client_id: c.weekly_hours for c in clients}
    project_of = {p.project_id: p for p in projects}
    for row in proposal.placements:
        if row.person_id not in held:
            continue
        use = held[row.person_id]
        if row.kind == KIND_CLIENT:
            use[0] += 1
            use[3] += client_hours.get(row.item_id, 0.0)
        elif row.item_id in project_of:
            project = project_of[row.item_id]
            use[1 if project.status == STATUS_ACTIVE else 2] += 1
            use[3] += project.weekly_hours
    sentences = []
    lost_clients = [c for c in clients if (KIND_CLIENT, c.client_id) in unplaced]
    if lost_clients:
        hours = sum(c.weekly_hours for c in lost_clients)
        subject = (f"{_count(len(lost_clients), 'client still needs', 'clients still need')} "
                   f"an Account Manager")
        sentences.append(_advice(subject, ROLE_ACCOUNT_MANAGER, candidates, held, suggested,
                                 {"max_clients": len(lost_clients)}, hours))
    lost_projects = [p for p in projects if (KIND_PROJECT, p.project_id) in unplaced]
    if lost_projects:
        active = sum(1 for p in lost_projects if p.status == STATUS_ACTIVE)
        backburner = len(lost_projects) - active
        hours = sum(p.weekly_hours for p in lost_projects)
        parts = []
        if active:
            parts.append(f"{active} active")
        if backburner:
            parts.append(f"{backburner} back-burner")
        noun = "project still needs" if len(lost_projects) == 1 else "projects still need"
        subject = f"{_and(parts)} {noun} a Production Manager"
        sentences.append(_advice(subject, ROLE_PRODUCTION_MANAGER, candidates, held,
                                 suggested, {"max_active_projects": active,
                                             "max_backburner_projects": backburner}, hours))
    return sentences


_LIMIT_NOUNS = {"max_clients": ("client", "clients"),
                "max_active_projects": ("active", "active"),
                "max_backburner_projects": ("back-burner", "back-burner")}


def _advice(subject: str, role: str, candidates: Sequence[Candidate],
            held: Mapping[int, list[float]], suggested: Mapping[int, SuggestedLimits],
            missing: Mapping[str, int], hours: float) -> str:
    role_name = ROLE_NAMES[role]
    person = _best_on_side(candidates, role)
    if person is None:
        return (f"{subject}: no one on the team takes that role; choose someone for it on "
                f"the People page, or hire one.")
    index = {"max_clients": 0, "max_active_projects": 1, "max_backburner_projects": 2}
    raised = {key: int(held[person.person_id][index[key]]) + count
              for key, count in missing.items() if count}
    figures = [f"{value} {_LIMIT_NOUNS[key][0]}" for key, value in raised.items()]
    if role == ROLE_ACCOUNT_MANAGER:
        limits = f"limit to {raised['max_clients']} clients"
    else:
        plural = "limit" if len(figures) == 1 else "limits"
        limits = f"{plural} to {_and(figures)} projects"
    what = f"raise {person.name}'s {role_name} {limits}"
    hours_needed = held[person.person_id][3] + hours
    if hours > 0 and hours_needed > person.weekly_hours * _HOURS_STRETCH + 1e-9:
        # No one's week stretches that far: the side lacks time, not a limit.
        return (f"{subject}: the {role_name} side is "
                f"{math.ceil(hours * 10) / 10:g} hours a week short; hire one, or move "
                f"some of the work to people with time.")
    if hours > 0 and hours_needed > person.weekly_hours + 1e-9:
        what += f" and their weekly hours to {math.ceil(hours_needed * 10) / 10:g}"
    sentence = f"{subject}: {what}, or hire one."
    offer = suggested.get(person.person_id)
    if offer is not None and all(getattr(offer, key) >= value
                                 for key, value in raised.items()):
        shown = [f"{getattr(offer, key)} {_LIMIT_NOUNS[key][1]}" for key in raised]
        sentence += (f" The suggested limits for a dedicated {role_name} "
                     f"({_and(shown)}) would cover it.")
    return sentence
