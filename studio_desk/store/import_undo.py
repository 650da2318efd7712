"""An import as one step that can be taken back and made again (the window's Undo).

``store.transfer.import_rows`` writes a whole file in one transaction with Core
statements, so the ORM never sees what it changed. To undo it, :func:`import_recording`
reads, in that same transaction, the rows the import may touch before it runs and what
they hold afterwards:

* the records it added are the rows with an id above the table's largest id before the
  import (the transaction holds the write lock, so nobody else can have inserted them);
* the records it changed are the rows whose ``version`` went up; their values before
  come from a snapshot of the candidates, read first: the records named in the file (and,
  for an assignments file, the open assignments it may end). Every version of the
  table is compared, so a change outside the snapshot cannot slip by: it is a bug, and
  the import is refused as a whole rather than recorded half.

:func:`undo_import` deletes the added records and writes the old values back;
:func:`redo_import` puts the same records back with the same ids and writes the new values
again. Both are versioned like every other change: when a colleague has changed one of
the records since (or added something that belongs to an added record), the step is
refused with a :class:`ConflictError` and nothing is written, so an undo never overwrites
a colleague's work or takes it away with a deleted record. Each step records its changes
in the audit log, in the form ``store.transfer`` uses, so colleagues' windows see them.

Like every service here, each function takes the caller's session and never commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from studio_desk.core import fields as F
from studio_desk.core.csvio import CsvTable, kind_of
from studio_desk.core.errors import ConflictError
from studio_desk.core.rules import name_key
from studio_desk.store.models import AuditEntry, Base
from studio_desk.store.transfer import ImportSummary, _audit_base, _text, import_rows

#: Ids per ``IN (…)`` list: well under SQLite's limit on bound parameters.
_CHUNK = 500
#: Bookkeeping columns a person reading the history does not need to see.
_SILENT = frozenset({"id", "version", "name_key"})
#: What the history calls each table's records, for the messages of a refused step.
_PLURALS = {"person": "people", "client": "clients", "project": "projects",
            "relationship": "relationships", "assignment": "assignments"}

#: The tables an import of each kind writes to.
_TABLES: dict[str, tuple[str, ...]] = {
    "person": ("person",),
    "client": ("client",),
    "project": ("project",),
    "relationship": ("relationship",),
    # An assignments file ends and opens assignments and moves projects' managers.
    "assignment": ("assignment", "project"),
}

Key = tuple[str, int]  # (table, id)


@dataclass(frozen=True)
class ImportedRecord:
    """One record an import added or changed: its values before (None: added) and
    after, column by column, without ``id`` and ``version``."""

    table: str
    id: int
    before: Mapping[str, Any] | None
    after: Mapping[str, Any]

    @property
    def key(self) -> Key:
        return (self.table, self.id)


@dataclass(frozen=True)
class ImportedRecords:
    """What an import changed, and the version each of those records has now (or had
    when an undo removed it), so the next undo or redo notices a colleague's change."""

    kind: str  # the kind key: "person", …, "assignment"
    file: str
    summary: ImportSummary
    records: tuple[ImportedRecord, ...]
    versions: Mapping[Key, int]

    @property
    def tables(self) -> frozenset[str]:
        """The tables the import wrote to (kind keys: ``person``, ``project``, …)."""
        return frozenset(r.table for r in self.records)

    @property
    def added(self) -> tuple[ImportedRecord, ...]:
        return tuple(r for r in self.records if r.before is None)

    @property
    def changed(self) -> tuple[ImportedRecord, ...]:
        return tuple(r for r in self.records if r.before is not None)


def import_recording(session: Session, kind: str, table: CsvTable) -> ImportedRecords:
    """Import ``table`` as :func:`store.transfer.import_rows` does (all rows or none, in
    the caller's transaction), and return what it added and changed, for undo."""
    kind_key = kind_of(kind).key
    names = _TABLES[kind_key]
    tables = {name: _table(name) for name in names}
    largest = {name: session.scalar(select(func.max(t.c.id))) or 0
               for name, t in tables.items()}
    versions_before = {name: _versions(session, t) for name, t in tables.items()}
    snapshot: dict[Key, dict[str, Any]] = {}
    for name, criterion in _candidates(kind_key, table):
        for row in _rows_where(session, tables[name], criterion):
            snapshot[(name, row["id"])] = row

    summary = import_rows(session, kind_key, table)

    records: list[ImportedRecord] = []
    versions: dict[Key, int] = {}
    for name, t in tables.items():
        before = versions_before[name]
        after = _versions(session, t)
        gone = before.keys() - after.keys()
        changed_ids = [i for i, v in after.items() if i in before and before[i] != v]
        unseen = [i for i in changed_ids if (name, i) not in snapshot]
        if gone or unseen:
            # Our fault, not the user's: the snapshot missed what the import touched.
            raise RuntimeError(f"The import of {table.file} changed {name} rows it was "
                               f"not expected to ({sorted(gone)[:3] or unseen[:3]}).")
        for row in _rows_by_ids(session, t, changed_ids):
            old = snapshot[(name, row["id"])]
            versions[(name, row["id"])] = row["version"]
            records.append(ImportedRecord(name, row["id"], _values(old), _values(row)))
        for row in _rows_where(session, t, t.c.id > largest[name]):
            versions[(name, row["id"])] = row["version"]
            records.append(ImportedRecord(name, row["id"], None, _values(row)))
    return ImportedRecords(kind_key, table.file, summary, tuple(records), versions)


