"""Swedish texts of the chat commands."""

from __future__ import annotations

from bot.core.texts.catalogue import Texts

SV = Texts(
    code="sv",
    and_word="och",
    fan_help={
        "start": "prenumerera på påminnelser",
        "stop": "sluta få utskick",
        "subscribe": "välj serier eller pass: /subscribe race qualifying",
        "unsubscribe": "ta bort en serie eller passtyp",
        "settings": "språk, påminnelsetider, pass, tidszon",
        "next": "nästa pass med nedräkning",
        "schedule": "helgens schema, eller /schedule EVENT",
        "calendar": "kalenderfil och prenumerationslänk",
        "results": "senaste resultaten",
        "standings": "senaste mästerskapstabellen",
        "help": "den här hjälpen",
    },
    staff_help={
        "delay": "PASS MINUTER – flytta ett pass",
        "cancel": "PASS – ställ in ett pass",
        "announce": "TEXT – meddelande till alla",
        "result": (
            "PASS FÖRARE PLATS … – t.ex. /result race2 andreas dnf jessica 17; en rättelse ändrar "
            "bara förarna den nämner, /result race2 jessica - tar bort Jessicas resultat"
        ),
        "standings": "+ inklistrad tabell – publicera ställningen",
        "publish": "publicera det senaste utkastet",
    },
    welcome=(
        "Välkommen! Du får nu påminnelser inför varje pass, ”LIVE NU” med länkar och resultat "
        "från {team}. Skriv /stop för att sluta, /settings för språk och påminnelsetider, /help "
        "för alla kommandon."
    ),
    stopped="Du får inga fler utskick. Skriv {start} för att börja igen.",
    not_subscribed="Den här chatten prenumererar inte. Skriv {start}.",
    subscribed="Prenumerationen är sparad: {what}.",
    unsubscribed="Klart: {what} är borttaget.",
    admins_only="Bara gruppens administratörer kan ändra prenumerationen här.",
    unknown_choice="Okänt val: {word!r}",
    choice_hint="Serier: {series}; pass: race, qualifying, practice",
    unreadable="Kan inte läsa {text!r}: {error}",
    check_quotes="Kontrollera citattecknen",
    start_link="Länken valde åt dig: {what}. /subscribe lägger till fler, /settings ändrar.",
    start_link_unknown=(
        "Länken gällde {word!r}, som jag inte känner igen, så du får allt. "
        "Välj med /subscribe, serier: {series}."
    ),
    bot_description=(
        "Tidsschema, påminnelser före varje pass, ”LIVE NU” med länkar, resultat och "
        "mästerskapsställning från {team}. Tryck Starta för att prenumerera; /settings väljer "
        "språk, pass och påminnelsetider."
    ),
    bot_short_description="Påminnelser, livelänkar och resultat från {team}.",
    settings="Inställningar",
    saved="Sparat.",
    language="Språk",
    leads="Påminnelser (minuter före)",
    kinds="Pass",
    tz="Tidszon",
    series="Serier",
    all="alla",
    settings_usage=(
        "/settings language sv|en · /settings leads 60 15 · /settings kinds race qualifying · "
        "/settings tz Europe/Stockholm"
    ),
    minutes_not_numbers="Minuterna måste vara tal: {values}",
    unknown_kind="Okänd passtyp {value!r}",
    cannot_change="Det går inte att ändra {key!r} så.",
    leads_range="Högst fem påminnelsetider, mellan 1 och 10080 minuter.",
    no_next="Inga kommande pass i schemat just nu.",
    no_weekend_match="Ingen tävlingshelg passar {query!r}.",
    try_one_of="Prova en av: {choices}",
    unknown_series="Okänd serie {query!r}.",
    calendar_title="Kalender",
    calendar_lead="Prenumerera i din kalender",
    help_title="Kommandon",
    no_results="Inga resultat ännu.",
    no_standings="Ingen tabell ännu.",
    staff_only="Det kommandot är inte tillgängligt för dig.",
    preview_delay="{name} flyttas {minutes:+d} min till {new} (svensk tid). Publicera?",
    preview_cancel="{name} ställs in. Publicera?",
    delay_cancelled="{name} är inställt och kan inte flyttas. Körs passet ändå, "
    "ändra det i schemafilen.",
    preview_announce="Meddelandet nedan skickas till alla prenumeranter. Publicera?",
    publish_question="Publicera?",
    standings_question="Stämmer tabellerna? Publicera?",
    result_unchanged="Samma som det publicerade resultatet: Publicera skickar ut inläggen igen.",
    published="Publicerat till {count} mottagare.",
    aborted="Avbrutet, inget skickades.",
    nothing_pending="Det finns inget att publicera (det kan ha gått ut efter 15 minuter).",
    delay_usage="/delay PASS MINUTER, t.ex. /delay race1 10 (negativt flyttar passet tidigare)",
    delay_which="Vilket pass, och hur många minuter?",
    delay_not_minutes="{value!r} är inte ett antal minuter.",
    delay_range="Förseningen måste vara mellan -1440 och 1440 minuter, inte 0.",
    cancel_which="Vilket pass?",
    cancel_usage="/cancel PASS, t.ex. /cancel race2",
    announce_empty="Meddelandet är tomt.",
    announce_usage="/announce TEXT",
    announce_too_long="Meddelandet är för långt (högst 3000 tecken).",
    announce_shorten="Korta det",
    no_started_weekend="Ingen tävlingshelg har börjat än, så det finns inga resultat att föra in.",
    no_started_weekend_hint="Resultat kan föras in när helgens första dag har börjat.",
    weekend_gone="Den tävlingshelgen finns inte längre i schemat.",
    unknown_session="Okänt pass: {query!r}",
    ambiguous_session="{query!r} passar flera pass",
    choose_one="Välj ett av: {choices}",
    no_weekend="Ingen kommande helg att hitta {query!r} i.",
    full_key="Skriv hela nyckeln, t.ex. tcr-europe-2020/r6/race1",
    unknown="Okänt kommando /{name}.",
    bad_option="Det går inte att använda {value!r} här. Välj ett av förslagen.",
    failed="Något gick fel, inget ändrades. Försök igen om en stund.",
    sent_privately="Svaret skickades till dig privat.",
    dm_first="Skriv till mig privat först ({bot}), så skickar jag svaret dit.",
    # -- #17 platform conventions: Telegram forum topics
    topic="Ämne",
    topic_general="Allmänt",
    topic_number="ämne {thread}",
    topic_outside=(
        "Skriv /settings topic inne i det ämne där inläggen ska komma, "
        "eller /settings topic general för Allmänt."
    ),
    # -- #17 platform conventions: /calendar's buttons and the chat's own feed
    calendar_personal=(
        "Länken är din egen: den har chattens pass, språk och påminnelser. "
        "Andra kalenderappar prenumererar på adressen ovan."
    ),
    calendar_apple="Apple-kalender (iPhone, Mac)",
    calendar_google="Google Kalender",
    calendar_outlook="Outlook.com",
    calendar_name="{team} – racing",
)
