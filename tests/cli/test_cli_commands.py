"""The command line as scripts use it: real processes, exit codes, one-line messages.

Exit 0 on success, 1 on a user error with one line on stderr naming the file (and row
and column for a CSV), 2 on wrong usage; never a traceback for the world's fault.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.cli import ROOT, rows_of, studio_desk
from tests.helpers.cli import one_line_error as assert_one_line_error


def test_demo_then_check_reports_a_healthy_workspace(tmp_path: Path) -> None:
    made = studio_desk("demo", "w.studiodesk", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "12 people, 30 clients, 80 projects" in made.stdout
    checked = studio_desk("check", "--db", "w.studiodesk", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    report = checked.stdout.splitlines()
    for expected in ("Integrity: ok", "Foreign keys: ok", "People: 12", "Clients: 30",
                     "Projects: 80", "Result: healthy"):
        assert expected in report
    assert any(line.startswith("Schema version: ") for line in report)

    again = studio_desk("demo", "w.studiodesk", cwd=tmp_path)
    assert "already exists" in assert_one_line_error(again)


def test_check_refuses_a_text_file_and_leaves_it_byte_for_byte(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    content = b"# Our studio\n\nClients to call back: Acme, Borealis.\n" * 50
    readme.write_bytes(content)
    result = studio_desk("check", "--db", "README.md", cwd=tmp_path)
    line = assert_one_line_error(result)
    assert "README.md" in line and "not a Studio Desk workspace" in line
    assert readme.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]  # no journal left


def test_wrong_usage_exits_2(tmp_path: Path) -> None:
    unknown = studio_desk("import", "invoices", "x.csv", "--db", "w.studiodesk", cwd=tmp_path)
    assert unknown.returncode == 2
    assert "invalid choice" in unknown.stderr and "Traceback" not in unknown.stderr
    no_db = studio_desk("export", "people", "people.csv", cwd=tmp_path)
    assert "--db" in assert_one_line_error(no_db, code=2)


def test_import_into_a_missing_workspace_creates_it_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text("name\nAna Ruiz\n", encoding="utf-8")
    result = studio_desk("import", "people", "people.csv", "--db", "new.studiodesk",
                         cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Created new workspace new.studiodesk." in result.stdout
    exported = studio_desk("export", "people", "out.csv", "--db", "new.studiodesk",
                           cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "Ana Ruiz" in (tmp_path / "out.csv").read_text(encoding="utf-8")


def test_a_refused_import_into_a_missing_workspace_leaves_no_file(tmp_path: Path) -> None:
    """All or nothing includes the file itself: a bad first import creates no workspace."""
    (tmp_path / "people.csv").write_text("name,weekly_hours\nAna Ruiz,lots\n",
                                         encoding="utf-8")
    result = studio_desk("import", "people", "people.csv", "--db", "new.studiodesk",
                         cwd=tmp_path)
    assert "weekly_hours" in assert_one_line_error(result)
    assert not (tmp_path / "new.studiodesk").exists()


def test_csv_round_trip_through_the_command_line(tmp_path: Path) -> None:
    """A workspace built only from CSV files exports the same rows back."""
    files = {
        "people": "name,email,title,weekly_hours,max_active_projects,"
                  "max_backburner_projects,max_clients,client_facing,head_down\n"
                  "Zoë Fischer,zoe@studio.example,Producer,32,4,10,8,5,1\n"
                  "Kwame Mensah,,Developer,40,6,15,12,1,5\n",
        "clients": "name,industry,contact_name,contact_email,contact_phone,notes\n"
                   "Café Lumière,Hospitality,Ines Dias,ines@lumiere.example,"
                   "'+44 20 7946 0123,\"Two lines\nof notes, with a comma\"\n"
                   "'=Acme Ltd,Retail,,,,\n",  # exported neutralised, imported as typed
        "projects": "client,name,code,status,start,due,budget,estimated_hours,"
                    "technical_complexity,communication_load,manager\n"
                    "Café Lumière,Lumière booking app,LUM-01,active,2026-01-05,2026-03-29,"
                    "48000,400,5,2,Kwame Mensah\n"
                    "'=Acme Ltd,Acme spring campaign,ACM-01,back-burner,,,,,2,5,\n",
        "relationships": "person,client,strength,since\nZoë Fischer,Café Lumière,3,2023-04-01\n",
    }
    for kind, text in files.items():
        (tmp_path / f"{kind}.csv").write_bytes(text.encode("utf-8-sig"))
    made = studio_desk("demo", "w.studiodesk", "--people", "0", "--clients", "0",
                       "--projects", "0", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    for kind in files:
        result = studio_desk("import", kind, f"{kind}.csv", "--db", "w.studiodesk",
                             cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "added" in result.stdout
    for kind in ("people", "clients", "projects"):
        result = studio_desk("export", kind, f"out-{kind}.csv", "--db", "w.studiodesk",
                             cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        expected = list(csv.DictReader(io.StringIO(files[kind], newline="")))
        key = "name"
        assert sorted(rows_of(tmp_path / f"out-{kind}.csv"), key=lambda r: r[key]) == \
            sorted(expected, key=lambda r: r[key])


def test_bad_csv_names_file_row_and_column_and_imports_nothing(tmp_path: Path) -> None:
    assert studio_desk("demo", "w.studiodesk", "--projects", "0", "--clients", "3",
                       "--people", "3", cwd=tmp_path).returncode == 0
    (tmp_path / "people.csv").write_text(
        "name;weekly_hours\nNew Person;30\nOther Person;thirty\n", encoding="utf-8")
    result = studio_desk("import", "people", "people.csv", "--db", "w.studiodesk",
                         cwd=tmp_path)
    line = assert_one_line_error(result)
    assert "people.csv, row 3, column weekly_hours" in line
    checked = studio_desk("check", "--db", "w.studiodesk", cwd=tmp_path)
    assert "People: 3" in checked.stdout  # the good first row was not imported either

    (tmp_path / "latin.csv").write_bytes("name\nJosé Martínez\n".encode("latin-1"))
    latin = studio_desk("import", "people", "latin.csv", "--db", "w.studiodesk",
                        cwd=tmp_path)
    assert "UTF-8" in assert_one_line_error(latin)


def test_dry_run_reports_and_saves_nothing(tmp_path: Path) -> None:
    assert studio_desk("demo", "w.studiodesk", "--projects", "0", "--clients", "0",
                       "--people", "0", cwd=tmp_path).returncode == 0
    (tmp_path / "clients.csv").write_text("name\nAcme\nBorealis\n", encoding="utf-8")
    before = (tmp_path / "w.studiodesk").read_bytes()
    result = studio_desk("import", "clients", "clients.csv", "--db", "w.studiodesk",
                         "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 added" in result.stdout and "nothing was saved" in result.stdout
    assert (tmp_path / "w.studiodesk").read_bytes() == before


def test_commands_do_not_load_qt(tmp_path: Path) -> None:
    """So they start fast and run on a server with no display."""
    script = ("import sys\nfrom studio_desk.cli import main\n"
              "code = main(['demo', 'w.studiodesk', '--projects', '5'])\n"
              "code += main(['check', '--db', 'w.studiodesk'])\n"
              "print('QT LOADED' if any(m.startswith('PySide6') for m in sys.modules) "
              "else 'no qt')\nsys.exit(code)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("no qt")


def test_help_exits_0(tmp_path: Path) -> None:
    result = studio_desk("import", "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "usage:" in result.stdout and "--dry-run" in result.stdout
