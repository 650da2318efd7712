"""Photograph every page of the window for the README, on the demo studio.

    python tools/screenshots.py [--out docs/screenshots] [--size 1280x800]

Runs offscreen (no display needed) with settings and data in a temporary folder, so the
user's own window settings and workspaces are neither read nor changed. Each page of the
main window is saved as ``<page>.png`` (clients.png, projects.png, people.png, ...), each
page of the transition wizard as ``wizard-<step>.png``; the wizard's People page
(wizard-people.png) and a second Assign page (wizard-assign-split.png) show the studio
of two project managers the split is made for.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots",
                        help="folder for the PNG files (default: docs/screenshots)")
    parser.add_argument("--size", default="1280x800",
                        help="window size, WIDTHxHEIGHT (default: 1280x800)")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="studio-desk-screenshots-") as folder:
        scratch = Path(folder)
        os.environ["STUDIO_DESK_CONFIG_DIR"] = str(scratch / "config")
        os.environ["STUDIO_DESK_DATA_DIR"] = str(scratch / "data")
        for path in photograph(scratch / "Demo studio.studiodesk", args.out, width, height):
            print(path)
    return 0


def photograph(workspace: Path, out: Path, width: int, height: int) -> list[Path]:
    """Build the demo studio at ``workspace`` and save a PNG of each page into ``out``."""
    from PySide6.QtWidgets import QApplication

    from studio_desk import APP_NAME, ORGANISATION
    from studio_desk.gui.main_window import MainWindow
    from studio_desk.gui.settings import Settings
    from studio_desk.gui.tasks import SynchronousTaskRunner
    from studio_desk.gui.views import PeopleView
    from studio_desk.store.demo import build_demo

    build_demo(workspace)
    _add_plans_and_a_template(workspace)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APP_NAME)

    window = MainWindow(Settings(), SynchronousTaskRunner(), who="Demo")
    window.resize(width, height)
    window.show()
    if not window.open_path(workspace):
        raise SystemExit(f"could not open the demo workspace {workspace}")
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for page in window.pages:
        window.tabs.setCurrentWidget(page)
        if isinstance(page, PeopleView):
            _select_someone_with_relationships(page)
        _show_an_example(page)
        app.processEvents()
        target = out / f"{str(getattr(page, 'title', 'page')).lower()}.png"
        if not window.grab().save(str(target)):
            raise SystemExit(f"could not write {target}")
        saved.append(target)
    saved += _photograph_wizard(window, out)
    saved += _photograph_plan_dialogs(window, out)
    saved += _photograph_import(window, workspace.parent, out)
    saved += _photograph_sharing(window, workspace, out)
    saved += _photograph_printing(window, workspace, out)
    saved += _photograph_dashboard(window, workspace, out)
    saved += _photograph_split(window, workspace.with_name("Two managers.studiodesk"), out)
    saved += _photograph_welcome(window, workspace.with_name("New studio.studiodesk"), out)
    window.close()
    return saved


def _photograph_dashboard(window: object, workspace: Path, out: Path) -> list[Path]:
    """The Dashboard's other views: the 12-week heat map (dashboard-weeks.png), the
    applied plan beside today (dashboard-what-if.png); and its capacity chart for a
    studio of 3 (dashboard-3-people.png) and of 40 (dashboard-40-people.png)."""
    from PySide6.QtWidgets import QApplication

    from studio_desk.gui.dashboard import TODAY, DashboardView
    from studio_desk.gui.main_window import MainWindow
    from studio_desk.store import plans
    from studio_desk.store.demo import build_demo

    assert isinstance(window, MainWindow) and window.desk is not None
    saved: list[Path] = []

    def save(name: str) -> None:
        QApplication.processEvents()
        target = out / name
        if not window.grab().save(str(target)):  # type: ignore[attr-defined]
            raise SystemExit(f"could not write {target}")
        saved.append(target)

    page = window.show_page("Dashboard")
    assert isinstance(page, DashboardView)
    _show_an_example(page)
    page.views.setCurrentWidget(page.weeks_table)
    save("dashboard-weeks.png")
    applied = window.desk.read_now(lambda s: plans.find_plan(s, "Spring split"))
    assert applied is not None
    page.views.setCurrentWidget(page.what_if)
    page.compare(TODAY, applied.id)
    save("dashboard-what-if.png")
    for people, projects, name in ((3, 20, "dashboard-3-people.png"),
                                   (40, 270, "dashboard-40-people.png")):
        studio = workspace.with_name(f"{people} people.studiodesk")
        build_demo(studio, people=people, clients=max(3, projects * 3 // 8),
                   projects=projects)
        if not window.open_path(studio):
            raise SystemExit(f"could not open {studio}")
        page.views.setCurrentWidget(page.capacity_table)
        _show_an_example(page)
        save(name)
    return saved


def _photograph_printing(window: object, workspace: Path, out: Path) -> list[Path]:
    """File › Export PDF…'s options (print-options.png), the print preview
    (print-preview.png), and two pages of the printed plan, turned from its PDF into
    pictures beside the screenshots folder: the client table (plan-page-1.png) and the
    capacity chart (plan-page-2.png)."""
    import shutil
    import subprocess
    import tempfile

    from PySide6.QtWidgets import QApplication

    from studio_desk.core import report
    from studio_desk.gui.main_window import MainWindow
    from studio_desk.gui.printing.dialogs import PrintOptions, PrintOptionsDialog
    from studio_desk.gui.printing.jobs import PlanPrinting, preview_document
    from studio_desk.gui.printing.render import lay_out_plan, write_pdf
    from studio_desk.store import plans
    from studio_desk.store.report_data import gather_plan_facts, studio_name

    assert isinstance(window, MainWindow) and window.desk is not None
    desk = window.desk
    plan = desk.read_now(lambda s: plans.find_plan(s, "Spring split"))
    assert plan is not None
    known = desk.read_now(lambda s: [(p.id, p.name) for p in plans.list_plans(s)])
    facts = desk.read_now(lambda s: gather_plan_facts(s, plan.id,
                                                      studio=studio_name(workspace)))
    saved: list[Path] = []

    def save(widget: object, target: Path) -> None:
        QApplication.processEvents()
        if not widget.grab().save(str(target)):  # type: ignore[attr-defined]
            raise SystemExit(f"could not write {target}")
        saved.append(target)

    options = PrintOptions(plan.id, plan.name, client_briefs=True)
    dialog = PrintOptionsDialog(window, known, "pdf", options)
    dialog.show()
    save(dialog, out / "print-options.png")
    dialog.close()

    printing = window.findChild(PlanPrinting, "plan_printing")
    assert printing is not None
    printing._show_preview(preview_document(facts, options), options)
    assert printing.preview is not None
    printing.preview.resize(1000, 760)
    save(printing.preview, out / "print-preview.png")
    printing.preview.close()

    document = lay_out_plan(report.build_report(facts))
    pages = [document.first_page_of(report.SECTION_TITLES[report.SECTION_CLIENTS]),
             document.first_page_of(report.SECTION_TITLES[report.SECTION_CAPACITY])]
    with tempfile.TemporaryDirectory(prefix="studio-desk-plan-") as folder:
        pdf = Path(folder) / "plan.pdf"
        write_pdf(document, pdf)
        for number, index in enumerate(pages, start=1):
            assert index is not None
            target = out.parent / f"plan-page-{number}.png"
            if shutil.which("pdftoppm"):  # the PDF itself, as a reader shows it
                subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile",
                                "-f", str(index + 1), "-l", str(index + 1), str(pdf),
                                str(target.with_suffix(""))], check=True)
            elif not document.page_image(index, 72).save(str(target)):
                raise SystemExit(f"could not write {target}")
            saved.append(target)
    return saved


def _photograph_sharing(window: object, workspace: Path, out: Path) -> list[Path]:
    """A colleague, Ana, has the workspace open and saves: the window's status bar says
    so (sharing.png); the history of the workspace (history.png); the conflict dialog
    when she and this window saved the same project (conflict.png); and Tools › Check
    workspace (check.png)."""
    import datetime as dt

    from PySide6.QtWidgets import QApplication

    from studio_desk.core import fields as F
    from studio_desk.gui.backups import CheckDialog, check_up
    from studio_desk.gui.conflict import ConflictDialog
    from studio_desk.gui.desk import describe
    from studio_desk.gui.history import show_history
    from studio_desk.gui.main_window import MainWindow
    from studio_desk.store import presence, records
    from studio_desk.store.engine import open_workspace

    assert isinstance(window, MainWindow) and window.desk is not None
    saved: list[Path] = []

    def save(widget: object, name: str) -> None:
        QApplication.processEvents()
        target = out / name
        if not widget.grab().save(str(target)):  # type: ignore[attr-defined]
            raise SystemExit(f"could not write {target}")
        saved.append(target)

    with open_workspace(workspace, who="Ana Ruiz") as anas:
        token = presence.join(anas, "Ana Ruiz", "studio-mac")
        with anas.read() as s:
            projects = [p for p in records.list_rows(s, "project")
                        if p.status == "active" and p.manager][:3]
            people = [p.name for p in records.list_rows(s, "person")]
        first = projects[0]
        with anas.write() as s:  # Ana's morning: a project on hold, a new manager
            records.update_record(s, "project", first.id, first.version, {
                "status": "on-hold",
                "manager": next(n for n in people if n != first.manager)})
            for project in projects[1:]:
                records.update_record(s, "project", project.id, project.version,
                                      {"communication_load": 5})
        window.live.check_now()
        window.show_page("Projects")
        save(window, "sharing.png")

        history = show_history(window)
        assert history is not None
        save(history, "history.png")
        history.close()

        with anas.read() as s:
            theirs = records.get_row(s, "project", first.id)
        mine = {"status": "done", "due": dt.date.today(),
                "estimated_hours": (first.estimated_hours or 40) + 12}
        conflict = ConflictDialog(F.PROJECT, first.values(), theirs.values(), mine,
                                  record=describe("project", theirs), who="Ana Ruiz",
                                  parent=window)
        conflict.show()
        save(conflict, "conflict.png")
        conflict.close()

        check = CheckDialog(check_up(workspace), window)
        check.show()
        save(check, "check.png")
        check.close()
        presence.leave(anas, token)
    return saved


def _photograph_wizard(window: object, out: Path) -> list[Path]:
    """Walk the transition wizard on a new plan and save each page as
    ``wizard-<step>.png`` (but People: see :func:`_photograph_split`): rows the proposal
    could not place get the freest person, and one project goes to the busiest person,
    so a capacity bar shows its warning."""
    from PySide6.QtWidgets import QApplication

    from studio_desk.core import schedule
    from studio_desk.gui.main_window import MainWindow
    from studio_desk.gui.wizard.assign import AssignPage
    from studio_desk.store import plans

    assert isinstance(window, MainWindow) and window.desk is not None
    plan = window.desk.write_now(lambda s: plans.create_plan(
        s, "Split from the new year", effective_date=schedule.default_effective_date()))
    wizard = window.open_wizard(plan.id)
    assert wizard is not None
    saved = []
    for step in plans.WIZARD_STEPS:
        page = wizard.currentPage()  # type: ignore[attr-defined]
        if isinstance(page, AssignPage):
            saved.append(_photograph_bulk_assign(page, out))
            _place_and_overload(page)
        QApplication.processEvents()
        target = out / f"wizard-{step.replace('_', '-')}.png"
        # The People page is photographed on the two managers' studio (_photograph_split).
        if step != "people":
            if not wizard.grab().save(str(target)):
                raise SystemExit(f"could not write {target}")
            saved.append(target)
        if step != plans.WIZARD_STEPS[-1]:
            wizard.next()  # type: ignore[attr-defined]
            if wizard.current_step() == step:  # type: ignore[attr-defined]
                raise SystemExit(f"the wizard did not go on from {step}")
    wizard.close()
    return saved


def _photograph_import(window: object, folder: Path, out: Path) -> list[Path]:
    """File › Import… on a Float-style export of people (import-dialog.png): its columns
    matched to Studio Desk's fields, an unknown one, and a bad row, as the check lists
    them before anything is saved."""
    from PySide6.QtWidgets import QApplication

    from studio_desk.gui.main_window import MainWindow
    from studio_desk.gui.transfer_dialogs import open_import_dialog

    assert isinstance(window, MainWindow)
    source = folder / "Float people export.csv"
    source.write_text("Person Name,Capacity (h/week),Job Title,Department\n"
                      "Dana Kim,40,Designer,Brand\n"
                      "Eli Park,lots,Developer,Digital\n"
                      "Farah Haddad,32,Producer,Brand\n", encoding="utf-8")
    dialog = open_import_dialog(window, source)
    assert dialog is not None
    dialog.resize(1000, 640)
    dialog.check()
    QApplication.processEvents()
    target = out / "import-dialog.png"
    if not dialog.grab().save(str(target)):
        raise SystemExit(f"could not write {target}")
    dialog.reject()
    return [target]


def _photograph_welcome(window: object, workspace: Path, out: Path) -> list[Path]:
    """A new, empty workspace opens on the welcome page (welcome.png)."""
    from PySide6.QtWidgets import QApplication

    from studio_desk.gui.main_window import MainWindow
    from studio_desk.store.engine import create_workspace

    assert isinstance(window, MainWindow)
    create_workspace(workspace)
    if not window.open_path(workspace):
        raise SystemExit(f"could not open {workspace}")
    QApplication.processEvents()
    target = out / "welcome.png"
    if not window.grab().save(str(target)):
        raise SystemExit(f"could not write {target}")
    return [target]


def _photograph_bulk_assign(page: object, out: Path) -> Path:
    """The Assign page at studio scale (wizard-assign-bulk.png): only the rows that
    change hands, every one of them selected, ready to be kept as they are at once."""
    from PySide6.QtWidgets import QApplication

    from studio_desk.gui.wizard.assign import AssignPage

    assert isinstance(page, AssignPage)
    page.changes_only.setChecked(True)
    page.table.setFocus()
    page.table.selectAll()
    QApplication.processEvents()
    target = out / "wizard-assign-bulk.png"
    if not page.window().grab().save(str(target)):
        raise SystemExit(f"could not write {target}")
    page.table.clearSelection()
    page.changes_only.setChecked(False)
    return target


def _photograph_plan_dialogs(window: object, out: Path) -> list[Path]:
    """From the Plans page: two plans compared row by row (plan-compare.png), and the
    applied plan's six-month review beside the studio as it stands (plan-review.png)."""
    from PySide6.QtWidgets import QApplication

    from studio_desk.gui.main_window import MainWindow
    from studio_desk.gui.plan_compare import PlanCompareDialog
    from studio_desk.gui.plan_review import PlanReviewDialog
    from studio_desk.store import plans

    assert isinstance(window, MainWindow) and window.desk is not None
    desk = window.desk
    listed = desk.read_now(lambda s: [(p.id, p.name, p.status) for p in plans.list_plans(s)])
    applied = next(plan_id for plan_id, _name, status in listed
                   if status != plans.STATUS_DRAFT)
    drafted = next(plan_id for plan_id, name, status in listed
                   if status == plans.STATUS_DRAFT and name == "Split from the new year")
    saved = []
    compare = PlanCompareDialog([(plan_id, name) for plan_id, name, _s in listed],
                                applied, drafted,
                                lambda a, b: desk.read_now(lambda s: plans.compare_plans(
                                    s, a, b)), window)
    compare.only_differences.setChecked(True)
    compare.show()
    QApplication.processEvents()
    target = out / "plan-compare.png"
    if not compare.grab().save(str(target)):
        raise SystemExit(f"could not write {target}")
    saved.append(target)
    compare.close()
    name = next(name for plan_id, name, _s in listed if plan_id == applied)
    review = PlanReviewDialog(name, lambda day: desk.read_now(
        lambda s: plans.plan_review(s, applied, day)), lambda _day: None, window)
    review.show()
    QApplication.processEvents()
    target = out / "plan-review.png"
    if not review.grab().save(str(target)):
        raise SystemExit(f"could not write {target}")
    saved.append(target)
    review.close()
    return saved


