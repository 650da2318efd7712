"""``studio-desk plan propose|export|apply`` as scripts use them: real processes on a
workspace built from CSV files with ``studio-desk import``."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.cli import ok, one_line_error, rows_of, studio_desk

PLAN_COLUMNS = ["client", "project", "role", "person", "previous_person", "reason",
                "inform_by", "inform_on", "introduces", "handover_on"]

FILES = {
    "people": "name,title,client_facing,head_down,max_clients,max_active_projects\n"
              "Zoë Fischer,Producer,5,1,8,4\n"
              "Kwame Mensah,Developer,1,5,2,6\n"
              "Ines Dias,Designer,4,2,8,6\n",
    # A client whose name a spreadsheet would run as a formula (imported as typed).
    "clients": "name,industry\nCafé Lumière,Hospitality\n'=Acme Ltd,Retail\n",
    "projects": "client,name,status,technical_complexity,communication_load,manager\n"
                "Café Lumière,Lumière booking app,active,5,1,Zoë Fischer\n"
                "'=Acme Ltd,Acme spring campaign,back-burner,1,5,Kwame Mensah\n"
                "Café Lumière,Lumière menu cards,pitch,2,2,\n",
    "relationships": "person,client,strength,since\nZoë Fischer,Café Lumière,3,2023-04-01\n",
}










def header_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def holders(rows: list[dict[str, str]]) -> set[tuple[str, str, str, str]]:
    return {(r["client"], r["project"], r["role"], r["person"]) for r in rows if r["person"]}


@pytest.fixture(scope="module")
def built_from_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace made with ``demo`` (empty) and four ``import`` commands."""
    folder = tmp_path_factory.mktemp("from_csv")
    env = dict(os.environ, STUDIO_DESK_DATA_DIR=str(folder / "data"),
               STUDIO_DESK_CONFIG_DIR=str(folder / "config"))
    ok(studio_desk("demo", "w.studiodesk", "--people", "0", "--clients", "0",
                   "--projects", "0", cwd=folder, env=env))
    for kind, text in FILES.items():
        (folder / f"{kind}.csv").write_bytes(text.encode("utf-8-sig"))
        assert "added" in ok(studio_desk("import", kind, f"{kind}.csv", "--db", "w.studiodesk",
                                         cwd=folder, env=env))
    return folder / "w.studiodesk"


