"""Two plans side by side (the Plans page's Compare…): who takes each role in one plan and
in the other, the rows that differ highlighted, each person's load with either plan, and
how well each plan did.

The dialog reads through a function it is given (``compare(a_id, b_id)``), so it holds
no session; picking another plan in either box compares again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio_desk.core.capacity import Capacity
from studio_desk.core.errors import StudioDeskError
from studio_desk.gui.messages import show_problem
from studio_desk.gui.responsibilities import HEADER_ALIGNMENT, make_label, make_table
from studio_desk.gui.style import is_dark, warning_colour
from studio_desk.store.plans import CapacityPair, ComparedRow, PlanComparison, PlanSide

#: The row's :class:`ComparedRow` (custom roles start at ``Qt.UserRole``).
RowRole = Qt.ItemDataRole.UserRole + 1
#: True when the two plans give the row to different people.
DiffersRole = Qt.ItemDataRole.UserRole + 2

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_NO_ONE = "—"


def difference_colour(palette: QPalette) -> QColor:
    """A soft tint behind a differing row, readable on a light or a dark palette."""
    return QColor("#4a3f12") if is_dark(palette) else QColor("#fff2c2")


@dataclass(frozen=True)
class Column:
    """One column of a table: what it is, its title, and how a row shows in it."""

    key: str
    header: str
    text: Callable[[Any], str]
    alignment: Qt.AlignmentFlag = _LEFT


class _ColumnModel(QAbstractTableModel):
    """A read-only table of frozen rows shown through a declarative column list."""

    def __init__(self, columns: Sequence[Column], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any], columns: Sequence[Column] | None = None) -> None:
        """Show another comparison (a new pair of plans: everything changes at once)."""
        self.beginResetModel()
        self._rows = list(rows)
        if columns is not None:
            self.columns = list(columns)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        """The rows shown; a table has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        """The columns shown; a table has no children."""
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles; rows have none."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return HEADER_ALIGNMENT
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        """Rows can be selected and copied from, not edited."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text and alignment, or the row behind it."""
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        if role == RowRole:
            return row
        return None


class ComparisonModel(_ColumnModel):
    """Every role of either plan: client, project, role, the person in A and in B; the
    rows that differ are tinted, their people in bold."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.columns_for("Plan A", "Plan B"), parent)
        self._tint = QBrush(difference_colour(QPalette()))

    @staticmethod
    def columns_for(a: str, b: str) -> list[Column]:
        """The columns, the last two titled by the plans' names."""
        return [Column("client", "Client", lambda r: r.client),
                Column("project", "Project", lambda r: r.project or ""),
                Column("role", "Role", lambda r: r.role_name),
                Column("person_a", a, lambda r: r.person_a or _NO_ONE),
                Column("person_b", b, lambda r: r.person_b or _NO_ONE)]

    def set_comparison(self, comparison: PlanComparison) -> None:
        """Show ``comparison``'s rows under its plans' names."""
        self.set_rows(comparison.rows, self.columns_for(comparison.a.plan.name,
                                                        comparison.b.plan.name))

    def set_palette(self, palette: QPalette) -> None:
        """Tint differing rows for ``palette`` (light or dark)."""
        self._tint = QBrush(difference_colour(palette))
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.columns) - 1),
                                  [Qt.ItemDataRole.BackgroundRole])

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """As :class:`_ColumnModel`, plus the tint, bold and tooltip of a differing row."""
        if not index.isValid():
            return None
        row: ComparedRow = self._rows[index.row()]
        if role == DiffersRole:
            return row.differs
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._tint if row.differs else None
        if role == Qt.ItemDataRole.FontRole:
            if row.differs and self.columns[index.column()].key in ("person_a", "person_b"):
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if not row.in_a or not row.in_b:
                missing = self.columns[3 if not row.in_a else 4].header
                return f"“{missing}” has no row for this role (made before it existed)."
            return "The two plans differ here." if row.differs else None
        return super().data(index, role)


