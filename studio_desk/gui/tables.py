"""Table models for people, clients, projects and relationships.

One model class serves every kind: its columns are declared from the fields of
``core.fields``, so a table shows, formats and edits a value exactly as forms and the
command line do. The model holds frozen rows (``core.rows``), never live database
objects; edits go out through an edit handler (the view, which pushes an undo command)
and come back as new rows.

Sorting and searching must stay quick with 100,000 projects. A ``QSortFilterProxyModel``
left to sort by itself compares rows one pair at a time, each comparison a call back into
Python (about 30 s for 100,000 rows here), so :class:`RecordFilterModel` hands sorting to
the source model, which sorts its list once with Python's sort, and filters with one
substring test per row against a search text prepared when the rows were read.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from studio_desk.core import fields as F
from studio_desk.core.fields import Field, format_value
from studio_desk.core.rows import ProjectRow, Row

#: The row object (``core.rows``) behind a table row.
RowRole = Qt.ItemDataRole.UserRole + 1
#: The record's id.
IdRole = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex
_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_TEXT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
#: The sort key of an empty cell.
_EMPTY: tuple[Any, ...] = (1,)
#: Longest text a notes cell shows; the whole text is in the tooltip and the form.
_CELL_TEXT_LIMIT = 80
_TOOLTIP_LIMIT = 1000

#: Headers shorter than the field's label, where the label would make a column too wide.
_SHORT_HEADERS = {
    "weekly_hours": "Hours/week",
    "max_active_projects": "Max active",
    "max_backburner_projects": "Max back-burner",
    "max_clients": "Max clients",
    "estimated_hours": "Est. hours",
}

#: Which fields each table shows, in order (every field of the kind unless listed here).
_COLUMN_ORDER = {
    "person": ("name", "title", "email", "weekly_hours", "max_active_projects",
               "max_backburner_projects", "max_clients", "client_facing", "head_down",
               "active"),
    # What the Account/Production Manager split turns on comes first: the lead type and
    # the two scores it is derived from.
    "project": ("name", "client", "code", "status", "lead_type", "technical_complexity",
                "communication_load", "manager", "start", "due", "budget",
                "estimated_hours"),
}


@dataclass(frozen=True)
class Column:
    """One table column: the field it shows, its header, and how its cells read."""

    field: Field
    header: str
    #: What the cell shows when it is not the stored value (a project's lead type shows
    #: the derived one when nobody set it by hand).
    shown: Callable[[Row], Any] | None = None
    editable: bool = True

    @property
    def key(self) -> str:
        return self.field.key

    @property
    def alignment(self) -> Qt.AlignmentFlag:
        """Numbers line up on the right, everything else on the left."""
        return _NUMBER if self.field.type in ("int", "float") else _TEXT

    @property
    def tooltip(self) -> str:
        return f"{self.field.label}: {self.field.help}" if self.field.help else self.field.label

    def value(self, row: Row) -> Any:
        """The value the cell shows and sorts by."""
        return self.shown(row) if self.shown is not None else getattr(row, self.key)

    def stored(self, row: Row) -> Any:
        """The value kept in the workspace, the one an editor starts from."""
        return getattr(row, self.key)

    def text(self, row: Row) -> str:
        """The cell's text, formatted as everywhere else (``core.fields.format_value``)."""
        value = self.value(row)
        if self.field.multiline and isinstance(value, str):
            first = value.strip().splitlines()[0] if value.strip() else ""
            if len(first) > _CELL_TEXT_LIMIT or first != value.strip():
                return first[:_CELL_TEXT_LIMIT].rstrip() + "…"
            return first
        return format_value(self.field, value)

    def sort_key(self, row: Row) -> tuple[Any, ...]:
        """Numbers sort as numbers, dates as dates, text ignoring case; empty cells last."""
        value = self.value(row)
        if value is None or value == "":
            return _EMPTY
        if isinstance(value, str):
            folded = value.casefold()
            # “Élan” sorts with the Es and “Mañana” before “Marigold”, as people expect.
            return (0, _without_accents(folded), folded)
        return (0, value)


