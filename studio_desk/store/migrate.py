"""Schema migrations with Alembic, run when a workspace is opened or created.

The revisions live in ``store/migrations/versions``; each one ends by setting
``PRAGMA user_version`` to its schema number, so a file's header tells its schema without
opening it (see ``engine.check_workspace_file``). Batch mode lets Alembic alter SQLite
tables by copying them, all inside the one ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studio_desk.store.engine import Workspace

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade(workspace: Workspace, revision: str = "head") -> None:
    """Bring the workspace's schema to ``revision`` in one transaction."""
    from alembic import command

    from studio_desk.store.engine import translated_errors

    config = alembic_config()
    writer = workspace.engine.execution_options(sqlite_begin="IMMEDIATE")
    with translated_errors(workspace.path), writer.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
