"""How the window looks where it departs from Qt's defaults: the few colours it sets
itself (everything else follows the system palette) and the compact table style."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QTableView


def is_dark(palette: QPalette) -> bool:
    """Whether the palette is a dark one (light text on a dark window)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def warning_colour(palette: QPalette) -> QColor:
    """The tint of a warning (a field's problem, an overloaded person), readable on the
    palette's background whether it is light or dark."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b3261e")


def style_table(table: QTableView) -> None:
    """The look every table of the window shares: one selection, compact rows as in a
    spreadsheet, no row numbers, and Tab moving on to the next widget (arrows move
    between cells)."""
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                          | QAbstractItemView.EditTrigger.EditKeyPressed)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    rows = table.verticalHeader()
    rows.setVisible(False)
    rows.setMinimumSectionSize(table.fontMetrics().height() + 4)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setHighlightSections(False)
