"""Updates in, replies out: commands, button taps, membership changes and migrations.

Each handler turns an update into a ``Caller`` plus typed arguments for the shared
``Commands``, and shows what it returns; every answer goes out on the adapter's answer
lane, first in the one rate budget.
"""

from __future__ import annotations

import asyncio
import dataclasses
import html
import logging
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import Chat, ChatMember, InlineKeyboardMarkup, Message, Update, User
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core.markup import plain_text
from bot.core.texts import texts
from bot.platforms.telegram.keyboards import (
    confirm_keyboard,
    link_keyboard,
    settings_change,
    settings_keyboard,
)
from bot.platforms.telegram.render import MAX_TEXT, render_html, utf16_len
from bot.service.commands import split_command
from bot.service.followups import answering
from bot.service.types import Caller, Reply, text_reply

if TYPE_CHECKING:
    from bot.platforms.telegram.adapter import TelegramAdapter
    from bot.service.commands import Commands

log = logging.getLogger(__name__)

ADMIN_STATUSES = (ChatMember.OWNER, ChatMember.ADMINISTRATOR)
GONE_STATUSES = (ChatMember.BANNED, ChatMember.LEFT)


def _replied_user(message: Message, args: str) -> str:
    """``/staff add`` sent as an answer to someone's message names that person by id (a
    bot cannot learn who @name is; an answer or /whoami is how it learns the id)."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or len(args.split()) != 1:
        return args
    return f"{args} {replied.from_user.id}"


def _topic(message: Message | None) -> str | None:
    """The forum topic a message was written in (not a reply thread of a plain group)."""
    if message is None or not message.is_topic_message or not message.message_thread_id:
        return None
    return str(message.message_thread_id)


class Handlers:
    """The inbound half of the Telegram adapter; PTB calls these for each update."""

    def __init__(self, adapter: TelegramAdapter) -> None:
        self.adapter = adapter

    def _commands(self) -> Commands:
        if self.adapter.commands is None:
            raise RuntimeError("telegram adapter is not started")
        return self.adapter.commands

    async def caller(self, chat: Chat, user: User | None, message: Message | None) -> Caller:
        """Who is asking: language from the chat's subscription, else from the user's app."""
        chat_id = str(chat.id)
        commands = self._commands()
        current = await commands.chat_settings(self.adapter.name, chat_id)
        code = (user.language_code or "") if user else ""
        language = current.language if current else commands.language_for(code)
        return Caller(
            platform=self.adapter.name,
            chat_id=chat_id,
            user_id=str(user.id if user else chat.id),
            user_name=(user.username or user.full_name) if user else chat.title,
            chat_kind=chat.type,
            language=language,
            is_chat_admin=await self._is_admin(chat, user, message),
            is_staff=user is not None
            and (
                user.id in self.adapter.staff or commands.is_staff(self.adapter.name, str(user.id))
            ),
            thread_id=_topic(message),
        )

    async def _is_admin(self, chat: Chat, user: User | None, message: Message | None) -> bool:
        if chat.type == Chat.PRIVATE:
            return True
        if chat.type == Chat.CHANNEL or user is None:
            return True  # only a channel's admins can post in it
        if message is not None and message.sender_chat and message.sender_chat.id == chat.id:
            return True  # an anonymous group admin
        try:
            member = await self.adapter.bot.get_chat_member(chat.id, user.id)
        except TelegramError:
            log.warning("telegram: could not check admin status in %s", chat.id)
            return False
        return member.status in ADMIN_STATUSES

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None or not message.text:
            return
        typed = split_command(message.text)
        if typed is None:
            return
        name, addressee, args = typed.name, typed.addressee, typed.args
        if addressee and addressee.lower() != self.adapter.username.lower():
            return  # meant for another bot in the group
        commands = self._commands()
        if chat.type != Chat.PRIVATE and not addressee and not commands.knows(name):
            return  # probably another bot's command; answering "unknown" would be noise
        caller = await self.caller(chat, update.effective_user, message)
        if name in ("staff", "personal"):
            args = _replied_user(message, args)
        async with answering() as after:  # what the command queued waits for its answer
            reply = await commands.handle(caller, name, args.strip())
            if reply.private and chat.type != Chat.PRIVATE and caller.is_staff:
                reply = await self._show_privately(int(caller.user_id), reply, caller)
            reply_to = message.message_id if chat.type != Chat.PRIVATE else None
            after.sent(await self.show(chat.id, reply, caller, reply_to=reply_to))

    async def _show_privately(self, user_id: int, reply: Reply, caller: Caller) -> Reply:
        """A staff answer (a draft with its buttons) goes to the staff member's own chat,
        never into a group; what the group sees instead is returned."""
        private = dataclasses.replace(caller, chat_id=str(user_id), chat_kind="private")
        sent = await asyncio.gather(*await self.show(user_id, reply, private))
        if not all(sent):  # they never wrote to the bot (403): it may not write first
            return text_reply(
                texts(caller.language).dm_first.format(bot=f"@{self.adapter.username}"),
                caller.language,
            )
        return text_reply(texts(caller.language).sent_privately, caller.language)

    async def show(
        self, chat_id: int, reply: Reply, caller: Caller, *, reply_to: int | None = None
    ) -> list[asyncio.Future[bool]]:
        """Send a command's Reply with its buttons and attachment, on the answer lane."""
        adapter = self.adapter
        parts = render_html(reply.post, await self._reader_zone(caller))
        if reply.confirm:
            markup: InlineKeyboardMarkup | None = confirm_keyboard(reply.confirm, caller.language)
        elif reply.settings is not None:
            markup = settings_keyboard(reply.settings, reply.post.language, self._default_leads())
        else:
            markup = link_keyboard(reply.post)
        futures = []
        for n, text in enumerate(parts):
            last = n == len(parts) - 1
            futures.append(
                adapter.answer(
                    caller,
                    adapter.send_text,
                    chat_id,
                    text,
                    markup if last else None,
                    reply_to if n == 0 else None,
                    thread_id=int(caller.thread_id) if caller.thread_id else None,
                )
            )
        if reply.attachment is not None:
            filename, content, _mime = reply.attachment
            futures.append(
                adapter.answer(
                    caller, adapter.bot.send_document, chat_id, content, filename=filename
                )
            )
        return futures

    def _default_leads(self) -> tuple[int, ...]:
        return self._commands().default_leads

    async def _reader_zone(self, caller: Caller) -> ZoneInfo:
        return await self._commands().reader_zone(self.adapter.name, caller.chat_id)

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Publish/Cancel on a staff preview, or a tap in the /settings keyboard."""
        adapter = self.adapter
        query = update.callback_query
        if query is None or not query.data:
            return
        message = query.message
        chat = message.chat if message is not None else None
        if chat is None:
            adapter.answer(None, query.answer)
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
            outcome = render_html(reply.post, commands.home)[0]
            adapter.answer(None, query.answer)
            if isinstance(message, Message):
                # The draft as Telegram reports it (entities → HTML): formatted again,
                # its text escaped once (``message.text`` is plain, without the formatting).
                before = message.text_html if message.text else ""
                text = f"{before}\n\n{outcome}" if before else outcome
                if utf16_len(html.unescape(text)) > MAX_TEXT:
                    text = outcome
                adapter.answer(caller, adapter.edit_text, chat.id, message.message_id, text, None)
            return
        if kind == "set":
            key, _, value = rest.partition(":")
            reply = await commands.change_settings(caller, settings_change(key, value))
            current = reply.settings
            if current is None:  # refused (e.g. not a group admin): keep the keyboard for others
                adapter.answer(
                    None, query.answer, plain_text(reply.post, commands.home)[:200], show_alert=True
                )
                return
            adapter.answer(None, query.answer)
            if isinstance(message, Message):
                markup = settings_keyboard(current, reply.post.language, self._default_leads())
                text = render_html(reply.post, current.tz)[0]
                adapter.answer(caller, adapter.edit_text, chat.id, message.message_id, text, markup)
            return
        adapter.answer(None, query.answer)

    async def on_my_chat_member(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Blocked or removed: stop posting there until someone writes /start again."""
        change = update.my_chat_member
        if change is None or change.new_chat_member.status not in GONE_STATUSES:
            return
        await self._commands().subscriptions.stop(
            self.adapter.name, str(change.chat.id), f"bot {change.new_chat_member.status}"
        )

    async def on_migrate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup: follow it to the new id before the next post."""
        message = update.effective_message
        if message is None or message.migrate_to_chat_id is None:
            return
        await self._commands().subscriptions.move(
            self.adapter.name, str(message.chat.id), str(message.migrate_to_chat_id)
        )

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram: update failed", exc_info=context.error)
