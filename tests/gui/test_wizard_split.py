"""The wizard on the method's own studio: two project managers split into an Account
Manager and a Production Manager, as ``studio-desk plan propose`` splits them
(tests/cli/test_split.py builds the same studio through the command line).

Pat loves the client work (client-facing 5, head-down 2), Sam the tech (2 and 5); each
runs six clients' work in the combined job, one active and two back-burner projects per
client, half the active projects technical ("platform"). The owner, Robin, has a little
capacity and is at home on either side.
"""

from __future__ import annotations

import datetime as dt
import sys
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QTableView

from studio_desk.core import leanings as L
from studio_desk.core.rows import PersonRow
from studio_desk.gui.main_window import MainWindow
from studio_desk.gui.tasks import TaskRunner
from studio_desk.gui.wizard import TransitionWizard
from studio_desk.gui.wizard.assign import AssignPage
from studio_desk.gui.wizard.people import PeoplePage
from studio_desk.store import engine, plans, records
from studio_desk.store.engine import Workspace
from tests.gui.conftest import focused
from tests.gui.test_wizard import dismiss_problems, go_on, open_wizard_with_keys

PAT, SAM, OWNER = "Pat Rivera", "Sam Lee", "Robin Hale"
ACTIVE = ("platform", "campaign")


@pytest.fixture
def two_managers(workspace: Workspace) -> Workspace:
    """The two-manager studio, built record by record (``workspace`` stays open: a
    colleague's copy)."""
    with workspace.write() as s:
        for name, title, client_facing, head_down, hours, clients, active, backburner in (
                (PAT, "Project manager", 5, 2, 40, 12, 6, 15),
                (SAM, "Project manager", 2, 5, 40, 12, 6, 15),
                (OWNER, "Owner", 3, 3, 10, 2, 1, 2)):
            records.add_record(s, "person", {
                "name": name, "title": title, "client_facing": client_facing,
                "head_down": head_down, "weekly_hours": hours, "max_clients": clients,
                "max_active_projects": active, "max_backburner_projects": backburner})
        for k in range(12):
            manager = PAT if k < 6 else SAM
            client = f"Client {k + 1:02d}"
            records.add_record(s, "client", {"name": client})
            records.add_record(s, "relationship", {"person": manager, "client": client,
                                                   "strength": 3, "since": "2021-05-01"})
            # Half the active projects are technical, in each manager's half alike.
            if k % 2 == 0:
                active_project = (f"{client} platform", 5, 2)
            else:
                active_project = (f"{client} campaign", 2, 5)
            for name, status, complexity, load in (
                    (*active_project[:1], "active", *active_project[1:]),
                    (f"{client} retainer", "back-burner", 3, 3),
                    (f"{client} archive", "back-burner", 2, 2)):
                records.add_record(s, "project", {
                    "client": client, "name": name, "status": status,
                    "technical_complexity": complexity, "communication_load": load,
                    "manager": manager})
    return workspace


def walk_to(qtbot: Any, window: MainWindow, step: str) -> TransitionWizard:
    """Open the wizard and press Next with every default choice until ``step``."""
    wizard = open_wizard_with_keys(qtbot, window)
    while wizard.current_step() != step:
        go_on(qtbot, wizard)
    return wizard


def assign_page(qtbot: Any, wizard: TransitionWizard) -> AssignPage:
    """The Assign page once its proposal, worked out in the background, has arrived."""
    page = wizard.currentPage()
    assert isinstance(page, AssignPage)
    qtbot.waitUntil(lambda: not wizard.draft.busy and page.model.rowCount() > 0,
                    timeout=30_000)
    return page


def holders(items: list[plans.PlanItemRow]) -> dict[tuple[str, int], int | None]:
    return {(i.kind, i.project_id or i.client_id): i.person_id for i in items}


def people_ids(ws: Workspace) -> dict[str, int]:
    with ws.read() as s:
        return {p.name: p.id for p in records.list_rows(s, "person")
                if isinstance(p, PersonRow)}


def where_solved() -> ModuleType:
    """The module whose ``solve_proposal`` the lock-free proposal calls."""
    return sys.modules[plans.propose_in_workspace.__module__]


def limit_cell(page: PeoplePage, person: str, key: str) -> Any:
    row = next(i for i, r in enumerate(page.model.rows()) if r.person.name == person)
    return page.model.index(row, page.model.column_of(key))


