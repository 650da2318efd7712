"""What the other processes of the reliability tests do: real copies of the store code
working on the same workspace file, started by ``multiprocessing`` (forkserver, with the
store already imported, so starting one takes milliseconds).

Each function runs in a child process. It gets the test's environment (``env``) because
the fork server was started by an earlier test, with that test's data folder. Results go
back through a ``multiprocessing`` pipe, one small message at a time, each sent only
after the step it reports is committed: what the parent has received is a floor on what
the file must hold, whenever the child is killed.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Mapping
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path

from studio_desk.core.errors import StudioDeskError
from studio_desk.store import backup, presence, records
from studio_desk.store.engine import open_workspace

#: Projects added with each step of :func:`write_steps`.
PROJECTS_PER_STEP = 4
#: The person whose title :func:`write_steps` sets to the step's number.
COUNTER = "Step Counter"


def _take_env(env: Mapping[str, str]) -> None:
    os.environ.update(env)
    # A killed parent must not leave children writing on their own.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def commit_clients(path: Path, writer: int, commits: int, start: Event, out: Connection,
                   env: Mapping[str, str]) -> None:
    """Wait for ``start``, then add ``commits`` clients, one write transaction each.
    Sends (writer, errors, longest wait told to on_wait, each commit's seconds)."""
    _take_env(env)
    workspace = open_workspace(path, who=f"Writer {writer}")
    longest = [0.0]

    def waited(seconds: float) -> None:
        longest[0] = max(longest[0], seconds)

    workspace.on_wait = waited
    errors: list[str] = []
    seconds: list[float] = []
    start.wait()
    for number in range(commits):
        began = time.perf_counter()
        try:
            with workspace.write() as s:
                records.add_record(s, "client", {"name": f"Writer {writer} client {number}"})
        except StudioDeskError as exc:
            errors.append(str(exc))
        seconds.append(time.perf_counter() - began)
    workspace.close()
    out.send((writer, errors, longest[0], seconds))
    out.close()


def write_steps(path: Path, out: Connection, env: Mapping[str, str]) -> None:
    """Commit numbered steps until killed; each step is one transaction that adds client
    "Step N", its projects, and sets the counter person's title to N. Sends
    ("committing", N) when only the commit of step N is left, ("committed", N) once it
    is done."""
    _take_env(env)
    workspace = open_workspace(path, who="Step writer")
    with workspace.read() as s:
        step = sum(1 for name in records.names(s, "client") if name.startswith("Step "))
        counter_id = records.find_id(s, "person", COUNTER)
    assert counter_id is not None
    out.send(("ready", step))
    while True:
        step += 1
        with workspace.write() as s:
            records.add_record(s, "client", {"name": f"Step {step}",
                                             "notes": f"Written by step {step}. " * 20})
            for number in range(PROJECTS_PER_STEP):
                records.add_record(s, "project", {"client": f"Step {step}",
                                                  "name": f"Step {step} project {number}"})
            counter = records.get_row(s, "person", counter_id)
            records.update_record(s, "person", counter_id, counter.version,
                                  {"title": str(step)})
            s.flush()
            out.send(("committing", step))  # what is left is the commit itself
        out.send(("committed", step))


def back_up_again_and_again(path: Path, out: Connection, env: Mapping[str, str]) -> None:
    """Back the workspace up in a loop until killed; sends each finished backup's path
    and "starting" before each one."""
    _take_env(env)
    workspace = open_workspace(path, who="Backup maker")
    while True:
        out.send(("starting", None))
        made = backup.backup_now(workspace, reason="test")
        out.send(("made", str(made)))


def stay_present(path: Path, name: str, commands: Connection,
                 env: Mapping[str, str]) -> None:
    """Join the workspace as ``name`` and send the token; then heartbeat whenever told
    ("beat"), answering "beaten", until killed or told "leave"."""
    _take_env(env)
    workspace = open_workspace(path, who=name)
    token = presence.join(workspace, name, f"{name}'s laptop")
    commands.send(token)
    while True:
        command = commands.recv()
        if command == "beat":
            presence.heartbeat(workspace, token)
            commands.send("beaten")
        elif command == "leave":
            presence.leave(workspace, token)
            commands.send("left")
            return


def add_clients_as(path: Path, who: str, names: list[str], talk: Connection,
                   env: Mapping[str, str]) -> None:
    """One save by a colleague who keeps the workspace open: ``who`` adds clients called
    ``names`` in one transaction, says "saved", and closes when told "bye"."""
    _take_env(env)
    with open_workspace(path, who=who) as workspace:
        with workspace.write() as s:
            for name in names:
                records.add_record(s, "client", {"name": name})
        talk.send("saved")
        assert talk.recv() == "bye"


def spill_big_save_and_wait(path: Path, clients: int, out: Connection,
                            env: Mapping[str, str]) -> None:
    """Start one big save (``clients`` clients with long notes) with a tiny page cache,
    so SQLite has to write changed pages into the file itself before the commit; send
    "spilled" then and wait, mid-transaction, to be killed."""
    _take_env(env)
    workspace = open_workspace(path, who="Big saver")
    with workspace.write() as s:
        connection = s.connection()
        connection.exec_driver_sql("PRAGMA cache_size=8")  # pages, not KiB
        # Rewriting the header's user_version (with its own value) puts the first page in
        # the journal, as a commit does when it updates the header.
        version = connection.exec_driver_sql("PRAGMA user_version").scalar()
        connection.exec_driver_sql(f"PRAGMA user_version = {version}")
        for number in range(clients):
            records.add_record(s, "client", {"name": f"Big save {number}",
                                             "notes": f"{number} " * 800})
        s.flush()
        out.send("spilled")
        time.sleep(60)  # killed long before
