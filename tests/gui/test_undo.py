"""Undo and redo against a real workspace file, with a colleague on a second connection."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from studio_desk.core.errors import ConflictError, ValidationError
from studio_desk.gui.desk import Desk
from studio_desk.gui.tasks import SynchronousTaskRunner
from studio_desk.store import records
from studio_desk.store.engine import Workspace, open_workspace


@pytest.fixture
def desk(small_studio: Workspace, qapp):  # type: ignore[no-untyped-def]
    """The window's side of the workspace; ``small_studio`` is a colleague's connection."""
    stack = QUndoStack()
    desk = Desk(open_workspace(small_studio.path, who="Window user"),
                SynchronousTaskRunner(), stack)
    desk.problems = []  # type: ignore[attr-defined]
    desk.problem.connect(desk.problems.append)  # type: ignore[attr-defined]
    yield desk
    stack.clear()
    desk.close()


def _get(workspace: Workspace, kind: str, name: str):  # type: ignore[no-untyped-def]
    with workspace.read() as s:
        found = records.find_id(s, kind, name)
        return None if found is None else records.get_row(s, kind, found)


def test_add_then_undo_then_redo_brings_the_same_record_back(desk, small_studio):
    saved: list[str] = []
    desk.row_saved.connect(lambda kind, row: saved.append(row.name))
    row = desk.add("client", {"name": "Dune Studio", "industry": "Film"})
    assert desk.undo_stack.undoText() == "Add client “Dune Studio”"
    assert saved == ["Dune Studio"]

    desk.undo_stack.undo()
    assert _get(small_studio, "client", "Dune Studio") is None
    desk.undo_stack.redo()
    again = _get(small_studio, "client", "Dune Studio")
    assert again.id == row.id and again.industry == "Film"
    assert desk.problems == []


def test_a_failed_add_pushes_nothing(desk):
    with pytest.raises(ValidationError) as caught:
        desk.add("project", {"client": "Nobody Ltd", "name": "Orphan"})
    assert "client" in caught.value.problems
    assert desk.undo_stack.count() == 0


def test_edit_of_several_fields_undoes_and_redoes_as_one_step(desk, small_studio):
    ben = _get(small_studio, "person", "Ben Ode")
    desk.edit("person", ben, {"title": "Lead developer", "weekly_hours": 36.0})
    assert desk.undo_stack.undoText() == "Edit person “Ben Ode”"
    desk.undo_stack.undo()
    back = _get(small_studio, "person", "Ben Ode")
    assert (back.title, back.weekly_hours) == ("Developer", 32.0)
    desk.undo_stack.redo()
    again = _get(small_studio, "person", "Ben Ode")
    assert (again.title, again.weekly_hours) == ("Lead developer", 36.0)
    assert desk.undo_stack.count() == 1


def test_renaming_a_person_asks_the_tables_showing_their_name_to_reload(desk, small_studio):
    stale: list[frozenset[str]] = []
    desk.stale.connect(stale.append)
    desk.edit("person", _get(small_studio, "person", "Ana Ruiz"), {"title": "Owner"})
    assert stale == []
    desk.edit("person", _get(small_studio, "person", "Ana Ruiz"), {"name": "Ana R."})
    assert stale == [frozenset({"project", "relationship"})]


def test_undo_of_deleting_a_person_restores_relationships_and_managed_projects(
        desk, small_studio):
    ana = _get(small_studio, "person", "Ana Ruiz")
    assert desk.dependents("person", ana.id) == {"relationship": 1, "assignment": 0,
                                                 "managed_project": 2}
    desk.delete("person", ana)
    assert _get(small_studio, "project", "Borealis annual report").manager is None
    desk.undo_stack.undo()
    assert _get(small_studio, "project", "Borealis annual report").manager == "Ana Ruiz"
    with small_studio.read() as s:
        assert [r.client for r in records.relationships_of(s, "Ana Ruiz")] == ["Acme Foods"]
    desk.undo_stack.redo()
    assert _get(small_studio, "person", "Ana Ruiz") is None


def test_undoing_an_add_never_takes_a_colleagues_work_with_it(desk, small_studio):
    desk.add("client", {"name": "Dune Studio"})
    with small_studio.write() as s:  # a colleague adds a project for the new client
        records.add_record(s, "project", {"client": "Dune Studio", "name": "Dune teaser"})
    desk.undo_stack.undo()
    assert _get(small_studio, "project", "Dune teaser") is not None
    assert _get(small_studio, "client", "Dune Studio") is not None
    assert len(desk.problems) == 1 and "Dune Studio" in desk.problems[0]
    assert desk.undo_stack.count() == 0


def test_redo_after_a_colleague_deleted_the_record_is_dropped(desk, small_studio):
    cara = _get(small_studio, "person", "Cara Li")
    desk.edit("person", cara, {"title": "Art director"})
    desk.undo_stack.undo()
    current = _get(small_studio, "person", "Cara Li")
    with small_studio.write() as s:
        records.delete_record(s, "person", current.id, current.version)
    desk.undo_stack.redo()
    assert "Someone deleted this person" in desk.problems[0]
    assert desk.undo_stack.count() == 0
    assert _get(small_studio, "person", "Cara Li") is None


def test_undo_of_a_delete_after_the_name_was_taken_again_says_so(desk, small_studio):
    cobalt = _get(small_studio, "client", "Cobalt Museum")
    desk.delete("client", cobalt)
    with small_studio.write() as s:
        records.add_record(s, "client", {"name": "Cobalt Museum", "industry": "Other"})
    desk.undo_stack.undo()
    (message,) = desk.problems
    assert message.startswith("Undoing “delete client “Cobalt Museum”” did not work: ")
    assert _get(small_studio, "client", "Cobalt Museum").industry == "Other"
    assert desk.undo_stack.count() == 0


def test_a_first_edit_against_a_colleagues_newer_version_is_a_conflict(desk, small_studio):
    acme = _get(small_studio, "client", "Acme Foods")
    with small_studio.write() as s:
        records.update_record(s, "client", acme.id, acme.version, {"industry": "Retail"})
    with pytest.raises(ConflictError) as caught:
        desk.edit("client", acme, {"industry": "Groceries"})
    assert caught.value.theirs.industry == "Retail"
    assert caught.value.mine == {"industry": "Groceries"}
    assert desk.undo_stack.count() == 0
