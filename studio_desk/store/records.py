"""Service functions for people, clients, projects and relationships.

Each takes the caller's session first and never commits: the caller owns the
transaction (``with workspace.write() as s:``). Values go in as field-keyed dicts
(``core.fields``) and come out as frozen rows (``core.rows``); references travel as names.

Names are unique per kind, except a project's: two clients may each have a "Website
rebuild", so a project is found by its client and its name (:func:`find_project_id`,
:func:`project_ids`), and only a second project of the *same* client with that name is
refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from studio_desk.core import fields as F
from studio_desk.core.errors import ConflictError, NotFoundError, ValidationError
from studio_desk.core.rows import (
    ClientRow,
    PersonRow,
    ProjectRow,
    RelationshipRow,
    Row,
    row_builder,
)
from studio_desk.core.rules import name_key
from studio_desk.store import audit
from studio_desk.store.models import (
    MODELS_BY_KIND,
    Assignment,
    Base,
    Client,
    Person,
    Project,
    Relationship,
)

#: Field key of a reference -> (column on the model, model referred to).
_REF_COLUMNS: dict[str, tuple[str, type[Base]]] = {
    "client": ("client_id", Client),
    "manager": ("manager_id", Person),
    "person": ("person_id", Person),
}

_Manager = aliased(Person)


def list_query(kind: str) -> Select[Any]:
    """The columns of ``kind``'s rows in the order of its row type's fields, sorted."""
    if kind == "person":
        return select(Person.id, Person.version, *[getattr(Person, k) for k in F.PERSON.keys]
                      ).order_by(Person.name_key)
    if kind == "client":
        return select(Client.id, Client.version, *[getattr(Client, k) for k in F.CLIENT.keys]
                      ).order_by(Client.name_key)
    if kind == "project":
        own = [getattr(Project, k) for k in F.PROJECT.keys if k not in ("client", "manager")]
        return (select(Project.id, Project.version, Client.name, *own, _Manager.name)
                .join(Client, Project.client_id == Client.id)
                .outerjoin(_Manager, Project.manager_id == _Manager.id)
                .order_by(Project.name_key, Client.name_key))
    if kind == "relationship":
        return cast(Select[Any], select(
            Relationship.id, Relationship.version, Person.name, Client.name,
            Relationship.strength, Relationship.since)
            .join(Person, Relationship.person_id == Person.id)
            .join(Client, Relationship.client_id == Client.id)
            .order_by(Person.name_key, Client.name_key))
    raise KeyError(kind)


_ROW_TYPES: dict[str, type[Row]] = {"person": PersonRow, "client": ClientRow,
                                    "project": ProjectRow, "relationship": RelationshipRow}


def list_rows(session: Session, kind: str, ids: Iterable[int] | None = None) -> list[Row]:
    """Every row of ``kind`` (or only those with ``ids``), read with one Core query."""
    query = list_query(kind)
    row_type = _ROW_TYPES[kind]
    if ids is None:
        return _read_all(session, query, row_type)
    model = MODELS_BY_KIND[kind]
    query = query.where(model.id.in_(list(ids)))  # type: ignore[attr-defined]
    return [row_type(*r) for r in session.execute(query)]


def _read_all(session: Session, query: Select[Any], row_type: type[Row]) -> list[Row]:
    """Every row of ``query`` as ``row_type``, read fast enough for 100,000 projects.

    It skips what costs most per row: SQLAlchemy's result rows (the driver's cursor is
    read directly, SQLAlchemy's own converters are applied only to the columns that have
    one, e.g. dates stored as text) and the frozen dataclass ``__init__`` (see
    ``rows.row_builder``). It does not pause the garbage collector, although that would
    save a further third: the switch is process-wide, lists are read on worker threads,
    and two overlapping reads could leave collection off for the rest of the session.
    """
    if session.autoflush:
        session.flush()  # as session.execute would: the list includes pending changes
    connection = session.connection()
    dialect = connection.dialect
    compiled = query.compile(dialect=dialect)
    if compiled.params:  # list queries have no parameters; keep the general path if one does
        return [row_type(*r) for r in session.execute(query)]
    statement = str(compiled)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(statement)
        converters = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, description[1])
            for column, description in zip(query.selected_columns, cursor.description,
                                           strict=True))
        # A DBAPI cursor iterates over its rows as tuples.
        return row_builder(row_type, converters)(cast(Iterable[Sequence[Any]], cursor))
    finally:
        cursor.close()


def get_row(session: Session, kind: str, record_id: int) -> Row:
    rows = list_rows(session, kind, [record_id])
    if not rows:
        raise NotFoundError(f"That {F.KINDS[kind].label.lower()} no longer exists; "
                            "someone may have deleted it.")
    return rows[0]


def find_id(session: Session, kind: str, name: str, *, client: str | None = None
            ) -> int | None:
    """The id of the record of ``kind`` whose name matches ``name`` after normalising.

    A project is named within its client: ``client`` says whose; without it a name that
    projects of several clients share raises :class:`ValidationError` saying so.
    """
    if kind == "project":
        return find_project_id(session, name, client)
    model = MODELS_BY_KIND[kind]
    return session.scalar(select(model.id).where(  # type: ignore[attr-defined]
        model.name_key == name_key(name)))  # type: ignore[attr-defined]


def find_project_id(session: Session, name: str, client: str | None = None) -> int | None:
    """The id of ``client``'s project called ``name`` (both matched after normalising).

    Without ``client`` the name alone must say which project: None when no project has
    it, and a :class:`ValidationError` (on ``client``) naming the clients when projects
    of several clients share it.
    """
    query = (select(Project.id, Client.name)
             .join(Client, Project.client_id == Client.id)
             .where(Project.name_key == name_key(name))
             .order_by(Client.name_key))
    if client is not None:
        query = query.where(Client.name_key == name_key(client))
    found = session.execute(query).all()
    if len(found) > 1:
        raise ValidationError({"client": ambiguous_project_message(
            name, [owner for _id, owner in found])})
    return found[0][0] if found else None


def ambiguous_project_message(name: str, clients: Sequence[str]) -> str:
    """The sentence for a project name that projects of several ``clients`` share when
    nothing says whose project is meant."""
    return (f"“{name}” is the name of a project of {_and(clients)}; say which client's "
            "project is meant.")


def _and(names: Sequence[str]) -> str:
    """"Acme", "Acme and Borealis", "Acme, Borealis and Cobalt"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _column_values(session: Session, kind: str, values: Mapping[str, Any],
                   record_id: int | None) -> dict[str, Any]:
    """Validated field values -> model column values (names resolved to ids)."""
    k = F.KINDS[kind]
    problems: dict[str, str] = {}
    columns: dict[str, Any] = {}
    for key, value in values.items():
        if key in _REF_COLUMNS and k.field(key).type == "ref":
            column, target = _REF_COLUMNS[key]
            if value is None:
                columns[column] = None
                continue
            target_kind = k.field(key).ref or key
            found = find_id(session, target_kind, value)
            if found is None:
                problems[key] = (f"There is no {F.KINDS[target_kind].label.lower()} "
                                 f"named “{value}”.")
            columns[column] = found
        else:
            columns[key] = value
    if kind == "project" and ("name" in values or "client" in values):
        _check_project_name(session, values, columns, record_id, problems)
    elif "name" in values:
        key_ = name_key(values["name"])
        model = MODELS_BY_KIND[kind]
        clash = session.scalar(select(model.id).where(  # type: ignore[attr-defined]
            model.name_key == key_))  # type: ignore[attr-defined]
        if clash is not None and clash != record_id:
            problems["name"] = (f"A {k.label.lower()} named “{values['name']}” already "
                                "exists (names are compared ignoring case and accents' form).")
        columns["name_key"] = key_
    if kind == "relationship" and not problems and ("person" in values or "client" in values):
        # An edit may change only one side: the other is the record's current one.
        current = session.get(Relationship, record_id) if record_id is not None else None
        person_id = columns.get("person_id", getattr(current, "person_id", None))
        client_id = columns.get("client_id", getattr(current, "client_id", None))
        clash = session.scalar(select(Relationship.id).where(
            Relationship.person_id == person_id, Relationship.client_id == client_id))
        if clash is not None and clash != record_id:
            known = cast(RelationshipRow, get_row(session, "relationship", clash))
            problems["client"] = (f"{known.person} already has a relationship with "
                                  f"{known.client}.")
    if problems:
        raise ValidationError(problems)
    return columns


