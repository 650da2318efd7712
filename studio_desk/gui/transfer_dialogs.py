"""File › Import… and File › Export…: the studio's spreadsheets in and out of the window.

The same files the command line reads and writes (DESIGN §7: CSV, or an ``.xlsx``
workbook chosen by the file's extension), read and written by the same code
(``core.spreadsheets``, ``core.csvio``, ``store.transfer``); what the window adds is what
a person needs to trust an import before anything is saved:

* a look at the file first: its first rows, and which Studio Desk field each of its
  columns goes into, as ``csvio.propose_mapping`` guesses it (Float's "Person Name",
  "Capacity (h/week)"), for the person to correct. A column Studio Desk has no field for
  is refused, as on the command line, until the person says to leave it out: picking
  "(ignore this column)" for it, or ticking "Ignore columns Studio Desk has no field for";
* *Check*, a dry run of the whole import against the workspace as it is, listing every
  problem by row and column; *Import* stays disabled until a check finds none;
* the import itself is one transaction and one step on the window's undo stack
  (``store.import_undo``): Undo deletes what it added and puts back what it changed.

A ``.csv`` or ``.xlsx`` file dropped on the window opens the Import dialog on it. Both
dialogs take a path in a line edit beside their "Browse…" button, so tests (and people
who paste paths) never go through the native file chooser.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio_desk.core.csvio import (
    EXPORT_COLUMNS,
    IGNORED_COLUMNS,
    CsvProblem,
    CsvProblems,
    CsvTable,
    UnknownColumnsError,
    decode_csv_bytes,
    header_key,
    importable_columns,
    kind_of,
    propose_mapping,
    read_file_bytes,
    sniff_delimiter,
    text_columns,
)
from studio_desk.core.errors import CsvError, StudioDeskError
from studio_desk.core.spreadsheets import (
    WORKBOOK_SUFFIXES,
    cell_text,
    is_workbook,
    read_table,
    sheet_names,
    table_header,
    write_table,
)
from studio_desk.gui.desk import SHOWN_IN, Desk
from studio_desk.gui.undo import RecordCommand
from studio_desk.store import import_undo, plans
from studio_desk.store.transfer import ImportSummary, export_rows, import_rows

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from studio_desk.gui.main_window import MainWindow

#: Rows of the file the Import dialog shows before the whole file is checked.
PREVIEW_ROWS = 20
#: Files a drop on the window opens in the Import dialog (by extension, any case).
IMPORTABLE_SUFFIXES = (".csv", *WORKBOOK_SUFFIXES)
#: How long the status bar keeps "N rows written to FILE" and an import's counts.
STATUS_MS = 15000

#: What a file can hold, as the Import dialog offers it (command-line plural, label).
IMPORT_CHOICES: tuple[tuple[str, str], ...] = (
    ("people", "People"),
    ("clients", "Clients"),
    ("projects", "Projects"),
    ("relationships", "Relationships (who already knows which client)"),
    ("assignments", "Assignments (who holds each client's and project's role)"),
)
#: Words in a file's name that say what it holds, checked in this order (a
#: "client_relationships.csv" holds relationships, not clients).
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("relationship", "relationships"), ("assignment", "assignments"),
    ("project", "projects"), ("client", "clients"), ("customer", "clients"),
    ("people", "people"), ("person", "people"), ("staff", "people"), ("team", "people"),
    ("employee", "people"),
)

#: What the Export dialog can write, as it offers it.
EXPORT_CHOICES: tuple[tuple[str, str], ...] = (
    ("people", "People"),
    ("clients", "Clients"),
    ("projects", "Projects"),
    ("assignments", "Assignments (who holds each role today)"),
    ("capacity", "Capacity (each person's load against their limits)"),
    ("plan", "A plan's rows"),
)
#: Formats the Export dialog writes: extension -> label.
EXPORT_FORMATS = {".csv": "CSV (.csv)", ".xlsx": "Excel workbook (.xlsx)"}

#: A column's choice in the mapping: leave it out of the import.
IGNORE = "(ignore)"
#: A column's choice in the mapping: Studio Desk knows no field by the column's name.
UNMATCHED = "(unmatched)"

_IMPORT_FILTER = ("Spreadsheets (*.csv *.xlsx *.xlsm);;CSV files (*.csv);;"
                  "Excel workbooks (*.xlsx *.xlsm);;All files (*)")
_EXPORT_FILTERS = {".csv": "CSV files (*.csv)", ".xlsx": "Excel workbooks (*.xlsx)"}


def _label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setBuddy(buddy)
    return label


def _plain_label(parent: QWidget, name: str, accessible: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setAccessibleName(accessible)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return label


def _status(window: QWidget, text: str) -> None:
    bar = getattr(window, "statusBar", None)
    if callable(bar):
        bar().showMessage(text, STATUS_MS)


class _WaitCursor:
    """The busy cursor while a short write runs on the GUI thread."""

    def __enter__(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *_exc: object) -> None:
        QGuiApplication.restoreOverrideCursor()


# --- the file choosers ---------------------------------------------------------------

class TransferFileDialog:
    """The native file choosers behind "Browse…" (tests type a path instead)."""

    @classmethod
    def ask_open(cls, parent: QWidget | None, folder: Path) -> Path | None:
        """The CSV file or workbook the user picked to import, or None."""
        name, _filter = QFileDialog.getOpenFileName(parent, "Import from", str(folder),
                                                    _IMPORT_FILTER)
        return Path(name) if name else None

    @classmethod
    def ask_save(cls, parent: QWidget | None, suggested: Path) -> Path | None:
        """Where to export (the filter's extension added when none is typed), or None."""
        suffix = suggested.suffix.casefold() if suggested.suffix.casefold() \
            in EXPORT_FORMATS else ".csv"
        filters = [_EXPORT_FILTERS[suffix]] + [f for s, f in _EXPORT_FILTERS.items()
                                               if s != suffix]
        name, chosen = QFileDialog.getSaveFileName(parent, "Export to", str(suggested),
                                                   ";;".join(filters))
        if not name:
            return None
        path = Path(name)
        if path.suffix:
            return path
        wanted = next((s for s, f in _EXPORT_FILTERS.items() if f == chosen), suffix)
        return path.with_suffix(wanted)


# --- what a file holds, before it is checked -----------------------------------------

def guess_kind(path: Path | str) -> str | None:
    """What a file holds when its name says so ("Float people export.xlsx": people),
    as the command line's plural; None when the name does not say."""
    stem = Path(path).stem.casefold()
    for word, kind in _KIND_WORDS:
        if word in stem:
            return kind
    return None


@dataclass(frozen=True)
class FileGlance:
    """The start of a file, as the Import dialog shows it before checking it."""

    sheets: tuple[str, ...]  # a workbook's sheets; () for a CSV file
    header: tuple[str, ...]  # as the file writes it
    rows: tuple[tuple[str, ...], ...]  # up to PREVIEW_ROWS rows after the header, as text


def glance_at(path: Path | str, sheet: str | None = None,
              limit: int = PREVIEW_ROWS) -> FileGlance:
    """The sheets, header and first ``limit`` rows of a CSV file or a workbook's sheet
    (default: its first). Raises :class:`CsvError` with one sentence naming the file when
    it cannot be read (missing, wrong encoding, damaged workbook, an .xls file)."""
    file = os.fspath(path)
    if is_workbook(path):
        sheets = sheet_names(path)
        chosen = sheet if sheet in sheets else (sheets[0] if sheets else None)
        header = table_header(path, sheet=chosen)
        rows = _workbook_rows(path, chosen, limit) if header else ()
        return FileGlance(sheets, header, rows)
    header = table_header(path)  # refuses .xls and friends, and bad encodings
    text = decode_csv_bytes(read_file_bytes(path, "a CSV file"), file)
    return FileGlance((), header, _csv_rows(text, limit) if header else ())


def _csv_rows(text: str, limit: int) -> tuple[tuple[str, ...], ...]:
    """The rows after the header, for showing only: the check reads the file itself."""
    rows: list[tuple[str, ...]] = []
    seen_header = False
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)):
            if not any(c.strip() for c in cells):
                continue
            if not seen_header:
                seen_header = True
                continue
            rows.append(tuple(cells))
            if len(rows) >= limit:
                break
    except csv.Error:
        pass  # the check names the row that is not well-formed
    return tuple(rows)


