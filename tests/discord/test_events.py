"""Native scheduled events: made for the coming weekend, kept in step, cleaned up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.discord.world import ALERTS, GUILD, RACE1, RACE1_KEY, RACE2_KEY, Env


async def test_scheduled_events_follow_setup_delay_and_cancel(env: Env) -> None:
    assert not env.fake.scheduled_events[GUILD]  # nothing before a channel is set up
    await env.setup_alerts()
    await env.fake.wait_until(lambda: set(env.events()) == {RACE1_KEY, RACE2_KEY})
    first = env.events()[RACE1_KEY]
    assert first["name"] == "TCR Europe · Jarama · Race 1"
    assert first["entity_type"] == 3
    assert first["privacy_level"] == 2
    location = "Circuito del Jarama, San Sebastián de los Reyes, Madrid"
    assert first["entity_metadata"]["location"] == location
    # one kind of location for every session: the circuit, never a stream's URL
    assert {e["entity_metadata"]["location"] for e in env.events().values()} == {location}
    assert datetime.fromisoformat(first["scheduled_start_time"]) == RACE1
    assert "11:15" in first["description"]  # Swedish time
    assert "svensk tid" in first["description"]

    await env.staff_publish("delay", {"session": "race1", "minutes": 10})
    moved = RACE1 + timedelta(minutes=10)
    await env.fake.wait_until(
        lambda: datetime.fromisoformat(env.events()[RACE1_KEY]["scheduled_start_time"]) == moved
    )
    assert env.events()[RACE1_KEY]["id"] == first["id"]  # edited, not recreated
    assert "11:25" in env.events()[RACE1_KEY]["description"]

    await env.staff_publish("cancel", {"session": "race2"})
    await env.fake.wait_until(lambda: set(env.events()) == {RACE1_KEY})
    creates = [c for c in env.fake.scheduled_event_changes if c[0] == "create"]
    assert len(creates) == 2


async def test_events_go_when_the_server_stops_following(env: Env) -> None:
    await env.setup_alerts()
    await env.fake.wait_until(lambda: set(env.events()) == {RACE1_KEY, RACE2_KEY})
    await env.fake.delete_channel(ALERTS)  # the server's only subscription ends
    await env.fake.wait_until(lambda: env.events() == {})
    deletes = [c for c in env.fake.scheduled_event_changes if c[0] == "delete"]
    assert len(deletes) == 2


async def test_events_leave_room_for_the_servers_own(env: Env) -> None:
    start = env.clock.now() + timedelta(days=1)
    for n in range(99):
        env.fake.add_external_event(
            GUILD, f"Club night {n}", start, start + timedelta(hours=1), "x"
        )
    await env.setup_alerts()
    await env.fake.wait_until(lambda: len(env.events()) == 1)
    await env.events_synced()
    assert set(env.events()) == {RACE1_KEY}  # the earliest session gets the one free place
    assert env.fake.stats.status[400] == 0  # never ran into Discord's limit


async def test_no_event_requests_without_the_permission(env: Env) -> None:
    env.fake.set_bot_permissions(GUILD, manage_events=False, create_events=False)
    await env.fake.flush_gateway()
    await env.setup_alerts()
    await env.staff_publish("delay", {"session": "race1", "minutes": 10})
    await env.events_synced()
    assert env.fake.scheduled_event_changes == []
    assert env.fake.stats.status[403] == 0


@pytest.mark.parametrize("env", [datetime(2020, 10, 20, 12, 0, tzinfo=UTC)], indirect=True)
async def test_events_come_two_weeks_ahead_and_go_after_the_weekend(env: Env) -> None:
    await env.setup_alerts()
    await env.events_synced()
    assert env.events() == {}  # Jarama is 18 days away: too early for server events
    await env.advance_to(datetime(2020, 10, 24, 12, 0, tzinfo=UTC))  # the hourly refresh
    await env.events_synced()
    assert len(env.events()) == 5  # both practices, qualifying and the two races
    assert RACE1_KEY in env.events()
    await env.advance_to(datetime(2020, 11, 7, 16, 0, tzinfo=UTC))  # the weekend is over
    await env.events_synced()
    assert env.events() == {}


def _race(env: Env, key: str) -> tuple[datetime, datetime]:
    ref = next(r for r in env.app.engine.upcoming(env.clock.now()) if r.key == key)
    return ref.session.start, ref.session.end


async def test_discord_starts_and_ends_the_external_events_by_itself(env: Env) -> None:
    """The bot gives each event its end time and leaves the status to Discord, which
    sets ACTIVE at the start and COMPLETED at the end (its documented automation)."""
    await env.setup_alerts()
    await env.fake.wait_until(lambda: set(env.events()) == {RACE1_KEY, RACE2_KEY})
    start, end = _race(env, RACE1_KEY)
    event = env.events()[RACE1_KEY]
    assert datetime.fromisoformat(event["scheduled_end_time"]) == end
    assert event["status"] == 1
    await env.advance_to(start + timedelta(minutes=1))
    await env.fake.run_event_automation(GUILD)
    assert env.events()[RACE1_KEY]["status"] == 2  # live now
    before = len(env.fake.scheduled_event_changes)
    await env.staff_publish("delay", {"session": "race1", "minutes": 5})  # too late to move
    await env.events_synced()
    await env.advance_to(end + timedelta(minutes=6))
    await env.fake.run_event_automation(GUILD)
    await env.events_synced()
    changes = env.fake.scheduled_event_changes[before:]
    assert not [c for c in changes if c[0] != "delete"]  # never a status or time edit
    assert env.fake.stats.status[400] == 0
    assert RACE2_KEY in env.events()
    assert env.events()[RACE2_KEY]["status"] == 1


@pytest.mark.parametrize("env", [RACE1 + timedelta(minutes=5)], indirect=True)
async def test_setup_during_a_session_makes_no_event_in_the_past(env: Env) -> None:
    await env.setup_alerts()
    await env.fake.wait_until(lambda: RACE2_KEY in env.events())
    await env.events_synced()
    assert RACE1_KEY not in env.events()  # under way: Discord would answer 400
    await env.advance_to(RACE1 + timedelta(hours=1, minutes=10))  # the hourly refresh
    await env.events_synced()
    assert env.fake.stats.status[400] == 0  # nor tried later
    creates = [c for c in env.fake.scheduled_event_changes if c[0] == "create"]
    assert len(creates) == 1
