"""Telling the clients: who informs each one, how, when, and what they say.

The last step of the method is to make the change and explain it to every client before
it takes effect. This module spreads those conversations over the working days before
the effective date, so nobody has more of them in a day than the studio allows and the
most important clients hear first.

The rules, in the order they are applied
----------------------------------------
* **Who informs.** Normally the client's new Account Manager. The previous holder
  informs instead when the relationship is theirs: they still have a working
  relationship with the client that is stronger than the new Account Manager's (and are
  still with the studio); they then introduce their successor. With no new Account
  Manager, the previous holder informs; with neither, the client is listed as
  unscheduled.
* **Handover first.** When the previous and the new Account Manager are two different
  people (and the previous one is still with the studio), the two meet on a working day
  *before* the client's conversation, as close to it as there is room for.
* **The window.** Working days (Monday to Friday) from ``weeks_before`` weeks before the
  effective date up to the day before it, and never before ``not_before`` (today).
* **Most important first.** Clients are placed in order of importance (then by name),
  each on the earliest working day on which everyone involved still has room.
* **The daily limit.** Nobody takes part in more than ``max_per_day`` conversations a
  day, counting client conversations they lead and handover meetings they attend.
* **How.** The most important third of the clients get a meeting, the middle third a
  call, the rest an email (the thirds are counted in clients; clients of equal
  importance all get the better channel of their tier). A client with no importance at
  all (no active work) gets an email.
* **Too short a window** is never papered over: clients that do not fit stay
  unscheduled, :attr:`Schedule.fits` is False and :attr:`Schedule.message` says how many
  did not fit and what to change.

Talking points come from an editable template with four headings (see
``resources/templates/talking_points.txt``). :func:`fill_placeholders` replaces only the
placeholders it knows (``{client}``, ``{account_manager}``, …); anything else the user
typed, braces included, is kept exactly as written.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from studio_desk.core.errors import ValidationError
from studio_desk.core.rules import name_key

CHANNEL_MEETING = "meeting"
CHANNEL_CALL = "call"
CHANNEL_EMAIL = "email"
#: Channels from the most to the least personal.
CHANNELS = (CHANNEL_MEETING, CHANNEL_CALL, CHANNEL_EMAIL)

DEFAULT_WEEKS_BEFORE = 3
DEFAULT_MAX_PER_DAY = 2

#: The headings every talking-points text is organised under.
TALKING_POINT_HEADINGS = ("Why the change", "How it helps", "How the work moves forward",
                          "Who to call for what")
#: The placeholders :func:`fill_placeholders` fills for each client.
PLACEHOLDERS = ("client", "account_manager", "production_manager", "effective_date",
                "previous_account_manager", "informer", "studio")

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def long_date(day: dt.date) -> str:
    """``Monday 2 March 2026``: the same in every locale, as the text it goes into."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def default_effective_date(today: dt.date | None = None,
                           weeks_before: int = DEFAULT_WEEKS_BEFORE) -> dt.date:
    """The first Monday at least ``weeks_before`` weeks after ``today``: a new plan's
    effective date, leaving the whole default window to tell every client."""
    earliest = (today or dt.date.today()) + dt.timedelta(weeks=weeks_before)
    return earliest + dt.timedelta(days=(7 - earliest.weekday()) % 7)


# --------------------------------------------------------------------------- talking points

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def fill_placeholders(template: str, values: Mapping[str, str]) -> str:
    """``template`` with each ``{name}`` whose name is in ``values`` replaced.

    One pass, plain text: an unknown ``{name}`` stays visible as typed (so a typo shows
    on the page rather than failing), stray braces are kept, and a value that itself
    contains braces (a client called ``{account_manager}``) is inserted literally. Unlike
    ``str.format`` it never evaluates attribute or index lookups.
    """
    def substitute(match: re.Match[str]) -> str:
        key = match.group(1)
        return values[key] if key in values else match.group(0)

    return _PLACEHOLDER.sub(substitute, template)


def unknown_placeholders(template: str) -> tuple[str, ...]:
    """Placeholders in ``template`` that will not be filled (to warn while editing)."""
    seen: list[str] = []
    for match in _PLACEHOLDER.finditer(template):
        key = match.group(1)
        if key not in PLACEHOLDERS and key not in seen:
            seen.append(key)
    return tuple(seen)