def _workbook_rows(path: Path | str, sheet: str | None,
                   limit: int) -> tuple[tuple[str, ...], ...]:
    """The first rows after the header of a workbook's sheet, as text."""
    import openpyxl

    file = os.fspath(path)
    data = read_file_bytes(path, "an .xlsx workbook")
    rows: list[tuple[str, ...]] = []
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            worksheet = book[sheet] if sheet is not None else book.worksheets[0]
            worksheet.reset_dimensions()
            seen_header = False
            for values in worksheet.iter_rows(values_only=True):
                cells = tuple("" if v is None else v if isinstance(v, str) else cell_text(v)
                              for v in values)
                if not any(c.strip() for c in cells):
                    continue
                if not seen_header:
                    seen_header = True
                    continue
                rows.append(cells)
                if len(rows) >= limit:
                    break
        finally:
            book.close()
    except Exception as exc:  # openpyxl's many ways of saying "damaged"
        raise CsvError(f"{file} is not an .xlsx workbook Studio Desk can read (it may be "
                       "damaged, protected by a password, or another kind of file); save "
                       "it again as “Excel Workbook (.xlsx)”.") from exc
    return tuple(rows)


def _field_text(kind: str, key: str) -> str:
    """A field as the mapping offers it: "Weekly hours", "Client-facing (client_facing)"."""
    label = kind_of(kind).field(key).label
    return label if header_key(label) == key else f"{label} ({key})"


# --- the import as one undo step -----------------------------------------------------

