"""Who is who: the gateway URL, users and the application."""

from __future__ import annotations

import copy
import hashlib

from aiohttp import web

from tests.fakes.fake_discord.errors import unknown
from tests.fakes.fake_discord.routing import AddRoute, Call, Routes, json_response


class IdentityRoutes(Routes):
    """Who is who: the gateway URL, users and the application."""

    def register(self, add: AddRoute) -> None:
        add("GET", "/gateway", self._gateway, auth=False)
        add("GET", "/gateway/bot", self._gateway_bot)
        add("GET", "/users/@me", self._me)
        add("GET", "/users/{user_id}", self._user)
        add("GET", "/applications/@me", self._application)
        add("GET", "/oauth2/applications/@me", self._application)

    async def _gateway(self, call: Call) -> web.Response:
        return json_response({"url": self.world.gateway_url})

    async def _gateway_bot(self, call: Call) -> web.Response:
        return json_response(
            {
                "url": self.world.gateway_url,
                "shards": self.world.recommended_shards,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14_400_000,
                    "max_concurrency": 1,
                },
            }
        )

    async def _me(self, call: Call) -> web.Response:
        me = self.world.user(self.world.bot_user_id)
        me.update({"verified": True, "mfa_enabled": False, "locale": "en-US", "email": None})
        return json_response(me)

    async def _user(self, call: Call) -> web.Response:
        user_id = call.snowflake("user_id")
        if user_id not in self.world.users:
            raise unknown("User", 10013)
        return json_response(self.world.user(user_id))

    async def _application(self, call: Call) -> web.Response:
        owner_id = next(
            iter(g.owner_id for g in self.world.guilds.values()), self.world.bot_user_id + 1
        )
        owner = self.world.users.get(owner_id) or self.world.make_user(owner_id, "owner")
        return json_response(
            {
                "id": str(self.world.application_id),
                "name": self.world.bot_name,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "hook": True,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": hashlib.sha256(self.world.token.encode()).hexdigest(),
                "flags": self.world.application_flags(),
                "owner": copy.deepcopy(owner),
                "team": None,
                "bot": self.world.user(self.world.bot_user_id),
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "approximate_guild_count": sum(g.bot_present for g in self.world.guilds.values()),
                "integration_types_config": {"0": {}},
            }
        )
