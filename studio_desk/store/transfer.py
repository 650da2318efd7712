"""Importing checked CSV rows into a workspace, and exporting its records as CSV rows.

Rows read from a workbook (``core.spreadsheets``) are the same checked rows, so
everything here holds for ``.xlsx`` files too; a file can also start a new workspace
(:func:`import_into_new_workspace`).

An import is one transaction, the caller's: every row is checked (references, values
merged with what the record holds now) before the first row is written, so a bad row
anywhere means nothing is written. A row whose name (a project: client and name, since
two clients may each have a "Website rebuild"; a relationship: person and client) already
exists updates that record: only the columns the file has are changed, the name keeps its
stored spelling (``ben ode`` in a file finds Ben Ode, it does not rename him), and a row
that changes nothing is not written at all (no new version, no audit entry).

Large files are the point of an import, so records are read once into dictionaries and
written with Core ``executemany`` statements, not one ORM object at a time. That bypasses
the audit hook of ORM flushes, so the audit entries are written here, in the same form
the hook writes them (an ``add`` per new record, a ``change`` per changed column).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session, aliased

from studio_desk.core import fields as F
from studio_desk.core.csvio import EXPORT_COLUMNS, CsvProblem, CsvProblems, CsvTable, kind_of
from studio_desk.core.errors import ConflictError, CsvError, ValidationError, WorkspaceError
from studio_desk.core.rows import ROW_TYPES, PersonRow, ProjectRow, Row
from studio_desk.core.rules import name_key
from studio_desk.store import holders, records
from studio_desk.store.models import (
    MODELS_BY_KIND,
    Assignment,
    AuditEntry,
    Base,
    Client,
    Person,
    Project,
    Relationship,
    Role,
)

#: Reference field -> (table column, kind referred to).
_REFS: dict[str, dict[str, tuple[str, str]]] = {
    "person": {},
    "client": {},
    "project": {"client": ("client_id", "client"), "manager": ("manager_id", "person")},
    "relationship": {"person": ("person_id", "person"), "client": ("client_id", "client")},
}


_KIND_OF_ROW: dict[type[Row], str] = {row_type: kind for kind, row_type in ROW_TYPES.items()}


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or, for a dry run, would do)."""

    added: int
    updated: int
    unchanged: int = 0

    def describe(self, file: str, *, dry_run: bool = False) -> str:
        """One line for the user, e.g. ``people.csv: 3 added, 1 updated, 8 unchanged.``"""
        counts = f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged"
        if dry_run:
            return f"{file}: would be {counts} (dry run: nothing was saved)."
        return f"{file}: {counts}."


def _table(kind: str) -> Table:
    return Base.metadata.tables[MODELS_BY_KIND[kind].__tablename__]


def _relationship_ids(session: Session) -> dict[tuple[str, str], int]:
    """(person name key, client name key) -> relationship id."""
    query = (select(Person.name_key, Client.name_key, Relationship.id)
             .join(Person, Relationship.person_id == Person.id)
             .join(Client, Relationship.client_id == Client.id))
    return {(p, c): rid for p, c, rid in session.execute(query)}


def _values(row: Row) -> dict[str, Any]:
    """``row.values()`` without its deep copy, which dominates a 100,000-row import."""
    return {key: getattr(row, key) for key in F.KINDS[_KIND_OF_ROW[type(row)]].keys}


#: The fields an import matches an existing record by: a project's name is unique only
#: within its client.
_IDENTITY = {"person": ("name",), "client": ("name",), "project": ("client", "name"),
             "relationship": ("person", "client")}


def _key_of(kind: str, values: Mapping[str, Any]) -> Any:
    if kind == "relationship":
        return (name_key(values["person"]), name_key(values["client"]))
    if kind == "project":
        # A file's rows always carry a client (a required column).
        return (name_key(values.get("client") or ""), name_key(values["name"]))
    return name_key(values["name"])


def _existing_ids(session: Session, kind: str) -> dict[Any, int]:
    """:func:`_key_of` -> id for every record of ``kind`` in the workspace."""
    if kind == "relationship":
        return _relationship_ids(session)
    if kind == "project":
        return records.project_ids(session)
    return records.ids_by_name(session, kind)


