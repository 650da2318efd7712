"""Alembic environment: always handed an open connection by ``store.migrate``."""

from alembic import context

from studio_desk.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only ``store.migrate`` runs migrations
    raise RuntimeError("Studio Desk migrations run through studio_desk.store.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    # The caller's transaction (BEGIN IMMEDIATE) wraps every revision.
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
