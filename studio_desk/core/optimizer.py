"""The solver: an Account Manager for each client, a Production Manager for each project.

What the best proposal is, and everything a caller passes in or reads back, is specified
in :mod:`studio_desk.core.score`; this module finds it. The proposal is the optimum of
an integer program solved with SciPy's :func:`scipy.optimize.milp` (the HiGHS
branch-and-cut solver): exactly for small studios, and for large ones by parts, with a
certificate of how far from the optimum it can be at most (see "Exactness, speed and
determinism"). The sentence on each row of the proposal is written by
:mod:`studio_desk.core.reasons`.

The score's names (inputs, outputs, constants, the plain-Python :func:`score_of`,
:func:`quality_parts`, :func:`limit_violations`, ...) are re-exported here, so a caller
can take everything from this module; ``__all__`` lists them.

Reading order: :func:`propose` checks and orders the input (:func:`_prepare`), solves it
(:func:`_solve`: one exact MILP for a small studio, else :func:`_solve_parts`, which
hands each independent group of budgets to :func:`_solve_transport` or
:func:`_solve_large`), and turns the answer into rows (:func:`_build_proposal`).

One program
-----------
The score ranks assignments lexicographically: items placed, then the quality ``Q``.
That is solved as one program: each placement earns a bonus ``B`` plus its quality, with
``B = 1 + (sum over free items of the item's best pair quality) + (the most the load
penalty can grow)``, which is larger than the whole possible range of ``Q``. Hence one
more placed item always outweighs any difference in quality: the number of unplaced items
is the minimum possible, and among all assignments placing that many the proposal has the
highest ``Q``. ``Proposal.score`` is ``Q`` alone (no bonus).

The load penalty, being convex and separable, is linearised exactly: the row that holds a
budget's limit also feeds a few continuous "pieces" of rising cost, which a maximising
solver fills cheapest first (for slot budgets the pieces join the penalty's values at
whole counts, the only ones an assignment can reach; see :func:`_tiers`).

Exactness, speed and determinism
--------------------------------
Only pairs a person could actually take (role allowed, a free slot of that kind, enough
hours left for that item) become variables; the matrix is a :mod:`scipy.sparse` array.

* **Small studios** (at most ``exact_limit`` = 1,500 such pairs, e.g. 12 people x 125
  items) are solved as one MILP, normally to proven optimality (HiGHS ``mip_rel_gap``
  1e-9: a few millionths of a quality point at this size). The tests check this against
  brute force. Hours packed tight can make the proof slow; if it is not done within
  half the time budget, the large-studio method below is run too and the better
  proposal kept, with its certificate.
* **Large studios** would take HiGHS tens of seconds as one MILP (48,000 binaries for
  1,300 items and 40 people, and most of the time goes on proving the last hundredth of
  a quality point), so they are solved in parts, each exactly or with a certificate:

  - Budgets that share no hours are independent and solved separately.
  - A budget whose items cost no hours (back-burner projects, and clients when no AM
    hours are given) is an assignment problem: one column per free slot, priced at
    the load penalty it adds, solved exactly by
    :func:`scipy.optimize.linear_sum_assignment`.
  - The budgets tied together by hours, up to 60,000 pairs, are solved by their LP
    relaxation (HiGHS dual simplex, given at most half the time left and 3 s). Every
    placement the LP makes whole (nearly all of them: it is an assignment problem with
    one knapsack row per person) is kept, and the leftover items are solved as an
    exact MILP over the people the LP shared them with plus their three best-matched
    people with room. If that leaves the count unproven, the people the LP split items
    between are re-packed from scratch (when that MILP has at most 4,000 pairs) and
    the better result kept.
  - Larger ones (100 people and 6,000 items are 600,000 pairs: the LP alone takes
    HiGHS over 30 s), or when the LP does not finish or leaves the count unproven, are
    priced: subgradient steps on the Lagrangian dual give every person's budgets a
    price (and the bound below); each item, the surest first, goes to the person best
    for it at those prices while they have room; if that leaves items out, the items
    with the least to lose are packed again with them, best fit decreasing (see
    :func:`_pack`), and an item that still does not fit may have one other item moved
    out of its way; then a local search moves single items while ``Q`` rises.
  - Floor: whatever the method, the result is topped up (an item that still fits
    somewhere is placed) and compared with a packing floor computed first: best fit
    decreasing (items by decreasing hours, each to the best-matched person whose hours
    stay in step with their free slots, or to whoever is left with the least room; and
    smallest first, which places more when not everything fits).
    The better by (placed, ``Q``) is kept, so no proposal places fewer items than that
    packing, and it is the fallback whenever a solver fails or runs out of time.
  - Certificate: the LP's duals, or the prices, give an upper bound on the true
    optimum that holds for any duals (a Lagrangian bound, so it does not rest on
    solver tolerances); the count is also capped by what everyone's rooms pooled could
    hold (:func:`_pooled`). ``Proposal.placement_gap`` is how many more items the best
    proposal could place at most (0 proves the number of unplaced items minimal) and
    ``Proposal.quality_gap`` how much higher its ``Q`` could be at most. On the
    1,000-project benchmark the count is proven and ``Q`` (about 8,400) is within
    about 0.1-2 points of the optimum; on the 5,000-project one (1,000 clients, 100
    people, hours on every item) everything is placed in about 1.5 s and ``Q`` (about
    37,600) is within about 1% of the optimum.

  ``Proposal.proven_optimal`` is True when both gaps are zero (``Q`` to within
  ``PROVEN_TOLERANCE``).

``time_limit`` (default 10 s) is the budget of the whole call; what cannot stop early
(checking the input, the packing floor, the reasons) comes on top, about half a second
for 6,000 items. The leftover MILPs are capped by a node count (deterministic), the
optional re-packs by 2 s each, the prices and the local search by a number of steps.
Items and people are put in a fixed order (by id) before any model is built and HiGHS
is deterministic, so the same input gives the same output, unless a time limit is
reached: that only happens on hard, medium-sized studios whose hours are packed tight
(a few seconds there, certificate still valid), not on the benchmark studios or in the
tests. HiGHS prints a stray line to standard output now and then whatever it is told;
standard output is silenced at the file-descriptor level while it runs.

Shortfall
---------
When items cannot be placed, ``Proposal.shortfall`` tells what capacity the studio lacks:
``"clients"``, ``"active projects"`` and ``"back-burner projects"`` count the unplaced items
of that kind (one missing slot each) and ``"hours"`` sums their weekly hours. This is
what one extra person would need to take all of them. Each unplaced row's reason names
the capacity that actually blocks it, for the role it wants (no one takes the role, no
one in it has a free slot of its kind, or no one with a free slot has the hours left;
see :func:`studio_desk.core.reasons.unplaced_reason`).

The shortfall is only claimed where it is proven: when ``placement_gap`` is 0 (no
assignment places more). Otherwise it counts only the items nobody could take at all (no
one may, or no one has a slot and the hours left after the pins) plus what the studio's
room pooled together cannot hold (items of a kind beyond all its slots, hours beyond all
the hours), and every other unplaced row says that the studio may have room for it but
the proposal could not fit it in, to assign it by hand: a hiring signal must not come
from the solver running out of time.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import math
import os
import sys
import threading
import time
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, linprog, milp

from studio_desk.core.reasons import (
    UNPROVEN_REASON,
    pinned_reason,
    placed_reason,
    unplaced_reason,
)
from studio_desk.core.score import (
    BUDGET_ACTIVE,
    BUDGET_BACKBURNER,
    BUDGET_CLIENTS,
    BUDGET_HOURS,
    BUDGETS,
    KIND_CLIENT,
    KIND_PROJECT,
    LEAD_ACCOUNT,
    LEAD_BALANCED,
    LEAD_PRODUCTION,
    MAX_ITEM_HOURS,
    MAX_LIMIT,
    MAX_WEEKLY_HOURS,
    ROLE_ACCOUNT_MANAGER,
    ROLE_PRODUCTION_MANAGER,
    SLOT_BUDGETS,
    STATUS_ACTIVE,
    STATUS_BACKBURNER,
    Candidate,
    ClientItem,
    Placement,
    ProjectItem,
    Proposal,
    QualityParts,
    ScoreWeights,
    budget_of,
    check_inputs,
    hours_ceiling,
    hours_fit,
    hours_slack,
    item_key,
    limit_violations,
    load_fraction,
    load_penalty,
    person_load_penalty,
    quality_parts,
    score_of,
    slot_limit,
)

__all__ = [
    # Re-exported from studio_desk.core.score: what a caller builds and reads.
    "BUDGET_ACTIVE",
    "BUDGET_BACKBURNER",
    "BUDGET_CLIENTS",
    "BUDGET_HOURS",
    "KIND_CLIENT",
    "KIND_PROJECT",
    "LEAD_ACCOUNT",
    "LEAD_BALANCED",
    "LEAD_PRODUCTION",
    "MAX_ITEM_HOURS",
    "MAX_LIMIT",
    "MAX_WEEKLY_HOURS",
    "ROLE_ACCOUNT_MANAGER",
    "ROLE_PRODUCTION_MANAGER",
    "STATUS_ACTIVE",
    "STATUS_BACKBURNER",
    "Candidate",
    "ClientItem",
    "Placement",
    "ProjectItem",
    "Proposal",
    "QualityParts",
    "ScoreWeights",
    "hours_ceiling",
    "hours_fit",
    "hours_slack",
    "limit_violations",
    "load_fraction",
    "load_penalty",
    "person_load_penalty",
    "quality_parts",
    "score_of",
    # The solver's own.
    "PROVEN_TOLERANCE",
    "greedy_proposal",
    "propose",
]

#: The MILP's hours rows may exceed the room by this share of :func:`hours_slack`: the
#: rest absorbs HiGHS's feasibility tolerance (1e-7), so whatever HiGHS places also
#: passes :func:`hours_fit` and nothing it placed is dropped again.
_MODEL_SLACK_SHARE = 0.5

# Solver settings; the module docstring says what they mean for "optimal".
#: A proposal whose certified quality gap is at most this is called optimal.
PROVEN_TOLERANCE = 0.01
_MIP_REL_GAP = 1e-9  # HiGHS stops when within this share of the objective
#: The quality stage of a small studio (objective: quality points, tens to thousands):
#: stops within a millionth of it, far inside PROVEN_TOLERANCE.
_STAGED_REL_GAP = 1e-6
_RESIDUAL_NODES = 2000  # branch-and-bound nodes for the leftover MILP (deterministic cap)
_RESIDUAL_PEOPLE = 3  # best-matched people per leftover item, besides the LP's own choice
_REPACK_LIMIT = 4000  # pairs: the most a re-pack of split people may leave to the MILP
_REPACK_SECONDS = 2.0  # each re-pack is an optional improvement: capped
_EXACT_SHARE = 0.5  # of the time budget, for the exact MILP of a small studio
_LP_PAIRS = 60_000  # pairs: larger problems tied by hours skip the LP (too slow)
_LP_SHARE = 0.5  # of the time left, for that LP; past it the priced method takes over
_LP_SECONDS = 3.0  # ... and at most this
_PRICE_STEPS = 400  # subgradient steps for the Lagrangian prices (deterministic cap)
_PRICE_PATIENCE = 30  # steps without a better bound before the step size halves
_PRICE_SHARE = 0.4  # of the time left, at most, for the prices
_IMPROVE_PASSES = 80  # passes of the local search (deterministic cap)
_IMPROVE_MIN = 1e-9  # a move must gain more than this
#: Shares of the placed items (least regret first) the priced method packs again, in turn
_REPACK_SHARES = (0.0, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0)
_MAKE_ROOM_ITEMS = 100  # unplaced items each _make_room tries at most


# --------------------------------------------------------------------------- the model


@dataclass
class _Prepared:
    """The validated problem in a fixed order, shared by the solver and the greedy baseline."""

    people: list[Candidate]
    items: list[ClientItem | ProjectItem]
    keys: list[tuple[str, int]]
    client_of: list[ClientItem | None]
    budgets: list[str]  # each item's slot budget
    hours: np.ndarray  # (items,)
    quality: np.ndarray  # (items, people) pair quality
    pin_person: dict[int, int | None]  # item index -> person id the user pinned
    cap: dict[str, np.ndarray]  # budget -> (people,) the person's limit
    allowed: np.ndarray  # (items, people) role allowed
    # What is already decided: user pins, plus (while solving a large studio in two
    # steps) the placements the LP relaxation settled; item index -> person index.
    settled: dict[int, int] = field(default_factory=dict)
    start_use: dict[str, np.ndarray] = field(default_factory=dict)  # budget -> (people,)
    room: dict[str, np.ndarray] = field(default_factory=dict)  # budget -> what is left
    eligible: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))

    def settle(self, extra: Mapping[int, int]) -> _Prepared:
        """A copy in which ``extra`` (item index -> person index) is decided too."""
        settled = {**self.settled, **extra}
        m = len(self.people)
        use = {b: np.zeros(m) for b in BUDGETS}
        for i, j in settled.items():
            use[self.budgets[i]][j] += 1
            use[BUDGET_HOURS][j] += self.hours[i]
        room = {b: np.maximum(0.0, self.cap[b] - use[b]) for b in BUDGETS}
        # Start from the current eligibility: settling only ever takes room away.
        eligible = self.allowed.copy() if self.eligible.size == 0 else self.eligible.copy()
        for b in SLOT_BUDGETS:
            rows = np.array([bb == b for bb in self.budgets], dtype=bool)
            eligible[rows] &= room[b][None, :] >= 1
        eligible &= hours_fit(0.0, self.hours[:, None], room[BUDGET_HOURS][None, :])
        decided = [*self.pin_person, *settled]
        if decided:
            eligible[decided] = False
        return replace(self, settled=settled, start_use=use, room=room, eligible=eligible)


def _quality_matrix(people: list[Candidate], items: list[ClientItem | ProjectItem],
                    client_of: list[ClientItem | None], weights: ScoreWeights) -> np.ndarray:
    """:func:`~studio_desk.core.score.quality_parts` ``(...).total`` for every
    (item, person), vectorised: the tests check the two agree."""
    n, m = len(items), len(people)
    index = {c.person_id: j for j, c in enumerate(people)}
    facing = np.array([c.client_facing for c in people], dtype=float) / 5
    down = np.array([c.head_down for c in people], dtype=float) / 5
    talk_demand = np.zeros(n)  # multiplies client_facing/5
    tech_demand = np.zeros(n)  # multiplies head_down/5
    keep_col = np.full(n, -1)
    strength = np.zeros((n, m))
    rel_weight = np.zeros(n)
    for i, (item, client) in enumerate(zip(items, client_of, strict=True)):
        if isinstance(item, ClientItem):
            talk_demand[i] = 1.0
            current = item.current_account_manager_id
            rel_weight[i] = weights.relationship_per_strength
        else:
            talk = item.communication_load / 5
            tech = item.technical_complexity / 5
            if item.lead_type == LEAD_ACCOUNT:
                talk_demand[i] = talk
            elif item.lead_type == LEAD_PRODUCTION:
                tech_demand[i] = tech
            else:
                talk_demand[i], tech_demand[i] = talk / 2, tech / 2
            current = item.current_manager_id
            rel_weight[i] = weights.project_relationship_per_strength
        if current is not None and current in index:
            keep_col[i] = index[current]
        if client is not None:
            for pid, s, _since in client.relationships:
                j = index.get(pid)
                if j is not None and s > strength[i, j]:
                    strength[i, j] = s
    quality = weights.affinity * (np.outer(talk_demand, facing) + np.outer(tech_demand, down))
    quality += rel_weight[:, None] * strength
    # Role fit and continuity depend on each person's side ("The split" in core.score).
    side = np.array([{ROLE_ACCOUNT_MANAGER: 1, ROLE_PRODUCTION_MANAGER: 2}.get(c.side or "", 0)
                     for c in people], dtype=int)
    is_client = np.array([isinstance(it, ClientItem) for it in items], dtype=bool)
    off_side = np.where(is_client[:, None], (side == 2)[None, :], (side == 1)[None, :])
    quality += np.where(off_side, 0.0, weights.role_fit)
    complexity = np.array([it.technical_complexity / 5 if isinstance(it, ProjectItem) else 0.0
                           for it in items])
    quality += weights.production_lead * np.outer(complexity, np.where(side == 2, down, 0.0))
    rows = np.nonzero(keep_col >= 0)[0]
    cols = keep_col[rows]
    keep = np.where(is_client[rows] | (side[cols] == 0), weights.keep_current,
                    weights.keep_project_in_split)
    keep[off_side[rows, cols]] = 0.0
    quality[rows, cols] += keep
    return quality


def _prepare(candidates: Sequence[Candidate], clients: Sequence[ClientItem],
             projects: Sequence[ProjectItem], pinned: Mapping[tuple[str, int], int | None],
             weights: ScoreWeights) -> _Prepared:
    """The checked problem in a fixed order (by id), with the pins' use settled first."""
    check_inputs(candidates, clients, projects)
    people = sorted(candidates, key=lambda c: c.person_id)
    clients_by_id = {c.client_id: c for c in clients}
    items: list[ClientItem | ProjectItem] = [*sorted(clients, key=lambda c: c.client_id),
                                             *sorted(projects, key=lambda p: p.project_id)]
    keys = [item_key(it) for it in items]
    key_index = {k: i for i, k in enumerate(keys)}
    unknown = [k for k in pinned if k not in key_index]
    if unknown:
        raise ValueError(f"pinned items not in the studio: {unknown}")
    client_of = [it if isinstance(it, ClientItem) else clients_by_id.get(it.client_id)
                 for it in items]
    budgets = [budget_of(it) for it in items]
    index = {c.person_id: j for j, c in enumerate(people)}
    hours = np.array([it.weekly_hours for it in items], dtype=float)

    pin_person = {key_index[k]: pid for k, pid in pinned.items()}
    cap = {b: np.array([slot_limit(c, b) for c in people], dtype=float) for b in SLOT_BUDGETS}
    cap[BUDGET_HOURS] = np.array([c.weekly_hours for c in people], dtype=float)
    is_client = np.array([b == BUDGET_CLIENTS for b in budgets], dtype=bool)
    may_am = np.array([c.may_account_manage for c in people], dtype=bool)
    may_pm = np.array([c.may_production_manage for c in people], dtype=bool)
    allowed = np.where(is_client[:, None], may_am[None, :], may_pm[None, :])
    base = _Prepared(
        people=people, items=items, keys=keys, client_of=client_of, budgets=budgets,
        hours=hours, quality=_quality_matrix(people, items, client_of, weights),
        pin_person=pin_person, cap=cap, allowed=allowed)
    # Pins to candidates use their capacity; a pin to someone else uses nobody's.
    return base.settle({i: index[pid] for i, pid in pin_person.items()
                        if pid is not None and pid in index})


