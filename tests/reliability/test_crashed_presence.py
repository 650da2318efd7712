"""Presence rows left behind (scenario 16): a copy killed without saying goodbye, and a
copy frozen (a laptop lid closed) are shown as stale, never as live colleagues, and are
cleared; a frozen copy that wakes up is back."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from studio_desk.store import presence
from studio_desk.store.engine import Workspace, open_workspace
from tests.reliability import workers
from tests.reliability.conftest import Processes


@pytest.fixture
def mine(workspace_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(workspace_path, create=True, who="Ana Ruiz")
    yield workspace
    workspace.close()


def colleague(processes: Processes, workspace: Workspace, name: str
              ) -> tuple[Connection, int, int]:
    """``name`` opens the workspace in another process: (their line, token, pid)."""
    talk, their_end = processes.context.Pipe()
    process = processes.start(workers.stay_present, workspace.path, name, their_end)
    assert talk.poll(15)
    token = talk.recv()
    assert process.pid is not None
    return talk, token, process.pid


def who_is_there(workspace: Workspace, token: int) -> list[tuple[str, bool]]:
    return [(p.name, p.stale) for p in presence.others(workspace, token)]


def test_a_killed_copy_shows_as_stale_at_once_and_is_cleared(
        mine: Workspace, processes: Processes) -> None:
    me = presence.join(mine, "Ana Ruiz", "Ana's laptop")
    _talk, _token, pid = colleague(processes, mine, "Ben Ode")
    assert who_is_there(mine, me) == [("Ben Ode", False)]
    [ben] = presence.others(mine, me)
    assert (ben.machine, ben.since.tzinfo is not None) == ("Ben Ode's laptop", True)

    os.kill(pid, signal.SIGKILL)  # no leave(), no last heartbeat
    deadline = time.monotonic() + 5
    while who_is_there(mine, me) != [("Ben Ode", True)]:
        # On this machine, a copy whose process is gone is stale without waiting.
        assert time.monotonic() < deadline, "the dead copy still looks alive"
        time.sleep(0.02)

    assert presence.clear_stale(mine) == 1
    assert who_is_there(mine, me) == []


def test_a_frozen_copy_goes_stale_without_heartbeats_and_comes_back_when_it_wakes(
        mine: Workspace, processes: Processes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(presence, "HEARTBEAT_SECONDS", 0.2)
    me = presence.join(mine, "Ana Ruiz", "Ana's laptop")
    talk, token, pid = colleague(processes, mine, "Cara Li")
    talk.send("beat")
    assert talk.recv() == "beaten"
    assert who_is_there(mine, me) == [("Cara Li", False)]

    os.kill(pid, signal.SIGSTOP)  # alive, but not answering: the lid is closed
    try:
        time.sleep(presence.STALE_AFTER_HEARTBEATS * presence.HEARTBEAT_SECONDS + 0.2)
        assert who_is_there(mine, me) == [("Cara Li", True)]
        assert presence.clear_stale(mine, older_than_seconds=0.5) == 1
        assert who_is_there(mine, me) == []
    finally:
        os.kill(pid, signal.SIGCONT)

    talk.send("beat")  # the lid opens: the next heartbeat puts the row back
    assert talk.poll(10) and talk.recv() == "beaten"
    [back] = presence.others(mine, me)
    assert (back.name, back.stale) == ("Cara Li", False)
    talk.send("leave")
    assert talk.recv() == "left"
    assert who_is_there(mine, me) == []
    assert token != me
