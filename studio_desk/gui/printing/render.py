"""Lay the printed plan out on pages and paint it onto a PDF, a printer or a preview.

Qt's own machinery does the typesetting: the plan's HTML and ``report.css`` go into a
``QTextDocument``, which lays out text, tables and the chart pictures. Where the pages
break is decided here, because ``QTextDocument``'s own pagination cuts a table row in
two when the row's first line still fits on the page. The document is laid out as one
long page; :func:`paginate` then walks its lines and table rows and breaks only

* before a section (``page-break-before`` in the stylesheet: every ``h1``),
* between table rows, never inside one (unless a single row is taller than a page,
  which is then cut between lines),
* between lines of text, keeping a heading with what follows it, a short paragraph
  whole, and the first and last two lines of a long one together,

and a table that continues on the next page gets its header rows (its ``<thead>``)
painted again at the top. Each page is painted as a slice of the long layout; the
footer (studio, plan name, page *n* of *m*) is painted under it.

The layout is measured on a 96-dots-per-inch picture, not on the screen, so a plan
breaks into the same pages on every machine, in the window and on the command line;
painting scales it to the device. Everything here may run off the GUI thread: a
``QTextDocument`` and its pictures belong to the thread that made them, and painting on
``QPdfWriter``, ``QPrinter`` and ``QImage`` is allowed on any thread.
"""

from __future__ import annotations

import bisect
import math
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextBlock,
    QTextDocument,
    QTextFormat,
    QTextOption,
    QTextTable,
)

from studio_desk import APP_NAME
from studio_desk.core.errors import StudioDeskError
from studio_desk.core.report import Brief, PlanReport
from studio_desk.gui.printing.chart import FONT_FAMILIES, chart_scales, draw_capacity_chart
from studio_desk.gui.printing.html import (
    brief_chunks,
    brief_html,
    plan_html,
    report_stylesheet,
)

#: Layout units per inch: the document is measured as if on a 96 dpi screen.
LAYOUT_DPI = 96.0
PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
PAPER_LABELS = {"a4": "A4", "letter": "Letter"}
#: Left, top, right, bottom margins in millimetres; the footer sits inside the bottom one.
MARGINS_MM = (18.0, 16.0, 18.0, 10.0)
#: Height kept free under the text for the footer, in layout units.
FOOTER_HEIGHT = 34.0
BODY_POINT_SIZE = 9.5
#: PDF resolution: fine enough that lines and glyphs sit where the layout put them.
PDF_DPI = 600
_KEEP_WHOLE_LINES = 4  # paragraphs this short never break across pages
_HAIR = 0.05  # layout units: how far inside its slice a page's drawing stops


def page_layout(paper: str = "a4") -> QPageLayout:
    """Portrait ``paper`` ("a4" or "letter") with the plan's margins."""
    left, top, right, bottom = MARGINS_MM
    return QPageLayout(QPageSize(PAPERS[paper]), QPageLayout.Orientation.Portrait,
                       QMarginsF(left, top, right, bottom), QPageLayout.Unit.Millimeter)


def text_area_size(layout: QPageLayout) -> QSizeF:
    """The text area of a page of ``layout`` in layout units (the footer's strip left
    out): what a document is laid out to."""
    rect = layout.paintRect(QPageLayout.Unit.Point)
    scale = LAYOUT_DPI / 72.0
    return QSizeF(rect.width() * scale, rect.height() * scale - FOOTER_HEIGHT)


# --------------------------------------------------------------------------- pagination


@dataclass(frozen=True)
class Slice:
    """Part of the long layout, ``top`` to ``bottom``, painted ``offset`` below the top
    of a page's text area."""

    top: float
    bottom: float
    offset: float = 0.0


@dataclass(frozen=True)
class Page:
    """What one page shows: a repeated table header first, if any, then its slice."""

    slices: tuple[Slice, ...]
    part: int = 0  # which of the plan's documents the slices are of

    @property
    def body(self) -> Slice:
        return self.slices[-1]