class _Resolver:
    """Names -> ids for the kinds a file refers to, read once per import."""

    def __init__(self, session: Session, kind: str) -> None:
        self._ids = {target: records.ids_by_name(session, target)
                     for _column, target in _REFS[kind].values()}
        self.kind = kind

    def columns(self, values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """Field values -> table column values, and the problems of references not found."""
        columns: dict[str, Any] = {}
        problems: dict[str, str] = {}
        refs = _REFS[self.kind]
        for key, value in values.items():
            if key in refs:
                column, target = refs[key]
                if value is None:
                    columns[column] = None
                    continue
                found = self._ids[target].get(name_key(value))
                if found is None:
                    problems[key] = (f"There is no {F.KINDS[target].label.lower()} named "
                                     f"“{value}” in the workspace.")
                columns[column] = found
            else:
                columns[key] = value
        if "name" in values:
            columns["name_key"] = name_key(values["name"])
        return columns, problems


def import_rows(session: Session, kind: str, parsed_rows: CsvTable, *,
                dry_run: bool = False) -> ImportSummary:
    """Add or update the records of ``parsed_rows`` in the caller's transaction.

    ``kind`` is the kind key (``"project"``) or its plural (``"projects"``); an
    ``assignments`` file makes its people the current holders of the roles it names (see
    ``store.assignments_import``). Every row is checked before anything is written; any
    problem raises :class:`CsvProblems` naming each file row and column, and nothing is
    written. ``dry_run`` checks without writing.
    """
    kind = kind_of(kind).key
    if parsed_rows.kind != kind:
        raise CsvError(f"{parsed_rows.file} was read as {kind_of(parsed_rows.kind).plural}, "
                       f"not {kind_of(kind).plural}.")
    if kind == F.ASSIGNMENT.key:
        # Who holds what is not a record updated by name: its own module says how it goes.
        # (Imported here: that module builds on this one.)
        from studio_desk.store.assignments_import import import_assignments

        return import_assignments(session, parsed_rows, dry_run=dry_run)
    file = parsed_rows.file
    resolver = _Resolver(session, kind)
    existing_ids = _existing_ids(session, kind)
    updating = [r for r in parsed_rows.rows if _key_of(kind, r.values) in existing_ids]
    current: dict[int, Row] = {}
    if updating:
        # One query for every row rather than one per updated record.
        current = {row.id: row for row in records.list_rows(session, kind)}

    problems: list[CsvProblem] = []
    additions: list[dict[str, Any]] = []
    changes: list[tuple[int, int, dict[str, Any], dict[str, Any]]] = []
    unchanged = 0
    for csv_row in parsed_rows.rows:
        record_id = existing_ids.get(_key_of(kind, csv_row.values))
        before = current[record_id] if record_id is not None else None
        if before is None:
            merged = dict(csv_row.values)
        else:
            # The name only matched the record: its stored spelling stays (a file typed in
            # lower case, or saved with decomposed accents, does not rename anyone).
            stored = _values(before)
            merged = {**stored, **csv_row.values,
                      **{key: stored[key] for key in _IDENTITY[kind]}}
        try:
            clean = F.validate(F.KINDS[kind], merged)
        except ValidationError as exc:
            problems += [CsvProblem(file, csv_row.row, key, message)
                         for key, message in exc.problems.items()]
            continue
        new_columns, missing = resolver.columns(clean)
        if missing:
            problems += [CsvProblem(file, csv_row.row, key, message)
                         for key, message in missing.items()]
            continue
        if before is None:
            additions.append({**new_columns, "version": 1})
            continue
        old_columns, _ = resolver.columns(_values(before))
        changed = {c: v for c, v in new_columns.items() if old_columns.get(c) != v}
        if changed:
            changes.append((before.id, before.version, old_columns, changed))
        else:
            unchanged += 1
    if problems:
        problems.sort(key=lambda p: p.row)
        raise CsvProblems(problems)

    summary = ImportSummary(len(additions), len(changes), unchanged)
    if dry_run:
        return summary
    audit_entries: list[dict[str, Any]] = []
    _write_changes(session, kind, changes, audit_entries)
    _write_additions(session, kind, additions, audit_entries)
    if audit_entries:
        session.execute(insert(Base.metadata.tables[AuditEntry.__tablename__]),
                        audit_entries)
    return summary


def _audit_base(session: Session) -> dict[str, Any]:
    return {"at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
            "who": session.info.get("who") or "unknown user"}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _write_additions(session: Session, kind: str, additions: list[dict[str, Any]],
                     audit_entries: list[dict[str, Any]]) -> None:
    if not additions:
        return
    table = _table(kind)
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids = session.execute(statement, additions).scalars().all()
    base = _audit_base(session)
    for record_id, values in zip(ids, additions, strict=True):
        audit_entries.append({**base, "action": "add", "entity": table.name,
                              "entity_id": record_id, "field": "name", "old": None,
                              "new": values.get("name")})


def _write_changes(session: Session, kind: str,
                   changes: list[tuple[int, int, dict[str, Any], dict[str, Any]]],
                   audit_entries: list[dict[str, Any]]) -> None:
    if not changes:
        return
    table = _table(kind)
    base = _audit_base(session)
    # executemany needs the same columns in every row: group rows by what changed.
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for record_id, version, old, changed in changes:
        groups.setdefault(tuple(sorted(changed)), []).append(
            {"b_id": record_id, "b_version": version,
             **{f"b_{c}": v for c, v in changed.items()}})
        audit_entries += [{**base, "action": "change", "entity": table.name,
                           "entity_id": record_id, "field": column,
                           "old": _text(old.get(column)), "new": _text(value)}
                          for column, value in changed.items() if column != "name_key"]
    for columns, params in groups.items():
        statement = (update(table)
                     .where(table.c.id == bindparam("b_id"),
                            table.c.version == bindparam("b_version"))
                     .values({**{c: bindparam(f"b_{c}") for c in columns},
                              "version": table.c.version + 1}))
        result = session.execute(statement, params)
        if result.rowcount != len(params):  # type: ignore[attr-defined]
            # Only possible if something wrote outside this transaction's lock.
            raise ConflictError("Someone changed these records during the import; "
                                "nothing was imported. Try again.", theirs=None, mine={})


def import_into_new_workspace(path: Path | str, kind: str, parsed_rows: CsvTable, *,
                              dry_run: bool = False, who: str | None = None
                              ) -> ImportSummary:
    """Create a workspace at ``path`` (which must not exist) holding the records of
    ``parsed_rows``, as :func:`import_rows` adds them.

    The workspace is built and filled beside ``path`` and renamed into place only once
    every row is in, so it appears whole or not at all: a bad row (say, a project whose
    client is in no file yet) leaves no empty workspace behind to be mistaken for an
    import that worked. ``dry_run`` checks the rows against a new workspace and creates
    nothing.
    """
    from studio_desk.store.engine import create_workspace, open_workspace

    target = Path(path).expanduser().absolute()
    if target.exists():
        raise WorkspaceError(f"{target} already exists; choose another name.")
    building = target.with_name(target.name + ".importing")
    leftovers = (building, building.with_name(building.name + "-journal"))
    for leftover in leftovers:  # from an import cut short (kill -9, power cut)
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    try:
        create_workspace(building)
        with open_workspace(building, who=who) as workspace:
            session_of = workspace.read if dry_run else workspace.write
            with session_of() as session:
                summary = import_rows(session, kind, parsed_rows, dry_run=dry_run)
        if not dry_run:
            if target.exists():
                raise WorkspaceError(f"{target} was created by someone else during the "
                                     "import; nothing was imported, so import again into "
                                     "that workspace or choose another name.")
            os.replace(building, target)
    finally:
        for leftover in leftovers:
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return summary


# --- export --------------------------------------------------------------------------------

def export_rows(session: Session, kind: str, *, as_of: dt.date | None = None,
                today: dt.date | None = None) -> list[dict[str, str]]:
    """The cells of every record of ``kind`` (``people``, ``clients``, ``projects`` or
    ``assignments``) as text keyed by column (DESIGN §7), sorted by name, as they stand
    on ``as_of`` (default ``today``, itself the computer's date by default): who holds
    each role, each project's manager and each person's limits that day
    (``store.holders``: a plan applied ahead of its effective date counts from it)."""
    today = today or dt.date.today()
    day = as_of or today
    if kind == "assignments":
        return _assignment_rows(session, day)
    k = kind_of(kind)
    columns = EXPORT_COLUMNS[k.plural]
    cells = [(c, k.field(c)) for c in columns]
    format_value = F.format_value
    rows: Sequence[Row] = records.list_rows(session, k.key)
    if k.key == "person":
        rows = holders.with_limits((r for r in rows if isinstance(r, PersonRow)),
                                   holders.limits_on(session, day, today=today))
    elif k.key == "project":
        rows = holders.with_managers(
            (r for r in rows if isinstance(r, ProjectRow)),
            holders.manager_changes_on(session, day, today=today),
            dict(session.execute(select(Person.id, Person.name)).all()))
    return [{c: format_value(f, getattr(row, c)) for c, f in cells} for row in rows]


def _assignment_rows(session: Session, day: dt.date) -> list[dict[str, str]]:
    """Who holds each role on ``day`` (the assignment covering it; of two, the one that
    started last), with who held the same role before them."""
    project_client = aliased(Client)
    query = (select(Assignment.id, Assignment.role_id, Assignment.client_id,
                    Assignment.project_id, Assignment.start, Assignment.end, Role.key,
                    Person.name, Client.name, Client.name_key, Project.name,
                    Project.name_key, project_client.name, project_client.name_key)
             .join(Role, Assignment.role_id == Role.id)
             .join(Person, Assignment.person_id == Person.id)
             .outerjoin(Client, Assignment.client_id == Client.id)
             .outerjoin(Project, Assignment.project_id == Project.id)
             .outerjoin(project_client, Project.client_id == project_client.id)
             .where(Assignment.start <= day)
             .order_by(Assignment.start, Assignment.id))
    Target = tuple[int, int | None, int | None]  # role, client, project
    ended: dict[Target, list[tuple[dt.date, dt.date, int, str]]] = {}
    current: dict[Target, tuple[dt.date, tuple[str, str, str], dict[str, str]]] = {}
    for (aid, role_id, client_id, project_id, start, end, role, person, client, client_key,
         project, project_key, p_client, p_client_key) in session.execute(query):
        target = (role_id, client_id, project_id)
        if end is None or end >= day:
            # In start order: the one that started last on or before the day holds it.
            order = (client_key or p_client_key or "", project_key or "", role)
            current[target] = (start, order, {
                "client": client or p_client or "", "project": project or "", "role": role,
                "person": person, "previous_person": "", "reason": ""})
        else:
            ended.setdefault(target, []).append((end, start, aid, person))
    rows = sorted(current.items(), key=lambda item: item[1][1])
    for target, (start, _order, row) in rows:
        before = [e for e in ended.get(target, ()) if e[0] < start]
        if before:
            row["previous_person"] = max(before)[3]
    return [row for _target, (_start, _order, row) in rows]
