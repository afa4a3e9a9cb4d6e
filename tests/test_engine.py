"""The reminder engine end to end on a virtual clock: App + ClockTimer + store + console.

Every test runs on SQLite, and on PostgreSQL too when RACEBOT_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config
from bot.core.clock import VirtualClock
from bot.core.errors import ScheduleErrors
from bot.core.markup import plain_text
from bot.platforms.console import ConsoleSender
from bot.store import subscriptions
from bot.store.store import EXPIRED, SENT, SUPERSEDED, DeliveryRecord, NotificationData
from tests.builders import Event, Sess, knutstorp_2026, schedule_toml, session
from tests.helpers import (
    AppHarness,
    delivery_rows,
    make_config,
    post_json,
    running_app,
    utc,
    write_schedule,
)

THURSDAY = utc(2020, 11, 5, 16, 55)
AFTER_RACE2 = utc(2020, 11, 7, 14, 0)
JARAMA = "tcr-europe-2020/r6"
STOCKHOLM = ZoneInfo("Europe/Stockholm")

# (key suffix, due in UTC) for the whole Jarama weekend, Swedish times minus one hour
#: A default fan's Jarama weekend: practice gets one reminder (the shortest lead) and no
#: "LIVE NU"; qualifying and the races every lead and "LIVE NU" (#14).
JARAMA_PLAN = [
    ("preview", utc(2020, 11, 5, 17, 0)),
    ("fp1/lead-15@20201106T0950Z", utc(2020, 11, 6, 9, 35)),
    ("fp2/lead-15@20201106T1210Z", utc(2020, 11, 6, 11, 55)),
    ("q/lead-60@20201106T1400Z", utc(2020, 11, 6, 13, 0)),
    ("q/lead-15@20201106T1400Z", utc(2020, 11, 6, 13, 45)),
    ("q/live@20201106T1400Z", utc(2020, 11, 6, 14, 0)),
    ("race1/lead-60@20201107T1015Z", utc(2020, 11, 7, 9, 15)),
    ("race1/lead-15@20201107T1015Z", utc(2020, 11, 7, 10, 0)),
    ("race1/live@20201107T1015Z", utc(2020, 11, 7, 10, 15)),
    ("race2/lead-60@20201107T1305Z", utc(2020, 11, 7, 12, 5)),
    ("race2/lead-15@20201107T1305Z", utc(2020, 11, 7, 12, 50)),
    ("race2/live@20201107T1305Z", utc(2020, 11, 7, 13, 5)),
]


class Harness(AppHarness):
    """One running App on a virtual clock, posting through a ConsoleSender into a buffer."""

    def __init__(self, config: Config, clock: VirtualClock) -> None:
        self.config = config
        self.clock = clock
        self.out = io.StringIO()
        self.sender = ConsoleSender(out=self.out, clock=clock)
        self._running = contextlib.AsyncExitStack()

    async def start(self) -> Harness:
        self.app = await self._running.enter_async_context(
            running_app(self.config, self.clock, (self.sender,), console_target=True)
        )
        await self.settle()
        return self

    async def stop(self) -> None:
        await self._running.aclose()

    async def sent(self, chat_id: str = "console") -> list[tuple[str, datetime | None]]:
        rows = await delivery_rows(self.app.store)
        return [(key, at) for key, chat, status, at in rows if chat == chat_id and status == SENT]

    def titles(self, chat_id: str = "console") -> list[str]:
        return [post.title for chat, post in self.sender.posts if chat == chat_id]


Factory = Callable[..., AsyncIterator[Harness]]


def is_live(title: str) -> bool:
    """A session's start post: "LIVE NU" with a stream to watch, "startar nu" without."""
    return "LIVE NU" in title or "startar nu" in title


@pytest.fixture
async def harnesses() -> AsyncIterator[list[Harness]]:
    started: list[Harness] = []
    yield started
    for harness in started:
        with contextlib.suppress(Exception):  # already stopped by the test
            await harness.stop()


async def start(harnesses: list[Harness], config: Config, clock: VirtualClock) -> Harness:
    harness = Harness(config, clock)
    harnesses.append(harness)
    return await harness.start()