@functools.lru_cache(maxsize=4096)
def _tiers(start: float, room: float, limit: float, integral: bool,
           weights: ScoreWeights) -> tuple[tuple[float, float], ...]:
    """``(width, cost per unit)`` pieces of one budget's penalty from ``start`` on.

    The penalty is convex, so the pieces' costs rise and a minimising solver fills them
    in order: the sum of the used pieces is exactly the penalty's increase. For a slot
    budget (``integral``) the pieces join the penalty's values at whole counts, which is
    all an assignment can reach; for hours they follow the breakpoints exactly.
    """
    if room <= 0:
        return ()
    den = limit if limit > 0 else 1.0

    def pen(used: float) -> float:
        return load_penalty(used / den, weights)

    if integral:
        points = [start + k for k in range(int(room) + 1)]
    else:
        inner = sorted({t * den for t, _s in weights.load_breakpoints
                        if start < t * den < start + room})
        points = [start, *inner, start + room]
    pieces: list[tuple[float, float]] = []
    for lo, hi in zip(points, points[1:], strict=False):
        slope = (pen(hi) - pen(lo)) / (hi - lo)
        if pieces and abs(pieces[-1][1] - slope) <= 1e-12:
            pieces[-1] = (pieces[-1][0] + hi - lo, pieces[-1][1])  # same slope: merge
        else:
            pieces.append((hi - lo, slope))
    return tuple(pieces)


