"""Opening, creating and talking to a workspace file: the one place SQLite is set up.

A workspace is one SQLite file that several people may have open on a shared drive, so:

* journal_mode=DELETE, not WAL (WAL needs shared memory on one host), synchronous=FULL;
* every write transaction starts with ``BEGIN IMMEDIATE``: a deferred transaction that
  later writes fails at once with "database is locked" when a colleague holds the write
  lock, whatever the busy timeout, while an immediate one waits for the timeout;
* a file is checked by reading its 100-byte header *before* SQLite opens it for writing,
  so a text file, another program's database, an empty file or a newer workspace is
  refused without a byte of it changing and without a journal left beside it;
* a write that finds a colleague's lock waits in short tries, telling ``on_wait`` how long
  it has waited between them, so the window can say "waiting for the workspace" and keep
  painting, and gives up with :class:`WorkspaceBusyError` after ``BUSY_TIMEOUT_MS``;
* a file (or folder) this user cannot write is opened read-only, with the reason kept for
  the window's banner and for the error a write raises;
* an older schema is upgraded only after a verified backup (``store.backup``), in one
  transaction, and a failed upgrade names that backup.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from studio_desk.core.errors import (
    DamagedWorkspaceError,
    DiskFullError,
    NewerSchemaError,
    NotAWorkspaceError,
    ReadOnlyWorkspaceError,
    WorkspaceBusyError,
    WorkspaceError,
)
from studio_desk.store import audit as _audit  # noqa: F401  (registers the audit hook)

#: Marks the file as ours in the SQLite header (``PRAGMA application_id``): "SDK1".
APPLICATION_ID = 0x53444B31
#: The schema this version reads and writes, kept in ``PRAGMA user_version``; each Alembic
#: revision sets it, so the header alone tells whether a file is newer than we are.
SCHEMA_VERSION = 4
#: How long a write waits for a colleague's write lock before saying the file is busy.
BUSY_TIMEOUT_MS = 5000
#: How often a waiting write tells ``Workspace.on_wait`` how long it has waited.
LOCK_TRY_MS = 200
#: The pause between two tries for a colleague's write lock: their saves take a few
#: milliseconds, and a short pause is what gives a waiting copy its turn.
_RETRY_PAUSE_SECONDS = (0.0005, 0.003)

_SQLITE_MAGIC = b"SQLite format 3\x00"


def check_workspace_file(path: Path) -> None:
    """Refuse ``path`` unless it is a Studio Desk workspace this version can open.

    Reads only the header bytes, so nothing is written whatever the file is.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except FileNotFoundError:
        raise WorkspaceError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise NotAWorkspaceError(f"{path} is a folder, not a Studio Desk workspace.") from None
    except PermissionError:
        raise WorkspaceError(f"{path} cannot be read: permission denied.") from None
    if size == 0:
        raise NotAWorkspaceError(f"{path} is empty, not a Studio Desk workspace.")
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        raise NotAWorkspaceError(f"{path} is not a Studio Desk workspace "
                                 "(it is not a database file).")
    application_id = int.from_bytes(header[68:72], "big")
    if application_id != APPLICATION_ID:
        raise NotAWorkspaceError(f"{path} is another program's database, "
                                 "not a Studio Desk workspace.")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    # A journal beside the file means a save was cut short (a crash, kill -9, power cut):
    # the file may be half-written until SQLite rolls the journal back on opening, so its
    # size says nothing yet; the check on opening (quick_check) looks at it afterwards.
    cut_short = _journal_size(path) > 0
    if page_size < 512 or (not cut_short
                           and (size % page_size or size < page_size * page_count)):
        raise DamagedWorkspaceError(f"{path} is damaged or incomplete (truncated copy?); "
                                    "open a backup instead.")
    file_version = int.from_bytes(header[60:64], "big")
    if file_version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{path} was made by a newer Studio Desk (schema {file_version}); "
            f"this version reads up to {SCHEMA_VERSION}, so update Studio Desk to open it.",
            file_version, SCHEMA_VERSION)


def read_only_uri(path: Path) -> str:
    """A SQLite URI that opens ``path`` for reading only: SQLite writes nothing to the file
    and creates nothing beside it through a connection opened with it."""
    posix = Path(path).absolute().as_posix()
    if not posix.startswith("/"):  # a Windows drive letter: file:/C:/...
        posix = "/" + posix
    return f"file:{quote(posix, safe='/:')}?mode=ro"


