"""The Dashboard: who carries how much, what nobody carries, and how the plans stand.

The first page of the window. At the top, the studio in one line and the day the figures
are for. Then three views of the load (rules in ``core.load``):

* **Capacity** — a row per person, a bar per limit (active projects, back-burner
  projects, clients as Account Manager, hours a week), in the warning colour when over;
* **Next 12 weeks** — a heat map of each person's allocated hours, week by week;
* **What if…** — everyone's load under a plan beside today's, or two plans side by side.

Beside them: projects without a manager, clients without an Account Manager, and the
plans under way with their progress. Clicking a bar, a name or a week (or moving onto it
with the keyboard) lists below what makes up that figure.

The figures are read off the GUI thread and follow the workspace: any saved, removed or
stale record (this window's edits, a colleague's) refreshes them, straight away when the
page is on screen, otherwise when it is next shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from PySide6.QtCore import QDate, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from studio_desk.core.errors import StudioDeskError
from studio_desk.core.load import (
    NO_ACCOUNT_MANAGER,
    NO_MANAGER,
    LoadItem,
    PersonLoad,
    StudioLoad,
)
from studio_desk.gui.charts import (
    BarDelegate,
    HeatDelegate,
    ListColumn,
    ListModel,
    LoadBarsModel,
    ProgressDelegate,
    SortRole,
    WeekLoadModel,
    describe_capacity,
    figure,
    in_sentence,
    percent,
)
from studio_desk.gui.desk import Desk
from studio_desk.gui.style import warning_colour
from studio_desk.store import load_data, plans
from studio_desk.store.load_data import OpenPlan

#: Changes arriving within this many milliseconds refresh the figures once.
REFRESH_DELAY_MS = 120
#: The what-if choice meaning "the workspace as it is today".
TODAY = -1
#: Names of overallocated people listed in the summary line, at most.
_NAMES_IN_SUMMARY = 4


@dataclass(frozen=True)
class DashboardData:
    """Everything the dashboard shows, read in one go off the GUI thread."""

    load: StudioLoad
    plans: list[OpenPlan]
    plan_names: list[tuple[int, str, str]]  # id, name, status of every plan
    scenarios: list[tuple[str, StudioLoad]]  # the what-if comparison, left then right
    compared: tuple[int, int]  # the plan ids compared (TODAY for today)
    #: Applied plans due for their review: (name, review date), the longest due first.
    reviews_due: list[tuple[str, dt.date]] = field(default_factory=list)


def read_dashboard(session: Session, as_of: dt.date, compare: tuple[int, int] | None = None,
                   *, with_comparison: bool = True,
                   today: dt.date | None = None) -> DashboardData:
    """The dashboard's figures on ``as_of``, comparing the plans ``compare`` names
    (default: today beside the first plan, drafts first). Without ``with_comparison``
    the plans' figures are left out (``scenarios`` is empty): only the What if view
    shows them, and they cost as much again as today's.

    Everything is read as it stands on ``as_of``: who manages each project, who holds
    each client, everyone's limits (a plan applied ahead of its effective date counts
    from that date; ``today`` is the computer's date unless given)."""
    reviews_due = [(plan.name, when) for plan in plans.plans_due_for_review(session, today)
                   if (when := plans.review_date(plan)) is not None]
    inputs = load_data.read_load_inputs(session, as_of, today=today)
    today = load_data.studio_load_of(inputs, as_of)
    names = load_data.read_plan_names(session)
    known = {plan_id: name for plan_id, name, _status in names}
    if compare is None:
        compare = (TODAY, names[0][0] if names else TODAY)
    # A plan chosen earlier may have been deleted since (here or by a colleague).
    compared = tuple(plan_id if plan_id in known else TODAY for plan_id in compare)
    scenarios = []
    for plan_id in compared if with_comparison else ():
        if plan_id == TODAY:
            scenarios.append(("Today", today))
            continue
        changes = load_data.read_plan_changes(session, plan_id)
        scenarios.append((f"Under “{known[plan_id]}”",
                          load_data.studio_load_of(inputs, as_of, plan=changes)))
    return DashboardData(today, load_data.read_open_plans(session), names, scenarios,
                         (compared[0], compared[1]), reviews_due)


