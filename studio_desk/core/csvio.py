"""Reading and writing the studio's CSV files (DESIGN §7), without touching the workspace.

Reading turns a file into checked rows, or refuses it with one sentence naming the file,
the row (counted as a spreadsheet counts: the header is row 1) and the column:

* encodings: UTF-8 with or without a byte-order mark, or UTF-16 with one; anything else
  (Latin-1, Windows-1252, UTF-16 without a mark) is refused, saying what is expected,
  rather than guessed, because a wrong guess silently garbles names;
* the delimiter (``,``, ``;`` or tab) is read from the header line;
* header names ignore case, surrounding spaces, and spaces instead of underscores
  (``Weekly Hours`` is ``weekly_hours``); a column the kind does not have is refused with
  the list of known columns, since silently dropping a misspelt column loses data;
* an assignments file may carry the ``previous_person`` and ``reason`` columns its export
  writes: they describe the past, not who holds the role now, so import reads past them;
* columns not in the file are simply not set (defaults for new records, unchanged for
  records that already exist); an empty cell means "no value";
* a cell that export neutralised for spreadsheets (``'=…``) gets its quote back off, so an
  exported file imports to the same values.

Writing produces UTF-8 *with* a byte-order mark (Excel only recognises UTF-8 by the mark;
LibreOffice and scripts ignore it), ``,`` as delimiter and CRLF line ends (RFC 4180).
Text cells that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``,
tab or CR) are prefixed with a single quote. Number and date columns are left alone: the
program formats them itself and none of them can be negative, so they are never formulas.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio_desk.core import fields as F
from studio_desk.core.catalog import ROLE_NAMES, ROLE_PRODUCTION_MANAGER
from studio_desk.core.errors import CsvError, ValidationError
from studio_desk.core.rules import name_key

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

_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_EXPECTED_ENCODING = ("Save it as “CSV UTF-8” (or UTF-16 with a byte-order mark) "
                      "and import it again.")


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


def _is_blank(cells: Sequence[str]) -> bool:
    return all(not c.strip() for c in cells)


def parse_csv_text(text: str, kind_name: str, file: str) -> CsvTable:
    """Check the text of a CSV file of ``kind_name`` (``people``, ``projects``, …)."""
    kind = kind_of(kind_name)
    delimiter = sniff_delimiter(text)
    records: list[list[str]] = []
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                                strict=True):
            records.append(cells)
    except csv.Error as exc:
        raise CsvError(f"{file}, row {len(records) + 1}: this is not well-formed CSV "
                       f"({exc}); check the quotes in that row.") from None
    # A spreadsheet counts records, not physical lines: a quoted cell may span lines.
    numbered = list(enumerate(records, start=1))
    while numbered and _is_blank(numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        raise CsvError(f"{file} is empty; the first row must name the columns "
                       f"(at least {', '.join(required_columns(kind))}).")
    header_row, header = numbered[0]
    body = numbered[1:]
    columns = _read_header(kind, file, header_row, header, body, delimiter)
    ignored = IGNORED_COLUMNS.get(kind.plural, frozenset())
    columns = {position: key for position, key in columns.items() if key not in ignored}

    problems: list[CsvProblem] = []
    rows: list[CsvRow] = []
    seen: dict[Any, int] = {}
    width = len(header)
    for number, cells in body:
        if _is_blank(cells):
            continue  # spreadsheets leave empty rows (",,,,") at the end
        if len(cells) != width:
            problems.append(CsvProblem(
                file, number, None,
                f"it has {len(cells)} cells but the header has {width} columns "
                f"(a missing or extra {_DELIMITER_NAMES[delimiter]}, or an unclosed quote?)."))
            continue
        raw = {key: restore_neutralised(cells[i]) for i, key in columns.items()}
        try:
            values = F.validate(kind, raw, complete=False)
        except ValidationError as exc:
            for field_key, message in exc.problems.items():
                problems.append(CsvProblem(file, number, field_key, message))
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
    return CsvTable(file, kind.key, tuple(columns.values()), tuple(rows))


def _read_header(kind: F.Kind, file: str, header_row: int, header: Sequence[str],
                 body: Sequence[tuple[int, Sequence[str]]], delimiter: str) -> dict[int, str]:
    """Cell position -> field key, or a CsvError naming what is wrong with the header."""
    columns: dict[int, str] = {}
    where: dict[str, int] = {}
    unknown: list[str] = []
    known = known_columns(kind)
    for position, cell in enumerate(header):
        key = header_key(cell)
        if not key:
            # Spreadsheets often save a trailing empty column; a nameless column with data
            # in it, though, would be silently lost.
            if any(position < len(cells) and cells[position].strip() for _n, cells in body):
                raise CsvError(f"{file}, row {header_row}: column {position + 1} has data but "
                               "no name in the header.")
            continue
        if key not in known:
            unknown.append(cell.strip())
            continue
        if key in where:
            raise CsvError(f"{file}, row {header_row}: the column “{key}” appears twice "
                           f"(columns {where[key] + 1} and {position + 1}).")
        where[key] = position
        columns[position] = key
    if unknown:
        names = ", ".join(f"“{u}”" for u in unknown)
        hint = ""
        if len(header) == 1 and delimiter == ",":
            hint = " (Is the file separated by something other than , ; or tab?)"
        raise CsvError(f"{file}, row {header_row}: unknown column{'s' if len(unknown) > 1 else ''}"
                       f" {names}; {kind.plural} files may have {', '.join(known)}.{hint}")
    missing = [k for k in required_columns(kind) if k not in where]
    if missing:
        raise CsvError(f"{file}, row {header_row}: the required column"
                       f"{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                       f"{'are' if len(missing) > 1 else 'is'} missing; {kind.plural} files "
                       f"need {', '.join(required_columns(kind))}.")
    return columns


def _identity(kind: F.Kind, values: Mapping[str, Any]) -> tuple[Any, str, str]:
    """What makes a row the same record as another: its name, a relationship's pair, or
    the client (Account Manager) or project (Production Manager) an assignment is for."""
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
    return name_key(name), "name", f"The name “{name}”"


def _assignment_identity(values: Mapping[str, Any]) -> tuple[Any, str, str]:
    role, client, project = values.get("role"), values.get("client"), values.get("project")
    if role is None or client is None:
        return None, "", ""
    if role == ROLE_PRODUCTION_MANAGER:
        if project is None:
            return None, "", ""
        return ((role, name_key(client), name_key(project)), "project",
                f"The {ROLE_NAMES[role]} of {client}’s project “{project}”")
    return (role, name_key(client)), "client", f"The {ROLE_NAMES[role]} of “{client}”"


def read_csv(path: Path | str, kind_name: str) -> CsvTable:
    """Read and check the CSV file at ``path`` holding ``kind_name`` records."""
    file = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise CsvError(f"{file} does not exist.") from None
    except IsADirectoryError:
        raise CsvError(f"{file} is a folder, not a CSV file.") from None
    except PermissionError:
        raise CsvError(f"{file} cannot be read: permission denied.") from None
    return parse_csv_text(decode_csv_bytes(data, file), kind_name, file)


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
    target = Path(path)
    data = csv_text(columns, rows, neutralised).encode("utf-8-sig")
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        if isinstance(exc, OSError) and exc.errno is not None:
            # Name the file the user asked for, not the temporary one beside it.
            raise OSError(exc.errno, exc.strerror, os.fspath(path)) from exc
        raise
