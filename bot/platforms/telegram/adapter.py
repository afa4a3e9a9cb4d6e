"""Telegram via python-telegram-bot: commands in, reminders out, on the bot's one event loop.

The adapter only translates. Updates become a ``Caller`` plus argument text for the shared
``Commands``; posts become Telegram HTML where every piece of text is escaped, so a driver
called "Jessica <3 & Andreas" can never break or inject markup. PTB's own rate limiter stays
off because the DeliveryWorker already paces sends, and PTB errors become the four delivery
outcomes of ``bot.platforms.base``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import hmac
import html
import logging
from collections.abc import Awaitable, Callable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    Chat,
    ChatMember,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import Config
from bot.core.audience import Target
from bot.core.clock import Clock
from bot.core.errors import PlatformError, brief
from bot.core.markup import Bold, Href, Instant, Line, Plain, Post, format_instant, plain_text
from bot.core.model import SessionKind
from bot.core.texts import texts
from bot.core.timeutil import SWEDISH_TIME
from bot.platforms.base import ChatMoved, Limits, RetryLater, TargetGone, TransientFailure
from bot.sendpath import BROADCAST, AnswerLane, RateBudget, chat_interval
from bot.service.commands import Commands
from bot.service.settings import SettingsChange
from bot.service.types import Caller, Reply, text_reply

if TYPE_CHECKING:
    from telegram.ext import ExtBot

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

MAX_TEXT = 4096
# Telegram counts UTF-16 code units after entity parsing; keep a little room for safety.
SPLIT_AT = 4000
ADMIN_STATUSES = (ChatMember.OWNER, ChatMember.ADMINISTRATOR)
GONE_STATUSES = (ChatMember.BANNED, ChatMember.LEFT)

LABELS = {
    "sv": {"publish": "✅ Publicera", "cancel": "✖️ Avbryt", "all": "Alla", "filler": "⋯"},
    "en": {"publish": "✅ Publish", "cancel": "✖️ Cancel", "all": "All", "filler": "⋯"},
}
LEAD_PRESETS = ("60+15", "30", "15", "5")
KIND_PRESETS = (
    ("race", {"sv": "Race", "en": "Races"}),
    ("race+qualifying", {"sv": "Race+kval", "en": "Races+quali"}),
    ("race+qualifying+practice+other", {"sv": "Alla pass", "en": "All sessions"}),
)
ZONE_PRESETS = ("Europe/Stockholm", "Europe/London", "Asia/Seoul", "America/New_York")


def _labels(language: str) -> dict[str, str]:
    return LABELS["en" if language == "en" else "sv"]


# -- rendering ------------------------------------------------------------------------------


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _span_html(span: Plain | Bold | Href | Instant, tz: ZoneInfo, language: str) -> str:
    if isinstance(span, Instant):
        return html.escape(format_instant(span, tz, language))
    if isinstance(span, Bold):
        return f"<b>{html.escape(span.text)}</b>" if span.text.strip() else html.escape(span.text)
    if isinstance(span, Href):
        return f'<a href="{html.escape(span.url, quote=True)}">{html.escape(span.text)}</a>'
    return html.escape(span.text)


def _span_visible(span: Plain | Bold | Href | Instant, tz: ZoneInfo, language: str) -> str:
    if isinstance(span, Instant):
        return format_instant(span, tz, language)
    return span.text


def _line_parts(spans: Line, tz: ZoneInfo, language: str) -> list[tuple[str, int]]:
    """One line as (html, visible length); an over-long line becomes plain chunks."""
    markup = "".join(_span_html(s, tz, language) for s in spans)
    visible = "".join(_span_visible(s, tz, language) for s in spans)
    if _utf16_len(visible) <= SPLIT_AT:
        return [(markup, _utf16_len(visible))]
    chunks = [visible[i : i + SPLIT_AT // 2] for i in range(0, len(visible), SPLIT_AT // 2)]
    return [(html.escape(chunk), _utf16_len(chunk)) for chunk in chunks]


def render_html(post: Post, tz: ZoneInfo = SWEDISH_TIME) -> list[str]:
    """The post as Telegram HTML messages, split at line boundaries to fit 4096 characters."""
    rows: list[tuple[str, int]] = []
    if post.title:
        rows.extend(
            (f"<b>{h}</b>" if n else h, n)
            for h, n in _line_parts((Plain(post.title),), tz, post.language)
        )
    for spans in post.lines:
        rows.extend(_line_parts(spans, tz, post.language))
    if post.footer:
        rows.extend(
            (f"<i>{h}</i>" if n else h, n)
            for h, n in _line_parts((Plain(post.footer),), tz, post.language)
        )
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for markup, length in rows:
        extra = length + (1 if current else 0)
        if current and size + extra > SPLIT_AT:
            messages.append("\n".join(current))
            current, size = [], 0
            extra = length
        current.append(markup)
        size += extra
    if current:
        messages.append("\n".join(current))
    messages = [m for m in messages if html.unescape(m).strip()]
    return messages or ["·"]


def link_keyboard(post: Post) -> InlineKeyboardMarkup | None:
    """The post's link buttons as URL buttons, two to a row."""
    buttons = [InlineKeyboardButton(b.label, url=b.url) for b in post.buttons]
    if not buttons:
        return None
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def confirm_keyboard(token: str, language: str) -> InlineKeyboardMarkup:
    labels = _labels(language)
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(labels["publish"], callback_data=f"ok:{token}"),
                InlineKeyboardButton(labels["cancel"], callback_data=f"no:{token}"),
            ]
        ]
    )


