"""The dashboard's charts: capacity bars against limit lines, and a heat map of weeks.

Both are table views over ``QAbstractTableModel``s, painted by delegates: a row per
person, so 3 people read as well as 40 (the table scrolls, its header stays), every
person can be reached with the keyboard, clicked, sorted and read by a screen reader,
and only the rows on screen are painted.

* :class:`LoadBarsModel` has a row per person and, for each scenario shown (today, or
  today and a plan, or two plans), four measure columns: active projects, back-burner
  projects, clients, hours a week. :class:`BarDelegate` draws each as a bar against a
  line at the person's limit, in the warning colour when over it.
* :class:`WeekLoadModel` has the studio's total and a row per person, a column per week,
  the allocated hours in each cell; :class:`HeatDelegate` colours it from green (free)
  to red (over the person's weekly hours).
* :class:`ListModel` is a small declarative table for the dashboard's lists.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QWidget,
)

from studio_desk.core.capacity import Capacity
from studio_desk.core.load import PersonLoad, StudioLoad, StudioTotals, utilisation
from studio_desk.gui.style import is_dark, warning_colour

_Index = QModelIndex | QPersistentModelIndex

#: The value a column sorts by (numbers as numbers).
SortRole = Qt.ItemDataRole.UserRole + 1
#: The object behind a row (a PersonLoad, a LoadItem, …).
RowRole = Qt.ItemDataRole.UserRole + 2
#: A bar cell's :class:`Measure`.
MeasureRole = Qt.ItemDataRole.UserRole + 3
#: A heat-map cell's :class:`Heat`.
HeatRole = Qt.ItemDataRole.UserRole + 4
#: A plan's progress as ``(done, total)``, drawn as a progress bar.
ProgressRole = Qt.ItemDataRole.UserRole + 5

#: What the roles above give for a cell without a bar, a heat or a progress.
NOTHING: tuple[()] = ()

_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_TEXT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

#: The measures of a capacity row, in column order: key, header, tooltip's noun.
MEASURES = (
    ("active", "Active projects", "active projects"),
    ("backburner", "Back-burner", "back-burner projects"),
    ("clients", "Clients", "clients as account manager"),
    ("hours", "Hours a week", "hours a week"),
)


def figure(value: float) -> str:
    """``5``, ``37.5``, ``48.4``: one decimal at most, none when whole."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def percent(value: float) -> str:
    """``115 %``; hours with no weekly hours at all read as such."""
    return "no hours to give" if math.isinf(value) else f"{value:.0f} %"


def in_sentence(title: str) -> str:
    """``Today`` -> ``today``, ``Under “Big Plan”`` -> ``under “Big Plan”``: a title
    inside a sentence, the names in it as they are spelled."""
    return title[:1].lower() + title[1:]


@dataclass(frozen=True)
class Measure:
    """One figure against its limit, as a bar cell draws it."""

    value: float
    limit: float
    unit: str = ""  # "h" for hours

    @property
    def over(self) -> bool:
        return self.value > self.limit + 1e-9

    @property
    def ratio(self) -> float:
        """The figure as a share of the limit; infinite for work against a zero limit."""
        if self.limit <= 0:
            return 0.0 if self.value <= 0 else math.inf
        return self.value / self.limit

    @property
    def text(self) -> str:
        suffix = f" {self.unit}" if self.unit else ""
        return f"{figure(self.value)} / {figure(self.limit)}{suffix}"


def measures_of(capacity: Capacity) -> tuple[Measure, Measure, Measure, Measure]:
    """Active, back-burner, clients and hours of ``capacity``, each against its limit."""
    return (Measure(capacity.active_projects, capacity.max_active_projects),
            Measure(capacity.backburner_projects, capacity.max_backburner_projects),
            Measure(capacity.clients, capacity.max_clients),
            Measure(capacity.allocated_hours, capacity.weekly_hours, "h"))


def describe_capacity(capacity: Capacity, *, with_overloads: bool = True) -> str:
    """Every figure of ``capacity`` in one sentence, and (unless told not to) what it is
    over."""
    text = (f"{capacity.active_projects} of {capacity.max_active_projects} active projects, "
            f"{capacity.backburner_projects} of {capacity.max_backburner_projects} "
            f"back-burner, {capacity.clients} of {capacity.max_clients} clients, "
            f"{figure(capacity.allocated_hours)} of {figure(capacity.weekly_hours)} "
            f"hours a week ({percent(capacity.utilisation_percent)})")
    if capacity.overallocated and with_overloads:
        text += ". Over: " + "; ".join(capacity.overloads)
    return text + "."


