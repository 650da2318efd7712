"""Every figure of issue 15 in one table, each against a baseline timed in the same run.

    python benchmarks/run.py [--json FILE] [--smoke] [--only GROUP,...] [--keep DIR]

Builds its own workspaces in a temporary folder (``--keep DIR`` builds them there once and
reuses them), then measures each figure and its baseline taking turns, several times, and
reports medians. The table has one row per figure: the value, the baseline, their ratio,
the goal and whether it is met. ``--json FILE`` writes the rows as a list of objects with
exactly the keys ``figure``, ``value``, ``unit``, ``baseline``, ``ratio``, ``goal`` (text,
e.g. "≤ 3×") and ``pass``.

Groups (``--only``), in the issue's order:

* ``start``: a new process each time (``python -m studio_desk --db W`` through
  ``benchmarks/_start_probe.py``, byte code compiled beforehand, one unmeasured start
  first), from launching the interpreter to the first page's data painted, on the default
  12-person demo; baseline: a new process showing a bare PySide6 window until painted.
  Wall clock, measured by this process. Goal: within 3x.
* ``open``: in this process, a main window with the Projects tab current opens the large
  workspace (100,000 projects, 40 people) until the Projects table has painted rows;
  baseline: a raw ``sqlite3`` fetch of the same rows (the SQL ``records.list_query``
  compiles to). Wall clock (the window reads on its worker thread). Goal: within 2x.
* ``search``: in that window, one character typed into the search box until the filtered
  table is painted, for each of ~10 keystrokes of a word; the median keystroke and the
  slowest (each keystroke's median over the repetitions); baseline: a Python ``in`` filter
  over the same names. Wall clock. Goal: 50 ms every keystroke.
* ``dashboard``: refresh and draw of the Dashboard for 40 people / 3,000 projects, and the
  same with the What if view; baseline: drawing a bare widget of the same size. Process
  CPU time (the work is all CPU on this thread). Goal: 200 ms each.
* ``proposal``: the Account/Production Manager proposal for 1,000 projects / 300 clients /
  40 people (``benchmarks/bench_optimizer.make_studio``), with AM hours on every client,
  and with capacity 10 % under demand; baseline: the greedy assignment. CPU time. Goal:
  1 s each.
* ``pdf``: a 300-client plan to PDF, and with a brief per client
  (``benchmarks/bench_plan_pdf``); baseline: the same words as plain paragraphs. CPU time
  (wall time in the notes). Goals: 3 s and 6 s.
* ``memory``: the peak resident set of a new process started on the large workspace with
  the Projects page, once its rows are painted (``VmHWM``, not ``ru_maxrss``, which a
  child inherits from this large process: see ``_start_probe.peak_kib``); baseline: the
  bare-window process. Goal: at most 300 MiB more.

``--smoke`` runs every figure at a small size, once, in well under a minute: it proves the
benchmarks still run (CI runs it); its pass column means nothing and it exits 0 unless a
figure could not be measured (2). Otherwise the exit status is 1 if a goal is missed.
Progress goes to standard error, the table to standard output.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import gc
import itertools
import json
import math
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _folder in (str(HERE), str(ROOT)):
    if _folder not in sys.path:
        sys.path.insert(0, _folder)
# Offscreen everywhere, so a run on a desktop measures what CI measures.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

WALL = time.perf_counter
CPU = time.process_time
PROBE = HERE / "_start_probe.py"
GROUPS = ("start", "open", "search", "dashboard", "proposal", "pdf", "memory")
MIB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Sizes:
    """How big and how often; one set for the real table, one for ``--smoke``."""

    repeats: int  # quick in-process figures
    slow_repeats: int  # in-process figures of seconds each
    start_repeats: int  # new processes per contender
    memory_repeats: int
    warm_up: bool
    big_projects: int
    big_people: int
    keystrokes: int
    dashboard: tuple[int, int]  # people, projects
    proposal: tuple[int, int, int]  # projects, clients, people
    pdf_clients: int


FULL = Sizes(repeats=7, slow_repeats=5, start_repeats=7, memory_repeats=3, warm_up=True,
             big_projects=100_000, big_people=40, keystrokes=10, dashboard=(40, 3_000),
             proposal=(1_000, 300, 40), pdf_clients=300)
SMOKE = Sizes(repeats=1, slow_repeats=1, start_repeats=1, memory_repeats=1, warm_up=False,
              big_projects=2_000, big_people=12, keystrokes=3, dashboard=(8, 200),
              proposal=(100, 30, 8), pdf_clients=12)


@dataclasses.dataclass
class Row:
    """One figure of the table."""

    figure: str
    value: float
    unit: str
    baseline: float
    goal: str
    passed: bool
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.value / self.baseline if self.baseline > 0 else math.inf

    def as_json(self) -> dict[str, Any]:
        ratio = self.ratio
        return {"figure": self.figure, "value": round(self.value, 4), "unit": self.unit,
                "baseline": round(self.baseline, 4),
                "ratio": round(ratio, 3) if math.isfinite(ratio) else None,
                "goal": self.goal, "pass": self.passed}


def say(text: str) -> None:
    """Progress, on standard error (the table alone goes to standard output)."""
    print(text, file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


@dataclasses.dataclass
class Timed:
    """The samples of one contender: wall and CPU seconds per repetition."""

    wall: list[float] = dataclasses.field(default_factory=list)
    cpu: list[float] = dataclasses.field(default_factory=list)

    def median(self, clock: str = "wall") -> float:
        return median(self.wall if clock == "wall" else self.cpu)


def call(work: Callable[..., object], *args: object) -> Callable[[], None]:
    """``work(*args)`` as a contender timed by :func:`taking_turns` (its result dropped)."""
    def run() -> None:
        work(*args)
    return run


def taking_turns(contenders: dict[str, Callable[[], float | None]],
                 repeats: int) -> dict[str, Timed]:
    """Run each contender ``repeats`` times, in turns, so a busy moment hits them alike.

    A contender that returns a number has timed itself (wall seconds: a paint it waited
    for); otherwise its call is timed on both clocks.
    """
    times = {name: Timed() for name in contenders}
    for _ in range(repeats):
        for name, run in contenders.items():
            gc.collect()
            wall, cpu = WALL(), CPU()
            measured = run()
            wall, cpu = WALL() - wall, CPU() - cpu
            times[name].wall.append(measured if measured is not None else wall)
            times[name].cpu.append(cpu)
    return times


class Bench:
    """The scratch folder, its workspaces (built on first use), and the QApplication."""

    def __init__(self, sizes: Sizes, folder: Path, scratch: Path) -> None:
        self.sizes = sizes
        self.folder = folder  # workspaces (kept with --keep)
        self.scratch = scratch  # settings, data folders, PDFs: always new
        self._app: Any = None
        self._configs = itertools.count(1)

    # Workspaces --------------------------------------------------------------------------

    def _built(self, name: str, build: Callable[[Path], object]) -> Path:
        path = self.folder / name
        if not path.exists():
            began = WALL()
            build(path)
            say(f"  built {name} in {WALL() - began:.1f} s")
        return path

    def small_studio(self) -> Path:
        """The default demo: 12 people, 30 clients, 80 projects."""
        from studio_desk.store.demo import DEMO_TODAY, build_demo

        return self._built("demo-12-people.studiodesk",
                           lambda p: build_demo(p, today=DEMO_TODAY))

    def big_studio(self) -> Path:
        from studio_desk.store.demo import DEMO_TODAY, build_demo, demo_sizes

        people, clients, projects = demo_sizes(self.sizes.big_projects,
                                               self.sizes.big_people)
        return self._built(
            f"demo-{projects}-projects.studiodesk",
            lambda p: build_demo(p, people=people, clients=clients, projects=projects,
                                 today=DEMO_TODAY))

    def dashboard_studio(self) -> Path:
        from studio_desk.store import plans
        from studio_desk.store.demo import DEMO_TODAY, build_demo, demo_sizes
        from studio_desk.store.engine import open_workspace

        people, clients, projects = demo_sizes(self.sizes.dashboard[1], self.sizes.dashboard[0])

        def build(path: Path) -> None:
            build_demo(path, people=people, clients=clients, projects=projects,
                       today=DEMO_TODAY)
            with open_workspace(path, who="Benchmark") as workspace, \
                    workspace.write() as s:
                # A plan to compare with today in the what-if view (as bench_dashboard).
                plan = plans.create_plan(s, "Benchmark split",
                                         effective_date=DEMO_TODAY + dt.timedelta(days=28))
                plans.propose_plan(s, plan.id)

        return self._built(f"dashboard-{people}-people-{projects}-projects.studiodesk", build)

    def pdf_studio(self) -> Path:
        from bench_plan_pdf import build_studio

        clients = self.sizes.pdf_clients
        return self._built(f"plan-{clients}-clients.studiodesk",
                           lambda p: build_studio(p, clients))

    # Processes and the application -------------------------------------------------------

    def child_env(self) -> dict[str, str]:
        """A new process's environment: offscreen, settings of its own (a first start)."""
        env = dict(os.environ)
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["STUDIO_DESK_CONFIG_DIR"] = str(self.scratch / f"config-{next(self._configs)}")
        env["STUDIO_DESK_DATA_DIR"] = str(self.scratch / "data-children")
        return env

    def qapp(self) -> Any:
        if self._app is None:
            from PySide6.QtWidgets import QApplication

            self._app = QApplication.instance() or QApplication(["studio-desk-benchmarks"])
        return self._app


