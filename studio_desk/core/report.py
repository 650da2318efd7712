"""What the printed transition plan says, section by section (no Qt, no database).

The owner hands the plan around: to the team, and, one page per client, to whoever tells
that client. This module turns the plan's facts (:class:`PlanFacts`, gathered from the
workspace by ``store.report_data``) into the content of each section
(:class:`PlanReport`): plain strings, numbers and dates, nothing about fonts or pages.
``gui.printing`` lays that content out and prints it.

The sections, in print order (keys as ``studio-desk plan print --sections`` takes them):

* ``cover``: studio, plan, date printed, owner, effective date;
* ``summary``: what changes, in figures, and why; what could not be placed;
* ``responsibilities``: the client-focused and project-focused work and the role that
  holds each (the plan's own split; and the RACI matrix of the plan's team structure
  when that is not the Account Manager + Production Manager one);
* ``roles``: each person's roles after the change, what they take on and hand over;
* ``clients``: client by client, the Account Manager, Production Manager(s), previous
  holder, who informs the client, when, and how far that has got;
* ``calendar``: the handover meetings, then the client conversations week by week;
* ``capacity``: each person's load before and after, against their limits;
* ``talking_points``: what to tell every client;
* and, when asked for, one brief per client for the person who informs it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from studio_desk.core import catalog
from studio_desk.core import schedule as sched
from studio_desk.core.capacity import Capacity
from studio_desk.core.rules import name_key

SECTION_COVER = "cover"
SECTION_SUMMARY = "summary"
SECTION_RESPONSIBILITIES = "responsibilities"
SECTION_ROLES = "roles"
SECTION_CLIENTS = "clients"
SECTION_CALENDAR = "calendar"
SECTION_CAPACITY = "capacity"
SECTION_TALKING_POINTS = "talking_points"
#: Every section, in the order the plan prints them.
SECTIONS = (SECTION_COVER, SECTION_SUMMARY, SECTION_RESPONSIBILITIES, SECTION_ROLES,
            SECTION_CLIENTS, SECTION_CALENDAR, SECTION_CAPACITY, SECTION_TALKING_POINTS)
SECTION_TITLES: Mapping[str, str] = {
    SECTION_COVER: "Cover",
    SECTION_SUMMARY: "Summary of the changes",
    SECTION_RESPONSIBILITIES: "Who does what",
    SECTION_ROLES: "New roles, person by person",
    SECTION_CLIENTS: "Client by client",
    SECTION_CALENDAR: "Telling the clients, week by week",
    SECTION_CAPACITY: "Capacity before and after",
    SECTION_TALKING_POINTS: "Talking points",
}

ROLE_AM = catalog.ROLE_ACCOUNT_MANAGER
ROLE_PM = catalog.ROLE_PRODUCTION_MANAGER
STATUS_LABELS: Mapping[str, str] = {"draft": "Draft", "applied": "Applied",
                                    "done": "Done"}
CONVERSATION_LABELS: Mapping[str, str] = {"planned": "Planned", "informed": "Informed",
                                          "settled": "Settled"}
#: How each placeholder of the talking points reads in the general section, where no
#: one client is meant (the effective date and the studio are filled in for real).
GENERAL_PLACEHOLDERS: Mapping[str, str] = {
    "client": "[the client]",
    "account_manager": "[their Account Manager]",
    "production_manager": "[their Production Manager]",
    "previous_account_manager": "[their previous contact]",
    "informer": "[who informs them]",
}
TO_BE_NAMED = "(to be named)"
_SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                 "Nov", "Dec")


def section_keys(text: str) -> tuple[str, ...]:
    """The sections named in ``text`` ("clients,calendar" or "talking-points"), in print
    order; ``ValueError`` naming any unknown one."""
    wanted = {part.strip().lower().replace("-", "_") for part in text.split(",")
              if part.strip()}
    unknown = sorted(wanted - set(SECTIONS))
    if unknown:
        raise ValueError(f"unknown section{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(unknown)}; choose from "
                         f"{', '.join(s.replace('_', '-') for s in SECTIONS)}")
    if not wanted:
        raise ValueError("name at least one section")
    return tuple(s for s in SECTIONS if s in wanted)


# --------------------------------------------------------------------------- facts (input)


@dataclass(frozen=True)
class ItemFact:
    """One row of the plan: who holds a client's or a project's managing role."""

    role: str  # ROLE_AM or ROLE_PM
    client: str
    project: str | None
    person: str | None
    previous_person: str | None
    reason: str = ""
    gap: str | None = None  # what capacity is missing, for a row no one could take
    overridden: bool = False

    @property
    def unplaced(self) -> bool:
        return self.person is None and not self.overridden

    @property
    def changed(self) -> bool:
        return self.person != self.previous_person


@dataclass(frozen=True)
class ConversationFact:
    """Telling one client: who, how, when, what to say, and how far it has got."""

    client: str
    informer: str | None
    channel: str
    on_date: dt.date | None
    status: str
    talking_points: str
    handover_from: str | None = None
    handover_to: str | None = None
    handover_on: dt.date | None = None
    introduces: str | None = None  # the new Account Manager the informer introduces

    @property
    def who_informs(self) -> str:
        """``Sam Lee, introducing Pat Rivera`` in a joint conversation."""
        informer = self.informer or TO_BE_NAMED
        return f"{informer}, introducing {self.introduces}" if self.introduces else informer


#: Kinds of handover meeting.
HANDOVER_CLIENT, HANDOVER_PROJECT = "client", "project"


@dataclass(frozen=True)
class HandoverFact:
    """One handover meeting: of clients to their new Account Manager (told after it), or
    of projects from the outgoing to the incoming Production Manager."""

    kind: str
    handover_from: str
    handover_to: str
    on_date: dt.date | None
    subjects: tuple[str, ...]
    status: str = "planned"


@dataclass(frozen=True)
class ClientFact:
    """A client and whom to reach there."""

    name: str
    industry: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""


@dataclass(frozen=True)
class PersonFact:
    """Someone on the team."""

    name: str
    title: str = ""
    active: bool = True


@dataclass(frozen=True)
class PlanFacts:
    """Everything the printed plan is made from, as plain values."""

    studio: str
    plan: str
    status: str
    printed_on: dt.date
    owner: str
    effective_date: dt.date | None
    template: catalog.TeamTemplate | None = None
    items: tuple[ItemFact, ...] = ()
    conversations: tuple[ConversationFact, ...] = ()
    clients: tuple[ClientFact, ...] = ()
    people: tuple[PersonFact, ...] = ()
    capacity_before: tuple[Capacity, ...] = ()
    capacity_after: tuple[Capacity, ...] = ()
    responsibilities: tuple[tuple[str, str], ...] = ()  # (name, category)
    talking_points: str = ""  # the plan's template, placeholders unfilled
    schedule_message: str = ""  # why some conversations did not fit ("" if all did)
    handovers: tuple[HandoverFact, ...] = ()
    #: The template of each outcome some client has, and how many clients, as
    #: ``(outcome, template, clients)`` (``core.schedule.OUTCOMES``); the new Account
    #: Manager's text is ``talking_points``. Empty: ``talking_points`` for everyone.
    outcome_talking_points: tuple[tuple[str, str, int], ...] = ()
    shortfall: Mapping[str, float] = field(default_factory=dict)
    #: What it would take to complete the split, per role (``core.reasons``).
    advice: tuple[str, ...] = ()


# --------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class Cover:
    studio: str
    plan: str
    status: str
    printed_on: str
    owner: str
    effective_date: str
    structure: str


@dataclass(frozen=True)
class Figure:
    """A line of the summary's figures: ``label`` and its ``value``."""

    label: str
    value: str


