"""Importing who holds what today: an assignments CSV file (``import assignments``).

Each row makes a person the current holder of a client's Account Manager role or of a
project's Production Manager role, from ``since`` (today when the cell is empty). The
workspace keeps history the way applying a plan does (see ``store.plans``):

* assignments cover whole days, so someone else's open assignment of the same role for
  the same client or project ends the day *before* ``since`` (one that itself starts on or
  after ``since`` ends on its own start day), and the new holder's starts *on* it;
* a person who already holds the role keeps their assignment as it is: nothing changes;
* a Production Manager also becomes the project's ``manager`` (how the rest of the app
  reads who manages a project today), raising the project's version. A manager recorded
  only on the project, with no assignment yet, counts as the previous holder and gets a
  closed assignment in the history, as applying a plan gives them.

The summary counts a role that had no holder as *added*, one that changed hands (or whose
project named a different manager than its assignment, now made to agree) as *updated*,
and one already held as the file says as *unchanged*.

A project is found by its client and its name, since two clients may each have a
"Website rebuild". A Production Manager row may leave its client empty (or the file may
have no client column) when no other client has a project of that name; when several do,
the row is refused, naming their clients.

Like the other imports, it is one transaction, the caller's: every row is checked before
anything is written, and any problem (unknown client, project or person, a project of
another client, a project name several clients use and no client given, someone who has
left the studio, two rows for the same role) raises :class:`CsvProblems` naming the file,
row and column of each, with nothing written. Writes are Core statements, so the
audit entries are written here, in the form ``store.transfer`` writes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from studio_desk.core import fields as F
from studio_desk.core.catalog import ROLE_NAMES
from studio_desk.core.csvio import CsvProblem, CsvProblems, CsvRow, CsvTable
from studio_desk.core.errors import ConflictError, CsvError, ValidationError
from studio_desk.core.rules import name_key
from studio_desk.store.models import (
    Assignment,
    AuditEntry,
    Base,
    Client,
    Person,
    Project,
    Role,
)
from studio_desk.store.transfer import ImportSummary, _audit_base, _text

#: What a role is held for: ("client", client id) or ("project", project id).
Target = tuple[str, int]


@dataclass(frozen=True)
class _Open:
    """An open assignment as read: enough to end it, guarded by its version."""

    id: int
    person_id: int
    start: dt.date
    version: int


@dataclass(frozen=True)
class _ProjectFacts:
    id: int
    client_id: int
    name: str
    start: dt.date | None
    manager_id: int | None
    version: int


@dataclass
class _Writes:
    """Everything an import will write, gathered before the first statement."""

    endings: list[tuple[_Open, dt.date]] = field(default_factory=list)
    openings: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # row, label
    managers: list[tuple[_ProjectFacts, int]] = field(default_factory=list)


class _Workspace:
    """The names, projects and open assignments an assignments file refers to, read once."""

    def __init__(self, session: Session) -> None:
        self.clients: dict[str, tuple[int, str]] = {
            key: (cid, name) for key, cid, name
            in session.execute(select(Client.name_key, Client.id, Client.name))}
        self.client_names = {cid: name for cid, name in self.clients.values()}
        self.people: dict[str, tuple[int, str, bool]] = {
            key: (pid, name, bool(active)) for key, pid, name, active
            in session.execute(select(Person.name_key, Person.id, Person.name,
                                      Person.active))}
        self.person_names = {pid: name for pid, name, _active in self.people.values()}
        self.projects: dict[str, list[_ProjectFacts]] = {}
        for key, pid, client_id, name, start, manager_id, version in session.execute(
                select(Project.name_key, Project.id, Project.client_id, Project.name,
                       Project.start, Project.manager_id, Project.version)):
            self.projects.setdefault(key, []).append(
                _ProjectFacts(pid, client_id, name, start, manager_id, version))
        self.roles: dict[str, int] = dict(session.execute(
            select(Role.key, Role.id).where(Role.key.in_(F.ASSIGNMENT_ROLES))).all())
        self.open: dict[tuple[int, Target], list[_Open]] = {}
        for role_id, of_client, of_project, aid, person_id, since, version in session.execute(
                select(Assignment.role_id, Assignment.client_id, Assignment.project_id,
                       Assignment.id, Assignment.person_id, Assignment.start,
                       Assignment.version)
                .where(Assignment.end.is_(None),
                       Assignment.role_id.in_(list(self.roles.values())))
                .order_by(Assignment.start, Assignment.id)):
            # The schema holds exactly one of client_id and project_id (ck_assignment_target).
            target: Target = ("project", of_project) if of_project is not None \
                else ("client", of_client or 0)
            self.open.setdefault((role_id, target), []).append(
                _Open(aid, person_id, since, version))


def import_assignments(session: Session, parsed_rows: CsvTable, *, dry_run: bool = False,
                       today: dt.date | None = None) -> ImportSummary:
    """Make the people of ``parsed_rows`` the current holders of the roles the rows name,
    in the caller's transaction (rules in the module docstring).

    Every row is checked first; any problem raises :class:`CsvProblems` and nothing is
    written. ``dry_run`` checks and counts without writing. ``today`` is the date of rows
    without ``since`` (default: the computer's today).
    """
    if parsed_rows.kind != F.ASSIGNMENT.key:
        raise CsvError(f"{parsed_rows.file} was not read as an assignments file.")
    today = today or dt.date.today()
    ws = _Workspace(session)
    missing_roles = [key for key in F.ASSIGNMENT_ROLES if key not in ws.roles]
    if missing_roles:  # seeded by the first migration; only a damaged workspace lacks one
        raise CsvError(f"The workspace has no {ROLE_NAMES[missing_roles[0]]} role; run "
                       "“studio-desk check” on it.")
    file = parsed_rows.file
    problems: list[CsvProblem] = []
    writes = _Writes()
    added = updated = unchanged = 0
    rows_of: dict[tuple[str, Target], int] = {}
    for csv_row in parsed_rows.rows:
        found = _resolve(ws, file, csv_row, today, problems)
        if found is None:
            continue
        role, client_id, project, person_id, since = found
        target: Target = ("project", project.id) if project is not None \
            else ("client", client_id)
        first = rows_of.setdefault((role, target), csv_row.row)
        if first != csv_row.row:
            # Spelt differently (one row naming the client, one not), so the file's own
            # check could not see it: one role, two holders from one file.
            of = (f"{ws.client_names[client_id]}’s project “{project.name}”"
                  if project is not None else f"“{ws.client_names[client_id]}”")
            problems.append(CsvProblem(
                file, csv_row.row, "project" if project is not None else "client",
                f"The {ROLE_NAMES[role]} of {of} appears twice in the file, in rows "
                f"{first} and {csv_row.row}."))
            continue
        outcome = _hold(ws, writes, role, client_id, project, person_id, since)
        if outcome == "added":
            added += 1
        elif outcome == "updated":
            updated += 1
        else:
            unchanged += 1
    if problems:
        problems.sort(key=lambda p: p.row)
        raise CsvProblems(problems)
    summary = ImportSummary(added, updated, unchanged)
    if not dry_run:
        _write(session, ws, writes)
    return summary


def _resolve(ws: _Workspace, file: str, csv_row: CsvRow, today: dt.date,
             problems: list[CsvProblem]
             ) -> tuple[str, int, _ProjectFacts | None, int, dt.date] | None:
    """The row's role, client id, project, person id and start (``today`` if the row
    has none), or ``None`` with its problems added to ``problems``."""
    def problem(column: str, message: str) -> None:
        problems.append(CsvProblem(file, csv_row.row, column, message))

    try:
        values = F.validate(F.ASSIGNMENT, csv_row.values)
    except ValidationError as exc:
        for key, message in exc.problems.items():
            problem(key, message)
        return None
    before = len(problems)
    client: tuple[int, str] | None = None
    if values["client"] is not None:
        client = ws.clients.get(name_key(values["client"]))
        if client is None:
            problem("client",
                    f"There is no client named “{values['client']}” in the workspace.")
    person = ws.people.get(name_key(values["person"]))
    if person is None:
        problem("person", f"There is no person named “{values['person']}” in the workspace.")
    elif not person[2]:
        problem("person", f"{person[1]} has left the studio (marked inactive), so cannot "
                          "hold a role; mark them active again or name someone else.")
    project: _ProjectFacts | None = None
    if values["project"] is not None:
        candidates = ws.projects.get(name_key(values["project"]), [])
        owners = sorted((ws.client_names[p.client_id] for p in candidates), key=name_key)
        if client is not None:
            project = next((p for p in candidates if p.client_id == client[0]), None)
            if project is None and candidates:
                problem("project", f"The project “{candidates[0].name}” belongs to "
                                   f"{_and(owners)}, not to {client[1]}.")
        elif values["client"] is None and len(candidates) == 1:
            project = candidates[0]
            client = (project.client_id, ws.client_names[project.client_id])
        elif values["client"] is None and candidates:
            problem("project", f"“{candidates[0].name}” is the name of a project of "
                               f"{_and(owners)}, and the row names no client to say which; "
                               "fill in its client (add a client column if the file has "
                               "none).")
        if not candidates:
            problem("project", f"There is no project named “{values['project']}” in the "
                               "workspace.")
    if len(problems) > before or client is None or person is None:
        return None
    return values["role"], client[0], project, person[0], values["since"] or today


def _and(names: list[str]) -> str:
    """"Acme", "Acme and Borealis", "Acme, Borealis and Cobalt"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _label(ws: _Workspace, role: str, client_id: int, project: _ProjectFacts | None,
           person_id: int) -> str:
    """How the history names a new assignment: "Ana Ruiz – Account Manager of Acme"."""
    of = project.name if project is not None else ws.client_names[client_id]
    return f"{ws.person_names[person_id]} – {ROLE_NAMES[role]} of {of}"


