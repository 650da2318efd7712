"""Reading and writing the studio's CSV files (DESIGN §7), without touching the workspace.

Reading turns a file into checked rows, or refuses it with one sentence naming the file,
the row (counted as a spreadsheet counts: the header is row 1) and the column:

* encodings: UTF-8 with or without a byte-order mark, or UTF-16 with one; anything else
  (Latin-1, Windows-1252, UTF-16 without a mark) is refused, saying what is expected,
  rather than guessed, because a wrong guess silently garbles names;
* the delimiter (``,``, ``;`` or tab) is read from the header line;
* header names ignore case, surrounding spaces, and spaces instead of underscores
  (``Weekly Hours`` is ``weekly_hours``), and the names other planning tools and studio
  spreadsheets use for the same thing are understood too (:data:`COLUMN_SYNONYMS`:
  ``Capacity (h/week)`` is ``weekly_hours``); a column the kind does not have is refused
  with the list of known columns, since silently dropping a misspelt column loses data,
  unless the caller asks to skip such columns (``ignore_unknown``) or maps each header to
  a field itself (``mapping``, as an import dialog lets a person do);
* an assignments file may carry the ``previous_person`` and ``reason`` columns its export
  writes: they describe the past, not who holds the role now, so import reads past them;
* columns not in the file are simply not set (defaults for new records, unchanged for
  records that already exist); an empty cell means "no value";
* a cell that export neutralised for spreadsheets (``'=…``) gets its quote back off, so an
  exported file imports to the same values.

The checking itself (:func:`check_records`) takes rows of cells from anywhere, so the
``.xlsx`` reader (``core.spreadsheets``) gives the same rows and the same messages.

Writing produces UTF-8 *with* a byte-order mark (Excel only recognises UTF-8 by the mark;
LibreOffice and scripts ignore it), ``,`` as delimiter and CRLF line ends (RFC 4180).
Text cells that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``,
tab or CR) are prefixed with a single quote. Number and date columns are left alone: the
program formats them itself and none of them can be negative, so they are never formulas.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio_desk.core import fields as F
from studio_desk.core.catalog import ROLE_NAMES, ROLE_PRODUCTION_MANAGER
from studio_desk.core.errors import CsvError, ValidationError
from studio_desk.core.rules import name_key
from studio_desk.core.safe_files import write_bytes_atomically

#: Columns each kind is exported with, in order (DESIGN §7). Import accepts these and
#: every other field of the kind (``active`` of people, ``lead_type`` of projects).
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "people": ("name", "email", "title", "weekly_hours", "max_active_projects",
               "max_backburner_projects", "max_clients", "client_facing", "head_down"),
    "clients": ("name", "industry", "contact_name", "contact_email", "contact_phone",
                "notes"),
    "projects": ("client", "name", "code", "status", "start", "due", "budget",
                 "estimated_hours", "technical_complexity", "communication_load", "manager"),
    "assignments": ("client", "project", "role", "person", "previous_person", "reason"),
}

#: Kinds that can be imported, by their command-line (plural) name.
IMPORT_KINDS: tuple[str, ...] = ("people", "clients", "projects", "relationships",
                                 "assignments")

#: Exported columns an import of the kind accepts and reads past (so an exported file
#: imports as it is): who held an assignment before, and why, say nothing about today.
IGNORED_COLUMNS: dict[str, frozenset[str]] = {
    "assignments": frozenset({"previous_person", "reason"}),
}

#: Kinds a file may hold that are not records edited one by one (``fields.KINDS``).
_FILE_ONLY_KINDS: dict[str, F.Kind] = {F.ASSIGNMENT.key: F.ASSIGNMENT,
                                       F.ASSIGNMENT.plural: F.ASSIGNMENT}

#: Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: The names other tools and studio spreadsheets give Studio Desk's columns, per kind (the
#: same words mean different fields in different files: in a clients file "Client Name" is
#: the client's ``name``, in a projects file it is the project's ``client``). Keys are
#: written as a person would type them and compared as :func:`header_key` compares
#: headers (case and spaces ignored). They cover the exports of Float, Harvest Forecast
#: and Runn and the usual hand-made sheets; a column whose name is not here can still be
#: mapped by hand (``mapping``) or skipped (``ignore_unknown``). The labels the window
#: shows (``Client-facing``, ``Complexity``, ``Contact``) are understood as well, so a
#: table copied out of Studio Desk reads back without being listed here.
COLUMN_SYNONYMS: dict[str, dict[str, str]] = {
    "people": {
        "Person": "name", "Person Name": "name", "Full Name": "name",
        "Team Member": "name", "Employee Name": "name",
        "Email Address": "email", "Work Email": "email",
        "Job Title": "title", "Role": "title", "Position": "title",
        "Capacity (h/week)": "weekly_hours", "Capacity (hours/week)": "weekly_hours",
        "Hours per week": "weekly_hours", "Hours/week": "weekly_hours",
        "Weekly capacity": "weekly_hours", "Weekly capacity (hours)": "weekly_hours",
        "Work hours per week": "weekly_hours",
        "Max Projects": "max_active_projects",
    },
    "clients": {
        "Client": "name", "Client Name": "name", "Company": "name",
        "Company Name": "name", "Customer": "name", "Customer Name": "name",
        "Sector": "industry",
        "Contact Person": "contact_name",
        "Primary Contact": "contact_name",
        "Contact Email Address": "contact_email", "Email": "contact_email",
        "Email Address": "contact_email",
        "Phone": "contact_phone", "Phone Number": "contact_phone",
        "Contact Phone Number": "contact_phone",
        "Note": "notes", "Comments": "notes",
    },
    "projects": {
        "Client Name": "client", "Customer": "client", "Customer Name": "client",
        "Project": "name", "Project Name": "name",
        "Project Code": "code", "Job Code": "code", "Job Number": "code",
        "Project Status": "status",
        "Start Date": "start", "Starts": "start",
        "End Date": "due", "Due Date": "due", "Deadline": "due", "Ends": "due",
        "Project Budget": "budget", "Total Budget": "budget",
        "Budget (hours)": "estimated_hours", "Budgeted Hours": "estimated_hours",
        "Hours Budget": "estimated_hours",
        "Project Manager": "manager", "Project Owner": "manager", "Owner": "manager",
    },
    "relationships": {
        "Person Name": "person", "Team Member": "person",
        "Client Name": "client", "Company": "client",
        "Since Date": "since", "Relationship Strength": "strength",
    },
    "assignments": {
        "Client Name": "client", "Project Name": "project",
        "Person Name": "person", "Team Member": "person",
    },
}

#: Unknown columns an error message names before it says "and N more".
_UNKNOWN_SHOWN = 3
#: Characters of a header an error message shows (a header may be a whole paragraph).
_HEADER_SHOWN = 40

_DELIMITERS = (",", ";", "\t")
#: How a zip file starts: .xlsx workbooks (and .ods, .numbers) are zip files.
_ZIP_MAGIC = b"PK\x03\x04"
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_EXPECTED_ENCODING = ("Save it as “CSV UTF-8” (or UTF-16 with a byte-order mark) "
                      "and import it again.")


class UnknownColumnsError(CsvError):
    """A header names columns the kind does not have.

    ``unknown`` holds those headers as the file writes them, so an import dialog can offer
    to map or skip them; ``str()`` is one short sentence however many there are.
    """

    def __init__(self, file: str, row: int, unknown: Sequence[str], kind: F.Kind,
                 hint: str = "") -> None:
        self.file = file
        self.row = row
        self.unknown = tuple(unknown)
        self.kind_plural = kind.plural
        self.known = known_columns(kind)
        self.hint = hint
        super().__init__(self.sentence())

    def sentence(self, remedy: str = "") -> str:
        """The message, with ``remedy`` (say, how to skip the columns) as its last clause."""
        shown = ", ".join(f"“{_shortened(u)}”" for u in self.unknown[:_UNKNOWN_SHOWN])
        more = len(self.unknown) - _UNKNOWN_SHOWN
        if more > 0:
            shown += f" and {more} more"
        plural = "s" if len(self.unknown) > 1 else ""
        tail = f"; {remedy}" if remedy else ""
        return (f"{self.file}, row {self.row}: unknown column{plural} {shown}; "
                f"{self.kind_plural} files may have {', '.join(self.known)}{tail}."
                f"{self.hint}")


def _shortened(header: str) -> str:
    header = " ".join(header.split())
    return header if len(header) <= _HEADER_SHOWN else header[:_HEADER_SHOWN - 1] + "…"


class CsvProblems(CsvError):
    """A file with one or more bad rows: ``problems`` lists them all, in row order.

    ``str()`` is one sentence about the first problem, with how many more there are.
    """

    def __init__(self, problems: Sequence[CsvProblem]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        more = len(self.problems) - 1
        tail = f" ({more} more problem{'s' if more != 1 else ''} in the file.)" if more else ""
        super().__init__(f"{first}{tail}")


@dataclass(frozen=True)
class CsvProblem:
    """One bad cell or row: where it is and what is wrong."""

    file: str
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class CsvRow:
    """One data row: its spreadsheet row number and its checked values.

    ``values`` holds a value for every column of the file (``None`` for an empty cell),
    converted by ``core.fields`` (numbers, dates, a normalised status; references as the
    names written).
    """

    row: int
    values: dict[str, Any]


@dataclass(frozen=True)
class CsvTable:
    """A whole file, checked: which kind it holds, its columns and its rows."""

    file: str
    kind: str  # the kind key of core.fields: "person", "client", …, "assignment"
    columns: tuple[str, ...]
    rows: tuple[CsvRow, ...]
    #: Headers of the columns left out because the caller asked (``ignore_unknown``, or
    #: ``None`` in ``mapping``), as the file writes them, so the user can be told.
    skipped_columns: tuple[str, ...] = ()


def kind_of(name: str) -> F.Kind:
    """The kind named ``name``, in the plural of the command line or the singular key."""
    kind = F.KINDS_BY_PLURAL.get(name) or F.KINDS.get(name) or _FILE_ONLY_KINDS.get(name)
    if kind is None:
        raise CsvError(f"There is no kind of record called “{name}”; use one of "
                       f"{', '.join(IMPORT_KINDS)}.")
    return kind


def required_columns(kind: F.Kind) -> tuple[str, ...]:
    """The columns a file of ``kind`` must have (DESIGN §7)."""
    return tuple(f.key for f in kind.fields if f.required)


def known_columns(kind: F.Kind) -> tuple[str, ...]:
    """Every column a file of ``kind`` may have: the exported ones first, then the rest."""
    exported = EXPORT_COLUMNS.get(kind.plural, ())
    return exported + tuple(k for k in kind.keys if k not in exported)


# --- reading -------------------------------------------------------------------------------

def decode_csv_bytes(data: bytes, file: str) -> str:
    """The text of a CSV file, or a :class:`CsvError` saying which encoding is expected."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise CsvError(f"{file} is UTF-32 text, which Studio Desk does not read. "
                       f"{_EXPECTED_ENCODING}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise CsvError(f"{file} starts like UTF-16 text but is not valid UTF-16. "
                           f"{_EXPECTED_ENCODING}") from None
    else:
        if data.startswith(codecs.BOM_UTF8):
            data = data[len(codecs.BOM_UTF8):]
        if data.startswith(_ZIP_MAGIC):
            raise CsvError(f"{file} is a zip file, such as an Excel workbook, not CSV text; "
                           "name a workbook FILE.xlsx, or save the sheet as “CSV UTF-8”.")
        if b"\x00" in data:
            # UTF-8 never contains NUL bytes in text; UTF-16 without a mark does.
            raise CsvError(f"{file} looks like UTF-16 text without a byte-order mark, or "
                           f"is not text at all. {_EXPECTED_ENCODING}")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise CsvError(
                f"{file}, line {line}: byte 0x{data[exc.start]:02X} is not UTF-8; the file "
                f"seems to be in another encoding (Latin-1 or Windows-1252?). "
                f"{_EXPECTED_ENCODING}") from None
    if "\x00" in text:
        raise CsvError(f"{file} contains NUL characters, so it is not a text CSV file. "
                       f"{_EXPECTED_ENCODING}")
    return text


