"""Page 5, Assign: an Account Manager for every client, a Production Manager for every
project, proposed by the optimiser and overridable cell by cell.

The proposal runs off the GUI thread (the desk's task runner) while the page says it is
working, and holds no write lock while the optimiser works (``PlanDraft.
propose_in_background``), so colleagues can go on saving. Every override is saved at
once (``store.plans.override_item``) and the capacity bars follow it: a bar turns to the
warning colour when a choice takes someone over a limit. Rows no one could take are
listed with what it would take to place them, per role (the proposal's advice).

At studio scale many rows are chosen at once: the table selects many rows (Shift or Ctrl
with a click or the arrows, Ctrl+A), filters above it narrow what it shows (through a
``QSortFilterProxyModel``: actions take only the rows shown and selected), and "Assign
to…", "Keep current" and "Leave unplaced" change the selected rows in one short write
(``store.plans.override_items``) that is one step of the page's undo history (Ctrl+Z,
Ctrl+Shift+Z).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from studio_desk.core import catalog
from studio_desk.core import leanings as L
from studio_desk.core.capacity import Capacity
from studio_desk.core.errors import ConflictError, StudioDeskError
from studio_desk.core.rows import PersonRow, ProjectRow
from studio_desk.gui.messages import show_problem
from studio_desk.gui.wizard.draft import PlanDraft, PlanPage
from studio_desk.gui.wizard.parts import (
    CapacityBar,
    Column,
    PlanTable,
    RowsModel,
    plain_label,
    plural,
    set_warning,
)
from studio_desk.store import plans, records

ROLE_LABELS = {catalog.ROLE_ACCOUNT_MANAGER: "Account Manager",
               catalog.ROLE_PRODUCTION_MANAGER: "Production Manager"}
NO_ONE = "No one (leave it empty on purpose)"
#: The chooser's value of a row no one could be placed in: choosing "no one" for it is a
#: change (to empty on purpose), not the value it already has.
_UNPLACED = -1
_BAR_COLUMNS = 3
#: The person filter's value that shows everyone's rows.
EVERYONE = -2
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class AssignData:
    """What the page shows, read in one go."""

    items: list[plans.PlanItemRow]
    after: list[Capacity]
    people: list[PersonRow]
    project_status: dict[int, str]


def read_assign_data(session: Session, plan_id: int) -> AssignData:
    items = plans.plan_items(session, plan_id)
    _before, after = plans.capacity_before_after(session, plan_id)
    people = [p for p in records.list_rows(session, "person")
              if isinstance(p, PersonRow) and p.active]
    statuses = {p.id: p.status for p in records.list_rows(session, "project")
                if isinstance(p, ProjectRow)}
    return AssignData(items, after, people, statuses)


def item_text(item: plans.PlanItemRow) -> str:
    """A client row names the client; a project row is indented under it."""
    return f"    {item.project}" if item.project is not None else item.client


def shortfall_text(shortfall: dict[str, Any]) -> str:
    """``2 clients, 12.5 hours a week``: the capacity the studio lacks."""
    parts = []
    for key, amount in shortfall.items():
        try:
            value = float(amount)
        except (TypeError, ValueError):
            continue
        if value <= 0:
            continue
        if key == "hours":
            parts.append(f"{value:.1f} hours a week")
        else:
            count = round(value) if abs(value - round(value)) < 1e-6 else value
            parts.append(plural(count, key[:-1] if key.endswith("s") else key, key))
    return ", ".join(parts)


class AssignFilter(QSortFilterProxyModel):
    """Which rows the table shows: by proposed person (``EVERYONE``, a person's id, or
    None for no one), by role (None for both), only rows that change hands, only rows
    no one could be placed in. The order stays the model's."""

    def __init__(self, model: RowsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(model)
        self._rows = model
        self.person: int | None = EVERYONE
        self.role: str | None = None
        self.changes_only = False
        self.unplaced_only = False

    def set_filter(self, *, person: int | None = EVERYONE, role: str | None = None,
                   changes_only: bool = False, unplaced_only: bool = False) -> None:
        """Show only the rows that pass every filter given."""
        self.beginFilterChange()
        self.person, self.role = person, role
        self.changes_only, self.unplaced_only = changes_only, unplaced_only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        """Whether the row at ``source_row`` passes every filter."""
        item: plans.PlanItemRow = self._rows.row_at(source_row)
        return ((self.person == EVERYONE or item.person_id == self.person)
                and (self.role is None or item.role == self.role)
                and (not self.changes_only or item.changed)
                and (not self.unplaced_only or item.unplaced))


class AssignTable(PlanTable):
    """The plan table over its filter, selecting many rows at once."""

    def __init__(self, model: RowsModel, proxy: AssignFilter,
                 parent: QWidget | None = None) -> None:
        super().__init__(model, "assignments", "Proposed assignments", parent)
        self._source = model
        self.setModel(proxy)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def setCurrentIndex(self, index: _Index) -> None:  # noqa: N802 (Qt's name)
        """Make ``index`` current; an index of the page's model is found through the
        filter (nothing is made current when the filter hides it)."""
        if index.isValid() and index.model() is self._source:
            proxy = self.model()
            assert isinstance(proxy, QSortFilterProxyModel)
            index = proxy.mapFromSource(QModelIndex(index))
        super().setCurrentIndex(index)


class PersonChooser(QDialog):
    """Choose one person from a list, for "Assign to…"."""

    def __init__(self, parent: QWidget | None, choices: list[tuple[str, int]],
                 count: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assign to")
        self.setObjectName("person_chooser")
        prompt = plain_label(f"Who takes the {plural(count, 'selected row')}?", self)
        self.people = QListWidget(self)
        self.people.setObjectName("people")
        self.people.setAccessibleName("People to choose from")
        prompt.setBuddy(self.people)
        for label, person_id in choices:
            entry = QListWidgetItem(label, self.people)
            entry.setData(Qt.ItemDataRole.UserRole, person_id)
        self.people.setCurrentRow(0)
        self.people.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Assign")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.people, 1)
        layout.addWidget(buttons)
        self.resize(460, 420)

    def chosen(self) -> int | None:
        entry = self.people.currentItem()
        return None if entry is None else int(entry.data(Qt.ItemDataRole.UserRole))

    @classmethod
    def ask(cls, parent: QWidget | None, choices: list[tuple[str, int]],
            count: int) -> int | None:
        """The id of the person chosen for ``count`` rows, or None when cancelled."""
        dialog = cls(parent, choices, count)
        try:
            return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class BulkOverride(QUndoCommand):
    """Rows chosen by hand together, already saved when pushed; undo puts each row back
    as it was (person, chosen by hand or not), redo chooses again. Each step is checked
    against the versions it left, so it never overwrites a colleague's change."""

    def __init__(self, page: AssignPage, before: list[plans.PlanItemRow],
                 after: list[plans.PlanItemRow], text: str) -> None:
        super().__init__(text)
        self.page = page
        self.before = before
        self.after = after
        self.versions = {row.id: row.version for row in after}
        self._skip_redo = True

    def redo(self) -> None:
        """Choose again (skipped once: by ``push``, when the choice was just made)."""
        if self._skip_redo:
            self._skip_redo = False
            return
        self._attempt(self.after, "Redoing")

    def undo(self) -> None:
        """Put every row back as it was."""
        self._attempt(self.before, "Undoing")

    def _attempt(self, rows: list[plans.PlanItemRow], doing: str) -> None:
        try:
            saved = self.page.restore_rows(rows, self.versions)
        except StudioDeskError as exc:
            # The stack drops an obsolete step; the table shows the plan as it is now.
            self.setObsolete(True)
            text = self.text()
            show_problem(self.page, f"{doing} “{text[:1].lower()}{text[1:]}” was not "
                                    f"possible: {exc}")
            QTimer.singleShot(0, self.page, self.page.read)
            return
        self.versions = {row.id: row.version for row in saved}


class AssignPage(PlanPage):
    """The proposal as a table, capacity bars, and what could not be placed."""

    step = "assign"
    heading = "Assign"
    explanation = ("The wizard proposes who holds each client and each project, following "
                   "the sides chosen on the People page: clients go to the account side, "
                   "kept by whoever knows them; project work goes to the production side, "
                   "the most technical to the most head-down; everyone stays within their "
                   "limits. Change any proposed person (F2 or a double click).")

    def __init__(self, draft: PlanDraft, parent: QWidget | None = None) -> None:
        super().__init__(draft, parent)
        self.people: dict[int, PersonRow] = {}
        self.after: dict[str, Capacity] = {}
        self.project_status: dict[int, str] = {}
        self._sized = False
        self.model = RowsModel((
            Column("item", "Client / project", item_text,
                   tooltip=lambda i: f"{i.client} › {i.project}" if i.project else i.client),
            Column("role", "Role", lambda i: ROLE_LABELS.get(i.role, i.role)),
            Column("person", "Proposed person", lambda i: i.person or "",
                   value=lambda i: _UNPLACED if i.unplaced else i.person_id,
                   choices=self._person_choices,
                   change=self._override,
                   tooltip=lambda i: "Chosen by hand" if i.overridden else
                   "F2 or a double click chooses someone else",
                   header_tip="F2 or a double click chooses someone else; each choice "
                              "shows how much room that person has left"),
            Column("previous", "Previous person", lambda i: i.previous_person or ""),
            Column("reason", "Reason", lambda i: i.gap or i.reason,
                   tooltip=lambda i: i.gap or i.reason),
        ), self, warn=lambda i: i.unplaced, bold=lambda i: i.overridden)
        self.proxy = AssignFilter(self.model, self)
        self.table = AssignTable(self.model, self.proxy, self)
        self.undo_stack = QUndoStack(self)
        self._build_filters()
        self._build_actions()

        self.status = plain_label("", self, name="proposal_status")
        self.working = QProgressBar(self)
        self.working.setObjectName("working")
        self.working.setAccessibleName("Working out the proposal")
        self.working.setRange(0, 0)
        self.working.setFormat("Working out the best assignment…")
        self.working.setTextVisible(True)
        self.working.setMaximumWidth(260)
        self.working.hide()
        self.propose_button = QPushButton("&Propose again", self)
        self.propose_button.setObjectName("propose")
        self.propose_button.setToolTip("Work out the proposal again from the workspace as it "
                                       "is now, keeping the people chosen by hand")
        self.propose_button.setAutoDefault(False)
        self.propose_button.clicked.connect(self.propose)
        self.release_button = QPushButton("&Let the wizard choose", self)
        self.release_button.setObjectName("release_override")
        self.release_button.setToolTip("Hand the selected row chosen by hand back to the "
                                       "proposal, and propose again")
        self.release_button.setAutoDefault(False)
        self.release_button.clicked.connect(self.release_selected)

        self.unplaced = plain_label("", self, name="unplaced")
        self.bars: dict[str, CapacityBar] = {}
        self.bars_box = QWidget(self)
        self.bars_grid = QGridLayout(self.bars_box)
        self.bars_grid.setContentsMargins(4, 4, 4, 4)
        self.bars_grid.setHorizontalSpacing(14)
        self.bars_grid.setVerticalSpacing(6)
        scroll = QScrollArea(self)
        scroll.setObjectName("capacity_bars")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.bars_box)
        scroll.setMinimumHeight(120)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)

        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.working)
        top.addWidget(self.release_button)
        top.addWidget(self.propose_button)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.unplaced)
        lower_layout.addWidget(plain_label("Load of each person with this plan (the fullest "
                                           "of their limits):", self))
        lower_layout.addWidget(scroll, 1)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(self.filters_row)
        upper_layout.addLayout(self.actions_row)
        upper_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        # The filters and actions sit above the table: it gets the larger share.
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.draft.busy_changed.connect(self._show_working)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.proxy.rowsInserted.connect(self._show_shown)
        self.proxy.rowsRemoved.connect(self._show_shown)
        self.proxy.modelReset.connect(self._show_shown)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def _build_filters(self) -> None:
        """Person, role, "Changes only", "Unplaced only" and how many rows they show."""
        self.person_filter = QComboBox(self)
        self.person_filter.setObjectName("person_filter")
        self.person_filter.setAccessibleName("Show the rows of")
        self.person_filter.addItem("Everyone", EVERYONE)
        self.person_filter.addItem("No one", None)
        self.person_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.role_filter = QComboBox(self)
        self.role_filter.setObjectName("role_filter")
        self.role_filter.setAccessibleName("Show the rows of the role")
        self.role_filter.addItem("Both roles", None)
        for role, label in ROLE_LABELS.items():
            self.role_filter.addItem(label, role)
        self.changes_only = QCheckBox("C&hanges only", self)
        self.changes_only.setObjectName("changes_only")
        self.changes_only.setToolTip("Show only the rows that change hands")
        self.unplaced_only = QCheckBox("Unplaced onl&y", self)
        self.unplaced_only.setObjectName("unplaced_only")
        self.unplaced_only.setToolTip("Show only the rows no one could be placed in")
        for combo in (self.person_filter, self.role_filter):
            combo.currentIndexChanged.connect(self._filter)
        for box in (self.changes_only, self.unplaced_only):
            box.toggled.connect(self._filter)
        self.shown = plain_label("", self, name="shown", wrap=False)
        person_label = QLabel("Pe&rson:", self)
        person_label.setBuddy(self.person_filter)
        role_label = QLabel("Rol&e:", self)
        role_label.setBuddy(self.role_filter)
        row = QHBoxLayout()
        row.addWidget(person_label)
        row.addWidget(self.person_filter)
        row.addSpacing(8)
        row.addWidget(role_label)
        row.addWidget(self.role_filter)
        row.addSpacing(8)
        row.addWidget(self.changes_only)
        row.addWidget(self.unplaced_only)
        row.addStretch(1)
        row.addWidget(self.shown)
        self.filters_row = row

    def _build_actions(self) -> None:
        """The buttons, and their keys, that change every selected row at once."""
        self.selected_label = plain_label("", self, name="selected_count", wrap=False)

        def button(text: str, name: str, tip: str, slot: Any) -> QPushButton:
            made = QPushButton(text, self)
            made.setObjectName(name)
            made.setAccessibleName(text.replace("&", ""))
            made.setToolTip(tip)
            made.setAutoDefault(False)
            made.clicked.connect(slot)
            return made

        self.assign_button = button(
            "A&ssign to…", "assign_to", "Choose one person for every selected row "
            "(Alt+S)", self.assign_selected)
        self.keep_button = button(
            "&Keep current", "keep_current", "Give every selected row back to its previous "
            "person, chosen by hand (Alt+K)", self.keep_selected)
        self.leave_button = button(
            "Leave &unplaced", "leave_unplaced", "No one for every selected row, on purpose "
            "(Alt+U or Delete)", self.leave_selected)
        self.undo_button = button("Undo", "undo", "Undo the last change to the rows "
                                  "(Ctrl+Z)", self.undo)
        self.redo_button = button("Redo", "redo", "Redo it (Ctrl+Shift+Z)", self.redo)
        for text, keys, slot in (
                ("Leave the selected rows unplaced", [QKeySequence(Qt.Key.Key_Delete)],
                 self.leave_selected),
                ("Undo", [QKeySequence(QKeySequence.StandardKey.Undo)], self.undo),
                ("Redo", [QKeySequence("Ctrl+Shift+Z"),
                          QKeySequence(QKeySequence.StandardKey.Redo)], self.redo)):
            action = QAction(text, self)
            action.setShortcuts(list(dict.fromkeys(keys)))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self.undo_stack.canUndoChanged.connect(self._update_buttons)
        self.undo_stack.canRedoChanged.connect(self._update_buttons)
        row = QHBoxLayout()
        row.addWidget(self.selected_label)
        row.addWidget(self.assign_button)
        row.addWidget(self.keep_button)
        row.addWidget(self.leave_button)
        row.addStretch(1)
        row.addWidget(self.undo_button)
        row.addWidget(self.redo_button)
        self.actions_row = row

    # Showing ----------------------------------------------------------------------------

    def load(self) -> None:
        """The plan's rows; a plan without any is proposed at once."""
        self.read()
        if not self.model.rowCount() and self.draft.is_draft:
            self.propose()

    def read(self) -> None:
        """Read the rows, loads and people again and show them."""
        self.show_data(self.draft.read(read_assign_data))

    def show_data(self, data: AssignData) -> None:
        selected = self.selected_item()
        key = (selected.kind, selected.project_id or selected.client_id) if selected else \
            self._saved_selection()
        self.people = {p.id: p for p in data.people}
        self.project_status = data.project_status
        # An applied plan is kept as it was applied.
        self.model.editing_enabled = self.draft.is_draft and not self.draft.busy
        self.model.set_rows(data.items)
        self._show_people_filter()
        self._show_capacity(data.after)
        self._show_status()
        if data.items and not self._sized:
            self._sized = True
            self.table.fit_columns(widest=300)
        self._select(key)

    def _saved_selection(self) -> tuple[str, int] | None:
        saved = self.draft.plan.step(self.step).get("selected") if self.draft.plan else None
        if isinstance(saved, list) and len(saved) == 2:
            return str(saved[0]), int(saved[1])
        return None

    def _select(self, key: tuple[str, int] | None) -> None:
        for position, item in enumerate(self.model.rows()):
            if key is None or (item.kind, item.project_id or item.client_id) == key:
                index = self.proxy.mapFromSource(
                    self.model.index(position, self.model.column_of("person")))
                if not index.isValid():  # the filter hides it
                    return
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.table.scrollTo(index)
                return

    def selected_item(self) -> plans.PlanItemRow | None:
        """The current row (where the keyboard is), if the filter shows one."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(index).row())

    def selected_items(self) -> list[plans.PlanItemRow]:
        """The rows selected and shown, in the table's order."""
        positions = sorted({self.proxy.mapToSource(index).row()
                            for index in self.table.selectionModel().selectedRows()})
        return [self.model.row_at(position) for position in positions]

    def _show_people_filter(self) -> None:
        """Everyone active in the person filter, keeping the choice made."""
        chosen = self.person_filter.currentData()
        self.person_filter.blockSignals(True)
        while self.person_filter.count() > 2:
            self.person_filter.removeItem(2)
        for person in sorted(self.people.values(), key=lambda p: p.name.casefold()):
            self.person_filter.addItem(person.name, person.id)
        position = self.person_filter.findData(chosen)
        self.person_filter.setCurrentIndex(max(position, 0))
        self.person_filter.blockSignals(False)
        if position < 0:
            self._filter()

    def _filter(self, *_args: object) -> None:
        self.proxy.set_filter(person=self.person_filter.currentData(),
                              role=self.role_filter.currentData(),
                              changes_only=self.changes_only.isChecked(),
                              unplaced_only=self.unplaced_only.isChecked())
        self._show_shown()

    def _show_shown(self, *_args: object) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        self.shown.setText(f"Showing all {plural(total, 'row')}" if shown == total else
                           f"Showing {shown:,} of {plural(total, 'row')}")
        self._update_buttons()

    def _show_capacity(self, after: list[Capacity]) -> None:
        self.after = {c.person: c for c in after}
        names = [c.person for c in after]
        if list(self.bars) != names:
            for bar in self.bars.values():
                bar.deleteLater()
            self.bars = {}
            for position, capacity in enumerate(after):
                bar = CapacityBar(capacity.person, self.bars_box)
                self.bars[capacity.person] = bar
                self.bars_grid.addWidget(bar, position // _BAR_COLUMNS,
                                         position % _BAR_COLUMNS)
            # A few people's bars keep together at the top rather than spreading out
            # over the whole box.
            rows = -(-len(after) // _BAR_COLUMNS)
            for row in range(max(self.bars_grid.rowCount(), rows + 1)):
                self.bars_grid.setRowStretch(row, 1 if row == rows else 0)
        for capacity in after:
            self.bars[capacity.person].show_capacity(capacity)

    def _show_status(self) -> None:
        items = self.model.rows()
        plan = self.draft.plan
        if not items:
            self.status.setText("No proposal yet." if not self.draft.busy else "")
            self.unplaced.hide()
            return
        changing = sum(1 for i in items if i.changed and not i.unplaced)
        by_hand = sum(1 for i in items if i.overridden)
        proposal = dict(plan.proposal or {}) if plan is not None else {}
        quality = "the best possible" if proposal.get("proven_optimal", True) else \
            "the best found in the time allowed"
        text = (f"{plural(len(items), 'row')}: {changing} change hands, "
                f"{len(items) - changing} stay")
        if by_hand:
            text += f", {by_hand} chosen by hand"
        text += f". The proposal is {quality} for its score."
        over = [name for name, c in self.after.items() if c.overallocated]
        if over:
            text += f" Over a limit: {', '.join(over)}."
        self.status.setText(text)
        set_warning(self.status, bool(over))
        unplaced = [i for i in items if i.unplaced]
        if unplaced:
            names = ", ".join(i.item_name for i in unplaced[:5])
            more = f" and {len(unplaced) - 5} more" if len(unplaced) > 5 else ""
            advice = " ".join(str(a) for a in proposal.get("advice") or ())
            gap = shortfall_text(dict(proposal.get("shortfall", {})))
            if advice:  # per role, whose limits to raise: says more than the totals
                missing = advice + " "
            elif gap:
                missing = (f"The studio lacks {gap}: a signal to hire, or to raise "
                           "someone's limits. ")
            else:
                missing = ""
            text = (f"Cannot be placed ({len(unplaced)}): {names}{more}. {missing}"
                    "Choose someone by hand, or “no one” to leave a row empty on purpose.")
            self.unplaced.setText(text)
            set_warning(self.unplaced, True)
            self.unplaced.show()
        else:
            self.unplaced.hide()

    def _show_working(self, busy: bool) -> None:
        self.working.setVisible(busy)
        self.model.editing_enabled = self.draft.is_draft and not busy
        self.table.setEnabled(not busy)
        if busy:
            self.status.setText("Working out the best assignment…")
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        busy = self.draft.busy
        editable = self.draft.is_draft and not busy
        self.propose_button.setEnabled(editable)
        item = self.selected_item()
        self.release_button.setEnabled(editable and item is not None and item.overridden)
        count = len(self.table.selectionModel().selectedRows())
        self.selected_label.setText(f"{plural(count, 'row')} selected:" if count else
                                    "Select rows (Shift, Ctrl, Ctrl+A) to change many:")
        for button in (self.assign_button, self.keep_button, self.leave_button):
            button.setEnabled(editable and count > 0)
        self.undo_button.setEnabled(editable and self.undo_stack.canUndo())
        self.redo_button.setEnabled(editable and self.undo_stack.canRedo())
        self.undo_button.setToolTip(f"{self.undo_stack.undoText() or 'Undo'} (Ctrl+Z)")
        self.redo_button.setToolTip(f"{self.undo_stack.redoText() or 'Redo'} "
                                    "(Ctrl+Shift+Z)")

    # Choosing people --------------------------------------------------------------------

    def _person_choices(self, item: plans.PlanItemRow) -> list[tuple[str, int | None]]:
        choices: list[tuple[str, int | None]] = [(NO_ONE, None)]
        for person in sorted(self.people.values(), key=lambda p: p.name.casefold()):
            choices.append((f"{person.name} — {self.headroom(person, item)}", person.id))
        return choices

    def headroom(self, person: PersonRow, item: plans.PlanItemRow) -> str:
        """How much room ``person`` has left for ``item``'s kind of work, as text."""
        capacity = self.after.get(person.name)
        if capacity is None:
            return "not counted"
        leaning = self.draft.plan.leanings.get(person.id) if self.draft.plan else None
        if item.project_id is None:
            text = _room(capacity.max_clients - capacity.clients, "client")
            if leaning == L.PRODUCTION_MANAGER:
                text += " (leans Production Manager)"
        else:
            status = self.project_status.get(item.project_id, "active")
            if status == "back-burner":
                text = _room(capacity.max_backburner_projects
                             - capacity.backburner_projects, "back-burner project")
            else:
                text = _room(capacity.max_active_projects - capacity.active_projects,
                             "active project")
                hours = capacity.weekly_hours - capacity.allocated_hours
                text += f", {hours:.0f} h a week free" if hours >= 0 else \
                    f", {-hours:.0f} h a week over"
            if leaning == L.ACCOUNT_MANAGER:
                text += " (leans Account Manager)"
        if person.id == item.person_id:
            text += "; holds it in this plan"
        return text

    def _override(self, item: plans.PlanItemRow, person_id: Any) -> bool:
        """Save the person chosen for ``item`` (a cell edit); the bars follow."""
        if self.draft.busy:
            return False
        person = int(person_id) if person_id is not None else None

        def work(session: Session, plan_id: int) -> tuple[plans.PlanItemRow, list[Capacity]]:
            row = plans.override_item(session, plan_id, item.id, person,
                                      expected_version=item.version)
            return row, plans.capacity_before_after(session, plan_id)[1]

        try:
            saved, after = self.draft.write(work)
        except ConflictError as exc:
            show_problem(self, str(exc))
            # Not at once: the chooser may still be handing over its value.
            QTimer.singleShot(0, self, self.read)
            return False
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return False
        # The row changes in place and the bars follow; the table is not reset under the
        # chooser that is closing.
        position = next(i for i, row in enumerate(self.model.rows()) if row.id == item.id)
        self.model.replace(position, saved)
        self._show_capacity(after)
        self._show_status()
        # One row chosen in its cell is a step of the same history as many rows at once.
        who = self.people[person].name if person in self.people else "no one"
        self.undo_stack.push(BulkOverride(self, [item], [saved],
                                          f"Choose {who} for {item.item_name}"))
        self._update_buttons()
        return True

    # Many rows at once --------------------------------------------------------------------

    def assign_selected(self) -> bool:
        """Ask who takes the selected rows, and choose them for every one."""
        items = self.selected_items()
        if not items or not self._may_change():
            return False
        choices = [(f"{p.name} — {self._load_text(p)}", p.id)
                   for p in sorted(self.people.values(), key=lambda p: p.name.casefold())]
        person_id = PersonChooser.ask(self, choices, len(items))
        if person_id is None:
            return False
        name = self.people[person_id].name if person_id in self.people else "someone"
        return self._change_many(items, person_id,
                                 f"Assign {plural(len(items), 'row')} to {name}")

    def keep_selected(self) -> bool:
        """Give each selected row back to its previous person, chosen by hand."""
        items = self.selected_items()
        return bool(items) and self._may_change() and self._change_many(
            items, plans.KEEP_PREVIOUS,
            f"Keep the current person on {plural(len(items), 'row')}")

    def leave_selected(self) -> bool:
        """No one for every selected row, on purpose."""
        items = self.selected_items()
        return bool(items) and self._may_change() and self._change_many(
            items, None, f"Leave {plural(len(items), 'row')} unplaced")

    def undo(self) -> None:
        """Take the last change to many rows back (not while the proposal is worked out:
        the step would fail and be lost)."""
        if self._may_change():
            self.undo_stack.undo()

    def redo(self) -> None:
        """Make the change taken back again."""
        if self._may_change():
            self.undo_stack.redo()

    def _may_change(self) -> bool:
        return self.draft.is_draft and not self.draft.busy

    def _load_text(self, person: PersonRow) -> str:
        capacity = self.after.get(person.name)
        if capacity is None:
            return "not counted"
        return (f"{capacity.clients}/{capacity.max_clients} clients, "
                f"{capacity.active_projects}/{capacity.max_active_projects} active projects, "
                f"{capacity.allocated_hours:.0f}/{capacity.weekly_hours:g} h a week")

    def _change_many(self, items: list[plans.PlanItemRow],
                     person: int | None | Literal["previous"],
                     text: str) -> bool:
        """Choose ``person`` for ``items`` in one write, as one undo step."""
        ids = [i.id for i in items]
        versions = {i.id: i.version for i in items}

        def work(session: Session, plan_id: int
                 ) -> tuple[list[plans.PlanItemRow], list[Capacity]]:
            rows = plans.override_items(session, plan_id, ids, person,
                                        expected_versions=versions)
            return rows, plans.capacity_before_after(session, plan_id)[1]

        try:
            saved, after = self.draft.write(work)
        except ConflictError as exc:
            show_problem(self, str(exc))
            self.read()
            return False
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return False
        self._show_rows(saved, after)
        self.undo_stack.push(BulkOverride(self, items, saved, text))
        return True

    def restore_rows(self, rows: list[plans.PlanItemRow], versions: dict[int, int]
                     ) -> list[plans.PlanItemRow]:
        """Put ``rows`` back as they show, expecting ``versions``; for undo and redo.
        Raises the workspace's problem (a colleague's change, rows proposed again)."""
        if not self._may_change():
            raise ConflictError("The plan cannot be changed just now.", theirs=None, mine={})

        def work(session: Session, plan_id: int
                 ) -> tuple[list[plans.PlanItemRow], list[Capacity]]:
            saved = plans.restore_items(session, plan_id, rows, expected_versions=versions)
            return saved, plans.capacity_before_after(session, plan_id)[1]

        saved, after = self.draft.write(work)
        self._show_rows(saved, after)
        return saved

    def _show_rows(self, rows: list[plans.PlanItemRow], after: list[Capacity]) -> None:
        """Show changed rows in place (the selection stays) and the bars that follow."""
        positions = {row.id: position for position, row in enumerate(self.model.rows())}
        for row in rows:
            if row.id in positions:
                self.model.replace(positions[row.id], row)
        self._show_capacity(after)
        self._show_status()
        self._update_buttons()

    def choose(self, item_name: str, person: str | None) -> None:
        """Choose ``person`` (None: no one) for the row of ``item_name``, as the chooser
        in the table does."""
        for position, item in enumerate(self.model.rows()):
            if item.item_name == item_name:
                person_id = None if person is None else next(
                    p.id for p in self.people.values() if p.name == person)
                self.model.setData(self.model.index(position, self.model.column_of("person")),
                                   person_id)
                return
        raise KeyError(item_name)

    # The optimiser ----------------------------------------------------------------------

    def propose(self) -> None:
        """Work the proposal out again, off the GUI thread, keeping choices made by hand."""
        if self.draft.busy or not self.draft.is_draft:
            return
        self.draft.propose_in_background(self._proposed, self._failed)

    def release_selected(self) -> None:
        """Hand the selected row back to the proposal and propose again."""
        item = self.selected_item()
        if item is None or not item.overridden or self.draft.busy:
            return
        self.draft.propose_in_background(
            self._proposed, self._failed,
            first=lambda s, plan_id: plans.unpin_item(s, plan_id, item.id))

    def _proposed(self, _proposal: plans.PlanProposal) -> None:
        # A proposal replaces every row: earlier steps have nothing left to undo.
        self.undo_stack.clear()
        self.read()

    def _failed(self, error: StudioDeskError) -> None:
        show_problem(self, str(error))
        self.read()

    # Leaving ----------------------------------------------------------------------------

    def step_data(self) -> dict[str, Any]:
        item = self.selected_item()
        return {"selected": [item.kind, item.project_id or item.client_id] if item else None}

    def problem(self) -> str | None:
        items = self.model.rows()
        if not items:
            return "There is no proposal yet: press Propose again."
        unplaced = [i.item_name for i in items if i.unplaced]
        if unplaced:
            verb = "has" if len(unplaced) == 1 else "have"
            return (f"{plural(len(unplaced), 'row')} still {verb} "
                    f"no one ({', '.join(unplaced[:3])}{'…' if len(unplaced) > 3 else ''}): "
                    "choose someone in the Proposed person column, or “no one” to leave a "
                    "row empty on purpose.")
        return None


def _room(left: int, thing: str) -> str:
    if left > 0:
        return f"room for {plural(left, 'more ' + thing)}"
    if left == 0:
        return f"no room for another {thing}"
    return f"over by {plural(-left, thing)}"