async def test_jarama_weekend_posts_every_reminder_once_in_order(
    tmp_path: Path, db_url: str, harnesses: list[Harness]
) -> None:
    clock = VirtualClock(THURSDAY)
    h = await start(harnesses, make_config(tmp_path, url=db_url), clock)
    await h.run_to(AFTER_RACE2)

    sent = await h.sent()
    assert sent == [(f"{JARAMA}/{suffix}", due) for suffix, due in JARAMA_PLAN]
    assert len(h.sender.posts) == len(JARAMA_PLAN)  # nothing twice
    titles = h.titles()
    assert "LIVE NU: Race 1" in titles[8]
    assert sum("LIVE NU" in t for t in titles) == 2  # the races: the only ones with a stream
    assert sum("startar nu" in t for t in titles) == 1  # qualifying: live timing only
    text = h.out.getvalue()
    assert "11:15" in text  # Race 1 in Swedish time
    # running further (and firing again) adds nothing for the weekend
    await h.app.engine.rebuild()
    await h.run_to(AFTER_RACE2 + timedelta(hours=2))
    assert await h.sent() == sent


def _ring_weekend(key: str, number: int, name: str, first: date, last: date) -> Event:
    """Qualifying at 10:00 on the Saturday, the race at 10:00 on the Sunday."""
    saturday, sunday = (datetime.combine(day, time(10, 0)) for day in (first, last))
    sessions = [
        session("q", "Kval", "qualifying", saturday, duration=30),
        session("race", "Race", "race", sunday, duration=45),
    ]
    return Event(key, number, name, "Ring", first, sessions, last_day=last)


#: The weekends of the spring (29 March 2026) and autumn (25 October) clock changes.
DST_SCHEDULE = schedule_toml(
    "dst-2026",
    "DST Cup",
    2026,
    [
        _ring_weekend("spring", 1, "Vår", date(2026, 3, 28), date(2026, 3, 29)),
        _ring_weekend("autumn", 2, "Höst", date(2026, 10, 24), date(2026, 10, 25)),
    ],
    timezone="Europe/Stockholm",
)


async def test_reminders_fire_at_the_right_instants_across_dst(
    tmp_path: Path, db_url: str, harnesses: list[Harness]
) -> None:
    folder = tmp_path / "schedules"
    write_schedule(folder, "dst-2026.toml", DST_SCHEDULE)
    clock = VirtualClock(utc(2026, 3, 27, 12, 0))
    config = make_config(tmp_path, folder, url=db_url, retention_days=365)  # reads March
    h = await start(harnesses, config, clock)
    await h.run_to(utc(2026, 3, 30))
    await clock.advance_to(utc(2026, 10, 23, 12, 0))
    await h.run_to(utc(2026, 10, 26))

    sent = dict(await h.sent())
    expected = {
        # spring: Saturday still CET (UTC+1), Sunday already CEST (UTC+2)
        "dst-2026/spring/preview": utc(2026, 3, 27, 17, 0),
        "dst-2026/spring/q/lead-15@20260328T0900Z": utc(2026, 3, 28, 8, 45),
        "dst-2026/spring/q/live@20260328T0900Z": utc(2026, 3, 28, 9, 0),
        "dst-2026/spring/race/lead-60@20260329T0800Z": utc(2026, 3, 29, 7, 0),
        "dst-2026/spring/race/lead-15@20260329T0800Z": utc(2026, 3, 29, 7, 45),
        "dst-2026/spring/race/live@20260329T0800Z": utc(2026, 3, 29, 8, 0),
        # autumn: Saturday still CEST, Sunday 10:00 CET = 09:00 UTC
        "dst-2026/autumn/preview": utc(2026, 10, 23, 16, 0),
        "dst-2026/autumn/q/lead-15@20261024T0800Z": utc(2026, 10, 24, 7, 45),
        "dst-2026/autumn/q/live@20261024T0800Z": utc(2026, 10, 24, 8, 0),
        "dst-2026/autumn/race/lead-60@20261025T0900Z": utc(2026, 10, 25, 8, 0),
        "dst-2026/autumn/race/lead-15@20261025T0900Z": utc(2026, 10, 25, 8, 45),
        "dst-2026/autumn/race/live@20261025T0900Z": utc(2026, 10, 25, 9, 0),
    }
    for key, at in expected.items():
        assert sent.get(key) == at, key
    assert len(sent) == 14
    assert len(h.sender.posts) == 14
    # the Sunday posts still say 10:00 in Swedish time on both sides of the change
    lives = [
        plain_text(p, STOCKHOLM)
        for _, p in h.sender.posts
        if is_live(p.title) and "Race" in p.title
    ]
    assert len(lives) == 2
    assert all("10:00" in text for text in lives)


