"""Telling the clients: who informs each one, how, when, and what they say.

The last step of the method is to make the change and explain it to every client before
it takes effect. This module spreads those conversations over the working days before
the effective date, so nobody has more of them in a day than the studio allows and the
most important clients hear first.

The rules, in the order they are applied
----------------------------------------
* **Who informs.** The person who knows the client (``ClientNotice.known_by``: the
  previous Account Manager, else the strongest relationship holder, else the former
  Production Manager of its projects; worked out by the store). When that is someone
  other than the new Account Manager, they tell the client in a joint conversation,
  introducing the new Account Manager (:attr:`Conversation.introduces`), who takes part
  too. Otherwise the Account Manager informs; with no Account Manager, whoever knows
  the client; with neither, the client is listed as unscheduled.
* **Handover first.** Before such a joint conversation the two meet to hand the client
  over, on a working day before it: a meeting the two already have, else the latest day
  both have room for. One meeting covers every client passing between the same two.
* **Project handovers.** Every outgoing Production Manager (still with the studio)
  meets the incoming one once, covering all the projects passing between them, on the
  latest working day before the effective date both have room for.
* **The window.** Working days (Monday to Friday, without the listed days off) from
  ``weeks_before`` weeks before the effective date up to the day before it, and never
  before ``not_before`` (today). :func:`common_public_holidays` offers the usual ones.
* **Evenly, most important first.** Clients are taken in order of importance (then by
  name); the k-th of n aims at working day k × days / n, so the conversations use the
  whole window, and takes the nearest later day on which everyone involved has room
  (then the nearest earlier one).
* **The pace.** Nobody takes part in more than ``max_per_day`` conversations a day, nor
  ``max_per_week`` a week (0: no weekly limit), counting client conversations they lead
  or are introduced in and handover meetings they attend.
* **How.** The most important third of the clients get a meeting, the middle third a
  call, the rest an email (the thirds are counted in clients; clients of equal
  importance all get the better channel of their tier). A client with no importance at
  all (no active work), or for whom nothing changes, gets an email.
* **What they hear.** Each client's outcome (:attr:`ClientNotice.outcome`): a new
  Account Manager; a new Production Manager only; one person in both roles; nothing
  changes. Each has its own template; clients for whom nothing changes get a short note
  or, if the studio prefers, no conversation at all.
* **Too short a window** is never papered over: clients that do not fit stay
  unscheduled, :attr:`Schedule.fits` is False and :attr:`Schedule.message` says how many
  did not fit and what to change.

Talking points come from editable templates with four headings (the new Account
Manager's in ``resources/templates/talking_points.txt``, the others below).
:func:`fill_placeholders` replaces only the placeholders it knows (``{client}``,
``{account_manager}``, …); anything else the user typed, braces included, is kept
exactly as written.
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
#: Most conversations a person a week; 0 means no weekly limit (the daily one holds).
DEFAULT_MAX_PER_WEEK = 0

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


# --------------------------------------------------------------------------- outcomes

#: What the change means for one client; each has its own talking-points template.
OUTCOME_NEW_ACCOUNT_MANAGER = "new_account_manager"
OUTCOME_NEW_PRODUCTION_MANAGER = "new_production_manager"
OUTCOME_ONE_PERSON = "one_person"
OUTCOME_UNCHANGED = "unchanged"
OUTCOMES = (OUTCOME_NEW_ACCOUNT_MANAGER, OUTCOME_NEW_PRODUCTION_MANAGER, OUTCOME_ONE_PERSON,
            OUTCOME_UNCHANGED)
OUTCOME_LABELS = {
    OUTCOME_NEW_ACCOUNT_MANAGER: "New Account Manager",
    OUTCOME_NEW_PRODUCTION_MANAGER: "New Production Manager only",
    OUTCOME_ONE_PERSON: "One person in both roles",
    OUTCOME_UNCHANGED: "Nothing changes",
}
#: What a client whose arrangement does not change is sent: a short note, or nothing.
UNCHANGED_NOTE = "note"
UNCHANGED_SKIP = "skip"
DEFAULT_UNCHANGED = UNCHANGED_NOTE

_DEFAULT_TEMPLATES = {
    OUTCOME_NEW_PRODUCTION_MANAGER: (
        "Why the change\n"
        "{account_manager} stays your Account Manager and your first call. What changes "
        "is behind the scenes: from {effective_date} the day-to-day running of your work "
        "has a dedicated Production Manager, so {account_manager} has more time for you.\n"
        "\n"
        "How it helps {client}\n"
        "{production_manager} will see that the work is planned, staffed, checked and "
        "delivered on time, while {account_manager} keeps looking after your goals and "
        "comes to you with ideas.\n"
        "\n"
        "How the work moves forward\n"
        "Nothing under way stops or starts over. Everything open has been handed over in "
        "full and deadlines stay as agreed.\n"
        "\n"
        "Who to call for what\n"
        "- Your goals, priorities, budgets and new requests: {account_manager}\n"
        "- Progress, deliverables and schedules: {production_manager}\n"
        "- Not sure? Call {account_manager}.\n"
    ),
    OUTCOME_ONE_PERSON: (
        "Why the change\n"
        "The studio is giving looking after clients and running their work more "
        "attention. For you it stays simple: from {effective_date} {account_manager} "
        "looks after both your account and the running of your work.\n"
        "\n"
        "How it helps {client}\n"
        "One person who knows your goals and every detail of your projects: no hand-offs,"
        " and answers from the person doing the planning.\n"
        "\n"
        "How the work moves forward\n"
        "Nothing under way stops or starts over. Deadlines stay as agreed, and "
        "{account_manager} will confirm the next steps with you before {effective_date}.\n"
        "\n"
        "Who to call for what\n"
        "- Anything at all, from new ideas to deliverables: {account_manager}\n"
    ),
    OUTCOME_UNCHANGED: (
        "Why the change\n"
        "A short note: from {effective_date} the studio organises its work a little "
        "differently. For {client} nothing changes.\n"
        "\n"
        "How it helps {client}\n"
        "You keep the people you know.\n"
        "\n"
        "How the work moves forward\n"
        "Everything carries on as agreed.\n"
        "\n"
        "Who to call for what\n"
        "- Your goals and requests: {account_manager}\n"
        "- Progress and deliverables: {production_manager}\n"
    ),
}


def default_template(outcome: str) -> str:
    """The template a new plan starts with for clients with ``outcome``."""
    if outcome == OUTCOME_NEW_ACCOUNT_MANAGER:
        return default_talking_points()
    return _DEFAULT_TEMPLATES[outcome]


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Person:
    """Someone who informs a client or attends a handover."""

    id: int
    name: str


@dataclass(frozen=True)
class ProjectNotice:
    """One of a client's projects: who runs it after the change, and who ran it before
    (``previous_still_here`` False when that person has left the studio)."""

    name: str
    production_manager: Person | None
    previous_production_manager: Person | None = None
    previous_still_here: bool = True

    @property
    def changes(self) -> bool:
        previous, new = self.previous_production_manager, self.production_manager
        return previous is not None and (new is None or new.id != previous.id)


@dataclass(frozen=True)
class ClientNotice:
    """A client to be told about the change, and who is involved on the studio's side.

    ``knower`` is the person who knows the client (the store works it out: the previous
    Account Manager, else the strongest relationship holder, else the former Production
    Manager of its projects); without it the previous Account Manager, if still here,
    stands for them. ``projects`` says who runs each project before and after;
    ``production_managers`` (``(person, project)`` pairs) is the older, shorter form.
    Relationship strengths are 0 (none) to 3.
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
    knower: Person | None = None
    projects: tuple[ProjectNotice, ...] = ()

    @property
    def known_by(self) -> Person | None:
        """Who the client knows at the studio today (None if no one)."""
        if self.knower is not None:
            return self.knower
        return self.previous_account_manager if self.previous_still_here else None

    @property
    def needs_handover(self) -> bool:
        """The person who knows the client passes it on to a different Account Manager."""
        known, new = self.known_by, self.account_manager
        return known is not None and new is not None and known.id != new.id

    @property
    def outcome(self) -> str:
        """What the change means for this client (one of :data:`OUTCOMES`)."""
        new = self.account_manager
        known = self.known_by
        previous = self.previous_account_manager
        am_changes = new is not None and (
            (known is not None and known.id != new.id)
            or (known is None and (previous is None or previous.id != new.id)))
        pm_changes = any(p.changes for p in self.projects)
        if not am_changes and not pm_changes and (self.projects or known is not None):
            return OUTCOME_UNCHANGED
        if (new is not None and self.projects and all(
                p.production_manager is not None and p.production_manager.id == new.id
                for p in self.projects)):
            return OUTCOME_ONE_PERSON
        return OUTCOME_NEW_ACCOUNT_MANAGER if am_changes else OUTCOME_NEW_PRODUCTION_MANAGER