def _without_accents(text: str) -> str:
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def columns_for(kind: str, *, without: Iterable[str] = ()) -> tuple[Column, ...]:
    """The columns of ``kind``'s table, declared from its fields."""
    declared = F.KINDS[kind]
    left_out = set(without)
    order = _COLUMN_ORDER.get(kind, declared.keys)
    columns = []
    for key in order:
        if key in left_out:
            continue
        f = declared.field(key)
        shown = None
        if kind == "project" and key == "lead_type":
            shown = _effective_lead_type
        columns.append(Column(f, _SHORT_HEADERS.get(key, f.label), shown=shown,
                              # Long notes are edited in the form, not in a cell.
                              editable=not f.multiline))
    return tuple(columns)


def _effective_lead_type(row: Row) -> str:
    assert isinstance(row, ProjectRow)
    return row.effective_lead_type


def search_text(columns: Sequence[Column], row: Row) -> str:
    """What the search box looks through: every column's text, case-folded."""
    parts = []
    for column in columns:
        value = column.value(row)
        # Search whole notes, not only the first line the cell shows.
        parts.append(value if column.field.multiline and isinstance(value, str)
                     else column.text(row))
    return "\n".join(parts).casefold()


@dataclass(frozen=True)
class LoadedRows:
    """Rows read from the workspace, sorted and ready for a model."""

    rows: list[Row]
    search_texts: list[str]
    sort_column: int
    sort_order: Qt.SortOrder


def sorted_positions(keys: Sequence[tuple[Any, ...]], descending: bool) -> list[int]:
    """Positions of ``keys`` in sorted order; empty cells stay last either way."""
    filled = [i for i, k in enumerate(keys) if k != _EMPTY]
    filled.sort(key=keys.__getitem__, reverse=descending)
    return filled + [i for i, k in enumerate(keys) if k == _EMPTY]