@dataclass
class _Model:
    """The integer program of one (possibly partly settled) problem, in ``milp`` form."""

    pair_item: np.ndarray  # (x,) item index of each assignment variable
    pair_person: np.ndarray  # (x,) person index of each assignment variable
    cost: np.ndarray  # minimised: -(bonus + quality) per pair, then the penalty pieces
    upper: np.ndarray  # variable upper bounds (1 for pairs, piece widths)
    matrix: sparse.csr_array
    row_upper: np.ndarray  # every row is "<= row_upper"
    fit_upper: np.ndarray  # the same with the hours rows' full hours_fit slack (bounds)
    bonus: float
    max_penalty: float  # the most the penalty pieces can cost in total

    @property
    def nx(self) -> int:
        return len(self.pair_item)


def _build_model(prep: _Prepared, weights: ScoreWeights) -> _Model:
    """The model of ``prep``'s free items: assignment pairs plus exact penalty pieces."""
    pair_item, pair_person = np.nonzero(prep.eligible)  # row-major: fixed, sorted order
    nx = len(pair_item)
    q = prep.quality[pair_item, pair_person]
    pair_budget = np.array([BUDGETS.index(b) for b in prep.budgets], dtype=int)[pair_item]
    h = prep.hours[pair_item]

    # Row block 1: each item at most one person.
    free_items = np.unique(pair_item)
    rows: list[np.ndarray] = [np.searchsorted(free_items, pair_item)]
    cols: list[np.ndarray] = [np.arange(nx)]
    vals: list[np.ndarray] = [np.ones(nx)]
    n_rows = len(free_items)
    # Row block 2: one row per (person, budget) they could use: the free use of the budget
    # is at most the sum of its penalty pieces, whose widths add up to the room left. That
    # row is both the limit and the exact convex load penalty, with no dense extra rows.
    piece_cost: list[float] = []
    piece_width: list[float] = []
    hours_rows: list[tuple[int, float]] = []  # (row, room): given hours_fit's slack below
    for b in BUDGETS:
        if b == BUDGET_HOURS:
            sel = np.nonzero(h > 0)[0]
            coef = h[sel]
        else:
            sel = np.nonzero(pair_budget == BUDGETS.index(b))[0]
            coef = np.ones(len(sel))
        if len(sel) == 0:
            continue
        order = np.argsort(pair_person[sel], kind="stable")
        sel, coef = sel[order], coef[order]
        owners = pair_person[sel]
        people_here, first = np.unique(owners, return_index=True)
        ends = [*first[1:], len(sel)]
        for j, lo, hi in zip(people_here, first, ends, strict=True):
            room = float(prep.room[b][j])
            if b != BUDGET_HOURS:
                room = min(room, float(hi - lo))  # pieces past any possible use change nothing
            pieces = _tiers(float(prep.start_use[b][j]), room, float(prep.cap[b][j]),
                            b != BUDGET_HOURS, weights)
            first_piece = nx + len(piece_cost)
            piece_width += [w for w, _c in pieces]
            piece_cost += [c for _w, c in pieces]
            rows.append(np.full(hi - lo + len(pieces), n_rows))
            cols.append(np.concatenate([sel[lo:hi],
                                        np.arange(first_piece, first_piece + len(pieces))]))
            vals.append(np.concatenate([coef[lo:hi], -np.ones(len(pieces))]))
            if b == BUDGET_HOURS:
                hours_rows.append((n_rows, room))
            n_rows += 1
    costs = np.array(piece_cost)
    widths = np.array(piece_width)
    max_penalty = float((costs * widths).sum())
    # Placement bonus: exceeds the whole possible range of Q (the best pair quality of every
    # free item, plus every penalty piece filled), so placing one more item always wins.
    best_q = np.zeros(len(prep.items))
    np.maximum.at(best_q, pair_item, q)
    bonus = 1.0 + float(best_q.sum()) + max_penalty
    matrix = sparse.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_rows, nx + len(costs)))
    row_upper = np.zeros(n_rows)
    row_upper[:len(free_items)] = 1.0
    fit_upper = row_upper.copy()
    for row, room in hours_rows:
        fit_upper[row] = float(hours_slack(room))
        row_upper[row] = _MODEL_SLACK_SHARE * fit_upper[row]
    return _Model(pair_item=pair_item, pair_person=pair_person,
                  cost=np.concatenate([-(bonus + q), costs]),
                  upper=np.concatenate([np.ones(nx), widths]), matrix=matrix,
                  row_upper=row_upper, fit_upper=fit_upper, bonus=bonus,
                  max_penalty=max_penalty)


@dataclass
class _Outcome:
    """A solved problem: the person index per item (-1 = none) and its certificate."""

    choice: np.ndarray
    quality_gap: float = 0.0  # best possible objective minus this one's (>= 0)
    placement_gap: int = 0  # how many more items an optimum could possibly place
    placed: int = 0  # free items placed
    value: float = 0.0  # what the placements add to Q (quality - added load penalty)
    bound: float = math.inf  # the upper bound on the model's objective it was certified by


def _seconds_left(deadline: float, cap: float = math.inf) -> float:
    """The time a solver call may take: what is left of the budget, at most ``cap``."""
    return max(0.05, min(cap, deadline - time.monotonic()))


_QUIET_LOCK = threading.Lock()
_quiet_state: dict[str, int] = {"depth": 0, "saved": -1}


def _flush_c_stdout() -> None:
    """Flush the C library's buffered standard output (where HiGHS prints)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).fflush(None)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Standard output silenced at the file-descriptor level while HiGHS runs.

    HiGHS's MIP solver prints a stray debug line ("HighsMipSolverData::
    transformNewIntegerFeasibleSolution tmpSolver.run();") straight to standard output,
    whatever ``disp`` says; in the command line that lands amid the user's output. File
    descriptor 1 points at the null device meanwhile (nested and concurrent calls share
    one redirection); where it cannot be redirected, nothing is changed.
    """
    with _QUIET_LOCK:
        if _quiet_state["depth"] == 0:
            try:
                sys.stdout.flush()
                _flush_c_stdout()
                saved = os.dup(1)
                null = os.open(os.devnull, os.O_WRONLY)
                try:
                    os.dup2(null, 1)
                finally:
                    os.close(null)
                _quiet_state["saved"] = saved
            except (OSError, ValueError, AttributeError):
                _quiet_state["saved"] = -1
        _quiet_state["depth"] += 1
    try:
        yield
    finally:
        with _QUIET_LOCK:
            _quiet_state["depth"] -= 1
            if _quiet_state["depth"] == 0 and _quiet_state["saved"] >= 0:
                _flush_c_stdout()
                os.dup2(_quiet_state["saved"], 1)
                os.close(_quiet_state["saved"])
                _quiet_state["saved"] = -1