def choose_informer(notice: ClientNotice) -> Person | None:
    """Who tells this client: the person who knows them, introducing a new Account
    Manager; else the Account Manager; else whoever knows them; None if no one."""
    new = notice.account_manager
    if new is None:
        return notice.known_by
    return notice.known_by if notice.needs_handover else new


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


# --------------------------------------------------------------------------- days off

_MONTH_NAMES = {name.casefold(): n for n, name in enumerate(_MONTHS, start=1)}


def _easter(year: int) -> dt.date:
    """Easter Sunday (Gregorian; the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)


def common_public_holidays(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """Public holidays common to many countries, from ``first`` to ``last`` inclusive.

    A short built-in list (New Year's Day, Good Friday, Easter Monday, Christmas Day,
    Boxing Day) for the user to edit: every country adds and drops some.
    """
    days: dict[dt.date, str] = {}
    for year in range(first.year, last.year + 1):
        easter = _easter(year)
        for day, name in ((dt.date(year, 1, 1), "New Year's Day"),
                          (easter - dt.timedelta(days=2), "Good Friday"),
                          (easter + dt.timedelta(days=1), "Easter Monday"),
                          (dt.date(year, 12, 25), "Christmas Day"),
                          (dt.date(year, 12, 26), "Boxing Day")):
            if first <= day <= last:
                days[day] = name
    return dict(sorted(days.items()))


def non_working_text(days: Mapping[dt.date, str]) -> str:
    """One line per day off, ``2026-12-25 Christmas Day``, in date order."""
    return "\n".join(f"{day.isoformat()} {name}".rstrip() for day, name in sorted(days.items()))


def parse_non_working_days(text: str) -> dict[dt.date, str]:
    """Days off typed one a line: an ISO date (``2026-12-25``), then an optional name.

    Raises :class:`ValidationError` naming the first line that is not a date.
    """
    days: dict[dt.date, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, name = line.partition(" ")
        try:
            day = dt.date.fromisoformat(word)
        except ValueError:
            raise ValidationError({"non_working_days": f"Line {number}, “{line[:40]}”: "
                                   "start each line with a date written 2026-12-25."}) \
                from None
        days[day] = name.strip()
    return dict(sorted(days.items()))


# --------------------------------------------------------------------------- output


@dataclass(frozen=True)
class Conversation:
    """One client conversation, and the handover before it if there is one.

    ``on`` is None when the client did not fit into the window (see ``Schedule``). When
    the Account Manager changes, the informer is the person who knows the client and
    ``introduces`` is the new Account Manager, who takes part in the conversation.
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
    outcome: str = OUTCOME_NEW_ACCOUNT_MANAGER

    @property
    def scheduled(self) -> bool:
        return self.on is not None

    @property
    def introduces(self) -> Person | None:
        """The new Account Manager the informer introduces, if any."""
        if (self.handover_to is not None and self.informer is not None
                and self.informer.id != self.handover_to.id):
            return self.handover_to
        return None