# --- processes ---------------------------------------------------------------------------


def compile_bytecode() -> None:
    """What an installed copy has: every module compiled, nothing to compile at start."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "studio_desk"),
                    str(HERE)], check=True, stdout=subprocess.DEVNULL)


@dataclasses.dataclass
class Started:
    wall: float  # seconds from launching to the "painted" line, on this process's clock
    inside: float  # seconds the child counted from its first line to the paint
    peak_kib: int


def run_probe(args: list[str], env: dict[str, str], timeout: float = 120.0) -> Started:
    """Start ``_start_probe.py`` with ``args``; wait for its "painted" line and its exit."""
    with tempfile.TemporaryFile("w+") as errors:
        began = WALL()
        child = subprocess.Popen([sys.executable, str(PROBE), *args, "--timeout",
                                  str(timeout)], stdout=subprocess.PIPE, stderr=errors,
                                 text=True, env=env, cwd=ROOT)
        assert child.stdout is not None
        started: Started | None = None
        for line in iter(child.stdout.readline, ""):
            if line.startswith("painted "):
                wall = WALL() - began
                _word, inside, peak = line.split()
                started = Started(wall, float(inside), int(peak))
                break
        child.stdout.close()
        try:
            child.wait(timeout=120)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if started is None or child.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"{PROBE.name} {' '.join(args)} exited {child.returncode} "
                               f"({'painted' if started else 'never painted'}):\n"
                               f"{errors.read()[-3000:]}")
        return started


def _check_opens(db: Path) -> None:
    """Fail at once if ``db`` cannot be opened (the window would ask what to do instead,
    and a new process would sit in that dialog until its timeout)."""
    from studio_desk.store.engine import open_workspace

    open_workspace(db, who="Benchmark").close()


def figure_start(bench: Bench) -> list[Row]:
    db = bench.small_studio()
    _check_opens(db)
    compile_bytecode()
    app_args, bare_args = ["--db", str(db)], ["--bare"]
    if bench.sizes.warm_up:  # files in the page cache, fonts found, for both alike
        run_probe(app_args, bench.child_env())
        run_probe(bare_args, bench.child_env())
    app, bare = [], []
    for _ in range(bench.sizes.start_repeats):
        app.append(run_probe(app_args, bench.child_env()))
        bare.append(run_probe(bare_args, bench.child_env()))
    value, base = median([s.wall for s in app]), median([s.wall for s in bare])
    return [Row("cold start to the first page's data painted (12-person demo)", value, "s",
                base, "≤ 3×", value / base <= 3.0,
                f"new processes, {len(app)} each, medians; inside the process (first line "
                f"of the probe to the paint): app {median([s.inside for s in app]):.2f} s, "
                f"bare window {median([s.inside for s in bare]):.2f} s")]


def figure_memory(bench: Bench) -> list[Row]:
    db = bench.big_studio()
    _check_opens(db)
    projects = bench.sizes.big_projects
    app_args, bare_args = ["--db", str(db), "--page", "Projects"], ["--bare"]
    app, bare = [], []
    for _ in range(bench.sizes.memory_repeats):
        app.append(run_probe(app_args, bench.child_env()))
        bare.append(run_probe(bare_args, bench.child_env()))
    value = median([s.peak_kib for s in app]) / 1024
    base = median([s.peak_kib for s in bare]) / 1024
    return [Row(f"peak memory, {projects:,} projects open", value, "MiB", base, "≤ +300 MiB",
                value - base <= 300.0,
                f"VmHWM of a new process once the Projects rows are painted, "
                f"{value - base:+.0f} MiB over the bare window; that start took "
                f"{median([s.wall for s in app]):.1f} s")]


# --- the main window, in this process -----------------------------------------------------


def _settle(app: Any, rounds: int = 3) -> None:
    for _ in range(rounds):
        app.processEvents()


def _close(window: Any) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    _settle(QApplication.instance())


def _projects_window(bench: Bench) -> Any:
    """A shown main window whose remembered page is Projects, no workspace open yet."""
    from PySide6.QtTest import QTest

    from studio_desk.gui.main_window import MainWindow
    from studio_desk.gui.settings import Settings

    app = bench.qapp()
    settings = Settings()
    settings.page = "Projects"
    settings.sync()
    window = MainWindow(Settings(), who="Benchmark")  # its own worker thread, as the app
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.tabs.setCurrentWidget(window.page("Projects"))
    _settle(app)
    return window


def _open_until_rows_painted(bench: Bench, db: Path) -> tuple[Any, float]:
    """A new window opening ``db``: the window, and seconds from opening to rows painted."""
    from _paint import PaintWatch, main_view, wait_for_paint

    window = _projects_window(bench)
    page = window.page("Projects")
    view = main_view(page)
    assert view is not None
    watch = PaintWatch(view, ready=lambda: window.desk is not None and view.isVisible())
    began = WALL()
    if not window.open_path(db):
        raise RuntimeError(f"the window could not open {db}")
    painted = wait_for_paint(watch, timeout=300)
    return window, painted - began


def figure_open(bench: Bench) -> list[Row]:
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    from studio_desk.store import records
    from studio_desk.store.engine import open_workspace

    db = bench.big_studio()
    bench.qapp()
    sql = str(records.list_query("project").compile(dialect=sqlite_dialect.dialect()))
    workspace = open_workspace(db, who="Benchmark")

    def raw_fetch() -> None:
        connection = sqlite3.connect(db)
        try:
            connection.execute(sql).fetchall()
        finally:
            connection.close()

    def list_rows() -> None:
        with workspace.read() as s:
            records.list_rows(s, "project")

    def open_window() -> float:
        window, seconds = _open_until_rows_painted(bench, db)
        _close(window)
        return seconds

    try:
        if bench.sizes.warm_up:
            open_window()
        times = taking_turns({"raw": raw_fetch, "list_rows": list_rows, "open": open_window},
                             bench.sizes.slow_repeats)
    finally:
        workspace.close()
    value, base = times["open"].median(), times["raw"].median()
    listed = times["list_rows"].median()
    return [Row(f"open {bench.sizes.big_projects:,} projects to the Projects tab showing rows",
                value, "s", base, "≤ 2×", value / base <= 2.0,
                f"wall clock, {bench.sizes.slow_repeats} turns; records.list_rows alone "
                f"{listed:.2f} s ({listed / base:.1f}× the raw fetch)")]


def _search_word(names: list[str], length: int) -> str:
    """The commonest word of at least ``length`` letters in the names (the first
    ``length`` letters of it are typed); else letters of the commonest word."""
    words = Counter(w for n in names for w in n.casefold().split() if w.isalpha())
    long = [w for w, _n in words.most_common() if len(w) >= length]
    if long:
        return long[0][:length]
    return (words.most_common(1)[0][0] if words else "a")[:length]


def figure_search(bench: Bench) -> list[Row]:
    from _paint import PaintWatch, wait_for_paint, wait_until
    from PySide6.QtTest import QTest

    from studio_desk.store import records
    from studio_desk.store.engine import open_workspace

    db = bench.big_studio()
    app = bench.qapp()
    with open_workspace(db, who="Benchmark") as workspace, workspace.read() as s:
        names = records.names(s, "project")
    folded = [n.casefold() for n in names]
    word = _search_word(names, bench.sizes.keystrokes)
    window, _seconds = _open_until_rows_painted(bench, db)
    page = window.page("Projects")
    view, proxy, box = page.table, page.proxy, page.search
    typed: list[list[float]] = [[] for _ in word]
    filtered: list[list[float]] = [[] for _ in word]
    alone: list[list[float]] = [[] for _ in word]
    try:
        for _ in range(bench.sizes.slow_repeats):
            box.clear()
            if not wait_until(lambda: proxy.search == "", timeout=60):
                raise TimeoutError("the search box did not clear")
            _settle(app)
            box.setFocus()
            for k, char in enumerate(word):
                expected = word[:k + 1]
                watch = PaintWatch(view, ready=lambda e=expected: proxy.search == e,
                                   need_rows=False)
                began = WALL()
                QTest.keyClicks(box, char)
                typed[k].append(wait_for_paint(watch, timeout=60) - began)
                began = WALL()
                _hits = [n for n in folded if expected in n]
                filtered[k].append(WALL() - began)
        # The filter alone, without the typing, the pause and the paint.
        for k in range(len(word)):
            proxy.set_search("")
            began = WALL()
            proxy.set_search(word[:k + 1])
            alone[k].append(WALL() - began)
    finally:
        _close(window)
    app_ms = [median(t) * 1000 for t in typed]
    base_ms = [median(t) * 1000 for t in filtered]
    alone_ms = [median(t) * 1000 for t in alone]
    projects = bench.sizes.big_projects
    try:
        from studio_desk.gui import views

        pause = (f"; above {views._SEARCH_AT_ONCE_LIMIT:,} rows the box waits "
                 f"{views._SEARCH_PAUSE_MS} ms for a pause in typing")
    except AttributeError:
        pause = ""
    note = (f"typing “{word}” one letter at a time, wall clock from the key to the table "
            f"painted; per keystroke {', '.join(f'{t:.0f}' for t in app_ms)} ms; "
            f"proxy.set_search alone (from an empty search) median "
            f"{median(alone_ms):.0f} ms, slowest {max(alone_ms):.0f} ms{pause}")
    value, base = median(app_ms), median(base_ms)
    worst, worst_base = max(app_ms), max(base_ms)
    return [
        Row(f"search keystroke, {projects:,} projects, median of {len(word)}", value, "ms",
            base, "≤ 50 ms", value <= 50.0, note),
        Row(f"search keystroke, {projects:,} projects, slowest of {len(word)}", worst, "ms",
            worst_base, "≤ 50 ms", worst <= 50.0),
    ]


def figure_dashboard(bench: Bench) -> list[Row]:
    """Refresh and draw of the Dashboard (as ``bench_dashboard.py``), on CPU time."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication, QWidget

    from studio_desk.gui.dashboard import DashboardView
    from studio_desk.gui.desk import Desk
    from studio_desk.gui.tasks import SynchronousTaskRunner
    from studio_desk.store.demo import DEMO_TODAY
    from studio_desk.store.engine import open_workspace

    db = bench.dashboard_studio()
    app = bench.qapp()
    width, height = 1280, 800
    bare = QWidget()
    page = DashboardView()
    for widget in (bare, page):
        widget.resize(width, height)
        widget.show()
    workspace = open_workspace(db, who="Benchmark")
    desk = Desk(workspace, SynchronousTaskRunner(), QUndoStack())
    try:
        page.bind(desk)
        page.set_as_of(DEMO_TODAY)
        _settle(app)
        if page.capacity_model.rowCount() == 0:
            raise RuntimeError("the dashboard shows nobody")

        def refresh_and_draw(view: int) -> Callable[[], None]:
            def refresh() -> None:
                page.views.setCurrentIndex(view)
                page.reload()
                page.grab()
            return refresh

        what_if = page.views.indexOf(page.what_if)
        times = taking_turns({"bare": call(bare.grab),
                              "today": refresh_and_draw(0),
                              "what-if": refresh_and_draw(what_if)},
                             bench.sizes.repeats)
    finally:
        page.bind(None)
        workspace.close()
        for widget in (bare, page):
            widget.close()
            widget.deleteLater()
        desk.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    people, projects = bench.sizes.dashboard
    base = times["bare"].median("cpu") * 1000
    rows = []
    for name, label in (("today", ""), ("what-if", ", with what-if")):
        value = times[name].median("cpu") * 1000
        rows.append(Row(f"dashboard {people} people / {projects:,} projects, refresh and draw"
                        f"{label}", value, "ms", base, "≤ 200 ms", value <= 200.0,
                        f"CPU time, {bench.sizes.repeats} turns; wall "
                        f"{times[name].median() * 1000:.0f} ms"))
    return rows


