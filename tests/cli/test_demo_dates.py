"""``studio-desk demo --today``: a demo studio that reads true on the day it is dated
around, the same studio for the same seed and day, and a clear line for a bad day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from studio_desk.core.load import StudioLoad
from studio_desk.core.rows import ProjectRow
from studio_desk.store import records
from studio_desk.store.engine import open_workspace
from studio_desk.store.load_data import read_studio_load
from tests.helpers.cli import ok, one_line_error, studio_desk

DAY = dt.date(2027, 5, 10)
#: How late an active project may be on the demo's day: a week or two, as in life.
MARGIN = dt.timedelta(days=21)


def projects_and_load(path: Path, day: dt.date) -> tuple[list[ProjectRow], StudioLoad]:
    with open_workspace(path) as workspace, workspace.read() as s:
        projects = [r for r in records.list_rows(s, "project") if isinstance(r, ProjectRow)]
        return projects, read_studio_load(s, day)


def assert_reads_true_on(path: Path, day: dt.date) -> None:
    """Active projects are due ahead of ``day`` (a few a little late, most not), and the
    12 weeks from ``day`` carry hours that rise and fall, not one flat figure."""
    projects, load = projects_and_load(path, day)
    active = [p for p in projects if p.status == "active"]
    assert len(active) >= 10
    assert all(p.due is not None and p.due >= day - MARGIN for p in active)
    late = [p for p in active if p.due is not None and p.due < day]
    assert len(late) < len(active) / 4
    hours = [week.allocated_hours for week in load.week_totals]
    assert len(hours) == 12
    assert sum(h > 0 for h in hours) >= 8  # several weeks carry hours
    assert len({round(h) for h in hours}) >= 3  # and they change as projects come and go


def test_a_demo_dated_around_a_day_reads_true_on_that_day(tmp_path: Path) -> None:
    out = ok(studio_desk("demo", "w.studiodesk", "--today", DAY.isoformat(), cwd=tmp_path))
    assert "12 people, 30 clients, 80 projects" in out
    assert_reads_true_on(tmp_path / "w.studiodesk", DAY)
    # Dated the old way, around March 2026, every project would be long late by now.
    projects, _ = projects_and_load(tmp_path / "w.studiodesk", DAY)
    assert all(p.start is None or p.start > dt.date(2026, 6, 1) for p in projects
               if p.status in ("active", "pitch"))


def test_without_today_the_demo_is_dated_around_the_clocks_day(tmp_path: Path) -> None:
    before = dt.date.today()
    ok(studio_desk("demo", "w.studiodesk", "--seed", "3", cwd=tmp_path))
    after = dt.date.today()
    # Built around ``before`` or, just past midnight, ``after``: it reads true on both.
    assert_reads_true_on(tmp_path / "w.studiodesk", before)
    if after != before:
        assert_reads_true_on(tmp_path / "w.studiodesk", after)


def test_the_same_seed_and_day_give_the_same_workspace(tmp_path: Path) -> None:
    for name, seed, day in (("a", "4", DAY), ("b", "4", DAY), ("c", "5", DAY),
                            ("d", "4", DAY + dt.timedelta(days=7))):
        ok(studio_desk("demo", f"{name}.studiodesk", "--seed", seed, "--today",
                       day.isoformat(), "--projects", "40", cwd=tmp_path))
    first, same, other_seed, other_day = (
        (tmp_path / f"{n}.studiodesk").read_bytes() for n in "abcd")
    assert first == same
    assert first != other_seed
    assert first != other_day
    # A week later, the same studio a week on: the same projects, every date moved.
    a, _ = projects_and_load(tmp_path / "a.studiodesk", DAY)
    d, _ = projects_and_load(tmp_path / "d.studiodesk", DAY)
    assert [(p.name, p.status) for p in a] == [(p.name, p.status) for p in d]
    week = dt.timedelta(days=7)
    assert [(p.start and p.start + week, p.due and p.due + week) for p in a] == [
        (p.start, p.due) for p in d]


@pytest.mark.parametrize(("today", "why"), [
    ("10/05/2027", "YYYY-MM-DD"),
    ("next week", "YYYY-MM-DD"),
    ("2027-02-30", "not a day of the calendar"),
    ("", "YYYY-MM-DD"),
    ("0001-01-01", "too far off"),
])
def test_a_bad_today_is_one_line_of_usage_and_makes_no_file(tmp_path: Path, today: str,
                                                            why: str) -> None:
    message = one_line_error(studio_desk("demo", "w.studiodesk", "--today", today,
                                         cwd=tmp_path), code=2)
    assert message.startswith("studio-desk demo: error: --today") and why in message
    assert list(tmp_path.iterdir()) == []
