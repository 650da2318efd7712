"""The record form and its editors, the delete question."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from studio_desk.core import fields as F
from studio_desk.core.errors import ValidationError, WorkspaceBusyError
from studio_desk.gui.editors import (
    DateEditor,
    NumberEditor,
    ReferenceEditor,
    editor_problem,
    editor_value,
    make_editor,
    set_editor_value,
)
from studio_desk.gui.forms import ConfirmDelete, RecordDialog
from tests.gui.conftest import answer_dialog, problems

SAMPLES = {
    "name": "Acme web shop", "code": "ACM-01", "status": "on-hold",
    "start": dt.date(2026, 1, 5), "due": None, "budget": 12500.5, "estimated_hours": None,
    "technical_complexity": 4, "communication_load": 2, "lead_type": None,
    "client": "Acme Foods", "manager": None,
}


@pytest.mark.parametrize("key", list(SAMPLES))
def test_every_project_field_editor_gives_back_the_value_it_was_given(qtbot, key):
    editor = make_editor(F.PROJECT.field(key), ["Acme Foods", "Ben Ode"])
    qtbot.addWidget(editor)
    set_editor_value(editor, SAMPLES[key])
    assert editor_value(editor) == SAMPLES[key]
    assert editor.accessibleName() == F.PROJECT.field(key).label


def test_yes_no_and_notes_editors(qtbot):
    active = make_editor(F.PERSON.field("active"))
    notes = make_editor(F.CLIENT.field("notes"))
    qtbot.addWidget(active)
    qtbot.addWidget(notes)
    set_editor_value(active, False)
    set_editor_value(notes, "Line one\nLine two")
    assert editor_value(active) is False
    assert editor_value(notes) == "Line one\nLine two"


def test_an_empty_date_can_be_typed_into_and_emptied_with_the_keyboard(qtbot):
    editor = make_editor(F.PROJECT.field("due"))
    assert isinstance(editor, DateEditor)
    qtbot.addWidget(editor)
    editor.show()
    set_editor_value(editor, None)
    assert editor.text() == "—"
    editor.setFocus()
    qtbot.keyClicks(editor, "2026-03-31")
    assert editor_value(editor) == dt.date(2026, 3, 31)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert editor_value(editor) is None


def test_an_empty_budget_starts_from_a_typed_digit_and_empties_again(qtbot):
    editor = make_editor(F.PROJECT.field("budget"))
    assert isinstance(editor, NumberEditor)
    qtbot.addWidget(editor)
    editor.show()
    set_editor_value(editor, None)
    assert editor_value(editor) is None
    editor.setFocus()
    qtbot.keyClicks(editor, "2500")
    assert editor_value(editor) == 2500.0
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    assert editor_value(editor) is None


def test_a_reference_typed_in_another_case_is_the_name_as_spelled(qtbot):
    editor = make_editor(F.PROJECT.field("client"), ["Acme Foods", "Borealis Bank"])
    assert isinstance(editor, ReferenceEditor)
    qtbot.addWidget(editor)
    editor.setEditText("borealis BANK")
    assert editor_value(editor) == "Borealis Bank"
    editor.setEditText("Nobody Ltd")
    assert editor_value(editor) == "Nobody Ltd"  # the workspace says there is none


def _dialog(qtbot, submit, values=None, fixed=()):  # type: ignore[no-untyped-def]
    dialog = RecordDialog(F.PROJECT, values or {"client": "Acme Foods"}, submit=submit,
                          title="Add project", names={"client": ["Acme Foods"],
                                                      "person": ["Ana Ruiz"]},
                          fixed=fixed)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_problems_show_beside_their_fields_and_the_form_stays_open(qtbot):
    def submit(values):  # type: ignore[no-untyped-def]
        raise ValidationError({"name": "Name is required.",
                               "due": "Due (2026-01-01) must not be before start.",
                               "colour": "Project has no field “colour”."})

    dialog = _dialog(qtbot, submit)
    dialog.editors["code"].setText("X-1")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.problem_labels["name"].text() == "Name is required."
    assert dialog.problem_labels["name"].isVisible()
    assert dialog.problem_labels["due"].isVisible()
    assert not dialog.problem_labels["code"].isVisible()
    general = dialog.findChild(QLabel, "problem")
    assert general.text() == "Project has no field “colour”."
    assert dialog.editors["code"].text() == "X-1"  # what was typed is kept
    assert dialog.problem_labels["name"].textFormat() == Qt.TextFormat.PlainText


def test_a_problem_that_is_not_about_a_field_is_a_message_over_the_form(qtbot):
    def submit(values):  # type: ignore[no-untyped-def]
        raise WorkspaceBusyError("studio.studiodesk is busy: someone else is saving.")

    dialog = _dialog(qtbot, submit)
    dialog.accept()
    assert dialog.isVisible()
    assert problems(dialog) == ["studio.studiodesk is busy: someone else is saving."]


def test_the_form_hands_plain_values_to_submit_and_closes(qtbot):
    got: list[dict[str, object]] = []
    dialog = _dialog(qtbot, got.append, fixed=("client",))
    assert not dialog.editors["client"].isEnabled()
    qtbot.keyClicks(dialog.editors["name"], "Poster")
    dialog.accept()
    assert not dialog.isVisible()
    assert got[0]["client"] == "Acme Foods" and got[0]["name"] == "Poster"
    assert got[0]["status"] == "active" and got[0]["budget"] is None
    assert got[0]["technical_complexity"] == 3


@pytest.mark.parametrize(("key", "expected"), [(Qt.Key.Key_Return, True),
                                               (Qt.Key.Key_Escape, False)])
def test_the_delete_question_confirms_with_enter_and_cancels_with_escape(qtbot, key,
                                                                         expected):
    answer = answer_dialog(lambda box: qtbot.keyClick(box, key))
    assert ConfirmDelete.ask(None, "Delete client", "Delete “<b>Acme</b>”?") is expected
    answer.check()


def test_markup_in_a_name_shows_as_typed(qtbot):
    texts: list[str] = []

    def look(box):  # type: ignore[no-untyped-def]
        texts.append(box.textFormat())
        box.reject()

    answer = answer_dialog(look)
    ConfirmDelete.ask(None, "Delete client", "Delete “<b>Acme</b>”?")
    answer.check()
    assert texts == [Qt.TextFormat.PlainText]


@pytest.mark.parametrize(("kind", "key", "typed"), [
    (F.PERSON, "max_clients", "5000"), (F.PERSON, "weekly_hours", "-5"),
    (F.PROJECT, "budget", "-0.5"), (F.PERSON, "name", "N" * 40_000)])
def test_editors_keep_what_was_typed_however_far_it_misses(qtbot, kind, key, typed):
    editor = make_editor(kind.field(key))
    qtbot.addWidget(editor)
    editor.show()
    editor.setFocus()
    editor.insert(typed)  # as a paste: in one go
    assert editor.text() == typed  # neither clamped, ignored nor cut
    assert editor_problem(editor) is not None


def test_a_stored_amount_comes_back_to_the_last_digit(qtbot):
    editor = make_editor(F.PROJECT.field("budget"))
    qtbot.addWidget(editor)
    set_editor_value(editor, 1234.567)
    assert editor.text() == "1234.567"
    assert editor_value(editor) == 1234.567
    set_editor_value(editor, 40.0)
    assert editor.text() == "40"
