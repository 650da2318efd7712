"""Six months on (the Plans page's Review…): an applied plan beside the studio as it
stands, so the owner can "ask again in six months" with the facts in front of them.

Per client and project, the person the plan set and the person holding the role on the
day reviewed (the roles that changed hands highlighted, or shown alone); per person, the
clients and projects the plan gave them beside those they hold. The review date itself is
chosen here too. Like the comparison, the dialog reads through functions it is given, so
it holds no session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from studio_desk.core import schedule
from studio_desk.core.errors import StudioDeskError
from studio_desk.gui.messages import show_problem
from studio_desk.gui.plan_compare import (
    Column,
    _ColumnModel,
    difference_colour,
    read_only_table,
)
from studio_desk.gui.responsibilities import make_label
from studio_desk.store.plans import PlanReview, ReviewedPerson, ReviewedRole

_NO_ONE = "—"


class _DiffersTinted(_ColumnModel):
    """A table whose rows that differ from the plan (``row.differs``) are tinted."""

    def __init__(self, columns: tuple[Column, ...], parent: QWidget | None = None) -> None:
        super().__init__(columns, parent)
        self._tint = QBrush()

    def set_palette(self, palette: QPalette) -> None:
        self._tint = QBrush(difference_colour(palette))

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            row: ReviewedRole | ReviewedPerson = self.rows()[index.row()]
            return self._tint if row.differs else None
        return super().data(index, role)


class ReviewedRolesModel(_DiffersTinted):
    """Each role of the plan: who the plan set, who holds it now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__((
            Column("client", "Client", lambda r: r.client),
            Column("project", "Project", lambda r: r.project or ""),
            Column("role", "Role", lambda r: r.role_name),
            Column("planned", "In the plan", lambda r: r.planned or _NO_ONE),
            Column("now", "Now", lambda r: r.now or _NO_ONE),
        ), parent)


