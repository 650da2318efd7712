"""Opening, creating and talking to a workspace file: the one place SQLite is set up.

A workspace is one SQLite file that several people may have open on a shared drive, so:

* journal_mode=DELETE, not WAL (WAL needs shared memory on one host), synchronous=FULL;
* every write transaction starts with ``BEGIN IMMEDIATE``: a deferred transaction that
  later writes fails at once with "database is locked" when a colleague holds the write
  lock, whatever the busy timeout, while an immediate one waits for the timeout;
* a file is checked by reading its 100-byte header *before* SQLite opens it for writing,
  so a text file, another program's database, an empty file or a newer workspace is
  refused without a byte of it changing and without a journal left beside it.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
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
SCHEMA_VERSION = 2
#: How long a write waits for a colleague's write lock before saying the file is busy.
BUSY_TIMEOUT_MS = 5000

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
    if page_size < 512 or size % page_size or size < page_size * page_count:
        raise DamagedWorkspaceError(f"{path} is damaged or incomplete (truncated copy?); "
                                    "open a backup instead.")
    file_version = int.from_bytes(header[60:64], "big")
    if file_version > SCHEMA_VERSION:
        raise NewerSchemaError(
            f"{path} was made by a newer Studio Desk (schema {file_version}); "
            f"this version reads up to {SCHEMA_VERSION}, so update Studio Desk to open it.",
            file_version, SCHEMA_VERSION)


def make_engine(path: Path) -> Engine:
    """An engine on ``path`` with the pragmas and transaction handling described above."""
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

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
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _message_for(path: Path, exc: BaseException) -> WorkspaceError | None:
    """The user's sentence for a SQLite failure, or None if it is not the world's fault."""
    text_ = str(getattr(exc, "orig", exc)).lower()
    if "database is locked" in text_ or "database table is locked" in text_:
        return WorkspaceBusyError(f"{path.name} is busy: someone else is saving. "
                                  "Try again in a moment; nothing you typed is lost.")
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


class Workspace:
    """An open workspace: read with :meth:`read`, change with :meth:`write`.

    Each user action takes one short session: ``with workspace.write() as s:`` begins
    ``BEGIN IMMEDIATE``, commits on leaving the block and rolls back on any error.
    """

    def __init__(self, path: Path, engine: Engine, who: str) -> None:
        self.path = path
        self.engine = engine
        self.who = who
        self._readers = sessionmaker(engine, expire_on_commit=False)
        self._writers = sessionmaker(engine.execution_options(sqlite_begin="IMMEDIATE"),
                                     expire_on_commit=False, info={"who": who})

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with translated_errors(self.path), self._readers.begin() as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        with translated_errors(self.path), self._writers.begin() as session:
            yield session

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


def open_workspace(path: Path | str, *, create: bool = False,
                   who: str | None = None) -> Workspace:
    """Open the workspace at ``path``; with ``create``, make it first if it is missing.

    A file that exists is never turned into a workspace: only a missing path is created,
    and it appears whole (built beside it, then renamed into place) or not at all.
    """
    path = Path(path).expanduser().absolute()
    if create and not path.exists():
        create_workspace(path)
    check_workspace_file(path)
    engine = make_engine(path)
    workspace = Workspace(path, engine, who or current_user())
    try:
        with translated_errors(path), engine.connect() as connection:
            verdict = connection.exec_driver_sql("PRAGMA quick_check").scalar()
            if verdict != "ok":
                # SQLite's verdict is several lines of page numbers: for the log, not
                # for the one sentence the user reads.
                raise DamagedWorkspaceError(f"{path} is damaged (its internal check "
                                            "failed); open a backup instead.") \
                    from sqlite3.DatabaseError(verdict)
            file_version = connection.exec_driver_sql("PRAGMA user_version").scalar() or 0
        if file_version < SCHEMA_VERSION:
            from studio_desk.store.migrate import upgrade

            upgrade(workspace)
    except BaseException:
        engine.dispose()
        raise
    return workspace


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
