"""``studio-desk plan copy`` and ``plan compare`` as scripts use them: real processes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from studio_desk.store import plans, records
from studio_desk.store.engine import Workspace
from tests.helpers.cli import ok, one_line_error, rows_of, studio_desk

EFFECTIVE = dt.date(2026, 3, 2)


def proposed_plan(ws: Workspace, name: str = "Spring split") -> int:
    with ws.write() as s:
        plan = plans.create_plan(s, name, effective_date=EFFECTIVE)
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id, today=dt.date(2026, 2, 1))
    return plan.id


def test_copy_a_plan_then_compare_it_with_the_original(small_studio: Workspace,
                                                       tmp_path: Path) -> None:
    plan_id = proposed_plan(small_studio)
    db = small_studio.path
    said = ok(studio_desk("plan", "copy", "spring SPLIT", "--db", db, cwd=tmp_path))
    with small_studio.read() as s:
        roles = len(plans.plan_items(s, plan_id))
        copy = plans.find_plan(s, "Spring split (copy)")
        assert copy is not None and copy.status == plans.STATUS_DRAFT
        assert len(plans.plan_items(s, copy.id)) == roles
    assert said == f"Copied “Spring split” into the draft “Spring split (copy)” ({roles} roles)."
    assert "“Lean team”" in ok(studio_desk("plan", "copy", "Spring split", "Lean team",
                                          "--db", db, cwd=tmp_path))

    # Change one row of the copy, as the wizard would.
    with small_studio.write() as s:
        lean = plans.find_plan(s, "Lean team")
        assert lean is not None
        item = next(i for i in plans.plan_items(s, lean.id) if i.project is not None)
        other = next(p for p in ("Ana Ruiz", "Ben Ode", "Cara Li") if p != item.person)
        plans.override_item(s, lean.id, item.id, records.find_id(s, "person", other))

    said = ok(studio_desk("plan", "compare", "Spring split", "Lean team", "--db", db,
                          "--csv", "compare.csv", cwd=tmp_path))
    lines = said.splitlines()
    assert lines[0].split() == ["Client", "Project", "Role", "Spring", "split", "Lean", "team"]
    assert len(lines) == 5, said  # header, the differing row, blank, summary, CSV
    assert lines[1].startswith(item.client) and item.project in lines[1]
    assert lines[1].endswith(other) and f"{item.person} " in lines[1]
    assert lines[3] == (f"1 of {roles} roles differ; “Spring split” places {roles}, "
                        f"“Lean team” places {roles}.")
    rows = rows_of(tmp_path / "compare.csv")
    assert len(rows) == roles
    assert list(rows[0]) == list(plans.PLAN_COMPARE_COLUMNS)
    assert [(r["project"], r["person_a"], r["person_b"]) for r in rows
            if r["differs"] == "yes"] == [(item.project, item.person, other)]

    same = ok(studio_desk("plan", "compare", "Spring split", "Spring split (copy)",
                          "--db", db, cwd=tmp_path))
    assert same.startswith(f"0 of {roles} roles differ")


def test_copy_and_compare_say_in_one_line_what_is_wrong(small_studio: Workspace,
                                                        tmp_path: Path) -> None:
    proposed_plan(small_studio)
    proposed_plan(small_studio, "Other")
    db = small_studio.path
    assert "no plan named “Nope”" in one_line_error(
        studio_desk("plan", "compare", "Spring split", "Nope", "--db", db, cwd=tmp_path))
    assert "already exists" in one_line_error(
        studio_desk("plan", "copy", "Spring split", "other", "--db", db, cwd=tmp_path))