class ImportCommand(RecordCommand):
    """A whole file imported; undo deletes what it added and restores what it changed,
    redo makes the same import again (``store.import_undo``)."""

    def __init__(self, desk: Desk, kind: str, table: CsvTable) -> None:
        imported = desk.write_now(lambda s: import_undo.import_recording(s, kind, table))
        plural = kind_of(kind).plural
        super().__init__(desk, imported.kind, f"Import {plural} from {Path(table.file).name}")
        self.imported = imported
        self._announce()

    @property
    def summary(self) -> ImportSummary:
        return self.imported.summary

    def undo_change(self) -> None:
        before = self.imported
        self.imported = self.desk.write_now(lambda s: import_undo.undo_import(s, before))
        self._announce()

    def redo_change(self) -> None:
        before = self.imported
        self.imported = self.desk.write_now(lambda s: import_undo.redo_import(s, before))
        self._announce()

    def _announce(self) -> None:
        """Have every table showing the records read again, and keep the versions this
        window's other undo steps expect in step with what the import wrote."""
        desk = self.desk
        for key, version in self.imported.versions.items():
            if key in desk.versions:
                desk.versions[key] = version
        kinds = set(self.imported.tables) | {self.kind}
        if "assignment" in kinds:
            # Who holds what shows in people's load and clients' Account Managers.
            kinds |= {"person", "client", "project"}
        for kind in list(kinds):
            kinds.update(SHOWN_IN.get(kind, ()))
        desk.stale.emit(frozenset(kinds))


# --- the Import dialog ---------------------------------------------------------------

@dataclass(frozen=True)
class _Checked:
    """A check that found no problem: the rows to import, and what they would do."""

    table: CsvTable
    summary: ImportSummary


