"""Telling the clients: :func:`schedule_plan` spreads the client conversations and the
handovers before the effective date (rules in ``core.schedule``); once the plan is applied
they serve as its checklist (:func:`set_conversation_status`, :func:`plan_progress`,
:func:`plan_handovers`, :func:`set_handover_status`).

Settings, days off and project handovers live in the plan's ``tell_clients`` step (JSON
in the ``plan`` row), not in tables of their own: a new table would raise the schema
number, and every colleague sharing the workspace would have to update Studio Desk
before opening it again. The days off are the studio's: a plan that has none saved
starts from the list the most recently changed plan saved, else from
:func:`core.schedule.common_public_holidays`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from studio_desk.core import schedule as sched
from studio_desk.core.errors import ConflictError, NotFoundError, PlanStateError, ValidationError
from studio_desk.core.rules import name_key
from studio_desk.store.models import Client, Person, Plan, PlanConversation
from studio_desk.store.plans._common import (
    _UNSET,
    STATUS_APPLIED,
    STATUS_DONE,
    _flush,
    _item_rows,
    _mark_step_saved,
    _person_names,
    _plan,
    _plan_row,
    _state,
    _touch,
    _who,
)
from studio_desk.store.plans.proposal import _importance, _read_workspace

CONVERSATION_STATUSES = ("planned", "informed", "settled")
HANDOVER_STATUSES = ("planned", "done")
HANDOVER_CLIENT, HANDOVER_PROJECT = "client", "project"


@dataclass(frozen=True)
class ConversationRow:
    """Telling one client: who, how, when, what to say, and how far it has got."""

    id: int
    version: int
    plan_id: int
    client_id: int
    client: str
    informer_id: int | None
    informer: str | None
    channel: str
    on_date: dt.date | None
    talking_points: str
    handover_from_id: int | None
    handover_from: str | None
    handover_to_id: int | None
    handover_to: str | None
    handover_on: dt.date | None
    status: str

    @property
    def introduces(self) -> str | None:
        """The new Account Manager the informer introduces in this (joint) conversation."""
        if (self.handover_to_id is not None and self.informer_id is not None
                and self.informer_id == self.handover_from_id):
            return self.handover_to
        return None


@dataclass(frozen=True)
class HandoverRow:
    """One handover meeting: the person who knows a client passing it to its new Account
    Manager (``kind`` client; ``subjects`` the clients, told after it), or an outgoing
    Production Manager passing projects to an incoming one (``kind`` project)."""

    key: str
    kind: str
    handover_from: str
    handover_to: str
    on_date: dt.date | None
    subjects: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class PlanSchedule:
    """What :func:`schedule_plan` stored, and whether every client fitted."""

    conversations: tuple[ConversationRow, ...]
    fits: bool
    message: str
    window_start: dt.date
    window_end: dt.date
    handovers: tuple[HandoverRow, ...] = ()


def _conversation_rows(session: Session, plan_id: int,
                       ids: Iterable[int] | None = None) -> list[ConversationRow]:
    names = _person_names(session)
    query = (select(PlanConversation, Client.name)
             .join(Client, PlanConversation.client_id == Client.id)
             .where(PlanConversation.plan_id == plan_id))
    if ids is not None:
        query = query.where(PlanConversation.id.in_(list(ids)))
    query = query.execution_options(populate_existing=True)

    def name(pid: int | None) -> str | None:
        return names.get(pid) if pid is not None else None

    rows = [ConversationRow(
        id=c.id, version=c.version, plan_id=c.plan_id, client_id=c.client_id,
        client=client, informer_id=c.informer_id, informer=name(c.informer_id),
        channel=c.channel, on_date=c.on_date, talking_points=c.talking_points,
        handover_from_id=c.handover_from_id, handover_from=name(c.handover_from_id),
        handover_to_id=c.handover_to_id, handover_to=name(c.handover_to_id),
        handover_on=c.handover_on, status=c.status)
        for c, client in session.execute(query)]
    rows.sort(key=lambda r: (r.on_date is None, r.on_date or dt.date.max,
                             name_key(r.client)))
    return rows


def plan_conversations(session: Session, plan_id: int) -> list[ConversationRow]:
    """The plan's client conversations by date (unscheduled ones last)."""
    _plan(session, plan_id)
    return _conversation_rows(session, plan_id)


