"""Message records: creating, editing and deleting them, and rendering them as Discord does."""

from __future__ import annotations

import copy
import mimetypes
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from tests.fakes.fake_discord.gateway import Intent
from tests.fakes.fake_discord.interaction import Interaction
from tests.fakes.fake_discord.model import JSON, Channel, File, utc_iso
from tests.fakes.fake_discord.permissions import Permission, channel_permissions

if TYPE_CHECKING:
    from tests.fakes.fake_discord.world import World


ROLE_MENTION = re.compile(r"<@&(\d+)>")


def guess_type(filename: str) -> str:
    """The content type Discord would report for an uploaded file."""
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def walk_components(components: Iterable[Any]) -> Iterator[JSON]:
    """Every component, nested rows and section accessories included."""
    for component in components:
        if not isinstance(component, dict):
            continue
        yield component
        for key in ("components", "accessory"):
            child = component.get(key)
            if isinstance(child, list):
                yield from walk_components(child)
            elif isinstance(child, dict):
                yield from walk_components([child])


def find_component(components: list[Any], custom_id: str) -> JSON | None:
    """The component with this custom_id, wherever it is nested."""
    return next((c for c in walk_components(components) if c.get("custom_id") == custom_id), None)


def number_components(components: list[Any]) -> None:
    """Discord assigns every component a numeric ``id`` in responses."""
    used = {c["id"] for c in walk_components(components) if isinstance(c.get("id"), int)}
    counter = 1
    for component in walk_components(components):
        if "id" not in component:
            while counter in used:
                counter += 1
            component["id"] = counter
            used.add(counter)


def attachment_json(world: World, channel_id: int, att: JSON) -> JSON:
    """An attachment as Discord renders it, with a URL the fake serves."""
    url = attachment_url(world, channel_id, att)
    data: JSON = {
        "id": str(att["id"]),
        "filename": att["filename"],
        "size": att["size"],
        "url": url,
        "proxy_url": url,
        "content_type": att.get("content_type"),
    }
    if att.get("description"):
        data["description"] = att["description"]
    return data


#: How long a signed CDN link is served after it was issued (Discord: about a day).
LINK_LIFETIME = 24 * 3600


def attachment_url(world: World, channel_id: int, att: JSON) -> str:
    """The attachment's CDN link, signed like Discord's since 2024: expiry (``ex``), issue
    time (``is``), HMAC (``hm``) as hex; the fake stops serving it after ``ex``."""
    issued = int(world.now().timestamp())
    signed = f"ex={issued + LINK_LIFETIME:x}&is={issued:x}&hm={att['id']:064x}&"
    return f"{world.url}/attachments/{channel_id}/{att['id']}/{att['filename']}?{signed}"


def resolve_images(world: World, record: JSON) -> None:
    """An embed image ``attachment://name`` becomes that attachment of the message (as
    Discord shows it); one naming no attachment of the message is dropped."""
    by_name = {a["filename"]: a for a in record.get("attachments") or []}
    for embed in record.get("embeds") or []:
        url = str((embed.get("image") or {}).get("url") or "")
        if not url.startswith("attachment://"):
            continue
        att = by_name.get(url.removeprefix("attachment://"))
        if att is None:
            del embed["image"]
            continue
        link = attachment_url(world, record["channel_id"], att)
        embed["image"] = {"url": link, "proxy_url": link, "attachment_id": str(att["id"])}


def message_json(world: World, record: JSON) -> JSON:
    """A message record rendered as Discord's message object."""
    components = copy.deepcopy(record.get("components") or [])
    number_components(components)
    embeds = [{"type": "rich", **e} for e in record.get("embeds") or []]
    data: JSON = {
        "id": str(record["id"]),
        "type": record.get("type", 0),
        "channel_id": str(record["channel_id"]),
        "author": world.user(world.bot_user_id),
        "content": record.get("content") or "",
        "timestamp": record["timestamp"],
        "edited_timestamp": record.get("edited_timestamp"),
        "tts": bool(record.get("tts")),
        "mention_everyone": bool(record.get("mention_everyone")),
        "mentions": [],
        "mention_roles": [str(r) for r in record.get("mention_roles", [])],
        "attachments": [
            attachment_json(world, record["channel_id"], a) for a in record.get("attachments") or []
        ],
        "embeds": embeds,
        "components": components,
        "pinned": bool(record.get("pinned")),
        "flags": int(record.get("flags") or 0),
    }
    if record.get("nonce") is not None:
        data["nonce"] = record["nonce"]
    if record.get("message_reference"):
        data["message_reference"] = record["message_reference"]
    if record.get("interaction_id") is not None:
        data["webhook_id"] = str(world.application_id)
        data["application_id"] = str(world.application_id)
        interaction = world.interactions.get(int(record["interaction_id"]))
        if interaction is not None:
            data["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": world.user(interaction.user_id),
                "authorizing_integration_owners": copy.deepcopy(
                    interaction.payload["authorizing_integration_owners"]
                ),
            }
    return data