@pytest.fixture
def workspace(built_from_csv: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the workspace built from CSV, in this test's own folder."""
    target = tmp_path / "w.studiodesk"
    shutil.copyfile(built_from_csv, target)
    yield target


@pytest.mark.slow  # eight processes, each loading the optimiser
def test_propose_export_and_apply_a_plan(workspace: Path, tmp_path: Path) -> None:
    said = ok(studio_desk("plan", "propose", "Spring split", "--db", workspace, cwd=tmp_path))
    found = re.fullmatch(r"Created “Spring split” \(effective (\d{4}-\d\d-\d\d)\): 4 of 4 "
                         r"roles placed, 0 unplaced; no capacity missing\.", said)
    assert found, said
    effective = dt.date.fromisoformat(found.group(1))
    # The first Monday at least three weeks ahead: time to tell every client.
    assert effective.weekday() == 0 and 21 <= (effective - dt.date.today()).days < 28

    said = ok(studio_desk("plan", "export", "Spring split", "plan.csv", "--db", workspace,
                          cwd=tmp_path))
    assert said == "plan.csv: 4 rows of “Spring split” exported."
    assert header_of(tmp_path / "plan.csv") == PLAN_COLUMNS
    rows = rows_of(tmp_path / "plan.csv")
    by_role = {(r["client"], r["project"]): r for r in rows}
    assert set(by_role) == {("Café Lumière", ""), ("'=Acme Ltd", ""),
                            ("Café Lumière", "Lumière booking app"),
                            ("'=Acme Ltd", "Acme spring campaign")}  # not the pitch
    people = {"Zoë Fischer", "Kwame Mensah", "Ines Dias"}
    for (_client, project), row in by_role.items():
        assert row["person"] in people and row["reason"]
        if project:
            assert row["role"] == "production_manager"
            assert (row["inform_by"], row["inform_on"]) == ("", "")
        else:
            assert row["role"] == "account_manager"
            assert row["inform_by"] in people
            assert dt.date.today() <= dt.date.fromisoformat(row["inform_on"]) < effective
    assert by_role[("Café Lumière", "Lumière booking app")]["previous_person"] == "Zoë Fischer"
    # Zoë has known the café for years: she keeps it as its Account Manager.
    assert by_role[("Café Lumière", "")]["person"] == "Zoë Fischer"

    said = ok(studio_desk("plan", "propose", "Spring split", "--db", workspace, cwd=tmp_path))
    assert said.startswith(f"Refreshed “Spring split” (effective {effective.isoformat()})")

    ok(studio_desk("export", "assignments", "before.csv", "--db", workspace, cwd=tmp_path))
    said = ok(studio_desk("plan", "apply", "Spring split", "--db", workspace, cwd=tmp_path))
    assert re.fullmatch(rf"Applied “Spring split” from {effective.isoformat()}: \d roles? "
                        r"change hands, \d stay as they are\.", said), said
    # The plan takes effect on its date: today the holders are those of before.
    ok(studio_desk("export", "assignments", "today.csv", "--db", workspace, cwd=tmp_path))
    assert rows_of(tmp_path / "today.csv") == rows_of(tmp_path / "before.csv")
    ok(studio_desk("export", "assignments", "after.csv", "--db", workspace,
                   "--as-of", effective.isoformat(), cwd=tmp_path))
    after = rows_of(tmp_path / "after.csv")
    assert holders(after) == holders(rows)  # from its date, the plan's people hold its roles
    changed = {(r["client"], r["project"]): r["previous_person"] for r in rows
               if r["previous_person"] and r["previous_person"] != r["person"]}
    for key, previous in changed.items():  # with the history kept
        assert next(r for r in after
                    if (r["client"], r["project"]) == key)["previous_person"] == previous

    again = studio_desk("plan", "apply", "Spring split", "--db", workspace, cwd=tmp_path)
    line = one_line_error(again)
    assert str(workspace.name) in line and "already been applied" in line
    refresh = studio_desk("plan", "propose", "Spring split", "--db", workspace, cwd=tmp_path)
    assert "already been applied" in one_line_error(refresh)


@pytest.mark.slow  # six processes
def test_a_plan_with_unplaced_clients_names_the_gap_and_is_not_applied(
        workspace: Path, tmp_path: Path) -> None:
    # Nobody may take on a client any more: the clients cannot be placed.
    (tmp_path / "limits.csv").write_text(
        "name,max_clients\nZoë Fischer,0\nKwame Mensah,0\nInes Dias,0\n", encoding="utf-8")
    ok(studio_desk("import", "people", "limits.csv", "--db", workspace, cwd=tmp_path))
    ok(studio_desk("export", "assignments", "before.csv", "--db", workspace, cwd=tmp_path))

    said = ok(studio_desk("plan", "propose", "Lean", "--db", workspace, cwd=tmp_path))
    assert "2 of 4 roles placed, 2 unplaced; capacity missing: 2 clients" in said

    ok(studio_desk("plan", "export", "Lean", "plan.csv", "--db", workspace, cwd=tmp_path))
    for row in rows_of(tmp_path / "plan.csv"):
        if row["role"] == "account_manager":
            assert row["person"] == "" and "short" in row["reason"]

    refused = studio_desk("plan", "apply", "Lean", "--db", workspace, cwd=tmp_path)
    line = one_line_error(refused)
    assert "2 rows of “Lean” still have no one" in line
    ok(studio_desk("export", "assignments", "after.csv", "--db", workspace, cwd=tmp_path))
    assert rows_of(tmp_path / "after.csv") == rows_of(tmp_path / "before.csv")


def test_unknown_plans_and_missing_verbs(workspace: Path, tmp_path: Path) -> None:
    missing = studio_desk("plan", "export", "Nope", "x.csv", "--db", workspace, cwd=tmp_path)
    line = one_line_error(missing)
    assert "no plan named “Nope”" in line and "plan propose" in line
    assert not (tmp_path / "x.csv").exists()
    no_verb = studio_desk("plan", "--db", workspace, cwd=tmp_path)
    assert no_verb.returncode == 2 and "Traceback" not in no_verb.stderr
