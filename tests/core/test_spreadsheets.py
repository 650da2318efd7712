"""Workbooks (.xlsx) read and written like CSV files, and the column names other tools use
(DESIGN §7: "Import reads .csv and .xlsx (and the usual column names of Float, Harvest
Forecast and Runn exports); export writes either by the file's extension")."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from studio_desk.core import csvio
from studio_desk.core.csvio import (
    FORMULA_STARTS,
    CsvProblems,
    UnknownColumnsError,
    parse_csv_text,
    propose_mapping,
)
from studio_desk.core.errors import CsvError
from studio_desk.core.spreadsheets import (
    read_table,
    read_xlsx,
    sheet_names,
    table_header,
    write_table,
    write_xlsx,
)


def workbook(path: Path, *sheets: tuple[str, list[list[Any]]]) -> Path:
    """A workbook at ``path`` with the named sheets, each a list of rows of cells."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def one_sentence(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert message.endswith((".", ")", "?")), message


# --- reading -------------------------------------------------------------------------------

def test_typed_cells_become_the_values_a_csv_file_gives(tmp_path: Path) -> None:
    path = workbook(tmp_path / "people.xlsx", ("Team", [
        ["name", "email", "title", "weekly_hours", "max_clients", "active"],
        ["Zoë Fischer", "zoe@studio.example", "Producer", 32.0, 8.0, True],
        ["Kwame Mensah", None, 2024, 37.5, 12, False],
    ]))
    table = read_xlsx(path, "people")
    csv_table = parse_csv_text(
        "name,email,title,weekly_hours,max_clients,active\n"
        "Zoë Fischer,zoe@studio.example,Producer,32,8,yes\n"
        "Kwame Mensah,,2024,37.5,12,no\n", "people", "people.csv")
    assert table.columns == csv_table.columns
    assert [r.values for r in table.rows] == [r.values for r in csv_table.rows]
    zoe, kwame = (r.values for r in table.rows)
    assert zoe["weekly_hours"] == 32 and zoe["max_clients"] == 8
    assert type(zoe["max_clients"]) is int  # a whole-number field holds an int, not 8.0
    assert kwame["title"] == "2024"  # a number typed in a text column is its digits
    assert (zoe["active"], kwame["active"]) == (True, False)


def test_a_date_cell_is_a_date_and_a_number_cell_in_a_text_column_keeps_its_digits(
        tmp_path: Path) -> None:
    path = workbook(tmp_path / "projects.xlsx", ("Projects", [
        ["client", "name", "code", "start", "due", "budget"],
        ["Acme Foods", "Web shop", 4711, dt.datetime(2026, 1, 5), dt.date(2026, 3, 29),
         48000],
    ]))
    values = read_xlsx(path, "projects").rows[0].values
    assert values["start"] == dt.date(2026, 1, 5) and type(values["start"]) is dt.date
    assert values["due"] == dt.date(2026, 3, 29)
    assert values["code"] == "4711"
    assert values["budget"] == 48000.0


def test_a_bad_cell_is_named_by_file_spreadsheet_row_and_column(tmp_path: Path) -> None:
    # Two blank rows above the header: the spreadsheet's own row numbers are used.
    path = workbook(tmp_path / "people.xlsx", ("Team", [
        [None], [None],
        ["name", "weekly_hours", "head_down"],
        ["Ana Ruiz", 40, 3],
        ["Ben Ode", 2.5, 9],
    ]))
    with pytest.raises(CsvProblems) as caught:
        read_xlsx(path, "people")
    message = str(caught.value)
    one_sentence(message)
    assert message.startswith(f"{path}, row 5, column head_down: ")
    assert [(p.row, p.column) for p in caught.value.problems] == [(5, "head_down")]


def test_a_whole_number_field_refuses_a_fraction_with_the_csv_words(tmp_path: Path) -> None:
    path = workbook(tmp_path / "people.xlsx", ("Team", [
        ["name", "max_clients"], ["Ana Ruiz", 2.5]]))
    with pytest.raises(CsvProblems) as caught:
        read_xlsx(path, "people")
    with pytest.raises(CsvProblems) as from_csv:
        parse_csv_text("name,max_clients\nAna Ruiz,2.5\n", "people", str(path))
    assert str(caught.value) == str(from_csv.value)
    assert "“2.5”" in str(caught.value)


