"""Transition plans in a workspace: wizard state, proposal, overrides, schedule, apply."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from studio_desk.core import schedule as sched
from studio_desk.core.errors import (
    ConflictError,
    PlanStateError,
    ValidationError,
)
from studio_desk.store import plans, records
from studio_desk.store.engine import Workspace, open_workspace
from studio_desk.store.models import Assignment, Role

EFFECTIVE = dt.date(2026, 3, 2)
TODAY = dt.date(2026, 2, 1)


def person_id(ws: Workspace, name: str) -> int:
    with ws.read() as s:
        found = records.find_id(s, "person", name)
    assert found is not None
    return found


def client_id(ws: Workspace, name: str) -> int:
    with ws.read() as s:
        found = records.find_id(s, "client", name)
    assert found is not None
    return found


def give_account_manager(ws: Workspace, client: str, person: str, start: dt.date) -> None:
    """Record that ``person`` has been ``client``'s Account Manager since ``start``."""
    with ws.write() as s:
        role = s.scalar(select(Role.id).where(Role.key == "account_manager"))
        s.add(Assignment(role_id=role, person_id=records.find_id(s, "person", person),
                         client_id=records.find_id(s, "client", client), start=start))


def new_plan(ws: Workspace, name: str = "Spring split") -> plans.PlanRow:
    with ws.write() as s:
        return plans.create_plan(s, name, effective_date=EFFECTIVE)


def item_for(items: tuple[plans.PlanItemRow, ...] | list[plans.PlanItemRow],
             name: str) -> plans.PlanItemRow:
    return next(i for i in items if i.item_name == name)


# --------------------------------------------------------------------------- plans


def test_create_rename_and_delete_plans(workspace: Workspace) -> None:
    plan = new_plan(workspace)
    assert plan.status == "draft" and plan.current_step == "start"
    assert plan.template == "Account Manager + Production Manager"
    assert plan.created_by == "Tester"
    with workspace.write() as s, pytest.raises(ValidationError, match="already exists"):
        plans.create_plan(s, "  SPRING   split ")
    with workspace.write() as s:
        other = plans.create_plan(s, "Autumn scenario")
        renamed = plans.rename_plan(s, other.id, "Autumn, two hires")
        assert renamed.version == other.version + 1
    with workspace.read() as s:
        assert [p.name for p in plans.list_plans(s)] == ["Autumn, two hires", "Spring split"]
    with workspace.write() as s:
        plans.delete_plan(s, plan.id, plan.version)
    with workspace.read() as s:
        assert [p.name for p in plans.list_plans(s)] == ["Autumn, two hires"]


def test_wizard_resumes_where_it_was_left_after_reopening(workspace_path: Path,
                                                           workspace: Workspace) -> None:
    plan = new_plan(workspace)
    with workspace.write() as s:
        plans.save_step(s, plan.id, "responsibilities",
                        {"categories": {"Review deliverables": "project",
                                        "Invoice chasing": "client"}}, "people")
        plans.save_step(s, plan.id, "people", {"leanings": {"7": "both"}, "note": "é ✓"},
                        "inventory")
    workspace.close()

    again = open_workspace(workspace_path, who="Someone else")
    try:
        with again.read() as s:
            loaded = plans.load_plan(s, plan.id)
            split = plans.responsibility_split(s, plan.id)
        assert loaded.current_step == "inventory"
        assert loaded.step("people") == {"leanings": {"7": "both"}, "note": "é ✓"}
        assert loaded.leanings == {7: "both"}
        assert loaded.step("assign") == {}
        assert loaded.updated_by == "Tester"
        assert split == [("Review deliverables", "project"), ("Invoice chasing", "client")]
    finally:
        again.close()