@dataclass(frozen=True)
class ProjectHandover:
    """The outgoing Production Manager hands their projects over to the incoming one, in
    one internal meeting before the effective date (``on`` None if it did not fit)."""

    handover_from: Person
    handover_to: Person
    projects: tuple[str, ...]
    on: dt.date | None


@dataclass(frozen=True)
class Schedule:
    """Every client's conversation, the project handovers, the window used, and whether
    everything fitted."""

    conversations: tuple[Conversation, ...]
    effective_date: dt.date
    window_start: dt.date
    window_end: dt.date  # the last working day before the effective date
    max_per_day: int
    message: str = ""  # empty when everything fitted
    project_handovers: tuple[ProjectHandover, ...] = ()
    max_per_week: int = 0  # 0: no weekly limit

    @property
    def unscheduled(self) -> tuple[Conversation, ...]:
        return tuple(c for c in self.conversations if c.on is None)

    @property
    def fits(self) -> bool:
        """Every client has a date and someone to inform them, and every project
        handover a date."""
        return not self.unscheduled and all(h.on for h in self.project_handovers)


def working_days(first: dt.date, before: dt.date,
                 days_off: Iterable[dt.date] = ()) -> list[dt.date]:
    """Monday-to-Friday dates from ``first`` up to the day before ``before``, without
    ``days_off``."""
    off = set(days_off)
    days = []
    day = first
    while day < before:
        if day.weekday() < 5 and day not in off:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


