"""Errors that are the world's fault: shown to the user as one sentence, never a traceback.

Anything that is not a :class:`StudioDeskError` is our fault: it is logged with its
traceback and shown in a crash dialog (see ``gui/crash.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class StudioDeskError(Exception):
    """A known failure with a message meant for the user (one sentence, what to do)."""


class WorkspaceError(StudioDeskError):
    """The workspace file cannot be used as asked."""


class NotAWorkspaceError(WorkspaceError):
    """The file is not a Studio Desk workspace (text, another program's database, empty)."""


class DamagedWorkspaceError(WorkspaceError):
    """The file looks like a workspace but is truncated or damaged."""


class NewerSchemaError(WorkspaceError):
    """The file was written by a newer Studio Desk than this one."""

    def __init__(self, message: str, file_version: int, supported_version: int) -> None:
        super().__init__(message)
        self.file_version = file_version
        self.supported_version = supported_version


class WorkspaceBusyError(WorkspaceError):
    """Another person or program holds the workspace's write lock for too long."""


class ReadOnlyWorkspaceError(WorkspaceError):
    """The file or its folder cannot be written."""


class DiskFullError(WorkspaceError):
    """The disk is full or failed while saving; the change was rolled back."""


class ValidationError(StudioDeskError):
    """One or more fields hold values the studio's rules do not allow.

    ``problems`` maps a field key to its message, so a form can put each message beside
    its field; ``str()`` is a single sentence naming the first field.
    """

    def __init__(self, problems: Mapping[str, str], *, where: str = "") -> None:
        self.problems = dict(problems)
        self.where = where
        first_field, first_message = next(iter(self.problems.items()))
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}{first_message}")
        self.field = first_field


class NotFoundError(StudioDeskError):
    """The record is gone (a colleague may have deleted it)."""


class ConflictError(StudioDeskError):
    """Someone changed or deleted the record since it was loaded.

    ``theirs`` holds the record as it is now in the workspace (``None`` if deleted),
    ``mine`` the changes the user tried to save, so nothing typed is lost.
    """

    def __init__(self, message: str, *, theirs: Any, mine: Mapping[str, Any]) -> None:
        super().__init__(message)
        self.theirs = theirs
        self.mine = dict(mine)


class CsvError(StudioDeskError):
    """A CSV file cannot be imported; the message names the file, row and column."""


class UsageError(StudioDeskError):
    """The command line was used wrongly (exit code 2)."""


class PlanStateError(StudioDeskError):
    """A transition plan cannot do this now: already applied, nothing proposed yet,
    clients or projects still without a manager, or the workspace moved on since the
    proposal. The message says what to do first."""