class _TableModel(QAbstractTableModel):
    """What the dashboard's models share: a list of rows, replaced in place."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Rows of the table; a table has no children."""
        return 0 if parent.isValid() else len(self._rows)

    def row_at(self, row: int) -> Any:
        """The object behind row ``row``."""
        return self._rows[row]

    def rows(self) -> list[Any]:
        return list(self._rows)

    def _replace(self, rows: Sequence[Any], same_shape: bool) -> None:
        """Show ``rows``: in place (the view keeps its selection and scroll position)
        when only the figures changed, otherwise as a new table."""
        if same_shape and len(rows) == len(self._rows) and rows:
            self._rows = list(rows)
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(rows) - 1, self.columnCount() - 1))
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()


# --------------------------------------------------------------------------- capacity bars


class LoadBarsModel(_TableModel):
    """A row per person: the name, then a bar column per measure (see :data:`MEASURES`).

    A scenario is a title and a :class:`StudioLoad`. With one scenario (today) each cell
    holds one bar; with two (today and a plan, or two plans) it holds two, one above the
    other, so a person's load under each reads at a glance. Every scenario has the same
    people in the same order (they are computed from one reading of the workspace).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scenarios: list[tuple[str, StudioLoad]] = []
        self._names: tuple[str, ...] = ()

    def set_scenarios(self, scenarios: Sequence[tuple[str, StudioLoad]]) -> None:
        """Show ``scenarios`` (title, load); the first one's people make the rows."""
        people = scenarios[0][1].people if scenarios else ()
        names = tuple(p.name for p in people)
        same = (len(scenarios) == len(self._scenarios) and names == self._names)
        self._scenarios = list(scenarios)
        self._names = names
        self._replace(list(range(len(people))), same)

    @property
    def scenarios(self) -> list[tuple[str, StudioLoad]]:
        return list(self._scenarios)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """The person's name, then one column per measure."""
        return 0 if parent.isValid() else 1 + len(MEASURES)

    @staticmethod
    def measure_key(column: int) -> str | None:
        """``"active"``, ``"backburner"``, ``"clients"`` or ``"hours"``; None for names."""
        return MEASURES[column - 1][0] if 1 <= column <= len(MEASURES) else None

    def person_load(self, row: int, scenario: int = 0) -> PersonLoad:
        """The load of row ``row``'s person in scenario ``scenario``."""
        return self._scenarios[scenario][1].people[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A name or a measure's bars, tooltip and sort value."""
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        loads = [load.people[row] for _title, load in self._scenarios]
        first = loads[0]
        if column == 0:
            if role in (Qt.ItemDataRole.DisplayRole, SortRole):
                return first.name
            if role == Qt.ItemDataRole.ToolTipRole:
                title = f" ({first.person.title})" if first.person.title else ""
                return "\n".join(f"{first.name}{title}, {in_sentence(t)}: "
                                 f"{describe_capacity(p.today)}"
                                 for (t, _l), p in zip(self._scenarios, loads, strict=True))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _TEXT
            if role == Qt.ItemDataRole.FontRole and any(p.today.overallocated for p in loads):
                font = QFont()
                font.setBold(True)
                return font
            if role == RowRole:
                return first
            if role == MeasureRole:
                return NOTHING
            return None
        number = column - 1
        measures = tuple(measures_of(p.today)[number] for p in loads)
        if role == Qt.ItemDataRole.DisplayRole:
            return "  →  ".join(m.text for m in measures)
        if role == MeasureRole:
            return measures
        if role == SortRole:
            ratio = measures[-1].ratio
            return ratio if not math.isinf(ratio) else 1e9
        if role == Qt.ItemDataRole.ToolTipRole:
            noun = MEASURES[number][2]
            lines = []
            for (title, _load), measure in zip(self._scenarios, measures, strict=True):
                line = (f"{first.name}, {in_sentence(title)}: {figure(measure.value)} {noun} of "
                        f"{figure(measure.limit)}")
                lines.append(line + (" — over the limit" if measure.over else ""))
            return "\n".join(lines) + "\nClick to see what makes it up."
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{MEASURES[number][1]}: " + ", then ".join(
                m.text + (", over" if m.over else "") for m in measures)
        if role == RowRole:
            return first
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "Person" if section == 0 else MEASURES[section - 1][1]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _TEXT
        return None


