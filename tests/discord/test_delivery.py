"""Posts from the outbox through the real discord.py client: pings, limits, failures, edits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.discord.world import ADMIN, ALERT_ROLE, ALERTS, OWNER, RACE1, Env, eventually


async def test_reminder_pings_only_the_alert_role(env: Env) -> None:
    await env.setup_alerts()
    saved = await env.subscription(ALERTS)
    assert saved is not None
    assert (saved.active, saved.role_id, saved.chat_kind, saved.language) == (
        True,
        str(ALERT_ROLE),
        "channel",
        "sv",
    )
    await env.advance_to(RACE1 - timedelta(minutes=15))
    (reminder,) = await env.fake.wait_for_messages(ALERTS, 1)
    assert reminder["content"] == f"<@&{ALERT_ROLE}>"
    embed = reminder["embeds"][0]
    assert "Race 1" in embed["title"]
    unix = int(RACE1.timestamp())
    # Swedish time once, in words, and a live countdown: "11:15" twice for nobody.
    start = f"**Start: **lör 7 nov 11:15 (svensk tid) · <t:{unix}:R>"
    assert start in embed["description"]
    assert "fields" not in embed
    series = env.app.engine.catalog.get("tcr-europe-2020")
    assert series is not None
    assert embed["color"] == series.color
    assert reminder["allowed_mentions"]["parse"] == []
    assert reminder["allowed_mentions"]["roles"] == [ALERT_ROLE]
    assert reminder["mention_roles"] == [ALERT_ROLE]
    assert not reminder["mention_everyone"]


async def test_a_short_429_is_waited_out_by_the_client(env: Env) -> None:
    await env.setup_alerts()
    env.fake.fail_next(ALERTS, 429, retry_after=0.05)
    await env.advance_to(RACE1 - timedelta(minutes=15))
    messages = await env.fake.wait_for_messages(ALERTS, 1)
    await env.settle()
    assert env.fake.stats.status[429] == 1
    assert len(env.fake.messages[ALERTS]) == len(messages) == 1


async def test_a_long_429_goes_back_to_the_outbox_and_is_sent_once(env: Env) -> None:
    await env.setup_alerts()
    env.fake.fail_next(ALERTS, 429, retry_after=45)  # over max_ratelimit_timeout (30 s)
    due = RACE1 - timedelta(minutes=15)
    await env.advance_to(due)
    assert env.fake.messages.get(ALERTS, []) == []
    assert await env.app.store.delivery_counts() == {"pending": 1}
    await env.advance_to(due + timedelta(seconds=40))
    assert env.fake.messages.get(ALERTS, []) == []  # retry_after is respected
    await env.advance_to(due + timedelta(seconds=46))
    (reminder,) = await env.fake.wait_for_messages(ALERTS, 1)
    assert "Race 1" in reminder["embeds"][0]["title"]
    assert await env.app.store.delivery_counts() == {"sent": 1}


async def test_forbidden_channel_deactivated_after_one_attempt(env: Env, db_url: str) -> None:
    await env.setup_alerts()
    env.fake.set_channel_permission(ALERTS, bot_can_send=False)
    await env.advance_to(RACE1 - timedelta(minutes=15))

    async def inactive() -> bool:
        current = await env.subscription(ALERTS)
        return current is not None and not current.active

    await eventually(inactive)
    await env.advance_to(RACE1)
    await env.settle()
    assert env.fake.stats.status[403] == 1
    assert env.fake.messages.get(ALERTS, []) == []


async def test_forbidden_channel_tells_the_setup_admin_once(env: Env) -> None:
    await env.setup_alerts(by=ADMIN)
    env.fake.set_channel_permission(ALERTS, bot_can_send=False)
    await env.advance_to(RACE1 - timedelta(minutes=15))
    (dm,) = await env.fake.wait_for_dms(ADMIN, 1)
    assert env.readable(dm["content"]) == (
        "Jag kan inte skriva i #alerts i Bäckman fans – ge mig behörigheten Skicka "
        "meddelanden och kör /konfigurera igen."
    )
    await env.advance_to(RACE1 + timedelta(minutes=5))
    await env.settle()
    assert len(env.fake.dms[ADMIN]) == 1
    assert env.fake.dms.get(OWNER, []) == []
    assert env.fake.stats.status[403] == 1
    current = await env.subscription(ALERTS)
    assert current is not None
    assert not current.active


def _result_posts(env: Env, after: int) -> list[dict[str, Any]]:
    """The result posts (not a correction's short follow-up, "✏️ Rättelse: …")."""
    return [
        m
        for m in env.fake.messages.get(ALERTS, [])[after:]
        if "Andreas" in str(m.get("embeds")) and "Rättelse" not in str(m.get("embeds"))
    ]


async def test_result_correction_edits_the_posted_embed(env: Env) -> None:
    await env.setup_alerts()
    await env.advance_to(datetime(2020, 11, 7, 11, 20, tzinfo=UTC))  # Race 1 is over
    before = len(env.fake.messages.get(ALERTS, []))
    await env.staff_publish("report-result", {"session": "race1", "places": "andreas 5 jessica 7"})
    await env.fake.wait_until(lambda: len(_result_posts(env, before)) == 1)
    await env.staff_publish("report-result", {"session": "race1", "places": "andreas 4 jessica 7"})
    (posted,) = _result_posts(env, before)
    await env.fake.wait_until(
        lambda: "4th" in str(posted["embeds"]) or "4:e" in str(posted["embeds"])
    )
    assert posted["edits"]  # the same message, edited
    assert "Uppdaterad" in str(posted["embeds"])
    assert len(_result_posts(env, before)) == 1


async def test_correcting_a_deleted_post_posts_it_again(env: Env) -> None:
    await env.setup_alerts()
    await env.advance_to(datetime(2020, 11, 7, 11, 20, tzinfo=UTC))
    before = len(env.fake.messages.get(ALERTS, []))
    await env.staff_publish("report-result", {"session": "race1", "places": "andreas 5 jessica 7"})
    await env.fake.wait_until(lambda: len(_result_posts(env, before)) == 1)
    (first,) = _result_posts(env, before)
    # A moderator removes the post; the correction must not take the channel for gone.
    await env.app.adapters[0].client.http.delete_message(ALERTS, first["id"])  # type: ignore[attr-defined]
    await env.staff_publish("report-result", {"session": "race1", "places": "andreas 4 jessica 7"})
    await env.fake.wait_until(lambda: len(_result_posts(env, before)) == 2)
    again = _result_posts(env, before)[-1]
    assert "4:e" in str(again["embeds"])
    assert not again.get("deleted")
    current = await env.subscription(ALERTS)
    assert current is not None
    assert current.active
    assert env.fake.stats.status[404] == 1  # the edit found the post gone, once


@pytest.mark.parametrize("env", [datetime(2021, 6, 28, 10, 0, tzinfo=UTC)], indirect=True)
async def test_seed_results_entered_by_slash_command(env: Env) -> None:
    await env.setup_alerts()
    for session, places in (
        ("fp1", "andreas 21 jessica 22"),
        ("fp2", "andreas 16 jessica 21"),
        ("q", "andreas 19 jessica 20"),
        ("race1", "andreas 15 jessica 16"),
        ("race2", "andreas 17 jessica 16"),
    ):
        await env.staff_publish("report-result", {"session": session, "places": places})
    # Five results; the summary is folded into the last one, not a sixth post (#14).
    posts = await env.fake.wait_for_messages(ALERTS, 5)
    await env.settle()
    assert len(env.fake.messages[ALERTS]) == 5
    summary = str(posts[-1]["embeds"])
    assert posts[-1]["embeds"][0]["title"].startswith("Race 2")
    for expected in ("Andreas resultat", "Fri träning 1: 21:a plats", "Race 2: 17:e plats"):
        assert expected in summary, expected
    assert "Race 1: **Andreas** 15:e, **Jessica** 16:e" in str(posts[3]["embeds"])


async def test_a_503_is_retried_after_a_backoff_and_sent_once(env: Env) -> None:
    await env.setup_alerts()
    env.fake.fail_next(ALERTS, 503)  # discord.py gives up at once: the worker retries
    due = RACE1 - timedelta(minutes=15)
    await env.advance_to(due)
    assert env.fake.stats.status[503] == 1
    assert env.fake.messages.get(ALERTS, []) == []
    assert await env.app.store.delivery_counts() == {"pending": 1}
    await env.advance_to(due + timedelta(seconds=5))  # the first backoff is 1-2 s
    (reminder,) = await env.fake.wait_for_messages(ALERTS, 1)
    assert "Race 1" in reminder["embeds"][0]["title"]
    assert await env.app.store.delivery_counts() == {"sent": 1}


async def test_a_lost_answer_is_retried_without_a_second_post(env: Env) -> None:
    await env.setup_alerts()
    env.fake.lose_next_response(ALERTS)  # posted, but the bot never hears so
    due = RACE1 - timedelta(minutes=15)
    await env.advance_to(due)
    assert len(env.fake.messages[ALERTS]) == 1
    assert await env.app.store.delivery_counts() == {"pending": 1}  # to be retried
    await env.advance_to(due + timedelta(seconds=5))
    await env.settle()
    assert await env.app.store.delivery_counts() == {"sent": 1}
    (reminder,) = env.fake.messages[ALERTS]  # the retry's nonce found the first post
    assert reminder["nonce"].startswith("rb")
