"""The Discord adapter's own words (roles, DMs, setup, permissions), in Swedish and English.

Command names in these texts are the ones the reader's client shows: Swedish clients
list the commands under their Swedish names (``SWEDISH_NAMES``).
"""

from __future__ import annotations

from typing import Any

#: Swedish (sv-SE) names of the slash commands; English names are the defaults.
SWEDISH_NAMES = {
    "next": "nästa",
    "schedule": "schema",
    "calendar": "kalender",
    "results": "resultat",
    "standings": "ställning",
    "help": "hjälp",
    "subscribe": "prenumerera",
    "unsubscribe": "avprenumerera",
    "settings": "inställningar",
    "setup": "konfigurera",
    "delay": "försena",
    "cancel": "ställ-in",
    "announce": "meddela",
    "result": "resultat-in",
}

TEXTS: dict[str, dict[str, str]] = {
    "sv": {
        "role_added": "Klart! Du har nu rollen {role} och pingas inför passen. "
        "{unsubscribe} tar bort rollen.",
        "role_removed": "Rollen {role} är borttagen, du pingas inte längre.",
        "role_forbidden": "Jag får inte dela ut rollen {role}. Be en admin ge mig behörigheten "
        "Hantera roller och lägga min roll ovanför {role}.",
        "role_failed": "Det gick inte att ändra rollen just nu, försök igen om en stund.",
        "dm_welcome": "Hej! Här får du påminnelser inför passen, ”LIVE NU” med länkar och "
        "resultat från {team}. {settings} ändrar språk och "
        "påminnelsetider, {unsubscribe} stoppar utskicken.",
        "dm_on": "Klart! Påminnelserna kommer som direktmeddelanden.",
        "dm_off": "Direktmeddelandena är avstängda.",
        "dm_closed": "Jag kan inte skicka direktmeddelanden till dig. Tillåt direktmeddelanden "
        "från servermedlemmar (serverns integritetsinställningar) och försök igen.",
        "dm_missing": "Du har inga påminnelser som direktmeddelanden. "
        "{subscribe} med via: Direktmeddelande slår på dem.",
        "nothing_here": "Den här servern har ingen påminnelseroll ännu. Be en admin köra "
        "{setup}, eller skriv {subscribe} med via: Direktmeddelande för att få påminnelserna "
        "som direktmeddelanden.",
        "not_subscribed": "Du prenumererar inte här.",
        "setup_saved": "Sparat: påminnelserna går till {channel}{role}, på {post_language}.",
        "setup_moved": "De går inte längre till {old}.",
        "setup_refused": "Jag kan inte använda {channel}: jag saknar {missing}. "
        "Ge min roll det i kanalens behörigheter och kör {setup} igen.",
        "setup_role_unassignable": "Varning: jag kan inte dela ut {role} när fans skriver "
        "{subscribe}. Ge mig Hantera roller och lägg min roll ovanför {role}.",
        "setup_role_silent": "Varning: {role} går inte att pinga. Gör rollen nämnbar "
        "(Tillåt alla att @nämna den här rollen).",
        "setup_no_events": "Tips: ge mig Hantera evenemang så lägger jag helgens pass "
        "som evenemang i servern.",
        "no_settings_here": "Inställningarna gäller din prenumeration som "
        "direktmeddelanden: slå på den med {subscribe} och via: Direktmeddelande.",
        "no_channel": "Servern har ingen påminnelsekanal ännu: kör {setup} först.",
        "no_permission": "Jag kan inte skriva i {channel} i {guild} – ge mig behörigheten "
        "{missing} och kör {setup} igen.",
        # -- #17: Embed Links taken away: posts go on as plain text
        "no_embed_links": "Jag får inte bädda in länkar i {channel} i {guild}, så inläggen "
        "kommer som vanlig text. Ge min roll behörigheten Bädda in länkar i kanalen så ser "
        "de ut som vanligt igen.",
        "channel_deleted": "Kanalen {channel} i {guild} togs bort, så påminnelserna där är "
        "avstängda. Kör {setup} för att välja en ny kanal.",
        "role_deleted": "Rollen {role} i {guild} togs bort: påminnelserna skickas nu utan ping. "
        "Kör {setup} för att välja en ny roll.",
        "your_time": "I din tidszon",
        "sv": "svenska",
        "en": "engelska",
        "publish": "Publicera",
        "cancel": "Avbryt",
    },
    "en": {
        "role_added": "Done! You now have the {role} role and get pinged before sessions. "
        "{unsubscribe} removes it.",
        "role_removed": "The {role} role is removed, you will not be pinged any more.",
        "role_forbidden": "I may not hand out the {role} role. Ask an admin to give me the "
        "Manage Roles permission and put my role above {role}.",
        "role_failed": "Could not change the role right now, please try again in a while.",
        "dm_welcome": "Hi! Here you will get reminders before every session, “LIVE NOW” with "
        "links and results from {team}. {settings} changes language and "
        "reminder times, {unsubscribe} stops the messages.",
        "dm_on": "Done! Reminders will come as direct messages.",
        "dm_off": "Direct messages are off.",
        "dm_closed": "I cannot send you direct messages. Allow direct messages from server "
        "members (the server's privacy settings) and try again.",
        "dm_missing": "You get no reminders as direct messages. "
        "{subscribe} with via: Direct message turns them on.",
        "nothing_here": "This server has no reminder role yet. Ask an admin to run {setup}, "
        "or use {subscribe} with via: Direct message to get the reminders as direct messages.",
        "not_subscribed": "You are not subscribed here.",
        "setup_saved": "Saved: reminders go to {channel}{role}, in {post_language}.",
        "setup_moved": "They no longer go to {old}.",
        "setup_refused": "I cannot use {channel}: I am missing {missing}. Give my role that "
        "in the channel's permissions and run {setup} again.",
        "setup_role_unassignable": "Warning: I cannot hand out {role} when fans use "
        "{subscribe}. Give me Manage Roles and put my role above {role}.",
        "setup_role_silent": "Warning: {role} cannot be pinged. Make the role mentionable "
        "(Allow anyone to @mention this role).",
        "setup_no_events": "Tip: give me Manage Events and I will add the weekend's sessions "
        "as server events.",
        "no_settings_here": "Settings apply to your direct-message subscription: turn it on "
        "with {subscribe} and via: Direct message.",
        "no_channel": "This server has no reminder channel yet: run {setup} first.",
        "no_permission": "I cannot post in {channel} in {guild} – give me the {missing} "
        "permission and run {setup} again.",
        # -- #17: Embed Links taken away: posts go on as plain text
        "no_embed_links": "I may not embed links in {channel} in {guild}, so posts there go "
        "out as plain text. Give my role the Embed Links permission in the channel and they "
        "look as usual again.",
        "channel_deleted": "The channel {channel} in {guild} was deleted, so reminders there "
        "are off. Run {setup} to choose a new channel.",
        "role_deleted": "The role {role} in {guild} was deleted: reminders now go out without "
        "a ping. Run {setup} to choose a new role.",
        "your_time": "In your time zone",
        "sv": "Swedish",
        "en": "English",
        "publish": "Publish",
        "cancel": "Cancel",
    },
}

#: Discord's own names for the permissions the bot asks for, as its settings show them.
PERMISSION_NAMES = {
    "sv": {
        "view_channel": "Visa kanal",
        "send_messages": "Skicka meddelanden",
        "embed_links": "Bädda in länkar",
        "attach_files": "Bifoga filer",
    },
    "en": {
        "view_channel": "View Channel",
        "send_messages": "Send Messages",
        "embed_links": "Embed Links",
        "attach_files": "Attach Files",
    },
}


def lang(language: str) -> str:
    """Swedish unless English was asked for: the fans are mostly Swedish."""
    return "en" if language == "en" else "sv"


def slash(name: str, language: str) -> str:
    """``/name`` as the reader's client lists the command."""
    return f"/{SWEDISH_NAMES.get(name, name) if lang(language) == 'sv' else name}"


def text(language: str, key: str, **values: Any) -> str:
    """One of ``TEXTS``, with the command names filled in for the reader's client."""
    names = {name: slash(name, language) for name in SWEDISH_NAMES}
    return TEXTS[lang(language)][key].format(**{**names, **values})
