"""The ``studio-desk`` command line (DESIGN §7): the window, and scriptable commands.

Exit codes: 0 success, 1 a user error (one line on stderr naming the file, row and
column), 2 wrong usage (argparse's own message). A user error never shows a traceback.

The commands import the workspace code only when they run, and never Qt, so they start
fast and work on machines without a display. Each command is one ``_add_*`` function
that declares its arguments and the function that runs it; a new command is one more.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from studio_desk import APP_ID, __version__
from studio_desk.core.errors import PlanStateError, StudioDeskError, UsageError

if TYPE_CHECKING:  # for annotations only: commands import the workspace code when they run
    from sqlalchemy.orm import Session

    from studio_desk.store.engine import Workspace
    from studio_desk.store.plans import PlanRow

_IMPORT_KINDS = ("people", "clients", "projects", "relationships", "assignments")
_EXPORT_KINDS = ("people", "clients", "projects", "assignments")

Command = Callable[[argparse.Namespace], int]


def _say(message: str, stream: TextIO | None = None) -> None:
    print(message, file=stream or sys.stdout)


def _error_line(message: str) -> str:
    """One line, however the message was built (a cell may hold a line break)."""
    return f"{APP_ID}: error: " + " ".join(message.split())


def _workspace_path(args: argparse.Namespace) -> Path:
    """The workspace the command works on: ``--db``, or else the default workspace in
    the user's data folder (the one the window opens), if it exists; never created here.

    ``args.db`` is set to the default's path when it is used, so messages name it.
    """
    db: str | None = getattr(args, "db", None)
    if not db:
        from studio_desk.store.locations import default_workspace_path

        default = default_workspace_path()
        if not default.exists():
            raise UsageError(f"{args.command} needs --db PATH naming the workspace (there "
                             f"is no default workspace yet at {default}).")
        args.db = str(default)
        return default
    if "://" in db:
        raise StudioDeskError(f"{db}: server workspaces (database URLs) are not supported "
                              "yet; name a workspace file.")
    return Path(db)


def _export_target(file: str, what: str = "the export") -> None:
    """Refuse, before any work, a file to write that is not a regular file or a new one
    (a folder, a link, a pipe, a device, an empty name, a missing folder): one sentence
    naming it. The writer checks again as it writes."""
    from studio_desk.core.safe_files import check_export_target

    check_export_target(file, what=what)


def _daily_backup(workspace: Workspace) -> None:
    """Before the first write of the day, the backup the window makes on opening.

    A backup that cannot be made (no room, no backup folder) is said on stderr and the
    command goes on, as the window does; one that fails its check stops the command,
    since the workspace itself may then be damaged.
    """
    if workspace.read_only:
        return  # nothing will be written
    from studio_desk.core.errors import DamagedWorkspaceError
    from studio_desk.store.backup import backup_on_open

    try:
        backup_on_open(workspace)
    except DamagedWorkspaceError:
        raise
    except StudioDeskError as exc:
        _say(f"{APP_ID}: warning: the daily backup was not made: "
             + " ".join(str(exc).split()), sys.stderr)


def _catch_up(workspace: Workspace) -> None:
    """Bring who holds what up to today before reading, backing up first when that
    writes (the daily backup, as before any write)."""
    from studio_desk.store.holders import catch_up_workspace, is_due

    if not workspace.read_only:
        with workspace.read() as session:
            due = is_due(session)
        if due:
            _daily_backup(workspace)
    catch_up_workspace(workspace)


def _non_negative(text: str) -> int:
    """argparse type: a whole number 0 or more."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is negative")
    return number


