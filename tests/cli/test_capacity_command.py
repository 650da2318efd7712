"""``studio-desk capacity``: the per-person table, and the same figures as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from studio_desk.store import records
from studio_desk.store.engine import Workspace
from studio_desk.store.models import Assignment, Role
from tests.cli.test_cli_commands import assert_one_line_error, rows_of, studio_desk

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = ["person", "active_projects", "max_active_projects", "backburner_projects",
           "max_backburner_projects", "clients", "max_clients", "weekly_hours",
           "allocated_hours", "utilisation_percent", "overallocated"]


@pytest.fixture
def busy_studio(small_studio: Workspace) -> Path:
    """The small studio with Ben over his hours and Cara holding a client she may not."""
    with small_studio.write() as s:
        # 300 h with no dates: 25 h a week on top of the web shop's 10 (Ben has 32).
        records.add_record(s, "project", {"client": "Borealis Bank", "name": "Borealis app",
                                          "status": "active", "estimated_hours": 300,
                                          "manager": "Ben Ode"})
        cara = records.find_id(s, "person", "Cara Li")
        records.update_record(s, "person", cara, 1, {"max_clients": 0})
        records.add_record(s, "person", {"name": "=HYPERLINK(1)", "weekly_hours": 20})
        role = s.scalar(select(Role.id).where(Role.key == "account_manager"))
        for client, person in (("Acme Foods", "Ana Ruiz"), ("Borealis Bank", "Ana Ruiz"),
                               ("Cobalt Museum", "Cara Li")):
            s.add(Assignment(role_id=role, person_id=records.find_id(s, "person", person),
                             client_id=records.find_id(s, "client", client),
                             start=dt.date(2025, 1, 6)))
    return small_studio.path


def test_capacity_prints_every_person_against_every_limit(busy_studio: Path,
                                                          tmp_path: Path) -> None:
    result = studio_desk("capacity", "--db", busy_studio, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["Person", "Active", "Back-burner", "Clients"]
    rows = {line.split("  ")[0].strip(): line for line in lines[2:-2]}
    assert list(rows) == ["=HYPERLINK(1)", "Ana Ruiz", "Ben Ode", "Cara Li"]
    assert rows["Ana Ruiz"].split()[2:7] == ["1/6", "1/15", "2/12", "5/40", "12"]
    assert rows["Ben Ode"].split()[2:7] == ["2/6", "0/15", "0/12", "35/32", "109"]
    assert rows["Ben Ode"].endswith("yes: 35.0 hours a week (has 32)")
    assert rows["Cara Li"].endswith("yes: 1 client (limit 0)")
    assert rows["Ana Ruiz"].endswith("no")
    # Columns line up: every row's "%" sits under the same place.
    assert len({line.index("%") for line in lines[2:-2] + [lines[-1]]}) == 1
    assert lines[-1].split()[:2] == ["Studio", "3/24"]
    assert lines[-1].endswith("2 of 4")


def test_capacity_csv_has_exactly_the_design_columns(busy_studio: Path,
                                                     tmp_path: Path) -> None:
    result = studio_desk("capacity", "--db", busy_studio, "--csv", "load.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "load.csv: 4 people written."
    with (tmp_path / "load.csv").open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == COLUMNS
    rows = {row["person"]: row for row in rows_of(tmp_path / "load.csv")}
    assert rows["Ben Ode"] == {
        "person": "Ben Ode", "active_projects": "2", "max_active_projects": "6",
        "backburner_projects": "0", "max_backburner_projects": "15", "clients": "0",
        "max_clients": "12", "weekly_hours": "32", "allocated_hours": "35",
        "utilisation_percent": "109.4", "overallocated": "yes"}
    assert rows["Ana Ruiz"]["clients"] == "2"
    assert rows["Ana Ruiz"]["overallocated"] == "no"
    assert rows["Cara Li"]["overallocated"] == "yes"
    # A name a spreadsheet would run as a formula is written to be read as text.
    assert "'=HYPERLINK(1)" in rows


def test_capacity_of_an_empty_workspace(workspace: Workspace, tmp_path: Path) -> None:
    result = studio_desk("capacity", "--db", workspace.path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no active people yet" in result.stdout
    written = studio_desk("capacity", "--db", workspace.path, "--csv", "empty.csv",
                          cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert rows_of(tmp_path / "empty.csv") == []


def test_capacity_errors_are_one_line(small_studio: Workspace, tmp_path: Path) -> None:
    no_db = studio_desk("capacity", cwd=tmp_path)
    assert "--db" in assert_one_line_error(no_db, code=2)
    missing = studio_desk("capacity", "--db", "nowhere.studiodesk", cwd=tmp_path)
    assert "nowhere.studiodesk" in assert_one_line_error(missing)
    no_folder = studio_desk("capacity", "--db", small_studio.path, "--csv",
                            "no/such/folder/load.csv", cwd=tmp_path)
    assert "no/such/folder/load.csv" in assert_one_line_error(no_folder)


def test_capacity_needs_neither_qt_nor_the_optimiser(busy_studio: Path,
                                                     tmp_path: Path) -> None:
    """The command starts fast: it loads no window code and no numerical libraries."""
    script = ("import sys; from studio_desk.cli import main; "
              f"code = main(['capacity', '--db', {str(busy_studio)!r}]); "
              "print(sorted(m for m in ('PySide6', 'scipy', 'numpy') if m in sys.modules)); "
              "sys.exit(code)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
