"""Opening the DM channel between the bot and a user."""

from __future__ import annotations

from aiohttp import web

from tests.fakes.fake_discord.errors import error
from tests.fakes.fake_discord.routing import AddRoute, Call, Routes, json_response, read_object


class DmRoutes(Routes):
    """Opening the DM channel between the bot and a user."""

    def register(self, add: AddRoute) -> None:
        add("POST", "/users/@me/channels", self._create_dm)

    async def _create_dm(self, call: Call) -> web.Response:
        payload, _ = await read_object(call.request)
        raw = payload.get("recipient_id")
        user_id = int(raw) if raw is not None and str(raw).isdigit() else None
        if user_id is None or user_id not in self.world.users or user_id == self.world.bot_user_id:
            raise error(400, 50033, "Invalid Recipient(s)")
        return json_response(self.world.dm_channel_json(self.world.dm_channel(user_id)))
