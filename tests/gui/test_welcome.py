"""The welcome page: shown while the open workspace has no people, clients or projects,
and each of its four choices leads where it says."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from studio_desk import APP_NAME
from studio_desk.gui import welcome
from studio_desk.gui.forms import RecordDialog, WorkspaceFileDialog
from studio_desk.gui.main_window import MainWindow
from studio_desk.gui.tasks import TaskRunner
from studio_desk.gui.welcome import DemoExists, WelcomePage, demo_path
from studio_desk.store import engine, records
from studio_desk.store.engine import Workspace, create_workspace, open_workspace
from tests.gui.conftest import answer_dialog, focused, problems

ALT = Qt.KeyboardModifier.AltModifier


def _counts(path: Path) -> dict[str, int]:
    with open_workspace(path, who="Checker") as workspace, workspace.read() as session:
        return records.count_rows(session)


def _names(path: Path, kind: str) -> list[str]:
    with open_workspace(path, who="Checker") as workspace, workspace.read() as session:
        return records.names(session, kind)


def _import_stand_in(window: MainWindow) -> QAction:
    """A stand-in File › Import… action, the only one the page can find."""
    for real in window.findChildren(QAction, welcome.IMPORT_ACTION):
        real.setObjectName(f"{welcome.IMPORT_ACTION}_real")
    action = QAction("Import…", window)
    action.setObjectName(welcome.IMPORT_ACTION)
    window.addAction(action)
    return action


def _shows_welcome(window: MainWindow) -> bool:
    return window.stack.currentWidget() is window.welcome and window.welcome.isVisible()


def _shows_tabs(window: MainWindow) -> bool:
    return window.stack.currentWidget() is window.tabs and window.tabs.isVisible()


@pytest.fixture
def empty_window(make_window, workspace: Workspace) -> MainWindow:  # type: ignore[no-untyped-def]
    """The window on an empty workspace, with a File › Import… action to find."""
    window = make_window()
    _import_stand_in(window)
    assert window.open_path(workspace.path)
    return window


@pytest.fixture
def demo_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder, where the demo studio goes."""
    folder = tmp_path / "data"
    monkeypatch.setenv("STUDIO_DESK_DATA_DIR", str(folder))
    return folder


# --------------------------------------------------------------------------- when


def test_an_empty_workspace_shows_the_welcome_page(empty_window, workspace):
    page = empty_window.welcome
    assert isinstance(page, WelcomePage)
    assert _shows_welcome(empty_window)
    assert not empty_window.tabs.isVisible()
    assert page.heading.text() == f"Welcome to {APP_NAME}"
    assert "Account Manager" in page.intro.text()
    assert "Production Manager" in page.intro.text()
    assert page.where.text().startswith(f"{workspace.path.name} has no people")
    assert [b.title for b in page.choices()] == [
        "Set up my studio", "Import from spreadsheets…", "Open a shared workspace…",
        "Explore a demo studio"]
    for button in page.choices():
        assert button.isVisible() and button.isEnabled()
        assert button.description()  # one line of explanation each
        assert button.accessibleName() and button.accessibleDescription()
        assert button.height() >= 2 * button.fontMetrics().height()
    assert focused(empty_window) is page.setup_button
    assert empty_window.windowTitle() == f"{workspace.path.name} — {APP_NAME}"


def test_a_workspace_with_records_shows_the_tabs(studio_window):
    assert _shows_tabs(studio_window)
    assert not studio_window.welcome.isVisible()


def test_one_person_is_enough_for_the_tabs(make_window, workspace):
    with workspace.write() as s:
        records.add_record(s, "person", {"name": "Ana Ruiz"})
    window = make_window(workspace.path)
    assert _shows_tabs(window)


def test_the_welcome_page_waits_for_the_count_read_off_the_gui_thread(
        qtbot, make_window, workspace):
    window = make_window(workspace.path, runner=TaskRunner())
    qtbot.waitUntil(lambda: _shows_welcome(window), timeout=5000)


