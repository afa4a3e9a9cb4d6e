"""The world's records: guilds, their roles, channels and members, and uploaded files.

Why: these are the state Discord keeps and renders back; the rest of the fake reads and
changes them through :class:`~tests.fakes.fake_discord.world.World`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]


def utc_iso(moment: datetime | None = None) -> str:
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat()


def opt_str(value: int | None) -> str | None:
    return None if value is None else str(value)


@dataclass
class Role:
    id: int
    name: str
    permissions: int
    position: int
    mentionable: bool
    managed: bool = False
    bot_id: int | None = None
    color: int = 0

    def to_json(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class Channel:
    id: int
    name: str
    type: int
    guild_id: int | None = None
    position: int = 0
    # (overwrite type 0=role/1=member, target id) -> (allow, deny)
    overwrites: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    recipient_id: int | None = None
    last_message_id: int | None = None

    def to_json(self) -> JSON:
        if self.guild_id is None:
            return {
                "id": str(self.id),
                "type": self.type,
                "last_message_id": opt_str(self.last_message_id),
                "flags": 0,
                "recipients": [],
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [
                {"id": str(target), "type": kind, "allow": str(allow), "deny": str(deny)}
                for (kind, target), (allow, deny) in self.overwrites.items()
            ],
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "last_message_id": opt_str(self.last_message_id),
            "rate_limit_per_user": 0,
            "flags": 0,
        }


@dataclass
class Member:
    user_id: int
    roles: list[int]
    joined_at: str


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    preferred_locale: str
    joined_at: str
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    bot_present: bool = True
    manager_role_id: int | None = None
    #: Server Settings → Integrations: command name → the role and member ids an admin
    #: let use it, on top of its ``default_member_permissions``.
    command_access: dict[str, set[int]] = field(default_factory=dict)


@dataclass
class File:
    """One uploaded file of a multipart request."""

    filename: str
    data: bytes
    content_type: str | None
