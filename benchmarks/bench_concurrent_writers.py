"""How long a save takes while three colleagues save to the same workspace at once.

Times, in the same run and on the same kind of file, the commit latency (each ``with
workspace.write()`` block: wait for the lock, add a client, bump a shared counter,
commit) of:

* the baseline: one writer process alone on its workspace;
* each of four writer processes saving to one workspace at the same time.

Each save also adds one to a counter record all four share, read and written inside the
same transaction; at the end the counter must equal the number of saves and every
client must be there. The goal is the design's: four processes editing one workspace at
once, no error and no lost update. The latencies, their ratio and the saves per second
are printed for reference: four writers take turns at one lock, so some saves wait for
others' (the p95), while the file as a whole should take about as many saves per second
as with one writer. The two runs take turns (``--rounds``), each on a new workspace, so
a busy moment on the machine hits them alike.

    python benchmarks/bench_concurrent_writers.py [--commits N] [--rounds N] [--folder DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(ROOT))

from studio_desk.core.errors import StudioDeskError  # noqa: E402
from studio_desk.store import records  # noqa: E402
from studio_desk.store.engine import open_workspace  # noqa: E402
from studio_desk.store.health import check_workspace, filesystem_kind  # noqa: E402

WRITERS = 4
COUNTER = "Shared counter"


def save_again_and_again(path: Path, writer: int, commits: int, start: Event,
                         out: Connection) -> None:
    """One writer process: after ``start``, ``commits`` saves; sends each one's seconds
    and the errors met."""
    workspace = open_workspace(path, who=f"Writer {writer}")
    with workspace.read() as s:
        counter_id = records.find_id(s, "client", COUNTER)
    assert counter_id is not None
    seconds: list[float] = []
    errors: list[str] = []
    start.wait()
    for number in range(commits):
        began = time.perf_counter()
        try:
            with workspace.write() as s:
                records.add_record(s, "client", {"name": f"Writer {writer} save {number}"})
                counter = records.get_row(s, "client", counter_id)
                records.update_record(s, "client", counter_id, counter.version,
                                      {"notes": str(int(counter.notes) + 1)})  # type: ignore[attr-defined]
        except StudioDeskError as exc:
            errors.append(str(exc))
        seconds.append(time.perf_counter() - began)
    workspace.close()
    out.send((seconds, errors))


def run(folder: Path, writers: int, commits: int, round_: int) -> tuple[list[float],
                                                                      list[str], float]:
    """``writers`` processes saving ``commits`` times each to a new workspace: every
    save's seconds, every error, the wall time; checks nothing was lost."""
    path = folder / f"bench-{writers}-writers-{round_}.studiodesk"
    with open_workspace(path, create=True, who="benchmark") as workspace, \
            workspace.write() as s:
        records.add_record(s, "client", {"name": COUNTER, "notes": "0"})
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    receiving, sending = context.Pipe(duplex=False)
    processes = [context.Process(target=save_again_and_again,
                                 args=(path, n, commits, start, sending))
                 for n in range(writers)]
    for process in processes:
        process.start()
    time.sleep(1.0 + 0.3 * writers)  # let every process open the workspace first
    began = time.perf_counter()
    start.set()
    results = [receiving.recv() for _ in processes]
    wall = time.perf_counter() - began
    for process in processes:
        process.join()
    seconds = [s for each, _errors in results for s in each]
    errors = [e for _seconds, found in results for e in found]
    with open_workspace(path) as workspace, workspace.read() as s:
        counter = records.get_row(s, "client", records.find_id(s, "client", COUNTER) or 0)
        saved = records.count_rows(s)["client"] - 1
    if int(counter.notes) != saved or saved != writers * commits - len(errors):  # type: ignore[attr-defined]
        errors.append(f"lost updates: counter {counter.notes}, clients {saved}, "  # type: ignore[attr-defined]
                      f"saves {writers * commits}")
    if not check_workspace(path).ok:
        errors.append("the workspace failed its health check")
    return seconds, errors, wall


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=200, help="saves per writer")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--folder", type=Path,
                        help="where to put the workspaces (default: a temporary folder)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(dir=args.folder) as temporary:
        folder = Path(temporary)
        alone: list[float] = []
        together: list[float] = []
        errors: list[str] = []
        walls = {1: 0.0, WRITERS: 0.0}
        for round_ in range(args.rounds):
            for writers, into in ((1, alone), (WRITERS, together)):
                seconds, found, wall = run(folder, writers, args.commits, round_)
                into.extend(seconds)
                errors.extend(found)
                walls[writers] += wall
        kind = filesystem_kind(folder)

    def line(label: str, values: list[float]) -> str:
        return (f"{label:<34} median {statistics.median(values) * 1000:7.2f} ms   "
                f"p95 {percentile(values, 0.95) * 1000:7.2f} ms")

    median_ratio = statistics.median(together) / statistics.median(alone)
    p95_ratio = percentile(together, 0.95) / percentile(alone, 0.95)
    print(f"{args.rounds} rounds of {args.commits} saves per writer, on a {kind} drive")
    print(line("one writer alone (baseline):", alone))
    print(line(f"each of {WRITERS} writers at once:", together))
    print(f"ratio (at once / alone): median {median_ratio:.2f}x, p95 {p95_ratio:.2f}x")
    print(f"saves per second: alone {len(alone) / walls[1]:.0f}, "
          f"{WRITERS} at once {len(together) / walls[WRITERS]:.0f} in all")
    verdict = "met" if not errors else "NOT met"
    print(f"goal: {WRITERS} processes at once, no error and no lost update: {verdict}")
    for error in errors[:5]:
        print(f"  {error}")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