def _asian_round(event: tuple[str, int, str, str], zone: str, race: datetime) -> Event:
    """A race on Sunday at ``race`` track time, its times shown in the track's zone."""
    key, number, name, circuit = event
    country = {"Asia/Seoul": "KR", "Asia/Macau": "MO"}[zone]
    saturday = race.date() - timedelta(days=1)
    sessions = [session("race", "Race", "race", race, duration=45)]
    return Event(
        key,
        number,
        name,
        circuit,
        saturday,
        sessions,
        last_day=race.date(),
        country=country,
        track_timezone=zone,
        timezone=zone,
    )


ASIA_SCHEDULE = schedule_toml(
    "asia-2026",
    "Asia Cup",
    2026,
    [
        _asian_round(("inje", 1, "Inje", "Inje Speedium"), "Asia/Seoul", datetime(2026, 10, 4, 14)),
        _asian_round(
            ("macau", 2, "Macau", "Guia Circuit"), "Asia/Macau", datetime(2026, 11, 15, 10)
        ),
    ],
    timezone="Europe/Stockholm",
)


async def test_asian_tracks_fire_on_track_time_and_post_swedish_time(
    tmp_path: Path, db_url: str, harnesses: list[Harness]
) -> None:
    folder = tmp_path / "schedules"
    write_schedule(folder, "asia-2026.toml", ASIA_SCHEDULE)
    clock = VirtualClock(utc(2026, 10, 2, 12, 0))
    config = make_config(tmp_path, folder, url=db_url, retention_days=365)  # reads October
    h = await start(harnesses, config, clock)
    await h.app.store.subscribe("console", "seoul", clock.now(), timezone="Asia/Seoul")
    await h.run_to(utc(2026, 10, 5))
    await clock.advance_to(utc(2026, 11, 14, 12, 0))  # weeks with nothing due
    await h.run_to(utc(2026, 11, 16))

    sent = dict(await h.sent())
    # Inje 14:00 KST = 05:00 UTC = 07:00 Swedish summer time
    assert sent["asia-2026/inje/race/live@20261004T0500Z"] == utc(2026, 10, 4, 5, 0)
    assert sent["asia-2026/inje/race/lead-15@20261004T0500Z"] == utc(2026, 10, 4, 4, 45)
    # Macau 10:00 (UTC+8) = 02:00 UTC = 03:00 Swedish winter time
    assert sent["asia-2026/macau/race/live@20261115T0200Z"] == utc(2026, 11, 15, 2, 0)
    assert sent["asia-2026/macau/race/lead-60@20261115T0200Z"] == utc(2026, 11, 15, 1, 0)

    swedish = [p for chat, p in h.sender.posts if chat == "console" and is_live(p.title)]
    assert "07:00" in plain_text(swedish[0], STOCKHOLM)
    assert "03:00" in plain_text(swedish[1], STOCKHOLM)
    console = h.out.getvalue()
    assert "07:00" in console
    assert "03:00" in console
    seoul = [p for chat, p in h.sender.posts if chat == "seoul" and is_live(p.title)]
    assert "14:00" in plain_text(seoul[0], ZoneInfo("Asia/Seoul"))


async def test_delay_past_a_sent_reminder_sends_change_and_new_reminders(
    tmp_path: Path, db_url: str, harnesses: list[Harness]
) -> None:
    clock = VirtualClock(THURSDAY)
    h = await start(harnesses, make_config(tmp_path, url=db_url), clock)
    await h.run_to(utc(2020, 11, 7, 12, 55))  # Race 2's 15-minute reminder is out
    before = [k for k, _ in await h.sent()]
    assert f"{JARAMA}/race2/lead-15@20201107T1305Z" in before

    ref = (await h.app.engine.delay(f"{JARAMA}/race2", 30)).ref
    assert ref.session.start == utc(2020, 11, 7, 13, 35)
    await h.run_to(AFTER_RACE2 + timedelta(hours=1))

    sent = await h.sent()
    keys = [k for k, _ in sent]
    assert keys[: len(before)] == before
    new = dict(sent[len(before) :])
    assert new == {
        f"{JARAMA}/race2/change-1": utc(2020, 11, 7, 12, 55),
        f"{JARAMA}/race2/lead-15@20201107T1335Z": utc(2020, 11, 7, 13, 20),
        f"{JARAMA}/race2/live@20201107T1335Z": utc(2020, 11, 7, 13, 35),
    }
    assert f"{JARAMA}/race2/live@20201107T1305Z" not in keys
    assert Counter(keys)[f"{JARAMA}/race2/lead-15@20201107T1305Z"] == 1
    change = next(p for _, p in h.sender.posts if "flyttas" in p.title)
    text = plain_text(change, STOCKHOLM)
    assert "14:35" in text
    assert "14:05" in text