@dataclass(frozen=True)
class Box:
    """Something pages must not break inside: a line, a short paragraph, a table row.

    ``table`` numbers the table a row belongs to (None for text); ``continues`` is True
    for rows after a table's first, where a page starting with them repeats the header;
    ``lines`` are the text lines inside, where a box taller than a page may be cut.
    """

    top: float
    bottom: float
    table: int | None = None
    continues: bool = False
    forced: bool = False
    keep_with_next: bool = False
    lines: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class Flow:
    """The long layout as pagination sees it: boxes in order, and the header rows
    (top, bottom) of each table."""

    boxes: tuple[Box, ...]
    headers: dict[int, tuple[float, float]] = field(default_factory=dict)
    height: float = 0.0


def _lines(doc: QTextDocument, block: QTextBlock) -> list[tuple[float, float]]:
    """The top and bottom of each line of ``block`` in document coordinates."""
    layout = block.layout()
    if layout is None or layout.lineCount() == 0:
        return []
    rect = doc.documentLayout().blockBoundingRect(block)
    base = rect.top() - layout.boundingRect().top()
    spans = []
    for index in range(layout.lineCount()):
        line = layout.lineAt(index)
        spans.append((base + line.y(), base + line.y() + line.height()))
    return spans


def _blocks(first: QTextBlock, last: QTextBlock) -> Iterator[QTextBlock]:
    block = first
    while block.isValid():
        yield block
        if block == last:
            return
        block = block.next()


def _breaks_before(policy: object) -> bool:
    return bool(policy & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)  # type: ignore[operator]


def _text_boxes(doc: QTextDocument, block: QTextBlock) -> list[Box]:
    """The boxes of a paragraph, heading or list item outside any table."""
    fmt = block.blockFormat()
    spans = _lines(doc, block)
    forced = _breaks_before(fmt.pageBreakPolicy())
    if not spans or (block.length() <= 1 and not forced):
        return []  # an empty paragraph is only space, and space may fall anywhere
    heading = fmt.headingLevel() > 0
    lines = tuple(spans)
    if heading or len(spans) <= _KEEP_WHOLE_LINES:
        return [Box(spans[0][0], spans[-1][1], forced=forced, keep_with_next=heading,
                    lines=lines)]
    # No lone first or last line at a page's foot or head.
    groups = [spans[:2], *([s] for s in spans[2:-2]), spans[-2:]]
    return [Box(g[0][0], g[-1][1], forced=forced and index == 0, lines=tuple(g))
            for index, g in enumerate(groups)]


def _cell_lines(doc: QTextDocument, table: QTextTable, row: int
                ) -> tuple[tuple[float, float], ...]:
    """Every text line in ``row`` of ``table``, top to bottom."""
    lines: list[tuple[float, float]] = []
    for c in range(table.columns()):
        cell = table.cellAt(row, c)
        if cell.row() != row or cell.column() != c:
            continue
        first = cell.firstCursorPosition().block()
        for block in _blocks(first, cell.lastCursorPosition().block()):
            lines.extend(_lines(doc, block))
    return tuple(sorted(lines))


