"""Sharing a workspace, seen from the window: colleagues' changes arrive by themselves,
who else is in is shown, a save waits its turn visibly, a read-only file says so."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication

from studio_desk.core.rows import Row
from studio_desk.gui.forms import RecordDialog
from studio_desk.gui.live import WAITING_TEXT, ago, presence_texts
from studio_desk.gui.main_window import MainWindow
from studio_desk.gui.views import RecordView
from studio_desk.store import engine, presence, records
from studio_desk.store.engine import Workspace
from tests.gui.conftest import answer_dialog, cell_texts, focused, problems

ROOT = Path(__file__).resolve().parents[2]
HOST = presence.this_host()


def _row(workspace: Workspace, kind: str, name: str) -> Row:
    with workspace.read() as s:
        found = records.find_id(s, kind, name)
        assert found is not None
        return records.get_row(s, kind, found)


def _change(workspace: Workspace, kind: str, name: str, **changes: object) -> None:
    """A colleague's save, through a connection of their own."""
    row = _row(workspace, kind, name)
    with workspace.write() as s:
        records.update_record(s, kind, row.id, row.version, changes)


def _clients(window: MainWindow) -> RecordView:
    view = window.show_page("Clients")
    assert isinstance(view, RecordView)
    return view


#: The poll interval where a test waits for polls to prove that nothing happens.
FAST_POLL_MS = 20


def counted_polls(window: MainWindow) -> list[int]:
    """Poll the workspace every ``FAST_POLL_MS`` and count the polls done (a tick is
    added after each poll has run), so a test waits for polls instead of for a time."""
    polls: list[int] = []
    window.live.poll_timer.setInterval(FAST_POLL_MS)
    window.live.poll_timer.timeout.connect(lambda: polls.append(len(polls)))
    return polls


def wait_for_polls(qtbot, polls: list[int], count: int) -> None:
    """Wait until ``count`` more polls have run."""
    target = len(polls) + count
    qtbot.waitUntil(lambda: len(polls) >= target, timeout=10_000)


@pytest.fixture
def anas(small_studio: Workspace) -> Workspace:
    """Ana Ruiz's copy of the studio's workspace (another connection, her name)."""
    workspace = engine.open_workspace(small_studio.path, who="Ana Ruiz")
    yield workspace
    workspace.close()


def test_a_save_in_another_window_appears_within_two_seconds_keeping_the_selection(
        qtbot, make_window, small_studio):
    mine = make_window(small_studio.path, who="Window user")
    hers = make_window(small_studio.path, who="Ana Ruiz")
    clients = _clients(mine)
    borealis = _row(small_studio, "client", "Borealis Bank")
    assert clients.select_id(borealis.id)

    her_clients = _clients(hers)
    assert her_clients.select_id(_row(small_studio, "client", "Acme Foods").id)
    column = [c.key for c in her_clients.model.columns].index("industry")
    assert her_clients.proxy.setData(
        her_clients.table.currentIndex().siblingAtColumn(column), "Groceries")

    qtbot.waitUntil(lambda: "Groceries" in cell_texts(clients, "industry"), timeout=3000)
    assert clients.current_row().id == borealis.id  # still on the record I was on
    qtbot.waitUntil(lambda: mine.live.change_label.text()
                    == "Ana Ruiz updated 1 client · just now", timeout=3000)
    assert mine.live.change_label.isVisible()
    # My own save is not reported to me as a colleague's.
    assert "Window user" not in hers.live.change_label.text()


def test_a_save_by_another_process_appears_within_two_seconds(
        qtbot, make_window, small_studio):
    mine = make_window(small_studio.path, who="Window user")
    clients = _clients(mine)
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from studio_desk.store import records
        from studio_desk.store.engine import open_workspace
        with open_workspace({str(small_studio.path)!r}, who="Ben Ode") as ws:
            with ws.write() as s:
                records.add_record(s, "client", {{"name": "Dune Studio"}})
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)

    qtbot.waitUntil(lambda: "Dune Studio" in cell_texts(clients, "name"), timeout=3000)
    assert mine.live.change_label.text().startswith("Ben Ode updated 1 client")
    qtbot.waitUntil(lambda: "4 clients" in mine.counts_label.text(), timeout=3000)


def test_an_open_form_is_left_alone_and_the_table_follows_once_it_closes(
        qtbot, make_window, small_studio, anas):
    mine = make_window(small_studio.path)
    polls = counted_polls(mine)
    clients = _clients(mine)
    cobalt = _row(small_studio, "client", "Cobalt Museum")
    assert clients.select_id(cobalt.id)
    seen: dict[str, object] = {}

    def type_while_a_colleague_saves(form) -> None:
        assert isinstance(form, RecordDialog)
        qtbot.keyClicks(form.editors["contact_name"], "Mia")
        _change(anas, "client", "Borealis Bank", industry="Insurance")
        wait_for_polls(qtbot, polls, 2)  # the change is seen, the reload is held back
        seen["table while typing"] = cell_texts(clients, "industry")
        seen["typed"] = form.editors["contact_name"].text()
        seen["status"] = mine.live.change_label.text()
        form.reject()

    answer = answer_dialog(type_while_a_colleague_saves)
    clients.edit_button.click()
    answer.check()

    assert "Insurance" not in seen["table while typing"]
    assert seen["typed"] == "Mia"
    assert str(seen["status"]).startswith("Ana Ruiz updated 1 client")
    qtbot.waitUntil(lambda: "Insurance" in cell_texts(clients, "industry"), timeout=3000)
    assert clients.current_row().id == cobalt.id