class ImportDialog(QDialog):
    """Choose a file, see its first rows, map its columns, check it, import it."""

    def __init__(self, window: MainWindow, path: Path | None = None) -> None:
        super().__init__(window)
        assert window.desk is not None, "File › Import… needs an open workspace"
        self.window_ = window
        self.desk: Desk = window.desk
        self.setObjectName("import_dialog")
        self.setWindowTitle("Import")
        self.setAccessibleName("Import records from a file")
        self._glance: FileGlance | None = None
        self._loaded: str | None = None  # the path text last read
        self._checked: _Checked | None = None
        self._generation = 0
        self._imported = False

        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("import_path")
        self.file_edit.setAccessibleName("File to import")
        self.file_edit.setPlaceholderText("A CSV file or an .xlsx workbook")
        self.file_edit.setClearButtonEnabled(True)
        self.file_edit.editingFinished.connect(self.load_file)
        self.browse_button = QPushButton("&Browse…", self)
        self.browse_button.setObjectName("import_browse")
        self.browse_button.setAccessibleName("Choose the file to import")
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)

        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("import_kind")
        self.kind_combo.setAccessibleName("What the file holds")
        for key, text in IMPORT_CHOICES:
            self.kind_combo.addItem(text, key)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.sheet_combo = QComboBox(self)
        self.sheet_combo.setObjectName("import_sheet")
        self.sheet_combo.setAccessibleName("Sheet of the workbook")
        self.sheet_combo.currentIndexChanged.connect(self._sheet_changed)

        form = QFormLayout()
        form.addRow(_label("&File:", self.file_edit, self), file_row)
        form.addRow(_label("The file &holds:", self.kind_combo, self), self.kind_combo)
        self._sheet_label = _label("&Sheet:", self.sheet_combo, self)
        form.addRow(self._sheet_label, self.sheet_combo)
        self._form = form

        self.preview = QTableWidget(self)
        self.preview.setObjectName("import_preview")
        self.preview.setAccessibleName("First rows of the file")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.setAlternatingRowColors(True)
        self.preview.setWordWrap(False)
        self.preview.setTabKeyNavigation(False)  # arrows move in it, Tab moves on
        self.preview.verticalHeader().setDefaultSectionSize(
            self.preview.fontMetrics().height() + 8)
        preview_box = QGroupBox(f"First rows of the file (up to {PREVIEW_ROWS})", self)
        QVBoxLayout(preview_box).addWidget(self.preview)

        self.mapping_table = QTableWidget(0, 3, self)
        self.mapping_table.setObjectName("import_mapping")
        self.mapping_table.setAccessibleName("Which field each column of the file goes into")
        self.mapping_table.setHorizontalHeaderLabels(
            ["Column in the file", "First value", "Studio Desk field"])
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mapping_table.verticalHeader().setVisible(False)
        # The keyboard moves through the choices themselves (see _show_mapping), not
        # through the cells around them.
        self.mapping_table.setTabKeyNavigation(False)
        self.mapping_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.mapping_table.verticalHeader().setDefaultSectionSize(
            self.mapping_table.fontMetrics().height() + 14)
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.ignore_unknown_box = QCheckBox(
            "I&gnore columns Studio Desk has no field for", self)
        self.ignore_unknown_box.setObjectName("ignore_unknown_columns")
        self.ignore_unknown_box.setAccessibleName(
            "Ignore columns Studio Desk has no field for")
        self.ignore_unknown_box.toggled.connect(self._choices_changed)
        mapping_box = QGroupBox("Columns", self)
        mapping_layout = QVBoxLayout(mapping_box)
        mapping_layout.addWidget(self.mapping_table)
        mapping_layout.addWidget(self.ignore_unknown_box)
        self.combos: dict[str, QComboBox] = {}

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(preview_box)
        splitter.addWidget(mapping_box)

        self.check_button = QPushButton("&Check", self)
        self.check_button.setObjectName("import_check")
        self.check_button.setAccessibleName("Check the file without saving anything")
        self.check_button.setToolTip("Read the whole file and check every row against the "
                                     "workspace, without saving anything")
        self.check_button.clicked.connect(self.check)
        self.result_label = _plain_label(self, "import_result", "Result of the check")
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignTop)
        check_row.addWidget(self.result_label, 1)
        self.problems_list = QListWidget(self)
        self.problems_list.setObjectName("import_problems")
        self.problems_list.setAccessibleName("Problems found in the file")
        self.problems_list.setWordWrap(True)
        self.problems_list.setMaximumHeight(self.problems_list.fontMetrics().height() * 7)
        self.problems_list.setVisible(False)

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("import_now")
        self.import_button.setAccessibleName("Import the file")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setObjectName("import_close")
        self.import_button.clicked.connect(self.import_now)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(splitter, 1)
        layout.addLayout(check_row)
        layout.addWidget(self.problems_list)
        layout.addWidget(self.buttons)
        self.resize(860, 680)

        self._set_sheets(())
        self._update_buttons()
        if path is not None:
            self.set_path(path)

    # The file -----------------------------------------------------------------------

    def set_path(self, path: Path | str) -> None:
        """Show ``path`` (as if typed) and read its start (again, if it was shown: the
        file may have been saved since)."""
        self.file_edit.setText(os.fspath(path))
        self._loaded = None
        self.load_file()

    def path(self) -> Path | None:
        text = self.file_edit.text().strip()
        return Path(text).expanduser() if text else None

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def sheet(self) -> str | None:
        return self.sheet_combo.currentText() if self.sheet_combo.count() > 1 else None

    def _browse(self) -> None:
        current = self.path()
        folder = current.parent if current is not None else self.desk.path.parent
        chosen = TransferFileDialog.ask_open(self, folder)
        if chosen is not None:
            self.set_path(chosen)

    def load_file(self) -> None:
        """Read the start of the file named, unless it is the one shown (the line edit
        says it is done on Enter and whenever it loses the focus)."""
        text = self.file_edit.text().strip()
        if text == self._loaded:
            return
        self._loaded = text
        self._read(None)

    def _read(self, sheet: str | None) -> None:
        """Read the start of the file (``sheet`` of a workbook, default its first): its
        sheets, preview and the proposed mapping. A file that cannot be read is said so,
        in one sentence."""
        path = self.path()
        self._glance = None
        self._invalidate()
        if path is None:
            self._show_glance()
            return
        guessed = guess_kind(path)
        if guessed is not None and sheet is None:
            self.kind_combo.blockSignals(True)
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(guessed))
            self.kind_combo.blockSignals(False)
        try:
            with _WaitCursor():
                glance = glance_at(path, sheet)
        except StudioDeskError as exc:
            self._show_glance()
            self._set_sheets(())
            self._say([str(exc)], problem=True)
            return
        self._glance = glance
        if sheet is None:
            self._set_sheets(glance.sheets)
        self._show_glance()
        if not glance.header:
            self._say([f"{path} is empty: its first row must name the columns."],
                      problem=True)
        self._update_buttons()

    def _set_sheets(self, sheets: Sequence[str]) -> None:
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(sheets))
        self.sheet_combo.blockSignals(False)
        # A sheet to choose only when there is a choice.
        self._form.setRowVisible(self.sheet_combo, len(sheets) > 1)

    def _sheet_changed(self, _index: int) -> None:
        if self.sheet_combo.count() > 1:
            self._read(self.sheet_combo.currentText())

    def _kind_changed(self, _index: int) -> None:
        self._invalidate()
        self._show_mapping()

    def _show_glance(self) -> None:
        glance = self._glance
        header = list(glance.header) if glance else []
        rows = glance.rows if glance else ()
        width = max([len(header), *(len(r) for r in rows)], default=0)
        self.preview.clear()
        self.preview.setColumnCount(width)
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(
            [header[i] if i < len(header) and header[i].strip() else f"(column {i + 1})"
             for i in range(width)])
        for r, cells in enumerate(rows):
            for c, cell in enumerate(cells):
                item = QTableWidgetItem(cell)
                item.setToolTip(cell)
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()
        for c in range(width):
            self.preview.setColumnWidth(c, min(self.preview.columnWidth(c), 240))
        self._show_mapping()

    # The mapping --------------------------------------------------------------------

    def _show_mapping(self) -> None:
        """One row per named column of the file: its name, a first value, and a choice
        of field (pre-filled with ``propose_mapping``'s guess)."""
        glance = self._glance
        self.combos = {}
        self.mapping_table.setRowCount(0)
        if glance is None:
            return
        kind = self.kind()
        proposed = propose_mapping(glance.header, kind)
        read_past = IGNORED_COLUMNS.get(kind_of(kind).plural, frozenset())
        fields = importable_columns(kind)
        self.mapping_table.setRowCount(len(proposed))
        for row, (column, key) in enumerate(proposed.items()):
            position = next(i for i, h in enumerate(glance.header) if h.strip() == column)
            example = next((r[position] for r in glance.rows
                            if position < len(r) and r[position].strip()), "")
            name_item = QTableWidgetItem(column)
            name_item.setToolTip(column)
            self.mapping_table.setItem(row, 0, name_item)
            self.mapping_table.setItem(row, 1, QTableWidgetItem(example))
            combo = QComboBox(self.mapping_table)
            combo.setObjectName(f"field_for_{row}")
            combo.setAccessibleName(f"Studio Desk field for the column “{column}”")
            if key is None and header_key(column) not in read_past:
                combo.addItem("(no field of that name: choose one, or ignore)", UNMATCHED)
            combo.addItem("(ignore this column)", IGNORE)
            for field_key in fields:
                combo.addItem(_field_text(kind, field_key), field_key)
            # Unmatched when offered, else ignored (a column the import reads past).
            combo.setCurrentIndex(max(0, combo.findData(key)) if key is not None else 0)
            combo.currentIndexChanged.connect(self._choices_changed)
            combo.setProperty("mapping_row", row)
            combo.installEventFilter(self)
            self.mapping_table.setCellWidget(row, 2, combo)
            self.combos[column] = combo
        # Tab goes from the preview through each column's choice to the check box.
        chain = [self.preview, *self.combos.values(), self.ignore_unknown_box]
        for before, after in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(before, after)
        self.mapping_table.resizeColumnToContents(0)
        self.mapping_table.setColumnWidth(0, min(max(self.mapping_table.columnWidth(0), 160),
                                                 280))
        self.mapping_table.setColumnWidth(1, 180)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Bring a column's choice into view when the keyboard reaches it."""
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QComboBox):
            row = watched.property("mapping_row")
            if isinstance(row, int):
                self.mapping_table.scrollTo(self.mapping_table.model().index(row, 2))
        return super().eventFilter(watched, event)

    def mapping(self) -> dict[str, str | None]:
        """Header -> field as chosen (None: ignored); columns left unmatched are not in
        it, so the reader refuses them unless unknown columns are to be ignored."""
        chosen: dict[str, str | None] = {}
        for column, combo in self.combos.items():
            data = combo.currentData()
            if data == UNMATCHED:
                continue
            chosen[column] = None if data == IGNORE else str(data)
        return chosen

    def choose_field(self, column: str, key: str | None) -> None:
        """Pick the field ``key`` for the file's ``column`` (None: ignore the column)."""
        combo = self.combos[column]
        combo.setCurrentIndex(combo.findData(IGNORE if key is None else key))

    def _choices_changed(self, *_args: object) -> None:
        self._invalidate()

    # Checking -----------------------------------------------------------------------

    def _invalidate(self) -> None:
        """Whatever was checked no longer stands: check again before importing."""
        self._generation += 1
        self._checked = None
        self._imported = False
        self._say([])
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self._glance is not None and bool(self._glance.header)
        self.check_button.setEnabled(ready)
        self.import_button.setEnabled(self._checked is not None and not self._imported)
        (self.import_button if self._checked is not None else self.check_button
         ).setDefault(True)

    def check(self) -> None:
        """Read the whole file with the mapping chosen and run the import as a dry run
        against the workspace (off the GUI thread); list every problem, or say what the
        import would do and let it be made."""
        path = self.path()
        if path is None or self._glance is None:
            return
        self._invalidate()
        generation = self._generation
        kind, sheet, mapping = self.kind(), self.sheet(), self.mapping()
        ignore = self.ignore_unknown_box.isChecked()
        workspace = self.desk.workspace

        def dry_run() -> _Checked:
            table = read_table(path, kind, sheet=sheet, mapping=mapping,
                               ignore_unknown=ignore)
            with workspace.read() as session:
                return _Checked(table, import_rows(session, kind, table, dry_run=True))

        self.check_button.setEnabled(False)
        self.result_label.setText("Checking…")
        self.desk.runner.run(dry_run, lambda checked: self._check_done(generation, checked),
                             lambda error: self._check_failed(generation, error))

    def _check_done(self, generation: int, checked: _Checked) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # closed meanwhile, or something changed since
        self._checked = checked
        counts = _counts(checked.summary)
        lines = [f"No problems found; importing would mean {counts}."]
        skipped = checked.table.skipped_columns
        if skipped:
            lines.append("Columns left out: " + ", ".join(f"“{c}”" for c in skipped) + ".")
        self._say(lines)
        self._update_buttons()

    def _check_failed(self, generation: int, error: StudioDeskError) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._say(self._problem_lines(error), problem=True)
        self._update_buttons()

    def _problem_lines(self, error: StudioDeskError) -> list[str]:
        if isinstance(error, CsvProblems):
            count = len(error.problems)
            return [f"{count} problem{'s' if count != 1 else ''} in the file; nothing "
                    "was saved:"] + [self._problem_text(p) for p in error.problems]
        if isinstance(error, UnknownColumnsError):
            return [error.sentence("choose a field for each, or tick “Ignore columns "
                                   "Studio Desk has no field for”")]
        return [str(error)]

    def _problem_text(self, problem: CsvProblem) -> str:
        """"Row 4, column “Capacity (h/week)”: …": the column as the file names it."""
        where = f"Row {problem.row}"
        if problem.column:
            headers = [c for c, combo in self.combos.items()
                       if combo.currentData() == problem.column]
            if not headers and self._glance is not None:
                headers = [c for c, key in propose_mapping(self._glance.header,
                                                           self.kind()).items()
                           if key == problem.column]
            shown = f"“{headers[0]}”" if headers else problem.column
            where += f", column {shown}"
        return f"{where}: {problem.message}"

    def problems(self) -> list[str]:
        """The problems listed now (the first line says how many there are)."""
        return [self.problems_list.item(i).text() for i in range(self.problems_list.count())]

    def _say(self, lines: Sequence[str], *, problem: bool = False) -> None:
        """Show the outcome: one sentence in the label, or the problems in the list."""
        self.problems_list.clear()
        if problem and lines:
            self.result_label.setText(lines[0])
            self.problems_list.addItems(list(lines[1:]))
            self.problems_list.setVisible(len(lines) > 1)
        else:
            self.result_label.setText(" ".join(lines))
            self.problems_list.setVisible(False)

    # Importing ----------------------------------------------------------------------

    def import_now(self) -> None:
        """Import the rows checked, all or none, as one step on the undo stack."""
        checked = self._checked
        if checked is None or self._imported:
            return
        try:
            with _WaitCursor():
                command = ImportCommand(self.desk, self.kind(), checked.table)
        except StudioDeskError as exc:
            # The workspace changed since the check (a colleague's edit), or it is busy.
            self._checked = None
            self._say(self._problem_lines(exc), problem=True)
            self._update_buttons()
            return
        self.desk.undo_stack.push(command)
        self._imported = True
        self._checked = None
        text = command.summary.describe(Path(checked.table.file).name)
        self._say([f"Imported. {_counts(command.summary).capitalize()}. "
                   "Edit › Undo takes the whole import back."])
        _status(self.window_, text)
        self.close_button.setText("Close")
        self._update_buttons()
        self.close_button.setDefault(True)
        self.close_button.setFocus()