def _day(text: str) -> dt.date:
    """argparse type: a date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date written YYYY-MM-DD") \
            from None


def _add_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=_day, metavar="YYYY-MM-DD",
                        help="the day to read the workspace as of (default today): a plan "
                             "applied ahead of its effective date counts from that date")


def _add_db(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a subcommand from overwriting a --db given before the subcommand.
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="the workspace file (default: the one in your data folder)")


# --- demo ----------------------------------------------------------------------------------

def _add_demo(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "demo", help="create a new workspace filled with an invented studio",
        description="Create a new workspace at PATH holding a realistic demo studio. "
                    "Sizes not given grow with --projects.")
    parser.add_argument("path", metavar="PATH", help="the new workspace file (must not exist)")
    parser.add_argument("--people", type=_non_negative, metavar="N")
    parser.add_argument("--clients", type=_non_negative, metavar="N")
    parser.add_argument("--projects", type=_non_negative, metavar="N")
    parser.add_argument("--seed", type=int, default=1, metavar="S",
                        help="the same seed gives the same studio (default 1)")
    parser.add_argument("--today", metavar="YYYY-MM-DD",
                        help="the day the studio's dates are counted from (default "
                             "today); the same seed and day give the same studio")
    parser.set_defaults(run=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    from studio_desk.store.demo import build_demo, demo_day, demo_sizes

    today = None
    if args.today is not None:
        try:
            today = demo_day(args.today)
        except ValueError as exc:
            raise UsageError(f"--today: {exc}.") from None
    people, clients, projects = demo_sizes(args.projects, args.people, args.clients)
    if projects and not clients:
        raise UsageError("--clients 0 leaves the demo's projects without a client; "
                         "give at least one client.")
    counts = build_demo(args.path, people=people, clients=clients, projects=projects,
                        seed=args.seed, today=today)
    _say(f"Created {Path(args.path)}: {counts['person']} people, {counts['client']} clients, "
         f"{counts['project']} projects, {counts['relationship']} relationships, "
         f"{counts['assignment']} assignments.")
    return 0


# --- new -----------------------------------------------------------------------------------

def _add_new(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "new", help="create an empty workspace",
        description="Create a new, empty workspace file at PATH, to fill with import or "
                    "open in the window.")
    parser.add_argument("path", metavar="PATH", help="the new workspace file (must not exist)")
    parser.set_defaults(run=_run_new)


def _run_new(args: argparse.Namespace) -> int:
    if "://" in args.path:
        raise StudioDeskError(f"{args.path}: server workspaces (database URLs) are not "
                              "supported yet; name a workspace file.")
    from studio_desk.store.engine import create_workspace

    create_workspace(args.path)
    _say(f"Created new workspace {Path(args.path)}.")
    return 0


# --- check ---------------------------------------------------------------------------------

def _add_check(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "check", help="check a workspace: integrity, schema, counts",
        description="Check a workspace file without changing it. Exit 0 when healthy.")
    _add_db(parser)
    parser.set_defaults(run=_run_check)


def _run_check(args: argparse.Namespace) -> int:
    from studio_desk.store.health import check_workspace

    report = check_workspace(_workspace_path(args))
    for line in report.lines():
        _say(line)
    if report.ok:
        return 0
    first = report.damage or f"{args.db} is not healthy: {report.problems[0]}"
    _say(_error_line(first), sys.stderr)
    return 1


# --- restore -------------------------------------------------------------------------------

def _add_restore(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "restore", help="list a workspace's backups, or put one back",
        description="Without BACKUP, list the workspace's backups, newest first, with when "
                    "and why each was made. With BACKUP (a name from that list, or a "
                    "backup file's path), put it back as the workspace, as the window's "
                    "Restore from backup does: the backup is checked first, the "
                    "workspace as it is is kept (backed up, or set aside when damaged), "
                    "and nothing is restored while colleagues have it open.")
    parser.add_argument("backup", metavar="BACKUP", nargs="?",
                        help="the backup to restore (default: list them)")
    _add_db(parser)
    parser.set_defaults(run=_run_restore)


def _run_restore(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    from studio_desk.store import backup

    backups = backup.list_backups(path)
    if args.backup is None:
        if not backups:
            _say(f"{args.db} has no backups yet (they are kept in "
                 f"{backup.backup_folder(path)}).")
            return 0
        _say(f"Backups of {args.db}, newest first, in {backups[0].path.parent}:")
        table: list[tuple[str, ...]] = [("Made", "Why", "Size", "Name")]
        table += [(f"{info.made_at.astimezone():%Y-%m-%d %H:%M:%S}",
                   info.reason.replace("-", " "), _size_text(info.size), info.path.name)
                  for info in backups]
        _columns(table)
        return 0
    given = Path(args.backup).expanduser().absolute()
    chosen = next((info for info in backups
                   if args.backup == info.path.name or given == info.path), None)
    source = chosen.path if chosen is not None else given
    if chosen is None and not source.is_file():
        raise StudioDeskError(f"{args.backup} is neither a backup of {args.db} nor a file; "
                              f"“{APP_ID} restore --db {args.db}” lists the backups.")
    kept = backup.restore_backup(source, path)
    when = (f"the backup made {chosen.made_at.astimezone():%Y-%m-%d %H:%M:%S}"
            if chosen is not None else args.backup)
    aside = "" if kept is None else f"; the workspace as it was is kept as {kept}"
    _say(f"Restored {args.db} from {when}{aside}.")
    return 0


def _size_text(size: int) -> str:
    """A file size in the units people read: "820 KB", "12.4 MB"."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    if size < 1_000_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1_000_000_000:.2f} GB"


