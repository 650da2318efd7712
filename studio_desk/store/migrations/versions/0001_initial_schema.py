"""Initial schema: people, clients, projects, relationships, roles, responsibilities,
assignments with history, and the audit log. Schema version 1.

Edited tables use AUTOINCREMENT so an id is never handed out twice: without it SQLite
reuses the id of a deleted newest row, and a colleague still holding the deleted row
(same id, version 1) could save over the new record without any conflict being seen.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 00:12:29.943026
"""

import sqlalchemy as sa
from alembic import op

SCHEMA_VERSION = 1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("industry", sa.String(length=200), nullable=True),
        sa.Column("contact_name", sa.String(length=200), nullable=True),
        sa.Column("contact_email", sa.String(length=200), nullable=True),
        sa.Column("contact_phone", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client")),
        sa.UniqueConstraint("name_key", name=op.f("uq_client_name_key")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("weekly_hours", sa.Float(), nullable=False),
        sa.Column("max_active_projects", sa.Integer(), nullable=False),
        sa.Column("max_backburner_projects", sa.Integer(), nullable=False),
        sa.Column("max_clients", sa.Integer(), nullable=False),
        sa.Column("client_facing", sa.Integer(), nullable=False),
        sa.Column("head_down", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("client_facing BETWEEN 0 AND 5", name=op.f("ck_person_client_facing")),
        sa.CheckConstraint("head_down BETWEEN 0 AND 5", name=op.f("ck_person_head_down")),
        sa.CheckConstraint("weekly_hours >= 0", name=op.f("ck_person_weekly_hours")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("name_key", name=op.f("uq_person_name_key")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "responsibility",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "category IN ('client','project','shared')", name=op.f("ck_responsibility_category")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responsibility")),
        sa.UniqueConstraint("name_key", name=op.f("uq_responsibility_name_key")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role")),
        sa.UniqueConstraint("key", name=op.f("uq_role_key")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("budget", sa.Float(), nullable=True),
        sa.Column("estimated_hours", sa.Float(), nullable=True),
        sa.Column("technical_complexity", sa.Integer(), nullable=False),
        sa.Column("communication_load", sa.Integer(), nullable=False),
        sa.Column("lead_type", sa.String(length=20), nullable=True),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pitch','active','back-burner','on-hold','done','cancelled')",
            name=op.f("ck_project_status"),
        ),
        sa.CheckConstraint(
            "communication_load BETWEEN 1 AND 5", name=op.f("ck_project_communication_load")
        ),
        sa.CheckConstraint(
            "due IS NULL OR start IS NULL OR due >= start", name=op.f("ck_project_dates")
        ),
        sa.CheckConstraint(
            "technical_complexity BETWEEN 1 AND 5", name=op.f("ck_project_technical_complexity")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_project_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["person.id"],
            name=op.f("fk_project_manager_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
        sa.UniqueConstraint("name_key", name=op.f("uq_project_name_key")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_project_manager_id"), ["manager_id"], unique=False)
        batch_op.create_index("ix_project_status", ["status"], unique=False)

    op.create_table(
        "relationship",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("strength", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("strength BETWEEN 1 AND 3", name=op.f("ck_relationship_strength")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_relationship_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_relationship_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationship")),
        sa.UniqueConstraint("person_id", "client_id", name="uq_relationship_person_client"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relationship_client_id"), ["client_id"], unique=False)

    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(client_id IS NULL) <> (project_id IS NULL)", name=op.f("ck_assignment_target")
        ),
        sa.CheckConstraint("end IS NULL OR end >= start", name=op.f("ck_assignment_dates")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_assignment_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_assignment_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_assignment_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["role_id"], ["role.id"], name=op.f("fk_assignment_role_id_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignment_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignment_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assignment_project_id"), ["project_id"], unique=False)

    role = sa.table(
        "role", sa.column("key"), sa.column("name"), sa.column("description"), sa.column("version")
    )
    op.bulk_insert(
        role,
        [
            {
                "key": "account_manager",
                "name": "Account Manager",
                "version": 1,
                "description": "The client's advocate: relationship, communication, goals.",
            },
            {
                "key": "production_manager",
                "name": "Production Manager",
                "version": 1,
                "description": "The team's advocate: tasks, capacity, quality, scope.",
            },
        ],
    )
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignment_project_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_person_id"))
        batch_op.drop_index(batch_op.f("ix_assignment_client_id"))

    op.drop_table("assignment")
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relationship_client_id"))

    op.drop_table("relationship")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_index("ix_project_status")
        batch_op.drop_index(batch_op.f("ix_project_manager_id"))
        batch_op.drop_index(batch_op.f("ix_project_client_id"))

    op.drop_table("project")
    op.drop_table("role")
    op.drop_table("responsibility")
    op.drop_table("person")
    op.drop_table("client")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entity")

    op.drop_table("audit_entry")
