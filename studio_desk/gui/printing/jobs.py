"""File › Print plan…, Print preview… and Export PDF… in the main window.

The window never waits for a plan to be typeset. Each job reads the plan's facts through
the Desk (off the GUI thread, one short read), then lays the document out and paints it
on the task runner's worker thread: a 300-client plan takes a second or two there,
during which the window keeps painting and answering. (A ``QTextDocument`` belongs to
the thread that made it, and ``QPdfWriter``/``QPrinter`` may be painted on any thread,
so the whole document is made and printed on the worker. For the preview, Qt's dialog
asks for its pages on the GUI thread: the laid-out document is handed over to it, and
only painting, not layout, happens there.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence, QPageLayout, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QMenu

from studio_desk.core import report
from studio_desk.core.errors import StudioDeskError
from studio_desk.gui.messages import show_information, show_problem
from studio_desk.gui.printing.dialogs import (
    PdfFileDialog,
    PrinterDialog,
    PrintOptions,
    PrintOptionsDialog,
    printer_for,
)
from studio_desk.gui.printing.render import PlanDocument, page_layout, write_pdf
from studio_desk.store import plans
from studio_desk.store.report_data import gather_plan_facts, studio_name

if TYPE_CHECKING:
    from studio_desk.gui.desk import Desk
    from studio_desk.gui.main_window import MainWindow


def _plan_report(facts: report.PlanFacts, options: PrintOptions) -> report.PlanReport:
    return report.build_report(facts, options.sections, client_briefs=options.client_briefs)


def export_plan_pdf(facts: report.PlanFacts, options: PrintOptions, path: Path) -> int:
    """Typeset the plan and write it to ``path``; the number of pages (any thread)."""
    document = PlanDocument(_plan_report(facts, options), page_layout(options.paper))
    return write_pdf(document, path)


def print_plan_on(facts: report.PlanFacts, options: PrintOptions, printer: QPrinter,
                  layout: QPageLayout) -> int:
    """Typeset the plan for the printer's paper and print it (the pages the user chose
    in the print dialog); the number of pages printed (any thread)."""
    document = PlanDocument(_plan_report(facts, options), layout)
    first, last = printer.fromPage(), printer.toPage()
    pages = list(range(document.page_count))
    if first or last:
        pages = pages[max(first, 1) - 1:(last or document.page_count)]
    painter = QPainter()
    if not painter.begin(printer):
        raise StudioDeskError("The printer could not be started; check that it is "
                              "connected and switched on, then print again.")
    try:
        document.paint(printer, painter, pages)
    finally:
        painter.end()
    return len(pages)


def preview_document(facts: report.PlanFacts, options: PrintOptions) -> PlanDocument:
    """The plan typeset for the preview, handed to the GUI thread (call on any thread)."""
    document = PlanDocument(_plan_report(facts, options), page_layout(options.paper))
    return document.move_to_gui_thread()


class PlanPrinting(QObject):
    """Printing, previewing and exporting plans for one main window."""

    #: (kind, path or None, pages) once a job is done: kind is "pdf", "print" or
    #: "preview" (path only for "pdf").
    finished = Signal(str, object, int)
    #: True while a plan is being prepared.
    busy_changed = Signal(bool)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("plan_printing")
        self.window = window
        self.busy = False
        self.last_options: PrintOptions | None = None
        self.preview: QPrintPreviewDialog | None = None
        self._preview_printer: QPrinter | None = None
        self.actions: list[QAction] = []
        self._last_folder: Path | None = None
        window.workspace_changed.connect(lambda _path: self._update_actions())

    # The three menu entries ---------------------------------------------------------

    def export_pdf(self, plan_id: int | None = None) -> None:
        """Ask what to print and where, then write the PDF in the background."""
        desk, options = self._ask("pdf", plan_id)
        if desk is None or options is None:
            return
        folder = self._last_folder or desk.path.parent
        path = PdfFileDialog.ask_save(self.window, folder / report.plan_file_name(options.plan))
        if path is None:
            return
        self._last_folder = path.parent

        def write(facts: report.PlanFacts) -> None:
            desk.runner.run(lambda: export_plan_pdf(facts, options, path),
                            lambda pages: self._done("pdf", path, pages, options),
                            self._failed)

        self._with_facts(desk, options, write)

    def print_plan(self, plan_id: int | None = None) -> None:
        """Ask what to print and on which printer, then print in the background."""
        desk, options = self._ask("print", plan_id)
        if desk is None or options is None:
            return
        printer = printer_for(page_layout(options.paper), options.plan)
        if not PrinterDialog.ask(self.window, printer):
            return
        layout = printer.pageLayout()

        def send(facts: report.PlanFacts) -> None:
            desk.runner.run(lambda: print_plan_on(facts, options, printer, layout),
                            lambda pages: self._done("print", None, pages, options),
                            self._failed)

        self._with_facts(desk, options, send)

    def preview_plan(self, plan_id: int | None = None) -> None:
        """Ask what to print, typeset it in the background, then show Qt's preview."""
        desk, options = self._ask("preview", plan_id)
        if desk is None or options is None:
            return

        def typeset(facts: report.PlanFacts) -> None:
            desk.runner.run(lambda: preview_document(facts, options),
                            lambda document: self._show_preview(document, options),
                            self._failed)

        self._with_facts(desk, options, typeset)

    # Steps ----------------------------------------------------------------------------

    def _ask(self, purpose: str, plan_id: int | None
             ) -> tuple[Desk | None, PrintOptions | None]:
        desk = self.window.desk
        if desk is None:
            return None, None
        if self.busy:
            self.window.statusBar().showMessage("Still preparing the last plan…", 5000)
            return None, None
        known = desk.read_now(lambda s: [(p.id, p.name) for p in plans.list_plans(s)])
        if not known:
            show_information(self.window, "Nothing to print",
                             "This workspace has no transition plan yet: make one with "
                             "the transition wizard first.")
            return None, None
        initial = self.last_options
        if plan_id is not None:
            name = dict(known).get(plan_id, "")
            initial = (replace(initial, plan_id=plan_id, plan=name) if initial
                       else PrintOptions(plan_id, name))
        options = PrintOptionsDialog.ask(self.window, known, purpose, initial)
        if options is not None:
            self.last_options = options
        return desk, options

    def _with_facts(self, desk: Desk, options: PrintOptions,
                    then: Callable[[report.PlanFacts], None]) -> None:
        """Read the plan's facts off the GUI thread, then go on with ``then``."""
        self._set_busy(True)
        studio = studio_name(desk.path)
        desk.read(lambda s: gather_plan_facts(s, options.plan_id, studio=studio), then,
                  self._failed)

    def _show_preview(self, document: PlanDocument, options: PrintOptions) -> None:
        self._set_busy(False)
        printer = printer_for(document.page_layout, options.plan)
        dialog = QPrintPreviewDialog(printer, self.window)
        dialog.setObjectName("print_preview")
        dialog.setWindowTitle(f"Print preview — {options.plan}")
        dialog.setAccessibleName("Print preview")
        shown = {"document": document}

        def paint(device: QPrinter) -> None:
            # The user may pick another paper in the preview: typeset again for it.
            if not shown["document"].suits(device.pageLayout()):
                shown["document"] = PlanDocument(document.plan, device.pageLayout())
            painter = QPainter()
            if painter.begin(device):
                try:
                    shown["document"].paint(device, painter)
                finally:
                    painter.end()

        dialog.paintRequested.connect(paint)
        dialog.finished.connect(lambda _result: self._preview_closed(dialog))
        self.preview = dialog
        # The dialog paints on this printer but does not own it: keep it while it shows.
        self._preview_printer = printer
        dialog.resize(900, 1000)
        dialog.open()
        self.finished.emit("preview", None, document.page_count)

    def _preview_closed(self, dialog: QPrintPreviewDialog) -> None:
        if self.preview is dialog:
            self.preview = None
        dialog.deleteLater()
        # The printer goes once the dialog is gone, not before.
        dialog.destroyed.connect(lambda _obj=None, p=self._preview_printer: p)
        self._preview_printer = None

    def _done(self, kind: str, path: Path | None, pages: int,
              options: PrintOptions) -> None:
        self._set_busy(False)
        noun = "page" if pages == 1 else "pages"
        if kind == "pdf":
            text = f"Saved “{options.plan}” to {path} ({pages} {noun})."
        else:
            text = f"Sent “{options.plan}” to the printer ({pages} {noun})."
        self.window.statusBar().showMessage(text, 15000)
        self.finished.emit(kind, path, pages)

    def _failed(self, error: StudioDeskError) -> None:
        self._set_busy(False)
        show_problem(self.window, str(error))

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_actions()
        self.busy_changed.emit(busy)

    def _update_actions(self) -> None:
        for action in self.actions:
            action.setEnabled(self.window.desk is not None and not self.busy)


def add_print_actions(window: MainWindow, menu: QMenu) -> PlanPrinting:
    """Put Print plan…, Print preview… and Export PDF… into ``menu`` (File)."""
    printing = PlanPrinting(window)
    entries = (
        ("&Print plan…", "print_plan", "Print a transition plan",
         QKeySequence.StandardKey.Print, printing.print_plan),
        ("Print pre&view…", "print_preview", "See a transition plan's pages before "
         "printing", None, printing.preview_plan),
        ("Export P&DF…", "export_pdf", "Save a transition plan as a PDF file", None,
         printing.export_pdf),
    )
    for text, name, tip, shortcut, run in entries:
        action = QAction(text, window)
        action.setObjectName(name)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False, run=run: run())
        menu.addAction(action)
        printing.actions.append(action)
    printing._update_actions()
    return printing
