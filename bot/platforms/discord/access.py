"""What the bot may do where, read from discord.py's cache (roles and channel overwrites).

The cache follows GUILD_ROLE_UPDATE and CHANNEL_UPDATE, so these checks see what an admin
changed without asking Discord. A missing permission becomes one clear sentence naming it
instead of a stream of 403s (Discord bans bots that make 10,000 invalid requests in 10
minutes).

Embed Links is the one permission the bot can do without: a channel where it may post but
not embed gets the same post as plain text (title in bold, the lines, the footer), and its
admin is told once to grant Embed Links. Lacking View Channel or Send Messages stops the
channel, and the admin is told which of the two to grant.
"""

from __future__ import annotations

import discord

from bot.platforms.discord.permissions import CHANNEL

#: What the bot needs in the reminder channel: see it, post in it, and post embeds (the
#: same list ``racebot invite`` asks for, so the link and this check agree).
CHANNEL_PERMISSIONS = tuple(p.name for p in CHANNEL)

#: A channel that lacks only this still gets posts, as plain text.
EMBED_LINKS = "embed_links"


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


def missing_in(client: discord.Client, chat_id: str) -> list[str]:
    """What the bot lacks in a cached server channel by id; [] for DMs or unknown ids."""
    channel = client.get_channel(int(chat_id))
    if not isinstance(channel, discord.abc.GuildChannel):
        return []
    return missing_channel_permissions(channel.guild, channel)


def only_embeds_refused(client: discord.Client, chat_id: str) -> bool:
    """The bot may post in the channel, just not embeds: post plain text instead."""
    return missing_in(client, chat_id) == [EMBED_LINKS]


def can_assign(guild: discord.Guild | None, role: discord.Role) -> bool:
    """Whether the bot may hand ``role`` to members: Manage Roles and a higher top role."""
    me = guild.me if guild is not None else None
    if me is None:
        return True
    allowed = me.guild_permissions.manage_roles or me.guild_permissions.administrator
    return allowed and not role.managed and role < me.top_role


def can_ping(channel: discord.abc.GuildChannel, role: discord.Role) -> bool:
    """A role pings in ``channel`` only if it is mentionable or the bot may mention every
    role there: Mention Everyone as the channel's overwrites leave it, not the server's."""
    me = channel.guild.me
    return role.mentionable or me is None or channel.permissions_for(me).mention_everyone


def has_role(user: discord.User | discord.Member, role_id: str) -> bool:
    """Whether the member who acted has the role (as the interaction carried them)."""
    return isinstance(user, discord.Member) and user.get_role(int(role_id)) is not None