def undo_import(session: Session, imported: ImportedRecords) -> ImportedRecords:
    """Take an import back: delete the records it added, write back the values it
    changed. Raises :class:`ConflictError` (writing nothing) when a colleague changed or
    deleted one of them since, or added something that belongs to an added record."""
    _check_versions(session, imported, imported.records, "undone")
    added = imported.added
    _check_no_dependents(session, imported, added)
    audit: list[dict[str, Any]] = []
    base = _audit_base(session)
    for name in _children_first(imported.tables):
        ids = [r.id for r in added if r.table == name]
        table = _table(name)
        for chunk in _chunks(ids):
            session.execute(delete(table).where(table.c.id.in_(chunk)))
        audit += [{**base, "action": "delete", "entity": name, "entity_id": r.id,
                   "field": "name", "old": _text(r.after.get("name")), "new": None}
                  for r in added if r.table == name]
    versions = dict(imported.versions)
    changed = imported.changed
    _write_values(session, [(r, r.before or {}) for r in changed], versions)
    audit += _change_entries(base, ((r, r.after, r.before or {}) for r in changed))
    if audit:
        session.execute(insert(Base.metadata.tables[AuditEntry.__tablename__]), audit)
    return replace(imported, versions=versions)


def redo_import(session: Session, imported: ImportedRecords) -> ImportedRecords:
    """Make an undone import again: the same records back with their ids, the same
    values written again. Raises :class:`ConflictError` (writing nothing) when the
    workspace has moved on: a changed record was changed or deleted since, or a name or
    id the import adds has been taken meanwhile."""
    changed = imported.changed
    _check_versions(session, imported, changed, "made again")
    versions = dict(imported.versions)
    audit: list[dict[str, Any]] = []
    base = _audit_base(session)
    added = imported.added
    try:
        with session.begin_nested():  # all or nothing, whatever the caller does next
            for name in _parents_first(imported.tables):
                rows = [{**r.after, "id": r.id, "version": versions[r.key] + 1}
                        for r in added if r.table == name]
                if rows:
                    session.execute(insert(_table(name)), rows)
    except IntegrityError:
        raise ConflictError(f"The import of {imported.file} cannot be made again: the "
                            "workspace has changed since (a name it adds is taken, or "
                            "something it refers to is gone).", theirs=None,
                            mine={}) from None
    for r in added:
        versions[r.key] += 1
    audit += [{**base, "action": "add", "entity": r.table, "entity_id": r.id,
               "field": "name", "old": None, "new": _text(r.after.get("name"))}
              for r in added]
    _write_values(session, [(r, r.after) for r in changed], versions)
    audit += _change_entries(base, ((r, r.before or {}, r.after) for r in changed))
    if audit:
        session.execute(insert(Base.metadata.tables[AuditEntry.__tablename__]), audit)
    return replace(imported, versions=versions)


# --- reading ---------------------------------------------------------------------------

def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _values(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("id", "version")}


def _versions(session: Session, table: Table) -> dict[int, int]:
    return {i: v for i, v in session.execute(select(table.c.id, table.c.version))}


def _rows_where(session: Session, table: Table,
                criterion: ColumnElement[bool]) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in session.execute(select(table).where(criterion))]


def _rows_by_ids(session: Session, table: Table, ids: Sequence[int]) -> Iterator[dict[str, Any]]:
    for chunk in _chunks(ids):
        yield from _rows_where(session, table, table.c.id.in_(chunk))


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _candidates(kind: str, parsed: CsvTable) -> Iterator[tuple[str, ColumnElement[bool]]]:
    """(table, criterion) for every row the import of ``parsed`` may change: the records
    its rows name (matched by name as ``import_rows`` matches them)."""
    def named(table_name: str, field: str) -> Iterator[tuple[str, ColumnElement[bool]]]:
        keys = sorted({name_key(r.values[field]) for r in parsed.rows
                       if r.values.get(field)})
        column = _table(table_name).c.name_key
        for chunk in _chunks(keys):
            yield table_name, column.in_(chunk)

    if kind in ("person", "client", "project"):
        yield from named(kind, "name")
    elif kind == "relationship":
        # Matched by the pair of names; the table is small next to the others.
        yield "relationship", _table("relationship").c.id.isnot(None)
    elif kind == F.ASSIGNMENT.key:
        # Open assignments may be ended; projects named in the file get a new manager.
        yield "assignment", _table("assignment").c.end.is_(None)
        yield from named("project", "project")


