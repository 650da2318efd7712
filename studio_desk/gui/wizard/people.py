"""Page 3, People: who leans Account Manager and who leans Production Manager, and how
much each can carry in the role they take.

The wizard proposes a leaning for everyone from their two affinities
(``core.leanings.propose_leanings``, the same first guesses ``studio-desk plan propose``
uses); the user confirms or changes each one. A person may take both roles (usual in a
small team) or neither (left out of the split). The proposal on the Assign page only
offers each person the roles their confirmed leaning allows.

Role limits: a person's everyday limits describe the combined job. Beside each leaning
the page shows the limits for the role taken (clients for an Account Manager, active
and back-burner projects for a Production Manager) and the figure the wizard suggests
for that role (``core.leanings.suggest_role_limits``). Until a row's limits are accepted
(the button, or typing a figure) the everyday limits are in force, as in the proposal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from studio_desk.core import leanings as L
from studio_desk.core.rows import PersonRow, ProjectRow
from studio_desk.gui.messages import show_problem
from studio_desk.gui.wizard.draft import PlanDraft, PlanPage
from studio_desk.gui.wizard.parts import (
    Column,
    PlanTable,
    RowsModel,
    plain_label,
    plural,
    set_warning,
)
from studio_desk.store import records

#: The most a role limit may be (as the command line and ``plans.confirm_people``).
MOST = L.MAX_ROLE_LIMIT
#: Shown in a role-limit cell the person's leaning does not allow.
NOT_IN_ROLE = "—"
#: Each role limit: its column header, and how one and many of it read in a sentence.
LIMIT_WORDS = {"max_clients": ("Clients", "client", "clients"),
               "max_active_projects": ("Active", "active project", "active projects"),
               "max_backburner_projects": ("Back-burner", "back-burner project",
                                           "back-burner projects")}


#: Pixels between a column's widest text and the next column.
_AIR = 14
#: Pixels a table cell keeps on each side of its text.
_CELL_MARGIN = 6


class LeaningsModel(RowsModel):
    """The people's rows; a leaning that differs from the proposal is shown in bold in
    its own cell only, so the other columns need no room for bold text."""

    bold_column = -1

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """As :class:`RowsModel`, bold only in :attr:`bold_column`."""
        if role == Qt.ItemDataRole.FontRole and index.isValid() \
                and index.column() != self.bold_column:
            return None
        return super().data(index, role)


def _same(a: L.RoleLimits, b: L.RoleLimits) -> bool:
    return a.as_dict() == b.as_dict()


@dataclass(frozen=True)
class Leaning:
    """One person on this page: their proposed and chosen leaning, and the limits
    accepted for that role (None: nothing accepted, the everyday limits are in force)."""

    person: PersonRow
    proposed: L.LeaningGuess
    chosen: str
    limits: L.RoleLimits | None = None

    @property
    def may_account_manage(self) -> bool:
        return self.chosen in (L.ACCOUNT_MANAGER, L.BOTH)

    @property
    def may_production_manage(self) -> bool:
        return self.chosen in (L.PRODUCTION_MANAGER, L.BOTH)

    @property
    def everyday(self) -> L.RoleLimits:
        return L.everyday_limits(self.person)

    @property
    def suggested(self) -> L.RoleLimits:
        """What the wizard suggests for the role chosen."""
        return L.suggest_role_limits(self.person, self.chosen)

    @property
    def in_force(self) -> L.RoleLimits:
        """The limits the proposal uses: those accepted, else the everyday ones."""
        return self.limits if self.limits is not None else self.everyday

    def takes(self, key: str) -> bool:
        """Whether the role chosen carries the limit ``key`` at all."""
        if key == "max_clients":
            return self.may_account_manage
        return self.may_production_manage

    @property
    def short_of_suggestion(self) -> bool:
        """A limit of the role in force is below what is suggested for it."""
        return any(getattr(self.in_force, key) < getattr(self.suggested, key)
                   for key in L.LIMIT_KEYS if self.takes(key))

    def with_leaning(self, leaning: str) -> Leaning:
        """This row with ``leaning`` chosen: limits that were the old suggestion follow
        the new one; limits of the user's own stay."""
        limits = self.limits
        if limits is not None and _same(limits, self.suggested):
            limits = L.suggest_role_limits(self.person, leaning)
        return replace(self, chosen=leaning, limits=limits)


def _leaning_choices(_row: Leaning) -> list[tuple[str, str]]:
    return [(L.LEANING_LABELS[key], key) for key in L.LEANINGS]


