"""Who else has the workspace open: one ``presence`` row per open copy of Studio Desk.

A copy joins when it opens the workspace, refreshes its row with a heartbeat every
:data:`HEARTBEAT_SECONDS` and removes it when it closes. A copy that crashed, or lost the
shared drive, leaves its row behind: once no heartbeat has come for
:data:`STALE_AFTER_HEARTBEATS` intervals (or, on this very machine, once its process is
gone) the row is *stale* — shown as such, never as a live colleague — and
:func:`clear_stale` removes it later.

Each function is one short transaction. The rows are written with Core statements, so
they never appear in the audit log; a heartbeat is still a commit, so other copies'
:class:`~studio_desk.store.changes.ChangeWatcher` notices it (use ``changes_since`` to
tell a change of records from a heartbeat).

On a read-only workspace nobody can be told you are there: :func:`join` returns
:data:`NOBODY` and :func:`heartbeat` and :func:`leave` then do nothing, while
:func:`others` still shows who else is there.

Times are compared with this machine's clock; colleagues' clocks should agree to within
a few seconds (they do wherever the system clock is synchronised).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select, update

from studio_desk.store.engine import Workspace, read_only_uri, translated_errors
from studio_desk.store.models import PresenceEntry

#: How often an open copy refreshes its row, in seconds.
HEARTBEAT_SECONDS = 10
#: How many missed heartbeats make a row stale.
STALE_AFTER_HEARTBEATS = 3
#: The token of a copy that could not join (a read-only workspace).
NOBODY = 0


@dataclass(frozen=True)
class Presence:
    """Someone who has the workspace open, as the window lists them.

    ``since`` and ``last_seen`` are timezone-aware, in UTC; ``stale`` means their copy
    has stopped answering (crashed, asleep or cut off) and they may not be there at all.
    """

    name: str
    machine: str
    since: dt.datetime
    last_seen: dt.datetime
    stale: bool


#: The rows this process wrote, so a heartbeat can put one back under its own id if a
#: colleague cleared it meanwhile: (workspace path, token) -> (name, machine, since).
_joined: dict[tuple[str, int], tuple[str, str, dt.datetime]] = {}
_joined_lock = threading.Lock()


def _now() -> dt.datetime:
    """Now, in UTC, without a time zone: how the workspace stores times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def this_host() -> str:
    """The name this machine goes by on the network (tells our own rows apart)."""
    return socket.gethostname() or "unknown host"


def process_is_running(pid: int) -> bool:
    """Whether process ``pid`` exists on this machine (True when it cannot be told)."""
    if os.name != "posix" or pid <= 0:
        return True  # os.kill(pid, 0) would be a Ctrl+C on Windows: do not ask
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    except OSError:
        return True
    return True


def _is_stale(host: str, pid: int, last_seen: dt.datetime, now: dt.datetime) -> bool:
    if host == this_host():
        # On this machine the process itself answers, whatever its heartbeats say.
        if pid == os.getpid():
            return False
        if not process_is_running(pid):
            return True
    silent_for = (now - last_seen).total_seconds()
    return silent_for > STALE_AFTER_HEARTBEATS * HEARTBEAT_SECONDS


def _as_presence(name: str, machine: str, host: str, pid: int, since: dt.datetime,
                 last_seen: dt.datetime, now: dt.datetime) -> Presence:
    return Presence(name, machine, since.replace(tzinfo=dt.UTC),
                    last_seen.replace(tzinfo=dt.UTC), _is_stale(host, pid, last_seen, now))


def _ordered(found: list[Presence]) -> list[Presence]:
    """Live colleagues first, then by name and machine."""
    return sorted(found, key=lambda p: (p.stale, p.name.casefold(), p.machine.casefold()))