def test_a_cell_showing_a_spreadsheet_error_is_a_problem_in_its_row(tmp_path: Path) -> None:
    path = workbook(tmp_path / "people.xlsx", ("Team", [
        ["name", "weekly_hours"], ["Ana Ruiz", 40], ["Ben Ode", None]]))
    book = openpyxl.load_workbook(path)
    cell = book["Team"]["B3"]
    cell.value, cell.data_type = "#DIV/0!", "e"
    book.save(path)
    with pytest.raises(CsvProblems) as caught:
        read_xlsx(path, "people")
    assert str(caught.value).startswith(f"{path}, row 3, column weekly_hours: ")
    assert "#DIV/0!" in str(caught.value)


def test_a_sheet_is_chosen_by_name_and_the_first_by_default(tmp_path: Path) -> None:
    path = workbook(tmp_path / "studio.xlsx",
                    ("Clients", [["name"], ["Acme Foods"]]),
                    ("Team", [["name", "title"], ["Ana Ruiz", "Producer"]]))
    assert sheet_names(path) == ("Clients", "Team")
    assert [r.values["name"] for r in read_xlsx(path, "clients").rows] == ["Acme Foods"]
    team = read_xlsx(path, "people", sheet="Team")
    assert team.rows[0].values == {"name": "Ana Ruiz", "title": "Producer"}
    assert "Team" in team.file  # messages say which sheet, when there are several
    assert table_header(path, sheet="Team") == ("name", "title")
    with pytest.raises(CsvError) as caught:
        read_xlsx(path, "people", sheet="Staff")
    one_sentence(str(caught.value))
    assert "“Staff”" in str(caught.value) and "“Clients”, “Team”" in str(caught.value)


def test_an_empty_sheet_says_what_the_first_row_must_hold(tmp_path: Path) -> None:
    path = workbook(tmp_path / "people.xlsx", ("Team", []))
    with pytest.raises(CsvError, match=r"is empty; the first row must name the columns"):
        read_xlsx(path, "people")


def _zip_without_a_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize("data", [b"", b"name\nAna Ruiz\n", b"PK\x03\x04garbage",
                                  _zip_without_a_workbook(), bytes(range(256)) * 8],
                         ids=["empty", "csv-text", "broken-zip", "a-word-file", "binary"])
def test_a_file_that_is_no_workbook_is_refused_in_one_sentence(tmp_path: Path,
                                                               data: bytes) -> None:
    path = tmp_path / "people.xlsx"
    path.write_bytes(data)
    for read in (lambda: read_xlsx(path, "people"), lambda: sheet_names(path),
                 lambda: table_header(path)):
        with pytest.raises(CsvError) as caught:
            read()
        message = str(caught.value)
        one_sentence(message)
        assert message.startswith(str(path)) and ".xlsx" in message


def test_a_missing_workbook_or_a_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(CsvError, match="does not exist"):
        read_xlsx(tmp_path / "nowhere.xlsx", "people")
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(CsvError, match="is a folder"):
        read_xlsx(tmp_path / "folder.xlsx", "people")


# --- writing -------------------------------------------------------------------------------

