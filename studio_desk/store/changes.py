"""Noticing colleagues' changes: a cheap poll, then what changed and by whom.

:class:`ChangeWatcher` asks SQLite's ``PRAGMA data_version`` on a connection of its own:
the number moves whenever any *other* connection commits, which includes this copy's own
saves (they go through the workspace's connections) and colleagues' heartbeats. So a
``True`` from :meth:`ChangeWatcher.poll` means "look": :func:`changes_since` then reads
the audit log past the last id seen and says which records changed, and by whom, leaving
out this copy's own changes with ``exclude_who``.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select

from studio_desk.core import fields as F
from studio_desk.store.engine import Workspace, read_only_uri, translated_errors
from studio_desk.store.models import AuditEntry

#: How long a poll waits for a colleague who is in the middle of committing.
POLL_BUSY_TIMEOUT_MS = 250

#: Words for the records of tables that are not one of ``core.fields.KINDS``.
_OTHER_WORDS = {
    "role": ("role", "roles"),
    "responsibility": ("responsibility", "responsibilities"),
    "assignment": ("assignment", "assignments"),
    "team_template": ("team template", "team templates"),
    "plan": ("plan", "plans"),
    "plan_item": ("plan item", "plan items"),
    "plan_conversation": ("client conversation", "client conversations"),
}
#: How many people :func:`describe` names before it sums up the rest.
_NAMED_PEOPLE = 3


class ChangeWatcher:
    """Tells whether anyone committed to the workspace since the last :meth:`poll`.

    Holds one read-only connection of its own; a poll is one tiny read, cheap enough to
    run every second. Safe to use from one thread at a time; close it with the workspace.
    """

    def __init__(self, ws: Workspace) -> None:
        self.path = ws.path
        self._lock = threading.Lock()
        with translated_errors(self.path):
            self._connection: sqlite3.Connection | None = sqlite3.connect(
                read_only_uri(ws.path), uri=True, check_same_thread=False,
                isolation_level=None)
            self._connection.execute(f"PRAGMA busy_timeout={POLL_BUSY_TIMEOUT_MS}")
            self._version = self._data_version()

    def _data_version(self) -> int:
        assert self._connection is not None, "the watcher was closed"
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> bool:
        """True when a commit happened since the last poll (or since the watcher was
        made). A colleague caught in the middle of committing is seen at the next poll."""
        with self._lock, translated_errors(self.path):
            try:
                version = self._data_version()
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc).lower():
                    return False
                raise
            changed = version != self._version
            self._version = version
            return changed

    def close(self) -> None:
        """Close the watcher's connection (polling afterwards is a mistake)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def __enter__(self) -> ChangeWatcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class ChangeSummary:
    """What changed past an audit id: ``by_who[name][entity]`` counts the records (not
    the fields) each person touched, by table name ("project", "plan_item"); ``kinds``
    are the tables touched; ``last_id`` is the newest audit id read, including changes
    left out by ``exclude_who``, to pass to the next :func:`changes_since`."""

    last_id: int
    by_who: dict[str, dict[str, int]] = field(default_factory=dict)
    kinds: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        """True when anyone (not left out) changed anything."""
        return bool(self.by_who)


def latest_audit_id(ws: Workspace) -> int:
    """The id of the newest audit entry (0 in a workspace nobody has changed yet)."""
    with ws.read() as s:
        return int(s.scalar(select(func.max(AuditEntry.id))) or 0)


def changes_since(ws: Workspace, audit_id: int, *,
                  exclude_who: str | None = None) -> ChangeSummary:
    """Who changed which records after audit entry ``audit_id``; changes recorded under
    ``exclude_who`` (usually this copy's own name) are left out of the counts."""
    query = (select(AuditEntry.who, AuditEntry.entity,
                    func.count(distinct(AuditEntry.entity_id)), func.max(AuditEntry.id))
             .where(AuditEntry.id > audit_id)
             .group_by(AuditEntry.who, AuditEntry.entity))
    with ws.read() as s:
        rows = s.execute(query).all()
    last_id = max([audit_id, *(newest for *_rest, newest in rows)])
    by_who: dict[str, dict[str, int]] = {}
    for who, entity, count, _newest in rows:
        if exclude_who is not None and who == exclude_who:
            continue
        by_who.setdefault(who, {})[entity] = int(count)
    kinds = frozenset(entity for counts in by_who.values() for entity in counts)
    return ChangeSummary(int(last_id), by_who, kinds)


def _records(entity: str, count: int) -> str:
    kind = F.KINDS.get(entity)
    if kind is not None:
        singular, plural = kind.label.lower(), kind.plural
    else:
        singular, plural = _OTHER_WORDS.get(
            entity, (entity.replace("_", " "), entity.replace("_", " ") + "s"))
    return f"{count} {singular if count == 1 else plural}"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def describe(summary: ChangeSummary) -> str:
    """The summary in one line, e.g. "Ana Ruiz updated 3 projects and 1 client; Ben Ode
    updated 2 people" (most active first); empty when nothing changed."""
    people = sorted(summary.by_who.items(),
                    key=lambda item: (-sum(item[1].values()), item[0].casefold()))
    lines = []
    for who, counts in people[:_NAMED_PEOPLE]:
        records = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        lines.append(f"{who} updated {_listed([_records(e, n) for e, n in records])}")
    rest = len(people) - _NAMED_PEOPLE
    if rest > 0:
        lines.append(f"{rest} other {'person' if rest == 1 else 'people'} made changes")
    return "; ".join(lines)
