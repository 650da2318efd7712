"""People, clients, projects and relationships: adding, changing, deleting and undoing.

Several tests open the same file twice, the second time as a colleague on another
computer, because that is how a small agency uses one workspace.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import insert, select

from studio_desk.core.errors import ConflictError, NotFoundError, ValidationError
from studio_desk.core.rows import ClientRow, PersonRow, ProjectRow, RelationshipRow, Row
from studio_desk.store import records
from studio_desk.store.engine import Workspace, open_workspace
from studio_desk.store.models import Assignment, Base, Client, Role

NFC = unicodedata.normalize("NFC", "Café Lumière")
NFD = unicodedata.normalize("NFD", "Café Lumière")


@pytest.fixture
def colleague(workspace: Workspace) -> Iterator[Workspace]:
    """The same workspace file, opened by someone else."""
    other = open_workspace(workspace.path, who="Ben Ode")
    yield other
    other.close()


def add(ws: Workspace, kind: str, values: dict[str, Any]) -> Row:
    with ws.write() as s:
        return records.add_record(s, kind, values)


def row(ws: Workspace, kind: str, record_id: int) -> Row:
    with ws.read() as s:
        return records.get_row(s, kind, record_id)


def rows(ws: Workspace, kind: str) -> list[Row]:
    with ws.read() as s:
        return records.list_rows(s, kind)


def raw_tables(ws: Workspace, *names: str) -> dict[str, list[dict[str, Any]]]:
    """Every column of every row of the named tables, as stored."""
    with ws.read() as s:
        return {name: [dict(r._mapping) for r in s.execute(
            select(Base.metadata.tables[name]).order_by("id"))] for name in names}


# --------------------------------------------------------------------------- every kind

# kind, values to add, what the row then holds, a change, what the change makes of it
LIFECYCLE = [
    ("person",
     {"name": "Dee Park", "weekly_hours": "30", "client_facing": 4, "active": "no"},
     {"name": "Dee Park", "weekly_hours": 30.0, "client_facing": 4, "head_down": 3,
      "max_active_projects": 6, "active": False},
     {"title": "Strategist", "max_clients": "3"},
     {"title": "Strategist", "max_clients": 3, "weekly_hours": 30.0}),
    ("client",
     {"name": "Delta Dairy", "industry": "Food", "contact_phone": "+44 20 7946 0000"},
     {"name": "Delta Dairy", "industry": "Food", "contact_phone": "+44 20 7946 0000",
      "notes": None},
     {"contact_email": "jo@delta.example", "notes": "Prefers calls\non Mondays"},
     {"contact_email": "jo@delta.example", "notes": "Prefers calls\non Mondays",
      "industry": "Food"}),
    ("project",
     {"client": "Borealis Bank", "name": "Borealis app", "status": "Back burner",
      "manager": "Cara Li", "start": "2026-04-01", "due": "2026-06-30", "budget": "9500"},
     {"client": "Borealis Bank", "name": "Borealis app", "status": "back-burner",
      "manager": "Cara Li", "start": dt.date(2026, 4, 1), "due": dt.date(2026, 6, 30),
      "budget": 9500.0, "technical_complexity": 3, "lead_type": None},
     {"manager": "Ana Ruiz", "status": "active", "lead_type": "account-led"},
     {"manager": "Ana Ruiz", "status": "active", "lead_type": "account-led",
      "client": "Borealis Bank", "due": dt.date(2026, 6, 30)}),
    ("relationship",
     {"person": "Cara Li", "client": "Cobalt Museum", "strength": "3", "since": "2024-09-01"},
     {"person": "Cara Li", "client": "Cobalt Museum", "strength": 3,
      "since": dt.date(2024, 9, 1)},
     {"strength": 1},
     {"strength": 1, "person": "Cara Li", "since": dt.date(2024, 9, 1)}),
]


@pytest.mark.parametrize(("kind", "values", "added", "change", "changed"), LIFECYCLE,
                         ids=[case[0] for case in LIFECYCLE])
def test_add_change_delete_and_undo(small_studio: Workspace, kind: str,
                                    values: dict[str, Any], added: dict[str, Any],
                                    change: dict[str, Any], changed: dict[str, Any]) -> None:
    ws = small_studio
    new = add(ws, kind, values)
    assert new.version == 1
    assert {k: getattr(new, k) for k in added} == added
    assert row(ws, kind, new.id) == new
    assert new in rows(ws, kind)

    with ws.write() as s:
        updated = records.update_record(s, kind, new.id, new.version, change)
    assert (updated.id, updated.version) == (new.id, 2)
    assert {k: getattr(updated, k) for k in changed} == changed
    untouched = set(new.values()) - set(change)
    assert {k: getattr(updated, k) for k in untouched} == {
        k: getattr(new, k) for k in untouched}
    assert row(ws, kind, new.id) == updated

    with ws.write() as s:
        removal = records.delete_record(s, kind, updated.id, updated.version)
    assert removal.row == updated
    with pytest.raises(NotFoundError, match="no longer exists"):
        row(ws, kind, new.id)
    assert all(r.id != new.id for r in rows(ws, kind))

    with ws.write() as s:
        restored = records.restore_record(s, removal)
    assert restored == updated
    assert row(ws, kind, new.id) == updated


def test_relationship_can_change_one_side_but_not_into_a_duplicate(
        small_studio: Workspace) -> None:
    ana_cobalt = add(small_studio, "relationship", {"person": "Ana Ruiz",
                                                    "client": "Cobalt Museum"})
    with small_studio.write() as s:
        moved = records.update_record(s, "relationship", ana_cobalt.id, 1,
                                      {"client": "Borealis Bank"})
    assert (moved.person, moved.client) == ("Ana Ruiz", "Borealis Bank")
    with pytest.raises(ValidationError) as caught, small_studio.write() as s:
        records.update_record(s, "relationship", moved.id, moved.version,
                              {"client": "acme foods"})
    assert caught.value.field == "client"
    assert str(caught.value) == "Ana Ruiz already has a relationship with Acme Foods."
    with pytest.raises(ValidationError, match="already has a relationship"):
        add(small_studio, "relationship", {"person": "ben ode", "client": "BOREALIS BANK"})


def test_ids_are_distinct_and_each_saved_change_moves_the_version_on(
        workspace: Workspace) -> None:
    first = add(workspace, "client", {"name": "Acme"})
    second = add(workspace, "client", {"name": "Borealis"})
    assert first.id != second.id
    current = first
    for number, industry in enumerate(("Food", "Drink", "Retail"), start=2):
        with workspace.write() as s:
            current = records.update_record(s, "client", current.id, current.version,
                                            {"industry": industry})
        assert current.version == number
    assert row(workspace, "client", second.id).version == 1


# --------------------------------------------------------------------------- names

@pytest.mark.parametrize("kind", ["person", "client"])
@pytest.mark.parametrize(("first", "second"), [
    (NFC, NFD), (NFD, NFC.upper()), ("ACME ltd", "Acme  Ltd"), ("Acme Ltd", " acme LTD ")])
def test_a_name_is_unique_after_normalising(workspace: Workspace, kind: str, first: str,
                                            second: str) -> None:
    add(workspace, kind, {"name": first})
    with pytest.raises(ValidationError) as caught:
        add(workspace, kind, {"name": second})
    assert caught.value.field == "name"
    assert "already exists" in str(caught.value)
    assert [r.name for r in rows(workspace, kind)] == [first]


def test_project_names_are_unique_within_their_client_after_normalising(
        small_studio: Workspace) -> None:
    with pytest.raises(ValidationError) as caught:
        add(small_studio, "project", {"client": "Acme Foods", "name": "ACME  web SHOP"})
    assert caught.value.field == "name"
    assert str(caught.value) == (
        "Acme Foods already has a project named “Acme web shop”, which is the same name "
        "as “ACME  web SHOP” (names are compared ignoring case and accents' form).")
    # Another client may have a project of that name (see test_project_names_per_client).
    added = add(small_studio, "project", {"client": "Cobalt Museum", "name": "ACME  web SHOP"})
    assert (added.client, added.name) == ("Cobalt Museum", "ACME  web SHOP")


def test_a_name_is_kept_exactly_as_typed(workspace: Workspace) -> None:
    added = add(workspace, "client", {"name": NFD})
    assert added.name == NFD and added.name != NFC
    with workspace.read() as s:
        assert records.find_id(s, "client", NFC) == added.id
        assert records.names(s, "client") == [NFD]


def test_renaming_into_another_records_name_is_refused(workspace: Workspace) -> None:
    add(workspace, "client", {"name": "Acme Ltd"})
    other = add(workspace, "client", {"name": "Borealis"})
    with pytest.raises(ValidationError) as caught, workspace.write() as s:
        records.update_record(s, "client", other.id, other.version, {"name": "ACME LTD"})
    assert caught.value.field == "name"
    assert row(workspace, "client", other.id).name == "Borealis"


def test_a_record_may_change_the_case_of_its_own_name(workspace: Workspace) -> None:
    acme = add(workspace, "client", {"name": "acme ltd"})
    with workspace.write() as s:
        renamed = records.update_record(s, "client", acme.id, acme.version,
                                        {"name": "Acme Ltd"})
    assert renamed.name == "Acme Ltd"


@pytest.mark.parametrize("name", [
    "شركة النور للتصميم",  # Arabic, right to left
    "סטודיו אור",  # Hebrew
    "Café 🎨 Pixel & Co 🚀",
    "👩🏽‍💻 Dev Team",  # a skin tone and a zero-width joiner in one emoji
    "עיצוב Studio 2026",  # right-to-left and left-to-right mixed
    "<b>Acme</b> & \"Sons\" 'Ltd'",
])
def test_names_in_any_script_round_trip_exactly(workspace: Workspace, name: str) -> None:
    add(workspace, "person", {"name": "Ana"})
    client = add(workspace, "client", {"name": name})
    project = add(workspace, "project", {"client": name, "name": f"{name} site",
                                         "manager": "Ana"})
    assert client.name == name
    assert (project.client, project.name) == (name, f"{name} site")
    with open_workspace(workspace.path) as again, again.read() as s:
        assert [r.name for r in records.list_rows(s, "client")] == [name]
        assert records.find_id(s, "client", name) == client.id
        assert records.get_row(s, "project", project.id) == project


def test_very_long_notes_round_trip_exactly(workspace: Workspace) -> None:
    line = "Brief: 15 sections — illustrations ✎, copy in عربى and עברית; 👍\n"
    notes = (line * (100_000 // len(line) + 1))[:100_000]
    assert len(notes) == 100_000
    client = add(workspace, "client", {"name": "Acme", "notes": notes})
    assert client.notes == notes
    with open_workspace(workspace.path) as again, again.read() as s:
        assert records.get_row(s, "client", client.id).notes == notes  # type: ignore
    with pytest.raises(ValidationError) as caught:
        add(workspace, "client", {"name": "Borealis", "notes": notes + "!"})
    assert caught.value.field == "notes"
    assert "100001 characters; at most 100000" in str(caught.value)


# --------------------------------------------------------------------------- references

def test_references_are_made_by_name_in_any_case(small_studio: Workspace) -> None:
    project = add(small_studio, "project", {"client": "  borealis BANK ", "name": "Vault",
                                            "manager": "CARA LI"})
    assert (project.client, project.manager) == ("Borealis Bank", "Cara Li")


@pytest.mark.parametrize(("kind", "values", "field", "message"), [
    ("project", {"client": "Nowhere Ltd", "name": "Ghost"}, "client",
     "There is no client named “Nowhere Ltd”."),
    ("project", {"client": "Acme Foods", "name": "Ghost", "manager": "Zed"}, "manager",
     "There is no person named “Zed”."),
    ("relationship", {"person": "Zed", "client": "Acme Foods"}, "person",
     "There is no person named “Zed”."),
    ("relationship", {"person": "Ana Ruiz", "client": "Nowhere Ltd"}, "client",
     "There is no client named “Nowhere Ltd”."),
])
def test_a_missing_reference_is_named_and_nothing_is_added(
        small_studio: Workspace, kind: str, values: dict[str, Any], field: str,
        message: str) -> None:
    with small_studio.read() as s:
        before = records.count_rows(s)
    with pytest.raises(ValidationError) as caught:
        add(small_studio, kind, values)
    assert caught.value.field == field
    assert caught.value.problems[field] == message
    with small_studio.read() as s:
        assert records.count_rows(s) == before


def test_changing_a_reference_to_a_missing_record_is_refused(
        small_studio: Workspace) -> None:
    with small_studio.read() as s:
        shop = records.get_row(s, "project", records.find_id(s, "project", "Acme web shop"))
    with pytest.raises(ValidationError) as caught, small_studio.write() as s:
        records.update_record(s, "project", shop.id, shop.version, {"manager": "Zed"})
    assert caught.value.field == "manager"
    assert row(small_studio, "project", shop.id) == shop


# --------------------------------------------------------------------------- colleagues

def test_saving_over_a_colleagues_change_is_a_conflict(workspace: Workspace,
                                                       colleague: Workspace) -> None:
    loaded = add(workspace, "client", {"name": "Acme", "industry": "Food"})
    with colleague.write() as s:
        theirs = records.update_record(s, "client", loaded.id, loaded.version,
                                       {"industry": "Drinks"})
    mine = {"industry": "Retail", "contact_name": "Jo"}
    with pytest.raises(ConflictError) as caught, workspace.write() as s:
        records.update_record(s, "client", loaded.id, loaded.version, mine)
    assert caught.value.theirs == theirs
    assert caught.value.theirs.industry == "Drinks" and caught.value.theirs.version == 2
    assert caught.value.mine == mine
    assert str(caught.value) == "Someone changed this client while you were editing it."
    assert row(workspace, "client", loaded.id) == theirs


def test_saving_a_record_a_colleague_deleted_keeps_what_was_typed(
        workspace: Workspace, colleague: Workspace) -> None:
    loaded = add(workspace, "person", {"name": "Ana"})
    with colleague.write() as s:
        records.delete_record(s, "person", loaded.id, loaded.version)
    with pytest.raises(ConflictError) as caught, workspace.write() as s:
        records.update_record(s, "person", loaded.id, loaded.version, {"title": "Lead"})
    assert caught.value.theirs is None
    assert caught.value.mine == {"title": "Lead"}
    assert "deleted" in str(caught.value)


def test_deleting_a_record_a_colleague_changed_is_a_conflict(
        small_studio: Workspace) -> None:
    with small_studio.read() as s:
        loaded = records.get_row(s, "client", records.find_id(s, "client", "Acme Foods"))
    with open_workspace(small_studio.path, who="Ben Ode") as other, other.write() as s:
        records.update_record(s, "client", loaded.id, loaded.version, {"notes": "VIP"})
    with pytest.raises(ConflictError) as caught, small_studio.write() as s:
        records.delete_record(s, "client", loaded.id, loaded.version)
    assert caught.value.theirs.notes == "VIP"
    assert "look at their change before deleting" in str(caught.value)
    assert row(small_studio, "client", loaded.id).notes == "VIP"  # type: ignore[attr-defined]
    with small_studio.read() as s:
        assert len([p for p in records.list_rows(s, "project")
                    if p.client == "Acme Foods"]) == 2  # type: ignore[attr-defined]


def test_deleting_a_record_a_colleague_deleted_says_it_is_gone(
        workspace: Workspace, colleague: Workspace) -> None:
    loaded = add(workspace, "client", {"name": "Acme"})
    with colleague.write() as s:
        records.delete_record(s, "client", loaded.id, loaded.version)
    with pytest.raises(NotFoundError, match="someone may have deleted it"), \
            workspace.write() as s:
        records.delete_record(s, "client", loaded.id, loaded.version)


# --------------------------------------------------------------------------- undo of delete

def _assign(ws: Workspace, role: str, person: str, *, client: str | None = None,
            project: str | None = None) -> None:
    with ws.write() as s:
        s.execute(insert(Assignment), [{
            "role_id": s.scalar(select(Role.id).where(Role.key == role)),
            "person_id": records.find_id(s, "person", person),
            "client_id": records.find_id(s, "client", client) if client else None,
            "project_id": records.find_id(s, "project", project) if project else None,
            "start": dt.date(2025, 1, 6), "version": 1}])


TABLES = ("person", "client", "project", "relationship", "assignment")


def test_undoing_a_client_delete_brings_back_everything_with_the_same_ids(
        small_studio: Workspace) -> None:
    ws = small_studio
    _assign(ws, "account_manager", "Ana Ruiz", client="Acme Foods")
    _assign(ws, "production_manager", "Ben Ode", project="Acme web shop")
    _assign(ws, "account_manager", "Ben Ode", client="Borealis Bank")
    before = raw_tables(ws, *TABLES)
    with ws.read() as s:
        acme = records.get_row(s, "client", records.find_id(s, "client", "Acme Foods"))

    with ws.write() as s:
        removal = records.delete_record(s, "client", acme.id, acme.version)
    assert removal.dependents == 2 + 1 + 2  # projects, relationship, assignments
    after_delete = raw_tables(ws, *TABLES)
    assert len(after_delete["project"]) == 2
    assert len(after_delete["relationship"]) == 1
    assert [a["client_id"] for a in after_delete["assignment"]] == [
        records_id(ws, "client", "Borealis Bank")]

    with ws.write() as s:
        assert records.restore_record(s, removal) == acme
    assert raw_tables(ws, *TABLES) == before


def records_id(ws: Workspace, kind: str, name: str) -> int | None:
    with ws.read() as s:
        return records.find_id(s, kind, name)


def test_undoing_a_person_delete_relinks_the_projects_they_managed(
        small_studio: Workspace) -> None:
    ws = small_studio
    _assign(ws, "account_manager", "Ana Ruiz", client="Acme Foods")
    managed = {"Acme spring campaign", "Borealis annual report"}
    assert {p.name for p in rows(ws, "project")
            if p.manager == "Ana Ruiz"} == managed  # type: ignore[attr-defined]
    before = raw_tables(ws, "person", "relationship", "assignment")
    with ws.read() as s:
        ana = records.get_row(s, "person", records.find_id(s, "person", "Ana Ruiz"))

    with ws.write() as s:
        removal = records.delete_record(s, "person", ana.id, ana.version)
    projects = {p.name: p for p in rows(ws, "project")}
    assert all(projects[name].manager is None for name in managed)  # type: ignore
    assert len(rows(ws, "project")) == 4  # a person's projects stay, without a manager
    assert raw_tables(ws, "relationship", "assignment") == {
        "relationship": [r for r in before["relationship"] if r["person_id"] != ana.id],
        "assignment": []}

    with ws.write() as s:
        records.restore_record(s, removal)
    assert {p.name for p in rows(ws, "project")
            if p.manager == "Ana Ruiz"} == managed  # type: ignore[attr-defined]
    assert raw_tables(ws, "person", "relationship", "assignment") == before
    # Relinking is a change to those projects: a window holding them must reload.
    assert all(p.version == projects[p.name].version + 1 for p in rows(ws, "project")
               if p.name in managed)


def test_undo_after_the_name_was_taken_again_is_a_conflict(workspace: Workspace) -> None:
    acme = add(workspace, "client", {"name": "Acme"})
    add(workspace, "project", {"client": "Acme", "name": "Site"})
    with workspace.write() as s:
        removal = records.delete_record(s, "client", acme.id, acme.version)
    newcomer = add(workspace, "client", {"name": "ACME"})
    with pytest.raises(ConflictError) as caught, workspace.write() as s:
        records.restore_record(s, removal)
    assert caught.value.theirs is None
    assert caught.value.mine["name"] == "Acme"
    assert "cannot be put back" in str(caught.value)
    assert rows(workspace, "client") == [newcomer]
    assert rows(workspace, "project") == []


def test_undo_that_fails_puts_back_nothing_even_if_the_caller_carries_on(
        small_studio: Workspace) -> None:
    ws = small_studio
    with ws.read() as s:
        acme = records.get_row(s, "client", records.find_id(s, "client", "Acme Foods"))
        ben = records.get_row(s, "person", records.find_id(s, "person", "Ben Ode"))
    with ws.write() as s:
        removal = records.delete_record(s, "client", acme.id, acme.version)
        # Ben managed the Acme web shop; with him gone the project cannot come back.
        records.delete_record(s, "person", ben.id, ben.version)
    with ws.write() as s:
        with pytest.raises(ConflictError):
            records.restore_record(s, removal)
        records.add_record(s, "client", {"name": "Delta Dairy"})
    assert sorted(c.name for c in rows(ws, "client")) == [
        "Borealis Bank", "Cobalt Museum", "Delta Dairy"]
    assert {p.client for p in rows(ws, "project")} == {  # type: ignore[attr-defined]
        "Borealis Bank", "Cobalt Museum"}


# --------------------------------------------------------------------------- reading lists

def test_a_whole_list_equals_the_same_rows_read_one_by_one(
        small_studio: Workspace) -> None:
    ws = small_studio
    add(ws, "person", {"name": "Dee Park", "active": False, "weekly_hours": 12.5})
    add(ws, "project", {"client": "Cobalt Museum", "name": "Dated", "start": "2026-02-01",
                        "due": "2026-02-28", "budget": 0, "estimated_hours": 7.25})
    types = {"person": PersonRow, "client": ClientRow, "project": ProjectRow,
             "relationship": RelationshipRow}
    with ws.read() as s:
        for kind, row_type in types.items():
            listed = records.list_rows(s, kind)
            assert listed, kind
            assert all(type(r) is row_type for r in listed)
            one_by_one = [records.get_row(s, kind, r.id) for r in listed]
            assert listed == one_by_one
            for a, b in zip(listed, one_by_one, strict=True):
                assert [type(v) for v in vars(a).values()] == \
                    [type(v) for v in vars(b).values()]
            assert records.list_rows(s, kind, [r.id for r in listed]) == listed
    people = {p.name: p for p in rows(ws, "person")}
    assert people["Dee Park"].active is False  # type: ignore[attr-defined]
    assert people["Ana Ruiz"].active is True  # type: ignore[attr-defined]
    dated = {p.name: p for p in rows(ws, "project")}["Dated"]
    assert dated.start == dt.date(2026, 2, 1)  # type: ignore[attr-defined]


def test_lists_are_sorted_by_name_ignoring_case_and_accents_form(
        workspace: Workspace) -> None:
    for name in ("beta", "Alpha", "Émile", "delta", "Charlie"):
        add(workspace, "client", {"name": name})
    assert [c.name for c in rows(workspace, "client")] == [
        "Alpha", "beta", "Charlie", "delta", "Émile"]


def test_a_list_includes_changes_not_yet_flushed(workspace: Workspace) -> None:
    with workspace.write() as s:
        s.add(Client(name="Pending", name_key="pending"))
        assert [c.name for c in records.list_rows(s, "client")] == ["Pending"]


def test_counts_names_and_a_persons_relationships(small_studio: Workspace) -> None:
    with small_studio.read() as s:
        assert records.count_rows(s) == {"person": 3, "client": 3, "project": 4,
                                         "relationship": 2}
        assert records.names(s, "person") == ["Ana Ruiz", "Ben Ode", "Cara Li"]
        [known] = records.relationships_of(s, "ana ruiz")
        assert (known.client, known.strength, known.since) == (  # type: ignore
            "Acme Foods", 3, dt.date(2023, 4, 1))
        assert records.relationships_of(s, "Cara Li") == []


def test_a_deleted_records_id_is_never_handed_out_again(workspace):
    """A colleague still holding a deleted row (same id, version 1) must not be able to
    save over a record added after the delete: ids are never reused."""
    with workspace.write() as s:
        records.add_record(s, "client", {"name": "Older"})
        newest = records.add_record(s, "client", {"name": "Newest"})
    with workspace.write() as s:
        records.delete_record(s, "client", newest.id, newest.version)
    with workspace.write() as s:
        newcomer = records.add_record(s, "client", {"name": "Newcomer"})
    assert newcomer.id != newest.id
    with pytest.raises(ConflictError), workspace.write() as s:
        records.update_record(s, "client", newest.id, newest.version, {"industry": "X"})
    with workspace.read() as s:
        assert records.get_row(s, "client", newcomer.id).industry is None
