"""Giving a member a ping role and taking it: one REST call each (PUT or DELETE
``/guilds/{guild}/members/{user}/roles/{role}``), on the answer lane's budget."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.platforms.discord.access import can_assign, has_role
from bot.platforms.discord.texts import Key, text
from bot.service.types import Caller

if TYPE_CHECKING:
    from bot.platforms.discord.adapter import DiscordAdapter

log = logging.getLogger(__name__)


async def change_role(
    adapter: DiscordAdapter,
    interaction: discord.Interaction,
    caller: Caller,
    role_id: str,
    add: bool,
    done_key: Key | None = None,
) -> tuple[bool, str]:
    """Give or take one role; whether the member has it as asked now, and the sentence
    that says so (``done_key`` instead of "role added/removed" when it worked)."""
    guild = interaction.guild
    role = guild.get_role(int(role_id)) if guild is not None else None
    role_name = f"@{role.name}" if role is not None else f"<@&{role_id}>"
    said_key: Key = done_key or ("role_added" if add else "role_removed")
    said = text(caller.language, said_key, role=role_name)
    if has_role(interaction.user, role_id) == add:
        return True, said
    if role is not None and not can_assign(guild, role):
        return False, text(caller.language, "role_forbidden", role=role_name)
    http = adapter.client.http
    change = http.add_role if add else http.remove_role
    try:
        await adapter.turn()
        await change(
            interaction.guild_id or 0,
            interaction.user.id,
            int(role_id),
            reason="racebot /subscribe" if add else "racebot /unsubscribe",
        )
    except discord.Forbidden:
        return False, text(caller.language, "role_forbidden", role=role_name)
    except (discord.HTTPException, TimeoutError) as exc:  # no slot in time: dropped
        log.warning("discord: role change in guild %s failed: %r", interaction.guild_id, exc)
        return False, text(caller.language, "role_failed")
    return True, said
