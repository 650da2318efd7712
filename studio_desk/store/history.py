"""Reading the audit log back as a person reads it: who changed what, when, old → new.

The log (``store.audit``) keeps raw column names and values: a project's client is
recorded as ``client_id`` 3 → 5. :func:`history` turns those into the words of the window
(field labels, names instead of ids, "yes"/"no") and names each record, including records
deleted since (their name is in the log itself).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from studio_desk.core import fields as F
from studio_desk.store.models import MODELS_BY_KIND, AuditEntry, Base

#: What each action is called in the history.
ACTION_WORDS = {"add": "Added", "change": "Changed", "delete": "Deleted",
                "restore": "Restored"}

#: Reference columns whose table is not named by the column ("manager_id" is a person).
_REFERENCE_TABLES = {"manager_id": "person", "previous_person_id": "person",
                     "informer_id": "person", "handover_from_id": "person",
                     "handover_to_id": "person", "template_id": "team_template"}

#: Bookkeeping columns a person does not read as a change: a plan's saved wizard pages
#: and proposal (kept as data, not words), where the wizard was left, and who touched it
#: when (which every history row says anyway).
HIDDEN_FIELDS = frozenset({"state", "proposal", "current_step", "created_at", "created_by",
                           "updated_at", "updated_by", "applied_at", "applied_by"})


_Query = TypeVar("_Query", bound=Select)


@dataclass(frozen=True)
class HistoryRow:
    """One change as the history shows it."""

    id: int
    at: dt.datetime  # UTC, as recorded
    who: str
    action: str  # "add", "change", "delete", "restore"
    entity: str  # table name: "client", "project", "plan_item", ...
    entity_id: int
    record: str  # the record's name, e.g. "Acme Foods" or "Ana Ruiz – Acme Foods"
    field: str  # the field's label ("Industry"); empty for an add or a delete
    old: str  # the value before, as text ("" when there was none)
    new: str  # the value after

    @property
    def action_text(self) -> str:
        return ACTION_WORDS.get(self.action, self.action.capitalize())

    @property
    def entity_label(self) -> str:
        """The kind of record in words: "Client", "Plan item"."""
        kind = F.KINDS.get(self.entity)
        return kind.label if kind else self.entity.replace("_", " ").capitalize()


def history(session: Session, *, entity: str | None = None, entity_id: int | None = None,
            limit: int | None = None) -> list[HistoryRow]:
    """The audit log, newest first: of the whole workspace, of one kind of record
    (``entity``, a table name such as "client"), or of one record (with ``entity_id``).
    ``limit`` keeps only the newest entries."""
    query = _where(select(AuditEntry.id, AuditEntry.at, AuditEntry.who, AuditEntry.action,
                          AuditEntry.entity, AuditEntry.entity_id, AuditEntry.field,
                          AuditEntry.old, AuditEntry.new), entity, entity_id
                   ).order_by(AuditEntry.id.desc())
    if limit is not None:
        query = query.limit(limit)
    entries = list(session.execute(query))
    wanted: set[tuple[str, int]] = set()
    for e in entries:
        wanted.add((e.entity, e.entity_id))
        if e.field and e.field.endswith("_id"):
            target = _REFERENCE_TABLES.get(e.field, e.field[:-3])
            wanted.update((target, int(v)) for v in (e.old, e.new) if v and v.isdigit())
    names = _Names(session, wanted)
    rows = []
    for e in entries:
        label, old, new = _field_text(names, e.entity, e.field, e.old, e.new)
        if e.action != "change":
            # An add or a delete records the name, which the record column shows.
            label, old, new = "", "", ""
        rows.append(HistoryRow(e.id, e.at, e.who, e.action, e.entity, e.entity_id,
                               names.record(e.entity, e.entity_id), label, old, new))
    return rows


def count_entries(session: Session, *, entity: str | None = None,
                  entity_id: int | None = None) -> int:
    """How many entries :func:`history` would return without a limit."""
    query = _where(select(func.count()).select_from(AuditEntry), entity, entity_id)
    return session.scalar(query) or 0


def _where(query: _Query, entity: str | None, entity_id: int | None) -> _Query:
    """``query`` narrowed to one kind or one record, without bookkeeping entries."""
    query = query.where(or_(AuditEntry.field.is_(None),
                            AuditEntry.field.not_in(HIDDEN_FIELDS)))
    if entity is not None:
        query = query.where(AuditEntry.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEntry.entity_id == entity_id)
    return query


def last_change(session: Session, entity: str, entity_id: int) -> HistoryRow | None:
    """The newest entry about one record (who changed it last), if any."""
    found = history(session, entity=entity, entity_id=entity_id, limit=1)
    return found[0] if found else None


def _field_text(names: _Names, entity: str, column: str | None, old: str | None,
                new: str | None) -> tuple[str, str, str]:
    """A column and its two recorded values in the window's words."""
    if not column:
        return "", old or "", new or ""
    if column.endswith("_id"):
        target = _REFERENCE_TABLES.get(column, column[:-3])
        label = _label(entity, column[:-3])
        return label, names.of_text_id(target, old), names.of_text_id(target, new)
    kind = F.KINDS.get(entity)
    declared = kind.field(column) if kind and column in kind.keys else None
    if declared is None:
        return _label(entity, column), _plain_text(old), _plain_text(new)
    return declared.label, _value_text(declared, old), _value_text(declared, new)


