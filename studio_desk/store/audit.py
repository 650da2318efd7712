"""The audit log: every flush of a writing session records who changed what.

Recorded after the flush, inside the same transaction, so an entry exists exactly when
its change does. Only sessions that carry a ``who`` (the workspace's writers) record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from studio_desk.store.models import AuditEntry, Base

#: Bookkeeping columns whose changes say nothing to a person reading the history.
_SILENT = {"version", "name_key"}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def entries_for(session: Session, who: str) -> list[dict[str, Any]]:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    entries: list[dict[str, Any]] = []

    def add(action: str, obj: Base, field: str | None = None, old: Any = None,
            new: Any = None) -> None:
        entries.append({"at": now, "who": who, "action": action,
                        "entity": obj.__tablename__, "entity_id": getattr(obj, "id", None),
                        "field": field,
                        "old": _text(old), "new": _text(new)})

    for obj in session.new:
        if isinstance(obj, AuditEntry):
            continue
        add("add", obj, "name", None, getattr(obj, "name", None))
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            if attr.key in _SILENT:
                continue
            history = state.attrs[attr.key].history
            if history.has_changes():
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                if old != new:
                    add("change", obj, attr.key, old, new)
    for obj in session.deleted:
        if not isinstance(obj, AuditEntry):
            add("delete", obj, "name", getattr(obj, "name", None), None)
    return entries


@event.listens_for(Session, "after_flush")
def _record_changes(session: Session, _context: object) -> None:
    who = session.info.get("who")
    if not who:
        return
    entries = entries_for(session, who)
    if entries:
        session.connection().execute(insert(AuditEntry), entries)


def record(session: Session, action: str, entity: str, entity_id: int,
           field: str | None = None, old: Any = None, new: Any = None) -> None:
    """Record a change made with Core statements (which bypass the flush hook)."""
    who = session.info.get("who") or "unknown user"
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    session.execute(insert(AuditEntry), [{
        "at": now, "who": who, "action": action, "entity": entity, "entity_id": entity_id,
        "field": field, "old": _text(old), "new": _text(new)}])
