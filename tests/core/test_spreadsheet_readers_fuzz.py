"""Whatever a file holds, the readers answer with checked rows or one of the project's own
errors (never a crash), and an import with one bad row anywhere changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from studio_desk.cli import main
from studio_desk.core.csvio import (
    IMPORT_KINDS,
    CsvTable,
    decode_csv_bytes,
    kind_of,
    known_columns,
    parse_csv_text,
    required_columns,
)
from studio_desk.core.errors import CsvError, ValidationError
from studio_desk.core.spreadsheets import parse_xlsx_bytes
from studio_desk.store import records
from studio_desk.store.engine import open_workspace

FEW = settings(max_examples=40, deadline=None, database=None,
               suppress_health_check=[HealthCheck.too_slow])

kinds = st.sampled_from(IMPORT_KINDS)


def _checked_or_refused(read: Any) -> None:
    try:
        table = read()
    except (CsvError, ValidationError) as exc:
        message = str(exc)
        assert message and "Traceback" not in message
        return
    assert isinstance(table, CsvTable)


def _workbook_bytes(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_A_WORKBOOK = _workbook_bytes([["client", "name", "start", "budget"],
                               ["Acme Foods", "Web shop", dt.date(2026, 1, 5), 4800.5]])


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


_A_WORKBOOK_PARTS = _parts(_A_WORKBOOK)


@st.composite
def damaged_workbooks(draw: st.DrawFn) -> bytes:
    """A real workbook, zipped again with one of its parts (the sheet, the shared
    strings, the list of sheets...) changed or cut short: a zip that opens, holding XML
    that does not make sense."""
    parts = dict(_A_WORKBOOK_PARTS)
    name = draw(st.sampled_from(sorted(parts)))
    part = bytearray(parts[name])
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(part) - 1))
        part[at:at + draw(st.integers(1, 8))] = draw(st.binary(min_size=1, max_size=8))
    parts[name] = bytes(part[:draw(st.integers(0, len(part)))])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for part_name, content in parts.items():
            archive.writestr(part_name, content)
    return out.getvalue()


@FEW
@given(data=st.one_of(st.binary(max_size=2000), damaged_workbooks()),
       kind=st.sampled_from(["projects", *IMPORT_KINDS]))
def test_any_bytes_as_a_workbook_are_read_or_refused_in_words(data: bytes, kind: str) -> None:
    _checked_or_refused(lambda: parse_xlsx_bytes(data, kind, "file.xlsx"))


@FEW
@given(data=st.binary(max_size=2000), kind=kinds)
def test_any_bytes_as_a_csv_file_are_read_or_refused_in_words(data: bytes, kind: str) -> None:
    _checked_or_refused(lambda: parse_csv_text(decode_csv_bytes(data, "file.csv"), kind,
                                               "file.csv"))


_texts = st.text(max_size=30).map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t))
cells = st.one_of(
    st.none(), _texts, st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(), st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)))


@st.composite
def sheets(draw: st.DrawFn) -> tuple[str, list[list[Any]]]:
    """A kind and a sheet whose header mostly names its columns (so rows get checked),
    with any cells below."""
    kind = draw(kinds)
    known = kind_of(kind)
    optional = [c for c in known_columns(known) if c not in required_columns(known)]
    header = [*required_columns(known),
              *draw(st.lists(st.sampled_from(optional), max_size=4, unique=True))]
    if draw(st.booleans()):
        header.insert(draw(st.integers(0, len(header))), draw(_texts))
    header = draw(st.permutations(header))
    body = draw(st.lists(st.lists(cells, max_size=len(header) + 1), max_size=6))
    return kind, [list(header), *body]


@FEW
@given(sheet=sheets(), ignore_unknown=st.booleans())
def test_any_cells_in_a_workbook_are_read_or_refused_in_words(
        sheet: tuple[str, list[list[Any]]], ignore_unknown: bool) -> None:
    kind, rows = sheet
    data = _workbook_bytes(rows)
    _checked_or_refused(lambda: parse_xlsx_bytes(data, kind, "file.xlsx",
                                                 ignore_unknown=ignore_unknown))


# --- never half an import -------------------------------------------------------------------

@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with a client and a person, for imports to add to."""
    path = tmp_path_factory.mktemp("studio") / "studio.studiodesk"
    with open_workspace(path, create=True, who="Tester") as workspace, \
            workspace.write() as session:
        records.add_record(session, "client", {"name": "Acme Foods"})
        records.add_record(session, "person", {"name": "Ana Ruiz"})
    return path


#: One bad row each: refused while reading (a value) or only against the workspace (a
#: client or manager nobody has heard of), where the rows before it were already fine.
BAD_ROWS = {
    "bad value": {"client": "Acme Foods", "name": "Broken", "technical_complexity": 9},
    "unknown client": {"client": "Nobody Ltd", "name": "Orphan"},
    "unknown manager": {"client": "Acme Foods", "name": "Stray", "manager": "Zed"},
    "twice": {"client": "Acme Foods", "name": "Project 0"},
}


@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(good=st.integers(1, 30), where=st.integers(0, 30),
       bad=st.sampled_from(sorted(BAD_ROWS)), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_an_import_with_one_bad_row_leaves_the_workspace_unchanged(
        studio: Path, good: int, where: int, bad: str, suffix: str) -> None:
    columns = ["client", "name", "technical_complexity", "manager"]
    rows: list[dict[str, Any]] = [{"client": "Acme Foods", "name": f"Project {i}",
                                   "technical_complexity": 3, "manager": "Ana Ruiz"}
                                  for i in range(good)]
    rows.insert(min(where, good), BAD_ROWS[bad])
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "studio.studiodesk"
        shutil.copyfile(studio, copy)
        before = copy.read_bytes()
        file = Path(folder) / f"projects{suffix}"
        if suffix == ".csv":
            file.write_text("\n".join([",".join(columns)] + [
                ",".join(str(row.get(c, "")) for c in columns) for row in rows]) + "\n",
                encoding="utf-8")
        else:
            file.write_bytes(_workbook_bytes([columns] + [[row.get(c) for c in columns]
                                                          for row in rows]))
        assert main(["import", "projects", str(file), "--db", str(copy)]) == 1
        assert copy.read_bytes() == before
        with open_workspace(copy) as workspace, workspace.read() as session:
            assert records.list_rows(session, "project") == []
