"""The Plans page: every transition plan, and the client checklist of an applied one.

The top table lists the plans (scenarios and applied ones) with how far each has got;
New plan…, Open in wizard, Copy, Compare…, Rename… and Delete… work on them: a copy
is a new draft of any plan, applied or not (a scenario to change freely), and Compare…
sets two plans side by side (``gui/plan_compare.py``). Below it, the selected plan's
client conversations: who tells each client, how and when. Once a plan is applied they
are a checklist: each conversation goes planned → informed → settled, and the progress
("7 of 12 clients informed") follows. Under them, the handover meetings (clients to a new
Account Manager, projects to a new Production Manager), each ticked off when done.

Renaming a plan and marking a conversation are steps on the window's undo stack
(``gui/undo.py``'s pattern, versions checked on every step). Creating, copying and deleting
a plan are not: a new plan or a copy is a draft that Delete… removes, and deleting one asks
first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QObject, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from studio_desk.core import schedule
from studio_desk.core.errors import StudioDeskError, ValidationError
from studio_desk.core.report import plan_file_name
from studio_desk.gui.desk import Desk
from studio_desk.gui.messages import show_problem, show_status
from studio_desk.gui.plan_compare import PlanCompareDialog
from studio_desk.gui.plan_review import PlanReviewDialog
from studio_desk.gui.responsibilities import (
    HEADER_ALIGNMENT,
    ChoiceDelegate,
    NameDialog,
    RowRole,
    make_button,
    make_label,
    make_table,
    table_action,
)
from studio_desk.gui.tables import RowsById
from studio_desk.gui.undo import RecordCommand
from studio_desk.store import plans
from studio_desk.store.plans import ConversationRow, PlanRow
from studio_desk.store.plans.calendar import write_plan_calendar
from studio_desk.store.plans.schedule import (
    HANDOVER_CLIENT,
    HandoverRow,
    plan_handovers,
    set_handover_status,
)

#: Kinds these records are announced under by the desk's notices (``Desk.row_saved``).
PLAN = "plan"
CONVERSATION = "plan_conversation"

#: What each wizard step is called on screen (``plans.WIZARD_STEPS``).
STEP_TITLES = {
    "start": "Start",
    "responsibilities": "What needs to get done",
    "people": "People",
    "inventory": "Clients and projects",
    "assign": "Assign",
    "tell_clients": "Tell the clients",
    "review": "Review and print",
}
STATUS_LABELS = {plans.STATUS_DRAFT: "Draft", plans.STATUS_APPLIED: "Applied",
                 plans.STATUS_DONE: "Done"}
CONVERSATION_LABELS = {"planned": "Planned", "informed": "Informed", "settled": "Settled"}
CHANNEL_LABELS = {"meeting": "Meeting", "call": "Call", "email": "Email"}
#: Keys that mark the selected conversation, in the order of ``CONVERSATION_STATUSES``.
STATUS_KEYS = ("Ctrl+1", "Ctrl+2", "Ctrl+3")

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
           "Dec")
_TOOLTIP_LIMIT = 1200


def short_date(day: dt.date | None, *, weekday: bool = False) -> str:
    """``2 Mar 2026`` (``Mon 2 Mar 2026`` with ``weekday``); empty for no date."""
    if day is None:
        return ""
    text = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return f"{_DAYS[day.weekday()]} {text}" if weekday else text


def when_changed(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """A stored (UTC) time as the reader's clock shows it: ``today 14:05``,
    ``yesterday 09:12`` or ``2 Mar 2026 14:05``."""
    local = moment.replace(tzinfo=dt.UTC).astimezone()
    today = (now or dt.datetime.now().astimezone()).date()
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if local.date() == today:
        return f"today {clock}"
    if local.date() == today - dt.timedelta(days=1):
        return f"yesterday {clock}"
    return f"{short_date(local.date())} {clock}"


def _count(n: int, word: str) -> str:
    return f"{n} {word if n == 1 else word + 's'}"


@dataclass(frozen=True)
class PlanEntry:
    """A plan with how far its client conversations have got."""

    plan: PlanRow
    informed: int
    settled: int
    total: int

    @property
    def id(self) -> int:
        return self.plan.id

    @property
    def is_draft(self) -> bool:
        return self.plan.status == plans.STATUS_DRAFT

    @property
    def progress(self) -> str:
        """``7 of 12 clients informed``, or where a draft's wizard stopped."""
        if self.is_draft:
            step = self.plan.current_step
            number = plans.WIZARD_STEPS.index(step) + 1 if step in plans.WIZARD_STEPS else 1
            return (f"In the wizard: {STEP_TITLES.get(step, step)} "
                    f"(step {number} of {len(plans.WIZARD_STEPS)})")
        if not self.total:
            return "No client conversations"
        text = f"{self.informed} of {self.total} clients informed"
        if self.settled == self.total:
            text += ", all settled"
        return text


def read_entry(session: Session, plan_id: int) -> PlanEntry:
    """One plan and its progress."""
    return PlanEntry(plans.load_plan(session, plan_id), *plans.plan_progress(session, plan_id))


def read_entries(session: Session) -> list[PlanEntry]:
    """Every plan (drafts first, then by name) and its progress."""
    return [PlanEntry(plan, *plans.plan_progress(session, plan.id))
            for plan in plans.list_plans(session)]