class DifferencesFilter(QSortFilterProxyModel):
    """Every row, or only those whose person differs (the dialog's checkbox)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._only_differences = False

    @property
    def only_differences(self) -> bool:
        return self._only_differences

    def set_only_differences(self, only: bool) -> None:
        """Show only differing rows (True) or every row."""
        if only != self._only_differences:
            self.beginFilterChange()
            self._only_differences = bool(only)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        """A row is shown unless only differences are asked for and it is the same."""
        if not self._only_differences:
            return True
        model = self.sourceModel()
        return bool(model.index(source_row, 0, source_parent).data(DiffersRole))


def load_text(capacity: Capacity | None) -> str:
    """A person's load against their limits in a few words:
    ``3/8 clients · 4/6 active · 1/3 back-burner · 36/40 h``."""
    if capacity is None:
        return _NO_ONE
    text = (f"{capacity.clients}/{capacity.max_clients} clients · "
            f"{capacity.active_projects}/{capacity.max_active_projects} active · "
            f"{capacity.backburner_projects}/{capacity.max_backburner_projects} back-burner · "
            f"{capacity.allocated_hours:.0f}/{capacity.weekly_hours:.0f} h")
    return text + " — over" if capacity.overloads else text


class CapacityComparisonModel(_ColumnModel):
    """Each person's load with plan A and with plan B (over a limit: in the warning tint)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(self.columns_for("Plan A", "Plan B"), parent)
        self._warning = QBrush(warning_colour(QPalette()))

    @staticmethod
    def columns_for(a: str, b: str) -> list[Column]:
        return [Column("person", "Person", lambda p: p.person),
                Column("a", f"With “{a}”", lambda p: load_text(p.a)),
                Column("b", f"With “{b}”", lambda p: load_text(p.b))]

    def set_comparison(self, comparison: PlanComparison) -> None:
        self.set_rows(comparison.capacity, self.columns_for(comparison.a.plan.name,
                                                            comparison.b.plan.name))

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """As :class:`_ColumnModel`, plus the limits exceeded, tinted and in a tooltip."""
        if not index.isValid():
            return None
        pair: CapacityPair = self._rows[index.row()]
        if role == Qt.ItemDataRole.FontRole:
            if load_text(pair.a) == load_text(pair.b):
                return None
            font = QFont()  # the people whose load the two plans change
            font.setBold(True)
            return font
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.ToolTipRole) \
                and index.column() > 0:
            capacity = pair.a if index.column() == 1 else pair.b
            if capacity is None or not capacity.overloads:
                return None
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._warning
            return "Over: " + "; ".join(capacity.overloads) + "."
        return super().data(index, role)


def side_text(side: PlanSide) -> str:
    """``“Spring split” (draft): places 36 of 48 roles; its proposal: score 41.5, 2
    unplaced``."""
    text = (f"“{side.plan.name}” ({side.plan.status}): places {side.placed} of "
            f"{side.roles} role{'' if side.roles == 1 else 's'}; ")
    if side.score is None:
        return text + "never proposed"
    text += f"its proposal: score {side.score:.1f}"
    if side.unplaced is not None:
        text += f", {side.unplaced} unplaced"
    return text