def _table_boxes(doc: QTextDocument, table: QTextTable, number: int, tall: float,
                 formats: Sequence[QTextFormat]
                 ) -> tuple[list[Box], tuple[float, float] | None]:
    """A box per body row of ``table`` (the header rows go with the first), and where
    its header rows are. Rows taller than ``tall`` also list their lines, where a row
    too tall for any page may be cut. ``formats`` are the document's ``allFormats()``:
    a cell's format is looked up there, because in PySide6 6.12
    ``QTextTableCell.format()`` gives up references to None it does not own, which
    crashes the interpreter after a few thousand cells."""
    layout = doc.documentLayout()
    rows, columns = table.rows(), table.columns()
    header_rows = min(table.format().headerRowCount(), rows)
    tops: list[float] = []
    spans_all: list[bool] = []
    for r in range(rows):
        # A body row's cells are top-aligned (report.css), so its first cell starts at
        # the row's top; header cells sit at the bottom, so the tallest one does.
        top, whole = math.inf, False
        for c in range(columns):
            cell = table.cellAt(r, c)
            if cell.row() != r or cell.column() != c:
                continue
            fmt = formats[cell.tableCellFormatIndex()].toTableCellFormat()
            first = cell.firstCursorPosition().block()
            top = min(top, layout.blockBoundingRect(first).top() - fmt.topPadding()
                      - fmt.topBorder())
            whole = whole or cell.columnSpan() >= columns
            if r >= header_rows:
                break
        tops.append(top if top < math.inf else (tops[-1] if tops else 0.0))
        spans_all.append(whole)
    # A row ends where the next begins (its rule included); the last by its content.
    last_bottom = tops[-1]
    for c in range(columns):
        cell = table.cellAt(rows - 1, c)
        fmt = formats[cell.tableCellFormatIndex()].toTableCellFormat()
        last_bottom = max(last_bottom, layout.blockBoundingRect(
            cell.lastCursorPosition().block()).bottom() + fmt.bottomPadding()
            + fmt.bottomBorder())
    ends = [max(tops[r + 1], tops[r]) for r in range(rows - 1)] + [last_bottom]
    header = (tops[0], tops[header_rows]) if 0 < header_rows < rows else None
    forced = _breaks_before(table.format().pageBreakPolicy())
    boxes = []
    for r in range(header_rows, rows):
        first_body = r == header_rows
        top = tops[0] if first_body else tops[r]
        boxes.append(Box(
            top=top, bottom=ends[r], table=number, continues=not first_body,
            forced=forced and first_body, keep_with_next=spans_all[r],
            lines=_cell_lines(doc, table, r) if ends[r] - top > tall else ()))
    if header_rows >= rows and rows:  # a table of headers only: one box
        boxes.append(Box(tops[0], ends[-1], forced=forced))
    return boxes, header


def document_flow(doc: QTextDocument, page_height: float = 0.0) -> Flow:
    """The boxes of a document laid out as one long page, in reading order.

    Table rows taller than half of ``page_height`` note their lines too, in case one
    is too tall for a page and must be cut between them (all rows, if no height).
    """
    # The layout is made lazily, as far as it has been looked at: finish it first.
    height = doc.size().height()
    # Top-level tables by position. (Not QTextCursor.currentTable(): in PySide6 6.12 each
    # call that finds no table takes a reference to None it does not own.)
    tables = sorted((frame for frame in doc.rootFrame().childFrames()
                     if isinstance(frame, QTextTable)), key=lambda t: t.firstPosition())
    boxes: list[Box] = []
    headers: dict[int, tuple[float, float]] = {}
    formats = doc.allFormats()
    number = 0
    block = doc.begin()
    while block.isValid():
        if number < len(tables) and block.position() >= tables[number].firstPosition():
            table = tables[number]
            number += 1
            table_boxes, header = _table_boxes(doc, table, number, page_height / 2,
                                               formats)
            boxes.extend(table_boxes)
            if header is not None:
                headers[number] = header
            block = doc.findBlock(table.lastPosition() + 1)
            continue
        boxes.extend(_text_boxes(doc, block))
        block = block.next()
    return Flow(tuple(boxes), headers, height)


def _cut_inside(box: Box, start: float, limit: float) -> float:
    """The furthest point down the page, not past ``limit``, where ``box`` can be cut
    without cutting a line; ``limit`` itself if there is none (a line taller than a
    page)."""
    best = None
    for _, bottom in box.lines:
        if start < bottom <= limit and not any(t < bottom < b for t, b in box.lines):
            best = bottom if best is None else max(best, bottom)
    return best if best is not None else limit