@dataclass(frozen=True)
class Summary:
    lead: str
    figures: tuple[Figure, ...]
    why: tuple[str, ...]
    unplaced: tuple[tuple[str, str], ...]  # (what, what is missing)
    schedule_note: str


@dataclass(frozen=True)
class DutyRow:
    """One responsibility, who holds it, and the RACI letters of the two roles."""

    name: str
    category: str  # the category's label
    holder: str
    account_manager: str  # e.g. "R/A"
    production_manager: str


@dataclass(frozen=True)
class Responsibilities:
    groups: tuple[tuple[str, tuple[DutyRow, ...]], ...]  # (category label, rows)
    structure: catalog.TeamTemplate | None  # shown as a matrix when not the AM/PM one
    balance: str


@dataclass(frozen=True)
class PersonRoles:
    """One person after the change: their roles, what they take on and hand over."""

    person: str
    title: str
    roles: str  # "Account Manager", "Account and Production Manager", ...
    clients: tuple[str, ...]  # held as Account Manager after the change
    projects: tuple[tuple[str, tuple[str, ...]], ...]  # (client, its projects) as PM
    new_clients: frozenset[str]  # clients they did not look after before
    new_projects: frozenset[tuple[str, str]]  # (client, project) new to them
    handing_over: tuple[str, ...]  # "item → new holder"

    @property
    def project_count(self) -> int:
        return sum(len(names) for _, names in self.projects)


