"""Two people saving the same record: the conflict dialog, and what each choice saves.

Two main windows are open on one workspace file (two connections, as two colleagues on a
shared drive); one saves first, the other's save collides and asks.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox, QRadioButton

from studio_desk.core import fields as F
from studio_desk.core.rows import Row
from studio_desk.gui.conflict import MINE, THEIRS, ConflictDialog, differing_fields
from studio_desk.gui.forms import RecordDialog
from studio_desk.gui.main_window import MainWindow
from studio_desk.gui.views import RecordView
from studio_desk.store import records
from studio_desk.store.engine import Workspace
from tests.gui.conftest import answer_dialog, cell_texts, problems


def _row(workspace: Workspace, kind: str, name: str) -> Row:
    with workspace.read() as s:
        found = records.find_id(s, kind, name)
        assert found is not None
        return records.get_row(s, kind, found)


def _save_cell(window: MainWindow, page: str, record_id: int, key: str, value: Any) -> None:
    """Edit one cell in place in ``window`` (as typing into the cell and pressing Enter)."""
    view = window.show_page(page)
    assert isinstance(view, RecordView)
    assert view.select_id(record_id)
    column = [c.key for c in view.model.columns].index(key)
    assert view.proxy.setData(view.table.currentIndex().siblingAtColumn(column), value)


@pytest.fixture
def two_windows(make_window, small_studio):  # type: ignore[no-untyped-def]
    """Mine (“Window user”) and Ana's, both on the small studio's file."""
    mine = make_window(small_studio.path, who="Window user")
    anas = make_window(small_studio.path, who="Ana Ruiz")
    mine.activateWindow()
    return mine, anas


def _edit_in_form(qtbot, window: MainWindow, record_id: int,  # type: ignore[no-untyped-def]
                  typed: dict[str, str], meanwhile, on_conflict) -> dict[str, Any]:
    """Open the Clients form on ``record_id`` in ``window``, type ``typed``, let
    ``meanwhile()`` run (a colleague's save), press Save and answer the conflict dialog
    with ``on_conflict(dialog)``. Returns what was seen."""
    clients = window.show_page("Clients")
    assert isinstance(clients, RecordView)
    assert clients.select_id(record_id)
    seen: dict[str, Any] = {}

    def fill_in(form: Any) -> None:
        assert isinstance(form, RecordDialog)
        for key, text in typed.items():
            editor = form.editors[key]
            editor.selectAll()
            qtbot.keyClicks(editor, text)
        meanwhile()
        conflict = answer_dialog(on_conflict)
        form.buttons.button(form.buttons.StandardButton.Save).click()
        conflict.check()
        seen["form open"] = form.isVisible()
        seen["form values"] = form.values()
        seen["problems"] = problems(form)
        if form.isVisible():
            form.reject()

    answer = answer_dialog(fill_in)
    clients.edit_button.click()
    answer.check()
    return seen


def test_the_dialog_lists_each_field_that_differs_with_both_values():
    kind = F.CLIENT
    loaded = {"name": "Borealis Bank", "industry": "Finance", "contact_name": None,
              "notes": "old"}
    theirs = {**loaded, "industry": "Insurance", "contact_name": "Ola"}
    mine = {"industry": "Banking", "notes": "new"}
    found = {c.key: (c.loaded, c.theirs, c.mine, c.changed_by_me)
             for c in differing_fields(kind, loaded, theirs, mine)}
    assert found == {
        "industry": ("Finance", "Insurance", "Banking", True),  # both changed it
        "contact_name": (None, "Ola", None, False),  # only they changed it
        "notes": ("old", "old", "new", True),  # only I changed it
    }
    # The same change on both sides is no conflict.
    assert differing_fields(kind, loaded, theirs, {"industry": "Insurance"})[0].key == \
        "contact_name"


def test_the_dialog_preselects_each_sides_own_changes_and_shows_values_literally(qtbot):
    loaded = {"name": "Acme", "industry": "Food", "notes": None}
    theirs = {**loaded, "industry": "Food & drink <b>bold</b>"}
    mine = {"notes": "A first line\nand a second"}
    dialog = ConflictDialog(F.CLIENT, loaded, theirs, mine, record="“Acme”", who="Ana Ruiz")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Client changed by Ana Ruiz"
    assert dialog.chosen() == {"industry": THEIRS, "notes": MINE}
    theirs_industry = dialog.findChild(QRadioButton, "theirs_industry")
    # "&" is a letter here, not a keyboard mnemonic; markup is text.
    assert theirs_industry.text() == "Food && drink <b>bold</b>"
    assert theirs_industry.accessibleName() == "Industry: theirs, Food & drink <b>bold</b>"
    assert dialog.findChild(QRadioButton, "mine_notes").text() == "A first line…"
    assert dialog.findChild(QRadioButton, "mine_notes").toolTip() == \
        "A first line\nand a second"
    for label in dialog.findChildren(QLabel):
        assert label.textFormat() == label.textFormat().PlainText

    dialog.choose("industry", MINE)  # back to the value as opened: no industry
    dialog.choose("notes", THEIRS)
    dialog.as_chosen_button.click()
    assert dialog.resolution() == {"industry": "Food"}


def test_keep_theirs_saves_nothing_and_shows_their_version(qtbot, two_windows, small_studio):
    mine, anas = two_windows
    borealis = _row(small_studio, "client", "Borealis Bank")
    seen_dialog: dict[str, Any] = {}

    def ana_saves() -> None:
        _save_cell(anas, "Clients", borealis.id, "industry", "Insurance")

    def keep_theirs(dialog: Any) -> None:
        assert isinstance(dialog, ConflictDialog)
        seen_dialog["heading"] = dialog.findChild(QLabel, "conflict_heading").text()
        seen_dialog["rows"] = [(c.key, c.loaded, c.theirs, c.mine) for c in dialog.conflicts]
        dialog.keep_theirs_button.click()

    seen = _edit_in_form(qtbot, mine, borealis.id, {"industry": "Banking"}, ana_saves,
                         keep_theirs)

    assert seen_dialog["heading"] == ("Ana Ruiz changed the client “Borealis Bank” while "
                                      "you were editing it.")
    assert seen_dialog["rows"] == [("industry", "Finance", "Insurance", "Banking")]
    assert seen["form open"] is False
    assert _row(small_studio, "client", "Borealis Bank").industry == "Insurance"
    assert "Insurance" in cell_texts(mine.page("Clients"), "industry")
    assert not mine.undo_stack.canUndo()  # nothing of mine was saved


def test_use_mine_saves_my_changes_over_theirs_and_keeps_what_only_they_changed(
        qtbot, two_windows, small_studio):
    mine, anas = two_windows
    borealis = _row(small_studio, "client", "Borealis Bank")

    def ana_saves() -> None:
        _save_cell(anas, "Clients", borealis.id, "industry", "Insurance")
        _save_cell(anas, "Clients", borealis.id, "contact_name", "Ola Nordmann")

    seen = _edit_in_form(qtbot, mine, borealis.id, {"industry": "Banking"}, ana_saves,
                         lambda dialog: dialog.use_mine_button.click())

    assert seen["form open"] is False
    saved = _row(small_studio, "client", "Borealis Bank")
    assert (saved.industry, saved.contact_name) == ("Banking", "Ola Nordmann")
    clients = mine.page("Clients")
    assert "Banking" in cell_texts(clients, "industry")
    # Undo takes my save back to their version, not to what I had loaded.
    mine.actions_.undo.trigger()
    assert _row(small_studio, "client", "Borealis Bank").industry == "Insurance"


def test_field_by_field_saves_the_value_picked_in_each_row(qtbot, two_windows, small_studio):
    mine, anas = two_windows
    borealis = _row(small_studio, "client", "Borealis Bank")

    def ana_saves() -> None:
        _save_cell(anas, "Clients", borealis.id, "industry", "Insurance")
        _save_cell(anas, "Clients", borealis.id, "contact_name", "Ola Nordmann")

    def pick(dialog: Any) -> None:
        assert isinstance(dialog, ConflictDialog)
        assert dialog.chosen() == {"industry": MINE, "contact_name": THEIRS,
                                   "contact_email": MINE}
        dialog.findChild(QRadioButton, "theirs_industry").click()  # theirs after all
        dialog.findChild(QRadioButton, "mine_contact_name").click()  # back to empty
        dialog.as_chosen_button.click()

    _edit_in_form(qtbot, mine, borealis.id,
                  {"industry": "Banking", "contact_email": "ir@borealis.example"},
                  ana_saves, pick)

    saved = _row(small_studio, "client", "Borealis Bank")
    assert (saved.industry, saved.contact_name, saved.contact_email) == (
        "Insurance", None, "ir@borealis.example")


def test_a_save_that_collides_again_brings_the_dialog_back_with_the_newer_values(
        qtbot, two_windows, small_studio):
    mine, anas = two_windows
    borealis = _row(small_studio, "client", "Borealis Bank")
    theirs_seen: list[str] = []
    answers = []

    def ana_saves() -> None:
        _save_cell(anas, "Clients", borealis.id, "industry", "Insurance")

    def ana_saves_again_then_i_use_mine(dialog: Any) -> None:
        theirs_seen.append(dialog.conflicts[0].theirs)
        _save_cell(anas, "Clients", borealis.id, "industry", "Reinsurance")
        # The second dialog opens once this one has closed, after this function.
        answers.append(answer_dialog(lambda second: (
            theirs_seen.append(second.conflicts[0].theirs),
            second.use_mine_button.click())))
        dialog.use_mine_button.click()

    _edit_in_form(qtbot, mine, borealis.id, {"industry": "Banking"}, ana_saves,
                  ana_saves_again_then_i_use_mine)

    answers[0].check()
    assert theirs_seen == ["Insurance", "Reinsurance"]
    assert _row(small_studio, "client", "Borealis Bank").industry == "Banking"


def test_cancel_saves_nothing_and_keeps_the_form_open_with_my_input(
        qtbot, two_windows, small_studio):
    mine, anas = two_windows
    borealis = _row(small_studio, "client", "Borealis Bank")

    def ana_saves() -> None:
        _save_cell(anas, "Clients", borealis.id, "industry", "Insurance")

    seen = _edit_in_form(qtbot, mine, borealis.id, {"industry": "Banking"}, ana_saves,
                         lambda dialog: dialog.reject())

    assert seen["form open"] is True
    assert seen["form values"]["industry"] == "Banking"
    assert _row(small_studio, "client", "Borealis Bank").industry == "Insurance"


def test_an_in_place_edit_that_collides_asks_too(qtbot, two_windows, small_studio):
    mine, anas = two_windows
    cobalt = _row(small_studio, "client", "Cobalt Museum")
    _save_cell(anas, "Clients", cobalt.id, "industry", "Heritage")

    answer = answer_dialog(lambda dialog: dialog.use_mine_button.click())
    _save_cell(mine, "Clients", cobalt.id, "industry", "Museums")
    answer.check()

    assert _row(small_studio, "client", "Cobalt Museum").industry == "Museums"
    assert "Museums" in cell_texts(mine.page("Clients"), "industry")
    assert problems(mine) == []


@pytest.mark.parametrize("delete_anyway", [False, True])
def test_deleting_a_record_a_colleague_just_changed_asks_first(
        qtbot, two_windows, small_studio, confirmations, delete_anyway):
    mine, anas = two_windows
    cobalt = _row(small_studio, "client", "Cobalt Museum")
    clients = mine.show_page("Clients")
    assert clients.select_id(cobalt.id)
    _save_cell(anas, "Clients", cobalt.id, "industry", "Heritage")
    asked: dict[str, str] = {}

    def answer_question(box: Any) -> None:
        assert isinstance(box, QMessageBox)
        asked["text"] = box.text()
        asked["detail"] = box.informativeText()
        wanted = "Delete anyway" if delete_anyway else "Keep it"
        (button,) = [b for b in box.buttons() if b.text().replace("&", "") == wanted]
        button.click()

    answer = answer_dialog(answer_question)
    mine.show_page("Clients")
    clients.delete_button.click()
    answer.check()

    assert asked["text"] == ("Ana Ruiz changed the client “Cobalt Museum” after you opened "
                             "it. Delete it anyway?")
    assert asked["detail"] == "Their changes:\nIndustry: Culture → Heritage"
    with small_studio.read() as s:
        still_there = records.find_id(s, "client", "Cobalt Museum") is not None
    assert still_there is not delete_anyway
    if delete_anyway:
        mine.actions_.undo.trigger()  # undo brings back their version
        assert _row(small_studio, "client", "Cobalt Museum").industry == "Heritage"


def test_typing_into_a_cell_that_collides_asks_and_the_editor_closes(
        qtbot, two_windows, small_studio):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView, QApplication

    mine, anas = two_windows
    cobalt = _row(small_studio, "client", "Cobalt Museum")
    _save_cell(anas, "Clients", cobalt.id, "industry", "Heritage")
    clients = mine.show_page("Clients")
    mine.activateWindow()
    qtbot.waitUntil(mine.isActiveWindow)
    assert clients.select_id(cobalt.id)
    column = [c.key for c in clients.model.columns].index("industry")
    clients.table.setCurrentIndex(clients.table.currentIndex().siblingAtColumn(column))
    clients.table.setFocus()
    qtbot.keyClick(clients.table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Museums")

    answer = answer_dialog(lambda dialog: dialog.use_mine_button.click())
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The table hands the value over once the key press is done.
    qtbot.waitUntil(lambda: answer.answered)
    answer.check()

    qtbot.waitUntil(lambda: clients.table.state() != QAbstractItemView.State.EditingState)
    assert _row(small_studio, "client", "Cobalt Museum").industry == "Museums"
    assert "Museums" in cell_texts(clients, "industry")
