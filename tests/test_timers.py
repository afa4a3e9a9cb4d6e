"""Both timer engines keep the same contract: one job per key, replaced not doubled,
dropped by retain, late jobs run at once. APScheduler runs on real time (milliseconds)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from bot.core.clock import VirtualClock
from bot.timers import APSchedulerTimer, ClockTimer


def _recorder(log: list[str], name: str) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        log.append(name)

    return run


async def test_apscheduler_timer_runs_replaces_and_retains() -> None:
    timer = APSchedulerTimer()
    await timer.start()
    log: list[str] = []
    now = datetime.now(UTC)
    try:
        timer.schedule("a", now + timedelta(milliseconds=30), _recorder(log, "a-old"))
        timer.schedule("a", now + timedelta(milliseconds=40), _recorder(log, "a"))
        timer.schedule("b", now + timedelta(milliseconds=40), _recorder(log, "b"))
        timer.schedule("late", now - timedelta(seconds=5), _recorder(log, "late"))
        assert timer.pending() >= {"a", "b"}
        timer.retain({"a", "late"})
        assert "b" not in timer.pending()
        for _ in range(100):
            if {"a", "late"} <= set(log):
                break
            await asyncio.sleep(0.005)
    finally:
        await timer.stop()
    assert sorted(log) == ["a", "late"]
    assert timer.pending() == set()


async def test_clock_timer_follows_the_virtual_clock() -> None:
    clock = VirtualClock(datetime(2020, 11, 7, 10, 0, tzinfo=UTC))
    timer = ClockTimer(clock)
    log: list[str] = []
    timer.schedule("race1/live", clock.now() + timedelta(minutes=15), _recorder(log, "old"))
    timer.schedule("race1/live", clock.now() + timedelta(minutes=25), _recorder(log, "new"))
    timer.schedule("gone", clock.now() + timedelta(minutes=5), _recorder(log, "gone"))
    timer.retain({"race1/live"})
    await clock.advance(timedelta(minutes=20))
    assert log == []
    await clock.advance(timedelta(minutes=10))
    assert log == ["new"]
    await timer.stop()