def schedule_plan(session: Session, plan_id: int, *, weeks_before: int | None = None,
                  max_per_day: int | None = None, max_per_week: int | None = None,
                  non_working_days: dict[dt.date, str] | None = None,
                  template: str | None = None,
                  templates: dict[str, str | None] | None = None,
                  unchanged: str | None = None,
                  today: dt.date | None = None) -> PlanSchedule:
    """Plan who tells each client, how and when, and the handovers, and store them
    (replacing any earlier schedule).

    Settings not given come from what the plan saved, then from the defaults of
    ``core.schedule``; the ones used are saved back. ``template`` is the text for a new
    Account Manager; ``templates`` gives any outcome's (None: the default). Conversations
    and handovers already marked done keep their status when scheduled again.
    """
    plan = _plan(session, plan_id)
    row = _plan_row(session, plan)
    if plan.effective_date is None:
        raise PlanStateError(f"“{plan.name}” has no effective date yet: set it on the "
                             "first page.")
    items = _item_rows(session, plan_id)
    if not items:
        raise PlanStateError(f"“{plan.name}” has no proposal yet: make one on the Assign "
                             "page first.")
    saved = row.step("tell_clients")
    weeks_before = int(weeks_before if weeks_before is not None
                       else saved.get("weeks_before", sched.DEFAULT_WEEKS_BEFORE))
    max_per_day = int(max_per_day if max_per_day is not None
                      else saved.get("max_per_day", sched.DEFAULT_MAX_PER_DAY))
    max_per_week = int(max_per_week if max_per_week is not None
                       else saved.get("max_per_week", sched.DEFAULT_MAX_PER_WEEK))
    unchanged = str(unchanged if unchanged is not None
                    else saved.get("unchanged", sched.DEFAULT_UNCHANGED))
    if template is None:
        template = saved.get("template") or sched.default_talking_points()
    chosen = dict(saved.get("templates") or {})
    chosen.update(templates or {})
    chosen[sched.OUTCOME_NEW_ACCOUNT_MANAGER] = template
    texts = {o: (chosen.get(o) or sched.default_template(o)) for o in sched.OUTCOMES}
    if non_working_days is None:
        non_working_days = studio_days_off(session, plan_id)
    ws = _read_workspace(session)
    importance = _importance(ws, saved.get("importance", {}))
    names = _person_names(session)
    active = {p.id for p in ws.people if p.active}

    def person(pid: int | None) -> sched.Person | None:
        return sched.Person(pid, names[pid]) if pid is not None and pid in names else None

    def strength(client_id: int, pid: int | None) -> int:
        return max((s for p, s, _ in ws.relationships.get(client_id, ()) if p == pid),
                   default=0)

    projects: dict[int, list[sched.ProjectNotice]] = {}
    former_pms: dict[int, list[int]] = {}
    for item in items:
        if item.project_id is None:
            continue
        projects.setdefault(item.client_id, []).append(sched.ProjectNotice(
            item.project or "", person(item.person_id), person(item.previous_person_id),
            previous_still_here=item.previous_person_id in active))
        if item.previous_person_id in active:
            former_pms.setdefault(item.client_id, []).append(item.previous_person_id)

    def knower(client_id: int, new_id: int | None, previous_id: int | None) -> int | None:
        """The previous Account Manager; else the strongest relationship; else whoever
        ran most of the client's projects (the new Account Manager when they are as
        close as anyone)."""
        if previous_id in active:
            return previous_id
        ties = [(s, p) for p, s, _ in ws.relationships.get(client_id, ())
                if p in active and s > 0]
        if ties:
            best = max(s for s, _ in ties)
            holders = sorted(p for s, p in ties if s == best)
            return new_id if new_id in holders else holders[0]
        ran = former_pms.get(client_id, [])
        if ran:
            most = max(ran.count(p) for p in ran)
            leading = sorted({p for p in ran if ran.count(p) == most})
            return new_id if new_id in leading else leading[0]
        return None

    notices = [sched.ClientNotice(
        client_id=item.client_id, name=item.client,
        importance=importance.get(item.client_id, 0.0),
        account_manager=person(item.person_id),
        previous_account_manager=person(item.previous_person_id),
        account_manager_strength=strength(item.client_id, item.person_id),
        previous_strength=strength(item.client_id, item.previous_person_id),
        previous_still_here=item.previous_person_id in active,
        knower=person(knower(item.client_id, item.person_id, item.previous_person_id)),
        projects=tuple(projects.get(item.client_id, ())))
        for item in items if item.project_id is None]
    result = sched.plan_conversations(
        notices, plan.effective_date, weeks_before=weeks_before, max_per_day=max_per_day,
        max_per_week=max_per_week, non_working_days=non_working_days,
        not_before=today or dt.date.today(), templates=texts, unchanged=unchanged)
    statuses = dict(session.execute(
        select(PlanConversation.client_id, PlanConversation.status)
        .where(PlanConversation.plan_id == plan_id)).all())
    session.execute(delete(PlanConversation).where(PlanConversation.plan_id == plan_id))
    values = [{
        "plan_id": plan_id, "client_id": c.client_id,
        "informer_id": c.informer.id if c.informer else None, "channel": c.channel,
        "on_date": c.on, "talking_points": c.talking_points,
        "handover_from_id": c.handover_from.id if c.handover_from else None,
        "handover_to_id": c.handover_to.id if c.handover_to else None,
        "handover_on": c.handover_on, "status": statuses.get(c.client_id, "planned"),
        "version": 1} for c in result.conversations]
    if values:
        session.execute(insert(PlanConversation), values)
    state = _state(plan)
    step = state["steps"].setdefault("tell_clients", {})
    done = set(step.get("handovers_done") or ())
    # The default texts are not copied in, so a plan follows improvements to them.
    step.update({
        "weeks_before": weeks_before, "max_per_day": max_per_day,
        "max_per_week": max_per_week, "unchanged": unchanged,
        "non_working_days": [[d.isoformat(), n] for d, n in sorted(non_working_days.items())],
        "template": None if template == sched.default_talking_points() else template,
        "templates": {o: (None if texts[o] == sched.default_template(o) else texts[o])
                      for o in sched.OUTCOMES if o != sched.OUTCOME_NEW_ACCOUNT_MANAGER},
        "outcomes": {str(c.client_id): c.outcome for c in result.conversations},
        "project_handovers": [{
            "from": h.handover_from.id, "to": h.handover_to.id,
            "projects": list(h.projects), "on": h.on.isoformat() if h.on else None}
            for h in result.project_handovers],
        "fits": result.fits, "message": result.message})
    plan.state = state
    # Keep the done marks of handovers that are still in the schedule.
    step["handovers_done"] = sorted(done & {h.key for h in _handover_rows(
        session, plan, step)})
    who = _who(session)
    _mark_step_saved(plan, state, "tell_clients", who)
    _touch(plan, who)
    _flush(session, "Someone changed this plan while the schedule was being made.")
    return PlanSchedule(tuple(_conversation_rows(session, plan_id)), result.fits,
                        result.message, result.window_start, result.window_end,
                        tuple(_handover_rows(session, plan, step)))


