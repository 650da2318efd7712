"""The pages of the main window that list records: Clients, Projects, People.

Every page is a :class:`RecordView`: a search box, a table, and Add / Edit / Delete.
Tables are read off the GUI thread (``Desk.read``); changes go through the undo stack
(``Desk.add/edit/delete``) and come back as notices that update every table showing the
record. The People page adds a pane with the selected person's relationships.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from studio_desk.core import fields as F
from studio_desk.core.errors import ConflictError, StudioDeskError
from studio_desk.core.rows import PersonRow, RelationshipRow, Row
from studio_desk.gui.dashboard import DashboardView
from studio_desk.gui.desk import Desk, describe
from studio_desk.gui.editors import FieldDelegate
from studio_desk.gui.forms import ConfirmDelete, RecordDialog
from studio_desk.gui.messages import show_problem
from studio_desk.gui.plans_page import PlansView
from studio_desk.gui.responsibilities import ResponsibilitiesView
from studio_desk.gui.style import style_table
from studio_desk.gui.tables import (
    LoadedRows,
    RecordFilterModel,
    RecordTableModel,
    columns_for,
    prepare_rows,
)
from studio_desk.store import records

#: Above this many rows, searching waits for a pause in typing instead of every key.
_SEARCH_AT_ONCE_LIMIT = 20_000
_SEARCH_PAUSE_MS = 150
#: Rows looked at when fitting column widths to their contents.
_WIDTH_SAMPLE_ROWS = 200
_MAX_COLUMN_WIDTH = 320
#: Narrowest a text column starts (an empty Email column still reads as a column).
_MIN_TEXT_COLUMN_WIDTH = 90


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"


class RecordTable(QTableView):
    """A table of records: whole rows selected, sortable, Tab leaves the table."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        style_table(self)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setResizeContentsPrecision(_WIDTH_SAMPLE_ROWS)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)


