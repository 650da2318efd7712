"""Reading files where a project is known by its client and its name (issue 11, item 5):
the same project name under two clients is two projects; under one client, twice, it is a
duplicate whose message names both rows."""

from __future__ import annotations

import pytest

from studio_desk.core import fields as F
from studio_desk.core.csvio import CsvProblems, parse_csv_text
from studio_desk.core.errors import ValidationError


def test_one_project_name_under_two_clients_is_two_rows() -> None:
    table = parse_csv_text("client,name\nAcme Foods,Website rebuild\n"
                           "Borealis Bank,Website rebuild\n", "projects", "projects.csv")
    assert [(r.row, r.values["client"], r.values["name"]) for r in table.rows] == [
        (2, "Acme Foods", "Website rebuild"), (3, "Borealis Bank", "Website rebuild")]


@pytest.mark.parametrize(("first", "second"), [
    ("Acme Foods,Website rebuild", "Acme Foods,Website rebuild"),
    ("Acme Foods,Website rebuild", "ACME  foods,website REBUILD"),
    ("Caf\u00e9 Lumi\u00e8re,R\u00e9novation", "Cafe\u0301 Lumie\u0300re,Re\u0301novation"),
])
def test_one_clients_project_twice_is_refused_naming_both_rows(first: str,
                                                               second: str) -> None:
    text = f"client,name,code\n{first},A-1\nBorealis Bank,Website rebuild,B-1\n{second},A-2\n"
    with pytest.raises(CsvProblems) as caught:
        parse_csv_text(text, "projects", "projects.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (4, "name")
    client, name = second.split(",")
    assert str(caught.value) == (f"projects.csv, row 4, column name: {client}’s project "
                                 f"“{name}” appears twice in the file, in rows 2 and 4.")


def test_people_and_clients_are_still_unique_by_name_alone() -> None:
    with pytest.raises(CsvProblems, match=r"The name “acme” appears twice in the file, in "
                                          r"rows 2 and 3\."):
        parse_csv_text("name\nAcme\nacme\n", "clients", "clients.csv")


def test_a_production_manager_row_may_leave_its_client_to_the_project_name() -> None:
    table = parse_csv_text("project,role,person\nWeb shop,pm,Ana Ruiz\n", "assignments",
                           "pm.csv")
    assert table.rows[0].values == {"project": "Web shop", "role": "production_manager",
                                    "person": "Ana Ruiz"}
    assert F.validate(F.ASSIGNMENT, table.rows[0].values)["client"] is None


def test_the_same_project_twice_without_client_is_refused_naming_both_rows() -> None:
    with pytest.raises(CsvProblems) as caught:
        parse_csv_text("project,role,person\nWeb shop,pm,Ana Ruiz\nweb SHOP,pm,Ben Ode\n",
                       "assignments", "pm.csv")
    assert str(caught.value) == (
        "pm.csv, row 3, column project: The Production Manager of the project “web SHOP” "
        "appears twice in the file, in rows 2 and 3.")


def test_an_account_manager_needs_its_client() -> None:
    with pytest.raises(ValidationError) as caught:
        F.validate(F.ASSIGNMENT, {"role": "am", "person": "Ana Ruiz"})
    assert caught.value.problems == {
        "client": "An account_manager row needs the client it is for."}