# --- import / export -----------------------------------------------------------------------

def _add_import(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "import", help="add or update records from a CSV file or .xlsx workbook "
                       "(all rows or none)",
        description="Import a CSV file or an .xlsx workbook into a workspace. Columns are "
                    "found by name, including the names Float, Harvest Forecast and Runn "
                    "exports use (“Person Name”, “Capacity (h/week)”, “Start Date”). A name "
                    "that exists updates that record; an assignments file makes each person "
                    "the current holder of the role it names; any bad row means nothing is "
                    "imported. A --db that does not exist yet is created.")
    parser.add_argument("kind", choices=_IMPORT_KINDS)
    parser.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    _add_db(parser)
    parser.add_argument("--sheet", metavar="NAME",
                        help="the workbook's sheet to read (default: the first)")
    parser.add_argument("--ignore-unknown-columns", action="store_true",
                        help="skip columns Studio Desk has no field for (an export's "
                             "extra columns) instead of refusing the file")
    parser.add_argument("--dry-run", action="store_true",
                        help="check the file and report what would change; save nothing")
    parser.set_defaults(run=_run_import)


def _run_import(args: argparse.Namespace) -> int:
    db: str | None = getattr(args, "db", None)
    path = _workspace_path(args)
    from studio_desk.core.csvio import UnknownColumnsError
    from studio_desk.core.errors import CsvError
    from studio_desk.core.spreadsheets import read_table
    from studio_desk.store.engine import check_workspace_file, open_workspace
    from studio_desk.store.transfer import import_into_new_workspace, import_rows

    target = path.expanduser().absolute()
    # Only a --db the user named is created: the default workspace is the window's to make.
    creating = db is not None and not target.exists()
    if not creating:
        check_workspace_file(target)  # before reading a big file
    try:
        table = read_table(args.file, args.kind, sheet=args.sheet,
                           ignore_unknown=args.ignore_unknown_columns)
    except UnknownColumnsError as exc:
        raise CsvError(exc.sentence("add --ignore-unknown-columns to import the file "
                                    "without them")) from None
    if creating:
        summary = import_into_new_workspace(target, args.kind, table, dry_run=args.dry_run)
        _say(f"{path} does not exist yet; importing without --dry-run creates it."
             if args.dry_run else f"Created new workspace {path}.")
    else:
        with open_workspace(path) as workspace:
            if not args.dry_run:
                _daily_backup(workspace)
            session_of = workspace.read if args.dry_run else workspace.write
            with session_of() as session:
                summary = import_rows(session, args.kind, table, dry_run=args.dry_run)
    if table.skipped_columns:
        shown = ", ".join(f"“{c}”" for c in table.skipped_columns[:5])
        more = len(table.skipped_columns) - 5
        _say(f"Skipped column{'s' if len(table.skipped_columns) > 1 else ''} {shown}"
             f"{f' and {more} more' if more > 0 else ''}.")
    _say(summary.describe(args.file, dry_run=args.dry_run))
    return 0


def _add_export(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export", help="write records to a CSV file or .xlsx workbook",
        description="Export a workspace's records to a CSV file (UTF-8, opens in "
                    "spreadsheets) or, when FILE ends in .xlsx, to a workbook with numbers "
                    "and dates as such, as they stand today or on the day --as-of names "
                    "(who holds each role, each project's manager, each person's limits "
                    "that day).")
    parser.add_argument("kind", choices=_EXPORT_KINDS)
    parser.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    _add_db(parser)
    _add_as_of(parser)
    parser.set_defaults(run=_run_export)


