"""The demo studio: the same file for the same seed, a studio that looks real, any size."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, select

from studio_desk.core.errors import WorkspaceError
from studio_desk.core.rows import PersonRow, ProjectRow
from studio_desk.store import records
from studio_desk.store.demo import build_demo, demo_sizes
from studio_desk.store.engine import open_workspace
from studio_desk.store.health import check_workspace
from studio_desk.store.load_data import read_studio_load
from studio_desk.store.models import Assignment, Client, Project, Relationship, Role

#: A day to date the demos of these tests around (a Monday).
DAY = dt.date(2027, 5, 10)


def test_same_seed_gives_the_same_file_and_another_seed_another(tmp_path: Path) -> None:
    first, second, other, later = (tmp_path / n for n in (
        "a.studiodesk", "b.studiodesk", "c.studiodesk", "d.studiodesk"))
    build_demo(first, seed=7, today=DAY)
    build_demo(second, seed=7, today=DAY)
    build_demo(other, seed=8, today=DAY)
    build_demo(later, seed=7, today=DAY + dt.timedelta(days=1))
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    assert first.read_bytes() != later.read_bytes()  # the dates follow the day


def test_the_demo_is_dated_around_its_day(tmp_path: Path) -> None:
    """Open projects are current on the demo's day: active ones started lately and due
    ahead (a few a little late), paused ones due ahead, pitches to come, done ones past;
    and the weeks ahead carry hours that change as projects start and finish."""
    path = tmp_path / "demo.studiodesk"
    build_demo(path, today=DAY)
    with open_workspace(path) as ws, ws.read() as s:
        projects = [r for r in records.list_rows(s, "project") if isinstance(r, ProjectRow)]
        since = [d for d in s.scalars(select(Relationship.since)) if d is not None]
        starts = [d for d in s.scalars(select(Assignment.start)) if d is not None]
        weeks = [w.allocated_hours for w in read_studio_load(s, DAY).week_totals]

    def of(status: str) -> list[ProjectRow]:
        return [p for p in projects if p.status == status]

    active = of("active")
    assert active and all(p.start is not None and p.due is not None for p in active)
    assert all(DAY - dt.timedelta(days=150) <= p.start <= DAY + dt.timedelta(days=60)
               for p in active if p.start)
    assert all(p.due >= DAY - dt.timedelta(days=14) for p in active if p.due)
    late = [p for p in active if p.due and p.due < DAY]
    assert len(late) < len(active) / 5
    assert sum(p.due < DAY + dt.timedelta(weeks=12) for p in active if p.due) >= 3
    for status in ("back-burner", "on-hold"):
        assert all(p.start and p.start < DAY for p in of(status))
        assert all(p.due is None or p.due > DAY for p in of(status))
    assert all(p.start is None or p.start > DAY for p in of("pitch"))
    assert all(p.due and p.due < DAY for p in of("done") + of("cancelled"))
    assert all(day <= DAY for day in since + starts)
    assert max(since) > DAY - dt.timedelta(days=365)

    assert sum(hours > 0 for hours in weeks) >= 10
    assert len({round(hours) for hours in weeks}) >= 4  # not flat


def test_default_demo_is_a_plausible_studio(tmp_path: Path) -> None:
    path = tmp_path / "demo.studiodesk"
    counts = build_demo(path)
    assert counts["person"] == 12 and counts["client"] == 30 and counts["project"] == 80
    assert check_workspace(path).ok
    with open_workspace(path) as ws, ws.read() as s:
        people = [r for r in records.list_rows(s, "person") if isinstance(r, PersonRow)]
        projects = [r for r in records.list_rows(s, "project") if isinstance(r, ProjectRow)]
        clients = records.list_rows(s, "client")
        relationships = records.list_rows(s, "relationship")
        current = s.execute(select(Role.key, Assignment.person_id, Assignment.client_id,
                                   Assignment.project_id)
                            .join(Role, Assignment.role_id == Role.id)
                            .where(Assignment.end.is_(None))).all()
        project_managers = dict(s.execute(select(Project.id, Project.manager_id)).all())
        client_ids = set(s.scalars(select(Client.id)))

    assert sum(not p.name.isascii() for p in people) >= 1  # names from many places
    assert len({p.title for p in people}) >= 6
    assert any(p.weekly_hours < 40 and p.weekly_hours != 37.5 for p in people)  # part-time
    assert len({(p.client_facing, p.head_down) for p in people}) >= 4
    assert len({c.values()["industry"] for c in clients}) >= 5

    statuses = Counter(p.status for p in projects)
    assert statuses["active"] + statuses["back-burner"] > len(projects) / 2
    assert {"pitch", "on-hold", "done"} <= set(statuses)
    running = [p for p in projects if p.status in ("active", "back-burner")]
    unmanaged = [p for p in running if p.manager is None]
    assert 0 < len(unmanaged) < len(running) / 4  # a few for the dashboard to flag
    assert all(p.code and p.technical_complexity and p.communication_load for p in projects)
    assert all(p.due is None or p.start is None or p.due >= p.start for p in projects)
    assert len(relationships) >= len(clients) // 2
    assert {r.values()["strength"] for r in relationships} == {1, 2, 3}

    account = Counter(client for role, _p, client, _pr in current if role == "account_manager")
    assert set(account) <= client_ids and len(account) > 0.7 * len(client_ids)
    assert max(account.values()) == 1  # one current Account Manager per client
    production = {project: person for role, person, _c, project in current
                  if role == "production_manager"}
    assert production == {pid: m for pid, m in project_managers.items() if m is not None}


def test_existing_path_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.studiodesk"
    path.write_text("my notes")
    with pytest.raises(WorkspaceError, match="already exists"):
        build_demo(path)
    assert path.read_text() == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.studiodesk"]


def test_sizes_not_given_grow_with_the_projects() -> None:
    assert demo_sizes() == (12, 30, 80)
    assert demo_sizes(100_000) == (15_000, 37_500, 100_000)
    assert demo_sizes(100_000, people=40) == (40, 37_500, 100_000)


def test_twenty_thousand_projects_are_built_in_bulk(tmp_path: Path) -> None:
    # How long it takes is benchmarks/run.py's business; here, that the rows go in as a
    # few executemany statements (one per table) and not one statement per row.
    path = tmp_path / "big.studiodesk"
    people, clients, projects = demo_sizes(20_000)
    inserts: list[str] = []

    def count_inserts(_conn, _cursor, statement, _parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("INSERT"):
            inserts.append(statement)

    event.listen(Engine, "before_cursor_execute", count_inserts)
    try:
        counts = build_demo(path, people=people, clients=clients, projects=projects)
    finally:
        event.remove(Engine, "before_cursor_execute", count_inserts)
    assert counts["project"] == 20_000 and counts["client"] == clients
    with open_workspace(path) as ws, ws.read() as s:
        assert records.count_rows(s)["project"] == 20_000
        names = records.names(s, "project")
    assert len(set(names)) == 20_000
    assert sum(counts.values()) > 40_000 and len(inserts) < 100, \
        f"{len(inserts)} INSERT statements for {sum(counts.values()):,} rows"


def test_check_reports_counts_and_each_kind_of_problem(tmp_path: Path) -> None:
    path = tmp_path / "demo.studiodesk"
    counts = build_demo(path, people=4, clients=5, projects=9)
    before = path.read_bytes()
    report = check_workspace(path)
    assert report.ok and report.problems == ()
    assert report.counts == counts
    assert path.read_bytes() == before  # a check only reads

    truncated = tmp_path / "copy.studiodesk"
    truncated.write_bytes(before[: len(before) // 2])
    damaged = check_workspace(truncated)
    assert not damaged.ok and "damaged" in damaged.problems[0]
    assert truncated.read_bytes() == before[: len(before) // 2]

    # A project pointing at a client that is gone: only foreign_key_check sees it.
    raw = sqlite3.connect(path)
    raw.execute("UPDATE project SET client_id = 999 WHERE id = 1")  # foreign keys are off
    raw.commit()
    raw.close()
    broken = check_workspace(path)
    assert not broken.ok and not broken.integrity
    assert broken.foreign_keys == ("project row 1 points to a missing client",)
    assert "Foreign keys: 1 problem(s)" in broken.lines()
