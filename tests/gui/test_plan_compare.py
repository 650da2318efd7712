"""Plans as scenarios in the window: Copy a plan on the Plans page, change the copy, and
Compare… it with the original."""

from __future__ import annotations

from PySide6.QtCore import Qt

from studio_desk.gui.plan_compare import (
    CapacityComparisonModel,
    ComparisonModel,
    DifferencesFilter,
    PlanCompareDialog,
)
from studio_desk.store import plans, records
from tests.gui.conftest import answer_dialog, problems, reactivate
from tests.gui.test_plans_page import click_row, make_plan, open_page, plan_cell


def test_copy_an_applied_plan_change_the_copy_and_compare_the_two(
        qtbot, qtmodeltester, studio_window, small_studio):
    plan_id = make_plan(small_studio)  # applied
    page = open_page(studio_window)
    assert page.model.rowCount() == 1
    assert not page.compare_button.isEnabled()  # nothing to compare it with yet
    click_row(qtbot, page.table, 0)
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    assert problems(studio_window) == []
    assert page.current_entry().plan.name == "Spring split (copy)"
    assert plan_cell(page, "Spring split (copy)", "Status") == "Draft"
    with small_studio.read() as s:
        copy = plans.find_plan(s, "Spring split (copy)")
        assert copy is not None and copy.status == plans.STATUS_DRAFT
        roles = len(plans.plan_items(s, plan_id))
        assert len(plans.plan_items(s, copy.id)) == roles
    assert page.compare_button.isEnabled()

    # The copy is a draft: one row changes hands, as on the wizard's Assign page.
    with small_studio.write() as s:
        item = next(i for i in plans.plan_items(s, copy.id) if i.project is not None)
        other = next(p for p in ("Ana Ruiz", "Ben Ode", "Cara Li") if p != item.person)
        plans.override_item(s, copy.id, item.id, records.find_id(s, "person", other))

    seen: dict[str, object] = {}

    def look(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, PlanCompareDialog)
        qtmodeltester.check(dialog.model)
        qtmodeltester.check(dialog.proxy)
        qtmodeltester.check(dialog.capacity)
        assert dialog.plan_a.currentText() == "Spring split (copy)"
        assert dialog.plan_b.currentText() == "Spring split"
        seen["summary"] = dialog.summary.text()
        seen["all"] = dialog.proxy.rowCount()
        headers = [dialog.proxy.headerData(c, Qt.Orientation.Horizontal)
                   for c in range(dialog.proxy.columnCount())]
        assert headers == ["Client", "Project", "Role", "Spring split (copy)", "Spring split"]
        qtbot.mouseClick(dialog.only_differences, Qt.MouseButton.LeftButton)
        qtmodeltester.check(dialog.proxy)
        seen["differing"] = [[dialog.proxy.index(r, c).data() for c in range(5)]
                             for r in range(dialog.proxy.rowCount())]
        first = dialog.proxy.index(0, 3)
        assert first.data(Qt.ItemDataRole.BackgroundRole) is not None  # highlighted
        assert first.data(Qt.ItemDataRole.FontRole).bold()
        loads = [dialog.capacity.index(r, 0).data()
                 for r in range(dialog.capacity.rowCount())]
        assert loads == ["Ana Ruiz", "Ben Ode", "Cara Li"]
        # Swap the sides: the table follows the boxes.
        dialog.plan_a.setCurrentIndex(dialog.plan_a.findText("Spring split"))
        seen["swapped"] = dialog.summary.text()
        dialog.close()

    answer = answer_dialog(look)
    qtbot.mouseClick(page.compare_button, Qt.MouseButton.LeftButton)
    answer.check()
    reactivate(qtbot, studio_window)
    assert seen["all"] == roles
    assert seen["summary"] == (f"1 of {roles} roles differ; “Spring split (copy)” places "
                               f"{roles}, “Spring split” places {roles}.")
    assert seen["differing"] == [[item.client, item.project, "Production Manager", other,
                                  item.person]]
    assert str(seen["swapped"]).startswith(f"0 of {roles} roles differ")
    assert problems(studio_window) == []


def test_the_comparison_models_pass_the_model_tester_when_empty(qtmodeltester):
    model = ComparisonModel()
    proxy = DifferencesFilter()
    proxy.setSourceModel(model)
    proxy.set_only_differences(True)
    for checked in (model, proxy, CapacityComparisonModel()):
        qtmodeltester.check(checked)