def test_a_cell_being_edited_in_place_is_left_alone(qtbot, make_window, small_studio, anas):
    mine = make_window(small_studio.path)
    polls = counted_polls(mine)
    clients = _clients(mine)
    assert clients.select_id(_row(small_studio, "client", "Cobalt Museum").id)
    column = [c.key for c in clients.model.columns].index("industry")
    clients.table.setCurrentIndex(clients.table.currentIndex().siblingAtColumn(column))
    clients.table.setFocus()
    qtbot.keyClick(clients.table, Qt.Key.Key_F2)
    editor = focused(clients.table)
    editor.selectAll()
    qtbot.keyClicks(editor, "Muse")

    _change(anas, "client", "Borealis Bank", industry="Insurance")
    qtbot.waitUntil(lambda: mine.live.change_label.text() != "", timeout=3000)
    wait_for_polls(qtbot, polls, 2)  # polls enough to have reloaded, had it not waited
    assert clients.table.state() == QAbstractItemView.State.EditingState
    assert editor.text() == "Muse"
    assert "Insurance" not in cell_texts(clients, "industry")

    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: "Insurance" in cell_texts(clients, "industry"), timeout=3000)


def test_the_status_bar_lists_who_else_has_it_open(qtbot, make_window, small_studio):
    mine = make_window(small_studio.path, who="Window user")
    qtbot.waitUntil(lambda: mine.live.presence_label.text() == "Nobody else has it open",
                    timeout=3000)

    hers = make_window(small_studio.path, who="Ana Ruiz")
    qtbot.waitUntil(lambda: mine.live.presence_label.text()
                    == f"Also open: Ana Ruiz ({HOST})", timeout=3000)
    assert hers.live.presence_label.text() == f"Also open: Window user ({HOST})"

    hers.close()
    qtbot.waitUntil(lambda: mine.live.presence_label.text() == "Nobody else has it open",
                    timeout=3000)


def test_a_copy_that_stopped_answering_is_shown_greyed_then_cleared(
        qtbot, make_window, small_studio, anas):
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for name, machine, minutes in (("Ben Ode", "old-laptop", 5), ("Cara Li", "spare-pc", 20)):
        token = presence.join(anas, name, machine)
        with sqlite3.connect(small_studio.path) as raw:  # their copy crashed back then
            raw.execute("UPDATE presence SET last_seen = ?, host = ? WHERE id = ?",
                        ((now - dt.timedelta(minutes=minutes)).isoformat(sep=" "), machine,
                         token))

    mine = make_window(small_studio.path)
    qtbot.waitUntil(lambda: mine.live.stale_label.text()
                    == "Ben Ode (old-laptop) (not responding)", timeout=3000)
    assert not mine.live.stale_label.isEnabled()  # greyed
    assert mine.live.presence_label.text() == "Nobody else has it open"
    # Silent for more than ten minutes: cleared away when the window joined.
    assert sorted(p.name for p in presence.others(anas, presence.NOBODY)) == [
        "Ben Ode", "Window user"]


def test_a_network_drive_is_named_in_the_status_bar(qtbot, make_window, small_studio,
                                                    monkeypatch):
    from studio_desk.store import health

    monkeypatch.setattr(health, "filesystem_kind", lambda path: "cifs")
    monkeypatch.setattr(health, "is_network_drive", lambda path: True)
    mine = make_window(small_studio.path)
    assert mine.live.drive_label.text() == "Network drive (cifs)"
    assert mine.live.drive_label.isVisible()


