"""Undo and redo for every change made in the window.

Each command makes its change when it is created, so a change that fails (a problem in
a field, a colleague's conflicting save) raises before anything reaches the stack and the
user's input stays where it was. ``QUndoStack.push`` then calls ``redo`` once more, which
the command skips.

Undo and redo are real writes to a shared file, so they can fail too: a colleague may
have changed or deleted the row since. Such a step says what happened, marks itself
obsolete (``QUndoStack`` then drops it, keeping the rest of the history usable) and the
affected tables are read again. Versions are checked on every step: an undo never
overwrites a colleague's change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtGui import QUndoCommand

from studio_desk.core import fields as F
from studio_desk.core.errors import ConflictError, StudioDeskError
from studio_desk.core.rows import Row
from studio_desk.gui.desk import Desk, describe
from studio_desk.store import records


class RecordCommand(QUndoCommand):
    """A change to one record that is already made when the command is pushed."""

    def __init__(self, desk: Desk, kind: str, text: str) -> None:
        super().__init__(text)
        self.desk = desk
        self.kind = kind
        self._skip_redo = True

    def redo(self) -> None:
        """Make the change again (skipped once: by ``push``, when it was just made)."""
        if self._skip_redo:
            self._skip_redo = False
            return
        self._attempt(self.redo_change, "Redoing")

    def undo(self) -> None:
        """Take the change back."""
        self._attempt(self.undo_change, "Undoing")

    def redo_change(self) -> None:
        raise NotImplementedError

    def undo_change(self) -> None:
        raise NotImplementedError

    def _attempt(self, step: Callable[[], None], doing: str) -> None:
        try:
            step()
        except StudioDeskError as exc:
            # QUndoStack removes a command that is obsolete after undo()/redo(): the rest
            # of the history stays in step with the workspace.
            self.setObsolete(True)
            text = self.text()
            self.desk.failed([self.kind], exc, f"{doing} “{text[:1].lower()}{text[1:]}”")

    @property
    def label(self) -> str:
        return F.KINDS[self.kind].label.lower()


def _restore(desk: Desk, removal: records.Removal) -> Row:
    # A ConflictError when the name was taken again or what it belonged to is gone.
    return desk.write_now(lambda s: records.restore_record(s, removal))


class AddCommand(RecordCommand):
    """Add a record; undo deletes it, redo brings the same record back."""

    def __init__(self, desk: Desk, kind: str, values: Mapping[str, Any]) -> None:
        row = desk.write_now(lambda s: records.add_record(s, kind, values))
        super().__init__(desk, kind, f"Add {F.KINDS[kind].label.lower()} {describe(kind, row)}")
        self.row = row
        self._removal: records.Removal | None = None
        desk.saved(kind, row)

    def undo_change(self) -> None:
        row, kind, desk = self.row, self.kind, self.desk
        others = {k: n for k, n in desk.dependents(kind, row.id).items() if n}
        if others:
            # Only a colleague can have added these (this window's own later additions are
            # undone first); deleting the record would take their work with it.
            raise ConflictError(f"Someone has since added records that belong to "
                                f"{describe(kind, row)}; delete it from its table if you "
                                "mean to.", theirs=row, mine={})
        self._removal = desk.write_now(
            lambda s: records.delete_record(s, kind, row.id, desk.version_of(kind, row)))
        desk.removed(kind, row)

    def redo_change(self) -> None:
        assert self._removal is not None
        self.row = _restore(self.desk, self._removal)
        self.desk.saved(self.kind, self.row, names_changed=True)


class EditCommand(RecordCommand):
    """Change one or more fields; undo writes the old values back over the new version."""

    def __init__(self, desk: Desk, kind: str, row: Row, changes: Mapping[str, Any]) -> None:
        current = row.values()
        wanted = {k: v for k, v in changes.items() if k not in current or current[k] != v}
        before, after, written = row, row, wanted
        if wanted:
            before, after, written = _update_settling_conflicts(desk, kind, row, wanted)
        # Keeping a colleague's version saves nothing: no step to undo.
        self.changed = bool(written)
        super().__init__(desk, kind, _edit_text(kind, before, written or wanted))
        self.after = after
        # Undo goes back to what was there before this save: a colleague's version, when
        # the save settled a conflict with it.
        self._old = {k: getattr(before, k) for k in written}
        self._new = {k: getattr(after, k) for k in written}
        self._names_changed = "name" in written
        if wanted:
            renamed = getattr(after, "name", None) != getattr(row, "name", None)
            desk.saved(kind, after, names_changed=self._names_changed or renamed)

    def _write(self, values: dict[str, Any]) -> None:
        kind, desk, row = self.kind, self.desk, self.after
        self.after = desk.write_now(lambda s: records.update_record(
            s, kind, row.id, desk.version_of(kind, row), values))
        desk.saved(kind, self.after, names_changed=self._names_changed)

    def undo_change(self) -> None:
        self._write(self._old)

    def redo_change(self) -> None:
        self._write(self._new)


def _update_settling_conflicts(desk: Desk, kind: str, row: Row, wanted: dict[str, Any]
                               ) -> tuple[Row, Row, dict[str, Any]]:
    """Save ``wanted`` over ``row``; when a colleague saved the record meanwhile, ask the
    user (``desk.conflicts``) what to keep and save that over the colleague's version,
    asking again if yet another save slipped in.

    Returns the row written over, the row saved and the changes written ({}: the user kept
    the colleague's version). Raises the ConflictError when the user cancels, or when
    there is nobody to ask or nothing to settle (the record was deleted).
    """
    loaded, mine, base, changes = row, dict(wanted), row, wanted
    while True:
        try:
            after = desk.write_now(lambda s, b=base, c=changes: records.update_record(
                s, kind, b.id, b.version, c))
        except ConflictError as exc:
            theirs = exc.theirs
            if desk.conflicts is None or not isinstance(theirs, Row):
                raise
            settled = desk.conflicts.settle_edit(kind, loaded, theirs, mine)
            if settled is None:
                raise  # the user cancelled: their input stays where it was typed
            now = theirs.values()
            base = theirs
            changes = {k: v for k, v in settled.items() if now.get(k) != v}
            if not changes:
                return theirs, theirs, {}
            continue
        return base, after, changes


def _delete_settling_conflicts(desk: Desk, kind: str, row: Row) -> tuple[Row, records.Removal]:
    """Delete ``row``; when a colleague changed it meanwhile, delete their version only if
    the user says so (``desk.conflicts``). Returns the row deleted and the removal."""
    base = row
    while True:
        try:
            return base, desk.write_now(
                lambda s, b=base: records.delete_record(s, kind, b.id, b.version))
        except ConflictError as exc:
            theirs = exc.theirs
            if (desk.conflicts is None or not isinstance(theirs, Row)
                    or not desk.conflicts.confirm_delete(kind, row, theirs)):
                raise
            base = theirs


def _edit_text(kind: str, row: Row, changes: Mapping[str, Any]) -> str:
    declared = F.KINDS[kind]
    if len(changes) == 1:
        (key,) = changes
        label = declared.field(key).label if key in declared.keys else key
        return f"Change {label.lower()} of {describe(kind, row)}"
    return f"Edit {declared.label.lower()} {describe(kind, row)}"


class DeleteCommand(RecordCommand):
    """Delete a record and what goes with it; undo puts it all back with the same ids."""

    def __init__(self, desk: Desk, kind: str, row: Row) -> None:
        row, removal = _delete_settling_conflicts(desk, kind, row)
        super().__init__(desk, kind,
                         f"Delete {F.KINDS[kind].label.lower()} {describe(kind, row)}")
        self.row = row
        self._removal = removal
        desk.removed(kind, row)

    def undo_change(self) -> None:
        self.row = _restore(self.desk, self._removal)
        self.desk.saved(self.kind, self.row, names_changed=True)

    def redo_change(self) -> None:
        kind, desk, row = self.kind, self.desk, self.row
        self._removal = desk.write_now(
            lambda s: records.delete_record(s, kind, row.id, desk.version_of(kind, row)))
        desk.removed(kind, row)
