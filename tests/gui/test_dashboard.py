"""The Dashboard as a person uses it: the load at a glance, what makes it up, what if."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTableView

from studio_desk.core.load import HORIZON_WEEKS
from studio_desk.gui.charts import (
    BarDelegate,
    ListModel,
    LoadBarsModel,
    MeasureRole,
    ProgressRole,
    WeekLoadModel,
)
from studio_desk.gui.dashboard import DashboardView
from studio_desk.gui.forms import RecordDialog
from studio_desk.gui.main_window import MainWindow
from studio_desk.gui.style import warning_colour
from studio_desk.gui.views import RecordView
from studio_desk.store import plans, records
from studio_desk.store.demo import build_demo
from studio_desk.store.engine import Workspace
from tests.gui.conftest import answer_dialog, focused, reactivate

#: A Wednesday; its weeks start on Monday 2 March 2026.
AS_OF = dt.date(2026, 3, 4)
COLUMN = {"person": 0, "active": 1, "backburner": 2, "clients": 3, "hours": 4}


def dashboard_of(window: MainWindow) -> DashboardView:
    page = window.page("Dashboard")
    assert isinstance(page, DashboardView)
    return page


def chart_row(table: QTableView, name: str) -> int:
    """The row of ``name`` in a chart as it is shown (sorted)."""
    model = table.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == name:
            return row
    raise AssertionError(f"{name} is not in the chart")


def bars(table: QTableView, name: str, measure: str) -> tuple[tuple[float, float], ...]:
    """``(value, limit)`` of each bar in ``name``'s ``measure`` cell."""
    index = table.model().index(chart_row(table, name), COLUMN[measure])
    return tuple((m.value, m.limit) for m in index.data(MeasureRole))


def click(qtbot, table: QTableView, index: QModelIndex) -> None:  # type: ignore[no-untyped-def]
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(index).center())


def shown_names(page: DashboardView) -> list[str]:
    return [item.name for item in page.shown_items()]


def add_project(ws: Workspace, name: str, manager: str | None, **values: object) -> None:
    with ws.write() as s:
        records.add_record(s, "project", {"client": "Acme Foods", "name": name,
                                          "manager": manager, **values})


# --------------------------------------------------------------------------- at a glance


def test_the_dashboard_is_the_first_page_and_sums_up_the_studio(studio_window):
    page = dashboard_of(studio_window)
    assert studio_window.tabs.widget(0) is page
    assert studio_window.current_page() is page
    # Ana: annual report 60 h over 12 weeks; Ben: web shop 120 h over 12 weeks.
    assert page.summary.text() == ("3 people · 15 of 112 hours a week allocated (13 %) · "
                                   "nobody over a limit")
    table = page.capacity_table
    assert [table.model().index(r, 0).data() for r in range(3)] == [
        "Ana Ruiz", "Ben Ode", "Cara Li"]
    assert bars(table, "Ben Ode", "active") == ((1, 6),)
    assert bars(table, "Ana Ruiz", "backburner") == ((1, 15),)
    assert bars(table, "Ben Ode", "hours") == ((10, 32),)
    assert table.model().index(1, COLUMN["hours"]).data() == "10 / 32 h"
    # Nobody manages the pitch, and no client has an Account Manager yet.
    assert page.unmanaged.title() == "Projects without a manager (1)"
    assert page.unmanaged.model.index(0, 0).data() == "Cobalt exhibition app"
    assert page.unheld.title() == "Clients without an account manager (3)"
    assert page.plans.empty.isVisible()