def join(ws: Workspace, name: str, machine: str) -> int:
    """Say that ``name`` has the workspace open on ``machine``; returns the token that
    :func:`heartbeat`, :func:`leave` and :func:`others` take.

    Rows left on this machine by copies that are no longer running (a crash) go at the
    same time.
    """
    if ws.read_only:
        return NOBODY
    now = _now()
    host = this_host()
    with ws.write() as s:
        ours = s.execute(select(PresenceEntry.id, PresenceEntry.pid)
                         .where(PresenceEntry.host == host)).all()
        gone = [row_id for row_id, pid in ours if not process_is_running(pid)]
        if gone:
            s.execute(delete(PresenceEntry).where(PresenceEntry.id.in_(gone)))
        token = s.execute(insert(PresenceEntry).values(
            name=name, machine=machine, host=host, pid=os.getpid(), since=now,
            last_seen=now).returning(PresenceEntry.id)).scalar_one()
    with _joined_lock:
        _joined[(str(ws.path), token)] = (name, machine, now)
    return int(token)


def heartbeat(ws: Workspace, token: int) -> None:
    """Refresh this copy's row; put it back if a colleague cleared it as stale."""
    if token == NOBODY or ws.read_only:
        return
    now = _now()
    with ws.write() as s:
        found = s.scalar(update(PresenceEntry).where(PresenceEntry.id == token)
                         .values(last_seen=now).returning(PresenceEntry.id))
        if found is None:
            with _joined_lock:
                mine = _joined.get((str(ws.path), token))
            if mine is not None:
                name, machine, since = mine
                s.execute(insert(PresenceEntry).values(
                    id=token, name=name, machine=machine, host=this_host(),
                    pid=os.getpid(), since=since, last_seen=now))


def leave(ws: Workspace, token: int) -> None:
    """Remove this copy's row (on closing the workspace)."""
    with _joined_lock:
        _joined.pop((str(ws.path), token), None)
    if token == NOBODY or ws.read_only:
        return
    with ws.write() as s:
        s.execute(delete(PresenceEntry).where(PresenceEntry.id == token))


def others(ws: Workspace, token: int) -> list[Presence]:
    """Everyone else who has the workspace open (every row but ``token``'s): live ones
    first, then the stale, each group by name."""
    now = _now()
    with ws.read() as s:
        rows = s.execute(select(PresenceEntry.name, PresenceEntry.machine,
                                PresenceEntry.host, PresenceEntry.pid,
                                PresenceEntry.since, PresenceEntry.last_seen)
                         .where(PresenceEntry.id != token)).all()
    return _ordered([_as_presence(*row, now=now) for row in rows])


def clear_stale(ws: Workspace, older_than_seconds: float = 600) -> int:
    """Remove rows with no heartbeat for ``older_than_seconds``, and rows of copies on
    this machine that are no longer running; returns how many went. Rows of this very
    process are kept."""
    if ws.read_only:
        return 0
    now = _now()
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    host = this_host()
    with ws.write() as s:
        ours = s.execute(select(PresenceEntry.id, PresenceEntry.pid)
                         .where(PresenceEntry.host == host)).all()
        gone = {row_id for row_id, pid in ours if not process_is_running(pid)}
        gone |= set(s.scalars(select(PresenceEntry.id).where(
            PresenceEntry.last_seen < cutoff,
            # This very process is running, whatever its heartbeats say.
            ~((PresenceEntry.host == host) & (PresenceEntry.pid == os.getpid())))))
        if gone:
            s.execute(delete(PresenceEntry).where(PresenceEntry.id.in_(gone)))
    return len(gone)


def present_in(path: Path) -> list[Presence]:
    """Everyone whose copy has the workspace file at ``path`` open, read without opening
    it as a workspace (used before restoring a backup over it). Copies run by this
    process are left out. Empty for a workspace older than the presence table."""
    path = Path(path)
    now = _now()
    with translated_errors(path):
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            connection.execute("PRAGMA busy_timeout=2000")
            has_table = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'presence'"
            ).fetchone()
            rows = connection.execute(
                "SELECT name, machine, host, pid, since, last_seen FROM presence"
            ).fetchall() if has_table else []
        finally:
            connection.close()
    me = (this_host(), os.getpid())
    return _ordered([
        _as_presence(name, machine, host, pid, _stored_time(since), _stored_time(seen), now)
        for name, machine, host, pid, since, seen in rows if (host, pid) != me])


def _stored_time(value: str) -> dt.datetime:
    """A time as SQLAlchemy stores it in SQLite ("2026-05-09 07:35:25.123456")."""
    return dt.datetime.fromisoformat(value)
