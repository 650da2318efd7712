"""Two plans side by side: who takes each role in one and in the other, each person's
load with either, and how well each plan did (``studio-desk plan compare``, the Plans
page's Compare…)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from studio_desk.core.capacity import Capacity
from studio_desk.core.catalog import ROLE_NAMES
from studio_desk.core.rules import name_key
from studio_desk.store.plans._common import PlanItemRow, PlanRow, _item_rows, _plan, _plan_row
from studio_desk.store.plans.proposal import capacity_before_after

#: Columns of ``studio-desk plan compare --csv``, in order.
PLAN_COMPARE_COLUMNS = ("client", "project", "role", "person_a", "person_b", "differs")


@dataclass(frozen=True)
class ComparedRow:
    """One role in either plan: who takes it in A and in B (None: no one)."""

    client: str
    project: str | None
    role: str  # "account_manager" or "production_manager"
    person_a: str | None
    person_b: str | None
    in_a: bool = True  # False: plan A has no row for it (the studio changed in between)
    in_b: bool = True

    @property
    def differs(self) -> bool:
        return self.person_a != self.person_b or self.in_a != self.in_b

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


@dataclass(frozen=True)
class PlanSide:
    """One plan of a comparison: how many roles it fills, and its proposal's score."""

    plan: PlanRow
    roles: int
    placed: int
    score: float | None  # None: never proposed
    unplaced: int | None


@dataclass(frozen=True)
class CapacityPair:
    """One person's load with plan A and with plan B (None: not counted there)."""

    person: str
    a: Capacity | None
    b: Capacity | None


@dataclass(frozen=True)
class PlanComparison:
    a: PlanSide
    b: PlanSide
    rows: tuple[ComparedRow, ...]
    capacity: tuple[CapacityPair, ...]

    @property
    def differing(self) -> tuple[ComparedRow, ...]:
        return tuple(r for r in self.rows if r.differs)

    @property
    def summary(self) -> str:
        """E.g. "12 of 48 roles differ; “A” places 36, “B” places 48"."""
        total = len(self.rows)
        return (f"{len(self.differing)} of {total} role{'' if total == 1 else 's'} "
                f"differ{'s' if total == 1 else ''}; “{self.a.plan.name}” places "
                f"{self.a.placed}, “{self.b.plan.name}” places {self.b.placed}")


def _key(item: PlanItemRow) -> tuple[str, int, int | None]:
    return item.role, item.client_id, item.project_id


def _side(plan: PlanRow, items: list[PlanItemRow]) -> PlanSide:
    proposal = plan.proposal or {}
    score = proposal.get("score")
    unplaced = proposal.get("unplaced")
    return PlanSide(plan=plan, roles=len(items),
                    placed=sum(1 for i in items if i.person_id is not None),
                    score=float(score) if score is not None else None,
                    unplaced=int(unplaced) if unplaced is not None else None)


def compare_plans(session: Session, a_id: int, b_id: int, *,
                  today: dt.date | None = None) -> PlanComparison:
    """Plans ``a_id`` and ``b_id`` row by row (by client, then project), with each
    person's load after either (``capacity_before_after``'s "after") and each plan's
    proposal summary. A role only one plan has (a project added after the other was
    proposed) counts as differing."""
    plan_a, plan_b = _plan_row(session, _plan(session, a_id)), _plan_row(session,
                                                                       _plan(session, b_id))
    items_a, items_b = _item_rows(session, a_id), _item_rows(session, b_id)
    by_a = {_key(i): i for i in items_a}
    by_b = {_key(i): i for i in items_b}
    rows = []
    for key in {**by_a, **by_b}:
        one, other = by_a.get(key), by_b.get(key)
        shown = one or other
        assert shown is not None
        rows.append(ComparedRow(
            client=shown.client, project=shown.project, role=shown.role,
            person_a=one.person if one else None, person_b=other.person if other else None,
            in_a=one is not None, in_b=other is not None))
    rows.sort(key=lambda r: (name_key(r.client), r.project is not None,
                             name_key(r.project or "")))
    after_a = {c.person: c for c in capacity_before_after(session, a_id, today=today)[1]}
    after_b = {c.person: c for c in capacity_before_after(session, b_id, today=today)[1]}
    people = sorted({*after_a, *after_b}, key=name_key)
    return PlanComparison(
        a=_side(plan_a, items_a), b=_side(plan_b, items_b), rows=tuple(rows),
        capacity=tuple(CapacityPair(p, after_a.get(p), after_b.get(p)) for p in people))


def comparison_rows_for_csv(comparison: PlanComparison) -> list[dict[str, str]]:
    """Every row of ``comparison`` as ``plan compare --csv`` writes it
    (keys: :data:`PLAN_COMPARE_COLUMNS`)."""
    return [{"client": r.client, "project": r.project or "", "role": r.role_name,
             "person_a": r.person_a or "", "person_b": r.person_b or "",
             "differs": "yes" if r.differs else "no"} for r in comparison.rows]
