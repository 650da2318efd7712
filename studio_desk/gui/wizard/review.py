"""Page 7, Review and apply: every change, everyone's load before and after, and Apply.

Applying (``store.plans.apply_plan``) ends the current assignments the day before the
effective date and starts the new ones on it, keeping the history; it asks first, and
refuses a plan someone changed since it was shown here. Afterwards the plan is a
checklist: each client conversation is marked planned, informed or settled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
)
from sqlalchemy.orm import Session

from studio_desk.core import schedule as sched
from studio_desk.core.capacity import Capacity
from studio_desk.core.errors import ConflictError, StudioDeskError
from studio_desk.gui.messages import show_problem
from studio_desk.gui.wizard.assign import ROLE_LABELS, item_text
from studio_desk.gui.wizard.draft import PlanDraft, PlanPage
from studio_desk.gui.wizard.parts import Column, PlanTable, RowsModel, plain_label, plural
from studio_desk.gui.wizard.tell import CHANNEL_LABELS, STATUS_LABELS, handover_text
from studio_desk.store import plans


class ConfirmApply:
    """The question asked before a plan is applied."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str) -> bool:
        """Whether the user confirms applying; Escape and Enter both cancel."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.NoButton, parent)
        box.setObjectName("confirm_apply")
        box.setTextFormat(Qt.TextFormat.PlainText)
        apply = box.addButton("&Apply", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        # Changing everyone's assignments is not undone with a key press: Enter cancels.
        box.setDefaultButton(cancel)
        box.setAccessibleName(title)
        try:
            box.exec()
            return box.clickedButton() is apply
        finally:
            box.deleteLater()


@dataclass(frozen=True)
class LoadChange:
    """One person's load before and after the plan."""

    before: Capacity
    after: Capacity


@dataclass(frozen=True)
class ReviewData:
    items: list[plans.PlanItemRow]
    loads: list[LoadChange]
    conversations: list[plans.ConversationRow]
    progress: tuple[int, int, int]
    handovers: list[plans.HandoverRow]


def read_review_data(session: Session, plan_id: int) -> ReviewData:
    before, after = plans.capacity_before_after(session, plan_id)
    return ReviewData(plans.plan_items(session, plan_id),
                      [LoadChange(b, a) for b, a in zip(before, after, strict=True)],
                      plans.plan_conversations(session, plan_id),
                      plans.plan_progress(session, plan_id),
                      plans.plan_handovers(session, plan_id))


def _arrow(before: float, after: float, hours: bool = False) -> str:
    def shown(n: float) -> str:
        return f"{n:.1f}" if hours else f"{n:g}"
    if abs(before - after) < 0.05:
        return shown(after)
    return f"{shown(before)} → {shown(after)}"


def _handovers_text(handovers: list[plans.HandoverRow]) -> str:
    """``3 handover meetings, the first on Monday 7 December 2026`` (no full stop)."""
    text = plural(len(handovers), "handover meeting")
    dates = [h.on_date for h in handovers if h.on_date]
    if dates:
        text += f", the first on {sched.long_date(min(dates))}"
    return text