def test_two_people_saving_the_same_page_conflict_but_different_pages_merge(
        workspace_path: Path, workspace: Workspace) -> None:
    plan = new_plan(workspace)
    colleague = open_workspace(workspace_path, who="Dana")
    try:
        with workspace.read() as s:
            mine_loaded = plans.load_plan(s, plan.id)
        with colleague.read() as s:
            theirs_loaded = plans.load_plan(s, plan.id)

        with colleague.write() as s:
            plans.save_step(s, plan.id, "people", {"leanings": {"1": "account_manager"}},
                            "inventory", expected_version=theirs_loaded.version)
        with workspace.write() as s, pytest.raises(ConflictError) as caught:
            plans.save_step(s, plan.id, "people", {"leanings": {"1": "production_manager"}},
                            "inventory", expected_version=mine_loaded.version)
        assert caught.value.mine == {"leanings": {"1": "production_manager"}}
        assert "Dana" in str(caught.value)
        assert caught.value.theirs.step("people") == {"leanings": {"1": "account_manager"}}

        # A different page saved from the same stale load does not clobber theirs.
        with workspace.write() as s:
            plans.save_step(s, plan.id, "responsibilities", {"categories": {}}, "people",
                            expected_version=mine_loaded.version)
        with colleague.read() as s:
            now = plans.load_plan(s, plan.id)
        assert now.step("people") == {"leanings": {"1": "account_manager"}}
        assert now.step("responsibilities") == {"categories": {}}
        assert now.updated_by == "Tester"
    finally:
        colleague.close()


# --------------------------------------------------------------------------- proposal


def test_propose_covers_every_client_and_running_project(small_studio: Workspace) -> None:
    plan = new_plan(small_studio)
    with small_studio.write() as s:
        proposal = plans.propose_plan(s, plan.id)
    rows = proposal.items
    account = [r.client for r in rows if r.role == "account_manager"]
    production = [r.project for r in rows if r.role == "production_manager"]
    assert sorted(account) == ["Acme Foods", "Borealis Bank", "Cobalt Museum"]
    # The pitch (Cobalt exhibition app) needs no Production Manager yet.
    assert sorted(production) == ["Acme spring campaign", "Acme web shop",
                                  "Borealis annual report"]
    assert proposal.unplaced_count == 0
    assert all(r.person is not None and r.reason for r in rows)
    # Existing managers are kept; Ana's strong relationship with Acme counts.
    assert item_for(rows, "Acme web shop").person == "Ben Ode"
    assert item_for(rows, "Acme web shop").reason.startswith("kept")
    assert item_for(rows, "Acme web shop").previous_person == "Ben Ode"
    assert item_for(rows, "Acme Foods").person == "Ana Ruiz"
    with small_studio.read() as s:
        stored = plans.load_plan(s, plan.id)
        assert plans.plan_items(s, plan.id) == list(rows)
    assert stored.proposal is not None and stored.proposal["unplaced"] == 0


def test_confirmed_leanings_limit_who_is_proposed_for_what(small_studio: Workspace) -> None:
    plan = new_plan(small_studio)
    ana, ben = person_id(small_studio, "Ana Ruiz"), person_id(small_studio, "Ben Ode")
    with small_studio.write() as s:
        plans.save_step(s, plan.id, "people",
                        {"leanings": {str(ana): "production_manager", str(ben): "neither"}},
                        "inventory")
        rows = plans.propose_plan(s, plan.id).items
    assert all(r.person != "Ana Ruiz" for r in rows if r.role == "account_manager")
    assert all(r.person != "Ben Ode" for r in rows)
    assert {r.person for r in rows if r.role == "account_manager"} == {"Cara Li"}


def test_an_override_is_kept_by_the_next_proposal_until_released(
        small_studio: Workspace) -> None:
    plan = new_plan(small_studio)
    cara = person_id(small_studio, "Cara Li")
    with small_studio.write() as s:
        rows = plans.propose_plan(s, plan.id).items
        web_shop = item_for(rows, "Acme web shop")
        chosen = plans.override_item(s, plan.id, web_shop.id, cara,
                                     expected_version=web_shop.version)
    assert chosen.person == "Cara Li" and chosen.overridden
    assert chosen.reason == "chosen by hand: Cara Li"
    with small_studio.write() as s:
        again = plans.propose_plan(s, plan.id).items
        assert item_for(again, "Acme web shop").person == "Cara Li"
        assert item_for(again, "Acme web shop").overridden
        released = plans.release_override(s, plan.id,
                                          item_for(again, "Acme web shop").id).items
    assert item_for(released, "Acme web shop").person == "Ben Ode"
    assert not item_for(released, "Acme web shop").overridden


