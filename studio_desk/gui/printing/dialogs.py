"""The questions printing asks: which plan and sections, and where the PDF goes.

Each dialog has a ``@classmethod ask(...)`` returning plain values (None when the user
cancels), so tests can answer it directly or replace it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from studio_desk.core import report
from studio_desk.gui.printing.render import PAPER_LABELS

#: What the options dialog's main button says for each way of printing.
PURPOSES = {"print": "&Print…", "preview": "Pre&view", "pdf": "&Export PDF…"}


def default_paper() -> str:
    """Letter where the locale measures in inches (the US), A4 elsewhere."""
    imperial = QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem
    return "letter" if imperial else "a4"


@dataclass(frozen=True)
class PrintOptions:
    """What to print: which plan, which sections, briefs or not, on which paper."""

    plan_id: int
    plan: str
    sections: tuple[str, ...] = report.SECTIONS
    client_briefs: bool = False
    paper: str = "a4"


class PrintOptionsDialog(QDialog):
    """Which plan, which sections, client briefs or not, and the paper size."""

    def __init__(self, parent: QWidget | None, plans: Sequence[tuple[int, str]],
                 purpose: str = "print", initial: PrintOptions | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("print_options")
        titles = {"print": "Print plan", "preview": "Print preview", "pdf": "Export PDF"}
        self.setWindowTitle(titles.get(purpose, "Print plan"))
        self.setAccessibleName(self.windowTitle())

        self.plan = QComboBox(self)
        self.plan.setObjectName("plan")
        self.plan.setAccessibleName("Plan")
        for plan_id, name in plans:
            self.plan.addItem(name, plan_id)
        self.paper = QComboBox(self)
        self.paper.setObjectName("paper")
        self.paper.setAccessibleName("Paper size")
        for key, label in PAPER_LABELS.items():
            self.paper.addItem(label, key)
        form = QFormLayout()
        form.addRow(self._label("&Plan:", self.plan), self.plan)
        form.addRow(self._label("Paper si&ze:", self.paper), self.paper)

        group = QGroupBox("Sections", self)
        group.setObjectName("sections")
        sections = QVBoxLayout(group)
        self.section_boxes: dict[str, QCheckBox] = {}
        for key in report.SECTIONS:
            box = QCheckBox(report.SECTION_TITLES[key], group)
            box.setObjectName(f"section_{key}")
            box.setAccessibleName(report.SECTION_TITLES[key])
            box.toggled.connect(self._check_ready)
            sections.addWidget(box)
            self.section_boxes[key] = box
        self.briefs = QCheckBox("A &brief per client, one page each, for whoever tells "
                                "that client", self)
        self.briefs.setObjectName("client_briefs")
        self.briefs.setAccessibleName("Client briefs")
        self.briefs.toggled.connect(self._check_ready)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.addButton(PURPOSES.get(purpose, "&OK"),
                                         QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("ok")
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(group)
        layout.addWidget(self.briefs)
        layout.addWidget(self.buttons)
        self._apply(initial)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setBuddy(buddy)
        return label

    def _apply(self, initial: PrintOptions | None) -> None:
        paper = initial.paper if initial else default_paper()
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper)))
        if initial is not None:
            index = self.plan.findData(initial.plan_id)
            if index >= 0:
                self.plan.setCurrentIndex(index)
        chosen = set(initial.sections) if initial else set(report.SECTIONS)
        for key, box in self.section_boxes.items():
            box.setChecked(key in chosen)
        self.briefs.setChecked(bool(initial and initial.client_briefs))
        self._check_ready()

    def _check_ready(self) -> None:
        """Something to print: a plan, and a section or the briefs."""
        anything = self.briefs.isChecked() or any(
            box.isChecked() for box in self.section_boxes.values())
        self.ok.setEnabled(self.plan.count() > 0 and anything)

    def options(self) -> PrintOptions:
        """The choices shown now."""
        return PrintOptions(
            plan_id=int(self.plan.currentData()), plan=self.plan.currentText(),
            sections=tuple(k for k, box in self.section_boxes.items() if box.isChecked()),
            client_briefs=self.briefs.isChecked(), paper=str(self.paper.currentData()))

    @classmethod
    def ask(cls, parent: QWidget | None, plans: Sequence[tuple[int, str]],
            purpose: str = "print", initial: PrintOptions | None = None
            ) -> PrintOptions | None:
        """The user's choices, or None if they cancelled."""
        dialog = cls(parent, plans, purpose, initial)
        try:
            return dialog.options() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


class PdfFileDialog:
    """Where to save the plan's PDF."""

    @classmethod
    def ask_save(cls, parent: QWidget | None, suggested: Path) -> Path | None:
        """The file the user chose (with ``.pdf`` added if they left it off), or None."""
        name, _filter = QFileDialog.getSaveFileName(parent, "Export plan as PDF",
                                                    str(suggested), "PDF files (*.pdf)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


class PrinterDialog:
    """The system's print dialog: which printer, copies, pages."""

    @classmethod
    def ask(cls, parent: QWidget | None, printer: QPrinter) -> bool:
        """True once the user chose to print (``printer`` is then set up)."""
        dialog = QPrintDialog(printer, parent)
        dialog.setObjectName("print_dialog")
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()


def printer_for(layout: QPageLayout, document_name: str) -> QPrinter:
    """A printer set up with the plan's paper and margins; ``document_name`` is what
    the print queue shows."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(layout)
    printer.setDocName(document_name)
    return printer
