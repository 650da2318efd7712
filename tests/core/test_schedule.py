"""Spreading the client conversations before the effective date."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from studio_desk.core import schedule as S
from studio_desk.core.errors import ValidationError

EFFECTIVE = dt.date(2026, 3, 2)  # a Monday
ANA, BEN, CARA = S.Person(1, "Ana Ruiz"), S.Person(2, "Ben Ode"), S.Person(3, "Cara Li")


def notice(client_id: int, importance: float, new: S.Person | None = ANA,
           previous: S.Person | None = None, **extra: object) -> S.ClientNotice:
    return S.ClientNotice(client_id=client_id, name=f"Client {client_id:02d}",
                          importance=importance, account_manager=new,
                          previous_account_manager=previous, **extra)  # type: ignore[arg-type]


def meetings_per_person_day(result: S.Schedule) -> Counter[tuple[int, dt.date]]:
    """Every conversation someone takes part in: client talks (the informer and the
    Account Manager they introduce), handover meetings (once per pair and day, however
    many clients they cover) and project handovers."""
    count: Counter[tuple[int, dt.date]] = Counter()
    meetings: set[tuple[int, int, dt.date]] = set()
    for c in result.conversations:
        if c.on is not None and c.informer is not None:
            count[(c.informer.id, c.on)] += 1
            if c.introduces is not None:
                count[(c.introduces.id, c.on)] += 1
        if c.handover_on is not None:
            assert c.handover_from is not None and c.handover_to is not None
            meetings.add((c.handover_from.id, c.handover_to.id, c.handover_on))
    for h in result.project_handovers:
        if h.on is not None:
            meetings.add((h.handover_from.id, h.handover_to.id, h.on))
    for first, second, day in meetings:
        count[(first, day)] += 1
        count[(second, day)] += 1
    return count


def test_never_more_than_the_daily_limit_and_only_on_working_days() -> None:
    notices = [notice(i, 100 - i) for i in range(12)]
    notices += [notice(20 + i, 50 - i, new=BEN, previous=ANA) for i in range(6)]
    result = S.plan_conversations(notices, EFFECTIVE, weeks_before=3, max_per_day=2)
    assert result.fits, result.message
    assert result.message == ""
    per_day = meetings_per_person_day(result)
    assert max(per_day.values()) <= 2
    start = EFFECTIVE - dt.timedelta(weeks=3)
    for c in result.conversations:
        assert c.on is not None and start <= c.on < EFFECTIVE
        assert c.on.weekday() < 5
        if c.handover_on is not None:
            assert start <= c.handover_on and c.handover_on.weekday() < 5
    assert result.window_start == dt.date(2026, 2, 9)
    assert result.window_end == dt.date(2026, 2, 27)


def test_most_important_clients_are_told_first() -> None:
    notices = [notice(i, importance) for i, importance in
               enumerate([5, 900, 40, 40, 7000, 1, 300, 12])]
    result = S.plan_conversations(notices, EFFECTIVE, max_per_day=1)
    ordered = sorted(result.conversations, key=lambda c: -c.importance)
    dates = [c.on for c in ordered]
    assert dates == sorted(dates)  # type: ignore[type-var]
    assert ordered[0].on == dt.date(2026, 2, 9)  # the first working day of the window
    # Eight clients over fifteen working days: spread out, not one a day from the start.
    assert ordered[-1].on is not None and ordered[-1].on >= dt.date(2026, 2, 23)


def test_a_window_too_short_is_reported_and_nobody_is_overloaded() -> None:
    notices = [notice(i, 1000 - i) for i in range(40)]
    result = S.plan_conversations(notices, EFFECTIVE, weeks_before=3, max_per_day=2)
    assert not result.fits
    assert len(result.unscheduled) == 10  # 15 working days x 2 = 30 conversations
    assert {c.client_id for c in result.unscheduled} == set(range(30, 40))
    assert "10 of 40 clients do not fit" in result.message
    assert "Client 30" in result.message
    assert max(meetings_per_person_day(result).values()) == 2


def test_no_days_left_before_the_effective_date_is_reported() -> None:
    result = S.plan_conversations([notice(1, 10)], EFFECTIVE,
                                  not_before=EFFECTIVE - dt.timedelta(days=1))  # a Sunday
    assert not result.fits
    assert "no working days left" in result.message


def test_days_before_today_are_not_used() -> None:
    today = dt.date(2026, 2, 18)
    result = S.plan_conversations([notice(i, 10 - i) for i in range(4)], EFFECTIVE,
                                  not_before=today)
    assert min(c.on for c in result.conversations if c.on) == today


def test_handover_comes_before_the_client_is_told() -> None:
    notices = [notice(i, 100 - i, new=BEN, previous=ANA) for i in range(5)]
    result = S.plan_conversations(notices, EFFECTIVE, max_per_day=2)
    assert result.fits, result.message
    for c in result.conversations:
        assert c.handover_from == ANA and c.handover_to == BEN
        assert c.handover_on is not None and c.on is not None
        assert c.handover_on < c.on
        # Ana, who knows the client, introduces Ben in a joint conversation.
        assert c.informer == ANA and c.introduces == BEN
    # One handover meeting between the two covers all five clients.
    assert len({c.handover_on for c in result.conversations}) == 1
    assert max(meetings_per_person_day(result).values()) <= 2


def test_no_handover_when_the_holder_stays_or_has_left() -> None:
    kept = notice(1, 10, new=ANA, previous=ANA)
    left = notice(2, 10, new=BEN, previous=CARA, previous_still_here=False,
                  previous_strength=3)
    result = S.plan_conversations([kept, left], EFFECTIVE)
    by_client = {c.client_id: c for c in result.conversations}
    assert by_client[1].handover_on is None and by_client[1].informer == ANA
    assert by_client[2].handover_on is None and by_client[2].informer == BEN


def test_the_person_who_knows_the_client_introduces_the_new_account_manager() -> None:
    theirs = notice(1, 10, new=BEN, previous=ANA, previous_strength=3,
                    account_manager_strength=1)
    equal = notice(2, 10, new=BEN, previous=ANA, previous_strength=2,
                   account_manager_strength=2)
    known_by_cara = notice(3, 10, new=BEN, previous=None, knower=CARA)
    assert S.choose_informer(theirs) == ANA
    assert S.choose_informer(equal) == ANA
    assert S.choose_informer(known_by_cara) == CARA
    assert S.choose_informer(notice(4, 10, new=BEN, knower=BEN)) == BEN
    assert S.choose_informer(notice(3, 1, new=None, previous=CARA)) == CARA
    assert S.choose_informer(notice(4, 1, new=None, previous=None)) is None


def test_a_client_with_no_one_to_inform_them_is_named() -> None:
    result = S.plan_conversations([notice(1, 5, new=None), notice(2, 3)], EFFECTIVE)
    assert not result.fits
    assert [c.client_id for c in result.unscheduled] == [1]
    assert "No one is set to inform Client 01" in result.message


def test_channel_follows_importance() -> None:
    notices = [notice(i, importance) for i, importance in
               enumerate([600, 500, 400, 300, 200, 100, 0])]
    channels = S.choose_channels(notices)
    assert [channels[i] for i in range(7)] == [
        "meeting", "meeting", "meeting", "call", "call", "call", "email"]
    ties = S.choose_channels([notice(1, 50), notice(2, 50), notice(3, 50), notice(4, 10)])
    assert ties[1] == ties[2] == ties[3] == "meeting"
    assert ties[4] == "call"


def test_talking_points_are_filled_per_client() -> None:
    pms = (("Ben Ode", "Web shop"), ("Cara Li", "Campaign"))
    result = S.plan_conversations(
        [notice(1, 10, new=ANA, previous=BEN, production_managers=pms)], EFFECTIVE)
    text = result.conversations[0].talking_points
    for heading in S.TALKING_POINT_HEADINGS:
        assert heading in text
    assert "How it helps Client 01" in text
    assert "Ana Ruiz becomes your Account Manager" in text
    assert "Ben Ode (Web shop) and Cara Li (Campaign)" in text
    assert "Monday 2 March 2026" in text
    assert "{" not in text


def test_user_text_in_the_template_is_kept_literally() -> None:
    template = ("Dear {client}, {account_manager} calls you. Budget: {budget}. "
                "Braces { stay }, {0} and {client.__class__} too.")
    hostile = S.ClientNotice(client_id=1, name="{account_manager} & <b>Co</b>",
                             importance=1, account_manager=ANA)
    result = S.plan_conversations([hostile], EFFECTIVE, template=template)
    assert result.conversations[0].talking_points == (
        "Dear {account_manager} & <b>Co</b>, Ana Ruiz calls you. Budget: {budget}. "
        "Braces { stay }, {0} and {client.__class__} too.")
    assert S.unknown_placeholders(template) == ("budget",)


def test_default_template_uses_only_known_placeholders() -> None:
    text = S.default_talking_points()
    assert S.unknown_placeholders(text) == ()
    assert [h for h in S.TALKING_POINT_HEADINGS if h in text] == list(S.TALKING_POINT_HEADINGS)


def test_nonsense_settings_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        S.plan_conversations([notice(1, 1)], EFFECTIVE, weeks_before=0, max_per_day=0)
    assert set(caught.value.problems) == {"weeks_before", "max_per_day"}


# --------------------------------------------------------------------------- pace


def per_person_week(result: S.Schedule) -> Counter[tuple[int, dt.date]]:
    weeks: Counter[tuple[int, dt.date]] = Counter()
    for (person, day), count in meetings_per_person_day(result).items():
        weeks[(person, day - dt.timedelta(days=day.weekday()))] += count
    return weeks


def test_conversations_use_the_whole_window_at_the_set_pace() -> None:
    # Twelve clients for one Account Manager, three weeks, up to four a day: the old
    # schedule put them all in the first three days.
    notices = [notice(i, 100 - i) for i in range(12)]
    result = S.plan_conversations(notices, EFFECTIVE, weeks_before=3, max_per_day=4)
    assert result.fits, result.message
    weeks = Counter(c.on - dt.timedelta(days=c.on.weekday())
                    for c in result.conversations if c.on)
    assert len(weeks) == 3 and max(weeks.values()) <= 5
    assert max(meetings_per_person_day(result).values()) == 1
    # Still the most important first.
    ordered = sorted(result.conversations, key=lambda c: -c.importance)
    assert [c.on for c in ordered] == sorted(c.on for c in ordered if c.on)


def test_the_weekly_limit_holds_and_says_so_when_too_tight() -> None:
    notices = [notice(i, 100 - i) for i in range(9)]
    result = S.plan_conversations(notices, EFFECTIVE, weeks_before=3, max_per_day=3,
                                  max_per_week=3)
    assert result.fits and max(per_person_week(result).values()) == 3
    tight = S.plan_conversations(notices + [notice(50, 1)], EFFECTIVE, weeks_before=3,
                                 max_per_day=3, max_per_week=3)
    assert [c.client_id for c in tight.unscheduled] == [50]
    assert "1 of 10 clients do not fit" in tight.message


def test_weekends_and_days_off_are_skipped() -> None:
    effective = dt.date(2027, 1, 11)  # a Monday; the window holds Christmas and New Year
    days_off = S.common_public_holidays(dt.date(2026, 12, 1), dt.date(2027, 1, 31))
    assert {dt.date(2026, 12, 25), dt.date(2026, 12, 26),
            dt.date(2027, 1, 1)} <= set(days_off)
    notices = [notice(i, 100 - i) for i in range(10)]
    notices += [notice(20 + i, 50 - i, new=BEN, previous=ANA) for i in range(5)]
    result = S.plan_conversations(notices, effective, weeks_before=3, max_per_day=2,
                                  non_working_days=days_off,
                                  not_before=dt.date(2026, 12, 14))
    assert result.fits, result.message
    used = {c.on for c in result.conversations} | {c.handover_on for c in
                                                   result.conversations if c.handover_on}
    for day in used:
        assert day is not None and day.weekday() < 5 and day not in days_off, day
    assert dt.date(2026, 12, 25) in S.working_days(dt.date(2026, 12, 21),
                                                   dt.date(2026, 12, 28))
    assert dt.date(2026, 12, 25) not in S.working_days(dt.date(2026, 12, 21),
                                                       dt.date(2026, 12, 28), days_off)


def test_easter_holidays_and_the_typed_list() -> None:
    spring = S.common_public_holidays(dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    assert spring == {dt.date(2026, 4, 3): "Good Friday", dt.date(2026, 4, 6): "Easter Monday"}
    text = "2026-12-25 Christmas Day\n\n2026-12-24\n# a comment\n"
    days = S.parse_non_working_days(text)
    assert days == {dt.date(2026, 12, 24): "", dt.date(2026, 12, 25): "Christmas Day"}
    assert S.parse_non_working_days(S.non_working_text(days)) == days
    with pytest.raises(ValidationError) as caught:
        S.parse_non_working_days("2026-12-25\nChristmas\n")
    assert "Line 2" in caught.value.problems["non_working_days"]


# --------------------------------------------------------------------------- handovers


def project(name: str, new: S.Person | None, old: S.Person | None) -> S.ProjectNotice:
    return S.ProjectNotice(name, production_manager=new, previous_production_manager=old)


def test_project_handovers_are_one_meeting_per_pair_before_the_date() -> None:
    notices = [notice(i, 10 - i, new=ANA, knower=ANA,
                      projects=(project(f"Site {i}", BEN, ANA), project(f"Ads {i}", CARA,
                                                                          CARA)))
               for i in range(3)]
    result = S.plan_conversations(notices, EFFECTIVE, max_per_day=1)
    assert result.fits, result.message
    [handover] = result.project_handovers
    assert (handover.handover_from, handover.handover_to) == (ANA, BEN)
    assert handover.projects == ("Client 00: Site 0", "Client 01: Site 1",
                                 "Client 02: Site 2")
    assert handover.on is not None and handover.on < EFFECTIVE
    assert max(meetings_per_person_day(result).values()) == 1


# --------------------------------------------------------------------------- outcomes


def test_talking_points_are_true_to_each_clients_outcome() -> None:
    new_am = notice(1, 40, new=ANA, knower=BEN, projects=(project("Site", BEN, BEN),))
    new_pm = notice(2, 30, new=ANA, knower=ANA, projects=(project("Site", BEN, ANA),))
    one = notice(3, 20, new=CARA, knower=ANA, projects=(project("Site", CARA, ANA),))
    same = notice(4, 10, new=ANA, knower=ANA, projects=(project("Site", BEN, BEN),))
    result = S.plan_conversations([new_am, new_pm, one, same], EFFECTIVE)
    by_client = {c.client_id: c for c in result.conversations}
    assert [by_client[i].outcome for i in (1, 2, 3, 4)] == list(S.OUTCOMES)
    assert "Ana Ruiz becomes your Account Manager" in by_client[1].talking_points
    assert by_client[1].informer == BEN and by_client[1].introduces == ANA
    assert "Ana Ruiz stays your Account Manager" in by_client[2].talking_points
    assert "split between two people" not in by_client[2].talking_points
    assert "Cara Li looks after both your account and the running of your work" in \
        by_client[3].talking_points
    assert "split between two people" not in by_client[3].talking_points
    assert "nothing changes" in by_client[4].talking_points
    assert "split" not in by_client[4].talking_points
    assert by_client[4].channel == S.CHANNEL_EMAIL
    for c in result.conversations:
        assert "{" not in c.talking_points
    # Edited texts are used per outcome; unchanged clients can be left out entirely.
    edited = S.plan_conversations([new_pm, same], EFFECTIVE, unchanged=S.UNCHANGED_SKIP,
                                  templates={S.OUTCOME_NEW_PRODUCTION_MANAGER: "Hi {client}"})
    assert [(c.client_id, c.talking_points) for c in edited.conversations] == [
        (2, "Hi Client 02")]


def test_default_templates_use_only_known_placeholders() -> None:
    for outcome in S.OUTCOMES:
        text = S.default_template(outcome)
        assert S.unknown_placeholders(text) == ()
        assert [h for h in S.TALKING_POINT_HEADINGS if h in text] == \
            list(S.TALKING_POINT_HEADINGS)
