"""The ``studio-desk`` command line (DESIGN §7): the window, and scriptable commands.

Exit codes: 0 success, 1 a user error (one line on stderr naming the file, row and
column), 2 wrong usage (argparse's own message). A user error never shows a traceback.

The commands import the workspace code only when they run, and never Qt, so they start
fast and work on machines without a display. Each command is one ``_add_*`` function
that declares its arguments and the function that runs it; a new command is one more.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from studio_desk import APP_ID, __version__
from studio_desk.core.errors import StudioDeskError, UsageError

_IMPORT_KINDS = ("people", "clients", "projects", "relationships")
_EXPORT_KINDS = ("people", "clients", "projects", "assignments")

Command = Callable[[argparse.Namespace], int]


def _say(message: str, stream: TextIO | None = None) -> None:
    print(message, file=stream or sys.stdout)


def _error_line(message: str) -> str:
    """One line, however the message was built (a cell may hold a line break)."""
    return f"{APP_ID}: error: " + " ".join(message.split())


def _workspace_path(args: argparse.Namespace) -> Path:
    """The ``--db`` the command needs: an existing workspace file (never created here)."""
    db: str | None = getattr(args, "db", None)
    if not db:
        raise UsageError(f"{args.command} needs --db PATH naming the workspace.")
    if "://" in db:
        raise StudioDeskError(f"{db}: server workspaces (database URLs) are not supported "
                              "yet; name a workspace file.")
    return Path(db)


def _non_negative(text: str) -> int:
    """argparse type: a whole number 0 or more."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"{number} is negative")
    return number


def _add_db(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS keeps a subcommand from overwriting a --db given before the subcommand.
    parser.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="the workspace file")


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
    parser.set_defaults(run=_run_demo)


def _run_demo(args: argparse.Namespace) -> int:
    from studio_desk.store.demo import build_demo, demo_sizes

    people, clients, projects = demo_sizes(args.projects, args.people, args.clients)
    if projects and not clients:
        raise UsageError("--clients 0 leaves the demo's projects without a client; "
                         "give at least one client.")
    counts = build_demo(args.path, people=people, clients=clients, projects=projects,
                        seed=args.seed)
    _say(f"Created {Path(args.path)}: {counts['person']} people, {counts['client']} clients, "
         f"{counts['project']} projects, {counts['relationship']} relationships, "
         f"{counts['assignment']} assignments.")
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


# --- import / export -----------------------------------------------------------------------

def _add_import(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "import", help="add or update records from a CSV file (all rows or none)",
        description="Import a CSV file into a workspace. A name that exists updates that "
                    "record; any bad row means nothing is imported.")
    parser.add_argument("kind", choices=_IMPORT_KINDS)
    parser.add_argument("file", metavar="FILE.csv")
    _add_db(parser)
    parser.add_argument("--dry-run", action="store_true",
                        help="check the file and report what would change; save nothing")
    parser.set_defaults(run=_run_import)


def _run_import(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    from studio_desk.core.csvio import read_csv
    from studio_desk.store.engine import check_workspace_file, open_workspace
    from studio_desk.store.transfer import import_rows

    check_workspace_file(Path(path).expanduser().absolute())  # before reading a big file
    table = read_csv(args.file, args.kind)
    with open_workspace(path) as workspace:
        session_of = workspace.read if args.dry_run else workspace.write
        with session_of() as session:
            summary = import_rows(session, args.kind, table, dry_run=args.dry_run)
    _say(summary.describe(args.file, dry_run=args.dry_run))
    return 0


def _add_export(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "export", help="write records to a CSV file (UTF-8, opens in spreadsheets)",
        description="Export a workspace's records to a CSV file.")
    parser.add_argument("kind", choices=_EXPORT_KINDS)
    parser.add_argument("file", metavar="FILE.csv")
    _add_db(parser)
    parser.set_defaults(run=_run_export)


def _run_export(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    from studio_desk.core.csvio import EXPORT_COLUMNS, text_columns, write_csv
    from studio_desk.store.engine import open_workspace
    from studio_desk.store.transfer import export_rows

    with open_workspace(path) as workspace, workspace.read() as session:
        rows = export_rows(session, args.kind)
    write_csv(args.file, EXPORT_COLUMNS[args.kind], rows, text_columns(args.kind))
    _say(f"{args.file}: {len(rows)} {args.kind} exported.")
    return 0


# --- the parser and main -------------------------------------------------------------------

#: Every command, in the order ``--help`` lists them.
COMMANDS: tuple[Callable[[argparse._SubParsersAction], None], ...] = (
    _add_demo, _add_import, _add_export, _add_check)


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
