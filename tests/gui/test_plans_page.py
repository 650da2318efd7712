"""The Plans page used as a person uses it: the plans, and an applied plan's checklist."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QWidget

from studio_desk.core import schedule
from studio_desk.gui.main_window import MainWindow
from studio_desk.gui.plans_page import (
    ConfirmPlanDelete,
    ConversationModel,
    NewPlanDialog,
    PlanEntry,
    PlanListModel,
    PlansView,
    when_changed,
)
from studio_desk.gui.responsibilities import NameDialog
from studio_desk.store import plans
from studio_desk.store.engine import Workspace
from tests.gui.conftest import answer_dialog, focused, problems, reactivate

CTRL = Qt.KeyboardModifier.ControlModifier
EFFECTIVE = schedule.default_effective_date()


def make_plan(workspace: Workspace, name: str = "Spring split", *, apply: bool = True) -> int:
    """A plan for the small studio: proposed and scheduled, applied unless told not to."""
    with workspace.write() as s:
        plan = plans.create_plan(s, name, effective_date=EFFECTIVE)
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id)
        if apply:
            plans.apply_plan(s, plan.id)
    return plan.id


def progress_in_workspace(workspace: Workspace, plan_id: int) -> tuple[int, int, int]:
    with workspace.read() as s:
        return plans.plan_progress(s, plan_id)


def open_page(window) -> PlansView:  # type: ignore[no-untyped-def]
    page = window.show_page("Plans")
    assert isinstance(page, PlansView)
    return page


def plan_cell(page: PlansView, name: str, column: str) -> str:
    position = [e.plan.name for e in page.model.rows()].index(name)
    return page.model.index(position, PlanListModel.HEADERS.index(column)).data()


def click_row(qtbot, table, row: int, column: int = 0) -> None:  # type: ignore[no-untyped-def]
    index = table.model().index(row, column)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(index).center())
    assert table.currentIndex().row() == row


@pytest.fixture
def wizard_calls(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """Stand in for the transition wizard: record which plan it was opened on."""
    calls: list[int | None] = []
    monkeypatch.setattr(MainWindow, "open_wizard",
                        lambda self, plan_id=None: calls.append(plan_id), raising=False)
    return calls


def test_mark_a_conversation_informed_and_see_the_progress_change(qtbot, small_studio,
                                                                  make_window):
    plan_id = make_plan(small_studio)
    window = make_window(small_studio.path)
    page = open_page(window)
    assert plan_cell(page, "Spring split", "Status") == "Applied"
    assert plan_cell(page, "Spring split", "Progress") == "0 of 3 clients informed"
    assert page.talks.rowCount() == 3
    assert page.progress_label.text() == "0 of 3 clients informed, 0 settled"

    click_row(qtbot, page.talks_table, 1)
    client = page.talks.row_at(1).client
    qtbot.keyClick(page.talks_table, Qt.Key.Key_2, CTRL)  # informed
    status_column = ConversationModel.STATUS_COLUMN
    assert page.talks.index(1, status_column).data() == "Informed"
    assert plan_cell(page, "Spring split", "Progress") == "1 of 3 clients informed"
    assert page.progress_label.text() == "1 of 3 clients informed, 0 settled"
    assert page.progress_bar.value() == 1 and page.progress_bar.maximum() == 3
    assert progress_in_workspace(small_studio, plan_id) == (1, 0, 3)
    assert window.undo_stack.undoText() == f"Mark “{client}” informed"

    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert page.talks.index(1, status_column).data() == "Planned"
    assert plan_cell(page, "Spring split", "Progress") == "0 of 3 clients informed"
    assert progress_in_workspace(small_studio, plan_id) == (0, 0, 3)

    # Every client settled, with the buttons and the drop-down: the plan is done.
    click_row(qtbot, page.talks_table, 0)
    qtbot.mouseClick(page.status_buttons[2], Qt.MouseButton.LeftButton)
    click_row(qtbot, page.talks_table, 1)
    qtbot.keyClick(page.talks_table, Qt.Key.Key_3, CTRL)
    click_row(qtbot, page.talks_table, 2, status_column)
    qtbot.keyClick(page.talks_table, Qt.Key.Key_F2)
    combo = focused(page.talks_table)
    assert isinstance(combo, QComboBox) and combo.currentText() == "Planned"
    combo.setCurrentIndex(combo.findData("settled"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.talks_table.state()
                    != QAbstractItemView.State.EditingState)
    assert progress_in_workspace(small_studio, plan_id) == (3, 3, 3)
    assert plan_cell(page, "Spring split", "Status") == "Done"
    assert plan_cell(page, "Spring split", "Progress") == "3 of 3 clients informed, all settled"
    assert problems(window) == []


def test_a_new_plan_opens_in_the_wizard_and_can_be_renamed_and_deleted(
        qtbot, studio_window, small_studio, wizard_calls, monkeypatch):
    page = open_page(studio_window)
    assert page.model.rowCount() == 0
    assert "New plan" in page.talks_note.text()
    offered: list[str] = []

    def name_the_plan(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, NewPlanDialog)
        offered.append(dialog.template.currentText())
        day = dialog.effective.date()
        offered.append(dt.date(day.year(), day.month(), day.day()).isoformat())
        qtbot.keyClicks(dialog.name, "Autumn split")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    answer = answer_dialog(name_the_plan)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    answer.check()
    reactivate(qtbot, studio_window)
    assert offered == ["Account Manager + Production Manager", EFFECTIVE.isoformat()]
    with small_studio.read() as s:
        made = plans.find_plan(s, "Autumn split")
    assert made is not None and made.status == "draft" and made.effective_date == EFFECTIVE
    assert wizard_calls == [made.id]  # the team carries on in the wizard
    assert page.current_entry().plan.name == "Autumn split"
    assert plan_cell(page, "Autumn split", "Progress") == "In the wizard: Start (step 1 of 7)"
    assert plan_cell(page, "Autumn split", "Last changed").startswith("Window user, ")

    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert wizard_calls == [made.id, made.id]

    def rename(cls, parent, title, label, text, submit, **kwargs):  # type: ignore[no-untyped-def]
        assert text == "Autumn split"
        submit("Autumn split, two AMs", None)
        return "Autumn split, two AMs"

    monkeypatch.setattr(NameDialog, "ask", classmethod(rename))
    qtbot.mouseClick(page.rename_button, Qt.MouseButton.LeftButton)
    assert plan_cell(page, "Autumn split, two AMs", "Status") == "Draft"
    qtbot.keyClick(studio_window, Qt.Key.Key_Z, CTRL)
    assert plan_cell(page, "Autumn split", "Status") == "Draft"
    with small_studio.read() as s:
        assert plans.find_plan(s, "Autumn split") is not None

    asked: list[str] = []
    answers = iter([False, True])

    def confirm(cls, parent, text):  # type: ignore[no-untyped-def]
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(ConfirmPlanDelete, "ask", classmethod(confirm))
    click_row(qtbot, page.table, 0)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)  # answered no: kept
    assert len(asked) == 1
    assert page.model.rowCount() == 1
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert "cannot be undone" in asked[0]
    assert page.model.rowCount() == 0
    with small_studio.read() as s:
        assert plans.list_plans(s) == []
    assert problems(studio_window) == []


def test_without_a_wizard_the_button_says_why_it_is_off(small_studio, make_window,
                                                        monkeypatch):
    make_plan(small_studio, apply=False)
    monkeypatch.delattr(MainWindow, "open_wizard", raising=False)
    page = open_page(make_window(small_studio.path))
    assert page.current_entry() is not None
    assert not page.wizard_button.isEnabled()
    assert "not available" in page.wizard_button.toolTip()


def test_a_draft_shows_its_schedule_but_is_not_yet_a_checklist(qtbot, small_studio,
                                                                make_window, wizard_calls):
    plan_id = make_plan(small_studio, "Leaner option", apply=False)
    window = make_window(small_studio.path)
    page = open_page(window)
    assert plan_cell(page, "Leaner option", "Status") == "Draft"
    assert page.talks.rowCount() == 3
    assert "once it is applied" in page.talks_note.text()
    click_row(qtbot, page.talks_table, 0)
    assert not any(button.isEnabled() for button in page.status_buttons)
    qtbot.keyClick(page.talks_table, Qt.Key.Key_2, CTRL)
    assert progress_in_workspace(small_studio, plan_id) == (0, 0, 3)
    assert window.undo_stack.count() == 0
    assert page.wizard_button.isEnabled()


def test_marking_a_conversation_a_colleague_changed_says_so(qtbot, small_studio, make_window):
    plan_id = make_plan(small_studio)
    window = make_window(small_studio.path)
    page = open_page(window)
    click_row(qtbot, page.talks_table, 0)
    talk = page.talks.row_at(0)
    with small_studio.write() as s:  # a colleague settles it meanwhile
        plans.set_conversation_status(s, talk.id, "settled")
    qtbot.keyClick(page.talks_table, Qt.Key.Key_2, CTRL)
    assert any("Someone updated this conversation" in text for text in problems(window))
    assert progress_in_workspace(small_studio, plan_id) == (1, 1, 3)  # theirs kept
    assert page.talks.index(0, ConversationModel.STATUS_COLUMN).data() == "Settled"
    assert window.undo_stack.count() == 0


def test_the_models_pass_the_model_tester(qtmodeltester, small_studio):
    plan_id = make_plan(small_studio)
    with small_studio.write() as s:
        plans.create_plan(s, "Draft without a date")
        entries = [PlanEntry(p, *plans.plan_progress(s, p.id)) for p in plans.list_plans(s)]
        talks = plans.plan_conversations(s, plan_id)
    plan_model = PlanListModel()
    qtmodeltester.check(plan_model)
    plan_model.set_rows(entries)
    qtmodeltester.check(plan_model)
    talk_model = ConversationModel()
    talk_model.set_rows(talks)
    talk_model.edit_handler = lambda talk, status: True
    qtmodeltester.check(talk_model)


def test_times_read_in_the_readers_clock() -> None:
    now = dt.datetime(2026, 3, 10, 15, 0).astimezone()
    moment = now.astimezone(dt.UTC).replace(tzinfo=None)
    assert when_changed(moment, now) == "today 15:00"
    assert when_changed(moment - dt.timedelta(days=1), now) == "yesterday 15:00"
    assert when_changed(moment - dt.timedelta(days=9), now) == "1 Mar 2026 15:00"


def test_every_widget_the_keyboard_reaches_has_an_accessible_name(small_studio, make_window):
    make_plan(small_studio)
    window = make_window(small_studio.path)
    open_page(window)
    unnamed = [w for w in window.findChildren(QWidget)
               if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
               and not w.objectName().startswith("qt_") and not w.accessibleName()
               and not (isinstance(w, QAbstractButton) and w.text())]
    assert unnamed == []