class _Diary:
    """Who is booked on which day and week, against the pace."""

    def __init__(self, max_per_day: int, max_per_week: int) -> None:
        self.max_per_day, self.max_per_week = max_per_day, max_per_week
        self.by_day: dict[tuple[int, dt.date], int] = {}
        self.by_week: dict[tuple[int, dt.date], int] = {}

    @staticmethod
    def _week(day: dt.date) -> dt.date:
        return day - dt.timedelta(days=day.weekday())

    def room(self, people: Iterable[Person], day: dt.date) -> bool:
        week = self._week(day)
        return all(self.by_day.get((p.id, day), 0) < self.max_per_day
                   and (not self.max_per_week
                        or self.by_week.get((p.id, week), 0) < self.max_per_week)
                   for p in people)

    def book(self, people: Iterable[Person], day: dt.date) -> None:
        week = self._week(day)
        for p in people:
            self.by_day[(p.id, day)] = self.by_day.get((p.id, day), 0) + 1
            self.by_week[(p.id, week)] = self.by_week.get((p.id, week), 0) + 1


def plan_conversations(notices: Sequence[ClientNotice], effective_date: dt.date, *,
                       weeks_before: int = DEFAULT_WEEKS_BEFORE,
                       max_per_day: int = DEFAULT_MAX_PER_DAY,
                       max_per_week: int = DEFAULT_MAX_PER_WEEK,
                       non_working_days: Iterable[dt.date] = (),
                       not_before: dt.date | None = None,
                       template: str | None = None,
                       templates: Mapping[str, str | None] | None = None,
                       unchanged: str = DEFAULT_UNCHANGED,
                       studio: str = "our studio") -> Schedule:
    """Spread the client conversations and handovers over the weeks before
    ``effective_date``.

    See the module docstring for the rules. ``template`` is the new-Account-Manager
    text (kept for callers with one template); ``templates`` maps outcomes to texts
    (None or missing: the default). Raises :class:`ValidationError` when a setting is
    out of range.
    """
    problems = {}
    if weeks_before < 1:
        problems["weeks_before"] = "Start telling clients at least one week before."
    if max_per_day < 1:
        problems["max_per_day"] = "Allow at least one conversation a person a day."
    if max_per_week < 0:
        problems["max_per_week"] = "Allow at least one conversation a person a week " \
                                   "(or no weekly limit)."
    if unchanged not in (UNCHANGED_NOTE, UNCHANGED_SKIP):
        problems["unchanged"] = "Send clients whose arrangement stays a note, or nothing."
    if problems:
        raise ValidationError(problems)
    texts = {outcome: (templates or {}).get(outcome) or default_template(outcome)
             for outcome in OUTCOMES}
    if template is not None:
        texts[OUTCOME_NEW_ACCOUNT_MANAGER] = template
    window_start = effective_date - dt.timedelta(weeks=weeks_before)
    first = max(window_start, not_before) if not_before else window_start
    days = working_days(first, effective_date, non_working_days)
    diary = _Diary(max_per_day, max_per_week)
    # (person a, person b) -> days the two already meet to hand a client over.
    pair_meetings: dict[tuple[int, int], list[dt.date]] = {}

    def handover_day(before: int, previous: Person, new: Person) -> dt.date | None:
        """A meeting of the two before ``days[before]``: one they already have, else
        the latest day both have room for, so the handover is fresh."""
        booked = [d for d in pair_meetings.get((previous.id, new.id), ()) if d < days[before]]
        if booked:
            return max(booked)
        return next((days[k] for k in range(before - 1, -1, -1)
                     if diary.room((previous, new), days[k])), None)

    told = [n for n in notices
            if not (unchanged == UNCHANGED_SKIP and n.outcome == OUTCOME_UNCHANGED)]
    channels = choose_channels(told)
    order = sorted(told, key=lambda n: (-n.importance, name_key(n.name), n.client_id))
    reachable = [n for n in order if choose_informer(n) is not None]
    rank_of = {n.client_id: rank for rank, n in enumerate(reachable)}
    placed: list[Conversation] = []
    no_one: list[Conversation] = []
    for notice in order:
        informer = choose_informer(notice)
        on: dt.date | None = None
        handover_on: dt.date | None = None
        known, new = notice.known_by, notice.account_manager
        handover = notice.needs_handover
        if informer is not None and days:
            # Evenly over the window: the k-th of n clients aims at day k*len(days)/n,
            # then the nearest later day with room, then the nearest earlier one.
            aim = rank_of[notice.client_id] * len(days) // max(len(reachable), 1)
            taking_part = [informer] + ([new] if handover and new is not None
                                        and new.id != informer.id else [])
            for index in [*range(aim, len(days)), *range(aim - 1, -1, -1)]:
                day = days[index]
                if not diary.room(taking_part, day):
                    continue
                if handover:
                    assert known is not None and new is not None
                    handover_on = handover_day(index, known, new)
                    if handover_on is None:
                        continue
                    meetings = pair_meetings.setdefault((known.id, new.id), [])
                    if handover_on not in meetings:
                        meetings.append(handover_on)
                        diary.book((known, new), handover_on)
                diary.book(taking_part, day)
                on = day
                break
        outcome = notice.outcome
        pairs = notice.production_managers or tuple(
            (p.production_manager.name, p.name) for p in notice.projects
            if p.production_manager is not None)
        values = {
            "client": notice.name,
            "account_manager": new.name if new else "(to be named)",
            "previous_account_manager": (known.name if known
                                         else (new.name if new else "(to be named)")),
            "production_manager": production_manager_text(pairs),
            "effective_date": long_date(effective_date),
            "informer": informer.name if informer else "(to be named)",
            "studio": studio,
        }
        conversation = Conversation(
            client_id=notice.client_id, client=notice.name, importance=notice.importance,
            informer=informer,
            channel=(CHANNEL_EMAIL if outcome == OUTCOME_UNCHANGED
                     else channels[notice.client_id]),
            on=on, talking_points=fill_placeholders(texts[outcome], values),
            handover_from=known if handover else None,
            handover_to=new if handover else None,
            handover_on=handover_on if on is not None else None, outcome=outcome)
        placed.append(conversation)
        if informer is None:
            no_one.append(conversation)
    handovers = _project_handovers(notices, days, diary)
    placed.sort(key=lambda c: (c.on is None, c.on or effective_date, -c.importance,
                               name_key(c.client)))
    window_end = days[-1] if days else effective_date - dt.timedelta(days=1)
    late = [c.client for c in placed if c.on is None and c.informer is not None]
    message = _message(late, [c.client for c in no_one], len(placed), len(days),
                       effective_date, weeks_before, max_per_day)
    missed = [h for h in handovers if h.on is None]
    if missed and not days:
        if not late:  # else the sentence above already says to move the date
            message = (message + " " if message else "") + (
                f"There are no working days left before {long_date(effective_date)} for "
                "the project handovers: move the effective date later.")
    elif missed:
        message = (message + " " if message else "") + (
            f"{len(missed)} project handover{'s do' if len(missed) != 1 else ' does'} not "
            f"fit before {long_date(effective_date)} ("
            + _names([f"{h.handover_from.name} → {h.handover_to.name}" for h in missed])
            + "): allow more conversations a day or start earlier.")
    return Schedule(tuple(placed), effective_date, window_start, window_end, max_per_day,
                    message, tuple(handovers), max_per_week)


