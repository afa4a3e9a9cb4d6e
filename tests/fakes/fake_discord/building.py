"""World building: the levers a test pulls to shape the guilds the bot lives in."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tests.fakes.fake_discord.errors import FormErrors
from tests.fakes.fake_discord.events import (
    MAX_SCHEDULED_EVENTS,
    active_events,
    delete_by_hand,
    new_event,
    store_event,
)
from tests.fakes.fake_discord.gateway import Intent
from tests.fakes.fake_discord.model import JSON, Channel, Guild, Member, Role, utc_iso
from tests.fakes.fake_discord.permissions import BOT_PERMISSIONS, EVERYONE_PERMISSIONS, Permission
from tests.fakes.fake_discord.validation import validate_event
from tests.fakes.fake_discord.world import World


class WorldBuilding(World):
    """``add_*`` and friends; each change is dispatched to connected gateway sessions."""

    def add_guild(
        self, guild_id: int, name: str, *, owner_id: int, preferred_locale: str = "en-US"
    ) -> None:
        """Create a guild with the bot in it (owner becomes a member too)."""
        existing = self.guilds.get(guild_id)
        if existing is not None:
            if existing.bot_present:
                raise ValueError(f"guild {guild_id} already exists")
            existing.bot_present = True
            existing.joined_at = utc_iso(self.now())
            self.gateway.emit_guild_create(existing)
            return
        joined = utc_iso(self.now())
        guild = Guild(guild_id, name, owner_id, preferred_locale, joined)
        guild.roles[guild_id] = Role(guild_id, "@everyone", EVERYONE_PERMISSIONS, 0, False)
        bot_role_id = self.next_id()
        guild.roles[bot_role_id] = Role(
            bot_role_id,
            self.bot_name,
            BOT_PERMISSIONS,
            250,
            False,
            managed=True,
            bot_id=self.bot_user_id,
        )
        guild.members[self.bot_user_id] = Member(self.bot_user_id, [bot_role_id], joined)
        self.guilds[guild_id] = guild
        if owner_id not in self.users:
            self.users[owner_id] = self.make_user(owner_id, f"owner{owner_id}")
        guild.members.setdefault(owner_id, Member(owner_id, [], joined))
        self.gateway.emit_guild_create(guild)

    def add_text_channel(
        self, guild_id: int, channel_id: int, name: str, *, bot_can_send: bool = True
    ) -> None:
        """Add a text channel; ``bot_can_send=False`` denies the bot Send Messages there."""
        guild = self.guild(guild_id)
        if channel_id in self.channels:
            raise ValueError(f"channel {channel_id} already exists")
        channel = Channel(channel_id, name, 0, guild_id=guild_id, position=len(guild.channels))
        guild.channels[channel_id] = channel
        self.channels[channel_id] = channel
        if not bot_can_send:
            self._overwrite_bot(channel, bot_can_send)
        self.gateway.emit_guild(guild_id, "CHANNEL_CREATE", channel.to_json())

    def add_role(self, guild_id: int, role_id: int, name: str, *, mentionable: bool = True) -> None:
        """Add a plain role below the bot's role, so the bot may hand it out."""
        guild = self.guild(guild_id)
        position = 1 + max((r.position for r in guild.roles.values() if not r.managed), default=0)
        guild.roles[role_id] = Role(role_id, name, 0, position, mentionable)
        self.gateway.emit_guild(
            guild_id,
            "GUILD_ROLE_CREATE",
            {"guild_id": str(guild_id), "role": guild.roles[role_id].to_json()},
        )

    def add_member(
        self,
        guild_id: int,
        user_id: int,
        name: str,
        *,
        roles: Iterable[int] = (),
        manage_guild: bool = False,
    ) -> None:
        """Add a member; ``manage_guild`` grants it through a 'Managers' role, as admins do."""
        guild = self.guild(guild_id)
        role_ids = list(roles)
        for role_id in role_ids:
            if role_id not in guild.roles:
                raise KeyError(f"unknown role {role_id} in guild {guild_id}")
        if manage_guild:
            if guild.manager_role_id is None:
                guild.manager_role_id = self.next_id()
                self._add_manager_role(guild)
            role_ids.append(guild.manager_role_id)
        self.users[user_id] = self.make_user(user_id, name)
        member = Member(user_id, role_ids, utc_iso(self.now()))
        guild.members[user_id] = member
        data = self.member_json(guild, member)
        data["guild_id"] = str(guild_id)
        self.gateway.emit_guild(guild_id, "GUILD_MEMBER_ADD", data, intent=Intent.GUILD_MEMBERS)

    def _add_manager_role(self, guild: Guild) -> None:
        assert guild.manager_role_id is not None
        position = 1 + max((r.position for r in guild.roles.values() if not r.managed), default=0)
        role = Role(guild.manager_role_id, "Managers", Permission.MANAGE_GUILD, position, False)
        guild.roles[role.id] = role
        self.gateway.emit_guild(
            guild.id, "GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.to_json()}
        )

    def set_channel_permission(
        self,
        channel_id: int,
        *,
        bot_can_send: bool | None = None,
        embed_links: bool | None = None,
        mention_everyone: bool | None = None,
        pin_messages: bool | None = None,
    ) -> None:
        """Allow, deny or (``None``) leave the bot's permissions in one channel, as an admin
        editing the channel's member overwrite for the bot; CHANNEL_UPDATE is dispatched.

        ``bot_can_send=True`` only lifts a deny (the base role grants it);
        ``embed_links``, ``mention_everyone`` and ``pin_messages`` allow or deny explicitly.
        """
        channel = self.channels[channel_id]
        explicit = {
            Permission.EMBED_LINKS: embed_links,
            Permission.MENTION_EVERYONE: mention_everyone,
            Permission.PIN_MESSAGES: pin_messages,
        }
        self._overwrite_bot(channel, bot_can_send, explicit)
        if channel.guild_id is not None:
            self.gateway.emit_guild(channel.guild_id, "CHANNEL_UPDATE", channel.to_json())

    def _overwrite_bot(
        self,
        channel: Channel,
        bot_can_send: bool | None,
        explicit: dict[int, bool | None] | None = None,
    ) -> None:
        key = (1, self.bot_user_id)
        allow, deny = channel.overwrites.get(key, (0, 0))
        if bot_can_send is not None:
            bits = Permission.SEND_MESSAGES | Permission.SEND_MESSAGES_IN_THREADS
            deny = deny & ~bits if bot_can_send else deny | bits
        for bit, wanted in (explicit or {}).items():
            if wanted is True:
                allow, deny = allow | bit, deny & ~bit
            elif wanted is False:
                allow, deny = allow & ~bit, deny | bit
        if allow or deny:
            channel.overwrites[key] = (allow, deny)
        else:
            channel.overwrites.pop(key, None)

    def block_dms(self, user_id: int, blocked: bool = True) -> None:
        """Make DMs to a user fail with 403/50007, like closed DMs do."""
        if blocked:
            self.dm_blocked.add(user_id)
        else:
            self.dm_blocked.discard(user_id)

    async def delete_channel(self, channel_id: int) -> None:
        """Delete a channel; later sends get 404/10003 and CHANNEL_DELETE is dispatched."""
        channel = self.channels.pop(channel_id)
        self.deleted_channels.add(channel_id)
        if channel.guild_id is not None:
            self.guilds[channel.guild_id].channels.pop(channel_id, None)
            self.gateway.emit_guild(channel.guild_id, "CHANNEL_DELETE", channel.to_json())
        await self.gateway.flush()

    async def remove_bot_from_guild(self, guild_id: int) -> None:
        """Kick the bot: GUILD_DELETE is dispatched and the guild answers 403 afterwards."""
        guild = self.guild(guild_id)
        self.gateway.emit_guild(guild_id, "GUILD_DELETE", {"id": str(guild_id)})
        guild.bot_present = False
        await self.gateway.flush()

    def add_user(self, user_id: int, name: str) -> None:
        """Make a user known without any guild, e.g. to use commands in a DM with the bot."""
        if user_id == self.bot_user_id:
            raise ValueError("that is the bot's own user id")
        self.users[user_id] = self.make_user(user_id, name)

    async def delete_role(self, guild_id: int, role_id: int) -> None:
        """Delete a role as an admin would: GUILD_ROLE_DELETE, members lose it.

        Later PUT/DELETE member-role calls with it answer 404 Unknown Role (10011).
        """
        guild = self.guild(guild_id)
        role = guild.roles.get(role_id)
        if role is None:
            raise KeyError(f"unknown role {role_id} in guild {guild_id}")
        if role_id == guild_id or role.managed:
            raise ValueError("@everyone and managed roles cannot be deleted")
        del guild.roles[role_id]
        for member in guild.members.values():
            if role_id in member.roles:
                member.roles.remove(role_id)
        if guild.manager_role_id == role_id:
            guild.manager_role_id = None
        self.gateway.emit_guild(
            guild_id, "GUILD_ROLE_DELETE", {"guild_id": str(guild_id), "role_id": str(role_id)}
        )
        self.notify()
        await self.gateway.flush()

    def set_bot_permissions(
        self,
        guild_id: int,
        *,
        manage_roles: bool | None = None,
        manage_events: bool | None = None,
        create_events: bool | None = None,
        mention_everyone: bool | None = None,
    ) -> None:
        """Grant or revoke permissions on the bot's managed role, as an admin editing it.

        ``None`` leaves a permission as it is.  Revoking only Manage Events still lets the
        bot create events, and edit its own, through Create Events, as on Discord; revoke
        ``create_events`` too to make creating one fail with 403/50013.  GUILD_ROLE_UPDATE
        is dispatched, so discord.py's ``guild.me`` permissions follow.
        """
        guild = self.guild(guild_id)
        role = self.bot_role(guild)
        for wanted, bit in (
            (manage_roles, Permission.MANAGE_ROLES),
            (manage_events, Permission.MANAGE_EVENTS),
            (create_events, Permission.CREATE_EVENTS),
            (mention_everyone, Permission.MENTION_EVERYONE),
        ):
            if wanted is True:
                role.permissions |= bit
            elif wanted is False:
                role.permissions &= ~bit
        self.gateway.emit_guild(
            guild_id, "GUILD_ROLE_UPDATE", {"guild_id": str(guild_id), "role": role.to_json()}
        )
        self.notify()

    def add_external_event(
        self,
        guild_id: int,
        name: str,
        start: datetime,
        end: datetime,
        location: str,
        *,
        creator_id: int | None = None,
    ) -> int:
        """Add a scheduled event a member (the owner by default) made, not the bot.

        It counts toward the 100 uncompleted events per guild like the bot's own, and
        editing or deleting it needs Manage Events (Create Events only covers the bot's
        own).  GUILD_SCHEDULED_EVENT_CREATE is dispatched.  Returns the event id.
        """
        guild = self.guild(guild_id)
        creator = guild.owner_id if creator_id is None else creator_id
        if creator == self.bot_user_id:
            raise ValueError("the bot creates its own events through the REST API")
        if creator not in guild.members:
            raise KeyError(f"user {creator} is not a member of guild {guild_id}")
        payload: JSON = {
            "name": name,
            "scheduled_start_time": start.isoformat(),
            "scheduled_end_time": end.isoformat(),
            "privacy_level": 2,
            "entity_type": 3,
            "entity_metadata": {"location": location},
        }
        event = new_event(self, guild, creator, payload)
        errors = FormErrors()
        validate_event(guild, event, set(payload), errors, self.now)
        if errors.tree:
            raise ValueError(f"Discord would refuse this event: {errors.tree}")
        if active_events(self, guild) >= MAX_SCHEDULED_EVENTS:
            raise ValueError(f"guild {guild_id} already has {MAX_SCHEDULED_EVENTS} events")
        store_event(self, guild, event)
        return int(event["id"])

    async def delete_event_by_hand(
        self, guild_id: int, event_id: int, *, after_next_list: bool = False
    ) -> None:
        """An admin deletes a scheduled event (the bot's or not) in the Discord client:
        GUILD_SCHEDULED_EVENT_DELETE, then 404 Unknown Guild Scheduled Event (10070) for
        it. ``after_next_list``: just after the bot's next list of the guild's events, as
        when an admin is quicker than the bot's edit."""
        guild = self.guild(guild_id)
        if event_id not in self.scheduled_events[guild.id]:
            raise KeyError(f"unknown scheduled event {event_id} in guild {guild_id}")
        if after_next_list:
            self.hand_deletions[guild.id].append(event_id)
            return
        delete_by_hand(self, guild, event_id)
        await self.gateway.flush()
