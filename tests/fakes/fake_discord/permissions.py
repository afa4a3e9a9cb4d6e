"""Discord's permission bits and the presets the fake's guilds start from."""

from __future__ import annotations

from tests.fakes.fake_discord.model import Channel, Guild


class Permission:
    """Discord permission bits used by the fake's permission model."""

    CREATE_INSTANT_INVITE = 1 << 0
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    SEND_TTS_MESSAGES = 1 << 12
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_EVENTS = 1 << 33
    SEND_MESSAGES_IN_THREADS = 1 << 38
    CREATE_EVENTS = 1 << 44
    #: Pinning has its own permission since 2026 (Manage Messages no longer covers it).
    PIN_MESSAGES = 1 << 51
    ALL = (1 << 52) - 1


# What an app may do in its bot DM (the channel has no overwrites or roles).
DM_APP_PERMISSIONS = (
    Permission.ADD_REACTIONS
    | Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.READ_MESSAGE_HISTORY
    | Permission.USE_EXTERNAL_EMOJIS
    | Permission.USE_APPLICATION_COMMANDS
)
EVERYONE_PERMISSIONS = (
    Permission.CREATE_INSTANT_INVITE
    | Permission.ADD_REACTIONS
    | Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.READ_MESSAGE_HISTORY
    | Permission.USE_EXTERNAL_EMOJIS
    | Permission.CONNECT
    | Permission.SPEAK
    | Permission.CHANGE_NICKNAME
    | Permission.USE_APPLICATION_COMMANDS
    | Permission.SEND_MESSAGES_IN_THREADS
)
# What an invite with the bot's requested permissions would give its managed role.
# MENTION_EVERYONE is deliberately absent so non-mentionable roles are not pinged.
BOT_PERMISSIONS = (
    Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.READ_MESSAGE_HISTORY
    | Permission.MANAGE_MESSAGES
    | Permission.MANAGE_ROLES
    | Permission.MANAGE_EVENTS
    | Permission.CREATE_EVENTS
    | Permission.PIN_MESSAGES
    | Permission.USE_APPLICATION_COMMANDS
    | Permission.SEND_MESSAGES_IN_THREADS
)


def base_permissions(guild: Guild, user_id: int) -> int:
    """Guild-wide permissions: owner, administrator, @everyone and roles."""
    if user_id == guild.owner_id:
        return Permission.ALL
    member = guild.members.get(user_id)
    if member is None:
        return 0
    perms = guild.roles[guild.id].permissions
    for role_id in member.roles:
        role = guild.roles.get(role_id)
        if role is not None:
            perms |= role.permissions
    if perms & Permission.ADMINISTRATOR:
        return Permission.ALL
    return perms


def channel_permissions(guild: Guild, channel: Channel, user_id: int) -> int:
    """Discord's documented algorithm: base, @everyone, roles, then member overwrite."""
    perms = base_permissions(guild, user_id)
    if perms == Permission.ALL:
        return perms
    member = guild.members.get(user_id)
    if member is None:
        return 0
    allow, deny = channel.overwrites.get((0, guild.id), (0, 0))
    perms = (perms & ~deny) | allow
    role_allow = role_deny = 0
    for role_id in member.roles:
        a, d = channel.overwrites.get((0, role_id), (0, 0))
        role_allow |= a
        role_deny |= d
    perms = (perms & ~role_deny) | role_allow
    allow, deny = channel.overwrites.get((1, user_id), (0, 0))
    perms = (perms & ~deny) | allow
    if not perms & Permission.VIEW_CHANNEL:
        return 0
    if not perms & Permission.SEND_MESSAGES:
        perms &= ~(
            Permission.SEND_TTS_MESSAGES
            | Permission.MENTION_EVERYONE
            | Permission.EMBED_LINKS
            | Permission.ATTACH_FILES
        )
    return perms