# --- checking ----------------------------------------------------------------------------

def _check_versions(session: Session, imported: ImportedRecords,
                    records: Iterable[ImportedRecord], doing: str) -> None:
    """Refuse when any of ``records`` is gone or has another version than expected."""
    by_table: dict[str, list[int]] = {}
    for r in records:
        by_table.setdefault(r.table, []).append(r.id)
    moved: dict[str, int] = {}
    for name, ids in by_table.items():
        table = _table(name)
        now: dict[int, int] = {}
        for chunk in _chunks(ids):
            now.update((i, v) for i, v in session.execute(
                select(table.c.id, table.c.version).where(table.c.id.in_(chunk))))
        count = sum(1 for i in ids if now.get(i) != imported.versions[(name, i)])
        if count:
            moved[name] = count
    if moved:
        what = _counted(moved)
        raise ConflictError(f"The import of {imported.file} cannot be {doing}: someone has "
                            f"since changed or deleted {what} it touched; look at their "
                            "changes and edit the records by hand.", theirs=None, mine={})


def _check_no_dependents(session: Session, imported: ImportedRecords,
                         added: Sequence[ImportedRecord]) -> None:
    """Refuse when a record that is not part of the import refers to one it added (a
    colleague's project for an imported client, a plan row for an imported person):
    deleting the added record would take it with it, or leave it pointing nowhere."""
    added_ids: dict[str, set[int]] = {}
    for r in added:
        added_ids.setdefault(r.table, set()).add(r.id)
    found: dict[str, int] = {}
    for referring in Base.metadata.sorted_tables:
        own = added_ids.get(referring.name, set())
        for fk in referring.foreign_keys:
            ids = sorted(added_ids.get(fk.column.table.name, ()))
            if not ids:
                continue
            for chunk in _chunks(ids):
                rows = session.scalars(select(referring.c.id).where(
                    fk.parent.in_(chunk))).all()
                others = [i for i in rows if i not in own]
                if others:
                    name = referring.name
                    found[name] = found.get(name, 0) + len(others)
    if found:
        raise ConflictError(f"The import of {imported.file} cannot be undone: records added "
                            f"since ({_counted(found)}) belong to records it added; delete "
                            "those first, or keep the import.", theirs=None, mine={})


def _counted(counts: Mapping[str, int]) -> str:
    """``{"person": 2, "plan_item": 1}`` as "2 people and 1 plan item"."""
    parts = []
    for table, n in counts.items():
        noun = table.replace("_", " ")
        parts.append(f"{n} {noun if n == 1 else _PLURALS.get(table, noun + 's')}")
    return " and ".join(parts)


# --- writing -----------------------------------------------------------------------------

def _children_first(tables: Iterable[str]) -> list[str]:
    wanted = set(tables)
    return [t.name for t in reversed(Base.metadata.sorted_tables) if t.name in wanted]


def _parents_first(tables: Iterable[str]) -> list[str]:
    return list(reversed(_children_first(tables)))


def _write_values(session: Session, writes: Sequence[tuple[ImportedRecord, Mapping[str, Any]]],
                  versions: dict[Key, int]) -> None:
    """Write each record's ``values`` over the version expected, raising the version."""
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    for record, values in writes:
        columns = tuple(sorted(values))
        groups.setdefault((record.table, columns), []).append(
            {"b_id": record.id, "b_version": versions[record.key],
             **{f"b_{c}": values[c] for c in columns}})
    for (name, columns), params in groups.items():
        table = _table(name)
        statement = (update(table)
                     .where(table.c.id == bindparam("b_id"),
                            table.c.version == bindparam("b_version"))
                     .values({**{c: bindparam(f"b_{c}") for c in columns},
                              "version": table.c.version + 1}))
        result = session.execute(statement, params)
        if result.rowcount != len(params):  # type: ignore[attr-defined]
            # The versions were checked in this transaction, which holds the write lock.
            raise ConflictError("Someone changed these records meanwhile; nothing was "
                                "changed. Try again.", theirs=None, mine={})
    for record, _values in writes:
        versions[record.key] += 1


def _change_entries(base: Mapping[str, Any],
                    changes: Iterable[tuple[ImportedRecord, Mapping[str, Any],
                                            Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Audit entries, one per column that differs between ``old`` and ``new``."""
    entries = []
    for record, old, new in changes:
        for column, value in new.items():
            if column not in _SILENT and old.get(column) != value:
                entries.append({**base, "action": "change", "entity": record.table,
                                "entity_id": record.id, "field": column,
                                "old": _text(old.get(column)), "new": _text(value)})
    return entries