async def test_cancel_sends_notice_and_no_live_post(
    tmp_path: Path, db_url: str, harnesses: list[Harness]
) -> None:
    clock = VirtualClock(THURSDAY)
    h = await start(harnesses, make_config(tmp_path, url=db_url), clock)
    await h.run_to(utc(2020, 11, 7, 12, 55))
    await h.app.engine.cancel(f"{JARAMA}/race2")
    await h.run_to(AFTER_RACE2 + timedelta(hours=1))

    keys = [k for k, _ in await h.sent()]
    assert keys[-1] == f"{JARAMA}/race2/change-1"
    assert not any(k.startswith(f"{JARAMA}/race2/live") for k in keys)
    assert "Inställt" in h.titles()[-1]
    assert not any(is_live(t) and "Race 2" in t for t in h.titles())


async def test_downtime_across_a_due_time(
    tmp_path: Path, db_url: str, harnesses: list[Harness]
) -> None:
    config = make_config(tmp_path, url=db_url)
    clock = VirtualClock(THURSDAY)
    first = await start(harnesses, config, clock)
    await first.run_to(utc(2020, 11, 7, 9, 50))  # Race 1's 60-minute reminder is out
    delivered = [k for k, _ in await first.sent()]
    assert delivered[-1] == f"{JARAMA}/race1/lead-60@20201107T1015Z"
    await first.stop()
    harnesses.remove(first)

    # down from 09:50 to 10:25 UTC: lead-15 (10:00, grace 5 min) is lost, Race 1 is on
    await clock.advance_to(utc(2020, 11, 7, 10, 25))
    second = await start(harnesses, config, clock)
    sent = await second.sent()
    keys = [k for k, _ in sent]
    assert keys[: len(delivered)] == delivered
    assert keys[len(delivered) :] == [f"{JARAMA}/race1/live@20201107T1015Z"]
    assert sent[-1][1] == utc(2020, 11, 7, 10, 25)  # late, but during the session
    assert second.sender.posts
    assert "LIVE NU: Race 1" in second.sender.posts[0][1].title

    await second.run_to(AFTER_RACE2)
    keys = [k for k, _ in await second.sent()]
    assert f"{JARAMA}/race1/lead-15@20201107T1015Z" not in keys
    assert len(keys) == len(set(keys)) == len(JARAMA_PLAN) - 1
    assert len(first.sender.posts) + len(second.sender.posts) == len(keys)


MINI_RACE1 = session("race1", "Race 1", "race", datetime(2026, 6, 6, 12, 0), duration=30)
MINI_RACE2 = session("race2", "Race 2", "race", datetime(2026, 6, 6, 15, 0), duration=30)


def mini_cup(*sessions: Sess) -> str:
    """The Mini Cup: one Saturday at Knutstorp with the given races."""
    return schedule_toml(
        "mini-2026", "Mini Cup", 2026, [knutstorp_2026(*sessions)], timezone="Europe/Stockholm"
    )


async def test_reload_that_removes_a_session_supersedes_its_reminders(
    tmp_path: Path, db_url: str, harnesses: list[Harness]
) -> None:
    folder = tmp_path / "schedules"
    path = write_schedule(folder, "mini-2026.toml", mini_cup(MINI_RACE1, MINI_RACE2))
    clock = VirtualClock(utc(2026, 6, 6, 8, 0))  # after the preview
    h = await start(harnesses, make_config(tmp_path, folder, url=db_url), clock)
    engine = h.app.engine
    race2_live = "mini-2026/r1/race2/live@20260606T1300Z"
    assert race2_live in engine.timer.pending()
    # a reminder of Race 2 already queued but not yet sent
    target = await h.app.store.get_subscription("console", "console")
    assert target is not None
    queued = NotificationData(
        key="mini-2026/r1/race2/lead-60@20260606T1300Z",
        kind="lead",
        due=clock.now(),
        expires=utc(2026, 6, 6, 13, 0),
        posts={"sv": post_json("Race 2 om 60 min")},
        series_id="mini-2026",
        session_key="mini-2026/r1/race2",
        session_kind="race",
        lead=60,
    )
    await h.app.store.enqueue(queued, [target], clock.now())

    path.write_text(mini_cup(MINI_RACE1), encoding="utf-8")
    await engine.reload()
    assert not any("race2" in key for key in engine.timer.pending())
    await h.run_to(utc(2026, 6, 7))

    rows = await delivery_rows(h.app.store)
    race2 = [(key, status) for key, _, status, _ in rows if "/race2/" in key]
    assert race2 == [(queued.key, SUPERSEDED)]
    assert all("Race 2" not in t for t in h.titles())
    assert any(is_live(t) and "Race 1" in t for t in h.titles())