def test_records_a_colleague_adds_replace_the_welcome_page(qtbot, empty_window, workspace):
    with workspace.write() as s:  # a colleague, with the same file open
        records.add_record(s, "client", {"name": "Acme Foods"})
    qtbot.waitUntil(lambda: _shows_tabs(empty_window), timeout=5000)
    assert "1 client" in empty_window.counts_label.text()


def test_opening_another_empty_workspace_welcomes_again(qtbot, empty_window, tmp_path):
    qtbot.mouseClick(empty_window.welcome.skip_button, Qt.MouseButton.LeftButton)
    assert _shows_tabs(empty_window)
    assert empty_window.open_path(tmp_path / "second.studiodesk", create=True)
    assert _shows_welcome(empty_window)


# --------------------------------------------------------------------------- set up


def test_set_up_my_studio_opens_the_add_person_form_on_the_people_page(
        qtbot, empty_window, workspace):
    seen: dict[str, object] = {}

    def add_the_first_person(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, RecordDialog)
        seen["title"] = dialog.windowTitle()
        seen["page"] = empty_window.current_page().title  # type: ignore[attr-defined]
        seen["tabs"] = _shows_tabs(empty_window)
        qtbot.keyClicks(focused(dialog), "Ana Ruiz")  # the Name field has the focus
        qtbot.keyClick(focused(dialog), Qt.Key.Key_Return)

    answer = answer_dialog(add_the_first_person)
    qtbot.mouseClick(empty_window.welcome.setup_button, Qt.MouseButton.LeftButton)
    answer.check()

    assert seen == {"title": "Add person", "page": "People", "tabs": True}
    assert _names(workspace.path, "person") == ["Ana Ruiz"]
    qtbot.waitUntil(lambda: "1 person" in empty_window.counts_label.text())
    assert _shows_tabs(empty_window)
    assert empty_window.current_page() is empty_window.page("People")

    # Undoing the first person empties the workspace again; the page does not come back.
    empty_window.undo_stack.undo()
    assert _names(workspace.path, "person") == []
    qtbot.waitUntil(lambda: "0 people" in empty_window.counts_label.text())
    assert _shows_tabs(empty_window)


def test_cancelling_the_first_form_leaves_the_empty_people_page(qtbot, empty_window,
                                                                workspace):
    answer = answer_dialog(lambda dialog: dialog.reject())
    qtbot.mouseClick(empty_window.welcome.setup_button, Qt.MouseButton.LeftButton)
    answer.check()
    assert _shows_tabs(empty_window)
    assert empty_window.current_page() is empty_window.page("People")
    empty_window.refresh_counts()
    assert _shows_tabs(empty_window)  # the user chose a way in: no welcome again
    assert _counts(workspace.path)["person"] == 0


def test_a_read_only_empty_workspace_offers_only_what_can_be_done(make_window, workspace,
                                                                  monkeypatch):
    monkeypatch.setattr(engine, "why_read_only", lambda path: "Mounted read-only.")
    window = make_window()
    _import_stand_in(window)
    assert window.open_path(workspace.path)
    page = window.welcome
    assert _shows_welcome(window)
    assert not page.setup_button.isEnabled()
    assert "cannot be changed" in page.setup_button.description()
    assert not page.import_button.isEnabled()
    assert page.open_button.isEnabled() and page.demo_button.isEnabled()


# --------------------------------------------------------------------------- import, open


def test_the_import_button_triggers_file_import(qtbot, empty_window):
    action = empty_window.findChild(QAction, welcome.IMPORT_ACTION)
    with qtbot.waitSignal(action.triggered, timeout=1000):
        qtbot.mouseClick(empty_window.welcome.import_button, Qt.MouseButton.LeftButton)
    # An import that was cancelled leaves the page where it was.
    assert _shows_welcome(empty_window)


