"""Project names are unique per client, not across the studio. Schema version 4.

Two clients may each have a "Website rebuild": the unique constraint on
``project.name_key`` becomes one on (``client_id``, ``name_key``), and ``name_key`` gets
an index of its own for looking projects up and sorting them by name.

SQLite cannot drop a constraint, so the ``project`` table is rebuilt the way batch mode
does it (a copy made, the old table dropped, the copy renamed), but by hand from the table
as revision 0001 made it: Alembic's batch mode writes the copied constraints in an order
that changes from run to run, and a demo built twice from one seed must be the same file.
Every project keeps its id, values and version. The workspace runs with
``foreign_keys=ON``, which cannot be switched off inside the upgrade's one transaction, so
two side effects of dropping the old table are undone here:

* dropping a table deletes its rows first, and the ``ON DELETE CASCADE`` of
  ``assignment.project_id`` and ``plan_item.project_id`` would take every project's
  assignments and plan rows with it (``SET NULL`` references would lose their link): the
  rows that point to a project are copied aside first and put back, unchanged, after;
* the AUTOINCREMENT counter (``sqlite_sequence``) goes with the dropped table: it is set
  back, so the id of a project deleted before the upgrade is still never handed out again.

Downgrading puts the studio-wide constraint back. While projects of different clients
share a name it refuses, naming one such name and its clients, and changes nothing: the
old schema cannot hold them, and which project to rename is not a migration's choice.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 01:00:00
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import CreateTable

from studio_desk.core.errors import WorkspaceError

SCHEMA_VERSION = 4

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


#: The name's unique constraint before (schema 3) and after (schema 4) this revision.
_NAME_UNIQUE_3 = ("uq_project_name_key", ("name_key",))
_NAME_UNIQUE_4 = ("uq_project_client_name", ("client_id", "name_key"))
#: The indexes of ``project`` in each schema, created after the rebuild.
_INDEXES_3 = (("ix_project_client_id", ["client_id"]), ("ix_project_manager_id", ["manager_id"]),
              ("ix_project_status", ["status"]))
_INDEXES_4 = (*_INDEXES_3, ("ix_project_name_key", ["name_key"]))
#: What the new table is called until the old one is gone.
_REBUILT = "_project_rebuilt"


def _project_table(table_name: str, unique: tuple[str, tuple[str, ...]]) -> sa.Table:
    """The ``project`` table as revision 0001 made it, called ``table_name``, with the
    name's ``unique`` constraint (name, columns) of the schema at hand."""
    metadata = sa.MetaData()
    for referred in ("client", "person"):  # only for rendering the foreign keys
        sa.Table(referred, metadata, sa.Column("id", sa.Integer(), primary_key=True))
    return sa.Table(
        table_name,
        metadata,
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
            name="ck_project_status"),
        sa.CheckConstraint("communication_load BETWEEN 1 AND 5",
                           name="ck_project_communication_load"),
        sa.CheckConstraint("due IS NULL OR start IS NULL OR due >= start",
                           name="ck_project_dates"),
        sa.CheckConstraint("technical_complexity BETWEEN 1 AND 5",
                           name="ck_project_technical_complexity"),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"],
                                name="fk_project_client_id_client", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["manager_id"], ["person.id"],
                                name="fk_project_manager_id_person", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_project"),
        sa.UniqueConstraint(*unique[1], name=unique[0]),
        sqlite_autoincrement=True,
    )


