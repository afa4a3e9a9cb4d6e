"""What only Discord servers have: /setup, the alert role, DM opt-in, and what happens
when a channel, a role or the whole server goes away.

Permissions are checked against discord.py's cache before asking Discord (``access``).
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot.core.audience import Target
from bot.core.markup import plain_text
from bot.core.pings import DEFAULT, INTERESTS, series_interest, with_series_role
from bot.core.texts import texts
from bot.platforms.discord.access import (
    CHANNEL_PERMISSIONS,
    can_assign,
    can_ping,
    has_role,
    missing_channel_permissions,
)
from bot.platforms.discord.events import guild_can_manage_events
from bot.platforms.discord.roles import change_role
from bot.platforms.discord.texts import Key, text
from bot.service.types import Caller, text_reply

if TYPE_CHECKING:
    from bot.platforms.discord.adapter import DiscordAdapter
    from bot.service.commands import Commands

log = logging.getLogger(__name__)
__all__ = ["CHANNEL_PERMISSIONS", "Servers"]


class Servers:
    """The Discord-only commands and the guild events that end a subscription."""

    def __init__(self, adapter: DiscordAdapter) -> None:
        self.adapter = adapter
        #: (chat id, notice) pairs an admin has already been told about.
        self._told: set[tuple[str, str]] = set()

    @property
    def commands(self) -> Commands:
        assert self.adapter.commands is not None, "the adapter has not started"
        return self.adapter.commands

    async def _answer(self, interaction: discord.Interaction, caller: Caller, body: str) -> None:
        reply = text_reply(body, caller.language, private=True)
        await self.adapter.respond(interaction, reply, caller)

    async def _guild_targets(self, guild_id: int | str) -> list[Target]:
        return await self.commands.subscriptions.guild_targets(self.adapter.name, str(guild_id))

    # -- /setup --------------------------------------------------------------------------

    async def setup_channel(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        role: discord.Role | None,
        language: str,
        more: dict[str, discord.Role | None],
        series_pick: tuple[str | None, discord.Role | None] = (None, None),
    ) -> None:
        """Point the server's reminders at ``channel``; a second /setup moves them there.
        ``role`` pings for races and qualifying, ``more`` one role per other interest and
        ``series_pick`` one series' role (those named before stay)."""
        caller = self.adapter.caller(interaction)
        language = texts(language).code
        if interaction.guild_id is None or not interaction.permissions.manage_guild:
            await self._answer(interaction, caller, texts(caller.language).admins_only)
            return
        guild = interaction.guild
        missing = missing_channel_permissions(guild, channel)
        if missing:
            names = texts(caller.language).discord.permission_names
            body = text(
                caller.language,
                "setup_refused",
                channel=f"#{channel.name}",
                missing=", ".join(names[m] for m in missing),
            )
            await self._answer(interaction, caller, body)
            return
        if role is not None and role.is_default():
            role = None  # @everyone is never the alert role: no mass pings
        extra = {i: r for i, r in more.items() if r is not None and not r.is_default()}
        series, series_role = series_pick
        if series is not None and not self.commands.has_series(series):
            body = texts(caller.language).unknown_series.format(query=series)
            return await self._answer(interaction, caller, body)
        if series is None or (series_role is not None and series_role.is_default()):
            series_role = None  # a role needs its series; @everyone is never one
        before = [r for t in await self._guild_targets(interaction.guild_id) for r in t.roles]
        series_roles = with_series_role(
            before, series, str(series_role.id) if series_role else None
        )
        done = await self.commands.subscriptions.setup(
            self.adapter.name,
            guild_id=str(interaction.guild_id),
            channel_id=str(channel.id),
            channel_name=channel.name,
            admin_id=str(interaction.user.id),
            role_id=str(role.id) if role else None,
            language=language,
            ping_roles=tuple((i, str(r.id)) for i, r in extra.items()) + series_roles,
        )
        previous = done.previous
        self._told = {told for told in self._told if told[0] != str(channel.id)}
        lines = [
            text(
                caller.language,
                "setup_saved",
                channel=f"#{channel.name}",
                role=f", @{role.name}" if role else "",
                post_language=texts(caller.language).discord.language_names[language],
            )
        ]
        if previous:
            old_names = ", ".join(
                f"#{t.channel_name}" if t.channel_name else f"<#{t.chat_id}>" for t in previous
            )
            lines.append(text(caller.language, "setup_moved", old=old_names))
        for each in [r for r in (role, *extra.values(), series_role) if r is not None]:
            if not can_assign(guild, each):
                lines.append(text(caller.language, "setup_role_unassignable", role=f"@{each.name}"))
            if not can_ping(channel, each):
                lines.append(text(caller.language, "setup_role_silent", role=f"@{each.name}"))
        if not guild_can_manage_events(guild):
            lines.append(text(caller.language, "setup_no_events"))
        await self._answer(interaction, caller, "\n".join(lines))
        self.adapter.scheduled_events.request()

    # -- fans: the alert role and DMs ------------------------------------------------------

    async def alert_role(self, guild_id: int, interest: str = DEFAULT) -> str | None:
        """The role /setup stored for ``interest`` in this guild's reminder channel."""
        subscriptions = self.commands.subscriptions
        return await subscriptions.alert_role(self.adapter.name, str(guild_id), interest)

    async def _ping_roles(self, guild_id: int) -> list[str]:
        """Every role this guild's reminder channel pings, the alert role first."""
        targets = await self._guild_targets(guild_id)
        return list(dict.fromkeys(r for t in targets for _, r in t.roles))

    async def subscribe(
        self,
        interaction: discord.Interaction,
        via: str | None,
        choices: str,
        pings: str | None = None,
        series: str | None = None,
    ) -> None:
        """Role ping by default, DMs on request; an admin's choices change this channel;
        ``series``: that series' role as well (alone when ``pings`` is not given)."""
        caller = self.adapter.caller(interaction)
        if interaction.guild_id is None:
            await self.adapter.run(interaction, "subscribe", choices)  # this DM is the chat
            return
        await self.adapter.think(interaction)
        if via == "dm":
            await self._dm_subscribe(interaction, caller, choices)
            return
        if via is None and choices.strip() and caller.is_chat_admin:
            await self.adapter.run(interaction, "subscribe", choices)
            return
        said: list[str] = []
        if series is not None:  # a series role is taken beside the interest role
            series_role = await self.alert_role(interaction.guild_id, series_interest(series))
            said.append(
                (await change_role(self.adapter, interaction, caller, series_role, True))[1]
                if series_role
                else text(caller.language, "nothing_here")
            )
            if pings is None:
                await self._answer(interaction, caller, "\n".join(said))
                return
        role_id = await self.alert_role(interaction.guild_id, pings or DEFAULT)
        if role_id is None:
            if via is None and caller.is_chat_admin:
                await self.adapter.run(interaction, "subscribe", choices)
            else:
                await self._answer(interaction, caller, text(caller.language, "nothing_here"))
            return
        done, answer = await change_role(self.adapter, interaction, caller, role_id, True)
        if done:  # a new choice replaces the old: the other interests' roles go
            for old in await self._interest_roles(interaction.guild_id):
                if old != role_id and has_role(interaction.user, old):
                    replaced: Key = "role_replaced"
                    took = await change_role(
                        self.adapter, interaction, caller, old, False, replaced
                    )
                    answer += "\n" + took[1]
        await self._answer(interaction, caller, "\n".join([*said, answer]))

    async def _interest_roles(self, guild_id: int) -> list[str]:
        """The roles of this guild's interests (``bot.core.pings.INTERESTS``)."""
        targets = await self._guild_targets(guild_id)
        return list(dict.fromkeys(r for t in targets for i, r in t.roles if i in INTERESTS))

    async def unsubscribe(
        self, interaction: discord.Interaction, via: str | None, choices: str
    ) -> None:
        """Take the role and stop the DMs (or just one of them); choices narrow instead."""
        caller = self.adapter.caller(interaction)
        if interaction.guild_id is None:
            await self.adapter.run(interaction, "unsubscribe", choices)
            return
        await self.adapter.think(interaction)
        if choices.strip():
            if via == "dm":
                dm_caller = await self._dm_caller(interaction, caller)
                reply = await self.commands.handle(dm_caller, "unsubscribe", choices)
                await self.adapter.respond(
                    interaction, dataclasses.replace(reply, private=True), caller
                )
            elif caller.is_chat_admin:
                await self.adapter.run(interaction, "unsubscribe", choices)
            else:
                await self._answer(interaction, caller, texts(caller.language).admins_only)
            return
        done: list[str] = []
        for role_id in await self._ping_roles(interaction.guild_id) if via != "dm" else ():
            if has_role(interaction.user, role_id) or (via == "role" and not done):
                done.append(
                    (await change_role(self.adapter, interaction, caller, role_id, False))[1]
                )
        if via in (None, "dm") and await self._dm_unsubscribe(interaction, caller):
            done.append(text(caller.language, "dm_off"))
        nothing: Key = "dm_missing" if via == "dm" else "not_subscribed"
        await self._answer(interaction, caller, "\n".join(done) or text(caller.language, nothing))

    async def _dm_caller(self, interaction: discord.Interaction, caller: Caller) -> Caller:
        """The caller as the owner of their DM with the bot (opening it costs no message)."""
        if interaction.user.dm_channel is None:  # opening one is a REST call
            await self.adapter.turn()
        dm = await interaction.user.create_dm()
        return dataclasses.replace(
            caller, chat_id=str(dm.id), chat_kind="private", is_chat_admin=True, guild_id=None
        )

    async def _dm_subscribe(
        self, interaction: discord.Interaction, caller: Caller, choices: str
    ) -> None:
        """Subscribe the fan's DM; the welcome DM proves DMs reach them, else undo it."""
        try:
            dm_caller = await self._dm_caller(interaction, caller)
        except (discord.HTTPException, TimeoutError) as exc:
            log.warning("discord: could not open a DM with %s: %s", interaction.user.id, exc)
            await self._answer(interaction, caller, text(caller.language, "role_failed"))
            return
        done = await self.commands.subscribe_dm(
            caller, dm_caller.chat_id, interaction.user.name, choices
        )
        reply, after = done.reply, done.target
        if after is None:
            await self.adapter.respond(
                interaction, dataclasses.replace(reply, private=True), caller
            )
            return
        if done.new:
            welcome = text(after.language, "dm_welcome", team=self.commands.team(after.language))
            welcome += "\n" + self.commands.timetable_hint(caller, after.language)
            try:
                dm = self.adapter.client.get_partial_messageable(int(dm_caller.chat_id))
                await self.adapter.turn()
                await dm.send(welcome, allowed_mentions=discord.AllowedMentions.none())
            except discord.Forbidden:
                await self.commands.subscriptions.deactivate(after, "DMs closed")
                await self._answer(interaction, caller, text(caller.language, "dm_closed"))
                return
            except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
                log.warning("discord: welcome DM to %s failed: %s", interaction.user.id, exc)
        body = f"{text(caller.language, 'dm_on')}\n{plain_text(reply.post, self.commands.home)}"
        await self._answer(interaction, caller, body)

    async def _dm_unsubscribe(self, interaction: discord.Interaction, caller: Caller) -> bool:
        """Stop the fan's DMs; False when there were none."""
        try:  # discord.py hands back the cached DM channel without a request
            chat_id = (await self._dm_caller(interaction, caller)).chat_id
        except discord.HTTPException:
            return False
        stopped = await self.commands.subscriptions.stop(
            self.adapter.name, chat_id, "unsubscribed by user"
        )
        return stopped is not None

    # -- /settings -----------------------------------------------------------------------

    async def settings(
        self, interaction: discord.Interaction, options: dict[str, Any], *, server: bool
    ) -> None:
        """Change and show settings: a fan's own DMs, or (``server``, admins) the server's
        channel; ``options`` are ``Commands.settings_options``'s, None for those not given."""
        caller = self.adapter.caller(interaction)
        subject = await self._settings_subject(interaction, caller, server)
        if subject is None:
            return
        # One call for all of them: the service checks every change before saving any.
        reply = await self.commands.settings_options(subject, **options)
        await self.adapter.respond(interaction, dataclasses.replace(reply, private=True), caller)

    async def _settings_subject(
        self, interaction: discord.Interaction, caller: Caller, server: bool
    ) -> Caller | None:
        if interaction.guild_id is None:
            return caller
        await self.adapter.think(interaction)
        if server and not caller.is_chat_admin:
            await self._answer(interaction, caller, texts(caller.language).admins_only)
            return None
        if server:
            channels = [
                t
                for t in await self._guild_targets(interaction.guild_id)
                if t.chat_kind == "channel"
            ]
            if not channels:
                await self._answer(interaction, caller, text(caller.language, "no_channel"))
                return None
            return dataclasses.replace(caller, chat_id=channels[0].chat_id)
        dm_caller = await self._dm_caller(interaction, caller)
        current = await self.commands.subscriptions.active(self.adapter.name, dm_caller.chat_id)
        if current is None:
            await self._answer(interaction, caller, text(caller.language, "no_settings_here"))
            return None
        return dm_caller

    # -- when things go away ---------------------------------------------------------------

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Kicked or the server deleted: stop posting there (nothing can be cleaned up)."""
        await self._deactivate_guild(guild.id, "the bot was removed from the server")

    async def reconcile(self) -> None:
        """After a (re)connect: servers the bot left while it was offline are stopped too."""
        present = {str(g.id) for g in self.adapter.client.guilds}
        for guild_id in await self.commands.subscriptions.absent_guilds(self.adapter.name, present):
            await self._deactivate_guild(int(guild_id), "the bot is no longer in the server")

    async def _deactivate_guild(self, guild_id: int, reason: str) -> None:
        gone = await self.commands.subscriptions.leave_guild(
            self.adapter.name, str(guild_id), reason
        )
        for target in gone:
            log.info("discord: %s (%s) stopped: %s", target.chat_id, target.title, reason)

    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        target = await self.commands.subscriptions.stop(
            self.adapter.name, str(channel.id), "channel deleted"
        )
        if target is None:
            return
        await self.tell_admin(target, "channel_deleted", channel=f"#{channel.name}")
        self.adapter.scheduled_events.request()

    async def on_guild_role_delete(self, role: discord.Role) -> None:
        deleted = self.commands.subscriptions.role_deleted
        for target in await deleted(self.adapter.name, str(role.guild.id), str(role.id)):
            self._told.discard((target.chat_id, "role_deleted"))  # once per deleted role
            await self.tell_admin(target, "role_deleted", role=f"@{role.name}")

    async def tell_admin(self, target: Target, notice: Key, **values: str) -> None:
        """Tell the admin who ran /setup (else the owner), once, by DM, what to fix."""
        if not target.guild_id or (target.chat_id, notice) in self._told:
            return
        self._told.add((target.chat_id, notice))
        channel_name = f"#{target.channel_name}" if target.channel_name else None
        admin_id = int(target.admin_id) if target.admin_id else None
        guild = self.adapter.client.get_guild(int(target.guild_id))
        if admin_id is None:
            admin_id = guild.owner_id if guild is not None else None
        if admin_id is None:
            log.warning("discord: no admin to tell about %s (%s)", target.chat_id, notice)
            return
        if "missing" in values:  # a permission's name as the admin's Discord shows it
            values["missing"] = texts(target.language).discord.permission_names[values["missing"]]
        body = text(
            target.language,
            notice,
            **{
                "channel": channel_name or f"<#{target.chat_id}>",
                "guild": guild.name if guild is not None else target.guild_id,
                **values,
            },
        )
        try:
            await self.adapter.turn()
            dm = await self.adapter.client.create_dm(discord.Object(id=admin_id))
            await self.adapter.turn()
            await dm.send(body, allowed_mentions=discord.AllowedMentions.none())
        except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
            log.warning("discord: could not tell admin %s (%s): %s", admin_id, notice, error)
