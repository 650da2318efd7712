"""The benchmark table still runs: ``benchmarks/run.py --smoke`` measures every figure at a
small size and writes the rows as JSON. No time is asserted here (the table reports the
times and their goals; a slow moment on a busy machine must not fail a build)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"figure", "value", "unit", "baseline", "ratio", "goal", "pass"}
#: Every figure of the table (issue 15), by how its name begins, and how many rows each.
FIGURES = {"cold start": 1, "open ": 1, "search keystroke": 2, "dashboard": 2,
           "proposal": 3, "-client plan to PDF": 2, "peak memory": 1}


@pytest.mark.slow
def test_every_benchmark_figure_runs_at_a_small_size(tmp_path: Path) -> None:
    out = tmp_path / "table.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--smoke",
                           "--json", str(out)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    rows = json.loads(out.read_text(encoding="utf-8"))

    assert isinstance(rows, list)
    for row in rows:
        assert set(row) == KEYS, row
        for key in ("value", "baseline", "ratio"):
            number = row[key]
            assert isinstance(number, int | float) and not isinstance(number, bool), row
            assert math.isfinite(number) and number >= 0, row
        assert row["baseline"] > 0, row
        assert row["unit"] in {"s", "ms", "MiB"}, row
        assert isinstance(row["goal"], str) and row["goal"].startswith("≤"), row
        assert isinstance(row["pass"], bool), row
    names = [row["figure"] for row in rows]
    assert len(set(names)) == len(names) == sum(FIGURES.values())
    for start, count in FIGURES.items():
        assert sum(start in name for name in names) == count, (start, names)
    # The table printed on standard output has a line per figure.
    assert all(name in done.stdout for name in names)