def test_numbers_are_numbers_dates_are_dates_and_typed_text_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "projects.xlsx"
    write_xlsx(path, ["client", "name", "code", "start", "budget", "technical_complexity"],
               [{"client": "Acme Foods", "name": "2024", "code": "0042",
                 "start": "2026-01-05", "budget": "48000.5", "technical_complexity": "5"}],
               {"client", "name", "code"})
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["client", "name", "code", "start", "budget",
                                           "technical_complexity"]
    client, name, code, start, budget, complexity = sheet[2]
    assert (name.value, name.data_type) == ("2024", "s")
    assert (code.value, code.data_type) == ("0042", "s")
    assert start.value == dt.datetime(2026, 1, 5) and start.is_date
    assert (budget.value, budget.data_type) == (48000.5, "n")
    assert (complexity.value, complexity.data_type) == (5, "n")
    assert sheet.freeze_panes == "A2"  # the header stays in view


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_that_looks_like_a_formula_is_stored_as_text_not_a_formula(
        tmp_path: Path, start: str) -> None:
    typed = f"{start}HYPERLINK(\"http://evil.example\",\"x\")"
    path = tmp_path / "people.xlsx"
    write_xlsx(path, ["name", "title"], [{"name": typed, "title": "=1+1"}],
               {"name", "title"})
    sheet = openpyxl.load_workbook(path).active
    # As typed, no apostrophe added to the text (XML reads a carriage return as a line end).
    for cell, expected in zip(sheet[2], (typed.replace("\r", "\n"), "=1+1"), strict=True):
        assert cell.value == expected
        assert cell.data_type == "s"  # a string, never "f" (formula)
        assert cell.quotePrefix  # and marked, so editing the cell keeps it text
    # ... and it imports back as typed (less outer blanks, which names never keep).
    assert read_xlsx(path, "people").rows[0].values["name"] == typed.strip()


def test_a_text_outside_xml_is_written_with_a_replacement_mark(tmp_path: Path) -> None:
    path = tmp_path / "clients.xlsx"
    write_xlsx(path, ["name", "notes"], [{"name": "Acme", "notes": "bell\x07 here"}],
               {"name", "notes"})
    assert openpyxl.load_workbook(path).active["B2"].value == "bell\ufffd here"


def test_writing_is_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    path = tmp_path / "people.xlsx"
    write_xlsx(path, ["name"], [{"name": "Ana Ruiz"}], {"name"})
    before = path.read_bytes()

    def disk_full(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csvio.os, "replace", disk_full)
    with pytest.raises(OSError) as caught:
        write_xlsx(path, ["name"], [{"name": "Ben Ode"}], {"name"})
    assert caught.value.filename == str(path)  # the user's file, not the temporary one
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["people.xlsx"]


# --- one door for both formats -------------------------------------------------------------

def test_the_extension_chooses_the_format_in_any_case(tmp_path: Path) -> None:
    rows = [{"name": "Acme Foods", "industry": "Food"}]
    for name in ("clients.XLSX", "clients.csv", "clients.txt"):
        write_table(tmp_path / name, ["name", "industry"], rows, {"name", "industry"})
        assert read_table(tmp_path / name, "clients").rows[0].values == rows[0]
    assert zipfile.is_zipfile(tmp_path / "clients.XLSX")
    assert (tmp_path / "clients.csv").read_bytes().startswith(b"\xef\xbb\xbfname,industry")


def test_spreadsheet_formats_it_cannot_read_are_named(tmp_path: Path) -> None:
    for name in ("people.xls", "people.ods", "people.numbers"):
        (tmp_path / name).write_bytes(b"PK\x03\x04")
        with pytest.raises(CsvError) as caught:
            read_table(tmp_path / name, "people")
        one_sentence(str(caught.value))
        assert ".xlsx" in str(caught.value) and "CSV UTF-8" in str(caught.value)
        with pytest.raises(CsvError):
            write_table(tmp_path / name, ["name"], [], {"name"})


def test_a_workbook_named_csv_gets_a_message_about_what_it_is(tmp_path: Path) -> None:
    path = workbook(tmp_path / "people.csv", ("Team", [["name"], ["Ana"]]))
    with pytest.raises(CsvError) as caught:
        read_table(path, "people")
    assert "zip file" in str(caught.value) and ".xlsx" in str(caught.value)


