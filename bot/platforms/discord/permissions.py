"""The Discord permissions racebot's features need: one list for the invite URL and the checks.

``racebot invite`` asks for exactly these, and the adapter's own checks (``/setup``, the
alert role, scheduled events) name the same entries, so the link and the checks cannot
drift apart. Pure data: no discord.py import, so the CLI can use it without the adapter.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Permission:
    """One permission: discord.py's attribute name, Discord's bit, and what needs it."""

    name: str
    bit: int
    label: str
    why: str

    @property
    def value(self) -> int:
        return 1 << self.bit


# Bits from Discord's documentation (developers/topics/permissions, "Bitwise Permission Flags").
VIEW_CHANNEL = Permission("view_channel", 10, "View Channel", "see the reminder channel")
SEND_MESSAGES = Permission(
    "send_messages", 11, "Send Messages", "post reminders, results and notices"
)
EMBED_LINKS = Permission("embed_links", 14, "Embed Links", "every post is an embed")
ATTACH_FILES = Permission("attach_files", 15, "Attach Files", "the .ics file /calendar attaches")
MANAGE_ROLES = Permission(
    "manage_roles", 28, "Manage Roles", "hand out the alert role on /subscribe"
)
CREATE_EVENTS = Permission(
    "create_events",
    44,
    "Create Events",
    "the weekend's sessions as the server's scheduled events (it edits only its own)",
)
PIN_MESSAGES = Permission(
    "pin_messages", 51, "Pin Messages", "pin the weekend preview in the reminder channel"
)
MENTION_EVERYONE = Permission(
    "mention_everyone",
    17,
    "Mention @everyone, @here, and All Roles",
    "ping an alert role that is not set to be mentionable (optional)",
)

#: What every feature needs, in the order Discord's settings list them.
REQUIRED: tuple[Permission, ...] = (
    VIEW_CHANNEL,
    SEND_MESSAGES,
    EMBED_LINKS,
    ATTACH_FILES,
    MANAGE_ROLES,
    CREATE_EVENTS,
    PIN_MESSAGES,
)
#: Asked for only on request (``racebot invite --mention-everyone``): a mentionable alert
#: role pings without it, and a bot that may ping @everyone is a risk admins weigh.
OPTIONAL: tuple[Permission, ...] = (MENTION_EVERYONE,)

#: What ``/setup`` checks in the reminder channel, in the order Discord implies them.
CHANNEL: tuple[Permission, ...] = (VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS)


def permission_value(permissions: tuple[Permission, ...]) -> int:
    """The permissions integer of an invite URL or a role: the OR of the bits."""
    value = 0
    for permission in permissions:
        value |= permission.value
    return value