def _check_project_name(session: Session, values: Mapping[str, Any],
                        columns: dict[str, Any], record_id: int | None,
                        problems: dict[str, str]) -> None:
    """Refuse a project name its client already has for another project (a rename, or a
    move to another client, can clash as much as a new project); set ``name_key``."""
    current = session.get(Project, record_id) if record_id is not None else None
    if "name" in values:
        typed = values["name"]
        columns["name_key"] = key_ = name_key(typed)
    elif current is not None:
        typed, key_ = current.name, current.name_key
    else:
        return
    client_id = columns.get("client_id", getattr(current, "client_id", None))
    if client_id is None:
        return  # the client was not found: that is the problem to report
    clash = session.execute(
        select(Project.id, Project.name, Client.name)
        .join(Client, Project.client_id == Client.id)
        .where(Project.client_id == client_id, Project.name_key == key_)).first()
    if clash is None or clash[0] == record_id:
        return
    _id, existing, client = clash
    field = "name" if "name" in values else "client"
    problems[field] = project_clash_message(client, existing, typed)


def project_clash_message(client: str, existing: str, typed: str) -> str:
    """The sentence refusing a second project of ``client`` called ``typed`` when it
    already has ``existing`` (the same name once normalised), naming both."""
    if existing == typed:
        return (f"{client} already has a project named “{existing}”; two projects of one "
                "client need different names.")
    return (f"{client} already has a project named “{existing}”, which is the same name as "
            f"“{typed}” (names are compared ignoring case and accents' form).")


