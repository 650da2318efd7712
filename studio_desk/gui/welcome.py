"""The welcome page: what a new user sees instead of empty tables.

While the open workspace holds no people, no clients and no projects, the main window
shows this page in place of its tabs, with four ways to start: set the studio up by hand
(people first), import spreadsheets, open a workspace the studio already shares, or look
around a demo studio. The demo is a workspace file of its own in the data folder
(:func:`demo_path`), never mixed into the user's workspace, and the window says it is the
demo while it is open (:func:`demo_note`).
"""

from __future__ import annotations

import contextlib
import html
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QFont, QKeyEvent, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio_desk import APP_NAME
from studio_desk.core.errors import StudioDeskError, WorkspaceError
from studio_desk.gui.messages import show_problem, show_status
from studio_desk.store import locations

if TYPE_CHECKING:
    from studio_desk.gui.main_window import MainWindow

#: The demo studio's file, in the data folder beside the default workspace.
DEMO_FILE_NAME = f"Demo studio{locations.WORKSPACE_SUFFIX}"
#: The kinds whose absence makes a workspace "empty" for the welcome page.
STUDIO_KINDS = ("person", "client", "project")
#: The objectName of the window's import action (File › Import…).
IMPORT_ACTION = "import_file"

_DEMO_TEXT = "Try things out on an invented studio, in a file of its own apart from yours."
_DEMO_AGAIN_TEXT = "Open the invented studio made before, or build it afresh; yours stays apart."


def demo_path() -> Path:
    """Where the demo studio lives: its own file in the user's data folder."""
    return locations.data_dir() / DEMO_FILE_NAME


def is_demo(path: Path) -> bool:
    """Whether ``path`` is the demo studio's file."""
    try:
        return Path(path).resolve() == demo_path().resolve()
    except OSError:
        return False


def demo_note(path: Path) -> str | None:
    """A line for the status bar when ``path`` is the demo studio (None otherwise)."""
    if not is_demo(path):
        return None
    return "Demo studio, invented data, apart from your workspace"


def is_empty_studio(counts: Mapping[str, int]) -> bool:
    """Whether a workspace holding ``counts`` records has no people, clients or projects."""
    return not any(counts.get(kind, 0) for kind in STUDIO_KINDS)


def build_demo_file(path: Path, *, replace: bool = False) -> Path:
    """Build the demo studio, dated around today, at ``path``; with ``replace``, build a
    fresh one and put it in place of the one there. Runs off the GUI thread."""
    from studio_desk.store.demo import build_demo

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not replace:
            build_demo(path)
            return path
        # Built beside it and swapped in whole: a failure leaves the old demo as it was.
        fresh = path.with_name(path.name + ".new")
        with contextlib.suppress(FileNotFoundError):
            fresh.unlink()
        build_demo(fresh)
        try:
            os.replace(fresh, path)
        except OSError:
            with contextlib.suppress(FileNotFoundError):
                fresh.unlink()
            raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise WorkspaceError(f"The demo studio could not be made in {path.parent}: "
                             f"{reason}. Close the demo wherever it is open, check the "
                             "folder can be written, and try again.") from exc
    return path