def test_a_csv_file_has_no_sheet_to_choose(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text("name\nAna\n", encoding="utf-8")
    with pytest.raises(CsvError, match="no sheets"):
        read_table(tmp_path / "people.csv", "people", sheet="Team")


def test_export_then_import_gives_the_same_values(tmp_path: Path) -> None:
    """What export writes (cells as text, CSV's formula protection not applied) reads
    back to the values a CSV file of the same rows gives."""
    columns = csvio.EXPORT_COLUMNS["projects"]
    rows = [
        {"client": "Café Lumière", "name": "Lumière booking app", "code": "007",
         "status": "active", "start": "2026-01-05", "due": "2026-03-29",
         "budget": "48000", "estimated_hours": "400.5", "technical_complexity": "5",
         "communication_load": "2", "manager": "Kwame Mensah"},
        {"client": "=Acme Ltd", "name": "-minus campaign", "code": "", "status":
         "back-burner", "start": "", "due": "", "budget": "", "estimated_hours": "",
         "technical_complexity": "2", "communication_load": "5", "manager": ""},
    ]
    text = csvio.text_columns("projects")
    write_table(tmp_path / "projects.xlsx", columns, rows, text)
    write_table(tmp_path / "projects.csv", columns, rows, text)
    from_xlsx = read_table(tmp_path / "projects.xlsx", "projects")
    from_csv = read_table(tmp_path / "projects.csv", "projects")
    assert from_xlsx.columns == from_csv.columns == columns
    assert [r.values for r in from_xlsx.rows] == [r.values for r in from_csv.rows]
    second = from_xlsx.rows[1].values
    assert (second["client"], second["name"], second["code"]) == (
        "=Acme Ltd", "-minus campaign", None)
    assert from_xlsx.rows[0].values["code"] == "007"


# --- column names ---------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "header", "field"), [
    ("clients", "Client Name", "name"),
    ("clients", "Client", "name"),
    ("projects", "Client", "client"),
    ("projects", "Client Name", "client"),
    ("projects", "Project Name", "name"),
    ("projects", "Project", "name"),
    ("projects", "Project Code", "code"),
    ("projects", "Start Date", "start"),
    ("projects", "End Date", "due"),
    ("projects", "Due Date", "due"),
    ("projects", "Budget", "budget"),
    ("people", "Person", "name"),
    ("people", "Person Name", "name"),
    ("people", "FULL NAME", "name"),
    ("people", "Team Member", "name"),
    ("people", "Capacity (h/week)", "weekly_hours"),
    ("people", "Hours per week", "weekly_hours"),
    ("people", "Weekly capacity", "weekly_hours"),
    ("people", "Email Address", "email"),
    ("people", "Job Title", "title"),
    ("people", "Role", "title"),
    ("people", "Client-facing", "client_facing"),  # the window's own label
    ("people", "Client Name", None),  # a people file has no client
    ("clients", "Project Name", None),
])
def test_other_tools_column_names_are_proposed_per_kind(kind: str, header: str,
                                                        field: str | None) -> None:
    assert propose_mapping([header], kind) == {header: field}


def test_a_float_style_export_reads_through_its_synonyms(tmp_path: Path) -> None:
    text = ("Person Name;Email Address;Job Title;Capacity (h/week);Department;Tags\n"
            "Zoë Fischer;zoe@studio.example;Producer;32;Design;\"a,b\"\n")
    proposal = propose_mapping(text.splitlines()[0].split(";"), "people")
    assert proposal == {"Person Name": "name", "Email Address": "email",
                        "Job Title": "title", "Capacity (h/week)": "weekly_hours",
                        "Department": None, "Tags": None}
    table = parse_csv_text(text, "people", "float.csv", ignore_unknown=True)
    assert table.rows[0].values == {"name": "Zoë Fischer", "email": "zoe@studio.example",
                                    "title": "Producer", "weekly_hours": 32.0}
    assert table.skipped_columns == ("Department", "Tags")
    path = workbook(tmp_path / "float.xlsx",
                    ("People", [row.split(";") for row in text.splitlines()]))
    assert read_xlsx(path, "people", ignore_unknown=True).rows == table.rows


