"""A plan's calendar as an iCalendar file: what a calendar app shows after importing it.

The studio is the method's two managers in small: Pat (client-facing, with an email
address) keeps Acme Ltd and Borealis and becomes every client's Account Manager; Sam
(head-down, no email address on file) runs the technical projects, and introduces Pat
to Cobalt and Delta after the two have met to hand them over. Acme Ltd and Cobalt have a
contact with an email address.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from studio_desk.core.errors import PlanStateError
from studio_desk.core.safe_files import ExportTargetError
from studio_desk.store import plans, records
from studio_desk.store.engine import Workspace
from studio_desk.store.plans.calendar import (
    CalendarSummary,
    plan_calendar,
    write_plan_calendar,
)
from studio_desk.store.plans.schedule import plan_handovers

PAT, SAM = "Pat Rivera", "Sam Lee"
PAT_MAIL = "mailto:pat@studio.example"
EFFECTIVE = dt.date(2027, 1, 11)
TODAY = dt.date(2026, 12, 1)
CONTACTS = {"Acme Ltd": ("Jo Acme", "jo@acme.example"),
            "Cobalt": ("Kim Cobalt", "kim@cobalt.example")}


@pytest.fixture
def split(workspace: Workspace) -> tuple[Workspace, int]:
    """The two managers' studio with the split proposed and the conversations scheduled."""
    with workspace.write() as s:
        limits = {"max_clients": 12, "max_active_projects": 6,
                  "max_backburner_projects": 15}
        records.add_record(s, "person", {"name": PAT, "email": "pat@studio.example",
                                         "client_facing": 5, "head_down": 2, **limits})
        records.add_record(s, "person", {"name": SAM, "client_facing": 2, "head_down": 5,
                                         **limits})
        for k, (client, manager) in enumerate((("Acme Ltd", PAT), ("Borealis", PAT),
                                               ("Cobalt", SAM), ("Delta", SAM))):
            values: dict[str, object] = {"name": client}
            if client in CONTACTS:
                values["contact_name"], values["contact_email"] = CONTACTS[client]
            records.add_record(s, "client", values)
            technical = k % 2 == 0
            records.add_record(s, "project", {
                "client": client, "name": f"{client} {'platform' if technical else 'campaign'}",
                "status": "active", "technical_complexity": 5 if technical else 2,
                "communication_load": 2 if technical else 5, "manager": manager})
            records.add_record(s, "relationship", {"person": manager, "client": client,
                                                   "strength": 3})
        plan = plans.create_plan(s, "Split", effective_date=EFFECTIVE)
        plans.confirm_people(s, plan.id, leaning_of={}, limits_of={}, accept_suggested=True)
        plans.propose_plan(s, plan.id)
        scheduled = plans.schedule_plan(s, plan.id, today=TODAY)
    assert scheduled.fits, scheduled.message
    return workspace, plan.id


