"""A demo studio: a new workspace filled with invented but plausible people, clients,
projects, relationships and Account/Production Manager assignments.

Dated around a day, ``today`` (the clock's by default), so the studio reads true
whenever it is built: active projects started in the last few months and are due in the
next few (a few are a little late, as in life), back-burner and on-hold ones paused with
their due dates ahead, pitches starting soon, done and cancelled ones in the past.
Deterministic: the same sizes, seed and day give the same file, byte for byte; tests,
benchmarks and pictures pass a fixed day (:data:`DEMO_TODAY`). Fast at any size: rows
are generated in memory and written with Core ``executemany`` in one transaction, ids
given up front, so 100,000 projects take seconds. The file is built beside its final name
and renamed into place only when complete. Demo data is not audited: no person made it.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import itertools
import json
import operator
import os
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Connection, Date, Table, select

from studio_desk.core.errors import WorkspaceError
from studio_desk.core.rules import name_key
from studio_desk.store.engine import create_workspace, open_workspace
from studio_desk.store.models import (
    Assignment,
    Base,
    Client,
    Person,
    Project,
    Relationship,
    Role,
)

#: A fixed day to count a demo's dates from, for what must build the same studio
#: whenever it runs (benchmarks, tests, pictures); a demo otherwise uses the clock's day.
DEMO_TODAY = dt.date(2026, 3, 2)
#: The days a demo can be dated around: its dates reach about seven years back and one
#: ahead, and must stay inside the calendar.
EARLIEST_TODAY = dt.date(1000, 1, 1)
LATEST_TODAY = dt.date(9000, 12, 31)

DEFAULT_PEOPLE = 12
DEFAULT_CLIENTS = 30
DEFAULT_PROJECTS = 80

#: How a demo studio's projects are spread over the statuses (weights).
STATUS_WEIGHTS = {"active": 38, "back-burner": 30, "pitch": 8, "on-hold": 8, "done": 13,
                  "cancelled": 3}
#: Share of projects of each status that have a manager today; the rest show up on the
#: dashboard as projects without one.
MANAGED_SHARE = {"active": 0.88, "back-burner": 0.85, "pitch": 0.4, "on-hold": 0.7,
                 "done": 0.9, "cancelled": 0.6}


@cache
def demo_names() -> dict[str, Any]:
    """The name lists of ``resources/demo_names.json``."""
    text = (resources.files("studio_desk") / "resources" / "demo_names.json").read_text(
        encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def demo_sizes(projects: int | None = None, people: int | None = None,
               clients: int | None = None) -> tuple[int, int, int]:
    """(people, clients, projects): sizes not given grow with the number of projects, in
    the proportions of the default studio (12 people and 30 clients for 80 projects)."""
    if projects is None:
        projects = DEFAULT_PROJECTS
    if people is None:
        people = (DEFAULT_PEOPLE if projects == DEFAULT_PROJECTS
                  else max(3, round(projects * DEFAULT_PEOPLE / DEFAULT_PROJECTS)))
    if clients is None:
        clients = (DEFAULT_CLIENTS if projects == DEFAULT_PROJECTS
                   else max(3, round(projects * DEFAULT_CLIENTS / DEFAULT_PROJECTS)))
    return people, clients, projects


def demo_day(text: str) -> dt.date:
    """The day ``text`` (``YYYY-MM-DD``) names, for dating a demo around it; ValueError
    with a message saying what is wrong otherwise."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise ValueError(f"“{text}” is not a date written YYYY-MM-DD (such as 2027-05-10)")
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"“{text}” is not a day of the calendar") from None
    if not EARLIEST_TODAY <= day <= LATEST_TODAY:
        raise ValueError(f"{day.isoformat()} is too far off; give a day from "
                         f"{EARLIEST_TODAY.isoformat()} to {LATEST_TODAY.isoformat()}")
    return day


#: Letters that do not decompose into an ASCII letter and an accent.
_UNDECOMPOSABLE = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae",
                                 "Æ": "AE", "đ": "d", "Đ": "D", "ı": "i", "þ": "th"})


def _ascii_slug(text: str, separator: str = "-") -> str:
    """``Café Lumière`` -> ``cafe-lumiere``: for invented email addresses and codes."""
    plain = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSABLE))
    plain = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", separator, plain.lower()).strip(separator)


