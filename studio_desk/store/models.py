"""The workspace's tables, as SQLAlchemy 2 typed models.

Every table people edit has a ``version`` column used as SQLAlchemy's ``version_id_col``:
an UPDATE or DELETE names the version it read, so a row a colleague changed meanwhile is
caught (``StaleDataError``) instead of silently overwritten. Names are unique per kind
after Unicode normalisation and case-folding, kept in a ``name_key`` column; a project's
name only within its client (two clients may each have a "Website rebuild").
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints keep Alembic's batch migrations on SQLite deterministic.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """Mixin: the optimistic-locking version every edited table carries."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class Person(Versioned, Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    weekly_hours: Mapped[float] = mapped_column(Float, default=40.0)
    max_active_projects: Mapped[int] = mapped_column(Integer, default=6)
    max_backburner_projects: Mapped[int] = mapped_column(Integer, default=15)
    max_clients: Mapped[int] = mapped_column(Integer, default=12)
    client_facing: Mapped[int] = mapped_column(Integer, default=3)
    head_down: Mapped[int] = mapped_column(Integer, default=3)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (
        CheckConstraint("weekly_hours >= 0", name="weekly_hours"),
        CheckConstraint("client_facing BETWEEN 0 AND 5", name="client_facing"),
        CheckConstraint("head_down BETWEEN 0 AND 5", name="head_down"),
    )


class Client(Versioned, Base):
    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    industry: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    projects: Mapped[list[Project]] = relationship(back_populates="client",
                                                   passive_deletes=True)

    __mapper_args__ = {"version_id_col": Versioned.version}


class Project(Versioned, Base):
    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"),
                                           index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Unique per client (uq_project_client_name), not across the studio (revision 0004).
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    code: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="active")
    start: Mapped[dt.date | None] = mapped_column(Date)
    due: Mapped[dt.date | None] = mapped_column(Date)
    budget: Mapped[float | None] = mapped_column(Float)
    estimated_hours: Mapped[float | None] = mapped_column(Float)
    technical_complexity: Mapped[int] = mapped_column(Integer, default=3)
    communication_load: Mapped[int] = mapped_column(Integer, default=3)
    lead_type: Mapped[str | None] = mapped_column(String(20))
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True)

    client: Mapped[Client] = relationship(back_populates="projects")
    manager: Mapped[Person | None] = relationship()

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (
        CheckConstraint(
            "status IN ('pitch','active','back-burner','on-hold','done','cancelled')",
            name="status"),
        CheckConstraint("technical_complexity BETWEEN 1 AND 5", name="technical_complexity"),
        CheckConstraint("communication_load BETWEEN 1 AND 5", name="communication_load"),
        CheckConstraint("due IS NULL OR start IS NULL OR due >= start", name="dates"),
        UniqueConstraint("client_id", "name_key", name="uq_project_client_name"),
        Index("ix_project_status", "status"),
    )


class Relationship(Versioned, Base):
    """A person who already knows a client (strength 1-3), and since when."""

    __tablename__ = "relationship"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"),
                                           index=True)
    strength: Mapped[int] = mapped_column(Integer, default=2)
    since: Mapped[dt.date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship()
    client: Mapped[Client] = relationship()

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (
        UniqueConstraint("person_id", "client_id", name="uq_relationship_person_client"),
        CheckConstraint("strength BETWEEN 1 AND 3", name="strength"),
    )


class Role(Versioned, Base):
    """Account Manager, Production Manager, and the roles of the team templates."""

    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)

    __mapper_args__ = {"version_id_col": Versioned.version}


class Responsibility(Versioned, Base):
    """One kind of recurring work, sorted into client- or project-focused."""

    __tablename__ = "responsibility"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(String(20), default="shared")
    position: Mapped[int] = mapped_column(Integer, default=0)

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (
        CheckConstraint("category IN ('client','project','shared')", name="category"),
    )


class Assignment(Versioned, Base):
    """Who holds a role for a client or a project, from a date; ``end`` closes it.

    History is kept by closing the old assignment (setting ``end``) and opening a new one,
    never by changing ``person_id`` in place.
    """

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"),
                                           index=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("client.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True)
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)

    role: Mapped[Role] = relationship()
    person: Mapped[Person] = relationship()
    client: Mapped[Client | None] = relationship()
    project: Mapped[Project | None] = relationship()

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (
        CheckConstraint("(client_id IS NULL) <> (project_id IS NULL)", name="target"),
        CheckConstraint("end IS NULL OR end >= start", name="dates"),
    )


