"""Telling the clients of the method's two-manager studio, made through the command line.

Pat (client-facing) becomes the Account Manager of every client and Sam (head-down) the
Production Manager of every project. Sam's six clients have never worked with Pat: Sam
must introduce her, after the two have met to hand the clients over; and Pat must hand
her projects to Sam before the change. The conversations follow the pace the studio
sets, over the weeks before the change, never on a weekend or a holiday, and each client
is told what actually happens to them.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from studio_desk.core import schedule as sched
from studio_desk.store import plans
from studio_desk.store.engine import open_workspace
from studio_desk.store.plans.schedule import HANDOVER_CLIENT, HANDOVER_PROJECT, plan_handovers
from tests.cli.test_split import PAT, SAM, two_managers  # noqa: F401  (the fixture)
from tests.helpers.cli import ok, rows_of, studio_desk

SAMS_CLIENTS = {f"Client {k:02d}" for k in range(7, 13)}
PATS_CLIENTS = {f"Client {k:02d}" for k in range(1, 7)}
TODAY = dt.date(2026, 12, 7)  # a Monday
EFFECTIVE = dt.date(2027, 1, 11)  # a Monday; Christmas and New Year fall in the window


@pytest.fixture(scope="module")
def proposed(two_managers: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    """The studio with the split proposed (and the conversations scheduled) by
    ``plan propose``, with the suggested role limits accepted."""
    target = tmp_path_factory.mktemp("rollout") / "w.studiodesk"
    shutil.copyfile(two_managers, target)
    ok(studio_desk("plan", "propose", "Split", "--db", target.name,
                   "--accept-suggested-limits", cwd=target.parent))
    return target


@pytest.fixture
def studio(proposed: Path, tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "w.studiodesk"
    shutil.copyfile(proposed, target)
    yield target


def reschedule(path: Path, **settings: object) -> plans.PlanSchedule:
    """Schedule "Split" again with a fixed today and an effective date around Christmas."""
    with open_workspace(path) as workspace, workspace.write() as session:
        plan = plans.find_plan(session, "Split")
        assert plan is not None
        plans.update_plan(session, plan.id, effective_date=EFFECTIVE)
        return plans.schedule_plan(session, plan.id, today=TODAY,
                                   **settings)  # type: ignore[arg-type]


def load_per_person(result: plans.PlanSchedule) -> tuple[Counter[tuple[str, dt.date]],
                                                         Counter[tuple[str, dt.date]]]:
    """What each person takes part in, per day and per week: the client conversations
    they lead or are introduced in, and each handover meeting they attend."""
    days: Counter[tuple[str, dt.date]] = Counter()
    for c in result.conversations:
        assert c.on_date is not None and c.informer is not None
        days[(c.informer, c.on_date)] += 1
        if c.introduces:
            days[(c.introduces, c.on_date)] += 1
    for h in result.handovers:
        assert h.on_date is not None
        days[(h.handover_from, h.on_date)] += 1
        days[(h.handover_to, h.on_date)] += 1
    weeks: Counter[tuple[str, dt.date]] = Counter()
    for (who, day), count in days.items():
        weeks[(who, day - dt.timedelta(days=day.weekday()))] += count
    return days, weeks


@pytest.mark.slow
def test_plan_propose_spreads_the_conversations_and_sam_tells_his_clients(
        proposed: Path) -> None:
    folder = proposed.parent
    ok(studio_desk("plan", "export", "Split", "told.csv", "--db", proposed.name, cwd=folder))
    told = {r["client"]: r for r in rows_of(folder / "told.csv")
            if r["role"] == "account_manager"}
    assert set(told) == SAMS_CLIENTS | PATS_CLIENTS
    assert {told[c]["person"] for c in told} == {PAT}
    # The person the client knows tells them.
    assert {told[c]["inform_by"] for c in SAMS_CLIENTS} == {SAM}
    assert {told[c]["inform_by"] for c in PATS_CLIENTS} == {PAT}
    # With the defaults, over the weeks available, at most two a person a day.
    dates = [dt.date.fromisoformat(told[c]["inform_on"]) for c in told]
    mondays = {d - dt.timedelta(days=d.weekday()) for d in dates}
    assert len(mondays) >= 2, dates
    assert all(d.weekday() < 5 for d in dates)
    assert all(dt.date(d.year, 12, 25) != d and dt.date(d.year, 12, 26) != d
               for d in dates)


@pytest.mark.slow
def test_sam_introduces_pat_after_their_handover_and_pat_hands_projects_to_sam(
        studio: Path) -> None:
    result = reschedule(studio)
    assert result.fits, result.message
    talks = {c.client: c for c in result.conversations}
    for client in SAMS_CLIENTS:
        talk = talks[client]
        assert (talk.informer, talk.introduces) == (SAM, PAT), talk
        assert (talk.handover_from, talk.handover_to) == (SAM, PAT)
        assert talk.handover_on is not None and talk.on_date is not None
        assert talk.handover_on < talk.on_date
    for client in PATS_CLIENTS:
        assert (talks[client].informer, talks[client].introduces) == (PAT, None)
        assert talks[client].handover_from is None
    client_meetings = [h for h in result.handovers if h.kind == HANDOVER_CLIENT]
    assert {(h.handover_from, h.handover_to) for h in client_meetings} == {(SAM, PAT)}
    assert set().union(*(h.subjects for h in client_meetings)) == SAMS_CLIENTS
    [projects] = [h for h in result.handovers if h.kind == HANDOVER_PROJECT]
    assert (projects.handover_from, projects.handover_to) == (PAT, SAM)
    assert len(projects.subjects) == 18  # Pat's six clients, three projects each
    assert projects.on_date is not None and projects.on_date < EFFECTIVE
    with open_workspace(studio) as workspace, workspace.read() as session:
        plan = plans.find_plan(session, "Split")
        assert plan is not None
        assert plan_handovers(session, plan.id) == list(result.handovers)


@pytest.mark.slow
def test_the_pace_and_the_holidays_hold(studio: Path) -> None:
    result = reschedule(studio)
    days_off = sched.common_public_holidays(dt.date(2026, 12, 1), dt.date(2027, 1, 31))
    assert {dt.date(2026, 12, 25), dt.date(2026, 12, 28), dt.date(2027, 1, 1)} & \
        set(days_off) == {dt.date(2026, 12, 25), dt.date(2027, 1, 1)}
    per_day, _weeks = load_per_person(result)
    assert max(per_day.values()) <= sched.DEFAULT_MAX_PER_DAY
    used = {day for _who, day in per_day}
    assert all(day.weekday() < 5 and day not in days_off for day in used), sorted(used)
    assert TODAY <= min(used) and max(used) < EFFECTIVE
    # Spread over the three weeks of the window, not packed into its first days.
    mondays = Counter(day - dt.timedelta(days=day.weekday())
                      for c in result.conversations if (day := c.on_date))
    assert sorted(mondays) == [dt.date(2026, 12, 21), dt.date(2026, 12, 28),
                               dt.date(2027, 1, 4)], mondays
    assert max(mondays.values()) <= 5
    # A slower pace is kept too, and the days off typed by the studio are skipped.
    typed = {dt.date(2026, 12, 24): "Christmas Eve", dt.date(2026, 12, 31): ""} | days_off
    # Pat: twelve conversations and two handovers in the eleven working days left.
    slow = reschedule(studio, max_per_day=2, max_per_week=5, non_working_days=typed)
    per_day, per_week = load_per_person(slow)
    assert slow.fits, slow.message
    assert max(per_day.values()) <= 2 and max(per_week.values()) == 5
    assert not {day for _who, day in per_day} & set(typed)
    with open_workspace(studio) as workspace, workspace.read() as session:
        plan = plans.find_plan(session, "Split")
        assert plan is not None
        saved = plans.load_plan(session, plan.id).step("tell_clients")
    assert saved["max_per_week"] == 5
    assert ["2026-12-24", "Christmas Eve"] in saved["non_working_days"]


@pytest.mark.slow
def test_each_client_hears_what_happens_to_them(studio: Path) -> None:
    result = reschedule(studio)
    talks = {c.client: c for c in result.conversations}
    for client in SAMS_CLIENTS:
        text = talks[client].talking_points
        assert f"{PAT} becomes your Account Manager" in text
        assert SAM in text  # still runs their projects
    for client in PATS_CLIENTS:
        text = talks[client].talking_points
        assert f"{PAT} stays your Account Manager" in text
        assert "split between two people" not in text
        assert f"{PAT} becomes" not in text


@pytest.mark.slow
def test_the_printed_plan_lists_the_handover_meetings(studio: Path) -> None:
    reschedule(studio)
    ok(studio_desk("plan", "print", "Split", "--db", studio.name, "--out", "p.pdf",
                   "--sections", "calendar,talking_points", cwd=studio.parent))
    text = " ".join(" ".join((page.extract_text() or "").split())
                    for page in PdfReader(studio.parent / "p.pdf").pages)
    assert "Handover meetings" in text
    assert f"{SAM} → {PAT}" in text and f"{PAT} → {SAM}" in text
    assert "6 clients, each told afterwards with Sam Lee introducing Pat Rivera" in text
    assert "18 projects: Client 01 archive" in text
    assert "introducing Pat Rivera" in text
    # The talking points as each group of clients hears them.
    assert "New Account Manager: 6 clients" in text
    assert "New Production Manager only: 6 clients" in text
    assert "stays your Account Manager" in text
