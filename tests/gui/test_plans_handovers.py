"""The handover meetings of an applied plan, ticked off on the Plans page."""

from __future__ import annotations

from PySide6.QtCore import Qt

from studio_desk.gui.plans_page import HandoverModel
from studio_desk.store import plans
from studio_desk.store.plans.schedule import HANDOVER_CLIENT, HANDOVER_PROJECT, plan_handovers
from tests.gui.conftest import problems
from tests.gui.test_plans_page import click_row, make_plan, open_page


def test_tick_a_handover_done_on_the_checklist(qtbot, small_studio, make_window):
    plan_id = make_plan(small_studio)
    window = make_window(small_studio.path)
    page = open_page(window)
    qtbot.waitUntil(lambda: page.handovers.rowCount() == 2)
    kinds = {r.kind: r for r in page.handovers.rows()}
    # Ben knows Borealis Bank and hands it to Ana; Ana hands her projects to Ben.
    assert (kinds[HANDOVER_CLIENT].handover_from, kinds[HANDOVER_CLIENT].handover_to) == (
        "Ben Ode", "Ana Ruiz")
    assert (kinds[HANDOVER_PROJECT].handover_from,
            kinds[HANDOVER_PROJECT].handover_to) == ("Ana Ruiz", "Ben Ode")
    assert page.handovers_label.text() == ("Handover meetings: 0 of 2 done (tick each one "
                                           "when it has happened).")
    talks = {t.client: t for t in page.talks.rows()}
    assert page.talks.index(page.talks.position_of(talks["Borealis Bank"].id), 1).data() \
        == "Ben Ode, introducing Ana Ruiz"

    click_row(qtbot, page.handovers_table, 0, HandoverModel.DONE_COLUMN)
    qtbot.keyClick(page.handovers_table, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: page.handovers_label.text().startswith(
        "Handover meetings: 1 of 2 done"))
    with small_studio.read() as s:
        saved = plan_handovers(s, plan_id)
    assert [r.status for r in saved] == ["done", "planned"]
    assert page.handovers.index(0, HandoverModel.DONE_COLUMN).data(
        Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert problems(window) == []

    # A tick is a step of its own on the undo history, like marking a conversation.
    desk = window.desk
    assert desk.undo_stack.undoText().startswith("Mark handover")
    desk.undo_stack.undo()
    qtbot.waitUntil(lambda: page.handovers_label.text().startswith(
        "Handover meetings: 0 of 2 done"))
    with small_studio.read() as s:
        assert [r.status for r in plan_handovers(s, plan_id)] == ["planned", "planned"]
    desk.undo_stack.redo()
    qtbot.waitUntil(lambda: page.handovers_label.text().startswith(
        "Handover meetings: 1 of 2 done"))
    with small_studio.read() as s:
        assert [r.status for r in plan_handovers(s, plan_id)] == ["done", "planned"]
    assert problems(window) == []


def test_a_draft_lists_handovers_without_ticks(qtbot, small_studio, make_window):
    make_plan(small_studio, apply=False)
    window = make_window(small_studio.path)
    page = open_page(window)
    qtbot.waitUntil(lambda: page.handovers.rowCount() == 2)
    assert page.handovers_label.text() == "Handover meetings: 0 of 2 done."
    flags = page.handovers.flags(page.handovers.index(0, HandoverModel.DONE_COLUMN))
    assert not flags & Qt.ItemFlag.ItemIsUserCheckable


def test_the_handover_model_passes_the_model_tester(qtmodeltester, small_studio):
    plan_id = make_plan(small_studio)
    with small_studio.read() as s:
        rows = plan_handovers(s, plan_id)
        assert plans.plan_progress(s, plan_id)[2] == 3
    model = HandoverModel()
    qtmodeltester.check(model)
    model.set_rows(rows)
    model.edit_handler = lambda row, status: True
    qtmodeltester.check(model)
