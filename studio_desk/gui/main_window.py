"""The main window: the pages, the menus, the status bar, and which workspace is open."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio_desk import APP_NAME, __version__
from studio_desk.core import fields as F
from studio_desk.core.errors import StudioDeskError
from studio_desk.gui.actions import create_actions, name_record_actions
from studio_desk.gui.conflict import ConflictHandler
from studio_desk.gui.desk import Desk
from studio_desk.gui.forms import OpenOrNew, WorkspaceFileDialog
from studio_desk.gui.live import LiveWorkspace, ReadOnlyBanner
from studio_desk.gui.messages import show_information, show_problem
from studio_desk.gui.settings import Settings
from studio_desk.gui.tasks import BaseTaskRunner, TaskRunner
from studio_desk.gui.views import PAGES, RecordView
from studio_desk.gui.welcome import WelcomePage, demo_note, is_empty_studio
from studio_desk.store import holders, locations, records
from studio_desk.store.engine import Workspace, create_workspace, open_workspace

log = logging.getLogger(__name__)

#: Tab titles with a letter for Alt+letter (none taken by the menus or the buttons).
_TAB_TITLES = {"Clients": "&Clients", "Projects": "&Projects", "People": "Pe&ople"}


def _ms_until_tomorrow(now: dt.datetime | None = None) -> int:
    """Milliseconds from ``now`` (local time) to a few seconds past the next midnight."""
    now = now or dt.datetime.now()
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0, 0, 5))
    return max(1000, int((tomorrow - now).total_seconds() * 1000))


class EmptyState(QWidget):
    """Shown while no workspace is open: what to do next, as buttons."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("no_workspace")
        self.setAccessibleName("No workspace open")
        message = QLabel("No workspace is open. Open a workspace file, or create a new one.",
                         self)
        message.setTextFormat(Qt.TextFormat.PlainText)
        message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.open_button = QPushButton("&Open workspace…", self)
        self.open_button.setAccessibleName("Open workspace")
        self.open_button.clicked.connect(window.open_workspace_dialog)
        self.new_button = QPushButton("&New workspace…", self)
        self.new_button.setAccessibleName("New workspace")
        self.new_button.clicked.connect(window.new_workspace)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(message)
        for button in (self.open_button, self.new_button):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    """Clients, Projects and People of one workspace, with File / Edit / Help."""

    #: The workspace now open (its path), or None when it was closed.
    workspace_changed = Signal(object)

    def __init__(self, settings: Settings, runner: BaseTaskRunner | None = None, *,
                 who: str | None = None) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.setAccessibleName(APP_NAME)
        self.settings = settings
        self.runner = runner if runner is not None else TaskRunner(self)
        self.who = who
        self.desk: Desk | None = None
        self.undo_stack = QUndoStack(self)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("pages")
        self.tabs.setAccessibleName("Pages")
        self.tabs.tabBar().setAccessibleName("Pages")
        self.pages: list[QWidget] = []
        for page_type in PAGES:
            page = page_type(self.tabs)
            title = str(getattr(page, "title", page_type.__name__))
            self.tabs.addTab(page, _TAB_TITLES.get(title, title))
            self.pages.append(page)
        self.empty = EmptyState(self)
        self.welcome = WelcomePage(self)
        #: Whether the welcome page is done with for the open workspace (records came,
        #: or the user chose a way in); it never comes back until another is opened.
        self.welcomed = False
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.tabs)
        self.banner = ReadOnlyBanner(self)
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.addWidget(self.banner)
        central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.path_label = self._status_label("workspace_path", "Workspace file")
        self.counts_label = self._status_label("counts", "Records in the workspace")
        self.busy_label = self._status_label("busy", "Reading the workspace")
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.counts_label)
        # A window left open past midnight brings roles changing on the new day in, as
        # opening the workspace that morning would.
        self.new_day_timer = QTimer(self)
        self.new_day_timer.setObjectName("new_day_timer")
        self.new_day_timer.setSingleShot(True)
        self.new_day_timer.timeout.connect(self._new_day)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.timeout.connect(self.refresh_counts)

        self.actions_ = create_actions(self)
        self.tabs.currentChanged.connect(self._page_changed)
        # Colleagues' changes, who else is in, waiting, read-only (after the actions).
        self.live = LiveWorkspace(self, self.banner)
        self.runner.busy_changed.connect(
            lambda busy: self.busy_label.setText("Reading…" if busy else ""))
        self.runner.problem.connect(lambda text: show_problem(self, text))
        self._restore_layout()
        self._show_workspace()

    def _status_label(self, name: str, accessible: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setAccessibleName(accessible)
        return label

    # Pages ------------------------------------------------------------------------------

    def current_page(self) -> QWidget:
        return self.tabs.currentWidget()

    def page(self, title: str) -> QWidget:
        """The page called ``title`` ("Clients", "Projects", "People")."""
        for page in self.pages:
            if getattr(page, "title", None) == title:
                return page
        raise KeyError(title)

    def show_page(self, title: str) -> QWidget:
        page = self.page(title)
        self.leave_welcome()
        self.tabs.setCurrentWidget(page)
        return page

    def leave_welcome(self) -> None:
        """Go from the welcome page to the tabs, for good in this workspace."""
        if self.desk is None:
            return
        self.welcomed = True
        if self.stack.currentWidget() is self.welcome:
            self.stack.setCurrentWidget(self.tabs)

    def _follow_counts(self, counts: dict[str, int]) -> None:
        """The welcome page while the workspace has no people, clients or projects."""
        if not is_empty_studio(counts):
            self.leave_welcome()
        elif not self.welcomed and self.stack.currentWidget() is self.tabs:
            self.stack.setCurrentWidget(self.welcome)
            self.welcome.setup_button.setFocus()

    def _page_changed(self, _index: int = -1) -> None:
        page = self.current_page()
        kind = getattr(page, "kind", None)
        label = F.KINDS[kind].label.lower() if isinstance(page, RecordView) and kind else None
        name_record_actions(self.actions_, label if self.desk is not None else None)
        title = getattr(page, "title", "")
        if title:
            self.settings.page = title

    # Record actions, for the page shown -------------------------------------------------

    def find(self) -> None:
        page = self.current_page()
        if isinstance(page, RecordView) and self.desk is not None:
            page.focus_search()

    def add_record(self) -> None:
        page = self.current_page()
        if isinstance(page, RecordView):
            page.add()

    def edit_record(self) -> None:
        page = self.current_page()
        if isinstance(page, RecordView):
            page.edit()

    def delete_record(self) -> None:
        page = self.current_page()
        if isinstance(page, RecordView):
            page.delete_focused()

    # Workspaces -------------------------------------------------------------------------

    def open_path(self, path: Path, *, create: bool = False) -> bool:
        """Open the workspace at ``path`` (made first if ``create`` and missing).

        On a StudioDeskError the user reads its sentence and the current workspace, if
        any, stays open.
        """
        try:
            workspace = open_workspace(path, create=create, who=self.who)
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return False
        self._use(workspace)
        return True

    def open_at_start(self, path: Path, *, create: bool) -> bool:
        """Open the workspace the window was started with; if it cannot be opened, say
        why and offer to open another or create one."""
        try:
            workspace = open_workspace(path, create=create, who=self.who)
        except StudioDeskError as exc:
            choice = OpenOrNew.ask(self, str(exc))
            if choice == OpenOrNew.OPEN:
                self.open_workspace_dialog()
            elif choice == OpenOrNew.NEW:
                self.new_workspace()
            return self.desk is not None
        self._use(workspace)
        return True

    def open_recent(self, path: Path) -> None:
        if not self.open_path(path) and not path.exists():
            self.settings.remove_recent_file(path)

    def open_workspace_dialog(self) -> None:
        """File › Open…"""
        path = WorkspaceFileDialog.ask_open(self, self._dialog_folder())
        if path is not None:
            self.open_path(path)

    def new_workspace(self) -> None:
        """File › New workspace…: create an empty workspace file and open it."""
        path = WorkspaceFileDialog.ask_new(self, self._dialog_folder())
        if path is None:
            return
        try:
            create_workspace(path)
        except StudioDeskError as exc:
            show_problem(self, str(exc))
            return
        self.open_path(path)

    def _dialog_folder(self) -> Path:
        if self.desk is not None:
            return self.desk.path.parent
        return locations.data_dir()

    def _use(self, workspace: Workspace) -> None:
        """Show ``workspace`` in every page, replacing the one open before."""
        self._close_desk()
        self.welcomed = False
        self.desk = Desk(workspace, self.runner, self.undo_stack, self)
        self.desk.conflicts = ConflictHandler(self, self.desk)
        self.desk.problem.connect(lambda text: show_problem(self, text))
        for signal in (self.desk.row_saved, self.desk.row_removed, self.desk.stale):
            signal.connect(self._schedule_counts)
        self.settings.add_recent_file(workspace.path)
        self._show_workspace()
        for page in self.pages:
            page.bind(self.desk)  # type: ignore[attr-defined]
        self.refresh_counts()
        self.live.attach(self.desk)
        self._catch_up(self.desk)
        self.workspace_changed.emit(workspace.path)

    def _catch_up(self, desk: Desk) -> None:
        """Roles that plans change on a date that has come become today's: projects'
        managers, people's limits (``store.holders``); the tables then read them again."""
        def caught(result: holders.CaughtUp) -> None:
            if self.desk is desk and result:
                desk.stale.emit(frozenset({"project", "person"}))

        def not_caught(exc: StudioDeskError) -> None:
            # The dashboard reads as of a day all the same; the next opening tries again.
            log.info("Could not bring %s up to today: %s", desk.path, exc)

        desk.runner.run(lambda: holders.catch_up_workspace(desk.workspace), caught,
                        not_caught)
        self.new_day_timer.start(_ms_until_tomorrow())

    def _new_day(self) -> None:
        if self.desk is not None:
            self._catch_up(self.desk)

    def _close_desk(self) -> None:
        if self.desk is None:
            return
        self.close_wizard()  # it saves its page through the workspace closing now
        self.new_day_timer.stop()
        desk, self.desk = self.desk, None
        self.live.detach()
        self.undo_stack.clear()
        for page in self.pages:
            page.bind(None)  # type: ignore[attr-defined]
        desk.close()
        desk.deleteLater()

    def _show_workspace(self) -> None:
        if self.desk is None:
            self.stack.setCurrentWidget(self.empty)
            self.setWindowTitle(APP_NAME)
            self.path_label.setText("No workspace open")
            self.counts_label.clear()
        else:
            self.stack.setCurrentWidget(self.tabs)
            demo = demo_note(self.desk.path)
            self.setWindowTitle(f"{self.desk.path.name}{' (invented data)' if demo else ''} — "
                                f"{APP_NAME}")
            self.path_label.setText(f"{demo}: {self.desk.path}" if demo
                                    else str(self.desk.path))
        self._page_changed()

    def _schedule_counts(self, *_args: object) -> None:
        self._counts_timer.start(100)

    def refresh_counts(self) -> None:
        """Show how many clients, projects and people the workspace holds."""
        if self.desk is None:
            return
        desk = self.desk

        def show(counts: dict[str, int]) -> None:
            if self.desk is not desk:
                return
            parts = []
            for kind in ("client", "project", "person"):
                n, declared = counts.get(kind, 0), F.KINDS[kind]
                parts.append(f"{n:,} {declared.label.lower() if n == 1 else declared.plural}")
            self.counts_label.setText(" · ".join(parts))
            self._follow_counts(counts)

        desk.read(records.count_rows, show)

    # Tools ------------------------------------------------------------------------------

    def open_wizard(self, plan_id: int | None = None) -> QWidget | None:
        """Tools › Transition wizard…: the wizard on ``plan_id`` (default: the latest
        draft, on the page where it was left), or the one already open on it."""
        from studio_desk.gui.wizard import TransitionWizard

        if self.desk is None:
            return None
        wizard = getattr(self, "_wizard", None)
        if wizard is not None and wizard.isVisible() and (
                plan_id is None or wizard.draft.plan is None
                or wizard.draft.plan.id == plan_id):
            wizard.raise_()
            wizard.activateWindow()
            return wizard
        self.close_wizard()
        wizard = TransitionWizard(self.desk, plan_id, self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.finished.connect(lambda _result, w=wizard: self._wizard_closed(w))
        self._wizard = wizard
        wizard.show()
        return wizard

    def close_wizard(self) -> None:
        """Close the wizard, if open (it keeps the page it is on)."""
        wizard = getattr(self, "_wizard", None)
        if wizard is not None:
            wizard.close()
            self._wizard = None

    def _wizard_closed(self, wizard: QWidget) -> None:
        if getattr(self, "_wizard", None) is wizard:
            self._wizard = None

    # Help -------------------------------------------------------------------------------

    def show_about(self) -> None:
        show_information(
            self, f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nClients, projects and people of a small studio, "
            "and a guided split of the project manager's job into an Account Manager "
            "and a Production Manager.")

    def show_data_location(self) -> None:
        """Help › Where is my data?"""
        workspace = str(self.desk.path) if self.desk is not None else "none open"
        show_information(
            self, "Where is my data?",
            f"This workspace: {workspace}\n\n"
            f"Data folder (default workspace, backups): {locations.data_dir()}\n\n"
            f"Window settings: {self.settings.file_name}")

    # Layout -----------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 760)
        state = self.settings.window_state
        if state is not None:
            self.restoreState(state)
        if self.settings.page:
            try:
                self.show_page(self.settings.page)
            except KeyError:
                pass

    def closeEvent(self, event: QCloseEvent) -> None:
        """Keep the window's size and page, finish reads, close the workspace."""
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()
        if isinstance(self.runner, TaskRunner):
            self.runner.shutdown()
        self._close_desk()
        super().closeEvent(event)
