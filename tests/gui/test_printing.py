"""The printed plan: what its PDF says, how its pages break, and the window's print menu.

PDFs are read back with pypdf, as a person would search or copy from them; page images
are checked by eye with ``pdftoppm -png`` (see docs/plan-page-*.png).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt, QThread
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QMessageBox

from studio_desk.core import report as R
from studio_desk.gui.messages import INFORMATION
from studio_desk.gui.printing import jobs
from studio_desk.gui.printing.dialogs import PdfFileDialog, PrinterDialog, PrintOptionsDialog
from studio_desk.gui.printing.render import (
    Box,
    Flow,
    PlanDocument,
    lay_out_plan,
    page_layout,
    paginate,
    write_pdf,
)
from studio_desk.gui.tasks import TaskRunner
from studio_desk.store import plans, records
from studio_desk.store.demo import build_demo
from studio_desk.store.engine import open_workspace
from studio_desk.store.report_data import gather_plan_facts
from tests.gui.conftest import answer_dialog, problems

MARKUP = "<b>Acme</b> & Co"
PLAN = "Spring split"
EFFECTIVE = dt.date(2026, 4, 6)
TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _application(qapp):  # type: ignore[no-untyped-def]
    """Typesetting measures fonts, which needs the application object."""
    return qapp


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A demo studio of 40 clients with a proposed and scheduled plan; one client is
    called ``<b>Acme</b> & Co``. Shared by the tests of this module, which only read it."""
    folder = tmp_path_factory.mktemp("printing")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("STUDIO_DESK_DATA_DIR", str(folder / "data"))
        path = folder / "North Studio.studiodesk"
        build_demo(path, people=8, clients=40, projects=60, seed=5, today=TODAY)
        with open_workspace(path, who="Olivia Owner") as workspace, \
                workspace.write() as s:
            first = records.find_id(s, "client", records.names(s, "client")[0])
            assert first is not None
            row = records.get_row(s, "client", first)
            records.update_record(s, "client", first, row.version, {"name": MARKUP})
            plan = plans.create_plan(s, PLAN, effective_date=EFFECTIVE)
            plans.propose_plan(s, plan.id)
            plans.schedule_plan(s, plan.id, today=TODAY)
        yield path


@pytest.fixture(scope="module")
def plan_facts(plan_file: Path) -> R.PlanFacts:
    with open_workspace(plan_file) as workspace, workspace.read() as s:
        plan = plans.find_plan(s, PLAN)
        assert plan is not None
        return gather_plan_facts(s, plan.id, studio="North Studio", printed_on=TODAY)


def clients_of(facts: R.PlanFacts) -> list[str]:
    return [i.client for i in facts.items if i.role == R.ROLE_AM]


def page_texts(path: Path) -> list[str]:
    """Each page's text as a reader would copy it: words single-spaced, ligatures
    undone (the PDF writes “ﬀ” for “ff”)."""
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text()).split())
            for page in PdfReader(path).pages]


def pdf_of(facts: R.PlanFacts, path: Path, sections: tuple[str, ...] = R.SECTIONS, *,
           briefs: bool = False, paper: str = "a4") -> PlanDocument:
    document = lay_out_plan(R.build_report(facts, sections, client_briefs=briefs), paper)
    assert write_pdf(document, path) == document.page_count
    return document


# --------------------------------------------------------------------------- the PDF


def test_the_pdf_names_every_client_person_and_talking_point(plan_facts, tmp_path):
    document = pdf_of(plan_facts, tmp_path / "plan.pdf")
    text = " ".join(page_texts(tmp_path / "plan.pdf"))
    assert len(PdfReader(tmp_path / "plan.pdf").pages) == document.page_count
    for client in clients_of(plan_facts):
        assert client in text, client
    holders = {i.person for i in plan_facts.items if i.person}
    assert len(holders) >= 5
    for person in holders:
        assert person in text, person
    for heading in ("Why the change", "How it helps [the client]",
                    "How the work moves forward", "Who to call for what"):
        assert heading in text
    assert "Your goals, priorities, budgets and new requests: [their Account Manager]" \
        in text
    assert f"{MARKUP} " in text  # exactly as typed, tags and ampersand included
    assert "Acme & Co" not in text.replace(MARKUP, "")  # never rendered as bold markup
    assert "North Studio · Spring split Page 1 of" in text


