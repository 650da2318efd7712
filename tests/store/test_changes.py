"""Noticing commits (``PRAGMA data_version``) and saying who changed what."""

from __future__ import annotations

import sqlite3
import time

from studio_desk.store import changes, records
from studio_desk.store.changes import ChangeSummary, describe
from studio_desk.store.engine import Workspace, open_workspace


def test_a_watcher_notices_each_commit_once_and_ignores_reads(workspace: Workspace) -> None:
    with changes.ChangeWatcher(workspace) as watcher:
        assert not watcher.poll()
        with workspace.read() as s:
            records.list_rows(s, "client")
        assert not watcher.poll()
        with workspace.write() as s:
            records.add_record(s, "client", {"name": "Acme Foods"})
        assert watcher.poll()
        assert not watcher.poll()
        # A colleague's copy writing through a connection of its own.
        colleague = sqlite3.connect(workspace.path)
        colleague.execute("UPDATE client SET industry = 'Food'")
        colleague.commit()
        colleague.close()
        assert watcher.poll()
        assert not watcher.poll()


def test_a_watcher_caught_by_a_commit_in_progress_waits_for_the_next_poll(
        workspace: Workspace) -> None:
    """While a colleague's commit holds the file exclusively, a poll says "nothing yet"
    quickly instead of failing; the next poll after the commit sees it."""
    with workspace.write() as s:
        records.add_record(s, "client", {"name": "Acme Foods"})
    with changes.ChangeWatcher(workspace) as watcher:
        colleague = sqlite3.connect(workspace.path, isolation_level=None)
        try:
            colleague.execute("BEGIN EXCLUSIVE")
            colleague.execute("UPDATE client SET industry = 'Food'")
            began = time.monotonic()
            assert not watcher.poll()
            assert time.monotonic() - began < 2
            colleague.execute("COMMIT")
        finally:
            colleague.close()
        assert watcher.poll()


def test_a_closed_watcher_lets_go_of_the_file(workspace: Workspace) -> None:
    watcher = changes.ChangeWatcher(workspace)
    watcher.close()
    watcher.close()  # closing twice is harmless (window teardown may)


def test_changes_count_records_per_person_and_kind(workspace: Workspace) -> None:
    start = changes.latest_audit_id(workspace)
    assert start == 0
    ben = open_workspace(workspace.path, who="Ben Ode")
    try:
        with ben.write() as s:
            acme = records.add_record(s, "client", {"name": "Acme Foods"})
            records.add_record(s, "client", {"name": "Borealis Bank"})
        with ben.write() as s:
            # Three fields of one client: still one client changed.
            records.update_record(s, "client", acme.id, acme.version,
                                  {"industry": "Food", "notes": "Call on Monday",
                                   "contact_name": "Dee"})
        with workspace.write() as s:  # Tester's own save
            records.add_record(s, "person", {"name": "Ana Ruiz"})
    finally:
        ben.close()

    everything = changes.changes_since(workspace, start)
    assert everything.by_who == {"Ben Ode": {"client": 2}, "Tester": {"person": 1}}
    assert everything.kinds == frozenset({"client", "person"})
    assert everything.last_id == changes.latest_audit_id(workspace)

    theirs = changes.changes_since(workspace, start, exclude_who="Tester")
    assert theirs.by_who == {"Ben Ode": {"client": 2}}
    assert theirs.kinds == frozenset({"client"})
    assert theirs.last_id == everything.last_id  # past our own changes too

    nothing = changes.changes_since(workspace, theirs.last_id)
    assert not nothing and nothing.by_who == {} and nothing.last_id == theirs.last_id


def test_describing_changes_in_a_sentence() -> None:
    assert describe(ChangeSummary(0)) == ""
    assert describe(ChangeSummary(9, {"Ana Ruiz": {"project": 3}})) == \
        "Ana Ruiz updated 3 projects"
    assert describe(ChangeSummary(9, {"Ana Ruiz": {"project": 1, "person": 2,
                                                   "client": 1}})) == \
        "Ana Ruiz updated 2 people, 1 client and 1 project"
    assert describe(ChangeSummary(9, {"Ben Ode": {"relationship": 1},
                                      "Ana Ruiz": {"plan_item": 4, "plan": 1}})) == \
        "Ana Ruiz updated 4 plan items and 1 plan; Ben Ode updated 1 relationship"
    many = {name: {"client": 1} for name in ("Dev", "Cara", "Ben", "Ana", "Eve")}
    assert describe(ChangeSummary(9, many)) == (
        "Ana updated 1 client; Ben updated 1 client; Cara updated 1 client; "
        "2 other people made changes")
    assert describe(ChangeSummary(9, {"Ana": {"team_template": 2,
                                              "new_thing": 2}})) == \
        "Ana updated 2 new things and 2 team templates"
