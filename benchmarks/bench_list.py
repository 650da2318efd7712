"""How long listing every project takes, against a raw ``sqlite3`` fetch of the same rows.

Builds a workspace with ``--projects`` projects (bulk Core inserts, nothing else in the
way), then times, in the same run and on the same file:

* the baseline: Python's ``sqlite3`` module running the very SQL that
  ``records.list_query("project")`` compiles to, fetching every row as tuples;
* ``records.list_rows(session, "project")``: what the Projects view and the command line
  read, frozen ``ProjectRow`` records with dates as dates;
* for reference, the plain way to get the same rows (``session.execute`` of the same
  query, ``ProjectRow(*row)`` per row), to show what ``list_rows``' fast path saves.

Each is the best of five runs, taking turns; the goal is ``list_rows`` within 2x of the
baseline.

    python benchmarks/bench_list.py [--projects N] [--keep PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402
from sqlalchemy.dialects import sqlite as sqlite_dialect  # noqa: E402

from studio_desk.core.fields import PROJECT_STATUSES  # noqa: E402
from studio_desk.core.rows import ProjectRow  # noqa: E402
from studio_desk.core.rules import name_key  # noqa: E402
from studio_desk.store import records  # noqa: E402
from studio_desk.store.engine import open_workspace  # noqa: E402
from studio_desk.store.models import Client, Person, Project  # noqa: E402

GOAL_RATIO = 2.0
REPEATS = 5
#: The process's CPU time: all of the work here is CPU (the file is in the page cache), and
#: unlike wall time it does not count the moments another program had the processor.
CLOCK = time.process_time
PEOPLE = 40
PROJECTS_PER_CLIENT = 50
BATCH = 10_000


def build_workspace(path: Path, projects: int) -> None:
    """A workspace with ``projects`` projects spread over clients and 40 managers."""
    clients = max(1, projects // PROJECTS_PER_CLIENT)
    workspace = open_workspace(path, create=True, who="benchmark")
    try:
        with workspace.write() as session:
            session.execute(insert(Person.__table__), [
                {"name": f"Person {i:03d}", "name_key": name_key(f"Person {i:03d}"),
                 "weekly_hours": 40.0, "max_active_projects": 6,
                 "max_backburner_projects": 15, "max_clients": 12, "client_facing": i % 6,
                 "head_down": (i * 7) % 6, "active": True, "version": 1}
                for i in range(1, PEOPLE + 1)])
            session.execute(insert(Client.__table__), [
                {"name": f"Client {i:05d}", "name_key": name_key(f"Client {i:05d}"),
                 "industry": "Retail", "version": 1}
                for i in range(1, clients + 1)])
            person_ids = list(session.scalars(select(Person.id)))
            client_ids = list(session.scalars(select(Client.id)))
            first_day = dt.date(2026, 1, 5)
            for start in range(0, projects, BATCH):
                batch = []
                for i in range(start, min(start + BATCH, projects)):
                    begins = first_day + dt.timedelta(days=i % 365)
                    batch.append({
                        "client_id": client_ids[i % len(client_ids)],
                        "name": f"Project {i:07d}",
                        "name_key": name_key(f"Project {i:07d}"),
                        "code": f"P-{i:07d}",
                        "status": PROJECT_STATUSES[i % len(PROJECT_STATUSES)],
                        # Every tenth project has no dates, every seventh no manager:
                        # the NULL paths are timed too.
                        "start": None if i % 10 == 0 else begins,
                        "due": None if i % 10 == 0 else begins + dt.timedelta(days=90),
                        "budget": float(1000 + i % 50_000),
                        "estimated_hours": float(10 + i % 300),
                        "technical_complexity": 1 + i % 5,
                        "communication_load": 1 + (i // 5) % 5,
                        "lead_type": "balanced" if i % 11 == 0 else None,
                        "manager_id": None if i % 7 == 0 else person_ids[i % len(person_ids)],
                        "version": 1,
                    })
                session.execute(insert(Project.__table__), batch)
    finally:
        workspace.close()


def best_times(actions: dict[str, Callable[[], int]],
               repeats: int = REPEATS) -> dict[str, tuple[float, int]]:
    """The fastest of ``repeats`` runs of each action (seconds) and the rows it returned.

    The actions take turns, so a busy moment on the machine hits them alike.
    """
    best = {name: (float("inf"), 0) for name in actions}
    for _ in range(repeats):
        for name, action in actions.items():
            gc.collect()
            began = CLOCK()
            count = action()
            elapsed = CLOCK() - began
            best[name] = (min(best[name][0], elapsed), count)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the workspace here (or reuse it)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "bench.studiodesk"
        if not path.exists():
            began = time.perf_counter()
            build_workspace(path, args.projects)
            print(f"built {args.projects:,} projects in {time.perf_counter() - began:.1f} s")

        query = records.list_query("project")
        sql = str(query.compile(dialect=sqlite_dialect.dialect()))
        raw = sqlite3.connect(path)
        workspace = open_workspace(path, who="benchmark")
        try:
            def baseline() -> int:
                return len(raw.execute(sql).fetchall())

            def listed() -> int:
                with workspace.read() as session:
                    return len(records.list_rows(session, "project"))

            def plain() -> int:
                with workspace.read() as session:
                    return len([ProjectRow(*r) for r in session.execute(query)])

            times = best_times({"baseline": baseline, "list_rows": listed, "plain": plain})
        finally:
            workspace.close()
            raw.close()

    counts = {name: count for name, (_t, count) in times.items()}
    if len(set(counts.values())) != 1:
        print(f"row counts differ: {counts}")
        return 1
    raw_time, list_time, plain_time = (times[n][0] for n in ("baseline", "list_rows", "plain"))
    ratio = list_time / raw_time
    print(f"rows listed:                      {counts['list_rows']:,}")
    print(f"raw sqlite3 fetch (baseline):     {raw_time * 1000:8.1f} ms")
    print(f"records.list_rows:                {list_time * 1000:8.1f} ms")
    print(f"  for reference, session.execute + ProjectRow(*row): "
          f"{plain_time * 1000:.1f} ms ({plain_time / raw_time:.2f}x)")
    verdict = "met" if ratio <= GOAL_RATIO else "NOT met"
    print(f"ratio: {ratio:.2f}x (goal <= {GOAL_RATIO:g}x: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
