"""The default responsibility catalog and the team-structure templates."""

from __future__ import annotations

import pytest

from studio_desk.core import catalog
from studio_desk.core.rules import name_key


def test_default_catalog_splits_six_client_and_eight_project_items() -> None:
    items = catalog.DEFAULT_RESPONSIBILITIES
    assert catalog.balance(i.category for i in items) == catalog.Balance(6, 8, 0)
    assert len({name_key(i.name) for i in items}) == len(items)
    assert all(i.category in catalog.CATEGORIES for i in items)
    # Client work first, as the wizard lists it.
    assert [i.category for i in items] == ["client"] * 6 + ["project"] * 8


def test_balance_reads_out_all_three_categories() -> None:
    split = catalog.balance(["client", "project", "project", "shared"])
    assert (split.client, split.project, split.shared, split.total) == (1, 2, 1, 4)
    assert split.text == "1 client-focused, 2 project-focused, 1 shared"
    with pytest.raises(ValueError):
        catalog.balance(["client", "sales"])


def test_builtin_templates_are_read_only_tidy_and_uniquely_named() -> None:
    templates = catalog.BUILTIN_TEMPLATES
    assert len(templates) == 7
    assert len({t.key for t in templates}) == 7
    assert len({name_key(t.name) for t in templates}) == 7
    for template in templates:
        assert template.builtin
        # Every activity has exactly one owner and someone who does it.
        assert template.problems() == (), template.name
        assert template.description


def test_the_three_general_structures_grow_one_role_at_a_time() -> None:
    alone = catalog.builtin_template("integrated_producer")
    pair = catalog.builtin_template("producer_project_manager")
    trio = catalog.builtin_template("producer_pm_tech_lead")
    assert alone.roles == ("Integrated Producer",)
    assert pair.roles == ("Integrated Producer", "Project Manager")
    assert trio.roles[2] == "Technical Lead / Scrum Master"
    # Alone, the producer does everything; with a project manager, the day-to-day work
    # and the allocation of people move to the project manager.
    assert alone.activities_of("Integrated Producer") == alone.activities
    for activity in ("Run the day-to-day work", "Allocate people to the work"):
        assert pair.cell(activity, "Project Manager") == "RA"
        assert pair.cell(activity, "Integrated Producer") in ("C", "I")
    assert trio.cell("Oversee development", "Technical Lead / Scrum Master") == "RA"
    assert pair.cell("Write the scope of work (SOW)", "Integrated Producer") == "RA"


def test_large_agency_roles_do_what_the_breakdown_lists() -> None:
    large = catalog.builtin_template("large_agency")
    assert large.roles == ("Integrated Producer", "Head of Technology", "Project Manager")
    assert large.activities_of("Head of Technology", "R") == (
        "Client kick-off", "Production kick-off", "Review the SOW and estimate",
        "Technical audit", "Manage development", "Manage technology partners",
        "Production review and QA")
    assert large.activities_of("Project Manager", "R") == (
        "Client kick-off", "Production kick-off", "Prepare the estimate",
        "Allocate people to the work", "Keep the schedule", "Carry the project through",
        "Production review and QA")
    assert large.activities_of("Integrated Producer", "R") == (
        "Client kick-off", "Production kick-off", "Write the scope of work (SOW)",
        "Choose production methods", "Find production partners",
        "Manage production partners", "Production review and QA")


def test_digital_agency_scrum_master_runs_backlog_and_scrums_not_client_kickoff() -> None:
    digital = catalog.builtin_template("digital_agency")
    assert digital.roles == ("Integrated Producer", "Tech & Creative Leads", "Scrum Master")
    assert digital.activities_of("Scrum Master", "R") == (
        "Production kick-off", "Size the work in story points for the SOW",
        "Keep the backlog", "Run the scrums", "Carry the project through",
        "Production review and QA")
    assert "R" not in digital.cell("Client kick-off", "Scrum Master")


def test_team_based_studio_has_producer_and_team() -> None:
    team = catalog.builtin_template("team_based")
    assert team.roles == ("Integrated Producer", "Team")
    assert team.activities_of("Team", "R") == (
        "Client kick-off", "Production kick-off", "Size the work in story points for the SOW",
        "Audits", "Carry out the work", "Production review and QA")
    assert team.cell("Manage partners", "Integrated Producer") == "RA"


def test_account_production_matrix_follows_the_categories() -> None:
    target = catalog.builtin_template(catalog.ACCOUNT_PRODUCTION_KEY)
    assert target.role_keys == ("account_manager", "production_manager")
    assert target.activities == tuple(i.name for i in catalog.DEFAULT_RESPONSIBILITIES)
    for item in catalog.DEFAULT_RESPONSIBILITIES:
        am = target.cell(item.name, "Account Manager")
        pm = target.cell(item.name, "Production Manager")
        assert (am, pm) == (("RA", "I") if item.category == "client" else ("I", "RA"))

    own = catalog.account_production_template(
        [("Weekly status email", "shared"), ("Invoice chasing", "client")])
    assert own.cell("Weekly status email", "Production Manager") == "R"
    assert own.cell("Weekly status email", "Account Manager") == "RA"
    assert own.activities_of("Production Manager") == ("Weekly status email",)
    with pytest.raises(ValueError):
        catalog.account_production_template([("Odd", "sales")])


def test_a_copy_is_editable_and_the_builtin_stays_as_it_was() -> None:
    large = catalog.builtin_template("large_agency")
    mine = catalog.copy_template(large)
    assert mine.name == "Large agency (copy)"
    assert not mine.builtin and mine.key is None
    with pytest.raises(ValueError, match="read-only"):
        catalog.set_cell(large, "Technical audit", "Project Manager", "R")

    changed = catalog.set_cell(mine, "Technical audit", "Project Manager", " a/r ")
    assert changed.cell("Technical audit", "Project Manager") == "RA"
    assert large.cell("Technical audit", "Project Manager") == "I"
    assert changed.problems() == ("2 roles are accountable for “Technical audit”; "
                                  "one owner is clearer.",)


def test_adding_and_removing_rows_and_columns_keeps_the_matrix_square() -> None:
    mine = catalog.copy_template(catalog.builtin_template("team_based"), "Our studio")
    mine = catalog.add_role(mine, "Account Manager")
    mine = catalog.add_activity(mine, "Quarterly review")
    assert mine.roles[-1] == "Account Manager"
    assert all(len(row) == 3 for row in mine.cells)
    assert mine.cell("Quarterly review", "Team") == ""
    with pytest.raises(ValueError, match="already has"):
        catalog.add_activity(mine, "  quarterly   REVIEW ")
    mine = catalog.rename(mine, role=("Team", "Makers"), activity=("Audits", "Checks"))
    assert mine.cell("Checks", "Makers") == "RA"
    mine = catalog.remove_role(mine, "Integrated Producer")
    mine = catalog.remove_activity(mine, "Quarterly review")
    assert mine.roles == ("Makers", "Account Manager")
    assert len(mine.cells) == len(mine.activities) == 9
    assert all(len(row) == 2 for row in mine.cells)


def test_cells_take_only_raci_letters() -> None:
    assert catalog.normalise_cell("ar") == "RA"
    assert catalog.normalise_cell("I, C") == "CI"
    assert catalog.normalise_cell("") == ""
    assert catalog.format_cell("RA") == "R/A"
    with pytest.raises(ValueError, match="only the letters"):
        catalog.normalise_cell("X")
    with pytest.raises(ValueError):
        catalog.TeamTemplate("Bad", ("A",), ("x",), (("AR",),))