def _unique(candidates: Iterator[Any], count: int, key: Callable[[Any], str],
            fallback: Callable[[int], Any]) -> list[Any]:
    """The first ``count`` candidates with distinct names, then numbered fallbacks."""
    seen: set[str] = set()
    chosen: list[Any] = []
    for candidate in candidates:
        if len(chosen) >= count:
            return chosen
        k = name_key(key(candidate))
        if k not in seen:
            seen.add(k)
            chosen.append(candidate)
    number = 1
    while len(chosen) < count:
        candidate = fallback(number)
        number += 1
        k = name_key(key(candidate))
        if k not in seen:
            seen.add(k)
            chosen.append(candidate)
    return chosen


@dataclass
class _Person:
    id: int
    name: str
    title: str
    client_facing: int
    manages: int  # how likely this person is to manage projects today (weight)


def _people_names(rng: random.Random, count: int) -> list[str]:
    """A curated, varied roster first (at least two names beyond ASCII), then invented
    combinations of first and last names, then middle initials."""
    data = demo_names()
    roster = list(data["people"])
    rng.shuffle(roster)
    chosen = roster[:count]
    if count >= 2:
        accented = [n for n in roster[count:] if not n.isascii()]
        for i in range(len(chosen) - 1, -1, -1):
            if sum(not n.isascii() for n in chosen) >= 2 or not accented:
                break
            if chosen[i].isascii():
                chosen[i] = accented.pop()
    if count <= len(chosen):
        return chosen
    firsts, lasts = list(data["first_names"]), list(data["last_names"])
    pairs = [f"{f} {last}" for f in firsts for last in lasts]
    rng.shuffle(pairs)
    initials = [f"{p.split(' ', 1)[0]} {chr(65 + i)}. {p.split(' ', 1)[1]}"
                for i in range(26) for p in pairs]

    def fallback(n: int) -> str:
        return f"{pairs[n % len(pairs)]} {n // len(pairs) + 2}"

    return _unique(itertools.chain(chosen, pairs, initials), count, str, fallback)


def _people_rows(rng: random.Random, count: int) -> tuple[list[dict[str, Any]],
                                                          list[_Person]]:
    titles: dict[str, dict[str, int]] = demo_names()["titles"]
    # The first dozen get one of each title, so a small demo shows every kind of role;
    # after that titles follow their weights.
    cycle = list(titles)
    rng.shuffle(cycle)
    weights = [titles[t]["weight"] for t in titles]
    # About one in seven works part-time; any studio of five or more has someone who does.
    part_timers = set(rng.sample(range(1, count + 1), round(count / 7))) if count >= 5 else set()
    rows, people = [], []
    for i, name in enumerate(_people_names(rng, count), start=1):
        title = cycle[i - 1] if i <= len(cycle) else rng.choices(list(titles), weights)[0]
        profile = titles[title]
        client_facing = min(5, max(0, profile["client_facing"] + rng.choice((-1, 0, 0, 1))))
        head_down = min(5, max(0, profile["head_down"] + rng.choice((-1, 0, 0, 1))))
        part_time = i in part_timers
        weekly = float(rng.choice((20, 24, 28, 32))) if part_time else rng.choice(
            (40.0, 40.0, 40.0, 37.5))
        email_name = _ascii_slug(name, ".")
        rows.append({
            "id": i, "version": 1, "name": name, "name_key": name_key(name),
            "email": f"{email_name}@studio.example", "title": title,
            "weekly_hours": weekly,
            "max_active_projects": 3 if part_time else rng.choice((5, 6, 6, 6, 7)),
            "max_backburner_projects": 8 if part_time else rng.choice((12, 15, 15, 15)),
            "max_clients": 6 if part_time else (15 if client_facing >= 4 else 12),
            "client_facing": client_facing, "head_down": head_down, "active": True,
        })
        people.append(_Person(i, name, title, client_facing, profile["manages"]))
    return rows, people


