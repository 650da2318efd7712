"""Table models: Qt's model rules, formatting, sorting, searching, single-row updates."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from studio_desk.core.rows import ClientRow, ProjectRow
from studio_desk.gui.tables import (
    IdRole,
    RecordFilterModel,
    RecordTableModel,
    RowRole,
    columns_for,
    prepare_rows,
)
from studio_desk.store import records
from studio_desk.store.engine import Workspace

KINDS = ("person", "client", "project", "relationship")


def _model(workspace: Workspace, kind: str) -> RecordTableModel:
    model = RecordTableModel(kind)
    with workspace.read() as s:
        model.set_rows(records.list_rows(s, kind))
    return model


def _column(model: RecordTableModel, key: str) -> int:
    return [c.key for c in model.columns].index(key)


def _texts(model, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.index(r, column).data() for r in range(model.rowCount())]


@pytest.mark.parametrize("kind", KINDS)
def test_every_table_model_follows_qts_model_rules(qtmodeltester, small_studio, kind):
    model = _model(small_studio, kind)
    model.edit_handler = lambda row, key, value: True
    qtmodeltester.check(model)
    qtmodeltester.check(RecordTableModel(kind))  # empty


@pytest.mark.parametrize("kind", KINDS)
def test_every_filter_model_follows_qts_model_rules(qtmodeltester, small_studio, kind):
    model = _model(small_studio, kind)
    proxy = RecordFilterModel(model)
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)
    proxy.set_search("a")
    qtmodeltester.check(proxy)


def test_rows_change_one_at_a_time_without_a_reset(qtbot, qtmodeltester, small_studio):
    model = _model(small_studio, "client")
    qtmodeltester.check(model, force_py=True)  # keeps checking while rows change
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.sort(0, Qt.SortOrder.AscendingOrder)
    new = ClientRow(id=99, version=1, name="Bright Books", industry="Publishing")

    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.upsert(new)
    assert inserted.args[1] == 2  # in name order, not at the end
    assert _texts(model, 0) == ["Acme Foods", "Borealis Bank", "Bright Books",
                                "Cobalt Museum"]

    renamed = dataclasses.replace(new, version=2, industry="Books")
    with qtbot.waitSignal(model.dataChanged):
        model.upsert(renamed)
    assert model.index(model.position_of(99), _column(model, "industry")).data() == "Books"

    with qtbot.waitSignal(model.rowsRemoved):
        model.remove(99)
    assert model.position_of(99) == -1
    assert resets == []


def test_numbers_are_right_aligned_and_text_left_aligned(small_studio):
    model = _model(small_studio, "project")
    right = model.index(0, _column(model, "estimated_hours")).data(
        Qt.ItemDataRole.TextAlignmentRole)
    left = model.index(0, _column(model, "name")).data(Qt.ItemDataRole.TextAlignmentRole)
    assert right & Qt.AlignmentFlag.AlignRight
    assert left & Qt.AlignmentFlag.AlignLeft


def test_cells_read_as_everywhere_else_and_carry_the_row(small_studio):
    model = _model(small_studio, "project")
    position = next(i for i, r in enumerate(model.rows()) if r.name == "Acme web shop")
    row = model.row_at(position)

    def cell(key: str, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        return model.index(position, _column(model, key)).data(role)

    assert cell("start") == "2026-01-05"
    assert cell("estimated_hours") == "120"
    assert cell("client") == "Acme Foods"
    assert cell("lead_type") == "production-led"
    assert cell("lead_type", Qt.ItemDataRole.EditRole) is None  # nobody set it by hand
    assert "complexity 5" in cell("lead_type", Qt.ItemDataRole.ToolTipRole)
    assert cell("name", RowRole) == row
    assert cell("name", IdRole) == row.id
    assert model.headerData(_column(model, "estimated_hours"), Qt.Orientation.Horizontal) == (
        "Est. hours")


def test_long_notes_show_their_first_line_and_are_searched_whole():
    columns = columns_for("client")
    notes = "Prefers calls.\nBudget talks in March; the CFO is Dana."
    model = RecordTableModel("client", columns)
    model.set_rows([ClientRow(1, 1, "Acme", notes=notes)])
    proxy = RecordFilterModel(model)
    column = _column(model, "notes")
    assert model.index(0, column).data() == "Prefers calls.…"
    assert model.index(0, column).data(Qt.ItemDataRole.ToolTipRole) == notes
    assert not model.flags(model.index(0, column)) & Qt.ItemFlag.ItemIsEditable
    proxy.set_search("cfo")
    assert proxy.rowCount() == 1


def _projects(*rows: ProjectRow) -> RecordTableModel:
    model = RecordTableModel("project")
    model.set_rows(list(rows))
    return model


def test_numbers_sort_as_numbers_dates_as_dates_and_empty_cells_last():
    model = _projects(
        ProjectRow(1, 1, "C", "nine", estimated_hours=9, start=dt.date(2026, 2, 1)),
        ProjectRow(2, 1, "C", "eighty", estimated_hours=80, start=dt.date(2025, 12, 31)),
        ProjectRow(3, 1, "C", "none", estimated_hours=None, start=None),
        ProjectRow(4, 1, "C", "ten", estimated_hours=10, start=dt.date(2026, 1, 15)),
    )
    proxy = RecordFilterModel(model)
    names = _column(model, "name")
    proxy.sort(_column(model, "estimated_hours"), Qt.SortOrder.AscendingOrder)
    assert _texts(proxy, names) == ["nine", "ten", "eighty", "none"]
    proxy.sort(_column(model, "estimated_hours"), Qt.SortOrder.DescendingOrder)
    assert _texts(proxy, names) == ["eighty", "ten", "nine", "none"]
    proxy.sort(_column(model, "start"), Qt.SortOrder.AscendingOrder)
    assert _texts(proxy, names) == ["eighty", "ten", "nine", "none"]
    proxy.sort(_column(model, "name"), Qt.SortOrder.AscendingOrder)
    assert _texts(proxy, names) == ["eighty", "nine", "none", "ten"]


def test_search_ignores_case_and_needs_every_word():
    model = _projects(ProjectRow(1, 1, "Ærø Bank", "Vault app", status="active"),
                      ProjectRow(2, 1, "Acme", "Vault film", status="pitch"),
                      ProjectRow(3, 1, "Acme", "Poster", status="active"))
    proxy = RecordFilterModel(model)
    names = _column(model, "name")
    proxy.set_search("VAULT")
    assert sorted(_texts(proxy, names)) == ["Vault app", "Vault film"]
    proxy.set_search("vault  ACTIVE")
    assert _texts(proxy, names) == ["Vault app"]
    proxy.set_search("ærø")
    assert _texts(proxy, names) == ["Vault app"]
    proxy.set_search("")
    assert proxy.rowCount() == 3


def test_a_sort_keeps_the_selected_row_selected(qtbot):
    from PySide6.QtWidgets import QTableView

    model = _projects(ProjectRow(1, 1, "C", "b", estimated_hours=1),
                      ProjectRow(2, 1, "C", "a", estimated_hours=2))
    proxy = RecordFilterModel(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setCurrentIndex(proxy.index(0, 0))
    assert view.currentIndex().data(IdRole) == 1
    proxy.sort(_column(model, "name"), Qt.SortOrder.AscendingOrder)
    assert view.currentIndex().data(IdRole) == 1
    assert view.currentIndex().row() == 1


def test_rows_read_while_the_sort_changed_are_sorted_the_new_way():
    columns = columns_for("project")
    rows = [ProjectRow(1, 1, "C", "b"), ProjectRow(2, 1, "C", "a")]
    loaded = prepare_rows(columns, rows, -1)  # read before the user sorted by name
    model = RecordTableModel("project", columns)
    model.sort(_column(model, "name"), Qt.SortOrder.AscendingOrder)
    model.set_rows(loaded)
    assert [r.name for r in model.rows()] == ["a", "b"]


def test_editing_a_cell_goes_to_the_edit_handler_with_a_plain_value():
    model = _projects(ProjectRow(1, 1, "C", "p"))
    calls: list[tuple[int, str, object]] = []
    model.edit_handler = lambda row, key, value: calls.append((row.id, key, value)) or True
    start = model.index(0, _column(model, "start"))
    assert model.flags(start) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(start, QDate(2026, 4, 1))
    assert calls == [(1, "start", dt.date(2026, 4, 1))]
    assert model.setData(start, None)  # unchanged: nothing to save
    assert len(calls) == 1
    assert not model.setData(start, "x", Qt.ItemDataRole.DisplayRole)

    model.edit_handler = None  # no workspace: nothing is editable
    assert not model.flags(start) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(start, QDate(2026, 5, 1))


def test_a_search_stays_right_while_rows_change_sort_and_come_and_go(qtmodeltester):
    model = _projects(ProjectRow(1, 1, "C", "Vault app"), ProjectRow(2, 1, "C", "Poster"),
                      ProjectRow(3, 1, "C", "Vault film"))
    proxy = RecordFilterModel(model)
    qtmodeltester.check(proxy, force_py=True)  # keeps checking through the changes
    names = _column(model, "name")
    proxy.set_search("vault")
    proxy.sort(names, Qt.SortOrder.DescendingOrder)
    assert _texts(proxy, names) == ["Vault film", "Vault app"]

    model.upsert(ProjectRow(4, 1, "C", "Vault poster"))
    model.upsert(ProjectRow(5, 1, "C", "Flyer"))
    assert _texts(proxy, names) == ["Vault poster", "Vault film", "Vault app"]
    model.upsert(ProjectRow(1, 2, "C", "App"))  # renamed: no longer matches
    model.remove(3)
    assert _texts(proxy, names) == ["Vault poster"]
    proxy.set_search("")
    assert sorted(_texts(proxy, names)) == ["App", "Flyer", "Poster", "Vault poster"]


def test_names_with_accents_sort_among_their_letters():
    model = RecordTableModel("client")
    model.set_rows([ClientRow(1, 1, "Marigold"), ClientRow(2, 1, "Élan"),
                    ClientRow(3, 1, "Mañana"), ClientRow(4, 1, "Zebra"),
                    ClientRow(5, 1, "eagle")])
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [r.name for r in model.rows()] == ["eagle", "Élan", "Mañana", "Marigold", "Zebra"]