@dataclass(frozen=True)
class ClientRow:
    client: str
    account_manager: str
    production_managers: str
    previous: str
    informs: str
    when: str
    how: str
    status: str


@dataclass(frozen=True)
class CalendarEntry:
    day: str  # "Mon 16 Mar"
    client: str
    informer: str
    channel: str
    handover: str  # "" or "Handover Ana Ruiz → Ben Ode, Fri 13 Mar"
    status: str


@dataclass(frozen=True)
class CalendarWeek:
    title: str  # "Week of Monday 16 March 2026"
    entries: tuple[CalendarEntry, ...]


@dataclass(frozen=True)
class HandoverEntry:
    day: str  # "Mon 16 Mar" or "not scheduled"
    who: str  # "Sam Lee → Pat Rivera"
    what: str  # "Clients, then told: Client 07, Client 08" / "Projects: …"
    status: str


@dataclass(frozen=True)
class Calendar:
    weeks: tuple[CalendarWeek, ...]
    unscheduled: tuple[str, ...]
    note: str
    handovers: tuple[HandoverEntry, ...] = ()


@dataclass(frozen=True)
class CapacityRow:
    """One person's load before and after, against their limits."""

    person: str
    before: Capacity
    after: Capacity

    @property
    def over_after(self) -> tuple[str, ...]:
        return self.after.overloads


@dataclass(frozen=True)
class TalkingPointsBlock:
    """A heading, a paragraph, or a bullet of the talking points."""

    kind: str  # "heading", "paragraph", "bullet", or "outcome" (whom what follows is for)
    text: str


@dataclass(frozen=True)
class Brief:
    """One page for the person who tells one client."""

    client: str
    industry: str
    contact: tuple[str, ...]  # name, email, phone (those known)
    informer: str
    how: str
    when: str
    status: str
    handover: str
    account_manager: str
    previous_account_manager: str
    projects: tuple[tuple[str, str, str], ...]  # (project, new PM, previous PM)
    talking_points: tuple[TalkingPointsBlock, ...]


@dataclass(frozen=True)
class PlanReport:
    """The content of every section asked for (None: the section is left out)."""

    studio: str
    plan: str
    effective_date: str
    sections: tuple[str, ...]
    cover: Cover | None = None
    summary: Summary | None = None
    responsibilities: Responsibilities | None = None
    roles: tuple[PersonRoles, ...] | None = None
    clients: tuple[ClientRow, ...] | None = None
    calendar: Calendar | None = None
    capacity: tuple[CapacityRow, ...] | None = None
    talking_points: tuple[TalkingPointsBlock, ...] | None = None
    briefs: tuple[Brief, ...] = ()

    @property
    def people(self) -> tuple[str, ...]:
        """Everyone the report names as holding a role (for checks and tests)."""
        return tuple(r.person for r in self.roles or ())


# --------------------------------------------------------------------------- helpers


def short_date(day: dt.date | None) -> str:
    """``Mon 16 Mar``: compact, for table cells; English in every locale, like the
    text around it."""
    if day is None:
        return ""
    return f"{_SHORT_DAYS[day.weekday()]} {day.day} {_SHORT_MONTHS[day.month - 1]}"


