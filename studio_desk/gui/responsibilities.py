"""The Responsibilities page: what the studio's managers do, and how teams share it out.

On the left, the **responsibility catalog**: the recurring work the old project-manager
job carried, each item sorted client-focused, project-focused or shared, with the balance
of the split underneath. On the right, the **team-structure templates**: who does which
activity, as a RACI matrix. Built-in templates are read-only; "Copy…" makes one the
studio can edit.

Every change is one step on the window's undo stack (Edit › Undo), made through the
service functions of ``store.plans`` and checked against versions like every other change
(see ``gui/undo.py``, whose command base these commands share). Two things differ from
records: a removed catalog item or template comes back under a new id, so commands refer
to it through a :class:`Handle` that follows it; and a template is an immutable value
(``core.catalog``), so a template command keeps the whole template before and after.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from studio_desk.core import catalog
from studio_desk.core.errors import (
    ConflictError,
    NotFoundError,
    StudioDeskError,
    ValidationError,
)
from studio_desk.gui.desk import Desk
from studio_desk.gui.messages import show_problem
from studio_desk.gui.style import style_table, warning_colour
from studio_desk.gui.tables import RowsById
from studio_desk.gui.undo import RecordCommand
from studio_desk.store import plans
from studio_desk.store.plans import ResponsibilityRow, TemplateRow

#: Kinds these records are announced under by the desk's notices (``Desk.row_saved``).
RESPONSIBILITY = "responsibility"
TEMPLATE = "team_template"

#: The row object behind a list or table row.
RowRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex
_CENTRE = Qt.AlignmentFlag.AlignCenter
#: Column titles sit over their text, on the left, as in the record tables.
HEADER_ALIGNMENT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_NOTES = {item.name: item.note for item in catalog.DEFAULT_RESPONSIBILITIES}
#: Keys that sort the selected catalog item, in the order of ``catalog.CATEGORIES``.
_CATEGORY_KEYS = ("Ctrl+1", "Ctrl+2", "Ctrl+3")
#: What an empty RACI cell shows.
_NOT_INVOLVED = "·"


# --------------------------------------------------------------------------- shared widgets


def make_table(name: str, accessible: str, parent: QWidget) -> QTableView:
    """A table as the window's pages show them: compact rows, Tab leaves the table."""
    table = QTableView(parent)
    _style_table(table, name, accessible)
    return table


def _style_table(table: QTableView, name: str, accessible: str) -> None:
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    style_table(table)


def make_button(parent: QWidget, text: str, name: str, tip: str,
                slot: Callable[[], None]) -> QPushButton:
    """A push button with its accessible name and tooltip, not the dialog default."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    button.setAccessibleDescription(tip)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def arrow_button(parent: QWidget, arrow: Qt.ArrowType, name: str, accessible: str,
                 tip: str, slot: Callable[[], None]) -> QToolButton:
    """A small button showing an arrow, named for screen readers."""
    button = QToolButton(parent)
    button.setArrowType(arrow)
    button.setObjectName(name)
    button.setAccessibleName(accessible)
    button.setToolTip(tip)
    button.setAccessibleDescription(tip)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    # As tall as the push buttons beside it, and square.
    side = QPushButton("X").sizeHint().height()
    button.setFixedSize(side, side)
    button.clicked.connect(slot)
    return button


def make_label(parent: QWidget, name: str, accessible: str = "", *,
               wrap: bool = True, warning: bool = False) -> QLabel:
    """A plain-text label (user text is never read as markup)."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if accessible:
        label.setAccessibleName(accessible)
    if warning:
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, warning_colour(palette))
        label.setPalette(palette)
    return label


def table_action(table: QAbstractItemView, text: str, name: str, keys: str,
                 slot: Callable[[], None]) -> QAction:
    """An action of ``table``'s context menu whose keys work while the table has focus."""
    action = QAction(text, table)
    action.setObjectName(name)
    if keys:
        action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    action.triggered.connect(slot)
    table.addAction(action)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    return action


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a drop-down of fixed ``(value, label)`` choices.

    A choice picked from the open list is saved at once; with the list closed, the arrow
    keys or a first letter choose and Enter saves, Escape cancels.
    """

    def __init__(self, choices: Sequence[tuple[str, str]], accessible: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._choices = tuple(choices)
        self._accessible = accessible

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: _Index) -> QWidget:
        """A drop-down holding every choice."""
        combo = QComboBox(parent)
        combo.setAccessibleName(self._accessible)
        combo.setAutoFillBackground(True)
        for value, label in self._choices:
            combo.addItem(label, value)
        combo.activated.connect(lambda _position, c=combo: self._chosen(c))
        return combo

    def _chosen(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        """Start on the cell's value."""
        assert isinstance(editor, QComboBox)
        position = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(position, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: _Index) -> None:
        """Hand the chosen value (not its label) to the model behind any proxy."""
        assert isinstance(editor, QComboBox)
        while isinstance(model, QAbstractProxyModel):
            index = model.mapToSource(index)
            model = model.sourceModel()
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: _Index) -> None:
        """The drop-down covers the cell, at least as tall as it needs to be."""
        rect = option.rect
        rect.setHeight(max(rect.height(), editor.sizeHint().height()))
        editor.setGeometry(rect)