class BarDelegate(QStyledItemDelegate):
    """Draws a cell's measures as bars, each with a line at its limit and its figure.

    The limit line sits at two thirds of the bar's track, so a load up to one and a half
    times the limit shows its true length; beyond that the bar ends in an arrow and the
    figure tells the rest. Two measures (two scenarios) are drawn one above the other.
    """

    #: Where the limit line sits, as a share of the track.
    LIMIT_AT = 2 / 3
    _PADDING = 6

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        """Background and selection as any cell, then the bars and their figures."""
        measures = index.data(MeasureRole)
        if not measures:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        widget = _view_of(self)
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        rect = option.rect.adjusted(self._PADDING, 2, -self._PADDING, -2)
        lane = rect.height() / len(measures)
        painter.save()
        for number, measure in enumerate(measures):
            top = rect.top() + lane * number
            self._paint_bar(painter, option, measure,
                            QRect(rect.left(), int(top), rect.width(), int(lane)))
        painter.restore()

    def _paint_bar(self, painter: QPainter, option: QStyleOptionViewItem, measure: Measure,
                   lane: QRect) -> None:
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_width = self.text_width(option.fontMetrics, measure.unit)
        thickness = min(12.0, max(6.0, lane.height() - 10.0))
        font = QFont(option.font)
        font.setBold(measure.over)
        text_width = max(text_width, QFontMetrics(font).horizontalAdvance(measure.text) + 2)
        track = QRectF(lane.left(), lane.center().y() - thickness / 2 + 0.5,
                       max(24, lane.width() - text_width - self._PADDING), thickness)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        groove = QColor(palette.color(QPalette.ColorRole.Mid))
        groove.setAlpha(70)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(groove)
        painter.drawRoundedRect(track, 3, 3)

        ratio = measure.ratio
        longest = 1 / self.LIMIT_AT
        length = track.width() * self.LIMIT_AT * min(ratio, longest)
        if length > 0:
            bar = QRectF(track.left(), track.top(), length, track.height())
            painter.setBrush(warning_colour(palette) if measure.over else bar_colour(palette))
            painter.drawRoundedRect(bar, 3, 3)
            if ratio > longest:  # longer than the track: a notch says it goes on
                notch = QPolygonF([QPointF(bar.right() - 6, bar.top()),
                                   QPointF(bar.right() + 0.5, bar.center().y()),
                                   QPointF(bar.right() - 6, bar.bottom())])
                painter.setBrush(palette.color(QPalette.ColorRole.Base))
                painter.drawPolygon(notch)
        limit_x = track.left() + track.width() * self.LIMIT_AT
        painter.setPen(QPen(palette.color(QPalette.ColorRole.WindowText), 2))
        painter.drawLine(QPointF(limit_x, track.top() - 3),
                         QPointF(limit_x, track.bottom() + 3))

        text_rect = QRect(int(track.right()) + self._PADDING, lane.top(),
                          lane.right() - int(track.right()) - self._PADDING, lane.height())
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(warning_colour(palette) if measure.over and not selected
                       else palette.color(role))
        painter.setFont(font)
        painter.drawText(text_rect, int(_NUMBER), measure.text)

    @staticmethod
    def text_width(metrics: Any, unit: str = "") -> int:
        """Room for a cell's figure: ``12 / 15`` for counts, ``148.4 / 37.5 h`` for
        hours (bold, as over a limit); a longer figure takes room from the bar."""
        sample = "000.0 / 00.0 h" if unit else "00 / 00"
        return int(metrics.horizontalAdvance(sample) * 1.1) + 4

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        """Wide enough for a readable bar and its figure; a line per scenario."""
        measures = index.data(MeasureRole)
        if measures:
            line = option.fontMetrics.height() + 6
            return QSize(self.text_width(option.fontMetrics, measures[0].unit) + 90,
                         line * len(measures) + 6)
        return super().sizeHint(option, index)


