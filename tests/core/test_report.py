"""What the printed plan says, section by section, from a plan's facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from studio_desk.core import catalog
from studio_desk.core import report as R
from studio_desk.core.capacity import Capacity

EFFECTIVE = dt.date(2026, 4, 6)  # a Monday


def _capacity(person: str, clients: int, active: int = 2, hours: float = 20.0) -> Capacity:
    return Capacity(person=person, active_projects=active, max_active_projects=6,
                    backburner_projects=1, max_backburner_projects=15, clients=clients,
                    max_clients=12, weekly_hours=40.0, allocated_hours=hours)


def facts(**changes: object) -> R.PlanFacts:
    """A small plan: Ana takes Acme over from Ben; Borealis stays with Ben; one project
    could not be placed."""
    values: dict[str, object] = dict(
        studio="North Studio", plan="Spring split", status="draft",
        printed_on=dt.date(2026, 3, 2), owner="Olivia Owner", effective_date=EFFECTIVE,
        items=(
            R.ItemFact("account_manager", "<b>Acme</b> & Co", None, "Ana Ruiz", "Ben Ode",
                       "kept: Ana Ruiz has a strong relationship"),
            R.ItemFact("production_manager", "<b>Acme</b> & Co", "Web shop", "Ben Ode",
                       "Ben Ode", "Ben Ode: head-down 5"),
            R.ItemFact("production_manager", "<b>Acme</b> & Co", "Spring campaign",
                       "Cara Li", "Ana Ruiz", "Cara Li: balanced"),
            R.ItemFact("production_manager", "<b>Acme</b> & Co", "Catalogue", "Ben Ode",
                       None, "Ben Ode: head-down 5"),
            R.ItemFact("account_manager", "Borealis Bank", None, "Ben Ode", "Ben Ode",
                       "kept"),
            R.ItemFact("production_manager", "Borealis Bank", "Annual report", None,
                       "Ana Ruiz", "", gap="No Production Manager has room for another active "
                       "project; the studio is 1 active-project slot short."),
        ),
        conversations=(
            R.ConversationFact("Borealis Bank", "Ben Ode", "call", dt.date(2026, 3, 24),
                               "informed", "Why the change\nBorealis text"),
            R.ConversationFact("<b>Acme</b> & Co", "Ben Ode", "meeting",
                               dt.date(2026, 3, 17), "planned",
                               "Why the change\nWe split the job.\n\nWho to call for what\n"
                               "- Goals: Ana Ruiz\n- Progress: Ben Ode",
                               handover_from="Ben Ode", handover_to="Ana Ruiz",
                               handover_on=dt.date(2026, 3, 16)),
        ),
        clients=(R.ClientFact("<b>Acme</b> & Co", "Food", "Dora Diaz", "dora@acme.test"),
                 R.ClientFact("Borealis Bank", "Finance")),
        people=(R.PersonFact("Ana Ruiz", "Producer"), R.PersonFact("Ben Ode", "Developer"),
                R.PersonFact("Cara Li", "Designer"), R.PersonFact("Dan Idle", "Intern")),
        capacity_before=(_capacity("Ben Ode", 2), _capacity("Ana Ruiz", 0)),
        capacity_after=(_capacity("Ben Ode", 1), _capacity("Ana Ruiz", 1, active=7)),
        responsibilities=(("Answer calls", "client"), ("Review deliverables", "project"),
                          ("Budgets", "shared")),
        talking_points="Why the change\nFrom {effective_date}, {client} gets "
                       "{account_manager} at {studio}.\n\nWho to call for what\n"
                       "- Anything: {account_manager}\n- Typo stays: {acount_manager}",
        shortfall={"clients": 0.0, "active projects": 1.0, "hours": 12.5},
    )
    values.update(changes)
    return R.PlanFacts(**values)  # type: ignore[arg-type]


def test_section_names_read_from_the_command_line_in_print_order():
    assert R.section_keys("calendar, Clients,talking-points") == (
        "clients", "calendar", "talking_points")
    with pytest.raises(ValueError, match="unknown section bogus"):
        R.section_keys("clients,bogus")
    with pytest.raises(ValueError, match="at least one"):
        R.section_keys(" , ")


def test_only_the_sections_asked_for_are_made():
    plan = R.build_report(facts(), ("clients", "cover"))
    assert plan.sections == ("cover", "clients")
    assert plan.cover is not None and plan.clients is not None
    assert plan.summary is None and plan.calendar is None and plan.briefs == ()


def test_cover_names_studio_plan_owner_and_dates():
    cover = R.build_report(facts()).cover
    assert cover == R.Cover(studio="North Studio", plan="Spring split", status="Draft",
                            printed_on="Monday 2 March 2026", owner="Olivia Owner",
                            effective_date="Monday 6 April 2026",
                            structure="Account Manager + Production Manager")


def test_summary_counts_what_changes_hands_and_what_could_not_be_placed():
    summary = R.build_report(facts()).summary
    assert summary is not None
    figures = {f.label: f.value for f in summary.figures}
    assert figures["Clients, each with an Account Manager"] == "2"
    assert figures["Account Manager roles changing hands"] == "1 of 2"
    # The catalogue had no manager before: it changes hands too (to Ben).
    assert figures["Production Manager roles changing hands"] == "2 of 4"
    assert figures["Roles staying with the same person"] == "2"
    assert figures["Roles no one could take on yet"] == "1"
    assert figures["Client conversations scheduled"] == "2 of 2, Tue 17 Mar to Tue 24 Mar"
    assert figures["Clients informed so far"] == "1 of 2"
    assert summary.unplaced == (("Annual report (Borealis Bank)", "No Production Manager "
                                 "has room for another active project; the studio is 1 "
                                 "active-project slot short."),)
    assert "short of 1 active project and 12.5 hours" in summary.schedule_note
    assert "2 clients and 4 projects" in summary.lead


def test_the_summary_says_what_the_split_would_take_per_role() -> None:
    advice = ("1 active project still needs a Production Manager: raise Ben Ode's "
              "Production Manager limit to 7 active projects, or hire one.")
    summary = R.build_report(replace(facts(), advice=(advice,))).summary
    assert summary is not None
    assert advice in summary.schedule_note
    assert "short of 1 active project" not in summary.schedule_note


def test_a_plan_without_a_proposal_says_so():
    summary = R.build_report(facts(items=(), conversations=())).summary
    assert summary is not None and "no proposal yet" in summary.lead


def test_responsibilities_go_to_the_role_their_category_names():
    section = R.build_report(facts()).responsibilities
    assert section is not None
    by_name = {d.name: d for _, rows in section.groups for d in rows}
    assert (by_name["Answer calls"].holder, by_name["Answer calls"].account_manager,
            by_name["Answer calls"].production_manager) == ("Account Manager", "R/A", "I")
    assert (by_name["Review deliverables"].account_manager,
            by_name["Review deliverables"].production_manager) == ("I", "R/A")
    assert by_name["Budgets"].holder.startswith("Both")
    assert [label for label, _ in section.groups] == ["Client-focused", "Project-focused",
                                                       "Shared"]
    assert section.balance == "1 client-focused, 1 project-focused, 1 shared"
    assert section.structure is None  # the AM/PM structure is the table itself


def test_another_team_structure_is_printed_as_its_matrix():
    section = R.build_report(facts(template=catalog.LARGE_AGENCY)).responsibilities
    assert section is not None and section.structure is catalog.LARGE_AGENCY


def test_roles_per_person_list_what_they_hold_take_on_and_hand_over():
    roles = {r.person: r for r in R.build_report(facts()).roles or ()}
    assert "Dan Idle" not in roles  # holds nothing, before or after
    ana, ben = roles["Ana Ruiz"], roles["Ben Ode"]
    assert ana.roles == "Account Manager" and ana.clients == ("<b>Acme</b> & Co",)
    assert ana.new_clients == {"<b>Acme</b> & Co"}
    assert ana.handing_over == ("Spring campaign (<b>Acme</b> & Co) → Cara Li",
                                "Annual report (Borealis Bank) → (to be named)")
    assert ben.roles == "Account Manager and Production Manager"
    assert ben.projects == (("<b>Acme</b> & Co", ("Web shop", "Catalogue")),)
    assert ben.new_projects == {("<b>Acme</b> & Co", "Catalogue")}
    assert ben.handing_over == ("<b>Acme</b> & Co → Ana Ruiz",)
    assert roles["Cara Li"].title == "Designer"


def test_client_table_says_who_holds_what_and_who_informs_when():
    rows = {r.client: r for r in R.build_report(facts()).clients or ()}
    acme, borealis = rows["<b>Acme</b> & Co"], rows["Borealis Bank"]
    assert (acme.account_manager, acme.production_managers, acme.previous, acme.informs,
            acme.when, acme.how, acme.status) == (
        "Ana Ruiz", "Ben Ode (2), Cara Li", "Ben Ode", "Ben Ode", "Tue 17 Mar", "meeting",
        "Planned")
    assert (borealis.previous, borealis.production_managers, borealis.status) == (
        "(same)", "(to be named)", "Informed")


def test_calendar_groups_the_conversations_by_week_with_handovers():
    calendar = R.build_report(facts()).calendar
    assert calendar is not None
    assert [w.title for w in calendar.weeks] == [
        "Week of Monday 16 March 2026 — 1 conversation",
        "Week of Monday 23 March 2026 — 1 conversation"]
    first = calendar.weeks[0].entries[0]
    assert (first.day, first.client, first.informer, first.channel) == (
        "Tue 17 Mar", "<b>Acme</b> & Co", "Ben Ode", "Meeting")
    assert first.handover == "Handover Ben Ode → Ana Ruiz, Mon 16 Mar"
    assert calendar.unscheduled == ()


def test_unscheduled_clients_are_listed_and_an_unscheduled_plan_says_so():
    late = facts().conversations[0]
    calendar = R.build_report(facts(conversations=(
        R.ConversationFact(late.client, "Ben Ode", "email", None, "planned", ""),),
        schedule_message="1 of 2 clients do not fit.")).calendar
    assert calendar is not None
    assert calendar.unscheduled == ("Borealis Bank",) and calendar.weeks == ()
    assert calendar.note == "1 of 2 clients do not fit."
    empty = R.build_report(facts(conversations=())).calendar
    assert empty is not None and "not been scheduled yet" in empty.note


def test_capacity_pairs_each_person_before_and_after():
    rows = R.build_report(facts()).capacity or ()
    assert [r.person for r in rows] == ["Ana Ruiz", "Ben Ode"]
    assert rows[0].before.clients == 0 and rows[0].after.clients == 1
    assert rows[0].over_after == ("7 active projects (limit 6)",)
    assert rows[1].over_after == ()


def test_general_talking_points_fill_what_is_common_and_bracket_the_rest():
    blocks = R.build_report(facts()).talking_points or ()
    assert blocks[0] == R.TalkingPointsBlock("heading", "Why the change")
    assert blocks[1] == R.TalkingPointsBlock(
        "paragraph", "From Monday 6 April 2026, [the client] gets [their Account Manager] "
                     "at North Studio.")
    assert blocks[2].kind == "heading"
    assert blocks[3:] == (R.TalkingPointsBlock("bullet", "Anything: [their Account Manager]"),
                          R.TalkingPointsBlock("bullet", "Typo stays: {acount_manager}"))


def test_briefs_are_one_per_client_in_the_order_they_are_told():
    briefs = R.build_report(facts(), (), client_briefs=True).briefs
    assert [b.client for b in briefs] == ["<b>Acme</b> & Co", "Borealis Bank"]
    acme = briefs[0]
    assert (acme.informer, acme.how, acme.when, acme.status) == (
        "Ben Ode", "Meeting", "Tuesday 17 March 2026", "Planned")
    assert acme.handover == ("Ben Ode hands the client over to Ana Ruiz on Monday 16 March "
                             "2026, before the conversation.")
    assert acme.contact == ("Dora Diaz", "dora@acme.test") and acme.industry == "Food"
    assert acme.projects == (("Web shop", "Ben Ode", "Ben Ode"),
                             ("Spring campaign", "Cara Li", "Ana Ruiz"),
                             ("Catalogue", "Ben Ode", "—"))
    assert [b.kind for b in acme.talking_points] == ["heading", "paragraph", "heading",
                                                     "bullet", "bullet"]


def test_a_brief_without_a_conversation_gets_the_plan_text_filled_for_its_client():
    briefs = R.build_report(facts(conversations=()), (), client_briefs=True).briefs
    acme = next(b for b in briefs if b.client == "<b>Acme</b> & Co")
    assert acme.when == "not scheduled" and acme.informer == "Ana Ruiz"
    assert acme.talking_points[1].text == ("From Monday 6 April 2026, <b>Acme</b> & Co gets "
                                           "Ana Ruiz at North Studio.")


def test_a_client_named_like_a_placeholder_is_printed_as_named():
    brace = "{account_manager} Ltd"
    items = (R.ItemFact("account_manager", brace, None, "Ana Ruiz", None),)
    plan = R.build_report(facts(items=items, conversations=()), client_briefs=True)
    assert plan.briefs[0].talking_points[1].text.startswith(
        "From Monday 6 April 2026, {account_manager} Ltd gets Ana Ruiz")


def test_short_dates_are_english_whatever_the_locale():
    assert R.short_date(dt.date(2026, 3, 17)) == "Tue 17 Mar"
    assert R.short_date(None) == ""