def figure_proposal(bench: Bench) -> list[Row]:
    from bench_optimizer import make_studio

    from studio_desk.core.optimizer import greedy_proposal, propose

    size = bench.sizes.proposal
    rows = []
    for label, options in (("", {}), (", AM hours on every client", {"client_hours": True}),
                           (", capacity 10 % under demand", {"capacity": 0.9})):
        studio = make_studio(*size, **options)
        times = taking_turns({"greedy": call(greedy_proposal, *studio),
                              "proposal": call(propose, *studio)},
                             bench.sizes.slow_repeats)
        value, base = times["proposal"].median("cpu"), times["greedy"].median("cpu")
        rows.append(Row(f"proposal {size[0]:,} projects / {size[1]} clients / {size[2]} "
                        f"people{label}", value, "s", base, "≤ 1 s", value <= 1.0,
                        f"CPU time, {bench.sizes.slow_repeats} turns; wall "
                        f"{times['proposal'].median():.2f} s"))
    return rows


def figure_pdf(bench: Bench) -> list[Row]:
    from bench_plan_pdf import plain_text_to_pdf, plan_text, plan_to_pdf

    db = bench.pdf_studio()
    bench.qapp()
    clients = bench.sizes.pdf_clients
    out = bench.scratch / "pdf"
    out.mkdir(exist_ok=True)
    rows = []
    for briefs, label, goal in ((False, "", 3.0), (True, ", with client briefs", 6.0)):
        text = plan_text(db, briefs)
        times = taking_turns(
            {"plain": call(plain_text_to_pdf, text, out / "plain.pdf"),
             "plan": call(plan_to_pdf, db, out / "plan.pdf", briefs)},
            bench.sizes.slow_repeats)
        value, base = times["plan"].median("cpu"), times["plain"].median("cpu")
        rows.append(Row(f"{clients}-client plan to PDF{label}", value, "s", base,
                        f"≤ {goal:g} s", value <= goal,
                        f"CPU time, {bench.sizes.slow_repeats} turns; wall "
                        f"{times['plan'].median():.2f} s (plain "
                        f"{times['plain'].median():.2f} s)"))
    return rows


