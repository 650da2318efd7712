"""A copy of Studio Desk killed (``kill -9``) in the middle of saving (scenario 7).

A child process commits numbered steps — each one transaction that adds a client, its
projects and updates a counter — and reports each step only once it is committed. The
test kills it at a random moment, fifty times in a row on the same file. Every time, the
file passes the health check and holds exactly the committed steps: all of a step or
none of it, never a half.
"""

from __future__ import annotations

import random
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from studio_desk.store import records
from studio_desk.store.engine import open_workspace
from studio_desk.store.health import check_workspace
from tests.reliability import workers
from tests.reliability.conftest import Processes

KILLS = 50
#: The start of a rollback journal SQLite has flushed: from then on the file itself is
#: being changed, and the next open must roll the journal back.
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


def next_message(receiving: Connection, timeout: float = 10.0) -> tuple[str, int]:
    assert receiving.poll(timeout), "the writer stopped reporting"
    kind, step = receiving.recv()
    return kind, step


def wait_for(receiving: Connection, wanted: str) -> int:
    """The step of the next message of kind ``wanted`` (others are skipped)."""
    while True:
        kind, step = next_message(receiving)
        if kind == wanted:
            return step


def last_reported(receiving: Connection, committed: int) -> int:
    """The last step reported committed before the kill landed (read to the pipe's end)."""
    while True:
        try:
            kind, step = receiving.recv()
        except EOFError:
            return committed
        if kind == "committed":
            committed = step


def steps_in(path: Path) -> tuple[list[int], dict[str, int], str | None]:
    """The step numbers of the clients, projects per step client, the counter's title."""
    with open_workspace(path) as workspace, workspace.read() as s:
        steps = sorted(int(name.split()[1]) for name in records.names(s, "client")
                       if name.startswith("Step "))
        per_client: dict[str, int] = {}
        for project in records.list_rows(s, "project"):
            client = project.client  # type: ignore[attr-defined]
            per_client[client] = per_client.get(client, 0) + 1
        counter = records.get_row(s, "person", records.find_id(s, "person", workers.COUNTER)
                                  or 0)
    return steps, per_client, counter.title  # type: ignore[attr-defined]


@pytest.mark.slow
def test_a_writer_killed_at_any_moment_leaves_exactly_what_it_committed(
        tmp_path: Path, processes: Processes) -> None:
    path = tmp_path / "Studio.studiodesk"
    journal = path.with_name(path.name + "-journal")
    with open_workspace(path, create=True, who="Ana") as workspace, workspace.write() as s:
        records.add_record(s, "person", {"name": workers.COUNTER})
    chance = random.Random()
    mid_transaction = hot = 0
    for round_ in range(KILLS):
        receiving, sending = processes.context.Pipe(duplex=False)
        writer = processes.start(workers.write_steps, path, sending)
        sending.close()
        kind, committed = next_message(receiving)
        assert kind == "ready"
        for _ in range(chance.randint(0, 3)):
            committed = wait_for(receiving, "committed")
        if round_ % 2:
            time.sleep(chance.uniform(0, 0.03))  # anywhere
        else:
            wait_for(receiving, "committing")  # during the commit: the riskiest moment
            time.sleep(chance.uniform(0, 0.004))
        writer.kill()
        writer.join(5)
        committed = last_reported(receiving, committed)
        receiving.close()
        # A journal beside the file: a save was under way and did not commit (with
        # journal_mode=DELETE, deleting the journal *is* the commit). SQLite rolls a hot
        # one back on the next open; one killed before its first flush is not hot and
        # simply stays until the next save.
        killed_in_a_transaction = journal.exists()
        mid_transaction += killed_in_a_transaction
        hot += killed_in_a_transaction and journal.read_bytes()[:8] == JOURNAL_MAGIC

        # The first to open it for writing rolls a hot journal back (check only reads).
        with open_workspace(path, who="Ana"):
            pass
        report = check_workspace(path)
        assert report.ok, f"round {round_}: {report.problems}"
        steps, per_client, counter = steps_in(path)
        last = steps[-1] if steps else 0
        # The step the child was killed in is there only if it got as far as its commit.
        assert last == committed or (last == committed + 1 and not killed_in_a_transaction), \
            f"round {round_}: {committed} reported, {last} in the file"
        assert steps == list(range(1, last + 1)), f"round {round_}: a step went missing"
        assert all(per_client[f"Step {n}"] == workers.PROJECTS_PER_STEP for n in steps)
        assert counter == (str(last) if last else None), "the update and the adds split"
    # The kills must have hit saves in progress, not only the pauses between them.
    assert mid_transaction >= 5, f"only {mid_transaction} kills landed mid-transaction"
    print(f"\n{KILLS} kills, {mid_transaction} in the middle of a transaction, {hot} of "
          "them while the file itself was being written")


@pytest.mark.parametrize("header_ahead", [False, True],
                         ids=["as killed", "header written ahead of the pages"])
def test_a_writer_killed_after_it_began_changing_the_file_itself_is_rolled_back(
        tmp_path: Path, processes: Processes, header_ahead: bool) -> None:
    """A save too big for SQLite's page cache writes into the file before it commits;
    killed then, the file is half-new until the next open rolls the journal back.

    A commit writes the first page (whose header counts the pages) before the pages
    that grow the file; killed in between, the header promises more pages than the file
    has, which looks like a truncated copy until the journal is rolled back. The second
    case puts the killed file in that state (the first page is in the journal, so the
    rollback restores it) and checks the workspace still opens, whole.
    """
    path = tmp_path / "Studio.studiodesk"
    journal = path.with_name(path.name + "-journal")
    with open_workspace(path, create=True, who="Ana") as workspace, workspace.write() as s:
        records.add_record(s, "client", {"name": "Acme Foods", "notes": "Kept"})
    before = path.read_bytes()
    receiving, sending = processes.context.Pipe(duplex=False)
    saver = processes.start(workers.spill_big_save_and_wait, path, 300, sending)
    assert receiving.poll(30) and receiving.recv() == "spilled"
    saver.kill()
    saver.join(5)
    assert journal.read_bytes()[:8] == JOURNAL_MAGIC, "the journal is not hot"
    assert path.read_bytes() != before, "the save had not reached the file yet"
    if header_ahead:
        with path.open("r+b") as handle:
            page_size = int.from_bytes(before[16:18], "big")
            handle.seek(28)
            handle.write((path.stat().st_size // page_size + 100).to_bytes(4, "big"))

    with open_workspace(path, who="Ana") as workspace, workspace.read() as s:
        assert [(c.name, c.notes) for c in records.list_rows(s, "client")] == [  # type: ignore[attr-defined]
            ("Acme Foods", "Kept")]
    assert not journal.exists()
    report = check_workspace(path)
    assert report.ok and report.counts["client"] == 1, report.problems