async def test_reload_of_a_broken_file_keeps_the_old_schedule(
    tmp_path: Path, db_url: str, harnesses: list[Harness]
) -> None:
    folder = tmp_path / "schedules"
    path = write_schedule(folder, "mini-2026.toml", mini_cup(MINI_RACE1, MINI_RACE2))
    clock = VirtualClock(utc(2026, 6, 6, 8, 0))
    h = await start(harnesses, make_config(tmp_path, folder, url=db_url), clock)
    engine = h.app.engine
    catalog, pending = engine.catalog, engine.timer.pending()

    path.write_text(path.read_text().replace("2026-06-06T15:00:00", "2026-06-06T25:00:00"))
    with pytest.raises(ScheduleErrors) as caught:
        await engine.reload()
    assert "mini-2026.toml" in str(caught.value)
    assert engine.catalog is catalog
    assert engine.timer.pending() == pending
    await h.run_to(utc(2026, 6, 7))
    assert sum(is_live(t) for t in h.titles()) == 2


async def test_subscription_filters(tmp_path: Path, db_url: str, harnesses: list[Harness]) -> None:
    clock = VirtualClock(THURSDAY)
    h = await start(harnesses, make_config(tmp_path, url=db_url), clock)
    store, now = h.app.store, clock.now()
    await store.subscribe("console", "races", now, kinds=("race",))
    await store.subscribe("console", "wtcr", now, series=("wtcr-2021",))
    await store.subscribe("console", "lead30", now, leads=(30,))
    await store.subscribe("console", "english", now, language="en")
    await h.app.engine.rebuild()  # the extra 30-minute lead is planned
    await h.run_to(AFTER_RACE2)

    def suffixes(keys: list[str]) -> list[str]:
        return [k.removeprefix(f"{JARAMA}/") for k in keys]

    races = suffixes([k for k, _ in await h.sent("races")])
    assert races == ["preview"] + [s for s, _ in JARAMA_PLAN if s.startswith("race")]
    assert await h.sent("wtcr") == []
    lead30 = suffixes([k for k, _ in await h.sent("lead30")])
    assert [k for k in lead30 if "lead" in k] == [
        f"{s}/lead-30@{at}"
        for s, at in [
            ("fp1", "20201106T0950Z"),
            ("fp2", "20201106T1210Z"),
            ("q", "20201106T1400Z"),
            ("race1", "20201107T1015Z"),
            ("race2", "20201107T1305Z"),
        ]
    ]
    assert len(lead30) == 1 + 5 + 3  # preview, one lead per session, LIVE NU but practice
    default = [k for k, _ in await h.sent()]
    assert not any("lead-30" in k for k in default)
    assert len(default) == len(JARAMA_PLAN)
    english = [t for chat, p in h.sender.posts if chat == "english" for t in [p.title]]
    assert any("LIVE NOW" in t for t in english)


async def test_stale_rows_are_never_sent(
    tmp_path: Path, db_url: str, harnesses: list[Harness]
) -> None:
    clock = VirtualClock(THURSDAY)
    h = await start(harnesses, make_config(tmp_path, url=db_url), clock)
    target = await h.app.store.get_subscription("console", "console")
    assert target is not None
    stale = NotificationData(
        key="stale/test",
        kind="lead",
        due=clock.now() - timedelta(hours=1),
        expires=clock.now() - timedelta(minutes=1),
        posts={"sv": post_json("För sent")},
    )
    assert await h.app.store.enqueue(stale, [target], clock.now()) == 1
    h.app.workers["console"].wake()
    await h.settle()
    assert await h.app.store.deliveries_for("stale/test") == [
        DeliveryRecord(
            platform="console",
            chat_id="console",
            status=EXPIRED,
            message_ids=(),
            attempts=1,
            error="too late to be useful",
        )
    ]
    assert h.sender.posts == []