def test_client_briefs_add_one_page_per_client(plan_facts, tmp_path):
    sections = ("cover", "clients")
    without = lay_out_plan(R.build_report(plan_facts, sections))
    document = pdf_of(plan_facts, tmp_path / "briefs.pdf", sections, briefs=True)
    clients = clients_of(plan_facts)
    assert document.page_count == without.page_count + len(clients)
    assert len(PdfReader(tmp_path / "briefs.pdf").pages) == document.page_count
    titles = document.titles()
    briefs = [(page, title) for page, title in titles if title.startswith("Brief: ")]
    assert sorted(title[len("Brief: "):] for _, title in briefs) == sorted(clients)
    # One page each: the briefs are the last pages, a new title on every one of them.
    assert [page for page, _ in briefs] == list(range(without.page_count,
                                                      document.page_count))
    # What the person who informs <b>Acme</b> & Co reads on their page (as PDF text).
    acme = next(page for page, title in briefs if title == f"Brief: {MARKUP}")
    reader = PdfReader(tmp_path / "briefs.pdf")
    text = " ".join(unicodedata.normalize("NFKC", reader.pages[acme].extract_text()).split())
    talk = next(c for c in plan_facts.conversations if c.client == MARKUP)
    assert text.startswith(f"Brief: {MARKUP} Who informs {talk.informer}")
    assert f"How it helps {MARKUP}" in text


def test_a_table_longer_than_a_page_repeats_its_header_on_every_page(plan_facts, tmp_path):
    document = pdf_of(plan_facts, tmp_path / "clients.pdf", ("clients",))
    pages = page_texts(tmp_path / "clients.pdf")
    assert document.page_count >= 2
    header = "Client Account Manager Production Manager(s) Until now Informs When Status"
    for number, page in enumerate(pages, start=1):
        assert header in page, f"page {number} has no header row"
    assert pages[1].startswith(header)  # at the top of the continuation page
    text = " ".join(pages)
    for client in clients_of(plan_facts):
        # Each row printed once, whole: no row cut in two, none repeated in the PDF's text.
        assert text.count(f"{client} ") >= 1


def test_pages_break_between_table_rows_and_lines_never_inside_them(plan_facts):
    for paper in ("a4", "letter"):
        document = lay_out_plan(R.build_report(plan_facts, client_briefs=True), paper)
        rows = [b for b in document.flow.boxes if b.table is not None]
        assert len(rows) > 100
        assert len(document.parts) >= 2  # the sections, then the briefs
        height = document.size.height()
        for page in document.pages:
            boxes = document.flows[page.part].boxes
            for cut in (page.body.top, page.body.bottom):
                assert not [b for b in boxes if b.top < cut < b.bottom], paper
            used = sum(s.bottom - s.top for s in page.slices)
            assert used <= height + 0.01


def test_letter_and_a4_are_portrait_pages_of_their_size(plan_facts, tmp_path):
    pdf_of(plan_facts, tmp_path / "a4.pdf", ("summary",), paper="a4")
    pdf_of(plan_facts, tmp_path / "letter.pdf", ("summary",), paper="letter")
    a4 = PdfReader(tmp_path / "a4.pdf").pages[0].mediabox
    letter = PdfReader(tmp_path / "letter.pdf").pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


def test_markup_typed_into_talking_points_prints_as_typed(plan_facts, tmp_path):
    typed = "Why the change\nWe <3 {client} & <i>all</i> of you at {studio}."
    facts = dataclasses.replace(plan_facts, talking_points=typed, conversations=(), items=tuple(
        i for i in plan_facts.items if i.client == MARKUP))
    pdf_of(facts, tmp_path / "typed.pdf", ("talking_points",), briefs=True)
    text = " ".join(page_texts(tmp_path / "typed.pdf"))
    assert "We <3 [the client] & <i>all</i> of you at North Studio." in text
    assert f"We <3 {MARKUP} & <i>all</i> of you at North Studio." in text


def test_a_plan_without_a_proposal_prints_what_it_has(plan_facts, tmp_path):
    bare = dataclasses.replace(plan_facts, items=(), conversations=(), effective_date=None)
    document = pdf_of(bare, tmp_path / "bare.pdf", ("summary", "clients", "calendar"))
    text = " ".join(page_texts(tmp_path / "bare.pdf"))
    assert document.page_count == 3
    assert "“Spring split” has no proposal yet" in text
    assert "No client has an Account Manager in this plan yet" in text
    assert "have not been scheduled yet" in text
    assert "Effective date not set yet" in text


