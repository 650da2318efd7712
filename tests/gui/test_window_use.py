"""The main window used as a person uses it: typing, keys, buttons, dialogs."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QMessageBox

from studio_desk.core.rows import ClientRow, ProjectRow
from studio_desk.gui.forms import RecordDialog
from studio_desk.gui.views import RecordView
from studio_desk.store import records
from studio_desk.store.engine import Workspace
from tests.gui.conftest import answer_dialog, cell_texts, focused, problems, reactivate


def _row(workspace: Workspace, kind: str, name: str):  # type: ignore[no-untyped-def]
    with workspace.read() as s:
        found = records.find_id(s, kind, name)
        return None if found is None else records.get_row(s, kind, found)


def test_search_box_filters_rows_across_columns_ignoring_case(qtbot, studio_window):
    view = studio_window.show_page("Projects")
    assert isinstance(view, RecordView)
    assert view.proxy.rowCount() == 4

    qtbot.keyClick(studio_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    qtbot.keyClicks(view.search, "ACME")
    assert sorted(cell_texts(view, "name")) == ["Acme spring campaign", "Acme web shop"]
    assert view.count_label.text() == "2 of 4 projects match the search"

    # Another column: the manager's name, and a status; every word must appear.
    view.search.clear()
    qtbot.keyClicks(view.search, "ana active")
    assert cell_texts(view, "name") == ["Borealis annual report"]

    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.search.text() == ""
    assert view.proxy.rowCount() == 4


def test_add_a_client_with_the_keyboard_only(qtbot, studio_window, small_studio):
    view = studio_window.show_page("Clients")
    seen: dict[str, object] = {}

    def fill_in_the_form(dialog) -> None:
        assert isinstance(dialog, RecordDialog)
        seen["title"] = dialog.windowTitle()
        qtbot.keyClicks(focused(dialog), "Dune Studio")  # the Name field has the focus
        qtbot.keyClick(focused(dialog), Qt.Key.Key_Tab)
        qtbot.keyClicks(focused(dialog), "Film")  # Industry
        qtbot.keyClick(focused(dialog), Qt.Key.Key_Return)

    answer = answer_dialog(fill_in_the_form)
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    answer.check()

    assert seen["title"] == "Add client"
    assert "Dune Studio" in cell_texts(view, "name")
    assert view.current_row().name == "Dune Studio"  # the new row is selected
    saved = _row(small_studio, "client", "Dune Studio")
    assert isinstance(saved, ClientRow) and saved.industry == "Film"
    qtbot.waitUntil(lambda: "4 clients" in studio_window.counts_label.text())


def test_a_validation_error_keeps_the_dialog_open_with_the_message_beside_the_field(
        qtbot, studio_window, small_studio):
    view = studio_window.show_page("Clients")
    seen: dict[str, object] = {}

    def try_a_taken_name_then_fix_it(dialog) -> None:
        assert isinstance(dialog, RecordDialog)
        name = dialog.editors["name"]
        qtbot.keyClicks(name, "acme FOODS")  # taken: names ignore case
        qtbot.keyClick(name, Qt.Key.Key_Return)
        seen["open after error"] = dialog.isVisible()
        seen["message"] = dialog.problem_labels["name"].text()
        seen["message shown"] = dialog.problem_labels["name"].isVisible()
        seen["input kept"] = name.text()
        seen["focus"] = focused(dialog) is name
        name.selectAll()
        qtbot.keyClicks(name, "Acme Drinks")
        qtbot.keyClick(name, Qt.Key.Key_Return)

    answer = answer_dialog(try_a_taken_name_then_fix_it)
    view.add_button.click()
    answer.check()

    assert seen["open after error"] is True
    assert seen["message shown"] is True
    assert "already exists" in str(seen["message"])
    assert seen["input kept"] == "acme FOODS"
    assert seen["focus"] is True
    assert _row(small_studio, "client", "Acme Drinks") is not None
    assert problems(studio_window) == []


def test_edit_a_cell_in_place_then_undo_and_redo(qtbot, studio_window, small_studio):
    view = studio_window.show_page("Clients")
    view.select_id(_row(small_studio, "client", "Borealis Bank").id)
    industry = [c.key for c in view.model.columns].index("industry")
    index = view.table.currentIndex().siblingAtColumn(industry)
    view.table.setCurrentIndex(index)
    view.table.setFocus()

    qtbot.keyClick(view.table, Qt.Key.Key_F2)  # edit the cell in place
    editor = focused(view.table)
    assert editor is not view.table
    editor.selectAll()
    qtbot.keyClicks(editor, "Banking")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The table hands the value over once the key press is done.
    qtbot.waitUntil(lambda: view.table.state() != QAbstractItemView.State.EditingState)

    assert view.proxy.index(index.row(), industry).data() == "Banking"
    assert _row(small_studio, "client", "Borealis Bank").industry == "Banking"

    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _row(small_studio, "client", "Borealis Bank").industry == "Finance"
    assert "Finance" in cell_texts(view, "industry")
    assert "Banking" not in cell_texts(view, "industry")

    qtbot.keyClick(view.table, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _row(small_studio, "client", "Borealis Bank").industry == "Banking"
    assert "Banking" in cell_texts(view, "industry")


def test_renaming_a_client_updates_the_projects_table(qtbot, studio_window, small_studio):
    clients = studio_window.show_page("Clients")
    clients.select_id(_row(small_studio, "client", "Acme Foods").id)
    index = clients.table.currentIndex().siblingAtColumn(0)
    assert clients.proxy.setData(index, "Acme Food Group")

    projects = studio_window.page("Projects")
    assert cell_texts(projects, "client").count("Acme Food Group") == 2
    qtbot.keyClick(clients.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert cell_texts(projects, "client").count("Acme Foods") == 2


def test_delete_a_client_after_confirming_and_undo_brings_its_projects_back(
        qtbot, studio_window, small_studio):
    clients = studio_window.show_page("Clients")
    projects = studio_window.page("Projects")
    acme = _row(small_studio, "client", "Acme Foods")
    clients.select_id(acme.id)
    clients.table.setFocus()
    asked: dict[str, str] = {}

    def confirm(box) -> None:
        assert isinstance(box, QMessageBox)
        asked["text"] = box.text()
        qtbot.keyClick(box, Qt.Key.Key_Return)  # Delete is the default button

    answer = answer_dialog(confirm)
    qtbot.keyClick(clients.table, Qt.Key.Key_Delete)
    answer.check()

    assert "“Acme Foods”" in asked["text"]
    assert "2 projects and 1 relationship will be deleted with it" in asked["text"]
    assert "Acme Foods" not in cell_texts(clients, "name")
    assert "Acme web shop" not in cell_texts(projects, "name")
    assert _row(small_studio, "client", "Acme Foods") is None
    assert _row(small_studio, "project", "Acme web shop") is None

    reactivate(qtbot, studio_window)  # back from the question
    qtbot.keyClick(clients.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Acme Foods" in cell_texts(clients, "name")
    assert {"Acme web shop", "Acme spring campaign"} <= set(cell_texts(projects, "name"))
    restored = _row(small_studio, "project", "Acme web shop")
    assert isinstance(restored, ProjectRow) and restored.manager == "Ben Ode"
    assert restored.start == dt.date(2026, 1, 5)


def test_cancelling_the_delete_question_deletes_nothing(qtbot, studio_window, small_studio,
                                                        monkeypatch):
    from studio_desk.gui.forms import ConfirmDelete

    monkeypatch.setattr(ConfirmDelete, "ask", classmethod(lambda cls, *a: False))
    clients = studio_window.show_page("Clients")
    clients.select_id(_row(small_studio, "client", "Cobalt Museum").id)
    clients.delete_button.click()
    assert _row(small_studio, "client", "Cobalt Museum") is not None
    assert not studio_window.undo_stack.canUndo()


def test_a_colleagues_change_is_a_conflict_dialog_not_a_traceback(
        qtbot, studio_window, small_studio):
    from studio_desk.gui.conflict import ConflictDialog

    clients = studio_window.show_page("Clients")
    borealis = _row(small_studio, "client", "Borealis Bank")
    # A colleague (another connection to the same file) changes the client.
    with small_studio.write() as s:
        records.update_record(s, "client", borealis.id, borealis.version,
                              {"industry": "Insurance"})

    clients.select_id(borealis.id)
    industry = [c.key for c in clients.model.columns].index("industry")
    index = clients.table.currentIndex().siblingAtColumn(industry)
    asked = answer_dialog(lambda dialog: (isinstance(dialog, ConflictDialog)
                                          and dialog.keep_theirs_button.click()))
    clients.proxy.setData(index, "Banking")
    asked.check()

    assert problems(studio_window) == []
    qtbot.waitUntil(lambda: "Insurance" in cell_texts(clients, "industry"))
    assert _row(small_studio, "client", "Borealis Bank").industry == "Insurance"
    assert not studio_window.undo_stack.canUndo()


def test_an_undo_after_a_colleagues_change_says_so_and_drops_that_step(
        qtbot, studio_window, small_studio):
    clients = studio_window.show_page("Clients")
    cobalt = _row(small_studio, "client", "Cobalt Museum")
    clients.select_id(cobalt.id)
    index = clients.table.currentIndex().siblingAtColumn(1)
    assert clients.proxy.setData(index, "Museums")
    assert studio_window.undo_stack.count() == 1
    changed = _row(small_studio, "client", "Cobalt Museum")
    with small_studio.write() as s:
        records.update_record(s, "client", cobalt.id, changed.version,
                              {"industry": "Heritage"})

    studio_window.actions_.undo.trigger()

    (message,) = problems(studio_window)
    assert message.startswith("Undoing “change industry of “Cobalt Museum””")
    assert "Someone changed this client" in message
    assert studio_window.undo_stack.count() == 0  # the step is gone, the rest still usable
    assert _row(small_studio, "client", "Cobalt Museum").industry == "Heritage"
    assert "Heritage" in cell_texts(clients, "industry")


def test_editing_with_the_form_after_a_colleagues_change_keeps_the_input(
        qtbot, studio_window, small_studio):
    clients = studio_window.show_page("Clients")
    cobalt = _row(small_studio, "client", "Cobalt Museum")
    clients.select_id(cobalt.id)
    with small_studio.write() as s:
        records.update_record(s, "client", cobalt.id, cobalt.version,
                              {"contact_name": "Their contact"})
    seen: dict[str, object] = {}

    def edit_then_save_twice(dialog) -> None:
        assert isinstance(dialog, RecordDialog)
        industry = dialog.editors["industry"]
        industry.selectAll()
        qtbot.keyClicks(industry, "Arts")
        cancel_the_comparison = answer_dialog(lambda conflict: conflict.reject())
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        cancel_the_comparison.check()
        seen["still open"] = dialog.isVisible()
        seen["message"] = problems(dialog)
        seen["kept"] = industry.text()
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()  # save again

    answer = answer_dialog(edit_then_save_twice)
    clients.table.setFocus()
    qtbot.keyClick(clients.table, Qt.Key.Key_Return)  # Enter edits the row in the form
    answer.check()

    assert seen["still open"] is True
    assert seen["kept"] == "Arts"
    assert "Someone changed this client" in seen["message"][0]
    assert "Save again" in seen["message"][0]
    saved = _row(small_studio, "client", "Cobalt Museum")
    assert saved.industry == "Arts"


# Typing into the client chooser opens its completion list, which the offscreen platform
# cannot give the keyboard to; harmless here.
@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_people_view_shows_and_changes_the_selected_persons_relationships(
        qtbot, studio_window, small_studio, confirmations):
    people = studio_window.show_page("People")
    pane = people.relationships
    people.select_id(_row(small_studio, "person", "Ana Ruiz").id)
    assert cell_texts(pane, "client") == ["Acme Foods"]
    assert "Ana Ruiz" in pane.heading.text()
    people.select_id(_row(small_studio, "person", "Cara Li").id)
    assert cell_texts(pane, "client") == []

    def add_cobalt(dialog) -> None:
        assert isinstance(dialog, RecordDialog)
        assert not dialog.editors["person"].isEnabled()
        qtbot.keyClicks(dialog.editors["client"].lineEdit(), "cobalt museum")
        dialog.accept()

    answer = answer_dialog(add_cobalt)
    pane.add_button.click()
    answer.check()
    assert cell_texts(pane, "client") == ["Cobalt Museum"]
    with small_studio.read() as s:
        assert [(r.person, r.client) for r in records.relationships_of(s, "Cara Li")] == [
            ("Cara Li", "Cobalt Museum")]

    reactivate(qtbot, studio_window)  # back from the form
    pane.table.setFocus()
    pane.table.setCurrentIndex(pane.proxy.index(0, 0))
    qtbot.keyClick(pane.table, Qt.Key.Key_Delete)
    assert confirmations[-1].startswith("Remove the relationship between Cara Li and "
                                        "Cobalt Museum?")
    assert cell_texts(pane, "client") == []
    assert _row(small_studio, "person", "Cara Li") is not None  # the person stays

    studio_window.actions_.undo.trigger()
    assert cell_texts(pane, "client") == ["Cobalt Museum"]


def test_projects_show_the_derived_lead_type(studio_window):
    projects = studio_window.show_page("Projects")
    lead = dict(zip(cell_texts(projects, "name"), cell_texts(projects, "lead_type"),
                    strict=True))
    assert lead["Acme web shop"] == "production-led"  # complexity 5, communication 2
    assert lead["Acme spring campaign"] == "account-led"  # complexity 2, communication 5
    assert lead["Cobalt exhibition app"] == "balanced"
