"""Where a post lands in a chat: a forum's chosen topic, and the pinned weekend preview.

A forum supergroup's subscription may name a topic (``/settings topic`` or ``/start``
written inside it): every post carries its ``message_thread_id``. A topic deleted since
gets the post in General instead, and the setting goes back to General.

The weekend preview (``Post.pin``) is pinned silently (``disable_notification``) where the
bot may pin: always in a private chat; in a group or supergroup when it is an
administrator with ``can_pin_messages``; in a channel with ``can_edit_messages`` (the
Bot API's rule for pinChatMessage). The preview pinned before is unpinned, never any
other pinned message. Each call takes a turn of the platform's budget; a refusal is
logged and changes nothing else: the post itself is already out.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import ChatMember, ChatMemberAdministrator
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError

from bot.core.audience import Target
from bot.sendpath import BACKGROUND

if TYPE_CHECKING:
    from bot.platforms.telegram.adapter import TelegramAdapter

log = logging.getLogger(__name__)


def thread_of(target: Target) -> int | None:
    """The forum topic to post in (None: General, or not a forum)."""
    return int(target.thread_id) if target.thread_id else None


def topic_gone(exc: BadRequest) -> bool:
    return "message thread not found" in exc.message.lower()


async def forget_topic(adapter: TelegramAdapter, target: Target) -> None:
    """The topic was deleted: post in General from now on."""
    log.warning(
        "telegram: topic %s in %s is gone; posting in General", target.thread_id, target.chat_id
    )
    assert adapter.commands is not None
    await adapter.commands.subscriptions.forget_topic(adapter.name, target.chat_id)


async def may_pin(adapter: TelegramAdapter, chat_id: int | str, chat_kind: str) -> bool:
    if chat_kind == ChatType.PRIVATE:
        return True
    await adapter.budget.acquire(priority=BACKGROUND)
    member = await adapter.bot.get_chat_member(chat_id, adapter.bot.id)
    if member.status == ChatMember.OWNER:
        return True
    if not isinstance(member, ChatMemberAdministrator):
        return False
    if chat_kind == ChatType.CHANNEL:
        return bool(member.can_edit_messages)
    return bool(member.can_pin_messages)


async def pin_preview(adapter: TelegramAdapter, target: Target, message_id: int) -> None:
    """Pin the new preview silently and unpin the one before, where the bot may."""
    chat_id = int(target.chat_id) if target.chat_id.lstrip("-").isdigit() else target.chat_id
    try:
        if not await may_pin(adapter, chat_id, target.chat_kind):
            return
        await adapter.budget.acquire(priority=BACKGROUND)
        await adapter.bot.pin_chat_message(chat_id, message_id, disable_notification=True)
        if target.pinned_id and target.pinned_id != str(message_id):
            await adapter.budget.acquire(priority=BACKGROUND)
            try:
                await adapter.bot.unpin_chat_message(chat_id, int(target.pinned_id))
            except BadRequest as exc:  # unpinned by hand, or deleted: nothing to do
                log.info("telegram: old preview in %s not unpinned: %s", chat_id, exc.message)
    except TelegramError as exc:
        log.warning("telegram: could not pin the preview in %s: %s", chat_id, exc)
        return
    assert adapter.commands is not None
    await adapter.commands.subscriptions.remember_pin(adapter.name, target.chat_id, str(message_id))