# --------------------------------------------------------------------------- commands


class RenamePlan(RecordCommand):
    """Give a plan another name."""

    def __init__(self, desk: Desk, plan: PlanRow, name: str) -> None:
        after = desk.write_now(lambda s: plans.rename_plan(s, plan.id, name,
                                                           expected_version=plan.version))
        super().__init__(desk, PLAN, f"Rename plan “{plan.name}”")
        self.row, self._old, self._new = after, plan.name, after.name
        desk.saved(PLAN, after)

    def _write(self, name: str) -> None:
        desk, row = self.desk, self.row
        self.row = desk.write_now(lambda s: plans.rename_plan(
            s, row.id, name, expected_version=desk.version_of(PLAN, row)))
        desk.saved(PLAN, self.row)

    def undo_change(self) -> None:
        self._write(self._old)

    def redo_change(self) -> None:
        self._write(self._new)


class SetReviewDate(RecordCommand):
    """Choose the day an applied plan is due for review (the dashboard reminds then)."""

    def __init__(self, desk: Desk, plan: PlanRow, day: dt.date | None) -> None:
        self._old, self._new = plan.review_on, day
        after = desk.write_now(lambda s: plans.set_review_date(s, plan.id, day))
        super().__init__(desk, PLAN, f"Set the review date of “{plan.name}”")
        self.row = after
        desk.saved(PLAN, after)

    def _write(self, day: dt.date | None) -> None:
        plan_id = self.row.id
        self.row = self.desk.write_now(lambda s: plans.set_review_date(s, plan_id, day))
        self.desk.saved(PLAN, self.row)

    def undo_change(self) -> None:
        self._write(self._old)

    def redo_change(self) -> None:
        self._write(self._new)


class CalendarFileDialog:
    """Where to save a plan's calendar."""

    @classmethod
    def ask_save(cls, parent: QWidget | None, suggested: Path) -> Path | None:
        """The file chosen (``.ics`` added when left off), or None when cancelled."""
        name, _filter = QFileDialog.getSaveFileName(parent, "Export plan calendar",
                                                    str(suggested),
                                                    "Calendar files (*.ics)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".ics" else path.with_name(path.name + ".ics")


class MarkConversation(RecordCommand):
    """Mark one client conversation planned, informed or settled."""

    def __init__(self, desk: Desk, conversation: ConversationRow, status: str) -> None:
        label = CONVERSATION_LABELS.get(status, status).lower()
        super().__init__(desk, CONVERSATION, f"Mark “{conversation.client}” {label}")
        self.conversation = conversation
        self._old, self._new = conversation.status, status
        self.version = conversation.version
        self._set(desk, status)

    def _set(self, desk: Desk, status: str) -> None:
        conversation_id, plan_id = self.conversation.id, self.conversation.plan_id
        expected = self.version

        def work(s: Session) -> tuple[int, ConversationRow, int]:
            before = plans.load_plan(s, plan_id).version
            row = plans.set_conversation_status(s, conversation_id, status,
                                                expected_version=expected)
            return before, row, plans.load_plan(s, plan_id).version

        before, row, after = desk.write_now(work)
        self.version = row.version
        # Marking raises the plan's version too; an undo of this window's rename must
        # not take that for a colleague's change (but still notices a real one).
        if desk.versions.get((PLAN, plan_id)) == before:
            desk.versions[(PLAN, plan_id)] = after
        desk.saved(CONVERSATION, row)

    def undo_change(self) -> None:
        self._set(self.desk, self._old)

    def redo_change(self) -> None:
        self._set(self.desk, self._new)


class MarkHandover(RecordCommand):
    """Tick a handover meeting done, or planned again (the checklist after apply)."""

    def __init__(self, desk: Desk, plan_id: int, handover: HandoverRow, status: str,
                 shown: Callable[[int], None]) -> None:
        label = "done" if status == "done" else "not done"
        super().__init__(desk, PLAN, f"Mark handover {handover.handover_from} → "
                                     f"{handover.handover_to} {label}")
        self.plan_id, self.key, self.shown = plan_id, handover.key, shown
        self._old, self._new = handover.status, status
        self._set(status)

    def _set(self, status: str) -> None:
        plan_id, key = self.plan_id, self.key

        def work(s: Session) -> tuple[int, int]:
            before = plans.load_plan(s, plan_id).version
            set_handover_status(s, plan_id, key, status)
            return before, plans.load_plan(s, plan_id).version

        before, after = self.desk.write_now(work)
        # As with a conversation: the plan's version rises with the tick, which is this
        # window's own change, not a colleague's.
        if self.desk.versions.get((PLAN, plan_id)) == before:
            self.desk.versions[(PLAN, plan_id)] = after
        self.shown(plan_id)

    def undo_change(self) -> None:
        self._set(self._old)

    def redo_change(self) -> None:
        self._set(self._new)


# --------------------------------------------------------------------------- models


class _TitledModel(QAbstractTableModel):
    """A table model of ``_rows`` under the column titles ``HEADERS``."""

    HEADERS: tuple[str, ...] = ()
    _rows: list[Any]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        """The rows shown; a table has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        """One column per title; a table has no children."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles; rows have none."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return HEADER_ALIGNMENT
        return None


class PlanListModel(RowsById, _TitledModel):
    """Every plan: name, status, team structure, effective date, progress, last change."""

    HEADERS = ("Plan", "Status", "Team structure", "Effective", "Progress", "Last changed")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PlanEntry] = []

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, a longer tooltip, or the plan entry behind the row."""
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        plan, column = entry.plan, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (plan.name, STATUS_LABELS.get(plan.status, plan.status),
                    plan.template or "", short_date(plan.effective_date), entry.progress,
                    f"{plan.updated_by}, {when_changed(plan.updated_at)}")[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 4 and not entry.is_draft and entry.total:
                return (f"{entry.informed} of {entry.total} clients informed, "
                        f"{entry.settled} settled.")
            if column == 5:
                applied = (f"\nApplied by {plan.applied_by}, {when_changed(plan.applied_at)}."
                           if plan.applied_by and plan.applied_at else "")
                return (f"Made by {plan.created_by}, {when_changed(plan.created_at)}."
                        f"\nLast changed by {plan.updated_by}, "
                        f"{when_changed(plan.updated_at)}.{applied}")
            return None
        if role == RowRole:
            return entry
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        """Plans are selected here and changed with the page's buttons."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)


    def upsert(self, entry: PlanEntry) -> None:
        """Show a changed plan in place, or a new one at the end."""
        position = self.position_of(entry.id)
        if position >= 0:
            self._rows[position] = entry
            self.dataChanged.emit(self.index(position, 0),
                                  self.index(position, len(self.HEADERS) - 1), [])
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(entry)
        self.endInsertRows()

    def remove(self, plan_id: int) -> None:
        position = self.position_of(plan_id)
        if position >= 0:
            self.beginRemoveRows(QModelIndex(), position, position)
            del self._rows[position]
            self.endRemoveRows()