def test_unplaceable_rows_name_the_gap_and_block_apply(small_studio: Workspace) -> None:
    with small_studio.write() as s:
        for row in records.list_rows(s, "person"):
            records.update_record(s, "person", row.id, row.version, {"max_clients": 0})
    plan = new_plan(small_studio)
    with small_studio.write() as s:
        proposal = plans.propose_plan(s, plan.id)
    assert proposal.unplaced_count == 3
    assert proposal.shortfall["clients"] == 3
    acme = item_for(proposal.items, "Acme Foods")
    assert acme.person is None and acme.unplaced
    assert acme.gap and "3 client slots short" in acme.gap
    with small_studio.read() as s:
        export = plans.plan_rows_for_export(s, plan.id)
    acme_row = next(r for r in export if r["client"] == "Acme Foods" and not r["project"])
    assert acme_row["person"] == "" and "short" in acme_row["reason"]
    with small_studio.write() as s, pytest.raises(PlanStateError, match="3 rows"):
        plans.apply_plan(s, plan.id)

    # Leaving a row empty on purpose is a decision, not a gap.
    with small_studio.write() as s:
        for item in plans.plan_items(s, plan.id):
            if item.unplaced:
                plans.override_item(s, plan.id, item.id, None)
        plans.apply_plan(s, plan.id)


# --------------------------------------------------------------------------- schedule


def test_schedule_stores_one_conversation_per_client(small_studio: Workspace) -> None:
    give_account_manager(small_studio, "Borealis Bank", "Ben Ode", dt.date(2024, 5, 1))
    plan = new_plan(small_studio)
    ana = person_id(small_studio, "Ana Ruiz")
    with small_studio.write() as s:
        rows = plans.propose_plan(s, plan.id).items
        plans.override_item(s, plan.id, item_for(rows, "Borealis Bank").id, ana)
        result = plans.schedule_plan(s, plan.id, today=TODAY, max_per_day=1)
    assert result.fits, result.message
    talks = {c.client: c for c in result.conversations}
    assert set(talks) == {"Acme Foods", "Borealis Bank", "Cobalt Museum"}
    for c in talks.values():
        assert c.on_date is not None and result.window_start <= c.on_date < EFFECTIVE
        assert c.status == "planned"
        assert c.client in c.talking_points
    borealis = talks["Borealis Bank"]
    assert (borealis.handover_from, borealis.handover_to) == ("Ben Ode", "Ana Ruiz")
    assert borealis.handover_on is not None and borealis.handover_on < borealis.on_date
    with small_studio.read() as s:
        saved = plans.load_plan(s, plan.id).step("tell_clients")
        assert plans.plan_progress(s, plan.id) == (0, 0, 3)
        export = plans.plan_rows_for_export(s, plan.id)
    assert saved["max_per_day"] == 1 and saved["fits"] is True
    assert list(export[0]) == list(plans.PLAN_EXPORT_COLUMNS)
    borealis_row = next(r for r in export if r["client"] == "Borealis Bank"
                        and r["role"] == "account_manager")
    assert borealis_row["previous_person"] == "Ben Ode"
    assert borealis_row["inform_by"] == borealis.informer
    assert borealis_row["inform_on"] == borealis.on_date.isoformat()
    assert all(r["inform_by"] == "" for r in export if r["role"] == "production_manager")
    # Ben tells Borealis and introduces Ana, the day after at the earliest of their handover.
    assert (borealis_row["introduces"], borealis_row["handover_on"]) == (
        "Ana Ruiz" if borealis.informer != "Ana Ruiz" else "",
        borealis.handover_on.isoformat())
    with small_studio.write() as s, pytest.raises(ValidationError) as refused:
        plans.update_conversation(s, borealis.id, borealis.version,
                                  on_date=borealis.handover_on)
    assert refused.value.problems["on_date"] == (
        "Tell Borealis Bank after Ben Ode's handover to Ana Ruiz on "
        f"{sched.long_date(borealis.handover_on)}, or make the schedule again to move both.")


