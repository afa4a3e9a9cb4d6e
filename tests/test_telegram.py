"""The Telegram adapter end to end: the real PTB client, the whole App, a fake Bot API server.

Virtual time drives the TCR Europe Jarama weekend (race 1 starts 2020-11-07 10:15 UTC), so a
reminder "15 minutes before" arrives without waiting; only HTTP round trips take real time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import inspect
import itertools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.config import BotConfig, Config, StorageConfig, TelegramConfig, WebConfig
from bot.core.audience import Target
from bot.core.clock import VirtualClock
from bot.core.markup import Bold, Href, Post, line, plain_text
from bot.core.render import render_announcement
from bot.platforms.telegram import TelegramAdapter, render_html
from tests.fakes.fake_telegram import FakeTelegram, SentMessage
from tests.helpers import SCHEDULES, AppHarness, database_url, eventually, running_app
from tests.process import free_port

USER = 1001
STAFF_ID = 7001
ADMIN = 2001
MEMBER = 2002
GROUP = -4001
RACE1 = datetime(2020, 11, 7, 10, 15, tzinfo=UTC)
START = datetime(2020, 11, 7, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta RetryAfter.retry_after, avoiding its deprecation warning."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@dataclass
class Env(AppHarness):
    """The App polling FakeTelegram (see AppHarness for settle and advance_to)."""

    fake: FakeTelegram

    @property
    def adapter(self) -> TelegramAdapter:
        adapter = self.app.adapters[0]
        assert isinstance(adapter, TelegramAdapter)
        return adapter

    async def command(self, chat: int, user: int, text: str, needle: str) -> SentMessage:
        """Write a command and wait for the bot's answer containing ``needle``."""
        seen = len(self.fake.messages.get(chat, []))
        self.fake.push_message(chat, user, text)
        return await self.wait_text(chat, needle, after=seen)

    async def wait_text(self, chat: int, needle: str, *, after: int = 0) -> SentMessage:
        def found() -> SentMessage | None:
            for msg in self.fake.messages.get(chat, [])[after:]:
                if needle in (msg.text or msg.caption or ""):
                    return msg
            return None

        await self.fake.wait_until(lambda: found() is not None)
        msg = found()
        assert msg is not None
        return msg

    def count(self, chat: int, needle: str) -> int:
        return sum(needle in t for t in self.fake.texts(chat))

    def announced(self, chat: int, needle: str) -> int:
        """How many team announcements containing ``needle`` the chat got (not previews)."""
        return sum(t.startswith("📣") and needle in t for t in self.fake.texts(chat))

    async def publish(self, text: str) -> None:
        """Staff drafts an announcement and presses Publish."""
        preview = await self.command(STAFF_ID, STAFF_ID, f"/announce {text}", "Publicera?")
        token = callback_data(preview)[0].removeprefix("ok:")
        self.fake.push_callback(STAFF_ID, STAFF_ID, preview.message_id, f"ok:{token}")
        await self.fake.wait_until(lambda: "Publicerat" in (preview.text or ""))
        await self.settle()


def callback_data(msg: SentMessage) -> list[str]:
    assert msg.reply_markup is not None
    return [b["callback_data"] for row in msg.reply_markup["inline_keyboard"] for b in row]


def url_buttons(msg: SentMessage) -> list[str]:
    assert msg.reply_markup is not None
    return [b["url"] for row in msg.reply_markup["inline_keyboard"] for b in row]


def telegram_config(
    fake: FakeTelegram, tmp_path: Path, schedules: Path = SCHEDULES, database: str | None = None
) -> Config:
    """The App on the fake Bot API (via ``base_url``), STAFF_ID as staff, no web server."""
    return Config(
        storage=StorageConfig(url=database or f"sqlite:///{tmp_path}/t.db"),
        telegram=TelegramConfig(
            token=fake.token,
            base_url=f"{fake.url}/bot",
            staff=[STAFF_ID],
            per_chat_interval=0.01,
            group_interval=0.01,
            global_rate=500,
        ),
        bot=BotConfig(schedules=schedules),
        web=WebConfig(enabled=False),
    )


@pytest.fixture
async def env(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Env]:
    """``param``: the virtual start, or (start, a function writing the schedules into
    ``tmp_path`` and returning their folder)."""
    param: datetime | tuple[datetime, Callable[[Path], Path]] = getattr(request, "param", START)
    start, write = param if isinstance(param, tuple) else (param, lambda _: SCHEDULES)
    schedules = write(tmp_path)
    async with telegram_env(tmp_path, start, schedules, database_url(request, tmp_path)) as env:
        yield env


