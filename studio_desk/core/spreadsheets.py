"""Excel workbooks (``.xlsx``) read and written like the studio's CSV files (DESIGN §7).

Studios keep their people, clients and projects in spreadsheets, and planning tools
(Float, Harvest Forecast, Runn) export them as workbooks as often as CSV. A workbook's
sheet is checked by the very code that checks a CSV file (``csvio.check_records``), so it
gives the same :class:`~studio_desk.core.csvio.CsvTable`, understands the same column
names and synonyms, and is refused with the same one-sentence messages naming the file,
the row (as the spreadsheet numbers it: the header is row 1) and the column.

A cell keeps what the spreadsheet typed it as, and is read as its field wants it: a
number cell ``40.0`` is ``weekly_hours`` 40, a date cell is a date (its time of day, if
any, dropped), a number in a text column (a phone number, a code) is its digits, a cell
showing an error (``#DIV/0!``) is a problem in its row. A formula gives the value the
spreadsheet last calculated and saved; a workbook no spreadsheet has calculated (one
written by a script) has none, and the cell reads as empty.

Writing stores numbers as numbers and dates as dates, so the sheet sorts and sums them,
and keeps every text as text: a text cell is stored with the string type, which a
spreadsheet never runs as a formula, and the ones that start like a formula (the same
rule as CSV export's ``neutralise``) are also marked "quote prefix", as Excel marks text
typed after an apostrophe, so editing the cell later does not turn it into one.

``read_table`` and ``write_table`` choose CSV or workbook by the file's extension: the
one place the command line and the window ask.

openpyxl is imported only when a workbook is read or written, so commands that never
touch one start as fast as before.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio_desk.core import fields as F
from studio_desk.core.csvio import (
    FORMULA_STARTS,
    CsvTable,
    check_records,
    csv_header,
    decode_csv_bytes,
    kind_of,
    read_csv,
    read_file_bytes,
    restore_neutralised,
    write_bytes_atomically,
    write_csv,
)
from studio_desk.core.errors import CsvError

#: Workbooks read as Office Open XML (``.xlsm`` is a workbook with macros, never run).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

#: Spreadsheet files that are not CSV and that Studio Desk cannot read or write: named, so
#: the user is told to save as .xlsx or CSV rather than shown an encoding complaint.
OTHER_SPREADSHEETS = {
    ".xls": "an Excel 97-2003 workbook",
    ".xlsb": "an Excel binary workbook",
    ".ods": "an OpenDocument spreadsheet",
    ".numbers": "a Numbers spreadsheet",
}

#: The name of the one sheet ``write_xlsx`` writes, unless told another.
DEFAULT_SHEET_TITLE = "Studio Desk"

#: Characters XML 1.0 cannot hold (control characters other than tab and line ends):
#: a workbook cannot store them, so a text carrying one (pasted from another program)
#: is written with U+FFFD in their place rather than refused.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Whole numbers above this are not exact in a spreadsheet (15 significant digits).
_EXACT_IN_A_SPREADSHEET = 10**15
_INTEGER = re.compile(r"-?\d{1,15}")
_DECIMAL = re.compile(r"-?\d{1,15}\.\d+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Widest a column is made to show its cells, in characters.
_WIDEST_COLUMN = 50


# --- which kind of file --------------------------------------------------------------------

def is_workbook(path: Path | str) -> bool:
    """Whether ``path`` names a workbook (by its extension, in any case) rather than CSV."""
    return Path(path).suffix.casefold() in WORKBOOK_SUFFIXES


def _refuse_other_spreadsheets(path: Path | str) -> None:
    what = OTHER_SPREADSHEETS.get(Path(path).suffix.casefold())
    if what is not None:
        raise CsvError(f"{os.fspath(path)} is {what}, which Studio Desk does not read or "
                       "write; save it as “Excel Workbook (.xlsx)” or “CSV UTF-8” instead.")


def read_table(path: Path | str, kind_name: str, *, sheet: str | None = None,
               mapping: Mapping[str, str | None] | None = None,
               ignore_unknown: bool = False) -> CsvTable:
    """Read and check the ``kind_name`` records of the file at ``path``: a workbook
    (``.xlsx``, in any case) or CSV (any other name), as their readers do.

    ``sheet`` picks a workbook's sheet by name (default the first); a CSV file has none,
    so naming one is refused. ``mapping`` and ``ignore_unknown`` as
    ``csvio.check_records`` takes them.
    """
    _refuse_other_spreadsheets(path)
    if is_workbook(path):
        return read_xlsx(path, kind_name, sheet=sheet, mapping=mapping,
                         ignore_unknown=ignore_unknown)
    if sheet is not None:
        raise CsvError(f"{os.fspath(path)} is a CSV file, which has no sheets; only a "
                       "workbook (.xlsx) has a sheet to choose.")
    return read_csv(path, kind_name, mapping=mapping, ignore_unknown=ignore_unknown)


def table_header(path: Path | str, *, sheet: str | None = None) -> tuple[str, ...]:
    """The header cells of a CSV file or a workbook's sheet (its first non-blank row), as
    the file writes them: what :func:`csvio.propose_mapping` is given before an import."""
    _refuse_other_spreadsheets(path)
    file = os.fspath(path)
    if is_workbook(path):
        return _sheet_contents(read_file_bytes(path, "an .xlsx workbook"), file, sheet,
                               header_only=True).header
    if sheet is not None:
        raise CsvError(f"{file} is a CSV file, which has no sheets; only a workbook (.xlsx) "
                       "has a sheet to choose.")
    return csv_header(decode_csv_bytes(read_file_bytes(path, "a CSV file"), file), file)


def write_table(path: Path | str, columns: Sequence[str],
                rows: Iterable[Mapping[str, Any]], text_columns: frozenset[str] | set[str]
                ) -> None:
    """Write ``rows`` to ``path`` as a workbook (``.xlsx``) or as CSV (any other name),
    whole or not at all. ``text_columns`` hold text people typed: protected against
    formula injection in CSV, and kept as text in a workbook even when they look like a
    number or a date (a project code ``0042``)."""
    _refuse_other_spreadsheets(path)
    if Path(path).suffix.casefold() == ".xlsm":
        raise CsvError(f"{os.fspath(path)}: Studio Desk writes workbooks without macros; "
                       "name the file .xlsx.")
    if is_workbook(path):
        write_xlsx(path, columns, rows, text_columns)
    else:
        write_csv(path, columns, ({c: _csv_cell(row.get(c)) for c in columns}
                                  for row in rows), text_columns)


def _csv_cell(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return cell_text(value)


# --- reading -------------------------------------------------------------------------------

@dataclass(frozen=True)
class CellError:
    """A cell showing a spreadsheet error (``#DIV/0!``, ``#REF!``) instead of a value."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class _SheetContents:
    label: str  # the file, and the sheet when the workbook has several: for messages
    header: tuple[str, ...]
    records: list[tuple[int, list[Any]]]


def sheet_names(path: Path | str) -> tuple[str, ...]:
    """The names of a workbook's sheets that hold cells (not chart sheets), in order."""
    file = os.fspath(path)
    data = read_file_bytes(path, "an .xlsx workbook")
    with _workbook(data, file) as workbook:
        return tuple(sheet.title for sheet in workbook.worksheets)


def read_xlsx(path: Path | str, kind_name: str, *, sheet: str | None = None,
              mapping: Mapping[str, str | None] | None = None,
              ignore_unknown: bool = False) -> CsvTable:
    """Read and check a workbook's sheet (``sheet`` by name, default the first) holding
    ``kind_name`` records: the same table, and the same messages, as a CSV file gives."""
    return parse_xlsx_bytes(read_file_bytes(path, "an .xlsx workbook"), kind_name,
                            os.fspath(path), sheet=sheet, mapping=mapping,
                            ignore_unknown=ignore_unknown)


def parse_xlsx_bytes(data: bytes, kind_name: str, file: str, *, sheet: str | None = None,
                     mapping: Mapping[str, str | None] | None = None,
                     ignore_unknown: bool = False) -> CsvTable:
    """Check the bytes of a workbook called ``file`` (for messages), as :func:`read_xlsx`."""
    kind_of(kind_name)  # an unknown kind is named before the file is opened
    contents = _sheet_contents(data, file, sheet)
    return check_records(contents.records, kind_name, contents.label, mapping=mapping,
                         ignore_unknown=ignore_unknown, cell_reader=cell_for_field)


def cell_for_field(field: F.Field, cell: Any) -> Any:
    """A workbook cell as ``fields.parse_value`` takes it for ``field``.

    Numbers and other typed cells become the text a CSV file would hold, so they are
    checked, and refused, with exactly the CSV rules and words ("must be a whole number,
    not “2.5”"); a date cell in a date column stays a date.
    """
    if isinstance(cell, CellError):
        raise ValueError(f"{field.label} shows the spreadsheet error {cell.code}; correct "
                         "the cell or type the value in it.")
    if cell is None:
        return None
    if isinstance(cell, str):
        return restore_neutralised(cell)
    if field.type == "date" and isinstance(cell, dt.date):
        return cell.date() if isinstance(cell, dt.datetime) else cell
    return cell_text(cell)


def cell_text(value: Any) -> str:
    """The text of a typed cell, as the spreadsheet shows it in a plain column."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _EXACT_IN_A_SPREADSHEET:
            return str(int(value))
        return repr(value)  # the shortest text that reads back as the same number
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


@contextlib.contextmanager
def _workbook(data: bytes, file: str) -> Iterator[Any]:
    """The workbook in ``data``, open for reading until the ``with`` ends; anything
    openpyxl cannot make sense of becomes one sentence about ``file``."""
    book = _guarded(file, _load_workbook, data)
    try:
        yield book
    finally:
        book.close()


def _load_workbook(data: bytes) -> Any:
    import openpyxl

    # read_only streams the cells instead of building every cell object first;
    # data_only gives a formula's saved value (what the sheet shows), not its text.
    return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def _guarded(file: str, work: Any, *args: Any) -> Any:
    """``work(*args)``, with any failure inside openpyxl blamed on the file: what it
    raises for a damaged or foreign file ranges from ``BadZipFile`` and ``KeyError`` to
    XML parse errors, none of which a user can act on."""
    try:
        return work(*args)
    except CsvError:
        raise
    except Exception as exc:
        raise CsvError(f"{file} is not an .xlsx workbook Studio Desk can read (it may be "
                       "damaged, protected by a password, or another kind of file); save "
                       "it again as “Excel Workbook (.xlsx)”.") from exc


def _sheet_contents(data: bytes, file: str, sheet: str | None, *,
                    header_only: bool = False) -> _SheetContents:
    with _workbook(data, file) as workbook:
        return _guarded(file, _read_sheet, workbook, file, sheet, header_only)


def _read_sheet(workbook: Any, file: str, sheet: str | None,
                header_only: bool) -> _SheetContents:
    worksheets = list(workbook.worksheets)
    names = [ws.title for ws in worksheets]
    if sheet is None:
        if not worksheets:
            raise CsvError(f"{file} has no sheet with cells, only charts.")
        chosen = worksheets[0]
    else:
        if sheet not in names:
            raise CsvError(f"{file} has no sheet called “{sheet}”; its sheets are "
                           f"{', '.join(f'“{n}”' for n in names) or 'none'}.")
        chosen = worksheets[names.index(sheet)]
    label = f"{file} (sheet “{chosen.title}”)" if len(worksheets) > 1 else file
    # The size a workbook declares for a sheet is written by whatever program saved it,
    # and is sometimes wrong; reading every row as stored does not depend on it.
    chosen.reset_dimensions()
    records: list[tuple[int, list[Any]]] = []
    header: tuple[str, ...] = ()
    for number, cells in enumerate(_rows(chosen), start=1):
        if not header and not all(_blank(c) for c in cells):
            # Header cells are names: text, whatever type the spreadsheet gave them.
            header = tuple(_header_text(c) for c in cells)
            records.append((number, list(header)))
            if header_only:
                break
            continue
        records.append((number, cells))
    return _SheetContents(label, header, records)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _rows(sheet: Any) -> Iterator[list[Any]]:
    """Each row of the sheet, from row 1, as plain values without trailing empty cells
    (blank rows included, so positions stay the spreadsheet's row numbers)."""
    for row in sheet.iter_rows():
        cells = [CellError(str(cell.value)) if getattr(cell, "data_type", None) == "e"
                 else cell.value for cell in row]
        while cells and _blank(cells[-1]):
            cells.pop()
        yield cells


def _header_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    return cell_text(cell)


# --- writing -------------------------------------------------------------------------------

def write_xlsx(path: Path | str, columns: Sequence[str], rows: Iterable[Mapping[str, Any]],
               text_columns: frozenset[str] | set[str], *,
               sheet_title: str = DEFAULT_SHEET_TITLE) -> None:
    """Write ``rows`` to a one-sheet workbook at ``path``, whole or not at all.

    Cells may be text (as ``store.transfer.export_rows`` gives them) or typed values.
    Numbers are stored as numbers and ISO dates as dates, except in ``text_columns``,
    which hold text people typed and stay text (a code ``0042``, a name ``2024``). Text
    never becomes a formula (see the module's docstring). The header row is bold and
    stays in view when scrolling. (A workbook is XML, which reads a carriage return
    back as a line feed: a note's line breaks stay line breaks.)
    """
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    materialised = [dict(row) for row in rows]
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])  # Excel's longest sheet name
    sheet.freeze_panes = "A2"
    for position, column in enumerate(columns, start=1):
        longest = max((len(_shown(row.get(column))) for row in materialised),
                      default=0)
        width = min(max(len(column), longest) + 2, _WIDEST_COLUMN)
        sheet.column_dimensions[get_column_letter(position)].width = width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=_xml_text(column))
        cell.data_type = "s"
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in materialised:
        sheet.append([_written_cell(sheet, WriteOnlyCell, row.get(column),
                                    column in text_columns) for column in columns])
    out = io.BytesIO()
    workbook.save(out)
    write_bytes_atomically(path, out.getvalue())


def _shown(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else cell_text(value)


def _typed(text: str) -> Any:
    """The number or date a cell the program formatted holds, or the text itself."""
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return float(text)
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _written_cell(sheet: Any, cell_type: Any, value: Any, is_text: bool) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, str) and not is_text:
        value = _typed(value)
    if isinstance(value, dt.datetime | dt.date):
        cell = cell_type(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"  # as Studio Desk writes dates everywhere
        return cell
    if isinstance(value, bool | int | float):
        return cell_type(sheet, value=value)
    text = _xml_text(value if isinstance(value, str) else cell_text(value))
    cell = cell_type(sheet, value=text)
    # openpyxl takes any text starting "=" for a formula; the string type stores it as
    # text, whatever it starts with.
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _xml_text(text: str) -> str:
    return _NOT_IN_XML.sub("\ufffd", text)