def _run(model: _Model, *, deadline: float, node_limit: int | None = None,
         cap: float = math.inf) -> tuple[np.ndarray | None, float]:
    """Solve the model as a MILP: ``(x or None, upper bound on the maximised objective)``."""
    integrality = np.zeros(len(model.cost))
    integrality[:model.nx] = 1
    options: dict[str, object] = {"disp": False,
                                  "time_limit": _seconds_left(deadline, cap),
                                  "mip_rel_gap": _MIP_REL_GAP}
    if node_limit is not None:
        options["node_limit"] = node_limit
    with _quiet():
        result = milp(model.cost, integrality=integrality,
                      bounds=Bounds(np.zeros(len(model.cost)), model.upper),
                      constraints=LinearConstraint(model.matrix, -np.inf, model.row_upper),
                      options=options)
    bound = getattr(result, "mip_dual_bound", None)
    if result.x is None:
        return None, math.inf
    if bound is None or not math.isfinite(bound):
        return result.x, math.inf if result.status != 0 else -float(result.fun)
    return result.x, -float(bound)


def _run_in_stages(model: _Model, *, deadline: float,
                   cap: float = math.inf) -> tuple[np.ndarray | None, float]:
    """Solve the model lexicographically in two MILPs, as :func:`_run` answers.

    With hours packed tight, one MILP whose objective is "bonus per placement plus
    quality" spends most of its time proving the count through the bonus. Two smaller
    questions are much quicker (seconds to a fraction of one on the demo studio): the
    most items that can be placed at all, then the best quality among assignments
    placing that many. The bound returned is on the one-MILP objective, so
    :func:`_certify` reads it the same way.
    """
    start = time.monotonic()
    stop = min(deadline, start + cap)
    n_vars = len(model.cost)
    integrality = np.zeros(n_vars)
    integrality[:model.nx] = 1
    bounds = Bounds(np.zeros(n_vars), model.upper)
    rows = LinearConstraint(model.matrix, -np.inf, model.row_upper)
    count_cost = np.zeros(n_vars)
    count_cost[:model.nx] = -1.0
    with _quiet():
        first = milp(count_cost, integrality=integrality, bounds=bounds, constraints=rows,
                     options={"disp": False, "time_limit": _seconds_left(stop)})
    if first.x is None:
        return None, math.inf
    placed = int(round(-float(first.fun)))
    count_bound = getattr(first, "mip_dual_bound", None)
    most = (math.inf if count_bound is None or not math.isfinite(count_bound)
            else math.floor(-float(count_bound) + 1e-6))
    at_least = LinearConstraint(sparse.csr_array(count_cost[None, :] * -1.0), placed, np.inf)
    quality_cost = model.cost + np.where(np.arange(n_vars) < model.nx, model.bonus, 0.0)
    with _quiet():
        second = milp(quality_cost, integrality=integrality, bounds=bounds,
                      constraints=[rows, at_least],
                      options={"disp": False, "time_limit": _seconds_left(stop),
                               "mip_rel_gap": _STAGED_REL_GAP})
    x = second.x if second.x is not None else first.x
    if not math.isfinite(most):
        return x, math.inf
    # Quality of the best assignment placing ``placed`` items at most ``quality_bound``;
    # an assignment placing fewer scores less than one placing ``placed`` (the bonus).
    if second.x is not None and getattr(second, "mip_dual_bound", None) is not None \
            and math.isfinite(second.mip_dual_bound) and most == placed:
        return x, model.bonus * placed - float(second.mip_dual_bound)
    # Count not proven (or no quality bound): the best any quality could add.
    return x, model.bonus * most + (model.bonus - 1.0 - model.max_penalty)


def _chosen(model: _Model, x: np.ndarray, n: int) -> np.ndarray:
    """Person index per item (-1 = none) from a 0/1 solution."""
    choice = np.full(n, -1)
    taken = np.nonzero(x[:model.nx] > 0.5)[0]
    choice[model.pair_item[taken]] = model.pair_person[taken]
    return choice


def _value(prep: _Prepared, bonus: float, choice: np.ndarray,
           weights: ScoreWeights) -> float:
    """A model's objective (maximised: bonus + quality - added penalty) of an assignment
    of the free items; with ``bonus`` 0, what the assignment adds to ``Q``."""
    free = np.array([i for i in np.nonzero(choice >= 0)[0] if i not in prep.settled], dtype=int)
    if len(free) == 0:
        return 0.0
    people = choice[free]
    total = float((bonus + prep.quality[free, people]).sum())
    m = len(prep.people)
    for b in BUDGETS:
        extra = np.zeros(m)
        if b == BUDGET_HOURS:
            np.add.at(extra, people, prep.hours[free])
        else:
            mine = np.array([prep.budgets[i] == b for i in free], dtype=bool)
            np.add.at(extra, people[mine], 1.0)
        for j in np.nonzero(extra)[0]:
            start = float(prep.start_use[b][j])
            limit = float(prep.cap[b][j])
            total -= (load_penalty(load_fraction(start + extra[j], limit), weights)
                      - load_penalty(load_fraction(start, limit), weights))
    return total


def _certify(prep: _Prepared, model: _Model, choice: np.ndarray, bound: float,
             weights: ScoreWeights) -> _Outcome:
    """Turn an upper bound on the model's objective into the outcome's two gaps.

    Any assignment placing ``k`` more items than ``choice`` scores at least
    ``bonus x (placed + k) - max_penalty``; it cannot beat ``bound``, which caps ``k``.
    """
    placed = int(sum(1 for i in np.nonzero(choice >= 0)[0] if i not in prep.settled))
    value = _value(prep, model.bonus, choice, weights)
    net = value - model.bonus * placed
    # No one places more than all the items, nor more than the pooled rooms hold.
    unplaced = min(len(np.unique(model.pair_item)), _pooled(prep)[0]) - placed
    if not math.isfinite(bound):  # no bound known: anything may be possible
        return _Outcome(choice, quality_gap=math.inf, placement_gap=unplaced,
                        placed=placed, value=net)
    extra = math.floor((bound + model.max_penalty) / model.bonus - placed + 1e-9)
    return _Outcome(choice, quality_gap=max(0.0, bound - value),
                    placement_gap=max(0, min(extra, unplaced)), placed=placed, value=net,
                    bound=bound)


def _pooled(prep: _Prepared) -> tuple[int, dict[str, float]]:
    """What pooling everyone's room proves about ``prep``'s free items.

    With all rooms pooled (each kind's slots among the people who could take an item
    of that kind, all their hours), any assignment is still possible, so what the pool
    cannot hold is short for certain. Returns the most items the pool holds (smallest
    first, within each kind's slots) and, per budget, what it lacks at least: the items
    of each kind beyond its slots, and the hours beyond all the hours.
    """
    free = prep.eligible.any(axis=1)
    code = np.array([BUDGETS.index(b) for b in prep.budgets], dtype=int)
    slots = np.zeros(len(SLOT_BUDGETS))
    lacking: dict[str, float] = {}
    for k, b in enumerate(SLOT_BUDGETS):
        mine = free & (code == k)
        slots[k] = float(prep.room[b][prep.eligible[mine].any(axis=0)].sum())
        lacking[b] = max(0.0, float(mine.sum()) - slots[k])
    ceilings = np.asarray(hours_ceiling(prep.room[BUDGET_HOURS]))
    hours = float(ceilings[prep.eligible[free].any(axis=0)].sum())
    lacking[BUDGET_HOURS] = max(0.0, float(prep.hours[free].sum()) - hours)
    items = np.nonzero(free)[0]
    taken = np.zeros(len(SLOT_BUDGETS))
    held, count = 0.0, 0
    for i in items[np.lexsort((items, prep.hours[items]))].tolist():
        k, h = int(code[i]), float(prep.hours[i])
        if taken[k] + 1 <= slots[k] and held + h <= hours:
            taken[k] += 1
            held += h
            count += 1
    return count, lacking


def _solve(prep: _Prepared, weights: ScoreWeights, deadline: float,
           exact_limit: int) -> _Outcome:
    """Assign the free items of ``prep``; see "Exactness, speed" in the module docstring."""
    n = len(prep.items)
    n_pairs = int(prep.eligible.sum())
    if n_pairs == 0:
        return _Outcome(np.full(n, -1))
    if n_pairs <= exact_limit:
        model = _build_model(prep, weights)
        # A small studio is solved exactly. If that is not proven within part of the
        # budget (hours packed tight make it hard), the large-studio method may do better.
        start = time.monotonic()
        x, bound = _run_in_stages(model, deadline=deadline,
                                  cap=_EXACT_SHARE * max(0.0, deadline - start))
        choice = (_floor(prep, weights) if x is None
                  else _with_floor(prep, weights, _repair(prep, _chosen(model, x, n))))
        exact = _certify(prep, model, choice, bound, weights)
        if exact.placement_gap == 0 and exact.quality_gap <= PROVEN_TOLERANCE:
            return exact
        parts = _solve_parts(prep, weights, deadline)
        return exact if (exact.placed, exact.value) >= (parts.placed, parts.value) else parts
    return _solve_parts(prep, weights, deadline)


