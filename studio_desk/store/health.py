"""Checking a workspace file without changing it (Tools › Check workspace, ``check``).

The file's header is read first, so a file that is not a workspace (or is newer than this
version) is refused before SQLite opens it. A workspace file is then only read: unlike
opening it for work, a check never upgrades an older schema.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from studio_desk.core.errors import DamagedWorkspaceError
from studio_desk.store import records
from studio_desk.store.engine import SCHEMA_VERSION, check_workspace_file, make_engine
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
        for key, label in COUNT_LABELS.items():
            if key in self.counts:
                lines.append(f"{label.capitalize()}: {self.counts[key]}")
        lines.append("Result: " + ("healthy" if self.ok else "NOT healthy"))
        return lines


def check_workspace(path: Path | str) -> HealthReport:
    """Check the workspace at ``path``: SQLite's integrity and foreign-key checks, the
    schema version and how many records of each kind it holds.

    Raises a :class:`~studio_desk.core.errors.WorkspaceError` for a file that is missing,
    not a workspace, or newer than this version (nothing to check, nothing touched). A
    damaged workspace gives a report with ``ok`` false.
    """
    path = Path(path).expanduser().absolute()
    try:
        check_workspace_file(path)
    except DamagedWorkspaceError as exc:
        return HealthReport(path, damage=str(exc))
    engine = make_engine(path)
    try:
        with _translated_errors(path), engine.connect() as connection:
            version = connection.exec_driver_sql("PRAGMA user_version").scalar()
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
    return HealthReport(path, integrity, foreign_keys, int(version or 0), counts)


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
