"""The history of a record or of the whole workspace: who changed what, when, old → new.

Edit › History of the selected record… (also on each table's context menu) and Tools ›
History of the workspace… open a :class:`HistoryDialog`: a table of the audit log, newest
first, with a search box (every word must appear, in any column). It is not modal, so
it can stay open beside the tables, and it reads the log again whenever this window or a
colleague saves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from studio_desk.core import fields as F
from studio_desk.core.errors import StudioDeskError
from studio_desk.core.rows import Row
from studio_desk.gui.desk import Desk, describe
from studio_desk.gui.messages import show_information
from studio_desk.store.history import HistoryRow, count_entries, entity_of, history

if TYPE_CHECKING:
    from studio_desk.gui.main_window import MainWindow

#: The newest entries the whole workspace's history shows (a busy studio's log is long).
WORKSPACE_LIMIT = 5000
#: Longest text a cell shows; the whole value is in its tooltip.
_CELL_LIMIT = 80
_TOOLTIP_LIMIT = 1000
#: How soon after a save the history is read again (saves come in bursts).
_REREAD_MS = 300

#: The row behind a table row.
HistoryRowRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


def when_text(at: dt.datetime) -> str:
    """A recorded time (UTC) in this computer's time zone, to the minute."""
    return f"{at.replace(tzinfo=dt.UTC).astimezone():%Y-%m-%d %H:%M}"