def read_only_table(parent: QWidget, name: str, accessible: str,
                    model: QAbstractTableModel | QSortFilterProxyModel,
                    samples: Sequence[str]) -> QTableView:
    """A table to read, not edit: whole rows selected, each column as wide as its sample
    text, the last one taking what is left."""
    table = make_table(name, accessible, parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, sample in enumerate(samples):
        header.resizeSection(column, parent.fontMetrics().horizontalAdvance(sample) + 24)
    return table


class PlanCompareDialog(QDialog):
    """Two plans side by side; each box picks a plan, and the table follows."""

    def __init__(self, choices: Sequence[tuple[int, str]], a_id: int, b_id: int,
                 compare: Callable[[int, int], PlanComparison],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_compare_dialog")
        self.setWindowTitle("Compare plans")
        self.setAccessibleName("Compare plans")
        self._compare = compare
        self.comparison: PlanComparison | None = None
        self.plan_a = self._plan_box("plan_a", "Plan A", choices, a_id)
        self.plan_b = self._plan_box("plan_b", "Plan B", choices, b_id)
        self.only_differences = QCheckBox("&Only differences", self)
        self.only_differences.setObjectName("only_differences")
        self.only_differences.setToolTip("Show only the roles the two plans give to "
                                         "different people")
        self.summary = make_label(self, "compare_summary", "Summary", wrap=True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.side_a = make_label(self, "compare_side_a", "Plan A in figures")
        self.side_b = make_label(self, "compare_side_b", "Plan B in figures")

        self.model = ComparisonModel(self)
        self.model.set_palette(self.palette())
        self.proxy = DifferencesFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._table("compare_table", "Roles in both plans", self.proxy,
                                 ("Borealis Savings Bank & Co",
                                  "Brightwater newsletter template",
                                  "Production Manager", "Ana Ruiz-Fischer",
                                  "Ana Ruiz-Fischer"))
        self.capacity = CapacityComparisonModel(self)
        self.capacity_table = self._table(
            "compare_capacity_table", "Each person's load with either plan", self.capacity,
            # Over-limit loads are shown in bold: the samples leave room for that.
            ("Ana Ruiz-Fischer",
             "10/10 clients · 6/6 active · 15/15 back-burner · 55/40 h — over ",
             "10/10 clients · 6/6 active · 15/15 back-burner · 55/40 h — over "))

        pick = QGridLayout()
        for row, (text, box, side) in enumerate((("Plan &A:", self.plan_a, self.side_a),
                                                 ("Plan &B:", self.plan_b, self.side_b))):
            label = QLabel(text, self)
            label.setBuddy(box)
            pick.addWidget(label, row, 0)
            pick.addWidget(box, row, 1)
            pick.addWidget(side, row, 2)
        pick.setColumnStretch(2, 1)
        pick.setHorizontalSpacing(12)
        above = QHBoxLayout()
        above.addWidget(self.summary, 1)
        above.addWidget(self.only_differences)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("compare_splitter")
        splitter.setChildrenCollapsible(False)
        rows_box = QWidget(splitter)
        rows_layout = QVBoxLayout(rows_box)
        rows_layout.setContentsMargins(0, 0, 0, 0)
        rows_layout.addLayout(above)
        rows_layout.addWidget(self.table, 1)
        capacity_box = QWidget(splitter)
        capacity_layout = QVBoxLayout(capacity_box)
        capacity_layout.setContentsMargins(0, 0, 0, 0)
        capacity_label = QLabel("Each person's load with either plan (used / limit):",
                                capacity_box)
        capacity_label.setTextFormat(Qt.TextFormat.PlainText)
        capacity_layout.addWidget(capacity_label)
        capacity_layout.addWidget(self.capacity_table, 1)
        splitter.addWidget(rows_box)
        splitter.addWidget(capacity_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(1100, 700)

        self.only_differences.toggled.connect(self.proxy.set_only_differences)
        self.only_differences.toggled.connect(self._show_count)
        self.plan_a.currentIndexChanged.connect(self.refresh)
        self.plan_b.currentIndexChanged.connect(self.refresh)
        self.refresh()
        self.table.setFocus()

    def _plan_box(self, name: str, accessible: str, choices: Sequence[tuple[int, str]],
                  chosen: int) -> QComboBox:
        box = QComboBox(self)
        box.setObjectName(name)
        box.setAccessibleName(accessible)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for plan_id, plan_name in choices:
            box.addItem(plan_name, plan_id)
        box.setCurrentIndex(max(box.findData(chosen), 0))
        return box

    def _table(self, name: str, accessible: str, model: QAbstractTableModel
               | QSortFilterProxyModel, samples: Sequence[str]) -> QTableView:
        return read_only_table(self, name, accessible, model, samples)

    def refresh(self, *_args: object) -> None:
        """Compare the two plans chosen in the boxes again."""
        a_id, b_id = self.plan_a.currentData(), self.plan_b.currentData()
        if a_id is None or b_id is None:
            return
        try:
            comparison = self._compare(a_id, b_id)
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        self.comparison = comparison
        self.model.set_comparison(comparison)
        self.capacity.set_comparison(comparison)
        # Fit the first plan's loads (bold when over a limit) so none is cut short.
        self.capacity_table.resizeColumnToContents(1)
        self.side_a.setText(side_text(comparison.a))
        self.side_b.setText(side_text(comparison.b))
        self._show_count()

    def _show_count(self, *_args: object) -> None:
        if self.comparison is None:
            return
        text = self.comparison.summary + "."
        if self.proxy.only_differences and not self.comparison.differing:
            text += " The two plans give every role to the same person."
        self.summary.setText(text)

    @classmethod
    def ask(cls, parent: QWidget | None, choices: Sequence[tuple[int, str]], a_id: int,
            b_id: int, compare: Callable[[int, int], PlanComparison]) -> tuple[int, int]:
        """Show the comparison until closed; the ids of the two plans last compared."""
        dialog = cls(choices, a_id, b_id, compare, parent)
        try:
            dialog.exec()
            return dialog.plan_a.currentData(), dialog.plan_b.currentData()
        finally:
            dialog.deleteLater()
