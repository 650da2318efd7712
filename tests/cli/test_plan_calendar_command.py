"""``studio-desk plan calendar``: the method's two-manager studio's schedule as an .ics file.

Pat has an email address, Sam has none, and Client 07 (one of Sam's clients, whom he
introduces Pat to) has a contact with one. The plan is proposed and scheduled by
``plan propose``, as a user would.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from studio_desk.store import plans, records
from studio_desk.store.engine import open_workspace
from studio_desk.store.plans.schedule import HandoverRow, plan_handovers
from tests.cli.test_split import PAT, SAM, two_managers  # noqa: F401  (the fixture)
from tests.helpers.cli import ok, one_line_error, studio_desk

PAT_MAIL = "pat@studio.example"
CONTACT = ("Jo Seven", "jo@client07.example")


@pytest.fixture(scope="module")
def proposed(two_managers: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    """The studio with the emails filled in and "Split" proposed and scheduled."""
    target = tmp_path_factory.mktemp("calendar") / "w.studiodesk"
    shutil.copyfile(two_managers, target)
    with open_workspace(target) as workspace, workspace.write() as session:
        pat_id = records.find_id(session, "person", PAT)
        seven_id = records.find_id(session, "client", "Client 07")
        assert pat_id is not None and seven_id is not None
        pat = records.get_row(session, "person", pat_id)
        records.update_record(session, "person", pat.id, pat.version, {"email": PAT_MAIL})
        seven = records.get_row(session, "client", seven_id)
        records.update_record(session, "client", seven.id, seven.version,
                              {"contact_name": CONTACT[0], "contact_email": CONTACT[1]})
    ok(studio_desk("plan", "propose", "Split", "--db", target.name,
                   "--accept-suggested-limits", cwd=target.parent))
    return target


def schedule_of(path: Path, name: str = "Split") -> tuple[list[plans.ConversationRow],
                                                         list[HandoverRow]]:
    with open_workspace(path) as workspace, workspace.read() as session:
        plan = plans.find_plan(session, name)
        assert plan is not None
        return (plans.plan_conversations(session, plan.id),
                list(plan_handovers(session, plan.id)))


def events_in(path: Path) -> list[Any]:
    return list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def addresses(event: Any) -> set[str]:
    found = event.get("attendee", [])
    return {str(a) for a in (found if isinstance(found, list) else [found])}


@pytest.mark.slow
def test_the_calendar_holds_every_conversation_and_handover_on_its_day(
        proposed: Path) -> None:
    folder = proposed.parent
    said = ok(studio_desk("plan", "calendar", "Split", "split.ics", "--db", proposed.name,
                          cwd=folder))
    talks, handovers = schedule_of(proposed)
    dated_talks = [t for t in talks if t.on_date is not None]
    dated_handovers = [h for h in handovers if h.on_date is not None]
    assert len(dated_talks) == 12 and dated_handovers
    assert said == (f"split.ics: {len(dated_talks)} conversations and "
                    f"{len(dated_handovers)} handover meetings.")
    events = events_in(folder / "split.ics")
    assert len(events) == len(dated_talks) + len(dated_handovers)
    told = {str(e["summary"]).split(":")[0].removeprefix("Tell "): e for e in events
            if str(e["summary"]).startswith("Tell ")}
    assert set(told) == {t.client for t in dated_talks}
    for talk in dated_talks:
        event = told[talk.client]
        assert talk.on_date is not None
        assert event.decoded("dtstart") == talk.on_date
        assert event.decoded("dtend") == talk.on_date + dt.timedelta(days=1)
        assert talk.talking_points.strip() in str(event["description"])
    # Sam introduces Pat to his client: Pat and the client's contact are invited, and
    # Sam (no email address) is named in the description.
    seven = told["Client 07"]
    assert str(seven["summary"]) == "Tell Client 07: Pat Rivera becomes Account Manager"
    assert addresses(seven) == {f"mailto:{PAT_MAIL}", f"mailto:{CONTACT[1]}"}
    assert f"Taking part: {SAM}, {PAT} and {CONTACT[0]} (Client 07)." \
        in str(seven["description"])
    meetings = [e for e in events if "andover" in str(e["summary"])]
    assert sorted(e.decoded("dtstart") for e in meetings) == sorted(
        h.on_date for h in dated_handovers if h.on_date is not None)
    assert all(addresses(e) == {f"mailto:{PAT_MAIL}"} for e in meetings)
    assert any(str(e["summary"]).startswith(f"Project handover: 18 projects, {PAT} → {SAM}")
               for e in meetings)
    assert any(str(e["summary"]).startswith(f"Handover: {SAM} → {PAT} (") for e in meetings)


@pytest.mark.slow
def test_exporting_twice_keeps_the_uids(proposed: Path, tmp_path: Path) -> None:
    studio = tmp_path / "w.studiodesk"
    shutil.copyfile(proposed, studio)
    ok(studio_desk("plan", "calendar", "Split", "one.ics", "--db", studio.name, cwd=tmp_path))
    ok(studio_desk("plan", "calendar", "Split", "two.ics", "--db", studio.name, cwd=tmp_path))
    one = [str(e["uid"]) for e in events_in(tmp_path / "one.ics")]
    two = [str(e["uid"]) for e in events_in(tmp_path / "two.ics")]
    assert len(set(one)) == len(one)
    assert one == two


@pytest.mark.slow
def test_a_plan_without_a_schedule_or_a_plan_not_there_is_one_sentence(
        proposed: Path, tmp_path: Path) -> None:
    studio = tmp_path / "w.studiodesk"
    shutil.copyfile(proposed, studio)
    with open_workspace(studio) as workspace, workspace.write() as session:
        plans.create_plan(session, "Later", effective_date=dt.date(2030, 1, 7))
    line = one_line_error(studio_desk("plan", "calendar", "Later", "later.ics",
                                      "--db", studio.name, cwd=tmp_path))
    assert line == ("studio-desk: error: w.studiodesk: “Later” has no schedule yet: "
                    "schedule the client conversations on the wizard's “Tell the "
                    "clients” page first.")
    assert not (tmp_path / "later.ics").exists()
    line = one_line_error(studio_desk("plan", "calendar", "Nowhere", "x.ics",
                                      "--db", studio.name, cwd=tmp_path))
    assert "there is no plan named “Nowhere”" in line
