"""Eight copies of Studio Desk saving to one workspace at once (scenario 10).

Every save waits its turn for the write lock (``BEGIN IMMEDIATE`` with the busy wait of
``Workspace.write``); none fails with "database is locked", none is lost, and the file
passes SQLite's checks afterwards.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest

from studio_desk.store import records
from studio_desk.store.engine import BUSY_TIMEOUT_MS, open_workspace
from studio_desk.store.health import check_workspace
from tests.reliability import workers
from tests.reliability.conftest import Processes

WRITERS = 8
COMMITS = 200


@pytest.mark.slow
def test_eight_processes_saving_two_hundred_times_each_lose_nothing(
        memory_folder: Path, processes: Processes) -> None:
    path = memory_folder / "Studio.studiodesk"
    open_workspace(path, create=True, who="Ana").close()
    start = processes.context.Event()
    receiving, sending = processes.context.Pipe(duplex=False)
    writers = [processes.start(workers.commit_clients, path, number, COMMITS, start,
                               sending)
               for number in range(WRITERS)]
    began = time.monotonic()
    start.set()  # all at once, each as fast as it can: the worst a studio will see
    results = [receiving.recv() for _ in writers]
    for writer in writers:
        writer.join(10)
        assert writer.exitcode == 0
    took = time.monotonic() - began

    errors = [error for _writer, found, _waited, _seconds in results for error in found]
    assert errors == [], f"{len(errors)} saves failed, the first: {errors[:1]}"
    assert sorted(writer for writer, *_rest in results) == list(range(WRITERS))
    # Nobody was kept waiting anywhere near the point of giving up.
    longest_wait = max(waited for _w, _e, waited, _s in results)
    assert longest_wait < BUSY_TIMEOUT_MS / 1000
    with open_workspace(path) as workspace, workspace.read() as s:
        names = records.names(s, "client")
    assert sorted(names) == sorted(f"Writer {w} client {n}" for w in range(WRITERS)
                                   for n in range(COMMITS))
    report = check_workspace(path)
    assert report.ok, report.problems
    assert report.counts["client"] == WRITERS * COMMITS
    seconds = [s for *_rest, each in results for s in each]
    print(f"\n{WRITERS}x{COMMITS} commits in {took:.1f} s; median "
          f"{statistics.median(seconds) * 1000:.1f} ms, slowest {max(seconds) * 1000:.0f} ms,"
          f" longest wait told to on_wait {longest_wait:.2f} s")
