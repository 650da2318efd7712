"""Who has the workspace open: the ``presence`` table. Schema version 3.

One row per open copy of Studio Desk, kept fresh by a heartbeat and removed on closing;
a row whose heartbeat stopped (a crash, a pulled network cable) is shown as stale and
cleared later (``store.presence``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 01:00:00
"""

import sqlalchemy as sa
from alembic import op

SCHEMA_VERSION = 3

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "presence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("machine", sa.String(length=200), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_presence")),
        sqlite_autoincrement=True,
    )
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def downgrade() -> None:
    op.drop_table("presence")
    op.execute("PRAGMA user_version = 2")