def _photograph_split(window: object, workspace: Path, out: Path) -> list[Path]:
    """The studio of two project managers (Pat loves the client work, Sam the tech; the
    owner has a little capacity) split in the wizard with its first guesses: the People
    page with each person's limits for the role they take and the suggestion beside them
    (wizard-people.png), and the Assign page with the everyday limits still in force,
    saying what it would take to place the rest (wizard-assign-split.png)."""
    from PySide6.QtWidgets import QApplication

    from studio_desk.core import schedule
    from studio_desk.gui.main_window import MainWindow
    from studio_desk.gui.wizard.assign import AssignPage
    from studio_desk.gui.wizard.people import PeoplePage
    from studio_desk.store import plans

    assert isinstance(window, MainWindow)
    _build_two_managers(workspace)
    if not window.open_path(workspace):
        raise SystemExit(f"could not open {workspace}")
    assert window.desk is not None
    plan = window.desk.write_now(lambda s: plans.create_plan(
        s, "Pat and Sam split", effective_date=schedule.default_effective_date()))
    wizard = window.open_wizard(plan.id)
    assert wizard is not None
    saved = []
    for step, name in (("people", "wizard-people.png"), ("assign", "wizard-assign-split.png")):
        while wizard.current_step() != step:  # type: ignore[attr-defined]
            before = wizard.current_step()  # type: ignore[attr-defined]
            wizard.next()  # type: ignore[attr-defined]
            if wizard.current_step() == before:  # type: ignore[attr-defined]
                raise SystemExit(f"the wizard did not go on from {before}")
        page = wizard.currentPage()  # type: ignore[attr-defined]
        if isinstance(page, PeoplePage):  # Sam: the suggestion's reason is shown below
            page.table.setCurrentIndex(page.model.index(
                next(i for i, r in enumerate(page.model.rows()) if r.person.name == "Sam Lee"),
                page.model.column_of("max_active_projects")))
        elif isinstance(page, AssignPage):  # the first row no one could take
            rows = page.model.rows()
            page.table.setCurrentIndex(page.model.index(
                next((i for i, r in enumerate(rows) if r.unplaced), 0), 0))
        QApplication.processEvents()
        target = out / name
        if not wizard.grab().save(str(target)):
            raise SystemExit(f"could not write {target}")
        saved.append(target)
    wizard.close()
    return saved