def _hold(ws: _Workspace, writes: _Writes, role: str, client_id: int,
          project: _ProjectFacts | None, person_id: int, since: dt.date) -> str:
    """Gather the writes that make ``person_id`` hold ``role`` from ``since``; say whether
    the role was ``added``, ``updated`` or ``unchanged``."""
    role_id = ws.roles[role]
    target: Target = ("project", project.id) if project is not None else ("client", client_id)
    open_now = ws.open.get((role_id, target), [])
    keep = next((a for a in open_now if a.person_id == person_id), None)
    ending = [a for a in open_now if a is not keep]
    manager_id = project.manager_id if project is not None else None
    manager_moves = project is not None and manager_id != person_id
    if keep is not None and not ending and not manager_moves:
        return "unchanged"
    day_before = since - dt.timedelta(days=1)
    for assignment in ending:
        writes.endings.append((assignment, max(assignment.start, day_before)))
    new_row = {"role_id": role_id, "person_id": person_id,
               "client_id": None if project is not None else client_id,
               "project_id": project.id if project is not None else None}
    if (project is not None and not open_now and manager_id is not None
            and manager_id != person_id):
        # The manager was only recorded on the project: keep them in the history.
        start = project.start if project.start is not None and project.start <= day_before \
            else day_before
        writes.openings.append(({**new_row, "person_id": manager_id, "start": start,
                                 "end": day_before},
                                _label(ws, role, client_id, project, manager_id)))
    if keep is None:
        writes.openings.append(({**new_row, "start": since, "end": None},
                                _label(ws, role, client_id, project, person_id)))
    if project is not None and manager_moves:
        writes.managers.append((project, person_id))
    had_holder = bool(open_now) or manager_id is not None
    return "updated" if had_holder else "added"


