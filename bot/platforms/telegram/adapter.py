"""Telegram via python-telegram-bot: lifecycle, polling or webhook, and sending.

The adapter only translates. ``handlers`` turns updates into calls on the shared
``Commands``; ``render`` makes posts Telegram HTML; ``errors`` turns PTB errors into the
four delivery outcomes of ``bot.platforms.base``. PTB's own rate limiter stays off because
the DeliveryWorker and the answer lane already pace sends, through one budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)

from bot.config import Config
from bot.core.audience import Target
from bot.core.clock import Clock
from bot.core.errors import PlatformError, PlatformUnreachable, brief
from bot.core.markup import Post
from bot.core.texts import texts
from bot.platforms.base import Background
from bot.platforms.registry import platform
from bot.platforms.telegram.errors import LAST_POLL_FILTER, delivery_errors, not_modified
from bot.platforms.telegram.handlers import Handlers
from bot.platforms.telegram.keyboards import link_keyboard
from bot.platforms.telegram.photos import edit_caption, send_photo
from bot.platforms.telegram.pins import forget_topic, pin_preview, thread_of, topic_gone
from bot.platforms.telegram.profile import publish as publish_profile
from bot.platforms.telegram.profile import staff_menu
from bot.platforms.telegram.reach import PollRequest, Reach
from bot.platforms.telegram.release import ReleaseHandlers
from bot.platforms.telegram.render import render_html
from bot.sendpath import BROADCAST, AnswerLane, RateBudget, chat_interval
from bot.service.commands import Commands
from bot.service.types import Caller

if TYPE_CHECKING:
    from telegram.ext import ExtBot

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def _chat_id(chat_id: str) -> int | str:
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


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
        self.limits = platform(self.name).limits(config)
        #: ``allow_paid_broadcast`` on every send ([telegram] paid_broadcast); else never.
        self.paid = tg.paid_broadcast or None
        #: The one budget for everything sent to Telegram: the outbox worker takes its
        #: broadcast turns from it, ``answers`` (command replies, drafts, buttons) go first.
        self.budget = RateBudget(self.name, self.limits.global_per_second)
        self.answers = AnswerLane(self.budget)
        self.reach = Reach()  # whether the Bot API answers our polls (bot.leases)
        self.staff = {int(s) for s in tg.staff}
        self.poll_timeout = 10
        self.application: AnyApplication | None = None
        self.commands: Commands | None = None
        self.username = ""
        self.handlers = Handlers(self)
        self.releases = ReleaseHandlers(self.handlers)
        self.background = Background()

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
        else:
            builder = builder.get_updates_request(PollRequest(self.reach))
        app: AnyApplication = builder.build()
        app.add_handler(
            MessageHandler(
                (filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST) & filters.COMMAND,
                self.handlers.on_command,
            )
        )
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        app.add_handler(MessageHandler(private & filters.Document.ALL, self.releases.on_document))
        app.add_handler(MessageHandler(private & filters.PHOTO, self.releases.on_photo))
        app.add_handler(
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, self.releases.on_text)
        )
        app.add_handler(CallbackQueryHandler(self.handlers.on_callback))
        app.add_handler(
            ChatMemberHandler(self.handlers.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self.handlers.on_migrate))
        app.add_error_handler(self.handlers.on_error)
        return app

    async def start(self, commands: Commands) -> None:
        """Connect, publish the command menu and poll; never blocks the shared loop."""
        self.commands = commands
        logging.getLogger("telegram.ext.Updater").addFilter(LAST_POLL_FILTER)
        app = self.application = self.build()
        try:
            await app.initialize()  # getMe: proves the token and the connection
        except InvalidToken as exc:
            raise PlatformError(
                "telegram: the token was refused",
                "check RACEBOT_TELEGRAM_TOKEN or [telegram] token (from @BotFather)",
            ) from exc
        except NetworkError as exc:
            raise PlatformUnreachable(
                f"telegram: cannot reach the Bot API ({exc})",
                "check the network, or [telegram] base_url",
            ) from exc
        self.username = app.bot.username or ""
        try:
            await self.set_commands()
        except NetworkError as exc:  # the Bot API went away again right after getMe
            raise PlatformUnreachable(
                f"telegram: the Bot API stopped answering ({exc})", "check the network"
            ) from exc
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
        await self.background.stop()
        app, self.application = self.application, None
        if app is None:
            return
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    async def set_commands(self) -> None:
        """Command menus and descriptions (see bot.platforms.telegram.profile)."""
        commands = self.commands
        assert commands is not None
        added = {int(u) for u in commands.added_staff(self.name) if u.isdigit()}
        await publish_profile(self.bot, self.staff | added, commands.team)
        commands.on_staff_change(self._staff_changed)

    def _staff_changed(self, platform: str, user_id: str, staff: bool) -> None:
        """/staff add|remove: that person's menu at once, on the answer lane (paced)."""
        if platform != self.name or not user_id.isdigit() or int(user_id) in self.staff:
            return  # config staff keep theirs
        if self.application is None:
            return  # stopped: the next start sets every menu
        self.answer(None, staff_menu, self.bot, int(user_id), staff)

    @property
    def bot(self) -> ExtBot[None]:
        if self.application is None:
            raise RuntimeError("telegram adapter is not started")
        bot: ExtBot[None] = self.application.bot
        return bot

    # -- outbound (Sender) -----------------------------------------------------------------

    async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
        try:
            ids = await self._send_parts(target, post, thread_of(target))
        except BadRequest as exc:
            if not target.thread_id or not topic_gone(exc):
                raise
            await forget_topic(self, target)
            ids = await self._send_parts(target, post, None)
        if post.pin and ids:  # after the fan-out's turns, without holding up this delivery
            self.background.spawn(pin_preview(self, target, int(ids[0])), "telegram-pin")
        return ids

    async def _send_parts(self, target: Target, post: Post, thread: int | None) -> list[str]:
        parts = render_html(post, target.tz)
        with delivery_errors():  # a release's photo: the post is its caption where it fits
            ids, parts = await send_photo(
                self.bot, _chat_id(target.chat_id), post, parts, thread, self.paid, self.commands
            )
            for n, text in enumerate(parts):
                if n or ids:  # the worker paid for the first message; each further one pays too
                    await self._next_part(target)
                message = await self.send_text(
                    _chat_id(target.chat_id),
                    text,
                    link_keyboard(post) if n == len(parts) - 1 else None,
                    silent=post.silent,
                    thread_id=thread,
                )
                ids.append(str(message.message_id))
        return ids

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        parts = render_html(post, target.tz)
        chat_id = _chat_id(target.chat_id)
        thread = thread_of(target)
        with delivery_errors():
            ids, message_ids, parts = await edit_caption(
                self.bot, chat_id, message_ids, post, parts
            )
            for n, text in enumerate(parts):
                markup = link_keyboard(post) if n == len(parts) - 1 else None
                if n or ids:  # each message beyond the first pays its turn
                    await self._next_part(target)
                if n < len(message_ids):
                    await self.edit_text(chat_id, int(message_ids[n]), text, markup)
                    ids.append(message_ids[n])
                else:
                    message = await self.send_text(chat_id, text, markup, thread_id=thread)
                    ids.append(str(message.message_id))
            for old in message_ids[len(parts) :]:  # the post got shorter: blank the leftovers
                with contextlib.suppress(BadRequest):
                    await self.edit_text(
                        chat_id, int(old), texts(post.language).telegram.filler, None
                    )
        return ids

    async def _next_part(self, target: Target) -> None:
        """A long post is several messages: each beyond the first takes its own turn."""
        interval = chat_interval(self.limits, target.chat_kind)
        await self.budget.acquire(target.chat_id, interval, BROADCAST)

    async def send_text(
        self,
        chat_id: int | str,
        text: str,
        markup: InlineKeyboardMarkup | None,
        reply_to: int | None = None,
        *,
        silent: bool = False,
        thread_id: int | None = None,
    ) -> Message:
        return await self.bot.send_message(
            chat_id,
            text,
            message_thread_id=thread_id,
            parse_mode=ParseMode.HTML,
            disable_notification=silent or None,
            reply_markup=markup,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            reply_parameters=(
                ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
            ),
            allow_paid_broadcast=self.paid,
        )

    async def edit_text(
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
            if not not_modified(exc):
                raise

    def answer(
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
