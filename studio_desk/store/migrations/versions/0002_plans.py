"""Team-structure templates and transition plans; the default responsibility catalog.
Schema version 2.

Besides the new tables, this revision fills in the starting data a workspace needs:

* the built-in team-structure templates (read-only rows, ``builtin`` true, found by their
  ``key``), from ``core.catalog`` as it is when the revision runs;
* the default responsibility catalog, but only into an *empty* ``responsibility`` table,
  so a studio that already listed its own responsibilities keeps exactly those.

Seeding here rather than on first use means every workspace at schema 2 has them, and a
reader (who may not write) never finds them missing. A later change to the built-in data
ships as its own revision that updates the rows by ``key``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 01:00:00
"""

import sqlalchemy as sa
from alembic import op

from studio_desk.core import catalog
from studio_desk.core.rules import name_key

SCHEMA_VERSION = 2

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("role_keys", sa.JSON(), nullable=False),
        sa.Column("activities", sa.JSON(), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_template")),
        sa.UniqueConstraint("key", name=op.f("uq_team_template_key")),
        sa.UniqueConstraint("name_key", name=op.f("uq_team_template_name_key")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=True),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("current_step", sa.String(length=40), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("proposal", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("applied_by", sa.String(length=200), nullable=True),
        sa.Column("applied_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('draft','applied','done')", name=op.f("ck_plan_status")),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["team_template.id"],
            name=op.f("fk_plan_template_id_team_template"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
        sa.UniqueConstraint("name_key", name=op.f("uq_plan_name_key")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "plan_conversation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("informer_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("talking_points", sa.Text(), nullable=False),
        sa.Column("handover_from_id", sa.Integer(), nullable=True),
        sa.Column("handover_to_id", sa.Integer(), nullable=True),
        sa.Column("handover_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "channel IN ('meeting','call','email')", name=op.f("ck_plan_conversation_channel")
        ),
        sa.CheckConstraint(
            "status IN ('planned','informed','settled')", name=op.f("ck_plan_conversation_status")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client.id"],
            name=op.f("fk_plan_conversation_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["handover_from_id"],
            ["person.id"],
            name=op.f("fk_plan_conversation_handover_from_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["handover_to_id"],
            ["person.id"],
            name=op.f("fk_plan_conversation_handover_to_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["informer_id"],
            ["person.id"],
            name=op.f("fk_plan_conversation_informer_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
            name=op.f("fk_plan_conversation_plan_id_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_conversation")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("plan_conversation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_conversation_client_id"), ["client_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_conversation_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "plan_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=60), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("previous_person_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("overridden", sa.Boolean(), nullable=False),
        sa.Column("gap", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "role IN ('account_manager','production_manager')", name=op.f("ck_plan_item_role")
        ),
        sa.CheckConstraint(
            "(client_id IS NULL) <> (project_id IS NULL)", name=op.f("ck_plan_item_target")
        ),
        sa.ForeignKeyConstraint(
            ["client_id"], ["client.id"], name=op.f("fk_plan_item_client_id_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_plan_item_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_item_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["previous_person_id"],
            ["person.id"],
            name=op.f("fk_plan_item_previous_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_plan_item_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_item")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_item_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_item_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_plan_item_project_id"), ["project_id"], unique=False)

    _seed_templates()
    _seed_responsibilities()
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _seed_templates() -> None:
    template = sa.table(
        "team_template",
        sa.column("key", sa.String),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
        sa.column("builtin", sa.Boolean),
        sa.column("description", sa.Text),
        sa.column("roles", sa.JSON),
        sa.column("role_keys", sa.JSON),
        sa.column("activities", sa.JSON),
        sa.column("cells", sa.JSON),
        sa.column("version", sa.Integer),
    )
    op.bulk_insert(
        template,
        [
            {
                "key": t.key,
                "name": t.name,
                "name_key": name_key(t.name),
                "builtin": True,
                "description": t.description,
                "roles": list(t.roles),
                "role_keys": list(t.role_keys),
                "activities": list(t.activities),
                "cells": [list(row) for row in t.cells],
                "version": 1,
            }
            for t in catalog.BUILTIN_TEMPLATES
        ],
    )


def _seed_responsibilities() -> None:
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT count(*) FROM responsibility").scalar():
        return
    responsibility = sa.table(
        "responsibility",
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
        sa.column("category", sa.String),
        sa.column("position", sa.Integer),
        sa.column("version", sa.Integer),
    )
    op.bulk_insert(
        responsibility,
        [
            {
                "name": item.name,
                "name_key": name_key(item.name),
                "category": item.category,
                "position": position,
                "version": 1,
            }
            for position, item in enumerate(catalog.DEFAULT_RESPONSIBILITIES)
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("plan_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_item_project_id"))
        batch_op.drop_index(batch_op.f("ix_plan_item_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_item_client_id"))
    op.drop_table("plan_item")
    with op.batch_alter_table("plan_conversation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_conversation_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_conversation_client_id"))
    op.drop_table("plan_conversation")
    op.drop_table("plan")
    op.drop_table("team_template")
    # The seeded responsibilities are ordinary catalog rows by now; they stay.
    op.execute("PRAGMA user_version = 1")
