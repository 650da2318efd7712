"""The history viewer: who changed what, when, old → new, for a record or the workspace."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QTableView

from studio_desk.core.rows import Row
from studio_desk.gui.history import COLUMNS, HistoryDialog, HistoryModel, when_text
from studio_desk.gui.main_window import MainWindow
from studio_desk.gui.views import RecordView
from studio_desk.store import records
from studio_desk.store.engine import Workspace
from studio_desk.store.history import HistoryRow, history
from tests.gui.conftest import problems


def _row(workspace: Workspace, kind: str, name: str) -> Row:
    with workspace.read() as s:
        found = records.find_id(s, kind, name)
        assert found is not None
        return records.get_row(s, kind, found)


def _table(dialog: HistoryDialog) -> list[tuple[str, ...]]:
    """What the history table shows, top to bottom, without the time."""
    proxy = dialog.proxy
    return [tuple(proxy.index(r, c).data() for c in range(1, len(COLUMNS)))
            for r in range(proxy.rowCount())]


def _history_dialogs(window: MainWindow) -> list[HistoryDialog]:
    return [d for d in window.findChildren(HistoryDialog) if d.isVisible()]


def _edit_cell(window: MainWindow, page: str, record_id: int, key: str, value: object) -> None:
    view = window.show_page(page)
    assert isinstance(view, RecordView)
    assert view.select_id(record_id)
    column = [c.key for c in view.model.columns].index(key)
    assert view.proxy.setData(view.table.currentIndex().siblingAtColumn(column), value)


def test_the_model_passes_the_model_tester(qtmodeltester, small_studio):
    model = HistoryModel()
    with small_studio.read() as s:
        model.set_rows(history(s))
    assert model.rowCount() > 10
    qtmodeltester.check(model)
    model.set_rows([])
    qtmodeltester.check(model)


def test_a_records_history_shows_who_changed_what_newest_first(
        qtbot, make_window, small_studio):
    window = make_window(small_studio.path, who="Window user")
    borealis = _row(small_studio, "client", "Borealis Bank")
    _edit_cell(window, "Clients", borealis.id, "industry", "Banking")
    latest = _row(small_studio, "client", "Borealis Bank")
    with small_studio.write() as s:  # a colleague ("Tester"), on another connection
        records.update_record(s, "client", borealis.id, latest.version,
                              {"contact_name": "Ola Nordmann", "industry": "Insurance"})
    window.show_page("Clients").select_id(borealis.id)

    window.findChild(QAction, "record_history").trigger()

    (dialog,) = _history_dialogs(window)
    assert dialog.windowTitle() == "History of the client “Borealis Bank”"
    assert _table(dialog) == [
        ("Tester", "Client Borealis Bank", "Changed", "Contact", "", "Ola Nordmann"),
        ("Tester", "Client Borealis Bank", "Changed", "Industry", "Banking", "Insurance"),
        ("Window user", "Client Borealis Bank", "Changed", "Industry", "Finance", "Banking"),
        ("Tester", "Client Borealis Bank", "Added", "", "", ""),
    ]
    today = f"{dt.datetime.now().astimezone():%Y-%m-%d}"
    assert dialog.proxy.index(0, 0).data().startswith(today)
    assert dialog.count_label.text() == "4 changes"


def test_references_read_as_names_and_deleted_records_keep_theirs(
        qtbot, make_window, small_studio, confirmations):
    window = make_window(small_studio.path, who="Window user")
    shop = _row(small_studio, "project", "Acme web shop")
    _edit_cell(window, "Projects", shop.id, "manager", "Cara Li")
    cobalt = _row(small_studio, "client", "Cobalt Museum")
    clients = window.show_page("Clients")
    assert clients.select_id(cobalt.id)
    clients.delete_button.click()  # takes its project with it

    window.findChild(QAction, "workspace_history").trigger()
    (dialog,) = _history_dialogs(window)
    shown = _table(dialog)
    assert ("Window user", "Project Acme web shop", "Changed", "Manager", "Ben Ode",
            "Cara Li") in shown
    assert ("Window user", "Client Cobalt Museum", "Deleted", "", "", "") in shown
    # Its project went with it; the history still calls it by its name.
    assert ("Tester", "Project Cobalt exhibition app", "Added", "", "", "") in shown

    qtbot.keyClicks(dialog.search, "manager cara")
    assert _table(dialog) == [("Window user", "Project Acme web shop", "Changed", "Manager",
                               "Ben Ode", "Cara Li")]
    total = dialog.model.rowCount()
    assert dialog.count_label.text() == f"1 of {total} changes match the search"


def test_the_history_follows_new_changes_while_open(qtbot, make_window, small_studio):
    window = make_window(small_studio.path, who="Window user")
    acme = _row(small_studio, "client", "Acme Foods")
    window.show_page("Clients").select_id(acme.id)
    window.findChild(QAction, "record_history").trigger()
    (dialog,) = _history_dialogs(window)
    before = dialog.model.rowCount()

    _edit_cell(window, "Clients", acme.id, "industry", "Groceries")

    qtbot.waitUntil(lambda: dialog.model.rowCount() == before + 1, timeout=2000)
    assert _table(dialog)[0][3:] == ("Industry", "Food & drink", "Groceries")


def test_each_table_offers_the_history_of_its_record_on_its_context_menu(
        qtbot, make_window, small_studio):
    window = make_window(small_studio.path)
    people = window.show_page("People")
    ana = _row(small_studio, "person", "Ana Ruiz")
    assert people.select_id(ana.id)
    table = people.findChild(QTableView, "people_table")
    (action,) = [a for a in table.actions() if a.objectName() == "person_history"]
    assert action.text() == "History of this person…"
    action.trigger()
    (dialog,) = _history_dialogs(window)
    assert dialog.windowTitle() == "History of the person “Ana Ruiz”"
    assert _table(dialog) == [("Tester", "Person Ana Ruiz", "Added", "", "", "")]
    pane_actions = [a.objectName() for a in people.relationships.table.actions()]
    assert "relationship_history" in pane_actions


def test_with_nothing_selected_the_record_history_says_what_to_do(
        qtbot, make_window, small_studio):
    window = make_window(small_studio.path)
    window.show_page("Clients").search.setText("no such client anywhere")
    window.show_page("Clients").table.setCurrentIndex(
        window.show_page("Clients").proxy.index(-1, -1))
    window.findChild(QAction, "record_history").trigger()
    assert _history_dialogs(window) == []
    assert problems(window) == []
    boxes = [w for w in QApplication.topLevelWidgets()
             if w.isVisible() and w.objectName() == "information_message"]
    assert boxes and "Select a client, project or person first" in boxes[0].text()


def test_opening_another_workspace_closes_the_history(qtbot, make_window, small_studio,
                                                      tmp_path):
    window = make_window(small_studio.path)
    window.findChild(QAction, "workspace_history").trigger()
    (dialog,) = _history_dialogs(window)
    assert dialog.windowTitle() == "History of studio.studiodesk"
    assert window.open_path(tmp_path / "other.studiodesk", create=True)
    qtbot.waitUntil(lambda: _history_dialogs(window) == [])


def test_long_values_are_cut_in_the_cell_and_whole_in_the_tooltip(qtbot):
    notes = "First line of a long note\n" + "x" * 1200
    row = HistoryRow(1, dt.datetime(2026, 5, 9, 7, 30), "Ana Ruiz", "change", "client", 1,
                     "Acme", "Notes", "", notes)
    model = HistoryModel()
    model.set_rows([row])
    after = model.index(0, 6)
    assert after.data() == "First line of a long note…"
    assert model.data(after, 3) == notes[:1000] + "…"  # Qt.ToolTipRole
    assert model.index(0, 0).data() == when_text(row.at)
