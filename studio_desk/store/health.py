"""Checking a workspace file without changing it (Tools › Check workspace, ``check``).

The file's header is read first, so a file that is not a workspace (or is newer than this
version) is refused before SQLite opens it. A workspace file is then only read, through a
read-only connection (a ``mode=ro`` URI): unlike opening it for work, a check never
upgrades an older schema, never switches a file in WAL mode back to a rollback journal,
and never rolls back a save that a crash cut short. Such a file cannot be read without
that rollback (it holds half a save until then), so the check says who can finish it.

A file in WAL mode that nobody has open (no ``-wal`` or ``-shm`` file beside it) is read
as ``immutable``: SQLite would otherwise create those two files beside it just to read.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from studio_desk.core.errors import DamagedWorkspaceError, WorkspaceError
from studio_desk.store import records
from studio_desk.store.engine import (
    BUSY_TIMEOUT_MS,
    SCHEMA_VERSION,
    check_workspace_file,
    read_only_uri,
    why_read_only,
)
from studio_desk.store.engine import translated_errors as _translated_errors
from studio_desk.store.models import Assignment

#: What ``counts`` holds, in the order a report lists them, with their plural labels.
COUNT_LABELS = {"person": "people", "client": "clients", "project": "projects",
                "relationship": "relationships", "assignment": "assignments"}


@dataclass(frozen=True)
class HealthReport:
    """The verdict on a workspace file: structure, references, schema, contents."""

    path: Path
    integrity: tuple[str, ...] = ()  # integrity_check's complaints; empty = ok
    foreign_keys: tuple[str, ...] = ()  # rows pointing at missing records
    schema_version: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    damage: str | None = None  # set when the file could not even be read through
    journal_mode: str | None = None  # "delete" for a workspace; "wal" if someone set it

    @property
    def problems(self) -> tuple[str, ...]:
        """Every problem found, one sentence each; empty when the workspace is healthy."""
        found = [self.damage] if self.damage else []
        found += [f"Integrity: {p}" for p in self.integrity]
        found += [f"Foreign key: {p}" for p in self.foreign_keys]
        return tuple(found)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """The report as lines of text, for the command line and the check dialog."""
        lines = [f"Workspace: {self.path}"]
        if self.damage:
            lines.append(f"Damaged: {self.damage}")
        else:
            lines.append("Integrity: " + ("ok" if not self.integrity
                                          else f"{len(self.integrity)} problem(s)"))
            lines += [f"  {p}" for p in self.integrity]
            lines.append("Foreign keys: " + ("ok" if not self.foreign_keys
                                             else f"{len(self.foreign_keys)} problem(s)"))
            lines += [f"  {p}" for p in self.foreign_keys]
        if self.schema_version is not None:
            note = ""
            if self.schema_version < SCHEMA_VERSION:
                note = f" (older; upgraded to {SCHEMA_VERSION} when next opened)"
            lines.append(f"Schema version: {self.schema_version}{note}")
        if self.journal_mode not in (None, "delete"):
            lines.append(f"Journal mode: {self.journal_mode} (switched back to delete, "
                         "which a shared drive needs, when next opened for work)")
        for key, label in COUNT_LABELS.items():
            if key in self.counts:
                lines.append(f"{label.capitalize()}: {self.counts[key]}")
        lines.append("Result: " + ("healthy" if self.ok else "NOT healthy"))
        return lines


def check_workspace(path: Path | str) -> HealthReport:
    """Check the workspace at ``path``: SQLite's integrity and foreign-key checks, the
    schema version and how many records of each kind it holds.

    Raises a :class:`~studio_desk.core.errors.WorkspaceError` for a file that is missing,
    not a workspace, or newer than this version, and for one a crash left half-saved
    (nothing to check without changing it; nothing touched). A damaged workspace gives a
    report with ``ok`` false. The file, and its folder, are left exactly as they were.
    """
    path = Path(path).expanduser().absolute()
    try:
        check_workspace_file(path)
    except DamagedWorkspaceError as exc:
        return HealthReport(path, damage=str(exc))
    engine = _read_only_engine(path)
    try:
        with _translated_errors(path), _half_saved_said(path), \
                engine.connect() as connection:
            version = connection.exec_driver_sql("PRAGMA user_version").scalar()
            journal_mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            integrity = tuple(r for (r,) in connection.execute(text("PRAGMA integrity_check"))
                              if r != "ok")
            foreign_keys = tuple(
                f"{table} row {rowid} points to a missing {parent}"
                for table, rowid, parent, _fk in connection.execute(
                    text("PRAGMA foreign_key_check")))
            counts: dict[str, int] = {}
            if not integrity:
                with Session(connection) as session:
                    counts = records.count_rows(session)
                    counts["assignment"] = session.scalar(
                        select(func.count()).select_from(Assignment)) or 0
            connection.rollback()
    except DamagedWorkspaceError as exc:
        return HealthReport(path, damage=str(exc))
    finally:
        engine.dispose()
    if _is_wal_file(path):
        journal_mode = "wal"  # an immutable reading says "delete" whatever the file is
    return HealthReport(path, integrity, foreign_keys, int(version or 0), counts,
                        journal_mode=str(journal_mode or "").lower() or None)


def _is_wal_file(path: Path) -> bool:
    """Whether the file's header says it is in WAL mode (read and write versions 2)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(20)
    except OSError:
        return False
    return len(header) == 20 and header[18] == 2