def test_a_pdf_that_cannot_be_written_says_where_and_leaves_nothing(plan_facts, tmp_path):
    from studio_desk.core.errors import StudioDeskError

    document = lay_out_plan(R.build_report(plan_facts, ("cover",)))
    with pytest.raises(StudioDeskError, match="does not exist"):
        write_pdf(document, tmp_path / "missing" / "plan.pdf")
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"an older plan")
    write_pdf(document, target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.pdf"]  # no scratch file left


# --------------------------------------------------------------------------- page breaks


def test_pagination_rules_on_a_made_up_flow():
    def row(top: float, bottom: float, first: bool = False) -> Box:
        return Box(top, bottom, table=1, continues=not first,
                   lines=((top + 2, bottom - 2),))

    flow = Flow(boxes=(
        Box(0, 20, keep_with_next=True, lines=((0, 20),)),  # a heading
        row(20, 60, first=True), row(60, 100), row(100, 140), row(140, 180),
        Box(200, 230, forced=True, keep_with_next=True),  # the next section's h1
        Box(240, 250),
    ), headers={1: (20, 40)}, height=250)
    pages = paginate(flow, page_height=110)
    bodies = [(p.body.top, p.body.bottom) for p in pages]
    # Rows 1-2 fit under the heading; row 3 moves whole to page 2, under the header.
    assert bodies[0] == (0, 100)
    assert pages[1].slices[0] == dataclasses.replace(pages[1].slices[0], top=20, bottom=40)
    # The next page starts at the forced break; this one may show blank paper down to it.
    assert bodies[1] == (100, 190) and pages[1].body.offset == 20
    assert bodies[2] == (200, 250)  # a forced break, heading kept with what follows
    assert len(pages) == 3


def test_a_row_taller_than_a_page_is_cut_between_its_lines():
    tall = Box(0, 300, table=None, lines=tuple((y, y + 20) for y in range(0, 300, 20)))
    pages = paginate(Flow((tall,), {}, 300), page_height=110)
    cuts = [p.body.bottom for p in pages]
    assert cuts == [100, 200, 300]


def test_no_blank_first_page_when_the_first_section_breaks_its_page():
    flow = Flow((Box(0, 20, forced=True), Box(30, 40)), {}, 40)
    assert len(paginate(flow, 100)) == 1


# --------------------------------------------------------------------------- the window


def tick(qtbot, box) -> None:  # type: ignore[no-untyped-def]
    """Click a check box where a person would: on its box."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(7, box.height() // 2))


def _answer_options(qtbot, *, briefs: bool = False, paper: str | None = None,  # type: ignore[no-untyped-def]
                    only: tuple[str, ...] | None = None):
    def answer(dialog: PrintOptionsDialog) -> None:
        assert isinstance(dialog, PrintOptionsDialog)
        if only is not None:
            for key, box in dialog.section_boxes.items():
                if box.isChecked() != (key in only):
                    tick(qtbot, box)
        if briefs:
            tick(qtbot, dialog.briefs)
        if paper is not None:
            dialog.paper.setCurrentIndex(dialog.paper.findData(paper))
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    return answer_dialog(answer)


def _action(window, name: str):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QAction

    action = window.findChild(QAction, name)
    assert action is not None, name
    return action


def test_export_pdf_from_the_file_menu(qtbot, make_window, plan_file, plan_facts, tmp_path,
                                       monkeypatch):
    target = tmp_path / "handout.pdf"
    asked: list[Path] = []
    monkeypatch.setattr(PdfFileDialog, "ask_save", classmethod(
        lambda cls, parent, suggested: asked.append(suggested) or target))
    window = make_window(plan_file)
    action = _action(window, "export_pdf")
    assert action.isEnabled() and "Export P&DF…" == action.text()
    answer = _answer_options(qtbot, only=("cover", "summary", "calendar"), paper="letter")
    action.trigger()
    answer.check()
    assert asked == [plan_file.parent / f"{PLAN}.pdf"]
    reader = PdfReader(target)
    expected = lay_out_plan(R.build_report(plan_facts, ("cover", "summary", "calendar")),
                            "letter")
    assert len(reader.pages) == expected.page_count
    assert round(float(reader.pages[0].mediabox.width)) == 612
    assert f"{target}" in window.statusBar().currentMessage()
    assert "North Studio · Spring split" in page_texts(target)[0]


def test_print_preview_shows_the_plan_pages(qtbot, make_window, plan_file, plan_facts):
    window = make_window(plan_file)
    answer = _answer_options(qtbot, only=("cover", "clients"))
    _action(window, "print_preview").trigger()
    answer.check()
    printing = window.findChild(jobs.PlanPrinting, "plan_printing")
    dialog = printing.preview
    assert isinstance(dialog, QPrintPreviewDialog) and dialog.isVisible()
    preview = dialog.findChild(QPrintPreviewWidget)
    expected = lay_out_plan(R.build_report(plan_facts, ("cover", "clients")))
    qtbot.waitUntil(lambda: preview.pageCount() == expected.page_count)
    dialog.close()


def test_print_plan_prints_the_pages_chosen(qtbot, make_window, plan_file, tmp_path,
                                            monkeypatch):
    printed = tmp_path / "printer.pdf"

    def choose_printer(cls, parent, printer: QPrinter) -> bool:  # type: ignore[no-untyped-def]
        # What a person does in the print dialog: a printer (here, a file), pages 2-3.
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setFromTo(2, 3)
        return True

    monkeypatch.setattr(PrinterDialog, "ask", classmethod(choose_printer))
    window = make_window(plan_file)
    answer = _answer_options(qtbot, only=("cover", "clients"))
    _action(window, "print_plan").trigger()
    answer.check()
    pages = page_texts(printed)
    assert len(pages) == 2
    assert pages[0].startswith("Client by client For every client")
    assert pages[1].startswith("Client Account Manager Production Manager(s)")
    assert pages[0].endswith("Page 2 of 3") and pages[1].endswith("Page 3 of 3")
    assert "to the printer (2 pages)" in window.statusBar().currentMessage()


def test_the_plan_is_typeset_off_the_gui_thread(qtbot, make_window, plan_file, tmp_path,
                                                monkeypatch):
    target = tmp_path / "background.pdf"
    monkeypatch.setattr(PdfFileDialog, "ask_save",
                        classmethod(lambda cls, parent, suggested: target))
    threads: list[QThread] = []
    export = jobs.export_plan_pdf

    def recording(*args):  # type: ignore[no-untyped-def]
        threads.append(QThread.currentThread())
        return export(*args)

    monkeypatch.setattr(jobs, "export_plan_pdf", recording)
    runner = TaskRunner()
    window = make_window(plan_file, runner=runner)
    printing = window.findChild(jobs.PlanPrinting, "plan_printing")
    action = _action(window, "export_pdf")
    answer = _answer_options(qtbot, briefs=True)
    with qtbot.waitSignal(printing.finished, timeout=20000) as finished:
        action.trigger()
        answer.check()
        # The window answers meanwhile; the print actions wait for this one.
        assert printing.busy and not action.isEnabled()
    assert finished.args[0] == "pdf" and finished.args[1] == target
    assert threads and threads[0] is not QApplication.instance().thread()
    assert action.isEnabled() and target.exists()
    runner.shutdown()


def test_nothing_to_print_without_a_section(qtbot, make_window, plan_file):
    window = make_window(plan_file)

    def answer(dialog: PrintOptionsDialog) -> None:
        for box in dialog.section_boxes.values():
            tick(qtbot, box)
        assert not dialog.ok.isEnabled()
        tick(qtbot, dialog.briefs)
        assert dialog.ok.isEnabled()
        dialog.reject()

    answered = answer_dialog(answer)
    _action(window, "export_pdf").trigger()
    answered.check()


def test_a_workspace_without_plans_says_there_is_nothing_to_print(studio_window):
    _action(studio_window, "print_plan").trigger()
    boxes = [b.text() for b in studio_window.findChildren(QMessageBox, INFORMATION)]
    assert boxes == ["This workspace has no transition plan yet: make one with the "
                     "transition wizard first."]


def test_an_unwritable_pdf_is_one_sentence_and_no_file(qtbot, make_window, plan_file,
                                                        tmp_path, monkeypatch):
    target = tmp_path / "gone" / "plan.pdf"
    monkeypatch.setattr(PdfFileDialog, "ask_save",
                        classmethod(lambda cls, parent, suggested: target))
    window = make_window(plan_file)
    answer = _answer_options(qtbot, only=("cover",))
    _action(window, "export_pdf").trigger()
    answer.check()
    assert problems(window) == [f"{target}: the folder {target.parent} does not exist."]
    assert not target.parent.exists()


def test_print_actions_wait_for_a_workspace(make_window):
    window = make_window()
    for name in ("print_plan", "print_preview", "export_pdf"):
        assert not _action(window, name).isEnabled()


def test_the_paper_layout_keeps_the_footer_inside_the_printable_area():
    layout = page_layout("a4")
    assert layout.pageSize().id() == layout.pageSize().PageSizeId.A4
    assert min(layout.margins().left(), layout.margins().bottom()) >= 10


def test_tens_of_thousands_of_qt_calls_do_not_abort_the_process():
    # A 300-page plan makes this many calls that return nothing; PySide6 6.12.0 on
    # Python 3.11 lost a reference to None on each, and the interpreter aborted.
    import gc

    from PySide6.QtGui import QImage, QPainter

    image = QImage(4, 4, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    for _ in range(20000):
        painter.save()
        painter.restore()
    painter.end()
    gc.collect()
    assert image.width() == 4