def _journal_size(path: Path) -> int:
    try:
        return path.with_name(path.name + "-journal").stat().st_size
    except OSError:
        return 0


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine on ``path`` with the pragmas and transaction handling described above;
    with ``read_only``, every connection opens the file read-only (a ``mode=ro`` URI)."""
    connect_args = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    if read_only:
        url = URL.create("sqlite+pysqlite", database=read_only_uri(path).split("?")[0],
                         query={"mode": "ro", "uri": "true"})
        engine = create_engine(url, connect_args=connect_args)
    else:
        engine = create_engine(f"sqlite+pysqlite:///{path}", connect_args=connect_args)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Take BEGIN away from the driver so the "begin" hook below decides its kind.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=DELETE")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # type: ignore[no-untyped-def]
        options = connection.get_execution_options()
        mode = options.get("sqlite_begin", "DEFERRED")
        take_write_lock = options.get("studio_desk_take_write_lock")
        if mode == "IMMEDIATE" and take_write_lock is not None:
            take_write_lock(connection)
        else:
            connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _is_busy(exc: sqlite3.Error) -> bool:
    words = str(exc).lower()
    return "database is locked" in words or "database table is locked" in words


def busy_message(path: Path, seconds: float) -> str:
    """The sentence for a write that waited ``seconds`` for a colleague and gave up."""
    waited = f"{seconds:.0f} seconds" if seconds >= 2 else f"{seconds:.1f} seconds"
    return (f"{path.name} is busy: someone else is saving and has not finished after "
            f"{waited}, so try again in a moment; nothing you typed is lost.")


def readers_busy_message(path: Path) -> str:
    """The sentence for a save that had the write lock but could not finish because
    colleagues kept reading (SQLite writes only when nobody is in the middle of a read)."""
    return (f"{path.name} is busy: someone else is reading it and has not finished, so "
            "try again in a moment; nothing you typed is lost.")


def _message_for(path: Path, exc: BaseException) -> WorkspaceError | None:
    """The user's sentence for a SQLite failure, or None if it is not the world's fault."""
    text_ = str(getattr(exc, "orig", exc)).lower()
    if "database is locked" in text_ or "database table is locked" in text_:
        # A lock can be a colleague's read as well as their save: which one, only the
        # caller knows (``Workspace.write`` says so when it already had the write lock).
        return WorkspaceBusyError(f"{path.name} is busy: someone else is reading or "
                                  "saving it, so try again in a moment; nothing you typed "
                                  "is lost.")
    if "readonly" in text_ or "read-only" in text_:
        return ReadOnlyWorkspaceError(f"{path} is read-only: changes cannot be saved here.")
    if "disk is full" in text_ or "disk i/o error" in text_:
        return DiskFullError(f"Saving to {path} failed (disk full or unreachable); "
                             "the change was undone and the file is intact.")
    if "malformed" in text_ or "not a database" in text_:
        return DamagedWorkspaceError(f"{path} is damaged; open a backup instead.")
    if "unable to open" in text_:
        return WorkspaceError(f"{path} cannot be opened (missing folder or no permission).")
    return None


@contextlib.contextmanager
def translated_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's failures into the named errors of ``core.errors``."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as exc:
        known = _message_for(path, exc)
        if known is None:
            raise
        raise known from exc


def _no_wait_shown(_seconds_waited: float) -> None:
    """The default ``on_wait``: nobody is shown the waiting."""


class Workspace:
    """An open workspace: read with :meth:`read`, change with :meth:`write`.

    Each user action takes one short session: ``with workspace.write() as s:`` begins
    ``BEGIN IMMEDIATE``, commits on leaving the block and rolls back on any error.

    ``on_wait(seconds_waited)`` is called, from the thread that is writing, between tries
    for a colleague's write lock (about every ``LOCK_TRY_MS``); set it to show that the
    save is waiting. ``read_only`` and ``read_only_reason`` say whether (and why) this
    workspace cannot be changed; a write then raises :class:`ReadOnlyWorkspaceError`.
    """

    def __init__(self, path: Path, engine: Engine, who: str, *, read_only: bool = False,
                 read_only_reason: str = "") -> None:
        self.path = path
        self.engine = engine
        self.who = who
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self.on_wait: Callable[[float], None] = _no_wait_shown
        #: Per thread: whether the write under way holds the write lock yet.
        self._writing = threading.local()
        self._readers = sessionmaker(engine, expire_on_commit=False)
        self._writers = sessionmaker(
            engine.execution_options(sqlite_begin="IMMEDIATE",
                                     studio_desk_take_write_lock=self._take_write_lock),
            expire_on_commit=False, info={"who": who})

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading (a deferred transaction, ended on leaving the block)."""
        with translated_errors(self.path), self._readers.begin() as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session that takes the write lock at its first statement and commits on
        leaving the block (rolls back on any error)."""
        if self.read_only:
            raise ReadOnlyWorkspaceError(self.read_only_reason)
        self._writing.locked = False
        try:
            with translated_errors(self.path), self._writers.begin() as session:
                yield session
        except ReadOnlyWorkspaceError as exc:
            # The file turned out unwritable only now (permissions changed, a read-only
            # share): say so from here on, as the banner of a read-only workspace does.
            self.read_only, self.read_only_reason = True, str(exc)
            raise
        except WorkspaceBusyError as exc:
            if not self._writing.locked or not isinstance(exc.__cause__, DBAPIError):
                raise  # waiting for a colleague's save (busy_message says so)
            # Holding the write lock, only colleagues' reads can keep the save from
            # being written (a save waits for readers to finish).
            raise WorkspaceBusyError(readers_busy_message(self.path)) from exc.__cause__
        except DiskFullError as exc:
            if self._undo_cut_short_save():
                raise
            raise DiskFullError(
                f"Saving to {self.path} failed (disk full or unreachable) and was cut "
                "short: none of it counts, and the file is put back as it was when it is "
                "next opened with room on the disk; nothing you typed is lost.") from exc
        finally:
            self._writing.locked = False

    def _undo_cut_short_save(self) -> bool:
        """After a save failed writing to the disk, make sure it is undone in the file
        too; True when the file is back as it was, with no journal beside it.

        SQLite undoes a failed save in memory at once, but when a write of the file
        itself failed (a full disk, a file-size limit, a drive gone) it leaves the
        journal "hot" beside the file, and the file half-written and grown, until some
        connection next reads it. Reading it once now, on a fresh connection, plays the
        journal back (writing only old pages back in place, and shrinking the file),
        so "the change was undone" is true of the file, not just of this copy.
        """
        self.engine.dispose()  # the failed connection may still be in its error state
        try:
            with translated_errors(self.path), self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        except (WorkspaceError, DBAPIError, sqlite3.Error, OSError):
            return False
        return _journal_size(self.path) == 0

    def _take_write_lock(self, connection: Connection) -> None:
        """``BEGIN IMMEDIATE``, tried again every few milliseconds while a colleague holds
        the lock, telling ``on_wait`` how long it has waited about every
        ``LOCK_TRY_MS``; after ``BUSY_TIMEOUT_MS`` in all, the workspace is busy.

        Not SQLite's own busy wait: it backs off to 100 ms between tries, so a colleague
        saving again and again wins the lock every time and a long waiter waits longest.
        """
        raw = connection.connection.dbapi_connection
        assert raw is not None
        total = BUSY_TIMEOUT_MS / 1000
        started = told = time.monotonic()
        raw.execute("PRAGMA busy_timeout=0")
        try:
            while True:
                try:
                    raw.execute("BEGIN IMMEDIATE")
                    self._writing.locked = True
                    return
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc):
                        raise
                    now = time.monotonic()
                    if now - started >= total:
                        raise WorkspaceBusyError(busy_message(self.path, now - started)) \
                            from exc
                if now - told >= LOCK_TRY_MS / 1000:
                    told = now
                    self.on_wait(now - started)
                # Jitter, so waiting copies do not all try at the same instant.
                time.sleep(random.uniform(*_RETRY_PAUSE_SECONDS))
        finally:
            # Inside the transaction, COMMIT may still wait for readers to finish.
            raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"


def current_user() -> str:
    """Who changes are recorded as, when the user has not set a display name."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something honest
        return "unknown user"


