"""``studio-desk import assignments`` as scripts use it: real processes, exit codes,
one-line messages, and a workspace left untouched by a refused or dry-run import."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import ok, one_line_error, rows_of, studio_desk

FILES = {
    "people": "name\nZoë Fischer\nKwame Mensah\nInes Dias\n",
    "clients": "name\nCafé Lumière\nBorealis Bank\n",
    "projects": "client,name,status,start,manager\n"
                "Café Lumière,Lumière booking app,active,2026-01-05,Kwame Mensah\n"
                "Borealis Bank,Borealis annual report,active,,\n",
}










@pytest.fixture
def studio(tmp_path: Path) -> Path:
    """A folder with ``w.studiodesk``: three people, two clients, two projects."""
    ok(studio_desk("demo", "w.studiodesk", "--people", "0", "--clients", "0",
                   "--projects", "0", cwd=tmp_path))
    for kind, text in FILES.items():
        (tmp_path / f"{kind}.csv").write_text(text, encoding="utf-8")
        ok(studio_desk("import", kind, f"{kind}.csv", "--db", "w.studiodesk", cwd=tmp_path))
    return tmp_path


def test_import_sets_holders_and_an_export_imports_back_unchanged(studio: Path) -> None:
    # UTF-16 with a byte-order mark, semicolons, headers in any case, friendly role names.
    (studio / "assignments.csv").write_bytes(
        ("Client;Project;ROLE;Person;Since\r\n"
         "Café Lumière;;Account Manager;Zoë Fischer;2026-02-02\r\n"
         "Café Lumière;Lumière booking app;PM;Ines Dias;2026-02-02\r\n"
         "borealis bank;;am;Kwame Mensah;\r\n").encode("utf-16"))
    assert ok(studio_desk("import", "assignments", "assignments.csv", "--db", "w.studiodesk",
                          cwd=studio)) == "assignments.csv: 2 added, 1 updated, 0 unchanged."
    ok(studio_desk("export", "assignments", "out.csv", "--db", "w.studiodesk", cwd=studio))
    assert rows_of(studio / "out.csv") == [
        {"client": "Borealis Bank", "project": "", "role": "account_manager",
         "person": "Kwame Mensah", "previous_person": "", "reason": ""},
        {"client": "Café Lumière", "project": "", "role": "account_manager",
         "person": "Zoë Fischer", "previous_person": "", "reason": ""},
        {"client": "Café Lumière", "project": "Lumière booking app",
         "role": "production_manager", "person": "Ines Dias",
         "previous_person": "Kwame Mensah", "reason": ""},
    ]
    ok(studio_desk("export", "projects", "projects-out.csv", "--db", "w.studiodesk",
                   cwd=studio))
    managers = {r["name"]: r["manager"] for r in rows_of(studio / "projects-out.csv")}
    assert managers["Lumière booking app"] == "Ines Dias"

    before = (studio / "w.studiodesk").read_bytes()
    assert ok(studio_desk("import", "assignments", "out.csv", "--db", "w.studiodesk",
                          cwd=studio)) == "out.csv: 0 added, 0 updated, 3 unchanged."
    assert (studio / "w.studiodesk").read_bytes() == before


def test_a_bad_row_exits_1_naming_file_row_and_column_and_imports_nothing(
        studio: Path) -> None:
    (studio / "assignments.csv").write_text(
        "client,project,role,person\n"
        "Café Lumière,,account_manager,Zoë Fischer\n"
        "Borealis Bank,Lumière booking app,production_manager,Ines Dias\n"
        "Borealis Bank,,account_manager,Nobody Atall\n", encoding="utf-8")
    before = (studio / "w.studiodesk").read_bytes()
    line = one_line_error(studio_desk("import", "assignments", "assignments.csv", "--db",
                                      "w.studiodesk", cwd=studio))
    assert line == ("studio-desk: error: assignments.csv, row 3, column project: The project "
                    "“Lumière booking app” belongs to Café Lumière, not to Borealis Bank. "
                    "(1 more problem in the file.)")
    assert (studio / "w.studiodesk").read_bytes() == before  # not even row 2

    (studio / "roles.csv").write_text("client,role,person\nCafé Lumière,boss,Zoë Fischer\n",
                                      encoding="utf-8")
    line = one_line_error(studio_desk("import", "assignments", "roles.csv", "--db",
                                      "w.studiodesk", cwd=studio))
    assert "roles.csv, row 2, column role: Role must be one of account_manager" in line
    assert (studio / "w.studiodesk").read_bytes() == before


def test_the_same_client_twice_is_refused_naming_both_rows(studio: Path) -> None:
    (studio / "assignments.csv").write_text(
        "client,role,person\nCafé Lumière,am,Zoë Fischer\nBorealis Bank,am,Ines Dias\n"
        "café lumière,account_manager,Ines Dias\n", encoding="utf-8")
    before = (studio / "w.studiodesk").read_bytes()
    line = one_line_error(studio_desk("import", "assignments", "assignments.csv", "--db",
                                      "w.studiodesk", cwd=studio))
    assert "assignments.csv, row 4, column client" in line
    assert "appears twice in the file, in rows 2 and 4" in line
    assert (studio / "w.studiodesk").read_bytes() == before


def test_a_dry_run_reports_and_saves_nothing(studio: Path) -> None:
    (studio / "assignments.csv").write_text(
        "client,role,person\nCafé Lumière,am,Zoë Fischer\n", encoding="utf-8")
    before = (studio / "w.studiodesk").read_bytes()
    out = ok(studio_desk("import", "assignments", "assignments.csv", "--db", "w.studiodesk",
                         "--dry-run", cwd=studio))
    assert out == ("assignments.csv: would be 1 added, 0 updated, 0 unchanged "
                   "(dry run: nothing was saved).")
    assert (studio / "w.studiodesk").read_bytes() == before
    ok(studio_desk("export", "assignments", "out.csv", "--db", "w.studiodesk", cwd=studio))
    assert rows_of(studio / "out.csv") == []


def test_without_db_is_wrong_usage(tmp_path: Path) -> None:
    (tmp_path / "assignments.csv").write_text("client,role,person\n", encoding="utf-8")
    result = studio_desk("import", "assignments", "assignments.csv", cwd=tmp_path)
    assert "--db" in one_line_error(result, code=2)