class ReviewPage(PlanPage):
    """A summary of the plan, Apply, and the checklist it becomes."""

    step = "review"
    heading = "Review and apply"
    explanation = ("Check every change and everyone's load, then apply the plan: the new "
                   "assignments start on the effective date and the history is kept. "
                   "Afterwards, tick off each client conversation here or on the Plans page.")

    def __init__(self, draft: PlanDraft, parent: QWidget | None = None) -> None:
        super().__init__(draft, parent)
        self.data: ReviewData | None = None
        self.summary = plain_label("", self, name="review_summary")
        self.changes_model = RowsModel((
            Column("item", "Client / project", item_text,
                   tooltip=lambda i: f"{i.client} › {i.project}" if i.project else i.client),
            Column("role", "Role", lambda i: ROLE_LABELS.get(i.role, i.role)),
            Column("from", "From", lambda i: i.previous_person or "no one"),
            Column("to", "To", lambda i: i.person or "no one"),
            Column("why", "Why", lambda i: i.reason, tooltip=lambda i: i.reason),
        ), self, bold=lambda i: i.changed and self.show_all.isChecked())
        self.changes = PlanTable(self.changes_model, "plan_changes", "Changes in the plan",
                                 self)
        self.show_all = QCheckBox("Show the roles that stay &too", self)
        self.show_all.setObjectName("show_unchanged")
        self.show_all.toggled.connect(self._show_changes)
        self.loads_model = RowsModel((
            Column("person", "Person", lambda c: c.after.person),
            Column("clients", "Clients", lambda c: _arrow(c.before.clients, c.after.clients),
                   number=True),
            Column("active", "Active projects",
                   lambda c: _arrow(c.before.active_projects, c.after.active_projects),
                   number=True),
            Column("backburner", "Back-burner",
                   lambda c: _arrow(c.before.backburner_projects,
                                    c.after.backburner_projects), number=True),
            Column("hours", "Hours a week",
                   lambda c: _arrow(c.before.allocated_hours, c.after.allocated_hours, True),
                   number=True),
            Column("limits", "After the change",
                   lambda c: "over: " + "; ".join(c.after.overloads)
                   if c.after.overallocated else "within every limit"),
        ), self, warn=lambda c: c.after.overallocated)
        self.loads = PlanTable(self.loads_model, "capacity_before_after",
                               "Load before and after", self)
        self.checklist_model = RowsModel((
            Column("on_date", "When", lambda c: c.on_date.isoformat() if c.on_date
                   else "Not scheduled"),
            Column("client", "Client", lambda c: c.client),
            Column("informer", "Who informs", lambda c: c.informer or "No one yet"),
            Column("channel", "How", lambda c: CHANNEL_LABELS.get(c.channel, c.channel)),
            Column("handover", "Handover first", handover_text),
            Column("status", "Status", lambda c: STATUS_LABELS.get(c.status, c.status),
                   value=lambda c: c.status,
                   choices=lambda _c: [(label, key) for key, label in STATUS_LABELS.items()],
                   change=self._set_status,
                   header_tip="Once the plan is applied: F2 or a double click marks a "
                              "client informed or settled"),
        ), self)
        self.checklist = PlanTable(self.checklist_model, "conversation_checklist",
                                   "Client conversations", self)
        self.progress = plain_label("", self, name="plan_progress")

        changes_tab = QWidget(self)
        changes_layout = QVBoxLayout(changes_tab)
        changes_layout.addWidget(self.changes, 1)
        changes_layout.addWidget(self.show_all)
        checklist_tab = QWidget(self)
        checklist_layout = QVBoxLayout(checklist_tab)
        checklist_layout.addWidget(self.checklist, 1)
        checklist_layout.addWidget(self.progress)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("review_tabs")
        self.tabs.addTab(changes_tab, "C&hanges")
        self.tabs.addTab(self.loads, "&Load before and after")
        self.tabs.addTab(checklist_tab, "C&onversations")

        self.apply_button = QPushButton("&Apply the plan…", self)
        self.apply_button.setObjectName("apply_plan")
        self.apply_button.setToolTip("Make the plan's assignments current from the "
                                     "effective date (asks first)")
        self.apply_button.setAutoDefault(False)
        self.apply_button.clicked.connect(self.apply)
        self.applied_label = plain_label("", self, name="applied_status")
        apply_row = QHBoxLayout()
        apply_row.addWidget(self.applied_label, 1)
        apply_row.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(apply_row)

    # Showing ----------------------------------------------------------------------------

    def load(self) -> None:
        self.read()
        if not self.draft.is_draft:
            self.tabs.setCurrentIndex(2)

    def read(self) -> None:
        """Read the plan's rows, loads and conversations again and show them."""
        self.data = self.draft.read(read_review_data)
        self._show_changes()
        self.loads_model.set_rows(self.data.loads)
        self.loads.fit_columns(widest=260)
        self.checklist_model.set_rows(self.data.conversations)
        self.checklist.fit_columns(widest=260)
        self._show_state()

    def _show_changes(self, *_args: object) -> None:
        if self.data is None:
            return
        items = self.data.items if self.show_all.isChecked() else \
            [i for i in self.data.items if i.changed]
        self.changes_model.set_rows(items)
        self.changes.fit_columns(widest=280)
        changed = sum(1 for i in self.data.items if i.changed)
        self.tabs.setTabText(0, f"C&hanges ({changed})")

    def _show_state(self) -> None:
        plan, data = self.draft.plan, self.data
        if plan is None or data is None:
            return
        changed = sum(1 for i in data.items if i.changed)
        stays = len(data.items) - changed
        effective = sched.long_date(plan.effective_date) if plan.effective_date else \
            "no effective date yet"
        over = [c.after.person for c in data.loads if c.after.overallocated]
        dates = [c.on_date for c in data.conversations if c.on_date]
        text = (f"“{plan.name}”, {plan.template or 'no team structure'}, takes effect on "
                f"{effective}: {plural(changed, 'role')} change hands, {stays} stay.")
        if dates:
            text += (f" {plural(len(data.conversations), 'client')} to tell between "
                     f"{sched.long_date(min(dates))} and {sched.long_date(max(dates))}.")
        if data.handovers:
            text += f" {_handovers_text(data.handovers)}."
        text += (f" Over a limit afterwards: {', '.join(over)}." if over else
                 " Everyone stays within their limits.")
        self.summary.setText(text)
        informed, settled, total = data.progress
        self.progress.setText(f"{informed} of {plural(total, 'client')} informed, "
                              f"{settled} settled.")
        applied = not self.draft.is_draft
        self.apply_button.setEnabled(not applied and bool(data.items))
        self.checklist_model.editing_enabled = applied
        if applied:
            when = f"{plan.applied_at:%Y-%m-%d %H:%M} (UTC)" if plan.applied_at else ""
            self.applied_label.setText(
                f"Applied by {plan.applied_by or 'someone'} {('on ' + when) if when else ''}. "
                "Mark each client informed, then settled, on the Conversations tab.")
        else:
            self.applied_label.setText("Not applied yet: nothing has changed in the "
                                       "workspace's assignments.")
        wizard = self.wizard()
        if wizard is not None:
            # An applied plan is a checklist: going back to change it is over.
            wizard.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, applied)

    # Applying ---------------------------------------------------------------------------

    def apply(self) -> None:
        """Ask, then make the plan's assignments current from its effective date."""
        plan, data = self.draft.plan, self.data
        if plan is None or data is None or not self.draft.is_draft:
            return
        changed = sum(1 for i in data.items if i.changed)
        effective = plan.effective_date
        ending = (f" Assignments that change end on "
                  f"{sched.long_date(effective - dt.timedelta(days=1))};"
                  if effective else "")
        question = (f"Apply “{plan.name}”? {plural(changed, 'role')} change hands on "
                    f"{sched.long_date(effective) if effective else 'the effective date'}."
                    f"{ending} the history is kept and each project's manager changes on "
                    "that day too. Until then the people in charge now stay in charge: "
                    "the dashboard and capacity show them.")
        if data.handovers:
            question += (f" {_handovers_text(data.handovers)}; they and the client "
                         "conversations become a checklist on the Plans page.")
        if not ConfirmApply.ask(self, "Apply the plan", question):
            return
        version = plan.version
        try:
            applied = self.draft.write(lambda s, plan_id: plans.apply_plan(
                s, plan_id, expected_version=version))
        except ConflictError as exc:
            show_problem(self, str(exc))
            self.draft.reload()
            self.read()
            return
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        # Projects' managers changed: every table showing them reads them again.
        self.draft.desk.stale.emit(frozenset({"project", "person", "client"}))
        self.read()
        self.applied_label.setText(
            f"Applied: {plural(applied.changed, 'role')} changed hands, "
            f"{applied.unchanged} stayed. Mark each client informed, then settled, on the "
            "Conversations tab.")
        self.tabs.setCurrentIndex(2)

    def _set_status(self, row: plans.ConversationRow, status: Any) -> bool:
        """Mark a client conversation planned, informed or settled (a cell edit)."""
        def work(session: Session, plan_id: int) -> tuple[plans.ConversationRow,
                                                          tuple[int, int, int]]:
            saved = plans.set_conversation_status(session, row.id, str(status),
                                                  expected_version=row.version)
            return saved, plans.plan_progress(session, plan_id)

        try:
            saved, progress = self.draft.write(work)
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            # Not at once: the chooser may still be handing over its value.
            QTimer.singleShot(0, self, self.read)
            return False
        rows = self.checklist_model.rows()
        self.checklist_model.replace(next(i for i, r in enumerate(rows) if r.id == saved.id),
                                     saved)
        if self.data is not None:
            self.data = replace(self.data, conversations=self.checklist_model.rows(),
                                progress=progress)
        self._show_state()
        return True

    # Leaving ----------------------------------------------------------------------------

    def step_data(self) -> dict[str, Any]:
        return {"show_unchanged": self.show_all.isChecked()}
