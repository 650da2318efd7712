"""The few colours the window sets itself; everything else follows the system palette."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def is_dark(palette: QPalette) -> bool:
    """Whether the palette is a dark one (light text on a dark window)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def warning_colour(palette: QPalette) -> QColor:
    """The tint of a warning (a field's problem, an overloaded person), readable on the
    palette's background whether it is light or dark."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b3261e")
