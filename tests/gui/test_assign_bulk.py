"""The Assign page at studio scale: many rows selected, changed together, undone together,
and filters that narrow what the table shows and what the actions take."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QListWidget

from studio_desk.core import catalog
from studio_desk.gui.wizard.assign import EVERYONE, AssignPage, PersonChooser
from studio_desk.store import plans
from studio_desk.store.engine import Workspace
from tests.gui.conftest import answer_dialog, reactivate
from tests.gui.test_wizard_pages import open_on, person_id, plan_at, set_limits

PERSON = "person"


@pytest.fixture
def page(qtbot: Any, studio_window: Any, small_studio: Workspace) -> AssignPage:
    plan_at(small_studio, "assign")
    wizard = open_on(qtbot, studio_window)
    shown = wizard.currentPage()
    assert isinstance(shown, AssignPage)
    assert shown.model.rowCount() == 6
    shown.table.setFocus()
    return shown


def shown_people(page: AssignPage) -> list[str]:
    """The Proposed person column as the table shows it, top to bottom."""
    column = page.model.column_of(PERSON)
    return [page.proxy.index(r, column).data() for r in range(page.proxy.rowCount())]


def stored(ws: Workspace, page: AssignPage) -> dict[int, plans.PlanItemRow]:
    with ws.read() as s:
        return {i.id: i for i in plans.plan_items(s, page.draft.id)}


def plan_version(ws: Workspace, page: AssignPage) -> int:
    with ws.read() as s:
        return plans.load_plan(s, page.draft.id).version


def click_row(qtbot: Any, page: AssignPage, row: int,
              modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    rect = page.table.visualRect(page.proxy.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, modifier,
                     QPoint(rect.center()))


def test_rows_selected_with_the_keyboard_are_left_unplaced_in_one_write_and_undone_at_once(
        qtbot, page, small_studio):
    before = {i.id: i for i in page.model.rows()}
    click_row(qtbot, page, 0)
    for _ in range(2):
        qtbot.keyClick(page.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert [i.id for i in page.selected_items()] == [i.id for i in page.model.rows()[:3]]
    assert page.selected_label.text() == "3 rows selected:"
    qtbot.keyClick(page.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(page.selected_items()) == 6
    assert page.leave_button.isEnabled()
    version = plan_version(small_studio, page)

    qtbot.mouseClick(page.leave_button, Qt.MouseButton.LeftButton)

    assert shown_people(page) == [""] * 6
    assert all(i.overridden and not i.unplaced for i in page.model.rows())
    saved = stored(small_studio, page)
    assert all(i.person_id is None and i.overridden for i in saved.values())
    assert plan_version(small_studio, page) == version + 1  # one write for six rows
    assert len(page.selected_items()) == 6  # the selection stays for the next action

    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [(i.person_id, i.overridden) for i in page.model.rows()] == [
        (before[i.id].person_id, before[i.id].overridden) for i in page.model.rows()]
    saved = stored(small_studio, page)
    assert all((saved[i].person_id, saved[i].overridden, saved[i].reason)
               == (b.person_id, b.overridden, b.reason) for i, b in before.items())
    assert plan_version(small_studio, page) == version + 2
    assert not page.undo_button.isEnabled() and page.redo_button.isEnabled()

    qtbot.keyClick(page.table, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert shown_people(page) == [""] * 6
    assert all(i.person_id is None for i in stored(small_studio, page).values())


def test_rows_picked_with_the_mouse_are_assigned_to_one_person(qtbot, page, small_studio,
                                                               monkeypatch):
    cara = person_id(small_studio, "Cara Li")
    asked: list[int] = []

    def ask(cls: type, parent: Any, choices: list[tuple[str, int]], count: int) -> int:
        asked.append(count)
        assert [label.split(" — ")[0] for label, _ in choices] == [
            "Ana Ruiz", "Ben Ode", "Cara Li"]
        return cara

    monkeypatch.setattr(PersonChooser, "ask", classmethod(ask))
    click_row(qtbot, page, 1)
    click_row(qtbot, page, 3, Qt.KeyboardModifier.ControlModifier)
    click_row(qtbot, page, 5, Qt.KeyboardModifier.ControlModifier)
    picked = [page.model.row_at(r).id for r in (1, 3, 5)]
    others = {page.model.row_at(r).id: page.model.row_at(r).person_id for r in (0, 2, 4)}
    assert [i.id for i in page.selected_items()] == picked

    qtbot.mouseClick(page.assign_button, Qt.MouseButton.LeftButton)

    assert asked == [3]
    saved = stored(small_studio, page)
    assert all(saved[i].person == "Cara Li" and saved[i].overridden for i in picked)
    assert all(saved[i].person_id == p for i, p in others.items())
    assert [page.model.row_at(r).person for r in (1, 3, 5)] == ["Cara Li"] * 3
    assert page.undo_stack.undoText() == "Assign 3 rows to Cara Li"

    # Keep current: each row back to the person who holds it now, chosen by hand.
    qtbot.mouseClick(page.keep_button, Qt.MouseButton.LeftButton)
    saved = stored(small_studio, page)
    assert all(saved[i].person_id == saved[i].previous_person_id and saved[i].overridden
               for i in picked)
    assert page.undo_stack.count() == 2


def test_the_person_chooser_answers_with_the_person_picked(qtbot, page, small_studio):
    page.table.selectAll()
    ben = person_id(small_studio, "Ben Ode")

    def pick_ben(dialog: Any) -> None:
        assert isinstance(dialog, PersonChooser)
        people = dialog.findChild(QListWidget, "people")
        people.setCurrentRow(next(i for i in range(people.count())
                                  if people.item(i).text().startswith("Ben Ode")))
        qtbot.keyClick(people, Qt.Key.Key_Return)

    answer = answer_dialog(pick_ben)
    assert page.assign_selected()
    answer.check()
    reactivate(qtbot, page.window())
    assert all(i.person_id == ben for i in stored(small_studio, page).values())

    cancel = answer_dialog(lambda dialog: dialog.reject())
    assert not page.assign_selected()
    cancel.check()
    assert page.undo_stack.count() == 1


def test_filters_narrow_the_rows_and_actions_take_only_the_rows_shown(qtbot, page,
                                                                       small_studio):
    rows = {i.id: i for i in page.model.rows()}
    page.role_filter.setCurrentIndex(page.role_filter.findData(
        catalog.ROLE_PRODUCTION_MANAGER))
    assert page.proxy.rowCount() == 3
    assert page.shown.text() == "Showing 3 of 6 rows"
    qtbot.keyClick(page.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(page.selected_items()) == 3
    # The Delete key leaves them unplaced too.
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    saved = stored(small_studio, page)
    for item_id, before in rows.items():
        if before.role == catalog.ROLE_PRODUCTION_MANAGER:
            assert saved[item_id].person_id is None and saved[item_id].overridden
        else:
            assert (saved[item_id].person_id, saved[item_id].overridden) == (
                before.person_id, before.overridden)

    # No one: the three rows just left empty; with both roles, the same three.
    page.role_filter.setCurrentIndex(0)
    page.person_filter.setCurrentIndex(page.person_filter.findData(None))
    assert shown_people(page) == [""] * 3
    # A person: only the rows proposed for them.
    ana = person_id(small_studio, "Ana Ruiz")
    page.person_filter.setCurrentIndex(page.person_filter.findData(ana))
    assert set(shown_people(page)) <= {"Ana Ruiz"}
    assert page.proxy.rowCount() == sum(1 for i in page.model.rows() if i.person_id == ana)
    page.person_filter.setCurrentIndex(page.person_filter.findData(EVERYONE))
    page.changes_only.setChecked(True)
    assert page.proxy.rowCount() == sum(1 for i in page.model.rows() if i.changed)
    assert page.shown.text().startswith("Showing ")


def test_unplaced_only_then_select_all_leaves_just_those_rows_empty(
        qtbot, studio_window, small_studio):
    set_limits(small_studio, Ana=1, Ben=0, Cara=0)
    plan_at(small_studio, "assign")
    wizard = open_on(qtbot, studio_window)
    page = wizard.currentPage()
    assert isinstance(page, AssignPage)
    unplaced = [i.id for i in page.model.rows() if i.unplaced]
    assert len(unplaced) == 2
    qtbot.mouseClick(page.unplaced_only, Qt.MouseButton.LeftButton)
    assert page.proxy.rowCount() == 2
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.mouseClick(page.leave_button, Qt.MouseButton.LeftButton)
    # Left empty on purpose, they are no longer unplaced: the filter lets them go.
    assert page.proxy.rowCount() == 0
    assert page.unplaced.isHidden()
    assert page.problem() is None
    saved = stored(small_studio, page)
    assert [i for i, row in saved.items() if row.overridden] == unplaced
    assert page.undo_stack.undoText() == "Leave 2 rows unplaced"


def test_one_row_chosen_in_its_cell_is_undone_and_redone_like_many(qtbot, page,
                                                                     small_studio):
    item = page.model.row_at(0)
    before = stored(small_studio, page)[item.id]
    someone_else = next(name for name in ("Ana Ruiz", "Ben Ode", "Cara Li")
                        if name != item.person)

    page.choose(item.item_name, someone_else)

    assert stored(small_studio, page)[item.id].person == someone_else
    assert page.undo_stack.undoText() == f"Choose {someone_else} for {item.item_name}"
    assert page.undo_button.isEnabled()
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = stored(small_studio, page)[item.id]
    assert (back.person_id, back.overridden) == (before.person_id, before.overridden)
    assert page.model.row_at(0).person_id == before.person_id
    qtbot.mouseClick(page.redo_button, Qt.MouseButton.LeftButton)
    assert stored(small_studio, page)[item.id].person == someone_else


def test_the_actions_have_names_and_wait_for_a_selection(page):
    for button, name in ((page.assign_button, "Assign to…"),
                         (page.keep_button, "Keep current"),
                         (page.leave_button, "Leave unplaced")):
        assert button.accessibleName() == name
        page.table.clearSelection()
        assert not button.isEnabled()
        page.table.selectRow(0)
        assert button.isEnabled()
    assert page.person_filter.accessibleName() and page.role_filter.accessibleName()


def test_the_filter_passes_the_model_tester(qtmodeltester, page, small_studio):
    page.role_filter.setCurrentIndex(page.role_filter.findData(catalog.ROLE_ACCOUNT_MANAGER))
    qtmodeltester.check(page.proxy)