def _solve_parts(prep: _Prepared, weights: ScoreWeights, deadline: float) -> _Outcome:
    """The large-studio method: independent budgets apart, each solved its own way."""
    n = len(prep.items)
    # Budgets that share no hours are independent problems: solve them one by one.
    free = np.nonzero(prep.eligible.any(axis=1) & (prep.hours > 0))[0]
    with_hours = {prep.budgets[i] for i in free}
    groups = [sorted(with_hours)] if with_hours else []
    groups += [[b] for b in SLOT_BUDGETS if b not in with_hours]
    choice = np.full(n, -1)
    outcome = _Outcome(choice)
    for group in groups:
        mask = np.array([b in group for b in prep.budgets], dtype=bool)
        part = replace(prep, eligible=prep.eligible & mask[:, None])
        if not part.eligible.any():
            continue
        if with_hours & set(group):
            got = _solve_large(part, weights, deadline)
        else:
            got = _solve_transport(part, weights)
        choice[mask] = got.choice[mask]
        outcome.quality_gap += got.quality_gap
        outcome.placement_gap += got.placement_gap
        outcome.placed += got.placed
        outcome.value += got.value
    return outcome


def _solve_transport(prep: _Prepared, weights: ScoreWeights) -> _Outcome:
    """One slot budget whose items cost no hours: an assignment problem, solved exactly.

    Each person offers one column per slot they have room for, priced at what that slot
    adds to their load penalty (rising, as the penalty is convex, so the cheapest slots
    are used first); each item may also stay unplaced (a free dummy column). A placement
    is worth the bonus plus its quality, so the minimum-cost assignment
    (:func:`scipy.optimize.linear_sum_assignment`) is the lexicographic optimum.
    """
    n = len(prep.items)
    choice = np.full(n, -1)
    rows = np.nonzero(prep.eligible.any(axis=1))[0]
    budget = prep.budgets[int(rows[0])]
    eligible = prep.eligible[rows]
    quality = prep.quality[rows]
    blocks: list[tuple[int, np.ndarray]] = []
    owner: list[int] = []
    max_penalty = 0.0
    for person in np.nonzero(eligible.any(axis=0))[0].tolist():
        room = min(float(prep.room[budget][person]), float(eligible[:, person].sum()))
        marginal = [price for width, price in _tiers(
            float(prep.start_use[budget][person]), room, float(prep.cap[budget][person]),
            True, weights) for _unit in range(round(width))]
        max_penalty += sum(marginal)
        blocks.append((person, np.array(marginal)))
        owner += [person] * len(marginal)
    bonus = 1.0 + float(np.where(eligible, quality, 0.0).max(axis=1).sum()) + max_penalty
    cost = np.zeros((len(rows), len(owner) + len(rows)))  # the last block: stay unplaced
    at = 0
    for person, slot_costs in blocks:
        value = np.where(eligible[:, person], -(bonus + quality[:, person]), np.inf)
        cost[:, at:at + len(slot_costs)] = value[:, None] + slot_costs[None, :]
        at += len(slot_costs)
    picked_rows, picked_cols = linear_sum_assignment(cost)
    placed = picked_cols < len(owner)
    choice[rows[picked_rows[placed]]] = np.array(owner, dtype=int)[picked_cols[placed]]
    # The assignment optimum is the true optimum: nothing to certify beyond that.
    choice = _repair(prep, choice)
    return _Outcome(choice, placed=int((choice >= 0).sum()),
                    value=_value(prep, 0.0, choice, weights))


def _solve_large(prep: _Prepared, weights: ScoreWeights, deadline: float) -> _Outcome:
    """A large problem tied by hours: LP relaxation and MILP, or prices; never below the
    packing floor.

    Up to ``_LP_PAIRS`` pairs, :func:`_solve_lp` (given at most half the time left). If
    that is too large, does not finish, or leaves the count unproven, the priced method
    (:func:`_solve_priced`) runs too. The best assignment found, topped up and compared
    with the packing floor (:func:`_with_floor`), is certified by the best bound found.
    """
    n = len(prep.items)
    model = _build_model(prep, weights)
    if model.nx == 0:
        return _Outcome(np.full(n, -1))
    floor = _floor(prep, weights)
    outcome = _solve_lp(prep, model, weights, deadline) if model.nx <= _LP_PAIRS else None
    if outcome is None or outcome.placement_gap > 0:
        priced = _solve_priced(prep, model, weights, deadline, floor)
        if outcome is None or (priced.placed, priced.value) > (outcome.placed, outcome.value):
            priced.bound = min(priced.bound, outcome.bound if outcome else math.inf)
            outcome = priced
        else:
            outcome.bound = min(priced.bound, outcome.bound)
    choice = _with_floor(prep, weights, outcome.choice, floor, deadline)
    return _certify(prep, model, choice, outcome.bound, weights)


def _solve_lp(prep: _Prepared, model: _Model, weights: ScoreWeights,
              deadline: float) -> _Outcome | None:
    """The LP relaxation, then a MILP for what it leaves open (None if the LP does not
    finish in half the time left).

    1. Solve the LP relaxation. Its duals give an upper bound on the optimum that holds
       for any duals (Lagrangian bound), so the certificate does not rest on the LP
       solver's tolerances.
    2. Keep every placement the LP makes whole (nearly all of them in an assignment
       problem) and solve the leftover items as a MILP over the people the LP shared
       them with and their few best-matched people with room.
    3. Certify the result against the bound. If the count is not proven, re-pack the
       people the LP split items between (free all their placements too) when that
       leftover problem has at most 4,000 pairs, and keep the better.
    """
    nx = model.nx
    budget = min(_LP_SECONDS, _LP_SHARE * max(0.0, deadline - time.monotonic()))
    with _quiet():
        result = linprog(model.cost, A_ub=model.matrix, b_ub=model.row_upper,
                         bounds=np.column_stack([np.zeros(len(model.cost)), model.upper]),
                         method="highs-ds",
                         options={"time_limit": _seconds_left(deadline, budget)})
    if result.status != 0 or result.x is None:
        return None
    duals = np.minimum(0.0, result.ineqlin.marginals)
    reduced = model.cost - model.matrix.T @ duals
    # The bound holds for any duals; with the rows' full hours_fit slack it holds for
    # every assignment hours_fit accepts.
    bound = -(float(model.fit_upper @ duals)
              + float((model.upper * np.minimum(0.0, reduced)).sum()))
    x = result.x[:nx]
    whole = np.nonzero(x > 1 - 1e-7)[0]
    share = x > 1e-7
    support = np.zeros(prep.eligible.shape, dtype=bool)
    support[model.pair_item[share], model.pair_person[share]] = True
    outcome = _finish(prep, model, _leftover(prep, model, whole, support), bound, weights,
                      deadline)
    # If the count is not proven: the items the LP split sit with people whose budgets it
    # packed tightly, so re-pack those people from scratch too (first over the likely
    # pairs only, then over all), as long as the MILP stays small.
    split = np.unique(model.pair_person[share & (x < 1 - 1e-7)])
    kept = whole[~np.isin(model.pair_person[whole], split)]
    for restrict in (support, None):
        if outcome.placement_gap == 0:
            break
        rest = _leftover(prep, model, kept, restrict)
        if int(rest.eligible.sum()) <= _REPACK_LIMIT:
            second = _finish(prep, model, rest, bound, weights, deadline,
                             cap=_REPACK_SECONDS)
            if (second.placed, second.value) > (outcome.placed, outcome.value):
                outcome = second
    return outcome


def _leftover(prep: _Prepared, model: _Model, kept: np.ndarray,
              support: np.ndarray | None) -> _Prepared:
    """``prep`` with the pairs ``kept`` settled and, if ``support`` is given, each
    leftover item limited to the people the LP shared it with and its few best-matched
    people with room (enough in practice, and the result is certified anyway)."""
    rest = prep.settle(dict(zip(model.pair_item[kept].tolist(),
                                model.pair_person[kept].tolist(), strict=True)))
    if support is None:
        return rest
    ranked = np.argsort(-np.where(rest.eligible, rest.quality, -np.inf), axis=1,
                        kind="stable")[:, :_RESIDUAL_PEOPLE]
    likely = support.copy()
    np.put_along_axis(likely, ranked, True, axis=1)
    return replace(rest, eligible=rest.eligible & likely)


def _finish(prep: _Prepared, model: _Model, rest: _Prepared, bound: float,
            weights: ScoreWeights, deadline: float, cap: float = math.inf) -> _Outcome:
    """Solve the leftover problem ``rest`` (node-capped MILP) on top of what it settled."""
    n = len(prep.items)
    choice = np.full(n, -1)
    for i, j in rest.settled.items():
        if i not in prep.settled:
            choice[i] = j
    sub = _build_model(rest, weights)
    if sub.nx:
        x, _bound = _run(sub, deadline=deadline, node_limit=_RESIDUAL_NODES, cap=cap)
        if x is not None:
            extra = _chosen(sub, x, n)
            choice[extra >= 0] = extra[extra >= 0]
    return _certify(prep, model, _repair(prep, choice), bound, weights)


