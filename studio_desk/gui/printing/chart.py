"""The capacity chart of the printed plan: each person's load before and after, as bars
against their own limits, painted with QPainter into an image the document shows.

Painting into a ``QImage`` is allowed off the GUI thread, so the chart is made wherever
the rest of the document is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from studio_desk.core.capacity import Capacity
from studio_desk.core.report import CapacityRow
from studio_desk.gui.printing.html import CHART_BAND, CHART_TOP, CHART_WIDTH, chart_height

#: Pixels of the picture per layout pixel: about 290 dots per inch on paper.
RESOLUTION = 3.0
BEFORE = QColor("#b7bfca")
AFTER = QColor("#3b6ea5")
OVER = QColor("#c0392b")
LIMIT = QColor("#1d232b")
TEXT = QColor("#1d232b")
MUTED = QColor("#5b6573")
STRIPE = QColor("#f4f6f9")
NAME_WIDTH = 132.0
FONT_FAMILIES = ["Helvetica Neue", "Helvetica", "Arial", "DejaVu Sans", "Liberation Sans"]


@dataclass(frozen=True)
class Measure:
    """One of the four loads a chart shows, and how to read it from a Capacity."""

    title: str
    key: str

    def values(self, c: Capacity) -> tuple[float, float]:
        """``(load, limit)`` of ``c``."""
        if self.key == "active":
            return c.active_projects, c.max_active_projects
        if self.key == "backburner":
            return c.backburner_projects, c.max_backburner_projects
        if self.key == "clients":
            return c.clients, c.max_clients
        return c.allocated_hours, c.weekly_hours


MEASURES = (Measure("Active projects", "active"), Measure("Back-burner", "backburner"),
            Measure("Clients", "clients"), Measure("Hours a week", "hours"))


def chart_scales(rows: Sequence[CapacityRow]) -> tuple[float, ...]:
    """The full length of each measure's bars: the same in every picture of one plan,
    so bars compare across pages."""
    scales = []
    for measure in MEASURES:
        top = 1.0
        for row in rows:
            value, limit = measure.values(row.after)
            top = max(top, value, limit)
        # A load far beyond every limit before would squash all other bars: those
        # bars stop at the edge (marked as cut) rather than set the scale.
        for row in rows:
            top = max(top, min(measure.values(row.before)[0], top * 1.5))
        scales.append(top * 1.08)
    return tuple(scales)


def _font(pixels: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPixelSize(max(1, round(pixels)))
    font.setBold(bold)
    return font


def draw_capacity_chart(rows: Sequence[CapacityRow], scales: Sequence[float]) -> QImage:
    """A picture of ``rows`` (at most a page's worth), ``CHART_WIDTH`` layout pixels wide."""
    width, height = CHART_WIDTH, chart_height(len(rows))
    image = QImage(round(width * RESOLUTION), round(height * RESOLUTION),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.scale(RESOLUTION, RESOLUTION)
        _paint(painter, rows, scales, width)
    finally:
        painter.end()
    return image


def _paint(painter: QPainter, rows: Sequence[CapacityRow], scales: Sequence[float],
           width: float) -> None:
    small, normal = _font(10), _font(11)
    gap = 12.0
    panel = (width - NAME_WIDTH - gap * len(MEASURES)) / len(MEASURES)
    lefts = [NAME_WIDTH + gap + i * (panel + gap) for i in range(len(MEASURES))]

    # Legend, then the measures' titles.
    painter.setFont(small)
    x = NAME_WIDTH + gap
    for color, label in ((BEFORE, "Before"), (AFTER, "After"), (OVER, "Over a limit")):
        painter.fillRect(QRectF(x, 3, 10, 10), color)
        painter.setPen(MUTED)
        text_width = QFontMetricsF(small).horizontalAdvance(label)
        painter.drawText(QRectF(x + 14, 0, text_width + 4, 16),
                         Qt.AlignmentFlag.AlignVCenter, label)
        x += 14 + text_width + 18
    painter.setPen(QPen(LIMIT, 1.5))
    painter.drawLine(QLineF(x, 2, x, 14))
    painter.setPen(MUTED)
    painter.drawText(QRectF(x + 5, 0, 60, 16), Qt.AlignmentFlag.AlignVCenter, "Limit")
    painter.setFont(_font(10, bold=True))
    painter.setPen(TEXT)
    for left, measure in zip(lefts, MEASURES, strict=True):
        painter.drawText(QRectF(left, 20, panel, 16), Qt.AlignmentFlag.AlignVCenter,
                         measure.title)

    metrics = QFontMetricsF(normal)
    for index, row in enumerate(rows):
        top = CHART_TOP + index * CHART_BAND
        if index % 2 == 0:
            painter.fillRect(QRectF(0, top, width, CHART_BAND), STRIPE)
        painter.setFont(normal)
        painter.setPen(TEXT)
        name = metrics.elidedText(row.person, Qt.TextElideMode.ElideRight, NAME_WIDTH - 8)
        painter.drawText(QRectF(4, top, NAME_WIDTH - 8, CHART_BAND),
                         Qt.AlignmentFlag.AlignVCenter, name)
        for left, measure, scale in zip(lefts, MEASURES, scales, strict=True):
            before, _ = measure.values(row.before)
            after, limit = measure.values(row.after)
            per_unit = panel / scale
            painter.fillRect(QRectF(left, top + 6, min(before, scale) * per_unit, 6), BEFORE)
            if before > scale:  # cut at the edge: two white slashes say so
                for dx in (-9.0, -5.0):
                    painter.setPen(QPen(QColor("white"), 1.5))
                    painter.drawLine(QLineF(left + panel + dx, top + 13,
                                            left + panel + dx + 3, top + 5))
            color = OVER if after > limit + 1e-9 else AFTER
            painter.fillRect(QRectF(left, top + 14, after * per_unit, 8), color)
            marker = left + limit * per_unit
            painter.setPen(QPen(LIMIT, 1.5))
            painter.drawLine(QLineF(marker, top + 3, marker, top + CHART_BAND - 3))
