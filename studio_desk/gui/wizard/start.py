"""Page 1, Start: name the plan (or pick a draft to resume), its team structure and the
day it takes effect."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio_desk.core import schedule as sched
from studio_desk.core.errors import StudioDeskError
from studio_desk.core.rules import name_key
from studio_desk.gui.messages import show_problem
from studio_desk.gui.wizard.draft import PlanDraft, PlanPage
from studio_desk.gui.wizard.parts import plain_label
from studio_desk.store import plans

DEFAULT_NAME = "Account and Production split"
_STEP_NAMES = {
    "start": "Start", "responsibilities": "What needs to get done", "people": "People",
    "inventory": "Clients and projects", "assign": "Assign",
    "tell_clients": "Tell the clients", "review": "Review and apply",
}


def step_name(step: str) -> str:
    """The title of the page a step is shown on."""
    return _STEP_NAMES.get(step, step)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class StartPage(PlanPage):
    """Which plan, which team structure, from when."""

    step = "start"
    heading = "Start"
    explanation = ("Name the plan, or pick a draft to carry on with. Every page is saved "
                   "as you leave it, so the team can stop and come back another day.")

    def __init__(self, draft: PlanDraft, parent: QWidget | None = None) -> None:
        super().__init__(draft, parent)
        self.plan_choice = QComboBox(self)
        self.plan_choice.setObjectName("plan_choice")
        self.plan_choice.setAccessibleName("Plan")
        self.plan_choice.setToolTip("A new plan, or a draft to resume where it was left")
        self.saved_label = plain_label("", self, name="plan_saved", wrap=False)
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("plan_name")
        self.name_edit.setAccessibleName("Plan name")
        self.name_edit.setPlaceholderText("For example: Split from March")
        self.name_edit.setMaxLength(200)
        self.template_choice = QComboBox(self)
        self.template_choice.setObjectName("template_choice")
        self.template_choice.setAccessibleName("Team structure")
        self.template_label = plain_label("", self, name="template_description")
        self.effective_date = QDateEdit(self)
        self.effective_date.setObjectName("effective_date")
        self.effective_date.setAccessibleName("Effective date")
        self.effective_date.setCalendarPopup(True)
        self.effective_date.setDisplayFormat("yyyy-MM-dd")
        self.effective_date.setToolTip("The day the new assignments take effect; the "
                                       "clients are told in the weeks before it")
        self.date_label = plain_label("", self, name="effective_date_text", wrap=False)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # A wrapped label in a form row asks for the height of its narrowest layout;
        # told its policy is to fit its text, it takes no more than it needs.
        self.template_label.setSizePolicy(QSizePolicy.Policy.Preferred,
                                          QSizePolicy.Policy.Maximum)
        self.template_label.setAlignment(Qt.AlignmentFlag.AlignTop
                                         | Qt.AlignmentFlag.AlignLeft)
        form.addRow("&Plan:", self.plan_choice)
        form.addRow("", self.saved_label)
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Team structure:", self.template_choice)
        form.addRow("", self.template_label)
        form.addRow("&Effective date:", self.effective_date)
        form.addRow("", self.date_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        for widget in (self.plan_choice, self.name_edit, self.template_choice):
            widget.setMaximumWidth(560)
        self.effective_date.setMaximumWidth(160)
        self.template_label.setMaximumWidth(760)

        self._drafts: dict[int, plans.PlanRow] = {}
        self._templates: dict[int, plans.TemplateRow] = {}
        self.plan_choice.currentIndexChanged.connect(self._plan_chosen)
        self.template_choice.currentIndexChanged.connect(self._template_chosen)
        self.effective_date.dateChanged.connect(self._date_changed)

    # Showing ----------------------------------------------------------------------------

    def initializePage(self) -> None:
        """Offer a new plan and every draft; show the plan being worked on."""
        self.load()

    def load(self) -> None:
        listed, templates = self.draft.desk.read_now(
            lambda s: (plans.list_plans(s), plans.list_templates(s)))
        self._drafts = {p.id: p for p in listed if p.status == plans.STATUS_DRAFT}
        self._templates = {t.id: t for t in templates}
        self.template_choice.blockSignals(True)
        self.template_choice.clear()
        for template in templates:
            self.template_choice.addItem(template.name, template.id)
        self.template_choice.blockSignals(False)
        self.plan_choice.blockSignals(True)
        self.plan_choice.clear()
        self.plan_choice.addItem("A new plan", None)
        for plan in self._drafts.values():
            self.plan_choice.addItem(f"{plan.name} (draft, on “{step_name(plan.current_step)}”)",
                                     plan.id)
        current = self.draft.plan.id if self.draft.plan is not None else None
        position = self.plan_choice.findData(current) if current in self._drafts else 0
        self.plan_choice.setCurrentIndex(max(position, 0))
        self.plan_choice.blockSignals(False)
        self._plan_chosen()

    def chosen_plan(self) -> plans.PlanRow | None:
        plan_id = self.plan_choice.currentData()
        return self._drafts.get(plan_id) if plan_id is not None else None

    def _plan_chosen(self, _index: int = -1) -> None:
        plan = self.chosen_plan()
        if plan is None:
            self.name_edit.setText(self._free_name())
            default = self.template_choice.findData(self._default_template_id())
            self.template_choice.setCurrentIndex(max(default, 0))
            self.effective_date.setDate(to_qdate(sched.default_effective_date()))
            self.saved_label.setText("A new draft is made when you go on.")
        else:
            self.name_edit.setText(plan.name)
            position = self.template_choice.findData(plan.template_id)
            self.template_choice.setCurrentIndex(max(position, 0))
            self.effective_date.setDate(to_qdate(plan.effective_date
                                                 or sched.default_effective_date()))
            self.saved_label.setText(
                f"Last saved by {plan.updated_by} on "
                f"{plan.updated_at:%Y-%m-%d %H:%M} (UTC), on the page "
                f"“{step_name(plan.current_step)}”; going on resumes there.")
        self._template_chosen()
        self._date_changed()

    def _default_template_id(self) -> int | None:
        for template in self._templates.values():
            if template.template.key == "account_production":
                return template.id
        return next(iter(self._templates), None)

    def _free_name(self) -> str:
        taken = {name_key(p.name) for p in self._drafts.values()}
        taken |= {name_key(n) for n in self.draft.desk.read_now(
            lambda s: [p.name for p in plans.list_plans(s)])}
        name, number = DEFAULT_NAME, 2
        while name_key(name) in taken:
            name, number = f"{DEFAULT_NAME} {number}", number + 1
        return name

    def _template_chosen(self, _index: int = -1) -> None:
        template = self._templates.get(self.template_choice.currentData())
        if template is None:
            self.template_label.setText("")
            return
        roles = ", ".join(template.template.roles)
        text = template.template.description.strip()
        self.template_label.setText(f"Roles: {roles}." + (f"\n{text}" if text else ""))

    def _date_changed(self, _date: QDate | None = None) -> None:
        day = from_qdate(self.effective_date.date())
        self.date_label.setText(f"{sched.long_date(day)}: the new assignments start that day, "
                                "and the clients hear about it in the weeks before.")

    # Leaving ----------------------------------------------------------------------------

    def step_data(self) -> dict[str, Any]:
        return {"template_id": self.template_choice.currentData(),
                "effective_date": from_qdate(self.effective_date.date()).isoformat()}

    def validatePage(self) -> bool:
        """Make the new plan, or switch to the chosen draft (resuming on its saved page),
        with the name, structure and date shown."""
        if self.draft.resuming:
            return True
        name = self.name_edit.text().strip()
        if not name:
            show_problem(self, "The plan needs a name.")
            self.name_edit.setFocus()
            return False
        template_id = self.template_choice.currentData()
        effective = from_qdate(self.effective_date.date())
        chosen = self.chosen_plan()
        try:
            if chosen is None:
                created = self.draft.desk.write_now(lambda s: plans.create_plan(
                    s, name, template_id=template_id, effective_date=effective))
                self.draft.adopt(created)
                self.draft.save_step(self.step, self.step_data(), self.next_step)
                return True
            switching = self.draft.plan is None or self.draft.plan.id != chosen.id
            if switching:
                self.draft.open(chosen.id)
            self._update_plan(name, template_id, effective)
            if switching:
                resume_at = self.draft.plan.current_step if self.draft.plan else self.step
                if plans.WIZARD_STEPS.index(resume_at) > plans.WIZARD_STEPS.index(
                        self.next_step):
                    # Leave this page as Qt does, then walk on to the saved page.
                    self.transition_wizard().resume_later(resume_at)  # type: ignore[attr-defined]
                    return True
            self.draft.save_step(self.step, self.step_data(), self.next_step)
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return False
        return True

    def _update_plan(self, name: str, template_id: int | None, effective: dt.date) -> None:
        plan = self.draft.plan
        assert plan is not None
        changes: dict[str, Any] = {}
        if name != plan.name:
            changes["name"] = name
        if template_id != plan.template_id:
            changes["template_id"] = template_id
        if effective != plan.effective_date:
            changes["effective_date"] = effective
        if changes:
            self.draft.write(lambda s, plan_id: plans.update_plan(
                s, plan_id, expected_version=plan.version, **changes))

    def cleanupPage(self) -> None:
        """Nothing to keep: the first page writes only when the user goes on."""