def why_read_only(path: Path) -> str | None:
    """Why this user cannot change the workspace at ``path``, or None if they can.

    ``os.access`` answers for permissions and for a read-only mount (even as root, who
    may otherwise write anything); the folder counts because SQLite writes its journal
    beside the file. The file is never opened here: closing a file this process also has
    open through SQLite would drop SQLite's locks on it.
    """
    if not os.access(path, os.W_OK):
        return (f"{path} is read-only (you may not change it), so changes cannot be "
                "saved; ask for write access or save a copy elsewhere.")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return (f"The folder holding {path} is read-only, so changes cannot be saved "
                "(saving writes a journal file beside it); ask for write access or save "
                "a copy elsewhere.")
    return None


def open_workspace(path: Path | str, *, create: bool = False,
                   who: str | None = None, read_only: bool = False) -> Workspace:
    """Open the workspace at ``path``; with ``create``, make it first if it is missing.

    A file that exists is never turned into a workspace: only a missing path is created,
    and it appears whole (built beside it, then renamed into place) or not at all.

    A file this user cannot write (or ``read_only`` asked for) opens read-only: SQLite is
    handed a read-only URI, ``workspace.read_only`` is true and ``read_only_reason`` says
    why. An older schema is upgraded in one transaction after a verified backup; a
    read-only one cannot be, and is refused.
    """
    path = Path(path).expanduser().absolute()
    if create and not path.exists():
        create_workspace(path)
    check_workspace_file(path)
    reason = (f"{path} was opened read-only, so changes cannot be saved." if read_only
              else why_read_only(path))
    engine = make_engine(path, read_only=reason is not None)
    workspace = Workspace(path, engine, who or current_user(),
                          read_only=reason is not None, read_only_reason=reason or "")
    try:
        try:
            with translated_errors(path), engine.connect() as connection:
                verdict = connection.exec_driver_sql("PRAGMA quick_check").scalar()
                if verdict != "ok":
                    # SQLite's verdict is several lines of page numbers: for the log, not
                    # for the one sentence the user reads.
                    raise DamagedWorkspaceError(f"{path} is damaged (its internal check "
                                                "failed); open a backup instead.") \
                        from sqlite3.DatabaseError(verdict)
                file_version = connection.exec_driver_sql(
                    "PRAGMA user_version").scalar() or 0
        except ReadOnlyWorkspaceError as exc:
            if not (workspace.read_only and _journal_size(path) > 0):
                raise
            # A save cut short left a journal that must be rolled back into the file,
            # which needs write access: reading now would show half a save.
            raise ReadOnlyWorkspaceError(
                f"{path} was left half-saved by a crash and cannot be repaired while it "
                "is read-only; ask someone who can write to it to open it once, or open "
                "a backup.") from exc
        if file_version < SCHEMA_VERSION:
            if workspace.read_only:
                raise ReadOnlyWorkspaceError(
                    f"{path} was made by an older Studio Desk (schema {file_version}) and "
                    "must be upgraded, which cannot be done while it is read-only; copy it "
                    "somewhere you can write and open the copy.")
            _upgrade_with_backup(workspace, file_version)
    except BaseException:
        engine.dispose()
        raise
    return workspace