def _counts(summary: ImportSummary) -> str:
    return (f"{summary.added} added, {summary.updated} updated, "
            f"{summary.unchanged} unchanged")


# --- the Export dialog ---------------------------------------------------------------

@dataclass(frozen=True)
class ExportTable:
    """Rows to write, with their columns and which of those hold text people typed."""

    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    text_columns: frozenset[str]


def export_table(session: Session, what: str, plan_id: int | None = None) -> ExportTable:
    """The rows of ``what`` (an :data:`EXPORT_CHOICES` key) as the command line exports
    them: records and assignments (``export``), capacity (``capacity --csv``) or a
    plan's rows (``plan export``)."""
    if what == "capacity":
        from studio_desk.core.load import CAPACITY_COLUMNS, capacity_csv_rows
        from studio_desk.store.load_data import read_studio_load

        load = read_studio_load(session)
        return ExportTable(CAPACITY_COLUMNS,
                           capacity_csv_rows([person.today for person in load.people]),
                           frozenset({"person"}))
    if what == "plan":
        if plan_id is None:
            raise CsvError("Choose the plan whose rows to export.")
        columns = tuple(plans.PLAN_EXPORT_COLUMNS)
        # Everything but the dates is text from the workspace (names, reasons).
        dates = {"inform_on", "handover_on"}
        return ExportTable(columns, plans.plan_rows_for_export(session, plan_id),
                           frozenset(c for c in columns if c not in dates))
    return ExportTable(EXPORT_COLUMNS[what], export_rows(session, what),
                       text_columns(what))