def _project_handovers(notices: Sequence[ClientNotice], days: Sequence[dt.date],
                       diary: _Diary) -> list[ProjectHandover]:
    """One internal meeting per outgoing and incoming Production Manager, covering all
    the projects passing between them, on the latest working day both have room for
    (after the client conversations are placed, so the clients come first)."""
    moving: dict[tuple[int, int], tuple[Person, Person, list[str]]] = {}
    for notice in notices:
        for project in notice.projects:
            old, new = project.previous_production_manager, project.production_manager
            if (old is None or new is None or old.id == new.id
                    or not project.previous_still_here):
                continue
            # "Acme: Web shop", but not "Acme: Acme web shop".
            label = (project.name if notice.name.casefold() in project.name.casefold()
                     else f"{notice.name}: {project.name}" if project.name else notice.name)
            moving.setdefault((old.id, new.id), (old, new, []))[2].append(label)
    handovers = []
    for old, new, projects in sorted(moving.values(),
                                     key=lambda m: (name_key(m[0].name), name_key(m[1].name))):
        on = next((d for d in reversed(days) if diary.room((old, new), d)), None)
        if on is not None:
            diary.book((old, new), on)
        handovers.append(ProjectHandover(old, new, tuple(sorted(projects, key=name_key)),
                                         on))
    return handovers


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
