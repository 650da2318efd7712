"""How long a 300-client transition plan takes to become a PDF, against plain Qt typesetting.

Builds a demo studio of ``--clients`` clients (three projects each, a person per seven
clients), proposes and schedules a plan in it, then times, in the same run:

* the plan: read its facts from the workspace, make the report's content, typeset it
  (tables, capacity chart, page breaks, repeated headers) and write the PDF, exactly as
  ``studio-desk plan print`` does; with and without a brief per client;
* the baseline: the same text (every word the plan prints, taken from the typeset
  document) as plain paragraphs in one ``QTextDocument``, no tables, no pictures,
  printed to a ``QPdfWriter`` with ``QTextDocument.print_`` (Qt's own pagination).

Each is the best of ``--runs`` runs, taking turns. The goal (DESIGN §8) is the plan in
at most 3 s of wall-clock time; the ratio says what the tables, chart and careful page
breaks cost over plain text.

    python benchmarks/bench_plan_pdf.py [--clients N] [--runs N] [--keep PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QGuiApplication, QPdfWriter, QTextDocument  # noqa: E402

from studio_desk.core.report import build_report  # noqa: E402
from studio_desk.gui.printing.render import (  # noqa: E402
    PDF_DPI,
    body_font,
    lay_out_plan,
    page_layout,
    text_area_size,
    write_pdf,
)
from studio_desk.store import plans  # noqa: E402
from studio_desk.store.demo import build_demo  # noqa: E402
from studio_desk.store.engine import open_workspace  # noqa: E402
from studio_desk.store.report_data import gather_plan_facts, studio_name  # noqa: E402

GOAL_SECONDS = 3.0
PLAN = "Spring split"


def build_studio(path: Path, clients: int) -> None:
    """A demo studio with a proposed, scheduled plan called ``PLAN``."""
    build_demo(path, people=max(8, clients // 7), clients=clients, projects=clients * 3,
               seed=7, today=dt.date(2026, 3, 2))
    with open_workspace(path, who="Benchmark") as workspace, workspace.write() as s:
        plan = plans.create_plan(s, PLAN, effective_date=dt.date(2026, 4, 6))
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id, today=dt.date(2026, 3, 2))


def plan_to_pdf(workspace: Path, out: Path, briefs: bool) -> int:
    """What ``studio-desk plan print`` does, from the workspace to the PDF file."""
    with open_workspace(workspace) as opened, opened.read() as s:
        plan = plans.find_plan(s, PLAN)
        assert plan is not None
        facts = gather_plan_facts(s, plan.id, studio=studio_name(workspace))
    return write_pdf(lay_out_plan(build_report(facts, client_briefs=briefs)), out)


def plan_text(workspace: Path, briefs: bool) -> str:
    """Every word the plan prints, as plain text."""
    with open_workspace(workspace) as opened, opened.read() as s:
        plan = plans.find_plan(s, PLAN)
        assert plan is not None
        facts = gather_plan_facts(s, plan.id, studio=studio_name(workspace))
    document = lay_out_plan(build_report(facts, client_briefs=briefs))
    return "\n".join(part.toPlainText() for part in document.parts)


def plain_text_to_pdf(text: str, out: Path) -> int:
    """The baseline: ``text`` as paragraphs, typeset and printed by Qt alone."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines()
                         if line.strip())
    document = QTextDocument()
    document.setDefaultFont(body_font())
    document.setHtml(f"<html><body>{paragraphs}</body></html>")
    layout = page_layout("a4")
    document.setPageSize(text_area_size(layout))  # Qt's own page breaks, same page size
    writer = QPdfWriter(str(out))
    writer.setPageLayout(layout)
    writer.setResolution(PDF_DPI)
    document.print_(writer)
    return document.pageCount()


def best_of(runs: int, contenders: dict[str, Callable[[], int]]
            ) -> dict[str, tuple[float, float, int]]:
    """Best wall-clock and CPU seconds of each contender (taking turns), and its pages."""
    best = {name: (float("inf"), float("inf"), 0) for name in contenders}
    for _ in range(runs):
        for name, run in contenders.items():
            wall, cpu = time.perf_counter(), time.process_time()
            pages = run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            old = best[name]
            best[name] = (min(old[0], wall), min(old[1], cpu), pages)
    return best


def main(argv: list[str] | None = None) -> int:
    """Print the timings; with ``--strict``, exit 1 if the plan misses the goal."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, metavar="PATH",
                        help="build the workspace at PATH once and reuse it")
    parser.add_argument("--strict", action="store_true", help="exit 1 if over the goal")
    args = parser.parse_args(argv)
    app = QGuiApplication.instance() or QGuiApplication(["bench_plan_pdf"])

    with tempfile.TemporaryDirectory(prefix="bench-plan-pdf-") as folder:
        scratch = Path(folder)
        os.environ.setdefault("STUDIO_DESK_DATA_DIR", str(scratch / "data"))
        workspace = args.keep or scratch / "Benchmark Studio.studiodesk"
        if not workspace.exists():
            started = time.perf_counter()
            build_studio(workspace, args.clients)
            print(f"built {workspace.name}: {args.clients} clients with a scheduled plan "
                  f"in {time.perf_counter() - started:.1f} s")
        results = {}
        for briefs in (False, True):
            text = plan_text(workspace, briefs)
            results[briefs] = best_of(args.runs, {
                "plan": lambda b=briefs: plan_to_pdf(workspace, scratch / "plan.pdf", b),
                "baseline": lambda t=text: plain_text_to_pdf(t, scratch / "plain.pdf"),
            })
            words = len(text.split())
            plan_wall, plan_cpu, pages = results[briefs]["plan"]
            base_wall, base_cpu, base_pages = results[briefs]["baseline"]
            label = "with a brief per client" if briefs else "all sections"
            goal = ("" if briefs else
                    f" (goal <= {GOAL_SECONDS:g} s: "
                    f"{'met' if plan_wall <= GOAL_SECONDS else 'MISSED'})")
            print(f"{args.clients}-client plan to PDF, {label}: {plan_wall:.2f} s wall, "
                  f"{plan_cpu:.2f} s CPU, {pages} pages{goal}")
            print(f"  baseline, the same {words:,} words as plain paragraphs: "
                  f"{base_wall:.2f} s wall, {base_cpu:.2f} s CPU, {base_pages} pages; "
                  f"ratio {plan_wall / base_wall:.1f}x wall, {plan_cpu / base_cpu:.1f}x CPU")
    del app
    return 1 if args.strict and results[False]["plan"][0] > GOAL_SECONDS else 0


if __name__ == "__main__":
    raise SystemExit(main())