async def test_subscription_changes_reach_the_next_fire(
    tmp_path: Path, db_url: str, harnesses: list[Harness], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fires share the targets read from memory; every subscription change is seen next."""
    monkeypatch.setattr(subscriptions, "TARGETS_MAX_AGE", 3600.0)  # only a change may refresh
    clock = VirtualClock(THURSDAY)
    h = await start(harnesses, make_config(tmp_path, url=db_url), clock)
    store, engine = h.app.store, h.app.engine
    await h.run_to(utc(2020, 11, 5, 17, 1))  # the preview went out: the targets are in memory

    def keys(sent: list[tuple[str, datetime | None]]) -> list[str]:
        return [k.removeprefix(f"{JARAMA}/") for k, _ in sent]

    await store.subscribe("console", "fan", clock.now())
    await h.run_to(utc(2020, 11, 6, 9, 36))  # FP1 gets one reminder: 15 minutes before
    assert keys(await h.sent("fan")) == ["fp1/lead-15@20201106T0950Z"]

    await store.update_subscription("console", "fan", clock.now(), kinds=("race",))
    await h.run_to(utc(2020, 11, 6, 11, 56))  # FP2's reminder: not a race
    assert keys(await h.sent("fan")) == ["fp1/lead-15@20201106T0950Z"]

    await store.update_subscription("console", "fan", clock.now(), kinds=None, language="en")
    await h.run_to(utc(2020, 11, 6, 14, 1))
    assert keys(await h.sent("fan"))[-1] == "q/live@20201106T1400Z"
    assert "is starting now" in h.titles("fan")[-1]  # qualifying: live timing, no stream

    fan = await store.get_subscription("console", "fan")
    assert fan is not None
    await store.deactivate(fan.id, "blocked", clock.now())
    await store.subscribe("console", "-1", clock.now(), chat_kind="group")
    await h.run_to(utc(2020, 11, 7, 9, 16))
    assert keys(await h.sent("fan"))[-1] == "q/live@20201106T1400Z"
    assert keys(await h.sent("-1")) == ["race1/lead-60@20201107T1015Z"]

    await store.move_chat("console", "-1", "-100", clock.now())
    await h.run_to(utc(2020, 11, 7, 10, 1))
    assert keys(await h.sent("-100")) == [
        "race1/lead-60@20201107T1015Z",  # the row follows its subscription to the new id
        "race1/lead-15@20201107T1015Z",
    ]
    assert engine.busy == 0


async def test_delay_of_a_cancelled_session_is_refused_not_sent(
    tmp_path: Path, db_url: str, harnesses: list[Harness]
) -> None:
    """Its fans were told "Inställt"; a delay would send a second notice that contradicts it."""
    from bot.service.types import Caller

    clock = VirtualClock(THURSDAY)
    h = await start(harnesses, make_config(tmp_path, url=db_url), clock)
    await h.run_to(utc(2020, 11, 7, 12, 0))
    staff = Caller("console", "console", "local", "du", is_staff=True, language="sv")
    commands = h.app.commands
    early = await commands.handle(staff, "delay", f"{JARAMA}/race2 10")  # drafted while still on
    assert early.confirm
    await h.app.engine.cancel(f"{JARAMA}/race2")
    await h.settle()
    assert len([t for t in h.titles() if "Inställt" in t]) == 1

    refused = await commands.handle(staff, "delay", f"{JARAMA}/race2 10")
    assert not refused.confirm
    assert "är inställt och kan inte flyttas" in plain_text(refused.post)
    english = await commands.handle(
        Caller("console", "console", "local", "you", is_staff=True, language="en"),
        "delay",
        f"{JARAMA}/race2 10",
    )
    assert "is cancelled and cannot be moved" in plain_text(english.post)

    published = await commands.confirm(staff, early.confirm)  # the older draft
    assert "är inställt och kan inte flyttas" in plain_text(published.post)
    await h.run_to(AFTER_RACE2 + timedelta(hours=1))
    assert len([t for t in h.titles() if "Inställt" in t]) == 1
    assert not any("flyttas" in t for t in h.titles())