def mentions(world: World, channel: Channel, content: Any, allowed: Any) -> tuple[list[int], bool]:
    """Which roles/@everyone actually ping, honouring allowed_mentions like Discord."""
    if channel.guild_id is None or not isinstance(content, str):
        return [], False
    guild = world.guilds[channel.guild_id]
    if isinstance(allowed, dict):
        parse = set(allowed.get("parse") or [])
        allowed_roles = {int(r) for r in allowed.get("roles") or []}
    else:
        parse, allowed_roles = {"users", "roles", "everyone"}, set()
    can_mention_all = bool(
        channel_permissions(guild, channel, world.bot_user_id) & Permission.MENTION_EVERYONE
    )
    pinged: list[int] = []
    for match in ROLE_MENTION.finditer(content):
        role = guild.roles.get(int(match.group(1)))
        if role is None or role.id in pinged:
            continue
        if "roles" not in parse and role.id not in allowed_roles:
            continue
        if role.mentionable or can_mention_all:
            pinged.append(role.id)
    everyone = (
        ("@everyone" in content or "@here" in content) and "everyone" in parse and can_mention_all
    )
    return pinged, everyone


def new_attachments(world: World, payload: JSON, files: dict[int, File]) -> list[JSON]:
    """Attachment records for the uploaded files, named by the payload."""
    described = {
        int(a["id"]): a
        for a in payload.get("attachments") or []
        if isinstance(a, dict) and str(a.get("id", "")).isdigit() and int(a["id"]) in files
    }
    out = []
    for index, file in sorted(files.items()):
        attachment_id = world.next_id()
        world.attachments[attachment_id] = file.data
        meta = described.get(index, {})
        filename = meta.get("filename") or file.filename
        out.append(
            {
                "id": attachment_id,
                "filename": filename,
                "size": len(file.data),
                "content_type": guess_type(filename),
                "description": meta.get("description"),
                "bytes": file.data,
            }
        )
    return out


def create_record(
    world: World,
    channel: Channel,
    payload: JSON,
    files: dict[int, File],
    *,
    interaction: Interaction | None = None,
    message_type: int = 0,
    store_in_channel: bool = True,
) -> JSON:
    """Record a new message, work out its pings and dispatch MESSAGE_CREATE."""
    record: JSON = {k: copy.deepcopy(v) for k, v in payload.items() if k != "attachments"}
    record.update(
        {
            "id": world.next_id(),
            "channel_id": channel.id,
            "guild_id": channel.guild_id,
            "type": message_type,
            "attachments": new_attachments(world, payload, files),
            "timestamp": utc_iso(world.now()),
            "edited_timestamp": None,
            "deleted": False,
            "edits": [],
        }
    )
    record.setdefault("content", None)
    resolve_images(world, record)
    record["flags"] = int(record.get("flags") or 0)
    if interaction is not None:
        record["interaction_id"] = interaction.id
    record["mention_roles"], record["mention_everyone"] = mentions(
        world, channel, record.get("content"), record.get("allowed_mentions")
    )
    world.messages_by_id[record["id"]] = record
    if store_in_channel:
        channel.last_message_id = record["id"]
        if channel.guild_id is None:
            assert channel.recipient_id is not None
            world.dms[channel.recipient_id].append(record)
            world.gateway.emit_dm("MESSAGE_CREATE", message_json(world, record))
        else:
            world.messages[channel.id].append(record)
            emit_message_event(world, channel, "MESSAGE_CREATE", record)
    world.notify()
    return record


def emit_message_event(world: World, channel: Channel, event: str, record: JSON) -> None:
    """MESSAGE_CREATE/UPDATE to the guild's sessions with GUILD_MESSAGES."""
    if channel.guild_id is None:
        return
    guild = world.guilds[channel.guild_id]
    data = message_json(world, record)
    data["guild_id"] = str(guild.id)
    data["member"] = world.member_json(guild, guild.members[world.bot_user_id], with_user=False)
    world.gateway.emit_guild(guild.id, event, data, intent=Intent.GUILD_MESSAGES)


def apply_edit(world: World, record: JSON, payload: JSON, files: dict[int, File]) -> None:
    """Edit a message in place, keeping the previous version in ``edits``."""
    snapshot = {k: copy.deepcopy(v) for k, v in record.items() if k != "edits"}
    record["edits"].append(snapshot)
    for key, value in payload.items():
        if key != "attachments":
            record[key] = copy.deepcopy(value)
    if "attachments" in payload:
        keep = {str(a.get("id")) for a in payload["attachments"] or [] if isinstance(a, dict)}
        kept = [a for a in record.get("attachments") or [] if str(a["id"]) in keep]
        record["attachments"] = kept + new_attachments(world, payload, files)
    elif files:
        record["attachments"] = list(record.get("attachments") or []) + new_attachments(
            world, payload, files
        )
    resolve_images(world, record)
    record["flags"] = int(record.get("flags") or 0)
    record["edited_timestamp"] = utc_iso(world.now())
    channel = world.channels.get(record["channel_id"])
    if channel is not None:
        record["mention_roles"], record["mention_everyone"] = mentions(
            world, channel, record.get("content"), record.get("allowed_mentions")
        )
        if not record["flags"] & 64:
            emit_message_event(world, channel, "MESSAGE_UPDATE", record)
    world.notify()


def delete_record(world: World, record: JSON) -> None:
    """Mark a message deleted (tests still see it) and dispatch MESSAGE_DELETE."""
    record["deleted"] = True
    channel = world.channels.get(record["channel_id"])
    if (
        channel is not None
        and channel.guild_id is not None
        and not int(record.get("flags") or 0) & 64
    ):
        world.gateway.emit_guild(
            channel.guild_id,
            "MESSAGE_DELETE",
            {
                "id": str(record["id"]),
                "channel_id": str(channel.id),
                "guild_id": str(channel.guild_id),
            },
            intent=Intent.GUILD_MESSAGES,
        )
    world.notify()
