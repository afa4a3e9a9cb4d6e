"""Guilds, their channels and roles, members and member roles."""

from __future__ import annotations

from aiohttp import web

from tests.fakes.fake_discord.errors import missing_permissions, unknown
from tests.fakes.fake_discord.gateway import Intent
from tests.fakes.fake_discord.permissions import Permission, base_permissions
from tests.fakes.fake_discord.routing import AddRoute, Call, Routes, guild_for_bot, json_response


class GuildRoutes(Routes):
    """Guilds, their channels and roles, members and member roles."""

    def register(self, add: AddRoute) -> None:
        add("GET", "/guilds/{guild_id}", self._get_guild)
        add("GET", "/guilds/{guild_id}/channels", self._channels)
        add("GET", "/guilds/{guild_id}/roles", self._roles)
        add("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member)
        add("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._member_role)
        add("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", self._member_role)

    async def _get_guild(self, call: Call) -> web.Response:
        guild = guild_for_bot(self.world, call)
        data = self.world.guild_json(guild, full=False)
        if call.flag("with_counts"):
            data["approximate_member_count"] = len(guild.members)
            data["approximate_presence_count"] = 0
        return json_response(data)

    async def _channels(self, call: Call) -> web.Response:
        guild = guild_for_bot(self.world, call)
        return json_response([c.to_json() for c in guild.channels.values()])

    async def _roles(self, call: Call) -> web.Response:
        guild = guild_for_bot(self.world, call)
        return json_response([r.to_json() for r in guild.roles.values()])

    async def _get_member(self, call: Call) -> web.Response:
        guild = guild_for_bot(self.world, call)
        member = guild.members.get(call.snowflake("user_id"))
        if member is None:
            raise unknown("Member", 10007)
        return json_response(self.world.member_json(guild, member))

    async def _member_role(self, call: Call) -> web.Response:
        guild = guild_for_bot(self.world, call)
        user_id = call.snowflake("user_id")
        role_id = call.snowflake("role_id")
        member = guild.members.get(user_id)
        if member is None:
            raise unknown("Member", 10007)
        role = guild.roles.get(role_id)
        if role is None:
            raise unknown("Role", 10011)
        bot_perms = base_permissions(guild, self.world.bot_user_id)
        if not bot_perms & Permission.MANAGE_ROLES:
            raise missing_permissions()
        if (
            role.managed
            or role.id == guild.id
            or role.position >= self.world.bot_role(guild).position
        ):
            raise missing_permissions()
        action = "add" if call.request.method == "PUT" else "remove"
        if action == "add" and role_id not in member.roles:
            member.roles.append(role_id)
        elif action == "remove" and role_id in member.roles:
            member.roles.remove(role_id)
        self.world.role_changes.append((action, guild.id, user_id, role_id))
        data = self.world.member_json(guild, member)
        data["guild_id"] = str(guild.id)
        self.world.gateway.emit_guild(
            guild.id, "GUILD_MEMBER_UPDATE", data, intent=Intent.GUILD_MEMBERS
        )
        self.world.notify()
        return web.Response(status=204)