def events_of(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def attendees(event: Any) -> dict[str, str]:
    """Each attendee's address with the name shown for it."""
    found = event.get("attendee", [])
    found = found if isinstance(found, list) else [found]
    return {str(a): str(a.params["CN"]) for a in found}


def by_summary(events: list[Any]) -> dict[str, Any]:
    return {str(e["summary"]): e for e in events}


def test_one_all_day_event_per_conversation_and_handover_on_its_day(
        split: tuple[Workspace, int]) -> None:
    workspace, plan_id = split
    with workspace.read() as s:
        talks = plans.plan_conversations(s, plan_id)
        handovers = plan_handovers(s, plan_id)
        events = events_of(plan_calendar(s, plan_id))
    assert len(talks) == 4 and len(handovers) == 2
    assert len(events) == len(talks) + len(handovers)
    tells = {str(e["summary"]).split(":")[0].removeprefix("Tell "): e for e in events
             if str(e["summary"]).startswith("Tell ")}
    assert set(tells) == {t.client for t in talks}
    for talk in talks:
        event = tells[talk.client]
        assert talk.on_date is not None
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert not isinstance(start, dt.datetime)  # an all-day event, not midnight
        assert (start, end) == (talk.on_date, talk.on_date + dt.timedelta(days=1))
        assert talk.talking_points.strip() in str(event["description"])
    for handover in handovers:
        assert handover.on_date is not None
        [event] = [e for e in events if e.decoded("dtstart") == handover.on_date
                   and "andover" in str(e["summary"])]
        assert event.decoded("dtend") == handover.on_date + dt.timedelta(days=1)


def test_events_say_what_happens_and_who_takes_part(split: tuple[Workspace, int]) -> None:
    workspace, plan_id = split
    with workspace.read() as s:
        events = by_summary(events_of(plan_calendar(s, plan_id)))
    # Sam introduces Pat to his client: Pat and the client's contact are invited; Sam,
    # who has no email address, is named in the description instead.
    cobalt = events["Tell Cobalt: Pat Rivera becomes Account Manager"]
    assert attendees(cobalt) == {PAT_MAIL: PAT, "mailto:kim@cobalt.example": "Kim Cobalt"}
    description = str(cobalt["description"])
    assert description.startswith("Sam Lee tells Cobalt in a meeting, introducing Pat "
                                   "Rivera.")
    assert "Taking part: Sam Lee, Pat Rivera and Kim Cobalt (Cobalt)." in description
    assert "Pat Rivera becomes your Account Manager" in description
    # A client without a contact email: only the studio's side is invited.
    delta = events["Tell Delta: Pat Rivera becomes Account Manager"]
    assert attendees(delta) == {PAT_MAIL: PAT}
    # Pat keeps her client; its technical project moves to Sam.
    acme = events["Tell Acme Ltd: Sam Lee becomes Production Manager"]
    assert attendees(acme) == {PAT_MAIL: PAT, "mailto:jo@acme.example": "Jo Acme"}
    meeting = events["Handover: Sam Lee → Pat Rivera (Cobalt and Delta)"]
    assert attendees(meeting) == {PAT_MAIL: PAT}
    assert "Taking part: Sam Lee and Pat Rivera." in str(meeting["description"])
    projects = events["Project handover: Acme Ltd platform and Borealis campaign, "
                      "Pat Rivera → Sam Lee"]
    assert attendees(projects) == {PAT_MAIL: PAT}
    # The handover meeting comes before the conversations it prepares.
    assert meeting.decoded("dtstart") < cobalt.decoded("dtstart")


def test_uids_are_unique_and_stay_the_same_from_one_export_to_the_next(
        split: tuple[Workspace, int]) -> None:
    workspace, plan_id = split
    with workspace.read() as s:
        first = plan_calendar(s, plan_id)
        second = plan_calendar(s, plan_id)
    uids = [str(e["uid"]) for e in events_of(first)]
    assert len(set(uids)) == len(uids) == 6
    assert all(uid.endswith("@studio-desk") for uid in uids)
    assert first == second  # nothing changed, nothing differs
    # Making the schedule again replaces the conversation rows; a calendar app importing
    # the new file still updates the same events.
    with workspace.write() as s:
        plans.schedule_plan(s, plan_id, today=TODAY)
    with workspace.read() as s:
        again = [str(e["uid"]) for e in events_of(plan_calendar(s, plan_id))]
    assert set(again) == set(uids)


def test_items_without_a_date_are_left_out_and_counted(split: tuple[Workspace, int],
                                                       tmp_path: Path) -> None:
    workspace, plan_id = split
    with workspace.write() as s:
        [delta] = [t for t in plans.plan_conversations(s, plan_id) if t.client == "Delta"]
        plans.update_conversation(s, delta.id, delta.version, on_date=None)
    with workspace.read() as s:
        summary = write_plan_calendar(s, plan_id, tmp_path / "split.ics")
    assert summary == CalendarSummary(conversations=3, handovers=2,
                                      undated_conversations=1, undated_handovers=1)
    assert summary.text() == ("3 conversations and 2 handover meetings (1 conversation "
                              "and 1 handover meeting without a date left out)")
    summaries = set(by_summary(events_of((tmp_path / "split.ics").read_bytes())))
    assert not any("Delta" in text for text in summaries)
    assert "Handover: Sam Lee → Pat Rivera (Cobalt)" in summaries


def test_a_plan_without_a_schedule_has_no_calendar(split: tuple[Workspace, int],
                                                   tmp_path: Path) -> None:
    workspace, _plan_id = split
    with workspace.write() as s:
        plan = plans.create_plan(s, "Unscheduled", effective_date=EFFECTIVE)
        plans.propose_plan(s, plan.id)
    with workspace.read() as s, pytest.raises(PlanStateError, match="no schedule yet"):
        write_plan_calendar(s, plan.id, tmp_path / "empty.ics")
    assert not (tmp_path / "empty.ics").exists()


def test_the_file_is_replaced_whole_or_not_at_all(split: tuple[Workspace, int],
                                                  tmp_path: Path) -> None:
    workspace, plan_id = split
    folder = tmp_path / "calendars"
    folder.mkdir()
    target = folder / "split.ics"
    target.write_text("an older calendar", encoding="utf-8")
    with workspace.read() as s:
        write_plan_calendar(s, plan_id, target)
        expected = plan_calendar(s, plan_id)
        # A folder of that name: the new file is written beside it, then cannot replace it.
        (folder / "taken.ics").mkdir()
        with pytest.raises(ExportTargetError) as raised:
            write_plan_calendar(s, plan_id, folder / "taken.ics")
    assert target.read_bytes() == expected
    # No partial file is left behind, and the error names the file asked for.
    assert sorted(p.name for p in folder.iterdir()) == ["split.ics", "taken.ics"]
    assert str(folder / "taken.ics") in str(raised.value)
