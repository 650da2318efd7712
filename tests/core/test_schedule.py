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
    """Every conversation someone takes part in: client talks and both sides of handovers."""
    count: Counter[tuple[int, dt.date]] = Counter()
    for c in result.conversations:
        if c.on is not None and c.informer is not None:
            count[(c.informer.id, c.on)] += 1
        if c.handover_on is not None:
            assert c.handover_from is not None and c.handover_to is not None
            count[(c.handover_from.id, c.handover_on)] += 1
            count[(c.handover_to.id, c.handover_on)] += 1
    return count


def test_never_more_than_the_daily_limit_and_only_on_working_days() -> None:
    notices = [notice(i, 100 - i) for i in range(12)]
    notices += [notice(20 + i, 50 - i, new=BEN, previous=ANA) for i in range(6)]
    result = S.plan_conversations(notices, EFFECTIVE, weeks_before=3, max_per_day=2)
    assert result.fits, result.message
    assert result.message == ""
    per_day = meetings_per_person_day(result)
    assert max(per_day.values()) == 2
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
    # One a day, Monday to Friday: the sixth client is on the next Monday.
    assert ordered[5].on == dt.date(2026, 2, 16)


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
        assert c.informer == BEN
    assert max(meetings_per_person_day(result).values()) <= 2


def test_no_handover_when_the_holder_stays_or_has_left() -> None:
    kept = notice(1, 10, new=ANA, previous=ANA)
    left = notice(2, 10, new=BEN, previous=CARA, previous_still_here=False,
                  previous_strength=3)
    result = S.plan_conversations([kept, left], EFFECTIVE)
    by_client = {c.client_id: c for c in result.conversations}
    assert by_client[1].handover_on is None and by_client[1].informer == ANA
    assert by_client[2].handover_on is None and by_client[2].informer == BEN


def test_the_previous_holder_informs_when_the_relationship_is_theirs() -> None:
    theirs = notice(1, 10, new=BEN, previous=ANA, previous_strength=3,
                    account_manager_strength=1)
    equal = notice(2, 10, new=BEN, previous=ANA, previous_strength=2,
                   account_manager_strength=2)
    assert S.choose_informer(theirs) == ANA
    assert S.choose_informer(equal) == BEN
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