def test_an_edited_template_is_used_and_kept(small_studio: Workspace) -> None:
    plan = new_plan(small_studio)
    with small_studio.write() as s:
        plans.propose_plan(s, plan.id)
        text = "Hello {client}: call {account_manager}. {oops}"
        # One text for every outcome (each outcome has its own template).
        plans.schedule_plan(s, plan.id, today=TODAY, template=text,
                            templates=dict.fromkeys(sched.OUTCOMES, text))
        again = plans.schedule_plan(s, plan.id, today=TODAY)
    acme = next(c for c in again.conversations if c.client == "Acme Foods")
    assert acme.talking_points == "Hello Acme Foods: call Ana Ruiz. {oops}"


# --------------------------------------------------------------------------- apply


def test_apply_changes_assignments_and_keeps_history(small_studio: Workspace) -> None:
    give_account_manager(small_studio, "Acme Foods", "Ben Ode", dt.date(2025, 1, 6))
    plan = new_plan(small_studio)
    ana, cara = person_id(small_studio, "Ana Ruiz"), person_id(small_studio, "Cara Li")
    with small_studio.write() as s:
        rows = plans.propose_plan(s, plan.id).items
        plans.override_item(s, plan.id, item_for(rows, "Acme Foods").id, ana)
        plans.override_item(s, plan.id, item_for(rows, "Acme web shop").id, cara)
        plans.schedule_plan(s, plan.id, today=TODAY)
        reviewed = plans.load_plan(s, plan.id)
        before, after = plans.capacity_before_after(s, plan.id)
        planned = plans.plan_items(s, plan.id)
    assert {c.person: c.active_projects for c in before}["Ben Ode"] == 1
    assert {c.person: c.clients for c in before} == {"Ana Ruiz": 0, "Ben Ode": 1,
                                                     "Cara Li": 0}
    # The web shop goes to Cara by hand; Ana now looks after the clients, so her annual
    # report moves to the production side: to Ben, the dedicated Production Manager.
    assert {c.person: c.active_projects for c in after}["Ben Ode"] == 1
    assert {c.person: c.active_projects for c in after}["Cara Li"] == 1
    assert {c.person: c.active_projects for c in after}["Ana Ruiz"] == 0
    for c in after:
        assert c.clients == sum(1 for i in planned
                                if i.role == "account_manager" and i.person == c.person)

    with small_studio.write() as s:
        applied = plans.apply_plan(s, plan.id, expected_version=reviewed.version)
    assert applied.plan.status == "applied" and applied.plan.applied_by == "Tester"
    # Three new AMs (one replacing Ben), the web shop, and Ana's two projects: she now
    # looks after the clients, so her project work moves to the production side.
    assert applied.changed == 6
    assert applied.unchanged == 0

    with small_studio.read() as s:
        history = s.execute(
            select(Role.key, Assignment.person_id, Assignment.client_id,
                   Assignment.project_id, Assignment.start, Assignment.end)
            .join(Role, Role.id == Assignment.role_id)).all()
        projects = {p.name: p.manager for p in records.list_rows(s, "project")}
    ben = person_id(small_studio, "Ben Ode")
    acme = client_id(small_studio, "Acme Foods")
    with small_studio.read() as s:
        web_shop = records.find_id(s, "project", "Acme web shop")
    day_before = EFFECTIVE - dt.timedelta(days=1)
    # Ben's Acme assignment is ended the day before; Ana's starts on the effective date.
    assert ("account_manager", ben, acme, None, dt.date(2025, 1, 6), day_before) in history
    assert ("account_manager", ana, acme, None, EFFECTIVE, None) in history
    # The web shop was Ben's on the project only: history gets his closed assignment.
    assert ("production_manager", ben, None, web_shop, dt.date(2026, 1, 5),
            day_before) in history
    assert ("production_manager", cara, None, web_shop, EFFECTIVE, None) in history
    assert projects["Acme web shop"] == "Cara Li"
    assert projects["Borealis annual report"] == "Ben Ode"
    assert projects["Cobalt exhibition app"] is None  # a pitch: not in the plan

    with small_studio.write() as s, pytest.raises(PlanStateError, match="already been"):
        plans.apply_plan(s, plan.id)
    with small_studio.write() as s, pytest.raises(PlanStateError):
        plans.propose_plan(s, plan.id)


