"""The open workspace as the window uses it.

A :class:`Desk` joins one workspace, the task runner that reads it off the GUI thread and
the undo stack that changes it. Views read through it, change records through it (every
change is an undo command, see ``gui/undo.py``) and listen to it: a saved or removed row
is announced once, and every view showing that kind (or names of that kind) updates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from sqlalchemy.orm import Session

from studio_desk.core import fields as F
from studio_desk.core.errors import StudioDeskError
from studio_desk.core.rows import Row
from studio_desk.gui.tasks import BaseTaskRunner, Failed
from studio_desk.store import records
from studio_desk.store.engine import Workspace

if TYPE_CHECKING:
    from studio_desk.gui.conflict import ConflictHandler

T = TypeVar("T")

#: Kinds whose tables show the names of another kind: renaming or deleting a client
#: changes what the projects and relationships tables show.
SHOWN_IN: dict[str, tuple[str, ...]] = {
    "client": ("project", "relationship"),
    "person": ("project", "relationship"),
}


def describe(kind: str, row: Row) -> str:
    """A record as a person names it: “Acme Foods”, or “Ana Ruiz – Acme Foods”."""
    name = getattr(row, "name", None)
    if name:
        return f"“{name}”"
    if kind == "relationship":
        return f"“{getattr(row, 'person', '')} – {getattr(row, 'client', '')}”"
    return f"#{row.id}"


class Desk(QObject):
    """One open workspace with its reader, its undo stack and its change notices."""

    #: (kind, row): a row was added, changed or brought back.
    row_saved = Signal(str, object)
    #: (kind, id): a row was deleted.
    row_removed = Signal(str, int)
    #: frozenset of kinds whose tables must be read again (names changed, rows went).
    stale = Signal(object)
    #: One sentence about a change that could not be made (an undo after a colleague's
    #: edit); the change was not made and the undo history dropped that step.
    problem = Signal(str)

    def __init__(self, workspace: Workspace, runner: BaseTaskRunner,
                 undo_stack: QUndoStack, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.runner = runner
        self.undo_stack = undo_stack
        #: The version of each row after this window's last write to it: what an undo
        #: expects to find. A colleague's change in between makes the undo a conflict.
        self.versions: dict[tuple[str, int], int] = {}
        #: Asks the user how to settle a save or delete that collided with a colleague's
        #: (``gui.conflict.ConflictHandler``, set by the window); None: the conflict is
        #: raised as it is.
        self.conflicts: ConflictHandler | None = None

    @property
    def path(self) -> Path:
        return self.workspace.path

    def close(self) -> None:
        self.workspace.close()

    # Reading ----------------------------------------------------------------------------

    def read(self, work: Callable[[Session], T], done: Callable[[T], None],
             failed: Failed | None = None) -> None:
        """Run ``work(session)`` off the GUI thread; ``done(result)`` follows on it."""
        workspace = self.workspace

        def job() -> T:
            with workspace.read() as session:
                return work(session)

        self.runner.run(job, done, failed)

    def read_now(self, work: Callable[[Session], T]) -> T:
        """A short read on the GUI thread (a list of names for a form)."""
        with self.workspace.read() as session:
            return work(session)

    def write_now(self, work: Callable[[Session], T]) -> T:
        """A short write on the GUI thread, committed when ``work`` returns."""
        with self.workspace.write() as session:
            return work(session)

    def names(self, kind: str) -> list[str]:
        return self.read_now(lambda s: records.names(s, kind))

    def names_for(self, kind: str) -> dict[str, list[str]]:
        """Choices for every reference field of ``kind`` (keyed by the kind referred to)."""
        wanted = {f.ref for f in F.KINDS[kind].fields if f.type == "ref" and f.ref}
        return self.read_now(lambda s: {k: records.names(s, k) for k in wanted})

    # Changing (each change is one undo step) --------------------------------------------

    def add(self, kind: str, values: Mapping[str, Any]) -> Row:
        """Add a record; raises StudioDeskError (nothing added, nothing pushed)."""
        from studio_desk.gui.undo import AddCommand

        command = AddCommand(self, kind, values)
        self.undo_stack.push(command)
        return command.row

    def edit(self, kind: str, row: Row, changes: Mapping[str, Any]) -> Row:
        """Change fields of ``row`` as the user saw it (``row.version``)."""
        from studio_desk.gui.undo import EditCommand

        command = EditCommand(self, kind, row, changes)
        if command.changed:
            self.undo_stack.push(command)
        return command.after

    def delete(self, kind: str, row: Row) -> None:
        """Delete ``row`` (and what goes with it); undo brings it all back."""
        from studio_desk.gui.undo import DeleteCommand

        self.undo_stack.push(DeleteCommand(self, kind, row))

    def dependents(self, kind: str, record_id: int) -> dict[str, int]:
        """What a delete would take with it (see ``records.dependents_of``)."""
        return self.read_now(lambda s: records.dependents_of(s, kind, record_id))

    # Notices, sent by the undo commands -------------------------------------------------

    def saved(self, kind: str, row: Row, *, names_changed: bool = False) -> None:
        self.versions[(kind, row.id)] = row.version
        self.row_saved.emit(kind, row)
        if names_changed and kind in SHOWN_IN:
            self.stale.emit(frozenset(SHOWN_IN[kind]))

    def removed(self, kind: str, row: Row) -> None:
        self.versions.pop((kind, row.id), None)
        self.row_removed.emit(kind, row.id)
        if kind in SHOWN_IN:
            self.stale.emit(frozenset(SHOWN_IN[kind]))

    def failed(self, kinds: Iterable[str], error: StudioDeskError, doing: str) -> None:
        """A change did not happen: say so, and read the affected tables again."""
        self.problem.emit(f"{doing} did not work: {error}")
        affected = set(kinds)
        for kind in list(affected):
            affected.update(SHOWN_IN.get(kind, ()))
        self.stale.emit(frozenset(affected))

    def version_of(self, kind: str, row: Row) -> int:
        """The version an undo or redo expects ``row`` to have now."""
        return self.versions.get((kind, row.id), row.version)
