"""Pieces the wizard's pages share: plain labels, a declarative table model, a chooser
delegate and the capacity bar.

The table model is a small cousin of ``gui.tables.RecordTableModel`` for rows that are
not records (plan rows, conversations, people with a leaning): each column says how its
cell reads and, if it can be changed, which choices it offers and what a change does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio_desk.core.capacity import Capacity
from studio_desk.gui.style import warning_colour

_Index = QModelIndex | QPersistentModelIndex
#: The object behind a table row.
RowRole = Qt.ItemDataRole.UserRole + 1
_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_TEXT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def plain_label(text: str = "", parent: QWidget | None = None, *, name: str = "",
                wrap: bool = True) -> QLabel:
    """A label that shows ``text`` as typed (never as markup)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    if name:
        label.setObjectName(name)
    return label


def set_warning(label: QLabel, warning: bool) -> None:
    """Tint ``label`` in the warning colour (or back to the palette's text colour)."""
    palette = label.palette()
    colour = warning_colour(palette) if warning else \
        QPalette().color(QPalette.ColorRole.WindowText)
    palette.setColor(QPalette.ColorRole.WindowText, colour)
    label.setPalette(palette)
    label.setProperty("warning", warning)


def plural(n: int | float, singular: str, many: str | None = None) -> str:
    """``1 client``, ``3 clients``, ``2.5 hours``."""
    shown = f"{n:g}" if isinstance(n, float) else f"{n:,}"
    return f"{shown} {singular if n == 1 else (many or singular + 's')}"


Choices = Sequence[tuple[str, Any]]


@dataclass(frozen=True)
class Column:
    """One column of a :class:`RowsModel`: its header, how a cell reads, how it changes.

    ``choices(row)`` lists ``(label, value)`` pairs for a chooser; ``change(row, value)``
    saves a new value and returns whether it was saved.
    """

    key: str
    header: str
    text: Callable[[Any], str]
    value: Callable[[Any], Any] | None = None
    choices: Callable[[Any], Choices] | None = None
    change: Callable[[Any, Any], bool] | None = None
    tooltip: Callable[[Any], str | None] | None = None
    number: bool = False
    header_tip: str = ""
    #: The cell holds a date (``value`` gives a ``datetime.date`` or None).
    date: bool = False

    @property
    def editable(self) -> bool:
        return self.change is not None


class RowsModel(QAbstractTableModel):
    """Rows of any kind under declared columns; ``warn(row)`` tints a row's text."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None, *,
                 warn: Callable[[Any], bool] | None = None,
                 bold: Callable[[Any], bool] | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._rows: list[Any] = []
        self._warn = warn
        self._bold = bold
        self.editing_enabled = True

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Rows of the table; a table has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Columns of the table; a table has no children."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, value, alignment, tooltip or tint, or the row behind it."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.EditRole:
            return column.value(row) if column.value is not None else column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _NUMBER if column.number else _TEXT
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._warn is not None and self._warn(row):
                return QBrush(warning_colour(QPalette()))
            return None
        if role == Qt.ItemDataRole.FontRole:
            if self._bold is not None and self._bold(row):
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == RowRole:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column headers and their tips; rows have none."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.header_tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _NUMBER if column.number else _TEXT
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Cells can be selected; cells of a changeable column can be edited."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                 | Qt.ItemFlag.ItemNeverHasChildren)
        if self.editing_enabled and self.columns[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Hand a changed cell to its column's ``change``; the row comes back through
        :meth:`replace`."""
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        column = self.columns[index.column()]
        if column.change is None or not self.editing_enabled:
            return False
        row = self._rows[index.row()]
        current = column.value(row) if column.value is not None else column.text(row)
        if current == value:
            return True
        return column.change(row, value)

    # Rows -------------------------------------------------------------------------------

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, position: int) -> Any:
        return self._rows[position]

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show a whole new list of rows."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def replace(self, position: int, row: Any) -> None:
        """Show a changed row in place."""
        self._rows[position] = row
        self.dataChanged.emit(self.index(position, 0),
                              self.index(position, len(self.columns) - 1), [])

    def refresh(self) -> None:
        """Tell the views every cell may read differently now (tints, headroom)."""
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.columns) - 1), [])

    def column_of(self, key: str) -> int:
        for position, column in enumerate(self.columns):
            if column.key == key:
                return position
        raise KeyError(key)


