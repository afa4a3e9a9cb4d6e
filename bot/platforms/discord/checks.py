"""What the bot may do in a server, read from discord.py's cache before asking Discord."""

from __future__ import annotations

import discord

from bot.platforms.discord.permissions import CHANNEL

#: What the bot needs in the reminder channel: see it, post in it, and post embeds (the
#: same list ``racebot invite`` asks for, so the link and this check agree).
CHANNEL_PERMISSIONS = tuple(p.name for p in CHANNEL)


def missing_channel_permissions(
    guild: discord.Guild | None, channel: discord.abc.GuildChannel
) -> list[str]:
    """The permissions the bot lacks in ``channel`` (none known: assume it has them)."""
    me = guild.me if guild is not None else None
    if me is None:
        return []
    perms = channel.permissions_for(me)
    # Discord implies the later ones are gone when an earlier one is: name the first only.
    return [name for name in CHANNEL_PERMISSIONS if not getattr(perms, name)][:1]


def can_assign(guild: discord.Guild | None, role: discord.Role) -> bool:
    """Whether the bot may hand ``role`` to members: Manage Roles and a higher top role."""
    me = guild.me if guild is not None else None
    if me is None:
        return True
    allowed = me.guild_permissions.manage_roles or me.guild_permissions.administrator
    return allowed and not role.managed and role < me.top_role


def can_ping(guild: discord.Guild | None, role: discord.Role) -> bool:
    """A role pings only if it is mentionable or the bot may mention every role."""
    me = guild.me if guild is not None else None
    return role.mentionable or me is None or me.guild_permissions.mention_everyone
