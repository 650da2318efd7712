"""Backups of a workspace: made whole and checked, or not at all.

A backup is a copy made with SQLite's online backup API (a consistent snapshot even while
colleagues keep saving), written under a temporary name, checked (header, then
``integrity_check``), flushed to disk and only then renamed into place. A crash or a
``kill -9`` at any moment therefore leaves either a complete, checked backup or a
temporary file that no listing shows and the next backup sweeps away.

Backups live in this user's data folder (``locations.backups_dir()``), one subfolder per
workspace, named after the file and its place. The newest :data:`KEEP` are kept; the one
just made is never the one removed. Their names carry when (UTC) and why they were made:
``Studio_20260509T073525123456Z_before-upgrade-to-schema-3.studiodesk``.

A backup holds everything the workspace does, so it is no easier to read: it takes the
workspace file's permissions (a 0600 workspace gets 0600 backups), and the folders made
for backups are 0700, with an existing one narrowed to what the workspace allows. A
restored workspace and the damaged copy set aside keep the mode (and, where the system
allows, the owner) of the file they replace.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from studio_desk.core.errors import (
    DamagedWorkspaceError,
    NewerSchemaError,
    NotAWorkspaceError,
    StudioDeskError,
    WorkspaceError,
)
from studio_desk.store import locations
from studio_desk.store.engine import (
    BUSY_TIMEOUT_MS,
    Workspace,
    check_workspace_file,
    read_only_uri,
)
from studio_desk.store.presence import present_in, process_is_running

#: How many backups of one workspace are kept.
KEEP = 10
#: A partial backup left by a process that may still be running is swept after this long.
PARTIAL_MAX_AGE_SECONDS = 24 * 3600

_SUFFIX = locations.WORKSPACE_SUFFIX
_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"_(?P<at>\d{8}T\d{12}Z)_(?P<reason>[a-z0-9-]+)"
                   + re.escape(_SUFFIX) + r"$")
_PARTIAL = re.compile(r"^\..*\.(?P<pid>\d+)\.partial(-journal)?$")
#: What a folder made for backups allows: its owner only.
_FOLDER_MODE = 0o700
#: The mode of a backup whose workspace cannot be looked at: private.
_PRIVATE_FILE_MODE = 0o600
_NEW_FILE_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                   | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


@dataclass(frozen=True)
class BackupInfo:
    """One backup of a workspace: where, when (timezone-aware, UTC), why, how big."""

    path: Path
    made_at: dt.datetime
    reason: str
    size: int


def backup_folder(workspace_path: Path | str) -> Path:
    """Where the backups of the workspace at ``workspace_path`` go.

    Named after the file, plus a short fingerprint of its full path, so two workspaces
    both called "Studio" in different folders keep separate backups.
    """
    path = Path(workspace_path).expanduser().absolute()
    fingerprint = hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:10]
    return locations.backups_dir() / f"{path.stem}-{fingerprint}"


def _slug(reason: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", reason.casefold()).strip("-")[:60] or "manual"


def list_backups(workspace_path: Path | str) -> list[BackupInfo]:
    """The finished backups of the workspace at ``workspace_path``, newest first."""
    folder = backup_folder(workspace_path)
    found: list[BackupInfo] = []
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    for entry in entries:
        match = _NAME.search(entry.name)
        if not match or entry.name.startswith(".") or not entry.is_file():
            continue
        made_at = dt.datetime.strptime(match["at"], _STAMP).replace(tzinfo=dt.UTC)
        with contextlib.suppress(FileNotFoundError):  # rotated away by another copy
            found.append(BackupInfo(Path(entry.path), made_at, match["reason"],
                                    entry.stat().st_size))
    return sorted(found, key=lambda info: info.made_at, reverse=True)


def verify_backup(path: Path | str) -> None:
    """Raise :class:`DamagedWorkspaceError` unless ``path`` is a whole, healthy workspace
    this version can read (header, then SQLite's ``integrity_check``)."""
    path = Path(path)
    try:
        check_workspace_file(path)
    except (NotAWorkspaceError, DamagedWorkspaceError, NewerSchemaError) as exc:
        raise DamagedWorkspaceError(f"The backup {path} cannot be used: "
                                    f"{_clause(exc)}.") from exc
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            verdicts = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise DamagedWorkspaceError(f"The backup {path} is damaged ({exc}).") from exc
    if verdicts != ["ok"]:
        raise DamagedWorkspaceError(f"The backup {path} is damaged "
                                    "(its integrity check failed).")


def _clause(exc: BaseException) -> str:
    """An error's sentence as part of another sentence."""
    return str(exc).rstrip(".")


def backup_now(ws: Workspace, *, reason: str = "manual") -> Path:
    """Back up the open workspace ``ws`` now; returns the checked backup's path."""
    return back_up_file(ws.path, reason=reason)


def backup_on_open(ws: Workspace) -> Path | None:
    """The daily backup: made when the workspace has no backup from today yet (local
    date), else nothing (None). Meant to run, off the window's thread, after opening."""
    newest = list_backups(ws.path)
    today = dt.datetime.now().astimezone().date()
    if newest and newest[0].made_at.astimezone().date() == today:
        return None
    return backup_now(ws, reason="daily")


def back_up_file(path: Path | str, *, reason: str = "manual") -> Path:
    """Back up the workspace file at ``path`` (which need not be open); returns the
    checked backup's path. Raises a :class:`WorkspaceError` saying why when no checked
    backup could be made; the workspace itself is never changed."""
    path = Path(path).expanduser().absolute()
    folder = backup_folder(path)
    made_at = dt.datetime.now(dt.UTC)
    final = folder / f"{path.stem}_{made_at.strftime(_STAMP)}_{_slug(reason)}{_SUFFIX}"
    partial = folder / f".{final.name}.{os.getpid()}.partial"
    mode = _file_mode(path)
    try:
        _make_backup_folder(folder, mode)
    except OSError as exc:
        raise WorkspaceError(f"No backup of {path.name} could be made: the backup folder "
                             f"{folder} cannot be created ({exc.strerror}).") from exc
    _sweep_partials(folder)
    try:
        # Private while SQLite fills it; the workspace's own mode once it is checked.
        _new_file(partial, _PRIVATE_FILE_MODE).close()
        _copy(path, partial)
        verify_backup(partial)
        partial.chmod(mode)
        _flush(partial)
        os.replace(partial, final)
        _flush_folder(folder)
    except BaseException as exc:
        _remove(partial)
        if isinstance(exc, StudioDeskError) and not isinstance(exc, DamagedWorkspaceError):
            raise
        if isinstance(exc, DamagedWorkspaceError):
            raise DamagedWorkspaceError(
                f"The backup of {path.name} failed its check and was not kept, so the "
                "workspace itself may be damaged; run Check workspace.") from exc
        if isinstance(exc, sqlite3.Error | OSError):
            raise WorkspaceError(f"No backup of {path.name} could be made in {folder} "
                                 f"({_clause(exc)}); the workspace is unchanged.") from exc
        raise
    _rotate(folder, keep=KEEP, protect=final)
    return final


def _copy(source: Path, target: Path) -> None:
    """The online backup of ``source`` into the new file ``target``."""
    reader = sqlite3.connect(read_only_uri(source), uri=True,
                             timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        writer = sqlite3.connect(target)
        try:
            # The copy is checked and flushed before it counts; a crash meanwhile only
            # leaves a partial file, so it needs no journal of its own.
            writer.execute("PRAGMA journal_mode=OFF")
            writer.execute("PRAGMA synchronous=OFF")
            reader.backup(writer)
        finally:
            writer.close()
    except sqlite3.Error as exc:
        words = str(exc).lower()
        if "malformed" in words or "not a database" in words:
            raise DamagedWorkspaceError(f"{source} is damaged.") from exc
        raise
    finally:
        reader.close()


def _file_mode(path: Path) -> int:
    """The permission bits of the file at ``path`` (private if it cannot be looked at)."""
    try:
        return stat.S_IMODE(path.stat().st_mode) & 0o777
    except OSError:
        return _PRIVATE_FILE_MODE


def _folder_mode_for(file_mode: int) -> int:
    """The widest a folder of backups may be for files of ``file_mode``: its owner, plus
    listing and entering for whoever may read the files anyway."""
    readers = file_mode & 0o044
    return 0o700 | readers | (readers >> 2)


def _make_backup_folder(folder: Path, file_mode: int) -> None:
    """Make ``folder`` (and any missing folder above it) 0700; narrow an existing one
    that lets in people the workspace itself does not (made by an older version)."""
    missing: list[Path] = []
    place = folder
    while not place.exists() and place != place.parent:
        missing.append(place)
        place = place.parent
    for new in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another copy
            new.mkdir(mode=_FOLDER_MODE)
    try:
        status = folder.stat()
    except OSError:
        return
    allowed = stat.S_IMODE(status.st_mode) & (_folder_mode_for(file_mode) | ~0o777)
    if allowed != stat.S_IMODE(status.st_mode) and status.st_uid == os.geteuid():
        with contextlib.suppress(OSError):
            folder.chmod(allowed)


def _new_file(path: Path, mode: int, like: os.stat_result | None = None) -> io.BufferedWriter:
    """Create the file ``path`` (never an existing one, never through a link) with
    exactly ``mode``, owned like ``like`` where the system allows; open for writing."""
    descriptor = os.open(path, _NEW_FILE_FLAGS, mode & 0o600)
    try:
        _take_over(descriptor, mode, like)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "wb")


def _take_over(descriptor: int, mode: int, like: os.stat_result | None) -> None:
    """Give the open file ``like``'s owner (only root may) and exactly ``mode``."""
    if like is not None and hasattr(os, "fchown"):
        made = os.fstat(descriptor)
        if (made.st_uid, made.st_gid) != (like.st_uid, like.st_gid):
            with contextlib.suppress(OSError):
                os.fchown(descriptor, like.st_uid, like.st_gid)
    if hasattr(os, "fchmod"):
        os.fchmod(descriptor, mode)  # exactly: the umask narrowed it at creation


def _flush(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _flush_folder(folder: Path) -> None:
    """Make the rename itself survive a power cut (POSIX; Windows has no folder fsync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        _flush(folder)


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-journal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _sweep_partials(folder: Path) -> None:
    """Remove partial backups whose maker is gone (killed mid-copy) or that are old."""
    now = time.time()
    for entry in os.scandir(folder):
        match = _PARTIAL.match(entry.name)
        if not match:
            continue
        pid = int(match["pid"])
        with contextlib.suppress(FileNotFoundError):
            old = now - entry.stat().st_mtime > PARTIAL_MAX_AGE_SECONDS
            if old or (pid != os.getpid() and not process_is_running(pid)):
                os.unlink(entry.path)


def _rotate(folder: Path, *, keep: int, protect: Path) -> None:
    backups = sorted((info for info in _infos_in(folder)),
                     key=lambda info: info.made_at, reverse=True)
    for info in backups[keep:]:
        if info.path != protect:
            with contextlib.suppress(FileNotFoundError):
                info.path.unlink()


def _infos_in(folder: Path) -> list[BackupInfo]:
    found = []
    for entry in os.scandir(folder):
        match = _NAME.search(entry.name)
        if match and not entry.name.startswith("."):
            made_at = dt.datetime.strptime(match["at"], _STAMP).replace(tzinfo=dt.UTC)
            found.append(BackupInfo(Path(entry.path), made_at, match["reason"], 0))
    return found


def restore_backup(backup_path: Path | str, workspace_path: Path | str) -> Path | None:
    """Put the backup at ``backup_path`` back as the workspace at ``workspace_path``.

    The backup is checked first. A workspace already there is backed up ("before
    restore") before it is overwritten, through SQLite's online backup API so copies
    that have it open see the change like any colleague's save; a damaged one is set
    aside in the backup folder and replaced whole. Refused while colleagues have the
    workspace open, and over a file that is not a workspace this version can use.

    Returns where the workspace as it was is kept (the "before restore" backup or the
    damaged copy set aside), or None when there was no workspace there. The restored
    file and the copy keep the workspace's permissions.
    """
    backup_path = Path(backup_path).expanduser().absolute()
    workspace_path = Path(workspace_path).expanduser().absolute()
    verify_backup(backup_path)
    if not workspace_path.exists():
        workspace_path.parent.mkdir(parents=True, exist_ok=True)
        _replace_whole(backup_path, workspace_path)
        return None
    damaged = False
    try:
        check_workspace_file(workspace_path)
    except DamagedWorkspaceError:
        damaged = True
    except (NotAWorkspaceError, NewerSchemaError) as exc:
        raise WorkspaceError(f"No backup was restored over {workspace_path}: "
                             f"{_clause(exc)}.") from exc
    kept: Path | None = None
    if not damaged:
        try:
            present = [p for p in present_in(workspace_path) if not p.stale]
            if present:
                names = _names(sorted({p.name for p in present}))
                raise WorkspaceError(f"{workspace_path.name} is open by {names}; ask them "
                                     "to close it before a backup is restored over it.")
            kept = back_up_file(workspace_path, reason="before-restore")
        except DamagedWorkspaceError:
            damaged = True  # no colleague can be working in it either
    if damaged:
        kept = _set_aside(workspace_path)
        _replace_whole(backup_path, workspace_path)
        return kept
    _restore_into(backup_path, workspace_path)
    return kept


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _restore_into(backup_path: Path, workspace_path: Path) -> None:
    """Copy the backup over the live workspace file, inside SQLite's locking."""
    reader = sqlite3.connect(read_only_uri(backup_path), uri=True)
    writer = sqlite3.connect(workspace_path, timeout=BUSY_TIMEOUT_MS / 1000,
                             isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode=DELETE")
        writer.execute("PRAGMA synchronous=FULL")
        reader.backup(writer)
        _forget_presence(writer)
    except sqlite3.Error as exc:
        raise WorkspaceError(f"Restoring {backup_path.name} over {workspace_path} failed "
                             f"({_clause(exc)}); the workspace was left as it was, and "
                             "a backup of it was made first.") from exc
    finally:
        writer.close()
        reader.close()


def _replace_whole(backup_path: Path, workspace_path: Path) -> None:
    """Build the restored file beside the workspace, then rename it into place.

    It is built under a random name made with ``O_EXCL`` (nobody can plant a link there
    on a shared drive) and takes the mode and owner of the file it replaces, or the
    backup's mode (the workspace's when it was made) where there is none.
    """
    try:
        like: os.stat_result | None = workspace_path.stat()
    except OSError:
        like = None
    mode = stat.S_IMODE(like.st_mode) & 0o777 if like is not None else _file_mode(backup_path)
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{workspace_path.name}.",
                                            suffix=".restoring", dir=workspace_path.parent)
    except OSError as exc:
        raise WorkspaceError(f"Restoring {backup_path.name} as {workspace_path} failed "
                             f"({exc.strerror or exc}); nothing was replaced.") from exc
    building = Path(name)
    try:
        try:
            _copy(backup_path, building)
            connection = sqlite3.connect(building, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode=DELETE")
                _forget_presence(connection)
            finally:
                connection.close()
            # Private (0600) until now; the workspace's own mode and owner once complete.
            _take_over(descriptor, mode, like)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(building, workspace_path)
        _flush_folder(workspace_path.parent)
    except (sqlite3.Error, OSError) as exc:
        _remove(building)
        raise WorkspaceError(f"Restoring {backup_path.name} as {workspace_path} failed "
                             f"({_clause(exc)}); nothing was replaced.") from exc


def _forget_presence(connection: sqlite3.Connection) -> None:
    """The backup's presence rows are people who had it open back then: not now."""
    if connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                          "AND name = 'presence'").fetchone():
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("DELETE FROM presence")
        connection.execute("COMMIT")


def _set_aside(workspace_path: Path) -> Path:
    """Keep the damaged file's bytes (someone may rescue something from them), with the
    workspace's permissions."""
    folder = backup_folder(workspace_path)
    mode = _file_mode(workspace_path)
    try:
        _make_backup_folder(folder, mode)
        stamp = dt.datetime.now(dt.UTC).strftime(_STAMP)
        kept = folder / f"{workspace_path.stem}_{stamp}_damaged{_SUFFIX}.damaged"
        with workspace_path.open("rb") as source, _new_file(kept, mode) as copy:
            shutil.copyfileobj(source, copy)
            copy.flush()
            os.fsync(copy.fileno())
    except OSError as exc:
        raise WorkspaceError(f"The damaged {workspace_path.name} could not be set aside in "
                             f"{folder} ({exc.strerror or exc}), so no backup was restored "
                             "over it.") from exc
    return kept