def write_export(path: Path, table: ExportTable) -> int:
    """Write ``table`` to ``path`` (CSV or .xlsx by its extension), whole or not at all;
    the number of rows. A file that cannot be written is one sentence naming it."""
    try:
        write_table(path, table.columns, table.rows, table.text_columns)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CsvError(f"{path} could not be written: {reason}.") from None
    return len(table.rows)


def _safe_file_name(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|]+', "-", name).strip(" .") or "plan"


class ExportDialog(QDialog):
    """What to export, in which format, to which file."""

    def __init__(self, window: MainWindow, path: Path | None = None) -> None:
        super().__init__(window)
        assert window.desk is not None, "File › Export… needs an open workspace"
        self.window_ = window
        self.desk: Desk = window.desk
        self.setObjectName("export_dialog")
        self.setWindowTitle("Export")
        self.setAccessibleName("Export records to a file")
        self._suggested: str | None = None
        self._busy = False

        self.what_combo = QComboBox(self)
        self.what_combo.setObjectName("export_what")
        self.what_combo.setAccessibleName("What to export")
        for key, text in EXPORT_CHOICES:
            self.what_combo.addItem(text, key)
        self.plan_combo = QComboBox(self)
        self.plan_combo.setObjectName("export_plan")
        self.plan_combo.setAccessibleName("Plan whose rows to export")
        for plan in self.desk.read_now(plans.list_plans):
            self.plan_combo.addItem(plan.name, plan.id)
        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("export_format")
        self.format_combo.setAccessibleName("File format")
        for suffix, text in EXPORT_FORMATS.items():
            self.format_combo.addItem(text, suffix)
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("export_path")
        self.file_edit.setAccessibleName("File to export to")
        self.file_edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton("&Browse…", self)
        self.browse_button.setObjectName("export_browse")
        self.browse_button.setAccessibleName("Choose where to export")
        self.browse_button.setAutoDefault(False)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        self.message_label = _plain_label(self, "export_message", "Export problem")

        form = QFormLayout()
        form.addRow(_label("E&xport:", self.what_combo, self), self.what_combo)
        form.addRow(_label("&Plan:", self.plan_combo, self), self.plan_combo)
        form.addRow(_label("F&ormat:", self.format_combo, self), self.format_combo)
        form.addRow(_label("&File:", self.file_edit, self), file_row)
        self._form = form

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton(
            "&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("export_now")
        self.export_button.setAccessibleName("Export to the file")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export_now)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

        self.what_combo.currentIndexChanged.connect(self._what_changed)
        self.plan_combo.currentIndexChanged.connect(self._what_changed)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.file_edit.textEdited.connect(self._path_typed)
        self.browse_button.clicked.connect(self._browse)
        self._what_changed()
        if path is not None:
            self.set_path(path)

    def what(self) -> str:
        return str(self.what_combo.currentData())

    def choose(self, what: str, plan: str | None = None) -> None:
        """Pick what to export (an :data:`EXPORT_CHOICES` key), and the plan by name."""
        self.what_combo.setCurrentIndex(self.what_combo.findData(what))
        if plan is not None:
            self.plan_combo.setCurrentIndex(self.plan_combo.findText(plan))

    def set_path(self, path: Path | str) -> None:
        """Export to ``path`` (as if typed); its extension picks the format."""
        self.file_edit.setText(os.fspath(path))
        self._path_typed(self.file_edit.text())

    def path(self) -> Path | None:
        """The file to write: the format's extension added when none is typed, and a
        bare name put beside the workspace."""
        text = self.file_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        if not path.suffix:
            path = path.with_suffix(str(self.format_combo.currentData()))
        if not path.is_absolute():
            path = self.desk.path.parent / path
        return path

    def _suggestion(self) -> str:
        what = self.what()
        name = (_safe_file_name(self.plan_combo.currentText()) if what == "plan"
                else what)
        return os.fspath(self.desk.path.parent / f"{name}{self.format_combo.currentData()}")

    def _what_changed(self, *_args: object) -> None:
        is_plan = self.what() == "plan"
        self._form.setRowVisible(self.plan_combo, is_plan)
        text = self.file_edit.text()
        if not text or text == self._suggested:
            self._suggested = self._suggestion()
            self.file_edit.setText(self._suggested)
        self._update()

    def _format_changed(self, _index: int) -> None:
        suffix = str(self.format_combo.currentData())
        text = self.file_edit.text().strip()
        if text:
            path = Path(text)
            if path.suffix.casefold() != suffix:
                renamed = os.fspath(path.with_suffix(suffix) if path.suffix
                                    else Path(text + suffix))
                if text == self._suggested:
                    self._suggested = renamed
                self.file_edit.setText(renamed)
        self._update()

    def _path_typed(self, text: str) -> None:
        suffix = Path(text.strip()).suffix.casefold()
        index = self.format_combo.findData(suffix)
        if index >= 0 and index != self.format_combo.currentIndex():
            self.format_combo.blockSignals(True)
            self.format_combo.setCurrentIndex(index)
            self.format_combo.blockSignals(False)
        self._update()

    def _browse(self) -> None:
        suggested = self.path() or Path(self._suggestion())
        chosen = TransferFileDialog.ask_save(self, suggested)
        if chosen is not None:
            self.set_path(chosen)

    def _update(self) -> None:
        self.message_label.clear()
        self.message_label.setVisible(False)
        missing_plan = self.what() == "plan" and self.plan_combo.count() == 0
        if missing_plan:
            self._show_message("The workspace has no plan yet: make one with Tools › "
                               "Transition wizard.")
        self.export_button.setEnabled(not self._busy and not missing_plan
                                      and bool(self.file_edit.text().strip()))

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(True)

    def export_now(self) -> None:
        """Read the rows (off the GUI thread) and write them; close and say how many rows
        went where, or say in one sentence why the file was not written."""
        path = self.path()
        if path is None or self._busy:
            return
        what = self.what()
        plan_id = self.plan_combo.currentData() if what == "plan" else None
        workspace = self.desk.workspace

        def export() -> int:
            with workspace.read() as session:
                table = export_table(session, what, plan_id)
            return write_export(path, table)

        self._busy = True
        self._update()
        self._show_message("Exporting…")
        self.desk.runner.run(export, lambda count: self._exported(path, count),
                             self._export_failed)

    def _exported(self, path: Path, count: int) -> None:
        if shiboken6.isValid(self.window_):
            _status(self.window_, f"{count} row{'s' if count != 1 else ''} written to {path}")
        if shiboken6.isValid(self):
            self._busy = False
            self.accept()

    def _export_failed(self, error: StudioDeskError) -> None:
        if not shiboken6.isValid(self):
            if shiboken6.isValid(self.window_):
                _status(self.window_, str(error))
            return
        self._busy = False
        self._update()
        self._show_message(str(error))


