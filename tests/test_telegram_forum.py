"""Telegram forum topics and the pinned weekend preview, end to end through the fake (#17).

A forum supergroup picks the topic for its posts (``/settings topic`` or ``/start``
written inside it) and every post carries that ``message_thread_id``; the weekend preview
is pinned silently where the bot may pin, and the previous one unpinned.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import BotConfig, Config, StorageConfig, TelegramConfig, WebConfig
from bot.core.clock import VirtualClock
from bot.platforms.telegram.pins import pin_preview
from tests.fakes.fake_telegram import FakeTelegram, SentMessage
from tests.helpers import SCHEDULES, running_app
from tests.test_telegram import ADMIN, GROUP, MEMBER, RACE1, START, USER, Env

FORUM = -100500
#: The day before Jarama: its preview is due at 18:00 Swedish time (17:00 UTC).
BEFORE_PREVIEW = datetime(2020, 11, 5, 16, 0, tzinfo=UTC)
PREVIEW = datetime(2020, 11, 5, 17, 0, tzinfo=UTC)


@pytest.fixture
async def env(
    tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Env]:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    start: datetime = getattr(request, "param", START)
    async with FakeTelegram(
        global_rate=None, per_chat_interval=None, group_per_minute=None
    ) as fake:
        fake.add_private_chat(USER, "Anna", username="anna")
        fake.add_group(GROUP, "Bäckman fans", admins=[ADMIN])
        fake.add_member(GROUP, MEMBER, "Maja")
        fake.add_forum(FORUM, "Racing forum", admins=[ADMIN])
        fake.add_member(FORUM, MEMBER, "Maja")
        config = Config(
            storage=StorageConfig(url=f"sqlite:///{tmp_path}/t.db"),
            telegram=TelegramConfig(
                token=fake.token,
                base_url=f"{fake.url}/bot",
                per_chat_interval=0.01,
                group_interval=0.01,
                global_rate=500,
            ),
            bot=BotConfig(schedules=SCHEDULES),
            web=WebConfig(enabled=False),
        )
        clock = VirtualClock(start)
        async with running_app(config, clock) as app:
            yield Env(app=app, clock=clock, fake=fake)


async def in_topic(env: Env, user: int, text: str, thread: int | None, needle: str) -> SentMessage:
    seen = len(env.fake.messages.get(FORUM, []))
    env.fake.push_message(FORUM, user, text, thread_id=thread)
    return await env.wait_text(FORUM, needle, after=seen)


async def test_a_forum_picks_its_topic_and_every_post_goes_there(env: Env) -> None:
    racing = env.fake.add_topic(FORUM, "Racing")
    welcome = await in_topic(env, ADMIN, "/start", None, "Välkommen")
    assert welcome.thread_id is None  # written in General, answered there
    outside = await in_topic(env, ADMIN, "/settings topic", None, "inne i det ämne")
    assert "/settings topic general" in (outside.text or "")
    refused = await in_topic(env, MEMBER, "/settings topic", racing, "admin")
    assert refused.thread_id == racing  # the answer stays in the topic it was asked in
    chosen = await in_topic(env, ADMIN, "/settings Ämne", racing, "Sparat")
    assert chosen.thread_id == racing
    assert f"Ämne: ämne {racing}" in (chosen.text or "")
    await env.advance_to(RACE1 - timedelta(minutes=15))
    reminder = await env.wait_text(FORUM, "startar om 15 min")
    assert reminder.thread_id == racing
    assert reminder.params["message_thread_id"] == racing

    back = await in_topic(env, ADMIN, "/settings topic allmänt", racing, "Sparat")
    assert "Ämne: Allmänt" in (back.text or "")
    await env.advance_to(RACE1)
    live = await env.wait_text(FORUM, "LIVE NU")
    assert live.thread_id is None


async def test_start_written_in_a_topic_sends_the_posts_there(env: Env) -> None:
    news = env.fake.add_topic(FORUM, "Nyheter")
    await in_topic(env, ADMIN, "/start", news, "Välkommen")
    target = await env.app.store.get_subscription("telegram", str(FORUM))
    assert target is not None
    assert target.thread_id == str(news)
    await env.advance_to(RACE1 - timedelta(minutes=15))
    reminder = await env.wait_text(FORUM, "startar om 15 min")
    assert reminder.thread_id == news


async def test_a_deleted_topic_sends_the_posts_to_general(env: Env) -> None:
    gone = env.fake.add_topic(FORUM, "Old")
    await in_topic(env, ADMIN, "/start", gone, "Välkommen")
    env.fake.delete_topic(FORUM, gone)
    await env.advance_to(RACE1 - timedelta(minutes=15))
    reminder = await env.wait_text(FORUM, "startar om 15 min")
    assert reminder.thread_id is None
    target = await env.app.store.get_subscription("telegram", str(FORUM))
    assert target is not None
    assert target.active
    assert target.thread_id is None  # forgotten, so the next post goes straight there


def _previews(env: Env, chat: int) -> list[SentMessage]:
    return [m for m in env.fake.messages.get(chat, []) if (m.text or "").startswith("🏁")]


@pytest.mark.parametrize("env", [BEFORE_PREVIEW], indirect=True)
async def test_the_preview_is_pinned_silently_and_last_weekends_unpinned(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    # Last weekend's preview, as the bot pinned it then.
    old = await env.adapter.bot.send_message(USER, "🏁 Last weekend")
    await env.adapter.bot.pin_chat_message(USER, old.message_id, disable_notification=True)
    await env.app.commands.subscriptions.remember_pin("telegram", str(USER), str(old.message_id))
    await env.advance_to(PREVIEW)
    await env.fake.wait_until(
        lambda: len(env.fake.pinned(USER)) == 1 and len(_previews(env, USER)) == 2
    )
    preview = _previews(env, USER)[-1]
    assert "Jarama" in (preview.text or "")
    await env.fake.wait_until(lambda: env.fake.pinned(USER) == [preview.message_id])
    assert env.fake.pin_requests(USER)[-1] == (preview.message_id, True)  # no notification
    await env.adapter.background.idle()  # the pin is a follow-up task of the delivery
    target = await env.app.store.get_subscription("telegram", str(USER))
    assert target is not None
    assert target.pinned_id == str(preview.message_id)


@pytest.mark.parametrize("env", [BEFORE_PREVIEW], indirect=True)
async def test_the_preview_is_pinned_only_where_the_bot_may_pin(env: Env) -> None:
    await env.command(GROUP, ADMIN, "/start", "Välkommen")  # the bot is a plain member
    await env.command(FORUM, ADMIN, "/start", "Välkommen")
    env.fake.set_bot_admin(FORUM, can_pin=False)
    await env.advance_to(PREVIEW)
    await env.fake.wait_until(lambda: bool(_previews(env, GROUP) and _previews(env, FORUM)))
    await env.settle()
    await env.adapter.background.idle()
    assert env.fake.pin_requests(GROUP) == []
    assert env.fake.pin_requests(FORUM) == []
    assert env.fake.stats.status[400] == 0  # asked getChatMember, never drew a refusal

    env.fake.set_bot_admin(GROUP, can_pin=True)
    preview = _previews(env, GROUP)[0]
    target = await env.app.store.get_subscription("telegram", str(GROUP))
    assert target is not None
    await pin_preview(env.adapter, target, preview.message_id)
    assert env.fake.pinned(GROUP) == [preview.message_id]