def _build_two_managers(workspace: Path) -> None:
    """Pat (client-facing 5, head-down 2) and Sam (2 and 5) each run six clients' work
    in the combined job: one active and two back-burner projects per client, half the
    active ones technical; Robin, the owner, is at home on either side."""
    from studio_desk.store import records
    from studio_desk.store.engine import open_workspace

    with open_workspace(workspace, create=True, who="Demo") as ws, ws.write() as s:
        for name, title, client_facing, head_down, hours, clients, active, backburner in (
                ("Pat Rivera", "Project manager", 5, 2, 40, 12, 6, 15),
                ("Sam Lee", "Project manager", 2, 5, 40, 12, 6, 15),
                ("Robin Hale", "Owner", 3, 3, 10, 2, 1, 2)):
            records.add_record(s, "person", {
                "name": name, "title": title, "client_facing": client_facing,
                "head_down": head_down, "weekly_hours": hours, "max_clients": clients,
                "max_active_projects": active, "max_backburner_projects": backburner})
        for k in range(12):
            manager = "Pat Rivera" if k < 6 else "Sam Lee"
            client = f"Client {k + 1:02d}"
            records.add_record(s, "client", {"name": client})
            records.add_record(s, "relationship", {"person": manager, "client": client,
                                                   "strength": 3, "since": "2021-05-01"})
            technical = k % 2 == 0
            for project, status, complexity, load in (
                    (f"{client} {'platform' if technical else 'campaign'}", "active",
                     5 if technical else 2, 2 if technical else 5),
                    (f"{client} retainer", "back-burner", 3, 3),
                    (f"{client} archive", "back-burner", 2, 2)):
                records.add_record(s, "project", {
                    "client": client, "name": project, "status": status,
                    "technical_complexity": complexity, "communication_load": load,
                    "manager": manager})