def limit_text(row: Leaning, key: str) -> str:
    """``6 (suggested 12)``: the limit in force, and the suggestion when it differs;
    a dash where the role chosen does not carry this limit."""
    if not row.takes(key):
        return NOT_IN_ROLE
    value, suggested = getattr(row.in_force, key), getattr(row.suggested, key)
    return f"{value:,}" if value == suggested else f"{value:,} (suggested {suggested:,})"


def limit_tip(row: Leaning, key: str) -> str:
    """Where a role-limit figure comes from: everyday, suggested and why, in force."""
    _header, one, many = LIMIT_WORDS[key]
    leaning = L.LEANING_LABELS[row.chosen]
    if not row.takes(key):
        return f"{row.person.name} takes no {many} as {leaning}."
    everyday, suggested = getattr(row.everyday, key), getattr(row.suggested, key)
    value = getattr(row.in_force, key)
    text = (f"Everyday limit: {plural(everyday, one, many)}.\n"
            f"Suggested as {leaning}: {plural(suggested, one, many)} — "
            f"{row.suggested.reason}.\n")
    if row.limits is None:
        text += f"In force: the everyday {plural(value, one, many)}, until you accept"
        text += " the suggestion or type a figure." if suggested != value else " a figure."
    elif value == suggested:
        text += f"In force: the suggested {plural(value, one, many)}, accepted."
    else:
        text += f"In force: {plural(value, one, many)}, set for this plan."
    return text + "\nF2 or a double click changes it."


def _room_text(room: dict[str, int]) -> str:
    """``24 clients``, ``13 active and 32 back-burner projects``."""
    parts = []
    if "max_clients" in room:
        parts.append(plural(room["max_clients"], "client"))
    projects = [f"{room[key]} {word}" for key, word in (
        ("max_active_projects", "active"), ("max_backburner_projects", "back-burner"))
        if key in room]
    if projects:
        count = sum(room[key] for key in room if key != "max_clients")
        parts.append(" and ".join(projects) + (" project" if count == 1 else " projects"))
    return " and ".join(parts)