def _check_uri(path: Path) -> str:
    """How the check opens ``path``: read-only; immutable when it is in WAL mode and
    nobody has it open, since a read-only WAL reader creates ``-wal`` and ``-shm``."""
    uri = read_only_uri(path)
    if _is_wal_file(path) and not any(
            path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-shm")):
        uri += "&immutable=1"
    return uri


def _read_only_engine(path: Path) -> Engine:
    """An engine whose connections can only read ``path`` and change no setting of it
    (``make_engine``'s connections switch the journal mode back to delete)."""
    uri = _check_uri(path)

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
                                     check_same_thread=False)
        connection.execute("PRAGMA query_only=ON")
        return connection

    return create_engine("sqlite+pysqlite://", creator=connect)


@contextlib.contextmanager
def _half_saved_said(path: Path) -> Iterator[None]:
    """A save cut short (a crash, ``kill -9``, a power cut) left a journal that must be
    rolled back into the file before it can be read, which a check does not do: say so,
    and who can finish it."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as exc:
        error = getattr(exc, "orig", exc)
        if getattr(error, "sqlite_errorname", "") != "SQLITE_READONLY_ROLLBACK":
            raise
        if why_read_only(path) is None:
            raise WorkspaceError(
                f"{path} was left half-saved by a save a crash cut short, and a check "
                "never changes the file, so open it once in Studio Desk to finish "
                "undoing that save, then check it again.") from exc
        raise WorkspaceError(
            f"{path} was left half-saved by a save a crash cut short, which only someone "
            "with write access to the file and its folder can finish undoing by opening "
            "it once in Studio Desk, so ask them to, then check it again.") from exc


# --------------------------------------------------------------------------- the drive

#: Mount types that put the file on another machine: SQLite's locking there is only as
#: good as the network file system's, and WAL would not work at all.
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "ncpfs", "9p",
    "ceph", "glusterfs", "lustre", "gpfs", "beegfs", "davfs", "coda",
    "fuse.sshfs", "fuse.glusterfs", "fuse.davfs2", "fuse.rclone", "fuse.s3fs",
    "fuse.gcsfuse", "fuse.cephfs", "fuse.smbnetfs", "fuse.curlftpfs",
})

_MOUNTS = Path("/proc/mounts")


def _unescape_mount_field(text_: str) -> str:
    """/proc/mounts writes a space as \\040 (and tab, newline, backslash likewise)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"),
                       ("\\134", "\\")):
        text_ = text_.replace(code, char)
    return text_


def filesystem_kind(path: Path | str) -> str:
    """What kind of drive ``path`` is on: "local", or the network file system's mount
    type ("nfs", "cifs", "fuse.sshfs"…); "network" for a Windows network drive; "unknown"
    where the system does not say (macOS)."""
    place = Path(path).expanduser().absolute()
    while not place.exists() and place != place.parent:
        place = place.parent  # a file about to be created: ask about its folder
    if sys.platform == "win32":
        return _windows_drive_kind(place)
    try:
        mounts = _MOUNTS.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "unknown"
    resolved = os.path.realpath(place)
    best_point, best_kind = "", "unknown"
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point, kind = _unescape_mount_field(parts[1]), parts[2]
        inside = resolved == point or resolved.startswith(point.rstrip("/") + "/")
        # The longest mount point holding the path wins; a later mount over the same
        # point hides the earlier one, so ties go to the later line.
        if inside and len(point) >= len(best_point):
            best_point, best_kind = point, kind
    if best_kind == "unknown":
        return best_kind
    return best_kind if best_kind in NETWORK_FILESYSTEMS else "local"


def _windows_drive_kind(place: Path) -> str:
    text_ = str(place)
    if text_.startswith("\\\\"):
        return "network"  # \\server\\share
    try:
        import ctypes

        drive_type = ctypes.windll.kernel32.GetDriveTypeW(  # type: ignore[attr-defined]
            place.anchor)
    except (AttributeError, OSError):
        return "unknown"
    return "network" if drive_type == 4 else "local"  # 4: DRIVE_REMOTE


def is_network_drive(path: Path | str) -> bool:
    """Whether ``path`` is on a drive shared over the network."""
    kind = filesystem_kind(path)
    return kind == "network" or kind in NETWORK_FILESYSTEMS