def add_record(session: Session, kind: str, values: Mapping[str, Any]) -> Row:
    """Add a record of ``kind`` from field values (validated, defaults filled)."""
    clean = F.validate(F.KINDS[kind], values)
    model = MODELS_BY_KIND[kind]
    obj = model(**_column_values(session, kind, clean, None))
    session.add(obj)
    session.flush()
    return get_row(session, kind, obj.id)  # type: ignore[attr-defined]


def update_record(session: Session, kind: str, record_id: int, expected_version: int,
                  changes: Mapping[str, Any]) -> Row:
    """Change some fields of a record the user loaded at ``expected_version``.

    Raises :class:`ConflictError` (with the current row and the user's changes) when a
    colleague changed or deleted the record since.
    """
    model = MODELS_BY_KIND[kind]
    obj = session.get(model, record_id)
    if obj is None:
        raise ConflictError(f"Someone deleted this {F.KINDS[kind].label.lower()} while you "
                            "were editing it.", theirs=None, mine=changes)
    current = get_row(session, kind, record_id)
    if obj.version != expected_version:  # type: ignore[attr-defined]
        raise ConflictError(f"Someone changed this {F.KINDS[kind].label.lower()} while you "
                            "were editing it.", theirs=current, mine=changes)
    merged = {**current.values(), **changes}
    clean = F.validate(F.KINDS[kind], merged)
    changed = {key: clean[key] for key in changes}
    for column, value in _column_values(session, kind, changed, record_id).items():
        setattr(obj, column, value)
    session.flush()
    return get_row(session, kind, record_id)


@dataclass(frozen=True)
class Removal:
    """Everything a delete took away, so that undo can put it back exactly.

    ``tables`` holds raw column values per table, parents first; ``relinks`` are
    references other rows had to the deleted record (set to NULL by the delete).
    """

    kind: str
    row: Row
    tables: tuple[tuple[str, tuple[dict[str, Any], ...]], ...]
    relinks: tuple[tuple[str, int, str, int], ...] = ()

    @property
    def dependents(self) -> int:
        return sum(len(rows) for _table, rows in self.tables[1:])


def _raw(session: Session, model: type[Base], *criteria: Any) -> tuple[dict[str, Any], ...]:
    table = model.__table__
    return tuple(dict(r._mapping) for r in session.execute(select(table).where(*criteria)))


def delete_record(session: Session, kind: str, record_id: int,
                  expected_version: int) -> Removal:
    """Delete a record (and what hangs from it); return what is needed to undo it."""
    model = MODELS_BY_KIND[kind]
    row = get_row(session, kind, record_id)
    if row.version != expected_version:
        raise ConflictError(f"Someone changed this {F.KINDS[kind].label.lower()} since you "
                            "loaded it; look at their change before deleting.",
                            theirs=row, mine={})
    tables: list[tuple[str, tuple[dict[str, Any], ...]]] = [
        (model.__tablename__, _raw(session, model, model.id == record_id))]  # type: ignore
    relinks: list[tuple[str, int, str, int]] = []
    if kind == "client":
        projects = _raw(session, Project, Project.client_id == record_id)
        project_ids = [p["id"] for p in projects]
        tables += [("project", projects),
                   ("relationship", _raw(session, Relationship,
                                         Relationship.client_id == record_id)),
                   ("assignment", _raw(session, Assignment,
                                       (Assignment.client_id == record_id)
                                       | Assignment.project_id.in_(project_ids)))]
    elif kind == "project":
        tables.append(("assignment", _raw(session, Assignment,
                                          Assignment.project_id == record_id)))
    elif kind == "person":
        tables += [("relationship", _raw(session, Relationship,
                                         Relationship.person_id == record_id)),
                   ("assignment", _raw(session, Assignment,
                                       Assignment.person_id == record_id))]
        relinks = [("project", pid, "manager_id", record_id) for pid in session.scalars(
            select(Project.id).where(Project.manager_id == record_id))]
    obj = session.get(model, record_id)
    session.delete(obj)
    session.flush()
    return Removal(kind, row, tuple(tables), tuple(relinks))


