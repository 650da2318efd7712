"""A window left open past midnight brings in the roles a plan changes on the new day."""

from __future__ import annotations

import datetime as dt

from studio_desk.gui import main_window as main_window_module
from studio_desk.store import holders


def test_the_window_catches_up_again_after_midnight(qtbot, make_window, small_studio,
                                                    monkeypatch):
    calls: list[object] = []
    real = holders.catch_up_workspace

    def counted(workspace):  # type: ignore[no-untyped-def]
        calls.append(workspace)
        return real(workspace)

    monkeypatch.setattr(holders, "catch_up_workspace", counted)
    window = make_window(small_studio.path)
    qtbot.waitUntil(lambda: len(calls) == 1)
    timer = window.new_day_timer
    assert timer.isActive() and timer.remainingTime() <= 24 * 3600 * 1000 + 5000
    timer.timeout.emit()  # midnight has come
    qtbot.waitUntil(lambda: len(calls) == 2)
    assert timer.isActive()  # and the next midnight is waited for


def test_the_wait_ends_just_after_the_next_midnight():
    wait = main_window_module._ms_until_tomorrow(dt.datetime(2026, 12, 27, 23, 59, 0))
    assert wait == 65_000
    assert main_window_module._ms_until_tomorrow(dt.datetime(2026, 12, 28, 0, 0, 4)) \
        == 24 * 3600 * 1000 + 1000
