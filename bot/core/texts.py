"""What the chat commands say, in Swedish and English, and the help lines for each command.

Pure data plus ``say``: the service and the adapters pick sentences from here, so one
catalogue serves every platform.
"""

from __future__ import annotations

from typing import Any

T = {
    "sv": {
        "welcome": "Välkommen! Du får nu påminnelser inför varje pass, ”LIVE NU” med länkar och "
        "resultat från Andreas och Jessica Bäckman. Skriv /stop för att sluta, /settings för "
        "språk och påminnelsetider, /help för alla kommandon.",
        "stopped": "Du får inga fler utskick. Skriv {start} för att börja igen.",
        "not_subscribed": "Den här chatten prenumererar inte. Skriv {start}.",
        "subscribed": "Prenumerationen är sparad: {what}.",
        "unsubscribed": "Klart: {what} är borttaget.",
        "admins_only": "Bara gruppens administratörer kan ändra prenumerationen här.",
        "staff_only": "Det kommandot är inte tillgängligt för dig.",
        "no_next": "Inga kommande pass i schemat just nu.",
        "settings": "Inställningar",
        "saved": "Sparat.",
        "preview_delay": "{name} flyttas {minutes:+d} min till {new} (svensk tid). Publicera?",
        "preview_cancel": "{name} ställs in. Publicera?",
        "preview_announce": "Meddelandet nedan skickas till alla prenumeranter. Publicera?",
        "published": "Publicerat till {count} mottagare.",
        "aborted": "Avbrutet, inget skickades.",
        "nothing_pending": "Det finns inget att publicera (det kan ha gått ut efter 15 minuter).",
        "unknown": "Okänt kommando /{name}.",
        "help_title": "Kommandon",
        "language": "Språk",
        "leads": "Påminnelser (minuter före)",
        "kinds": "Pass",
        "tz": "Tidszon",
        "series": "Serier",
        "all": "alla",
        "schedule_for": "Schema",
        "bad_option": "Det går inte att använda {value!r} här. Välj ett av förslagen.",
        "failed": "Något gick fel, inget ändrades. Försök igen om en stund.",
        "unknown_session": "Okänt pass: {query!r}",
        "ambiguous_session": "{query!r} passar flera pass",
        "choose_one": "Välj ett av: {choices}",
        "no_weekend": "Ingen kommande helg att hitta {query!r} i.",
        "full_key": "Skriv hela nyckeln, t.ex. tcr-europe-2020/r6/race1",
        "sent_privately": "Svaret skickades till dig privat.",
        "dm_first": "Skriv till mig privat först ({bot}), så skickar jag svaret dit.",
    },
    "en": {
        "welcome": "Welcome! You will now get reminders before every session, “LIVE NOW” with "
        "links and results from Andreas and Jessica Bäckman. Send /stop to stop, /settings for "
        "language and reminder times, /help for all commands.",
        "stopped": "You will get no more posts. Send {start} to begin again.",
        "not_subscribed": "This chat is not subscribed. Send {start}.",
        "subscribed": "Subscription saved: {what}.",
        "unsubscribed": "Done: {what} removed.",
        "admins_only": "Only the group's admins can change the subscription here.",
        "staff_only": "That command is not available to you.",
        "no_next": "No upcoming sessions in the schedule right now.",
        "settings": "Settings",
        "saved": "Saved.",
        "preview_delay": "{name} moves {minutes:+d} min to {new} (Swedish time). Publish?",
        "preview_cancel": "{name} will be cancelled. Publish?",
        "preview_announce": "The message below goes to every subscriber. Publish?",
        "published": "Published to {count} recipients.",
        "aborted": "Cancelled, nothing was sent.",
        "nothing_pending": "Nothing to publish (it may have expired after 15 minutes).",
        "unknown": "Unknown command /{name}.",
        "help_title": "Commands",
        "language": "Language",
        "leads": "Reminders (minutes before)",
        "kinds": "Sessions",
        "tz": "Time zone",
        "series": "Series",
        "all": "all",
        "schedule_for": "Timetable",
        "bad_option": "{value!r} cannot be used here. Pick one of the suggestions.",
        "failed": "Something went wrong and nothing was changed. Please try again later.",
        "unknown_session": "Unknown session: {query!r}",
        "ambiguous_session": "{query!r} matches several sessions",
        "choose_one": "Choose one of: {choices}",
        "no_weekend": "No upcoming weekend to find {query!r} in.",
        "full_key": "Write the full key, e.g. tcr-europe-2020/r6/race1",
        "sent_privately": "I sent the answer to you privately.",
        "dm_first": "Message me privately first ({bot}) so I can send the answer there.",
    },
}

FAN_HELP = {
    "start": ("prenumerera på påminnelser", "subscribe to reminders"),
    "stop": ("sluta få utskick", "stop all posts"),
    "subscribe": ("välj serier eller pass: /subscribe race qualifying", "pick series or sessions"),
    "unsubscribe": ("ta bort en serie eller passtyp", "remove a series or session kind"),
    "settings": ("språk, påminnelsetider, pass, tidszon", "language, reminder times, zone"),
    "next": ("nästa pass med nedräkning", "next session with countdown"),
    "schedule": ("helgens schema, eller /schedule EVENT", "this weekend's timetable"),
    "calendar": ("kalenderfil och prenumerationslänk", "calendar file and subscribe link"),
    "results": ("senaste resultaten", "latest results"),
    "standings": ("senaste mästerskapstabellen", "latest standings"),
    "help": ("den här hjälpen", "this help"),
}
STAFF_HELP = {
    "delay": ("PASS MINUTER – flytta ett pass", "SESSION MINUTES – move a session"),
    "cancel": ("PASS – ställ in ett pass", "SESSION – cancel a session"),
    "announce": ("TEXT – meddelande till alla", "TEXT – message everyone"),
    "result": (
        "PASS FÖRARE PLATS … – t.ex. /result race2 andreas dnf jessica 17; en rättelse "
        "ändrar bara förarna den nämner, /result race2 jessica - tar bort Jessicas resultat",
        "SESSION DRIVER PLACE … – e.g. /result race2 andreas dnf jessica 17; a correction "
        "changes only the drivers it names, /result race2 jessica - removes Jessica's result",
    ),
    "standings": ("+ inklistrad tabell – publicera ställningen", "+ pasted tables – publish"),
    "publish": ("publicera det senaste utkastet", "publish the last draft"),
}


def say(language: str, key: str, **values: Any) -> str:
    table = T["en" if language == "en" else "sv"]
    return table[key].format(**values) if values else table[key]


def command_names(staff: bool = False) -> list[str]:
    """Every shared command's name (staff ones too for staff), sorted."""
    return sorted(set(FAN_HELP) | (set(STAFF_HELP) if staff else set()))


def help_entries(language: str, staff: bool = False) -> list[tuple[str, str]]:
    """(command, help line) in ``language``: fan commands, then staff ones for staff."""
    index = 1 if language == "en" else 0
    entries = [(name, texts[index]) for name, texts in FAN_HELP.items()]
    if staff:
        entries += [(name, texts[index]) for name, texts in STAFF_HELP.items()]
    return entries