def studio_days_off(session: Session, plan_id: int) -> dict[dt.date, str]:
    """The days off the plan's schedule skips (see the module docstring): the plan's own
    list, else the one the most recently changed plan saved, else the common public
    holidays from the year before its effective date to the year after."""
    plan = _plan(session, plan_id)
    own = _days_off_of(plan)
    if own is not None:
        return own
    for other in session.scalars(select(Plan).where(Plan.id != plan_id)
                                 .order_by(Plan.updated_at.desc(), Plan.id.desc())):
        found = _days_off_of(other)
        if found is not None:
            return found
    year = (plan.effective_date or dt.date.today()).year
    return sched.common_public_holidays(dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31))


def _tell_step(plan: Plan) -> dict[str, Any]:
    state: dict[str, Any] = dict(plan.state or {})
    steps: dict[str, Any] = state.get("steps") or {}
    step: dict[str, Any] = steps.get("tell_clients") or {}
    return step


def _days_off_of(plan: Plan) -> dict[dt.date, str] | None:
    raw = _tell_step(plan).get("non_working_days")
    if not isinstance(raw, list):
        return None
    days: dict[dt.date, str] = {}
    for entry in raw:
        try:
            days[dt.date.fromisoformat(str(entry[0]))] = str(entry[1])
        except (TypeError, ValueError, IndexError):
            continue
    return days