def settings_keyboard(current: Target | None, language: str) -> InlineKeyboardMarkup:
    """One tap per common choice; ``set:key:value`` maps onto ``/settings key value``."""

    def mark(label: str, chosen: bool) -> str:
        return f"✓ {label}" if chosen else label

    lang = current.language if current else language
    leads = "+".join(str(m) for m in current.leads) if current and current.leads else None
    kinds = "+".join(k.value for k in current.kinds) if current and current.kinds else None
    tz = current.timezone if current else None
    rows = [
        [
            InlineKeyboardButton(mark("🇸🇪 Svenska", lang == "sv"), callback_data="set:language:sv"),
            InlineKeyboardButton(mark("🇬🇧 English", lang == "en"), callback_data="set:language:en"),
        ],
        [
            InlineKeyboardButton(mark(f"⏱ {p}", leads == p), callback_data=f"set:leads:{p}")
            for p in LEAD_PRESETS
        ],
        [
            InlineKeyboardButton(
                mark(names["en" if lang == "en" else "sv"], kinds == value),
                callback_data=f"set:kinds:{value}",
            )
            for value, names in KIND_PRESETS
        ],
    ]
    zones = [
        InlineKeyboardButton(
            mark(z.split("/")[-1].replace("_", " "), tz == z), callback_data=f"set:tz:{z}"
        )
        for z in ZONE_PRESETS
    ]
    rows += [zones[i : i + 2] for i in range(0, len(zones), 2)]
    return InlineKeyboardMarkup(rows)


def settings_change(key: str, value: str) -> SettingsChange:
    """The typed change a ``set:key:value`` button stands for (unknown: change nothing)."""
    parts = tuple(value.split("+"))
    with contextlib.suppress(ValueError):
        if key == "language":
            return SettingsChange(language=value)
        if key == "leads":
            return SettingsChange(leads=tuple(int(p) for p in parts))
        if key == "kinds":
            return SettingsChange(kinds=tuple(SessionKind(p) for p in parts))
        if key == "tz":
            return SettingsChange(timezone=value)
    return SettingsChange()


# -- errors ---------------------------------------------------------------------------------


def _seconds(value: int | float | timedelta) -> float:
    """PTB gives int seconds, or a timedelta when PTB_TIMEDELTA is set."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@contextlib.contextmanager
def delivery_errors() -> Iterator[None]:
    """Translate PTB errors into the worker's outcomes; formatting bugs stay plain errors."""
    try:
        yield
    except RetryAfter as exc:
        raise RetryLater(_seconds(exc.retry_after), exc.message) from exc
    except ChatMigrated as exc:
        raise ChatMoved(str(exc.new_chat_id)) from exc
    except Forbidden as exc:
        raise TargetGone(exc.message) from exc
    except BadRequest as exc:
        text = exc.message.lower()
        if "chat not found" in text or "have no rights to send" in text:
            raise TargetGone(exc.message) from exc
        raise  # a bug in what we sent: let the worker back off and eventually fail the row
    except (TimedOut, NetworkError) as exc:
        raise TransientFailure(str(exc)) from exc