def test_an_edit_in_the_projects_view_shows_on_the_dashboard_without_a_restart(
        qtbot, studio_window, small_studio):
    page = dashboard_of(studio_window)
    assert bars(page.capacity_table, "Ben Ode", "active") == ((1, 6),)

    projects = studio_window.show_page("Projects")
    assert isinstance(projects, RecordView)
    qtbot.keyClicks(projects.search, "annual report")
    projects.table.setFocus()
    projects.table.setCurrentIndex(projects.proxy.index(0, 0))

    def give_it_to_ben(dialog) -> None:
        assert isinstance(dialog, RecordDialog)
        manager = dialog.editors["manager"]
        manager.setFocus()
        assert manager.currentText() == "Ana Ruiz"
        qtbot.keyClick(manager, Qt.Key.Key_Down)  # the next name in the list
        assert manager.currentText() == "Ben Ode"
        hours = dialog.editors["estimated_hours"]
        hours.setFocus()
        hours.selectAll()
        qtbot.keyClicks(hours, "120")
        qtbot.keyClick(focused(dialog), Qt.Key.Key_Return)

    answer = answer_dialog(give_it_to_ben)
    qtbot.keyClick(projects.table, Qt.Key.Key_Return)  # Enter edits the project
    answer.check()
    reactivate(qtbot, studio_window)
    with small_studio.read() as s:
        saved = records.get_row(s, "project", records.find_id(s, "project",
                                                              "Borealis annual report"))
    assert saved.manager == "Ben Ode"

    studio_window.show_page("Dashboard")
    table = page.capacity_table
    qtbot.waitUntil(lambda: bars(table, "Ben Ode", "active") == ((2, 6),))
    assert bars(table, "Ben Ode", "hours") == ((20, 32),)  # 10 + 120 h over 12 weeks
    assert bars(table, "Ana Ruiz", "active") == ((0, 6),)
    assert page.summary.text().startswith("3 people · 20 of 112 hours a week allocated")


def test_the_dashboard_follows_changes_while_it_is_shown(qtbot, studio_window, small_studio):
    page = dashboard_of(studio_window)
    # This window's own change, through the undo stack ...
    with small_studio.read() as s:
        cara = records.get_row(s, "person", records.find_id(s, "person", "Cara Li"))
    studio_window.desk.edit("person", cara, {"weekly_hours": 20.0})
    qtbot.waitUntil(lambda: bars(page.capacity_table, "Cara Li", "hours") == ((0, 20),))
    # ... and a colleague's, announced when the workspace is seen to have changed.
    add_project(small_studio, "Acme app", "Cara Li", status="active", estimated_hours=240)
    studio_window.desk.stale.emit(frozenset({"project"}))
    qtbot.waitUntil(lambda: bars(page.capacity_table, "Cara Li", "hours") == ((20, 20),))
    assert bars(page.capacity_table, "Cara Li", "active") == ((1, 6),)
    # Undo takes this window's change back, and the chart follows.
    studio_window.undo_stack.undo()
    qtbot.waitUntil(lambda: bars(page.capacity_table, "Cara Li", "hours") == ((20, 40),))


# --------------------------------------------------------------------------- what makes it up


@pytest.fixture
def ben_overloaded(small_studio: Workspace) -> Workspace:
    with small_studio.write() as s:
        ben = records.find_id(s, "person", "Ben Ode")
        records.update_record(s, "person", ben, 1, {"max_active_projects": 2})
    add_project(small_studio, "Acme app", "Ben Ode", status="active", estimated_hours=120)
    add_project(small_studio, "Acme kiosk", "Ben Ode", status="active")
    add_project(small_studio, "Acme archive", "Ben Ode", status="back-burner")
    add_project(small_studio, "Acme recipes", "Ana Ruiz", status="active")
    return small_studio


def test_clicking_an_overallocated_bar_lists_the_projects_behind_it(
        qtbot, make_window, ben_overloaded):
    window = make_window(ben_overloaded.path)
    page = dashboard_of(window)
    table = page.capacity_table
    assert bars(table, "Ben Ode", "active") == ((3, 2),)
    assert "1 over a limit: Ben Ode" in page.summary.text()

    click(qtbot, table, table.model().index(chart_row(table, "Ben Ode"), COLUMN["active"]))
    assert page.detail_heading.text() == "Ben Ode: active projects, today"
    assert shown_names(page) == ["Acme app", "Acme kiosk", "Acme web shop"]
    assert page.detail_figures.text() == ("3 of 2 active projects, 1 of 15 back-burner, "
                                          "0 of 12 clients, 20 of 32 hours a week (62 %).")
    assert page.detail_over.text() == "Over: 3 active projects (limit 2)."
    assert page.detail_over.isVisible()

    # The back-burner bar lists the waiting project; the name lists everything.
    click(qtbot, table, table.model().index(chart_row(table, "Ben Ode"), COLUMN["backburner"]))
    assert shown_names(page) == ["Acme archive"]
    click(qtbot, table, table.model().index(chart_row(table, "Ben Ode"), COLUMN["person"]))
    assert shown_names(page) == ["Acme app", "Acme kiosk", "Acme web shop", "Acme archive"]

    # The keyboard reaches the same lists: down to the next person.
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert page.detail_heading.text() == "Cara Li, today"
    assert page.detail_figures.text() == ("0 of 6 active projects, 0 of 15 back-burner, "
                                          "0 of 12 clients, 0 of 40 hours a week (0 %).")
    assert not page.detail_over.isVisible()