def _upgrade_with_backup(workspace: Workspace, file_version: int) -> None:
    """A verified backup, then the upgrade in one transaction; a failed upgrade leaves
    the file as it was and its message names the backup (RELIABILITY promises 5, 6)."""
    from studio_desk.store import backup
    from studio_desk.store.migrate import upgrade

    path = workspace.path
    try:
        copy = backup.backup_now(workspace,
                                 reason=f"before-upgrade-to-schema-{SCHEMA_VERSION}")
    except WorkspaceError as exc:
        raise WorkspaceError(
            f"{path} needs an upgrade to schema {SCHEMA_VERSION}, but no verified backup "
            f"could be made first, so it was left as it was (the backup failed: "
            f"{str(exc).rstrip('.')}).") from exc
    try:
        upgrade(workspace)
    except WorkspaceBusyError:
        raise  # a colleague held the file: nothing happened, try again later
    except Exception as exc:
        raise WorkspaceError(
            f"Upgrading {path} from schema {file_version} to {SCHEMA_VERSION} failed, so "
            f"it was left as it was; a verified backup made just before is at {copy}."
        ) from exc


def create_workspace(path: Path | str) -> Path:
    """Make a new, empty workspace at ``path`` (which must not exist yet)."""
    path = Path(path).expanduser().absolute()
    if path.exists():
        raise WorkspaceError(f"{path} already exists; choose another name.")
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + ".creating")
    with contextlib.suppress(FileNotFoundError):
        building.unlink()
    engine = make_engine(building)
    try:
        writer = engine.execution_options(sqlite_begin="IMMEDIATE")
        with translated_errors(building), writer.begin() as connection:
            connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
        from studio_desk.store.migrate import upgrade

        upgrade(Workspace(building, engine, current_user()))
    except BaseException:
        engine.dispose()
        with contextlib.suppress(FileNotFoundError):
            building.unlink()
        raise
    engine.dispose()
    os.replace(building, path)
    return path


def is_healthy_sql(session: Session) -> list[str]:
    """Problems SQLite finds in the file: structure, then foreign keys (empty = healthy)."""
    problems = [r for (r,) in session.execute(text("PRAGMA integrity_check")) if r != "ok"]
    problems += [f"{table} row {rowid} points to a missing {parent}"
                 for table, rowid, parent, _fk in session.execute(
                     text("PRAGMA foreign_key_check"))]
    return problems
