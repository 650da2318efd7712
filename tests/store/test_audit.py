"""The history of a workspace: who changed what, when, from what to what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from studio_desk.store import records
from studio_desk.store.engine import Workspace, open_workspace
from studio_desk.store.models import AuditEntry

COLUMNS = ("who", "action", "entity", "entity_id", "field", "old", "new")


def history(ws: Workspace, since: int = 0) -> list[tuple[Any, ...]]:
    """Audit entries after entry number ``since``, oldest first, without the time."""
    with ws.read() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.id > since)
                            .order_by(AuditEntry.id))
        return [tuple(getattr(e, c) for c in COLUMNS) for e in entries]


def last_entry_id(ws: Workspace) -> int:
    with ws.read() as s:
        return s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0


def test_adding_records_names_who_added_what(workspace: Workspace) -> None:
    began = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    with workspace.write() as s:
        client = records.add_record(s, "client", {"name": "Acme Foods"})
        person = records.add_record(s, "person", {"name": "Ana Ruiz"})
    assert history(workspace) == [
        ("Tester", "add", "client", client.id, "name", None, "Acme Foods"),
        ("Tester", "add", "person", person.id, "name", None, "Ana Ruiz"),
    ]
    with workspace.read() as s:
        times = list(s.scalars(select(AuditEntry.at)))
    ended = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert all(began - dt.timedelta(seconds=1) <= at <= ended for at in times)


def test_a_change_records_each_field_from_old_to_new(small_studio: Workspace) -> None:
    ws = small_studio
    with ws.read() as s:
        ben = records.get_row(s, "person", records.find_id(s, "person", "Ben Ode"))
    since = last_entry_id(ws)
    with ws.write() as s:
        records.update_record(s, "person", ben.id, ben.version,
                              {"title": "Lead developer", "weekly_hours": 24,
                               "max_clients": 12, "active": "no"})
    # max_clients was already 12: no entry; version and name_key never show.
    assert sorted(history(ws, since)) == sorted([
        ("Tester", "change", "person", ben.id, "title", "Developer", "Lead developer"),
        ("Tester", "change", "person", ben.id, "weekly_hours", "32.0", "24.0"),
        ("Tester", "change", "person", ben.id, "active", "True", "False"),
    ])


def test_dates_are_recorded_as_dates(small_studio: Workspace) -> None:
    ws = small_studio
    with ws.read() as s:
        shop = records.get_row(s, "project", records.find_id(s, "project", "Acme web shop"))
    since = last_entry_id(ws)
    with ws.write() as s:
        records.update_record(s, "project", shop.id, shop.version, {"due": "2026-04-30"})
    assert history(ws, since) == [
        ("Tester", "change", "project", shop.id, "due", "2026-03-29", "2026-04-30")]


def test_each_person_is_recorded_under_their_own_name(workspace: Workspace) -> None:
    with workspace.write() as s:
        acme = records.add_record(s, "client", {"name": "Acme"})
    since = last_entry_id(workspace)
    with open_workspace(workspace.path, who="Ben Ode") as ben, ben.write() as s:
        records.update_record(s, "client", acme.id, acme.version, {"industry": "Food"})
    assert history(workspace, since) == [
        ("Ben Ode", "change", "client", acme.id, "industry", None, "Food")]


def test_a_delete_and_its_undo_are_both_recorded(workspace: Workspace) -> None:
    with workspace.write() as s:
        acme = records.add_record(s, "client", {"name": "Acme"})
    since = last_entry_id(workspace)
    with workspace.write() as s:
        removal = records.delete_record(s, "client", acme.id, acme.version)
    with workspace.write() as s:
        records.restore_record(s, removal)
    assert history(workspace, since) == [
        ("Tester", "delete", "client", acme.id, "name", "Acme", None),
        ("Tester", "restore", "client", acme.id, "name", None, "Acme"),
    ]


def test_a_change_that_is_rolled_back_leaves_no_history(workspace: Workspace) -> None:
    with pytest.raises(RuntimeError), workspace.write() as s:
        records.add_record(s, "client", {"name": "Acme"})
        raise RuntimeError("the save was interrupted")
    assert history(workspace) == []
    with workspace.read() as s:
        assert records.count_rows(s)["client"] == 0


def test_reading_records_nothing(small_studio: Workspace) -> None:
    since = last_entry_id(small_studio)
    with small_studio.read() as s:
        for kind in ("person", "client", "project", "relationship"):
            records.list_rows(s, kind)
    assert history(small_studio, since) == []
