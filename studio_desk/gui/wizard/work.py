"""Page 2, What needs to get done: sort every responsibility of the old project manager's
job into client-focused (the Account Manager's) or project-focused (the Production
Manager's).

Sorting works by dragging an item between the two lists, or from the keyboard: select
an item and press Ctrl+Right (to project-focused) or Ctrl+Left (to client-focused); the
selection stays in the list, on the next item, so a list can be sorted key after key.
Adding, renaming (F2) and removing (Delete) change the workspace's catalog at once; the
sorting is this plan's own record, saved as the page is left.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio_desk.core import catalog
from studio_desk.core.errors import StudioDeskError
from studio_desk.gui.forms import ConfirmDelete
from studio_desk.gui.messages import show_problem
from studio_desk.gui.wizard.draft import PlanDraft, PlanPage
from studio_desk.gui.wizard.parts import plain_label, set_warning
from studio_desk.store import plans

#: What a dragged responsibility travels as: a JSON list of catalog ids.
MIME_TYPE = "application/x-studio-desk-responsibility"
_Index = QModelIndex | QPersistentModelIndex
_NOTES = {item.name: item.note for item in catalog.DEFAULT_RESPONSIBILITIES}
#: Below this share of the sorted items, one side is called light.
_LIGHT_SHARE = 0.3


@dataclass(frozen=True)
class Duty:
    """A responsibility as this page shows it (``category`` as sorted in this plan)."""

    id: int
    version: int
    name: str
    category: str


class DutyListModel(QAbstractListModel):
    """The responsibilities of one category; items are dragged in and out as ids."""

    def __init__(self, category: str, page: WorkPage) -> None:
        super().__init__(page)
        self.category = category
        self._page = page
        self._duties: list[Duty] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Items of the list; a list has no children."""
        return 0 if parent.isValid() else len(self._duties)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """An item's name, its note as a tooltip, or the item itself."""
        if not index.isValid():
            return None
        duty = self._duties[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return duty.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return _NOTES.get(duty.name) or duty.name
        if role == Qt.ItemDataRole.UserRole:
            return duty.id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Items can be selected, renamed and dragged; the list itself takes drops."""
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled
                | Qt.ItemFlag.ItemNeverHasChildren)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Rename an item (in the workspace's catalog)."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        return self._page.rename(self._duties[index.row()], str(value))

    # Dragging ---------------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        """Items move between the lists."""
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        """Items move between the lists."""
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        """Only responsibilities are accepted."""
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        """The dragged items, as their catalog ids."""
        ids = sorted({self._duties[i.row()].id for i in indexes if i.isValid()},
                     key=lambda d: self.position_of(d))
        data = QMimeData()
        data.setData(MIME_TYPE, QByteArray(json.dumps(ids).encode()))
        return data

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: _Index) -> bool:
        """Responsibilities from another list (dropping on the same list changes
        nothing)."""
        ids = dropped_ids(data)
        return bool(ids) and any(self.position_of(i) < 0 for i in ids)

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: _Index) -> bool:
        """Move the dropped items into this list, where they were dropped."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        if parent.isValid():  # dropped onto an item: in its place
            row = parent.row()
        self._page.move(dropped_ids(data), self.category, row)
        # The page moved them itself; the list they came from must not remove them again
        # (it would ask removeRows, which this model does not offer).
        return True

    # Rows -------------------------------------------------------------------------------

    def duties(self) -> list[Duty]:
        return list(self._duties)

    def position_of(self, duty_id: int) -> int:
        for position, duty in enumerate(self._duties):
            if duty.id == duty_id:
                return position
        return -1

    def set_duties(self, duties: list[Duty]) -> None:
        self.beginResetModel()
        self._duties = list(duties)
        self.endResetModel()

    def take(self, duty_id: int) -> Duty | None:
        position = self.position_of(duty_id)
        if position < 0:
            return None
        self.beginRemoveRows(QModelIndex(), position, position)
        duty = self._duties.pop(position)
        self.endRemoveRows()
        return duty

    def put(self, duty: Duty, row: int = -1) -> int:
        position = len(self._duties) if row < 0 or row > len(self._duties) else row
        self.beginInsertRows(QModelIndex(), position, position)
        self._duties.insert(position, replace(duty, category=self.category))
        self.endInsertRows()
        return position

    def change(self, duty: Duty) -> None:
        position = self.position_of(duty.id)
        if position >= 0:
            self._duties[position] = duty
            index = self.index(position, 0)
            self.dataChanged.emit(index, index, [])


def dropped_ids(data: QMimeData) -> list[int]:
    """The catalog ids a drag carries (none if it carries something else)."""
    if not data.hasFormat(MIME_TYPE):
        return []
    try:
        ids = json.loads(bytes(data.data(MIME_TYPE).data()).decode())
    except (ValueError, UnicodeDecodeError):
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


class DutyList(QListView):
    """One of the lists: items are dragged out and dropped in, F2 renames."""

    def __init__(self, model: DutyListModel, name: str, accessible: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setModel(model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setSpacing(1)
        self.list_model = model

    def current_duty_id(self) -> int | None:
        index = self.currentIndex()
        return index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None


class WorkPage(PlanPage):
    """Two lists to sort the catalog into, with a balance read-out."""

    step = "responsibilities"
    heading = "What needs to get done"
    explanation = ("Sort each responsibility of the old project manager's job: client-"
                   "focused work goes to the Account Manager, project-focused work to the "
                   "Production Manager. Drag items across, or select one and press "
                   "Ctrl+Right or Ctrl+Left.")

    def __init__(self, draft: PlanDraft, parent: QWidget | None = None) -> None:
        super().__init__(draft, parent)
        self.models = {category: DutyListModel(category, self)
                       for category in catalog.CATEGORIES}
        self.client_list = DutyList(self.models[catalog.CLIENT_FOCUSED], "client_focused",
                                    "Client-focused responsibilities", self)
        self.project_list = DutyList(self.models[catalog.PROJECT_FOCUSED],
                                     "project_focused", "Project-focused responsibilities",
                                     self)
        self.shared_list = DutyList(self.models[catalog.SHARED], "not_sorted",
                                    "Responsibilities not sorted yet", self)
        self.shared_list.setMaximumHeight(110)
        self.lists = {catalog.CLIENT_FOCUSED: self.client_list,
                      catalog.PROJECT_FOCUSED: self.project_list,
                      catalog.SHARED: self.shared_list}
        self._active: DutyList = self.client_list
        for view in self.lists.values():
            view.installEventFilter(self)

        self.to_project = self._button("Project-focused  →", "to_project",
                                       "Move the selected item to project-focused "
                                       "(Ctrl+Right)", self.move_selected_to_project)
        self.to_client = self._button("←  Client-focused", "to_client",
                                      "Move the selected item to client-focused (Ctrl+Left)",
                                      self.move_selected_to_client)
        self._shortcut("Ctrl+Right", self.move_selected_to_project)
        self._shortcut("Ctrl+Left", self.move_selected_to_client)
        for view in self.lists.values():
            # Delete removes from the list that has the focus, never from a text box.
            remove = QAction(view)
            remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
            remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            remove.triggered.connect(self.remove_selected)
            view.addAction(remove)

        self.new_name = QLineEdit(self)
        self.new_name.setObjectName("new_responsibility")
        self.new_name.setAccessibleName("New responsibility")
        self.new_name.setPlaceholderText("A responsibility the lists are missing")
        self.new_name.setMaxLength(200)
        self.add_client = self._button("Add as client-focused", "add_client_focused",
                                       "Add the responsibility typed to the client-focused "
                                       "list", lambda: self.add(catalog.CLIENT_FOCUSED))
        self.add_project = self._button("Add as project-focused", "add_project_focused",
                                        "Add the responsibility typed to the project-"
                                        "focused list", lambda: self.add(
                                            catalog.PROJECT_FOCUSED))
        self.rename_button = self._button("Rena&me", "rename_responsibility",
                                          "Rename the selected item (F2)", self.rename_selected)
        self.remove_button = self._button("Remo&ve…", "remove_responsibility",
                                          "Remove the selected item from the catalog (Delete)",
                                          self.remove_selected)
        self.balance_label = plain_label("", self, name="balance")
        self.client_heading = plain_label("", self, name="client_heading")
        self.project_heading = plain_label("", self, name="project_heading")
        self.shared_heading = plain_label(
            "Not sorted yet: drag each into a list, or select it and press Ctrl+Left or "
            "Ctrl+Right.", self, name="not_sorted_heading")

        grid = QGridLayout()
        grid.addWidget(self.client_heading, 0, 0)
        grid.addWidget(self.project_heading, 0, 2)
        grid.addWidget(self.client_list, 1, 0)
        middle = QVBoxLayout()
        middle.addStretch(1)
        middle.addWidget(self.to_project)
        middle.addWidget(self.to_client)
        middle.addStretch(1)
        grid.addLayout(middle, 1, 1)
        grid.addWidget(self.project_list, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(1, 1)
        adding = QHBoxLayout()
        adding.addWidget(self.new_name, 1)
        adding.addWidget(self.add_client)
        adding.addWidget(self.add_project)
        adding.addSpacing(16)
        adding.addWidget(self.rename_button)
        adding.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addWidget(self.shared_heading)
        layout.addWidget(self.shared_list)
        layout.addLayout(adding)
        layout.addWidget(self.balance_label)
        QWidget.setTabOrder(self.client_list, self.to_project)
        QWidget.setTabOrder(self.to_project, self.to_client)
        QWidget.setTabOrder(self.to_client, self.project_list)
        QWidget.setTabOrder(self.project_list, self.shared_list)
        QWidget.setTabOrder(self.shared_list, self.new_name)
        for model in self.models.values():
            for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
                signal.connect(self._show_balance)
        self._show_balance()

    def _button(self, text: str, name: str, tip: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", "").strip(" →←…"))
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _shortcut(self, keys: str, slot: Any) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Remember which list the user works in: the arrows move from it."""
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, DutyList):
            self._active = watched
        return super().eventFilter(watched, event)

    # Showing ----------------------------------------------------------------------------

    def load(self) -> None:
        """The catalog, sorted as this plan saved it (the catalog's own sorting for
        items the plan has not seen)."""
        rows = self.draft.desk.read_now(plans.list_responsibilities)
        saved = self.draft.plan.step(self.step).get("categories", {}) \
            if self.draft.plan is not None else {}
        if not isinstance(saved, dict):
            saved = {}
        sorted_: dict[str, list[Duty]] = {c: [] for c in catalog.CATEGORIES}
        for row in rows:
            category = saved.get(row.name, row.category)
            if category not in catalog.CATEGORIES:
                category = row.category
            sorted_[category].append(Duty(row.id, row.version, row.name, category))
        for category, model in self.models.items():
            model.set_duties(sorted_[category])
        for view in self.lists.values():
            if view.model().rowCount():
                view.setCurrentIndex(view.model().index(0, 0))
        self._show_balance()

    def duties(self) -> list[Duty]:
        """Every item, client-focused first, then project-focused, then unsorted."""
        return [d for category in (catalog.CLIENT_FOCUSED, catalog.PROJECT_FOCUSED,
                                   catalog.SHARED)
                for d in self.models[category].duties()]

    def balance(self) -> catalog.Balance:
        return catalog.balance(d.category for d in self.duties())

    def _show_balance(self, *_args: object) -> None:
        counts = self.balance()
        client, project = counts.client, counts.project
        self.client_heading.setText(f"Client-focused: the Account Manager ({client})")
        self.project_heading.setText(f"Project-focused: the Production Manager ({project})")
        unsorted = counts.shared
        self.shared_heading.setVisible(bool(unsorted))
        self.shared_list.setVisible(bool(unsorted))
        sorted_total = client + project
        light = False
        if not sorted_total:
            text = "Nothing sorted yet."
        else:
            shares = (f"Balance: {client} client-focused ({round(100 * client / sorted_total)}"
                      f"%), {project} project-focused "
                      f"({round(100 * project / sorted_total)}%)")
            if client / sorted_total < _LIGHT_SHARE:
                text = (f"{shares}. The Account Manager's side is light: check that no "
                        "client-facing work was missed.")
                light = True
            elif project / sorted_total < _LIGHT_SHARE:
                text = (f"{shares}. The Production Manager's side is light: check that no "
                        "project work was missed.")
                light = True
            else:
                text = f"{shares}: a workable split."
        if unsorted:
            text += f" {unsorted} not sorted yet."
        self.balance_label.setText(text)
        set_warning(self.balance_label, light or bool(unsorted))

    # Sorting ----------------------------------------------------------------------------

    def move(self, ids: list[int], category: str, row: int = -1) -> None:
        """Put the items with ``ids`` into ``category``'s list (at ``row``; -1: the end)."""
        target = self.models[category]
        for duty_id in ids:
            if target.position_of(duty_id) >= 0:
                continue
            for model in self.models.values():
                duty = model.take(duty_id)
                if duty is not None:
                    position = target.put(duty, row)
                    if row >= 0:
                        row = position + 1
                    break

    def _move_from(self, source: DutyList, category: str) -> None:
        duty_id = source.current_duty_id()
        if duty_id is None:
            return
        row = source.currentIndex().row()
        self.move([duty_id], category)
        left = source.model().rowCount()
        if left:
            # Stay in the list, on the next item, so sorting goes on key after key.
            source.setCurrentIndex(source.model().index(min(row, left - 1), 0))
            source.setFocus()
        else:
            target = self.lists[category]
            target.setCurrentIndex(target.model().index(
                self.models[category].position_of(duty_id), 0))
            target.setFocus()

    def move_selected_to_project(self) -> None:
        """The selected client-focused (or unsorted) item becomes project-focused."""
        source = self._active if self._active is not self.project_list else self.client_list
        self._move_from(source, catalog.PROJECT_FOCUSED)

    def move_selected_to_client(self) -> None:
        """The selected project-focused (or unsorted) item becomes client-focused."""
        source = self._active if self._active is not self.client_list else self.project_list
        self._move_from(source, catalog.CLIENT_FOCUSED)

    # Changing the catalog ---------------------------------------------------------------

    def add(self, category: str) -> None:
        """Add the responsibility typed into ``category``'s list (and the catalog)."""
        name = self.new_name.text().strip()
        if not name:
            show_problem(self, "Type the responsibility to add first.")
            self.new_name.setFocus()
            return
        try:
            row = self.draft.desk.write_now(
                lambda s: plans.add_responsibility(s, name, category))
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        self.new_name.clear()
        view = self.lists[category]
        position = self.models[category].put(Duty(row.id, row.version, row.name, category))
        view.setCurrentIndex(view.model().index(position, 0))
        view.scrollTo(view.currentIndex())

    def rename(self, duty: Duty, name: str) -> bool:
        """Give an item another name in the catalog; False (and a sentence) if refused."""
        name = name.strip()
        if name == duty.name:
            return True
        try:
            row = self.draft.desk.write_now(lambda s: plans.update_responsibility(
                s, duty.id, duty.version, name=name))
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return False
        self.models[duty.category].change(replace(duty, version=row.version, name=row.name))
        return True

    def rename_selected(self) -> None:
        view = self._active
        if view.currentIndex().isValid():
            view.setFocus()
            view.edit(view.currentIndex())

    def remove_selected(self) -> None:
        """Remove the selected item from the catalog, after asking."""
        view = self._active
        if view.state() == QAbstractItemView.State.EditingState:
            return
        duty_id = view.current_duty_id()
        if duty_id is None:
            return
        model = view.list_model
        duty = model.duties()[model.position_of(duty_id)]
        if not ConfirmDelete.ask(self, "Remove responsibility",
                                 f"Remove “{duty.name}” from the catalog? Other plans will "
                                 "no longer list it either."):
            return
        try:
            self.draft.desk.write_now(lambda s: plans.delete_responsibility(
                s, duty.id, duty.version))
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        row = view.currentIndex().row()
        model.take(duty.id)
        if model.rowCount():
            view.setCurrentIndex(model.index(min(row, model.rowCount() - 1), 0))

    # Leaving ----------------------------------------------------------------------------

    def step_data(self) -> dict[str, Any]:
        return {"categories": {d.name: d.category for d in self.duties()}}

    def problem(self) -> str | None:
        duties = self.duties()
        if not duties:
            return "Add at least one responsibility before going on."
        unsorted = self.models[catalog.SHARED].duties()
        if unsorted:
            return (f"Sort “{unsorted[0].name}” into client- or project-focused first "
                    "(drag it, or select it and press Ctrl+Left or Ctrl+Right).")
        return None