class PeoplePage(PlanPage):
    """The team, each person's affinities, the leaning to confirm and its limits."""

    step = "people"
    heading = "People"
    explanation = ("Who leans Account Manager (the client's advocate) and who leans "
                   "Production Manager (the team's advocate)? The proposal follows each "
                   "person's affinities; change any of them. One person may hold both. "
                   "Someone who keeps only one side can carry more of it: accept the "
                   "suggested limits, or type your own.")

    def __init__(self, draft: PlanDraft, parent: QWidget | None = None) -> None:
        super().__init__(draft, parent)
        self.clients = 0
        self.active_projects = 0
        self.backburner_projects = 0
        limit_columns = tuple(self._limit_column(key) for key in LIMIT_WORDS)
        self.model = LeaningsModel((
            Column("name", "Name", lambda r: r.person.name,
                   tooltip=lambda r: r.person.title or None),
            Column("client_facing", "Client-facing", lambda r: str(r.person.client_facing),
                   number=True, header_tip="0-5: how much they enjoy calls and "
                                           "relationship work"),
            Column("head_down", "Head-down", lambda r: str(r.person.head_down), number=True,
                   header_tip="0-5: how much they enjoy the technical detail"),
            Column("proposed", "Proposed", lambda r: L.LEANING_LABELS[r.proposed.leaning],
                   tooltip=lambda r: r.proposed.reason),
            Column("leaning", "Leaning", lambda r: L.LEANING_LABELS[r.chosen],
                   value=lambda r: r.chosen, choices=_leaning_choices,
                   change=self._choose, tooltip=lambda r: "Press F2 or double-click to "
                                                          "change",
                   header_tip="What this plan will use: F2 or a double click changes it"),
            *limit_columns,
        ), self, bold=lambda r: r.chosen != r.proposed.leaning)
        self.model.bold_column = self.model.column_of("leaning")
        self.table = PlanTable(self.model, "people_leanings", "People and their leanings",
                               self)
        self.why = plain_label("", self, name="leaning_reason")
        self.summary = plain_label("", self, name="leaning_summary")
        self.use_proposals = QPushButton("Use the &proposals", self)
        self.use_proposals.setObjectName("use_proposals")
        self.use_proposals.setToolTip("Set every leaning back to what the wizard proposes")
        self.use_proposals.setAutoDefault(False)
        self.use_proposals.clicked.connect(self.reset_to_proposals)
        self.accept_limits = QPushButton("Accept suggested &limits", self)
        self.accept_limits.setObjectName("accept_suggested_limits")
        self.accept_limits.setToolTip("Give everyone the suggested limits for the role "
                                      "they take")
        self.accept_limits.setAutoDefault(False)
        self.accept_limits.clicked.connect(self.accept_suggested_limits)
        buttons = QVBoxLayout()
        buttons.addWidget(self.accept_limits)
        buttons.addWidget(self.use_proposals)
        buttons.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.why)
        layout.addLayout(bottom)
        self.model.dataChanged.connect(self._show_summary)
        self.model.modelReset.connect(self._show_summary)
        self.table.selectionModel().currentRowChanged.connect(self._show_reason)
        self.model.dataChanged.connect(self._show_reason)

    def _limit_column(self, key: str) -> Column:
        """The editable column of one role limit (a ``LIMIT_KEYS`` key)."""
        header, _one, many = LIMIT_WORDS[key]

        def text(row: Leaning) -> str:
            return limit_text(row, key)

        def value(row: Leaning) -> str:
            return str(getattr(row.in_force, key)) if row.takes(key) else NOT_IN_ROLE

        def change(row: Leaning, typed: Any) -> bool:
            return self._set_limit(row, key, typed)

        def tooltip(row: Leaning) -> str:
            return limit_tip(row, key)

        return Column(key, header, text, value=value, change=change, tooltip=tooltip,
                      number=True,
                      header_tip=f"Most {many} in the role taken in this plan, and the "
                                 "suggested figure when it differs: F2 or a double click "
                                 "changes it")

    # Showing ----------------------------------------------------------------------------

    def load(self) -> None:
        """Everyone active, with the saved leaning and limits or else the proposed
        leaning and the everyday limits."""
        def read(session: Any) -> tuple[list[PersonRow], int, int, int]:
            people = [r for r in records.list_rows(session, "person")
                      if isinstance(r, PersonRow) and r.active]
            counts = records.count_rows(session)
            statuses = [r.status for r in records.list_rows(session, "project")
                        if isinstance(r, ProjectRow)]
            return (people, counts.get("client", 0), statuses.count("active"),
                    statuses.count("back-burner"))

        people, self.clients, self.active_projects, self.backburner_projects = \
            self.draft.desk.read_now(read)
        guesses = L.propose_leanings(people, self.clients, self.active_projects)
        plan = self.draft.plan
        saved = plan.leanings if plan is not None else {}
        accepted = plan.role_limits if plan is not None else {}
        rows = []
        for person in sorted(people, key=lambda p: p.name.casefold()):
            row = Leaning(person, guesses[person.id],
                          saved.get(person.id, guesses[person.id].leaning))
            if person.id in accepted:
                limits = L.RoleLimits(**accepted[person.id], reason="set for this plan")
                row = replace(row, limits=row.suggested if _same(limits, row.suggested)
                              else limits)
            rows.append(row)
        self.model.set_rows(rows)
        self._fit_columns()
        if rows:
            self.table.setCurrentIndex(self.model.index(0, self.model.column_of("leaning")))

    def _fit_columns(self) -> None:
        """Every column as wide as its contents and a little air, so the whole table
        fits the wizard; the Leaning column has room for any leaning in bold (a choice
        that differs from the proposal)."""
        table, header = self.table, self.table.horizontalHeader()
        table.resizeColumnsToContents()
        bold = QFont(table.font())
        bold.setBold(True)
        leaning = self.model.column_of("leaning")
        widest_leaning = max(QFontMetrics(bold).horizontalAdvance(L.LEANING_LABELS[key])
                             for key in L.LEANINGS if key != L.NEITHER)
        for section in range(header.count() - 1):
            width = header.sectionSize(section)
            if section == leaning:
                width = max(width, widest_leaning + 2 * _CELL_MARGIN)
            header.resizeSection(section, min(width + _AIR, 240))

    def _show_reason(self, *_args: object) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.why.setText("")
            return
        row = self.model.row_at(index.row())
        text = (f"Why {row.person.name} is proposed as "
                f"{L.LEANING_LABELS[row.proposed.leaning]}: {row.proposed.reason}.")
        if row.chosen != row.proposed.leaning:
            text += f" This plan uses {L.LEANING_LABELS[row.chosen]} instead."
        if row.chosen != L.NEITHER and row.short_of_suggestion:
            text += f" Suggested limits: {row.suggested.reason}."
        self.why.setText(text)

    # Changing ---------------------------------------------------------------------------

    def _position(self, row: Leaning) -> int:
        return next(i for i, r in enumerate(self.model.rows())
                    if r.person.id == row.person.id)

    def _choose(self, row: Leaning, leaning: Any) -> bool:
        if leaning not in L.LEANINGS:
            return False
        self.model.replace(self._position(row), row.with_leaning(leaning))
        return True

    def _set_limit(self, row: Leaning, key: str, typed: Any) -> bool:
        """Take a figure typed into a role-limit cell: a whole number from 0 to 10,000
        (anything else is refused in a sentence and nothing changes)."""
        header, _one, many = LIMIT_WORDS[key]
        if not row.takes(key):
            show_problem(self, f"{row.person.name} takes no {many} as "
                               f"{L.LEANING_LABELS[row.chosen]}: change the leaning first.")
            return False
        text = str(typed).strip().replace(",", "").replace(" ", "")
        try:
            value = int(text)
        except ValueError:
            show_problem(self, f"“{str(typed).strip()}” is not a whole number: type "
                               f"{row.person.name}'s limit of {many}, from 0 to "
                               f"{MOST:,}.")
            return False
        if not 0 <= value <= MOST:
            show_problem(self, f"{row.person.name}'s limit of {many} must be from 0 to "
                               f"{MOST:,}; {value:,} is out of range.")
            return False
        limits = replace(row.in_force, **{key: value}, reason="set for this plan")
        if _same(limits, row.suggested):
            limits = row.suggested
        self.model.replace(self._position(row), replace(row, limits=limits))
        return True

    def choose(self, person: str, leaning: str) -> None:
        """Set ``person``'s leaning (as the chooser in the table does)."""
        self._set_cell(person, "leaning", leaning)

    def set_limit(self, person: str, key: str, value: Any) -> bool:
        """Type ``value`` into ``person``'s role-limit cell ``key`` (a LIMIT_KEYS key)."""
        return self._set_cell(person, key, value)

    def _set_cell(self, person: str, key: str, value: Any) -> bool:
        for position, row in enumerate(self.model.rows()):
            if row.person.name == person:
                index = self.model.index(position, self.model.column_of(key))
                return self.model.setData(index, value)
        raise KeyError(person)

    def reset_to_proposals(self) -> None:
        """Every leaning back to the wizard's proposal (accepted suggestions follow)."""
        self.model.set_rows([r.with_leaning(r.proposed.leaning) for r in self.model.rows()])

    def accept_suggested_limits(self) -> None:
        """Everyone takes the suggested limits for the role they take."""
        self.model.set_rows([replace(r, limits=r.suggested) for r in self.model.rows()])

    # The summary ------------------------------------------------------------------------

    def _room(self, rows: list[Leaning], key: str, suggested: bool = False) -> int:
        return sum(getattr(r.suggested if suggested else r.in_force, key)
                   for r in rows if r.takes(key))

    def _show_summary(self, *_args: object) -> None:
        rows = self.model.rows()
        am = [r for r in rows if r.may_account_manage]
        pm = [r for r in rows if r.may_production_manage]
        need = {"max_clients": self.clients, "max_active_projects": self.active_projects,
                "max_backburner_projects": self.backburner_projects}
        room = {key: self._room(rows, key) for key in L.LIMIT_KEYS}
        text = (f"Account Manager side: {plural(len(am), 'person', 'people')}, room for "
                f"{plural(room['max_clients'], 'client')} (the studio has {self.clients}). "
                f"Production Manager side: {plural(len(pm), 'person', 'people')}, room for "
                f"{room['max_active_projects']} active and "
                f"{room['max_backburner_projects']} back-burner projects (the studio has "
                f"{self.active_projects} and {self.backburner_projects}).")
        both = sum(1 for r in rows if r.chosen == L.BOTH)
        if both:
            text += f" {both} in both roles."
        short = [key for key in L.LIMIT_KEYS if room[key] < need[key]]
        if short:
            sides = (["Account Manager"] if "max_clients" in short else []) + (
                ["Production Manager"] if set(short) - {"max_clients"} else [])
            which = " and ".join(sides) + (" sides are" if len(sides) > 1 else " side is")
            offered = {key: self._room(rows, key, suggested=True) for key in short}
            if all(offered[key] >= need[key] for key in short):
                text += (f" The {which} short of room with the limits in force; the "
                         f"suggested limits would close the gap (room for "
                         f"{_room_text(offered)}): press Accept suggested limits.")
            else:
                text += (f" The {which} short of room: the Assign page will show what "
                         "cannot be placed.")
        self.summary.setText(text)
        set_warning(self.summary, bool(short))

    # Leaving ----------------------------------------------------------------------------

    def step_data(self) -> dict[str, Any]:
        rows = self.model.rows()
        return {"leanings": {str(r.person.id): r.chosen for r in rows},
                "role_limits": {str(r.person.id): r.limits.as_dict()
                                for r in rows if r.limits is not None}}

    def problem(self) -> str | None:
        rows = self.model.rows()
        if self.clients and not any(r.may_account_manage for r in rows):
            return ("No one may hold clients: choose Account Manager or Both roles for "
                    "someone.")
        if self.active_projects and not any(r.may_production_manage for r in rows):
            return ("No one may manage projects: choose Production Manager or Both roles "
                    "for someone.")
        return None