def sniff_delimiter(text: str) -> str:
    """``,``, ``;`` or tab: whichever the header line uses most (``,`` if none)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_key(cell: str) -> str:
    """The column a header cell names: case, outer spaces and inner spaces ignored."""
    return re.sub(r"\s+", "_", cell.strip().casefold())


def restore_neutralised(cell: str) -> str:
    """Undo export's protection: ``'=SUM(1)`` back to ``=SUM(1)``; other cells unchanged."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in FORMULA_STARTS:
        return cell[1:]
    return cell


def _is_blank_cell(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _is_blank(cells: Sequence[Any]) -> bool:
    return all(_is_blank_cell(c) for c in cells)


# --- which column is which field -----------------------------------------------------------

@functools.cache
def _names_of(kind_plural: str) -> dict[str, str]:
    """Every header (as :func:`header_key` has it) a ``kind_plural`` file may use for a
    field, with that field: the field keys, the window's labels, then the synonyms."""
    kind = kind_of(kind_plural)
    names = {key: key for key in known_columns(kind)}
    for f in kind.fields:
        names.setdefault(header_key(f.label), f.key)
    for synonym, key in COLUMN_SYNONYMS.get(kind.plural, {}).items():
        names.setdefault(header_key(synonym), key)
    return names


def field_for_header(header: str, kind_name: str) -> str | None:
    """The field of ``kind_name`` a column headed ``header`` holds, or ``None`` when the
    kind has no such field (or, like an exported ``reason``, the import reads past it)."""
    kind = kind_of(kind_name)
    key = _names_of(kind.plural).get(header_key(header))
    if key is None or key in IGNORED_COLUMNS.get(kind.plural, frozenset()):
        return None
    return key


def propose_mapping(header: Sequence[str], kind_name: str) -> dict[str, str | None]:
    """Header -> the field an import of ``kind_name`` reads the column into (``None``: the
    column is not read), in the file's order, for a person to check and correct.

    Given back unchanged as ``mapping``, it reads the file exactly as no mapping would;
    two headers proposed for the same field are left for the person (or the reader's
    message) to settle, since guessing which one holds the data could lose it.
    """
    kind_of(kind_name)  # an unknown kind is refused even for an empty header
    return {cell.strip(): field_for_header(cell, kind_name)
            for cell in header if cell.strip()}


def importable_columns(kind_name: str) -> tuple[str, ...]:
    """The fields a column of a ``kind_name`` file can be mapped to, exported ones first."""
    kind = kind_of(kind_name)
    ignored = IGNORED_COLUMNS.get(kind.plural, frozenset())
    return tuple(k for k in known_columns(kind) if k not in ignored)


def _checked_mapping(kind: F.Kind, file: str,
                     mapping: Mapping[str, str | None] | None) -> dict[str, str | None]:
    """``mapping`` keyed as headers are compared, with every target checked."""
    if mapping is None:
        return {}
    known = known_columns(kind)
    checked: dict[str, str | None] = {}
    for header, key in mapping.items():
        if key is not None and key not in known:
            raise CsvError(f"{file}: the column “{_shortened(header)}” cannot be read as "
                           f"“{key}”; {kind.plural} files may have {', '.join(known)}.")
        checked[header_key(header)] = key
    return checked


# --- checking rows of cells ----------------------------------------------------------------

#: Turns one cell into what ``fields.parse_value`` takes for the field (raising
#: ``ValueError`` with a sentence when the cell cannot be that field's value).
CellReader = Callable[[F.Field, Any], Any]


def _text_cell(_field: F.Field, cell: Any) -> Any:
    return restore_neutralised(cell) if isinstance(cell, str) else cell


def check_records(records: Iterable[tuple[int, Sequence[Any]]], kind_name: str, file: str,
                  *, mapping: Mapping[str, str | None] | None = None,
                  ignore_unknown: bool = False, cell_reader: CellReader | None = None,
                  delimiter: str | None = None) -> CsvTable:
    """Check a table of ``kind_name`` given as (spreadsheet row number, cells) pairs.

    The first non-blank row is the header (its cells text). ``mapping`` says which field
    a header's column holds (``None``: skip the column); headers it does not name are
    matched by name and synonym, and a column still unknown is refused, or skipped with
    ``ignore_unknown``. ``cell_reader`` turns a cell into a field's value (default: text
    cells, with export's formula protection taken off). ``delimiter`` is the CSV file's,
    whose rows must then be as wide as the header; a workbook's cells stand in columns,
    so its rows have no width to check.

    Every bad cell is collected into one :class:`CsvProblems`; a bad header raises a
    :class:`CsvError` (:class:`UnknownColumnsError` for unknown columns).
    """
    kind = kind_of(kind_name)
    read_cell = cell_reader or _text_cell
    numbered = [(number, cells) for number, cells in records]
    while numbered and _is_blank(numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        raise CsvError(f"{file} is empty; the first row must name the columns "
                       f"(at least {', '.join(required_columns(kind))}).")
    header_row, header_cells = numbered[0]
    header = [cell if isinstance(cell, str) else "" if cell is None else str(cell)
              for cell in header_cells]
    body = numbered[1:]
    columns, skipped = _read_header(kind, file, header_row, header, body, delimiter,
                                    _checked_mapping(kind, file, mapping), ignore_unknown)
    fields = {position: kind.field(key) for position, key in columns.items()
              if key in kind.keys}
    columns = {position: key for position, key in columns.items() if position in fields}

    problems: list[CsvProblem] = []
    rows: list[CsvRow] = []
    seen: dict[Any, int] = {}
    width = len(header)
    for number, cells in body:
        if _is_blank(cells):
            continue  # spreadsheets leave empty rows (",,,,") at the end
        if delimiter is not None and len(cells) != width:
            problems.append(CsvProblem(
                file, number, None,
                f"it has {len(cells)} cells but the header has {width} columns "
                f"(a missing or extra {_DELIMITER_NAMES[delimiter]}, or an unclosed quote?)."))
            continue
        raw: dict[str, Any] = {}
        unreadable: dict[str, str] = {}
        for position, field in fields.items():
            try:
                raw[field.key] = read_cell(field, cells[position] if position < len(cells)
                                           else None)
            except ValueError as exc:
                unreadable[field.key] = str(exc)
        try:
            values = F.validate(kind, {k: v for k, v in raw.items() if k not in unreadable},
                                complete=False)
        except ValidationError as exc:
            unreadable = {**exc.problems, **unreadable}
        if unreadable:
            problems += [CsvProblem(file, number, key, message)
                         for key, message in unreadable.items()]
            continue
        identity, column, label = _identity(kind, values)
        if identity is not None:
            if identity in seen:
                problems.append(CsvProblem(
                    file, number, column,
                    f"{label} appears twice in the file, in rows {seen[identity]} and "
                    f"{number}."))
                continue
            seen[identity] = number
        rows.append(CsvRow(number, values))
    if problems:
        raise CsvProblems(problems)
    return CsvTable(file, kind.key, tuple(columns.values()), tuple(rows), tuple(skipped))


def parse_csv_text(text: str, kind_name: str, file: str, *,
                   mapping: Mapping[str, str | None] | None = None,
                   ignore_unknown: bool = False) -> CsvTable:
    """Check the text of a CSV file of ``kind_name`` (``people``, ``projects``, …);
    ``mapping`` and ``ignore_unknown`` as :func:`check_records` takes them."""
    kind_of(kind_name)  # an unknown kind is named before the file's shape
    delimiter = sniff_delimiter(text)
    # A spreadsheet counts records, not physical lines: a quoted cell may span lines.
    return check_records(enumerate(_csv_records(text, delimiter, file), start=1), kind_name,
                         file, mapping=mapping, ignore_unknown=ignore_unknown,
                         delimiter=delimiter)


def _csv_records(text: str, delimiter: str, file: str) -> list[list[str]]:
    records: list[list[str]] = []
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                                strict=True):
            records.append(cells)
    except csv.Error as exc:
        row = len(records) + 1
        if "field larger than field limit" in str(exc):
            raise CsvError(f"{file}, row {row}: a cell is longer than "
                           f"{csv.field_size_limit():,} characters, more than any field "
                           "holds; shorten it, or close the quote left open in that row "
                           "(which runs a cell on to the end of the file).") from None
        raise CsvError(f"{file}, row {row}: this is not well-formed CSV "
                       f"({exc}); check the quotes in that row.") from None
    return records


def csv_header(text: str, file: str) -> tuple[str, ...]:
    """The header cells of a CSV file's text (its first non-blank row), as written."""
    for cells in _csv_records(text, sniff_delimiter(text), file):
        if not _is_blank(cells):
            return tuple(cells)
    return ()


def _read_header(kind: F.Kind, file: str, header_row: int, header: Sequence[str],
                 body: Sequence[tuple[int, Sequence[Any]]], delimiter: str | None,
                 mapping: Mapping[str, str | None], ignore_unknown: bool
                 ) -> tuple[dict[int, str], list[str]]:
    """Cell position -> field key, and the headers skipped; or a CsvError naming what is
    wrong with the header."""
    columns: dict[int, str] = {}
    where: dict[str, int] = {}
    unknown: list[str] = []
    skipped: list[str] = []
    ignored = IGNORED_COLUMNS.get(kind.plural, frozenset())
    names = _names_of(kind.plural)
    for position, cell in enumerate(header):
        key_text = header_key(cell)
        if not key_text:
            # Spreadsheets often save a trailing empty column; a nameless column with data
            # in it, though, would be silently lost.
            if any(position < len(cells) and not _is_blank_cell(cells[position])
                   for _n, cells in body):
                if not ignore_unknown:
                    raise CsvError(f"{file}, row {header_row}: column {position + 1} has "
                                   "data but no name in the header.")
                skipped.append(f"column {position + 1}")
            continue
        if key_text in mapping:
            key = mapping[key_text]
            if key is None:
                skipped.append(cell.strip())
                continue
        elif key_text in names:
            key = names[key_text]
        else:
            if ignore_unknown:
                skipped.append(cell.strip())
            else:
                unknown.append(cell.strip())
            continue
        if key in ignored:
            continue  # an exported column the import reads past
        if key in where:
            first = header[where[key]].strip()
            if header_key(first) == key_text:
                raise CsvError(f"{file}, row {header_row}: the column “{_shortened(first)}” "
                               f"appears twice (columns {where[key] + 1} and "
                               f"{position + 1}).")
            raise CsvError(f"{file}, row {header_row}: the columns “{_shortened(first)}” "
                           f"({where[key] + 1}) and “{_shortened(cell.strip())}” "
                           f"({position + 1}) both hold {key}; keep only one of them.")
        where[key] = position
        columns[position] = key
    if unknown:
        hint = ""
        if len(header) == 1 and delimiter == ",":
            hint = " (Is the file separated by something other than , ; or tab?)"
        raise UnknownColumnsError(file, header_row, unknown, kind, hint)
    missing = [k for k in required_columns(kind) if k not in where]
    if missing:
        raise CsvError(f"{file}, row {header_row}: the required column"
                       f"{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                       f"{'are' if len(missing) > 1 else 'is'} missing; {kind.plural} files "
                       f"need {', '.join(required_columns(kind))}.")
    return columns, skipped


def _identity(kind: F.Kind, values: Mapping[str, Any]) -> tuple[Any, str, str]:
    """What makes a row the same record as another: its name, a project's client and
    name (two clients may each have a "Website rebuild"), a relationship's pair, or the
    client (Account Manager) or project (Production Manager) an assignment is for."""
    if kind.key == F.ASSIGNMENT.key:
        return _assignment_identity(values)
    if kind.key == "relationship":
        person, client = values.get("person"), values.get("client")
        if person is None or client is None:
            return None, "", ""
        return ((name_key(person), name_key(client)), "client",
                f"The relationship of {person} with {client}")
    name = values.get("name")
    if name is None:
        return None, "", ""
    if kind.key == "project":
        client = values.get("client")
        if client is None:
            return None, "", ""  # refused as a missing client already
        return ((name_key(client), name_key(name)), "name",
                f"{client}’s project “{name}”")
    return name_key(name), "name", f"The name “{name}”"


def _assignment_identity(values: Mapping[str, Any]) -> tuple[Any, str, str]:
    role, client, project = values.get("role"), values.get("client"), values.get("project")
    if role == ROLE_PRODUCTION_MANAGER:
        if project is None:
            return None, "", ""
        if client is None:
            # Its project's name alone says whose (checked against the workspace on
            # import), so a row naming the client too may still be the same project.
            return ((role, None, name_key(project)), "project",
                    f"The {ROLE_NAMES[role]} of the project “{project}”")
        return ((role, name_key(client), name_key(project)), "project",
                f"The {ROLE_NAMES[role]} of {client}’s project “{project}”")
    if role is None or client is None:
        return None, "", ""
    return (role, name_key(client)), "client", f"The {ROLE_NAMES[role]} of “{client}”"


def read_file_bytes(path: Path | str, what: str) -> bytes:
    """The bytes of the file a user named, or a :class:`CsvError` saying why not
    (``what`` names the file expected: "a CSV file", "an .xlsx workbook")."""
    file = os.fspath(path)
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise CsvError(f"{file} does not exist.") from None
    except IsADirectoryError:
        raise CsvError(f"{file} is a folder, not {what}.") from None
    except PermissionError:
        raise CsvError(f"{file} cannot be read: permission denied.") from None


def read_csv(path: Path | str, kind_name: str, *,
             mapping: Mapping[str, str | None] | None = None,
             ignore_unknown: bool = False) -> CsvTable:
    """Read and check the CSV file at ``path`` holding ``kind_name`` records."""
    file = os.fspath(path)
    text = decode_csv_bytes(read_file_bytes(path, "a CSV file"), file)
    return parse_csv_text(text, kind_name, file, mapping=mapping,
                          ignore_unknown=ignore_unknown)


# --- writing -------------------------------------------------------------------------------

def neutralise(cell: str) -> str:
    """A text cell a spreadsheet will show as typed instead of running it as a formula."""
    if cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def text_columns(kind_name: str) -> frozenset[str]:
    """The exported columns of ``kind_name`` that hold text people typed (not numbers)."""
    if kind_name == "assignments":
        return frozenset(EXPORT_COLUMNS["assignments"])
    kind = kind_of(kind_name)
    return frozenset(k for k in EXPORT_COLUMNS[kind.plural]
                     if kind.field(k).type in ("text", "ref", "choice"))


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, str | None]],
             neutralised: frozenset[str] | set[str]) -> str:
    """The CSV text of ``rows`` (cells as text) with a header; ``neutralised`` columns are
    protected against formula injection."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=",", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for column in columns:
            cell = row.get(column) or ""
            cells.append(neutralise(cell) if column in neutralised else cell)
        writer.writerow(cells)
    return out.getvalue()


def write_csv(path: Path | str, columns: Sequence[str],
              rows: Iterable[Mapping[str, str | None]],
              neutralised: frozenset[str] | set[str]) -> None:
    """Write ``rows`` to ``path`` as UTF-8 with a byte-order mark, whole or not at all."""
    write_bytes_atomically(path, csv_text(columns, rows, neutralised).encode("utf-8-sig"))