def _run_export(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    _export_target(args.file)
    from studio_desk.core.csvio import EXPORT_COLUMNS, text_columns
    from studio_desk.core.spreadsheets import write_table
    from studio_desk.store.engine import open_workspace
    from studio_desk.store.transfer import export_rows

    with open_workspace(path) as workspace:
        _catch_up(workspace)
        with workspace.read() as session:
            rows = export_rows(session, args.kind, as_of=args.as_of)
    write_table(args.file, EXPORT_COLUMNS[args.kind], rows, text_columns(args.kind))
    _say(f"{args.file}: {len(rows)} {args.kind} exported.")
    return 0


# --- capacity ------------------------------------------------------------------------------

def _add_capacity(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "capacity", help="per person: load against every limit",
        description="Print each active person's active and back-burner projects, clients "
                    "held as account manager and hours a week, each against its limit, "
                    "as of today or the day --as-of names; --csv writes the same figures "
                    "to a file instead.")
    _add_db(parser)
    parser.add_argument("--csv", metavar="FILE", help="write the table to FILE as CSV")
    _add_as_of(parser)
    parser.set_defaults(run=_run_capacity)


def _run_capacity(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    if args.csv is not None:
        _export_target(args.csv)
    from studio_desk.core.csvio import write_csv
    from studio_desk.core.load import CAPACITY_COLUMNS, capacity_csv_rows, capacity_table
    from studio_desk.store.engine import open_workspace
    from studio_desk.store.load_data import read_studio_load

    with open_workspace(path) as workspace:
        _catch_up(workspace)
        with workspace.read() as session:
            load = read_studio_load(session, args.as_of)
    figures = [person.today for person in load.people]
    if args.csv is not None:
        write_csv(args.csv, CAPACITY_COLUMNS, capacity_csv_rows(figures), {"person"})
        _say(f"{args.csv}: {len(figures)} {'person' if len(figures) == 1 else 'people'} "
             "written.")
        return 0
    if not figures:
        _say(f"{args.db} has no active people yet.")
        return 0
    for line in capacity_table(figures, load.today_total):
        _say(line)
    return 0


# --- plan ----------------------------------------------------------------------------------
# ``plan`` is a group of verbs (``plan propose NAME``, ``plan export NAME FILE``, ...); each
# verb is one ``_add_plan_*`` function listed in PLAN_COMMANDS.

def _add_plan(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "plan", help="propose, export, apply and print transition plans",
        description="Work with a transition plan, named as in the window's Plans page.")
    verbs = parser.add_subparsers(dest="plan_command", metavar="VERB", required=True)
    for add in PLAN_COMMANDS:
        add(verbs)


def _plan_named(session: Session, name: str, db: str) -> PlanRow:
    """The plan called ``name``, or a NotFoundError saying how to make one."""
    from studio_desk.core.errors import NotFoundError
    from studio_desk.store import plans

    plan = plans.find_plan(session, name)
    if plan is None:
        raise NotFoundError(f"{db}: there is no plan named “{name}”; make one with "
                            f"“{APP_ID} plan propose NAME --db {db}”.")
    return plan


def _shortfall_text(shortfall: dict[str, float]) -> str:
    parts = []
    for key, one in (("clients", "client"), ("active projects", "active project"),
                     ("back-burner projects", "back-burner project")):
        count = round(shortfall.get(key, 0))
        if count:
            parts.append(f"{count} {one if count == 1 else key}")
    hours = shortfall.get("hours", 0)
    if hours:
        parts.append(f"{hours:g} hours a week")
    return "capacity missing: " + ", ".join(parts) if parts else "no capacity missing"


def _add_plan_propose(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "propose", help="create or refresh a draft plan with the optimal proposal",
        description="Propose an Account Manager for every client and a Production Manager "
                    "for every active or back-burner project, and schedule the client "
                    "conversations. A new plan takes effect on the first Monday at least "
                    "three weeks ahead. Who takes which side follows the plan's confirmed "
                    "leanings, else the same first guesses as the wizard's People page.")
    parser.add_argument("name", metavar="NAME", help="the plan (made if there is none)")
    parser.add_argument("--lean", action="append", default=[], metavar="PERSON=SIDE",
                        help="confirm a leaning: SIDE is account, production, both or "
                             "neither (repeatable)")
    parser.add_argument("--leanings", metavar="FILE.csv",
                        help="confirm leanings and role limits from a CSV file (columns: "
                             "person, leaning, max_clients, max_active_projects, "
                             "max_backburner_projects; only person is required)")
    parser.add_argument("--limit", action="append", default=[],
                        metavar="PERSON:KIND=N",
                        help="a role limit: KIND is clients, active or backburner "
                             "(repeatable), e.g. “Sam Lee:active=12”")
    parser.add_argument("--accept-suggested-limits", action="store_true",
                        help="give everyone without a role limit of their own the limit "
                             "suggested for their role (a dedicated Account Manager "
                             "carries more clients, a dedicated Production Manager more "
                             "projects)")
    _add_db(parser)
    parser.set_defaults(run=_run_plan_propose)


_LEANING_WORDS = {"account": "account_manager", "account_manager": "account_manager",
                  "account manager": "account_manager", "am": "account_manager",
                  "production": "production_manager",
                  "production_manager": "production_manager",
                  "production manager": "production_manager", "pm": "production_manager",
                  "both": "both", "both roles": "both", "neither": "neither"}
_LIMIT_WORDS = {"clients": "max_clients", "max_clients": "max_clients",
                "active": "max_active_projects", "max_active_projects": "max_active_projects",
                "backburner": "max_backburner_projects",
                "back-burner": "max_backburner_projects",
                "max_backburner_projects": "max_backburner_projects"}


def _leaning_word(text: str, where: str) -> str:
    leaning = _LEANING_WORDS.get(" ".join(text.split()).casefold())
    if leaning is None:
        raise StudioDeskError(f"{where}: “{text}” is not a leaning; use account, production, "
                         "both or neither.")
    return leaning


def _limit_number(text: str, where: str) -> int:
    try:
        number = int(text.strip())
    except ValueError:
        raise StudioDeskError(f"{where}: “{text}” is not a whole number.") from None
    from studio_desk.core.leanings import MAX_ROLE_LIMIT

    if not 0 <= number <= MAX_ROLE_LIMIT:
        raise StudioDeskError(f"{where}: {number} is not a limit from 0 to "
                              f"{MAX_ROLE_LIMIT:,}.")
    return number


def _people_choices(args: argparse.Namespace, person_ids: dict[str, int]
                    ) -> tuple[dict[int, str], dict[int, dict[str, int]]]:
    """The leanings and role limits the command line confirms, by person id."""
    from studio_desk.core.rules import name_key

    leaning_of: dict[int, str] = {}
    limits_of: dict[int, dict[str, int]] = {}

    def person(name: str, where: str) -> int:
        found = person_ids.get(name_key(name))
        if found is None:
            raise StudioDeskError(f"{where}: there is no one called “{name.strip()}” in the "
                             "studio.")
        return found

    if args.leanings:
        from studio_desk.core.csvio import decode_csv_bytes, header_key, sniff_delimiter

        path = Path(args.leanings)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StudioDeskError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
        text = decode_csv_bytes(data, str(path))
        import csv
        import io

        rows = list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text)))
        if not rows or "person" not in [header_key(c) for c in rows[0]]:
            raise StudioDeskError(f"{path}, row 1: the column “person” is missing.")
        header = [header_key(c) for c in rows[0]]
        for number, cells in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in cells):
                continue
            row = dict(zip(header, cells, strict=False))
            pid = person(row.get("person", ""), f"{path}, row {number}, column person")
            if row.get("leaning", "").strip():
                leaning_of[pid] = _leaning_word(row["leaning"],
                                                f"{path}, row {number}, column leaning")
            for key in ("max_clients", "max_active_projects", "max_backburner_projects"):
                if row.get(key, "").strip():
                    limits_of.setdefault(pid, {})[key] = _limit_number(
                        row[key], f"{path}, row {number}, column {key}")
    for given in args.lean:
        name, sep, side = given.rpartition("=")
        if not sep or not name.strip():
            raise UsageError(f"--lean “{given}”: write PERSON=SIDE, e.g. “Pat Rivera=account”.")
        leaning_of[person(name, f"--lean “{given}”")] = _leaning_word(side, f"--lean “{given}”")
    for given in args.limit:
        name, sep, rest = given.rpartition(":")
        kind, eq, value = rest.partition("=")
        key = _LIMIT_WORDS.get(kind.strip().casefold())
        if not sep or not eq or key is None:
            raise UsageError(f"--limit “{given}”: write PERSON:KIND=N with KIND clients, "
                             "active or backburner, e.g. “Sam Lee:active=12”.")
        limits_of.setdefault(person(name, f"--limit “{given}”"), {})[key] = _limit_number(
            value, f"--limit “{given}”")
    return leaning_of, limits_of