class ChoiceDelegate(QStyledItemDelegate):
    """Changes a cell with a drop-down list of the column's choices."""

    def __init__(self, model: RowsModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: _Index) -> QWidget:
        """A drop-down of the choices for this row (other columns: the default editor)."""
        column = self._model.columns[index.column()]
        if column.date:
            editor = QDateEdit(parent)
            editor.setObjectName(f"{column.key}_editor")
            editor.setAccessibleName(column.header)
            editor.setCalendarPopup(True)
            editor.setDisplayFormat("yyyy-MM-dd")
            editor.setAutoFillBackground(True)
            return editor
        if column.choices is None:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        combo.setObjectName(f"{column.key}_chooser")
        combo.setAccessibleName(column.header)
        combo.setAutoFillBackground(True)
        row = index.data(RowRole)
        for label, value in column.choices(row):
            combo.addItem(label, value)
        combo.setMinimumContentsLength(12)
        combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        """Start on the cell's current value."""
        if isinstance(editor, QComboBox):
            value = index.data(Qt.ItemDataRole.EditRole)
            position = editor.findData(value)
            editor.setCurrentIndex(max(position, 0))
        elif isinstance(editor, QDateEdit):
            value = index.data(Qt.ItemDataRole.EditRole)
            day = value if isinstance(value, dt.date) else dt.date.today()
            editor.setDate(QDate(day.year, day.month, day.day))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        """Hand the chosen value to the model."""
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QDateEdit):
            day = editor.date()
            model.setData(index, dt.date(day.year(), day.month(), day.day()),
                          Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: _Index) -> None:
        """The chooser covers the cell, at least as tall as it needs to be."""
        rect = option.rect
        rect.setHeight(max(rect.height(), editor.sizeHint().height()))
        editor.setGeometry(rect)


class PlanTable(QTableView):
    """A compact table of plan rows: whole rows selected, Tab leaves the table, a chooser
    opens on F2, a double click or typing."""

    def __init__(self, model: RowsModel, name: str, accessible: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setModel(model)
        self.setItemDelegate(ChoiceDelegate(model, self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setTabKeyNavigation(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        rows = self.verticalHeader()
        rows.setVisible(False)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

    def fit_columns(self, widest: int = 320) -> None:
        """Fit columns to their contents, none wider than ``widest`` pixels."""
        header = self.horizontalHeader()
        self.resizeColumnsToContents()
        for section in range(header.count() - 1):
            # Air between columns, and room for a row shown in bold (chosen by hand).
            header.resizeSection(section, min(header.sectionSize(section) + 24, widest))


class CapacityBar(QWidget):
    """One person's load as a bar: the fullest of their limits, warning-tinted when any
    limit is exceeded, with the counts beside it."""

    def __init__(self, person: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person = person
        self.setObjectName("capacity_bar")
        self.setAccessibleName(f"Load of {person}")
        self.overloaded = False
        self.capacity: Capacity | None = None
        self.name_label = plain_label(person, self, wrap=False)
        self.name_label.setFixedWidth(self.fontMetrics().horizontalAdvance("M" * 9))
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(True)
        self.bar.setMinimumWidth(100)
        # Wraps rather than widening the bar's column past the window.
        self.detail = plain_label("", self, wrap=True)
        small = self.detail.font()
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.detail.setFont(small)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.name_label)
        top.addWidget(self.bar, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(1)
        layout.addLayout(top)
        layout.addWidget(self.detail)

    def show_capacity(self, capacity: Capacity) -> None:
        """Show ``capacity``: the fullest limit as the bar, every count as text."""
        self.capacity = capacity
        fullest = max(fractions(capacity), default=0.0)
        percent = int(round(fullest * 100))
        self.bar.setValue(min(percent, 100))
        self.bar.setFormat(f"{percent}%")
        self.overloaded = capacity.overallocated
        parts = [f"{capacity.clients}/{capacity.max_clients} clients",
                 f"{capacity.active_projects}/{capacity.max_active_projects} active",
                 f"{capacity.backburner_projects}/{capacity.max_backburner_projects} "
                 "back-burner",
                 f"{capacity.allocated_hours:.0f}/{capacity.weekly_hours:g} h"]
        self.detail.setText(" · ".join(parts))
        self.name_label.setText(self.fontMetrics().elidedText(
            capacity.person, Qt.TextElideMode.ElideRight, self.name_label.width()))
        tip = ("Over: " + "; ".join(capacity.overloads)) if self.overloaded else \
            "Within every limit."
        self.setToolTip(f"{capacity.person}: {tip}")
        self.bar.setAccessibleDescription(tip)
        palette = self.bar.palette()
        highlight = warning_colour(palette) if self.overloaded else \
            QPalette().color(QPalette.ColorRole.Highlight)
        palette.setColor(QPalette.ColorRole.Highlight, highlight)
        self.bar.setPalette(palette)
        set_warning(self.detail, self.overloaded)
        set_warning(self.name_label, self.overloaded)

    @property
    def colour(self) -> QColor:
        """The bar's fill colour (the warning colour when overloaded)."""
        return self.bar.palette().color(QPalette.ColorRole.Highlight)


def fractions(capacity: Capacity) -> list[float]:
    """Each limit's use as a fraction (a limit of zero counts as full when used)."""
    pairs = ((capacity.clients, capacity.max_clients),
             (capacity.active_projects, capacity.max_active_projects),
             (capacity.backburner_projects, capacity.max_backburner_projects),
             (capacity.allocated_hours, capacity.weekly_hours))
    return [used / limit if limit > 0 else (2.0 if used > 0 else 0.0)
            for used, limit in pairs]