def _pixels(table: QTableView, index: QModelIndex) -> set[int]:
    image: QImage = table.viewport().grab(table.visualRect(index)).toImage()
    return {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}


def test_a_bar_over_its_limit_is_drawn_in_the_warning_colour(qtbot, make_window,
                                                             ben_overloaded):
    window = make_window(ben_overloaded.path)
    table = dashboard_of(window).capacity_table
    warning = warning_colour(table.palette()).rgb()
    ben = _pixels(table, table.model().index(chart_row(table, "Ben Ode"), COLUMN["active"]))
    ana = _pixels(table, table.model().index(chart_row(table, "Ana Ruiz"), COLUMN["active"]))
    assert warning in ben
    assert warning not in ana


def test_clicking_a_heat_map_cell_lists_that_weeks_load(qtbot, studio_window):
    page = dashboard_of(studio_window)
    page.set_as_of(AS_OF)
    page.views.setCurrentWidget(page.weeks_table)
    table = page.weeks_table
    model = table.model()
    assert isinstance(model, WeekLoadModel)
    assert model.columnCount() == 1 + HORIZON_WEEKS
    assert model.headerData(1, Qt.Orientation.Horizontal) == "2 Mar"
    assert model.index(0, 0).data() == "Studio"
    ben = chart_row(table, "Ben Ode")
    # The web shop runs to 29 March: 10 h a week in weeks 0-3, then nothing.
    assert [model.index(ben, 1 + w).data() for w in range(6)] == ["10", "10", "10", "10",
                                                                  "0", "0"]
    assert model.index(0, 1).data() == "15"  # the studio: Ben's 10 and Ana's 5

    click(qtbot, table, model.index(ben, 1))
    assert page.detail_heading.text() == "Ben Ode, week of 2 Mar 2026"
    assert [(i.name, i.weekly_hours) for i in page.shown_items()] == [("Acme web shop", 10.0)]
    click(qtbot, table, model.index(ben, 5))
    assert page.detail_heading.text() == "Ben Ode, week of 30 Mar 2026"
    assert page.shown_items() == []
    click(qtbot, table, model.index(0, 1))
    assert page.detail_heading.text() == "Studio, week of 2 Mar 2026"


# --------------------------------------------------------------------------- what if


def _two_plans(ws: Workspace) -> tuple[int, int]:
    """"A: Cara takes the web shop" and "B: Ana takes everything she can"."""
    with ws.write() as s:
        cara = records.find_id(s, "person", "Cara Li")
        ana = records.find_id(s, "person", "Ana Ruiz")
        first = plans.create_plan(s, "A handover")
        items = plans.propose_plan(s, first.id).items
        web_shop = next(i for i in items if i.item_name == "Acme web shop")
        plans.override_item(s, first.id, web_shop.id, cara)
        second = plans.create_plan(s, "B all to Ana")
        for item in plans.propose_plan(s, second.id).items:
            plans.override_item(s, second.id, item.id, ana)
    return first.id, second.id


