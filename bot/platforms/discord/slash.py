"""Slash commands: the tree, Swedish names and descriptions, suggestions while typing.

Each command only turns its options into the argument text the shared core expects (or
calls the adapter for what only Discord has: roles, DMs, /setup); English is Discord's
default and Swedish rides along as ``sv`` extras for ``SwedishTranslator``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.core.pings import DEFAULT, EVERY, RACES
from bot.core.texts import EN, SV
from bot.platforms.discord.release import release_attachment
from bot.platforms.discord.render import clip
from bot.platforms.discord.settings_command import LANGUAGES, settings_command
from bot.platforms.discord.texts import SWEDISH_NAMES
from bot.service.types import Menu

if TYPE_CHECKING:
    from bot.platforms.discord.adapter import DiscordAdapter

#: Swedish command descriptions: the fan help wins where a command is in both tables.
SV_DESCRIPTIONS = {
    **SV.staff_help,
    **SV.fan_help,
    "subscribe": "påminnelser: ping med serverns roll, som DM, eller val för kanalen",
    "unsubscribe": "sluta få ping eller DM",
    "settings": "dina egna påminnelser som DM: språk, tider, tidszon, spoilers, tysta timmar",
    "server_settings": "admin: serverkanalens språk, påminnelser och tidszon",
    "setup": "skicka påminnelser i en kanal (admin)",
    "result": "PASS FÖRARE PLATS … – resultat, rättelser (bara nämnda förare), jessica - tar bort",
    "post_standings": "publicera ställningen: klistra in tabellerna",
}
NAME_MAX = 32
DESCRIPTION_MAX = 100
#: Commands whose answer interests the whole channel; other answers only the asker sees.
PUBLIC_ANSWERS = frozenset({"next", "schedule", "results", "standings"})

#: What /help lists on Discord: these commands, under the names the reader's client shows.
MENU = Menu(
    commands=frozenset(SWEDISH_NAMES),
    names={"sv": SWEDISH_NAMES, "en": EN.discord.command_names},
    help={
        "sv": {
            "subscribe": "ping med serverns roll, eller via: Direktmeddelande för DM",
            "unsubscribe": "sluta få ping eller DM",
            "settings": "dina egna DM: språk, påminnelsetider, tidszon, spoilers, tysta timmar",
            "server_settings": "serverkanalens språk, påminnelsetider och tidszon (admin)",
            "result": "PASS PLATSER – resultat och rättelser, " + SV.discord.result_hint,
            "post_standings": "TABELLER – klistra in och publicera ställningen",
        },
        "en": {
            "subscribe": "role ping in the server, or via: Direct message for DMs",
            "unsubscribe": "stop pings or DMs",
            "settings": "your own DMs: language, reminder times, zone, spoilers, quiet hours",
            "server_settings": "the server channel's language, reminder times and zone (admins)",
            "result": "SESSION PLACES – results and corrections, " + EN.discord.result_hint,
            "post_standings": "TABLES – paste and post the standings",
        },
    },
    instead={"start": "subscribe", "stop": "unsubscribe"},
    staff_instead={"standings": "post_standings"},
    staff_extra=("server_settings",),
    staff_note={"sv": SV.discord.staff_note, "en": EN.discord.staff_note},
)
#: Staff commands: Discord lists them only for Manage Server (and for the roles an admin
#: adds under Server Settings → Integrations); the service still checks the staff role.
STAFF_ONLY = app_commands.default_permissions(manage_guild=True)

Suggest = Callable[[discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]


def _sv(english: str, swedish: str) -> app_commands.locale_str:
    """An English text with its Swedish translation riding along for the translator."""
    return app_commands.locale_str(english, sv=swedish)


def _name(name: str) -> app_commands.locale_str:
    return _sv(EN.discord.command_names.get(name, name), SWEDISH_NAMES[name])


def _described(name: str, english: str) -> app_commands.locale_str:
    return _sv(english, SV_DESCRIPTIONS[name])


VIA = [
    app_commands.Choice(
        name=_sv("Role ping in the server", "Ping med serverns roll"), value="role"
    ),
    app_commands.Choice(name=_sv("Direct message", "Direktmeddelande"), value="dm"),
]
PINGS = [
    app_commands.Choice(name=_sv("Races and qualifying", "Race och kval"), value=DEFAULT),
    app_commands.Choice(name=_sv("Races only", "Bara race"), value=RACES),
    app_commands.Choice(name=_sv("Every session", "Alla pass"), value=EVERY),
]
STAFF_ACTIONS = [
    app_commands.Choice(name=_sv("add", "lägg till"), value="add"),
    app_commands.Choice(name=_sv("remove", "ta bort"), value="remove"),
    app_commands.Choice(name=_sv("list", "lista"), value="list"),
]
NAME_LOCATIONS = (
    app_commands.TranslationContextLocation.command_name,
    app_commands.TranslationContextLocation.group_name,
    app_commands.TranslationContextLocation.parameter_name,
)


class SwedishTranslator(app_commands.Translator):
    """Swedish (sv-SE) names, descriptions and choices; English is the default."""

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
        limit = NAME_MAX if context.location in NAME_LOCATIONS else DESCRIPTION_MAX
        return clip(str(swedish), limit)


def register_commands(adapter: DiscordAdapter) -> None:
    """Every slash command; each parses its options and hands over to the adapter."""
    tree = adapter.tree
    run = adapter.run

    def suggest(name: str, option: str) -> Suggest:
        async def choices(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return adapter.suggest(interaction, name, option, current)

        return choices

    @tree.command(name=_name("next"), description=_described("next", "Next session with countdown"))
    async def next_(interaction: discord.Interaction) -> None:
        await run(interaction, "next")

    @tree.command(name=_name("schedule"), description=_described("schedule", "A timetable"))
    @app_commands.rename(event=_sv("weekend", "helg"))
    @app_commands.describe(
        event=_sv("A weekend (default: the next one)", "en tävlingshelg (annars nästa)")
    )
    async def schedule(interaction: discord.Interaction, event: str | None = None) -> None:
        await run(interaction, "schedule", event or "")

    schedule.autocomplete("event")(suggest("schedule", "event"))

    @tree.command(
        name=_name("calendar"), description=_described("calendar", "Calendar file and link")
    )
    @app_commands.rename(series=_sv("series", "serie"))
    @app_commands.describe(series=_sv("A series (optional)", "en serie (valfritt)"))
    async def calendar(interaction: discord.Interaction, series: str | None = None) -> None:
        await run(interaction, "calendar", series or "")

    calendar.autocomplete("series")(suggest("calendar", "series"))

    @tree.command(name=_name("results"), description=_described("results", "Latest results"))
    async def results(interaction: discord.Interaction) -> None:
        await run(interaction, "results")

    @tree.command(name=_name("standings"), description=_described("standings", "Standings"))
    async def standings(interaction: discord.Interaction) -> None:
        await run(interaction, "standings")

    @tree.command(
        name=_name("post_standings"),
        description=_described("post_standings", "Post the standings: paste the tables"),
    )
    @app_commands.rename(tables=_sv("tables", "tabeller"))
    @app_commands.describe(
        tables=_sv(
            "The standings block as the release prints it",
            "tabellerna som pressmeddelandet skriver dem",
        )
    )
    @STAFF_ONLY
    async def post_standings(interaction: discord.Interaction, tables: str) -> None:
        await run(interaction, "standings", tables)

    @tree.command(name=_name("whoami"), description=_described("whoami", "Your user id"))
    async def whoami(interaction: discord.Interaction) -> None:
        await run(interaction, "whoami")

    @tree.command(name=_name("staff"), description=_described("staff", "Staff: add or remove"))
    @app_commands.rename(action=_sv("action", "vad"), user=_sv("user", "person"))
    @app_commands.describe(user=_sv("@mention or user id", "@-omnämning eller användar-id"))
    @app_commands.choices(action=STAFF_ACTIONS)
    @STAFF_ONLY
    async def staff(interaction: discord.Interaction, action: str, user: str = "") -> None:
        await run(interaction, "staff", f"{action} {user}")

    @tree.command(name=_name("help"), description=_described("help", "All commands"))
    async def help_(interaction: discord.Interaction) -> None:
        await run(interaction, "help")

    @tree.command(
        name=_name("subscribe"),
        description=_described("subscribe", "Reminders: role ping, DM, or a channel's choices"),
    )
    @app_commands.rename(
        choices=_sv("choices", "val"),
        via=_sv("via", "via"),
        pings=_sv("pings", "ping"),
        series=_sv("series", "serie"),
    )
    @app_commands.describe(
        via=_sv("Role ping in the server or direct messages", "ping med roll eller DM"),
        choices=_sv("Series or sessions, e.g. race qualifying", "t.ex. race qualifying"),
        pings=_sv("Which sessions ping you", "vilka pass du pingas för"),
        series=_sv("Pinged for this series too (its role)", "pingas för serien (dess roll)"),
    )
    @app_commands.choices(via=VIA, pings=PINGS)
    async def subscribe(
        interaction: discord.Interaction,
        via: str | None = None,
        choices: str = "",
        pings: str | None = None,
        series: str | None = None,
    ) -> None:
        await adapter.answered(adapter.servers.subscribe(interaction, via, choices, pings, series))

    subscribe.autocomplete("series")(suggest("calendar", "series"))

    @tree.command(
        name=_name("unsubscribe"), description=_described("unsubscribe", "Stop pings or DMs")
    )
    @app_commands.rename(choices=_sv("choices", "val"), via=_sv("via", "via"))
    @app_commands.describe(
        via=_sv("Only the role ping or only the DMs", "bara pingen eller bara DM"),
        choices=_sv("Series or sessions to drop", "serier eller pass att ta bort"),
    )
    @app_commands.choices(via=VIA)
    async def unsubscribe(
        interaction: discord.Interaction, via: str | None = None, choices: str = ""
    ) -> None:
        await adapter.servers.unsubscribe(interaction, via, choices)

    for key, english, server in (
        ("settings", "Your own reminders as DMs: language, times, zone", False),
        ("server_settings", "Admins: the server channel's language and reminders", True),
    ):
        command = settings_command(adapter, key, _name(key), _described(key, english), server)
        command.autocomplete("zone")(suggest("settings", "tz"))
        tree.add_command(command)

    @tree.command(name=_name("setup"), description=_described("setup", "Post reminders here"))
    @app_commands.rename(
        channel=_sv("channel", "kanal"),
        role=_sv("role", "roll"),
        language=_sv("language", "språk"),
        races_role=_sv("races-role", "race-roll"),
        every_role=_sv("every-session-role", "alla-pass-roll"),
        series=_sv("series", "serie"),
        series_role=_sv("series-role", "serie-roll"),
    )
    @app_commands.describe(
        channel=_sv("Where reminders go", "kanalen för påminnelserna"),
        role=_sv("Pinged for races and qualifying", "pingas inför race och kval"),
        language=_sv("Post language", "språk för utskicken"),
        races_role=_sv("Pinged for races only", "pingas bara inför race"),
        every_role=_sv("Pinged for every session, practice too", "pingas inför alla pass"),
        series=_sv("A series for series-role (none: remove its role)", "serie för serie-roll"),
        series_role=_sv("Pinged for this series' races and qualifying", "pingas för seriens race"),
    )
    @app_commands.choices(language=LANGUAGES)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def setup(
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        role: discord.Role | None = None,
        language: str = "sv",
        races_role: discord.Role | None = None,
        every_role: discord.Role | None = None,
        series: str | None = None,
        series_role: discord.Role | None = None,
    ) -> None:
        more, picked = {RACES: races_role, EVERY: every_role}, (series, series_role)
        await adapter.answered(
            adapter.servers.setup_channel(interaction, channel, role, language, more, picked)
        )

    setup.autocomplete("series")(suggest("calendar", "series"))

    @tree.command(name=_name("result"), description=_described("result", "Staff: results"))
    @app_commands.rename(session=_sv("session", "pass"), places=_sv("places", "placeringar"))
    @app_commands.describe(
        session=_sv("e.g. race1, fp1, q", "t.ex. race1, fp1, q"),
        places=_sv(EN.discord.result_hint, SV.discord.result_hint),
    )
    @STAFF_ONLY
    async def result(interaction: discord.Interaction, session: str, places: str) -> None:
        caller = adapter.caller(interaction)
        reply = await adapter.service().result(caller, session, places)
        await adapter.answer(interaction, "result", reply, caller)

    result.autocomplete("session")(suggest("result", "session"))
    result.autocomplete("places")(suggest("result", "places"))

    @tree.command(name=_name("delay"), description=_described("delay", "Staff: move a session"))
    @app_commands.rename(session=_sv("session", "pass"), minutes=_sv("minutes", "minuter"))
    @app_commands.describe(
        session=_sv("e.g. race1", "t.ex. race1"),
        minutes=_sv("minutes later (negative: earlier)", "minuter senare (negativt: tidigare)"),
    )
    @STAFF_ONLY
    async def delay(interaction: discord.Interaction, session: str, minutes: int) -> None:
        caller = adapter.caller(interaction)
        reply = await adapter.service().delay(caller, session, minutes)
        await adapter.answer(interaction, "delay", reply, caller)

    delay.autocomplete("session")(suggest("delay", "session"))

    @tree.command(name=_name("cancel"), description=_described("cancel", "Staff: cancel"))
    @app_commands.rename(session=_sv("session", "pass"))
    @app_commands.describe(session=_sv("e.g. race2", "t.ex. race2"))
    @STAFF_ONLY
    async def cancel(interaction: discord.Interaction, session: str) -> None:
        caller = adapter.caller(interaction)
        reply = await adapter.service().cancel(caller, session)
        await adapter.answer(interaction, "cancel", reply, caller)

    cancel.autocomplete("session")(suggest("cancel", "session"))

    @tree.command(
        name=_name("announce"), description=_described("announce", "Staff: message everyone")
    )
    @app_commands.rename(text=_sv("text", "text"))
    @app_commands.describe(text=_sv("The announcement", "meddelandet"))
    @STAFF_ONLY
    async def announce(interaction: discord.Interaction, text: str) -> None:
        await run(interaction, "announce", text)

    @tree.command(
        name=_name("release"),
        description=_described("release", "Staff: a press release, as .txt/.docx or text"),
    )
    @app_commands.rename(
        file=_sv("file", "fil"), text=_sv("text", "text"), photo=_sv("photo", "bild")
    )
    @app_commands.describe(
        file=_sv(
            "The release as a .txt or .docx file", "pressmeddelandet som .txt- eller .docx-fil"
        ),
        text=_sv("Or the release's text", "eller pressmeddelandets text"),
        photo=_sv("A photo for the preview or results post", "bild till inlägget"),
    )
    @STAFF_ONLY
    async def release(
        interaction: discord.Interaction,
        file: discord.Attachment | None = None,
        text: str | None = None,
        photo: discord.Attachment | None = None,
    ) -> None:
        await release_attachment(adapter, interaction, file, text, photo)