FIGURES: dict[str, Callable[[Bench], list[Row]]] = {
    "start": figure_start, "open": figure_open, "search": figure_search,
    "dashboard": figure_dashboard, "proposal": figure_proposal, "pdf": figure_pdf,
    "memory": figure_memory,
}


# --- the table ----------------------------------------------------------------------------


def _number(value: float, unit: str) -> str:
    if unit == "MiB":
        return f"{value:,.0f} {unit}"
    if unit == "ms":
        return f"{value:,.1f} {unit}"
    return f"{value:,.3f} {unit}" if value < 10 else f"{value:,.2f} {unit}"


def table(rows: list[Row], smoke: bool) -> str:
    header = ("figure", "value", "baseline", "ratio", "goal", "pass")
    cells = [header] + [
        (r.figure, _number(r.value, r.unit), _number(r.baseline, r.unit),
         f"{r.ratio:.2f}×", r.goal, ("yes" if r.passed else "NO") + (" (smoke)" if smoke
                                                                     else ""))
        for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
             for row in cells]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    notes = [f"- {r.figure}: {r.note}" for r in rows if r.note]
    return "\n".join(lines + ([""] + notes if notes else []))


def _groups(parser: argparse.ArgumentParser, text: str | None) -> list[str]:
    if not text:
        return list(GROUPS)
    wanted = [g.strip() for g in text.split(",") if g.strip()]
    unknown = [g for g in wanted if g not in GROUPS]
    if unknown:
        parser.error(f"unknown figure group(s): {', '.join(unknown)}; "
                     f"choose from {', '.join(GROUPS)}")
    return [g for g in GROUPS if g in wanted]