def _label(entity: str, key: str) -> str:
    kind = F.KINDS.get(entity)
    if kind and key in kind.keys:
        return kind.field(key).label
    return key.replace("_", " ").capitalize()


def _plain_text(text: str | None) -> str:
    """A recorded value of a column no form declares: yes/no for a flag, else as is."""
    return {"True": "yes", "False": "no", None: ""}.get(text, text or "")


def _value_text(declared: F.Field, text: str | None) -> str:
    """A recorded value (always text) as the form and the tables show it."""
    if text is None:
        return ""
    if declared.type == "bool":
        return {"True": "yes", "1": "yes", "False": "no", "0": "no"}.get(text, text)
    if declared.type == "float":
        try:
            return F.format_value(declared, float(text))
        except ValueError:
            return text
    return text


class _Names:
    """Names of the records a stretch of the log mentions, read in bulk: current names
    from their tables, and for records deleted since, the last name the log gives."""

    #: Ids per ``IN (...)`` list, under SQLite's limit on a statement's parameters.
    _CHUNK = 500

    def __init__(self, session: Session, wanted: set[tuple[str, int]]) -> None:
        self._known: dict[tuple[str, int], str] = {}
        by_table: dict[str, list[int]] = {}
        for entity, record_id in wanted:
            by_table.setdefault(entity, []).append(record_id)
        for entity, ids in by_table.items():
            for start in range(0, len(ids), self._CHUNK):
                self._read(session, entity, ids[start:start + self._CHUNK])
        missing = {key for key in wanted if key not in self._known}
        if missing:
            self._read_log(session, missing)

    def _read(self, session: Session, entity: str, ids: list[int]) -> None:
        table = Base.metadata.tables.get(entity)
        if table is None:
            return
        people = Base.metadata.tables["person"]
        clients = Base.metadata.tables["client"]
        if entity == "relationship":
            query = (select(table.c.id, people.c.name + " – " + clients.c.name)
                     .join(people, table.c.person_id == people.c.id)
                     .join(clients, table.c.client_id == clients.c.id))
        elif entity == "plan_item":
            # "Account Manager of Acme Foods": the role, then what it is for.
            projects = Base.metadata.tables["project"]
            items = (select(table.c.id, table.c.role, clients.c.name, projects.c.name)
                     .outerjoin(clients, table.c.client_id == clients.c.id)
                     .outerjoin(projects, table.c.project_id == projects.c.id))
            for item in session.execute(items.where(table.c.id.in_(ids))):
                words = str(item[1]).replace("_", " ").title()
                self._known[(entity, item[0])] = f"{words} of {item[2] or item[3]}"
            return
        elif "name" in table.c:
            query = select(table.c.id, table.c.name)
        else:
            return
        for record_id, name in session.execute(query.where(table.c.id.in_(ids))):
            self._known[(entity, record_id)] = name

    def _read_log(self, session: Session, missing: set[tuple[str, int]]) -> None:
        entities = {entity for entity, _id in missing}
        query = (select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.old,
                        AuditEntry.new)
                 .where(AuditEntry.field == "name", AuditEntry.entity.in_(entities))
                 .order_by(AuditEntry.id))
        for entity, entity_id, old, new in session.execute(query):
            name = new or old
            if (entity, entity_id) in missing and name:
                self._known[(entity, entity_id)] = name

    def record(self, entity: str, entity_id: int) -> str:
        """What a record is called now (or last), or "#id" if nothing says."""
        return self._known.get((entity, entity_id)) or f"#{entity_id}"

    def of_text_id(self, entity: str, text: str | None) -> str:
        """The name of the record whose id was recorded as ``text``."""
        if text is None or text == "":
            return ""
        if not text.isdigit() or entity not in Base.metadata.tables:
            return text
        return self.record(entity, int(text))


def entity_of(kind: str) -> str:
    """The audit log's name for a kind of record (its table)."""
    return str(MODELS_BY_KIND[kind].__tablename__)