def _run_plan_propose(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    from studio_desk.core.schedule import default_effective_date
    from studio_desk.store import plans, records
    from studio_desk.store.engine import open_workspace

    with open_workspace(path) as workspace:
        _daily_backup(workspace)
        with workspace.write() as session:
            plan = plans.find_plan(session, args.name)
            made = plan is None
            try:
                if plan is None:
                    plan = plans.create_plan(session, args.name,
                                             effective_date=default_effective_date())
                elif plan.effective_date is None and plan.status == plans.STATUS_DRAFT:
                    plan = plans.update_plan(session, plan.id,
                                             effective_date=default_effective_date())
                leaning_of, limits_of = _people_choices(
                    args, records.ids_by_name(session, "person"))
                if leaning_of or limits_of or args.accept_suggested_limits:
                    plans.confirm_people(session, plan.id, leaning_of=leaning_of,
                                         limits_of=limits_of,
                                         accept_suggested=args.accept_suggested_limits)
            except PlanStateError as exc:
                raise PlanStateError(f"{args.db}: {exc}") from None
        # The solve holds no lock: colleagues keep saving while it runs.
        try:
            proposal = plans.propose_in_workspace(workspace, plan.id)
        except PlanStateError as exc:
            raise PlanStateError(f"{args.db}: {exc}") from None
        if proposal.items:
            with workspace.write() as session:
                plans.schedule_plan(session, plan.id)
    placed = sum(1 for item in proposal.items if item.person_id is not None)
    effective = plan.effective_date.isoformat() if plan.effective_date else "no date"
    optimal = "" if proposal.proven_optimal else " (the best found; not proven optimal)"
    missing = _shortfall_text(dict(proposal.shortfall))
    if proposal.unplaced_count and missing == "no capacity missing":
        missing = "the studio may have room for them: assign them by hand"
    _say(f"{'Created' if made else 'Refreshed'} “{plan.name}” (effective {effective}): "
         f"{placed} of {len(proposal.items)} roles placed, {proposal.unplaced_count} "
         f"unplaced; {missing}{optimal}.")
    for line in proposal.advice:
        _say(line)
    return 0


def _add_plan_export(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "export", help="write a plan's rows to a CSV file",
        description="Export a plan's rows: per client its Account Manager (with who tells "
                    "the client, and when), then a Production Manager per project.")
    parser.add_argument("name", metavar="NAME", help="the plan")
    parser.add_argument("file", metavar="FILE.csv")
    _add_db(parser)
    parser.set_defaults(run=_run_plan_export)


def _run_plan_export(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    _export_target(args.file)
    from studio_desk.core.csvio import write_csv
    from studio_desk.store import plans
    from studio_desk.store.engine import open_workspace

    with open_workspace(path) as workspace, workspace.read() as session:
        plan = _plan_named(session, args.name, args.db)
        rows = plans.plan_rows_for_export(session, plan.id)
    # Every column holds text from the workspace (names, reasons): all are neutralised.
    write_csv(args.file, plans.PLAN_EXPORT_COLUMNS, rows,
              frozenset(plans.PLAN_EXPORT_COLUMNS))
    _say(f"{args.file}: {len(rows)} rows of “{plan.name}” exported.")
    return 0


def _add_plan_calendar(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "calendar", help="write a plan's conversations and handovers to an .ics file",
        description="Export a plan's client conversations and handover meetings as an "
                    "iCalendar file to import into a calendar app: one all-day event each "
                    "on its planned day, with who takes part and the talking points. "
                    "Items without a date are left out.")
    parser.add_argument("name", metavar="NAME", help="the plan")
    parser.add_argument("file", metavar="FILE.ics",
                        help="the calendar file to write (replaced if it exists)")
    _add_db(parser)
    parser.set_defaults(run=_run_plan_calendar)


def _run_plan_calendar(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    _export_target(args.file, "the calendar")
    from studio_desk.store.engine import open_workspace
    from studio_desk.store.plans.calendar import write_plan_calendar

    with open_workspace(path) as workspace, workspace.read() as session:
        plan = _plan_named(session, args.name, args.db)
        try:
            summary = write_plan_calendar(session, plan.id, args.file)
        except PlanStateError as exc:
            raise PlanStateError(f"{args.db}: {exc}") from None
    _say(f"{args.file}: {summary.text()}.")
    return 0


def _add_plan_apply(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "apply", help="make a plan's assignments current (history kept)",
        description="Apply a draft plan: its people take their roles from the plan's "
                    "effective date; the previous holders' assignments end the day before.")
    parser.add_argument("name", metavar="NAME", help="the plan")
    _add_db(parser)
    parser.set_defaults(run=_run_plan_apply)


def _run_plan_apply(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    from studio_desk.store import plans
    from studio_desk.store.engine import open_workspace

    with open_workspace(path) as workspace:
        _daily_backup(workspace)
        with workspace.write() as session:
            plan = _plan_named(session, args.name, args.db)
            try:
                applied = plans.apply_plan(session, plan.id)
            except PlanStateError as exc:
                raise PlanStateError(f"{args.db}: {exc}") from None
    effective = applied.plan.effective_date
    _say(f"Applied “{applied.plan.name}” from {effective.isoformat() if effective else '?'}: "
         f"{applied.changed} role{'s' if applied.changed != 1 else ''} change hands, "
         f"{applied.unchanged} stay as they are.")
    return 0


def _section_list(text: str) -> tuple[str, ...]:
    """argparse type: sections of the printed plan, e.g. ``clients,calendar``."""
    from studio_desk.core.report import section_keys

    try:
        return section_keys(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_plan_print(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "print", help="typeset a plan as a PDF to print and hand out",
        description="Write the printed plan as a PDF: cover, summary, who does what, new "
                    "roles, client by client, the calendar, capacity before and after, "
                    "talking points; optionally a one-page brief per client. Needs no "
                    "display.")
    parser.add_argument("name", metavar="NAME", help="the plan")
    _add_db(parser)
    parser.add_argument("--out", metavar="FILE.pdf", required=True,
                        help="the PDF file to write (replaced if it exists)")
    parser.add_argument("--sections", type=_section_list, metavar="LIST",
                        help="only these sections, comma-separated, from: cover, summary, "
                             "responsibilities, roles, clients, calendar, capacity, "
                             "talking-points (default: all)")
    parser.add_argument("--client-briefs", action="store_true",
                        help="add a one-page brief per client for whoever tells it")
    parser.add_argument("--paper", choices=("a4", "letter"), default="a4",
                        help="paper size (default: a4)")
    parser.set_defaults(run=_run_plan_print)


def _use_offscreen_qt_without_display() -> None:
    """Typeset with Qt on a machine with no display (a server, CI, ssh)."""
    import os

    if (sys.platform.startswith(("linux", "freebsd", "openbsd"))
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _run_plan_print(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    _export_target(args.out, "the PDF")
    from studio_desk.core.report import SECTIONS, build_report
    from studio_desk.store.engine import open_workspace
    from studio_desk.store.report_data import gather_plan_facts, studio_name

    with open_workspace(path) as workspace, workspace.read() as session:
        plan = _plan_named(session, args.name, args.db)
        facts = gather_plan_facts(session, plan.id, studio=studio_name(path))
    content = build_report(facts, args.sections or SECTIONS,
                           client_briefs=args.client_briefs)
    # Qt only now, and only its GUI module: no window is ever shown.
    _use_offscreen_qt_without_display()
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication([APP_ID])
    from studio_desk.gui.printing.render import lay_out_plan, write_pdf

    pages = write_pdf(lay_out_plan(content, args.paper), args.out)
    del app
    _say(f"{args.out}: “{plan.name}”, {pages} page{'s' if pages != 1 else ''}.")
    return 0


def _add_plan_copy(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "copy", help="copy a plan (applied or not) into a new draft",
        description="Copy a plan into a new draft plan: the same team structure, effective "
                    "date, wizard pages, rows and client conversations, to change freely. "
                    "Without NEW_NAME the copy is called “NAME (copy)”.")
    parser.add_argument("name", metavar="NAME", help="the plan to copy")
    parser.add_argument("new_name", metavar="NEW_NAME", nargs="?",
                        help="the new plan's name (default: “NAME (copy)”)")
    _add_db(parser)
    parser.set_defaults(run=_run_plan_copy)


def _run_plan_copy(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    from studio_desk.store import plans
    from studio_desk.store.engine import open_workspace

    with open_workspace(path) as workspace:
        _daily_backup(workspace)
        with workspace.write() as session:
            plan = _plan_named(session, args.name, args.db)
            copy = plans.copy_plan(session, plan.id, args.new_name)
            roles = len(plans.plan_items(session, copy.id))
    _say(f"Copied “{plan.name}” into the draft “{copy.name}” ({roles} "
         f"role{'s' if roles != 1 else ''}).")
    return 0


def _add_plan_compare(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "compare", help="compare two plans row by row",
        description="Compare two plans: the roles whose person differs, then a summary; "
                    "--csv writes every role with both plans' people.")
    parser.add_argument("a", metavar="A", help="the first plan")
    parser.add_argument("b", metavar="B", help="the second plan")
    _add_db(parser)
    parser.add_argument("--csv", metavar="FILE", help="write every row to FILE as CSV")
    parser.set_defaults(run=_run_plan_compare)


def _columns(table: list[tuple[str, ...]]) -> None:
    """Print ``table`` (a header, then rows) in aligned columns."""
    widths = [max(len(row[c]) for row in table) for c in range(len(table[0]))]
    for row in table:
        _say("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


def _run_plan_compare(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    if args.csv is not None:
        _export_target(args.csv)
    from studio_desk.store import plans
    from studio_desk.store.engine import open_workspace

    with open_workspace(path) as workspace, workspace.read() as session:
        a = _plan_named(session, args.a, args.db)
        b = _plan_named(session, args.b, args.db)
        comparison = plans.compare_plans(session, a.id, b.id)
    differing = comparison.differing
    if differing:
        _columns([("Client", "Project", "Role", a.name, b.name)] + [
            (r.client, r.project or "", r.role_name, r.person_a or "—", r.person_b or "—")
            for r in differing])
        _say("")
    _say(comparison.summary + ".")
    if args.csv is not None:
        from studio_desk.core.csvio import write_csv

        rows = plans.comparison_rows_for_csv(comparison)
        write_csv(args.csv, plans.PLAN_COMPARE_COLUMNS, rows,
                  frozenset(plans.PLAN_COMPARE_COLUMNS))
        _say(f"{args.csv}: {len(rows)} rows written.")
    return 0


def _add_plan_review(verbs: argparse._SubParsersAction) -> None:
    parser = verbs.add_parser(
        "review", help="how the studio moved since an applied plan",
        description="Review an applied plan: the roles now held by someone other than "
                    "the plan set, each person's load the plan gave beside the one they "
                    "hold, then a summary.")
    parser.add_argument("name", metavar="NAME", help="the plan")
    _add_db(parser)
    _add_as_of(parser)
    parser.set_defaults(run=_run_plan_review)


def _run_plan_review(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    from studio_desk.store import plans
    from studio_desk.store.engine import open_workspace

    with open_workspace(path) as workspace, workspace.read() as session:
        plan = _plan_named(session, args.name, args.db)
        try:
            review = plans.plan_review(session, plan.id, args.as_of)
        except PlanStateError as exc:
            raise PlanStateError(f"{args.db}: {exc}") from None
    if review.changed:
        _columns([("Client", "Project", "Role", "In the plan", "Now")] + [
            (r.client, r.project or "", r.role_name, r.planned or "—", r.now or "—")
            for r in review.changed])
        _say("")
    moved = [p for p in review.people if p.differs]
    if moved:
        _columns([("Person", "In the plan", "Now")] + [
            (p.person, p.planned.text(), p.now.text()) for p in moved])
        _say("")
    _say(review.summary + ".")
    return 0


#: The verbs of ``plan``, in the order ``plan --help`` lists them.
PLAN_COMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    _add_plan_propose, _add_plan_copy, _add_plan_compare, _add_plan_export,
    _add_plan_calendar, _add_plan_apply, _add_plan_print, _add_plan_review)


# --- the parser and main -------------------------------------------------------------------

#: Every command, in the order ``--help`` lists them.
COMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    _add_demo, _add_new, _add_import, _add_export, _add_capacity, _add_plan, _add_check,
    _add_restore)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; see DESIGN §7."""
    parser = argparse.ArgumentParser(
        prog=APP_ID,
        description="Studio Desk: clients, projects and people of a small studio. "
                    "Without a command, opens the window.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", metavar="PATH",
                        help="the workspace file (default: the one in your data folder)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS:
        add(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: the process's arguments)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None:
        from studio_desk.app import run_window

        return run_window(Path(args.db) if args.db else None)
    run: Command = args.run
    try:
        return run(args)
    except UsageError as exc:
        _say(f"{APP_ID} {args.command}: error: " + " ".join(str(exc).split()), sys.stderr)
        return 2
    except StudioDeskError as exc:
        _say(_error_line(str(exc)), sys.stderr)
        return 1
    except OSError as exc:
        # A CSV file that cannot be written, a folder that does not exist, a full disk.
        where = exc.filename if exc.filename is not None else ""
        reason = exc.strerror or str(exc)
        _say(_error_line(f"{where}: {reason}." if where else f"{reason}."), sys.stderr)
        return 1
    except KeyboardInterrupt:
        _say(_error_line("interrupted; nothing was saved by the unfinished command."),
             sys.stderr)
        return 130