def test_progress_is_counted_and_a_fully_settled_plan_is_done(small_studio: Workspace) -> None:
    plan = new_plan(small_studio)
    with small_studio.write() as s:
        plans.propose_plan(s, plan.id)
        plans.schedule_plan(s, plan.id, today=TODAY)
        plans.apply_plan(s, plan.id)
        talks = plans.plan_conversations(s, plan.id)
        plans.set_conversation_status(s, talks[0].id, "informed")
        plans.set_conversation_status(s, talks[1].id, "settled")
        assert plans.plan_progress(s, plan.id) == (2, 1, 3)
        assert plans.load_plan(s, plan.id).status == "applied"
        for talk in talks:
            plans.set_conversation_status(s, talk.id, "settled")
        assert plans.plan_progress(s, plan.id) == (3, 3, 3)
        assert plans.load_plan(s, plan.id).status == "done"
        plans.set_conversation_status(s, talks[2].id, "informed")
        assert plans.load_plan(s, plan.id).status == "applied"
        with pytest.raises(ValidationError):
            plans.set_conversation_status(s, talks[2].id, "forgotten")


def test_apply_refuses_a_plan_changed_since_it_was_reviewed(small_studio: Workspace) -> None:
    plan = new_plan(small_studio)
    with small_studio.write() as s:
        plans.propose_plan(s, plan.id)
        reviewed = plans.load_plan(s, plan.id)
        plans.save_step(s, plan.id, "review", {"note": "one more look"}, "review")
    with small_studio.write() as s, pytest.raises(ConflictError, match="review it again"):
        plans.apply_plan(s, plan.id, expected_version=reviewed.version)
    with small_studio.read() as s:
        assert plans.load_plan(s, plan.id).status == "draft"


def test_apply_refuses_when_the_workspace_moved_on(small_studio: Workspace) -> None:
    plan = new_plan(small_studio)
    with small_studio.write() as s:
        plans.propose_plan(s, plan.id)
        records.add_record(s, "client", {"name": "Dune Records"})
    with small_studio.write() as s, pytest.raises(PlanStateError, match="Dune Records"):
        plans.apply_plan(s, plan.id)
    with small_studio.write() as s:
        web = records.get_row(s, "project", records.find_id(s, "project", "Acme web shop"))
        records.update_record(s, "project", web.id, web.version, {"manager": "Cara Li"})
        plans.propose_plan(s, plan.id)
        plans.apply_plan(s, plan.id)
        assert plans.load_plan(s, plan.id).status == "applied"


def test_a_plan_needs_a_date_and_a_proposal_before_scheduling(small_studio: Workspace) -> None:
    with small_studio.write() as s:
        plan = plans.create_plan(s, "No date")
        with pytest.raises(PlanStateError, match="effective date"):
            plans.schedule_plan(s, plan.id, today=TODAY)
        plans.update_plan(s, plan.id, effective_date=EFFECTIVE)
        with pytest.raises(PlanStateError, match="no proposal"):
            plans.schedule_plan(s, plan.id, today=TODAY)


# --------------------------------------------------------------------------- catalog, templates


