"""Page 6, Tell the clients: who informs each client, how, when, and what they say.

``store.plans.schedule_plan`` spreads the conversations over the working days before
the effective date, most important clients first, and says so when the window is too
short. Every cell (who informs, how, when) and each client's talking points can then be
changed; each change is saved at once. The template the talking points are written from
is edited on its own tab and used the next time the conversations are planned.

The pace is the user's: at most so many conversations a person a day and a week, over a
number of weeks, skipping the days off listed on the Days off tab (the studio's list,
offered with the common public holidays). Each client is told what happens to them: one
template per outcome (a new Account Manager, a new Production Manager only, one person
in both roles, nothing changes), chosen on the Template tab.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from studio_desk.core import catalog
from studio_desk.core import schedule as sched
from studio_desk.core.errors import ConflictError, StudioDeskError
from studio_desk.core.rows import PersonRow
from studio_desk.gui.messages import show_problem
from studio_desk.gui.wizard.draft import PlanDraft, PlanPage
from studio_desk.gui.wizard.parts import Column, PlanTable, RowsModel, plain_label, set_warning
from studio_desk.store import plans, records
from studio_desk.store.plans.schedule import (
    HANDOVER_PROJECT,
    HandoverRow,
    plan_handovers,
    studio_days_off,
)

CHANNEL_LABELS = {sched.CHANNEL_MEETING: "Meeting", sched.CHANNEL_CALL: "Call",
                  sched.CHANNEL_EMAIL: "Email"}
STATUS_LABELS = {"planned": "Planned", "informed": "Informed", "settled": "Settled"}
#: The outcome as the table's narrow column says it (the tooltip has it in full).
OUTCOME_SHORT = {sched.OUTCOME_NEW_ACCOUNT_MANAGER: "New AM",
                 sched.OUTCOME_NEW_PRODUCTION_MANAGER: "New PM only",
                 sched.OUTCOME_ONE_PERSON: "One person, both",
                 sched.OUTCOME_UNCHANGED: "No change"}


@dataclass(frozen=True)
class TellData:
    """What the page shows, read in one go."""

    conversations: list[plans.ConversationRow]
    account_managers: dict[int, int | None]  # client id -> Account Manager in the plan
    people: list[PersonRow]
    days_off: dict[dt.date, str]
    handovers: list[HandoverRow]


def read_tell_data(session: Session, plan_id: int) -> TellData:
    items = plans.plan_items(session, plan_id)
    return TellData(
        plans.plan_conversations(session, plan_id),
        {i.client_id: i.person_id for i in items
         if i.role == catalog.ROLE_ACCOUNT_MANAGER and i.project_id is None},
        [p for p in records.list_rows(session, "person")
         if isinstance(p, PersonRow) and p.active],
        studio_days_off(session, plan_id), plan_handovers(session, plan_id))


#: Up to this many project handovers are spelt out on the page; more are counted.
_HANDOVERS_LISTED = 3


def project_handovers_text(handovers: list[HandoverRow]) -> str:
    """``Project handovers: Pat Rivera → Sam Lee, 18 projects, on Friday 8 January 2027.``"""
    parts = [f"{h.handover_from} → {h.handover_to}, {len(h.subjects)} project"
             f"{'s' if len(h.subjects) != 1 else ''}, "
             + (f"on {sched.long_date(h.on_date)}" if h.on_date else "not scheduled")
             for h in handovers if h.kind == HANDOVER_PROJECT]
    if not parts:
        return ""
    if len(parts) > _HANDOVERS_LISTED:
        # A big studio has dozens: a count and the days, the list in the tooltip and the
        # printed plan, so the page keeps room for the clients.
        days = sorted(h.on_date for h in handovers
                      if h.kind == HANDOVER_PROJECT and h.on_date is not None)
        span = (f", {sched.long_date(days[0])} to {sched.long_date(days[-1])}"
                if days else "")
        return (f"Project handovers before the change: {len(parts)} meetings{span} "
                "(each is listed in the printed plan).")
    return "Project handovers before the change: " + "; ".join(parts) + "."


def informer_text(row: plans.ConversationRow) -> str:
    """``Sam Lee, introducing Pat Rivera`` in a joint conversation, else the informer."""
    if row.informer is None:
        return "No one yet"
    return f"{row.informer}, introducing {row.introduces}" if row.introduces \
        else row.informer


def handover_text(row: plans.ConversationRow) -> str:
    """``Ana Ruiz → Ben Ode, 2026-03-02`` (empty without a handover)."""
    if row.handover_from is None or row.handover_to is None:
        return ""
    when = f", {row.handover_on.isoformat()}" if row.handover_on else ", not scheduled"
    return f"{row.handover_from} → {row.handover_to}{when}"


def _fingerprint(account_managers: dict[int, int | None]) -> dict[str, int | None]:
    return {str(cid): pid for cid, pid in sorted(account_managers.items())}


class TellPage(PlanPage):
    """The conversation schedule, each client's talking points, and the template."""

    step = "tell_clients"
    heading = "Tell the clients"
    explanation = ("Every client hears about the change before it takes effect, at the "
                   "pace set here, the most important first, from the person who knows "
                   "them: a new Account Manager is introduced by them, after a handover "
                   "meeting between the two. Change who, how or when in place; edit what "
                   "each client is told below.")

    def __init__(self, draft: PlanDraft, parent: QWidget | None = None) -> None:
        super().__init__(draft, parent)
        self.people: dict[int, PersonRow] = {}
        self.account_managers: dict[int, int | None] = {}
        self.model = RowsModel((
            Column("client", "Client", lambda c: c.client),
            Column("outcome", "What changes",
                   lambda c: OUTCOME_SHORT.get(self._outcome(c), ""),
                   tooltip=lambda c: "Told with the template for: "
                   + sched.OUTCOME_LABELS.get(self._outcome(c), "?")),
            Column("informer", "Who informs", informer_text,
                   value=lambda c: c.informer_id, choices=self._informer_choices,
                   change=lambda c, v: self._change(c, informer_id=v)),
            Column("channel", "How", lambda c: CHANNEL_LABELS.get(c.channel, c.channel),
                   value=lambda c: c.channel,
                   choices=lambda _c: [(label, key) for key, label in CHANNEL_LABELS.items()],
                   change=lambda c, v: self._change(c, channel=v)),
            Column("on_date", "When", lambda c: c.on_date.isoformat() if c.on_date
                   else "Not scheduled", value=lambda c: c.on_date, date=True,
                   change=lambda c, v: self._change(c, on_date=v),
                   tooltip=lambda c: sched.long_date(c.on_date) if c.on_date else
                   "Did not fit before the effective date"),
            Column("handover", "Handover first", handover_text,
                   tooltip=lambda c: f"{c.handover_from} hands the client over to "
                   f"{c.handover_to}"
                   + (f" on {sched.long_date(c.handover_on)}" if c.handover_on else "")
                   + ", before the client is told" if c.handover_from else None),
            Column("status", "Status", lambda c: STATUS_LABELS.get(c.status, c.status)),
        ), self, warn=lambda c: c.on_date is None)
        self.table = PlanTable(self.model, "conversations", "Client conversations", self)

        self.weeks_before = QSpinBox(self)
        self.weeks_before.setObjectName("weeks_before")
        self.weeks_before.setAccessibleName("Weeks before the effective date")
        self.weeks_before.setRange(1, 26)
        self.weeks_before.setSuffix(" weeks")
        self.max_per_day = QSpinBox(self)
        self.max_per_day.setObjectName("max_per_day")
        self.max_per_day.setAccessibleName("Conversations per person a day")
        self.max_per_day.setRange(1, 12)
        self.max_per_week = QSpinBox(self)
        self.max_per_week.setObjectName("max_per_week")
        self.max_per_week.setAccessibleName("Conversations per person a week")
        self.max_per_week.setRange(0, 60)
        self.max_per_week.setSpecialValueText("no limit")
        self.max_per_week.setToolTip("Most conversations and handovers a person takes part "
                                     "in a week; “no limit” leaves only the daily one")
        self.plan_button = QPushButton("&Plan the conversations", self)
        self.plan_button.setObjectName("plan_conversations")
        self.plan_button.setToolTip("Spread the conversations again with these settings and "
                                    "the template (edits to single conversations are "
                                    "replaced)")
        self.plan_button.setAutoDefault(False)
        self.plan_button.clicked.connect(self.plan_conversations)
        self.window_label = plain_label("", self, name="schedule_window")
        self.handovers_label = plain_label("", self, name="project_handovers")
        self.message = plain_label("", self, name="schedule_message")

        self.points = QPlainTextEdit(self)
        self.points.setObjectName("talking_points")
        self.points.setAccessibleName("Talking points for the selected client")
        self.points.installEventFilter(self)
        self.points.textChanged.connect(self._points_edited)
        self.points_label = plain_label("", self, name="talking_points_for")
        self.template = QPlainTextEdit(self)
        self.template.setObjectName("talking_points_template")
        self.template.setAccessibleName("Talking points template")
        self.template.textChanged.connect(self._template_edited)
        self.template_note = plain_label("", self, name="template_note")
        self.reset_template = QPushButton("&Reset to the default", self)
        self.reset_template.setObjectName("reset_template")
        self.reset_template.setAutoDefault(False)
        self.reset_template.clicked.connect(
            lambda: self.template.setPlainText(sched.default_template(self._outcome_shown)))
        # One template per outcome; the box shows the one chosen here.
        self._templates: dict[str, str] = {}
        self._outcome_shown: str = sched.OUTCOME_NEW_ACCOUNT_MANAGER
        self.template_outcome = QComboBox(self)
        self.template_outcome.setObjectName("template_outcome")
        self.template_outcome.setAccessibleName("Which clients this template is for")
        for outcome in sched.OUTCOMES:
            self.template_outcome.addItem(sched.OUTCOME_LABELS[outcome], outcome)
        self.template_outcome.currentIndexChanged.connect(self._show_template)
        self.unchanged = QComboBox(self)
        self.unchanged.setObjectName("unchanged_clients")
        self.unchanged.setAccessibleName("What clients whose arrangement stays are sent")
        self.unchanged.addItem("a short note", sched.UNCHANGED_NOTE)
        self.unchanged.addItem("nothing (no conversation)", sched.UNCHANGED_SKIP)

        self.days_off = QPlainTextEdit(self)
        self.days_off.setObjectName("non_working_days")
        self.days_off.setAccessibleName("Days off: one date a line")
        self.days_off.setPlaceholderText("2026-12-25 Christmas Day")
        self.days_off_note = plain_label(
            "No conversation or handover is planned on these days, nor on weekends. One "
            "a line: the date as 2026-12-25, then its name if you like. The list is the "
            "studio's: the next plan starts from it.", self, name="days_off_note")
        self.add_holidays = QPushButton("Add common &public holidays", self)
        self.add_holidays.setObjectName("add_holidays")
        self.add_holidays.setAutoDefault(False)
        self.add_holidays.setToolTip("New Year's Day, Good Friday, Easter Monday, Christmas "
                                     "Day and Boxing Day around the effective date")
        self.add_holidays.clicked.connect(self.add_public_holidays)

        settings = QHBoxLayout()
        settings.addWidget(_buddy("Start telling clients", self.weeks_before, self))
        settings.addWidget(self.weeks_before)
        settings.addWidget(plain_label("before the effective date; at most", self,
                                       wrap=False))
        settings.addWidget(self.max_per_day)
        settings.addWidget(plain_label("conversations per person a day and", self,
                                       wrap=False))
        settings.addWidget(self.max_per_week)
        settings.addWidget(plain_label("a week.", self, wrap=False))
        settings.addStretch(1)
        settings.addWidget(self.plan_button)

        client_tab = QWidget(self)
        client_layout = QVBoxLayout(client_tab)
        client_layout.addWidget(self.points_label)
        client_layout.addWidget(self.points, 1)
        template_tab = QWidget(self)
        template_layout = QVBoxLayout(template_tab)
        chooser = QHBoxLayout()
        chooser.addWidget(_buddy("Template &for", self.template_outcome, self))
        chooser.addWidget(self.template_outcome)
        chooser.addSpacing(24)
        chooser.addWidget(_buddy("Clients for whom nothing changes &get", self.unchanged,
                                 self))
        chooser.addWidget(self.unchanged)
        chooser.addStretch(1)
        template_layout.addLayout(chooser)
        template_layout.addWidget(self.template, 1)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template_note, 1)
        template_row.addWidget(self.reset_template)
        template_layout.addLayout(template_row)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("talking_points_tabs")
        self.tabs.addTab(client_tab, "Talking points for this &client")
        self.tabs.addTab(template_tab, "&Templates")
        days_tab = QWidget(self)
        days_layout = QVBoxLayout(days_tab)
        days_row = QHBoxLayout()
        days_row.addWidget(self.days_off_note, 1)
        days_row.addWidget(self.add_holidays)
        days_layout.addLayout(days_row)
        days_layout.addWidget(self.days_off, 1)
        self.tabs.addTab(days_tab, "&Days off")

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(settings)
        layout.addWidget(self.window_label)
        layout.addWidget(self.handovers_label)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self._days_off: dict[dt.date, str] = {}
        self._points_for: plans.ConversationRow | None = None
        self._points_dirty = False
        self._sized = False
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

    # Showing ----------------------------------------------------------------------------

    def load(self) -> None:
        """The saved settings and template; the conversations (planned now if there are
        none yet)."""
        saved = self.draft.plan.step(self.step) if self.draft.plan else {}
        self.weeks_before.setValue(int(saved.get("weeks_before", sched.DEFAULT_WEEKS_BEFORE)))
        self.max_per_day.setValue(int(saved.get("max_per_day", sched.DEFAULT_MAX_PER_DAY)))
        self.max_per_week.setValue(int(saved.get("max_per_week",
                                                 sched.DEFAULT_MAX_PER_WEEK)))
        self.unchanged.setCurrentIndex(max(0, self.unchanged.findData(
            saved.get("unchanged", sched.DEFAULT_UNCHANGED))))
        chosen = dict(saved.get("templates") or {})
        chosen[sched.OUTCOME_NEW_ACCOUNT_MANAGER] = saved.get("template")
        self._templates = {o: chosen.get(o) or sched.default_template(o)
                           for o in sched.OUTCOMES}
        self._outcome_shown = str(self.template_outcome.currentData())
        with QSignalBlocker(self.template):
            self.template.setPlainText(self._templates[self._outcome_shown])
        self._template_edited()
        self.read()
        self.days_off.setPlainText(sched.non_working_text(self._days_off))
        if not self.model.rowCount() and self.draft.is_draft and self.account_managers:
            self.plan_conversations()

    def read(self) -> None:
        """Read the conversations again and show them, keeping the selected client."""
        selected = self.selected()
        data = self.draft.read(read_tell_data)
        self.people = {p.id: p for p in data.people}
        self.account_managers = data.account_managers
        self._days_off = data.days_off
        self.handovers_label.setText(project_handovers_text(data.handovers))
        self.handovers_label.setToolTip("\n".join(
            f"{h.handover_from} → {h.handover_to}: {', '.join(h.subjects)}"
            + (f" ({sched.long_date(h.on_date)})" if h.on_date else "")
            for h in data.handovers if h.kind == HANDOVER_PROJECT))
        self.handovers_label.setVisible(bool(self.handovers_label.text()))
        self._points_for = None
        self.model.set_rows(data.conversations)
        if data.conversations and not self._sized:
            self._sized = True
            self.table.fit_columns(widest=260)
        client = selected.client_id if selected else \
            (self.draft.plan.step(self.step).get("selected") if self.draft.plan else None)
        self._select(client)
        self._show_schedule()

    def _outcome(self, row: plans.ConversationRow) -> str:
        plan = self.draft.plan
        outcomes = plan.step(self.step).get("outcomes", {}) if plan else {}
        return str(outcomes.get(str(row.client_id), ""))

    def _show_template(self, *_args: object) -> None:
        """Keep the text typed for the outcome shown, and show the chosen one's."""
        self._templates[self._outcome_shown] = self.template.toPlainText()
        self._outcome_shown = str(self.template_outcome.currentData())
        with QSignalBlocker(self.template):
            self.template.setPlainText(self._templates.get(self._outcome_shown) or
                                       sched.default_template(self._outcome_shown))
        self._template_edited()

    def templates(self) -> dict[str, str]:
        """The template of each outcome as shown (an emptied one is the default)."""
        self._templates[self._outcome_shown] = self.template.toPlainText()
        shown = {}
        for outcome in sched.OUTCOMES:
            text = self._templates.get(outcome) or ""
            shown[outcome] = text if text.strip() else sched.default_template(outcome)
        return shown

    def add_public_holidays(self) -> None:
        """Add the common public holidays around the effective date to the list."""
        try:
            days = sched.parse_non_working_days(self.days_off.toPlainText())
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        plan = self.draft.plan
        year = (plan.effective_date if plan and plan.effective_date else dt.date.today()).year
        holidays = sched.common_public_holidays(dt.date(year - 1, 1, 1),
                                                dt.date(year + 1, 12, 31))
        self.days_off.setPlainText(sched.non_working_text(holidays | days))

    def _select(self, client_id: Any) -> None:
        rows = self.model.rows()
        position = next((i for i, c in enumerate(rows) if c.client_id == client_id), 0)
        if rows:
            self.table.setCurrentIndex(self.model.index(position, 0))
        else:
            self._row_changed()

    def selected(self) -> plans.ConversationRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _show_schedule(self) -> None:
        rows = self.model.rows()
        plan = self.draft.plan
        saved = plan.step(self.step) if plan else {}
        dates = [c.on_date for c in rows if c.on_date]
        effective = plan.effective_date if plan else None
        if dates:
            text = (f"{len(rows)} clients to tell, from {sched.long_date(min(dates))} to "
                    f"{sched.long_date(max(dates))}")
            if effective:
                text += f"; the change takes effect on {sched.long_date(effective)}"
            self.window_label.setText(text + ".")
        else:
            self.window_label.setText("No conversations planned yet." if not rows else
                                      "No conversation has a date yet.")
        notes = []
        if saved.get("message") and not saved.get("fits", True):
            notes.append(str(saved["message"]))
        if self.is_stale():
            notes.append("The Account Managers changed on the Assign page since the "
                         "conversations were planned: press Plan the conversations again.")
        self.message.setText(" ".join(notes))
        self.message.setVisible(bool(notes))
        set_warning(self.message, bool(notes))

    def is_stale(self) -> bool:
        """Whether the plan's Account Managers differ from those the schedule was made
        for (a schedule made elsewhere, without a record of them, is taken as current)."""
        plan = self.draft.plan
        planned_for = plan.step(self.step).get("planned_for") if plan else None
        if not isinstance(planned_for, dict) or not self.model.rowCount():
            return False
        return planned_for != _fingerprint(self.account_managers)

    def _row_changed(self, *_args: object) -> None:
        self.save_talking_points()
        row = self.selected()
        self._points_for = row
        with QSignalBlocker(self.points):
            self.points.setPlainText(row.talking_points if row else "")
        self._points_dirty = False
        self.points.setEnabled(row is not None)
        self.points_label.setText(f"What {row.informer or 'the studio'} tells {row.client}:"
                                  if row else "Select a client to see what they are told.")

    def _template_edited(self) -> None:
        unknown = sched.unknown_placeholders(self.template.toPlainText())
        known = ", ".join("{" + p + "}" for p in sched.PLACEHOLDERS)
        text = f"Filled in for each client: {known}."
        if unknown:
            text += " Not filled in (check the spelling): " + ", ".join(
                "{" + u + "}" for u in unknown) + "."
        text += " Plan the conversations again to use an edited template."
        self.template_note.setText(text)
        set_warning(self.template_note, bool(unknown))

    # Changing ---------------------------------------------------------------------------

    def _informer_choices(self, _row: plans.ConversationRow) -> list[tuple[str, int | None]]:
        return [("No one yet", None)] + [
            (p.name, p.id) for p in sorted(self.people.values(), key=lambda p: p.name.casefold())]

    def _change(self, row: plans.ConversationRow, **changes: Any) -> bool:
        """Save one cell of a conversation; the table shows the saved row."""
        if "on_date" in changes and not isinstance(changes["on_date"], dt.date | None):
            return False
        try:
            saved = self.draft.write(lambda s, _plan_id: plans.update_conversation(
                s, row.id, row.version, **changes))
        except ConflictError as exc:
            show_problem(self, str(exc))
            # Not at once: the chooser may still be handing over its value.
            QTimer.singleShot(0, self, self.read)
            return False
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return False
        self._replace(saved)
        return True

    def _replace(self, saved: plans.ConversationRow) -> None:
        for position, row in enumerate(self.model.rows()):
            if row.id == saved.id:
                self.model.replace(position, saved)
                if self._points_for is not None and self._points_for.id == saved.id:
                    self._points_for = saved
                break

    def _points_edited(self) -> None:
        self._points_dirty = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Leaving the talking points box saves them."""
        if watched is self.points and event.type() == QEvent.Type.FocusOut:
            self.save_talking_points()
        return super().eventFilter(watched, event)

    def save_talking_points(self) -> bool:
        """Save the talking points typed for the selected client (if changed)."""
        row = self._points_for
        if row is None or not self._points_dirty:
            return True
        text = self.points.toPlainText()
        try:
            saved = self.draft.write(lambda s, _plan_id: plans.update_conversation(
                s, row.id, row.version, talking_points=text))
        except ConflictError as exc:
            if isinstance(exc.theirs, plans.ConversationRow):
                # The text typed stays in the box; saving again puts it over theirs.
                self._points_for = exc.theirs
            show_problem(self.draft.problem_parent(self),
                         f"{exc} Your text is still in the box: save again (leave the "
                         "box) to keep it instead of theirs.")
            return False
        except StudioDeskError as exc:
            show_problem(self.draft.problem_parent(self), str(exc))
            return False
        self._points_dirty = False
        self._replace(saved)
        return True

    def plan_conversations(self) -> None:
        """Spread the conversations with the settings and template shown."""
        weeks, per_day = self.weeks_before.value(), self.max_per_day.value()
        per_week = self.max_per_week.value()
        templates = self.templates()
        template = templates[sched.OUTCOME_NEW_ACCOUNT_MANAGER]
        unchanged = str(self.unchanged.currentData())
        try:
            days_off = sched.parse_non_working_days(self.days_off.toPlainText())
        except StudioDeskError as exc:
            self.tabs.setCurrentIndex(2)
            show_problem(self, str(exc))
            return

        def work(session: Session, plan_id: int) -> plans.PlanSchedule:
            result = plans.schedule_plan(
                session, plan_id, weeks_before=weeks, max_per_day=per_day,
                max_per_week=per_week, non_working_days=days_off, template=template,
                templates=dict(templates), unchanged=unchanged)
            # Note which Account Managers this schedule was made for, to notice when the
            # Assign page changes them later.
            plan = plans.load_plan(session, plan_id)
            data = plan.step(self.step)
            data["planned_for"] = _fingerprint(read_tell_data(session, plan_id)
                                               .account_managers)
            plans.save_step(session, plan_id, self.step, data, plan.current_step)
            return result

        self._points_dirty = False
        try:
            self.draft.write(work)
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        self.read()

    # Leaving ----------------------------------------------------------------------------

    def before_saving(self) -> bool:
        return self.save_talking_points()

    def step_data(self) -> dict[str, Any]:
        data = self.draft.plan.step(self.step) if self.draft.plan else {}
        templates = self.templates()
        selected = self.selected()
        data.update({
            "weeks_before": self.weeks_before.value(),
            "max_per_day": self.max_per_day.value(),
            "max_per_week": self.max_per_week.value(),
            "unchanged": self.unchanged.currentData(),
            "template": None if templates[sched.OUTCOME_NEW_ACCOUNT_MANAGER]
            == sched.default_talking_points() else templates[sched.OUTCOME_NEW_ACCOUNT_MANAGER],
            "templates": {o: None if t == sched.default_template(o) else t
                          for o, t in templates.items()
                          if o != sched.OUTCOME_NEW_ACCOUNT_MANAGER},
            "selected": selected.client_id if selected else None,
        })
        try:
            days_off = sched.parse_non_working_days(self.days_off.toPlainText())
        except StudioDeskError:
            pass  # kept as last planned; Plan the conversations names the bad line
        else:
            data["non_working_days"] = [[d.isoformat(), n] for d, n in days_off.items()]
        return data

    def problem(self) -> str | None:
        if not self.model.rowCount():
            return "Plan the conversations first (press Plan the conversations)."
        if self.is_stale():
            return ("The Account Managers changed since the conversations were planned: "
                    "press Plan the conversations again.")
        return None


def _buddy(text: str, widget: QWidget, parent: QWidget) -> QLabel:
    label = plain_label(text, parent, wrap=False)
    label.setBuddy(widget)
    return label
