"""Who else has the workspace open: joining, heartbeats, leaving, stale rows."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from sqlalchemy import insert, update

from studio_desk.store import changes, presence
from studio_desk.store.engine import Workspace, open_workspace
from studio_desk.store.models import PresenceEntry


def a_finished_pid() -> int:
    """The id of a process that has run and ended on this machine."""
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    return int(finished.stdout)


def someone_elsewhere(workspace: Workspace, name: str, *, silent_for: float,
                      host: str = "studio-imac", pid: int = 4242) -> int:
    """A row as a copy on another machine writes it, last heard ``silent_for`` s ago."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with workspace.write() as s:
        return int(s.execute(insert(PresenceEntry).values(
            name=name, machine=f"{name}'s iMac", host=host, pid=pid,
            since=now - dt.timedelta(hours=1),
            last_seen=now - dt.timedelta(seconds=silent_for)
        ).returning(PresenceEntry.id)).scalar_one())


def listed(workspace: Workspace, token: int) -> list[tuple[str, bool]]:
    return [(p.name, p.stale) for p in presence.others(workspace, token)]


def test_each_copy_sees_the_others_but_not_itself(workspace: Workspace) -> None:
    other_copy = open_workspace(workspace.path, who="Ben Ode")
    try:
        ana = presence.join(workspace, "Ana Ruiz", "Ana's laptop")
        ben = presence.join(other_copy, "Ben Ode", "Studio PC 2")
        assert ana != ben and presence.NOBODY not in (ana, ben)
        [seen_by_ana] = presence.others(workspace, ana)
        assert (seen_by_ana.name, seen_by_ana.machine, seen_by_ana.stale) == (
            "Ben Ode", "Studio PC 2", False)
        assert seen_by_ana.since.tzinfo is dt.UTC
        assert abs(dt.datetime.now(dt.UTC) - seen_by_ana.last_seen) < dt.timedelta(seconds=5)
        assert listed(other_copy, ben) == [("Ana Ruiz", False)]

        presence.leave(other_copy, ben)
        assert listed(workspace, ana) == []
    finally:
        other_copy.close()


def test_a_heartbeat_moves_last_seen_on(workspace: Workspace) -> None:
    me = presence.join(workspace, "Ana Ruiz", "laptop")
    [before] = presence.others(workspace, presence.NOBODY)
    presence.heartbeat(workspace, me)
    [after] = presence.others(workspace, presence.NOBODY)
    assert after.last_seen > before.last_seen
    assert after.since == before.since


def test_a_copy_on_another_machine_goes_stale_after_three_missed_heartbeats(
        workspace: Workspace) -> None:
    me = presence.join(workspace, "Ana Ruiz", "laptop")
    limit = presence.STALE_AFTER_HEARTBEATS * presence.HEARTBEAT_SECONDS
    assert (presence.HEARTBEAT_SECONDS, limit) == (10, 30)
    someone_elsewhere(workspace, "Ben Ode", silent_for=limit - 5)
    someone_elsewhere(workspace, "Cara Li", silent_for=limit + 5)
    # Live colleagues first; the process id of another machine says nothing here.
    assert listed(workspace, me) == [("Ben Ode", False), ("Cara Li", True)]


def test_a_copy_on_this_machine_whose_process_ended_is_stale_at_once(
        workspace: Workspace) -> None:
    me = presence.join(workspace, "Ana Ruiz", "laptop")
    someone_elsewhere(workspace, "Ana Ruiz", silent_for=1, host=presence.this_host(),
                      pid=a_finished_pid())
    assert listed(workspace, me) == [("Ana Ruiz", True)]


def test_joining_clears_what_crashed_copies_on_this_machine_left(
        workspace: Workspace) -> None:
    someone_elsewhere(workspace, "Ana Ruiz", silent_for=1, host=presence.this_host(),
                      pid=a_finished_pid())
    far_away = someone_elsewhere(workspace, "Ben Ode", silent_for=1)
    me = presence.join(workspace, "Ana Ruiz", "laptop")
    assert listed(workspace, me) == [("Ben Ode", False)]
    assert far_away != me


def test_clearing_stale_rows_keeps_live_ones_and_this_process(
        workspace: Workspace) -> None:
    me = presence.join(workspace, "Ana Ruiz", "laptop")
    with workspace.write() as s:  # this copy's own row, long silent (a debugger pause)
        s.execute(update(PresenceEntry).where(PresenceEntry.id == me).values(
            last_seen=dt.datetime(2020, 1, 1)))
    someone_elsewhere(workspace, "Ben Ode", silent_for=20)
    someone_elsewhere(workspace, "Cara Li", silent_for=700)
    someone_elsewhere(workspace, "Dev Patel", silent_for=100)

    assert presence.clear_stale(workspace) == 1  # older than 600 s: Cara
    assert [p.name for p in presence.others(workspace, me)] == ["Ben Ode", "Dev Patel"]
    assert presence.clear_stale(workspace, older_than_seconds=60) == 1
    assert listed(workspace, me) == [("Ben Ode", False)]
    assert [p.name for p in presence.others(workspace, presence.NOBODY)] == [
        "Ana Ruiz", "Ben Ode"]


def test_a_heartbeat_after_being_cleared_puts_the_same_row_back(
        workspace: Workspace) -> None:
    other_copy = open_workspace(workspace.path, who="Ben Ode")
    try:
        me = presence.join(workspace, "Ana Ruiz", "laptop")
        [joined] = presence.others(other_copy, presence.NOBODY)
        with other_copy.write() as s:  # a colleague cleared it while the laptop slept
            s.execute(PresenceEntry.__table__.delete())
        later = presence.join(other_copy, "Ben Ode", "PC")
        assert later > me  # ids are never reused

        presence.heartbeat(workspace, me)
        [back] = presence.others(other_copy, later)
        assert (back.name, back.machine, back.since, back.stale) == (
            "Ana Ruiz", "laptop", joined.since, False)
        assert listed(workspace, me) == [("Ben Ode", False)]
    finally:
        other_copy.close()


def test_presence_is_not_a_change_of_records(workspace: Workspace) -> None:
    """Heartbeats commit, but the audit log (what "changes" reports) stays quiet."""
    start = changes.latest_audit_id(workspace)
    me = presence.join(workspace, "Ana Ruiz", "laptop")
    presence.heartbeat(workspace, me)
    presence.clear_stale(workspace)
    presence.leave(workspace, me)
    assert changes.latest_audit_id(workspace) == start
    assert not changes.changes_since(workspace, start)


def test_what_is_read_before_restoring_leaves_out_this_process(
        workspace: Workspace) -> None:
    presence.join(workspace, "Ana Ruiz", "laptop")
    someone_elsewhere(workspace, "Ben Ode", silent_for=1)
    someone_elsewhere(workspace, "Cara Li", silent_for=120)
    found = presence.present_in(workspace.path)
    assert [(p.name, p.stale) for p in found] == [("Ben Ode", False), ("Cara Li", True)]
    assert found[0].since.tzinfo is dt.UTC


@pytest.mark.skipif(os.name != "posix", reason="process ids are checked on POSIX only")
def test_a_running_process_counts_as_running() -> None:
    assert presence.process_is_running(os.getpid())
    assert not presence.process_is_running(a_finished_pid())