def test_a_new_workspace_has_the_default_catalog_to_edit(workspace: Workspace) -> None:
    with workspace.read() as s:
        items = plans.list_responsibilities(s)
        assert plans.responsibility_balance(s).text == (
            "6 client-focused, 8 project-focused, 0 shared")
    assert items[0].category == "client" and items[-1].category == "project"
    review = next(i for i in items if i.name == "Review deliverables")
    with workspace.write() as s:
        added = plans.add_responsibility(s, "Chase invoices", "client")
        moved = plans.update_responsibility(s, review.id, review.version, category="shared")
        with pytest.raises(ValidationError, match="already in the catalog"):
            plans.add_responsibility(s, "review DELIVERABLES")
        with pytest.raises(ConflictError):
            plans.update_responsibility(s, review.id, review.version, name="Old view")
        removed = plans.delete_responsibility(s, added.id, added.version)
    assert moved.category == "shared"
    with workspace.read() as s:
        assert plans.responsibility_balance(s).text == (
            "6 client-focused, 7 project-focused, 1 shared")
    with workspace.write() as s:
        back = plans.restore_responsibility(s, removed)
        plans.order_responsibilities(s, [back.id])
        assert plans.list_responsibilities(s)[0].name == "Chase invoices"


def test_builtin_templates_are_read_only_and_copies_are_editable(workspace: Workspace) -> None:
    from studio_desk.core import catalog

    with workspace.read() as s:
        templates = plans.list_templates(s)
    assert [t.template.key for t in templates] == [t.key for t in catalog.BUILTIN_TEMPLATES]
    large = next(t for t in templates if t.template.key == "large_agency")
    assert large.template == catalog.LARGE_AGENCY
    with workspace.write() as s:
        with pytest.raises(PlanStateError, match="cannot be changed"):
            plans.save_template(s, large.id, large.version, large.template)
        with pytest.raises(PlanStateError, match="cannot be removed"):
            plans.delete_template(s, large.id, large.version)
        copy = plans.copy_template(s, large.id)
        second = plans.copy_template(s, large.id)
    assert copy.name == "Large agency (copy)" and second.name == "Large agency (copy 2)"
    assert not copy.builtin and copy.template.key is None
    edited = catalog.set_cell(copy.template, "Technical audit", "Project Manager", "C")
    edited = catalog.add_activity(edited, "Accessibility check")
    with workspace.write() as s:
        saved = plans.save_template(s, copy.id, copy.version, edited)
        with pytest.raises(ConflictError):
            plans.save_template(s, copy.id, copy.version, edited)
    with workspace.read() as s:
        reread = plans.get_template(s, copy.id)
    assert reread.version == saved.version == copy.version + 1
    assert reread.template.cell("Technical audit", "Project Manager") == "C"
    assert reread.template.activities[-1] == "Accessibility check"
    with workspace.write() as s:
        plans.delete_template(s, second.id, second.version)
        assert len(plans.list_templates(s)) == len(catalog.BUILTIN_TEMPLATES) + 1


def test_capacity_before_and_after_read_the_same_once_the_plan_is_applied(
        small_studio: Workspace) -> None:
    """Applying makes the workspace hold the plan; "before" must still be the load the
    studio had when the plan was made, not today's (which is now "after")."""
    give_account_manager(small_studio, "Acme Foods", "Ben Ode", dt.date(2025, 1, 6))
    plan = new_plan(small_studio)
    cara = person_id(small_studio, "Cara Li")
    with small_studio.write() as s:
        rows = plans.propose_plan(s, plan.id).items
        plans.override_item(s, plan.id, item_for(rows, "Acme web shop").id, cara)
        plans.schedule_plan(s, plan.id, today=TODAY)
        drafted = plans.capacity_before_after(s, plan.id)
        plans.apply_plan(s, plan.id)
    with small_studio.read() as s:
        applied = plans.capacity_before_after(s, plan.id)
    assert applied == drafted
    assert drafted[0] != drafted[1]  # the plan did move work between people