def _handover_rows(session: Session, plan: Plan,
                   step: dict[str, Any] | None = None) -> list[HandoverRow]:
    step = step if step is not None else _tell_step(plan)
    names = _person_names(session)
    done = set(step.get("handovers_done") or ())
    meetings: dict[tuple[int, int, dt.date | None], list[str]] = {}
    for talk in _conversation_rows(session, plan.id):
        if talk.handover_from_id is None or talk.handover_to_id is None:
            continue
        when = talk.handover_on if talk.on_date else None
        meetings.setdefault((talk.handover_from_id, talk.handover_to_id, when),
                            []).append(talk.client)
    rows = []
    for (old, new, when), clients in meetings.items():
        key = f"client:{old}:{new}:{when.isoformat() if when else '-'}"
        rows.append(HandoverRow(key, HANDOVER_CLIENT, names.get(old, "?"),
                                names.get(new, "?"), when,
                                tuple(sorted(clients, key=name_key)),
                                "done" if key in done else "planned"))
    for entry in step.get("project_handovers") or ():
        old, new = int(entry["from"]), int(entry["to"])
        key = f"project:{old}:{new}"
        when = dt.date.fromisoformat(entry["on"]) if entry.get("on") else None
        rows.append(HandoverRow(key, HANDOVER_PROJECT, names.get(old, "?"),
                                names.get(new, "?"), when,
                                tuple(str(p) for p in entry.get("projects", ())),
                                "done" if key in done else "planned"))
    rows.sort(key=lambda r: (r.on_date is None, r.on_date or dt.date.max, r.kind,
                             name_key(r.handover_from), name_key(r.handover_to)))
    return rows


def plan_handovers(session: Session, plan_id: int) -> list[HandoverRow]:
    """The plan's handover meetings by date (client handovers, then project ones, on
    the same day), each planned or done."""
    return _handover_rows(session, _plan(session, plan_id))


def set_handover_status(session: Session, plan_id: int, key: str,
                        status: str) -> HandoverRow:
    """Mark a handover meeting planned or done (the checklist after apply)."""
    if status not in HANDOVER_STATUSES:
        raise ValidationError({"status": "A handover is planned or done."})
    plan = _plan(session, plan_id)
    rows = {r.key: r for r in _handover_rows(session, plan)}
    if key not in rows:
        raise NotFoundError("That handover is no longer in the plan; the schedule may "
                            "have been made again.")
    state = _state(plan)
    step = state["steps"].setdefault("tell_clients", {})
    done = set(step.get("handovers_done") or ())
    if status == "done":
        done.add(key)
    else:
        done.discard(key)
    step["handovers_done"] = sorted(done)
    plan.state = state
    _touch(plan, _who(session))
    _flush(session, "Someone changed this plan while you were saving it.",
           mine={"status": status})
    return {r.key: r for r in _handover_rows(session, plan)}[key]


def set_conversation_status(session: Session, conversation_id: int, status: str, *,
                            expected_version: int | None = None) -> ConversationRow:
    """Mark a client conversation planned, informed or settled.

    An applied plan whose conversations are all settled becomes done (and applied again
    if one is reopened).
    """
    if status not in CONVERSATION_STATUSES:
        raise ValidationError({"status": "A conversation is planned, informed or settled."})
    conversation = session.get(PlanConversation, conversation_id)
    if conversation is None:
        raise NotFoundError("That conversation is no longer in the plan; the schedule "
                            "may have been made again.")
    if expected_version is not None and conversation.version != expected_version:
        raise ConflictError("Someone updated this conversation while you were looking at "
                            "it.", theirs=_conversation_rows(
                                session, conversation.plan_id, [conversation_id])[0],
                            mine={"status": status})
    conversation.status = status
    plan = _plan(session, conversation.plan_id)
    session.flush()
    if plan.status in (STATUS_APPLIED, STATUS_DONE):
        informed, settled, total = plan_progress(session, plan.id)
        plan.status = STATUS_DONE if total and settled == total else STATUS_APPLIED
    _touch(plan, _who(session))
    _flush(session, "Someone updated this conversation while you were saving it.",
           mine={"status": status})
    return _conversation_rows(session, plan.id, [conversation_id])[0]


