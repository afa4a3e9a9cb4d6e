"""Scheduled events known by their stored id: text for fans, one request per real change.

The bot keeps session key → event id (and a digest of what it sent) in the database; the
events' descriptions carry no internal tag. These tests count the requests that change
something (POST, PATCH, DELETE) at the fake Discord, which refuses what Discord refuses.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from bot.platforms.discord import DiscordAdapter
from bot.sendpath import BACKGROUND
from tests.discord.world import (
    ALERT_ROLE,
    ALERTS,
    FAN,
    GUILD,
    OWNER,
    RACE1,
    RACE1_KEY,
    RACE2_KEY,
    Env,
)

EVENTS = "/guilds/{guild_id}/scheduled-events"
ONE_EVENT = "/guilds/{guild_id}/scheduled-events/{event_id}"
ENGLISH = {"channel": ALERTS, "role": ALERT_ROLE, "language": "en"}
JARAMA = "Circuito del Jarama, San Sebastián de los Reyes, Madrid"


def _adapter(env: Env) -> DiscordAdapter:
    adapter = env.app.adapters[0]
    assert isinstance(adapter, DiscordAdapter)
    return adapter


def changing_requests(env: Env) -> Counter[str]:
    """The event requests so far that would change something, refused ones included."""
    requests = env.fake.stats.requests
    return Counter(
        {
            "POST": requests[f"POST {EVENTS}"],
            "PATCH": requests[f"PATCH {ONE_EVENT}"],
            "DELETE": requests[f"DELETE {ONE_EVENT}"],
        }
    )


async def sync_again(env: Env) -> None:
    """One more sync, as the hourly refresh or any change would start."""
    await env.events_synced()
    _adapter(env).scheduled_events.request()
    await env.events_synced()


async def stored_ids(env: Env) -> dict[str, str | None]:
    rows = await env.app.store.server_events.for_guild("discord", str(GUILD))
    return {key: row.event_id for key, row in rows.items()}


async def synced_setup(env: Env, **options: Any) -> None:
    await env.setup_alerts(**options)
    await env.fake.wait_until(lambda: set(env.events()) == {RACE1_KEY, RACE2_KEY})
    await env.events_synced()


async def test_descriptions_are_fans_words_and_the_ids_are_stored(env: Env) -> None:
    await synced_setup(env)
    race1, race2 = env.events()[RACE1_KEY], env.events()[RACE2_KEY]
    assert race1["name"] == "TCR Europe · Jarama · Race 1"
    assert race1["description"] == "Race 1 – Jarama: lör 7 nov 11:15 (svensk tid)"
    assert race2["description"].startswith("Race 2 – Jarama: lör 7 nov ")
    for event in env.fake.scheduled_events[GUILD].values():
        assert "racebot" not in event["description"]
        assert "tcr-europe-2020" not in event["description"]  # no session key
        assert event["entity_metadata"] == {"location": JARAMA}  # the circuit, every one
    # matched by the ids in the database, not by anything in the text
    assert await stored_ids(env) == {RACE1_KEY: race1["id"], RACE2_KEY: race2["id"]}


async def test_an_identical_sync_changes_nothing(env: Env) -> None:
    await synced_setup(env)
    before = changing_requests(env)
    assert before == Counter(POST=2)
    lists = env.fake.stats.requests[f"GET {EVENTS}"]
    await sync_again(env)
    await sync_again(env)
    assert changing_requests(env) == before
    assert env.fake.stats.requests[f"GET {EVENTS}"] == lists + 2  # it did look


async def test_only_the_changed_event_is_edited(env: Env) -> None:
    await synced_setup(env)
    ids = {k: e["id"] for k, e in env.events().items()}
    before = changing_requests(env)
    budget = _adapter(env).budget
    turns = budget.granted[BACKGROUND]
    lists = env.fake.stats.requests[f"GET {EVENTS}"]
    await env.staff_publish("delay", {"session": "race1", "minutes": 10})
    await env.events_synced()
    assert changing_requests(env) - before == Counter(PATCH=1)
    # the one send path: the list and the edit each took a (background) turn of the budget
    listed = env.fake.stats.requests[f"GET {EVENTS}"] - lists
    assert listed >= 1
    assert budget.granted[BACKGROUND] - turns == listed + 1
    (edit,) = [c for c in env.fake.scheduled_event_changes if c[0] == "modify"]
    assert edit[2]["id"] == ids[RACE1_KEY]
    assert edit[2]["description"] == "Race 1 – Jarama: lör 7 nov 11:25 (svensk tid)"
    assert {k: e["id"] for k, e in env.events().items()} == ids


async def test_a_language_change_edits_each_event_once_and_only_its_text(env: Env) -> None:
    await synced_setup(env)
    ids = {k: e["id"] for k, e in env.events().items()}
    starts = {k: e["scheduled_start_time"] for k, e in env.events().items()}
    before = changing_requests(env)
    answer = await env.command(OWNER, "setup", ENGLISH)
    assert answer.ephemeral
    await env.settle()
    await env.fake.wait_until(
        lambda: "Swedish time" in env.events()[RACE2_KEY]["description"], timeout=5
    )
    await env.events_synced()
    # The date and zone words differ in English: each event once, never recreated.
    assert changing_requests(env) - before == Counter(PATCH=2)
    assert {k: e["id"] for k, e in env.events().items()} == ids
    race1 = env.events()[RACE1_KEY]
    assert race1["description"] == "Race 1 – Jarama: Sat 7 Nov 11:15 (Swedish time)"
    assert race1["entity_metadata"] == {"location": JARAMA}
    assert {k: e["scheduled_start_time"] for k, e in env.events().items()} == starts
    after = changing_requests(env)
    await env.command(OWNER, "setup", ENGLISH)  # the same language again
    await env.settle()
    await sync_again(env)
    assert changing_requests(env) == after


async def _legacy_event(env: Env, key: str, name: str, location: str) -> int:
    """An event as the bot made them before #19: the key in its last line, and (for a
    race) a stream's URL as location. Made through the bot's own REST client."""
    ref = next(r for r in env.app.engine.upcoming(env.clock.now()) if r.key == key)
    http = _adapter(env).client.http
    created = await http.create_guild_scheduled_event(
        GUILD,
        name=name,
        description=f"{name}: lördag 11:15 (svensk tid)\nracebot:{key}",
        scheduled_start_time=ref.session.start.isoformat(),
        scheduled_end_time=ref.session.end.isoformat(),
        entity_type=3,
        privacy_level=2,
        entity_metadata={"location": location},
        channel_id=None,
    )
    return int(created["id"])


async def test_events_made_before_are_adopted_and_rewritten_once(env: Env) -> None:
    race1 = await _legacy_event(env, RACE1_KEY, "TCR Europe · Jarama · Race 1", "https://x.tv")
    race2 = await _legacy_event(env, RACE2_KEY, "TCR Europe · Jarama · Race 2", JARAMA)
    twin = await _legacy_event(env, RACE2_KEY, "TCR Europe · Jarama · Race 2", JARAMA)
    before = changing_requests(env)
    await env.setup_alerts()
    await env.fake.wait_until(lambda: set(env.events()) == {RACE1_KEY, RACE2_KEY})
    await env.events_synced()
    # No new event: the two are adopted by their tag, the twin (a second copy) deleted.
    assert changing_requests(env) - before == Counter(PATCH=2, DELETE=1)
    assert set(env.fake.scheduled_events[GUILD]) == {race1, race2}
    assert await stored_ids(env) == {RACE1_KEY: str(race1), RACE2_KEY: str(race2)}
    assert twin not in env.fake.scheduled_events[GUILD]
    event = env.fake.scheduled_events[GUILD][race1]
    assert event["description"] == "Race 1 – Jarama: lör 7 nov 11:15 (svensk tid)"
    assert event["entity_metadata"] == {"location": JARAMA}  # no longer a URL
    after = changing_requests(env)
    await sync_again(env)
    assert changing_requests(env) == after  # rewritten once, then left alone


async def test_an_event_an_admin_deleted_stays_deleted(env: Env) -> None:
    await synced_setup(env)
    race1 = int(env.events()[RACE1_KEY]["id"])
    await env.fake.delete_event_by_hand(GUILD, race1)
    before = changing_requests(env)
    await env.staff_publish("delay", {"session": "race2", "minutes": 10})
    await env.events_synced()
    # Race 2 moves; race 1 is not made again behind the admin's back.
    assert changing_requests(env) - before == Counter(PATCH=1)
    assert set(env.events()) == {RACE2_KEY}
    assert (await stored_ids(env))[RACE1_KEY] is None
    await env.staff_publish("delay", {"session": "race1", "minutes": 5})
    await sync_again(env)
    assert changing_requests(env) - before == Counter(PATCH=1)
    assert env.fake.stats.status[404] == 0


async def test_an_event_deleted_while_the_bot_edits_it_is_dropped(env: Env) -> None:
    """The admin is quicker: the bot's PATCH meets 404 Unknown Guild Scheduled Event."""
    await synced_setup(env)
    race1 = int(env.events()[RACE1_KEY]["id"])
    await env.fake.delete_event_by_hand(GUILD, race1, after_next_list=True)
    before = changing_requests(env)
    await env.staff_publish("delay", {"session": "race1", "minutes": 10})
    await env.events_synced()
    assert env.fake.stats.status[404] == 1
    assert changing_requests(env) - before == Counter(PATCH=1)  # no POST: not remade
    assert (await stored_ids(env))[RACE1_KEY] is None
    await env.staff_publish("delay", {"session": "race1", "minutes": 15})
    await sync_again(env)
    assert changing_requests(env) - before == Counter(PATCH=1)  # nor tried again
    assert set(env.events()) == {RACE2_KEY}


