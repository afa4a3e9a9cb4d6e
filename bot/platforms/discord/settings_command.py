"""/settings (a fan's own DMs) and /server-settings (admins: the server channel).

Two commands with the same options, so neither name has to say whose settings change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

if TYPE_CHECKING:
    from bot.platforms.discord.adapter import DiscordAdapter


def _sv(english: str, swedish: str) -> app_commands.locale_str:
    return app_commands.locale_str(english, sv=swedish)


LANGUAGES = [
    app_commands.Choice(name=_sv("Swedish", "Svenska"), value="sv"),
    app_commands.Choice(name=_sv("English", "Engelska"), value="en"),
]


def settings_command(
    adapter: DiscordAdapter,
    key: str,
    name: app_commands.locale_str,
    description: app_commands.locale_str,
    server: bool,
) -> app_commands.Command[Any, ..., None]:
    """The settings command ``key``: ``server`` ones are for admins and the channel."""

    @app_commands.command(name=name, description=description)
    @app_commands.rename(
        language=_sv("language", "språk"),
        reminders=_sv("reminders", "påminnelser"),
        zone=_sv("timezone", "tidszon"),
        spoilers=_sv("spoilers", "spoilers"),
        quiet=_sv("quiet", "tyst"),
        digest=_sv("digest", "dagsöversikt"),
    )
    @app_commands.describe(
        language=_sv("Language of the posts", "språk för utskicken"),
        reminders=_sv("Minutes before each session, e.g. 60 15", "minuter före, t.ex. 60 15"),
        zone=_sv("Show times in this zone", "visa tiderna i den här tidszonen"),
        spoilers=_sv("Hide places in results", "dölj placeringar i resultaten"),
        quiet=_sv("Silent hours, e.g. 22-07, or off", "tysta timmar, t.ex. 22-07, eller off"),
        digest=_sv("One post a day instead of practice reminders", "en översikt per dag i stället"),
    )
    @app_commands.choices(language=LANGUAGES)
    async def settings(
        interaction: discord.Interaction,
        language: str | None = None,
        reminders: str | None = None,
        zone: str | None = None,
        spoilers: bool | None = None,
        quiet: str | None = None,
        digest: bool | None = None,
    ) -> None:
        typed = {"language": language, "reminders": reminders, "timezone": zone, "quiet": quiet}
        options: dict[str, Any] = {k: v or None for k, v in typed.items()}  # "" is not given
        options |= {"spoilers": spoilers, "digest": digest}
        await adapter.servers.settings(interaction, options, server=server)

    if server:
        settings = app_commands.guild_only()(settings)
        settings = app_commands.default_permissions(manage_guild=True)(settings)
    return settings
