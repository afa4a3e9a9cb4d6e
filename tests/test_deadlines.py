"""Deadline-aware fan-out: earliest deadline claimed first, a countdown true when each copy
is sent, big lead reminders started early, and the capacity said plainly."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from bot.cli import main
from bot.core.capacity import capacity_lines, head_start
from bot.core.render import at_send_time, render_lead, render_live
from bot.core.schedule import load_catalog
from bot.store.store import NotificationData, Store
from tests.helpers import SCHEDULES, bulk_subscribe, post_json, sync_url, utc

T0 = utc(2026, 6, 6, 8, 0)
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(db_url)
    yield opened
    await opened.close()


async def test_the_earliest_deadline_is_claimed_first_not_the_oldest_row(store: Store) -> None:
    await bulk_subscribe(store, "fake", ["1", "2", "3"], T0)
    fans = await store.targets()
    day, five = T0 + timedelta(days=1), T0 + timedelta(minutes=5)
    for key, expires in (("announce", day), ("results", None), ("lead-15", five)):
        note = NotificationData(key, "x", T0, expires, {"sv": post_json(key)})
        await store.enqueue(note, fans, T0)
    lease = timedelta(seconds=30)
    first = await store.claim("fake", "w", T0, 3, lease)
    assert [c.notification_key for c in first] == ["lead-15"] * 3
    second = await store.claim("fake", "w", T0, 4, lease)
    assert [c.notification_key for c in second] == ["announce"] * 3 + ["results"]
    assert second[-1].expires is None  # a result has no deadline, and is served last


def test_the_claim_reads_the_deadline_index_in_order(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plan.db'}"
    asyncio.run(_open_and_close(url))
    engine = create_engine(sync_url(url))
    with engine.connect() as conn:
        plan = " ".join(
            str(row[-1])
            for row in conn.execute(
                text(
                    "EXPLAIN QUERY PLAN SELECT id FROM deliveries WHERE platform = 'telegram'"
                    " AND status = 'pending' AND coalesce(next_attempt_at, next_attempt_at)"
                    " <= '2026-01-01' ORDER BY expires, id LIMIT 90"
                )
            )
        )
    engine.dispose()
    assert "ix_deliveries_deadline" in plan
    assert "TEMP B-TREE" not in plan  # no sort of every ready row


async def _open_and_close(url: str) -> None:
    await (await Store.open(url)).close()


def test_a_lead_says_the_minutes_really_left_when_it_is_sent() -> None:
    ref = next(iter(load_catalog(SCHEDULES).sessions()))
    start = ref.session.start
    post = render_lead(ref, 15, "sv", STOCKHOLM, STOCKHOLM)
    assert "startar om 15 min" in post.title
    early = at_send_time(post, start - timedelta(minutes=17))
    assert "startar om 17 min" in early.title
    late = at_send_time(post, start - timedelta(minutes=11, seconds=30))
    assert "startar om 12 min" in late.title  # rounded up
    assert early.lines == post.lines
    hour = at_send_time(
        render_lead(ref, 60, "en", STOCKHOLM, STOCKHOLM), start - timedelta(minutes=62)
    )
    assert "starts in 1 h 2 min" in hour.title
    live = render_live(ref, "sv", STOCKHOLM, STOCKHOLM)
    assert at_send_time(live, start) == live  # no countdown: unchanged


def test_a_big_lead_starts_early_enough_and_never_more_than_half_its_lead() -> None:
    rates = {"telegram": 29.0, "discord": 48.0}
    assert head_start({"telegram": 100_000}, rates, 60) == timedelta(minutes=30)
    assert head_start({"telegram": 100_000}, rates, 15) == timedelta(minutes=7)
    assert head_start({"telegram": 5_000, "discord": 200}, rates, 60) == timedelta(minutes=2)
    assert head_start({"telegram": 500}, rates, 60) == timedelta(0)
    assert head_start({"console": 10}, rates, 60) == timedelta(0)


def test_capacity_is_said_with_advice_only_when_a_fan_out_outlasts_a_reminder() -> None:
    census = {"telegram": {"private": 100_000, "channel": 1, "group": 20}, "discord": {"dm": 10}}
    lines = capacity_lines(census, {"telegram": 30.0, "discord": 48.0})
    assert lines == [
        "capacity: 10 private chats on Discord (of 10 chats) need 0 s per notification at 48/s",
        "capacity: 100000 private chats on Telegram (of 100021 chats) need 56 min per"
        " notification at 30/s — use a channel, groups or paid broadcasts",
    ]


def test_racebot_check_reports_the_capacity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bot.toml"
    config.write_text(
        f'[bot]\nschedules = "{SCHEDULES}"\n\n[storage]\nurl = "sqlite:///{tmp_path}/r.db"\n',
        encoding="utf-8",
    )
    assert main(["check", "--config", str(config)]) == 0
    assert "capacity" not in capsys.readouterr().out  # no database yet: nothing to say
    assert not (tmp_path / "r.db").exists()  # and check did not create one

    async def fill() -> None:
        store = await Store.open(f"sqlite:///{tmp_path}/r.db")
        await bulk_subscribe(store, "telegram", [str(n) for n in range(20_000)], T0)
        await store.close()

    asyncio.run(fill())
    assert main(["check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert (
        "capacity: 20000 private chats on Telegram (of 20000 chats) need 11 min per"
        " notification at 29/s — use a channel, groups or paid broadcasts"
    ) in out
    # Paid broadcasts on: the same audience at their own rate, and the line says they cost.
    paid = config.read_text(encoding="utf-8") + "\n[telegram]\npaid_broadcast = true\n"
    config.write_text(paid, encoding="utf-8")
    assert main(["check", "--config", str(config)]) == 0
    assert (
        "capacity: 20000 private chats on Telegram (of 20000 chats) need 20 s per"
        " notification at 1000/s (paid broadcasts: 0.1 Stars a message beyond the free 30/s)"
    ) in capsys.readouterr().out
