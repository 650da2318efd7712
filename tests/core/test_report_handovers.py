"""The printed plan's handover meetings and joint conversations."""

from __future__ import annotations

import datetime as dt

from studio_desk.core import report as R

MONDAY = dt.date(2026, 12, 21)


def plan_facts(**changes: object) -> R.PlanFacts:
    values: dict[str, object] = {
        "studio": "Studio", "plan": "Split", "status": "draft",
        "printed_on": MONDAY, "owner": "Robin", "effective_date": dt.date(2027, 1, 11),
        "conversations": (
            R.ConversationFact("Client 07", "Sam Lee", "meeting", MONDAY + dt.timedelta(2),
                               "planned", "", "Sam Lee", "Pat Rivera", MONDAY,
                               introduces="Pat Rivera"),
            R.ConversationFact("Client 01", "Pat Rivera", "call", MONDAY, "planned", "")),
        "handovers": (
            R.HandoverFact(R.HANDOVER_PROJECT, "Pat Rivera", "Sam Lee", dt.date(2027, 1, 8),
                           ("Client 01 platform", "Client 02 campaign"), "done"),
            R.HandoverFact(R.HANDOVER_CLIENT, "Sam Lee", "Pat Rivera", MONDAY,
                           ("Client 07",))),
    }
    values.update(changes)
    return R.PlanFacts(**values)  # type: ignore[arg-type]


def test_the_calendar_lists_the_handover_meetings_by_date() -> None:
    calendar = R.build_report(plan_facts(), (R.SECTION_CALENDAR,)).calendar
    assert calendar is not None
    assert [(h.day, h.who, h.status) for h in calendar.handovers] == [
        ("Mon 21 Dec", "Sam Lee → Pat Rivera", "Planned"),
        ("Fri 8 Jan", "Pat Rivera → Sam Lee", "Done")]
    assert calendar.handovers[0].what == ("1 client, each told afterwards with Sam Lee "
                                          "introducing Pat Rivera: Client 07")
    assert calendar.handovers[1].what == "2 projects: Client 01 platform, Client 02 campaign"
    entries = {e.client: e for week in calendar.weeks for e in week.entries}
    assert entries["Client 07"].informer == "Sam Lee, introducing Pat Rivera"
    assert entries["Client 01"].informer == "Pat Rivera"


def test_without_handovers_the_calendar_has_none() -> None:
    calendar = R.build_report(plan_facts(handovers=()), (R.SECTION_CALENDAR,)).calendar
    assert calendar is not None and calendar.handovers == ()


def test_the_talking_points_are_printed_per_outcome() -> None:
    facts = plan_facts(
        talking_points="Why the change\n{account_manager} takes over.",
        outcome_talking_points=(
            ("new_account_manager", "(the saved text, kept in talking_points)", 6),
            ("unchanged", "Why the change\nNothing changes for {client}.", 1)))
    blocks = R.build_report(facts, (R.SECTION_TALKING_POINTS,)).talking_points
    assert blocks is not None
    assert [(b.kind, b.text) for b in blocks] == [
        ("outcome", "New Account Manager: 6 clients"), ("heading", "Why the change"),
        ("paragraph", "[their Account Manager] takes over."),
        ("outcome", "Nothing changes: 1 client"), ("heading", "Why the change"),
        ("paragraph", "Nothing changes for [the client].")]

    # Without a schedule there are no groups of clients: the one text for everyone.
    bare = R.build_report(R.PlanFacts(**{**facts.__dict__, "conversations": ()}),
                          (R.SECTION_TALKING_POINTS,)).talking_points
    assert bare is not None and [b.kind for b in bare] == ["heading", "paragraph"]