def test_the_default_walk_proposes_what_plan_propose_does(qtbot, make_window, two_managers):
    window = make_window(two_managers.path, runner=TaskRunner())
    wizard = walk_to(qtbot, window, "people")

    # Page 3 shows the first guesses of core.leanings, and the limits of each role.
    people = wizard.currentPage()
    assert isinstance(people, PeoplePage)
    with two_managers.read() as s:
        team = [p for p in records.list_rows(s, "person") if isinstance(p, PersonRow)]
    guesses = L.propose_leanings(team, 12, 12)
    assert {r.person.id: r.chosen for r in people.model.rows()} == {
        pid: g.leaning for pid, g in guesses.items()}
    assert {r.person.name: r.chosen for r in people.model.rows()} == {
        PAT: L.ACCOUNT_MANAGER, SAM: L.PRODUCTION_MANAGER, OWNER: L.BOTH}
    shown = {(r.person.name, key): people.model.index(i, people.model.column_of(key)).data()
             for i, r in enumerate(people.model.rows()) for key in L.LIMIT_KEYS}
    assert shown == {
        (PAT, "max_clients"): "12 (suggested 24)", (PAT, "max_active_projects"): "—",
        (PAT, "max_backburner_projects"): "—",
        (SAM, "max_clients"): "—", (SAM, "max_active_projects"): "6 (suggested 12)",
        (SAM, "max_backburner_projects"): "15 (suggested 30)",
        (OWNER, "max_clients"): "2", (OWNER, "max_active_projects"): "1",
        (OWNER, "max_backburner_projects"): "2"}
    tip = limit_cell(people, SAM, "max_active_projects").data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Everyday limit: 6 active projects.\nSuggested as Production "
                          "Manager: 12 active projects — as a dedicated Production Manager")
    # The everyday limits are in force: short of room, and the suggestions would do.
    summary = people.summary.text()
    assert "room for 7 active and 17 back-burner projects (the studio has 12 and 24)" \
        in summary
    assert summary.endswith(
        "The Production Manager side is short of room with the limits in force; the "
        "suggested limits would close the gap (room for 13 active and 32 back-burner "
        "projects): press Accept suggested limits.")
    assert people.summary.property("warning") is True

    go_on(qtbot, wizard)  # People
    assert wizard.draft.plan.role_limits == {}  # nothing accepted
    go_on(qtbot, wizard)  # Clients and projects
    page = assign_page(qtbot, wizard)
    mine = page.model.rows()
    assert len(mine) == 12 + 36

    # The command line's way, on a second plan with no confirmed leanings: the same.
    with two_managers.write() as s:
        reference = plans.create_plan(s, "Reference")
        theirs = plans.propose_plan(s, reference.id).items
    assert holders(mine) == holders(list(theirs))

    ids = people_ids(two_managers)
    clients = [i for i in mine if i.project is None]
    assert all(i.person_id == ids[PAT] for i in clients)
    platforms = [i for i in mine if i.project is not None and i.project.endswith("platform")]
    assert len(platforms) == 6 and all(i.person_id == ids[SAM] for i in platforms)
    assert not [i for i in mine if i.project is not None and i.person_id == ids[PAT]]


def test_accepting_the_suggested_limits_places_every_row(qtbot, make_window, two_managers):
    window = make_window(two_managers.path)
    wizard = walk_to(qtbot, window, "people")
    people = wizard.currentPage()
    assert isinstance(people, PeoplePage)
    qtbot.mouseClick(people.accept_limits, Qt.MouseButton.LeftButton)
    assert limit_cell(people, SAM, "max_active_projects").data() == "12"
    assert limit_cell(people, SAM, "max_backburner_projects").data() == "30"
    assert limit_cell(people, PAT, "max_clients").data() == "24"
    assert "suggested limits would close the gap" not in people.summary.text()
    assert people.summary.property("warning") is False

    go_on(qtbot, wizard)
    ids = people_ids(two_managers)
    assert wizard.draft.plan.role_limits == {
        ids[PAT]: {"max_clients": 24, "max_active_projects": 0,
                   "max_backburner_projects": 0},
        ids[SAM]: {"max_clients": 0, "max_active_projects": 12,
                   "max_backburner_projects": 30},
        ids[OWNER]: {"max_clients": 2, "max_active_projects": 1,
                     "max_backburner_projects": 2}}
    go_on(qtbot, wizard)
    page = assign_page(qtbot, wizard)
    items = page.model.rows()
    assert not [i.item_name for i in items if i.person_id is None]
    assert page.unplaced.isHidden()
    active = [i for i in items if i.project is not None and i.project.endswith(ACTIVE)]
    assert len(active) == 12 and all(i.person_id == ids[SAM] for i in active)
    assert wizard.draft.plan.proposal["advice"] == []