def review_reminder(reviews_due: list[tuple[str, dt.date]]) -> str:
    """One line per plan due for review, e.g. "“Spring split” is due for its six-month
    review (since 2 Sep 2026)"."""
    return "\n".join(f"“{name}” is due for its six-month review (since "
                     f"{when.day} {when:%b %Y})" for name, when in reviews_due)


def _label(text: str = "", name: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label


def _table(name: str, accessible: str, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setHighlightSections(False)
    return table


def _date_text(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else ""


# Columns of the dashboard's lists ---------------------------------------------------------

_ITEM_COLUMNS = (
    ListColumn("Name", lambda i: i.name, stretch=True),
    ListColumn("Client", lambda i: i.client if i.kind == "project" else "", stretch=True),
    ListColumn("Status", lambda i: "account manager" if i.kind == "client" else i.status),
    ListColumn("Hours a week", lambda i: figure(i.weekly_hours) if i.weekly_hours else "",
               sort=lambda i: i.weekly_hours, number=True),
    ListColumn("Due / until", lambda i: _date_text(i.end) + (" (late)" if i.late else ""),
               sort=lambda i: i.end or dt.date.max,
               tooltip=lambda i: ("Past its due date and still open: it stays on the desk "
                                  "until its status changes.") if i.late else ""),
)

_UNMANAGED_COLUMNS = (
    ListColumn("Project", lambda u: u.project.name, stretch=True,
               tooltip=lambda u: f"{u.project.name}: {u.reason}"),
    ListColumn("Client", lambda u: u.project.client, stretch=True),
    ListColumn("Status", lambda u: u.project.status),
    ListColumn("Why", lambda u: u.reason),
)

_UNHELD_COLUMNS = (
    ListColumn("Client", lambda c: c.name, stretch=True,
               tooltip=lambda c: f"{c.name}: {c.reason}"),
    ListColumn("Open projects", lambda c: str(c.open_projects), sort=lambda c: c.open_projects,
               number=True),
    ListColumn("Why", lambda c: c.reason),
)

_PLAN_COLUMNS = (
    ListColumn("Plan", lambda p: p.name, stretch=True, tooltip=lambda p: p.description()),
    ListColumn("Progress", lambda p: p.progress_text(), stretch=True,
               progress=lambda p: (p.informed, p.conversations)
               if p.status != "draft" and p.conversations else None,
               tooltip=lambda p: p.description()),
)


def _fit_columns(table: QTableView, columns: tuple[ListColumn, ...]) -> None:
    """Columns fit their contents; those that stretch share what is left (and elide)."""
    header = table.horizontalHeader()
    header.setResizeContentsPrecision(200)  # a sample of rows is enough for a width
    header.setStretchLastSection(False)
    for section, column in enumerate(columns):
        header.setSectionResizeMode(section, QHeaderView.ResizeMode.Stretch if column.stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)


class _Attention(QGroupBox):
    """A titled list of things needing someone, or a sentence when there are none."""

    def __init__(self, title: str, name: str, columns: tuple[ListColumn, ...],
                 when_empty: str, parent: QWidget, usual_reason: str = "") -> None:
        super().__init__(parent)
        self._title = title
        self._usual_reason = usual_reason
        self._when_empty = when_empty
        self.setObjectName(f"{name}_box")
        self.model = ListModel(columns, self)
        self.table = _table(name, title, self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        _fit_columns(self.table, columns)
        self.empty = _label(when_empty, f"{name}_empty", self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        self.set_rows([])

    def set_rows(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        self.setTitle(f"{self._title} ({len(rows)})" if rows else self._title)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        if self._usual_reason:
            # "Why" only earns its room when some row has another reason than the usual.
            why = self.model.columnCount() - 1
            self.table.setColumnHidden(
                why, all(getattr(r, "reason", "") == self._usual_reason for r in rows))


class DashboardView(QWidget):
    """The Dashboard page (see the module's docstring)."""

    title: ClassVar[str] = "Dashboard"

    #: Fresh figures are on screen.
    refreshed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard_view")
        self.setAccessibleName("Dashboard")
        self.desk: Desk | None = None
        self.data: DashboardData | None = None
        self._generation = 0
        self._compare = (TODAY, TODAY)
        self._compare_chosen = False
        #: What the detail pane shows: (view, person name, week, measure, scenario).
        self._detail: tuple[str, str, int | None, str | None, int] | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.reload)

        # The top line: the studio in a sentence, and the day the figures are for.
        self.summary = _label("", "dashboard_summary", self)
        self.summary.setAccessibleName("Studio summary")
        self.summary.setWordWrap(True)
        self.as_of_edit = QDateEdit(self)
        self.as_of_edit.setObjectName("dashboard_as_of")
        self.as_of_edit.setAccessibleName("Figures as of")
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("d MMM yyyy")
        self.as_of_edit.setDate(QDate.currentDate())
        self.as_of_edit.setToolTip("The day the figures are for; the weeks start on its "
                                   "Monday")
        self.as_of_edit.dateChanged.connect(lambda _d: self.reload())
        as_of_label = QLabel("&As of:", self)
        as_of_label.setBuddy(self.as_of_edit)
        self.today_button = QPushButton("This &week", self)
        self.today_button.setObjectName("dashboard_today")
        self.today_button.setAccessibleName("Figures as of today")
        self.today_button.setToolTip("Show the figures as of today")
        self.today_button.setAutoDefault(False)
        self.today_button.clicked.connect(
            lambda: self.as_of_edit.setDate(QDate.currentDate()))
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(as_of_label)
        top.addWidget(self.as_of_edit)
        top.addWidget(self.today_button)

        # The load, three ways.
        self.views = QTabWidget(self)
        self.views.setObjectName("dashboard_views")
        self.views.setAccessibleName("Load views")
        self.views.setDocumentMode(True)

        self.capacity_model = LoadBarsModel(self)
        self.capacity_proxy = QSortFilterProxyModel(self)
        self.capacity_proxy.setSourceModel(self.capacity_model)
        self.capacity_proxy.setSortRole(SortRole)
        self.capacity_proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.capacity_table = self._bar_table("capacity_chart",
                                              "Capacity per person against limits",
                                              self.capacity_proxy)
        self.capacity_table.setSortingEnabled(True)
        self.capacity_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.views.addTab(self.capacity_table, "&Capacity")

        self.weeks_model = WeekLoadModel(self)
        self.weeks_table = _table("weeks_heat_map", "Allocated hours per person and week",
                                  self.views)
        self.weeks_table.setModel(self.weeks_model)
        self.weeks_table.setItemDelegate(HeatDelegate(self.weeks_table))
        self.weeks_table.setShowGrid(False)
        self.weeks_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.weeks_table.verticalHeader().setDefaultSectionSize(
            self.fontMetrics().height() + 12)
        self.weeks_table.selectionModel().currentChanged.connect(self._week_cell_chosen)
        self.weeks_table.clicked.connect(self._week_cell_chosen)
        self.views.addTab(self.weeks_table, "Next &12 weeks")

        self.what_if = QWidget(self.views)
        self.what_if.setObjectName("what_if")
        self.left_plan = self._plan_combo("what_if_left", "Compare")
        self.right_plan = self._plan_combo("what_if_right", "With")
        left_label = QLabel("Com&pare", self.what_if)
        left_label.setBuddy(self.left_plan)
        right_label = QLabel("wit&h", self.what_if)
        right_label.setBuddy(self.right_plan)
        self.what_if_summary = _label("", "what_if_summary", self.what_if)
        self.what_if_summary.setWordWrap(True)
        self.compare_model = LoadBarsModel(self)
        self.compare_proxy = QSortFilterProxyModel(self)
        self.compare_proxy.setSourceModel(self.compare_model)
        self.compare_proxy.setSortRole(SortRole)
        self.compare_table = self._bar_table("what_if_chart", "Load under two scenarios",
                                             self.compare_proxy, parent=self.what_if)
        self.compare_table.setSortingEnabled(True)
        self.compare_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        pickers = QHBoxLayout()
        pickers.addWidget(left_label)
        pickers.addWidget(self.left_plan, 1)
        pickers.addWidget(right_label)
        pickers.addWidget(self.right_plan, 1)
        what_if_layout = QVBoxLayout(self.what_if)
        what_if_layout.setContentsMargins(0, 6, 0, 0)
        what_if_layout.addLayout(pickers)
        what_if_layout.addWidget(self.what_if_summary)
        what_if_layout.addWidget(self.compare_table, 1)
        self.views.addTab(self.what_if, "&What if…")
        self.views.currentChanged.connect(self._view_changed)

        # What makes up the figure chosen.
        self.detail = QWidget(self)
        self.detail.setObjectName("load_detail")
        self.detail.setAccessibleName("What makes up the load")
        self.detail_heading = _label("", "load_detail_heading", self.detail)
        self.detail_heading.setWordWrap(True)
        heading_font = self.detail_heading.font()
        heading_font.setBold(True)
        self.detail_heading.setFont(heading_font)
        self.detail_figures = _label("", "load_detail_figures", self.detail)
        self.detail_figures.setWordWrap(True)
        self.detail_over = _label("", "load_detail_over", self.detail)
        self.detail_over.setWordWrap(True)
        self.items_model = ListModel(_ITEM_COLUMNS, self)
        self.items_table = _table("load_items", "Projects and clients behind the figure",
                                  self.detail)
        self.items_table.setModel(self.items_model)
        self.items_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        _fit_columns(self.items_table, _ITEM_COLUMNS)
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        detail_layout.addWidget(self.detail_heading)
        detail_layout.addWidget(self.detail_figures)
        detail_layout.addWidget(self.detail_over)
        detail_layout.addWidget(self.items_table, 1)

        # What needs someone, and how the plans stand, beside the chart.
        attention = QWidget(self)
        attention.setObjectName("needs_attention")
        self.unmanaged = _Attention("Projects without a manager", "unmanaged_projects",
                                    _UNMANAGED_COLUMNS, "Every open project has a manager.",
                                    attention, NO_MANAGER)
        self.unheld = _Attention("Clients without an account manager", "unheld_clients",
                                 _UNHELD_COLUMNS, "Every client has an account manager.",
                                 attention, NO_ACCOUNT_MANAGER)
        self.plans = _Attention("Plans under way", "open_plans", _PLAN_COLUMNS,
                                "No transition plan is under way. Tools › Transition wizard "
                                "starts one.", attention)
        self.plans.table.setItemDelegateForColumn(1, ProgressDelegate(self.plans.table))
        # Under the plans: those whose review has come ("ask me again in six months").
        self.reviews_due = _label("", "plans_review_due", attention)
        self.reviews_due.setAccessibleName("Plans due for review")
        self.reviews_due.setToolTip("studio-desk plan review NAME shows how the studio "
                                    "moved since the plan")
        self.reviews_due.setWordWrap(True)
        self.reviews_due.setVisible(False)
        attention_layout = QVBoxLayout(attention)
        attention_layout.setContentsMargins(0, 0, 0, 0)
        attention_layout.addWidget(self.unmanaged, 3)
        attention_layout.addWidget(self.unheld, 2)
        attention_layout.addWidget(self.plans, 2)
        attention_layout.addWidget(self.reviews_due)

        self.upper = QSplitter(Qt.Orientation.Horizontal, self)
        self.upper.setObjectName("dashboard_upper")
        self.upper.setChildrenCollapsible(False)
        self.upper.addWidget(self.views)
        self.upper.addWidget(attention)
        self.upper.setStretchFactor(0, 7)
        self.upper.setStretchFactor(1, 3)

        self.body = QSplitter(Qt.Orientation.Vertical, self)
        self.body.setObjectName("dashboard_body")
        self.body.setChildrenCollapsible(False)
        self.body.addWidget(self.upper)
        self.body.addWidget(self.detail)
        self.body.setStretchFactor(0, 2)
        self.body.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.body, 1)
        self._show_detail_hint()
        self._show_nothing()

    # Building ---------------------------------------------------------------------------

    def _bar_table(self, name: str, accessible: str, model: QSortFilterProxyModel,
                   parent: QWidget | None = None) -> QTableView:
        table = _table(name, accessible, parent or self.views)
        table.setModel(model)
        table.setItemDelegate(BarDelegate(table))
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(200)
        header.setMinimumSectionSize(60)
        table.selectionModel().currentChanged.connect(
            lambda current, _previous: self._bar_chosen(table, current))
        table.clicked.connect(lambda index: self._bar_chosen(table, index))
        return table

    def _plan_combo(self, name: str, accessible: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.addItem("Today", TODAY)
        combo.activated.connect(self._comparison_chosen)
        return combo

    # Binding and reading ----------------------------------------------------------------

    def bind(self, desk: Desk | None) -> None:
        """Show the figures of ``desk`` (None: no workspace open)."""
        if self.desk is not None:
            for signal in (self.desk.row_saved, self.desk.row_removed, self.desk.stale):
                signal.disconnect(self._workspace_changed)
        self.desk = desk
        self._compare = (TODAY, TODAY)
        self._compare_chosen = False
        self._detail = None
        self._show_detail_hint()
        if desk is None:
            self._generation += 1
            self._refresh_timer.stop()
            self._show_nothing()
            return
        for signal in (desk.row_saved, desk.row_removed, desk.stale):
            signal.connect(self._workspace_changed)
        if self.isVisible():
            self.reload()  # otherwise when shown

    def as_of(self) -> dt.date:
        """The day the figures are for."""
        day = self.as_of_edit.date()
        return dt.date(day.year(), day.month(), day.day())

    def set_as_of(self, day: dt.date) -> None:
        """Show the figures as of ``day`` (the weeks start on its Monday)."""
        self.as_of_edit.setDate(QDate(day.year, day.month, day.day))

    def _workspace_changed(self, *_args: object) -> None:
        """A record changed here or in a colleague's window: refresh soon (a burst of
        changes, an import, refreshes once); a hidden page refreshes when shown."""
        if self.isVisible():
            self._refresh_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        """Read the figures again when the page comes into view: whatever changed while
        another page was shown (a record, a plan's checklist) is on it."""
        super().showEvent(event)
        if self.desk is not None:
            self.reload()

    def reload(self) -> None:
        """Read the figures again, off the GUI thread; the old ones stay until then."""
        self._refresh_timer.stop()
        if self.desk is None:
            return
        self._generation += 1
        generation = self._generation
        as_of, compare = self.as_of(), self._wanted_comparison()
        comparing = self.views.currentWidget() is self.what_if
        self.desk.read(lambda s: read_dashboard(s, as_of, compare,
                                                with_comparison=comparing),
                       lambda data: self._loaded(generation, data),
                       lambda error: self._failed(generation, error))

    def _failed(self, generation: int, error: StudioDeskError) -> None:
        if generation == self._generation:  # tried again when changed or shown
            self.summary.setText(f"The figures could not be read: {error}")

    def _loaded(self, generation: int, data: DashboardData) -> None:
        if generation != self._generation:
            return  # a newer reading is on its way
        self.data = data
        load = data.load
        self.summary.setText(self._summary_text(load))
        self.capacity_model.set_scenarios([("Today", load)])
        self.weeks_model.set_load(load)
        self._fit_heat_map()
        self._show_comparison(data)
        self.unmanaged.set_rows(list(load.unmanaged_projects))
        self.unheld.set_rows(list(load.clients_without_account_manager))
        self.plans.set_rows(data.plans)
        self._show_reviews_due(data.reviews_due)
        if self._detail is None and load.people:
            # Until a figure is chosen, show the busiest person: the one furthest over a
            # limit, or else the one with the largest share of their hours taken.
            busiest = max(load.people, key=lambda p: (p.today.overallocated,
                                                      p.today.utilisation_percent))
            if busiest.today.overallocated or busiest.today.allocated_hours > 0:
                self._detail = ("capacity", busiest.name, None, None, 0)
                self._point_at(load.people.index(busiest))
        self._refresh_detail()
        self.refreshed.emit()

    def _show_nothing(self) -> None:
        self.data = None
        self.summary.setText("No workspace open." if self.desk is None else "")
        self.capacity_model.set_scenarios([])
        self.compare_model.set_scenarios([])
        for box in (self.unmanaged, self.unheld, self.plans):
            box.set_rows([])
        self._show_reviews_due([])

    def _show_reviews_due(self, reviews_due: list[tuple[str, dt.date]]) -> None:
        self.reviews_due.setText(review_reminder(reviews_due))
        self.reviews_due.setVisible(bool(reviews_due))

    @staticmethod
    def _summary_text(load: StudioLoad) -> str:
        total = load.today_total
        if not total.people:
            return "No active people yet: add them on the People page."
        people = "1 person" if total.people == 1 else f"{total.people} people"
        text = (f"{people} · {figure(total.allocated_hours)} of "
                f"{figure(total.weekly_hours)} hours a week allocated "
                f"({percent(total.utilisation_percent)})")
        over = [p.name for p in load.overallocated]
        if not over:
            return text + " · nobody over a limit"
        text += f" · {len(over)} over a limit"
        if len(over) <= _NAMES_IN_SUMMARY:
            text += ": " + ", ".join(over)
        return text

    def _fit_heat_map(self) -> None:
        header = self.weeks_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("30 Sep") + 12)
        if self.weeks_model.columnCount():
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

    # What if ----------------------------------------------------------------------------

    def _view_changed(self, _index: int) -> None:
        """The What if view's figures are read when it is first shown."""
        if (self.views.currentWidget() is self.what_if and self.data is not None
                and not self.data.scenarios):
            self.reload()

    def _wanted_comparison(self) -> tuple[int, int] | None:
        """The plans the user chose to compare; None until they choose (the reading then
        puts today beside the first plan)."""
        return self._compare if self._compare_chosen else None

    def compare(self, left: int, right: int) -> None:
        """Compare plan ``left`` with plan ``right`` (:data:`TODAY` for today)."""
        self._compare = (left, right)
        self._compare_chosen = True
        self.reload()

    def _comparison_chosen(self, _index: int) -> None:
        self.compare(int(self.left_plan.currentData()), int(self.right_plan.currentData()))

    def _show_comparison(self, data: DashboardData) -> None:
        for combo, chosen in zip((self.left_plan, self.right_plan), data.compared,
                                 strict=True):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("Today", TODAY)
            for plan_id, name, status in data.plan_names:
                combo.addItem(f"{name} ({status})", plan_id)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)
        self.compare_model.set_scenarios(data.scenarios)
        self.compare_table.verticalHeader().setDefaultSectionSize(
            2 * (self.fontMetrics().height() + 6) + 6)
        self.compare_table.setVisible(bool(data.plan_names))
        if not data.plan_names:
            self.what_if_summary.setText(
                "No transition plan yet: Tools › Transition wizard makes one; then compare "
                "everyone's load under it with today's here.")
            return
        if not data.scenarios:  # not read: the view is not on screen
            self.what_if_summary.setText("")
            return
        parts = []
        for title, load in data.scenarios:
            total = load.today_total
            parts.append(f"{title}: {len(load.overallocated)} of {total.people} over a limit,"
                         f" {figure(total.allocated_hours)} hours a week allocated, "
                         f"{len(load.unmanaged_projects)} projects and "
                         f"{len(load.clients_without_account_manager)} clients without "
                         "a manager")
        self.what_if_summary.setText(
            "Upper bar: " + parts[0] + ".\nLower bar: " + parts[1] + ".")

    # What makes up a figure -------------------------------------------------------------

    def _bar_chosen(self, table: QTableView, index: QModelIndex) -> None:
        if not index.isValid():
            return
        proxy = table.model()
        assert isinstance(proxy, QSortFilterProxyModel)
        source = proxy.mapToSource(index)
        model = proxy.sourceModel()
        assert isinstance(model, LoadBarsModel)
        if not model.scenarios:
            return
        # In the comparison the figures of interest are those of the second scenario.
        scenario = len(model.scenarios) - 1
        view = "capacity" if model is self.capacity_model else "what_if"
        name = model.person_load(source.row(), scenario).name
        self._detail = (view, name, None, model.measure_key(source.column()), scenario)
        self._refresh_detail()

    def _week_cell_chosen(self, index: QModelIndex, *_args: object) -> None:
        if not index.isValid() or self.weeks_model.load is None:
            return
        item = self.weeks_model.row_at(index.row())
        week = index.column() - 1 if index.column() > 0 else None
        if isinstance(item, StudioLoad):
            self._detail = ("weeks", "", week, None, 0)
        else:
            self._detail = ("weeks", item.name, week, None, 0)
        self._refresh_detail()

    def _point_at(self, row: int) -> None:
        """Put the capacity chart's cursor on ``row``'s person, scrolled into view."""
        index = self.capacity_proxy.mapFromSource(self.capacity_model.index(row, 0))
        self.capacity_table.setCurrentIndex(index)
        self.capacity_table.scrollTo(index)

    def show_load_of(self, name: str, *, week: int | None = None,
                     measure: str | None = None) -> None:
        """List what makes up ``name``'s load (today's, or week ``week``'s; only the
        projects or clients behind ``measure`` when given)."""
        self._detail = ("capacity" if week is None else "weeks", name, week, measure, 0)
        self._refresh_detail()

    def shown_items(self) -> list[LoadItem]:
        """What the detail list shows, top to bottom."""
        return self.items_model.rows()

    def _refresh_detail(self) -> None:
        if self.data is None or self._detail is None:
            self._show_detail_hint()
            return
        view, name, week, measure, scenario = self._detail
        load = self.data.load
        title = ""
        if view == "what_if":
            if scenario < len(self.data.scenarios):
                title, load = self.data.scenarios[scenario]
            else:
                title, load = "Today", self.data.load
        if not name:  # the studio's row of the heat map
            self._show_studio_week(load, week)
            return
        try:
            person = load.person(name)
        except KeyError:  # renamed, deleted or made inactive meanwhile
            self._detail = None
            self._show_detail_hint()
            return
        self._show_person(person, week, measure, title)

    def _show_person(self, person: PersonLoad, week: int | None, measure: str | None,
                     scenario_title: str) -> None:
        if week is None:
            when = in_sentence(scenario_title) if scenario_title else "today"
            items = list(person.items_today())
            figures = person.today
        else:
            when = f"week of {_day_text(person.week_starts[week])}"
            items = list(person.items_in_week(week))
            figures = person.weeks[week]
        picked = _MEASURE_FILTERS.get(measure or "")
        if picked is not None:
            what, keep = picked
            items = [i for i in items if keep(i)]
            heading = f"{person.name}: {what}, {when}"
        else:
            heading = f"{person.name}, {when}"
        self.detail_heading.setText(heading)
        # The figures here; what they are over goes on the next line, in the warning colour.
        self.detail_figures.setText(describe_capacity(figures, with_overloads=False))
        self._show_over(figures.overloads)
        self.items_model.set_rows(items)

    def _show_studio_week(self, load: StudioLoad, week: int | None) -> None:
        if week is None:
            totals, when = load.today_total, "today"
        else:
            totals, when = load.week_totals[week], f"week of {_day_text(load.week_starts[week])}"
        self.detail_heading.setText(f"Studio, {when}")
        self.detail_figures.setText(
            f"{figure(totals.allocated_hours)} of {figure(totals.weekly_hours)} hours a week "
            f"allocated ({percent(totals.utilisation_percent)}); {totals.active_projects} "
            f"active and {totals.backburner_projects} back-burner projects, "
            f"{totals.clients} clients held. Choose a person's row to see their projects "
            "and clients.")
        self._show_over(())
        self.items_model.set_rows([])

    def _show_over(self, overloads: tuple[str, ...]) -> None:
        self.detail_over.setVisible(bool(overloads))
        if overloads:
            self.detail_over.setText("Over: " + "; ".join(overloads) + ".")
            self.detail_over.setStyleSheet(
                f"color: {warning_colour(self.palette()).name()}; font-weight: bold;")
        else:
            self.detail_over.setText("")

    def _show_detail_hint(self) -> None:
        self.detail_heading.setText("What makes up a load")
        self.detail_figures.setText("Click a person's bar, name or week (or move onto it "
                                    "with the arrow keys) to list the projects and clients "
                                    "behind the figure.")
        self._show_over(())
        self.items_model.set_rows([])


def _day_text(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


#: Which items make up each measure of a bar, and how the heading names them.
_MEASURE_FILTERS: dict[str, tuple[str, Callable[[LoadItem], bool]]] = {
    "active": ("active projects", lambda i: i.kind == "project" and i.status == "active"),
    "backburner": ("back-burner projects",
                   lambda i: i.kind == "project" and i.status == "back-burner"),
    "clients": ("clients as account manager", lambda i: i.kind == "client"),
    "hours": ("projects taking hours", lambda i: i.kind == "project" and i.weekly_hours > 0),
}
