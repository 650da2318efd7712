"""From a spreadsheet to a working studio on the command line: ``new``, import and export
of .xlsx workbooks, other tools' column names, extra columns, and the default workspace."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import openpyxl

from tests.helpers.cli import ok, one_line_error, rows_of, studio_desk

FLOAT_PEOPLE = (
    "Person Name,Email Address,Job Title,Capacity (h/week),Department,Tags,Type\n"
    "Zoë Fischer,zoe@studio.example,Producer,32,Design,\"lead,remote\",Employee\n"
    "Kwame Mensah,,Developer,40,Engineering,,Contractor\n"
)
FORECAST_PROJECTS = (
    "Client,Project Name,Project Code,Start Date,End Date,Budget,Tags\n"
    "Café Lumière,Lumière booking app,LUM-01,2026-01-05,2026-03-29,48000,web\n"
)


def workbook(path: Path, *sheets: tuple[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def xlsx_rows(path: Path) -> list[dict[str, Any]]:
    sheet = openpyxl.load_workbook(path).active
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_new_creates_an_empty_workspace_and_refuses_an_existing_path(tmp_path: Path) -> None:
    assert ok(studio_desk("new", "studio.studiodesk", cwd=tmp_path)) == \
        "Created new workspace studio.studiodesk."
    checked = ok(studio_desk("check", "--db", "studio.studiodesk", cwd=tmp_path))
    assert "People: 0" in checked and "Result: healthy" in checked

    before = (tmp_path / "studio.studiodesk").read_bytes()
    again = one_line_error(studio_desk("new", "studio.studiodesk", cwd=tmp_path))
    assert "studio.studiodesk already exists" in again
    assert (tmp_path / "studio.studiodesk").read_bytes() == before
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    assert "already exists" in one_line_error(studio_desk("new", "notes.txt", cwd=tmp_path))
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_import_into_a_path_that_does_not_exist_creates_the_workspace(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text("name,weekly_hours\nAna Ruiz,30\n",
                                         encoding="utf-8")
    said = ok(studio_desk("import", "people", "people.csv", "--db", "new.studiodesk",
                          cwd=tmp_path))
    assert said.splitlines() == ["Created new workspace new.studiodesk.",
                                 "people.csv: 1 added, 0 updated, 0 unchanged."]
    ok(studio_desk("export", "people", "out.csv", "--db", "new.studiodesk", cwd=tmp_path))
    assert [(r["name"], r["weekly_hours"]) for r in rows_of(tmp_path / "out.csv")] == [
        ("Ana Ruiz", "30")]
    # The second import finds the workspace and says nothing about creating it.
    again = ok(studio_desk("import", "people", "people.csv", "--db", "new.studiodesk",
                           cwd=tmp_path))
    assert again == "people.csv: 0 added, 0 updated, 1 unchanged."


def test_a_file_that_cannot_be_imported_creates_no_workspace(tmp_path: Path) -> None:
    # Each row is fine on its own; the client is in no workspace yet.
    (tmp_path / "projects.csv").write_text("client,name\nAcme Foods,Shop\n",
                                           encoding="utf-8")
    (tmp_path / "people.csv").write_text("name,weekly_hours\nAna,forty\n", encoding="utf-8")
    for kind in ("projects", "people"):
        line = one_line_error(studio_desk("import", kind, f"{kind}.csv", "--db",
                                          "new.studiodesk", cwd=tmp_path))
        assert f"{kind}.csv, row 2" in line
    (tmp_path / "good.csv").write_text("name\nAna\n", encoding="utf-8")
    said = ok(studio_desk("import", "people", "good.csv", "--db", "new.studiodesk",
                          "--dry-run", cwd=tmp_path))
    assert "does not exist yet" in said and "would be 1 added" in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.csv", "people.csv",
                                                          "projects.csv"]


def test_workbook_export_then_import_into_a_new_workspace_gives_the_same_rows(
        tmp_path: Path) -> None:
    ok(studio_desk("demo", "demo.studiodesk", "--people", "6", "--clients", "8",
                   "--projects", "20", cwd=tmp_path))
    for kind in ("people", "clients", "projects"):
        said = ok(studio_desk("export", kind, f"{kind}.xlsx", "--db", "demo.studiodesk",
                              cwd=tmp_path))
        assert said.startswith(f"{kind}.xlsx: ")
    people = xlsx_rows(tmp_path / "people.xlsx")
    assert isinstance(people[0]["weekly_hours"], int | float)  # a number, not text
    for kind in ("people", "clients", "projects"):
        ok(studio_desk("import", kind, f"{kind}.xlsx", "--db", "copy.studiodesk",
                       cwd=tmp_path))
    for kind in ("people", "clients", "projects"):
        ok(studio_desk("export", kind, f"demo-{kind}.csv", "--db", "demo.studiodesk",
                       cwd=tmp_path))
        ok(studio_desk("export", kind, f"copy-{kind}.csv", "--db", "copy.studiodesk",
                       cwd=tmp_path))
        assert rows_of(tmp_path / f"copy-{kind}.csv") == rows_of(tmp_path / f"demo-{kind}.csv")


def test_a_name_that_looks_like_a_formula_is_exported_as_text(tmp_path: Path) -> None:
    (tmp_path / "clients.csv").write_text("name\n'=HYPERLINK(1)\n", encoding="utf-8")
    ok(studio_desk("import", "clients", "clients.csv", "--db", "w.studiodesk", cwd=tmp_path))
    ok(studio_desk("export", "clients", "clients.xlsx", "--db", "w.studiodesk", cwd=tmp_path))
    cell = openpyxl.load_workbook(tmp_path / "clients.xlsx").active["A2"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")


def test_a_float_style_file_needs_and_honours_ignore_unknown_columns(tmp_path: Path) -> None:
    (tmp_path / "float.csv").write_text(FLOAT_PEOPLE, encoding="utf-8")
    refused = one_line_error(studio_desk("import", "people", "float.csv", "--db",
                                         "w.studiodesk", cwd=tmp_path))
    assert "unknown columns “Department”, “Tags”, “Type”" in refused
    assert "--ignore-unknown-columns" in refused
    assert not (tmp_path / "w.studiodesk").exists()

    said = ok(studio_desk("import", "people", "float.csv", "--db", "w.studiodesk",
                          "--ignore-unknown-columns", cwd=tmp_path))
    assert "Skipped columns “Department”, “Tags”, “Type”." in said.splitlines()
    assert said.splitlines()[-1] == "float.csv: 2 added, 0 updated, 0 unchanged."
    ok(studio_desk("export", "people", "people.csv", "--db", "w.studiodesk", cwd=tmp_path))
    people = {r["name"]: r for r in rows_of(tmp_path / "people.csv")}
    assert people["Zoë Fischer"]["email"] == "zoe@studio.example"
    assert people["Zoë Fischer"]["title"] == "Producer"
    assert people["Zoë Fischer"]["weekly_hours"] == "32"
    assert people["Kwame Mensah"]["weekly_hours"] == "40"


def test_a_forecast_style_workbook_sheet_is_chosen_with_sheet(tmp_path: Path) -> None:
    rows = [line.split(",") for line in FORECAST_PROJECTS.splitlines()]
    rows[1][5] = 48000  # a number cell, as a spreadsheet keeps it
    workbook(tmp_path / "forecast.xlsx", ("Clients", [["Client Name"], ["Café Lumière"]]),
             ("Projects", rows))
    ok(studio_desk("import", "clients", "forecast.xlsx", "--db", "w.studiodesk",
                   cwd=tmp_path))
    wrong = one_line_error(studio_desk("import", "projects", "forecast.xlsx", "--db",
                                       "w.studiodesk", "--sheet", "Jobs", cwd=tmp_path))
    assert "no sheet called “Jobs”" in wrong and "“Projects”" in wrong
    said = ok(studio_desk("import", "projects", "forecast.xlsx", "--db", "w.studiodesk",
                          "--sheet", "Projects", "--ignore-unknown-columns", cwd=tmp_path))
    assert said.splitlines()[-1] == "forecast.xlsx: 1 added, 0 updated, 0 unchanged."
    ok(studio_desk("export", "projects", "out.csv", "--db", "w.studiodesk", cwd=tmp_path))
    (project,) = rows_of(tmp_path / "out.csv")
    assert (project["client"], project["name"], project["code"], project["start"],
            project["due"], project["budget"]) == (
        "Café Lumière", "Lumière booking app", "LUM-01", "2026-01-05", "2026-03-29",
        "48000")


def test_workbook_problems_are_one_line(tmp_path: Path) -> None:
    ok(studio_desk("new", "w.studiodesk", cwd=tmp_path))
    workbook(tmp_path / "people.xlsx", ("Team", [["name", "head_down"], ["Ana", 3],
                                                 ["Ben", 9]]))
    line = one_line_error(studio_desk("import", "people", "people.xlsx", "--db",
                                      "w.studiodesk", cwd=tmp_path))
    assert "people.xlsx, row 3, column head_down" in line
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    assert "not an .xlsx workbook" in one_line_error(
        studio_desk("import", "people", "broken.xlsx", "--db", "w.studiodesk", cwd=tmp_path))
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "Excel 97-2003" in one_line_error(
        studio_desk("import", "people", "old.xls", "--db", "w.studiodesk", cwd=tmp_path))
    assert "no/such/folder/people.xlsx" in one_line_error(
        studio_desk("export", "people", "no/such/folder/people.xlsx", "--db", "w.studiodesk",
                    cwd=tmp_path))
    (tmp_path / "people.csv").write_text("name\nAna\n", encoding="utf-8")
    assert "no sheets" in one_line_error(
        studio_desk("import", "people", "people.csv", "--db", "w.studiodesk", "--sheet",
                    "Team", cwd=tmp_path))


def test_commands_without_db_use_the_default_workspace(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, STUDIO_DESK_DATA_DIR=str(data),
               STUDIO_DESK_CONFIG_DIR=str(tmp_path / "config"))
    (tmp_path / "people.csv").write_text("name,weekly_hours\nAna Ruiz,30\n",
                                         encoding="utf-8")
    # Not there yet: the commands say how to name one, and create nothing.
    for args in (("capacity",), ("check",), ("export", "people", "out.csv"),
                 ("import", "people", "people.csv")):
        line = one_line_error(studio_desk(*args, cwd=tmp_path, env=env), code=2)
        assert "--db" in line and str(data) in line
    assert not data.exists()

    default = data / "Studio.studiodesk"
    ok(studio_desk("new", default, cwd=tmp_path, env=env))
    assert ok(studio_desk("import", "people", "people.csv", cwd=tmp_path, env=env)) == \
        "people.csv: 1 added, 0 updated, 0 unchanged."
    ok(studio_desk("export", "people", "out.xlsx", cwd=tmp_path, env=env))
    assert [r["name"] for r in xlsx_rows(tmp_path / "out.xlsx")] == ["Ana Ruiz"]
    assert "Ana Ruiz" in ok(studio_desk("capacity", cwd=tmp_path, env=env))
    assert "People: 1" in ok(studio_desk("check", cwd=tmp_path, env=env))
    said = ok(studio_desk("plan", "propose", "Spring", cwd=tmp_path, env=env))
    assert "Spring" in said
    missing_plan = one_line_error(studio_desk("plan", "apply", "Autumn", cwd=tmp_path,
                                              env=env))
    assert str(default) in missing_plan  # the message names the workspace it looked in
