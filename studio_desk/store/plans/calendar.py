"""A plan's schedule as an iCalendar file (RFC 5545), to import into any calendar app.

One all-day event per client conversation and per handover meeting that has a date
(``DTSTART`` the day, ``DTEND`` the next day, as RFC 5545 writes a one-day event);
items still without a date are left out and counted in :class:`CalendarSummary`.

Choices a reader of the file relies on:

* ``UID`` stays the same from one export to the next, so importing the file again
  updates the events instead of adding copies: ``plan-<id>.<created>-<kind>-<key>@studio-desk``
  with the plan's creation time (so plan 3 of one workspace is not plan 3 of another).
  A conversation is keyed by its *client* (one per client in a plan), not by its row id,
  because making the schedule again replaces the rows; a handover by its key in
  ``plans.schedule`` (the two people, and the day for a client handover).
* ``ATTENDEE`` lists only people with an email address (``mailto:``, ``CN`` their name):
  an attendee without an address is no address at all, and calendar apps show such
  entries as broken or try to invite them. Everyone taking part, with or without an
  address, is named in the ``DESCRIPTION`` ("Taking part: ..."). The client's contact
  attends a client conversation when the client has a contact email.
* ``DTSTAMP`` is when the plan was last changed (RFC 5545's meaning for a file without
  ``METHOD``), so exporting an unchanged plan twice gives the same bytes.
* The events are marked free time (``TRANSP:TRANSPARENT``): a day's conversation is an
  hour, not the whole day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import select
from sqlalchemy.orm import Session

from studio_desk import APP_ID, APP_NAME, __version__
from studio_desk.core import schedule as sched
from studio_desk.core.errors import PlanStateError
from studio_desk.core.safe_files import write_bytes_atomically
from studio_desk.store.models import Client, Person
from studio_desk.store.plans._common import PlanItemRow, _item_rows, _plan
from studio_desk.store.plans.schedule import (
    HANDOVER_CLIENT,
    ConversationRow,
    HandoverRow,
    _conversation_rows,
    _handover_rows,
    _tell_step,
)

#: How each channel reads in "Sam Lee tells Acme Ltd on a call".
_CHANNEL_WORDS = {sched.CHANNEL_MEETING: "in a meeting", sched.CHANNEL_CALL: "on a call",
                  sched.CHANNEL_EMAIL: "by email"}
#: An address a calendar app can use: no spaces or angle brackets, one ``@``.
_EMAIL = re.compile(r"[^\s@<>\"]+@[^\s@<>\"]+")
#: A summary names this many clients or projects of a handover, else counts them.
_NAMED_IN_SUMMARY = 3


@dataclass(frozen=True)
class CalendarSummary:
    """What an export wrote: the events, and the items left out for want of a date."""

    conversations: int
    handovers: int
    undated_conversations: int = 0
    undated_handovers: int = 0

    @property
    def events(self) -> int:
        return self.conversations + self.handovers

    def text(self) -> str:
        """``14 conversations and 9 handover meetings`` (with what was left out), to
        finish a sentence such as ``acme.ics: ….``"""
        said = (f"{_plural(self.conversations, 'conversation')} and "
                f"{_plural(self.handovers, 'handover meeting')}")
        left: list[str] = []
        if self.undated_conversations:
            left.append(_plural(self.undated_conversations, "conversation"))
        if self.undated_handovers:
            left.append(_plural(self.undated_handovers, "handover meeting"))
        if left:
            said += f" ({' and '.join(left)} without a date left out)"
        return said


@dataclass(frozen=True)
class _Someone:
    """A person taking part: their name, and their email when it is usable."""

    name: str
    email: str | None


def plan_calendar(session: Session, plan_id: int) -> bytes:
    """The plan's client conversations and handover meetings as an iCalendar file.

    Raises :class:`PlanStateError` when the plan has no schedule yet.
    """
    calendar, _summary = _build(session, plan_id)
    return bytes(calendar.to_ical())


def write_plan_calendar(session: Session, plan_id: int,
                        path: Path | str) -> CalendarSummary:
    """Write :func:`plan_calendar` to ``path``, whole or not at all (an existing file is
    replaced only once the new one is complete), and say what it holds."""
    calendar, summary = _build(session, plan_id)
    _write_whole(Path(path), bytes(calendar.to_ical()))
    return summary


# --------------------------------------------------------------------------- building

def _build(session: Session, plan_id: int) -> tuple[Calendar, CalendarSummary]:
    plan = _plan(session, plan_id)
    talks = _conversation_rows(session, plan_id)
    handovers = _handover_rows(session, plan)
    if not talks and not handovers:
        raise PlanStateError(f"“{plan.name}” has no schedule yet: schedule the client "
                             "conversations on the wizard's “Tell the clients” page first.")
    people = {pid: _Someone(name, _usable_email(email)) for pid, name, email in
              session.execute(select(Person.id, Person.name, Person.email))}
    contacts = {cid: (name, _usable_email(email)) for cid, name, email in session.execute(
        select(Client.id, Client.contact_name, Client.contact_email)
        .where(Client.id.in_({t.client_id for t in talks})))}
    raw_outcomes = _tell_step(plan).get("outcomes")
    outcomes = {str(k): str(v) for k, v in raw_outcomes.items()} \
        if isinstance(raw_outcomes, dict) else {}
    items = _item_rows(session, plan_id)
    stamp = plan.updated_at.replace(tzinfo=dt.UTC)
    uid_base = f"plan-{plan.id}.{plan.created_at:%Y%m%dT%H%M%S}"

    calendar = Calendar()
    calendar.add("prodid", f"-//{APP_NAME}//{APP_NAME} {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{plan.name}: telling the clients")
    events: list[tuple[dt.date, int, str, Event]] = []
    used_uids: set[str] = set()

    def unique(uid: str, fallback: str) -> str:
        # One conversation per client is what scheduling makes; should a plan ever hold
        # two, the row id keeps their events apart.
        uid = uid if uid not in used_uids else fallback
        used_uids.add(uid)
        return uid

    for talk in talks:
        if talk.on_date is None:
            continue
        uid = unique(f"{uid_base}-conversation-{talk.client_id}@{APP_ID}",
                     f"{uid_base}-conversation-{talk.client_id}.{talk.id}@{APP_ID}")
        event = _conversation_event(
            talk, uid, stamp, people, contacts.get(talk.client_id, (None, None)),
            outcomes.get(str(talk.client_id)), items, plan.effective_date)
        events.append((talk.on_date, 1, uid, event))
    for handover in handovers:
        if handover.on_date is None:
            continue
        uid = unique(f"{uid_base}-handover-{_uid_part(handover.key)}@{APP_ID}",
                     f"{uid_base}-handover-{_uid_part(handover.key)}.{len(used_uids)}"
                     f"@{APP_ID}")
        events.append((handover.on_date, 0, uid,
                       _handover_event(handover, uid, stamp, people, plan.effective_date)))
    # By day; on a day, the internal handovers before the client conversations.
    for _day, _order, _uid, event in sorted(events, key=lambda e: e[:3]):
        calendar.add_component(event)
    summary = CalendarSummary(
        conversations=sum(1 for t in talks if t.on_date is not None),
        handovers=sum(1 for h in handovers if h.on_date is not None),
        undated_conversations=sum(1 for t in talks if t.on_date is None),
        undated_handovers=sum(1 for h in handovers if h.on_date is None))
    return calendar, summary


def _conversation_event(talk: ConversationRow, uid: str, stamp: dt.datetime,
                        people: dict[int, _Someone],
                        contact: tuple[str | None, str | None], outcome: str | None,
                        items: Sequence[PlanItemRow],
                        effective: dt.date | None) -> Event:
    assert talk.on_date is not None
    informer = people.get(talk.informer_id) if talk.informer_id is not None else None
    introduced = (people.get(talk.handover_to_id)
                  if talk.introduces is not None and talk.handover_to_id is not None
                  else None)
    event = _all_day_event(uid, stamp, talk.on_date,
                           f"Tell {talk.client}: {_what_changes(talk, outcome, items)}",
                           "Client conversation")
    attending = [p for p in (informer, introduced) if p is not None]
    for person, role in ((informer, "CHAIR"), (introduced, "REQ-PARTICIPANT")):
        if person is not None and person.email:
            event.add("attendee", _attendee(person.email, person.name, role))
    contact_name, contact_email = contact
    if contact_email:
        event.add("attendee", _attendee(contact_email, contact_name or talk.client,
                                        "REQ-PARTICIPANT"))
    lines = []
    how = _CHANNEL_WORDS.get(talk.channel, f"by {talk.channel}")
    if talk.informer:
        lines.append(f"{talk.informer} tells {talk.client} {how}"
                     + (f", introducing {talk.introduces}." if talk.introduces else "."))
    else:
        lines.append(f"{talk.client} is told {how}; no one is chosen to tell them yet.")
    if talk.handover_from and talk.handover_to and talk.handover_on:
        lines.append(f"After {talk.handover_from} hands the client over to "
                     f"{talk.handover_to} on {sched.long_date(talk.handover_on)}.")
    if effective is not None:
        lines.append(f"The change takes effect on {sched.long_date(effective)}.")
    taking_part = [p.name for p in attending]
    if contact_name or contact_email:
        taking_part.append(f"{contact_name or contact_email} ({talk.client})")
    if taking_part:
        lines.append(f"Taking part: {_and(taking_part)}.")
    text = "\n".join(lines)
    if talk.talking_points.strip():
        text += "\n\nTalking points\n\n" + talk.talking_points.strip()
    event.add("description", text)
    return event


def _handover_event(handover: HandoverRow, uid: str, stamp: dt.datetime,
                    people: dict[int, _Someone], effective: dt.date | None) -> Event:
    assert handover.on_date is not None
    who = f"{handover.handover_from} → {handover.handover_to}"
    if handover.kind == HANDOVER_CLIENT:
        summary = f"Handover: {who} ({_named_or_counted(handover.subjects, 'client')})"
        text = (f"{handover.handover_from} hands "
                f"{_plural(len(handover.subjects), 'client')} over to "
                f"{handover.handover_to}, who is then introduced to each.")
        category = "Client handover"
    else:
        summary = (f"Project handover: {_named_or_counted(handover.subjects, 'project')}, "
                   f"{who}")
        text = (f"{handover.handover_from} hands "
                f"{_plural(len(handover.subjects), 'project')} over to "
                f"{handover.handover_to}"
                + (f" before the change on {sched.long_date(effective)}."
                   if effective is not None else "."))
        category = "Project handover"
    event = _all_day_event(uid, stamp, handover.on_date, summary, category)
    for pid in _handover_people(handover.key):
        person = people.get(pid)
        if person is not None and person.email:
            event.add("attendee", _attendee(person.email, person.name, "REQ-PARTICIPANT"))
    text += f"\nTaking part: {handover.handover_from} and {handover.handover_to}."
    if handover.subjects:
        text += "\n\n" + "\n".join(f"- {s}" for s in handover.subjects)
    event.add("description", text)
    return event


def _all_day_event(uid: str, stamp: dt.datetime, day: dt.date, summary: str,
                   category: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("categories", [category])
    event.add("transp", "TRANSPARENT")
    return event


def _attendee(email: str, name: str, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    address.params["cutype"] = vText("INDIVIDUAL")
    address.params["role"] = vText(role)
    return address


def _what_changes(talk: ConversationRow, outcome: str | None,
                  items: Sequence[PlanItemRow]) -> str:
    """``Pat Rivera becomes Account Manager``: what the client hears, in a few words."""
    account_manager = next((i.person for i in items if i.client_id == talk.client_id
                            and i.project_id is None and i.person), None) \
        or talk.handover_to
    if outcome is None:  # a schedule made before outcomes were kept
        outcome = sched.OUTCOME_NEW_ACCOUNT_MANAGER if talk.handover_to else ""
    if outcome == sched.OUTCOME_NEW_ACCOUNT_MANAGER and account_manager:
        return f"{account_manager} becomes Account Manager"
    if outcome == sched.OUTCOME_ONE_PERSON and account_manager:
        return f"{account_manager} becomes Account and Production Manager"
    if outcome == sched.OUTCOME_NEW_PRODUCTION_MANAGER:
        new = sorted({i.person for i in items if i.client_id == talk.client_id
                      and i.project_id is not None and i.person
                      and i.person_id != i.previous_person_id})
        if len(new) == 1:
            return f"{new[0]} becomes Production Manager"
        if new:
            return f"{_and(new)} become Production Managers"
        return "a new Production Manager"
    if outcome == sched.OUTCOME_UNCHANGED:
        return "nothing changes"
    return "the new way of working"


def _handover_people(key: str) -> tuple[int, ...]:
    """The two people of a handover, from its key (``client:3:5:2027-01-04``,
    ``project:5:3``; see ``plans.schedule``)."""
    try:
        return tuple(int(part) for part in key.split(":")[1:3])
    except ValueError:
        return ()


def _usable_email(email: str | None) -> str | None:
    email = (email or "").strip()
    return email if _EMAIL.fullmatch(email) else None


def _uid_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-")


def _named_or_counted(names: Sequence[str], noun: str) -> str:
    """``Acme Ltd`` or ``Acme Ltd, Borealis and Cobalt`` or ``6 clients``."""
    if names and len(names) <= _NAMED_IN_SUMMARY:
        return _and(names)
    return _plural(len(names), noun)


def _and(names: Iterable[str]) -> str:
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --------------------------------------------------------------------------- writing

def _write_whole(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` whole or not at all, through the same guarded writer
    as every export (no predictable temporary name a planted link could redirect)."""
    write_bytes_atomically(target, data, what="the calendar")