def long_date(day: dt.date | None, missing: str = "not set yet") -> str:
    return sched.long_date(day) if day is not None else missing


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def _names(names: Iterable[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    items = list(names)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _unique(values: Iterable[str | None]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def _item_label(item: ItemFact) -> str:
    return f"{item.project} ({item.client})" if item.project is not None else item.client


def parse_talking_points(text: str) -> tuple[TalkingPointsBlock, ...]:
    """Split talking points into headings, paragraphs and bullets.

    A line that starts with one of the four headings is a heading; a line starting with
    ``-`` (or ``•``) a bullet; other lines join into paragraphs, which blank lines end.
    """
    blocks: list[TalkingPointsBlock] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(TalkingPointsBlock("paragraph", " ".join(paragraph)))
            paragraph.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif any(line.startswith(h) for h in sched.TALKING_POINT_HEADINGS) and len(line) < 90:
            flush()
            blocks.append(TalkingPointsBlock("heading", line))
        elif line[0] in "-•*" and len(line) > 1:
            flush()
            blocks.append(TalkingPointsBlock("bullet", line[1:].strip()))
        else:
            paragraph.append(line)
    flush()
    return tuple(blocks)


# --------------------------------------------------------------------------- sections


def _cover(facts: PlanFacts) -> Cover:
    return Cover(
        studio=facts.studio, plan=facts.plan,
        status=STATUS_LABELS.get(facts.status, facts.status.title()),
        printed_on=long_date(facts.printed_on), owner=facts.owner,
        effective_date=long_date(facts.effective_date),
        structure=facts.template.name if facts.template is not None
        else catalog.ACCOUNT_PRODUCTION.name)


def _role_noun(role: str, holders: int) -> str:
    """``Account Manager`` for one holder, ``Account Managers`` for several."""
    return role if holders == 1 else role + "s"


def _summary(facts: PlanFacts) -> Summary:
    items = facts.items
    clients = [i for i in items if i.role == ROLE_AM]
    projects = [i for i in items if i.role == ROLE_PM]
    am_moves = [i for i in clients if i.changed and i.person is not None]
    pm_moves = [i for i in projects if i.changed and i.person is not None]
    kept = [i for i in items if not i.changed and i.person is not None]
    unplaced = [i for i in items if i.unplaced]
    left_empty = [i for i in items if i.person is None and i.overridden]
    holders_am = _unique(i.person for i in clients)
    holders_pm = _unique(i.person for i in projects)
    when = long_date(facts.effective_date)
    if not items:
        lead = (f"“{facts.plan}” has no proposal yet: no one has been put forward for "
                "the Account Manager or Production Manager roles.")
    else:
        lead = (f"From {when}, the job of the old project manager is split in two for "
                f"{_plural(len(clients), 'client')} and {_plural(len(projects), 'project')}: "
                f"{_plural(len(holders_am), 'person', 'people')} will look after the "
                f"clients as {_role_noun('Account Manager', len(holders_am))} and "
                f"{_plural(len(holders_pm), 'person', 'people')} will run the work as "
                f"{_role_noun('Production Manager', len(holders_pm))}.")
    scheduled = [c for c in facts.conversations if c.on_date is not None]
    figures = [
        Figure("Effective date", when),
        Figure("Clients, each with an Account Manager", str(len(clients))),
        Figure("Active and back-burner projects, each with a Production Manager",
               str(len(projects))),
        Figure("Account Manager roles changing hands", f"{len(am_moves)} of {len(clients)}"),
        Figure("Production Manager roles changing hands",
               f"{len(pm_moves)} of {len(projects)}"),
        Figure("Roles staying with the same person", str(len(kept))),
    ]
    if unplaced:
        figures.append(Figure("Roles no one could take on yet", str(len(unplaced))))
    if left_empty:
        figures.append(Figure("Roles left empty on purpose", str(len(left_empty))))
    if facts.conversations:
        dates = sorted(c.on_date for c in scheduled if c.on_date is not None)
        span = (f", {short_date(dates[0])} to {short_date(dates[-1])}" if dates else "")
        figures.append(Figure("Client conversations scheduled",
                              f"{len(scheduled)} of {len(facts.conversations)}{span}"))
        informed = sum(c.status in ("informed", "settled") for c in facts.conversations)
        figures.append(Figure("Clients informed so far",
                              f"{informed} of {len(facts.conversations)}"))
    why = (
        "One person looking after both the client and the day-to-day running of the work "
        "ends up doing neither as well as they could. The Account Manager is the client's "
        "advocate: they know the client's business, keep them informed and bring them "
        "ideas. The Production Manager is the team's advocate: they plan, staff, check and "
        "deliver the work.",
        "The proposal gives the clients to the account side, each to the person who knows "
        "them where that person is on it, and moves the project work to the production "
        "side, the most technical projects to the most head-down Production Managers. "
        "Someone holds both roles only where capacity asks for it, and everyone stays "
        "within their limits wherever that is possible.",
    )
    missing = " ".join(facts.advice)
    short = {k: v for k, v in facts.shortfall.items() if v}
    if short and not missing:
        parts = [f"{v:g} {k}" if k == "hours" else _plural(int(v), k.rstrip("s"))
                 for k, v in short.items()]
        missing = f"To place everything the studio is short of {_names(parts)}."
    return Summary(
        lead=lead, figures=tuple(figures), why=why,
        unplaced=tuple((_item_label(i), i.gap or i.reason) for i in unplaced),
        schedule_note=" ".join(p for p in (missing, facts.schedule_message) if p))


_HOLDERS = {
    catalog.CLIENT_FOCUSED: "Account Manager",
    catalog.PROJECT_FOCUSED: "Production Manager",
    catalog.SHARED: "Both (the Account Manager answers for it)",
}


def _responsibilities(facts: PlanFacts) -> Responsibilities:
    pairs = [(n, c) for n, c in facts.responsibilities if c in catalog.CATEGORIES]
    matrix = catalog.account_production_template(pairs)
    groups = []
    for category in catalog.CATEGORIES:
        rows = tuple(
            DutyRow(name=name, category=catalog.CATEGORY_LABELS[category],
                    holder=_HOLDERS[category],
                    account_manager=catalog.format_cell(matrix.cells[index][0]),
                    production_manager=catalog.format_cell(matrix.cells[index][1]))
            for index, (name, c) in enumerate(pairs) if c == category)
        if rows:
            groups.append((catalog.CATEGORY_LABELS[category], rows))
    template = facts.template
    structure = (template if template is not None
                 and template.key != catalog.ACCOUNT_PRODUCTION_KEY
                 and template.activities else None)
    return Responsibilities(tuple(groups), structure,
                            catalog.balance(c for _, c in pairs).text)


def _roles(facts: PlanFacts) -> tuple[PersonRoles, ...]:
    titles = {p.name: p.title for p in facts.people}
    names = [p.name for p in facts.people if p.active]
    for item in facts.items:  # someone in the plan who has since left still shows
        for name in (item.person, item.previous_person):
            if name and name not in names:
                names.append(name)
    rows = []
    for name in sorted(names, key=name_key):
        mine = [i for i in facts.items if i.person == name]
        clients = [i.client for i in mine if i.role == ROLE_AM]
        projects: dict[str, list[str]] = {}
        for item in mine:
            if item.role == ROLE_PM:
                projects.setdefault(item.client, []).append(item.project or "")
        handing = [f"{_item_label(i)} → {i.person or TO_BE_NAMED}" for i in facts.items
                   if i.previous_person == name and i.person != name]
        if not (clients or projects or handing):
            continue
        if clients and projects:
            roles = "Account Manager and Production Manager"
        elif clients:
            roles = "Account Manager"
        elif projects:
            roles = "Production Manager"
        else:
            roles = "No managing role"
        rows.append(PersonRoles(
            person=name, title=titles.get(name, ""), roles=roles, clients=tuple(clients),
            projects=tuple((client, tuple(names)) for client, names in projects.items()),
            new_clients=frozenset(i.client for i in mine
                                  if i.role == ROLE_AM and i.previous_person != name),
            new_projects=frozenset((i.client, i.project or "") for i in mine
                                   if i.role == ROLE_PM and i.previous_person != name),
            handing_over=tuple(handing)))
    return tuple(rows)


def _production_managers(items: Sequence[ItemFact]) -> str:
    """``Ben Ode`` or ``Ben Ode (2), Cara Li``: who runs the client's projects."""
    counts: dict[str, int] = {}
    for item in items:
        key = item.person or TO_BE_NAMED
        counts[key] = counts.get(key, 0) + 1
    if len(counts) == 1 and len(items) >= 1:
        return next(iter(counts))
    return ", ".join(f"{n} ({c})" if c > 1 else n for n, c in counts.items())


def _client_rows(facts: PlanFacts) -> tuple[ClientRow, ...]:
    talks = {c.client: c for c in facts.conversations}
    projects: dict[str, list[ItemFact]] = {}
    for item in facts.items:
        if item.role == ROLE_PM:
            projects.setdefault(item.client, []).append(item)
    rows = []
    for item in facts.items:
        if item.role != ROLE_AM:
            continue
        talk = talks.get(item.client)
        rows.append(ClientRow(
            client=item.client, account_manager=item.person or TO_BE_NAMED,
            production_managers=_production_managers(projects.get(item.client, [])),
            previous=("(same)" if item.previous_person and not item.changed
                      else item.previous_person or "—"),
            informs=talk.who_informs if talk else "",
            when=short_date(talk.on_date) if talk and talk.on_date else
            ("not scheduled" if talk else ""),
            how=talk.channel if talk else "",
            status=CONVERSATION_LABELS.get(talk.status, talk.status) if talk else ""))
    rows.sort(key=lambda r: name_key(r.client))
    return tuple(rows)


def _calendar(facts: PlanFacts) -> Calendar:
    weeks: dict[dt.date, list[CalendarEntry]] = {}
    unscheduled = []
    for talk in sorted(facts.conversations,
                       key=lambda c: (c.on_date or dt.date.max, name_key(c.client))):
        if talk.on_date is None:
            unscheduled.append(talk.client)
            continue
        monday = talk.on_date - dt.timedelta(days=talk.on_date.weekday())
        handover = ""
        if talk.handover_from and talk.handover_to:
            handover = (f"Handover {talk.handover_from} → {talk.handover_to}"
                        f"{', ' + short_date(talk.handover_on) if talk.handover_on else ''}")
        weeks.setdefault(monday, []).append(CalendarEntry(
            day=short_date(talk.on_date), client=talk.client,
            informer=talk.who_informs, channel=talk.channel.title(),
            handover=handover, status=CONVERSATION_LABELS.get(talk.status, talk.status)))
    if not facts.conversations:
        note = ("The client conversations have not been scheduled yet (the wizard's "
                "“Tell the clients” step).")
    else:
        note = facts.schedule_message
    return Calendar(
        weeks=tuple(CalendarWeek(f"Week of {sched.long_date(monday)} — "
                                 f"{_plural(len(entries), 'conversation')}", tuple(entries))
                    for monday, entries in sorted(weeks.items())),
        unscheduled=tuple(unscheduled), note=note,
        handovers=tuple(_handover_entry(h) for h in sorted(
            facts.handovers, key=lambda h: (h.on_date or dt.date.max, h.kind,
                                            name_key(h.handover_from)))))


def _handover_entry(handover: HandoverFact) -> HandoverEntry:
    if handover.kind == HANDOVER_CLIENT:
        what = (f"{_plural(len(handover.subjects), 'client')}, each told afterwards with "
                f"{handover.handover_from} introducing {handover.handover_to}: "
                + ", ".join(handover.subjects))
    else:
        what = (f"{_plural(len(handover.subjects), 'project')}: "
                + ", ".join(handover.subjects))
    return HandoverEntry(
        day=short_date(handover.on_date) if handover.on_date else "not scheduled",
        who=f"{handover.handover_from} → {handover.handover_to}", what=what,
        status="Done" if handover.status == "done" else "Planned")


def _capacity(facts: PlanFacts) -> tuple[CapacityRow, ...]:
    after = {c.person: c for c in facts.capacity_after}
    return tuple(CapacityRow(b.person, b, after.get(b.person, b))
                 for b in sorted(facts.capacity_before, key=lambda c: name_key(c.person)))


def general_talking_points(facts: PlanFacts) -> tuple[TalkingPointsBlock, ...]:
    """The plan's talking points with what is the same for every client filled in."""
    values = dict(GENERAL_PLACEHOLDERS)
    values["effective_date"] = long_date(facts.effective_date, "[the effective date]")
    values["studio"] = facts.studio
    if facts.outcome_talking_points and facts.conversations:
        blocks: list[TalkingPointsBlock] = []
        for outcome, text, clients in facts.outcome_talking_points:
            if outcome == sched.OUTCOME_NEW_ACCOUNT_MANAGER:
                text = facts.talking_points or text
            label = sched.OUTCOME_LABELS.get(outcome, outcome)
            blocks.append(TalkingPointsBlock(
                "outcome", f"{label}: {_plural(clients, 'client')}"))
            blocks.extend(parse_talking_points(sched.fill_placeholders(text, values)))
        return tuple(blocks)
    text = facts.talking_points or sched.default_talking_points()
    return parse_talking_points(sched.fill_placeholders(text, values))


def _briefs(facts: PlanFacts) -> tuple[Brief, ...]:
    talks = {c.client: c for c in facts.conversations}
    contacts = {c.name: c for c in facts.clients}
    projects: dict[str, list[ItemFact]] = {}
    for item in facts.items:
        if item.role == ROLE_PM:
            projects.setdefault(item.client, []).append(item)
    briefs = []
    for item in facts.items:
        if item.role != ROLE_AM:
            continue
        talk = talks.get(item.client)
        contact = contacts.get(item.client, ClientFact(item.client))
        pms = projects.get(item.client, [])
        if talk is not None:
            points = talk.talking_points
        else:  # not scheduled yet: the same text the schedule would give it
            points = sched.fill_placeholders(
                facts.talking_points or sched.default_talking_points(), {
                    "client": item.client,
                    "account_manager": item.person or TO_BE_NAMED,
                    "previous_account_manager": item.previous_person or item.person
                    or TO_BE_NAMED,
                    "production_manager": sched.production_manager_text(
                        (p.person, p.project or "") for p in pms if p.person),
                    "effective_date": long_date(facts.effective_date),
                    "informer": item.person or TO_BE_NAMED,
                    "studio": facts.studio})
        handover = ""
        if talk is not None and talk.handover_from and talk.handover_to:
            handover = (f"{talk.handover_from} hands the client over to {talk.handover_to}"
                        f"{' on ' + sched.long_date(talk.handover_on) if talk.handover_on else ''}"
                        ", before the conversation.")
        briefs.append(Brief(
            client=item.client, industry=contact.industry,
            contact=tuple(v for v in (contact.contact_name, contact.contact_email,
                                      contact.contact_phone) if v),
            informer=talk.who_informs if talk else item.person or TO_BE_NAMED,
            how=talk.channel.title() if talk else "",
            when=sched.long_date(talk.on_date) if talk and talk.on_date else "not scheduled",
            status=CONVERSATION_LABELS.get(talk.status, talk.status) if talk else "Planned",
            handover=handover, account_manager=item.person or TO_BE_NAMED,
            previous_account_manager=item.previous_person or "—",
            projects=tuple((p.project or "", p.person or TO_BE_NAMED,
                            p.previous_person or "—") for p in pms),
            talking_points=parse_talking_points(points)))
    order = {c.client: (c.on_date or dt.date.max) for c in facts.conversations}
    briefs.sort(key=lambda b: (order.get(b.client, dt.date.max), name_key(b.client)))
    return tuple(briefs)


def build_report(facts: PlanFacts, sections: Sequence[str] = SECTIONS, *,
                 client_briefs: bool = False) -> PlanReport:
    """The content of the printed plan: the ``sections`` asked for, in print order, and
    a brief per client when ``client_briefs``."""
    chosen = tuple(s for s in SECTIONS if s in set(sections))
    return PlanReport(
        studio=facts.studio, plan=facts.plan,
        effective_date=long_date(facts.effective_date), sections=chosen,
        cover=_cover(facts) if SECTION_COVER in chosen else None,
        summary=_summary(facts) if SECTION_SUMMARY in chosen else None,
        responsibilities=(_responsibilities(facts) if SECTION_RESPONSIBILITIES in chosen
                          else None),
        roles=_roles(facts) if SECTION_ROLES in chosen else None,
        clients=_client_rows(facts) if SECTION_CLIENTS in chosen else None,
        calendar=_calendar(facts) if SECTION_CALENDAR in chosen else None,
        capacity=_capacity(facts) if SECTION_CAPACITY in chosen else None,
        talking_points=(general_talking_points(facts) if SECTION_TALKING_POINTS in chosen
                        else None),
        briefs=_briefs(facts) if client_briefs else ())


def plan_file_name(plan: str, suffix: str = ".pdf") -> str:
    """A file name for one of the plan's files (its PDF, its calendar): the plan's name
    without characters that file systems refuse."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", plan).strip(" .") or "Plan"
    return f"{cleaned[:120]}{suffix}"
