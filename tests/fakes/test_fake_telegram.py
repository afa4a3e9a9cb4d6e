"""The fake Telegram server, driven by the real python-telegram-bot client.

These pin down that PTB can talk to the fake unmodified and that each scripted failure surfaces
as the same exception production code would see from Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
)

from tests.fakes.fake_telegram import FakeTelegram, html_entities, parse_html

USER = 1001
GROUP = -4001

AnyApp = Application[Any, Any, Any, Any, Any, Any]


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta RetryAfter.retry_after, avoiding its deprecation warning."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    # Flood control off by default; the rate-limit tests opt in with tiny windows.
    async with FakeTelegram(global_rate=None, per_chat_interval=None, group_per_minute=None) as tg:
        tg.add_private_chat(USER, "Kimi", username="kimi")
        tg.add_group(GROUP, "Tifosi", admins=[USER])
        yield tg


def make_bot(fake: FakeTelegram, token: str | None = None) -> Bot:
    return Bot(
        token or fake.token, base_url=f"{fake.url}/bot", base_file_url=f"{fake.url}/file/bot"
    )


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with make_bot(fake) as b:
        yield b


@contextlib.asynccontextmanager
async def polling_app(
    fake: FakeTelegram, *handlers: BaseHandler[Any, Any, Any]
) -> AsyncIterator[AnyApp]:
    app: AnyApp = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(f"{fake.url}/bot")
        .base_file_url(f"{fake.url}/file/bot")
        .build()
    )
    for handler in handlers:
        app.add_handler(handler)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_get_me_and_wrong_token(fake: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (fake.bot_id, "racebot_test_bot", True)
    with pytest.raises(InvalidToken):
        async with make_bot(fake, token="999:WRONG"):
            pass
    assert fake.stats.status[401] == 1


async def test_unknown_method_is_404(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("fooBar")


async def test_wire_format(fake: FakeTelegram) -> None:
    """JSON bodies work too, and errors carry Telegram's exact shape."""
    base = f"{fake.url}/bot{fake.token}"
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    fake.fail_next(USER, "flood", retry_after=4)
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/sendMessage", json={"chat_id": USER, "text": "x"}) as resp:
            assert resp.status == 429
            assert await resp.json() == {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 4",
                "parameters": {"retry_after": 4},
            }
        payload = {"chat_id": USER, "text": "hi", "reply_markup": markup}
        async with http.post(f"{base}/sendMessage", json=payload) as resp:
            body = await resp.json()
        async with http.get(f"{fake.url}/bot1:BAD/getMe") as resp:
            assert (resp.status, await resp.json()) == (
                401,
                {"ok": False, "error_code": 401, "description": "Unauthorized"},
            )
    assert body["ok"] is True
    assert body["result"]["chat"] == {
        "id": USER,
        "type": "private",
        "first_name": "Kimi",
        "username": "kimi",
    }
    assert body["result"]["from"]["username"] == fake.bot_username
    assert body["result"]["reply_markup"] == markup


