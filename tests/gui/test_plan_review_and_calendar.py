"""Six months on and in the diary: an applied plan's review beside the studio as it
stands, and its conversations and handovers saved as a calendar file, from the Plans
page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog

from studio_desk.gui import plans_page as plans_page_module
from studio_desk.gui.plan_review import PlanReviewDialog
from studio_desk.store import plans, records
from studio_desk.store.plans import PlanReview
from tests.gui.conftest import problems
from tests.gui.test_plans_page import EFFECTIVE, make_plan, open_page
from tests.store.test_plan_review import applied_plan


def open_review(qtbot, page, monkeypatch) -> PlanReviewDialog:  # type: ignore[no-untyped-def]
    """Press Review… and keep the dialog it shows, without waiting on it."""
    shown: list[PlanReviewDialog] = []

    def keep(self: PlanReviewDialog) -> int:
        shown.append(self)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(PlanReviewDialog, "exec", keep)
    monkeypatch.setattr(PlanReviewDialog, "deleteLater", lambda self: None)
    qtbot.mouseClick(page.review_button, Qt.MouseButton.LeftButton)
    assert len(shown) == 1
    return shown[0]


def test_the_review_shows_what_changed_hands_since_the_plan(qtbot, small_studio,
                                                           make_window, monkeypatch):
    # Applied in March: by now it is due for its review.
    plan_id = applied_plan(small_studio)
    with small_studio.read() as s:
        review = plans.plan_review(s, plan_id)
    # Someone took one project over by hand since the plan took effect.
    moved = next(r for r in review.rows if r.project is not None)
    other = next(p.person for p in review.people if p.person != moved.planned)
    with small_studio.write() as s:
        project = next(r for r in records.list_rows(s, "project") if r.name == moved.project)
        records.update_record(s, "project", project.id, project.version,
                              {"manager": other})

    window = make_window(small_studio.path)
    page = open_page(window)
    qtbot.waitUntil(lambda: page.review_button.isEnabled())
    dialog = open_review(qtbot, page, monkeypatch)
    assert dialog.review is not None and dialog.review.as_of == dt.date.today()
    assert dialog.summary.text().startswith(f"1 of {len(review.rows)} roles has changed")
    assert "review is due on" in dialog.due_label.text()
    dialog.changed_only.setChecked(True)
    assert dialog.roles_view.rowCount() == 1
    shown = [dialog.roles_view.index(0, c).data() for c in range(5)]
    assert shown[1] == moved.project and shown[3] == moved.planned and shown[4] == other
    assert dialog.people_view.rowCount() == 2  # one gave a project up, one took it
    # Another day is read again (the dialog holds no session).
    dialog.as_of.setDate(QDate(2026, 4, 1))
    assert dialog.review.as_of == dt.date(2026, 4, 1)
    assert problems(window) == []


def test_the_review_date_is_chosen_in_the_review_and_undone(qtbot, small_studio,
                                                          make_window, monkeypatch):
    plan_id = make_plan(small_studio)
    window = make_window(small_studio.path)
    page = open_page(window)
    qtbot.waitUntil(lambda: page.review_button.isEnabled())
    dialog = open_review(qtbot, page, monkeypatch)
    default = plans.add_months(EFFECTIVE, plans.REVIEW_MONTHS)
    assert dialog.review_on.date() == QDate(default.year, default.month, default.day)
    chosen = EFFECTIVE + dt.timedelta(days=90)
    dialog.review_on.setDate(QDate(chosen.year, chosen.month, chosen.day))
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    with small_studio.read() as s:
        assert plans.review_date(plans.load_plan(s, plan_id)) == chosen
    assert "review is due" in dialog.due_label.text()
    window.desk.undo_stack.undo()
    with small_studio.read() as s:
        assert plans.review_date(plans.load_plan(s, plan_id)) == default
    window.desk.undo_stack.redo()
    with small_studio.read() as s:
        assert plans.review_date(plans.load_plan(s, plan_id)) == chosen


def test_a_draft_has_no_review_yet(qtbot, small_studio, make_window):
    make_plan(small_studio, apply=False)
    window = make_window(small_studio.path)
    page = open_page(window)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert not page.review_button.isEnabled()


def test_export_calendar_writes_one_event_per_conversation_and_handover(
        qtbot, small_studio, make_window, monkeypatch, tmp_path: Path):
    plan_id = make_plan(small_studio)
    with small_studio.read() as s:
        talks = len(plans.plan_conversations(s, plan_id))
        meetings = len(plans.plan_handovers(s, plan_id))
    window = make_window(small_studio.path)
    page = open_page(window)
    qtbot.waitUntil(lambda: page.calendar_button.isEnabled())
    suggested: list[Path] = []
    target = tmp_path / "split.ics"

    def choose(_parent: object, offered: Path) -> Path:
        suggested.append(offered)
        return target

    monkeypatch.setattr(plans_page_module.CalendarFileDialog, "ask_save",
                        classmethod(lambda cls, parent, offered: choose(parent, offered)))
    qtbot.mouseClick(page.calendar_button, Qt.MouseButton.LeftButton)
    assert suggested[0].name == "Spring split.ics"
    text = target.read_text(encoding="utf-8")
    assert text.count("BEGIN:VEVENT") == talks + meetings
    assert window.statusBar().currentMessage().startswith("split.ics: ")
    assert problems(window) == []


def test_a_calendar_that_cannot_be_written_is_one_sentence(qtbot, small_studio, make_window,
                                                           monkeypatch, tmp_path: Path):
    make_plan(small_studio)
    window = make_window(small_studio.path)
    page = open_page(window)
    qtbot.waitUntil(lambda: page.calendar_button.isEnabled())
    target = tmp_path / "no such folder" / "split.ics"
    monkeypatch.setattr(plans_page_module.CalendarFileDialog, "ask_save",
                        classmethod(lambda cls, parent, offered: target))
    qtbot.mouseClick(page.calendar_button, Qt.MouseButton.LeftButton)
    shown = problems(window)
    assert len(shown) == 1 and "split.ics" in shown[0] and "\n" not in shown[0]
    assert not target.exists()


def test_the_review_dialog_reads_through_what_it_is_given(qtbot, small_studio):
    plan_id = make_plan(small_studio)
    days: list[dt.date] = []

    def read(day: dt.date) -> PlanReview:
        days.append(day)
        with small_studio.read() as s:
            return plans.plan_review(s, plan_id, day)

    dialog = PlanReviewDialog("Spring split", read, lambda _day: None,
                              today=EFFECTIVE + dt.timedelta(days=1))
    qtbot.addWidget(dialog)
    assert days == [EFFECTIVE + dt.timedelta(days=1)]
    assert dialog.summary.text().endswith("Every role is held as the plan set it.")