def _repair(prep: _Prepared, choice: np.ndarray) -> np.ndarray:
    """Drop placements that break a limit after rounding (solver tolerances); normally none."""
    order = np.argsort(-prep.quality[np.arange(len(choice)), np.maximum(choice, 0)],
                       kind="stable")
    used = {b: np.zeros(len(prep.people)) for b in (*SLOT_BUDGETS, BUDGET_HOURS)}
    for i in order:
        j = choice[i]
        if j < 0:
            continue
        b = prep.budgets[i]
        if (used[b][j] + 1 > prep.room[b][j]
                or not hours_fit(used[BUDGET_HOURS][j], prep.hours[i],
                                 prep.room[BUDGET_HOURS][j])):
            choice[i] = -1
            continue
        used[b][j] += 1
        used[BUDGET_HOURS][j] += prep.hours[i]
    return choice


def _greedy(prep: _Prepared) -> np.ndarray:
    """A quick baseline: each free item in turn to its best-quality person with room."""
    n, m = prep.quality.shape
    choice = np.full(n, -1)
    used = {b: np.zeros(m) for b in (*SLOT_BUDGETS, BUDGET_HOURS)}
    ranked = np.argsort(-np.where(prep.eligible, prep.quality, -np.inf), axis=1, kind="stable")
    for i in range(n):
        b = prep.budgets[i]
        for j in ranked[i]:
            if not prep.eligible[i, j]:
                break
            if (used[b][j] + 1 <= prep.room[b][j]
                    and hours_fit(used[BUDGET_HOURS][j], prep.hours[i],
                                  prep.room[BUDGET_HOURS][j])):
                choice[i] = j
                used[b][j] += 1
                used[BUDGET_HOURS][j] += prep.hours[i]
                break
    return choice


_PACK_FIT = "fit"
_PACK_BALANCE = "balance"
_PACK_PREFER = "prefer"
_PACK_BEST = "best"


def _pack(prep: _Prepared, start: np.ndarray | None = None, *, mode: str = _PACK_PREFER,
          prefer: np.ndarray | None = None, order: np.ndarray | None = None) -> np.ndarray:
    """Best-fit decreasing: the packing floor, and the top-up of any other assignment.

    The free items not placed in ``start`` (a valid assignment; None = nothing placed)
    go in decreasing order of hours (then by index; or in ``order``, a ranking of all
    items), each to a person it still fits (a free slot of its kind and
    :func:`hours_fit`), chosen by ``mode``:

    * ``"fit"``: the classic best fit: whoever is left with the least room in the budget
      the item stretches most (hours if it costs any, else its slots);
    * ``"balance"``: keeps each person's hours in step with their free slots. A person's
      *spare* hours are their hours left minus what their free slots will need at the
      average hours per free slot of the items still to place; an item heavier than
      that average goes to whoever has the most spare hours, a lighter one to whoever
      has the least (so no one ends with free slots and no hours, or the reverse);
    * ``"prefer"``: to the person the item suits best (``prefer``, default the pair
      quality) among those whose spare hours stay >= 0 with it, else as ``"balance"``;
    * ``"best"``: to the person the item suits best, spare hours or not.

    Ties go to the better match, then to the lower index.
    """
    n, m = prep.quality.shape
    choice = np.full(n, -1) if start is None else start.copy()
    score = prep.quality if prefer is None else prefer
    code = np.array([BUDGETS.index(b) for b in prep.budgets], dtype=int)
    hours_row = BUDGETS.index(BUDGET_HOURS)
    n_slots = len(SLOT_BUDGETS)
    room = np.stack([prep.room[b] for b in BUDGETS])
    used = np.zeros((len(BUDGETS), m))
    held = np.nonzero(choice >= 0)[0]
    np.add.at(used, (code[held], choice[held]), 1.0)
    np.add.at(used[hours_row], choice[held], prep.hours[held])
    todo = np.nonzero(prep.eligible.any(axis=1) & (choice < 0))[0]
    if order is None:
        todo = todo[np.lexsort((todo, -prep.hours[todo]))]
    else:
        todo = order[np.isin(order, todo)]
    still = np.zeros(n_slots)  # hours of the items still to place, per slot kind
    np.add.at(still, code[todo], prep.hours[todo])
    for i in todo.tolist():
        b, h = int(code[i]), float(prep.hours[i])
        still[b] -= h
        ok = prep.eligible[i] & (used[b] + 1 <= room[b]) & hours_fit(
            used[hours_row], h, room[hours_row])
        options = np.nonzero(ok)[0]
        if len(options) == 0:
            continue
        quality = prep.quality[i, options]
        if mode == _PACK_BEST:
            pick = options[np.lexsort((options, -quality, -score[i, options]))[0]]
        elif mode == _PACK_FIT:
            r = hours_row if h > 0 else b
            left = room[r, options] - used[r, options] - (h if h > 0 else 1.0)
            pick = options[np.lexsort((options, -quality, left))[0]]
        else:
            free_slots = np.maximum(0.0, room[:n_slots] - used[:n_slots])
            per_slot = (np.maximum(0.0, still) + h * (np.arange(n_slots) == b)) / np.maximum(
                free_slots.sum(axis=1), 1.0)
            spare = (room[hours_row] - used[hours_row] - per_slot @ free_slots)[options]
            safe = spare - h + per_slot[b] >= 0
            if mode == _PACK_PREFER and safe.any():
                kept = options[safe]
                pick = kept[np.lexsort((kept, -prep.quality[i, kept], -score[i, kept]))[0]]
            else:
                key = -spare if h >= per_slot[b] else spare
                pick = options[np.lexsort((options, -quality, key))[0]]
        choice[i] = pick
        used[b, pick] += 1
        used[hours_row, pick] += h
    return choice


def _make_room(prep: _Prepared, choice: np.ndarray, deadline: float) -> np.ndarray:
    """Place unplaced items by moving one placed item out of the way.

    For each unplaced item (most hours first, at most ``_MAKE_ROOM_ITEMS`` of them, until
    the deadline): a person ``k`` who could take it once one of their items ``e`` goes to
    someone else with room for ``e``; of all such moves the one that loses the least
    quality. Every placement stays within every limit.
    """
    choice = choice.copy()
    m = len(prep.people)
    code = np.array([BUDGETS.index(b) for b in prep.budgets], dtype=int)
    hr = BUDGETS.index(BUDGET_HOURS)
    room = np.stack([prep.room[b] for b in BUDGETS])
    ceiling = np.asarray(hours_ceiling(room[hr]))
    used = np.zeros((len(BUDGETS), m))
    held = np.nonzero(choice >= 0)[0]
    np.add.at(used, (code[held], choice[held]), 1.0)
    np.add.at(used[hr], choice[held], prep.hours[held])
    todo = np.nonzero(prep.eligible.any(axis=1) & (choice < 0))[0]
    todo = todo[np.lexsort((todo, -prep.hours[todo]))][:_MAKE_ROOM_ITEMS]
    for i in todo.tolist():
        if time.monotonic() >= deadline:
            break
        b, h = int(code[i]), float(prep.hours[i])
        held = np.nonzero(choice >= 0)[0]
        k, kind, eh = choice[held], code[held], prep.hours[held]
        # Without e, k has a slot of i's kind and the hours for i.
        frees = (prep.eligible[i, k] & (used[b, k] + 1 - (kind == b) <= room[b, k])
                 & (used[hr, k] - eh + h <= ceiling[k]))
        if not frees.any():
            continue
        sel = np.nonzero(frees)[0]
        e, k, kind, eh = held[sel], k[sel], kind[sel], eh[sel]
        to = (prep.eligible[e] & (used[kind] + 1 <= room[kind])
              & (used[hr][None, :] + eh[:, None] <= ceiling[None, :]))
        to[np.arange(len(e)), k] = False
        if not to.any():
            continue
        gain = np.where(to, prep.quality[e] - prep.quality[e, k][:, None]
                        + prep.quality[i, k][:, None], -np.inf)
        r, p = divmod(int(np.argmax(gain)), m)
        moved, old, kb, hours = int(e[r]), int(k[r]), int(kind[r]), float(eh[r])
        choice[moved] = p
        used[kb, old] -= 1
        used[hr, old] -= hours
        used[kb, p] += 1
        used[hr, p] += hours
        choice[i] = old
        used[b, old] += 1
        used[hr, old] += h
    return choice


def _better(prep: _Prepared, weights: ScoreWeights, first: np.ndarray,
            second: np.ndarray) -> np.ndarray:
    """The better of two assignments by (items placed, value); ``first`` on a tie."""
    a = (int((first >= 0).sum()), _value(prep, 0.0, first, weights))
    b = (int((second >= 0).sum()), _value(prep, 0.0, second, weights))
    return second if b > a else first


def _with_floor(prep: _Prepared, weights: ScoreWeights, choice: np.ndarray,
                floor: np.ndarray | None = None, deadline: float = math.inf) -> np.ndarray:
    """``choice`` topped up (every item that still fits somewhere placed, by
    :func:`_pack`, then by :func:`_make_room`), or the packing floor if that is better:
    never below the floor."""
    if floor is None:
        floor = _floor(prep, weights)
    return _better(prep, weights, _make_room(prep, _pack(prep, choice), deadline), floor)