@dataclasses.dataclass
class Folders:
    workspaces: Path
    scratch: Path


@contextlib.contextmanager
def _folders(keep: Path | None) -> Iterator[Folders]:
    with tempfile.TemporaryDirectory(prefix="studio-desk-bench-") as folder:
        scratch = Path(folder)
        workspaces = keep if keep is not None else scratch / "workspaces"
        workspaces.mkdir(parents=True, exist_ok=True)
        yield Folders(workspaces, scratch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the rows as JSON")
    parser.add_argument("--smoke", action="store_true",
                        help="every figure at a small size, once (the pass column is "
                             "informational; exit 0 if every figure ran)")
    parser.add_argument("--only", metavar="GROUP,...",
                        help=f"only these groups: {', '.join(GROUPS)}")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the workspaces in DIR once and reuse them")
    args = parser.parse_args(argv)
    groups = _groups(parser, args.only)
    sizes = SMOKE if args.smoke else FULL
    began = WALL()
    rows: list[Row] = []
    broken: list[str] = []
    with _folders(args.keep) as folders:
        os.environ["STUDIO_DESK_CONFIG_DIR"] = str(folders.scratch / "config")
        os.environ["STUDIO_DESK_DATA_DIR"] = str(folders.scratch / "data")
        bench = Bench(sizes, folders.workspaces, folders.scratch)
        for group in groups:
            say(f"[{group}]")
            started = WALL()
            try:
                rows.extend(FIGURES[group](bench))
            except Exception:  # one broken figure must not hide the others
                traceback.print_exc()
                broken.append(group)
            say(f"  {WALL() - started:.1f} s")
    say(f"all figures in {WALL() - began:.0f} s")
    print(table(rows, args.smoke))
    if args.json:
        args.json.write_text(json.dumps([r.as_json() for r in rows], indent=2,
                                        ensure_ascii=False) + "\n", encoding="utf-8")
    if broken:
        print(f"could not measure: {', '.join(broken)}", file=sys.stderr)
        return 2
    if args.smoke:
        return 0
    return 0 if all(r.passed for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
