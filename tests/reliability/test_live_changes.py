"""Another copy of Studio Desk saves; this one notices within about two seconds and can
say what changed and by whom (scenario 13)."""

from __future__ import annotations

import time
from pathlib import Path

from studio_desk.store import changes, records
from studio_desk.store.engine import open_workspace
from tests.reliability import workers
from tests.reliability.conftest import Processes

POLL_EVERY = 0.1


def test_a_colleagues_save_is_noticed_within_two_seconds_and_described(
        workspace_path: Path, processes: Processes) -> None:
    with open_workspace(workspace_path, create=True, who="Ana Ruiz") as mine, \
            changes.ChangeWatcher(mine) as watcher:
        with mine.write() as s:
            records.add_record(s, "client", {"name": "Acme Foods"})
        assert watcher.poll()  # our own save came through another connection too
        seen = changes.latest_audit_id(mine)
        assert not watcher.poll()

        talk, their_end = processes.context.Pipe()
        processes.start(workers.add_clients_as, workspace_path, "Ben Ode",
                        ["Borealis Bank", "Cobalt Museum"], their_end)
        assert talk.poll(15) and talk.recv() == "saved"
        saved = time.monotonic()
        while not watcher.poll():  # their copy is still open: nothing closed, only saved
            assert time.monotonic() - saved < 2.0, "the colleague's save went unnoticed"
            time.sleep(POLL_EVERY)
        talk.send("bye")

        summary = changes.changes_since(mine, seen, exclude_who="Ana Ruiz")
        assert summary.by_who == {"Ben Ode": {"client": 2}}
        assert summary.kinds == frozenset({"client"})
        assert changes.describe(summary) == "Ben Ode updated 2 clients"
        assert summary.last_id == changes.latest_audit_id(mine) > seen
        # And what the window then reads is the colleague's work.
        with mine.read() as s:
            assert records.names(s, "client") == ["Acme Foods", "Borealis Bank",
                                                  "Cobalt Museum"]
        assert not watcher.poll()
        assert not changes.changes_since(mine, summary.last_id)