def update_conversation(session: Session, conversation_id: int, expected_version: int, *,
                        informer_id: int | None = _UNSET, channel: str = _UNSET,
                        on_date: dt.date | None = _UNSET,
                        talking_points: str = _UNSET) -> ConversationRow:
    """Change who informs a client, how, when, or what they say (the wizard's edits).

    Refuses (:class:`ConflictError`) a conversation changed since it was loaded; the
    next :func:`schedule_plan` replaces these edits with a fresh schedule.
    """
    mine = {k: v for k, v in (("informer_id", informer_id), ("channel", channel),
                              ("on_date", on_date), ("talking_points", talking_points))
            if v is not _UNSET}
    conversation = session.get(PlanConversation, conversation_id)
    if conversation is None:
        raise ConflictError("That conversation is no longer in the plan; the schedule "
                            "may have been made again.", theirs=None, mine=mine)
    if conversation.version != expected_version:
        raise ConflictError("Someone changed this conversation while you were editing it.",
                            theirs=_conversation_rows(session, conversation.plan_id,
                                                      [conversation_id])[0], mine=mine)
    if informer_id is not _UNSET:
        if informer_id is not None:
            person = session.get(Person, informer_id)
            if person is None or not person.active:
                raise ValidationError({"informer": "Choose someone who is still with the "
                                                   "studio to inform the client."})
        conversation.informer_id = informer_id
    if channel is not _UNSET:
        if channel not in sched.CHANNELS:
            raise ValidationError({"channel": "A client is told in a meeting, a call or an "
                                              "email."})
        conversation.channel = channel
    if on_date is not _UNSET:
        effective = _plan(session, conversation.plan_id).effective_date
        if on_date is not None and effective is not None and on_date >= effective:
            raise ValidationError({"on_date": "Tell the client before the change takes "
                                              f"effect (before {effective.isoformat()})."})
        _refuse_before_handover(session, conversation, on_date)
        conversation.on_date = on_date
    if talking_points is not _UNSET:
        if len(talking_points) > 100_000:
            raise ValidationError({"talking_points": "The talking points are too long "
                                                     "(at most 100,000 characters)."})
        conversation.talking_points = talking_points
    _touch(_plan(session, conversation.plan_id), _who(session))
    _flush(session, "Someone changed this conversation while you were saving it.",
           mine=mine)
    return _conversation_rows(session, conversation.plan_id, [conversation_id])[0]


def _refuse_before_handover(session: Session, conversation: PlanConversation,
                            on_date: dt.date | None) -> None:
    """A joint conversation introduces the new Account Manager, so it comes after the
    two have met to hand the client over, never on or before that day."""
    handover_on = conversation.handover_on
    if on_date is None or handover_on is None or on_date > handover_on:
        return
    names = _person_names(session)
    client = session.get(Client, conversation.client_id)
    raise ValidationError({"on_date": (
        f"Tell {client.name if client else 'the client'} after "
        f"{names.get(conversation.handover_from_id or 0, 'the previous contact')}'s "
        f"handover to {names.get(conversation.handover_to_id or 0, 'the new Account Manager')}"
        f" on {sched.long_date(handover_on)}, or make the schedule again to move both.")})


def plan_progress(session: Session, plan_id: int) -> tuple[int, int, int]:
    """``(informed, settled, total)`` client conversations; a settled client counts as
    informed too, so "7 of 12 clients informed" reads ``informed`` of ``total``."""
    counts = dict(session.execute(
        select(PlanConversation.status, func.count())
        .where(PlanConversation.plan_id == plan_id)
        .group_by(PlanConversation.status)).all())
    settled = counts.get("settled", 0)
    informed = counts.get("informed", 0) + settled
    return informed, settled, sum(counts.values())
