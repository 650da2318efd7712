"""Reading and writing CSV files: what a studio's spreadsheet exports look like, and what
a careful user expects when one is wrong (DESIGN §7, RELIABILITY scenarios 17 and 18)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from studio_desk.core.csvio import (
    CsvProblems,
    csv_text,
    decode_csv_bytes,
    parse_csv_text,
    read_csv,
    text_columns,
    write_csv,
)
from studio_desk.core.errors import CsvError

PEOPLE = ("name,email,weekly_hours,client_facing\n"
          "Zoë Fischer,zoe@studio.example,32,4\n"
          "Kwame Mensah,,40,1\n")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom",
                                      "utf-16-be-bom"])
def test_utf8_with_or_without_bom_and_utf16_with_bom_read_the_same(tmp_path: Path,
                                                                    encoding: str) -> None:
    if encoding == "utf-16-le-bom":
        data = codecs.BOM_UTF16_LE + PEOPLE.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + PEOPLE.encode("utf-16-be")
    else:
        data = PEOPLE.encode(encoding)
    table = read_csv(_write(tmp_path, "people.csv", data), "people")
    assert table.kind == "person"
    assert table.columns == ("name", "email", "weekly_hours", "client_facing")
    assert [r.values["name"] for r in table.rows] == ["Zoë Fischer", "Kwame Mensah"]
    assert table.rows[0].values["weekly_hours"] == 32.0
    assert table.rows[1].values["email"] is None


def test_latin1_file_is_refused_saying_which_encoding_is_expected(tmp_path: Path) -> None:
    path = _write(tmp_path, "people.csv", PEOPLE.encode("latin-1"))
    with pytest.raises(CsvError) as caught:
        read_csv(path, "people")
    message = str(caught.value)
    assert str(path) in message
    assert "line 2" in message  # where the first non-UTF-8 byte is
    assert "UTF-8" in message and "UTF-16" in message


def test_utf16_without_byte_order_mark_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "people.csv", PEOPLE.encode("utf-16-le"))
    with pytest.raises(CsvError, match="byte-order mark"):
        read_csv(path, "people")


def test_utf32_is_refused() -> None:
    with pytest.raises(CsvError, match="UTF-32"):
        decode_csv_bytes(PEOPLE.encode("utf-32"), "people.csv")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_comma_semicolon_and_tab_files_are_read_alike(delimiter: str) -> None:
    text = (f"client{delimiter}name{delimiter}budget\n"
            f"Acme Foods{delimiter}\"Shop, phase 2\"{delimiter}1500\n")
    table = parse_csv_text(text, "projects", "projects.csv")
    assert table.rows[0].values == {"client": "Acme Foods", "name": "Shop, phase 2",
                                    "budget": 1500.0}


def test_header_names_ignore_case_spaces_and_surrounding_blanks() -> None:
    text = " NAME ;Email; Weekly Hours ;MAX_CLIENTS\nAna Ruiz;ana@studio.example;30;4\n"
    table = parse_csv_text(text, "people", "people.csv")
    assert table.columns == ("name", "email", "weekly_hours", "max_clients")
    assert table.rows[0].values["max_clients"] == 4


def test_missing_required_column_is_named() -> None:
    with pytest.raises(CsvError) as caught:
        parse_csv_text("name,code\nShop,ACM-1\n", "projects", "projects.csv")
    assert str(caught.value).startswith("projects.csv, row 1:")
    assert "client" in str(caught.value)


def test_unknown_column_is_refused_with_the_known_ones() -> None:
    with pytest.raises(CsvError) as caught:
        parse_csv_text("name,e-mail\nAna,ana@x.example\n", "people", "people.csv")
    message = str(caught.value)
    assert "“e-mail”" in message
    assert "weekly_hours" in message  # tells the user what the columns are called


def test_ragged_row_is_named() -> None:
    text = "name,industry\nAcme,Food\nBorealis,Finance,extra\nCobalt,Culture\n"
    with pytest.raises(CsvError) as caught:
        parse_csv_text(text, "clients", "clients.csv")
    assert str(caught.value).startswith("clients.csv, row 3:")
    assert "3 cells" in str(caught.value)


def test_same_name_twice_names_both_rows_after_normalising() -> None:
    # "Zoë" typed composed and decomposed, and a change of case: the same person.
    text = "name\nZo\u00eb Fischer\nBen Ode\nZOE\u0308 fischer\n"
    with pytest.raises(CsvProblems) as caught:
        parse_csv_text(text, "people", "people.csv")
    problem = caught.value.problems[0]
    assert (problem.row, problem.column) == (4, "name")
    assert "rows 2 and 4" in str(caught.value)


def test_same_relationship_twice_names_both_rows() -> None:
    text = "person,client,strength\nAna,Acme,3\nBen,Acme,1\nana ,ACME,2\n"
    with pytest.raises(CsvError, match=r"row 4, column client: .*rows 2 and 4"):
        parse_csv_text(text, "relationships", "rel.csv")


def test_bad_value_names_file_row_and_column() -> None:
    text = "name,weekly_hours,head_down\nAna,40,3\nBen,forty,9\n"
    with pytest.raises(CsvProblems) as caught:
        parse_csv_text(text, "people", "people.csv")
    message = str(caught.value)
    assert message.startswith("people.csv, row 3, column weekly_hours: ")
    assert "forty" in message
    assert "1 more problem" in message  # head_down 9 is out of range too
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (3, "weekly_hours"), (3, "head_down")]


def test_empty_required_cell_is_named() -> None:
    with pytest.raises(CsvError, match="row 3, column name: Name is required"):
        parse_csv_text("name,title\nAna,Producer\n,Designer\n", "people", "p.csv")


@pytest.mark.parametrize("spelling", ["back-burner", "back burner", "BACKBURNER",
                                      "Back Burner", "backburner"])
def test_status_accepts_every_back_burner_spelling(spelling: str) -> None:
    table = parse_csv_text(f"client,name,status\nAcme,Shop,{spelling}\n", "projects", "p.csv")
    assert table.rows[0].values["status"] == "back-burner"


def test_values_are_converted_by_the_field_rules() -> None:
    text = ("client,name,start,due,technical_complexity\n"
            "Acme,Shop,2026-01-05,2026-03-29,5\n")
    values = parse_csv_text(text, "projects", "p.csv").rows[0].values
    assert values["start"] == dt.date(2026, 1, 5)
    assert values["technical_complexity"] == 5


def test_row_numbers_count_records_as_a_spreadsheet_does() -> None:
    # A quoted cell spanning two lines is one spreadsheet row.
    text = 'name,notes\nAcme,"first line\nsecond line"\nBorealis,fine\n"",x\n'
    with pytest.raises(CsvError, match="row 4, column name"):
        parse_csv_text(text, "clients", "c.csv")


def test_a_stray_quote_is_named_with_its_row() -> None:
    with pytest.raises(CsvError, match=r"^c\.csv, row 3: .*quotes"):
        parse_csv_text('name,notes\nAcme,"fine"\nBorealis,"bad"x\n', "clients", "c.csv")


def test_blank_rows_and_a_trailing_empty_column_are_ignored() -> None:
    text = "name;industry;\r\nAcme;Food;\r\n;;\r\n\r\nBorealis;Finance;\r\n;;\r\n"
    table = parse_csv_text(text, "clients", "c.csv")
    assert [(r.row, r.values["name"]) for r in table.rows] == [(2, "Acme"), (5, "Borealis")]


def test_empty_file_is_refused() -> None:
    with pytest.raises(CsvError, match="empty"):
        parse_csv_text("", "people", "people.csv")


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(CsvError, match="does not exist"):
        read_csv(tmp_path / "nope.csv", "people")


def test_formula_cells_are_neutralised_on_export_and_restored_on_import(
        tmp_path: Path) -> None:
    dangerous = ["=HYPERLINK(\"http://x.example\")", "+44 20 7946 0000", "-2+3", "@SUM(A1)",
                 "\tindented", "\rcarriage", "plain", "O'Brien"]
    rows = [{"name": f"Client {i}", "industry": "Retail", "notes": value}
            for i, value in enumerate(dangerous)]
    path = tmp_path / "clients.csv"
    write_csv(path, ("name", "industry", "notes"), rows, text_columns("clients"))
    written = path.read_bytes()
    assert written.startswith(codecs.BOM_UTF8)  # so Excel reads it as UTF-8
    cells = [r[2] for r in csv.reader(io.StringIO(written.decode("utf-8-sig"), newline=""))]
    assert cells[1:] == ["'=HYPERLINK(\"http://x.example\")", "'+44 20 7946 0000", "'-2+3",
                         "'@SUM(A1)", "'\tindented", "'\rcarriage", "plain", "O'Brien"]
    back = read_csv(path, "clients")
    assert [r.values["notes"] for r in back.rows] == dangerous


def test_numbers_we_format_are_not_mangled() -> None:
    # Only text columns are protected; number columns hold what the program wrote.
    assert "weekly_hours" not in text_columns("people")
    assert "name" in text_columns("people")
    text = csv_text(("name", "weekly_hours"), [{"name": "-Ana", "weekly_hours": "-5"}],
                    text_columns("people"))
    assert text.splitlines()[1] == "'-Ana,-5"