class ReviewedPeopleModel(_DiffersTinted):
    """Each person: what the plan gave them and what they hold now."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__((
            Column("person", "Person", lambda p: p.person),
            Column("planned", "In the plan", lambda p: p.planned.text()),
            Column("now", "Now", lambda p: p.now.text()),
        ), parent)


class ChangedOnly(QSortFilterProxyModel):
    """Hides the rows that still stand as the plan set them, when asked to."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.changed_only = False

    def set_changed_only(self, only: bool) -> None:
        self.beginFilterChange()
        self.changed_only = only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self.changed_only:
            return True
        model = self.sourceModel()
        assert isinstance(model, _ColumnModel)
        return bool(model.rows()[source_row].differs)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class PlanReviewDialog(QDialog):
    """An applied plan beside the studio on a chosen day, and its review date."""

    def __init__(self, name: str, read: Callable[[dt.date], PlanReview],
                 set_review_date: Callable[[dt.date | None], None],
                 parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("plan_review_dialog")
        self.setWindowTitle(f"Review “{name}”")
        self.setAccessibleName(f"Review of {name}")
        self._read, self._set_review_date = read, set_review_date
        self.review: PlanReview | None = None
        today = today or dt.date.today()

        self.as_of = QDateEdit(_qdate(today), self)
        self.as_of.setObjectName("review_as_of")
        self.as_of.setAccessibleName("Compare with the studio on")
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.due_label = make_label(self, "review_due", "When the review is due", wrap=True)
        self.review_on = QDateEdit(_qdate(today), self)
        self.review_on.setObjectName("review_on")
        self.review_on.setAccessibleName("Review date")
        self.review_on.setCalendarPopup(True)
        self.review_on.setDisplayFormat("yyyy-MM-dd")
        self.set_button = QPushButton("&Set review date", self)
        self.set_button.setObjectName("set_review_date")
        self.set_button.setAutoDefault(False)
        self.set_button.setToolTip("Remind on the dashboard on this day instead")
        self.summary = make_label(self, "review_summary", "Summary", wrap=True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.changed_only = QCheckBox("Only what &changed", self)
        self.changed_only.setObjectName("review_changed_only")
        self.changed_only.setToolTip("Show only the roles and people that differ from "
                                     "the plan")

        self.roles = ReviewedRolesModel(self)
        self.roles.set_palette(self.palette())
        self.roles_view = ChangedOnly(self)
        self.roles_view.setSourceModel(self.roles)
        self.roles_table = self._table("review_roles_table", "Roles: the plan and now",
                                       self.roles_view,
                                       ("Borealis Savings Bank & Co",
                                        "Brightwater newsletter template",
                                        "Production Manager", "Ana Ruiz-Fischer"))
        self.people = ReviewedPeopleModel(self)
        self.people.set_palette(self.palette())
        self.people_view = ChangedOnly(self)
        self.people_view.setSourceModel(self.people)
        self.people_table = self._table("review_people_table",
                                        "Each person: the plan and now", self.people_view,
                                        ("Ana Ruiz-Fischer",
                                         "12 clients, 10 active, 20 back-burner"))

        when = QHBoxLayout()
        as_of_label = QLabel("Compare with the studio &on:", self)
        as_of_label.setBuddy(self.as_of)
        when.addWidget(as_of_label)
        when.addWidget(self.as_of)
        when.addSpacing(24)
        review_label = QLabel("&Review date:", self)
        review_label.setBuddy(self.review_on)
        when.addWidget(review_label)
        when.addWidget(self.review_on)
        when.addWidget(self.set_button)
        when.addStretch(1)
        above = QHBoxLayout()
        above.addWidget(self.summary, 1)
        above.addWidget(self.changed_only)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("review_splitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.roles_table)
        people_box = QWidget(splitter)
        people_layout = QVBoxLayout(people_box)
        people_layout.setContentsMargins(0, 0, 0, 0)
        people_caption = QLabel("Each person: what the plan gave them, and what they hold:",
                                people_box)
        people_caption.setTextFormat(Qt.TextFormat.PlainText)
        people_layout.addWidget(people_caption)
        people_layout.addWidget(self.people_table, 1)
        splitter.addWidget(people_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(when)
        layout.addWidget(self.due_label)
        layout.addLayout(above)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(1000, 680)

        self.as_of.dateChanged.connect(self.refresh)
        self.set_button.clicked.connect(self.choose_review_date)
        self.changed_only.toggled.connect(self.roles_view.set_changed_only)
        self.changed_only.toggled.connect(self.people_view.set_changed_only)
        self.refresh()
        effective = self.review.plan.effective_date if self.review is not None else None
        if effective is not None and effective > today:
            # Before the plan takes effect everyone differs from it; read it on its day.
            self.as_of.setDate(_qdate(effective))
        if self.review is not None and self.review.review_date is not None:
            self.review_on.setDate(_qdate(self.review.review_date))
        self.roles_table.setFocus()

    def _table(self, name: str, accessible: str, model: QSortFilterProxyModel,
               samples: tuple[str, ...]) -> QTableView:
        return read_only_table(self, name, accessible, model, samples)

    def refresh(self, *_args: object) -> None:
        """Read the review again for the day chosen."""
        try:
            review = self._read(_date(self.as_of.date()))
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        self.review = review
        self.roles.set_rows(review.rows)
        self.people.set_rows(review.people)
        text = review.summary + "."
        if not review.changed:
            text += " Every role is held as the plan set it."
        self.summary.setText(text)
        self._show_due()

    def _show_due(self) -> None:
        review = self.review
        if review is None:
            return
        effective = review.plan.effective_date
        parts = []
        if effective is not None:
            verb = "took" if effective <= dt.date.today() else "takes"
            parts.append(f"The plan {verb} effect on {schedule.long_date(effective)}")
        if review.review_date is not None:
            parts.append(f"its review is due on {schedule.long_date(review.review_date)}")
        self.due_label.setText("; ".join(parts) + "." if parts else "")

    def choose_review_date(self) -> None:
        """Save the review date shown (the dashboard reminds on that day)."""
        try:
            self._set_review_date(_date(self.review_on.date()))
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        self.refresh()

    @classmethod
    def ask(cls, parent: QWidget | None, name: str, read: Callable[[dt.date], PlanReview],
            set_review_date: Callable[[dt.date | None], None]) -> None:
        """Show the review until closed."""
        dialog = cls(name, read, set_review_date, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
