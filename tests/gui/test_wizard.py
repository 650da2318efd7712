"""The transition wizard walked through as a team would: over two sittings and by two
people, on a demo studio, from naming the plan to applying it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QTableView, QWizard
from sqlalchemy import select

from studio_desk.core import catalog
from studio_desk.core import leanings as L
from studio_desk.core.rows import ProjectRow
from studio_desk.gui.main_window import MainWindow
from studio_desk.gui.messages import PROBLEM
from studio_desk.gui.wizard import TransitionWizard
from studio_desk.gui.wizard.assign import AssignPage
from studio_desk.gui.wizard.people import PeoplePage
from studio_desk.gui.wizard.review import ConfirmApply, ReviewPage
from studio_desk.gui.wizard.tell import TellPage
from studio_desk.gui.wizard.work import WorkPage
from studio_desk.store import holders, plans, records
from studio_desk.store.demo import build_demo
from studio_desk.store.engine import open_workspace
from studio_desk.store.models import Assignment, Person, Role
from tests.gui.conftest import problems, reactivate


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """A small demo studio: 6 people, 10 clients, 20 projects."""
    path = tmp_path / "demo.studiodesk"
    build_demo(path, people=6, clients=10, projects=20)
    return path


def open_wizard_with_keys(qtbot: Any, window: MainWindow) -> TransitionWizard:
    """Tools › Transition wizard… by its shortcut; the wizard comes up active."""
    reactivate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    wizard = window._wizard  # noqa: SLF001 - the window keeps the one it opened
    assert isinstance(wizard, TransitionWizard)
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


def dismiss_problems(qtbot: Any, wizard: QWizard) -> list[str]:
    """Read the problem messages shown, and press OK on each, as the user does."""
    texts = []
    for box in wizard.findChildren(QMessageBox, PROBLEM):
        if box.isVisible():
            texts.append(box.text())
            qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok),
                             Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: problems(wizard) == [])
    reactivate(qtbot, wizard)
    return texts


def click(qtbot: Any, wizard: QWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def go_on(qtbot: Any, wizard: QWizard) -> None:
    """Press Next and check the wizard moved on (no problem shown)."""
    before = wizard.currentId()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert problems(wizard) == []
    assert wizard.currentId() == before + 1


def choose_in_table(qtbot: Any, table: QTableView, row: int, column: int, value: Any) -> None:
    """Open the chooser of a cell with F2, pick ``value``, press Enter."""
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, column))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    shown = [c for c in table.viewport().findChildren(QComboBox) if c.isVisible()]
    assert len(shown) == 1
    combo = shown[0]
    position = combo.findData(value)
    assert position >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(position)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    # Qt commits the chooser's value just after the key (a queued call).
    qtbot.waitUntil(lambda: table.state() != QTableView.State.EditingState)


def place_everyone(qtbot: Any, page: AssignPage) -> None:
    """Choose someone for any row the proposal could not place (the freest person)."""
    for position, item in enumerate(page.model.rows()):
        if item.unplaced:
            freest = max(page.people.values(), key=lambda p: (
                page.after[p.name].weekly_hours - page.after[p.name].allocated_hours))
            choose_in_table(qtbot, page.table, position, page.model.column_of("person"),
                            freest.id)


def test_a_team_walks_the_whole_wizard_over_two_sittings_and_applies_it(
        qtbot, make_window, demo_path, monkeypatch):
    window = make_window(demo_path)
    wizard = open_wizard_with_keys(qtbot, window)
    assert wizard.current_step() == "start"
    assert wizard.width() >= 1000 and wizard.height() >= 700

    # Start: name the plan; the team structure and date keep their defaults.
    start = wizard.currentPage()
    start.name_edit.clear()
    qtbot.keyClicks(start.name_edit, "Spring <b>split</b>")
    effective = dt.date.fromisoformat(start.effective_date.date().toString("yyyy-MM-dd"))
    go_on(qtbot, wizard)
    assert wizard.windowTitle().endswith("Spring <b>split</b>")

    # What needs to get done: "Review deliverables" becomes client-focused, by keyboard.
    work = wizard.currentPage()
    assert isinstance(work, WorkPage)
    row = work.models[catalog.PROJECT_FOCUSED].position_of(next(
        d.id for d in work.duties() if d.name == "Review deliverables"))
    work.project_list.setFocus()
    work.project_list.setCurrentIndex(work.project_list.model().index(row, 0))
    qtbot.keyClick(work.project_list, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert "Review deliverables" in [d.name for d in work.models[catalog.CLIENT_FOCUSED]
                                     .duties()]
    go_on(qtbot, wizard)

    # People: the first person takes both roles instead of what was proposed.
    people = wizard.currentPage()
    assert isinstance(people, PeoplePage)
    first = people.model.row_at(0)
    new_leaning = L.BOTH if first.proposed.leaning != L.BOTH else L.ACCOUNT_MANAGER
    choose_in_table(qtbot, people.table, 0, people.model.column_of("leaning"), new_leaning)
    assert people.model.row_at(0).chosen == new_leaning
    go_on(qtbot, wizard)

    # Clients and projects: every active and back-burner project is listed.
    inventory = wizard.currentPage()
    with open_workspace(demo_path) as ws, ws.read() as s:
        covered = sum(1 for p in records.list_rows(s, "project")
                      if isinstance(p, ProjectRow) and p.status in ("active", "back-burner"))
    assert inventory.projects.model.rowCount() == covered
    go_on(qtbot, wizard)

    # Assign: the proposal is there (worked out on entering); override one project row.
    assign = wizard.currentPage()
    assert isinstance(assign, AssignPage)
    assert assign.model.rowCount() == 10 + covered
    place_everyone(qtbot, assign)
    target_row, target = next((i, item) for i, item in enumerate(assign.model.rows())
                              if item.project_id is not None and item.person_id is not None)
    other = next(p for p in sorted(assign.people.values(), key=lambda p: p.name)
                 if p.id != target.person_id)
    choose_in_table(qtbot, assign.table, target_row, assign.model.column_of("person"),
                    other.id)
    overridden = assign.model.row_at(target_row)
    assert overridden.person == other.name and overridden.overridden
    assert assign.model.data(assign.model.index(target_row, 0),
                             Qt.ItemDataRole.FontRole).bold()

    # The team stops for the day: Close keeps everything.
    click(qtbot, wizard, QWizard.WizardButton.CancelButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())

    # Next morning, the same person opens the wizard again: same page, same choices.
    again = open_wizard_with_keys(qtbot, window)
    assert again is not wizard
    check_resumed(again, target.id, other.name, first.person.name, new_leaning)
    click(qtbot, again, QWizard.WizardButton.CancelButton)

    # A colleague opens the same workspace file in their own window: the same too.
    colleague_window = make_window(demo_path, who="Dana")
    colleague = open_wizard_with_keys(qtbot, colleague_window)
    check_resumed(colleague, target.id, other.name, first.person.name, new_leaning)

    # The colleague finishes: Tell the clients is planned on entering the page.
    go_on(qtbot, colleague)
    tell = colleague.currentPage()
    assert isinstance(tell, TellPage)
    assert tell.model.rowCount() == 10
    assert all(c.on_date is None or c.on_date < effective for c in tell.model.rows())
    go_on(qtbot, colleague)

    review = colleague.currentPage()
    assert isinstance(review, ReviewPage)
    asked: list[str] = []
    monkeypatch.setattr(ConfirmApply, "ask", classmethod(
        lambda cls, parent, title, text: asked.append(text) or True))
    qtbot.mouseClick(review.apply_button, Qt.MouseButton.LeftButton)
    assert problems(colleague) == []
    assert asked and "Spring <b>split</b>" in asked[0]
    assert not review.apply_button.isEnabled()
    assert review.checklist_model.editing_enabled
    click(qtbot, colleague, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: not colleague.isVisible())

    check_applied(demo_path, effective)


def check_resumed(wizard: TransitionWizard, item_id: int, person: str, first_person: str,
                  leaning: str) -> None:
    """The wizard opened on the Assign page with the choices made before closing."""
    assert wizard.current_step() == "assign"
    assert wizard.windowTitle().endswith("Spring <b>split</b>")
    assign = wizard.currentPage()
    assert isinstance(assign, AssignPage)
    row = next(i for i in assign.model.rows() if i.id == item_id)
    assert row.person == person and row.overridden
    selected = assign.selected_item()
    assert selected is not None
    people = wizard.page_for("people")
    assert isinstance(people, PeoplePage)
    assert next(r.chosen for r in people.model.rows()
                if r.person.name == first_person) == leaning
    work = wizard.page_for("responsibilities")
    assert isinstance(work, WorkPage)
    assert "Review deliverables" in [d.name for d in work.models[catalog.CLIENT_FOCUSED]
                                     .duties()]


def check_applied(path: Path, effective: dt.date) -> None:
    """Old holders' assignments end the day before the effective date, new ones start on
    it, and every project's manager is its new Production Manager from that date (until
    then, the one it had)."""
    day_before = effective - dt.timedelta(days=1)
    with open_workspace(path) as ws, ws.read() as s:
        plan = next(p for p in plans.list_plans(s) if p.name == "Spring <b>split</b>")
        assert plan.status == plans.STATUS_APPLIED and plan.applied_by == "Dana"
        items = plans.plan_items(s, plan.id)
        roles = dict(s.execute(select(Role.key, Role.id)).all())
        names = dict(s.execute(select(Person.id, Person.name)).all())
        changed = [i for i in items if i.changed and i.person_id is not None]
        assert changed, "the demo plan changes some holders"
        for item in items:
            role = roles[item.role]
            target = (Assignment.project_id == item.project_id) if item.project_id \
                else (Assignment.client_id == item.client_id)
            history = s.scalars(select(Assignment).where(Assignment.role_id == role,
                                                         target)).all()
            current = [a for a in history if a.end is None]
            assert [a.person_id for a in current] == [item.person_id], item.item_name
            if item.changed:
                assert current[0].start == effective
                if item.previous_person_id is not None:
                    ended = [a for a in history if a.person_id == item.previous_person_id]
                    assert ended and all(a.end == day_before for a in ended), item.item_name
            if item.project_id is not None:
                project = records.get_row(s, "project", item.project_id)
                assert isinstance(project, ProjectRow)
                assert project.manager == names.get(item.previous_person_id or 0)
        informed, settled, total = plans.plan_progress(s, plan.id)
        assert (informed, settled, total) == (0, 0, 10)
    with open_workspace(path) as ws:
        with ws.write() as s:
            holders.catch_up(s, effective)  # the day comes
        with ws.read() as s:
            for item in items:
                if item.project_id is not None:
                    project = records.get_row(s, "project", item.project_id)
                    assert isinstance(project, ProjectRow)
                    assert project.manager == names[item.person_id]


def test_the_first_page_refuses_an_empty_name_and_keeps_what_was_typed(
        qtbot, make_window, demo_path):
    window = make_window(demo_path)
    wizard = open_wizard_with_keys(qtbot, window)
    start = wizard.currentPage()
    start.name_edit.clear()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert dismiss_problems(qtbot, wizard) == ["The plan needs a name."]
    assert wizard.current_step() == "start"
    with open_workspace(demo_path) as ws, ws.read() as s:
        assert plans.list_plans(s) == []


def test_a_taken_plan_name_is_one_sentence_and_the_page_stays(qtbot, make_window, demo_path):
    with open_workspace(demo_path) as ws, ws.write() as s:
        plans.create_plan(s, "Autumn")
    window = make_window(demo_path)
    wizard = open_wizard_with_keys(qtbot, window)
    # The draft was never left past its first page: the wizard opens there with it.
    assert wizard.current_step() == "start"
    start = wizard.currentPage()
    start.plan_choice.setCurrentIndex(start.plan_choice.findData(None))
    start.name_edit.clear()
    qtbot.keyClicks(start.name_edit, "AUTUMN")
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    shown = dismiss_problems(qtbot, wizard)
    assert len(shown) == 1 and "already exists" in shown[0]
    assert "Traceback" not in shown[0]
    assert wizard.current_step() == "start" and start.name_edit.text() == "AUTUMN"


def test_picking_a_draft_on_the_first_page_resumes_it_on_its_page(
        qtbot, make_window, demo_path):
    with open_workspace(demo_path, who="Dana") as ws, ws.write() as s:
        older = plans.create_plan(s, "Older scenario",
                                  effective_date=dt.date.today() + dt.timedelta(days=40))
        plans.save_step(s, older.id, "people", {"leanings": {}}, "inventory")
    window = make_window(demo_path)
    wizard = open_wizard_with_keys(qtbot, window)
    assert wizard.current_step() == "inventory"  # the only draft, where Dana left it
    while wizard.currentId() > 0:
        click(qtbot, wizard, QWizard.WizardButton.BackButton)
    start = wizard.currentPage()
    start.plan_choice.setCurrentIndex(start.plan_choice.findData(None))
    start.name_edit.clear()
    qtbot.keyClicks(start.name_edit, "Newer scenario")
    go_on(qtbot, wizard)
    assert wizard.draft.plan.name == "Newer scenario"

    click(qtbot, wizard, QWizard.WizardButton.BackButton)
    start.plan_choice.setCurrentIndex(start.plan_choice.findData(older.id))
    assert start.name_edit.text() == "Older scenario"
    assert "“Clients and projects”" in start.saved_label.text()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: wizard.current_step() == "inventory")
    assert wizard.draft.plan.id == older.id
    assert problems(wizard) == []


def test_drag_and_drop_moves_a_responsibility_between_the_lists(qtbot, make_window,
                                                                 demo_path):
    window = make_window(demo_path)
    wizard = open_wizard_with_keys(qtbot, window)
    go_on(qtbot, wizard)
    work = wizard.currentPage()
    assert isinstance(work, WorkPage)
    clients = work.models[catalog.CLIENT_FOCUSED]
    projects = work.models[catalog.PROJECT_FOCUSED]
    moved = clients.duties()[1]
    before_client, before_project = clients.rowCount(), projects.rowCount()

    data = clients.mimeData([clients.index(1, 0)])
    assert not clients.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert projects.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert projects.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())

    assert projects.duties()[0].name == moved.name  # where it was dropped
    assert (clients.rowCount(), projects.rowCount()) == (before_client - 1,
                                                         before_project + 1)
    # The list it came from is not asked to remove it a second time.
    assert not clients.removeRows(0, 1)
    assert clients.rowCount() == before_client - 1
    assert work.balance_label.text().startswith(
        f"Balance: {before_client - 1} client-focused")

    go_on(qtbot, wizard)
    saved = wizard.draft.plan.step("responsibilities")["categories"]
    assert saved[moved.name] == catalog.PROJECT_FOCUSED