@contextlib.asynccontextmanager
async def telegram_env(
    tmp_path: Path, start: datetime, schedules: Path = SCHEDULES, database: str | None = None
) -> AsyncIterator[Env]:
    """FakeTelegram with a fan, a staff member and a group, and the App polling it."""
    async with FakeTelegram(
        global_rate=None, per_chat_interval=None, group_per_minute=None
    ) as fake:
        fake.add_private_chat(USER, "Anna", username="anna")
        fake.add_private_chat(STAFF_ID, "Staffan", username="staffan")
        fake.add_group(GROUP, "Bäckman fans", admins=[ADMIN])
        fake.add_member(GROUP, MEMBER, "Maja")
        config = telegram_config(fake, tmp_path, schedules, database=database)
        clock = VirtualClock(start)
        async with running_app(config, clock) as app:
            yield Env(app=app, clock=clock, fake=fake)


async def test_private_start_reminder_and_live(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.advance_to(RACE1 - timedelta(minutes=15))
    reminder = await env.wait_text(USER, "startar om 15 min")
    assert reminder.parse_mode == "HTML"
    assert "https://www.facebook.com/JABackman" in url_buttons(reminder)
    assert reminder.params["link_preview_options"] == {"is_disabled": True}
    await env.advance_to(RACE1)
    live = await env.wait_text(USER, "🔴 LIVE NU")
    assert url_buttons(live)
    assert env.count(USER, "startar om 15 min") == 1


async def test_group_admins_and_addressed_commands(env: Env) -> None:
    refusal = await env.command(GROUP, MEMBER, "/subscribe", "administratörer")
    assert await env.app.store.get_subscription("telegram", str(GROUP)) is None
    assert refusal.params.get("reply_parameters", {}).get("message_id")
    await env.command(GROUP, ADMIN, "/subscribe race", "Prenumerationen är sparad")
    saved = await env.app.store.get_subscription("telegram", str(GROUP))
    assert saved is not None
    assert saved.active
    assert saved.chat_kind == "group"
    env.fake.push_message(GROUP, ADMIN, "/start@other_bot")  # for another bot: ignored
    env.fake.push_message(GROUP, ADMIN, "/frobnicate")  # unaddressed unknown: ignored in groups
    await env.command(GROUP, ADMIN, "/start@racebot_test_bot", "Välkommen")
    assert env.count(GROUP, "Okänt") == 0
    assert env.count(GROUP, "Välkommen") == 1
    # Removing the bot from the group ends the subscription.
    env.fake.push_my_chat_member(GROUP, ADMIN, "kicked")
    await eventually(lambda: inactive(env, GROUP))


async def inactive(env: Env, chat: int) -> bool:
    current = await env.app.store.get_subscription("telegram", str(chat))
    return current is not None and not current.active


async def test_staff_delay_publish_moves_reminders(env: Env, db_url: str) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    refusal = await env.command(USER, USER, "/delay race1 10", "inte tillgängligt")
    assert "/delay" not in (refusal.text or "")
    preview = await env.command(STAFF_ID, STAFF_ID, "/delay race1 10", "Publicera?")
    assert "11:25" in (preview.text or "")  # Swedish time
    data = callback_data(preview)
    assert data[0].startswith("ok:")
    assert data[1] == "no:" + data[0][3:]
    env.fake.push_callback(STAFF_ID, STAFF_ID, preview.message_id, data[0])
    change = await env.wait_text(USER, "flyttas")
    assert "11:25" in (change.text or "")
    await env.fake.wait_until(lambda: "Publicerat" in (preview.text or ""))
    assert preview.reply_markup is None  # the buttons are gone
    assert env.fake.callback_answers
    [entry, *_] = await env.app.store.audit_log()
    assert entry.action == "delay"
    assert entry.user_id == str(STAFF_ID)
    # The old reminder time passes quietly; the new one reminds.
    await env.advance_to(RACE1 - timedelta(minutes=15))
    assert env.count(USER, "startar om 15 min") == 0
    await env.advance_to(RACE1 - timedelta(minutes=5))
    await env.wait_text(USER, "startar om 15 min")
    # Pressing Publish again does nothing; Cancel on a fresh draft sends nothing.
    env.fake.push_callback(STAFF_ID, STAFF_ID, preview.message_id, data[0])
    second = await env.command(STAFF_ID, STAFF_ID, "/announce hej", "Publicera?")
    env.fake.push_callback(STAFF_ID, STAFF_ID, second.message_id, callback_data(second)[1])
    await env.fake.wait_until(lambda: "Avbrutet" in (second.text or ""))
    await env.settle()
    assert env.count(USER, "hej") == 0


async def test_flood_blocked_and_migration(env: Env, db_url: str) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.command(STAFF_ID, STAFF_ID, "/start", "Välkommen")
    await env.command(GROUP, ADMIN, "/start", "Välkommen")
    # 429 mid-fan-out: the row waits retry_after (virtual) seconds, then goes out once.
    env.fake.fail_next(USER, "flood", retry_after=1)
    await env.publish("Första")
    assert env.announced(STAFF_ID, "Första") == 1
    assert env.announced(USER, "Första") == 0
    await env.advance_to(env.clock.now() + timedelta(seconds=2))
    await env.wait_text(USER, "Första")
    await env.advance_to(env.clock.now() + timedelta(seconds=60))
    assert env.announced(USER, "Första") == 1
    assert env.fake.stats.status[429] == 1
    # Blocked: the subscription ends and nothing more is tried.
    env.fake.fail_next(USER, "blocked")
    await env.publish("Andra")
    target = await env.app.store.get_subscription("telegram", str(USER))
    assert target is not None
    assert not target.active
    sends_before = len(env.fake.stats.send_times.get(USER, []))
    await env.publish("Tredje")
    assert env.announced(USER, "Tredje") == 0
    assert len(env.fake.stats.send_times.get(USER, [])) == sends_before
    await env.command(USER, USER, "/start", "Välkommen")
    target = await env.app.store.get_subscription("telegram", str(USER))
    assert target is not None
    assert target.active
    # The group became a supergroup: the post follows it and so does the subscription.
    env.fake.fail_next(GROUP, "migrate")
    await env.publish("Fjärde")
    new_id = -1004001
    await env.wait_text(new_id, "Fjärde")
    moved = await env.app.store.get_subscription("telegram", str(new_id))
    assert moved is not None
    assert moved.active
    assert moved.chat_kind == "supergroup"
    assert await env.app.store.get_subscription("telegram", str(GROUP)) is None


async def test_announcement_text_arrives_intact(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    text = "Jessica <3 & Andreas 🏁 <b>P1</b> &amp; </i> a<b"
    await env.publish(text)
    received = await env.wait_text(USER, "Jessica <3")
    assert received.text == plain_text(render_announcement(text, "sv"))
    assert text in (received.text or "")


async def test_malformed_commands_get_usage(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.command(STAFF_ID, STAFF_ID, "/delay", "/delay PASS MINUTER")
    msg = await env.command(STAFF_ID, STAFF_ID, "/delay race1 abc", "är inte ett antal minuter")
    assert "/delay PASS MINUTER" in (msg.text or "")
    await env.command(USER, USER, "/settings leads x", "Minuterna måste vara tal")
    await env.command(USER, USER, "/settings leads 0", "/settings leads 60 15")
    await env.command(USER, USER, "/frobnicate", "Okänt kommando /frobnicate")
    await env.command(USER, USER, "/help", "/settings")


async def test_settings_keyboard(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    shown = await env.command(USER, USER, "/settings", "Inställningar")
    data = callback_data(shown)
    assert "set:language:en" in data
    assert "set:tz:Asia/Seoul" in data
    env.fake.push_callback(USER, USER, shown.message_id, "set:language:en")
    await env.fake.wait_until(lambda: "Settings" in (shown.text or ""))
    env.fake.push_callback(USER, USER, shown.message_id, "set:leads:30")
    await env.fake.wait_until(lambda: "(minutes before): 30\n" in (shown.text or ""))
    target = await env.app.store.get_subscription("telegram", str(USER))
    assert target is not None
    assert (target.language, target.leads) == ("en", (30,))
    # In a group only admins may change settings; a member's tap leaves the message alone.
    await env.command(GROUP, ADMIN, "/start", "Välkommen")
    panel = await env.command(GROUP, ADMIN, "/settings", "Inställningar")
    env.fake.push_callback(GROUP, MEMBER, panel.message_id, "set:tz:Asia/Seoul")
    await env.fake.wait_until(lambda: len(env.fake.callback_answers) == 3)
    assert env.fake.callback_answers[-1]["show_alert"] is True
    assert "administratörer" in env.fake.callback_answers[-1]["text"]
    assert panel.edits == []
    assert "✓ 🇬🇧 English" in [
        b["text"] for row in (shown.reply_markup or {})["inline_keyboard"] for b in row
    ]


async def test_long_post_is_split(env: Env) -> None:
    body = tuple(
        line(Bold(f"Rad {n}: "), "x" * 90 + " <&> ", Href("länk", "https://e.se/?a=1&b=2"))
        for n in range(120)
    )
    post = Post(title="Lång <post>", lines=body)
    target = Target(id=0, platform="telegram", chat_id=str(USER))
    ids = await env.adapter.send(target, post)
    sent = env.fake.messages[USER]
    assert len(ids) == len(sent) >= 3
    assert all(len(m.text or "") <= 4096 for m in sent)
    assert "\n".join(m.text or "" for m in sent) == plain_text(post).replace(
        " (https://e.se/?a=1&b=2)", ""
    )
    assert len(render_html(post)) == len(ids)
    # Editing to a shorter post reuses the first message and blanks the rest.
    short = Post(title="Kort", lines=(line("nu"),))
    assert await env.adapter.edit(target, ids, short) == ids[:1]
    assert env.fake.messages[USER][0].text == "Kort\nnu"
    assert await env.adapter.edit(target, ids[:1], short) == ids[:1]  # not modified: fine


async def test_command_menu_per_language(env: Env) -> None:
    sv = env.fake.commands[("default", "sv")]
    en = env.fake.commands[("default", "en")]
    default = env.fake.commands[("default", None)]
    assert default == sv
    assert {"command": "next", "description": "nästa pass med nedräkning"} in sv
    assert {"command": "next", "description": "next session with countdown"} in en
    assert not any(c["command"] == "delay" for c in sv)
    # Group members see what they may use; group administrators every fan command.
    members = [c["command"] for c in env.fake.commands[("all_group_chats", "sv")]]
    admins = [c["command"] for c in env.fake.commands[("all_chat_administrators", "sv")]]
    assert "next" in members
    assert "calendar" in members
    assert not {"start", "stop", "subscribe", "unsubscribe", "settings"} & set(members)
    assert admins == [c["command"] for c in sv]
    assert env.fake.commands[("all_chat_administrators", "en")] == en
    assert (
        env.fake.commands[("all_group_chats", None)] == env.fake.commands[("all_group_chats", "sv")]
    )
    assert (f"chat:{STAFF_ID}", None) in env.fake.commands  # the staff member's own menu


async def test_the_bot_describes_itself_in_both_languages(env: Env) -> None:
    sv, en = env.fake.descriptions["sv"], env.fake.descriptions["en"]
    assert env.fake.descriptions[None] == sv
    assert sv.startswith("Tidsschema, påminnelser före varje pass")
    assert en.startswith("Timetables, reminders before every session")
    team = env.app.commands.team("sv")
    assert team
    assert team in sv
    assert team in env.fake.short_descriptions["sv"]
    assert all(len(text) <= 120 for text in env.fake.short_descriptions.values())
    assert all(len(text) <= 512 for text in env.fake.descriptions.values())
    assert env.fake.short_descriptions["en"].startswith("Reminders, live links and results")


async def subscription(env: Env, chat: int) -> Target:
    saved = await env.app.store.get_subscription("telegram", str(chat))
    assert saved is not None
    return saved


async def test_a_start_link_subscribes_to_its_series(env: Env) -> None:
    # t.me/racebot_test_bot?start=wtcr: Telegram sends "/start wtcr" after the fan's Start.
    answer = await env.command(USER, USER, "/start wtcr", "Välkommen")
    assert "Länken valde åt dig: serier: FIA WTCR 2021; pass: alla." in (answer.text or "")
    assert (await subscription(env, USER)).series == ("wtcr-2021",)
    # Another link adds its series and a session kind (?start=TCR-Europe-2020_race).
    answer = await env.command(USER, USER, "/start TCR-Europe-2020_race", "Välkommen")
    saved = await subscription(env, USER)
    assert saved.series == ("tcr-europe-2020", "wtcr-2021")
    assert [k.value for k in saved.kinds or ()] == ["race"]


async def test_a_start_link_nobody_knows_still_subscribes_and_says_so(env: Env) -> None:
    answer = await env.command(USER, USER, "/start dtm2019", "Välkommen")
    text = answer.text or ""
    assert "Länken gällde 'dtm2019', som jag inte känner igen, så du får allt." in text
    assert "gt4-european-series-2023, tcr-europe-2020, wtcr-2021" in text
    saved = await subscription(env, USER)
    assert (saved.active, saved.series, saved.kinds) == (True, None, None)
    # Part known, part not: the known part applies and the rest is named.
    answer = await env.command(USER, USER, "/start wtcr_dtm", "Välkommen")
    assert "Okänt val: 'dtm'" in (answer.text or "")
    assert (await subscription(env, USER)).series == ("wtcr-2021",)


async def test_a_startgroup_link_subscribes_the_group_for_its_admin(env: Env) -> None:
    # t.me/racebot_test_bot?startgroup=tcr-europe: the admin picks the group, Telegram
    # then posts "/start@bot tcr-europe" in it from them.
    refusal = await env.command(GROUP, MEMBER, "/start@racebot_test_bot tcr-europe", "administr")
    assert "administratörer" in (refusal.text or "")
    await env.command(GROUP, ADMIN, "/start@racebot_test_bot tcr-europe", "Länken valde")
    saved = await subscription(env, GROUP)
    assert (saved.chat_kind, saved.series) == ("group", ("tcr-europe-2020",))


async def test_calendar_sends_the_ics_file_and_links(env: Env) -> None:
    env.fake.push_message(USER, USER, "/calendar")

    def document() -> SentMessage | None:
        return next((m for m in env.fake.messages.get(USER, []) if m.document), None)

    await env.fake.wait_until(lambda: document() is not None)
    sent = document()
    assert sent is not None
    assert sent.document is not None
    filename, content = sent.document
    assert filename == "racebot.ics"
    assert content.startswith(b"BEGIN:VCALENDAR")
    texts = " ".join((m.text or m.caption or "") for m in env.fake.messages[USER])
    assert "webcal://" in texts


async def test_webhook_mode_on_the_bots_own_web_server(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/hook"
    async with FakeTelegram() as fake:
        fake.add_private_chat(USER, "Anna", username="anna")
        config = Config(
            storage=StorageConfig(url=f"sqlite:///{tmp_path}/t.db"),
            telegram=TelegramConfig(token=fake.token, base_url=f"{fake.url}/bot", webhook_url=hook),
            bot=BotConfig(schedules=SCHEDULES),
            web=WebConfig(enabled=True, host="127.0.0.1", port=port),
        )
        clock = VirtualClock(START)
        async with running_app(config, clock):
            assert fake.webhook_url == hook
            assert fake.webhook_secret
            fake.push_message(USER, USER, "/start")
            assert await fake.deliver_webhook() == [200]
            # The welcome; START lies in Jarama's preview window, so the preview comes too.
            await fake.wait_until(lambda: any("Välkommen" in t for t in fake.texts(USER)))
            assert fake.stats.requests["getUpdates"] == 0  # no polling in webhook mode
            async with aiohttp.ClientSession() as session:
                forged = {"update_id": 999, "message": {}}
                headers = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
                async with session.post(hook, json=forged, headers=headers) as response:
                    assert response.status == 403
                secret = {"X-Telegram-Bot-Api-Secret-Token": fake.webhook_secret}
                for body in ("[]", '"update"', "5", "null", "{", "[{}]"):
                    async with session.post(
                        hook, data=body, headers={**secret, "Content-Type": "application/json"}
                    ) as response:
                        assert (body, response.status) == (body, 400)
        assert "Traceback" not in caplog.text
        assert "webhook body refused (400)" in caplog.text


async def test_result_correction_edits_the_posted_message(env: Env, db_url: str) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.advance_to(datetime(2020, 11, 7, 11, 20, tzinfo=UTC))  # Race 1 is over
    draft = await env.command(STAFF_ID, STAFF_ID, "/result race1 andreas 5 jessica 7", "Publicera?")
    env.fake.push_callback(STAFF_ID, STAFF_ID, draft.message_id, callback_data(draft)[0])
    posted = await env.wait_text(USER, "Andreas 5:e")
    before = len(env.fake.messages[USER])

    fix = await env.command(STAFF_ID, STAFF_ID, "/result race1 andreas 4 jessica 7", "Publicera?")
    env.fake.push_callback(STAFF_ID, STAFF_ID, fix.message_id, callback_data(fix)[0])
    await env.fake.wait_until(lambda: "Andreas 4:e" in (posted.text or ""))
    await env.settle()
    assert "Uppdaterad" in (posted.text or "")
    assert any("Andreas 5:e" in old for old in posted.edits)
    # Edited in place, not posted again; the one new message is the short follow-up.
    assert len(env.fake.messages[USER]) == before + 1
    assert env.fake.texts(USER)[-1] == "✏️ Rättelse: Andreas 4:e i Race 1 (inte 5:e)"
    assert env.count(USER, "Andreas 4:e") == 2


async def staff_result(env: Env, args: str) -> SentMessage:
    """Staff drafts ``/result ARGS``, presses Publish and waits until it is sent out."""
    draft = await env.command(STAFF_ID, STAFF_ID, f"/result {args}", "Publicera?")
    env.fake.push_callback(STAFF_ID, STAFF_ID, draft.message_id, callback_data(draft)[0])
    await env.fake.wait_until(lambda: "Publicerat" in (draft.text or ""))
    await env.settle()
    return draft


def first_line_after_title(msg: SentMessage) -> str:
    return (msg.text or "").splitlines()[1]


async def test_a_correction_keeps_the_drivers_it_does_not_name(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.command(USER, USER, "/settings language en", "Settings")
    await env.command(GROUP, ADMIN, "/start@racebot_test_bot", "Välkommen")
    await env.advance_to(datetime(2020, 11, 7, 11, 20, tzinfo=UTC))  # Race 1 is over
    await staff_result(env, "race1 andreas 15 jessica 16")
    english = await env.wait_text(USER, "Race 1: Andreas 15th, Jessica 16th")
    swedish = await env.wait_text(GROUP, "Race 1: Andreas 15:e, Jessica 16:e")
    assert "✏️" not in (english.text or "")  # a first entry is not a correction
    sent = {chat: len(env.fake.messages[chat]) for chat in (USER, GROUP)}

    draft = await env.command(STAFF_ID, STAFF_ID, "/result race1 jessica 14", "Publicera?")
    assert first_line_after_title(draft) == "Race 1: Andreas 15:e, Jessica 14:e ✏️"
    env.fake.push_callback(STAFF_ID, STAFF_ID, draft.message_id, callback_data(draft)[0])
    await env.fake.wait_until(lambda: "14" in (english.text or "") and "14" in (swedish.text or ""))
    await env.settle()
    assert first_line_after_title(english) == "Race 1: Andreas 15th, Jessica 14th ✏️"
    assert first_line_after_title(swedish) == "Race 1: Andreas 15:e, Jessica 14:e ✏️"
    assert "Updated" in (english.text or "")
    assert "Uppdaterad" in (swedish.text or "")
    # Edited; each chat is also told once, in its language.
    assert env.fake.texts(USER)[-1] == "✏️ Correction: Jessica 14th in Race 1 (not 16th)"
    assert env.fake.texts(GROUP)[-1] == "✏️ Rättelse: Jessica 14:e i Race 1 (inte 16:e)"
    sent = {chat: n + 1 for chat, n in sent.items()}
    assert {chat: len(env.fake.messages[chat]) for chat in (USER, GROUP)} == sent

    removal = await env.command(STAFF_ID, STAFF_ID, "/result race1 jessica -", "Publicera?")
    assert first_line_after_title(removal) == "Race 1: Andreas 15:e"
    assert "✏️ Borttaget: Jessica 14:e" in (removal.text or "")
    env.fake.push_callback(STAFF_ID, STAFF_ID, removal.message_id, callback_data(removal)[0])
    await env.fake.wait_until(lambda: "Jessica" not in (english.text or ""))
    await env.fake.wait_until(lambda: "Jessica" not in (swedish.text or ""))
    assert first_line_after_title(english) == "Race 1: Andreas 15th"
    assert first_line_after_title(swedish) == "Race 1: Andreas 15:e"
    await env.settle()
    assert env.fake.texts(GROUP)[-1] == "✏️ Rättelse: Jessica utan resultat i Race 1 (inte 14:e)"
    sent = {chat: n + 1 for chat, n in sent.items()}
    assert {chat: len(env.fake.messages[chat]) for chat in (USER, GROUP)} == sent
    stored = await env.app.store.results("tcr-europe-2020", "r6")
    assert [(r.driver_id, r.position) for r in stored] == [("andreas", 15)]


async def test_a_bad_correction_is_answered_and_changes_nothing(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.advance_to(datetime(2020, 11, 7, 11, 20, tzinfo=UTC))
    await staff_result(env, 'race1 andreas 15 trophy 2 "punktering" jessica 16')
    post = await env.wait_text(USER, "Race 1: Andreas 15:e")
    shown = post.text
    before = await env.app.store.results("tcr-europe-2020", "r6")
    for command, answer in (
        ("/result race1 andreas 16", "Jessica har redan plats 16 i Race 1."),
        ("/result race1 jessica 17 trophy 2", "Andreas har redan plats 2 i trophy i Race 1."),
        ("/result race1 jessica 16 junior -", "Jessica har ingen plats i junior i Race 1"),
        ("/result fp1 andreas -", "Andreas har inget resultat i Fri träning 1 att ta bort."),
        ('/result race1 andreas - "x"', "“x” efter “-” för Andreas"),
    ):
        reply = await env.command(STAFF_ID, STAFF_ID, command, answer)
        assert reply.reply_markup is None, command  # no draft to publish
    assert await env.app.store.results("tcr-europe-2020", "r6") == before
    assert post.text == shown
    assert not post.edits
    same = await env.command(STAFF_ID, STAFF_ID, "/result race1 jessica 16", "Publicera?")
    assert "Samma som det publicerade resultatet" in (same.text or "")
    assert "✏️" not in (same.text or "")
    # Publishing it sends the posts again (what heals posts a failed publish left stale).
    env.fake.push_callback(STAFF_ID, STAFF_ID, same.message_id, callback_data(same)[0])
    await env.fake.wait_until(lambda: bool(post.edits))
    await env.settle()
    assert (
        first_line_after_title(post) == "Race 1: Andreas 15:e (2:a i WTCR Trophy) 🥈, Jessica 16:e"
    )
    assert await env.app.store.results("tcr-europe-2020", "r6") == before
    shown = post.text

    # Swapping places is one command; the class place and the note are kept.
    await staff_result(env, "race1 andreas 16 jessica 15")
    await env.fake.wait_until(lambda: post.text != shown)
    assert first_line_after_title(post) == (
        "Race 1: Andreas 16:e (2:a i WTCR Trophy) 🥈 ✏️, Jessica 15:e ✏️"
    )
    assert "Andreas: punktering" in (post.text or "")


ESTORIL_MONDAY = datetime(2021, 6, 28, 10, 0, tzinfo=UTC)  # after WTCR 2021 round 2
ESTORIL_RESULTS = [
    ("fp1", "andreas 21 jessica 22"),
    ("fp2", "andreas 16 jessica 21"),
    ("q", "andreas 19 jessica 20"),
    ("race1", "andreas 15 jessica 16"),
    ("race2", "andreas 17 jessica 16"),
]


@pytest.mark.parametrize("env", [ESTORIL_MONDAY], indirect=True)
async def test_seed_results_entered_by_staff_reach_fans(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.command(USER, USER, "/settings language en", "Settings")
    for session, places in ESTORIL_RESULTS:
        draft = await env.command(STAFF_ID, STAFF_ID, f"/result {session} {places}", "Publicera?")
        env.fake.push_callback(STAFF_ID, STAFF_ID, draft.message_id, callback_data(draft)[0])
        await env.fake.wait_until(lambda d=draft: "Publicerat" in (d.text or ""))
    summary = await env.wait_text(USER, "Andreas’ results:")
    text = summary.text or ""
    for expected in (
        "Free Practice 1: 21st place",
        "Free Practice 2: 16th place",
        "Qualifying: 19th place",
        "Race 1: 15th place",
        "Race 2: 17th place",
        "Jessica’s results:",
        "Free Practice 1: 22nd place",
        "Race 2: 16th place",
    ):
        assert expected in text, expected
    first = await env.wait_text(USER, "Race 1: Andreas 15th")
    assert "Jessica 16th" in (first.text or "")

    paste = "\n".join(
        [
            "WTCR Trophy – Overall (Top 3)",
            "FIA WTCR 2021 (After 2 of 8 race weekends)",
            "1: Gilles Magnus (BEL), 42 p.",
            "2: Tom Coronel (NLD), 22 p.",
            "3: Andreas Bäckman (SWE), 17 p.",
            "-",
            "4: Jessica Bäckman (SWE), 17 p.",
            "See the full standings here",
        ]
    )
    echo = await env.command(STAFF_ID, STAFF_ID, f"/standings {paste}", "Publicera?")
    assert "4: Jessica Bäckman (SWE), 17 p." in (echo.text or "")
    env.fake.push_callback(STAFF_ID, STAFF_ID, echo.message_id, callback_data(echo)[0])
    table = await env.wait_text(USER, "1: Gilles Magnus (BEL), 42 p.")
    assert "After 2 of 8" in (table.text or "")
    assert "3: Andreas Bäckman (SWE), 17 p." in (table.text or "")


@pytest.mark.parametrize("env", [ESTORIL_MONDAY], indirect=True)
async def test_a_correction_keeps_one_published_meanwhile_and_fixes_the_summary(
    env: Env,
) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    for session, places in ESTORIL_RESULTS:
        await staff_result(env, f"{session} {places}")
    post = await env.wait_text(USER, "Race 1: Andreas 15:e, Jessica 16:e")
    summary = await env.wait_text(USER, "Andreas resultat:")
    # Two staff drafts side by side; each publish applies its change to the record then.
    first = await env.command(STAFF_ID, STAFF_ID, "/result race1 jessica 14", "Publicera?")
    second = await env.command(STAFF_ID, STAFF_ID, "/result race1 andreas 13", "Publicera?")
    for draft in (first, second):
        env.fake.push_callback(STAFF_ID, STAFF_ID, draft.message_id, callback_data(draft)[0])
        await env.fake.wait_until(lambda d=draft: "Publicerat" in (d.text or ""))
    await env.fake.wait_until(lambda: "13:e" in (post.text or ""))
    await env.fake.wait_until(lambda: "13:e" in (summary.text or ""))
    await env.settle()
    assert first_line_after_title(post) == "Race 1: Andreas 13:e ✏️, Jessica 14:e"
    andreas, jessica = (summary.text or "").split("Jessicas resultat:")
    assert "Race 1: 13:e plats" in andreas
    assert "Race 2: 17:e plats" in andreas
    assert "Race 1: 14:e plats" in jessica
    assert "Uppdaterad" in (summary.text or "")


async def test_commands_are_answered_while_the_database_is_away(
    env: Env, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Answers do not go through the outbox: with every store call failing, /next still
    answers from the schedule in memory and /start says it could not, one log line each,
    no traceback."""
    from sqlalchemy.exc import OperationalError

    store = env.app.store
    with monkeypatch.context() as patch:
        for name in dir(store):
            if not name.startswith("_") and inspect.iscoroutinefunction(getattr(store, name)):

                async def down(*args: object, **kwargs: object) -> None:
                    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("db down"))

                patch.setattr(store, name, down)
        failed = await env.command(USER, USER, "/start", "Något gick fel")
        assert "Välkommen" not in (failed.text or "")
        await env.command(USER, USER, "/next", "Race 1")  # race times are in memory
    ours = [r for r in caplog.records if r.name.startswith("bot.")]
    assert any(
        "/start in telegram chat 1001 failed: OperationalError" in r.getMessage() for r in ours
    )
    assert all(r.exc_info is None for r in ours)
    await env.command(USER, USER, "/start", "Välkommen")  # back: as usual


async def test_each_part_of_a_long_post_takes_its_own_turn(env: Env) -> None:
    """The worker pays for one message per delivery; a post split in three must not send
    the other two at once and trip the chat's limit."""
    env.fake.per_chat_interval = 0.2
    # a little more than the fake's gap: arrival jitter on a loaded machine stays under it
    env.adapter.limits = dataclasses.replace(env.adapter.limits, per_chat_interval=0.25)
    body = tuple(line("x" * 95) for _ in range(120))
    target = Target(id=0, platform="telegram", chat_id=str(USER), chat_kind="private")
    await env.adapter.budget.acquire(target.chat_id, 0.25)  # the worker's turn, as it does
    ids = await env.adapter.send(target, Post(title="Lång", lines=body))
    assert len(ids) >= 3
    times = [m.at for m in env.fake.messages[USER]]
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.19
    assert env.fake.stats.flood_429s == 0


async def test_staff_drafts_never_show_in_a_group(env: Env) -> None:
    env.fake.add_member(GROUP, STAFF_ID, "Staffan")
    await env.command(GROUP, STAFF_ID, "/delay race1 10", "skickades till dig privat")
    draft = await env.wait_text(STAFF_ID, "Publicera?")
    assert callback_data(draft)[0].startswith("ok:")
    assert env.count(GROUP, "Publicera?") == 0
    # Published from the private chat, as the draft's buttons are there.
    env.fake.push_callback(STAFF_ID, STAFF_ID, draft.message_id, callback_data(draft)[0])
    await env.fake.wait_until(lambda: "Publicerat" in (draft.text or ""))
    # A staff member the bot may not write to privately is told to write first.
    env.fake.fail_next(STAFF_ID, "blocked")
    await env.command(GROUP, STAFF_ID, "/announce hej", "Skriv till mig privat först")
    assert env.count(GROUP, "hej") == 0
    # A fan's refusal is still answered where they asked.
    await env.command(GROUP, MEMBER, "/subscribe", "administratörer")


async def test_an_unexpected_failure_gets_one_sentence_commands_and_buttons(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    shown = await env.command(USER, USER, "/settings", "Inställningar")

    async def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk I/O error")

    monkeypatch.setattr(env.app.commands.subscriptions, "change", broken)
    env.fake.push_callback(USER, USER, shown.message_id, "set:language:en")
    await env.fake.wait_until(lambda: bool(env.fake.callback_answers))
    answer = env.fake.callback_answers[-1]
    assert answer["text"] == "Något gick fel, inget ändrades. Försök igen om en stund."
    assert shown.edits == []
    await env.command(USER, USER, "/settings tz Asia/Seoul", "Något gick fel")
    assert all("disk" not in t for t in env.fake.texts(USER))