def _client_candidates(rng: random.Random) -> Iterator[tuple[str, str, str]]:
    """(name, prefix, industry): every prefix once before any prefix twice, then the same
    with a city added."""
    data = demo_names()
    prefixes = list(data["client_prefixes"])
    rng.shuffle(prefixes)
    options = [(industry, suffix) for industry, suffixes in data["industries"].items()
               for suffix in suffixes]
    per_prefix = {}
    for prefix in prefixes:
        mine = list(options)
        rng.shuffle(mine)
        per_prefix[prefix] = mine
    base = [(prefix, *per_prefix[prefix][round_])
            for round_ in range(len(options)) for prefix in prefixes]
    for prefix, industry, suffix in base:
        yield f"{prefix} {suffix}", prefix, industry
    cities = list(data["cities"])
    rng.shuffle(cities)
    for city in cities:
        for prefix, industry, suffix in base:
            yield f"{prefix} {suffix} {city}", prefix, industry


def _client_rows(rng: random.Random, count: int) -> tuple[list[dict[str, Any]], list[str]]:
    data = demo_names()
    firsts, lasts = data["first_names"], data["last_names"]
    notes = data["client_notes"]

    def fallback(n: int) -> tuple[str, str, str]:
        return f"Studio Client {n}", "Studio Client", "Other"

    chosen = _unique(_client_candidates(rng), count, lambda c: c[0], fallback)
    rows, codes, used_codes = [], [], set()
    prefix_uses = Counter(prefix for _name, prefix, _industry in chosen)
    for i, (name, prefix, industry) in enumerate(chosen, start=1):
        first = rng.choice(firsts)
        domain = _ascii_slug(name)
        if rng.random() < 0.7:
            phone = f"+44 20 7946 0{rng.randrange(1000):03d}"
        else:
            phone = f"+1 202 555 01{rng.randrange(100):02d}"
        rows.append({
            "id": i, "version": 1, "name": name, "name_key": name_key(name),
            "industry": industry, "contact_name": f"{first} {rng.choice(lasts)}",
            "contact_email": f"{_ascii_slug(first)}@{domain}.example",
            "contact_phone": phone,
            "notes": rng.choice(notes) if rng.random() < 0.3 else None,
            # How the studio calls the client in project names: "Juniper website".
            "short": prefix if prefix_uses[prefix] == 1 else name,
        })
        letters = _ascii_slug(prefix, "").upper()
        code = letters[:3]
        if code in used_codes:
            code = letters[:2] + _ascii_slug(name.split()[-1], "").upper()[:1]
        if code in used_codes:
            code = f"{letters[:3]}{i}"
        used_codes.add(code)
        codes.append(code)
    return rows, codes


#: Of the active projects that started at least a month ago, the share that is a little
#: late (due up to two weeks before today).
LATE_SHARE = 0.08


