"""The weekend preview pinned in a server's reminder channel, the one before unpinned.

Pinning needs Pin Messages in that channel (Discord split it from Manage Messages in
2026); the bot reads it from the cache and skips a channel without it instead of drawing
a 403. DMs are not pinned. Each request takes a turn of the bot's budget (background,
behind posts); a refusal is logged and leaves the post as it is.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING

import discord

from bot.core.audience import Target
from bot.sendpath import BACKGROUND

if TYPE_CHECKING:
    from bot.platforms.discord.adapter import DiscordAdapter

log = logging.getLogger(__name__)


def may_pin(client: discord.Client, chat_id: str) -> bool:
    channel = client.get_channel(int(chat_id))
    if not isinstance(channel, discord.abc.GuildChannel) or channel.guild.me is None:
        return False
    return channel.permissions_for(channel.guild.me).pin_messages


async def pin_preview(adapter: DiscordAdapter, target: Target, message_id: int) -> None:
    """Pin the new preview and unpin the previous one (``target.pinned_id``)."""
    if target.chat_kind != "channel" or not may_pin(adapter.client, target.chat_id):
        return
    http = adapter.client.http
    try:
        await adapter.budget.acquire(priority=BACKGROUND)
        await http.pin_message(int(target.chat_id), message_id, reason="racebot: weekend preview")
        if target.pinned_id and target.pinned_id != str(message_id):
            await adapter.budget.acquire(priority=BACKGROUND)
            with contextlib.suppress(discord.NotFound):  # deleted or unpinned by hand
                await http.unpin_message(int(target.chat_id), int(target.pinned_id))
    except discord.HTTPException as exc:
        log.warning("discord: could not pin the preview in %s: %s", target.chat_id, exc)
        return
    assert adapter.commands is not None
    await adapter.commands.subscriptions.remember_pin(adapter.name, target.chat_id, str(message_id))