def paginate(flow: Flow, page_height: float) -> list[Page]:
    """Break ``flow`` into pages ``page_height`` tall (see the module docstring)."""
    boxes = list(flow.boxes)
    if not boxes:
        return [Page((Slice(0.0, min(flow.height, page_height)),))]
    pages: list[Page] = []
    page_top = 0.0
    i = 0
    while i < len(boxes):
        first = boxes[i]
        header = flow.headers.get(first.table) if (
            first.table is not None and first.continues) else None
        header_height = header[1] - header[0] if header else 0.0
        limit = page_top + page_height - header_height
        j = i
        while j < len(boxes):
            if j > i and boxes[j].forced:
                break
            # A heading, or a table's group row, goes with what follows it.
            k = j
            while (boxes[k].keep_with_next and k + 1 < len(boxes)
                   and not boxes[k + 1].forced):
                k += 1
            if boxes[k].bottom > limit:
                if j == i and first.bottom <= limit:
                    j = i + 1  # the group is taller than a page: break it after all
                break
            j = k + 1
        if j == i:  # one box taller than a whole page: cut it between lines
            cut = _cut_inside(first, page_top, limit)
            pages.append(_page(header, page_top, cut))
            boxes[i] = replace(first, top=cut, lines=tuple(
                (t, b) for t, b in first.lines if b > cut))
            page_top = cut
            continue
        end = boxes[j].top if j < len(boxes) else flow.height
        pages.append(_page(header, page_top, max(page_top, min(end, limit))))
        if j < len(boxes):
            page_top = boxes[j].top
        i = j
    return pages


def _page(header: tuple[float, float] | None, top: float, bottom: float) -> Page:
    if header is None:
        return Page((Slice(top, bottom),))
    height = header[1] - header[0]
    return Page((Slice(header[0], header[1]), Slice(top, bottom, height)))


# --------------------------------------------------------------------------- the document


def _layout_device() -> QImage:
    """A 96 dpi picture to measure the layout on, whatever the screen."""
    device = QImage(8, 8, QImage.Format.Format_ARGB32_Premultiplied)
    dots_per_metre = round(LAYOUT_DPI / 0.0254)
    device.setDotsPerMeterX(dots_per_metre)
    device.setDotsPerMeterY(dots_per_metre)
    return device


def body_font() -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(BODY_POINT_SIZE)
    return font


