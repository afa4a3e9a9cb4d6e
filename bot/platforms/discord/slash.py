"""Slash commands: registered on the tree, Swedish localizations, routed into the core."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands

from bot.core.commands import FAN_HELP, STAFF_HELP
from bot.platforms.discord.render import clip

if TYPE_CHECKING:
    from bot.platforms.discord.adapter import DiscordAdapter

#: Swedish command descriptions: the fan help wins where a command is in both tables.
SV_DESCRIPTIONS = {
    **{name: texts[0] for name, texts in STAFF_HELP.items()},
    **{name: texts[0] for name, texts in FAN_HELP.items()},
    "setup": "skicka påminnelser i en kanal (admin)",
}
COMMAND_DESCRIPTION_MAX = 100


def _sv(english: str, swedish: str) -> app_commands.locale_str:
    """An English text with its Swedish translation riding along for the translator."""
    return app_commands.locale_str(english, sv=swedish)


def _described(name: str, english: str) -> app_commands.locale_str:
    return _sv(english, SV_DESCRIPTIONS[name])


class SwedishTranslator(app_commands.Translator):
    """Swedish (sv-SE) command and option descriptions; English is the default."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale is not discord.Locale.swedish:
            return None
        swedish = string.extras.get("sv")
        if not swedish:
            return None
        return clip(str(swedish), COMMAND_DESCRIPTION_MAX)


def register_commands(adapter: DiscordAdapter) -> None:
    """Every slash command; each parses its options and hands over to the adapter."""
    tree = adapter.tree
    run = adapter.run

    @tree.command(name="next", description=_described("next", "Next session with countdown"))
    async def next_(interaction: discord.Interaction) -> None:
        await run(interaction, "next")

    @tree.command(name="schedule", description=_described("schedule", "This weekend's timetable"))
    @app_commands.describe(event=_sv("An event key (optional)", "ett event (valfritt)"))
    async def schedule(interaction: discord.Interaction, event: str | None = None) -> None:
        await run(interaction, "schedule", event or "")

    @tree.command(
        name="result", description=_described("result", "Staff: enter results for a session")
    )
    @app_commands.describe(
        session=_sv("e.g. race1, fp1, q", "t.ex. race1, fp1, q"),
        places=_sv(
            "e.g. andreas 15 jessica dnf (class: trophy 2)",
            "t.ex. andreas 15 jessica dnf (klass: trophy 2)",
        ),
    )
    async def result(interaction: discord.Interaction, session: str, places: str) -> None:
        await run(interaction, "result", f"{session} {places}")

    @tree.command(
        name="calendar", description=_described("calendar", "Calendar file and subscribe link")
    )
    @app_commands.describe(
        series=_sv("A series id (optional), e.g. wtcr-2021", "en serie (valfritt), t.ex. wtcr-2021")
    )
    async def calendar(interaction: discord.Interaction, series: str | None = None) -> None:
        await run(interaction, "calendar", series or "")

    @tree.command(name="results", description=_described("results", "Latest results"))
    async def results(interaction: discord.Interaction) -> None:
        await run(interaction, "results")

    @tree.command(
        name="standings",
        description=_described("standings", "Latest standings (staff: paste tables)"),
    )
    @app_commands.describe(
        tables=_sv(
            "Staff: the standings block as the release prints it",
            "Personal: tabellerna som pressmeddelandet skriver dem",
        )
    )
    async def standings(interaction: discord.Interaction, tables: str | None = None) -> None:
        await run(interaction, "standings", tables or "")

    @tree.command(name="help", description=_described("help", "All commands"))
    async def help_(interaction: discord.Interaction) -> None:
        await run(interaction, "help")

    @tree.command(
        name="subscribe",
        description=_described("subscribe", "Pick series or sessions for this channel"),
    )
    @app_commands.describe(choices=_sv("e.g. race qualifying", "t.ex. race qualifying"))
    async def subscribe(interaction: discord.Interaction, choices: str = "") -> None:
        if not await adapter.toggle_alert_role(interaction, choices, add=True):
            await run(interaction, "subscribe", choices)

    @tree.command(
        name="unsubscribe",
        description=_described("unsubscribe", "Remove a series or session kind"),
    )
    @app_commands.describe(
        choices=_sv("e.g. practice; empty stops everything", "t.ex. practice; tomt stoppar allt")
    )
    async def unsubscribe(interaction: discord.Interaction, choices: str = "") -> None:
        if not await adapter.toggle_alert_role(interaction, choices, add=False):
            await run(interaction, "unsubscribe", choices)

    @tree.command(name="setup", description=_described("setup", "Post reminders in a channel"))
    @app_commands.describe(
        channel=_sv("Where reminders go", "kanalen för påminnelserna"),
        role=_sv("Role to ping", "rollen som pingas"),
        language=_sv("Post language", "språk för utskicken"),
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def setup(
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        role: discord.Role | None = None,
        language: Literal["sv", "en"] = "sv",
    ) -> None:
        await adapter.setup_channel(interaction, channel, role, language)

    @tree.command(name="delay", description=_described("delay", "Staff: move a session"))
    @app_commands.describe(
        session=_sv("e.g. race1", "t.ex. race1"),
        minutes=_sv("minutes later (negative: earlier)", "minuter senare (negativt: tidigare)"),
    )
    async def delay(interaction: discord.Interaction, session: str, minutes: int) -> None:
        await run(interaction, "delay", f"{session} {minutes}")

    @tree.command(name="cancel", description=_described("cancel", "Staff: cancel a session"))
    @app_commands.describe(session=_sv("e.g. race2", "t.ex. race2"))
    async def cancel(interaction: discord.Interaction, session: str) -> None:
        await run(interaction, "cancel", session)

    @tree.command(
        name="announce", description=_described("announce", "Staff: message every subscriber")
    )
    @app_commands.describe(text=_sv("The announcement", "meddelandet"))
    async def announce(interaction: discord.Interaction, text: str) -> None:
        await run(interaction, "announce", text)