def default_talking_points() -> str:
    """The talking-points template a new plan starts with."""
    source = resources.files("studio_desk") / "resources" / "templates" / "talking_points.txt"
    return source.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Person:
    """Someone who informs a client or attends a handover."""

    id: int
    name: str


@dataclass(frozen=True)
class ClientNotice:
    """A client to be told about the change, and who is involved on the studio's side.

    ``production_managers`` pairs each of the client's projects with its Production
    Manager's name (``(person, project)``). Relationship strengths are 0 (none) to 3.
    """

    client_id: int
    name: str
    importance: float
    account_manager: Person | None
    previous_account_manager: Person | None = None
    account_manager_strength: int = 0
    previous_strength: int = 0
    previous_still_here: bool = True
    production_managers: tuple[tuple[str, str], ...] = ()

    @property
    def needs_handover(self) -> bool:
        """The previous holder passes the client on to a different new holder."""
        return (self.previous_account_manager is not None
                and self.account_manager is not None
                and self.previous_still_here
                and self.previous_account_manager.id != self.account_manager.id)


def choose_informer(notice: ClientNotice) -> Person | None:
    """Who tells this client (see the module docstring); None if there is no one."""
    new, previous = notice.account_manager, notice.previous_account_manager
    previous_ok = previous is not None and notice.previous_still_here
    if new is None:
        return previous if previous_ok else None
    if (previous_ok and previous is not None and previous.id != new.id
            and notice.previous_strength > notice.account_manager_strength):
        return previous
    return new


