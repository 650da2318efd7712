"""A colleague — here the ``sqlite3`` shell in another process — holds the write lock
(scenario 11), and every write still begins ``BEGIN IMMEDIATE`` (scenario 12).

While the lock is held, a save waits and says so (``Workspace.on_wait``) within about a
second, and goes through once the lock is released. Held past ``BUSY_TIMEOUT_MS``, the
save gives up with one sentence naming the file, nothing half-saved, and works when tried
again with the same input. Scenario 12's statement log for ordinary saves is in
tests/store/test_engine.py; here the log of a save that had to wait.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from studio_desk.core.errors import WorkspaceBusyError
from studio_desk.store import engine as engine_module
from studio_desk.store import records
from studio_desk.store.engine import Workspace, open_workspace

pytestmark = pytest.mark.skipif(shutil.which("sqlite3") is None,
                                reason="needs the sqlite3 command-line shell")


class LockHolder:
    """The ``sqlite3`` shell in its own process, holding the workspace's write lock with
    an unfinished change in it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.shell = subprocess.Popen(["sqlite3", str(path)], stdin=subprocess.PIPE,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                      text=True)

    def hold(self) -> None:
        assert self.shell.stdin is not None
        self.shell.stdin.write("BEGIN IMMEDIATE;\n"
                               "UPDATE client SET notes = 'half-done by the shell';\n")
        self.shell.stdin.flush()
        deadline = time.monotonic() + 10
        while not self.holds_lock():  # the shell runs when it gets to it
            assert time.monotonic() < deadline, "the shell never took the lock"
            time.sleep(0.01)

    def holds_lock(self) -> bool:
        probe = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
            return True
        finally:
            probe.close()

    def release(self, ending: str = "ROLLBACK") -> None:
        assert self.shell.stdin is not None
        if self.shell.poll() is None:
            self.shell.stdin.write(f"{ending};\n.quit\n")
            self.shell.stdin.flush()
            self.shell.stdin.close()
        self.shell.wait(10)
        assert self.shell.stderr is not None
        assert self.shell.stderr.read() == ""


class SteppingClock:
    """The engine's clock in these tests: each pause between two tries for the lock moves
    it on by ``STEP`` seconds (and still pauses for real). What the engine reports and when
    it gives up then depend on its tries alone, not on how busy the machine running the
    tests is; how long a real wait takes is the benchmarks' business."""

    STEP = 0.05

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
        self.now += self.STEP

    def __getattr__(self, name: str) -> object:
        return getattr(time, name)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> SteppingClock:
    stepping = SteppingClock()
    monkeypatch.setattr(engine_module, "time", stepping)
    return stepping


@pytest.fixture
def studio(workspace_path: Path) -> Iterator[Workspace]:
    with open_workspace(workspace_path, create=True, who="Ana") as workspace:
        with workspace.write() as s:
            records.add_record(s, "client", {"name": "Acme Foods", "notes": "Ours"})
        yield workspace


@pytest.fixture
def holder(studio: Workspace) -> Iterator[LockHolder]:
    lock_holder = LockHolder(studio.path)
    try:
        yield lock_holder
    finally:
        if lock_holder.shell.poll() is None:
            lock_holder.shell.kill()
            lock_holder.shell.wait()


def clients(workspace: Workspace) -> list[tuple[str, str | None]]:
    with workspace.read() as s:
        return [(c.name, c.notes) for c in records.list_rows(s, "client")]  # type: ignore[attr-defined]