@pytest.mark.parametrize(
    ("env", "made"),
    [
        (RACE1 - timedelta(minutes=2), True),
        (RACE1 - timedelta(seconds=30), False),  # inside the margin for Discord's clock
        (RACE1, False),
        (RACE1 + timedelta(minutes=1), False),
    ],
    indirect=["env"],
)
async def test_no_event_for_a_session_at_or_past_its_start(env: Env, made: bool) -> None:
    await env.setup_alerts()
    await env.fake.wait_until(lambda: RACE2_KEY in env.events())
    await env.events_synced()
    assert (RACE1_KEY in env.events()) is made
    assert env.fake.stats.status[400] == 0


@pytest.mark.parametrize("env", [RACE1 - timedelta(minutes=3)], indirect=True)
async def test_a_past_start_refused_by_discord_is_final(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    """Discord's clock runs five minutes ahead of the bot's: race 1 starts in three
    minutes for the bot, in the past for Discord, which answers 400 (50035)."""
    env.fake.now = lambda: env.clock.now() + timedelta(minutes=5)
    caplog.set_level(logging.INFO, logger="bot.platforms.discord.events")
    await env.setup_alerts()
    await env.fake.wait_until(lambda: RACE2_KEY in env.events())
    await env.events_synced()
    assert env.fake.stats.status[400] == 1
    assert RACE1_KEY not in env.events()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1, lines  # one line, Discord's reason in it
    assert RACE1_KEY in lines[0]
    assert "In scheduled_start_time: Cannot schedule event in the past." in lines[0]
    assert (await stored_ids(env))[RACE1_KEY] is None
    await env.staff_publish("delay", {"session": "race2", "minutes": 5})
    await sync_again(env)
    assert env.fake.stats.status[400] == 1  # not tried again
    assert len(caplog.records) == 1


async def test_an_event_whose_id_was_never_stored_is_found_again(env: Env) -> None:
    """Discord made race 1's event but the bot stopped before it stored the id: the next
    sync finds the bot's own event by its name and start rather than make a second."""
    await synced_setup(env)
    race1 = env.events()[RACE1_KEY]["id"]
    await env.app.store.server_events.forget("discord", str(GUILD), [RACE1_KEY])
    _adapter(env).scheduled_events.event_ids.clear()  # as after a restart
    before = changing_requests(env)
    await sync_again(env)
    assert changing_requests(env) == before  # neither a second event nor an edit
    assert (await stored_ids(env))[RACE1_KEY] == race1
    assert env.events()[RACE1_KEY]["id"] == race1


async def test_the_servers_own_event_with_the_same_name_is_left_alone(env: Env) -> None:
    ref = next(r for r in env.app.engine.upcoming(env.clock.now()) if r.key == RACE1_KEY)
    theirs = env.fake.add_external_event(
        GUILD, "TCR Europe · Jarama · Race 1", ref.session.start, ref.session.end, "Pub"
    )
    await synced_setup(env)
    assert env.events()[RACE1_KEY]["id"] != str(theirs)  # the bot made its own
    assert env.fake.scheduled_events[GUILD][theirs]["entity_metadata"] == {"location": "Pub"}
    assert changing_requests(env) == Counter(POST=2)


async def test_a_fans_own_language_leaves_the_servers_events_alone(env: Env) -> None:
    """The server's events speak the reminder channel's language: a fan who follows in
    DMs in English (a personal setting) rewrites none of them."""
    await synced_setup(env)
    before = changing_requests(env)
    await env.command(FAN, "subscribe", {"via": "dm"}, locale="en-US")
    await env.fake.wait_for_dms(FAN, 1)
    await env.settle()
    await sync_again(env)
    dm = await env.subscription(env.fake.dm_channels[FAN])
    assert dm is not None
    assert dm.language == "en"
    assert changing_requests(env) == before
    assert "svensk tid" in env.events()[RACE1_KEY]["description"]