def _floor(prep: _Prepared, weights: ScoreWeights) -> np.ndarray:
    """The packing floor: ``_pack`` by preference; if that leaves a placeable-looking
    item out, the balanced and the classic best fit too, and both best fits smallest
    item first (which places more items when there is not room for all), and the best
    of them."""
    choice = _pack(prep, mode=_PACK_PREFER)
    if (choice >= 0).sum() < prep.eligible.any(axis=1).sum():
        index = np.arange(len(prep.items))
        rising = index[np.lexsort((index, prep.hours))]
        for mode, order in ((_PACK_BALANCE, None), (_PACK_FIT, None),
                            (_PACK_PREFER, rising), (_PACK_FIT, rising)):
            choice = _better(prep, weights, choice, _pack(prep, mode=mode, order=order))
    return choice


def _penalties(load: np.ndarray, cap: np.ndarray, weights: ScoreWeights) -> np.ndarray:
    """:func:`load_penalty` of :func:`load_fraction` elementwise (same formula)."""
    fraction = load / np.where(cap > 0, cap, 1.0)
    total = np.zeros(np.broadcast(fraction, cap).shape)
    for threshold, slope in weights.load_breakpoints:
        total += slope * np.maximum(0.0, fraction - threshold)
    return weights.load * total


def _improve(prep: _Prepared, choice: np.ndarray, weights: ScoreWeights,
             deadline: float) -> np.ndarray:
    """Local search on the value of a valid assignment: move single items to another
    person with room while that raises ``Q`` (exactly: quality and both people's load
    penalties); never unplaces anything. A fixed number of passes, or the deadline."""
    choice = choice.copy()
    m = len(prep.people)
    code = np.array([BUDGETS.index(b) for b in prep.budgets], dtype=int)
    hr = BUDGETS.index(BUDGET_HOURS)
    cap = np.stack([prep.cap[b] for b in BUDGETS])
    room = np.stack([prep.room[b] for b in BUDGETS])
    start = np.stack([prep.start_use[b] for b in BUDGETS])
    used = np.zeros((len(BUDGETS), m))
    held = np.nonzero(choice >= 0)[0]
    np.add.at(used, (code[held], choice[held]), 1.0)
    np.add.at(used[hr], choice[held], prep.hours[held])
    best_q = np.where(prep.eligible, prep.quality, -np.inf).max(axis=1, initial=-np.inf)

    def change(b: int, j: int, amount: float) -> float:
        """What adding ``amount`` to person ``j``'s budget ``b`` adds to their penalty."""
        load = start[b, j] + used[b, j]
        return (load_penalty(load_fraction(load + amount, cap[b, j]), weights)
                - load_penalty(load_fraction(load, cap[b, j]), weights))

    for _pass in range(_IMPROVE_PASSES):
        if time.monotonic() >= deadline:
            break
        held = np.nonzero(choice >= 0)[0]
        j, b, h = choice[held], code[held], prep.hours[held]
        load = start + used
        relief = (_penalties(load[b, j], cap[b, j], weights)
                  - _penalties(load[b, j] - 1, cap[b, j], weights)
                  + _penalties(load[hr, j], cap[hr, j], weights)
                  - _penalties(load[hr, j] - h, cap[hr, j], weights))
        now = prep.quality[held, j]
        hope = best_q[held] - now + relief > _IMPROVE_MIN  # no move can gain more
        held, j, b, h, relief, now = (a[hope] for a in (held, j, b, h, relief, now))
        if len(held) == 0:
            break
        # Moves worth pricing: allowed, room for it, and a better match than the loss of
        # relief (the added penalty is never negative), priced pair by pair.
        upper = prep.quality[held] - now[:, None] + relief[:, None]
        ok = (prep.eligible[held] & (used[b] + 1 <= room[b])
              & hours_fit(used[hr][None, :], h[:, None], room[hr][None, :])
              & (upper > _IMPROVE_MIN))
        ok[np.arange(len(held)), j] = False
        r, k = np.nonzero(ok)
        if len(r) == 0:
            break
        slot = b[r]
        cost = (_penalties(load[slot, k] + 1, cap[slot, k], weights)
                - _penalties(load[slot, k], cap[slot, k], weights)
                + _penalties(load[hr, k] + h[r], cap[hr, k], weights)
                - _penalties(load[hr, k], cap[hr, k], weights))
        gain = upper[r, k] - cost
        first = np.lexsort((-gain, r))  # by item, the best move first
        keep = np.ones(len(first), dtype=bool)
        keep[1:] = r[first[1:]] != r[first[:-1]]
        pick = first[keep]
        held, j, b = held[r[pick]], j[r[pick]], b[r[pick]]
        target, best = k[pick], gain[pick]
        moved = 0
        for c in np.argsort(-best, kind="stable").tolist():
            if not best[c] > _IMPROVE_MIN:
                break
            i, old, new, bb = int(held[c]), int(j[c]), int(target[c]), int(b[c])
            hi = float(prep.hours[i])
            if not (used[bb, new] + 1 <= room[bb, new]
                    and hours_fit(used[hr, new], hi, room[hr, new])):
                continue
            # Gain: the better match, less what the move adds to the new holder's
            # penalty and takes off the old one's (a change < 0 there).
            exact = (prep.quality[i, new] - prep.quality[i, old] - change(bb, new, 1.0)
                     - change(hr, new, hi) - change(bb, old, -1.0) - change(hr, old, -hi))
            if not exact > _IMPROVE_MIN:
                continue
            choice[i] = new
            used[bb, old] -= 1
            used[hr, old] -= hi
            used[bb, new] += 1
            used[hr, new] += hi
            moved += 1
        if moved == 0:
            break
    return choice