class DemoExists:
    """Asked when the demo studio was made before: open it, or build a fresh one?"""

    OPEN = "open"
    REBUILD = "rebuild"

    @classmethod
    def ask(cls, parent: QWidget | None, path: Path) -> str | None:
        """``OPEN``, ``REBUILD`` or None (cancelled)."""
        box = QMessageBox(QMessageBox.Icon.Question, "Demo studio",
                          f"A demo studio already exists: {path}",
                          QMessageBox.StandardButton.NoButton, parent)
        box.setObjectName("demo_exists")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("Open it as it was left, or build a fresh one in its place "
                               "(changes made to the demo are then lost)?")
        open_ = box.addButton("&Open the demo", QMessageBox.ButtonRole.AcceptRole)
        rebuild = box.addButton("&Build a fresh demo", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(open_)
        box.setAccessibleName("Demo studio")
        box.exec()
        clicked = box.clickedButton()
        if clicked is open_:
            return cls.OPEN
        if clicked is rebuild:
            return cls.REBUILD
        return None


def _mnemonic_html(text: str) -> str:
    """``&Set up`` -> ``<u>S</u>et up``: the mnemonic letter shown underlined."""
    before, amp, after = text.partition("&")
    if not amp or not after:
        return html.escape(text)
    return f"{html.escape(before)}<u>{html.escape(after[0])}</u>{html.escape(after[1:])}"


class ChoiceButton(QPushButton):
    """A large button: a bold title with its mnemonic, and one line of explanation."""

    def __init__(self, title: str, description: str, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.title = title.replace("&", "")
        self.setAccessibleName(self.title.rstrip("…"))
        self.setShortcut(QKeySequence.mnemonic(title))
        self.setAutoDefault(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.title_label = QLabel(_mnemonic_html(title), self)
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        font = QFont(self.title_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.title_label.setFont(font)
        self.description_label = QLabel(self)
        self.description_label.setTextFormat(Qt.TextFormat.PlainText)
        self.description_label.setWordWrap(True)
        for label in (self.title_label, self.description_label):
            # Clicks and hovering belong to the button; the text takes its colours.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setForegroundRole(QPalette.ColorRole.ButtonText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.setSpacing(3)
        layout.addWidget(self.title_label)
        layout.addWidget(self.description_label)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.set_description(description)

    def description(self) -> str:
        return self.description_label.text()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter chooses, as Space does (outside a dialog a button takes only Space)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.animateClick()
            return
        super().keyPressEvent(event)

    def set_description(self, text: str) -> None:
        """Change the line of explanation (also read out by screen readers)."""
        self.description_label.setText(text)
        self.setAccessibleDescription(text)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        """As big as the title and the explanation, on one line where there is room."""
        layout = self.layout()
        return layout.sizeHint() if layout is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        """Narrow enough for a small window; the explanation wraps."""
        layout = self.layout()
        return layout.minimumSize() if layout is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        """The explanation wraps, so the height follows the width."""
        return True

    def heightForWidth(self, width: int) -> int:
        """The height the wrapped explanation needs at ``width``."""
        layout = self.layout()
        return layout.totalHeightForWidth(width) if layout is not None else -1


class WelcomePage(QWidget):
    """Shown instead of the tabs while the open workspace has no people, clients or
    projects: a greeting, what Studio Desk does, and four ways to start."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.setObjectName("welcome")
        self.setAccessibleName(f"Welcome to {APP_NAME}")
        self.building = False

        column = QWidget(self)
        column.setObjectName("welcome_column")
        column.setMaximumWidth(640)
        self.heading = QLabel(f"Welcome to {APP_NAME}", column)
        self.heading.setObjectName("welcome_heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setAccessibleName("Welcome")
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.heading.setFont(font)
        self.intro = QLabel(
            "Keep your studio's clients, projects and people in one workspace, see who "
            "carries how much work, and split the old project manager job into an "
            "Account Manager, who speaks for the client, and a Production Manager, who "
            "speaks for the team.", column)
        self.intro.setObjectName("welcome_intro")
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        self.where = QLabel(column)
        self.where.setObjectName("welcome_where")
        self.where.setTextFormat(Qt.TextFormat.PlainText)
        self.where.setWordWrap(True)
        where_font = QFont(self.where.font())
        where_font.setBold(True)
        self.where.setFont(where_font)

        self.setup_button = ChoiceButton(
            "&Set up my studio",
            "Add the people on your team first, then your clients and their projects.",
            "welcome_set_up", column)
        self.setup_button.clicked.connect(self.set_up_studio)
        self.import_button = ChoiceButton(
            "&Import from spreadsheets…",
            "From CSV or Excel files, including Float, Harvest Forecast and Runn exports.",
            "welcome_import", column)
        self.import_button.clicked.connect(self.import_spreadsheets)
        self.open_button = ChoiceButton(
            "Open a shared &workspace…",
            "The workspace file your studio keeps on a shared drive or in a synced folder.",
            "welcome_open", column)
        self.open_button.clicked.connect(self.open_shared_workspace)
        self.demo_button = ChoiceButton("Explore a &demo studio", _DEMO_TEXT, "welcome_demo",
                                   column)
        self.demo_button.clicked.connect(self.explore_demo)
        self.skip_button = QPushButton("S&kip for now: show the empty pages", column)
        self.skip_button.setObjectName("welcome_skip")
        self.skip_button.setAccessibleName("Skip for now")
        self.skip_button.setFlat(True)
        self.skip_button.setAutoDefault(False)
        self.skip_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.skip_button.clicked.connect(self.skip)

        layout = QVBoxLayout(column)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(0)
        layout.addWidget(self.heading)
        layout.addSpacing(12)
        layout.addWidget(self.intro)
        layout.addSpacing(22)
        layout.addWidget(self.where)
        layout.addSpacing(8)
        for button in self.choices():
            layout.addWidget(button)
            layout.addSpacing(10)
        layout.addSpacing(10)
        layout.addWidget(self.skip_button, 0, Qt.AlignmentFlag.AlignLeft)

        # Centred when there is room, scrolling when the window is small.
        centre = QWidget(self)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 100)
        row.addStretch(1)
        centre_layout = QVBoxLayout(centre)
        centre_layout.addStretch(1)
        centre_layout.addLayout(row)
        centre_layout.addStretch(2)
        scroll = QScrollArea(self)
        scroll.setObjectName("welcome_scroll")
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidgetResizable(True)
        scroll.setWidget(centre)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def choices(self) -> tuple[ChoiceButton, ...]:
        """The four ways to start, top to bottom."""
        return (self.setup_button, self.import_button, self.open_button, self.demo_button)

    def import_action(self) -> QAction | None:
        """The window's File › Import… action, when the window has one."""
        return self._window.findChild(QAction, IMPORT_ACTION)

    def refresh(self) -> None:
        """Say which workspace is empty; offer only what can be done now."""
        desk = self._window.desk
        if desk is not None:
            self.where.setText(f"{desk.path.name} has no people, clients or projects yet. "
                               "How would you like to start?")
        read_only = desk is not None and bool(desk.workspace.read_only)
        self.setup_button.setEnabled(not read_only)
        self.setup_button.set_description(
            "This workspace cannot be changed here; open another, or try the demo."
            if read_only else
            "Add the people on your team first, then your clients and their projects.")
        self.import_button.setVisible(self.import_action() is not None)
        self.import_button.setEnabled(not read_only)
        if not self.building:
            self.demo_button.set_description(
                _DEMO_AGAIN_TEXT if demo_path().exists() else _DEMO_TEXT)

    def showEvent(self, event: QShowEvent) -> None:
        """Brought up to date each time it is shown (the import action may be new)."""
        self.refresh()
        super().showEvent(event)

    # The choices ------------------------------------------------------------------------

    def set_up_studio(self) -> None:
        """People first: the People page, with the form for the first person open."""
        window = self._window
        window.leave_welcome()
        window.show_page("People")
        window.add_record()

    def import_spreadsheets(self) -> None:
        """File › Import…; the page goes once the imported records arrive."""
        action = self.import_action()
        if action is None:
            self.import_button.setVisible(False)
            return
        action.trigger()

    def open_shared_workspace(self) -> None:
        """File › Open…: a workspace the studio keeps on a shared drive."""
        self._window.open_workspace_dialog()

    def skip(self) -> None:
        """Show the empty pages; the welcome page does not come back for this workspace."""
        self._window.leave_welcome()

    def explore_demo(self) -> None:
        """Open the demo studio, building it first (off the GUI thread) if there is none,
        or again if the user asks for a fresh one."""
        if self.building:
            return
        path = demo_path()
        replace = False
        if path.exists():
            choice = DemoExists.ask(self, path)
            if choice is None:
                return
            if choice == DemoExists.OPEN:
                self._window.open_path(path)
                return
            replace = True
        self._build_demo(path, replace=replace)

    def _build_demo(self, path: Path, *, replace: bool) -> None:
        window = self._window
        started_on = window.desk
        self._set_building(True)

        def built(made: Path) -> None:
            self._set_building(False)
            if window.desk is started_on:
                window.open_path(made)
            else:  # the user opened another workspace meanwhile: leave it open
                show_status(window, f"The demo studio is ready: {made}")

        def failed(error: StudioDeskError) -> None:
            self._set_building(False)
            show_problem(window, str(error))

        window.runner.run(lambda: build_demo_file(path, replace=replace), built, failed)

    def _set_building(self, building: bool) -> None:
        self.building = building
        self.demo_button.setEnabled(not building)
        if building:
            self.demo_button.set_description("Building the demo studio…")
        else:
            self.refresh()