class PlanDocument:
    """A plan laid out for one paper size: its documents, its pages, its footer.

    The sections are one document; each client brief is a document of its own, laid
    out alone so that a brief too long for its page can be set again, smaller, without
    touching the rest. Make it on any thread; paint it (:meth:`paint`) on the thread
    that owns it, or hand it to the GUI thread with :meth:`move_to_gui_thread` first.
    """

    def __init__(self, plan: PlanReport, layout: QPageLayout) -> None:
        if QCoreApplication.instance() is None:
            # Qt would abort the process when the first font is measured.
            raise RuntimeError("typesetting needs a QGuiApplication; create one first")
        self.plan = plan
        self.page_layout = QPageLayout(layout)
        self.size = text_area_size(layout)
        self._device = _layout_device()
        self.parts: list[QTextDocument] = []
        self.flows: list[Flow] = []
        self.pages: list[Page] = []
        content = plan_html(plan)
        if content.html:
            images: dict[str, QImage] = {}
            if content.charts:
                scales = chart_scales([row for chart in content.charts for row in chart.rows])
                images = {chart.name: draw_capacity_chart(chart.rows, scales)
                          for chart in content.charts}
            self._add(self._typeset(content.html, images))
        for html, briefs in zip(content.briefs, brief_chunks(plan.briefs), strict=True):
            self._add_briefs(html, briefs)
        if not self.parts:  # nothing chosen: one empty page rather than no PDF at all
            self._add(self._typeset("<p></p>"))

    def _add_briefs(self, html: str, briefs: Sequence[Brief]) -> None:
        """Client briefs, a page each: one set too long for its page (a client with
        very many projects) is set again, smaller, on its own."""
        document = self._typeset(html)
        flow = document_flow(document, self.size.height())
        pages = paginate(flow, self.size.height())
        part = len(self.parts)
        self.parts.append(document)
        self.flows.append(flow)
        starts = [box.top for box in flow.boxes if box.forced]  # each brief's title
        if len(starts) != len(briefs):  # cannot tell the briefs apart
            self.pages += [replace(page, part=part) for page in pages]
            return
        pages_of: list[list[Page]] = [[] for _ in starts]
        for page in pages:
            pages_of[max(0, bisect.bisect_right(starts, page.body.top) - 1)].append(page)
        for brief, own in zip(briefs, pages_of, strict=True):
            if len(own) <= 1:
                self.pages += [replace(page, part=part) for page in own]
            else:
                self._add(self._typeset(brief_html(brief, self.plan.effective_date,
                                                   compact=True)))

    def _typeset(self, html: str, images: dict[str, QImage] | None = None) -> QTextDocument:
        document = QTextDocument()
        document.documentLayout().setPaintDevice(self._device)
        document.setDocumentMargin(0)
        document.setDefaultFont(body_font())
        option = QTextOption()
        # A name with no spaces wider than its column breaks rather than running off.
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        document.setDefaultTextOption(option)
        document.setDefaultStyleSheet(report_stylesheet())
        for name, image in (images or {}).items():
            document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name),
                                 image)
        document.setHtml(html)
        document.setTextWidth(self.size.width())
        return document

    def _add(self, document: QTextDocument, flow: Flow | None = None) -> None:
        part = len(self.parts)
        flow = flow or document_flow(document, self.size.height())
        self.parts.append(document)
        self.flows.append(flow)
        self.pages += [replace(page, part=part)
                       for page in paginate(flow, self.size.height())]

    @property
    def document(self) -> QTextDocument:
        """The document of the sections (or of the first brief, if no section is printed)."""
        return self.parts[0]

    @property
    def flow(self) -> Flow:
        return self.flows[0]

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def suits(self, layout: QPageLayout) -> bool:
        """Whether this layout can be painted on a device set up with ``layout``."""
        size = text_area_size(layout)
        return (abs(size.width() - self.size.width()) < 0.5
                and abs(size.height() - self.size.height()) < 0.5)

    def move_to_gui_thread(self) -> PlanDocument:
        """Hand the document to the application's main thread (call on its own thread)."""
        app = QCoreApplication.instance()
        if app is not None:
            for document in self.parts:
                document.moveToThread(app.thread())
        return self

    def footer_text(self, number: int) -> tuple[str, str]:
        """The footer's left and right text on page ``number`` (from 1)."""
        return (f"{self.plan.studio} · {self.plan.plan}",
                f"Page {number} of {self.page_count}")

    def paint(self, device: QPagedPaintDevice, painter: QPainter,
              pages: Sequence[int] | None = None) -> None:
        """Paint the pages (all, or the numbers from 0 in ``pages``) on ``device``,
        whose page layout this plan suits; a new device page is started between pages."""
        scale_x = device.logicalDpiX() / LAYOUT_DPI
        scale_y = device.logicalDpiY() / LAYOUT_DPI
        wanted = range(self.page_count) if pages is None else pages
        for count, index in enumerate(wanted):
            if count:
                device.newPage()
            # The painter starts at the paint rectangle on both QPrinter and QPdfWriter.
            self._paint_page(painter, index, scale_x, scale_y)

    def _paint_page(self, painter: QPainter, index: int, scale_x: float,
                    scale_y: float) -> None:
        page = self.pages[index]
        document = self.parts[page.part]
        width = self.size.width()
        painter.save()
        painter.scale(scale_x, scale_y)
        for part in page.slices:
            painter.save()
            painter.translate(0, part.offset - part.top)
            # A little room either side, so a table's outer rules are not clipped; a
            # hair less above and below, because the layout also draws (clipped, yet
            # present in a PDF's text) what merely touches the edge: the row or heading
            # starting exactly where this slice ends.
            document.drawContents(painter, QRectF(
                -4, part.top + _HAIR, width + 8, part.bottom - part.top - 2 * _HAIR))
            painter.restore()
        self._paint_footer(painter, index + 1)
        painter.restore()

    def titles(self) -> list[tuple[int, str]]:
        """``(page, title)`` of every section and brief, pages numbered from 0."""
        found = []
        for part, document in enumerate(self.parts):
            block = document.begin()
            while block.isValid():
                if block.blockFormat().headingLevel() == 1:
                    top = document.documentLayout().blockBoundingRect(block).top()
                    found += [(index, block.text()) for index, page in enumerate(self.pages)
                              if page.part == part and page.body.top <= top < page.body.bottom]
                block = block.next()
        return sorted(found)

    def first_page_of(self, title: str) -> int | None:
        """The number (from 0) of the page where the section called ``title`` starts."""
        return next((index for index, text in self.titles() if text == title), None)

    def page_image(self, index: int, dpi: float = 72.0) -> QImage:
        """Page ``index`` (from 0) as a picture, margins included, ``dpi`` dots per inch."""
        full = self.page_layout.fullRectPoints()
        margins = self.page_layout.margins(QPageLayout.Unit.Point)
        scale = dpi / 72.0
        image = QImage(round(full.width() * scale), round(full.height() * scale),
                       QImage.Format.Format_ARGB32_Premultiplied)
        dots_per_metre = round(dpi / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.translate(margins.left() * scale, margins.top() * scale)
            self._paint_page(painter, index, dpi / LAYOUT_DPI, dpi / LAYOUT_DPI)
        finally:
            painter.end()
        return image

    def _paint_footer(self, painter: QPainter, number: int) -> None:
        width = self.size.width()
        top = self.size.height() + FOOTER_HEIGHT - 18
        painter.setPen(QPen(QColor("#b9c3d0"), 0.75))
        painter.drawLine(0, round(top - 6), round(width), round(top - 6))
        font = QFont()
        font.setFamilies(FONT_FAMILIES)
        font.setPixelSize(10)
        painter.setFont(font)
        painter.setPen(QColor("#5b6573"))
        left, right = self.footer_text(number)
        metrics = QFontMetricsF(font)
        right_width = metrics.horizontalAdvance(right) + 2
        left = metrics.elidedText(left, Qt.TextElideMode.ElideRight, width - right_width - 24)
        flags = Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextSingleLine
        painter.drawText(QRectF(0, top, width - right_width - 12, 14),
                         flags | Qt.AlignmentFlag.AlignLeft, left)
        painter.drawText(QRectF(width - right_width, top, right_width, 14),
                         flags | Qt.AlignmentFlag.AlignRight, right)


def lay_out_plan(plan: PlanReport, paper: str = "a4") -> PlanDocument:
    """``plan`` laid out on ``paper`` ("a4" or "letter")."""
    return PlanDocument(plan, page_layout(paper))


def write_pdf(document: PlanDocument, path: Path | str) -> int:
    """Write ``document`` to the PDF file ``path``; return the number of pages.

    The file is written beside its final name and renamed into place when complete, so
    a failure never leaves half a PDF (nor harms an older one). A file that cannot be
    written raises :class:`StudioDeskError` naming it and why.
    """
    target = Path(path).expanduser().absolute()
    folder = target.parent
    if not folder.is_dir():
        raise StudioDeskError(f"{target}: the folder {folder} does not exist.")
    try:
        handle, scratch = tempfile.mkstemp(prefix=f".{target.stem[:40]}-",
                                           suffix=".pdf.part", dir=folder)
        os.close(handle)
    except OSError as exc:
        raise StudioDeskError(f"{target}: the PDF cannot be saved there "
                              f"({exc.strerror or exc}).") from None
    try:
        writer = QPdfWriter(scratch)
        writer.setPageLayout(document.page_layout)
        writer.setResolution(PDF_DPI)
        writer.setTitle(f"{document.plan.plan} — {document.plan.studio}")
        writer.setCreator(APP_NAME)
        painter = QPainter()
        if not painter.begin(writer):
            raise StudioDeskError(f"{target}: the PDF cannot be written there.")
        try:
            document.paint(writer, painter)
        finally:
            painter.end()
        del writer
        try:
            # mkstemp makes the file private (0600); a plan is a document to hand
            # around (often on a shared drive), so give it the user's usual mode.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(scratch, 0o666 & ~umask)
            os.replace(scratch, target)
        except OSError as exc:
            raise StudioDeskError(f"{target}: the PDF cannot be saved there "
                                  f"({exc.strerror or exc}).") from None
    finally:
        if os.path.exists(scratch):
            os.unlink(scratch)
    return document.page_count