def test_a_save_waits_visibly_while_a_colleague_holds_the_write_lock(
        qtbot, make_window, small_studio):
    mine = make_window(small_studio.path)
    clients = _clients(mine)
    assert clients.select_id(_row(small_studio, "client", "Cobalt Museum").id)
    holder = sqlite3.connect(small_studio.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a colleague's long save
    shown: list[tuple[str, bool]] = []

    def colleague_finishes() -> None:
        # Runs while my save waits: the window is still painting and handling timers.
        shown.append((mine.live.wait_label.text(), mine.live.wait_label.isVisible()))
        holder.execute("COMMIT")

    QTimer.singleShot(1200, colleague_finishes)
    column = [c.key for c in clients.model.columns].index("industry")
    assert clients.proxy.setData(clients.table.currentIndex().siblingAtColumn(column),
                                 "Museums")
    holder.close()

    assert shown and shown[0][0].startswith(WAITING_TEXT) and shown[0][1]
    assert _row(small_studio, "client", "Cobalt Museum").industry == "Museums"
    qtbot.waitUntil(lambda: not mine.live.wait_label.isVisible(), timeout=3000)


def test_a_save_that_waits_too_long_says_so_and_keeps_the_input(
        qtbot, make_window, small_studio, monkeypatch):
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 800)
    mine = make_window(small_studio.path)
    clients = _clients(mine)
    assert clients.select_id(_row(small_studio, "client", "Cobalt Museum").id)
    holder = sqlite3.connect(small_studio.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    seen: dict[str, object] = {}

    def save_while_locked(form) -> None:
        assert isinstance(form, RecordDialog)
        qtbot.keyClicks(form.editors["contact_name"], "Mia")
        form.buttons.button(form.buttons.StandardButton.Save).click()
        seen["open"] = form.isVisible()
        seen["typed"] = form.editors["contact_name"].text()
        seen["problems"] = problems(form)
        form.reject()

    try:
        answer = answer_dialog(save_while_locked)
        clients.edit_button.click()
        answer.check()
    finally:
        holder.close()

    assert seen["open"] is True and seen["typed"] == "Mia"
    (message,) = seen["problems"]
    assert message.startswith(f"{small_studio.path.name} is busy: someone else is saving")
    assert "nothing you typed is lost" in message
    assert _row(small_studio, "client", "Cobalt Museum").contact_name is None


def test_a_read_only_workspace_shows_a_banner_and_saving_explains_why(
        qtbot, make_window, small_studio, monkeypatch):
    reason = (f"{small_studio.path} is read-only (you may not change it), so changes "
              "cannot be saved; ask for write access or save a copy elsewhere.")
    monkeypatch.setattr(engine, "why_read_only", lambda path: reason)
    mine = make_window(small_studio.path)

    assert mine.banner.isVisible()
    assert mine.banner.label.text() == f"Read-only: {reason}"
    clients = _clients(mine)
    for action in (mine.actions_.add, mine.actions_.edit, mine.actions_.delete):
        assert not action.isEnabled()
        assert action.statusTip() == f"Read-only: {reason}"
    mine.show_page("People")  # another page keeps them disabled
    assert not mine.actions_.add.isEnabled()

    # A save attempted anyway (a button of the page) says why, in one sentence.
    assert clients.select_id(_row(small_studio, "client", "Cobalt Museum").id)
    column = [c.key for c in clients.model.columns].index("industry")
    assert not clients.proxy.setData(
        clients.table.currentIndex().siblingAtColumn(column), "Museums")
    assert problems(mine) == [reason]
    # Who else is in still shows, though this copy cannot announce itself.
    qtbot.waitUntil(lambda: mine.live.presence_label.text() == "Nobody else has it open",
                    timeout=3000)


def test_opening_a_writable_workspace_after_a_read_only_one_drops_the_banner(
        qtbot, make_window, small_studio, monkeypatch, tmp_path):
    monkeypatch.setattr(engine, "why_read_only", lambda path: "Mounted read-only.")
    mine = make_window(small_studio.path)
    assert mine.banner.isVisible()
    monkeypatch.undo()
    assert mine.open_path(tmp_path / "other.studiodesk", create=True)
    assert not mine.banner.isVisible()
    mine.show_page("Clients")
    assert mine.actions_.add.isEnabled()
    assert not mine.actions_.add.statusTip().startswith("Read-only")


def test_words_for_time_and_colleagues():
    assert [ago(s) for s in (0, 4.9, 10, 59, 60, 3599, 7200)] == [
        "just now", "just now", "10 s ago", "59 s ago", "1 min ago", "59 min ago",
        "2 h ago"]
    now = dt.datetime(2026, 5, 9, 9, 30, tzinfo=dt.UTC)
    people = [presence.Presence(name, machine, now, now, stale) for name, machine, stale in (
        ("Ana Ruiz", "studio-mac", False), ("Ben Ode", "", False), ("Cara Li", "pc", False),
        ("Dev Rao", "pc2", False), ("Eli Moss", "old", True))]
    there, stale, tooltip = presence_texts(people)
    assert there == "Also open: Ana Ruiz (studio-mac), Ben Ode, Cara Li (pc), 1 other"
    assert stale == "Eli Moss (old) (not responding)"
    assert len(tooltip.splitlines()) == 5
    assert presence_texts([])[0] == "Nobody else has it open"


def test_closing_the_window_leaves_the_workspace(qtbot, make_window, small_studio):
    mine = make_window(small_studio.path)
    qtbot.waitUntil(lambda: mine.live.token != presence.NOBODY, timeout=3000)
    assert [p.name for p in presence.others(small_studio, presence.NOBODY)] == [
        "Window user"]
    mine.close()
    assert presence.others(small_studio, presence.NOBODY) == []
    assert QApplication.activeModalWidget() is None
