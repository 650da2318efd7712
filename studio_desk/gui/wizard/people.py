"""Page 3, People: who leans Account Manager and who leans Production Manager.

The wizard proposes a leaning for everyone from their two affinities
(``core.leanings``); the user confirms or changes each one. A person may take both roles
(usual in a small team) or neither (left out of the split). The proposal on the Assign
page only offers each person the roles their confirmed leaning allows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from studio_desk.core import leanings as L
from studio_desk.core.rows import PersonRow, ProjectRow
from studio_desk.gui.wizard.draft import PlanDraft, PlanPage
from studio_desk.gui.wizard.parts import Column, PlanTable, RowsModel, plain_label, set_warning
from studio_desk.store import records


@dataclass(frozen=True)
class Leaning:
    """One person on this page: their proposed and their chosen leaning."""

    person: PersonRow
    proposed: L.LeaningGuess
    chosen: str

    @property
    def may_account_manage(self) -> bool:
        return self.chosen in (L.ACCOUNT_MANAGER, L.BOTH)

    @property
    def may_production_manage(self) -> bool:
        return self.chosen in (L.PRODUCTION_MANAGER, L.BOTH)


def _leaning_choices(_row: Leaning) -> list[tuple[str, str]]:
    return [(L.LEANING_LABELS[key], key) for key in L.LEANINGS]


class PeoplePage(PlanPage):
    """The team, each person's affinities, and the leaning to confirm."""

    step = "people"
    heading = "People"
    explanation = ("Who leans Account Manager (the client's advocate) and who leans "
                   "Production Manager (the team's advocate)? The proposal follows each "
                   "person's affinities; change any of them. One person may hold both.")

    def __init__(self, draft: PlanDraft, parent: QWidget | None = None) -> None:
        super().__init__(draft, parent)
        self.clients = 0
        self.active_projects = 0
        self.model = RowsModel((
            Column("name", "Name", lambda r: r.person.name),
            Column("title", "Title", lambda r: r.person.title or ""),
            Column("client_facing", "Client-facing", lambda r: str(r.person.client_facing),
                   number=True, header_tip="0-5: how much they enjoy calls and "
                                           "relationship work"),
            Column("head_down", "Head-down", lambda r: str(r.person.head_down), number=True,
                   header_tip="0-5: how much they enjoy the technical detail"),
            Column("max_clients", "Max clients", lambda r: str(r.person.max_clients),
                   number=True),
            Column("max_active", "Max active", lambda r: str(r.person.max_active_projects),
                   number=True, header_tip="Most active projects they can manage"),
            Column("hours", "Hours/week", lambda r: f"{r.person.weekly_hours:g}", number=True),
            Column("proposed", "Proposed", lambda r: L.LEANING_LABELS[r.proposed.leaning],
                   tooltip=lambda r: r.proposed.reason),
            Column("leaning", "Leaning", lambda r: L.LEANING_LABELS[r.chosen],
                   value=lambda r: r.chosen, choices=_leaning_choices,
                   change=self._choose, tooltip=lambda r: "Press F2 or double-click to "
                                                          "change",
                   header_tip="What this plan will use: F2 or a double click changes it"),
        ), self, bold=lambda r: r.chosen != r.proposed.leaning)
        self.table = PlanTable(self.model, "people_leanings", "People and their leanings",
                               self)
        self.why = plain_label("", self, name="leaning_reason")
        self.summary = plain_label("", self, name="leaning_summary")
        self.use_proposals = QPushButton("Use the &proposals", self)
        self.use_proposals.setObjectName("use_proposals")
        self.use_proposals.setToolTip("Set every leaning back to what the wizard proposes")
        self.use_proposals.setAutoDefault(False)
        self.use_proposals.clicked.connect(self.reset_to_proposals)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.use_proposals)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.why)
        layout.addLayout(bottom)
        self.model.dataChanged.connect(self._show_summary)
        self.model.modelReset.connect(self._show_summary)
        self.table.selectionModel().currentRowChanged.connect(self._show_reason)
        self.model.dataChanged.connect(self._show_reason)

    # Showing ----------------------------------------------------------------------------

    def load(self) -> None:
        """Everyone active, with the saved leaning or else the proposed one."""
        def read(session: Any) -> tuple[list[PersonRow], int, int]:
            people = [r for r in records.list_rows(session, "person")
                      if isinstance(r, PersonRow) and r.active]
            counts = records.count_rows(session)
            active = sum(1 for r in records.list_rows(session, "project")
                         if isinstance(r, ProjectRow) and r.status == "active")
            return people, counts.get("client", 0), active

        people, self.clients, self.active_projects = self.draft.desk.read_now(read)
        guesses = L.propose_leanings(people, self.clients, self.active_projects)
        saved = self.draft.plan.leanings if self.draft.plan is not None else {}
        rows = [Leaning(p, guesses[p.id], saved.get(p.id, guesses[p.id].leaning))
                for p in sorted(people, key=lambda p: p.name.casefold())]
        self.model.set_rows(rows)
        self.table.fit_columns(widest=240)
        if rows:
            self.table.setCurrentIndex(self.model.index(0, self.model.column_of("leaning")))

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
        self.why.setText(text)

    def _choose(self, row: Leaning, leaning: Any) -> bool:
        if leaning not in L.LEANINGS:
            return False
        position = self.model.rows().index(row)
        self.model.replace(position, replace(row, chosen=leaning))
        return True

    def choose(self, person: str, leaning: str) -> None:
        """Set ``person``'s leaning (as the chooser in the table does)."""
        for position, row in enumerate(self.model.rows()):
            if row.person.name == person:
                index = self.model.index(position, self.model.column_of("leaning"))
                self.model.setData(index, leaning)
                return
        raise KeyError(person)

    def reset_to_proposals(self) -> None:
        self.model.set_rows([replace(r, chosen=r.proposed.leaning) for r in self.model.rows()])

    def _show_summary(self, *_args: object) -> None:
        rows = self.model.rows()
        am = [r for r in rows if r.may_account_manage]
        pm = [r for r in rows if r.may_production_manage]
        client_room = sum(r.person.max_clients for r in am)
        project_room = sum(r.person.max_active_projects for r in pm)
        both = sum(1 for r in rows if r.chosen == L.BOTH)
        text = (f"Account Manager side: {len(am)} "
                f"{'person' if len(am) == 1 else 'people'}, room for {client_room} clients "
                f"(the studio has {self.clients}). Production Manager side: {len(pm)} "
                f"{'person' if len(pm) == 1 else 'people'}, room for {project_room} active "
                f"projects (the studio has {self.active_projects}).")
        if both:
            text += f" {both} in both roles."
        short = client_room < self.clients or project_room < self.active_projects
        if short:
            text += " One side is short of room: the Assign page will show what cannot be placed."
        self.summary.setText(text)
        set_warning(self.summary, short)

    # Leaving ----------------------------------------------------------------------------

    def step_data(self) -> dict[str, Any]:
        return {"leanings": {str(r.person.id): r.chosen for r in self.model.rows()}}

    def problem(self) -> str | None:
        rows = self.model.rows()
        if self.clients and not any(r.may_account_manage for r in rows):
            return ("No one may hold clients: choose Account Manager or Both roles for "
                    "someone.")
        if self.active_projects and not any(r.may_production_manage for r in rows):
            return ("No one may manage projects: choose Production Manager or Both roles "
                    "for someone.")
        return None