def _project_dates(rng: random.Random, status: str,
                   day: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """A project's start and due dates, counted from ``day`` (the demo's today)."""
    def days(low: int, high: int) -> dt.timedelta:
        return dt.timedelta(rng.randrange(low, high))

    if status == "active":
        # Most started in the last four months; some start in the coming weeks, so the
        # weeks ahead fill as others finish.
        start = day + days(1, 43) if rng.random() < 0.15 else day - days(0, 120)
        if start <= day - dt.timedelta(30) and rng.random() < LATE_SHARE:
            return start, day - days(1, 15)
        # Due in the next five months, and at least five weeks after the start.
        return start, max(max(start, day) + days(14, 150), start + dt.timedelta(35))
    if status == "back-burner":  # paused: started a while ago, due (if ever) ahead
        start = day - days(30, 300)
        return start, day + days(30, 270) if rng.random() < 0.7 else None
    if status == "pitch":
        if rng.random() < 0.4:
            return None, None
        start = day + days(7, 60)
        return start, start + days(30, 120)
    if status == "on-hold":  # waiting on the client: started, due ahead
        start = day - days(60, 365)
        return start, day + days(21, 200)
    start = day - days(120, 730)  # done, cancelled: all in the past
    return start, start + days(20, 100)


def _pick(rng: random.Random, cumulative: list[float], count: int) -> int:
    """An index drawn by the cumulative weights: ``random.choices`` for one item, without
    its overhead (this runs a few hundred thousand times for a large demo)."""
    return min(bisect.bisect(cumulative, rng.random() * cumulative[-1]), count - 1)


def _cumulative(weights: list[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _project_rows(rng: random.Random, count: int, clients: list[dict[str, Any]],
                  codes: list[str], people: list[_Person],
                  today: dt.date) -> list[dict[str, Any]]:
    types: dict[str, dict[str, Any]] = demo_names()["project_types"]
    type_names = list(types)
    statuses = list(STATUS_WEIGHTS)
    status_cum = _cumulative([float(w) for w in STATUS_WEIGHTS.values()])
    # A few clients bring much of the work, as in any studio.
    client_cum = _cumulative([1.0 + rng.paretovariate(1.5) for _ in clients])
    manager_cum = _cumulative([float(p.manages) for p in people])
    used: set[str] = set()
    per_client: dict[int, int] = {}
    rows = []
    for i in range(1, count + 1):
        c = _pick(rng, client_cum, len(clients))
        client = clients[c]
        kind = rng.choice(type_names)
        profile = types[kind]
        name = f"{client['short']} {kind}"
        phase = 1
        while name_key(name) in used:
            phase += 1
            name = f"{client['short']} {kind} phase {phase}"
        key = name_key(name)
        used.add(key)
        per_client[c] = per_client.get(c, 0) + 1
        status = statuses[_pick(rng, status_cum, len(statuses))]
        start, due = _project_dates(rng, status, today)
        low, high = profile["hours"]
        hours = float(round(rng.uniform(low, high) / 5) * 5)
        estimated = None if status == "pitch" and rng.random() < 0.5 else hours
        rate = rng.choice((85, 95, 110, 120, 135))
        manager = None
        if people and rng.random() < MANAGED_SHARE[status]:
            manager = people[_pick(rng, manager_cum, len(people))].id
        rows.append({
            "id": i, "version": 1, "client_id": client["id"], "name": name, "name_key": key,
            "code": f"{codes[c]}-{per_client[c]:02d}", "status": status,
            "start": start, "due": due,
            "budget": float(round(hours * rate, -2)) if estimated is not None else None,
            "estimated_hours": estimated,
            "technical_complexity": min(5, max(1, profile["complexity"]
                                               + rng.choice((-1, 0, 0, 1)))),
            "communication_load": min(5, max(1, profile["communication"]
                                             + rng.choice((-1, 0, 0, 1)))),
            "lead_type": None, "manager_id": manager,
        })
    return rows


def _relationship_rows(rng: random.Random, clients: list[dict[str, Any]],
                       people: list[_Person], today: dt.date) -> list[dict[str, Any]]:
    if not people:
        return []
    # Client-facing people know more clients.
    cum = _cumulative([1.0 + p.client_facing for p in people])
    rows: list[dict[str, Any]] = []
    for client in clients:
        known: set[int] = set()
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            person = people[_pick(rng, cum, len(people))].id
            if person in known:
                continue
            known.add(person)
            rows.append({
                "id": len(rows) + 1, "version": 1, "person_id": person,
                "client_id": client["id"],
                "strength": rng.choice((1, 1, 1, 2, 2, 2, 2, 3, 3)),
                "since": today - dt.timedelta(rng.randrange(60, 2500)),
            })
    return rows


def _assignment_rows(rng: random.Random, clients: list[dict[str, Any]],
                     projects: list[dict[str, Any]], people: list[_Person],
                     relationships: list[dict[str, Any]], roles: dict[str, int],
                     today: dt.date) -> list[dict[str, Any]]:
    """Account Managers for most clients (mostly someone who knows the client, some with
    a previous holder), and a Production Manager for every managed project."""
    if not people:
        return []
    strongest: dict[int, dict[str, Any]] = {}
    for r in relationships:
        best = strongest.get(r["client_id"])
        if best is None or r["strength"] > best["strength"]:
            strongest[r["client_id"]] = r
    cum = _cumulative([1.0 + p.client_facing ** 2 for p in people])
    rows: list[dict[str, Any]] = []

    def add(role: str, person: int, start: dt.date, end: dt.date | None = None,
            client_id: int | None = None, project_id: int | None = None) -> None:
        rows.append({"id": len(rows) + 1, "version": 1, "role_id": roles[role],
                     "person_id": person, "client_id": client_id, "project_id": project_id,
                     "start": start, "end": end})

    for client in clients:
        if rng.random() >= 0.85:
            continue
        known = strongest.get(client["id"])
        if known is not None and rng.random() < 0.7:
            person, start = known["person_id"], known["since"]
        else:
            person = people[_pick(rng, cum, len(people))].id
            start = today - dt.timedelta(rng.randrange(30, 900))
        if len(people) > 1 and rng.random() < 0.12:
            previous = person
            while previous == person:
                previous = people[_pick(rng, cum, len(people))].id
            add("account_manager", previous, start - dt.timedelta(rng.randrange(90, 900)),
                start - dt.timedelta(1), client_id=client["id"])
        add("account_manager", person, start, client_id=client["id"])
    for project in projects:
        if project["manager_id"] is None:
            continue
        start = project["start"]
        if start is None or start > today:
            start = today - dt.timedelta(14)
        add("production_manager", project["manager_id"], start, project_id=project["id"])
    return rows


def _insert_many(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` with the driver's own executemany.

    SQLAlchemy's per-row parameter processing costs more than SQLite's inserting for
    100,000 rows, so values are put in the form SQLAlchemy would store them (dates as ISO
    text, booleans as 0/1) and handed to the driver directly.
    """
    if not rows:
        return
    columns = list(rows[0])
    quote = connection.dialect.identifier_preparer.quote
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join('?' for _ in columns)})")

    pick = operator.itemgetter(*columns)
    dates = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, Date)]
    flags = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, Boolean)]
    params: list[Any] = []
    for row in rows:
        values = list(pick(row))
        for i in dates:
            if values[i] is not None:
                values[i] = values[i].isoformat()
        for i in flags:
            values[i] = int(values[i])
        params.append(tuple(values))
    connection.exec_driver_sql(sql, params)


def build_demo(path: Path | str, *, people: int = DEFAULT_PEOPLE,
               clients: int = DEFAULT_CLIENTS, projects: int = DEFAULT_PROJECTS,
               seed: int = 1, today: dt.date | None = None) -> dict[str, int]:
    """Create a new workspace at ``path`` holding a demo studio dated around ``today``
    (default: the clock's day); return counts per kind.

    Refuses a path that exists. The same arguments, ``today`` included, always give the
    same file.
    """
    day = dt.date.today() if today is None else today
    if min(people, clients, projects) < 0:
        raise ValueError("demo sizes cannot be negative")
    if not EARLIEST_TODAY <= day <= LATEST_TODAY:
        raise ValueError(f"a demo is dated around a day from {EARLIEST_TODAY.isoformat()} "
                         f"to {LATEST_TODAY.isoformat()}, not {day.isoformat()}")
    if projects and not clients:
        raise ValueError("projects need at least one client")
    target = Path(path).expanduser().absolute()
    if target.exists():
        raise WorkspaceError(f"{target} already exists; the demo makes a new workspace, "
                             "so choose a new file name.")
    rng = random.Random(seed)
    person_rows, staff = _people_rows(rng, people)
    client_rows, codes = _client_rows(rng, clients)
    project_rows = _project_rows(rng, projects, client_rows, codes, staff, day)
    relationship_rows = _relationship_rows(rng, client_rows, staff, day)

    building = target.with_name(target.name + ".demo")
    with contextlib.suppress(FileNotFoundError):
        building.unlink()
    create_workspace(building)
    try:
        with open_workspace(building) as workspace:
            with workspace.write() as session:
                roles = {key: role_id for key, role_id
                         in session.execute(select(Role.key, Role.id))}
                assignment_rows = _assignment_rows(rng, client_rows, project_rows, staff,
                                                   relationship_rows, roles, day)
                clients_table = [{k: v for k, v in c.items() if k != "short"}
                                 for c in client_rows]
                connection = session.connection()
                # The file is private until renamed into place, so a bigger cache helps
                # and nobody else is waiting on it.
                connection.exec_driver_sql("PRAGMA cache_size=-262144")
                for model, rows in ((Person, person_rows), (Client, clients_table),
                                    (Project, project_rows),
                                    (Relationship, relationship_rows),
                                    (Assignment, assignment_rows)):
                    _insert_many(connection, Base.metadata.tables[model.__tablename__],
                                 rows)
        if target.exists():
            raise WorkspaceError(f"{target} appeared while the demo was being built; "
                                 "choose a new file name.")
        os.replace(building, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            building.unlink()
        raise
    return {"person": len(person_rows), "client": len(client_rows),
            "project": len(project_rows), "relationship": len(relationship_rows),
            "assignment": len(assignment_rows)}
