"""Forms and cells never change what was typed: what does not fit is refused, with why.

A number out of range, a name too long or text that is not a number stays as typed, its
reason shows beside the field, and nothing is saved until it is fixed. The limits are the
ones ``core.fields`` declares.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication

from studio_desk.core import fields as F
from studio_desk.core.errors import ValidationError
from studio_desk.gui.forms import RecordDialog
from studio_desk.gui.views import RecordView
from studio_desk.store import records
from studio_desk.store.engine import Workspace
from tests.gui.conftest import answer_dialog, focused, problems

TOO_MANY_CLIENTS = "Max clients must be between 0 and 999; 5000 is too many."
NEGATIVE_HOURS = "Weekly hours must be between 0 and 168; -5 is too low."
LONG_NAME = "Name is 10,000 characters long; at most 200 fit."


def _person(workspace: Workspace, name: str):  # type: ignore[no-untyped-def]
    with workspace.read() as s:
        return records.get_row(s, "person", records.find_id(s, "person", name))


def _person_form(qtbot, submit=None, values=None) -> RecordDialog:  # type: ignore[no-untyped-def]
    saved: list[dict[str, Any]] = []
    dialog = RecordDialog(F.PERSON, values or {"name": "Ana Ruiz"},
                          submit=submit or saved.append, title="Edit person")
    dialog.saved = saved  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _retype(qtbot, editor, text: str) -> None:  # type: ignore[no-untyped-def]
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, text)


def _open_people_form(studio_window, small_studio, name: str) -> RecordView:  # type: ignore[no-untyped-def]
    view = studio_window.show_page("People")
    assert isinstance(view, RecordView)
    assert view.select_id(_person(small_studio, name).id)
    return view


# --------------------------------------------------------------------------- the form

def test_5000_max_clients_is_refused_beside_the_field_and_the_person_is_unchanged(
        qtbot, studio_window, small_studio):
    view = _open_people_form(studio_window, small_studio, "Ana Ruiz")
    seen: dict[str, Any] = {}

    def type_5000_and_try_to_save(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, RecordDialog)
        max_clients = dialog.editors["max_clients"]
        _retype(qtbot, max_clients, "5000")
        label = dialog.problem_labels["max_clients"]
        seen["typed"] = max_clients.text()
        seen["message"] = label.text() if label.isVisible() else None
        seen["described"] = max_clients.accessibleDescription()
        seen["tooltip"] = max_clients.toolTip()
        seen["save enabled"] = dialog.save_button.isEnabled()
        qtbot.keyClick(max_clients, Qt.Key.Key_Return)  # Enter does not save
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # nor does Save
        dialog.accept()  # nor any other way of accepting
        seen["open after saving"] = dialog.isVisible()
        seen["still typed"] = max_clients.text()
        qtbot.keyClick(focused(dialog), Qt.Key.Key_Escape)  # Escape cancels

    answer = answer_dialog(type_5000_and_try_to_save)
    view.edit_button.click()
    answer.check()

    assert seen["typed"] == "5000"  # not clamped
    assert seen["message"] == TOO_MANY_CLIENTS
    assert seen["described"] == seen["tooltip"] == TOO_MANY_CLIENTS
    assert seen["save enabled"] is False
    assert seen["open after saving"] is True
    assert seen["still typed"] == "5000"
    assert _person(small_studio, "Ana Ruiz").max_clients == 12
    assert not studio_window.undo_stack.canUndo()
    assert problems(studio_window) == []


def test_fixing_the_value_clears_the_message_and_enter_saves(qtbot, studio_window,
                                                              small_studio):
    view = _open_people_form(studio_window, small_studio, "Ben Ode")
    seen: dict[str, Any] = {}

    def type_5000_then_fix_it(dialog) -> None:  # type: ignore[no-untyped-def]
        max_clients = dialog.editors["max_clients"]
        label = dialog.problem_labels["max_clients"]
        _retype(qtbot, max_clients, "5000")
        seen["refused"] = label.isVisible() and not dialog.save_button.isEnabled()
        max_clients.selectAll()
        qtbot.keyClicks(max_clients, "20")
        seen["message after fixing"] = label.text()
        seen["message shown after fixing"] = label.isVisible()
        seen["save enabled after fixing"] = dialog.save_button.isEnabled()
        seen["tooltip after fixing"] = max_clients.toolTip()
        qtbot.keyClick(max_clients, Qt.Key.Key_Return)

    answer = answer_dialog(type_5000_then_fix_it)
    view.edit_button.click()
    answer.check()

    assert seen["refused"] is True
    assert seen["message after fixing"] == ""
    assert seen["message shown after fixing"] is False
    assert seen["save enabled after fixing"] is True
    assert seen["tooltip after fixing"] == F.PERSON.field("max_clients").help
    assert _person(small_studio, "Ben Ode").max_clients == 20


def test_a_negative_number_of_hours_is_refused_with_a_message(qtbot):
    dialog = _person_form(qtbot)
    hours = dialog.editors["weekly_hours"]
    _retype(qtbot, hours, "-5")
    assert hours.text() == "-5"  # not ignored
    assert dialog.problem_labels["weekly_hours"].isVisible()
    assert dialog.problem_labels["weekly_hours"].text() == NEGATIVE_HOURS
    assert not dialog.save_button.isEnabled()
    dialog.accept()
    assert dialog.isVisible() and dialog.saved == []

    _retype(qtbot, hours, "37.5")
    assert not dialog.problem_labels["weekly_hours"].isVisible()
    qtbot.keyClick(hours, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert dialog.saved[0]["weekly_hours"] == 37.5


def test_a_pasted_10000_character_name_is_refused_not_cut(qtbot):
    dialog = _person_form(qtbot)
    name = dialog.editors["name"]
    name.setFocus()
    name.selectAll()
    QApplication.clipboard().setText("N" * 10_000)
    qtbot.keyClick(name, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(name.text()) == 10_000  # all of it, not the first 200
    assert dialog.problem_labels["name"].text() == LONG_NAME
    assert name.accessibleDescription() == LONG_NAME
    assert not dialog.save_button.isEnabled()
    qtbot.keyClick(name, Qt.Key.Key_Return)
    dialog.accept()
    assert dialog.isVisible() and dialog.saved == []

    name.selectAll()
    qtbot.keyClicks(name, "Ana Ruiz-Ode")
    assert not dialog.problem_labels["name"].isVisible()
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved[0]["name"] == "Ana Ruiz-Ode"


def test_text_that_is_not_a_number_is_refused_with_what_was_typed(qtbot):
    dialog = _person_form(qtbot)
    _retype(qtbot, dialog.editors["weekly_hours"], "lots")
    _retype(qtbot, dialog.editors["max_active_projects"], "2.5")
    assert dialog.problem_labels["weekly_hours"].text() == (
        "Weekly hours must be a number, not “lots”.")
    assert dialog.problem_labels["max_active_projects"].text() == (
        "Max active projects must be a whole number, not “2.5”.")
    assert not dialog.save_button.isEnabled()
    # Fixing one of two problems is not enough.
    _retype(qtbot, dialog.editors["weekly_hours"], "30")
    assert not dialog.save_button.isEnabled()
    _retype(qtbot, dialog.editors["max_active_projects"], "3")
    assert dialog.save_button.isEnabled()


def test_emptying_a_number_that_always_has_one_is_refused_not_defaulted(qtbot):
    dialog = _person_form(qtbot, values={"name": "Ana Ruiz", "max_clients": 4})
    editor = dialog.editors["max_clients"]
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert dialog.problem_labels["max_clients"].text() == (
        "Max clients needs a number between 0 and 999.")
    dialog.accept()
    assert dialog.saved == []


def test_an_optional_number_may_stay_empty_but_not_go_out_of_range(qtbot):
    dialog = RecordDialog(F.PROJECT, {"client": "Acme Foods", "name": "Poster"},
                          submit=lambda values: None, title="Add project",
                          names={"client": ["Acme Foods"]})
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.save_button.isEnabled()  # budget and hours empty
    _retype(qtbot, dialog.editors["technical_complexity"], "6")
    assert dialog.problem_labels["technical_complexity"].text() == (
        "Complexity must be between 1 and 5; 6 is too high.")
    _retype(qtbot, dialog.editors["budget"], "-100")
    assert dialog.problem_labels["budget"].text() == (
        "Budget must be between 0 and 1,000,000,000,000; -100 is too low.")
    dialog.accept()
    assert dialog.isVisible()
    # Focus goes to the first field with a problem.
    assert focused(dialog) is dialog.editors["technical_complexity"]


def test_up_and_down_step_a_number_within_its_limits(qtbot):
    dialog = _person_form(qtbot, values={"name": "Ana", "client_facing": 4})
    editor = dialog.editors["client_facing"]
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Up)
    assert editor.text() == "5"
    qtbot.keyClick(editor, Qt.Key.Key_Up)  # 5 is the most: the step is not taken
    assert editor.text() == "5"
    assert not dialog.problem_labels["client_facing"].isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Down)
    assert editor.text() == "4"


def test_a_problem_from_saving_clears_once_the_field_is_changed(qtbot):
    def submit(values):  # type: ignore[no-untyped-def]
        if values["name"] == "Ben Ode":
            raise ValidationError({"name": "A person called Ben Ode already exists."})

    dialog = _person_form(qtbot, submit=submit, values={"name": "Ben Ode"})
    dialog.accept()
    assert dialog.problem_labels["name"].isVisible()
    assert dialog.save_button.isEnabled()  # the workspace said no, not the field
    qtbot.keyClicks(dialog.editors["name"], " Jr")
    assert not dialog.problem_labels["name"].isVisible()
    dialog.accept()
    assert not dialog.isVisible()


# --------------------------------------------------------------------------- table cells

def _edit_cell(qtbot, view: RecordView, key: str, typed: str | None = None,  # type: ignore[no-untyped-def]
               pasted: str | None = None) -> None:
    column = [c.key for c in view.model.columns].index(key)
    view.table.setCurrentIndex(view.table.currentIndex().siblingAtColumn(column))
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    editor = focused(view.table)
    assert editor is not view.table
    editor.selectAll()
    if typed is not None:
        qtbot.keyClicks(editor, typed)
    if pasted is not None:
        QApplication.clipboard().setText(pasted)
        qtbot.keyClick(editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.table.state() != QAbstractItemView.State.EditingState)


def _cell(view: RecordView, key: str) -> str:
    column = [c.key for c in view.model.columns].index(key)
    return view.table.currentIndex().siblingAtColumn(column).data()


def test_5000_typed_into_a_cell_is_refused_and_the_cell_keeps_its_value(
        qtbot, studio_window, small_studio):
    view = _open_people_form(studio_window, small_studio, "Ana Ruiz")
    _edit_cell(qtbot, view, "max_clients", typed="5000")

    assert studio_window.statusBar().currentMessage() == (
        TOO_MANY_CLIENTS + " The cell keeps its value.")
    assert _cell(view, "max_clients") == "12"
    assert _person(small_studio, "Ana Ruiz").max_clients == 12
    assert not studio_window.undo_stack.canUndo()
    assert problems(studio_window) == []

    _edit_cell(qtbot, view, "max_clients", typed="20")  # a value that fits is saved
    assert _cell(view, "max_clients") == "20"
    assert _person(small_studio, "Ana Ruiz").max_clients == 20


def test_negative_hours_and_a_long_name_in_cells_are_refused(qtbot, studio_window,
                                                             small_studio):
    view = _open_people_form(studio_window, small_studio, "Cara Li")
    _edit_cell(qtbot, view, "weekly_hours", typed="-5")
    assert studio_window.statusBar().currentMessage().startswith(NEGATIVE_HOURS)
    _edit_cell(qtbot, view, "name", pasted="N" * 10_000)
    assert studio_window.statusBar().currentMessage().startswith(LONG_NAME)

    cara = _person(small_studio, "Cara Li")
    assert cara is not None and cara.weekly_hours == 40.0
    assert _cell(view, "name") == "Cara Li"
    assert not studio_window.undo_stack.canUndo()


def test_escape_in_a_cell_drops_the_typing_problem_from_the_status_bar(
        qtbot, studio_window, small_studio):
    view = _open_people_form(studio_window, small_studio, "Ana Ruiz")
    column = [c.key for c in view.model.columns].index("head_down")
    view.table.setCurrentIndex(view.table.currentIndex().siblingAtColumn(column))
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F2)
    editor = focused(view.table)
    editor.selectAll()
    qtbot.keyClicks(editor, "9")
    assert studio_window.statusBar().currentMessage() == (
        "Head-down must be between 0 and 5; 9 is too high.")
    assert editor.toolTip() == "Head-down must be between 0 and 5; 9 is too high."
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.table.state() != QAbstractItemView.State.EditingState)
    assert studio_window.statusBar().currentMessage() == ""
    assert _person(small_studio, "Ana Ruiz").head_down == 2
