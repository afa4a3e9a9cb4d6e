"""`racebot invite`: the URL that adds the bot to a Discord server with the permissions it needs.

The permissions come from ``bot.platforms.discord.permissions``, the list the adapter's own
checks use, so the link never asks for less than ``/setup`` checks nor for more than the
features use. The application id defaults to the configured token's: a Discord bot token's
first segment is the base64 of the application (bot user) id.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from bot.config import load_config
from bot.core.errors import UserError

if TYPE_CHECKING:
    from bot.platforms.discord.permissions import Permission

AUTHORIZE_URL = "https://discord.com/oauth2/authorize"
#: ``bot`` adds the bot user, ``applications.commands`` its slash commands.
SCOPES = ("bot", "applications.commands")
#: Installation context 0 = GUILD_INSTALL: racebot is a server app, not a user app.
GUILD_INSTALL = 0

WHERE_IS_THE_ID = (
    "pass --client-id ID: the Application ID on the Discord developer portal, "
    "your application -> General Information"
)


def add_invite_parser(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Register `invite`; the handler is set as ``func`` like the other commands."""
    parser = subparsers.add_parser(
        "invite", help="print the URL that adds the bot to a Discord server"
    )
    parser.add_argument(
        "--client-id", metavar="ID", help="application id (default: from the configured token)"
    )
    parser.add_argument(
        "--mention-everyone",
        action="store_true",
        help="also ask for Mention Everyone (pings an alert role that is not mentionable)",
    )
    parser.add_argument("--config", type=Path, default=None, help="config file (config/bot.toml)")
    parser.set_defaults(func=run_invite)
    return parser


def run_invite(args: argparse.Namespace) -> int:
    """Print the invite URL on stdout and what it asks for, and why, on stderr."""
    # Imported here: the discord package loads discord.py, which no other command needs.
    from bot.platforms.discord.permissions import OPTIONAL, REQUIRED, permission_value

    if args.client_id is not None:
        client_id = checked_client_id(args.client_id)
    else:
        token = load_config(args.config).discord.token
        if not token:
            raise UserError(
                "no Discord application id for the invite: no --client-id and no Discord token",
                f"{WHERE_IS_THE_ID}; or configure the bot token ([discord] token in "
                "config/bot.toml, or RACEBOT_DISCORD_TOKEN) and run racebot invite again",
            )
        client_id = application_id_from_token(token)
    wanted = REQUIRED + (OPTIONAL if args.mention_everyone else ())
    print(invite_url(client_id, wanted))
    print(f"asks for (permissions={permission_value(wanted)}):", file=sys.stderr)
    for permission in wanted:
        print(f"  {permission.label}: {permission.why}", file=sys.stderr)
    return 0


def invite_url(client_id: str, permissions: tuple[Permission, ...]) -> str:
    """The OAuth2 bot-authorization URL for a server install with ``permissions``."""
    from bot.platforms.discord.permissions import permission_value

    query = urlencode(
        {
            "client_id": client_id,
            "permissions": permission_value(permissions),
            "integration_type": GUILD_INSTALL,
            "scope": " ".join(SCOPES),
        }
    )
    return f"{AUTHORIZE_URL}?{query}"


def checked_client_id(value: str) -> str:
    """``value`` if it looks like a Discord id (a snowflake: digits only)."""
    value = value.strip()
    if not value.isascii() or not value.isdigit() or int(value) == 0:
        raise UserError(f"--client-id {value!r} is not a Discord application id", WHERE_IS_THE_ID)
    return value


def application_id_from_token(token: str) -> str:
    """The application id a bot token starts with (base64 of the decimal id, unpadded)."""
    parts = token.strip().split(".")
    problem = UserError(
        "the configured Discord token does not start with an application id "
        "(is it the bot token from the developer portal's Bot page?)",
        WHERE_IS_THE_ID,
    )
    if len(parts) != 3 or not parts[0]:
        raise problem
    first = parts[0].replace("-", "+").replace("_", "/")
    try:
        decoded = base64.b64decode(first + "=" * (-len(first) % 4), validate=True)
        client_id = decoded.decode("ascii")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise problem from exc
    if not client_id.isdigit() or int(client_id) == 0:
        raise problem
    return client_id
