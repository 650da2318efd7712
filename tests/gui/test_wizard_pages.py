"""Each page of the transition wizard on its own, used as a person uses it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWizard

from studio_desk.core import catalog
from studio_desk.core import leanings as L
from studio_desk.core import schedule as sched
from studio_desk.gui.style import warning_colour
from studio_desk.gui.tasks import TaskRunner
from studio_desk.gui.wizard import TransitionWizard
from studio_desk.gui.wizard.assign import NO_ONE, AssignPage
from studio_desk.gui.wizard.inventory import InventoryPage
from studio_desk.gui.wizard.people import PeoplePage
from studio_desk.gui.wizard.review import ConfirmApply, ReviewPage
from studio_desk.gui.wizard.tell import TellPage
from studio_desk.gui.wizard.work import WorkPage
from studio_desk.store import plans, records
from studio_desk.store.engine import Workspace
from tests.gui.conftest import focused, problems
from tests.gui.test_wizard import choose_in_table, click, dismiss_problems, go_on

EFFECTIVE = dt.date.today() + dt.timedelta(weeks=5)


def plan_at(ws: Workspace, step: str, *, name: str = "Test plan",
            effective: dt.date = EFFECTIVE) -> plans.PlanRow:
    """A draft plan the team left on ``step``."""
    with ws.write() as s:
        plan = plans.create_plan(s, name, effective_date=effective)
        return plans.save_step(s, plan.id, "start", {}, step)


def set_limits(ws: Workspace, **max_clients: int) -> None:
    """Give people (first names) a client limit."""
    with ws.write() as s:
        for row in records.list_rows(s, "person"):
            first = row.name.split()[0]  # type: ignore[attr-defined]
            if first in max_clients:
                records.update_record(s, "person", row.id, row.version,
                                      {"max_clients": max_clients[first]})


def open_on(qtbot: Any, window: Any) -> TransitionWizard:
    wizard = window.open_wizard()
    assert isinstance(wizard, TransitionWizard)
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    return wizard


def row_of(page: Any, name: str) -> int:
    return next(i for i, item in enumerate(page.model.rows()) if item.item_name == name)


def person_id(ws: Workspace, name: str) -> int:
    with ws.read() as s:
        found = records.find_id(s, "person", name)
    assert found is not None
    return found


# --------------------------------------------------------------------------- What needs to get done


def test_responsibilities_are_sorted_key_after_key(qtbot, studio_window, small_studio):
    plan_at(small_studio, "responsibilities")
    wizard = open_on(qtbot, studio_window)
    work = wizard.currentPage()
    assert isinstance(work, WorkPage)
    clients = work.models[catalog.CLIENT_FOCUSED]
    projects = work.models[catalog.PROJECT_FOCUSED]
    first, second = clients.duties()[0].name, clients.duties()[1].name
    total_clients = clients.rowCount()

    work.client_list.setFocus()
    work.client_list.setCurrentIndex(clients.index(0, 0))
    qtbot.keyClick(work.client_list, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    # The selection stays in the list on the next item: press again to sort it too.
    assert focused(work) is work.client_list
    assert work.client_list.currentIndex().data() == second
    qtbot.keyClick(work.client_list, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert [d.name for d in projects.duties()][-2:] == [first, second]
    assert clients.rowCount() == total_clients - 2
    assert work.client_heading.text().endswith(f"({total_clients - 2})")

    # And back with the other arrow (or the button), from the project-focused list.
    work.project_list.setFocus()
    work.project_list.setCurrentIndex(projects.index(projects.position_of(
        next(d.id for d in projects.duties() if d.name == first)), 0))
    qtbot.mouseClick(work.to_client, Qt.MouseButton.LeftButton)
    assert first in [d.name for d in clients.duties()]

    # Too few on one side is pointed out.
    while clients.rowCount() > 1:
        work.client_list.setFocus()
        work.client_list.setCurrentIndex(clients.index(0, 0))
        qtbot.keyClick(work.client_list, Qt.Key.Key_Right,
                       Qt.KeyboardModifier.ControlModifier)
    assert "The Account Manager's side is light" in work.balance_label.text()
    assert work.balance_label.property("warning") is True

    go_on(qtbot, wizard)
    saved = wizard.draft.plan.step("responsibilities")["categories"]
    assert saved[second] == catalog.PROJECT_FOCUSED
    # "first" came back last to the client-focused list, so it is the one left there.
    assert [n for n, c in saved.items() if c == catalog.CLIENT_FOCUSED] == [first]


def test_adding_renaming_and_removing_responsibilities_changes_the_catalog(
        qtbot, studio_window, small_studio, confirmations):
    plan_at(small_studio, "responsibilities")
    wizard = open_on(qtbot, studio_window)
    work = wizard.currentPage()
    assert isinstance(work, WorkPage)
    qtbot.keyClicks(work.new_name, "Chase unpaid invoices")
    qtbot.mouseClick(work.add_client, Qt.MouseButton.LeftButton)
    assert work.client_list.currentIndex().data() == "Chase unpaid invoices"
    assert work.new_name.text() == ""

    # The same name again (any case) is refused in one sentence; the lists stay.
    qtbot.keyClicks(work.new_name, "CHASE unpaid invoices")
    qtbot.mouseClick(work.add_project, Qt.MouseButton.LeftButton)
    assert dismiss_problems(qtbot, wizard) == [
        "“CHASE unpaid invoices” is already in the catalog."]
    assert work.new_name.text() == "CHASE unpaid invoices"  # what was typed stays

    # F2 renames in place.
    work.client_list.setFocus()
    qtbot.keyClick(work.client_list, Qt.Key.Key_F2)
    editor = focused(work)
    editor.selectAll()
    qtbot.keyClicks(editor, "Chase late invoices")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: work.client_list.currentIndex().data() == "Chase late invoices")

    # Delete removes it, after asking.
    work.client_list.setFocus()
    qtbot.keyClick(work.client_list, Qt.Key.Key_Delete)
    assert confirmations and "Chase late invoices" in confirmations[0]
    with small_studio.read() as s:
        names = [r.name for r in plans.list_responsibilities(s)]
    assert "Chase late invoices" not in names and "Chase unpaid invoices" not in names
    assert len(names) == len(catalog.DEFAULT_RESPONSIBILITIES)


def test_an_unsorted_item_must_be_sorted_before_going_on(qtbot, studio_window, small_studio):
    with small_studio.write() as s:
        plans.add_responsibility(s, "Write the newsletter")  # shared: not sorted yet
    plan_at(small_studio, "responsibilities")
    wizard = open_on(qtbot, studio_window)
    work = wizard.currentPage()
    assert not work.shared_list.isHidden()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert dismiss_problems(qtbot, wizard) == [
        "Sort “Write the newsletter” into client- or project-focused first (drag it, or "
        "select it and press Ctrl+Left or Ctrl+Right)."]
    assert wizard.current_step() == "responsibilities"
    work.shared_list.setFocus()
    work.shared_list.setCurrentIndex(work.models[catalog.SHARED].index(0, 0))
    qtbot.keyClick(work.shared_list, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert work.shared_list.isHidden()
    go_on(qtbot, wizard)


# --------------------------------------------------------------------------- People


def test_people_page_proposes_leanings_and_saves_the_ones_chosen(qtbot, studio_window,
                                                                  small_studio):
    plan_at(small_studio, "people")
    wizard = open_on(qtbot, studio_window)
    page = wizard.currentPage()
    assert isinstance(page, PeoplePage)
    proposed = {r.person.name: r.proposed.leaning for r in page.model.rows()}
    # Ana: client-facing 5, head-down 2; Ben: 1 and 5; Cara: 3 and 3.
    assert proposed == {"Ana Ruiz": L.ACCOUNT_MANAGER, "Ben Ode": L.PRODUCTION_MANAGER,
                        "Cara Li": L.BOTH}
    page.table.setCurrentIndex(page.model.index(1, 0))
    assert page.why.text() == ("Why Ben Ode is proposed as Production Manager: "
                               "client-facing 1, head-down 5: enjoys the detail of the work. "
                               "Suggested limits: as a dedicated Production Manager, the "
                               "time Ben spent with clients goes to projects: 6 active and "
                               "15 back-burner projects in the combined job become 12 and "
                               "30.")

    # Nobody left to hold clients: the page says so and stays.
    for name in ("Ana Ruiz", "Cara Li"):
        page.choose(name, L.PRODUCTION_MANAGER)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert dismiss_problems(qtbot, wizard) == [
        "No one may hold clients: choose Account Manager or Both roles for someone."]
    choose_in_table(qtbot, page.table, 2, page.model.column_of("leaning"), L.BOTH)
    go_on(qtbot, wizard)
    assert wizard.draft.plan.leanings == {
        person_id(small_studio, "Ana Ruiz"): L.PRODUCTION_MANAGER,
        person_id(small_studio, "Ben Ode"): L.PRODUCTION_MANAGER,
        person_id(small_studio, "Cara Li"): L.BOTH}


# --------------------------------------------------------------------------- Clients and projects


def test_scores_are_edited_in_place_and_the_lead_type_follows(qtbot, studio_window,
                                                              small_studio):
    plan_at(small_studio, "inventory")
    wizard = open_on(qtbot, studio_window)
    page = wizard.currentPage()
    assert isinstance(page, InventoryPage)
    clients = {c.name: c for c in page.clients_model.rows()}
    assert clients["Acme Foods"].known_by == "Ana Ruiz (trusted contact, since 2023)"
    assert clients["Acme Foods"].active == 1 and clients["Acme Foods"].backburner == 1
    # The pitch is not shared out; the other three projects are.
    shown = {r.name: r for r in page.projects.model.rows()}
    assert set(shown) == {"Acme web shop", "Acme spring campaign", "Borealis annual report"}
    assert shown["Acme web shop"].effective_lead_type == "production-led"

    table, model = page.projects.table, page.projects.model
    keys = [c.key for c in model.columns]
    row = model.position_of(shown["Acme web shop"].id)
    index = page.projects.proxy.mapFromSource(model.index(row, keys.index(
        "technical_complexity")))
    table.setFocus()
    table.setCurrentIndex(index)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = focused(table)
    editor.selectAll()
    qtbot.keyClicks(editor, "1")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.row_at(model.position_of(shown["Acme web shop"].id))
                    .technical_complexity == 1)
    assert model.row_at(model.position_of(shown["Acme web shop"].id)) \
        .effective_lead_type == "balanced"  # complexity 1, communication 2
    with small_studio.read() as s:
        saved = records.get_row(s, "project", shown["Acme web shop"].id)
    assert saved.technical_complexity == 1  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- Assign


def test_an_override_that_overloads_someone_turns_their_bar_to_the_warning_colour(
        qtbot, studio_window, small_studio):
    set_limits(small_studio, Cara=0)
    plan_at(small_studio, "assign")
    wizard = open_on(qtbot, studio_window)
    page = wizard.currentPage()
    assert isinstance(page, AssignPage)
    assert page.model.rowCount() == 6  # 3 clients, 3 active or back-burner projects
    cara = page.bars["Cara Li"]
    assert not cara.overloaded
    assert cara.colour != warning_colour(cara.bar.palette())

    row = row_of(page, "Acme Foods")
    labels = dict((value, label) for label, value in page._person_choices(  # noqa: SLF001
        page.model.row_at(row)))
    cara_id = person_id(small_studio, "Cara Li")
    assert labels[cara_id] == "Cara Li — no room for another client"
    assert labels[None] == NO_ONE
    choose_in_table(qtbot, page.table, row, page.model.column_of("person"), cara_id)

    assert cara.overloaded
    assert cara.colour == warning_colour(cara.bar.palette())
    assert "1 client (limit 0)" in cara.toolTip()
    assert "Over a limit: Cara Li." in page.status.text()
    assert page.model.row_at(row).reason == "chosen by hand: Cara Li"
    with small_studio.read() as s:
        saved = next(i for i in plans.plan_items(s, wizard.draft.id)
                     if i.item_name == "Acme Foods")
    assert saved.person == "Cara Li" and saved.overridden

    # Handing the row back to the proposal brings the bar back within limits.
    page.table.setCurrentIndex(page.model.index(row_of(page, "Acme Foods"), 0))
    qtbot.mouseClick(page.release_button, Qt.MouseButton.LeftButton)
    assert not page.bars["Cara Li"].overloaded
    assert not page.model.row_at(row_of(page, "Acme Foods")).overridden


def test_what_cannot_be_placed_is_listed_with_the_missing_capacity(qtbot, studio_window,
                                                                    small_studio):
    set_limits(small_studio, Ana=1, Ben=0, Cara=0)
    plan_at(small_studio, "assign")
    wizard = open_on(qtbot, studio_window)
    page = wizard.currentPage()
    assert isinstance(page, AssignPage)
    unplaced = [i for i in page.model.rows() if i.unplaced]
    assert len(unplaced) == 2 and all(i.kind == "client" for i in unplaced)
    assert not page.unplaced.isHidden()
    text = page.unplaced.text()
    assert text.startswith("Cannot be placed (2): ")
    # What it would take, per role, in the owner's words (the proposal's advice).
    assert ("2 clients still need an Account Manager: raise Ana Ruiz's Account Manager "
            "limit to 3 clients, or hire one.") in text
    assert text == wizard.draft.plan.proposal["advice"][0].join(
        ("Cannot be placed (2): Borealis Bank, Cobalt Museum. ",
         " Choose someone by hand, or “no one” to leave a row empty on purpose."))
    position = row_of(page, unplaced[0].item_name)
    tint = page.model.data(page.model.index(position, 0), Qt.ItemDataRole.ForegroundRole)
    assert tint.color() == warning_colour(QPalette())
    assert page.model.row_at(position).gap  # the row's reason says what is missing

    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert dismiss_problems(qtbot, wizard)[0].startswith("2 rows still have no one")
    assert wizard.current_step() == "assign"
    for item in unplaced:
        choose_in_table(qtbot, page.table, row_of(page, item.item_name),
                        page.model.column_of("person"), None)
    assert page.unplaced.isHidden()
    go_on(qtbot, wizard)


def test_the_proposal_is_worked_out_off_the_gui_thread_with_a_working_state(
        qtbot, make_window, small_studio):
    window = make_window(small_studio.path, runner=TaskRunner())
    plan_at(small_studio, "assign")
    wizard = window.open_wizard()
    page = wizard.currentPage()
    assert isinstance(page, AssignPage)
    # Nothing has come back yet: the page says it is working and cannot be changed.
    assert wizard.draft.busy
    assert not page.working.isHidden()
    assert page.status.text() == "Working out the best assignment…"
    assert not page.table.isEnabled() and not page.propose_button.isEnabled()
    wizard.next()
    assert "still working" in problems(wizard)[0]
    assert wizard.current_step() == "assign"

    qtbot.waitUntil(lambda: not wizard.draft.busy, timeout=10_000)
    assert page.working.isHidden() and page.table.isEnabled()
    assert page.model.rowCount() == 6
    assert page.status.text().startswith("6 rows: ")


def test_closing_while_the_proposal_is_worked_out_keeps_it_for_next_time(
        qtbot, make_window, small_studio):
    window = make_window(small_studio.path, runner=TaskRunner())
    plan = plan_at(small_studio, "assign")
    wizard = window.open_wizard()
    assert wizard.draft.busy
    click(qtbot, wizard, QWizard.WizardButton.CancelButton)
    assert window.runner.wait(10_000)
    qtbot.waitUntil(lambda: window.runner.pending == 0)
    with small_studio.read() as s:
        assert len(plans.plan_items(s, plan.id)) == 6
        assert plans.load_plan(s, plan.id).current_step == "assign"
    again = window.open_wizard()
    assert again.current_step() == "assign" and again.currentPage().model.rowCount() == 6


# --------------------------------------------------------------------------- Tell the clients


def test_conversation_edits_are_saved_and_a_short_window_is_explained(
        qtbot, studio_window, small_studio):
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    plan = plan_at(small_studio, "tell_clients", effective=tomorrow)
    with small_studio.write() as s:
        plans.propose_plan(s, plan.id)
    wizard = open_on(qtbot, studio_window)
    page = wizard.currentPage()
    assert isinstance(page, TellPage)
    assert page.model.rowCount() == 3
    assert not page.message.isHidden()
    assert page.message.text().startswith("There are no working days left before")
    assert page.message.text().endswith("move the effective date later.")

    # A later effective date and a longer window: every client gets a day.
    later = dt.date.today() + dt.timedelta(weeks=6)
    with small_studio.write() as s:
        plans.update_plan(s, plan.id, effective_date=later)
    wizard.draft.reload()
    page.weeks_before.setValue(4)
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    assert page.message.isHidden()
    assert all(c.on_date is not None and c.on_date < later for c in page.model.rows())

    # Who, how and when are changed in place; each change is saved at once.
    row = 0
    client = page.model.row_at(row).client
    choose_in_table(qtbot, page.table, row, page.model.column_of("channel"),
                    sched.CHANNEL_EMAIL)
    ben = person_id(small_studio, "Ben Ode")
    choose_in_table(qtbot, page.table, row, page.model.column_of("informer"), ben)
    page.table.setCurrentIndex(page.model.index(row, 0))
    page.points.setFocus()
    page.points.selectAll()
    qtbot.keyClicks(page.points, "Say hello to <b>them</b>.")
    page.table.setFocus()  # leaving the box saves it
    with small_studio.read() as s:
        saved = next(c for c in plans.plan_conversations(s, plan.id) if c.client == client)
    assert (saved.channel, saved.informer, saved.talking_points) == (
        sched.CHANNEL_EMAIL, "Ben Ode", "Say hello to <b>them</b>.")

    # A date on or after the effective date is refused in one sentence.
    assert not page._change(saved, on_date=later)  # noqa: SLF001 - as the date editor does
    assert dismiss_problems(qtbot, wizard) == [
        f"Tell the client before the change takes effect (before {later.isoformat()})."]


def test_changing_an_account_manager_after_planning_asks_to_plan_again(
        qtbot, studio_window, small_studio):
    plan = plan_at(small_studio, "tell_clients")
    with small_studio.write() as s:
        plans.propose_plan(s, plan.id)
    wizard = open_on(qtbot, studio_window)
    assert wizard.current_step() == "tell_clients"
    click(qtbot, wizard, QWizard.WizardButton.BackButton)
    assign = wizard.currentPage()
    assert isinstance(assign, AssignPage)
    row = row_of(assign, "Borealis Bank")
    current = assign.model.row_at(row).person_id
    other = next(p for p in assign.people.values() if p.id != current)
    choose_in_table(qtbot, assign.table, row, assign.model.column_of("person"), other.id)
    go_on(qtbot, wizard)
    tell = wizard.currentPage()
    assert "press Plan the conversations again" in tell.message.text()
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert "press Plan the conversations again" in dismiss_problems(qtbot, wizard)[0]
    qtbot.mouseClick(tell.plan_button, Qt.MouseButton.LeftButton)
    go_on(qtbot, wizard)


# --------------------------------------------------------------------------- Review and apply


def test_apply_refused_by_the_workspace_is_one_sentence_and_nothing_changes(
        qtbot, studio_window, small_studio, monkeypatch):
    plan = plan_at(small_studio, "review")
    with small_studio.write() as s:
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id)
    wizard = open_on(qtbot, studio_window)
    page = wizard.currentPage()
    assert isinstance(page, ReviewPage)
    # A colleague adds a client after the proposal was made.
    with small_studio.write() as s:
        records.add_record(s, "client", {"name": "Dune Studio"})
    monkeypatch.setattr(ConfirmApply, "ask", classmethod(lambda cls, *a: True))
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    shown = dismiss_problems(qtbot, wizard)
    assert len(shown) == 1 and shown[0].startswith("The workspace changed since")
    assert "Dune Studio" in shown[0]
    with small_studio.read() as s:
        assert plans.load_plan(s, plan.id).status == plans.STATUS_DRAFT
    assert page.apply_button.isEnabled()


def test_declining_the_confirmation_applies_nothing(qtbot, studio_window, small_studio,
                                                   monkeypatch):
    plan = plan_at(small_studio, "review")
    with small_studio.write() as s:
        plans.propose_plan(s, plan.id)
    wizard = open_on(qtbot, studio_window)
    asked: list[str] = []
    monkeypatch.setattr(ConfirmApply, "ask", classmethod(
        lambda cls, parent, title, text: bool(asked.append(text))))
    qtbot.mouseClick(wizard.currentPage().apply_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0].startswith("Apply “Test plan”?")
    with small_studio.read() as s:
        assert plans.load_plan(s, plan.id).status == plans.STATUS_DRAFT


def test_after_apply_the_conversations_are_a_checklist(qtbot, studio_window, small_studio,
                                                       monkeypatch):
    plan = plan_at(small_studio, "review")
    with small_studio.write() as s:
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id)
    wizard = open_on(qtbot, studio_window)
    page = wizard.currentPage()
    monkeypatch.setattr(ConfirmApply, "ask", classmethod(lambda cls, *a: True))
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    assert problems(wizard) == []
    assert page.tabs.currentIndex() == 2
    assert page.progress.text() == "0 of 3 clients informed, 0 settled."
    choose_in_table(qtbot, page.checklist, 0, page.checklist_model.column_of("status"),
                    "informed")
    assert page.progress.text() == "1 of 3 clients informed, 0 settled."
    with small_studio.read() as s:
        assert plans.plan_progress(s, plan.id) == (1, 0, 3)


# --------------------------------------------------------------------------- two people


def test_a_colleague_saving_the_same_page_is_a_conflict_and_going_on_again_keeps_mine(
        qtbot, studio_window, small_studio):
    plan = plan_at(small_studio, "people")
    wizard = open_on(qtbot, studio_window)
    page = wizard.currentPage()
    assert isinstance(page, PeoplePage)
    page.choose("Cara Li", L.ACCOUNT_MANAGER)
    cara = str(person_id(small_studio, "Cara Li"))
    with small_studio.write() as s:  # the fixture's workspace is Tester's, a colleague
        plans.save_step(s, plan.id, "people", {"leanings": {cara: L.PRODUCTION_MANAGER}},
                        "people", expected_version=wizard.draft.plan.version)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    shown = dismiss_problems(qtbot, wizard)
    assert len(shown) == 1 and shown[0].startswith("Tester saved this page of “Test plan”")
    assert wizard.current_step() == "people"
    assert page.model.row_at(2).chosen == L.ACCOUNT_MANAGER  # my choice is still shown
    go_on(qtbot, wizard)
    with small_studio.read() as s:
        assert plans.load_plan(s, plan.id).step("people")["leanings"][cara] == \
            L.ACCOUNT_MANAGER


@pytest.mark.parametrize(("step", "attribute"), [
    ("responsibilities", "models"), ("people", "model"), ("assign", "model"),
    ("tell_clients", "model"), ("review", "changes_model"), ("review", "loads_model"),
    ("review", "checklist_model")])
def test_the_wizard_models_pass_the_model_tester(qtbot, studio_window, small_studio,
                                                 qtmodeltester, step, attribute):
    plan = plan_at(small_studio, "review")
    with small_studio.write() as s:
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id)
    wizard = open_on(qtbot, studio_window)
    # Closing the window at the end of the test closes the wizard; it must not be
    # deleted before the model tester lets go of its models.
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    model = getattr(wizard.page_for(step), attribute)
    if isinstance(model, dict):
        model = model[catalog.CLIENT_FOCUSED]
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)


def test_titles_are_plain_text_so_a_plan_name_with_markup_reads_as_typed(
        qtbot, studio_window, small_studio):
    plan_at(small_studio, "people", name="<i>Split</i> & co")
    wizard = open_on(qtbot, studio_window)
    assert wizard.windowTitle() == "Transition wizard — <i>Split</i> & co"
    assert wizard.titleFormat() == wizard.subTitleFormat() == Qt.TextFormat.PlainText
    assert [wizard.page_for(step).title() for step in plans.WIZARD_STEPS] == [
        "Start", "What needs to get done", "People", "Clients and projects", "Assign",
        "Tell the clients", "Review and apply"]