# --- in the window -------------------------------------------------------------------

def _open_dialog(window: MainWindow, dialog_type: type[ImportDialog] | type[ExportDialog],
                 path: Path | None) -> ImportDialog | ExportDialog | None:
    """The dialog already open over ``window`` (brought up, on ``path``), or a new one."""
    if window.desk is None:
        return None
    for existing in window.findChildren(dialog_type):
        if existing.isVisible():
            if path is not None:
                existing.set_path(path)
            existing.raise_()
            existing.activateWindow()
            return existing
    dialog = dialog_type(window, path)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # It works on this workspace: another one opening (or none) ends it.
    close = dialog.reject
    window.workspace_changed.connect(close)
    dialog.finished.connect(lambda _result: _disconnect(window.workspace_changed, close))
    dialog.open()
    return dialog


def _disconnect(signal: Any, slot: Callable[..., Any]) -> None:
    try:
        signal.disconnect(slot)
    except (RuntimeError, TypeError):
        pass  # already gone with the window


def open_import_dialog(window: MainWindow, path: Path | None = None) -> ImportDialog | None:
    """File › Import…: the Import dialog (on ``path``, if given), or None without a
    workspace."""
    dialog = _open_dialog(window, ImportDialog, path)
    return dialog if isinstance(dialog, ImportDialog) else None