def _references_to_project(connection: sa.Connection) -> list[tuple[str, str, str]]:
    """(table, column, ON DELETE action) of every foreign key pointing to ``project``."""
    tables = [name for (name,) in connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    found = []
    for table in tables:
        for row in connection.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")'):
            # id, seq, table, from, to, on_update, on_delete, match
            if row[2] == "project":
                found.append((table, row[3], str(row[6]).upper()))
    return found


@contextmanager
def _links_to_projects_kept(connection: sa.Connection) -> Iterator[None]:
    """Keep what points to projects, and the id counter, across a rebuild of the table."""
    references = _references_to_project(connection)
    for number, (table, column, _action) in enumerate(references):
        connection.exec_driver_sql(
            f'CREATE TEMP TABLE "_kept_{number}" AS '
            f'SELECT * FROM main."{table}" WHERE "{column}" IS NOT NULL')
    sequence = connection.exec_driver_sql(
        "SELECT seq FROM sqlite_sequence WHERE name = 'project'").scalar()
    yield
    for number, (table, column, action) in enumerate(references):
        kept = f'temp."_kept_{number}"'
        if not connection.exec_driver_sql(f"SELECT count(*) FROM {kept}").scalar():
            pass  # nothing pointed there (and an empty INSERT would still start a counter)
        elif action == "CASCADE":
            connection.exec_driver_sql(
                f'INSERT INTO main."{table}" SELECT * FROM {kept} '
                f'WHERE id NOT IN (SELECT id FROM main."{table}")')
        elif action == "SET NULL":
            connection.exec_driver_sql(
                f'UPDATE main."{table}" SET "{column}" = (SELECT k."{column}" FROM {kept} k '
                f'WHERE k.id = main."{table}".id) '
                f'WHERE "{column}" IS NULL AND id IN (SELECT id FROM {kept})')
        # Any other action refused the drop, and with it the whole upgrade.
        connection.exec_driver_sql(f"DROP TABLE {kept}")
    if sequence is not None:
        connection.exec_driver_sql(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'project'",
            (sequence,))
        if connection.exec_driver_sql(
                "SELECT count(*) FROM sqlite_sequence WHERE name = 'project'").scalar() == 0:
            connection.exec_driver_sql(
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('project', ?)", (sequence,))


def _rebuild_project(unique: tuple[str, tuple[str, ...]],
                     indexes: tuple[tuple[str, list[str]], ...]) -> None:
    """Rebuild ``project`` with the name's ``unique`` constraint and ``indexes``."""
    connection = op.get_bind()
    with _links_to_projects_kept(connection):
        rebuilt = _project_table(_REBUILT, unique)
        connection.execute(CreateTable(rebuilt))
        columns = ", ".join(f'"{column.name}"' for column in rebuilt.columns)
        connection.exec_driver_sql(
            f'INSERT INTO "{_REBUILT}" ({columns}) SELECT {columns} FROM project')
        connection.exec_driver_sql("DROP TABLE project")  # its indexes go with it
        connection.exec_driver_sql(f'ALTER TABLE "{_REBUILT}" RENAME TO project')
        for name, on in indexes:
            op.create_index(name, "project", on, unique=False)


def upgrade() -> None:
    _rebuild_project(_NAME_UNIQUE_4, _INDEXES_4)
    op.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _shared_name() -> tuple[str, list[str]] | None:
    """A project name two clients use (as first spelt) and those clients, or None."""
    connection = op.get_bind()
    shared = connection.exec_driver_sql(
        "SELECT name_key FROM project GROUP BY name_key HAVING count(*) > 1 "
        "ORDER BY name_key LIMIT 1").scalar()
    if shared is None:
        return None
    rows = connection.exec_driver_sql(
        "SELECT project.name, client.name FROM project JOIN client "
        "ON client.id = project.client_id WHERE project.name_key = ? "
        "ORDER BY client.name_key, project.id", (shared,)).all()
    return rows[0][0], [client for _project, client in rows]


def downgrade() -> None:
    shared = _shared_name()
    if shared is not None:
        name, clients = shared
        raise WorkspaceError(
            f"This workspace cannot go back to schema 3, where project names are unique "
            f"across the studio: “{name}” is a project of {', '.join(clients[:-1])} and "
            f"{clients[-1]}; rename all but one of them first.")
    _rebuild_project(_NAME_UNIQUE_3, _INDEXES_3)
    op.execute("PRAGMA user_version = 3")