def _write(session: Session, ws: _Workspace, writes: _Writes) -> None:
    """Carry out ``writes`` with Core statements and log each change in the audit log."""
    base = _audit_base(session)
    audit: list[dict[str, Any]] = []
    assignments = Base.metadata.tables[Assignment.__tablename__]
    projects = Base.metadata.tables[Project.__tablename__]
    if writes.endings:
        _update_versioned(session, assignments, "end",
                          ((a.id, a.version, end) for a, end in writes.endings))
        audit += [{**base, "action": "change", "entity": assignments.name, "entity_id": a.id,
                   "field": "end", "old": None, "new": _text(end)}
                  for a, end in writes.endings]
    if writes.managers:
        _update_versioned(session, projects, "manager_id",
                          ((p.id, p.version, pid) for p, pid in writes.managers))
        audit += [{**base, "action": "change", "entity": projects.name, "entity_id": p.id,
                   "field": "manager_id", "old": _text(p.manager_id), "new": _text(pid)}
                  for p, pid in writes.managers]
    if writes.openings:
        statement = insert(assignments).returning(assignments.c.id,
                                                  sort_by_parameter_order=True)
        ids = session.execute(statement, [{**row, "version": 1}
                                          for row, _label in writes.openings]).scalars().all()
        audit += [{**base, "action": "add", "entity": assignments.name, "entity_id": new_id,
                   "field": "name", "old": None, "new": label}
                  for new_id, (_row, label) in zip(ids, writes.openings, strict=True)]
    if audit:
        session.execute(insert(Base.metadata.tables[AuditEntry.__tablename__]), audit)


def _update_versioned(session: Session, table: Table, column: str,
                      changes: Iterable[tuple[int, int, Any]]) -> None:
    """Set ``column`` of each (id, version read, value), raising the version; refuse if a
    row changed since it was read."""
    params = [{"b_id": record_id, "b_version": version, "b_value": value}
              for record_id, version, value in changes]
    statement = (update(table)
                 .where(table.c.id == bindparam("b_id"),
                        table.c.version == bindparam("b_version"))
                 .values({column: bindparam("b_value"), "version": table.c.version + 1}))
    result = session.execute(statement, params)
    if result.rowcount != len(params):  # type: ignore[attr-defined]
        # Only possible if something wrote outside this transaction's lock.
        raise ConflictError("Someone changed these assignments or projects during the "
                            "import; nothing was imported. Try again.", theirs=None, mine={})