def prepare_rows(columns: Sequence[Column], rows: Sequence[Row], sort_column: int = -1,
                 sort_order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> LoadedRows:
    """Sort ``rows`` and prepare their search texts; safe to run off the GUI thread."""
    ordered = list(rows)
    if 0 <= sort_column < len(columns):
        ordered = [ordered[i] for i in sorted_positions(
            [columns[sort_column].sort_key(r) for r in ordered],
            sort_order == Qt.SortOrder.DescendingOrder)]
    return LoadedRows(ordered, [search_text(columns, r) for r in ordered], sort_column,
                      sort_order)


#: Called with (row, field key, new value) when a cell is edited; returns whether the
#: change was saved.
EditHandler = Callable[[Row, str, Any], bool]


class RowsById:
    """The rows of a small model (plans, conversations, the catalog, templates), each
    with an ``id``: what a page asks of its model besides Qt's own calls.

    Mixed into a Qt model ahead of its Qt base; the model keeps its rows in ``_rows``.
    The record tables, which hold 100,000 rows, keep an index by id instead.
    """

    _rows: list[Any]

    def rows(self) -> list[Any]:
        """Every row, in the model's order."""
        return list(self._rows)

    def row_at(self, position: int) -> Any:
        return self._rows[position]

    def position_of(self, row_id: int) -> int:
        """Where the row with ``row_id`` is, or -1."""
        for position, row in enumerate(self._rows):
            if row.id == row_id:
                return position
        return -1

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show freshly read rows."""
        self.beginResetModel()  # type: ignore[attr-defined]
        self._rows = self._ordered(rows)
        self.endResetModel()  # type: ignore[attr-defined]

    def _ordered(self, rows: Sequence[Any]) -> list[Any]:
        """The order to show ``rows`` in: as read, unless a model says otherwise."""
        return list(rows)


class RecordTableModel(QAbstractTableModel):
    """The rows of one kind of record, with declarative columns."""

    def __init__(self, kind: str, columns: Sequence[Column] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.columns: tuple[Column, ...] = tuple(columns or columns_for(kind))
        self._rows: list[Row] = []
        self._search_texts: list[str] = []
        #: The words searched for, and per row whether it has them all (None: no search).
        self._search_words: tuple[str, ...] = ()
        self.search_hits: list[bool] | None = None
        self._positions: dict[int, int] | None = {}
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.edit_handler: EditHandler | None = None

    # Reading ----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Rows of the table; a table has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Columns of the table; a table has no children."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, raw value, alignment, tooltip, or the row behind it."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.EditRole:
            return column.stored(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(column, row)
        if role == RowRole:
            return row
        if role == IdRole:
            return row.id
        return None

    def _tooltip(self, column: Column, row: Row) -> str | None:
        if column.shown is not None and isinstance(row, ProjectRow):
            if row.lead_type:
                return "Set by hand."
            return (f"Derived from complexity {row.technical_complexity} and "
                    f"communication {row.communication_load}.")
        value = column.value(row)
        if column.field.multiline and isinstance(value, str) and value:
            return value[:_TOOLTIP_LIMIT] + ("…" if len(value) > _TOOLTIP_LIMIT else "")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column headers; rows have none (the table hides the vertical header)."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            # A number column's header sits over its numbers, on the right.
            return column.alignment
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Every cell can be selected; cells of editable columns can be edited."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                 | Qt.ItemFlag.ItemNeverHasChildren)
        if self.edit_handler is not None and self.columns[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # Editing ----------------------------------------------------------------------------

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Hand an edited cell to the edit handler; the saved row comes back by
        :meth:`upsert`."""
        if (not index.isValid() or role != Qt.ItemDataRole.EditRole
                or self.edit_handler is None):
            return False
        column = self.columns[index.column()]
        if not column.editable:
            return False
        row = self._rows[index.row()]
        value = _plain(value)
        if _same(column.stored(row), value):
            return True
        return self.edit_handler(row, column.key, value)

    # Rows -------------------------------------------------------------------------------

    def rows(self) -> list[Row]:
        """Every row, in the table's order."""
        return list(self._rows)

    def row_at(self, position: int) -> Row:
        return self._rows[position]

    def position_of(self, record_id: int) -> int:
        """Where the record with ``record_id`` is in the table, or -1."""
        if self._positions is None:
            self._positions = {r.id: i for i, r in enumerate(self._rows)}
        return self._positions.get(record_id, -1)

    def _hit(self, text: str) -> bool:
        return all(word in text for word in self._search_words)

    def search_for(self, words: Sequence[str]) -> None:
        """Mark the rows that hold every word (case-folded) somewhere in their columns.

        The marks live here, beside the rows, so they stay in step with every insert,
        removal and sort; :class:`RecordFilterModel` only reads them.
        """
        self._search_words = tuple(words)
        if not self._search_words:
            self.search_hits = None
            return
        # One pass per word over plain strings: several times quicker than a call per row.
        first, *others = self._search_words
        hits = [first in text for text in self._search_texts]
        for word in others:
            hits = [h and word in text for h, text in zip(hits, self._search_texts,
                                                          strict=True)]
        self.search_hits = hits

    def set_rows(self, loaded: LoadedRows | Sequence[Row]) -> None:
        """Show freshly read rows (a whole new list, so the model is reset)."""
        if not isinstance(loaded, LoadedRows):
            loaded = prepare_rows(self.columns, loaded, self._sort_column, self._sort_order)
        rows, texts = loaded.rows, loaded.search_texts
        if (loaded.sort_column, loaded.sort_order) != (self._sort_column, self._sort_order):
            # The user changed the sort while the rows were being read.
            redone = prepare_rows(self.columns, rows, self._sort_column, self._sort_order)
            rows, texts = redone.rows, redone.search_texts
        self.beginResetModel()
        self._rows = list(rows)
        self._search_texts = list(texts)
        self.search_for(self._search_words)
        self._positions = None
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows(LoadedRows([], [], self._sort_column, self._sort_order))

    def upsert(self, row: Row) -> None:
        """Show a saved row: replace the row with its id, or insert it in sort order."""
        position = self.position_of(row.id)
        if position >= 0:
            self._rows[position] = row
            self._search_texts[position] = search_text(self.columns, row)
            if self.search_hits is not None:
                self.search_hits[position] = self._hit(self._search_texts[position])
            self.dataChanged.emit(self.index(position, 0),
                                  self.index(position, len(self.columns) - 1), [])
            return
        position = self._insertion_point(row)
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self._search_texts.insert(position, search_text(self.columns, row))
        if self.search_hits is not None:
            self.search_hits.insert(position, self._hit(self._search_texts[position]))
        self._positions = None
        self.endInsertRows()

    def remove(self, record_id: int) -> None:
        """Take the record with ``record_id`` out of the table, if it is there."""
        position = self.position_of(record_id)
        if position < 0:
            return
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._rows[position]
        del self._search_texts[position]
        if self.search_hits is not None:
            del self.search_hits[position]
        self._positions = None
        self.endRemoveRows()

    def _insertion_point(self, row: Row) -> int:
        if not 0 <= self._sort_column < len(self.columns):
            return len(self._rows)
        key = self.columns[self._sort_column].sort_key
        new = key(row)
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        # Empty cells are kept last: a filled one goes among the filled ones before them.
        high = len(self._rows)
        while high > 0 and key(self._rows[high - 1]) == _EMPTY:
            high -= 1
        if new == _EMPTY:
            return len(self._rows)
        low = 0
        while low < high:
            middle = (low + high) // 2
            other = key(self._rows[middle])
            before = new < other if not descending else other < new
            if before:
                high = middle
            else:
                low = middle + 1
        return low

    # Sorting ----------------------------------------------------------------------------

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows by one column with a single Python sort."""
        self._sort_column, self._sort_order = column, order
        if not 0 <= column < len(self.columns) or not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [(self._rows[i.row()].id, i.column()) for i in persistent]
        key = self.columns[column].sort_key
        order_ = sorted_positions([key(r) for r in self._rows],
                                  order == Qt.SortOrder.DescendingOrder)
        self._rows = [self._rows[i] for i in order_]
        self._search_texts = [self._search_texts[i] for i in order_]
        if self.search_hits is not None:
            self.search_hits = [self.search_hits[i] for i in order_]
        self._positions = None
        self.changePersistentIndexList(
            persistent, [self.index(self.position_of(rid), col) for rid, col in kept])
        self.layoutChanged.emit()


def _plain(value: Any) -> Any:
    """A value that came through a QVariant, back as the Python value fields expect."""
    if isinstance(value, QDate):
        return dt.date(value.year(), value.month(), value.day()) if value.isValid() else None
    return value


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, dt.date) or isinstance(new, dt.date):
        return old == new
    if isinstance(old, float) or isinstance(new, float):
        return old is not None and new is not None and abs(float(old) - float(new)) < 1e-9
    return bool(old == new) and type(old) is type(new)


class RecordFilterModel(QSortFilterProxyModel):
    """Search across every column (case-insensitive, every word must appear) and sort.

    Sorting is handed to the source model (see the module's docstring for why); the
    header's sort indicator still drives it through :meth:`sort`.
    """

    def __init__(self, source: RecordTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._words: tuple[str, ...] = ()
        self.setSourceModel(source)

    @property
    def search(self) -> str:
        return " ".join(self._words)

    def set_search(self, text: str) -> None:
        """Show only rows where every word of ``text`` appears, ignoring case."""
        words = tuple(text.casefold().split())
        if words == self._words:
            return
        self._words = words
        self._source.search_for(words)
        # Rebuild the row mapping in one pass. Telling the view row range by row range
        # (what a filter change does) costs seconds when a search is cleared on 100,000
        # rows and the rows coming back are scattered.
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        """Whether a source row matches the search (read from the marks the source keeps;
        this runs once per row on every keystroke)."""
        hits = self._source.search_hits
        return hits is None or hits[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by asking the source model to reorder its rows."""
        self._source.sort(column, order)