def _view_of(delegate: QStyledItemDelegate) -> QWidget | None:
    """The view a delegate paints in (its parent), for its style."""
    parent = delegate.parent()
    return parent if isinstance(parent, QWidget) else None


def bar_colour(palette: QPalette) -> QColor:
    """The colour of a load within its limit: a calm blue on either palette."""
    return QColor("#6fa8dc") if is_dark(palette) else QColor("#3d7ab8")


# --------------------------------------------------------------------------- heat map


@dataclass(frozen=True)
class Heat:
    """How full a heat-map cell is: hours against weekly hours, and any limit exceeded."""

    hours: float
    weekly_hours: float
    overallocated: bool

    @property
    def share(self) -> float:
        return utilisation(self.hours, self.weekly_hours) / 100


def heat_colour(share: float, dark: bool) -> QColor:
    """Green when free, yellow near the weekly hours, red from a third over them."""
    if math.isinf(share):
        share = 2.0
    if share <= 1:
        hue = 120 - 70 * max(0.0, share)  # green to yellow-orange
        # A free week is a quiet pale green; colour grows with the load.
        saturation = int(90 + 80 * max(0.0, share))
        lightness = 90 if dark else 205
    else:
        hue = max(0.0, 50 - 50 * min(1.0, (share - 1) / 0.3))  # to red at 130 %
        saturation = 170
        lightness = 105 if dark else 185
    return QColor.fromHsl(int(hue), saturation, lightness)


class WeekLoadModel(_TableModel):
    """The whole studio's row, then a row per person; a column per week of hours."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._load: StudioLoad | None = None

    def set_load(self, load: StudioLoad) -> None:
        """Show the weeks of ``load``."""
        previous = self._load
        same = (previous is not None and previous.week_starts == load.week_starts
                and [p.name for p in previous.people] == [p.name for p in load.people])
        self._load = load
        # The studio's row first, where it is seen without scrolling past 40 people.
        rows: list[Any] = [load, *load.people]
        self._replace(rows, same)
        if not same:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                        max(0, self.columnCount() - 1))

    @property
    def load(self) -> StudioLoad | None:
        return self._load

    def is_total(self, row: int) -> bool:
        return isinstance(self._rows[row], StudioLoad)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """The person's name, then a column per week."""
        if parent.isValid() or self._load is None:
            return 0
        return 1 + len(self._load.week_starts)

    def _figures(self, row: int, week: int) -> Capacity | StudioTotals:
        item = self._rows[row]
        return item.week_totals[week] if isinstance(item, StudioLoad) else item.weeks[week]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A name, or a week's hours with how full it is."""
        if not index.isValid() or self._load is None:
            return None
        item = self._rows[index.row()]
        total = isinstance(item, StudioLoad)
        if index.column() == 0:
            if role in (Qt.ItemDataRole.DisplayRole, SortRole):
                return "Studio" if total else item.name
            if role == Qt.ItemDataRole.FontRole and total:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return ("Everyone together" if total
                        else f"{item.name}: {figure(item.person.weekly_hours)} hours a week")
            if role == RowRole:
                return item
            if role == HeatRole:
                return NOTHING
            return None
        week = index.column() - 1
        figures = self._figures(index.row(), week)
        over = (figures.overallocated > 0 if isinstance(figures, StudioTotals)
                else figures.overallocated)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{figures.allocated_hours:.0f}"
        if role == HeatRole:
            # The warning corner marks a person over a limit; the studio's row has none.
            return Heat(figures.allocated_hours, figures.weekly_hours, over and not total)
        if role == SortRole:
            return figures.allocated_hours
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.FontRole and total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, figures, week)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return (f"{self._week_title(week)}: {figure(figures.allocated_hours)} of "
                    f"{figure(figures.weekly_hours)} hours" + (", over" if over else ""))
        if role == RowRole:
            return item
        return None

    def _week_title(self, week: int) -> str:
        assert self._load is not None
        monday = self._load.week_starts[week]
        return f"Week of {monday.day} {monday:%b %Y}"

    def _tooltip(self, item: Any, figures: Capacity | StudioTotals, week: int) -> str:
        title = self._week_title(week)
        if isinstance(figures, StudioTotals):
            return (f"Studio, {in_sentence(title)}: {figure(figures.allocated_hours)} of "
                    f"{figure(figures.weekly_hours)} hours a week "
                    f"({percent(figures.utilisation_percent)}); "
                    f"{figures.overallocated} of {figures.people} people over a limit.")
        return f"{item.name}, {in_sentence(title)}: {describe_capacity(figures)}"

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """``Person``, then each week's Monday (``24 Nov``)."""
        if (orientation != Qt.Orientation.Horizontal or self._load is None
                or not 0 <= section < self.columnCount()):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Person"
            monday = self._load.week_starts[section - 1]
            return f"{monday.day} {monday:%b}"
        if role == Qt.ItemDataRole.ToolTipRole and section > 0:
            return self._week_title(section - 1) + ": allocated hours"
        return None


