"""The Tell-the-clients page: the pace, the days off and the templates per outcome are
the user's, and planning again follows them."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from PySide6.QtCore import Qt

from studio_desk.core import schedule as sched
from studio_desk.gui.wizard.tell import TellPage
from studio_desk.store import plans
from tests.gui.test_wizard import dismiss_problems
from tests.gui.test_wizard_pages import open_on, plan_at


def per_person(rows: list[plans.ConversationRow], week: bool = False) -> Counter[object]:
    count: Counter[object] = Counter()
    for c in rows:
        assert c.on_date is not None
        key = c.on_date - dt.timedelta(days=c.on_date.weekday()) if week else c.on_date
        count[(c.informer, key)] += 1
        if c.introduces:
            count[(c.introduces, key)] += 1
    return count


def test_the_pace_and_the_days_off_change_the_schedule(qtbot, studio_window, small_studio):
    effective = dt.date.today() + dt.timedelta(weeks=8)
    effective += dt.timedelta(days=(7 - effective.weekday()) % 7)  # a Monday
    plan = plan_at(small_studio, "tell_clients", effective=effective)
    with small_studio.write() as s:
        plans.propose_plan(s, plan.id)
    wizard = open_on(qtbot, studio_window)
    page = wizard.currentPage()
    assert isinstance(page, TellPage)
    assert page.max_per_week.text() == "no limit"
    # Ana hands her projects to Ben before the change (small studio).
    assert page.handovers_label.text().startswith(
        "Project handovers before the change: Ana Ruiz → Ben Ode, 2 projects, on ")
    assert "Christmas Day" in page.days_off.toPlainText()

    # One conversation a person a week, over four weeks.
    page.weeks_before.setValue(4)
    page.max_per_day.setValue(1)
    page.max_per_week.setValue(1)
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    rows = page.model.rows()
    assert rows and all(c.on_date for c in rows), page.message.text()
    assert max(per_person(rows, week=True).values()) == 1
    first = min(c.on_date for c in rows if c.on_date)

    # That day becomes a day off: planning again moves off it.
    page.days_off.setPlainText(page.days_off.toPlainText()
                               + f"\n{first.isoformat()} Studio away day")
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    rows = page.model.rows()
    assert first not in {c.on_date for c in rows}
    assert max(per_person(rows, week=True).values()) == 1
    with small_studio.read() as s:
        saved = plans.load_plan(s, plan.id).step("tell_clients")
    assert (saved["max_per_day"], saved["max_per_week"]) == (1, 1)
    assert [first.isoformat(), "Studio away day"] in saved["non_working_days"]

    # A line that is not a date is named, and nothing is planned with it.
    page.days_off.setPlainText("Christmas\n")
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    [problem] = dismiss_problems(qtbot, wizard)
    assert problem.startswith("Line 1, “Christmas”: start each line with a date")
    assert page.tabs.currentIndex() == 2
    assert [c.on_date for c in page.model.rows()] == [c.on_date for c in rows]


def test_each_outcome_has_its_own_template(qtbot, studio_window, small_studio):
    plan = plan_at(small_studio, "tell_clients")
    with small_studio.write() as s:
        plans.propose_plan(s, plan.id)
    wizard = open_on(qtbot, studio_window)
    page = wizard.currentPage()
    assert isinstance(page, TellPage)
    outcomes = {c.client_id: page._outcome(c) for c in page.model.rows()}  # noqa: SLF001
    assert set(outcomes.values()) <= set(sched.OUTCOMES) and all(outcomes.values())
    for outcome in sched.OUTCOMES:
        page.template_outcome.setCurrentIndex(page.template_outcome.findData(outcome))
        assert page.template.toPlainText() == sched.default_template(outcome)
        page.template.setPlainText(f"{outcome}: {{client}}")
    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    for row in page.model.rows():
        assert row.talking_points == f"{outcomes[row.client_id]}: {row.client}"


def test_many_project_handovers_are_counted_not_listed() -> None:
    from studio_desk.gui.wizard.tell import project_handovers_text
    from studio_desk.store.plans.schedule import HANDOVER_PROJECT, HandoverRow

    rows = [HandoverRow(f"k{n}", HANDOVER_PROJECT, f"Person {n}", "Sam Lee",
                        dt.date(2026, 12, 14 + n), (f"Project {n}",), "planned")
            for n in range(5)]
    assert project_handovers_text(rows[:2]).startswith(
        "Project handovers before the change: Person 0 → Sam Lee, 1 project, on ")
    assert project_handovers_text(rows) == (
        "Project handovers before the change: 5 meetings, Monday 14 December 2026 to "
        "Friday 18 December 2026 (each is listed in the printed plan).")