def restore_record(session: Session, removal: Removal) -> Row:
    """Undo a delete: put the record and its dependents back with their old ids.

    Raises :class:`ConflictError` (and puts back nothing) when the workspace moved on in a
    way that leaves no room for them: the name was taken again, or a record they point
    to was deleted since.
    """
    metadata = Base.metadata
    try:
        with session.begin_nested():  # all or nothing, whatever the caller does next
            for table_name, rows in removal.tables:
                if rows:
                    session.execute(insert(metadata.tables[table_name]), list(rows))
            for table_name, row_id, column, value in removal.relinks:
                table = metadata.tables[table_name]
                session.execute(update(table).where(table.c.id == row_id)
                                .values({column: value, "version": table.c.version + 1}))
    except IntegrityError:
        label = F.KINDS[removal.kind].label.lower()
        raise ConflictError(f"The deleted {label} cannot be put back: the workspace has "
                            "changed since (its name is taken again, or something it "
                            "belonged to is gone).", theirs=None,
                            mine=removal.row.values()) from None
    audit.record(session, "restore", MODELS_BY_KIND[removal.kind].__tablename__,
                 removal.row.id, "name", None, getattr(removal.row, "name", None))
    return get_row(session, removal.kind, removal.row.id)


def count_rows(session: Session) -> dict[str, int]:
    """How many records of each kind the workspace holds."""
    from sqlalchemy import func

    return {kind: session.scalar(select(func.count()).select_from(model)) or 0
            for kind, model in MODELS_BY_KIND.items()}


def names(session: Session, kind: str) -> list[str]:
    """The names of every record of ``kind``, sorted (for choosers). Projects of
    different clients may share a name: it is listed once per project."""
    model = MODELS_BY_KIND[kind]
    return list(session.scalars(select(model.name).order_by(  # type: ignore[attr-defined]
        model.name_key)))  # type: ignore[attr-defined]


def ids_by_name(session: Session, kind: str) -> dict[str, int]:
    """``name_key`` -> id for every record of ``kind`` (bulk look-ups, CSV import).

    Not for projects, whose names are unique only within a client: see
    :func:`project_ids`.
    """
    if kind == "project":
        raise ValueError("project names are unique per client: use records.project_ids")
    model = MODELS_BY_KIND[kind]
    query = select(model.name_key, model.id)  # type: ignore[attr-defined]
    return {key: record_id for key, record_id in session.execute(query)}


def project_ids(session: Session) -> dict[tuple[str, str], int]:
    """(client ``name_key``, project ``name_key``) -> id for every project (bulk look-ups,
    CSV import): a project is known by its client and its name."""
    query = (select(Client.name_key, Project.name_key, Project.id)
             .join(Client, Project.client_id == Client.id))
    return {(client, project): pid for client, project, pid in session.execute(query)}


def relationships_of(session: Session, person: str) -> list[Row]:
    """A person's relationships with clients (the People view's detail pane)."""
    query = list_query("relationship").where(Person.name_key == name_key(person))
    return [RelationshipRow(*r) for r in session.execute(query)]


def dependents_of(session: Session, kind: str, record_id: int) -> dict[str, int]:
    """What deleting a record affects, counted, so the user can be told before it goes.

    A client takes its ``project``s and ``relationship``s with it; a person takes their
    ``relationship``s and ``assignment``s, and leaves the ``managed_project``s they manage
    without a manager. Other kinds affect nothing else.
    """
    from sqlalchemy import func

    def count(model: type[Base], *criteria: Any) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*criteria)) or 0

    if kind == "client":
        return {"project": count(Project, Project.client_id == record_id),
                "relationship": count(Relationship, Relationship.client_id == record_id)}
    if kind == "person":
        return {"relationship": count(Relationship, Relationship.person_id == record_id),
                "assignment": count(Assignment, Assignment.person_id == record_id),
                "managed_project": count(Project, Project.manager_id == record_id)}
    return {}