def _place_and_overload(page: object) -> None:
    from studio_desk.gui.wizard.assign import AssignPage

    assert isinstance(page, AssignPage)

    def free_hours(name: str) -> float:
        return page.after[name].weekly_hours - page.after[name].allocated_hours

    for item in page.model.rows():
        if item.unplaced:
            freest = max(page.people.values(), key=lambda p: free_hours(p.name))
            page.choose(item.item_name, freest.name)
    busiest = min(page.people.values(), key=lambda p: free_hours(p.name))
    project = next(i for i in page.model.rows()
                   if i.project is not None and i.person_id not in (None, busiest.id)
                   and page.project_status.get(i.project_id) == "active")
    page.choose(project.item_name, busiest.name)


def _add_plans_and_a_template(workspace: Path) -> None:
    """An applied plan part-way through its client checklist, a draft, and a studio's own
    team template with a row to query, so the Plans and Responsibilities pages show them."""
    import datetime as dt

    from studio_desk.core import catalog, schedule
    from studio_desk.store import plans, records
    from studio_desk.store.engine import open_workspace

    today = dt.date.today()
    with open_workspace(workspace, who="Demo") as ws:
        with ws.write() as s:
            applied = plans.create_plan(s, "Spring split",
                                        effective_date=schedule.default_effective_date(today))
            proposal = plans.propose_plan(s, applied.id)
            # The demo studio is short of hours: what the proposal cannot place goes to
            # whoever has the most time left, as a team would decide by hand.
            for item in (i for i in proposal.items if i.unplaced):
                after = plans.capacity_before_after(s, applied.id)[1]
                freest = max(after, key=lambda c: c.weekly_hours - c.allocated_hours)
                person = records.find_id(s, "person", freest.person)
                plans.override_item(s, applied.id, item.id, person)
            plans.schedule_plan(s, applied.id, today=today)
            plans.apply_plan(s, applied.id)
            for number, talk in enumerate(plans.plan_conversations(s, applied.id)[:9]):
                plans.set_conversation_status(s, talk.id,
                                              "settled" if number < 2 else "informed")
            draft = plans.create_plan(s, "Leaner option: two account managers",
                                      effective_date=schedule.default_effective_date(today))
            plans.save_step(s, draft.id, "start", {}, "assign")
            large = next(t for t in plans.list_templates(s) if t.template.key == "large_agency")
            own = plans.copy_template(s, large.id, "Our studio")
            edited = catalog.set_cell(own.template, "Technical audit", "Project Manager", "A")
            plans.save_template(s, own.id, own.version, edited)


def _show_an_example(page: object) -> None:
    """Select what makes a page worth a picture: the applied plan, the studio's template,
    the dashboard on the day the demo studio's dates are counted from."""
    import datetime as dt

    from studio_desk.gui.dashboard import DashboardView
    from studio_desk.gui.plans_page import PlansView
    from studio_desk.gui.responsibilities import ResponsibilitiesView

    if isinstance(page, DashboardView):
        # Every demo here is dated around today (build_demo's default), as are the plans
        # made above: its weeks show the most from there.
        page.set_as_of(dt.date.today())
    elif isinstance(page, PlansView):
        for entry in page.model.rows():
            if not entry.is_draft:
                page.select_plan(entry.id)
    elif isinstance(page, ResponsibilitiesView):
        for row in page.templates.list_model.rows():
            if not row.builtin:
                page.templates.select_id(row.id)


def _select_someone_with_relationships(people: object) -> None:
    """Show a person whose relationships pane is not empty."""
    from studio_desk.gui.views import PeopleView

    assert isinstance(people, PeopleView)
    for row in people.model.rows():
        people.select_id(row.id)
        if people.relationships.model.rowCount() >= 2:
            return


if __name__ == "__main__":
    sys.exit(main())