def test_without_an_import_action_the_import_button_is_hidden(make_window, workspace):
    window = make_window()
    for real in window.findChildren(QAction, welcome.IMPORT_ACTION):
        real.setObjectName("not_import")
    assert window.open_path(workspace.path)
    assert _shows_welcome(window)
    assert not window.welcome.import_button.isVisible()
    assert window.welcome.open_button.isVisible()


def test_the_open_button_opens_a_shared_workspace(qtbot, empty_window, tmp_path,
                                                  monkeypatch):
    shared = create_workspace(tmp_path / "shared" / "Agency.studiodesk")
    with open_workspace(shared, who="Ana Ruiz") as colleague, colleague.write() as s:
        records.add_record(s, "client", {"name": "Acme Foods"})
    asked: list[Path] = []

    def ask_open(cls, parent, folder):  # type: ignore[no-untyped-def]
        asked.append(folder)
        return shared

    monkeypatch.setattr(WorkspaceFileDialog, "ask_open", classmethod(ask_open))
    qtbot.mouseClick(empty_window.welcome.open_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert empty_window.desk.path == shared
    assert _shows_tabs(empty_window)


# --------------------------------------------------------------------------- demo


def test_the_demo_is_built_off_the_gui_thread_in_a_file_of_its_own(
        qtbot, make_window, workspace, demo_folder, monkeypatch):
    threads: list[threading.Thread] = []
    build = welcome.build_demo_file

    def recording_build(path: Path, *, replace: bool = False) -> Path:
        threads.append(threading.current_thread())
        return build(path, replace=replace)

    monkeypatch.setattr(welcome, "build_demo_file", recording_build)
    window = make_window(workspace.path, runner=TaskRunner())
    qtbot.waitUntil(lambda: _shows_welcome(window), timeout=5000)
    page = window.welcome
    qtbot.mouseClick(page.demo_button, Qt.MouseButton.LeftButton)
    demo = demo_folder / "Demo studio.studiodesk"
    assert demo_path() == demo
    qtbot.waitUntil(lambda: window.desk is not None and window.desk.path == demo,
                    timeout=20_000)

    assert threads and threads[0] is not threading.main_thread()
    counts = _counts(demo)
    assert counts["person"] > 0 and counts["client"] > 0 and counts["project"] > 0
    qtbot.waitUntil(lambda: _shows_tabs(window), timeout=5000)
    # It is plain which file is open, and that it is the demo.
    assert window.windowTitle() == f"Demo studio.studiodesk (invented data) — {APP_NAME}"
    assert window.path_label.text() == (
        f"Demo studio, invented data, apart from your workspace: {demo}")
    # The user's own workspace got nothing of it.
    assert workspace.path != demo and workspace.path.is_file()
    assert set(_counts(workspace.path).values()) == {0}
    assert window.settings.recent_files[:2] == [demo, workspace.path]
    assert page.demo_button.isEnabled()


def test_the_demo_button_shows_it_is_building(qtbot, make_window, workspace, demo_folder):
    window = make_window(workspace.path, runner=TaskRunner())
    qtbot.waitUntil(lambda: _shows_welcome(window), timeout=5000)
    button = window.welcome.demo_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not button.isEnabled()
    assert button.description() == "Building the demo studio…"
    qtbot.waitUntil(lambda: window.desk.path == demo_path(), timeout=20_000)


def test_an_existing_demo_is_opened_as_it_was_left(qtbot, empty_window, demo_folder,
                                                   monkeypatch):
    demo = welcome.build_demo_file(demo_path())
    with open_workspace(demo, who="Tester") as ws, ws.write() as s:
        records.add_record(s, "person", {"name": "Marker Person"})
    asked: list[Path] = []

    def ask(cls, parent, path):  # type: ignore[no-untyped-def]
        asked.append(path)
        return DemoExists.OPEN

    monkeypatch.setattr(DemoExists, "ask", classmethod(ask))
    empty_window.welcome.refresh()
    assert "made before" in empty_window.welcome.demo_button.description()
    qtbot.mouseClick(empty_window.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert asked == [demo]
    assert empty_window.desk.path == demo
    assert "Marker Person" in _names(demo, "person")


def test_an_existing_demo_can_be_built_afresh(qtbot, empty_window, demo_folder,
                                              monkeypatch):
    demo = welcome.build_demo_file(demo_path())
    with open_workspace(demo, who="Tester") as ws, ws.write() as s:
        records.add_record(s, "person", {"name": "Marker Person"})
    monkeypatch.setattr(DemoExists, "ask",
                        classmethod(lambda cls, parent, path: DemoExists.REBUILD))
    qtbot.mouseClick(empty_window.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert empty_window.desk.path == demo
    assert "Marker Person" not in _names(demo, "person")
    assert sorted(p.name for p in demo_folder.glob("Demo studio*")) == [demo.name]


def test_cancelling_the_demo_question_changes_nothing(qtbot, empty_window, workspace,
                                                      demo_folder, monkeypatch):
    demo = welcome.build_demo_file(demo_path())
    monkeypatch.setattr(DemoExists, "ask", classmethod(lambda cls, parent, path: None))
    qtbot.mouseClick(empty_window.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert empty_window.desk.path == workspace.path
    assert _shows_welcome(empty_window)
    assert demo.is_file()


def test_a_demo_that_cannot_be_made_says_why(qtbot, empty_window, workspace, tmp_path,
                                             monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be\n")
    monkeypatch.setenv("STUDIO_DESK_DATA_DIR", str(blocker))
    qtbot.mouseClick(empty_window.welcome.demo_button, Qt.MouseButton.LeftButton)
    (message,) = problems(empty_window)
    assert message.startswith("The demo studio could not be made in")
    assert empty_window.desk.path == workspace.path
    assert empty_window.welcome.demo_button.isEnabled()


# --------------------------------------------------------------------------- keyboard


def test_tab_reaches_every_choice_in_order(qtbot, empty_window):
    page = empty_window.welcome
    expected = [page.import_button, page.open_button, page.demo_button, page.skip_button,
                page.setup_button]
    reached = []
    assert focused(empty_window) is page.setup_button
    for _ in expected:
        qtbot.keyClick(focused(empty_window), Qt.Key.Key_Tab)
        reached.append(focused(empty_window))
    assert reached == expected


def test_every_choice_has_its_own_mnemonic(empty_window):
    page = empty_window.welcome
    keys = [b.shortcut() for b in (*page.choices(), page.skip_button)]
    assert keys == [QKeySequence("Alt+S"), QKeySequence("Alt+I"), QKeySequence("Alt+W"),
                    QKeySequence("Alt+D"), QKeySequence("Alt+K")]
    # None is taken by the menus.
    menus = {a.text().partition("&")[2][:1].lower()
             for a in empty_window.menuBar().actions() if "&" in a.text()}
    assert not menus & {"s", "i", "w", "d", "k"}


def test_alt_w_opens_and_alt_k_skips(qtbot, empty_window, monkeypatch):
    asked: list[Path] = []
    monkeypatch.setattr(WorkspaceFileDialog, "ask_open",
                        classmethod(lambda cls, parent, folder: asked.append(folder)))
    qtbot.keyClick(focused(empty_window), Qt.Key.Key_W, ALT)
    qtbot.waitUntil(lambda: len(asked) == 1)  # a mnemonic clicks the button, animated
    assert _shows_welcome(empty_window)  # no file chosen: still welcome
    qtbot.keyClick(focused(empty_window), Qt.Key.Key_K, ALT)
    qtbot.waitUntil(lambda: _shows_tabs(empty_window))


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Space])
def test_enter_or_space_on_the_focused_choice_sets_up_the_studio(qtbot, empty_window, key):
    answer = answer_dialog(lambda dialog: dialog.reject())
    qtbot.keyClick(focused(empty_window), key)
    qtbot.waitUntil(lambda: answer.answered)
    answer.check()
    assert empty_window.current_page() is empty_window.page("People")