class RecordPanel(QWidget):
    """A table of one kind of record that reads, adds, edits and deletes through a desk."""

    kind: ClassVar[str] = ""
    without_columns: ClassVar[tuple[str, ...]] = ()
    sort_by: ClassVar[str] = "name"

    #: The table shows freshly read rows.
    rows_loaded = Signal()
    #: True while the table is being read.
    loading_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk: Desk | None = None
        self._generation = 0
        self._loading = False
        self._sized = False
        declared = F.KINDS[self.kind]
        self.declared = declared
        self.model = RecordTableModel(self.kind, columns_for(self.kind,
                                                            without=self.without_columns),
                                      self)
        self.proxy = RecordFilterModel(self.model, self)
        self.table = RecordTable(f"{declared.plural}_table", self)
        self.table.setAccessibleName(f"{declared.plural.capitalize()} table")
        self.table.setModel(self.proxy)
        self.table.setItemDelegate(FieldDelegate(self.model.columns, self._names, self))
        keys = [c.key for c in self.model.columns]
        sort_column = keys.index(self.sort_by) if self.sort_by in keys else 0
        self.table.horizontalHeader().setSortIndicator(sort_column,
                                                       Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.activated.connect(lambda _index: self.edit())

    # What a panel shows (overridden by panels that show part of a kind) -----------------

    def read_work(self) -> Callable[[Session], list[Row]] | None:
        """What reads this table's rows (runs off the GUI thread); None shows nothing."""
        kind = self.kind
        return lambda s: records.list_rows(s, kind)

    def shows(self, row: Row) -> bool:
        """Whether a saved row belongs in this table."""
        return True

    def new_values(self) -> dict[str, Any]:
        """What the Add form starts with (defaults come from the fields)."""
        return {}

    def fixed_fields(self) -> tuple[str, ...]:
        """Fields the Add and Edit forms show but do not let the user change."""
        return ()

    # Binding to a workspace -------------------------------------------------------------

    def bind(self, desk: Desk | None) -> None:
        """Show the tables of ``desk`` (None: no workspace open)."""
        if self.desk is not None:
            for signal, slot in self._connections():
                signal.disconnect(slot)
        self.desk = desk
        self.model.edit_handler = self._edit_cell if desk is not None else None
        if desk is not None:
            for signal, slot in self._connections():
                signal.connect(slot)
        self.reload()

    def _connections(self) -> list[tuple[Any, Callable[..., None]]]:
        assert self.desk is not None
        return [(self.desk.row_saved, self._on_saved), (self.desk.row_removed, self._on_removed),
                (self.desk.stale, self._on_stale)]

    def _on_saved(self, kind: str, row: Row) -> None:
        if kind != self.kind:
            return
        if self.shows(row):
            self.model.upsert(row)
        else:
            self.model.remove(row.id)

    def _on_removed(self, kind: str, record_id: int) -> None:
        if kind == self.kind:
            self.model.remove(record_id)

    def _on_stale(self, kinds: frozenset[str]) -> None:
        if self.kind in kinds:
            self.reload()

    @property
    def loading(self) -> bool:
        return self._loading

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def reload(self) -> None:
        """Read the table again, off the GUI thread; the old rows stay until it is done."""
        self._generation += 1
        work = self.read_work() if self.desk is not None else None
        if self.desk is None or work is None:
            self.model.clear()
            self._set_loading(False)
            self.rows_loaded.emit()
            return
        generation = self._generation
        columns = self.model.columns
        sort_column, sort_order = self.model.sort_column, self.model.sort_order

        def read(session: Session) -> LoadedRows:
            return prepare_rows(columns, work(session), sort_column, sort_order)

        self._set_loading(True)
        self.desk.read(read, lambda loaded: self._loaded(generation, loaded),
                       lambda error: self._load_failed(generation, error))

    def _loaded(self, generation: int, loaded: LoadedRows) -> None:
        if generation != self._generation or not shiboken6.isValid(self.table):
            return  # a newer read is on its way, or the page was closed meanwhile
        current = self.current_row()
        self.model.set_rows(loaded)
        if not self._sized and loaded.rows:
            self._fit_columns()
        if current is None or not self.select_id(current.id):
            self._select_first()
        self._set_loading(False)
        self.rows_loaded.emit()

    def _load_failed(self, generation: int, error: StudioDeskError) -> None:
        if generation == self._generation and shiboken6.isValid(self.table):
            self._set_loading(False)
            show_problem(self, str(error))

    def _fit_columns(self) -> None:
        """Fit columns to their contents (a sample of rows) once, after the first read."""
        self._sized = True
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        for section, column in enumerate(self.model.columns):
            width = max(header.sectionSize(section), header.sectionSizeHint(section))
            if column.field.type not in ("int", "float"):
                # Left-aligned text runs up to the next column: a little air between them.
                # (A number column is as wide as its header, which leaves room enough.)
                width += 10
            if column.field.type in ("text", "ref"):
                width = max(width, _MIN_TEXT_COLUMN_WIDTH)
            header.resizeSection(section, min(width, _MAX_COLUMN_WIDTH))

    # Selection --------------------------------------------------------------------------

    def current_row(self) -> Row | None:
        """The record under the table's cursor, if any."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        source = self.proxy.mapToSource(index)
        return self.model.row_at(source.row()) if source.isValid() else None

    def select_id(self, record_id: int) -> bool:
        """Put the cursor on the record with ``record_id``; False if it is not shown."""
        position = self.model.position_of(record_id)
        if position < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(position, 0))
        if not index.isValid():
            return False
        column = max(self.table.currentIndex().column(), 0)
        index = index.siblingAtColumn(column)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def _select_first(self) -> None:
        """Put the cursor on the first row, so the keyboard and the detail pane have one."""
        if self.proxy.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)

    def _names(self, kind: str) -> list[str]:
        return self.desk.names(kind) if self.desk is not None else []

    # Changes ----------------------------------------------------------------------------

    def add(self) -> None:
        """Ask for a new record with the form and add it (one undo step)."""
        if self.desk is None:
            return
        desk, kind = self.desk, self.kind
        added: list[Row] = []

        def submit(values: dict[str, Any]) -> None:
            added.append(desk.add(kind, values))

        RecordDialog.ask(self, self.declared, self.new_values(), submit=submit,
                         title=f"Add {self.declared.label.lower()}",
                         names=desk.names_for(kind), fixed=self.fixed_fields())
        if added:
            self._reveal(added[-1].id)

    def edit(self) -> None:
        """Change the current record with the form (one undo step)."""
        row = self.current_row()
        if self.desk is None or row is None:
            return
        desk, kind, model = self.desk, self.kind, self.model

        def submit(values: dict[str, Any]) -> None:
            position = model.position_of(row.id)
            latest = model.row_at(position) if position >= 0 else row
            try:
                desk.edit(kind, latest, values)
            except ConflictError as exc:
                self._after_conflict(exc, row.id, at_once=True)
                advice = (" Save again to replace their version with yours, or Cancel to "
                          "keep theirs." if exc.theirs is not None else "")
                raise ConflictError(f"{exc}{advice}", theirs=exc.theirs,
                                    mine=exc.mine) from exc

        RecordDialog.ask(self, self.declared, row.values(), submit=submit,
                         title=f"Edit {self.declared.label.lower()} {describe(kind, row)}",
                         names=desk.names_for(kind), fixed=self.fixed_fields())

    def delete(self) -> None:
        """Delete the current record after saying what goes with it (one undo step)."""
        row = self.current_row()
        if self.desk is None or row is None:
            return
        question = self.delete_question(row, self.desk.dependents(self.kind, row.id))
        if not ConfirmDelete.ask(self, f"Delete {self.declared.label.lower()}", question):
            return
        proxy_row = self.table.currentIndex().row()
        try:
            self.desk.delete(self.kind, row)
        except ConflictError as exc:
            show_problem(self, str(exc))
            self._after_conflict(exc, row.id)
            return
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        if self.proxy.rowCount():
            next_row = min(proxy_row, self.proxy.rowCount() - 1)
            self.table.setCurrentIndex(self.proxy.index(next_row, 0))

    def delete_question(self, row: Row, dependents: Mapping[str, int]) -> str:
        """What the user is asked before ``row`` is deleted."""
        label = self.declared.label.lower()
        going = [_count(n, F.KINDS[k].label.lower(), F.KINDS[k].plural)
                 for k, n in dependents.items() if n and k in F.KINDS]
        text = f"Delete the {label} {describe(self.kind, row)}?"
        if going:
            text += f" {' and '.join(going)} will be deleted with it."
        managed = dependents.get("managed_project", 0)
        if managed:
            text += f" {_count(managed, 'project')} they manage will have no manager."
        return text + " Edit › Undo brings it all back."

    def _edit_cell(self, row: Row, key: str, value: Any) -> bool:
        """Save one cell edited in place (called by the model's ``setData``)."""
        assert self.desk is not None
        try:
            self.desk.edit(self.kind, row, {key: value})
        except ConflictError as exc:
            show_problem(self, str(exc))
            self._after_conflict(exc, row.id)
            return False
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return False
        return True

    def _after_conflict(self, exc: ConflictError, record_id: int, *,
                        at_once: bool = False) -> None:
        """Show what the workspace holds now. Deferred unless ``at_once``: a cell editor
        may be handing over its value, and the table must not change under it."""
        theirs = exc.theirs

        def refresh() -> None:
            if isinstance(theirs, Row):
                self.model.upsert(theirs)
            else:
                self.model.remove(record_id)
            self.reload()

        if at_once:
            refresh()
        else:
            QTimer.singleShot(0, self, refresh)

    def _reveal(self, record_id: int) -> None:
        self.select_id(record_id)


class RecordView(RecordPanel):
    """A page of the main window: search box, table, Add / Edit / Delete, row count."""

    title: ClassVar[str] = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        plural = self.declared.plural
        self.setObjectName(f"{plural}_view")
        self.setAccessibleName(self.title)

        self.search = QLineEdit(self)
        self.search.setObjectName(f"{plural}_search")
        self.search.setPlaceholderText(f"Search {plural}: any column, any case (Ctrl+F)")
        self.search.setAccessibleName(f"Search {plural}")
        self.search.setClearButtonEnabled(True)
        search_label = QLabel("&Search:", self)
        search_label.setBuddy(self.search)
        clear = QAction("Clear search", self.search)
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self.search.clear)
        self.search.addAction(clear)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(_SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_changed)

        label = self.declared.label.lower()
        self.add_button = self._button("&Add…", f"add_{self.kind}",
                                       f"Add a {label} (Ctrl+N)", self.add)
        self.edit_button = self._button("Ed&it…", f"edit_{self.kind}",
                                        f"Edit the selected {label} (Enter); F2 edits "
                                        "the cell in place", self.edit)
        self.delete_button = self._button("&Delete…", f"delete_{self.kind}",
                                          f"Delete the selected {label} (Delete)",
                                          self.delete)
        self.count_label = QLabel(self)
        self.count_label.setObjectName(f"{plural}_count")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setAccessibleName(f"Number of {plural}")

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        self.body = QSplitter(Qt.Orientation.Vertical, self)
        self.body.setObjectName(f"{plural}_splitter")
        self.body.setChildrenCollapsible(False)
        self.body.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.count_label)
        QWidget.setTabOrder(self.search, self.table)
        QWidget.setTabOrder(self.table, self.add_button)
        QWidget.setTabOrder(self.add_button, self.edit_button)
        QWidget.setTabOrder(self.edit_button, self.delete_button)

        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved,
                       self.proxy.modelReset, self.proxy.layoutChanged):
            signal.connect(self._update_count)
        self.loading_changed.connect(self._update_count)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.proxy.modelReset.connect(self._update_buttons)
        self.proxy.rowsRemoved.connect(self._update_buttons)
        self._update_count()
        self._update_buttons()

    def _button(self, text: str, name: str, tip: str,
                slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.setAccessibleDescription(tip)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def bind(self, desk: Desk | None) -> None:
        """Show the records of ``desk``; the search box keeps what was typed."""
        super().bind(desk)
        self._update_buttons()

    def focus_search(self) -> None:
        """Edit › Find: put the cursor in the search box, its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def delete_focused(self) -> None:
        """The Delete key: delete what the focused table shows (this page's record)."""
        if self.table.state() != QAbstractItemView.State.EditingState:
            self.delete()

    def _search_changed(self, text: str) -> None:
        if self.model.rowCount() <= _SEARCH_AT_ONCE_LIMIT:
            self._search_timer.stop()
            self._apply_search()
        else:
            self._search_timer.start()

    def _apply_search(self) -> None:
        self.proxy.set_search(self.search.text())
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        plural, label = self.declared.plural, self.declared.label.lower()
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if self.loading:
            text = f"Reading {plural}…"
        elif self.desk is None:
            text = ""
        elif shown == total:
            text = _count(total, label, plural)
        else:
            text = f"{shown:,} of {_count(total, label, plural)} match the search"
        self.count_label.setText(text)

    def _update_buttons(self, *_args: object) -> None:
        has_desk = self.desk is not None
        has_row = has_desk and self.table.currentIndex().isValid()
        self.add_button.setEnabled(has_desk)
        self.edit_button.setEnabled(has_row)
        self.delete_button.setEnabled(has_row)

    def _reveal(self, record_id: int) -> None:
        """Show a record just added, clearing a search that would hide it."""
        if not self.select_id(record_id) and self.search.text():
            self.search.clear()
            self._apply_search()
            self.select_id(record_id)
        self.table.setFocus()


class ClientsView(RecordView):
    kind = "client"
    title = "Clients"


class ProjectsView(RecordView):
    kind = "project"
    title = "Projects"


class RelationshipsPane(RecordPanel):
    """The selected person's relationships with clients, added and removed here."""

    kind = "relationship"
    without_columns = ("person",)
    sort_by = "client"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("relationships_pane")
        self.setAccessibleName("Relationships of the selected person")
        self.person: PersonRow | None = None
        self.heading = QLabel(self)
        self.heading.setObjectName("relationships_heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.table.setAccessibleName("Relationships table")
        self.add_button = QPushButton("Add &relationship…", self)
        self.add_button.setObjectName("add_relationship")
        self.add_button.setAccessibleName("Add relationship")
        self.add_button.setToolTip("Record that this person already knows a client")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("Re&move relationship…", self)
        self.remove_button.setObjectName("remove_relationship")
        self.remove_button.setAccessibleName("Remove relationship")
        self.remove_button.setToolTip("Remove the selected relationship (Delete)")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.delete)
        buttons = QHBoxLayout()
        buttons.addWidget(self.heading, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        QWidget.setTabOrder(self.table, self.add_button)
        QWidget.setTabOrder(self.add_button, self.remove_button)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.proxy.modelReset.connect(self._update_buttons)
        self.proxy.rowsRemoved.connect(self._update_buttons)
        self._show_heading()

    def show_person(self, person: PersonRow | None) -> None:
        """Show the relationships of ``person`` (None: nobody selected)."""
        same = (person is not None and self.person is not None
                and person.id == self.person.id and person.name == self.person.name)
        self.person = person
        self._show_heading()
        if not same:
            self.reload()

    def _show_heading(self) -> None:
        if self.person is None:
            self.heading.setText("Select a person to see the clients they already know.")
        else:
            self.heading.setText(f"Clients {self.person.name} already knows")
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        has_person = self.desk is not None and self.person is not None
        self.add_button.setEnabled(has_person)
        self.remove_button.setEnabled(has_person and self.table.currentIndex().isValid())

    def read_work(self) -> Callable[[Session], list[Row]] | None:
        if self.person is None:
            return None
        name = self.person.name
        return lambda s: records.relationships_of(s, name)

    def shows(self, row: Row) -> bool:
        return (self.person is not None and isinstance(row, RelationshipRow)
                and row.person == self.person.name)

    def new_values(self) -> dict[str, Any]:
        return {"person": self.person.name} if self.person is not None else {}

    def fixed_fields(self) -> tuple[str, ...]:
        return ("person",)

    def add(self) -> None:
        """Record that the selected person already knows a client."""
        if self.person is not None:
            super().add()

    def delete_question(self, row: Row, dependents: Mapping[str, int]) -> str:
        assert isinstance(row, RelationshipRow)
        return (f"Remove the relationship between {row.person} and {row.client}? "
                "Edit › Undo brings it back.")


class PeopleView(RecordView):
    kind = "person"
    title = "People"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.relationships = RelationshipsPane(self.body)
        self.body.addWidget(self.relationships)
        self.body.setStretchFactor(0, 3)
        self.body.setStretchFactor(1, 2)
        QWidget.setTabOrder(self.delete_button, self.relationships.table)
        self.table.selectionModel().currentRowChanged.connect(self._person_changed)
        self.proxy.modelReset.connect(self._person_changed)
        self.proxy.dataChanged.connect(self._person_changed)

    def bind(self, desk: Desk | None) -> None:
        """Show the people of ``desk``; the pane follows the selected person."""
        self.relationships.person = None
        self.relationships.bind(desk)
        super().bind(desk)

    def _person_changed(self, *_args: object) -> None:
        row = self.current_row()
        self.relationships.show_person(row if isinstance(row, PersonRow) else None)

    def delete_focused(self) -> None:
        """The Delete key deletes a relationship when the relationships table has focus."""
        pane = self.relationships.table
        if pane.hasFocus():
            if pane.state() != QAbstractItemView.State.EditingState:
                self.relationships.delete()
        else:
            super().delete_focused()

    def delete_question(self, row: Row, dependents: Mapping[str, int]) -> str:
        text = super().delete_question(row, dependents)
        return text.replace("will be deleted with it", "will be deleted with them")


#: The pages of the main window, in order; a new page is one more entry. A page is a
#: widget with a ``title`` and ``bind(desk)``; one that lists records also has ``add``,
#: ``edit``, ``delete_focused`` and ``focus_search`` (see :class:`RecordView`).
PAGES: tuple[type[QWidget], ...] = (DashboardView, ClientsView, ProjectsView, PeopleView,
                                    ResponsibilitiesView, PlansView)
