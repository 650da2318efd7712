"""The optimizer's three modules stay in one direction: score <- reasons <- optimizer.

``core.score`` (what "best" means) and ``core.reasons`` (the sentences) load without the
solver and without SciPy (about a second to import), and every name callers take from
``core.optimizer`` still resolves there.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from studio_desk.core import optimizer, reasons, score

ROOT = Path(__file__).resolve().parents[2]


def test_score_and_reasons_load_neither_the_solver_nor_scipy() -> None:
    script = ("import sys; import studio_desk.core.reasons, studio_desk.core.score; "
              "print(sorted(m for m in ('scipy', 'studio_desk.core.optimizer') "
              "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_the_optimizer_re_exports_the_score() -> None:
    assert set(optimizer.__all__) >= {"Candidate", "ClientItem", "ProjectItem", "ScoreWeights",
                                      "Placement", "Proposal", "QualityParts", "score_of",
                                      "quality_parts", "limit_violations", "hours_fit",
                                      "propose", "greedy_proposal", "PROVEN_TOLERANCE"}
    for name in optimizer.__all__:
        assert hasattr(optimizer, name), name
        if hasattr(score, name):
            assert getattr(optimizer, name) is getattr(score, name), name
    assert optimizer.UNPROVEN_REASON is reasons.UNPROVEN_REASON