def _short(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else ""
    if len(first) > _CELL_LIMIT or first != text.strip():
        return first[:_CELL_LIMIT].rstrip() + "…"
    return first


@dataclass(frozen=True)
class _Column:
    header: str
    text: Any  # Callable[[HistoryRow], str]


COLUMNS: tuple[_Column, ...] = (
    _Column("When", lambda r: when_text(r.at)),
    _Column("Who", lambda r: r.who),
    _Column("Record", lambda r: f"{r.entity_label} {r.record}"),
    _Column("Action", lambda r: r.action_text),
    _Column("Field", lambda r: r.field),
    _Column("Before", lambda r: r.old),
    _Column("After", lambda r: r.new),
)


class HistoryModel(QAbstractTableModel):
    """The audit entries as a table, one row per entry, newest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryRow] = []
        self._search: list[str] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Entries shown; a table has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """The columns of :data:`COLUMNS`; a table has no children."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text (cut short), its whole text as tooltip, or the entry behind it."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _short(column.text(row))
        if role == Qt.ItemDataRole.ToolTipRole:
            text = column.text(row)
            if text != _short(text):
                return text[:_TOOLTIP_LIMIT] + ("…" if len(text) > _TOOLTIP_LIMIT else "")
            return None
        if role == HistoryRowRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles; rows have none."""
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section].header
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Entries can be selected and copied, never edited: the log is what happened."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def set_rows(self, rows: Sequence[HistoryRow]) -> None:
        """Show ``rows`` (newest first) instead of what was shown."""
        self.beginResetModel()
        self._rows = list(rows)
        self._search = [" ".join(c.text(r) for c in COLUMNS).casefold() for r in self._rows]
        self.endResetModel()

    def row_at(self, position: int) -> HistoryRow:
        return self._rows[position]

    def matches(self, position: int, words: Sequence[str]) -> bool:
        """Whether every word appears somewhere in the entry (words already casefolded)."""
        text = self._search[position]
        return all(word in text for word in words)


class HistoryFilterModel(QSortFilterProxyModel):
    """Search (every word, any column, any case) and sort; "When" sorts by time."""

    def __init__(self, source: HistoryModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._words: tuple[str, ...] = ()
        self.setSourceModel(source)

    def set_search(self, text: str) -> None:
        """Show only the entries where every word of ``text`` appears."""
        words = tuple(text.casefold().split())
        if words != self._words:
            self._words = words
            self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        """Whether the entry matches the search."""
        return not self._words or self._source.matches(source_row, self._words)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        """Entries in order of when they happened (their ids), other columns by text."""
        if left.column() == 0:
            return bool(self._source.row_at(left.row()).id
                        < self._source.row_at(right.row()).id)
        return str(left.data() or "").casefold() < str(right.data() or "").casefold()


@dataclass(frozen=True)
class _Read:
    rows: list[HistoryRow]
    total: int


class HistoryDialog(QDialog):
    """The history of one record (``kind`` and ``row``) or of the whole workspace."""

    def __init__(self, desk: Desk, *, kind: str | None = None, row: Row | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.kind = kind
        self.record = row
        if kind is not None and row is not None:
            title = f"History of the {F.KINDS[kind].label.lower()} {describe(kind, row)}"
            self._entity: str | None = entity_of(kind)
            self._limit: int | None = None
        else:
            title = f"History of {desk.path.name}"
            self._entity = None
            self._limit = WORKSPACE_LIMIT
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setObjectName("history_dialog")

        self.model = HistoryModel(self)
        self.proxy = HistoryFilterModel(self.model, self)
        self.search = QLineEdit(self)
        self.search.setObjectName("history_search")
        self.search.setPlaceholderText("Search the history: a name, a field, a value…")
        self.search.setAccessibleName("Search the history")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        search_label = QLabel("&Search:", self)
        search_label.setBuddy(self.search)

        self.table = QTableView(self)
        self.table.setObjectName("history_table")
        self.table.setAccessibleName("Changes")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Before and After share what is left: long values are cut, whole in tooltips.
        for section in (len(COLUMNS) - 2, len(COLUMNS) - 1):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("history_count")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label.setAccessibleName("Number of changes")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.resize(1080, 540)

        self._total = 0
        self._sized = False
        self._reread = QTimer(self)
        self._reread.setSingleShot(True)
        self._reread.setInterval(_REREAD_MS)
        self._reread.timeout.connect(self.reload)
        for signal in (desk.row_saved, desk.row_removed, desk.stale):
            signal.connect(self._reread.start)
        self.search.setFocus()
        self.reload()

    def reload(self) -> None:
        """Read the history again (off the GUI thread)."""
        entity, record_id, limit = self._entity, getattr(self.record, "id", None), self._limit

        def read(session: Session) -> _Read:
            rows = history(session, entity=entity, entity_id=record_id, limit=limit)
            total = (count_entries(session, entity=entity, entity_id=record_id)
                     if limit is not None and len(rows) >= limit else len(rows))
            return _Read(rows, total)

        self.desk.read(read, self._show, self._failed)

    def _show(self, read: _Read) -> None:
        self._total = read.total
        self.model.set_rows(read.rows)
        if not self._sized and read.rows:
            self._sized = True
            header = self.table.horizontalHeader()
            for section in range(len(COLUMNS) - 2):
                self.table.resizeColumnToContents(section)
                header.resizeSection(section, min(header.sectionSize(section) + 12, 300))
        self._update_count()

    def _failed(self, error: StudioDeskError) -> None:
        self.count_label.setText(str(error))

    def _search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self._update_count()

    def _update_count(self) -> None:
        shown, loaded = self.proxy.rowCount(), self.model.rowCount()
        noun = "change" if loaded == 1 else "changes"
        if shown != loaded:
            text = f"{shown:,} of {loaded:,} {noun} match the search"
        elif self._total > loaded:
            text = f"The newest {loaded:,} of {self._total:,} changes"
        elif loaded == 0:
            text = "No changes recorded yet"
        else:
            text = f"{loaded:,} {noun}"
        self.count_label.setText(text)

    def done(self, result: int) -> None:
        """Stop following the workspace when closed."""
        for signal in (self.desk.row_saved, self.desk.row_removed, self.desk.stale):
            try:
                signal.disconnect(self._reread.start)
            except (RuntimeError, TypeError):
                pass  # the desk went first (the workspace was closed)
        super().done(result)


def show_history(window: MainWindow, kind: str | None = None,
                 row: Row | None = None) -> HistoryDialog | None:
    """Open the history of ``row`` (of ``kind``), or of the workspace, beside ``window``."""
    if window.desk is None:
        return None
    dialog = HistoryDialog(window.desk, kind=kind, row=row, parent=window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # A history belongs to the workspace it was read from.
    window.workspace_changed.connect(dialog.close)
    dialog.show()
    return dialog


def selected_record(window: MainWindow) -> tuple[str, Row] | None:
    """The record selected on the page shown (or in its focused side table), if any."""
    page = window.current_page()
    panels = [page]
    side = getattr(page, "relationships", None)
    if side is not None and getattr(side, "table", None) is not None and side.table.hasFocus():
        panels.insert(0, side)
    for panel in panels:
        kind, current = getattr(panel, "kind", None), getattr(panel, "current_row", None)
        if kind in F.KINDS and callable(current):
            row = current()
            if isinstance(row, Row):
                return kind, row
    return None


def show_selected_history(window: MainWindow) -> None:
    """Edit › History of the selected record…"""
    found = selected_record(window)
    if found is None:
        show_information(window, "History", "Select a client, project or person first; "
                         "Tools › History of the workspace shows every change.")
        return
    show_history(window, *found)


def add_history_actions(window: MainWindow, edit_menu: QMenu, tools_menu: QMenu) -> None:
    """Edit › History of the selected record…, Tools › History of the workspace…, and
    "History…" on the context menu of every table of records."""
    record = QAction("&History of the selected record…", window)
    record.setObjectName("record_history")
    record.setShortcut(QKeySequence("Ctrl+H"))
    record.setStatusTip("Who changed the selected record, when, and what it was before")
    record.triggered.connect(lambda: show_selected_history(window))
    workspace = QAction("&History of the workspace…", window)
    workspace.setObjectName("workspace_history")
    workspace.setStatusTip("Every change to the workspace: who, when, what, old and new")
    workspace.triggered.connect(lambda: show_history(window))
    for action in (record, workspace):
        action.setEnabled(window.desk is not None)
        window.workspace_changed.connect(
            lambda path, a=action: a.setEnabled(path is not None))
    edit_menu.addSeparator()
    edit_menu.addAction(record)
    tools_menu.addAction(workspace)
    _add_context_menus(window)


def _add_context_menus(window: MainWindow) -> None:
    """"History…" on the context menu of each table of records."""
    for page in window.pages:
        panels = [page, getattr(page, "relationships", None)]
        for panel in panels:
            table = getattr(panel, "table", None)
            kind = getattr(panel, "kind", None)
            if kind not in F.KINDS or not isinstance(table, QTableView):
                continue
            label = F.KINDS[kind].label.lower()
            action = QAction(f"History of this {label}…", table)
            action.setObjectName(f"{kind}_history")
            action.setStatusTip(f"Who changed this {label}, when, and what it was before")
            action.triggered.connect(
                lambda _checked=False, p=panel, k=kind: _panel_history(window, p, k))
            table.addAction(action)
            table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)


def _panel_history(window: MainWindow, panel: Any, kind: str) -> None:
    row = panel.current_row()
    if isinstance(row, Row):
        show_history(window, kind, row)