def _pieces(prep: _Prepared, weights: ScoreWeights) -> tuple[np.ndarray, np.ndarray]:
    """Every person's penalty pieces per budget, as in ``_build_model``: widths and
    costs, shaped (budgets, people, most pieces), padded with width 0 and cost inf."""
    m = len(prep.people)
    code = np.array([BUDGETS.index(b) for b in prep.budgets], dtype=int)
    counts = np.zeros((len(BUDGETS), m))
    for k in range(len(SLOT_BUDGETS)):
        counts[k] = prep.eligible[code == k].sum(axis=0)
    found = []
    for k, b in enumerate(BUDGETS):
        for j in range(m):
            room = float(prep.room[b][j])
            if b != BUDGET_HOURS:
                room = min(room, float(counts[k, j]))
            found.append(_tiers(float(prep.start_use[b][j]), room, float(prep.cap[b][j]),
                                b != BUDGET_HOURS, weights))
    most = max((len(p) for p in found), default=0)
    width = np.zeros((len(BUDGETS), m, most))
    cost = np.full((len(BUDGETS), m, most), np.inf)
    for at, pieces in enumerate(found):
        for k, (w, c) in enumerate(pieces):
            width[at // m, at % m, k] = w
            cost[at // m, at % m, k] = c
    return width, cost


def _prices(prep: _Prepared, weights: ScoreWeights, bonus: float, target: float,
            deadline: float) -> tuple[float, np.ndarray]:
    """A Lagrangian bound on the model's objective, and the prices that give it.

    Each person's four budget rows get a price ``v >= 0`` (hours per hour, slots per
    slot). For any prices, each item taking its best priced pair (or none), and each
    penalty piece cheaper than its row's price filled, bounds the model's optimum from
    above. The prices are improved by subgradient steps (Polyak steps towards
    ``target``, the value of a known assignment; hours counted in units of an average
    item's hours, so that slot and hours rows move alike) for a fixed number of steps or
    until the deadline; the best bound and its prices (budgets x people) are returned.
    """
    m = len(prep.people)
    rows = np.nonzero(prep.eligible.any(axis=1))[0]
    code = np.array([BUDGETS.index(b) for b in prep.budgets], dtype=int)[rows]
    hours = prep.hours[rows]
    hr = BUDGETS.index(BUDGET_HOURS)
    base = np.where(prep.eligible[rows], bonus + prep.quality[rows], -np.inf)
    width, cost = _pieces(prep, weights)
    slack = np.zeros((len(BUDGETS), m))
    slack[hr] = hours_slack(prep.room[BUDGET_HOURS])  # what hours_fit lets pass
    unit = np.ones((len(BUDGETS), 1))
    if (hours > 0).any():
        unit[hr] = float(hours[hours > 0].mean())
    prices = np.zeros((len(BUDGETS), m))
    best, best_prices = math.inf, prices
    step, stall = 1.0, 0
    index = np.arange(len(rows))
    for _step in range(_PRICE_STEPS):
        if time.monotonic() >= deadline:
            break
        profit = base - prices[code] - hours[:, None] * prices[hr][None, :]
        pick = profit.argmax(axis=1)
        top = profit[index, pick]
        take = top > 0
        demand = np.zeros_like(prices)
        np.add.at(demand, (code[take], pick[take]), 1.0)
        np.add.at(demand[hr], pick[take], hours[take])
        over = prices[:, :, None] - cost
        supply = np.where(over > 0, width, 0.0).sum(axis=2)
        bound = (float(top[take].sum()) + float((width * np.maximum(over, 0.0)).sum())
                 + float((slack * prices).sum()))
        if bound < best - 1e-9:
            best, best_prices, stall = bound, prices, 0
        else:
            stall += 1
            if stall >= _PRICE_PATIENCE:
                step, stall = step / 2, 0
        direction = (demand - supply - slack) / unit
        norm = float((direction * direction).sum())
        if norm <= 0 or step < 1e-6:
            break
        prices = np.maximum(0.0, prices + step * max(bound - target, 1e-9) / norm
                            * direction / unit)
    return best, best_prices


def _solve_priced(prep: _Prepared, model: _Model, weights: ScoreWeights, deadline: float,
                  floor: np.ndarray) -> _Outcome:
    """The method for problems too large for the LP relaxation within the budget.

    Lagrangian prices on everyone's budgets (:func:`_prices`) give the bound, and
    steer the assignment: each item, the surest first, to the person best for it *at
    those prices* (which trades a little quality for the hours that others need) while
    they have room; what that leaves out is packed again as described below. Local
    search (:func:`_improve`) then raises ``Q``; the better of that and the packing
    floor is certified against the bound.
    """
    code = np.array([BUDGETS.index(b) for b in prep.budgets], dtype=int)
    hr = BUDGETS.index(BUDGET_HOURS)
    placed = int((floor >= 0).sum())
    target = model.bonus * placed + _value(prep, 0.0, floor, weights)
    left = deadline - time.monotonic()
    bound, prices = _prices(prep, weights, model.bonus, target,
                            time.monotonic() + _PRICE_SHARE * left)
    priced = prep.quality - prices[code] - prep.hours[:, None] * prices[hr][None, :]
    # Items whose best priced person is clearly best go first, each to that person
    # while they have room; items the prices leave out (worth less than the bonus they
    # would earn: staying unplaced is their best option) come last, smallest first.
    # If that leaves items out, the items with the least regret (the least to lose by
    # moving) are packed again with them, hours first, a larger share each time.
    index = np.arange(len(prep.items))
    ranked = np.sort(np.where(prep.eligible, priced, -np.inf), axis=1)
    none = -model.bonus  # an unplaced item's priced value, without the bonus
    second = np.maximum(ranked[:, -2] if ranked.shape[1] > 1 else none, none)
    out = ~(ranked[:, -1] > none)
    regret = np.where(out, 0.0, ranked[:, -1] - second)
    order = index[np.lexsort((index, np.where(out, prep.hours, 0.0), -regret, out))]
    first = _pack(prep, mode=_PACK_BEST, prefer=priced, order=order)
    goal = max(placed, int((first >= 0).sum()))
    choice = floor
    for share in _REPACK_SHARES:
        held = first >= 0
        cut = (np.quantile(regret[held], share, method="lower") if share and held.any()
               else -np.inf)
        again = _pack(prep, np.where(held & (regret <= cut), -1, first), prefer=priced)
        if (again >= 0).sum() < goal:
            again = _make_room(prep, again, deadline)
        choice = _better(prep, weights, choice, again) if share else again
        if (choice >= 0).sum() >= goal or time.monotonic() >= deadline:
            break
    choice = _improve(prep, _better(prep, weights, choice, floor), weights, deadline)
    return _certify(prep, model, choice, bound, weights)


# --------------------------------------------------------------------------- entry point


#: The default weights (frozen, so one shared instance is safe as a default argument).
_DEFAULT_WEIGHTS = ScoreWeights()


def propose(candidates: Sequence[Candidate], clients: Sequence[ClientItem],
            projects: Sequence[ProjectItem], *,
            pinned: Mapping[tuple[str, int], int | None] | None = None,
            weights: ScoreWeights = _DEFAULT_WEIGHTS,
            time_limit: float = 10.0, exact_limit: int = 1500) -> Proposal:
    """Propose an Account Manager per client and a Production Manager per project.

    The proposal places as many items as the limits allow and, among those assignments,
    maximises the quality score (see :mod:`studio_desk.core.score`). ``pinned`` maps
    ``("client", id)`` or ``("project", id)`` to the person the user chose (or None to
    leave it empty); pins are honoured even over a limit. ``time_limit`` is the budget in
    seconds for the whole call; ``exact_limit`` the most (person, item) pairs solved as
    one exact MILP. Raises ValueError on malformed input (duplicate ids, out-of-range
    scores, unknown statuses or lead types, pins of unknown items, weekly hours outside
    0-168, slot limits outside 0-100,000, an importance that is not a finite number),
    with one sentence naming the person, client or project and the field.
    """
    pinned = dict(pinned or {})
    prep = _prepare(candidates, clients, projects, pinned, weights)
    outcome = _solve(prep, weights, time.monotonic() + time_limit, exact_limit)
    return _build_proposal(prep, outcome, candidates, clients, projects, weights)


def greedy_proposal(candidates: Sequence[Candidate], clients: Sequence[ClientItem],
                    projects: Sequence[ProjectItem], *,
                    pinned: Mapping[tuple[str, int], int | None] | None = None,
                    weights: ScoreWeights = _DEFAULT_WEIGHTS) -> Proposal:
    """A fast, non-optimal baseline: each item in turn to its best-matched person with room.

    Used as the benchmark's yardstick and to show what the optimiser gains.
    """
    pinned = dict(pinned or {})
    prep = _prepare(candidates, clients, projects, pinned, weights)
    choice = _greedy(prep)
    unplaced = int(prep.eligible.any(axis=1).sum() - (choice >= 0).sum())
    outcome = _Outcome(choice, quality_gap=math.inf, placement_gap=unplaced)
    return _build_proposal(prep, outcome, candidates, clients, projects, weights)


def _build_proposal(prep: _Prepared, outcome: _Outcome, candidates: Sequence[Candidate],
                    clients: Sequence[ClientItem], projects: Sequence[ProjectItem],
                    weights: ScoreWeights) -> Proposal:
    """The rows of the proposal, with their reasons, the shortfall and the certificate."""
    choice = outcome.choice
    n, m = prep.quality.shape
    # Final use of every budget (pins included), for loads, reasons and what is left.
    index = {c.person_id: j for j, c in enumerate(prep.people)}
    use = {b: prep.start_use[b].copy() for b in BUDGETS}
    for i in range(n):
        j = int(choice[i])
        if j >= 0 and i not in prep.pin_person:
            use[prep.budgets[i]][j] += 1
            use[BUDGET_HOURS][j] += prep.hours[i]
    # What is left of the room the free items had (pins came first), for unplaced rows:
    # compared with hours_fit's slack, as everywhere.
    room_left = {b: prep.room[b] - (use[b] - prep.start_use[b]) for b in BUDGETS}

    # The shortfall is what the studio provably lacks: every unplaced item when the count
    # is proven minimal; else the items nobody had room for (or may take) at all, plus
    # what even everyone's rooms pooled cannot hold (see _pooled).
    proven = outcome.placement_gap == 0
    short = [i for i in range(n) if choice[i] < 0 and i not in prep.pin_person
             and (proven or not prep.eligible[i].any())]
    shortfall: dict[str, float] = {b: 0 for b in SLOT_BUDGETS}
    shortfall[BUDGET_HOURS] = 0.0
    for i in short:
        shortfall[prep.budgets[i]] += 1
        shortfall[BUDGET_HOURS] += float(prep.hours[i])
    if not proven:
        for b, amount in _pooled(prep)[1].items():
            shortfall[b] += round(amount) if b != BUDGET_HOURS else amount
    short_set = set(short)

    rows: list[tuple[tuple[int, float, str, int], Placement]] = []
    for i, item in enumerate(prep.items):
        kind, item_id = prep.keys[i]
        is_client = kind == KIND_CLIENT
        previous = item.current_account_manager_id if isinstance(item, ClientItem) \
            else item.current_manager_id
        is_pin = i in prep.pin_person
        if is_pin:
            pid = prep.pin_person[i]
            reason = pinned_reason(prep, i, use, index)
        elif choice[i] >= 0:
            j = int(choice[i])
            pid = prep.people[j].person_id
            reason = placed_reason(prep, i, j, use, weights)
        elif i in short_set:
            pid = None
            reason = unplaced_reason(prep, i, room_left, shortfall)
        else:
            pid = None
            reason = UNPROVEN_REASON
        placement = Placement(
            kind=kind, item_id=item_id, item_name=item.name,
            role=ROLE_ACCOUNT_MANAGER if is_client else ROLE_PRODUCTION_MANAGER,
            person_id=pid, previous_person_id=previous, reason=reason, pinned=is_pin)
        # Output order: clients by importance, then active and back-burner projects.
        if isinstance(item, ClientItem):
            order = (0, -item.importance, item.name.casefold(), item_id)
        else:
            order = (1, 0.0 if item.status == STATUS_ACTIVE else 1.0, item.name.casefold(),
                     item_id)
        rows.append((order, placement))
    rows.sort(key=lambda r: r[0])
    placements = tuple(p for _o, p in rows)
    assignment = {(p.kind, p.item_id): p.person_id for p in placements}
    score = score_of(assignment, candidates, clients, projects, weights)
    unplaced_count = sum(1 for p in placements if p.person_id is None and not p.pinned)
    return Proposal(placements=placements, score=score, unplaced_count=unplaced_count,
                    shortfall=types.MappingProxyType(shortfall),
                    proven_optimal=(outcome.placement_gap == 0
                                    and outcome.quality_gap <= PROVEN_TOLERANCE),
                    quality_gap=outcome.quality_gap, placement_gap=outcome.placement_gap)
