"""Channel messages: get, list, send, edit, delete."""

from __future__ import annotations

from aiohttp import web

from tests.fakes.fake_discord.errors import error, missing_access, missing_permissions, unknown
from tests.fakes.fake_discord.messages import apply_edit, create_record, delete_record, message_json
from tests.fakes.fake_discord.model import JSON, Channel, Guild
from tests.fakes.fake_discord.permissions import Permission, channel_permissions
from tests.fakes.fake_discord.routing import AddRoute, Call, Routes, json_response, read_object
from tests.fakes.fake_discord.validation import (
    check_not_empty_after_edit,
    validate_create_flags,
    validate_message,
)


class MessageRoutes(Routes):
    """Channel messages: get, list, send, edit, delete."""

    def register(self, add: AddRoute) -> None:
        add("GET", "/channels/{channel_id}", self._get_channel)
        add("GET", "/channels/{channel_id}/messages", self._list)
        add("POST", "/channels/{channel_id}/messages", self._send, bucket="channel")
        add("GET", "/channels/{channel_id}/messages/{message_id}", self._get)
        add(
            "PATCH",
            "/channels/{channel_id}/messages/{message_id}",
            self._edit,
            bucket="channel",
        )
        add("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete)
        for method in ("PUT", "DELETE"):  # the 2025 routes; /channels/{id}/pins/{id} is legacy
            add(method, "/channels/{channel_id}/messages/pins/{message_id}", self._pin)

    def _channel_for_bot(self, channel_id: int) -> tuple[Guild | None, Channel]:
        channel = self.world.channels.get(channel_id)
        if channel is None:
            raise unknown("Channel", 10003)
        if channel.guild_id is None:
            return None, channel
        guild = self.world.guilds[channel.guild_id]
        if not guild.bot_present:
            raise missing_access()
        if (
            not channel_permissions(guild, channel, self.world.bot_user_id)
            & Permission.VIEW_CHANNEL
        ):
            raise missing_access()
        return guild, channel

    async def _get_channel(self, call: Call) -> web.Response:
        _, channel = self._channel_for_bot(call.snowflake("channel_id"))
        data = channel.to_json()
        if channel.recipient_id is not None:
            data["recipients"] = [self.world.user(channel.recipient_id)]
        return json_response(data)

    async def _send(self, call: Call) -> web.Response:
        guild, channel = self._channel_for_bot(call.snowflake("channel_id"))
        payload, files = await read_object(call.request)
        if guild is not None:
            perms = channel_permissions(guild, channel, self.world.bot_user_id)
            if not perms & Permission.SEND_MESSAGES:
                raise missing_permissions()
            if files and not perms & Permission.ATTACH_FILES:
                raise missing_permissions()
            if payload.get("embeds") and not perms & Permission.EMBED_LINKS:
                raise missing_permissions()  # bots need Embed Links for rich embeds
        elif channel.recipient_id in self.world.dm_blocked:
            raise error(403, 50007, "Cannot send messages to this user")
        validate_message(payload, has_files=bool(files), partial=False)
        validate_create_flags(payload)
        nonce = payload.get("nonce")
        key = (channel.id, str(nonce))
        if nonce is not None and payload.get("enforce_nonce"):
            seen = self.world.nonces.get(key)
            earlier = self.world.messages_by_id.get(seen[1]) if seen else None
            if seen and earlier and self.world.clock() - seen[0] < self.world.nonce_window:
                # Discord: the same author's message with this nonce is returned, not made.
                return json_response(message_json(self.world, earlier))
        message_type = 19 if payload.get("message_reference") else 0
        record = create_record(self.world, channel, payload, files, message_type=message_type)
        if nonce is not None:
            self.world.nonces[key] = (self.world.clock(), record["id"])
        if self.world.lose_response[channel.id] > 0:
            self.world.lose_response[channel.id] -= 1
            assert call.request.transport is not None
            call.request.transport.close()  # the post exists; its answer never arrives
        return json_response(message_json(self.world, record))

    def _record(self, call: Call) -> tuple[Channel, JSON]:
        _, channel = self._channel_for_bot(call.snowflake("channel_id"))
        record = self.world.messages_by_id.get(call.snowflake("message_id"))
        if record is None or record["channel_id"] != channel.id or record.get("deleted"):
            raise unknown("Message", 10008)
        if int(record.get("flags") or 0) & 64:
            raise unknown("Message", 10008)
        return channel, record

    async def _get(self, call: Call) -> web.Response:
        _, record = self._record(call)
        return json_response(message_json(self.world, record))

    async def _list(self, call: Call) -> web.Response:
        _, channel = self._channel_for_bot(call.snowflake("channel_id"))
        pool = (
            self.world.dms[channel.recipient_id]
            if channel.recipient_id is not None
            else self.world.messages.get(channel.id, [])
        )
        limit = int(call.request.query.get("limit", "50"))
        visible = [r for r in reversed(pool) if not r.get("deleted")][:limit]
        return json_response([message_json(self.world, r) for r in visible])

    async def _edit(self, call: Call) -> web.Response:
        channel, record = self._record(call)
        payload, files = await read_object(call.request)
        if channel.guild_id is not None and payload.get("embeds"):
            guild = self.world.guilds[channel.guild_id]
            if not channel_permissions(guild, channel, self.world.bot_user_id) & (
                Permission.EMBED_LINKS
            ):
                raise missing_permissions()
        validate_message(payload, has_files=bool(files), partial=True)
        apply_edit(self.world, record, payload, files)
        check_not_empty_after_edit(record)
        return json_response(message_json(self.world, record))

    async def _pin(self, call: Call) -> web.Response:
        """Pin or unpin: Pin Messages in the channel, at most 50 pins; a pin posts the
        "pinned a message" system message (type 6) and both dispatch CHANNEL_PINS_UPDATE."""
        channel, record = self._record(call)
        if channel.guild_id is not None:
            guild = self.world.guilds[channel.guild_id]
            perms = channel_permissions(guild, channel, self.world.bot_user_id)
            if not perms & Permission.PIN_MESSAGES:
                raise missing_permissions()
        pins = self.world.pins[channel.id]
        if call.request.method == "PUT":
            if record["id"] not in pins:
                if len(pins) >= 50:
                    raise error(400, 30003, "Maximum number of pins reached (50)")
                pins.append(record["id"])
                record["pinned"] = True
                reference = {"message_id": str(record["id"]), "channel_id": str(channel.id)}
                create_record(
                    self.world, channel, {"message_reference": reference}, {}, message_type=6
                )
        elif record["id"] in pins:
            pins.remove(record["id"])
            record["pinned"] = False
        if channel.guild_id is not None:
            self.world.gateway.emit_guild(
                channel.guild_id,
                "CHANNEL_PINS_UPDATE",
                {"guild_id": str(channel.guild_id), "channel_id": str(channel.id)},
            )
        self.world.notify()
        return web.Response(status=204)

    async def _delete(self, call: Call) -> web.Response:
        _, record = self._record(call)
        delete_record(self.world, record)
        return web.Response(status=204)