def choose_channels(notices: Sequence[ClientNotice]) -> dict[int, str]:
    """Client id -> channel by importance tier (see the module docstring)."""
    ranked = sorted(notices, key=lambda n: -n.importance)
    count = len(ranked)
    tier_size = math.ceil(count / 3) if count else 0
    channels: dict[int, str] = {}
    tier_of_importance: dict[float, int] = {}
    for rank, notice in enumerate(ranked):
        tier = min(rank // tier_size, 2) if tier_size else 2
        # Equal importance, equal treatment: the first (better) tier reached wins.
        tier = tier_of_importance.setdefault(notice.importance, tier)
        channels[notice.client_id] = CHANNELS[tier] if notice.importance > 0 \
            else CHANNEL_EMAIL
    return channels


def production_manager_text(pairs: Iterable[tuple[str, str]]) -> str:
    """``Ben Ode`` when one person runs all the client's projects, otherwise each named
    with their project; ``our production team`` when none is named yet."""
    by_person: dict[str, list[str]] = {}
    for person, project in pairs:
        by_person.setdefault(person, []).append(project)
    if not by_person:
        return "our production team"
    if len(by_person) == 1:
        return next(iter(by_person))
    parts = [f"{person} ({', '.join(projects)})" for person, projects in by_person.items()]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class Conversation:
    """One client conversation, and the handover before it if there is one.

    ``on`` is None when the client did not fit into the window (see ``Schedule``).
    """

    client_id: int
    client: str
    importance: float
    informer: Person | None
    channel: str
    on: dt.date | None
    talking_points: str
    handover_from: Person | None = None
    handover_to: Person | None = None
    handover_on: dt.date | None = None

    @property
    def scheduled(self) -> bool:
        return self.on is not None


@dataclass(frozen=True)
class Schedule:
    """Every client's conversation, the window used, and whether everything fitted."""

    conversations: tuple[Conversation, ...]
    effective_date: dt.date
    window_start: dt.date
    window_end: dt.date  # the last working day before the effective date
    max_per_day: int
    message: str = ""  # empty when everything fitted

    @property
    def unscheduled(self) -> tuple[Conversation, ...]:
        return tuple(c for c in self.conversations if c.on is None)

    @property
    def fits(self) -> bool:
        """Every client has a date and someone to inform them."""
        return not self.unscheduled


def working_days(first: dt.date, before: dt.date) -> list[dt.date]:
    """Monday-to-Friday dates from ``first`` up to the day before ``before``."""
    days = []
    day = first
    while day < before:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def plan_conversations(notices: Sequence[ClientNotice], effective_date: dt.date, *,
                       weeks_before: int = DEFAULT_WEEKS_BEFORE,
                       max_per_day: int = DEFAULT_MAX_PER_DAY,
                       not_before: dt.date | None = None,
                       template: str | None = None,
                       studio: str = "our studio") -> Schedule:
    """Spread the client conversations over the weeks before ``effective_date``.

    See the module docstring for the rules. Raises :class:`ValidationError` when
    ``weeks_before`` or ``max_per_day`` is below 1.
    """
    problems = {}
    if weeks_before < 1:
        problems["weeks_before"] = "Start telling clients at least one week before."
    if max_per_day < 1:
        problems["max_per_day"] = "Allow at least one conversation a person a day."
    if problems:
        raise ValidationError(problems)
    template = default_talking_points() if template is None else template
    window_start = effective_date - dt.timedelta(weeks=weeks_before)
    first = max(window_start, not_before) if not_before else window_start
    days = working_days(first, effective_date)
    booked: dict[tuple[int, dt.date], int] = {}

    def room(person: Person, day: dt.date) -> bool:
        return booked.get((person.id, day), 0) < max_per_day

    def book(person: Person, day: dt.date) -> None:
        booked[(person.id, day)] = booked.get((person.id, day), 0) + 1

    channels = choose_channels(notices)
    order = sorted(notices, key=lambda n: (-n.importance, name_key(n.name), n.client_id))
    placed: list[Conversation] = []
    no_one: list[Conversation] = []
    for notice in order:
        informer = choose_informer(notice)
        on: dt.date | None = None
        handover_on: dt.date | None = None
        previous, new = notice.previous_account_manager, notice.account_manager
        handover = notice.needs_handover
        if informer is not None:
            for index, day in enumerate(days):
                if not room(informer, day):
                    continue
                if handover:
                    assert previous is not None and new is not None
                    # The latest earlier day both can make, so the handover is fresh.
                    handover_on = next((days[k] for k in range(index - 1, -1, -1)
                                        if room(previous, days[k]) and room(new, days[k])),
                                       None)
                    if handover_on is None:
                        continue
                    book(previous, handover_on)
                    book(new, handover_on)
                book(informer, day)
                on = day
                break
        values = {
            "client": notice.name,
            "account_manager": new.name if new else "(to be named)",
            "previous_account_manager": (previous.name if previous
                                         else (new.name if new else "(to be named)")),
            "production_manager": production_manager_text(notice.production_managers),
            "effective_date": long_date(effective_date),
            "informer": informer.name if informer else "(to be named)",
            "studio": studio,
        }
        conversation = Conversation(
            client_id=notice.client_id, client=notice.name, importance=notice.importance,
            informer=informer, channel=channels[notice.client_id], on=on,
            talking_points=fill_placeholders(template, values),
            handover_from=previous if handover else None,
            handover_to=new if handover else None,
            handover_on=handover_on if on is not None else None)
        placed.append(conversation)
        if informer is None:
            no_one.append(conversation)
    placed.sort(key=lambda c: (c.on is None, c.on or effective_date, -c.importance,
                               name_key(c.client)))
    window_end = days[-1] if days else effective_date - dt.timedelta(days=1)
    late = [c.client for c in placed if c.on is None and c.informer is not None]
    message = _message(late, [c.client for c in no_one], len(placed), len(days),
                       effective_date, weeks_before, max_per_day)
    return Schedule(tuple(placed), effective_date, window_start, window_end, max_per_day,
                    message)


def _names(names: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _message(late: Sequence[str], no_one: Sequence[str], total: int, working: int,
             effective_date: dt.date, weeks_before: int, max_per_day: int) -> str:
    """One or two sentences on what did not fit and what to change; empty if all did."""
    sentences = []
    if no_one:
        sentences.append(f"No one is set to inform {_names(no_one)}: give "
                         f"{'it' if len(no_one) == 1 else 'them'} an Account Manager first.")
    when = long_date(effective_date)
    if late and not working:
        sentences.append(f"There are no working days left before {when} to tell "
                         f"{len(late)} client{'s' if len(late) != 1 else ''}: move the "
                         "effective date later.")
    elif late:
        sentences.append(
            f"{len(late)} of {total} clients do not fit into the {working} working days "
            f"before {when} at {max_per_day} conversation{'s' if max_per_day != 1 else ''} "
            f"a person a day ({_names(late)}): start more than {weeks_before} "
            f"week{'s' if weeks_before != 1 else ''} ahead, allow more conversations a "
            "day, or move the effective date later.")
    return " ".join(sentences)
