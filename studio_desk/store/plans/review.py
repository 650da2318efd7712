"""Reviewing an applied plan: "ask me again in six months".

An applied plan carries a review date: :data:`REVIEW_MONTHS` months after its effective
date unless someone chose another (:func:`set_review_date`, kept in the plan's state as
``state["review_date"]``, ISO text). Once it has come, the plan is *due for review*
(:func:`plans_due_for_review`: the dashboard's reminder) and :func:`plan_review` says how
the studio has moved since: per client and per project of the plan, the person the plan
set and the person holding the role on the day of the review (``store.holders``), and per
person what the plan gave them beside what they hold that day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from studio_desk.core.catalog import ROLE_NAMES
from studio_desk.core.errors import PlanStateError
from studio_desk.core.rules import name_key
from studio_desk.store.plans._common import (
    REVIEW_DATE,
    STATUS_APPLIED,
    STATUS_DONE,
    PlanRow,
    _flush,
    _item_rows,
    _person_names,
    _plan,
    _plan_row,
    _state,
    _touch,
    _who,
)
from studio_desk.store.plans.proposal import _read_workspace
from studio_desk.store.plans.state import list_plans

#: An applied plan's review comes this many months after its effective date by default.
REVIEW_MONTHS = 6
_REVIEWED = (STATUS_APPLIED, STATUS_DONE)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on, the day kept within the month
    (31 August + 6 months = 28 February, or 29 in a leap year)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_date(plan: PlanRow) -> dt.date | None:
    """When ``plan`` is due for its review: the date chosen for it, else
    :data:`REVIEW_MONTHS` months after its effective date. None for a draft (or an
    applied plan without an effective date, which apply does not allow)."""
    if plan.status not in _REVIEWED:
        return None
    if plan.review_on is not None:
        return plan.review_on
    if plan.effective_date is None:
        return None
    return add_months(plan.effective_date, REVIEW_MONTHS)


def set_review_date(session: Session, plan_id: int, day: dt.date | None) -> PlanRow:
    """Choose when the applied plan ``plan_id`` is due for review (None: back to the
    default, :data:`REVIEW_MONTHS` months after its effective date). A draft has no
    review yet (:class:`PlanStateError`)."""
    plan = _plan(session, plan_id)
    if plan.status not in _REVIEWED:
        raise PlanStateError(f"“{plan.name}” is not applied yet, so it has no review "
                             "date; apply it first.")
    state = _state(plan)
    if day is None:
        state.pop(REVIEW_DATE, None)
    else:
        state[REVIEW_DATE] = day.isoformat()
    plan.state = state
    _touch(plan, _who(session))
    _flush(session, "Someone changed this plan while you were setting its review date.",
           mine={"review_date": day})
    return _plan_row(session, plan)


def plans_due_for_review(session: Session, today: dt.date | None = None) -> list[PlanRow]:
    """Applied (and done) plans whose review date is on or before ``today`` (default:
    the computer's date), the longest due first."""
    today = today or dt.date.today()
    due = []
    for plan in list_plans(session):
        when = review_date(plan)
        if when is not None and when <= today:
            due.append((when, name_key(plan.name), plan))
    due.sort(key=lambda found: (found[0], found[1]))
    return [plan for _when, _key, plan in due]


@dataclass(frozen=True)
class ReviewedRole:
    """One role of the plan: who the plan set, and who holds it on the review's day
    (None: nobody)."""

    client: str
    project: str | None
    role: str  # "account_manager" or "production_manager"
    planned: str | None
    now: str | None
    planned_id: int | None
    now_id: int | None

    @property
    def differs(self) -> bool:
        return self.planned_id != self.now_id

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


@dataclass(frozen=True)
class Holdings:
    """How many clients, active and back-burner projects someone holds."""

    clients: int = 0
    active: int = 0
    backburner: int = 0

    def text(self) -> str:
        """E.g. "2 clients, 1 active, 0 back-burner"."""
        return (f"{self.clients} client{'' if self.clients == 1 else 's'}, "
                f"{self.active} active, {self.backburner} back-burner")


@dataclass(frozen=True)
class ReviewedPerson:
    """What the plan gave someone beside what they hold on the review's day."""

    person: str
    planned: Holdings
    now: Holdings

    @property
    def differs(self) -> bool:
        return self.planned != self.now


@dataclass(frozen=True)
class PlanReview:
    """An applied plan beside the studio on ``as_of`` (see :func:`plan_review`)."""

    plan: PlanRow
    review_date: dt.date | None
    as_of: dt.date
    rows: tuple[ReviewedRole, ...]
    people: tuple[ReviewedPerson, ...]

    @property
    def changed(self) -> tuple[ReviewedRole, ...]:
        """The roles held by someone else now than the plan set."""
        return tuple(r for r in self.rows if r.differs)

    @property
    def summary(self) -> str:
        """E.g. "4 of 48 roles have changed hands since the plan"."""
        changed, total = len(self.changed), len(self.rows)
        return (f"{changed} of {total} role{'' if total == 1 else 's'} "
                f"{'has' if changed == 1 else 'have'} changed hands since the plan")


def plan_review(session: Session, plan_id: int, today: dt.date | None = None) -> PlanReview:
    """The applied plan ``plan_id`` beside the studio on ``today`` (default: the
    computer's date): per client and project of the plan, the person it set and the one
    holding the role (``store.holders``, as the proposal reads them); per person, the
    clients and the active and back-burner projects the plan gave them beside those they
    hold. Projects are counted by their status on that day (a project closed since
    counts in neither). Refuses a draft (:class:`PlanStateError`)."""
    today = today or dt.date.today()
    plan = _plan(session, plan_id)
    if plan.status not in _REVIEWED:
        raise PlanStateError(f"“{plan.name}” is not applied yet: there is nothing to "
                             "review; apply it first.")
    row = _plan_row(session, plan)
    items = _item_rows(session, plan_id)
    ws = _read_workspace(session, today)
    names = _person_names(session)
    status = {p.id: p.status for p in ws.projects}
    rows = []
    planned: dict[int, list[int]] = {}
    for item in items:
        now_id = ws.holder_of(item)
        rows.append(ReviewedRole(
            client=item.client, project=item.project, role=item.role,
            planned=item.person, now=names.get(now_id) if now_id is not None else None,
            planned_id=item.person_id, now_id=now_id))
        if item.person_id is not None:
            _count(planned, item.person_id, item.project_id, status)
    now: dict[int, list[int]] = {}
    for person_id, _since in ws.current_am.values():
        _count(now, person_id, None, status)
    for project_id, manager_id in ws.current_pm.items():
        if manager_id is not None and project_id in status:
            _count(now, manager_id, project_id, status)
    people = [ReviewedPerson(names.get(pid, "?"), Holdings(*planned.get(pid, (0, 0, 0))),
                             Holdings(*now.get(pid, (0, 0, 0))))
              for pid in {*planned, *now}]
    people.sort(key=lambda p: name_key(p.person))
    return PlanReview(row, review_date(row), today, tuple(rows), tuple(people))


def _count(counts: dict[int, list[int]], person_id: int, project_id: int | None,
           status: dict[int, str]) -> None:
    """Add one client (``project_id`` None) or one project, by its status, to
    ``person_id``'s [clients, active, back-burner]."""
    found = counts.setdefault(person_id, [0, 0, 0])
    if project_id is None:
        found[0] += 1
    elif status.get(project_id) == "active":
        found[1] += 1
    elif status.get(project_id) == "back-burner":
        found[2] += 1