def test_a_leaning_changed_after_accepting_takes_the_new_roles_suggestion(
        qtbot, make_window, two_managers):
    window = make_window(two_managers.path)
    wizard = walk_to(qtbot, window, "people")
    people = wizard.currentPage()
    assert isinstance(people, PeoplePage)
    qtbot.mouseClick(people.accept_limits, Qt.MouseButton.LeftButton)
    people.set_limit(SAM, "max_active_projects", "10")  # Sam's own figure stays his
    people.choose(OWNER, L.PRODUCTION_MANAGER)
    people.choose(SAM, L.BOTH)
    assert limit_cell(people, OWNER, "max_clients").data() == "—"
    assert limit_cell(people, OWNER, "max_active_projects").data() == "2"
    assert limit_cell(people, OWNER, "max_backburner_projects").data() == "4"
    assert limit_cell(people, SAM, "max_active_projects").data() == "10 (suggested 6)"
    assert limit_cell(people, SAM, "max_clients").data() == "0 (suggested 12)"


def test_a_limit_out_of_range_or_not_a_number_is_refused(qtbot, make_window, two_managers):
    window = make_window(two_managers.path)
    wizard = walk_to(qtbot, window, "people")
    people = wizard.currentPage()
    assert isinstance(people, PeoplePage)
    before = people.model.rows()

    def type_into(cell: Any, text: str) -> None:
        people.table.setFocus()
        people.table.setCurrentIndex(cell)
        qtbot.keyClick(people.table, Qt.Key.Key_F2)
        editor = focused(people.table)
        assert isinstance(editor, QLineEdit), editor
        editor.selectAll()
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: people.table.state() != QTableView.State.EditingState)

    type_into(limit_cell(people, SAM, "max_active_projects"), "20000")
    assert dismiss_problems(qtbot, wizard) == [
        "Sam Lee's limit of active projects must be from 0 to 10,000; 20,000 is out of "
        "range."]
    type_into(limit_cell(people, SAM, "max_backburner_projects"), "lots")
    assert dismiss_problems(qtbot, wizard) == [
        "“lots” is not a whole number: type Sam Lee's limit of back-burner projects, from "
        "0 to 10,000."]
    assert people.model.rows() == before
    assert limit_cell(people, SAM, "max_active_projects").data() == "6 (suggested 12)"
    assert people.step_data()["role_limits"] == {}

    # A figure in range is taken, and saved for this plan.
    type_into(limit_cell(people, SAM, "max_active_projects"), "9")
    assert limit_cell(people, SAM, "max_active_projects").data() == "9 (suggested 12)"
    go_on(qtbot, wizard)
    assert wizard.draft.plan.role_limits[people_ids(two_managers)[SAM]] == {
        "max_clients": 12, "max_active_projects": 9, "max_backburner_projects": 15}


def test_the_assign_page_says_what_it_would_take_with_the_everyday_limits(
        qtbot, make_window, two_managers):
    window = make_window(two_managers.path)
    wizard = walk_to(qtbot, window, "assign")
    page = assign_page(qtbot, wizard)
    advice = wizard.draft.plan.proposal["advice"]
    assert len(advice) == 1
    assert "still need a Production Manager: raise Sam Lee's Production Manager limits" \
        in advice[0]
    assert advice[0].endswith("The suggested limits for a dedicated Production Manager "
                              "(12 active and 30 back-burner) would cover it.")
    assert not page.unplaced.isHidden()
    assert advice[0] in page.unplaced.text()
    assert "The studio lacks" not in page.unplaced.text()
    assert page.unplaced.property("warning") is True


def test_the_solve_holds_no_write_lock(qtbot, make_window, two_managers, monkeypatch):
    window = make_window(two_managers.path)
    wizard = walk_to(qtbot, window, "assign")
    page = assign_page(qtbot, wizard)
    # A colleague saves while the optimiser works: with the lock held they would wait
    # (here 0.3 s at most) and be told the workspace is busy.
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    solve = plans.solve_proposal
    saved: list[str] = []

    def solve_while_a_colleague_saves(*args: Any, **kwargs: Any) -> Any:
        with two_managers.write() as s:
            robin = records.find_id(s, "person", OWNER)
            assert robin is not None
            row = records.get_row(s, "person", robin)
            records.update_record(s, "person", robin, row.version, {"title": "Founder"})
        saved.append("colleague")
        return solve(*args, **kwargs)

    monkeypatch.setattr(where_solved(), "solve_proposal", solve_while_a_colleague_saves)
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.draft.busy, timeout=30_000)
    assert saved == ["colleague"]
    assert dismiss_problems(qtbot, wizard) == []
    assert page.model.rowCount() == 48