class AuditEntry(Base):
    """Who changed what, when: one row per field changed (or per record added/deleted)."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    who: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(10))  # add, change, delete
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(60))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_audit_entity", "entity", "entity_id"),)


#: The models whose rows people edit, by the kind keys of ``core.fields``.
MODELS_BY_KIND: dict[str, type[Base]] = {
    "person": Person,
    "client": Client,
    "project": Project,
    "relationship": Relationship,
}


# --------------------------------------------------------------------------- schema 2:
# team templates and transition plans (revision 0002).

PLAN_STATUSES = ("draft", "applied", "done")
CONVERSATION_STATUSES = ("planned", "informed", "settled")
CHANNELS = ("meeting", "call", "email")


class TeamTemplate(Versioned, Base):
    """A team structure as a RACI matrix: roles (columns), activities (rows), cells.

    ``cells`` is a list of rows aligned with ``activities``, each a list of strings
    aligned with ``roles`` (``"RA"``, ``"C"``, ``""`` …). Built-ins carry a ``key``, come
    with the app and are read-only; a studio copies one and edits the copy.
    """

    __tablename__ = "team_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)
    roles: Mapped[list[str]] = mapped_column(JSON)
    role_keys: Mapped[list[str]] = mapped_column(JSON)
    activities: Mapped[list[str]] = mapped_column(JSON)
    cells: Mapped[list[list[str]]] = mapped_column(JSON)

    __mapper_args__ = {"version_id_col": Versioned.version}


class Plan(Versioned, Base):
    """A transition plan: a scenario the wizard fills step by step, then a checklist.

    ``state`` holds each wizard step's saved data keyed by step (see ``store.plans``), so
    the wizard resumes where anyone left it; ``proposal`` the summary of the last
    proposal (score, shortfall).
    """

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    template_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_template.id", ondelete="SET NULL"))
    effective_date: Mapped[dt.date | None] = mapped_column(Date)
    current_step: Mapped[str] = mapped_column(String(40), default="start")
    state: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    proposal: Mapped[dict[str, object] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    applied_by: Mapped[str | None] = mapped_column(String(200))
    applied_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    template: Mapped[TeamTemplate | None] = relationship()

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (
        CheckConstraint("status IN ('draft','applied','done')", name="status"),
    )


class PlanItem(Versioned, Base):
    """One row of a plan: who takes a client's Account Manager role or a project's
    Production Manager role (``person_id`` NULL: not placed, ``gap`` says what is missing).
    """

    __tablename__ = "plan_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"),
                                         index=True)
    role: Mapped[str] = mapped_column(String(60))
    # Indexed so deleting a client or project finds its plan rows without a scan.
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("client.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("project.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"))
    previous_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    gap: Mapped[str | None] = mapped_column(Text)

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (
        CheckConstraint("(client_id IS NULL) <> (project_id IS NULL)", name="target"),
        CheckConstraint("role IN ('account_manager','production_manager')", name="role"),
    )


class PlanConversation(Versioned, Base):
    """Telling one client about the change: who, how, when, what to say; the handover
    between the previous and the new holder before it; and how far it has got."""

    __tablename__ = "plan_conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"),
                                         index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"),
                                           index=True)
    informer_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(20), default="call")
    on_date: Mapped[dt.date | None] = mapped_column(Date)
    talking_points: Mapped[str] = mapped_column(Text, default="")
    handover_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"))
    handover_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"))
    handover_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")

    __mapper_args__ = {"version_id_col": Versioned.version}
    __table_args__ = (
        CheckConstraint("channel IN ('meeting','call','email')", name="channel"),
        CheckConstraint("status IN ('planned','informed','settled')", name="status"),
    )


# --------------------------------------------------------------------------- schema 3:
# who has the workspace open (revision 0003).


class PresenceEntry(Base):
    """One open copy of Studio Desk on this workspace: who, on which machine, since when,
    and the last heartbeat. Bookkeeping, not something people edit: no version, written
    with Core statements so it never shows in the audit log. ``host`` and ``pid`` tell a
    copy that crashed on this very machine from a live one."""

    __tablename__ = "presence"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    machine: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    since: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime)

    # Ids are never reused, so a heartbeat can put back its own row under the same id
    # after a colleague cleared it as stale (a laptop that slept for an hour).
    __table_args__ = {"sqlite_autoincrement": True}