def test_the_proposal_given_back_reads_the_file_as_without_it() -> None:
    text = "Client,Project Name,Due Date,Owner\nAcme,Shop,2026-03-31,Ana\n"
    header = text.splitlines()[0].split(",")
    plain = parse_csv_text(text, "projects", "p.csv")
    mapped = parse_csv_text(text, "projects", "p.csv",
                            mapping=propose_mapping(header, "projects"))
    assert mapped == plain
    assert plain.rows[0].values == {"client": "Acme", "name": "Shop",
                                    "due": dt.date(2026, 3, 31), "manager": "Ana"}


def test_a_mapping_names_fields_skips_columns_and_overrides_a_synonym() -> None:
    text = "Who,Hours,Role,Notes\nAna Ruiz,30,Producer,likes mornings\n"
    table = parse_csv_text(text, "people", "people.csv", mapping={
        "who": "name", " HOURS ": "weekly_hours",  # matched as headers are: case, spaces
        "Role": None,  # a synonym of title, but this sheet's roles are something else
        "Notes": None})
    assert table.columns == ("name", "weekly_hours")
    assert table.rows[0].values == {"name": "Ana Ruiz", "weekly_hours": 30.0}
    assert table.skipped_columns == ("Role", "Notes")


def test_a_mapping_to_a_field_the_kind_lacks_is_refused() -> None:
    with pytest.raises(CsvError) as caught:
        parse_csv_text("Who\nAna\n", "people", "people.csv", mapping={"Who": "client"})
    one_sentence(str(caught.value))
    assert "“Who”" in str(caught.value) and "“client”" in str(caught.value)


def test_two_columns_for_one_field_are_named_rather_than_one_guessed() -> None:
    with pytest.raises(CsvError) as caught:
        parse_csv_text("Name,Email,Person Name\nAna,a@x.example,Ana Ruiz\n", "people",
                       "people.csv")
    message = str(caught.value)
    one_sentence(message)
    assert "“Name” (1)" in message and "“Person Name” (3)" in message


# --- unknown columns ------------------------------------------------------------------------

def test_a_thousand_unknown_columns_give_one_short_sentence() -> None:
    header = ["name"] + [f"Custom field {i}" for i in range(1000)]
    text = ",".join(header) + "\n" + ",".join(["Ana"] + ["x"] * 1000) + "\n"
    with pytest.raises(UnknownColumnsError) as caught:
        parse_csv_text(text, "people", "people.csv")
    message = str(caught.value)
    one_sentence(message)
    assert len(message) < 400, len(message)
    assert "“Custom field 0”, “Custom field 1”, “Custom field 2” and 997 more" in message
    assert "weekly_hours" in message  # still says what the columns are called
    assert len(caught.value.unknown) == 1000  # all of them, for a dialog to offer


def test_a_very_long_unknown_header_is_shortened_in_the_message() -> None:
    with pytest.raises(UnknownColumnsError) as caught:
        parse_csv_text(f"name,{'x' * 5000}\nAna,1\n", "people", "people.csv")
    assert len(str(caught.value)) < 300


def test_ignoring_unknown_columns_reads_the_rest(tmp_path: Path) -> None:
    header = ["name"] + [f"c{i}" for i in range(1000)] + ["weekly_hours"]
    path = workbook(tmp_path / "people.xlsx",
                    ("Team", [header, ["Ana"] + ["x"] * 1000 + [30]]))
    with pytest.raises(UnknownColumnsError):
        read_xlsx(path, "people")
    table = read_xlsx(path, "people", ignore_unknown=True)
    assert table.columns == ("name", "weekly_hours")
    assert table.rows[0].values == {"name": "Ana", "weekly_hours": 30.0}
    assert len(table.skipped_columns) == 1000


def test_a_nameless_column_with_data_is_refused_unless_unknown_columns_are_skipped() -> None:
    text = "name,,industry\nAcme,stray,Food\n"
    with pytest.raises(CsvError, match="column 2 has data but no name"):
        parse_csv_text(text, "clients", "clients.csv")
    table = parse_csv_text(text, "clients", "clients.csv", ignore_unknown=True)
    assert table.rows[0].values == {"name": "Acme", "industry": "Food"}
    assert table.skipped_columns == ("column 2",)
