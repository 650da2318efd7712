"""Running ``studio-desk`` as scripts do: a real process, its exit code, its lines."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def studio_desk(*args: str | Path, cwd: Path,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m studio_desk ARGS`` as a user would, in ``cwd``, with no display.

    ``env`` defaults to this process's (which carries STUDIO_DESK_DATA_DIR from the
    test fixtures).
    """
    environment = dict(env or os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    environment.pop("DISPLAY", None)
    environment.pop("WAYLAND_DISPLAY", None)
    return subprocess.run([sys.executable, "-m", "studio_desk", *map(str, args)], cwd=cwd,
                          env=environment, capture_output=True, text=True, encoding="utf-8",
                          timeout=120)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """What a command that must succeed printed."""
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def one_line_error(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The one line a failed command printed, after checking its exit code and that it
    shows no traceback."""
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def rows_of(path: Path) -> list[dict[str, str]]:
    """A CSV file the command wrote, as dictionaries."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
