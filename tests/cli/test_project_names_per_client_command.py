"""Project names per client from the command line (issue 11, item 5): two clients'
"Website rebuild" import, export and import back; a file that names the shared name
without a client, or one client's project twice, is refused in one line naming the file,
row and column, and the workspace is left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import ok, one_line_error, rows_of, studio_desk

FILES = {
    "people": "name\nAna Ruiz\nBen Ode\n",
    "clients": "name\nAcme Foods\nBorealis Bank\n",
    "projects": "client,name,code,manager\n"
                "Acme Foods,Website rebuild,ACM-09,Ben Ode\n"
                "Borealis Bank,Website rebuild,BOR-09,\n"
                "Borealis Bank,Annual report,BOR-01,Ana Ruiz\n",
}


@pytest.fixture
def studio(tmp_path: Path) -> Path:
    """A folder with ``w.studiodesk``, where two clients each have a Website rebuild."""
    for kind, text in FILES.items():
        (tmp_path / f"{kind}.csv").write_text(text, encoding="utf-8")
        ok(studio_desk("import", kind, f"{kind}.csv", "--db", "w.studiodesk", cwd=tmp_path))
    return tmp_path


def test_two_clients_each_with_a_website_rebuild_export_and_import_back(
        studio: Path) -> None:
    ok(studio_desk("export", "projects", "out.csv", "--db", "w.studiodesk", cwd=studio))
    rows = [(r["client"], r["name"], r["code"], r["manager"])
            for r in rows_of(studio / "out.csv")]
    assert sorted(rows) == [("Acme Foods", "Website rebuild", "ACM-09", "Ben Ode"),
                            ("Borealis Bank", "Annual report", "BOR-01", "Ana Ruiz"),
                            ("Borealis Bank", "Website rebuild", "BOR-09", "")]
    before = (studio / "w.studiodesk").read_bytes()
    assert ok(studio_desk("import", "projects", "out.csv", "--db", "w.studiodesk",
                          cwd=studio)) == "out.csv: 0 added, 0 updated, 3 unchanged."
    assert (studio / "w.studiodesk").read_bytes() == before

    # The same files build a new workspace with the same projects.
    for kind in ("people", "clients"):
        ok(studio_desk("export", kind, f"{kind}-out.csv", "--db", "w.studiodesk",
                       cwd=studio))
        ok(studio_desk("import", kind, f"{kind}-out.csv", "--db", "copy.studiodesk",
                       cwd=studio))
    assert ok(studio_desk("import", "projects", "out.csv", "--db", "copy.studiodesk",
                          cwd=studio)) == "out.csv: 3 added, 0 updated, 0 unchanged."
    ok(studio_desk("export", "projects", "copy.csv", "--db", "copy.studiodesk", cwd=studio))
    assert rows_of(studio / "copy.csv") == rows_of(studio / "out.csv")


def test_one_clients_project_twice_is_refused_naming_both_rows(studio: Path) -> None:
    (studio / "more.csv").write_text(
        "client,name\nAcme Foods,Launch film\nBorealis Bank,Launch film\n"
        "acme foods,LAUNCH film\n", encoding="utf-8")
    before = (studio / "w.studiodesk").read_bytes()
    line = one_line_error(studio_desk("import", "projects", "more.csv", "--db",
                                      "w.studiodesk", cwd=studio))
    assert line == ("studio-desk: error: more.csv, row 4, column name: acme foods’s project "
                    "“LAUNCH film” appears twice in the file, in rows 2 and 4.")
    assert (studio / "w.studiodesk").read_bytes() == before


def test_an_assignments_file_naming_the_shared_name_without_client_is_refused(
        studio: Path) -> None:
    (studio / "pm.csv").write_text(
        "project,role,person\nAnnual report,pm,Ben Ode\nWebsite rebuild,pm,Ana Ruiz\n",
        encoding="utf-8")
    before = (studio / "w.studiodesk").read_bytes()
    line = one_line_error(studio_desk("import", "assignments", "pm.csv", "--db",
                                      "w.studiodesk", cwd=studio))
    assert line == (
        "studio-desk: error: pm.csv, row 3, column project: “Website rebuild” is the name "
        "of a project of Acme Foods and Borealis Bank, and the row names no client to say "
        "which; fill in its client (add a client column if the file has none).")
    assert (studio / "w.studiodesk").read_bytes() == before

    # Naming the client settles it; the unshared name needs none.
    (studio / "pm.csv").write_text(
        "project,client,role,person\nAnnual report,,pm,Ben Ode\n"
        "Website rebuild,Borealis Bank,pm,Ana Ruiz\n", encoding="utf-8")
    assert ok(studio_desk("import", "assignments", "pm.csv", "--db", "w.studiodesk",
                          cwd=studio)) == "pm.csv: 1 added, 1 updated, 0 unchanged."
    ok(studio_desk("export", "projects", "out.csv", "--db", "w.studiodesk", cwd=studio))
    managers = {(r["client"], r["name"]): r["manager"] for r in rows_of(studio / "out.csv")}
    assert managers == {("Acme Foods", "Website rebuild"): "Ben Ode",
                        ("Borealis Bank", "Website rebuild"): "Ana Ruiz",
                        ("Borealis Bank", "Annual report"): "Ben Ode"}