def test_what_if_shows_a_plan_beside_today_then_two_plans_side_by_side(
        qtbot, make_window, small_studio):
    first, second = _two_plans(small_studio)
    window = make_window(small_studio.path)
    page = dashboard_of(window)
    page.views.setCurrentWidget(page.what_if)
    table = page.compare_table
    # Until someone chooses: today beside the first plan.
    assert page.left_plan.currentText() == "Today"
    assert page.right_plan.currentText() == "A handover (draft)"
    # Plan A: the web shop to Cara by hand; Ana's annual report to Ben, the dedicated
    # Production Manager, as she moves to the account side.
    assert bars(table, "Ben Ode", "active") == ((1, 6), (1, 6))
    assert bars(table, "Cara Li", "active") == ((0, 6), (1, 6))
    assert bars(table, "Cara Li", "hours") == ((0, 40), (10, 40))
    assert page.what_if_summary.text().startswith("Upper bar: Today: 0 of 3 over a limit")

    # Compare the two plans, choosing with the keyboard.
    page.left_plan.setFocus()
    qtbot.keyClick(page.left_plan, Qt.Key.Key_Down)
    assert page.left_plan.currentText() == "A handover (draft)"
    page.right_plan.setFocus()
    qtbot.keyClick(page.right_plan, Qt.Key.Key_Down)
    assert page.right_plan.currentText() == "B all to Ana (draft)"
    assert bars(table, "Ana Ruiz", "active") == ((0, 6), (2, 6))
    assert bars(table, "Ana Ruiz", "clients")[1] == (3, 12)
    assert bars(table, "Ana Ruiz", "hours") == ((0, 40), (15, 40))
    assert "Under “B all to Ana”" in page.what_if_summary.text()

    # Clicking a person lists their load under the right-hand plan.
    click(qtbot, table, table.model().index(chart_row(table, "Ana Ruiz"), COLUMN["clients"]))
    assert page.detail_heading.text() == ("Ana Ruiz: clients as account manager, "
                                          "under “B all to Ana”")
    assert shown_names(page) == ["Acme Foods", "Borealis Bank", "Cobalt Museum"]
    assert (first, second) == (page.left_plan.currentData(), page.right_plan.currentData())


def test_plans_under_way_show_how_far_they_have_come(qtbot, make_window, small_studio):
    with small_studio.write() as s:
        plan = plans.create_plan(s, "Spring split", effective_date=dt.date(2026, 3, 2))
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id, today=dt.date(2026, 2, 1))
        plans.apply_plan(s, plan.id)
        first_talk = plans.plan_conversations(s, plan.id)[0]
        plans.set_conversation_status(s, first_talk.id, "informed")
    window = make_window(small_studio.path)
    page = dashboard_of(window)
    model = page.plans.model
    assert page.plans.title() == "Plans under way (1)"
    assert model.index(0, 0).data() == "Spring split"
    assert model.index(0, 1).data() == "1 of 3 clients informed"
    assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == (
        "Spring split: applied, effective 2026-03-02; 1 of 3 clients informed, 0 settled.")
    assert model.index(0, 1).data(ProgressRole) == (1, 3)
    # The plan's new Account Managers hold every client now.
    assert page.unheld.empty.isVisible()


def test_a_plan_due_for_its_review_is_called_to_mind(qtbot, make_window, small_studio):
    due = dt.date.today() - dt.timedelta(days=3)
    with small_studio.write() as s:
        plan = plans.create_plan(s, "Spring split", effective_date=dt.date(2026, 3, 2))
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id, today=dt.date(2026, 2, 1))
        plans.apply_plan(s, plan.id)
        plans.set_review_date(s, plan.id, dt.date.today() + dt.timedelta(days=30))
    window = make_window(small_studio.path)
    page = dashboard_of(window)
    assert page.reviews_due.isHidden()

    with small_studio.write() as s:
        plans.set_review_date(s, plan.id, due)
    page.reload()
    qtbot.waitUntil(lambda: page.reviews_due.isVisible())
    assert page.reviews_due.text() == (
        f"“Spring split” is due for its six-month review (since {due.day} {due:%b %Y})")
    assert page.reviews_due.accessibleName()
    assert page.reviews_due.textFormat() == Qt.TextFormat.PlainText


# --------------------------------------------------------------------------- looks