def test_a_plan_changed_during_the_solve_is_proposed_again_from_the_change(
        qtbot, make_window, two_managers, monkeypatch):
    window = make_window(two_managers.path)
    wizard = walk_to(qtbot, window, "assign")
    page = assign_page(qtbot, wizard)
    ids = people_ids(two_managers)
    solve = plans.solve_proposal
    seen: list[dict[int, dict[str, int]]] = []

    def solve_while_a_colleague_accepts_limits(inputs: plans.ProposalInputs, *args: Any,
                                               **kwargs: Any) -> Any:
        if not seen:  # a colleague accepts the suggested limits meanwhile
            with two_managers.write() as s:
                plans.confirm_people(s, inputs.plan_id, leaning_of={}, limits_of={},
                                     accept_suggested=True)
        with two_managers.read() as s:
            seen.append(plans.load_plan(s, inputs.plan_id).role_limits)
        return solve(inputs, *args, **kwargs)

    monkeypatch.setattr(where_solved(), "solve_proposal",
                        solve_while_a_colleague_accepts_limits)
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.draft.busy, timeout=30_000)
    assert dismiss_problems(qtbot, wizard) == []
    assert len(seen) == 2  # the first solve's result was not saved over their change
    assert wizard.draft.plan.role_limits[ids[SAM]]["max_active_projects"] == 12
    assert not [i for i in page.model.rows() if i.person_id is None]


def test_handing_a_row_back_proposes_again_without_the_lock(qtbot, make_window,
                                                           two_managers, monkeypatch):
    window = make_window(two_managers.path)
    wizard = walk_to(qtbot, window, "assign")
    page = assign_page(qtbot, wizard)
    ids = people_ids(two_managers)
    page.choose("Client 01", SAM)
    row = next(i for i, item in enumerate(page.model.rows()) if item.item_name == "Client 01")
    assert page.model.row_at(row).overridden
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    solve = plans.solve_proposal
    pinned: list[dict[Any, Any]] = []

    def solve_and_look(inputs: plans.ProposalInputs, *args: Any, **kwargs: Any) -> Any:
        pinned.append(dict(inputs.pinned))
        with two_managers.write() as s:  # a colleague can save meanwhile
            records.add_record(s, "client", {"name": "Client 13"})
        return solve(inputs, *args, **kwargs)

    monkeypatch.setattr(where_solved(), "solve_proposal", solve_and_look)
    page.table.setCurrentIndex(page.model.index(row, 0))
    qtbot.mouseClick(page.release_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.draft.busy, timeout=30_000)
    assert dismiss_problems(qtbot, wizard) == []
    assert pinned == [{}]  # handed back before the solve
    again = next(i for i in page.model.rows() if i.item_name == "Client 01")
    assert again.person_id == ids[PAT] and not again.overridden


def test_the_people_page_reads_back_what_was_accepted(qtbot, make_window, two_managers):
    ids = people_ids(two_managers)
    with two_managers.write() as s:
        plan = plans.create_plan(s, "Split")
        plans.confirm_people(s, plan.id, leaning_of={}, limits_of={
            ids[SAM]: {"max_active_projects": 11}}, accept_suggested=True)
        plans.save_step(s, plan.id, "start", {}, "people")
    window = make_window(two_managers.path)
    wizard = open_wizard_with_keys(qtbot, window)
    people = wizard.currentPage()
    assert isinstance(people, PeoplePage)
    assert limit_cell(people, PAT, "max_clients").data() == "24"
    assert limit_cell(people, SAM, "max_active_projects").data() == "11 (suggested 12)"
    # Sam's own figure starts from his everyday limits, not from the suggestion.
    assert limit_cell(people, SAM, "max_backburner_projects").data() == "15 (suggested 30)"
    assert {r.person.name: r.limits is not None for r in people.model.rows()} == {
        PAT: True, SAM: True, OWNER: True}
    go_on(qtbot, wizard)
    assert wizard.draft.plan.role_limits[ids[SAM]]["max_active_projects"] == 11