def _chat_id(chat_id: str) -> int | str:
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


def _not_modified(exc: BadRequest) -> bool:
    return "message is not modified" in exc.message.lower()


class _LastPollAtShutdown(logging.Filter):
    """PTB logs a traceback when its last getUpdates at shutdown (to confirm the updates it
    fetched) meets 409 because Telegram still holds the long poll it just abandoned. That
    is expected, not a failure: say it in one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.getMessage().startswith("Error while calling `get_updates` one more"):
            return True
        error = record.exc_info[1] if record.exc_info else None
        log.info(
            "telegram: stopped with a poll still held by the Bot API (%s); updates fetched "
            "since the last confirmed poll may come again at the next start",
            brief(error) if error is not None else "no detail",
        )
        return False


_LAST_POLL_FILTER = _LastPollAtShutdown()


# -- the adapter ----------------------------------------------------------------------------


ALLOWED_UPDATES = ["message", "channel_post", "callback_query", "my_chat_member"]

#: How long a Bot API call may take to answer. PTB's default (5 s) took a slow answer for
#: a lost one, and the retry posted twice: Telegram has no idempotency key. Under load the
#: Bot API answers sendMessage in seconds, so wait long enough for any answer that comes.
#: A send with no answer in this time is retried with backoff and may then appear twice
#: (see the README, "How it is built"). Long polling has its own timeouts.
SEND_READ_TIMEOUT = 30.0
SEND_WRITE_TIMEOUT = 30.0
CONNECT_TIMEOUT = 10.0
#: Waiting for a free connection (64 in the pool; the worker runs at most 32 sends).
POOL_TIMEOUT = 10.0


class TelegramAdapter:
    """Telegram Sender and inbound command handler on the shared event loop."""

    name = "telegram"

    def __init__(self, config: Config, clock: Clock) -> None:
        self.config = config
        self.clock = clock
        tg = config.telegram
        self.limits = Limits(
            global_per_second=tg.global_rate,
            per_chat_interval=tg.per_chat_interval,
            group_interval=tg.group_interval,
        )
        #: The one budget for everything sent to Telegram: the outbox worker takes its
        #: broadcast turns from it, ``answers`` (command replies, drafts, buttons) go first.
        self.budget = RateBudget(self.name, tg.global_rate)
        self.answers = AnswerLane(self.budget)
        self.staff = {int(s) for s in tg.staff}
        self.poll_timeout = 10
        self.application: AnyApplication | None = None
        self.commands: Commands | None = None
        self.username = ""

    # -- lifecycle -------------------------------------------------------------------------

    def build(self) -> AnyApplication:
        """The PTB application without a rate limiter: our DeliveryWorker paces sends."""
        tg = self.config.telegram
        if not tg.token:
            raise RuntimeError("telegram: no token configured")
        builder = (
            ApplicationBuilder()
            .token(tg.token)
            .connection_pool_size(64)
            .read_timeout(SEND_READ_TIMEOUT)
            .write_timeout(SEND_WRITE_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .pool_timeout(POOL_TIMEOUT)
        )
        if tg.base_url:
            base = tg.base_url.rstrip("/")
            builder = builder.base_url(base)
            root = base[: -len("/bot")] if base.endswith("/bot") else base
            builder = builder.base_file_url(f"{root}/file/bot")
        if self.webhook_path:
            builder = builder.updater(None)  # updates arrive on our aiohttp server instead
        app: AnyApplication = builder.build()
        app.add_handler(
            MessageHandler(
                (filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST) & filters.COMMAND,
                self._on_command,
            )
        )
        app.add_handler(CallbackQueryHandler(self._on_callback))
        app.add_handler(
            ChatMemberHandler(self._on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self._on_migrate))
        app.add_error_handler(self._on_error)
        return app

    async def start(self, commands: Commands) -> None:
        """Connect, publish the command menu and poll; never blocks the shared loop."""
        self.commands = commands
        logging.getLogger("telegram.ext.Updater").addFilter(_LAST_POLL_FILTER)
        app = self.application = self.build()
        try:
            await app.initialize()  # getMe: proves the token and the connection
        except InvalidToken as exc:
            raise PlatformError(
                "telegram: the token was refused",
                "check RACEBOT_TELEGRAM_TOKEN or [telegram] token (from @BotFather)",
            ) from exc
        except NetworkError as exc:
            raise PlatformError(
                f"telegram: cannot reach the Bot API ({exc})",
                "check the network, or [telegram] base_url",
            ) from exc
        self.username = app.bot.username or ""
        await self.set_commands()
        await app.start()
        if self.webhook_path:
            await app.bot.set_webhook(
                url=self.config.telegram.webhook_url or "",
                secret_token=self.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
            return
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0,
            timeout=timedelta(seconds=self.poll_timeout),
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
            error_callback=self._on_poll_error,
        )

    def _on_poll_error(self, error: TelegramError) -> None:
        """One line per polling failure (PTB retries by itself); never a traceback."""
        if isinstance(error, Conflict):
            log.error(
                "telegram: another process is polling this bot token (409 Conflict); "
                "stop the other racebot, or use [telegram] webhook_url"
            )
            return
        log.warning("telegram: polling failed, retrying: %s", brief(error))

    # -- webhook mode ---------------------------------------------------------------------

    @property
    def webhook_path(self) -> str | None:
        """Path of the webhook route on the bot's own aiohttp server, if webhook mode is on."""
        url = self.config.telegram.webhook_url
        if not url or not self.config.web.enabled:
            return None
        return urlsplit(url).path or "/telegram/webhook"

    @property
    def webhook_secret(self) -> str:
        """Stable per token; Telegram echoes it so forged posts can be refused."""
        return hashlib.sha256(f"racebot:{self.config.telegram.token}".encode()).hexdigest()[:48]

    def web_routes(self) -> list[web.RouteDef]:
        path = self.webhook_path
        return [web.post(path, self.handle_webhook)] if path else []

    async def handle_webhook(self, request: web.Request) -> web.Response:
        """Feed one update from Telegram into the application, as polling would."""
        secret = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(secret, self.webhook_secret):
            return web.Response(status=403, text="wrong secret token")
        app = self.application
        if app is None:
            return web.Response(status=503, text="not started yet")
        try:
            data = await request.json()
            if not isinstance(data, dict):  # valid JSON, but a list, string or number
                raise TypeError(f"a JSON {type(data).__name__}, not an object")
            update = Update.de_json(data, app.bot)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning("telegram: webhook body refused (400): %s", brief(exc))
            return web.Response(status=400, text="not a Telegram update")
        await app.update_queue.put(update)
        return web.Response(text="ok")

    async def stop(self) -> None:
        await self.answers.stop()  # answers already queued get a few seconds to go out
        app, self.application = self.application, None
        if app is None:
            return
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    async def set_commands(self) -> None:
        """Menu of fan commands in Swedish (default and sv) and English; staff see more."""
        bot = self.bot

        def menu(language: str, staff: bool = False) -> list[BotCommand]:
            return [BotCommand(n, d) for n, d in Commands.help_entries(language, staff)]

        await bot.set_my_commands(menu("sv"), scope=BotCommandScopeDefault())
        await bot.set_my_commands(menu("sv"), scope=BotCommandScopeDefault(), language_code="sv")
        await bot.set_my_commands(menu("en"), scope=BotCommandScopeDefault(), language_code="en")
        for user_id in self.staff:  # a staff member who never wrote to the bot has no chat yet
            with contextlib.suppress(TelegramError):
                await bot.set_my_commands(menu("sv", True), scope=BotCommandScopeChat(user_id))

    @property
    def bot(self) -> ExtBot[None]:
        if self.application is None:
            raise RuntimeError("telegram adapter is not started")
        bot: ExtBot[None] = self.application.bot
        return bot

    # -- outbound (Sender) -----------------------------------------------------------------

    async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
        parts = render_html(post, target.tz)
        ids: list[str] = []
        with delivery_errors():
            for n, text in enumerate(parts):
                if n:  # the worker paid for the first message; each further one pays too
                    await self._next_part(target)
                message = await self._send_text(
                    _chat_id(target.chat_id),
                    text,
                    link_keyboard(post) if n == len(parts) - 1 else None,
                )
                ids.append(str(message.message_id))
        return ids

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        parts = render_html(post, target.tz)
        chat_id = _chat_id(target.chat_id)
        ids: list[str] = []
        with delivery_errors():
            for n, text in enumerate(parts):
                markup = link_keyboard(post) if n == len(parts) - 1 else None
                if n:
                    await self._next_part(target)
                if n < len(message_ids):
                    await self._edit_text(chat_id, int(message_ids[n]), text, markup)
                    ids.append(message_ids[n])
                else:
                    message = await self._send_text(chat_id, text, markup)
                    ids.append(str(message.message_id))
            for old in message_ids[len(parts) :]:  # the post got shorter: blank the leftovers
                with contextlib.suppress(BadRequest):
                    await self._edit_text(chat_id, int(old), _labels(post.language)["filler"], None)
        return ids

    async def _next_part(self, target: Target) -> None:
        """A long post is several messages: each beyond the first takes its own turn."""
        interval = chat_interval(self.limits, target.chat_kind)
        await self.budget.acquire(target.chat_id, interval, BROADCAST)

    async def _send_text(
        self,
        chat_id: int | str,
        text: str,
        markup: InlineKeyboardMarkup | None,
        reply_to: int | None = None,
    ) -> Message:
        return await self.bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            reply_parameters=(
                ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
            ),
        )

    async def _edit_text(
        self, chat_id: int | str, message_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        try:
            await self.bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except BadRequest as exc:
            if not _not_modified(exc):
                raise

    # -- inbound ---------------------------------------------------------------------------

    def _commands(self) -> Commands:
        if self.commands is None:
            raise RuntimeError("telegram adapter is not started")
        return self.commands

    async def caller(self, chat: Chat, user: User | None, message: Message | None) -> Caller:
        """Who is asking: language from the chat's subscription, else from the user's app."""
        chat_id = str(chat.id)
        commands = self._commands()
        current = await commands.chat_settings(self.name, chat_id)
        code = (user.language_code or "") if user else ""
        language = current.language if current else commands.language_for(code)
        return Caller(
            platform=self.name,
            chat_id=chat_id,
            user_id=str(user.id if user else chat.id),
            user_name=(user.username or user.full_name) if user else chat.title,
            chat_kind=chat.type,
            language=language,
            is_chat_admin=await self._is_admin(chat, user, message),
            is_staff=user is not None and user.id in self.staff,
        )

    async def _is_admin(self, chat: Chat, user: User | None, message: Message | None) -> bool:
        if chat.type == Chat.PRIVATE:
            return True
        if chat.type == Chat.CHANNEL or user is None:
            return True  # only a channel's admins can post in it
        if message is not None and message.sender_chat and message.sender_chat.id == chat.id:
            return True  # an anonymous group admin
        try:
            member = await self.bot.get_chat_member(chat.id, user.id)
        except TelegramError:
            log.warning("telegram: could not check admin status in %s", chat.id)
            return False
        return member.status in ADMIN_STATUSES

    async def _on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None or not message.text:
            return
        head, _, args = message.text.partition(" ")
        if not head.startswith("/"):
            return
        name, _, addressee = head[1:].partition("@")
        if addressee and addressee.lower() != self.username.lower():
            return  # meant for another bot in the group
        commands = self._commands()
        name = name.lower()
        if chat.type != Chat.PRIVATE and not addressee and not commands.knows(name):
            return  # probably another bot's command; answering "unknown" would be noise
        caller = await self.caller(chat, update.effective_user, message)
        reply = await commands.handle(caller, name, args.strip())
        if reply.private and chat.type != Chat.PRIVATE and caller.is_staff:
            reply = await self._show_privately(int(caller.user_id), reply, caller)
        await self.show(
            chat.id,
            reply,
            caller,
            reply_to=message.message_id if chat.type != Chat.PRIVATE else None,
        )

    async def _show_privately(self, user_id: int, reply: Reply, caller: Caller) -> Reply:
        """A staff answer (a draft with its buttons) goes to the staff member's own chat,
        never into a group; what the group sees instead is returned."""
        private = dataclasses.replace(caller, chat_id=str(user_id), chat_kind="private")
        sent = await asyncio.gather(*await self.show(user_id, reply, private))
        if not all(sent):  # they never wrote to the bot (403): it may not write first
            return text_reply(
                texts(caller.language).dm_first.format(bot=f"@{self.username}"), caller.language
            )
        return text_reply(texts(caller.language).sent_privately, caller.language)

    async def show(
        self, chat_id: int, reply: Reply, caller: Caller, *, reply_to: int | None = None
    ) -> list[asyncio.Future[bool]]:
        """Send a command's Reply with its buttons and attachment, on the answer lane."""
        parts = render_html(reply.post, await self._reader_zone(caller))
        if reply.confirm:
            markup: InlineKeyboardMarkup | None = confirm_keyboard(reply.confirm, caller.language)
        elif reply.settings is not None:
            markup = settings_keyboard(reply.settings, reply.post.language)
        else:
            markup = link_keyboard(reply.post)
        futures = []
        for n, text in enumerate(parts):
            last = n == len(parts) - 1
            futures.append(
                self._answer(
                    caller,
                    self._send_text,
                    chat_id,
                    text,
                    markup if last else None,
                    reply_to if n == 0 else None,
                )
            )
        if reply.attachment is not None:
            filename, content, _mime = reply.attachment
            futures.append(
                self._answer(caller, self.bot.send_document, chat_id, content, filename=filename)
            )
        return futures

    def _answer(
        self, caller: Caller | None, func: Callable[..., Awaitable[Any]], *args: Any, **kw: Any
    ) -> asyncio.Future[bool]:
        """Queue one interactive send on the answer lane (first in the budget, in order
        per chat, retried after 429 while useful); the handler does not wait for it."""

        async def call() -> None:
            with delivery_errors():
                await func(*args, **kw)

        chat = caller.chat_id if caller is not None else None
        kind = caller.chat_kind if caller is not None else "private"
        interval = chat_interval(self.limits, kind) if chat is not None else 0.0
        what = getattr(func, "__name__", "answer").strip("_")
        return self.answers.submit(chat, call, interval=interval, what=what)

    async def _reader_zone(self, caller: Caller) -> ZoneInfo:
        return await self._commands().reader_zone(self.name, caller.chat_id)

    async def _on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Publish/Cancel on a staff preview, or a tap in the /settings keyboard."""
        query = update.callback_query
        if query is None or not query.data:
            return
        message = query.message
        chat = message.chat if message is not None else None
        if chat is None:
            self._answer(None, query.answer)
            return
        commands = self._commands()
        caller = await self.caller(chat, query.from_user, None)
        kind, _, rest = query.data.partition(":")
        if kind in ("ok", "no"):
            reply = (
                await commands.confirm(caller, rest)
                if kind == "ok"
                else await commands.abort(caller, rest)
            )
            outcome = render_html(reply.post, SWEDISH_TIME)[0]
            self._answer(None, query.answer)
            if isinstance(message, Message):
                before = html.escape(message.text or "")
                text = f"{before}\n\n{outcome}" if before else outcome
                if _utf16_len(html.unescape(text)) > MAX_TEXT:
                    text = outcome
                self._answer(caller, self._edit_text, chat.id, message.message_id, text, None)
            return
        if kind == "set":
            key, _, value = rest.partition(":")
            reply = await commands.change_settings(caller, settings_change(key, value))
            current = reply.settings
            if current is None:  # refused (e.g. not a group admin): keep the keyboard for others
                self._answer(None, query.answer, plain_text(reply.post)[:200], show_alert=True)
                return
            self._answer(None, query.answer)
            if isinstance(message, Message):
                markup = settings_keyboard(current, reply.post.language)
                text = render_html(reply.post, current.tz)[0]
                self._answer(caller, self._edit_text, chat.id, message.message_id, text, markup)
            return
        self._answer(None, query.answer)

    async def _on_my_chat_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Blocked or removed: stop posting there until someone writes /start again."""
        change = update.my_chat_member
        if change is None or change.new_chat_member.status not in GONE_STATUSES:
            return
        await self._commands().subscriptions.stop(
            self.name, str(change.chat.id), f"bot {change.new_chat_member.status}"
        )

    async def _on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup: follow it to the new id before the next post."""
        message = update.effective_message
        if message is None or message.migrate_to_chat_id is None:
            return
        await self._commands().subscriptions.move(
            self.name, str(message.chat.id), str(message.migrate_to_chat_id)
        )

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram: update failed", exc_info=context.error)


__all__ = [
    "TelegramAdapter",
    "confirm_keyboard",
    "delivery_errors",
    "link_keyboard",
    "render_html",
    "settings_keyboard",
]
