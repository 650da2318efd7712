"""Plain, frozen records handed from the workspace to the window and the command line.

The window never holds live database objects: it holds these rows, and each row carries
the ``version`` it was read at, so saving it later can tell whether a colleague changed
it in between.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from studio_desk.core.rules import derive_lead_type


@dataclass(frozen=True)
class Row:
    id: int
    version: int

    def values(self) -> dict[str, Any]:
        """The row's field values keyed by field key (see ``core.fields``)."""
        data = asdict(self)
        data.pop("id")
        data.pop("version")
        return data


@dataclass(frozen=True)
class PersonRow(Row):
    name: str
    email: str | None = None
    title: str | None = None
    weekly_hours: float = 40.0
    max_active_projects: int = 6
    max_backburner_projects: int = 15
    max_clients: int = 12
    client_facing: int = 3
    head_down: int = 3
    active: bool = True


@dataclass(frozen=True)
class ClientRow(Row):
    name: str
    industry: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class ProjectRow(Row):
    client: str
    name: str
    code: str | None = None
    status: str = "active"
    start: dt.date | None = None
    due: dt.date | None = None
    budget: float | None = None
    estimated_hours: float | None = None
    technical_complexity: int = 3
    communication_load: int = 3
    lead_type: str | None = None  # the user's override; None = derived
    manager: str | None = None

    @property
    def effective_lead_type(self) -> str:
        return self.lead_type or derive_lead_type(self.technical_complexity,
                                                  self.communication_load)


@dataclass(frozen=True)
class RelationshipRow(Row):
    person: str
    client: str
    strength: int = 2
    since: dt.date | None = None


@dataclass(frozen=True)
class AssignmentRow(Row):
    role: str  # role key: "account_manager", "production_manager", ...
    person: str
    client: str | None
    project: str | None
    start: dt.date
    end: dt.date | None = None


ROW_TYPES: dict[str, type[Row]] = {
    "person": PersonRow,
    "client": ClientRow,
    "project": ProjectRow,
    "relationship": RelationshipRow,
}