class HeatDelegate(QStyledItemDelegate):
    """Paints a week's cell in its heat colour with the hours in it; a cell over any
    limit gets a warning corner."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        """The heat colour, the number, and the selection as a frame."""
        heat = index.data(HeatRole)
        if not isinstance(heat, Heat):
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        palette = option.palette
        dark = is_dark(palette)
        cell = QRect(option.rect).adjusted(1, 1, -1, -1)
        painter.save()
        if heat.weekly_hours <= 0 and heat.hours <= 0:
            fill = QColor(palette.color(QPalette.ColorRole.Base))
        else:
            fill = heat_colour(heat.share, dark)
        painter.fillRect(cell, fill)
        if heat.overallocated:
            corner = QPolygonF([QPointF(cell.right() - 9, cell.top()),
                                QPointF(cell.right() + 1, cell.top()),
                                QPointF(cell.right() + 1, cell.top() + 10)])
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(warning_colour(palette)))
            painter.drawPolygon(corner)
        text_colour = QColor("#f5f5f5") if dark else QColor("#1b1b1b")
        if heat.weekly_hours <= 0 and heat.hours <= 0:
            text_colour = palette.color(QPalette.ColorRole.Text)
        painter.setPen(text_colour)
        painter.setFont(option.font)
        painter.drawText(cell, int(Qt.AlignmentFlag.AlignCenter), option.text)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(cell).adjusted(1.5, 1.5, -1.5, -1.5))
        painter.restore()


# --------------------------------------------------------------------------- lists


@dataclass(frozen=True)
class ListColumn:
    """One column of a :class:`ListModel`: its header and how a row reads in it."""

    header: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    number: bool = False
    tooltip: Callable[[Any], str] | None = None
    progress: Callable[[Any], tuple[int, int] | None] | None = None
    #: Shares the room left by the other columns (which fit their contents).
    stretch: bool = False


class ListModel(_TableModel):
    """A read-only table of plain rows with declared columns."""

    def __init__(self, columns: Sequence[ListColumn], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Show ``rows`` (figures of the same rows change in place)."""
        self._replace(rows, same_shape=list(rows) == self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """The declared columns; a table has no children."""
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """A cell's text, sort value, alignment, tooltip or progress."""
        if not index.isValid():
            return None
        item = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == SortRole:
            return column.sort(item) if column.sort is not None else column.text(item)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _NUMBER if column.number else _TEXT
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(item) if column.tooltip is not None else None
        if role == ProgressRole:
            progress = column.progress(item) if column.progress is not None else None
            return progress if progress is not None else NOTHING
        if role == RowRole:
            return item
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The columns' headers."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _NUMBER if self.columns[section].number else _TEXT
        return None


class ProgressDelegate(QStyledItemDelegate):
    """Draws a cell with a ``(done, total)`` progress as a progress bar with its text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        """A progress bar inside the cell, its text the cell's text."""
        progress = index.data(ProgressRole)
        if not progress:
            super().paint(painter, option, index)
            return
        done, total = progress
        self.initStyleOption(option, index)
        text = option.text
        option.text = ""
        widget = _view_of(self)
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(4, 3, -4, -3)
        bar.minimum = 0
        bar.maximum = max(1, total)
        bar.progress = min(done, max(1, total))
        bar.text = text
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        bar.fontMetrics = option.fontMetrics
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)
