"""Slash-command options as the Discord client fills them: typed, resolved, checked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.fakes.fake_discord.messages import attachment_json, guess_type
from tests.fakes.fake_discord.model import JSON, Channel, Guild, opt_str
from tests.fakes.fake_discord.permissions import channel_permissions

if TYPE_CHECKING:
    from tests.fakes.fake_discord.world import World


def build_options(
    world: World,
    guild: Guild | None,
    channel: Channel,
    user_id: int,
    defs: list[JSON] | None,
    values: dict[str, Any],
    resolved: JSON,
    focused: str | None,
    path: str,
    subcommand: str | None,
) -> list[JSON]:
    """The ``options`` tree of a command interaction, subcommands included."""
    if subcommand:
        head, _, rest = subcommand.partition(" ")
        sub_def: JSON | None = None
        if defs is not None:
            sub_def = next((d for d in defs if d["name"] == head and d["type"] in (1, 2)), None)
            if sub_def is None:
                raise LookupError(f"/{path} has no subcommand or group {head!r}")
            if sub_def["type"] == 2 and not rest:
                raise LookupError(f"/{path} {head} is a group; name a subcommand too")
        kind = sub_def["type"] if sub_def is not None else (2 if rest else 1)
        inner_defs = None if sub_def is None else list(sub_def.get("options") or [])
        inner = build_options(
            world,
            guild,
            channel,
            user_id,
            inner_defs,
            values,
            resolved,
            focused,
            f"{path} {head}",
            rest or None,
        )
        node: JSON = {"name": head, "type": kind}
        if inner or kind == 1:
            node["options"] = inner
        return [node]
    if defs is not None and any(d["type"] in (1, 2) for d in defs):
        raise LookupError(f"/{path} needs a subcommand")
    by_name = {d["name"]: d for d in defs or []}
    out: list[JSON] = []
    for option_name, value in values.items():
        definition = by_name.get(option_name)
        if defs is not None and definition is None:
            raise LookupError(f"/{path} has no option {option_name!r}; it has {sorted(by_name)}")
        if option_name == focused:
            type_ = definition["type"] if definition else 3
            out.append({"name": option_name, "type": type_, "value": str(value), "focused": True})
            continue
        type_ = definition["type"] if definition else infer_type(world, guild, value)
        converted = convert_option(
            world, guild, channel, user_id, type_, value, resolved, option_name
        )
        if definition is not None:
            check_option_value(definition, converted, path, guild)
        out.append({"name": option_name, "type": type_, "value": converted})
    if focused is None and defs is not None:
        missing = [d["name"] for d in defs if d.get("required") and d["name"] not in values]
        if missing:
            raise ValueError(f"/{path} is missing required options {missing}")
    if focused is not None and not any(o.get("focused") for o in out):
        raise ValueError(f"focused option {focused!r} must be among the options")
    return out


def infer_type(world: World, guild: Guild | None, value: Any) -> int:
    """An option's type from its value, for commands the fake has no definition of."""
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        if guild is None:
            return 6 if value in world.users else 4
        if value in guild.channels:
            return 7
        if value in guild.roles:
            return 8
        if value in guild.members:
            return 6
        return 4
    if isinstance(value, float):
        return 10
    if isinstance(value, tuple):
        return 11
    return 3


def convert_option(
    world: World,
    guild: Guild | None,
    channel: Channel,
    user_id: int,
    type_: int,
    value: Any,
    resolved: JSON,
    name: str,
) -> Any:
    """One option value as the Discord client sends it, with ``resolved`` entries."""
    raw_id = getattr(value, "id", value)
    if type_ == 3:
        return str(value)
    if type_ == 4:
        if isinstance(value, bool) or int(value) != value:
            raise ValueError(f"option {name!r} needs an integer, got {value!r}")
        return int(value)
    if type_ == 5:
        return bool(value)
    if type_ == 10:
        return float(value)
    if type_ in (7, 8) and guild is None:
        kind = "channel" if type_ == 7 else "role"
        raise ValueError(f"option {name!r}: a DM has no {kind}s to pick from")
    if type_ == 6 or (type_ == 9 and (guild is None or int(raw_id) not in guild.roles)):
        uid = int(raw_id)
        if uid not in world.users:
            raise KeyError(f"option {name!r}: unknown user {uid}")
        resolved.setdefault("users", {})[str(uid)] = world.user(uid)
        member = None if guild is None else guild.members.get(uid)
        if guild is not None and member is not None:
            member_json = world.member_json(guild, member, with_user=False)
            member_json["permissions"] = str(channel_permissions(guild, channel, uid))
            resolved.setdefault("members", {})[str(uid)] = member_json
        return str(uid)
    if type_ == 11:
        filename, blob = value
        attachment_id = world.next_id()
        world.attachments[attachment_id] = bytes(blob)
        resolved.setdefault("attachments", {})[str(attachment_id)] = attachment_json(
            world,
            channel.id,
            {
                "id": attachment_id,
                "filename": filename,
                "size": len(blob),
                "content_type": guess_type(filename),
            },
        )
        return str(attachment_id)
    if type_ in (8, 9) and guild is not None:
        rid = int(raw_id)
        if rid not in guild.roles:
            raise KeyError(f"option {name!r}: unknown role {rid}")
        resolved.setdefault("roles", {})[str(rid)] = guild.roles[rid].to_json()
        return str(rid)
    if type_ == 7 and guild is not None:
        cid = int(raw_id)
        target = guild.channels.get(cid)
        if target is None:
            raise KeyError(f"option {name!r}: unknown channel {cid} in guild {guild.id}")
        resolved.setdefault("channels", {})[str(cid)] = {
            "id": str(cid),
            "name": target.name,
            "type": target.type,
            "guild_id": str(guild.id),
            "parent_id": None,
            "position": target.position,
            "topic": None,
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": opt_str(target.last_message_id),
            "flags": 0,
            "permissions": str(channel_permissions(guild, target, user_id)),
        }
        return str(cid)
    raise ValueError(f"unsupported option type {type_} for {name!r}")


def check_option_value(definition: JSON, value: Any, path: str, guild: Guild | None) -> None:
    """Refuse a value the Discord client would not let a user enter."""
    name = definition["name"]
    choices = definition.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise ValueError(f"/{path} {name}: {value!r} is not one of the choices")
    low, high = definition.get("min_value"), definition.get("max_value")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"/{path} {name}: {value!r} is outside [{low}, {high}]")
    if isinstance(value, str) and definition["type"] == 3:
        if len(value) > int(definition.get("max_length") or 6000):
            raise ValueError(f"/{path} {name}: too long")
        if len(value) < int(definition.get("min_length") or 0):
            raise ValueError(f"/{path} {name}: too short")
    if definition["type"] == 7 and definition.get("channel_types") and guild is not None:
        target = guild.channels[int(value)]
        if target.type not in definition["channel_types"]:
            raise ValueError(f"/{path} {name}: channel type {target.type} not allowed")
