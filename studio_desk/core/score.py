"""What the best proposal is: the score, its inputs and outputs, and the reference code.

Who should be Account Manager of each client and Production Manager of each project is
decided by the score below. This module is its specification, with everything a caller
needs around it: the inputs (:class:`Candidate`, :class:`ClientItem`,
:class:`ProjectItem`, :class:`ScoreWeights`), the outputs (:class:`Placement`,
:class:`Proposal`), the checks that refuse input the score is not defined on, and the
score itself in plain Python (:func:`quality_parts`, :func:`score_of`,
:func:`limit_violations`), written to be read rather than to be fast.

The solver, :mod:`studio_desk.core.optimizer`, finds the assignment this score ranks
best; it builds the same numbers with numpy, and the tests check the two against each
other and the solver against brute force. The sentences on each row of a proposal are
written by :mod:`studio_desk.core.reasons`.

Items and roles
---------------
Each client wants one Account Manager (AM, role ``"account_manager"``); each project,
active or back-burner, wants one Production Manager (PM, role ``"production_manager"``).
Every item gets at most one person. A person may take an AM role only if
``may_account_manage`` and a PM role only if ``may_production_manage``.

Limits (per person, never exceeded by the proposal)
---------------------------------------------------
* clients held as AM                 <= ``max_clients``
* active projects held as PM         <= ``max_active_projects``
* back-burner projects held as PM    <= ``max_backburner_projects``
* weekly hours of everything held    <= ``weekly_hours`` (each client's and project's
  ``weekly_hours``; 0 is allowed and costs nothing)

Limits of 0 are legal (that person takes nothing of that kind). Hours are compared with
one rule everywhere, :func:`hours_fit`: a sum fits a limit if it passes it by at most
1e-6 h (rounding noise, and HiGHS's own tolerance, stay inside that; nothing real does).
Input a week cannot hold is refused with a ValueError naming the person, client or
project and the field: a person's weekly hours outside 0-168 (an item's outside
0-1,000,000), or not a number, slot limits that
are not whole numbers from 0 to 100,000, an importance that is not a finite number.

Pinned items
------------
``pinned[(kind, id)] = person_id`` is the user's own choice and is kept as given, even if
it breaks a limit or a ``may_*`` flag: the user decided. It uses up the person's capacity
first; everything else is fitted into what is left (``max(0, limit - pinned use)`` of each
limit). ``pinned[(kind, id)] = None`` leaves the item deliberately unassigned; such an item
is not "unplaced" and does not count toward the shortfall.

The score
---------
The proposal maximises, lexicographically,

1. the number of items placed, then
2. the quality score ``Q`` below.

So the number of unplaced items is the minimum possible, and among all assignments
placing that many the proposal has the highest ``Q``. ``Proposal.score`` is ``Q``.

``Q = sum over placements (person p, item i) of quality(p, i)  -  sum over people and
their four budgets of load_penalty``, with the default weights of :class:`ScoreWeights`
in brackets.

The split. Each candidate has a ``side`` in the target structure: ``"account_manager"``
(their part is the clients), ``"production_manager"`` (their part is the projects), or
None (at home on either side: a small studio's person in both roles, or a studio that is
not splitting at all). A role is *on side* for a person whose side is that role or None,
and *off side* otherwise (an Account Manager-side person who also runs projects because
capacity asks for it). The terms:

* **role fit** (3.0) for every on-side placement. Holding work of the other side earns
  nothing here, so it happens only where capacity asks for it or no on-side person
  matches at all: the price of one person in both roles. With no sides at all this is
  the same for every placement and changes nothing.
* **continuity: keep** if ``p`` is the item's current holder
  (``current_account_manager_id`` / ``current_manager_id``), and only on side:

  - a client keeps its Account Manager (6.0) when they are on the account side (or have
    no side), more than the best relationship and affinity together (3 + 2): a current
    Account Manager is moved only for capacity or load;
  - a project keeps its manager (6.0) when that manager has no side: the studio is not
    splitting that person's work;
  - a project keeps a production-side manager only a little (0.5): the split re-sorts
    project work by what each project needs, so a Production Manager's old project that
    suits someone else better moves; the little weight settles near-ties in favour of
    whoever runs it now;
  - off side, nothing: the old combined-role manager's projects move to the production
    side, and a production-side person's old clients move to the account side.

* **continuity: relationship**: for a client, (1.0) x the strength (1-3) of ``p``'s
  relationship with that client; for a project, (0.25) x the strength of ``p``'s
  relationship with the project's client (knowing the client helps a PM a little). A person
  with several relationship rows to one client counts the strongest.
* **affinity** (2.0) x fit, where traits are read on a 0-1 scale (``trait / 5``) and the
  project's demands too (``score / 5``):

  - client (AM): ``client_facing/5``;
  - account-led project (PM): ``client_facing/5 x communication_load/5``;
  - production-led project (PM): ``head_down/5 x technical_complexity/5``;
  - balanced project (PM): the average of the two lines above.

  Multiplying trait by demand puts the most head-down people on the most complex projects
  and the most client-facing on the most talkative ones, rather than just anywhere.
* **production lead** (2.0) x ``head_down/5 x technical_complexity/5`` for a project held
  by a production-side person, whatever its lead type: the split gives the team's side
  to the head-down people, and the most technical work to the most head-down of them
  first, so a Production Manager short of room keeps the technical projects and lets
  the communication-heavy ones wait for someone else. Counted as affinity.
* **balanced load**: every person has four budgets, clients / active projects /
  back-burner projects / hours, each with a load fraction ``f = held / limit`` (pinned
  items included; a limit of 0 counts as 1). Each budget pays the convex piecewise-linear
  penalty ``(1.0) x sum over (threshold t, slope s) of s x max(0, f - t)``, default
  breakpoints ``((0.5, 1), (0.75, 2), (0.9, 4))``: nothing up to half full, then steeper
  and steeper, so work goes to whoever has the most headroom. People outside the
  candidate list (only via a pin) have no load term and score no affinity.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

ROLE_ACCOUNT_MANAGER = "account_manager"
ROLE_PRODUCTION_MANAGER = "production_manager"
KIND_CLIENT = "client"
KIND_PROJECT = "project"
STATUS_ACTIVE = "active"
STATUS_BACKBURNER = "back-burner"
LEAD_PRODUCTION = "production-led"
LEAD_ACCOUNT = "account-led"
LEAD_BALANCED = "balanced"

#: Budget names, as used in ``Proposal.shortfall``.
BUDGET_CLIENTS = "clients"
BUDGET_ACTIVE = "active projects"
BUDGET_BACKBURNER = "back-burner projects"
BUDGET_HOURS = "hours"
#: The budgets counted in slots (one per item), then all four.
SLOT_BUDGETS = (BUDGET_CLIENTS, BUDGET_ACTIVE, BUDGET_BACKBURNER)
BUDGETS = (*SLOT_BUDGETS, BUDGET_HOURS)

#: Hours compare with this slack (absolute, in hours; see :func:`hours_fit`) so that
#: 0.1 + 0.2 hours fit into 0.3 and a sum a rounding away from a limit fits it.
_HOURS_EPS = 1e-6
#: ... or this share of the limit, if larger (only for limits above 1,000 hours).
_HOURS_REL = 1e-9
#: Refused as absurd (see ``check_inputs``): hours a week above this, limits above that.
MAX_WEEKLY_HOURS = 168.0
#: A client's or project's weekly hours are the whole effort spread over its weeks: a big
#: project may need more than one person's week (it then cannot be placed, and says so).
MAX_ITEM_HOURS = 1_000_000.0
MAX_LIMIT = 100_000


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Candidate:
    """A person who may take roles, with their traits and limits."""

    person_id: int
    name: str
    client_facing: int  # 0-5, loves calls and relationship work
    head_down: int  # 0-5, loves technical and detailed work
    weekly_hours: float
    max_clients: int
    max_active_projects: int
    max_backburner_projects: int
    may_account_manage: bool = True
    may_production_manage: bool = True
    #: The role this person takes in the target structure (``ROLE_ACCOUNT_MANAGER`` or
    #: ``ROLE_PRODUCTION_MANAGER``), or None when they are at home on either side.
    side: str | None = None


@dataclass(frozen=True)
class ClientItem:
    """A client that wants an Account Manager."""

    client_id: int
    name: str
    current_account_manager_id: int | None = None
    current_since: dt.date | None = None
    #: ``(person_id, strength 1-3, since)`` for each person who knows this client.
    relationships: tuple[tuple[int, int, dt.date | None], ...] = ()
    importance: float = 1.0  # orders the output only
    weekly_hours: float = 0.0  # AM hours this client costs per week


@dataclass(frozen=True)
class ProjectItem:
    """A project (active or back-burner) that wants a Production Manager."""

    project_id: int
    name: str
    client_id: int
    status: str  # "active" or "back-burner"
    lead_type: str  # "production-led", "account-led", "balanced"
    technical_complexity: int  # 1-5
    communication_load: int  # 1-5
    weekly_hours: float = 0.0  # PM hours per week this project costs
    current_manager_id: int | None = None
    current_since: dt.date | None = None


@dataclass(frozen=True)
class ScoreWeights:
    """The weights of the quality score; see the module docstring for the formula.

    All weights and slopes must be >= 0 (so the load penalty stays convex and the
    solver's placement bonus stays an upper bound); thresholds are load fractions.
    """

    keep_current: float = 6.0
    #: Keeping a project with a production-side manager: the split re-sorts project work.
    keep_project_in_split: float = 0.5
    role_fit: float = 3.0
    #: A production-side person's extra fit for a project's technical complexity.
    production_lead: float = 2.0
    relationship_per_strength: float = 1.0
    project_relationship_per_strength: float = 0.25
    affinity: float = 2.0
    load: float = 1.0
    load_breakpoints: tuple[tuple[float, float], ...] = ((0.5, 1.0), (0.75, 2.0), (0.9, 4.0))

    def __post_init__(self) -> None:
        values = (self.keep_current, self.keep_project_in_split, self.role_fit,
                  self.production_lead,
                  self.relationship_per_strength,
                  self.project_relationship_per_strength, self.affinity, self.load)
        if any(not math.isfinite(v) or v < 0 for v in values):
            raise ValueError("score weights must be finite and >= 0")
        for threshold, slope in self.load_breakpoints:
            if not (math.isfinite(threshold) and math.isfinite(slope)) or slope < 0:
                raise ValueError("load breakpoints need finite thresholds and slopes >= 0")


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Placement:
    """One row of the proposal: who takes one item's role, and why."""

    kind: str  # "client" or "project"
    item_id: int
    item_name: str
    role: str  # "account_manager" or "production_manager"
    person_id: int | None  # None = could not be placed (or left empty by hand)
    previous_person_id: int | None
    reason: str  # a plain-English sentence; for unplaced rows, what capacity is missing
    pinned: bool = False  # the user chose this row by hand

    @property
    def changed(self) -> bool:
        """True when the proposal hands the item to someone other than its current holder."""
        return self.person_id != self.previous_person_id


@dataclass(frozen=True)
class Proposal:
    """The optimiser's answer: one placement per client and per project."""

    placements: tuple[Placement, ...]
    score: float  # the quality score Q (excluding the solver's placement bonus)
    unplaced_count: int
    shortfall: Mapping[str, float]  # e.g. {"clients": 2, "active projects": 3, ...}
    #: True when the certificate below shows the proposal optimal (its quality to within
    #: the solver's ``PROVEN_TOLERANCE``).
    proven_optimal: bool = True
    #: Upper bound on how much higher the best possible objective is (quality points once
    #: the placed count is optimal); 0 for a proven optimum.
    quality_gap: float = 0.0
    #: Upper bound on how many more items the best possible proposal could place.
    placement_gap: int = 0

    def unplaced(self) -> tuple[Placement, ...]:
        """Rows that could not be placed (not those deliberately left empty by hand)."""
        return tuple(p for p in self.placements if p.person_id is None and not p.pinned)

    def placement(self, kind: str, item_id: int) -> Placement:
        """The row of one client (``kind="client"``) or project (``kind="project"``)."""
        for row in self.placements:
            if row.kind == kind and row.item_id == item_id:
                return row
        raise KeyError((kind, item_id))

    def assignment(self) -> dict[tuple[str, int], int | None]:
        """``{(kind, item_id): person_id or None}`` for every row, as :func:`score_of` takes."""
        return {(p.kind, p.item_id): p.person_id for p in self.placements}


class QualityParts(NamedTuple):
    """The parts of one pair's quality (see the module docstring)."""

    keep: float
    relationship: float
    affinity: float
    role_fit: float = 0.0

    @property
    def total(self) -> float:
        return self.keep + self.relationship + self.affinity + self.role_fit


# --------------------------------------------------------------------------- the score
# These scalar functions are the reference definition of the score. The solver builds the
# same numbers with numpy (``optimizer._quality_matrix``); the tests check one against
# the other.


def relationship_strength(client: ClientItem | None,
                          person_id: int) -> tuple[int, dt.date | None]:
    """The strongest relationship ``person_id`` has with ``client`` (0 if none), and
    since when."""
    best, since = 0, None
    if client is not None:
        for pid, strength, when in client.relationships:
            if pid == person_id and strength > best:
                best, since = strength, when
    return best, since


def _project_fit(candidate: Candidate, project: ProjectItem) -> float:
    """The 0-1 trait-by-demand fit of ``candidate`` as PM of ``project``."""
    talk = candidate.client_facing / 5 * project.communication_load / 5
    tech = candidate.head_down / 5 * project.technical_complexity / 5
    if project.lead_type == LEAD_ACCOUNT:
        return talk
    if project.lead_type == LEAD_PRODUCTION:
        return tech
    return (talk + tech) / 2


def quality_parts(person_id: int, candidate: Candidate | None, item: ClientItem | ProjectItem,
                  client_of_item: ClientItem | None,
                  weights: ScoreWeights = ScoreWeights()) -> QualityParts:
    """The quality of ``person_id`` taking ``item``'s role, by part.

    ``client_of_item`` is the client itself for a client, the project's client for a
    project (or None if unknown). ``candidate`` is None for someone outside the candidate
    list (only possible through a pin); they score no affinity.
    """
    side = candidate.side if candidate is not None else None
    if isinstance(item, ClientItem):
        on_side = side != ROLE_PRODUCTION_MANAGER
        held = item.current_account_manager_id == person_id
        keep = weights.keep_current if held and on_side else 0.0
        rel = (weights.relationship_per_strength
               * relationship_strength(client_of_item, person_id)[0])
        fit = candidate.client_facing / 5 if candidate is not None else 0.0
    else:
        on_side = side != ROLE_ACCOUNT_MANAGER
        held = item.current_manager_id == person_id
        keep = 0.0
        if held and side is None:
            keep = weights.keep_current
        elif held and side == ROLE_PRODUCTION_MANAGER:
            keep = weights.keep_project_in_split
        rel = (weights.project_relationship_per_strength
               * relationship_strength(client_of_item, person_id)[0])
        fit = _project_fit(candidate, item) if candidate is not None else 0.0
    affinity = weights.affinity * fit
    if isinstance(item, ProjectItem) and candidate is not None \
            and side == ROLE_PRODUCTION_MANAGER:
        affinity += (weights.production_lead * candidate.head_down / 5
                     * item.technical_complexity / 5)
    # Someone outside the candidate list (only through a pin) has no side to fit.
    role_fit = weights.role_fit if candidate is not None and on_side else 0.0
    return QualityParts(keep, rel, affinity, role_fit)


def load_fraction(used: float, limit: float) -> float:
    """How full one budget is: ``used / limit`` (a limit of 0 counts as 1)."""
    return used / (limit if limit > 0 else 1)


def load_penalty(fraction: float, weights: ScoreWeights = ScoreWeights()) -> float:
    """The convex penalty on one budget's load fraction."""
    return weights.load * sum(slope * max(0.0, fraction - threshold)
                              for threshold, slope in weights.load_breakpoints)


def person_load_penalty(candidate: Candidate, clients_held: int, active_held: int,
                        backburner_held: int, hours_held: float,
                        weights: ScoreWeights = ScoreWeights()) -> float:
    """The load penalty of one person: the sum over their four budgets."""
    return sum(load_penalty(load_fraction(used, limit), weights) for used, limit in (
        (clients_held, candidate.max_clients),
        (active_held, candidate.max_active_projects),
        (backburner_held, candidate.max_backburner_projects),
        (hours_held, candidate.weekly_hours)))


def score_of(assignment: Mapping[tuple[str, int], int | None],
             candidates: Sequence[Candidate], clients: Sequence[ClientItem],
             projects: Sequence[ProjectItem],
             weights: ScoreWeights = ScoreWeights()) -> float:
    """The quality score ``Q`` of a full assignment (pinned rows included).

    ``assignment`` maps ``("client", id)`` / ``("project", id)`` to a person id or None;
    missing items count as unassigned. Limits are not checked here (see
    :func:`limit_violations`); the solver's placement bonus is not included.
    """
    people = {c.person_id: c for c in candidates}
    clients_by_id = {c.client_id: c for c in clients}
    used: dict[tuple[int, str], float] = {}
    terms: list[float] = []  # summed exactly, so the order of the input does not matter
    items: list[tuple[tuple[str, int], ClientItem | ProjectItem, ClientItem | None]] = [
        ((KIND_CLIENT, c.client_id), c, c) for c in clients]
    items += [((KIND_PROJECT, p.project_id), p, clients_by_id.get(p.client_id))
              for p in projects]
    for key, item, client in items:
        pid = assignment.get(key)
        if pid is None:
            continue
        terms.append(quality_parts(pid, people.get(pid), item, client, weights).total)
        for budget, amount in ((budget_of(item), 1.0), (BUDGET_HOURS, item.weekly_hours)):
            used[pid, budget] = used.get((pid, budget), 0.0) + amount
    for pid, candidate in people.items():
        held = [int(used.get((pid, b), 0)) for b in SLOT_BUDGETS]
        terms.append(-person_load_penalty(candidate, held[0], held[1], held[2],
                                          used.get((pid, BUDGET_HOURS), 0.0), weights))
    return math.fsum(terms)


def item_key(item: ClientItem | ProjectItem) -> tuple[str, int]:
    """``("client", id)`` or ``("project", id)``: how assignments and pins name an item."""
    if isinstance(item, ClientItem):
        return KIND_CLIENT, item.client_id
    return KIND_PROJECT, item.project_id


def budget_of(item: ClientItem | ProjectItem) -> str:
    """The slot budget ``item`` uses: clients, active or back-burner projects."""
    if isinstance(item, ClientItem):
        return BUDGET_CLIENTS
    return BUDGET_ACTIVE if item.status == STATUS_ACTIVE else BUDGET_BACKBURNER


def slot_limit(candidate: Candidate, budget: str) -> int:
    """``candidate``'s limit on one slot budget (not hours: ``weekly_hours``)."""
    if budget == BUDGET_CLIENTS:
        return candidate.max_clients
    if budget == BUDGET_ACTIVE:
        return candidate.max_active_projects
    return candidate.max_backburner_projects


def hours_slack(limit: float | np.ndarray) -> float | np.ndarray:
    """How far a sum of hours may pass ``limit`` and still fit: 1e-6 h (or 1e-9 of the
    limit if that is more), far above rounding noise and far below anything real."""
    return np.maximum(_HOURS_EPS, _HOURS_REL * np.abs(limit))


def hours_fit(used: float | np.ndarray, amount: float | np.ndarray,
              limit: float | np.ndarray) -> bool | np.ndarray:
    """True where ``amount`` more hours fit on top of ``used`` within ``limit``.

    The one comparison of hours against a limit: eligibility, the MILP's rows (given the
    same slack), the repair, the packing, the baselines, :func:`limit_violations` and the
    reasons all agree on what fits. Works elementwise on numpy arrays too; loops that
    test one limit often compare with its :func:`hours_ceiling` directly (the same sum).
    """
    return used + amount <= hours_ceiling(limit)


def hours_ceiling(limit: float | np.ndarray) -> float | np.ndarray:
    """The most hours that fit ``limit``: ``hours_fit(used, a, limit)`` is
    ``used + a <= hours_ceiling(limit)``."""
    return limit + hours_slack(limit)


def limit_violations(assignment: Mapping[tuple[str, int], int | None],
                     candidates: Sequence[Candidate], clients: Sequence[ClientItem],
                     projects: Sequence[ProjectItem],
                     pinned: Mapping[tuple[str, int], int | None] | None = None) -> list[str]:
    """Every limit the non-pinned part of ``assignment`` breaks, as phrases (empty = fine).

    Pinned rows are the user's choice: they use capacity first and are never themselves
    a violation; the rest must fit in what they leave.
    """
    pinned = pinned or {}
    people = {c.person_id: c for c in candidates}
    used: dict[tuple[int, str, bool], float] = {}
    found: list[str] = []
    every: list[tuple[str, int, ClientItem | ProjectItem]] = [
        (KIND_CLIENT, c.client_id, c) for c in clients]
    every += [(KIND_PROJECT, p.project_id, p) for p in projects]
    for kind, item_id, item in every:
        pid = assignment.get((kind, item_id))
        if pid is None:
            continue
        is_pin = (kind, item_id) in pinned
        if not is_pin:
            person = people.get(pid)
            if person is None:
                found.append(f"{kind} {item_id}: person {pid} is not a candidate")
                continue
            allowed = (person.may_account_manage if kind == KIND_CLIENT
                       else person.may_production_manage)
            if not allowed:
                found.append(f"{person.name} may not take the role of {kind} {item_id}")
        for budget, amount in ((budget_of(item), 1.0), (BUDGET_HOURS, item.weekly_hours)):
            key = (pid, budget, is_pin)
            used[key] = used.get(key, 0.0) + amount
    for pid, person in people.items():
        for budget in (*SLOT_BUDGETS, BUDGET_HOURS):
            cap = person.weekly_hours if budget == BUDGET_HOURS else slot_limit(person, budget)
            free = used.get((pid, budget, False), 0.0)
            room = max(0.0, cap - used.get((pid, budget, True), 0.0))
            over = (not hours_fit(0.0, free, room) if budget == BUDGET_HOURS
                    else free > room + 1e-9)
            if over:
                found.append(f"{person.name}: {free:g} {budget} (room for {room:g})")
    return found


# --------------------------------------------------------------------------- input checks


def check_inputs(candidates: Sequence[Candidate], clients: Sequence[ClientItem],
                 projects: Sequence[ProjectItem]) -> None:
    """Raise ValueError for data the score is not defined on (a caller's bug)."""
    for name, ids in (("person", [c.person_id for c in candidates]),
                      ("client", [c.client_id for c in clients]),
                      ("project", [p.project_id for p in projects])):
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {name} ids")
    for c in candidates:
        if not (0 <= c.client_facing <= 5 and 0 <= c.head_down <= 5):
            raise ValueError(f"{c.name}: traits must be 0-5")
        _check_hours(f"Person {c.name}", c.weekly_hours)
        for word, limit in (("client limit", c.max_clients),
                            ("active-project limit", c.max_active_projects),
                            ("back-burner limit", c.max_backburner_projects)):
            value = _number(limit)
            if not (value.is_integer() and 0 <= value <= MAX_LIMIT):
                raise ValueError(f"Person {c.name}: the {word} must be a whole number from "
                                 f"0 to {MAX_LIMIT:,}, not {limit!r}.")
    for cl in clients:
        _check_hours(f"Client {cl.name}", cl.weekly_hours, MAX_ITEM_HOURS)
        if not math.isfinite(_number(cl.importance)):
            raise ValueError(f"Client {cl.name}: the importance must be a finite number, "
                             f"not {cl.importance!r}.")
        for _pid, strength, _since in cl.relationships:
            if strength not in (1, 2, 3):
                raise ValueError(f"client {cl.name}: relationship strength must be 1-3")
    for p in projects:
        if p.status not in (STATUS_ACTIVE, STATUS_BACKBURNER):
            raise ValueError(f"project {p.name}: unknown status {p.status!r}")
        if p.lead_type not in (LEAD_PRODUCTION, LEAD_ACCOUNT, LEAD_BALANCED):
            raise ValueError(f"project {p.name}: unknown lead type {p.lead_type!r}")
        if not (1 <= p.technical_complexity <= 5 and 1 <= p.communication_load <= 5):
            raise ValueError(f"project {p.name}: complexity and load must be 1-5")
        _check_hours(f"Project {p.name}", p.weekly_hours, MAX_ITEM_HOURS)


def _number(value: object) -> float:
    """``value`` as a float, NaN if it is not a number (refused by the checks)."""
    if isinstance(value, bool):
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return math.nan


def _check_hours(who: str, hours: object, most: float = MAX_WEEKLY_HOURS) -> None:
    """Weekly hours: a real number from 0 to ``most`` (a person's week: 168)."""
    value = _number(hours)
    if not 0 <= value <= most:  # NaN fails too
        raise ValueError(f"{who}: the weekly hours must be a number from 0 to "
                         f"{most:,.0f}, not {hours!r}.")

