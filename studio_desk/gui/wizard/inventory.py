"""Page 4, Clients and projects: every client with who knows them, and every active or
back-burner project with its lead type, scores editable in place.

The project table is the same panel as the Projects page (``gui.views.RecordPanel``),
so an edit here is one undo step of the main window, is checked against a colleague's
change, and shows at once on the Projects page too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from studio_desk.core.rows import ClientRow, ProjectRow, RelationshipRow, Row
from studio_desk.gui.desk import Desk
from studio_desk.gui.views import RecordPanel
from studio_desk.gui.wizard.draft import PlanDraft, PlanPage
from studio_desk.gui.wizard.parts import Column, PlanTable, RowsModel, plain_label
from studio_desk.store import plans, records

#: Projects the split covers: the ones someone must manage.
COVERED_STATUSES = ("active", "back-burner")
STRENGTH_WORDS = {1: "knows them", 2: "works with them often", 3: "trusted contact"}


@dataclass(frozen=True)
class ClientSummary:
    """A client as this page lists it."""

    id: int
    name: str
    industry: str
    account_manager: str
    active: int
    backburner: int
    known_by: str


def relationship_text(rows: list[RelationshipRow]) -> str:
    """``Ana Ruiz (trusted contact, since 2023); Ben Ode (knows them)``, strongest first."""
    parts = []
    for row in sorted(rows, key=lambda r: (-r.strength, r.person.casefold())):
        since = f", since {row.since.year}" if row.since else ""
        parts.append(f"{row.person} ({STRENGTH_WORDS.get(row.strength, 'knows them')}"
                     f"{since})")
    return "; ".join(parts)


def read_clients(session: Session) -> list[ClientSummary]:
    """Every client with its Account Manager now, its covered projects and relationships."""
    holders = plans.current_account_managers(session)
    active: dict[str, int] = {}
    backburner: dict[str, int] = {}
    for project in records.list_rows(session, "project"):
        assert isinstance(project, ProjectRow)
        if project.status == "active":
            active[project.client] = active.get(project.client, 0) + 1
        elif project.status == "back-burner":
            backburner[project.client] = backburner.get(project.client, 0) + 1
    known: dict[str, list[RelationshipRow]] = {}
    for relationship in records.list_rows(session, "relationship"):
        assert isinstance(relationship, RelationshipRow)
        known.setdefault(relationship.client, []).append(relationship)
    summaries = []
    for client in records.list_rows(session, "client"):
        assert isinstance(client, ClientRow)
        summaries.append(ClientSummary(
            client.id, client.name, client.industry or "", holders.get(client.id, ""),
            active.get(client.name, 0), backburner.get(client.name, 0),
            relationship_text(known.get(client.name, []))))
    summaries.sort(key=lambda c: c.name.casefold())
    return summaries


class CoveredProjects(RecordPanel):
    """Active and back-burner projects, with the columns the split turns on."""

    kind = "project"
    without_columns = ("code", "start", "due", "budget", "estimated_hours")
    sort_by = "client"

    def read_work(self) -> Callable[[Session], list[Row]] | None:
        return lambda s: [r for r in records.list_rows(s, "project")
                          if isinstance(r, ProjectRow) and r.status in COVERED_STATUSES]

    def shows(self, row: Row) -> bool:
        return isinstance(row, ProjectRow) and row.status in COVERED_STATUSES


class InventoryPage(PlanPage):
    """Clients with their relationships above, projects with their lead type below."""

    step = "inventory"
    heading = "Clients and projects"
    explanation = ("Check the clients and the projects to be shared out. A project's lead "
                   "type follows its complexity and communication scores unless set by "
                   "hand; edit any score in place (F2 or a double click).")

    def __init__(self, draft: PlanDraft, parent: QWidget | None = None) -> None:
        super().__init__(draft, parent)
        self.clients_model = RowsModel((
            Column("name", "Client", lambda c: c.name),
            Column("industry", "Industry", lambda c: c.industry),
            Column("account_manager", "Account Manager now", lambda c: c.account_manager),
            Column("active", "Active", lambda c: str(c.active), number=True,
                   header_tip="Active projects"),
            Column("backburner", "Back-burner", lambda c: str(c.backburner), number=True,
                   header_tip="Projects on the back burner"),
            Column("known_by", "Known by", lambda c: c.known_by,
                   tooltip=lambda c: c.known_by or "No one has a recorded relationship.",
                   header_tip="Existing relationships, strongest first"),
        ), self)
        self.clients_table = PlanTable(self.clients_model, "inventory_clients",
                                       "Clients and their relationships", self)
        self.clients_table.setSortingEnabled(False)
        self.projects = CoveredProjects(self)
        self.projects.table.setAccessibleName("Active and back-burner projects")
        self.projects.table.setObjectName("inventory_projects")
        self.projects.table.horizontalHeader().setStretchLastSection(True)
        self.count_label = plain_label("", self, name="inventory_counts")
        clients_box = QWidget(self)
        clients_layout = QVBoxLayout(clients_box)
        clients_layout.setContentsMargins(0, 0, 0, 0)
        clients_layout.addWidget(plain_label("Clients, and who already knows them:", self))
        clients_layout.addWidget(self.clients_table)
        projects_box = QWidget(self)
        projects_layout = QVBoxLayout(projects_box)
        projects_layout.setContentsMargins(0, 0, 0, 0)
        projects_layout.addWidget(plain_label(
            "Active and back-burner projects (edit scores and lead type in place):", self))
        # The panel keeps the table's model and edits; its table goes in this layout.
        projects_layout.addWidget(self.projects.table)
        self.projects.hide()
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("inventory_splitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(clients_box)
        splitter.addWidget(projects_box)
        splitter.setSizes([260, 340])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)
        self._bound: Desk | None = None
        self.projects.rows_loaded.connect(self._show_counts)

    def load(self) -> None:
        """Read the clients; show the projects of the workspace (kept up to date)."""
        desk = self.draft.desk
        if self._bound is not desk:
            self.projects.bind(desk)
            desk.row_saved.connect(self._record_changed)
            desk.stale.connect(self._record_changed)
            self._bound = desk
        else:
            self.projects.reload()
        self.read_clients()

    def read_clients(self) -> None:
        self.clients_model.set_rows(self.draft.desk.read_now(read_clients))
        self.clients_table.fit_columns(widest=260)
        self._show_counts()

    def _record_changed(self, kind: Any, *_args: object) -> None:
        # A status or a relationship changed: the client counts follow.
        if self.isVisible():
            self.read_clients()

    def _show_counts(self) -> None:
        clients = self.clients_model.rowCount()
        projects = self.projects.model.rowCount()
        lead_types: dict[str, int] = {}
        for row in self.projects.model.rows():
            assert isinstance(row, ProjectRow)
            lead_types[row.effective_lead_type] = lead_types.get(row.effective_lead_type,
                                                                 0) + 1
        mix = ", ".join(f"{n} {kind}" for kind, n in sorted(lead_types.items()))
        self.count_label.setText(f"{clients} clients; {projects} projects to share out"
                                 + (f" ({mix})." if mix else "."))

    def step_data(self) -> dict[str, Any]:
        return {"clients": self.clients_model.rowCount(),
                "projects": self.projects.model.rowCount()}