async def test_polling_application_answers_start(fake: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        assert update.effective_user is not None
        await update.effective_message.reply_text(f"Hej {update.effective_user.first_name}!")

    async with polling_app(fake, CommandHandler("start", start)):
        fake.push_message(USER, USER, "/start")
        fake.push_message(GROUP, USER, "/start@racebot_test_bot")
        fake.push_message(GROUP, USER, "/start@other_bot")  # addressed elsewhere: ignored
        [reply] = await fake.wait_for_messages(USER, 1)
        await fake.wait_for_messages(GROUP, 1)
    assert reply.text == "Hej Kimi!"
    assert reply.method == "sendMessage"
    assert fake.texts(GROUP) == ["Hej Kimi!"]
    assert fake.stats.requests["getUpdates"] >= 1


async def test_long_poll_waits_for_push_and_offset_confirms(fake: FakeTelegram, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    loop.call_later(0.05, fake.push_message, USER, USER, "hello")
    started = loop.time()
    [update] = await bot.get_updates(timeout=2)
    assert loop.time() - started < 1.0
    assert update.message is not None
    assert update.message.text == "hello"
    assert await bot.get_updates(offset=update.update_id, timeout=0) != ()
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()


async def test_html_round_trips_visible_text(fake: FakeTelegram, bot: Bot) -> None:
    raw = '<b>P1</b> &lt;b&gt; 🏎️ <a href="https://x.se/?a=1&amp;b=2">Q</a> &#127937; &quot;'
    message = await bot.send_message(USER, raw, parse_mode=ParseMode.HTML)
    [stored] = fake.messages[USER]
    assert stored.text == message.text == 'P1 <b> 🏎️ Q 🏁 "'
    assert stored.raw == raw
    assert stored.parse_mode == "HTML"


@pytest.mark.parametrize(
    "text",
    [
        "<b>unclosed",
        "<blink>x</blink>",
        "<b><i>x</b></i>",
        "lap 1 < lap 2",
        "fish & chips",
        "&nbsp;",
        "</b>",
        '<span class="nope">x</span>',
    ],
)
async def test_malformed_html_is_rejected(fake: FakeTelegram, bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await bot.send_message(USER, text, parse_mode=ParseMode.HTML)
    assert fake.messages.get(USER) is None
    await bot.send_message(USER, text)  # plain text is fine


async def test_text_validation(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(USER, "<b> </b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(USER, "x" * 4097)
    await bot.send_message(USER, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "hi")


async def test_flood_control_raises_retry_after() -> None:
    async with FakeTelegram(per_chat_interval=0.2, group_per_minute=2, retry_after=3) as fake:
        fake.add_private_chat(USER, "Kimi")
        fake.add_group(GROUP, "Tifosi")
        async with make_bot(fake) as bot:
            await bot.send_message(USER, "one")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(USER, "two")
            assert caught.value.retry_after == dtm.timedelta(seconds=3)
            await bot.send_message(GROUP, "g1")
            await bot.send_message(GROUP, "g2")
            with pytest.raises(RetryAfter):
                await bot.send_message(GROUP, "g3")
            await asyncio.sleep(0.25)
            await bot.send_message(USER, "three")
    assert fake.texts(USER) == ["one", "three"]
    assert fake.stats.status[429] == fake.stats.flood_429s == 2
    assert len(fake.stats.send_times[GROUP]) == 2


async def test_global_rate() -> None:
    async with FakeTelegram(global_rate=2, per_chat_interval=None) as fake:
        for user in (1, 2, 3):
            fake.add_private_chat(user, f"U{user}")
        async with make_bot(fake) as bot:
            await bot.send_message(1, "a")
            await bot.send_message(2, "b")
            with pytest.raises(RetryAfter):
                await bot.send_message(3, "c")


async def test_scripted_flood_blocked_and_server_error(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next(USER, "blocked")
    fake.fail_next(USER, "server_error")
    fake.fail_next(USER, "flood", retry_after=7)
    with pytest.raises(Forbidden, match="Forbidden: bot was blocked by the user"):
        await bot.send_message(USER, "1")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(USER, "2")
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(USER, "3")
    assert flood.value.retry_after == dtm.timedelta(seconds=7)
    await bot.send_message(USER, "4")
    assert fake.texts(USER) == ["4"]
    assert fake.stats.status[403] == fake.stats.status[502] == fake.stats.status[429] == 1
    assert fake.stats.flood_429s == 0


async def test_group_migration(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_member(GROUP, 1002, "Seb")
    fake.fail_next(GROUP, "migrate")
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(GROUP, "hello")
    new_id = caught.value.new_chat_id
    assert new_id == -1004001
    await bot.send_message(new_id, "hello again")
    assert fake.texts(new_id) == ["hello again"]
    chat = await bot.get_chat(new_id)
    assert (chat.type, chat.title) == ("supergroup", "Tifosi")
    assert (await bot.get_chat_member(new_id, 1002)).status == "member"
    with pytest.raises(ChatMigrated):  # the old id stays dead, as on Telegram
        await bot.send_message(GROUP, "old")


async def test_timeout_still_delivers(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next(USER, "timeout", delay=0.4)
    with pytest.raises(TimedOut):
        await bot.send_message(USER, "maybe", read_timeout=0.1)
    assert fake.texts(USER) == ["maybe"]


async def test_send_document_stores_bytes(fake: FakeTelegram, bot: Bot) -> None:
    content = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    message = await bot.send_document(
        GROUP, content, filename="race.ics", caption="<i>Kalender</i>", parse_mode="HTML"
    )
    [stored] = fake.messages[GROUP]
    assert stored.method == "sendDocument"
    assert stored.document == ("race.ics", content)
    assert stored.caption == "Kalender"
    assert message.document is not None
    assert message.document.file_name == "race.ics"
    file = await message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == content


async def test_edit_message_text(fake: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Q1: P3")
    edited = await bot.edit_message_text("Q1: <b>P1</b>", USER, sent.message_id, parse_mode="HTML")
    assert isinstance(edited, Message)
    assert edited.text == "Q1: P1"
    [stored] = fake.messages[USER]
    assert (stored.text, stored.edits) == ("Q1: P1", ["Q1: P3"])
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Q1: <b>P1</b>", USER, sent.message_id, parse_mode="HTML")
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", USER, 999)


async def test_callback_query_is_answered(fake: FakeTelegram) -> None:
    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer(f"got {query.data}")
        await query.edit_message_text("Subscribed ✅")

    async with polling_app(fake, CallbackQueryHandler(on_press)) as app:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Sub", callback_data="sub:f1")]])
        sent = await app.bot.send_message(USER, "Subscribe?", reply_markup=keyboard)
        assert fake.messages[USER][0].reply_markup == keyboard.to_dict()
        fake.push_callback(USER, USER, sent.message_id, "sub:f1")
        await fake.wait_until(lambda: fake.texts(USER) == ["Subscribed ✅"])
    [answer] = fake.callback_answers
    assert answer["text"] == "got sub:f1"
    assert fake.messages[USER][0].edits == ["Subscribe?"]


async def test_my_chat_member_kicked_then_sends_fail(fake: FakeTelegram) -> None:
    async def on_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        change = update.my_chat_member
        assert change is not None
        status = change.new_chat_member.status
        await context.bot.send_message(USER, f"{change.chat.title}: {status}")

    async with polling_app(fake, ChatMemberHandler(on_member)) as app:
        fake.push_my_chat_member(GROUP, USER, "kicked")
        await fake.wait_for_messages(USER, 1)
        assert fake.texts(USER) == ["Tifosi: kicked"]
        with pytest.raises(Forbidden, match="Forbidden: bot was kicked from the group chat"):
            await app.bot.send_message(GROUP, "still here?")


async def test_set_my_commands_per_language(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([BotCommand("next", "Next race")])
    await bot.set_my_commands([BotCommand("next", "Nästa race")], language_code="sv")
    await bot.set_my_commands(
        [BotCommand("subscribe", "Subscribe group")], scope=BotCommandScopeAllGroupChats()
    )
    assert fake.commands[("default", None)] == [{"command": "next", "description": "Next race"}]
    assert fake.commands[("default", "sv")] == [{"command": "next", "description": "Nästa race"}]
    assert ("all_group_chats", None) in fake.commands
    [command] = await bot.get_my_commands(language_code="sv")
    assert command.description == "Nästa race"
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_chat_members(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_member(GROUP, 1002, "Seb", admin=True)
    fake.add_member(GROUP, 1003, "Lewis")
    statuses = {
        uid: (await bot.get_chat_member(GROUP, uid)).status for uid in (USER, 1002, 1003, 9)
    }
    assert statuses == {USER: "creator", 1002: "administrator", 1003: "member", 9: "left"}
    admins = await bot.get_chat_administrators(GROUP)
    assert {a.user.id for a in admins} == {USER, 1002}
    assert (await bot.get_chat(USER)).first_name == "Kimi"


async def test_retry_after_says_when_the_window_has_room() -> None:
    """Like Telegram: a group over 20/min hears how long until its oldest send leaves the
    window (not a fixed second), and waiting exactly that long is enough."""
    async with FakeTelegram(group_per_minute=2, group_window=2.0, global_rate=3) as fake:
        fake.add_group(GROUP, "Tifosi")
        fake.add_private_chat(USER, "Kimi")
        fake.add_private_chat(777_001, "Mika")
        async with make_bot(fake) as bot:
            await bot.send_message(GROUP, "g1")
            await bot.send_message(GROUP, "g2")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(GROUP, "g3")
            assert caught.value.retry_after == dtm.timedelta(seconds=2)  # ceil(~1.99 s)
            await bot.send_message(USER, "u1")  # the third send this second: still allowed
            with pytest.raises(RetryAfter) as flooded:  # the fourth: over 3/s overall
                await bot.send_message(777_001, "u2")
            assert flooded.value.retry_after == dtm.timedelta(seconds=1)
            await asyncio.sleep(2.0)
            await bot.send_message(GROUP, "g3")
    assert fake.texts(GROUP) == ["g1", "g2", "g3"]


async def test_one_long_poll_per_token_like_telegram() -> None:
    async with FakeTelegram() as fake, make_bot(fake) as bot, make_bot(fake) as other:
        held = asyncio.create_task(bot.get_updates(timeout=1))
        await asyncio.sleep(0.2)
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await other.get_updates(timeout=0)  # a second process with the same token
        assert await held == ()
        assert await other.get_updates(timeout=0) == ()  # the first one ended: free again


async def test_descriptions_per_language_with_the_documented_limits(
    fake: FakeTelegram, bot: Bot
) -> None:
    assert await bot.set_my_description("Påminnelser inför varje pass")
    assert await bot.set_my_description("Reminders before every session", language_code="en")
    assert await bot.set_my_short_description("x" * 120)
    assert (await bot.get_my_description()).description == "Påminnelser inför varje pass"
    assert (await bot.get_my_description("en")).description == "Reminders before every session"
    assert (await bot.get_my_short_description()).short_description == "x" * 120
    assert (await bot.get_my_short_description("en")).short_description == ""
    with pytest.raises(BadRequest, match="too long"):
        await bot.set_my_description("x" * 513)
    with pytest.raises(BadRequest, match="too long"):
        await bot.set_my_short_description("x" * 121)
    with pytest.raises(BadRequest, match="language code"):
        await bot.set_my_description("hej", language_code="svenska")
    assert await bot.set_my_description("", language_code="en")  # empty removes it
    assert fake.descriptions == {None: "Påminnelser inför varje pass"}


def test_html_entities_are_reported_as_telegram_does() -> None:
    """Offsets in UTF-16 units of the visible text, so PTB's ``text_html`` rebuilds it."""
    raw = '🏁 <b>Rättelse</b> &amp; <a href="https://e.se/?a=1&amp;b=2">länk</a> <i>x</i>'
    assert parse_html(raw) == "🏁 Rättelse & länk x"
    assert html_entities(raw) == [
        {"type": "bold", "offset": 3, "length": 8},
        {"type": "text_link", "offset": 14, "length": 4, "url": "https://e.se/?a=1&b=2"},
        {"type": "italic", "offset": 19, "length": 1},
    ]
