"""File › Import… and File › Export…: a person bringing a spreadsheet in (mapping its
columns, checking it, importing it as one undoable step) and writing one out."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from studio_desk.core.rows import PersonRow, Row
from studio_desk.gui.main_window import MainWindow
from studio_desk.gui.tasks import TaskRunner
from studio_desk.gui.transfer_dialogs import (
    IGNORE,
    UNMATCHED,
    ExportDialog,
    ImportDialog,
    guess_kind,
)
from studio_desk.gui.views import RecordView
from studio_desk.store import plans, records
from studio_desk.store.engine import Workspace
from studio_desk.store.transfer import export_rows
from tests.gui.conftest import cell_texts, focused, problems

# --- helpers -------------------------------------------------------------------------

def _trigger(window: MainWindow, name: str) -> None:
    action = window.findChild(QAction, name)
    assert action is not None and action.isEnabled(), name
    action.trigger()


def _open_import(qtbot, window: MainWindow, path: Path) -> ImportDialog:  # type: ignore[no-untyped-def]
    """File › Import…, then type the file's path and press Enter, as a person would."""
    _trigger(window, "import_file")
    dialog = window.findChild(ImportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.file_edit.setFocus()
    qtbot.keyClicks(dialog.file_edit, str(path))
    qtbot.keyClick(dialog.file_edit, Qt.Key.Key_Return)
    return dialog


def _open_export(window: MainWindow) -> ExportDialog:
    _trigger(window, "export_file")
    # (One closed before is only deleted at the next turn of the event loop.)
    shown = [d for d in window.findChildren(ExportDialog) if d.isVisible()]
    assert len(shown) == 1
    return shown[0]


def _click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _person(workspace: Workspace, name: str) -> PersonRow | None:
    with workspace.read() as s:
        found = records.find_id(s, "person", name)
        if found is None:
            return None
        row = records.get_row(s, "person", found)
    assert isinstance(row, PersonRow)
    return row


def _names(workspace: Workspace, kind: str) -> list[str]:
    with workspace.read() as s:
        return records.names(s, kind)


def _people_shown(window: MainWindow) -> list[str]:
    view = window.page("People")
    assert isinstance(view, RecordView)
    return cell_texts(view, "name")


def _workbook(path: Path, sheets: dict[str, list[tuple[object, ...]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


FLOAT_PEOPLE = [("Person Name", "Capacity (h/week)", "Department"),
                ("Dana Kim", 40, "Design"),
                ("Eli Park", 24.5, "Development"),
                ("Ben Ode", 30, "Development")]


# --- the menu ------------------------------------------------------------------------

def test_import_and_export_are_in_the_file_menu_only_while_a_workspace_is_open(
        make_window, small_studio):
    window = make_window()
    names = [a.objectName() for a in window.menuBar().actions()[0].menu().actions()]
    assert names.index("back_up_now") < names.index("import_file") \
        < names.index("export_file") < names.index("print_plan")
    import_file = window.findChild(QAction, "import_file")
    export_file = window.findChild(QAction, "export_file")
    assert import_file.shortcut().toString() == "Ctrl+I"
    assert import_file.text() == "&Import…" and export_file.text() == "&Export…"
    assert not import_file.isEnabled() and not export_file.isEnabled()
    assert window.open_path(small_studio.path)
    assert import_file.isEnabled() and export_file.isEnabled()


def test_what_a_file_holds_is_guessed_from_its_name_only_when_it_says_so():
    assert guess_kind("Float people export.xlsx") == "people"
    assert guess_kind("client_relationships.csv") == "relationships"
    assert guess_kind("Clients 2026.csv") == "clients"
    assert guess_kind("project-assignments.xlsx") == "assignments"
    assert guess_kind("export.csv") is None


# --- importing -------------------------------------------------------------------------

def test_a_float_workbook_is_mapped_refused_for_its_unknown_column_then_imported(
        qtbot, studio_window, small_studio, tmp_path):
    path = _workbook(tmp_path / "Float people.xlsx", {"People": FLOAT_PEOPLE})
    dialog = _open_import(qtbot, studio_window, path)

    assert dialog.kind() == "people"  # from the file's name
    assert not dialog.sheet_combo.isVisibleTo(dialog)  # one sheet: nothing to choose
    assert dialog.preview.rowCount() == 3
    assert [dialog.preview.horizontalHeaderItem(c).text() for c in range(3)] == \
        ["Person Name", "Capacity (h/week)", "Department"]
    assert dialog.preview.item(1, 1).text() == "24.5"
    # Float's column names are understood; the department is not a Studio Desk field.
    assert dialog.mapping() == {"Person Name": "name", "Capacity (h/week)": "weekly_hours"}
    assert dialog.combos["Person Name"].currentText() == "Name"
    assert dialog.combos["Capacity (h/week)"].currentText() == "Weekly hours"
    assert dialog.combos["Department"].currentData() == UNMATCHED

    _click(qtbot, dialog.check_button)
    assert "unknown column “Department”" in dialog.result_label.text()
    assert not dialog.import_button.isEnabled()
    assert _person(small_studio, "Dana Kim") is None

    dialog.ignore_unknown_box.setFocus()
    qtbot.keyClick(dialog.ignore_unknown_box, Qt.Key.Key_Space)
    assert dialog.ignore_unknown_box.isChecked()
    assert not dialog.import_button.isEnabled()  # a changed choice must be checked again
    _click(qtbot, dialog.check_button)
    assert "2 added, 1 updated, 0 unchanged" in dialog.result_label.text()
    assert "“Department”" in dialog.result_label.text()  # said to be left out
    assert _person(small_studio, "Dana Kim") is None  # a check saves nothing

    _click(qtbot, dialog.import_button)
    assert "2 added, 1 updated, 0 unchanged" in dialog.result_label.text()
    assert "2 added, 1 updated, 0 unchanged" in studio_window.statusBar().currentMessage()
    assert not dialog.import_button.isEnabled()  # imported once
    dana, ben = _person(small_studio, "Dana Kim"), _person(small_studio, "Ben Ode")
    assert dana is not None and dana.weekly_hours == 40
    assert ben is not None and ben.weekly_hours == 30 and ben.title == "Developer"
    assert {"Dana Kim", "Eli Park"} <= set(_people_shown(studio_window))


def test_an_unknown_column_can_be_ignored_on_its_own(qtbot, studio_window, small_studio,
                                                    tmp_path):
    path = _workbook(tmp_path / "team.xlsx", {"Sheet1": FLOAT_PEOPLE})
    dialog = _open_import(qtbot, studio_window, path)
    dialog.choose_field("Department", None)
    assert dialog.combos["Department"].currentData() == IGNORE
    assert dialog.mapping()["Department"] is None
    _click(qtbot, dialog.check_button)
    assert "2 added, 1 updated" in dialog.result_label.text()
    _click(qtbot, dialog.import_button)
    assert _person(small_studio, "Eli Park") is not None


def test_a_column_can_be_mapped_to_another_field_by_hand(qtbot, studio_window,
                                                         small_studio, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Who,Hours\nGus Ray,16\n", encoding="utf-8")
    dialog = _open_import(qtbot, studio_window, path)
    assert dialog.combos["Who"].currentData() == UNMATCHED
    dialog.choose_field("Who", "name")
    dialog.choose_field("Hours", "weekly_hours")
    _click(qtbot, dialog.check_button)
    _click(qtbot, dialog.import_button)
    gus = _person(small_studio, "Gus Ray")
    assert gus is not None and gus.weekly_hours == 16


def test_every_bad_row_is_listed_by_row_and_column_and_nothing_is_saved(
        qtbot, studio_window, small_studio, tmp_path):
    path = tmp_path / "new people.csv"
    path.write_text("name,Capacity (h/week),client_facing\n"
                    "Gia Ro,lots,3\n"
                    "Hal Ng,20,9\n"
                    "Ivy Lu,30,2\n", encoding="utf-8")
    dialog = _open_import(qtbot, studio_window, path)
    _click(qtbot, dialog.check_button)
    listed = dialog.problems()
    assert dialog.result_label.text().startswith("2 problems in the file")
    assert len(listed) == 2
    assert listed[0].startswith("Row 2, column “Capacity (h/week)”: ")
    assert listed[1].startswith("Row 3, column “client_facing”: ")
    assert dialog.problems_list.isVisibleTo(dialog)
    assert not dialog.import_button.isEnabled()
    assert not {"Gia Ro", "Hal Ng", "Ivy Lu"} & set(_names(small_studio, "person"))


def test_rows_that_do_not_fit_the_workspace_are_listed_by_the_check(
        qtbot, studio_window, small_studio, tmp_path):
    path = tmp_path / "projects.csv"
    path.write_text("client,name\n"
                    "Nowhere Ltd,Site\n"
                    "Acme Foods,Acme app\n"
                    "Gone Co,Report\n", encoding="utf-8")
    dialog = _open_import(qtbot, studio_window, path)
    assert dialog.kind() == "projects"
    _click(qtbot, dialog.check_button)
    listed = dialog.problems()
    assert [line.split(":")[0] for line in listed] == ["Row 2, column “client”",
                                                       "Row 4, column “client”"]
    assert "Nowhere Ltd" in listed[0] and "Gone Co" in listed[1]
    assert not dialog.import_button.isEnabled()
    assert "Acme app" not in _names(small_studio, "project")


def test_an_import_is_one_step_that_undo_takes_back_and_redo_makes_again(
        qtbot, studio_window, small_studio, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,weekly_hours\nAna Ruiz,20\nNew One,10\nNew Two,12\n",
                    encoding="utf-8")
    dialog = _open_import(qtbot, studio_window, path)
    _click(qtbot, dialog.check_button)
    _click(qtbot, dialog.import_button)
    _click(qtbot, dialog.close_button)
    assert not dialog.isVisible()
    assert studio_window.undo_stack.count() == 1
    assert studio_window.undo_stack.undoText() == "Import people from people.csv"
    assert {"New One", "New Two"} <= set(_people_shown(studio_window))
    assert _person(small_studio, "Ana Ruiz").weekly_hours == 20  # type: ignore[union-attr]

    _trigger(studio_window, "undo")
    assert _person(small_studio, "New One") is None
    assert _person(small_studio, "New Two") is None
    assert _person(small_studio, "Ana Ruiz").weekly_hours == 40  # type: ignore[union-attr]
    assert not {"New One", "New Two"} & set(_people_shown(studio_window))

    _trigger(studio_window, "redo")
    assert _person(small_studio, "New One").weekly_hours == 10  # type: ignore[union-attr]
    assert _person(small_studio, "New Two") is not None
    assert _person(small_studio, "Ana Ruiz").weekly_hours == 20  # type: ignore[union-attr]
    assert {"New One", "New Two"} <= set(_people_shown(studio_window))

    # And back once more: the versions the redo wrote are the ones the undo expects.
    _trigger(studio_window, "undo")
    assert _person(small_studio, "New One") is None
    assert _person(small_studio, "Ana Ruiz").weekly_hours == 40  # type: ignore[union-attr]


def test_undo_of_an_import_leaves_a_colleagues_later_change_alone(
        qtbot, studio_window, small_studio, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("name,weekly_hours\nAna Ruiz,20\nNew One,10\n", encoding="utf-8")
    dialog = _open_import(qtbot, studio_window, path)
    _click(qtbot, dialog.check_button)
    _click(qtbot, dialog.import_button)
    _click(qtbot, dialog.close_button)
    ana = _person(small_studio, "Ana Ruiz")
    assert ana is not None
    with small_studio.write() as s:  # a colleague, in another copy
        records.update_record(s, "person", ana.id, ana.version, {"weekly_hours": 36})

    _trigger(studio_window, "undo")
    assert _person(small_studio, "Ana Ruiz").weekly_hours == 36  # type: ignore[union-attr]
    assert _person(small_studio, "New One") is not None  # all or nothing
    assert studio_window.undo_stack.count() == 0  # the step could not be undone: dropped


def test_a_workbooks_other_sheet_can_be_chosen(qtbot, studio_window, small_studio,
                                              tmp_path):
    path = _workbook(tmp_path / "studio.xlsx", {
        "Read me": [("Comment",), ("Exported from the studio sheet",)],
        "Staff": [("Name", "Weekly hours", "Title"), ("Jo Bell", 28, "Writer"),
                  ("Kit Moss", 35, "Developer")],
    })
    dialog = _open_import(qtbot, studio_window, path)
    assert dialog.sheet_combo.isVisibleTo(dialog)
    assert [dialog.sheet_combo.itemText(i) for i in range(2)] == ["Read me", "Staff"]
    assert list(dialog.combos) == ["Comment"]

    dialog.sheet_combo.setFocus()
    qtbot.keyClick(dialog.sheet_combo, Qt.Key.Key_Down)
    assert dialog.sheet() == "Staff"
    assert [dialog.preview.horizontalHeaderItem(c).text() for c in range(3)] == \
        ["Name", "Weekly hours", "Title"]
    assert dialog.preview.rowCount() == 2
    assert dialog.mapping() == {"Name": "name", "Weekly hours": "weekly_hours",
                                "Title": "title"}
    _click(qtbot, dialog.check_button)
    assert "2 added, 0 updated, 0 unchanged" in dialog.result_label.text()
    _click(qtbot, dialog.import_button)
    jo = _person(small_studio, "Jo Bell")
    assert jo is not None and jo.title == "Writer" and jo.weekly_hours == 28


def test_a_file_dropped_on_the_window_opens_the_import_dialog_on_it(
        qtbot, studio_window, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("name,industry\nNova Films,Film\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    where = studio_window.rect().center()
    enter = QDragEnterEvent(where, Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(studio_window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(where), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(studio_window, drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: studio_window.findChild(ImportDialog) is not None)
    dialog = studio_window.findChild(ImportDialog)
    assert dialog.isVisible()
    assert dialog.file_edit.text() == str(path)
    assert dialog.kind() == "clients"
    assert dialog.preview.item(0, 0).text() == "Nova Films"


def test_a_dropped_file_that_is_not_a_spreadsheet_is_refused(studio_window, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(studio_window, enter)
    assert not enter.isAccepted()


@pytest.mark.parametrize("name, content, expected", [
    ("latin.csv", "name\nJosé\n".encode("latin-1"), "is not UTF-8"),
    ("broken.xlsx", b"PK\x03\x04 not really a workbook", "is not an .xlsx workbook"),
    ("old.xls", b"\xd0\xcf\x11\xe0", "Excel 97-2003 workbook"),
    ("missing.csv", None, "does not exist"),
])
def test_a_file_that_cannot_be_read_is_one_sentence_naming_it(
        qtbot, studio_window, tmp_path, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    dialog = _open_import(qtbot, studio_window, path)
    text = dialog.result_label.text()
    assert str(path) in text and expected in text
    assert "Traceback" not in text and "\n" not in text
    assert not dialog.check_button.isEnabled() and not dialog.import_button.isEnabled()


# --- exporting -------------------------------------------------------------------------

def _rename(workspace: Workspace, kind: str, old: str, changes: dict[str, object]) -> Row:
    with workspace.write() as s:
        found = records.find_id(s, kind, old)
        assert found is not None
        row = records.get_row(s, kind, found)
        return records.update_record(s, kind, found, row.version, changes)


def test_clients_and_people_export_to_a_workbook_with_numbers_as_numbers(
        qtbot, studio_window, small_studio, tmp_path):
    formula = '=HYPERLINK("http://example.com","Acme")'
    _rename(small_studio, "client", "Acme Foods",
            {"name": formula, "contact_phone": "0207 946 0000"})
    dialog = _open_export(studio_window)
    dialog.choose("clients")
    target = tmp_path / "clients.xlsx"
    dialog.file_edit.selectAll()
    qtbot.keyClicks(dialog.file_edit, str(target))
    assert dialog.format_combo.currentData() == ".xlsx"  # the name says which
    _click(qtbot, dialog.export_button)
    assert not dialog.isVisible()
    assert studio_window.statusBar().currentMessage() == f"3 rows written to {target}"
    sheet = openpyxl.load_workbook(target).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    cell = rows[formula][0]
    assert cell.data_type == "s" and cell.quotePrefix  # text, never run as a formula
    assert rows[formula][4].value == "0207 946 0000"  # a phone number stays as typed

    dialog = _open_export(studio_window)
    dialog.choose("people")
    dialog.set_path(tmp_path / "people.xlsx")
    _click(qtbot, dialog.export_button)
    sheet = openpyxl.load_workbook(tmp_path / "people.xlsx").active
    header = [c.value for c in sheet[1]]
    ben = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "Ben Ode")
    hours = ben[header.index("weekly_hours")]
    assert hours == 32 and isinstance(hours, int | float)
    assert isinstance(ben[header.index("max_clients")], int)


def test_a_csv_export_neutralises_a_formula_looking_name(qtbot, studio_window,
                                                          small_studio, tmp_path):
    _rename(small_studio, "client", "Borealis Bank", {"name": "+cmd|' /C calc'!A0"})
    dialog = _open_export(studio_window)
    dialog.choose("clients")
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(".csv"))
    dialog.set_path(tmp_path / "clients")  # no extension: the format's is added
    _click(qtbot, dialog.export_button)
    text = (tmp_path / "clients.csv").read_text(encoding="utf-8-sig")
    assert "'+cmd|' /C calc'!A0" in text


def test_a_plans_rows_export_after_choosing_the_plan(qtbot, studio_window, small_studio,
                                                     tmp_path):
    with small_studio.write() as s:
        plans.create_plan(s, "Other plan")
        plan = plans.create_plan(s, "Spring split", effective_date=dt.date(2026, 5, 4))
        plans.propose_plan(s, plan.id)
    with small_studio.read() as s:
        expected = plans.plan_rows_for_export(s, plan.id)
    assert expected

    dialog = _open_export(studio_window)
    assert not dialog.plan_combo.isVisibleTo(dialog)
    dialog.choose("plan", "Spring split")
    assert dialog.plan_combo.isVisibleTo(dialog)
    assert Path(dialog.file_edit.text()).name == "Spring split.csv"
    target = tmp_path / "plan.csv"
    dialog.set_path(target)
    _click(qtbot, dialog.export_button)
    assert studio_window.statusBar().currentMessage() == \
        f"{len(expected)} rows written to {target}"
    with target.open(encoding="utf-8-sig", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert tuple(written[0]) == plans.PLAN_EXPORT_COLUMNS
    assert [(r["client"], r["project"], r["role"], r["person"]) for r in written] == \
        [(r["client"], r["project"], r["role"], r["person"]) for r in expected]


def test_capacity_exports_one_row_per_active_person(qtbot, studio_window, tmp_path):
    dialog = _open_export(studio_window)
    dialog.choose("capacity")
    dialog.set_path(tmp_path / "capacity.xlsx")
    _click(qtbot, dialog.export_button)
    sheet = openpyxl.load_workbook(tmp_path / "capacity.xlsx").active
    people = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(people) == ["Ana Ruiz", "Ben Ode", "Cara Li"]
    assert studio_window.statusBar().currentMessage().startswith("3 rows written to ")


def test_a_file_that_cannot_be_written_is_said_in_one_sentence(qtbot, studio_window,
                                                               tmp_path):
    dialog = _open_export(studio_window)
    target = tmp_path / "no such folder" / "clients.csv"
    dialog.set_path(target)
    _click(qtbot, dialog.export_button)
    assert dialog.isVisible()
    said = dialog.message_label.text()
    assert said.startswith(str(target)) and "not written" in said and "\n" not in said
    assert not target.exists()


def test_the_keyboard_reaches_each_columns_choice_in_turn(qtbot, studio_window, tmp_path):
    path = _workbook(tmp_path / "people.xlsx", {"People": FLOAT_PEOPLE})
    dialog = _open_import(qtbot, studio_window, path)
    dialog.preview.setFocus()
    reached = []
    for _ in range(4):
        qtbot.keyClick(focused(dialog), Qt.Key.Key_Tab)
        reached.append(focused(dialog))
    assert reached == [*dialog.combos.values(), dialog.ignore_unknown_box]
    # A choice is made with the keyboard like any other: the department is ignored.
    department = dialog.combos["Department"]
    department.setFocus()
    qtbot.keyClick(department, Qt.Key.Key_Down)
    assert department.currentData() == IGNORE
    assert "Department" in dialog.mapping()


def test_the_chosen_sheet_stays_when_the_file_field_loses_the_focus(
        qtbot, studio_window, tmp_path):
    path = _workbook(tmp_path / "studio.xlsx", {
        "Read me": [("Comment",), ("Notes",)],
        "Staff": [("Name",), ("Jo Bell",)],
    })
    dialog = _open_import(qtbot, studio_window, path)
    dialog.sheet_combo.setCurrentIndex(1)
    dialog.file_edit.setFocus()
    dialog.kind_combo.setFocus()  # the file field says it is done editing
    assert dialog.sheet() == "Staff"
    assert list(dialog.combos) == ["Name"]


def test_the_check_runs_off_the_gui_thread(qtbot, make_window, small_studio, tmp_path):
    window = make_window(small_studio.path, runner=TaskRunner())
    path = tmp_path / "people.csv"
    path.write_text("name\nLou Penn\n", encoding="utf-8")
    dialog = _open_import(qtbot, window, path)  # Enter in the file field checks it
    qtbot.waitUntil(dialog.import_button.isEnabled)
    assert "1 added" in dialog.result_label.text()
    _click(qtbot, dialog.import_button)
    assert _person(small_studio, "Lou Penn") is not None


def test_an_assignments_import_is_undone_and_redone_with_the_projects_managers(
        qtbot, studio_window, small_studio, tmp_path):
    path = tmp_path / "assignments.csv"
    path.write_text("client,project,role,person\n"
                    "Acme Foods,,account_manager,Ana Ruiz\n"
                    "Acme Foods,Acme web shop,production_manager,Cara Li\n",
                    encoding="utf-8")

    def manager() -> str | None:
        with small_studio.read() as s:
            found = records.find_id(s, "project", "Acme web shop")
            assert found is not None
            return records.get_row(s, "project", found).manager  # type: ignore[attr-defined]

    def assignments() -> int:
        with small_studio.read() as s:
            return len(export_rows(s, "assignments"))

    dialog = _open_import(qtbot, studio_window, path)
    assert dialog.kind() == "assignments"
    _click(qtbot, dialog.check_button)
    _click(qtbot, dialog.import_button)
    assert manager() == "Cara Li" and assignments() == 2
    _trigger(studio_window, "undo")
    assert manager() == "Ben Ode" and assignments() == 0
    _trigger(studio_window, "redo")
    assert manager() == "Cara Li" and assignments() == 2


def test_undo_never_takes_a_colleagues_records_with_an_imported_one(
        qtbot, studio_window, small_studio, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("name\nNova Films\n", encoding="utf-8")
    dialog = _open_import(qtbot, studio_window, path)
    _click(qtbot, dialog.check_button)
    _click(qtbot, dialog.import_button)
    with small_studio.write() as s:  # a colleague adds a project for the new client
        records.add_record(s, "project", {"client": "Nova Films", "name": "Nova trailer"})
    _trigger(studio_window, "undo")
    assert "Nova Films" in _names(small_studio, "client")
    assert "Nova trailer" in _names(small_studio, "project")
    assert any("belong to records it added" in text for text in problems(studio_window))
