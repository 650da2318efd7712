"""What it would take to complete the split, in sentences for the studio owner.

When the proposal cannot place every client and project, the plan says so per role, in
the owner's terms: how many clients still need an Account Manager and how many active
and back-burner projects still need a Production Manager, whose limits would have to
rise to take them (the person on that side best suited to the work), and, when the
suggested limits for a dedicated role were not accepted but would cover the gap, that
accepting them is enough. For example::

    5 active and 7 back-burner projects still need a Production Manager: raise Sam Lee's
    Production Manager limits to 11 active and 22 back-burner projects, or hire one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from studio_desk.core.optimizer import (
    KIND_CLIENT,
    ROLE_ACCOUNT_MANAGER,
    ROLE_PRODUCTION_MANAGER,
    STATUS_ACTIVE,
    Candidate,
    ClientItem,
    ProjectItem,
    Proposal,
)

#: Advice may ask someone to work at most this share of their weekly hours.
_HOURS_STRETCH = 1.1

ROLE_NAMES = {ROLE_ACCOUNT_MANAGER: "Account Manager",
              ROLE_PRODUCTION_MANAGER: "Production Manager"}


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
    """One sentence per role whose work the proposal could not place (empty: none)."""
    suggested = suggested or {}
    unplaced = {(row.kind, row.item_id) for row in proposal.unplaced()}
    if not unplaced:
        return []
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
    lost_projects = [p for p in projects if ("project", p.project_id) in unplaced]
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
