"""Telling the clients: :func:`schedule_plan` spreads the client conversations before the
effective date (rules in ``core.schedule``); once the plan is applied they serve as its
checklist (:func:`set_conversation_status`, :func:`plan_progress`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from studio_desk.core import schedule as sched
from studio_desk.core.errors import ConflictError, NotFoundError, PlanStateError, ValidationError
from studio_desk.core.rules import name_key
from studio_desk.store.models import Client, Person, PlanConversation
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


@dataclass(frozen=True)
class PlanSchedule:
    """What :func:`schedule_plan` stored, and whether every client fitted."""

    conversations: tuple[ConversationRow, ...]
    fits: bool
    message: str
    window_start: dt.date
    window_end: dt.date


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
                  max_per_day: int | None = None, template: str | None = None,
                  today: dt.date | None = None) -> PlanSchedule:
    """Plan who tells each client, how and when, and store it (replacing any earlier one).

    Settings not given come from what the plan saved, then from the defaults of
    ``core.schedule``; the ones used are saved back. Conversations already marked
    informed or settled keep their status when the same client is scheduled again.
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
    if template is None:
        template = saved.get("template") or sched.default_talking_points()
    ws = _read_workspace(session)
    importance = _importance(ws, saved.get("importance", {}))
    names = _person_names(session)
    active = {p.id for p in ws.people if p.active}

    def person(pid: int | None) -> sched.Person | None:
        return sched.Person(pid, names[pid]) if pid is not None and pid in names else None

    def strength(client_id: int, pid: int | None) -> int:
        return max((s for p, s, _ in ws.relationships.get(client_id, ()) if p == pid),
                   default=0)

    pms: dict[int, list[tuple[str, str]]] = {}
    for item in items:
        if item.project_id is not None and item.person is not None:
            pms.setdefault(item.client_id, []).append((item.person, item.project or ""))
    notices = [sched.ClientNotice(
        client_id=item.client_id, name=item.client,
        importance=importance.get(item.client_id, 0.0),
        account_manager=person(item.person_id),
        previous_account_manager=person(item.previous_person_id),
        account_manager_strength=strength(item.client_id, item.person_id),
        previous_strength=strength(item.client_id, item.previous_person_id),
        previous_still_here=item.previous_person_id in active,
        production_managers=tuple(pms.get(item.client_id, ())))
        for item in items if item.project_id is None]
    result = sched.plan_conversations(
        notices, plan.effective_date, weeks_before=weeks_before, max_per_day=max_per_day,
        not_before=today or dt.date.today(), template=template)
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
    # The default text is not copied in, so a plan follows improvements to it.
    step.update({"weeks_before": weeks_before, "max_per_day": max_per_day,
                 "template": None if template == sched.default_talking_points()
                 else template, "fits": result.fits, "message": result.message})
    who = _who(session)
    _mark_step_saved(plan, state, "tell_clients", who)
    _touch(plan, who)
    _flush(session, "Someone changed this plan while the schedule was being made.")
    return PlanSchedule(tuple(_conversation_rows(session, plan_id)), result.fits,
                        result.message, result.window_start, result.window_end)


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