class ConversationModel(RowsById, _TitledModel):
    """A plan's client conversations by date; the status is editable on a checklist."""

    HEADERS = ("Client", "Who informs", "How", "When", "Handover first", "Status")
    STATUS_COLUMN = 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ConversationRow] = []
        #: Called with (conversation, status) when the status cell is edited; returns
        #: whether it was saved. None: the list is read-only (no workspace, a draft plan).
        self.edit_handler: Callable[[ConversationRow, str], bool] | None = None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, the stored status, the talking points, or the row."""
        if not index.isValid():
            return None
        talk = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(talk, column)
        if role == Qt.ItemDataRole.EditRole:
            return talk.status if column == self.STATUS_COLUMN else self._text(talk, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0 and talk.talking_points:
                points = talk.talking_points
                return points[:_TOOLTIP_LIMIT] + ("…" if len(points) > _TOOLTIP_LIMIT else "")
            if column == self.STATUS_COLUMN:
                return (f"Planned → informed → settled. Change it with F2 or "
                        f"{', '.join(STATUS_KEYS)}.")
            return None
        if role == RowRole:
            return talk
        return None

    @staticmethod
    def _text(talk: ConversationRow, column: int) -> str:
        if column == 0:
            return talk.client
        if column == 1:
            if talk.informer and talk.introduces:
                return f"{talk.informer}, introducing {talk.introduces}"
            return talk.informer or "no one yet"
        if column == 2:
            return CHANNEL_LABELS.get(talk.channel, talk.channel)
        if column == 3:
            return short_date(talk.on_date, weekday=True) if talk.on_date else "not scheduled"
        if column == 4:
            if talk.handover_from and talk.handover_to:
                on = f", {short_date(talk.handover_on, weekday=True)}" if talk.handover_on \
                    else ""
                return f"{talk.handover_from} → {talk.handover_to}{on}"
            return ""
        return CONVERSATION_LABELS.get(talk.status, talk.status)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        """Every cell can be selected; the status of a checklist can be edited."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                 | Qt.ItemFlag.ItemNeverHasChildren)
        if self.edit_handler is not None and index.column() == self.STATUS_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Hand a new status to the edit handler; the saved row comes back by
        :meth:`upsert`."""
        if (not index.isValid() or role != Qt.ItemDataRole.EditRole
                or index.column() != self.STATUS_COLUMN or self.edit_handler is None
                or value not in plans.CONVERSATION_STATUSES):
            return False
        talk = self._rows[index.row()]
        if value == talk.status:
            return True
        return self.edit_handler(talk, str(value))


    def upsert(self, talk: ConversationRow) -> None:
        """Show a conversation whose status changed (only if it is listed here)."""
        position = self.position_of(talk.id)
        if position >= 0:
            self._rows[position] = talk
            self.dataChanged.emit(self.index(position, 0),
                                  self.index(position, len(self.HEADERS) - 1), [])


class HandoverModel(_TitledModel):
    """A plan's handover meetings by date; on a checklist each can be ticked done."""

    HEADERS = ("When", "Handover", "What is handed over", "Done")
    DONE_COLUMN = 3

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[HandoverRow] = []
        #: Called with (handover, status) when Done is ticked; None: read-only.
        self.edit_handler: Callable[[HandoverRow, str], bool] | None = None

    def set_rows(self, rows: Sequence[HandoverRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[HandoverRow]:
        return list(self._rows)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, the Done tick, the full list of what is handed over, or the row."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == self.DONE_COLUMN:
            return (Qt.CheckState.Checked if row.status == "done"
                    else Qt.CheckState.Unchecked)
        if role == Qt.ItemDataRole.ToolTipRole and column == 2:
            return "\n".join(row.subjects)[:_TOOLTIP_LIMIT]
        if role == RowRole:
            return row
        return None

    @staticmethod
    def _text(row: HandoverRow, column: int) -> str:
        if column == 0:
            return short_date(row.on_date, weekday=True) if row.on_date else "not scheduled"
        if column == 1:
            return f"{row.handover_from} → {row.handover_to}"
        if column == 2:
            kind = "client" if row.kind == HANDOVER_CLIENT else "project"
            return f"{_count(len(row.subjects), kind)}: {', '.join(row.subjects)}"
        return "Done" if row.status == "done" else "Planned"

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        """Every cell can be selected; Done can be ticked on a checklist."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                 | Qt.ItemFlag.ItemNeverHasChildren)
        if self.edit_handler is not None and index.column() == self.DONE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: QModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Tick or untick Done through the edit handler; the saved row comes back by
        :meth:`set_rows`."""
        if (not index.isValid() or role != Qt.ItemDataRole.CheckStateRole
                or index.column() != self.DONE_COLUMN or self.edit_handler is None):
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        return self.edit_handler(self._rows[index.row()], "done" if checked else "planned")


# --------------------------------------------------------------------------- dialogs


class NewPlanDialog(QDialog):
    """Name a new plan, pick its team structure and its effective date."""

    def __init__(self, templates: Sequence[tuple[int, str]], effective: dt.date,
                 submit: Callable[[str, int | None, dt.date], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new_plan_dialog")
        self.setWindowTitle("New plan")
        self.setAccessibleName("New plan")
        self._submit = submit
        self.name = QLineEdit(self)
        self.name.setObjectName("plan_name")
        self.name.setAccessibleName("Name of the plan")
        self.name.setPlaceholderText("e.g. Spring split")
        self.template = QComboBox(self)
        self.template.setObjectName("plan_template")
        self.template.setAccessibleName("Team structure")
        for template_id, name in templates:
            self.template.addItem(name, template_id)
        self.effective = QDateEdit(QDate(effective.year, effective.month, effective.day),
                                   self)
        self.effective.setObjectName("plan_effective_date")
        self.effective.setAccessibleName("Effective date")
        self.effective.setCalendarPopup(True)
        self.effective.setDisplayFormat("ddd d MMM yyyy")
        self.problem = make_label(self, "problem", warning=True)
        self.problem.setVisible(False)
        note = make_label(self, "new_plan_note")
        note.setText("Clients are told in the weeks before the effective date. The wizard "
                     "takes the plan from here, page by page.")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for text, editor in (("&Name:", self.name), ("&Team structure:", self.template),
                             ("&Effective date:", self.effective)):
            label = QLabel(text, self)
            label.setBuddy(editor)
            form.addRow(label, editor)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.setAccessibleName("OK or cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.name.setFocus()

    def accept(self) -> None:
        """Make the plan; on a problem say why and keep what was typed."""
        day = self.effective.date()
        try:
            self._submit(self.name.text(), self.template.currentData(),
                         dt.date(day.year(), day.month(), day.day()))
        except ValidationError as exc:
            self.problem.setText(str(exc))
            self.problem.setVisible(True)
            self.name.setFocus()
            return
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, templates: Sequence[tuple[int, str]],
            effective: dt.date, submit: Callable[[str, int | None, dt.date], object]) -> bool:
        """Show the dialog until ``submit`` makes the plan (True) or it is cancelled."""
        dialog = cls(templates, effective, submit, parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()


class ConfirmPlanDelete:
    """The question asked before a plan is deleted (which cannot be undone)."""

    @classmethod
    def ask(cls, parent: QWidget | None, text: str) -> bool:
        """Whether the user confirms; Enter keeps the plan."""
        box = QMessageBox(QMessageBox.Icon.Question, "Delete plan", text,
                          QMessageBox.StandardButton.NoButton, parent)
        box.setObjectName("confirm_plan_delete")
        box.setTextFormat(Qt.TextFormat.PlainText)
        delete = box.addButton("&Delete plan", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.setAccessibleName("Delete plan")
        try:
            box.exec()
            return box.clickedButton() is delete
        finally:
            box.deleteLater()


# --------------------------------------------------------------------------- the page


class PlansView(QWidget):
    """A page of the main window: the plans, and the selected plan's client checklist."""

    title = "Plans"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plans_view")
        self.setAccessibleName(self.title)
        self.desk: Desk | None = None
        self._generation = 0
        self._talks_generation = 0
        self._shown_plan: int | None = None

        self.new_button = make_button(self, "&New plan…", "new_plan",
                                      "Start a transition plan (a draft the wizard fills)",
                                      self.new_plan)
        self.wizard_button = make_button(self, "Open in &wizard", "open_in_wizard",
                                         "Carry on with the selected plan in the transition "
                                         "wizard (Enter)", self.open_in_wizard)
        self.copy_button = make_button(self, "Cop&y", "copy_plan",
                                       "Copy the selected plan, applied or not, into a new "
                                       "draft to change freely", self.copy)
        self.compare_button = make_button(self, "Co&mpare…", "compare_plans",
                                          "Set the selected plan side by side with another",
                                          self.compare)
        self.review_button = make_button(self, "Re&view…", "review_plan",
                                         "Set the applied plan beside the studio as it is "
                                         "now, and choose when it is due for review",
                                         self.review)
        self.calendar_button = make_button(self, "E&xport calendar…", "export_calendar",
                                           "Save the plan's client conversations and "
                                           "handover meetings as a calendar file (.ics)",
                                           self.export_calendar)
        self.rename_button = make_button(self, "&Rename…", "rename_plan",
                                         "Rename the selected plan (F2)", self.rename)
        self.delete_button = make_button(self, "&Delete…", "delete_plan",
                                         "Delete the selected plan (Delete)", self.delete)
        self.count_label = make_label(self, "plans_count", "Number of plans", wrap=False)
        self.model = PlanListModel(self)
        self.table = make_table("plans_table", "Plans table", self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, sample in enumerate(("Spring split: Account and Production", "Applied",
                                         "Account Manager + Production Manager",
                                         "30 Sep 2026", "In the wizard: Clients and projects "
                                         "(step 4 of 7)")):
            header.resizeSection(column, self.fontMetrics().horizontalAdvance(sample) + 24)
        self.table.activated.connect(lambda _index: self.open_in_wizard())
        table_action(self.table, "Copy", "copy_plan_action", "", self.copy)
        table_action(self.table, "Compare…", "compare_plans_action", "", self.compare)
        table_action(self.table, "Rename…", "rename_plan_action", "F2", self.rename)
        table_action(self.table, "Delete…", "delete_plan_action", "Delete", self.delete)

        self.talks_box = QGroupBox("Client conversations", self)
        self.talks_box.setObjectName("conversations_box")
        self.progress_label = make_label(self.talks_box, "plan_progress", "Progress",
                                         wrap=False)
        self.progress_bar = QProgressBar(self.talks_box)
        self.progress_bar.setObjectName("plan_progress_bar")
        self.progress_bar.setAccessibleName("Clients informed")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(self.fontMetrics().height())
        self.talks_note = make_label(self.talks_box, "conversations_note")
        self.talks = ConversationModel(self)
        self.talks_table = make_table("conversations_table", "Client conversations",
                                      self.talks_box)
        self.talks_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.talks_table.setModel(self.talks)
        self.talks_table.setItemDelegateForColumn(ConversationModel.STATUS_COLUMN, ChoiceDelegate(
            [(s, CONVERSATION_LABELS[s]) for s in plans.CONVERSATION_STATUSES], "Status",
            self.talks_table))
        talks_header = self.talks_table.horizontalHeader()
        talks_header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        talks_header.setStretchLastSection(True)
        for column, sample in enumerate(("Borealis Savings Bank & Co",
                                         "Ana Ruiz-Fischer, introducing Ben Ode", "Meeting",
                                         "Wed 28 Sep 2026",
                                         "Ana Ruiz-Fischer → Ben Ode, Wed 28 Sep 2026")):
            talks_header.resizeSection(column,
                                       self.fontMetrics().horizontalAdvance(sample) + 24)
        self.status_actions = [
            table_action(self.talks_table, f"Mark {CONVERSATION_LABELS[s].lower()}",
                         f"mark_{s}", keys, lambda _checked=False, s=s: self.mark(s))
            for s, keys in zip(plans.CONVERSATION_STATUSES, STATUS_KEYS, strict=True)]
        self.status_buttons = [
            make_button(self.talks_box, text, f"mark_{s}_button",
                        f"Mark the selected conversation {CONVERSATION_LABELS[s].lower()} "
                        f"({keys})", lambda _checked=False, s=s: self.mark(s))
            for s, text, keys in zip(plans.CONVERSATION_STATUSES,
                                     ("P&lanned", "&Informed", "&Settled"), STATUS_KEYS,
                                     strict=True)]
        mark_label = QLabel("Mark as:", self.talks_box)
        self.handovers = HandoverModel(self)
        self.handovers_label = make_label(self.talks_box, "handovers_label")
        self.handovers_table = make_table("handovers_table", "Handover meetings",
                                          self.talks_box)
        self.handovers_table.setSelectionBehavior(
            QAbstractItemView.SelectionBehavior.SelectRows)
        self.handovers_table.setModel(self.handovers)
        handovers_header = self.handovers_table.horizontalHeader()
        handovers_header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        handovers_header.setStretchLastSection(False)
        for column, sample in enumerate(("Wed 28 Sep 2026",
                                         "Ana Ruiz-Fischer → Kwame Mensah-Owusu",
                                         "6 clients: Client 07, Client 08, Client 09, "
                                         "Client 10", "Planned")):
            # The Done column holds a tick box beside its word.
            extra = 48 if column == HandoverModel.DONE_COLUMN else 24
            handovers_header.resizeSection(column,
                                           self.fontMetrics().horizontalAdvance(sample) + extra)
        # What is handed over takes the width left, so the tick column stays whole.
        handovers_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        top = QHBoxLayout()
        for button in (self.new_button, self.wizard_button, self.copy_button,
                       self.compare_button, self.review_button,
                       self.rename_button, self.delete_button):
            top.addWidget(button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        progress = QHBoxLayout()
        progress.addWidget(self.progress_label)
        progress.addWidget(self.progress_bar, 1)
        marks = QHBoxLayout()
        marks.addWidget(mark_label)
        for button in self.status_buttons:
            marks.addWidget(button)
        marks.addStretch(1)
        # Beside the conversations it writes, so the plan buttons above stay one short row.
        marks.addWidget(self.calendar_button)
        box_layout = QVBoxLayout(self.talks_box)
        box_layout.addLayout(progress)
        box_layout.addWidget(self.talks_note)
        box_layout.addWidget(self.talks_table, 3)
        box_layout.addLayout(marks)
        box_layout.addWidget(self.handovers_label)
        box_layout.addWidget(self.handovers_table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("plans_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.talks_box)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        QWidget.setTabOrder(self.delete_button, self.table)
        QWidget.setTabOrder(self.table, self.talks_table)

        self.table.selectionModel().currentRowChanged.connect(self._plan_chosen)
        self.model.modelReset.connect(self._plan_chosen)
        self.model.rowsRemoved.connect(self._plan_chosen)
        self.model.dataChanged.connect(self._plan_changed)
        self.talks_table.selectionModel().currentRowChanged.connect(self._update)
        self.talks.modelReset.connect(self._update)
        self._plan_chosen()

    # Binding ----------------------------------------------------------------------------

    def bind(self, desk: Desk | None) -> None:
        """Show the plans of ``desk`` (None: no workspace open)."""
        if self.desk is not None:
            for signal, slot in self._connections():
                signal.disconnect(slot)
        self.desk = desk
        if desk is not None:
            for signal, slot in self._connections():
                signal.connect(slot)
        self._shown_plan = None
        self.reload()

    def _connections(self) -> list[tuple[Any, Callable[..., None]]]:
        assert self.desk is not None
        return [(self.desk.row_saved, self._on_saved), (self.desk.row_removed, self._on_removed),
                (self.desk.stale, self._on_stale)]

    def showEvent(self, event: QShowEvent) -> None:
        """Read the plans again when the page comes into view (the wizard may have
        changed them)."""
        super().showEvent(event)
        if self.desk is not None:
            self.reload()

    def reload(self) -> None:
        """Read the plans (and the selected plan's conversations) again."""
        self._generation += 1
        generation = self._generation
        if self.desk is None:
            self.model.set_rows([])
            return

        def done(entries: list[PlanEntry]) -> None:
            if generation != self._generation:
                return
            current = self.current_entry()
            keep = current.id if current is not None else self._shown_plan
            self._shown_plan = None  # read the conversations again too
            self.model.set_rows(entries)
            position = self.model.position_of(keep) if keep is not None else -1
            self._select(max(position, 0))

        self.desk.read(read_entries, done)

    def _select(self, position: int) -> None:
        if self.model.rowCount():
            position = min(position, self.model.rowCount() - 1)
            self.table.setCurrentIndex(self.model.index(position, 0))

    def select_plan(self, plan_id: int) -> bool:
        """Put the cursor on the plan with ``plan_id``; False if it is not listed."""
        position = self.model.position_of(plan_id)
        if position >= 0:
            self._select(position)
        return position >= 0

    def current_entry(self) -> PlanEntry | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def current_conversation(self) -> ConversationRow | None:
        index = self.talks_table.currentIndex()
        return self.talks.row_at(index.row()) if index.isValid() else None

    # The selected plan ------------------------------------------------------------------

    def _plan_chosen(self, *_args: object) -> None:
        entry = self.current_entry()
        plan_id = entry.id if entry is not None else None
        if plan_id != self._shown_plan:
            self._shown_plan = plan_id
            self._read_conversations(entry)
        self._plan_changed()

    def _read_conversations(self, entry: PlanEntry | None) -> None:
        self._talks_generation += 1
        generation = self._talks_generation
        if entry is None or self.desk is None:
            self.talks.set_rows([])
            self._show_handovers([])
            return
        plan_id = entry.id

        def done(rows: tuple[list[ConversationRow], list[HandoverRow]]) -> None:
            if generation == self._talks_generation:
                self.talks.set_rows(rows[0])
                if rows[0]:
                    self.talks_table.setCurrentIndex(self.talks.index(0, 0))
                self._show_handovers(rows[1])

        self.desk.read(lambda s: (plans.plan_conversations(s, plan_id),
                                  plan_handovers(s, plan_id)), done)

    def _show_handovers(self, rows: list[HandoverRow]) -> None:
        self.handovers.set_rows(rows)
        self._handover_note()

    def _handover_note(self) -> None:
        rows = self.handovers.rows()
        done = sum(r.status == "done" for r in rows)
        self.handovers_label.setText(
            f"Handover meetings: {done} of {len(rows)} done"
            + (" (tick each one when it has happened)."
               if self.handovers.edit_handler is not None else ".")
            if rows else "No handover meetings in this plan.")
        self.handovers_table.setVisible(bool(rows))

    def _edit_handover(self, handover: HandoverRow, status: str) -> bool:
        """Save a handover meeting done (or planned again) and show the list as saved."""
        entry, desk = self.current_entry(), self.desk
        if entry is None or desk is None:
            return False
        if handover.status == status:
            return True
        try:
            command = MarkHandover(desk, entry.id, handover, status, self._handovers_saved)
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            self._shown_plan = None
            self._plan_chosen()
            return False
        desk.undo_stack.push(command)
        return True

    def _handovers_saved(self, plan_id: int) -> None:
        """Show a plan's progress, and its handovers if it is the one shown, as saved."""
        self._refresh_plan(plan_id)
        if self.desk is not None and self._shown_plan == plan_id:
            self.desk.read(lambda s: plan_handovers(s, plan_id), self._show_handovers)

    def _plan_changed(self, *_args: object) -> None:
        """Show the selected plan's progress and what can be done with it."""
        entry = self.current_entry()
        checklist = entry is not None and not entry.is_draft and self.desk is not None
        self.talks.edit_handler = self._edit_status if checklist else None
        self.handovers.edit_handler = self._edit_handover if checklist else None
        self._handover_note()
        if entry is None:
            self.talks_box.setTitle("Client conversations")
            self.progress_label.setText("")
            self.progress_bar.setRange(0, 1)
            self.progress_bar.setValue(0)
            self.talks_note.setText("No plan yet: New plan… starts one." if self.desk
                                    is not None else "")
        else:
            self.talks_box.setTitle(f"Client conversations: {entry.plan.name}")
            if entry.is_draft:
                self.progress_label.setText(entry.progress)
                self.talks_note.setText(
                    "A draft: once it is applied, each conversation is ticked off here as "
                    "planned → informed → settled." + (
                        "" if entry.total else " Nothing is scheduled yet."))
            else:
                self.progress_label.setText(
                    f"{entry.informed} of {_count(entry.total, 'client')} informed, "
                    f"{entry.settled} settled" if entry.total else entry.progress)
                self.talks_note.setText(
                    "Mark each conversation as it happens: Ctrl+2 informed, Ctrl+3 settled, "
                    "Ctrl+1 back to planned (or F2 in the Status column).")
            self.progress_bar.setRange(0, max(entry.total, 1))
            self.progress_bar.setValue(entry.informed)
        self.progress_bar.setVisible(entry is not None and entry.total > 0)
        self.count_label.setText(_count(self.model.rowCount(), "plan")
                                 if self.desk is not None else "")
        self._update()

    def _update(self, *_args: object) -> None:
        has_desk = self.desk is not None
        entry = self.current_entry()
        self.new_button.setEnabled(has_desk)
        opener = self._wizard_opener()
        self.wizard_button.setEnabled(has_desk and entry is not None and opener is not None)
        self.wizard_button.setToolTip(
            "Carry on with the selected plan in the transition wizard (Enter)"
            if opener is not None else "The transition wizard is not available in this "
                                       "version of Studio Desk.")
        self.rename_button.setEnabled(has_desk and entry is not None)
        self.copy_button.setEnabled(has_desk and entry is not None)
        self.compare_button.setEnabled(has_desk and entry is not None
                                       and self.model.rowCount() > 1)
        self.delete_button.setEnabled(has_desk and entry is not None)
        self.review_button.setEnabled(has_desk and entry is not None and not entry.is_draft)
        self.calendar_button.setEnabled(has_desk and entry is not None
                                        and self.talks.rowCount() > 0)
        can_mark = self.talks.edit_handler is not None and self.current_conversation() \
            is not None
        for button, action in zip(self.status_buttons, self.status_actions, strict=True):
            button.setEnabled(can_mark)
            action.setEnabled(can_mark)

    # Notices ----------------------------------------------------------------------------

    def _on_saved(self, kind: str, row: object) -> None:
        if kind == CONVERSATION and isinstance(row, ConversationRow):
            self.talks.upsert(row)
            self._refresh_plan(row.plan_id)
        elif kind == PLAN and isinstance(row, PlanRow):
            self._refresh_plan(row.id)

    def _on_removed(self, kind: str, record_id: int) -> None:
        if kind == PLAN:
            self.model.remove(record_id)

    def _on_stale(self, kinds: frozenset[str]) -> None:
        if kinds & {PLAN, CONVERSATION, "client", "person"}:
            self.reload()

    def _refresh_plan(self, plan_id: int) -> None:
        """Read one plan's row again (its status and progress follow a mark)."""
        if self.desk is None:
            return

        def done(entry: PlanEntry | None) -> None:
            if entry is not None:
                self.model.upsert(entry)

        def read(s: Session) -> PlanEntry | None:
            try:
                return read_entry(s, plan_id)
            except StudioDeskError:
                return None  # deleted meanwhile; the next reload drops it

        self.desk.read(read, done)

    # Changes ----------------------------------------------------------------------------

    def _wizard_opener(self) -> Callable[[int], object] | None:
        opener = getattr(self.window(), "open_wizard", None)
        return opener if callable(opener) else None

    def new_plan(self) -> None:
        """Ask for a name, team structure and date; make the draft; open it in the wizard."""
        desk = self.desk
        if desk is None:
            return
        try:
            templates = desk.read_now(plans.list_templates)
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        made: list[PlanRow] = []

        def submit(name: str, template_id: int | None, effective: dt.date) -> None:
            row = desk.write_now(lambda s: plans.create_plan(
                s, name, template_id=template_id, effective_date=effective))
            made.append(row)
            desk.saved(PLAN, row)

        NewPlanDialog.ask(self, [(t.id, t.name) for t in templates],
                          schedule.default_effective_date(), submit)
        if not made:
            return
        self.model.upsert(PlanEntry(made[-1], 0, 0, 0))
        self.select_plan(made[-1].id)
        self.table.setFocus()
        opener = self._wizard_opener()
        if opener is not None:
            opener(made[-1].id)

    def open_in_wizard(self) -> None:
        """Carry on with the selected plan in the transition wizard."""
        entry, opener = self.current_entry(), self._wizard_opener()
        if entry is not None and opener is not None and self.desk is not None:
            opener(entry.id)

    def copy(self) -> None:
        """Copy the selected plan into a new draft, "<name> (copy)", and select it."""
        entry, desk = self.current_entry(), self.desk
        if entry is None or desk is None:
            return
        try:
            row = desk.write_now(lambda s: plans.copy_plan(s, entry.id))
            made = desk.read_now(lambda s: read_entry(s, row.id))
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            self.reload()
            return
        desk.saved(PLAN, made.plan)
        self.model.upsert(made)
        self.select_plan(made.id)
        self.table.setFocus()

    def compare(self) -> None:
        """Set the selected plan side by side with another (the next one in the list)."""
        entry, desk = self.current_entry(), self.desk
        if entry is None or desk is None or self.model.rowCount() < 2:
            return
        choices = [(e.id, e.plan.name) for e in self.model.rows()]
        other = next(plan_id for plan_id, _name in choices if plan_id != entry.id)
        PlanCompareDialog.ask(self, choices, entry.id, other,
                              lambda a, b: desk.read_now(
                                  lambda s: plans.compare_plans(s, a, b)))

    def review(self) -> None:
        """Set the selected applied plan beside the studio as it stands (six months on)."""
        entry, desk = self.current_entry(), self.desk
        if entry is None or desk is None or entry.is_draft:
            return
        plan_id = entry.id

        def set_review_date(day: dt.date | None) -> None:
            plan = desk.read_now(lambda s: plans.load_plan(s, plan_id))
            desk.undo_stack.push(SetReviewDate(desk, plan, day))

        PlanReviewDialog.ask(self, entry.plan.name,
                             lambda day: desk.read_now(lambda s: plans.plan_review(
                                 s, plan_id, day)),
                             set_review_date)

    def export_calendar(self) -> None:
        """Save the selected plan's conversations and handovers as an iCalendar file."""
        entry, desk = self.current_entry(), self.desk
        if entry is None or desk is None:
            return
        path = CalendarFileDialog.ask_save(self, desk.path.parent / plan_file_name(
            entry.plan.name, ".ics"))
        if path is None:
            return
        plan_id = entry.id
        try:
            summary = desk.read_now(lambda s: write_plan_calendar(s, plan_id, path))
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        except OSError as exc:
            show_problem(self, f"{path} could not be written: "
                               f"{exc.strerror or exc}.")
            return
        show_status(self, f"{path.name}: {summary.text()}.")

    def rename(self) -> None:
        """Ask for another name for the selected plan (one undo step)."""
        entry, desk = self.current_entry(), self.desk
        if entry is None or desk is None:
            return

        def submit(name: str, _choice: str | None) -> None:
            if name.strip() != entry.plan.name:
                desk.undo_stack.push(RenamePlan(desk, entry.plan, name))

        NameDialog.ask(self, f"Rename plan “{entry.plan.name}”", "&Name:", entry.plan.name,
                       submit)

    def delete(self) -> None:
        """Delete the selected plan after asking; assignments it applied stay."""
        entry, desk = self.current_entry(), self.desk
        if entry is None or desk is None:
            return
        if entry.is_draft:
            text = (f"Delete the draft plan “{entry.plan.name}” with its proposal and "
                    "schedule? This cannot be undone.")
        else:
            text = (f"Delete the plan “{entry.plan.name}” and its client checklist? The "
                    "assignments it applied stay as they are. This cannot be undone.")
        if not ConfirmPlanDelete.ask(self, text):
            return
        position = self.table.currentIndex().row()
        try:
            desk.write_now(lambda s: plans.delete_plan(s, entry.id,
                                                       expected_version=entry.plan.version))
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            self.reload()
            return
        desk.removed(PLAN, entry.plan)
        self._select(position)

    def mark(self, status: str) -> None:
        """Mark the selected conversation ``status`` (one undo step)."""
        talk = self.current_conversation()
        if talk is not None and self.talks.edit_handler is not None:
            self._edit_status(talk, status)

    def _edit_status(self, talk: ConversationRow, status: str) -> bool:
        if self.desk is None or talk.status == status:
            return self.desk is not None
        try:
            command = MarkConversation(self.desk, talk, status)
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            self._shown_plan = None
            self._plan_chosen()  # show the conversations as they are now
            return False
        self.desk.undo_stack.push(command)
        return True