class NameDialog(QDialog):
    """Asks for a name (and for some things a choice), e.g. "Copy template".

    The name is handed to ``submit(name, choice)``; a ValidationError it raises is shown
    in the dialog, which stays open with what was typed.
    """

    def __init__(self, title: str, label: str, text: str,
                 submit: Callable[[str, str | None], object], *,
                 choices: Sequence[tuple[str, str]] = (), choice: str | None = None,
                 choice_label: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("name_dialog")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._submit = submit
        self.name = QLineEdit(text, self)
        self.name.setObjectName("name")
        self.name.setAccessibleName(label.rstrip(":"))
        self.name.selectAll()
        self.problem = make_label(self, "problem", warning=True)
        self.problem.setVisible(False)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        name_label = QLabel(label, self)
        name_label.setBuddy(self.name)
        form.addRow(name_label, self.name)
        self.choice: QComboBox | None = None
        if choices:
            self.choice = QComboBox(self)
            self.choice.setObjectName("choice")
            self.choice.setAccessibleName(choice_label.replace("&", "").rstrip(":"))
            for value, shown in choices:
                self.choice.addItem(shown, value)
            self.choice.setCurrentIndex(max(self.choice.findData(choice), 0))
            choice_caption = QLabel(choice_label, self)
            choice_caption.setBuddy(self.choice)
            form.addRow(choice_caption, self.choice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.setAccessibleName("OK or cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        self.name.setFocus()

    def accept(self) -> None:
        """Hand the name over; on a problem say why and keep the dialog open."""
        choice = self.choice.currentData() if self.choice is not None else None
        try:
            self._submit(self.name.text(), choice)
        except ValidationError as exc:
            self.problem.setText(str(exc))
            self.problem.setVisible(True)
            self.name.setAccessibleDescription(str(exc))
            self.name.setFocus()
            self.name.selectAll()
            return
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        super().accept()

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, label: str, text: str,
            submit: Callable[[str, str | None], object], *,
            choices: Sequence[tuple[str, str]] = (), choice: str | None = None,
            choice_label: str = "") -> str | None:
        """Show the dialog until ``submit`` accepts a name (returned) or it is cancelled."""
        dialog = cls(title, label, text, submit, choices=choices, choice=choice,
                     choice_label=choice_label, parent=parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.name.text()
            return None
        finally:
            dialog.deleteLater()


def _as_validation(error: ValueError) -> ValidationError:
    """A catalog edit's refusal (a ValueError with a sentence) as a form's problem."""
    return ValidationError({"name": str(error)})


# --------------------------------------------------------------------------- handles


@dataclass
class Handle:
    """A catalog item or template as the undo history knows it.

    Undoing a removal adds the record back under a new id: every command refers to the
    record through its handle, which follows it. ``version`` is the version after this
    window's last write; an undo expects to find it, so a colleague's change in between
    is a conflict instead of being overwritten.
    """

    id: int
    version: int


class Handles:
    """The handle of every catalog item or template this window has shown or changed."""

    def __init__(self) -> None:
        self._by_id: dict[int, Handle] = {}

    def of(self, row: Any) -> Handle:
        """The handle of ``row`` (made when first seen)."""
        handle = self._by_id.get(row.id)
        if handle is None:
            handle = self._by_id[row.id] = Handle(row.id, row.version)
        return handle

    def wrote(self, row: Any) -> Handle:
        """Note that this window's write left ``row`` at its version."""
        handle = self.of(row)
        handle.version = row.version
        return handle

    def moved(self, handle: Handle, row: Any) -> None:
        """The record of ``handle`` came back as ``row`` (a new id)."""
        self._by_id.pop(handle.id, None)
        handle.id, handle.version = row.id, row.version
        self._by_id[row.id] = handle

    def clear(self) -> None:
        self._by_id.clear()


# --------------------------------------------------------------------------- commands


class AddResponsibility(RecordCommand):
    """Add an item to the catalog; undo removes it, redo puts it back."""

    def __init__(self, desk: Desk, handles: Handles, name: str, category: str) -> None:
        row = desk.write_now(lambda s: plans.add_responsibility(s, name, category))
        super().__init__(desk, RESPONSIBILITY, f"Add responsibility “{row.name}”")
        self.handles, self.row = handles, row
        self.handle = handles.wrote(row)
        desk.saved(RESPONSIBILITY, row)

    def undo_change(self) -> None:
        self.row = _remove_responsibility(self.desk, self.handle)

    def redo_change(self) -> None:
        _restore_responsibility(self.desk, self.handles, self.handle, self.row)


class RemoveResponsibility(RecordCommand):
    """Remove an item from the catalog; undo puts it back in its place."""

    def __init__(self, desk: Desk, handles: Handles, row: ResponsibilityRow) -> None:
        removed = desk.write_now(
            lambda s: plans.delete_responsibility(s, row.id, row.version))
        super().__init__(desk, RESPONSIBILITY, f"Remove responsibility “{row.name}”")
        self.handles, self.row = handles, removed
        self.handle = handles.of(row)
        desk.removed(RESPONSIBILITY, removed)

    def undo_change(self) -> None:
        _restore_responsibility(self.desk, self.handles, self.handle, self.row)

    def redo_change(self) -> None:
        self.row = _remove_responsibility(self.desk, self.handle)


def _remove_responsibility(desk: Desk, handle: Handle) -> ResponsibilityRow:
    removed = desk.write_now(
        lambda s: plans.delete_responsibility(s, handle.id, handle.version))
    desk.removed(RESPONSIBILITY, removed)
    return removed


def _restore_responsibility(desk: Desk, handles: Handles, handle: Handle,
                            row: ResponsibilityRow) -> None:
    back = desk.write_now(lambda s: plans.restore_responsibility(s, row))
    handles.moved(handle, back)
    desk.saved(RESPONSIBILITY, back)


class ChangeResponsibility(RecordCommand):
    """Rename a catalog item or sort it into another category."""

    def __init__(self, desk: Desk, handles: Handles, row: ResponsibilityRow, *,
                 name: str | None = None, category: str | None = None) -> None:
        after = desk.write_now(lambda s: plans.update_responsibility(
            s, row.id, row.version, name=name, category=category))
        if name is not None:
            text = f"Rename responsibility “{row.name}”"
        else:
            label = catalog.CATEGORY_LABELS.get(category or "", category or "")
            text = f"Sort “{row.name}” as {label.lower()}"
        super().__init__(desk, RESPONSIBILITY, text)
        self.handle = handles.wrote(after)
        self._old = {"name": row.name if name is not None else None,
                     "category": row.category if category is not None else None}
        self._new = {"name": after.name if name is not None else None,
                     "category": category}
        desk.saved(RESPONSIBILITY, after)

    def _write(self, values: dict[str, str | None]) -> None:
        handle = self.handle
        after = self.desk.write_now(lambda s: plans.update_responsibility(
            s, handle.id, handle.version, name=values["name"], category=values["category"]))
        handle.version = after.version
        self.desk.saved(RESPONSIBILITY, after)

    def undo_change(self) -> None:
        self._write(self._old)

    def redo_change(self) -> None:
        self._write(self._new)


class ReorderResponsibilities(RecordCommand):
    """Move catalog items to another place in the list."""

    def __init__(self, desk: Desk, before: Sequence[Handle], after: Sequence[Handle],
                 text: str) -> None:
        super().__init__(desk, RESPONSIBILITY, text)
        self._before, self._after = list(before), list(after)
        self._order(self._after)

    def _order(self, handles: Sequence[Handle]) -> None:
        by_id = {h.id: h for h in handles}

        def work(s: Session) -> tuple[dict[int, int], list[ResponsibilityRow]]:
            was = {r.id: r.version for r in plans.list_responsibilities(s)}
            plans.order_responsibilities(s, [h.id for h in handles])
            return was, plans.list_responsibilities(s)

        was, now = self.desk.write_now(work)
        for row in now:
            handle = by_id.get(row.id)
            # A new position raises the row's version. Follow it only where this window
            # was up to date, so an undo still notices a colleague's rename in between.
            if handle is not None and was.get(row.id) == handle.version:
                handle.version = row.version
            if was.get(row.id) != row.version:
                self.desk.saved(RESPONSIBILITY, row)

    def undo_change(self) -> None:
        self._order(self._before)

    def redo_change(self) -> None:
        self._order(self._after)


def _recreate_template(session: Session, template: catalog.TeamTemplate) -> TemplateRow:
    """Add a removed template back (as a studio's own template, under a new id)."""
    source = plans.list_templates(session)[0]
    copy = plans.copy_template(session, source.id, template.name)
    return plans.save_template(session, copy.id, copy.version, template)


def _template_gone(desk: Desk, handle: Handle, template: catalog.TeamTemplate) -> None:
    desk.removed(TEMPLATE, TemplateRow(handle.id, handle.version, template))


class CopyTemplate(RecordCommand):
    """Make an editable copy of a template; undo removes the copy."""

    def __init__(self, desk: Desk, handles: Handles, source: TemplateRow, name: str) -> None:
        row = desk.write_now(lambda s: plans.copy_template(s, source.id, name))
        super().__init__(desk, TEMPLATE, f"Copy template “{source.name}”")
        self.handles, self.template = handles, row.template
        self.handle = handles.wrote(row)
        self.row = row
        desk.saved(TEMPLATE, row)

    def undo_change(self) -> None:
        handle = self.handle
        self.desk.write_now(lambda s: plans.delete_template(s, handle.id, handle.version))
        _template_gone(self.desk, handle, self.template)

    def redo_change(self) -> None:
        template = self.template
        back = self.desk.write_now(lambda s: _recreate_template(s, template))
        self.handles.moved(self.handle, back)
        self.desk.saved(TEMPLATE, back)


class DeleteTemplate(RecordCommand):
    """Remove a studio's own template; undo brings it back as it was."""

    def __init__(self, desk: Desk, handles: Handles, row: TemplateRow) -> None:
        desk.write_now(lambda s: plans.delete_template(s, row.id, row.version))
        super().__init__(desk, TEMPLATE, f"Delete template “{row.name}”")
        self.handles, self.template = handles, row.template
        self.handle = handles.wrote(row)
        desk.removed(TEMPLATE, row)

    def undo_change(self) -> None:
        template = self.template
        back = self.desk.write_now(lambda s: _recreate_template(s, template))
        self.handles.moved(self.handle, back)
        self.desk.saved(TEMPLATE, back)

    def redo_change(self) -> None:
        handle = self.handle
        self.desk.write_now(lambda s: plans.delete_template(s, handle.id, handle.version))
        _template_gone(self.desk, handle, self.template)


class EditTemplate(RecordCommand):
    """Any change to a studio's own template: a cell, an activity, a role, its name."""

    def __init__(self, desk: Desk, handles: Handles, row: TemplateRow,
                 after: catalog.TeamTemplate, text: str) -> None:
        saved = desk.write_now(lambda s: plans.save_template(s, row.id, row.version, after))
        super().__init__(desk, TEMPLATE, text)
        self.handle = handles.wrote(saved)
        self._before, self._after = row.template, after
        desk.saved(TEMPLATE, saved)

    def _save(self, template: catalog.TeamTemplate) -> None:
        handle = self.handle
        saved = self.desk.write_now(
            lambda s: plans.save_template(s, handle.id, handle.version, template))
        handle.version = saved.version
        self.desk.saved(TEMPLATE, saved)

    def undo_change(self) -> None:
        self._save(self._before)

    def redo_change(self) -> None:
        self._save(self._after)


# --------------------------------------------------------------------------- models


class ResponsibilityModel(RowsById, QAbstractTableModel):
    """The catalog in its on-screen order: name and category of each item."""

    HEADERS = ("Responsibility", "Category")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ResponsibilityRow] = []
        #: Called with (row, "name" or "category", value) for an edited cell; returns
        #: whether the change was saved. None: read-only.
        self.edit_handler: Callable[[ResponsibilityRow, str, str], bool] | None = None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Items of the catalog; a table has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Name and category; a table has no children."""
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The item's name or category label, the stored value, a note, or the row."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.name if column == 0 else catalog.CATEGORY_LABELS.get(row.category,
                                                                          row.category)
        if role == Qt.ItemDataRole.EditRole:
            return row.name if column == 0 else row.category
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return _NOTES.get(row.name) or row.name
            return ("Client-focused work goes to the Account Manager, project-focused "
                    "work to the Production Manager; shared work to both. "
                    f"Change it with F2 or {', '.join(_CATEGORY_KEYS)}.")
        if role == RowRole:
            return row
        return None

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

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Cells can be selected, and edited while a workspace is open."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                 | Qt.ItemFlag.ItemNeverHasChildren)
        if self.edit_handler is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Hand an edited name or category to the edit handler; the saved row comes back
        through :meth:`upsert`."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self.edit_handler is None:
            return False
        row = self._rows[index.row()]
        key = "name" if index.column() == 0 else "category"
        value = str(value or "")
        if value == (row.name if key == "name" else row.category):
            return True
        return self.edit_handler(row, key, value)

    # Rows -------------------------------------------------------------------------------

    def _ordered(self, rows: Sequence[ResponsibilityRow]) -> list[ResponsibilityRow]:
        """Catalog order: by category, then position."""
        return sorted(rows, key=_catalog_order)

    def upsert(self, row: ResponsibilityRow) -> None:
        """Show a saved item: in place, moved to its new position, or added."""
        position = self.position_of(row.id)
        if position < 0:
            keys = [_catalog_order(r) for r in self._rows]
            position = sum(1 for k in keys if k < _catalog_order(row))
            self.beginInsertRows(QModelIndex(), position, position)
            self._rows.insert(position, row)
            self.endInsertRows()
            return
        self._rows[position] = row
        if self._rows != sorted(self._rows, key=_catalog_order):
            self._resort()
        else:
            self.dataChanged.emit(self.index(position, 0), self.index(position, 1), [])

    def _resort(self) -> None:
        """Put the rows in catalog order, keeping the cursor on the same items."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [(self._rows[i.row()].id, i.column()) for i in persistent]
        self._rows.sort(key=_catalog_order)
        self.changePersistentIndexList(
            persistent, [self.index(self.position_of(rid), column) for rid, column in kept])
        self.layoutChanged.emit()

    def remove(self, item_id: int) -> None:
        position = self.position_of(item_id)
        if position >= 0:
            self.beginRemoveRows(QModelIndex(), position, position)
            del self._rows[position]
            self.endRemoveRows()


def _catalog_order(row: ResponsibilityRow) -> tuple[int, int]:
    return row.position, row.id


class TemplateListModel(RowsById, QAbstractListModel):
    """Every team template: the built-in ones first (marked so), then the studio's own."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TemplateRow] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Templates in the list; a list has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A template's name (built-ins say so), its description, or the row."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.name} (built-in)" if row.builtin else row.name
        if role == Qt.ItemDataRole.ToolTipRole:
            note = ("Comes with Studio Desk and is read-only: copy it to make your own."
                    if row.builtin else "The studio's own template: edit it freely.")
            return f"{row.template.description}\n\n{note}".strip()
        if role == RowRole:
            return row
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Templates can be selected (they are edited in the matrix, not in the list)."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)


    def upsert(self, row: TemplateRow) -> None:
        """Show a saved template; a studio's own one goes among the others by name."""
        position = self.position_of(row.id)
        if position >= 0 and self._rows[position].name == row.name:
            self._rows[position] = row
            index = self.index(position, 0)
            self.dataChanged.emit(index, index, [])
            return
        if position >= 0:
            self.remove(row.id)  # renamed: it moves to its new place in the list
        position = len(self._rows)
        if not row.builtin:
            own = [i for i, r in enumerate(self._rows) if not r.builtin]
            after = [i for i in own if self._rows[i].name.casefold() > row.name.casefold()]
            position = after[0] if after else len(self._rows)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self.endInsertRows()

    def remove(self, template_id: int) -> None:
        position = self.position_of(template_id)
        if position >= 0:
            self.beginRemoveRows(QModelIndex(), position, position)
            del self._rows[position]
            self.endRemoveRows()


def row_problems(template: catalog.TeamTemplate, activity: int) -> tuple[str, ...]:
    """What a careful reader would query about one row (``TeamTemplate.problems``)."""
    one_row = replace(template, activities=(template.activities[activity],),
                      cells=(template.cells[activity],))
    return one_row.problems()


class TemplateMatrixModel(QAbstractTableModel):
    """One template's RACI matrix: an activity per row, its name first, a role a column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.template: catalog.TeamTemplate | None = None
        self._problems: list[tuple[str, ...]] = []
        #: Called with (activity row, column, value) for an edited cell (column 0: the
        #: activity's new name; a role column: the new letters); returns whether it was
        #: saved. None: nothing can be edited.
        self.edit_handler: Callable[[int, int, str], bool] | None = None

    @property
    def editable(self) -> bool:
        return (self.edit_handler is not None and self.template is not None
                and not self.template.builtin)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Activities of the template; a table has no children."""
        if parent.isValid() or self.template is None:
            return 0
        return len(self.template.activities)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """The activity column and one per role; a table has no children."""
        if parent.isValid() or self.template is None:
            return 0
        return 1 + len(self.template.roles)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """An activity's name or a cell's letters, how to read them, and row warnings."""
        if not index.isValid() or self.template is None:
            return None
        template, row, column = self.template, index.row(), index.column()
        activity = template.activities[row]
        problems = self._problems[row]
        if column == 0:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return activity
            if role == Qt.ItemDataRole.ToolTipRole:
                return " ".join(problems) if problems else activity
            if role == Qt.ItemDataRole.DecorationRole and problems:
                return QApplication.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxWarning)
            if role == Qt.ItemDataRole.ForegroundRole and problems:
                return warning_colour(QApplication.palette())
            return None
        cell = template.cells[row][column - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return catalog.format_cell(cell) if cell else _NOT_INVOLVED
        if role == Qt.ItemDataRole.EditRole:
            return cell
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTRE
        if role == Qt.ItemDataRole.ToolTipRole:
            who = template.roles[column - 1]
            if not cell:
                return f"{who} is not involved in “{activity}”."
            meanings = "; ".join(catalog.RACI_MEANINGS[letter] for letter in cell)
            return f"{who}, “{activity}”: {meanings}."
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """"Activity", then the roles."""
        if (orientation != Qt.Orientation.Horizontal or self.template is None
                or not 0 <= section <= len(self.template.roles)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return "Activity" if section == 0 else self.template.roles[section - 1]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return HEADER_ALIGNMENT if section == 0 else _CENTRE
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Every cell can be selected; a studio's own template can be edited."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                 | Qt.ItemFlag.ItemNeverHasChildren)
        if self.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Hand an edited cell to the edit handler (built-ins refuse every edit)."""
        if (not index.isValid() or role != Qt.ItemDataRole.EditRole or not self.editable
                or self.edit_handler is None):
            return False
        value = str(value or "")
        if value == self.data(index, Qt.ItemDataRole.EditRole):
            return True
        return self.edit_handler(index.row(), index.column(), value)

    def problem_count(self) -> int:
        return sum(1 for p in self._problems if p)

    def all_problems(self) -> list[str]:
        return [sentence for problems in self._problems for sentence in problems]

    def set_template(self, template: catalog.TeamTemplate | None) -> None:
        """Show ``template``: cells in place when only letters or names changed."""
        old = self.template
        problems = ([row_problems(template, a) for a in range(len(template.activities))]
                    if template is not None else [])
        same_shape = (old is not None and template is not None
                      and len(old.activities) == len(template.activities)
                      and len(old.roles) == len(template.roles) and old.builtin ==
                      template.builtin)
        if not same_shape:
            self.beginResetModel()
            self.template, self._problems = template, problems
            self.endResetModel()
            return
        assert template is not None
        self.template, self._problems = template, problems
        if template.roles != old.roles:  # type: ignore[union-attr]
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(template.roles))
        self.dataChanged.emit(self.index(0, 0),
                              self.index(self.rowCount() - 1, self.columnCount() - 1), [])


def typed_cell(cell: str, letter: str) -> str:
    """What a cell becomes when ``letter`` is typed on it: that letter, except that R on
    an A cell (or A on an R cell) makes R/A. An empty ``letter`` clears the cell."""
    if letter in ("R", "A") and cell in ("R", "A") and cell != letter:
        return "RA"
    return letter


class MatrixTable(QTableView):
    """The RACI grid: typing R, A, C or I sets the current cell, Delete clears it."""

    #: A key tried to change a read-only (built-in) template.
    refused = Signal()

    _CLEARING = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Letters and Delete change the current cell at once; other keys as usual."""
        index = self.currentIndex()
        plain = not event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                         | Qt.KeyboardModifier.AltModifier
                                         | Qt.KeyboardModifier.MetaModifier)
        letter = event.text().upper()
        typed = letter in catalog.RACI_LETTERS or event.key() in self._CLEARING
        if (typed and plain and index.isValid() and index.column() > 0
                and self.state() != QAbstractItemView.State.EditingState):
            event.accept()
            if not index.flags() & Qt.ItemFlag.ItemIsEditable:
                self.refused.emit()
                return
            value = "" if event.key() in self._CLEARING else typed_cell(
                index.data(Qt.ItemDataRole.EditRole), letter)
            self.model().setData(index, value, Qt.ItemDataRole.EditRole)
            return
        super().keyPressEvent(event)


# --------------------------------------------------------------------------- the panels


def _read_again_after(error: StudioDeskError, desk: Desk, kind: str) -> None:
    """After a colleague's change got in the way, show what the workspace holds now.

    Deferred: a cell editor may still be handing over its value, and the table must not
    be reset under it.
    """
    if isinstance(error, ConflictError | NotFoundError):
        QTimer.singleShot(0, desk, lambda: desk.stale.emit(frozenset({kind})))


def _select(view: QAbstractItemView, row: int, column: int = 0) -> None:
    model = view.model()
    if not model.rowCount():
        return
    row = min(max(row, 0), model.rowCount() - 1)
    index = model.index(row, max(column, 0))
    if not index.isValid():  # past the last column
        index = model.index(row, 0)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
    if view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows:
        flags |= QItemSelectionModel.SelectionFlag.Rows
    view.selectionModel().setCurrentIndex(index, flags)
    view.scrollTo(index)


class CatalogPanel(QGroupBox):
    """The responsibility catalog: add, rename, remove, sort, reorder; the balance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Responsibility catalog", parent)
        self.setObjectName("catalog_panel")
        self.desk: Desk | None = None
        self.handles = Handles()
        self.model = ResponsibilityModel(self)
        intro = make_label(self, "catalog_intro")
        intro.setText("The recurring work of the old project-manager job. Client-focused "
                      "work goes to the Account Manager, project-focused work to the "
                      "Production Manager, shared work to both.")
        self.table = make_table("catalog_table", "Responsibility catalog", self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(1, ChoiceDelegate(
            [(c, catalog.CATEGORY_LABELS[c]) for c in catalog.CATEGORIES], "Category",
            self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, self.fontMetrics().horizontalAdvance("Project-focused") + 40)

        self.add_button = make_button(self, "&Add…", "add_responsibility",
                                      "Add an item to the catalog", self.add)
        self.rename_button = make_button(self, "Re&name…", "rename_responsibility",
                                         "Rename the selected item (F2 edits it in place)",
                                         self.rename)
        self.remove_button = make_button(self, "Remo&ve", "remove_responsibility",
                                         "Remove the selected item (Delete); Edit › Undo "
                                         "brings it back", self.remove)
        self.up_button = arrow_button(self, Qt.ArrowType.UpArrow, "move_responsibility_up",
                                      "Move up", "Move the selected item up (Alt+Up)",
                                      lambda: self.move(-1))
        self.down_button = arrow_button(self, Qt.ArrowType.DownArrow,
                                        "move_responsibility_down", "Move down",
                                        "Move the selected item down (Alt+Down)",
                                        lambda: self.move(1))
        self.category_actions = [
            table_action(self.table, f"Sort as {catalog.CATEGORY_LABELS[c].lower()}",
                         f"sort_{c}", keys, lambda _checked=False, c=c: self.set_category(c))
            for c, keys in zip(catalog.CATEGORIES, _CATEGORY_KEYS, strict=True)]
        table_action(self.table, "Move up", "move_up_action", "Alt+Up", lambda: self.move(-1))
        table_action(self.table, "Move down", "move_down_action", "Alt+Down",
                     lambda: self.move(1))
        table_action(self.table, "Remove", "remove_action", "Delete", self.remove)
        hint = make_label(self, "catalog_keys")
        hint.setText("Sort the selected item: Ctrl+1 client · Ctrl+2 project · Ctrl+3 shared")
        self.balance_label = make_label(self, "balance", "Balance of the catalog")
        self.balance_note = make_label(self, "balance_note", warning=True)

        buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        layout.addWidget(self.balance_label)
        layout.addWidget(self.balance_note)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved,
                       self.model.dataChanged, self.model.layoutChanged):
            signal.connect(self._update)
        self.table.selectionModel().currentChanged.connect(self._update)
        self._update()

    # Binding ----------------------------------------------------------------------------

    def bind(self, desk: Desk | None) -> None:
        self.desk = desk
        self.handles.clear()
        self.model.edit_handler = self._edit_cell if desk is not None else None

    def show_rows(self, rows: Sequence[ResponsibilityRow]) -> None:
        """Show freshly read items, keeping the cursor on the same item."""
        current = self.current_row()
        self.model.set_rows(rows)
        position = self.model.position_of(current.id) if current is not None else -1
        _select(self.table, max(position, 0))

    def current_row(self) -> ResponsibilityRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_id(self, item_id: int) -> None:
        position = self.model.position_of(item_id)
        if position >= 0:
            _select(self.table, position, self.table.currentIndex().column())

    # Changes ----------------------------------------------------------------------------

    def _push(self, make: Callable[[Desk], RecordCommand]) -> RecordCommand | None:
        """Make a change and put it on the undo stack; a problem is said, not raised."""
        if self.desk is None:
            return None
        try:
            command = make(self.desk)
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            _read_again_after(exc, self.desk, RESPONSIBILITY)
            return None
        self.desk.undo_stack.push(command)
        return command

    def add(self) -> None:
        """Ask for a new item's name and category, and add it at the end."""
        desk = self.desk
        if desk is None:
            return
        added: list[ResponsibilityRow] = []

        def submit(name: str, category: str | None) -> None:
            command = AddResponsibility(desk, self.handles, name, category or catalog.SHARED)
            desk.undo_stack.push(command)
            added.append(command.row)

        NameDialog.ask(self, "Add responsibility", "&Name:", "", submit,
                       choices=[(c, catalog.CATEGORY_LABELS[c]) for c in catalog.CATEGORIES],
                       choice=catalog.SHARED, choice_label="&Category:")
        if added:
            self.select_id(added[-1].id)
            self.table.setFocus()

    def rename(self) -> None:
        """Ask for another name for the selected item."""
        row, desk = self.current_row(), self.desk
        if row is None or desk is None:
            return

        def submit(name: str, _choice: str | None) -> None:
            if name.strip() != row.name:
                position = self.model.position_of(row.id)
                latest = self.model.row_at(position) if position >= 0 else row
                desk.undo_stack.push(ChangeResponsibility(desk, self.handles, latest,
                                                          name=name))

        NameDialog.ask(self, f"Rename “{row.name}”", "&Name:", row.name, submit)

    def remove(self) -> None:
        """Remove the selected item (Edit › Undo brings it back)."""
        row = self.current_row()
        if row is None or self.table.state() == QAbstractItemView.State.EditingState:
            return
        position = self.table.currentIndex().row()
        if self._push(lambda desk: RemoveResponsibility(desk, self.handles, row)):
            _select(self.table, min(position, self.model.rowCount() - 1))

    def set_category(self, category: str) -> None:
        """Sort the selected item into ``category``."""
        row = self.current_row()
        if row is not None and row.category != category:
            self._push(lambda desk: ChangeResponsibility(desk, self.handles, row,
                                                         category=category))

    def move(self, step: int) -> None:
        """Move the selected item ``step`` places (-1 up, 1 down)."""
        row = self.current_row()
        if row is None:
            return
        rows = self.model.rows()
        position = self.model.position_of(row.id)
        target = position + step
        if not 0 <= target < len(rows):
            return
        before = [self.handles.of(r) for r in rows]
        after = list(before)
        after[position], after[target] = after[target], after[position]
        text = f"Move “{row.name}” {'up' if step < 0 else 'down'}"
        self._push(lambda desk: ReorderResponsibilities(desk, before, after, text))

    def _edit_cell(self, row: ResponsibilityRow, key: str, value: str) -> bool:
        if key == "category" and value not in catalog.CATEGORIES:
            return False
        changes = {key: value}
        return self._push(lambda desk: ChangeResponsibility(
            desk, self.handles, row, **changes)) is not None

    # Notices ----------------------------------------------------------------------------

    def _update(self, *_args: object) -> None:
        has_desk = self.desk is not None
        row = self.current_row()
        position = self.table.currentIndex().row()
        self.add_button.setEnabled(has_desk)
        for button in (self.rename_button, self.remove_button):
            button.setEnabled(has_desk and row is not None)
        self.up_button.setEnabled(has_desk and row is not None and position > 0)
        self.down_button.setEnabled(has_desk and row is not None
                                    and position < self.model.rowCount() - 1)
        for action in self.category_actions:
            action.setEnabled(has_desk and row is not None)
        split = catalog.balance(r.category for r in self.model.rows())
        if not has_desk:
            self.balance_label.clear()
            self.balance_note.clear()
            return
        self.balance_label.setText(f"Balance: {split.text} ({split.total} in all)")
        note = ""
        if split.total and not split.client:
            note = "Nothing is client-focused yet: the Account Manager would have no work."
        elif split.total and not split.project:
            note = ("Nothing is project-focused yet: the Production Manager would have no "
                    "work.")
        self.balance_note.setText(note)
        self.balance_note.setVisible(bool(note))


class TemplatesPanel(QGroupBox):
    """The team-structure templates: the list, and the selected one's RACI matrix."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Team-structure templates", parent)
        self.setObjectName("templates_panel")
        self.desk: Desk | None = None
        self.handles = Handles()
        self.list_model = TemplateListModel(self)
        self.matrix_model = TemplateMatrixModel(self)

        self.list = QListView(self)
        self.list.setObjectName("template_list")
        self.list.setAccessibleName("Team templates")
        self.list.setModel(self.list_model)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 12))
        # Room for the built-in templates and a few of the studio's own.
        self.list.setFixedHeight(self.fontMetrics().lineSpacing() * 11)
        self.description = make_label(self, "template_description",
                                      "Description of the template")
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.notice = make_label(self, "template_notice", "Whether the template can be edited")
        self.copy_button = make_button(self, "Cop&y…", "copy_template",
                                       "Make an editable copy of the selected template",
                                       self.copy)
        self.rename_button = make_button(self, "Rename…", "rename_template",
                                         "Rename the selected template", self.rename)
        self.delete_button = make_button(self, "Delete", "delete_template",
                                         "Delete the selected template (Edit › Undo brings "
                                         "it back)", self.delete)

        self.matrix = MatrixTable(self)
        _style_table(self.matrix, "template_matrix", "Responsibility matrix")
        self.matrix.setModel(self.matrix_model)
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                    | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.matrix.setItemDelegate(_MatrixDelegate(self.matrix))
        self.matrix.refused.connect(self._refused)
        matrix_header = self.matrix.horizontalHeader()
        matrix_header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        matrix_header.setStretchLastSection(False)

        self.add_activity_button = make_button(
            self, "Add…", "add_activity", "Add an activity at the end",
            self.add_activity)
        self.rename_activity_button = make_button(
            self, "Rename…", "rename_activity",
            "Rename the selected activity (F2 on its name edits it in place)",
            self.rename_activity)
        self.remove_activity_button = make_button(
            self, "Remove", "remove_activity", "Remove the selected activity",
            self.remove_activity)
        self.add_role_button = make_button(self, "Add…", "add_role",
                                           "Add a role as the last column", self.add_role)
        self.rename_role_button = make_button(self, "Rename…", "rename_role",
                                              "Rename the role of the selected column",
                                              self.rename_role)
        self.remove_role_button = make_button(self, "Remove", "remove_role",
                                              "Remove the role of the selected column",
                                              self.remove_role)
        for button, name in ((self.add_activity_button, "Add activity"),
                             (self.rename_activity_button, "Rename activity"),
                             (self.remove_activity_button, "Remove activity"),
                             (self.add_role_button, "Add role"),
                             (self.rename_role_button, "Rename role"),
                             (self.remove_role_button, "Remove role")):
            button.setAccessibleName(name)
        legend = make_label(self, "raci_legend")
        legend.setText("R does the work · A owns the outcome · C is consulted · I is kept "
                       "informed. Type R, A, C or I in a cell (A on R makes R/A), Delete "
                       "clears it, F2 picks from a list.")
        self.problems = make_label(self, "matrix_problems", "Rows that need a look",
                                   warning=True)

        side = QVBoxLayout()
        side.addWidget(self.description, 1)
        side.addWidget(self.notice)
        template_buttons = QHBoxLayout()
        for button in (self.copy_button, self.rename_button, self.delete_button):
            template_buttons.addWidget(button)
        template_buttons.addStretch(1)
        side.addLayout(template_buttons)
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(side, 1)
        matrix_buttons = QGridLayout()
        for row, (caption, buttons) in enumerate((
                ("Activity:", (self.add_activity_button, self.rename_activity_button,
                               self.remove_activity_button)),
                ("Role:", (self.add_role_button, self.rename_role_button,
                           self.remove_role_button)))):
            matrix_buttons.addWidget(QLabel(caption, self), row, 0)
            for column, button in enumerate(buttons, start=1):
                matrix_buttons.addWidget(button, row, column)
        matrix_buttons.setColumnStretch(4, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.matrix, 1)
        layout.addLayout(matrix_buttons)
        layout.addWidget(legend)
        layout.addWidget(self.problems)
        QWidget.setTabOrder(self.list, self.copy_button)
        QWidget.setTabOrder(self.copy_button, self.rename_button)
        QWidget.setTabOrder(self.rename_button, self.delete_button)
        QWidget.setTabOrder(self.delete_button, self.matrix)

        self.list.selectionModel().currentChanged.connect(self._template_chosen)
        self.list_model.modelReset.connect(self._template_chosen)
        self.list_model.dataChanged.connect(self._template_chosen)
        self.list_model.rowsRemoved.connect(self._template_chosen)
        self.matrix.selectionModel().currentChanged.connect(self._update)
        self._template_chosen()

    # Binding ----------------------------------------------------------------------------

    def bind(self, desk: Desk | None) -> None:
        self.desk = desk
        self.handles.clear()
        self.matrix_model.edit_handler = self._edit_cell if desk is not None else None

    def show_rows(self, rows: Sequence[TemplateRow]) -> None:
        """Show freshly read templates, keeping the same one selected."""
        current = self.current_row()
        self.list_model.set_rows(rows)
        position = self.list_model.position_of(current.id) if current is not None else -1
        _select(self.list, max(position, 0))

    def current_row(self) -> TemplateRow | None:
        index = self.list.currentIndex()
        return self.list_model.row_at(index.row()) if index.isValid() else None

    def select_id(self, template_id: int) -> None:
        position = self.list_model.position_of(template_id)
        if position >= 0:
            _select(self.list, position)

    def _template_chosen(self, *_args: object) -> None:
        row = self.current_row()
        current = self.matrix.currentIndex()
        self.matrix_model.set_template(row.template if row is not None else None)
        if self.matrix_model.rowCount() and not self.matrix.currentIndex().isValid():
            _select(self.matrix, max(current.row(), 0), max(current.column(), 1))
        self._fit_matrix()
        if row is None:
            self.description.clear()
            self.notice.clear()
        else:
            self.description.setText(row.template.description
                                     or "The studio's own team structure.")
            self.notice.setText(
                "Built in and read-only: use Copy… to make a version of your own."
                if row.builtin else "The studio's own template: edits are saved at once "
                                    "(Edit › Undo takes them back).")
        self._update()

    def _fit_matrix(self) -> None:
        """The activity column takes the room its names need; roles share the rest."""
        header = self.matrix.horizontalHeader()
        columns = self.matrix_model.columnCount()
        if not columns:
            return
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, columns):
            role = str(self.matrix_model.headerData(column, Qt.Orientation.Horizontal))
            width = max(self.fontMetrics().horizontalAdvance(role) + 24,
                        self.fontMetrics().horizontalAdvance("R/A") + 40)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, min(width, 190))

    def _refused(self) -> None:
        row = self.current_row()
        name = row.name if row is not None else "This template"
        self.notice.setText(f"“{name}” comes with Studio Desk and cannot be changed: use "
                            "Copy… to make a version of your own, then edit that.")
        QApplication.beep()

    # Changes ----------------------------------------------------------------------------

    def _push(self, make: Callable[[Desk], RecordCommand]) -> bool:
        if self.desk is None:
            return False
        try:
            command = make(self.desk)
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            _read_again_after(exc, self.desk, TEMPLATE)
            return False
        self.desk.undo_stack.push(command)
        return True

    def _free_copy_name(self, name: str) -> str:
        taken = {r.name.casefold() for r in self.list_model.rows()}
        candidate, n = f"{name} (copy)", 2
        while candidate.casefold() in taken:
            candidate, n = f"{name} (copy {n})", n + 1
        return candidate

    def copy(self) -> None:
        """Ask for a name and make an editable copy of the selected template."""
        row, desk = self.current_row(), self.desk
        if row is None or desk is None:
            return
        made: list[TemplateRow] = []

        def submit(name: str, _choice: str | None) -> None:
            command = CopyTemplate(desk, self.handles, row, name)
            desk.undo_stack.push(command)
            made.append(command.row)

        NameDialog.ask(self, "Copy template", "&Name of the copy:",
                       self._free_copy_name(row.name), submit)
        if made:
            self.select_id(made[-1].id)
            self.matrix.setFocus()

    def _change(self, text: str, edit: Callable[[catalog.TeamTemplate], catalog.TeamTemplate],
                *, raising: bool = False) -> bool:
        """Apply ``edit`` to the selected template and save it as one undo step.

        With ``raising``, a refusal is raised as a ValidationError (for a dialog to show);
        otherwise it is shown as a message.
        """
        row, desk = self.current_row(), self.desk
        if row is None or desk is None or row.builtin:
            return False
        try:
            after = edit(row.template)
        except ValueError as exc:
            if raising:
                raise _as_validation(exc) from None
            show_problem(self, str(exc))
            return False
        if after == row.template:
            return True
        if raising:
            desk.undo_stack.push(EditTemplate(desk, self.handles, row, after, text))
            return True
        return self._push(lambda d: EditTemplate(d, self.handles, row, after, text))

    def rename(self) -> None:
        row = self.current_row()
        if row is None or row.builtin:
            return
        NameDialog.ask(self, f"Rename “{row.name}”", "&Name:", row.name,
                       lambda name, _c: self._change(
                           f"Rename template “{row.name}”",
                           lambda t: replace(t, name=" ".join(name.split())), raising=True))

    def delete(self) -> None:
        row = self.current_row()
        if row is None or row.builtin:
            return
        position = self.list.currentIndex().row()
        if self._push(lambda desk: DeleteTemplate(desk, self.handles, row)):
            _select(self.list, min(position, self.list_model.rowCount() - 1))

    def _activity(self) -> str | None:
        template, index = self.matrix_model.template, self.matrix.currentIndex()
        if template is None or not index.isValid():
            return None
        return template.activities[index.row()]

    def _role(self) -> str | None:
        template, index = self.matrix_model.template, self.matrix.currentIndex()
        if template is None or not index.isValid() or index.column() < 1:
            return None
        return template.roles[index.column() - 1]

    def add_activity(self) -> None:
        row = self.current_row()
        if row is None or row.builtin:
            return

        def submit(name: str, _choice: str | None) -> None:
            self._change(f"Add activity to “{row.name}”",
                         lambda t: catalog.add_activity(t, name), raising=True)

        if NameDialog.ask(self, "Add activity", "&Activity:", "", submit) is not None:
            _select(self.matrix, self.matrix_model.rowCount() - 1,
                    max(self.matrix.currentIndex().column(), 0))

    def rename_activity(self) -> None:
        activity = self._activity()
        if activity is not None:
            NameDialog.ask(self, f"Rename “{activity}”", "&Activity:", activity,
                           lambda name, _c: self._change(
                               f"Rename activity “{activity}”",
                               lambda t: catalog.rename(t, activity=(activity, name)),
                               raising=True))

    def remove_activity(self) -> None:
        activity = self._activity()
        if activity is not None:
            self._change(f"Remove activity “{activity}”",
                         lambda t: catalog.remove_activity(t, activity))

    def add_role(self) -> None:
        row = self.current_row()
        if row is None or row.builtin:
            return
        NameDialog.ask(self, "Add role", "&Role:", "",
                       lambda name, _c: self._change(f"Add role to “{row.name}”",
                                                     lambda t: catalog.add_role(t, name),
                                                     raising=True))

    def rename_role(self) -> None:
        role = self._role()
        if role is not None:
            NameDialog.ask(self, f"Rename “{role}”", "&Role:", role,
                           lambda name, _c: self._change(
                               f"Rename role “{role}”",
                               lambda t: catalog.rename(t, role=(role, name)), raising=True))

    def remove_role(self) -> None:
        role = self._role()
        if role is not None:
            self._change(f"Remove role “{role}”", lambda t: catalog.remove_role(t, role))

    def _edit_cell(self, activity_row: int, column: int, value: str) -> bool:
        template = self.matrix_model.template
        if template is None:
            return False
        activity = template.activities[activity_row]
        if column == 0:
            return self._change(f"Rename activity “{activity}”",
                                lambda t: catalog.rename(t, activity=(activity, value)))
        role = template.roles[column - 1]
        shown = catalog.format_cell(catalog.normalise_cell(value)) or "nothing"
        return self._change(f"Set {role} on “{activity}” to {shown}",
                            lambda t: catalog.set_cell(t, activity, role, value))

    # Notices ----------------------------------------------------------------------------

    def _update(self, *_args: object) -> None:
        row = self.current_row()
        has_desk = self.desk is not None
        own = has_desk and row is not None and not row.builtin
        self.copy_button.setEnabled(has_desk and row is not None)
        self.rename_button.setEnabled(own)
        self.delete_button.setEnabled(own)
        index = self.matrix.currentIndex()
        self.add_activity_button.setEnabled(own)
        self.add_role_button.setEnabled(own)
        self.rename_activity_button.setEnabled(own and index.isValid())
        self.remove_activity_button.setEnabled(own and index.isValid())
        self.rename_role_button.setEnabled(own and index.isValid() and index.column() > 0)
        self.remove_role_button.setEnabled(own and index.isValid() and index.column() > 0)
        flagged = self.matrix_model.problem_count()
        if not flagged:
            self.problems.clear()
            self.problems.setVisible(False)
            return
        sentences = self.matrix_model.all_problems()
        more = len(sentences) - 2
        text = (f"{flagged} row{'s' if flagged != 1 else ''} to look at (marked): "
                + " ".join(sentences[:2]) + (f" …and {more} more." if more > 0 else ""))
        self.problems.setText(text)
        self.problems.setToolTip("\n".join(sentences))
        self.problems.setVisible(True)


class _MatrixDelegate(ChoiceDelegate):
    """A drop-down of RACI cells for role columns; a line edit for activity names."""

    def __init__(self, parent: QObject | None = None) -> None:
        choices = [(cell, catalog.format_cell(cell) if cell else "— not involved")
                   for cell in catalog.CELL_CHOICES]
        super().__init__(choices, "Responsibility cell", parent)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: _Index) -> QWidget:
        """The activity's name in a line edit; a cell's letters from a drop-down."""
        if index.column() == 0:
            editor = QLineEdit(parent)
            editor.setAccessibleName("Activity")
            return editor
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        """Start from the name or letters shown."""
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole)))
            return
        assert isinstance(editor, QComboBox)
        cell = str(index.data(Qt.ItemDataRole.EditRole))
        if editor.findData(cell) < 0:  # letters the list does not offer, e.g. "CI"
            editor.addItem(catalog.format_cell(cell), cell)
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: _Index) -> None:
        """Hand the new name or letters to the model."""
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


# --------------------------------------------------------------------------- the page


class ResponsibilitiesView(QWidget):
    """A page of the main window: the catalog on the left, the templates on the right."""

    title = "Responsibilities"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("responsibilities_view")
        self.setAccessibleName(self.title)
        self.desk: Desk | None = None
        self._generation = 0
        self.catalog = CatalogPanel(self)
        self.templates = TemplatesPanel(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("responsibilities_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.catalog)
        self.splitter.addWidget(self.templates)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setSizes([400, 600])  # shares of the width, kept as it changes
        # In a window narrower than both panels need, the page scrolls sideways instead
        # of holding the whole window wide.
        scroll = QScrollArea(self)
        scroll.setObjectName("responsibilities_scroll")
        scroll.setAccessibleName(self.title)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)

    def showEvent(self, event: QShowEvent) -> None:
        """Read the catalog again when the page comes into view (the wizard's first steps
        may have changed it)."""
        super().showEvent(event)
        if self.desk is not None:
            self.reload()

    def bind(self, desk: Desk | None) -> None:
        """Show the catalog and templates of ``desk`` (None: no workspace open)."""
        if self.desk is not None:
            for signal, slot in self._connections():
                signal.disconnect(slot)
        self.desk = desk
        self.catalog.bind(desk)
        self.templates.bind(desk)
        if desk is not None:
            for signal, slot in self._connections():
                signal.connect(slot)
        self.reload()

    def _connections(self) -> list[tuple[Any, Callable[..., None]]]:
        assert self.desk is not None
        return [(self.desk.row_saved, self._on_saved), (self.desk.row_removed, self._on_removed),
                (self.desk.stale, self._on_stale)]

    def reload(self) -> None:
        """Read the catalog and the templates again (off the GUI thread)."""
        self._generation += 1
        generation = self._generation
        if self.desk is None:
            self.catalog.show_rows([])
            self.templates.show_rows([])
            return

        def read(s: Session) -> tuple[list[ResponsibilityRow], list[TemplateRow]]:
            return plans.list_responsibilities(s), plans.list_templates(s)

        def done(result: tuple[list[ResponsibilityRow], list[TemplateRow]]) -> None:
            if generation == self._generation:
                self.catalog.show_rows(result[0])
                self.templates.show_rows(result[1])

        self.desk.read(read, done)

    def _on_saved(self, kind: str, row: object) -> None:
        if kind == RESPONSIBILITY and isinstance(row, ResponsibilityRow):
            self.catalog.model.upsert(row)
        elif kind == TEMPLATE and isinstance(row, TemplateRow):
            shown = self.templates.current_row()
            self.templates.list_model.upsert(row)
            # A renamed template moves in the list; the cursor goes with it.
            if shown is None or shown.id == row.id:
                self.templates.select_id(row.id)

    def _on_removed(self, kind: str, item_id: int) -> None:
        if kind == RESPONSIBILITY:
            self.catalog.model.remove(item_id)
        elif kind == TEMPLATE:
            self.templates.list_model.remove(item_id)

    def _on_stale(self, kinds: frozenset[str]) -> None:
        if kinds & {RESPONSIBILITY, TEMPLATE}:
            self.reload()