def open_export_dialog(window: MainWindow, path: Path | None = None) -> ExportDialog | None:
    """File › Export…: the Export dialog (writing to ``path``, if given)."""
    dialog = _open_dialog(window, ExportDialog, path)
    return dialog if isinstance(dialog, ExportDialog) else None


def importable_path(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> Path | None:
    """The first local CSV file or workbook a drag carries, if any."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.casefold() in IMPORTABLE_SUFFIXES:
                return path
    return None


class FileDrops(QObject):
    """Lets the main window take a dropped .csv or .xlsx file and import it (an event
    filter, so the window itself needs no drag-and-drop code)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Accept a drag carrying a file to import; open the Import dialog on a drop."""
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            assert isinstance(event, QDropEvent)
            path = importable_path(event)
            if path is None or self.window_.desk is None:
                event.ignore()
                return kind == QEvent.Type.Drop
            event.acceptProposedAction()
            if kind == QEvent.Type.Drop:
                # After the drop has finished: the dialog must not open inside it.
                QTimer.singleShot(0, self, lambda: open_import_dialog(self.window_, path))
            return True
        return super().eventFilter(watched, event)


def add_transfer_actions(window: MainWindow, file_menu: QMenu) -> None:
    """File › Import… (Ctrl+I) and File › Export…, enabled while a workspace is open;
    and a .csv or .xlsx file dropped on the window opens the Import dialog on it."""
    file_menu.addSeparator()
    entries = (
        ("&Import…", "import_file", "Add or update records from a CSV file or an .xlsx "
         "workbook", QKeySequence("Ctrl+I"), lambda: open_import_dialog(window)),
        ("&Export…", "export_file", "Write records, capacity or a plan's rows to a CSV "
         "file or an .xlsx workbook", None, lambda: open_export_dialog(window)),
    )
    for text, name, tip, shortcut, run in entries:
        action = QAction(text, window)
        action.setObjectName(name)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False, run=run: run())
        action.setEnabled(window.desk is not None)
        window.workspace_changed.connect(
            lambda path, action=action: action.setEnabled(path is not None))
        file_menu.addAction(action)
    FileDrops(window)
