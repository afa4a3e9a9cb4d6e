"""Interaction callbacks, followups and the interaction webhook's messages."""

from __future__ import annotations

import copy

from aiohttp import web

from tests.fakes.fake_discord.errors import error, unknown
from tests.fakes.fake_discord.interaction import Interaction
from tests.fakes.fake_discord.messages import apply_edit, create_record, delete_record, message_json
from tests.fakes.fake_discord.model import JSON, Channel, File
from tests.fakes.fake_discord.routing import AddRoute, Call, Routes, json_response, read_object
from tests.fakes.fake_discord.validation import (
    check_not_empty_after_edit,
    validate_callback_type,
    validate_choices,
    validate_message,
    validate_modal,
)


class InteractionRoutes(Routes):
    """Interaction callbacks, followups and the interaction webhook's messages."""

    def register(self, add: AddRoute) -> None:
        add(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            self._callback,
            auth=False,
            global_limited=False,
        )
        add(
            "POST",
            "/webhooks/{application_id}/{interaction_token}",
            self._followup,
            auth=False,
            global_limited=False,
        )
        for method in ("GET", "PATCH", "DELETE"):
            add(
                method,
                "/webhooks/{application_id}/{interaction_token}/messages/{message_id}",
                self._webhook_message,
                auth=False,
                global_limited=False,
            )

    def _by_token(self, call: Call) -> Interaction:
        token = call.params["interaction_token"]
        if call.params["application_id"] != str(self.world.application_id):
            raise unknown("Webhook", 10015)
        for interaction in self.world.interactions.values():
            if interaction.token == token:
                return interaction
        raise unknown("Webhook", 10015)

    async def _callback(self, call: Call) -> web.Response:
        interaction = self.world.interactions.get(call.snowflake("interaction_id"))
        if interaction is None or interaction.token != call.params["interaction_token"]:
            raise error(404, 10062, "Unknown interaction")
        if interaction.responses:
            raise error(400, 40060, "Interaction has already been acknowledged.")
        if self.world.clock() - interaction.created_at > self.world.interaction_ack_timeout:
            raise error(404, 10062, "Unknown interaction")
        payload, files = await read_object(call.request)
        cb_type = payload.get("type")
        validate_callback_type(interaction.type, cb_type)
        data: JSON = copy.deepcopy(payload.get("data") or {})
        channel = self.world.channels.get(interaction.channel_id) or Channel(
            interaction.channel_id, "", 0, interaction.guild_id
        )
        message: JSON | None = None
        if cb_type == 4:
            validate_message(data, has_files=bool(files), partial=False)
            message = self._original(interaction, channel, data, files)
        elif cb_type == 5:
            flags = (int(data.get("flags") or 0) & 64) | 128
            message = self._original(interaction, channel, {"content": None, "flags": flags}, {})
        elif cb_type == 7:
            validate_message(data, has_files=bool(files), partial=True)
            target = self.world.messages_by_id.get(interaction.component_message_id or 0)
            if target is None:
                raise unknown("Message", 10008)
            apply_edit(self.world, target, data, files)
            message = target
        elif cb_type == 8:
            validate_choices(data)
        elif cb_type == 9:
            validate_modal(data)
        if files:
            data["attachments"] = [
                {"filename": f.filename, "bytes": f.data} for _, f in sorted(files.items())
            ]
        interaction.responses.append({"type": cb_type, "data": data})
        self.world.notify()
        if not call.flag("with_response"):
            return web.Response(status=204)
        body: JSON = {
            "interaction": {
                "id": str(interaction.id),
                "type": interaction.type,
                "response_message_loading": cb_type == 5,
                "response_message_ephemeral": bool(interaction.flags & 64),
            }
        }
        if message is not None:
            body["interaction"]["response_message_id"] = str(message["id"])
            body["resource"] = {"type": cb_type, "message": message_json(self.world, message)}
        elif cb_type == 9:
            body["resource"] = {"type": cb_type}
        return json_response(body)

    def _original(
        self, interaction: Interaction, channel: Channel, data: JSON, files: dict[int, File]
    ) -> JSON:
        ephemeral = bool(int(data.get("flags") or 0) & 64)
        record = create_record(
            self.world,
            channel,
            data,
            files,
            interaction=interaction,
            message_type=20 if interaction.type == 2 else 0,
            store_in_channel=not ephemeral,
        )
        interaction.original = record
        return record

    async def _followup(self, call: Call) -> web.Response:
        interaction = self._by_token(call)
        if not interaction.responses:
            raise unknown("Webhook", 10015)
        payload, files = await read_object(call.request)
        validate_message(payload, has_files=bool(files), partial=False)
        original = interaction.original
        if original is not None and int(original.get("flags") or 0) & 128:
            # The first followup after a deferral replaces the "thinking" message
            # (documented, but deprecated: apps should edit @original instead).
            interaction.deferred_answer = "first_followup"
            edit = {k: v for k, v in payload.items() if k != "flags"}
            edit["flags"] = int(original["flags"]) & ~128
            apply_edit(self.world, original, edit, files)
            record = original
        else:
            channel = self.world.channels.get(interaction.channel_id) or Channel(
                interaction.channel_id, "", 0, interaction.guild_id
            )
            ephemeral = bool(int(payload.get("flags") or 0) & 64)
            record = create_record(
                self.world,
                channel,
                payload,
                files,
                interaction=interaction,
                store_in_channel=not ephemeral,
            )
        interaction.followups.append(record)
        self.world.notify()
        if not call.flag("wait"):
            return web.Response(status=204)
        return json_response(message_json(self.world, record))

    async def _webhook_message(self, call: Call) -> web.Response:
        interaction = self._by_token(call)
        raw_id = call.params["message_id"]
        record: JSON | None
        if raw_id == "@original":
            record = interaction.original
        else:
            wanted = call.snowflake("message_id")
            candidates = [interaction.original, *interaction.followups]
            record = next((r for r in candidates if r is not None and r["id"] == wanted), None)
        if record is None or record.get("deleted"):
            raise unknown("Message", 10008)
        method = call.request.method
        if method == "GET":
            return json_response(message_json(self.world, record))
        if method == "DELETE":
            delete_record(self.world, record)
            return web.Response(status=204)
        payload, files = await read_object(call.request)
        validate_message(payload, has_files=bool(files), partial=True)
        edit = dict(payload)
        edit.pop("flags", None)
        flags = int(record.get("flags") or 0)
        if flags & 128:
            edit["flags"] = flags & ~128
            interaction.deferred_answer = "edit_original"
        apply_edit(self.world, record, edit, files)
        check_not_empty_after_edit(record)
        return json_response(message_json(self.world, record))