def test_the_wizard_rolls_the_split_out_as_the_method_tells(qtbot, make_window, two_managers,
                                                            monkeypatch):
    """The method's third step, in the window: Sam tells his former clients himself and
    introduces Pat after a Sam–Pat handover; Pat hands the projects to Sam in a meeting of
    their own; nobody has more than the set pace on a day, no one works a weekend or a
    listed day off, and the weeks before the effective date are used, not only the first."""
    from studio_desk.core import schedule as sched
    from studio_desk.gui.wizard.review import ConfirmApply, ReviewPage
    from studio_desk.gui.wizard.tell import TellPage

    window = make_window(two_managers.path)
    wizard = walk_to(qtbot, window, "people")
    people = wizard.currentPage()
    assert isinstance(people, PeoplePage)
    qtbot.mouseClick(people.accept_limits, Qt.MouseButton.LeftButton)
    go_on(qtbot, wizard)
    go_on(qtbot, wizard)
    assign_page(qtbot, wizard)
    while wizard.current_step() != "tell_clients":
        go_on(qtbot, wizard)
    tell = wizard.currentPage()
    assert isinstance(tell, TellPage)

    plan = wizard.draft.plan
    assert plan is not None and plan.effective_date is not None
    effective = plan.effective_date
    today = dt.date.today()
    # A working day in the middle of the window, typed in as the studio's day off.
    day_off = next(d for k in range(7, 30)
                   if (d := today + dt.timedelta(days=k)).weekday() < 5 and d < effective)
    tell.max_per_day.setValue(2)
    tell.days_off.setPlainText(f"{day_off.isoformat()} Studio away day")
    qtbot.mouseClick(tell.plan_button, Qt.MouseButton.LeftButton)

    talks = {c.client: c for c in tell.model.rows()}
    sams_clients = {f"Client {k:02d}" for k in range(7, 13)}
    pats_clients = {f"Client {k:02d}" for k in range(1, 7)}
    assert set(talks) == sams_clients | pats_clients
    for client in sams_clients:
        talk = talks[client]
        assert (talk.informer, talk.introduces) == (SAM, PAT), talk
        assert talk.handover_on is not None and talk.on_date is not None
        assert talk.handover_on < talk.on_date
    for client in pats_clients:
        assert (talks[client].informer, talks[client].introduces) == (PAT, None)

    with two_managers.read() as s:
        meetings = plans.plan_handovers(s, plan.id)
    assert {(h.kind, h.handover_from, h.handover_to) for h in meetings} == {
        (plans.HANDOVER_CLIENT, SAM, PAT), (plans.HANDOVER_PROJECT, PAT, SAM)}
    assert PAT in tell.handovers_label.text() and SAM in tell.handovers_label.text()

    per_day: dict[tuple[str, dt.date], int] = {}
    for talk in talks.values():
        assert talk.on_date is not None and talk.informer is not None
        for who in filter(None, (talk.informer, talk.introduces)):
            per_day[(who, talk.on_date)] = per_day.get((who, talk.on_date), 0) + 1
    for meeting in meetings:
        assert meeting.on_date is not None
        for who in (meeting.handover_from, meeting.handover_to):
            per_day[(who, meeting.on_date)] = per_day.get((who, meeting.on_date), 0) + 1
    assert max(per_day.values()) <= 2
    used = {day for _who, day in per_day}
    assert all(d.weekday() < 5 and d != day_off and today <= d < effective for d in used)
    # The pace sends the work past the first week: the window is used, not packed.
    weeks = {d - dt.timedelta(days=d.weekday()) for d in used}
    assert len(weeks) >= 2, sorted(used)

    # What each client hears matches what happens to them.
    for client in sams_clients:
        assert f"{PAT} becomes your Account Manager" in talks[client].talking_points
    for client in pats_clients:
        assert f"{PAT} stays your Account Manager" in talks[client].talking_points

    # The review names the handovers; Apply asks before anything changes, and says
    # the roles change hands on the effective date, with those meetings first.
    while wizard.current_step() != "review":
        go_on(qtbot, wizard)
    review = wizard.currentPage()
    assert isinstance(review, ReviewPage)
    assert "handover" in review.summary.text()
    asked: list[str] = []
    monkeypatch.setattr(ConfirmApply, "ask", classmethod(
        lambda cls, parent, title, text: asked.append(text) is not None))
    qtbot.mouseClick(review.apply_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert f"change hands on {sched.long_date(effective)}" in asked[0]
    assert "handover meeting" in asked[0]
    with two_managers.read() as s:
        assert plans.load_plan(s, plan.id).status == plans.STATUS_DRAFT  # cancelled