def test_a_save_waits_for_a_colleague_says_so_and_goes_through(
        studio: Workspace, holder: LockHolder, clock: SteppingClock) -> None:
    holder.hold()
    told: list[tuple[float, float]] = []  # (seconds waited as told, seconds since saving)
    began = clock.monotonic()

    def waiting(seconds: float) -> None:
        told.append((seconds, clock.monotonic() - began))
        if seconds >= 1.5:  # the colleague finishes after a while
            holder.release("COMMIT")

    studio.on_wait = waiting
    with studio.write() as s:
        records.add_record(s, "client", {"name": "Borealis Bank"})
    saved_after = clock.monotonic() - began

    assert told, "the wait was never reported"
    assert told[0][1] < 1.0, f"first told after {told[0][1]:.2f} s"
    waited = [seconds for seconds, _ in told]
    assert waited == sorted(waited) and waited[-1] >= 1.5
    assert all(b - a < 0.5 for a, b in zip(waited, waited[1:], strict=False)), \
        "the window would look frozen between reports"
    assert 1.5 <= saved_after < engine_module.BUSY_TIMEOUT_MS / 1000
    # The colleague's change and ours are both there.
    assert clients(studio) == [("Acme Foods", "half-done by the shell"),
                               ("Borealis Bank", None)]


def test_a_lock_held_too_long_gives_a_clear_sentence_and_loses_nothing(
        studio: Workspace, holder: LockHolder, monkeypatch: pytest.MonkeyPatch,
        clock: SteppingClock) -> None:
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 1500)
    holder.hold()
    told: list[float] = []
    studio.on_wait = told.append
    typed = {"name": "Borealis Bank", "industry": "Finance"}
    began = clock.monotonic()

    with pytest.raises(WorkspaceBusyError) as caught, studio.write() as s:
        records.add_record(s, "client", typed)
    gave_up_after = clock.monotonic() - began

    message = str(caught.value)
    assert message.startswith(f"{studio.path.name} is busy: someone else is saving")
    assert "nothing you typed is lost" in message
    assert "\n" not in message and message.endswith(".")
    assert not re.search(r"[.!?]\s+\S", message.replace(studio.path.name, "file")), \
        "more than one sentence"
    assert 1.5 <= gave_up_after < 3.0
    assert told and told[-1] < 1.5
    assert typed == {"name": "Borealis Bank", "industry": "Finance"}
    # Reading goes on meanwhile, and shows the workspace as it was.
    assert clients(studio) == [("Acme Foods", "Ours")]

    holder.release("ROLLBACK")
    with studio.write() as s:  # the same input, once the colleague is done
        records.add_record(s, "client", typed)
    assert clients(studio) == [("Acme Foods", "Ours"), ("Borealis Bank", None)]
    assert not studio.path.with_name(studio.path.name + "-journal").exists()


@pytest.fixture
def statements() -> Iterator[list[str]]:
    """Every statement SQLite runs on connections opened during the test."""
    seen: list[str] = []

    def trace(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.set_trace_callback(seen.append)

    event.listen(Pool, "connect", trace)
    try:
        yield seen
    finally:
        event.remove(Pool, "connect", trace)


def test_a_save_that_waited_still_began_immediate_and_wrote_nothing_before_the_lock(
        workspace_path: Path, statements: list[str]) -> None:
    with open_workspace(workspace_path, create=True, who="Ana") as studio:
        holder = LockHolder(studio.path)
        try:
            holder.hold()
            studio.on_wait = lambda seconds: seconds >= 0.4 and holder.release("COMMIT")
            statements.clear()
            with studio.write() as s:
                records.add_record(s, "client", {"name": "Borealis Bank"})
        finally:
            if holder.shell.poll() is None:
                holder.shell.kill()
                holder.shell.wait()
    tries = [i for i, st in enumerate(statements) if st.startswith("BEGIN")]
    assert len(tries) > 1, "the save never had to wait"
    assert {statements[i] for i in tries} == {"BEGIN IMMEDIATE"}
    before_lock = statements[:tries[-1]]
    assert not [st for st in before_lock
                if re.match(r"\s*(INSERT|UPDATE|DELETE|SELECT)\b", st, re.I)], \
        "the save read or wrote before it held the lock"
    assert any(st.startswith("INSERT INTO client") for st in statements[tries[-1]:])
    assert statements[-1] == "COMMIT"
