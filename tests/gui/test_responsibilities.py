"""The Responsibilities page used as a person uses it: the catalog and the team templates."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QTableView

from studio_desk.core import catalog
from studio_desk.gui.responsibilities import (
    NameDialog,
    ResponsibilitiesView,
    ResponsibilityModel,
    TemplateListModel,
    TemplateMatrixModel,
    typed_cell,
)
from studio_desk.store import plans
from studio_desk.store.engine import Workspace
from tests.gui.conftest import answer_dialog, focused, problems, reactivate

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def open_page(window) -> ResponsibilitiesView:  # type: ignore[no-untyped-def]
    page = window.show_page("Responsibilities")
    assert isinstance(page, ResponsibilitiesView)
    return page


def click_cell(qtbot, table: QTableView, row: int, column: int) -> None:  # type: ignore[no-untyped-def]
    index = table.model().index(row, column)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(index).center())
    assert table.currentIndex() == index


def catalog_in_workspace(workspace: Workspace) -> list[tuple[str, str]]:
    with workspace.read() as s:
        return [(r.name, r.category) for r in plans.list_responsibilities(s)]


def template_in_workspace(workspace: Workspace, name: str) -> catalog.TeamTemplate | None:
    with workspace.read() as s:
        return next((t.template for t in plans.list_templates(s) if t.name == name), None)


def undo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)


def redo(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)


def row_of(page: ResponsibilitiesView, name: str) -> int:
    names = [r.name for r in page.catalog.model.rows()]
    return names.index(name)


# --------------------------------------------------------------------------- the catalog


def test_sort_an_item_by_keyboard_then_undo_and_redo(qtbot, studio_window, small_studio):
    page = open_page(studio_window)
    table = page.catalog.table
    original = catalog_in_workspace(small_studio)
    assert len(original) == len(catalog.DEFAULT_RESPONSIBILITIES)
    assert page.catalog.balance_label.text() == \
        "Balance: 6 client-focused, 8 project-focused, 0 shared (14 in all)"

    row = row_of(page, "Review deliverables")
    click_cell(qtbot, table, row, 0)
    qtbot.keyClick(table, Qt.Key.Key_1, CTRL)  # client-focused
    assert table.model().index(row, 1).data() == "Client-focused"
    assert ("Review deliverables", "client") in catalog_in_workspace(small_studio)
    assert page.catalog.balance_label.text().startswith(
        "Balance: 7 client-focused, 7 project-focused, 0 shared")
    assert studio_window.undo_stack.undoText() == \
        "Sort “Review deliverables” as client-focused"

    undo(qtbot, studio_window)
    assert table.model().index(row, 1).data() == "Project-focused"
    assert catalog_in_workspace(small_studio) == original
    assert page.catalog.balance_label.text().startswith("Balance: 6 client-focused")
    redo(qtbot, studio_window)
    assert ("Review deliverables", "client") in catalog_in_workspace(small_studio)

    # The same with the drop-down in the Category cell: F2, a letter, Enter.
    click_cell(qtbot, table, row, 1)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = focused(table)
    assert isinstance(combo, QComboBox) and combo.currentText() == "Client-focused"
    qtbot.keyClicks(combo, "S")  # "Shared"
    qtbot.keyClick(combo, Qt.Key.Key_Return)  # saved once the editor closes
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert ("Review deliverables", "shared") in catalog_in_workspace(small_studio)
    assert "1 shared" in page.catalog.balance_label.text()
    assert problems(studio_window) == []


def test_add_move_remove_then_undo_everything_back(qtbot, studio_window, small_studio):
    page = open_page(studio_window)
    table = page.catalog.table
    original = catalog_in_workspace(small_studio)

    def add_one(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, NameDialog)
        qtbot.keyClicks(dialog.name, "Send the invoices")
        dialog.choice.setCurrentIndex(dialog.choice.findData(catalog.CLIENT_FOCUSED))
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    answer = answer_dialog(add_one)
    qtbot.mouseClick(page.catalog.add_button, Qt.MouseButton.LeftButton)
    answer.check()
    reactivate(qtbot, studio_window)
    last = page.catalog.model.rowCount() - 1
    assert table.currentIndex().row() == last
    assert page.catalog.model.index(last, 0).data() == "Send the invoices"
    assert catalog_in_workspace(small_studio)[-1] == ("Send the invoices", "client")

    qtbot.keyClick(table, Qt.Key.Key_Up, ALT)
    qtbot.keyClick(table, Qt.Key.Key_Up, ALT)
    names = [n for n, _ in catalog_in_workspace(small_studio)]
    assert names[-3] == "Send the invoices"
    assert page.catalog.model.index(last - 2, 0).data() == "Send the invoices"
    assert table.currentIndex().row() == last - 2  # the cursor moved with it

    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert "Send the invoices" not in [n for n, _ in catalog_in_workspace(small_studio)]

    # Undoing the removal brings the item back under a new id; the moves before it still
    # find it, and undoing the add takes it away again.
    for _ in range(4):
        undo(qtbot, studio_window)
    assert catalog_in_workspace(small_studio) == original
    assert [r.name for r in page.catalog.model.rows()] == [n for n, _ in original]
    for _ in range(4):
        redo(qtbot, studio_window)
    assert "Send the invoices" not in [n for n, _ in catalog_in_workspace(small_studio)]
    assert problems(studio_window) == []


def test_a_duplicate_name_keeps_the_dialog_open_with_the_reason(qtbot, studio_window,
                                                                small_studio):
    page = open_page(studio_window)
    seen: list[str] = []

    def type_a_taken_name(dialog) -> None:  # type: ignore[no-untyped-def]
        qtbot.keyClicks(dialog.name, "review DELIVERABLES")
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
        assert dialog.isVisible()
        seen.append(dialog.problem.text())
        dialog.reject()

    answer = answer_dialog(type_a_taken_name)
    page.catalog.add()
    answer.check()
    assert seen and "already in the catalog" in seen[0]
    assert studio_window.undo_stack.count() == 0
    assert len(catalog_in_workspace(small_studio)) == len(catalog.DEFAULT_RESPONSIBILITIES)


def test_an_undo_after_a_colleagues_rename_says_so_and_keeps_theirs(qtbot, studio_window,
                                                                    small_studio):
    page = open_page(studio_window)
    row = row_of(page, "Load project content")
    click_cell(qtbot, page.catalog.table, row, 0)
    qtbot.keyClick(page.catalog.table, Qt.Key.Key_3, CTRL)  # shared
    with small_studio.write() as s:  # a colleague renames it meanwhile
        item = next(r for r in plans.list_responsibilities(s)
                    if r.name == "Load project content")
        plans.update_responsibility(s, item.id, item.version, name="Load the content")

    undo(qtbot, studio_window)
    assert any("did not work" in text and "Someone changed" in text
               for text in problems(studio_window))
    assert ("Load the content", "shared") in catalog_in_workspace(small_studio)
    assert studio_window.undo_stack.count() == 0  # the step is dropped
    assert page.catalog.model.index(row, 0).data() == "Load the content"  # read again


# --------------------------------------------------------------------------- templates


def choose_template(qtbot, page: ResponsibilitiesView, name: str) -> None:  # type: ignore[no-untyped-def]
    view = page.templates.list
    rows = page.templates.list_model.rows()
    position = [r.name for r in rows].index(name)
    index = page.templates.list_model.index(position, 0)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.visualRect(index).center())
    assert page.templates.current_row().name == name


def cell_of(page: ResponsibilitiesView, activity: str, role: str) -> tuple[int, int]:
    template = page.templates.matrix_model.template
    assert template is not None
    return template.activities.index(activity), 1 + template.roles.index(role)


def test_copy_a_builtin_template_and_edit_a_cell(qtbot, studio_window, small_studio):
    page = open_page(studio_window)
    choose_template(qtbot, page, "Large agency")
    names: list[str] = []

    def keep_the_offered_name(dialog) -> None:  # type: ignore[no-untyped-def]
        names.append(dialog.name.text())
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)

    answer = answer_dialog(keep_the_offered_name)
    qtbot.mouseClick(page.templates.copy_button, Qt.MouseButton.LeftButton)
    answer.check()
    reactivate(qtbot, studio_window)
    assert names == ["Large agency (copy)"]
    copy = page.templates.current_row()
    assert copy.name == "Large agency (copy)" and not copy.builtin
    assert "studio's own" in page.templates.notice.text()
    assert page.templates.problems.isHidden()

    matrix = page.templates.matrix
    row, column = cell_of(page, "Technical audit", "Project Manager")
    click_cell(qtbot, matrix, row, column)
    qtbot.keyClicks(matrix, "a")  # the Project Manager now owns the audit too
    assert matrix.model().index(row, column).data() == "A"
    saved = template_in_workspace(small_studio, "Large agency (copy)")
    assert saved.cell("Technical audit", "Project Manager") == "A"
    # Two owners: the row is flagged and the page says why.
    assert page.templates.problems.isVisible()
    assert "2 roles are accountable for “Technical audit”" in page.templates.problems.text()
    flagged = matrix.model().index(row, 0)
    assert flagged.data(Qt.ItemDataRole.DecorationRole) is not None
    assert "accountable" in flagged.data(Qt.ItemDataRole.ToolTipRole)

    qtbot.keyClicks(matrix, "r")  # R on an A cell: does it and owns it
    assert matrix.model().index(row, column).data() == "R/A"
    qtbot.keyClick(matrix, Qt.Key.Key_Delete)
    assert matrix.model().index(row, column).data() == "·"
    assert page.templates.problems.isHidden()

    # A cell from the drop-down: F2, then a choice, then Enter.
    qtbot.keyClick(matrix, Qt.Key.Key_F2)
    combo = focused(matrix)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("C"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: matrix.state() != QAbstractItemView.State.EditingState)
    assert template_in_workspace(small_studio, "Large agency (copy)").cell(
        "Technical audit", "Project Manager") == "C"

    for _ in range(4):
        undo(qtbot, studio_window)
    assert template_in_workspace(small_studio, "Large agency (copy)").cell(
        "Technical audit", "Project Manager") == "I"
    assert matrix.model().index(row, column).data() == "I"
    undo(qtbot, studio_window)  # the copy itself
    assert template_in_workspace(small_studio, "Large agency (copy)") is None
    assert "Large agency (copy)" not in [r.name for r in page.templates.list_model.rows()]
    assert template_in_workspace(small_studio, "Large agency") == catalog.LARGE_AGENCY
    assert problems(studio_window) == []


def test_a_builtin_template_refuses_edits(qtbot, studio_window, small_studio):
    page = open_page(studio_window)
    choose_template(qtbot, page, "Producer + Project Manager")
    before = template_in_workspace(small_studio, "Producer + Project Manager")
    matrix = page.templates.matrix
    row, column = cell_of(page, "Keep the schedule", "Project Manager")
    click_cell(qtbot, matrix, row, column)

    qtbot.keyClicks(matrix, "c")
    qtbot.keyClick(matrix, Qt.Key.Key_Delete)
    qtbot.keyClick(matrix, Qt.Key.Key_F2)
    assert matrix.state() != QAbstractItemView.State.EditingState
    assert matrix.model().index(row, column).data() == "R/A"
    assert "cannot be changed" in page.templates.notice.text()
    assert template_in_workspace(small_studio, "Producer + Project Manager") == before
    assert studio_window.undo_stack.count() == 0
    for button in (page.templates.rename_button, page.templates.delete_button,
                   page.templates.add_activity_button, page.templates.remove_role_button):
        assert not button.isEnabled()
    assert page.templates.copy_button.isEnabled()
    shown = page.templates.list_model.index(
        [r.name for r in page.templates.list_model.rows()].index(
            "Producer + Project Manager"), 0).data()
    assert shown == "Producer + Project Manager (built-in)"


def test_activities_and_roles_of_a_copy_and_undoing_a_delete(qtbot, studio_window,
                                                             small_studio, monkeypatch):
    page = open_page(studio_window)
    choose_template(qtbot, page, "Team-based studio")
    typed = iter(["Ours", "Invoice the client", "Account Manager"])

    def answer_with_next_name(cls, parent, title, label, text, submit, **kwargs):  # type: ignore[no-untyped-def]
        name = next(typed)
        submit(name, None)
        return name

    monkeypatch.setattr(NameDialog, "ask", classmethod(answer_with_next_name))
    page.templates.copy()
    page.templates.add_activity()
    page.templates.add_role()
    ours = template_in_workspace(small_studio, "Ours")
    assert ours.activities[-1] == "Invoice the client"
    assert ours.roles == ("Integrated Producer", "Team", "Account Manager")
    assert ours.cell("Invoice the client", "Account Manager") == ""
    # The new activity has no one accountable yet: it is flagged.
    assert "No one is accountable for “Invoice the client”" in page.templates.problems.text()

    page.templates.delete()
    assert template_in_workspace(small_studio, "Ours") is None
    undo(qtbot, studio_window)  # the delete: "Ours" is back, under a new id
    assert template_in_workspace(small_studio, "Ours") == ours
    undo(qtbot, studio_window)  # the role, on the template brought back
    assert template_in_workspace(small_studio, "Ours").roles == ("Integrated Producer", "Team")
    redo(qtbot, studio_window)
    assert template_in_workspace(small_studio, "Ours") == ours
    assert problems(studio_window) == []


def test_typing_a_letter_on_a_cell() -> None:
    assert typed_cell("", "C") == "C"
    assert typed_cell("I", "R") == "R"
    assert typed_cell("R", "A") == "RA"
    assert typed_cell("A", "R") == "RA"
    assert typed_cell("RA", "R") == "R"
    assert typed_cell("R", "R") == "R"


# --------------------------------------------------------------------------- models


def test_the_models_pass_the_model_tester(qtmodeltester, small_studio):
    with small_studio.read() as s:
        items = plans.list_responsibilities(s)
        templates = plans.list_templates(s)
    catalog_model = ResponsibilityModel()
    catalog_model.set_rows(items)
    catalog_model.edit_handler = lambda row, key, value: True
    qtmodeltester.check(catalog_model)

    list_model = TemplateListModel()
    list_model.set_rows(templates)
    qtmodeltester.check(list_model)

    matrix = TemplateMatrixModel()
    qtmodeltester.check(matrix)  # empty: no template chosen
    matrix.set_template(catalog.LARGE_AGENCY)
    qtmodeltester.check(matrix)
    matrix.set_template(catalog.copy_template(catalog.DIGITAL_AGENCY))
    matrix.edit_handler = lambda row, column, value: True
    qtmodeltester.check(matrix)


def test_every_widget_the_keyboard_reaches_has_an_accessible_name(studio_window):
    from PySide6.QtWidgets import QAbstractButton, QWidget

    open_page(studio_window)
    unnamed = [w for w in studio_window.findChildren(QWidget)
               if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
               and not w.objectName().startswith("qt_") and not w.accessibleName()
               and not (isinstance(w, QAbstractButton) and w.text())]
    assert unnamed == []



def test_sorting_an_item_a_colleague_just_renamed_says_so_and_shows_theirs(
        qtbot, studio_window, small_studio):
    page = open_page(studio_window)
    row = row_of(page, "Hand out tasks")
    click_cell(qtbot, page.catalog.table, row, 0)
    with small_studio.write() as s:  # a colleague renames it; this window has not seen it
        item = next(r for r in plans.list_responsibilities(s) if r.name == "Hand out tasks")
        plans.update_responsibility(s, item.id, item.version, name="Hand out the tasks")

    qtbot.keyClick(page.catalog.table, Qt.Key.Key_1, CTRL)
    assert any("Someone changed this responsibility" in text
               for text in problems(studio_window))
    assert ("Hand out the tasks", "project") in catalog_in_workspace(small_studio)
    assert studio_window.undo_stack.count() == 0
    qtbot.waitUntil(lambda: page.catalog.model.index(row, 0).data() == "Hand out the tasks")