def test_the_chart_stays_readable_with_3_and_with_40_people(qtbot, make_window, tmp_path,
                                                            small_studio):
    window = make_window(small_studio.path)
    window.resize(1280, 800)
    table = dashboard_of(window).capacity_table
    qtbot.waitUntil(lambda: table.model().rowCount() == 3)
    assert table.verticalScrollBar().maximum() == 0  # three people: all in view

    path = tmp_path / "forty.studiodesk"
    build_demo(path, people=40, clients=100, projects=270)
    assert window.open_path(path)
    qtbot.waitUntil(lambda: table.model().rowCount() == 40)
    metrics = table.fontMetrics()
    # Forty people scroll rather than squeeze: rows keep a line of text and some air,
    # the bars keep room for a bar beside their figure, the header stays.
    assert table.verticalScrollBar().maximum() > 0
    assert all(table.rowHeight(r) >= metrics.height() + 8 for r in range(40))
    for column in range(1, 5):
        unit = "h" if column == COLUMN["hours"] else ""
        assert table.columnWidth(column) >= BarDelegate.text_width(metrics, unit) + 60
    assert table.horizontalHeader().isVisible()
    assert table.horizontalScrollBar().maximum() == 0  # no sideways scrolling
    # The busiest person is shown straight away, scrolled into view.
    page = dashboard_of(window)
    current = table.currentIndex()
    assert current.isValid() and page.detail_heading.text() == f"{current.data()}, today"
    assert table.viewport().rect().contains(table.visualRect(current).center())


def test_names_with_markup_show_as_typed(qtbot, make_window, small_studio):
    with small_studio.write() as s:
        records.add_record(s, "person", {"name": "<b>Dee</b>", "max_clients": 0,
                                         "weekly_hours": 10})
    add_project(small_studio, "<i>Launch</i>", "<b>Dee</b>", status="active",
                estimated_hours=240)
    window = make_window(small_studio.path)
    page = dashboard_of(window)
    assert "<b>Dee</b>" in page.summary.text()
    assert page.detail_heading.text() == "<b>Dee</b>, today"  # the busiest, shown at once
    for label in (page.summary, page.detail_heading, page.detail_figures, page.detail_over):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert shown_names(page) == ["<i>Launch</i>"]


def test_without_a_workspace_the_dashboard_says_so(qtbot, make_window):
    window = make_window()
    page = dashboard_of(window)
    assert page.summary.text() == "No workspace open."
    assert page.capacity_model.rowCount() == 0


def test_the_models_pass_the_model_tester(qtmodeltester, qtbot, make_window,
                                          ben_overloaded):
    _two_plans(ben_overloaded)
    window = make_window(ben_overloaded.path)
    page = dashboard_of(window)
    for model in (page.capacity_model, page.compare_model, page.weeks_model,
                  page.items_model, page.unmanaged.model, page.unheld.model,
                  page.plans.model):
        assert isinstance(model, LoadBarsModel | WeekLoadModel | ListModel)
        qtmodeltester.check(model)


def test_every_widget_on_the_dashboard_has_an_accessible_name(studio_window):
    page = dashboard_of(studio_window)
    for widget in (page, page.summary, page.as_of_edit, page.today_button, page.views,
                   page.capacity_table, page.weeks_table, page.compare_table,
                   page.left_plan, page.right_plan, page.items_table, page.detail,
                   page.unmanaged.table, page.unheld.table, page.plans.table):
        assert widget.accessibleName(), widget.objectName()


def test_the_as_of_day_moves_the_weeks(qtbot, studio_window):
    page = dashboard_of(studio_window)
    page.set_as_of(AS_OF)
    assert page.weeks_model.headerData(1, Qt.Orientation.Horizontal) == "2 Mar"
    page.as_of_edit.setFocus()
    page.set_as_of(dt.date(2026, 3, 9))
    assert page.weeks_model.headerData(1, Qt.Orientation.Horizontal) == "9 Mar"
    qtbot.mouseClick(page.today_button, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    assert page.weeks_model.headerData(1, Qt.Orientation.Horizontal) == \
        f"{monday.day} {monday:%b}"
